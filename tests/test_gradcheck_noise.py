"""The checker's noise model: no false alarm at any scale, no miss, and "cannot tell" when the
gradient is below the noise floor of J (issue: a gradient checker that never cries wolf).

Each case is one a learner meets with correct code: a large summed cost, a saturated logistic
unit at its optimum, the course's week-3 planar homework with weights × 0.01. Each first shows
that the tolerance alone would fail it (so the noise bound is what passes it), then that the
check passes; and a bug planted in the same code is still found, named and diagnosed alone.
"""

from __future__ import annotations

import numpy as np
import pytest
from course_code import two_layer_backward, two_layer_forward

import nn.datasets
from nn.gradcheck import check_function, check_two_layer
from nn.gradcheck.estimates import FLOOR


def summed_square(seed=2, n=300):
    """J = ½‖AW‖² with an n × n W: a sum of n² squares with no 1/m, J ≈ 1.5e4 for n = 300."""
    rng = np.random.default_rng(seed)
    A, W = rng.standard_normal((n, n)) / 30, rng.standard_normal((n, n))

    def cost(p):
        return 0.5 * np.sum((A @ p["W"]) ** 2)

    def gradients(p):
        return {"W": A.T @ (A @ p["W"])}

    return cost, gradients, {"W": W}


@pytest.mark.slow  # two checks of a 300 × 300 block: about 1 s
def test_a_large_summed_cost_passes_in_directional_mode_and_a_one_entry_bug_is_found():
    cost, gradients, parameters = summed_square()
    report = check_function(cost, gradients, parameters, mode="directional")
    assert report.errors["all"] > report.tolerance  # the tolerance alone cries wolf here
    assert report.passed, str(report)
    assert report.errors["all"] <= report.noise["all"]

    def one_entry_off(p):
        G = gradients(p)["W"]
        G[251, 66] += 0.01 * np.abs(G).max()
        return {"W": G}

    buggy = check_function(cost, one_entry_off, parameters, mode="directional")
    assert buggy.failed == ["all", "W"]
    key, index, analytic, numeric = buggy.worst
    assert (key, index) == ("W", (251, 66)), str(buggy)
    assert abs(analytic - numeric) > 0.005 * np.abs(gradients(parameters)["W"]).max()


def saturated_logistic():
    """Logistic regression with weights ±10 at the b where db = mean(A − Y) nearly vanishes."""
    rng = np.random.default_rng(0)
    m = 400
    X = rng.standard_normal((2, m))
    Y = (X[0:1] - X[1:2] + 0.5 * rng.standard_normal((1, m)) > 0).astype(float)

    def cost(p):
        Z = p["w"].T @ X + p["b"]
        return np.mean(np.logaddexp(0, -Z) * Y + np.logaddexp(0, Z) * (1 - Y))

    def gradients(p):
        A = 1 / (1 + np.exp(-(p["w"].T @ X + p["b"])))
        return {"w": X @ (A - Y).T / m, "b": np.mean(A - Y, keepdims=True)[0]}

    return cost, gradients, {"w": np.array([[10.0], [-10.0]]), "b": np.array([0.0165])}


def test_a_saturated_logistic_unit_passes_within_its_noise_bound():
    cost, gradients, parameters = saturated_logistic()
    report = check_function(cost, gradients, parameters, h=1e-6)
    assert report.errors["b"] > report.tolerance  # |db| ≈ 6e-7: the rounding of J is ~1e-6 of it
    assert report.passed, str(report)
    assert report.status("b") == "ok (within noise)"
    assert "noise bound" in str(report).splitlines()[1]


def test_a_saturated_logistic_unit_with_db_off_by_a_thousandth_fails():
    cost, gradients, parameters = saturated_logistic()

    def off(p):
        return {**gradients(p), "b": gradients(p)["b"] * 1.001}

    report = check_function(cost, off, parameters)
    assert report.failed == ["b"], str(report)


def planar(seed, dtype=np.float64):
    """The course's week-3 homework: planar flower, m = 400, n_h = 4, weights N(0, 1) × 0.01, zero biases."""
    X, Y = nn.datasets.planar()
    rng = np.random.default_rng(seed)
    parameters = {
        "W1": rng.standard_normal((4, 2)) * 0.01,
        "b1": np.zeros((4, 1)),
        "W2": rng.standard_normal((1, 4)) * 0.01,
        "b2": np.zeros((1, 1)),
    }
    return {key: value.astype(dtype) for key, value in parameters.items()}, X.astype(dtype), Y.astype(dtype)


def check_planar(seed, mode, mistake="", dtype=np.float64):
    parameters, X, Y = planar(seed, dtype)
    return check_two_layer(two_layer_forward, two_layer_backward(mistake), parameters, X, Y, mode=mode)


@pytest.mark.parametrize(("seed", "mode"), [(0, "full"), (29, "full"), (0, "complex")])
def test_the_course_planar_homework_passes(seed, mode):
    """Seed 0 fails on db1 under the tolerance alone in both modes; seed 29's db1 is the smallest."""
    report = check_planar(seed, mode)
    assert max(report.errors.values()) > report.tolerance  # the tolerance alone cries wolf here
    assert report.passed, str(report)
    assert (report.failed, report.undecided) == ([], [])


@pytest.mark.slow  # 60 checks: about 3 s
@pytest.mark.parametrize("mode", ["full", "complex"])
def test_the_course_planar_homework_passes_for_every_initialization_seed(mode):
    reports = {seed: check_planar(seed, mode) for seed in range(30)}
    assert {seed: str(r) for seed, r in reports.items() if not r.passed} == {}
    assert any(max(r.errors.values()) > r.tolerance for r in reports.values())  # the noise bound is needed


def test_the_course_planar_homework_in_float32_fails_no_block():
    with pytest.warns(nn.gradcheck.WeakCheckWarning):
        report = check_planar(0, "full", dtype=np.float32)
    assert report.failed == [], str(report)
    assert report.undecided  # db1 and db2 are below float32's noise floor of J
    for key in report.undecided:
        assert report.noise[key] > FLOOR
    text = str(report)
    assert text.count("cannot tell") == len(report.undecided) + 1
    assert "check in mode 'complex', in float64, or rescale J or the parameters" in text


@pytest.mark.parametrize(
    ("mistake", "blocks", "said"),
    [
        ("tanh-1-A", ["W1", "b1"], "tanh′ written as 1 − A instead of 1 − A²"),
        ("db-no-1/m", ["b1", "b2"], "db[l] = Σ dZ[l] without the 1/m"),
    ],
)
def test_a_bug_planted_in_the_planar_homework_is_named_alone(mistake, blocks, said):
    report = check_planar(0, "full", mistake)
    assert sorted(report.failed) == blocks, str(report)
    assert report.undecided == []
    assert report.diagnosis.startswith(said)
    assert "match no known mistake" not in report.diagnosis
    assert report.worst[0] in blocks
    lines = str(report).splitlines()
    assert [line.split()[0] for line in lines if line.endswith("FAIL")] == sorted(blocks, key=list(report.errors).index)
