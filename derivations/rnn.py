r"""Backprop through time: the tanh RNN's step, the whole sequence for any length T, and the LSTM's step.

The RNN step \(a^{\langle t \rangle} = \tanh(W_{aa} a^{\langle t-1 \rangle} + W_{ax} x^{\langle t \rangle} + b_a)\)
is a linear layer on two inputs followed by tanh, so its rules are proved like the linear layer's:
entries are indexed sums whose sizes \(n_a, n_x, m\) are symbols (``derivations.indexed``).
As in the course, the backward functions return the gradients of
\(J = \sum_t \langle a^{\langle t \rangle}, da^{\langle t \rangle} \rangle\), with no 1/m.

Through time, the proofs run over a symbolic number of steps T by induction, like
``optimizers.bias_correction``: what the backward loop accumulates, the product of the step
Jacobians that carries a gradient from step T back to step t, and the bound on its norm that
makes it vanish. The LSTM's gates act entrywise, so one unit carries its whole derivation;
the matrix parts are the linear layer's rules on the stack \([a^{\langle t-1 \rangle}; x^{\langle t \rangle}]\).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from .core import Derivation, Step, Text, central_difference, indexed, is_zero, matrix, relative_error, symbol
from .indexed import _in_range, canonical_dummies, collapse_deltas, proof_for_all_indices

if TYPE_CHECKING:  # numpy runs only the numeric cross-checks; the browser's Pyodide has none
    import numpy as np

n_a = symbol("n_a", "n_a", integer=True, positive=True)
n_x = symbol("n_x", "n_x", integer=True, positive=True)
m = symbol("m", integer=True, positive=True)
i, j, k = sp.symbols("i j k", integer=True, nonnegative=True)
p, q = sp.symbols("p q", integer=True, nonnegative=True)
J = symbol("J")

Waa, Wax, ba = indexed("Waa", "W_{aa}"), indexed("Wax", "W_{ax}"), indexed("ba", "b_a")
a_prev, xt = indexed("a⟨t−1⟩", r"a^{\langle t-1 \rangle}"), indexed("x⟨t⟩", r"x^{\langle t \rangle}")
dtanh = indexed("dtanh", r"d\tanh")
Waa_, Wax_ = matrix("Waa", "W_{aa}", n_a, n_a), matrix("Wax", "W_{ax}", n_a, n_x)
a_prev_, xt_ = matrix("a⟨t−1⟩", r"a^{\langle t-1 \rangle}", n_a, m), matrix("x⟨t⟩", r"x^{\langle t \rangle}", n_x, m)
dtanh_ = matrix("dtanh", r"d\tanh", n_a, m)


#: The columns of Waa (the rows of a⟨t−1⟩) as a size of their own in dWaa's proof: an identity proved for
#: every n_a and n_a′ holds at n_a′ = n_a, and the two indices of Waa[p, q] then get a range each.
n_a_cols = symbol("n_a′", "n_a'", integer=True, positive=True)


def _z(row, column, a_in=a_prev, x_in=xt, a_rows=n_a):
    """An entry of W_aa a⟨t−1⟩ + W_ax x⟨t⟩ + b_a, the pre-activation of step t."""
    return (
        sp.Sum(Waa[row, j] * a_in[j, column], (j, 0, a_rows - 1))
        + sp.Sum(Wax[row, j] * x_in[j, column], (j, 0, n_x - 1))
        + ba[row]
    )


#: J to first order in the pre-activation of step t, with dtanh = ∂J/∂z held fixed (the chain rule).
FIRST_ORDER_J = sp.Sum(dtanh[i, k] * _z(i, k), (i, 0, n_a - 1), (k, 0, m - 1))
FIRST_ORDER_J_COLS = sp.Sum(dtanh[i, k] * _z(i, k, a_rows=n_a_cols), (i, 0, n_a - 1), (k, 0, m - 1))

CELL_HYPOTHESES = (
    Text(
        "a⟨t⟩ = tanh(Waa a⟨t−1⟩ + Wax x⟨t⟩ + ba), entrywise, with ba added to each of the m columns; "
        "Waa is (n_a, n_a), Wax (n_a, n_x), a⟨t−1⟩ (n_a, m), x⟨t⟩ (n_x, m).",
        "a⟨t⟩ = tanh(Waa a⟨t−1⟩ + Wax x⟨t⟩ + ba)，逐元素作用，ba 加到 m 列中的每一列上；"
        "Waa 是 (n_a, n_a)，Wax 是 (n_a, n_x)，a⟨t−1⟩ 是 (n_a, m)，x⟨t⟩ 是 (n_x, m)。",
    ),
    Text(
        "da_next = ∂J/∂a⟨t⟩ is the whole gradient reaching a⟨t⟩; as in the course there is no 1/m "
        "(J = Σ_t ⟨a⟨t⟩, da⟨t⟩⟩, a sum over the samples).",
        "da_next = ∂J/∂a⟨t⟩ 是到达 a⟨t⟩ 的全部梯度；与课程一样没有 1/m（J = Σ_t ⟨a⟨t⟩, da⟨t⟩⟩，对样本求和）。",
    ),
    Text(
        "The sizes n_a, n_x, m are arbitrary positive integers; the indices p, q range over them.",
        "维度 n_a、n_x、m 是任意正整数；下标 p、q 在相应的范围内取值。",
    ),
)


def _matrix_step(note: Text, lhs, target, rhs, ranges: dict, first_order=FIRST_ORDER_J) -> Step:
    """∂J/∂target through every pre-activation entry (SymPy's Kronecker deltas), proved for all indices in range."""
    return Step(note, lhs, rhs, meaning=sp.Derivative(first_order, target), proof=proof_for_all_indices(ranges))


def _cell_numeric(rng: np.random.Generator) -> float:
    """Finite differences of J = ⟨tanh(Waa a + Wax x + ba), da⟩ in Waa, against dtanh a⟨t−1⟩ᵀ."""
    import numpy as np

    na, nx, mm = 3, 2, 4
    Waa0, Wax0, ba0 = rng.normal(size=(na, na)), rng.normal(size=(na, nx)), rng.normal(size=(na, 1))
    a0, x0, da0 = rng.normal(size=(na, mm)), rng.normal(size=(nx, mm)), rng.normal(size=(na, mm))
    a1 = np.tanh(Waa0 @ a0 + Wax0 @ x0 + ba0)
    fd = central_difference(lambda W: np.sum(da0 * np.tanh(W @ a0 + Wax0 @ x0 + ba0)), Waa0)
    return relative_error(fd, (da0 * (1 - a1**2)) @ a0.T)


def cell_backward() -> Derivation:
    z_, a_, da_ = symbol("z", real=True), symbol("a", real=True), symbol("da_next", "da_{next}")
    dtanh_entry = symbol("dtanh_ik", r"d\tanh_{ik}")
    ones = sp.OneMatrix(m, 1)
    return Derivation(
        key="rnn.cell_backward",
        title=Text(
            "RNN step: dtanh = da_next ⊙ (1 − a⟨t⟩²), dWaa = dtanh a⟨t−1⟩ᵀ, da_prev = Waaᵀ dtanh",
            "RNN 的一步：dtanh = da_next ⊙ (1 − a⟨t⟩²)，dWaa = dtanh a⟨t−1⟩ᵀ，da_prev = Waaᵀ dtanh",
        ),
        statement=Text(
            "For every n_a, n_x and m: with dtanh = da_next ⊙ (1 − a⟨t⟩²), the step's gradients are "
            "dWax = dtanh x⟨t⟩ᵀ, dWaa = dtanh a⟨t−1⟩ᵀ, dba = the row sums of dtanh, dx⟨t⟩ = Waxᵀ dtanh and "
            "da_prev = Waaᵀ dtanh. tanh′ comes from the step's own output a⟨t⟩, never from a⟨t−1⟩.",
            "对任意 n_a、n_x 和 m：记 dtanh = da_next ⊙ (1 − a⟨t⟩²)，这一步的梯度是 "
            "dWax = dtanh x⟨t⟩ᵀ，dWaa = dtanh a⟨t−1⟩ᵀ，dba = dtanh 每一行的和，dx⟨t⟩ = Waxᵀ dtanh，"
            "da_prev = Waaᵀ dtanh。tanh′ 用的是这一步自己的输出 a⟨t⟩，而不是 a⟨t−1⟩。",
        ),
        hypotheses=CELL_HYPOTHESES,
        steps=(
            Step(
                Text(
                    "An entry of the pre-activation: a linear layer on a⟨t−1⟩ and x⟨t⟩ together.",
                    "预激活值的一个元素：作用在 a⟨t−1⟩ 和 x⟨t⟩ 上的线性层。",
                ),
                indexed("z⟨t⟩", r"z^{\langle t \rangle}")[i, k],
                _z(i, k),
                meaning=_z(i, k),
            ),
            Step(
                Text(
                    "Through tanh, entry by entry: a = tanh(z), and tanh′(z) = 1 − tanh²(z) = 1 − a², "
                    "the cached output (numpy: dtanh = da_next * (1 - a_next**2)).",
                    "经过 tanh，逐元素：a = tanh(z)，tanh′(z) = 1 − tanh²(z) = 1 − a²，"
                    "即缓存的输出（numpy：dtanh = da_next * (1 - a_next**2)）。",
                ),
                dtanh_entry,
                da_ * (1 - a_**2),
                meaning=sp.Derivative(da_ * sp.tanh(z_), z_),
                proof=lambda meaning, rhs: is_zero(meaning - rhs.subs(a_, sp.tanh(z_))),
            ),
            _matrix_step(
                Text("dWax: the chain rule through every entry of z⟨t⟩.", "dWax：对 z⟨t⟩ 的每个元素用链式法则。"),
                sp.Derivative(J, Wax[p, q]),
                Wax[p, q],
                MatrixElement(dtanh_ * xt_.T, p, q),
                {p: n_a, q: n_x},
            ),
            _matrix_step(
                Text("dWaa: the same, with a⟨t−1⟩ in place of x⟨t⟩.", "dWaa：同理，把 x⟨t⟩ 换成 a⟨t−1⟩。"),
                sp.Derivative(J, Waa[p, q]),
                Waa[p, q],
                MatrixElement(dtanh_ * a_prev_.T, p, q),
                {p: n_a, q: n_a_cols},
                FIRST_ORDER_J_COLS,
            ),
            _matrix_step(
                Text(
                    "dba: ba is added to every column, so its gradient sums dtanh over the samples.",
                    "dba：ba 加到每一列上，所以它的梯度是 dtanh 对样本求和。",
                ),
                sp.Derivative(J, ba[p]),
                ba[p],
                MatrixElement(dtanh_ * ones, p, 0),
                {p: n_a},
            ),
            _matrix_step(
                Text("dx⟨t⟩: the input's gradient.", "dx⟨t⟩：输入的梯度。"),
                sp.Derivative(J, xt[p, q]),
                xt[p, q],
                MatrixElement(Wax_.T * dtanh_, p, q),
                {p: n_x, q: m},
            ),
        ),
        result=_matrix_step(
            Text(
                "da_prev, what flows back to step t − 1 (numpy: Waa.T @ dtanh).",
                "da_prev，流回第 t − 1 步的梯度（numpy：Waa.T @ dtanh）。",
            ),
            sp.Derivative(J, a_prev[p, q]),
            a_prev[p, q],
            MatrixElement(Waa_.T * dtanh_, p, q),
            {p: n_a, q: m},
        ),
        numeric=_cell_numeric,
    )


# Through time: step t's quantities as indexed families over the steps.
T = symbol("T", integer=True, positive=True)
t = symbol("t", integer=True, positive=True)
s = sp.Symbol("s", integer=True, positive=True)
a_t, a_next_ = indexed("a⟨t⟩", r"a^{\langle t \rangle}"), indexed("a⟨t+1⟩", r"a^{\langle t+1 \rangle}")
x_next = indexed("x⟨t+1⟩", r"x^{\langle t+1 \rangle}")
da_t, g_t = indexed("da⟨t⟩", r"da^{\langle t \rangle}"), indexed("g⟨t⟩", r"g^{\langle t \rangle}")
dtanh_next = indexed("dtanh⟨t+1⟩", r"d\tanh^{\langle t+1 \rangle}")
G = indexed("G", "G")  # G[s]: one entry of step s's own gradient of a parameter, dtanh⟨s⟩ a⟨s−1⟩ᵀ
jac = indexed("j", "j")  # j[s]: ∂a⟨s⟩/∂a⟨s−1⟩ for one unit
gamma = symbol("γ", r"\gamma", positive=True)
w_norm = symbol("‖Waa‖", r"\lVert W_{aa} \rVert_2", positive=True)
bound = symbol("B(t)", r"B^{\langle t \rangle}")


def _sum_from(body: sp.Expr, start: sp.Expr) -> sp.Sum:
    return sp.Sum(body, (s, start, T))


def _peel_first(total: sp.Sum) -> sp.Expr:
    r"""\(\sum_{s=t}^{T} f(s) = f(t) + \sum_{s=t+1}^{T} f(s)\), valid for every t <= T."""
    ((var, lo, hi),) = total.limits
    return total.function.subs(var, lo) + sp.Sum(total.function, (var, lo + 1, hi))


def _peel_last_factor(product: sp.Product) -> sp.Expr:
    r"""\(\prod_{s=t}^{T} f(s) = \prod_{s=t+1}^{T} f(s) \cdot f(t)\), valid for every t <= T."""
    ((var, lo, hi),) = product.limits
    return sp.Product(product.function, (var, lo + 1, hi)) * product.function.subs(var, lo)


def _by_backward_induction(empty: sp.Expr, peel):
    """Proof that a closed form in t satisfies the loop's recursion (``meaning``) and is ``empty`` at t = T + 1:

    with the base, the recursion from t + 1 to t determines every t <= T, so the closed form is the loop's value.
    """

    def proof(meaning, closed):
        base = sp.simplify(closed.subs(t, T + 1).doit() - empty) == 0
        return base and is_zero(peel(closed) - meaning)

    return proof


def _reaching_numeric(rng: np.random.Generator) -> float:
    """A 4-step RNN: finite differences of J = Σ_t ⟨a⟨t⟩, da⟨t⟩⟩ in a⟨1⟩ against the recursion run from T back to 1."""
    import numpy as np

    na, steps = 3, 4
    Waa0 = rng.normal(size=(na, na)) * 0.8
    z_input = rng.normal(size=(na, steps + 1))  # Wax x⟨t⟩ + ba, one column per step
    da0 = rng.normal(size=(na, steps + 1))

    def run(a1):
        a = [None, a1]
        for step in range(2, steps + 1):
            a.append(np.tanh(Waa0 @ a[-1] + z_input[:, step]))
        return a

    a = run(rng.normal(size=na))
    fd = central_difference(lambda a1: sum(float(da0[:, r] @ run(a1)[r]) for r in range(1, steps + 1)), a[1])
    g = da0[:, steps]
    for step in range(steps - 1, 0, -1):
        g = da0[:, step] + Waa0.T @ (g * (1 - a[step + 1] ** 2))
    return relative_error(fd, g)


def bptt() -> Derivation:
    ranges = {p: n_a, q: m}
    z_next = _z(i, k, a_in=a_t, x_in=x_next)
    # J to first order around a⟨t⟩: step t's own output, and step t + 1's pre-activation (dtanh⟨t+1⟩ held)
    J_around = sp.Sum(da_t[i, k] * a_t[i, k] + dtanh_next[i, k] * z_next, (i, 0, n_a - 1), (k, 0, m - 1))
    dtanh_next_ = matrix("dtanh⟨t+1⟩", r"d\tanh^{\langle t+1 \rangle}", n_a, m)
    reaching = MatrixElement(Waa_.T * dtanh_next_, p, q) + da_t[p, q]
    # one step's Jacobian, one sample: ∂/∂a⟨t−1⟩_q of a⟨t⟩_p = tanh(Σ_j Waa_pj a⟨t−1⟩_j + ...)
    z_p = sp.Sum(Waa[p, j] * a_prev[j, 0], (j, 0, n_a - 1)) + sp.Sum(Wax[p, j] * xt[j, 0], (j, 0, n_x - 1)) + ba[p]
    jacobian = sp.Derivative(sp.tanh(z_p), a_prev[q, 0])
    one_minus_a2 = 1 - a_t[p, 0] ** 2

    def jacobian_proof(meaning, rhs):
        """The delta on j is summed out for every 0 <= q < n_a; a⟨t⟩_p is tanh of its pre-activation."""
        in_range, _ = _in_range({q: n_a})
        derived = canonical_dummies(sp.expand(collapse_deltas(meaning.subs(in_range))))
        claimed = canonical_dummies(sp.expand(rhs.subs(a_t[p, 0], sp.tanh(z_p)).subs(in_range)))
        return is_zero(derived - claimed)

    accumulated = _sum_from(G[s], t)
    path = sp.Product(jac[s], (s, t + 1, T))
    # the recursions the backward loop runs, with the closed form at t + 1 (or t) put in
    loop_sum = G[t] + accumulated.subs(t, t + 1)
    chain = path.subs(t, t) * jac[t]  # ∂a⟨T⟩/∂a⟨t−1⟩ = ∂a⟨T⟩/∂a⟨t⟩ · ∂a⟨t⟩/∂a⟨t−1⟩
    closed_bound = (gamma * w_norm) ** (T - t)
    return Derivation(
        key="rnn.bptt",
        title=Text(
            "Backprop through time: the gradient reaching a⟨t⟩, sums over the steps, and the vanishing gradient",
            "随时间反向传播：到达 a⟨t⟩ 的梯度、对各步求和，以及梯度消失",
        ),
        statement=Text(
            "For every sequence length T and every n_a, m: the gradient reaching a⟨t⟩ is its own output's "
            "da⟨t⟩ plus Waaᵀ dtanh⟨t+1⟩, what flows back from step t + 1 (nothing flows back to T); each "
            "parameter's gradient is the sum over the steps of the step's own; and ∂a⟨T⟩/∂a⟨t⟩ is the product "
            "of the step Jacobians diag(1 − a⟨s⟩²) Waa for s = T down to t + 1, so its norm is at most "
            "(γ ‖Waa‖₂)^(T−t) with γ = max |1 − a²| ≤ 1 over those steps: when γ ‖Waa‖₂ < 1 the gradient "
            "from step T vanishes geometrically at earlier steps. When γ ‖Waa‖₂ > 1 the bound allows it "
            "to grow (explode) but does not force it to.",
            "对任意序列长度 T 以及任意 n_a、m：到达 a⟨t⟩ 的梯度是它自己输出的 da⟨t⟩ "
            "加上 Waaᵀ dtanh⟨t+1⟩，即从第 t + 1 步流回的部分（流回第 T 步的为零）；"
            "每个参数的梯度是它在各步的梯度之和；"
            "∂a⟨T⟩/∂a⟨t⟩ 是各步雅可比矩阵 diag(1 − a⟨s⟩²) Waa（s 从 T 到 t + 1）的乘积，所以它的范数不超过 "
            "(γ ‖Waa‖₂)^(T−t)，其中 γ = 这些步上 |1 − a²| 的最大值 ≤ 1：当 γ ‖Waa‖₂ < 1 时，"
            "来自第 T 步的梯度在越早的步上按几何级数消失。"
            "当 γ ‖Waa‖₂ > 1 时，这个上界允许它增长（爆炸），但并不迫使它增长。",
        ),
        hypotheses=(
            Text(
                "a⟨s⟩ = tanh(Waa a⟨s−1⟩ + Wax x⟨s⟩ + ba) for s = 1, …, T, from a⟨0⟩; "
                "J = Σ_s ⟨a⟨s⟩, da⟨s⟩⟩, where da⟨s⟩ comes from step s's own output.",
                "a⟨s⟩ = tanh(Waa a⟨s−1⟩ + Wax x⟨s⟩ + ba)，s = 1, …, T，从 a⟨0⟩ 开始；"
                "J = Σ_s ⟨a⟨s⟩, da⟨s⟩⟩，其中 da⟨s⟩ 来自第 s 步自己的输出。",
            ),
            Text(
                "J depends on a⟨t⟩ through step t's own output and through z⟨t+1⟩ only: every later step "
                "reads a⟨t⟩ through a⟨t+1⟩. dtanh⟨t+1⟩ = ∂J/∂z⟨t+1⟩ (rnn.cell_backward).",
                "J 只通过第 t 步自己的输出和 z⟨t+1⟩ 依赖于 a⟨t⟩：之后的每一步都经由 a⟨t+1⟩ 读到 a⟨t⟩。"
                "dtanh⟨t+1⟩ = ∂J/∂z⟨t+1⟩（见 rnn.cell_backward）。",
            ),
            Text(
                "Waa, Wax and ba are shared by all steps: write step s's copy as Waa⟨s⟩ = Waa; the chain rule "
                "through Waa ↦ (Waa⟨1⟩, …, Waa⟨T⟩) adds the copies' gradients G⟨s⟩ = dtanh⟨s⟩ a⟨s−1⟩ᵀ, "
                "which the backward loop accumulates from s = T down to 1, starting from 0.",
                "Waa、Wax 和 ba 由所有步共用：把第 s 步用的那份记为 Waa⟨s⟩ = Waa；经过 Waa ↦ (Waa⟨1⟩, …, Waa⟨T⟩) "
                "的链式法则把各份的梯度 G⟨s⟩ = dtanh⟨s⟩ a⟨s−1⟩ᵀ 相加，反向循环从 s = T 到 1、从 0 开始累加它们。",
            ),
            Text(
                "Norms are spectral norms ‖·‖₂: ‖AB‖₂ ≤ ‖A‖₂ ‖B‖₂, ‖diag(v)‖₂ = max |v_i|, ‖I‖₂ = 1. "
                "For one unit (n_a = 1) the Jacobians j⟨s⟩ are numbers and the products below are exact; "
                "for n_a > 1 they are the same products of matrices, in the order s = T, …, t + 1.",
                "范数取谱范数 ‖·‖₂：‖AB‖₂ ≤ ‖A‖₂ ‖B‖₂，‖diag(v)‖₂ = max |v_i|，‖I‖₂ = 1。"
                "只有一个单元（n_a = 1）时，雅可比 j⟨s⟩ 是数，下面的乘积是精确的；"
                "n_a > 1 时是同样的矩阵乘积，按 s = T, …, t + 1 的顺序相乘。",
            ),
        ),
        steps=(
            Step(
                Text(
                    "One step's Jacobian, one sample: ∂a⟨t⟩_p/∂a⟨t−1⟩_q = (1 − a⟨t⟩_p²) Waa_pq, "
                    "that is diag(1 − a⟨t⟩²) Waa.",
                    "一步的雅可比矩阵（一个样本）：∂a⟨t⟩_p/∂a⟨t−1⟩_q = (1 − a⟨t⟩_p²) Waa_pq，即 diag(1 − a⟨t⟩²) Waa。",
                ),
                sp.Derivative(a_t[p, 0], a_prev[q, 0]),
                one_minus_a2 * Waa[p, q],
                meaning=jacobian,
                proof=jacobian_proof,
            ),
            Step(
                Text(
                    "The gradient reaching a⟨t⟩: its own output's da⟨t⟩ plus what flows back from step t + 1 "
                    "(numpy: da[:, :, t] + da_prevt, then rnn_cell_backward).",
                    "到达 a⟨t⟩ 的梯度：它自己输出的 da⟨t⟩，加上从第 t + 1 步流回的部分"
                    "（numpy：da[:, :, t] + da_prevt，再调用 rnn_cell_backward）。",
                ),
                g_t[p, q],
                reaching,
                meaning=sp.Derivative(J_around, a_t[p, q]),
                proof=proof_for_all_indices(ranges),
            ),
            Step(
                Text(
                    "A parameter's gradient is the sum over the steps: the loop adds G⟨t⟩ to what steps T, …, t + 1 "
                    "left (by induction on t, from 0 at t = T + 1).",
                    "参数的梯度是对各步求和：循环把 G⟨t⟩ 加到第 T, …, t + 1 步留下的和上"
                    "（对 t 归纳，t = T + 1 时为 0）。",
                ),
                symbol("dWaa(t)", r"dW_{aa}^{(t)}"),
                accumulated,
                meaning=loop_sum,
                proof=_by_backward_induction(0, _peel_first),
            ),
            Step(
                Text(
                    "∂a⟨T⟩/∂a⟨t⟩ is the product of the step Jacobians j⟨s⟩ = diag(1 − a⟨s⟩²) Waa for s = T, …, t + 1: "
                    "by the chain rule ∂a⟨T⟩/∂a⟨t−1⟩ = ∂a⟨T⟩/∂a⟨t⟩ · j⟨t⟩, and it is the identity at t = T "
                    "(induction on t).",
                    "∂a⟨T⟩/∂a⟨t⟩ 是各步雅可比 j⟨s⟩ = diag(1 − a⟨s⟩²) Waa（s = T, …, t + 1）的乘积："
                    "由链式法则 ∂a⟨T⟩/∂a⟨t−1⟩ = ∂a⟨T⟩/∂a⟨t⟩ · j⟨t⟩，且 t = T 时它是单位矩阵（对 t 归纳）。",
                ),
                sp.Derivative(symbol("a⟨T⟩", r"a^{\langle T \rangle}"), symbol("a⟨t−1⟩", r"a^{\langle t-1 \rangle}")),
                sp.Product(jac[s], (s, t, T)),
                meaning=chain,
                proof=_by_backward_induction(1, _peel_last_factor),
            ),
        ),
        result=Step(
            Text(
                "Its norm: each factor has ‖j⟨s⟩‖₂ ≤ ‖diag(1 − a⟨s⟩²)‖₂ ‖Waa‖₂ ≤ γ ‖Waa‖₂, so the bound B(t) of "
                "‖∂a⟨T⟩/∂a⟨t⟩‖₂ is 1 at t = T and gains that factor at each step back: (γ ‖Waa‖₂)^(T−t) "
                "(induction on t).",
                "它的范数：每个因子满足 ‖j⟨s⟩‖₂ ≤ ‖diag(1 − a⟨s⟩²)‖₂ ‖Waa‖₂ ≤ γ ‖Waa‖₂，所以 ‖∂a⟨T⟩/∂a⟨t⟩‖₂ "
                "的上界 B(t) 在 t = T 时为 1，每往回一步多乘这个因子：(γ ‖Waa‖₂)^(T−t)（对 t 归纳）。",
            ),
            bound,
            closed_bound,
            meaning=closed_bound.subs(t, t + 1) * gamma * w_norm,
            proof=lambda meaning, closed: closed.subs(t, T) == 1 and is_zero(meaning - closed),
        ),
        numeric=_reaching_numeric,
    )


# The LSTM, one unit: the gates are entrywise, so one entry carries the derivation.
z_f, z_i, z_c, z_o = (symbol(f"z_{g}", f"z_{{{g}}}") for g in "fico")
f, i_gate, cc, o = symbol("f", "f"), symbol("i", "i"), symbol("c̃", r"\tilde c"), symbol("o", "o")
c, c_prev = symbol("c⟨t⟩", r"c^{\langle t \rangle}"), symbol("c⟨t−1⟩", r"c^{\langle t-1 \rangle}")
da_next, dc_next = symbol("da_next", "da_{next}"), symbol("dc_next", "dc_{next}")
dc = symbol("dc", "dc")
a_in = symbol("a⟨t−1⟩_1", r"a^{\langle t-1 \rangle}")
w_gate = {g: symbol(f"w_{g}", f"w_{{{g}}}") for g in "fico"}  # a gate's weight on a⟨t−1⟩


def _sigma(z_):
    return 1 / (1 + sp.exp(-z_))


def _tanh(z_):
    """tanh written through e^(−2z), so that every derivative below is a rational function of exponentials
    (SymPy differentiates it several times faster than its own tanh, and the proofs need no trigonometry)."""
    return (1 - sp.exp(-2 * z_)) / (1 + sp.exp(-2 * z_))


GATES = {f: _sigma(z_f), i_gate: _sigma(z_i), cc: _tanh(z_c), o: _sigma(z_o)}
CELL = f * c_prev + i_gate * cc
DC = dc_next + da_next * o * (1 - sp.tanh(c) ** 2)


def _lstm_J(zs=None):
    """J to first order in a⟨t⟩ and c⟨t⟩ (da_next, dc_next held), as a function of the pre-activations and c⟨t−1⟩."""
    cell = CELL.xreplace(GATES)
    J_ = da_next * _sigma(z_o) * _tanh(cell) + dc_next * cell
    return J_ if zs is None else J_.xreplace(zs)


def _in_z(expr):
    """Write dc, c⟨t⟩ and the gates in terms of the pre-activations and c⟨t−1⟩."""
    return expr.xreplace({dc: DC}).xreplace({c: CELL}).xreplace(GATES).replace(sp.tanh, _tanh)


def _rational_zero(expr) -> bool:
    """Prove expr == 0 as a rational function of its tanh and exp terms, each taken as a variable of its own.

    The derivatives are taken already, so an identity in those variables is an identity of the functions.
    """
    names = {term: sp.Dummy() for term in expr.atoms(sp.tanh, sp.exp)}
    return sp.cancel(expr.xreplace(names)) == 0


def _affine_zero(expr, variables) -> bool:
    """Prove expr == 0 where expr is affine in ``variables``: no second derivatives, zero coefficients, zero rest."""
    if any(sp.diff(expr, v, w) != 0 for v in variables for w in variables):
        return False
    return _rational_zero(expr.subs(dict.fromkeys(variables, 0))) and all(
        _rational_zero(sp.diff(expr, v)) for v in variables
    )


def _lstm_proof(meaning, rhs):
    return _rational_zero(meaning - _in_z(rhs))


def _lstm_numeric(rng: np.random.Generator) -> float:
    """Finite differences of da·a⟨t⟩ + dc·c⟨t⟩ in c⟨t−1⟩ for a (3, 5) batch of units, against dc ⊙ f."""
    import numpy as np

    zf, zi, zc, zo, cp, da_, dc_ = rng.normal(size=(7, 3, 5))

    def sig(v):
        return 1 / (1 + np.exp(-v))

    def J_(cprev):
        cell = sig(zf) * cprev + sig(zi) * np.tanh(zc)
        return np.sum(da_ * sig(zo) * np.tanh(cell) + dc_ * cell)

    cell = sig(zf) * cp + sig(zi) * np.tanh(zc)
    return relative_error(central_difference(J_, cp), (dc_ + da_ * sig(zo) * (1 - np.tanh(cell) ** 2)) * sig(zf))


def lstm_cell_backward() -> Derivation:
    J_ = _lstm_J()
    d_gate = {g: symbol(f"d{g}t", rf"\mathit{{d{g}t}}") for g in ("o", "cc", "i", "f")}  # the course's dot, dcct…
    # each pre-activation as a function of a⟨t−1⟩; SymPy's chain rule differentiates J through all four
    z_of_a = {z_: sp.Function(f"z_{g}")(a_in) for z_, g in zip((z_f, z_i, z_c, z_o), "fico", strict=True)}
    slopes = {sp.Derivative(z_of_a[z_], a_in): w_gate[g] for z_, g in zip((z_f, z_i, z_c, z_o), "fico", strict=True)}
    dz = {"o": da_next * sp.tanh(c) * o * (1 - o), "c": dc * i_gate * (1 - cc**2)}
    dz |= {"i": dc * cc * i_gate * (1 - i_gate), "f": dc * c_prev * f * (1 - f)}
    return Derivation(
        key="lstm.cell_backward",
        title=Text(
            "LSTM step: dc = dc_next + da_next ⊙ o ⊙ (1 − tanh²c), every gate, and dc_prev = dc ⊙ f",
            "LSTM 的一步：dc = dc_next + da_next ⊙ o ⊙ (1 − tanh²c)、每个门，以及 dc_prev = dc ⊙ f",
        ),
        statement=Text(
            "The gradient reaching the cell c⟨t⟩ has two paths: dc_next from the next cell, and da_next "
            "through a⟨t⟩ = o ⊙ tanh(c⟨t⟩). Their sum dc feeds the update gate, the candidate and the forget "
            "gate; the output gate sees da_next alone. dc_prev = dc ⊙ f carries both paths: dropping f, "
            "or the path through tanh(c⟨t⟩), is wrong. The gates' weight gradients are the linear layer's "
            "rule on the stack [a⟨t−1⟩; x⟨t⟩] (dW = dz [a⟨t−1⟩; x⟨t⟩]ᵀ, db = row sums of dz), and da_prev, dx⟨t⟩ "
            "are the two blocks of Σ_gates Wᵀ dz: all four gates read a⟨t−1⟩ and x⟨t⟩.",
            "到达细胞状态 c⟨t⟩ 的梯度有两条路径：来自下一个细胞的 dc_next，以及经过 a⟨t⟩ = o ⊙ tanh(c⟨t⟩) "
            "的 da_next。两者之和 dc 流向更新门、候选值和遗忘门；输出门只看到 da_next。dc_prev = dc ⊙ f "
            "同时带着两条路径：漏掉 f，或漏掉经过 tanh(c⟨t⟩) 的路径，都是错的。各门权重的梯度是线性层的法则"
            "作用在堆叠 [a⟨t−1⟩; x⟨t⟩] 上（dW = dz [a⟨t−1⟩; x⟨t⟩]ᵀ，db = dz 每一行的和），"
            "da_prev 和 dx⟨t⟩ 是 Σ_门 Wᵀ dz 的两块：四个门都读入 a⟨t−1⟩ 和 x⟨t⟩。",
        ),
        hypotheses=(
            Text(
                "f = σ(z_f), i = σ(z_i), c̃ = tanh(z_c), o = σ(z_o), where each z = W [a⟨t−1⟩; x⟨t⟩] + b; "
                "c⟨t⟩ = f ⊙ c⟨t−1⟩ + i ⊙ c̃, a⟨t⟩ = o ⊙ tanh(c⟨t⟩). Everything but the z's is entrywise, "
                "so one unit (one entry) carries the derivation.",
                "f = σ(z_f)，i = σ(z_i)，c̃ = tanh(z_c)，o = σ(z_o)，其中每个 z = W [a⟨t−1⟩; x⟨t⟩] + b；"
                "c⟨t⟩ = f ⊙ c⟨t−1⟩ + i ⊙ c̃，a⟨t⟩ = o ⊙ tanh(c⟨t⟩)。除了各个 z，一切都是逐元素的，"
                "所以一个单元（一个元素）就承载了整个推导。",
            ),
            Text(
                "J depends on the step through a⟨t⟩ and c⟨t⟩ only: da_next = ∂J/∂a⟨t⟩ (the whole gradient "
                "reaching a⟨t⟩) and dc_next = ∂J/∂c⟨t⟩ through step t + 1's cell; no 1/m, as in the course.",
                "J 只通过 a⟨t⟩ 和 c⟨t⟩ 依赖这一步：da_next = ∂J/∂a⟨t⟩（到达 a⟨t⟩ 的全部梯度），"
                "dc_next = 经过第 t + 1 步细胞的 ∂J/∂c⟨t⟩；与课程一样没有 1/m。",
            ),
            Text(
                "For da_prev, one unit: each gate's z_g is a function of a⟨t−1⟩ with slope w_g, its weight on "
                "a⟨t−1⟩ (z_g = w_g a⟨t−1⟩ + terms in x⟨t⟩ and b_g); the matrix form is the linear layer's "
                "dA[l−1] = Wᵀ dZ summed over the gates.",
                "求 da_prev 时取一个单元：每个门的 z_g 是 a⟨t−1⟩ 的函数，斜率为 w_g，即该门作用在 a⟨t−1⟩ 上的权重"
                "（z_g = w_g a⟨t−1⟩ + 含 x⟨t⟩ 和 b_g 的项）；矩阵形式是线性层的 dA[l−1] = Wᵀ dZ 对各门求和。",
            ),
        ),
        steps=(
            Step(
                Text(
                    "dc: the two paths into c⟨t⟩, the next cell and a⟨t⟩ = o tanh(c⟨t⟩).",
                    "dc：进入 c⟨t⟩ 的两条路径，下一个细胞和 a⟨t⟩ = o tanh(c⟨t⟩)。",
                ),
                dc,
                DC,
                meaning=sp.Derivative(da_next * o * sp.tanh(c) + dc_next * c, c),
            ),
            Step(
                Text(
                    "The output gate: only a⟨t⟩ reads it (numpy: dot = da_next * tanh(c_next) * ot * (1 - ot)).",
                    "输出门：只有 a⟨t⟩ 用到它（numpy：dot = da_next * tanh(c_next) * ot * (1 - ot)）。",
                ),
                d_gate["o"],
                dz["o"],
                meaning=sp.Derivative(J_, z_o),
                proof=_lstm_proof,
            ),
            Step(
                Text(
                    "The candidate c̃: through c⟨t⟩, so with dc (numpy: dcct = dc * it * (1 - cct**2)).",
                    "候选值 c̃：经过 c⟨t⟩，所以乘的是 dc（numpy：dcct = dc * it * (1 - cct**2)）。",
                ),
                d_gate["cc"],
                dz["c"],
                meaning=sp.Derivative(J_, z_c),
                proof=_lstm_proof,
            ),
            Step(
                Text(
                    "The update gate i (numpy: dit = dc * cct * it * (1 - it)).",
                    "更新门 i（numpy：dit = dc * cct * it * (1 - it)）。",
                ),
                d_gate["i"],
                dz["i"],
                meaning=sp.Derivative(J_, z_i),
                proof=_lstm_proof,
            ),
            Step(
                Text(
                    "The forget gate f (numpy: dft = dc * c_prev * ft * (1 - ft)).",
                    "遗忘门 f（numpy：dft = dc * c_prev * ft * (1 - ft)）。",
                ),
                d_gate["f"],
                dz["f"],
                meaning=sp.Derivative(J_, z_f),
                proof=_lstm_proof,
            ),
            Step(
                Text(
                    "da_prev adds the four gates' paths, each through its own weight on a⟨t−1⟩.",
                    "da_prev 把四个门的路径相加，每条都经过该门作用在 a⟨t−1⟩ 上的权重。",
                ),
                sp.Derivative(J, a_in),
                sum((w_gate[g] * dz[g] for g in "fico"), sp.Integer(0)),
                meaning=sp.Derivative(_lstm_J(z_of_a), a_in),
                proof=lambda meaning, rhs: _affine_zero(
                    meaning.xreplace(slopes).xreplace({value: z_ for z_, value in z_of_a.items()}) - _in_z(rhs),
                    list(w_gate.values()),
                ),
            ),
        ),
        result=Step(
            Text(
                "dc_prev: both paths, times the forget gate (numpy: dc_prev = dc * ft).",
                "dc_prev：两条路径之和，乘以遗忘门（numpy：dc_prev = dc * ft）。",
            ),
            sp.Derivative(J, c_prev),
            dc * f,
            meaning=sp.Derivative(J_, c_prev),
            proof=_lstm_proof,
        ),
        numeric=_lstm_numeric,
    )


#: The keys of :func:`derivations`, in its order (the registry lists them without building anything).
KEYS = ("rnn.cell_backward", "rnn.bptt", "lstm.cell_backward")


def derivations() -> list[Derivation]:
    return [cell_backward(), bptt(), lstm_cell_backward()]
