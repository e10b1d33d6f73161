"""The course's topics (one sample and m samples, initialization, logistic regression, linear collapse):
each derivation goes red when its formula is broken."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from types import FunctionType

import pytest
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

import derivations
from derivations import collapse, initialization, logistic, samples

KEYS = (
    "samples.single",
    "samples.batch_average",
    "init.symmetry",
    "init.xavier",
    "init.he",
    "logistic.gradient",
    "linear.collapse",
)


def _broken(key: str, step: int | None, wrong: sp.Basic | Callable[[], sp.Basic]) -> derivations.Derivation:
    """The derivation with one claim replaced: step ``step`` (counting from 0), or the result if None.

    A ``wrong`` claim built from the derivation itself comes as a function, so that collecting the
    tests (in every worker) builds no derivation.
    """
    d = derivations.get(key)
    wrong = wrong() if isinstance(wrong, FunctionType) else wrong
    if step is None:
        return dataclasses.replace(d, result=dataclasses.replace(d.result, rhs=wrong))
    steps = list(d.steps)
    steps[step] = dataclasses.replace(steps[step], rhs=wrong)
    return dataclasses.replace(d, steps=tuple(steps))


S, I, Lg = samples, initialization, logistic

BROKEN = {
    "one-sample dW divided by m": ("samples.single", None, S.dz_ * S.a_prev_.T / S.m),
    "one-sample db divided by m": ("samples.single", 2, S.dz_ / S.m),
    "one-sample output delta without the target": ("samples.single", 0, sp.Symbol("a[L]", real=True)),
    "one-sample dz[l-1] without g'(z[l-1])": ("samples.single", 3, S.W_.T * S.dz_),
    "m-sample dW without 1/m": ("samples.batch_average", None, S.dZ_ * S.A_prev_.T),
    "m ∂J/∂Z taken as m times a one-sample gradient": (
        "samples.batch_average",
        1,
        lambda: S.m * derivations.get("samples.batch_average").steps[1].rhs,
    ),
    "1/m applied twice: folded into dZ and again in dW": (
        "samples.batch_average",
        6,
        MatrixElement((S.dZ_ / S.m) * S.A_prev_.T, S.p, S.q) / S.m,
    ),
    "dA[l-1] with a spurious 1/m": ("samples.batch_average", 5, S.W_.T * S.dZ_ / S.m),
    "db summed over the samples without 1/m": ("samples.batch_average", 4, S.dZ_ * sp.OneMatrix(S.m, 1)),
    "dZ[L] with the sign flipped (Y − A)": (
        "samples.batch_average",
        2,
        sp.MatrixSymbol("Y", S.n, S.m) - sp.MatrixSymbol("A[L]", S.n, S.m),
    ),
    "symmetric rows of W[l] claimed to move apart (row p uses w_p)": (
        "init.symmetry",
        None,
        lambda: derivations.get("init.symmetry").result.rhs.subs(I.w[I.q], I.w[I.p]),
    ),
    "dZ[l] read from row p of W[l+1] instead of column p": (
        "init.symmetry",
        1,
        lambda: derivations.get("init.symmetry").steps[1].rhs.xreplace({I.v[I.r]: I.v[I.p]}),
    ),
    "Xavier with He's 2/n[l-1]": ("init.xavier", None, 2 / I.n_prev),
    "x0.01 per-layer factor without the square (n/100)": ("init.xavier", 5, I.n_prev / 100),
    "variance of a sum without the factor n[l-1]": ("init.xavier", 3, I.var_w * I.second_moment),
    "He with Xavier's 1/n[l-1]": ("init.he", None, 1 / I.n_prev),
    "ReLU keeps all of Var(z)": ("init.he", 4, sp.Symbol("s", positive=True) ** 2),
    "logistic dw without 1/m": ("logistic.gradient", None, Lg.X_ * (Lg.A_ - Lg.Y_).T),
    "logistic dw with the sign flipped (Y − A)": ("logistic.gradient", None, Lg.X_ * (Lg.Y_ - Lg.A_).T / Lg.m),
    "network's dW[1] read at the wrong index of X": (
        "logistic.gradient",
        3,
        sp.Sum((Lg.A[0, Lg.k] - Lg.Y[0, Lg.k]) * Lg.X[0, Lg.k], (Lg.k, 0, Lg.m - 1)) / Lg.m,
    ),
    "collapsed bias missing W[2] b[1]": (
        "linear.collapse",
        None,
        lambda: derivations.get("linear.collapse").result.rhs.args[0] + sp.MatrixSymbol("b[2]", sp.Symbol("n[2]"), 1),
    ),
}


def test_the_course_topics_are_registered():
    assert set(KEYS) <= set(derivations.keys())


# One cheap case per derivation for the everyday suite; every case runs through verify() in the slow test.
EVERYDAY = (
    "one-sample dW divided by m",
    "m ∂J/∂Z taken as m times a one-sample gradient",
    "symmetric rows of W[l] claimed to move apart (row p uses w_p)",
    "Xavier with He's 2/n[l-1]",
    "ReLU keeps all of Var(z)",
    "logistic dw without 1/m",
    "collapsed bias missing W[2] b[1]",
)


def test_every_everyday_case_is_a_catalogued_bug():
    assert set(EVERYDAY) <= set(BROKEN)
    assert {BROKEN[bug][0] for bug in EVERYDAY} == set(KEYS)


@pytest.mark.parametrize("bug", EVERYDAY)
def test_the_broken_claim_does_not_hold(bug):
    """Only the broken step is proved again: verify() fails as soon as one step fails."""
    key, step, wrong = BROKEN[bug]
    d = _broken(key, step, wrong)
    claim = d.result if step is None else d.steps[step]
    assert not claim.holds(), f"SymPy proved a known bug: {bug}"


@pytest.mark.slow
@pytest.mark.parametrize("bug", BROKEN)
def test_verify_rejects_a_broken_result(bug):
    key, step, wrong = BROKEN[bug]
    assert not _broken(key, step, wrong).verify().ok, f"verify() accepted a known bug: {bug}"


def test_every_course_topic_has_a_broken_case():
    assert {key for key, _, _ in BROKEN.values()} == set(KEYS)


def test_collapse_rejects_a_product_in_the_wrong_order():
    """W[1]W[2] is not W[2]W[1]: with square layers (so that both products exist) the proof must say so."""
    n = sp.Symbol("n", integer=True, positive=True)
    A, B, x = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("B", n, n), sp.MatrixSymbol("x", n, 1)
    assert collapse._equal(B * (A * x), (B * A) * x)
    assert not collapse._equal(B * (A * x), (A * B) * x)


def test_the_curvature_step_says_not_identically_zero_where_it_is_zero_at_t_0():
    """linear.collapse: w_2 tanh(w_1 t)'' vanishes at t = 0, so the step says "not identically 0" and names the
    point its proof checks, where it is not 0."""
    (step,) = (step for step in derivations.get("linear.collapse").steps if "tanh" in str(step.note))
    t, w1, w2 = sorted(step.rhs.free_symbols, key=str)  # t, w_1, w_2
    assert step.rhs.subs(t, 0) == 0
    assert step.rhs.subs({w1: 1, w2: 1, t: 1}) != 0
    assert "not identically 0" in str(step.note)
    assert "at t = 0 it is, but not at t = 1 with w_1 = w_2 = 1" in str(step.note)
    assert "不恒为 0（t = 0 时为 0，但 w_1 = w_2 = 1、t = 1 时不为 0）" in step.note.zh
