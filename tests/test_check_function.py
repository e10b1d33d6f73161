"""nn.gradcheck.check_function checks a learner's own cost and gradients, any names and shapes."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from support import page_text

import nn
from nn.gradcheck import GradientShapeError, WeakCheckWarning, check_function

DOCS = Path(__file__).resolve().parents[1] / "docs"


def quadratic(seed=0):
    """J = Σ tanh(a) · (M x)² + c²/2 on blocks of three shapes, 0-d included, with its exact gradients."""
    rng = np.random.default_rng(seed)
    parameters = {"a": rng.normal(size=(3,)), "M": rng.normal(size=(3, 3)), "c": np.array(0.7)}
    x = rng.normal(size=3)

    def cost(p):
        return np.sum(np.tanh(p["a"]) * (p["M"] @ x) ** 2) + p["c"] ** 2 / 2

    def gradients(p):
        u = p["M"] @ x
        return {
            "da": (1 - np.tanh(p["a"]) ** 2) * u**2,
            "dM": np.outer(2 * np.tanh(p["a"]) * u, x),
            "dc": p["c"],
            "du": u,  # an extra key: ignored
        }

    return cost, gradients, parameters


@pytest.mark.parametrize("mode", nn.gradcheck.MODES)
def test_passes_on_correct_gradients_in_every_mode(mode):
    cost, gradients, parameters = quadratic()
    original = {key: value.copy() for key, value in parameters.items()}
    report = check_function(cost, gradients, parameters, mode=mode)
    assert report.passed, str(report)
    assert report.derivation is None
    assert all(np.array_equal(parameters[key], original[key]) for key in original)


def test_gradients_under_the_parameters_own_names():
    cost, gradients, parameters = quadratic()
    report = check_function(cost, lambda p: {key[1:]: value for key, value in gradients(p).items()}, parameters)
    assert report.passed, str(report)
    assert set(report.errors) == {"a", "M", "c"}


#: Where check-your-own.md says the gradients are named one way for all of them, and a mix is refused.
ONE_WAY = {
    "check-your-own.md": ("names or `\"d\" + name`, one way for all of them",
                          "and so is a dict that names some gradients one way and the others the other way"),
    "check-your-own.zh.md": ("`\"d\" + name`，所有梯度用同一种写法", "有的梯度用一种写法、有的用另一种，也会报错"),
}  # fmt: skip


@pytest.mark.parametrize("page", ONE_WAY)
def test_gradients_named_both_ways_are_refused_with_each_kind_listed(page):
    """A dict with some gradients under the parameters' own names and the others under "d" + name is an error that
    lists each kind (the page's "one way for all of them"), not a crash; one way or the other passes."""
    cost, gradients, parameters = quadratic()
    mixed = {("M" if key == "dM" else key): value for key, value in gradients(parameters).items()}
    with pytest.raises(ValueError, match=r"own names \('M'\) and others under 'd' \+ name \('da', 'dc'\)") as error:
        check_function(cost, lambda p: mixed, parameters)
    assert "（'M'）" in error.value.text("zh")
    assert "（'da'、'dc'）" in error.value.text("zh")
    text = page_text(page)
    for words in ONE_WAY[page]:
        assert words in text, words


def _changed(gradients, key, change):
    def changed(p):
        grads = gradients(p)
        grads[key] = change(grads[key])
        return grads

    return changed


@pytest.mark.parametrize(
    ("key", "change", "relation"),
    [
        ("dM", lambda G: -G, "dM is the numeric gradient with the sign flipped"),
        ("dM", lambda G: 8 * G, "dM is 8 times the numeric gradient in every entry"),
        ("da", lambda G: G / 8, "da is 0.125 times the numeric gradient in every entry"),
        ("dM", lambda G: G.T, "dM is the numeric gradient transposed"),
        ("dM", lambda G: G + 0.1, "dM disagrees with the numeric gradient, by no single factor, sign or transpose"),
    ],
)
def test_a_failure_states_the_relation_it_found_and_names_no_derivation(key, change, relation):
    """A learner's function has no known structure: the relation is a fact, a derivation would be a guess."""
    cost, gradients, parameters = quadratic()
    report = check_function(cost, _changed(gradients, key, change), parameters)
    assert not report.passed
    assert report.worst[0] == key[1:]
    assert report.hint.startswith(relation), report.hint
    assert report.derivation is None
    assert "diagnosis" not in str(report)


def test_directional_narrows_a_learner_function_to_the_block_and_entry(monkeypatch):
    monkeypatch.setattr(nn.gradcheck.narrowing, "FULL_WORK", 0)  # bisect even a small block
    cost, gradients, parameters = quadratic()

    def one_wrong_entry(p):
        grads = gradients(p)
        grads["dM"][2, 1] += 1.0
        return grads

    report = check_function(cost, one_wrong_entry, parameters, mode="directional")
    assert not report.passed
    assert report.bisected
    assert report.worst[:2] == ("M", (2, 1))


def test_complex_refuses_a_cost_that_drops_the_imaginary_part():
    cost, gradients, parameters = quadratic()
    with pytest.raises(ValueError, match=r"carries the imaginary part through.*use mode='full'"):
        check_function(lambda p: cost({**p, "c": np.abs(p["c"])}), gradients, parameters, mode="complex")


#: A cost through each operation the refusal may name, all equal to Σ w² on real w.
THROUGH = {
    "abs": lambda p: np.sum(np.abs(p["w"]) ** 2),
    "real-only casts": lambda p: np.sum(np.real(p["w"]) ** 2),
    "max": lambda p: np.sum(np.maximum(p["w"], 0) ** 2 + np.minimum(p["w"], 0) ** 2),
}


def test_the_refusal_names_only_operations_that_drop_the_imaginary_part():
    """complex mode's refusal of a cost lists what drops the imaginary part; each one it names does, and np.maximum,
    which compares complex numbers by their real parts and keeps the imaginary part of the one it picks, does not."""
    parameters = {"w": np.array([0.5, -1.5, 2.0])}

    def gradients(p):
        return {"dw": 2 * p["w"]}

    with pytest.raises(ValueError, match="drop it") as error:
        check_function(THROUGH["abs"], gradients, parameters, mode="complex")
    (named,) = re.findall(r"carries the imaginary part through \((.*) drop it\)", str(error.value))
    names = re.split(r", | and ", named)
    assert set(names) <= THROUGH.keys(), names
    for name in names:
        with pytest.raises(ValueError, match="carries the imaginary part through"):
            check_function(THROUGH[name], gradients, parameters, mode="complex")
    assert check_function(THROUGH["max"], gradients, parameters, mode="complex").passed


def test_complex_refuses_a_cost_that_rejects_complex_input():
    cost, gradients, parameters = quadratic()

    def through_math(p):  # math.exp takes real numbers only
        return cost(p) + math.exp(p["c"]) - math.exp(0.7)

    def plus_exp(p):
        return {**gradients(p), "dc": gradients(p)["dc"] + np.exp(p["c"])}

    assert check_function(through_math, plus_exp, parameters).passed
    with pytest.raises(ValueError, match="accepts complex parameters; yours raised ComplexWarning"):
        check_function(through_math, plus_exp, parameters, mode="complex")


def test_float32_warns_and_uses_the_looser_tolerance():
    cost, gradients, parameters = quadratic()
    parameters = {key: value.astype(np.float32) for key, value in parameters.items()}
    with pytest.warns(WeakCheckWarning, match="float32 check"):
        report = check_function(cost, gradients, parameters)
    assert report.passed, str(report)
    assert (report.dtype, report.tolerance, report.h) == (np.float32, 1e-2, 1e-3)


def test_a_misshapen_gradient_names_the_parameter_and_both_shapes():
    cost, gradients, parameters = quadratic()
    with pytest.raises(GradientShapeError, match=r"da has shape \(3, 1\) but a has shape \(3,\)") as error:
        check_function(cost, _changed(gradients, "da", lambda G: G[:, None]), parameters)
    assert (error.value.parameter, error.value.expected, error.value.got) == ("a", (3,), (3, 1))
    assert error.value.derivation is None


def test_a_misshapen_gradient_under_the_parameters_own_name_says_which_is_which():
    message = r"^the gradient w has shape \(1,\) but the parameter w has shape \(2,\)"
    with pytest.raises(GradientShapeError, match=message):
        check_function(lambda p: float(np.sum(p["w"] ** 2)), lambda p: {"w": p["w"][:1]}, {"w": np.ones(2)})


def test_a_transposed_shape_says_so():
    def cost(p):
        return np.sum(p["W"] @ np.ones(3))

    with pytest.raises(GradientShapeError, match=r"dW has shape \(3, 2\) but W has shape \(2, 3\).*shape of Wᵀ"):
        check_function(cost, lambda p: {"dW": np.ones((3, 2))}, {"W": np.zeros((2, 3))})


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((lambda p: 0.0, lambda p: {}, [1.0]), "parameters must be a non-empty dict"),
        ((lambda p: 0.0, lambda p: {}, {}), "parameters must be a non-empty dict"),
        ((lambda p: 0.0, lambda p: {}, {"w": np.arange(3)}), r"parameters\['w'\] has dtype int64"),
        ((lambda p: 0.0, lambda p: {}, {"w": np.array([np.nan])}), r"parameters\['w'\] has entries that are not"),
        (
            (lambda p: p["w"], lambda p: {}, {"w": np.ones(2)}),
            r"must return one number J; it returned a float64 array of shape \(2,\)$",
        ),
        ((lambda p: "0.5", lambda p: {}, {"w": np.ones(2)}), r"must return one number J; it returned a str$"),
        (
            (lambda p: (1.0, 2.0), lambda p: {}, {"w": np.ones(2)}),
            r"must return one number J; it returned a tuple of 2$",
        ),
        ((lambda p: np.inf, lambda p: {}, {"w": np.ones(2)}), r"cost\(parameters\) returned inf"),
        ((lambda p: 0.0, lambda p: [p["w"]], {"w": np.ones(2)}), "must return a dict of gradients; it returned a list"),
        ((lambda p: 0.0, lambda p: {"dv": 1.0}, {"w": np.ones(2)}), r"no gradient for parameter 'w'.*returned 'dv'"),
        ((lambda p: 0.0, lambda p: {"dw": np.array([np.nan, 0])}, {"w": np.ones(2)}), "dw has entries that are not"),
        ((lambda p: 0.0, lambda p: {"dw": ["a", "b"]}, {"w": np.ones(2)}), "dw must be a real array"),
    ],
)
def test_bad_input_is_a_clear_error(arguments, message):
    with pytest.raises(ValueError, match=message):
        check_function(*arguments)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"h": 0}, r"h = 0: the step h of the estimate must be a positive number"),
        ({"h": -1e-6}, r"h = -1e-06: the step h"),
        ({"h": np.nan}, r"h = nan: the step h"),
        ({"h": "small"}, r"h = 'small': the step h"),
        ({"tolerance": -1e-7}, r"tolerance = -1e-07: the tolerance is a relative error, a number ≥ 0"),
    ],
    ids=["h zero", "h negative", "h nan", "h text", "tolerance negative"],
)
def test_a_step_or_tolerance_that_cannot_be_used_is_a_clear_error(options, message):
    cost, gradients, parameters = quadratic()
    with pytest.raises(ValueError, match=message):
        check_function(cost, gradients, parameters, **options)


def _log_barrier(p):
    """J = −log w, inf for w ≤ 0 (as a learner's cost may be outside its domain), and its gradient."""
    w = p["w"][0]
    return np.inf if w <= 0 else -float(np.log(w))


@pytest.mark.parametrize("mode", ["full", "directional"])
def test_a_cost_not_finite_within_a_step_is_a_clear_error_not_a_pass(mode):
    """w = 5e-7 with h = 1e-6: J(w − h) is inf. The check raises; it used to print a PASS with a
    relative error of nan, and numpy's RuntimeWarnings."""
    gradients = lambda p: {"w": -1 / p["w"]}  # noqa: E731
    with pytest.raises(ValueError, match=r"returned inf at parameters moved by a step of the check: J must be finite"):
        check_function(_log_barrier, gradients, {"w": np.array([5e-7])}, mode=mode)
    assert check_function(_log_barrier, gradients, {"w": np.array([2e-5])}, mode=mode).passed  # farther from 0


def test_a_larger_step_where_the_cost_is_not_finite_is_not_taken():
    """Where rounding dominates, the checker tries steps ten times larger; one whose probes leave
    the cost's domain ends the search with the last step that worked."""
    from nn.gradcheck.estimates import NonFiniteCost, best_step

    def measure(step):  # a bound that falls as the step grows, and a cost that is inf beyond 1e-5
        if step > 1e-5 * (1 + 1e-9):
            raise NonFiniteCost("J = inf")
        rounding = np.array([1e-6 / step])
        return np.array([1.0]), rounding, np.array([0.0]), [], rounding, step

    assert best_step(measure, 1e-6, "skip")[5] == pytest.approx(1e-5)


def test_unknown_mode():
    cost, gradients, parameters = quadratic()
    with pytest.raises(ValueError, match="unknown mode 'fast'"):
        check_function(cost, gradients, parameters, mode="fast")


def test_a_cost_so_large_that_the_checks_arithmetic_overflows_is_named():
    """J = 1e304 · Σ w: its noise bound's square leaves the floats. A ValueError says what overflowed and what to do,
    where numpy warned; the same cost divided by 1e154, as the message advises, is checked and passes."""
    w = {"w": np.array([[1.0, 0.5]])}
    with pytest.raises(ValueError, match=r"the gradient check's arithmetic overflowed \(overflow encountered in "):
        check_function(lambda p: float(1e304 * np.sum(p["w"])), lambda p: {"dw": np.full((1, 2), 1e304)}, w)
    assert check_function(lambda p: float(1e150 * np.sum(p["w"])), lambda p: {"dw": np.full((1, 2), 1e150)}, w).passed


def test_a_cost_that_overflows_inside_runs_as_the_caller_runs_it():
    """The checker's overflow guard is its own: a cost whose e^1000 overflows to a finite J (a sigmoid of 0) runs
    with the caller's numpy settings, here overflow ignored, and is checked as before."""

    def cost(p):
        return float(np.sum(1 / (1 + np.exp(-1000 * p["w"]))))  # at w < 0, e^(-1000 w) is inf and the sigmoid 0

    with np.errstate(over="ignore"):  # at w = 0 the slope is 1000 σ'(0) = 250
        report = check_function(cost, lambda p: {"dw": np.array([[0.0, 250.0]])}, {"w": np.array([[-1.0, 0.0]])})
    assert report.passed


@pytest.mark.parametrize("mode", ["full", "directional"])
def test_a_point_where_every_gradient_is_0_is_refused_not_passed(mode):
    """J = Σ w² at w = 0: the right gradient 2w and a wrong one, 6w, are both 0 there, as is the numeric one; the
    check compared nothing, so it does not report a pass (docs/check-your-own.md)."""
    with pytest.raises(
        ValueError, match="every gradient is 0 here, the numeric ones and those checked alike"
    ) as caught:
        check_function(lambda p: float(np.sum(p["w"] ** 2)), lambda p: {"w": 6 * p["w"]}, {"w": np.zeros(3)}, mode=mode)
    assert "每个梯度都是 0" in caught.value.text("zh")
    assert not check_function(lambda p: float(np.sum(p["w"] ** 2)), lambda p: {"w": 6 * p["w"]},
                              {"w": np.ones(3)}, mode=mode).passed  # fmt: skip
