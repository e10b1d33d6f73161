"""The square-error network of one of the posts, trained with the right and with the buggy output gradient."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import gradcheck
from ..init import initialize_parameters
from ..network import forward_propagation
from .plots import plot_costs, pyplot, save, write_table


# --8<-- [start:square_error]
def square_error_loss(parameters, X, T):
    """L = Σ over samples and units of (p − t)², the seed's loss: m times the project's mse J."""
    P, _ = forward_propagation(X, parameters, ["identity", "identity"])
    return float(np.sum((P - T) ** 2))


def square_error_gradients(parameters, X, T, *, buggy=False):
    """dL/dW1, dL/dW2 of the no-bias 4-4-4 identity network; ``buggy`` uses the seed's dP = 2p."""
    W1, W2 = parameters["W1"], parameters["W2"]
    A1 = W1 @ X
    P = W2 @ A1
    dP = 2 * P if buggy else 2 * (P - T)  # the seed's bug drops the target
    dW2 = dP @ A1.T
    dW1 = (W2.T @ dP) @ X.T
    return {"dW1": dW1, "dW2": dW2}


def central_differences(parameters, X, T, h=1e-6):
    """(L(W + h) − L(W − h)) / 2h for every entry of W1 and W2: an oracle independent of backprop."""
    grads = {}
    for key in ("W1", "W2"):
        W = parameters[key]
        grad = np.zeros_like(W)
        for index in np.ndindex(W.shape):
            original = W[index]
            W[index] = original + h
            plus = square_error_loss(parameters, X, T)
            W[index] = original - h
            minus = square_error_loss(parameters, X, T)
            W[index] = original
            grad[index] = (plus - minus) / (2 * h)
        grads[f"d{key}"] = grad
    return grads


def relative_error(g, g_hat):
    """The course's gradient-check difference over all the gradients, dW1 and dW2 together."""
    g, g_hat = (np.concatenate([d[k].ravel() for k in ("dW1", "dW2")]) for d in (g, g_hat))
    return gradcheck.relative_error(g, g_hat)


def square_error_experiment(learning_rate=1e-3, iterations=2000, m=32, seed=0):
    """Train with the right and with the buggy gradient (b stays 0: db is never applied); check both."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((4, m))
    T = 0.5 * rng.standard_normal((4, 4)) @ X  # a linear teacher the network can represent exactly
    start = initialize_parameters([4, 4, 4], "xavier", seed)
    curves, checks = {}, {}
    for buggy in (False, True):
        parameters = {key: value.copy() for key, value in start.items()}
        checks[buggy] = relative_error(
            square_error_gradients(parameters, X, T, buggy=buggy), central_differences(parameters, X, T)
        )
        losses = []
        for _ in range(iterations):
            losses.append(square_error_loss(parameters, X, T))
            grads = square_error_gradients(parameters, X, T, buggy=buggy)
            for key in ("W1", "W2"):
                parameters[key] = parameters[key] - learning_rate * grads[f"d{key}"]
        curves[buggy] = losses
    return curves, checks, float(np.sum(T**2))


# --8<-- [end:square_error]


def write(directory: Path) -> None:
    """Loss curves of both gradients, and their gradient checks at the start."""
    plt = pyplot()
    curves, checks, floor = square_error_experiment()
    fig, ax = plt.subplots(figsize=(5, 3))
    plot_costs(ax, curves[False], label="2(p − t): correct")
    plot_costs(ax, curves[True], label="2p: the seed's bug")
    ax.axhline(floor, color="gray", linestyle=":", label="Σ t², where the bug goes")
    ax.set_yscale("log")
    ax.set_ylabel("loss Σ (p − t)²")
    ax.legend(fontsize=8)
    save(fig, directory / "square-error.png")
    rows = [
        "| output gradient | loss at start | loss after 2000 steps | gradient check (relative error) |",
        "|---|---|---|---|",
    ]
    for buggy, label in ((False, "`2*(p - t)`"), (True, "`2*p` (seed)")):
        rows.append(f"| {label} | {curves[buggy][0]:.4g} | {curves[buggy][-1]:.4g} | {checks[buggy]:.1e} |")
    write_table(directory / "square-error-table.txt", rows)
