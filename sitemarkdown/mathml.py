r"""Markdown extension: every formula of the site becomes MathML at build time, with no script and no network.

``pymdownx.arithmatex`` (``generic: true``) leaves TeX in ``<span class="arithmatex">\(…\)</span>``
and ``<div class="arithmatex">\[…\]</div>``. This extension's postprocessor converts each one
with ``math-core`` (TeX to MathML Core, the subset every browser draws).

A formula that cannot be rendered becomes a visible ``<span class="math-error">`` naming the TeX
and the reason, instead of raising: markdown-exec renders a block's output with a nested Markdown
pass inside a pymdownx.superfences fence, and superfences treats an exception there as "not a
fence", which would silently print the block's source instead of its output. The MkDocs hook
(``docs/hooks.py``) fails the build on any ``math-error`` left in a page, and on TeX that
arithmatex did not see as math (:func:`raw_tex_in_prose`).

It is a Markdown extension rather than an MkDocs hook so that the rendering needs nothing from
MkDocs: any Markdown pipeline that loads ``sitemarkdown.mathml`` draws the same math.

Example:
    >>> print(tex_to_mathml(r"a^{[l]}", display=False))
    <math><msup><mi>a</mi><mrow><mo stretchy="false">[</mo><mi>l</mi><mo stretchy="false">]</mo></mrow></msup></math>
"""

from __future__ import annotations

import html
import re

import math_core
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.DOTALL)
DELIMITERS = re.compile(r"^\s*(\\\(|\\\[|\$\$|\$)(.*?)(\\\)|\\\]|\$\$|\$)\s*$", re.DOTALL)
NOT_CODE = re.compile(r"<(pre|code|script|style)\b.*?</\1>", re.DOTALL)
NOT_PROSE = re.compile(r"<(pre|code|script|style|math|svg)\b.*?</\1>|<[^>]+>", re.DOTALL)
#: TeX in prose: math delimiters, or any control word (``\frac``, ``\vert``); prose has no other backslash.
RAW_TEX_IN_PROSE = re.compile(r"\\[()\[\]]|\$\$|\\[A-Za-z]+")
MATH_ERROR = re.compile(r'<span class="math-error">(.*?)</span>', re.DOTALL)
BOX = re.compile(r'<menclose notation="([^"]*)">')
UNESCAPED_UNDERSCORE = re.compile(r"(?<!\\)_")
OPERATORNAME = re.compile(r"\\operatorname\{((?:[A-Za-z0-9]|\\?_)+)\}")

_CONVERTER = math_core.LatexToMathML(fancy_error=False)


class UnsupportedTeX(ValueError):
    """The TeX of a formula cannot be drawn faithfully; the message names the formula and why."""


def tex_to_mathml(tex: str, display: bool) -> str:
    r"""One formula as a ``<math>`` element.

    Three rewrites: an underscore in an operator name (SymPy prints ``\operatorname{leaky_relu}``)
    is escaped, since math-core reads names as text; ``\substack{…}`` (SymPy's limits of a double
    sum and of a substitution) becomes the ``subarray`` it abbreviates in amsmath, which math-core
    knows; and ``\boxed`` becomes an ``mrow`` that CSS frames, since math-core writes ``menclose``,
    which MathML Core (what Chromium draws) leaves out, so the frame would silently disappear.
    """
    escaped = OPERATORNAME.sub(lambda m: r"\operatorname{" + UNESCAPED_UNDERSCORE.sub(r"\\_", m.group(1)) + "}", tex)
    escaped = _substacks_as_subarrays(escaped)
    try:
        mathml = _CONVERTER.convert_with_local_state(escaped, displaystyle=display)
    except math_core.LatexError as error:
        raise UnsupportedTeX(f"cannot render the TeX {tex!r} as MathML: {error}") from None
    notations = set(BOX.findall(mathml))
    if notations - {"box"}:
        raise UnsupportedTeX(f"cannot render the TeX {tex!r}: menclose {sorted(notations)} is not drawn by MathML Core")
    return BOX.sub('<mrow class="boxed">', mathml).replace("</menclose>", "</mrow>")


def _substacks_as_subarrays(tex: str) -> str:
    r"""``\substack{a \\ b}`` as ``\begin{subarray}{c}a \\ b\end{subarray}``, braces matched."""
    out, start = [], 0
    while (found := tex.find(r"\substack{", start)) >= 0:
        depth, opening = 0, found + len(r"\substack")
        for end in range(opening, len(tex)):
            depth += {"{": 1, "}": -1}.get(tex[end], 0) * (tex[end - 1] != "\\")
            if depth == 0:
                break
        else:
            raise UnsupportedTeX(f"cannot render the TeX {tex!r}: unbalanced braces after \\substack")
        body = tex[found + len(r"\substack{") : end]
        out += [tex[start:found], r"\begin{subarray}{c}", body, r"\end{subarray}"]
        start = end + 1
    return "".join(out) + tex[start:]


def render_math(content: str) -> str:
    """Replace every arithmatex element of a page's HTML by MathML, or by a visible ``math-error``."""

    def convert(match: re.Match) -> str:
        tag, body = match.groups()
        delimited = DELIMITERS.match(html.unescape(body))
        try:
            if delimited is None:
                raise UnsupportedTeX(f"an arithmatex element without TeX delimiters: {body[:200]!r}")
            display = tag == "div"
            mathml = tex_to_mathml(delimited.group(2), display)
        except UnsupportedTeX as error:
            return f'<span class="math-error">{html.escape(str(error))}</span>'
        return f'<div class="math-block">{mathml}</div>' if display else mathml

    return ARITHMATEX.sub(convert, content)


def render_errors(content: str) -> list[str]:
    """The messages of the ``math-error`` spans :func:`render_math` left in a page."""
    return [html.unescape(message) for message in MATH_ERROR.findall(content)]


def prose(content: str) -> str:
    """The text of a page's HTML outside its formulas, code and SVG, with entities decoded."""
    return html.unescape(NOT_PROSE.sub(" ", content))


def raw_tex_in_prose(text: str) -> str | None:
    """Some context around TeX in a page's :func:`prose` ``text`` (arithmatex did not see it as math), or None."""
    leftover = RAW_TEX_IN_PROSE.search(text)
    if leftover is None:
        return None
    return " ".join(text[max(0, leftover.start() - 150) : leftover.end() + 150].split())


class _MathMLPostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return render_math(text)


class MathMLExtension(Extension):
    """Register the postprocessor after the raw HTML (where arithmatex's output waits) is put back."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.postprocessors.register(_MathMLPostprocessor(md), "mathml", 5)


def makeExtension(**kwargs) -> MathMLExtension:  # the name Markdown looks for
    return MathMLExtension(**kwargs)
