"""A gradient check's report in English and in Simplified Chinese: every phrase has its twin.

Each report below takes one path of ``Report.text``: a pass, a failure with its worst entry, hint
and diagnosis, a failure found by bisection along a direction, a row that cannot be told (float64
and float32 remedies), several labelled reports, warnings. For each, the Chinese text carries the
same numbers, parameter names, derivation keys and links as the English, and no English word but
those names. The reports are built by hand, or by checks on a few numbers, so this file is cheap.
"""

from __future__ import annotations

import ast
import re
import runpy
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from nn.cli import main
from nn.gradcheck import GradientShapeError, WeakCheckWarning, check, check_function, mistakes
from nn.gradcheck.narrowing import _decide
from nn.gradcheck.report import Report, Reports, hint
from nn.gradcheck.words import Text
from nn.testing import assert_gradients

ROOT = Path(__file__).resolve().parents[1]

#: A number as a report prints it: 16, 0.01, 1e-07, -2.396789e-01, 1/m's 1 (signs aside).
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[-+]\d+)?")
#: An ASCII word not glued to a number before it (the e of 1e-07 is no word).
WORD = re.compile(r"(?<![A-Za-z0-9_.])[A-Za-z_][A-Za-z0-9_]*")
#: The symbols of the formulas and options a Chinese report names as they are in the code and the docs.
SYMBOLS = {"J", "h", "m", "f", "A", "Y", "dZ", "l", "i", "j", "full", "directional", "complex", "move", "skip", "fail"}
SYMBOLS |= {"float64", "float32", "all", "Z1", "inf", "nan"}


def report(**fields) -> Report:
    """A report of two rows, W1 and b1, with ``fields`` replacing the defaults of a float64 pass."""
    base = dict(
        passed=True, errors={"W1": 3.2e-9, "b1": 4.5e-10}, worst=("", (), 0.0, 0.0), moved={"W1": 2},
        skipped={"b1": 1}, crossings={"W1": 2, "b1": 1}, mode="full", kinks="move", dtype=np.dtype(np.float64),
        tolerance=1e-7, h=1e-6, warnings=[], noise={"W1": 2.5e-8, "b1": 7.0e-9},
    )  # fmt: skip
    return Report(**(base | fields))


def diagnosis() -> mistakes.Diagnosis:
    """Two known mistakes, one explaining dW2, the other dW1 and db1, and db2 unexplained."""
    by_name = {mutant.name: mutant for mutant in mistakes.MISTAKES}
    found = ((by_name["dW-missing-1/m"], ("W2",)), (by_name["tanh-prime-not-squared"], ("W1", "b1")))
    return mistakes.Diagnosis(found, ("b2",))


def failing() -> Report:
    analytic = np.array([[0.5, -1.25], [2.0, 0.75]])
    return report(
        passed=False, errors={"W1": 0.48, "b1": 4.5e-10}, failed=["W1"], worst=("W1", (1, 0), 2.0, 0.125),
        hint=hint("dW1", analytic * 16, lambda G: G.ravel(), analytic.ravel(), 16), derivation="linear.dW",
        diagnosis=diagnosis().words,
    )  # fmt: skip


def bisected() -> Report:
    return report(
        passed=False, mode="directional", errors={"all": 0.61, "W1": 0.88, "b1": 1e-10}, failed=["all", "W1"],
        worst=("W1", (3, 4), -0.24, -0.015), bisected=True, noise={"all": 1.5e-9},
        hint=hint("dW1", -np.ones((2, 3)), lambda G: G.ravel(), np.ones(6), 16),
    )  # fmt: skip


def along_a_direction() -> Report:
    return report(passed=False, mode="directional", errors={"all": 0.61}, failed=["all"], worst=("all", (3,), 1.5, 2.5))


def undecided(dtype) -> Report:
    return report(passed=False, errors={"W1": 3.2e-9, "b1": 0.02}, undecided=["b1"], dtype=np.dtype(dtype))


def warned() -> Report:
    """A float32 check with a pre-activation near relu's kink, probed at a larger h: real warnings."""
    parameters = {"W1": np.array([[0.5, -0.3]], dtype=np.float32), "b1": np.array([[1e-4]], dtype=np.float32)}
    X = np.array([[1.0, 0.0], [0.0, 0.0]], dtype=np.float32)  # sample 1 is 0: Z1 = b1, 1e-4 from relu's kink
    with pytest.warns(WeakCheckWarning):
        checked = check(parameters, X, np.array([[1.0, 0.0]]), ["relu"], loss="mse")
    _decide(np.array([]), np.array([]), np.array([]), "all", checked)  # every direction crossed a kink
    return checked


REPORTS = {
    "pass": lambda: report(),
    "fail with worst, hint and diagnosis": failing,
    "fail found by bisection": bisected,
    "fail along a direction": along_a_direction,
    "cannot tell in float64": lambda: undecided(np.float64),
    "cannot tell in float32": lambda: undecided(np.float32),
    "warnings": warned,
}


def names(checked: Report) -> set[str]:
    """What a report names as it is in the code: its rows, their gradients, derivation keys, links."""
    keys = set(checked.errors) | {f"d{key}" for key in checked.errors} | {f"d{key}" for key in ("W2", "b2")}
    found = [mutant for mutant, _ in diagnosis().found]
    links = {mistakes.link(mutant.derivation) for mutant in found}
    return keys | {mutant.derivation for mutant in found} | links


def english_words(chinese: str, allowed: set[str]) -> set[str]:
    """The ASCII words of ``chinese`` that are none of ``allowed``'s names, symbols or mistakes' Chinese words."""
    known = set(SYMBOLS)
    for text in allowed | {mutant.words_zh for mutant, _ in diagnosis().found} | {"relu"}:
        known |= set(WORD.findall(text)) | set(re.split(r"[^A-Za-z0-9_]+", text))
    return set(WORD.findall(chinese)) - known


@pytest.mark.parametrize("path", list(REPORTS))
def test_the_chinese_report_says_the_same_numbers_and_names(path):
    checked = REPORTS[path]()
    english, chinese = checked.text("en"), checked.text("zh")
    assert english == str(checked)
    assert chinese != english
    assert re.search("[\u4e00-\u9fff]", chinese)
    assert Counter(NUMBER.findall(chinese)) == Counter(NUMBER.findall(english))
    for name in names(checked):
        whole = re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)")
        assert len(whole.findall(english)) == len(whole.findall(chinese)), name
    assert len(chinese.splitlines()) == len(english.splitlines())
    assert not english_words(chinese, names(checked)), chinese


def test_each_path_prints_its_own_lines_in_both_languages():
    """The lines the paths above are there for, in each language, so none of them is missed."""
    lines = {
        "fail with worst, hint and diagnosis": [("worst at dW1[1, 0]", "误差最大处：dW1[1, 0]"),
            ("hint: dW1 is off by a factor ≈ m = 16", "提示：dW1 差了一个因子 ≈ m = 16"),
            ("diagnosis: dW[l] = dZ A[l−1]ᵀ without the 1/m: dW2 is", "诊断：dW[l] = dZ A[l−1]ᵀ，漏了 1/m：dW2 恰好"),
            ("db2 matches no known mistake", "db2 与任何已知错误都不符")],
        "fail found by bisection": [("found by bisection at dW1[3, 4]", "二分法找到的位置：dW1[3, 4]"),
            ("hint: dW1 has the wrong sign", "提示：dW1 符号反了")],
        "fail along a direction": [("worst at direction 3", "误差最大处：第 3 个方向")],
        "cannot tell in float64": [("b1 is below the noise floor of J in float64", "b1 低于 J 在 float64 下的噪声底"),
            ("CANNOT TELL: largest", "无法判断：最大相对误差")],
        "cannot tell in float32": [("in mode 'complex', in float64, or rescale",
            "'complex' 模式检验、改用 float64，或者")],
        "warnings": [("warning: float32 check", "警告：float32 下的检验"),
            ("warning: Z1: 1 pre-activation(s) within", "警告：Z1：有 1 个激活前的值"),
            ("warning: all: every direction crossed a kink", "警告：all：每个方向都跨过了折点")],
        "pass": [("PASS: largest relative error", "通过：最大相对误差"), ("kinks: move)", "折点：move）")],
    }  # fmt: skip
    for path, pairs in lines.items():
        checked = REPORTS[path]()
        for english, chinese in pairs:
            assert english in checked.text("en"), (path, english)
            assert chinese in checked.text("zh"), (path, chinese)


def test_the_table_lines_up_in_chinese_too():
    """A Chinese character takes two columns of a terminal: the headings stand over their columns."""
    english, chinese = (report().text(lang).splitlines()[1:3] for lang in ("en", "zh"))
    width = [sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in line) for line in chinese]
    assert width[0] == len(english[0])
    assert chinese[1].rstrip("通过") == english[1].rstrip("ok")


def test_every_hint_and_relation_has_its_chinese_twin():
    """Each cause ``hint`` can give, and each relation it states for a learner's own cost."""
    square, other = np.array([[1.0, 2.0], [3.0, 5.0]]), np.array([[1.0, 3.0], [3.0, 5.0]])

    def said(g, n, m):
        return hint("dW1", g, lambda G: G.ravel(), n.ravel(), m)

    cases = [said(square.T, square, 8), said(square, square / 8, 8), said(square, square * 8, 8),
             said(-square, square, 8), said(2 * square, square, 8), said(square / 2, square, 8),
             said(other, square, 8), said(square.T, square, None), said(-square, square, None),
             said(3 * square, square, None), said(other, square, None)]  # fmt: skip
    assert len(set(cases)) == len(cases)
    for text in cases:
        assert isinstance(text, Text)
        assert re.search("[\u4e00-\u9fff]", text.zh)
        assert Counter(NUMBER.findall(text.zh)) == Counter(NUMBER.findall(text))
        assert not english_words(text.zh, {"dW1"}), text.zh


def test_every_warning_the_checker_writes_is_text():
    """Each note or warning a check appends is written as Text(English, Chinese) where it is made."""
    for path in sorted((ROOT / "nn" / "gradcheck").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "append":
                target = ast.unparse(node.func.value)
                if target.endswith("warnings") or target == "notes":
                    argument = node.args[0]
                    where = f"{path.name}:{node.lineno}: {target}.append of a plain string"
                    assert isinstance(argument, ast.Call), where
                    assert ast.unparse(argument.func) == "Text", where


def test_several_reports_are_labelled_in_each_language():
    several = Reports({Text("max pooling", "最大池化"): report(), "convolution": failing()})
    english, chinese = several.text("en"), several.text("zh")
    assert english == str(several)
    assert english.startswith("max pooling:\n")
    assert chinese.startswith("最大池化：\n梯度检验")
    assert "\n\nconvolution：\n" in chinese
    assert Counter(NUMBER.findall(chinese)) == Counter(NUMBER.findall(english))


@pytest.mark.parametrize("lang", ["fr", "EN", None])
def test_a_language_other_than_en_or_zh_is_refused(lang):
    for text in (report().text, Reports({"a": report()}).text, diagnosis().text):
        with pytest.raises(ValueError, match=r"unknown language .*'en' or 'zh'"):
            text(lang)


def test_a_status_reads_in_each_language():
    checked = undecided(np.float64)
    assert [checked.status(key) for key in checked.errors] == ["ok", "cannot tell"]
    assert [checked.status(key, "zh") for key in checked.errors] == ["通过", "无法判断"]


LEARNER = """
import numpy as np

parameters = {"w": np.array([0.5, -1.5]), "c": np.array(2.0)}


def cost(p):
    return float(np.sum(p["w"] ** 2) + p["c"] ** 2)


def gradients(p):
    return {"dw": -2 * p["w"], "dc": 2 * p["c"]}  # dw's sign flipped
"""


def test_the_command_prints_the_report_in_chinese_with_lang_zh(tmp_path, capsys):
    path = tmp_path / "learner.py"
    path.write_text(LEARNER)
    assert main(["check", str(path), "--lang", "zh"]) == 1
    chinese = capsys.readouterr().out
    assert main(["check", str(path)]) == 1
    english = capsys.readouterr().out
    names = runpy.run_path(str(path))
    expected = check_function(names["cost"], names["gradients"], names["parameters"])
    assert (english, chinese) == (str(expected) + "\n", expected.text("zh") + "\n")
    assert "提示：dw 是符号取反的数值梯度" in chinese
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(path), "--lang", "fr"])
    assert exit_info.value.code == 2
    assert "--lang: invalid choice: 'fr'" in capsys.readouterr().err


def _included(line: str) -> list[str]:
    """The lines a ``--8<-- "file:section"`` line of a page brings in (other sections' markers left out)."""
    match = re.fullmatch(r'--8<-- "([^":]+)(?::([\w-]+))?"', line.strip())
    if not match:
        return [line]
    lines = (ROOT / match.group(1)).read_text().splitlines()
    if match.group(2):
        marker = re.compile(r"#\s*--8<-- \[(start|end):([\w-]+)\]")
        start = next(i for i, text in enumerate(lines) if f"[start:{match.group(2)}]" in text)
        end = next(i for i, text in enumerate(lines) if f"[end:{match.group(2)}]" in text)
        lines = lines[start + 1 : end]
        lines = [text for text in lines if not marker.search(text)]
    return [text.strip() for text in lines]


def _executed(page: str) -> list[list[str]]:
    """The code blocks of a page that markdown-exec runs at build time, each as its lines."""
    blocks, block = [], None
    for line in (ROOT / "docs" / page).read_text().splitlines():
        if block is None and line.startswith("```python") and 'exec="on"' in line:
            block = []
        elif block is not None and line.startswith("```"):
            blocks.append(block)
            block = None
        elif block is not None:
            block.append(line)
    return blocks


@pytest.mark.parametrize(
    ("error", "chinese"),
    [(GradientShapeError("W", "dW", (2, 3), (3, 2)),
      "dW 的维度是 (3, 2)，而 W 的维度是 (2, 3)：梯度的维度与其参数相同（(3, 2) 是 Wᵀ 的维度）"),
     (GradientShapeError("w", "w", (2,), (1,)), "梯度 w 的维度是 (1,)，而参数 w 的维度是 (2,)："),
     (GradientShapeError("b1", "db1", (4, 1), (1, 10), diagnosis()), "；dW[l] = dZ A[l−1]ᵀ，漏了 1/m：dW2 恰好")],
)  # fmt: skip
def test_a_misshapen_gradient_is_told_in_each_language(error, chinese):
    english = str(error)
    assert error.text("en") == english
    assert chinese in error.text("zh")
    assert Counter(NUMBER.findall(error.text("zh"))) == Counter(NUMBER.findall(english))
    assert not english_words(error.text("zh"), {"dW", "W", "w", "b1", "db1", *names(report())}), error.text("zh")


def test_the_command_tells_a_misshapen_gradient_in_chinese(tmp_path, capsys):
    path = tmp_path / "learner.py"
    path.write_text(LEARNER.replace('"dw": -2 * p["w"]', '"dw": -2 * p["w"][:1]'))
    assert main(["check", str(path), "--lang", "zh"]) == 1
    assert capsys.readouterr().out == "失败：dw 的维度是 (1,)，而 w 的维度是 (2,)：梯度的维度与其参数相同\n"
    assert main(["check", str(path)]) == 1
    assert capsys.readouterr().out.startswith("FAIL: dw has shape (1,) but w has shape (2,)")


def test_assert_gradients_fails_with_the_report_in_the_language_asked(tmp_path):
    path = tmp_path / "learner.py"
    path.write_text(LEARNER)
    names = runpy.run_path(str(path))
    learner = names["cost"], names["gradients"], names["parameters"]
    with pytest.raises(AssertionError) as failure:
        assert_gradients(*learner, lang="zh")
    assert str(failure.value) == check_function(*learner).text("zh")
    right = {"dw": 2 * names["parameters"]["w"], "dc": 2 * names["parameters"]["c"]}
    with pytest.raises(ValueError, match="unknown language 'fr'"):  # refused even when the check passes
        assert_gradients(names["cost"], lambda p: right, names["parameters"], lang="fr")


def test_the_chinese_pages_print_chinese_reports():
    """Where the English pages print a report, their Chinese twins print ``report.text("zh")``: no line of
    code a Chinese page runs (its snippets included) prints a report or a check's result as it is,
    and every ``python -m nn check`` they run asks for ``--lang zh``. Every Chinese page is read, not a
    list of them: the batch-norm and regularization pages once printed their check in English."""
    english = re.compile(r"print\((report|(nn\.gradcheck\.)?check\w*\(.*\))\)")
    pages = sorted(str(path.relative_to(ROOT / "docs")) for path in (ROOT / "docs").rglob("*.zh.md"))
    printing = {"batch-norm.zh.md", "check-your-own.zh.md", "gradcheck.zh.md", "regularization.zh.md"}
    assert printing <= set(pages)
    for page in pages:
        lines = [code for block in _executed(page) for line in block for code in _included(line)]
        assert not [line for line in lines if english.fullmatch(line.strip()) and ".text(" not in line], page
        assert page not in printing or any('.text("zh")' in line for line in lines), page
        runs = [line for line in lines if 'main(["check"' in line]
        assert all('"--lang", "zh"' in line for line in runs), page
        asserts = [line for line in lines if line.strip().startswith("assert_gradients(")]
        assert all('lang="zh"' in line for line in asserts), page
