"""Property-based tests (Hypothesis) over architectures, batch sizes, activations and losses."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from support import GRADCHECK_THRESHOLD, min_abs_preactivation, numeric_gradients, random_problem, relative_error

import nn

HIDDEN = nn.activations.names(elementwise=True)


@st.composite
def architectures(draw, max_depth, max_width, max_m):
    """(dims, m, loss, activations, seed) for every loss: bce with a sigmoid output, cross_entropy
    with softmax, mse with any activation (softmax too); softmax gets n[L] >= 2 units."""
    depth = draw(st.integers(1, max_depth))
    loss = draw(st.sampled_from(nn.LOSSES))
    output = {"bce": "sigmoid", "cross_entropy": "softmax"}.get(loss) or draw(st.sampled_from(nn.activations.names()))
    dims = draw(st.lists(st.integers(1, max_width), min_size=depth, max_size=depth))
    dims.append(draw(st.integers(2 if output == "softmax" else 1, max_width)))
    hidden = draw(st.lists(st.sampled_from(HIDDEN), min_size=depth - 1, max_size=depth - 1))
    return dims, draw(st.integers(1, max_m)), loss, [*hidden, output], draw(st.integers(0, 2**32 - 1))


def build(dims, m, loss, seed):
    """X and Y as the loss needs them (one-hot columns for cross_entropy); xavier weights, small biases."""
    rng = np.random.default_rng(seed)
    X, Y, _ = random_problem(rng, dims, m, loss)
    parameters = nn.initialize_parameters(dims, method="xavier", seed=seed)
    for l in range(1, len(dims)):
        parameters[f"b{l}"] = rng.normal(size=(dims[l], 1)) * 0.1
    return X, Y, parameters


def above_rounding(grads, AL, Y, loss, ZL) -> bool:
    """‖g‖ >= 1e-2 max(1, J): a central difference carries a rounding error of about εJ/h per
    probe, so for a smaller gradient the oracle's own noise, not backward, would decide."""
    J = nn.compute_cost(AL, Y, loss, ZL=ZL if loss in nn.losses.PAIRED_OUTPUT else None)
    return bool(np.sqrt(sum(np.sum(g**2) for g in grads.values())) >= 1e-2 * max(1.0, J))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(architectures(max_depth=4, max_width=6, max_m=8))
def test_gradients_match_central_differences(problem):
    """Over the whole parameter vector, as the course does; kinks within 1e-3, or a gradient
    below the rounding of central differences, make the draw vacuous."""
    dims, m, loss, acts, seed = problem
    X, Y, parameters = build(dims, m, loss, seed)
    if min_abs_preactivation(X, parameters, acts) <= 1e-3:
        return
    AL, cache = nn.forward_propagation(X, parameters, acts)
    grads = nn.backward_propagation(AL, Y, cache, parameters, acts, loss=loss)
    if not above_rounding(grads, AL, Y, loss, cache[f"Z{len(acts)}"]):
        return
    numeric = numeric_gradients(parameters, X, Y, acts, loss)
    g = np.concatenate([grads[k].ravel() for k in sorted(numeric)])
    g_hat = np.concatenate([numeric[k].ravel() for k in sorted(numeric)])
    assert relative_error(g, g_hat) <= GRADCHECK_THRESHOLD


@settings(max_examples=40, deadline=None)
@given(architectures(max_depth=4, max_width=6, max_m=8))
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


@settings(max_examples=60, deadline=None)
@given(architectures(max_depth=5, max_width=16, max_m=64), st.sampled_from([1.0, 30.0]))
def test_backward_agrees_with_the_gradient_checker(problem, output_scale):
    """Depth 1–5, widths 1–16, m 1–64, every activation and loss: nn.gradcheck (directional) passes.

    W[L] scaled by 30 saturates sigmoid and softmax outputs (A[L] rounds to 0 or 1): the
    checker computes the bce and cross_entropy costs from the logits Z[L], so its central
    differences stay exact there. Draws with a gradient below the rounding floor are left out.
    """
    dims, m, loss, acts, seed = problem
    X, Y, parameters = build(dims, m, loss, seed)
    L = len(acts)
    parameters[f"W{L}"] = parameters[f"W{L}"] * output_scale
    AL, cache = nn.forward_propagation(X, parameters, acts)
    grads = nn.backward_propagation(AL, Y, cache, parameters, acts, loss=loss)
    assume(above_rounding(grads, AL, Y, loss, cache[f"Z{L}"]))
    report = nn.gradcheck.check(parameters, X, Y, acts, loss=loss, mode="directional", seed=seed)
    assert report.passed, str(report)
