"""Promises in nn's docstrings that no other test pins down: defaults, dtypes and corner cases."""

from __future__ import annotations

import numpy as np
import pytest

import nn


def test_leaky_relu_derivative_of_integer_z_is_float64_and_keeps_the_slope():
    """Its derivative is "in the dtype that 0.01·Z has: Z's own float dtype, or float64 for integer Z"."""
    slope = nn.activations.get("leaky_relu").derivative(np.array([[-2, 0, 3]]))
    assert slope.dtype == np.float64
    np.testing.assert_array_equal(slope, [[0.01, 0.01, 1.0]])


@pytest.mark.parametrize("method", nn.INIT_METHODS)
def test_every_init_method_gives_every_parameter_the_dtype_asked_for(method):
    parameters = nn.initialize_parameters([3, 4, 2], method, seed=0, dtype=np.float32)
    assert {key: value.dtype for key, value in parameters.items()} == dict.fromkeys(parameters, np.float32)


def test_predict_with_two_softmax_units_returns_the_class_of_each_sample():
    """K = n[L] > 1 output units give the argmax class, ``(1, m)``; two classes are no exception."""
    parameters = {"W1": np.array([[1.0], [-1.0]]), "b1": np.zeros((2, 1))}
    P = nn.predict(np.array([[2.0, -3.0, 0.5]]), parameters, ["softmax"])
    np.testing.assert_array_equal(P, [[0, 1, 0]])


def _data(loss, n_L):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(2, 6)) * 0.5
    if loss == "cross_entropy":
        return X, np.eye(n_L)[rng.integers(0, n_L, 6)].T
    return X, rng.integers(0, 2, size=(n_L, 6)).astype(float)


def test_train_uses_its_documented_defaults():
    """learning_rate=0.01, num_iterations=1000, loss="bce", init="xavier"."""
    X, Y = _data("bce", 1)
    parameters, costs = nn.train(X, Y, [2, 1], ["sigmoid"], seed=0)
    explicit, explicit_costs = nn.train(
        X, Y, [2, 1], ["sigmoid"], loss="bce", init="xavier", learning_rate=0.01, num_iterations=1000, seed=0
    )
    assert len(costs) == 1000
    assert costs == explicit_costs
    assert all(np.array_equal(parameters[key], explicit[key]) for key in parameters)


@pytest.mark.parametrize(
    ("output", "loss", "n_L"),
    [("sigmoid", "bce", 1), ("hard_sigmoid", "bce", 1), ("tanh", "mse", 1), ("softmax", "cross_entropy", 3)],
)
def test_train_records_the_cost_of_the_initial_parameters_first(output, loss, n_L):
    """costs[0] is J at initialize_parameters(layer_dims, init, seed); only the output that pairs
    with the loss may have it computed from the logits, any other output from A[L]."""
    X, Y = _data(loss, n_L)
    layer_dims, activations = [2, 3, n_L], ["tanh", output]
    _, costs = nn.train(X, Y, layer_dims, activations, loss=loss, num_iterations=1, seed=0)
    AL, _ = nn.forward_propagation(X, nn.initialize_parameters(layer_dims, "xavier", seed=0), activations)
    assert costs[0] == pytest.approx(nn.compute_cost(AL, Y, loss), rel=1e-12)
