"""The worked examples reproduce the numbers their pages show, in English and in Chinese.

``python -m nn figures`` writes the tables that docs/experiments/ includes; the slow test writes
them afresh and compares them with the committed ones, so a page cannot show a number the
code no longer gives. About two minutes of CPU time (the square-error rerun alone steps
2 × 500000 epochs), so it is marked slow (it still runs in CI); drawing the Chinese figures
needs a CJK font (Debian's fonts-noto-cjk). Every figure and table exists in both languages,
with the words of each module in one table; the quick tests check those tables, and two slow ones the font rules.
"""

from __future__ import annotations

import re
import string
import warnings
from pathlib import Path

import pytest

from derivations.core import CJK
from nn.cli import main
from nn.experiments import EXAMPLES, plots
from nn.experiments.words import LANGUAGES, localized

IMG = Path(__file__).resolve().parents[1] / "docs" / "experiments" / "img"
WORD_TABLES = {module.__name__: module.WORDS for module in (*EXAMPLES, plots)}


@pytest.mark.slow
def test_figures_command_reproduces_every_committed_table(tmp_path, capsys):
    assert main(["figures", str(tmp_path)]) == 0
    committed = sorted(path.name for path in IMG.glob("*.txt"))
    assert committed == sorted(path.name for path in tmp_path.glob("*.txt"))
    assert any(name.endswith(".zh.txt") for name in committed), "the Chinese tables are compared too"
    for name in committed:
        assert (tmp_path / name).read_text() == (IMG / name).read_text(), f"{name} no longer matches its page"
    assert sorted(path.name for path in IMG.glob("*.png")) == sorted(path.name for path in tmp_path.glob("*.png"))


def test_every_committed_figure_and_table_has_its_chinese_twin():
    names = {path.name for path in IMG.iterdir()}
    english = {name for name in names if ".zh." not in name}
    assert english, "docs/experiments/img holds the examples' files"
    assert {localized(name, "zh") for name in english} == names - english


def _fields(text: str) -> list[tuple[str, str, str | None]]:
    return sorted((name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text) if name)


@pytest.mark.parametrize("module", sorted(WORD_TABLES))
def test_every_word_of_an_example_has_its_chinese_with_the_same_numbers(module):
    table = WORD_TABLES[module]
    assert set(table) == set(LANGUAGES)
    assert table["zh"].keys() == table["en"].keys()
    for key, english in table["en"].items():
        chinese = table["zh"][key]
        # the fields (and their formats) are the numbers: the same in both languages
        assert _fields(chinese) == _fields(english), f"{module} {key!r}: {chinese!r} formats other numbers"
        if re.search(r"[A-Za-z]{3,}", re.sub(r"\{[^}]*\}", "", english)):  # English words to translate
            # a label that is a name (Xavier, dropout) may keep its Latin letters once its punctuation is Chinese
            assert CJK.search(chinese) or chinese != english, f"{module} {key!r} is not translated"


@pytest.mark.slow  # imports matplotlib: about a second in a fresh worker
def test_a_missing_cjk_font_stops_the_figures_command_before_training_and_names_the_package(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(plots, "CJK_FONTS", ("No Such Font SC",))
    assert main(["figures", str(tmp_path / "img")]) == 1
    assert "apt-get install -y fonts-noto-cjk" in capsys.readouterr().err
    assert not (tmp_path / "img").exists(), "nothing is trained or written without the font"
    with pytest.raises(plots.MissingFontError, match="fonts-noto-cjk"), plots.drawing("zh"):
        pass


@pytest.mark.slow  # imports matplotlib: about a second in a fresh worker
def test_a_character_no_font_has_is_an_error_not_a_box(tmp_path):
    with plots.drawing("en") as plt:  # DejaVu Sans alone: no Chinese characters
        fig, ax = plt.subplots(figsize=(1, 1))
        ax.set_title("代价")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # save's own rule, not pytest's filterwarnings, must refuse it
            with pytest.raises(UserWarning, match=r"Glyph .* missing"):
                plots.save(fig, tmp_path / "boxes.png")
    plt.close(fig)
    assert not (tmp_path / "boxes.png").exists()


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="en, zh"):
        localized("planar-cost.png", "fr")
