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

from .core import Derivation, Step, indexed, is_zero, symbol

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
        title="Symmetry: hidden units that start equal stay equal",
        statement="For every n[l-1], n[l], n[l+1] and m: if the rows of W[l] are equal, the entries of b[l] are "
        "equal and the columns of W[l+1] are equal (W = 0 and b = 0 is such a start), then the rows of dW[l], "
        "the entries of db[l] and the columns of dW[l+1] are equal too, so one step of gradient descent "
        "keeps the start symmetric, and so does every later step: the n[l] hidden units compute the same "
        "function forever, whatever the data.",
        hypotheses=(
            "Symmetric start: W[l]_ij = w_j, b[l]_i = β and W[l+1]_ri = v_r, for every hidden unit i of layer l.",
            "Z[l] = W[l] A[l-1] + b[l], A[l] = g(Z[l]); dZ[l+1] is any upstream gradient.",
            "The backprop rules linear.dW, linear.db, linear.dA_prev and linear.dZ.",
        ),
        steps=(
            Step(
                "Every hidden unit i gets the same pre-activation, so the same A[l]_ik = g(Z[l]_ik).",
                Z[i, k],
                z_sym,
                meaning=_z(i),
                proof=_free_of(i),
            ),
            Step(
                "dZ[l] = W[l+1]ᵀ dZ[l+1] ⊙ g'(Z[l]): the same for every unit p, since column p of W[l+1] is v.",
                dZ[p, k],
                dz_sym,
                meaning=_dz(p),
                proof=_free_of(p),
            ),
            Step(
                "dW[l] = (1/m) dZ[l] A[l-1]ᵀ: row p does not depend on p. Call its entry c_q.",
                dW[p, q],
                dW_sym,
                meaning=dW_rule,
                proof=_free_of(p),
            ),
            Step(
                "db[l] = (1/m) Σ_k dZ[l]: the same entry for every p.",
                db[p],
                sp.Sum(dz_sym, (k, 0, m - 1)) / m,
                meaning=sp.Sum(_dz(p), (k, 0, m - 1)) / m,
                proof=_free_of(p),
            ),
            Step(
                "dW[l+1] = (1/m) dZ[l+1] A[l]ᵀ: column p does not depend on p, since row p of A[l] does not.",
                dW_next[s, p],
                sp.Sum(dZ_next[s, k] * g(z_sym), (k, 0, m - 1)) / m,
                meaning=sp.Sum(dZ_next[s, k] * g(_z(p)), (k, 0, m - 1)) / m,
                proof=_free_of(p),
            ),
        ),
        result=Step(
            "After the step W[l] − α dW[l], with c_q the common entry of step 3, row p of the new W[l] is still "
            "the same for every p (and likewise b[l] and the columns of W[l+1]).",
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
    "z = Σ_j w_j a_j over the n[l-1] inputs of a unit, with b[l] = 0 (as nn initializes it).",
    "The weights w_j are independent N(0, σ_w²), so Var(w) = σ_w²; they are independent of the inputs a_j, "
    "which are identically distributed with any density f.",
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
        Step("Each term w_j a_j has mean 0, and so has z.", Expectation(w1 * a1), sp.S.Zero, placeholder, _moment(0)),
        Step(
            "Two different terms are uncorrelated: every cross term of E[z²] vanishes.",
            Expectation(w1 * a1 * w2 * a2),
            sp.S.Zero,
            placeholder,
            _moment(1),
        ),
        Step(
            "One term's second moment: independence splits it into Var(w) E[a²].",
            Expectation((w1 * a1) ** 2),
            sigma_w**2 * Expectation(a1**2),
            placeholder,
            _moment(2),
        ),
        Step(
            "Var(z) = E[z²]: n[l-1] squared terms and n[l-1](n[l-1] − 1) cross terms.",
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
    n_in, n_out = symbol("n_in", "n_{\\text{in}}", positive=True), symbol("n_out", "n_{\\text{out}}", positive=True)
    glorot = 2 / (n_in + n_out)
    placeholder = sp.Symbol("solution")
    return Derivation(
        key="init.xavier",
        title="Xavier: Var(w) = 1/n[l-1] keeps the spread of z through tanh layers",
        statement="For every n[l-1]: Var(z[l]) = n[l-1] Var(w) E[a[l-1]²]. Near 0, tanh(z) ≈ z, so "
        "E[a[l-1]²] ≈ Var(z[l-1]) and Var(w) = 1/n[l-1] (the course's Xavier) keeps Var(z) from layer to layer. "
        "With w = 0.01 N(0, 1) the variance is multiplied by n[l-1]/10⁴ per layer instead: 0.0256 for 256 "
        "units, so deep nets start with vanishing signals. Glorot's 2/(n[l-1] + n[l]) also balances the "
        "backward pass and equals 1/n[l-1] only when n[l] = n[l-1].",
        hypotheses=(
            *VARIANCE_HYPOTHESES,
            "a[l-1] = tanh(z[l-1]) with z[l-1] of mean 0 and small enough that tanh(z) ≈ z (the first-order term).",
        ),
        steps=(
            *_variance_steps(),
            Step(
                "tanh is the identity to first order at 0, so E[a²] ≈ E[z[l-1]²] = Var(z[l-1]).",
                sp.tanh(x),
                x + sp.O(x**3),
                meaning=sp.tanh(x).series(x, 0, 3),
                proof=lambda meaning, rhs: meaning.removeO() == rhs.removeO() and meaning.getO() == rhs.getO(),
            ),
            Step(
                "The weights 0.01 N(0, 1): Var(w) = 10⁻⁴, so each tanh layer multiplies Var(z) by n[l-1]/10⁴.",
                factor,
                n_prev / 10**4,
                meaning=(n_prev * var_w * var_prev / var_prev).subs(var_w, sp.Rational(1, 100) ** 2),
            ),
            Step(
                "Backward, dA[l-1] = W[l]ᵀ dZ[l] sums n[l] terms: keeping Var(dA) needs Var(w) = 1/n[l]. Glorot "
                "takes the harmonic mean of the two conditions.",
                symbol("Var_Glorot(w)", r"\operatorname{Var}_{\text{Glorot}}(w)"),
                glorot,
                meaning=1 / ((n_in + n_out) / 2),
            ),
            Step(
                "Glorot's variance is the course's 1/n_in only when n_out = n_in.",
                n_out,
                n_in,
                placeholder,
                proof=lambda _, rhs: sp.solve(glorot - 1 / n_in, n_out) == [rhs],
            ),
        ),
        result=Step(
            "Solve n[l-1] Var(w) Var(z[l-1]) = Var(z[l-1]) for Var(w).",
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
        title="He: Var(w) = 2/n[l-1] keeps the spread of z through ReLU layers",
        statement="For every n[l-1]: with a[l-1] = relu(z[l-1]) and z[l-1] symmetric about 0, E[a[l-1]²] = "
        "Var(z[l-1])/2, so Var(z[l]) = n[l-1] Var(w) Var(z[l-1])/2, and Var(w) = 2/n[l-1] (He) keeps it. "
        "No small-z approximation: this holds at every layer, not only near 0. With w = 0.01 N(0, 1) the variance "
        "is multiplied by n[l-1]/(2·10⁴) per layer: 0.0128 for 256 units.",
        hypotheses=(
            *VARIANCE_HYPOTHESES,
            "a[l-1] = relu(z[l-1]), where z[l-1] has mean 0 and a symmetric density (z[l-1] is itself a sum of "
            "terms w a with w symmetric); checked here for Gaussian and uniform z[l-1].",
        ),
        steps=(
            *_variance_steps(),
            Step(
                "relu(z)² is z² for z > 0 and 0 otherwise: for z ~ N(0, s²) it keeps half of Var(z) = s².",
                relu_moment,
                s_**2 / 2,
                meaning=sp.Integral(x**2 * gaussian, (x, 0, sp.oo)),
            ),
            Step(
                "The same half for z uniform on (−c, c), whose variance is c²/3.",
                relu_moment,
                (bound**2 / 3) / 2,
                meaning=sp.Integral(x**2 / (2 * bound), (x, 0, bound)),
            ),
            Step(
                "The weights 0.01 N(0, 1): each ReLU layer multiplies Var(z) by n[l-1]/(2·10⁴).",
                factor,
                n_prev / (2 * 10**4),
                meaning=(n_prev * var_w * (var_prev / 2) / var_prev).subs(var_w, sp.Rational(1, 100) ** 2),
            ),
        ),
        result=Step(
            "Solve n[l-1] Var(w) Var(z[l-1])/2 = Var(z[l-1]) for Var(w).",
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
