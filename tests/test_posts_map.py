"""The page "From the blog posts to this site", and every comparison with a post's or the course's number.

Each post has a section with a table whose rows carry a verdict from the fixed list; every
derivation key the page names exists. A post's accuracy is never called a test accuracy
where the post does not say so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import derivations

DOCS = Path(__file__).resolve().parents[1] / "docs"
POSTS = (DOCS / "posts.md").read_text(encoding="utf-8")
VERDICTS = ("correct as written", "correct in other notation", "correct only up to a point", "wrong",
            "not checked here", "not comparable", "consistent with the rerun", "rerun as written",
            "a setting", "pictures missing")  # fmt: skip
FAMILIES = {key.split(".")[0] for key in derivations.keys()}


def sections() -> dict[str, list[list[str]]]:
    """Each level-2 section's table rows (header and rule left out), as lists of cells."""
    parts = re.split(r"^## (.+)$", POSTS, flags=re.MULTILINE)[1:]
    tables = {}
    for title, body in zip(parts[::2], parts[1::2], strict=True):
        rows = [line.strip("|").split(" | ") for line in body.splitlines() if line.startswith("| ")]
        tables[title] = rows[1:]
    return tables


def test_one_section_per_post_each_with_a_table():
    tables = sections()
    assert len(tables) == 5
    assert all(len(rows) >= 5 for rows in tables.values())


@pytest.mark.parametrize("title", list(sections()))
def test_every_row_has_a_verdict_from_the_list(title):
    for row in sections()[title]:
        assert len(row) == 4, row
        assert row[2].startswith(VERDICTS), f"{title}: {row[0]!r} has no verdict from the list: {row[2]!r}"
        if row[2].startswith("wrong"):
            assert len(row[2]) > len("wrong: "), f"{title}: {row[0]!r} is wrong without saying why"


def test_every_key_named_exists():
    keys = set(derivations.keys())
    for title, rows in sections().items():
        for row in rows:
            for key in re.findall(r"`([a-z_]+\.[A-Za-z_]+)`", row[3]):
                if key.split(".")[0] not in FAMILIES:
                    continue  # an API name such as nn.predict
                assert key in keys, f"{title}: {key} is not a derivation key"


def test_a_post_accuracy_is_never_called_a_test_accuracy():
    """The ReLU post does not say whether its 92% is on training or test data."""
    index = (DOCS / "experiments" / "index.md").read_text(encoding="utf-8")
    table = (DOCS / "experiments" / "img" / "breast-cancer-table.txt").read_text(encoding="utf-8")
    page = (DOCS / "experiments" / "breast_cancer.md").read_text(encoding="utf-8")
    assert "92% test" not in index
    assert "train or test not stated" in index
    assert "train or test: not stated" in table.splitlines()[0]
    assert "whether that is training or test accuracy" in page
    assert "clears" not in page  # no conclusion drawn from numbers taken in different settings


def test_the_course_comparison_on_the_planar_page_states_its_setting():
    """The course's sweep ran 5000 iterations on its own points; ours 10000 on ours."""
    header = (DOCS / "experiments" / "img" / "planar-table.txt").read_text(encoding="utf-8").splitlines()[0]
    assert "10000" in header
    assert "5000" in header
    page = (DOCS / "experiments" / "planar.md").read_text(encoding="utf-8")
    assert "the course shows the same" not in page  # its 20 and 50 units do not rise, as the table shows


def test_the_home_page_says_what_the_posts_are_and_links_the_map():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    first = index.index("blog posts")
    assert "(posts.md)" in index[first : first + 400]
    assert "Every formula on this site is printed by SymPy" not in index


def test_the_diagram_takes_the_derivative_from_what_nn_reads():
    """nn computes g'(Z[l]) from the cached Z; the home page's diagram must say the same."""
    import inspect

    import nn

    assert '.derivative(cache[f"Z' in inspect.getsource(nn.network)
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    assert "from Z[1]" in index
    assert "from A[1]" not in index
