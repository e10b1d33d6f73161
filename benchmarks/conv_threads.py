"""Which of nn.conv's numpy calls keep a second Python thread waiting, and the layer on two threads without them.

Usage::

    python benchmarks/conv_threads.py             # about 20 seconds
    python benchmarks/conv_threads.py --rounds 5  # fewer rounds, a quick look

numpy makes a matrix product (``np.matmul``, and ``@``) as a generalized ufunc, and a generalized ufunc
lets other Python threads run only when its iteration has more than 500 steps
(``NPY_BEGIN_THREADS_THRESHOLDED`` in numpy/_core/include/numpy/ndarraytypes.h, given
``total_problem_size`` in ``PyUFunc_GeneralizedFunctionInternal``, numpy/_core/src/umath/ufunc_object.c):
the iterator runs over the loop dimensions and the output's core dimensions, so its steps are the output's
entries. A product with 500 entries or fewer holds Python's interpreter lock however many multiply-adds it
makes.

The first table times one float32 product at several output sizes, each with the same MULTIPLY_ADDS
(rows × columns × inner size, times the stack): one thread making it PRODUCTS times, then two Python
threads each making it PRODUCTS times at the same time; the speed-up is twice one thread's time over the two
threads'. The (8 × K) times (K × 16) product has the shape of ``conv_backward``'s dW products (128
entries); the stacked ones make the same product as 3 or 4 products of a third or a quarter of K each, in
one call. numpy's BLAS on one thread; each shape makes a block of ROUNDS rounds on one thread, then one on two
threads (started once per block), the shapes in turn, PASSES times; medians of all rounds.

The second table times the convolution benchmark's step (benchmarks/conv_bench.py: m = 64 images of
28 × 28 with 8 channels, 16 filters of 3 × 3, pad 1, stride 1; ``conv_forward`` + ``conv_backward``) in
float32, five ways (WAYS), then PyTorch's ``conv2d`` forward + backward (its default threads, as in
benchmarks/conv_products.py):

- nn.conv's layer, the 64 samples on one thread;
- the layer split in two halves of 32 samples (``Halves``), each block's dW made as one stacked product
  (its f² offsets and n samples at once, over a strided view of the padded input: f² n n_C_prev n_C
  entries, so the product lets the other thread run), the halves one after the other on one thread;
- the same on two threads, the second half on a thread started once;
- the same, with numpy's BLAS set to one thread and back by the layer itself, around each pass
  (threadpoolctl's ``ThreadpoolController.limit``), and on its default two threads outside;
- the same, but with db's product (the whole batch's, on the calling thread) made before the switch, on
  the BLAS's two threads.

In the first three, numpy's BLAS is held at one thread for the whole block. Each way makes blocks of ROUNDS
calls, each block after IDLE s of sleep (OpenBLAS's worker thread, woken by a product on two threads, waits
for work for a while before it sleeps), the five ways' blocks in turn PASSES times; its time is the median of
all its calls. Beside it, in brackets: the CPU time that the process's other threads (not the one or two
that run the layer: OpenBLAS's worker, when numpy's BLAS has two threads) spent during its blocks, per call.
Then numpy's BLAS on one large product (2048 × 2048 times 2048 × 2048, best of 5), on one thread and on two,
as in benchmarks/conv_products.py: whether the machine's second core was there for a product that fills
both. PyTorch runs last: ROUNDS calls after IDLE s.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import as_strided
from threadpoolctl import ThreadpoolController, threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from conv_products import C_PREV, PAD, C, F, M, _timed, arrays, layer, peak, thread_rounds, torch_ms  # noqa: E402

from nn import conv  # noqa: E402

ROUNDS = 21
#: each product's multiply-adds, rows × columns × inner size (× stack): the least common multiple of the output
#: sizes below, so that every shape's inner size is whole
MULTIPLY_ADDS = 8_064_000
#: each shape as (stack, rows, columns): an output of stack × rows × columns entries
SHAPES = ((1, 8, 16), (1, 16, 16), (1, 20, 25), (1, 21, 24), (1, 32, 16), (1, 64, 16), (3, 8, 16), (4, 8, 16))
PRODUCTS = 10  # per thread and round


def inner_size(stack, rows, columns) -> int:
    """The inner size K of a product of this shape with MULTIPLY_ADDS multiply-adds."""
    inner, rest = divmod(MULTIPLY_ADDS, stack * rows * columns)
    assert not rest, "MULTIPLY_ADDS is not a multiple of the output's entries"
    return inner


def product(stack, rows, columns, dtype="float32"):
    """A function that makes (rows × K) times (K × columns), stacked ``stack`` times, PRODUCTS times into
    one output, with K = ``inner_size(stack, rows, columns)``."""
    inner = inner_size(stack, rows, columns)
    rng = np.random.default_rng(0)
    left = rng.standard_normal((stack, rows, inner)).astype(dtype)
    right = rng.standard_normal((stack, inner, columns)).astype(dtype)
    if stack == 1:
        left, right = left[0], right[0]
    out = np.matmul(left, right)

    def make():
        for _ in range(PRODUCTS):
            np.matmul(left, right, out=out)

    return make


def scaling(rounds) -> list[tuple[float, float]]:
    """For each of SHAPES, one thread's median time for PRODUCTS products and two threads' (each making
    PRODUCTS at the same time), in ms; numpy's BLAS on one thread. Each shape makes a block of ``rounds`` rounds
    on one thread, then a block of ``rounds`` on two, the shapes in turn, PASSES times."""
    times = [([], []) for _ in SHAPES]
    with threadpool_limits(1):
        for _ in range(PASSES):
            for shape, (alone, both) in zip(SHAPES, times, strict=True):
                one = product(*shape)
                one()
                alone += [1e3 * _timed(one) for _ in range(rounds)]
                both += thread_rounds([product(*shape) for _ in range(2)], rounds)  # each thread its own output
    return [(statistics.median(alone), statistics.median(both)) for alone, both in times]


# --- the layer on two threads -------------------------------------------------------------------------


def forward_part(A_prev, filters, bias, Z, pad):
    """``conv_forward``'s products and additions (s = 1) for the samples of ``A_prev``, into ``Z``
    ``(samples, n_H n_W, n_C)``."""
    f, n_positions = len(filters), Z.shape[1]
    n_H = A_prev.shape[1] + 2 * pad - f + 1
    n_W = A_prev.shape[2] + 2 * pad - f + 1
    share = np.empty((min(len(A_prev), conv.BLOCK), n_positions, Z.shape[2]), Z.dtype)
    for i, rows in conv._window_rows(A_prev, f, 1, pad, n_H, n_W):
        n = len(rows[0])
        Z_block = np.matmul(rows[0], filters[0], out=Z[i : i + n])
        for a in range(1, f):
            Z_block += np.matmul(rows[a], filters[a], out=share[:n])
        flat = Z_block.reshape(n, -1)
        flat += bias


def backward_part(A_prev, dZ, W, pad, dA_prev, dW):
    """``conv_backward``'s dA_prev (into ``dA_prev``) and dW (into ``dW``) at s = 1 for the samples of
    ``A_prev``, laid out as it lays them out (``_channels_first``), but with each block's dW made as one
    stacked product: (f, f, n, n_C_prev, P') times (n, P', n_C), where the left operand is a strided view of
    the padded input (entry (a, b, j, k, x) is channel k at position a W_p + b + x of sample j) and the
    right one is dZ at the first P' = H_p W_p − M positions of each sample (every window's (h, w)); then
    summed over the block's samples."""
    f, k, c = W.shape[0], W.shape[2], W.shape[3]
    H_p, W_p = A_prev.shape[1] + 2 * pad, A_prev.shape[2] + 2 * pad
    P, flipped = H_p * W_p, W[::-1, ::-1]
    parts = np.empty((f, f, min(len(A_prev), conv.BLOCK), k, c), dW.dtype)
    dW[...] = 0
    for i, n, A_pad, dZ_full in conv._channels_first(A_prev, dZ, f, pad):
        L, margin = n * P, dZ_full.shape[1] - A_pad.shape[1]
        step = A_pad.itemsize
        windows = as_strided(
            A_pad, (f, f, n, k, P - margin), (W_p * step, step, P * step, A_pad.strides[0], step), writeable=False
        )
        corners = dZ_full[:, margin : margin + L].reshape(c, n, P)[:, :, : P - margin].transpose(1, 2, 0)
        np.matmul(windows, corners, out=parts[:, :, :n])
        dW += parts[:, :, :n].sum(axis=2)
        dA_pad = None
        for a in range(f):
            for b in range(f):
                o = a * W_p + b
                share = flipped[a, b] @ dZ_full[:, o : o + L]
                dA_pad = share if dA_pad is None else np.add(dA_pad, share, out=dA_pad)
        dA_pad = dA_pad.reshape(-1, n, H_p, W_p)[:, :, pad : pad + H_p - 2 * pad, pad : pad + W_p - 2 * pad]
        dA_prev[i : i + n] = dA_pad.transpose(1, 2, 3, 0)


class Halves:
    """The layer at s = 1 with the batch split in two halves: the first on the calling thread, the second on
    ``pool``'s thread (or after the first, on the calling thread, when ``pool`` is None). With ``switch``,
    numpy's BLAS is set to one thread around each pass and back; db's product (the whole batch's, on the
    calling thread) is made inside that, or with ``db_first`` before it, on the BLAS's default threads."""

    def __init__(self, pool=None, switch=False, db_first=False):
        self.pool, self.db_first = pool, db_first
        self.limit = ThreadpoolController().limit if switch else None

    def _both(self, part, first, second):
        if self.pool is None:
            part(*first)
            part(*second)
        else:
            other = self.pool.submit(part, *second)
            part(*first)
            other.result()

    def _limited(self):
        return self.limit(limits=1, user_api="blas") if self.limit else contextlib.nullcontext()

    def forward(self, A_prev, W, b, pad):
        m, H, Wd, _ = A_prev.shape
        f, n_C = W.shape[0], W.shape[3]
        n_H, n_W = H + 2 * pad - f + 1, Wd + 2 * pad - f + 1
        filters, bias = W.reshape(f, -1, n_C), np.tile(b.reshape(n_C), n_H * n_W)
        Z = np.empty((m, n_H * n_W, n_C), np.result_type(A_prev, W, b))
        h = m // 2
        with self._limited():
            self._both(forward_part, (A_prev[:h], filters, bias, Z[:h], pad), (A_prev[h:], filters, bias, Z[h:], pad))
        return Z.reshape(m, n_H, n_W, n_C)

    def backward(self, A_prev, W, dZ, pad):
        m, n_C = len(A_prev), W.shape[3]
        h = m // 2
        dA_prev = np.empty(A_prev.shape, np.result_type(A_prev, dZ, W))
        dWs = np.empty((2, *W.shape), dA_prev.dtype)

        def db():
            return (np.ones(dZ.size // n_C, dZ.dtype) @ dZ.reshape(-1, n_C)).reshape(1, 1, 1, n_C)

        summed = db() if self.db_first else None
        with self._limited():
            summed = db() if summed is None else summed
            first = (A_prev[:h], dZ[:h], W, pad, dA_prev[:h], dWs[0])
            self._both(backward_part, first, (A_prev[h:], dZ[h:], W, pad, dA_prev[h:], dWs[1]))
        return dA_prev, dWs[0] + dWs[1], summed


def halves_step(halves, A_prev, W, dZ):
    """The step as ``halves`` makes it: Z, dA_prev, dW and db."""
    b = np.zeros((1, 1, 1, C), A_prev.dtype)

    def make():
        Z = halves.forward(A_prev, W, b, PAD)
        return Z, *halves.backward(A_prev, W, dZ, PAD)

    return make


def _cpu_ns(tids) -> int:
    """The CPU time, in ns, that the process's threads other than ``tids`` have run."""
    total = 0
    for task in Path("/proc/self/task").iterdir():
        if int(task.name) not in tids:
            try:
                total += int((task / "schedstat").read_text().split()[0])
            except (FileNotFoundError, ProcessLookupError):  # a thread that ended meanwhile
                pass
    return total


def block(step, rounds, tids) -> tuple[list[float], float]:
    """After IDLE s of sleep, ``rounds`` calls of ``step``: their times in ms, and the CPU time, in ms, that
    the threads not in ``tids`` spent meanwhile."""
    time.sleep(IDLE)
    step()
    before = _cpu_ns(tids)
    times = [1e3 * _timed(step) for _ in range(rounds)]
    return times, (_cpu_ns(tids) - before) / 1e6


#: the layer's ways: None for nn.conv's layer, else the arguments of Halves; the first HELD with numpy's BLAS
#: held at one thread
WAYS = {
    "nn.conv, one thread": None,
    "halves, one thread": {},
    "halves, two threads": {"pool": True},
    "two threads, BLAS switched per pass": {"pool": True, "switch": True},
    "the same, db's product before the switch": {"pool": True, "switch": True, "db_first": True},
}
HELD = 3
PASSES = 3
IDLE = 0.5  # s of sleep before each block


def layer_times(rounds) -> list[tuple[float, float]]:
    """Each of WAYS's median time and the other threads' CPU time per call, in ms, in float32: each way a
    block of ``rounds`` calls, the ways in turn, PASSES times."""
    A_prev, W, dZ = arrays("float32")
    with ThreadPoolExecutor(1) as pool:
        ours = {threading.get_native_id(), pool.submit(threading.get_native_id).result()}
        steps = [
            layer(A_prev, W, dZ)
            if way is None
            else halves_step(Halves(**{**way, "pool": pool if way.get("pool") else None}), A_prev, W, dZ)
            for way in WAYS.values()
        ]
        times, cpu = [[] for _ in steps], [0.0] * len(steps)
        for _ in range(PASSES):
            for i, step in enumerate(steps):
                with threadpool_limits(1) if i < HELD else contextlib.nullcontext():
                    these, spent = block(step, rounds, ours)
                times[i] += these
                cpu[i] += spent
    return [(statistics.median(these), spent / len(these)) for these, spent in zip(times, cpu, strict=True)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"rounds per median (default {ROUNDS})")
    rounds = parser.parse_args().rounds
    print(
        f"One float32 product of {MULTIPLY_ADDS / 1e6:.3f} million multiply-adds, {PRODUCTS} per thread and round: "
        f"medians of {PASSES} × {rounds} rounds, ms"
    )
    print("| output entries | shape | one thread | two threads | speed-up |")
    print("|---|---|---|---|---|")
    for (stack, rows, columns), (one, two) in zip(SHAPES, scaling(rounds), strict=True):
        inner = inner_size(stack, rows, columns)
        shape = f"({rows} × {inner}) @ ({inner} × {columns})"
        if stack > 1:
            shape = f"({stack}, {rows}, {inner}) @ ({stack}, {inner}, {columns})"
        print(f"| {stack * rows * columns} | {shape} | {one:.2f} | {two:.2f} | {2 * one / two:.2f} |")
    print()
    print(
        f"m = {M}, 28 × 28, {C_PREV} → {C} channels, f = {F}, pad {PAD}, stride 1, float32, forward + backward: "
        f"medians of {PASSES} × {rounds} rounds, ms (in brackets, the other threads' CPU time per round, ms)"
    )
    print(f"| {' | '.join(WAYS)} | 2048² product, one thread, two (GFLOP/s) | PyTorch fwd + bwd |")
    print("|---" * (len(WAYS) + 2) + "|")
    cells = [f"{ms:.2f} ({cpu:.2f})" for ms, cpu in layer_times(rounds)]
    cells.append(f"{peak('float32', 1):.0f}, {peak('float32', 2):.0f}")
    time.sleep(IDLE)
    peer = torch_ms("float32", rounds)
    print(f"| {' | '.join(cells)} | {'—' if peer is None else f'{peer:.2f}'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
