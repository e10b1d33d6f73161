"""Time the whole gradient by backprop (reverse mode) against forward mode and central differences, as N grows.

Usage::

    python benchmarks/modes_bench.py           # print the table, about a minute
    python benchmarks/modes_bench.py --write   # also write docs/img/modes-timing.txt and its Chinese twin
    python benchmarks/modes_bench.py --write --under-load   # and say that other jobs ran meanwhile

Networks [8, h, h, 1] with h = 4, 8, 16, 32 (tanh, tanh, sigmoid; bce), m = 64 samples, float64.
For each: one forward and one backward pass (``nn.forward_propagation`` and
``nn.backward_propagation``); forward mode, one forward pass and N tangent passes
(``nn.modes.forward_mode_gradient``); and central differences, 2N forward passes of the cost.
Each figure is the fastest of ``REPEATS`` runs that take turns: the time a run needs when
nothing else interrupts it, which a busy machine disturbs least. The table also gives the ratio
the derivation ``modes.cost`` counts, and the largest difference of each other gradient from
backprop's, so the timed runs are shown to compute the same thing.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nn  # noqa: E402
from derivations.modes import counts  # noqa: E402
from nn import modes  # noqa: E402
from nn.trace import _difference  # noqa: E402

WIDTHS, N0, M, NAMES = (4, 8, 16, 32), 8, 64, ["tanh", "tanh", "sigmoid"]
REPEATS, SEED, STEP = 7, 0, 1e-6
OUTPUT = ROOT / "docs" / "img" / "modes-timing"
HEADER = {
    "en": ["widths", "N", "backprop (ms)", "forward mode (ms)", "ratio", "central differences (ms)", "ratio",
           "counted ratio, forward / reverse mode", "forward mode − backprop, largest",
           "central differences − backprop, largest"],
    "zh": ["各层宽度", "N", "反向传播（毫秒）", "前向模式（毫秒）", "比值", "中心差分（毫秒）", "比值",
           "计数的比值（前向 / 反向模式）", "前向模式 − 反向传播，最大差", "中心差分 − 反向传播，最大差"],
}  # fmt: skip
SETTING = {
    "en": "m = {m}, tanh, tanh, sigmoid, bce, float64, one draw (seed {seed}); each time is the fastest of {r} runs, "
          "measured on {machine}{load}",
    "zh": "m = {m}，tanh、tanh、sigmoid，bce，float64，一次抽样（种子 {seed}）；每个时间是 {r} 次运行中最快的一次，"
          "在 {machine} 上{load}测得",
}  # fmt: skip

#: Said of a run made while other jobs used the machine (``--under-load``).
LOAD = {"en": " while other jobs ran (under load)", "zh": "与其他任务同时运行时（有负载）"}


def central_differences(X, Y, parameters) -> dict[str, np.ndarray]:
    """2N forward passes: (J(θ + h e_i) − J(θ − h e_i)) / 2h for every parameter."""

    def cost():
        return nn.compute_cost(nn.forward_propagation(X, parameters, NAMES)[0], Y)

    return {f"d{key}": _difference(cost, value, STEP) for key, value in parameters.items()}


def backprop(X, Y, parameters) -> dict[str, np.ndarray]:
    AL, cache = nn.forward_propagation(X, parameters, NAMES)
    return nn.backward_propagation(AL, Y, cache, parameters, NAMES)


def measure(width: int) -> list[str]:
    dims = [N0, width, width, 1]
    rng = np.random.default_rng(SEED)
    parameters = nn.initialize_parameters(dims, "xavier", seed=SEED)
    X = rng.normal(size=(N0, M))
    Y = (X[:1] * X[1:2] > 0).astype(float)
    runs = {
        "backprop": backprop,
        "forward": lambda X, Y, p: modes.forward_mode_gradient(X, Y, p, NAMES),
        "differences": central_differences,
    }
    times = {name: [] for name in runs}
    grads = {}
    for _ in range(REPEATS):
        for name, run in runs.items():
            start = time.perf_counter()
            grads[name] = run(X, Y, parameters)
            times[name].append(time.perf_counter() - start)
    ms = {name: min(values) * 1e3 for name, values in times.items()}
    difference = {
        name: max(float(np.max(np.abs(grads[name][key] - grads["backprop"][key]))) for key in grads[name])
        for name in ("forward", "differences")
    }
    count = counts(dims, M)
    return [
        str(dims), str(count["N"]), f"{ms['backprop']:.3g}", f"{ms['forward']:.3g}",
        f"{ms['forward'] / ms['backprop']:.0f}",
        f"{ms['differences']:.3g}", f"{ms['differences'] / ms['backprop']:.0f}",
        f"{count['forward mode'] / count['reverse mode']:.0f}", f"{difference['forward']:.1e}",
        f"{difference['differences']:.1e}",
    ]  # fmt: skip


def table(rows: list[list[str]], lang: str, machine: str, loaded: bool) -> str:
    load = LOAD[lang] if loaded else ""
    lines = [SETTING[lang].format(m=M, seed=SEED, r=REPEATS, machine=machine, load=load), ""]
    lines += ["| " + " | ".join(HEADER[lang]) + " |", "|" + "---|" * len(HEADER[lang])]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the tables into docs/img/")
    parser.add_argument("--under-load", action="store_true", help="say in the table that other jobs ran meanwhile")
    args = parser.parse_args()
    machine = f"{platform.machine()}, numpy {np.__version__}"
    rows = [measure(width) for width in WIDTHS]
    print(table(rows, "en", machine, args.under_load))
    if args.write:
        for lang, suffix in (("en", ".txt"), ("zh", ".zh.txt")):
            OUTPUT.with_name(OUTPUT.name + suffix).write_text(
                table(rows, lang, machine, args.under_load), encoding="utf-8"
            )


if __name__ == "__main__":
    main()
