"""Time the matrix products that nn.conv's convolution makes, alone, and whether a second core can share them.

Usage::

    python benchmarks/conv_products.py            # float32 and float64, about half a minute
    python benchmarks/conv_products.py --rounds 5 # fewer rounds, a quick look
    python benchmarks/conv_products.py --floor    # the products in every layout's shapes, and the copies

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

``--floor`` asks what the layer's arithmetic could take in the fastest shapes a layout gives its products, not
only in nn.conv's. Each way of making Z, dW or dA_prev (im2col with 72 or 144 columns, channels last or first;
nn.conv's rows of 24 columns; products on shifted runs of the padded positions, one per offset or all the
filters at once; col2im), on the whole batch at once or in blocks of 8 samples, has its products timed from
operands already laid out for all 64 samples, on numpy's default BLAS threads and on one thread; beside them, the
work after its products (adding shares, turning a channels-first result round) and each copy it reads (im2col
of A_prev or of dZ, the channels-first layouts). The floor in a setting is the fastest three ways, one per
gradient, counting their products, their work after the products and the copies they read (a copy that two
ways read counted once); PyTorch's forward + backward, on its default threads, is timed after them. Nothing is
counted for b, db, or the copies' allocation (the buffers are made once), so the floor is below any layer that
makes its products in these layouts.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import multiprocessing
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
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


# The floor: the layer's products in the fastest shapes a layout gives them, and what that layout costs.

Q = F - 1 - PAD  # dZ's padding for dA_prev, a correlation of dZ with the flipped filters (s = 1)
H_P = N + 2 * PAD  # the padded input's height and width, and dZ's padded by Q
MARGIN = (F - 1) * (H_P + 1)  # the last entry of a window, as a run of positions from its first
WINDOWS = N * N  # windows per sample
PARTS = (1, conv.BLOCK)  # a way's products made on the whole batch at once, or on m / PARTS samples at a time


def windows(grid, first: bool):
    """Every window of a padded ``grid``, a view: of ``(m, H_p, W_p, e)`` (channels last) as ``(m, n, n, f, f e)``,
    row a of window (h, w) its f positions' f e entries; of ``(e, m, H_p, W_p)`` (channels first) as
    ``(f, f, e, m, n, n)``. Copied out, they are im2col's rows (or columns). For the channels-last im2col of A_prev,
    one ``np.copyto`` of this view was the fastest copy tried (against one assignment per offset or per row a, for
    the whole batch or 8 samples at a time; float32 and float64, one run on the idle machine)."""
    if first:
        return sliding_window_view(grid, (F, F), axis=(2, 3)).transpose(4, 5, 0, 1, 2, 3)
    m, H_p, W_p, e = grid.shape
    return sliding_window_view(grid.reshape(m, H_p, W_p * e), (F, F * e), axis=(1, 2))[:, :, ::e]


def layouts(A_prev, dZ) -> dict:
    """Every copy a way below reads, each into a buffer made once (the zeros of a border written once, outside
    the timing, as a layer would keep its buffers): {name: (copy, buffer)}, the copy a function of no arguments.

    dZ is laid out once each way, channels last and first, at its windows' top-left corners on the padded
    input's positions after MARGIN zeros: the same buffer from Q (H_P + 1) positions earlier is dZ padded by Q,
    so the im2col of dZ reads it (a view) and copies only its windows."""
    m, n, k, c, f = len(A_prev), N, C_PREV, C, F
    dtype, positions = A_prev.dtype, m * H_P * H_P  # the padded positions of all the samples
    A_pad = np.zeros((positions + MARGIN, k), dtype)  # the padded samples, one row per position, then MARGIN zeros
    A_first = np.zeros((k, positions), dtype)  # channels first, one column per position (conv_backward's)
    dZ_last = np.zeros((MARGIN + positions, c), dtype)  # dZ at its windows' top-left corners, after MARGIN zeros
    dZ_first = np.zeros((c, MARGIN + positions), dtype)  # the same, channels first
    before = MARGIN - Q * (H_P + 1)  # where dZ padded by Q starts in them
    grids = {
        "A_prev": A_pad[:positions].reshape(m, H_P, H_P, k),
        "A_prev, channels first": A_first.reshape(k, m, H_P, H_P),
        "dZ": dZ_last[before : before + positions].reshape(m, H_P, H_P, c),
        "dZ, channels first": dZ_first[:, before : before + positions].reshape(c, m, H_P, H_P),
    }
    inside, corners = np.s_[..., PAD : PAD + n, PAD : PAD + n], np.s_[..., :n, :n]  # of (…, H_P, H_P)
    placed = {
        "A_prev padded": (grids["A_prev"][..., PAD : PAD + n, PAD : PAD + n, :], A_prev),
        "A_prev channels first, padded": (grids["A_prev, channels first"][inside], A_prev.transpose(3, 0, 1, 2)),
        "dZ at the corners": (dZ_last[MARGIN:].reshape(m, H_P, H_P, c)[:, :n, :n], dZ),
        "dZ channels first, at the corners": (
            dZ_first[:, MARGIN:].reshape(c, m, H_P, H_P)[corners],
            dZ.transpose(3, 0, 1, 2),
        ),
    }
    buffers = {"A_prev padded": A_pad, "A_prev channels first, padded": A_first}
    buffers |= {"dZ at the corners": dZ_last, "dZ channels first, at the corners": dZ_first}
    copied = {
        "im2col of A_prev": (np.empty((m * WINDOWS, f * f * k), dtype), "A_prev", False),
        "im2col of A_prev, channels first": (np.empty((f * f * k, m * WINDOWS), dtype), "A_prev, channels first", True),
        "im2col of dZ": (np.empty((m * WINDOWS, f * f * c), dtype), "dZ", False),
        "im2col of dZ, channels first": (np.empty((f * f * c, m * WINDOWS), dtype), "dZ, channels first", True),
    }
    strips = np.empty((m, H_P, n, f * k), dtype)  # conv_forward's: each padded row's n runs of f positions
    runs = sliding_window_view(grids["A_prev"].reshape(m, H_P, H_P * k), f * k, axis=2)[:, :, ::k]

    def copy(destination, source):
        return lambda: np.copyto(destination, source)

    made = {name: (copy(*pair), buffers[name]) for name, pair in placed.items()}
    for name, (out, grid, first) in copied.items():
        view = windows(grids[grid], first)
        made[name] = (copy(out.reshape(view.shape), view), out)
    made["nn.conv's rows of A_prev"] = (copy(strips, runs), strips)
    return made


@dataclasses.dataclass
class Way:
    """One way of making Z, dW or dA_prev (``grad``) from laid-out operands, in ``parts`` parts of the batch:
    ``triples`` are its products (left, right, out), ``finish`` its work after them, which leaves the layer's
    array in ``result`` (None: the products leave it there themselves), and ``reads`` the copies it needs."""

    grad: str
    name: str
    parts: int
    reads: tuple[str, ...]
    triples: list
    result: object
    finish: object = None

    def products(self) -> None:
        for left, right, out in self.triples:
            np.matmul(left, right, out=out)

    def shapes(self) -> str:
        """The products, as the script prints them: "8 × (6,272 × 72) × (72 × 16)"."""
        left, right, _ = self.triples[0]

        def matrix(x):
            stack = f"{x.shape[0]} stacked " if x.ndim == 3 else ""
            return f"{stack}({x.shape[-2]:,} × {x.shape[-1]:,})"

        return f"{len(self.triples)} × {matrix(left)} × {matrix(right)}"


def added(out, shares) -> None:
    """out = the sum of ``shares``, added in place, with no array made for a partial sum."""
    np.add(shares[0], shares[1], out=out)
    for share in shares[2:]:
        out += share


def im2col_ways(buffer: dict, matrix, out, parts: int, last: tuple, first: tuple):
    """The two im2col ways of one product into ``out``, in ``parts`` blocks: the windows' entries as rows times
    ``matrix`` (channels last), and ``matrix``ᵀ times them as columns (channels first), whose result is then
    turned into ``out``. ``last`` and ``first`` give each way's name and the copies it reads, the im2col last."""
    (last_name, last_copies), (first_name, first_copies) = last, first
    rows, columns = buffer[last_copies[-1]], buffer[first_copies[-1]]
    total = len(out)
    per, turned = total // parts, np.empty(out.shape[::-1], out.dtype)
    blocks = range(0, total, per)
    yield last_name, last_copies, [(rows[i : i + per], matrix, out[i : i + per]) for i in blocks], out, None
    yield (
        first_name,
        first_copies,
        [(matrix.T, columns[:, i : i + per], turned[:, i : i + per]) for i in blocks],
        out,
        lambda: np.copyto(out, turned.T),
    )


def ways(laid: dict, W, dZ) -> list[Way]:
    """Every way, on the whole batch and in blocks (PARTS), from the buffers of :func:`layouts` (filled)."""
    m, n, k, c, f = len(dZ), N, C_PREV, C, F
    positions = m * H_P * H_P
    buffer = {name: array for name, (_, array) in laid.items()}
    dtype = W.dtype
    filters = W.reshape(f * f * k, c)  # the rows of W in im2col's order
    flipped = W[::-1, ::-1]  # flipped[a, b] = W[f − 1 − a, f − 1 − b]: (k, c)
    dZ_flat = dZ.reshape(-1, c)
    offsets = [(j // f, j % f, (j // f) * H_P + j % f) for j in range(f * f)]
    made = []

    def Z_ways(parts):
        Z = np.empty((m * WINDOWS, c), dtype)
        yield from im2col_ways(
            buffer,
            filters,
            Z,
            parts,
            ("im2col", ("A_prev padded", "im2col of A_prev")),
            ("im2col, channels first", ("A_prev channels first, padded", "im2col of A_prev, channels first")),
        )
        strips = buffer["nn.conv's rows of A_prev"]
        rows = [strips[:, a : a + n].reshape(m, WINDOWS, f * k) for a in range(f)]  # row a of every window, a view
        shares = np.empty((f, m, WINDOWS, c), dtype)
        samples = m // parts
        yield (
            "nn.conv's rows (f k columns)",
            ("A_prev padded", "nn.conv's rows of A_prev"),
            [
                (rows[a][i : i + samples], W[a].reshape(f * k, c), shares[a, i : i + samples])
                for i in range(0, m, samples)
                for a in range(f)
            ],
            Z,
            lambda: np.sum(shares, axis=0, out=Z.reshape(m, WINDOWS, c)),
        )
        A_pad, span = buffer["A_prev padded"], positions // parts
        grid = np.empty((f * f, positions, c), dtype)
        yield (
            "shifted (n_C_prev columns)",
            ("A_prev padded",),
            [
                (A_pad[i + o : i + o + span], W[a, b], grid[j, i : i + span])
                for i in range(0, positions, span)
                for j, (a, b, o) in enumerate(offsets)
            ],
            Z,
            lambda: np.copyto(Z.reshape(m, n, n, c), grid.sum(axis=0).reshape(m, H_P, H_P, c)[:, :n, :n]),
        )
        A_first, every = buffer["A_prev channels first, padded"], np.empty((f * f * c, positions), dtype)
        Z_first = np.zeros((c, positions), dtype)  # its last MARGIN positions, past every kept window, stay zero

        def shifted_sums():
            added(
                Z_first[:, : positions - MARGIN],
                [every[j * c : (j + 1) * c, o : o + positions - MARGIN] for j, (*_, o) in enumerate(offsets)],
            )
            np.copyto(Z.reshape(m, n, n, c), Z_first.reshape(c, m, H_P, H_P)[:, :, :n, :n].transpose(1, 2, 3, 0))

        yield (
            "all filters at once, channels first",
            ("A_prev channels first, padded",),
            [
                (
                    W.reshape(f * f, k, c).transpose(0, 2, 1).reshape(f * f * c, k),
                    A_first[:, i : i + span],
                    every[:, i : i + span],
                )
                for i in range(0, positions, span)
            ],
            Z,
            shifted_sums,
        )

    def dW_ways(parts):
        dW = np.empty(W.shape, dtype)
        per, span = m * WINDOWS // parts, positions // parts
        cols, firsts = buffer["im2col of A_prev"], buffer["im2col of A_prev, channels first"]
        outs = np.empty((parts, f * f * k, c), dtype)
        total = lambda: np.sum(outs, axis=0, out=dW.reshape(f * f * k, c))  # noqa: E731
        yield (
            "im2col, channels first",
            ("A_prev channels first, padded", "im2col of A_prev, channels first"),
            [(firsts[:, i : i + per], dZ_flat[i : i + per], outs[j]) for j, i in enumerate(range(0, m * WINDOWS, per))],
            dW,
            total,
        )
        yield (
            "im2col, transposed",
            ("A_prev padded", "im2col of A_prev"),
            [(cols[i : i + per].T, dZ_flat[i : i + per], outs[j]) for j, i in enumerate(range(0, m * WINDOWS, per))],
            dW,
            total,
        )
        A_first, dZ_first = buffer["A_prev channels first, padded"], buffer["dZ channels first, at the corners"]
        shares = np.empty((parts, f, f, k, c), dtype)
        yield (
            "nn.conv's shifted, channels first",
            (
                "A_prev channels first, padded",
                "dZ channels first, at the corners",
            ),
            [
                (A_first[:, i + o : i + o + span - MARGIN], dZ_first[:, MARGIN + i : i + span].T, shares[j, a, b])
                for j, i in enumerate(range(0, positions, span))
                for a, b, o in offsets
            ],
            dW,
            lambda: np.sum(shares, axis=0, out=dW),
        )

    def dA_ways(parts):
        dA = np.empty((m * WINDOWS, k), dtype)
        per, span = m * WINDOWS // parts, positions // parts
        back = flipped.transpose(0, 1, 3, 2).reshape(f * f * c, k)  # flipped[a, b].T in im2col's order (a, b, c)
        yield from im2col_ways(
            buffer,
            back,
            dA,
            parts,
            ("im2col of dZ", ("dZ at the corners", "im2col of dZ")),
            ("im2col of dZ, channels first", ("dZ channels first, at the corners", "im2col of dZ, channels first")),
        )
        inside = np.s_[:, PAD : PAD + n, PAD : PAD + n]
        dZ_first, dZ_last = buffer["dZ channels first, at the corners"], buffer["dZ at the corners"]
        first = np.empty((f * f, k, positions), dtype)

        def from_first():
            padded = first.sum(axis=0).reshape(k, m, H_P, H_P)
            np.copyto(dA.reshape(m, n, n, k), padded.transpose(1, 2, 3, 0)[inside])

        yield (
            "nn.conv's shifted, channels first",
            ("dZ channels first, at the corners",),
            [
                (flipped[a, b], dZ_first[:, i + o : i + o + span], first[j, :, i : i + span])
                for i in range(0, positions, span)
                for j, (a, b, o) in enumerate(offsets)
            ],
            dA,
            from_first,
        )
        last = np.empty((f * f, positions, k), dtype)

        def from_last():
            np.copyto(dA.reshape(m, n, n, k), last.sum(axis=0).reshape(m, H_P, H_P, k)[inside])

        yield (
            "shifted, channels last",
            ("dZ at the corners",),
            [
                (dZ_last[i + o : i + o + span], flipped[a, b].T, last[j, i : i + span])
                for i in range(0, positions, span)
                for j, (a, b, o) in enumerate(offsets)
            ],
            dA,
            from_last,
        )
        every = np.empty((f * f * k, MARGIN + positions), dtype)
        dA_first = np.empty((k, positions), dtype)

        def shifted_sums():
            added(dA_first, [every[j * k : (j + 1) * k, o : o + positions] for j, (*_, o) in enumerate(offsets)])
            padded = dA_first.reshape(k, m, H_P, H_P)
            np.copyto(dA.reshape(m, n, n, k), padded.transpose(1, 2, 3, 0)[inside])

        ends = [*range(0, positions, span), MARGIN + positions]
        yield (
            "all filters at once, channels first",
            ("dZ channels first, at the corners",),
            [
                (flipped.reshape(f * f * k, c), dZ_first[:, i:end], every[:, i:end])
                for i, end in itertools.pairwise(ends)
            ],
            dA,
            shifted_sums,
        )
        spread = np.empty((m * WINDOWS, f * f * k), dtype)  # each window's share of dA_pad, its entries (a, b, k)
        dA_pad = np.empty((m, H_P, H_P, k), dtype)

        def col2im():
            dA_pad[...] = 0
            windows = spread.reshape(m, n, n, f * f, k)
            for a, b, _ in offsets:
                dA_pad[:, a : a + n, b : b + n] += windows[:, :, :, a * f + b]
            np.copyto(dA.reshape(m, n, n, k), dA_pad[inside])

        yield (
            "col2im",
            (),
            [(dZ_flat[i : i + per], filters.T, spread[i : i + per]) for i in range(0, m * WINDOWS, per)],
            dA,
            col2im,
        )

    for parts in PARTS:
        for grad, kinds in (("Z", Z_ways), ("dW", dW_ways), ("dA_prev", dA_ways)):
            made += [Way(grad, name, parts, *rest) for name, *rest in kinds(parts)]
    return made


#: numpy's BLAS on its default threads (two on the benchmark's machine), then on one
SETTINGS = {"default threads": None, "one thread": 1}


def parts(three, copied, setting) -> tuple[float, float, float]:
    """Three ways' time in a setting, ms: their products, the copies they read (each copy once), and their work
    after the products."""
    reads = {name for way, _, _ in three for name in way.reads}
    return (
        sum(times[setting] for _, times, _ in three),
        sum(copied[name] for name in reads),
        sum(finish for _, _, finish in three),
    )


def floor_times(dtype, rounds) -> tuple[list, dict, dict]:
    """Each way's products' median time (ms) in each of SETTINGS and its finish's (numpy's own loops, one thread
    in any setting): [(way, {setting: ms}, finish ms)]; each copy's median time, {name: ms}; and for each setting
    the floor, ``(ms, ways)``: the fastest three ways, one per gradient, counting their products, their finishes
    and the copies they read (a copy two ways read counted once)."""
    A_prev, W, dZ = arrays(dtype)
    laid = layouts(A_prev, dZ)
    copied = {}
    for name, (copy, _) in laid.items():
        copy()
        copied[name] = median_ms(copy, rounds)
    made, timed = ways(laid, W, dZ), {}
    for setting, threads in SETTINGS.items():
        with threadpool_limits(threads):
            for way in made:
                way.products()
                timed.setdefault(id(way), {})[setting] = median_ms(way.products, rounds)
    rows = [(way, timed[id(way)], 0.0 if way.finish is None else median_ms(way.finish, rounds)) for way in made]
    by_grad = [[row for row in rows if row[0].grad == grad] for grad in GRADS]
    floors = {}
    for setting in SETTINGS:
        three = min(itertools.product(*by_grad), key=lambda three: sum(parts(three, copied, setting)))
        floors[setting] = (sum(parts(three, copied, setting)), three)
    return rows, copied, floors


GRADS = ("Z", "dW", "dA_prev")
#: the summary table's rows, one figure per dtype and setting
SUMMARY = (
    *(f"{grad}, the fastest way's products" for grad in GRADS),
    "the three together",
    "the floor: the fastest three ways, with the copies they read and their work after the products",
    "the floor's products",
    "the floor's copies",
    "the floor's work after the products",
    "PyTorch forward + backward, its default threads",
)


def summary(rows, copied, floors, peer) -> dict:
    """One dtype's column of the summary table in each setting: {setting: [ms for each row of SUMMARY]}."""
    columns = {}
    for setting in SETTINGS:
        fastest = [min(times[setting] for way, times, _ in rows if way.grad == grad) for grad in GRADS]
        torch = peer if SETTINGS[setting] is None else None  # PyTorch is timed on its default threads only
        ms, three = floors[setting]
        columns[setting] = [*fastest, sum(fastest), ms, *parts(three, copied, setting), torch]
    return columns


def floor_report(rounds) -> None:
    """Print, for float32 and float64, every way's products and the work after them, every copy, and the floor
    in each setting with the ways it is made of; then the summary table of both dtypes, and the copies' table."""
    print(f"m = {M}, {N} × {N}, {C_PREV} → {C} channels, f = {F}, pad {PAD}, stride 1: medians of {rounds} rounds, ms")
    columns, copies = {}, {}
    for dtype in ("float32", "float64"):
        rows, copies[dtype], floors = floor_times(dtype, rounds)
        columns[dtype] = summary(rows, copies[dtype], floors, torch_ms(dtype, rounds))
        print(f"\n{dtype}: each way's products on numpy's BLAS, then its work after them (numpy's loops)")
        print("| gradient | way | products | " + " | ".join(SETTINGS) + " | after | copies it reads |")
        print("|---|---|---|" + "---|" * len(SETTINGS) + "---|---|")
        for way, times, finish in rows:
            parts = "" if way.parts == 1 else f", {way.parts} blocks"
            print(
                f"| {way.grad} | {way.name}{parts} | {way.shapes()} | "
                + " | ".join(f"{times[setting]:.2f}" for setting in SETTINGS)
                + f" | {finish:.2f} | {', '.join(way.reads) or '—'} |"
            )
        for setting, (ms, three) in floors.items():
            chosen = "; ".join(
                f"{way.grad} by {way.name} in {way.parts} block{'s' * (way.parts > 1)}" for way, *_ in three
            )
            print(f"{dtype}, {setting}: floor {ms:.2f} ms: {chosen}")
    print(f"\nThe floor: medians of {rounds} rounds, ms")
    print("| | " + " | ".join(f"{dtype}, {setting}" for dtype in columns for setting in SETTINGS) + " |")
    print("|---|" + "---|" * 2 * len(SETTINGS))
    for i, name in enumerate(SUMMARY):
        cells = [columns[dtype][setting][i] for dtype in columns for setting in SETTINGS]
        print(f"| {name} | " + " | ".join("—" if ms is None else f"{ms:.2f}" for ms in cells) + " |")
    print("\nThe copies, numpy's loops on one thread: ms")
    print("| copy | float32 | float64 |\n|---|---|---|")
    for name in copies["float32"]:
        print(f"| {name} | {copies['float32'][name]:.2f} | {copies['float64'][name]:.2f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"rounds per median (default {ROUNDS})")
    parser.add_argument("--floor", action="store_true", help="the products in every layout's shapes, and the copies")
    args = parser.parse_args()
    rounds = args.rounds
    if args.floor:
        floor_report(rounds)
        return 0
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
