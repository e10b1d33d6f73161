"""MkDocs hook: each language's folder gets a sitemap.xml of its own pages (``zh/sitemap.xml``).

mkdocs-static-i18n writes one sitemap.xml at the site's root, listing every page of every
language. Material's language switch fetches ``sitemap.xml`` under each language's root: without
``zh/sitemap.xml`` every page logs a failed request (a 404), and the switch cannot look the page
up. This hook writes it after the last language is built: the root sitemap's entries whose
address is under ``zh/``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from mkdocs.plugins import event_priority

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
ET.register_namespace("", SITEMAP)
ET.register_namespace("xhtml", XHTML)


def language_sitemap(sitemap: str, prefix: str) -> str:
    """The sitemap ``sitemap`` (XML text) cut down to the pages whose address starts with ``prefix``."""
    root = ET.fromstring(sitemap)
    for url in list(root):
        if not url.findtext(f"{{{SITEMAP}}}loc", "").strip().startswith(prefix):
            root.remove(url)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


@event_priority(-200)  # after mkdocs-static-i18n (-100) has built the other languages
def on_post_build(config, **kwargs) -> None:
    i18n = config.plugins.get("i18n")
    site = Path(config.site_dir)
    if i18n is None or not (site / "sitemap.xml").exists():
        return
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for language in i18n.config.languages:
        folder = site / language.locale
        if not language.default and folder.is_dir():
            text = language_sitemap(sitemap, f"{config.site_url}{language.locale}/")
            (folder / "sitemap.xml").write_text(text, encoding="utf-8")
