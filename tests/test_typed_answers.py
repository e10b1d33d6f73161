"""Answers typed as they are copied from a post, a PDF or a Chinese input method (``derivations.typed``).

Each accepted form must read as its ASCII spelling and get the same verdict: a right answer proved, a
wrong one disproved at a point. Each form with two readings is refused with both of them, in both
languages, and every refusal of a rewritten text says what it was read as. The ASCII spellings are
written here by hand (never produced by ``normalise``), so removing the normalisation turns these red.
"""

from __future__ import annotations

import json
from html import unescape

import pytest
import sympy as sp

from derivations import exercises, playground, scaffold
from derivations.core import Text
from derivations.typed import READINGS, normalise

slow = pytest.mark.slow

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
}


@pytest.mark.parametrize("typed", SPELLINGS)
def test_each_typed_form_reads_as_its_ascii_spelling(typed):
    assert normalise(typed) == SPELLINGS[typed]


def test_the_table_on_the_page_lists_every_rewritten_symbol():
    listed = "".join(typed for typed, _ascii, _meaning in READINGS)
    for symbol in "−–⊙∘∗×·⋅÷²³⁻ᵀ⊤（）＋":
        assert symbol in listed, symbol


@pytest.mark.parametrize(("typed", "ascii"), [(t, a) for t, a, _ in READINGS if not isinstance(a, Text)])
def test_each_example_of_the_table_reads_as_the_table_says(typed, ascii):
    """The page's table of typed forms is checked, not only written: each example reads as its column says."""
    typed, ascii = typed.split(), ascii.split()
    ascii = ascii * len(typed) if len(ascii) == 1 else ascii  # several symbols for one
    pairs = [(t, a) for t, a in zip(typed, ascii, strict=True) if t != "…"]
    assert [normalise(t) for t, _ in pairs] == [a for _, a in pairs]


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
]


def _same_verdict(key, typed, ascii, status):
    mine, theirs = exercises.check(key, typed), exercises.check(key, ascii)
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
