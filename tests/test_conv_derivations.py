"""nn.conv against the conv.* and pool.* derivations: each SymPy result, lambdified at concrete sizes,
gives nn's numbers; and each proof rejects the classic wrong forms of its formula."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re

import numpy as np
import pytest
import sympy as sp

import derivations
from derivations import conv as d
from nn import conv

#: (m, n_H_prev, n_W_prev, n_C_prev, n_C, f, s, p): overlapping windows with a stride and padding, then stride 1
SIZES = [(2, 5, 4, 2, 2, 3, 2, 1), (1, 4, 4, 1, 2, 2, 1, 0)]


@functools.cache
def _function(expr, *arguments):
    """The SymPy expression as a Python function of ``arguments`` (its sums become generator loops)."""
    return sp.lambdify(arguments, expr, "numpy")


def test_the_output_size_is_nn_s_for_every_small_case():
    size = _function(derivations.get("conv.forward").result.rhs, d.n_H_prev, d.f, d.pad, d.s)
    for n, f, p, s in itertools.product(range(1, 9), range(1, 6), range(3), range(1, 5)):
        if f <= n + 2 * p:
            assert size(n, f, p, s) == conv.output_size(n, f, p, s)
    for n, f, p, s in [(5, 3, 1, 2), (4, 4, 0, 3), (6, 2, 2, 4)]:
        Z, _ = conv.conv_forward(np.zeros((1, n, n + 1, 1)), np.zeros((f, f, 1, 1)), np.zeros((1, 1, 1, 1)),
                                 {"stride": s, "pad": p})  # fmt: skip
        assert Z.shape[1:3] == (size(n, f, p, s), size(n + 1, f, p, s))


def _conv_case(case, seed=0):
    m, n_H, n_W, n_C_prev, n_C, f, s, p = case
    rng = np.random.default_rng(seed)
    A_prev, W = rng.normal(size=(m, n_H, n_W, n_C_prev)), rng.normal(size=(f, f, n_C_prev, n_C))
    b = rng.normal(size=(1, 1, 1, n_C))
    Z, cache = conv.conv_forward(A_prev, W, b, {"stride": s, "pad": p})
    dZ = rng.normal(size=Z.shape)
    return A_prev, W, b, Z, dZ, cache


@pytest.mark.parametrize("case", SIZES[:1])
def test_forward_is_the_derived_indexed_sum(case):
    _, _, _, n_C_prev, _, f, s, p = case
    A_prev, W, b, Z, _, _ = _conv_case(case)
    forward = derivations.get("conv.forward").steps[0].rhs
    entry = _function(forward, d.W, d.A_pad, d.bias, d.i, d.h, d.w, d.c, d.s, d.f_H, d.f_W, d.n_C_prev)
    A_pad, bias = conv.zero_pad(A_prev, p), b.ravel()
    for index in np.ndindex(Z.shape):
        assert entry(W, A_pad, bias, *index, s, f, f, n_C_prev) == pytest.approx(Z[index], rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("case", SIZES)
def test_backward_is_the_derived_dW_db_and_dA_prev(case):
    m, _, _, _, n_C, f, s, p = case
    A_prev, W, _, Z, dZ, cache = _conv_case(case, seed=1)
    dA_prev, dW, db = conv.conv_backward(dZ, cache)
    _, n_H, n_W, _ = Z.shape
    sizes = dict(m=m, n_H=n_H, n_W=n_W, s=s)
    backward = derivations.get("conv.backward")
    dW_rule = _function(backward.steps[1].rhs, d.A_pad, d.dZ, d.m, d.n_H, d.n_W, d.s, d.Fa, d.Fb, d.K, d.C)
    A_pad = conv.zero_pad(A_prev, p)
    for index in np.ndindex(dW.shape):
        assert dW_rule(A_pad, dZ, *sizes.values(), *index) == pytest.approx(dW[index], rel=1e-12, abs=1e-12)
    db_rule = _function(backward.steps[2].rhs, d.dZ, d.m, d.n_H, d.n_W, d.C)
    np.testing.assert_allclose([db_rule(dZ, m, n_H, n_W, c) for c in range(n_C)], db.ravel(), rtol=1e-12)
    # the scatter, the dilated and the flipped forms of dA_pad, each un-padded as the result says
    forms = [
        backward.steps[3].rhs,
        d._defined(backward.steps[4].rhs, {d.D: d._dilated}),
        d._defined(d._defined(backward.steps[5].rhs, {d.W_flip: d.FLIPPED[d.W_flip], d.D_full: d.FLIPPED[d.D_full]}),
                   {d.D: d._dilated}),
    ]  # fmt: skip
    arguments = (d.W, d.dZ, d.n_H, d.n_W, d.n_C, d.f_H, d.f_W, d.s, d.I, d.R, d.T, d.K)
    unpad = backward.result.rhs.indices  # dA_pad[ι, x + p, y + p, κ]
    assert sp.simplify(unpad[1] - d.x0 - d.pad) == 0
    for form in forms:
        rule = _function(form, *arguments)
        for i, x, y, k in np.ndindex(dA_prev.shape):
            value = rule(W, dZ, n_H, n_W, n_C, f, f, s, i, x + p, y + p, k)
            assert value == pytest.approx(dA_prev[i, x, y, k], rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("mode", conv.POOL_MODES)
@pytest.mark.parametrize(("f", "s"), [(3, 2), (2, 2)])
def test_pool_backward_is_the_derived_scatter(mode, f, s):
    rng = np.random.default_rng(f + s)
    A_prev = rng.permutation(2 * 5 * 6 * 2).reshape(2, 5, 6, 2) / 3.0  # distinct entries: no ties
    A, cache = conv.pool_forward(A_prev, {"f": f, "stride": s}, mode)
    dA = rng.normal(size=A.shape)
    dA_prev = conv.pool_backward(dA, cache, mode)
    _, n_H, n_W, _ = A.shape
    derivation = derivations.get("pool.max" if mode == "max" else "pool.average")
    rule = _function(derivation.result.rhs, d.M, d.dA_out, d.n_H, d.n_W, d.f, d.s, d.I, d.R, d.T, d.C)
    mask = np.zeros((2, n_H, n_W, f, f, 2))  # one-hot at each window's arg-max, found here by np.unravel_index
    for i, h, w, c in np.ndindex(A.shape):
        window = A_prev[i, s * h : s * h + f, s * w : s * w + f, c]
        mask[(i, h, w, *np.unravel_index(np.argmax(window), window.shape), c)] = 1
    for index in np.ndindex(dA_prev.shape):
        assert rule(mask, dA, n_H, n_W, f, s, *index) == pytest.approx(dA_prev[index], rel=1e-12, abs=1e-12)


def _broken(step, **changes):
    return dataclasses.replace(step, **changes)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("step", "wrong"),
    [
        (("conv.backward", 1), lambda rhs: rhs.xreplace({d.s: 1})),  # dW ignoring the stride
        (("conv.backward", 2), lambda rhs: rhs / d.m),  # db with the 1/m that J already holds
        # = for += in the course's loops: db and dW keep the last window's share (last sample, last position)
        (("conv.backward", 1), lambda rhs: rhs.function.subs({d.i: d.m - 1, d.h: d.n_H - 1, d.w: d.n_W - 1})),
        (("conv.backward", 2), lambda rhs: rhs.function.subs({d.i: d.m - 1, d.h: d.n_H - 1, d.w: d.n_W - 1})),
        (("conv.backward", 3), lambda rhs: rhs.xreplace({d.s: 1})),  # dA_pad ignoring the stride
        # a correlation where a convolution is
        (("conv.backward", 4), lambda rhs: rhs.xreplace({d.R - d.a: d.R + d.a})),
        (("conv.backward", 5), lambda rhs: rhs.xreplace({d.W_flip: d.W})),  # the filters not flipped
        (("conv.backward", "result"), lambda rhs: rhs.xreplace({d.pad: 0})),  # dA_prev not un-padded
        (("pool.average", "result"), lambda rhs: rhs * d.f**2),  # average pooling without 1/f²
        (("pool.average", 1), lambda rhs: 2 * rhs),
        (("pool.max", 3), lambda rhs: sp.Tuple(rhs[0], -rhs[1])),  # shares (λ, 1 − λ) with λ < 0: no subgradient
        (("pool.max", 4), lambda rhs: 2 * rhs),  # a tie of two taking both: shares that add up to 2
        (("pool.max", "result"), lambda rhs: rhs.xreplace({d.s: 1})),
    ],
)
def test_each_proof_rejects_the_wrong_form(step, wrong):
    """The proofs themselves hold (tests/test_derivations.py); each must fail on a classic wrong form."""
    key, index = step  # the step by its place, so that collecting the tests derives nothing
    step = derivations.get(key).result if index == "result" else derivations.get(key).steps[index]
    assert not _broken(step, rhs=wrong(step.rhs)).holds()


def test_the_convolution_page_gives_the_free_indices_of_its_derivation_no_other_meaning():
    """convolution.md shows dA_pad and dW at the free indices ι, ρ, τ, κ, γ of conv.backward; its prose (in both
    languages) and the code it includes define none of those letters as another quantity."""
    from pathlib import Path

    from derivations.core import tex

    root = Path(__file__).resolve().parents[1]
    texts = [(root / "docs" / name).read_text() for name in ("convolution.md", "convolution.zh.md")]
    texts.append((root / "nn" / "conv.py").read_text())  # the page includes its functions, docstrings and all
    letters = [(str(index), tex(index)) for index in (d.I, d.R, d.T, d.K, d.C)]
    for text in texts:
        for name, latex in letters:
            assert not re.search(rf"(?<![\w\\]){re.escape(name)}\s*=|{re.escape(latex)}(?![a-z])\s*=", text), name
