"""The API reference reads in Chinese: every public module, class and function has a Chinese summary line.

The summaries live in one file, ``docs/reference/summaries.zh.yml``, one line per object keyed by
its path (``nn.train.train: 用梯度下降…训练网络…``); the griffe extension ``docs/griffe_docstrings.py``
puts each before its English docstring on the Chinese pages. The objects are found the way the
reference finds them (griffe reads the source; public names, ``__init__`` merged into its class),
so a new public function without its line fails here, with the line to add. The Chinese build
also fails on any object shown without one (``language_links.objects_without_summary``).
"""

from __future__ import annotations

import re
from pathlib import Path

import griffe
import pytest
from site_html import docs_module

from derivations.core import not_chinese

ROOT = Path(__file__).resolve().parents[1]
SUMMARIES = "docs/reference/summaries.zh.yml"
#: mkdocstrings' default filter: a name with one leading underscore is private.
PRIVATE = re.compile(r"^_[^_]")
SHOWN_KINDS = {griffe.Kind.MODULE, griffe.Kind.CLASS, griffe.Kind.FUNCTION}


extension = docs_module("griffe_docstrings")


def shown(obj: griffe.Object) -> list[griffe.Object]:
    """``obj`` and its public members as the API reference shows them: documented, or holding documented members."""
    members = [
        found
        for name, member in obj.members.items()
        if not member.is_alias and not PRIVATE.match(name) and name != "__init__" and member.kind in SHOWN_KINDS
        for found in shown(member)
    ]
    return [obj, *members] if obj.docstring or members else members


@pytest.fixture(scope="module")
def objects() -> dict[str, griffe.Object]:
    """Every module, class and function the reference shows, by path (read from the source, not imported)."""
    loader = griffe.GriffeLoader(search_paths=[str(ROOT)])
    found = {obj.path: obj for package in ("nn", "derivations") for obj in shown(loader.load(package))}
    assert len(found) >= 250, f"expected the whole API, found {len(found)} objects"
    return found


@pytest.fixture(scope="module")
def summaries() -> dict[str, str]:
    """The summaries file as the extension reads it, read once for the tests that check it."""
    return extension.chinese_summaries()


def test_every_public_object_has_a_chinese_summary(objects, summaries):
    missing = [path for path, obj in objects.items() if path not in summaries and extension.own_summary(obj) is None]
    assert not missing, (
        f"{len(missing)} public objects without a Chinese summary for the API reference: {missing}. Add one line "
        f"each to {SUMMARIES}, e.g. `{missing[0]}: <一句中文摘要>` (the English docstring follows it on the page); "
        "an activation class carries it as its summary_zh attribute instead"
    )


def test_every_summary_is_chinese_and_not_the_english(objects, summaries):
    problems = {}
    for path, summary in summaries.items():
        obj = objects.get(path)
        english = obj.docstring.value.split("\n\n")[0] if obj is not None and obj.docstring else ""
        problem = not_chinese(english, summary if isinstance(summary, str) else "")
        if problem:
            problems[path] = problem
    assert not problems, f"{SUMMARIES}: summaries that are not Chinese: {problems}"


def test_a_class_with_its_own_chinese_summary_has_no_second_one(objects, summaries):
    """An activation's ``summary_zh`` is its summary on the activations page and in the reference: one string."""
    own = {path for path, obj in objects.items() if extension.own_summary(obj) is not None}
    assert {"nn.activations.Softmax", "nn.activations.ReLU"} <= own
    twice = sorted(own & set(summaries))
    assert not twice, f"{SUMMARIES}: these classes carry their own summary_zh; delete their lines: {twice}"
    for path in own:
        assert not_chinese(objects[path].docstring.value.split("\n\n")[0], extension.own_summary(objects[path])) is None


def test_no_summary_names_an_object_the_reference_does_not_show(objects, summaries):
    stale = [path for path in summaries if path not in objects]
    assert not stale, (
        f"{SUMMARIES} has summaries of objects that are not public any more (renamed, removed or made "
        f"private): {stale}; move each to the object's new path or delete it"
    )


def test_the_extension_puts_the_summary_before_the_docstring_once():
    module = griffe.Module("demo")
    function = griffe.Function("step", docstring=griffe.Docstring("Take one step."), parent=module)
    module.set_member("step", function)
    habits = extension.SphinxHabits()
    habits.summaries = {"demo.step": "走一步。"}
    for _ in range(2):  # on_instance and on_object both see an object
        habits.on_object(obj=function)
    assert function.docstring.value == f"走一步。\n{extension.CHINESE_MARK}\n\nTake one step."


def test_a_class_shown_only_for_its_members_gets_its_summary():
    cls = griffe.Class("Problem")
    habits = extension.SphinxHabits()
    habits.summaries = {"Problem": "检验问题。"}
    habits.on_object(obj=cls)
    assert cls.docstring.value.startswith("检验问题。")
