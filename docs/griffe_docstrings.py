r"""Griffe extension: read the project's docstrings as the Markdown that mkdocstrings renders.

The docstrings follow Google style but keep a few habits from Sphinx and LaTeX, rewritten here
before parsing:

- an ``Example:`` heading (Google style's section is ``Examples:``; otherwise the doctest's
  ``>>>`` lines render as nested quotes);
- roles such as ``:func:`get``` (shown as code) and ``:math:`x``` (inline math);
- display math ``\[ … \]`` written right after a line of text or another display: in Markdown,
  arithmatex only sees display math that is a paragraph of its own, so blank lines are added.

It also puts each object's Chinese summary before its docstring, as a paragraph of class
``doc-summary-zh``; the English pages drop that paragraph (``docs/language_links.py``), the Chinese
pages show it above the English docstring. The summary is the object's line in
``reference/summaries.zh.yml`` (keyed by the object's path), or, for a class that carries its own
Chinese summary for other pages (an activation's ``summary_zh``), that attribute.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import griffe
import yaml

EXAMPLE_HEADING = re.compile(r"^(\s*)Example:\s*$", re.MULTILINE)
MATH_ROLE = re.compile(r":math:`([^`]+)`")
CODE_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|attr|data|obj|exc|const):`~?([^`]+)`")
DISPLAY_START = re.compile(r"(?<=\S)[ \t]*\n([ \t]*\\\[)")  # a line opening \[ right after a non-blank line
DISPLAY_END = re.compile(r"(\\\][ \t]*\n)(?=[ \t]*\S)")  # a line closing \] right before a non-blank line
CHINESE_SUMMARIES = Path(__file__).resolve().parent / "reference" / "summaries.zh.yml"
#: attr_list's mark on the Chinese summary's paragraph (``language_links.OTHER_LANGUAGE`` finds it).
CHINESE_MARK = '{: .doc-summary-zh lang="zh" }'
#: libyaml's safe parser where PyYAML was built with it: the same mapping in a tenth of the pure-Python parser's
#: time (60 ms for the summaries), which each build and each test that loads the extension pays.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def chinese_summaries() -> dict[str, str]:
    """Object path -> its Chinese summary line, from ``reference/summaries.zh.yml``."""
    return yaml.load(CHINESE_SUMMARIES.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}


def own_summary(obj: griffe.Object) -> str | None:
    """The Chinese summary a class carries itself (its ``summary_zh`` attribute, a string literal), if any."""
    attribute = obj.members.get("summary_zh") if obj.is_class else None
    if attribute is None or attribute.is_alias or attribute.value is None:
        return None
    try:
        value = ast.literal_eval(str(attribute.value))
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


class SphinxHabits(griffe.Extension):
    """Rewrite each docstring once it is loaded (``on_object`` skips the root package, hence both hooks)."""

    def __init__(self) -> None:
        super().__init__()
        self.summaries = chinese_summaries()  # read again by each build, so `mkdocs serve` sees an edit

    def on_instance(self, *, obj: griffe.Object, **kwargs) -> None:
        self.on_object(obj=obj)

    def on_object(self, *, obj: griffe.Object, **kwargs) -> None:
        """The rewrites are idempotent, so an object seen by both hooks is rewritten once in effect."""
        summary = self.summaries.get(obj.path) or own_summary(obj)
        if obj.docstring is None:
            if not summary:
                return
            obj.docstring = griffe.Docstring("", parent=obj)  # shown for its members: it has a Chinese summary
        text = EXAMPLE_HEADING.sub(r"\1Examples:", obj.docstring.value)
        if summary and CHINESE_MARK not in text:
            text = f"{summary}\n{CHINESE_MARK}\n\n{text}"
        text = MATH_ROLE.sub(r"\\(\1\\)", text)
        text = DISPLAY_END.sub(r"\1\n", DISPLAY_START.sub(r"\n\n\1", text))
        obj.docstring.value = CODE_ROLE.sub(r"`\1`", text)
