r"""Convolution and pooling, derived for symbolic sizes, strides and padding.

The course's layout: samples first, channels last. A_pad is A_prev with p rows and columns of
zeros on each side, and

\[ Z_{i,h,w,c} = \sum_{a < f_H} \sum_{b < f_W} \sum_{k < n_{C,prev}}
   W_{a,b,k,c}\, A^{pad}_{i,\, s h + a,\, s w + b,\, k} + b_c. \]

Every sum is an indexed sum whose bounds are symbols (m, n_H, n_W, n_C, f_H, f_W), and the stride s
is a symbol inside the indices, so each result holds for every size, stride and padding at once.
The filters may be f_H × f_W; the course's are square (f_H = f_W = f), a special case. The upstream
gradient dZ is ∂J/∂Z of a J that already holds the course's 1/m, so nothing here divides by m.
As for the linear layer, J is taken to first order in Z, ``Σ dZ ⊙ Z``, and SymPy differentiates
it entry by entry; the Kronecker deltas it produces are summed out where the index is provably
in range, and left standing where they encode which window an entry belongs to.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import sympy as sp

from .core import Derivation, Step, Text, central_difference, indexed, relative_error, symbol
from .indexed import _in_range, canonical_dummies, collapse_deltas

if TYPE_CHECKING:  # numpy runs only the numeric cross-checks; the browser's Pyodide has none
    import numpy as np

m = symbol("m", integer=True, positive=True)
n_H, n_W = symbol("n_H", "n_H", integer=True, positive=True), symbol("n_W", "n_W", integer=True, positive=True)
n_C = symbol("n_C", "n_C", integer=True, positive=True)
n_C_prev = symbol("n_C_prev", "n_{C,prev}", integer=True, positive=True)
n_H_prev = symbol("n_H_prev", "n_{H,prev}", integer=True, positive=True)
n_W_prev = symbol("n_W_prev", "n_{W,prev}", integer=True, positive=True)
f = symbol("f", integer=True, positive=True)
f_H, f_W = symbol("f_H", "f_H", integer=True, positive=True), symbol("f_W", "f_W", integer=True, positive=True)
s = symbol("s", integer=True, positive=True)
pad = symbol("p", integer=True, nonnegative=True)
#: summation indices (sample, output row and column, filter row and column, input and output channel)
i, h, w, a, b, k, c = sp.symbols("i h w a b k c", integer=True, nonnegative=True)
#: the free indices of a result (named apart from the k0, k1… that canonical_dummies gives summation variables)
I, R, T, K, C = (symbol(name, tex, integer=True, nonnegative=True) for name, tex in
                 (("ι", r"\iota"), ("ρ", r"\rho"), ("τ", r"\tau"), ("κ", r"\kappa"), ("γ", r"\gamma")))  # fmt: skip
Fa, Fb = symbol("α", r"\alpha", integer=True, nonnegative=True), symbol("β", r"\beta", integer=True, nonnegative=True)
x, y = symbol("x", integer=True, nonnegative=True), symbol("y", integer=True, nonnegative=True)
x0, y0 = symbol("x₀", "x", integer=True, nonnegative=True), symbol("y₀", "y", integer=True, nonnegative=True)
J = symbol("J")

W, bias = indexed("W", "W"), indexed("b", "b")
A_pad, A_prev, dZ = indexed("A_pad", "A^{pad}"), indexed("A_prev", "A^{prev}"), indexed("dZ", "dZ")
dW, db, dA_pad, dA_prev = (
    indexed("dW", "dW"),
    indexed("db", "db"),
    indexed("dA_pad", "dA^{pad}"),
    indexed("dA_prev", "dA^{prev}"),
)
D, W_flip, D_full = indexed("dZ_dil", r"dZ^{dil}"), indexed("W_flip", r"W^{flip}"), indexed("dZ_full", r"dZ^{full}")
A_out, dA_out = indexed("A", "A"), indexed("dA", "dA")
M = indexed("M", "M")

Z_ENTRY = (
    sp.Sum(W[a, b, k, c] * A_pad[i, s * h + a, s * w + b, k], (a, 0, f_H - 1), (b, 0, f_W - 1), (k, 0, n_C_prev - 1))
    + bias[c]
)
OUTPUT = ((i, 0, m - 1), (h, 0, n_H - 1), (w, 0, n_W - 1), (c, 0, n_C - 1))
#: J to first order in Z: Σ dZ ⊙ Z over every output entry, with dZ = ∂J/∂Z held fixed
J_CONV = sp.Sum(dZ[i, h, w, c] * Z_ENTRY, *OUTPUT)


def _flat(expr: sp.Basic, deltas: bool = False) -> sp.Basic:
    """Nested sums as one sum, limits in a fixed order (by bound); with ``deltas``, each δ(u, v) as δ(u − v, 0) up "
    "to sign."""
    if isinstance(expr, sp.Sum):
        body, limits = _flat(expr.function, deltas), list(expr.limits)
        inner = [factor for factor in sp.Mul.make_args(body) if isinstance(factor, sp.Sum)]
        if len(inner) == 1:  # Σ_a c_a Σ_h g = Σ_a Σ_h c_a g: the inner variables are not in c_a
            limits += list(inner[0].limits)
            body = (body / inner[0]) * inner[0].function
        return sp.Sum(body, *sorted(limits, key=lambda limit: (sp.default_sort_key(limit[2]), str(limit[0]))))
    if deltas and isinstance(expr, sp.KroneckerDelta):
        difference = sp.expand(expr.args[0] - expr.args[1])
        return sp.KroneckerDelta(-difference if difference.could_extract_minus_sign() else difference, 0)
    if expr.args:
        return expr.func(*(_flat(arg, deltas) for arg in expr.args))
    return expr


def _normal(expr: sp.Basic, in_range: dict) -> sp.Basic:
    expr = _flat(sp.expand(sp.sympify(expr).subs(in_range)))
    return canonical_dummies(_flat(sp.expand(collapse_deltas(expr)), deltas=True))


def _same(ranges: dict, given: dict | None = None, meaning: sp.Basic | None = None):
    """Proof: lhs = rhs for every size and every free index in its range, named arrays written by their definitions.

    With ``meaning``, the proof starts from it rather than from ``Step``'s ``meaning.doit()``: ``doit`` hands a
    sum over δ(u, s h) to SymPy's summation, which solves it as h = u/s without asking whether s divides u.
    Here such a δ is summed out only where its index is provably in range, and otherwise kept.
    """
    in_range, _ = _in_range(ranges)

    def proof(lhs, rhs):
        lhs = lhs if meaning is None else meaning
        lhs, rhs = (_defined(side, given or {}) for side in (lhs, rhs))
        return sp.expand(_normal(lhs, in_range) - _normal(rhs, in_range)) == 0

    return proof


def _defined(expr: sp.Basic, given: dict) -> sp.Basic:
    """Replace every entry of a named array (``dZ_dil[i, u, v, c]``) by its definition, a function of its indices."""
    for base, definition in given.items():
        expr = expr.replace(lambda e, base=base: isinstance(e, sp.Indexed) and e.base == base,
                            lambda e, definition=definition: definition(*e.indices))  # fmt: skip
    return expr


HYPOTHESES = (
    Text(
        "A_prev is (m, n_H_prev, n_W_prev, n_C_prev), W is (f_H, f_W, n_C_prev, n_C), b is (1, 1, 1, n_C); "
        "the course's filters are square, f_H = f_W = f. All sizes, the stride s ≥ 1 and the padding p ≥ 0 are "
        "symbols.",
        "A_prev 的维度是 (m, n_H_prev, n_W_prev, n_C_prev)，W 是 (f_H, f_W, n_C_prev, n_C)，b 是 (1, 1, 1, n_C)；"
        "课程中的滤波器是正方形的，f_H = f_W = f。所有维度、步幅 s ≥ 1 和填充 p ≥ 0 都是符号。",
    ),
    Text(
        "J depends on W, b and A_prev only through Z; dZ = ∂J/∂Z, and the course's 1/m is already inside J "
        "(so dW and db are sums over the m samples).",
        "J 只通过 Z 依赖 W、b 和 A_prev；dZ = ∂J/∂Z，课程中的 1/m 已经包含在 J 里（所以 dW 和 db 是对 m 个样本求和）。",
    ),
)


def _definition() -> Step:
    return Step(
        Text(
            "An entry of Z: the window of A_pad that starts at row s·h and column s·w, times filter c, plus b_c "
            "(a cross-correlation: the filter is not flipped).",
            "Z 的一个元素：A_pad 中从第 s·h 行、第 s·w 列开始的窗口，与第 c 个滤波器逐元素相乘再求和，加上 b_c"
            "（这是互相关：滤波器不翻转）。",
        ),
        indexed("Z", "Z")[i, h, w, c],
        Z_ENTRY,
        meaning=Z_ENTRY,
    )


def _count_windows(n: int, f_: int, p_: int, s_: int) -> int:
    """How many windows of size f fit, s apart, from the start of n + 2p entries, counted one by one."""
    return sum(1 for start in range(0, n + 2 * p_, s_) if start + f_ <= n + 2 * p_)


def _is_floor(q_: sp.Expr, floor: sp.Expr, r: sp.Symbol, u: sp.Symbol) -> bool:
    """q is ⌊N/s⌋ by the definition of the floor: 0 ≤ N − s q ≤ s − 1 (with r = N − s q and r = s − 1 − u, u ≥ 0)."""
    (quotient,) = floor.atoms(sp.floor)
    N_over_s = quotient.args[0]
    remainder = sp.expand(sp.expand(N_over_s * s) - s * q_)
    return floor == quotient and remainder == r and r.is_nonnegative and (s - 1 - r).subs(r, s - 1 - u).is_nonnegative


#: The window count's cases (the largest n_H_prev, p and s; every f ≤ n_H_prev + 2p): every one is counted.
COUNTED = (12, 3, 4)


def forward() -> Derivation:
    q, r, u = (sp.Symbol(name, integer=True, nonnegative=True) for name in "qru")
    symbol("q", "q"), symbol("r", "r")
    # q = ⌊(n + 2p − f)/s⌋ is the integer with n + 2p − f = s q + r, 0 ≤ r ≤ s − 1: write r = s − 1 − u, u ≥ 0
    n_ = s * q + r + f - 2 * pad  # n_H_prev, written through q and r
    last_room = n_ + 2 * pad - (s * q + f)
    next_overhang = (s * (q + 1) + f) - (n_ + 2 * pad)

    def numeric(rng: np.random.Generator) -> float:
        """Windows counted one by one against the formula, for every case of :data:`COUNTED`."""

        largest_n, largest_p, largest_s = COUNTED
        cases = [
            (n0, f0, p0, s0)
            for n0, p0, s0 in itertools.product(range(1, largest_n + 1), range(largest_p + 1), range(1, largest_s + 1))
            for f0 in range(1, n0 + 2 * p0 + 1)
        ]
        counted = [_count_windows(*case) for case in cases]
        return relative_error(counted, [(n0 + 2 * p0 - f0) // s0 + 1 for n0, f0, p0, s0 in cases])

    return Derivation(
        key="conv.forward",
        title=Text(
            "Convolution: n_H = ⌊(n_H_prev + 2p − f)/s⌋ + 1, and Z as an indexed sum",
            "卷积：n_H = ⌊(n_H_prev + 2p − f)/s⌋ + 1，以及写成下标求和的 Z",
        ),
        statement=Text(
            "For every n_H_prev, f, p and s: the windows start at rows 0, s, 2s, …, and exactly "
            "⌊(n_H_prev + 2p − f)/s⌋ + 1 of them fit in the padded input (the same for columns). "
            "Each output entry is the sum of one window times one filter, plus that filter's bias.",
            "对任意 n_H_prev、f、p 和 s：窗口从第 0、s、2s……行开始，恰好有 ⌊(n_H_prev + 2p − f)/s⌋ + 1 个"
            "能放进填充后的输入（列也一样）。每个输出元素是一个窗口与一个滤波器逐元素相乘之和，再加上该滤波器的偏置。",
        ),
        hypotheses=(
            HYPOTHESES[0],
            Text(
                "q = ⌊(n_H_prev + 2p − f)/s⌋ is the integer with n_H_prev + 2p − f = s q + r and 0 ≤ r ≤ s − 1 "
                "(it needs f ≤ n_H_prev + 2p, else no window fits).",
                "q = ⌊(n_H_prev + 2p − f)/s⌋ 是满足 n_H_prev + 2p − f = s q + r 且 0 ≤ r ≤ s − 1 的整数"
                "（这要求 f ≤ n_H_prev + 2p，否则一个窗口也放不下）。",
            ),
        ),
        steps=(
            _definition(),
            Step(
                Text(
                    "The window h = q starts at row s q and ends at s q + f − 1: the padded input has r ≥ 0 rows to "
                    "spare.",
                    "第 h = q 个窗口从第 s q 行开始，到 s q + f − 1 行结束：填充后的输入还剩 r ≥ 0 行。",
                ),
                n_H_prev + 2 * pad - (s * q + f),
                r,
                meaning=last_room,
                proof=lambda lhs, rhs: sp.expand(lhs - rhs) == 0 and rhs.is_nonnegative,
            ),
            Step(
                Text(
                    "The next window, h = q + 1, would end s − r ≥ 1 rows past the padded input, so it does not fit.",
                    "下一个窗口 h = q + 1 会超出填充后的输入 s − r ≥ 1 行，所以放不下。",
                ),
                s * (q + 1) + f - (n_H_prev + 2 * pad),
                s - r,
                meaning=next_overhang,
                proof=lambda lhs, rhs: sp.expand(lhs - rhs) == 0 and rhs.subs(r, s - 1 - u).is_positive,
            ),
        ),
        result=Step(
            Text("The windows h = 0, 1, …, q: q + 1 of them.", "窗口 h = 0, 1, …, q：共 q + 1 个。"),
            n_H,
            sp.floor((n_H_prev + 2 * pad - f) / s) + 1,
            meaning=q + 1,
            proof=lambda lhs, rhs: _is_floor(lhs - 1, (rhs - 1).subs(n_H_prev, n_), r, u),
        ),
        numeric=numeric,
        numeric_check=Text(
            "Windows counted one by one for every n_H_prev ≤ {}, p ≤ {}, s ≤ {} and f ≤ n_H_prev + 2p, against the "
            "formula".format(*COUNTED),
            "对所有 n_H_prev ≤ {}、p ≤ {}、s ≤ {} 和 f ≤ n_H_prev + 2p，逐个数出窗口个数，与公式比较".format(*COUNTED),
        ),
    )


def _dilated(i_, u, v, c_):
    """dZ_dil: dZ with s − 1 zeros between neighbouring entries, dZ_dil[i, s·h, s·w, c] = dZ[i, h, w, c]."""
    return sp.Sum(
        sp.KroneckerDelta(u, s * h) * sp.KroneckerDelta(v, s * w) * dZ[i_, h, w, c_], (h, 0, n_H - 1), (w, 0, n_W - 1)
    )


FLIPPED = {
    W_flip: lambda a_, b_, k_, c_: W[f_H - 1 - a_, f_W - 1 - b_, k_, c_],
    D_full: lambda i_, u, v, c_: D[i_, u - f_H + 1, v - f_W + 1, c_],
    D: _dilated,
}


def _reversed(proof):
    """A proof that first renames the filter offsets a → f_H − 1 − a and b → f_W − 1 − b (a bijection of their "
    "ranges)."""

    def renamed(lhs, rhs):
        rhs = _defined(rhs, {W_flip: FLIPPED[W_flip], D_full: FLIPPED[D_full]})
        rhs = rhs.change_index(a, f_H - 1 - a, a).change_index(b, f_W - 1 - b, b)
        return proof(lhs, rhs)

    return renamed


def _numeric_conv(rng: np.random.Generator) -> float:
    """Finite differences of J = Σ G ⊙ sin(Z) (a plain loop convolution, s = 2, p = 1) against the final formula:
    dZ dilated, padded by f − 1 (and by r = 1 more at the bottom and the right, where the windows stop short),
    correlated with the flipped filters, and un-padded."""
    import numpy as np

    m_, n_, C_prev, C_, f_, s_, p_ = 2, 6, 2, 3, 3, 2, 1  # the last window stops r = 1 row short of the end
    A0, W0, G = rng.normal(size=(m_, n_, n_, C_prev)), rng.normal(size=(f_, f_, C_prev, C_)), None
    n_out = (n_ + 2 * p_ - f_) // s_ + 1

    def Z_of(A):
        P = np.pad(A, ((0, 0), (p_, p_), (p_, p_), (0, 0)))
        return np.stack([
            np.stack([np.einsum("iabk,abkc->ic", P[:, s_ * h_:s_ * h_ + f_, s_ * w_:s_ * w_ + f_], W0)
                      for w_ in range(n_out)], axis=1) for h_ in range(n_out)], axis=1)  # fmt: skip

    G = rng.normal(size=(m_, n_out, n_out, C_))
    dZ0 = G * np.cos(Z_of(A0))
    dilated = np.zeros((m_, s_ * (n_out - 1) + 1, s_ * (n_out - 1) + 1, C_))
    dilated[:, ::s_, ::s_] = dZ0
    n_pad = n_ + 2 * p_
    full = np.zeros((m_, n_pad + f_ - 1, n_pad + f_ - 1, C_))
    full[:, f_ - 1 : f_ - 1 + dilated.shape[1], f_ - 1 : f_ - 1 + dilated.shape[2]] = dilated
    flipped = W0[::-1, ::-1]
    dA_pad0 = np.stack([
        np.stack([np.einsum("iabc,abkc->ik", full[:, r_:r_ + f_, t_:t_ + f_], flipped) for t_ in range(n_pad)], axis=1)
        for r_ in range(n_pad)], axis=1)  # fmt: skip
    exact = dA_pad0[:, p_ : p_ + n_, p_ : p_ + n_]
    return relative_error(central_difference(lambda A: np.sum(G * np.sin(Z_of(A))), A0), exact)


def backward() -> Derivation:
    scatter = sp.Sum(
        sp.KroneckerDelta(R, s * h + a) * sp.KroneckerDelta(T, s * w + b) * W[a, b, K, c] * dZ[I, h, w, c],
        (h, 0, n_H - 1), (w, 0, n_W - 1), (c, 0, n_C - 1), (a, 0, f_H - 1), (b, 0, f_W - 1),
    )  # fmt: skip
    dilated_form = sp.Sum(W[a, b, K, c] * D[I, R - a, T - b, c], (a, 0, f_H - 1), (b, 0, f_W - 1), (c, 0, n_C - 1))
    flipped_form = sp.Sum(
        W_flip[a, b, K, c] * D_full[I, R + a, T + b, c], (a, 0, f_H - 1), (b, 0, f_W - 1), (c, 0, n_C - 1)
    )
    # A_pad through A_prev: A_prev placed at row and column offset p, zeros around it
    padded = sp.Sum(
        sp.KroneckerDelta(h, x + pad) * sp.KroneckerDelta(w, y + pad) * A_prev[i, x, y, k],
        (x, 0, n_H_prev - 1), (y, 0, n_W_prev - 1),
    )  # fmt: skip
    J_pad = sp.Sum(dA_pad[i, h, w, k] * padded, (i, 0, m - 1), (h, 0, n_H_prev + 2 * pad - 1),
                   (w, 0, n_W_prev + 2 * pad - 1), (k, 0, n_C_prev - 1))  # fmt: skip
    d_A_pad, d_A_prev = sp.diff(J_CONV, A_pad[I, R, T, K]), sp.diff(J_pad, A_prev[I, x0, y0, K])
    return Derivation(
        key="conv.backward",
        title=Text(
            "Convolution backward: dW, db, and dA_prev as a full correlation with the flipped filters",
            "卷积的反向传播：dW、db，以及用翻转后的滤波器做完全互相关得到的 dA_prev",
        ),
        statement=Text(
            "For every size, stride s and padding p: dW is the correlation of the input windows with dZ, db is the "
            "sum of dZ, and dA_pad receives W·dZ in every window, so overlapping windows add. Equivalently dA_pad is "
            "the full correlation (stride 1) of dZ dilated by s (s − 1 zeros between its entries) and padded by "
            "f − 1 (with r more zeros at the bottom and on the right when the last window stops r rows or columns "
            "short of the padded input's end, s not dividing n_H_prev + 2p − f), with the filters flipped; at s = 1 "
            "the dilated dZ is dZ itself. dA_prev is dA_pad without its p rows and columns of padding on each side.",
            "对任意维度、步幅 s 和填充 p：dW 是输入窗口与 dZ 的互相关，db 是 dZ 的和，dA_pad 在每个窗口里收到 W·dZ，"
            "所以重叠的窗口要相加。等价地，dA_pad 是把 dZ 按 s 膨胀（相邻元素之间插入 s − 1 个零）、再四周填充 f − 1"
            "（s 不能整除 n_H_prev + 2p − f、最后一个窗口离填充后输入的末端还差 r 行或 r 列时，"
            "底部和右侧再多补 r 个零）"
            "之后，与翻转后的滤波器做的完全互相关（步幅 1）；s = 1 时膨胀后的 dZ 就是 dZ 本身。dA_prev 是 dA_pad "
            "去掉四周各 p 行 p 列填充后的部分。",
        ),
        hypotheses=HYPOTHESES,
        steps=(
            _definition(),
            Step(
                Text(
                    "dW: chain rule through every Z entry; W[α, β, κ, γ] meets input entry (s·h + α, s·w + β) of "
                    "each window, in every sample.",
                    "dW：对 Z 的每个元素用链式法则；W[α, β, κ, γ] 在每个样本的每个窗口里与输入元素 (s·h + α, s·w + "
                    "β) 相乘。",
                ),
                dW[Fa, Fb, K, C],
                sp.Sum(
                    dZ[i, h, w, C] * A_pad[i, s * h + Fa, s * w + Fb, K],
                    (i, 0, m - 1),
                    (h, 0, n_H - 1),
                    (w, 0, n_W - 1),
                ),
                meaning=sp.diff(J_CONV, W[Fa, Fb, K, C]),
                proof=_same({Fa: f_H, Fb: f_W, K: n_C_prev, C: n_C}),
            ),
            Step(
                Text("db: b_γ is added to every output entry of channel γ.", "db：b_γ 加到了通道 γ 的每个输出元素上。"),
                db[C],
                sp.Sum(dZ[i, h, w, C], (i, 0, m - 1), (h, 0, n_H - 1), (w, 0, n_W - 1)),
                meaning=sp.diff(J_CONV, bias[C]),
                proof=_same({C: n_C}),
            ),
            Step(
                Text(
                    "dA_pad: entry (ρ, τ) collects W[a, b]·dZ[h, w] from every window (h, w) that covers it at "
                    "offset (a, b) = (ρ − s·h, τ − s·w); overlapping windows add.",
                    "dA_pad：元素 (ρ, τ) 从每个覆盖它的窗口 (h, w) 收到 W[a, b]·dZ[h, w]，偏移为 "
                    "(a, b) = (ρ − s·h, τ − s·w)；重叠的窗口相加。",
                ),
                dA_pad[I, R, T, K],
                scatter,
                meaning=d_A_pad,
                proof=_same({I: m, K: n_C_prev}, meaning=d_A_pad),
            ),
            Step(
                Text(
                    "The same sum as a correlation over the filter offsets, with dZ dilated by the stride: "
                    "dZ_dil[i, s·h, s·w, c] = dZ[i, h, w, c], and 0 between.",
                    "同一个和写成对滤波器偏移的互相关，其中 dZ 按步幅膨胀：`dZ_dil[i, s·h, s·w, c] = dZ[i, h, w, c]`，"
                    "其余为 0。",
                ),
                dA_pad[I, R, T, K],
                dilated_form,
                meaning=scatter,
                proof=_same({I: m, K: n_C_prev}, {D: _dilated}, meaning=scatter),
            ),
            Step(
                Text(
                    "Flip the filters, W_flip[a, b] = W[f_H − 1 − a, f_W − 1 − b], and pad the dilated dZ by f − 1, "
                    "dZ_full[u, v] = dZ_dil[u − f_H + 1, v − f_W + 1]: a full correlation at stride 1.",
                    "翻转滤波器，W_flip[a, b] = W[f_H − 1 − a, f_W − 1 − b]，并把膨胀后的 dZ 四周填充 f − 1，"
                    "dZ_full[u, v] = dZ_dil[u − f_H + 1, v − f_W + 1]：这是步幅为 1 的完全互相关。",
                ),
                dA_pad[I, R, T, K],
                flipped_form,
                meaning=dilated_form,
                proof=_reversed(_same({I: m, K: n_C_prev}, {D: _dilated}, meaning=dilated_form)),
            ),
            Step(
                Text("At s = 1 the dilated dZ is dZ itself.", "s = 1 时，膨胀后的 dZ 就是 dZ 本身。"),
                D[I, x0, y0, C],
                dZ[I, x0, y0, C],
                meaning=_dilated(I, x0, y0, C).subs(s, 1),
                proof=_same({I: m, x0: n_H, y0: n_W, C: n_C}),
            ),
        ),
        result=Step(
            Text(
                "dA_prev: A_prev sits at offset p inside A_pad, so its gradient is dA_pad without the padding "
                "(numpy: dA_pad[:, p:p + n_H_prev, p:p + n_W_prev, :]).",
                "dA_prev：A_prev 位于 A_pad 中偏移 p 的位置，所以它的梯度是去掉填充的 dA_pad"
                "（numpy：dA_pad[:, p:p + n_H_prev, p:p + n_W_prev, :]）。",
            ),
            dA_prev[I, x0, y0, K],
            dA_pad[I, x0 + pad, y0 + pad, K],
            meaning=d_A_prev,
            proof=_same({I: m, x0: n_H_prev, y0: n_W_prev, K: n_C_prev}, meaning=d_A_prev),
        ),
        numeric=_numeric_conv,
    )


POOL_OUTPUT = ((i, 0, m - 1), (h, 0, n_H - 1), (w, 0, n_W - 1), (c, 0, n_C - 1))
POOL_HYPOTHESES = (
    Text(
        "A_prev is (m, n_H_prev, n_W_prev, n_C); windows f × f, s apart (s < f: they overlap), channel by channel; "
        "all sizes and s are symbols.",
        "A_prev 的维度是 (m, n_H_prev, n_W_prev, n_C)；窗口大小 f × f，间隔 s（s < f 时窗口重叠），各通道分别池化；"
        "所有维度和 s 都是符号。",
    ),
    Text(
        "J depends on A_prev only through the pooled A; dA = ∂J/∂A.",
        "J 只通过池化后的 A 依赖 A_prev；dA = ∂J/∂A。",
    ),
)


def _pool_chain(weight: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """∂J/∂A_prev[ι, ρ, τ, γ] for A[i, h, w, c] = Σ_ab weight · A_prev[i, s h + a, s w + b, c], and the claimed "
    "scatter."""
    pooled = sp.Sum(weight * A_prev[i, s * h + a, s * w + b, c], (a, 0, f - 1), (b, 0, f - 1))
    derived = sp.diff(sp.Sum(dA_out[i, h, w, c] * pooled, *POOL_OUTPUT), A_prev[I, R, T, C])
    claim = sp.Sum(
        sp.KroneckerDelta(R, s * h + a) * sp.KroneckerDelta(T, s * w + b) * weight.subs({i: I, c: C})
        * dA_out[I, h, w, C],
        (h, 0, n_H - 1), (w, 0, n_W - 1), (a, 0, f - 1), (b, 0, f - 1),
    )  # fmt: skip
    return derived, claim


def _numeric_pool(mode: str):
    """Finite differences of J = Σ G ⊙ pool(A_prev) (overlapping windows, f = 3, s = 2, no ties) against the scatter."""

    def check(rng: np.random.Generator) -> float:
        import numpy as np

        f_, s_, n_ = 3, 2, 7
        A0 = rng.permutation(2 * n_ * n_ * 2).reshape(2, n_, n_, 2) / 8.0  # distinct entries: no ties
        n_out = (n_ - f_) // s_ + 1
        reduce = np.max if mode == "max" else np.mean

        def pool(A):
            return np.array([[[[reduce(A[i_, s_ * h_:s_ * h_ + f_, s_ * w_:s_ * w_ + f_, c_]) for c_ in range(2)]
                               for w_ in range(n_out)] for h_ in range(n_out)] for i_ in range(2)])  # fmt: skip

        G = rng.normal(size=(2, n_out, n_out, 2))
        exact = np.zeros_like(A0)
        for i_, h_, w_, c_ in np.ndindex(G.shape):
            window = A0[i_, s_ * h_ : s_ * h_ + f_, s_ * w_ : s_ * w_ + f_, c_]
            share = (window == window.max()) if mode == "max" else np.full((f_, f_), 1 / f_**2)
            exact[i_, s_ * h_ : s_ * h_ + f_, s_ * w_ : s_ * w_ + f_, c_] += share * G[i_, h_, w_, c_]
        return relative_error(central_difference(lambda A: np.sum(G * pool(A)), A0, h=1e-4), exact)

    return check


def average() -> Derivation:
    derived, claim = _pool_chain(1 / f**2)
    return Derivation(
        key="pool.average",
        title=Text("Average pooling: dA/f² to every entry of the window", "平均池化：每个窗口元素得到 dA/f²"),
        statement=Text(
            "For every size, f and s: each window sends dA/f² to each of its f² entries, and an entry covered by "
            "several windows (s < f) receives the sum of their shares.",
            "对任意维度、f 和 s：每个窗口把 dA/f² 发给它的 f² 个元素；被几个窗口覆盖的元素（s < f "
            "时）收到它们份额的和。",
        ),
        hypotheses=POOL_HYPOTHESES,
        steps=(
            Step(
                Text("An entry of A: the mean of its window.", "A 的一个元素：它所在窗口的平均值。"),
                A_out[i, h, w, c],
                sp.Sum(A_prev[i, s * h + a, s * w + b, c], (a, 0, f - 1), (b, 0, f - 1)) / f**2,
                meaning=sp.Sum(A_prev[i, s * h + a, s * w + b, c] / f**2, (a, 0, f - 1), (b, 0, f - 1)),
                proof=lambda lhs, rhs: sp.simplify(lhs - rhs) == 0,
            ),
            Step(
                Text("One window's shares add up to its dA.", "一个窗口的各份额加起来等于它的 dA。"),
                sp.Sum(dA_out[I, h, w, C] / f**2, (a, 0, f - 1), (b, 0, f - 1)),
                dA_out[I, h, w, C],
            ),
        ),
        result=Step(
            Text(
                "Chain rule through every window: entry (ρ, τ) collects dA/f² from each window (h, w) covering it.",
                "对每个窗口用链式法则：元素 (ρ, τ) 从每个覆盖它的窗口 (h, w) 收到 dA/f²。",
            ),
            dA_prev[I, R, T, C],
            claim,
            meaning=derived,
            proof=_same({I: m, C: n_C}, meaning=derived),
        ),
        numeric=_numeric_pool("average"),
    )


lam = symbol("λ", r"\lambda", nonnegative=True)
mu = sp.Symbol("μ", nonnegative=True)  # 1 − λ, so that 0 ≤ λ ≤ 1


def _above_plane(y_1: sp.Expr, y_2: sp.Expr, evaluate: bool = True) -> sp.Expr:
    """max(y₁, y₂) − (λ y₁ + (1 − λ) y₂): how far the max is above the plane of the subgradient (λ, 1 − λ)."""
    return sp.Max(y_1, y_2, evaluate=evaluate) - (lam * y_1 + (1 - lam) * y_2)


def _nonnegative_and_equal(lhs: sp.Tuple, rhs: sp.Tuple) -> bool:
    """Each entry of lhs equals rhs's, and every rhs entry is ≥ 0 for 0 ≤ λ ≤ 1 (λ ≥ 0 and 1 − λ = μ ≥ 0)."""
    same = all(sp.expand(a - b) == 0 for a, b in zip(lhs, rhs, strict=True))
    return same and all(sp.expand(b.subs(lam, 1 - mu)).is_nonnegative or b.is_nonnegative for b in rhs)


def maximum() -> Derivation:
    mask = M[i, h, w, a, b, c]
    derived, claim = _pool_chain(mask)
    x_star, rest = symbol("x*", "x^{*}", real=True), symbol("R", "R", real=True)
    e, t = symbol("e", positive=True), symbol("t", real=True)
    up, down = symbol("δ₊", r"\delta_{+}", positive=True), symbol("δ₋", r"\delta_{-}", negative=True)
    window = sp.Max(x_star, rest)
    y1 = symbol("y₂", "y_{2}", real=True)  # y₁ is y₂ ± e in the two cases of the subgradient step
    return Derivation(
        key="pool.max",
        title=Text("Max pooling: dA to the window's first arg-max", "最大池化：dA 交给窗口中第一个最大值的位置"),
        statement=Text(
            "For every size, f and s: where a window's max is attained once, the whole dA goes to that entry and "
            "the others get 0; overlapping windows add. At a tie the max has no derivative, and nn gives all of dA "
            "to the first arg-max in reading order (as numpy's argmax and PyTorch do), one of the subgradients. "
            "The course's mask x == max(x) gives dA to every tied entry: raising the whole window by t raises the "
            "max by exactly t, so the shares of a window must add up to dA, and with k ties that mask's add up to k "
            "dA.",
            "对任意维度、f 和 s：窗口的最大值只出现一次时，整个 dA 都交给那个元素，其他元素得 0；重叠的窗口相加。"
            "出现并列最大值时，最大值函数不可导，nn 把全部 dA 交给按阅读顺序的第一个最大值（与 numpy 的 argmax 和 "
            "PyTorch 相同），这是次梯度之一。课程中的掩码 x == max(x) 把 dA 交给每一个并列的元素："
            "把整个窗口加上 t，最大值恰好增加 t，所以一个窗口的各份额之和必须等于 dA，而有 k "
            "个并列时这个掩码的份额之和是 k dA。",
        ),
        hypotheses=(
            *POOL_HYPOTHESES,
            Text(
                "M[i, h, w, a, b, c] is 1 at the first arg-max (a*, b*) of window (h, w) and 0 elsewhere; near a point "
                "where every window's max is attained once, M does not change, so A = Σ M ⊙ window there.",
                "`M[i, h, w, a, b, c]` 在窗口 (h, w) 的第一个最大值位置 (a*, b*) 为 1，其他位置为 0；"
                "在每个窗口的最大值都只出现"
                "一次的点附近，M 不变，所以那里 A = Σ M ⊙ 窗口。",
            ),
        ),
        steps=(
            Step(
                Text(
                    "A window whose max x* is attained once: with R = x* − e (e > 0) the largest of the others, the "
                    "max "
                    "is x* itself, so its slope is 1 in x* …",
                    "最大值 x* 只出现一次的窗口：记其余元素中最大的为 R = x* − e（e > 0），最大值就是 x* 本身，"
                    "所以它对 x* 的斜率是 1……",
                ),
                sp.Derivative(window, x_star),
                sp.Integer(1),
                meaning=sp.diff(window, x_star).subs(rest, x_star - e),
            ),
            Step(
                Text("… and 0 in every other entry.", "……对其他元素的斜率是 0。"),
                sp.Derivative(window, rest),
                sp.Integer(0),
                meaning=sp.diff(window, rest).subs(rest, x_star - e),
            ),
            Step(
                Text(
                    "A tie (R = x*): the slope in x* alone is 1 from the right and 0 from the left, so there is no "
                    "derivative.",
                    "并列（R = x*）：只动 x* 时，右侧斜率为 1，左侧斜率为 0，所以不可导。",
                ),
                sp.Tuple(*(sp.Limit((sp.Max(x_star + t, x_star) - x_star) / t, t, 0, side) for side in "+-")),
                sp.Tuple(1, 0),
                meaning=sp.Tuple(
                    (sp.Max(x_star + up, x_star) - x_star) / up, (sp.Max(x_star + down, x_star) - x_star) / down
                ),
                proof=lambda lhs, rhs: lhs == rhs,
            ),
            Step(
                Text(
                    "Still at the tie, the shares λ for x* and 1 − λ for R, 0 ≤ λ ≤ 1, make a subgradient: the max "
                    "stays above the plane through the tie, max(y₁, y₂) − (λ y₁ + (1 − λ) y₂) ≥ 0, which is (1 − λ) e "
                    "where y₁ = y₂ + e and λ e where y₁ = y₂ − e (e > 0). The first arg-max is λ = 1.",
                    "仍在并列处，给 x* 份额 λ、给 R 份额 1 − λ（0 ≤ λ ≤ 1）构成一个次梯度："
                    "最大值始终不低于过并列点的平面，max(y₁, y₂) − (λ y₁ + (1 − λ) y₂) ≥ 0；"
                    "当 y₁ = y₂ + e 时它等于 (1 − λ) e，当 y₁ = y₂ − e 时等于 λ e（e > 0）。第一个最大值对应 λ = 1。",
                ),
                sp.Tuple(*(_above_plane(y1 + sign * e, y1, evaluate=False) for sign in (1, -1))),
                sp.Tuple((1 - lam) * e, lam * e),
                meaning=sp.Tuple(*(_above_plane(y1 + sign * e, y1) for sign in (1, -1))),
                proof=_nonnegative_and_equal,
            ),
            Step(
                Text(
                    "At the tie R = x*, raising the whole window by t raises the max by t: along that direction the "
                    "slope is 1, so "
                    "the shares must add up to 1 (times dA), which the mask of every tie (1 + 1 = 2) breaks.",
                    "在并列 R = x* 处，把整个窗口加上 t，最大值恰好增加 t：沿这个方向斜率是 1，所以各份额之和必须是 "
                    "1（乘以 dA），"
                    "而取所有并列元素的掩码（1 + 1 = 2）违反了这一点。",
                ),
                sp.Derivative(sp.Max(x_star + t, rest + t), t),
                sp.Integer(1),
                meaning=sp.diff(sp.Max(x_star + t, rest + t).subs(rest, x_star), t),
            ),
        ),
        result=Step(
            Text(
                "Chain rule through every window: entry (ρ, τ) collects dA from each window whose first arg-max it is.",
                "对每个窗口用链式法则：元素 (ρ, τ) 从每个以它为第一个最大值的窗口收到 dA。",
            ),
            dA_prev[I, R, T, C],
            claim,
            meaning=derived,
            proof=_same({I: m, C: n_C}, meaning=derived),
        ),
        numeric=_numeric_pool("max"),
    )


#: The keys of :func:`derivations`, in its order (the registry lists them without building anything).
KEYS = ("conv.forward", "conv.backward", "pool.max", "pool.average")


def derivations() -> list[Derivation]:
    return [forward(), backward(), maximum(), average()]
