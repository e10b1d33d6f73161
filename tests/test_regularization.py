"""L2 regularization and inverted dropout: numpy against the derivations, the gradient checker, errors."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import relative_error

import derivations
import nn
from derivations import dropout as dr
from derivations import linear as li
from derivations import regularization as rg

ACTS = ["tanh", "relu", "sigmoid"]


def _problem(seed, dims=(3, 5, 4, 1), m=6):
    rng = np.random.default_rng(seed)
    parameters = nn.initialize_parameters(list(dims), "xavier", seed=seed)
    for l in range(1, len(dims)):
        parameters[f"b{l}"] = 0.2 * rng.normal(size=(dims[l], 1))
    X = rng.normal(size=(dims[0], m))
    Y = (rng.random((dims[-1], m)) < 0.5).astype(float)
    return parameters, X, Y


def _lambdified(expr, symbols):
    """numpy function of a derivation's matrix result; SymPy's bracketed names become plain ones."""
    clean = {
        s: (sp.MatrixSymbol(f"M{k}", s.rows, s.cols) if s.is_Matrix else sp.Symbol(f"s{k}"))
        for k, s in enumerate(symbols)
    }
    return sp.lambdify(list(clean.values()), expr.xreplace(clean), modules="numpy")


# --- L2 ------------------------------------------------------------------------------------------------


def test_l2_cost_adds_lambda_over_2m_times_the_squared_frobenius_norms_of_W_only():
    parameters, X, Y = _problem(0)
    AL, _ = nn.forward_propagation(X, parameters, ACTS)
    norms = sum(np.linalg.norm(parameters[f"W{l}"], "fro") ** 2 for l in (1, 2, 3))
    plain = nn.compute_cost(AL, Y)
    assert nn.compute_cost(AL, Y, parameters=parameters, lambd=0.7) == pytest.approx(
        plain + 0.7 / 12 * norms, rel=1e-13
    )
    assert nn.compute_cost(AL, Y, parameters=parameters) == plain


def test_l2_gradient_equals_the_derived_result():
    """dW[l] from nn equals the regularization.l2 result evaluated with nn's own dZ[l] and A[l-1]."""
    parameters, X, Y = _problem(1)
    AL, cache = nn.forward_propagation(X, parameters, ACTS)
    plain = nn.backward_propagation(AL, Y, cache, parameters, ACTS)
    grads = nn.backward_propagation(AL, Y, cache, parameters, ACTS, lambd=0.9)
    result = derivations.get("regularization.l2").result.rhs
    dW = _lambdified(result, [li.dZ_, li.A_prev_, li.W_, rg.lam, li.m])
    # the output layer's dZ[L] = A[L] − Y (sigmoid with bce): the derived dW at those numbers
    expected = dW(AL - Y, cache["A2"], parameters["W3"], 0.9, 6)
    np.testing.assert_allclose(grads["dW3"], expected, rtol=1e-13)
    for l in (1, 2, 3):
        np.testing.assert_allclose(grads[f"dW{l}"] - plain[f"dW{l}"], 0.9 / 6 * parameters[f"W{l}"], rtol=1e-10)
        np.testing.assert_array_equal(grads[f"db{l}"], plain[f"db{l}"])  # the penalty has no b


@pytest.mark.parametrize(
    ("acts", "mode"), [(["tanh", "tanh", "sigmoid"], "complex"), (ACTS, "full"), (ACTS, "directional")]
)
def test_gradient_checker_passes_l2_networks(acts, mode):
    parameters, X, Y = _problem(2)
    report = nn.gradcheck.check(parameters, X, Y, acts, mode=mode, lambd=1.3)
    assert report.passed, str(report)


def test_gradient_checker_catches_l2_on_b():
    parameters, X, Y = _problem(3)

    def l2_on_b(AL, Y, cache, parameters, activations, loss, lambd=0.0):
        grads = nn.backward_propagation(AL, Y, cache, parameters, activations, loss, lambd=lambd)
        return {**grads, "db1": grads["db1"] + lambd / AL.shape[1] * parameters["b1"]}

    report = nn.gradcheck.check(parameters, X, Y, ACTS, lambd=1.3, backward=l2_on_b)
    assert not report.passed
    assert max(report.errors, key=report.errors.get) == "b1"


def test_training_with_l2_shrinks_the_weights():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(2, 30))
    Y = (rng.random((1, 30)) < 0.5).astype(float)  # noise: nothing to learn but the noise
    options = {"learning_rate": 0.5, "num_iterations": 200, "seed": 0}
    plain, _ = nn.train(X, Y, [2, 8, 1], ["tanh", "sigmoid"], **options)
    decayed, costs = nn.train(X, Y, [2, 8, 1], ["tanh", "sigmoid"], lambd=3.0, **options)
    assert np.linalg.norm(decayed["W1"]) < 0.8 * np.linalg.norm(plain["W1"])
    AL, _ = nn.forward_propagation(X, decayed, ["tanh", "sigmoid"])
    assert costs[-1] == pytest.approx(nn.compute_cost(AL, Y, parameters=decayed, lambd=3.0), rel=1e-2)


@pytest.mark.parametrize("bad", [-0.1, np.inf, np.nan, True, "0.1", None])
def test_bad_lambda_is_refused(bad):
    parameters, X, Y = _problem(5)
    AL, cache = nn.forward_propagation(X, parameters, ACTS)
    with pytest.raises(ValueError, match=r"lambd is the L2 strength λ .* a finite number >= 0"):
        nn.backward_propagation(AL, Y, cache, parameters, ACTS, lambd=bad)
    with pytest.raises(ValueError, match="lambd is the L2 strength"):
        nn.compute_cost(AL, Y, parameters=parameters, lambd=bad)
    with pytest.raises(ValueError, match="lambd is the L2 strength"):
        nn.train(X, Y, [3, 5, 4, 1], ACTS, lambd=bad, num_iterations=1)


def test_l2_cost_needs_the_parameters():
    with pytest.raises(ValueError, match=r"lambd = 0.5 needs parameters=...: the L2 penalty"):
        nn.compute_cost(np.array([[0.5]]), np.array([[1.0]]), lambd=0.5)


# --- dropout -------------------------------------------------------------------------------------------


def test_masks_are_0_1_in_A_dtype_hidden_layers_only_and_the_same_for_the_same_seed():
    parameters, X, _ = _problem(6, m=50)
    parameters32 = {key: value.astype(np.float32) for key, value in parameters.items()}
    _, cache = nn.forward_propagation(X, parameters32, ACTS, keep_prob=0.6, seed=7)
    assert {key for key in cache if key.startswith("D")} == {"D1", "D2"}
    for l in (1, 2):
        D = cache[f"D{l}"]
        assert D.dtype == np.float32
        assert D.shape == cache[f"A{l}"].shape
        assert set(np.unique(D)) <= {0.0, 1.0}
        g = nn.activations.get(ACTS[l - 1])
        np.testing.assert_allclose(cache[f"A{l}"], g.forward(cache[f"Z{l}"]) * D / np.float32(0.6), rtol=1e-6)
    again = nn.forward_propagation(X, parameters32, ACTS, keep_prob=0.6, seed=7)[1]
    other = nn.forward_propagation(X, parameters32, ACTS, keep_prob=0.6, seed=8)[1]
    np.testing.assert_array_equal(again["D1"], cache["D1"])
    assert not np.array_equal(other["D1"], cache["D1"])
    assert "D1" not in nn.forward_propagation(X, parameters, ACTS)[1]


def test_each_hidden_layer_keeps_its_own_fraction():
    parameters, X, _ = _problem(7, dims=(3, 400, 300, 1), m=100)
    _, cache = nn.forward_propagation(X, parameters, ACTS, keep_prob=[0.5, 0.9], seed=0)
    # 40 000 and 30 000 Bernoulli draws: the standard error of the mean is below 0.003
    assert cache["D1"].mean() == pytest.approx(0.5, abs=0.015)
    assert cache["D2"].mean() == pytest.approx(0.9, abs=0.015)
    _, cache = nn.forward_propagation(X, parameters, ACTS, keep_prob=[1.0, 0.9], seed=0)
    assert "D1" not in cache
    assert "D2" in cache


def test_inverted_dropout_keeps_the_expected_activation():
    """The mean of A ⊙ D / p over many masks approaches A (dropout.inverted, step 2)."""
    rng = np.random.default_rng(8)
    A, p = rng.normal(size=(5, 1)), 0.7
    D = (rng.random((5, 200_000)) < p).astype(float)
    # the standard error is |a| √((1 − p)/p) / √200000 < 0.003 for |a| < 2.5
    np.testing.assert_allclose((A * D / p).mean(axis=1, keepdims=True), A, atol=0.015)
    assert derivations.get("dropout.inverted").steps[1].rhs == dr.a


def test_dropout_backward_equals_the_derived_rule():
    """backward's dA[l] before g' is dÃ[l] ⊙ D[l] / p: compare dW[l] computed from it."""
    parameters, X, Y = _problem(9)
    acts = ["tanh", "identity", "sigmoid"]
    AL, cache = nn.forward_propagation(X, parameters, acts, keep_prob=[0.5, 0.8], seed=1)
    grads = nn.backward_propagation(AL, Y, cache, parameters, acts)
    rule = _lambdified(
        derivations.get("dropout.inverted").result.rhs, [dr.dA_dropped[dr.r, dr.s], dr.D[dr.r, dr.s], dr.keep]
    )
    dA2 = rule(parameters["W3"].T @ (AL - Y), cache["D2"], 0.8)
    np.testing.assert_allclose(grads["dW2"], dA2 @ cache["A1"].T / 6, rtol=1e-12)  # identity: dZ2 = dA2
    np.testing.assert_allclose(grads["db2"], dA2.sum(axis=1, keepdims=True) / 6, rtol=1e-12)


@pytest.mark.parametrize(
    ("acts", "mode"), [(["tanh", "tanh", "sigmoid"], "complex"), (ACTS, "full"), (ACTS, "directional")]
)
def test_gradient_checker_passes_dropout_with_fixed_masks(acts, mode):
    parameters, X, Y = _problem(10)
    report = nn.gradcheck.check(parameters, X, Y, acts, mode=mode, keep_prob=[0.6, 0.8], lambd=0.2, seed=3)
    assert report.passed, str(report)


def test_gradient_checker_catches_dropout_backward_without_the_scale():
    parameters, X, Y = _problem(11)

    def unscaled(AL, Y, cache, parameters, activations, loss, lambd=0.0):
        return nn.backward_propagation(
            AL, Y, {**cache, "keep_prob1": 1.0, "keep_prob2": 1.0}, parameters, activations, loss
        )

    report = nn.gradcheck.check(parameters, X, Y, ACTS, keep_prob=0.5, seed=0, backward=unscaled)
    assert not report.passed


def test_predict_never_drops_and_training_with_dropout_learns():
    rng = np.random.default_rng(12)
    X = rng.normal(size=(2, 60))
    Y = (X[0:1] * X[1:2] > 0).astype(float)
    parameters, costs = nn.train(
        X, Y, [2, 16, 1], ["tanh", "sigmoid"], keep_prob=0.8, learning_rate=1.0, num_iterations=300, seed=0
    )
    assert costs[-1] < 0.8 * costs[0]
    first = nn.predict(X, parameters, ["tanh", "sigmoid"])
    np.testing.assert_array_equal(nn.predict(X, parameters, ["tanh", "sigmoid"]), first)


@pytest.mark.parametrize(
    ("keep_prob", "message"),
    [
        (0.0, r"keep_prob is the probability of keeping a unit, a number in \(0, 1\]; got 0.0"),
        (1.5, r"in \(0, 1\]; got 1.5"),
        (np.nan, r"in \(0, 1\]; got nan"),
        ("0.5", r"in \(0, 1\]; got '0.5'"),
        ([0.5], r"got 1 keep_prob values for L - 1 = 2 hidden layers"),
        ([0.5, 0.5, 0.5], r"got 3 keep_prob values"),
        ([0.5, -1.0], r"got -1.0 \(hidden layer 2\)"),
        (np.array(0.5), r"in \(0, 1\]; got array\(0.5\)"),  # as lambd and learning_rate refuse a 0-d array
    ],
)
def test_bad_keep_prob_is_refused(keep_prob, message):
    parameters, X, Y = _problem(13)
    with pytest.raises(ValueError, match=message):
        nn.forward_propagation(X, parameters, ACTS, keep_prob=keep_prob)
    with pytest.raises(ValueError, match=message):
        nn.train(X, Y, [3, 5, 4, 1], ACTS, keep_prob=keep_prob, num_iterations=1)


def test_dropout_without_hidden_layers_is_refused():
    with pytest.raises(ValueError, match="dropout drops hidden units only and this network has no hidden layer"):
        nn.train(np.ones((2, 3)), np.ones((1, 3)), [2, 1], ["sigmoid"], keep_prob=0.5, num_iterations=1)


def test_backward_needs_the_keep_prob_of_each_mask():
    parameters, X, Y = _problem(14)
    AL, cache = nn.forward_propagation(X, parameters, ACTS, keep_prob=0.5, seed=0)
    del cache["keep_prob1"]
    with pytest.raises(
        ValueError, match=r"cache\['keep_prob1'\] is None: backward scales dA\[1\] by D\[1\] / keep_prob"
    ):
        nn.backward_propagation(AL, Y, cache, parameters, ACTS)


# --- properties over depths and widths -----------------------------------------------------------------


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    depth=st.integers(1, 3),
    width=st.integers(1, 4),
    m=st.integers(2, 5),
    batch_norm=st.booleans(),
    keep=st.sampled_from([1.0, 0.5, 0.8]),
    lambd=st.sampled_from([0.0, 0.7]),
    seed=st.integers(0, 2**16),
)
def test_regularized_gradients_match_central_differences(depth, width, m, batch_norm, keep, lambd, seed):
    """Backward against central differences of the public forward + cost (same seed: same masks) at h = 1e-6, or,
    where those miss by 1e-6 relative, extrapolated from h and h/2 (Richardson: (4 D(h/2) − D(h))/3 cancels the h²
    term). Plain differences missed by 1.3e-6 where batch norm over m = 4 samples, half of them dropped, bends J
    sharply (depth 3, width 3, seed 170): exactly their h² truncation, which the extrapolation removes."""
    dims = [3] + [width] * depth + [1]
    acts = ["tanh"] * depth + ["sigmoid"]
    rng = np.random.default_rng(seed)
    parameters = nn.initialize_parameters(dims, "xavier", seed=seed, batch_norm=batch_norm)
    X, Y = rng.normal(size=(3, m)), (rng.random((1, m)) < 0.5).astype(float)
    keep_prob = keep

    def cost(params):
        AL, _ = nn.forward_propagation(X, params, acts, keep_prob=keep_prob, seed=seed)
        return nn.compute_cost(AL, Y, parameters=params, lambd=lambd)

    AL, cache = nn.forward_propagation(X, parameters, acts, keep_prob=keep_prob, seed=seed)
    grads = nn.backward_propagation(AL, Y, cache, parameters, acts, lambd=lambd)
    entries = [(parameters[key[1:]], index) for key in grads for index in np.ndindex(grads[key].shape)]
    analytic = np.array([grads[key][index] for key in grads for index in np.ndindex(grads[key].shape)])

    def central(h):
        numeric = []
        for value, index in entries:
            original = value[index]
            value[index] = original + h
            plus = cost(parameters)
            value[index] = original - h
            minus = cost(parameters)
            value[index] = original
            numeric.append((plus - minus) / (2 * h))
        return np.array(numeric)

    numeric = central(1e-6)
    if not analytic.any():  # every unit dropped: J is flat, and the differences hold only rounding (~1e-10)
        assert np.abs(numeric).max() < 1e-8
    elif relative_error(analytic, numeric) >= 1e-6:
        assert relative_error(analytic, (4 * central(5e-7) - numeric) / 3) < 1e-6


# --- command line --------------------------------------------------------------------------------------


def test_cli_passes_lambd_keep_prob_and_batch_norm_to_train(capsys):
    from nn import datasets
    from nn.cli import main

    argv = ["train", "--dataset", "planar", "--layers", "5", "--iterations", "20", "--seed", "1", "--json"]
    assert main([*argv, "--lambd", "0.5", "--keep-prob", "0.8", "--batch-norm"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["lambd"], summary["keep_prob"], summary["batch_norm"]) == (0.5, 0.8, True)
    X, Y = datasets.planar()
    options = {"init": "small", "learning_rate": 1.2, "num_iterations": 20, "seed": 1}
    _, costs = nn.train(X, Y, [2, 5, 1], ["tanh", "sigmoid"], lambd=0.5, keep_prob=0.8, batch_norm=True, **options)
    assert summary["final_cost"] == costs[-1]
    with pytest.raises(SystemExit) as exit_info:  # a bad input: one line and status 2, before any training
        main([*argv, "--keep-prob", "1.5"])
    assert exit_info.value.code == 2
    assert "keep_prob is the probability of keeping a unit" in capsys.readouterr().err
