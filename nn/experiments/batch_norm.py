"""Batch norm: a six-hidden-layer ReLU network trained with and without it, at the same learning rates."""

from __future__ import annotations

from pathlib import Path

from .. import datasets
from ..init import initialize_parameters
from ..network import forward_propagation, predict
from ..train import train
from ..words import InputError, Text
from .plots import drawing, plot_costs, save, write_table
from .words import LANGUAGES, localized, words

LEARNING_RATES = (0.01, 0.1, 1.0)
WORDS = words(
    batch_norm=("batch norm", "加批归一化"),
    plain=("plain", "不加批归一化"),
    title=("learning rate {rate:g}", "学习率 {rate:g}"),
    header=(
        "| learning rate | network | cost at step 0 | at step 100 | at step 999 | training accuracy |",
        "| 学习率 | 网络 | 第 0 步的代价 | 第 100 步 | 第 999 步 | 训练准确率 |",
    ),
    figures_header=("| figure | value |", "| 指标 | 数值 |"),
    spread=(
        "standard deviation of Z[7] over the batch at step 0, {network}",
        "第 0 步 Z[7] 在批量上的标准差，{network}",
    ),
    passes=(
        "learning rate {rate:g}: batch norm's first step below the plain network's cost at step 999",
        "学习率 {rate:g}：加批归一化的网络第一次低于不加的网络第 999 步代价的步数",
    ),
)


# --8<-- [start:batch_norm_experiment]
def batch_norm_experiment(iterations=1000):
    """Train [2, 16, 16, 16, 16, 16, 16, 1] (ReLU hidden, sigmoid output, He init) on 300 points of the two
    moons (noise 0.2), full batch, at each learning rate, without and with batch norm."""
    X, Y = datasets.moons(300, noise=0.2, random_state=3)
    names = ["relu"] * 6 + ["sigmoid"]
    results = {}
    for learning_rate in LEARNING_RATES:
        for batch_norm in (False, True):
            parameters, costs = train(
                X,
                Y,
                [2] + [16] * 6 + [1],
                names,
                init="he",
                learning_rate=learning_rate,
                num_iterations=iterations,
                seed=1,
                batch_norm=batch_norm,
            )
            results[learning_rate, batch_norm] = (costs, datasets.accuracy(predict(X, parameters, names), Y))
    return results


# --8<-- [end:batch_norm_experiment]


def output_spread(batch_norm: bool) -> float:
    """The standard deviation over the batch of Z[7], the output's pre-activation, at step 0: the same
    moons and the same initialization (seed 1) as :func:`batch_norm_experiment`'s runs start from."""
    X, _ = datasets.moons(300, noise=0.2, random_state=3)
    parameters = initialize_parameters([2] + [16] * 6 + [1], "he", 1, batch_norm=batch_norm)
    _, cache = forward_propagation(X, parameters, ["relu"] * 6 + ["sigmoid"])
    return float(cache["Z7"].std())


def first_step_below(costs, level: float) -> int:
    """The first step k whose cost costs[k] is below ``level``."""
    below = [k for k, cost in enumerate(costs) if cost < level]
    if not below:
        lowest = min(costs)
        raise InputError(Text(
            f"the cost never falls below {level:.4g} (its lowest is {lowest:.4g}): no step is below that level",
            f"代价从未降到 {level:.4g} 以下（最低为 {lowest:.4g}）：没有哪一步低于这个值",
        ))  # fmt: skip
    return below[0]


def write(directory: Path) -> None:
    """Cost curves per learning rate, with and without batch norm, and a table of costs and accuracies."""
    results = batch_norm_experiment()
    for lang in LANGUAGES:
        said = WORDS[lang]
        with drawing(lang) as plt:
            fig, axes = plt.subplots(1, len(LEARNING_RATES), figsize=(10, 3.2), sharey=True)
            for ax, learning_rate in zip(axes, LEARNING_RATES, strict=True):
                for batch_norm in (False, True):
                    network = said["batch_norm" if batch_norm else "plain"]
                    plot_costs(ax, results[learning_rate, batch_norm][0], label=network, lang=lang)
                ax.set_yscale("log")
                ax.set_title(said["title"].format(rate=learning_rate), fontsize=10)
                ax.legend(fontsize=8)
            save(fig, directory / localized("batch-norm-costs.png", lang))
        # costs[k] is the cost after k steps, recorded before step k + 1: the last is after 999 steps
        rows = [said["header"], "|---|---|---|---|---|---|"]
        for (learning_rate, batch_norm), (costs, accuracy) in results.items():
            network = said["batch_norm" if batch_norm else "plain"]
            rows.append(
                f"| {learning_rate:g} | {network} | {costs[0]:.3f} | {costs[100]:.3f} | {costs[-1]:.4f} "
                f"| {accuracy:.1%} |"
            )
        write_table(directory / localized("batch-norm-table.txt", lang), rows)
        rate = LEARNING_RATES[0]
        rows = [said["figures_header"], "|---|---|"]
        for batch_norm in (False, True):
            network = said["batch_norm" if batch_norm else "plain"]
            rows.append(f"| {said['spread'].format(network=network)} | {output_spread(batch_norm):.2f} |")
        plain_final = results[rate, False][0][-1]
        rows.append(f"| {said['passes'].format(rate=rate)} | {first_step_below(results[rate, True][0], plain_final)} |")
        write_table(directory / localized("batch-norm-figures.txt", lang), rows)
