"""The built docs site in headless Chromium, with the network cut: every page renders, offline.

The module serves the run's one build of the site (``conftest.py``, ``mkdocs build --strict``,
both languages) on 127.0.0.1, opens every page, English and Chinese, in one Chromium and records
what each page did. The tests then check the records: no console or page errors, no request
leaving 127.0.0.1, math rendered as MathML with no raw TeX left, code where code belongs, page
weight, the search index each page fetches, search in both languages, and the language switch
from a page to its twin and back.
"""

from __future__ import annotations

import functools
import http.server
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlparse, urlsplit

import pytest
from site_html import (
    MAX_PAGE_BYTES,
    MAX_SEARCH_INDEX_BYTES,
    SEARCH_INDEX,
    chinese_language,
    mkdocs_config,
    nav_entries,
    pages,
)

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
#: Raw TeX that must never reach the reader: it means a formula was not converted to MathML.
RAW_TEX = ("\\(", "\\)", "\\[", "$$", "\\frac", "\\partial", "\\begin")
#: Pages whose formulas must be there (by their path in the site, and their twins under zh/); any
#: page's math must render.
ENGLISH_MATH_PAGES = (
    "",
    "notation/",
    "forward/",
    "output-layer/",
    "activations/",
    "hidden-layers/",
    "linear-layer/",
    "l-layer/",
    "optimizers/",
    "verification/",
    "reference/nn/",
    "reference/gradcheck/",
    "reference/experiments/",
    "reference/layers/",
    "reference/tools/",
    "reference/derivations/",
)
MATH_PAGES = ENGLISH_MATH_PAGES + tuple(f"zh/{path}" for path in ENGLISH_MATH_PAGES)
#: Pages that show code included from nn/ (in both languages).
CODE_PAGES = tuple(
    f"{language}{path}"
    for language in ("", "zh/")
    for path in ("forward/", "output-layer/", "activations/", "hidden-layers/", "l-layer/", "optimizers/")
)

#: Visible text outside code blocks (code may quote TeX, e.g. a docstring).
VISIBLE_TEXT_JS = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (parent && !parent.closest("pre, code, script, style")) parts.push(walker.currentNode.data);
  }
  return parts.join(" ");
}"""
#: How Chromium lays out the page's math: a MathML display type and a non-empty box for each.
MATH_JS = """() => Array.from(document.querySelectorAll("article math")).map(m => {
  const box = m.getBoundingClientRect();
  return {display: getComputedStyle(m).display, width: box.width, height: box.height,
          hidden: m.closest("details:not([open])") !== null};
})"""


@dataclass
class Visit:
    """What one page load did."""

    path: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    bytes: int = 0
    math: list[dict] = field(default_factory=list)
    raw_tex: list[str] = field(default_factory=list)
    code_blocks: int = 0
    search_indexes: dict[str, int] = field(default_factory=dict)  # URL -> bytes, fetched before any search


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@dataclass(frozen=True)
class Site:
    url: str
    directory: Path


@pytest.fixture(scope="module")
def site(built_site) -> Site:
    """The run's build of the site, served on a free port of 127.0.0.1."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(f"http://127.0.0.1:{server.server_address[1]}/", built_site)
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. "
            "Install it with: apt-get install -y chromium"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser, visit: Visit, context=None):
    """A page in a fresh context (empty cache), or in ``context``, that records errors and aborts requests
    off 127.0.0.1."""
    context = browser.new_context() if context is None else context

    def only_localhost(route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            visit.external_requests.append(route.request.url)
            route.abort()

    context.route("**/*", only_localhost)
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and visit.console_errors.append(msg.text))
    page.on("pageerror", lambda error: visit.page_errors.append(str(error)))
    return context, page


@pytest.fixture(scope="module")
def visits(browser, site) -> dict[str, Visit]:
    """Load every page once, in its own context, and record everything the tests check."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # imported here, not by every collection

    records = {}
    for path in pages(site.directory):
        visit = records[path] = Visit(path)
        context, page = open_page(browser, visit)
        finished = []
        page.on("requestfinished", lambda request, finished=finished: finished.append(request))
        # Material's script may ask for the search index after the network was idle for 500 ms (the
        # script runs once the page is laid out): wait for it, or its bytes go uncounted.
        try:
            with page.expect_request_finished(lambda request: request.url.endswith(f"/{SEARCH_INDEX}"), timeout=10_000):
                page.goto(site.url + path, wait_until="networkidle")
        except PlaywrightTimeout:
            pass  # no index fetched: test_each_page_fetches_its_own_language_s_search_index... names the page
        visit.bytes = sum(max(request.sizes()["responseBodySize"], 0) for request in finished)
        visit.search_indexes = {
            request.url: request.sizes()["responseBodySize"]
            for request in finished
            if request.url.endswith(f"/{SEARCH_INDEX}")
        }
        visit.math = page.evaluate(MATH_JS)
        text = page.evaluate(VISIBLE_TEXT_JS)
        visit.raw_tex = [tex for tex in RAW_TEX if tex in text]
        visit.code_blocks = page.locator("article pre code").count()
        context.close()
    return records


@pytest.fixture
def fresh_page(browser):
    """``fresh_page(visit)`` opens a recording page; its context is closed after the test."""
    contexts = []

    def make(visit: Visit):
        context, page = open_page(browser, visit)
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()


def test_the_site_has_its_pages(visits):
    assert "" in visits, "the home page is missing"
    assert len(visits) >= 10, f"expected the whole site, found only {sorted(visits)}"


def test_no_page_shows_a_python_traceback(site):
    """markdown-exec prints an exception raised in a block as the block's output, and the strict build
    still passes: a page's computed output must never be a traceback."""
    html = {page: index.read_text() for page, index in pages(site.directory).items()}
    broken = [page for page, text in html.items() if "Traceback (most recent call last)" in text]
    assert not broken, f"pages showing a Python traceback: {broken}"


def test_no_page_requests_anything_off_localhost(visits):
    offenders = {path: v.external_requests for path, v in visits.items() if v.external_requests}
    assert not offenders, f"pages requested URLs off 127.0.0.1 (the site must work offline): {offenders}"


def test_no_console_or_page_errors(visits):
    errors = {path: v.console_errors + v.page_errors for path, v in visits.items() if v.console_errors or v.page_errors}
    assert not errors, f"JavaScript console or page errors: {errors}"


def test_every_page_renders_its_math_as_mathml(visits):
    problems = {path: "page missing from the site" for path in MATH_PAGES if path not in visits}
    for path, visit in visits.items():
        if path in MATH_PAGES and not visit.math:
            problems[path] = "no <math> element, but this page's formulas should be there"
        not_mathml = {m["display"] for m in visit.math} - {"math", "block math", "inline math"}
        empty = [m for m in visit.math if not m["hidden"] and (m["width"] == 0 or m["height"] == 0)]
        if not_mathml:
            problems[path] = f"<math> not laid out as MathML (display {sorted(not_mathml)})"
        elif empty:
            problems[path] = f"{len(empty)} visible <math> elements have an empty box"
    assert not problems, f"math not rendered: {problems}"


def test_no_raw_tex_is_left_in_the_text(visits):
    leftovers = {path: v.raw_tex for path, v in visits.items() if v.raw_tex}
    assert not leftovers, f"raw TeX visible outside code blocks (a formula was not converted): {leftovers}"


@pytest.mark.parametrize("path", CODE_PAGES)
def test_pages_show_the_included_code(visits, path):
    assert path in visits, f"page {path} is missing from the site"
    assert visits[path].code_blocks > 0, f"page {path} should show code included from nn/, found none"


def test_no_page_weighs_more_than_3_mb(visits):
    heaviest = max(visits.values(), key=lambda v: v.bytes)
    assert heaviest.bytes <= MAX_PAGE_BYTES, (
        f"heaviest page {heaviest.path or 'home'} loads {heaviest.bytes / 1e6:.2f} MB with its assets "
        f"(limit {MAX_PAGE_BYTES / 1e6:.1f} MB)"
    )


def test_each_page_fetches_its_own_language_s_search_index_within_the_budget(visits, site):
    """Material's script fetches the search index as the page loads (no search was typed): an English page
    the English index, a Chinese page the Chinese one under zh/, and neither weighs more than the budget."""
    wrong, heavy = {}, {}
    for path, visit in visits.items():
        own = site.url + ("zh/" if path.startswith("zh/") else "") + SEARCH_INDEX
        if list(visit.search_indexes) != [own]:
            wrong[path or "home"] = list(visit.search_indexes)
        if any(size > MAX_SEARCH_INDEX_BYTES for size in visit.search_indexes.values()):
            heavy[path or "home"] = max(visit.search_indexes.values())
    assert not wrong, f"pages that did not fetch exactly their own language's search index: {wrong}"
    assert not heavy, f"search indexes over the budget of {MAX_SEARCH_INDEX_BYTES / 1e6:.2f} MB, by page: {heavy}"


def _nav_pages_titled(word: str, language: str) -> list[str]:
    """The pages of ``language`` ("" for English, "zh/") whose nav title in that language contains ``word``
    (in any case), from mkdocs.yml."""
    translations = chinese_language()["nav_translations"] if language else {}
    return sorted(
        f"{language}{page}/" if (page := name.removesuffix(".md").removesuffix("index").rstrip("/")) else language
        for title, name in nav_entries(mkdocs_config()["nav"])
        if name and title and word.lower() in translations.get(title, title).lower()
    )


#: What search must find, by the language of the page searched from: the pages whose title in that
#: language holds the word (Material boosts a match in the title above any match in the text, so
#: these come first). Backprop's derivation pages in English; in Chinese, 反向传播 and 梯度.
SEARCHES = (("", "backprop"), ("zh/", "反向传播"), ("zh/", "梯度"))


@pytest.mark.parametrize(("language", "query"), SEARCHES)
def test_search_lists_the_pages_titled_with_the_word_in_the_page_s_language(fresh_page, site, language, query):
    """Typing a word into the search box lists the pages of the same language titled with it, and no page
    of the other language.

    Material searches on key-up, and Playwright types CJK text without key events: a key press
    (End) after the text runs the search, as a reader's input method does.
    """
    expected = _nav_pages_titled(query, language)
    assert len(expected) >= 2, f"nav titles with {query}: {expected}; the test would check little"
    visit = Visit(f"search {query}")
    page = fresh_page(visit)
    page.goto(site.url + language, wait_until="networkidle")
    search = page.locator("input.md-search__input")
    search.click()
    search.type(query)
    search.press("End")
    results = page.locator(".md-search-result__item > a.md-search-result__link")
    results.first.wait_for(timeout=10_000)
    links = results.evaluate_all("(as) => as.map(a => a.href)")
    found = {urlsplit(urljoin(page.url, href))._replace(query="", fragment="").geturl() for href in links}
    missing = [path for path in expected if site.url + path not in found]
    assert not missing, (
        f"searching {query} from {language or 'the English site'} does not list {missing}; it lists {sorted(found)}"
    )
    other_language = sorted(url for url in found if url.startswith(site.url + "zh/") != (language == "zh/"))
    assert not other_language, f"searching {query} lists pages of the other language: {other_language}"
    assert not visit.console_errors + visit.page_errors, visit
    assert not visit.external_requests, visit


@pytest.mark.parametrize("path", ["", "output-layer/", "experiments/planar/", "reference/nn/"])
def test_the_language_switch_leads_to_the_twin_and_back(fresh_page, site, path):
    """One click on the language switch goes from a page to its Chinese twin, one more comes back.

    The Chinese page names the common Chinese system fonts (the font need not be installed).
    """
    visit = Visit(f"switch {path}")
    page = fresh_page(visit)
    page.goto(site.url + path, wait_until="networkidle")
    for language, target in (("zh", f"zh/{path}"), ("en", path)):
        page.locator(".md-header .md-select").hover()
        page.locator(f".md-header a.md-select__link[hreflang='{language}']").click()
        page.wait_for_url(site.url + target)
        declared = page.evaluate("() => document.documentElement.lang")
        assert declared.startswith(language), f"{target or 'home'} declares lang={declared!r}, expected {language}"
        fonts = page.evaluate("() => getComputedStyle(document.querySelector('article')).fontFamily")
        assert ("PingFang SC" in fonts) == (language == "zh"), f"{target or 'home'}: font stack {fonts}"
    assert not visit.console_errors + visit.page_errors, visit
    assert not visit.external_requests, visit
