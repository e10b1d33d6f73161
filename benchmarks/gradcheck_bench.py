"""Time nn.gradcheck.check against its budgets; prints figures, asserts nothing.

Run from the project root: ``python benchmarks/gradcheck_bench.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nn


def problem(layer_dims, m, activations, seed=0):
    rng = np.random.default_rng(seed)
    parameters = nn.initialize_parameters(layer_dims, "he", seed=seed)
    for l in range(1, len(layer_dims)):
        parameters[f"b{l}"] = rng.normal(size=parameters[f"b{l}"].shape) * 0.1
    X = rng.normal(size=(layer_dims[0], m))
    Y = rng.integers(0, 2, size=(layer_dims[-1], m)).astype(float)
    return parameters, X, Y, activations


def timed(label, parameters, X, Y, activations, mode, repeats=3):
    count = sum(value.size for value in parameters.values())
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        report = nn.gradcheck.check(parameters, X, Y, activations, mode=mode)
        best = min(best, time.perf_counter() - start)
    error = max(report.errors.values())
    print(f"{label:<44} {count:>9,} params  {mode:<11} {best:7.3f} s  passed={report.passed}  error={error:.1e}")


if __name__ == "__main__":
    timed(
        "[784, 1024, 256, 10] relu,relu,sigmoid m=64",
        *problem([784, 1024, 256, 10], 64, ["relu", "relu", "sigmoid"]),
        "directional",
    )
    timed("[20, 30, 10, 1] relu,tanh,sigmoid m=32", *problem([20, 30, 10, 1], 32, ["relu", "tanh", "sigmoid"]), "full")
    timed(
        "[20, 30, 10, 1] tanh,tanh,sigmoid m=32", *problem([20, 30, 10, 1], 32, ["tanh", "tanh", "sigmoid"]), "complex"
    )
