"""The terminology page (中英术语对照): the terms the issue names, in both languages, each linked.

mkdocs build --strict checks that each link's page and anchor exist; these tests check what the
build cannot: that the Chinese table holds the words readers come with, that every row points to
the page defining its symbol, and that the two languages' tables list the same rows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
#: The words the posts and Chinese courses use that a reader must find in the Chinese table.
REQUIRED_TERMS = ("反向传播", "前向传播", "激活函数", "代价函数", "逐元素乘", "矩阵乘法", "维度", "内积", "点乘")
LINK = re.compile(r"\]\(([^)#]+\.md)(?:#([^)]+))?\)")


def table_rows(name: str) -> list[str]:
    """The body rows of the page's terminology table (the section with id ``terms``)."""
    text = (DOCS / name).read_text(encoding="utf-8")
    section = text[text.index("{#terms}") :]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return rows[2:]  # header and separator


@pytest.mark.parametrize("term", REQUIRED_TERMS)
def test_the_chinese_table_holds_the_term(term):
    assert any(term in row for row in table_rows("terminology.zh.md")), f"{term} is missing from the Chinese table"


@pytest.mark.parametrize("name", ["terminology.md", "terminology.zh.md"])
def test_every_row_links_to_the_page_that_defines_it(name):
    rows = table_rows(name)
    assert len(rows) >= 25, f"{name}: the table has {len(rows)} rows"
    unlinked = [row.split("|")[1].strip() for row in rows if not LINK.search(row)]
    assert not unlinked, f"{name}: rows without a link to the page defining their symbol: {unlinked}"
    missing = [page for row in rows for page, _ in LINK.findall(row) if not (DOCS / page).exists()]
    assert not missing, f"{name}: links to pages that do not exist: {missing}"


def test_both_languages_list_the_same_rows():
    """Row by row, the English and Chinese tables link to the same place: neither has a term the other lacks."""
    english, chinese = ([LINK.findall(row) for row in table_rows(n)] for n in ("terminology.md", "terminology.zh.md"))
    assert english == chinese
    first = [[row.split("|")[1].strip() for row in table_rows(n)] for n in ("terminology.md", "terminology.zh.md")]
    assert first[0] == first[1], "the first column (the Chinese term) differs between the two tables"
