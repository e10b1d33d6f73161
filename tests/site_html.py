"""Reading the built site's HTML with the standard library (prose, heading ids, language links) and mkdocs.yml.

The language tests (``test_languages.py``) and the browser test share one build of the site
(``conftest.py``); this module reads its pages without a browser, with the reader the build's
own language checks use (``sitemarkdown.prose``).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import sys
from pathlib import Path

import yaml

from sitemarkdown.prose import Page, read_html

ROOT = Path(__file__).resolve().parents[1]
#: The site's address in the test build: the language switch of the home pages links to absolute
#: paths under it ("/zh/"), which work on any port of 127.0.0.1 because its path is "/".
SITE_URL = "http://127.0.0.1:8000/"
#: The most the search index that a page fetches may weigh. Material's script fetches it on every page load
#: (over http, before any search), so a reader on a phone pays it on the first page they open.
MAX_SEARCH_INDEX_BYTES = 1_250_000
#: The most a page may weigh with every file it loads (README.md's budget of 3 MB, in MB of 10⁶ bytes as above).
MAX_PAGE_BYTES = 3_000_000
#: The search index as Material's script asks for it, under the page's ``base``.
SEARCH_INDEX = "search/search_index.json"
#: Material's settings for its script in a built page: ``base`` is where it looks for :data:`SEARCH_INDEX`.
MATERIAL_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL)


@functools.cache
def docs_module(name: str):
    """A module of ``docs/`` (a hook, the griffe extension), loaded from its file as MkDocs loads it."""
    spec = importlib.util.spec_from_file_location(f"docs_{name}", ROOT / "docs" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@functools.cache
def read_page(path: Path) -> Page:
    """The language, description, article prose, heading ids and language links of one built page."""
    return read_html(path.read_text(encoding="utf-8"))


def pages(site: Path) -> dict[str, Path]:
    """Every page of the built site by its path ("" for the home page, "zh/notation/" ...)."""
    found = {}
    for index in sorted(site.rglob("index.html")):
        relative = str(index.parent.relative_to(site))
        found["" if relative == "." else f"{relative}/"] = index
    return found


def search_index_of(page: Path, site: Path) -> Path:
    """The search index that a built page of ``site`` fetches: :data:`SEARCH_INDEX` under the ``base``
    of its settings for Material's script (a path from the page, or from the site's root for the 404 pages,
    whose base is absolute: the test build's site URL has the path "/")."""
    config = json.loads(MATERIAL_CONFIG.search(page.read_text(encoding="utf-8")).group(1))
    base = site / config["base"].lstrip("/") if config["base"].startswith("/") else page.parent / config["base"]
    return (base / SEARCH_INDEX).resolve()


class _Env(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Reads mkdocs.yml without mkdocs: ``!ENV [NAME, default]`` becomes its default (with libyaml's parser
    where PyYAML has it, a fifteenth of the pure-Python parser's time)."""


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
