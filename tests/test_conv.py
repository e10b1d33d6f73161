"""Convolution and pooling (nn/conv.py): the loops against the vectorized code, finite differences,
the complex step, dtypes and the errors; the sweeps over sizes and the PyTorch comparisons are slow."""

from __future__ import annotations

import inspect
import math
import re
import warnings
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import assert_page_says, page_text, relative_error

from derivations.core import central_difference
from nn import conv

DOCS = Path(__file__).resolve().parents[1] / "docs"

#: (m, n_H_prev, n_W_prev, n_C_prev, n_C, f, stride, pad): overlapping windows (s < f), s > f,
#: padding wider than the window's reach, a window as large as the padded input, a stride that leaves a remainder.
CASES = [
    (2, 5, 6, 3, 2, 3, 2, 1),
    (1, 4, 4, 2, 3, 2, 3, 0),
    (2, 3, 3, 1, 2, 3, 1, 2),
    (1, 3, 4, 2, 1, 5, 1, 1),
    (1, 7, 5, 1, 2, 3, 2, 0),
]


def _layer(rng, m, n_H, n_W, n_C_prev, n_C, f, dtype=np.float64):
    A_prev = rng.normal(size=(m, n_H, n_W, n_C_prev)).astype(dtype)
    W, b = rng.normal(size=(f, f, n_C_prev, n_C)).astype(dtype), rng.normal(size=(1, 1, 1, n_C)).astype(dtype)
    return A_prev, W, b


@pytest.mark.parametrize("case", CASES)
def test_conv_loops_equal_the_vectorized_layer(case):
    """The course's four loops and the one matrix product give the same Z, dA_prev, dW and db."""
    m, n_H, n_W, n_C_prev, n_C, f, s, p = case
    rng = np.random.default_rng(sum(case))
    A_prev, W, b = _layer(rng, m, n_H, n_W, n_C_prev, n_C, f)
    hparameters = {"stride": s, "pad": p}
    Z, cache = conv.conv_forward(A_prev, W, b, hparameters)
    Z_loops, _ = conv.conv_forward_loops(A_prev, W, b, hparameters)
    assert Z.shape == (m, conv.output_size(n_H, f, p, s), conv.output_size(n_W, f, p, s), n_C)
    np.testing.assert_allclose(Z, Z_loops, rtol=1e-12, atol=1e-12)
    dZ = rng.normal(size=Z.shape)
    for fast, slow in zip(conv.conv_backward(dZ, cache), conv.conv_backward_loops(dZ, cache), strict=True):
        assert fast.shape == slow.shape
        np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-12)


#: (n_H_prev, n_W_prev, f, stride, pad) for the backward pass's phases (s > 1): f < s (phases that no offset of a
#: window reaches), f = s, f > s (a multiple of s or not), p ≥ f, and n_H_prev + 2p − f that s does not divide.
STRIDED = [
    (7, 8, 2, 3, 0),
    (6, 9, 3, 3, 1),
    (9, 7, 3, 2, 2),
    (8, 6, 4, 3, 1),
    (5, 6, 2, 4, 3),
    (7, 7, 4, 2, 0),
]


@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
@pytest.mark.parametrize("case", STRIDED)
def test_conv_backward_by_phase_equals_the_loops_with_a_shorter_last_block(case, dtype, monkeypatch):
    """s > 1: the backward pass by phase gives the loops' dA_prev, dW and db, with the samples in blocks of s
    (s BLOCK, BLOCK = 1) and then 1 (m = s + 1), and on complex input as the complex-step check runs it."""
    n_H, n_W, f, s, p = case
    monkeypatch.setattr(conv, "BLOCK", 1)
    rng = np.random.default_rng(sum(case))
    m = s + 1
    A_prev, W, b = _layer(rng, m, n_H, n_W, 2, 3, f)
    if dtype is np.complex128:
        A_prev, W, b = (x + 1j * rng.normal(size=x.shape) for x in (A_prev, W, b))
    _, cache = conv.conv_forward(A_prev, W, b, {"stride": s, "pad": p})
    dZ = rng.normal(size=(m, conv.output_size(n_H, f, p, s), conv.output_size(n_W, f, p, s), 3)).astype(dtype)
    for fast, slow in zip(conv.conv_backward(dZ, cache), conv.conv_backward_loops(dZ, cache), strict=True):
        assert fast.dtype == slow.dtype
        np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("hparameters", [{"stride": 2, "pad": 1}, {"stride": 1, "pad": 0}])
def test_conv_in_several_blocks_of_samples_equals_the_loops(hparameters):
    """m = 2 BLOCK + 3: the layer works through its buffers block by block, the last block shorter."""
    rng = np.random.default_rng(3)
    A_prev, W, b = _layer(rng, 2 * conv.BLOCK + 3, 5, 4, 2, 3, 3)
    Z, cache = conv.conv_forward(A_prev, W, b, hparameters)
    np.testing.assert_allclose(Z, conv.conv_forward_loops(A_prev, W, b, hparameters)[0], rtol=1e-12, atol=1e-12)
    dZ = rng.normal(size=Z.shape)
    for fast, slow in zip(conv.conv_backward(dZ, cache), conv.conv_backward_loops(dZ, cache), strict=True):
        np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-12)


def test_the_channels_first_layout_is_the_one_at_s_1_and_says_so():
    """conv_backward lays dZ out channels first only at s = 1 (s > 1 goes by phase): _channels_first takes no
    stride, and neither its docstring nor the convolution page's paragraph on it (both languages) dilates dZ."""
    assert "stride" not in inspect.signature(conv._channels_first).parameters
    assert "dilat" not in conv._channels_first.__doc__
    for page, dilated in (("convolution.md", "dilat"), ("convolution.zh.md", "膨胀")):
        text = (DOCS / page).read_text()
        start = text.index("`_channels_first` ")
        paragraph = text[start : text.index("--8<--", start)]  # up to the code it describes
        assert dilated not in paragraph, page


@pytest.mark.parametrize("mode", conv.POOL_MODES)
@pytest.mark.parametrize("case", CASES)
def test_pool_loops_equal_the_vectorized_layer(case, mode):
    m, n_H, n_W, n_C, _, f, s, _ = case
    f = min(f, n_H, n_W)
    rng = np.random.default_rng(sum(case))
    A_prev = np.round(rng.normal(size=(m, n_H, n_W, n_C)), 0)  # rounded: ties for the max
    hparameters = {"f": f, "stride": s}
    A, cache = conv.pool_forward(A_prev, hparameters, mode)
    np.testing.assert_allclose(A, conv.pool_forward_loops(A_prev, hparameters, mode)[0], rtol=1e-12)
    dA = rng.normal(size=A.shape)
    np.testing.assert_allclose(
        conv.pool_backward(dA, cache, mode), conv.pool_backward_loops(dA, cache, mode), rtol=1e-12, atol=1e-12
    )


def _conv_cost(dZ_weight, hparameters):
    """J = Σ G ⊙ sin(Z): not linear in Z, so the finite differences see the layer, not only its shape."""

    def cost(A_prev, W, b):
        Z, _ = conv.conv_forward(A_prev, W, b, hparameters)
        return np.sum(dZ_weight * np.sin(Z))

    return cost


@pytest.mark.parametrize("case", CASES[1:3])
def test_conv_backward_equals_finite_differences(case):
    m, n_H, n_W, n_C_prev, n_C, f, s, p = case
    rng = np.random.default_rng(7)
    A_prev, W, b = _layer(rng, m, n_H, n_W, n_C_prev, n_C, f)
    hparameters = {"stride": s, "pad": p}
    Z, cache = conv.conv_forward(A_prev, W, b, hparameters)
    G = rng.normal(size=Z.shape)
    cost = _conv_cost(G, hparameters)
    dA_prev, dW, db = conv.conv_backward(G * np.cos(Z), cache)  # dZ = ∂J/∂Z
    assert relative_error(central_difference(lambda x: cost(x, W, b), A_prev), dA_prev) < 1e-8
    assert relative_error(central_difference(lambda x: cost(A_prev, x, b), W), dW) < 1e-8
    assert relative_error(central_difference(lambda x: cost(A_prev, W, x), b), db) < 1e-8


def test_conv_backward_equals_the_complex_step():
    """J = Σ G ⊙ sin(Z) is analytic, so the complex step gives ∂J/∂A_prev exact to rounding."""
    m, n_H, n_W, n_C_prev, n_C, f, s, p = CASES[0]
    rng = np.random.default_rng(3)
    A_prev, W, b = _layer(rng, m, n_H, n_W, n_C_prev, n_C, f)
    hparameters = {"stride": s, "pad": p}
    Z, cache = conv.conv_forward(A_prev, W, b, hparameters)
    G = rng.normal(size=Z.shape)
    dA_prev, _, _ = conv.conv_backward(G * np.cos(Z), cache)
    for index in [(0, 0, 0, 0), (1, 2, 3, 1), (0, 4, 5, 2), (1, 1, 2, 0)]:
        bump = A_prev.astype(complex)
        bump[index] += 1e-20j
        step = np.sum(G * np.sin(conv.conv_forward(bump, W, b, hparameters)[0])).imag / 1e-20
        assert step == pytest.approx(dA_prev[index], rel=1e-13, abs=1e-13)


@pytest.mark.parametrize("mode", conv.POOL_MODES)
def test_pool_backward_equals_finite_differences_with_overlapping_windows(mode):
    """f = 3, s = 1: each entry is in up to nine windows, and its gradient is the sum of their shares."""
    rng = np.random.default_rng(11)
    A_prev = rng.normal(size=(2, 5, 4, 2))  # no ties: the max is differentiable here
    hparameters = {"f": 3, "stride": 1}
    A, cache = conv.pool_forward(A_prev, hparameters, mode)
    G = rng.normal(size=A.shape)
    numeric = central_difference(lambda x: np.sum(G * conv.pool_forward(x, hparameters, mode)[0]), A_prev)
    assert relative_error(numeric, conv.pool_backward(G, cache, mode)) < 1e-8


def test_max_pool_sends_a_tied_window_to_its_first_max_only():
    """A window of zeros (as after a ReLU) is a tie of four: the whole dA goes to its first entry."""
    A_prev = np.zeros((1, 2, 2, 1))
    _, cache = conv.pool_forward(A_prev, {"f": 2, "stride": 2})
    dA_prev = conv.pool_backward(np.array([[[[3.0]]]]), cache)
    np.testing.assert_array_equal(dA_prev[0, :, :, 0], [[3.0, 0.0], [0.0, 0.0]])
    # along the window's all-ones direction the max is differentiable, with slope 1: the shares must add up to dA
    assert dA_prev.sum() == 3.0


def test_max_pool_sends_a_window_holding_nan_to_its_first_nan_as_the_loops_do():
    """A NaN makes its window's max NaN; dA goes to the window's first NaN (np.argmax's choice),
    in the vectorized layer as in the loops, with overlapping windows and no RuntimeWarning."""
    A_prev = np.arange(32.0).reshape(1, 4, 4, 2)
    A_prev[0, 0, 1, 0] = A_prev[0, 2, 2, 0] = A_prev[0, 3, 3, 0] = A_prev[0, 1, 1, 1] = np.nan
    for hparameters in ({"f": 2, "stride": 2}, {"f": 3, "stride": 1}):
        A, cache = conv.pool_forward(A_prev, hparameters)
        dA = np.arange(1.0, A.size + 1).reshape(A.shape)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            dA_prev = conv.pool_backward(dA, cache)
        np.testing.assert_array_equal(dA_prev, conv.pool_backward_loops(dA, cache))
        np.testing.assert_array_equal(np.isnan(A), np.isnan(conv.pool_forward_loops(A_prev, hparameters)[0]))
    # f = 2, s = 2: the bottom-right window holds two NaNs; the first in reading order, (2, 2), gets its dA
    A, cache = conv.pool_forward(A_prev, {"f": 2, "stride": 2})
    dA_prev = conv.pool_backward(np.ones(A.shape), cache)
    assert dA_prev[0, 2, 2, 0] == 1.0
    assert dA_prev[0, 3, 3, 0] == 0.0
    assert dA_prev[0, 0, 1, 0] == 1.0


def test_pooling_passes_nan_and_inf_on_as_ieee_arithmetic_gives_in_both_modes():
    """pool_forward's rule for non-finite entries, as its docstring and the pooling page state it: each window
    pools as IEEE arithmetic gives, with no RuntimeWarning (the suite makes warnings errors), in either mode."""
    A_prev = np.zeros((1, 4, 4, 1))
    A_prev[0, 0, 0, 0], A_prev[0, 0, 1, 0] = np.inf, -np.inf  # window (0, 0): +inf and −inf
    A_prev[0, 0, 2, 0] = np.nan  # window (0, 1): a NaN
    A_prev[0, 2, 2, 0] = np.inf  # window (1, 1): inf
    hparameters = {"f": 2, "stride": 2}
    A_max = conv.pool_forward(A_prev, hparameters, "max")[0][0, :, :, 0]
    A_mean = conv.pool_forward(A_prev, hparameters, "average")[0][0, :, :, 0]
    np.testing.assert_array_equal(A_max, [[np.inf, np.nan], [0.0, np.inf]])
    np.testing.assert_array_equal(A_mean, [[np.nan, np.nan], [0.0, np.inf]])


@pytest.mark.parametrize("mode", conv.POOL_MODES)
@pytest.mark.parametrize("hparameters", [{"f": 2, "stride": 2}, {"f": 3, "stride": 1}])
def test_the_pooling_loops_pass_nan_and_inf_on_as_the_vectorized_pooling_does(mode, hparameters):
    """The loops follow pool_forward's rule for non-finite entries too: windows holding +inf and −inf, a NaN, or
    one infinity give what the vectorized layer gives, forward and backward, with no RuntimeWarning (the suite
    makes warnings errors; np.mean of +inf and −inf warns of an invalid value)."""
    A_prev = np.arange(32.0).reshape(1, 4, 4, 2)
    A_prev[0, 0, 0, 0], A_prev[0, 0, 1, 0] = np.inf, -np.inf
    A_prev[0, 3, 3, 0], A_prev[0, 2, 0, 1], A_prev[0, 1, 1, 1] = np.nan, -np.inf, np.inf
    A, cache = conv.pool_forward(A_prev, hparameters, mode)
    A_loops, cache_loops = conv.pool_forward_loops(A_prev, hparameters, mode)
    assert np.isnan(A).any()
    assert np.isinf(A).any()
    np.testing.assert_allclose(A_loops, A, rtol=1e-12)  # NaN where A has NaN, the same infinities
    dA = np.arange(1.0, A.size + 1).reshape(A.shape)
    dA_prev = conv.pool_backward(dA, cache, mode)
    np.testing.assert_allclose(conv.pool_backward_loops(dA, cache_loops, mode), dA_prev, rtol=1e-12)
    assert_page_says(
        "pooling",
        ("The loops do their arithmetic as the vectorized layer does: NaN and inf pass on",),
        ("循环版本的算术与向量化版本相同：NaN 和 inf 照上文所说传下去，不发出警告",),
    )


@pytest.mark.parametrize("hparameters", [{"f": 2, "stride": 2}, {"f": 3, "stride": 1}])
def test_average_pooling_of_float16_sums_as_np_mean_does(hparameters):
    """float16 entries near the largest float16 (65504) have a mean that float16 holds: the vectorized layer sums
    them in float32 as the loops' np.mean does, so both give that mean, in float16, where a float16 sum of the
    window overflowed and was refused."""
    rng = np.random.default_rng(6)
    for A_prev in (np.full((1, 4, 4, 2), 60000, np.float16), (1000 * rng.normal(size=(2, 5, 5, 3))).astype(np.float16)):
        A = conv.pool_forward(A_prev, hparameters, "average")[0]
        assert A.dtype == np.float16
        np.testing.assert_array_equal(A, conv.pool_forward_loops(A_prev, hparameters, "average")[0])
    assert (conv.pool_forward(np.full((1, 4, 4, 2), 60000, np.float16), hparameters, "average")[0] == 60000).all()
    assert_page_says(
        "pooling",
        ("summing float16 entries in float32 as `np.mean` does, so that their mean is never refused",),
        ("和 `np.mean` 一样，float16 的元素在 float32 中求和，所以它们的平均值不会被拒绝",),
    )


def test_a_convolution_would_mix_a_nan_into_every_channel_of_z_at_each_window_that_holds_it(monkeypatch):
    """Why the pooling page says a convolution refuses NaN, unlike pooling: let through, a NaN in one channel of
    A_prev reaches all n_C channels of Z at every window that holds it (s = 2, p = 1: the windows are found here
    by their bounds), and no other entry of Z."""
    monkeypatch.setattr(conv, "finite", lambda name, array: array)
    A_prev, f, s, p, (y, x) = np.ones((1, 5, 5, 2)), 3, 2, 1, (2, 3)
    A_prev[0, y, x, 1] = np.nan
    W = np.random.default_rng(0).normal(size=(f, f, 2, 4))
    Z = conv.conv_forward(A_prev, W, np.zeros((1, 1, 1, 4)), {"stride": s, "pad": p})[0]
    holds = np.array([[h * s <= y + p < h * s + f and w * s <= x + p < w * s + f for w in range(3)] for h in range(3)])
    assert 0 < holds.sum() < holds.size
    np.testing.assert_array_equal(np.isnan(Z[0]), np.repeat(holds[:, :, None], 4, axis=2))
    assert_page_says(
        "pooling",
        ("it would mix each one into all n_C channels of Z at every window that holds it",),
        ("它会把每一个这样的值混进 Z 中含有它的每个窗口的全部 n_C 个通道",),
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: conv.conv_forward(np.full((1, 3, 3, 1), 1e300), np.full((2, 2, 1, 1), 1e10), np.zeros((1, 1, 1, 1)),
                                   {"stride": 1, "pad": 0}),
         r"Z, each window's Σ W ⊙ A_pad \+ b, overflowed \(overflow encountered in matmul\): the entries of A_prev"),
        (lambda: conv.conv_backward(np.full((1, 2, 2, 1), 1e300), (np.ones((1, 3, 3, 1)), np.full((2, 2, 1, 1), 1e10),
                                                                   np.zeros((1, 1, 1, 1)), {"stride": 1, "pad": 0})),
         r"dA_prev, dW or db overflowed \(overflow encountered in matmul\): the entries of dZ, W and A_prev"),
        (lambda: conv.conv_backward(np.full((1, 2, 2, 1), 1e300), (np.ones((1, 4, 4, 1)), np.full((2, 2, 1, 1), 1e10),
                                                                   np.zeros((1, 1, 1, 1)), {"stride": 2, "pad": 0})),
         r"dA_prev, dW or db overflowed"),
        (lambda: conv.pool_forward(np.full((1, 2, 2, 1), 1e308), {"f": 2, "stride": 2}, "average"),
         r"average pooling's sum of a window overflowed \(overflow encountered in add\)"),
        (lambda: conv.conv_single_step(np.full((2, 2, 1), 1e300), np.full((2, 2, 1), 1e10), np.zeros((1, 1, 1))),
         r"Σ a_slice_prev ⊙ W \+ b overflowed \(overflow encountered in multiply\): the entries of a_slice_prev, W "),
        (lambda: conv.conv_single_step(np.full((2, 2, 1), 1e308), np.ones((2, 2, 1)), np.zeros((1, 1, 1))),
         r"Σ a_slice_prev ⊙ W \+ b overflowed \(overflow encountered in reduce\)"),
    ],
)  # fmt: skip
def test_finite_entries_whose_products_or_sums_overflow_are_named(call, message):
    """Too large for a float64 result: a ValueError naming what overflowed, not a RuntimeWarning and inf."""
    with pytest.raises(ValueError, match=message):
        call()


_PEAK = np.zeros((1, 3, 3, 1))
_PEAK[0, 1, 1, 0] = 1.0  # the max of all four 2 × 2 windows (s = 1): each sends its dA there


@pytest.mark.parametrize(
    ("layer", "arguments"),
    [
        ("conv_forward", (np.full((1, 3, 3, 1), 1e300), np.full((2, 2, 1, 1), 1e10), np.zeros((1, 1, 1, 1)),
                          {"stride": 1, "pad": 0})),
        ("conv_forward", (np.full((1, 3, 3, 1), 1e308), np.ones((2, 2, 1, 1)), np.zeros((1, 1, 1, 1)),
                          {"stride": 1, "pad": 0})),  # each product finite, their sum not
        ("conv_forward", (np.full((1, 3, 3, 1), 1e300 + 1e300j), np.full((2, 2, 1, 1), 1e10), np.zeros((1, 1, 1, 1)),
                          {"stride": 1, "pad": 0})),
        ("conv_backward", (np.full((1, 2, 2, 1), 1e300), (np.ones((1, 3, 3, 1)), np.full((2, 2, 1, 1), 1e10),
                                                          np.zeros((1, 1, 1, 1)), {"stride": 1, "pad": 0}))),
        ("conv_backward", (np.full((1, 2, 2, 1), 1e308), (np.zeros((1, 3, 3, 1)), np.zeros((2, 2, 1, 1)),
                                                          np.zeros((1, 1, 1, 1)), {"stride": 1, "pad": 0}))),  # db
        ("pool_forward", (np.full((1, 2, 2, 1), 1e308), {"f": 2, "stride": 2}, "average")),
        ("pool_backward", (np.full((1, 2, 2, 1), 1e308), (_PEAK, {"f": 2, "stride": 1}), "max")),
    ],
)  # fmt: skip
def test_the_loops_name_an_overflow_in_the_vectorized_layers_words(layer, arguments):
    """The course's loops run their arithmetic as the vectorized layers do: finite entries whose products or
    sums overflow give the same ValueError (numpy's name for the operation aside), not a RuntimeWarning and inf."""
    messages = []
    for function in (getattr(conv, layer), getattr(conv, layer + "_loops")):
        with pytest.raises(ValueError, match=r"overflowed \(overflow encountered in \w+\): the entries of ") as error:
            function(*arguments)
        messages += [[re.sub(r"in \w+\)|（\w+ 中", "…", error.value.text(lang)) for lang in ("en", "zh")]]
    assert messages[0] == messages[1]
    assert_page_says(
        "convolution",
        ("Both versions refuse finite entries whose products or sums overflow the largest",),
        ("有限的元素相乘或相加超出最大的浮点数时，两个版本都抛出同样的 ValueError",),
    )
    assert_page_says(
        "pooling",
        ("a dA so large that the shares overlapping windows send back to one entry overflow is refused, in both "
         "versions, with a ValueError that says so",),
        ("dA 大到重叠的窗口送回同一个元素的份额之和溢出时，两个版本都抛出 ValueError",),
    )  # fmt: skip


@pytest.mark.parametrize("pad", [10**8, 10**12])  # beyond the machine's memory; beyond numpy's largest array
def test_zero_pad_names_only_its_own_arguments(pad):
    """zero_pad(X, pad) has no f: a pad too large for an array is explained by pad and X, in both languages."""
    with pytest.raises(ValueError, match=rf"pad = {pad}") as error:
        conv.zero_pad(np.ones((2, 2, 2, 2)), pad)
    for lang in ("en", "zh"):
        message = error.value.text(lang)
        assert "X_pad" in message
        assert "pad" in re.findall(r"[A-Za-z_]+", message)
        assert not {"f", "p"} & set(re.findall(r"[A-Za-z_]+", message)), message  # the docs' f, and p for pad


_FAR = {"stride": 1, "pad": 10**8}  # A_prev_pad (m, 2·10⁸ + n_H_prev, …): hundreds of petabytes
_LAYER = (np.ones((1, 3, 3, 1)), np.ones((2, 2, 1, 1)), np.zeros((1, 1, 1, 1)))
_HUGE = np.broadcast_to(np.zeros((1, 1, 1, 1)), (10**6, 10**5, 10**5, 1))  # a view: no memory of its own


@pytest.mark.parametrize(
    ("call", "sizes"),
    [
        (lambda: conv.zero_pad(_LAYER[0], 10**8), r"pad = 100000000, X_pad is \(m, n_H \+ 2 pad, n_W \+ 2 pad, "),
        (lambda: conv.conv_forward(*_LAYER, _FAR), r"with p = 100000000, A_prev_pad is \(m, n_H_prev \+ 2p, "),
        (lambda: conv.conv_forward_loops(*_LAYER, _FAR), r"with p = 100000000, A_prev_pad is .* and Z is \(m, n_H, "),
        (lambda: conv.conv_backward(np.broadcast_to(1.0, (1, 2 * 10**8 + 2, 2 * 10**8 + 2, 1)), (*_LAYER, _FAR)),
         r"with p = 100000000"),
        (lambda: conv.pool_forward(_HUGE, {"f": 2, "stride": 1}), r"A is \(m, n_H, n_W, n_C\) = \(1000000, 99999, "),
        (lambda: conv.pool_forward_loops(_HUGE, {"f": 2, "stride": 1}), r"A is \(m, n_H, n_W, n_C\) = "),
    ],
)  # fmt: skip
def test_an_array_beyond_the_machines_memory_is_named_with_its_size(call, sizes):
    """Sizes whose arrays numpy cannot allocate: a ValueError naming the array asked for (its shape, dtype and
    bytes) and the sizes that set it, not a bare MemoryError."""
    with pytest.raises(ValueError, match=sizes) as error:
        call()
    asked = re.search(r"asked numpy for an array of shape (\([\d, ]+\)) of float64, (\d+) bytes, more memory than it "
                      r"could allocate: ", str(error.value))  # fmt: skip
    assert asked, str(error.value)
    assert int(asked[2]) == 8 * math.prod(int(n) for n in re.findall(r"\d+", asked[1]))
    assert "超出了它能分配的内存" in error.value.text("zh")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_layer_keeps_its_input_dtype(dtype):
    rng = np.random.default_rng(0)
    A_prev, W, b = _layer(rng, 2, 5, 5, 2, 3, 3, dtype)
    Z, cache = conv.conv_forward(A_prev, W, b, {"stride": 2, "pad": 1})
    assert Z.dtype == dtype
    assert {g.dtype for g in conv.conv_backward(Z, cache)} == {np.dtype(dtype)}
    assert conv.zero_pad(A_prev, 2).dtype == dtype
    for mode in conv.POOL_MODES:
        A, pool_cache = conv.pool_forward(A_prev, {"f": 2, "stride": 1}, mode)
        assert A.dtype == dtype
        assert conv.pool_backward(A, pool_cache, mode).dtype == dtype


def test_zero_pad_and_conv_single_step():
    X = np.arange(8.0).reshape(2, 2, 2, 1)
    padded = conv.zero_pad(X, 2)
    assert padded.shape == (2, 6, 6, 1)
    np.testing.assert_array_equal(padded[:, 2:4, 2:4, :], X)
    assert padded.sum() == X.sum()
    window, W = np.arange(12.0).reshape(2, 2, 3), np.full((2, 2, 3), 2.0)
    assert conv.conv_single_step(window, W, np.full((1, 1, 1), -1.0)) == 2 * 66 - 1


@pytest.mark.parametrize("pair", ["vectorized", "loops"])
def test_nested_lists_go_through_forward_and_backward_as_arrays(pair):
    """A_prev, W and b given as nested lists: the forward passes keep arrays in their caches, so the backward
    passes take them (they read A_prev's shape and dtype), and give what the same arrays give."""
    suffix = "_loops" if pair == "loops" else ""
    forward, backward = getattr(conv, "conv_forward" + suffix), getattr(conv, "conv_backward" + suffix)
    pool_forward, pool_backward = getattr(conv, "pool_forward" + suffix), getattr(conv, "pool_backward" + suffix)
    rng = np.random.default_rng(5)
    A_prev, W, b = _layer(rng, 2, 4, 5, 2, 3, 3)
    hparameters = {"stride": 2, "pad": 1}
    Z, cache = forward(A_prev.tolist(), W.tolist(), b.tolist(), hparameters)
    np.testing.assert_array_equal(Z, forward(A_prev, W, b, hparameters)[0])
    dZ = rng.normal(size=Z.shape)
    for got, expected in zip(backward(dZ, cache), backward(dZ, (A_prev, W, b, hparameters)), strict=True):
        np.testing.assert_array_equal(got, expected)
    for mode in conv.POOL_MODES:
        A, pool_cache = pool_forward(A_prev.tolist(), {"f": 2, "stride": 1}, mode)
        dA = rng.normal(size=A.shape)
        expected = pool_backward(dA, (A_prev, {"f": 2, "stride": 1}), mode)
        np.testing.assert_array_equal(pool_backward(dA, pool_cache, mode), expected)


A, W, B = np.zeros((2, 4, 4, 3)), np.zeros((3, 3, 3, 2)), np.zeros((1, 1, 1, 2))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: conv.conv_forward(A, np.zeros((3, 3, 2, 2)), B, {"stride": 1, "pad": 0}),
         r"A_prev has n_C_prev = 3 channels but W expects 2: W must be \(f, f, n_C_prev, n_C\)"),
        (lambda: conv.conv_forward(A, W, B, {"stride": 0, "pad": 0}), r"stride = 0: it must be an integer ≥ 1"),
        (lambda: conv.conv_forward(A, W, B, {"stride": 1, "pad": -1}), r"pad = -1: it must be an integer ≥ 0"),
        (lambda: conv.conv_forward(A, W, B, {"stride": 1.5, "pad": 0}), r"stride = 1.5: it must be an integer"),
        (lambda: conv.conv_forward(A, np.zeros((7, 7, 3, 2)), B, {"stride": 1, "pad": 1}),
         r"the window f = 7 is larger than the padded input \(n_H_prev \+ 2p, n_W_prev \+ 2p = 6, 6\)"),
        (lambda: conv.conv_forward(A, W, B, {"stride": 1}), r"hparameters has no 'pad': conv_forward takes a dict"),
        (lambda: conv.conv_forward(A[0], W, B, {"stride": 1, "pad": 0}),
         r"A_prev has shape \(4, 4, 3\): it must be \(m, n_H_prev, n_W_prev, n_C_prev\).*A_prev\[np.newaxis\]"),
        (lambda: conv.conv_forward(A, W, np.zeros((1, 2)), {"stride": 1, "pad": 0}), r"b must be \(1, 1, 1, n_C\)"),
        (lambda: conv.conv_forward(A, np.zeros((3, 2, 3, 2)), B, {"stride": 1, "pad": 0}), r"square f × f filters"),
        (lambda: conv.conv_forward(A.astype(int), W, B, {"stride": 1, "pad": 0}), r"A_prev has dtype int64"),
        (lambda: conv.conv_backward(np.zeros((2, 3, 3, 2)), (A, W, B, {"stride": 1, "pad": 0})),
         r"dZ has shape \(2, 3, 3, 2\) but the forward pass gave \(2, 2, 2, 2\)"),
        (lambda: conv.pool_forward(A, {"f": 2}), r"hparameters has no 'stride': pool_forward takes a dict"),
        (lambda: conv.pool_forward(A, {"f": 5, "stride": 1}),
         r"the window f = 5 is larger than the input \(n_H_prev, n_W_prev = 4, 4\): n_H = ⌊\(n_H_prev − f\)/s⌋ \+ 1"),
        (lambda: conv.pool_forward(A, {"f": 2, "stride": 1}, mode="min"), r"mode is 'min': a pooling layer is"),
        (lambda: conv.pool_forward(A[0, 0], {"f": 2, "stride": 1}), r"A_prev has shape \(4, 3\)"),
        (lambda: conv.pool_backward(np.zeros((2, 2, 2, 3)), (A, {"f": 2, "stride": 1})), r"dA has shape"),
        (lambda: conv.zero_pad(A, -2), r"pad = -2: it must be an integer ≥ 0"),
        (lambda: conv.zero_pad(A, 10**12), r"pad = 1000000000000: X_pad would have shape \(2, 2000000000004, "),
        (lambda: conv.conv_forward(A, W, B, {"stride": 1, "pad": 10**12}), r"A_prev_pad would have shape .* beyond"),
        (lambda: conv.conv_single_step(np.zeros((2, 2, 3)), np.zeros((2, 2, 2)), 0.0), r"a_slice_prev has shape"),
        (lambda: conv.conv_single_step(np.zeros((2, 2, 3)), np.zeros((2, 2, 3)), None),
         r"b has dtype object: the entries of b are numbers"),
        (lambda: conv.conv_forward(A, W.astype(object), B, {"stride": 1, "pad": 0}), r"W has dtype object"),
        (lambda: conv.conv_forward(A, W, B.astype(str), {"stride": 1, "pad": 0}), r"b has dtype <U32"),
        (lambda: conv.conv_forward(A, np.zeros((0, 0, 3, 2)), B, {"stride": 1, "pad": 0}),
         r"W has shape \(0, 0, 3, 2\): f, n_C_prev and n_C must be at least 1"),
        (lambda: conv.conv_forward(A[..., :0], W[:, :, :0], B, {"stride": 1, "pad": 0}),
         r"W has shape \(3, 3, 0, 2\): f, n_C_prev and n_C must be at least 1"),
        (lambda: conv.conv_backward(np.zeros((2, 2, 2, 2), object), (A, W, B, {"stride": 1, "pad": 0})),
         r"dZ has dtype object"),
        (lambda: conv.pool_backward(np.zeros((2, 3, 3, 3), object), (A, {"f": 2, "stride": 1})),
         r"dA has dtype object"),
        (lambda: conv.conv_forward(np.full(A.shape, np.inf), W, B, {"stride": 1, "pad": 0}),  # inf − inf: a warning
         r"A_prev contains NaN or inf \(96 entries, the first at index \(0, 0, 0, 0\)\)"),
        (lambda: conv.conv_forward(A, np.full(W.shape, np.nan), B, {"stride": 1, "pad": 0}), r"W contains NaN or inf"),
        (lambda: conv.conv_backward(np.full((2, 2, 2, 2), -np.inf), (A + 1, W + 1, B, {"stride": 1, "pad": 0})),
         r"dZ contains NaN or inf"),
        (lambda: conv.pool_backward(np.full((2, 3, 3, 3), np.inf), (A, {"f": 2, "stride": 1})),
         r"dA contains NaN or inf"),
        (lambda: conv.conv_single_step(np.full((2, 2, 3), np.inf), -np.ones((2, 2, 3)), 0.0),
         r"a_slice_prev contains NaN or inf"),
        (lambda: conv.conv_backward(np.zeros((2, 2, 2, 2)), None),
         r"cache must be the tuple \(A_prev, W, b, hparameters\) that conv_forward returns; got a NoneType"),
        (lambda: conv.conv_backward(np.zeros((2, 3, 3, 3)), conv.pool_forward(A, {"f": 2, "stride": 1})[1]),
         r"cache must be the tuple \(A_prev, W, b, hparameters\) that conv_forward returns; got a tuple of 2"),
        (lambda: conv.pool_backward(np.zeros((2, 2, 2, 2)), conv.conv_forward(A, W, B, {"stride": 1, "pad": 0})[1]),
         r"cache must be the tuple \(A_prev, hparameters\) that pool_forward returns; got a tuple of 4"),
        (lambda: conv.conv_backward(np.zeros((2, 2, 2, 2)), (A, W, B, {"stride": 1})), r"hparameters has no 'pad'"),
        (lambda: conv.conv_backward(np.zeros((2, 2, 2, 2)), (A, W, B, {"stride": 0, "pad": 0})), r"stride = 0"),
        (lambda: conv.conv_backward(np.zeros((2, 2, 2, 2)), (A.tolist(), W, B[0], {"stride": 1, "pad": 0})),
         r"b has shape \(1, 1, 2\) but W has n_C = 2 filters"),
        (lambda: conv.pool_backward(np.zeros((2, 3, 3, 3)), (A, {"f": 2, "stride": 0})), r"stride = 0"),
        (lambda: conv.pool_backward(np.zeros((2, 3, 3, 3)), (A, {"stride": 1})), r"hparameters has no 'f'"),
        (lambda: conv.pool_backward(np.zeros((3, 3, 3)), (A[0], {"f": 2, "stride": 1})),
         r"A_prev has shape \(4, 4, 3\)"),
        (lambda: conv.pool_backward(np.zeros((2, 3, 3, 3)), (A.astype(int), {"f": 2, "stride": 1})),
         r"A_prev has dtype int64"),
        (lambda: conv.pool_backward_loops(np.zeros((2, 3, 3, 3)), (A, {"f": 2, "stride": 0})), r"stride = 0"),
        (lambda: conv.conv_backward_loops(np.zeros((2, 2, 2, 2)), (A, W, B)),
         r"cache must be the tuple \(A_prev, W, b, hparameters\) that conv_forward returns; got a tuple of 3"),
        (lambda: conv.conv_backward_loops(np.zeros((2, 3, 3, 2)), (A, W, B, {"stride": 1, "pad": 0})),
         r"dZ has shape \(2, 3, 3, 2\) but the forward pass gave \(2, 2, 2, 2\)"),
        (lambda: conv.conv_forward([[[[1.0]], [[1.0], [2.0]]]], W, B, {"stride": 1, "pad": 0}),
         r"^A_prev is a list that numpy cannot make into one array \(its entries have different lengths\)"),
        (lambda: conv.conv_forward(A, [[1.0, 2.0], [3.0]], B, {"stride": 1, "pad": 0}),
         r"^W is a list that numpy cannot make"),
        (lambda: conv.conv_single_step([[1.0], [1.0, 2.0]], W[..., 0], 0.0),
         r"^a_slice_prev is a list that numpy cannot"),
        (lambda: conv.pool_backward([[1.0], [2.0, 3.0]], (A, {"f": 2, "stride": 1})),
         r"^dA is a list that numpy cannot"),
        (lambda: conv.zero_pad([[1.0], [2.0, 3.0]], 1), r"^X is a list that numpy cannot make into one array"),
        (lambda: conv.output_size(3, 2, 0, 0), r"^stride = 0: it must be an integer ≥ 1"),
        (lambda: conv.output_size(3, 2.0, 0, 1), r"^f = 2.0: it must be an integer ≥ 1"),
        (lambda: conv.output_size(-1, 1, 0, 1), r"^n_prev = -1: it must be an integer ≥ 0"),
        (lambda: conv.output_size(3, 5, 0, 1),
         r"^the window f = 5 is larger than n_prev \+ 2p = 3: no window fits, and ⌊\(n_prev \+ 2p − f\)/s⌋ \+ 1 must"),
    ],
)  # fmt: skip
def test_bad_shapes_and_hyperparameters_raise_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_a_boolean_or_integer_upstream_gradient_is_taken_as_the_same_numbers():
    """dZ of 0s and 1s as bool: summed as numbers, not as a logical or (db was 1 where it should be a count)."""
    rng = np.random.default_rng(2)
    A_prev, W, b = _layer(rng, 3, 5, 5, 2, 3, 3)
    for hparameters in ({"stride": 1, "pad": 1}, {"stride": 2, "pad": 1}):
        Z, cache = conv.conv_forward(A_prev, W, b, hparameters)
        ones = rng.random(Z.shape) < 0.5
        for backward in (conv.conv_backward, conv.conv_backward_loops):
            for upstream in (ones, ones.astype(int)):
                for got, expected in zip(backward(upstream, cache), backward(ones.astype(float), cache), strict=True):
                    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    for mode in conv.POOL_MODES:
        A, cache = conv.pool_forward(A_prev, {"f": 2, "stride": 1}, mode)
        ones = rng.random(A.shape) < 0.5
        np.testing.assert_array_equal(
            conv.pool_backward(ones, cache, mode), conv.pool_backward(ones * 1.0, cache, mode)
        )


@pytest.mark.parametrize("mode", conv.POOL_MODES)
def test_pool_backward_of_a_complex_upstream_gradient_is_linear(mode):
    """pool_backward is linear in dA: dA + i dA' on a real cache gives dA_prev(dA) + i dA_prev(dA')."""
    rng = np.random.default_rng(3)
    A, cache = conv.pool_forward(rng.normal(size=(2, 5, 5, 2)), {"f": 3, "stride": 2}, mode)
    real, imaginary = rng.normal(size=A.shape), rng.normal(size=A.shape)
    got = conv.pool_backward(real + 1j * imaginary, cache, mode)
    expected = conv.pool_backward(real, cache, mode) + 1j * conv.pool_backward(imaginary, cache, mode)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("pad", [0, 1])
def test_a_stride_beyond_the_input_gives_the_one_window_at_the_corner(pad):
    """n_H = ⌊(n_H_prev + 2p − f)/s⌋ + 1 = 1 for any s past the input: the window at (0, 0), whatever s is, and no
    buffer or loop sized by s (s = 10³⁰ asked numpy for 10³⁰ rows; s = 5000, for 25 million phases)."""
    rng = np.random.default_rng(4)
    A_prev, W, b = _layer(rng, 2, 5, 4, 2, 3, 3)
    just_past = {"stride": 5 + 2 * pad, "pad": pad}  # one window already: 5 + 2p − 3 < s
    Z, cache = conv.conv_forward(A_prev, W, b, just_past)
    assert Z.shape == (2, 1, 1, 3)
    G = rng.normal(size=Z.shape)
    for stride in (5000, 10**30):
        hparameters = {"stride": stride, "pad": pad}
        for forward, backward in ((conv.conv_forward, conv.conv_backward),
                                  (conv.conv_forward_loops, conv.conv_backward_loops)):  # fmt: skip
            far, far_cache = forward(A_prev, W, b, hparameters)
            np.testing.assert_allclose(far, Z, rtol=1e-12, atol=1e-12)
            for got, expected in zip(backward(G, far_cache), conv.conv_backward(G, cache), strict=True):
                np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


shapes = st.tuples(
    st.integers(1, 5),  # m
    st.integers(1, 7),  # n_H_prev
    st.integers(1, 7),  # n_W_prev
    st.integers(1, 3),  # n_C_prev
    st.integers(1, 3),  # n_C
    st.integers(1, 4),  # f
    st.integers(1, 4),  # stride
    st.integers(0, 2),  # pad
)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(case=shapes, seed=st.integers(0, 2**16), block=st.sampled_from([1, 2, conv.BLOCK]))
def test_conv_sweep_loops_vectorized_and_finite_differences(case, seed, block):
    """Over m, sizes, f, stride and padding (overlaps included, and s up to 4 with f < s, f = s and f > s) and
    blocks of samples (BLOCK at s = 1, s BLOCK at s > 1; a shorter last block when that does not divide m):
    loops = vectorized = finite differences."""
    with mock.patch.object(conv, "BLOCK", block):
        _conv_sweep(case, seed)


def _conv_sweep(case, seed):
    m, n_H, n_W, n_C_prev, n_C, f, s, p = case
    if f > min(n_H, n_W) + 2 * p:
        with pytest.raises(ValueError, match="larger than the padded input"):
            conv.conv_forward(np.zeros((m, n_H, n_W, n_C_prev)), np.zeros((f, f, n_C_prev, n_C)),
                              np.zeros((1, 1, 1, n_C)), {"stride": s, "pad": p})  # fmt: skip
        return
    rng = np.random.default_rng(seed)
    A_prev, W, b = _layer(rng, m, n_H, n_W, n_C_prev, n_C, f)
    hparameters = {"stride": s, "pad": p}
    Z, cache = conv.conv_forward(A_prev, W, b, hparameters)
    np.testing.assert_allclose(Z, conv.conv_forward_loops(A_prev, W, b, hparameters)[0], rtol=1e-11, atol=1e-11)
    G = rng.normal(size=Z.shape)
    grads = conv.conv_backward(G * np.cos(Z), cache)
    for fast, slow in zip(grads, conv.conv_backward_loops(G * np.cos(Z), cache), strict=True):
        np.testing.assert_allclose(fast, slow, rtol=1e-11, atol=1e-11)
    cost = _conv_cost(G, hparameters)
    numeric = (
        central_difference(lambda x: cost(x, W, b), A_prev),
        central_difference(lambda x: cost(A_prev, x, b), W),
        central_difference(lambda x: cost(A_prev, W, x), b),
    )
    for estimate, exact in zip(numeric, grads, strict=True):
        np.testing.assert_allclose(estimate, exact, rtol=1e-6, atol=1e-7)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(case=shapes, seed=st.integers(0, 2**16), mode=st.sampled_from(conv.POOL_MODES))
def test_pool_sweep_loops_vectorized_and_finite_differences(case, seed, mode):
    m, n_H, n_W, n_C, _, f, s, _ = case
    f = min(f, n_H, n_W)
    rng = np.random.default_rng(seed)
    A_prev = rng.permutation(m * n_H * n_W * n_C).reshape(m, n_H, n_W, n_C) / 4.0  # distinct entries: no ties
    hparameters = {"f": f, "stride": s}
    A, cache = conv.pool_forward(A_prev, hparameters, mode)
    np.testing.assert_allclose(A, conv.pool_forward_loops(A_prev, hparameters, mode)[0], rtol=1e-12)
    G = rng.normal(size=A.shape)
    dA_prev = conv.pool_backward(G, cache, mode)
    np.testing.assert_allclose(dA_prev, conv.pool_backward_loops(G, cache, mode), rtol=1e-12, atol=1e-12)
    numeric = central_difference(lambda x: np.sum(G * conv.pool_forward(x, hparameters, mode)[0]), A_prev, h=1e-3)
    np.testing.assert_allclose(numeric, dA_prev, rtol=1e-7, atol=1e-9)


def _torch_layers(torch, A_prev, W, b, hparameters):
    """PyTorch's conv2d, in its layout (samples, channels, rows, columns), with autograd's gradients in ours."""
    x = torch.tensor(np.ascontiguousarray(A_prev.transpose(0, 3, 1, 2)), requires_grad=True)
    w = torch.tensor(np.ascontiguousarray(W.transpose(3, 2, 0, 1)), requires_grad=True)
    bias = torch.tensor(b.ravel(), requires_grad=True)
    z = torch.nn.functional.conv2d(x, w, bias, stride=hparameters["stride"], padding=hparameters["pad"])
    return x, w, bias, z


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_conv_agrees_with_pytorch_conv2d(case):
    torch = pytest.importorskip("torch")
    m, n_H, n_W, n_C_prev, n_C, f, s, p = case
    rng = np.random.default_rng(5)
    A_prev, W, b = _layer(rng, m, n_H, n_W, n_C_prev, n_C, f)
    hparameters = {"stride": s, "pad": p}
    Z, cache = conv.conv_forward(A_prev, W, b, hparameters)
    x, w, bias, z = _torch_layers(torch, A_prev, W, b, hparameters)
    np.testing.assert_allclose(Z, z.detach().numpy().transpose(0, 2, 3, 1), rtol=1e-12, atol=1e-12)
    dZ = rng.normal(size=Z.shape)
    z.backward(torch.tensor(np.ascontiguousarray(dZ.transpose(0, 3, 1, 2))))
    dA_prev, dW, db = conv.conv_backward(dZ, cache)
    np.testing.assert_allclose(dA_prev, x.grad.numpy().transpose(0, 2, 3, 1), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dW, w.grad.numpy().transpose(2, 3, 1, 0), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(db.ravel(), bias.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize("mode", conv.POOL_MODES)
@pytest.mark.parametrize(("f", "s"), [(2, 2), (3, 1), (3, 2), (2, 3)])
def test_pool_agrees_with_pytorch_including_ties(mode, f, s):
    """PyTorch's max_pool2d also sends a tie's gradient to the first max in reading order."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(f * 10 + s)
    A_prev = np.maximum(np.round(rng.normal(size=(2, 7, 6, 3)), 0), 0)  # as after a ReLU: zeros and other ties
    hparameters = {"f": f, "stride": s}
    A, cache = conv.pool_forward(A_prev, hparameters, mode)
    x = torch.tensor(np.ascontiguousarray(A_prev.transpose(0, 3, 1, 2)), requires_grad=True)
    pool = torch.nn.functional.max_pool2d if mode == "max" else torch.nn.functional.avg_pool2d
    out = pool(x, f, s)
    np.testing.assert_allclose(A, out.detach().numpy().transpose(0, 2, 3, 1), rtol=1e-12)
    dA = rng.normal(size=A.shape)
    out.backward(torch.tensor(np.ascontiguousarray(dA.transpose(0, 3, 1, 2))))
    np.testing.assert_allclose(
        conv.pool_backward(dA, cache, mode), x.grad.numpy().transpose(0, 2, 3, 1), rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize("stride", [2, 3])
def test_a_block_by_phase_holds_s_times_the_samples_runs_1_over_s_and_grids_s_times(stride, monkeypatch):
    """convolution.md: at s > 1 conv_backward's blocks hold s BLOCK samples, so each product's run of columns (a
    block's positions in one phase's grid) is about 1/s of a block's padded positions at s = 1, and the s² grids
    together about s times that block (32 × 32 padded inputs, within 15%)."""
    f, pad, n, k = 3, 1, 30, 2
    m = 4 * stride * conv.BLOCK
    rng = np.random.default_rng(0)
    A_prev, W, b = rng.normal(size=(m, n, n, k)), rng.normal(size=(f, f, k, 2)), np.zeros((1, 1, 1, 2))
    Z, cache = conv.conv_forward(A_prev, W, b, {"stride": stride, "pad": pad})
    phases, made, slices, zeros = [], [], conv._phase_slices, np.zeros
    monkeypatch.setattr(conv, "_phase_slices", lambda *args: phases.append(args) or slices(*args))
    monkeypatch.setattr(np, "zeros", lambda shape, *args, **kwargs: made.append(shape) or zeros(shape, *args, **kwargs))
    conv.conv_backward(Z, cache)
    assert len(phases) == 2 * 4  # two axes per block: four blocks of s BLOCK samples
    (grids,) = [shape for shape in made if len(shape) == 6]  # (s, s, k, samples, U, V)
    padded = conv.BLOCK * (n + 2 * pad) ** 2  # a block's padded positions at s = 1
    assert grids[3] * grids[4] * grids[5] / padded == pytest.approx(1 / stride, rel=0.15)
    assert np.prod(grids) / (k * padded) == pytest.approx(stride, rel=0.15)
    said = {
        "convolution.md": "The blocks hold s times as many samples as at s = 1: a phase holds about 1/s² of a "
        "sample's positions, so a product's run of columns is still about 1/s of its length at s = 1, and the s² "
        "grids together take about s times the memory of the padded block at s = 1",
        "convolution.zh.md": "每块的样本数是 s = 1 时的 s 倍：每个相位约含一个样本 1/s² 的位置，"
        "所以每次乘法用到的一段列仍只有 s = 1 时的约 1/s，而 s² 个网格合起来约占 s = 1 时填充后那一块的 s 倍内存",
    }
    for page, words in said.items():
        assert words in page_text(page), page


@pytest.mark.parametrize("stride", [1, 2, 3])
def test_the_strips_are_about_f_over_s_times_the_input_and_im2col_f2_over_s2(stride):
    """convolution.md: _window_rows copies into strips about f/s times the size of the input, where a row per
    whole window (im2col) would take about f²/s² times (60 × 60 inputs, f = 3, p = 1, within 10%)."""
    f, pad, n, k = 3, 1, 60, 4
    X = np.zeros((1, n, n, k))
    n_out = conv.output_size(n, f, pad, stride)
    _, rows = next(conv._window_rows(X, f, stride, pad, n_out, n_out))
    strips = rows[0]
    while strips.base is not None:  # rows[a] is a view of the strips buffer
        strips = strips.base
    assert strips.size / X.size == pytest.approx(f / stride, rel=0.1)
    assert n_out * n_out * f * f * k / X.size == pytest.approx(f**2 / stride**2, rel=0.1)
    said = {"convolution.md": "about f/s times the size of the input", "convolution.zh.md": "约为输入的 f/s 倍"}
    for page, words in said.items():
        assert words in " ".join((DOCS / page).read_text().split()), page
    assert "about f/s times the input" in " ".join(conv._window_rows.__doc__.split())
