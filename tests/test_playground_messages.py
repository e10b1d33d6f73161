"""The playground's error messages in both languages: the rule a typed formula breaks, or what SymPy or
Python failed on, in the page's language, never Python's English alone (CPython, no browser)."""

from __future__ import annotations

import ast
import json
import re
from html import unescape
from pathlib import Path

import pytest

from derivations import playground, scaffold
from derivations.core import CJK

#: one formula for each of Python's syntax errors the parser names (scaffold.SYNTAX_RULES, in order)
SYNTAX = ("1/(", "z)", "(z]", "2z", "z € 2", "z\\ 2", "'a", "z**")
#: what a formula may make SymPy or Python raise, one of each kind scaffold.FAILURES names
RAISED = (
    RecursionError("maximum recursion depth exceeded"),
    OverflowError("int too large to convert to float"),
    ZeroDivisionError("division by zero"),
    TypeError("unsupported operand type(s) for -: 'One' and 'MatrixSymbol'"),
    NotImplementedError("no solution"),
)


def message(reply: str) -> tuple[str, str]:
    """The status and the visible text of a playground reply."""
    reply = json.loads(reply)
    return reply["status"], unescape(re.sub(r"<[^>]+>", " ", reply["html"]))


def test_each_syntax_rule_is_met_by_its_formula():
    """SYNTAX holds one formula per rule, in order: a rule no formula reaches would be untested."""
    met = []
    for text in SYNTAX:
        with pytest.raises(SyntaxError) as error:
            ast.parse(text, mode="eval")
        met.append(
            next(i for i, (pattern, *_) in enumerate(scaffold.SYNTAX_RULES) if re.match(pattern, error.value.msg))
        )
    assert met == list(range(len(scaffold.SYNTAX_RULES)))


@pytest.mark.parametrize("text", SYNTAX)
def test_a_syntax_error_is_named_in_chinese_on_the_chinese_page(text):
    status, english = message(playground.derive(text, "en"))
    status_zh, chinese = message(playground.derive(text, "zh"))
    assert status == status_zh == "error"
    assert "is not a formula" in english
    assert "不是公式" in chinese
    rule = scaffold.syntax_rule(_python_message(text))
    assert rule.zh in chinese
    assert not re.search(r"[a-z]{4,}", chinese.replace(text, "")), f"English left in {chinese!r}"


def _python_message(text: str) -> str:
    with pytest.raises(SyntaxError) as error:
        ast.parse(text, mode="eval")
    return error.value.msg


def test_an_unknown_syntax_error_keeps_pythons_words_after_chinese_ones():
    rule = scaffold.syntax_rule("something new")
    assert (str(rule), rule.zh) == ("something new", "语法不对（Python 的说法：something new）")


@pytest.mark.parametrize(("text", "count"), [("sigmoid(z, 2)", 2), ("exp()", 0), ("max()", 0)])
def test_a_function_given_the_wrong_number_of_arguments_is_refused(text, count):
    english, chinese = (message(playground.derive(text, lang)) for lang in ("en", "zh"))
    assert english[0] == chinese[0] == "error"
    assert f"not {count}" in english[1]
    assert f"而不是 {count} 个" in chinese[1]


@pytest.mark.parametrize("error", RAISED, ids=lambda error: type(error).__name__)
def test_what_sympy_or_python_raise_is_said_in_the_pages_language(monkeypatch, error):
    def fail(text):
        raise error

    monkeypatch.setattr(playground, "activation", fail)
    words = scaffold.failure(error)
    for lang, expected in (("en", str(words)), ("zh", words.zh)):
        status, text = message(playground.derive("z", lang))
        assert status == "error"
        first, _, detail = text.partition("  ")
        assert expected in first
        assert f"{type(error).__name__}: {error}" in detail, "the raw detail is a second line"
    assert CJK.search(words.zh)
    assert words.zh != str(words)
    # each kind has its own words, except what no earlier kind matched
    assert words != scaffold.FAILURES[-1][1] or isinstance(error, NotImplementedError)


#: refusals of an exercise's answer and of a g(z), each with EXPR before a Chinese word ("答案中") or a name
REFUSALS = (
    ("check", "da-prev", "np.square(W.T @ dZ)"),  # a numpy function the answer may not use
    ("check", "da-prev", "np.exp(W.T @ dZ)"),  # numpy's entrywise function of a matrix
    ("check", "db-m-samples", "np.sum(dZ, axis=1) + dZ"),  # a 1-D array meets a matrix
    ("check", "db-m-samples", "np.sum(dZ, axis=2)"),  # an axis numpy has not
    ("check", "db-m-samples", "np.sum(dZ, axis=1, keepdims=1)"),  # keepdims not True or False
    ("check", "da-prev", "W.shape @ dZ"),  # attribute access
    ("check", "tanh-prime", "1-a//1*a"),  # an operator the answer may not use
    ("check", "tanh-prime", "1-a₂"),  # an unknown name, after the typed text's rewriting
    ("check", "da-prev", "Wᵀ dZ"),  # not a formula
    ("check", "da-prev", "Wᵀ·dZ"),  # two readings
    ("derive", None, "z*(z>0)"),
    ("derive", None, "√z"),
)


@pytest.mark.parametrize(("function", "key", "text"), REFUSALS, ids=[text for *_, text in REFUSALS])
def test_a_chinese_refusal_sets_no_space_after_full_width_punctuation_or_between_chinese_words(function, key, text):
    """As the site's pages (sitemarkdown.prose): 不接受：答案中不允许…, not 不接受： 答案 中不允许…"""
    from sitemarkdown.prose import spaces_after_punctuation

    args = (text, "zh") if key is None else (key, text, "zh")
    status, shown = message(getattr(playground, function)(*args))
    assert status == "error"
    assert shown.strip().startswith("不接受：")
    assert spaces_after_punctuation(shown) == []
    assert not re.search(f"{CJK.pattern} {CJK.pattern}", shown), shown


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_function_written_with_its_power_before_its_argument_is_told_where_the_power_goes(lang):
    """tanh²(z), as on paper, reads as tanh**2(z): tanh without its argument. The refusal says so, rather than
    calling tanh not allowed and then listing it among the allowed functions."""
    status, shown = message(playground.derive("tanh²(z)", lang))
    assert status == "error"
    assert "tanh(…)**2" in shown
    assert "not allowed" not in shown
    assert "不允许" not in shown


@pytest.mark.parametrize("text", ["z>0", "1/(1+e^(−z))"])
def test_a_chinese_refusal_lists_the_names_and_functions_with_the_chinese_comma(text):
    status, shown = message(playground.derive(text, "zh"))
    assert status == "error"
    assert "z、pi、E" in shown
    assert "exp、log、sqrt" in shown
    assert ", " not in shown


@pytest.mark.parametrize(("page", "lead", "said"), [
    ("derive.md", "A name written before a bracket, `", "is a name, not a function"),
    ("derive.zh.md", "写在括号前的名字，如 `", "是名字，不是函数"),
])  # fmt: skip
def test_the_derive_pages_name_before_a_bracket_is_refused_as_the_page_says(page, lead, said):
    """The page's example of a name before a bracket, typed into the momentum exercise (g, beta, t), is refused
    for that and not for another rule: its product is written with *."""
    text = (Path(__file__).resolve().parents[1] / "docs" / page).read_text(encoding="utf-8")
    example = text.split(lead, 1)[1].split("`", 1)[0]
    status, shown = message(playground.check("momentum-bias", example, "zh" if page.endswith(".zh.md") else "en"))
    assert status == "error"
    assert said in shown, shown
