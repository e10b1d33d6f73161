r"""Convolution and pooling layers in the course's notation: samples first, channels last.

A_prev is ``(m, n_H_prev, n_W_prev, n_C_prev)``, W is ``(f, f, n_C_prev, n_C)``, b is
``(1, 1, 1, n_C)``, and ``hparameters`` is ``{"stride": s, "pad": p}`` for a convolution,
``{"f": f, "stride": s}`` for a pooling layer. The output has

\[ n_H = \left\lfloor \frac{n_{H,prev} + 2p - f}{s} \right\rfloor + 1 \]

rows (and n_W columns, the same way). The convolution is a cross-correlation, as the course
and PyTorch compute it:

\[ Z_{i,h,w,c} = \sum_{a,b < f} \sum_{k < n_{C,prev}} W_{a,b,k,c}\, A^{pad}_{i,\, s h + a,\, s w + b,\, k} + b_c. \]

The backward passes sum over the m samples (no 1/m, as in the course): ``dZ`` is ∂J/∂Z of a
J that already holds the 1/m. Each layer is written twice: vectorized, and as the readable
loops of the course (``*_loops``), which a test holds equal. Vectorized, the convolution copies
each row of the windows of a few samples at a time once (a row of a window is f k contiguous
entries of the padded input) and is f matrix products per sample, one per row of a window.
Its backward pass takes dA_prev and dW as the derivation gives them (dZ dilated by s, padded by
f − 1, correlated with the flipped filters; A_pad's windows summed against the dilated dZ), a few
samples at a time with the channels first, where each offset of a window is a run of columns:
f² matrix products for each, and no window is copied. At s > 1 the dilated dZ is zero but at one
position in s², so the padded input is split into its s² phases (row and column mod s), in which
each offset is a shift of dZ itself: the same f² products, on 1/s² of the positions each.
Pooling takes the same entry of every window at once, one strided slice per offset (a, b):
its forward pass combines the f² slices, and its backward pass adds each window's shares back
through them, which handles the stride and overlapping windows. The derivations are ``conv.forward``,
``conv.backward``, ``pool.max`` and ``pool.average``.

Example:
    >>> rng = np.random.default_rng(0)
    >>> A_prev, W, b = rng.normal(size=(2, 5, 5, 3)), rng.normal(size=(3, 3, 3, 4)), np.zeros((1, 1, 1, 4))
    >>> Z, cache = conv_forward(A_prev, W, b, {"stride": 2, "pad": 1})
    >>> Z.shape
    (2, 3, 3, 4)
    >>> [g.shape for g in conv_backward(np.ones_like(Z), cache)]
    [(2, 5, 5, 3), (3, 3, 3, 4), (1, 1, 1, 4)]
"""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .checks import as_array, finite, guarded, layer_cache, overflow, too_large
from .words import InputError, Text

#: The pooling modes: the largest entry of each window, or the window's mean.
POOL_MODES = ("max", "average")


#: What overflows in each pass, when the entries are too large for their products and sums to be floats, and why.
_TOO_LARGE = {
    "Z": too_large(Text("Z, each window's Σ W ⊙ A_pad + b,", "Z（每个窗口的 Σ W ⊙ A_pad + b）"),
                   Text("A_prev, W and b", "A_prev、W 和 b")),
    "conv_backward": too_large(Text("dA_prev, dW or db", "dA_prev、dW 或 db"),
                               Text("dZ, W and A_prev", "dZ、W 和 A_prev")),
    "average": (Text("average pooling's sum of a window", "平均池化中窗口的和"), Text(
        "the entries of A_prev are too large for the sum of f² of them to be a float; rescale them",
        "A_prev 的元素太大，f² 个元素之和超出了浮点数的范围；请缩小它们",
    )),
    "pool_backward": (Text(
        "dA_prev, the sum of the shares of the windows that hold an entry,", "dA_prev（含有同一个元素的各窗口份额之和）"
    ), Text(
        "the entries of dA are too large for the sum of the shares that overlapping windows send back to one entry "
        "to be a float; rescale them",
        "dA 的元素太大，重叠的窗口送回同一个元素的份额之和超出了浮点数的范围；请缩小它们",
    )),
    "conv_single_step": too_large(Text("Σ a_slice_prev ⊙ W + b", "Σ a_slice_prev ⊙ W + b"),
                                  Text("a_slice_prev, W and b", "a_slice_prev、W 和 b")),
}  # fmt: skip

#: What the padding p is, in the words of zero_pad (its argument pad) and of a convolution (its hyperparameter p).
_PADDING = {
    "zero_pad": Text("pad is the rows and columns of zeros on each side of X", "pad 是 X 每边填充的零的行数和列数"),
    "conv": Text(
        "p is the rows and columns of zeros on each side, usually (f − 1)/2 or less",
        "p 是每边填充的零的行数和列数，通常不超过 (f − 1)/2",
    ),
}

#: The advice of every message about an array too large for memory.
_FEWER = Text("fewer samples at a time need less", "一次处理更少的样本所需的内存更少")


def _padded_sizes(X, pad):
    """zero_pad's sizes, for a message about memory."""
    m, n_H, n_W, n_C = np.shape(X)
    return Text(
        f"pad = {pad}, X_pad is (m, n_H + 2 pad, n_W + 2 pad, n_C) = {(m, n_H + 2 * pad, n_W + 2 * pad, n_C)}; "
        f"{_PADDING['zero_pad']}, and a smaller pad or {_FEWER}",
        f"pad = {pad}，X_pad 是 (m, n_H + 2 pad, n_W + 2 pad, n_C) = {(m, n_H + 2 * pad, n_W + 2 * pad, n_C)}；"
        f"{_PADDING['zero_pad'].zh}，较小的 pad 或{_FEWER.zh}",
    )


def _conv_sizes(A_prev, W, b, hparameters):
    """A convolution's sizes (the padded input and Z), for a message about memory."""
    (m, n_H_prev, n_W_prev, n_C_prev), (f, _, _, n_C) = np.shape(A_prev), np.shape(W)
    pad, stride = hparameters["pad"], hparameters["stride"]
    padded = (m, n_H_prev + 2 * pad, n_W_prev + 2 * pad, n_C_prev)
    Z = (m, output_size(n_H_prev, f, pad, stride), output_size(n_W_prev, f, pad, stride), n_C)
    return Text(
        f"with p = {pad}, A_prev_pad is (m, n_H_prev + 2p, n_W_prev + 2p, n_C_prev) = {padded} and Z is "
        f"(m, n_H, n_W, n_C) = {Z}; {_PADDING['conv']}, and a smaller p or {_FEWER}",
        f"p = {pad} 时，A_prev_pad 是 (m, n_H_prev + 2p, n_W_prev + 2p, n_C_prev) = {padded}，Z 是 "
        f"(m, n_H, n_W, n_C) = {Z}；{_PADDING['conv'].zh}，较小的 p 或{_FEWER.zh}",
    )


def _pool_sizes(A_prev, hparameters, **_):
    """A pooling layer's sizes (its input and output), for a message about memory."""
    m, n_H_prev, n_W_prev, n_C = np.shape(A_prev)
    f, stride = hparameters["f"], hparameters["stride"]
    A = (m, output_size(n_H_prev, f, 0, stride), output_size(n_W_prev, f, 0, stride), n_C)
    return Text(
        f"A_prev is (m, n_H_prev, n_W_prev, n_C) = {np.shape(A_prev)} and A is (m, n_H, n_W, n_C) = {A}; {_FEWER}",
        f"A_prev 是 (m, n_H_prev, n_W_prev, n_C) = {np.shape(A_prev)}，A 是 (m, n_H, n_W, n_C) = {A}；{_FEWER.zh}",
    )


def _from_cache(sizes):
    """``sizes`` of a forward pass, read from the cache of the backward pass."""
    return lambda cache, **_: sizes(*cache)


def output_size(n_prev: int, f: int, pad: int, stride: int) -> int:
    r"""\(\lfloor (n_{prev} + 2p - f)/s \rfloor + 1\): how many windows of size f fit, s apart, in n_prev + 2p.

    Raises:
        ValueError: n_prev, f, p or s not an integer, n_prev < 0, f < 1, p < 0 or s < 1, or a window f larger
            than n_prev + 2p (where no window fits).
    """
    n_prev, f, pad, stride = (_whole(value, name) for value, name in zip((n_prev, f, pad, stride), _WHOLE, strict=True))
    if f > n_prev + 2 * pad:
        raise InputError(Text(
            f"the window f = {f} is larger than n_prev + 2p = {n_prev + 2 * pad}: no window fits, and "
            f"⌊(n_prev + 2p − f)/s⌋ + 1 must be at least 1",
            f"窗口 f = {f} 比 n_prev + 2p = {n_prev + 2 * pad} 大：一个窗口也放不下，而 ⌊(n_prev + 2p − f)/s⌋ + 1 "
            f"必须至少为 1",
        ))  # fmt: skip
    return (n_prev + 2 * pad - f) // stride + 1


@guarded(sizes=_padded_sizes)
def zero_pad(X, pad):
    """X ``(m, n_H, n_W, n_C)`` with ``pad`` rows and columns of zeros on each side of both spatial axes.

    Example:
        >>> zero_pad(np.ones((1, 2, 2, 1)), 1)[0, :, :, 0]
        array([[0., 0., 0., 0.],
               [0., 1., 1., 0.],
               [0., 1., 1., 0.],
               [0., 0., 0., 0.]])

    Raises:
        ValueError: X without its m axis or not a float array, pad not an integer ≥ 0, or a pad so large that
            X_pad is beyond the largest array numpy can make or needs more memory than numpy could allocate.
    """
    X = _samples(X, "X", "(m, n_H, n_W, n_C)")
    pad = _whole(pad, "pad")
    m, n_H, n_W, n_C = X.shape
    _holdable("X_pad", (m, n_H + 2 * pad, n_W + 2 * pad, n_C), X.dtype, pad, _PADDING["zero_pad"])
    X_pad = np.zeros((m, n_H + 2 * pad, n_W + 2 * pad, n_C), X.dtype)
    X_pad[:, pad : pad + n_H, pad : pad + n_W] = X
    return X_pad


@guarded(_TOO_LARGE["conv_single_step"])
def conv_single_step(a_slice_prev, W, b):
    r"""One output entry: \(\sum a \odot W + b\) over one window ``(f, f, n_C_prev)`` and one filter.

    Example:
        >>> float(conv_single_step(np.ones((2, 2, 3)), np.full((2, 2, 3), 0.5), np.array([[[1.0]]])))
        7.0

    Raises:
        ValueError: a window and a filter of different shapes, a b of more than one entry, entries that are not
            finite numbers, or finite entries whose products or sum overflow the largest float.
    """
    a_slice_prev = _numbers("a_slice_prev", as_array("a_slice_prev", a_slice_prev))
    W, b = _numbers("W", as_array("W", W)), _numbers("b", as_array("b", b))
    if a_slice_prev.shape != W.shape:
        raise InputError(Text(
            f"a_slice_prev has shape {a_slice_prev.shape} but W has shape {W.shape}: "
            f"a window and one filter are both (f, f, n_C_prev)",
            f"a_slice_prev 的维度是 {a_slice_prev.shape}，而 W 的维度是 {W.shape}："
            f"一个窗口和一个滤波器都是 (f, f, n_C_prev)",
        ))  # fmt: skip
    if b.size != 1:
        raise InputError(Text(
            f"b has shape {b.shape}: one filter has one bias, (1, 1, 1)",
            f"b 的维度是 {b.shape}：一个滤波器只有一个偏置，(1, 1, 1)",
        ))  # fmt: skip
    return np.sum(a_slice_prev * W) + b.reshape(())


def _offsets(f, stride, n_H, n_W):
    """Each offset (a, b) of an f × f window, in reading order, as the index of that entry in every
    window at once: ``[:, s h + a, s w + b]`` for all h < n_H and w < n_W, a strided slice (no copy)."""
    for a in range(f):
        for b in range(f):
            yield np.s_[:, a : a + stride * n_H : stride, b : b + stride * n_W : stride]


#: Samples per block in :func:`_window_rows` and :func:`_channels_first`: a block's buffers stay in
#: the cache and are reused by the next block, where copies of all m samples would not fit in it.
BLOCK = 8


# --8<-- [start:conv_im2col]
def _window_rows(X, f, stride, pad, n_H, n_W):
    """X ``(m, H, W, k)`` in blocks of up to BLOCK samples, each padded by p: yields i and the list ``rows``
    of f matrices ``(samples, n_H n_W, f k)``, one row per window, for samples i, i + 1, …: ``rows[a]``
    holds row a of every window, its f k entries (f positions, channels last).

    Row a of window (h, w) is the run of f positions from column s w in padded row s h + a, so it is
    enough to copy each padded row's n_W runs once, into ``strips`` (about f/s times the input, where
    copying every window would be about f²/s² times), and every ``rows[a]`` is a view of them. The strips are kept by
    their padded row's remainder mod s (``strips[r, j, u]`` is padded row s u + r of sample j), so the
    rows a, s + a, 2s + a, … of one sample are consecutive.
    Both buffers, and the views into them, are made once and reused by every block (so the matrices
    yielded are overwritten by the next block).
    """
    m, H, W, k = X.shape
    U, B = -(-(H + 2 * pad) // stride), min(m, BLOCK)  # U s ≥ H + 2p rows: up to s − 1 more rows of zeros at the bottom
    padded = np.zeros((B, U * stride, W + 2 * pad, k), X.dtype)  # the zeros at the border stay
    inside = padded[:, pad : pad + H, pad : pad + W]  # where the samples go
    strips = np.empty((stride, B, U, n_W, f, k), X.dtype)  # strips[r, j, u]: padded row s u + r of sample j
    runs = sliding_window_view(padded, f, axis=2)[:, :, : stride * n_W : stride]  # (B, U s, n_W, k, f), a view
    runs = runs.reshape(B, U, stride, n_W, k, f).transpose(2, 0, 1, 3, 5, 4)  # in the order of strips
    rows = [strips[a % stride, :, a // stride : a // stride + n_H] for a in range(f)]  # padded rows s h + a
    rows = [row.reshape(B, n_H * n_W, f * k) for row in rows]  # views: (h, w) contiguous in each sample
    for i in range(0, m, BLOCK):
        n = min(BLOCK, m - i)
        inside[:n] = X[i : i + n]
        strips[:, :n] = runs[:, :n]  # the copy
        yield i, [row[:n] for row in rows]
    # --8<-- [end:conv_im2col]


# --8<-- [start:conv_blocks]
def _channels_first(A_prev, dZ, f, pad):
    r"""A_prev and dZ in blocks of up to BLOCK samples, channels first, with one column per position of
    the padded input, for s = 1: yields i, the block's sample count n and its two matrices,

    - ``A_pad`` ``(n_C_prev, L)``: the samples padded by p; position (j, y, x) of sample i + j is
      column \((j H_p + y) W_p + x\), with \(H_p = n_{H,prev} + 2p\) and \(W_p = n_{W,prev} + 2p\);
    - ``dZ_full`` ``(n_C, M + L)``, flat: dZ on the same positions (\(dZ_{j,h,w}\) at the top-left
      corner (j, h, w) of its window, zeros at the last f − 1 rows and columns, where no window
      starts), after M = (f − 1)(W_p + 1) columns of zeros,

    where L = min(m, BLOCK) H_p W_p; in a last, shorter block only the first n H_p W_p columns are
    this block's (the rest are the previous block's, and the callers do not read them).

    Moving a window by (a, b) moves every column by \(aW_p + b\), so a window's offset is a
    contiguous run of columns. Every window ends inside its own row and its own sample
    (w + f − 1 ≤ W_p − 1): a run that crosses into the next row or sample meets only zeros of dZ there.
    Both buffers are made once and reused by every block. :func:`conv_backward` lays out a block this
    way at s = 1; at s > 1 it goes by phase (:func:`_backward_by_phase`).
    """
    m, H, W, k = A_prev.shape
    n_H, n_W, c = dZ.shape[1:]
    samples, H_p, W_p = min(m, BLOCK), H + 2 * pad, W + 2 * pad
    margin = (f - 1) * (W_p + 1)
    A_pad = np.zeros((k, samples, H_p, W_p), np.result_type(A_prev, dZ))  # the zeros at the border stay
    dZ_full = np.zeros((c, margin + samples * H_p * W_p), A_pad.dtype)  # so do the zeros where no window starts
    corners = dZ_full[:, margin:].reshape(c, samples, H_p, W_p)[:, :, :n_H, :n_W]
    for i in range(0, m, BLOCK):
        n = min(BLOCK, m - i)
        A_pad[:, :n, pad : pad + H, pad : pad + W] = A_prev[i : i + n].transpose(3, 0, 1, 2)
        corners[:, :n] = dZ[i : i + n].transpose(3, 0, 1, 2)
        yield i, n, A_pad.reshape(k, -1), dZ_full
    # --8<-- [end:conv_blocks]


@guarded(sizes=_conv_sizes)
def conv_forward(A_prev, W, b, hparameters):
    r"""Return Z ``(m, n_H, n_W, n_C)`` and the cache ``(A_prev, W, b, hparameters)``.

    \[ Z_{i,h,w,c} = \sum_{a,b,k} W_{a,b,k,c}\, A^{pad}_{i, sh + a, sw + b, k} + b_c \]

    A few samples at a time (:func:`_window_rows`): for each row a < f of a window, row a of every
    window (one matrix row per window) times row a of every filter, W[a] as an ``(f n_C_prev, n_C)``
    matrix, and the f products added. b, repeated at
    every position, is added to each sample's Z as one row, so numpy's loop runs over whole
    samples rather than n_C entries at a time.

    Raises:
        ValueError: A_prev without its m axis, A_prev, W or b holding NaN or inf, W or b of the wrong
            shape or not numbers, W with f, n_C_prev or n_C = 0, channels that do not match, a missing
            ``"stride"`` or ``"pad"``, s < 1 or p < 0, a p so large that the padded input or Z is beyond the
            largest array numpy can make, or f larger than the padded input; and sizes whose arrays need more
            memory than numpy could allocate.
    """
    # --8<-- [start:conv_forward]
    m, n_H, n_W, f, stride, pad = _conv_shapes(A_prev, W, b, hparameters)
    A_prev, W, b = np.asarray(A_prev), np.asarray(W), np.asarray(b)  # arrays in the cache too
    n_C = W.shape[3]
    filters = W.reshape(f, -1, n_C)  # filters[a]: row a of every filter, one column per filter, (f n_C_prev, n_C)
    bias = np.tile(b.reshape(n_C), n_H * n_W)  # b at every position: a sample's Z as one row
    Z = np.empty((m, n_H * n_W, n_C), np.result_type(A_prev, W, b))
    share = np.empty((min(m, BLOCK), n_H * n_W, n_C), Z.dtype)
    with overflow(*_TOO_LARGE["Z"]):  # a ValueError, not a RuntimeWarning and inf
        for i, rows in _window_rows(A_prev, f, stride, pad, n_H, n_W):  # rows[a]: row a of every window
            n = len(rows[0])  # the block's samples
            Z_block = np.matmul(rows[0], filters[0], out=Z[i : i + n])  # the windows' row 0, one product per sample
            for a in range(1, f):
                Z_block += np.matmul(rows[a], filters[a], out=share[:n])  # and their rows 1 … f − 1: Σ over a
            flat = Z_block.reshape(n, -1)  # a view: the block is contiguous
            flat += bias
    return Z.reshape(m, n_H, n_W, n_C), (A_prev, W, b, hparameters)
    # --8<-- [end:conv_forward]


@guarded(sizes=_from_cache(_conv_sizes))
def conv_backward(dZ, cache):
    r"""Return dA_prev, dW and db from dZ = ∂J/∂Z ``(m, n_H, n_W, n_C)``, summed over the m samples.

    \[ dW_{a,b,k,c} = \sum_{i,h,w} A^{pad}_{i, sh+a, sw+b, k}\, dZ_{i,h,w,c}, \qquad
       db_c = \sum_{i,h,w} dZ_{i,h,w,c}, \qquad
       dA^{pad}_{i,r,t,k} = \sum_{a,b,c} W_{f-1-a,\, f-1-b,\, k,\, c}\, dZ^{full}_{i,\, r+a,\, t+b,\, c}, \]

    where dZ_full is dZ dilated by s (s − 1 zeros between neighbouring entries), padded by f − 1
    and zero beyond (where s does not divide n_H_prev + 2p − f, the windows stop short of the
    padded input's last rows): a stride-1 correlation with the flipped filters. dA_prev is dA_pad
    without its p rows and columns of padding on each side.

    A few samples at a time (:func:`_channels_first`), one column per position: each offset (a, b)
    of a window is a run of columns, so dW's entry (a, b) is one matrix product and dA_pad is f²
    of them, added up. At s > 1 the same products are made by phase (:func:`_backward_by_phase`),
    on the positions the windows' offsets reach and not on the zeros of the dilated dZ.

    Raises:
        ValueError: a cache that is not conv_forward's (checked as conv_forward checks its inputs), or a dZ
            that is not finite numbers of the output's shape.
    """
    # --8<-- [start:conv_backward]
    A_prev, W, _, hparameters = _conv_cache(cache)  # (a, b) below are the offsets in a window
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, n_C = W.shape[0], W.shape[3]
    dZ = _upstream(dZ, "dZ", A_prev, f, pad, stride, n_C)
    stride = _spacing(stride, *dZ.shape[1:3])
    with overflow(*_TOO_LARGE["conv_backward"]):  # a ValueError, not a RuntimeWarning and inf
        db = (np.ones(dZ.size // n_C, dZ.dtype) @ dZ.reshape(-1, n_C)).reshape(1, 1, 1, n_C)  # Σ dZ, with ones
        if stride > 1:  # the windows' corners are s apart: only the positions they reach are worked on
            return (*_backward_by_phase(A_prev, dZ, W, stride, pad), db)
        n_H_prev, n_W_prev = A_prev.shape[1:3]
        H_p, W_p = n_H_prev + 2 * pad, n_W_prev + 2 * pad
        flipped = W[::-1, ::-1]  # flipped[a, b] = W[f − 1 − a, f − 1 − b], (n_C_prev, n_C)
        dW = np.zeros(W.shape, np.result_type(A_prev, dZ, W))
        dA_prev = np.empty(A_prev.shape, dW.dtype)
        for i, n, A_pad, dZ_full in _channels_first(A_prev, dZ, f, pad):
            L, margin = n * H_p * W_p, dZ_full.shape[1] - A_pad.shape[1]  # the block's positions; M zeros before dZ
            dZ_grid = dZ_full[:, margin:L]  # positions 0 … L − M − 1: every window's (h, w), the last at L − M − 1
            dA_pad = None
            for a in range(f):
                for b in range(f):
                    o = a * W_p + b  # the offset (a, b) as a run of columns
                    dW[a, b] += A_pad[:, o : o + dZ_grid.shape[1]] @ dZ_grid.T  # Σ over the windows' (a, b) entries
                    share = flipped[a, b] @ dZ_full[:, o : o + L]  # the correlation with the flipped filters
                    dA_pad = share if dA_pad is None else np.add(dA_pad, share, out=dA_pad)
            dA_pad = dA_pad.reshape(-1, n, H_p, W_p)[:, :, pad : pad + n_H_prev, pad : pad + n_W_prev]
            dA_prev[i : i + n] = dA_pad.transpose(1, 2, 3, 0)  # only the rows and columns dA_prev keeps
    return dA_prev, dW, db
    # --8<-- [end:conv_backward]


# --8<-- [start:conv_phases]
def _backward_by_phase(A_prev, dZ, W, stride, pad):
    r"""dA_prev and dW for s > 1, with the padded input split into its s² phases: the same products as
    :func:`conv_backward` makes at s = 1, on 1/s² of the positions each.

    Padded position (y, x) is in phase (y mod s, x mod s), at (y // s, x // s) of that phase's grid of
    \(U \times V\) positions, \(U = \lceil H_p / s \rceil\) and \(V = \lceil W_p / s \rceil\) (the grid
    reaches past the padded input by up to s − 1 rows and columns of zeros). Offset
    \((a, b) = (s\alpha + r, s\beta + t)\) of window (h, w) lands at \((s(h + \alpha) + r, s(w + \beta) + t)\):
    in phase (r, t), at \((h + \alpha, w + \beta)\). So each phase is laid out as :func:`_channels_first`
    lays out the padded input at s = 1, with dZ itself, undilated, in place of the dilated dZ:

    - dW[a, b] is one product: phase (r, t) shifted by \((\alpha, \beta)\) times dZ;
    - phase (r, t) of dA_pad is the sum, over the offsets \((s\alpha + r, s\beta + t)\) of a window,
      of W[a, b] times dZ shifted back by \((\alpha, \beta)\), after \(\alpha_{max} (V + 1)\) columns of zeros
      (\(\alpha_{max} = \lfloor (f - 1)/s \rfloor\), the largest \(\alpha\)). No offset lands in a phase with
      r ≥ f or t ≥ f (when f < s): dA_prev is 0 there.

    A window ends inside its own row and sample of every phase's grid (\(n_W - 1 + \alpha_{max} < V\)), so a
    run of columns that crosses into the next row or sample meets only zeros of dZ there, as at s = 1.
    The blocks hold s BLOCK samples: the products' runs of columns are then still shorter than at s = 1,
    and the buffers s times as large.
    """
    m, n_H_prev, n_W_prev, k = A_prev.shape
    f, n_C = W.shape[0], W.shape[3]
    block = BLOCK * stride  # s times the samples of s = 1: each run of columns 1/s as long, the grids s times as large
    samples = min(m, block)
    U, V = (-(-(n + 2 * pad) // stride) for n in (n_H_prev, n_W_prev))  # each phase's grid
    margin = (f - 1) // stride * (V + 1)  # the farthest an offset shifts dZ in a grid
    dW = np.zeros(W.shape, np.result_type(A_prev, dZ, W))
    dA_prev = np.empty(A_prev.shape, dW.dtype)
    grids = np.zeros((stride, stride, k, samples, U, V), np.result_type(A_prev, dZ))  # the zeros at the border stay
    dZ_full = np.zeros((n_C, margin + samples * U * V), grids.dtype)  # dZ at (h, w) of the grid, zeros elsewhere
    corners = dZ_full[:, margin:].reshape(n_C, samples, U, V)[:, :, : dZ.shape[1], : dZ.shape[2]]
    share, total = np.empty((2, k * samples * U * V), dW.dtype)  # one offset's share of a phase's dA_pad, and their sum
    for i in range(0, m, block):
        n = min(block, m - i)
        L = n * U * V  # the block's positions in each grid
        corners[:, :n] = dZ[i : i + n].transpose(3, 0, 1, 2)
        dZ_grid = dZ_full[:, margin : margin + L - margin]  # every window's (h, w), and no column past the block
        for (r, rows_in, rows_at), (t, cols_in, cols_at) in itertools.product(
            _phase_slices(n_H_prev, stride, pad), _phase_slices(n_W_prev, stride, pad)
        ):
            grid = grids[r, t]
            grid[:, :n, rows_at, cols_at] = A_prev[i : i + n, rows_in, cols_in].transpose(3, 0, 1, 2)
            grid = grid.reshape(k, -1)
            dA_grid = None
            for alpha, beta in itertools.product(range(-(-(f - r) // stride)), range(-(-(f - t) // stride))):
                a, b, o = stride * alpha + r, stride * beta + t, alpha * V + beta  # o: the shift as a run of columns
                dW[a, b] += grid[:, o : o + dZ_grid.shape[1]] @ dZ_grid.T  # Σ over the windows' (a, b) entries
                back = dZ_full[:, margin - o : margin - o + L]  # dZ shifted back by (alpha, beta)
                if dA_grid is None:
                    dA_grid = np.matmul(W[a, b], back, out=total[: k * L].reshape(k, L))
                else:
                    dA_grid += np.matmul(W[a, b], back, out=share[: k * L].reshape(k, L))
            at = (slice(i, i + n), rows_in, cols_in)
            if dA_grid is None:  # f < s, and no offset lands in this phase
                dA_prev[at] = 0
            else:
                dA_prev[at] = dA_grid.reshape(k, n, U, V)[:, :, rows_at, cols_at].transpose(1, 2, 3, 0)
    return dA_prev, dW
    # --8<-- [end:conv_phases]


def _phase_slices(n_prev, stride, pad):
    """For each phase r < s along one axis of length n_prev padded by p: r, the entries of the input in it
    (padded position ≡ r mod s) and where they go in its grid (padded position // s)."""
    for r in range(stride):
        first = (r - pad) % stride  # the first entry whose padded position p + first is ≡ r
        count = len(range(first, n_prev, stride))
        yield r, slice(first, n_prev, stride), slice((first + pad) // stride, (first + pad) // stride + count)


@guarded(sizes=_pool_sizes)
def pool_forward(A_prev, hparameters, mode="max"):
    """Return A ``(m, n_H, n_W, n_C)``, each window's max or mean per channel, and the cache ``(A_prev, hparameters)``.

    Average pooling sums float16 entries in float32, as ``np.mean`` does, so their mean is never refused.
    NaN and inf in A_prev pass on as IEEE arithmetic gives them, in both modes and without a warning: a
    window that holds a NaN pools to NaN; one that holds +inf and no NaN or −inf pools to inf; one that
    holds both +inf and −inf has the max inf and the mean NaN.

    Raises:
        ValueError: A_prev without its m axis, a missing ``"f"`` or ``"stride"``, f < 1 or s < 1,
            f larger than the input, an unknown mode, finite entries so large that a window's sum
            overflows the largest float in average mode, or sizes whose output needs more memory than numpy
            could allocate.
    """
    # --8<-- [start:pool_forward]
    _, n_H, n_W, f, stride = _pool_shapes(A_prev, hparameters, mode)
    A_prev = np.asarray(A_prev)  # an array in the cache too
    entries = [A_prev[at] for at in _offsets(f, stride, n_H, n_W)]  # f² views (m, n_H, n_W, n_C)
    with overflow(*_TOO_LARGE["average"], invalid="ignore"):  # inf − inf is NaN; a finite sum beyond a float is not
        A = functools.reduce(np.maximum, entries) if mode == "max" else _mean(entries)
    return A, (A_prev, hparameters)
    # --8<-- [end:pool_forward]


def _mean(entries):
    """The mean of the f² slices (each window's mean), summed as ``np.mean`` sums a window: float16 in float32, so
    that a window of float16 entries has its mean whatever their sum, and every other dtype in its own."""
    dtype = entries[0].dtype
    total = sum(entries, np.zeros((), np.float32 if dtype == np.float16 else dtype))
    return (total / len(entries)).astype(dtype, copy=False)


@guarded(_TOO_LARGE["pool_backward"], _from_cache(_pool_sizes))
def pool_backward(dA, cache, mode="max"):
    r"""Return dA_prev: each window's dA sent back to where it came from; overlapping windows add.

    - ``"max"``: all of dA to the window's first arg-max (in reading order), 0 elsewhere. Where
      several entries tie for the max this is one subgradient; a mask taking every tie is not.
      A window that holds a NaN has NaN as its max, and its first NaN gets dA, as ``np.argmax``
      (and the loop version) picks it.
    - ``"average"``: \(dA/f^2\) to each of the f² entries of the window.

    dA_prev has the dtype of A_prev and dA together (``np.result_type``): complex for a complex dA.

    Raises:
        ValueError: a cache that is not pool_forward's (checked as pool_forward checks its inputs), an
            unknown mode, a dA that is not finite numbers of the output's shape, or finite entries of dA so
            large that the shares overlapping windows send back to one entry overflow the largest float.
    """
    # --8<-- [start:pool_backward]
    A_prev, hparameters = _pool_cache(cache, mode)
    f, stride = hparameters["f"], hparameters["stride"]
    n_C = A_prev.shape[3]
    dA = _upstream(dA, "dA", A_prev, f, 0, stride, n_C)
    offsets = list(_offsets(f, stride, *dA.shape[1:3]))  # one strided slice per offset (a, b) of a window
    dA_prev = np.zeros(A_prev.shape, np.result_type(A_prev, dA))
    if mode == "max":
        A = functools.reduce(np.maximum, [A_prev[at] for at in offsets])  # NaN where a window holds a NaN
        found = np.zeros(A.shape, dtype=bool)  # the windows whose first max is already met
        nan = bool(np.isnan(A).any())  # then a window's first NaN is its max, as np.argmax has it
    for at in offsets:  # in reading order
        if mode == "max":
            mask = (A_prev[at] == A) & ~found  # the first max of the window only
            if nan:
                mask |= np.isnan(A_prev[at]) & ~found
            found |= mask
            share = mask * dA
        else:
            share = dA / (f * f)
        dA_prev[at] += share  # overlapping windows add
    return dA_prev
    # --8<-- [end:pool_backward]


@guarded(_TOO_LARGE["Z"], _conv_sizes)
# --8<-- [start:conv_forward_loops]
def conv_forward_loops(A_prev, W, b, hparameters):
    """:func:`conv_forward` as the course's loops, one output entry at a time (for reading; slow)."""
    m, n_H, n_W, f, stride, pad = _conv_shapes(A_prev, W, b, hparameters)
    A_prev, W, b = np.asarray(A_prev), np.asarray(W), np.asarray(b)
    A_prev_pad = zero_pad(A_prev, pad)
    Z = np.zeros((m, n_H, n_W, W.shape[3]), dtype=np.result_type(A_prev, W, b))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top = h * stride
                left = w * stride
                window = A_prev_pad[i, top : top + f, left : left + f, :]
                for c in range(W.shape[3]):
                    Z[i, h, w, c] = conv_single_step(window, W[:, :, :, c], b[:, :, :, c])
    return Z, (A_prev, W, b, hparameters)
    # --8<-- [end:conv_forward_loops]


@guarded(_TOO_LARGE["conv_backward"], _from_cache(_conv_sizes))
# --8<-- [start:conv_backward_loops]
def conv_backward_loops(dZ, cache):
    """:func:`conv_backward` as the course's loops: every output entry hands its dZ back to its window."""
    A_prev, W, b, hparameters = _conv_cache(cache)
    stride, pad, f = hparameters["stride"], hparameters["pad"], W.shape[0]
    dZ = _upstream(dZ, "dZ", A_prev, f, pad, stride, W.shape[3])
    m, n_H, n_W, n_C = dZ.shape
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad, dW, db = np.zeros_like(A_prev_pad), np.zeros_like(W), np.zeros_like(b)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                window = A_prev_pad[i, top : top + f, left : left + f, :]
                for c in range(n_C):
                    dA_prev_pad[i, top : top + f, left : left + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += window * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    dA_prev = dA_prev_pad[:, pad : pad + A_prev.shape[1], pad : pad + A_prev.shape[2], :]
    return dA_prev, dW, db
    # --8<-- [end:conv_backward_loops]


@guarded(_TOO_LARGE["average"], _pool_sizes, invalid="ignore")  # inf − inf is NaN, as in pool_forward
# --8<-- [start:pool_forward_loops]
def pool_forward_loops(A_prev, hparameters, mode="max"):
    """:func:`pool_forward` as the course's loops (for reading; slow)."""
    m, n_H, n_W, f, stride = _pool_shapes(A_prev, hparameters, mode)
    A_prev = np.asarray(A_prev)
    A = np.zeros((m, n_H, n_W, A_prev.shape[3]), dtype=A_prev.dtype)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(A_prev.shape[3]):
                    window = A_prev[i, h * stride : h * stride + f, w * stride : w * stride + f, c]
                    A[i, h, w, c] = np.max(window) if mode == "max" else np.mean(window)
    return A, (A_prev, hparameters)
    # --8<-- [end:pool_forward_loops]


@guarded(_TOO_LARGE["pool_backward"], _from_cache(_pool_sizes))
# --8<-- [start:pool_backward_loops]
def pool_backward_loops(dA, cache, mode="max"):
    """:func:`pool_backward` as the course's loops: each window's dA goes back into that window."""
    A_prev, hparameters = _pool_cache(cache, mode)
    f, stride = hparameters["f"], hparameters["stride"]
    dA = _upstream(dA, "dA", A_prev, f, 0, stride, A_prev.shape[3])
    dA_prev = np.zeros(A_prev.shape, np.result_type(A_prev, dA))
    m, n_H, n_W, n_C = dA.shape
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    rows, cols = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
                    if mode == "max":
                        window = A_prev[i, rows, cols, c]
                        mask = np.arange(f * f).reshape(f, f) == np.argmax(window)  # the first arg-max only
                        share = mask * dA[i, h, w, c]
                    else:
                        share = np.full((f, f), dA[i, h, w, c] / (f * f))
                    dA_prev[i, rows, cols, c] += share
    return dA_prev
    # --8<-- [end:pool_backward_loops]


def _samples(X, name, shape):
    """X as a float array of 4 axes, or a ValueError that names the missing m axis."""
    X = as_array(name, X)
    if X.ndim != 4:
        hint = f"; for one sample use {name}[np.newaxis]" if X.ndim == 3 else ""
        raise InputError(Text(
            f"{name} has shape {X.shape}: it must be {shape}, with the m samples on the first axis{hint}",
            f"{name} 的维度是 {X.shape}：它必须是 {shape}，m 个样本排在第一个轴上"
            + (f"；单个样本请用 {name}[np.newaxis]" if hint else ""),
        ))  # fmt: skip
    if not np.issubdtype(X.dtype, np.inexact):  # complex too: the complex-step check runs the layers on it
        raise InputError(Text(
            f"{name} has dtype {X.dtype}: a layer's input is a float array (np.asarray({name}, float))",
            f"{name} 的 dtype 是 {X.dtype}：一层的输入是浮点数组（np.asarray({name}, float)）",
        ))  # fmt: skip
    return X


#: Each whole-number size or hyperparameter's least value and its rule, in both languages, in output_size's order.
_WHOLE = {
    "n_prev": (0, Text("the input has n_prev rows or columns", "输入有 n_prev 行或列")),
    "f": (1, Text("the window is f × f", "窗口是 f × f")),
    "pad": (0, Text("p ≥ 0 rows and columns of zeros on each side", "每边补 p 行和 p 列零，p ≥ 0")),
    "stride": (1, Text("the windows are s ≥ 1 apart", "相邻窗口相隔 s ≥ 1")),
}


def _whole(value, name):
    """``value`` as an int no less than ``name``'s least value in :data:`_WHOLE`, or a ValueError naming its rule."""
    smallest, rule = _WHOLE[name]
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < smallest:
        raise InputError(Text(
            f"{name} = {value!r}: it must be an integer ≥ {smallest} ({rule})",
            f"{name} = {value!r}：它必须是 ≥ {smallest} 的整数（{rule.zh}）",
        ))  # fmt: skip
    return int(value)


def _hyper(hparameters, keys, layer):
    """The values of ``keys`` in ``hparameters``, or a ValueError naming the missing key."""
    if not isinstance(hparameters, dict):
        raise InputError(Text(
            f"hparameters is {type(hparameters).__name__}: {layer} takes a dict {_keys(keys)}",
            f"hparameters 是 {type(hparameters).__name__}：{layer} 接受字典 {_keys(keys)}",
        ))  # fmt: skip
    missing = [key for key in keys if key not in hparameters]
    if missing:
        raise InputError(Text(
            f"hparameters has no {missing[0]!r}: {layer} takes a dict {_keys(keys)}",
            f"hparameters 中没有 {missing[0]!r}：{layer} 接受字典 {_keys(keys)}",
        ))  # fmt: skip
    return [hparameters[key] for key in keys]


def _keys(keys):
    symbols = {"stride": "s", "pad": "p", "f": "f"}
    return "{" + ", ".join(f"{key!r}: {symbols[key]}" for key in keys) + "}"


def _fits(f, n_H_prev, n_W_prev, pad, padded):
    """Raise unless the f × f window fits in the (padded) input."""
    if f > min(n_H_prev, n_W_prev) + 2 * pad:
        size = "n_H_prev + 2p, n_W_prev + 2p" if padded else "n_H_prev, n_W_prev"
        raise InputError(Text(
            f"the window f = {f} is larger than the {'padded ' if padded else ''}input ({size} = "
            f"{n_H_prev + 2 * pad}, {n_W_prev + 2 * pad}): n_H = ⌊(n_H_prev {'+ 2p ' if padded else ''}− f)/s⌋ + 1 "
            f"must be at least 1",
            f"窗口 f = {f} 比{'填充后的' if padded else ''}输入大（{size} = {n_H_prev + 2 * pad}, "
            f"{n_W_prev + 2 * pad}）：n_H = ⌊(n_H_prev {'+ 2p ' if padded else ''}− f)/s⌋ + 1 必须至少为 1",
        ))  # fmt: skip


def _conv_shapes(A_prev, W, b, hparameters):
    """m, n_H, n_W, f, s, p of a convolution, after checking every shape and hyperparameter."""
    A_prev = _samples(A_prev, "A_prev", "(m, n_H_prev, n_W_prev, n_C_prev)")
    finite("A_prev", A_prev)  # pooling passes NaN on (pool_backward); a convolution mixes it into every channel of Z
    W, b = as_array("W", W), as_array("b", b)
    if W.ndim != 4 or W.shape[0] != W.shape[1]:
        raise InputError(Text(
            f"W has shape {W.shape}: it must be (f, f, n_C_prev, n_C), square f × f filters",
            f"W 的维度是 {W.shape}：它必须是 (f, f, n_C_prev, n_C)，即 f × f 的正方形滤波器",
        ))  # fmt: skip
    if 0 in W.shape:
        raise InputError(Text(
            f"W has shape {W.shape}: f, n_C_prev and n_C must be at least 1, W is (f, f, n_C_prev, n_C)",
            f"W 的维度是 {W.shape}：f、n_C_prev 和 n_C 都至少为 1，W 是 (f, f, n_C_prev, n_C)",
        ))  # fmt: skip
    for name, array in (("W", W), ("b", b)):
        _numbers(name, array)
    if W.shape[2] != A_prev.shape[3]:
        raise InputError(Text(
            f"A_prev has n_C_prev = {A_prev.shape[3]} channels but W expects {W.shape[2]}: "
            f"W must be (f, f, n_C_prev, n_C)",
            f"A_prev 有 n_C_prev = {A_prev.shape[3]} 个通道，而 W 要求 {W.shape[2]} 个：W 必须是 (f, f, n_C_prev, n_C)",
        ))  # fmt: skip
    if b.shape != (1, 1, 1, W.shape[3]):
        raise InputError(Text(
            f"b has shape {b.shape} but W has n_C = {W.shape[3]} filters: b must be (1, 1, 1, n_C)",
            f"b 的维度是 {b.shape}，而 W 有 n_C = {W.shape[3]} 个滤波器：b 必须是 (1, 1, 1, n_C)",
        ))  # fmt: skip
    stride, pad = _hyper(hparameters, ("stride", "pad"), "conv_forward")
    stride = _whole(stride, "stride")
    pad = _whole(pad, "pad")
    f = W.shape[0]
    _fits(f, A_prev.shape[1], A_prev.shape[2], pad, padded=True)
    n_H, n_W = (output_size(n, f, pad, stride) for n in A_prev.shape[1:3])
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    dtype = np.result_type(A_prev, W, b)
    _holdable("A_prev_pad", (m, n_H_prev + 2 * pad, n_W_prev + 2 * pad, n_C_prev), dtype, pad, _PADDING["conv"])
    _holdable("Z", (m, n_H, n_W, W.shape[3]), dtype, pad, _PADDING["conv"])
    return m, n_H, n_W, f, _spacing(stride, n_H, n_W), pad


#: The most bytes an array of numpy's can hold.
_LARGEST = int(np.iinfo(np.intp).max)


def _holdable(name, shape, dtype, pad, padding):
    """Raise unless an array of ``shape`` and ``dtype`` is one numpy can make (at most ``np.intp``'s largest
    number of bytes): a padding p so large that the padded input or the output cannot exist is named,
    rather than met with numpy's or Python's overflow. ``padding`` says what p is, in the caller's words."""
    if math.prod(shape) * np.dtype(dtype).itemsize > _LARGEST:  # Python ints: no overflow in the test itself
        raise InputError(Text(
            f"pad = {pad}: {name} would have shape {shape}, {np.dtype(dtype)} entries beyond the largest array "
            f"numpy can make ({_LARGEST} bytes); {padding}",
            f"pad = {pad}：{name} 的维度将是 {shape}，{np.dtype(dtype)} 元素超出了 numpy 能建立的最大数组"
            f"（{_LARGEST} 字节）；{padding.zh}",
        ))  # fmt: skip


def _spacing(stride, n_H, n_W):
    """The stride the layer computes with: s, but 1 for one window (n_H = n_W = 1), which starts at (0, 0) whatever
    s is; an s far beyond the input would otherwise size the buffers (s rows) and the phases (s²) of the passes."""
    return stride if n_H * n_W > 1 else 1


def _pool_mode(mode):
    """Raise unless ``mode`` is one of POOL_MODES."""
    if mode not in POOL_MODES:
        raise InputError(Text(
            f"mode is {mode!r}: a pooling layer is 'max' or 'average'",
            f"mode 是 {mode!r}：池化层只能是 'max' 或 'average'",
        ))  # fmt: skip


def _pool_shapes(A_prev, hparameters, mode):
    """m, n_H, n_W, f, s of a pooling layer, after checking every shape and hyperparameter."""
    A_prev = _samples(A_prev, "A_prev", "(m, n_H_prev, n_W_prev, n_C)")
    _pool_mode(mode)
    f, stride = _hyper(hparameters, ("f", "stride"), "pool_forward")
    f = _whole(f, "f")
    stride = _whole(stride, "stride")
    _fits(f, A_prev.shape[1], A_prev.shape[2], 0, padded=False)
    n_H, n_W = (output_size(n, f, 0, stride) for n in A_prev.shape[1:3])
    return A_prev.shape[0], n_H, n_W, f, stride


def _upstream(dZ, name, A_prev, f, pad, stride, n_C):
    """The upstream gradient as an array, after checking it has the shape of the forward pass's output."""
    dZ = _numbers(name, as_array(name, dZ))
    expected = (A_prev.shape[0], *(output_size(n, f, pad, stride) for n in A_prev.shape[1:3]), n_C)
    if dZ.shape != expected:
        raise InputError(Text(
            f"{name} has shape {dZ.shape} but the forward pass gave {expected}: {name} is (m, n_H, n_W, n_C), "
            f"the shape of the layer's output",
            f"{name} 的维度是 {dZ.shape}，而前向传播给出的是 {expected}：{name} 是 (m, n_H, n_W, n_C)，"
            f"与这一层的输出维度相同",
        ))  # fmt: skip
    return dZ if dZ.dtype.kind in "fc" else dZ.astype(A_prev.dtype)  # a bool dZ would be summed as a logical or


def _numbers(name, array):
    """``array`` if it holds finite numbers (bool, integers, floats, complex), or a ValueError naming its dtype or its
    first NaN or inf (which would give a RuntimeWarning or NaN further on, far from its cause)."""
    if array.dtype.kind not in "biufc":
        raise InputError(Text(
            f"{name} has dtype {array.dtype}: the entries of {name} are numbers (np.asarray({name}, float))",
            f"{name} 的 dtype 是 {array.dtype}：{name} 的元素必须是数（np.asarray({name}, float)）",
        ))  # fmt: skip
    finite(name, array)
    return array


def _conv_cache(cache):
    """conv_forward's cache ``(A_prev, W, b, hparameters)``, its arrays as arrays, after the forward pass's checks."""
    layer_cache(cache, "(A_prev, W, b, hparameters)", "conv_forward")
    _conv_shapes(*cache)
    A_prev, W, b, hparameters = cache
    return np.asarray(A_prev), np.asarray(W), np.asarray(b), hparameters


def _pool_cache(cache, mode):
    """pool_forward's cache ``(A_prev, hparameters)``, A_prev as an array, after the forward pass's checks."""
    layer_cache(cache, "(A_prev, hparameters)", "pool_forward")
    _pool_shapes(*cache, mode)
    return np.asarray(cache[0]), cache[1]
