"""Every check refuses, in its own words, a learner's function that it cannot use as the course's.

A value that is not a function, a forward pass that changes its inputs in place, a gradient numpy
cannot make one array of, gradients named two ways, a forward output of strings: each is named
before the check compares anything, where numpy or Python raised from inside the checker, or the
report blamed a correct backward pass.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from course_code import (
    L_model_backward,
    L_model_forward,
    lstm_backward,
    lstm_forward,
    rnn_backward,
    rnn_forward,
    two_layer_backward,
    two_layer_forward,
)
from course_conv_code import conv_backward, conv_forward, pool_backward, pool_forward
from test_check_rnn import _lstm, _rnn
from test_diagnosis import layers

import nn
from nn.gradcheck import (
    check,
    check_conv,
    check_function,
    check_L_layer,
    check_lstm,
    check_pool,
    check_rnn,
    check_two_layer,
)


def _square(p):
    return float(np.sum(p["w"] ** 2))


#: Each check with the learner's two functions in place: ``CHECKS[name](first, second)``.
CHECKS = {
    "check_function": lambda cost, gradients: check_function(cost, gradients, {"w": np.ones(2)}),
    "check_two_layer": lambda forward, backward: check_two_layer(forward, backward, *layers([2, 4, 1])),
    "check_L_layer": lambda forward, backward: check_L_layer(forward, backward, *layers([3, 3, 1])),
    "check_conv": check_conv,
    "check_pool": check_pool,
    "check_rnn": lambda forward, backward: check_rnn(forward, backward, *_rnn()),
    "check_lstm": lambda forward, backward: check_lstm(forward, backward, *_lstm()),
}
#: The learner's correct pair for each check, and what the check calls each of them.
CORRECT = {
    "check_function": ((_square, lambda p: {"dw": 2 * p["w"]}), ("cost(parameters)", "gradients(parameters)")),
    "check_two_layer": (
        (two_layer_forward, two_layer_backward()),
        ("forward_propagation(X, parameters)", "backward_propagation(parameters, cache, X, Y)"),
    ),
    "check_L_layer": (
        (L_model_forward(), L_model_backward()),
        ("L_model_forward(X, parameters)", "L_model_backward(AL, Y, caches)"),
    ),
    "check_conv": (
        (conv_forward, conv_backward()),
        ("conv_forward(A_prev, W, b, hparameters)", "conv_backward(dZ, cache)"),
    ),
    "check_pool": (
        (pool_forward, pool_backward()),
        ("pool_forward(A_prev, hparameters, mode)", "pool_backward(dA, cache, mode)"),
    ),
    "check_rnn": ((rnn_forward, rnn_backward()), ("rnn_forward(x, a0, parameters)", "rnn_backward(da, caches)")),
    "check_lstm": ((lstm_forward, lstm_backward()), ("lstm_forward(x, a0, parameters)", "lstm_backward(da, caches)")),
}


@pytest.mark.parametrize("check", list(CHECKS))
@pytest.mark.parametrize("which", [0, 1], ids=["first", "second"])
def test_a_function_that_cannot_be_called_is_named_with_the_call_the_check_makes(check, which):
    """A learner's file that sets ``cost = 3`` (or passes None for backward) met "'int' object is not callable"
    from inside the checker."""
    functions, calls = CORRECT[check]
    given = [*functions]
    given[which] = 3.0
    name = calls[which].split("(")[0]
    with pytest.raises(ValueError, match=rf"^{check} calls {re.escape(calls[which])}, so {name} must be a function; "):
        CHECKS[check](*given)


def _in_place(forward, change):
    """``forward``, which then applies ``change`` to its own arguments, as a learner's code that reuses them may."""

    def changed(*arguments):
        result = forward(*arguments)
        change(*arguments)
        return result

    return changed


def _zero(array):
    array[...] = 0


@pytest.mark.parametrize(
    ("check", "change", "named"),
    [
        ("check_two_layer", lambda X, p: _zero(X), "X"),
        ("check_two_layer", lambda X, p: _zero(p["W1"]), "parameters['W1']"),
        ("check_L_layer", lambda X, p: p.update(W1=p["W1"] * 0), "parameters['W1']"),
        ("check_conv", lambda A_prev, W, b, hparameters: _zero(W), "W"),
        ("check_conv", lambda A_prev, W, b, hparameters: hparameters.update(stride=1), "hparameters['stride']"),
        ("check_pool", lambda A_prev, hparameters, mode="max": _zero(A_prev), "A_prev"),
        ("check_rnn", lambda x, a0, p: _zero(p["Waa"]), "parameters['Waa']"),
        ("check_lstm", lambda x, a0, p: _zero(a0), "a0"),
    ],
)
def test_a_forward_pass_that_changes_its_inputs_is_named_not_blamed_on_backward(check, change, named):
    """The backward pass then read the changed inputs: a correct one failed W1 with a relative error of 1 (X zeroed),
    or every block (Waa zeroed), and nothing said why."""
    (forward, backward), _ = CORRECT[check]
    forward_name = CORRECT[check][1][0].split("(")[0]
    with pytest.raises(ValueError, match=rf"^{forward_name} changed {re.escape(named)} in place: a function the check"):
        CHECKS[check](_in_place(forward, change), backward)


def test_a_cost_that_changes_its_parameters_is_named_not_blamed_on_the_gradient():
    """cost doubling p["w"] after reading it moved the checker's own copy: the correct dc failed with a relative
    error of 1."""

    def cost(p):
        J = float(np.sum(p["w"] ** 2) + 3 * p["c"])
        p["w"] *= 2
        return J

    gradients = lambda p: {"dw": 2 * p["w"], "dc": np.array(3.0)}  # noqa: E731
    with pytest.raises(ValueError, match=r"^cost changed parameters\['w'\] in place"):
        check_function(cost, gradients, {"w": np.array([1.0, -2.0]), "c": np.array(0.5)})


RAGGED = [1.0, [2.0]]


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda: check_function(_square, lambda p: {"dw": RAGGED}, {"w": np.ones(2)}), "gradients(parameters): dw"),
        (lambda: check_two_layer(two_layer_forward, lambda *a: {**two_layer_backward()(*a), "dW1": RAGGED},
                                 *layers([2, 4, 1])), "backward_propagation's dW1"),
        (lambda: check_conv(conv_forward, lambda dZ, cache: (RAGGED, *conv_backward()(dZ, cache)[1:])),
         "conv_backward's dA_prev"),
        (lambda: check_pool(pool_forward, lambda *a: RAGGED), "pool_backward's dA_prev"),
        (lambda: check_pool(pool_forward, lambda *a: RAGGED, mode="average"), "pool_backward's dA_prev"),
        (lambda: check_conv(lambda *a: (RAGGED, conv_forward(*a)[1]), conv_backward()), "conv_forward's Z"),
        (lambda: check_rnn(lambda *a: (RAGGED, *rnn_forward(*a)[1:]), rnn_backward(), *_rnn()), "rnn_forward's a"),
        (lambda: check_rnn(rnn_forward, lambda *a: {**rnn_backward()(*a), "dWax": RAGGED}, *_rnn()),
         "rnn_backward's dWax"),
    ],
    ids=["function", "two-layer", "conv", "max pool", "average pool", "conv forward", "rnn forward", "rnn backward"],
)  # fmt: skip
def test_an_array_numpy_cannot_make_is_named(call, named):
    """Rows of different lengths met numpy's "inhomogeneous shape" ValueError (or, in max pooling, an AttributeError)
    from inside the checker."""
    with pytest.raises(ValueError, match=rf"^{re.escape(named)} is a list that numpy cannot make into one array"):
        call()


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda: check_function(_square, lambda p: {"dw": 2 * p["w"]}, {"w": RAGGED}), "parameters['w']"),
        (lambda: check_conv(conv_forward, conv_backward(), RAGGED, np.ones((3, 3, 2, 2)), np.ones((1, 1, 1, 2)),
                            {"stride": 1, "pad": 0}), "A_prev"),
        (lambda: check_pool(pool_forward, pool_backward(), RAGGED, {"f": 2, "stride": 1}), "A_prev"),
        (lambda: nn.optimizers.random_mini_batches(RAGGED, [[1.0, 0.0]], 1), "X"),
    ],
    ids=["check_function", "check_conv", "check_pool", "mini-batches"],
)  # fmt: skip
def test_an_input_numpy_cannot_make_one_array_of_is_named(call, named):
    with pytest.raises(ValueError, match=rf"^{re.escape(named)} is a list that numpy cannot make into one array"):
        call()


def test_a_max_pooling_gradient_returned_as_a_list_is_checked_as_an_array():
    """A nested list of the right shape is a gradient like any other; max pooling's ties row summed it with .reshape
    (AttributeError)."""
    assert check_pool(pool_forward, lambda *a: pool_backward()(*a).tolist()).passed


def test_a_forward_output_of_strings_is_named():
    message = r"^conv_forward's Z must hold numbers; it is an array of shape \(2, 3, 3, 2\) of dtype <U1$"
    with pytest.raises(ValueError, match=message):
        check_conv(lambda *a: (np.full((2, 3, 3, 2), "z"), None), conv_backward())


@pytest.mark.parametrize(("option", "value"), [("h", True), ("tolerance", True), ("h", "1e-5"), ("tolerance", "1")])
def test_a_step_or_tolerance_that_is_a_bool_or_text_is_refused(option, value):
    """tolerance=True was read as 1, which passes any gradient; h="1e-5" was parsed as a number."""
    with pytest.raises(ValueError, match=rf"^{option} = {re.escape(repr(value))}: "):
        check_function(_square, lambda p: {"dw": 2 * p["w"]}, {"w": np.ones(2)}, **{option: value})
    assert check_function(_square, lambda p: {"dw": 2 * p["w"]}, {"w": np.ones(2)}, **{option: np.float32(1e-5)}).passed


def _network():
    """A tanh → sigmoid network, its inputs and 0/1 labels, for nn.gradcheck.check."""
    parameters, X, Y = layers([2, 3, 1])
    return parameters, X, Y, ["tanh", "sigmoid"]


def _backward_with(label, value):
    """nn's backward pass, with the gradient ``label`` replaced by ``value``."""
    return lambda *arguments, **options: {**nn.backward_propagation(*arguments, **options), label: value}


@pytest.mark.parametrize(
    ("backward", "message"),
    [
        (3.0, r"^check calls backward\(AL, Y, cache, parameters, activations, loss\), so backward must be a function"),
        (_backward_with("dW1", np.full((3, 2), np.nan)), r"^backward: dW1 has entries that are not finite"),
        (_backward_with("db2", np.array([[np.inf]])), r"^backward: db2 has entries that are not finite"),
        (_backward_with("dW1", np.ones((3, 2)) + 1j), r"^backward: dW1 must be a real array"),
        (_backward_with("dW1", RAGGED), r"^backward: dW1 is a list that numpy cannot make into one array"),
    ],
    ids=["not a function", "nan", "inf", "complex", "ragged"],
)
def test_check_refuses_a_backward_it_cannot_use(backward, message):
    """A NaN dW1 passed the check (its relative error nan is not above the tolerance); a complex one was cast to real
    with numpy's ComplexWarning; a value not callable or ragged met Python's or numpy's own error."""
    with pytest.raises(ValueError, match=message):
        check(*_network(), backward=backward)


def test_check_gives_backward_copies_so_that_writing_into_them_moves_no_numeric_gradient():
    """A correct backward that then zeroes the cache's A1 and W1 corrupted the check's own cache and parameters (the
    parameters the caller passed too): the correct dW2 failed with a relative error of 1."""

    def backward(AL, Y, cache, parameters, activations, loss):
        grads = nn.backward_propagation(AL, Y, cache, parameters, activations, loss)
        for array in (AL, Y, cache["A1"], parameters["W1"]):
            array[...] = 0
        return grads

    parameters, X, Y, activations = _network()
    original = {key: value.copy() for key, value in parameters.items()}
    assert check(parameters, X, Y, activations, backward=backward).passed
    assert all(np.array_equal(parameters[key], original[key]) for key in original)


@pytest.mark.parametrize("activations", ["sigmoid", 3])
def test_check_L_layer_names_activations_that_are_not_a_list_by_nn_s_rule(activations):
    """list("sigmoid") made seven one-letter names ("got 7 activations for L = 2 layers"), and list(3) Python's
    TypeError 'int' object is not iterable."""
    forward, backward = CORRECT["check_L_layer"][0]
    message = rf"^activations must be a list with one name per layer, .*; got {activations!r}$"
    with pytest.raises(ValueError, match=message):
        check_L_layer(forward, backward, *layers([3, 3, 1]), activations=activations)
