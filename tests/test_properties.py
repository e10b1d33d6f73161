"""Property-based tests (Hypothesis) over architectures, batch sizes, activations and losses."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from support import GRADCHECK_THRESHOLD, min_abs_preactivation, numeric_gradients, relative_error

import nn

ACTIVATIONS = nn.activations.names(elementwise=True)


@st.composite
def problems(draw):
    depth = draw(st.integers(1, 4))
    dims = draw(st.lists(st.integers(1, 6), min_size=depth + 1, max_size=depth + 1))
    m = draw(st.integers(1, 8))
    loss = draw(st.sampled_from(["bce", "mse"]))
    hidden = draw(st.lists(st.sampled_from(ACTIVATIONS), min_size=depth - 1, max_size=depth - 1))
    output = "sigmoid" if loss == "bce" else draw(st.sampled_from(ACTIVATIONS))
    seed = draw(st.integers(0, 2**32 - 1))
    return dims, m, loss, [*hidden, output], seed


def build(dims, m, loss, seed):
    rng = np.random.default_rng(seed)
    parameters = nn.initialize_parameters(dims, method="xavier", seed=seed)
    for l in range(1, len(dims)):
        parameters[f"b{l}"] = rng.normal(size=(dims[l], 1)) * 0.1
    X = rng.normal(size=(dims[0], m))
    Y = rng.integers(0, 2, size=(dims[-1], m)).astype(float) if loss == "bce" else rng.normal(size=(dims[-1], m))
    return X, Y, parameters


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_gradients_match_central_differences(problem):
    """Over the whole parameter vector, as the course does; kinks within 1e-3 make the draw vacuous."""
    dims, m, loss, acts, seed = problem
    X, Y, parameters = build(dims, m, loss, seed)
    if min_abs_preactivation(X, parameters, acts) <= 1e-3:
        return
    AL, cache = nn.forward_propagation(X, parameters, acts)
    grads = nn.backward_propagation(AL, Y, cache, parameters, acts, loss=loss)
    numeric = numeric_gradients(parameters, X, Y, acts, loss)
    g = np.concatenate([grads[k].ravel() for k in sorted(numeric)])
    g_hat = np.concatenate([numeric[k].ravel() for k in sorted(numeric)])
    if np.linalg.norm(g_hat) < 1e-3:
        return
    assert relative_error(g, g_hat) <= GRADCHECK_THRESHOLD


@settings(max_examples=40, deadline=None)
@given(problems())
def test_shapes_follow_the_rules_and_an_update_step_keeps_them(problem):
    dims, m, loss, acts, seed = problem
    X, Y, parameters = build(dims, m, loss, seed)
    AL, cache = nn.forward_propagation(X, parameters, acts)
    assert AL.shape == (dims[-1], m)
    grads = nn.backward_propagation(AL, Y, cache, parameters, acts, loss=loss)
    updated = nn.update_parameters(parameters, grads, 0.1)
    for l in range(1, len(dims)):
        assert grads[f"dW{l}"].shape == parameters[f"W{l}"].shape == (dims[l], dims[l - 1])
        assert grads[f"db{l}"].shape == parameters[f"b{l}"].shape == (dims[l], 1)
        assert updated[f"W{l}"].shape == (dims[l], dims[l - 1])


@st.composite
def wide_problems(draw):
    depth = draw(st.integers(1, 5))
    dims = draw(st.lists(st.integers(1, 16), min_size=depth + 1, max_size=depth + 1))
    loss = draw(st.sampled_from(["bce", "mse"]))
    hidden = draw(st.lists(st.sampled_from(ACTIVATIONS), min_size=depth - 1, max_size=depth - 1))
    output = "sigmoid" if loss == "bce" else draw(st.sampled_from(ACTIVATIONS))
    return dims, draw(st.integers(1, 64)), loss, [*hidden, output], draw(st.integers(0, 2**32 - 1))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(wide_problems())
def test_backward_agrees_with_the_gradient_checker(problem):
    """Depth 1–5, widths 1–16, m 1–64, every activation and loss: nn.gradcheck (directional) passes.

    A saturated sigmoid output is left out: the cost's log(1 − A) then carries a rounding
    error of about ε / (1 − A), which central differences amplify by 1/h (at A = 1 − 5e-7 that
    alone is a relative error near 1e-6), so the oracle, not backward, would be wrong.
    """
    dims, m, loss, acts, seed = problem
    X, Y, parameters = build(dims, m, loss, seed)
    AL, _ = nn.forward_propagation(X, parameters, acts)
    assume(loss != "bce" or (AL.min() > 1e-4 and AL.max() < 1 - 1e-4))
    report = nn.gradcheck.check(parameters, X, Y, acts, loss=loss, mode="directional", seed=seed)
    assert report.passed, str(report)
