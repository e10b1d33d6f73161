r"""Costs J(A[L], Y), averaged over the m samples (columns), and the output gradient dA[L].

Following the course, dA and dZ are per-sample gradients, \(dA = m\,\partial J / \partial A\),
so the \(1/m\) appears once, in dW and db.
"""

from __future__ import annotations

import numpy as np

from . import checks

LOSSES = ("bce", "mse")


def compute_cost(AL, Y, loss="bce") -> float:
    r"""Return the cost J of the outputs A[L] against the targets Y, both ``(n[L], m)``.

    \[ \text{bce: } J = -\frac{1}{m} \sum \Big( Y \log A^{[L]} + (1 - Y) \log\big(1 - A^{[L]}\big) \Big),
       \qquad
       \text{mse: } J = \frac{1}{m} \sum \big(A^{[L]} - Y\big)^2, \]

    each sum running over the output units and the samples (mse is not divided by
    \(n^{[L]}\), nor by 2).

    For bce, \(A^{[L]}\) is clipped into \([\varepsilon, 1 - \varepsilon]\) inside the logs,
    with \(\varepsilon\) = ``np.finfo(AL.dtype).eps``, so a saturated sigmoid (A exactly 0.0
    or 1.0) costs at most \(-\log \varepsilon \approx 36.04\) per sample in float64 instead
    of inf. Gradients are unaffected: with a sigmoid output, backward uses dZ = A − Y.

    Args:
        AL: outputs A[L], ``(n[L], m)``; for bce, probabilities in [0, 1].
        Y: targets, ``(n[L], m)``; for bce, labels in [0, 1]. Converted to AL's dtype.
        loss: ``"bce"`` (binary cross-entropy) or ``"mse"`` (square error).

    Returns:
        J as a Python float.

    Raises:
        ValueError: for mismatched shapes, non-finite entries, values outside [0, 1] for
            bce, or an unknown loss.

    Example:
        >>> round(compute_cost(np.array([[0.5, 0.5]]), np.array([[1, 0]])), 4)  # log 2
        0.6931
    """
    AL, Y = checks.cost_inputs(AL, Y, loss, losses=LOSSES)
    if loss == "bce":
        checks.probabilities(AL, strict=False)
    return _cost(AL, Y, loss)


def _cost(AL: np.ndarray, Y: np.ndarray, loss: str) -> float:
    """compute_cost without the checks, for loops whose inputs were checked once (``train``)."""
    m = AL.shape[1]
    if loss == "bce":
        # --8<-- [start:bce]
        eps = np.finfo(AL.dtype).eps
        A = np.clip(AL, eps, 1 - eps)
        J = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
        # --8<-- [end:bce]
    else:
        # --8<-- [start:mse]
        J = np.sum((AL - Y) ** 2) / m
        # --8<-- [end:mse]
    return float(J)


def output_gradient(AL: np.ndarray, Y: np.ndarray, loss: str) -> np.ndarray:
    r"""Return dA[L] = m ∂J/∂A[L], the per-sample gradient of the cost.

    \[ \text{bce: } dA^{[L]} = \frac{A^{[L]} - Y}{A^{[L]} \big(1 - A^{[L]}\big)}, \qquad
       \text{mse: } dA^{[L]} = 2\big(A^{[L]} - Y\big). \]

    Backward uses this only when the fused rule dZ[L] = A[L] − Y (sigmoid with bce) does
    not apply. Expects checked arrays of one dtype, as ``backward_propagation`` passes them.

    Args:
        AL: outputs A[L], ``(n[L], m)``.
        Y: targets, ``(n[L], m)``, in AL's dtype.
        loss: ``"bce"`` or ``"mse"``.

    Returns:
        dA[L], ``(n[L], m)``, in AL's dtype.

    Raises:
        ValueError: for bce, unless 0 < A[L] < 1 everywhere (the bce gradient divides by
            A(1 − A)).

    Example:
        >>> output_gradient(np.array([[3.0]]), np.array([[1.0]]), "mse")
        array([[4.]])
    """
    if loss == "mse":
        return 2 * (AL - Y)
    checks.probabilities(AL, strict=True)
    return (AL - Y) / (AL * (1 - AL))
