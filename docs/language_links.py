"""MkDocs hook: each page's twin is linked by the language switch and the sitemap, not by the page's head.

mkdocs-static-i18n points the ``<link rel="alternate" hreflang>`` of each page's head at the page's
twin (``../zh/output-layer/``). Material's script takes those links for language roots and fetches
``sitemap.xml`` under each (``zh/output-layer/sitemap.xml``), which does not exist: every page
logged two failed requests. Without the head links the script looks nothing up, and the switch's
own links (``<a hreflang>``, also set by static-i18n) lead to the twin wherever the site is served.
Search engines still learn each page's twin from sitemap.xml, which lists both languages of every
page (``<xhtml:link rel="alternate" hreflang>``).
"""

from __future__ import annotations

import re

#: A head link to the page in another language, as Material's base.html writes it (not the RSS feeds).
HEAD_ALTERNATE = re.compile(r'\n?[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def on_post_page(output: str, page, config) -> str:
    head, separator, body = output.partition("</head>")
    return HEAD_ALTERNATE.sub("", head) + separator + body
