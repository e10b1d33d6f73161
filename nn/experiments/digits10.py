"""All ten digits: a softmax output with categorical cross-entropy, three seeds and a confusion matrix."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import datasets
from ..network import predict
from ..train import train
from .plots import plot_costs, pyplot, save, write_table


def write(directory: Path) -> None:
    """Cost curves of three seeds, their accuracies, and the last seed's confusion matrix on the test set."""
    plt = pyplot()
    rows = ["| seed | final cost | train accuracy | test accuracy |", "|---|---|---|---|"]
    fig, ax = plt.subplots(figsize=(5, 3))
    # --8<-- [start:digits10]
    data = datasets.digits10()
    names = ["relu", "softmax"]
    for seed in range(3):
        parameters, costs = train(
            data.X_train,
            data.Y_train,
            [64, 32, 10],
            names,
            loss="cross_entropy",
            init="he",
            learning_rate=0.5,
            num_iterations=1000,
            seed=seed,
        )
        # --8<-- [end:digits10]
        plot_costs(ax, costs, label=f"seed {seed}")
        rows.append(
            f"| {seed} | {costs[-1]:.4f} | "
            f"{datasets.accuracy(predict(data.X_train, parameters, names), data.Y_train):.2%} | "
            f"{datasets.accuracy(predict(data.X_test, parameters, names), data.Y_test):.2%} |"
        )
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (np.argmax(data.Y_test, axis=0), predict(data.X_test, parameters, names)[0]), 1)
    ax.set_yscale("log")
    ax.legend()
    save(fig, directory / "digits10-cost.png")
    write_table(directory / "digits10-table.txt", rows)
    header = "| true \\ predicted | " + " | ".join(map(str, range(10))) + " |"
    lines = [header, "|---" * 11 + "|"]
    lines += [f"| **{k}** | " + " | ".join(str(n) if n else "·" for n in confusion[k]) + " |" for k in range(10)]
    write_table(directory / "digits10-confusion.txt", lines)
