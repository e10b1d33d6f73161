"""Reading the built site's HTML with the standard library (prose, heading ids, language links) and mkdocs.yml.

The language tests (``test_languages.py``) and the browser test share one build of the site
(``conftest.py``); this module reads its pages without a browser.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
#: Elements whose text is not prose: code, math, drawings, and the page's machinery.
NOT_PROSE = {"pre", "code", "kbd", "samp", "math", "svg", "script", "style", "template"}
#: Classes whose elements are not prose: mkdocstrings' docstrings (the API reference may stay
#: English) and the permalink signs after headings.
NOT_PROSE_CLASSES = {"doc", "headerlink"}
#: Elements that end a run of text: words in two cells or two paragraphs are not one sentence.
BLOCKS = {
    "p", "li", "td", "th", "tr", "table", "div", "dt", "dd", "dl", "ul", "ol", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6", "br", "figcaption", "summary", "details", "caption", "hr",
}  # fmt: skip
VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}
#: The site's address in the test build: the language switch of the home pages links to absolute
#: paths under it ("/zh/"), which work on any port of 127.0.0.1 because its path is "/".
SITE_URL = "http://127.0.0.1:8000/"
#: Headings that links point into (the h1 is the page's title: a link to it is a link to the page).
SECTION_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")


@dataclass
class Page:
    """What the language tests read from one built page."""

    lang: str = ""
    #: The article's prose, one line per block (paragraph, cell, heading...).
    prose: str = ""
    #: The ids of the article's section headings (h2 to h6).
    heading_ids: set[str] = field(default_factory=set)
    #: hreflang -> href of the language switch's links.
    alternates: dict[str, str] = field(default_factory=dict)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipped, in article)
        self.parts: list[str] = []

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    @property
    def in_article(self) -> bool:
        return bool(self.stack) and self.stack[-1][2]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page.lang = attrs.get("lang") or ""
        if tag == "a" and attrs.get("hreflang"):
            self.page.alternates[attrs["hreflang"]] = attrs.get("href") or ""
        in_article = self.in_article or tag == "article"
        if in_article and tag in SECTION_HEADINGS and attrs.get("id"):
            self.page.heading_ids.add(attrs["id"])
        classes = set((attrs.get("class") or "").split())
        english = (attrs.get("lang") or "").lower().startswith("en") and tag != "html"
        skipped = self.skipping or tag in NOT_PROSE or bool(classes & NOT_PROSE_CLASSES) or english
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag not in VOID:
            self.stack.append((tag, skipped, in_article))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.in_article and not self.skipping:
            self.parts.append(data)


@functools.cache
def read_page(path: Path) -> Page:
    """The language, article prose, heading ids and language links of one built page."""
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    lines = (" ".join(line.split()) for line in "".join(reader.parts).splitlines())
    reader.page.prose = "\n".join(line for line in lines if line)
    return reader.page


def cjk_share(text: str) -> float:
    """CJK characters among the letters (CJK characters and Latin letters) of ``text``; 0 when it has none."""
    cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
    return cjk / (cjk + latin) if cjk + latin else 0.0


#: A run of English words inside one block of prose: words of Latin letters separated only by
#: spaces and ASCII punctuation (no CJK character, no full-width punctuation between them).
ENGLISH_WORD = r"[A-Za-z][A-Za-z'’-]*"


def english_runs(text: str, words: int) -> list[str]:
    """Every run of at least ``words`` English words in ``text`` (blocks are lines; no run crosses one)."""
    gap = r"[ \t,;:.!?()\"'/&+0-9-]+"
    pattern = re.compile(rf"{ENGLISH_WORD}(?:{gap}{ENGLISH_WORD}){{{words - 1},}}")
    return [match.group() for line in text.splitlines() for match in pattern.finditer(line)]


def pages(site: Path) -> dict[str, Path]:
    """Every page of the built site by its path ("" for the home page, "zh/notation/" ...)."""
    found = {}
    for index in sorted(site.rglob("index.html")):
        relative = str(index.parent.relative_to(site))
        found["" if relative == "." else f"{relative}/"] = index
    return found


class _Env(yaml.SafeLoader):
    """Reads mkdocs.yml without mkdocs: ``!ENV [NAME, default]`` becomes its default."""


_Env.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])


def mkdocs_config() -> dict:
    """mkdocs.yml as written (without loading mkdocs and its plugins)."""
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Env)


def nav_entries(items) -> list[tuple[str | None, str]]:
    """(title, file) of every page in the nav, and (title, None) of every section."""
    found = []
    for item in items:
        if isinstance(item, str):
            found.append((None, item))
            continue
        ((title, value),) = item.items()
        if isinstance(value, list):
            found.append((title, None))
            found.extend(nav_entries(value))
        else:
            found.append((title, value))
    return found


def chinese_language() -> dict:
    """The zh language of the i18n plugin in mkdocs.yml (its site_name, nav_translations...)."""
    i18n = next(p["i18n"] for p in mkdocs_config()["plugins"] if isinstance(p, dict) and "i18n" in p)
    return next(language for language in i18n["languages"] if language["locale"] == "zh")
