r"""Inverted dropout: why the kept units are divided by p, and the backward rule through a fixed mask.

In training, hidden layer l keeps each unit of each sample with probability p (``keep_prob``)
and scales the kept ones by 1/p:

\[ D^{[l]}_{ik} \sim \operatorname{Bernoulli}(p), \qquad \tilde A^{[l]} = A^{[l]} \odot D^{[l]} / p. \]

Once drawn, the mask is a constant of the forward pass, and the same mask is used backwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp
import sympy.stats as stats

from .core import Derivation, Step, Text, central_difference, indexed, relative_error, symbol
from .indexed import proof_for_all_indices

if TYPE_CHECKING:  # numpy runs only the numeric cross-checks; the browser's Pyodide has none
    import numpy as np

keep = symbol("p", "p", positive=True)
a = symbol("a", real=True)
n = symbol("n[l]", "n^{[l]}", integer=True, positive=True)
m = symbol("m", integer=True, positive=True)
i, k, r, s = sp.symbols("i k r s", integer=True, nonnegative=True)
A, D = indexed("A[l]", "A^{[l]}"), indexed("D[l]", "D^{[l]}")
dA, dA_dropped = indexed("dA[l]", "dA^{[l]}"), indexed("dÃ[l]", r"d\tilde A^{[l]}")
J = symbol("J")


def _numeric(rng: np.random.Generator) -> float:
    """Finite differences of J = (1/m) Σ sin(A ⊙ D / p) in A, with a fixed 0/1 mask D, against dÃ ⊙ D / p."""
    import numpy as np

    p0, A0 = 0.7, rng.normal(size=(3, 5))
    D0 = (rng.random(A0.shape) < p0).astype(float)
    fd = 5 * central_difference(lambda X: np.sum(np.sin(X * D0 / p0)) / 5, A0)
    return relative_error(fd, np.cos(A0 * D0 / p0) * D0 / p0)


def inverted() -> Derivation:
    mask = stats.Bernoulli("D", keep)
    dropped = a * mask / keep
    # J to first order in the dropped activations Ã = A ⊙ D / p (upstream dÃ held fixed)
    first_order = sp.Sum(dA_dropped[i, k] * A[i, k] * D[i, k] / keep, (i, 0, n - 1), (k, 0, m - 1)) / m
    ranges = {r: n, s: m}
    derived = m * sp.diff(first_order, A[r, s])
    return Derivation(
        key="dropout.inverted",
        title=Text(
            "Inverted dropout: E[D a / p] = a, and dA[l] = dÃ[l] ⊙ D[l] / p",
            "反向随机失活（inverted dropout）：E[D a / p] = a，dA[l] = dÃ[l] ⊙ D[l] / p",
        ),
        statement=Text(
            "Dividing the kept units by p keeps every activation's expected value, so the next layer sees "
            "inputs of the same scale in training and at prediction, where nothing is dropped or scaled. Backward, "
            "the mask is a constant: dA[l] = dÃ[l] ⊙ D[l] / p, with the same D[l] and the same 1/p as the forward "
            "pass. Forgetting the 1/p scales the gradient of every kept unit by p.",
            "把保留下来的单元除以 p，每个激活值的期望就保持不变，于是下一层在训练时和预测时"
            "（预测时既不丢弃也不缩放）看到的输入尺度相同。反向传播时掩码是常数：dA[l] = dÃ[l] ⊙ D[l] / p，"
            "D[l] 和 1/p 都与前向传播时相同。如果漏掉 1/p，每个保留单元的梯度都会被乘以 p。",
        ),
        hypotheses=(
            Text(
                "D ~ Bernoulli(p), 0 < p ≤ 1, drawn independently for every unit and sample, then held fixed.",
                "D ~ Bernoulli(p)，0 < p ≤ 1，对每个单元和每个样本独立抽取，抽取后固定不变。",
            ),
            Text(
                "Ã[l] = A[l] ⊙ D[l] / p is what the next layer receives; dÃ[l] = m ∂J/∂Ã[l].",
                "下一层接收的是 Ã[l] = A[l] ⊙ D[l] / p；dÃ[l] = m ∂J/∂Ã[l]。",
            ),
        ),
        steps=(
            Step(
                Text("A kept unit is scaled by 1/p, a dropped one is 0.", "保留的单元乘以 1/p，丢弃的单元为 0。"),
                symbol("ã", r"\tilde a"),
                dropped,
                meaning=dropped,
            ),
            Step(
                Text(
                    "Its expectation over the mask: p · a/p + (1 − p) · 0.",
                    "对掩码求期望：p · a/p + (1 − p) · 0。",
                ),
                symbol("E[ã]", r"\mathbb{E}[\tilde a]"),
                a,
                meaning=stats.E(dropped),
            ),
            Step(
                Text(
                    "The price is variance: a²(1 − p)/p, zero only for p = 1.",
                    "付出的代价是方差增大：方差为 a²(1 − p)/p，只有 p = 1 时才为 0。",
                ),
                symbol("Var[ã]", r"\operatorname{Var}[\tilde a]"),
                a**2 * (1 - keep) / keep,
                meaning=stats.variance(dropped),
            ),
            Step(
                Text(
                    "Backward with the mask fixed: each Ã_rs depends on A_rs alone, with slope D_rs / p.",
                    "掩码固定时反向传播：每个 Ã_rs 只依赖 A_rs，斜率为 D_rs / p。",
                ),
                m * sp.Derivative(J, A[r, s]),
                dA_dropped[r, s] * D[r, s] / keep,
                meaning=derived,
                proof=proof_for_all_indices(ranges),
            ),
        ),
        result=Step(
            Text(
                "In matrix form (numpy: dA = dA * D / keep_prob, then dZ = dA ⊙ g'(Z) as usual).",
                "写成矩阵形式（numpy：dA = dA * D / keep_prob，然后照常计算 dZ = dA ⊙ g'(Z)）。",
            ),
            dA[r, s],
            dA_dropped[r, s] * D[r, s] / keep,
            meaning=derived,
            proof=proof_for_all_indices(ranges),
        ),
        numeric=_numeric,
    )


#: The keys of :func:`derivations`, in its order (the registry lists them without building anything).
KEYS = ("dropout.inverted",)


def derivations() -> list[Derivation]:
    return [inverted()]
