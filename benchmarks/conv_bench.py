"""Time nn.conv's convolution and pooling, forward + backward, against PyTorch on the CPU, in one process.

Usage::

    python benchmarks/conv_bench.py              # a few seconds; each library with its default threads
    python benchmarks/conv_bench.py --threads 1  # numpy's OpenBLAS and PyTorch both on one thread
    python benchmarks/conv_bench.py --alone      # each library's rounds in a stretch of their own

The convolution: m = 64 images of 28 × 28 with 8 channels, 16 filters of 3 × 3, pad 1, stride 1,
in float32 and in float64. nn's ``conv_forward`` then ``conv_backward`` against PyTorch's
``conv2d`` forward then ``backward()`` through autograd (gradients of the input, the filters and
the bias, as nn computes them), each from arrays of the course's layout (PyTorch's are made once,
in its own layout, outside the timing). The pooling layers: 2 × 2 windows, stride 2, on
m = 64 maps of 28 × 28 × 16, max and average, forward + backward, against ``max_pool2d`` and
``avg_pool2d``. The convolution is also timed part by part: nn's ``conv_forward`` and
``conv_backward`` on their own (and ``conv_backward`` at stride 2, pad 1, which works by phase),
PyTorch's forward pass (without autograd) and its forward + backward.
nn's peak memory in the convolution is measured with tracemalloc.

Every time is the median of ROUNDS runs. By default the libraries take turns within each round,
so that a machine whose speed drifts slows both sides over the same stretch of time; but taking
turns with numpy slowed PyTorch on its default threads, to up to 5.5 times its time alone (see
the performance page). ``--alone`` runs all of one
library's rounds, then all of the other's: each at its best on an idle machine, and the
comparison open to drift instead. The ratio is nn's time over PyTorch's (≤ 1: nn is at least as
fast). PyTorch is optional: without it only nn's times are printed. ``--threads N`` limits
numpy's BLAS (through threadpoolctl, which scikit-learn installs) and PyTorch to N threads each;
on a machine busy with other work, one thread each compares the two libraries' work rather than
how their threads share the cores.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nn import conv  # noqa: E402

ROUNDS = 15
M, N, C_PREV, C, F = 64, 28, 8, 16, 3
HPARAMETERS = {"stride": 1, "pad": 1}
STRIDED = {"stride": 2, "pad": 1}  # the part-by-part table's conv_backward at s > 1
POOL = {"f": 2, "stride": 2}

try:
    import torch
except ImportError:  # PyTorch is an optional oracle
    torch = None


def timed(step) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def medians(steps: dict, alone: bool = False) -> dict:
    """Each step's median time over ROUNDS rounds, the steps taking turns within a round (one warm-up round first);
    ``alone``: each step's rounds one after another, the next step's after them."""
    if alone:
        return {name: medians({name: step})[name] for name, step in steps.items()}
    times = {name: [] for name in steps}
    for round_ in range(ROUNDS + 1):
        for name, step in steps.items():
            elapsed = timed(step)
            if round_:
                times[name].append(elapsed)
    return {name: statistics.median(values) for name, values in times.items()}


def conv_arrays(dtype) -> tuple:
    """The convolution's A_prev, W, b and an upstream dZ, in the course's layout."""
    rng = np.random.default_rng(0)
    A_prev = rng.normal(size=(M, N, N, C_PREV)).astype(dtype)
    W, b = rng.normal(size=(F, F, C_PREV, C)).astype(dtype), rng.normal(size=(1, 1, 1, C)).astype(dtype)
    return A_prev, W, b, rng.normal(size=(M, N, N, C)).astype(dtype)


def conv_steps(dtype) -> dict:
    A_prev, W, b, dZ = conv_arrays(dtype)

    def numpy_step():
        _, cache = conv.conv_forward(A_prev, W, b, HPARAMETERS)
        conv.conv_backward(dZ, cache)

    steps = {"nn.conv": numpy_step}
    if torch is not None:
        x = torch.tensor(A_prev.transpose(0, 3, 1, 2).copy(), requires_grad=True)
        w = torch.tensor(W.transpose(3, 2, 0, 1).copy(), requires_grad=True)
        bias = torch.tensor(b.ravel().copy(), requires_grad=True)
        upstream = torch.tensor(dZ.transpose(0, 3, 1, 2).copy())

        def torch_step():
            x.grad = w.grad = bias.grad = None
            z = torch.nn.functional.conv2d(x, w, bias, stride=1, padding=1)
            z.backward(upstream)

        steps["PyTorch conv2d"] = torch_step
    return steps


def part_steps(dtype) -> dict:
    """nn's conv_forward and conv_backward on their own, and PyTorch's forward pass without autograd beside
    its forward + backward: where each library's time goes."""
    A_prev, W, b, dZ = conv_arrays(dtype)
    _, cache = conv.conv_forward(A_prev, W, b, HPARAMETERS)
    Z, strided = conv.conv_forward(A_prev, W, b, STRIDED)
    dZ_strided = np.ascontiguousarray(dZ[:, : Z.shape[1], : Z.shape[2]])
    steps = {
        "conv_forward": lambda: conv.conv_forward(A_prev, W, b, HPARAMETERS),
        "conv_backward": lambda: conv.conv_backward(dZ, cache),
        "conv_backward, s = 2": lambda: conv.conv_backward(dZ_strided, strided),
    }
    if torch is not None:
        x = torch.tensor(A_prev.transpose(0, 3, 1, 2).copy())
        w, bias = torch.tensor(W.transpose(3, 2, 0, 1).copy()), torch.tensor(b.ravel().copy())

        def torch_forward():
            with torch.no_grad():
                torch.nn.functional.conv2d(x, w, bias, stride=1, padding=1)

        steps["PyTorch forward"] = torch_forward
        steps["PyTorch forward + backward"] = conv_steps(dtype)["PyTorch conv2d"]
    return steps


def peaks(dtype) -> tuple:
    """The most memory (MB) nn's conv_forward, then conv_backward, hold at once besides their inputs
    (tracemalloc, which numpy's arrays report to), and the size of what each returns."""
    A_prev, W, b, dZ = conv_arrays(dtype)
    tracemalloc.start()
    try:
        Z, cache = conv.conv_forward(A_prev, W, b, HPARAMETERS)
        forward = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        held = tracemalloc.get_traced_memory()[0]
        grads = conv.conv_backward(dZ, cache)
        backward = tracemalloc.get_traced_memory()[1] - held
    finally:
        tracemalloc.stop()
    return forward / 1e6, Z.nbytes / 1e6, backward / 1e6, sum(g.nbytes for g in grads) / 1e6


def pool_steps(mode) -> dict:
    rng = np.random.default_rng(1)
    A_prev = rng.normal(size=(M, N, N, C)).astype(np.float32)
    dA = rng.normal(size=(M, N // 2, N // 2, C)).astype(np.float32)

    def numpy_step():
        _, cache = conv.pool_forward(A_prev, POOL, mode)
        conv.pool_backward(dA, cache, mode)

    steps = {f"nn.conv {mode}": numpy_step}
    if torch is not None:
        x = torch.tensor(A_prev.transpose(0, 3, 1, 2).copy(), requires_grad=True)
        upstream = torch.tensor(dA.transpose(0, 3, 1, 2).copy())
        pool = torch.nn.functional.max_pool2d if mode == "max" else torch.nn.functional.avg_pool2d

        def torch_step():
            x.grad = None
            pool(x, 2, 2).backward(upstream)

        steps[f"PyTorch {mode}"] = torch_step
    return steps


def limited(threads):
    """A context in which numpy's BLAS and PyTorch use at most ``threads`` threads (None: their defaults)."""
    if threads is None:
        return contextlib.nullcontext()
    from threadpoolctl import threadpool_limits

    if torch is not None:
        torch.set_num_threads(threads)
    return threadpool_limits(threads)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, help="threads for numpy's BLAS and for PyTorch (default: theirs)")
    parser.add_argument("--alone", action="store_true", help="each library's rounds apart, not taking turns")
    args = parser.parse_args()
    with limited(args.threads):
        report(args.threads, args.alone)
    return 0


def report(threads, alone=False) -> None:
    print("threads: each library's default" if threads is None else f"threads: {threads} for numpy's BLAS and PyTorch")
    print("rounds: each library's apart" if alone else "rounds: the libraries taking turns")
    print(f"convolution forward + backward, m = {M}, {N} × {N}, {C_PREV} → {C} channels, f = {F}, pad 1, stride 1")
    print("| dtype | nn.conv | PyTorch conv2d + autograd | ratio |")
    print("|---|---|---|---|")
    for dtype in (np.float32, np.float64):
        times = medians(conv_steps(dtype), alone)
        ours, theirs = times["nn.conv"], times.get("PyTorch conv2d")
        ratio = f"{ours / theirs:.2f}" if theirs else "—"
        print(f"| {np.dtype(dtype).name} | {ours * 1e3:.1f} ms | {theirs * 1e3:.1f} ms | {ratio} |" if theirs
              else f"| {np.dtype(dtype).name} | {ours * 1e3:.1f} ms | — | — |")  # fmt: skip
    print()
    print("the convolution part by part")
    names = list(part_steps(np.float32))
    print(f"| dtype | {' | '.join(names)} |")
    print(f"|---|{'---|' * len(names)}")
    for dtype in (np.float32, np.float64):
        times = medians(part_steps(dtype), alone)
        print(f"| {np.dtype(dtype).name} | {' | '.join(f'{times[name] * 1e3:.2f} ms' for name in names)} |")
    print()
    print("nn.conv's peak memory besides its inputs (tracemalloc), and what it returns")
    print("| dtype | conv_forward | Z | conv_backward | dA_prev, dW, db |")
    print("|---|---|---|---|---|")
    for dtype in (np.float32, np.float64):
        cells = " | ".join(f"{size:.1f} MB" for size in peaks(dtype))
        print(f"| {np.dtype(dtype).name} | {cells} |")
    print()
    print(f"pooling forward + backward, float32, m = {M}, {N} × {N} × {C}, f = 2, stride 2")
    print("| mode | nn.conv | PyTorch | ratio |")
    print("|---|---|---|---|")
    for mode in conv.POOL_MODES:
        times = medians(pool_steps(mode), alone)
        ours, theirs = times[f"nn.conv {mode}"], times.get(f"PyTorch {mode}")
        print(f"| {mode} | {ours * 1e3:.1f} ms | {theirs * 1e3:.1f} ms | {ours / theirs:.2f} |" if theirs
              else f"| {mode} | {ours * 1e3:.1f} ms | — | — |")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
