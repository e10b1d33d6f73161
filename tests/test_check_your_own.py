"""``python -m nn check FILE.py``, ``nn.testing.assert_gradients`` and the worked examples of the
page "Check your own backprop" (docs/check-your-own.md), each a real file run here."""

from __future__ import annotations

import re
import runpy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from support import assert_page_says, page_text

from nn.cli import main
from nn.testing import assert_gradients

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


@pytest.fixture
def rows_network(monkeypatch):
    monkeypatch.syspath_prepend(str(EXAMPLES))
    return runpy.run_path(str(EXAMPLES / "rows_network.py"))


def test_the_row_vector_network_fails_with_the_posts_bug_and_passes_without(rows_network):
    """The post's output gradient 2p forgets the target; 2(p − t) is the gradient of Σ (p − t)²."""
    from nn.gradcheck import check_function

    cost, gradients, parameters = rows_network["cost"], rows_network["gradients"], rows_network["parameters"]
    buggy = check_function(cost, gradients, parameters)
    assert not buggy.passed
    assert set(buggy.errors) == {"w_in", "w_mid", "w_out"}
    assert min(buggy.errors.values()) > 1e-2
    assert buggy.derivation is None  # no structure is known: no derivation is claimed
    fixed = check_function(cost, lambda p: gradients(p, with_target=True), parameters)
    assert fixed.passed, str(fixed)


def test_the_learners_own_pytest_file_passes(rows_network):
    namespace = runpy.run_path(str(EXAMPLES / "test_rows_network.py"))
    namespace["test_gradients_match_the_cost"]()


def test_assert_gradients_fails_with_the_report_as_its_message(rows_network):
    with pytest.raises(AssertionError) as error:
        assert_gradients(rows_network["cost"], rows_network["gradients"], rows_network["parameters"])
    message = str(error.value)
    assert message.startswith("gradient check (full, float64")
    assert "FAIL: largest relative error" in message
    assert "worst at dw_" in message


def test_assert_gradients_fails_on_a_block_it_cannot_tell():
    """A gradient below the noise floor of J is not a pass: the assertion fails and says why."""
    cost = lambda p: np.sum(p["w"] ** 2) + 1e-9 * p["b"][0]  # noqa: E731
    with pytest.raises(AssertionError, match="cannot tell: b is below the noise floor of J"):
        assert_gradients(
            cost,
            lambda p: {"w": 2 * p["w"], "b": np.array([1e-9])},
            {"w": np.array([100.0, -50.0]), "b": np.array([0.3])},
        )


def test_assert_gradients_passes_options_on():
    cube, slope = (lambda p: np.sum(p["w"] ** 3)), (lambda p: {"w": 3 * p["w"] ** 2})
    report = assert_gradients(cube, slope, {"w": np.ones(3)}, mode="directional")
    assert (report.passed, report.mode) == (True, "directional")


def run(capsys, *argv):
    status = main(["check", *map(str, argv)])
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_exit_1_and_the_diagnosis_for_the_planted_two_layer_mistake(capsys):
    status, out, err = run(capsys, EXAMPLES / "two_layer_planted.py")
    assert status == 1
    assert "diagnosis: tanh′ written as 1 − A instead of 1 − A²" in out
    assert "contradicts activation.tanh, see docs/activations.md#tanh" in out
    assert err == ""


def test_cli_exit_1_for_the_row_vector_network_with_the_posts_bug(capsys):
    status, out, _ = run(capsys, EXAMPLES / "rows_network.py")
    assert status == 1
    assert "FAIL" in out


def write(tmp_path, text, name="learner.py"):
    path = tmp_path / name
    path.write_text(text)
    return path


CORRECT = """
import numpy as np
parameters = lambda: {"w": np.array([0.5, -1.0]), "c": np.array(2.0)}
def cost(p):
    return np.sum(p["w"] ** 2) * p["c"]
def gradients(p):
    return {"w": 2 * p["w"] * p["c"], "c": np.sum(p["w"] ** 2)}
if __name__ == "__main__":
    raise SystemExit("the file's own main block must not run")
"""


@pytest.mark.parametrize("mode", ["full", "directional", "complex"])
def test_cli_exit_0_for_correct_gradients(capsys, tmp_path, mode):
    status, out, _ = run(capsys, write(tmp_path, CORRECT), "--mode", mode)
    assert status == 0
    assert f"gradient check ({mode}, float64" in out
    assert "PASS" in out


def test_cli_runs_an_L_layer_file(capsys, tmp_path, monkeypatch):
    course = Path(__file__).resolve().parent
    monkeypatch.syspath_prepend(str(course))
    text = """
import numpy as np
from course_code import L_model_forward as forward, L_model_backward as backward
rng = np.random.default_rng(0)
X, Y = rng.normal(size=(3, 5)), np.array([[0, 1, 1, 0, 1.0]])
parameters = {"W1": rng.normal(size=(4, 3)), "b1": np.zeros((4, 1)) + 0.1,
              "W2": rng.normal(size=(1, 4)), "b2": np.zeros((1, 1))}
L_model_forward, L_model_backward = forward(), backward("relu-inverted")
"""
    status, out, _ = run(capsys, write(tmp_path, text))
    assert status == 1
    assert "contradicts activation.relu" in out


def test_cli_checks_a_convolution_and_pooling_file_and_names_the_planted_mistake(capsys):
    """docs/examples/conv_planted.py: its conv backward ignores the stride; its pooling layer is right (both modes)."""
    status, out, err = run(capsys, EXAMPLES / "conv_planted.py")
    assert (status, err) == (1, "")
    parts = out.rstrip("\n").split("\n\n")
    assert [part.splitlines()[0] for part in parts] == ["convolution:", "max pooling:", "average pooling:"]
    assert "\nFAIL: " in parts[0]
    assert "diagnosis: conv backward with the stride ignored" in parts[0]
    assert "contradicts conv.backward" in parts[0]
    assert all("\nPASS: " in part for part in parts[1:]), out


@pytest.mark.parametrize("mode", ["max", "average"])
def test_the_pooling_layer_that_assigns_its_shares_is_named_in_both_modes(mode):
    """docs/examples/pool_assigned.py: the page's pooling layer, = where the overlapping windows' shares add."""
    from nn import conv
    from nn.gradcheck import check_pool

    report = check_pool(
        conv.pool_forward, runpy.run_path(str(EXAMPLES / "pool_assigned.py"))["pool_backward"], mode=mode
    )
    assert not report.passed
    assert report.derivation == f"pool.{mode}"
    assert report.diagnosis.startswith("pooling backward assigns a window's share instead of adding it")


def test_the_convolution_that_assigns_its_shares_in_all_three_lines_is_named():
    """docs/examples/conv_assigned.py: the page's conv_backward, = where dA_prev_pad, dW and db add each share."""
    from support import assert_diagnosed

    from nn import conv
    from nn.gradcheck import check_conv

    report = check_conv(conv.conv_forward, runpy.run_path(str(EXAMPLES / "conv_assigned.py"))["conv_backward"])
    assert_diagnosed(report, "conv-dA-dW-db-assigned")
    assert [line.split()[-1] for line in str(report).splitlines()[2:5]] == ["FAIL"] * 3


#: the page in each language
PAGES = [("check-your-own.md", "en"), ("check-your-own.zh.md", "zh")]


def assert_the_pages_say(en: str, zh: str) -> None:
    """The page says ``en`` in English and ``zh`` in Chinese, each within one paragraph or list item."""
    assert_page_says("check-your-own", (en,), (zh,))


def test_the_page_names_the_test_file_that_runs_each_of_its_examples():
    """Both pages' opening: every example runs in tests/test_check_your_own.py, but the RNN's and the LSTM's in
    tests/test_check_rnn.py and the file with samples as rows in tests/test_error_languages.py. Which file reads
    each example the pages run is looked up in the tests themselves."""
    tests = Path(__file__).resolve().parent
    shown = set(re.findall(r"docs/examples/(\w+\.py)", (EXAMPLES.parent / "check-your-own.md").read_text()))
    sources = {path.name: path.read_text(encoding="utf-8") for path in tests.glob("test_*.py")}
    # the plain search first: a pattern that opens with \b is tried at every place of the 64 files, 0.3 s
    cites = {name: re.compile(rf"\b{re.escape(name)}") for name in shown}
    runners = {
        name: {test for test, source in sources.items() if name in source and cites[name].search(source)}
        for name in shown
    }
    by_runner = {}
    for name, found in runners.items():
        assert len(found) == 1, (name, found)
        by_runner.setdefault(found.pop(), set()).add(name.split("_")[0])
    assert by_runner.keys() == {"test_check_your_own.py", "test_check_rnn.py", "test_error_languages.py"}
    assert by_runner["test_check_rnn.py"] == {"rnn", "lstm"}
    assert by_runner["test_error_languages.py"] == {"two"}  # the two-layer network with samples as rows
    assert_the_pages_say(
        "(`tests/test_check_your_own.py`; the RNN and the LSTM in `tests/test_check_rnn.py`, the file with samples "
        "as rows in `tests/test_error_languages.py`)",
        "（`tests/test_check_your_own.py`；RNN 和 LSTM 在 `tests/test_check_rnn.py` 中，"
        "按行存放样本的那个文件在 `tests/test_error_languages.py` 中）",
    )


#: the two known mistakes docs/examples/conv_two_mistakes.py makes, and the blocks they give together
CONV_PAIR = (("conv-backward-ignores-stride", "conv-dA-assigned"), ("A_prev", "W"))


@pytest.fixture(scope="module")
def conv_two_mistakes():
    """check_conv's report on docs/examples/conv_two_mistakes.py, run once for both pages."""
    from nn import conv
    from nn.gradcheck import check_conv

    return check_conv(conv.conv_forward, runpy.run_path(str(EXAMPLES / "conv_two_mistakes.py"))["conv_backward"])


@pytest.mark.parametrize(("page", "lang"), PAGES)
def test_each_page_shows_the_convolution_with_two_mistakes_named_as_the_pair(conv_two_mistakes, page, lang):
    """docs/examples/conv_two_mistakes.py: the stride ignored and = in dA_prev's line. What the page shows in each
    language is the report check_conv prints for the file now, and it names the pair for dA_prev and dW, db right."""
    from support import assert_diagnosis_line, diagnosis_line, shown

    report = conv_two_mistakes
    assert_diagnosis_line(report, [], [CONV_PAIR])
    printed = shown(page, "conv_two_mistakes.py")
    assert printed == report.text(lang) + "\n"
    assert re.search(r"\n  b +\S+ +\S+ +0 +0  (ok|通过)\n", printed), printed
    assert f"  {'diagnosis: ' if lang == 'en' else '诊断：'}{diagnosis_line([], [CONV_PAIR], lang)}\n" in printed


def test_the_convolution_with_two_mistakes_is_what_neither_mistake_gives_alone():
    """As the page says: the file's gradients are those of the course-style code written apart
    (tests/course_conv_code.py) with both mistakes planted; the stride alone gives another dA_prev, the = alone
    another dA_prev and dW, so neither gives both wrong blocks; db is the right code's."""
    from course_conv_code import conv_backward

    from nn import conv

    rng = np.random.default_rng(4)
    A_prev, W, b = rng.normal(size=(2, 5, 5, 2)), rng.normal(size=(3, 3, 2, 2)), rng.normal(size=(1, 1, 1, 2))
    Z, cache = conv.conv_forward(A_prev, W, b, {"stride": 2, "pad": 1})
    dZ = rng.normal(size=Z.shape)
    learner = runpy.run_path(str(EXAMPLES / "conv_two_mistakes.py"))["conv_backward"](dZ, cache)

    def differ(mistake):
        course = conv_backward(mistake)(dZ, cache)
        return [not np.allclose(mine, theirs) for mine, theirs in zip(learner, course, strict=True)]

    assert differ("no-stride+assign-dA") == [False, False, False]
    assert differ("no-stride") == [True, False, False]
    assert differ("assign-dA") == [True, True, False]
    assert differ("") == [True, True, False]
    assert_the_pages_say(
        "The forgotten stride moves the windows of both dA_prev and dW, and the `=` reaches dA_prev alone: neither "
        "mistake alone gives both wrong blocks, and the two together give them, with a db that is right, as this "
        "one's is.",
        "忽略步幅会让 dA_prev 和 dW 的窗口都取错位置，而 `=` 只影响 dA_prev："
        "这两个错误单独哪一个都给不出这两个出错的参数块，合在一起才能给出它们，"
        "而且给出的 db 是对的，和这段代码的 db 一样。",
    )


#: the two known mistakes docs/examples/pool_two_mistakes.py makes in average mode, the block they give together,
#: and the derivation both are cited with (average pooling's, the mode checked)
POOL_PAIR = (("pool-overlap-assigned", "pool-average-missing-1/f²"), ("A_prev",))


@pytest.fixture(scope="module")
def pool_two_mistakes():
    """check_pool's report in average mode on docs/examples/pool_two_mistakes.py, run once for both pages."""
    from nn import conv
    from nn.gradcheck import check_pool

    backward = runpy.run_path(str(EXAMPLES / "pool_two_mistakes.py"))["pool_backward"]
    return check_pool(conv.pool_forward, backward, mode="average")


@pytest.mark.parametrize(("page", "lang"), PAGES)
def test_each_page_shows_the_pooling_layer_with_two_mistakes_named_as_the_pair(pool_two_mistakes, page, lang):
    """docs/examples/pool_two_mistakes.py: = where the overlapping windows' shares add, and no 1/f². What the page
    shows in each language is the report check_pool prints for the file in average mode now, and it names the pair,
    both against pool.average."""
    from support import assert_diagnosis_line, diagnosis_line, shown

    report = pool_two_mistakes
    assert_diagnosis_line(report, [], [POOL_PAIR], "pool.average")
    printed = shown(page, "pool_two_mistakes.py")
    assert printed == report.text(lang) + "\n"
    line = diagnosis_line([], [POOL_PAIR], lang, "pool.average")
    assert f"  {'diagnosis: ' if lang == 'en' else '诊断：'}{line}\n" in printed


def test_the_pooling_layer_with_two_mistakes_is_what_neither_mistake_gives_alone():
    """As the page says: in average mode the file's dA_prev is that of the course-style code written apart
    (tests/course_conv_code.py) with both mistakes planted, each entry the whole dA of the last window holding it;
    the missing 1/f² alone gives f² times the right dA_prev, the = alone another, so neither gives it. Windows
    overlap here (s < f); at s = f no entry is in two windows, and the = cannot be told from +=. In max mode the
    same file is the course's code with the = alone."""
    from course_conv_code import pool_backward

    from nn import conv

    rng = np.random.default_rng(6)
    A_prev, overlapping = rng.normal(size=(2, 5, 5, 2)), {"f": 3, "stride": 2}
    learner = runpy.run_path(str(EXAMPLES / "pool_two_mistakes.py"))["pool_backward"]

    def same(hparameters, mode, planted):
        """For each mistake planted in the course-style code, whether its dA_prev is the file's."""
        A, cache = conv.pool_forward(A_prev, hparameters, mode)
        dA = rng.normal(size=A.shape)
        mine = learner(dA, cache, mode)
        return [np.allclose(mine, pool_backward(mistake)(dA, cache, mode), rtol=1e-12, atol=0) for mistake in planted]

    assert overlapping["stride"] < overlapping["f"]
    assert same(overlapping, "average", ["assign+no-1/f2", "no-1/f2", "assign", ""]) == [True, False, False, False]
    A, cache = conv.pool_forward(A_prev, overlapping, "average")
    dA = rng.normal(size=A.shape)
    f2 = overlapping["f"] ** 2
    assert np.allclose(pool_backward("no-1/f2")(dA, cache, "average"), f2 * pool_backward()(dA, cache, "average"))
    assert same({"f": 3, "stride": 3}, "average", ["no-1/f2"]) == [True]
    assert same(overlapping, "max", ["assign", ""]) == [True, False]
    assert_the_pages_say(
        "Alone, the missing 1/f² makes every entry of dA_prev f² times the right one, and the `=` keeps, where "
        "windows overlap, only the last window's share dA/f²: neither gives this dA_prev. The two together give "
        "it: each entry gets the whole dA of the last window that holds it.",
        "单独漏了 1/f²，dA_prev 的每个元素都是正确值的 f² 倍；"
        "单独写成 `=`，窗口重叠的地方只留下最后一个窗口的份额 dA/f²。"
        "这两个错误单独哪一个都给不出这个 dA_prev，合在一起才能给出它："
        "每个元素得到的是含有它的最后一个窗口的整个 dA。",
    )


@pytest.mark.parametrize(
    ("text", "status", "said"),
    [
        ("from course_conv_code import conv_forward, conv_backward as backward\nconv_backward = backward()\n", 0,
         "PASS: "),
        ("from course_conv_code import pool_forward, pool_backward as backward\npool_backward = backward('assign')\n",
         1, "diagnosis: pooling backward assigns a window's share instead of adding it"),
    ],
    ids=["convolution", "pooling-assigned"],
)  # fmt: skip
def test_cli_checks_a_convolution_or_a_pooling_file(capsys, tmp_path, monkeypatch, text, status, said):
    """A file with conv_forward and conv_backward gets check_conv's report; pool_forward and pool_backward,
    check_pool's in max and in average mode."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent))
    code, out, err = run(capsys, write(tmp_path, text))
    assert (code, err) == (status, ""), out
    assert said in out
    assert out.startswith("max pooling:\n" if "pool" in text else "gradient check (full")


def test_cli_exit_1_with_the_diagnosis_for_a_misshapen_gradient(capsys, tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent))
    text = (
        (EXAMPLES / "two_layer_planted.py")
        .read_text()
        .replace("db1 = np.sum(dZ1, axis=1, keepdims=True) / m", "db1 = np.sum(dZ1, axis=0, keepdims=True) / m")
    )
    status, out, _ = run(capsys, write(tmp_path, text))
    assert status == 1
    assert out.startswith("FAIL: db1 has shape (1, 10) but b1 has shape (4, 1)")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, r"learner.py: no such file"),
        ("import numpy as np\ndef cost(p):\n    return 0.0\n", "does not define gradients, parameters; it needs cost"),
        ("X = 1\nY = 2\nparameters = {}\n", "does not define forward_propagation, backward_propagation; it needs"),
        ("def conv_forward(A_prev, W, b, hparameters):\n    pass\n", "does not define conv_backward; it needs cost"),
        ("raise RuntimeError('broken\\non import')\n", "learner.py: RuntimeError: broken on import"),
        (CORRECT.replace('"c": np.sum', '"c_": np.sum'), r"no gradient for parameter 'c'"),
        ("def (:\n", "learner.py: SyntaxError"),
    ],
)
def test_cli_exit_2_with_one_line_when_the_file_cannot_be_checked(capsys, tmp_path, text, message):
    path = tmp_path / "learner.py" if text is None else write(tmp_path, text)
    status, out, err = run(capsys, path)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1, err  # one line, no traceback
    assert err.startswith("python -m nn check: error: ")
    assert re.search(message, err), err


@pytest.mark.slow  # a subprocess: about 0.2 s
def test_python_dash_m_nn_check_exits_with_the_status(tmp_path):
    """The real entry point once, in a subprocess: the exit status reaches the shell."""
    done = subprocess.run(
        [sys.executable, "-m", "nn", "check", str(write(tmp_path, CORRECT))], capture_output=True, text=True
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert "PASS" in done.stdout


@pytest.mark.parametrize(
    ("ending", "said"),
    [
        ("sys.exit(0)", r"called sys\.exit\(0\) or exit\(\) \(SystemExit\) \(at .*learner\.py:11, in the file's top"),
        ("sys.exit(1)", r"called sys\.exit\(1\)"),
        ("exit()", r"called sys\.exit\(\) or exit\(\)"),
        ("raise SystemExit", r"called sys\.exit\(\) or exit\(\)"),
        ("raise KeyboardInterrupt", r"learner\.py: interrupted; nothing was checked"),
    ],
)
def test_a_file_that_exits_or_is_interrupted_ends_with_2_and_one_line(capsys, tmp_path, ending, said):
    """sys.exit(0) must not read as a pass, nor sys.exit(1) as a failed check: nothing was checked."""
    text = f"import sys\n{CORRECT}{ending}\n"  # at the top level, after the file's main block
    status, out, err = run(capsys, write(tmp_path, text))
    assert (status, out) == (2, "")
    assert err.count("\n") == 1, err
    assert re.search(said, err), err


def test_a_file_that_runs_past_the_timeout_ends_with_2_and_one_line(capsys, tmp_path):
    status, out, err = run(capsys, write(tmp_path, "while True:\n    pass\n"), "--timeout", "0.05")
    assert (status, out) == (2, "")
    path = tmp_path / "learner.py"
    assert err == f"python -m nn check: error: {path}: still running after 0.05 s (--timeout); nothing was checked\n"


def test_an_error_in_the_learners_code_names_their_file_line_and_function(capsys, tmp_path):
    text = CORRECT.replace('return {"w": 2 * p["w"] * p["c"]', 'return {"w": 2 * p["weights"] * p["c"]')
    status, out, err = run(capsys, write(tmp_path, text))
    assert (status, out) == (2, "")
    assert err == (
        f"python -m nn check: error: {tmp_path / 'learner.py'}: KeyError: 'weights' "
        f"(at {tmp_path / 'learner.py'}:7, in gradients())\n"
    )


#: The CLI's own English words for a file it cannot check: none of them may reach a reader who asked for zh.
ENGLISH = ("error:", "nothing was checked", "no such file", "does not define", "it needs", "still running",
           "interrupted", "the file called", "remove the call", "(at ", "top level", "which a file of")  # fmt: skip


@pytest.mark.parametrize(
    ("text", "options", "said"),
    [
        (None, (), "learner.py：没有这个文件"),
        ("import numpy as np\ndef cost(p):\n    return 0.0\n", (), "没有定义 gradients、parameters；文件需要定义 cost"),
        ("X = 1\n", ("--kind", "convolution"), "conv_forward、conv_backward，而 'convolution' 类的文件要定义它们"),
        ("while True:\n    pass\n", ("--timeout", "0.05"), "运行 0.05 秒后仍未结束（--timeout）；没有检查任何内容"),
        ("raise KeyboardInterrupt\n", (), "learner.py：被中断；没有检查任何内容"),
        ("import sys\nsys.exit(0)\n", (), "sys.exit(0) 或 exit()（SystemExit）（位于 {path}:2，在文件的顶层）；"),
        ("def f():\n    return {}['w']\nf()\n", (), "learner.py：KeyError：'w'（位于 {path}:2，在 f() 中）"),
    ],
)  # fmt: skip
def test_with_lang_zh_the_line_that_says_why_a_file_cannot_be_checked_is_chinese(capsys, tmp_path, text, options, said):
    """--lang zh: the exit-2 line is in Chinese, with the same path, line and names; only the message of an
    error the learner's code raised stays as Python wrote it."""
    path = tmp_path / "learner.py" if text is None else write(tmp_path, text)
    status, out, err = run(capsys, path, "--lang", "zh", *options)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1, err
    assert err.startswith("python -m nn check：错误："), err
    assert said.format(path=path) in err, err
    assert not [words for words in ENGLISH if words in err], err


def test_a_float32_check_says_its_warning_once_in_the_report(capsys, tmp_path):
    text = CORRECT.replace("np.array([0.5, -1.0])", "np.array([0.5, -1.0], dtype=np.float32)").replace(
        "np.array(2.0)", "np.array(2.0, dtype=np.float32)"
    )
    status, out, err = run(capsys, write(tmp_path, text))
    assert (status, err) == (0, "")
    assert out.count("float32 check: rounding hides errors") == 1, out


def test_cli_exit_3_when_nothing_fails_but_a_block_cannot_be_told(capsys, tmp_path):
    """b's slope 1e-9 is far below the rounding of J ≈ 1e4 at h = 1e-6: no step can tell it."""
    text = """
import numpy as np
parameters = {"w": np.array([100.0, -50.0]), "b": np.array([0.3])}
def cost(p):
    return np.sum(p["w"] ** 2) + 1e-9 * p["b"][0]
def gradients(p):
    return {"w": 2 * p["w"], "b": np.array([2e-9])}
"""
    status, out, err = run(capsys, write(tmp_path, text))
    assert (status, err) == (3, ""), out
    assert re.search(r"\n  b +\S+ +\S+ +0 +0  cannot tell\n", out), out
    assert "CANNOT TELL" in out
    assert "cannot tell: b is below the noise floor of J in float64" in out
    assert "check in mode 'complex', or rescale J or the parameters" in out  # float64 already


def test_check_help_explains_the_modes_and_the_exit_statuses(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = capsys.readouterr().out
    words = " ".join(out.split())
    for said in ("directional: along 4 random directions", "complex: the complex step", "--timeout SECONDS"):
        assert said in words
    assert re.search(r"exit status:\n  0 .*\n  1 .*\n  3 .*\n.*\n  2 ", out), out


def _sections(page: str) -> dict[str, str]:
    """The page's text under each heading id (up to the next heading of any level)."""
    text = (EXAMPLES.parent / page).read_text()
    parts = re.split(r"^#+ .*\{#([\w-]+)\}$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.parametrize("page", ["check-your-own.md", "check-your-own.zh.md"])
def test_the_command_lines_examples_sit_in_its_own_section_not_under_cannot_tell(page):
    """Every ``python -m nn check`` the page runs is shown under "From the command line" itself; the
    "Cannot tell" subsection once held two runs that end in FAIL (status 1), which read as its examples."""
    sections = _sections(page)
    runs = [name for name, text in sections.items() for _ in re.finditer(r'main\(\["check"', text)]
    assert runs
    assert set(runs) == {"from-the-command-line"}, runs
    assert "python -m nn check" not in sections["cannot-tell"]


@pytest.mark.parametrize(
    ("page", "timeout", "joined", "explained"),
    [
        ("check-your-own.md", "`--timeout` (default {:g} s)", ", ", "agree to a relative error of {} ({} in float32)"),
        ("check-your-own.zh.md", "`--timeout`（默认 {:g} 秒）", "、", "两者的相对误差在 {} 以内（float32 时为 {}）"),
    ],
)
def test_the_settings_the_page_states_are_the_codes(page, timeout, joined, explained):
    """The command's default --timeout, the sizes of the default inputs of an RNN or LSTM file, and the relative
    error within which a known mistake explains a block, as the page states them."""
    import inspect

    from nn import cli
    from nn.gradcheck.mistakes import MATCH
    from nn.gradcheck.sequence import default_inputs

    text = re.sub(r"\s+", " ", (EXAMPLES.parent / page).read_text())
    assert timeout.format(cli.TIMEOUT) in text
    defaults = inspect.signature(default_inputs).parameters
    sizes = joined.join(rf"\({name} = {defaults[name].default}\)" for name in ("n_x", "n_a", "n_y", "m", "T_x"))
    assert sizes in text, sizes
    typed = [f"{MATCH[np.dtype(dtype)]:.0e}".replace("e-0", "e-") for dtype in (np.float64, np.float32)]
    assert explained.format(*typed) in text, typed


@pytest.mark.parametrize("page", ["check-your-own.md", "check-your-own.zh.md"])
def test_every_example_file_the_page_shows_is_run_by_a_test_file_it_names(page):
    """The page says which test files run its examples: each docs/examples file it includes or names is run there."""
    text = (EXAMPLES.parent / page).read_text()
    opening = text[: text.index("\n## ")]
    named = set(re.findall(r"`(tests/test_\w+\.py)`", opening))
    assert "tests/test_check_your_own.py" in named
    running = "\n".join((EXAMPLES.parents[1] / name).read_text() for name in named)
    for example in set(re.findall(r"docs/examples/(\w+)\.py", text)):
        assert re.search(rf"\b{example}\.py\b", running), example


@pytest.mark.parametrize(
    ("page", "said"),
    [
        ("check-your-own.md", r"when the bound itself is more than \({}\) of the gradient"),
        ("check-your-own.zh.md", r"但如果误差界本身超过了梯度的 \({}\)"),
    ],
)
def test_the_page_gives_the_noise_floor_above_which_a_block_cannot_be_told(page, said):
    """A block whose noise bound is above nn.gradcheck.estimates.FLOOR of its gradient is `cannot tell`; the page
    gives that share as a power of ten."""
    from nn.gradcheck.estimates import FLOOR

    text = page_text(page)
    assert said.format(f"10^{{{round(np.log10(FLOOR))}}}") in text
