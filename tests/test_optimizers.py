"""Momentum, RMSprop and Adam against the derivation ``optimizers.bias_correction``; mini-batches; train.

Each update rule is tied to its formula through the derived closed forms: after t steps of a
constant gradient g, momentum's and Adam's v is (1 − βᵗ) g and s is (1 − β₂ᵗ) g², so Adam's
corrected step is exactly α g / (|g| + ε) and RMSprop's is α g / (√s + ε). A rule with β and
1 − β swapped, without the square root, or without the bias correction misses these values by
far more than rounding. Tolerances: the rules run in float64 for at most 30 steps, so the
closed forms hold to a few ulps; ``rtol=1e-12`` leaves room for that and nothing else.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from support import joined

import derivations
import nn
from derivations import optimizers as symbols
from nn import optimizers

DERIVATION = derivations.get("optimizers.bias_correction")
RTOL = 1e-12


def derived(lhs, *, summed=False):
    """The last right-hand side for ``lhs`` in the derivation (the unrolled sum when ``summed``).

    test_derivations proves every step; here they are the expected values.
    """
    found = [step.rhs for step in DERIVATION.all_steps() if step.lhs == lhs and step.rhs.has(sp.Sum) == summed]
    return found[-1]


V_T = sp.lambdify((symbols.beta, symbols.t, symbols.g), derived(symbols.v_t), "numpy")  # (1 − βᵗ) g
S_T = sp.lambdify((symbols.beta2, symbols.t, symbols.g), derived(symbols.s_t), "numpy")  # (1 − β₂ᵗ) g²
V_HAT = sp.lambdify(symbols.g, derived(symbols.v_hat), "numpy")  # g
S_HAT = sp.lambdify(symbols.g, derived(symbols.s_hat), "numpy")  # g²
WEIGHT = sp.lambdify(  # (1 − β) β^(t − τ), the weight of step τ's gradient in v_t
    (symbols.beta, symbols.t, symbols.tau),
    derived(symbols.v_t, summed=True).function.subs(symbols.g_[symbols.tau], 1),
    "numpy",  # without it, lambdify imports scipy (0.3 s) to look for special functions that are not there
)


def problem(seed=0, extra=False):
    """Parameters and a gradient of a 2-layer network; with ``extra``, batch norm's entries too."""
    rng = np.random.default_rng(seed)
    parameters = {"W1": rng.normal(size=(3, 2)), "b1": rng.normal(size=(3, 1))}
    parameters |= {"W2": rng.normal(size=(1, 3)), "b2": rng.normal(size=(1, 1))}
    if extra:
        parameters |= {"gamma1": rng.normal(size=(3, 1)), "beta1": rng.normal(size=(3, 1))}
        parameters |= {"running_mean1": rng.normal(size=(3, 1)), "running_var1": rng.uniform(1, 2, size=(3, 1))}
    grads = {f"d{key}": rng.normal(size=value.shape) for key, value in parameters.items() if "running" not in key}
    return parameters, grads


def run(optimizer, parameters, grads, steps, *, beta=0.9, beta2=0.999, learning_rate=0.01, epsilon=1e-8):
    """``steps`` steps of ``optimizer`` with one gradient; return the parameters before and after the last, and v, s."""
    if optimizer == "momentum":
        state = [nn.optimizers.initialize_velocity(parameters)]
    elif optimizer == "rmsprop":
        state = [nn.optimizers.initialize_adam(parameters)[1]]
    else:
        state = list(nn.optimizers.initialize_adam(parameters))
    before = parameters
    for t in range(1, steps + 1):
        before = parameters
        if optimizer == "momentum":
            parameters, *state = optimizers.update_parameters_with_momentum(
                parameters, grads, *state, beta, learning_rate
            )
        elif optimizer == "rmsprop":
            parameters, *state = optimizers.update_parameters_with_rmsprop(
                parameters, grads, *state, beta2, learning_rate, epsilon
            )
        else:
            parameters, *state = optimizers.update_parameters_with_adam(
                parameters, grads, *state, t, learning_rate, beta, beta2, epsilon
            )
    return before, parameters, state


STEPS = [1, 2, 7, 30]


# --- the rules against the derivation ---------------------------------------------------------


@pytest.mark.parametrize("steps", STEPS)
@pytest.mark.parametrize("beta", [0.5, 0.9])
def test_momentum_velocity_is_the_derived_closed_form(steps, beta):
    parameters, grads = problem()
    _, _, (v,) = run("momentum", parameters, grads, steps, beta=beta)
    for key, g in grads.items():
        np.testing.assert_allclose(v[key], V_T(beta, steps, g), rtol=RTOL)


@pytest.mark.parametrize("steps", STEPS)
def test_momentum_step_is_alpha_times_the_velocity(steps):
    parameters, grads = problem()
    before, after, _ = run("momentum", parameters, grads, steps, learning_rate=0.3)
    for key in parameters:
        np.testing.assert_allclose(before[key] - after[key], 0.3 * V_T(0.9, steps, grads[f"d{key}"]), rtol=1e-9)


def test_momentum_velocity_is_the_exponentially_weighted_sum_of_varying_gradients():
    rng = np.random.default_rng(1)
    parameters, _ = problem()
    v, beta, history = nn.optimizers.initialize_velocity(parameters), 0.8, []
    for _ in range(6):
        grads = {f"d{key}": rng.normal(size=value.shape) for key, value in parameters.items()}
        history.append(grads)
        parameters, v = optimizers.update_parameters_with_momentum(parameters, grads, v, beta, 0.1)
    t = len(history)
    for key in v:
        expected = sum(WEIGHT(beta, t, i) * history[i - 1][key] for i in range(1, t + 1))
        np.testing.assert_allclose(v[key], expected, rtol=RTOL)


@pytest.mark.parametrize("steps", STEPS)
@pytest.mark.parametrize("epsilon", [1e-8, 0.5])
def test_rmsprop_average_and_step_follow_the_derived_s(steps, epsilon):
    """s_t = (1 − β₂ᵗ) g², and the step divides g by √s_t + ε (a large ε makes its place visible)."""
    parameters, grads = problem()
    before, after, (s,) = run("rmsprop", parameters, grads, steps, beta2=0.9, learning_rate=0.1, epsilon=epsilon)
    for key in parameters:
        g = grads[f"d{key}"]
        np.testing.assert_allclose(s[f"d{key}"], S_T(0.9, steps, g), rtol=RTOL)
        step = 0.1 * g / (np.sqrt(S_T(0.9, steps, g)) + epsilon)
        np.testing.assert_allclose(before[key] - after[key], step, rtol=1e-9)


@pytest.mark.parametrize("steps", STEPS)
@pytest.mark.parametrize("epsilon", [1e-8, 0.5])
def test_adam_averages_are_biased_and_its_corrected_step_is_exact(steps, epsilon):
    """v and s carry the bias (1 − βᵗ); the step uses v̂ = g and ŝ = g², so it is α g / (|g| + ε) at every t."""
    parameters, grads = problem()
    before, after, (v, s) = run("adam", parameters, grads, steps, beta=0.9, beta2=0.99, epsilon=epsilon)
    for key in parameters:
        g = grads[f"d{key}"]
        np.testing.assert_allclose(v[f"d{key}"], V_T(0.9, steps, g), rtol=RTOL)
        np.testing.assert_allclose(s[f"d{key}"], S_T(0.99, steps, g), rtol=RTOL)
        step = 0.01 * V_HAT(g) / (np.sqrt(S_HAT(g)) + epsilon)
        np.testing.assert_allclose(before[key] - after[key], step, rtol=1e-9)


def test_momentum_with_beta_zero_is_gradient_descent():
    parameters, grads = problem()
    stepped, _ = optimizers.update_parameters_with_momentum(
        parameters, grads, optimizers.initialize_velocity(parameters), 0.0, 0.1
    )
    expected = nn.update_parameters(parameters, grads, 0.1)
    for key in parameters:
        np.testing.assert_array_equal(stepped[key], expected[key])


# --- what the rules update, and what they leave alone -------------------------------------------


RULES = ["gd", "momentum", "rmsprop", "adam"]


def one_step(rule, parameters, grads):
    if rule == "gd":
        return nn.update_parameters(parameters, grads, 0.1), ()
    _, after, state = run(rule, parameters, grads, 1, learning_rate=0.1)
    return after, state


@pytest.mark.parametrize("rule", RULES)
def test_only_parameters_with_a_gradient_move(rule):
    """Batch norm's gamma and beta take the step; its running averages get no gradient and stay as they were."""
    parameters, grads = problem(extra=True)
    after, state = one_step(rule, parameters, grads)
    assert set(after) == set(parameters)
    for key, value in parameters.items():
        if key.startswith("running"):
            np.testing.assert_array_equal(after[key], value)
            assert after[key] is not value
        else:
            assert np.all(after[key] != value), key
    for values in state:
        assert set(values) == set(grads)


@pytest.mark.parametrize("rule", RULES)
def test_inputs_are_not_modified(rule):
    parameters, grads = problem(extra=True)
    state = [nn.optimizers.initialize_adam(parameters)[0]] if rule != "gd" else []
    kept = copy.deepcopy((parameters, grads, state))
    if rule == "momentum":
        optimizers.update_parameters_with_momentum(parameters, grads, state[0], 0.9, 0.1)
    elif rule == "rmsprop":
        optimizers.update_parameters_with_rmsprop(parameters, grads, state[0], 0.9, 0.1, 1e-8)
    elif rule == "adam":
        optimizers.update_parameters_with_adam(parameters, grads, state[0], copy.deepcopy(state[0]), 1)
    else:
        nn.update_parameters(parameters, grads, 0.1)
    for before, now in zip(kept, (parameters, grads, state), strict=True):
        for key in before if isinstance(before, dict) else range(len(before)):
            np.testing.assert_equal(now[key], before[key])


@pytest.mark.parametrize("rule", ["momentum", "rmsprop", "adam"])
def test_float32_stays_float32(rule):
    parameters, grads = problem()
    parameters = {key: value.astype(np.float32) for key, value in parameters.items()}
    grads = {key: value.astype(np.float32) for key, value in grads.items()}
    after, state = one_step(rule, parameters, grads)
    assert {value.dtype for values in (after, *state) for value in values.values()} == {np.dtype(np.float32)}


def test_initial_states_are_zeros_keyed_like_the_gradients():
    parameters, grads = problem(extra=True)
    for state in (optimizers.initialize_velocity(parameters), *optimizers.initialize_adam(parameters)):
        assert set(state) == set(grads)
        assert all(not value.any() and value.shape == grads[key].shape for key, value in state.items())
    v, s = optimizers.initialize_adam(parameters)
    assert not any(np.shares_memory(v[key], s[key]) for key in v)


# --- mini-batches -------------------------------------------------------------------------------


def labelled(m, n=3):
    """X whose column i holds i in every row, and Y = i as well: any mix-up shows."""
    column = np.arange(m, dtype=float)
    return np.tile(column, (n, 1)), column.reshape(1, m).astype(int)


@pytest.mark.parametrize(
    ("m", "size", "sizes"), [(10, 4, [4, 4, 2]), (12, 4, [4, 4, 4]), (3, 64, [3]), (5, 1, [1] * 5)]
)
def test_mini_batches_are_full_then_the_remainder(m, size, sizes):
    X, Y = labelled(m)
    batches = optimizers.random_mini_batches(X, Y, size, seed=3)
    assert [x.shape[1] for x, _ in batches] == sizes
    assert [y.shape for _, y in batches] == [(1, n) for n in sizes]


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_mini_batches_shuffle_the_columns_and_keep_labels_with_them(seed):
    X, Y = labelled(50)
    batches = optimizers.random_mini_batches(X, Y, 16, seed=seed)
    order = np.concatenate([x[0] for x, _ in batches])
    assert sorted(order) == list(range(50))  # a permutation: every column once
    assert not np.array_equal(order, np.arange(50))  # shuffled
    for x, y in batches:
        np.testing.assert_array_equal(x, np.tile(y, (3, 1)))  # each label stays with its column
    assert all(x.dtype == X.dtype and y.dtype == Y.dtype for x, y in batches)


def test_same_seed_same_batches_other_seed_other_order():
    X, Y = labelled(30)
    first, again = (optimizers.random_mini_batches(X, Y, 8, seed=5) for _ in range(2))
    other = optimizers.random_mini_batches(X, Y, 8, seed=6)
    assert all(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]) for a, b in zip(first, again, strict=True))
    assert not np.array_equal(first[0][0], other[0][0])


def test_mini_batches_leave_X_and_Y_alone():
    X, Y = labelled(10)
    optimizers.random_mini_batches(X, Y, 3)
    np.testing.assert_array_equal(X, labelled(10)[0])
    np.testing.assert_array_equal(Y, labelled(10)[1])


# --- train --------------------------------------------------------------------------------------

DIMS, ACTIVATIONS = [2, 3, 1], ["tanh", "sigmoid"]


def data(m=11):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(2, m))
    return X, (X[0:1] * X[1:2] > 0).astype(int)


def test_default_train_is_the_gradient_descent_loop_bit_for_bit():
    """The defaults (optimizer="gd", no mini-batches) give exactly the loop of the public steps."""
    X, Y = data()
    trained, costs = nn.train(X, Y, DIMS, ACTIVATIONS, learning_rate=0.5, num_iterations=20, seed=4)
    parameters, expected = nn.initialize_parameters(DIMS, "xavier", 4), []
    for _ in range(20):
        AL, cache = nn.forward_propagation(X, parameters, ACTIVATIONS)
        expected.append(nn.compute_cost(AL, Y, "bce", cache["Z2"]))
        grads = nn.backward_propagation(AL, Y, cache, parameters, ACTIVATIONS)
        parameters = nn.update_parameters(parameters, grads, 0.5)
    assert costs == expected
    for key in parameters:
        np.testing.assert_array_equal(trained[key], parameters[key])


@pytest.mark.parametrize("optimizer", RULES)
def test_train_with_mini_batches_is_the_loop_of_the_public_functions(optimizer):
    """Epoch e shuffles with seed + e; one step per batch; the epoch's cost is Σ m_b J_b / m; Adam's t counts steps."""
    X, Y = data()
    options = {"beta": 0.8, "beta1": 0.7, "beta2": 0.95, "epsilon": 1e-3}
    trained, costs = nn.train(
        X, Y, DIMS, ACTIVATIONS, learning_rate=0.1, num_iterations=3, seed=4, optimizer=optimizer,
        mini_batch_size=4, **options,
    )  # fmt: skip
    parameters, expected, t = nn.initialize_parameters(DIMS, "xavier", 4), [], 0
    v, s = optimizers.initialize_adam(parameters)
    for epoch in range(3):
        total = 0.0
        for X_batch, Y_batch in optimizers.random_mini_batches(X, Y, 4, seed=4 + epoch):
            AL, cache = nn.forward_propagation(X_batch, parameters, ACTIVATIONS)
            total += nn.compute_cost(AL, Y_batch, "bce", cache["Z2"]) * X_batch.shape[1]
            grads = nn.backward_propagation(AL, Y_batch, cache, parameters, ACTIVATIONS)
            t += 1
            if optimizer == "gd":
                parameters = nn.update_parameters(parameters, grads, 0.1)
            elif optimizer == "momentum":
                parameters, v = optimizers.update_parameters_with_momentum(parameters, grads, v, 0.8, 0.1)
            elif optimizer == "rmsprop":
                parameters, s = optimizers.update_parameters_with_rmsprop(parameters, grads, s, 0.95, 0.1, 1e-3)
            else:
                parameters, v, s = optimizers.update_parameters_with_adam(
                    parameters, grads, v, s, t, 0.1, 0.7, 0.95, 1e-3
                )
        expected.append(total / X.shape[1])
    np.testing.assert_allclose(costs, expected, rtol=1e-14)
    for key in parameters:
        np.testing.assert_array_equal(trained[key], parameters[key])


#: Where docs/optimizers.md says what an epoch's cost holds with L2: each batch's own penalty, so one whole-set
#: penalty per batch on top of the mean loss.
EPOCH_COST_WITH_L2 = {
    "en": (
        r"With L2 each \(J_b\) includes its own batch's penalty \(\frac{\lambda}{2 m_b}",
        r"is the mean loss plus \(\frac{\lambda}{2m} \sum_l \lVert W^{[l]} \rVert_F^2\) once for every batch",
    ),
    "zh": (
        r"加 L2 时，每个 \(J_b\) 都含有该批自己的惩罚项\(\frac{\lambda}{2 m_b}",
        r"等于平均损失再加上每批一个\(\frac{\lambda}{2m} \sum_l \lVert W^{[l]} \rVert_F^2\)",
    ),
}


@pytest.mark.parametrize("lang", EPOCH_COST_WITH_L2)
def test_with_l2_an_epochs_cost_is_the_mean_loss_plus_one_penalty_per_batch(lang):
    """With lambd and mini-batches, train's epoch cost Σ m_b J_b / m is the mean loss over the m samples plus
    λ/(2m) Σ‖W‖² once per batch (with that batch's W): about as many whole-set penalties as there are batches, not
    one; optimizers.md says so in both languages."""
    X, Y = data()
    lambd, size, m = 0.7, 4, X.shape[1]
    _, costs = nn.train(
        X, Y, DIMS, ACTIVATIONS, learning_rate=0.1, num_iterations=2, seed=4, mini_batch_size=size, lambd=lambd
    )
    parameters, expected, counted = nn.initialize_parameters(DIMS, "xavier", 4), [], []
    for epoch in range(2):
        loss, penalties = 0.0, 0.0
        whole = lambd / (2 * m) * sum(np.sum(parameters[f"W{l}"] ** 2) for l in (1, 2))  # at the epoch's start
        batches = optimizers.random_mini_batches(X, Y, size, seed=4 + epoch)
        for X_batch, Y_batch in batches:
            AL, cache = nn.forward_propagation(X_batch, parameters, ACTIVATIONS)
            loss += nn.compute_cost(AL, Y_batch, "bce", cache["Z2"]) * X_batch.shape[1]
            penalties += lambd / (2 * m) * sum(np.sum(parameters[f"W{l}"] ** 2) for l in (1, 2))
            grads = nn.backward_propagation(AL, Y_batch, cache, parameters, ACTIVATIONS, lambd=lambd)
            parameters = nn.update_parameters(parameters, grads, 0.1)
        expected.append(loss / m + penalties)
        counted.append(((costs[epoch] - loss / m) / whole, len(batches)))
    np.testing.assert_allclose(costs, expected, rtol=1e-13)
    for penalties_in_cost, batches in counted:  # "about as many times the penalty of all m columns as batches"
        assert batches == 3  # 11 columns in batches of 4
        assert abs(penalties_in_cost - batches) < 0.1 * batches, (penalties_in_cost, batches)
    page = Path(__file__).resolve().parents[1] / "docs" / ("optimizers.zh.md" if lang == "zh" else "optimizers.md")
    text = joined(page.read_text(encoding="utf-8"), lang)
    for words in EPOCH_COST_WITH_L2[lang]:
        assert words in text, words


def test_one_batch_of_all_columns_is_full_batch_descent_up_to_rounding():
    X, Y = data()
    full, full_costs = nn.train(X, Y, DIMS, ACTIVATIONS, num_iterations=5, seed=1)
    batched, batched_costs = nn.train(X, Y, DIMS, ACTIVATIONS, num_iterations=5, seed=1, mini_batch_size=64)
    np.testing.assert_allclose(batched_costs, full_costs, rtol=1e-13)
    for key in full:
        np.testing.assert_allclose(batched[key], full[key], rtol=1e-13)


# --- bad input: a ValueError that names the rule ------------------------------------------------


def literal(text):
    return re.escape(text)


def adam_call(**change):
    parameters, grads = problem()
    v, s = optimizers.initialize_adam(parameters)
    arguments = {"parameters": parameters, "grads": grads, "v": v, "s": s, "t": 1} | change
    return lambda: optimizers.update_parameters_with_adam(**arguments)


@pytest.mark.parametrize("value", [1.0, -0.1, np.nan, "0.9", None])
@pytest.mark.parametrize("name", ["beta1", "beta2"])
def test_adam_rates_must_lie_in_zero_one(name, value):
    rule = f"{name} = {value!r}: an averaging rate β must be a number with 0 <= β < 1"
    with pytest.raises(ValueError, match=literal(rule)):
        adam_call(**{name: value})()


@pytest.mark.parametrize("t", [0, -1, 1.5, True, None])
def test_adam_counts_steps_from_one(t):
    with pytest.raises(ValueError, match=literal(f"t = {t!r}: t counts Adam's steps from 1")):
        adam_call(t=t)()


def test_adam_takes_a_step_count_a_float_holds():
    """β^t converts t to a float: one beyond the largest float is named, not met with Python's OverflowError."""
    with pytest.raises(ValueError, match=literal("t is larger than the largest float, 1.8e+308: t counts Adam's")):
        adam_call(t=10**400)()
    adam_call(t=10**308)()  # below it β^t is 0 and the step is taken


@pytest.mark.parametrize("epsilon", [0, -1e-8, np.inf, "1e-8"])
def test_epsilon_must_be_positive(epsilon):
    with pytest.raises(ValueError, match=literal(f"epsilon = {epsilon!r}: ε must be a positive finite number")):
        adam_call(epsilon=epsilon)()


def test_adam_rejects_a_bad_learning_rate():
    with pytest.raises(ValueError, match="learning_rate must be a positive finite number"):
        adam_call(learning_rate=0)()


def broken(state, key, value):
    return {k: v for k, v in {**state, key: value}.items() if v is not None}


@pytest.mark.parametrize(
    ("which", "value", "match"),
    [
        ("v", None, "v['dW1'] is missing but W1 is a float64 array of shape (3, 2): dW1 must have W1's shape"),
        ("s", np.zeros((2, 3)), "s['dW1'] is a float64 array of shape (2, 3) but W1 is"),
        ("s", np.zeros((3, 2), np.float32), "dW1 must have W1's shape and dtype"),
        ("s", -np.ones((3, 2)), "s['dW1'] has a negative entry -1.0 at index (0, 0): s averages squared gradients"),
        ("v", np.full((3, 2), np.nan), "v['dW1'] contains NaN or inf"),
        ("grads", None, "grads['dW1'] is missing but W1 is"),
    ],
)
def test_missing_or_misshapen_state(which, value, match):
    parameters, grads = problem()
    v, s = optimizers.initialize_adam(parameters)
    arguments = {"grads": grads, "v": v, "s": s}
    arguments[which] = broken(arguments[which], "dW1", value)
    with pytest.raises(ValueError, match=literal(match)):
        optimizers.update_parameters_with_adam(parameters, arguments["grads"], arguments["v"], arguments["s"], 1)


@pytest.mark.parametrize("which", ["v", "s"])
def test_state_keyed_by_no_parameter_is_refused(which):
    """State from another network (a dW3 this one lacks, a running average's entry) is not passed on silently."""
    parameters, grads = problem()
    v, s = optimizers.initialize_adam(parameters)
    arguments = {"v": v, "s": s}
    for extra in ("dW3", "drunning_mean1"):
        arguments[which] = {**arguments[which], extra: np.zeros((1, 1))}
        with pytest.raises(ValueError, match=literal(f"{which} has '{extra}' but no learnable parameter of that name")):
            optimizers.update_parameters_with_adam(parameters, grads, arguments["v"], arguments["s"], 1)
        arguments[which] = {key: value for key, value in arguments[which].items() if key != extra}
    with pytest.raises(ValueError, match=literal("v has 'dW3'")):
        optimizers.update_parameters_with_momentum(parameters, grads, {**v, "dW3": np.zeros((1, 1))}, 0.9, 0.1)
    with pytest.raises(ValueError, match=literal("s has 'dW3'")):
        optimizers.update_parameters_with_rmsprop(parameters, grads, {**s, "dW3": np.zeros((1, 1))}, 0.9, 0.1, 1e-8)


def test_state_must_be_a_dict():
    parameters, grads = problem()
    with pytest.raises(ValueError, match=literal("v must be a dict keyed like the gradients (dW1, db1, ...)")):
        optimizers.update_parameters_with_momentum(parameters, grads, None, 0.9, 0.1)


def test_momentum_and_rmsprop_check_their_rates():
    parameters, grads = problem()
    v = optimizers.initialize_velocity(parameters)
    with pytest.raises(ValueError, match=literal("beta = 1: an averaging rate β must be")):
        optimizers.update_parameters_with_momentum(parameters, grads, v, 1, 0.1)
    with pytest.raises(ValueError, match=literal("beta2 = -0.5: an averaging rate β must be")):
        optimizers.update_parameters_with_rmsprop(parameters, grads, v, -0.5, 0.1, 1e-8)
    with pytest.raises(ValueError, match=literal("epsilon = 0.0: ε must be")):
        optimizers.update_parameters_with_rmsprop(parameters, grads, v, 0.9, 0.1, 0.0)


@pytest.mark.parametrize("rule", RULES)
def test_a_gradient_without_a_parameter_is_refused(rule):
    """A gradient for a running average, or for no parameter at all, is a bug in the gradients."""
    parameters, grads = problem(extra=True)
    for extra in ("drunning_mean1", "dW9"):
        with pytest.raises(ValueError, match=literal(f"grads has '{extra}' but no learnable parameter of that name")):
            one_step(rule, parameters, {**grads, extra: np.zeros((3, 1))})


@pytest.mark.parametrize("rule", ["rmsprop", "adam"])
def test_gradients_whose_squares_overflow_say_so_without_a_warning(rule):
    parameters, grads = problem()
    grads["dW1"] = np.full((3, 2), 1e200)
    with pytest.raises(ValueError, match=r"the update overflowed \(overflow.*\): .*lower the learning rate"):
        one_step(rule, parameters, grads)


@pytest.mark.parametrize("rule", RULES)
def test_a_step_beyond_the_largest_float_says_so_without_a_warning(rule):
    """W = −1.79e308 and dW = 1.7e308 are finite, but a step of W − α dW (momentum's too) goes past the largest float
    and RMSprop's and Adam's dW² overflow: every rule, plain gradient descent too, says so rather than warn and
    return inf."""
    parameters, grads = problem()
    parameters["W1"] = np.full((3, 2), -1.79e308)
    grads["dW1"] = np.full((3, 2), 1.7e308)
    with pytest.raises(ValueError, match=r"the update overflowed \(overflow.*\): .*lower the learning rate"):
        one_step(rule, parameters, grads)


def test_parameters_must_be_float_arrays_of_one_dtype():
    parameters, grads = problem()
    with pytest.raises(ValueError, match=literal("parameters['W1'] must be a floating-point numpy array; got a list")):
        optimizers.initialize_velocity({**parameters, "W1": [[1.0]]})
    with pytest.raises(ValueError, match=literal("b1 has dtype float32 but the other parameters have float64")):
        optimizers.initialize_adam({**parameters, "b1": parameters["b1"].astype(np.float32)})
    with pytest.raises(ValueError, match=literal("parameters must be a dict {'W1': ..., 'b1': ..., ...}; got a list")):
        nn.update_parameters([], grads, 0.1)


@pytest.mark.parametrize(
    ("X", "Y", "size", "seed", "match"),
    [
        (np.ones((2, 5)), np.ones((1, 4)), 2, 0, "X has 5 columns but Y has 4: column i of Y is the label of column i"),
        (np.ones(5), np.ones((1, 5)), 2, 0, "X must be 2-D with m >= 1 samples as columns, (n[0], m); got shape (5,)"),
        (np.ones((2, 0)), np.ones((1, 0)), 2, 0, "X must be 2-D with m >= 1 samples"),
        (np.ones((2, 5)), np.ones((1, 5)), 0, 0, "mini_batch_size = 0: a mini-batch holds an integer number >= 1"),
        (np.ones((2, 5)), np.ones((1, 5)), 2.5, 0, "mini_batch_size = 2.5: a mini-batch holds an integer number"),
        (np.ones((2, 5)), np.ones((1, 5)), True, 0, "mini_batch_size = True: a mini-batch"),
        (np.ones((2, 5)), np.ones((1, 5)), 2, -1, "seed = -1: the shuffle's seed must be an integer >= 0"),
    ],
)
def test_bad_mini_batch_input(X, Y, size, seed, match):
    with pytest.raises(ValueError, match=literal(match)):
        optimizers.random_mini_batches(X, Y, size, seed)


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"optimizer": "sgd"}, "unknown optimizer 'sgd'; valid optimizer names: 'gd', 'momentum', 'rmsprop', 'adam'"),
        ({"optimizer": "adam", "beta1": 1.0}, "beta1 = 1.0: an averaging rate β must be a number with 0 <= β < 1"),
        ({"optimizer": "momentum", "beta": -0.1}, "beta = -0.1: an averaging rate β"),
        ({"optimizer": "rmsprop", "beta2": 2}, "beta2 = 2: an averaging rate β"),
        ({"optimizer": "adam", "epsilon": 0}, "epsilon = 0: ε must be a positive finite number"),
        ({"mini_batch_size": 0}, "mini_batch_size = 0: a mini-batch holds an integer number >= 1 of columns"),
        ({"mini_batch_size": 16.0}, "mini_batch_size = 16.0: a mini-batch holds an integer"),
    ],
)
def test_train_refuses_bad_optimizer_options(options, match):
    X, Y = data()
    with pytest.raises(ValueError, match=literal(match)):
        nn.train(X, Y, DIMS, ACTIVATIONS, num_iterations=1, **options)


def test_adam_training_that_diverges_says_so():
    """Square error with a huge target and a large step: the overflow becomes train's divergence error."""
    X, Y = np.linspace(-10, 10, 8).reshape(1, -1), np.linspace(0, 1e200, 8).reshape(1, -1)
    with pytest.raises(ValueError, match=r"training diverged at iteration \d+ \(overflow.*\): lower learning_rate"):
        nn.train(X, Y, [1, 1], ["identity"], loss="mse", optimizer="adam", learning_rate=10.0, seed=0)


@pytest.mark.slow
@pytest.mark.parametrize("optimizer", ["rmsprop", "adam"])
def test_agrees_with_pytorch_optimizers(optimizer):
    """PyTorch's RMSprop with α = β₂ and its Adam are the course's rules. Ten steps with a different
    gradient each time, in float64: the two must agree to rounding (relative 1e-12). PyTorch's
    momentum is not compared: its first step sets v = dθ, where the course's v = (1 − β) dθ."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(11)
    parameters, _ = problem(seed=3)
    keys = list(parameters)
    tensors = [torch.tensor(parameters[key].copy(), requires_grad=True) for key in keys]
    rate, beta, beta2, epsilon = 0.05, 0.8, 0.9, 1e-8
    torch_optimizer = {
        "rmsprop": lambda: torch.optim.RMSprop(tensors, lr=rate, alpha=beta2, eps=epsilon),
        "adam": lambda: torch.optim.Adam(tensors, lr=rate, betas=(beta, beta2), eps=epsilon),
    }[optimizer]()
    v, s = optimizers.initialize_adam(parameters)
    for t in range(1, 11):
        grads = {f"d{key}": rng.normal(size=parameters[key].shape) for key in keys}
        for tensor, key in zip(tensors, keys, strict=True):
            tensor.grad = torch.tensor(grads[f"d{key}"])
        torch_optimizer.step()
        if optimizer == "rmsprop":
            parameters, s = optimizers.update_parameters_with_rmsprop(parameters, grads, s, beta2, rate, epsilon)
        else:
            parameters, v, s = optimizers.update_parameters_with_adam(
                parameters, grads, v, s, t, rate, beta, beta2, epsilon
            )
    for tensor, key in zip(tensors, keys, strict=True):
        np.testing.assert_allclose(parameters[key], tensor.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_the_uncorrected_first_step_is_the_pages_multiple_of_alpha():
    """optimizers.md: at the defaults β₁ = 0.9, β₂ = 0.999 Adam's first step is about α, and would be about
    3.2 α without the correction (v₁ = (1 − β₁) g, s₁ = (1 − β₂) g², from the derivation)."""
    from inspect import signature
    from pathlib import Path

    defaults = {name: p.default for name, p in signature(optimizers.update_parameters_with_adam).parameters.items()}
    alpha, beta1, beta2, epsilon, g = defaults["learning_rate"], defaults["beta1"], defaults["beta2"], 1e-8, 0.5
    uncorrected = alpha * V_T(beta1, 1, g) / (np.sqrt(S_T(beta2, 1, g)) + epsilon)
    parameters = {"W1": np.array([[1.0]])}
    after, _, _ = optimizers.update_parameters_with_adam(
        parameters, {"dW1": np.array([[g]])}, *optimizers.initialize_adam(parameters), 1
    )
    assert 1 - after["W1"][0, 0] == pytest.approx(alpha, rel=1e-6)  # the corrected step: α g / (|g| + ε)
    docs = Path(__file__).resolve().parents[1] / "docs"
    stated = rf"\({uncorrected / alpha:.1f}\,\alpha\)"
    assert f"about {stated}" in (docs / "optimizers.md").read_text()
    assert f"约为 {stated}" in (docs / "optimizers.zh.md").read_text()


def test_the_command_line_section_states_the_adam_runs_accuracy_from_its_table():
    """optimizers.md quotes the optimization example's Adam row (the slow test_experiments reruns the command)."""
    from pathlib import Path

    docs = Path(__file__).resolve().parents[1] / "docs"
    table = (docs / "experiments" / "img" / "optimization-table.txt").read_text().splitlines()
    adam = next(line for line in table if line.startswith("| adam |")).split("|")[2].strip()
    assert f"it ends at {adam} training accuracy" in re.sub(r"\s+", " ", (docs / "optimizers.md").read_text())
    assert f"训练集准确率最后是 {adam}" in (docs / "optimizers.zh.md").read_text()


def test_the_page_names_the_rules_the_optimization_experiment_runs():
    """optimizers.md introduces momentum, RMSprop and Adam, and the optimization experiment runs the course's
    exercise's rules instead (nn.experiments.optimization.OPTIMIZERS): the sentence linking to it names exactly
    those, where it once said "the three rules" of the page."""
    from pathlib import Path

    from nn.experiments.optimization import OPTIMIZERS

    words = {
        "gd": ("mini-batch gradient descent", "小批量梯度下降"),
        "momentum": ("momentum", "动量"),
        "adam": ("Adam",) * 2,
    }
    english, chinese = zip(*(words[name] for name in OPTIMIZERS), strict=True)
    assert "rmsprop" not in OPTIMIZERS
    docs = Path(__file__).resolve().parents[1] / "docs"
    page = re.sub(r"\s+", " ", (docs / "optimizers.md").read_text())
    ran = "runs {}, {} and {} side by side on the course's moons data".format(*english)
    assert f"(experiments/optimization.md) {ran}" in page
    assert "; RMSprop is not among them." in page
    ran = "把{}、{}和 {} 放在一起比较；RMSprop 不在其中。".format(*chinese)
    assert ran in (docs / "optimizers.zh.md").read_text()


def test_the_page_states_the_step_counts_these_tests_run():
    """optimizers.md says how many steps of a constant gradient the tests run each rule for: STEPS."""
    from pathlib import Path

    docs = Path(__file__).resolve().parents[1] / "docs"
    *first, last = (str(t) for t in STEPS)
    english = re.sub(r"\s+", " ", (docs / "optimizers.md").read_text())
    assert f"runs each rule for t = {', '.join(first)} and {last} steps of a constant gradient" in english
    chinese = (docs / "optimizers.zh.md").read_text()
    assert f"把每种规则分别运行 t = {'、'.join(first)} 和 {last} 步" in chinese
