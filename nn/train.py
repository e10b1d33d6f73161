r"""Gradient descent: the parameter update and the training loop (with the rules of ``nn.optimizers``)."""

from __future__ import annotations

import numpy as np

from . import batchnorm, checks, inplace, optimizers
from .init import initialize_parameters
from .losses import LOSSES
from .words import InputError, Text, floating_point


class TrainingDiverged(InputError):
    """Training overflowed or produced an invalid value: the inputs had the right shapes and values, and the
    learning rate was too large. Its message, like every :class:`~nn.words.InputError`'s, is in both languages."""


def update_parameters(parameters, grads, learning_rate) -> dict[str, np.ndarray]:
    r"""Take one gradient-descent step and return the new parameters.

    \[ W^{[l]} \leftarrow W^{[l]} - \alpha\, dW^{[l]}, \qquad b^{[l]} \leftarrow b^{[l]} - \alpha\, db^{[l]}. \]

    Every parameter with a gradient takes the step (batch norm's \(\gamma^{[l]}\), \(\beta^{[l]}\) too);
    the entries that get no gradient, batch norm's running averages, are returned as unchanged copies.

    Args:
        parameters: ``{"W1", "b1", ...}``; not modified.
        grads: ``{"dW1", "db1", ...}`` from ``backward_propagation``, shaped like the parameters.
        learning_rate: the step size \(\alpha\), a positive finite number.

    Returns:
        A new dict, in the parameters' dtype.

    Raises:
        ValueError: for a bad learning rate, gradients missing or shaped unlike the parameters, or a step
            that overflows the largest float (then lower the learning rate).

    Example:
        >>> parameters = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[0.0]])}
        >>> grads = {"dW1": np.array([[10.0, -10.0]]), "db1": np.array([[1.0]])}
        >>> update_parameters(parameters, grads, 0.1)["W1"]
        array([[0., 3.]])
    """
    learning_rate = checks.update_inputs(parameters, grads, learning_rate)
    return optimizers.guarded(_update, parameters, grads, learning_rate)


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
    optimizer="gd",
    mini_batch_size=None,
    beta=0.9,
    beta1=0.9,
    beta2=0.999,
    epsilon=1e-8,
    lambd=0.0,
    keep_prob=1.0,
    batch_norm=False,
) -> tuple[dict[str, np.ndarray], list[float]]:
    r"""Train a network by gradient descent, momentum, RMSprop or Adam, on all m samples or on mini-batches.

    Initializes with ``initialize_parameters(layer_dims, init, seed)`` in X's float dtype,
    then repeats ``num_iterations`` times: forward, cost, backward, update. Without
    ``mini_batch_size`` each iteration is one step on all m columns. With it, each iteration
    is one epoch: the columns are reshuffled (``random_mini_batches`` with seed ``seed + e``
    in epoch e = 0, 1, ..., or a random start when ``seed`` is None) and one step is taken per
    mini-batch. The update is ``optimizer``'s rule (see ``nn.optimizers``), its state carried
    from step to step, Adam's t counting the steps from 1. The inputs are checked once, up
    front (``init`` by ``initialize_parameters``). The steps run in arrays allocated at the first
    step and updated in place (``nn.inplace``), with the bits of the same loop written with the
    public functions.

    With ``lambd`` = λ > 0 the cost of a batch of m columns includes the L2 penalty
    \((\lambda/2m) \sum_l \lVert W^{[l]} \rVert_F^2\) and dW[l] its gradient (with mini-batches,
    m is the batch's size, so each step's gradient is that of its own batch's cost). With
    ``keep_prob`` < 1 every step draws fresh dropout masks (from ``np.random.default_rng(seed)``,
    a stream apart from the initialization's), and the cost is that of the dropped network.
    With ``batch_norm`` the hidden layers normalize over the step's batch (which needs at least
    2 columns, the last mini-batch included), and after each step the running averages move
    towards the batch's μ and σ² (``nn.batchnorm.update_running_averages``), for ``predict``.

    Args:
        X: inputs, ``(n[0], m)``.
        Y: targets, ``(n[L], m)``.
        layer_dims: ``[n[0], n[1], ..., n[L]]``.
        activations: one activation name per layer, ``L = len(layer_dims) - 1`` of them.
        loss: ``"bce"``, ``"mse"`` or ``"cross_entropy"`` (with a softmax output layer).
        init: an ``initialize_parameters`` method.
        learning_rate: the step size \(\alpha\), a positive finite number.
        num_iterations: number of iterations (epochs with ``mini_batch_size``), an integer >= 1.
        seed: seed for the initialization and the shuffles; the same seed gives the same result.
        callback: optional ``callback(iteration, cost)``, called after each iteration's cost
            is computed (for a progress bar); its return value is ignored.
        optimizer: ``"gd"`` (\(\theta \leftarrow \theta - \alpha\, d\theta\)), ``"momentum"``,
            ``"rmsprop"`` or ``"adam"``.
        mini_batch_size: columns per mini-batch, an integer >= 1; None for one batch of all m.
        beta: momentum's \(\beta\), in [0, 1).
        beta1: Adam's \(\beta_1\), in [0, 1).
        beta2: Adam's and RMSprop's \(\beta_2\), in [0, 1).
        epsilon: RMSprop's and Adam's \(\varepsilon > 0\).
        lambd: the L2 strength λ, finite and >= 0; 0 (the default) is no regularization.
        keep_prob: the probability of keeping a hidden unit, in (0, 1], one number or one per
            hidden layer (as in ``forward_propagation``); 1 (the default) is no dropout.
        batch_norm: batch normalization in the hidden layers (needs m >= 2 samples).

    Returns:
        ``(parameters, costs)``: the trained parameters, and one Python float per iteration:
        the cost of the parameters before the step; with mini-batches,
        \(\sum_b m_b J_b / m\) over the epoch's batches of \(m_b\) columns, each batch's cost
        \(J_b\) (with its own L2 penalty \(\frac{\lambda}{2 m_b} \sum_l \lVert W^{[l]} \rVert_F^2\))
        taken before that batch's step: the mean loss over the m samples, plus one penalty
        \(\frac{\lambda}{2m} \sum_l \lVert W^{[l]} \rVert_F^2\) per batch.

    Raises:
        ValueError: for any bad input, checked before the first step.
        TrainingDiverged: a ValueError, if training diverges (an overflow or an invalid value):
            then lower the learning rate.

    Example:
        >>> X, Y = np.array([[-2.0, -1.0, 1.0, 2.0]]), np.array([[0, 0, 1, 1]])
        >>> parameters, costs = train(X, Y, [1, 1], ["sigmoid"], learning_rate=1.0, num_iterations=50, seed=0)
        >>> costs[-1] < costs[0]
        True
    """
    layer_dims, X, Y, g, learning_rate = checks.train_inputs(
        X, Y, layer_dims, activations, loss, learning_rate, num_iterations, losses=LOSSES
    )
    mini_batch_size, beta, beta1, beta2, epsilon = checks.optimizer_inputs(
        optimizer, mini_batch_size, beta, beta1, beta2, epsilon, optimizers=optimizers.OPTIMIZERS
    )
    lambd, keep = checks.lambd(lambd), checks.keep_probs(keep_prob, len(g))
    seed = checks.random_seed(seed, Text(
        "the seed of the initialization, the shuffles and the dropout masks", "初始化、打乱顺序和随机失活掩码所用的种子"
    ))  # fmt: skip
    checks.callback(callback)
    parameters = initialize_parameters(layer_dims, init, seed, dtype=X.dtype, batch_norm=batch_norm)
    if batch_norm:  # every batch a step sees needs m >= 2
        m = X.shape[1]
        for size in {m} if mini_batch_size is None else {min(mini_batch_size, m), m % mini_batch_size} - {0}:
            checks.batch_size(size)
    rule = _rule(optimizer, learning_rate, beta, beta1, beta2, epsilon)
    step = inplace.Step(parameters, g, loss, rule, lambd=lambd, keep=keep, rng=np.random.default_rng(seed))
    first_shuffle = int(np.random.default_rng().integers(2**31)) if seed is None else seed
    shuffled = None if mini_batch_size is None else (np.empty_like(X), np.empty_like(Y))
    t = 0  # the steps taken, for Adam's bias correction
    costs = []
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        try:
            for iteration in range(num_iterations):
                if mini_batch_size is None:
                    batches = [(X, Y)]
                else:  # random_mini_batches' shuffle, into the same two arrays every epoch
                    X_epoch, Y_epoch = inplace.shuffle(X, Y, first_shuffle + iteration, shuffled)
                    batches = [
                        (X_epoch[:, k : k + mini_batch_size], Y_epoch[:, k : k + mini_batch_size])
                        for k in range(0, X.shape[1], mini_batch_size)
                    ]
                batch_costs = []
                for X_batch, Y_batch in batches:  # one step: forward, cost, backward, update
                    t += 1
                    batch_costs.append(step(X_batch, Y_batch, t))
                    if batch_norm:
                        step.parameters = batchnorm.update_running_averages(step.parameters, step.statistics)
                costs.append(_epoch_cost(batch_costs, batches))
                if callback is not None:
                    callback(iteration, costs[-1])
        except FloatingPointError as error:
            raise TrainingDiverged(Text(
                f"training diverged at iteration {len(costs)} ({error}): lower learning_rate (now {learning_rate})",
                f"训练在第 {len(costs)} 次迭代时发散（{floating_point(error).zh}）：请调低 learning_rate"
                f"（现在是 {learning_rate}）",
            )) from None  # fmt: skip
    parameters = step.parameters
    return parameters, costs


def _epoch_cost(batch_costs, batches):
    """The cost of one batch, or an epoch's batches' costs weighted by their sizes: Σ_b m_b J_b / m."""
    if len(batches) == 1:
        return batch_costs[0]
    m = sum(X_batch.shape[1] for X_batch, _ in batches)
    return sum(J * X_batch.shape[1] for J, (X_batch, _) in zip(batch_costs, batches, strict=True)) / m


def _rule(optimizer, learning_rate, beta, beta1, beta2, epsilon):
    """The in-place update rule of ``optimizer`` (``nn.inplace``), with its rates."""
    if optimizer == "gd":
        return inplace.gradient_descent(learning_rate)
    if optimizer == "momentum":
        return inplace.momentum(beta, learning_rate)
    if optimizer == "rmsprop":
        return inplace.rmsprop(beta2, learning_rate, epsilon)
    return inplace.adam(learning_rate, beta1, beta2, epsilon)


def _update(parameters, grads, learning_rate):
    # --8<-- [start:update]
    return {
        key: parameters[key] - learning_rate * grads[f"d{key}"] if f"d{key}" in grads else parameters[key].copy()
        for key in parameters
    }
    # --8<-- [end:update]
