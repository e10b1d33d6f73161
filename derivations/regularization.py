r"""L2 regularization: the penalty's gradient, for symbolic sizes n[l], n[l-1] and m.

The regularized cost adds the squared Frobenius norms of the weight matrices,

\[ J_{\text{L2}} = J + \frac{\lambda}{2m} \sum_{l=1}^{L} \lVert W^{[l]} \rVert_F^2
   = J + \frac{\lambda}{2m} \sum_{l} \sum_{i,j} \big(W^{[l]}_{ij}\big)^2, \]

so only layer l's own term depends on \(W^{[l]}\), and nothing depends on b (or γ, β).
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from .core import Derivation, Step, central_difference, matrix, relative_error, symbol
from .indexed import proof_for_all_indices
from .linear import A_prev_, W, b, dZ_, first_order_J, i, j, m, n, n_prev, p, q

lam = symbol("λ", r"\lambda", nonnegative=True)
J, J_l2 = symbol("J"), symbol("J_L2", r"J_{\text{L2}}")
P = symbol("P[l]", "P^{[l]}")
PENALTY = lam / (2 * m) * sp.Sum(W[i, j] ** 2, (i, 0, n - 1), (j, 0, n_prev - 1))


def _numeric(rng: np.random.Generator) -> float:
    """Finite differences of J = (1/m) Σ sin(W A + b) + (λ/2m) ‖W‖² against dZ Aᵀ/m + (λ/m) W."""
    n_, n_prev_, m_, lam_ = 3, 4, 5, 0.7
    W0, b0, A0 = rng.normal(size=(n_, n_prev_)), rng.normal(size=(n_, 1)), rng.normal(size=(n_prev_, m_))

    def cost(W1):
        return np.sum(np.sin(W1 @ A0 + b0)) / m_ + lam_ / (2 * m_) * np.sum(W1**2)

    exact = np.cos(W0 @ A0 + b0) @ A0.T / m_ + lam_ / m_ * W0
    return relative_error(central_difference(cost, W0), exact)


def l2() -> Derivation:
    ranges = {p: n, q: n_prev}
    derived = sp.diff(first_order_J + PENALTY, W[p, q])
    return Derivation(
        key="regularization.l2",
        title="L2 regularization: dW[l] = (1/m) dZ[l] A[l-1]ᵀ + (λ/m) W[l]",
        statement="For every n[l], n[l-1] and m, the penalty (λ/2m) Σ_l ‖W[l]‖²_F adds (λ/m) W[l] to dW[l] and "
        "nothing to db[l]: 'weight decay', since the step W ← W − α dW shrinks W by the factor 1 − αλ/m. "
        "Adding λ/m · b to db (regularizing b) is a different cost.",
        hypotheses=(
            "J_L2 = J + (λ/2m) Σ_l ‖W[l]‖²_F with λ ≥ 0; the sum runs over the weights only, not b.",
            "Z[l] = W[l] A[l-1] + b[l]; J depends on W[l] through Z[l] (the linear.dW derivation) and, now, "
            "through the penalty.",
        ),
        steps=(
            Step("Layer l's share of the penalty, entry by entry.", P, PENALTY, meaning=PENALTY),
            Step(
                "Its derivative: only the (p, q) term depends on W_pq.",
                sp.Derivative(P, W[p, q]),
                lam / m * W[p, q],
                meaning=sp.diff(PENALTY, W[p, q]),
                proof=proof_for_all_indices(ranges),
            ),
            Step(
                "b[l] does not appear in the penalty, so db[l] is unchanged.",
                sp.Derivative(P, b[p]),
                sp.Integer(0),
                meaning=sp.diff(PENALTY, b[p]),
            ),
            Step(
                "Add the data term's gradient (linear.dW): the chain rule through Z[l], plus the penalty.",
                sp.Derivative(J_l2, W[p, q]),
                MatrixElement(dZ_ * A_prev_.T, p, q) / m + lam / m * W[p, q],
                meaning=derived,
                proof=proof_for_all_indices(ranges),
            ),
        ),
        result=Step(
            "In matrix form (numpy: dZ @ A_prev.T / m + lambd / m * W).",
            matrix("dW[l]", "dW^{[l]}", n, n_prev),
            dZ_ * A_prev_.T / m + lam / m * matrix("W[l]", "W^{[l]}", n, n_prev),
            meaning=derived,
            proof=lambda meaning, rhs: proof_for_all_indices(ranges)(meaning, rhs[p, q]),
        ),
        numeric=_numeric,
    )


#: The keys of :func:`derivations`, in its order (the registry lists them without building anything).
KEYS = ("regularization.l2",)


def derivations() -> list[Derivation]:
    return [l2()]
