r"""Optimizer derivations: what momentum's and Adam's running averages hold, and why Adam divides by 1 − βᵗ.

Momentum keeps \(v_t = \beta v_{t-1} + (1 - \beta) g_t\) from \(v_0 = 0\), where \(g_t\) is the
gradient of step t. Unrolled, that is a weighted sum of all the gradients so far whose weights
add up to \(1 - \beta^t\), not 1: the average starts biased towards 0, and dividing by
\(1 - \beta^t\) removes the bias exactly. Every step is proved for a symbolic number of steps t.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp

from .core import Derivation, Step, Text, indexed, is_zero, relative_error, symbol

if TYPE_CHECKING:  # numpy runs only the numeric cross-checks; the browser's Pyodide has none
    import numpy as np

beta = symbol("beta", r"\beta", positive=True)
beta2 = symbol("beta2", r"\beta_2", positive=True)
t = symbol("t", integer=True, positive=True)
tau = sp.Symbol("tau", integer=True, positive=True)  # the step whose gradient is weighted: τ = 1..t
g_ = indexed("g", "g")  # g[tau]: the gradient of step τ
g = symbol("g", real=True)  # a constant gradient
v_t, v_prev, v_hat = symbol("v_t", "v_{t}"), symbol("v_t-1", "v_{t-1}"), symbol("v̂_t", r"\hat{v}_{t}")
s_t, s_hat = symbol("s_t", "s_{t}"), symbol("ŝ_t", r"\hat{s}_{t}")


def weighted_sum(rate: sp.Expr, steps: sp.Expr) -> sp.Sum:
    r"""\((1 - \beta) \sum_{\tau=1}^{t} \beta^{t-\tau} g_\tau\): the running average after ``steps`` steps, unrolled."""
    return sp.Sum((1 - rate) * rate ** (steps - tau) * g_[tau], (tau, 1, steps))


def _last_term_peeled(total: sp.Sum) -> sp.Expr:
    r"""\(\sum_{\tau=1}^{t} f(\tau) = \sum_{\tau=1}^{t-1} f(\tau) + f(t)\), valid for every t >= 1."""
    ((var, lo, hi),) = total.limits
    return sp.Sum(total.function, (var, lo, hi - 1)) + total.function.subs(var, hi)


def _by_induction(recursion: sp.Expr, closed_form: sp.Expr) -> bool:
    """The closed form is 0 at t = 0 (like v_0) and satisfies the recursion: then they agree for every t >= 0."""
    starts_at_zero = closed_form.subs(t, 0).doit() == 0
    unrolled = _last_term_peeled(closed_form) if isinstance(closed_form, sp.Sum) else closed_form
    return starts_at_zero and is_zero(unrolled - recursion)


def _by_cases(total: sp.Expr, closed_form: sp.Expr) -> bool:
    """Every branch of SymPy's geometric sum (a Piecewise in β) equals the closed form on its set of β."""
    folded = sp.piecewise_fold(total)
    pairs = folded.as_expr_set_pairs() if isinstance(folded, sp.Piecewise) else [(folded, sp.S.Reals)]
    return all(
        all(is_zero((branch - closed_form).subs(beta, value)) for value in where)
        if isinstance(where, sp.FiniteSet)
        else is_zero(branch - closed_form)
        for branch, where in pairs
    )


def _recursion(rate: sp.Expr, previous: sp.Expr, gradient: sp.Expr) -> sp.Expr:
    r"""\(\beta\, v_{t-1} + (1 - \beta)\, g_t\) with ``previous`` standing for \(v_{t-1}\)."""
    return rate * previous + (1 - rate) * gradient


#: The most steps of the recursion that the numeric check runs (it draws t from 1 to STEPS).
STEPS = 49


def _numeric(rng: np.random.Generator) -> float:
    """Run the recursion for t steps of a constant gradient; compare with (1 − βᵗ) g."""
    import numpy as np

    rate, steps, gradient = rng.uniform(0.5, 0.99), int(rng.integers(1, STEPS + 1)), rng.normal(size=5)
    v = np.zeros(5)
    for _ in range(steps):
        v = rate * v + (1 - rate) * gradient
    return relative_error(v, (1 - rate**steps) * gradient)


def bias_correction() -> Derivation:
    v_constant, s_constant = (1 - beta**t) * g, (1 - beta2**t) * g**2
    return Derivation(
        key="optimizers.bias_correction",
        title=Text(
            "Optimizers: momentum's average is an exponentially weighted sum; Adam's correction removes its bias",
            "优化算法：动量的滑动平均是指数加权和；Adam 的修正消除了它的偏差",
        ),
        statement=Text(
            "Started at v_0 = 0, v_t = (1 − β) Σ_τ β^(t−τ) g_τ, whose weights add up to 1 − β^t. "
            "For a constant gradient g, v_t = (1 − β^t) g, so v̂_t = v_t / (1 − β^t) = g exactly, for every t; "
            "the same holds for Adam's average of squares s_t with β₂ and g².",
            "从 v_0 = 0 开始，v_t = (1 − β) Σ_τ β^(t−τ) g_τ，其权重之和为 1 − β^t。"
            "若梯度恒为 g，则 v_t = (1 − β^t) g，所以对每个 t 都精确地有 v̂_t = v_t / (1 − β^t) = g；"
            "Adam 中梯度平方的平均 s_t（换成 β₂ 和 g²）同样如此。",
        ),
        hypotheses=(
            Text(
                "g_τ is the gradient of step τ = 1, 2, …, t; t ≥ 1.",
                "g_τ 是第 τ 步（τ = 1, 2, …, t）的梯度；t ≥ 1。",
            ),
            Text(
                "0 < β < 1 and 0 < β₂ < 1; the averages start at v_0 = s_0 = 0. Everything is entrywise.",
                "0 < β < 1，0 < β₂ < 1；两个平均值都从 v_0 = s_0 = 0 开始。所有运算都是逐元素的。",
            ),
        ),
        steps=(
            Step(
                Text("Momentum's running average (Adam's v), one step.", "动量的滑动平均（即 Adam 中的 v）更新一步。"),
                v_t,
                _recursion(beta, v_prev, g_[t]),
                meaning=_recursion(beta, v_prev, g_[t]),
            ),
            Step(
                Text(
                    "Unrolled, it is an exponentially weighted sum of all the gradients so far: by induction on t, "
                    "the sum is 0 at t = 0 and satisfies the recursion.",
                    "展开后，它是到目前为止所有梯度的指数加权和：对 t 归纳，这个和在 t = 0 时为 0，且满足递推式。",
                ),
                v_t,
                weighted_sum(beta, t),
                meaning=_recursion(beta, weighted_sum(beta, t).subs(t, t - 1), g_[t]),
                proof=_by_induction,
            ),
            Step(
                Text(
                    "The weights (1 − β) β^(t−τ) add up to 1 − β^t (a geometric sum), not 1: v_t is biased towards 0.",
                    "权重 (1 − β) β^(t−τ) 之和是 1 − β^t（等比数列求和），而不是 1：v_t 偏向 0。",
                ),
                sp.Sum((1 - beta) * beta ** (t - tau), (tau, 1, t)),
                1 - beta**t,
                meaning=(1 - beta) * sp.Sum(beta ** (t - tau), (tau, 1, t)),  # the constant factor taken out
                proof=_by_cases,
            ),
            Step(
                Text(
                    "So with a constant gradient g_τ = g the bias is exactly that factor (again by induction on t).",
                    "因此当梯度恒为 g_τ = g 时，偏差恰好就是这个因子（同样对 t 归纳）。",
                ),
                v_t,
                v_constant,
                meaning=_recursion(beta, v_constant.subs(t, t - 1), g),
                proof=_by_induction,
            ),
            Step(
                Text(
                    "Adam's average of squared gradients, s_t = β₂ s_(t−1) + (1 − β₂) g², has the same form.",
                    "Adam 对梯度平方的平均 s_t = β₂ s_(t−1) + (1 − β₂) g² 形式相同。",
                ),
                s_t,
                s_constant,
                meaning=_recursion(beta2, s_constant.subs(t, t - 1), g**2),
                proof=_by_induction,
            ),
            Step(
                Text("So its correction gives back g² exactly.", "所以修正之后恰好得到 g²。"),
                s_hat,
                g**2,
                meaning=s_constant / (1 - beta2**t),
            ),
        ),
        result=Step(
            Text(
                "Dividing by 1 − β^t removes the bias of v_t for every t.",
                "除以 1 − β^t，对每个 t 都消除了 v_t 的偏差。",
            ),
            v_hat,
            g,
            meaning=v_constant / (1 - beta**t),
        ),
        numeric=_numeric,
        numeric_check=Text(
            f"The recursion run in numpy for 1 to {STEPS} steps of a constant gradient, against (1 − β^t) g",
            f"用 numpy 对常数梯度把递推式运行 1 到 {STEPS} 步，与 (1 − β^t) g 比较",
        ),
    )


#: The keys of :func:`derivations`, in its order (the registry lists them without building anything).
KEYS = ("optimizers.bias_correction",)


def derivations() -> list[Derivation]:
    return [bias_correction()]
