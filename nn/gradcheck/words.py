"""The words of a gradient check's report, each in English with its Simplified Chinese twin.

A :class:`Text` *is* the English string, so ``str(report)``, comparisons and ``in`` see English
as before, and ``text.zh`` is the Chinese; :func:`say` picks one by language. A computed sentence
(a hint, a warning, a diagnosis) is built as a ``Text`` where its numbers and names are known, so
both languages carry the same numbers and keys. (``derivations.core.Text`` is the same idea for the
derivations' prose; nn does not import ``derivations``, which needs SymPy.)
"""

from __future__ import annotations

#: The languages a report is written in.
LANGUAGES = ("en", "zh")


class Text(str):
    """English, carrying its Chinese twin ``zh``.

    Example:
        >>> note = Text("hint", "提示")
        >>> say(note, "zh"), say(note, "en"), note == "hint"
        ('提示', 'hint', True)
    """

    zh: str

    def __new__(cls, en: str, zh: str) -> Text:
        text = super().__new__(cls, en)
        text.zh = zh
        return text

    def __reduce__(self):
        return Text, (str.__str__(self), self.zh)


def language(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGUAGES`; a ValueError naming them otherwise."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: a report is written in {' or '.join(map(repr, LANGUAGES))}")
    return lang


def say(text: str, lang: str = "en") -> str:
    """``text`` in ``lang``: a :class:`Text`'s Chinese twin for ``"zh"``, the English otherwise (a plain
    ``str``, such as a report's field set by hand, has only its English)."""
    if language(lang) == "zh" and isinstance(text, Text):
        return text.zh
    return str.__str__(text)
