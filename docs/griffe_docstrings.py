r"""Griffe extension: read the project's docstrings as the Markdown that mkdocstrings renders.

The docstrings follow Google style but keep a few habits from Sphinx and LaTeX, rewritten here
before parsing:

- an ``Example:`` heading (Google style's section is ``Examples:``; otherwise the doctest's
  ``>>>`` lines render as nested quotes);
- roles such as ``:func:`get``` (shown as code) and ``:math:`x``` (inline math);
- display math ``\[ … \]`` written right after a line of text or another display: in Markdown,
  arithmatex only sees display math that is a paragraph of its own, so blank lines are added.
"""

from __future__ import annotations

import re

import griffe

EXAMPLE_HEADING = re.compile(r"^(\s*)Example:\s*$", re.MULTILINE)
MATH_ROLE = re.compile(r":math:`([^`]+)`")
CODE_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|attr|data|obj|exc|const):`~?([^`]+)`")
DISPLAY_START = re.compile(r"(?<=\S)[ \t]*\n([ \t]*\\\[)")  # a line opening \[ right after a non-blank line
DISPLAY_END = re.compile(r"(\\\][ \t]*\n)(?=[ \t]*\S)")  # a line closing \] right before a non-blank line


class SphinxHabits(griffe.Extension):
    """Rewrite each docstring once it is loaded (``on_object`` skips the root package, hence both hooks)."""

    def on_instance(self, *, obj: griffe.Object, **kwargs) -> None:
        self.on_object(obj=obj)

    def on_object(self, *, obj: griffe.Object, **kwargs) -> None:
        """The rewrites are idempotent, so an object seen by both hooks is rewritten once in effect."""
        if obj.docstring is None:
            return
        text = EXAMPLE_HEADING.sub(r"\1Examples:", obj.docstring.value)
        text = MATH_ROLE.sub(r"\\(\1\\)", text)
        text = DISPLAY_END.sub(r"\1\n", DISPLAY_START.sub(r"\n\n\1", text))
        obj.docstring.value = CODE_ROLE.sub(r"`\1`", text)
