"""The square-error post's network, rerun as written: its mapping, its gradients and its dynamics.

The long rerun (500000 exact epochs per gradient, then the gradient flow) writes the page's
table through ``python -m nn figures`` and is compared by the slow test in test_experiments.py;
the tests here are cheap.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import nn
from nn.experiments import square_error as se

T = se.TARGET.reshape(4, 1)


def test_the_column_network_computes_the_posts_row_product():
    """x @ W1 @ W2 @ W3 with the post's row weights is W[3] W[2] W[1] x with W[l] = W_postᵀ."""
    x, weights = se.post_setting(0)
    row = x.T @ weights[0].T @ weights[1].T @ weights[2].T
    np.testing.assert_allclose(row.T, weights[2] @ weights[1] @ weights[0] @ x, rtol=1e-15)
    assert x.shape == (4, 1)
    assert all(W.shape == (4, 4) for W in weights)
    assert all(0 <= V.min() and V.max() < 1 for V in (x, *weights))


def test_correct_gradient_is_nn_mse_gradient_of_one_sample_without_bias():
    """With m = 1 and b = 0, nn's mse cost J is the post's ℒ, so nn's dW[l] must be ours."""
    x, weights = se.post_setting(1)
    parameters = {}
    for layer, W in enumerate(weights, 1):
        parameters[f"W{layer}"], parameters[f"b{layer}"] = W, np.zeros((4, 1))
    names = ["identity"] * 3
    AL, cache = nn.forward_propagation(x, parameters, names)
    assert nn.compute_cost(AL, T, "mse") == pytest.approx(se.loss(weights, x, T), rel=1e-14)
    grads = nn.backward_propagation(AL, T, cache, parameters, names, loss="mse")
    for layer, dW in enumerate(se.gradients(weights, x, T), 1):
        np.testing.assert_allclose(dW, grads[f"dW{layer}"], rtol=1e-12)


def test_the_buggy_gradient_is_the_gradient_of_the_sum_of_squared_outputs():
    """2p is exactly the gradient of Σ p², i.e. of ℒ with t = 0, and it fails the check against ℒ."""
    x, weights = se.post_setting(2)
    for ours, of_sum_p2 in zip(se.gradients(weights, x, T, buggy=True), se.gradients(weights, x, 0 * T), strict=True):
        np.testing.assert_array_equal(ours, of_sum_p2)
    checks = se.gradient_check(2)
    assert checks[False] < 1e-7 < 0.01 < checks[True]  # the course's line is 2e-7


@pytest.mark.parametrize("h", [1e-6, 1e-7])  # the page's step, and the course's ε
def test_at_either_step_the_check_puts_the_correct_gradient_far_below_the_courses_line_and_the_posts_far_above(h):
    """square_error.md: the course flags a relative error above 2e-7 with differences at ε = 1e-7; the page takes
    h = 1e-6, and either way the correct gradient is far below that line and the post's far above it."""
    checks = se.gradient_check(0, h)
    assert checks[False] < 2e-7 / 10
    assert checks[True] > 2e-7 * 1e4


def test_the_loop_takes_the_same_steps_as_the_gradients():
    """descend's unrolled step is W[l] ← W[l] − 1e-7 dW[l], for both gradients."""
    x, weights = se.post_setting(3)
    for buggy in (False, True):
        W = [V.copy() for V in weights]
        for _ in range(3):
            W = [V - se.LEARNING_RATE * g for V, g in zip(W, se.gradients(W, x, T, buggy=buggy), strict=True)]
        losses, end = se.descend(weights, x, T, 3, buggy=buggy, record_every=1)
        for a, b in zip(end, W, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-14)
        assert losses[0] == pytest.approx(se.loss(weights, x, T), rel=1e-14)  # product order differs


@pytest.mark.slow
def test_the_buggy_run_dips_below_and_settles_at_the_sum_of_squared_targets():
    """A short exact run, then the flow: ℒ falls under Σ t², then returns to it as p → 0."""
    x, weights = se.post_setting(0)
    steps, end = se.descend(weights, x, T, 2001, buggy=True, record_every=2000)
    later = se.flow(end, x, T, [0.0, 1e6, 1e10], buggy=True)
    floor = float(np.sum(T**2))
    assert later[1] < floor - 0.1
    assert later[2] == pytest.approx(floor, rel=se.SETTLED)
    assert se.flow(weights, x, T, [0.0, 2000.0], buggy=True)[-1] == pytest.approx(steps[-1], rel=1e-6)
    assert se.exact_against_flow(4000, record_every=1000)["max_gap"] < 1e-6  # the flow tracks the steps


@pytest.mark.slow  # the flow to epoch 40 million: about a second
def test_the_pages_exact_steps_figures_are_the_flows_at_the_same_epochs():
    """The page quotes a by-hand run of 40 million exact steps (over 15 minutes) that agreed with the flow at
    every 100000th epoch to a relative 4.3e-6; the flow at those epochs gives the page's figures as printed."""
    x, weights = se.post_setting(0)
    epochs = np.arange(401) * 100_000
    losses = se.flow(weights, x, T, epochs.astype(float), buggy=True)
    floor = float(np.sum(T**2))
    low = int(np.argmin(losses))
    settled = epochs[np.flatnonzero(np.abs(losses - floor) > se.SETTLED * floor)[-1] + 1]
    pages = Path(__file__).resolve().parents[1] / "docs" / "experiments"
    english = " ".join((pages / "square_error.md").read_text().split())
    chinese = (pages / "square_error.zh.md").read_text()
    assert (
        f"lowest recorded loss, {losses[low]:.3f}, at epoch {epochs[low] / 1e6:.1f} million, stays within 0.1% of "
        f"{floor:.2f} from epoch {settled / 1e6:.1f} million, and ends at {losses[-1]:.4f}"
    ) in english
    assert (
        f"最低损失 {losses[low]:.3f} 出现在第 {epochs[low] / 1e4:.0f} 万轮，从第 {settled / 1e4:.0f} 万轮起一直在 "
        f"{floor:.2f} 的 0.1% 以内，最后停在 {losses[-1]:.4f}"
    ) in chinese
