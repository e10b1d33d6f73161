r"""Output-layer derivations: where backprop starts.

Notation: for one sample, a is the output A[L] and y the target; J is the mean of the
per-sample loss over the m columns, and dA, dZ denote m times the gradient of J, which is
the per-sample gradient (the course's convention, so that dW carries the 1/m).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp

from . import activations
from .core import Derivation, Step, Text, central_difference, indexed, matrix, relative_error, symbol
from .indexed import equal_for_all_indices, proof_for_all_indices

if TYPE_CHECKING:  # numpy runs only the numeric cross-checks; the browser's Pyodide has none
    import numpy as np

a, y, z = activations.a, symbol("y", real=True), activations.z
#: The loss of one sample is ℒ (L is the number of layers); J is the cost over m samples.
LOSS = "ℒ"
symbol(LOSS, r"\mathcal{L}")
PER_SAMPLE = Text(
    "dA and dZ are per-sample gradients: dA = m ∂J/∂A, since J averages the loss over m columns.",
    "dA 和 dZ 是逐样本梯度：dA = m ∂J/∂A，因为 J 是 m 列损失的平均值。",
)


def sigmoid_bce() -> Derivation:
    sigmoid = activations.get("sigmoid")
    loss = -(y * sp.log(a) + (1 - y) * sp.log(1 - a))
    L, dz = sp.Function(LOSS)(a), symbol("dz")
    inverse, a_prime = sigmoid.output_inverse, sigmoid.derivative_in_output
    da = -y / a + (1 - y) / (1 - a)
    through_z = sp.diff(loss.subs(a, sigmoid.expr), z).subs(z, inverse)

    def numeric(rng: np.random.Generator) -> float:
        import numpy as np

        point, target = np.array([rng.uniform(-4, 4)]), rng.uniform(0, 1)
        f = sp.lambdify(z, loss.subs({a: sigmoid.expr, y: target}), "numpy")
        return relative_error(central_difference(lambda x: f(x[0]), point), 1 / (1 + np.exp(-point)) - target)

    return Derivation(
        key="output.sigmoid_bce",
        title=Text(
            "Output layer: sigmoid + binary cross-entropy gives dZ = A − Y",
            "输出层：sigmoid 配二元交叉熵，得到 dZ = A − Y",
        ),
        statement=Text(
            "With a sigmoid output and cross-entropy loss, dz = a − y; column by column, dZ[L] = A[L] − Y.",
            "输出层用 sigmoid、损失函数用交叉熵时，dz = a − y；逐列写出来就是 dZ[L] = A[L] − Y。",
        ),
        hypotheses=(Text("a = σ(z), 0 < a < 1, and 0 ≤ y ≤ 1.", "a = σ(z)，0 < a < 1，且 0 ≤ y ≤ 1。"), PER_SAMPLE),
        steps=(
            Step(Text("Cross-entropy loss of one sample.", "单个样本的交叉熵损失。"), L, loss, meaning=loss),
            Step(
                Text("Differentiate with respect to a.", "对 a 求导。"),
                sp.Derivative(L, a),
                da,
                meaning=sp.Derivative(loss, a),
            ),
            Step(
                Text(
                    "The sigmoid's derivative in terms of its output (see the sigmoid derivation).",
                    "用输出表示的 sigmoid 导数（见 sigmoid 的推导）。",
                ),
                sp.Derivative(sigmoid.g(z), z),
                a_prime,
                meaning=sigmoid.derivative.subs(z, inverse),
            ),
            Step(
                Text("Chain rule: dz = (∂ℒ/∂a)(∂a/∂z).", "链式法则：dz = (∂ℒ/∂a)(∂a/∂z)。"),
                dz,
                da * a_prime,
                meaning=through_z,
            ),
        ),
        result=Step(
            Text(
                "The a's cancel: the output delta is the error.",
                "a 和 1 − a 都约掉了：输出层误差项就是预测值与目标值之差。",
            ),
            dz,
            a - y,
            meaning=through_z,
        ),
        numeric=numeric,
    )


def mse() -> Derivation:
    n = symbol("n[L]", "n^{[L]}", integer=True, positive=True)
    m = symbol("m", integer=True, positive=True)
    # the output units are p and q, as for softmax; i counts the samples on the pages (J = (1/m) Σ_i ℒ), and the
    # derivations count the columns k, so a unit's index is never read as a sample's
    p, q, k, r = sp.symbols("p q k r", integer=True, nonnegative=True)
    A, Y = sp.IndexedBase("a"), sp.IndexedBase("y")
    loss = sp.Sum((A[p] - Y[p]) ** 2, (p, 0, n - 1))
    L = sp.Function(LOSS)(sp.Symbol("a"))  # ℒ(a): the loss of one sample's output column a
    claim = sp.Mul(2, A[q] - Y[q], evaluate=False)  # printed 2(a_q − y_q), as the course writes it
    # m columns: J = (1/m) Σ_k ℒ(column k), and dA = m ∂J/∂A (PER_SAMPLE)
    A_m, Y_m = sp.IndexedBase("A[L]"), sp.IndexedBase("Y")
    cost = sp.Sum((A_m[p, k] - Y_m[p, k]) ** 2, (p, 0, n - 1), (k, 0, m - 1)) / m
    dA, A_L, Y_all = (matrix(name, tex, n, m) for name, tex in (("dA[L]", "dA^{[L]}"), ("A[L]", "A^{[L]}"), ("Y", "Y")))

    def entrywise(meaning: sp.Basic, rhs: sp.MatrixExpr) -> bool:
        """Entry (q, r) of m ∂J/∂A is entry (q, r) of the claimed matrix, for every q < n[L] and r < m."""
        return equal_for_all_indices(meaning, rhs[q, r], {q: n, r: m})

    def numeric(rng: np.random.Generator) -> float:
        import numpy as np

        a0, y0 = rng.normal(size=4), rng.normal(size=4)
        return relative_error(central_difference(lambda x: np.sum((x - y0) ** 2), a0), 2 * (a0 - y0))

    return Derivation(
        key="output.mse",
        title=Text("Output layer: square error gives dA = 2(A − Y)", "输出层：平方误差给出 dA = 2(A − Y)"),
        statement=Text(
            "For ℒ = Σ_p (a_p − y_p)² over the n[L] output units p, ∂ℒ/∂a_q = 2(a_q − y_q), for any n[L]; "
            "over m columns, dA[L] = 2(A[L] − Y). "
            "Dropping the target (2·a, as the square-error post does) is wrong whenever y ≠ 0.",
            "对 n[L] 个输出单元 p 上的 ℒ = Σ_p (a_p − y_p)²，不论 n[L] 是多少，都有 ∂ℒ/∂a_q = 2(a_q − y_q)；"
            "对 m 列则有 dA[L] = 2(A[L] − Y)。"
            "丢掉目标值（像讲平方误差的那篇文章那样写成 2·a），只要 y ≠ 0 就是错的。",
        ),
        hypotheses=(
            PER_SAMPLE,
            Text(
                "Square error summed over output units, averaged over samples.",
                "平方误差在各输出单元上求和，在样本上取平均。",
            ),
        ),
        steps=(
            Step(
                Text(
                    "Square error of one sample, its output column a, summed over the output units.",
                    "单个样本（输出列 a）的平方误差，对各输出单元求和。",
                ),
                L,
                loss,
                meaning=loss,
            ),
            Step(
                Text(
                    "Differentiate with respect to one output a_q: only the p = q term depends on it.",
                    "对其中一个输出 a_q 求导：只有 p = q 这一项含有它。",
                ),
                sp.Derivative(L, A[q]),
                claim,
                meaning=sp.Derivative(loss, A[q]),
                proof=proof_for_all_indices({q: n}),
            ),
        ),
        result=Step(
            Text(
                "Over m columns, dA[L] = m ∂J/∂A[L] takes each column's gradient: the matrix form the code "
                "uses. With an identity output, dZ[L] = dA[L].",
                "对 m 列，dA[L] = m ∂J/∂A[L] 取的是每一列各自的梯度：这就是代码所用的矩阵形式。"
                "输出层用恒等激活函数时，dZ[L] = dA[L]。",
            ),
            dA,
            sp.MatMul(2, A_L - Y_all, evaluate=False),  # printed 2(A − Y), as the title writes it
            meaning=m * sp.Derivative(cost, A_m[q, r]),
            proof=entrywise,
        ),
        numeric=numeric,
    )


# Softmax over the K units of one column (one sample). Indices p, q range over 0..K-1.
K = symbol("K", integer=True, positive=True)
p_, q_, j_ = sp.symbols("p q j", integer=True, nonnegative=True)
z_, y_, a_ = indexed("z", "z"), indexed("y", "y"), indexed("a", "a")
da_, dz_ = indexed("da", "da"), indexed("dz", "dz")
c = symbol("c", real=True)
SOFTMAX_HYPOTHESES = (
    Text(
        "a = softmax(z) over the K = n[L] output units of one column (sample), for any K ≥ 1.",
        "a = softmax(z)，在一列（一个样本）的 K = n[L] 个输出单元上计算，K ≥ 1 任意。",
    ),
    Text(
        "Each column of Y is a distribution over the K classes: y_p ≥ 0 and Σ_p y_p = 1 (one-hot for labels).",
        "Y 的每一列都是 K 个类别上的概率分布：y_p ≥ 0 且 Σ_p y_p = 1（标签用 one-hot 编码）。",
    ),
    PER_SAMPLE,
)


def _softmax(index: sp.Expr, shift: sp.Expr = 0) -> sp.Expr:
    """a_index = e^(z_index - shift) / Σ_j e^(z_j - shift)."""
    return sp.exp(z_[index] - shift) / sp.Sum(sp.exp(z_[j_] - shift), (j_, 0, K - 1))


def _in_z(expr: sp.Basic) -> sp.Basic:
    """Replace every a_r by its definition softmax(z)_r, so a claim written with a can be proved in z."""
    return sp.sympify(expr).replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == a_, lambda e: _softmax(e.indices[0])
    )


def _for_all(ranges: dict, residual: sp.Expr = 0):
    """Proof: lhs − rhs equals ``residual`` for every K and every index in range, with a = softmax(z)."""
    return lambda lhs, rhs: equal_for_all_indices(_in_z(lhs) - _in_z(rhs), _in_z(residual), ranges)


def _cross_entropy(a_of) -> sp.Expr:
    return -sp.Sum(y_[p_] * sp.log(a_of(p_)), (p_, 0, K - 1))


def _numeric_softmax(rng: np.random.Generator) -> float:
    """Finite differences of the logsumexp cost against dZ = A − Y, for a random distribution y."""
    import numpy as np

    k = 5
    z0, y0 = rng.normal(size=k) * 3, rng.dirichlet(np.ones(k))

    def cost(x):
        shift = x.max()
        return -np.sum(y0 * (x - shift - np.log(np.sum(np.exp(x - shift)))))

    a0 = np.exp(z0 - z0.max()) / np.sum(np.exp(z0 - z0.max()))
    return relative_error(central_difference(cost, z0), a0 - y0)


def softmax_cross_entropy() -> Derivation:
    L = symbol(LOSS)
    through_z = sp.Derivative(_cross_entropy(_softmax), z_[q_])
    jacobian = a_[p_] * (sp.KroneckerDelta(p_, q_) - a_[q_])
    sum_y = sp.Sum(y_[p_], (p_, 0, K - 1))
    return Derivation(
        key="output.softmax_cross_entropy",
        title=Text(
            "Output layer: softmax + cross-entropy gives dZ = A − Y",
            "输出层：softmax 配交叉熵，得到 dZ = A − Y",
        ),
        statement=Text(
            "With a softmax output over K classes and cross-entropy loss, dz = a − y for every K; "
            "column by column, dZ[L] = A[L] − Y. Softmax is not elementwise: its Jacobian is a_p(δ_pq − a_q), "
            "and contracting it with dA = −y/a leaves a − y.",
            "输出层对 K 个类别做 softmax、损失函数用交叉熵时，对任意 K 都有 dz = a − y；逐列写出来就是 "
            "dZ[L] = A[L] − Y。softmax 不是逐元素作用的函数：它的雅可比矩阵是 a_p(δ_pq − a_q)，"
            "与 dA = −y/a 缩并后只剩下 a − y。",
        ),
        hypotheses=SOFTMAX_HYPOTHESES,
        steps=(
            Step(
                Text(
                    "Softmax of one column: every output a_p depends on every z_q.",
                    "一列的 softmax：每个输出 a_p 都依赖于所有的 z_q。",
                ),
                a_[p_],
                _softmax(p_),
                proof=_for_all({p_: K}),
            ),
            Step(
                Text(
                    "Its Jacobian, by the quotient rule. It is not diagonal (δ_pq is the Kronecker delta), so there "
                    "is no elementwise g′ to multiply by.",
                    "用商的求导法则得到它的雅可比矩阵。它不是对角矩阵（δ_pq 是克罗内克 δ），所以没有可以逐元素"
                    "相乘的 g′。",
                ),
                sp.Derivative(a_[p_], z_[q_]),
                jacobian,
                meaning=sp.Derivative(_softmax(p_), z_[q_]),
                proof=_for_all({p_: K, q_: K}),
            ),
            Step(
                Text(
                    "Backward through softmax: contract the Jacobian with the upstream gradient da. "
                    "In matrices, dZ = A ⊙ (dA − 1 1ᵀ(A ⊙ dA)).",
                    "反向传播经过 softmax：把雅可比矩阵与上游梯度 da 缩并。写成矩阵就是 dZ = A ⊙ (dA − 1 1ᵀ(A ⊙ dA))。",
                ),
                dz_[q_],
                a_[q_] * (da_[q_] - sp.Sum(a_[p_] * da_[p_], (p_, 0, K - 1))),
                meaning=sp.Sum(da_[p_] * sp.Derivative(_softmax(p_), z_[q_]), (p_, 0, K - 1)),
                proof=_for_all({q_: K}),
            ),
            Step(
                Text("Cross-entropy of one sample.", "单个样本的交叉熵。"),
                symbol(LOSS),
                _cross_entropy(lambda r: a_[r]),
                meaning=_cross_entropy(lambda r: a_[r]),
            ),
            Step(
                Text(
                    "Differentiate with respect to one output a_q: only the p = q term depends on it.",
                    "对其中一个输出 a_q 求导：只有 p = q 这一项含有它。",
                ),
                da_[q_],
                -y_[q_] / a_[q_],
                meaning=sp.Derivative(_cross_entropy(lambda r: a_[r]), a_[q_]),
                proof=_for_all({q_: K}),
            ),
            Step(
                Text(
                    "Put da_p = −y_p / a_p into the contraction (SymPy differentiates ℒ(softmax(z)) directly).",
                    "把 da_p = −y_p / a_p 代入缩并式（SymPy 直接对 ℒ(softmax(z)) 求导）。",
                ),
                sp.Derivative(L, z_[q_]),
                a_[q_] * sum_y - y_[q_],
                meaning=through_z,
                proof=_for_all({q_: K}),
            ),
        ),
        result=Step(
            Text(
                "The targets of a column sum to 1, so the output delta is the error, as for sigmoid with bce.",
                "一列的目标值之和为 1，所以输出层误差项就是预测值与目标值之差，和 sigmoid 配二元交叉熵时一样。",
            ),
            dz_[q_],
            a_[q_] - y_[q_],
            meaning=through_z,
            proof=_for_all({q_: K}, residual=a_[q_] * (sum_y - 1)),
        ),
        numeric=_numeric_softmax,
    )


def softmax_logsumexp() -> Derivation:
    lse = symbol("logsumexp(z)", r"\operatorname{logsumexp}(z)")
    sum_exp = sp.Sum(sp.exp(z_[j_]), (j_, 0, K - 1))
    return Derivation(
        key="output.softmax_logsumexp",
        title=Text("Softmax and its cost, computed without overflow", "计算 softmax 及其代价而不溢出"),
        statement=Text(
            "Shifting z by any c leaves softmax unchanged, and log a_p = z_p − logsumexp(z), so the "
            "cross-entropy is logsumexp(z) − Σ_p y_p z_p. With c = max_p z_p every exponent is ≤ 0 and one is 0, "
            "so the sum lies in [1, K]: no overflow, and no log 0.",
            "把 z 整体平移任意的 c，softmax 不变；又有 log a_p = z_p − logsumexp(z)，所以交叉熵等于 "
            "logsumexp(z) − Σ_p y_p z_p。取 c = max_p z_p 时，每个指数都 ≤ 0，且有一个恰好为 0，"
            "于是求和的结果落在 [1, K] 内：既不会溢出，也不会出现 log 0。",
        ),
        hypotheses=SOFTMAX_HYPOTHESES[:2],
        steps=(
            Step(
                Text("Shift invariance: subtract the same c from every z_j.", "平移不变性：每个 z_j 都减去同一个 c。"),
                symbol("softmax(z - c)[p]", r"\operatorname{softmax}(z - c)_{p}"),
                _softmax(p_),
                meaning=_softmax(p_, shift=c),
            ),
            Step(
                Text(
                    "The log of a softmax output needs no division and no exponent of its own.",
                    "softmax 输出的对数既不需要做除法，也不需要为它单独计算指数。",
                ),
                sp.log(a_[p_]),
                z_[p_] - sp.log(sum_exp),
                meaning=sp.expand_log(sp.log(_softmax(p_)), force=True),
            ),
            Step(
                Text("logsumexp, shifted by c (take c = max z).", "平移 c 之后的 logsumexp（取 c = max z）。"),
                lse,
                c + sp.log(sp.Sum(sp.exp(z_[j_] - c), (j_, 0, K - 1))),
                meaning=sp.log(sum_exp),
                proof=lambda lhs, rhs: sp.simplify(sp.expand_log(sp.exp(lhs) - sp.exp(rhs), force=True)) == 0,
            ),
        ),
        result=Step(
            Text(
                "The cost of one column from the logits, when Σ_p y_p = 1.",
                "当 Σ_p y_p = 1 时，直接由 logits 算出一列的损失。",
            ),
            symbol(LOSS),
            lse - sp.Sum(y_[p_] * z_[p_], (p_, 0, K - 1)),
            meaning=_cross_entropy(_softmax),
            proof=lambda lhs, rhs: equal_for_all_indices(
                sp.expand_log(lhs, force=True).subs(lse, sp.log(sum_exp)) - rhs.subs(lse, sp.log(sum_exp)),
                sp.log(sum_exp) * (sp.Sum(y_[p_], (p_, 0, K - 1)) - 1),
                {},
            ),
        ),
    )


#: The keys of :func:`derivations`, in its order (the registry lists them without building anything).
KEYS = ("output.sigmoid_bce", "output.mse", "output.softmax_cross_entropy", "output.softmax_logsumexp")


def derivations() -> list[Derivation]:
    return [sigmoid_bce(), mse(), softmax_cross_entropy(), softmax_logsumexp()]
