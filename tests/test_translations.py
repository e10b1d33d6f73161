"""Every piece of the derivations' prose carries its Chinese twin, so nothing lands in English only.

Prose is a ``Text``: the English string with a ``.zh``. A plain ``str`` where prose belongs, an
empty ``.zh``, a ``.zh`` without a single Chinese character, or one that copies the English is
reported here with where it sits: the derivation's key and the place ``Derivation.texts()`` names
(``steps[2]``…), an activation's summary, a kink's reason, a claim's verdict.
"""

from __future__ import annotations

import copy
import pickle

import pytest

import derivations
from derivations import activations, claims
from derivations.__main__ import main
from derivations.core import Text, not_chinese, say


def untranslated(text: object) -> str | None:
    """Why ``text`` is not English with a Chinese twin, or None when it is."""
    if not isinstance(text, Text):
        return f"a plain {type(text).__name__}, not Text(en, zh): {text!r}"
    return not_chinese(str(text), text.zh)


def assert_translated(text: object, where: str) -> None:
    problem = untranslated(text)
    assert problem is None, f"{where}: {problem}; write it as Text(English, Chinese) where it is defined"


@pytest.mark.parametrize(
    ("text", "problem"),
    [("Chain rule.", "plain str"), (Text("Chain rule.", ""), "no Chinese"),
     (Text("Chain rule.", "Chain rule!"), "no Chinese characters"), (Text("链式法则", "链式法则"), "copies")],
)  # fmt: skip
def test_untranslated_names_what_is_missing(text, problem):
    assert problem in untranslated(text)
    assert untranslated(Text("Chain rule.", "链式法则。")) is None


def test_a_text_survives_pickling_and_copying():
    """``--jobs`` sends results between processes by pickle: the Chinese twin must travel with the English."""
    note = Text("Chain rule.", "链式法则。")
    copies = [pickle.loads(pickle.dumps(note, protocol)) for protocol in range(pickle.HIGHEST_PROTOCOL + 1)]
    for same in [*copies, copy.copy(note), copy.deepcopy(note)]:
        assert type(same) is Text
        assert (str(same), same.zh) == ("Chain rule.", "链式法则。")


@pytest.mark.parametrize("key", derivations.keys())
def test_every_piece_of_prose_is_chinese(key):
    """Title, statement, hypotheses, step notes and the result's note of every registered derivation."""
    for where, text in derivations.get(key).texts():
        assert_translated(text, f"{key}: {where}")


@pytest.mark.parametrize("name", activations.names())
def test_every_activation_summary_and_kink_reason_is_chinese(name):
    act = activations.get(name)
    assert_translated(act.summary, f"activation {name!r}: summary")
    for kink in act.kinks:
        assert_translated(kink.reason, f"activation {name!r}: reason of the kink at z = {kink.at}")


def test_an_activation_title_is_its_name_and_summary_in_each_language():
    act = activations.get("relu")
    title = act.derivation().title
    assert str(title) == f"relu: {act.summary}"
    assert say(title, "zh") == f"relu：{act.summary.zh}"


def test_every_verdict_is_shown_in_chinese():
    assert set(claims.SHOWN) == {claims.PROVED, claims.DISPROVED, claims.UNDECIDED}
    for verdict, shown in claims.SHOWN.items():
        assert_translated(shown, f"claim verdict {verdict!r}")
        assert claims.Claim(verdict, Text("reason", "理由")).shown == shown


@pytest.mark.parametrize(("name", "verdict"), [("relu", claims.PROVED), ("sigmoid", claims.DISPROVED)])
def test_a_claim_gives_its_reason_in_chinese(name, verdict):
    claim = claims.positive_exactly_where_z_is(activations.get(name))
    assert claim.verdict == verdict
    assert_translated(claim.reason, f"claim about {name}: reason")


KEYS = ["activation.relu", "activation.identity"]  # cheap to verify


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_command_names_a_numeric_check_that_is_not_finite_differences(capsys, lang):
    """conv.forward counts windows: the line says so, in each language, rather than "finite-difference"."""
    assert main(["--lang", lang, "-q", "--jobs", "1", "conv.forward"]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert say(derivations.get("conv.forward").numeric_check, lang) in line
    assert not any(words in line for words in ("finite-difference", "有限差分"))


def test_the_command_prints_chinese_with_lang_zh(capsys):
    assert main(["--lang", "zh", "-q", "--jobs", "1", *KEYS]) == 0
    quiet = capsys.readouterr().out
    assert quiet.splitlines()[-1].startswith("2 个推导中 2 个验证通过")
    assert [line.split()[1] for line in quiet.splitlines()[:-1]] == KEYS

    assert main(["--lang", "zh", "--jobs", "1", "activation.relu"]) == 0
    printed = capsys.readouterr().out
    d = derivations.get("activation.relu")
    for where, text in d.texts():
        if where == "result":  # the terminal prints the result's equation, not its note
            continue
        assert say(text, "zh") in printed
        assert str(text) not in printed
