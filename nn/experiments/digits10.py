"""All ten digits: a softmax output with categorical cross-entropy, three seeds and a confusion matrix."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import datasets
from ..network import predict
from ..train import train
from .plots import seed_costs_figure, write_table
from .words import LANGUAGES, localized, words

WORDS = words(
    header=(
        "| seed | final cost | train accuracy | test accuracy |",
        "| 随机种子 | 最终代价 | 训练集准确率 | 测试集准确率 |",
    ),
    corner=("true \\ predicted", "真实 \\ 预测"),
)


def write(directory: Path) -> None:
    """Cost curves of three seeds, their accuracies, and the last seed's confusion matrix on the test set."""
    runs = []
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
        train_accuracy = datasets.accuracy(predict(data.X_train, parameters, names), data.Y_train)
        test_accuracy = datasets.accuracy(predict(data.X_test, parameters, names), data.Y_test)
        runs.append((seed, costs, train_accuracy, test_accuracy))
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (np.argmax(data.Y_test, axis=0), predict(data.X_test, parameters, names)[0]), 1)
    for lang in LANGUAGES:
        said = WORDS[lang]
        seed_costs_figure(
            directory / localized("digits10-cost.png", lang), lang, [(seed, costs) for seed, costs, _, _ in runs]
        )
        rows = [said["header"], "|---|---|---|---|"]
        rows += [f"| {seed} | {costs[-1]:.4f} | {train:.2%} | {test:.2%} |" for seed, costs, train, test in runs]
        write_table(directory / localized("digits10-table.txt", lang), rows)
        lines = [f"| {said['corner']} | " + " | ".join(map(str, range(10))) + " |", "|---" * 11 + "|"]
        lines += [f"| **{k}** | " + " | ".join(str(n) if n else "·" for n in confusion[k]) + " |" for k in range(10)]
        write_table(directory / localized("digits10-confusion.txt", lang), lines)
