r"""Markdown extension: a line break between two Chinese characters joins them instead of becoming a space.

Markdown keeps a paragraph's line breaks, and browsers draw a line break as a space. Between two
Latin words that space is right; between two Chinese characters (or a character and full-width
punctuation) it is a visible gap that Chinese text never has, since Chromium does not apply CSS
Text's rule that removes such breaks. This postprocessor removes exactly those breaks, outside
``<pre>``, ``<code>`` and ``<math>``; a break next to a Latin letter, a digit or a formula stays a space.
Full-width punctuation carries its own white space, so no space or break follows it either: not a
line break before Latin text, not the space after a bold lead-in (``**结论：** …``). Nor does any
precede a full-width opening bracket, even after a digit or a formula (``约为 2（…）``).

Example:
    >>> import markdown
    >>> markdown.markdown("**结论：** 反向传播的\n链式法则，\nand English\nstays.", extensions=[CJKExtension()])
    '<p><strong>结论：</strong>反向传播的链式法则，and English\nstays.</p>'
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
BREAK_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}])[ \t]*\n[ \t]*(?=[{CJK}])")
#: Full-width punctuation that closes or separates (not the curly quotes, which English shares).
FULL_WIDTH_PUNCTUATION = "，。、；：？！）》」』】〕"
#: White space after full-width punctuation, also past the end of an inline element (``**结论：** 文字``).
SPACE_AFTER_PUNCTUATION = re.compile(rf"(?<=[{FULL_WIDTH_PUNCTUATION}])((?:</(?:strong|em|b|i|a|span)>)*)[ \t\n]+")
#: Full-width punctuation that opens: it carries its own white space on its left.
FULL_WIDTH_OPENING = "（《「『【〔"
SPACE_BEFORE_OPENING = re.compile(rf"[ \t\n]+(?=(?:<(?:strong|em|b|i|a|span)\b[^>]*>)*[{FULL_WIDTH_OPENING}])")
VERBATIM = re.compile(r"(<(pre|code|math|script|style)\b.*?</\2>)", re.DOTALL)


def join_cjk_lines(content: str) -> str:
    """``content`` with every line break between two Chinese characters, and every space or line break after
    closing or before opening full-width punctuation, removed; verbatim elements untouched."""
    parts = VERBATIM.split(content)
    # split() with two groups yields [text, element, tag name, text, element, tag name, ...]
    return "".join(
        SPACE_BEFORE_OPENING.sub("", SPACE_AFTER_PUNCTUATION.sub(r"\1", BREAK_BETWEEN_CJK.sub("", part)))
        if index % 3 == 0
        else part
        for index, part in enumerate(parts)
        if index % 3 != 2
    )


class _JoinPostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return join_cjk_lines(text)


class CJKExtension(Extension):
    """Register the postprocessor after the raw HTML is put back, so generated blocks are joined too."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.postprocessors.register(_JoinPostprocessor(md), "cjk_line_breaks", 4)


def makeExtension(**kwargs) -> CJKExtension:  # the name Markdown looks for
    return CJKExtension(**kwargs)
