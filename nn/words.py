"""Words in English with their Simplified Chinese twins: a gradient check's report, and the errors of bad input.

A :class:`Text` *is* the English string, so ``str(report)``, comparisons and ``in`` see English
as before, and ``text.zh`` is the Chinese; :func:`say` picks one by language. A computed sentence
(a hint, a warning, a diagnosis, an error message) is built as a ``Text`` where its numbers and
names are known, so both languages carry the same numbers and keys. (``derivations.core.Text`` is
the same idea for the derivations' prose; nn does not import ``derivations``, which needs SymPy.)

Every ValueError that nn raises for a bad input is an :class:`InputError`, whose message is such a
``Text``: ``str(error)`` is the English, ``error.text("zh")`` the Chinese. This module imports
nothing from nn, so every module can raise one.
"""

from __future__ import annotations

#: The languages a report (and an error's message) is written in.
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


class InputError(ValueError):
    """A bad input: a ValueError whose message, a :class:`Text`, names the broken rule in both languages.

    ``str(error)`` is the English, as for any ValueError, unless ``error.lang`` is set to ``"zh"``
    (what :func:`nn.testing.assert_gradients` does before it re-raises, so that the traceback shows
    the Chinese); :meth:`text` gives either language.

    Example:
        >>> error = InputError(Text("X has 3 rows", "X 有 3 行"))
        >>> str(error), error.text("zh"), isinstance(error, ValueError)
        ('X has 3 rows', 'X 有 3 行', True)
    """

    #: The language ``str(error)`` speaks.
    lang = "en"

    def __init__(self, message: Text):
        super().__init__(message)

    def text(self, lang: str = "en") -> str:
        """The message in English (``"en"``) or Simplified Chinese (``"zh"``)."""
        return say(self.args[0], lang)

    def __str__(self) -> str:
        return self.text(self.lang)


def language(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGUAGES`; a ValueError naming them otherwise."""
    if lang not in LANGUAGES:
        raise InputError(Text(
            f"unknown language {lang!r}: a report is written in {' or '.join(map(repr, LANGUAGES))}",
            f"未知的语言 {lang!r}：报告用 {' 或 '.join(map(repr, LANGUAGES))} 书写",
        ))  # fmt: skip
    return lang


def say(text: str, lang: str = "en") -> str:
    """``text`` in ``lang``: a :class:`Text`'s Chinese twin for ``"zh"``, the English otherwise (a plain
    ``str``, such as a report's field set by hand, has only its English)."""
    if language(lang) == "zh" and isinstance(text, Text):
        return text.zh
    return str.__str__(text)
