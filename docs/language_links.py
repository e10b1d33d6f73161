"""MkDocs hook: each page has its twin in the other language, and a Chinese page reads in Chinese.

**The language switch.** mkdocs-static-i18n points the ``<link rel="alternate" hreflang>`` of each
page's head at the page's twin (``../zh/output-layer/``). Material's script takes those links for
language roots and fetches ``sitemap.xml`` under each (``zh/output-layer/sitemap.xml``), which does
not exist: every page logged two failed requests. Without the head links the script looks nothing
up, and the switch's own links (``<a hreflang>``, also set by static-i18n) lead to the twin wherever
the site is served. Search engines still learn each page's twin from sitemap.xml, which lists both
languages of every page (``<xhtml:link rel="alternate" hreflang>``).

**The 404 pages.** Each language's build renders the theme's ``404.html`` at the site's root, so
the last build (Chinese) overwrote the English one, with a switch left pointing at the last page
built. :func:`on_post_template` keeps the English ``/404.html``, writes the Chinese one to
``/zh/404.html``, and points both switches at the two home pages.

**Search in the page's language.** Material's script fetches ``search/search_index.json`` under the
page's ``base_url`` on every page load (over http, not when the search box opens), and static-i18n
writes one index of both languages there. :func:`on_post_build` splits it: the English pages' entries
stay at ``search/search_index.json``, each other language's go to ``zh/search/search_index.json``
with locations relative to ``zh/``, and :func:`on_page_context` (and the 404 page's
:func:`on_template_context`) points a Chinese page's ``base_url`` at ``zh/``. A page thus loads and
indexes its own language only, and results lead to pages in that language. The files are written as
UTF-8 (the plugin escapes every Chinese character and jieba's zero-width space as six ASCII bytes), and
a section shown twice on one page (an object under its package and again under its module, same title
and text) is indexed once.

**The API reference in the page's language.** mkdocstrings reads its locale (the labels
"Parameters:", "Returns:"...) before static-i18n switches the theme's language, so both builds
rendered English labels; :func:`on_config` hands it the language being built. Each object's
Chinese summary (``docs/reference/summaries.zh.yml``, put in by ``docs/griffe_docstrings.py``)
is taken out of the English pages (:func:`drop_other_language`).

**Each page's own description.** A page without a front-matter ``description:`` gets its first
paragraph in its language as its ``<meta name="description">`` (:func:`own_description`), instead of
the one site description per language.

**The checks** (the build fails, naming the page): a ``<meta name="description">`` in the wrong
language, English prose on a Chinese page (``sitemarkdown.prose`` says what is not prose and why),
English words in a formula's text (``\text{…}``) on a Chinese page, a space after full-width
punctuation on a Chinese page, an API object without its Chinese summary
(:func:`objects_without_summary`), and a page without its twin, the 404 pages included
(:func:`missing_twins`).
"""

from __future__ import annotations

import json
import re
from html import escape, unescape
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

from sitemarkdown.prose import (
    CJK,
    MAX_ENGLISH_RUN,
    MIN_CJK_SHARE,
    cjk_share,
    english_in_math,
    english_runs,
    read_html,
    spaces_after_punctuation,
)

#: A head link to the page in another language, as Material's base.html writes it (not the RSS feeds).
HEAD_ALTERNATE = re.compile(r'\n?[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
#: A link of the language switch, as Material's header writes it.
SWITCH_LINK = re.compile(r'<a href="[^"]*" hreflang="([^"]*)"')
#: A paragraph written for the other language (the API reference's Chinese summaries).
OTHER_LANGUAGE = '<p class="doc-summary-{language}"[^>]*>.*?</p>\n?'
NOT_FOUND = "404.html"
#: The heading of Material's 404 page, which its template does not translate.
NOT_FOUND_TITLE = {"en": "<h1>404 - Not found</h1>", "zh": "<h1>404 - 找不到这一页</h1>"}
#: The start of an object's contents that opens with its Chinese summary (a class's bases may come first).
SUMMARY_FIRST = re.compile(
    r'\s*(?:<p class="doc doc-class-bases">(?:(?!</p>).)*</p>\s*)?<p class="doc-summary-zh"', re.DOTALL
)  # the bases' paragraph ends at its own </p>: a lazy .*? would run on to the next object's summary
#: The tooltip of the permalink sign after each heading (the toc extension's, one for both languages).
PERMALINK_TITLE = 'title="Permanent link"'
#: mkdocstrings' label of a class's bases, which its templates do not translate.
BASES_LABEL = re.compile(r'(<p class="doc doc-class-bases">\s*)Bases: ')
#: An object of mkdocstrings' API reference that needs a Chinese summary, with its path (the heading's id).
API_OBJECT = re.compile(
    r'<div class="doc doc-object doc-(?:module|class|function)">\s*<h\d id="([^"]+)" class="doc doc-heading"'
)

#: Where Material's script looks for the search index, under the page's ``base_url``.
SEARCH_INDEX = "search/search_index.json"

_english_404: dict[str, str] = {}  # site_dir -> the default language's 404 page, kept while the others build


def _i18n(config):
    return config.plugins["i18n"]


def language(config) -> str:
    """The language being built ("en" or "zh")."""
    i18n = _i18n(config)
    return i18n.current_language or i18n.default_language


def root(lang: str, default: str) -> str:
    """The folder of a language's pages in the site: "" for the default language, "zh/" for Chinese."""
    return "" if lang == default else f"{lang}/"


@event_priority(50)  # before mkdocstrings (0) reads its locale, after static-i18n chose the language
def on_config(config):
    mkdocstrings = config.plugins.get("mkdocstrings")
    if mkdocstrings is not None:
        mkdocstrings.config.locale = language(config)
    return config


def drop_other_language(html: str, language: str, languages: list[str]) -> str:
    """``html`` without the paragraphs written for the languages other than ``language``."""
    for other in languages:
        if other != language:
            html = re.sub(OTHER_LANGUAGE.format(language=re.escape(other)), "", html, flags=re.DOTALL)
    return html


def objects_without_summary(html: str) -> list[str]:
    """The modules, classes and functions of an API reference page shown without their Chinese summary."""
    missing = []
    for match in API_OBJECT.finditer(html):
        contents = html.index(">", html.find("doc-contents", match.end())) + 1
        if not SUMMARY_FIRST.match(html, contents):
            missing.append(match.group(1))
    return missing


def on_page_content(html: str, page, config, files) -> str:
    missing = objects_without_summary(html)
    if missing:
        raise PluginError(
            f"{page.file.src_uri}: {len(missing)} objects without their Chinese summary ({', '.join(missing[:5])}"
            f"{', …' if len(missing) > 5 else ''}); add a line `{missing[0]}: <中文摘要>` to "
            "docs/reference/summaries.zh.yml (an activation class: a summary_zh attribute)"
        )
    if language(config) == "zh":
        html = BASES_LABEL.sub(r"\1基类：", html).replace(PERMALINK_TITLE, 'title="本节的链接"')
    html = drop_other_language(html, language(config), _i18n(config).all_languages)
    if not page.meta.get("description"):
        page.meta["description"] = (
            escape(own_description(html, language(config))) or None
        )  # MkDocs' Jinja escapes nothing
    return html


MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
#: A paragraph of a page's own text (not an admonition's title or a docstring's: those have a class).
PARAGRAPH = re.compile(r"<p>((?:(?!</?(?:p|h\d|div|table|ul|ol|pre)\b).)*?)</p>", re.DOTALL)
#: A formula whose text reads as itself in a description (``W[l]``, ``dZ = A − Y``); longer ones are a jumble.
SHORT_MATH = 16
#: MathML whose text reads as a jumble whatever its length: fractions, roots, limits, tables, function applications.
JUMBLED = re.compile(r"<(?:mfrac|msqrt|mroot|munder|mover|munderover|mtable)\b|\u2061|&ApplyFunction;")
#: The longest description: search engines show about this many characters (a Chinese one is cut shorter).
DESCRIPTION_LENGTH = {"zh": 80, "en": 160}


def _shortened(text: str, language: str) -> str:
    """``text`` cut after its last sentence within :data:`DESCRIPTION_LENGTH`, or at a word with "…"."""
    limit = DESCRIPTION_LENGTH["zh" if language == "zh" else "en"]
    if len(text) <= limit:
        return text
    ends = [match.end() for match in re.finditer(r"[。！？]|[.!?](?= )", text[: limit + 1])]
    if ends:
        return text[: ends[-1]].strip()
    return (text[:limit].rsplit(" ", 1)[0] if language != "zh" else text[: limit - 1]) + "…"


def own_description(html: str, language: str) -> str:
    """The page's own ``<meta name="description">``: its first paragraph in ``language`` with no long formula,
    cut after the last sentence that fits :data:`DESCRIPTION_LENGTH` (or at a word, with "…"). Empty when
    no paragraph qualifies; the site's description in that language then stands."""
    for paragraph in PARAGRAPH.findall(html):
        if re.search(r"<(?:svg|img|input|button)\b", paragraph):  # a drawing's or a control's text is no sentence
            continue
        formulas = MATH.findall(paragraph)
        if any(JUMBLED.search(formula) for formula in formulas) or any(
            len(unescape(re.sub(r"<[^>]+>", "", formula))) > SHORT_MATH for formula in formulas
        ):
            continue  # MathML read as text: fractions, sums and function applications come out jumbled
        text = _shortened(" ".join(unescape(re.sub(r"<[^>]+>", "", paragraph)).split()), language)
        chinese = cjk_share(text) >= MIN_CJK_SHARE
        if len(text) >= 20 and chinese == (language == "zh") and (language == "zh" or not CJK.search(text)):
            return text
    return ""


def language_problems(html: str, language: str) -> list[str]:
    """What in a built page is not in its ``language``: its meta description, or (in Chinese) English prose,
    English words in its formulas' text and spaces after full-width punctuation."""
    page = read_html(html)
    problems = []
    chinese = cjk_share(page.description) >= MIN_CJK_SHARE
    if not page.description.strip():
        problems.append('no <meta name="description">')
    elif language == "zh" and not chinese:
        problems.append(
            f"its meta description is not Chinese: {page.description!r} (give the page a "
            "`description:` in its front matter, or the language its site_description in mkdocs.yml)"
        )
    elif language != "zh" and CJK.search(page.description):
        problems.append(f"its meta description has Chinese in a {language} page: {page.description!r}")
    if language == "zh":
        runs = english_runs(page.prose, MAX_ENGLISH_RUN)
        if runs:
            problems.append(
                f"English prose ({len(runs)} runs of {MAX_ENGLISH_RUN} English words or more, first {runs[0]!r}): "
                "translate it, put code in backticks, or mark an English title quoted on purpose "
                '<span lang="en">…</span>'
            )
        words = english_in_math(page)
        if words:
            problems.append(
                f"English in a formula's text ({len(words)} words, first {words[0]!r}): write it in Chinese where "
                "the formula is written (a symbol's name as derivations.core.Text), or add a name that Chinese "
                "writes in Latin letters too to sitemarkdown.prose.MATH_TEXT_WORDS, saying why"
            )
        spaces = spaces_after_punctuation(page.text)
        if spaces:
            problems.append(
                f"{len(spaces)} spaces after full-width punctuation (first {spaces[0]!r}): Chinese sets none; "
                "take it out where the text is written or generated"
            )
    return problems


def _check(html: str, language: str, where: str) -> None:
    problems = language_problems(html, language)
    if problems:
        raise PluginError(f"{where}: " + "; ".join(problems))


def drop_head_alternates(html: str) -> str:
    """``html`` without the head's links to the page in other languages (the switch's links stay)."""
    head, separator, body = html.partition("</head>")
    return HEAD_ALTERNATE.sub("", head) + separator + body


def on_page_context(context, page, config, nav):
    """A page's ``base_url`` is its language's root, where its language's search index is."""
    lang, default = language(config), _i18n(config).default_language
    if lang != default:
        context["base_url"] = get_relative_url(root(lang, default), page.url)
    return context


def on_template_context(context, template_name: str, config):
    """The 404 page's ``base_url`` (a path from the site's root) is its language's root too."""
    lang, default = language(config), _i18n(config).default_language
    if template_name == NOT_FOUND and lang != default:
        context["base_url"] = context["base_url"].rstrip("/") + "/" + root(lang, default)
    return context


def on_post_page(output: str, page, config) -> str:
    _check(output, language(config), page.file.src_uri)
    return drop_head_alternates(output)


def not_found_page(html: str, root: str, language: str) -> str:
    """A 404 page in ``language`` whose switch leads to the home page of each language (``root`` is the site's path)."""

    def home(match: re.Match) -> str:
        lang = match.group(1)
        return f'<a href="{root}{"" if lang == "en" else lang + "/"}" hreflang="{lang}"'

    html = html.replace(NOT_FOUND_TITLE["en"], NOT_FOUND_TITLE.get(language, NOT_FOUND_TITLE["en"]))
    return drop_head_alternates(SWITCH_LINK.sub(home, html))


def on_post_template(output: str, template_name: str, config) -> str:
    """Keep the English 404 page at the root, and write each other language's under its folder."""
    if template_name != NOT_FOUND:
        return output
    lang = language(config)
    output = not_found_page(output, urlsplit(config.site_url or "/").path or "/", lang)
    _check(output, lang, f"{lang}/{NOT_FOUND}")
    if lang == _i18n(config).default_language:
        _english_404[config.site_dir] = output
        return output
    target = Path(config.site_dir, lang, NOT_FOUND)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output, encoding="utf-8")
    return _english_404.get(config.site_dir, output)


def missing_twins(site: Path, default: str, others: list[str]) -> list[str]:
    """The built pages (``index.html`` and ``404.html``) of one language that have no twin in another.

    The ``default`` language is built at the root of ``site``, each of the ``others`` under its folder.
    """

    def built(lang: str) -> set[str]:
        pages = set()
        for path in (site / root(lang, default)).rglob("*.html"):
            relative = path.relative_to(site / root(lang, default)).as_posix()
            if path.name in {"index.html", NOT_FOUND} and relative.split("/")[0] not in others:
                pages.add(relative)
        return pages

    pages = {lang: built(lang) for lang in [default, *others]}
    return [
        f"{root(lang, default)}{path} has no twin {root(other, default)}{path}"
        for lang, found in pages.items()
        for other, theirs in pages.items()
        for path in sorted(found - theirs)
    ]


def split_search_index(index: dict, default: str, others: list[str]) -> dict[str, dict]:
    """Each language's search index, from the one index of every language that static-i18n writes.

    An entry belongs to the language whose folder its location starts with (the ``default`` language's
    have none) and keeps its location relative to that folder. A section that repeats another of the
    same page with the same title and text is left out.
    """
    split = {lang: {"config": index["config"], "docs": []} for lang in [default, *others]}
    seen = set()
    for entry in index["docs"]:
        lang = next((other for other in others if entry["location"].startswith(root(other, default))), default)
        section = (entry["location"].split("#")[0], entry["title"], entry["text"])
        if section not in seen:
            seen.add(section)
            location = entry["location"].removeprefix(root(lang, default))
            split[lang]["docs"].append({**entry, "location": location})
    return split


@event_priority(-110)  # after static-i18n (-100), which writes the index of all languages after the last build
def on_post_build(config) -> None:
    """After the last language's build, every page has its twin in each language (404 included), and each
    language gets its own search index (static-i18n runs this after each language's build inside its
    own, the last one after its joint index: that one's split is what stays)."""
    i18n = _i18n(config)
    if language(config) != i18n.build_languages[-1]:
        return
    site, default = Path(config.site_dir), i18n.default_language
    others = [lang for lang in i18n.build_languages if lang != default]
    missing = missing_twins(site, default, others)
    if missing:
        raise PluginError("pages without their twin in the other language: " + "; ".join(missing))
    if not (site / SEARCH_INDEX).exists():  # a site without the search plugin has no index to split
        return
    joint = json.loads((site / SEARCH_INDEX).read_text(encoding="utf-8"))
    for lang, index in split_search_index(joint, default, others).items():
        path = site / root(lang, default) / SEARCH_INDEX
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
