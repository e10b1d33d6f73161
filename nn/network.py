r"""Forward and backward propagation through an L-layer network, in the course's notation.

Layer l has \(n^{[l]}\) units, \(W^{[l]}\) is ``(n[l], n[l-1])``, \(b^{[l]}\) is ``(n[l], 1)``,
and the m samples are the columns of \(A^{[0]} = X\). The network computes in its
parameters' dtype: X and Y are converted to it, and float32 parameters give float32
activations, cache and gradients.
"""

from __future__ import annotations

import numpy as np

from . import batchnorm, checks, losses
from .words import Text

#: What overflows in each pass when its numbers are too large for a float, and what to do.
TOO_LARGE = {
    "forward": (Text("the forward pass", "前向传播"), Text(
        "X or the parameters are too large for Z[l] = W[l] A[l-1] + b[l] to be a float; rescale X (standardize "
        "it) or the parameters",
        "X 或参数太大，Z[l] = W[l] A[l-1] + b[l] 超出了浮点数的范围；请缩小 X（把它标准化）或参数",
    )),
    "backward": (Text("the backward pass", "反向传播"), Text(
        "A[L] − Y, the parameters or the cached activations are too large for the gradients dZ[l] and "
        "dW[l] = dZ[l] A[l-1]ᵀ / m to be floats; rescale the targets, X or the parameters",
        "A[L] − Y、参数或缓存中的激活值太大，梯度 dZ[l] 和 dW[l] = dZ[l] A[l-1]ᵀ / m 超出了浮点数的范围；"
        "请缩小目标值、X 或参数",
    )),
}  # fmt: skip


def forward_propagation(
    X, parameters, activations, *, keep_prob=1.0, seed=None, training=True
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    r"""Run the network forward on the columns of X.

    \[ Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}, \qquad A^{[l]} = g^{[l]}\big(Z^{[l]}\big),
       \qquad l = 1, \dots, L, \quad A^{[0]} = X. \]

    A hidden layer with ``gamma{l}`` and ``beta{l}`` (from ``initialize_parameters(...,
    batch_norm=True)``) has no \(b^{[l]}\): it normalizes \(Z^{[l]} = W^{[l]} A^{[l-1]}\) over
    the batch and applies \(g^{[l]}\) to \(\tilde Z^{[l]} = \gamma \odot \hat Z + \beta\)
    (``nn.batchnorm``). With ``keep_prob`` < 1, inverted dropout keeps each hidden unit of
    each sample with probability p and scales the kept ones by 1/p, so that the expected
    activation is unchanged:

    \[ D^{[l]} = \big(U < p\big),\; U \sim \mathcal U[0, 1)^{n^{[l]} \times m}, \qquad
       A^{[l]} \leftarrow A^{[l]} \odot D^{[l]} / p, \qquad l = 1, \dots, L - 1. \]

    The output layer is never dropped.

    Args:
        X: inputs, ``(n[0], m)``.
        parameters: ``{"W1", "b1", ..., "WL", "bL"}``, as from ``initialize_parameters``; a
            batch-norm layer has ``gamma{l}``, ``beta{l}``, ``running_mean{l}``,
            ``running_var{l}`` instead of ``b{l}``.
        activations: one activation name per layer, ``[g[1], ..., g[L]]``.
        keep_prob: the probability p of keeping a hidden unit, in (0, 1]: one number for every
            hidden layer, or a list of L - 1, one per hidden layer. 1 (the default) drops nothing.
        seed: seed for the dropout masks (``np.random.default_rng(seed)``, layer 1 first);
            the same seed gives the same masks.
        training: batch norm uses the batch's mean and variance (True, the default) or the
            running averages (False, as ``predict`` does). It does not affect dropout.

    Returns:
        ``(AL, cache)``: the output A[L], ``(n[L], m)``, and the cache
        ``{"A0": X, "Z1", "A1", ..., "ZL", "AL"}`` that ``backward_propagation`` needs. With
        dropout, ``A{l}`` is the dropped activation, and the cache also holds each mask
        ``D{l}`` (0/1 in A's dtype) and its ``keep_prob{l}``; with batch norm, ``mu{l}``,
        ``var{l}``, ``Zhat{l}`` and ``Ztilde{l}``.

    Raises:
        ValueError: for inconsistent shapes, non-finite entries, unknown or miscounted
            activations, a keep_prob outside (0, 1] or of the wrong length, a seed that is neither
            None nor an integer >= 0, a batch-norm network in training mode on one sample
            (m = 1 gives σ² = 0 for every unit), or X and parameters so large that a Z[l]
            overflows the largest float.

    Example:
        >>> parameters = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([[0.5]])}
        >>> AL, cache = forward_propagation(np.array([[2.0], [1.0]]), parameters, ["relu"])
        >>> AL, list(cache)
        (array([[1.5]]), ['A0', 'Z1', 'A1'])
    """
    X, g = checks.forward_inputs(X, parameters, activations, training=training, seed=seed)
    keep = checks.keep_probs(keep_prob, len(g))
    with checks.overflow(*TOO_LARGE["forward"]):  # a ValueError, not a RuntimeWarning and inf
        return _forward(X, parameters, g, keep=keep, rng=np.random.default_rng(seed), training=training)


def backward_propagation(AL, Y, cache, parameters, activations, loss="bce", *, lambd=0.0) -> dict[str, np.ndarray]:
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

    With L2 regularization (``lambd`` = λ > 0, the cost of ``compute_cost(...,
    parameters=parameters, lambd=λ)``), \(dW^{[l]}\) gains \(\tfrac{\lambda}{m} W^{[l]}\); db is
    unchanged. Where the forward pass dropped units, the same mask and scale apply backwards:
    \(dA^{[l]} \leftarrow dA^{[l]} \odot D^{[l]} / p\), with \(D^{[l]}\) and p from the cache.
    For a batch-norm layer, backward passes \(d\tilde Z^{[l]}\) through the normalization
    (``nn.batchnorm.backward``) and returns \(d\gamma^{[l]}\), \(d\beta^{[l]}\) in place of
    \(db^{[l]}\).

    Args:
        AL: the output A[L] from ``forward_propagation``, ``(n[L], m)``.
        Y: targets, ``(n[L], m)``.
        cache: the cache from the same ``forward_propagation`` call.
        parameters: the parameters used in that call.
        activations: the activation names used in that call.
        loss: ``"bce"``, ``"mse"`` or ``"cross_entropy"``, as in ``compute_cost``.
        lambd: the L2 strength λ >= 0 (``lambda`` is a Python keyword).

    Returns:
        ``{"dW1", "db1", ..., "dWL", "dbL"}``, each shaped like its parameter; a batch-norm
        layer has ``dgamma{l}``, ``dbeta{l}`` instead of ``db{l}``. The running averages get
        no gradient.

    Raises:
        ValueError: for inconsistent shapes or dtypes, non-finite entries, labels outside
            [0, 1] for bce, a bce output outside (0, 1) without a sigmoid, cross_entropy
            without a softmax output or with columns of Y that are not distributions, a
            negative or non-finite λ, a cache without the masks or batch statistics its
            forward pass made, unknown names, or numbers so large that a gradient overflows
            the largest float.

    Example:
        >>> parameters = {"W1": np.array([[0.0, 0.0]]), "b1": np.array([[0.0]])}
        >>> X, Y = np.array([[1.0], [2.0]]), np.array([[1.0]])
        >>> AL, cache = forward_propagation(X, parameters, ["sigmoid"])
        >>> backward_propagation(AL, Y, cache, parameters, ["sigmoid"])["dW1"]  # (A - Y) Xᵀ
        array([[-0.5, -1. ]])
    """
    AL, Y, g = checks.backward_inputs(AL, Y, cache, parameters, activations, loss, losses=losses.LOSSES)
    lambd = checks.lambd(lambd)
    with checks.overflow(*TOO_LARGE["backward"]):
        return _backward(AL, Y, cache, parameters, g, loss, lambd=lambd)


def predict(X, parameters, activations) -> np.ndarray:
    r"""Return the predicted class of each sample, ``(1, m)``.

    The forward pass drops no units and normalizes batch-norm layers with their running
    averages, so one sample at a time gives the same answer as a batch.
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
    X, g = checks.forward_inputs(X, parameters, activations, training=False)
    with checks.overflow(*TOO_LARGE["forward"]):
        AL, _ = _forward(X, parameters, g, training=False)
    if AL.shape[0] > 1:
        return np.argmax(AL, axis=0).reshape(1, -1)
    return (AL > 0.5).astype(int)


def preactivation(cache, l) -> np.ndarray:
    r"""What \(g^{[l]}\) was applied to: \(\tilde Z^{[l]}\) in a batch-norm layer, else \(Z^{[l]}\)."""
    return cache.get(f"Ztilde{l}", cache[f"Z{l}"])


def _forward(X, parameters, g, keep=None, rng=None, training=True, masks=None):
    """The forward pass on checked inputs. ``keep`` maps a hidden layer l to its keep_prob; its
    mask is drawn from ``rng``, or taken from ``masks`` (a cache) when given."""
    L = len(g)
    keep = keep or {}
    cache = {"A0": X}
    # --8<-- [start:forward]
    A = X
    for l in range(1, L + 1):
        Z = parameters[f"W{l}"] @ A
        if f"gamma{l}" in parameters:  # batch norm: Z[l] = W A is cached, and β takes the place of b
            cache[f"Z{l}"] = Z
            Z = batchnorm.forward(Z, parameters, l, cache, training)
        else:
            Z += parameters[f"b{l}"]  # Z = W A + b, with b added in place: no second (n[l], m) array
            cache[f"Z{l}"] = Z
        A = g[l].forward(Z)
        if l in keep:  # inverted dropout: keep each unit with probability p, scale by 1/p
            p = keep[l]
            D = masks[f"D{l}"] if masks is not None else (rng.random(A.shape) < p).astype(A.dtype)
            A = A * D / p
            cache[f"D{l}"], cache[f"keep_prob{l}"] = D, p
        cache[f"A{l}"] = A
    # --8<-- [end:forward]
    return A, cache


def _backward(AL, Y, cache, parameters, g, loss, lambd=0.0):
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
        if f"gamma{l}" in parameters:  # dZ is dZ̃[l] so far; batch norm's backward gives dZ[l]
            grads[f"dgamma{l}"], grads[f"dbeta{l}"], dZ = batchnorm.backward(dZ, cache, parameters, l)
        else:
            grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
        grads[f"dW{l}"] = (dZ @ A_prev.T) / m
        if lambd:  # L2: the gradient of (λ/2m) ‖W[l]‖²
            grads[f"dW{l}"] += (lambd / m) * parameters[f"W{l}"]
        if l > 1:
            dA_prev = parameters[f"W{l}"].T @ dZ
            if f"D{l - 1}" in cache:  # the same mask and scale as the forward pass
                dA_prev = dA_prev * cache[f"D{l - 1}"] / cache[f"keep_prob{l - 1}"]
            dZ = dA_prev * g[l - 1].derivative(preactivation(cache, l - 1))
    # --8<-- [end:backward]
    return {f"d{key}": grads[f"d{key}"] for key in checks.learnable(parameters)}
