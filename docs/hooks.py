r"""MkDocs hook: the build's plumbing that is not rendering.

The math itself is rendered by the ``sitemarkdown.mathml`` Markdown extension. This hook lets the
markdown-exec blocks import ``derivations``, ``nn`` and ``docs/_site.py``, makes ``mkdocs serve``
re-derive after an edit, and fails the build on a page that does not show what its source says:
a merge-conflict marker (:func:`check_source`, and :func:`check_page` for included files); a
formula math-core cannot draw, TeX outside math (arithmatex did not see it, or it was written in
prose), or math in a heading (the navigation would show it as raw TeX); text that Markdown read as
syntax, such as ``n[l-1](n[l-1] − 1)`` turned into a link, ``A1**2 … B**2`` into bold or ``d<key>``
into an HTML tag (:func:`misread_markdown`). Generated prose avoids these at its source, with
``derivations.core.markdown``.
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from sitemarkdown import mathml

DOCS = Path(__file__).resolve().parent
PROJECT_MODULES = ("derivations", "nn", "_site")
MARKDOWN_LINK = re.compile(r'href="(?![a-z]+:|/|#)([^"#]+\.md)(#[^"]*)?"')
UNRUN_BLOCK = re.compile(r"```\w+ [^\n]*exec=")
#: git's conflict markers, each at the start of a line: ours, the common base (diff3), the split, theirs.
CONFLICT_MARKER = re.compile(r"^(?:<{7}|\|{7}|>{7})(?: |$)|^={7}$", re.MULTILINE)
#: In the built HTML the split and theirs are gone (a heading underline, nested quotes); ours stays as text.
CONFLICT_IN_HTML = re.compile(r"<{7} |>{7} ")
TAG = re.compile(r"<([A-Za-z][\w-]*)")
DRAWINGS = re.compile(r"<(svg|math)\b.*?</\1>", re.DOTALL)
MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
#: The HTML elements a page of this site is made of (Markdown, its extensions, mkdocstrings, markdown-exec,
#: and the exercise boxes' input and button). Any other tag is text that Markdown took for HTML, such as ``d<key>``.
HTML_ELEMENTS = frozenset(
    "a abbr article b blockquote br button caption code col colgroup dd del details div dl dt em figcaption figure "
    "h1 h2 h3 h4 h5 h6 hr i img input ins kbd label li mark ol p pre q s samp section small span strong sub "
    "summary sup table tbody td tfoot th thead tr u ul var".split()
)
HREF = re.compile(r'<a\b[^>]*\bhref="([^"]*)"')
#: A link target the site writes: a URL with a scheme, an anchor, or a path (it has a / or a file suffix).
LINK_TARGET = re.compile(r"(?:[a-z][a-z0-9+.-]*:|#|\.{0,2}/)[!-~]*$|[!-~]*[/.][!-~]*$")
#: Emphasis opened right after a Latin letter or digit: ``A1**2 and B**2`` read as A1<strong>2 and B</strong>2.
#: (A closing tag before a letter is fine: Chinese writes **两种语言。**mkdocs with no space.)
GLUED_EMPHASIS = re.compile(r"[A-Za-z0-9]<(em|strong)>")


def on_config(config):
    """Let markdown-exec blocks import ``derivations``, ``nn`` and ``docs/_site.py`` from any directory."""
    sys.dont_write_bytecode = True  # no docs/__pycache__ churn under `mkdocs serve`
    quiet_build_chatter()
    for path in (str(DOCS.parent), str(DOCS)):
        if path not in sys.path:
            sys.path.insert(0, path)
    return config


def quiet_build_chatter() -> None:
    """Keep `mkdocs serve` and `build` to what needs reading: jieba's four lines on loading its
    dictionary, and mkdocstrings' note that signatures are not reformatted (no Black or Ruff is
    installed, and the signatures are short), are neither warnings nor errors."""
    logging.getLogger("mkdocs.plugins.mkdocstrings_handlers.python._internal.rendering").setLevel(logging.WARNING)
    import jieba  # the search plugin's Chinese word cutter; it sets its own logger to DEBUG when imported

    jieba.setLogLevel(logging.WARNING)


def on_pre_build(config) -> None:
    """Forget the project's modules, so `mkdocs serve` re-derives after an edit."""
    for name in list(sys.modules):
        if name.split(".")[0] in PROJECT_MODULES:
            del sys.modules[name]


def check_source(markdown: str, where: str) -> None:
    """Raise PluginError, naming the page ``where``, if its Markdown holds a merge-conflict marker."""
    marker = CONFLICT_MARKER.search(markdown)
    if marker:
        line = markdown.count("\n", 0, marker.start()) + 1
        raise PluginError(f"{where}: line {line} is a merge-conflict marker {marker.group(0)!r}; resolve the conflict")


def misread_markdown(content: str) -> str | None:
    """What Markdown read as syntax in a page's HTML ``content``, which the reader would miss, or None.

    A link whose target is no link (``n[l-1](n[l-1] − 1)`` is a link to ``n[l-1] − 1``), an element
    that is no HTML element (``d<key>``), or emphasis glued to a letter (``A1**2 and B**2``).
    """
    for target in HREF.findall(content):
        if not LINK_TARGET.match(html.unescape(target)):
            return f"a link to {html.unescape(target)!r}, which is text that Markdown read as [text](target)"
    outside = DRAWINGS.sub(" ", mathml.NOT_CODE.sub(" ", content))
    unknown = sorted({tag.lower() for tag in TAG.findall(outside)} - HTML_ELEMENTS)
    if unknown:
        return f"<{unknown[0]}>, which is text that Markdown read as an HTML tag"
    glued = GLUED_EMPHASIS.search(outside)
    if glued:
        context = " ".join(outside[max(0, glued.start() - 80) : glued.end() + 80].split())
        return f"emphasis inside a word, where Markdown read * or _ as syntax: ...{context}..."
    return None


def check_page(content: str, where: str) -> None:
    """Raise PluginError, naming the page ``where``, if it does not show what its source says.

    Its math did not render, a merge-conflict marker came in with an included file, text was read
    as Markdown syntax (:func:`misread_markdown`), or TeX stands outside math.
    """
    errors = mathml.render_errors(content)
    if errors:
        raise PluginError(f"{where}: " + "; ".join(errors))
    text = mathml.prose(content)
    if UNRUN_BLOCK.search(text):
        raise PluginError(
            f"{where}: a markdown-exec block was printed as text instead of run (pymdownx.superfences "
            "drops a fence whose formatter raised); build the page's blocks by hand to see the error"
        )
    unresolved = MARKDOWN_LINK.search(content)
    if unresolved:
        raise PluginError(f"{where}: a link to {unresolved.group(1)!r}, which is not a page of the site")
    leftover = mathml.raw_tex_in_prose(text)
    if leftover:
        raise PluginError(
            f"{where}: TeX outside math (arithmatex did not see it as math: display math must be a "
            f"paragraph of its own, headings take no math; or a generator wrote TeX into prose): ...{leftover}..."
        )
    conflict = CONFLICT_IN_HTML.search(html.unescape(re.sub(r"<[^>]+>", "", content)))
    if conflict:
        raise PluginError(f"{where}: a merge-conflict marker {conflict.group(0).strip()!r}, from an included file")
    if any("∘" in formula for formula in MATH.findall(content)):
        raise PluginError(
            f"{where}: ∘ in a formula, which the site never defines: entrywise products are ⊙ (the "
            "glossary's symbol), and derivations.core's printers write them so"
        )
    misread = misread_markdown(content)
    if misread:
        raise PluginError(f"{where}: {misread}; escape it where it is written (derivations.core.markdown)")


def resolve_generated_links(content: str, page, files) -> str:
    """Point the ``page.md#anchor`` links that markdown-exec blocks print at the built pages.

    MkDocs rewrites the links of a page's own Markdown, but a block's output is HTML by then,
    so its links would still name the source files (and lead nowhere on the site). A link to a
    page that does not exist is left as it is, and :func:`check_page` then fails the build.
    """

    def resolve(match: re.Match) -> str:
        path, anchor = match.group(1), match.group(2) or ""
        target = files.get_file_from_path(
            posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), path))
        )
        if target is None:
            return match.group(0)
        return f'href="{get_relative_url(target.url, page.url)}{anchor}"'

    return MARKDOWN_LINK.sub(resolve, content)


def on_page_markdown(markdown: str, page, **kwargs) -> str:
    check_source(markdown, page.file.src_uri)
    return markdown


def on_page_content(html_content: str, page, files, **kwargs) -> str:
    html_content = resolve_generated_links(html_content, page, files)
    for title in _toc_titles(page.toc):
        if "\\(" in title or "\\[" in title:
            raise PluginError(
                f"{page.file.src_uri}: heading {title!r} has math, which the navigation would show "
                "as raw TeX; write it in words or Unicode"
            )
    check_page(html_content, page.file.src_uri)
    return html_content


def _toc_titles(items):
    for item in items:
        yield item.title
        yield from _toc_titles(item.children)
