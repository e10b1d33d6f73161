r"""Batch normalization's backward pass, derived for a symbolic batch size m.

One unit (one row of \(Z^{[l]}\)) over the m samples of a batch: \(z_j\), \(j = 0, \dots, m-1\).

\[ \mu = \tfrac{1}{m} \textstyle\sum_j z_j, \quad \sigma^2 = \tfrac{1}{m} \sum_j (z_j - \mu)^2, \quad
   \hat z_i = \frac{z_i - \mu}{\sqrt{\sigma^2 + \varepsilon}}, \quad \tilde z_i = \gamma \hat z_i + \beta. \]

Every \(\hat z_i\) depends on every \(z_j\) through μ and σ², so the backward pass is not
elementwise. Units do not mix, so one row is the whole story. The derivation follows the
computation graph (z → μ → σ² → ẑ → z̃): each local derivative is SymPy's, and the
multivariable chain rule adds the paths. Sums over the batch are indexed sums with symbolic
bounds; differentiating \(\sum_j z_j\) by \(z_q\) gives Kronecker deltas, which are summed out
for every \(0 \le q < m\) (``derivations.indexed``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp

from .core import Derivation, Step, Text, central_difference, indexed, is_zero, relative_error, symbol
from .indexed import _in_range, canonical_dummies, collapse_deltas, pull_constants

if TYPE_CHECKING:  # numpy runs only the numeric cross-checks; the browser's Pyodide has none
    import numpy as np

m = symbol("m", integer=True, positive=True)
i, j, k, q = sp.symbols("i j k q", integer=True, nonnegative=True)
z, z_hat = indexed("z", "z"), indexed("ẑ", r"\hat z")
dz, dz_hat, dz_tilde = indexed("dz", "dz"), indexed("dẑ", r"d\hat z"), indexed("dz̃", r"d\tilde z")
mu, var = symbol("μ", r"\mu", real=True), symbol("σ²", r"\sigma^{2}", nonnegative=True)
eps = symbol("ε", r"\varepsilon", positive=True)
gamma, beta = symbol("γ", r"\gamma", real=True), symbol("β", r"\beta", real=True)
d_gamma, d_beta = symbol("dγ", r"d\gamma"), symbol("dβ", r"d\beta")
d_var, d_mu = symbol("dσ²", r"d\sigma^{2}"), symbol("dμ", r"d\mu")
J = symbol("J")


def _sum(body: sp.Expr, var_: sp.Symbol = j) -> sp.Sum:
    return sp.Sum(body, (var_, 0, m - 1))


MEAN = _sum(z[j]) / m


def _variance(center: sp.Expr) -> sp.Expr:
    """σ² = (1/m) Σ_k (z_k − center)², as a function of the centre (μ is itself a function of z)."""
    return _sum((z[k] - center) ** 2, k) / m


ROOT = sp.sqrt(var + eps)
#: The closed form as numpy computes it for a whole layer, dZ_hat and Z_hat of shape (n[l], m): the sums over the
#: m samples stay an (n[l], 1) column, which broadcasts along each unit's own row whatever n[l] and m are.
_NUMPY = (
    "(m * dZ_hat - dZ_hat.sum(axis=1, keepdims=True) - Z_hat * (dZ_hat * Z_hat).sum(axis=1, keepdims=True))"
    " / (m * np.sqrt(var + eps))"
)
#: J to first order in ẑ (upstream dẑ held fixed), with ẑ written through z, μ and σ² as separate inputs.
J_GRAPH = _sum(dz_hat[i] * (z[i] - mu) / ROOT, i) / m

HYPOTHESES = (
    Text(
        "One unit (row) of Z[l] over a batch of m ≥ 2 samples, for any m; ε > 0 is a constant (1e-5 in nn).",
        "Z[l] 的一个单元（一行），取一批 m ≥ 2 个样本，m 任意；ε > 0 是常数（nn 中为 1e-5）。",
    ),
    Text(
        "J depends on z̃ only; dz̃ = m ∂J/∂z̃ is the per-sample gradient from the layer above "
        "(dZ̃[l] = dA[l] ⊙ g'(Z̃[l])), and dz, dẑ, dμ, dσ² are m times ∂J of their variable, as dZ everywhere.",
        "J 只依赖 z̃；dz̃ = m ∂J/∂z̃ 是从后一层传回的逐样本梯度（dZ̃[l] = dA[l] ⊙ g'(Z̃[l])），"
        "dz、dẑ、dμ、dσ² 都是 J 对相应变量的偏导数乘以 m，与各处的 dZ 一致。",
    ),
    Text(
        "Training mode: μ and σ² are the batch's own (1/m) mean and variance, so they depend on every z_j.",
        "处于训练模式，μ 和 σ² 是这一批样本自己的均值和方差（除以 m），因此依赖每一个 z_j。",
    ),
)


def _batch_normal(expr: sp.Basic, in_range: dict) -> sp.Basic:
    expr = pull_constants(sp.sympify(expr).doit(deep=False) if isinstance(expr, sp.Derivative) else expr)
    expr = collapse_deltas(pull_constants(expr.subs(in_range)))
    return canonical_dummies(sp.expand(expr))


def _equal(ranges: dict, given: dict | None = None):
    """Proof: lhs = rhs for every m and every 0 <= q < m, after writing ẑ and dẑ by their definitions."""
    in_range, _ = _in_range(ranges)

    def proof(lhs, rhs):
        difference = _batch_normal(_in_z(lhs, given), in_range) - _batch_normal(_in_z(rhs, given), in_range)
        return is_zero(difference)

    return proof


def _in_z(expr: sp.Basic, given: dict | None) -> sp.Basic:
    """Replace ẑ_r by (z_r − μ)/√(σ² + ε), dẑ_r by γ dz̃_r where asked, and named results by their values."""
    expr = sp.sympify(expr).xreplace(given or {})
    return expr.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == z_hat, lambda e: (z[e.indices[0]] - mu) / ROOT
    )


def _numeric(rng: np.random.Generator) -> float:
    """Finite differences of J = (1/m) Σ dz̃ ⊙ z̃(z), with μ and σ² recomputed from z, against the closed form."""
    import numpy as np

    m_, eps_, gamma_, beta_ = 6, 1e-5, 1.7, -0.4
    z0, dz_tilde0 = rng.normal(size=m_), rng.normal(size=m_)

    def normalized(x):
        return (x - x.mean()) / np.sqrt(x.var() + eps_)

    fd = m_ * central_difference(lambda x: np.sum(dz_tilde0 * (gamma_ * normalized(x) + beta_)) / m_, z0)
    z_hat0, dz_hat0 = normalized(z0), gamma_ * dz_tilde0
    closed = (m_ * dz_hat0 - dz_hat0.sum() - z_hat0 * np.sum(dz_hat0 * z_hat0)) / (m_ * np.sqrt(z0.var() + eps_))
    return relative_error(fd, closed)


def backward() -> Derivation:
    J_tilde = _sum(dz_tilde[i] * (gamma * z_hat[i] + beta), i) / m  # J to first order in z̃
    ranges = {q: m}
    d_var_value = -_sum(dz_hat[i] * (z[i] - mu), i) / (2 * (var + eps) ** sp.Rational(3, 2))
    d_var_meaning = m * sp.diff(J_GRAPH, var)
    d_mu_direct = m * sp.diff(J_GRAPH, mu)
    d_var_d_mu = sp.diff(_variance(mu), mu)
    d_mu_meaning = d_mu_direct + d_var_meaning * d_var_d_mu.subs(mu, MEAN)
    d_mu_value = -_sum(dz_hat[i], i) / ROOT
    # the chain rule over the three paths from z_q: directly into ẑ_q, through σ² (μ held), through μ
    chain = (
        m * sp.diff(J_GRAPH, z[q]) + d_var_meaning * sp.diff(_variance(mu), z[q]) + d_mu_meaning * sp.diff(MEAN, z[q])
    )
    three_paths = dz_hat[q] / ROOT + d_var * 2 * (z[q] - mu) / m + d_mu / m
    closed = (m * dz_hat[q] - _sum(dz_hat[j]) - z_hat[q] * _sum(dz_hat[j] * z_hat[j])) / (m * ROOT)
    values = {d_var: d_var_value, d_mu: d_mu_value}
    return Derivation(
        key="batchnorm.backward",
        title=Text(
            "Batch norm: dZ = (1/(m√(σ² + ε))) (m dẐ − Σ dẐ − Ẑ ⊙ Σ dẐ ⊙ Ẑ)",
            "批归一化：dZ = (1/(m√(σ² + ε))) (m dẐ − Σ dẐ − Ẑ ⊙ Σ dẐ ⊙ Ẑ)",
        ),
        statement=Text(
            "For every batch size m, with dẑ = γ dz̃: dz_q = (m dẑ_q − Σ_j dẑ_j − ẑ_q Σ_j dẑ_j ẑ_j) / "
            "(m √(σ² + ε)), dγ = (1/m) Σ_j dz̃_j ẑ_j and dβ = (1/m) Σ_j dz̃_j. The two sums are the mean's and the "
            "variance's share: dropping them (dz = dẑ/√(σ² + ε), as if μ and σ² were constants) is the classic "
            "mistake. ε enters only through √(σ² + ε), the same factor as in the forward pass: it keeps the "
            "division finite when a unit is constant over the batch (σ² = 0), so numpy must use one ε in both "
            "passes; it appears in no other place.",
            "对任意批量大小 m，记 dẑ = γ dz̃，则 dz_q = (m dẑ_q − Σ_j dẑ_j − ẑ_q Σ_j dẑ_j ẑ_j) / (m √(σ² + ε))，"
            "dγ = (1/m) Σ_j dz̃_j ẑ_j，dβ = (1/m) Σ_j dz̃_j。两个求和项分别来自均值和方差："
            "把它们丢掉（把 μ 和 σ² 当成常数，得 dz = dẑ/√(σ² + ε)）是典型的错误。"
            "ε 只通过 √(σ² + ε) 出现，与前向传播中的因子相同：当某个单元在整批样本上取值恒定（σ² = 0）时，"
            "它保证除法有限，所以 numpy 代码在前向和反向传播中必须用同一个 ε；除此之外 ε 不出现在任何地方。",
        ),
        hypotheses=HYPOTHESES,
        steps=(
            Step(
                Text(
                    "dγ: z̃_i = γ ẑ_i + β, and γ is shared by all m samples.",
                    "dγ：z̃_i = γ ẑ_i + β，且 m 个样本共用同一个 γ。",
                ),
                d_gamma,
                _sum(dz_tilde[j] * z_hat[j]) / m,
                meaning=sp.diff(J_tilde, gamma),
                proof=_equal({}),
            ),
            Step(
                Text("dβ: likewise, ∂z̃_i/∂β = 1.", "dβ：同理，∂z̃_i/∂β = 1。"),
                d_beta,
                _sum(dz_tilde[j]) / m,
                meaning=sp.diff(J_tilde, beta),
                proof=_equal({}),
            ),
            Step(
                Text("dẑ: each z̃_q depends on ẑ_q alone.", "dẑ：每个 z̃_q 只依赖 ẑ_q。"),
                dz_hat[q],
                gamma * dz_tilde[q],
                meaning=m * sp.diff(J_tilde, z_hat[q]),
                proof=_equal(ranges),
            ),
            Step(
                Text(
                    "dσ²: σ² enters every ẑ_i through 1/√(σ² + ε).",
                    "dσ²：σ² 通过 1/√(σ² + ε) 出现在每个 ẑ_i 中。",
                ),
                d_var,
                d_var_value,
                meaning=d_var_meaning,
                proof=_equal({}),
            ),
            Step(
                Text(
                    "∂μ/∂z_q: the mean weighs every sample by 1/m.",
                    "∂μ/∂z_q：均值给每个样本的权重都是 1/m。",
                ),
                sp.Derivative(mu, z[q]),
                1 / m,
                meaning=sp.diff(MEAN, z[q]),
                proof=_equal(ranges),
            ),
            Step(
                Text(
                    "∂σ²/∂z_q with μ held: only the q-th squared deviation depends on z_q.",
                    "固定 μ 求 ∂σ²/∂z_q：只有第 q 个偏差的平方依赖 z_q。",
                ),
                sp.Derivative(var, z[q]),
                2 * (z[q] - mu) / m,
                meaning=sp.diff(_variance(mu), z[q]),
                proof=_equal(ranges),
            ),
            Step(
                Text(
                    "∂σ²/∂μ vanishes: the deviations from the mean sum to zero.",
                    "∂σ²/∂μ 为 0：各样本与均值之差的和为 0。",
                ),
                symbol("∂σ²/∂μ", r"\frac{\partial \sigma^{2}}{\partial \mu}"),  # SymPy would print d/dμ
                sp.Integer(0),
                meaning=d_var_d_mu.subs(mu, MEAN),
                proof=_equal({}),
            ),
            Step(
                Text(
                    "dμ: directly through every ẑ_i; the path through σ² contributes dσ² ∂σ²/∂μ = 0.",
                    "dμ：直接经过每个 ẑ_i；经过 σ² 的那条路径贡献 dσ² ∂σ²/∂μ = 0。",
                ),
                d_mu,
                d_mu_value,
                meaning=d_mu_meaning,
                proof=_equal({}),
            ),
            Step(
                Text(
                    "dz_q: the three paths from z_q, into ẑ_q, into σ² and into μ.",
                    "dz_q：从 z_q 出发的三条路径，分别进入 ẑ_q、σ² 和 μ。",
                ),
                dz[q],
                three_paths,
                meaning=chain,
                proof=_equal(ranges, values),
            ),
        ),
        result=Step(
            Text(
                "Closed form: put in dσ² and dμ and write z_q − μ = √(σ² + ε) ẑ_q "
                f"(numpy, for a whole layer: {_NUMPY}).",
                f"闭式解：代入 dσ² 和 dμ，并把 z_q − μ 写成 √(σ² + ε) ẑ_q（对整层的 numpy 写法：{_NUMPY}）。",
            ),
            dz[q],
            closed,
            meaning=chain,
            proof=_equal(ranges),
        ),
        numeric=_numeric,
    )


#: The keys of :func:`derivations`, in its order (the registry lists them without building anything).
KEYS = ("batchnorm.backward",)


def derivations() -> list[Derivation]:
    return [backward()]
