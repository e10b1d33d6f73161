r"""Symbolic activations: one declaration each, from which SymPy derives g', g'' and the kink rules.

To add an activation, append one :func:`register` call below. Its first and second
derivatives, the check of its kink conventions, its place in ``python -m derivations``,
its tests and its docs section all follow from the declaration. The numpy side lives in
``nn/activations.py`` under the same name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import mpmath
import sympy as sp

from .core import LANGUAGES, Derivation, Step, Text, central_difference, is_zero, relative_error, say, symbol, tex

if TYPE_CHECKING:  # numpy runs only the numeric cross-checks; the browser's Pyodide has none
    import numpy as np

z = symbol("z", real=True)
a = symbol("a", real=True)
#: One unit's gradients: dz = ∂ℒ/∂z and da = ∂ℒ/∂a.
dz, da = symbol("dz"), symbol("da")


@dataclass(frozen=True)
class Kink:
    """A point where g is not differentiable (or g' is not), and the convention taken there.

    ``derivative`` is the value the project uses for g'(at); ``second_derivative`` the value
    for g''(at) when g' is continuous there but g'' is not. Each must be one of the two
    one-sided limits, and the declared expression must give it at ``at``. ``reason`` says why,
    in English and Chinese (a :class:`~derivations.core.Text`); it becomes a hypothesis.
    """

    at: sp.Expr
    derivative: sp.Expr
    reason: Text
    second_derivative: sp.Expr | None = None


@dataclass(frozen=True)
class SymbolicActivation:
    """An activation g as a SymPy expression in ``z``.

    Attributes:
        name: registry key, shared with ``nn.activations``.
        expr: g(z). Piecewise definitions encode the kink convention through which branch
            owns the boundary (``z > 0`` gives the left branch's slope at 0).
        summary: one line for the docs and the terminal, a :class:`~derivations.core.Text` in
            English and Chinese; the derivation's title is ``name: summary``.
        kinks: the non-differentiable points and the conventions there.
        analytic: True when g is analytic on the real line, so complex-step checks apply.
        output_form: derive g' in terms of the cached output a = g(z), as backprop code does.
        tex: how g is written in formulas.
    """

    name: str
    expr: sp.Expr
    summary: Text
    kinks: tuple[Kink, ...] = ()
    analytic: bool = True
    output_form: bool = False
    tex: str | None = None

    @property
    def g(self) -> sp.Function:
        """g as an undefined function, for writing g(z) and g'(z) in steps."""
        symbol(self.name, self.tex or rf"\operatorname{{{self.name}}}")
        return sp.Function(self.name)

    @cached_property
    def derivative(self) -> sp.Expr:
        return _tidy(sp.diff(self.expr, z))

    @cached_property
    def second_derivative(self) -> sp.Expr:
        return _tidy(sp.diff(self.derivative, z))

    def order(self, n: int) -> sp.Expr:
        """g, g' or g'' for n = 0, 1, 2."""
        return (self.expr, self.derivative, self.second_derivative)[n]

    @cached_property
    def breakpoints(self) -> frozenset:
        """Boundaries between the branches of g, read off the expression itself."""
        points = set()
        for relation in self.expr.rewrite(sp.Piecewise).atoms(sp.core.relational.Relational):
            points.update(sp.solve(relation.lhs - relation.rhs, z))
        return frozenset(points)

    @cached_property
    def _lambdified(self) -> dict[int, Callable]:
        """g^(n) as mpmath functions of one number, made by :meth:`numeric` once for each n it is asked."""
        return {}

    def numeric(self, n: int = 0, dps: int = 30):
        """g^(n) as a numpy-callable reference, evaluated by mpmath with ``dps`` digits."""
        import numpy as np

        if n not in self._lambdified:
            self._lambdified[n] = sp.lambdify(z, self.order(n), modules="mpmath")
        scalar = self._lambdified[n]

        def evaluate(values):
            with mpmath.workdps(dps):
                return np.vectorize(lambda v: float(scalar(mpmath.mpf(float(v)))), otypes=[float])(values)

        return evaluate

    @property
    def definition(self) -> sp.Expr:
        """g(z) as the definition step shows it: tanh(z) = tanh(z) says nothing, so a function SymPy
        names itself is written out in exponentials."""
        if tex(self.expr) == tex(self.g(z)):
            return self.expr.rewrite(sp.exp)
        return self.expr

    def derivation(self) -> Derivation:
        gz = self.g(z)
        steps = [
            Step(Text("Definition.", "定义。"), gz, self.definition, meaning=self.expr),
            Step(
                Text("Differentiate with respect to z.", "对 z 求导。"),
                sp.Derivative(gz, z),
                self.derivative,
                meaning=sp.Derivative(self.expr, z),
            ),
        ]
        g_prime, through_z = self.derivative, self.derivative
        if self.output_form:
            steps += self._in_terms_of_output()
            g_prime, through_z = self.derivative_in_output, self.derivative.subs(z, self.output_inverse)
        result = Step(
            Text(
                "Backprop through g, unit by unit, with g' as derived above: dz = da · g'(z); "
                "column by column, dZ = dA ⊙ g'(Z).",
                "逐个单元经过 g 反向传播，g' 取上面推出的形式：dz = da · g'(z)；逐列写就是 dZ = dA ⊙ g'(Z)。",
            ),
            dz,
            sp.Mul(da, g_prime, evaluate=False),
            meaning=da * through_z,
        )
        steps.append(
            Step(
                Text("Differentiate again for the second derivative.", "再求一次导，得到二阶导数。"),
                sp.Derivative(gz, (z, 2)),
                self.second_derivative,
                meaning=_pointwise(sp.diff(self.expr, z, 2)),
            )
        )
        declared = sp.FiniteSet(*(k.at for k in self.kinks))
        if self.kinks or self.breakpoints:
            steps.append(
                Step(
                    Text(
                        "The declared kinks are exactly the boundaries between the definition's branches.",
                        "声明的折点恰好就是定义中各分支的分界点。",
                    ),
                    declared,
                    sp.FiniteSet(*self.breakpoints),
                    meaning=declared,
                    proof=lambda lhs, rhs: lhs == rhs,
                )
            )
        for kink in self.kinks:
            steps += self._kink_steps(kink)
        hypotheses = [k.reason for k in self.kinks]
        return Derivation(
            key=f"activation.{self.name}",
            title=Text(f"{self.name}: {self.summary}", f"{self.name}：{say(self.summary, 'zh')}"),
            statement=Text(
                f"The derivative of {self.name}, derived from its definition.",
                f"{self.name} 的导数，由它的定义推导得出。",
            ),
            hypotheses=tuple(hypotheses),
            steps=tuple(steps),
            result=result,
            numeric=self._finite_difference_error,
        )

    @cached_property
    def output_inverse(self) -> sp.Expr:
        """z as a function of the output a = g(z): the real branch of SymPy's solution, written as the
        logit log(a/(1 − a)) or ½ log((1 + a)/(1 − a)) rather than SymPy's log(−a/(a − 1)).

        ``solve`` skips checking its candidates (``check=False``, most of its time): the real branch is
        picked here, and the derivation's step "solve for z" proves g(inverse) = a.
        """
        sample = self.expr.subs(z, sp.Rational(1, 3))
        candidates = sp.solve(sp.Eq(a, self.expr), z, check=False)
        (inverse,) = [s for s in candidates if s.subs(a, sample).is_real]
        return inverse.replace(sp.log, _readable_log)

    @cached_property
    def derivative_in_output(self) -> sp.Expr:
        """g' written in terms of a = g(z): replace g(z) by a, then z by g^{-1}(a), and simplify."""
        raw = sp.simplify(sp.diff(self.expr, z).subs(self.expr, a).subs(z, self.output_inverse))
        factored, expanded = _positive_factors(sp.factor(raw)), sp.expand(raw)
        return factored if sp.count_ops(factored) <= sp.count_ops(expanded) else expanded

    def _in_terms_of_output(self) -> list[Step]:
        solve = Step(
            Text("Cache the output a = g(z) and solve for z.", "缓存输出 a = g(z)，再从中解出 z。"),
            z,
            self.output_inverse,
            meaning=self.output_inverse,
            proof=lambda _, rhs: is_zero(sp.simplify(self.expr.subs(z, rhs)) - a),
        )
        rewrite = Step(
            Text(
                "Substitute z to write g' in terms of the cached a (what backprop code uses).",
                "代回 z，把 g' 写成缓存的 a 的函数（反向传播代码用的正是这种形式）。",
            ),
            sp.Derivative(self.g(z), z),
            self.derivative_in_output,
            meaning=self.derivative.subs(z, self.output_inverse),
        )
        return [solve, rewrite]

    def _kink_steps(self, kink: Kink) -> list[Step]:
        steps = []
        for order, value in ((1, kink.derivative), (2, kink.second_derivative)):
            if value is None:
                continue
            d = self.order(order)
            left, right = _one_sided(d, kink.at, -1), _one_sided(d, kink.at, +1)
            shown = sp.Derivative(self.g(z), (z, order))
            at = written(kink.at)
            primes = chr(39) * order
            steps += [
                Step(
                    Text(
                        f"One-sided limits of g{primes} at z = {at}: from the left ...",
                        f"g{primes} 在 z = {at} 处的单侧极限：先看左极限……",
                    ),
                    sp.Limit(shown, z, kink.at, "-"),
                    left,
                    meaning=_one_sided(d, kink.at, -1),
                ),
                Step(
                    Text("... and from the right.", "……再看右极限。"),
                    sp.Limit(shown, z, kink.at, "+"),
                    right,
                    meaning=_one_sided(d, kink.at, +1),
                ),
                Step(
                    Text(
                        f"Convention at z = {at}: a one-sided value, and the one the definition gives.",
                        f"z = {at} 处的约定：取的是某一侧的极限值，而且正是定义给出的那个值。",
                    ),
                    shown.subs(z, kink.at),
                    sp.FiniteSet(left, right),
                    meaning=d.subs(z, kink.at),
                    relation="∈",
                    proof=lambda at_kink, ends, value=value: bool(at_kink == value and value in ends),
                ),
            ]
        return steps

    def _finite_difference_error(self, rng: np.random.Generator) -> float:
        """Central difference of g and g' at a random point away from kinks, against g' and g''."""
        import numpy as np

        kinks = [float(k.at) for k in self.kinks]
        point = np.array([rng.uniform(-4, 4)])
        while any(abs(point[0] - k) < 1e-2 for k in kinks):
            point = np.array([rng.uniform(-4, 4)])
        errors = []
        for n in (0, 1):
            f = self.numeric(n)
            errors.append(relative_error(central_difference(lambda x, f=f: f(x)[0], point), self.numeric(n + 1)(point)))
        return max(errors)


def _readable_log(argument: sp.Expr) -> sp.Expr:
    """log(√u) as ½ log(u), and a fraction whose numerator and denominator both start with a minus
    sign (−a/(a − 1)) with both flipped (a/(1 − a)); the same number."""
    half = argument.is_Pow and argument.exp == sp.Rational(1, 2)
    base = argument.base if half else argument
    numerator, denominator = sp.fraction(sp.together(base))
    if numerator.could_extract_minus_sign() and denominator.could_extract_minus_sign():
        numerator, denominator = -numerator, -denominator
    elif numerator.could_extract_minus_sign():
        numerator, denominator = -numerator, sp.expand(-denominator)
    readable = sp.log(numerator / denominator)
    return readable / 2 if half else readable


def _one_sided(expr: sp.Expr, at: sp.Expr, side: int) -> sp.Expr:
    """Limit of expr as z -> at from one side: pick the branch that holds at at ± eps, then let eps -> 0+."""
    eps = sp.Symbol("epsilon", positive=True)
    return sp.limit(sp.piecewise_fold(expr).subs(z, at + side * eps), eps, 0, "+")


def _positive_factors(expr: sp.Expr) -> sp.Expr:
    """Write -a(a - 1) as a(1 - a): absorb a leading minus sign into a sum factor."""
    coeff, factors = expr.as_coeff_mul()
    if coeff < 0:
        for index, factor in enumerate(factors):
            if isinstance(factor, sp.Add):
                flipped = (*factors[:index], -factor, *factors[index + 1 :])
                return sp.Mul(-coeff, *flipped, evaluate=False) if coeff != -1 else sp.Mul(*flipped, evaluate=False)
    return expr


def _pointwise(expr: sp.Expr) -> sp.Expr:
    """A derivative meant pointwise: drop the DiracDelta of d/dz sign(z), and write z·sign(z) as |z|.

    The delta is 0 away from the kink, and the kink has its own declared convention.
    """
    expr = expr.replace(sp.DiracDelta, lambda *args: sp.S.Zero).subs(z * sp.sign(z), sp.Abs(z))
    return sp.piecewise_fold(expr)


def _tidy(expr: sp.Expr) -> sp.Expr:
    """The shortest of the raw, factored and cancelled forms (``simplify`` would bring in cosh)."""
    expr = _pointwise(expr)
    candidates = [expr, sp.factor(expr), sp.cancel(expr)]
    return min(candidates, key=sp.count_ops)


def written(number) -> str:
    """A number as the prose writes it, negative with the minus sign U+2212: ``written(-3) == "−3"``."""
    return str(number).replace("-", "\N{MINUS SIGN}")


REGISTRY: dict[str, SymbolicActivation] = {}


class DeclarationError(ValueError):
    """A declaration the registry refuses. It is raised while ``derivations/activations.py`` is imported, before
    any ``--lang`` is read, so ``str(error)`` gives the English and then the Chinese on the next line."""

    def __str__(self) -> str:
        return "\n".join(say(self.args[0], lang) for lang in LANGUAGES)


def register(name: str, expr: sp.Expr, summary: Text, **options) -> SymbolicActivation:
    """Declare an activation. The name must match the class in ``nn/activations.py``."""
    if name in REGISTRY:
        raise DeclarationError(Text(
            f"activation {name!r} is declared twice in derivations/activations.py: each register(...) needs its "
            "own name",
            f"激活函数 {name!r} 在 derivations/activations.py 中声明了两次：每个 register(...) 都要有自己的名称",
        ))  # fmt: skip
    REGISTRY[name] = SymbolicActivation(name, expr, summary, **options)
    return REGISTRY[name]


def get(name: str) -> SymbolicActivation:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"no symbolic activation {name!r}; declared: {', '.join(REGISTRY)}") from None


def names() -> list[str]:
    return list(REGISTRY)


# --- the declarations ---------------------------------------------------------------------

register(
    "sigmoid",
    1 / (1 + sp.exp(-z)),
    Text("the logistic function, for binary outputs", "逻辑函数（logistic），用于二分类输出"),
    output_form=True,
    tex=r"\sigma",
)
register(
    "tanh",
    sp.tanh(z),
    Text(
        "hyperbolic tangent, the hidden activation of the posts and the course",
        "双曲正切，文章和课程中隐藏层所用的激活函数",
    ),
    output_form=True,
    tex=r"\tanh",
)
register(
    "relu",
    sp.Piecewise((z, z > 0), (0, True)),
    Text("rectified linear unit, max(0, z)", "修正线性单元，max(0, z)"),
    analytic=False,
    kinks=(
        Kink(
            0,
            0,
            Text(
                "ReLU has no derivative at z = 0: the slope is 0 on the left and 1 on the right. "
                "We take g'(0) = 0, the left slope, as PyTorch and JAX do: the mask is Z > 0, "
                "so a unit sitting exactly at 0 passes no gradient.",
                "ReLU 在 z = 0 处不可导：左侧斜率为 0，右侧斜率为 1。我们和 PyTorch、JAX 一样取左侧斜率 "
                "g'(0) = 0：掩码是 Z > 0，所以 z 恰好为 0 的单元不回传梯度。",
            ),
        ),
    ),
)
register(
    "leaky_relu",
    sp.Piecewise((z, z > 0), (z / 100, True)),
    Text("leaky ReLU with slope 0.01 for z ≤ 0", "带泄漏的 ReLU，z ≤ 0 时斜率为 0.01"),
    analytic=False,
    kinks=(
        Kink(
            0,
            sp.Rational(1, 100),
            Text(
                "Leaky ReLU has no derivative at z = 0 (slopes 0.01 and 1). We take the left slope, "
                "g'(0) = 0.01, by the same rule as ReLU (mask Z > 0), which is also PyTorch's choice.",
                "Leaky ReLU 在 z = 0 处不可导（两侧斜率为 0.01 和 1）。按与 ReLU 相同的规则（掩码 Z > 0）"
                "取左侧斜率 g'(0) = 0.01，PyTorch 也是这样取的。",
            ),
        ),
    ),
)
register(
    "identity", z, Text("the identity, for linear layers and regression outputs", "恒等函数，用于线性层和回归输出")
)
register(
    "softplus",
    sp.log(1 + sp.exp(z)),
    Text(
        "log(1 + e^z), a smooth ReLU whose derivative is the sigmoid",
        "log(1 + e^z)，光滑版的 ReLU，它的导数就是 sigmoid",
    ),
    tex=r"\operatorname{softplus}",
)
register(
    "elu",
    sp.Piecewise((z, z > 0), (sp.exp(z) - 1, True)),
    Text("exponential linear unit with α = 1", "指数线性单元，α = 1"),
    analytic=False,
    kinks=(
        Kink(
            0,
            1,
            Text(
                "ELU (α = 1) has g'(0) = 1 from both sides, but g'' jumps from 1 (left) to 0 (right). "
                "As in PyTorch the branch z ≤ 0 owns z = 0, so g''(0) = 1, the left value.",
                "ELU（α = 1）在 z = 0 处两侧都给出 g'(0) = 1，但 g'' 从 1（左侧）跳到 0（右侧）。"
                "和 PyTorch 一样，z = 0 归 z ≤ 0 这一支，所以 g''(0) = 1，即左侧的值。",
            ),
            second_derivative=1,
        ),
    ),
    tex=r"\operatorname{elu}",
)
_SELU_LAMBDA = sp.Rational("1.0507009873554804934193349852946")
_SELU_ALPHA = sp.Rational("1.6732632423543772848170429916717")
register(
    "selu",
    _SELU_LAMBDA * sp.Piecewise((z, z > 0), (_SELU_ALPHA * (sp.exp(z) - 1), True)),
    Text(
        "scaled ELU, λ ≈ 1.0507 and α ≈ 1.6733 (PyTorch's constants)",
        "缩放的 ELU，λ ≈ 1.0507，α ≈ 1.6733（PyTorch 所用的常数）",
    ),
    analytic=False,
    kinks=(
        Kink(
            0,
            _SELU_LAMBDA * _SELU_ALPHA,
            Text(
                "SELU has no derivative at z = 0 (slopes λα ≈ 1.758 on the left and λ ≈ 1.051 on the right). "
                "We take the left slope g'(0) = λα, as PyTorch does: its branch z ≤ 0 owns z = 0.",
                "SELU 在 z = 0 处不可导（左侧斜率 λα ≈ 1.758，右侧斜率 λ ≈ 1.051）。我们和 PyTorch 一样"
                "取左侧斜率 g'(0) = λα：在 PyTorch 里，z = 0 归 z ≤ 0 这一支。",
            ),
            second_derivative=_SELU_LAMBDA * _SELU_ALPHA,
        ),
    ),
    tex=r"\operatorname{selu}",
)
register(
    "gelu",
    z / 2 * (1 + sp.erf(z / sp.sqrt(2))),
    Text("Gaussian error linear unit, z·Φ(z) (exact, with erf)", "高斯误差线性单元，z·Φ(z)（用 erf 精确计算）"),
    tex=r"\operatorname{gelu}",
)
register(
    "gelu_tanh",
    z / 2 * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (z + sp.Rational(44715, 1000000) * z**3))),
    Text(
        "GELU's tanh approximation (PyTorch's approximate='tanh')",
        "GELU 的 tanh 近似（即 PyTorch 的 approximate='tanh'）",
    ),
    tex=r"\operatorname{gelu}_{\tanh}",
)
register(
    "silu",
    z / (1 + sp.exp(-z)),
    Text("sigmoid linear unit (swish), z·σ(z)", "sigmoid 线性单元（swish），z·σ(z)"),
    tex=r"\operatorname{silu}",
)
register(
    "mish",
    z * sp.tanh(sp.log(1 + sp.exp(z))),
    Text("z·tanh(softplus(z))", "z·tanh(softplus(z))，即 z 乘以 softplus(z) 的双曲正切"),
    tex=r"\operatorname{mish}",
)
register(
    "softsign",
    z / (1 + sp.Abs(z)),
    Text("z / (1 + |z|), a slowly saturating tanh", "z / (1 + |z|)，饱和得更慢的 tanh"),
    analytic=False,
    kinks=(
        Kink(
            0,
            1,
            Text(
                "Softsign has g'(0) = 1 from both sides, but g'' jumps from 2 (left) to −2 (right). "
                "Its definition uses |z|, whose derivative sign(z) is 0 at z = 0, so g''(0) = 0 is not "
                "a one-sided value: g'' is left undeclared at 0 and numpy gives 0 there, as SymPy does.",
                "Softsign 在 z = 0 处两侧都给出 g'(0) = 1，但 g'' 从 2（左侧）跳到 −2（右侧）。它的定义用到 "
                "|z|，而 |z| 的导数 sign(z) 在 z = 0 处为 0，于是 g''(0) = 0 不是任何一侧的极限值：g'' 在 0 "
                "处不作约定，numpy 在该点给出 0，与 SymPy 一致。",
            ),
        ),
    ),
    tex=r"\operatorname{softsign}",
)
register(
    "hard_sigmoid",
    sp.Piecewise((0, z <= -3), (1, z >= 3), (z / 6 + sp.Rational(1, 2), True)),
    Text("relu6(z + 3)/6, a piecewise-linear sigmoid", "relu6(z + 3)/6，分段线性的 sigmoid"),
    analytic=False,
    kinks=(
        Kink(
            -3,
            0,
            Text(
                "Hard sigmoid has slopes 0 and 1/6 at z = −3; as PyTorch, g'(−3) = 0 (the flat side owns ±3).",
                "Hard sigmoid 在 z = −3 处两侧斜率为 0 和 1/6；和 PyTorch 一样取 g'(−3) = 0（±3 处取平坦一侧的值）。",
            ),
        ),
        Kink(
            3,
            0,
            Text(
                "Hard sigmoid has slopes 1/6 and 0 at z = 3; as PyTorch, g'(3) = 0 (the flat side owns ±3).",
                "Hard sigmoid 在 z = 3 处两侧斜率为 1/6 和 0；和 PyTorch 一样取 g'(3) = 0（±3 处取平坦一侧的值）。",
            ),
        ),
    ),
    tex=r"\operatorname{hardsigmoid}",
)
register(
    "hard_tanh",
    sp.Piecewise((-1, z <= -1), (1, z >= 1), (z, True)),
    Text("tanh clipped to a line: −1, z, 1", "截成三段折线（−1、z、1）的 tanh"),
    analytic=False,
    kinks=(
        Kink(
            -1,
            0,
            Text(
                "Hard tanh has slopes 0 and 1 at z = −1; as PyTorch, g'(−1) = 0 (the flat side owns ±1).",
                "Hard tanh 在 z = −1 处两侧斜率为 0 和 1；和 PyTorch 一样取 g'(−1) = 0（±1 处取平坦一侧的值）。",
            ),
        ),
        Kink(
            1,
            0,
            Text(
                "Hard tanh has slopes 1 and 0 at z = 1; as PyTorch, g'(1) = 0 (the flat side owns ±1).",
                "Hard tanh 在 z = 1 处两侧斜率为 1 和 0；和 PyTorch 一样取 g'(1) = 0（±1 处取平坦一侧的值）。",
            ),
        ),
    ),
    tex=r"\operatorname{hardtanh}",
)
