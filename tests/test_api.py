"""The public API of ``nn``: initialization, costs, one update step, training, predict, dtypes.

Expected values are computed here, by hand or from the formula with plain numpy, never by
calling the code under test. Gradient checks (finite differences, SymPy) live elsewhere.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn

# --- initialize_parameters ------------------------------------------------------------------

layer_dims_strategy = st.lists(st.integers(1, 12), min_size=2, max_size=5)


@settings(max_examples=30, deadline=None)
@given(layer_dims=layer_dims_strategy, method=st.sampled_from(nn.INIT_METHODS))
def test_init_shapes_follow_the_notation(layer_dims, method):
    parameters = nn.initialize_parameters(layer_dims, method, seed=0)
    L = len(layer_dims) - 1
    assert list(parameters) == [f"{letter}{l}" for l in range(1, L + 1) for letter in "Wb"]
    for l in range(1, L + 1):
        assert parameters[f"W{l}"].shape == (layer_dims[l], layer_dims[l - 1])
        assert parameters[f"b{l}"].shape == (layer_dims[l], 1)
        assert not parameters[f"b{l}"].any()


@pytest.mark.parametrize("method", nn.INIT_METHODS)
def test_init_same_seed_same_parameters(method):
    first = nn.initialize_parameters([4, 3, 2], method, seed=42)
    second = nn.initialize_parameters([4, 3, 2], method, seed=42)
    for key in first:
        np.testing.assert_array_equal(first[key], second[key])


@pytest.mark.parametrize("method", ["he", "xavier", "small", "normal"])
def test_init_different_seeds_differ(method):
    first = nn.initialize_parameters([4, 3, 2], method, seed=1)
    second = nn.initialize_parameters([4, 3, 2], method, seed=2)
    assert not np.array_equal(first["W1"], second["W1"])


@pytest.mark.parametrize(
    ("method", "scale"),
    [
        ("he", lambda n_prev: math.sqrt(2 / n_prev)),
        ("xavier", lambda n_prev: math.sqrt(1 / n_prev)),
        ("small", lambda n_prev: 0.01),
        ("normal", lambda n_prev: 1.0),
    ],
    ids=["he", "xavier", "small", "normal"],
)
def test_init_draws_W1_then_W2_from_one_generator(method, scale):
    """The contract: rng = default_rng(seed), then W[l] = scale · rng.standard_normal((n[l], n[l-1]))."""
    layer_dims = [3, 4, 2]
    rng = np.random.default_rng(7)
    expected = [rng.standard_normal((4, 3)) * scale(3), rng.standard_normal((2, 4)) * scale(4)]
    parameters = nn.initialize_parameters(layer_dims, method, seed=7)
    np.testing.assert_allclose(parameters["W1"], expected[0], rtol=1e-15)
    np.testing.assert_allclose(parameters["W2"], expected[1], rtol=1e-15)


@pytest.mark.parametrize(
    ("method", "std"),
    [("he", math.sqrt(2 / 500)), ("xavier", math.sqrt(1 / 500)), ("small", 0.01), ("normal", 1.0)],
)
def test_init_empirical_std(method, std):
    """200,000 draws: the sample std is within 5% of the target (its own noise is about 0.2%)."""
    W = nn.initialize_parameters([500, 400], method, seed=3)["W1"]
    assert W.shape == (400, 500)
    assert W.std() == pytest.approx(std, rel=0.05)
    assert abs(W.mean()) < 0.05 * std


def test_init_zeros_is_all_zero():
    parameters = nn.initialize_parameters([5, 4, 3, 1], "zeros", seed=0)
    assert all(not value.any() for value in parameters.values())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_init_dtype(dtype):
    parameters = nn.initialize_parameters([3, 4, 1], "he", seed=0, dtype=dtype)
    assert all(value.dtype == dtype for value in parameters.values())


# --- forward_propagation ---------------------------------------------------------------------


def test_forward_by_hand():
    """Z1 = W1 X + b1, A1 = relu(Z1), Z2 = W2 A1 + b2, A2 = identity(Z2), worked out on paper."""
    parameters = {
        "W1": np.array([[1.0, 2.0], [-1.0, 0.0]]),
        "b1": np.array([[0.5], [1.0]]),
        "W2": np.array([[3.0, -1.0]]),
        "b2": np.array([[-2.0]]),
    }
    X = np.array([[1.0, -2.0], [1.0, 0.0]])
    AL, cache = nn.forward_propagation(X, parameters, ["relu", "identity"])
    # column 1: Z1 = (1 + 2 + 0.5, -1 + 1) = (3.5, 0); column 2: Z1 = (-2 + 0.5, 2 + 1) = (-1.5, 3)
    np.testing.assert_array_equal(cache["Z1"], [[3.5, -1.5], [0.0, 3.0]])
    np.testing.assert_array_equal(cache["A1"], [[3.5, 0.0], [0.0, 3.0]])
    # Z2 = 3·3.5 - 0 - 2 = 8.5 and 0 - 3 - 2 = -5
    np.testing.assert_array_equal(AL, [[8.5, -5.0]])
    assert list(cache) == ["A0", "Z1", "A1", "Z2", "A2"]
    np.testing.assert_array_equal(cache["A0"], X)


def test_forward_does_not_modify_its_inputs():
    parameters = nn.initialize_parameters([2, 3, 1], seed=0)
    before = {key: value.copy() for key, value in parameters.items()}
    X = np.array([[1.0, -1.0], [0.5, 2.0]])
    _, cache = nn.forward_propagation(X, parameters, ["identity", "identity"])
    cache["A1"] += 1
    np.testing.assert_array_equal(X, [[1.0, -1.0], [0.5, 2.0]])
    assert all(np.array_equal(parameters[key], before[key]) for key in parameters)


# --- compute_cost ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("AL", "Y", "loss", "expected"),
    [
        ([[0.5]], [[1]], "bce", math.log(2)),
        ([[0.5]], [[0]], "bce", math.log(2)),
        ([[0.9, 0.2]], [[1, 0]], "bce", -(math.log(0.9) + math.log(0.8)) / 2),
        ([[0.25]], [[0.5]], "bce", -(0.5 * math.log(0.25) + 0.5 * math.log(0.75))),
        ([[1.0, 2.0]], [[0, 0]], "mse", (1 + 4) / 2),
        ([[1.0, 0.0], [0.0, 3.0]], [[0, 0], [0, 0]], "mse", (1 + 9) / 2),
        ([[0.5, 1.5, -1.0]], [[1.0, 1.0, 1.0]], "mse", (0.25 + 0.25 + 4) / 3),
    ],
    ids=["log2 y=1", "log2 y=0", "two samples", "soft label", "mse", "mse two units", "mse three samples"],
)
def test_cost_by_hand(AL, Y, loss, expected):
    cost = nn.compute_cost(np.array(AL), np.array(Y), loss)
    assert type(cost) is float
    assert cost == pytest.approx(expected, rel=1e-12)


def test_cost_default_loss_is_bce():
    assert nn.compute_cost(np.array([[0.5]]), np.array([[1]])) == pytest.approx(math.log(2), rel=1e-12)


def test_cost_float32_is_close_to_float64():
    AL, Y = np.array([[0.9, 0.2, 0.6]]), np.array([[1, 0, 1]])
    expected = -(math.log(0.9) + math.log(0.8) + math.log(0.6)) / 3
    assert nn.compute_cost(AL.astype(np.float32), Y) == pytest.approx(expected, rel=1e-6)


# --- backward_propagation on tiny hand examples ------------------------------------------------


def test_backward_sigmoid_bce_one_layer_by_hand():
    """W = 0, b = 0 so A = 1/2; then dZ = A - Y and dW = (1/m) dZ Xᵀ, db = mean of dZ."""
    parameters = {"W1": np.zeros((1, 2)), "b1": np.zeros((1, 1))}
    X, Y = np.array([[1.0, 3.0], [2.0, -1.0]]), np.array([[1, 0]])
    AL, cache = nn.forward_propagation(X, parameters, ["sigmoid"])
    grads = nn.backward_propagation(AL, Y, cache, parameters, ["sigmoid"])
    # dZ = (-0.5, 0.5): dW = ((-0.5·1 + 0.5·3) / 2, (-0.5·2 + 0.5·-1) / 2) = (0.5, -0.75)
    np.testing.assert_allclose(grads["dW1"], [[0.5, -0.75]], rtol=1e-15)
    np.testing.assert_allclose(grads["db1"], [[0.0]], atol=1e-15)
    assert list(grads) == ["dW1", "db1"]


def test_backward_identity_mse_two_layers_by_hand():
    """dA2 = 2(A2 - Y), dW2 = (1/m) dZ2 A1ᵀ, dA1 = W2ᵀ dZ2, dZ1 = dA1 ⊙ relu'(Z1), relu'(0) = 0."""
    parameters = {
        "W1": np.array([[1.0], [-1.0]]),
        "b1": np.zeros((2, 1)),
        "W2": np.array([[2.0, 1.0]]),
        "b2": np.zeros((1, 1)),
    }
    X, Y = np.array([[1.0, -2.0, 0.0]]), np.array([[0.0, 1.0, 1.0]])
    AL, cache = nn.forward_propagation(X, parameters, ["relu", "identity"])
    # Z1 = [[1, -2, 0], [-1, 2, 0]] (the third sample sits on the kink), A1 = [[1, 0, 0], [0, 2, 0]]
    np.testing.assert_array_equal(AL, [[2.0, 2.0, 0.0]])
    grads = nn.backward_propagation(AL, Y, cache, parameters, ["relu", "identity"], loss="mse")
    # dZ2 = 2(A2 - Y) = [[4, 2, -2]]; dW2 = dZ2 A1ᵀ / 3 = [[4, 4]] / 3; db2 = (4 + 2 - 2) / 3
    np.testing.assert_allclose(grads["dW2"], [[4 / 3, 4 / 3]], rtol=1e-14)
    np.testing.assert_allclose(grads["db2"], [[4 / 3]], rtol=1e-14)
    # dA1 = W2ᵀ dZ2 = [[8, 4, -4], [4, 2, -2]]; mask Z1 > 0 = [[1, 0, 0], [0, 1, 0]] (0 at the kink)
    # dZ1 = [[8, 0, 0], [0, 2, 0]]; dW1 = dZ1 Xᵀ / 3 = [[8], [-4]] / 3; db1 = [[8], [2]] / 3
    np.testing.assert_allclose(grads["dW1"], [[8 / 3], [-4 / 3]], rtol=1e-14)
    np.testing.assert_allclose(grads["db1"], [[8 / 3], [2 / 3]], rtol=1e-14)


# --- update_parameters -----------------------------------------------------------------------


def test_update_by_hand():
    parameters = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[0.5]])}
    grads = {"dW1": np.array([[10.0, -4.0]]), "db1": np.array([[1.0]])}
    updated = nn.update_parameters(parameters, grads, 0.25)
    np.testing.assert_array_equal(updated["W1"], [[1.0 - 2.5, 2.0 + 1.0]])
    np.testing.assert_array_equal(updated["b1"], [[0.25]])


def test_update_returns_new_arrays_and_leaves_the_input_alone():
    parameters = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[0.5]])}
    grads = {"dW1": np.array([[1.0, 1.0]]), "db1": np.array([[1.0]])}
    updated = nn.update_parameters(parameters, grads, 0.1)
    assert updated is not parameters
    assert not np.shares_memory(updated["W1"], parameters["W1"])
    np.testing.assert_array_equal(parameters["W1"], [[1.0, 2.0]])


@pytest.mark.parametrize(
    ("activations", "loss"),
    [(["tanh", "sigmoid"], "bce"), (["relu", "identity"], "mse"), (["leaky_relu", "tanh"], "mse")],
)
def test_small_step_lowers_the_cost(activations, loss):
    """A step of 1e-3 against the gradient must lower J on a random network (first-order decrease)."""
    rng = np.random.default_rng(5)
    parameters = nn.initialize_parameters([3, 4, 1], "xavier", seed=5)
    X, Y = rng.standard_normal((3, 20)), (rng.random((1, 20)) > 0.5).astype(float)
    AL, cache = nn.forward_propagation(X, parameters, activations)
    before = nn.compute_cost(AL, Y, loss)
    grads = nn.backward_propagation(AL, Y, cache, parameters, activations, loss)
    stepped = nn.update_parameters(parameters, grads, 1e-3)
    after = nn.compute_cost(nn.forward_propagation(X, stepped, activations)[0], Y, loss)
    assert after < before


# --- train and predict -------------------------------------------------------------------------


def separable(m: int = 60):
    """Two features; the label is 1 when x0 + x1 > 0, with a margin of 0.5 around the line."""
    rng = np.random.default_rng(11)
    X = rng.standard_normal((2, 4 * m))
    X = X[:, np.abs(X.sum(axis=0)) > 0.5][:, :m]
    return X, (X.sum(axis=0, keepdims=True) > 0).astype(int)


def test_train_learns_a_separable_problem():
    X, Y = separable()
    parameters, costs = nn.train(X, Y, [2, 4, 1], ["tanh", "sigmoid"], learning_rate=0.5, num_iterations=300, seed=0)
    assert len(costs) == 300
    assert all(type(cost) is float for cost in costs)
    assert costs[-1] < 0.25 * costs[0]
    assert np.all(np.diff(costs) <= 1e-12), "full-batch descent with a small step should not go up"
    assert np.mean(nn.predict(X, parameters, ["tanh", "sigmoid"]) == Y) >= 0.95


def test_train_is_reproducible_with_a_seed():
    X, Y = separable()
    runs = [nn.train(X, Y, [2, 3, 1], ["relu", "sigmoid"], num_iterations=20, seed=4) for _ in range(2)]
    assert runs[0][1] == runs[1][1]
    for key in runs[0][0]:
        np.testing.assert_array_equal(runs[0][0][key], runs[1][0][key])
    other = nn.train(X, Y, [2, 3, 1], ["relu", "sigmoid"], num_iterations=20, seed=5)
    assert other[1] != runs[0][1]


def test_train_reports_each_iteration_to_the_callback():
    X, Y = separable()
    seen = []
    _, costs = nn.train(
        X,
        Y,
        [2, 3, 1],
        ["tanh", "sigmoid"],
        num_iterations=7,
        seed=1,
        callback=lambda iteration, cost: seen.append((iteration, cost)),
    )
    assert seen == list(enumerate(costs))


def test_train_first_cost_is_the_initial_networks_cost():
    X, Y = separable()
    _, costs = nn.train(X, Y, [2, 3, 1], ["tanh", "sigmoid"], init="he", num_iterations=2, seed=9)
    parameters = nn.initialize_parameters([2, 3, 1], "he", seed=9)
    AL, cache = nn.forward_propagation(X, parameters, ["tanh", "sigmoid"])
    assert costs[0] == nn.compute_cost(AL, Y, ZL=cache["Z2"])  # train computes bce from the logits
    assert costs[0] == pytest.approx(nn.compute_cost(AL, Y), rel=1e-14)


def test_predict_thresholds_strictly_above_one_half():
    parameters = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}
    prediction = nn.predict(np.array([[-3.0, 0.0, 1e-9, 4.0]]), parameters, ["sigmoid"])
    np.testing.assert_array_equal(prediction, [[0, 0, 1, 1]])
    assert prediction.dtype.kind == "i"


def test_predict_shape_and_values():
    rng = np.random.default_rng(2)
    parameters = nn.initialize_parameters([3, 5, 1], seed=2)
    prediction = nn.predict(rng.standard_normal((3, 17)), parameters, ["relu", "sigmoid"])
    assert prediction.shape == (1, 17)
    assert set(np.unique(prediction)) <= {0, 1}


# --- dtype: float32 in, float32 out -------------------------------------------------------------


@pytest.mark.parametrize("hidden", nn.activations.names(elementwise=True))
@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_float32_stays_float32(hidden, loss):
    rng = np.random.default_rng(0)
    parameters = nn.initialize_parameters([3, 4, 1], seed=0, dtype=np.float32)
    X = rng.standard_normal((3, 6)).astype(np.float32)
    Y = np.array([[0, 1, 1, 0, 1, 0]])  # int64 labels must not upcast the gradients
    activations = [hidden, "sigmoid"]
    AL, cache = nn.forward_propagation(X, parameters, activations)
    grads = nn.backward_propagation(AL, Y, cache, parameters, activations, loss)
    updated = nn.update_parameters(parameters, grads, np.float64(0.1))
    assert AL.dtype == np.float32
    assert {value.dtype for value in cache.values()} == {np.dtype(np.float32)}
    assert {value.dtype for value in grads.values()} == {np.dtype(np.float32)}
    assert {value.dtype for value in updated.values()} == {np.dtype(np.float32)}


def test_train_keeps_float32():
    X, Y = separable()
    parameters, costs = nn.train(X.astype(np.float32), Y, [2, 3, 1], ["tanh", "sigmoid"], num_iterations=3, seed=0)
    assert {value.dtype for value in parameters.values()} == {np.dtype(np.float32)}
    assert all(type(cost) is float for cost in costs)


@pytest.mark.parametrize("name", nn.activations.names(elementwise=True))
def test_activations_keep_dtype_and_return_new_arrays(name):
    g = nn.activations.get(name)
    Z = np.array([[-1.5, 0.0, 2.0]], dtype=np.float32)
    for function in (g.forward, g.derivative, g.second_derivative):
        out = function(Z)
        assert out.dtype == np.float32
        assert out.shape == Z.shape
        assert not np.shares_memory(out, Z)
    np.testing.assert_array_equal(Z, [[-1.5, 0.0, 2.0]])


# --- the activation registry ---------------------------------------------------------------------


def test_registry_order_and_lookup():
    assert nn.activations.names()[:5] == ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]
    assert all(nn.activations.get(name).name == name for name in nn.activations.names())


def test_a_new_activation_is_one_class(monkeypatch):
    monkeypatch.setattr(nn.activations, "_REGISTRY", dict(nn.activations._REGISTRY))

    class Square(nn.activations.Activation):
        name = "square"

        @staticmethod
        def forward(Z):
            return Z**2

        @staticmethod
        def derivative(Z):
            return 2 * Z

        @staticmethod
        def second_derivative(Z):
            return 2 * np.ones_like(Z)

    assert nn.activations.names()[-1] == "square"
    parameters = {"W1": np.array([[2.0]]), "b1": np.array([[1.0]])}
    AL, _ = nn.forward_propagation(np.array([[1.0, -1.0]]), parameters, ["square"])
    np.testing.assert_array_equal(AL, [[9.0, 1.0]])


def test_a_duplicate_activation_name_is_refused(monkeypatch):
    monkeypatch.setattr(nn.activations, "_REGISTRY", dict(nn.activations._REGISTRY))
    with pytest.raises(TypeError, match="activation name 'relu' is taken by ReLU"):

        class MyReLU(nn.activations.Activation):
            name = "relu"
            forward = derivative = second_derivative = staticmethod(np.abs)


def test_an_incomplete_activation_is_refused(monkeypatch):
    monkeypatch.setattr(nn.activations, "_REGISTRY", dict(nn.activations._REGISTRY))
    with pytest.raises(TypeError, match="must define derivative, second_derivative"):

        class Half(nn.activations.Activation):
            name = "half"
            forward = staticmethod(np.abs)


def test_a_non_elementwise_activation_needs_a_backward_and_a_derivation(monkeypatch):
    monkeypatch.setattr(nn.activations, "_REGISTRY", dict(nn.activations._REGISTRY))
    with pytest.raises(TypeError, match="must define backward, derivation"):

        class Normalise(nn.activations.Activation):
            name = "normalise"
            elementwise = False
            forward = staticmethod(lambda Z: Z / Z.sum(axis=0, keepdims=True))


def test_names_splits_elementwise_from_column_activations():
    assert nn.activations.names(elementwise=False) == ["softmax"]
    assert set(nn.activations.names()) == set(nn.activations.names(elementwise=True)) | {"softmax"}
    assert all(nn.activations.get(name).elementwise for name in nn.activations.names(elementwise=True))
