r"""Proving matrix identities entry by entry, for symbolic sizes.

A claim such as :math:`\partial J/\partial W_{pq} = \frac1m (dZ\,A^\top)_{pq}` is an
identity between indexed sums whose bounds are symbols (``n``, ``m``). SymPy
differentiates such sums into ``KroneckerDelta`` terms guarded by index-range
conditions. :func:`equal_for_all_indices` proves the identity for *every* size and
every index in range:

1. each size ``n`` that bounds a free index ``p`` is written ``n = p + 1 + s`` with a
   fresh ``s >= 0``, which is exactly the hypothesis ``0 <= p < n``;
2. ``sum_v delta(v, x) f(v) = f(x)`` collapses Kronecker deltas once ``x`` is provably in range;
3. summation variables are renamed canonically, so two sums that differ only in the
   name of their dummy index compare equal;
4. the difference must simplify to zero.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement


def to_indexed(expr: sp.Basic) -> sp.Basic:
    """Rewrite entries of ``MatrixSymbol`` products (``(dZ*A.T)[p, q]``) as sums of ``Indexed`` objects."""
    expr = expr.replace(
        lambda e: isinstance(e, MatrixElement) and not isinstance(e.parent, sp.MatrixSymbol),
        lambda e: e.parent[e.i, e.j],
    )
    return expr.replace(
        lambda e: isinstance(e, MatrixElement),
        lambda e: sp.IndexedBase(e.parent.name)[e.i, e.j],
    )


def collapse_deltas(expr: sp.Basic) -> sp.Basic:
    """Apply ``Sum(delta(v, x) * f(v), (v, lo, hi)) = f(x)`` wherever ``lo <= x <= hi`` is provable."""
    if isinstance(expr, sp.Sum):
        body = sp.expand(collapse_deltas(expr.function))
        if isinstance(body, sp.Add):
            return sp.Add(*(collapse_deltas(sp.Sum(term, *expr.limits)) for term in body.args))
        limits = list(expr.limits)
        for var, lo, hi in expr.limits:
            for delta in body.atoms(sp.KroneckerDelta):
                if var not in delta.args:
                    continue
                x = delta.args[1] if delta.args[0] == var else delta.args[0]
                in_range = (x - lo).is_nonnegative and (hi - x).is_nonnegative
                if var not in x.free_symbols and in_range and delta in sp.Mul.make_args(body):
                    body = (body / delta).xreplace({var: x})
                    limits.remove((var, lo, hi))
                    break
        return sp.Sum(body, *limits) if limits else body
    if expr.args:
        return expr.func(*(collapse_deltas(a) for a in expr.args))
    return expr


def canonical_dummies(expr: sp.Basic, depth: int = 0) -> sp.Basic:
    """Rename summation variables by nesting depth, so equal sums print and compare equal."""
    if isinstance(expr, sp.Sum):
        body, limits = expr.function, []
        for offset, (var, lo, hi) in enumerate(expr.limits):
            dummy = sp.Symbol(f"k{depth + offset}", integer=True)
            body = body.xreplace({var: dummy})
            limits.append((dummy, lo, hi))
        return sp.Sum(canonical_dummies(body, depth + len(limits)), *limits)
    if expr.args:
        return expr.func(*(canonical_dummies(a, depth) for a in expr.args))
    return expr


def _in_range(ranges: dict[sp.Symbol, sp.Symbol]) -> tuple[dict, dict]:
    """Write each size as index + 1 + slack, with a fresh slack >= 0: the hypothesis 0 <= index < size.

    Returns the substitution and its inverse (slack -> size - index - 1).
    """
    slacks = sp.symbols(f"s0:{len(ranges)}", integer=True, nonnegative=True)
    forward = {size: index + 1 + slack for (index, size), slack in zip(ranges.items(), slacks, strict=True)}
    back = {slack: size - index - 1 for (index, size), slack in zip(ranges.items(), slacks, strict=True)}
    return forward, back


def _normal(expr: sp.Basic, in_range: dict) -> sp.Basic:
    expr = to_indexed(expr).doit().subs(in_range)
    return canonical_dummies(sp.simplify(collapse_deltas(sp.simplify(expr))))


def collapsed(expr: sp.Basic, ranges: dict[sp.Symbol, sp.Symbol]) -> sp.Basic:
    """``expr`` with its Kronecker deltas summed out, written back in the original sizes (for display)."""
    in_range, back = _in_range(ranges)
    return sp.simplify(_normal(expr, in_range).subs(back))


def equal_for_all_indices(lhs: sp.Basic, rhs: sp.Basic, ranges: dict[sp.Symbol, sp.Symbol]) -> bool:
    """Prove ``lhs == rhs`` for every size and every index ``0 <= idx < size`` in ``ranges``."""
    in_range, _ = _in_range(ranges)
    return sp.simplify(_normal(lhs, in_range) - _normal(rhs, in_range)) == 0


def proof_for_all_indices(ranges: dict[sp.Symbol, sp.Symbol]):
    """A :class:`~derivations.core.Step` proof that uses :func:`equal_for_all_indices`."""
    return lambda lhs, rhs: equal_for_all_indices(lhs, rhs, ranges)
