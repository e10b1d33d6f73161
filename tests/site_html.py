"""Reading the built site's HTML with the standard library (prose, heading ids, language links) and mkdocs.yml.

The language tests (``test_languages.py``) and the browser test share one build of the site
(``conftest.py``); this module reads its pages without a browser, with the reader the build's
own language checks use (``sitemarkdown.prose``).
"""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path

import yaml

from sitemarkdown.prose import Page, read_html

ROOT = Path(__file__).resolve().parents[1]
#: The site's address in the test build: the language switch of the home pages links to absolute
#: paths under it ("/zh/"), which work on any port of 127.0.0.1 because its path is "/".
SITE_URL = "http://127.0.0.1:8000/"


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
