"""The L-layer post's initialization table, run: five starts, each with tanh, sigmoid and ReLU layers.

The starts are the post's rows and the two it argues from: zeros, the plain standard normal
N(0, 1), ×0.01, the course's Xavier 1/n[l-1] and He 2/n[l-1]. Two runs for each start and
activation. (1) The spread of Z[l] through 20 layers of 256 units (``initialization.spread``), with
the share of saturated entries, g'(Z) < 0.01, for tanh and sigmoid. (2) Training: 5 hidden layers of
20 units and a sigmoid output on the 8×8 digits 3 against 8 (the closest data the project has to
the post's cat pictures), α = 0.1, 1000 iterations, seeds 1, 2 and 3.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np

from .. import datasets
from ..init import initialize_parameters
from ..network import backward_propagation, forward_propagation, predict
from ..train import TrainingDiverged, train
from . import initialization
from .initialization import draw_spread, spread
from .plots import drawing, plot_costs, save, write_table
from .words import LANGUAGES, localized, words

STARTS = ("zeros", "normal", "small", "xavier", "he")
ACTIVATIONS = ("tanh", "sigmoid", "relu")
#: The pairs the post argues about: zeros with any unit; N(0, 1) and ×0.01 for sigmoid and tanh (its
#: paragraph on large and small starts) and N(0, 1) in its L-layer network, whose hidden layers are ReLU;
#: Xavier for sigmoid and tanh; He for ReLU. The other pairs are added here.
IN_THE_POST = {
    *(("zeros", activation) for activation in ACTIVATIONS),
    *(("normal", activation) for activation in ACTIVATIONS),
    ("small", "tanh"),
    ("small", "sigmoid"),
    ("xavier", "tanh"),
    ("xavier", "sigmoid"),
    ("he", "relu"),
}
SPREAD_LAYERS = (1, 2, 5, 10, 20)
HIDDEN, UNITS = 5, 20
LEARNING_RATE, ITERATIONS, SEEDS = 0.1, 1000, (1, 2, 3)
WORDS = words(
    zeros=("zeros", "全零"),
    normal=("N(0, 1)", "N(0, 1)"),
    small=("×0.01", "×0.01"),
    xavier=("Xavier, 1/n[l-1]", "Xavier，1/n[l-1]"),
    he=("He, 2/n[l-1]", "He，2/n[l-1]"),
    posted=("the post", "文章"),
    added=("added", "补充"),
    spread_header=(
        "| activation | start | in | std of Z[1] | Z[2] | Z[5] | Z[10] | Z[20] | saturated, Z[1] | saturated, Z[20] |",
        "| 激活函数 | 初始化 | 出处 | Z[1] 的标准差 | Z[2] | Z[5] | Z[10] | Z[20] | 饱和比例，Z[1] | 饱和比例，Z[20] |",
    ),
    train_header=(
        "| hidden layers | start | in | ‖dW[1]‖ at the start | ‖dW[{L}]‖ at the start | final cost | test accuracy "
        "| largest difference between two units' weights |",
        "| 隐藏层 | 初始化 | 出处 | 起点处的 ‖dW[1]‖ | 起点处的 ‖dW[{L}]‖ | 最终代价 | 测试集准确率 "
        "| 两个单元的权重之差的最大值 |",
    ),
    diverged=("stopped at {iteration}", "在第 {iteration} 次停止"),
    train_title=("{activation} hidden layers, seed {seed}", "{activation} 隐藏层，种子 {seed}"),
)


class Outcome(NamedTuple):
    """One training run: its costs, and either where nn.train stopped or the trained network's figures."""

    costs: list[float]  # J after each iteration, up to the one that overflowed if training stopped
    stopped: bool
    gradients: tuple[float, float]  # ‖dW[1]‖ and ‖dW[L]‖ (Frobenius) at the start, before the first step
    accuracy: float | None = None  # on the test pictures
    difference: float | None = None  # the largest difference between two units' weights in one hidden layer


# --8<-- [start:train]
def outcome(data, start, activation, seed) -> Outcome:
    """Train 5 hidden layers of 20 ``activation`` units and a sigmoid output from ``start``."""
    names = [activation] * HIDDEN + ["sigmoid"]
    layer_dims = [data.X_train.shape[0]] + [UNITS] * HIDDEN + [1]
    start_parameters = initialize_parameters(layer_dims, start, seed)  # the parameters train starts from
    AL, cache = forward_propagation(data.X_train, start_parameters, names)
    grads = backward_propagation(AL, data.Y_train, cache, start_parameters, names)
    gradients = (np.linalg.norm(grads["dW1"]), np.linalg.norm(grads[f"dW{HIDDEN + 1}"]))
    costs = []
    try:
        parameters, _ = train(data.X_train, data.Y_train, layer_dims, names, init=start, seed=seed,
                              learning_rate=LEARNING_RATE, num_iterations=ITERATIONS,
                              callback=lambda _, cost: costs.append(cost))  # fmt: skip
    except TrainingDiverged:
        return Outcome(costs, True, gradients)
    accuracy = datasets.accuracy(predict(data.X_test, parameters, names), data.Y_test)
    # the units of layer l are identical when the rows of W[l] are: the largest gap to row 1, over the hidden layers
    difference = max(np.max(np.abs(parameters[f"W{l}"] - parameters[f"W{l}"][0])) for l in range(1, HIDDEN + 1))
    return Outcome(costs, False, gradients, accuracy, difference)


# --8<-- [end:train]


def write(directory: Path) -> None:
    """The spread table and figure, and the training table and its cost curves (seed 1)."""
    spreads = {(activation, start): spread(start, activation) for activation in ACTIVATIONS for start in STARTS}
    data = datasets.digits(3, 8)
    outcomes = {
        (activation, start): [outcome(data, start, activation, seed) for seed in SEEDS]
        for activation in ACTIVATIONS
        for start in STARTS
    }
    for lang in LANGUAGES:
        with drawing(lang) as plt:
            _write_spread(directory, lang, plt, spreads)
            _write_training(directory, lang, plt, outcomes)


def _source(said, start, activation) -> str:
    return said["posted"] if (start, activation) in IN_THE_POST else said["added"]


def _write_spread(directory: Path, lang: str, plt, spreads: dict) -> None:
    said = WORDS[lang]
    rows = [said["spread_header"], "|---|---|---|---|---|---|---|---|---|---|"]
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
    for ax, activation in zip(axes, ACTIVATIONS, strict=True):
        for start in STARTS:
            measured = spreads[activation, start]
            std = np.sqrt(measured.z)
            cells = " | ".join(f"{std[l - 1]:.3g}" for l in SPREAD_LAYERS)
            if activation == "relu":  # g' is 0 for every z < 0: "saturated" would only count the negative half
                saturated = "— | —"
            else:
                saturated = f"{measured.saturated[0]:.1%} | {measured.saturated[-1]:.1%}"
            rows.append(
                f"| {activation} | {said[start]} | {_source(said, start, activation)} | {cells} | {saturated} |"
            )
        draw_spread(ax, lang, activation, [(said[start], spreads[activation, start]) for start in STARTS])
    axes[0].set_ylabel(initialization.WORDS[lang]["std"])
    axes[0].legend(fontsize=8)
    save(fig, directory / localized("init-post-spread.png", lang))
    write_table(directory / localized("init-post-spread-table.txt", lang), rows)


def _write_training(directory: Path, lang: str, plt, outcomes: dict) -> None:
    said = WORDS[lang]
    rows = [said["train_header"].format(L=HIDDEN + 1), "|---|---|---|---|---|---|---|---|"]
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.2))
    for ax, activation in zip(axes, ACTIVATIONS, strict=True):
        for start in STARTS:
            runs = outcomes[activation, start]
            costs = " / ".join(
                said["diverged"].format(iteration=len(run.costs)) if run.stopped else f"{run.costs[-1]:.3g}"
                for run in runs
            )
            accuracy = " / ".join("—" if run.stopped else f"{run.accuracy:.1%}" for run in runs)
            first, last = (" / ".join(f"{run.gradients[k]:.2g}" for run in runs) for k in (0, 1))
            trained = [run.difference for run in runs if not run.stopped]
            difference = f"{max(trained):.3g}" if trained else "—"
            source = _source(said, start, activation)
            cells = " | ".join((activation, said[start], source, first, last, costs, accuracy, difference))
            rows.append(f"| {cells} |")
            plot_costs(ax, runs[0].costs, label=said[start], lang=lang)
        ax.set_title(said["train_title"].format(activation=activation, seed=SEEDS[0]), fontsize=10)
        ax.set_yscale("log")
        ax.set_ylim(1e-4, 10)  # one scale for the three; a run that overflows leaves it (the table says where)
    axes[0].legend(fontsize=8)
    save(fig, directory / localized("init-post-training.png", lang))
    write_table(directory / localized("init-post-training-table.txt", lang), rows)
