"""The activation scaffold: a safe parser, generated code that agrees with SymPy, and a bilingual summary.

The parser must build SymPy objects only from whitelisted syntax (never ``eval``), so each
malicious input below must be rejected with a message naming what broke the rule. The command
asks for the summary in English and Chinese and drafts it as ``Text("...", "...")``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from derivations import scaffold
from derivations.__main__ import main
from derivations.activations import z
from derivations.core import Text, say

POINTS = np.array([-3.7, -1.2, -0.3, 0.4, 1.1, 2.9])
SUMMARY = ("z / (1 + z²), a bump-shaped odd activation", "z / (1 + z²)，鼓包形状的奇函数")


def registered(source: str) -> dict:
    """Run a drafted ``register(...)`` call and capture what it registers."""
    captured = {}
    namespace = {
        "sp": sp,
        "z": z,
        "Text": Text,
        "register": lambda name, expr, summary, **options: captured.update(
            name=name, expr=expr, summary=summary, **options
        ),
    }
    exec(compile(source, "<register>", "exec"), namespace)  # fmt: skip
    return captured


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("z / (1 + z**2)", z / (1 + z**2)),
        ("z * sigmoid(z)", z / (1 + sp.exp(-z))),
        ("-z + 0.044715 * z**3", -z + sp.Rational(44715, 1000000) * z**3),
        ("z/2 * (1 + erf(z / sqrt(2)))", z / 2 * (1 + sp.erf(z / sp.sqrt(2)))),
        ("max(z, 0) + min(abs(z), pi) - E", sp.Max(z, 0) + sp.Min(sp.Abs(z), sp.pi) - sp.E),
        ("log(cosh(z)) + tanh(z) * sinh(z) + sin(z) * cos(z) + exp(-z**2)",
         sp.log(sp.cosh(z)) + sp.tanh(z) * sp.sinh(z) + sp.sin(z) * sp.cos(z) + sp.exp(-(z**2))),
    ],
)  # fmt: skip
def test_parser_accepts_formulas(text, expected):
    assert scaffold.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("__import__('os').system('x')", ".system"),
        ("__import__('os')", "__import__"),
        ("z.__class__", ".__class__"),
        ("open('f')", "open"),
        ("lambda: 1", "lambda: 1"),
        ('"s"', '"s"'),
        ("z[0]", "z[0]"),
        ("exp(z, base=2)", "exp(z, base=2)"),
        ("[z for z in ()]", "[z for z in ()]"),
        ("9**9**9", "9**9"),
        ("y + z", "y"),
        ("z +", "not a formula"),
    ],
)
def test_parser_rejects_everything_else(text, named):
    with pytest.raises(scaffold.ScaffoldError, match=r"not allowed|unknown name|too large|not a formula") as error:
        scaffold.parse(text)
    assert named in str(error.value)


@pytest.mark.parametrize("name", ["relu", "gelu", "2fast", "class"])
def test_names_must_be_new_identifiers(name):
    with pytest.raises(scaffold.ScaffoldError, match=r"already registered|identifier"):
        scaffold.scaffold(name, "z")


@pytest.mark.parametrize("text", ["z / (1 + z**2)", "z * sigmoid(z)", "z * erf(z)", "max(z, 0)**2 + abs(z)"])
def test_generated_code_agrees_with_sympy(text):
    result = scaffold.scaffold("drafted", text, summary=SUMMARY[0], summary_zh=SUMMARY[1])
    captured = registered(result.symbolic)
    assert sp.simplify(captured["expr"] - scaffold.parse(text)) == 0
    assert isinstance(captured["summary"], Text)
    assert (str(captured["summary"]), captured["summary"].zh) == SUMMARY
    namespace = {"np": np, "math": math, "Activation": object}
    exec(compile(result.numpy, "<class>", "exec"), namespace)
    drafted = namespace["Drafted"]
    assert drafted.name == "drafted"
    assert drafted.summary_zh == f"{SUMMARY[1]}。"  # its summary on the Chinese API reference
    activation = scaffold.SymbolicActivation("drafted", scaffold.parse(text), "")
    for n, method in enumerate(("forward", "derivative", "second_derivative")):
        np.testing.assert_allclose(getattr(drafted, method)(POINTS), activation.numeric(n)(POINTS), rtol=1e-12)
    analytic = "abs" not in text
    assert ("analytic=False" in result.symbolic) is not analytic
    assert bool(result.notes) is not analytic
    assert "python3 dev.py test -k drafted" in result.text()


@pytest.mark.parametrize(
    "summary",
    [('a "quoted" bump \\ with a backslash', '带"引号"和反斜杠 \\ 的鼓包'), ('ends in a quote"', '以引号结尾"')],
)
def test_the_drafted_summary_is_the_text_given(summary):
    """Quotes and backslashes in a summary survive the drafted string literals unchanged."""
    captured = registered(scaffold.scaffold("drafted", "z", summary=summary[0], summary_zh=summary[1]).symbolic)
    assert (str(captured["summary"]), say(captured["summary"], "zh")) == summary


@pytest.mark.parametrize(
    ("options", "missing"),
    [([], "--summary and --summary-zh missing"), (["--summary", SUMMARY[0]], "--summary-zh missing"),
     (["--summary-zh", SUMMARY[1]], "--summary missing")],
)  # fmt: skip
def test_the_command_asks_for_both_summaries(capsys, options, missing):
    with pytest.raises(SystemExit) as stopped:
        main(["new-activation", "drafted", "z", *options])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert missing in error
    assert "English and in Chinese" in error
    assert "--summary-zh" in error


def test_the_command_drafts_a_bilingual_summary(capsys):
    assert main(["new-activation", "drafted", "z", "--summary", SUMMARY[0], "--summary-zh", SUMMARY[1]]) == 0
    printed = capsys.readouterr().out
    assert f'Text(\n        "{SUMMARY[0]}",\n        "{SUMMARY[1]}",\n    )' in printed
    assert "no Chinese yet" not in printed


@pytest.mark.parametrize(
    ("summary", "summary_zh", "rule"),
    [("a bump", "a bump", "in Chinese"), ("a bump", "bump", "in Chinese"), ("a bump", "  ", "non-empty"),
     ("a bump", "鼓包\n第二行", "one non-empty line"), ("a bump\nsecond line", "鼓包", "one non-empty line"),
     ('a """ bump', "鼓包", "triple quotes")],
)  # fmt: skip
def test_a_summary_that_breaks_a_rule_is_refused(summary, summary_zh, rule):
    with pytest.raises(scaffold.ScaffoldError, match=rule):
        scaffold.scaffold("drafted", "z", summary=summary, summary_zh=summary_zh)


#: Each refusal of the scaffold that is not about the formula's syntax: the arguments, and what it names.
REFUSALS = {
    "name taken": (("relu", "z"), {}, "'relu'"),
    "name not an identifier": (("2fast", "z"), {}, "'2fast'"),
    "constant": (("drafted", "3"), {}, "'3'"),
    "summary of two lines": (("drafted", "z"), {"summary": "a\nb", "summary_zh": "鼓包"}, "--summary"),
    "summary not in Chinese": (("drafted", "z"), {"summary": "a bump", "summary_zh": "a bump"}, "--summary-zh"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_every_refusal_of_the_scaffold_has_its_chinese(case):
    args, options, named = REFUSALS[case]
    with pytest.raises(scaffold.ScaffoldError) as caught:
        scaffold.scaffold(*args, **options)
    message = caught.value.args[0]
    assert isinstance(message, Text), f"{case}: {message!r} has no Chinese"
    assert re.search(r"[\u4e00-\u9fff]", message.zh), message.zh
    assert named in message, message
    assert named in message.zh, message.zh


@pytest.mark.parametrize(
    ("argv", "chinese"),
    [(["relu", "z", "--summary", SUMMARY[0], "--summary-zh", SUMMARY[1]],
      "激活函数 'relu' 已经注册过了；请换一个 NAME"),
     (["drafted", "z"], "缺少 --summary 和 --summary-zh：激活函数的一行摘要要用英文和中文各写一遍")],
)  # fmt: skip
def test_the_command_refuses_in_the_language_asked(capsys, argv, chinese):
    with pytest.raises(SystemExit) as stopped:
        main(["new-activation", *argv, "--lang", "zh"])
    assert stopped.value.code == 2
    assert f"error: {chinese}" in capsys.readouterr().err


def test_a_draft_without_a_chinese_summary_says_so():
    """Called without summaries the draft still runs, with an empty Chinese twin and a note to write it."""
    result = scaffold.scaffold("drafted", "z")
    summary = registered(result.symbolic)["summary"]
    assert (str(summary), summary.zh) == ("drafted(z) = z", "")
    assert any("no Chinese yet" in note for note in result.notes)


@pytest.mark.parametrize(
    ("page", "end"),
    [("extending.md", "eval"), ("extending.zh.md", "eval"), ("derive.md", "syntax tree"), ("derive.zh.md", "语法树")],
)
def test_the_pages_list_the_whitelist_the_parser_uses(page, end):
    """docs/extending.md and docs/derive.md name every function and constant an expression may use, and nothing
    else (derive.md in one code span for the functions)."""
    text = (Path(__file__).resolve().parents[1] / "docs" / page).read_text(encoding="utf-8")
    listed = " ".join(re.findall(r"`([^`]*)`", text[text.index("`z`") : text.index(end)]))
    names = set(re.findall(r"[A-Za-z]+", listed))
    assert names == {name for name in scaffold.FUNCTIONS if name.islower()} | set(scaffold.CONSTANTS)
