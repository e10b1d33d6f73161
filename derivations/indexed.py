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
4. the difference must be zero: first in a quick normal form (expanded, every sum split
   term by term with the factors free of its variable taken out, :func:`pull_constants`),
   which settles most identities; what that leaves is handed to ``simplify``, as before.
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


def pull_constants(expr: sp.Basic) -> sp.Basic:
    """Write every sum as a combination of sums of single products: Σ (c f + g) = c Σ f + Σ g, Σ c = (hi − lo + 1) c.

    A sum over several variables becomes nested sums, the first variable innermost, as SymPy
    sums them. Factors free of a summation variable leave its sum, so two expressions that
    differ only in where such factors stand become equal term by term.
    """
    if isinstance(expr, sp.Sum):
        body = pull_constants(expr.function)
        for var, lo, hi in expr.limits:
            terms = []
            for term in sp.Add.make_args(sp.expand(body)):
                inside = [f for f in sp.Mul.make_args(term) if var in f.free_symbols]
                outside = sp.Mul(*(f for f in sp.Mul.make_args(term) if var not in f.free_symbols))
                terms.append(outside * (sp.Sum(sp.Mul(*inside), (var, lo, hi)) if inside else hi - lo + 1))
            body = sp.Add(*terms)
        return body
    if expr.args:
        return expr.func(*(pull_constants(a) for a in expr.args))
    return expr


def _summed(expr: sp.Basic, in_range: dict) -> sp.Basic:
    """``expr`` with its matrix entries written as sums, SymPy's ``doit``, and every index in range."""
    return to_indexed(expr).doit().subs(in_range)


def _quick_normal(summed: sp.Basic) -> sp.Basic:
    """Deltas summed out, constants out of every sum, dummies renamed: enough for most identities."""
    return canonical_dummies(sp.expand(pull_constants(collapse_deltas(sp.expand(summed)))))


def _simplified_normal(summed: sp.Basic) -> sp.Basic:
    """Deltas summed out between two rounds of ``simplify``: slower, for what the quick form leaves."""
    return canonical_dummies(sp.simplify(collapse_deltas(sp.simplify(summed))))


def _named_as_in(shown: sp.Basic, expr: sp.Basic) -> sp.Basic:
    """``shown`` with each summation variable (the k0, k1… of :func:`canonical_dummies`) named as the
    variable of ``expr``'s sum over the same range, where that name is free in ``shown`` nowhere else:
    Σ_k dZ[p, k] A[q, k] over the samples, as the page names them, rather than Σ_{k0}."""
    names: dict = {}
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Sum):
            for var, lo, hi in node.limits:
                names.setdefault((lo, hi), var)

    def rename(node: sp.Basic, taken: frozenset) -> sp.Basic:
        if isinstance(node, sp.Sum):
            body, limits = node.function, []
            for var, lo, hi in node.limits:
                name = names.get((lo, hi), var)
                name = var if name in taken else name
                body, taken = body.xreplace({var: name}), taken | {name}
                limits.append((name, lo, hi))
            return sp.Sum(rename(body, taken), *limits)
        if node.args:
            return node.func(*(rename(arg, taken) for arg in node.args))
        return node

    return rename(shown, frozenset(shown.free_symbols))


def collapsed(expr: sp.Basic, ranges: dict[sp.Symbol, sp.Symbol]) -> sp.Basic:
    """``expr`` with its Kronecker deltas summed out, written back in the original sizes and with its
    summation variables' names (for display)."""
    in_range, back = _in_range(ranges)
    return _named_as_in(sp.simplify(_simplified_normal(_summed(expr, in_range)).subs(back)), expr)


def equal_for_all_indices(lhs: sp.Basic, rhs: sp.Basic, ranges: dict[sp.Symbol, sp.Symbol]) -> bool:
    """Prove ``lhs == rhs`` for every size and every index ``0 <= idx < size`` in ``ranges``.

    Both normal forms only rewrite each side into an equal expression, so either one reaching a
    difference of zero is a proof; the quick one is tried first.
    """
    in_range, _ = _in_range(ranges)
    lhs, rhs = _summed(lhs, in_range), _summed(rhs, in_range)
    if sp.expand(_quick_normal(lhs) - _quick_normal(rhs)) == 0:
        return True
    return sp.simplify(_simplified_normal(lhs) - _simplified_normal(rhs)) == 0


def proof_for_all_indices(ranges: dict[sp.Symbol, sp.Symbol]):
    """A :class:`~derivations.core.Step` proof that uses :func:`equal_for_all_indices`."""
    return lambda lhs, rhs: equal_for_all_indices(lhs, rhs, ranges)
