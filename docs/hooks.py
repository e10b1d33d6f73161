r"""MkDocs hook: render every formula to MathML at build time, so the site needs no script and no network.

``pymdownx.arithmatex`` (``generic: true``) leaves TeX in ``<span class="arithmatex">\(…\)</span>``
and ``<div class="arithmatex">\[…\]</div>``. :func:`on_page_content` converts each one with
``latex2mathml``; Chromium, Firefox and Safari draw MathML natively, and instant navigation needs no
re-typesetting. TeX that cannot be rendered stops the build with the page and the formula.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import latex2mathml.converter
from mkdocs.exceptions import PluginError

DOCS = Path(__file__).resolve().parent
ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.DOTALL)
DELIMITERS = re.compile(r"^\s*(\\\(|\\\[|\$\$|\$)(.*?)(\\\)|\\\]|\$\$|\$)\s*$", re.DOTALL)
OPERATORNAME = re.compile(r"\\operatorname\{((?:[A-Za-z0-9]|\\?_)+)\}")
RAW_TEX_IN_OUTPUT = re.compile(r">[^<]*\\[A-Za-z]")
PROJECT_MODULES = ("derivations", "nn", "_site")
NOT_PROSE = re.compile(r"<(pre|code|script|style|math|svg)\b.*?</\1>|<[^>]+>", re.DOTALL)
RAW_TEX_IN_PROSE = re.compile(r"\\[()\[\]]|\$\$|\\(?:frac|partial|begin|sum|left|right|mathbf|operatorname)\b")


class UnsupportedTeX(ValueError):
    """latex2mathml cannot render this TeX faithfully."""


def tex_to_mathml(tex: str, display: bool) -> str:
    r"""One formula as a ``<math>`` element.

    Two rewrites cover what latex2mathml lacks: ``\operatorname{leaky_relu}`` (an underscore in
    an operator name) becomes one upright identifier, and ``\boxed`` (``menclose``, which
    MathML Core does not draw) becomes an ``mrow`` that CSS frames. Anything else latex2mathml
    leaves as raw TeX raises :class:`UnsupportedTeX`.
    """
    names: list[str] = []

    def placeholder(match: re.Match) -> str:
        names.append(match.group(1).replace(r"\_", "_"))
        return rf"\text{{@op{len(names) - 1}@}}"

    try:
        mathml = latex2mathml.converter.convert(
            OPERATORNAME.sub(placeholder, tex), display="block" if display else "inline"
        )
    except Exception as error:  # latex2mathml raises bare exceptions for malformed TeX
        raise UnsupportedTeX(f"latex2mathml failed ({type(error).__name__}: {error})") from error
    for number, name in enumerate(names):
        mathml = mathml.replace(f"<mtext>@op{number}@</mtext>", f"<mi>{html.escape(name)}</mi>")
    enclosures = set(re.findall(r'<menclose notation="([^"]*)"', mathml))
    if enclosures - {"box"}:
        raise UnsupportedTeX(f"menclose notation {sorted(enclosures)} is not drawn by MathML Core")
    mathml = mathml.replace('<menclose notation="box">', '<mrow class="boxed">').replace("</menclose>", "</mrow>")
    leftover = RAW_TEX_IN_OUTPUT.search(mathml)
    if leftover:
        raise UnsupportedTeX(f"latex2mathml left raw TeX in its output near {leftover.group(0)[1:]!r}")
    return mathml


def render_math(content: str, where: str) -> str:
    """Replace every arithmatex element of a page's HTML by MathML."""

    def convert(match: re.Match) -> str:
        tag, body = match.groups()
        delimited = DELIMITERS.match(html.unescape(body))
        if delimited is None:
            raise PluginError(f"{where}: arithmatex element without TeX delimiters: {body[:200]!r}")
        tex, display = delimited.group(2), tag == "div"
        try:
            mathml = tex_to_mathml(tex, display)
        except UnsupportedTeX as error:
            raise PluginError(f"{where}: cannot render the TeX {tex!r} as MathML: {error}") from error
        return f'<div class="math-block">{mathml}</div>' if display else mathml

    content = ARITHMATEX.sub(convert, content)
    prose = html.unescape(NOT_PROSE.sub(" ", content))
    leftover = RAW_TEX_IN_PROSE.search(prose)
    if leftover:
        context = " ".join(prose[max(0, leftover.start() - 150) : leftover.end() + 150].split())
        raise PluginError(
            f"{where}: TeX that arithmatex did not see as math (display math must be a paragraph "
            f"of its own; headings take no math): ...{context}..."
        )
    return content


def on_config(config):
    """Let markdown-exec blocks import ``derivations``, ``nn`` and ``docs/_site.py`` from any directory."""
    sys.dont_write_bytecode = True  # no docs/__pycache__ churn under `mkdocs serve`
    for path in (str(DOCS.parent), str(DOCS)):
        if path not in sys.path:
            sys.path.insert(0, path)
    return config


def on_pre_build(config) -> None:
    """Forget the project's modules, so `mkdocs serve` re-derives after an edit."""
    for name in list(sys.modules):
        if name.split(".")[0] in PROJECT_MODULES:
            del sys.modules[name]


def on_page_content(html_content: str, page, **kwargs) -> str:
    for title in _toc_titles(page.toc):
        if "\\(" in title or "\\[" in title:
            raise PluginError(
                f"{page.file.src_uri}: heading {title!r} has math, which the navigation would show "
                "as raw TeX; write it in words or Unicode"
            )
    return render_math(html_content, page.file.src_uri)


def _toc_titles(items):
    for item in items:
        yield item.title
        yield from _toc_titles(item.children)
