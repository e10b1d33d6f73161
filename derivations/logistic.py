r"""Logistic regression in the course's notation: w is a column and z = wᵀx + b.

The course writes the weights of logistic regression as a column w of shape (n_x, 1); the
network of ``nn`` with L = 1 stores them as the row W[1] = wᵀ of shape (1, n_x). Both give the
same numbers: the course's dw is the network's dW[1] transposed.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from .core import Derivation, Step, indexed, matrix, symbol
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
        title="Logistic regression: dw = (1/m) X (A − Y)ᵀ, db = (1/m) Σ (A − Y)",
        statement="For every n_x and m, with w an (n_x, 1) column and z⁽ᵏ⁾ = wᵀx⁽ᵏ⁾ + b: dw = ∂J/∂w = "
        "(1/m) X (A − Y)ᵀ, an (n_x, 1) column like w, and db = (1/m) Σ_k (a⁽ᵏ⁾ − y⁽ᵏ⁾). The network with "
        "one layer stores W[1] = wᵀ, a (1, n_x) row, and its dW[1] = (1/m)(A − Y) Xᵀ is dwᵀ.",
        hypotheses=(
            "A = σ(wᵀX + b) is (1, m), Y is (1, m) with labels in [0, 1], X is (n_x, m) with samples as columns.",
            "J = (1/m) Σ_k ℒ(a⁽ᵏ⁾, y⁽ᵏ⁾) with the cross-entropy ℒ, so ∂ℒ/∂z = a − y (output.sigmoid_bce).",
        ),
        steps=(
            Step("One sample: z⁽ᵏ⁾ = wᵀx⁽ᵏ⁾ + b.", symbol("z⁽ᵏ⁾", "z^{(k)}"), z, meaning=z),
            Step(
                "Chain rule: w_p enters every z⁽ᵏ⁾ with slope x⁽ᵏ⁾_p.",
                sp.Derivative(J, w[p, 0]),
                sp.Sum((A[0, k] - Y[0, k]) * X[p, k], (k, 0, m - 1)) / m,
                meaning=dw_meaning,
                proof=_proof(ranges),
            ),
            Step(
                "b enters every z⁽ᵏ⁾ with slope 1.",
                sp.Derivative(J, b),
                sp.Sum(A[0, k] - Y[0, k], (k, 0, m - 1)) / m,
                meaning=sp.diff(first_order, b),
                proof=_proof({}),
            ),
            Step(
                "The network's W[1] = wᵀ is a (1, n_x) row; its dW[1] = (1/m)(A − Y) Xᵀ has dw_p at (0, p).",
                MatrixElement(matrix("dW[1]", "dW^{[1]}", 1, n_x), 0, p),
                MatrixElement((A_ - Y_) * X_.T, 0, p) / m,
                meaning=dw_meaning,
                proof=_proof(ranges),
            ),
        ),
        result=Step(
            "In the course's matrix form (numpy: X @ (A - Y).T / m), an (n_x, 1) column like w.",
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
