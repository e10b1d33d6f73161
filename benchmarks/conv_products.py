"""Time the matrix products that nn.conv's convolution makes, alone, and whether a second core can share them.

Usage::

    python benchmarks/conv_products.py            # float32 and float64, about half a minute
    python benchmarks/conv_products.py --rounds 5 # fewer rounds, a quick look

The shape is the convolution benchmark's (benchmarks/conv_bench.py): m = 64 images of 28 × 28 with
8 channels, 16 filters of 3 × 3, pad 1, stride 1. The products are nn.conv's own: the operands are
the views that ``conv_forward`` and ``conv_backward`` build for their first block of samples (taken
from the same generators, ``_window_rows`` and ``_channels_first``), and one call's products are
that block's products made m / BLOCK times, each into its own output buffer. Nothing else of the
layer is timed (no copies, no additions), so the products' time is a floor under the whole layer's
on one core.

The products are then shared out three ways, with numpy's BLAS on one thread in each worker:

- one thread makes all of them;
- two Python threads, started once, make half each at the same time in every round;
- two processes each make all of them, at the same time (each process's time is reported: the same
  as one thread's means the two cores did twice the work in that time).

With PyTorch installed, its ``conv2d`` forward + backward (the convolution benchmark's step, on its
default threads, rounds apart) is timed last for comparison.

A second table asks the same of the whole layer, copies and additions included: ``conv_forward`` +
``conv_backward`` on the 64 samples on one thread, then the batch split in two halves of 32, one half
per thread (two Python threads in this process, started once) and one half per process (two processes
at once). Beside it, the rate of numpy's BLAS on one large square product (2048 × 2048 times
2048 × 2048, best of 5) on one thread and on two: whether the machine's second core is there for a
product that fills both. Every time is the median of ROUNDS runs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nn import conv  # noqa: E402

M, N, C_PREV, C, F, PAD = 64, 28, 8, 16, 3, 1
ROUNDS = 15


def arrays(dtype) -> tuple:
    """A_prev, W and dZ of the benchmark's shape."""
    rng = np.random.default_rng(0)
    shapes = ((M, N, N, C_PREV), (F, F, C_PREV, C), (M, N, N, C))
    return tuple(rng.standard_normal(shape).astype(dtype) for shape in shapes)


def operands(A_prev, W, dZ) -> tuple:
    """The first block's product operands, as ``conv_forward`` and ``conv_backward`` (s = 1) make them: a list
    of (left, right) pairs, the forward pass's f (one per row a of a window, stacked over the block's samples)
    then dW[a, b]'s and offset (a, b)'s share of dA_pad for each offset in reading order; and the generators
    that own the buffers the views are into (kept alive with them)."""
    forward = conv._window_rows(A_prev, F, 1, PAD, N, N)
    _, rows = next(forward)
    filters = W.reshape(F, -1, C)
    products = [(rows[a], filters[a]) for a in range(F)]  # conv_forward: row a of every window, one product per sample
    backward = conv._channels_first(A_prev, dZ, F, PAD)
    _, n, A_pad, dZ_full = next(backward)
    W_p = N + 2 * PAD
    L, margin = n * W_p * W_p, dZ_full.shape[1] - A_pad.shape[1]
    dZ_grid, flipped = dZ_full[:, margin:L], W[::-1, ::-1]
    for a in range(F):
        for b in range(F):
            o = a * W_p + b
            products.append((A_pad[:, o : o + dZ_grid.shape[1]], dZ_grid.T))  # dW[a, b]
            products.append((flipped[a, b], dZ_full[:, o : o + L]))  # offset (a, b)'s share of dA_pad
    return products, (forward, backward)


def size(products, blocks) -> tuple[int, int]:
    """How many matrix products ``blocks`` times the block's make (a stacked product counts once per
    sample), and their floating-point operations (2 per multiply-add)."""
    count = blocks * sum(int(np.prod(left.shape[:-2], dtype=int)) for left, _ in products)
    flops = 2 * blocks * sum(left.size * right.shape[-1] for left, right in products)
    return count, flops


def maker(products, blocks):
    """A function that makes ``blocks`` times the block's products, each into an output buffer of its own."""
    outs = [np.empty((*left.shape[:-1], right.shape[-1]), left.dtype) for left, right in products]

    def make():
        for _ in range(blocks):
            for (left, right), out in zip(products, outs, strict=True):
                np.matmul(left, right, out=out)

    return make


def median_ms(step, rounds) -> float:
    return 1e3 * statistics.median([_timed(step) for _ in range(rounds)])


def in_threads(makers, rounds) -> float:
    """The median of ``rounds`` rounds in which the threads, started once, each run their maker once, all
    starting together: a round lasts from the first thread's start to the last thread's end, each thread
    reading the clock itself (a thread that only watched would first wait for Python's interpreter lock)."""
    return statistics.median(thread_rounds(makers, rounds))


def thread_rounds(makers, rounds) -> list[float]:
    """Each round's time in ms, the rounds as :func:`in_threads` runs them."""
    start = threading.Barrier(len(makers))
    spans = [[] for _ in makers]

    def work(make, mine):
        for _ in range(rounds):
            start.wait()
            began = time.perf_counter()
            make()
            mine.append((began, time.perf_counter()))

    threads = [threading.Thread(target=work, args=pair) for pair in zip(makers, spans, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    each_round = zip(*spans, strict=True)  # the threads' (start, end) in one round
    return [1e3 * (max(e for _, e in one) - min(b for b, _ in one)) for one in each_round]


def _process(make, rounds, barrier, results):
    with threadpool_limits(1):
        make()
        times = []
        for _ in range(rounds):
            barrier.wait()  # the two processes start each round together
            start = time.perf_counter()
            make()
            times.append(time.perf_counter() - start)
    results.put(1e3 * statistics.median(times))


def in_processes(makes, rounds) -> list:
    """Each process's median time when ``makes[i]`` runs in process i, all processes starting each round
    together, BLAS on one thread in each; sorted. The processes are forked, so each gets a copy of its
    maker's arrays."""
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(makes)), context.Queue()
    workers = [context.Process(target=_process, args=(make, rounds, barrier, results)) for make in makes]
    for worker in workers:
        worker.start()
    times = sorted(results.get() for _ in workers)
    for worker in workers:
        worker.join()
    return times


def layer(A_prev, W, dZ):
    """The convolution benchmark's step on these samples: ``conv_forward`` then ``conv_backward``; it returns
    Z, dA_prev, dW and db."""
    b = np.zeros((1, 1, 1, C), A_prev.dtype)
    hparameters = {"stride": 1, "pad": PAD}

    def make():
        Z, cache = conv.conv_forward(A_prev, W, b, hparameters)
        return Z, *conv.conv_backward(dZ, cache)

    return make


def halves(A_prev, W, dZ) -> list:
    """The step on the first 32 samples and on the last 32, as two makers."""
    return [layer(A_prev[part], W, dZ[part]) for part in (slice(None, M // 2), slice(M // 2, None))]


def peak(dtype, threads, n=2048) -> float:
    """GFLOP/s of numpy's BLAS on ``threads`` threads making one n × n times n × n product, best of 5."""
    a = np.random.default_rng(0).standard_normal((n, n)).astype(dtype)
    out = np.empty_like(a)
    with threadpool_limits(threads):
        np.matmul(a, a, out=out)
        best = min(_timed(lambda: np.matmul(a, a, out=out)) for _ in range(5))
    return 2 * n**3 / best / 1e9


def _timed(step) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def torch_ms(dtype, rounds) -> float | None:
    try:
        import torch  # imported here: it takes about a second, and the tests import this module
    except ImportError:  # PyTorch is an optional peer
        return None
    rng = np.random.default_rng(0)
    A = torch.tensor(rng.standard_normal((M, C_PREV, N, N)).astype(dtype), requires_grad=True)
    W = torch.tensor(rng.standard_normal((C, C_PREV, F, F)).astype(dtype), requires_grad=True)
    b = torch.tensor(rng.standard_normal(C).astype(dtype), requires_grad=True)
    dZ = torch.tensor(rng.standard_normal((M, C, N, N)).astype(dtype))

    def step():
        A.grad = W.grad = b.grad = None
        torch.nn.functional.conv2d(A, W, b, padding=PAD).backward(dZ)

    step()
    return median_ms(step, rounds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"rounds per median (default {ROUNDS})")
    rounds = parser.parse_args().rounds
    blocks = M // conv.BLOCK
    print(f"m = {M}, {N} × {N}, {C_PREV} → {C} channels, f = {F}, pad {PAD}, stride 1: medians of {rounds} rounds, ms")
    print("| dtype | products | one thread | two threads | two processes (each) | PyTorch fwd + bwd |")
    print("|---|---|---|---|---|---|")
    for dtype in ("float32", "float64"):
        products, _owners = operands(*arrays(dtype))
        count, flops = size(products, blocks)
        with threadpool_limits(1):
            one = median_ms(maker(products, blocks), rounds)
            shares = [maker(products, blocks // 2) for _ in range(2)]  # each thread its own outputs
            two = in_threads(shares, rounds)
        each = in_processes([maker(products, blocks)] * 2, rounds)
        peer = torch_ms(dtype, rounds)
        print(
            f"| {dtype} | {count} ({flops / 1e6:.0f} MFLOP) | {one:.2f} ({flops / one / 1e6:.0f} GFLOP/s) | {two:.2f} "
            f"| {each[0]:.2f}, {each[1]:.2f} | {'—' if peer is None else f'{peer:.2f}'} |"
        )
    print()
    print(f"The whole layer, conv_forward + conv_backward: medians of {rounds} rounds, ms; a large product: GFLOP/s")
    print(
        "| dtype | 64 samples, one thread | 32 each, two threads | 32 each, two processes (each) "
        "| 2048² product, one thread | two threads |"
    )
    print("|---|---|---|---|---|---|")
    for dtype in ("float32", "float64"):
        A_prev, W, dZ = arrays(dtype)
        with threadpool_limits(1):
            whole = layer(A_prev, W, dZ)
            whole()
            one = median_ms(whole, rounds)
            two = in_threads(halves(A_prev, W, dZ), rounds)
        each = in_processes(halves(A_prev, W, dZ), rounds)
        print(
            f"| {dtype} | {one:.2f} | {two:.2f} | {each[0]:.2f}, {each[1]:.2f} "
            f"| {peak(dtype, 1):.0f} | {peak(dtype, 2):.0f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
