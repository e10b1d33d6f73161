"""Forward mode against reverse mode: the same gradient, and the derivation's counts are the products nn performs.

The counts are measured, not retyped: the arrays are an ndarray subclass that adds p q r to a
counter at every (p, q) @ (q, r) product, and they run through nn's own forward, backward and
tangent passes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from support import NUMBER_WORDS, assert_page_says, joined, stated

import derivations
import nn
from derivations import modes as counted
from derivations import say
from nn import modes
from nn.network import _backward, _forward

DIMS, NAMES = [3, 5, 4, 1], ["tanh", "relu", "sigmoid"]
#: How close N tangent passes come to backprop's gradient, and the networks whose products are counted: docs/modes.md
#: states both.
RTOL = 1e-10
COUNTED = [(DIMS, 6), ([2, 7, 1], 3), ([4, 3, 3, 3, 2], 5)]


def network(seed=0, m=6, dims=DIMS):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.normal(size=(dims[l], dims[l - 1]))
        parameters[f"b{l}"] = rng.normal(size=(dims[l], 1))
    X = rng.normal(size=(dims[0], m))
    Y = (rng.random((dims[-1], m)) < 0.5).astype(float)
    return X, Y, parameters


@pytest.mark.parametrize(("names", "loss"), [(NAMES, "bce"), (["tanh", "sigmoid", "identity"], "mse")])
def test_forward_mode_gives_backprops_gradient(names, loss):
    X, Y, parameters = network()
    AL, cache = nn.forward_propagation(X, parameters, names)
    backward = nn.backward_propagation(AL, Y, cache, parameters, names, loss)
    forward = modes.forward_mode_gradient(X, Y, parameters, names, loss)
    assert forward.keys() == backward.keys()
    for key in backward:  # two orders of the same sums: equal to rounding
        np.testing.assert_allclose(forward[key], backward[key], rtol=RTOL, atol=1e-13, err_msg=key)


def test_a_directional_derivative_is_the_gradient_dotted_with_the_direction():
    X, Y, parameters = network(seed=1)
    rng = np.random.default_rng(2)
    direction = {key: rng.normal(size=value.shape) for key, value in parameters.items()}
    AL, cache = nn.forward_propagation(X, parameters, NAMES)
    grads = nn.backward_propagation(AL, Y, cache, parameters, NAMES)
    expected = sum(np.sum(grads[f"d{key}"] * direction[key]) for key in parameters)
    assert modes.directional_derivative(X, Y, parameters, NAMES, direction) == pytest.approx(expected, rel=1e-10)


def test_a_direction_must_be_shaped_like_the_parameters():
    X, Y, parameters = network()
    direction = {key: np.zeros_like(value) for key, value in parameters.items()}
    direction["W2"] = np.zeros((5, 4))
    with pytest.raises(ValueError, match=r"direction\['W2'\] is \(5, 4\) but W2 is \(4, 5\)"):
        modes.directional_derivative(X, Y, parameters, NAMES, direction)
    del direction["b3"]
    with pytest.raises(ValueError, match="direction must have the parameters' keys"):
        modes.directional_derivative(X, Y, parameters, NAMES, direction)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda direction: None, r"direction must be a dict with the parameters' keys \['W1', .*\]; got a NoneType"),
        (lambda direction: direction | {"W1": np.full_like(direction["W1"], np.nan)},
         r"direction\['W1'\] contains NaN or inf \(\d+ entries, the first at index \(0, 0\)\)"),
        (lambda direction: direction | {"b1": np.full(direction["b1"].shape, "up")},
         r"direction\['b1'\] has dtype <U2: a direction holds real numbers"),
    ],
    ids=["None", "nan", "strings"],
)  # fmt: skip
def test_a_direction_that_is_not_a_dict_of_finite_numbers_is_refused(change, message):
    """None met sorted(None) in the message (a TypeError), and a nan in the direction gave J' = nan without a word."""
    X, Y, parameters = network()
    direction = change({key: np.ones_like(value) for key, value in parameters.items()})
    with pytest.raises(ValueError, match=message):
        modes.directional_derivative(X, Y, parameters, NAMES, direction)


class Counted(np.ndarray):
    """An array that counts the multiply-adds of every matrix product it takes part in."""

    multiply_adds = 0

    def __matmul__(self, other):
        p, q = self.shape
        Counted.multiply_adds += p * q * other.shape[1]
        return super().__matmul__(other)

    def __rmatmul__(self, other):  # a plain array on the left (an activation may return one)
        p, q = other.shape
        Counted.multiply_adds += p * q * self.shape[1]
        return super().__rmatmul__(other)


def count(run) -> int:
    Counted.multiply_adds = 0
    run()
    return Counted.multiply_adds


@pytest.mark.parametrize(("dims", "m"), COUNTED)
def test_the_derivations_counts_are_the_products_nn_performs(dims, m):
    X, Y, parameters = network(m=m, dims=dims)
    Y = np.full((dims[-1], m), 0.5)
    names = ["tanh"] * (len(dims) - 2) + ["sigmoid"]
    X = X.view(Counted)
    parameters = {key: value.view(Counted) for key, value in parameters.items()}
    g = {l: nn.activations.get(name) for l, name in enumerate(names, 1)}
    expected = counted.counts(dims, m)
    AL, cache = _forward(X, parameters, g)
    assert count(lambda: _forward(X, parameters, g)) == expected["forward pass"]
    assert count(lambda: _backward(AL, Y, cache, parameters, g, "bce")) == expected["one pass"]
    direction = {key: np.ones_like(value) for key, value in parameters.items()}
    assert count(lambda: modes._tangent(cache, parameters, g, direction)) == expected["one pass"]
    assert expected["N"] == sum(value.size for value in parameters.values())
    assert expected["forward mode"] >= expected["N"] / 2 * expected["reverse mode"]


DOCS = Path(__file__).resolve().parents[1] / "docs"
TIMING = DOCS / "img"


def timing_rows(suffix: str) -> list[list[str]]:
    lines = (TIMING / f"modes-timing{suffix}").read_text(encoding="utf-8").splitlines()
    return [line.strip("| ").split(" | ") for line in lines if line.startswith("| [")]


def test_the_timing_table_counts_as_the_derivation_and_grows_with_n():
    """The table written by benchmarks/modes_bench.py: its N and counted ratio are the derivation's at its
    widths, forward mode's ratio to backprop grows with N, forward mode gave backprop's gradient, and central
    differences were slower still and off by about 1e-10, as docs/modes.md says."""
    rows = timing_rows(".txt")
    for lang, pattern in (("en", r"one draw of (\w+) networks"), ("zh", r"在(\w)个网络的一次抽样上")):
        page = (DOCS / ("modes.zh.md" if lang == "zh" else "modes.md")).read_text(encoding="utf-8")
        (networks,) = stated(joined(page, lang), pattern)
        assert NUMBER_WORDS[lang].index(networks) == len(rows), f"{lang}: the page times {networks} networks"
    assert [row[1:] for row in rows] == [row[1:] for row in timing_rows(".zh.txt")]
    for row in rows:
        dims = json.loads(row[0])
        expected = counted.counts(
            dims, int(re.search(r"m = (\d+)", (TIMING / "modes-timing.txt").read_text()).group(1))
        )
        assert int(row[1]) == expected["N"]
        assert int(row[7]) == round(expected["forward mode"] / expected["reverse mode"])
        assert float(row[8]) < 1e-12  # forward mode and backprop: the same sums, to rounding
        assert 1e-11 <= float(row[9]) < 1e-9  # the page: central differences agree "only to about 1e-10"
        assert float(row[5]) > float(row[3])  # the page: central differences are "slower still"
        assert float(row[4]) < int(row[7])  # the page: at these widths the measured ratio is below the counted
    ratios = [float(row[4]) for row in rows]
    assert ratios == sorted(ratios)
    assert [int(row[1]) for row in rows] == sorted(int(row[1]) for row in rows)


#: dZ, dA, dW, db: on every page but a tangent's, a gradient of J.
GRADIENT_NAMES = re.compile(r"(?<![A-Za-z_])d[ZAWb](?![A-Za-z])")


def test_the_tangents_are_dotted_and_never_named_as_gradients():
    """Forward mode's tangents are Ż[l], Ȧ[l] along a direction (Ẇ[l], ḃ[l]), in the derivation's words in both
    languages and in the code its page shows: dZ and dA would read as the gradients they are everywhere else."""
    import inspect

    from derivations.core import say

    derivation = counted.modes()
    tangent_step, direction = derivation.steps[2].note, derivation.hypotheses[2]
    for lang in ("en", "zh"):
        assert not GRADIENT_NAMES.search(say(tangent_step, lang) + say(direction, lang)), lang
        assert {"Ż", "Ȧ", "Ẇ", "ḃ"} <= set(say(tangent_step, lang)), lang
        assert "Ż[l]" in say(direction, lang), f"the direction's hypothesis no longer says what a dot means ({lang})"
    assert not GRADIENT_NAMES.search(inspect.getsource(modes._tangent))


def test_the_page_states_the_tolerance_and_the_networks_of_these_tests():
    counted_networks = NUMBER_WORDS["en"][len(COUNTED)], NUMBER_WORDS["zh"][len(COUNTED)]
    assert_page_says(
        "modes",
        (f"(to a relative {RTOL:g})", f"for {counted_networks[0]} networks."),
        (f"（相对误差 {RTOL:g} 以内）", f"并在{counted_networks[1]}个网络上与推导的公式比较"),
    )


def test_f_is_one_forward_passs_count_of_multiply_adds_in_both_languages():
    """The statement's F is the count of one forward pass (step 1), not a number of forward passes."""
    statement = derivations.get("modes.cost").statement
    assert "where F is one forward pass's count" in say(statement, "en")
    assert "其中 F 是一趟前向传播的乘加次数" in say(statement, "zh")
