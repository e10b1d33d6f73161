"""The mutation catalogue speaks both languages, and its two pages show what the last run recorded.

Each mutant's description (``words`` and ``words_zh``, side by side where the mutant is defined),
each survivor reason and category, and every word of the generated tables has a Chinese twin. The
pages' generated parts are rewritten here from ``tests/mutations.json`` in memory and compared with
the committed pages, so a description changed without ``python -m tests.mutations --render`` fails;
running no mutant, this takes milliseconds.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import re

import mutations
import pytest
from support import NUMBER_WORDS, joined, stated
from test_translations import untranslated

from derivations.core import Text
from nn.gradcheck import mistakes

RECORD = json.loads(mutations.RECORD.read_text())


@pytest.mark.parametrize("mutant", mutations.MUTANTS, ids=lambda mutant: mutant.name)
def test_every_mutant_is_described_in_chinese(mutant):
    """The known mistakes of nn/gradcheck/mistakes.py and the catalogue's own mutants alike."""
    problem = untranslated(Text(mutant.words, mutant.words_zh))
    assert problem is None, f"mutant {mutant.name}: {problem}; give it words_zh beside its words"
    assert (mutant.described("en"), mutant.described("zh")) == (mutant.words, mutant.words_zh)


@pytest.mark.parametrize(
    "explained", mutations.SURVIVORS, ids=lambda explained: re.sub(r"\W+", "_", explained.change).strip("_")
)
def test_every_survivor_reason_and_its_category_are_chinese(explained):
    assert explained.category in mutations.CATEGORIES, f"unknown category {explained.category!r}"
    for text in (explained.why, mutations.CATEGORIES[explained.category]):
        assert untranslated(text) is None, f"survivor reason {explained.function}: {untranslated(text)}"


@pytest.mark.parametrize(
    ("name", "text"), [*mutations.WORDS.items(), *mutations.STATUS_WORDS.items()], ids=lambda value: str(value)[:20]
)
def test_every_word_of_the_generated_parts_is_chinese(name, text):
    assert untranslated(text) is None, f"{name}: {untranslated(text)}"


def test_a_mutant_is_described_only_in_english_or_chinese():
    with pytest.raises(ValueError, match="described in en and zh"):
        mutations.MUTANTS[0].described("fr")


@pytest.mark.parametrize("lang", mutations.PAGES)
def test_the_committed_page_shows_what_the_record_holds(lang):
    """The generated parts as ``python -m tests.mutations --render`` would write them from the record."""
    page = mutations.PAGES[lang].read_text()
    assert page == mutations.rewritten(page, RECORD, lang), (
        f"{mutations.PAGES[lang].name} is not what the catalogue writes: run python -m tests.mutations --render"
    )


@pytest.mark.parametrize("lang", mutations.PAGES)
def test_rendering_rewrites_the_generated_parts_and_keeps_the_prose(lang):
    page = mutations.PAGES[lang].read_text()
    stale = page
    for name in mutations.PARTS:
        begin, end = mutations.BEGIN.format(name), mutations.END.format(name)
        stale = re.sub(f"{re.escape(begin)}\n.*?\n{re.escape(end)}", f"{begin}\nstale\n{end}", stale, flags=re.S)
    assert stale.count("stale") == len(mutations.PARTS)
    assert mutations.rewritten(stale, RECORD, lang) == page  # the prose around the parts is the page's own


def test_a_page_without_a_generated_part_stops_the_rendering():
    page = mutations.PAGES["en"].read_text().replace(mutations.END.format("catalogue"), "")
    with pytest.raises(SystemExit, match="generated part 'catalogue'"):
        mutations.rewritten(page, RECORD, "en")


def test_readme_counts_the_mutants_as_the_record_holds_them():
    readme = (mutations.ROOT / "README.md").read_text(encoding="utf-8")
    killed, run = stated(readme, r"(\d+) of (\d+) mutants killed")
    assert int(run) == len(mutations.MUTANTS) == len(RECORD["mutants"])
    assert int(killed) == sum(result["killed"] for result in RECORD["mutants"].values())


@pytest.mark.parametrize("lang", mutations.PAGES)
def test_the_page_says_what_each_survivor_category_means(lang):
    """The sentence under "Why the survivors survive" counts the categories and names every one of them."""
    page = joined(mutations.PAGES[lang].read_text(), lang)
    pattern = r"The (\w+) categories mean: ([^\n]*)" if lang == "en" else r"(\w)个类别的含义是：([^\n]*)"
    number, meanings = stated(page, pattern)
    assert NUMBER_WORDS[lang].index(number) == len(mutations.CATEGORIES)
    for category in mutations.CATEGORIES.values():
        assert (category.zh if lang == "zh" else str(category)) in meanings, f"{lang}: {category} is not explained"


@pytest.mark.parametrize("lang", mutations.PAGES)
def test_the_page_says_which_modules_the_recorded_mutmut_run_leaves_out(lang):
    """The prose above the mutmut table counts the modules the record covers and those the command mutates, and
    names the ones the record lacks; once a run covers them all, the sentence has to go."""
    page = joined(mutations.PAGES[lang].read_text(), lang)
    recorded = list(RECORD["mutmut"]["counts"])
    missing = [module for module in mutations.MUTMUT_MODULES if module not in recorded]
    if not missing:
        assert "mutmut run is older" not in page, "the record covers every module"
        assert "mutmut 运行早于" not in page, "the record covers every module"
        return
    if lang == "en":
        old, now, named = stated(page, r"cover the (\w+) modules it names.*?--mutmut` mutates (\w+), (.*?) besides")
    else:
        old, now, named = stated(
            page, r"只涵盖其中列出的(\w)个模块.*?--mutmut` 对(\w)个模块做变异，除了这\w个，还有 (.*?)；"
        )
    assert NUMBER_WORDS[lang].index(old) == len(recorded)
    assert NUMBER_WORDS[lang].index(now) == len(mutations.MUTMUT_MODULES)
    assert re.findall(r"`nn/(\w+)\.py`", named) == missing


def test_a_record_that_misses_a_mutant_stops_the_rendering():
    data = copy.deepcopy(RECORD)
    del data["mutants"]["he-is-xavier"]
    data["mutants"]["gone"] = {"killed": True, "killer": ""}
    with pytest.raises(SystemExit, match="not run: he-is-xavier; no longer in MUTANTS: gone"):
        mutations.catalogue_part(data, "en")


def test_the_chinese_catalogue_is_chinese_and_says_the_same_of_each_mutant():
    data = copy.deepcopy(RECORD)
    data["mutants"]["he-is-xavier"]["killed"] = False
    english, chinese = (mutations.catalogue_part(data, lang) for lang in ("en", "zh"))
    assert chinese[0] == "| 变异体 | 文件 | 错误 | 推导 | 结果 | 杀死它的测试 |"
    assert len(english) == len(chinese) == len(mutations.MUTANTS) + 2
    for mutant, en, zh in zip(mutations.MUTANTS, english[2:], chinese[2:], strict=True):
        assert f"| {mutant.words_zh} |" in zh
        assert mutant.words not in zh
        assert en.split(" | ")[-1] == zh.split(" | ")[-1]  # the same killing test
    row = chinese[2 + [m.name for m in mutations.MUTANTS].index("he-is-xavier")]
    assert "| **存活** |" in row


def test_every_recorded_survivor_has_a_reason():
    """The page lists no survivor as unexplained: each matches one of SURVIVORS, whose text it shows."""
    survivors = [mutations.Survivor(**survivor) for survivor in RECORD["mutmut"]["survivors"]]
    assert survivors
    assert [s.name for s in survivors if s.explained() is None] == []
    chinese = "\n".join(mutations.survivors_part(RECORD, "zh"))
    for explained in {s.explained() for s in survivors}:
        assert f"**{mutations.CATEGORIES[explained.category].zh}**" in chinese
        assert explained.why.zh in chinese


def test_the_chinese_known_mistakes_table_of_check_your_own_is_chinese():
    """The exec block of docs/check-your-own.zh.md, run as the docs build runs it."""
    page = (mutations.ROOT / "docs" / "check-your-own.zh.md").read_text()
    blocks = re.findall(r'```python exec="on"[^\n]*\n(.*?)```', page, flags=re.S)
    block = next(block for block in blocks if "mistakes.MISTAKES" in block)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(block, {})
    rows = printed.getvalue().splitlines()[2:]
    assert len(rows) == len(mistakes.MISTAKES)
    for mutant, row in zip(mistakes.MISTAKES, rows, strict=True):
        assert f"| {mutant.words_zh} |" in row
        assert mutant.words not in row
