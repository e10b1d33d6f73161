r"""Momentum, RMSprop, Adam and mini-batches: the update rules that follow plain gradient descent.

Each rule keeps running averages of the gradients in state dicts keyed like the gradients
(``v["dW1"]``, ``s["db1"]``, ...) and returns new parameters and new state: nothing passed in is
modified. A rule updates exactly the parameters that have a gradient (every entry but batch
norm's running averages ``running_mean{l}`` and ``running_var{l}``) and returns copies of the
others, unchanged. ``derivations.get("optimizers.bias_correction")`` derives what the averages hold.

Example:
    >>> parameters = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([[0.0]])}
    >>> grads = {"dW1": np.array([[0.5, -2.0]]), "db1": np.array([[0.0]])}
    >>> v, s = initialize_adam(parameters)
    >>> parameters, v, s = update_parameters_with_adam(parameters, grads, v, s, t=1, learning_rate=0.1)
    >>> parameters["W1"]  # the first step moves each entry by about α, whatever its gradient's size
    array([[ 0.9, -0.9]])
"""

from __future__ import annotations

import sys

import numpy as np

from . import checks
from .words import InputError, Text

#: The update rules ``train`` accepts as ``optimizer=``.
OPTIMIZERS = ("gd", "momentum", "rmsprop", "adam")


def initialize_velocity(parameters) -> dict[str, np.ndarray]:
    r"""Return zeros keyed like the gradients: the state \(v\) of momentum, \(v_0 = 0\).

    Args:
        parameters: ``{"W1", "b1", ...}``, possibly with batch norm's entries.

    Returns:
        ``{"dW1": zeros like W1, ...}``, one entry per parameter that gets a gradient.

    Example:
        >>> initialize_velocity({"W1": np.ones((2, 3)), "b1": np.ones((2, 1))})["dW1"].shape
        (2, 3)
    """
    return _zeros(parameters, checks.parameter_arrays(parameters))


def initialize_adam(parameters) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    r"""Return ``(v, s)``, both zeros keyed like the gradients: Adam's \(v_0 = s_0 = 0\).

    Example:
        >>> v, s = initialize_adam({"W1": np.ones((2, 3)), "b1": np.ones((2, 1))})
        >>> sorted(v), float(s["db1"].sum())
        (['dW1', 'db1'], 0.0)
    """
    keys = checks.parameter_arrays(parameters)
    return _zeros(parameters, keys), _zeros(parameters, keys)


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    r"""One step of gradient descent with momentum; return ``(parameters, v)``, both new.

    For every parameter \(\theta\) with gradient \(d\theta\):

    \[ v_{d\theta} \leftarrow \beta\, v_{d\theta} + (1 - \beta)\, d\theta, \qquad
       \theta \leftarrow \theta - \alpha\, v_{d\theta}. \]

    \(v\) is an exponentially weighted average of the gradients; started at 0 it is biased
    towards 0 for the first steps (by the factor \(1 - \beta^t\)), which momentum does not correct.

    Args:
        parameters: ``{"W1", "b1", ...}``; not modified.
        grads: ``{"dW1", "db1", ...}`` from ``backward_propagation``.
        v: the velocity, keyed like ``grads`` (from ``initialize_velocity`` or the previous step).
        beta: the averaging rate \(\beta\), in [0, 1); 0 gives plain gradient descent.
        learning_rate: the step size \(\alpha\), a positive finite number.

    Raises:
        ValueError: for a bad rate, or gradients or state missing, shaped unlike the parameters or keyed by
            no parameter.

    Example:
        >>> parameters, grads = {"W1": np.array([[1.0]])}, {"dW1": np.array([[2.0]])}
        >>> parameters, v = update_parameters_with_momentum(parameters, grads, {"dW1": np.zeros((1, 1))}, 0.9, 0.5)
        >>> v["dW1"], parameters["W1"]  # v = 0.1 · 2, W = 1 − 0.5 · 0.2
        (array([[0.2]]), array([[0.9]]))
    """
    keys = checks.gradient_step(parameters, grads)
    checks.state("v", v, parameters, keys)
    beta, learning_rate = checks.decay("beta", beta), checks.rate(learning_rate)
    return guarded(_momentum, parameters, grads, v, beta, learning_rate)


def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon):
    r"""One RMSprop step; return ``(parameters, s)``, both new.

    For every parameter \(\theta\) with gradient \(d\theta\) (squares and roots entrywise):

    \[ s_{d\theta} \leftarrow \beta_2\, s_{d\theta} + (1 - \beta_2)\, d\theta^2, \qquad
       \theta \leftarrow \theta - \alpha\, \frac{d\theta}{\sqrt{s_{d\theta}} + \varepsilon}. \]

    Each entry's step is divided by the root mean square of its recent gradients, so steep and
    flat directions move at similar speeds. \(\varepsilon\) only keeps the division finite.

    Args:
        parameters: ``{"W1", "b1", ...}``; not modified.
        grads: ``{"dW1", "db1", ...}`` from ``backward_propagation``.
        s: the average of squared gradients, keyed like ``grads``, every entry >= 0 (start from
            zeros, e.g. the ``s`` of ``initialize_adam``).
        beta2: the averaging rate \(\beta_2\), in [0, 1).
        learning_rate: the step size \(\alpha\), a positive finite number.
        epsilon: \(\varepsilon > 0\).

    Raises:
        ValueError: for a bad rate, state missing, negative or keyed by no parameter, or gradients so large
            that their squares overflow.

    Example:
        >>> parameters, grads, s = {"W1": np.array([[1.0]])}, {"dW1": np.array([[2.0]])}, {"dW1": np.zeros((1, 1))}
        >>> parameters, s = update_parameters_with_rmsprop(parameters, grads, s, 0.75, 0.5, 1e-8)
        >>> s["dW1"], parameters["W1"].round(6)  # s = 0.25 · 4 = 1, W = 1 − 0.5 · 2 / 1
        (array([[1.]]), array([[0.]]))
    """
    keys = checks.gradient_step(parameters, grads)
    checks.state("s", s, parameters, keys, nonnegative=True)
    beta2, learning_rate, epsilon = checks.decay("beta2", beta2), checks.rate(learning_rate), checks.epsilon(epsilon)
    return guarded(_rmsprop, parameters, grads, s, beta2, learning_rate, epsilon)


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    r"""One Adam step, the ``t``-th (counting from 1); return ``(parameters, v, s)``, all new.

    Momentum's average \(v\) and RMSprop's \(s\), each divided by its bias \(1 - \beta^t\):

    \[ v \leftarrow \beta_1 v + (1 - \beta_1)\, d\theta, \quad
       s \leftarrow \beta_2 s + (1 - \beta_2)\, d\theta^2, \quad
       \hat v = \frac{v}{1 - \beta_1^t}, \quad \hat s = \frac{s}{1 - \beta_2^t}, \quad
       \theta \leftarrow \theta - \alpha\, \frac{\hat v}{\sqrt{\hat s} + \varepsilon}. \]

    Started at \(v_0 = s_0 = 0\), the averages after t steps of a constant gradient g are
    \((1 - \beta_1^t) g\) and \((1 - \beta_2^t) g^2\), so \(\hat v = g\) and \(\hat s = g^2\) exactly.

    Args:
        parameters: ``{"W1", "b1", ...}``; not modified.
        grads: ``{"dW1", "db1", ...}`` from ``backward_propagation``.
        v: the average of the gradients, keyed like ``grads`` (from ``initialize_adam`` or the previous step).
        s: the average of their squares, keyed like ``grads``, every entry >= 0.
        t: the number of this step, an integer >= 1 (the corrections divide by \(1 - \beta^t\),
            which is 0 at t = 0).
        learning_rate: the step size \(\alpha\).
        beta1: the averaging rate \(\beta_1\) of v, in [0, 1).
        beta2: the averaging rate \(\beta_2\) of s, in [0, 1).
        epsilon: \(\varepsilon > 0\).

    Raises:
        ValueError: for a bad rate or t, state missing or keyed by no parameter, negative s, or gradients
            so large that their squares overflow.

    Example:
        >>> parameters, grads = {"W1": np.array([[1.0]])}, {"dW1": np.array([[-3.0]])}
        >>> v, s = initialize_adam(parameters)
        >>> parameters, v, s = update_parameters_with_adam(parameters, grads, v, s, t=1, learning_rate=0.1)
        >>> v["dW1"], parameters["W1"]  # v = 0.1 · (−3) is biased; v̂ = −3 is not
        (array([[-0.3]]), array([[1.1]]))
    """
    keys = checks.gradient_step(parameters, grads)
    checks.state("v", v, parameters, keys)
    checks.state("s", s, parameters, keys, nonnegative=True)
    t = checks.count("t", t, Text(
        "t counts Adam's steps from 1: the corrections divide by 1 − β^t, which is 0 at t = 0",
        "t 从 1 开始计数 Adam 的步数：偏差修正除以 1 − β^t，而它在 t = 0 时为 0",
    ))  # fmt: skip
    if t > sys.float_info.max:  # β**t would convert t to a float, and raise OverflowError
        raise InputError(Text(
            f"t is larger than the largest float, {sys.float_info.max:.3g}: t counts Adam's steps, and the "
            f"corrections 1 − β^t take it as a float",
            f"t 比最大的浮点数 {sys.float_info.max:.3g} 还大：t 计数 Adam 的步数，偏差修正 1 − β^t 把它当作浮点数",
        ))  # fmt: skip
    rates = checks.decay("beta1", beta1), checks.decay("beta2", beta2), checks.epsilon(epsilon)
    return guarded(_adam, parameters, grads, v, s, t, checks.rate(learning_rate), *rates)


def random_mini_batches(X, Y, mini_batch_size=64, seed=0) -> list[tuple[np.ndarray, np.ndarray]]:
    r"""Shuffle the columns of X and Y together and cut them into mini-batches.

    The permutation is ``np.random.default_rng(seed).permutation(m)``. The first
    \(\lfloor m / \text{size} \rfloor\) batches hold ``mini_batch_size`` columns each; the
    remaining \(m \bmod \text{size}\) columns, if any, make a last, smaller batch. Column i
    of Y stays with column i of X.

    Args:
        X: inputs, ``(n[0], m)``.
        Y: labels, ``(n[L], m)``.
        mini_batch_size: columns per batch, an integer >= 1.
        seed: the shuffle's seed, an integer >= 0; the same seed gives the same batches.

    Returns:
        ``[(X_batch, Y_batch), ...]``, arrays with X's and Y's rows and dtypes.

    Example:
        >>> X, Y = np.arange(10.0).reshape(1, 10), np.arange(10).reshape(1, 10) % 2
        >>> [x.shape[1] for x, y in random_mini_batches(X, Y, mini_batch_size=4)]
        [4, 4, 2]
    """
    X, Y, mini_batch_size, seed = checks.batch_inputs(X, Y, mini_batch_size, seed)
    return _random_mini_batches(X, Y, mini_batch_size, seed)


def _random_mini_batches(X, Y, mini_batch_size, seed):
    # --8<-- [start:mini_batches]
    permutation = np.random.default_rng(seed).permutation(X.shape[1])
    X, Y = X[:, permutation], Y[:, permutation]
    return [
        (X[:, k : k + mini_batch_size], Y[:, k : k + mini_batch_size]) for k in range(0, X.shape[1], mini_batch_size)
    ]
    # --8<-- [end:mini_batches]


def _zeros(parameters, keys):
    return {f"d{key}": np.zeros_like(parameters[key]) for key in keys}


def _copied(parameters, grads):
    """A new dict of the parameters, with copies of the entries that have no gradient (no step replaces them)."""
    return {key: value if f"d{key}" in grads else value.copy() for key, value in parameters.items()}


def _stepped(parameters, grads):
    """The keys of the parameters that have a gradient."""
    return [key for key in parameters if f"d{key}" in grads]


def _momentum(parameters, grads, v, beta, learning_rate):
    parameters, v = _copied(parameters, grads), dict(v)
    for key in _stepped(parameters, grads):
        d = f"d{key}"
        # --8<-- [start:momentum]
        v[d] = beta * v[d] + (1 - beta) * grads[d]
        parameters[key] = parameters[key] - learning_rate * v[d]
        # --8<-- [end:momentum]
    return parameters, v


def _rmsprop(parameters, grads, s, beta2, learning_rate, epsilon):
    parameters, s = _copied(parameters, grads), dict(s)
    for key in _stepped(parameters, grads):
        d = f"d{key}"
        # --8<-- [start:rmsprop]
        s[d] = beta2 * s[d] + (1 - beta2) * grads[d] ** 2
        parameters[key] = parameters[key] - learning_rate * grads[d] / (np.sqrt(s[d]) + epsilon)
        # --8<-- [end:rmsprop]
    return parameters, s


def _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon):
    parameters, v, s = _copied(parameters, grads), dict(v), dict(s)
    for key in _stepped(parameters, grads):
        d = f"d{key}"
        # --8<-- [start:adam]
        v[d] = beta1 * v[d] + (1 - beta1) * grads[d]
        s[d] = beta2 * s[d] + (1 - beta2) * grads[d] ** 2
        v_hat = v[d] / (1 - beta1**t)
        s_hat = s[d] / (1 - beta2**t)
        parameters[key] = parameters[key] - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
        # --8<-- [end:adam]
    return parameters, v, s


def guarded(rule, *args):
    """Run an update rule with numpy's overflow turned into a ValueError that says what to do."""
    with checks.overflow(Text("the update", "更新"), Text(
        "the gradients, their squares or the step exceed the largest float; lower the learning rate or check the "
        "gradients",
        "梯度、梯度的平方或步长超出了最大的浮点数；请降低学习率，或检查梯度",
    ), invalid="raise", divide="raise"):  # fmt: skip
        return rule(*args)
