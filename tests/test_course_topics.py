"""nn against samples.single, samples.batch_average, logistic.gradient and linear.collapse.

Each derived matrix formula is evaluated by SymPy at concrete sizes, with numpy's arrays put in
for its matrix symbols, and compared with what nn computes. Tolerance 1e-12 relative: the
two sides are the same few float64 sums in a different order.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import derivations
import nn
from derivations import logistic, samples

RTOL = 1e-12


def evaluate(expr: sp.Basic, sizes: dict, arrays: dict[str, np.ndarray]) -> np.ndarray:
    """A derived matrix expression at concrete sizes, with each MatrixSymbol replaced by the array of its name."""
    expr = expr.subs(sizes)
    values = {s: sp.ImmutableMatrix(arrays[s.name]) for s in expr.free_symbols if isinstance(s, sp.MatrixSymbol)}
    return np.array(expr.xreplace(values).doit(), dtype=float)


def _data(n_x=3, m=6, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n_x, m)), rng.integers(0, 2, size=(1, m)).astype(float)


def _grads(X, Y, parameters, names):
    AL, cache = nn.forward_propagation(X, parameters, names)
    return nn.backward_propagation(AL, Y, cache, parameters, names), AL, cache


NAMES = ["tanh", "relu", "sigmoid"]


@pytest.mark.parametrize("seed", range(3))
def test_m_sample_gradients_are_the_averages_of_one_sample_gradients(seed):
    """samples.batch_average: dW and db over m columns are the means of the m one-sample ones (m = 1)."""
    X, Y = _data(seed=seed)
    parameters = nn.initialize_parameters([3, 4, 3, 1], "xavier", seed=seed)
    batch, _, _ = _grads(X, Y, parameters, NAMES)
    singles = [_grads(X[:, [k]], Y[:, [k]], parameters, NAMES)[0] for k in range(X.shape[1])]
    for key, value in batch.items():
        np.testing.assert_allclose(value, np.mean([g[key] for g in singles], axis=0), rtol=RTOL, atol=1e-15)


def test_one_sample_dW_is_the_derived_outer_product():
    """samples.single: for one column, dW[L] = dz[L] a[L-1]ᵀ with dz[L] = a[L] − y."""
    X, Y = _data(m=1)
    parameters = nn.initialize_parameters([3, 4, 1], "xavier", seed=1)
    grads, AL, cache = _grads(X, Y, parameters, ["tanh", "sigmoid"])
    d = derivations.get("samples.single")
    a_L = sp.Symbol("a[L]", real=True)
    dz = float(d.steps[0].rhs.subs({a_L: AL[0, 0], samples.output.y: Y[0, 0]}))
    arrays = {"dz[l]": np.array([[dz]]), "a[l-1]": cache["A1"]}
    derived = evaluate(d.result.rhs, {samples.n: 1, samples.n_prev: 4}, arrays)
    np.testing.assert_allclose(grads["dW2"], derived, rtol=RTOL)


def test_both_conventions_for_the_one_over_m_give_the_same_gradients():
    """nn keeps 1/m out of dZ; folding it into dZ (dZ' = dZ/m, no 1/m in dW, db) gives the same dW and db."""
    X, Y = _data(m=8)
    parameters = nn.initialize_parameters([3, 4, 1], "xavier", seed=2)
    grads, AL, cache = _grads(X, Y, parameters, ["tanh", "sigmoid"])
    dZ2 = (AL - Y) / X.shape[1]  # the folded convention: ∂J/∂Z[2]
    dZ1 = (parameters["W2"].T @ dZ2) * (1 - cache["A1"] ** 2)
    folded = {"dW2": dZ2 @ cache["A1"].T, "db2": dZ2.sum(axis=1, keepdims=True), "dW1": dZ1 @ X.T}
    folded["db1"] = dZ1.sum(axis=1, keepdims=True)
    for key, value in folded.items():
        np.testing.assert_allclose(grads[key], value, rtol=RTOL)
    # and the derivation's matrix form of the other convention, (dZ/m) A[l-1]ᵀ, at these sizes:
    other = derivations.get("samples.batch_average").steps[6].rhs.parent
    sizes = {samples.n: 1, samples.n_prev: 4, samples.m: X.shape[1]}
    derived = evaluate(other, sizes, {"dZ[l]": AL - Y, "A[l-1]": cache["A1"]})
    np.testing.assert_allclose(grads["dW2"], derived, rtol=RTOL)


def test_logistic_regression_in_the_course_form_is_the_transposed_dW1():
    """logistic.gradient: dw = (1/m) X (A − Y)ᵀ, an (n_x, 1) column, equals nn's dW[1]ᵀ (W[1] = wᵀ)."""
    X, Y = _data(n_x=5, m=7)
    w = np.random.default_rng(3).normal(size=(5, 1))
    parameters = {"W1": w.T, "b1": np.array([[0.3]])}
    grads, A, _ = _grads(X, Y, parameters, ["sigmoid"])
    d = derivations.get("logistic.gradient")
    dw = evaluate(d.result.rhs, {logistic.n_x: 5, logistic.m: 7}, {"X": X, "A": A, "Y": Y})
    assert dw.shape == w.shape
    np.testing.assert_allclose(dw, grads["dW1"].T, rtol=RTOL)
    entries = {logistic.A[0, k]: A[0, k] for k in range(7)} | {logistic.Y[0, k]: Y[0, k] for k in range(7)}
    db = float(d.steps[2].rhs.subs(logistic.m, 7).doit().xreplace(entries))
    np.testing.assert_allclose(db, grads["db1"][0, 0], rtol=RTOL)


def _fold(W1, b1, W2, b2):
    """W′ and b′ of linear.collapse's result, evaluated by SymPy: b′ at x = 0, column j of W′ at x = e_j."""
    rhs = derivations.get("linear.collapse").result.rhs
    n0, n1, n2 = sp.symbols("n[0] n[1] n[2]", integer=True, positive=True)
    sizes = {n0: W1.shape[1], n1: W1.shape[0], n2: W2.shape[0]}
    arrays = {"W[1]": W1, "b[1]": b1, "W[2]": W2, "b[2]": b2}
    columns = np.eye(W1.shape[1])
    b = evaluate(rhs, sizes, arrays | {"x": np.zeros((W1.shape[1], 1))})
    W = np.hstack([evaluate(rhs, sizes, arrays | {"x": columns[:, [j]]}) - b for j in range(W1.shape[1])])
    return W, b


@pytest.mark.parametrize("depth", [2, 3, 5])
def test_identity_layers_collapse_into_one(depth):
    """linear.collapse: identity hidden layers and a sigmoid output are logistic regression on W′ = W[L]⋯W[1]."""
    dims = [*[3, 5, 4, 6, 2][:depth], 1]
    X, _ = _data(m=9)
    rng = np.random.default_rng(depth)
    parameters = nn.initialize_parameters(dims, "xavier", seed=depth)
    parameters |= {f"b{l}": rng.normal(size=(dims[l], 1)) for l in range(1, depth + 1)}
    AL, _ = nn.forward_propagation(X, parameters, ["identity"] * (depth - 1) + ["sigmoid"])
    W, b = parameters["W1"], parameters["b1"]
    for l in range(2, depth + 1):  # the induction of step 2: fold one more layer into W′x + b′
        W, b = _fold(W, b, parameters[f"W{l}"], parameters[f"b{l}"])
    assert W.shape == (1, 3)
    np.testing.assert_allclose(AL, 1 / (1 + np.exp(-(W @ X + b))), rtol=RTOL)
