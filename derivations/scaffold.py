r"""``python -m derivations new-activation NAME "EXPR"``: draft the two edits that add an activation.

The expression is parsed by walking its Python syntax tree and building SymPy objects from a
short whitelist (the name ``z``, numbers, ``+ - * / **``, parentheses and the functions in
:data:`FUNCTIONS`), so no text is ever passed to ``eval`` or ``sympify``. From it the scaffold
prints the ``register(...)`` call for ``derivations/activations.py`` and a numpy class for
``nn/activations.py`` whose three bodies SymPy's NumPy printer writes from g, g' and g''.
The activation's one-line summary is written in English and Chinese, ``Text("...", "...")``,
like every piece of prose in ``derivations``; the command asks for both (``--summary`` and
``--summary-zh``) and refuses to run without them.

Example:
    >>> print(parse("z / (1 + z**2)"))
    z/(z**2 + 1)
"""

from __future__ import annotations

import argparse
import ast
import keyword
import math
import re
from dataclasses import dataclass
from pathlib import Path

import sympy as sp
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.str import StrPrinter

from .activations import REGISTRY, SymbolicActivation, z
from .core import CJK, LANGUAGES, Text, not_chinese, say
from .typed import REDUCED, Refused, Typed, ascii_name, normalise, read_calls

ROOT = Path(__file__).resolve().parent.parent
SYMBOLIC_FILE = Path("derivations/activations.py")
NUMPY_FILE = Path("nn/activations.py")

#: the functions an expression may call, and what each builds
FUNCTIONS = {
    "exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt, "tanh": sp.tanh, "sinh": sp.sinh, "cosh": sp.cosh,
    "sin": sp.sin, "cos": sp.cos, "erf": sp.erf, "Abs": sp.Abs, "abs": sp.Abs,
    "Max": sp.Max, "max": sp.Max, "Min": sp.Min, "min": sp.Min,
    "sigmoid": lambda x: 1 / (1 + sp.exp(-x)),
}  # fmt: skip
CONSTANTS = {"z": z, "pi": sp.pi, "E": sp.E}
OPERATORS = {ast.Add: sp.Add, ast.Sub: lambda a, b: a - b, ast.Mult: sp.Mul, ast.Div: lambda a, b: a / b,
             ast.Pow: sp.Pow}  # fmt: skip
VARIADIC = ("Max", "max", "Min", "min")  # the functions that take any number of arguments
MAX_POWER = 64  # keeps 9**9**9 from computing a huge integer
MAX_LENGTH = 500  # characters of EXPR
NON_ANALYTIC = (sp.Abs, sp.Max, sp.Min, sp.Piecewise, sp.sign, sp.Heaviside)


#: Python's syntax errors that a typed formula meets, by the start of their message, as the rule broken
SYNTAX_RULES = (
    (r"'(.)' was never closed", "'{0}' is never closed", "'{0}' 没有闭合"),
    (r"unmatched '(.)'", "'{0}' closes nothing that was opened", "'{0}' 前面没有对应的左括号"),
    (r"closing parenthesis '(.)' does not match", "'{0}' does not match the bracket it closes",
     "'{0}' 与它要闭合的括号不配对"),
    (r"invalid \w* ?literal", "a number is run into a name (write 2*z, not 2z)",
     "数字和名字连在了一起（应写 2*z，而不是 2z）"),
    (r"invalid character '(.)'", "the character '{0}' is not allowed", "不允许字符 '{0}'"),
    (r"unexpected character after line continuation", "a backslash is not allowed", "不允许反斜杠"),
    (r"unterminated", "a quote is never closed", "引号没有闭合"),
    (r"invalid syntax|expected|incomplete|unexpected", "invalid syntax", "语法不对"),
)  # fmt: skip


def syntax_rule(message: str) -> Text:
    """Python's syntax error ``message`` as the rule the formula breaks, in both languages."""
    for pattern, english, chinese in SYNTAX_RULES:
        if found := re.match(pattern, message):
            return Text(english.format(*found.groups()), chinese.format(*found.groups()))
    return Text(message, f"语法不对（Python 的说法：{message}）")


#: what SymPy or Python may raise on a formula the parser accepted, as what went wrong in both languages
#: (the first kind that matches; the raw message is kept apart, as a detail)
FAILURES = (
    (RecursionError, Text("the formula is nested too deeply for SymPy", "公式嵌套太深，SymPy 处理不了")),
    ((OverflowError, MemoryError), Text("a number in it grows too large", "其中的数值变得太大")),
    (ZeroDivisionError, Text("it divides by zero", "其中有除以零")),
    ((TypeError, ValueError, sp.ShapeError),
     Text("SymPy cannot combine its parts", "SymPy 无法把其中的各部分组合起来")),
    (Exception, Text("SymPy cannot work it out", "SymPy 无法算出它")),
)  # fmt: skip


def failure(error: Exception) -> Text:
    """What went wrong when SymPy or Python raised ``error`` on a typed formula, in both languages."""
    return next(words for kinds, words in FAILURES if isinstance(error, kinds))


class ScaffoldError(ValueError):
    """The expression or name breaks a rule of the scaffold; the message says which."""


def explain(error: ScaffoldError, lang: str = "en", subject: Text | None = None) -> str:
    """The error's message in ``lang`` (its ``Text`` twin for "zh"), with EXPR called ``subject``, e.g. g(z).

    Chinese sets no space between two Chinese words: 答案中, but g(z) 中."""
    message = say(error.args[0], lang)
    if subject is None:
        return message
    name = say(subject, lang)
    if CJK.match(name[-1:]):
        message = re.sub(f"EXPR (?={CJK.pattern})", "EXPR", message)
    return message.replace("EXPR", name)


def constant(text: str) -> Text:
    """The refusal of an activation g(z) = ``text`` that does not depend on z."""
    return Text(f"EXPR {text!r} does not depend on z", f"EXPR {text!r} 与 z 无关")


class ShapeError(ScaffoldError):
    """A formula of matrices whose shapes do not fit together (a wrong answer rather than a refused one)."""


class OneDimensional(ShapeError):
    """A formula whose value is a 1-D array of numpy (a sum without ``keepdims=True``): a wrong answer where a
    matrix is asked for. ``entries`` is the column of its entries."""

    def __init__(self, message: Text, entries: sp.MatrixExpr):
        super().__init__(message)
        self.entries, self.length = entries, entries.rows


@dataclass(frozen=True)
class Flat:
    """A 1-D array of numpy, such as ``np.sum(dZ, axis=1)``, held as the column of its entries."""

    column: sp.MatrixExpr

    @property
    def shape(self) -> str:
        return f"({self.column.rows},)"


def parse(text: str, names: dict[str, sp.Basic] | None = None) -> sp.Expr:
    """Build g(z) from ``text``, accepting only the whitelisted syntax; raise ScaffoldError otherwise.

    ``names`` replaces ``z`` by other names (an exercise's ``a``, ``y``, ``W``...). When some of them are
    matrices, ``@`` is the matrix product, ``.T`` the transpose and ``*`` the entrywise product, as in numpy.
    The text is first read by :func:`derivations.typed.normalise` (``−``, ``A²``, ``Wᵀ``, ``⊙``, full-width
    forms), and a refusal of a rewritten text says what it was read as.
    """
    names = CONSTANTS if names is None else {**names, "pi": sp.pi, "E": sp.E}
    if len(text.strip()) > MAX_LENGTH:
        raise ScaffoldError(
            Text(
                f"EXPR is {len(text.strip())} characters long; at most {MAX_LENGTH} are accepted",
                f"EXPR 有 {len(text.strip())} 个字符，最多只接受 {MAX_LENGTH} 个",
            )
        )
    typed = normalise(text, names)
    try:
        return _parse(typed, names)
    except ScaffoldError as error:
        read_as = typed.read_as()
        if read_as is None:
            raise
        message = error.args[0]
        raise type(error)(Text(f"{message}{read_as}", f"{message.zh}{read_as.zh}")) from None


def divisors(text: str, names: dict[str, sp.Basic]) -> list[tuple[str, sp.Basic]]:
    """What the formula ``text``, which :func:`parse` accepts, divides by, in the order typed: the source and the
    value of each right side of ``/`` and of each base raised to a negative number (``a**(-1)``, ``a⁻¹``).

    SymPy cancels ``dZ*dZ/dZ`` to ``dZ`` as it builds the formula, where numpy computes 0/0 = nan at every zero
    entry of dZ: the judge of typed answers asks where these can be zero."""
    names = {**names, "pi": sp.pi, "E": sp.E}
    typed = normalise(text, names)
    tree = read_calls(ast.parse(typed, mode="eval"), typed, names)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.BinOp):
            continue
        if isinstance(node.op, ast.Div):
            part = node.right
        elif isinstance(node.op, ast.Pow):
            exponent = _build(node.right, typed, names)
            if isinstance(exponent, (Flat, sp.MatrixExpr)) or not exponent.is_negative:
                continue
            part = node.left
        else:
            continue
        value = _build(part, typed, names)
        source = ast.get_source_segment(typed, part) or ast.unparse(part)
        found.append((source, value.column if isinstance(value, Flat) else value))
    return found


def _parse(text: Typed, names: dict[str, sp.Basic]) -> sp.Expr:
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        rule = syntax_rule(error.msg)
        raise ScaffoldError(
            Text(f"EXPR is not a formula: {rule} in {text!r}", f"EXPR 不是公式：{text!r} 中{rule.zh}")
        ) from None
    try:
        tree = read_calls(tree, text, names)
    except Refused as error:
        raise ScaffoldError(error.args[0]) from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in names and node.id not in FUNCTIONS and node.id not in REDUCED:
            spelled = ascii_name(node.id)
            spelled = Text("", "") if spelled is None else Text(
                f" (in ASCII {node.id} is {spelled}, which is not a name here either)",
                f"（{node.id} 的 ASCII 写法是 {spelled}，这里也没有这个名字）",
            )  # fmt: skip
            raise ScaffoldError(
                Text(
                    f"unknown name {node.id!r} in EXPR{spelled}: use {_known(names)} or a function of {_allowed()}",
                    f"EXPR 中有未知的名字 {node.id!r}{spelled.zh}："
                    f"只能用 {_known(names, '、')}，或函数 {_allowed('、')}",
                )
            )
        if isinstance(node, ast.Attribute) and not (node.attr == "T" and _has_matrices(names)):
            raise ScaffoldError(
                Text(f"attribute access '.{node.attr}' is not allowed in EXPR", f"EXPR 中不允许访问属性 '.{node.attr}'")
            )
    built = _build(tree.body, text, names)
    if isinstance(built, Flat):
        raise OneDimensional(
            Text(
                f"EXPR is a 1-D array of shape {built.shape}: np.sum without keepdims=True drops the summed axis",
                f"EXPR 是维度为 {built.shape} 的一维数组：np.sum 不带 keepdims=True 时会去掉求和的那一维",
            ),
            built.column,
        )
    return built


def _has_matrices(names: dict[str, sp.Basic]) -> bool:
    return any(isinstance(value, sp.MatrixExpr) for value in names.values())


def _build(node: ast.AST, text: str, names: dict[str, sp.Basic]) -> sp.Expr:
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.Name) and node.id in FUNCTIONS:  # tanh²(z) reads as tanh**2(z): tanh without its argument
        raise ScaffoldError(
            Text(
                f"{node.id!r} is a function: its argument goes in brackets right after it, {node.id}(…), and a power "
                f"after those: {node.id}(…)**2, not {node.id}**2(…) or {node.id}²(…)",
                f"{node.id!r} 是函数：参数要写在紧跟其后的括号里，即 {node.id}(…)，幂写在括号之后：{node.id}(…)**2，"
                f"而不是 {node.id}**2(…) 或 {node.id}²(…)",
            )
        )
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return sp.Integer(node.value)
    if isinstance(node, ast.Constant) and type(node.value) is float and math.isfinite(node.value):
        return sp.Rational(repr(node.value))  # the decimal as written: 0.044715 -> 44715/1000000
    if isinstance(node, ast.Attribute) and node.attr == "T":
        value = _build(node.value, text, names)
        if isinstance(value, Flat):  # numpy's .T of a 1-D array is that array: no column is made
            return value
        if not isinstance(value, sp.MatrixExpr):
            source = ast.get_source_segment(text, node)
            raise ScaffoldError(
                Text(f"'.T' transposes a matrix; {source!r} is a number", f"'.T' 用来转置矩阵，而 {source!r} 是一个数")
            )
        return value.T
    if isinstance(node, ast.BinOp) and (type(node.op) in OPERATORS or isinstance(node.op, ast.MatMult)):
        left, right = _build(node.left, text, names), _build(node.right, text, names)
        if isinstance(node.op, ast.Pow) and not isinstance(right, Flat) and right.is_number and abs(right) > MAX_POWER:
            power = ast.get_source_segment(text, node)
            raise ScaffoldError(
                Text(
                    f"power {power!r} is too large (|exponent| ≤ {MAX_POWER})",
                    f"幂 {power!r} 太大（指数的绝对值 ≤ {MAX_POWER}）",
                )
            )
        if isinstance(left, Flat) or isinstance(right, Flat):
            return _flat_operation(node, left, right, text)
        if isinstance(left, sp.MatrixExpr) or isinstance(right, sp.MatrixExpr):
            return _matrix_operation(node, left, right, text)
        if isinstance(node.op, ast.MatMult):
            source = ast.get_source_segment(text, node)
            if hasattr(node, "call"):
                raise ScaffoldError(_dot_of_a_number(node.call, source, left))
            raise ScaffoldError(
                Text(
                    f"'@' multiplies matrices; in {source!r} there is none", f"'@' 是矩阵乘法，而 {source!r} 中没有矩阵"
                )
            )
        return OPERATORS[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _build(node.operand, text, names)
        if isinstance(operand, Flat):
            return Flat(-operand.column) if isinstance(node.op, ast.USub) else operand
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Call) and hasattr(node, "reduction"):  # np.sum(X, axis=…, keepdims=…), np.mean
        return _reduce(node, _build(node.args[0], text, names), text)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        if node.func.id in names:  # g(1 - a) typed for a product, as on paper
            source = ast.get_source_segment(text, node)
            raise ScaffoldError(
                Text(
                    f"{node.func.id!r} is a name, not a function, in {source!r}: a product is written with *",
                    f"{source!r} 中的 {node.func.id!r} 是名字，不是函数：乘积要用 * 写出",
                )
            )
        if node.func.id not in FUNCTIONS:
            raise ScaffoldError(
                Text(
                    f"function {node.func.id!r} is not allowed in EXPR; allowed: {_allowed()}",
                    f"EXPR 中不允许函数 {node.func.id!r}；允许的函数：{_allowed('、')}",
                )
            )
        if len(node.args) != 1 and not (node.func.id in VARIADIC and node.args):
            source = ast.get_source_segment(text, node)
            wanted = (
                Text("one or more arguments", "一个或多个参数")
                if node.func.id in VARIADIC
                else Text("one argument", "一个参数")
            )
            raise ScaffoldError(
                Text(
                    f"{node.func.id} takes {wanted} in {source!r}, not {len(node.args)}",
                    f"{source!r} 中的 {node.func.id} 接受{wanted.zh}，而不是 {len(node.args)} 个",
                )
            )
        arguments = [_build(arg, text, names) for arg in node.args]
        if any(isinstance(argument, (sp.MatrixExpr, Flat)) for argument in arguments):
            source = ast.get_source_segment(text, node)
            if hasattr(node, "call"):  # np.exp(W): numpy's is entrywise, which the parser does not read
                raise ScaffoldError(
                    Text(
                        f"{source!r}: {node.call} of an array is numpy's entrywise {node.func.id}, which is not read "
                        f"in EXPR: {node.call} is read of numbers only",
                        f"{source!r}：{node.call} 作用于数组时是 numpy 的逐元素 {node.func.id}，EXPR 中不读取："
                        f"{node.call} 只读取作用于数的形式",
                    )
                )
            raise ScaffoldError(
                Text(
                    f"{node.func.id} takes numbers, not matrices, in {source!r}",
                    f"{source!r} 中的 {node.func.id} 只接受数，不接受矩阵",
                )
            )
        return FUNCTIONS[node.func.id](*arguments)
    token = ast.get_source_segment(text, node) or type(node).__name__
    raise ScaffoldError(
        Text(
            f"{token!r} is not allowed in EXPR: use only {_known(names)}, numbers, + - * / **, parentheses "
            f"and {_allowed()}",
            f"EXPR 中不允许 {token!r}：只能用 {_known(names, '、')}、数字、+ - * / **、括号和 {_allowed('、')}",
        )
    )


def _known(names: dict[str, sp.Basic], separator: str = ", ") -> str:
    return separator.join(name for name in names if name not in FUNCTIONS)


def _shape(expr: sp.Basic) -> str:
    return f"({expr.rows}, {expr.cols})" if isinstance(expr, sp.MatrixExpr) else "()"


def _matrix_operation(node: ast.BinOp, left: sp.Basic, right: sp.Basic, text: Typed) -> sp.Basic:
    """``@``, and entrywise ``*``, ``/``, ``+``, ``-`` and ``**`` with numpy's rules: two matrices of one shape,
    or a matrix and a number, which meets every entry (numpy's broadcasting of a scalar). A column is not
    spread across the columns of a matrix, and a product or power typed with two readings is refused."""
    source = ast.get_source_segment(text, node)
    both = isinstance(left, sp.MatrixExpr) and isinstance(right, sp.MatrixExpr)
    matrix = left if isinstance(left, sp.MatrixExpr) else right
    typed = _typed_operator(node, text)
    if typed is not None and (both if isinstance(node.op, ast.Mult) else isinstance(left, sp.MatrixExpr)):
        raise ScaffoldError(_two_readings(typed, source, left, isinstance(node.op, ast.Pow)))
    if isinstance(node.op, ast.MatMult):
        if not both and hasattr(node, "call"):
            raise ScaffoldError(_dot_of_a_number(node.call, source, left if matrix is right else right))
        if not both or left.cols != right.rows:
            raise ShapeError(
                Text(
                    f"{source!r}: '@' needs (p, q) @ (q, r), but the shapes are {_shape(left)} and {_shape(right)}",
                    f"{source!r}：'@' 要求 (p, q) @ (q, r)，但两边的维度是 {_shape(left)} 和 {_shape(right)}",
                )
            )
        return sp.MatMul(left, right)
    if isinstance(node.op, ast.Pow):
        if isinstance(right, sp.MatrixExpr):
            raise ScaffoldError(
                Text(
                    f"{source!r}: a power's exponent must be a number, not a matrix of shape {_shape(right)}",
                    f"{source!r}：幂的指数必须是数，而不是维度为 {_shape(right)} 的矩阵",
                )
            )
        return sp.HadamardPower(left, right)  # numpy's A**2 squares each entry
    if both and left.shape != right.shape:
        raise ShapeError(
            Text(
                f"{source!r}: the shapes {_shape(left)} and {_shape(right)} differ",
                f"{source!r}：维度 {_shape(left)} 和 {_shape(right)} 不同",
            )
        )
    if isinstance(node.op, ast.Mult):
        return sp.HadamardProduct(left, right) if both else sp.MatMul(left if matrix is right else right, matrix)
    if isinstance(node.op, ast.Div):  # entrywise, a number over a matrix included
        if not isinstance(right, sp.MatrixExpr):
            return sp.MatMul(1 / right, left)
        inverse = sp.HadamardPower(right, -1)
        return sp.HadamardProduct(left, inverse) if both else sp.MatMul(left, inverse)
    # + and -: a number is added to every entry, as numpy broadcasts it
    left, right = (side if isinstance(side, sp.MatrixExpr) else side * sp.OneMatrix(*matrix.shape)
                   for side in (left, right))  # fmt: skip
    return left + right if isinstance(node.op, ast.Add) else left - right


def _flat_operation(node: ast.BinOp, left: sp.Basic | Flat, right: sp.Basic | Flat, text: Typed) -> Flat:
    """A 1-D array with a number, entrywise as numpy computes it: a 1-D array again. Anything else (a matrix or
    another 1-D array, where numpy broadcasts it as a row or ``@`` treats it as a vector, ``@`` with a number, or a
    number to its power) is refused: the answer keeps the summed axis instead."""
    flat, other = (left, right) if isinstance(left, Flat) else (right, left)
    exponent = isinstance(node.op, ast.Pow) and flat is right
    if isinstance(other, (sp.MatrixExpr, Flat)) or isinstance(node.op, ast.MatMult) or exponent:
        source, other, operator = ast.get_source_segment(text, node), _kind(other), _OPERATOR[type(node.op)]
        raise ScaffoldError(
            Text(
                f"{source!r}: a 1-D array of shape {flat.shape} (np.sum without keepdims=True) meets {other} in "
                f"'{operator}', which is not read: a 1-D array is read only with a number, entrywise (+ - * /, "
                "and ** with the array as its base). Keep the summed axis with keepdims=True",
                f"{source!r}：维度为 {flat.shape} 的一维数组（np.sum 不带 keepdims=True）在 '{operator}' 中遇到"
                f"{other.zh}，这不读取：一维数组只读取与数的逐元素运算（+ - * /，以及以数组为底的 **）。"
                "请用 keepdims=True 保留求和的那一维",
            )
        )
    typed = _typed_operator(node, text)
    if typed is not None and isinstance(node.op, ast.Pow) and flat is left:  # v² of a 1-D array, as of a matrix
        raise ScaffoldError(_two_readings(typed, ast.get_source_segment(text, node), flat, power=True))
    columns = [side.column if isinstance(side, Flat) else side for side in (left, right)]
    return Flat(_matrix_operation(node, *columns, text))


def _kind(value: sp.Basic | Flat) -> Text:
    """What ``value`` is, with its shape, in both languages: a number, a 1-D array or a matrix."""
    if isinstance(value, Flat):
        return Text(f"a 1-D array of shape {value.shape}", f"维度为 {value.shape} 的一维数组")
    if isinstance(value, sp.MatrixExpr):
        return Text(f"a matrix of shape {_shape(value)}", f"维度为 {_shape(value)} 的矩阵")
    return Text("a number", "一个数")


#: the operators' symbols, for messages
_OPERATOR = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.MatMult: "@"}


def _reduce(node: ast.Call, array: sp.Basic | Flat, text: str) -> sp.Basic | Flat:
    """numpy's ``np.sum`` (or ``np.mean``) of ``array`` over ``node.axis``, as numpy computes it: of a matrix
    X (p, q), axis=1 is X 1_q, (p, 1) with ``keepdims``, and axis=0 is 1_pᵀ X, (1, q); without ``keepdims`` the
    summed axis is dropped (a 1-D array, :class:`Flat`), and with no axis every entry is summed (a number)."""
    source = ast.get_source_segment(text, node)
    if isinstance(array, Flat):
        rows, cols, matrix = array.column.rows, 1, array.column
    elif isinstance(array, sp.MatrixExpr):
        rows, cols, matrix = array.rows, array.cols, array
    else:
        rows = cols = matrix = None
    dimensions = 0 if matrix is None else 1 if isinstance(array, Flat) else 2
    axis = node.axis
    if axis is not None and not -dimensions <= axis < dimensions:
        what = _kind(array)
        raise ScaffoldError(
            Text(
                f"{source!r}: {what} has no axis {axis} (numpy raises an AxisError)",
                f"{source!r}：{what.zh}没有第 {axis} 轴（numpy 会报 AxisError）",
            )
        )
    if dimensions == 0:  # numpy's sum of a number is that number
        return array
    axis = None if axis is None else axis % dimensions
    if dimensions == 1 or axis is None:  # every entry
        total, count = sp.OneMatrix(1, rows) * matrix * sp.OneMatrix(cols, 1), rows * cols
    elif axis == 0:  # down the columns: a row
        total, count = sp.OneMatrix(1, rows) * matrix, rows
    else:  # along the rows: a column
        total, count = matrix * sp.OneMatrix(cols, 1), cols
    if node.reduction == "mean":
        total = sp.MatMul(1 / count, total)
    if node.keepdims:
        return Flat(total) if dimensions == 1 else total
    if axis is None or dimensions == 1:
        return total[0, 0]
    return Flat(total.T if axis == 0 else total)


def _typed_operator(node: ast.BinOp, text: Typed) -> str | None:
    """The symbol typed for ``node``'s ``*`` or ``**`` when it has two readings (``×``, ``·``, ``²``), else None."""
    if not isinstance(node.op, (ast.Mult, ast.Pow)) or hasattr(node, "call"):  # np.multiply(A, B) has no symbol
        return None
    line = text.encode()
    gap = line[node.left.end_col_offset : node.right.col_offset]  # brackets, spaces and the operator
    return text.ambiguous_at(node.left.end_col_offset + gap.index(b"*"))


def _dot_of_a_number(form: str, source: str, number: sp.Basic) -> Text:
    """The message for ``np.dot`` (or ``.dot``, ``np.matmul``) with a number, whose reading depends on shapes."""
    return Text(
        f"{source!r}: {form} is read as the matrix product of two matrices, but {number} is a number "
        "(numpy's np.dot of a number is a product, of two vectors a sum): type * for a product with a number",
        f"{source!r}：{form} 读作两个矩阵的矩阵乘法，而 {number} 是一个数（numpy 的 np.dot 对数是乘积，"
        "对两个向量是求和）：与数相乘请输入 *",
    )


def _two_readings(typed: str, source: str, base: sp.Basic | Flat, power: bool) -> Text:
    """The message for ``×``, ``·`` between two matrices, or a power of a matrix typed as ``A²`` or ``A^2``:
    both readings."""
    if not power:
        return Text(
            f"{source!r}: '{typed}' between two matrices has two readings, the matrix product (type @) "
            "or the entrywise product (type *)",
            f"{source!r}：两个矩阵之间的 '{typed}' 有两种读法：矩阵乘法（请输入 @）或逐元素乘（请输入 *）",
        )
    kind = _kind(base)
    return Text(
        f"{source!r}: the power '{typed}' of {kind} has two readings, "
        f"a power by matrix products (type @) or numpy's entrywise power (type **)",
        f"{source!r}：{kind.zh}的幂 '{typed}' 有两种读法：矩阵乘法的幂（请输入 @）或 numpy 的逐元素乘方（请输入 **）",
    )


def _allowed(separator: str = ", ") -> str:
    return separator.join(FUNCTIONS)


class _SourcePrinter(StrPrinter):
    """SymPy source for ``derivations/activations.py``, where SymPy is imported as ``sp``."""

    def _print_Rational(self, expr):
        return f"sp.Rational({expr.p}, {expr.q})"

    def doprint(self, expr):
        names = "|".join(["exp", "log", "sqrt", "tanh", "sinh", "cosh", "sin", "cos", "erf", "Abs", "Max", "Min",
                          "Piecewise", "sign"])  # fmt: skip
        source = re.sub(rf"(?<![\w.])({names})\(", r"sp.\1(", super().doprint(expr))
        return re.sub(r"(?<![\w.])(pi|E)(?![\w(])", r"sp.\1", source)


class _NumpySourcePrinter(NumPyPrinter):
    """numpy source for ``nn/activations.py``: ``np.`` prefixes, and erf through ``math.erf``."""

    def _print_erf(self, expr):
        return f"np.frompyfunc(math.erf, 1, 1)({self._print(expr.args[0])}).astype(float)"

    def _print_Max(self, expr):
        return self._pairwise("np.maximum", expr.args)

    def _print_Min(self, expr):
        return self._pairwise("np.minimum", expr.args)

    def _pairwise(self, function, args):
        first, *rest = args
        return f"{function}({self._print(first)}, {self._pairwise(function, rest)})" if rest else self._print(first)

    def doprint(self, expr, **kwargs):
        return super().doprint(expr, **kwargs).replace("numpy.", "np.")


@dataclass(frozen=True)
class Scaffold:
    """The two drafted edits for a new activation, and what the user must still do."""

    name: str
    symbolic: str
    numpy: str
    notes: tuple[str, ...]

    def text(self) -> str:
        lines = [f"# 1. append to {SYMBOLIC_FILE}:", "", self.symbolic, "", f"# 2. append to {NUMPY_FILE}:", "",
                 self.numpy, ""]  # fmt: skip
        lines += [f"Note: {note}" for note in self.notes]
        lines += [
            "Review and simplify the numpy bodies (stability for |z| up to 1e3, float32 in → float32 out),",
            "then prove the new activation correct:",
            f"    python3 dev.py test -k {self.name}",
            f"    python -m derivations activation.{self.name}",
        ]
        return "\n".join(lines)


def summary_text(name: str, text: str, summary: str | None = None, summary_zh: str | None = None) -> Text:
    """The activation's summary as ``Text(summary, summary_zh)``, each one line; raise ScaffoldError otherwise.

    A missing English summary becomes ``"NAME(z) = EXPR"``; a missing Chinese one stays empty, for the
    user to write (``tests/test_translations.py`` fails until they do). A given Chinese summary must be
    Chinese: it contains CJK characters and is not the English copied.
    """
    summary = f"{name}(z) = {text}" if summary is None else summary.strip()
    for option, value in (("--summary", summary), ("--summary-zh", summary_zh)):
        if value is not None and ("\n" in value or '"""' in value or not value.strip()):
            raise ScaffoldError(Text(
                f"{option} must be one non-empty line without triple quotes, got {value!r}",
                f"{option} 必须是一行非空文字，不含三引号，而给出的是 {value!r}",
            ))  # fmt: skip
    if summary_zh is not None and not_chinese(summary, summary_zh):
        raise ScaffoldError(Text(
            f"--summary-zh must be the summary in Chinese (with CJK characters, not the English copied), "
            f"got {summary_zh!r}",
            f"--summary-zh 必须是中文的摘要（含有汉字，而不是照抄英文），而给出的是 {summary_zh!r}",
        ))  # fmt: skip
    return Text(summary, "" if summary_zh is None else summary_zh.strip())


def scaffold(
    name: str, text: str, root: Path = ROOT, *, summary: str | None = None, summary_zh: str | None = None
) -> Scaffold:
    """Draft the ``register(...)`` call and the numpy class for activation ``name`` with g(z) = ``text``.

    ``summary`` and ``summary_zh`` are its one-line summary in English and Chinese (see :func:`summary_text`).
    """
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ScaffoldError(Text(
            f"NAME {name!r} must be a Python identifier, e.g. softsign2",
            f"NAME {name!r} 必须是 Python 标识符，例如 softsign2",
        ))  # fmt: skip
    taken = name in REGISTRY or re.search(rf"^\s*name = [\"']{name}[\"']", (root / NUMPY_FILE).read_text(), re.M)
    if taken:
        raise ScaffoldError(Text(
            f"activation {name!r} is already registered; choose another NAME",
            f"激活函数 {name!r} 已经注册过了；请换一个 NAME",
        ))  # fmt: skip
    expr = parse(text)
    if not expr.has(z):
        raise ScaffoldError(constant(text))
    analytic = not expr.has(*NON_ANALYTIC)
    activation = SymbolicActivation(name, expr, summary_text(name, text, summary, summary_zh), analytic=analytic)
    notes = () if analytic else (
        f"{name} uses Abs, Max, Min or a Piecewise, so it is not analytic (analytic=False). Declare its "
        'kinks=(Kink(at, derivative, Text("reason", "中文理由")),) at every boundary between branches; '
        "verify() checks them.",
    )  # fmt: skip
    if not say(activation.summary, "zh"):
        notes += ("the summary has no Chinese yet: write it as the second argument of Text(...) "
                  "(tests/test_translations.py fails while it is empty).",)  # fmt: skip
    return Scaffold(name, _symbolic_source(activation), _numpy_source(activation), notes)


def _literal(text: str) -> str:
    """``text`` as a double-quoted Python string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _symbolic_source(activation: SymbolicActivation) -> str:
    options = "" if activation.analytic else "\n    analytic=False,"
    summary = activation.summary
    return (
        f'register(\n    "{activation.name}",\n    {_SourcePrinter().doprint(activation.expr)},\n'
        f"    Text(\n        {_literal(summary)},\n        {_literal(say(summary, 'zh'))},\n    ),{options}\n)"
    )


def _numpy_source(activation: SymbolicActivation) -> str:
    Z = sp.Symbol("Z")
    names = ("g(z)", "g'(z)", "g''(z)")
    tex = [sp.latex(activation.order(n)) for n in range(3)]
    formula = r", \qquad ".join(f"{names[n]} = {tex[n]}" for n in range(3))
    kink = "No abs, max or min: no kink." if activation.analytic else "TODO: state the convention at each kink."
    printed = [_NumpySourcePrinter().doprint(activation.order(n).subs(z, Z)) for n in range(3)]
    bodies = "\n".join(
        f"\n    @staticmethod\n    def {method}(Z):\n        return {printed[n]}"
        for n, method in enumerate(("forward", "derivative", "second_derivative"))
    )
    flags = "" if activation.analytic else "\n    kinks = ()  # TODO: the kinks' z values\n    analytic = False"
    chinese = say(activation.summary, "zh")
    if chinese:  # the class's summary on the Chinese API reference (docs/griffe_docstrings.py reads it)
        flags += f"\n    summary_zh = {_literal(chinese + '。')}"
    class_name = "".join(part.capitalize() for part in activation.name.split("_"))
    return (
        f'class {class_name}(Activation):\n    r"""{activation.summary}.\n\n    \\[ {formula}. \\]\n\n'
        f'    {kink}\n    """\n\n    name = "{activation.name}"{flags}\n{bodies}'
    )


def append(result: Scaffold, root: Path = ROOT) -> None:
    """Append the two drafted edits to their files under ``root``."""
    for path, source in ((SYMBOLIC_FILE, result.symbolic), (NUMPY_FILE, result.numpy)):
        with open(root / path, "a", encoding="utf-8") as file:
            file.write(("\n" if path == SYMBOLIC_FILE else "\n\n") + source + "\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m derivations new-activation", description=__doc__.splitlines()[0])
    parser.add_argument("name", help="registry name, a Python identifier, e.g. softsign2")
    parser.add_argument("expr", help='g(z), e.g. "z / (1 + z**2)"')
    parser.add_argument("--summary", help='one line in English, e.g. "z / (1 + z²), a bump-shaped odd activation"')
    parser.add_argument("--summary-zh", help='the same line in Chinese, e.g. "z / (1 + z²)，鼓包形状的奇函数"')
    parser.add_argument("--write", action="store_true", help="append the two edits instead of printing them")
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of its refusals: en (default) or zh")
    args = parser.parse_args(argv)
    missing = [
        option for option, value in (("--summary", args.summary), ("--summary-zh", args.summary_zh)) if not value
    ]
    if missing:
        example = '--summary "z / (1 + z²), a bump-shaped odd activation" --summary-zh "z / (1 + z²)，鼓包形状的奇函数"'
        parser.error(say(Text(
            f"{' and '.join(missing)} missing: an activation's one-line summary is written in English and in "
            f'Chinese, Text("...", "..."), like every piece of prose in derivations/; pass both, e.g. {example}',
            f"缺少 {' 和 '.join(missing)}：激活函数的一行摘要要用英文和中文各写一遍，即 Text(\"...\", \"...\")，"
            f"和 derivations/ 中所有的文字一样；两个都要给出，例如 {example}",
        ), args.lang))  # fmt: skip
    try:
        result = scaffold(args.name, args.expr, summary=args.summary, summary_zh=args.summary_zh)
    except ScaffoldError as error:
        parser.error(explain(error, args.lang))
    if args.write:
        append(result)
        print(f"appended {args.name} to {SYMBOLIC_FILE} and {NUMPY_FILE}")
        print("\n".join(result.text().splitlines()[-(len(result.notes) + 4) :]))
    else:
        print(result.text())
    return 0
