"""nn.gradcheck passes on correct backprop, fails on broken backprop and names the guilty parameter."""

from __future__ import annotations

import runpy
from pathlib import Path

import numpy as np
import pytest
from support import random_problem

import nn
from nn.gradcheck import WeakCheckWarning, check

ROOT = Path(__file__).resolve().parents[1]

NETWORKS = [  # (layer_dims, activations, loss): every activation, both losses, 1 to 3 layers
    ([3, 5, 4, 1], ["relu", "tanh", "sigmoid"], "bce"),
    ([4, 6, 2], ["tanh", "identity"], "mse"),
    ([3, 4, 2], ["leaky_relu", "sigmoid"], "mse"),
    ([2, 3, 1], ["sigmoid", "sigmoid"], "bce"),
    ([3, 1], ["identity"], "mse"),
    ([3, 4, 1], ["tanh", "hard_sigmoid"], "bce"),  # bce without the fused sigmoid rule: dA = (A − Y)/(A(1 − A))
]
ANALYTIC = [net for net in NETWORKS if all(nn.activations.get(name).analytic for name in net[1])]


def problem(layer_dims, loss, seed=0, m=7):
    return random_problem(np.random.default_rng(seed), layer_dims, m, loss)


@pytest.mark.parametrize("mode", ["full", "directional"])
@pytest.mark.parametrize(("layer_dims", "activations", "loss"), NETWORKS)
def test_passes_on_correct_backprop(layer_dims, activations, loss, mode):
    X, Y, parameters = problem(layer_dims, loss)
    report = check(parameters, X, Y, activations, loss=loss, mode=mode)
    assert report.passed, str(report)
    assert max(report.errors.values()) <= 1e-7


@pytest.mark.parametrize(("layer_dims", "activations", "loss"), ANALYTIC)
def test_complex_step_is_exact_to_rounding(layer_dims, activations, loss):
    X, Y, parameters = problem(layer_dims, loss)
    report = check(parameters, X, Y, activations, loss=loss, mode="complex")
    assert report.passed
    assert max(report.errors.values()) <= 1e-13, str(report)


def test_complex_step_refuses_a_kink():
    X, Y, parameters = problem([3, 4, 1], "bce")
    with pytest.raises(ValueError, match=r"complex step needs analytic activations; relu \(layer 1\) has a kink at 0"):
        check(parameters, X, Y, ["relu", "sigmoid"], mode="complex")


@pytest.mark.parametrize("mode", ["full", "directional"])
@pytest.mark.parametrize("name", nn.activations.names(elementwise=True))
def test_passes_for_every_registered_activation(name, mode):
    X, Y, parameters = problem([3, 5, 2], "mse")
    report = check(parameters, X, Y, [name, "identity"], loss="mse", mode=mode)
    assert report.passed, str(report)


def test_complex_step_refuses_a_forward_that_drops_the_imaginary_part(monkeypatch):
    def tanh_through_abs(Z):  # equal to tanh on real z, but |z| throws the imaginary part away
        return np.where(Z.real >= 0, 1.0, -1.0) * np.tanh(np.abs(Z))

    monkeypatch.setattr(nn.activations.get("tanh"), "forward", tanh_through_abs)
    X, Y, parameters = problem([3, 4, 1], "bce")
    with pytest.raises(ValueError, match=r"tanh \(layer 1\) uses real-only operations"):
        check(parameters, X, Y, ["tanh", "sigmoid"], mode="complex")


def _broken(change):
    """nn's backward with one gradient changed by ``change(grads, m)``."""
    correct = nn.network.backward_propagation

    def backward(AL, Y, cache, parameters, activations, loss="bce"):
        grads = correct(AL, Y, cache, parameters, activations, loss)
        change(grads, AL.shape[1])
        return grads

    return backward


def missing_one_over_m(grads, m):
    grads["dW2"] = grads["dW2"] * m


@pytest.mark.parametrize("mode", ["full", "directional"])
def test_fails_and_names_the_parameter_when_backward_is_broken(monkeypatch, mode):
    monkeypatch.setattr(nn.network, "backward_propagation", _broken(missing_one_over_m))
    X, Y, parameters = problem([3, 5, 4, 1], "bce", m=8)
    report = check(parameters, X, Y, ["tanh", "tanh", "sigmoid"], mode=mode)
    assert not report.passed
    assert report.worst[0] == "W2"
    assert report.errors["W2"] > 0.5
    assert all(report.errors[key] <= 1e-7 for key in ("W1", "b1", "W3", "b3"))
    assert "dW2 is off by a factor ≈ m = 8 — a missing 1/m?" in str(report)


@pytest.mark.parametrize(
    ("change", "guilty", "hint"),
    [
        (lambda grads, m: grads.update(db1=-grads["db1"]), "b1", "db1 has the wrong sign"),
        (lambda grads, m: grads.update(db2=2 * grads["db2"]), "b2", "db2 is off by a factor ≈ 2"),
        (lambda grads, m: grads.update(dW2=grads["dW2"].T), "W2", "dW2 is the transpose"),
        (lambda grads, m: grads.update(dW2=grads["dW2"] + 0.1), "W2", "dW2 disagrees with the numeric gradient"),
    ],
)
def test_hints_claim_a_cause_only_when_it_fits_exactly(change, guilty, hint):
    X, Y, parameters = problem([3, 3, 3, 1], "bce", m=5)
    report = check(parameters, X, Y, ["tanh", "tanh", "sigmoid"], backward=_broken(change))
    assert not report.passed
    assert report.worst[0] == guilty
    assert report.hint.startswith(hint), report.hint


def _relu_at_kink():
    """A relu network whose pre-activation Z1[0, 0] is exactly 0: sample 0 is the zero vector, b1[0] = 0."""
    X, Y, parameters = problem([3, 4, 1], "bce")
    X[:, 0] = 0.0
    parameters["b1"][0, 0] = 0.0
    _, cache = nn.forward_propagation(X, parameters, ["relu", "sigmoid"])
    assert cache["Z1"][0, 0] == 0.0
    return parameters, X, Y, ["relu", "sigmoid"]


def test_kink_entries_are_skipped_and_reported():
    report = check(*_relu_at_kink())
    assert report.passed, str(report)
    assert report.skipped["b1"] == 1  # only b1[0] moves Z1[0, 0] (sample 0 has X = 0)
    assert sum(report.skipped.values()) == 1
    assert any("Z1: 1 pre-activation" in text for text in report.warnings)


def test_kink_entries_fail_when_asked():
    report = check(*_relu_at_kink(), kinks="fail")
    assert not report.passed
    assert report.crossings["b1"] == 1
    assert report.errors["b1"] > 1e-7  # the central difference straddles the kink: relu'(0) = 0 is one side


def test_float32_warns_and_uses_the_looser_tolerance():
    X, Y, parameters = problem([3, 5, 1], "bce")
    parameters = {key: value.astype(np.float32) for key, value in parameters.items()}
    with pytest.warns(WeakCheckWarning, match="float32 check"):
        report = check(parameters, X, Y, ["tanh", "sigmoid"])
    assert report.passed, str(report)
    assert (report.dtype, report.tolerance, report.h) == (np.float32, 1e-2, 1e-3)
    assert any("float32" in text for text in report.warnings)


def test_report_prints_and_is_data():
    X, Y, parameters = problem([3, 4, 1], "bce")
    original = {key: value.copy() for key, value in parameters.items()}
    report = check(parameters, X, Y, ["tanh", "sigmoid"])
    text = str(report)
    assert all(key in text for key in ("W1", "b1", "W2", "b2"))
    assert "PASS" in text
    assert "FAIL" not in text
    assert set(report.errors) == {"W1", "b1", "W2", "b2"}
    assert (report.mode, report.dtype, report.tolerance) == ("full", np.float64, 1e-7)
    assert report.skipped == dict.fromkeys(report.errors, 0)
    assert report.warnings == []
    assert all(np.array_equal(parameters[key], original[key]) for key in original)  # every entry restored


def test_bad_input_is_reported_by_nn_validation():
    X, Y, parameters = problem([3, 4, 1], "bce")
    with pytest.raises(ValueError, match="X has 7 rows but W1 expects 3"):
        check(parameters, X.T, Y, ["tanh", "sigmoid"])
    with pytest.raises(ValueError, match="unknown mode 'fast'"):
        check(parameters, X, Y, ["tanh", "sigmoid"], mode="fast")


def test_docs_example_runs():
    namespace = runpy.run_path(str(ROOT / "docs" / "examples" / "gradcheck_example.py"))
    assert namespace["report"].passed
