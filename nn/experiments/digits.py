"""Logistic regression on two digits (a network with no hidden layer), three learning rates."""

from __future__ import annotations

from pathlib import Path

from .. import datasets
from ..network import predict
from ..train import train
from .plots import plot_costs, pyplot, save, write_table

RATES = (0.01, 0.001, 0.0001)


def write(directory: Path) -> None:
    """Cost curves for 1 vs 0 and 3 vs 8 at each learning rate, and their accuracies."""
    plt = pyplot()
    rows = ["| digits | learning rate | final cost | train accuracy | test accuracy |", "|---|---|---|---|---|"]
    fig, axes = plt.subplots(1, 2, figsize=(9, 3))
    for ax, (positive, negative) in zip(axes, [(1, 0), (3, 8)], strict=True):
        # --8<-- [start:digits]
        data = datasets.digits(positive, negative)
        for lr in RATES:
            parameters, costs = train(
                data.X_train, data.Y_train, [64, 1], ["sigmoid"], init="zeros", learning_rate=lr, num_iterations=2000
            )
            # --8<-- [end:digits]
            plot_costs(ax, costs, label=f"lr = {lr:g}")
            rows.append(
                f"| {positive} vs {negative} | {lr:g} | {costs[-1]:.4f} | "
                f"{datasets.accuracy(predict(data.X_train, parameters, ['sigmoid']), data.Y_train):.2%} | "
                f"{datasets.accuracy(predict(data.X_test, parameters, ['sigmoid']), data.Y_test):.2%} |"
            )
        ax.set_title(f"{positive} (Y = 1) vs {negative} (Y = 0)", fontsize=10)
        ax.legend()
    save(fig, directory / "digits-lr.png")
    write_table(directory / "digits-table.txt", rows)
