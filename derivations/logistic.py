r"""Logistic regression in the course's notation: w is a column and z = wᵀx + b.

The course writes the weights of logistic regression as a column w of shape (n_x, 1); the
network of ``nn`` with L = 1 stores them as the row W[1] = wᵀ of shape (1, n_x). Both give the
same numbers: the course's dw is the network's dW[1] transposed.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from .core import Derivation, Step, Text, indexed, matrix, symbol
from .indexed import proof_for_all_indices, to_indexed

n_x = symbol("n_x", "n_{x}", integer=True, positive=True)
m = symbol("m", integer=True, positive=True)
j, k, p = sp.symbols("j k p", integer=True, nonnegative=True)
J, b = symbol("J"), symbol("b")
w, X, A, Y = indexed("w", "w"), indexed("X", "X"), indexed("A", "A"), indexed("Y", "Y")
w_, X_ = matrix("w", "w", n_x, 1), matrix("X", "X", n_x, m)
A_, Y_ = matrix("A", "A", 1, m), matrix("Y", "Y", 1, m)
dZ = indexed("dZ[1]", "dZ^{[1]}")


def _proof(ranges: dict, entry=lambda rhs: rhs):
    """Prove a claim written with A − Y against a meaning written with dZ[1], where A = dZ[1] + Y."""

    def proof(meaning: sp.Expr, rhs: sp.Basic) -> bool:
        in_dZ = to_indexed(entry(rhs)).replace(
            lambda e: isinstance(e, sp.Indexed) and e.base == A, lambda e: dZ[e.indices] + Y[e.indices]
        )
        return proof_for_all_indices(ranges)(meaning, in_dZ)

    return proof


def gradient() -> Derivation:
    r"""dw = (1/m) X (A − Y)ᵀ and db = (1/m) Σ (A − Y); dW[1] = dwᵀ for the network's W[1] = wᵀ."""
    z = sp.Sum(w[j, 0] * X[j, k], (j, 0, n_x - 1)) + b
    # J depends on w and b through z⁽ᵏ⁾ alone, with ∂ℒ⁽ᵏ⁾/∂z⁽ᵏ⁾ = dZ[1]_k = a⁽ᵏ⁾ − y⁽ᵏ⁾ (output.sigmoid_bce).
    first_order = sp.Sum(dZ[0, k] * z, (k, 0, m - 1)) / m
    dw_meaning = sp.diff(first_order, w[p, 0])
    ranges = {p: n_x}
    return Derivation(
        key="logistic.gradient",
        title=Text(
            "Logistic regression: dw = (1/m) X (A − Y)ᵀ, db = (1/m) Σ (A − Y)",
            "逻辑回归：dw = (1/m) X (A − Y)ᵀ，db = (1/m) Σ (A − Y)",
        ),
        statement=Text(
            "For every n_x and m, with w an (n_x, 1) column and z⁽ᵏ⁾ = wᵀx⁽ᵏ⁾ + b: dw = ∂J/∂w = "
            "(1/m) X (A − Y)ᵀ, an (n_x, 1) column like w, and db = (1/m) Σ_k (a⁽ᵏ⁾ − y⁽ᵏ⁾). The network with "
            "one layer stores W[1] = wᵀ, a (1, n_x) row, and its dW[1] = (1/m)(A − Y) Xᵀ is dwᵀ.",
            "对任意 n_x 和 m，w 是 (n_x, 1) 的列向量，z⁽ᵏ⁾ = wᵀx⁽ᵏ⁾ + b，则 dw = ∂J/∂w = (1/m) X (A − Y)ᵀ，"
            "和 w 一样是 (n_x, 1) 的列向量；db = (1/m) Σ_k (a⁽ᵏ⁾ − y⁽ᵏ⁾)。只有一层的网络把权重存成 "
            "W[1] = wᵀ，即 (1, n_x) 的行向量，它的 dW[1] = (1/m)(A − Y) Xᵀ 正是 dwᵀ。",
        ),
        hypotheses=(
            Text(
                "A = σ(wᵀX + b) is (1, m), Y is (1, m) with labels in [0, 1], X is (n_x, m) with samples as columns.",
                "A = σ(wᵀX + b) 的维度是 (1, m)，Y 是 (1, m)、标签取值在 [0, 1]，X 是 (n_x, m)，每一列是一个样本。",
            ),
            Text(
                "J = (1/m) Σ_k ℒ(a⁽ᵏ⁾, y⁽ᵏ⁾) with the cross-entropy ℒ, so ∂ℒ/∂z = a − y (output.sigmoid_bce).",
                "J = (1/m) Σ_k ℒ(a⁽ᵏ⁾, y⁽ᵏ⁾)，ℒ 为交叉熵，因此 ∂ℒ/∂z = a − y（见 output.sigmoid_bce）。",
            ),
        ),
        steps=(
            Step(
                Text("One sample: z⁽ᵏ⁾ = wᵀx⁽ᵏ⁾ + b.", "单个样本：z⁽ᵏ⁾ = wᵀx⁽ᵏ⁾ + b。"),
                symbol("z⁽ᵏ⁾", "z^{(k)}"),
                z,
                meaning=z,
            ),
            Step(
                Text(
                    "Chain rule: w_p enters every z⁽ᵏ⁾ with slope x⁽ᵏ⁾_p.",
                    "链式法则：w_p 出现在每一个 z⁽ᵏ⁾ 里，斜率为 x⁽ᵏ⁾_p。",
                ),
                sp.Derivative(J, w[p, 0]),
                sp.Sum((A[0, k] - Y[0, k]) * X[p, k], (k, 0, m - 1)) / m,
                meaning=dw_meaning,
                proof=_proof(ranges),
            ),
            Step(
                Text("b enters every z⁽ᵏ⁾ with slope 1.", "b 出现在每一个 z⁽ᵏ⁾ 里，斜率为 1。"),
                sp.Derivative(J, b),
                sp.Sum(A[0, k] - Y[0, k], (k, 0, m - 1)) / m,
                meaning=sp.diff(first_order, b),
                proof=_proof({}),
            ),
            Step(
                Text(
                    "The network's W[1] = wᵀ is a (1, n_x) row; its dW[1] = (1/m)(A − Y) Xᵀ has dw_p at (0, p).",
                    "网络的 W[1] = wᵀ 是 (1, n_x) 的行向量；它的 dW[1] = (1/m)(A − Y) Xᵀ 在 (0, p) 处的元素就是 dw_p。",
                ),
                MatrixElement(matrix("dW[1]", "dW^{[1]}", 1, n_x), 0, p),
                MatrixElement((A_ - Y_) * X_.T, 0, p) / m,
                meaning=dw_meaning,
                proof=_proof(ranges),
            ),
        ),
        result=Step(
            Text(
                "In the course's matrix form (numpy: X @ (A - Y).T / m), an (n_x, 1) column like w.",
                "写成课程里的矩阵形式（numpy：X @ (A - Y).T / m），和 w 一样是 (n_x, 1) 的列向量。",
            ),
            matrix("dw", "dw", n_x, 1),
            sp.MatMul(1 / m, X_, sp.Transpose(A_ - Y_), evaluate=False),
            meaning=dw_meaning,
            proof=_proof(ranges, lambda rhs: rhs[p, 0]),
        ),
    )


#: The keys of :func:`derivations`, in its order (the registry lists them without building anything).
KEYS = ("logistic.gradient",)


def derivations() -> list[Derivation]:
    return [gradient()]
