"""``train``'s in-place step (nn/inplace.py) against the readable public functions, to the last bit.

``train`` writes every step into arrays it allocated once; the site shows the readable
functions, which return new arrays. The two must give the same bits: same operations on the
same numbers, in the same order. Each case trains a small random network for a few steps with
``train`` and with the loop of the public functions (initialize, forward, cost, backward, the
optimizer's public update, the running averages), and compares every cost and every parameter
with ``==``, not a tolerance.

Bit-equality is safe to ask for here, on any machine: both sides run in one process, on the same
CPU with the same OpenBLAS kernel and thread count, and hand it the same operands. What differs
from one machine to another (the kernel's rounding, see tests/test_experiments.py) is the same
for both sides. The one thing that could differ between them is the memory layout of X (an
F-ordered or strided X may reach the kernel as it is on one side and as a copy on the other);
those cases are here to show it does not change the bits. They were run with the SkylakeX,
Haswell and Sandybridge kernels and with one thread.
"""

from __future__ import annotations

import inspect
import tracemalloc

import numpy as np
import pytest
import sympy as sp
from support import assert_page_says

import derivations
import nn
from derivations import activations as symbolic
from nn import activations, batchnorm, inplace, optimizers
from nn.losses import PAIRED_OUTPUT


def public_loop(X, Y, dims, names, *, loss, learning_rate, iterations, seed, optimizer="gd", mini_batch_size=None,
                lambd=0.0, keep_prob=1.0, batch_norm=False, init="xavier", beta=0.9, beta1=0.9, beta2=0.999,
                epsilon=1e-8):  # fmt: skip
    """``train`` written with the public functions only, as a reader would write it from the docs."""
    parameters = nn.initialize_parameters(dims, init, seed, dtype=X.dtype, batch_norm=batch_norm)
    masks = np.random.default_rng(seed)  # one stream for every step's dropout masks, as train draws them
    v, s = optimizers.initialize_adam(parameters)
    L, t, costs = len(names), 0, []
    for epoch in range(iterations):
        batches = [(X, Y)]
        if mini_batch_size is not None:
            batches = optimizers.random_mini_batches(X, Y, mini_batch_size, seed=seed + epoch)
        batch_costs = []
        for X_batch, Y_batch in batches:
            AL, cache = nn.forward_propagation(X_batch, parameters, names, keep_prob=keep_prob, seed=masks)
            ZL = cache[f"Z{L}"] if PAIRED_OUTPUT.get(loss) == names[-1] else None
            batch_costs.append(nn.compute_cost(AL, Y_batch, loss, ZL, parameters=parameters, lambd=lambd))
            grads = nn.backward_propagation(AL, Y_batch, cache, parameters, names, loss, lambd=lambd)
            t += 1
            if optimizer == "gd":
                parameters = nn.update_parameters(parameters, grads, learning_rate)
            elif optimizer == "momentum":
                parameters, v = optimizers.update_parameters_with_momentum(parameters, grads, v, beta, learning_rate)
            elif optimizer == "rmsprop":
                parameters, s = optimizers.update_parameters_with_rmsprop(
                    parameters, grads, s, beta2, learning_rate, epsilon
                )
            else:
                parameters, v, s = optimizers.update_parameters_with_adam(
                    parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon
                )
            if batch_norm:
                parameters = batchnorm.update_running_averages(parameters, cache)
        m = X.shape[1]  # one batch's cost, or the epoch's mean loss Σ m_b J_b / m
        costs.append(sum(J * X_batch.shape[1] for J, (X_batch, _) in zip(batch_costs, batches, strict=True)) / m
                     if mini_batch_size else batch_costs[0])  # fmt: skip
    return parameters, costs


# Small networks (a few ms each) that between them take every branch of the in-place step: each
# in-place activation and derivative, the registry's fallback, the paired and unpaired outputs,
# softmax, every optimizer, L2, dropout on some or all hidden layers, batch norm, mini-batches
# with a smaller last batch, float32, X in Fortran order or strided, and depths 1 to 4.
CASES = {
    "relu-tanh-sigmoid, gd": ([3, 5, 4, 1], ["relu", "tanh", "sigmoid"], "bce", {}),
    "one layer": ([3, 1], ["sigmoid"], "bce", {}),
    "float32 tanh, momentum, mini-batches": (
        [3, 4, 1], ["tanh", "sigmoid"], "bce",
        {"dtype": np.float32, "optimizer": "momentum", "mini_batch_size": 4, "beta": 0.8},
    ),
    "softmax, adam, dropout, L2": (
        [3, 5, 4, 3], ["leaky_relu", "elu", "softmax"], "cross_entropy",
        {"optimizer": "adam", "keep_prob": 0.7, "lambd": 0.3, "beta1": 0.8, "beta2": 0.9, "epsilon": 1e-4},
    ),
    "sigmoid hidden, mse, rmsprop, L2": (
        [3, 4, 3, 2], ["sigmoid", "softplus", "identity"], "mse",
        {"optimizer": "rmsprop", "lambd": 0.05, "beta2": 0.9, "epsilon": 1e-6},
    ),
    "unpaired sigmoid output, mse, dropout on one layer": (
        [3, 6, 4, 1], ["tanh", "relu", "sigmoid"], "mse", {"keep_prob": [1.0, 0.6]},
    ),
    "unpaired softmax output, mse": ([3, 4, 3], ["relu", "softmax"], "mse", {"optimizer": "momentum"}),
    "batch norm, adam, mini-batches, dropout": (
        [3, 5, 4, 4, 1], ["relu", "tanh", "selu", "sigmoid"], "bce",
        {"batch_norm": True, "optimizer": "adam", "mini_batch_size": 5, "keep_prob": [0.9, 0.8, 1.0], "init": "he"},
    ),
    "X in Fortran order, mini-batches, adam": (
        [3, 4, 1], ["relu", "sigmoid"], "bce", {"order": "F", "optimizer": "adam", "mini_batch_size": 5},
    ),
    "X a strided view, mini-batches": (
        [3, 4, 1], ["tanh", "sigmoid"], "bce", {"order": "strided", "mini_batch_size": 6},
    ),
    "float32 batch norm, L2, rmsprop": (
        [3, 4, 1], ["relu", "sigmoid"], "bce",
        {"dtype": np.float32, "batch_norm": True, "lambd": 0.2, "optimizer": "rmsprop"},
    ),
}  # fmt: skip


def data(dims, loss, dtype, m=13, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(dims[0], m)).astype(dtype)
    if loss == "cross_entropy":
        return X, np.eye(dims[-1])[rng.integers(dims[-1], size=m)].T
    if loss == "mse":
        return X, rng.uniform(size=(dims[-1], m))
    return X, (rng.random((dims[-1], m)) < 0.5).astype(int)


@pytest.mark.parametrize("case", CASES)
def test_train_is_the_loop_of_the_public_functions_to_the_last_bit(case):
    dims, names, loss, options = CASES[case]
    options = dict(options)
    X, Y = data(dims, loss, options.pop("dtype", np.float64))
    order = options.pop("order", "C")
    if order == "F":
        X = np.asfortranarray(X)
    elif order == "strided":  # every other column of a wider array
        X = np.repeat(X, 2, axis=1)[:, ::2]
    trained, costs = nn.train(X, Y, dims, names, loss=loss, learning_rate=0.05, num_iterations=3, seed=5, **options)
    expected, expected_costs = public_loop(X, Y, dims, names, loss=loss, learning_rate=0.05, iterations=3, seed=5,
                                           **options)  # fmt: skip
    assert costs == expected_costs
    assert list(trained) == list(expected)
    for key in expected:
        assert trained[key].dtype == X.dtype
        assert np.array_equal(trained[key], expected[key]), key


@pytest.mark.slow  # SymPy solves for z and simplifies (about 0.3 s for tanh)
@pytest.mark.parametrize("name", inplace.FROM_OUTPUT)
def test_derivatives_from_the_output_are_the_derived_forms(name):
    """tanh′ = 1 − A² and σ′ = A(1 − A) are the derivations' results in the cached output a, and
    give the bits of the readable derivative(Z), which recomputes A from Z."""
    assert symbolic.get(name).output_form
    derived = derivations.get(f"activation.{name}").result.rhs.subs(symbolic.da, 1)  # dz = da · g', g' in a
    assert derived.free_symbols == {symbolic.a}
    rng = np.random.default_rng(3)
    Z, dA = rng.uniform(-4, 4, size=(2, 3, 50))
    A = activations.get(name).forward(Z)
    out, scratch = np.empty_like(Z), inplace.scratch(Z.shape, Z.dtype)
    inplace.DERIVATIVE[name](dA, Z, A, out, scratch)
    # the derived expression as SymPy orders it: the same products and differences, so within rounding
    np.testing.assert_allclose(out, dA * sp.lambdify(symbolic.a, derived, "numpy")(A), rtol=4e-16, atol=0)
    assert np.array_equal(out, dA * activations.get(name).derivative(Z))


@pytest.mark.parametrize("name", sorted(inplace.DERIVATIVE))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_in_place_activations_give_the_registry_bits(name, dtype):
    """Each in-place g and g′ against the registry's, at the kinks and far into the tails too."""
    g = activations.get(name)
    rng = np.random.default_rng(4)
    Z = np.concatenate([rng.uniform(-6, 6, 200), [0.0, -0.0, 1e-300, -800.0, 800.0, 40.0, -40.0]]).astype(dtype)
    Z, dA = Z.reshape(1, -1), rng.normal(size=(1, Z.size)).astype(dtype)
    A, dZ, scratch = np.empty_like(Z), np.empty_like(Z), inplace.scratch(Z.shape, Z.dtype)
    inplace.FORWARD[name](Z, A, scratch)
    inplace.DERIVATIVE[name](dA, Z, A, dZ, scratch)
    assert np.array_equal(A, g.forward(Z))
    assert np.array_equal(dZ, dA * g.derivative(Z))


def test_steady_state_steps_allocate_no_n_l_by_m_array():
    """After the first step, a step of train allocates nothing as large as one layer's (n[l], m) array."""
    m = 12_000  # so that even the output layer's (1, m) array is larger than numpy's 64 KiB ufunc buffer
    X, Y = data([2, 3, 2, 1], "bce", np.float64, m=m)
    peaks, before = [], [0]

    def watch(iteration, cost):
        now, peak = tracemalloc.get_traced_memory()
        if iteration >= 2:  # the most allocated at once during the step, above what was held before it
            peaks.append(peak - before[0])
        tracemalloc.reset_peak()
        before[0] = now

    tracemalloc.start()
    try:
        nn.train(X, Y, [2, 3, 2, 1], ["relu", "tanh", "sigmoid"], num_iterations=4, seed=0, callback=watch)
    finally:
        tracemalloc.stop()
    smallest = 1 * m * 8  # n[L] × m float64 values: the smallest layer's array
    assert len(peaks) == 2
    assert max(peaks) < smallest, peaks


def test_the_home_page_says_which_path_takes_tanh_prime_from_which_cache():
    """The home page: its diagram takes tanh′ from Z[1], as nn.backward_propagation does for every activation,
    while nn.train's in-place step takes it from the output (FROM_OUTPUT), the form of the printed 1 − A ⊙ A."""
    assert "g[l - 1].derivative(preactivation(cache, l - 1))" in inspect.getsource(nn.network._backward)
    assert "tanh" in inplace.FROM_OUTPUT
    assert_page_says(
        "index",
        ("as `nn.backward_propagation` does it for every activation", "the form `nn.train`'s in-place step uses"),
        ("`nn.backward_propagation` 对每个激活函数都是这样做的", "`nn.train` 的原地训练步骤用的正是这个形式"),
    )
