"""The words of the worked examples' figures and tables, in English and Simplified Chinese.

Every example draws each figure and writes each table once per language, from one run: the
numbers are the same, only the words differ. ``planar-cost.png`` is the English file and
``planar-cost.zh.png`` its Chinese twin, the suffix of the docs' Chinese pages. A module keeps its
words in one table made by :func:`words`, each English string beside its Chinese one; a string
with fields (``"seed {seed}"``) is filled with ``str.format``, and both languages must name the
same fields with the same formats, so a number reads the same in both.

Example:
    >>> WORDS = words(seed=("seed {seed}", "种子 {seed}"))
    >>> WORDS["zh"]["seed"].format(seed=2), localized("planar-table.txt", "zh")
    ('种子 2', 'planar-table.zh.txt')
"""

from __future__ import annotations

from ..words import InputError, Text

#: The languages every example writes: English, and Simplified Chinese for the docs' zh/ pages.
LANGUAGES = ("en", "zh")


def words(**pairs: tuple[str, str]) -> dict[str, dict[str, str]]:
    """``{"en": {name: English}, "zh": {name: Chinese}}`` from ``name=(English, Chinese)`` pairs."""
    return {lang: {name: pair[index] for name, pair in pairs.items()} for index, lang in enumerate(LANGUAGES)}


def check_language(lang: str) -> str:
    """``lang`` itself when the examples are written in it; an :class:`~nn.words.InputError` naming the languages
    otherwise."""
    if lang not in LANGUAGES:
        raise InputError(Text(
            f"unknown language {lang!r}: the examples are written in {' and '.join(map(repr, LANGUAGES))}",
            f"未知的语言 {lang!r}：示例只用 {' 和 '.join(map(repr, LANGUAGES))} 两种语言书写",
        ))  # fmt: skip
    return lang


def localized(name: str, lang: str) -> str:
    """The file ``name`` in ``lang``: unchanged in English, ``stem.zh.ext`` in Chinese."""
    if check_language(lang) == LANGUAGES[0]:
        return name
    stem, _, extension = name.rpartition(".")
    return f"{stem}.{lang}.{extension}"
