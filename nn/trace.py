r"""One backward pass with every intermediate named, each checked against central differences.

The posts draw a small network and its backward pass as pictures. :func:`backward_trace` runs
the same pass with numbers: the forward quantities \(Z^{[l]}, A^{[l]}\), then, from the output
down, \(dZ^{[l]}\), \(dW^{[l]}\), \(db^{[l]}\) and \(dA^{[l-1]}\), written out step by step as the
course writes them. Each gradient is compared with a central difference of the cost J in that
very quantity, with the rest of the network run forward from it. Per-sample gradients follow
the course: \(dZ^{[l]} = m\,\partial J/\partial Z^{[l]}\) and \(dA^{[l]} = m\,\partial J/\partial A^{[l]}\),
while \(dW^{[l]} = \partial J/\partial W^{[l]}\) and \(db^{[l]} = \partial J/\partial b^{[l]}\).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import checks, losses
from .network import _forward
from .words import InputError, Text


class Quantity(NamedTuple):
    """One intermediate of the pass: its name, its value, and (for a gradient) the central difference."""

    name: str
    value: np.ndarray
    numeric: np.ndarray | None = None

    @property
    def error(self) -> float | None:
        """‖value − numeric‖ / (‖value‖ + ‖numeric‖), or None for a forward quantity."""
        if self.numeric is None:
            return None
        scale = np.linalg.norm(self.value) + np.linalg.norm(self.numeric)
        return float(np.linalg.norm(self.value - self.numeric) / scale) if scale else 0.0


def _cost_from(l: int, A, parameters, g, Y, loss) -> float:
    """J with A[l] = A, running layers l + 1, …, L forward."""
    for k in range(l + 1, len(g) + 1):
        A = g[k].forward(parameters[f"W{k}"] @ A + parameters[f"b{k}"])
    return losses.compute_cost(A, Y, loss)


def _difference(cost, x: np.ndarray, h: float) -> np.ndarray:
    """(cost(x + h e_i) − cost(x − h e_i)) / 2h for every entry i of x (x is restored)."""
    grad = np.empty_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + h
        up = cost()
        x[index] = saved - h
        down = cost()
        x[index] = saved
        grad[index] = (up - down) / (2 * h)
    return grad


def backward_trace(X, Y, parameters, activations, loss="bce", h=1e-6) -> list[Quantity]:
    """Every intermediate of one forward and one backward pass, in the order they are computed.

    Args:
        X: inputs, ``(n[0], m)``.
        Y: targets, ``(n[L], m)``.
        parameters: ``{"W1", "b1", ..., "WL", "bL"}``, plain dense layers.
        activations: one elementwise activation name per layer.
        loss: ``"bce"`` or ``"mse"``, as in ``compute_cost``.
        h: the central difference's step.

    Returns:
        ``Quantity`` rows: ``Z1``, ``A1``, …, ``AL``, then ``dZL``, ``dWL``, ``dbL``, ``dA{L-1}``,
        ``dZ{L-1}``, … down to ``db1``; each gradient carries its central difference.

    Raises:
        ValueError: as ``forward_propagation`` and ``backward_propagation`` do, and for
            batch-norm parameters or a softmax output, which this pass does not write out.

    Example:
        >>> parameters = {"W1": np.array([[0.5, -1.0]]), "b1": np.array([[0.0]])}
        >>> rows = backward_trace([[1.0], [2.0]], [[1.0]], parameters, ["sigmoid"])
        >>> [row.name for row in rows], rows[-1].error < 1e-8
        (['Z1', 'A1', 'dZ1', 'dW1', 'db1'], True)
    """
    X, g = checks.forward_inputs(X, parameters, activations)
    if any(key.startswith(("gamma", "beta")) for key in parameters) or not g[len(g)].elementwise:
        raise InputError(Text(
            "the trace writes out plain dense layers with elementwise activations only",
            "这份追踪只写出使用逐元素激活函数的普通全连接层",
        ))  # fmt: skip
    AL, cache = _forward(X, parameters, g)
    AL, Y, g = checks.backward_inputs(AL, Y, cache, parameters, activations, loss, losses=losses.LOSSES)
    L, m = len(g), X.shape[1]
    rows = [Quantity(f"{kind}{l}", cache[f"{kind}{l}"]) for l in range(1, L + 1) for kind in "ZA"]
    grads = {}
    # --8<-- [start:pass]
    if losses.PAIRED_OUTPUT.get(loss) == g[L].name:
        dZ = AL - Y  # sigmoid with bce: the A(1 - A) of the sigmoid cancels
    else:
        dZ = losses.output_gradient(AL, Y, loss) * g[L].derivative(cache[f"Z{L}"])
    for l in range(L, 0, -1):
        grads[f"dZ{l}"] = dZ
        grads[f"dW{l}"] = dZ @ cache[f"A{l - 1}"].T / m
        grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
        if l > 1:
            grads[f"dA{l - 1}"] = parameters[f"W{l}"].T @ dZ
            dZ = grads[f"dA{l - 1}"] * g[l - 1].derivative(cache[f"Z{l - 1}"])
    # --8<-- [end:pass]
    for name, value in grads.items():
        kind, l = name[:2], int(name[2:])
        if kind in ("dW", "db"):  # J as a function of the parameter, run from X
            x, scale = parameters[kind[1] + str(l)], 1

            def cost():
                return _cost_from(0, X, parameters, g, Y, loss)
        else:  # m J as a function of Z[l] (run on from g(Z[l])) or of A[l]
            x, scale = cache[f"{kind[1]}{l}"].copy(), m

            def cost(x=x, l=l, kind=kind):
                return _cost_from(l, g[l].forward(x) if kind == "dZ" else x, parameters, g, Y, loss)

        numeric = scale * _difference(cost, x, h)
        rows.append(Quantity(name, value, numeric))
    return rows


#: The posts' two small networks, as layer sizes, activations, m and the seed of the draw: the ReLU post's
#: three-layer network and the planar post's 2-layer network (their sizes are the course's n_x = 2 and
#: n_h = 4; the ReLU post's pictures give no sizes, so [2, 3, 2, 1] is a choice).
POST_NETWORKS = {
    "relu3": ([2, 3, 2, 1], ["relu", "relu", "sigmoid"], 2, 3),
    "tanh2": ([2, 4, 1], ["tanh", "sigmoid"], 3, 0),
}


def post_example(name: str):
    """``(X, Y, parameters, activations)`` for one of :data:`POST_NETWORKS`: N(0, 1) draws rounded to two
    decimals, so the page can print them whole; Y alternates 1, 0, 1, …"""
    dims, names, m, seed = POST_NETWORKS[name]
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.normal(size=(dims[l], dims[l - 1])).round(2)
        parameters[f"b{l}"] = rng.normal(size=(dims[l], 1)).round(2)
    X = rng.normal(size=(dims[0], m)).round(2)
    Y = (np.arange(m) % 2 == 0).astype(float).reshape(1, m)
    return X, Y, parameters, names
