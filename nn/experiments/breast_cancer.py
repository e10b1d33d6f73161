"""Breast cancer: the [30, 20, 10, 5, 1] ReLU network with a sigmoid output, three seeds; then the
plausible set-ups of the ReLU post's 92% (raw or standardized inputs, ×0.01 or He start, this page's
schedule or the course's), five seeds each, to see which of them end near 92%."""

from __future__ import annotations

from pathlib import Path

from .. import datasets
from ..network import predict
from ..train import train
from .plots import seed_costs_figure, write_table
from .words import LANGUAGES, localized, words

# --8<-- [start:names]
LAYERS = [30, 20, 10, 5, 1]
NAMES = ["relu"] * 3 + ["sigmoid"]  # three ReLU hidden layers, a sigmoid output
# --8<-- [end:names]
POST_ACCURACY = 92  # the post's figure, a whole percent
#: (α, steps): this page's (the three runs of write), and the course's L_layer_model defaults
#: (learning_rate=0.0075, num_iterations=3000)
SCHEDULES = ((0.05, 2000), (0.0075, 3000))
BRACKET_SEEDS = (0, 1, 2, 3, 4)
WORDS = words(
    header=(
        "| seed | train accuracy | test accuracy | final training cost "
        "| the post's accuracy (train or test: not stated) |",
        "| 随机种子 | 训练集准确率 | 测试集准确率 | 最终训练代价 | 文章给出的准确率（未说明是训练集还是测试集） |",
    ),
    bracket_header=(
        "| inputs ({features} features) | start | α, steps | train accuracy ({train} samples), seeds {first}–{last} "
        "| test accuracy ({test} samples), seeds {first}–{last} | seeds at 92% once rounded, train / test |",
        "| 输入（{features} 个特征） | 初始化 | α，步数 | 训练集准确率（{train} 个样本），种子 {first}–{last} "
        "| 测试集准确率（{test} 个样本），种子 {first}–{last} | 四舍五入后为 92% 的种子数，训练集 / 测试集 |",
    ),
    raw=("raw", "原始值"),
    standardized=("standardized", "标准化"),
    small=("×0.01", "×0.01"),
    he=("He", "He"),
)


def _accuracies(data, parameters) -> tuple[float, float]:
    return (
        datasets.accuracy(predict(data.X_train, parameters, NAMES), data.Y_train),
        datasets.accuracy(predict(data.X_test, parameters, NAMES), data.Y_test),
    )


def bracket() -> dict[tuple[bool, str, tuple[float, int]], list[tuple[float, float]]]:
    """Train and test accuracy of every set-up and seed: {(standardize, init, (α, steps)): [(train, test), ...]}."""
    results = {}
    # --8<-- [start:bracket]
    for standardize in (False, True):
        data = datasets.breast_cancer(standardize=standardize)
        for init in ("small", "he"):
            for learning_rate, iterations in SCHEDULES:
                runs = results[standardize, init, (learning_rate, iterations)] = []
                for seed in BRACKET_SEEDS:
                    parameters, _ = train(
                        data.X_train,
                        data.Y_train,
                        LAYERS,
                        NAMES,
                        init=init,
                        learning_rate=learning_rate,
                        num_iterations=iterations,
                        seed=seed,
                    )
                    runs.append(_accuracies(data, parameters))
    # --8<-- [end:bracket]
    return results


def rounds_to_post(accuracy: float) -> bool:
    """Whether an accuracy prints as the post's 92% when rounded to a whole percent."""
    return round(100 * accuracy) == POST_ACCURACY


def _bracket_rows(said, results, data) -> list[str]:
    (features, m_train), m_test = data.X_train.shape, data.X_test.shape[1]
    rows = [
        said["bracket_header"].format(
            features=features, train=m_train, test=m_test, first=BRACKET_SEEDS[0], last=BRACKET_SEEDS[-1]
        ),
        "|---|---|---|---|---|---|",
    ]
    for (standardize, init, (learning_rate, iterations)), runs in results.items():
        columns = []
        for which in (0, 1):
            columns.append(", ".join(f"{100 * run[which]:.1f}" for run in runs))
        hits = [sum(rounds_to_post(run[which]) for run in runs) for which in (0, 1)]
        inputs = said["standardized" if standardize else "raw"]
        rows.append(
            f"| {inputs} | {said[init]} | {learning_rate:g}, {iterations} | {columns[0]} | {columns[1]} "
            f"| {hits[0]} / {hits[1]} |"
        )
    return rows


def write(directory: Path) -> None:
    """Cost curves of three seeds and their train and test accuracies; the bracket of the post's 92%."""
    runs = []
    # --8<-- [start:breast_cancer]
    data = datasets.breast_cancer()
    for seed in range(3):
        parameters, costs = train(
            data.X_train,
            data.Y_train,
            LAYERS,
            NAMES,
            init="he",
            learning_rate=0.05,
            num_iterations=2000,
            seed=seed,
        )
        # --8<-- [end:breast_cancer]
        runs.append((seed, costs, *_accuracies(data, parameters)))
    results = bracket()
    for lang in LANGUAGES:
        said = WORDS[lang]
        seed_costs_figure(
            directory / localized("breast-cancer-cost.png", lang), lang, [(seed, costs) for seed, costs, _, _ in runs]
        )
        rows = [said["header"], "|---|---|---|---|---|"]
        rows += [
            f"| {seed} | {train:.2%} | {test:.2%} | {costs[-1]:.4f} | {POST_ACCURACY}% |"
            for seed, costs, train, test in runs
        ]
        write_table(directory / localized("breast-cancer-table.txt", lang), rows)
        write_table(directory / localized("breast-cancer-bracket.txt", lang), _bracket_rows(said, results, data))
