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

Two readings depend on the answer's names, which :func:`normalise` is given. A Greek letter (``β``,
``λ``, ``α``, with digits after it: ``β₁``) reads as its ASCII name (:data:`GREEK`) only where the answer
has that ASCII name and not the Greek one; elsewhere it stays, and the parser's "unknown name" message
says its ASCII name. TeX's transpose ``^\top`` (or ``^{\top}``) always reads as ``.T``; ``^T`` and
``^{T}`` read as ``.T`` only where the answer has no name ``T``, where they stay a power, as before. In
both cases the text the reading replaces was refused before it (an unknown name, a backslash, a brace,
or the unknown name ``T``), so no answer that was read before changes its meaning.

TeX's braced exponent reads as the power it writes: ``a^{2}`` as ``a**2``, ``x^{-1}`` as ``x**(-1)`` (its inside
read as any text), where the brace was refused before; of a matrix it has two readings, as ``A^2``.

numpy's calls are read after the text is parsed, by one rewrite of its syntax tree, :func:`read_calls`:
``np.dot(A, B)``, ``numpy.dot``, ``A.dot(B)`` and ``np.matmul(A, B)`` become ``A @ B``, and
``np.multiply(A, B)`` becomes ``A * B``. numpy's ``np.dot`` is the matrix product only of two 2-D arrays
(of two vectors it is a sum, of a number a product), so the parser refuses it with a number.
``np.exp(x)`` and the other functions of :data:`NUMPY_FUNCTIONS` become the parser's ``exp(x)``, which is of
numbers: numpy's entrywise function of a matrix is refused, by name. ``np.sum(X, axis=1, keepdims=True)``,
``X.sum(...)`` and ``np.mean`` keep their ``axis`` and ``keepdims`` in one spelling, which the parser reads as
numpy computes it (a sum with a row or a column of ones, a 1-D array, a number). Every other numpy function
is refused with its name.

Example:
    >>> normalise("（a − y）² ⊙ Wᵀ")
    '(a - y)**2 * W.T'
"""

from __future__ import annotations

import ast
import unicodedata
from collections.abc import Collection

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
    ("a^{2} x^{-1} beta^{t}", "a**2 x**(-1) beta**t", Text(
        "a power, with TeX's braced exponent; of a matrix it is refused, as A² is",
        "乘方，用 TeX 带花括号的指数；矩阵的幂不接受，与 A² 相同")),
    ("a² a³ a⁻¹ betaᵗ", "a**2 a**3 a**(-1) beta**t", Text(
        "a power; of a matrix it is refused, since A² may be the matrix power A @ A or numpy's "
        "entrywise A**2",
        "乘方；矩阵的上标幂不接受，因为 A² 既可能是矩阵的幂 A @ A，也可能是 numpy 的逐元素 A**2")),
    ("Wᵀ W2ᵀ (A)ᵀ W⊤", "W.T W2.T (A).T W.T", Text("the transpose", "转置")),
    ("W^\\top W^{\\top} W^T W^{T} (A)^T", "W.T W.T W.T W.T (A).T", Text(
        "the transpose, as in TeX; ^T and ^{T} only where the answer has no name T (there they are a power)",
        "转置，与 TeX 相同；^T 和 ^{T} 仅在答案没有名字 T 时如此（有 T 时是乘方）")),
    ("β λ α β₁", "beta lambd alpha beta1", Text(
        "the ASCII name, where the answer has it (λ is lambd, since lambda is a Python keyword; β₁, Adam's "
        "momentum β, is beta where there is no beta1); elsewhere the message says which ASCII name it is",
        "ASCII 名字，仅在答案有这个名字时如此（λ 写作 lambd，因为 lambda 是 Python 的关键字；β₁ 即 Adam 的动量 β，"
        "没有 beta1 时读作 beta）；否则提示会说明它的 ASCII 名字")),
    ("np.dot(A,B) numpy.dot(A,B) A.dot(B) np.matmul(A,B)", "A@B", Text(
        "the matrix product of two matrices, as numpy computes it for 2-D arrays; with a number it is refused "
        "(numpy's np.dot of two vectors is a sum, of a number a product): type * there",
        "两个矩阵的矩阵乘法，与 numpy 对二维数组的计算相同；有数参与时不接受（numpy 的 np.dot 对两个向量是求和，"
        "对数是乘积）：请输入 *")),
    ("np.multiply(A,B)", "A*B", Text("numpy's entrywise product *", "numpy 的逐元素乘 *")),
    ("np.exp(z) numpy.log(z) np.sqrt(z) np.tanh(z) np.maximum(0,z) np.pi", "exp(z) log(z) sqrt(z) tanh(z) max(0,z) pi",
     Text("the parser's own function or constant (np.sinh, np.cosh, np.sin, np.cos, np.abs, np.minimum and np.e "
          "too), of numbers; of a matrix numpy's function is entrywise, which is not read, so it is refused",
          "解析器自己的函数或常数（np.sinh、np.cosh、np.sin、np.cos、np.abs、np.minimum 和 np.e 也一样），作用于数；"
          "numpy 的函数作用于矩阵时是逐元素的，这不读取，所以不接受")),
    ("np.sum(A,axis=1,keepdims=True) A.sum(axis=1,keepdims=True) np.mean(A,axis=1,keepdims=True)",
     Text("A @ 1, with 1 a column of q ones (divided by q for the mean)",
          "A @ 1，1 是 q 个 1 组成的列（平均值再除以 q）"),
     Text("numpy's sum along each row of A of shape (p, q), kept as a (p, 1) column; axis=0 sums down each column "
          "into a (1, q) row",
          "numpy 对维度为 (p, q) 的 A 逐行求和，保留为 (p, 1) 的列；axis=0 则逐列求和，得到 (1, q) 的行")),
    ("np.sum(A,axis=1) np.sum(A)", Text("a 1-D array; a number", "一维数组；一个数"), Text(
        "without keepdims=True numpy drops the summed axis: a 1-D array of shape (p,), which may meet numbers but "
        "not a matrix (numpy's rules for it there are not read); with no axis, the sum of every entry. "
        "Either is a wrong shape where a column is asked for",
        "不带 keepdims=True 时 numpy 会去掉求和的那一维，得到维度为 (p,) 的一维数组，它可以与数运算，但不能与矩阵运算"
        "（numpy 在那里对它的规则不读取）；不给 axis 时是所有元素之和。要求一列时，两者都是维度错误")),
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
#: TeX's transposes, longest first; those with a bare T only where the answer has no name T
TEX_TRANSPOSES = ("^{\\top}", "^\\top", "^{T}", "^T")
#: Greek letters and the ASCII names that exercises give them (λ is lambd: lambda is a Python keyword)
GREEK = {"α": "alpha", "β": "beta", "λ": "lambd"}
#: an ASCII name read as another where the answer lacks it: Adam's β₁ is the momentum's β (docs/optimizers.md)
ALIASES = {"beta1": "beta"}
#: numpy's functions read as an operator, and the methods of a matrix read so
NUMPY = ("np", "numpy")
CALLS = {"dot": ast.MatMult, "matmul": ast.MatMult, "multiply": ast.Mult}
METHODS = {"dot": ast.MatMult}
#: numpy's functions read as the parser's function of that name, of numbers, with their number of arguments
NUMPY_FUNCTIONS = {
    **{name: (name, 1) for name in ("exp", "log", "sqrt", "tanh", "sinh", "cosh", "sin", "cos", "abs")},
    "absolute": ("abs", 1), "maximum": ("max", 2), "minimum": ("min", 2),
}  # fmt: skip
#: numpy's sums over an axis, as functions (np.sum) and as methods (X.sum), each read in one spelling
REDUCTIONS = ("sum", "mean")
REDUCED = tuple(f"np.{name}" for name in REDUCTIONS)  # that spelling's function: no name typed has a dot
#: numpy's constants and the parser's names for them
NUMPY_CONSTANTS = {"pi": "pi", "e": "E"}


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


def _in_name(character: str) -> bool:
    """``character`` continues a name once read (``β₁``: a subscript digit does, a superscript does not)."""
    plain = _plain(character)
    return not _superscript(character) and (plain == "_" or plain.isalnum())


def ascii_name(name: str) -> str | None:
    """The ASCII spelling of a name that starts with a Greek letter of :data:`GREEK` (``β1`` -> ``beta1``)."""
    return GREEK[name[0]] + name[1:] if name[:1] in GREEK else None


def _greek(name: str, names: Collection[str]) -> str:
    """What the parser reads for ``name``: its ASCII name where the answer has that and not ``name`` itself."""
    spelled = ascii_name(name)
    if name in names or spelled is None:
        return name
    if spelled in names:
        return spelled
    return ALIASES[spelled] if ALIASES.get(spelled) in names else name


def _tex_transpose(text: str, index: int, names: Collection[str]) -> str | None:
    """The TeX transpose at ``text[index]`` (``^T``, ``^{\\top}``...), if it reads as one there."""
    for form in TEX_TRANSPOSES:
        after = index + len(form)
        if text.startswith(form, index) and not (after < len(text) and _in_name(text[after])):
            return form if "top" in form or "T" not in names else None
    return None


def _braced_exponent(text: str, index: int) -> int | None:
    """Where TeX's braced exponent at ``text[index]`` (``^{2}``, ``^{-1}``) closes, if one starts there and holds
    no other brace."""
    if not text.startswith("^{", index):
        return None
    close = text.find("}", index + 2)
    return close if close > index + 2 and "{" not in text[index + 2 : close] else None


def normalise(text: str, names: Collection[str] = ()) -> Typed:
    """``text`` with each typographic form of :data:`READINGS` rewritten as the parser's ASCII, for an
    answer with ``names`` (a Greek letter or ``^T`` reads according to them)."""
    text = text.strip()
    out: list[str] = []
    symbols: dict[int, str] = {}
    closing: set[int] = set()  # where the braces of TeX's exponents close
    size = 0  # UTF-8 bytes written so far: where the next operator starts, as ``ast`` counts columns
    index = 0
    while index < len(text):
        end = index + 1
        starts_name = index == 0 or not _in_name(text[index - 1])
        if index in closing:  # the brace that closes a TeX exponent
            piece = ")"
        elif (transpose := _tex_transpose(text, index, names)) is not None:
            end, piece = index + len(transpose), ".T"
        elif (close := _braced_exponent(text, index)) is not None:
            exponent = "".join(_plain(c) for c in text[index + 2 : close])
            symbols[size] = text[index : close + 1]
            if exponent.isascii() and exponent.isalnum():  # a^{2}: a**2
                end, piece = close + 1, f"**{exponent}"
            else:  # a^{-1}: a**(-1), its inside read as any text
                end, piece = index + 2, "**("
                closing.add(close)
        elif starts_name and _plain(text[index])[:1] in GREEK:
            while end < len(text) and _in_name(text[end]):
                end += 1
            piece = _greek("".join(_plain(c) for c in text[index:end]), names)
        elif _superscript(text[index]) and text[index] not in TRANSPOSE:
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


class Refused(ValueError):
    """A numpy form :func:`read_calls` does not read; the message (a ``Text``, EXPR for the text) names it."""


class _Calls(ast.NodeTransformer):
    def __init__(self, text: str, names: Collection[str]):
        self.text, self.names = text, names

    def _numpy(self, node: ast.expr) -> bool:
        """``node`` is numpy's module, ``np`` or ``numpy``, where the answer has no name so spelled."""
        return isinstance(node, ast.Name) and node.id in NUMPY and node.id not in self.names

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        if self._numpy(node.value) and node.attr in NUMPY_CONSTANTS:  # np.pi, np.e
            return ast.copy_location(ast.Name(NUMPY_CONSTANTS[node.attr], ast.Load()), node)
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)  # the calls inside the arguments first
        function = node.func
        if not isinstance(function, ast.Attribute):
            return node
        source = ast.get_source_segment(self.text, node)
        if self._numpy(function.value):
            form, arguments = f"{function.value.id}.{function.attr}", node.args
            if function.attr in NUMPY_FUNCTIONS:
                return self._function(node, form, source)
            if function.attr in REDUCTIONS:
                return self._reduction(node, form, source, arguments[0] if arguments else None, arguments[1:])
            operator = CALLS.get(function.attr)
            if operator is None:
                raise Refused(
                    Text(
                        f"{source!r}: numpy's {form} is not read in EXPR; numpy's functions read are {_read_en()}",
                        f"{source!r}：EXPR 中不读取 numpy 的 {form}；读取的 numpy 函数有{_read_zh()}",
                    )
                )
        elif function.attr in METHODS:
            form, operator, arguments = f".{function.attr}", METHODS[function.attr], [function.value, *node.args]
        elif function.attr in REDUCTIONS:
            return self._reduction(node, f".{function.attr}", source, function.value, node.args)
        else:
            return node
        if len(arguments) != 2 or node.keywords:
            raise Refused(
                Text(
                    f"{source!r}: {form} is read with two arguments and nothing else, as A @ B or A * B",
                    f"{source!r}：{form} 只读取两个参数、不带其他参数的形式，即 A @ B 或 A * B",
                )
            )
        product = ast.copy_location(ast.BinOp(arguments[0], operator(), arguments[1]), node)
        product.call = form  # what was typed: the parser refuses np.dot with a number, and finds no × or · in it
        return product

    @staticmethod
    def _function(node: ast.Call, form: str, source: str) -> ast.Call:
        """``np.exp(x)`` as the parser's ``exp(x)``, remembering that numpy's was typed (the parser reads it
        of numbers only, where numpy's would be entrywise)."""
        name, count = NUMPY_FUNCTIONS[form.split(".")[1]]
        if len(node.args) != count or node.keywords:
            wanted = Text("one argument", "一个参数") if count == 1 else Text("two arguments", "两个参数")
            raise Refused(
                Text(
                    f"{source!r}: {form} is read with {wanted} and nothing else, as {name}(…)",
                    f"{source!r}：{form} 只读取{wanted.zh}、不带其他参数的形式，即 {name}(…)",
                )
            )
        call = ast.copy_location(ast.Call(ast.Name(name, ast.Load()), node.args, []), node)
        call.func = ast.copy_location(call.func, node.func)
        call.call = form
        return call

    @staticmethod
    def _reduction(node: ast.Call, form: str, source: str, array: ast.expr | None, rest: list) -> ast.Call:
        """``np.sum(X, axis=1, keepdims=True)``, ``X.sum(1, keepdims=True)``, ``np.mean``...: one spelling,
        ``np.sum(X, axis=1, keepdims=True)``, whose ``axis`` (None, or an int) and ``keepdims`` (a bool) the
        parser reads as numpy computes them."""
        given = {"axis": rest[0]} if rest else {}  # numpy's sum(a, axis=None, dtype=None, out=None, keepdims=False)
        other = [k for k in node.keywords if k.arg not in ("axis", "keepdims") or k.arg in given]
        given |= {keyword.arg: keyword.value for keyword in node.keywords}
        try:
            axis, keepdims = (ast.literal_eval(given.get(key, ast.Constant(default)))
                              for key, default in (("axis", None), ("keepdims", False)))  # fmt: skip
        except (ValueError, TypeError, SyntaxError):  # a name, or not a literal
            axis = keepdims = None
        if (
            array is None
            or len(rest) > 1
            or other
            or not (axis is None or type(axis) is int)
            or type(keepdims) is not bool
        ):
            raise Refused(
                Text(
                    f"{source!r}: {form} is read of one array, with axis a whole number or None and keepdims True or "
                    f"False, and nothing else, as np.sum(X, axis=1, keepdims=True)",
                    f"{source!r}：{form} 只读取一个数组，axis 为整数或 None，keepdims 为 True 或 False，"
                    "不带其他参数，例如 np.sum(X, axis=1, keepdims=True)",
                )
            )
        name = form.split(".")[1]
        keywords = [ast.keyword("axis", ast.Constant(axis)), ast.keyword("keepdims", ast.Constant(keepdims))]
        reduced = ast.copy_location(ast.Call(ast.Name(f"np.{name}", ast.Load()), [array], keywords), node)
        reduced.call, reduced.reduction, reduced.axis, reduced.keepdims = form, name, axis, keepdims
        return reduced


def _read_en() -> str:
    functions = ", ".join(f"np.{name}" for name in NUMPY_FUNCTIONS)
    return (
        "np.dot and np.matmul (the matrix product @ of two matrices), np.multiply (the entrywise *), np.sum and "
        f"np.mean (over an axis), and {functions} (of numbers)"
    )


def _read_zh() -> str:
    functions = "、".join(f"np.{name}" for name in NUMPY_FUNCTIONS)
    return (
        " np.dot 和 np.matmul（两个矩阵的矩阵乘法 @）、np.multiply（逐元素乘 *）、np.sum 和 np.mean（沿某一轴），"
        f"以及 {functions}（作用于数）"
    )


def read_calls(tree: ast.Expression, text: str, names: Collection[str] = ()) -> ast.Expression:
    """``tree`` (parsed from ``text``) with numpy's calls rewritten as what the parser reads: ``np.dot(A, B)``,
    ``numpy.dot``, ``np.matmul`` and ``A.dot(B)`` as ``A @ B``, ``np.multiply(A, B)`` as ``A * B``, ``np.exp(x)``
    (and the rest of :data:`NUMPY_FUNCTIONS`) as ``exp(x)``, ``np.pi`` as ``pi``, and ``np.sum``, ``np.mean``,
    ``X.sum(...)``, ``X.mean(...)`` as one spelling, ``np.sum(X, axis=…, keepdims=…)``; raise :class:`Refused` for
    any other numpy function or for such a call with other arguments. ``np`` and ``numpy`` are numpy unless the
    answer has a name so spelled.

    Example:
        >>> ast.unparse(read_calls(ast.parse("np.dot(W.T, dZ) / m", mode="eval"), "np.dot(W.T, dZ) / m"))
        'W.T @ dZ / m'
    """
    return _Calls(text, names).visit(tree)


def spelling(text: str, names: Collection[str] = ()) -> str:
    """One spelling of what ``text`` reads as, to compare answers typed differently: ``np.dot(W.T, dZ)`` and
    ``(Wᵀ @ dZ)`` are both ``W.T @ dZ``. Text that does not parse is compared without its spaces."""
    typed = normalise(text, names)
    try:
        return ast.unparse(read_calls(ast.parse(typed, mode="eval"), typed, names))
    except (SyntaxError, ValueError):  # Refused is a ValueError
        return typed.replace(" ", "")


def readings_table(lang: str = "en") -> str:
    """:data:`READINGS` as a Markdown table in ``lang``, for the derive page."""
    head = {"en": ("typed", "read as", "meaning"), "zh": ("输入", "读作", "含义")}[lang]
    rows = [f"| {' | '.join(head)} |", "|---|---|---|"]
    for typed, ascii, meaning in READINGS:
        typed, read = (say(cell, lang) if isinstance(cell, Text) else f"`{cell}`" for cell in (typed, ascii))
        rows.append(f"| {typed} | {read} | {say(meaning, lang)} |")
    return "\n".join(rows)
