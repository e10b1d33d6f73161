r"""Forward and backward propagation through an L-layer network, in the course's notation.

Layer l has \(n^{[l]}\) units, \(W^{[l]}\) is ``(n[l], n[l-1])``, \(b^{[l]}\) is ``(n[l], 1)``,
and the m samples are the columns of \(A^{[0]} = X\). The network computes in its
parameters' dtype: X and Y are converted to it, and float32 parameters give float32
activations, cache and gradients.
"""

from __future__ import annotations

import numpy as np

from . import checks, losses


def forward_propagation(X, parameters, activations) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    r"""Run the network forward on the columns of X.

    \[ Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}, \qquad A^{[l]} = g^{[l]}\big(Z^{[l]}\big),
       \qquad l = 1, \dots, L, \quad A^{[0]} = X. \]

    Args:
        X: inputs, ``(n[0], m)``.
        parameters: ``{"W1", "b1", ..., "WL", "bL"}``, as from ``initialize_parameters``.
        activations: one activation name per layer, ``[g[1], ..., g[L]]``.

    Returns:
        ``(AL, cache)``: the output A[L], ``(n[L], m)``, and the cache
        ``{"A0": X, "Z1", "A1", ..., "ZL", "AL"}`` that ``backward_propagation`` needs.

    Raises:
        ValueError: for inconsistent shapes, non-finite entries, or unknown or miscounted
            activations.

    Example:
        >>> parameters = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([[0.5]])}
        >>> AL, cache = forward_propagation(np.array([[2.0], [1.0]]), parameters, ["relu"])
        >>> AL, list(cache)
        (array([[1.5]]), ['A0', 'Z1', 'A1'])
    """
    X, g = checks.forward_inputs(X, parameters, activations)
    return _forward(X, parameters, g)


def backward_propagation(AL, Y, cache, parameters, activations, loss="bce") -> dict[str, np.ndarray]:
    r"""Return the gradients dW[l], db[l] of the cost for every layer.

    With per-sample gradients \(dZ = m\,\partial J/\partial Z\) (the course's convention),
    starting from the output delta \(dZ^{[L]}\) and going down to layer 1:

    \[ dW^{[l]} = \tfrac{1}{m}\, dZ^{[l]} A^{[l-1]\top}, \qquad
       db^{[l]} = \tfrac{1}{m} \textstyle\sum_{\text{columns}} dZ^{[l]}, \qquad
       dA^{[l-1]} = W^{[l]\top} dZ^{[l]}, \qquad
       dZ^{[l-1]} = dA^{[l-1]} \odot g^{[l-1]\prime}\big(Z^{[l-1]}\big). \]

    The output delta is \(dZ^{[L]} = A^{[L]} - Y\) for a sigmoid output with bce (the
    \(A(1 - A)\) of the cross-entropy and the sigmoid cancel) and for a softmax output with
    cross_entropy (the softmax Jacobian contracted with \(-Y/A\)). Otherwise
    \(dZ^{[L]} = dA^{[L]} \odot g^{[L]\prime}(Z^{[L]})\) with \(dA^{[L]}\) from
    ``losses.output_gradient``: \(2(A - Y)\) for mse, \((A - Y)/(A(1 - A))\) for bce;
    a softmax output contracts its Jacobian with \(dA^{[L]}\) instead
    (``activations.Softmax.backward``).
    At a kink, \(g'\) takes the convention its activation documents (e.g. relu'(0) = 0).

    Args:
        AL: the output A[L] from ``forward_propagation``, ``(n[L], m)``.
        Y: targets, ``(n[L], m)``.
        cache: the cache from the same ``forward_propagation`` call.
        parameters: the parameters used in that call.
        activations: the activation names used in that call.
        loss: ``"bce"``, ``"mse"`` or ``"cross_entropy"``, as in ``compute_cost``.

    Returns:
        ``{"dW1", "db1", ..., "dWL", "dbL"}``, each shaped like its parameter.

    Raises:
        ValueError: for inconsistent shapes or dtypes, non-finite entries, labels outside
            [0, 1] for bce, a bce output outside (0, 1) without a sigmoid, cross_entropy
            without a softmax output or with columns of Y that are not distributions, or
            unknown names.

    Example:
        >>> parameters = {"W1": np.array([[0.0, 0.0]]), "b1": np.array([[0.0]])}
        >>> X, Y = np.array([[1.0], [2.0]]), np.array([[1.0]])
        >>> AL, cache = forward_propagation(X, parameters, ["sigmoid"])
        >>> backward_propagation(AL, Y, cache, parameters, ["sigmoid"])["dW1"]  # (A - Y) Xᵀ
        array([[-0.5, -1. ]])
    """
    AL, Y, g = checks.backward_inputs(AL, Y, cache, parameters, activations, loss, losses=losses.LOSSES)
    return _backward(AL, Y, cache, parameters, g, loss)


def predict(X, parameters, activations) -> np.ndarray:
    r"""Return the predicted class of each sample, ``(1, m)``.

    With one output unit, 1 where \(A^{[L]} > 0.5\) and 0 elsewhere. With \(K = n^{[L]} > 1\)
    output units (a softmax output), the class index \(\operatorname{argmax}_k A^{[L]}_{k}\) of each column,
    in 0..K-1 (ties go to the lowest index).

    Args:
        X: inputs, ``(n[0], m)``.
        parameters: trained parameters.
        activations: one activation name per layer.

    Returns:
        An int array of shape ``(1, m)``.

    Raises:
        ValueError: as ``forward_propagation``.

    Example:
        >>> parameters = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}
        >>> predict(np.array([[-2.0, 0.0, 3.0]]), parameters, ["sigmoid"])
        array([[0, 0, 1]])
    """
    X, g = checks.forward_inputs(X, parameters, activations)
    AL, _ = _forward(X, parameters, g)
    if AL.shape[0] > 1:
        return np.argmax(AL, axis=0).reshape(1, -1)
    return (AL > 0.5).astype(int)


def _forward(X, parameters, g):
    L = len(g)
    cache = {"A0": X}
    # --8<-- [start:forward]
    A = X
    for l in range(1, L + 1):
        Z = parameters[f"W{l}"] @ A
        Z += parameters[f"b{l}"]  # Z = W A + b, with b added in place: no second (n[l], m) array
        A = g[l].forward(Z)
        cache[f"Z{l}"], cache[f"A{l}"] = Z, A
    # --8<-- [end:forward]
    return A, cache


def _backward(AL, Y, cache, parameters, g, loss):
    L, m = len(g), AL.shape[1]
    # --8<-- [start:output_delta]
    if losses.PAIRED_OUTPUT.get(loss) == g[L].name:  # sigmoid with bce, softmax with cross_entropy
        dZ = AL - Y
    elif g[L].elementwise:
        dA = losses.output_gradient(AL, Y, loss)
        dZ = dA * g[L].derivative(cache[f"Z{L}"])
    else:  # softmax: contract its Jacobian with dA
        dZ = g[L].backward(AL, losses.output_gradient(AL, Y, loss))
    # --8<-- [end:output_delta]
    grads = {}
    # --8<-- [start:backward]
    for l in range(L, 0, -1):
        A_prev = cache[f"A{l - 1}"]
        grads[f"dW{l}"] = (dZ @ A_prev.T) / m
        grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
        if l > 1:
            dA_prev = parameters[f"W{l}"].T @ dZ
            dZ = dA_prev * g[l - 1].derivative(cache[f"Z{l - 1}"])
    # --8<-- [end:backward]
    return {f"d{key}": grads[f"d{key}"] for key in parameters}
