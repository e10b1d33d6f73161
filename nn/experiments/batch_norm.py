"""Batch norm: a six-hidden-layer ReLU network trained with and without it, at the same learning rates."""

from __future__ import annotations

from pathlib import Path

from .. import datasets
from ..network import predict
from ..train import train
from .plots import plot_costs, pyplot, save, write_table

LEARNING_RATES = (0.01, 0.1, 1.0)


# --8<-- [start:batch_norm_experiment]
def batch_norm_experiment(iterations=1000):
    """Train [2, 16, 16, 16, 16, 16, 16, 1] (ReLU hidden, sigmoid output, He init) on 300 points of the two
    moons (noise 0.2), full batch, at each learning rate, without and with batch norm."""
    X, Y = datasets.moons(300, noise=0.2, random_state=3)
    names = ["relu"] * 6 + ["sigmoid"]
    results = {}
    for learning_rate in LEARNING_RATES:
        for batch_norm in (False, True):
            parameters, costs = train(
                X,
                Y,
                [2] + [16] * 6 + [1],
                names,
                init="he",
                learning_rate=learning_rate,
                num_iterations=iterations,
                seed=1,
                batch_norm=batch_norm,
            )
            results[learning_rate, batch_norm] = (costs, datasets.accuracy(predict(X, parameters, names), Y))
    return results


# --8<-- [end:batch_norm_experiment]


def write(directory: Path) -> None:
    """Cost curves per learning rate, with and without batch norm, and a table of costs and accuracies."""
    plt = pyplot()
    results = batch_norm_experiment()
    fig, axes = plt.subplots(1, len(LEARNING_RATES), figsize=(10, 3.2), sharey=True)
    for ax, learning_rate in zip(axes, LEARNING_RATES, strict=True):
        for batch_norm in (False, True):
            plot_costs(ax, results[learning_rate, batch_norm][0], label="batch norm" if batch_norm else "plain")
        ax.set_yscale("log")
        ax.set_title(f"learning rate {learning_rate:g}", fontsize=10)
        ax.legend(fontsize=8)
    save(fig, directory / "batch-norm-costs.png")
    rows = [  # costs[k] is the cost after k steps, recorded before step k + 1: the last is after 999 steps
        "| learning rate | network | cost at step 0 | at step 100 | at step 999 | training accuracy |",
        "|---|---|---|---|---|---|",
    ]
    for (learning_rate, batch_norm), (costs, accuracy) in results.items():
        network = "batch norm" if batch_norm else "plain"
        rows.append(
            f"| {learning_rate:g} | {network} | {costs[0]:.3f} | {costs[100]:.3f} | {costs[-1]:.4f} | {accuracy:.1%} |"
        )
    write_table(directory / "batch-norm-table.txt", rows)
