r"""Gradient descent: the parameter update and the training loop."""

from __future__ import annotations

import numpy as np

from . import checks
from .init import initialize_parameters
from .losses import LOSSES, PAIRED_OUTPUT, _cost
from .network import _backward, _forward


def update_parameters(parameters, grads, learning_rate) -> dict[str, np.ndarray]:
    r"""Take one gradient-descent step and return the new parameters.

    \[ W^{[l]} \leftarrow W^{[l]} - \alpha\, dW^{[l]}, \qquad b^{[l]} \leftarrow b^{[l]} - \alpha\, db^{[l]}. \]

    Args:
        parameters: ``{"W1", "b1", ...}``; not modified.
        grads: ``{"dW1", "db1", ...}`` from ``backward_propagation``, shaped like the parameters.
        learning_rate: the step size \(\alpha\), a positive finite number.

    Returns:
        A new dict of new arrays, in the parameters' dtype.

    Raises:
        ValueError: for a bad learning rate, or gradients missing or shaped unlike the parameters.

    Example:
        >>> parameters = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[0.0]])}
        >>> grads = {"dW1": np.array([[10.0, -10.0]]), "db1": np.array([[1.0]])}
        >>> update_parameters(parameters, grads, 0.1)["W1"]
        array([[0., 3.]])
    """
    learning_rate = checks.update_inputs(parameters, grads, learning_rate)
    return _update(parameters, grads, learning_rate)


def train(
    X,
    Y,
    layer_dims,
    activations,
    *,
    loss="bce",
    init="xavier",
    learning_rate=0.01,
    num_iterations=1000,
    seed=None,
    callback=None,
) -> tuple[dict[str, np.ndarray], list[float]]:
    r"""Train a network by batch gradient descent on all m samples.

    Initializes with ``initialize_parameters(layer_dims, init, seed)`` in X's float dtype,
    then repeats ``num_iterations`` times: forward, cost, backward, update
    \(W^{[l]} \leftarrow W^{[l]} - \alpha\, dW^{[l]}\). The inputs are checked once, up front
    (``init`` by ``initialize_parameters``).

    Args:
        X: inputs, ``(n[0], m)``.
        Y: targets, ``(n[L], m)``.
        layer_dims: ``[n[0], n[1], ..., n[L]]``.
        activations: one activation name per layer, ``L = len(layer_dims) - 1`` of them.
        loss: ``"bce"``, ``"mse"`` or ``"cross_entropy"`` (with a softmax output layer).
        init: an ``initialize_parameters`` method.
        learning_rate: the step size \(\alpha\), a positive finite number.
        num_iterations: number of gradient steps, an integer >= 1.
        seed: seed for the initialization; the same seed gives the same result.
        callback: optional ``callback(iteration, cost)``, called after each iteration's cost
            is computed (for a progress bar); its return value is ignored.

    Returns:
        ``(parameters, costs)``: the trained parameters, and the cost of the parameters
        before each step, one Python float per iteration.

    Raises:
        ValueError: for any bad input, or if training diverges (an overflow or an invalid
            value): then lower the learning rate.

    Example:
        >>> X, Y = np.array([[-2.0, -1.0, 1.0, 2.0]]), np.array([[0, 0, 1, 1]])
        >>> parameters, costs = train(X, Y, [1, 1], ["sigmoid"], learning_rate=1.0, num_iterations=50, seed=0)
        >>> costs[-1] < costs[0]
        True
    """
    layer_dims, X, Y, g, learning_rate = checks.train_inputs(
        X, Y, layer_dims, activations, loss, learning_rate, num_iterations, losses=LOSSES
    )
    parameters = initialize_parameters(layer_dims, init, seed, dtype=X.dtype)
    L = len(g)
    logits = PAIRED_OUTPUT.get(loss) == g[L].name  # then the cost is computed stably from Z[L]
    costs = []
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        try:
            for iteration in range(num_iterations):
                AL, cache = _forward(X, parameters, g)
                costs.append(_cost(AL, Y, loss, cache[f"Z{L}"] if logits else None))
                if callback is not None:
                    callback(iteration, costs[-1])
                grads = _backward(AL, Y, cache, parameters, g, loss)
                parameters = _update(parameters, grads, learning_rate)
        except FloatingPointError as error:
            raise ValueError(
                f"training diverged at iteration {len(costs)} ({error}): lower learning_rate (now {learning_rate})"
            ) from None
    return parameters, costs


def _update(parameters, grads, learning_rate):
    # --8<-- [start:update]
    return {key: parameters[key] - learning_rate * grads[f"d{key}"] for key in parameters}
    # --8<-- [end:update]
