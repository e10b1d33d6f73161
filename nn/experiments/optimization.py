"""The course's optimization experiment: mini-batch gradient descent, momentum and Adam on the moons."""

from __future__ import annotations

from pathlib import Path

from .. import datasets
from ..network import predict
from ..train import train
from .plots import drawing, plot_boundary, save, write_table
from .words import LANGUAGES, localized, words

OPTIMIZERS = ("gd", "momentum", "adam")
NAMES = ["relu", "relu", "sigmoid"]
# The training accuracies the course's notebook reports after 10000 epochs ("about"), beside ours in the table.
COURSE = {"gd": 0.80, "momentum": 0.80, "adam": 0.94}
CHECKPOINT = 1000  # the table also shows the cost after this many epochs, to compare the speeds
#: The words of the figures and the table; the optimizers keep their names in the code (gd, momentum, adam).
WORDS = words(
    title=("{optimizer}: train accuracy {accuracy:.1%}", "{optimizer}：训练集准确率 {accuracy:.1%}"),
    epoch=("epoch", "轮次（epoch）"),
    cost=("cost J (mean over the epoch)", "代价 J（该轮的平均值）"),
    header=(
        "| optimizer | our training accuracy | course's | cost after {checkpoint} epochs | final cost |",
        "| 优化算法 | 本站的训练准确率 | 课程报告的 | {checkpoint} 轮后的代价 | 最终代价 |",
    ),
    about=("about {accuracy:.0%}", "约 {accuracy:.0%}"),
)


# --8<-- [start:optimization_experiment]
def optimization_experiment(epochs=10000):
    """Train the course's 2-5-2-1 ReLU network on the moons with each optimizer, the other settings equal."""
    X, Y = datasets.moons()
    results = {}
    for optimizer in OPTIMIZERS:
        parameters, costs = train(
            X, Y, [2, 5, 2, 1], NAMES, init="he", learning_rate=0.0007, num_iterations=epochs, seed=3,
            optimizer=optimizer, mini_batch_size=64, beta=0.9, beta1=0.9, beta2=0.999, epsilon=1e-8,
        )  # fmt: skip
        results[optimizer] = (parameters, costs, datasets.accuracy(predict(X, parameters, NAMES), Y))
    return X, Y, results


# --8<-- [end:optimization_experiment]


def write(directory: Path) -> None:
    """The decision boundary of each optimizer, their cost curves, and the table beside the course's numbers."""
    X, Y, results = optimization_experiment()
    for lang in LANGUAGES:
        said = WORDS[lang]
        with drawing(lang) as plt:
            fig, axes = plt.subplots(1, 3, figsize=(10, 3.4))
            for ax, (optimizer, (parameters, _, acc)) in zip(axes, results.items(), strict=True):
                plot_boundary(ax, X, Y, parameters, NAMES, steps=120)
                ax.set_title(said["title"].format(optimizer=optimizer, accuracy=acc), fontsize=10)
            save(fig, directory / localized("optimization-boundaries.png", lang), dpi=60)
            fig, ax = plt.subplots(figsize=(6, 3.5))
            for (optimizer, (_, costs, _)), style in zip(results.items(), ("-", "--", "-"), strict=True):
                ax.plot(costs, style, label=optimizer, linewidth=1)  # gd and momentum nearly coincide: momentum dashed
            ax.set_xlabel(said["epoch"])
            ax.set_ylabel(said["cost"])
            ax.legend()
            save(fig, directory / localized("optimization-cost.png", lang))
        rows = [said["header"].format(checkpoint=CHECKPOINT), "|---|---|---|---|---|"]
        rows += [
            f"| {optimizer} | {acc:.2%} | {said['about'].format(accuracy=COURSE[optimizer])} | "
            f"{costs[CHECKPOINT - 1]:.4f} | {costs[-1]:.4f} |"
            for optimizer, (_, costs, acc) in results.items()
        ]
        write_table(directory / localized("optimization-table.txt", lang), rows)
