r"""Costs J(A[L], Y), averaged over the m samples (columns), and the output gradient dA[L].

Following the course, dA and dZ are per-sample gradients, \(dA = m\,\partial J / \partial A\),
so the \(1/m\) appears once, in dW and db.
"""

from __future__ import annotations

import numpy as np

from . import checks
from .words import InputError, Text

LOSSES = ("bce", "mse", "cross_entropy")
#: the output activation each loss pairs with: together they give dZ[L] = A[L] - Y, and
#: the cost can be computed stably from the logits Z[L]
PAIRED_OUTPUT = {"bce": "sigmoid", "cross_entropy": "softmax"}


def compute_cost(AL, Y, loss="bce", ZL=None, *, parameters=None, lambd=0.0) -> float:
    r"""Return the cost J of the outputs A[L] against the targets Y, both ``(n[L], m)``.

    \[ \text{bce: } J = -\frac{1}{m} \sum \Big( Y \log A^{[L]} + (1 - Y) \log\big(1 - A^{[L]}\big) \Big),
       \qquad
       \text{mse: } J = \frac{1}{m} \sum \big(A^{[L]} - Y\big)^2,
       \qquad
       \text{cross\_entropy: } J = -\frac{1}{m} \sum Y \odot \log A^{[L]}, \]

    each sum running over the output units and the samples (mse is not divided by
    \(n^{[L]}\), nor by 2). cross_entropy is the multi-class loss of a softmax output layer,
    with one-hot columns of Y (any distributions over the n[L] classes will do).

    From A[L] alone, the logs see A[L] clipped into \([\varepsilon, 1 - \varepsilon]\), with
    \(\varepsilon\) = ``np.finfo(AL.dtype).eps``, so a saturated output (A exactly 0.0 or 1.0)
    costs at most \(-\log \varepsilon \approx 36.04\) per sample in float64 instead of inf.
    Given the logits ``ZL`` as well, the cost is exact however saturated the output is:

    \[ \text{bce: } J = \frac{1}{m} \sum \Big( \log\big(1 + e^{Z}\big) - Y \odot Z \Big), \qquad
       \text{cross\_entropy: } J = -\frac{1}{m} \sum Y \odot \big(Z - \operatorname{logsumexp}(Z)\big), \]

    with \(\log(1 + e^{z}) = \max(z, 0) + \log(1 + e^{-|z|})\) and the logsumexp of each
    column shifted by its maximum, so no exponent is positive. ``nn.train`` and
    ``nn.gradcheck`` use this form. Gradients are unaffected either way: backward uses
    dZ = A − Y for sigmoid with bce and for softmax with cross_entropy.

    With L2 regularization (λ = ``lambd`` > 0) the cost gains the squared Frobenius norms of
    the weights (not of b, γ or β):

    \[ J_{\text{L2}} = J + \frac{\lambda}{2m} \sum_{l=1}^{L} \lVert W^{[l]} \rVert_F^2. \]

    Args:
        AL: outputs A[L], ``(n[L], m)``; for bce, probabilities in [0, 1]; for
            cross_entropy, columns that are distributions (a softmax output).
        Y: targets, ``(n[L], m)``; for bce, labels in [0, 1]; for cross_entropy, one-hot
            columns. Converted to AL's dtype.
        loss: ``"bce"`` (binary cross-entropy), ``"mse"`` (square error) or
            ``"cross_entropy"`` (categorical cross-entropy).
        ZL: optional, for bce and cross_entropy: Z[L], whose sigmoid (bce) or softmax
            (cross_entropy) is AL, as in forward_propagation's cache.
        parameters: the network's parameters, needed for the L2 penalty when ``lambd`` > 0.
        lambd: the L2 strength λ, finite and >= 0 (``lambda`` is a Python keyword).

    Returns:
        J as a Python float.

    Raises:
        ValueError: for mismatched shapes, non-finite entries, values outside [0, 1] for
            bce, columns that are not distributions for cross_entropy, a ZL that does not
            give AL, an unknown loss, a negative or non-finite λ, λ > 0 without parameters, or
            entries so large that J overflows the largest float (mse's squares, or the L2 term's).

    Example:
        >>> round(compute_cost(np.array([[0.5, 0.5]]), np.array([[1, 0]])), 4)  # log 2
        0.6931
        >>> Z = np.array([[0.0], [np.log(3.0)]])  # softmax(Z) = [1/4, 3/4]
        >>> round(compute_cost(np.array([[0.25], [0.75]]), np.array([[0], [1]]), "cross_entropy", ZL=Z), 4)
        0.2877
    """
    AL, Y, ZL = checks.cost_inputs(AL, Y, loss, ZL, losses=LOSSES, paired=PAIRED_OUTPUT)
    lambd = checks.lambd(lambd)
    if lambd and parameters is None:
        raise InputError(Text(
            f"lambd = {lambd} needs parameters=...: the L2 penalty (λ/2m) Σ ‖W[l]‖² sums over the W[l]",
            f"lambd = {lambd} 需要 parameters=...：L2 惩罚项 (λ/2m) Σ ‖W[l]‖² 是对各个 W[l] 求和",
        ))  # fmt: skip
    if lambd:
        checks.network(parameters)
    with checks.overflow(Text("the cost J", "代价 J"), Text(
        "A[L] − Y, or W[l] for the L2 term, is too large for its square to be a float; rescale the targets "
        "and the outputs (or the weights)",
        "A[L] − Y（L2 项则是 W[l]）太大，它的平方超出了浮点数的范围；请缩小目标值和输出（或权重）",
    )):  # fmt: skip
        return _cost(AL, Y, loss, ZL) + float(l2_penalty(parameters, lambd, AL.shape[1]))


def l2_penalty(parameters, lambd: float, m: int) -> float:
    r"""Return \(\frac{\lambda}{2m} \sum_l \lVert W^{[l]} \rVert_F^2\), the L2 term of the cost, on checked inputs."""
    if not lambd:
        return 0.0
    # --8<-- [start:l2_penalty]
    return lambd / (2 * m) * sum(np.sum(W**2) for key, W in parameters.items() if key.startswith("W"))
    # --8<-- [end:l2_penalty]


def _cost(AL: np.ndarray, Y: np.ndarray, loss: str, ZL: np.ndarray | None = None) -> float:
    """compute_cost without the checks, for loops whose inputs were checked once (``train``)."""
    m = AL.shape[1]
    if loss == "mse":
        # --8<-- [start:mse]
        J = np.sum((AL - Y) ** 2) / m
        # --8<-- [end:mse]
    elif ZL is not None and loss == "bce":
        # --8<-- [start:bce_logits]
        # log(1 + e^Z) - Y Z, with max(Z, 0) - Y Z taken first: exactly 0 for a confident right answer
        J = np.sum(np.maximum(ZL, 0) - Y * ZL + np.log1p(np.exp(-np.abs(ZL)))) / m
        # --8<-- [end:bce_logits]
    elif ZL is not None:
        # --8<-- [start:cross_entropy_logits]
        S = ZL - ZL.max(axis=0, keepdims=True)  # shifted logits, each column's largest is 0
        log_A = S - np.log(np.sum(np.exp(S), axis=0, keepdims=True))  # Z - logsumexp(Z), without cancellation
        J = -np.sum(Y * log_A) / m
        # --8<-- [end:cross_entropy_logits]
    elif loss == "bce":
        # --8<-- [start:bce]
        eps = np.finfo(AL.dtype).eps
        A = np.clip(AL, eps, 1 - eps)
        J = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
        # --8<-- [end:bce]
    else:
        # --8<-- [start:cross_entropy]
        A = np.clip(AL, np.finfo(AL.dtype).eps, 1)
        J = -np.sum(Y * np.log(A)) / m
        # --8<-- [end:cross_entropy]
    return float(J)


def output_gradient(AL: np.ndarray, Y: np.ndarray, loss: str) -> np.ndarray:
    r"""Return dA[L] = m ∂J/∂A[L], the per-sample gradient of the cost.

    \[ \text{bce: } dA^{[L]} = \frac{A^{[L]} - Y}{A^{[L]} \big(1 - A^{[L]}\big)}, \qquad
       \text{mse: } dA^{[L]} = 2\big(A^{[L]} - Y\big), \qquad
       \text{cross\_entropy: } dA^{[L]} = -\frac{Y}{A^{[L]}}. \]

    Backward uses this only when the fused rule dZ[L] = A[L] − Y (sigmoid with bce, softmax
    with cross_entropy) does not apply. Expects checked arrays of one dtype, as
    ``backward_propagation`` passes them.

    Args:
        AL: outputs A[L], ``(n[L], m)``.
        Y: targets, ``(n[L], m)``, in AL's dtype.
        loss: ``"bce"``, ``"mse"`` or ``"cross_entropy"``.

    Returns:
        dA[L], ``(n[L], m)``, in AL's dtype.

    Raises:
        ValueError: for bce, unless 0 < A[L] < 1 everywhere (the bce gradient divides by
            A(1 − A)); for cross_entropy, unless A[L] > 0 everywhere.

    Example:
        >>> output_gradient(np.array([[3.0]]), np.array([[1.0]]), "mse")
        array([[4.]])
    """
    if loss == "mse":
        return 2 * (AL - Y)
    if loss == "cross_entropy":
        checks.positive_outputs(AL)
        return -Y / AL
    checks.probabilities(AL, strict=True)
    return (AL - Y) / (AL * (1 - AL))
