r"""L2 regularization: the penalty's gradient, for symbolic sizes n[l], n[l-1] and m.

The regularized cost adds the squared Frobenius norms of the weight matrices,

\[ J_{\text{L2}} = J + \frac{\lambda}{2m} \sum_{l=1}^{L} \lVert W^{[l]} \rVert_F^2
   = J + \frac{\lambda}{2m} \sum_{l} \sum_{i,j} \big(W^{[l]}_{ij}\big)^2, \]

so only layer l's own term depends on \(W^{[l]}\), and nothing depends on b (or γ, β).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from .core import Derivation, Step, Text, central_difference, matrix, relative_error, symbol
from .indexed import proof_for_all_indices
from .linear import A_prev_, W, b, dZ_, first_order_J, i, j, m, n, n_prev, p, q

if TYPE_CHECKING:  # numpy runs only the numeric cross-checks; the browser's Pyodide has none
    import numpy as np

lam = symbol("λ", r"\lambda", nonnegative=True)
J, J_l2 = symbol("J"), symbol("J_L2", r"J_{\text{L2}}")
P = symbol("P[l]", "P^{[l]}")
PENALTY = lam / (2 * m) * sp.Sum(W[i, j] ** 2, (i, 0, n - 1), (j, 0, n_prev - 1))


def _numeric(rng: np.random.Generator) -> float:
    """Finite differences of J = (1/m) Σ sin(W A + b) + (λ/2m) ‖W‖² against dZ Aᵀ/m + (λ/m) W."""
    import numpy as np

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
        title=Text(
            "L2 regularization: dW[l] = (1/m) dZ[l] A[l-1]ᵀ + (λ/m) W[l]",
            "L2 正则化：dW[l] = (1/m) dZ[l] A[l-1]ᵀ + (λ/m) W[l]",
        ),
        statement=Text(
            "For every n[l], n[l-1] and m, the penalty (λ/2m) Σ_l ‖W[l]‖²_F adds (λ/m) W[l] to dW[l] and "
            "nothing to db[l]: 'weight decay', since the step W ← W − α dW shrinks W by the factor 1 − αλ/m. "
            "Adding λ/m · b to db (regularizing b) is a different cost.",
            "对任意 n[l]、n[l-1] 和 m，惩罚项 (λ/2m) Σ_l ‖W[l]‖²_F 给 dW[l] 加上 (λ/m) W[l]，而 db[l] 不变。"
            "这就是“权重衰减”：更新 W ← W − α dW 时，W 每一步都先乘以因子 1 − αλ/m 而缩小。"
            "如果给 db 也加上 λ/m · b（对 b 也做正则化），那是另一个代价函数。",
        ),
        hypotheses=(
            Text(
                "J_L2 = J + (λ/2m) Σ_l ‖W[l]‖²_F with λ ≥ 0; the sum runs over the weights only, not b.",
                "J_L2 = J + (λ/2m) Σ_l ‖W[l]‖²_F，λ ≥ 0；只对权重求和，不含 b。",
            ),
            Text(
                "Z[l] = W[l] A[l-1] + b[l]; J depends on W[l] through Z[l] (the linear.dW derivation) and, now, "
                "through the penalty.",
                "Z[l] = W[l] A[l-1] + b[l]；J 通过 Z[l] 依赖 W[l]（见推导 linear.dW），现在还通过惩罚项依赖 W[l]。",
            ),
        ),
        steps=(
            Step(
                Text("Layer l's share of the penalty, entry by entry.", "惩罚项中属于第 l 层的部分，逐元素写出。"),
                P,
                PENALTY,
                meaning=PENALTY,
            ),
            Step(
                Text(
                    "Its derivative: only the (p, q) term depends on W_pq.",
                    "求它的导数：只有 (p, q) 这一项依赖 W_pq。",
                ),
                sp.Derivative(P, W[p, q]),
                lam / m * W[p, q],
                meaning=sp.diff(PENALTY, W[p, q]),
                proof=proof_for_all_indices(ranges),
            ),
            Step(
                Text(
                    "b[l] does not appear in the penalty, so db[l] is unchanged.",
                    "惩罚项中没有 b[l]，所以 db[l] 不变。",
                ),
                sp.Derivative(P, b[p]),
                sp.Integer(0),
                meaning=sp.diff(PENALTY, b[p]),
            ),
            Step(
                Text(
                    "Add the data term's gradient (linear.dW): the chain rule through Z[l], plus the penalty.",
                    "再加上数据项的梯度（linear.dW）：经 Z[l] 的链式法则，加上惩罚项的导数。",
                ),
                sp.Derivative(J_l2, W[p, q]),
                MatrixElement(dZ_ * A_prev_.T, p, q) / m + lam / m * W[p, q],
                meaning=derived,
                proof=proof_for_all_indices(ranges),
            ),
        ),
        result=Step(
            Text(
                "In matrix form (numpy: dZ @ A_prev.T / m + lambd / m * W).",
                "写成矩阵形式（numpy：dZ @ A_prev.T / m + lambd / m * W）。",
            ),
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
