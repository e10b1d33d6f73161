"""Breast cancer: the [30, 20, 10, 5, 1] ReLU network with a sigmoid output, three seeds."""

from __future__ import annotations

from pathlib import Path

from .. import datasets
from ..network import predict
from ..train import train
from .plots import plot_costs, pyplot, save, write_table


def write(directory: Path) -> None:
    """Cost curves of three seeds and their train and test accuracies."""
    plt = pyplot()
    header = "| seed | train accuracy | test accuracy | the post's accuracy (train or test: not stated) |"
    rows = [header, "|---|---|---|---|"]
    fig, ax = plt.subplots(figsize=(5, 3))
    # --8<-- [start:breast_cancer]
    data = datasets.breast_cancer()
    names = ["relu"] * 3 + ["sigmoid"]
    for seed in range(3):
        parameters, costs = train(
            data.X_train,
            data.Y_train,
            [30, 20, 10, 5, 1],
            names,
            init="he",
            learning_rate=0.05,
            num_iterations=2000,
            seed=seed,
        )
        # --8<-- [end:breast_cancer]
        plot_costs(ax, costs, label=f"seed {seed}")
        rows.append(
            f"| {seed} | {datasets.accuracy(predict(data.X_train, parameters, names), data.Y_train):.2%} | "
            f"{datasets.accuracy(predict(data.X_test, parameters, names), data.Y_test):.2%} | 92% |"
        )
    ax.set_yscale("log")
    ax.legend()
    save(fig, directory / "breast-cancer-cost.png")
    write_table(directory / "breast-cancer-table.txt", rows)
