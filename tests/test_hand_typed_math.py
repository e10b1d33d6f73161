r"""Display math typed by hand in the docs is a definition, and says so.

Derived formulas reach the pages from SymPy (``docs/_site.py``). A display block typed into a
page's Markdown (``\[ … \]`` or ``$$ … $$``, outside code blocks) must sit right under a line
``<!-- definition: <reason> -->``, so the site's claim about where its formulas come from stays true.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
MARKER = re.compile(r"^\s*<!-- definition: \S.* -->\s*$")
DISPLAY = re.compile(r"\\\[|\$\$")


def unmarked_display_math(markdown: str) -> list[int]:
    """Line numbers (from 1) of display math typed by hand without the definition marker above it."""
    lines, unmarked, fence, inside = markdown.splitlines(), [], None, False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if fence is None and stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        if fence is not None:
            fence = None if stripped.startswith(fence) and stripped.strip("`~") == "" else fence
            continue
        for match in DISPLAY.finditer(line):
            opening = not inside
            inside = not inside if match.group() == "$$" else match.group() == r"\["
            if opening and (number < 2 or not MARKER.match(lines[number - 2])):
                unmarked.append(number)
        if r"\]" in line:
            inside = False
    return unmarked


@pytest.mark.parametrize("page", sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")))
def test_display_math_typed_by_hand_is_marked_as_a_definition(page):
    unmarked = unmarked_display_math((DOCS / page).read_text(encoding="utf-8"))
    assert not unmarked, (
        f"docs/{page}, line(s) {unmarked}: display math typed by hand must be derived with SymPy "
        "(docs/_site.py) or follow a line <!-- definition: <reason> -->"
    )


@pytest.mark.parametrize(
    ("markdown", "unmarked"),
    [
        ("text\n\\[ x = 1 \\]\n", [2]),
        ("<!-- definition: the cost -->\n\\[ J = 1 \\]\n", []),
        ("<!-- definition: the cost -->\n\n\\[ J = 1 \\]\n", [3]),  # a blank line in between does not count
        ("<!-- definition:  -->\n$$ J $$\n", [2]),  # a reason is required
        ("```python\nprint(r'\\[x\\]')\n```\n", []),  # code is not display math
        ("<!-- definition: two lines -->\n\\[ a\n= b \\]\nthen \\[c\\]\n", [4]),
    ],
)
def test_the_marker_rule(markdown, unmarked):
    assert unmarked_display_math(markdown) == unmarked
