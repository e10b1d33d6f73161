"""check_rnn and check_lstm check course-style RNN and LSTM code and name the known mistake it makes.

The learner's code is ``tests/course_code.py``, written apart from ``nn``; the diagnosis runs nn's
backward pass through time with each known mistake of ``nn/rnn.py`` applied, so a match is two
independent pieces of code agreeing on the same wrong gradients.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import numpy as np
import pytest
from course_code import lstm_backward, lstm_forward, rnn_backward, rnn_forward
from support import assert_diagnosed, assert_diagnosis_line, joined

from nn import rnn
from nn.cli import main
from nn.gradcheck import check_lstm, check_rnn, mistakes
from nn.gradcheck.sequence import default_inputs

BY_NAME = {mutant.name: mutant for mutant in mistakes.MISTAKES}

#: check-your-own in each language, each paragraph on one line
PAGE = {lang: joined((Path(__file__).resolve().parents[1] / "docs" / name).read_text(), lang)
        for lang, name in (("en", "check-your-own.md"), ("zh", "check-your-own.zh.md"))}  # fmt: skip


def _rnn(seed=0, n_x=2, n_a=3, n_y=2, m=3, T=4):
    rng = np.random.default_rng(seed)
    p = {"Wax": rng.normal(size=(n_a, n_x)), "Waa": rng.normal(size=(n_a, n_a)) / 2, "Wya": rng.normal(size=(n_y, n_a))}
    p |= {"ba": rng.normal(size=(n_a, 1)), "by": np.zeros((n_y, 1))}
    return rng.normal(size=(n_x, m, T)), rng.normal(size=(n_a, m)), p


def _lstm(seed=0, n_x=2, n_a=3, n_y=2, m=3, T=4):
    rng = np.random.default_rng(seed)
    p = {f"{w}{g}": rng.normal(size=(n_a, n_a + n_x) if w == "W" else (n_a, 1)) for g in "fico" for w in "Wb"}
    p |= {"Wy": rng.normal(size=(n_y, n_a)), "by": np.zeros((n_y, 1))}
    return rng.normal(size=(n_x, m, T)), rng.normal(size=(n_a, m)), p


def rnn_case(mistake, **options):
    return check_rnn(rnn_forward, rnn_backward(mistake), *_rnn(), **options)


def lstm_case(mistake, **options):
    return check_lstm(lstm_forward, lstm_backward(mistake), *_lstm(), **options)


CASES = [  # (the learner's mistake, how it is checked, the known mistake the diagnosis must name)
    ("forgot-da_prev", rnn_case, "rnn-backward-forgets-da_prev"),
    ("dtanh-from-a_prev", rnn_case, "rnn-dtanh-from-a_prev"),
    ("dc_prev-without-f", lstm_case, "lstm-dc_prev-without-f"),
    ("dc_prev-without-tanh-path", lstm_case, "lstm-dc_prev-without-tanh-path"),
]


def test_every_known_mistake_of_the_sequence_models_has_a_case():
    sequence = {name for name, mutant in BY_NAME.items() if mutant.file == "nn/rnn.py"}
    assert {name for *_, name in CASES} == sequence


@pytest.mark.parametrize(("learner", "checked", "name"), CASES, ids=[case[2] for case in CASES])
def test_the_diagnosis_names_the_mistake_and_its_derivation(learner, checked, name):
    assert_diagnosed(checked(learner), name)


@pytest.mark.parametrize("checked", [rnn_case, lstm_case], ids=["rnn", "lstm"])
def test_correct_code_passes_with_no_diagnosis(checked):
    report = checked("", mode="directional")
    assert report.passed, str(report)
    assert report.derivation is None


def test_a_wrong_gradient_that_no_known_mistake_gives_is_not_diagnosed():
    def halved(da, caches):
        return {key: value / 2 for key, value in rnn_backward()(da, caches).items()}

    report = check_rnn(rnn_forward, halved, *_rnn())
    assert not report.passed
    assert report.derivation is None


def test_the_learner_forward_must_be_the_course_network():
    def forward(x, a0, parameters):
        a, y, caches = rnn_forward(x, a0, parameters)
        return 2 * a, y, caches

    with pytest.raises(ValueError, match=r"rnn_forward's a\[0, 0, 0\] = .* but the course's equations give"):
        check_rnn(forward, rnn_backward(), *_rnn())


@pytest.mark.parametrize(
    ("forward", "backward", "message"),
    [
        (lambda x, a0, p: rnn.rnn_forward(x, a0, p)[:2], rnn.rnn_backward, r"must return \(a, y_pred, caches\)"),
        (
            rnn.rnn_forward,
            lambda da, caches: {"dx": 0},
            "rnn_backward must return a dict with dWax, dWaa, dba, dx, da0",
        ),
    ],
)
def test_learner_functions_that_return_something_else_are_clear_errors(forward, backward, message):
    with pytest.raises(ValueError, match=message):
        check_rnn(forward, backward, *_rnn())


def test_bad_inputs_are_reported_by_nn_validation():
    x, a0, parameters = _lstm()
    del parameters["Wo"]
    with pytest.raises(ValueError, match="parameters lacks Wo"):
        check_lstm(lstm_forward, lstm_backward(), x, a0, parameters)
    with pytest.raises(ValueError, match=r"da has shape \(3, 3\) but a is \(3, 3, 4\)"):
        check_rnn(rnn_forward, rnn_backward(), *_rnn(), da=np.ones((3, 3)))


@pytest.mark.parametrize(
    ("options", "message"),
    [({"n_a": 0}, "n_a = 0"), ({"T_x": -1}, "T_x = -1"), ({"m": 2.5}, "m = 2.5"), ({"n_x": True}, "n_x = True")],
)
def test_default_inputs_of_no_size_are_refused_by_the_rule(options, message):
    """A negative or fractional size met numpy's "negative dimensions are not allowed" or "'float' object cannot be
    interpreted as an integer"; n_a = 0 gave empty parameters."""
    for kind in ("rnn", "lstm"):
        with pytest.raises(ValueError, match=rf"^{message}: each size of the default inputs \(n_x, n_a, n_y, m, T_x\)"):
            default_inputs(kind, **options)
    with pytest.raises(ValueError, match=r"^seed = -1: the seed of the default inputs must be an integer >= 0"):
        default_inputs("rnn", seed=-1)


def test_the_planted_lstm_example_of_check_your_own_is_diagnosed():
    """docs/examples/lstm_planted.py, shown on the check-your-own page, fails with its planted mistake named."""
    planted = runpy.run_path(str(Path(__file__).resolve().parents[1] / "docs" / "examples" / "lstm_planted.py"))
    report = check_lstm(
        planted["lstm_forward"], planted["lstm_backward"], planted["x"], planted["a0"], planted["parameters"]
    )
    assert not report.passed
    assert report.diagnosis.startswith(BY_NAME["lstm-dc_prev-without-tanh-path"].words)


# --- python -m nn check FILE.py on a learner's RNN or LSTM file ---------------------------------------

#: A learner's file: the course's functions, from course_code with ``mistake`` planted; no inputs, so the
#: check runs on the default ones.
LEARNER_FILE = """
from course_code import {network}_forward, {network}_backward as planted
{network}_backward = planted({mistake!r})
"""


def run_check(capsys, monkeypatch, tmp_path, text, *options):
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent))
    path = tmp_path / "learner.py"
    path.write_text(text)
    status = main(["check", str(path), *options])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    ("network", "mistake", "status", "named"),
    [
        ("rnn", "", 0, None),
        ("rnn", "forgot-da_prev", 1, "rnn-backward-forgets-da_prev"),
        ("lstm", "", 0, None),
        ("lstm", "dc_prev-without-f", 1, "lstm-dc_prev-without-f"),
    ],
)
def test_the_cli_checks_a_learners_rnn_or_lstm_file(capsys, monkeypatch, tmp_path, network, mistake, status, named):
    text = LEARNER_FILE.format(network=network, mistake=mistake)
    options = ("--mode", "directional") if named is None else ()  # a pass needs no entry-by-entry search
    code, out, err = run_check(capsys, monkeypatch, tmp_path, text, *options)
    assert (code, err) == (status, "")
    rows = ("Wax", "Waa", "ba") if network == "rnn" else ("Wf", "bf", "Wo", "bo")
    if named is None:
        assert "PASS" in out
        assert "diagnosis" not in out
        assert "gradient check (directional" in out
    else:
        assert all(f"\n  {row} " in out for row in (*rows, "x", "a0")), out
        mutant = BY_NAME[named]
        assert f"diagnosis: {mutant.words}" in out
        assert f"contradicts {mutant.derivation}" in out


def test_the_cli_checks_the_kind_asked_for_in_a_file_that_defines_both(capsys, monkeypatch, tmp_path):
    text = LEARNER_FILE.format(network="rnn", mistake="") + LEARNER_FILE.format(
        network="lstm", mistake="dc_prev-without-f"
    )
    code, out, _ = run_check(capsys, monkeypatch, tmp_path, text, "--kind", "rnn", "--mode", "directional")
    assert code == 0  # the RNN is correct
    code, out, _ = run_check(capsys, monkeypatch, tmp_path, text)  # both, each under its name
    assert code == 1
    assert "rnn:" in out, out
    assert "lstm:" in out, out
    assert f"diagnosis: {BY_NAME['lstm-dc_prev-without-f'].words}" in out
    code, out, _ = run_check(capsys, monkeypatch, tmp_path, text, "--kind", "lstm")
    assert code == 1
    assert f"diagnosis: {BY_NAME['lstm-dc_prev-without-f'].words}" in out


def test_the_cli_uses_the_files_own_inputs_and_says_when_complex_cannot_check(capsys, monkeypatch, tmp_path):
    inputs = "import numpy as np\nx, a0 = np.ones((2, 3, 4)), np.ones((5, 3))\nparameters = {}\n"
    code, _, err = run_check(capsys, monkeypatch, tmp_path, LEARNER_FILE.format(network="rnn", mistake="") + inputs)
    assert code == 2
    assert "parameters lacks" in err
    text = LEARNER_FILE.format(network="lstm", mistake="")
    code, _, err = run_check(capsys, monkeypatch, tmp_path, text, "--mode", "complex")
    assert code == 2
    assert "mode='complex' cannot check lstm_backward" in err
    code, _, err = run_check(capsys, monkeypatch, tmp_path, text, "--kind", "rnn")
    assert code == 2
    assert "does not define rnn_forward, rnn_backward, which a file of kind 'rnn' defines" in err


def test_a_file_with_only_some_of_its_inputs_is_refused_rather_than_checked_on_default_ones(
    capsys, monkeypatch, tmp_path
):
    text = LEARNER_FILE.format(network="rnn", mistake="") + "import numpy as np\nx = np.ones((2, 3, 4))\n"
    code, _, err = run_check(capsys, monkeypatch, tmp_path, text)
    assert code == 2
    assert "defines x but not a0, parameters: define all of x, a0 and parameters" in err
    code, _, err = run_check(capsys, monkeypatch, tmp_path, text, "--lang", "zh")
    assert code == 2
    assert "文件定义了 x，却没有定义 a0、parameters：要在自己的输入上检验，就把 x、a0 和 parameters 都定义出来" in err


# --- two mistakes in one backward pass ------------------------------------------------------------------------


def test_an_rnn_with_both_known_mistakes_has_them_named_together_in_both_languages():
    """da_prev forgotten between the steps and tanh′ from a⟨t−1⟩: each block is what neither gives alone and
    the two give together, made at once in nn's rnn_backward and the step it calls."""
    report = rnn_case("forgot-da_prev+dtanh-from-a_prev")
    pair = ("rnn-backward-forgets-da_prev", "rnn-dtanh-from-a_prev")
    assert_diagnosis_line(report, [], [(pair, ("Wax", "Waa", "ba", "x", "a0"))])
    assert (
        "An `rnn_backward` that passes each step `da[:, :, t]` alone and takes tanh′ from a⟨t−1⟩ gets every "
        "block named as those two together." in PAGE["en"]
    )
    assert (
        "如果 `rnn_backward` 每一步只传入 `da[:, :, t]`，又用 a⟨t−1⟩ 来算 tanh′，"
        "每个参数块都会被指出是这两个错误合在一起给出的。" in PAGE["zh"]
    )


#: the two known mistakes docs/examples/rnn_two_mistakes.py makes, and the blocks they give together
RNN_PAIR = (("rnn-backward-forgets-da_prev", "rnn-dtanh-from-a_prev"), ("Wax", "Waa", "ba", "x", "a0"))


@pytest.fixture(scope="module")
def rnn_two_mistakes():
    """check_rnn's report on docs/examples/rnn_two_mistakes.py and its own inputs, run once for both pages."""
    two = runpy.run_path(str(Path(__file__).resolve().parents[1] / "docs" / "examples" / "rnn_two_mistakes.py"))
    return check_rnn(two["rnn_forward"], two["rnn_backward"], two["x"], two["a0"], two["parameters"])


@pytest.mark.parametrize(("page", "lang"), [("check-your-own.md", "en"), ("check-your-own.zh.md", "zh")])
def test_each_page_shows_the_rnn_with_two_mistakes_named_as_the_pair(rnn_two_mistakes, page, lang):
    """docs/examples/rnn_two_mistakes.py: da_prev forgotten and tanh′ from a⟨t−1⟩, on the file's own inputs. What
    the page shows in each language is the report check_rnn prints for the file now, and, as the page says, no one
    mistake gives any of the five blocks and the pair gives all five."""
    from support import diagnosis_line, shown

    report = rnn_two_mistakes
    assert_diagnosis_line(report, [], [RNN_PAIR])
    printed = shown(page, "rnn_two_mistakes.py")
    assert printed == report.text(lang) + "\n"
    assert f"  {'diagnosis: ' if lang == 'en' else '诊断：'}{diagnosis_line([], [RNN_PAIR], lang)}\n" in printed
    said = {
        "en": "Neither mistake alone gives any of the five blocks; the two together give all five.",
        "zh": "单独哪一个错误都给不出这五个参数块中的任何一个；两个错误合在一起，才给出全部五个参数块。",
    }
    assert said[lang] in PAGE[lang]


def test_the_rnn_with_two_mistakes_gives_the_course_style_codes_gradients_with_both_planted():
    """docs/examples/rnn_two_mistakes.py against tests/course_code.py, written apart, with both mistakes planted:
    the same gradients, each from its own forward pass; with one of them, or none, other ones in every block."""
    two = runpy.run_path(str(Path(__file__).resolve().parents[1] / "docs" / "examples" / "rnn_two_mistakes.py"))
    x, a0, parameters = two["x"], two["a0"], two["parameters"]
    da = np.random.default_rng(2).normal(size=(a0.shape[0], *x.shape[1:]))
    learner = two["rnn_backward"](da, two["rnn_forward"](x, a0, parameters)[2])
    caches = rnn_forward(x, a0, parameters)[2]
    for mistake in ("forgot-da_prev+dtanh-from-a_prev", "forgot-da_prev", "dtanh-from-a_prev", ""):
        course = rnn_backward(mistake)(da, caches)
        same = {key: np.allclose(learner[key], course[key], rtol=1e-12, atol=0) for key in course}
        assert set(same.values()) == {"+" in mistake}, (mistake, same)


def test_an_lstm_whose_dc_prev_makes_both_known_mistakes_is_named_as_the_one_it_equals():
    """As check-your-own says: both known LSTM mistakes rewrite the one expression of dc_prev in nn's step, so
    they make no pair; written both at once, dc_prev = dc_next is 0 at every step (dc is 0 after the last one),
    as without the path through tanh(c) alone, and is named as that one."""
    pair = [BY_NAME["lstm-dc_prev-without-f"], BY_NAME["lstm-dc_prev-without-tanh-path"]]
    for made in (pair, pair[::-1]):
        with pytest.raises(LookupError, match="occurs 0 times"):
            mistakes.mutated_together(made)
    report = lstm_case("dc_prev-without-f+dc_prev-without-tanh-path")
    blocks = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo", "x", "a0")
    assert_diagnosis_line(report, [("lstm-dc_prev-without-tanh-path", blocks)], [])
    assert (
        "The LSTM's two known mistakes both rewrite the one expression of dc_prev, so they never make a pair. "
        "Written both at once, dc_prev = dc_next is 0 at every step (dc is 0 after the last step), as it is without "
        "the path through tanh(c) alone, and it is named as that one." in PAGE["en"]
    )
    assert (
        "LSTM 的两个已知错误改写的是 dc_prev 的同一个表达式，所以做不成一对。"
        "两个错误同时写进代码，就是 dc_prev = dc_next，它在每一步都是 0（最后一步之后 dc 为 0），"
        "和只漏了经过 tanh(c) 的路径时一样，所以会被指出是这一个错误。" in PAGE["zh"]
    )


@pytest.mark.parametrize(("kind", "check", "backward"), [("rnn", check_rnn, rnn_backward), ("lstm", check_lstm, None)])
def test_a_da_of_zeros_is_refused_since_every_gradient_would_be_0(kind, check, backward):
    """With da = 0 every gradient of Σ⟨a, da⟩ is 0, and so is a backward that is wrong but linear in da (the da
    of each step dropped, say): the check would pass without comparing anything."""
    x, a0, parameters = default_inputs(kind)
    forward = rnn_forward if kind == "rnn" else lstm_forward
    backward = backward or lstm_backward
    with pytest.raises(ValueError, match=f"da is all zeros: every gradient of J .* is then 0, and so is a wrong "
                                         f"{kind}_backward that is linear in da") as caught:  # fmt: skip
        check(forward, lambda da, caches: {key: 2 * value for key, value in backward(da, caches).items()},
              x, a0, parameters, da=np.zeros((3, 3, 4)))  # fmt: skip
    assert "da 全为零" in caught.value.text("zh")
