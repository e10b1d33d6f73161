r"""What a reader types, read as the parser's ASCII: the one normalisation step before :func:`scaffold.parse`.

Formulas copied from a blog post, a PDF or typed with a Chinese input method bring typographic forms
of what the parser reads: ``−`` for ``-``, ``A²`` for ``A**2``, ``Wᵀ`` for ``W.T``, ``⊙`` for ``*``,
full-width ``（ ）`` and digits. :func:`normalise` rewrites each into the ASCII spelling, character by
character, as :data:`READINGS` lists (the pages show that table). Every other character passes through
Unicode's NFKC compatibility mapping, which turns full-width forms, subscripts (``W₂``) and math
italics (``𝑎``) into plain ASCII, and anything left that the grammar lacks is refused by the parser.

Some forms have two readings when matrices meet them: ``×`` between two matrices (the matrix product, as
in the shape rule (p, n) × (n, q) → (p, q), or numpy's entrywise ``*``), ``·`` (the dot product, numpy's
``np.dot``, or the entrywise product that some posts call 点乘), and a power typed as a superscript or
with TeX's ``^`` (``A²`` is A A in linear algebra, ``A**2`` entrywise in numpy). Between numbers, or a
number and a matrix, the readings agree. The parser refuses them where matrices meet them, with both
readings (:meth:`Typed.ambiguous_at`); ``Typed.symbols`` remembers where each one was typed.

Example:
    >>> normalise("（a − y）² ⊙ Wᵀ")
    '(a - y)**2 * W.T'
"""

from __future__ import annotations

import unicodedata

from .core import Text, say

#: the typed forms, what the parser reads for each (a Text when it is said, not typed), and what each means
READINGS = (
    ("− – ‒ ‐", "-", Text("minus (U+2212 minus sign, U+2013 en dash, U+2012 figure dash, U+2010 hyphen)",
                           "减号（U+2212 减号、U+2013 连接号、U+2012 数字线、U+2010 连字符）")),
    ("⊙ ∘ ∗", "*", Text("the entrywise (Hadamard) product, numpy's *", "逐元素乘（Hadamard 积），numpy 的 *")),
    ("× · ⋅ ∙", "*", Text(
        "a product of numbers, or of a number and a matrix; between two matrices it is refused, "
        "since it may be the matrix product @ or the entrywise product *",
        "数与数、数与矩阵的乘积；两个矩阵之间不接受，因为它既可能是矩阵乘法 @，也可能是逐元素乘 *")),
    ("÷", "/", Text("division", "除法")),
    ("^", "**", Text(
        "a power, as in TeX (in Python and numpy ^ is the bitwise exclusive or, which a formula has no use "
        "for); of a matrix it is refused, as A² is",
        "乘方，与 TeX 相同（在 Python 和 numpy 中 ^ 是按位异或，公式里用不到）；矩阵的幂不接受，与 A² 相同")),
    ("a² a³ a⁻¹ betaᵗ", "a**2 a**3 a**(-1) beta**t", Text(
        "a power; of a matrix it is refused, since A² may be the matrix power A @ A or numpy's "
        "entrywise A**2",
        "乘方；矩阵的上标幂不接受，因为 A² 既可能是矩阵的幂 A @ A，也可能是 numpy 的逐元素 A**2")),
    ("Wᵀ W2ᵀ (A)ᵀ W⊤", "W.T W2.T (A).T W.T", Text("the transpose", "转置")),
    ("（ ） ＋ － ＊ ／ ０ … ９ ａ … ｚ W₂ 𝑎", "( ) + - * / 0 … 9 a … z W2 a", Text(
        "full-width forms of a Chinese input method, subscript digits and math letters "
        "(Unicode's NFKC mapping)",
        "中文输入法的全角字符、下标数字和数学字母（按 Unicode 的 NFKC 规范化）")),
    (Text("line break, tab, no-break space, full-width space", "换行、制表符、不换行空格、全角空格"),
     Text("a space", "空格"), Text("a formula copied over several lines reads as one line",
                                   "跨行复制的公式读作一行")),
)  # fmt: skip

#: the characters rewritten one for one, before NFKC (which leaves them as they are)
PLAIN = {
    **dict.fromkeys("−–‒‐\u2011\ufe63", "-"),
    **dict.fromkeys("⊙∘∗", "*"),
    **dict.fromkeys("×·⋅∙", "*"),
    "÷": "/",
    "^": "**",
    **dict.fromkeys("ᵀ⊤", ".T"),
    **dict.fromkeys("\n\r\t", " "),
}
#: the symbols with two readings when matrices meet them (a product of two, a power of one), as messages name them
TWO_READINGS = frozenset("×·⋅∙^")
TRANSPOSE = "ᵀ"  # a superscript, but not an exponent


class Typed(str):
    """The parser's text (a ``str``), with what was typed and where each product or power with two
    readings sits: ``symbols`` maps the operator's UTF-8 offset in the text (as ``ast`` counts columns)
    to the symbol that was typed for it."""

    typed: str
    symbols: dict[int, str]

    def __new__(cls, text: str, typed: str, symbols: dict[int, str]):
        made = super().__new__(cls, text)
        made.typed, made.symbols = typed, symbols
        return made

    def ambiguous_at(self, operator: int) -> str | None:
        """The typed symbol (``×``, ``·``, ``²``…) of the operator at byte ``operator``, if it has two readings."""
        return self.symbols.get(operator)

    def read_as(self) -> Text | None:
        """What a message adds when the text was rewritten: ``'Wᵀ @ dZ' was read as 'W.T @ dZ'``."""
        if self.typed == str(self):
            return None
        return Text(f" ({self.typed!r} was read as {str(self)!r})", f"（{self.typed!r} 读作 {str(self)!r}）")


def _plain(character: str) -> str:
    if character in PLAIN:
        return PLAIN[character]
    compatible = unicodedata.normalize("NFKC", character)
    return "".join(PLAIN.get(c, c) for c in compatible)


def _superscript(character: str) -> bool:
    return unicodedata.decomposition(character).startswith("<super>")


def normalise(text: str) -> Typed:
    """``text`` with each typographic form of :data:`READINGS` rewritten as the parser's ASCII."""
    text = text.strip()
    out: list[str] = []
    symbols: dict[int, str] = {}
    size = 0  # UTF-8 bytes written so far: where the next operator starts, as ``ast`` counts columns
    index = 0
    while index < len(text):
        end = index + 1
        if _superscript(text[index]) and text[index] not in TRANSPOSE:
            while end < len(text) and _superscript(text[end]) and text[end] not in TRANSPOSE:
                end += 1
            exponent = "".join(_plain(c) for c in text[index:end])
            symbols[size] = text[index:end]
            piece = f"**{exponent}" if exponent.isalnum() else f"**({exponent})"
        else:
            if text[index] in TWO_READINGS:
                symbols[size] = text[index]
            piece = _plain(text[index])
        out.append(piece)
        size += len(piece.encode())
        index = end
    return Typed("".join(out).rstrip(), text, symbols)


def readings_table(lang: str = "en") -> str:
    """:data:`READINGS` as a Markdown table in ``lang``, for the derive page."""
    head = {"en": ("typed", "read as", "meaning"), "zh": ("输入", "读作", "含义")}[lang]
    rows = [f"| {' | '.join(head)} |", "|---|---|---|"]
    for typed, ascii, meaning in READINGS:
        read = say(ascii, lang) if isinstance(ascii, Text) else f"`{ascii}`"
        rows.append(f"| {say(typed, lang)} | {read} | {say(meaning, lang)} |")
    return "\n".join(rows)
