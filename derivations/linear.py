r"""The linear-layer rules, proved for symbolic sizes n[l], n[l-1] and m.

Every matrix is an ``IndexedBase`` whose sizes are symbols, so each proof holds for every
architecture and batch size at once, not for one 3×4 example. The chain rule enters
through the upstream gradient: J depends on W[l], b[l] and A[l-1] only through Z[l], so

\[ \frac{\partial J}{\partial W_{pq}} = \sum_{i,k} \frac{\partial J}{\partial Z_{ik}}
   \frac{\partial Z_{ik}}{\partial W_{pq}}, \qquad \frac{\partial J}{\partial Z_{ik}} = \frac{dZ_{ik}}{m}. \]

Differentiating the first-order term ``(1/m) Σ_ik dZ_ik Z_ik(W, b, A)`` with dZ held fixed is
exactly that sum, and SymPy does it with ``KroneckerDelta``. The matrix form of each result
is an entry of a ``MatrixSymbol`` product, which SymPy expands into the same indexed sum.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from . import activations
from .core import Derivation, Step, Text, central_difference, indexed, matrix, relative_error, symbol
from .indexed import collapsed, proof_for_all_indices

if TYPE_CHECKING:  # numpy runs only the numeric cross-checks; the browser's Pyodide has none
    import numpy as np

n = symbol("n[l]", "n^{[l]}", integer=True, positive=True)
n_prev = symbol("n[l-1]", "n^{[l-1]}", integer=True, positive=True)
m = symbol("m", integer=True, positive=True)
i, j, k = sp.symbols("i j k", integer=True, nonnegative=True)
p, q = sp.symbols("p q", integer=True, nonnegative=True)
J = symbol("J")

W, b = indexed("W[l]", "W^{[l]}"), indexed("b[l]", "b^{[l]}")
A_prev, dZ = indexed("A[l-1]", "A^{[l-1]}"), indexed("dZ[l]", "dZ^{[l]}")
Z_entry = sp.Sum(W[i, j] * A_prev[j, k], (j, 0, n_prev - 1)) + b[i]
first_order_J = sp.Sum(dZ[i, k] * Z_entry, (i, 0, n - 1), (k, 0, m - 1)) / m

W_ = matrix("W[l]", "W^{[l]}", n, n_prev)
A_prev_ = matrix("A[l-1]", "A^{[l-1]}", n_prev, m)
dZ_ = matrix("dZ[l]", "dZ^{[l]}", n, m)
ones_m = sp.OneMatrix(m, 1)

HYPOTHESES = (
    Text(
        "Z[l] = W[l] A[l-1] + b[l], with b[l] added to each of the m columns.",
        "Z[l] = W[l] A[l-1] + b[l]，b[l] 加到 m 列中的每一列上。",
    ),
    Text(
        "J depends on W[l], b[l] and A[l-1] only through Z[l] (chain rule).",
        "J 只通过 Z[l] 依赖于 W[l]、b[l] 和 A[l-1]（链式法则）。",
    ),
    Text(
        "dZ[l] = m ∂J/∂Z[l] and dA = m ∂J/∂A are per-sample gradients; dW and db are gradients of J itself.",
        "dZ[l] = m ∂J/∂Z[l] 和 dA = m ∂J/∂A 是逐样本梯度；dW 和 db 则是 J 本身的梯度。",
    ),
    Text(
        "The sizes n[l], n[l-1], m are arbitrary positive integers; indices p, q range over them.",
        "维度 n[l]、n[l-1]、m 是任意正整数；下标 p、q 在相应的范围内取值。",
    ),
)


def _matrix_form(code: str) -> Text:
    """The note of a result written as a matrix product, with the numpy line that computes it."""
    return Text(f"In matrix form (numpy: {code}).", f"写成矩阵形式（numpy：{code}）。")


def _definition() -> Step:
    return Step(
        Text("An entry of Z[l], for sample k.", "Z[l] 中样本 k 的一个元素。"),
        indexed("Z[l]", "Z^{[l]}")[i, k],
        Z_entry,
        meaning=Z_entry,
    )


def _chain(target: sp.Indexed, scale: sp.Expr, shown: sp.Basic, ranges: dict, survive: str) -> tuple[sp.Expr, Step]:
    """Differentiate the first-order J with respect to one entry; SymPy collapses the deltas.

    ``survive`` names the terms the deltas keep, as "i = p, j = q": which indices of Z[l]'s entry
    are pinned depends on the entry (tests/test_derivations.py holds it to SymPy's deltas)."""
    derived = scale * sp.diff(first_order_J, target)
    step = Step(
        Text(
            f"Chain rule through every Z[l] entry; only the terms with {survive} survive.",
            f"对 Z[l] 的每个元素用链式法则；只有 {survive.replace(', ', '、')} 的项留下来。",
        ),
        shown,
        collapsed(derived, ranges),
        meaning=derived,
        proof=proof_for_all_indices(ranges),
    )
    return derived, step


def _numeric_linear(rule: str):
    """Finite differences of a real, non-linear J = (1/m) Σ sin(Z) against the matrix rule."""

    def check(rng: np.random.Generator) -> float:
        import numpy as np

        n_, n_prev_, m_ = 3, 4, 5
        W0, b0, A0 = rng.normal(size=(n_, n_prev_)), rng.normal(size=(n_, 1)), rng.normal(size=(n_prev_, m_))

        def cost(W1, b1, A1):
            return np.sum(np.sin(W1 @ A1 + b1)) / m_

        dZ0 = np.cos(W0 @ A0 + b0)  # m ∂J/∂Z for this J
        if rule == "dW":
            return relative_error(central_difference(lambda W: cost(W, b0, A0), W0), dZ0 @ A0.T / m_)
        if rule == "db":
            return relative_error(
                central_difference(lambda b: cost(W0, b, A0), b0), dZ0.sum(axis=1, keepdims=True) / m_
            )
        return relative_error(m_ * central_difference(lambda A: cost(W0, b0, A), A0), W0.T @ dZ0)

    return check


def dW() -> Derivation:
    ranges = {p: n, q: n_prev}
    derived, chain = _chain(W[p, q], 1, sp.Derivative(J, W[p, q]), ranges, "i = p, j = q")
    matrix_form = Step(
        Text(
            "Recognise the entry (p, q) of a matrix product with A[l-1] transposed.",
            "可以看出，这正是矩阵乘积 dZ[l] A[l-1]ᵀ 的 (p, q) 元素。",
        ),
        sp.Derivative(J, W[p, q]),
        MatrixElement(dZ_ * A_prev_.T, p, q) / m,
        meaning=derived,
        proof=proof_for_all_indices(ranges),
    )
    return Derivation(
        key="linear.dW",
        title=Text("Linear layer: dW[l] = (1/m) dZ[l] A[l-1]ᵀ", "线性层：dW[l] = (1/m) dZ[l] A[l-1]ᵀ"),
        statement=Text(
            "For every n[l], n[l-1] and m: ∂J/∂W[l] = (1/m) dZ[l] A[l-1]ᵀ.",
            "对任意 n[l]、n[l-1] 和 m：∂J/∂W[l] = (1/m) dZ[l] A[l-1]ᵀ。",
        ),
        hypotheses=HYPOTHESES,
        steps=(_definition(), chain, matrix_form),
        result=Step(
            _matrix_form("dZ @ A_prev.T / m"),
            matrix("dW[l]", "dW^{[l]}", n, n_prev),
            dZ_ * A_prev_.T / m,
            meaning=derived,
            proof=lambda meaning, rhs: proof_for_all_indices(ranges)(meaning, rhs[p, q]),
        ),
        numeric=_numeric_linear("dW"),
    )


def db() -> Derivation:
    ranges = {p: n}
    derived, chain = _chain(b[p], 1, sp.Derivative(J, b[p]), ranges, "i = p")
    return Derivation(
        key="linear.db",
        title=Text(
            "Linear layer: db[l] = (1/m) Σ over columns of dZ[l]",
            "线性层：db[l] = (1/m) 乘以 dZ[l] 各列之和",
        ),
        statement=Text(
            "For every n[l] and m: ∂J/∂b[l] = (1/m) dZ[l] 1ₘ, the row sums of dZ[l] "
            "(numpy: np.sum(dZ, axis=1, keepdims=True) / m, an (n[l], 1) column).",
            "对任意 n[l] 和 m：∂J/∂b[l] = (1/m) dZ[l] 1ₘ，即 dZ[l] 每一行的和"
            "（numpy：np.sum(dZ, axis=1, keepdims=True) / m，是一个 (n[l], 1) 的列向量）。",
        ),
        hypotheses=HYPOTHESES,
        steps=(_definition(), chain),
        result=Step(
            Text("In matrix form: multiply by a column of m ones.", "写成矩阵形式：右乘一个由 m 个 1 组成的列向量。"),
            matrix("db[l]", "db^{[l]}", n, 1),
            dZ_ * ones_m / m,
            meaning=derived,
            proof=lambda meaning, rhs: proof_for_all_indices(ranges)(meaning, rhs[p, 0]),
        ),
        numeric=_numeric_linear("db"),
    )


def dA_prev() -> Derivation:
    ranges = {p: n_prev, q: m}
    derived, chain = _chain(A_prev[p, q], m, m * sp.Derivative(J, A_prev[p, q]), ranges, "j = p, k = q")
    return Derivation(
        key="linear.dA_prev",
        title=Text("Linear layer: dA[l-1] = W[l]ᵀ dZ[l]", "线性层：dA[l-1] = W[l]ᵀ dZ[l]"),
        statement=Text(
            "For every n[l], n[l-1] and m: dA[l-1] = m ∂J/∂A[l-1] = W[l]ᵀ dZ[l] (no 1/m: it is per sample).",
            "对任意 n[l]、n[l-1] 和 m：dA[l-1] = m ∂J/∂A[l-1] = W[l]ᵀ dZ[l]（没有 1/m：它是逐样本梯度）。",
        ),
        hypotheses=HYPOTHESES,
        steps=(_definition(), chain),
        result=Step(
            _matrix_form("W.T @ dZ"),
            matrix("dA[l-1]", "dA^{[l-1]}", n_prev, m),
            W_.T * dZ_,
            meaning=derived,
            proof=lambda meaning, rhs: proof_for_all_indices(ranges)(meaning, rhs[p, q]),
        ),
        numeric=_numeric_linear("dA_prev"),
    )


def dZ_rule() -> Derivation:
    g = sp.Function("g")
    symbol("g", "g")
    Z, dA = indexed("Z[l]", "Z^{[l]}"), indexed("dA[l]", "dA^{[l]}")
    J_first_order = sp.Sum(dA[i, k] * g(Z[i, k]), (i, 0, n - 1), (k, 0, m - 1)) / m
    ranges = {p: n, q: m}
    derived = m * sp.diff(J_first_order, Z[p, q])
    x = sp.Symbol("x")
    g_prime_at = sp.Subs(sp.Derivative(g(x), x), x, Z[p, q])

    def numeric(rng: np.random.Generator) -> float:
        """With g = tanh and J = (1/m) Σ dA ⊙ tanh(Z), so that m ∂J/∂A = dA."""
        import numpy as np

        Z0, dA0 = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
        fd = central_difference(lambda Z: np.sum(dA0 * np.tanh(Z)), Z0)
        return relative_error(fd, dA0 * (1 - np.tanh(Z0) ** 2))

    return Derivation(
        key="linear.dZ",
        title=Text("Activation layer: dZ[l] = dA[l] ⊙ g'(Z[l])", "激活层：dZ[l] = dA[l] ⊙ g'(Z[l])"),
        statement=Text(
            "For every n[l] and m, and any differentiable g applied entrywise: dZ[l] = dA[l] ⊙ g'(Z[l]). "
            "The product is entrywise because A_ik depends on Z_ik alone.",
            "对任意 n[l] 和 m，以及任何逐元素作用的可导函数 g：dZ[l] = dA[l] ⊙ g'(Z[l])。"
            "这里是逐元素乘，因为 A_ik 只依赖于 Z_ik。",
        ),
        hypotheses=(
            Text("A[l] = g(Z[l]) entrywise.", "A[l] = g(Z[l])，g 逐元素作用。"),
            Text(
                "J depends on Z[l] only through A[l]; dA[l] = m ∂J/∂A[l].",
                "J 只通过 A[l] 依赖于 Z[l]；dA[l] = m ∂J/∂A[l]。",
            ),
        ),
        steps=(
            Step(
                Text(
                    "Chain rule through every A[l] entry; only i = p, k = q survives.",
                    "对 A[l] 的每个元素用链式法则；只有 i = p、k = q 的项留下来。",
                ),
                m * sp.Derivative(J, Z[p, q]),
                dA[p, q] * g_prime_at,
                meaning=derived,
                proof=proof_for_all_indices(ranges),
            ),
        ),
        result=Step(
            _matrix_form("dA * g.derivative(Z)"),
            matrix("dZ[l]", "dZ^{[l]}", n, m),
            sp.HadamardProduct(matrix("dA[l]", "dA^{[l]}", n, m), matrix("g'(Z[l])", "g'(Z^{[l]})", n, m)),
            meaning=derived,
            proof=lambda meaning, _: proof_for_all_indices(ranges)(meaning, dA[p, q] * g_prime_at),
        ),
        numeric=numeric,
    )


def chain_tanh() -> Derivation:
    n1, n2 = (
        symbol("n[1]", "n^{[1]}", integer=True, positive=True),
        symbol("n[2]", "n^{[2]}", integer=True, positive=True),
    )
    W2, b2 = indexed("W[2]", "W^{[2]}"), indexed("b[2]", "b^{[2]}")
    Z1, dZ2, A1 = indexed("Z[1]", "Z^{[1]}"), indexed("dZ[2]", "dZ^{[2]}"), indexed("A[1]", "A^{[1]}")
    Z2_entry = sp.Sum(W2[i, j] * sp.tanh(Z1[j, k]), (j, 0, n1 - 1)) + b2[i]
    J2 = sp.Sum(dZ2[i, k] * Z2_entry, (i, 0, n2 - 1), (k, 0, m - 1)) / m
    ranges = {p: n1, q: m}
    derived = m * sp.diff(J2, Z1[p, q])
    W2_, dZ2_, A1_ = (
        matrix("W[2]", "W^{[2]}", n2, n1),
        matrix("dZ[2]", "dZ^{[2]}", n2, m),
        matrix("A[1]", "A^{[1]}", n1, m),
    )
    tanh_prime = activations.get("tanh").derivative_in_output.subs(activations.a, A1[p, q])
    in_A1 = MatrixElement(W2_.T * dZ2_, p, q) * tanh_prime

    def with_A1(meaning, rhs):
        return proof_for_all_indices(ranges)(meaning, rhs.subs(A1[p, q], sp.tanh(Z1[p, q])))

    def numeric(rng: np.random.Generator) -> float:
        """With J = (1/m) Σ dZ2 ⊙ (W2 tanh(Z1)), so that m ∂J/∂Z2 = dZ2."""
        import numpy as np

        W2_0, Z1_0, dZ2_0 = rng.normal(size=(2, 3)), rng.normal(size=(3, 4)), rng.normal(size=(2, 4))
        fd = central_difference(lambda Z1: np.sum(dZ2_0 * (W2_0 @ np.tanh(Z1))), Z1_0)
        return relative_error(fd, (W2_0.T @ dZ2_0) * (1 - np.tanh(Z1_0) ** 2))

    return Derivation(
        key="linear.chain_tanh",
        title=Text(
            "Two layers: dZ[1] = W[2]ᵀ dZ[2] ⊙ (1 − A[1]²)",
            "两层网络：dZ[1] = W[2]ᵀ dZ[2] ⊙ (1 − A[1]²)",
        ),
        statement=Text(
            "For a tanh hidden layer and any n[1], n[2], m, the posts' and the course's line "
            "`dZ1 = W2.T @ dZ2 * (1 - A1**2)` is the chain rule through Z[2] = W[2] tanh(Z[1]) + b[2].",
            "隐藏层用 tanh 时，对任意 n[1]、n[2]、m，文章和课程里的那行 `dZ1 = W2.T @ dZ2 * (1 - A1**2)` "
            "正是经过 Z[2] = W[2] tanh(Z[1]) + b[2] 的链式法则。",
        ),
        hypotheses=(
            Text(
                "A[1] = tanh(Z[1]); Z[2] = W[2] A[1] + b[2].",
                "隐藏层 A[1] = tanh(Z[1])；输出层 Z[2] = W[2] A[1] + b[2]。",
            ),
            Text("dZ[2] = m ∂J/∂Z[2], e.g. A[2] − Y.", "dZ[2] = m ∂J/∂Z[2]，例如 A[2] − Y。"),
        ),
        steps=(
            Step(
                Text("An entry of Z[2] as a function of Z[1].", "Z[2] 的一个元素，写成 Z[1] 的函数。"),
                indexed("Z[2]", "Z^{[2]}")[i, k],
                Z2_entry,
                meaning=Z2_entry,
            ),
            Step(
                Text("Chain rule through every Z[2] entry.", "对 Z[2] 的每个元素用链式法则。"),
                m * sp.Derivative(J, Z1[p, q]),
                MatrixElement(W2_.T * dZ2_, p, q) * activations.get("tanh").derivative.subs(activations.z, Z1[p, q]),
                meaning=derived,
                proof=proof_for_all_indices(ranges),
            ),
            Step(
                Text(
                    "tanh' = 1 − tanh², and tanh(Z[1]) is the cached A[1].",
                    "tanh' = 1 − tanh²，而 tanh(Z[1]) 就是缓存的 A[1]。",
                ),
                m * sp.Derivative(J, Z1[p, q]),
                in_A1,
                meaning=derived,
                proof=with_A1,
            ),
        ),
        result=Step(
            _matrix_form("`W2.T @ dZ2 * (1 - A1**2)`"),
            matrix("dZ[1]", "dZ^{[1]}", n1, m),
            sp.HadamardProduct(W2_.T * dZ2_, sp.OneMatrix(n1, m) - sp.HadamardPower(A1_, 2)),
            meaning=derived,
            proof=lambda meaning, _: with_A1(meaning, in_A1),
        ),
        numeric=numeric,
    )


#: The keys of :func:`derivations`, in its order (the registry lists them without building anything).
KEYS = ("linear.dW", "linear.db", "linear.dA_prev", "linear.dZ", "linear.chain_tanh")


def derivations() -> list[Derivation]:
    return [dW(), db(), dA_prev(), dZ_rule(), chain_tanh()]
