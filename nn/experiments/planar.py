"""The course's planar "flower": a 2-layer tanh/sigmoid network for several hidden sizes n_h."""

from __future__ import annotations

from pathlib import Path

from .. import datasets
from ..network import predict
from ..train import train
from .plots import drawing, plot_boundary, plot_costs, save, write_table
from .words import LANGUAGES, localized, words

SIZES = (1, 2, 3, 4, 5, 20, 50)
# The training accuracies the course's notebook prints for each n_h, put next to ours in the table.
COURSE = {1: 0.675, 2: 0.6725, 3: 0.9075, 4: 0.905, 5: 0.9125, 20: 0.90, 50: 0.9025}
WORDS = words(
    sweep=("n_h = {n_h}\ntrain accuracy {accuracy:.1%}", "n_h = {n_h}\n训练集准确率 {accuracy:.1%}"),
    data=("the data", "数据"),
    header=(
        "| n_h | our training accuracy (10000 steps) | course's training accuracy (5000 steps, its points) "
        "| final cost |",
        "| n_h | 本站的训练准确率（10000 步） | 课程的训练准确率（5000 步，课程自己的数据点） | 最终代价 |",
    ),
)


# --8<-- [start:planar_experiment]
def planar_experiment(sizes=SIZES, iterations=10000):
    """Train the course's 2-layer network (tanh hidden, sigmoid output, lr 1.2) for each hidden size n_h."""
    X, Y = datasets.planar()
    names = ["tanh", "sigmoid"]
    results = {}
    for n_h in sizes:
        parameters, costs = train(
            X, Y, [2, n_h, 1], names, init="small", learning_rate=1.2, num_iterations=iterations, seed=3
        )
        results[n_h] = (parameters, costs, datasets.accuracy(predict(X, parameters, names), Y))
    return X, Y, results


# --8<-- [end:planar_experiment]


def write(directory: Path) -> None:
    """The sweep over hidden sizes, the cost curve of n_h = 4, and the table beside the course's numbers."""
    X, Y, results = planar_experiment()
    for lang in LANGUAGES:
        said = WORDS[lang]
        with drawing(lang) as plt:
            fig, axes = plt.subplots(2, 4, figsize=(10, 5))
            for ax, (n_h, (parameters, _, acc)) in zip(axes.flat, results.items(), strict=False):
                plot_boundary(ax, X, Y, parameters, ["tanh", "sigmoid"], steps=100)
                ax.set_title(said["sweep"].format(n_h=n_h, accuracy=acc), fontsize=10)
            data_ax = axes.flat[-1]
            data_ax.scatter(X[0], X[1], c=Y.ravel(), cmap="coolwarm_r", s=6, edgecolors="none")
            data_ax.set_title(said["data"], fontsize=10)
            data_ax.set_xticks([])
            data_ax.set_yticks([])
            save(fig, directory / localized("planar-sweep.png", lang), dpi=50)
            fig, ax = plt.subplots(figsize=(5, 3))
            plot_costs(ax, results[4][1], lang=lang)
            save(fig, directory / localized("planar-cost.png", lang))
        rows = [said["header"], "|---|---|---|---|"]
        rows += [
            f"| {n_h} | {acc:.2%} | {COURSE[n_h]:.2%} | {costs[-1]:.4f} |" for n_h, (_, costs, acc) in results.items()
        ]
        write_table(directory / localized("planar-table.txt", lang), rows)
