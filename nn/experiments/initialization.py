r"""Initialization: the spread of Z[l] through 20 layers, and hidden units that a zero start keeps identical.

The spread follows \(\operatorname{Var}(z^{[l]}) = n^{[l-1]} \operatorname{Var}(w)\,
\operatorname{E}[a^{[l-1]2}]\) (``init.xavier``, ``init.he``); the zero start follows
``init.symmetry``.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np

from .. import activations, datasets
from ..init import initialize_parameters
from ..network import backward_propagation, forward_propagation, predict
from ..train import update_parameters
from .plots import WORDS as AXES
from .plots import drawing, save, write_table
from .words import LANGUAGES, localized, words

METHODS = ("zeros", "small", "xavier", "he")
DEPTH, WIDTH, SAMPLES = 20, 256, 1000
SATURATED = 0.01  # a unit is saturated where g'(z) < 0.01: |z| > 2.99 for tanh, > 4.58 for sigmoid
WORDS = words(
    zeros=("zeros", "全零"),
    small=("×0.01", "×0.01"),
    xavier=("Xavier, 1/n[l-1]", "Xavier，1/n[l-1]"),
    he=("He, 2/n[l-1]", "He，2/n[l-1]"),
    spread_header=(
        "| activation | start | std of Z[1] | std of Z[5] | std of Z[10] | std of Z[20] "
        "| Var(z[l])/Var(z[l-1]), geometric mean |",
        "| 激活函数 | 初始化 | Z[1] 的标准差 | Z[5] 的标准差 | Z[10] 的标准差 | Z[20] 的标准差 "
        "| Var(z[l])/Var(z[l-1])，几何平均 |",
    ),
    spread_title=(
        "{activation}, {depth} layers of {width} units (zeros: Z = 0)",
        "{activation}，{depth} 层，每层 {width} 个单元（全零初始化时 Z = 0）",
    ),
    layer=("layer l", "第 l 层"),
    std=("std of Z[l]", "Z[l] 的标准差"),
    symmetry_header=(
        "| data | hidden layer | start | largest difference between two units' weights | largest weight "
        "| training accuracy |",
        "| 数据 | 隐藏层 | 初始化 | 两个单元的权重之差的最大值 | 最大的权重 | 训练准确率 |",
    ),
    planar=("planar flower", "平面花朵数据"),
    cancer=("breast cancer", "乳腺癌数据"),
    unit=("unit {unit}: W1[{row},{column}]", "单元 {unit}：W1[{row},{column}]"),
    symmetry_title=(
        "breast cancer, sigmoid hidden layer, start: {start}",
        "乳腺癌数据，sigmoid 隐藏层，初始化：{start}",
    ),
    weights=("two weights of each hidden unit", "每个隐藏单元的两个权重"),
)


class Spread(NamedTuple):
    """Second moments, layer by layer (index l - 1 for layer l), of one forward pass."""

    z: np.ndarray  # mean of Z[l]², that is Var(z[l]) since z[l] has mean 0
    a_prev: np.ndarray  # mean of A[l-1]², the E[a²] of the variance law
    rows: np.ndarray  # per unit i: mean over the samples of Z[l]_i², shape (depth, width)
    a_rows: np.ndarray  # per unit i: mean over the samples of A[l]_i², shape (depth, width)
    weight_variance: np.ndarray  # the sample variance of the entries of W[l]
    saturated: np.ndarray  # the share of the entries of Z[l] where g'(Z[l]) < SATURATED


# --8<-- [start:spread]
def spread(method, activation, depth=DEPTH, width=WIDTH, m=SAMPLES, seed=0) -> Spread:
    """Push m standard-normal columns through ``depth`` layers of ``width`` units, started by ``method``."""
    X = np.random.default_rng(seed).standard_normal((width, m))
    parameters = initialize_parameters([width] * (depth + 1), method, seed=seed + 1)
    _, cache = forward_propagation(X, parameters, [activation] * depth)
    g, layers = activations.get(activation), range(1, depth + 1)
    return Spread(
        z=np.array([np.mean(cache[f"Z{l}"] ** 2) for l in layers]),
        a_prev=np.array([np.mean(cache[f"A{l - 1}"] ** 2) for l in layers]),
        rows=np.array([np.mean(cache[f"Z{l}"] ** 2, axis=1) for l in layers]),
        a_rows=np.array([np.mean(cache[f"A{l}"] ** 2, axis=1) for l in layers]),
        weight_variance=np.array([np.var(parameters[f"W{l}"]) for l in layers]),
        saturated=np.array([np.mean(g.derivative(cache[f"Z{l}"]) < SATURATED) for l in layers]),
    )


# --8<-- [end:spread]


# --8<-- [start:symmetry]
def hidden_weights(X, Y, method, activations=("sigmoid", "sigmoid"), iterations=500, learning_rate=0.5, seed=3):
    """Train [n[0], 4, 1] from ``method``; return W[1] after each step, (iterations + 1, 4, n[0]), and the accuracy."""
    names = list(activations)
    parameters = initialize_parameters([X.shape[0], 4, 1], method, seed=seed)
    history = [parameters["W1"]]
    for _ in range(iterations):
        AL, cache = forward_propagation(X, parameters, names)
        grads = backward_propagation(AL, Y, cache, parameters, names)
        parameters = update_parameters(parameters, grads, learning_rate)
        history.append(parameters["W1"])
    return np.array(history), datasets.accuracy(predict(X, parameters, names), Y)


# --8<-- [end:symmetry]


def write(directory: Path) -> None:
    """The spread figure and table, and the weights of four hidden units from a zero and a random start."""
    spreads = {
        (activation, method): spread(method, activation) for activation in ("tanh", "relu") for method in METHODS
    }
    cancer, planar = datasets.breast_cancer(), datasets.planar()
    runs = {
        "zeros": (cancer.X_train, cancer.Y_train, "zeros", ("sigmoid", "sigmoid")),
        "small": (cancer.X_train, cancer.Y_train, "small", ("sigmoid", "sigmoid")),
        "tanh zeros": (cancer.X_train, cancer.Y_train, "zeros", ("tanh", "sigmoid")),
        "planar zeros": (*planar, "zeros", ("sigmoid", "sigmoid")),
        "planar small": (*planar, "small", ("sigmoid", "sigmoid")),
    }
    trained = {name: hidden_weights(X, Y, method, names) for name, (X, Y, method, names) in runs.items()}
    for lang in LANGUAGES:
        with drawing(lang) as plt:
            _write_spread(directory, lang, plt, spreads)
            _write_symmetry(directory, lang, plt, runs, trained)


def _write_spread(directory: Path, lang: str, plt, spreads: dict) -> None:
    said = WORDS[lang]
    rows = [said["spread_header"], "|---|---|---|---|---|---|---|"]
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), sharey=True)
    for ax, activation in zip(axes, ("tanh", "relu"), strict=True):
        for method in METHODS:
            measured = spreads[activation, method]
            std = np.sqrt(measured.z)
            cells = " | ".join(f"{std[l - 1]:.3g}" for l in (1, 5, 10, 20))
            if method == "zeros":  # Var(z[l]) is 0 in every layer: the ratio 0/0 has no value
                ratio = "—"
            else:
                ratio = f"{np.exp(np.mean(np.log(measured.z[1:] / measured.z[:-1]))):.4g}"
            rows.append(f"| {activation} | {said[method]} | {cells} | {ratio} |")
        draw_spread(ax, lang, activation, [(said[method], spreads[activation, method]) for method in METHODS])
    axes[0].set_ylabel(said["std"])
    axes[0].legend(fontsize=8)
    save(fig, directory / localized("init-spread.png", lang))
    write_table(directory / localized("init-spread-table.txt", lang), rows)


def draw_spread(ax, lang: str, activation: str, curves) -> None:
    """One panel: the std of Z[l] against l for each ``(label, Spread)``; a zero start has nothing for a log scale."""
    said = WORDS[lang]
    for label, measured in curves:
        if np.any(measured.z):
            ax.semilogy(np.arange(1, len(measured.z) + 1), np.sqrt(measured.z), marker="o", ms=3, label=label)
    ax.set_title(said["spread_title"].format(activation=activation, depth=DEPTH, width=WIDTH), fontsize=10)
    ax.set_xlabel(said["layer"])
    ax.set_xticks([1, 5, 10, 15, 20])


def _write_symmetry(directory: Path, lang: str, plt, runs: dict, trained: dict) -> None:
    said = WORDS[lang]
    rows = [said["symmetry_header"], "|---|---|---|---|---|---|"]
    for name, (_, _, method, names) in runs.items():
        history, accuracy = trained[name]
        data = said["planar"] if name.startswith("planar") else said["cancer"]
        difference, largest = np.max(np.abs(history[-1] - history[-1][0])), np.max(np.abs(history[-1]))
        rows.append(f"| {data} | {names[0]} | {said[method]} | {difference:.3g} | {largest:.3g} | {accuracy:.2%} |")
    write_table(directory / localized("init-symmetry-table.txt", lang), rows)
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), sharey=True)
    for ax, name in zip(axes, ("zeros", "small"), strict=True):
        history = trained[name][0]
        for unit in range(history.shape[1]):
            for column, style in ((0, "-"), (1, "--")):
                label = said["unit"].format(unit=unit + 1, row=unit, column=column)
                ax.plot(history[:, unit, column], style, lw=3.5 - 0.8 * unit, label=label)
        ax.set_title(said["symmetry_title"].format(start=said[name]), fontsize=10)
        ax.set_xlabel(AXES[lang]["iteration"])
    axes[0].set_ylabel(said["weights"])
    axes[0].legend(fontsize=7, ncols=2)
    save(fig, directory / localized("init-symmetry.png", lang))
