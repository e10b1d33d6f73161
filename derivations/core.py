r"""The derivation object: a statement, its hypotheses, SymPy steps, ``verify()`` and rendering.

A :class:`Derivation` is a list of :class:`Step` equalities. Each step says what its
left-hand side *means* (usually an unevaluated ``Derivative``) and what the derivation
claims it equals. ``verify()`` re-evaluates the meaning with SymPy and proves the claim,
so a typo in a step, or a wrong headline result, makes ``verify()`` fail.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, wraps
from typing import TYPE_CHECKING

import sympy as sp
from sympy.concrete import summations
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

if TYPE_CHECKING:  # numpy runs only the numeric cross-checks; the browser's Pyodide has none
    import numpy as np

#: TeX names for names whose plain-text form is the course's notation (``W[l]`` -> ``W^{[l]}``); a
#: :class:`Text` when the name holds words (``\text{…}``), so the formula speaks the page's language.
TEX_NAMES: dict[str, str] = {}

#: Plain-text names that hold words, as :class:`Text`, so the terminal speaks its language too.
TEXT_NAMES: dict[str, Text] = {}

#: Indexed names whose index is a layer (the widths n[l]), printed n^{[l]} as docs/notation.md writes them.
BY_LAYER: set[str] = set()

#: The languages every derivation speaks: English (the default) and Simplified Chinese.
LANGUAGES = ("en", "zh")


class Text(str):
    """A string in English that carries its Simplified Chinese twin, so both live in one place.

    It *is* the English string (``str(text)``, f-strings and comparisons see English), and
    ``text.zh`` is the Chinese. :func:`say` picks one by language. A plain ``str`` where a
    ``Text`` belongs has no Chinese; ``tests/test_translations.py`` fails on it.

    Example:
        >>> note = Text("Chain rule.", "链式法则。")
        >>> say(note, "zh"), say(note, "en")
        ('链式法则。', 'Chain rule.')
    """

    zh: str

    def __new__(cls, en: str, zh: str) -> Text:
        text = super().__new__(cls, en)
        text.zh = zh
        return text

    def __reduce__(self):
        return Text, (str.__str__(self), self.zh)


class SeedError(ValueError):
    """A seed the numeric cross-checks cannot draw from. Its message is a :class:`Text`: ``str(error)`` is the
    English, :meth:`text` gives either language."""

    def text(self, lang: str = "en") -> str:
        """The message in English (``"en"``) or Simplified Chinese (``"zh"``)."""
        return say(self.args[0], lang)


def _seed(value) -> int:
    """``value``, the seed of a numeric cross-check's random draws; a :class:`SeedError` naming the rule unless it is
    an integer >= 0 (numpy would refuse it in its own words, or take True as 1)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise SeedError(Text(
            f"seed = {value!r}: the seed of the numeric cross-check's random draws must be an integer >= 0",
            f"seed = {value!r}：数值交叉检验随机抽取所用的种子必须是 >= 0 的整数",
        ))  # fmt: skip
    return int(value)


def say(text: str, lang: str = "en") -> str:
    """``text`` in ``lang``: the Chinese twin of a :class:`Text` for ``"zh"``, the English otherwise."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: the derivations speak {', '.join(LANGUAGES)}")
    if lang == "zh" and isinstance(text, Text):
        return text.zh
    return str.__str__(text)


#: The CJK Unified Ideographs (U+4E00–U+9FFF): a Chinese text has at least one.
CJK = re.compile("[\u4e00-\u9fff]")


def not_chinese(english: str, chinese: str) -> str | None:
    """Why ``chinese`` is not the Chinese of ``english``: empty, without Chinese characters, or the English copied.

    None when it is Chinese. The scaffold and the translation tests hold every Chinese text to this one rule.
    """
    if not chinese.strip():
        return f"no Chinese for {english!r}"
    if not CJK.search(chinese):
        return f"the Chinese {chinese!r} has no Chinese characters"
    if chinese.strip() == english.strip():
        return f"the Chinese copies the English {english!r}"
    return None


#: The words of the derivations' own layout.
LABELS = {
    words: Text(words, zh)
    for words, zh in (("Hypotheses:", "假设："), ("Result.", "结论。"), ("assume:", "假设："), ("result:", "结论："))
}


def label(words: str, lang: str = "en") -> str:
    """One of the layout's words (``"Result."``, ``"assume:"``…) in ``lang``."""
    return say(LABELS[words], lang)


def labelled(words: str, text: str, lang: str = "en") -> str:
    """``text`` after a label, with a space unless the label ends in full-width punctuation (``假设：…``)."""
    head = label(words, lang)
    return head + ("" if head.endswith(("：", "。")) else " ") + text


#: Characters Markdown, arithmatex or attr_list would read as syntax in plain prose, as HTML entities.
_MARKDOWN_SYNTAX = str.maketrans({c: f"&#{ord(c)};" for c in "\\*_[]{}<>$|&"})
_CODE_SPAN = re.compile(r"(`[^`]*`)")


def markdown(text: str, lang: str = "en") -> str:
    """``text`` in ``lang`` as Markdown that renders as itself: prose, not syntax.

    The derivations' prose is plain text that writes the course's notation, and Markdown would
    rewrite some of it: ``n[l-1](n[l-1] − 1)`` is a link, ``A1**2 … B**2`` bold, ``d<key>`` an
    HTML tag, ``$x$`` math. Every such character outside a code span becomes an HTML entity,
    which the page shows as the character itself. Code spans (```A1**2```) are kept.

    Example:
        >>> markdown("n[l-1](n[l-1] − 1) cross terms")
        'n&#91;l-1&#93;(n&#91;l-1&#93; − 1) cross terms'
    """
    parts = _CODE_SPAN.split(say(text, lang))
    return "".join(part if part.startswith("`") else part.translate(_MARKDOWN_SYNTAX) for part in parts)


def symbol(text: str, tex: str | None = None, **assumptions) -> sp.Symbol:
    """A SymPy symbol printed as ``text`` in the terminal and as ``tex`` in the docs.

    Either may be a :class:`Text` when the name holds words; each is then printed in the language asked for.
    """
    if tex is not None:
        TEX_NAMES[str.__str__(text)] = tex
    if isinstance(text, Text):
        TEXT_NAMES[str.__str__(text)] = text
    return sp.Symbol(str.__str__(text), **assumptions)


def indexed(text: str, tex: str, *, by_layer: bool = False) -> sp.IndexedBase:
    """An ``IndexedBase``: the entries of a matrix of symbolic size; ``by_layer``: a quantity per layer, whose
    index is the layer's, printed as the notation writes it, n^{[l]} rather than n_l."""
    TEX_NAMES[text] = tex
    if by_layer:
        BY_LAYER.add(text)
    return sp.IndexedBase(text)


def matrix(text: str, tex: str, rows: sp.Expr, cols: sp.Expr) -> sp.MatrixSymbol:
    """A ``MatrixSymbol`` of symbolic shape, named as in the docs."""
    TEX_NAMES[text] = tex
    return sp.MatrixSymbol(text, rows, cols)


def is_zero(expr: sp.Expr) -> bool:
    """Prove ``expr == 0`` symbolically (no sampling)."""
    expr = sp.piecewise_fold(sp.sympify(expr))
    if expr == 0:
        return True
    for simplifier in (
        sp.expand,
        sp.cancel,
        lambda e: sp.cancel(e.rewrite(sp.exp)),
        sp.simplify,
        lambda e: sp.simplify(e.rewrite(sp.exp)),
    ):
        expr = simplifier(expr)
        if expr == 0:
            return True
    return False


def relative_error(approx, exact) -> float:
    """‖approx − exact‖ / (‖approx‖ + ‖exact‖), the finite-difference check's measure."""
    import numpy as np

    approx, exact = np.asarray(approx, dtype=float), np.asarray(exact, dtype=float)
    return float(np.linalg.norm(approx - exact) / max(np.linalg.norm(approx) + np.linalg.norm(exact), 1e-300))


def central_difference(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """(f(x + h e_i) − f(x − h e_i)) / 2h for every entry i of x: the numeric gradient of a scalar f."""
    import numpy as np

    grad = np.zeros_like(x, dtype=float)
    for index in np.ndindex(x.shape):
        bump = np.zeros_like(x, dtype=float)
        bump[index] = h
        grad[index] = (f(x + bump) - f(x - bump)) / (2 * h)
    return grad


def _only_entries_vary(term: sp.Expr, var: sp.Symbol) -> bool:
    """``var`` occurs in ``term``, a product of factors, only as an index of array entries (``dZ[p, k] A[q, k]``)."""
    if term.is_Add or any(factor.is_Add for factor in sp.Mul.make_args(term)):
        return False  # a sum of entries may telescope: Σ (A[k+1] − A[k]) = A[n] − A[0]
    entries = [e for e in term.atoms(sp.Indexed) if var in e.free_symbols]
    return bool(entries) and var not in term.xreplace({e: sp.Dummy() for e in entries}).free_symbols


@contextmanager
def _entry_sums_left_as_sums():
    """While it lasts, SymPy's summation gives up at once on a product whose only dependence on its
    variable is through array entries, such as Σ_k dZ[p, k] A[q, k].

    Such a term has no closed form (the entries are arbitrary numbers), and SymPy returns it unevaluated
    after trying Gosper's algorithm, hypergeometric and geometric forms, residues and factoring, which
    is most of the time ``doit()`` spends on the index proofs. Leaving a sum unevaluated is always
    exact, so no proof can pass that should not; Kronecker deltas are summed out before this point.
    """
    closed_form = summations.eval_sum_symbolic

    def eval_sum_symbolic(f, limits):
        return None if _only_entries_vary(f, limits[0]) else closed_form(f, limits)

    summations.eval_sum_symbolic = eval_sum_symbolic
    try:
        yield
    finally:
        summations.eval_sum_symbolic = closed_form


def symbolic_equal(lhs: sp.Expr, rhs: sp.Expr) -> bool:
    """Default proof of a step: ``lhs - rhs`` simplifies to zero."""
    return is_zero(lhs - rhs)


@dataclass(frozen=True)
class Step:
    """One equality of a derivation.

    ``lhs`` and ``rhs`` are what the reader sees. ``meaning`` is what ``lhs`` stands for,
    when ``lhs`` is only a name (for example ``dz``); by default it is ``lhs`` itself.
    ``proof(meaning.doit(), rhs)`` must return True for the step to hold.
    """

    note: str
    lhs: sp.Basic
    rhs: sp.Basic
    meaning: sp.Basic | None = None
    proof: Callable[[sp.Basic, sp.Basic], bool] = symbolic_equal
    relation: str = "="

    def holds(self) -> bool:
        meaning = self.lhs if self.meaning is None else self.meaning
        with _entry_sums_left_as_sums():
            return bool(self.proof(meaning.doit(), self.rhs))

    def latex(self, lang: str = "en") -> str:
        relation = {"=": "=", "∈": r"\in", "≥": r"\geq", "≤": r"\leq"}[self.relation]
        return f"{tex(self.lhs, lang)} {relation} {tex(self.rhs, lang)}"

    def text(self, lang: str = "en") -> str:
        return f"{_text(self.lhs, lang)} {self.relation} {_text(self.rhs, lang)}"


@dataclass(frozen=True)
class Verification:
    """Outcome of :meth:`Derivation.verify`: which steps failed, and a numeric cross-check."""

    key: str
    failed_steps: tuple[str, ...]
    numeric_error: float | None
    numeric_check: Text | None = None  # the derivation's words for its check, when it is not finite differences

    @property
    def ok(self) -> bool:
        return not self.failed_steps

    def __bool__(self) -> bool:
        return self.ok


def _rendered_once(render):
    """``render(self, lang)`` made once per derivation and language, and kept on the derivation itself.

    Not with ``functools.cache``, which keys on equality: a :class:`Text` equals its English, so two
    derivations that differ only in their Chinese are equal, and one would be shown the other's Chinese.
    """

    @wraps(render)
    def rendered(self, lang: str = "en") -> str:
        key = (render.__name__, lang)
        if key not in self._rendered:
            self._rendered[key] = render(self, lang)
        return self._rendered[key]

    return rendered


@dataclass(frozen=True)
class Derivation:
    """A result derived by SymPy.

    Attributes:
        key: registry key, e.g. ``"output.sigmoid_bce"``.
        title: a short heading.
        statement: the result in words.
        hypotheses: what is assumed.
        steps: the derivation, as SymPy equalities, in reading order.
        result: the headline equality; it is proved like any step.
        numeric: optional finite-difference cross-check at a random point; returns the
            relative error ``|fd - exact| / (|fd| + |exact|)``.
        numeric_check: what ``numeric`` compares, in words, when it is another kind of check
            (windows counted one by one, say); the pages then say it instead of "finite differences".
    """

    key: str
    title: str
    statement: str
    hypotheses: tuple[str, ...]
    steps: tuple[Step, ...]
    result: Step
    numeric: Callable[[np.random.Generator], float] | None = field(default=None, repr=False)
    numeric_check: Text | None = field(default=None, repr=False)
    _rendered: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def all_steps(self) -> Iterator[Step]:
        yield from self.steps
        yield self.result

    @cache  # noqa: B019  (derivations are immutable and live for the whole process)
    def verify(self, seed: int = 0) -> Verification:
        """Prove every step and the result; run the numeric cross-check if there is one, on random draws from
        ``seed`` (an integer >= 0; anything else is a :class:`SeedError`)."""
        import numpy as np

        seed = _seed(seed)
        failed = tuple(step.text() for step in self.all_steps() if not step.holds())
        error = None if self.numeric is None else float(self.numeric(np.random.default_rng(seed)))
        return Verification(self.key, failed, error, self.numeric_check)

    @_rendered_once
    def latex(self, lang: str = "en") -> str:
        """Markdown with display math, for the docs, with the words in ``lang``; the prose is :func:`markdown`."""
        lines = [f"**{markdown(self.statement, lang)}**", ""]
        if self.hypotheses:
            hypotheses = [f"- {markdown(h, lang)}" for h in self.hypotheses]
            lines += [f"*{label('Hypotheses:', lang)}*", "", *hypotheses, ""]
        for number, step in enumerate(self.steps, 1):
            lines += [f"{number}. {markdown(step.note, lang)}", "", rf"    \[{step.latex(lang)}\]", ""]
        result = rf"\[\boxed{{{self.result.latex(lang)}}}\]"
        lines += [f"**{label('Result.', lang)}** {markdown(self.result.note, lang)}", "", result, ""]
        return "\n".join(lines)

    @_rendered_once
    def text(self, lang: str = "en") -> str:
        """Plain text, for the terminal, with the words in ``lang``."""
        lines = [say(self.title, lang), f"  {say(self.statement, lang)}"]
        lines += [f"  {labelled('assume:', say(h, lang), lang)}" for h in self.hypotheses]
        for number, step in enumerate(self.steps, 1):
            lines.append(f"  {number}. {say(step.note, lang)}")
            lines.append(f"       {step.text(lang)}")
        lines.append(f"  {labelled('result:', self.result.text(lang), lang)}")
        return "\n".join(lines)

    def texts(self) -> Iterator[tuple[str, str]]:
        """Every piece of prose, named by where it sits (``"title"``, ``"steps[2]"``…): what must be translated."""
        yield "title", self.title
        yield "statement", self.statement
        for number, hypothesis in enumerate(self.hypotheses):
            yield f"hypotheses[{number}]", hypothesis
        for number, step in enumerate(self.steps):
            yield f"steps[{number}]", step.note
        yield "result", self.result.note
        if self.numeric_check is not None:
            yield "numeric_check", self.numeric_check


#: How a piecewise formula reads in each language: its condition's word, and its last branch's.
PIECEWISE_WORDS = {"en": ("for", "otherwise"), "zh": ("若", "否则")}


class _TexPrinter(LatexPrinter):
    """SymPy's LaTeX printer, with the docs' names for symbols, matrices and indexed bases, ⊙ for
    entrywise products (as the prose and the glossary write them), and the words of piecewise
    formulas in the page's language."""

    def __init__(self, lang: str = "en"):
        super().__init__()
        self.lang = lang

    def _name(self, name: str) -> str | None:
        return say(TEX_NAMES[name], self.lang) if name in TEX_NAMES else None

    def _print_Symbol(self, expr, style="plain"):
        return self._name(expr.name) or super()._print_Symbol(expr, style)

    def _print_MatrixSymbol(self, expr):
        return self._name(expr.name) or super()._print_MatrixSymbol(expr)

    def _print_Indexed(self, expr):
        if expr.base.name in BY_LAYER:
            layer = ", ".join(self._print(index) for index in expr.indices)
            return rf"{self._print(expr.base)}^{{[{layer}]}}"
        return super()._print_Indexed(expr)

    def _hprint_Function(self, func: str) -> str:
        return self._name(func) or super()._hprint_Function(func)

    def _as_ordered_terms(self, expr, order=None):
        return _course_order(expr, super()._as_ordered_terms(expr, order=order))

    def _print_OneMatrix(self, expr):
        return rf"\mathbf{{1}}_{{{self._print(expr.rows)} \times {self._print(expr.cols)}}}"

    def _print_Mul(self, expr):
        if _gradient_times(expr):
            gradient, factor = expr.args
            return rf"{self._print(gradient)} \cdot {self.parenthesize(factor, PRECEDENCE['Mul'], strict=True)}"
        return super()._print_Mul(expr)

    def _print_HadamardProduct(self, expr):
        return r" \odot ".join(self.parenthesize(arg, PRECEDENCE["Mul"], strict=True) for arg in expr.args)

    def _print_HadamardPower(self, expr):
        """An entrywise square as A ⊙ A (the one power the derivations use); other powers as A^{⊙n}."""
        base = self.parenthesize(expr.base, PRECEDENCE["Mul"], strict=True)
        if expr.exp == 2:
            return rf"{base} \odot {base}"
        return rf"{{\left({self._print(expr.base)}\right)}}^{{\odot {self._print(expr.exp)}}}"

    def _print_Piecewise(self, expr):
        when, otherwise = PIECEWISE_WORDS[self.lang]
        pause = r"\text{；}" if self.lang == "zh" else ""
        rows = [
            rf"{self._print(value)} & \text{{{when}}}\: {self._print(condition)}{pause}"
            for value, condition in expr.args[:-1]
        ]
        value, condition = expr.args[-1]
        last = rf"\text{{{otherwise}}}" if condition == sp.true else rf"\text{{{when}}}\: {self._print(condition)}"
        rows.append(rf"{self._print(value)} & {last}")
        return r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"

    def _print_Derivative(self, expr):
        if any(isinstance(v, sp.Indexed) for v in expr.variables):
            variables = " ".join(rf"\partial {self._print(v)}" for v in expr.variables)
            return rf"\frac{{\partial {self._print(expr.expr)}}}{{{variables}}}"
        return super()._print_Derivative(expr)


class _TextPrinter(StrPrinter):
    """SymPy's str printer with ⊙ for entrywise products, as the docs write them, and piecewise
    formulas read as words in the terminal's language."""

    def __init__(self, lang: str = "en"):
        super().__init__()
        self.lang = lang

    def _print_Symbol(self, expr):
        name = TEXT_NAMES.get(expr.name)
        return super()._print_Symbol(expr) if name is None else say(name, self.lang)

    def _print_Mul(self, expr):
        if _gradient_times(expr):
            gradient, factor = expr.args
            return f"{self._print(gradient)} · {self.parenthesize(factor, PRECEDENCE['Mul'], strict=True)}"
        return super()._print_Mul(expr)

    def _print_HadamardProduct(self, expr):
        return " ⊙ ".join(self.parenthesize(arg, 60) for arg in expr.args)

    def _print_HadamardPower(self, expr):
        base = self.parenthesize(expr.base, 60)
        return f"{base} ⊙ {base}" if expr.exp == 2 else f"{base}^⊙{self._print(expr.exp)}"

    def _print_Piecewise(self, expr):
        when, otherwise = PIECEWISE_WORDS[self.lang]
        rows = [
            f"{self._print(value)} {otherwise if condition == sp.true else f'{when} {self._print(condition)}'}"
            for value, condition in expr.args
        ]
        return "{" + ("; " if self.lang == "en" else "；").join(rows) + "}"

    def _as_ordered_terms(self, expr, order=None):
        return _course_order(expr, super()._as_ordered_terms(expr, order=order))

    def _print_OneMatrix(self, expr):
        return "1"

    def _print_Interval(self, expr):
        left, right = "(" if expr.left_open else "[", ")" if expr.right_open else "]"
        return f"{left}{self._print(expr.start)}, {self._print(expr.end)}{right}"

    def _print_Derivative(self, expr):
        symbol_d = "∂" if any(isinstance(v, sp.Indexed) for v in expr.variables) else "d"
        order = "" if len(expr.variables) == 1 else f"^{len(expr.variables)}"
        wrt = "".join(f"{symbol_d}{self._print(v)}" for v in dict.fromkeys(expr.variables))
        if isinstance(expr.expr, sp.Symbol):
            return f"{symbol_d}{order}{self._print(expr.expr)}/{wrt}{order}"
        return f"{symbol_d}{order}/{wrt}{order} {self._print(expr.expr)}"


def _gradient_times(expr: sp.Basic) -> bool:
    """``Mul(da, g', evaluate=False)``: a gradient times a factor, printed da · g' as the chain rule reads; a
    number too (the identity's g' = 1), which SymPy would print as da 1, read as the layer-1 gradient da1."""
    return (
        isinstance(expr, sp.Mul)
        and len(expr.args) == 2
        and isinstance(expr.args[0], sp.Symbol)
        and expr.args[0].name in {"da", "dA"}
    )


def _course_order(expr: sp.Basic, terms: list) -> list:
    """A matrix sum's positive terms first, as the course writes 1 − A² (SymPy prints −A² + 1); display only.

    Scalar sums keep SymPy's order, which already prints 1 − a² and the course's −y/a + (1 − y)/(1 − a).
    """
    if not isinstance(expr, sp.MatAdd):
        return terms
    return sorted(terms, key=lambda term: term.could_extract_minus_sign())


def _readable_constants(expr: sp.Basic) -> sp.Basic:
    """Show exact rationals with long denominators (SELU's λ and α) as 12-digit decimals."""
    return expr.xreplace({r: sp.Float(r, 12) for r in expr.atoms(sp.Rational) if r.q > 10**6})


def tex(expr: sp.Basic, lang: str = "en") -> str:
    """LaTeX for the docs, with the docs' names for symbols and matrices, its words in ``lang``."""
    say("", lang)  # an unknown language fails here, naming the ones there are
    return _TexPrinter(lang).doprint(_readable_constants(expr))


def _text(expr: sp.Basic, lang: str = "en") -> str:
    say("", lang)
    return _TextPrinter(lang).doprint(_readable_constants(expr)).replace("**", "^")
