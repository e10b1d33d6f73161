"""Bad input gives a ValueError naming the broken rule; extreme but valid input gives no warning.

Every case asserts the message (``match=``) so that a check which fires for the wrong reason,
or says nothing useful, fails. Fragments are passed through ``re.escape`` because the rules
are written in the docs' notation, full of brackets: ``W[l] must be (n[l], n[l-1])``.
"""

import re
import warnings

import numpy as np
import pytest

import nn

LAYER_DIMS = [2, 3, 1]
ACTIVATIONS = ["relu", "sigmoid"]
M = 5


def literal(text: str) -> str:
    return re.escape(text)


@pytest.fixture
def net():
    """A valid 2-layer network, a batch, and its forward pass: each test breaks one thing."""
    rng = np.random.default_rng(0)
    parameters = nn.initialize_parameters(LAYER_DIMS, seed=0)
    X = rng.standard_normal((LAYER_DIMS[0], M))
    Y = np.array([[0, 1, 1, 0, 1]])
    AL, cache = nn.forward_propagation(X, parameters, ACTIVATIONS)
    return {"parameters": parameters, "X": X, "Y": Y, "AL": AL, "cache": cache}


def with_nan(array: np.ndarray, value: float = np.nan) -> np.ndarray:
    broken = array.astype(float)
    broken.flat[1] = value
    return broken


# --- X -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("X", "match"),
    [
        (np.ones((3, M)), literal("X has 3 rows but W1 expects 2: W[l] must be (n[l], n[l-1])")),
        (np.ones(M), literal("X must be 2-D with samples as columns, shape (n[0], m); got shape (5,)")),
        (np.ones((2, M, 1)), literal("X must be 2-D with samples as columns")),
        (np.ones((2, 0)), literal("at least one sample (column), m >= 1")),
        (with_nan(np.ones((2, M))), "X contains NaN or inf"),
        (with_nan(np.ones((2, M)), np.inf), "X contains NaN or inf"),
        (np.full((2, M), "a"), "X must hold real numbers"),
        ([[1.0] * M, [1.0] * (M - 1)], literal("X is a list that numpy cannot make into one array (its entries")),
    ],
    ids=["rows", "1-D", "3-D", "no samples", "nan", "inf", "strings", "ragged rows"],
)
def test_bad_X(net, X, match):
    with pytest.raises(ValueError, match=match):
        nn.forward_propagation(X, net["parameters"], ACTIVATIONS)
    with pytest.raises(ValueError, match=match):
        nn.predict(X, net["parameters"], ACTIVATIONS)


def test_1d_X_error_says_how_to_reshape(net):
    with pytest.raises(ValueError, match=literal("Use X.reshape(n[0], m)")):
        nn.forward_propagation(np.ones(M), net["parameters"], ACTIVATIONS)


# --- parameters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"W2": np.ones((1, 4))}, literal("W2 has 4 columns but W1 has 3 rows: W[l] must be (n[l], n[l-1])")),
        ({"b1": np.ones((1, 3))}, literal("b1 has shape (1, 3) but W1 has 3 rows: b[l] must be (n[l], 1)")),
        ({"b1": np.ones((3, 2))}, literal("b[l] must be (n[l], 1)")),
        ({"b2": np.ones(1)}, literal("b2 must be a 2-D floating-point numpy array, b[l] must be (n[l], 1)")),
        ({"W1": np.ones(3)}, literal("W[l] must be (n[l], n[l-1])")),
        ({"W1": [[1.0, 2.0]] * 3}, "W1 must be a 2-D floating-point numpy array"),
        ({"W1": np.ones((3, 2), dtype=int)}, "W1 must be a 2-D floating-point numpy array"),
        ({"b2": np.zeros((1, 1), dtype=np.float32)}, "b2 has dtype float32 but W1 has float64: all parameters share"),
        ({"W2": with_nan(np.ones((1, 3)))}, "W2 contains NaN or inf"),
        ({"b1": with_nan(np.ones((3, 1)), -np.inf)}, "b1 contains NaN or inf"),
        ({"b2": None}, literal("missing ['b2']")),
        ({"W3": np.ones((1, 1))}, literal("missing ['b3']")),
        ({"gamma": np.ones((1, 1))}, literal("unexpected ['gamma']")),
    ],
    ids=[
        "W columns",
        "b transposed",
        "b wide",
        "b 1-D",
        "W 1-D",
        "W list",
        "W int",
        "mixed dtype",
        "W nan",
        "b inf",
        "missing b",
        "W without b",
        "unknown key",
    ],
)
def test_bad_parameters(net, change, match):
    parameters = {**net["parameters"], **change}
    parameters = {key: value for key, value in parameters.items() if value is not None}
    with pytest.raises(ValueError, match=match):
        nn.forward_propagation(net["X"], parameters, ACTIVATIONS)


@pytest.mark.parametrize("parameters", [{}, [np.ones((3, 2))]], ids=["empty", "list"])
def test_parameters_must_be_a_dict_of_layers(net, parameters):
    with pytest.raises(ValueError, match="parameters must"):
        nn.forward_propagation(net["X"], parameters, ACTIVATIONS)


# --- activations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("activations", "match"),
    [
        (["relu"], literal("got 1 activations for L = 2 layers: activations needs one name per layer")),
        (["relu", "relu", "sigmoid"], literal("got 3 activations for L = 2 layers")),
        ("relu", literal("activations must be a list with one name per layer")),
        (["relu", "relux"], "unknown activation 'relux'; valid names: sigmoid, tanh, relu, leaky_relu, identity"),
    ],
    ids=["too few", "too many", "string", "unknown"],
)
def test_bad_activations(net, activations, match):
    with pytest.raises(ValueError, match=match):
        nn.forward_propagation(net["X"], net["parameters"], activations)
    with pytest.raises(ValueError, match=match):
        nn.backward_propagation(net["AL"], net["Y"], net["cache"], net["parameters"], activations)


def test_unknown_activation_lists_every_registered_name():
    with pytest.raises(ValueError, match="unknown activation") as error:
        nn.activations.get("swish")
    assert all(name in str(error.value) for name in nn.activations.names())


# --- Y, A[L] and the loss ------------------------------------------------------------------

Y_CASES = [
    (np.ones((M, 1)), literal("Y has shape (5, 1) but A[L] is (n[L], m) = (1, 5): Y must be (n[L], m)")),
    (np.ones((M, 1)), literal("(Y looks transposed: use Y.T)")),
    (np.ones(M), literal("Y must be 2-D with samples as columns, shape (n[L], m); got shape (5,)")),
    (np.ones((1, M + 1)), literal("Y has shape (1, 6) but A[L] is (n[L], m) = (1, 5)")),
    (with_nan(np.ones((1, M))), "Y contains NaN or inf"),
    (np.array([[0, 1, 2, 0, 1]]), literal("bce needs labels 0 <= Y <= 1")),
    (np.array([[0, 1, -1, 0, 1]]), literal("bce needs labels 0 <= Y <= 1")),
    ([[0, 1, 1, 0, 1], [0, 1]], literal("Y is a list that numpy cannot make into one array")),
]
Y_IDS = ["transposed", "hint", "1-D", "wrong m", "nan", "label 2", "label -1", "ragged rows"]


@pytest.mark.parametrize(("Y", "match"), Y_CASES, ids=Y_IDS)
def test_bad_Y_for_cost(net, Y, match):
    with pytest.raises(ValueError, match=match):
        nn.compute_cost(net["AL"], Y)


@pytest.mark.parametrize(("Y", "match"), Y_CASES, ids=Y_IDS)
def test_bad_Y_for_backward(net, Y, match):
    with pytest.raises(ValueError, match=match):
        nn.backward_propagation(net["AL"], Y, net["cache"], net["parameters"], ACTIVATIONS)


@pytest.mark.parametrize(("Y", "match"), Y_CASES, ids=Y_IDS)
def test_bad_Y_for_train(net, Y, match):
    with pytest.raises(ValueError, match=match):
        nn.train(net["X"], Y, LAYER_DIMS, ACTIVATIONS, num_iterations=1)


def test_labels_outside_unit_interval_are_fine_for_mse(net):
    assert np.isfinite(nn.compute_cost(net["AL"], np.full((1, M), 3.0), loss="mse"))


@pytest.mark.parametrize("loss", ["ce", "BCE", None])
def test_unknown_loss_lists_valid_losses(net, loss):
    match = literal(f"unknown loss {loss!r}; valid loss names: 'bce', 'mse'")
    with pytest.raises(ValueError, match=match):
        nn.compute_cost(net["AL"], net["Y"], loss)
    with pytest.raises(ValueError, match=match):
        nn.backward_propagation(net["AL"], net["Y"], net["cache"], net["parameters"], ACTIVATIONS, loss)
    with pytest.raises(ValueError, match=match):
        nn.train(net["X"], net["Y"], LAYER_DIMS, ACTIVATIONS, loss=loss, num_iterations=1)


@pytest.mark.parametrize(
    ("AL", "match"),
    [
        (np.full((1, M), 1.5), literal("bce needs probabilities 0 <= A[L] <= 1")),
        (np.full((1, M), -0.5), literal("bce needs probabilities 0 <= A[L] <= 1")),
        (np.ones(M), literal("AL must be 2-D with samples as columns, shape (n[L], m)")),
        (with_nan(np.full((1, M), 0.5)), "AL contains NaN or inf"),
    ],
    ids=["above 1", "below 0", "1-D", "nan"],
)
def test_bad_AL_for_cost(net, AL, match):
    with pytest.raises(ValueError, match=match):
        nn.compute_cost(AL, net["Y"])


def test_a_cost_that_overflows_is_named():
    """mse's square of A[L] − Y near 1e200, or the L2 term's of W[l], beyond the largest float: a ValueError, not a
    RuntimeWarning and J = inf; the finite cost of the same shapes is still computed."""
    message = literal("the cost J overflowed (overflow encountered in square): A[L] − Y, or W[l] for the L2 term")
    with pytest.raises(ValueError, match=message):
        nn.compute_cost(np.array([[1e200, 0.0]]), np.array([[0.0, 0.0]]), "mse")
    parameters = {"W1": np.full((1, 1), 1e200), "b1": np.zeros((1, 1))}
    with pytest.raises(ValueError, match=message):
        nn.compute_cost(np.array([[0.5]]), np.array([[1.0]]), parameters=parameters, lambd=1.0)
    assert nn.compute_cost(np.array([[1e100, 0.0]]), np.array([[0.0, 0.0]]), "mse") == 1e200 / 2


def test_a_pass_that_overflows_is_named():
    """forward_propagation, predict and backward_propagation on numbers whose Z or gradients leave the floats: a
    ValueError naming the pass, as update_parameters and train name theirs, not a RuntimeWarning and inf."""
    parameters = {"W1": np.full((1, 2), 1e200), "b1": np.zeros((1, 1))}
    X = np.full((2, 3), 1e200)
    with pytest.raises(ValueError, match=literal("the forward pass overflowed (overflow encountered in matmul): X or")):
        nn.forward_propagation(X, parameters, ["identity"])
    with pytest.raises(ValueError, match=literal("the forward pass overflowed")):
        nn.predict(X, parameters, ["sigmoid"])
    AL, cache = nn.forward_propagation(np.ones((2, 3)), parameters, ["identity"])
    with pytest.raises(ValueError, match=literal("the backward pass overflowed (overflow encountered in")):
        nn.backward_propagation(AL, np.full((1, 3), -1e308), cache, parameters, ["identity"], "mse")


@pytest.mark.parametrize("edge", [0.0, 1.0])
def test_bce_without_sigmoid_output_refuses_to_divide_by_zero(edge):
    """dA = (A - Y) / (A(1 - A)) is undefined where A is exactly 0 or 1."""
    parameters = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}
    X, Y = np.array([[0.5, edge]]), np.array([[1, 0]])
    AL, cache = nn.forward_propagation(X, parameters, ["identity"])
    with pytest.raises(ValueError, match=literal("divides by zero unless 0 < A[L] < 1")):
        nn.backward_propagation(AL, Y, cache, parameters, ["identity"], loss="bce")


def test_bce_without_sigmoid_output_works_inside_the_open_interval():
    parameters = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}
    X, Y = np.array([[0.5, 0.25]]), np.array([[1, 0]])
    AL, cache = nn.forward_propagation(X, parameters, ["identity"])
    grads = nn.backward_propagation(AL, Y, cache, parameters, ["identity"], loss="bce")
    assert np.isfinite(grads["dW1"]).all()


# --- cache and AL for backward -------------------------------------------------------------


def test_cache_missing_an_entry(net):
    cache = {key: value for key, value in net["cache"].items() if key != "Z1"}
    with pytest.raises(ValueError, match=literal("cache['Z1'] is missing but backward needs a float64 array")):
        nn.backward_propagation(net["AL"], net["Y"], cache, net["parameters"], ACTIVATIONS)


def test_cache_from_another_batch(net):
    _, other = nn.forward_propagation(net["X"][:, :3], net["parameters"], ACTIVATIONS)
    cache = {**net["cache"], "Z1": other["Z1"]}
    match = literal("cache['Z1'] is a float64 array of shape (3, 3) but backward needs a float64 array of shape (3, 5)")
    with pytest.raises(ValueError, match=match):
        nn.backward_propagation(net["AL"], net["Y"], cache, net["parameters"], ACTIVATIONS)


def test_cache_must_be_a_dict(net):
    with pytest.raises(ValueError, match="cache must be the dict returned by forward_propagation"):
        nn.backward_propagation(net["AL"], net["Y"], [net["X"]], net["parameters"], ACTIVATIONS)


def test_AL_not_from_this_cache(net):
    with pytest.raises(ValueError, match=literal("AL has shape (1, 3) but Z2 in the cache has (1, 5)")):
        nn.backward_propagation(net["AL"][:, :3], net["Y"][:, :3], net["cache"], net["parameters"], ACTIVATIONS)


# --- initialize_parameters and train: layer_dims -------------------------------------------

LAYER_DIMS_CASES = [
    ([2], literal("layer_dims needs at least 2 entries")),
    ([], literal("layer_dims needs at least 2 entries")),
    ([2, 0, 1], literal("layer_dims[1] = 0: layer sizes n[l] must be integers >= 1")),
    ([2, -3, 1], literal("layer_dims[1] = -3: layer sizes n[l] must be integers >= 1")),
    ([2, 3.0, 1], literal("layer_dims[1] = 3.0: layer sizes n[l] must be integers >= 1")),
    ([2, 1.5, 1], literal("layer_dims[1] = 1.5")),
    ([True, 3, 1], literal("layer_dims[0] = True")),
    ([2, "3", 1], literal("layer_dims[1] = '3'")),
    ("231", literal("layer_dims must be a list [n[0], n[1], ..., n[L]]")),
    (5, literal("layer_dims must be a list [n[0], n[1], ..., n[L]]")),
]
LAYER_DIMS_IDS = ["one", "empty", "zero", "negative", "float", "fraction", "bool", "string size", "string", "int"]


@pytest.mark.parametrize(("layer_dims", "match"), LAYER_DIMS_CASES, ids=LAYER_DIMS_IDS)
def test_bad_layer_dims_for_init(layer_dims, match):
    with pytest.raises(ValueError, match=match):
        nn.initialize_parameters(layer_dims)


@pytest.mark.parametrize(("layer_dims", "match"), LAYER_DIMS_CASES, ids=LAYER_DIMS_IDS)
def test_bad_layer_dims_for_train(net, layer_dims, match):
    with pytest.raises(ValueError, match=match):
        nn.train(net["X"], net["Y"], layer_dims, ["sigmoid"], num_iterations=1)


def test_unknown_init_method_lists_valid_methods(net):
    match = literal("unknown init method 'glorot'; valid init method names: 'he', 'xavier', 'small', 'zeros'")
    with pytest.raises(ValueError, match=match):
        nn.initialize_parameters(LAYER_DIMS, "glorot")
    with pytest.raises(ValueError, match=match):
        nn.train(net["X"], net["Y"], LAYER_DIMS, ACTIVATIONS, init="glorot", num_iterations=1)


@pytest.mark.parametrize("dtype", [int, np.int32, bool, "banana"])
def test_init_dtype_must_be_floating(dtype):
    with pytest.raises(ValueError, match="dtype must be a floating-point type"):
        nn.initialize_parameters(LAYER_DIMS, dtype=dtype)


@pytest.mark.parametrize(
    ("X", "Y", "match"),
    [
        (np.ones((3, M)), np.ones((1, M)), literal("X has 3 rows but layer_dims[0] = n[0] = 2: X must be (n[0], m)")),
        (np.ones((2, M)), np.ones((2, M)), literal("Y has shape (2, 5) but A[L] is (n[L], m) = (1, 5)")),
    ],
    ids=["X rows", "Y rows"],
)
def test_train_data_must_fit_layer_dims(X, Y, match):
    with pytest.raises(ValueError, match=match):
        nn.train(X, Y, LAYER_DIMS, ACTIVATIONS, num_iterations=1)


def test_train_needs_one_activation_per_layer(net):
    with pytest.raises(ValueError, match=literal("got 1 activations for L = 2 layers")):
        nn.train(net["X"], net["Y"], LAYER_DIMS, ["sigmoid"], num_iterations=1)


# --- learning_rate, num_iterations, grads --------------------------------------------------

BAD_RATES = [0, -0.1, np.nan, np.inf, "0.1", None, True]
BAD_RATE_IDS = ["zero", "negative", "nan", "inf", "string", "None", "bool"]


@pytest.mark.parametrize("learning_rate", BAD_RATES, ids=BAD_RATE_IDS)
def test_bad_learning_rate_for_update(net, learning_rate):
    grads = nn.backward_propagation(net["AL"], net["Y"], net["cache"], net["parameters"], ACTIVATIONS)
    with pytest.raises(ValueError, match="learning_rate must be a positive finite number"):
        nn.update_parameters(net["parameters"], grads, learning_rate)


@pytest.mark.parametrize("learning_rate", BAD_RATES, ids=BAD_RATE_IDS)
def test_bad_learning_rate_for_train(net, learning_rate):
    with pytest.raises(ValueError, match="learning_rate must be a positive finite number"):
        nn.train(net["X"], net["Y"], LAYER_DIMS, ACTIVATIONS, learning_rate=learning_rate, num_iterations=1)


@pytest.mark.parametrize("num_iterations", [0, -5, 2.0, "10", True, None])
def test_bad_num_iterations(net, num_iterations):
    with pytest.raises(ValueError, match="num_iterations must be an integer >= 1"):
        nn.train(net["X"], net["Y"], LAYER_DIMS, ACTIVATIONS, num_iterations=num_iterations)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"db2": None}, literal("grads['db2'] is missing but b2 is a float64 array of shape (1, 1)")),
        ({"dW1": np.ones((2, 3))}, literal("grads['dW1'] is a float64 array of shape (2, 3) but W1 is")),
        ({"dW1": np.ones((3, 2), dtype=np.float32)}, literal("dW1 must have W1's shape and dtype")),
        ({"db1": with_nan(np.ones((3, 1)))}, "db1 contains NaN or inf"),
    ],
    ids=["missing", "shape", "dtype", "nan"],
)
def test_bad_grads(net, change, match):
    grads = nn.backward_propagation(net["AL"], net["Y"], net["cache"], net["parameters"], ACTIVATIONS)
    grads = {key: value for key, value in {**grads, **change}.items() if value is not None}
    with pytest.raises(ValueError, match=match):
        nn.update_parameters(net["parameters"], grads, 0.1)


# --- seeds and callbacks --------------------------------------------------------------------

BAD_SEEDS = [-1, 1.5, "0", True, [1, 2]]
BAD_SEED_IDS = ["negative", "float", "string", "bool", "list"]


@pytest.mark.parametrize("seed", BAD_SEEDS, ids=BAD_SEED_IDS)
@pytest.mark.parametrize(
    ("call", "what"),
    [
        (lambda net, seed: nn.initialize_parameters(LAYER_DIMS, seed=seed), "the seed of the draws of W"),
        (lambda net, seed: nn.forward_propagation(net["X"], net["parameters"], ACTIVATIONS, keep_prob=0.5, seed=seed),
         "the seed of the dropout masks"),
        (lambda net, seed: nn.train(net["X"], net["Y"], LAYER_DIMS, ACTIVATIONS, num_iterations=1, seed=seed),
         "the seed of the initialization, the shuffles and the dropout masks"),
        (lambda net, seed: nn.gradcheck.check(net["parameters"], net["X"], net["Y"], ACTIVATIONS, mode="directional",
                                              seed=seed), "the seed of a check's random draws"),
    ],
    ids=["initialize_parameters", "forward_propagation", "train", "gradcheck.check"],
)  # fmt: skip
def test_a_seed_is_a_whole_number_or_none(net, call, what, seed):
    """numpy's own refusal ("expected non-negative integer", "SeedSequence expects int") names no argument."""
    with pytest.raises(ValueError, match=literal(f"seed = {seed!r}: {what} must be an integer >= 0")):
        call(net, seed)


def test_a_numpy_integer_seed_gives_what_the_same_int_gives(net):
    X, Y = net["X"], net["Y"]
    options = {"num_iterations": 2, "keep_prob": 0.5, "mini_batch_size": 2}
    _, costs = nn.train(X, Y, LAYER_DIMS, ACTIVATIONS, seed=np.int64(3), **options)
    assert costs == nn.train(X, Y, LAYER_DIMS, ACTIVATIONS, seed=3, **options)[1]


def test_a_callback_that_cannot_be_called_is_refused_before_training(net):
    with pytest.raises(ValueError, match=literal("callback = 'print': train calls callback(iteration, cost)")):
        nn.train(net["X"], net["Y"], LAYER_DIMS, ACTIVATIONS, num_iterations=1, callback="print")


def test_diverging_training_says_so():
    """A step far too large for square error overflows; train reports that instead of warning."""
    X, Y = np.linspace(-10, 10, 8).reshape(1, -1), np.linspace(0, 100, 8).reshape(1, -1)
    with pytest.raises(ValueError, match=r"training diverged at iteration \d+ \(overflow.*\): lower learning_rate"):
        nn.train(X, Y, [1, 1], ["identity"], loss="mse", learning_rate=10.0, num_iterations=1000, seed=0)


# --- numerics: large |Z| gives no warning and finite results --------------------------------


@pytest.mark.parametrize("name", nn.activations.names(elementwise=True))
def test_activations_are_quiet_and_finite_for_large_Z(name):
    """No overflow warning and no inf or NaN for |Z| = 1e3 and 1e4, in float32 and float64."""
    g = nn.activations.get(name)
    for dtype in (np.float32, np.float64):
        Z = np.array([-1e4, -1e3, 0.0, 1e3, 1e4], dtype=dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            values = [g.forward(Z), g.derivative(Z), g.second_derivative(Z)]
        assert all(np.isfinite(value).all() for value in values), dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_quiet_out_to_the_largest_float(dtype):
    """The stable form exponentiates only -|Z|, so even Z = ±finfo.max gives exactly 0 and 1."""
    g = nn.activations.get("sigmoid")
    Z = np.array([-np.finfo(dtype).max, -1e3, 1e3, np.finfo(dtype).max], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(g.forward(Z), [0, 0, 1, 1])
        np.testing.assert_array_equal(g.derivative(Z), [0, 0, 0, 0])


@pytest.mark.parametrize("hidden", nn.activations.names(elementwise=True))
@pytest.mark.parametrize(("output", "loss"), [("sigmoid", "bce"), ("sigmoid", "mse"), ("identity", "mse")])
def test_network_is_quiet_for_Z_up_to_1e3(hidden, output, loss):
    """Z[1] = ±1000 (and Z[2] = ±1000 behind relu): forward, cost and backward emit no warning."""
    for dtype in (np.float32, np.float64):
        parameters = {
            "W1": np.array([[1000.0], [-1000.0]], dtype=dtype),
            "b1": np.zeros((2, 1), dtype=dtype),
            "W2": np.array([[1.0, -1.0]], dtype=dtype),
            "b2": np.zeros((1, 1), dtype=dtype),
        }
        X, Y = np.array([[1.0, -1.0, 0.5]], dtype=dtype), np.array([[1, 0, 1]])
        activations = [hidden, output]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            AL, cache = nn.forward_propagation(X, parameters, activations)
            cost = nn.compute_cost(AL, Y, loss)
            grads = nn.backward_propagation(AL, Y, cache, parameters, activations, loss)
        assert np.abs(cache["Z1"]).max() == 1000
        assert np.isfinite(cost)
        assert all(np.isfinite(grad).all() for grad in grads.values())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bce_cost_saturates_at_minus_log_eps(dtype):
    """A sigmoid saturated the wrong way (A = 0 for Y = 1) costs -log(eps) per sample, not inf."""
    eps = np.finfo(dtype).eps
    AL, Y = np.array([[0.0, 1.0]], dtype=dtype), np.array([[1, 0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cost = nn.compute_cost(AL, Y)
    # both samples cost -log(eps) (log(1 - eps) for the other term is ~eps, within rel=1e-6)
    assert cost == pytest.approx(-np.log(float(eps)), rel=1e-6)


# --- softmax and cross_entropy ------------------------------------------------------------------


@pytest.fixture
def softmax_net():
    """A valid network with a softmax output over K = 3 classes and one-hot targets."""
    rng = np.random.default_rng(1)
    parameters = nn.initialize_parameters([2, 4, 3], seed=0)
    X, labels = rng.standard_normal((2, M)), np.array([0, 2, 1, 1, 0])
    AL, cache = nn.forward_propagation(X, parameters, ["tanh", "softmax"])
    return {"parameters": parameters, "X": X, "labels": labels, "Y": np.eye(3)[labels].T, "AL": AL, "cache": cache}


def backward_softmax(net, Y=None, activations=("tanh", "softmax"), loss="cross_entropy"):
    Y = net["Y"] if Y is None else Y
    return nn.backward_propagation(net["AL"], Y, net["cache"], net["parameters"], list(activations), loss)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda net: backward_softmax(net, Y=net["labels"].reshape(1, -1)),
            literal("Y looks like class labels: one-hot encode them, Y = np.eye(3)[labels].T"),
        ),
        (  # the labels of a softmax network checked under another loss (the default bce) get the same hint
            lambda net: backward_softmax(net, Y=net["labels"].reshape(1, -1), loss="bce"),
            literal("Y looks like class labels: one-hot encode them, Y = np.eye(3)[labels].T"),
        ),
        (
            lambda net: backward_softmax(net, Y=2 * net["Y"]),
            literal("cross_entropy needs every column of Y to be a distribution over the n[L] classes, entries in"),
        ),
        (
            lambda net: backward_softmax(net, Y=net["Y"] * 0.5),
            literal("summing to 1; column 0 sums to 0.5"),
        ),
        (
            lambda net: backward_softmax(net, activations=("tanh", "sigmoid")),
            literal("loss 'cross_entropy' needs a softmax output layer") + ".*" + literal("got g[L] = 'sigmoid'"),
        ),
        (
            lambda net: nn.forward_propagation(net["X"], net["parameters"], ["softmax", "softmax"]),
            literal("activations[0] = 'softmax' at hidden layer 1 of L = 2")
            + ".*"
            + literal("only supported as the output activation g[L]"),
        ),
        (
            lambda net: nn.train(net["X"], net["Y"][:1], [2, 4, 1], ["tanh", "softmax"], loss="mse"),
            literal("softmax over n[L] = 1 unit is the constant 1 and passes no gradient"),
        ),
        (
            lambda net: nn.train(net["X"], net["Y"], [2, 4, 3], ["tanh", "identity"], loss="cross_entropy"),
            literal("loss 'cross_entropy' needs a softmax output layer"),
        ),
        (
            lambda net: nn.compute_cost(net["AL"] * 0.5, net["Y"], "cross_entropy"),
            literal("cross_entropy needs every column of A[L] to be a distribution") + ".*" + literal("softmax"),
        ),
        (
            lambda net: nn.compute_cost(
                net["AL"], net["Y"], "cross_entropy", ZL=net["cache"]["Z2"] + 0.1 * np.eye(3, M)
            ),
            literal("AL is not softmax(ZL): with loss='cross_entropy', ZL must be the Z[L] whose softmax is A[L]"),
        ),
        (
            lambda net: nn.compute_cost(net["AL"], net["Y"], "cross_entropy", ZL=net["cache"]["Z2"][:, :2]),
            literal("ZL has shape (3, 2) but AL has (3, 5): Z[L] and A[L] are both (n[L], m)"),
        ),
        (
            lambda net: nn.compute_cost(net["AL"], net["Y"], "mse", ZL=net["cache"]["Z2"]),
            literal("ZL is for the bce and cross_entropy costs (from the logits Z[L]); mse uses A[L] only"),
        ),
        (
            lambda net: nn.losses.output_gradient(np.array([[0.0], [1.0]]), np.array([[1.0], [0.0]]), "cross_entropy"),
            literal("cross_entropy's dA[L] = -Y / A[L] divides by zero unless A[L] > 0"),
        ),
    ],
    ids=[
        "labels not one-hot",
        "labels not one-hot, under bce",
        "Y outside [0, 1]",
        "Y columns do not sum to 1",
        "cross_entropy with sigmoid",
        "softmax as a hidden layer",
        "softmax over one unit",
        "train: cross_entropy without softmax",
        "AL not a distribution",
        "ZL does not give AL",
        "ZL shape",
        "ZL with mse",
        "dA divides by zero",
    ],
)
def test_bad_softmax_and_cross_entropy_input(softmax_net, call, match):
    with pytest.raises(ValueError, match=match):
        call(softmax_net)


def test_bce_ZL_must_give_AL(net):
    with pytest.raises(ValueError, match=literal("AL is not sigmoid(ZL)")):
        nn.compute_cost(net["AL"], net["Y"], "bce", ZL=net["cache"]["Z2"] + 1)


def test_cross_entropy_accepts_soft_targets_and_float32_rounding(softmax_net):
    """Label-smoothed targets are distributions too; float32 sums within sqrt(eps) of 1 pass."""
    smoothed = (0.9 * softmax_net["Y"] + 0.1 / 3).astype(np.float32)
    assert nn.compute_cost(softmax_net["AL"].astype(np.float32), smoothed, "cross_entropy") > 0


@pytest.mark.parametrize("hidden", nn.activations.names(elementwise=True))
@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_softmax_network_is_quiet_for_Z_up_to_1e3(hidden, loss):
    """Logits of ±1000 through a softmax output: no warning, finite cost and gradients."""
    for dtype in (np.float32, np.float64):
        parameters = {
            "W1": np.array([[1000.0], [-1000.0]], dtype=dtype),
            "b1": np.zeros((2, 1), dtype=dtype),
            "W2": np.array([[1.0, -1.0], [-1.0, 1.0]], dtype=dtype),
            "b2": np.zeros((2, 1), dtype=dtype),
        }
        X, Y = np.array([[1.0, -1.0, 0.5]], dtype=dtype), np.array([[1, 0, 0], [0, 1, 1]])
        activations = [hidden, "softmax"]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            AL, cache = nn.forward_propagation(X, parameters, activations)
            cost = nn.compute_cost(AL, Y, loss)
            grads = nn.backward_propagation(AL, Y, cache, parameters, activations, loss)
        assert np.isfinite(cost)
        assert all(np.isfinite(grad).all() for grad in grads.values())
