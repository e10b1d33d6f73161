"""Breast cancer: the [30, 20, 10, 5, 1] ReLU network with a sigmoid output, three seeds."""

from __future__ import annotations

from pathlib import Path

from .. import datasets
from ..network import predict
from ..train import train
from .plots import seed_costs_figure, write_table
from .words import LANGUAGES, localized, words

WORDS = words(
    header=(
        "| seed | train accuracy | test accuracy | the post's accuracy (train or test: not stated) |",
        "| 随机种子 | 训练集准确率 | 测试集准确率 | 博文给出的准确率（未说明是训练集还是测试集） |",
    ),
)


def write(directory: Path) -> None:
    """Cost curves of three seeds and their train and test accuracies."""
    runs = []
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
        train_accuracy = datasets.accuracy(predict(data.X_train, parameters, names), data.Y_train)
        test_accuracy = datasets.accuracy(predict(data.X_test, parameters, names), data.Y_test)
        runs.append((seed, costs, train_accuracy, test_accuracy))
    for lang in LANGUAGES:
        said = WORDS[lang]
        seed_costs_figure(
            directory / localized("breast-cancer-cost.png", lang), lang, [(seed, costs) for seed, costs, _, _ in runs]
        )
        rows = [said["header"], "|---|---|---|---|"]
        rows += [f"| {seed} | {train:.2%} | {test:.2%} | 92% |" for seed, _, train, test in runs]
        write_table(directory / localized("breast-cancer-table.txt", lang), rows)
