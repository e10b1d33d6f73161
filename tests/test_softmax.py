r"""Softmax output with categorical cross-entropy: numpy against the SymPy derivation.

The derivation ``output.softmax_cross_entropy`` proves, for a symbolic number of classes K,
the Jacobian \(\partial a_p/\partial z_q = a_p(\delta_{pq} - a_q)\), its contraction with an
upstream gradient, and \(dz = a - y\). Here the numpy side is checked against those steps at
concrete K, against complex-step derivatives, and for stability at extreme logits.
"""

from __future__ import annotations

import dataclasses
import functools
import runpy
import warnings
from pathlib import Path

import mpmath
import numpy as np
import pytest
import sympy as sp
from support import relative_error

import derivations
import nn
from derivations import output

softmax = nn.activations.get("softmax")


@functools.cache
def derivation() -> derivations.Derivation:
    """The softmax derivation, built when a test first needs it rather than when a worker collects the file."""
    return derivations.get("output.softmax_cross_entropy")


def step_rhs(index: int) -> sp.Basic:
    """Step 0 is the definition, 1 the Jacobian, 2 the contraction with dA."""
    return derivation().steps[index].rhs


def concrete(expr: sp.Expr, K: int, **indices) -> sp.Expr:
    """A step of the derivation at a concrete K and concrete indices (sums expanded)."""
    names = {"p": output.p_, "q": output.q_}
    return expr.subs({output.K: K, **{names[key]: value for key, value in indices.items()}}).doit()


def reference_softmax(z: np.ndarray) -> np.ndarray:
    """The derivation's definition of a_p, evaluated by mpmath with 40 digits (exact in float64)."""
    K = len(z)
    symbols = [output.z_[j] for j in range(K)]
    with mpmath.workdps(40):
        values = {s: sp.Float(float(v), 40) for s, v in zip(symbols, z, strict=True)}
        return np.array([float(concrete(step_rhs(0), K, p=p).evalf(40, subs=values)) for p in range(K)])


def substitute(expr: sp.Expr, a: np.ndarray, da: np.ndarray | None = None) -> float:
    values = {output.a_[j]: float(a[j]) for j in range(len(a))}
    if da is not None:
        values.update({output.da_[j]: float(da[j]) for j in range(len(da))})
    return float(expr.xreplace(values))


# --- the derivation goes red when its softmax-specific steps are broken ------------------------------


@pytest.mark.parametrize(
    ("step", "wrong"),
    [
        (1, output.a_[output.p_] * (1 - output.a_[output.p_])),  # the Jacobian's diagonal only
        (1, -output.a_[output.p_] * output.a_[output.q_]),  # the Kronecker delta dropped
        (2, output.a_[output.q_] * output.da_[output.q_]),  # contraction without the sum term
        (4, output.y_[output.q_] / output.a_[output.q_]),  # dA with the sign lost
    ],
)
def test_verify_rejects_a_broken_softmax_step(step, wrong):
    """The broken step's own proof fails, so ``verify()``, which proves every step, rejects it."""
    assert not dataclasses.replace(derivation().steps[step], rhs=wrong).holds()


def test_dz_equals_a_minus_y_needs_targets_that_sum_to_one():
    """Without the hypothesis Σ y = 1 the result does not hold: the proof must use it."""
    result = derivation().result
    unconditional = dataclasses.replace(result, proof=lambda lhs, rhs: output._for_all({output.q_: output.K})(lhs, rhs))
    assert result.holds()
    assert not unconditional.holds()


# --- numpy against the derivation at concrete K ------------------------------------------------------


@pytest.mark.parametrize("K", [1, 2, 3, 5])
def test_forward_matches_the_definition(K):
    rng = np.random.default_rng(K)
    for z in (rng.uniform(-4, 4, K), rng.uniform(-40, 40, K), np.full(K, 700.0) + rng.normal(size=K)):
        actual = softmax.forward(z.reshape(K, 1)).ravel()
        np.testing.assert_allclose(actual, reference_softmax(z), rtol=1e-13, atol=1e-300)


@pytest.mark.parametrize("K", [2, 3, 5])
def test_backward_is_the_derived_jacobian_contracted_with_dA(K):
    rng = np.random.default_rng(10 + K)
    A = softmax.forward(rng.normal(size=(K, 1)) * 2)
    dA = rng.normal(size=(K, 1))
    entry = step_rhs(1)
    jacobian = np.array([[substitute(concrete(entry, K, p=p, q=q), A.ravel()) for q in range(K)] for p in range(K)])
    contracted = np.array([substitute(concrete(step_rhs(2), K, q=q), A.ravel(), dA.ravel()) for q in range(K)])
    np.testing.assert_allclose(softmax.backward(A, dA).ravel(), jacobian.T @ dA.ravel(), rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(softmax.backward(A, dA).ravel(), contracted, rtol=1e-13, atol=1e-16)


def test_backward_matches_complex_step_derivatives_of_forward():
    """Im softmax(Z + ih e_q)/h is column q of the Jacobian, with no cancellation (≤ 1e-13)."""
    rng = np.random.default_rng(2)
    K, m, h = 4, 6, 1e-20
    Z, dA = rng.normal(size=(K, m)) * 3, rng.normal(size=(K, m))
    A = softmax.forward(Z)
    numeric = np.empty_like(Z)
    for q in range(K):
        bump = np.zeros((K, m), dtype=complex)
        bump[q] = 1j * h
        E = np.exp(Z + bump)  # softmax is analytic; its unshifted form continues to complex z
        column_q = np.imag(E / E.sum(axis=0, keepdims=True)) / h  # ∂a_p/∂z_q for every p, per sample
        numeric[q] = np.sum(column_q * dA, axis=0)
    assert relative_error(softmax.backward(A, dA), numeric) <= 1e-13


def test_cross_entropy_dA_contracted_through_softmax_is_A_minus_Y():
    """The derivation's last steps, numerically: Softmax.backward(A, -Y/A) = A - Y."""
    rng = np.random.default_rng(4)
    K, m = 5, 7
    A = softmax.forward(rng.normal(size=(K, m)))
    Y = np.eye(K)[rng.integers(0, K, m)].T
    np.testing.assert_allclose(softmax.backward(A, nn.losses.output_gradient(A, Y, "cross_entropy")), A - Y, atol=1e-15)


# --- stability ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_is_quiet_and_normalised_for_logits_up_to_1e3(dtype):
    Z = np.array([[1e3, -1e3, 0.0, 1e3], [-1e3, 1e3, 0.0, 1e3 - 1], [0.0, 0.0, 0.0, -1e3]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        A = softmax.forward(Z)
        dZ = softmax.backward(A, np.ones_like(A))
    assert A.dtype == dZ.dtype == dtype
    assert np.isfinite(A).all()
    assert np.isfinite(dZ).all()
    np.testing.assert_allclose(A.sum(axis=0), 1, rtol=4 * np.finfo(dtype).eps)
    np.testing.assert_allclose(A[:, 0], [1, 0, 0])
    np.testing.assert_allclose(A[:2, 3], [1 / (1 + np.e), np.e / (1 + np.e)][::-1], rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_page_states_where_np_exp_overflows(dtype):
    """docs/output-layer.md and its twin: np.exp overflows above z = log(largest float), 709.78 in float64 and
    88.72 in float32; a hundredth either side of the stated figure falls on either side of the overflow."""
    stated = f"{np.log(np.float64(np.finfo(dtype).max)):.2f}"
    docs = Path(__file__).resolve().parents[1] / "docs"
    assert f"\\(z = {stated}\\) in {np.dtype(dtype).name}" in (docs / "output-layer.md").read_text(encoding="utf-8")
    assert f"\\(z > {stated}\\)" in (docs / "output-layer.zh.md").read_text(encoding="utf-8")
    with np.errstate(over="ignore"):
        assert np.isfinite(np.exp(dtype(float(stated) - 0.01)))
        assert np.exp(dtype(float(stated) + 0.01)) == np.inf


def test_cost_from_logits_is_exact_where_the_probabilities_underflow():
    """A confidently wrong sample: a = e^-1000 rounds to 0, yet J = 1000 exactly from the logits."""
    Z = np.array([[1000.0, 0.0], [0.0, 0.0]])
    Y = np.array([[0.0, 1.0], [1.0, 0.0]])
    A = softmax.forward(Z)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        exact = nn.compute_cost(A, Y, "cross_entropy", ZL=Z)
        clipped = nn.compute_cost(A, Y, "cross_entropy")
    assert exact == pytest.approx((1000 + np.log(2)) / 2, rel=1e-15)
    assert clipped == pytest.approx((-np.log(np.finfo(float).eps) + np.log(2)) / 2, rel=1e-12)


def test_bce_cost_from_logits_is_exact_for_a_saturated_sigmoid():
    Z, Y = np.array([[-800.0, 40.0, 0.0]]), np.array([[1.0, 0.0, 1.0]])
    A = nn.activations.get("sigmoid").forward(Z)
    assert nn.compute_cost(A, Y, "bce", ZL=Z) == pytest.approx((800 + 40 + np.log(2)) / 3, rel=1e-15)


@pytest.mark.parametrize("K", [2, 3, 6])
def test_cost_from_logits_matches_the_logsumexp_derivation(K):
    """The numpy cost against the derivation's result L = logsumexp(z) − Σ y z, by mpmath."""
    rng = np.random.default_rng(K)
    Z, Y = rng.normal(size=(K, 4)) * 5, np.eye(K)[rng.integers(0, K, 4)].T
    result = derivations.get("output.softmax_logsumexp").result
    lse = next(s for s in result.rhs.free_symbols if s.name == "logsumexp(z)")
    expected = 0.0
    for column in range(4):
        values = {output.z_[j]: sp.Float(Z[j, column], 30) for j in range(K)}
        values.update({output.y_[j]: int(Y[j, column]) for j in range(K)})
        values[lse] = sp.log(sum(sp.exp(values[output.z_[j]]) for j in range(K)))
        expected += float(concrete(result.rhs, K).xreplace(values).evalf(30)) / 4
    assert nn.compute_cost(softmax.forward(Z), Y, "cross_entropy", ZL=Z) == pytest.approx(expected, rel=1e-14)


# --- the network: forward, backward, predict, train, dtype --------------------------------------------


def problem(K=3, m=8, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(2, m)).astype(dtype)
    labels = rng.integers(0, K, m)
    parameters = nn.initialize_parameters([2, 4, K], "xavier", seed=seed, dtype=dtype)
    return X, labels, np.eye(K)[labels].T, parameters


def test_backward_with_cross_entropy_starts_from_A_minus_Y():
    X, _, Y, parameters = problem()
    acts = ["tanh", "softmax"]
    AL, cache = nn.forward_propagation(X, parameters, acts)
    grads = nn.backward_propagation(AL, Y, cache, parameters, acts, loss="cross_entropy")
    np.testing.assert_allclose(AL.sum(axis=0), 1, rtol=1e-15)
    np.testing.assert_allclose(grads["dW2"], (AL - Y) @ cache["A1"].T / 8, rtol=1e-14)
    np.testing.assert_allclose(grads["db2"], (AL - Y).sum(axis=1, keepdims=True) / 8, rtol=1e-14)


def test_predict_returns_class_indices_for_K_outputs():
    parameters = {"W1": np.eye(3), "b1": np.zeros((3, 1))}
    X = np.array([[5.0, 0.0, 1.0, 2.0], [0.0, 5.0, 1.0, 2.0], [0.0, 0.0, 3.0, 1.0]])
    P = nn.predict(X, parameters, ["softmax"])
    assert P.shape == (1, 4)
    assert P.dtype.kind == "i"
    np.testing.assert_array_equal(P, [[0, 1, 2, 0]])  # the last column ties 0 and 1: the lower index


def test_training_with_softmax_learns_three_separable_classes():
    rng = np.random.default_rng(5)
    centres = np.array([[0.0, 4.0, -4.0], [4.0, -3.0, -3.0]])
    labels = rng.integers(0, 3, 90)
    X = centres[:, labels] + rng.normal(size=(2, 90))
    Y = np.eye(3)[labels].T
    parameters, costs = nn.train(
        X, Y, [2, 8, 3], ["tanh", "softmax"], loss="cross_entropy", learning_rate=0.5, num_iterations=300, seed=0
    )
    assert costs[-1] < 0.1 < costs[0]
    assert np.mean(nn.predict(X, parameters, ["tanh", "softmax"]) == labels) >= 0.97


def test_float32_softmax_network_stays_float32():
    X, _, Y, parameters = problem(dtype=np.float32)
    acts = ["relu", "softmax"]
    AL, cache = nn.forward_propagation(X, parameters, acts)
    grads = nn.backward_propagation(AL, Y, cache, parameters, acts, loss="cross_entropy")
    assert AL.dtype == np.float32
    assert {value.dtype for value in grads.values()} == {np.dtype(np.float32)}
    assert type(nn.compute_cost(AL, Y, "cross_entropy", ZL=cache["Z2"])) is float


def test_gradcheck_passes_softmax_networks_in_every_mode():
    X, _, Y, parameters = problem(K=4, m=6, seed=3)
    for mode in nn.gradcheck.MODES:
        report = nn.gradcheck.check(parameters, X, Y, ["tanh", "softmax"], loss="cross_entropy", mode=mode)
        assert report.passed, str(report)


def test_docs_example_trains_and_predicts_every_label(capsys):
    runpy.run_path(str(Path(__file__).resolve().parents[1] / "docs" / "examples" / "softmax_example.py"))
    printed = capsys.readouterr().out.splitlines()
    assert printed[1].split(":")[1].strip() == printed[2].split(":")[1].strip() == "[[0 2 1 1 0 2]]"
