r"""Initialization: why equal weights never separate, and the variances of Xavier and He.

Symmetry is proved for symbolic sizes with the backprop rules of ``derivations.linear``:
when every hidden unit of layer l starts with the same incoming weights, the same bias and
the same outgoing weights, every gradient treats them alike, so gradient descent keeps them
alike. The variances are expectations computed by ``sympy.stats``: the weights are
Gaussian, as ``nn.initialize_parameters`` draws them, and the activations have an
arbitrary density f.
"""

from __future__ import annotations

from functools import cache

import sympy as sp
from sympy.stats import ContinuousRV, Expectation, Normal, density

from .core import Derivation, Step, Text, indexed, is_zero, symbol

# ---------------------------------------------------------------- symmetry
n_prev = symbol("n[l-1]", "n^{[l-1]}", integer=True, positive=True)
n = symbol("n[l]", "n^{[l]}", integer=True, positive=True)
n_next = symbol("n[l+1]", "n^{[l+1]}", integer=True, positive=True)
m = symbol("m", integer=True, positive=True)
i, j, k, r = sp.symbols("i j k r", integer=True, nonnegative=True)
p, q, s = sp.symbols("p q s", integer=True, nonnegative=True)
alpha = symbol("α", r"\alpha", positive=True)
w, v, c = indexed("w", "w"), indexed("v", "v"), indexed("c", "c")
beta = symbol("β", r"\beta")
A_prev, dZ_next = indexed("A[l-1]", "A^{[l-1]}"), indexed("dZ[l+1]", "dZ^{[l+1]}")
W, b, W_next = indexed("W[l]", "W^{[l]}"), indexed("b[l]", "b^{[l]}"), indexed("W[l+1]", "W^{[l+1]}")
Z, A, dA, dZ = (indexed(f"{name}[l]", f"{name}^{{[l]}}") for name in ("Z", "A", "dA", "dZ"))
dW, db, dW_next = indexed("dW[l]", "dW^{[l]}"), indexed("db[l]", "db^{[l]}"), indexed("dW[l+1]", "dW^{[l+1]}")
g, g_prime = sp.Function("g"), sp.Function("g'")

SYMMETRIC = {W: lambda row, col: w[col], b: lambda row: beta, W_next: lambda row, col: v[row]}


def _symmetric(expr: sp.Expr) -> sp.Expr:
    """Put the symmetric start into ``expr``: W[l]_ij = w_j, b[l]_i = β, W[l+1]_ri = v_r."""
    return expr.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base in SYMMETRIC, lambda e: SYMMETRIC[e.base](*e.indices)
    )


def _z(row) -> sp.Expr:
    return sp.Sum(W[row, j] * A_prev[j, k], (j, 0, n_prev - 1)) + b[row]


def _dz(row) -> sp.Expr:
    """dZ[l] = (W[l+1]ᵀ dZ[l+1]) ⊙ g'(Z[l]), entry (row, k): the rules linear.dA_prev and linear.dZ."""
    return sp.Sum(W_next[r, row] * dZ_next[r, k], (r, 0, n_next - 1)) * g_prime(_z(row))


def _free_of(index: sp.Symbol):
    """Proof: the claim equals the meaning, and the claim does not depend on ``index`` (the hidden unit)."""
    return lambda meaning, rhs: index not in rhs.free_symbols and is_zero(_symmetric(meaning) - rhs)


def symmetry() -> Derivation:
    r"""Equal rows of W[l], equal b[l] entries and equal columns of W[l+1] stay equal under gradient descent."""
    z_sym = sp.Sum(w[j] * A_prev[j, k], (j, 0, n_prev - 1)) + beta
    dz_sym = sp.Sum(v[r] * dZ_next[r, k], (r, 0, n_next - 1)) * g_prime(z_sym)
    dW_rule = sp.Sum(_dz(p) * A_prev[q, k], (k, 0, m - 1)) / m
    dW_sym = sp.Sum(dz_sym * A_prev[q, k], (k, 0, m - 1)) / m
    return Derivation(
        key="init.symmetry",
        title=Text(
            "Symmetry: hidden units that start equal stay equal",
            "对称性：初始相同的隐藏单元始终相同",
        ),
        statement=Text(
            "For every n[l-1], n[l], n[l+1] and m: if the rows of W[l] are equal, the entries of b[l] are "
            "equal and the columns of W[l+1] are equal (W = 0 and b = 0 is such a start), then the rows of dW[l], "
            "the entries of db[l] and the columns of dW[l+1] are equal too, so one step of gradient descent "
            "keeps the start symmetric, and so does every later step: the n[l] hidden units compute the same "
            "function forever, whatever the data.",
            "对任意 n[l-1]、n[l]、n[l+1] 和 m：如果 W[l] 的各行相等、b[l] 的各元素相等、W[l+1] 的各列相等"
            "（W = 0、b = 0 就是这样的初始化），那么 dW[l] 的各行、db[l] 的各元素和 dW[l+1] 的各列也都相等。"
            "于是梯度下降走一步之后参数仍然对称，之后的每一步也是如此：无论数据是什么，"
            "这 n[l] 个隐藏单元永远计算同一个函数。",
        ),
        hypotheses=(
            Text(
                "Symmetric start: W[l]_ij = w_j, b[l]_i = β and W[l+1]_ri = v_r, for every hidden unit i of layer l.",
                "初始化是对称的，即对第 l 层的每个隐藏单元 i，W[l]_ij = w_j，b[l]_i = β，W[l+1]_ri = v_r。",
            ),
            Text(
                "Z[l] = W[l] A[l-1] + b[l], A[l] = g(Z[l]); dZ[l+1] is any upstream gradient.",
                "Z[l] = W[l] A[l-1] + b[l]，A[l] = g(Z[l])；dZ[l+1] 是上游传来的任意梯度。",
            ),
            Text(
                "The backprop rules linear.dW, linear.db, linear.dA_prev and linear.dZ.",
                "沿用反向传播规则 linear.dW、linear.db、linear.dA_prev 和 linear.dZ。",
            ),
        ),
        steps=(
            Step(
                Text(
                    "Every hidden unit i gets the same pre-activation, so the same A[l]_ik = g(Z[l]_ik).",
                    "每个隐藏单元 i 得到相同的 Z[l]_ik，因此激活值 A[l]_ik = g(Z[l]_ik) 也相同。",
                ),
                Z[i, k],
                z_sym,
                meaning=_z(i),
                proof=_free_of(i),
            ),
            Step(
                Text(
                    "dZ[l] = W[l+1]ᵀ dZ[l+1] ⊙ g'(Z[l]): the same for every unit p, since column p of W[l+1] is v.",
                    "dZ[l] = W[l+1]ᵀ dZ[l+1] ⊙ g'(Z[l])：W[l+1] 的每一列都是 v，所以它对每个单元 p 都相同。",
                ),
                dZ[p, k],
                dz_sym,
                meaning=_dz(p),
                proof=_free_of(p),
            ),
            Step(
                Text(
                    "dW[l] = (1/m) dZ[l] A[l-1]ᵀ: row p does not depend on p. Call its entry c_q.",
                    "dW[l] = (1/m) dZ[l] A[l-1]ᵀ：第 p 行与 p 无关，把它的元素记作 c_q。",
                ),
                dW[p, q],
                dW_sym,
                meaning=dW_rule,
                proof=_free_of(p),
            ),
            Step(
                Text(
                    "db[l] = (1/m) Σ_k dZ[l]: the same entry for every p.",
                    "db[l] = (1/m) Σ_k dZ[l]：对每个 p 都是同一个值。",
                ),
                db[p],
                sp.Sum(dz_sym, (k, 0, m - 1)) / m,
                meaning=sp.Sum(_dz(p), (k, 0, m - 1)) / m,
                proof=_free_of(p),
            ),
            Step(
                Text(
                    "dW[l+1] = (1/m) dZ[l+1] A[l]ᵀ: column p does not depend on p, since row p of A[l] does not.",
                    "dW[l+1] = (1/m) dZ[l+1] A[l]ᵀ：因为 A[l] 的第 p 行与 p 无关，所以 dW[l+1] 的第 p 列也与 p 无关。",
                ),
                dW_next[s, p],
                sp.Sum(dZ_next[s, k] * g(z_sym), (k, 0, m - 1)) / m,
                meaning=sp.Sum(dZ_next[s, k] * g(_z(p)), (k, 0, m - 1)) / m,
                proof=_free_of(p),
            ),
        ),
        result=Step(
            Text(
                "After the step W[l] − α dW[l], with c_q the common entry of step 3, row p of the new W[l] is still "
                "the same for every p (and likewise b[l] and the columns of W[l+1]).",
                "更新 W[l] − α dW[l] 之后（c_q 是第 3 步中各行共同的元素），新的 W[l] 的第 p 行对每个 p 仍然相同"
                "（b[l] 和 W[l+1] 的各列同理）。",
            ),
            indexed("W[l] - α dW[l]", r"\left(W^{[l]} - \alpha\, dW^{[l]}\right)")[p, q],
            w[q] - alpha * c[q],
            meaning=W[p, q] - alpha * dW_rule,
            proof=lambda meaning, rhs: _free_of(p)(meaning, rhs.subs(c[q], dW_sym)),
        ),
    )


# ---------------------------------------------------------------- variance
sigma_w = symbol("σ_w", r"\sigma_{w}", positive=True)
var_w = symbol("Var(w)", r"\operatorname{Var}(w)", positive=True)
var_prev = symbol("Var(z[l-1])", r"\operatorname{Var}\big(z^{[l-1]}\big)", positive=True)
var_z = symbol("Var(z[l])", r"\operatorname{Var}\big(z^{[l]}\big)")
second_moment = symbol("E[a²]", r"\operatorname{E}\big[a^{2}\big]", positive=True)
factor = symbol("Var(z[l])/Var(z[l-1])", r"\frac{\operatorname{Var}(z^{[l]})}{\operatorname{Var}(z^{[l-1]})}")
f = sp.Function("f")
_a1, _a2 = sp.symbols("a_j a_j'", real=True)
w1, w2 = Normal("w_j", 0, sigma_w), Normal("w_j'", 0, sigma_w)
a1, a2 = ContinuousRV(_a1, f(_a1)), ContinuousRV(_a2, f(_a2))
x = sp.Symbol("x", real=True)
bound = sp.Symbol("c", positive=True)

VARIANCE_HYPOTHESES = (
    Text(
        "z = Σ_j w_j a_j over the n[l-1] inputs of a unit, with b[l] = 0 (as nn initializes it).",
        "z = Σ_j w_j a_j，对一个单元的 n[l-1] 个输入求和，b[l] = 0（nn 就是这样初始化的）。",
    ),
    Text(
        "The weights w_j are independent N(0, σ_w²), so Var(w) = σ_w²; they are independent of the inputs a_j, "
        "which are identically distributed with any density f.",
        "权重 w_j 相互独立，服从 N(0, σ_w²)，所以 Var(w) = σ_w²；它们与输入 a_j 独立，各 a_j 同分布，密度 f 任意。",
    ),
)


@cache
def _moments() -> tuple[sp.Expr, sp.Expr, sp.Expr, sp.Expr]:
    """E[w a], E[w a w' a'], E[(w a)²] and E[a²] from sympy.stats (computed once, shared by Xavier and He)."""
    return tuple(Expectation(e).doit() for e in (w1 * a1, w1 * a1 * w2 * a2, (w1 * a1) ** 2, a1**2))


def _moment(number: int):
    """Proof: moment ``number`` equals the claim, with E[a²] in the claim taken from the same computation."""
    return lambda _, rhs: is_zero(_moments()[number] - sp.sympify(rhs).xreplace({Expectation(a1**2): _moments()[3]}))


def _variance_steps() -> tuple[Step, ...]:
    """Var(z) = n[l-1] Var(w) E[a²], from the moments of one term and of a pair of terms."""
    placeholder, square = sp.Symbol("moment"), sp.Symbol("square")
    return (
        Step(
            Text("Each term w_j a_j has mean 0, and so has z.", "每一项 w_j a_j 的均值都是 0，所以 z 的均值也是 0。"),
            Expectation(w1 * a1),
            sp.S.Zero,
            placeholder,
            _moment(0),
        ),
        Step(
            Text(
                "Two different terms are uncorrelated: every cross term of E[z²] vanishes.",
                "不同的两项互不相关：E[z²] 展开后的交叉项全部为 0。",
            ),
            Expectation(w1 * a1 * w2 * a2),
            sp.S.Zero,
            placeholder,
            _moment(1),
        ),
        Step(
            Text(
                "One term's second moment: independence splits it into Var(w) E[a²].",
                "单独一项的二阶矩：由独立性可拆成 Var(w) E[a²]。",
            ),
            Expectation((w1 * a1) ** 2),
            sigma_w**2 * Expectation(a1**2),
            placeholder,
            _moment(2),
        ),
        Step(
            Text(
                "Var(z) = E[z²]: n[l-1] squared terms and n[l-1](n[l-1] − 1) cross terms.",
                "Var(z) = E[z²]：其中有 n[l-1] 个平方项和 n[l-1](n[l-1] − 1) 个交叉项。",
            ),
            var_z,
            n_prev * var_w * second_moment,
            placeholder,
            lambda _, rhs: is_zero(
                sp.Sum(square, (j, 1, n_prev)).doit().subs(square, _moments()[2])
                + n_prev * (n_prev - 1) * _moments()[1]
                - rhs.subs({var_w: sigma_w**2, second_moment: _moments()[3]})
            ),
        ),
    )


def _keeps_spread(kept_moment: sp.Expr):
    """Proof: the Var(w) claimed solves n[l-1] Var(w) E[a²] = Var(z[l-1]) when E[a²] = ``kept_moment``."""
    return lambda _, rhs: sp.solve(n_prev * var_w * kept_moment - var_prev, var_w) == [rhs]


def xavier() -> Derivation:
    r"""With tanh near 0, Var(z[l]) = Var(z[l-1]) needs Var(w) = 1/n[l-1]; ×0.01 shrinks by n[l-1]/10⁴ a layer."""
    forward_condition, backward_condition = 1 / n_prev, 1 / n
    glorot = 2 / (n_prev + n)
    placeholder = sp.Symbol("solution")
    return Derivation(
        key="init.xavier",
        title=Text(
            "Xavier: Var(w) = 1/n[l-1] keeps the spread of z through tanh layers",
            "Xavier 初始化：Var(w) = 1/n[l-1] 让 z 的方差经过 tanh 层后保持不变",
        ),
        statement=Text(
            "For every n[l-1]: Var(z[l]) = n[l-1] Var(w) E[a[l-1]²]. Near 0, tanh(z) ≈ z, so "
            "E[a[l-1]²] ≈ Var(z[l-1]) and Var(w) = 1/n[l-1] (the course's Xavier) keeps Var(z) from layer to layer. "
            "With w = 0.01 N(0, 1) the variance is multiplied by n[l-1]/10⁴ per layer instead: 0.0256 for 256 "
            "units, so deep nets start with vanishing signals. Glorot's 2/(n[l-1] + n[l]) also balances the "
            "backward pass and equals 1/n[l-1] only when n[l] = n[l-1].",
            "对任意 n[l-1]：Var(z[l]) = n[l-1] Var(w) E[a[l-1]²]。在 0 附近 tanh(z) ≈ z，所以 "
            "E[a[l-1]²] ≈ Var(z[l-1])，取 Var(w) = 1/n[l-1]（课程中的 Xavier 初始化）就能让 Var(z) 逐层保持不变。"
            "如果用 w = 0.01 N(0, 1)，方差每经过一层就乘以 n[l-1]/10⁴：256 个单元时是 0.0256，"
            "所以深层网络一开始信号就会消失。Glorot 的 2/(n[l-1] + n[l]) 还兼顾了反向传播，"
            "只有当 n[l] = n[l-1] 时才等于 1/n[l-1]。",
        ),
        hypotheses=(
            *VARIANCE_HYPOTHESES,
            Text(
                "a[l-1] = tanh(z[l-1]) with z[l-1] of mean 0 and small enough that tanh(z) ≈ z (the first-order term).",
                "a[l-1] = tanh(z[l-1])，z[l-1] 的均值为 0，且小到 tanh(z) ≈ z（取一阶项）。",
            ),
        ),
        steps=(
            *_variance_steps(),
            Step(
                Text(
                    "tanh is the identity to first order at 0, so E[a²] ≈ E[z[l-1]²] = Var(z[l-1]).",
                    "tanh 在 0 处的一阶近似就是恒等函数，所以 E[a²] ≈ E[z[l-1]²] = Var(z[l-1])。",
                ),
                sp.tanh(x),
                x + sp.O(x**3),
                meaning=sp.tanh(x).series(x, 0, 3),
                proof=lambda meaning, rhs: meaning.removeO() == rhs.removeO() and meaning.getO() == rhs.getO(),
            ),
            Step(
                Text(
                    "The weights 0.01 N(0, 1): Var(w) = 10⁻⁴, so each tanh layer multiplies Var(z) by n[l-1]/10⁴.",
                    "权重取 0.01 N(0, 1)：Var(w) = 10⁻⁴，所以每经过一个 tanh 层，Var(z) 就乘以 n[l-1]/10⁴。",
                ),
                factor,
                n_prev / 10**4,
                meaning=(n_prev * var_w * var_prev / var_prev).subs(var_w, sp.Rational(1, 100) ** 2),
            ),
            Step(
                Text(
                    "Backward, dA[l-1] = W[l]ᵀ dZ[l] sums n[l] terms: keeping Var(dA) needs Var(w) = 1/n[l]. Glorot "
                    "takes the harmonic mean of the two conditions.",
                    "反向传播时，dA[l-1] = W[l]ᵀ dZ[l] 是 n[l] 项之和：要让 Var(dA) 保持不变，需要 Var(w) = 1/n[l]。"
                    "Glorot 取这两个条件的调和平均。",
                ),
                symbol("Var_Glorot(w)", r"\operatorname{Var}_{\text{Glorot}}(w)"),
                glorot,
                meaning=2 / (1 / forward_condition + 1 / backward_condition),
            ),
            Step(
                Text(
                    "Glorot's variance is the course's 1/n[l-1] only when n[l] = n[l-1].",
                    "只有当 n[l] = n[l-1] 时，Glorot 的方差才等于课程中的 1/n[l-1]。",
                ),
                n,
                n_prev,
                placeholder,
                proof=lambda _, rhs: sp.solve(glorot - forward_condition, n) == [rhs],
            ),
        ),
        result=Step(
            Text(
                "Solve n[l-1] Var(w) Var(z[l-1]) = Var(z[l-1]) for Var(w).",
                "由 n[l-1] Var(w) Var(z[l-1]) = Var(z[l-1]) 解出 Var(w)。",
            ),
            var_w,
            1 / n_prev,
            meaning=placeholder,
            proof=_keeps_spread(var_prev),
        ),
    )


def he() -> Derivation:
    r"""With ReLU, E[relu(z)²] = Var(z)/2, so Var(w) = 2/n[l-1] keeps the spread (He)."""
    s_ = symbol("s", positive=True)
    relu_moment = symbol("E[relu(z)²]", r"\operatorname{E}\big[\operatorname{relu}(z)^{2}\big]")
    gaussian = density(Normal("z", 0, s_))(x)
    placeholder = sp.Symbol("solution")
    return Derivation(
        key="init.he",
        title=Text(
            "He: Var(w) = 2/n[l-1] keeps the spread of z through ReLU layers",
            "He 初始化：Var(w) = 2/n[l-1] 让 z 的方差经过 ReLU 层后保持不变",
        ),
        statement=Text(
            "For every n[l-1]: with a[l-1] = relu(z[l-1]) and z[l-1] symmetric about 0, E[a[l-1]²] = "
            "Var(z[l-1])/2, so Var(z[l]) = n[l-1] Var(w) Var(z[l-1])/2, and Var(w) = 2/n[l-1] (He) keeps it. "
            "No small-z approximation: this holds at every layer, not only near 0. With w = 0.01 N(0, 1) the variance "
            "is multiplied by n[l-1]/(2·10⁴) per layer: 0.0128 for 256 units.",
            "对任意 n[l-1]：当 a[l-1] = relu(z[l-1]) 且 z[l-1] 关于 0 对称时，E[a[l-1]²] = Var(z[l-1])/2，"
            "所以 Var(z[l]) = n[l-1] Var(w) Var(z[l-1])/2，取 Var(w) = 2/n[l-1]（He 初始化）就能保持方差不变。"
            "这里不需要 z 很小的近似：它在每一层都成立，而不只在 0 附近。如果用 w = 0.01 N(0, 1)，"
            "方差每经过一层就乘以 n[l-1]/(2·10⁴)：256 个单元时是 0.0128。",
        ),
        hypotheses=(
            *VARIANCE_HYPOTHESES,
            Text(
                "a[l-1] = relu(z[l-1]), where z[l-1] has mean 0 and a symmetric density (z[l-1] is itself a sum of "
                "terms w a with w symmetric); checked here for Gaussian and uniform z[l-1].",
                "a[l-1] = relu(z[l-1])，其中 z[l-1] 均值为 0、密度关于 0 对称（z[l-1] 本身是若干项 w a 之和，"
                "w 的分布对称）；这里对高斯分布和均匀分布的 z[l-1] 做了验证。",
            ),
        ),
        steps=(
            *_variance_steps(),
            Step(
                Text(
                    "relu(z)² is z² for z > 0 and 0 otherwise: for z ~ N(0, s²) it keeps half of Var(z) = s².",
                    "z > 0 时 relu(z)² = z²，否则为 0：对 z ~ N(0, s²)，它恰好保留 Var(z) = s² 的一半。",
                ),
                relu_moment,
                s_**2 / 2,
                meaning=sp.Integral(x**2 * gaussian, (x, 0, sp.oo)),
            ),
            Step(
                Text(
                    "The same half for z uniform on (−c, c), whose variance is c²/3.",
                    "z 在 (−c, c) 上均匀分布（方差为 c²/3）时，同样保留一半。",
                ),
                relu_moment,
                (bound**2 / 3) / 2,
                meaning=sp.Integral(x**2 / (2 * bound), (x, 0, bound)),
            ),
            Step(
                Text(
                    "The weights 0.01 N(0, 1): each ReLU layer multiplies Var(z) by n[l-1]/(2·10⁴).",
                    "权重取 0.01 N(0, 1)：每经过一个 ReLU 层，Var(z) 就乘以 n[l-1]/(2·10⁴)。",
                ),
                factor,
                n_prev / (2 * 10**4),
                meaning=(n_prev * var_w * (var_prev / 2) / var_prev).subs(var_w, sp.Rational(1, 100) ** 2),
            ),
        ),
        result=Step(
            Text(
                "Solve n[l-1] Var(w) Var(z[l-1])/2 = Var(z[l-1]) for Var(w).",
                "由 n[l-1] Var(w) Var(z[l-1])/2 = Var(z[l-1]) 解出 Var(w)。",
            ),
            var_w,
            2 / n_prev,
            meaning=placeholder,
            proof=_keeps_spread(var_prev / 2),
        ),
    )


#: The keys of :func:`derivations`, in its order (the registry lists them without building anything).
KEYS = ("init.symmetry", "init.xavier", "init.he")


def derivations() -> list[Derivation]:
    return [symmetry(), xavier(), he()]
