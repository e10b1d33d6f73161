r"""Gradient descent: the parameter update and the training loop."""

from __future__ import annotations

import numpy as np

from . import batchnorm, checks
from .init import initialize_parameters
from .losses import LOSSES, PAIRED_OUTPUT, _cost, l2_penalty
from .network import _backward, _forward, trainable


def update_parameters(parameters, grads, learning_rate) -> dict[str, np.ndarray]:
    r"""Take one gradient-descent step and return the new parameters.

    \[ W^{[l]} \leftarrow W^{[l]} - \alpha\, dW^{[l]}, \qquad b^{[l]} \leftarrow b^{[l]} - \alpha\, db^{[l]}. \]

    Batch-norm layers update \(\gamma^{[l]}\) and \(\beta^{[l]}\) the same way; their running
    averages have no gradient and are passed on unchanged.

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
    lambd=0.0,
    keep_prob=1.0,
    batch_norm=False,
) -> tuple[dict[str, np.ndarray], list[float]]:
    r"""Train a network by batch gradient descent on all m samples.

    Initializes with ``initialize_parameters(layer_dims, init, seed)`` in X's float dtype,
    then repeats ``num_iterations`` times: forward, cost, backward, update
    \(W^{[l]} \leftarrow W^{[l]} - \alpha\, dW^{[l]}\). The inputs are checked once, up front
    (``init`` by ``initialize_parameters``).

    With ``lambd`` = λ > 0 the cost includes the L2 penalty \((\lambda/2m) \sum_l \lVert W^{[l]}
    \rVert_F^2\) and dW[l] its gradient. With ``keep_prob`` < 1 every iteration draws fresh
    dropout masks (from ``np.random.default_rng(seed)``, a stream apart from the
    initialization's), and the cost is that of the dropped network. With ``batch_norm`` the
    hidden layers normalize over all m samples, and after each step the running averages move
    towards the batch's μ and σ² (``nn.batchnorm.update_running_averages``), for ``predict``.

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
        lambd: the L2 strength λ, finite and >= 0; 0 (the default) is no regularization.
        keep_prob: the probability of keeping a hidden unit, in (0, 1], one number or one per
            hidden layer (as in ``forward_propagation``); 1 (the default) is no dropout.
        batch_norm: batch normalization in the hidden layers (needs m >= 2 samples).

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
    lambd, keep = checks.lambd(lambd), checks.keep_probs(keep_prob, len(g))
    parameters = initialize_parameters(layer_dims, init, seed, dtype=X.dtype, batch_norm=batch_norm)
    if batch_norm:
        checks.batch_size(X.shape[1])
    rng = np.random.default_rng(seed)  # the dropout masks
    L, m = len(g), X.shape[1]
    logits = PAIRED_OUTPUT.get(loss) == g[L].name  # then the cost is computed stably from Z[L]
    costs = []
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        try:
            for iteration in range(num_iterations):
                AL, cache = _forward(X, parameters, g, keep=keep, rng=rng)
                J = _cost(AL, Y, loss, cache[f"Z{L}"] if logits else None)
                costs.append(J + float(l2_penalty(parameters, lambd, m)))
                if callback is not None:
                    callback(iteration, costs[-1])
                grads = _backward(AL, Y, cache, parameters, g, loss, lambd=lambd)
                parameters = _update(parameters, grads, learning_rate)
                parameters = batchnorm.update_running_averages(parameters, cache)
        except FloatingPointError as error:
            raise ValueError(
                f"training diverged at iteration {len(costs)} ({error}): lower learning_rate (now {learning_rate})"
            ) from None
    return parameters, costs


def _update(parameters, grads, learning_rate):
    updated = dict(parameters)  # the running averages of batch norm have no gradient and stay
    # --8<-- [start:update]
    for key in trainable(parameters):
        updated[key] = parameters[key] - learning_rate * grads[f"d{key}"]
    # --8<-- [end:update]
    return updated
