"""Time nn.gradcheck.check against its budgets; prints figures, asserts nothing.

Run from the project root: ``python benchmarks/gradcheck_bench.py``. Each line is the best of
three runs: passing checks, and failing ``directional`` checks on the 1M-parameter network, whose
backward pass forgets the 1/m of one dW (the narrowing then has to find the block and an entry).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nn

#: The networks the budgets name (README.md): the directional check's, about 1M parameters, and the full check's.
LARGE = [784, 1024, 256, 10]
SMALL = [20, 30, 10, 1]


def problem(layer_dims, m, activations, seed=0):
    rng = np.random.default_rng(seed)
    parameters = nn.initialize_parameters(layer_dims, "he", seed=seed)
    for l in range(1, len(layer_dims)):
        parameters[f"b{l}"] = rng.normal(size=parameters[f"b{l}"].shape) * 0.1
    X = rng.normal(size=(layer_dims[0], m))
    Y = rng.integers(0, 2, size=(layer_dims[-1], m)).astype(float)
    return parameters, X, Y, activations


def missing_one_over_m(key):
    """nn's backward pass with d``key`` not divided by m."""

    def backward(AL, Y, cache, parameters, activations, loss):
        grads = nn.backward_propagation(AL, Y, cache, parameters, activations, loss)
        grads[f"d{key}"] = grads[f"d{key}"] * AL.shape[1]
        return grads

    return backward


def timed(label, parameters, X, Y, activations, mode, repeats=3, **options):
    count = sum(value.size for value in parameters.values())
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        report = nn.gradcheck.check(parameters, X, Y, activations, mode=mode, **options)
        best = min(best, time.perf_counter() - start)
    error = max(report.errors.values())
    found = f"  found {report.worst[0]}{list(report.worst[1])}" + (" by bisection" if report.bisected else "")
    print(
        f"{label:<44} {count:>9,} params  {mode:<11} {best:7.3f} s  passed={report.passed}  error={error:.1e}"
        + ("" if report.passed else found)
    )


if __name__ == "__main__":
    large = problem(LARGE, 64, ["relu", "relu", "sigmoid"])
    timed(f"{LARGE} relu,relu,sigmoid m=64", *large, "directional")
    for key in ("W3", "W1"):
        timed(f"  the same, d{key} without 1/m", *large, "directional", backward=missing_one_over_m(key))
    timed(f"{SMALL} relu,tanh,sigmoid m=32", *problem(SMALL, 32, ["relu", "tanh", "sigmoid"]), "full")
    timed(f"{SMALL} tanh,tanh,sigmoid m=32", *problem(SMALL, 32, ["tanh", "tanh", "sigmoid"]), "complex")
