r"""Backprop through time: the tanh RNN's step, the whole sequence for any length T, and the LSTM's step.

The RNN step \(a^{\langle t \rangle} = \tanh(W_{aa} a^{\langle t-1 \rangle} + W_{ax} x^{\langle t \rangle} + b_a)\)
is a linear layer on two inputs followed by tanh, so its rules are proved like the linear layer's:
entries are indexed sums whose sizes \(n_a, n_x, m\) are symbols (``derivations.indexed``).
As in the course, the backward functions return the gradients of
\(J = \sum_t \langle a^{\langle t \rangle}, da^{\langle t \rangle} \rangle\), with no 1/m.

Through time, the proofs hold for symbolic n_a, n_x, m (indexed sums, entry by entry) and a symbolic
number of steps T (induction, like ``optimizers.bias_correction``): one step's Jacobian, the order in
which the step Jacobians multiply to carry a gradient from step T back to step t (an ordered product
of matrices, :class:`OrderedProduct`), the gradient reaching each state, the sum over the steps that
shared parameters get, that the tanh slope 1 − a² lies in (0, 1] (so γ ≤ 1), and the bound on the
product's norm that makes it vanish. That bound cites one theorem it does not check, the
submultiplicativity of the spectral norm.

The LSTM's gates act entrywise, so one unit carries its whole derivation;
the matrix parts are the linear layer's rules on the stack \([a^{\langle t-1 \rangle}; x^{\langle t \rangle}]\).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from .core import (
    TEX_NAMES,
    Derivation,
    Step,
    Text,
    central_difference,
    indexed,
    is_zero,
    matrix,
    relative_error,
    symbol,
)
from .indexed import _in_range, canonical_dummies, collapse_deltas, proof_for_all_indices, to_indexed

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
dtanh = indexed("dtanh", r"\mathit{dtanh}")
Waa_, Wax_ = matrix("Waa", "W_{aa}", n_a, n_a), matrix("Wax", "W_{ax}", n_a, n_x)
a_prev_, xt_ = matrix("a⟨t−1⟩", r"a^{\langle t-1 \rangle}", n_a, m), matrix("x⟨t⟩", r"x^{\langle t \rangle}", n_x, m)
dtanh_ = matrix("dtanh", r"\mathit{dtanh}", n_a, m)


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
    z_t, a_t = indexed("z⟨t⟩", r"z^{\langle t \rangle}"), indexed("a⟨t⟩", r"a^{\langle t \rangle}")
    da_next = indexed("da_next", "da_{next}")
    u, v = sp.symbols("u v", integer=True, nonnegative=True)
    # J to first order in a⟨t⟩, with da_next = ∂J/∂a⟨t⟩ held fixed, written through z⟨t⟩ (a⟨t⟩ = tanh z⟨t⟩)
    through_tanh = sp.Sum(da_next[u, v] * sp.tanh(z_t[u, v]), (u, 0, n_a - 1), (v, 0, m - 1))
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
                    "激活前的值的一个元素：作用在 a⟨t−1⟩ 和 x⟨t⟩ 上的线性层。",
                ),
                z_t[i, k],
                _z(i, k),
                meaning=_z(i, k),
            ),
            Step(
                Text(
                    "Through tanh, entry by entry: dtanh_ik = ∂J/∂z⟨t⟩_ik, where a⟨t⟩_ik = tanh(z⟨t⟩_ik) depends "
                    "on z⟨t⟩_ik alone and tanh′ = 1 − tanh² = 1 − a⟨t⟩_ik², from the cached output "
                    "(numpy: dtanh = da_next * (1 - a_next**2)).",
                    "经过 tanh，逐元素：dtanh_ik = ∂J/∂z⟨t⟩_ik，其中 a⟨t⟩_ik = tanh(z⟨t⟩_ik) 只依赖于 z⟨t⟩_ik，"
                    "tanh′ = 1 − tanh² = 1 − a⟨t⟩_ik²，取自缓存的输出（numpy：dtanh = da_next * (1 - a_next**2)）。",
                ),
                dtanh[i, k],
                da_next[i, k] * (1 - a_t[i, k] ** 2),
                meaning=sp.Derivative(through_tanh, z_t[i, k]),
                proof=lambda meaning, rhs: proof_for_all_indices({i: n_a, k: m})(
                    meaning, rhs.subs(a_t[i, k], sp.tanh(z_t[i, k]))
                ),
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
r, l = sp.symbols("r l", integer=True, nonnegative=True)
a_t, a_next_ = indexed("a⟨t⟩", r"a^{\langle t \rangle}"), indexed("a⟨t+1⟩", r"a^{\langle t+1 \rangle}")
a_last = indexed("a⟨T⟩", r"a^{\langle T \rangle}")
x_next = indexed("x⟨t+1⟩", r"x^{\langle t+1 \rangle}")
da_t, g_t = indexed("da⟨t⟩", r"da^{\langle t \rangle}"), indexed("g⟨t⟩", r"g^{\langle t \rangle}")
g_next = indexed("g⟨t+1⟩", r"g^{\langle t+1 \rangle}")
a_next_m = matrix("a⟨t+1⟩", r"a^{\langle t+1 \rangle}", n_a, m)
g_next_m = matrix("g⟨t+1⟩", r"g^{\langle t+1 \rangle}", n_a, m)
G = indexed("G", "G")  # G[s]: one entry of step s's own gradient of a parameter, dtanh⟨s⟩ a⟨s−1⟩ᵀ
w = symbol("w", "w")  # one entry of a shared parameter, e.g. Waa[p, q]
F = sp.Function("F")  # J as a function of the first steps' copy and the last step's copy of w
symbol("F", "F")
gamma = symbol("γ", r"\gamma", positive=True)
w_norm = symbol("‖Waa‖", r"\lVert W_{aa} \rVert_2", positive=True)
bound = symbol("B⟨t⟩", r"B^{\langle t \rangle}")
v, u, slack = indexed("v", "v"), sp.IndexedBase("u", real=True), sp.IndexedBase("ε", nonnegative=True)
shortfall = symbol("δ", r"\delta", nonnegative=True)  # γ = 1 − δ: step 9's γ ≤ 1
TEX_NAMES["u"], TEX_NAMES["ε"] = "u", r"\varepsilon"
z_real, a_state = symbol("z", "z", real=True), symbol("a", "a", real=True)  # one unit: a = tanh(z), z real


def _partial(of: str, of_tex: str, by: str, by_tex: str) -> sp.Symbol:
    """∂of/∂by as a name to display: SymPy prints the derivative of one symbol by another with an upright d."""
    return symbol(f"∂{of}/∂{by}", rf"\frac{{\partial {of_tex}}}{{\partial {by_tex}}}")


def step_jacobian(step: sp.Expr) -> sp.MatrixSymbol:
    """𝒥⟨s⟩ = ∂a⟨s⟩/∂a⟨s−1⟩ for one sample, an (n_a, n_a) matrix."""
    return matrix(f"𝒥⟨{step}⟩", rf"\mathcal{{J}}^{{\langle {sp.latex(step)} \rangle}}", n_a, n_a)


class OrderedProduct(sp.MatrixExpr):
    r"""\(\mathcal{J}^{\langle hi \rangle} \cdots \mathcal{J}^{\langle lo \rangle}\): the step Jacobians from
    step ``hi`` down to step ``lo``, the latest on the left; the identity when lo > hi (no step)."""

    def __new__(cls, lo, hi):
        return super().__new__(cls, sp.sympify(lo), sp.sympify(hi))

    lo, hi = property(lambda self: self.args[0]), property(lambda self: self.args[1])
    shape = property(lambda self: (n_a, n_a))

    def doit(self, **hints):
        return sp.Identity(n_a) if (self.hi - self.lo).is_negative else self

    def peel_right(self) -> sp.MatMul:
        """𝒥⟨hi⟩ ⋯ 𝒥⟨lo⟩ = (𝒥⟨hi⟩ ⋯ 𝒥⟨lo+1⟩) 𝒥⟨lo⟩: the earliest factor split off on the right."""
        return sp.MatMul(OrderedProduct(self.lo + 1, self.hi), step_jacobian(self.lo))

    def _latex(self, printer):
        def J_(step):
            return rf"\mathcal{{J}}^{{\langle {printer._print(step)} \rangle}}"

        return rf"{J_(self.hi)} {J_(self.hi - 1)} \cdots {J_(self.lo)}"

    def _sympystr(self, printer):
        return f"𝒥⟨{self.hi}⟩ 𝒥⟨{self.hi - 1}⟩ ⋯ 𝒥⟨{self.lo}⟩"


def _in_interval(meaning: sp.Expr, interval: sp.Interval) -> bool:
    """``meaning`` lies in ``interval`` for every value of its real symbols: each end's difference has the sign
    the end asks for (> 0 at an open end, >= 0 at a closed one), as SymPy's assumptions decide it for the
    difference or its trigsimp form (1 − tanh² is 1/cosh²). Undecided counts as not proved."""

    def signed(difference: sp.Expr, strict: bool) -> bool:
        def sign(form):
            return (form.is_positive if strict else form.is_nonnegative) is True

        return sign(difference) or sign(sp.trigsimp(difference))

    return signed(meaning - interval.start, interval.left_open) and signed(interval.end - meaning, interval.right_open)


def _sum_from(body: sp.Expr, start: sp.Expr) -> sp.Sum:
    return sp.Sum(body, (s, start, T))


def _peel_first(total: sp.Sum) -> sp.Expr:
    r"""\(\sum_{s=t}^{T} f(s) = f(t) + \sum_{s=t+1}^{T} f(s)\), valid for every t <= T."""
    ((var, lo, hi),) = total.limits
    return total.function.subs(var, lo) + sp.Sum(total.function, (var, lo + 1, hi))


def _peel_last(total: sp.Sum) -> sp.Expr:
    r"""\(\sum_{s=1}^{T} f(s) = \sum_{s=1}^{T-1} f(s) + f(T)\), valid for every T >= 1."""
    ((var, lo, hi),) = total.limits
    return sp.Sum(total.function, (var, lo, hi - 1)) + total.function.subs(var, hi)


def _by_backward_induction(empty: sp.Expr, peel):
    """Proof that a closed form in t satisfies the loop's recursion (``meaning``) and is ``empty`` at t = T + 1:

    with the base, the recursion from t + 1 to t determines every t <= T, so the closed form is the loop's value.
    """

    def proof(meaning, closed):
        base = sp.simplify(closed.subs(t, T + 1).doit() - empty) == 0
        return base and is_zero(peel(closed) - meaning)

    return proof


def _summed_out(expr: sp.Expr, in_range: dict) -> sp.Expr:
    """``expr`` with its indices in range, Kronecker deltas summed out, dummies renamed: a normal form."""
    return canonical_dummies(sp.expand(collapse_deltas(sp.expand(expr.subs(in_range)))))


def _same_sums(lhs: sp.Expr, rhs: sp.Expr) -> bool:
    """lhs == rhs for normal forms (:func:`_summed_out`): the terms outside sums cancel, and the sums over the same
    ranges cancel body against body (each body as a polynomial in its entries and tanh terms)."""
    by_range: dict = {}
    rest = sp.Integer(0)
    for term in sp.Add.make_args(sp.expand(lhs - rhs)):
        sums = [factor for factor in sp.Mul.make_args(term) if isinstance(factor, sp.Sum)]
        coefficient = sp.Mul(*(factor for factor in sp.Mul.make_args(term) if not isinstance(factor, sp.Sum)))
        if len(sums) == 1:
            by_range[sums[0].limits] = by_range.get(sums[0].limits, 0) + coefficient * sums[0].function
        elif sums:
            return False
        else:
            rest += term
    return sp.expand(rest) == 0 and all(sp.expand(body) == 0 for body in by_range.values())


def _entrywise_proof(ranges: dict, outputs: dict):
    """Prove meaning == rhs entry by entry, with each output entry (``a⟨t⟩[p, k]``…) written as tanh of its
    pre-activation: ``outputs`` maps an IndexedBase to the pre-activation of its entry (row, column)."""

    def as_tanh(expr):
        return expr.replace(
            lambda e: isinstance(e, sp.Indexed) and e.base in outputs,
            lambda e: sp.tanh(outputs[e.base](*e.indices)),
        )

    def proof(meaning, rhs):
        in_range, _ = _in_range(ranges)
        return _same_sums(_summed_out(meaning, in_range), _summed_out(as_tanh(to_indexed(rhs).doit()), in_range))

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
    Jt = step_jacobian(t)
    P = matrix("∂a⟨T⟩/∂a⟨t⟩", r"\frac{\partial a^{\langle T \rangle}}{\partial a^{\langle t \rangle}}", n_a, n_a)
    P_entry = sp.IndexedBase(P.name)
    # (a) one step's Jacobian: a⟨t⟩[p, k] = tanh(z⟨t⟩[p, k]) against a⟨t−1⟩[q, l], every sample pair
    step_entry = sp.KroneckerDelta(k, l) * (1 - a_t[p, k] ** 2) * Waa[p, q]
    # (b) one step back from a⟨t⟩ to a⟨t−1⟩, one sample: a⟨T⟩_r to first order in a⟨t⟩ is Σ_i P[r, i] a⟨t⟩_i
    through_a_t = sp.Sum(P_entry[r, i] * sp.tanh(_z(i, 0)), (i, 0, n_a - 1))
    jacobian_entries = {Jt.name: lambda row, col: (1 - sp.tanh(_z(row, 0)) ** 2) * Waa[row, col]}

    def order_proof(meaning, rhs):
        """Entry (r, q) of the claimed product, with 𝒥⟨t⟩'s entries from (a), against the chain rule's."""
        in_range, _ = _in_range({q: n_a})
        claimed = (
            to_indexed(rhs)
            .doit()
            .replace(
                lambda e: isinstance(e, sp.Indexed) and e.base.name in jacobian_entries,
                lambda e: jacobian_entries[e.base.name](*e.indices),
            )
        )
        return _same_sums(_summed_out(meaning, in_range), _summed_out(claimed, in_range))

    back_one = P * Jt  # ∂a⟨T⟩/∂a⟨t−1⟩ in terms of ∂a⟨T⟩/∂a⟨t⟩ (step 2), in its order
    closed_product = OrderedProduct(t + 1, T)  # ∂a⟨T⟩/∂a⟨t⟩

    def product_proof(meaning, closed):
        """Base: at t = T (no step) the closed form is the identity, ∂a⟨T⟩/∂a⟨T⟩ entry by entry; step: it
        peels into the recursion (b) with the closed form at t put in, factors in the same order."""
        identity = closed.subs(t, T + 1).doit()
        base = identity == sp.Identity(n_a) and sp.diff(a_last[r, 0], a_last[q, 0]) == sp.KroneckerDelta(r, q)
        return base and closed.peel_right() == meaning

    # (b) the gradient reaching a⟨t⟩: J to first order in a⟨t⟩, with g⟨t+1⟩ = ∂J/∂a⟨t+1⟩ held fixed
    def z_next(row, col):
        return _z(row, col, a_in=a_t, x_in=x_next)

    J_around = sp.Sum(da_t[i, k] * a_t[i, k] + g_next[i, k] * sp.tanh(z_next(i, k)), (i, 0, n_a - 1), (k, 0, m - 1))
    slope_next = sp.OneMatrix(n_a, m) - sp.HadamardPower(a_next_m, 2)
    reaching = da_t[p, q] + MatrixElement(Waa_.T * sp.HadamardProduct(slope_next, g_next_m), p, q)
    # (c) a shared parameter: w's copy in steps 1..T and in step T + 1, tied
    two_copies = F(w, w)
    upto = sp.Sum(G[s], (s, 1, T))

    # (d) ‖diag(v) u‖² <= γ² ‖u‖² when every |v_i| <= γ, written v_i² = γ² − ε_i with ε_i >= 0
    squared_norm = sp.Sum(v[i] ** 2 * u[i] ** 2, (i, 0, n_a - 1))

    def diagonal_proof(meaning, rhs):
        if meaning.limits != rhs.limits:
            return False
        gap = sp.expand(meaning.function - rhs.function).subs(v[i] ** 2, gamma**2 - slack[i])
        return bool(sp.Sum(sp.factor(gap), *meaning.limits).is_nonnegative)

    closed_bound = (gamma * w_norm) ** (T - t)

    # (e) (γ ‖Waa‖₂)^e ≤ ‖Waa‖₂^e for 0 < γ ≤ 1 and every integer e ≥ 0
    whole = sp.Dummy("k", integer=True, nonnegative=True)

    def power_proof(meaning, rhs):
        """The difference is x^e (1 − c^e) with x the right side's base and c the left's extra factor, and
        1 − c^e >= 0 by induction on e: 0 at e = 0, and 1 − c^(k+1) = (1 − c^k) + c^k (1 − c), where c^k > 0
        and 1 − c >= 0 once c = γ is written 1 − δ with δ >= 0 (step 9)."""
        if not (isinstance(meaning, sp.Pow) and isinstance(rhs, sp.Pow) and meaning.exp == rhs.exp):
            return False
        c, e = sp.cancel(meaning.base / rhs.base), rhs.exp
        short = lambda power: 1 - c**power  # noqa: E731
        factored = is_zero(sp.expand_power_base(rhs - meaning) - rhs.base**e * short(e))
        induction = short(0) == 0 and is_zero(short(whole + 1) - short(whole) - c**whole * (1 - c))
        signs = (c**whole).is_positive and (1 - c).subs(gamma, 1 - shortfall).is_nonnegative and rhs.base.is_positive
        return bool(factored and induction and signs and e.is_integer)

    def tied_proof(meaning, closed):
        """The chain rule's two terms, with the induction hypothesis for the first T copies and step T + 1's own
        gradient for the last, make the closed form at T + 1; and the closed form is G_1 for one step."""
        partials = {term.expr.expr.args.index(term.expr.variables[0]): term for term in meaning.atoms(sp.Subs)}
        hypothesis = meaning.xreplace({partials[0]: upto, partials[1]: G[T + 1]})
        base = isinstance(closed, sp.Sum) and closed.subs(T, 1).doit() == G[1]
        return base and is_zero(_peel_last(closed.subs(T, T + 1)) - hypothesis)

    return Derivation(
        key="rnn.bptt",
        title=Text(
            "Backprop through time: the gradient reaching a⟨t⟩, sums over the steps, and the vanishing gradient",
            "随时间反向传播：到达 a⟨t⟩ 的梯度、对各步求和，以及梯度消失",
        ),
        statement=Text(
            "For every sequence length T and every n_a, n_x, m: one step's Jacobian is "
            "𝒥⟨t⟩ = diag(1 − a⟨t⟩²) Waa for each sample; ∂a⟨T⟩/∂a⟨t⟩ is the ordered product "
            "𝒥⟨T⟩ 𝒥⟨T−1⟩ ⋯ 𝒥⟨t+1⟩, the latest step's Jacobian on the left; the gradient reaching a⟨t⟩ is its "
            "own output's da⟨t⟩ plus Waaᵀ[(1 − a⟨t+1⟩²) ⊙ g⟨t+1⟩], what flows back from step t + 1 (nothing "
            "flows back to T); and each shared parameter's gradient is the sum over the steps of the step's "
            "own. Each tanh slope 1 − a² lies in (0, 1], so γ, the largest 1 − a² over the steps back, is at "
            "most 1, and ‖∂a⟨T⟩/∂a⟨t⟩‖₂ ≤ (γ ‖Waa‖₂)^(T−t) ≤ ‖Waa‖₂^(T−t): when γ ‖Waa‖₂ < 1 (in particular "
            "whenever ‖Waa‖₂ < 1) the gradient from step T vanishes geometrically at earlier steps. When "
            "γ ‖Waa‖₂ > 1 the bound allows it to grow (explode) but does not force it to. The bound uses "
            "one cited theorem, ‖AB‖₂ ≤ ‖A‖₂ ‖B‖₂, which SymPy does not check.",
            "对任意序列长度 T 以及任意 n_a、n_x、m：对每个样本，一步的雅可比矩阵是 "
            "𝒥⟨t⟩ = diag(1 − a⟨t⟩²) Waa；∂a⟨T⟩/∂a⟨t⟩ 是按顺序的乘积 𝒥⟨T⟩ 𝒥⟨T−1⟩ ⋯ 𝒥⟨t+1⟩，"
            "最晚一步的雅可比在最左边；到达 a⟨t⟩ 的梯度是它自己输出的 da⟨t⟩ 加上 "
            "Waaᵀ[(1 − a⟨t+1⟩²) ⊙ g⟨t+1⟩]，即从第 t + 1 步流回的部分（流回第 T 步的为零）；"
            "每个共用参数的梯度是它在各步的梯度之和。tanh 的每个斜率 1 − a² 都在 (0, 1] 内，所以往回各步上 "
            "1 − a² 的最大值 γ 不超过 1，且 ‖∂a⟨T⟩/∂a⟨t⟩‖₂ ≤ (γ ‖Waa‖₂)^(T−t) ≤ ‖Waa‖₂^(T−t)："
            "当 γ ‖Waa‖₂ < 1 时（特别是只要 ‖Waa‖₂ < 1），来自第 T 步的梯度在越早的步上按几何级数消失。"
            "当 γ ‖Waa‖₂ > 1 时，这个上界允许它增长（爆炸），但并不迫使它增长。"
            "这个上界用到一条引用的定理 ‖AB‖₂ ≤ ‖A‖₂ ‖B‖₂，SymPy 没有验证它。",
        ),
        hypotheses=(
            Text(
                "a⟨s⟩ = tanh(Waa a⟨s−1⟩ + Wax x⟨s⟩ + ba) for s = 1, …, T, from a⟨0⟩; "
                "J = Σ_s ⟨a⟨s⟩, da⟨s⟩⟩, where da⟨s⟩ comes from step s's own output. The sizes n_a, n_x, m "
                "and the length T are arbitrary positive integers.",
                "a⟨s⟩ = tanh(Waa a⟨s−1⟩ + Wax x⟨s⟩ + ba)，s = 1, …, T，从 a⟨0⟩ 开始；"
                "J = Σ_s ⟨a⟨s⟩, da⟨s⟩⟩，其中 da⟨s⟩ 来自第 s 步自己的输出。维度 n_a、n_x、m 和长度 T "
                "是任意正整数。",
            ),
            Text(
                "The unrolled graph: every step after t reads a⟨t⟩ only through a⟨t+1⟩. So J depends on a⟨t⟩ "
                "through step t's own output and z⟨t+1⟩ only, and a⟨T⟩ on a⟨t−1⟩ only through a⟨t⟩. The chain "
                "rule through such an intermediate is its first-order term, as for the linear layer: "
                "g⟨t+1⟩ = ∂J/∂a⟨t+1⟩ and ∂a⟨T⟩/∂a⟨t⟩ are held fixed.",
                "展开后的计算图：第 t 步之后的每一步都只经由 a⟨t+1⟩ 读到 a⟨t⟩。所以 J 只通过第 t 步自己的输出"
                "和 z⟨t+1⟩ 依赖 a⟨t⟩，a⟨T⟩ 只通过 a⟨t⟩ 依赖 a⟨t−1⟩。经过这样一个中间量的链式法则取它的一阶项，"
                "与线性层相同：g⟨t+1⟩ = ∂J/∂a⟨t+1⟩ 和 ∂a⟨T⟩/∂a⟨t⟩ 保持不变。",
            ),
            Text(
                "Waa, Wax and ba are shared by all steps: step s uses its own copy, equal to the shared value; "
                "G_s = ∂J/∂(step s's copy), which rnn.cell_backward gives (dtanh⟨s⟩ a⟨s−1⟩ᵀ for Waa).",
                "Waa、Wax 和 ba 由所有步共用：第 s 步用它自己的一份，其值等于共用的值；"
                "G_s = ∂J/∂（第 s 步的那一份），由 rnn.cell_backward 给出（对 Waa 是 dtanh⟨s⟩ a⟨s−1⟩ᵀ）。",
            ),
            Text(
                "Cited, not checked here: the spectral norm ‖A‖₂ = max over u ≠ 0 of ‖Au‖/‖u‖ is submultiplicative, "
                "‖AB‖₂ ≤ ‖A‖₂ ‖B‖₂ (a standard theorem). By that definition ‖I‖₂ = 1, and ‖diag(v)‖₂ ≤ γ follows "
                "from step 8.",
                "引用而未在此验证：谱范数 ‖A‖₂ = 对 u ≠ 0 取 ‖Au‖/‖u‖ 的最大值，满足次乘性 "
                "‖AB‖₂ ≤ ‖A‖₂ ‖B‖₂（一条标准定理）。由这个定义，‖I‖₂ = 1，而 ‖diag(v)‖₂ ≤ γ 由第 8 步得出。",
            ),
        ),
        steps=(
            Step(
                Text(
                    "One step's Jacobian, entry by entry: ∂a⟨t⟩_pk/∂a⟨t−1⟩_ql = δ_kl (1 − a⟨t⟩_pk²) Waa_pq. "
                    "Samples do not mix, and for sample k it is 𝒥⟨t⟩ = diag(1 − a⟨t⟩²) Waa.",
                    "一步的雅可比矩阵，逐元素：∂a⟨t⟩_pk/∂a⟨t−1⟩_ql = δ_kl (1 − a⟨t⟩_pk²) Waa_pq。"
                    "样本之间互不影响；对第 k 个样本，它就是 𝒥⟨t⟩ = diag(1 − a⟨t⟩²) Waa。",
                ),
                sp.Derivative(a_t[p, k], a_prev[q, l]),
                step_entry,
                meaning=sp.Derivative(sp.tanh(_z(p, k)), a_prev[q, l]),
                proof=_entrywise_proof({q: n_a}, {a_t: _z}),
            ),
            Step(
                Text(
                    "One step back, one sample: a⟨T⟩ reads a⟨t−1⟩ through a⟨t⟩, so ∂a⟨T⟩/∂a⟨t−1⟩ = "
                    "∂a⟨T⟩/∂a⟨t⟩ · 𝒥⟨t⟩, the new step's Jacobian multiplied on the right.",
                    "往回一步（一个样本）：a⟨T⟩ 经由 a⟨t⟩ 读到 a⟨t−1⟩，所以 ∂a⟨T⟩/∂a⟨t−1⟩ = "
                    "∂a⟨T⟩/∂a⟨t⟩ · 𝒥⟨t⟩，新一步的雅可比乘在右边。",
                ),
                sp.Derivative(a_last[r, 0], a_prev[q, 0]),
                MatrixElement(back_one, r, q),
                meaning=sp.Derivative(through_a_t, a_prev[q, 0]),
                proof=order_proof,
            ),
            Step(
                Text(
                    "By induction on t from t = T, where ∂a⟨T⟩/∂a⟨T⟩ = I (no step): ∂a⟨T⟩/∂a⟨t−1⟩ is the ordered "
                    "product 𝒥⟨T⟩ ⋯ 𝒥⟨t⟩, which is the product for t times 𝒥⟨t⟩ on the right, as step 2 requires.",
                    "从 t = T 开始对 t 归纳，此时 ∂a⟨T⟩/∂a⟨T⟩ = I（没有一步）：∂a⟨T⟩/∂a⟨t−1⟩ 是按顺序的乘积 "
                    "𝒥⟨T⟩ ⋯ 𝒥⟨t⟩，它等于 t 时的乘积右乘 𝒥⟨t⟩，正是第 2 步所要求的。",
                ),
                _partial("a⟨T⟩", r"a^{\langle T \rangle}", "a⟨t−1⟩", r"a^{\langle t-1 \rangle}"),
                OrderedProduct(t, T),
                meaning=back_one.xreplace({P: closed_product}),
                proof=product_proof,
            ),
            Step(
                Text(
                    "The gradient reaching the last state: no later step reads a⟨T⟩, so it is da⟨T⟩ alone.",
                    "到达最后一个状态的梯度：之后没有哪一步读入 a⟨T⟩，所以它只是 da⟨T⟩。",
                ),
                sp.Derivative(J, a_last[p, q]),
                indexed("da⟨T⟩", r"da^{\langle T \rangle}")[p, q],
                meaning=sp.Derivative(
                    sp.Sum(sp.IndexedBase("da⟨T⟩")[i, k] * a_last[i, k], (i, 0, n_a - 1), (k, 0, m - 1)),
                    a_last[p, q],
                ),
                proof=proof_for_all_indices({p: n_a, q: m}),
            ),
            Step(
                Text(
                    "The gradient reaching a⟨t⟩, from the one reaching a⟨t+1⟩: its own output's da⟨t⟩ plus "
                    "what flows back through z⟨t+1⟩ (numpy: da[:, :, t] + da_prevt, then rnn_cell_backward). "
                    "With the last step, induction on t gives it at every t ≤ T, for every T.",
                    "由到达 a⟨t+1⟩ 的梯度得到到达 a⟨t⟩ 的梯度：它自己输出的 da⟨t⟩，加上经过 z⟨t+1⟩ 流回的部分"
                    "（numpy：da[:, :, t] + da_prevt，再调用 rnn_cell_backward）。"
                    "连同上一步，对 t 归纳便得到每个 t ≤ T、每个 T 上的结果。",
                ),
                g_t[p, q],
                reaching,
                meaning=sp.Derivative(J_around, a_t[p, q]),
                proof=_entrywise_proof({p: n_a, q: m}, {a_next_: z_next}),
            ),
            Step(
                Text(
                    "A shared parameter's gradient is the sum over the steps, by induction on T: with T + 1 steps, "
                    "J = F(w, w), F's first argument the copy of steps 1, …, T and its second the copy of step "
                    "T + 1. The chain rule gives ∂₁F + ∂₂F, where ∂₁F = G_1 + … + G_T by the hypothesis and "
                    "∂₂F = G_(T+1): one step more adds one term. With one step the sum is G_1.",
                    "共用参数的梯度是对各步求和，对 T 归纳：有 T + 1 步时 J = F(w, w)，F 的第一个自变量是第 1, …, T "
                    "步的那一份，第二个是第 T + 1 步的那一份。链式法则给出 ∂₁F + ∂₂F，其中由归纳假设 "
                    "∂₁F = G_1 + … + G_T，而 ∂₂F = G_(T+1)：多一步就多一项。只有一步时和为 G_1。",
                ),
                _partial("J", "J", "w", "w"),
                upto,
                meaning=sp.Derivative(two_copies, w),
                proof=tied_proof,
            ),
            Step(
                Text(
                    "The backward loop computes that sum: once it has run steps T down to t it holds dWaa⟨t…T⟩, "
                    "G_t added to what steps T, …, t + 1 left (by induction on t, from 0 at t = T + 1).",
                    "反向循环算出的正是这个和：从第 T 步倒着走完第 t 步时，它存的是 dWaa⟨t…T⟩，"
                    "即把 G_t 加到第 T, …, t + 1 步留下的和上（对 t 归纳，t = T + 1 时为 0）。",
                ),
                symbol("dWaa⟨t…T⟩", r"dW_{aa}^{\langle t \ldots T \rangle}"),
                _sum_from(G[s], t),
                meaning=G[t] + _sum_from(G[s], t + 1),
                proof=_by_backward_induction(0, _peel_first),
            ),
            Step(
                Text(
                    "‖diag(v)‖₂ ≤ γ when every |v_i| ≤ γ: for every vector u, ‖diag(v) u‖² = Σ_i v_i² u_i² is at "
                    "most γ² ‖u‖², since the difference is Σ_i (γ² − v_i²) u_i², a sum of terms ≥ 0. With "
                    "v = 1 − a⟨s⟩², the factor of 𝒥⟨s⟩.",
                    "当每个 |v_i| ≤ γ 时 ‖diag(v)‖₂ ≤ γ：对任意向量 u，‖diag(v) u‖² = Σ_i v_i² u_i² 不超过 "
                    "γ² ‖u‖²，因为两者之差是 Σ_i (γ² − v_i²) u_i²，每一项都 ≥ 0。取 v = 1 − a⟨s⟩²，即 𝒥⟨s⟩ 的因子。",
                ),
                sp.Sum(gamma**2 * u[i] ** 2, (i, 0, n_a - 1)),
                squared_norm,
                proof=diagonal_proof,
                relation="≥",
            ),
            Step(
                Text(
                    "γ ≤ 1: every factor 1 − a² of 𝒥⟨s⟩, with a = tanh(z) for a real z, lies in (0, 1]. "
                    "1 − tanh(z)² = 1/cosh(z)², which is > 0 since cosh(z) > 0 for real z; and "
                    "1 − (1 − tanh(z)²) = tanh(z)², the square of a real number, is ≥ 0. So γ = max (1 − a²) ≤ 1.",
                    "γ ≤ 1：𝒥⟨s⟩ 的每个因子 1 − a²（a = tanh(z)，z 为实数）都在 (0, 1] 内。"
                    "1 − tanh(z)² = 1/cosh(z)²，对实数 z 有 cosh(z) > 0，所以它 > 0；而 "
                    "1 − (1 − tanh(z)²) = tanh(z)² 是实数的平方，≥ 0。所以 γ = max (1 − a²) ≤ 1。",
                ),
                1 - a_state**2,
                sp.Interval.Lopen(0, 1),
                meaning=(1 - a_state**2).subs(a_state, sp.tanh(z_real)),
                proof=_in_interval,
                relation="∈",
            ),
            Step(
                Text(
                    "With 0 < γ ≤ 1 (step 9), (γ ‖Waa‖₂)^(T−t) ≤ ‖Waa‖₂^(T−t) for t ≤ T: the difference is "
                    "‖Waa‖₂^(T−t) (1 − γ^(T−t)), and 1 − γ^k ≥ 0 for every whole k ≥ 0 by induction: it is 0 at "
                    "k = 0, and 1 − γ^(k+1) = (1 − γ^k) + γ^k (1 − γ), a sum of terms ≥ 0.",
                    "由 0 < γ ≤ 1（第 9 步），对 t ≤ T 有 (γ ‖Waa‖₂)^(T−t) ≤ ‖Waa‖₂^(T−t)：两者之差是 "
                    "‖Waa‖₂^(T−t) (1 − γ^(T−t))，而对每个整数 k ≥ 0，1 − γ^k ≥ 0，可对 k 归纳：k = 0 时它为 0，"
                    "且 1 − γ^(k+1) = (1 − γ^k) + γ^k (1 − γ)，每一项都 ≥ 0。",
                ),
                closed_bound,
                w_norm ** (T - t),
                proof=power_proof,
                relation="≤",
            ),
        ),
        result=Step(
            Text(
                "The norm of the product: by the cited theorem and step 8, ‖𝒥⟨s⟩‖₂ ≤ ‖diag(1 − a⟨s⟩²)‖₂ ‖Waa‖₂ "
                "≤ γ ‖Waa‖₂, and ‖∂a⟨T⟩/∂a⟨t−1⟩‖₂ ≤ ‖∂a⟨T⟩/∂a⟨t⟩‖₂ ‖𝒥⟨t⟩‖₂ (step 2). So the bound B⟨t⟩ is "
                "‖I‖₂ = 1 at t = T and gains the factor γ ‖Waa‖₂ at each step back: (γ ‖Waa‖₂)^(T−t) "
                "(induction on t). With 0 < γ ≤ 1 (step 9), that is at most ‖Waa‖₂^(T−t) (step 10).",
                "乘积的范数：由引用的定理和第 8 步，‖𝒥⟨s⟩‖₂ ≤ ‖diag(1 − a⟨s⟩²)‖₂ ‖Waa‖₂ ≤ γ ‖Waa‖₂，且 "
                "‖∂a⟨T⟩/∂a⟨t−1⟩‖₂ ≤ ‖∂a⟨T⟩/∂a⟨t⟩‖₂ ‖𝒥⟨t⟩‖₂（第 2 步）。所以上界 B⟨t⟩ 在 t = T 时为 ‖I‖₂ = 1，"
                "每往回一步多乘因子 γ ‖Waa‖₂：(γ ‖Waa‖₂)^(T−t)（对 t 归纳）。由 0 < γ ≤ 1（第 9 步），它不超过 "
                "‖Waa‖₂^(T−t)（第 10 步）。",
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
                _partial("J", "J", "a⟨t−1⟩", r"a^{\langle t-1 \rangle}"),
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
            _partial("J", "J", "c⟨t−1⟩", r"c^{\langle t-1 \rangle}"),
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
