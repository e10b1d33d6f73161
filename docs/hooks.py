r"""MkDocs hook: the build's plumbing that is not rendering.

The math itself is rendered by the ``sitemarkdown.mathml`` Markdown extension. This hook lets the
markdown-exec blocks import ``derivations``, ``nn`` and ``docs/_site.py``, makes ``mkdocs serve``
re-derive after an edit, and fails the build on a page whose math did not render
(:func:`check_page`): a formula math-core cannot draw, TeX that arithmatex did not see as math,
or math in a heading (the navigation would show it as raw TeX).
"""

from __future__ import annotations

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


def check_page(content: str, where: str) -> None:
    """Raise PluginError, naming the page ``where``, if any of its math did not render."""
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
            f"{where}: TeX that arithmatex did not see as math (display math must be a paragraph "
            f"of its own; headings take no math): ...{leftover}..."
        )


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
