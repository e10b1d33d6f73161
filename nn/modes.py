r"""Forward-mode differentiation of the cost, to set beside backprop (reverse mode).

A tangent pass pushes one direction \((\dot W^{[l]}, \dot b^{[l]})\) of the parameters through
the network alongside the forward pass, from \(\dot A^{[0]} = 0\):

\[ \dot Z^{[l]} = \dot W^{[l]} A^{[l-1]} + W^{[l]} \dot A^{[l-1]} + \dot b^{[l]}, \qquad
   \dot A^{[l]} = g^{[l]\prime}\big(Z^{[l]}\big) \odot \dot Z^{[l]}, \]

and the derivative of J along that direction is
\(\tfrac1m \sum dA^{[L]} \odot \dot A^{[L]}\). It costs as many multiply-adds as one backward
pass (derivation ``modes.cost``), but gives one number, where the backward pass gives all N
entries of the gradient; :func:`forward_mode_gradient` needs N tangent passes for the same result.
"""

from __future__ import annotations

import numpy as np

from . import checks, losses
from .network import _forward
from .words import InputError, Text, described


def _checked(X, Y, parameters, activations, loss):
    X, g = checks.forward_inputs(X, parameters, activations)
    if any(key.startswith(("gamma", "beta")) for key in parameters):
        raise InputError(Text(
            "forward mode here takes plain dense layers: batch-norm parameters (gamma{l}, beta{l}) are not supported",
            "这里的前向模式只接受普通的全连接层：不支持批归一化的参数（gamma{l}、beta{l}）",
        ))  # fmt: skip
    if not g[len(g)].elementwise:
        raise InputError(Text(
            f"forward mode here needs an elementwise output activation g[L]; got {g[len(g)].name!r}",
            f"这里的前向模式需要逐元素的输出层激活函数 g[L]；而它是 {g[len(g)].name!r}",
        ))  # fmt: skip
    AL, cache = _forward(X, parameters, g)
    AL, Y, g = checks.backward_inputs(AL, Y, cache, parameters, activations, loss, losses=losses.LOSSES)
    return g, cache, losses.output_gradient(AL, Y, loss)


# --8<-- [start:tangent]
def _tangent(cache, parameters, g, direction) -> np.ndarray:
    """Ȧ[L] along ``direction`` (Ẇ, ḃ): one tangent pass through the cached forward pass."""
    A_dot = None  # Ȧ[0] = 0: the inputs do not move
    for l in range(1, len(g) + 1):
        Z_dot = direction[f"W{l}"] @ cache[f"A{l - 1}"] + direction[f"b{l}"]  # Ẇ[l] A[l-1] + ḃ[l]
        if A_dot is not None:
            Z_dot += parameters[f"W{l}"] @ A_dot  # + W[l] Ȧ[l-1]
        A_dot = g[l].derivative(cache[f"Z{l}"]) * Z_dot  # Ȧ[l] = g'(Z[l]) ⊙ Ż[l]
    return A_dot


# --8<-- [end:tangent]


def directional_derivative(X, Y, parameters, activations, direction, loss="bce") -> float:
    r"""The derivative of the cost J along ``direction``, by one forward and one tangent pass.

    \[ \frac{d}{dt} J(\theta + t\,\dot\theta)\Big|_{t=0} = \tfrac1m \textstyle\sum dA^{[L]} \odot \dot A^{[L]}. \]

    Args:
        X: inputs, ``(n[0], m)``.
        Y: targets, ``(n[L], m)``.
        parameters: ``{"W1", "b1", ..., "WL", "bL"}``, plain dense layers.
        activations: one elementwise activation name per layer.
        direction: ``{"W1", "b1", ..., "WL", "bL"}``, each shaped like its parameter.
        loss: ``"bce"`` or ``"mse"``, as in ``compute_cost``.

    Raises:
        ValueError: for a direction that is not a dict of finite real arrays, or whose keys or shapes
            differ from the parameters', and as
            ``forward_propagation`` and ``backward_propagation`` do.

    Example:
        >>> parameters = {"W1": np.array([[0.0, 0.0]]), "b1": np.array([[0.0]])}
        >>> direction = {"W1": np.array([[1.0, 0.0]]), "b1": np.array([[0.0]])}
        >>> directional_derivative([[1.0], [2.0]], [[1.0]], parameters, ["sigmoid"], direction)  # = dW1[0, 0]
        -0.5
    """
    g, cache, dAL = _checked(X, Y, parameters, activations, loss)
    if not isinstance(direction, dict):
        raise InputError(Text(
            f"direction must be a dict with the parameters' keys {sorted(parameters)}; got {described(direction)}",
            f"direction 必须是键与参数相同 {sorted(parameters)} 的字典；而它{described(direction).zh}",
        ))  # fmt: skip
    if set(direction) != set(parameters):
        raise InputError(Text(
            f"direction must have the parameters' keys {sorted(parameters)}; got {sorted(direction)}",
            f"direction 的键必须与参数的键相同 {sorted(parameters)}；而它的键是 {sorted(direction)}",
        ))  # fmt: skip
    for key, value in direction.items():
        if np.shape(value) != parameters[key].shape:
            raise InputError(Text(
                f"direction[{key!r}] is {np.shape(value)} but {key} is {parameters[key].shape}: "
                "each must be shaped like its parameter",
                f"direction[{key!r}] 的维度是 {np.shape(value)}，而 {key} 的是 {parameters[key].shape}："
                "每一项的维度都必须与它的参数相同",
            ))  # fmt: skip
        if np.asarray(value).dtype.kind not in "biuf":
            raise InputError(Text(
                f"direction[{key!r}] has dtype {np.asarray(value).dtype}: a direction holds real numbers",
                f"direction[{key!r}] 的 dtype 是 {np.asarray(value).dtype}：方向由实数组成",
            ))  # fmt: skip
        checks.finite(f"direction[{key!r}]", np.asarray(value, dtype=float))
    AL_dot = _tangent(cache, parameters, g, direction)
    return float(np.sum(dAL * AL_dot) / dAL.shape[1])


def forward_mode_gradient(X, Y, parameters, activations, loss="bce") -> dict[str, np.ndarray]:
    """The gradient ``{"dW1", "db1", ...}`` by forward mode: one forward pass and one tangent pass per parameter.

    The same numbers as ``backward_propagation``, at N tangent passes where backprop needs one
    backward pass (derivation ``modes.cost``).
    """
    g, cache, dAL = _checked(X, Y, parameters, activations, loss)
    m = dAL.shape[1]
    zeros = {key: np.zeros_like(value) for key, value in parameters.items()}
    grads = {}
    for key, value in parameters.items():
        grad = np.empty_like(value)
        for index in np.ndindex(value.shape):
            zeros[key][index] = 1.0  # the basis direction of one parameter
            grad[index] = np.sum(dAL * _tangent(cache, parameters, g, zeros)) / m
            zeros[key][index] = 0.0
        grads[f"d{key}"] = grad
    return grads
