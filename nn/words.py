"""Words in English with their Simplified Chinese twins: a gradient check's report, and the errors of bad input.

A :class:`Text` *is* the English string, so ``str(report)``, comparisons and ``in`` see English
as before, and ``text.zh`` is the Chinese; :func:`say` picks one by language. A computed sentence
(a hint, a warning, a diagnosis, an error message) is built as a ``Text`` where its numbers and
names are known, so both languages carry the same numbers and keys. (``derivations.core.Text`` is
the same idea for the derivations' prose; nn does not import ``derivations``, which needs SymPy.)

Every ValueError that nn raises for a bad input is an :class:`InputError`, whose message is such a
``Text``: ``str(error)`` is the English, ``error.text("zh")`` the Chinese. A class that breaks the
contract of the class it extends (an activation without its derivative) is refused with a
:class:`DefinitionError`, a TypeError whose ``str`` gives both languages, since it is raised while a
module is imported, before any language is asked for. This module imports nothing from nn, so every
module can raise either.
"""

from __future__ import annotations

import re

import numpy as np

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


class Bilingual(Exception):
    """An error whose message is a :class:`Text`; :meth:`text` gives it in either language."""

    #: The language ``str(error)`` speaks.
    lang = "en"

    def __init__(self, message: Text):
        super().__init__(message)

    def text(self, lang: str = "en") -> str:
        """The message in English (``"en"``) or Simplified Chinese (``"zh"``)."""
        return say(self.args[0], lang)

    def __str__(self) -> str:
        return self.text(self.lang)


class InputError(Bilingual, ValueError):
    """A bad input: a ValueError whose message, a :class:`Text`, names the broken rule in both languages.

    ``str(error)`` is the English, as for any ValueError, unless ``error.lang`` is set to ``"zh"``
    (what :func:`nn.testing.assert_gradients` does before it re-raises, so that the traceback shows
    the Chinese); :meth:`text` gives either language.

    Example:
        >>> error = InputError(Text("X has 3 rows", "X 有 3 行"))
        >>> str(error), error.text("zh"), isinstance(error, ValueError)
        ('X has 3 rows', 'X 有 3 行', True)
    """


class DefinitionError(Bilingual, TypeError):
    """A class that breaks the contract of the class it extends, refused when it is defined: a TypeError
    whose message, a :class:`Text`, says what to add or change, in both languages.

    It is raised while a module is imported (``nn/activations.py``, or a file of one's own), where no
    ``--lang`` has been read yet, so ``str(error)`` gives the English and then the Chinese on the next
    line; :meth:`text` gives either language alone.

    Example:
        >>> error = DefinitionError(Text("Half must define derivative", "Half 必须定义 derivative"))
        >>> print(error)
        Half must define derivative
        Half 必须定义 derivative
        >>> error.text("zh"), isinstance(error, TypeError)
        ('Half 必须定义 derivative', True)
    """

    def __str__(self) -> str:
        return "\n".join(self.text(lang) for lang in LANGUAGES)


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


#: Words that begin with a vowel letter but the sound of "you" (``uint8``, ``ufunc``), and so take "a".
_YOU = ("uint", "ufunc", "uni", "use", "usu")


def with_article(word) -> str:
    """``word`` with its English indefinite article: "an" before a vowel sound ("an int", "an object",
    "an ellipsis"), "a" otherwise ("a float64", "a uint8", "a NoneType").

    Example:
        >>> with_article("int"), with_article("object"), with_article("float64"), with_article("uint8")
        ('an int', 'an object', 'a float64', 'a uint8')
    """
    word = str(word)
    vowel = word[:1].lower() in ("a", "e", "i", "o", "u") and not word.lower().startswith(_YOU)
    return f"{'an' if vowel else 'a'} {word}"


def described(value) -> Text:
    """What ``value`` is, for a message: "a tuple of 2", "a float64 array of shape (2, 3)", "an int" (in Chinese
    with its verb: "是 2 项的元组", "是一个维度为 (2, 3) 的 float64 数组", "是一个 int")."""
    if isinstance(value, tuple):
        return Text(f"a tuple of {len(value)}", f"是 {len(value)} 项的元组")
    if isinstance(value, np.ndarray):
        dtype, shape = value.dtype, value.shape
        return Text(f"{with_article(dtype)} array of shape {shape}", f"是一个维度为 {shape} 的 {dtype} 数组")
    return Text(with_article(type(value).__name__), f"是一个 {type(value).__name__}")


#: numpy's words for a floating-point error (``overflow encountered in exp``), in Chinese.
FLOATING_POINT_ZH = {"overflow": "溢出", "invalid value": "无效值", "divide by zero": "除以零", "underflow": "下溢"}


def floating_point(error: FloatingPointError) -> Text:
    """numpy's message for ``error`` with its Chinese (``exp 中出现溢出``), as numpy wrote it in both if it is
    worded otherwise."""
    found = re.fullmatch(rf"({'|'.join(FLOATING_POINT_ZH)}) encountered in (\w+)", str(error))
    return Text(str(error), f"{found[2]} 中出现{FLOATING_POINT_ZH[found[1]]}" if found else str(error))
