"""Learning rates from too small to too large: the logistic-regression sweep as the L-layer post runs it, then past it.

Three runs. (1) The post's sweep, α = 0.01, 0.001 and 0.0001 for 1500 iterations, on the closest
data the project has: logistic regression (zeros start) on the 8×8 digits 3 against 8, not the
post's cat pictures; then α = 1, 10 and 100 on the same data. (2) The course's planar network
([2, 4, 1], tanh then sigmoid, ×0.01 start, three seeds; the planar post's has 9 hidden units) at the
post's α = 1.2 and at 10 and 200,
where the steps overshoot. (3) The same network with a linear output and the square error, where
α = 1.2 overflows and ``nn.train`` stops with its divergence error.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import datasets
from ..network import predict
from ..train import TrainingDiverged, train
from .plots import drawing, plot_costs, save, write_table
from .words import LANGUAGES, localized, words

ITERATIONS = 1500
POST_RATES = (0.01, 0.001, 0.0001)  # the L-layer post's sweep
LARGE_RATES = (1.0, 10.0, 100.0)
PLANAR_RATES = (1.2, 10.0, 200.0)  # the planar post's rate, then two that overshoot
SEEDS = (1, 2, 3)
WORDS = words(
    header=(
        "| run | learning rate α | seed | final cost | lowest cost | iterations where the cost rose | accuracy |",
        "| 运行 | 学习率 α | 种子 | 最终代价 | 最低代价 | 代价上升的迭代次数 | 准确率 |",
    ),
    digits=("logistic regression, digits 3 vs 8", "逻辑回归，数字 3 对 8"),
    planar=("planar network, tanh / sigmoid, bce", "平面花朵网络，tanh / sigmoid，bce"),
    linear=("planar network, tanh / linear, mse", "平面花朵网络，tanh / 线性输出，mse"),
    diverged=("`nn.train` stopped: `{message}`", "`nn.train` 停止：`{message}`"),
    rate=("α = {rate:g}", "α = {rate:g}"),
    titles=(
        "logistic regression, digits 3 vs 8|planar network (seed 1)",
        "逻辑回归，数字 3 对 8|平面花朵网络（种子 1）",
    ),
)


def _row(said, run, rate, seed, costs, accuracy) -> str:
    rises = int(np.sum(np.diff(costs) > 0))
    return f"| {said[run]} | {rate:g} | {seed} | {costs[-1]:.4g} | {min(costs):.4g} | {rises} | {accuracy:.1%} |"


def write(directory: Path) -> None:
    """Cost curves of the two sweeps, and one table with every run and the divergence error."""
    data = datasets.digits(3, 8)
    X, Y = datasets.planar()
    runs = []  # (run, rate, seed, costs, accuracy, message)
    for rate in POST_RATES + LARGE_RATES:
        # --8<-- [start:sweep]
        parameters, costs = train(data.X_train, data.Y_train, [64, 1], ["sigmoid"], init="zeros",
                                  learning_rate=rate, num_iterations=ITERATIONS)  # fmt: skip
        # --8<-- [end:sweep]
        accuracy = datasets.accuracy(predict(data.X_test, parameters, ["sigmoid"]), data.Y_test)
        runs.append(("digits", rate, "—", costs, accuracy, None))
    for rate in PLANAR_RATES:
        for seed in SEEDS:
            parameters, costs = train(X, Y, [2, 4, 1], ["tanh", "sigmoid"], init="small", learning_rate=rate,
                                      num_iterations=ITERATIONS, seed=seed)  # fmt: skip
            accuracy = datasets.accuracy(predict(X, parameters, ["tanh", "sigmoid"]), Y)
            runs.append(("planar", rate, seed, costs, accuracy, None))
    for seed in SEEDS:
        # --8<-- [start:diverge]
        try:
            train(X, Y, [2, 4, 1], ["tanh", "identity"], loss="mse", init="small", learning_rate=1.2,
                  num_iterations=ITERATIONS, seed=seed)  # fmt: skip
        except TrainingDiverged as error:
            message = str(error)
        # --8<-- [end:diverge]
        runs.append(("linear", 1.2, seed, None, None, message))
    for lang in LANGUAGES:
        said = WORDS[lang]
        rows = [said["header"], "|---|---|---|---|---|---|---|"]
        for run, rate, seed, costs, accuracy, message in runs:
            if message is None:
                rows.append(_row(said, run, rate, seed, costs, accuracy))
            else:
                stopped = said["diverged"].format(message=message)
                rows.append(f"| {said[run]} | {rate:g} | {seed} | {stopped} | | | |")
        write_table(directory / localized("learning-rates-table.txt", lang), rows)
        with drawing(lang) as plt:
            fig, axes = plt.subplots(1, 2, figsize=(9, 3))
            left, right = said["titles"].split("|")
            for run, rate, seed, costs, _, message in runs:
                if message is None and run == "digits":
                    plot_costs(axes[0], costs, label=said["rate"].format(rate=rate), lang=lang)
                elif message is None and seed == SEEDS[0]:
                    plot_costs(axes[1], costs, label=said["rate"].format(rate=rate), lang=lang)
            for ax, title in zip(axes, (left, right), strict=True):
                ax.set_title(title, fontsize=10)
                ax.set_yscale("log")
                ax.legend(fontsize=8)
            save(fig, directory / localized("learning-rates.png", lang))
