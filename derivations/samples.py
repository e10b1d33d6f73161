r"""One sample against m samples: the course's two columns of gradients, for symbolic sizes.

For one sample the gradients are those of its loss ℒ: a column z[l], a[l], dz[l] per layer.
For m samples, J = (1/m) Σ_k ℒ⁽ᵏ⁾ and the columns of Z[l] are the samples. Column k of Z[l]
reaches J only through ℒ⁽ᵏ⁾, so ∂J/∂Z[:, k] = (1/m) ∂ℒ⁽ᵏ⁾/∂z⁽ᵏ⁾: that is where the factor m
in dZ = m ∂J/∂Z comes from, and why dW and db are averages of the one-sample ones.

The chain rule enters as in ``derivations.linear``: a loss that depends on W[l], b[l] and
a[l-1] only through z[l] has the same first derivatives as its first-order term
Σ_i dz_i z_i(W, b, a) with dz held fixed.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from . import activations, output
from .core import Derivation, Step, Text, indexed, matrix, symbol
from .indexed import equal_for_all_indices, proof_for_all_indices, to_indexed

n = symbol("n[l]", "n^{[l]}", integer=True, positive=True)
n_prev = symbol("n[l-1]", "n^{[l-1]}", integer=True, positive=True)
m = symbol("m", integer=True, positive=True)
i, j, k = sp.symbols("i j k", integer=True, nonnegative=True)
p, q = sp.symbols("p q", integer=True, nonnegative=True)
loss = symbol("ℒ", r"\mathcal{L}")
J = symbol("J")
x = sp.Symbol("x")
g = sp.Function("g")

# One sample: columns, indexed [row, 0] so that entries of matrix products expand to the same names.
W, b = indexed("W[l]", "W^{[l]}"), indexed("b[l]", "b^{[l]}")
a_prev, dz = indexed("a[l-1]", "a^{[l-1]}"), indexed("dz[l]", "dz^{[l]}")
z_prev = indexed("z[l-1]", "z^{[l-1]}")
W_ = matrix("W[l]", "W^{[l]}", n, n_prev)
a_prev_, dz_ = matrix("a[l-1]", "a^{[l-1]}", n_prev, 1), matrix("dz[l]", "dz^{[l]}", n, 1)

# m samples: the same names in capitals, one column per sample.
A_prev, dZ = indexed("A[l-1]", "A^{[l-1]}"), indexed("dZ[l]", "dZ^{[l]}")
A_prev_, dZ_ = matrix("A[l-1]", "A^{[l-1]}", n_prev, m), matrix("dZ[l]", "dZ^{[l]}", n, m)


def _z_entry(a: sp.IndexedBase, column: sp.Expr) -> sp.Expr:
    return sp.Sum(W[i, j] * a[j, column], (j, 0, n_prev - 1)) + b[i]


def _first_order(d: sp.IndexedBase, a: sp.IndexedBase, samples: sp.Expr) -> sp.Expr:
    """Σ_k Σ_i d_ik z_ik(W, b, a): the part of the loss that carries its first derivatives."""
    return sp.Sum(d[i, k] * _z_entry(a, k), (i, 0, n - 1), (k, 0, samples - 1))


def _entry_proof(ranges: dict, entry):
    """Prove a matrix-valued claim through its entry ``entry(rhs)``, for every index in ``ranges``."""
    return lambda meaning, rhs: proof_for_all_indices(ranges)(meaning, entry(rhs))


def single() -> Derivation:
    r"""The one-sample gradients: dz[L] = a[L] − y, dW = dz aᵀ, db = dz, dz[l-1] = W ᵀdz ⊙ g'(z[l-1])."""
    one = _first_order(dz, a_prev, 1)
    dW_meaning = sp.diff(one, W[p, q])
    db_meaning = sp.diff(one, b[p])
    # dz[l-1]: the loss reaches z[l-1] through a[l-1] = g(z[l-1]) inside z[l].
    through_g = sp.Sum(dz[i, 0] * (sp.Sum(W[i, j] * g(z_prev[j, 0]), (j, 0, n_prev - 1)) + b[i]), (i, 0, n - 1))
    dz_prev_meaning = sp.diff(through_g, z_prev[p, 0])
    g_prime = sp.Subs(sp.Derivative(g(x), x), x, z_prev[p, 0])
    g_prime_ = matrix("g'(z[l-1])", "g'(z^{[l-1]})", n_prev, 1)
    output_delta = output.sigmoid_bce().result
    a_L = symbol("a[L]", "a^{[L]}", real=True)
    return Derivation(
        key="samples.single",
        title=Text(
            "One sample: dz[L] = a[L] − y, dW[l] = dz[l] a[l-1]ᵀ, db[l] = dz[l]",
            "单个样本：dz[L] = a[L] − y，dW[l] = dz[l] a[l-1]ᵀ，db[l] = dz[l]",
        ),
        statement=Text(
            "For one sample (a column x), the gradients of its loss ℒ, for every n[l] and n[l-1]: "
            "dz[L] = a[L] − y, dW[l] = dz[l] a[l-1]ᵀ, db[l] = dz[l], dz[l-1] = W[l]ᵀ dz[l] ⊙ g'(z[l-1]). "
            "Here every d· is ∂ℒ/∂·, with no 1/m.",
            "对单个样本（一列 x），无论 n[l] 和 n[l-1] 取何值，其损失 ℒ 的梯度都是："
            "dz[L] = a[L] − y，dW[l] = dz[l] a[l-1]ᵀ，db[l] = dz[l]，dz[l-1] = W[l]ᵀ dz[l] ⊙ g'(z[l-1])。"
            "这里每个 d· 都表示 ∂ℒ/∂·，不带 1/m。",
        ),
        hypotheses=(
            Text(
                "z[l] = W[l] a[l-1] + b[l] and a[l] = g(z[l]) for one sample; W[l] is (n[l], n[l-1]).",
                "对单个样本，z[l] = W[l] a[l-1] + b[l]，a[l] = g(z[l])；W[l] 的维度是 (n[l], n[l-1])。",
            ),
            Text(
                "ℒ depends on W[l], b[l] and a[l-1] only through z[l]; dz[l] = ∂ℒ/∂z[l] is an (n[l], 1) column.",
                "ℒ 只通过 z[l] 依赖 W[l]、b[l] 和 a[l-1]；dz[l] = ∂ℒ/∂z[l] 是 (n[l], 1) 的列向量。",
            ),
            Text(
                "The output layer is a sigmoid with cross-entropy loss.",
                "输出层用 sigmoid，损失函数为交叉熵。",
            ),
        ),
        steps=(
            Step(
                Text(
                    "Output layer, with a[L] = σ(z[L]) in the a of output.sigmoid_bce: dz[L] = a[L] − y.",
                    "输出层：以 a[L] = σ(z[L]) 作为 output.sigmoid_bce 中的 a，得 dz[L] = a[L] − y。",
                ),
                symbol("dz[L]", "dz^{[L]}"),
                a_L - output.y,
                meaning=output_delta.meaning,
                proof=lambda meaning, rhs: output_delta.proof(meaning, rhs.subs(a_L, output.a)),
            ),
            Step(
                Text(
                    "Chain rule through every entry of z[l]: only z_p depends on W_pq.",
                    "对 z[l] 的每个元素用链式法则：只有 z_p 依赖 W_pq。",
                ),
                sp.Derivative(loss, W[p, q]),
                MatrixElement(dz_ * a_prev_.T, p, q),
                meaning=dW_meaning,
                proof=proof_for_all_indices({p: n, q: n_prev}),
            ),
            Step(
                Text(
                    "Only z_p depends on b_p, with slope 1: db[l] = dz[l].",
                    "只有 z_p 依赖 b_p，且斜率为 1：db[l] = dz[l]。",
                ),
                matrix("db[l]", "db^{[l]}", n, 1),
                dz_,
                meaning=db_meaning,
                proof=_entry_proof({p: n}, lambda rhs: rhs[p, 0]),
            ),
            Step(
                Text(
                    "Back one layer: every z_i depends on z[l-1]_p through a[l-1]_p = g(z[l-1]_p), so entry p is "
                    "(W[l]ᵀ dz[l])_p g'(z[l-1]_p).",
                    "再往回一层：每个 z_i 都通过 a[l-1]_p = g(z[l-1]_p) 依赖 z[l-1]_p，"
                    "所以第 p 个元素是 (W[l]ᵀ dz[l])_p g'(z[l-1]_p)。",
                ),
                matrix("dz[l-1]", "dz^{[l-1]}", n_prev, 1),
                sp.HadamardProduct(W_.T * dz_, g_prime_),
                meaning=dz_prev_meaning,
                proof=_entry_proof({p: n_prev}, lambda rhs: rhs[p, 0].subs(g_prime_[p, 0], g_prime)),
            ),
        ),
        result=Step(
            Text(
                "In matrix form (numpy: dz @ a_prev.T, an outer product).",
                "写成矩阵形式（numpy：dz @ a_prev.T，即外积）。",
            ),
            matrix("dW[l]", "dW^{[l]}", n, n_prev),
            dz_ * a_prev_.T,
            meaning=dW_meaning,
            proof=_entry_proof({p: n, q: n_prev}, lambda rhs: rhs[p, q]),
        ),
    )


def batch_average() -> Derivation:
    r"""m samples: dZ = m ∂J/∂Z holds the one-sample dz as columns, and dW, db are their averages."""
    ell, Z, Y = sp.Function("ℓ"), indexed("Z[l]", "Z^{[l]}"), indexed("Y", "Y")
    symbol("ℓ", r"\ell")
    per_sample = sp.Sum(ell(Z[i, k], Y[i, k]), (i, 0, n - 1))
    cost = sp.Sum(per_sample, (k, 0, m - 1)) / m
    column_q = sp.Sum(ell(Z[i, q], Y[i, q]), (i, 0, n - 1))
    batch = _first_order(dZ, A_prev, m) / m
    dW_meaning, db_meaning = sp.diff(batch, W[p, q]), sp.diff(batch, b[p])
    dA_meaning = m * sp.diff(batch, A_prev[p, q])
    average_dW = sp.Sum(dZ[p, k] * A_prev[q, k], (k, 0, m - 1)) / m
    sigmoid = activations.get("sigmoid").expr.subs(activations.z, Z[p, q])
    bce = -(Y[i, k] * sp.log(activations.get("sigmoid").expr.subs(activations.z, Z[i, k])))
    bce -= (1 - Y[i, k]) * sp.log(1 - activations.get("sigmoid").expr.subs(activations.z, Z[i, k]))
    A_L = indexed("A[L]", "A^{[L]}")
    bce_cost = sp.Sum(bce, (i, 0, n - 1), (k, 0, m - 1)) / m
    Z_next, W_next, b_next = (
        indexed("Z[l+1]", "Z^{[l+1]}"),
        indexed("W[l+1]", "W^{[l+1]}"),
        indexed("b[l+1]", "b^{[l+1]}"),
    )
    symbol("g'", "g'")
    g_prime = sp.Function("g'")
    return Derivation(
        key="samples.batch_average",
        title=Text(
            "m samples: dZ = m ∂J/∂Z, and dW, db average the one-sample gradients",
            "m 个样本：dZ = m ∂J/∂Z，dW 和 db 是单样本梯度的平均",
        ),
        statement=Text(
            "For every n[l], n[l-1] and m: column k of Z[l] reaches J = (1/m) Σ_k ℒ⁽ᵏ⁾ only through "
            "ℒ⁽ᵏ⁾, so ∂J/∂Z[l] = (1/m) [dz⁽¹⁾ … dz⁽ᵐ⁾]. Calling dZ[l] the matrix of one-sample dz columns, "
            "dW[l] = (1/m) Σ_k dz⁽ᵏ⁾ a[l-1]⁽ᵏ⁾ᵀ = (1/m) dZ[l] A[l-1]ᵀ and db[l] = (1/m) Σ_k dz⁽ᵏ⁾; "
            "dA[l-1] = W[l]ᵀ dZ[l] has no 1/m. Folding the 1/m into dZ instead gives the same dW and db.",
            "对任意 n[l]、n[l-1] 和 m：Z[l] 的第 k 列只通过 ℒ⁽ᵏ⁾ 影响 J = (1/m) Σ_k ℒ⁽ᵏ⁾，"
            "所以 ∂J/∂Z[l] = (1/m) [dz⁽¹⁾ … dz⁽ᵐ⁾]。把各样本的 dz 按列排成的矩阵记作 dZ[l]，则 "
            "dW[l] = (1/m) Σ_k dz⁽ᵏ⁾ a[l-1]⁽ᵏ⁾ᵀ = (1/m) dZ[l] A[l-1]ᵀ，db[l] = (1/m) Σ_k dz⁽ᵏ⁾；"
            "而 dA[l-1] = W[l]ᵀ dZ[l] 不带 1/m。如果改把 1/m 并入 dZ，得到的 dW 和 db 不变。",
        ),
        hypotheses=(
            Text(
                "J = (1/m) Σ_k ℒ⁽ᵏ⁾. At the output layer ℒ⁽ᵏ⁾ = Σ_i ℓ(Z_ik, Y_ik) depends on column k alone (a "
                "loss summed over output units, such as cross-entropy on sigmoid units or square error): steps 1–2 "
                "model that layer. At a hidden layer l, column k of Z[l] reaches J only through the columns k of the "
                "layers above it, which step 8 proves, one layer at a time.",
                "J = (1/m) Σ_k ℒ⁽ᵏ⁾。在输出层，ℒ⁽ᵏ⁾ = Σ_i ℓ(Z_ik, Y_ik) 只依赖第 k 列"
                "（即对各输出单元求和的损失，例如 sigmoid 单元上的交叉熵或平方误差）：第 1–2 步针对的就是这一层。"
                "在隐藏层 l，Z[l] 的第 k 列只通过上面各层的第 k 列影响 J，这由第 8 步逐层证明。",
            ),
            Text(
                "Z[l] = W[l] A[l-1] + b[l]; J depends on W[l], b[l], A[l-1] only through Z[l].",
                "Z[l] = W[l] A[l-1] + b[l]；J 只通过 Z[l] 依赖 W[l]、b[l]、A[l-1]。",
            ),
            Text(
                "dZ[l] = m ∂J/∂Z[l], whose column k is the one-sample dz⁽ᵏ⁾ (step 2).",
                "dZ[l] = m ∂J/∂Z[l]，它的第 k 列就是单样本的 dz⁽ᵏ⁾（见第 2 步）。",
            ),
        ),
        steps=(
            Step(
                Text("The cost is the mean of the per-sample losses.", "代价函数是各样本损失的平均值。"),
                J,
                cost,
                meaning=cost,
            ),
            Step(
                Text(
                    "Only sample q's loss depends on column q of Z: m ∂J/∂Z_pq is the one-sample dz_p of sample q.",
                    "只有第 q 个样本的损失依赖 Z 的第 q 列：m ∂J/∂Z_pq 就是第 q 个样本的单样本梯度 dz_p。",
                ),
                m * sp.Derivative(J, Z[p, q]),
                sp.Derivative(column_q, Z[p, q]),
                meaning=m * sp.diff(cost, Z[p, q]),
                proof=proof_for_all_indices({p: n, q: m}),
            ),
            Step(
                Text(
                    "Output layer with sigmoid units and cross-entropy: column by column, dZ[L] = A[L] − Y.",
                    "输出层为 sigmoid 单元、损失为交叉熵：逐列计算，得 dZ[L] = A[L] − Y。",
                ),
                matrix("dZ[L]", "dZ^{[L]}", n, m),
                matrix("A[L]", "A^{[L]}", n, m) - matrix("Y", "Y", n, m),
                meaning=m * sp.diff(bce_cost, Z[p, q]),
                proof=_entry_proof({p: n, q: m}, lambda rhs: to_indexed(rhs[p, q]).subs(A_L[p, q], sigmoid)),
            ),
            Step(
                Text(
                    "dW[l] is the average over the samples of the one-sample dW[l] = dz a[l-1]ᵀ.",
                    "dW[l] 是单样本 dW[l] = dz a[l-1]ᵀ 在所有样本上的平均。",
                ),
                sp.Derivative(J, W[p, q]),
                average_dW,
                meaning=dW_meaning,
                proof=proof_for_all_indices({p: n, q: n_prev}),
            ),
            Step(
                Text(
                    "db[l] is the average of the one-sample db[l] = dz: the row sums of dZ[l], over m.",
                    "db[l] 是单样本 db[l] = dz 的平均：dZ[l] 每一行的和除以 m。",
                ),
                matrix("db[l]", "db^{[l]}", n, 1),
                dZ_ * sp.OneMatrix(m, 1) / m,
                meaning=db_meaning,
                proof=_entry_proof({p: n}, lambda rhs: rhs[p, 0]),
            ),
            Step(
                Text(
                    "dA[l-1] = m ∂J/∂A[l-1] = W[l]ᵀ dZ[l]: column q is the one-sample W[l]ᵀ dz⁽q⁾, no 1/m and no sum.",
                    "dA[l-1] = m ∂J/∂A[l-1] = W[l]ᵀ dZ[l]：第 q 列就是单样本的 W[l]ᵀ dz⁽q⁾，既没有 1/m，也不求和。",
                ),
                matrix("dA[l-1]", "dA^{[l-1]}", n_prev, m),
                W_.T * dZ_,
                meaning=dA_meaning,
                proof=_entry_proof({p: n_prev, q: m}, lambda rhs: rhs[p, q]),
            ),
            Step(
                Text(
                    "The other convention: dZ' = ∂J/∂Z = dZ/m (the 1/m folded into dZ) "
                    "gives the same dW as dZ' A[l-1]ᵀ.",
                    "另一种约定：dZ' = ∂J/∂Z = dZ/m（把 1/m 并入 dZ），由 dZ' A[l-1]ᵀ 得到的 dW 完全相同。",
                ),
                sp.Derivative(J, W[p, q]),
                MatrixElement((dZ_ / m) * A_prev_.T, p, q),
                meaning=dW_meaning,
                proof=proof_for_all_indices({p: n, q: n_prev}),
            ),
            Step(
                Text(
                    "A hidden layer keeps the columns apart: Z[l+1] = W[l+1] g(Z[l]) + b[l+1], so entry (i, k) of "
                    "Z[l+1] depends on Z[l]_pq only when k = q. By induction down from the output layer (step 2), "
                    "column q of every Z[l] reaches J only through ℒ⁽q⁾, so steps 2 and 4–7 hold at every layer.",
                    "隐藏层不会把各列混在一起：Z[l+1] = W[l+1] g(Z[l]) + b[l+1]，所以 Z[l+1] 的 (i, k) 元素只在 k = q "
                    "时依赖 Z[l]_pq。从输出层（第 2 步）往下归纳，每一层 Z[l] 的第 q 列都只通过 ℒ⁽q⁾ 影响 J，"
                    "所以第 2 步和第 4–7 步对每一层都成立。",
                ),
                sp.Derivative(Z_next[i, k], Z[p, q]),
                W_next[i, p] * g_prime(Z[p, k]) * sp.KroneckerDelta(k, q),
                meaning=sp.diff(sp.Sum(W_next[i, j] * g(Z[j, k]), (j, 0, n - 1)) + b_next[i], Z[p, q]),
                proof=lambda meaning, rhs: equal_for_all_indices(
                    meaning, rhs.subs(g_prime(Z[p, k]), sp.Derivative(g(Z[p, k]), Z[p, k])), {p: n}
                ),
            ),
        ),
        result=Step(
            Text(
                "That sum over k is a matrix product with A[l-1] transposed (numpy: dZ @ A_prev.T / m): "
                "the mean of the m one-sample outer products.",
                "对 k 的求和正是与 A[l-1] 的转置做矩阵乘法（numpy：dZ @ A_prev.T / m），即 m 个单样本外积的平均。",
            ),
            matrix("dW[l]", "dW^{[l]}", n, n_prev),
            dZ_ * A_prev_.T / m,
            meaning=average_dW,
            proof=_entry_proof({p: n, q: n_prev}, lambda rhs: rhs[p, q]),
        ),
    )


#: The keys of :func:`derivations`, in its order (the registry lists them without building anything).
KEYS = ("samples.single", "samples.batch_average")


def derivations() -> list[Derivation]:
    return [single(), batch_average()]
