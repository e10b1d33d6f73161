"""Answers typed as they are copied from a post, a PDF or a Chinese input method (``derivations.typed``).

Each accepted form must read as its ASCII spelling and get the same verdict: a right answer proved, a
wrong one disproved at a point. Each form with two readings is refused with both of them, in both
languages, and every refusal of a rewritten text says what it was read as. The ASCII spellings are
written here by hand (never produced by ``normalise``), so removing the normalisation turns these red.
The readings that depend on the answer (a Greek letter, TeX's ``^T``, numpy's calls) are checked the same
way, and each one is shown to read only what was refused without it. numpy's functions and its sums over an
axis are held to numpy itself: the same text run by numpy gives the shape and the values the parser reads.
"""

from __future__ import annotations

import ast
import functools
import json
import re
from html import unescape
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from derivations import exercises, playground, scaffold, typed
from derivations.core import Text
from derivations.typed import READINGS, normalise, read_calls

slow = pytest.mark.slow
DOCS = Path(__file__).resolve().parents[1] / "docs"

#: typed form -> the ASCII the parser reads
SPELLINGS = {
    "1 − a²": "1 - a**2",
    "1 – a": "1 - a",
    "a ⊙ (1 − a)": "a * (1 - a)",
    "a∘(1‒a)": "a*(1-a)",
    "a ∗ (1 ‐ a)": "a * (1 - a)",
    "（１－ａ）×（１＋ａ）": "(1-a)*(1+a)",
    "2 · (a − y)": "2 * (a - y)",
    "(a - y) ÷ 2": "(a - y) / 2",
    "x⁻¹ + x³": "x**(-1) + x**3",
    "beta^t - a^2": "beta**t - a**2",
    "g*(1 − betaᵗ)": "g*(1 - beta**t)",
    "Wᵀ @ dZ": "W.T @ dZ",
    "W2ᵀ": "W2.T",
    "(A_prev)ᵀ": "(A_prev).T",
    "dZ @ A_prev⊤ / m": "dZ @ A_prev.T / m",
    "W₂": "W2",
    "𝑎 * 𝑦": "a * y",
    "\u3000a\u00a0-\ny\t": "a - y",
    "a^{2} - x^{-1}": "a**2 - x**(-1)",  # TeX's braced exponents
    "g*(1 − beta^{t})": "g*(1 - beta**t)",
    "a^{(1 − a)}": "a**((1 - a))",
    "a^{2^{3}}": "a**{2**3}",  # a brace inside a brace stays, and is refused
}


@pytest.mark.parametrize("typed", SPELLINGS)
def test_each_typed_form_reads_as_its_ascii_spelling(typed):
    assert normalise(typed) == SPELLINGS[typed]


def test_the_table_on_the_page_lists_every_rewritten_symbol():
    listed = "".join(typed for typed, _ascii, _meaning in READINGS)
    for symbol in "−–⊙∘∗×·⋅÷²³⁻ᵀ⊤（）＋":
        assert symbol in listed, symbol


#: the names the table's examples have: a Greek letter reads as its ASCII name only where the answer has it,
#: and ^T as the transpose only where it has no name T
TABLE_NAMES = ("A", "B", "W", "W2", "a", "beta", "beta1", "lambd", "alpha", "t")


def _read(text: str) -> str:
    """What the parser reads for ``text``: the normalised text, or for a numpy call its operator, unspaced."""
    normalised = normalise(text, TABLE_NAMES)
    if normalised != text:
        return normalised
    return ast.unparse(read_calls(ast.parse(normalised, mode="eval"), normalised, TABLE_NAMES)).replace(" ", "")


@pytest.mark.parametrize(("typed", "ascii"), [(t, a) for t, a, _ in READINGS if not isinstance(a, Text)])
def test_each_example_of_the_table_reads_as_the_table_says(typed, ascii):
    """The page's table of typed forms is checked, not only written: each example reads as its column says."""
    typed, ascii = typed.split(), ascii.split()
    ascii = ascii * len(typed) if len(ascii) == 1 else ascii  # several symbols for one
    pairs = [(t, a) for t, a in zip(typed, ascii, strict=True) if t != "…"]
    assert [_read(t) for t, _ in pairs] == [a for _, a in pairs]


W = sp.MatrixSymbol("W", 3, 2)
dZ = sp.MatrixSymbol("dZ", 3, 4)
MATRICES = {"W": W, "dZ": dZ, "m": sp.Symbol("m")}

#: typed, then ASCII: the same SymPy expression
SAME = [
    ("Wᵀ @ dZ", "W.T @ dZ", MATRICES),
    ("（Wᵀ @ dZ）／m", "(W.T @ dZ)/m", MATRICES),
    ("1/m · Wᵀ @ dZ", "1/m * W.T @ dZ", MATRICES),  # a number times a matrix: both readings agree
    ("m × (Wᵀ @ dZ)", "m * (W.T @ dZ)", MATRICES),
    ("dZ ⊙ dZ", "dZ * dZ", MATRICES),
    ("m² · sigmoid（m）", "m**2 * sigmoid(m)", MATRICES),
    ("-m^2 * dZ", "-m**2 * dZ", MATRICES),  # a power binds before the minus, as on paper
    ("z² · sigmoid（z）", "z**2 * sigmoid(z)", None),  # the derive page's g(z)
    ("m^{2} * dZ", "m**2 * dZ", MATRICES),
    ("z * np.tanh(np.log(1 + numpy.exp(z)))", "z * tanh(log(1 + exp(z)))", None),  # numpy's functions, of numbers
    ("np.sqrt(2 / np.pi) * np.maximum(0, z) + np.e", "sqrt(2 / pi) * max(0, z) + E", None),
]


@pytest.mark.parametrize(("typed", "ascii", "names"), SAME, ids=[typed for typed, _, _ in SAME])
def test_a_typed_formula_builds_what_its_ascii_spelling_builds(typed, ascii, names):
    assert scaffold.parse(typed, names) == scaffold.parse(ascii, names)


#: exercise, typed answer, its ASCII spelling, the verdict: cheap ones (a scalar, or one product of matrices)
VERDICTS = [
    ("relu-prime-at-zero", "０", "0", "correct"),
    ("relu-prime-at-zero", "１", "1", "wrong"),
    ("momentum-bias", "g*(1 − betaᵗ)", "g*(1 - beta**t)", "correct"),
    ("momentum-bias", "g·betaᵗ", "g*beta**t", "wrong"),
    ("momentum-bias", "g*(1 - beta^t)", "g*(1 - beta**t)", "correct"),
    ("da-prev", "Wᵀ @ dZ + 0", "W.T @ dZ + 0", "correct"),
    ("da-prev", "Wᵀ @ dZ − 1", "W.T @ dZ - 1", "wrong"),
    # Greek letters, TeX's transposes and numpy's calls
    ("momentum-bias", "g*(1 - β^t)", "g*(1 - beta**t)", "correct"),
    ("momentum-bias", "g*β^t", "g*beta**t", "wrong"),
    ("momentum-bias", "g*(1 - β₁ᵗ)", "g*(1 - beta**t)", "correct"),
    ("momentum-bias", "np.multiply(g, 1 - β1^t)", "g*(1 - beta**t)", "correct"),
    ("da-prev", "W^T @ dZ", "W.T @ dZ", "correct"),
    ("da-prev", "W^{T} @ dZ - 1", "W.T @ dZ - 1", "wrong"),
    ("da-prev", "np.dot(W.T, dZ)", "W.T @ dZ", "correct"),
    ("da-prev", "np.dot(W^\\top, dZ) + 1", "W.T @ dZ + 1", "wrong"),
    ("da-prev", "numpy.dot(W^{\\top}, dZ)", "W.T @ dZ", "correct"),
    ("da-prev", "(W)^T.dot(dZ)", "W.T @ dZ", "correct"),
    ("da-prev", "np.matmul(W.T, dZ) * 2", "W.T @ dZ * 2", "wrong"),
    ("da-prev", "np.multiply(W.T @ dZ, 1)", "W.T @ dZ * 1", "correct"),
    # TeX's braced exponents
    ("momentum-bias", "g*(1 - β^{t})", "g*(1 - beta**t)", "correct"),
    ("momentum-bias", "g*beta^{t}", "g*beta**t", "wrong"),
    ("momentum-bias", "g*(1 - beta^{t})*beta^{0}", "g*(1 - beta**t)*beta**0", "correct"),
]


@functools.cache
def _ascii_verdict(key, ascii):
    """The verdict on an ASCII spelling, judged once: several typed forms share one spelling."""
    return exercises.check(key, ascii)


def _same_verdict(key, typed, ascii, status):
    mine, theirs = exercises.check(key, typed), _ascii_verdict(key, ascii)
    assert mine.status == theirs.status == status, (mine, theirs)
    assert (mine.point, mine.yours, mine.derived) == (theirs.point, theirs.yours, theirs.derived)
    if status == "wrong":  # disproved at a point, the same one
        assert mine.point is not None
        assert mine.yours != mine.derived
    assert mine.mistake == theirs.mistake


@pytest.mark.parametrize(("key", "typed", "ascii", "status"), VERDICTS, ids=[f"{k}:{t}" for k, t, _, _ in VERDICTS])
def test_a_typed_answer_gets_the_verdict_of_its_ascii_spelling(key, typed, ascii, status):
    _same_verdict(key, typed, ascii, status)


#: the rest, one or more per exercise: SymPy proves each (0.05-2 s), so they run with the slow tests
SLOW_VERDICTS = [
    ("dz-sigmoid-cross-entropy", "a − y", "a - y", "correct"),
    ("dz-sigmoid-cross-entropy", "（1 − y）／（1 − a） − y／a", "(1 - y)/(1 - a) - y/a", "wrong"),
    ("da-square-error", "2·(a − y)", "2*(a - y)", "correct"),
    ("da-square-error", "2 × a", "2*a", "wrong"),
    ("tanh-prime", "1 − a²", "1 - a**2", "correct"),
    ("tanh-prime", "１－ａ", "1-a", "wrong"),
    ("sigmoid-prime", "a ⊙ (1 – a)", "a * (1 - a)", "correct"),
    ("sigmoid-prime", "1 − a²", "1 - a**2", "wrong"),
    ("dw-m-samples", "dZ @ A_prevᵀ / m", "dZ @ A_prev.T / m", "correct"),
    ("dw-m-samples", "1/m · dZ @ A_prev⊤", "1/m * dZ @ A_prev.T", "correct"),
    ("dw-m-samples", "dZ @ A_prevᵀ", "dZ @ A_prev.T", "wrong"),
    ("da-prev", "0 + Wᵀ @ dZ", "0 + W.T @ dZ", "correct"),
    ("dw-l2", "dZ @ A_prevᵀ / m + lambd / m × W", "dZ @ A_prev.T / m + lambd / m * W", "correct"),
    ("dw-l2", "dZ @ A_prevᵀ ／ m ＋ lambd · W", "dZ @ A_prev.T / m + lambd * W", "wrong"),
    # Greek letters, TeX's transposes and numpy's calls, at every other exercise each applies to
    ("dw-m-samples", "np.dot(dZ, A_prev^T) / m", "dZ @ A_prev.T / m", "correct"),
    ("dw-m-samples", "dZ.dot(A_prev^{T}) / m", "dZ @ A_prev.T / m", "correct"),
    ("dw-m-samples", "np.dot(dZ, A_prev.T)", "dZ @ A_prev.T", "wrong"),
    ("dw-m-samples", "1/m * np.matmul(dZ, (A_prev)^\\top)", "1/m * dZ @ A_prev.T", "correct"),
    ("dw-l2", "dZ @ A_prev.T / m + λ/m * W", "dZ @ A_prev.T / m + lambd/m * W", "correct"),
    ("dw-l2", "dZ @ A_prev.T / m + λ * W", "dZ @ A_prev.T / m + lambd * W", "wrong"),
    ("dw-l2", "np.dot(dZ, A_prev^T)/m + np.multiply(λ/m, W)", "dZ @ A_prev.T/m + lambd/m * W", "correct"),
    ("dw-l2", "dZ.dot(A_prev^{\\top})/m + np.multiply(λ/(2*m), W)", "dZ @ A_prev.T/m + lambd/(2*m) * W", "wrong"),
    ("sigmoid-prime", "np.multiply(a, 1 - a)", "a * (1 - a)", "correct"),
    ("sigmoid-prime", "np.multiply(a, a - 1)", "a * (a - 1)", "wrong"),
    ("tanh-prime", "1 - np.multiply(a, a)", "1 - a * a", "correct"),
    ("dz-sigmoid-cross-entropy", "np.multiply(a - y, 1)", "(a - y) * 1", "correct"),
    ("da-square-error", "np.multiply(2, a)", "2 * a", "wrong"),
]


@slow
@pytest.mark.parametrize(
    ("key", "typed", "ascii", "status"), SLOW_VERDICTS, ids=[f"{k}:{t}" for k, t, _, _ in SLOW_VERDICTS]
)
def test_every_exercise_judges_a_typed_answer_as_its_ascii_spelling(key, typed, ascii, status):
    _same_verdict(key, typed, ascii, status)


@slow
def test_a_known_mistake_typed_with_typographic_symbols_is_named():
    verdict = exercises.check("dw-m-samples", "dZ @ A_prevᵀ")
    assert verdict.mistake is not None
    assert verdict.mistake.answer == "dZ @ A_prev.T"


#: typed, the words of its refusal in each language (the culprit and the rule), and what it was read as
REFUSED = {
    "W · dZ": (
        ("'·' between two matrices has two readings", "the matrix product (type @)", "the entrywise product (type *)"),
        ("两个矩阵之间的 '·' 有两种读法", "矩阵乘法（请输入 @）", "逐元素乘（请输入 *）"),
        "'W * dZ'",
    ),
    "Wᵀ×dZ": (
        ("'×' between two matrices has two readings", "(type @)", "(type *)"),
        ("两个矩阵之间的 '×' 有两种读法", "（请输入 @）", "（请输入 *）"),
        "'W.T*dZ'",
    ),
    "（Wᵀ @ dZ）²": (
        ("the power '²' of a matrix of shape (2, 4) has two readings", "matrix products (type @)",
         "numpy's entrywise power (type **)"),
        ("矩阵的幂 '²' 有两种读法", "矩阵乘法的幂（请输入 @）", "numpy 的逐元素乘方（请输入 **）"),
        "'(W.T @ dZ)**2'",
    ),
    "dZ^2": (
        ("the power '^' of a matrix of shape (3, 4) has two readings", "(type @)", "(type **)"),
        ("矩阵的幂 '^' 有两种读法", "（请输入 @）", "（请输入 **）"),
        "'dZ**2'",
    ),
    "m（Wᵀ @ dZ）": (
        ("'m' is a name, not a function", "a product is written with *"),
        ("'m' 是名字，不是函数", "乘积要用 * 写出"),
        "'m(W.T @ dZ)'",
    ),
    "Wᵀ @ dZ — m": (("the character '—' is not allowed",), ("不允许字符 '—'",), "'W.T @ dZ — m'"),
    "dZ^{2}": (
        ("the power '^{2}' of a matrix of shape (3, 4) has two readings", "(type @)", "(type **)"),
        ("矩阵的幂 '^{2}' 有两种读法", "（请输入 @）", "（请输入 **）"),
        "'dZ**2'",
    ),
    "(Wᵀ @ dZ)^{-1}": (
        ("the power '^{-1}' of a matrix of shape (2, 4) has two readings",),
        ("矩阵的幂 '^{-1}' 有两种读法",),
        "'(W.T @ dZ)**(-1)'",
    ),
}  # fmt: skip


@pytest.mark.parametrize("typed", REFUSED)
def test_a_typed_form_with_two_readings_or_none_is_refused_in_both_languages(typed):
    english, chinese, read = REFUSED[typed]
    with pytest.raises(scaffold.ScaffoldError) as refused:
        scaffold.parse(typed, {"W": sp.MatrixSymbol("W", 3, 2), "dZ": sp.MatrixSymbol("dZ", 3, 4), "m": sp.Symbol("m")})
    assert not isinstance(refused.value, scaffold.ShapeError)  # refused, not a wrong answer
    for lang, words in (("en", english), ("zh", chinese)):
        message = scaffold.explain(refused.value, lang)
        for word in words:
            assert word in message, (lang, message)
        # what was typed, and what it was read as
        assert f"{typed!r} {'was read as' if lang == 'en' else '读作'} {read}" in message, (lang, message)


def test_a_scalar_added_to_a_matrix_meets_every_entry_as_numpy_broadcasts_it():
    ones = sp.OneMatrix(2, 4)
    assert scaffold.parse("W.T @ dZ + 1", MATRICES) == W.T @ dZ + ones
    assert scaffold.parse("1 - W.T @ dZ", MATRICES) == ones - W.T @ dZ
    assert scaffold.parse("(W.T @ dZ)**2", MATRICES) == sp.HadamardPower(W.T @ dZ, 2)  # numpy's **: entrywise
    assert scaffold.parse("2 / dZ", MATRICES) == sp.MatMul(2, sp.HadamardPower(dZ, -1))


@pytest.mark.parametrize(
    ("text", "english", "chinese"),
    [
        ("W.T + dZ", "the shapes (2, 3) and (3, 4) differ", "维度 (2, 3) 和 (3, 4) 不同"),
        ("2 ** dZ", "a power's exponent must be a number, not a matrix of shape (3, 4)", "幂的指数必须是数"),
    ],
)
def test_what_numpy_would_not_broadcast_is_still_refused(text, english, chinese):
    with pytest.raises(scaffold.ScaffoldError) as refused:
        scaffold.parse(text, MATRICES)
    assert english in scaffold.explain(refused.value, "en")
    assert chinese in scaffold.explain(refused.value, "zh")


def test_the_exercise_box_says_a_typed_refusal_in_the_pages_language():
    english, chinese = (json.loads(playground.check("da-prev", "W · dZ", lang)) for lang in ("en", "zh"))
    assert english["status"] == chinese["status"] == "error"
    assert "'·' between two matrices has two readings" in unescape(english["html"])
    assert "有两种读法" in unescape(chinese["html"])
    assert "读作" in unescape(chinese["html"])


def test_the_derive_page_says_what_a_typed_formula_was_read_as():
    english, chinese = (json.loads(playground.derive("ｚ（1 − z）", lang)) for lang in ("en", "zh"))
    assert english["status"] == chinese["status"] == "error"
    assert "'z' is a name, not a function" in unescape(english["html"])
    assert "'ｚ（1 − z）' was read as 'z(1 - z)'" in unescape(english["html"])
    assert "'ｚ（1 − z）' 读作 'z(1 - z)'" in unescape(chinese["html"])


def test_an_answer_sympy_cannot_build_says_what_it_was_read_as(monkeypatch):
    def refuse(text, names):
        raise TypeError("cannot add <class 'sympy.matrices.expressions.matexpr.MatrixSymbol'> and <class 'int'>")

    monkeypatch.setattr(exercises, "parse", refuse)
    verdict = exercises.check("relu-prime-at-zero", "０")
    assert verdict.status == "error"
    assert "('０' was read as '0')" in verdict.error
    assert "（'０' 读作 '0'）" in verdict.error.zh


def test_a_product_with_two_readings_is_found_after_a_name_that_is_not_ascii():
    """ast counts columns in UTF-8 bytes: the operator after λ (two bytes) must still be found, not read as *."""
    names = {"λ": sp.Symbol("λ"), **MATRICES}
    assert scaffold.parse("λ × dZ", names) == sp.Symbol("λ") * dZ  # a number times a matrix
    with pytest.raises(scaffold.ScaffoldError, match="'·' between two matrices has two readings"):
        scaffold.parse("λ × dZ · dZ", names)


# Greek letters, TeX's transposes and numpy's calls: readings that depend on the answer's names or shapes.

#: typed, the answer's names, what the parser reads (written by hand)
NAMED = [
    ("g*(1 - β^t)", ("g", "beta", "t"), "g*(1 - beta**t)"),
    ("g*(1 − β₁ᵗ)", ("g", "beta", "t"), "g*(1 - beta**t)"),  # Adam's β₁ is the momentum's β
    ("β1 + β", ("beta", "beta1"), "beta1 + beta"),  # where beta1 is a name, β1 is that name
    ("λ/m * W", ("lambd", "m", "W"), "lambd/m * W"),
    ("𝛼·x", ("alpha", "x"), "alpha*x"),  # math italic alpha
    ("β", ("β", "beta"), "β"),  # a Greek name of the answer stays itself
    ("β", ("lambd",), "β"),  # no ASCII name to read it as: refused, with its ASCII name said
    ("β2", ("beta",), "β2"),
    ("aβ + β_", ("beta", "beta_"), "aβ + beta_"),  # only a name that starts with the letter is read
    ("W^T @ dZ", ("W", "dZ"), "W.T @ dZ"),
    ("W^{T} @ dZ", ("W", "dZ"), "W.T @ dZ"),
    ("W^\\top @ dZ", ("W", "dZ", "T"), "W.T @ dZ"),  # \top is never a name
    ("W^{\\top}", ("W", "T"), "W.T"),
    ("(A_prev)^T", ("A_prev",), "(A_prev).T"),
    ("x^T", ("x", "T"), "x**T"),  # where T is a name, ^T stays the power it was
    ("x^{T}", ("x", "T"), "x**T"),  # and ^{T} is that power, as TeX's braced exponent
    ("W^Tx + beta^t", ("W", "Tx", "beta", "t"), "W**Tx + beta**t"),  # ^T of a longer name, or a small t
]


@pytest.mark.parametrize(("typed", "names", "ascii"), NAMED, ids=[t for t, _, _ in NAMED])
def test_a_greek_letter_or_a_tex_transpose_reads_according_to_the_answers_names(typed, names, ascii):
    assert normalise(typed, names) == ascii


X, T = sp.Symbol("x"), sp.Symbol("T")


def test_where_t_is_a_name_a_tex_power_keeps_its_meaning_and_elsewhere_it_was_refused():
    """The rule that keeps every answer valid before valid with the same meaning: ^T is the transpose only
    where T is no name, and there x**T was refused as an unknown name."""
    assert scaffold.parse("x^T", {"x": X, "T": T}) == X**T
    assert scaffold.parse("W^T @ dZ", MATRICES) == W.T @ dZ
    with pytest.raises(scaffold.ScaffoldError, match="unknown name 'T'"):
        scaffold.parse("W**T @ dZ", MATRICES)
    with pytest.raises(scaffold.ScaffoldError, match=r"'\.T' is not allowed in EXPR \('x\^T' was read as 'x\.T'\)"):
        scaffold.parse("x^T", {"x": X})  # refused as before, as a transpose of no matrix


def test_a_known_mistake_typed_with_numpy_calls_is_named():
    verdict = exercises.check("da-prev", "np.dot(W, dZ)")
    assert verdict.status == "wrong"
    assert verdict.mistake is not None
    assert verdict.mistake.answer == "W @ dZ"


def test_a_name_np_of_the_answer_is_never_read_as_numpy():
    with pytest.raises(scaffold.ScaffoldError, match=r"\.dot is read with two arguments"):
        scaffold.parse("np.dot(W.T, dZ)", {**MATRICES, "np": sp.Symbol("np")})


#: each new reading switched off: the form it reads was refused before it (so no valid answer changed meaning)
READINGS_OFF = {
    "TEX_TRANSPOSES": ((), ["W^T @ dZ", "W^{T} @ dZ", "W^\\top @ dZ", "W^{\\top} @ dZ", "(W)^T @ dZ"]),
    "GREEK": ({}, ["λ * W", "β * W"]),
    "ALIASES": ({}, ["β₁ * W"]),
    "CALLS": ({}, ["np.dot(W.T, dZ)", "numpy.dot(W.T, dZ)", "np.matmul(W.T, dZ)", "np.multiply(dZ, dZ)"]),
    "METHODS": ({}, ["W.T.dot(dZ)"]),
    "NUMPY_FUNCTIONS": ({}, ["np.exp(m) * W", "numpy.log(m) * W", "np.maximum(m, 1) * W"]),
    "NUMPY_CONSTANTS": ({}, ["np.pi * W", "np.e * W"]),
    "REDUCTIONS": ((), ["np.sum(dZ, axis=1, keepdims=True)", "dZ.sum(axis=1, keepdims=True)", "np.mean(dZ)"]),
    "_braced_exponent": (lambda text, index: None, ["m^{2} * W", "m^{-1} * W"]),
}
NAMES_OFF = {**MATRICES, "lambd": sp.Symbol("lambd"), "beta": sp.Symbol("beta")}


@pytest.mark.parametrize("reading", READINGS_OFF)
def test_each_new_reading_reads_only_what_was_refused_without_it(reading, monkeypatch):
    """The forms parse with the reading, and are refused (not read otherwise) without it."""
    off, forms = READINGS_OFF[reading]
    for form in forms:
        scaffold.parse(form, NAMES_OFF)
    monkeypatch.setattr(typed, reading, off)
    for form in forms:
        with pytest.raises(scaffold.ScaffoldError) as refused:
            scaffold.parse(form, NAMES_OFF)
        assert not isinstance(refused.value, scaffold.ShapeError), form


#: a form refused, the exercise (None: the derive page's g(z)), the words of its refusal in each language
REFUSED_NEW = [
    ("np.square(dZ)", "dw-m-samples",
     ("'np.square(dZ)': numpy's np.square is not read in the answer", "np.multiply (the entrywise *)",
      "np.sum and np.mean (over an axis)", "np.exp, np.log, np.sqrt, np.tanh"),
     ("答案中不读取 numpy 的 np.square", "np.multiply（逐元素乘 *）", "np.sum 和 np.mean（沿某一轴）")),
    ("np.sign(z)", None, ("numpy's np.sign is not read in g(z)",), ("g(z) 中不读取 numpy 的 np.sign",)),
    ("np.exp(dZ) / m", "dw-m-samples",
     ("'np.exp(dZ)': np.exp of an array is numpy's entrywise exp, which is not read in the answer",
      "np.exp is read of numbers only"),
     ("'np.exp(dZ)'：np.exp 作用于数组时是 numpy 的逐元素 exp，答案中不读取", "np.exp 只读取作用于数的形式")),
    ("np.tanh(np.sum(dZ, axis=1))", "db-m-samples", ("np.tanh of an array is numpy's entrywise tanh",),
     ("np.tanh 作用于数组时是 numpy 的逐元素 tanh",)),
    ("np.exp(z, z)", None, ("'np.exp(z, z)': np.exp is read with one argument and nothing else",),
     ("np.exp 只读取一个参数",)),
    ("np.maximum(0, z, z)", None, ("np.maximum is read with two arguments and nothing else",),
     ("np.maximum 只读取两个参数",)),
    ("np.sum(dZ, axis=1) + dZ", "db-m-samples",
     ("a 1-D array of shape (n[l],) (np.sum without keepdims=True) meets a matrix of shape (n[l], m) in '+'",
      "Keep the summed axis with keepdims=True"),
     ("维度为 (n[l],) 的一维数组（np.sum 不带 keepdims=True）在 '+' 中遇到维度为 (n[l], m) 的矩阵",
      "请用 keepdims=True 保留求和的那一维")),
    ("np.sum(dZ, axis=0) @ dZ.T", "db-m-samples", ("a 1-D array of shape (m,)", "in '@'"), ("在 '@' 中遇到",)),
    ("np.sum(dZ, axis=1) @ m", "db-m-samples", ("meets a number in '@', which is not read",), ("在 '@' 中遇到一个数",)),
    ("2 ** np.sum(dZ, axis=1)", "db-m-samples",
     ("meets a number in '**', which is not read: a 1-D array is read only with a number, entrywise",),
     ("一维数组只读取与数的逐元素运算",)),
    ("np.sum(dZ, axis=1)^2 / m", "db-m-samples", ("the power '^' of a 1-D array of shape (n[l],) has two readings",),
     ("维度为 (n[l],) 的一维数组的幂 '^' 有两种读法",)),
    ("np.sum(dZ, axis=2, keepdims=True)", "db-m-samples",
     ("a matrix of shape (n[l], m) has no axis 2 (numpy raises an AxisError)",),
     ("维度为 (n[l], m) 的矩阵没有第 2 轴",)),
    ("np.sum(m, axis=0) * dZ", "db-m-samples", ("a number has no axis 0",), ("一个数没有第 0 轴",)),
    ("np.sum(np.sum(dZ, axis=1), axis=1)", "db-m-samples", ("a 1-D array of shape (n[l],) has no axis 1",),
     ("维度为 (n[l],) 的一维数组没有第 1 轴",)),
    ("np.sum(dZ, axis=1, keepdims=1) / m", "db-m-samples",
     ("np.sum is read of one array, with axis a whole number or None and keepdims True or False",),
     ("keepdims 为 True 或 False",)),
    ("dZ.sum(axis=(0, 1))", "db-m-samples", (".sum is read of one array, with axis a whole number or None",),
     (".sum 只读取一个数组",)),
    ("np.sum(dZ, axis=1, dtype=float)", "db-m-samples", ("and nothing else, as np.sum(X, axis=1, keepdims=True)",),
     ("不带其他参数",)),
    ("np.sum(dZ, 1, 2)", "db-m-samples", ("np.sum is read of one array",), ("np.sum 只读取一个数组",)),
    ("np.sum()", "db-m-samples", ("np.sum is read of one array",), ("np.sum 只读取一个数组",)),
    ("np.dot(m, W)", "dw-l2",
     ("'np.dot(m, W)': np.dot is read as the matrix product of two matrices, but m is a number",
      "type * for a product with a number"),
     ("np.dot 读作两个矩阵的矩阵乘法，而 m 是一个数", "与数相乘请输入 *")),
    ("np.dot(z, z)", None, ("np.dot is read as the matrix product of two matrices, but z is a number",),
     ("而 z 是一个数",)),
    ("m.dot(W)", "dw-l2", (".dot is read as the matrix product of two matrices, but m is a number",),
     (".dot 读作两个矩阵的矩阵乘法",)),
    ("np.dot(W.T, dZ, out=dZ)", "da-prev",
     ("'np.dot(W.T, dZ, out=dZ)': np.dot is read with two arguments and nothing",),
     ("np.dot 只读取两个参数",)),
    ("W.T.dot(dZ, dZ)", "da-prev", (".dot is read with two arguments and nothing else",), (".dot 只读取两个参数",)),
    ("α * W", "dw-l2", ("unknown name 'α' in the answer (in ASCII α is alpha, which is not a name here either)",),
     ("答案中有未知的名字 'α'（α 的 ASCII 写法是 alpha，这里也没有这个名字）",)),
    ("g*(1 - β2^t)", "momentum-bias", ("(in ASCII β2 is beta2, which is not a name here either)",),
     ("（β2 的 ASCII 写法是 beta2，这里也没有这个名字）",)),
    ("λ * z", None, ("unknown name 'λ' in g(z) (in ASCII λ is lambd, which is not a name here either)",),
     ("（λ 的 ASCII 写法是 lambd，这里也没有这个名字）",)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "key", "english", "chinese"), REFUSED_NEW, ids=[t for t, *_ in REFUSED_NEW])
def test_a_numpy_form_or_a_greek_name_not_read_is_refused_by_name_in_both_languages(text, key, english, chinese):
    for lang, words in (("en", english), ("zh", chinese)):
        shown = json.loads(playground.derive(text, lang) if key is None else playground.check(key, text, lang))
        assert shown["status"] == "error", shown
        message = unescape(shown["html"])
        for word in words:
            assert word in message, (lang, message)


# numpy's functions and sums: read as numpy computes them, with numpy itself as the judge.

P, Q = sp.Symbol("p", integer=True, positive=True), sp.Symbol("q", integer=True, positive=True)
XS, YS = sp.MatrixSymbol("X", P, Q), sp.MatrixSymbol("Y", Q, 2)
#: the sizes and entries numpy computes with: integers, so that SymPy's values are exact
SIZES = {P: 3, Q: 4}
X0, Y0 = np.random.default_rng(0).integers(-5, 6, size=(3, 4)), np.random.default_rng(1).integers(-5, 6, size=(4, 2))

#: sums typed as course code writes them, each with its own shape: a column, a row, a 1-D array, a number
SUMS = [
    "np.sum(X, axis=1, keepdims=True)",
    "numpy.sum(X, 1, keepdims=True)",
    "X.sum(axis=1, keepdims=True)",
    "np.sum(X, axis=-1, keepdims=True)",
    "np.sum(X, axis=0, keepdims=True)",
    "X.sum(-2, keepdims=True)",
    "np.sum(X, axis=None, keepdims=True)",
    "np.sum(X, axis=1)",
    "np.sum(X, axis=0)",
    "np.sum(X)",
    "X.sum()",
    "np.mean(X, axis=1, keepdims=True)",
    "X.mean(axis=0)",
    "np.mean(X)",
    "np.sum(X.T, axis=0, keepdims=True).T / 2",
    "np.sum(X, axis=1).T * 3 - 1",  # .T of a 1-D array is that array
    "-np.mean(X, axis=1) / 4",
    "np.sum(np.sum(X, axis=1))",
    "np.sum(np.sum(X, axis=0), keepdims=True)",
    "np.sum(X, axis=0, keepdims=True) @ Y",
    "1 / np.sum(X, axis=1, keepdims=True) + np.sum(X)",
]


def _value(expr: sp.Basic) -> np.ndarray:
    """``expr`` at SIZES with X0 and Y0 for X and Y, as an array."""
    entries = {XS.subs(SIZES): sp.ImmutableMatrix(X0), YS.subs(SIZES): sp.ImmutableMatrix(Y0)}
    concrete = expr.subs(SIZES).xreplace(entries).doit()
    return np.array(sp.Matrix(concrete).tolist() if isinstance(concrete, sp.MatrixBase) else concrete, dtype=float)


@pytest.mark.parametrize("text", SUMS)
def test_a_numpy_sum_is_read_with_the_shape_and_values_numpy_gives(text):
    """numpy runs the same text: a 2-D result is a matrix of its shape, a 1-D one is refused as 1-D (a wrong answer
    where a matrix is asked for), a number a number; every entry the same."""
    numpy_gives = eval(text, {"np": np, "numpy": np, "X": X0, "Y": Y0})  # the test's own text, run by numpy
    try:
        read = scaffold.parse(text, {"X": XS, "Y": YS})
    except scaffold.OneDimensional as one_dimensional:
        assert numpy_gives.ndim == 1, text
        read = _value(one_dimensional.entries)
        assert read.shape == (numpy_gives.shape[0], 1)
        np.testing.assert_array_equal(read[:, 0], numpy_gives)
        return
    assert np.ndim(numpy_gives) in (0, 2), text
    assert isinstance(read, sp.MatrixExpr) == (np.ndim(numpy_gives) == 2), (text, read)
    np.testing.assert_allclose(_value(read), numpy_gives, rtol=1e-15)  # exact rationals against numpy's floats


@pytest.mark.parametrize("name", typed.NUMPY_FUNCTIONS)
def test_a_numpy_function_of_a_number_is_what_numpy_computes(name):
    """Each numpy function read as the parser's own gives numpy's value, at a point where each is defined."""
    arguments = (sp.Rational(2, 7), sp.Rational(-3, 5))[: typed.NUMPY_FUNCTIONS[name][1]]
    for module in ("np", "numpy"):
        read = scaffold.parse(f"{module}.{name}({', '.join(map(str, arguments))})")
        assert float(read) == pytest.approx(getattr(np, name)(*map(float, arguments)), rel=1e-15), (module, name)


def test_numpys_constants_are_the_parsers_own():
    assert float(scaffold.parse("np.pi * np.e * numpy.pi")) == pytest.approx(np.pi * np.e * np.pi, rel=1e-15)


#: the derive page's claims about numpy's sums for dZ (n, m), typed into the db exercise: the shape each is judged by
SUM_SHAPES = {
    "np.sum(dZ, axis=0, keepdims=True) / m": ("has shape (1, m)", "的维度是 (1, m)"),
    "np.sum(dZ, axis=1) / m": ("is a 1-D array of shape (n[l],)", "是维度为 (n[l],) 的一维数组"),
    "np.sum(dZ) / m": ("is a number", "是一个数"),
}


@pytest.mark.parametrize("text", SUM_SHAPES)
def test_a_sum_of_the_wrong_shape_is_judged_wrong_naming_the_shape_rule(text):
    english, chinese = SUM_SHAPES[text]
    for page in ("derive.md", "derive.zh.md"):  # the example the page gives
        assert f"`{text}`" in (DOCS / page).read_text(encoding="utf-8"), page
    verdict = exercises.check("db-m-samples", text)
    assert verdict.status == "wrong"
    assert f"your answer {english}" in verdict.error
    assert "but db[l] is (n[l], 1)" in verdict.error
    assert f"你的答案{chinese}" in verdict.error.zh
    assert "而 db[l] 的维度是 (n[l], 1)" in verdict.error.zh
    assert verdict.mistake is not None  # each is a known mistake, with its hint


@pytest.mark.parametrize(
    ("page", "lead"),
    [("derive.md", "numpy's spellings of the same functions, "), ("derive.zh.md", "numpy 对这些函数的写法，如 ")],
)
def test_the_derive_pages_numpy_spellings_are_the_parsers_own_functions(page, lead):
    line = (DOCS / page).read_text(encoding="utf-8").split(lead, 1)[1].split("\n", 1)[0]
    examples = re.findall(r"`([^`]+)`", line)
    assert len(examples) == 3, line
    for example in examples:
        assert scaffold.parse(example) == scaffold.parse(example.replace("np.", "").replace("maximum", "max"))
