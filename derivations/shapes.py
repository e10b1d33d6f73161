r"""Dimension rules from SymPy's shape algebra, for symbolic sizes.

Each quantity is a ``MatrixSymbol`` whose shape is a pair of symbols; the shape of every
product, sum and transpose is computed by SymPy's matrix-expression algebra. A product
whose inner sizes are not provably equal is rejected, so the rule "W[l] is
(n[l], n[l-1])" is forced by Z[l] = W[l] A[l-1] + b[l], not asserted by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .core import Derivation, Step, Text, is_zero, matrix, symbol

m = symbol("m", integer=True, positive=True)


class ShapeMismatch(ValueError):
    """Two shapes that a formula needs to agree cannot be proved equal."""


def _same(a: sp.Expr, b: sp.Expr) -> bool:
    return is_zero(sp.sympify(a) - sp.sympify(b))


def product(left: sp.MatrixExpr, right: sp.MatrixExpr) -> sp.MatrixExpr:
    """``left @ right``, only if left's columns provably equal right's rows."""
    if not _same(left.cols, right.rows):
        raise ShapeMismatch(f"{left} has {left.cols} columns but {right} has {right.rows} rows")
    return left * right


def entrywise(left: sp.MatrixExpr, right: sp.MatrixExpr) -> sp.MatrixExpr:
    """``left ⊙ right`` or ``left + right``: both shapes must agree."""
    if not (_same(left.rows, right.rows) and _same(left.cols, right.cols)):
        raise ShapeMismatch(f"{left} is {left.shape} but {right} is {right.shape}")
    return sp.HadamardProduct(left, right)


@dataclass(frozen=True)
class LayerShapes:
    """Shapes of one layer's quantities and of their gradients, as SymPy computed them."""

    W: tuple
    b: tuple
    Z: tuple
    A: tuple
    A_prev: tuple
    dW: tuple
    db: tuple
    dZ: tuple
    dA: tuple
    dA_prev: tuple


def layer(n: sp.Expr, n_prev: sp.Expr, A_prev: sp.MatrixExpr, l: int | str = "l") -> tuple[LayerShapes, sp.MatrixExpr]:
    """Push one layer through the shape algebra; returns its shapes and A[l] for the next layer."""
    W = matrix(f"W[{l}]", f"W^{{[{l}]}}", n, n_prev)
    b = matrix(f"b[{l}]", f"b^{{[{l}]}}", n, 1)
    Z = product(W, A_prev) + product(b, sp.OneMatrix(1, A_prev.cols))  # b broadcast over the m columns
    A = matrix(f"A[{l}]", f"A^{{[{l}]}}", *Z.shape)  # g acts entrywise: same shape as Z
    dA = matrix(f"dA[{l}]", f"dA^{{[{l}]}}", *A.shape)
    dZ = entrywise(dA, matrix(f"g'(Z[{l}])", f"g'(Z^{{[{l}]}})", *Z.shape))
    dW = product(dZ, A_prev.T) / A_prev.cols
    db = product(dZ, sp.OneMatrix(A_prev.cols, 1)) / A_prev.cols
    dA_prev = product(W.T, dZ)
    shapes = LayerShapes(
        W.shape,
        b.shape,
        Z.shape,
        A.shape,
        A_prev.shape,
        dW.shape,
        db.shape,
        dZ.shape,
        dA.shape,
        dA_prev.shape,
    )
    return shapes, A


def architecture_shapes(layer_dims: list, batch: sp.Expr = m) -> dict[int, LayerShapes]:
    """Shapes of every layer of ``[n0, n1, ..., nL]`` (ints or symbols) with ``batch`` samples."""
    A = matrix("A[0]", "A^{[0]}", layer_dims[0], batch)
    shapes = {}
    for l in range(1, len(layer_dims)):
        shapes[l], A = layer(layer_dims[l], layer_dims[l - 1], A, l)
    return shapes


#: The keys of :func:`derivations`, in its order (the registry lists them without building anything).
KEYS = ("shapes.layer",)


def derivations() -> list[Derivation]:
    n = symbol("n[l]", "n^{[l]}", integer=True, positive=True)
    n_prev = symbol("n[l-1]", "n^{[l-1]}", integer=True, positive=True)
    A_prev = matrix("A[l-1]", "A^{[l-1]}", n_prev, m)
    shapes, _ = layer(n, n_prev, A_prev)
    W = matrix("W[l]", "W^{[l]}", n, n_prev)
    fn = sp.Function("shape")

    def shape_of(text: str, tex: str, expr_shape: tuple, claim: tuple, note: Text) -> Step:
        return Step(
            note,
            fn(symbol(text, tex)),
            sp.Tuple(*claim),
            meaning=sp.Tuple(*expr_shape),
            proof=lambda meaning, rhs: all(_same(x, y) for x, y in zip(meaning, rhs, strict=True)),
        )

    undefined = symbol(
        Text("undefined for k ≠ n[l-1]", "当 k ≠ n[l-1] 时无定义"),
        Text(r"\text{undefined for } k \ne n^{[l-1]}", r"\text{当 } k \ne n^{[l-1]} \text{ 时无定义}"),
    )

    def mismatch_rejected(_, __) -> bool:
        try:
            product(W, matrix("X", "X", symbol("k"), m))
        except ShapeMismatch:
            return True
        return False

    steps = (
        shape_of(
            "Z[l]",
            "Z^{[l]}",
            shapes.Z,
            (n, m),
            Text(
                "W[l] A[l-1] is (n[l], n[l-1])(n[l-1], m) = (n[l], m); b[l] 1ᵀ broadcasts b over the m columns.",
                "W[l] A[l-1] 的维度是 (n[l], n[l-1])(n[l-1], m) = (n[l], m)；b[l] 1ᵀ 把 b 广播到 m 列上。",
            ),
        ),
        shape_of(
            "A[l]",
            "A^{[l]}",
            shapes.A,
            (n, m),
            Text("g acts entrywise, so A[l] has the shape of Z[l].", "g 逐元素作用，所以 A[l] 与 Z[l] 维度相同。"),
        ),
        Step(
            Text(
                "A product whose inner sizes differ is rejected: for X of shape (k, m), W[l] X has a shape "
                "only when X has n[l-1] rows.",
                "内侧维度不一致的矩阵乘法会被拒绝：X 的维度为 (k, m) 时，只有 X 有 n[l-1] 行，W[l] X 才有维度。",
            ),
            fn(symbol("W[l] X", "W^{[l]} X")),
            undefined,
            meaning=undefined,
            proof=mismatch_rejected,
        ),
        shape_of(
            "dZ[l]",
            "dZ^{[l]}",
            shapes.dZ,
            shapes.Z,
            Text("dZ = dA ⊙ g'(Z) has the shape of Z.", "dZ = dA ⊙ g'(Z) 与 Z 维度相同。"),
        ),
        shape_of(
            "dA[l-1]",
            "dA^{[l-1]}",
            shapes.dA_prev,
            shapes.A_prev,
            Text(
                "W[l]ᵀ dZ[l] is (n[l-1], n[l])(n[l], m): the shape of A[l-1].",
                "W[l]ᵀ dZ[l] 的维度是 (n[l-1], n[l])(n[l], m)：与 A[l-1] 相同。",
            ),
        ),
        shape_of(
            "dW[l]",
            "dW^{[l]}",
            shapes.dW,
            shapes.W,
            Text(
                "(1/m) dZ A[l-1]ᵀ is (n[l], m)(m, n[l-1]): the shape of W.",
                "(1/m) dZ A[l-1]ᵀ 的维度是 (n[l], m)(m, n[l-1])：与 W 相同。",
            ),
        ),
    )
    result = shape_of(
        "db[l]",
        "db^{[l]}",
        shapes.db,
        shapes.b,
        Text(
            "(1/m) dZ 1ₘ is (n[l], m)(m, 1): the shape of b. Every gradient has its variable's shape.",
            "(1/m) dZ 1ₘ 的维度是 (n[l], m)(m, 1)：与 b 相同。每个梯度的维度都与它对应的变量相同。",
        ),
    )
    return [
        Derivation(
            key="shapes.layer",
            title=Text(
                "Dimension rules: W[l] is (n[l], n[l-1]), and each gradient has its variable's shape",
                "维度规则：W[l] 是 (n[l], n[l-1])，每个梯度的维度都与它对应的变量相同",
            ),
            statement=Text(
                "For symbolic n[l], n[l-1] and m, SymPy's shape algebra gives the shape of every "
                "quantity of layer l; by induction from A[0] = X, which is (n[0], m), this holds for every "
                "layer of any architecture [n0, ..., nL].",
                "对符号维度 n[l]、n[l-1] 和 m，SymPy 的维度代数给出第 l 层每个量的维度；从维度为 (n[0], m) "
                "的 A[0] = X 出发归纳，这对任意结构 [n0, ..., nL] 的每一层都成立。",
            ),
            hypotheses=(
                Text(
                    "A[l-1] is (n[l-1], m); W[l] is (n[l], n[l-1]); b[l] is (n[l], 1).",
                    "A[l-1] 是 (n[l-1], m)；W[l] 是 (n[l], n[l-1])；b[l] 是 (n[l], 1)。",
                ),
            ),
            steps=steps,
            result=result,
        )
    ]
