"""Logistic regression on two digits (a network with no hidden layer), three learning rates."""

from __future__ import annotations

from pathlib import Path

from .. import datasets
from ..network import predict
from ..train import train
from .plots import drawing, plot_costs, save, write_table
from .words import LANGUAGES, localized, words

RATES = (0.01, 0.001, 0.0001)
WORDS = words(
    header=(
        "| digits | learning rate | final cost | train accuracy | test accuracy |",
        "| 数字 | 学习率 | 最终代价 | 训练集准确率 | 测试集准确率 |",
    ),
    pair=("{positive} vs {negative}", "{positive} 对 {negative}"),
    rate=("lr = {rate:g}", "学习率 = {rate:g}"),
    title=("{positive} (Y = 1) vs {negative} (Y = 0)", "{positive}（Y = 1）对 {negative}（Y = 0）"),
)


def write(directory: Path) -> None:
    """Cost curves for 1 vs 0 and 3 vs 8 at each learning rate, and their accuracies."""
    runs = {}
    for positive, negative in [(1, 0), (3, 8)]:
        # --8<-- [start:digits]
        data = datasets.digits(positive, negative)
        for lr in RATES:
            parameters, costs = train(
                data.X_train, data.Y_train, [64, 1], ["sigmoid"], init="zeros", learning_rate=lr, num_iterations=2000
            )
            # --8<-- [end:digits]
            runs[positive, negative, lr] = (
                costs,
                datasets.accuracy(predict(data.X_train, parameters, ["sigmoid"]), data.Y_train),
                datasets.accuracy(predict(data.X_test, parameters, ["sigmoid"]), data.Y_test),
            )
    for lang in LANGUAGES:
        said = WORDS[lang]
        rows = [said["header"], "|---|---|---|---|---|"]
        with drawing(lang) as plt:
            fig, axes = plt.subplots(1, 2, figsize=(9, 3))
            for ax, (positive, negative) in zip(axes, [(1, 0), (3, 8)], strict=True):
                pair = {"positive": positive, "negative": negative}
                for lr in RATES:
                    costs, train_accuracy, test_accuracy = runs[positive, negative, lr]
                    plot_costs(ax, costs, label=said["rate"].format(rate=lr), lang=lang)
                    rows.append(
                        f"| {said['pair'].format(**pair)} | {lr:g} | {costs[-1]:.4f} | "
                        f"{train_accuracy:.2%} | {test_accuracy:.2%} |"
                    )
                ax.set_title(said["title"].format(**pair), fontsize=10)
                ax.legend()
            save(fig, directory / localized("digits-lr.png", lang))
        write_table(directory / localized("digits-table.txt", lang), rows)
