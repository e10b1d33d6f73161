"""ReLU's masked backward is the chain rule, and the slope chosen at exactly 0 only matters at exact zeros.

The course-style backward (docs/examples/relu_backward.py) is checked against nn's
dA ⊙ g'(Z); then the lecture's slope g'(0) = 1 replaces the code's g'(0) = 0 in nn, and
training and the gradient check are run with both.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import numpy as np
import pytest
from support import assert_page_says

import nn

EXAMPLE = runpy.run_path(str(Path(__file__).resolve().parents[1] / "docs" / "examples" / "relu_backward.py"))
masked_backward = EXAMPLE["masked_backward"]
RELU = type(nn.activations.get("relu"))
#: Training steps with each slope at 0; docs/hidden-layers.md and its twin state the number.
STEPS = 100


@pytest.fixture
def slope_one_at_zero(monkeypatch):
    """nn with the lecture's convention: g'(z) = 1 for z >= 0."""
    monkeypatch.setattr(RELU, "derivative", staticmethod(lambda Z: (Z >= 0).astype(Z.dtype)))


def test_masked_backward_is_da_times_relu_prime_bit_for_bit():
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(5, 40))
    Z[:, :4] = 0.0  # exact zeros, both signs
    Z[:, 4:8] = -0.0
    dA = rng.normal(size=Z.shape)
    np.testing.assert_array_equal(masked_backward(dA, Z), dA * nn.activations.get("relu").derivative(Z))
    assert np.shares_memory(masked_backward(dA, Z), dA) is False


def _train(X, Y):
    return nn.train(X, Y, [3, 6, 4, 1], ["relu", "relu", "sigmoid"], learning_rate=0.1, num_iterations=STEPS, seed=0)


def _data(rng):
    X = rng.normal(size=(3, 30))
    return X, (X[0:1] + X[1:2] > 0).astype(float)


def test_the_slope_at_zero_does_not_change_training_on_real_valued_data(monkeypatch):
    """No Z[l] entry is exactly 0 along the way, so both conventions take the same steps, bit for bit."""
    docs = Path(__file__).resolve().parents[1] / "docs"
    assert f"{STEPS} steps of training" in (docs / "hidden-layers.md").read_text(encoding="utf-8")
    assert f"各训练 {STEPS} 步" in (docs / "hidden-layers.zh.md").read_text(encoding="utf-8")
    X, Y = _data(np.random.default_rng(1))
    parameters, costs = _train(X, Y)
    monkeypatch.setattr(RELU, "derivative", staticmethod(lambda Z: (Z >= 0).astype(Z.dtype)))
    parameters_one, costs_one = _train(X, Y)
    assert costs == costs_one
    for key, value in parameters.items():
        np.testing.assert_array_equal(value, parameters_one[key])


def test_the_slope_at_zero_changes_a_gradient_only_through_exact_zeros(monkeypatch):
    """Zero biases and an all-zero sample give Z[1] = Z[2] = 0 exactly in that column, and nowhere else.

    The entries of dZ there differ, but they meet a zero column of A[l-1] in dW[l]: only db[1]
    and db[2] see the choice.
    """
    rng = np.random.default_rng(2)
    X, Y = _data(rng)
    X[:, 0] = 0.0
    parameters = nn.initialize_parameters([3, 6, 4, 1], "he", seed=3)  # every b starts at 0
    names = ["relu", "relu", "sigmoid"]

    def gradients():
        AL, cache = nn.forward_propagation(X, parameters, names)
        return nn.backward_propagation(AL, Y, cache, parameters, names), cache

    grads, cache = gradients()
    monkeypatch.setattr(RELU, "derivative", staticmethod(lambda Z: (Z >= 0).astype(Z.dtype)))
    grads_one, _ = gradients()
    for layer in (1, 2):
        zeros = cache[f"Z{layer}"] == 0
        assert zeros[:, 0].all()
        assert not zeros[:, 1:].any()
    changed = sorted(key for key in grads if not np.array_equal(grads[key], grads_one[key]))
    assert changed == ["db1", "db2"]


def test_a_zero_of_z_beside_a_nonzero_column_of_a_prev_changes_dw_and_the_layers_below(monkeypatch):
    """The test above changes only db because its zeros meet a zero column of A[l-1]; the page says so, and that a
    zero entry of Z[l] beside a nonzero column of A[l-1] changes dW[l] and, through dA[l-1], layer l - 1 too.

    Z[1] = X has no zero; Z[2] = W[2] A[1] is 0 exactly in column 0, where A[1] is (1, 1)."""
    assert_page_says(
        "hidden-layers",
        (
            "whose column of \\(A^{[l-1]}\\) is not zero changes \\(dW^{[l]}\\) as well",
            "the gradients of the layers below change too",
        ),
        ("不全为零，\\(dW^{[l]}\\) 也会不同，往下传的 \\(dA^{[l-1]}\\) 也会改变",),
    )
    X, Y = np.array([[1.0, 2.0], [1.0, -1.0]]), np.array([[1.0, 0.0]])
    parameters = {
        "W1": np.eye(2), "b1": np.zeros((2, 1)),
        "W2": np.array([[1.0, -1.0]]), "b2": np.zeros((1, 1)),
        "W3": np.array([[0.5]]), "b3": np.array([[0.1]]),
    }  # fmt: skip
    names = ["relu", "relu", "sigmoid"]
    AL, cache = nn.forward_propagation(X, parameters, names)
    assert not (cache["Z1"] == 0).any()
    np.testing.assert_array_equal(cache["Z2"] == 0, [[True, False]])
    assert (cache["A1"][:, 0] != 0).all()
    grads = nn.backward_propagation(AL, Y, cache, parameters, names)
    monkeypatch.setattr(RELU, "derivative", staticmethod(lambda Z: (Z >= 0).astype(Z.dtype)))
    grads_one = nn.backward_propagation(AL, Y, cache, parameters, names)
    changed = sorted(key for key in grads if not np.array_equal(grads[key], grads_one[key]))
    assert changed == ["dW1", "dW2", "db1", "db2"]


def test_the_gradient_check_passes_with_either_slope_at_zero(slope_one_at_zero):
    """At a point with no exact zero in any Z[l], the check cannot tell the conventions apart."""
    X, Y = _data(np.random.default_rng(4))
    parameters = nn.initialize_parameters([3, 6, 4, 1], "he", seed=5)
    assert nn.gradcheck.check(parameters, X, Y, ["relu", "relu", "sigmoid"]).passed
