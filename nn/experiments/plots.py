"""Matplotlib helpers shared by the command line and the worked examples."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..network import predict


def pyplot():
    """matplotlib.pyplot on the Agg backend (no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save(fig, path: Path, dpi: int = 60) -> None:
    """Lay out ``fig``, write it to ``path`` as PNG and close it."""
    fig.tight_layout()
    fig.savefig(path, dpi=dpi)
    pyplot().close(fig)


def write_table(path: Path, rows: list[str]) -> None:
    """Write Markdown table rows to ``path``, one per line."""
    path.write_text("\n".join(rows) + "\n")


def plot_costs(ax, costs, label=None):
    """Draw a cost curve J against the iteration on a matplotlib axis."""
    ax.plot(np.arange(len(costs)), costs, label=label)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost J")


def plot_boundary(ax, X, Y, parameters, activation_names, steps=200):
    """Shade the regions a 2-D classifier predicts as 0 and 1, and scatter the points X coloured by Y."""
    (x0, x1), (y0, y1) = [(row.min() - 1, row.max() + 1) for row in X]
    xx, yy = np.meshgrid(np.linspace(x0, x1, steps), np.linspace(y0, y1, steps))
    grid = np.vstack([xx.ravel(), yy.ravel()])
    P = predict(grid, parameters, activation_names).reshape(xx.shape)
    ax.contourf(xx, yy, P, levels=[-0.5, 0.5, 1.5], colors=["#f4c7a1", "#a9c6ea"])
    ax.scatter(X[0], X[1], c=Y.ravel(), cmap="coolwarm_r", s=6, edgecolors="none")
    ax.set_xticks([])
    ax.set_yticks([])
