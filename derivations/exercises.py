r""" "Your turn" exercises: the reader's answer is judged by the step of the derivation that states it.

Each :class:`Exercise` points at one step of a registered derivation. The reader's text is parsed by
the scaffold's safe parser (:func:`derivations.scaffold.parse`) with the exercise's names, put in place
of the step's right-hand side, and the step's own proof decides: the answer is right exactly when the
derivation would still verify with it. Nothing is typed twice: the expected answer *is* the step.
A wrong answer is shown at a point where it and the derivation differ (:func:`differing_point`). An
answer SymPy neither proves nor separates from the derivation at a point is *undecided*, never called
right or wrong, and so is one SymPy proves only by cancelling a division whose divisor it neither proves
nonzero nor finds 0 (:func:`zero_divisor`).

Example:
    >>> check("relu-prime-at-zero", "0").status, check("relu-prime-at-zero", "1").status
    ('correct', 'wrong')
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement
from sympy.printing.str import StrPrinter

from . import get
from .core import Step, Text, symbolic_equal
from .scaffold import OneDimensional, ScaffoldError, ShapeError, _shape, divisors, explain, failure, parse
from .typed import normalise, spelling

#: what the parser's messages call the text, in an exercise
ANSWER = Text("the answer", "答案")


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer and what it gets wrong; the tests check each one is rejected."""

    answer: str
    why: Text


@dataclass(frozen=True)
class Exercise:
    """One "Your turn" box.

    Attributes:
        key: its id on the page.
        page: the docs page that shows it (``docs/PAGE.md`` and its twin).
        question: what the reader is asked, in both languages.
        derivation: the registry key of the derivation that answers it.
        step: the index of the answering step in ``derivation.all_steps()``.
        names: the names the reader may type, each mapped to the printed name of a symbol of the step.
        against_meaning: compare with the step's left-hand side evaluated (a value the definition gives),
            not through the step's proof of its right-hand side.
        mistakes: typical wrong answers.
    """

    key: str
    page: str
    question: Text
    derivation: str
    step: int
    names: dict[str, str]
    mistakes: tuple[Mistake, ...]
    against_meaning: bool = False

    def the_step(self) -> Step:
        return list(get(self.derivation).all_steps())[self.step]

    def symbols(self) -> dict[str, sp.Basic]:
        """The reader's names, bound to the step's own symbols (found by how they print)."""
        step = self.the_step()
        atoms = {}
        for part in (step.rhs, step.lhs, step.meaning if step.meaning is not None else step.lhs):
            atoms |= {str(atom): atom for atom in part.atoms(sp.Symbol, sp.Indexed) if str(atom) not in atoms}
            atoms |= {str(atom): atom for atom in part.atoms(sp.MatrixSymbol)}  # not the Symbol naming it
        return {name: atoms[printed] for name, printed in self.names.items()}

    def expected(self) -> sp.Basic:
        step = self.the_step()
        return step.meaning.doit() if self.against_meaning else step.rhs


@dataclass(frozen=True)
class Verdict:
    """The judgement of one answer: correct, or wrong with a point where it differs, or an error."""

    correct: bool
    answer: sp.Basic | None = None
    point: dict[str, str] | None = None
    yours: str | None = None
    derived: str | None = None
    mistake: Mistake | None = None
    error: Text | None = None
    refused: bool = False
    undecided: bool = False

    @property
    def status(self) -> str:
        """``correct``, ``wrong``, ``undecided`` (neither proved nor shown to differ at a point, or proved only
        by cancelling a division SymPy cannot decide), or ``error`` when the text was refused as a formula or
        divides by zero where the derivation's answer is defined."""
        if self.correct:
            return "correct"
        return "error" if self.refused else "undecided" if self.undecided else "wrong"


def check(key: str, text: str) -> Verdict:
    """Judge the reader's ``text`` for exercise ``key``."""
    exercise = EXERCISES[key]
    symbols = exercise.symbols()
    typed = normalise(text, symbols)
    try:
        answer = parse(text, symbols)
    except OneDimensional as error:  # np.sum without keepdims=True: a wrong shape, not a refused formula
        yours = Text(
            f"is a 1-D array of shape ({error.length},) (np.sum without keepdims=True drops the summed axis)",
            f"是维度为 ({error.length},) 的一维数组（np.sum 不带 keepdims=True 时会去掉求和的那一维）",
        )
        return Verdict(False, mistake=_mistake(exercise, text, symbols), error=_wrong_shape(exercise, yours))
    except ShapeError as error:
        return Verdict(False, mistake=_mistake(exercise, text, symbols), error=error.args[0])
    except ScaffoldError as error:
        return Verdict(False, error=Text(*(explain(error, lang, ANSWER) for lang in ("en", "zh"))), refused=True)
    except (TypeError, ValueError, sp.ShapeError) as error:  # SymPy refusing a combination, e.g. 1 - A
        why, read = failure(error), typed.read_as() or Text("", "")
        return Verdict(
            False,
            error=Text(f"the answer cannot be built: {why} ({error}){read}", f"无法构造这个答案：{why.zh}{read.zh}"),
            refused=True,
        )
    expected, step = exercise.expected(), exercise.the_step()
    mistake = _mistake(exercise, text, symbols)
    if isinstance(expected, sp.MatrixExpr) != isinstance(answer, sp.MatrixExpr) or (
        isinstance(expected, sp.MatrixExpr) and expected.shape != answer.shape
    ):
        shape = _shape(answer)
        yours = (
            Text(f"has shape {shape}", f"的维度是 {shape}")
            if isinstance(answer, sp.MatrixExpr)
            else Text(f"is a number, of shape {shape}", f"是一个数，维度是 {shape}")
        )
        return Verdict(False, answer, mistake=mistake, error=_wrong_shape(exercise, yours))
    if exercise.against_meaning:
        holds = symbolic_equal(expected, answer)
    else:
        holds = dataclasses.replace(step, rhs=answer).holds()
    if holds:
        division = zero_divisor(text, expected, symbols)
        if division is None:
            return Verdict(True, answer)
        if division.point is None:  # proved equal once SymPy cancels a division it cannot prove safe: no verdict
            return Verdict(False, answer, mistake=mistake, error=_undecided_division(division.divisor), undecided=True)
        return Verdict(False, answer, mistake=mistake, error=_divides_by_zero(division), refused=True)
    point, yours, derived = differing_point(answer, expected, symbols)
    if point is None:  # SymPy did not prove it, and no point tried tells them apart: no verdict
        return Verdict(False, answer, undecided=True)
    return Verdict(False, answer, point, yours, derived, mistake)


def _divides_by_zero(division: Division) -> Text:
    """Why an answer SymPy proves equal is refused: it divides by ``division.divisor``, which is 0 at its point."""
    divisor, point = division.divisor, dict(division.point)
    entry = point.pop("entry", None)
    where = ", ".join(f"{name} = {value}" for name, value in point.items())
    entry = Text("", "") if entry is None else Text(f" in its entry {entry}", f"的元素 {entry} ")
    return Text(
        f"the answer divides by {divisor!r}, which is 0{entry} at {where}, where the derivation's answer is "
        "defined: numpy computes the answer as it is typed and divides by zero there (nan or inf). SymPy cancels "
        f"the division, which is why it alone would call the two equal. Write the answer without dividing by "
        f"{divisor!r}",
        f"答案除以 {divisor!r}，而在 {where} 处它{entry.zh}为 0，推导的答案在那里却有定义：numpy 按写出的样子计算答案，"
        "在那里会除以零（得到 nan 或 inf）。SymPy 会把这个除法约掉，所以只有它会认为两者相等。"
        f"请写成不除以 {divisor!r} 的形式",
    )


def _undecided_division(divisor: str) -> Text:
    """Why an answer SymPy proves equal is neither accepted nor refused: it divides by ``divisor``, which SymPy
    neither proves nonzero nor finds 0 where the derivation's answer is defined."""
    return Text(
        f"the answer divides by {divisor!r}, and SymPy can neither prove that it is never 0 nor find a point where "
        "it is 0 and the derivation's answer is defined. SymPy cancels the division, so the answer equals the "
        f"derivation's wherever {divisor!r} is not 0; numpy computes it as typed and gives nan or inf where it is. "
        f"Whether that ever happens is not settled: write the answer without dividing by {divisor!r}",
        f"答案除以 {divisor!r}，而 SymPy 既不能证明它永不为 0，也找不到它为 0 且推导的答案有定义的点。"
        f"SymPy 会把这个除法约掉，所以在 {divisor!r} 不为 0 的地方，答案与推导的答案相等；numpy 则按写出的样子计算，"
        f"在它为 0 的地方得到 nan 或 inf。它是否真会为 0 尚无定论：请写成不除以 {divisor!r} 的形式",
    )


def _wrong_shape(exercise: Exercise, yours: Text) -> Text:
    """The shape rule an answer breaks, in the docs' notation where the step gives a named matrix:
    ``your answer has shape (1, m), but db[l] is (n[l], 1)``."""
    shape, given = _shape(exercise.expected()), exercise.the_step().lhs
    if isinstance(given, sp.MatrixSymbol):
        return Text(f"your answer {yours}, but {given} is {shape}", f"你的答案{yours.zh}，而 {given} 的维度是 {shape}")
    return Text(f"your answer {yours}, the step's has shape {shape}", f"你的答案{yours.zh}，这一步的维度是 {shape}")


def _mistake(exercise: Exercise, text: str, symbols: dict[str, sp.Basic]) -> Mistake | None:
    """The known mistake ``text`` is, however typed: ``dZ @ A_prevᵀ`` and ``np.dot(dZ, A_prev.T)`` are one."""
    typed = spelling(text, symbols)
    return next((m for m in exercise.mistakes if spelling(m.answer, symbols) == typed), None)


#: values tried for scalars (away from 0 and 1, where a log or a 1/(1 − a) breaks) and sizes
TRIAL_VALUES = [sp.Rational(n, d) for n, d in ((1, 3), (2, 7), (3, 5), (5, 8), (4, 9), (7, 11))]
TRIAL_SIZES = (2, 3, 4, 5, 6)


def differing_point(answer: sp.Basic, expected: sp.Basic, symbols: dict[str, sp.Basic]):
    """A point where ``answer`` and ``expected`` differ: (values of the reader's names, yours, derived), as text.

    Scalars get small rationals; matrices of symbolic size get small sizes (other ones at each attempt)
    and integer entries, and the
    first entry that differs is reported. The values at a point are exact; they count as different only
    when their difference, evaluated to 30 digits, is not zero (:func:`_differ`), so an identity SymPy
    does not simplify, such as cos(π/7) + cos(3π/7) + cos(5π/7) = 1/2, never passes for a difference.
    (None, None, None) when no tried point separates them.
    """
    chooser = random.Random(0)
    for attempt in range(4):
        values, sizes = _draw(symbols, chooser, attempt)
        mine, theirs = _evaluate(answer, values, sizes), _evaluate(expected, values, sizes)
        if mine is None or theirs is None:
            continue
        if isinstance(mine, sp.MatrixBase):
            for index in range(len(mine)):
                if _differ(mine[index], theirs[index]):
                    row, col = divmod(index, mine.cols)
                    shown = _shown(symbols, values, sizes)
                    return ({**shown, "entry": f"[{row}, {col}]"}, str(mine[index]), str(theirs[index]))
            continue
        if _differ(mine, theirs):
            return _shown(symbols, values, sizes), str(mine), str(theirs)
    return None, None, None


#: the attempt of :func:`_draw` that puts each scalar at the edge of its domain and every size at 1
EDGE = -1


def _draw(
    symbols: dict[str, sp.Basic], chooser: random.Random, attempt: int, fixed: dict | None = None
) -> tuple[dict, dict]:
    """A point to try: (values of the reader's names, sizes of the matrices). Scalars get small rationals;
    matrices of symbolic size get small sizes (other ones at each attempt) and integer entries. At the attempt
    :data:`EDGE` each size is 1 and each scalar is at the edge of its domain: 0 for a real or nonnegative one, 1 for
    a positive one (m, t, β). ``fixed`` gives some sizes their values."""
    values: dict[sp.Basic, sp.Basic] = {}
    sizes = dict(fixed or {})
    for matrix in (s for s in symbols.values() if isinstance(s, sp.MatrixSymbol)):
        for size in matrix.shape:
            if isinstance(size, sp.Symbol) and size not in sizes:
                # other sizes at each attempt, so that m = 3 is not the only m tried
                sizes[size] = sp.Integer(
                    1 if attempt == EDGE else TRIAL_SIZES[(len(sizes) + attempt) % len(TRIAL_SIZES)]
                )
    for symbol in symbols.values():
        if isinstance(symbol, sp.MatrixSymbol):
            rows, cols = (int(sp.sympify(d).subs(sizes)) for d in symbol.shape)
            values[symbol.subs(sizes)] = sp.Matrix(rows, cols, lambda i, j: chooser.randint(-3, 3))
        elif symbol in sizes:
            values[symbol] = sizes[symbol]
        elif attempt == EDGE:
            values[symbol] = sp.Integer(1 if symbol.is_positive else 0)
        elif symbol.is_integer:
            values[symbol] = sp.Integer(chooser.choice(TRIAL_SIZES))
        else:
            values[symbol] = chooser.choice(TRIAL_VALUES)
    return values, sizes


def _shown(symbols: dict[str, sp.Basic], values: dict, sizes: dict) -> dict[str, str]:
    """The point as the reader reads it: each size, then each of the reader's names with its value."""
    shown = {str(size): str(value) for size, value in sizes.items()}
    shown |= {name: str(values[s.subs(sizes)].tolist()) for name, s in symbols.items() if s.is_Matrix}
    return shown | {name: str(values[s]) for name, s in symbols.items() if s in values and not s.is_Matrix}


@dataclass(frozen=True)
class Division:
    """A division in a typed answer that SymPy does not prove safe: what it divides by, as typed, and a point where
    that is 0 while the derivation's answer is defined, or no point when SymPy neither proves the divisor nonzero
    nor finds such a point (an undecided division)."""

    divisor: str
    point: dict[str, str] | None = None


def zero_divisor(text: str, expected: sp.Basic, symbols: dict[str, sp.Basic]) -> Division | None:
    """The first division of the answer ``text`` by zero where ``expected`` is defined, else the first division
    SymPy cannot decide (a :class:`Division` without a point); None when every divisor is proved nonzero.

    SymPy cancels ``dZ*dZ/dZ`` to ``dZ`` as it builds the answer; numpy computes it as typed, and gives nan where
    an entry of dZ is 0. A divisor is proved nonzero (:func:`_proved_nonzero`) from the names' assumptions (m, a
    positive integer; 1 + exp(−a) of a real a) or, when it depends on one name, by ``solveset`` finding no zero
    in that name's domain. Otherwise a zero is looked for (:func:`_zero_point`); a divisor neither proved
    nonzero nor found 0 is undecided, never passed.
    """
    undecided = None
    for source, divisor in divisors(text, symbols):
        if _proved_nonzero(divisor):
            continue
        point = _zero_point(divisor, expected, symbols)
        if point is not None:
            return Division(source, point)
        undecided = undecided or Division(source)
    return undecided


def _domain(symbol: sp.Basic) -> sp.Set:
    """The values ``symbol``'s assumptions allow: the positive integers for m, the positive reals for β, the reals
    for a, for an entry of a matrix and for a name with no assumptions (numpy's arrays hold real numbers)."""
    if symbol.is_integer:
        return sp.S.Naturals if symbol.is_positive else sp.S.Naturals0 if symbol.is_nonnegative else sp.S.Integers
    if symbol.is_positive:
        return sp.Interval.open(0, sp.oo)
    return sp.Interval(0, sp.oo) if symbol.is_nonnegative else sp.S.Reals


def _real(expr: sp.Basic) -> sp.Basic:
    """``expr`` with each name that carries no assumptions (a[q], an entry dZ[i, j]) replaced by a real unknown."""
    loose = [atom for atom in expr.atoms(sp.Indexed, MatrixElement) if atom.is_real is not True]
    return expr.xreplace({atom: sp.Dummy(str(atom).replace(" ", ""), real=True) for atom in loose})


#: the indices of the generic entry of a matrix divisor
ROW, COLUMN = sp.symbols("i j", integer=True, nonnegative=True)


def _proved_nonzero(divisor: sp.Basic) -> bool:
    """SymPy proves ``divisor`` (each entry of it) nonzero for every value its names may take.

    By the names' assumptions alone; where it depends on one name only, by ``solveset`` over that name's domain
    returning no zero; or, where it is of degree 1 or 2 in one of its names, by :func:`_no_root_of_quadratic`. A
    matrix is proved through its entry [i, j] of symbolic i and j, whose entries dZ[i, j] and dZ[j, i] are
    unknowns of their own: a proof for them is one for every entry (a diagonal one, where they are one entry, too)
    and every size, when the divisor is entrywise; an entry that sums over a dimension is never proved.
    ``solveset`` is trusted with one unknown only: with other names left as symbols it returns no zero for
    m + |Z| − 1, which is 0 at m = 1, Z = 0."""
    if isinstance(divisor, sp.MatrixExpr):
        divisor = divisor[ROW, COLUMN]
        if divisor.has(sp.Sum):
            return False
    divisor = _real(divisor)
    if divisor.is_zero is False:
        return True
    names = divisor.free_symbols
    if len(names) == 1:
        return _roots(divisor, *names, _domain(*names)) == []
    return any(_no_root_of_quadratic(divisor, name) for name in sorted(names, key=str))


def _no_root_of_quadratic(expr: sp.Basic, name: sp.Symbol) -> bool:
    """``expr``, of degree 1 or 2 in ``name`` with a leading coefficient SymPy proves nonzero, has no root in
    ``name``'s domain for any value of its other names: each root the quadratic formula gives is proved not real or
    outside that domain (m·Z² − Z + 1: the roots (1 ± √(1 − 4m))/2m are not real for m ≥ 1)."""
    if not expr.is_polynomial(name):
        return False
    poly = sp.Poly(expr, name)
    if poly.degree() not in (1, 2) or poly.LC().is_zero is not False:
        return False
    roots = sp.roots(poly)
    domain = _domain(name)
    return sum(roots.values()) == poly.degree() and all(
        root.is_real is False or domain.contains(root) is sp.false for root in roots
    )


def _roots(expr: sp.Basic, unknown: sp.Symbol, domain: sp.Set) -> list[sp.Basic] | None:
    """The zeros of ``expr`` in ``domain`` that ``solveset`` gives: all of them when they are finitely many (an
    empty list proves there is none), the first few of each family of a periodic solution (sin(a) + 2 has none,
    1 + sin(a) one every 2π), and None when SymPy does not solve it (a − cos(a))."""
    try:
        solved = sp.solveset(expr, unknown, domain)
    except (NotImplementedError, TypeError, ValueError):
        return None
    if solved is sp.S.EmptySet:
        return []
    if isinstance(solved, sp.FiniteSet):
        inside = [root for root in solved if domain.contains(root) is sp.true]
        return [] if all(domain.contains(root) is sp.false for root in solved) else inside or None
    families = solved.args if isinstance(solved, sp.Union) else (solved,)
    if not all(isinstance(family, (sp.ImageSet, sp.Intersection)) for family in families):
        return None
    try:
        found = [root for family in families for root in itertools.islice(iter(family), 3)]
    except (TypeError, ValueError, NotImplementedError):  # a family SymPy cannot list
        return None
    return [root for root in found if domain.contains(root) is sp.true] or None


def _zero_point(divisor: sp.Basic, expected: sp.Basic, symbols: dict[str, sp.Basic]) -> dict[str, str] | None:
    """A point where ``divisor`` (one of its entries) is 0 and ``expected`` is finite, as the reader reads it, with
    the entry of a matrix divisor; None when SymPy finds none.

    The points tried are those :func:`differing_point` would try, then the edge of each name's domain (0 for a
    real a, 1 for m, t and β, sizes 1), where m − 1 + Z² is 0. At each, one name the divisor depends on (one entry,
    for a matrix) is left free and solved for where the divisor is 0, within that name's domain (``solveset``); a
    size such as m, solved for, gives the matrices that many columns, and the divisor is checked 0 there."""
    chooser = random.Random(0)
    draws = [(a, *_draw(symbols, chooser, a)) for a in range(4)] + [(EDGE, *_draw(symbols, random.Random(0), EDGE))]
    for attempt, values, sizes in draws:
        for symbol in (s for s in symbols.values() if divisor.has(s)):
            for point, entry in _zeros_of(divisor, symbol, values, sizes):
                at = sizes
                if symbol in sizes:  # m is a size too: the matrices are drawn again with m columns
                    point, at = _draw(symbols, random.Random(0), attempt, {symbol: point[symbol]})
                    entry = _zero_entry(divisor, point, at)
                    if entry is None:
                        continue
                theirs = _evaluate(expected, point, at)
                if theirs is not None and all(value.is_finite for value in sp.Matrix([theirs])):
                    shown = _shown(symbols, point, at)
                    return shown if entry in (None, "") else {**shown, "entry": entry}
    return None


def _zero_entry(divisor: sp.Basic, values: dict, sizes: dict) -> str | None:
    """The entry "[i, j]" of a matrix ``divisor`` that is 0 at ``values`` ("" for a scalar that is 0), or None."""
    for where, entry in _entries(divisor, values, sizes):
        if sp.simplify(entry).is_zero:
            return where or ""
    return None


def _entries(divisor: sp.Basic, values: dict, sizes: dict) -> list[tuple[str | None, sp.Basic]]:
    """Each entry of ``divisor`` at ``values`` (and, for a matrix, ``sizes``), with its place "[i, j]" in a matrix
    divisor, None for a scalar one."""
    if not isinstance(divisor, sp.MatrixExpr):
        return [(None, divisor.xreplace(values))]
    entries = sp.Matrix(divisor.subs(sizes).xreplace(values).doit())
    return [("[{}, {}]".format(*divmod(index, entries.cols)), entry) for index, entry in enumerate(entries)]


def _zeros_of(divisor: sp.Basic, symbol: sp.Basic, values: dict, sizes: dict) -> list[tuple[dict, str | None]]:
    """``values`` with ``symbol`` (its first entry, for a matrix) moved to where ``divisor`` is 0, each with the
    entry of a matrix divisor that is 0 there, "[i, j]"; empty when SymPy finds no such value in ``symbol``'s
    domain."""
    unknown = sp.Dummy("u", real=True)
    if isinstance(symbol, sp.MatrixSymbol):
        key, domain = symbol.subs(sizes), sp.S.Reals
        free = values[key].copy()
        free[0, 0] = unknown
    else:
        key, free, domain = symbol, unknown, _domain(symbol)
    try:
        entries = _entries(divisor, {**values, key: free}, sizes)
    except (TypeError, ValueError):  # SymPy cannot build it at this point: no zero to report
        return []
    found = []
    for where, entry in entries:
        roots = (_roots(entry, unknown, domain) or []) if entry.has(unknown) else []
        found += [({**values, key: free.subs(unknown, root)}, where) for root in roots]
    return found


def _differ(mine: sp.Basic, theirs: sp.Basic) -> bool:
    """Two exact values at a point differ: their difference, to 30 significant digits, is not zero."""
    difference = sp.N(mine - theirs, 30)
    try:
        return abs(complex(difference)) > 1e-20
    except TypeError:  # not a number: nothing is shown
        return False


def _evaluate(expr: sp.Basic, values: dict, sizes: dict) -> sp.Basic | None:
    try:
        if isinstance(expr, sp.MatrixExpr):
            concrete = expr.subs(sizes).xreplace(values).doit()
            return sp.Matrix(concrete).applyfunc(sp.nsimplify)
        result = sp.nsimplify(sp.simplify(expr.subs(values).doit()))
        return result if result.is_finite else None
    except (TypeError, ValueError, ZeroDivisionError):
        return None


class _AnswerPrinter(StrPrinter):
    """An expression in the answer grammar: the reader's names, ``@`` for products of matrices, ``.T``."""

    printmethod = "_answer_str"  # not Indexed's own _sympystr, which would print a[p] past _print_Indexed

    def __init__(self, names: dict[sp.Basic, str]):
        super().__init__()
        self.names = names

    def _print_Symbol(self, expr):
        return self.names.get(expr, super()._print_Symbol(expr))

    _print_MatrixSymbol = _print_Indexed = _print_Symbol

    def _wrapped(self, expr) -> str:
        printed = self._print(expr)
        return printed if isinstance(expr, (sp.Symbol, sp.MatrixSymbol, sp.Indexed)) else f"({printed})"

    def _print_Transpose(self, expr):
        return f"{self._wrapped(expr.arg)}.T"

    def _print_MatMul(self, expr):
        coefficient, matrices = expr.as_coeff_matrices()
        ones = matrices[-1] if len(matrices) > 1 and isinstance(matrices[-1], sp.OneMatrix) else None
        if ones is not None and ones.cols == 1:  # X times a column of ones: numpy's sum along each row of X
            summed = f"np.sum({self._print(sp.MatMul(*matrices[:-1]))}, axis=1, keepdims=True)"
            return summed if coefficient == 1 else f"{self._wrapped(coefficient)} * {summed}"
        product = " @ ".join(self._wrapped(m) if isinstance(m, sp.MatAdd) else self._print(m) for m in matrices)
        if coefficient == 1:
            return product
        return f"{self._wrapped(coefficient)} * {product if len(matrices) == 1 else f'({product})'}"

    def _print_MatAdd(self, expr):
        return " + ".join(self._print(term) for term in expr.args)

    def _print_HadamardProduct(self, expr):
        return " * ".join(self._wrapped(factor) for factor in expr.args)


def answer(key: str) -> str:
    """The derivation's answer to exercise ``key``, typed in the answer grammar (what "show the answer" shows)."""
    exercise = EXERCISES[key]
    return _AnswerPrinter({symbol: name for name, symbol in exercise.symbols().items()}).doprint(exercise.expected())


def _exercises(*items: Exercise) -> dict[str, Exercise]:
    return {item.key: item for item in items}


EXERCISES = _exercises(
    Exercise(
        "dz-sigmoid-cross-entropy",
        "output-layer",
        Text(
            "A sigmoid output with the cross-entropy loss: write dz = ∂ℒ/∂z for one sample, in terms of a and y.",
            "sigmoid 输出配交叉熵损失：用 a 和 y 写出一个样本的 dz = ∂ℒ/∂z。",
        ),
        "output.sigmoid_bce",
        4,
        {"a": "a", "y": "y"},
        (
            Mistake("y - a", Text("The sign is flipped: dz points uphill.", "符号反了：dz 指向上坡方向。")),
            Mistake(
                "(1 - y)/(1 - a) - y/a",
                Text("That is da; the chain rule through σ′ is missing.", "这是 da；还缺经过 σ′ 的链式法则。"),
            ),
            Mistake(
                "a*(1 - a)*(a - y)",
                Text(
                    "σ′ is multiplied in twice: the cross-entropy's da already cancels it.",
                    "σ′ 被多乘了一次：交叉熵的 da 已经把它约掉了。",
                ),
            ),
        ),
    ),
    Exercise(
        "da-square-error",
        "output-layer",
        Text(
            "The square error ℒ = Σ_p (a_p − y_p)² sums over the output units p: write its derivative with respect "
            "to one output a_q, in terms of a (for a_q) and y (for y_q).",
            "平方误差 ℒ = Σ_p (a_p − y_p)² 对各输出单元 p 求和：写出它对其中一个输出 a_q 的导数，用 a 表示 a_q，"
            "y 表示 y_q。",
        ),
        "output.mse",
        1,
        {"a": "a[q]", "y": "y[q]"},
        (
            Mistake(
                "2*a",
                Text(
                    "The target is lost: this is the bug of one of the posts.", "目标值丢了：这正是其中一篇文章的错误。"
                ),
            ),
            Mistake("a - y", Text("The factor 2 of the square is missing.", "漏掉了平方求导得到的因子 2。")),
        ),
    ),
    Exercise(
        "tanh-prime",
        "activations",
        Text(
            "Backprop code caches A = tanh(Z). Write tanh′(z) in terms of the cached output a.",
            "反向传播代码缓存了 A = tanh(Z)。用缓存的输出 a 写出 tanh′(z)。",
        ),
        "activation.tanh",
        3,
        {"a": "a"},
        (
            Mistake("1 - a", Text("The square of a is missing.", "a 的平方漏掉了。")),
            Mistake(
                "1 - tanh(a)**2",
                Text("a is already tanh(z): tanh is applied twice.", "a 已经是 tanh(z)：tanh 被用了两次。"),
            ),
            Mistake("a*(1 - a)", Text("That is the sigmoid's derivative.", "这是 sigmoid 的导数。")),
        ),
    ),
    Exercise(
        "sigmoid-prime",
        "activations",
        Text(
            "The sigmoid's output a = σ(z) is cached. Write σ′(z) in terms of a.",
            "sigmoid 的输出 a = σ(z) 已缓存。用 a 写出 σ′(z)。",
        ),
        "activation.sigmoid",
        3,
        {"a": "a"},
        (
            Mistake("a*(a - 1)", Text("The sign is flipped: σ is increasing.", "符号反了：σ 是增函数。")),
            Mistake("1 - a**2", Text("That is tanh's derivative.", "这是 tanh 的导数。")),
        ),
    ),
    Exercise(
        "relu-prime-at-zero",
        "activations",
        Text(
            "ReLU has no derivative at z = 0. Which value does this project (like PyTorch and JAX) use for relu′(0)?",
            "ReLU 在 z = 0 处不可导。本项目（和 PyTorch、JAX 一样）把 relu′(0) 取为多少？",
        ),
        "activation.relu",
        6,
        {},
        (
            Mistake("1", Text("That is the right-hand slope; the mask is Z > 0.", "这是右侧斜率；掩码是 Z > 0。")),
            Mistake(
                "1/2",
                Text(
                    "Not a one-sided slope: the mean of the two is no slope of ReLU.",
                    "不是单侧斜率：两者的平均不是 ReLU 的斜率。",
                ),
            ),
        ),
        against_meaning=True,
    ),
    Exercise(
        "dw-m-samples",
        "linear-layer",
        Text(
            "Write dW[l] for m samples in numpy, from dZ (dZ[l]), A_prev (A[l-1]) and m; "
            "@ is the matrix product, .T the transpose.",
            "用 numpy 写出 m 个样本的 dW[l]，用 dZ（dZ[l]）、A_prev（A[l-1]）和 m；@ 是矩阵乘法，.T 是转置。",
        ),
        "linear.dW",
        3,
        {"dZ": "dZ[l]", "A_prev": "A[l-1]", "m": "m"},
        (
            Mistake(
                "dZ @ A_prev.T",
                Text("The average over the m samples is missing: divide by m.", "缺少对 m 个样本的平均：要除以 m。"),
            ),
            Mistake(
                "A_prev @ dZ.T / m",
                Text(
                    "This is dW[l] transposed: W[l] is (n[l], n[l-1]).", "这是 dW[l] 的转置：W[l] 是 (n[l], n[l-1])。"
                ),
            ),
        ),
    ),
    Exercise(
        "db-m-samples",
        "linear-layer",
        Text(
            "Write db[l] for m samples in numpy, from dZ (dZ[l]) and m; np.sum(X, axis=…, keepdims=…) sums as "
            "numpy does.",
            "用 numpy 写出 m 个样本的 db[l]，用 dZ（dZ[l]）和 m；np.sum(X, axis=…, keepdims=…) 的求和与 numpy 相同。",
        ),
        "linear.db",
        2,
        {"dZ": "dZ[l]", "m": "m"},
        (
            Mistake(
                "np.sum(dZ, axis=0, keepdims=True) / m",
                Text(
                    "axis=0 sums each sample's n[l] entries into a (1, m) row; the samples are the columns, so the "
                    "sum over them is axis=1.",
                    "axis=0 把每个样本的 n[l] 个元素加成一个 (1, m) 的行；样本是列，对样本求和要用 axis=1。",
                ),
            ),
            Mistake(
                "np.sum(dZ, axis=1, keepdims=True)",
                Text("The average over the m samples is missing: divide by m.", "缺少对 m 个样本的平均：要除以 m。"),
            ),
            Mistake(
                "np.sum(dZ, axis=1) / m",
                Text(
                    "Without keepdims=True numpy drops the summed axis: a 1-D array of n[l] entries, which a "
                    "later b[l] - α db[l] broadcasts into an (n[l], n[l]) matrix.",
                    "不带 keepdims=True 时 numpy 会去掉求和的那一维，得到 n[l] 个元素的一维数组；之后的 "
                    "b[l] - α db[l] 会把它广播成 (n[l], n[l]) 的矩阵。",
                ),
            ),
            Mistake(
                "np.sum(dZ) / m",
                Text(
                    "With no axis np.sum adds every entry of dZ[l] into one number: each unit's b needs its own sum.",
                    "不给 axis 时 np.sum 把 dZ[l] 的所有元素加成一个数：每个单元的 b 要有自己的和。",
                ),
            ),
            Mistake(
                "dZ / m",
                Text(
                    "This keeps one column per sample, (n[l], m): b[l] is shared by the m samples, so their "
                    "gradients are summed.",
                    "这样每个样本各留一列，维度是 (n[l], m)：b[l] 由 m 个样本共用，所以要把它们的梯度加起来。",
                ),
            ),
        ),
    ),
    Exercise(
        "da-prev",
        "linear-layer",
        Text(
            "Write dA[l-1] in numpy from W (W[l]) and dZ (dZ[l]).",
            "用 W（W[l]）和 dZ（dZ[l]）以 numpy 写出 dA[l-1]。",
        ),
        "linear.dA_prev",
        2,
        {"W": "W[l]", "dZ": "dZ[l]"},
        (
            Mistake(
                "W @ dZ",
                Text(
                    "W[l] must be transposed: (n[l], n[l-1]) @ (n[l], m) does not align.",
                    "W[l] 要转置：(n[l], n[l-1]) @ (n[l], m) 对不上。",
                ),
            ),
            Mistake(
                "dZ.T @ W",
                Text("This is dA[l-1] transposed: samples are columns.", "这是 dA[l-1] 的转置：样本按列排列。"),
            ),
        ),
    ),
    Exercise(
        "dw-l2",
        "regularization",
        Text(
            "With the L2 penalty (λ/2m) Σ ‖W[l]‖², write dW[l] in numpy from dZ, A_prev, W, m and lambd (λ).",
            "加上 L2 惩罚项 (λ/2m) Σ ‖W[l]‖² 后，用 dZ、A_prev、W、m 和 lambd（λ）以 numpy 写出 dW[l]。",
        ),
        "regularization.l2",
        4,
        {"dZ": "dZ[l]", "A_prev": "A[l-1]", "W": "W[l]", "m": "m", "lambd": "λ"},
        (
            Mistake(
                "dZ @ A_prev.T / m + lambd * W",
                Text("The penalty's term is divided by m too.", "惩罚项的梯度也要除以 m。"),
            ),
            Mistake(
                "dZ @ A_prev.T / m + lambd / (2*m) * W",
                Text("The 2 of the square cancels the 1/2 of the penalty.", "平方求导得到的 2 会约掉惩罚项里的 1/2。"),
            ),
        ),
    ),
    Exercise(
        "momentum-bias",
        "optimizers",
        Text(
            "Momentum starts at v_0 = 0 and sees the same gradient g at every step. "
            "Write v_t in terms of g, beta (β) and t: the bias that Adam's correction divides away.",
            "动量从 v_0 = 0 开始，每一步看到的梯度都是 g。"
            "用 g、beta（β）和 t 写出 v_t：也就是 Adam 的修正要除掉的偏差。",
        ),
        "optimizers.bias_correction",
        3,
        {"g": "g", "beta": "beta", "t": "t"},
        (
            Mistake(
                "g",
                Text(
                    "That is v̂_t after the correction; v_t itself starts at 0.", "这是修正后的 v̂_t；v_t 本身从 0 开始。"
                ),
            ),
            Mistake("g*beta**t", Text("The weights add up to 1 − β^t, not β^t.", "权重之和是 1 − β^t，不是 β^t。")),
        ),
    ),
)


def on_page(page: str) -> list[Exercise]:
    """The exercises shown on ``page``, in order."""
    return [exercise for exercise in EXERCISES.values() if exercise.page == page]
