r"""Questions put to SymPy, answered in three values: proved, disproved or undecided.

A solver that returns an unsolved set (a ``ConditionSet``) has not answered the question, and
"not the set we hoped for" is not a "no". Every answer here is one of:

- **proved**: SymPy solved the question exactly, or a stated proof (below) goes through;
- **disproved**: a counterexample, checked by exact evaluation, is given;
- **undecided**: neither; the docs print it as such, never as "yes" or "no".

The verdict is a plain value that code compares; the words the docs show (``Claim.shown`` and
``Claim.reason``) are :class:`~derivations.core.Text`, English with its Chinese twin.

Example:
    >>> from derivations import activations, claims
    >>> claims.positive_exactly_where_z_is(activations.get("gelu")).verdict
    'proved'
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .activations import SymbolicActivation, z
from .core import Text

PROVED, DISPROVED, UNDECIDED = "proved", "disproved", "undecided"

#: How the docs print each verdict: "undecided" is never shown as yes or no.
SHOWN = {
    PROVED: Text("yes (proved)", "是（已证明）"),
    DISPROVED: Text("no, counterexample", "否，有反例"),
    UNDECIDED: Text("undecided", "未能判定"),
}

#: Functions whose value on the real line lies strictly above -1 (the one fact the factor proof uses).
ABOVE_MINUS_ONE = (sp.erf, sp.tanh)

POSITIVE_Z = sp.Interval.open(0, sp.oo)


@dataclass(frozen=True)
class Claim:
    """The answer to one question: its verdict, the set SymPy found (if any) and the reason."""

    verdict: str
    reason: Text
    solution: sp.Set | None = None
    counterexample: sp.Expr | None = None
    factor: sp.Expr | None = None

    @property
    def shown(self) -> Text:
        """How the docs print the verdict (see :data:`SHOWN`)."""
        return SHOWN[self.verdict]

    def __post_init__(self):
        if self.verdict not in (PROVED, DISPROVED, UNDECIDED):
            raise ValueError(f"a claim is proved, disproved or undecided, not {self.verdict!r}")


def positive_exactly_where_z_is(act: SymbolicActivation) -> Claim:
    r"""Is \(g(z) > 0 \iff z > 0\) for every real z? (Then the masks \(A > 0\) and \(Z > 0\) agree.)"""
    g = act.expr
    solution = sp.solveset(g > 0, z, sp.S.Reals)
    if not solution.has(sp.ConditionSet):
        if solution == POSITIVE_Z:
            return Claim(
                PROVED, Text("SymPy solves g(z) > 0 exactly: z > 0.", "SymPy 精确解出 g(z) > 0：z > 0。"), solution
            )
        witness = _witness(solution.symmetric_difference(POSITIVE_Z))
        if witness is not None and _sign_disagrees(g, witness):
            if _positive(g, witness):
                reason = Text(f"g({witness}) > 0 although {witness} ≤ 0.", f"g({witness}) > 0，但 {witness} ≤ 0。")
            else:
                reason = Text(f"g({witness}) ≤ 0 although {witness} > 0.", f"g({witness}) ≤ 0，但 {witness} > 0。")
            return Claim(DISPROVED, reason, solution, witness)
        reason = Text(
            f"SymPy solved g(z) > 0 as {solution}, but no counterexample was confirmed.",
            f"SymPy 把 g(z) > 0 解为 {solution}，但没有得到确认的反例。",
        )
        return Claim(UNDECIDED, reason, solution)
    unsolved = Text(
        "SymPy returns g(z) > 0 unsolved and no proof applies.", "SymPy 没有解出 g(z) > 0，也没有适用的证明。"
    )
    return _factor_proof(g) or Claim(UNDECIDED, unsolved, solution)


def _factor_proof(g: sp.Expr) -> Claim | None:
    """g = z h(z) with h > 0 on the real line: then g(z) > 0 exactly when z > 0.

    h > 0 is proved by SymPy's assumptions after each erf(u) and tanh(u) is written q − 1 with q > 0,
    which only uses that both functions stay above −1 on the real line (each term gets its own q).
    """
    h = sp.cancel(g / z)
    if h.has(sp.Piecewise) or not sp.simplify(h * z - g) == 0:
        return None
    bounded_terms = [e for e in h.atoms(sp.Function) if isinstance(e, ABOVE_MINUS_ONE)]
    used = sorted({type(e).__name__ for e in bounded_terms})
    bounded = h.xreplace({e: sp.Dummy("q", positive=True) - 1 for e in bounded_terms})  # one q per term
    if bounded.has(z) or not sp.simplify(bounded).is_positive:
        return None
    since = f", since {' and '.join(used)} > −1 on the real line" if used else ""
    since_zh = f"，因为在实数轴上 {' 和 '.join(used)} > −1" if used else ""
    reason = Text(
        f"g(z) = z·h(z) with h(z) > 0 for every real z{since}.",
        f"g(z) = z·h(z)，且对每个实数 z 都有 h(z) > 0{since_zh}。",
    )
    return Claim(PROVED, reason, POSITIVE_Z, factor=h)


def _witness(difference: sp.Set) -> sp.Expr | None:
    """A point of a non-empty set of reals, exact (an integer where one lies inside)."""
    for candidate in (0, -1, 1, -3, 3, -10, 10, sp.Rational(-1, 2), sp.Rational(1, 2)):
        if difference.contains(candidate) is sp.true:
            return sp.Integer(candidate)
    return None


def _positive(g: sp.Expr, at: sp.Expr) -> bool:
    return bool(sp.simplify(g.subs(z, at)) > 0)


def _sign_disagrees(g: sp.Expr, at: sp.Expr) -> bool:
    """True when g(at) > 0 and at > 0 disagree, decided by exact evaluation."""
    return _positive(g, at) != bool(at > 0)
