"""Search in each language: a page fetches its own language's search index, within a budget, and that
index holds every page of the language and finds each object of the API reference by its name.

Material's script fetches ``search/search_index.json`` under the page's ``base`` as the page loads.
``docs/language_links.py`` splits the one index that mkdocs-static-i18n writes into one per language
and points a Chinese page's ``base`` at ``zh/``. These tests read the run's build (``conftest.py``);
the browser test (``test_browser.py``) checks what a page really fetches and what a search lists.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from site_html import MAX_SEARCH_INDEX_BYTES, SEARCH_INDEX, pages, search_index_of
from support import stated

ROOT = Path(__file__).resolve().parents[1]
#: Each language's folder in the site.
ROOTS = {"en": "", "zh": "zh/"}
#: The heading of an object in mkdocstrings' API reference; its id is the object's path.
API_HEADING = re.compile(r'<h\d id="([^"]+)" class="doc doc-heading"')


def language_of(path: str) -> str:
    return "zh" if path.startswith(ROOTS["zh"]) else "en"


@pytest.fixture(scope="module")
def indexes(built_site) -> dict[str, dict]:
    """Each language's search index, as built."""
    return {
        lang: json.loads((built_site / root / SEARCH_INDEX).read_text(encoding="utf-8")) for lang, root in ROOTS.items()
    }


@pytest.mark.slow
def test_each_page_fetches_the_search_index_of_its_language(built_site):
    built = {**pages(built_site), **{f"{root}404.html": built_site / root / "404.html" for root in ROOTS.values()}}
    wrong = {}
    for path, page in built.items():
        fetched = search_index_of(page, built_site).relative_to(built_site.resolve()).as_posix()
        if fetched != ROOTS[language_of(path)] + SEARCH_INDEX:
            wrong[path or "home"] = fetched
    assert not wrong, f"pages that fetch the search index of another language: {wrong}"


@pytest.mark.slow
def test_the_search_index_a_page_fetches_is_within_the_budget(built_site):
    weights = {
        path or "home": search_index_of(page, built_site).stat().st_size for path, page in pages(built_site).items()
    }
    heaviest = max(weights, key=weights.get)
    assert weights[heaviest] <= MAX_SEARCH_INDEX_BYTES, (
        f"page {heaviest} fetches a search index of {weights[heaviest] / 1e6:.2f} MB "
        f"(budget {MAX_SEARCH_INDEX_BYTES / 1e6:.2f} MB)"
    )


@pytest.mark.slow
@pytest.mark.parametrize("lang", ROOTS)
def test_each_index_holds_every_page_of_its_language_and_no_other(built_site, indexes, lang):
    built = {path.removeprefix(ROOTS[lang]) for path in pages(built_site) if language_of(path) == lang}
    indexed = {entry["location"].split("#")[0] for entry in indexes[lang]["docs"]}
    assert indexed == built, (
        f"{lang} index: pages missing {sorted(built - indexed)}; entries of no {lang} page {sorted(indexed - built)}"
    )


@pytest.mark.slow
@pytest.mark.parametrize("lang", ROOTS)
def test_every_api_object_is_found_by_its_name(built_site, indexes, lang):
    """Each object of the API reference has a search entry on its page whose title starts with its name (or
    its path, for a page's module): the reference's index is its list of names."""
    titles = defaultdict(set)
    for entry in indexes[lang]["docs"]:
        page, _, _ = entry["location"].partition("#")
        titles[page].add(entry["title"].split()[0] if entry["title"] else "")
    missing, objects = [], 0
    for path, page in pages(built_site).items():
        if language_of(path) != lang or "reference/" not in path:
            continue
        for object_path in API_HEADING.findall(page.read_text(encoding="utf-8")):
            objects += 1
            if not {object_path, object_path.rsplit(".", 1)[-1]} & titles[path.removeprefix(ROOTS[lang])]:
                missing.append(f"{path}#{object_path}")
    assert objects > 100, f"found only {objects} objects in the {lang} API reference: the test would check little"
    assert not missing, f"API objects without a search entry under their name: {missing}"


@pytest.mark.parametrize("document", ["docs/maintenance.md", "docs/maintenance.zh.md", "README.md"])
def test_the_pages_state_the_search_index_budget_this_module_asserts(document):
    text = (ROOT / document).read_text(encoding="utf-8")
    (budget,) = stated(text, r"([\d.]+) MB[^\n\d]*`tests/test_search_index\.py`")
    assert float(budget) * 1e6 == MAX_SEARCH_INDEX_BYTES, f"{document} states {budget} MB"
