r"""MkDocs hook: the build's plumbing that is not rendering.

The math itself is rendered by the ``sitemarkdown.mathml`` Markdown extension. This hook lets the
markdown-exec blocks import ``derivations``, ``nn`` and ``docs/_site.py``, makes ``mkdocs serve``
re-derive after an edit, and fails the build on a page whose math did not render
(:func:`check_page`): a formula math-core cannot draw, TeX that arithmatex did not see as math,
or math in a heading (the navigation would show it as raw TeX).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

from sitemarkdown import mathml

DOCS = Path(__file__).resolve().parent
PROJECT_MODULES = ("derivations", "nn", "_site")
UNRUN_BLOCK = re.compile(r"```\w+ [^\n]*exec=")


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


def check_page(content: str, where: str) -> None:
    """Raise PluginError, naming the page ``where``, if any of its math did not render."""
    errors = mathml.render_errors(content)
    if errors:
        raise PluginError(f"{where}: " + "; ".join(errors))
    if UNRUN_BLOCK.search(mathml.NOT_PROSE.sub(" ", content)):
        raise PluginError(
            f"{where}: a markdown-exec block was printed as text instead of run (pymdownx.superfences "
            "drops a fence whose formatter raised); build the page's blocks by hand to see the error"
        )
    leftover = mathml.raw_tex_in_prose(content)
    if leftover:
        raise PluginError(
            f"{where}: TeX that arithmatex did not see as math (display math must be a paragraph "
            f"of its own; headings take no math): ...{leftover}..."
        )


def on_page_content(html_content: str, page, **kwargs) -> str:
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
