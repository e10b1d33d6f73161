"""Regularization: a network that overfits 100 noisy points, then the same network with L2 and with dropout."""

from __future__ import annotations

from pathlib import Path

from .. import datasets
from ..network import predict
from ..train import train
from .plots import drawing, plot_boundary, save, write_table
from .words import LANGUAGES, localized, words

#: (label, train's keywords): the three runs of the page.
RUNS = (("no regularization", {}), ("L2, λ = 0.7", {"lambd": 0.7}), ("dropout, keep_prob = 0.6", {"keep_prob": 0.6}))
#: The course's (train, test) accuracy and its setting for each run, on its own data (2-D points from a
#: football field: 211 to train on, 200 to test), with [2, 20, 3, 1], 30000 iterations at learning rate 0.3.
COURSE = {
    "no regularization": (0.948, 0.915, ""),
    "L2, λ = 0.7": (0.938, 0.93, "λ = 0.7"),
    "dropout, keep_prob = 0.6": (0.929, 0.95, "keep_prob = 0.86"),
}
#: The words of the figure and the table; each run's name, under its label in RUNS, comes first.
WORDS = words(
    **{
        "no regularization": ("no regularization", "无正则化"),
        "L2, λ = 0.7": ("L2, λ = 0.7", "L2，λ = 0.7"),
        "dropout, keep_prob = 0.6": ("dropout, keep_prob = 0.6", "dropout，keep_prob = 0.6"),
    },
    title=(
        "{run}\ntrain {train:.0%}, test {test:.1%}",
        "{run}\n训练集 {train:.0%}，测试集 {test:.1%}",
    ),
    header=(
        "| run | train accuracy | test accuracy | train − test | course's train / test (its data and setting) |",
        "| 训练方式 | 训练集准确率 | 测试集准确率 | 训练 − 测试 "
        "| 课程的训练集 / 测试集准确率（课程自己的数据和设置） |",
    ),
    points=("points", "个百分点"),
    setting=(" ({setting})", "（{setting}）"),
)


# --8<-- [start:regularization_experiment]
def regularization_experiment(iterations=8000):
    """Train [2, 40, 20, 1] (ReLU, ReLU, sigmoid; He init; learning rate 0.3) on 100 points, three ways."""
    X_train, Y_train = datasets.moons(100, noise=0.35, random_state=1)
    X_test, Y_test = datasets.moons(1000, noise=0.35, random_state=2)
    names = ["relu", "relu", "sigmoid"]
    results = {}
    for label, options in RUNS:
        parameters, costs = train(
            X_train,
            Y_train,
            [2, 40, 20, 1],
            names,
            init="he",
            learning_rate=0.3,
            num_iterations=iterations,
            seed=0,
            **options,
        )
        train_accuracy = datasets.accuracy(predict(X_train, parameters, names), Y_train)
        test_accuracy = datasets.accuracy(predict(X_test, parameters, names), Y_test)
        results[label] = (parameters, costs, train_accuracy, test_accuracy)
    return (X_train, Y_train), results


# --8<-- [end:regularization_experiment]


def write(directory: Path) -> None:
    """Decision boundaries of the three runs, and a table of train and test accuracy beside the course's."""
    (X, Y), results = regularization_experiment()
    for lang in LANGUAGES:
        said = WORDS[lang]
        with drawing(lang) as plt:
            fig, axes = plt.subplots(1, 3, figsize=(10, 3.4))
            for ax, (label, (parameters, _, train_accuracy, test_accuracy)) in zip(axes, results.items(), strict=True):
                plot_boundary(ax, X, Y, parameters, ["relu", "relu", "sigmoid"], steps=120)
                title = said["title"].format(run=said[label], train=train_accuracy, test=test_accuracy)
                ax.set_title(title, fontsize=10)
            save(fig, directory / localized("regularization-boundaries.png", lang))
        rows = [said["header"], "|---|---|---|---|---|"]
        for label, (_, _, train_accuracy, test_accuracy) in results.items():
            course_train, course_test, setting = COURSE[label]
            rows.append(
                f"| {said[label]} | {train_accuracy:.1%} | {test_accuracy:.1%} | "
                f"{100 * (train_accuracy - test_accuracy):.1f} {said['points']} | "
                f"{course_train:.1%} / {course_test:.1%}{said['setting'].format(setting=setting) if setting else ''} |"
            )
        write_table(directory / localized("regularization-table.txt", lang), rows)
