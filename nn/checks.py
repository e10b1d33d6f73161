r"""Input checks: every bad input becomes a ValueError that names the broken rule.

Each public function of ``nn`` makes one call here (``forward_inputs``, ``cost_inputs``, ...)
before any arithmetic, so the math stays free of validation. The messages use the docs'
notation: \(W^{[l]}\) is ``(n[l], n[l-1])``, \(b^{[l]}\) is ``(n[l], 1)``, samples are columns.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import inspect
import math
import numbers
from collections.abc import Mapping, Sequence

import numpy as np

from . import activations as activation_registry
from .words import InputError, Text, described, floating_point, with_article


def choice(kind: Text, value, valid: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``valid``; otherwise raise, listing the valid names (``kind`` says of what)."""
    if not isinstance(value, str) or value not in valid:
        raise InputError(Text(
            f"unknown {kind} {value!r}; valid {kind} names: {', '.join(map(repr, valid))}",
            f"未知的{kind.zh} {value!r}；可用的{kind.zh}名称：{'、'.join(map(repr, valid))}",
        ))  # fmt: skip
    return value


#: The most entries :func:`finite` tests with ``np.isfinite`` directly rather than a sum of squares.
_SMALL = 1024


def finite(name: str, array: np.ndarray) -> None:
    """Raise if ``array`` holds NaN or inf, saying how many entries and where the first is.

    A quick test first: the sum of squares, one BLAS dot product (about twice as fast as
    ``np.isfinite`` on a large array), is finite only if every entry is. It can also overflow
    to inf from large finite entries, so when it is not finite the entries decide, one by one.
    An array of at most 1024 entries (one window of a convolution, which its loops check entry
    by entry) goes to ``np.isfinite`` at once, cheaper there than the ravel and the product.
    """
    if array.size <= _SMALL:
        if np.isfinite(array).all():
            return
    else:
        flat = array.ravel(order="K")  # a view, in memory order, of a C- or F-contiguous array
        with np.errstate(all="ignore"):  # an overflow of the sum is no error
            if np.isfinite(np.dot(flat, flat)):
                return
    bad = ~np.isfinite(array)
    if bad.any():
        first = _first(bad)
        raise InputError(Text(
            f"{name} contains NaN or inf ({int(bad.sum())} entries, the first at index {first}): "
            f"every entry of {name} must be finite",
            f"{name} 含有 NaN 或 inf（{int(bad.sum())} 个元素，第一个在下标 {first} 处）："
            f"{name} 的每个元素都必须是有限值",
        ))  # fmt: skip


@contextlib.contextmanager
def overflow(what: Text, cause: Text, **errors):
    """Within the block, a float that overflows (finite numbers whose result is beyond the largest float) raises an
    InputError, "``what`` overflowed (numpy's words): ``cause``", where numpy would warn and give inf. ``errors``
    sets numpy's handling of the other floating-point errors as ``np.errstate`` does (``invalid="raise"`` names
    an inf − inf too); NaN and inf already in the inputs pass on as IEEE arithmetic gives them (inf + 1 is inf
    without an overflow)."""
    with np.errstate(over="raise", **errors):
        try:
            yield
        except FloatingPointError as error:
            words = floating_point(error)
            raise InputError(Text(
                f"{what} overflowed ({words}): {cause}",
                f"{what.zh}{' ' if what.zh[-1].isascii() else ''}溢出了（{words.zh}）：{cause.zh}",
            )) from None  # fmt: skip


def too_large(what: Text, inputs: Text) -> tuple[Text, Text]:
    """What overflows in a pass (``what``), and why: the entries of ``inputs`` (say "A_prev, W and b") are too large
    for their products and sums to be floats. The pair :func:`overflow` and :func:`guarded` take."""
    space = " " if inputs.zh[-1].isascii() else ""
    return what, Text(
        f"the entries of {inputs} are too large for their products and sums to be floats; rescale them",
        f"{inputs.zh}{space}的元素太大，它们的乘积与和超出了浮点数的范围；请缩小它们",
    )


#: Whether the function that runs is guarded already, by the outermost function of :func:`guarded`.
_GUARDED = contextvars.ContextVar("guarded", default=False)


def guarded(too_large: tuple[Text, Text] | None = None, sizes=None, **errors):
    """A decorator: the function runs as nn's vectorized passes run their arithmetic, within
    ``overflow(*too_large, **errors)`` when ``too_large`` (what overflows, and why) is given, so that finite entries
    whose products or sums overflow give a ValueError that names what overflowed, not a RuntimeWarning and inf.
    With ``sizes``, a function of the decorated one's arguments that says in the docs' notation what sizes its
    arrays have, a MemoryError (an array larger than numpy could allocate) becomes a ValueError that names the
    array asked for and those sizes. The function's own code stays as it is (the course's loops, as the pages
    show them), and the guard costs one context per call. A guarded function run inside another (conv_single_step
    in conv_forward_loops) leaves both to the outer one, whose words are the caller's."""

    def wrap(function):
        signature = inspect.signature(function)

        @functools.wraps(function)
        def guarded_function(*args, **kwargs):
            if _GUARDED.get():
                return function(*args, **kwargs)
            token = _GUARDED.set(True)
            try:
                with overflow(*too_large, **errors) if too_large else contextlib.nullcontext():
                    return function(*args, **kwargs)
            except MemoryError as error:
                if sizes is None:
                    raise
                arguments = signature.bind(*args, **kwargs)
                arguments.apply_defaults()
                raise _out_of_memory(error, function.__name__, sizes(**arguments.arguments)) from None
            finally:
                _GUARDED.reset(token)

        return guarded_function

    return wrap


def _out_of_memory(error: MemoryError, name: str, sizes: Text) -> InputError:
    """The ValueError for a MemoryError of function ``name``: the array numpy was asked for (``error`` carries its
    shape and dtype when numpy raised it) and the function's ``sizes``."""
    shape, dtype = getattr(error, "shape", None), getattr(error, "dtype", None)
    if shape is None or dtype is None:
        asked = Text("an array", "一个数组")
    else:
        size = math.prod(shape) * np.dtype(dtype).itemsize
        asked = Text(
            f"an array of shape {tuple(shape)} of {dtype}, {size} bytes",
            f"一个维度为 {tuple(shape)} 的 {dtype} 数组，{size} 字节",
        )
    return InputError(Text(
        f"{name} asked numpy for {asked}, more memory than it could allocate: {sizes}",
        f"{name} 向 numpy 申请{asked.zh}，超出了它能分配的内存：{sizes.zh}",
    ))  # fmt: skip


def as_array(what: str | Text, value) -> np.ndarray:
    """``np.asarray(value)``; an InputError naming ``what`` (a :class:`~nn.words.Text`, or a name such as ``X``) when
    numpy cannot make one array of it: a list whose rows have different lengths."""
    try:
        return np.asarray(value)
    except ValueError:
        zh = what.zh if isinstance(what, Text) else what
        raise InputError(Text(
            f"{what} is {described(value)} that numpy cannot make into one array (its entries have different lengths)",
            f"{zh} {described(value).zh}，numpy 无法把它变成一个数组（它的各项长度不同）",
        )) from None  # fmt: skip


def matrix(name: str, value, rows: str) -> np.ndarray:
    """Return ``value`` as a finite 2-D float array with ``m >= 1`` columns (samples).

    ``rows`` names the row count in the docs' notation, e.g. ``"n[0]"`` for X.
    Integer and boolean arrays become float64; float arrays are returned without a copy.
    """
    array = as_array(name, value)
    if array.dtype.kind not in "biuf":
        raise InputError(Text(
            f"{name} must hold real numbers; got dtype {array.dtype}",
            f"{name} 必须由实数组成，而它的 dtype 是 {array.dtype}",
        ))  # fmt: skip
    if array.ndim != 2:
        raise InputError(Text(
            f"{name} must be 2-D with samples as columns, shape ({rows}, m); got shape {array.shape}. "
            f"Use {name}.reshape({rows}, m), e.g. {name}.reshape(1, -1) when {rows} = 1",
            f"{name} 必须是 2 维的，每列一个样本，维度为 ({rows}, m)；而它的维度是 {array.shape}。"
            f"请用 {name}.reshape({rows}, m)，例如 {rows} = 1 时用 {name}.reshape(1, -1)",
        ))  # fmt: skip
    if array.shape[1] == 0:
        raise InputError(Text(
            f"{name} has shape {array.shape}: it needs at least one sample (column), m >= 1",
            f"{name} 的维度是 {array.shape}：它至少要有一个样本（一列），m >= 1",
        ))  # fmt: skip
    if array.dtype.kind != "f":
        array = array.astype(np.float64)
    finite(name, array)
    return array


def network(parameters) -> int:
    """Check W1, b1, ..., WL, bL for shapes, dtype and finiteness; return L, the number of layers.

    A hidden layer l < L may instead be a batch-norm layer: ``gamma{l}``, ``beta{l}``,
    ``running_mean{l}`` and ``running_var{l}``, all ``(n[l], 1)``, and no ``b{l}``.
    """
    if not isinstance(parameters, Mapping):
        raise InputError(Text(
            f"parameters must be a dict {{'W1': ..., 'b1': ..., ...}}; got {type(parameters).__name__}",
            f"parameters 必须是字典 {{'W1': ..., 'b1': ..., ...}}，而它是 {type(parameters).__name__}",
        ))  # fmt: skip
    L = sum(1 for key in parameters if isinstance(key, str) and key.startswith("W"))
    batch_norm = [l for l in range(1, L) if any(f"{name}{l}" in parameters for name in _BATCH_NORM)]
    _batch_norm_layers(parameters, L, batch_norm)
    expected = [f"W{l}" for l in range(1, L + 1)]
    expected += [f"{name}{l}" for l in batch_norm for name in _BATCH_NORM]
    expected += [f"b{l}" for l in range(1, L + 1) if l not in batch_norm]
    missing = [key for key in expected if key not in parameters] if L else ["W1", "b1"]
    unexpected = [key for key in parameters if key not in expected]
    if missing or unexpected:
        found = (("missing", "缺少", missing), ("unexpected", "多出", unexpected))
        raise InputError(Text(
            "parameters must hold exactly W1, b1, ..., WL, bL, one W and one b per layer "
            "(a batch-norm layer: gamma, beta, running_mean, running_var instead of b); "
            + ", ".join(f"{what} {keys}" for what, _, keys in found if keys),
            "parameters 必须恰好包含 W1, b1, ..., WL, bL，每层一个 W 和一个 b"
            "（批归一化层用 gamma、beta、running_mean、running_var 代替 b）；"
            + "，".join(f"{what} {keys}" for _, what, keys in found if keys),
        ))  # fmt: skip
    for key in expected:
        array = parameters[key]
        if not isinstance(array, np.ndarray) or array.ndim != 2 or array.dtype.kind != "f":
            name = key.rstrip("0123456789")
            shape = "(n[l], n[l-1])" if name == "W" else "(n[l], 1)"
            raise InputError(Text(
                f"{key} must be a 2-D floating-point numpy array, {name}[l] must be {shape}; got {_describe(array)}",
                f"{key} 必须是 2 维浮点 numpy 数组，{name}[l] 必须是 {shape}；而它{_describe(array).zh}",
            ))  # fmt: skip
        if array.dtype != parameters["W1"].dtype:
            raise InputError(Text(
                f"{key} has dtype {array.dtype} but W1 has {parameters['W1'].dtype}: all parameters share one dtype",
                f"{key} 的 dtype 是 {array.dtype}，而 W1 的是 {parameters['W1'].dtype}：所有参数的 dtype 必须相同",
            ))  # fmt: skip
        finite(key, array)
    for l in range(1, L + 1):
        W = parameters[f"W{l}"]
        if min(W.shape) < 1:
            raise InputError(Text(
                f"W{l} has shape {W.shape}: layer sizes n[l] must be at least 1",
                f"W{l} 的维度是 {W.shape}：每层的单元数 n[l] 至少为 1",
            ))  # fmt: skip
        if l > 1 and W.shape[1] != parameters[f"W{l - 1}"].shape[0]:
            rows = parameters[f"W{l - 1}"].shape[0]
            raise InputError(Text(
                f"W{l} has {W.shape[1]} columns but W{l - 1} has {rows} rows: W[l] must be (n[l], n[l-1])",
                f"W{l} 有 {W.shape[1]} 列，而 W{l - 1} 有 {rows} 行：W[l] 必须是 (n[l], n[l-1])",
            ))  # fmt: skip
        for name in _BATCH_NORM if l in batch_norm else ("b",):
            if (shape := parameters[f"{name}{l}"].shape) != (W.shape[0], 1):
                raise InputError(Text(
                    f"{name}{l} has shape {shape} but W{l} has {W.shape[0]} rows: {name}[l] must be (n[l], 1)",
                    f"{name}{l} 的维度是 {shape}，而 W{l} 有 {W.shape[0]} 行：{name}[l] 必须是 (n[l], 1)",
                ))  # fmt: skip
        if l in batch_norm and (parameters[f"running_var{l}"] < 0).any():
            raise InputError(Text(
                f"running_var{l} has a negative entry: a running average of variances σ² is >= 0 "
                f"(initialize_parameters sets it to ones, train updates it)",
                f"running_var{l} 有负的元素：方差 σ² 的滑动平均 >= 0"
                f"（initialize_parameters 把它初始化为全一，train 更新它）",
            ))  # fmt: skip
    return L


_BATCH_NORM = ("gamma", "beta", "running_mean", "running_var")


def _batch_norm_layers(parameters, L, layers) -> None:
    """Name the broken rule when batch-norm entries are incomplete, on the output layer, or beside b."""
    for key in parameters:
        name = key.rstrip("0123456789") if isinstance(key, str) else None
        if name in _BATCH_NORM and key[len(name) :] == str(L):
            raise InputError(Text(
                f"{key}: the output layer L = {L} has no batch norm and keeps b[L]; "
                f"gamma[l], beta[l] and the running averages belong to hidden layers l < L",
                f"{key}：输出层 L = {L} 不做批归一化，保留 b[L]；gamma[l]、beta[l] 和滑动平均只属于隐藏层 l < L",
            ))  # fmt: skip
    for l in layers:
        present = [name for name in _BATCH_NORM if f"{name}{l}" in parameters]
        if ("gamma" in present) != ("beta" in present):
            have, lack = ("gamma", "beta") if "gamma" in present else ("beta", "gamma")
            raise InputError(Text(
                f"{have}{l} without {lack}{l}: a batch-norm layer computes Z̃ = γ ⊙ Ẑ + β and needs both "
                f"(initialize_parameters(..., batch_norm=True) makes them)",
                f"有 {have}{l} 却没有 {lack}{l}：批归一化层计算 Z̃ = γ ⊙ Ẑ + β，两者都需要"
                f"（initialize_parameters(..., batch_norm=True) 会生成它们）",
            ))  # fmt: skip
        lacking = [f"{name}{l}" for name in _BATCH_NORM if name not in present]
        if lacking:
            have = [f"{name}{l}" for name in present]
            raise InputError(Text(
                f"layer {l} has {', '.join(have)} but not {', '.join(lacking)}: a "
                f"batch-norm layer needs gamma, beta and the running averages running_mean, running_var "
                f"that predict normalizes with",
                f"第 {l} 层有 {'、'.join(have)}，却没有 {'、'.join(lacking)}：批归一化层需要 gamma、beta，"
                f"以及 predict 做归一化所用的滑动平均 running_mean、running_var",
            ))  # fmt: skip
        if f"b{l}" in parameters:
            raise InputError(Text(
                f"b{l} together with beta{l}: in a batch-norm layer β takes the place of b (the mean "
                f"subtraction cancels any b), so layer {l} has no b[l]; remove b{l}",
                f"b{l} 与 beta{l} 同时存在：批归一化层中 β 代替了 b（减去均值会抵消任何 b），"
                f"所以第 {l} 层没有 b[l]；请删去 b{l}",
            ))  # fmt: skip


def layer_activations(names, L: int) -> dict[int, activation_registry.Activation]:
    """Resolve one activation name per layer into ``{l: g[l]}`` for l = 1..L."""
    if isinstance(names, str) or not isinstance(names, Sequence):
        raise InputError(Text(
            f"activations must be a list with one name per layer, e.g. ['relu', 'sigmoid']; got {names!r}",
            f"activations 必须是每层一个名称的列表，例如 ['relu', 'sigmoid']；而它是 {names!r}",
        ))  # fmt: skip
    if len(names) != L:
        raise InputError(Text(
            f"got {len(names)} activations for L = {L} layers: activations needs one name per layer, g[1]..g[L]",
            f"L = {L} 层却给了 {len(names)} 个激活函数：activations 每层一个名称，即 g[1]..g[L]",
        ))  # fmt: skip
    g = {l: activation_registry.get(name) for l, name in enumerate(names, start=1)}
    for l in range(1, L):
        if not g[l].elementwise:
            raise InputError(Text(
                f"activations[{l - 1}] = {g[l].name!r} at hidden layer {l} of L = {L}: {g[l].name} normalises each "
                f"column over its units, so it is only supported as the output activation g[L]",
                f"activations[{l - 1}] = {g[l].name!r} 位于 L = {L} 层网络的隐藏层 {l}：{g[l].name} "
                f"在每一列的各单元上做归一化，所以只能用作输出层的激活函数 g[L]",
            ))  # fmt: skip
    return g


def output_layer(g: dict, n_L: int, loss: str | None) -> None:
    """Check that the output activation g[L] suits its n[L] units and the loss."""
    L = len(g)
    if g[L].name == "softmax" and n_L < 2:
        raise InputError(Text(
            "softmax over n[L] = 1 unit is the constant 1 and passes no gradient: use n[L] = K >= 2 classes, "
            "or a sigmoid output with loss='bce' for two classes",
            "只有 n[L] = 1 个单元的 softmax 恒等于 1，传不回梯度：请用 n[L] = K >= 2 个类别，"
            "二分类则用 sigmoid 输出层配 loss='bce'",
        ))  # fmt: skip
    if loss == "cross_entropy" and g[L].name != "softmax":
        raise InputError(Text(
            f"loss 'cross_entropy' needs a softmax output layer, so that each column of A[L] is a distribution "
            f"over the n[L] classes; got g[L] = {g[L].name!r}. For one sigmoid output unit use loss='bce'",
            f"损失函数 'cross_entropy' 需要 softmax 输出层，使 A[L] 的每一列都是 n[L] 个类别上的概率分布；"
            f"而 g[L] = {g[L].name!r}。只有一个 sigmoid 输出单元时请用 loss='bce'",
        ))  # fmt: skip


def targets(Y, shape: tuple[int, int], dtype: np.dtype, loss: str) -> np.ndarray:
    """Return Y in ``dtype`` after checking it is ``(n[L], m)`` like A[L] and, for bce, in [0, 1].

    For cross_entropy every column of Y must be a distribution over the n[L] classes.
    """
    Y = matrix("Y", Y, "n[L]")
    if Y.shape != shape:
        hint = Text("", "")
        if Y.T.shape == shape:
            hint = Text(" (Y looks transposed: use Y.T)", "（Y 像是转置了：请用 Y.T）")
        if Y.shape == (1, shape[1]) and shape[0] > 1 and (loss == "cross_entropy" or _class_indices(Y, shape[0])):
            hint = Text(
                f" (Y looks like class labels: one-hot encode them, Y = np.eye({shape[0]})[labels].T)",
                f"（Y 像是类别标签：请把它编码成 one-hot 向量，Y = np.eye({shape[0]})[labels].T）",
            )
        raise InputError(Text(
            f"Y has shape {Y.shape} but A[L] is (n[L], m) = {shape}: Y must be (n[L], m), one column per sample{hint}",
            f"Y 的维度是 {Y.shape}，而 A[L] 是 (n[L], m) = {shape}：Y 必须是 (n[L], m)，每列一个样本{hint.zh}",
        ))  # fmt: skip
    if loss == "bce" and ((Y < 0) | (Y > 1)).any():
        raise InputError(Text(
            f"bce needs labels 0 <= Y <= 1; got Y from {Y.min()} to {Y.max()}. For other targets use loss='mse'",
            f"bce 要求标签 0 <= Y <= 1；而 Y 从 {Y.min()} 到 {Y.max()}。其他目标值请用 loss='mse'",
        ))  # fmt: skip
    Y = Y.astype(dtype, copy=False)
    if loss == "cross_entropy":
        remedy = Text(
            "one-hot columns for class labels: Y = np.eye(n[L])[labels].T, so that dZ[L] = A[L] - Y holds",
            "类别标签要编码成 one-hot 列：Y = np.eye(n[L])[labels].T，这样 dZ[L] = A[L] - Y 才成立",
        )
        distributions("Y", Y, remedy)
    return Y


def _class_indices(Y: np.ndarray, classes: int) -> bool:
    """Whether the row Y (finite, as :func:`matrix` returns it) holds class numbers 0 … classes − 1, one of
    them above 1: labels given for a network of ``classes`` outputs under any loss (a row of 0 and 1 may be
    a single output's targets)."""
    return bool(np.all(Y == np.round(Y))) and 0 <= Y.min() and 1 < Y.max() < classes


def distributions(name: str, array: np.ndarray, remedy: Text) -> None:
    """Check that every column of ``array`` is a probability distribution: entries in [0, 1], sum 1.

    The sum may be off by the square root of the dtype's epsilon, for rounding.
    """
    rule = f"cross_entropy needs every column of {name} to be a distribution over the n[L] classes"
    rule_zh = f"cross_entropy 要求 {name} 的每一列都是 n[L] 个类别上的概率分布"
    outside = (array < 0) | (array > 1)
    if outside.any():
        first = _first(outside)
        raise InputError(Text(
            f"{rule}, entries in [0, 1]; got {name}{list(first)} = {array[first]} ({remedy})",
            f"{rule_zh}，元素在 [0, 1] 之内；而 {name}{list(first)} = {array[first]}（{remedy.zh}）",
        ))  # fmt: skip
    sums = array.sum(axis=0)
    off = np.abs(sums - 1) > np.sqrt(np.finfo(array.dtype).eps)
    if off.any():
        j = int(np.argmax(off))
        raise InputError(Text(
            f"{rule}, summing to 1; column {j} sums to {sums[j]} ({remedy})",
            f"{rule_zh}，和为 1；而第 {j} 列的和是 {sums[j]}（{remedy.zh}）",
        ))  # fmt: skip


def probabilities(AL: np.ndarray, *, strict: bool) -> None:
    """Check 0 <= A[L] <= 1 for the bce cost, or 0 < A[L] < 1 (``strict``) for its derivative."""
    outside = ((AL <= 0) | (AL >= 1)) if strict else ((AL < 0) | (AL > 1))
    if outside.any():
        first = _first(outside)
        if strict:
            raise InputError(Text(
                f"bce's dA[L] = (A - Y) / (A(1 - A)) divides by zero unless 0 < A[L] < 1; "
                f"got A[L] = {AL[first]} at index {first}. "
                f"A sigmoid output layer avoids this: its dZ[L] = A[L] - Y has no division",
                f"bce 的 dA[L] = (A - Y) / (A(1 - A)) 只有在 0 < A[L] < 1 时才不会除以零；"
                f"而下标 {first} 处 A[L] = {AL[first]}。"
                f"sigmoid 输出层可以避免这一点：它的 dZ[L] = A[L] - Y 没有除法",
            ))  # fmt: skip
        raise InputError(Text(
            f"bce needs probabilities 0 <= A[L] <= 1 (e.g. a sigmoid output layer); "
            f"got A[L] = {AL[first]} at index {first}",
            f"bce 需要概率 0 <= A[L] <= 1（例如 sigmoid 输出层）；而下标 {first} 处 A[L] = {AL[first]}",
        ))  # fmt: skip


def positive_outputs(AL: np.ndarray) -> None:
    """Check A[L] > 0 for cross_entropy's dA[L] = -Y / A[L]."""
    if (AL <= 0).any():
        first = _first(AL <= 0)
        raise InputError(Text(
            f"cross_entropy's dA[L] = -Y / A[L] divides by zero unless A[L] > 0; got A[L] = {AL[first]} at index "
            f"{first}. A softmax output layer avoids this: its dZ[L] = A[L] - Y has no division",
            f"cross_entropy 的 dA[L] = -Y / A[L] 只有在 A[L] > 0 时才不会除以零；而下标 {first} 处 A[L] = "
            f"{AL[first]}。softmax 输出层可以避免这一点：它的 dZ[L] = A[L] - Y 没有除法",
        ))  # fmt: skip


def layer_dims(dims) -> list[int]:
    """Check ``[n[0], n[1], ..., n[L]]``: at least two integer sizes, each at least 1."""
    if isinstance(dims, str) or not isinstance(dims, (Sequence, np.ndarray)):
        raise InputError(Text(
            f"layer_dims must be a list [n[0], n[1], ..., n[L]] of layer sizes; got {dims!r}",
            f"layer_dims 必须是各层单元数的列表 [n[0], n[1], ..., n[L]]；而它是 {dims!r}",
        ))  # fmt: skip
    if len(dims) < 2:
        raise InputError(Text(
            f"layer_dims needs at least 2 entries, [n[0], n[1], ...]: the input size and one layer; got {list(dims)}",
            f"layer_dims 至少要有 2 项 [n[0], n[1], ...]：输入的维数和一层；而它是 {list(dims)}",
        ))  # fmt: skip
    for l, n in enumerate(dims):
        if not integer(n) or n < 1:
            raise InputError(Text(
                f"layer_dims[{l}] = {n!r}: layer sizes n[l] must be integers >= 1",
                f"layer_dims[{l}] = {n!r}：每层的单元数 n[l] 必须是 >= 1 的整数",
            ))  # fmt: skip
    return [int(n) for n in dims]


def rate(learning_rate) -> float:
    """Return the learning rate as a Python float (so it never changes the parameters' dtype)."""
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real) or not 0 < learning_rate < np.inf:
        raise InputError(Text(
            f"learning_rate must be a positive finite number; got {learning_rate!r}",
            f"learning_rate 必须是有限的正数；而它是 {learning_rate!r}",
        ))  # fmt: skip
    return float(learning_rate)


def init_inputs(dims, method: str, seed, dtype, *, methods: Sequence[str]) -> tuple[list[int], np.dtype]:
    """Checks for initialize_parameters; return layer_dims as ints and the dtype."""
    choice(Text("init method", "初始化方法"), method, methods)
    random_seed(seed, Text("the seed of the draws of W", "抽取 W 所用的种子"))
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        dtype = None
    if dtype is None or dtype.kind != "f":
        raise InputError(Text(
            f"dtype must be a floating-point type such as np.float32 or np.float64; got {dtype!r}",
            f"dtype 必须是浮点类型，例如 np.float32 或 np.float64；而它是 {dtype!r}",
        ))  # fmt: skip
    return layer_dims(dims), dtype


def forward_inputs(X, parameters, activations, *, training=True, seed=None) -> tuple[np.ndarray, dict]:
    """Checks for forward_propagation and predict; return X in the parameters' dtype, and g."""
    random_seed(seed, Text("the seed of the dropout masks", "抽取随机失活掩码所用的种子"))
    if not isinstance(training, bool):
        raise InputError(Text(
            f"training must be True (batch statistics) or False (running averages); got {training!r}",
            f"training 必须是 True（用这一批的统计量）或 False（用滑动平均）；而它是 {training!r}",
        ))  # fmt: skip
    L = network(parameters)
    g = layer_activations(activations, L)
    X = matrix("X", X, "n[0]")
    n0 = parameters["W1"].shape[1]
    if X.shape[0] != n0:
        raise InputError(Text(
            f"X has {X.shape[0]} rows but W1 expects {n0}: W[l] must be (n[l], n[l-1]), so X = A[0] must be (n[0], m)",
            f"X 有 {X.shape[0]} 行，而 W1 要求 {n0} 行：W[l] 必须是 (n[l], n[l-1])，所以 X = A[0] 必须是 (n[0], m)",
        ))  # fmt: skip
    output_layer(g, parameters[f"W{L}"].shape[0], None)
    if training and any(key.startswith("gamma") for key in parameters):
        batch_size(X.shape[1])
    return X.astype(parameters["W1"].dtype, copy=False), g


def batch_size(m: int) -> None:
    """Batch norm in training mode needs m >= 2: on one sample Z − μ = 0 and σ² = 0 for every unit."""
    if m < 2:
        raise InputError(Text(
            "batch norm in training mode needs a batch of m >= 2 samples: with m = 1, μ = Z, so Z − μ = 0 "
            "and σ² = 0 for every unit and nothing is learned. Predict one sample with predict, or "
            "forward_propagation(..., training=False), which use the running averages",
            "训练模式下的批归一化需要一批 m >= 2 个样本：m = 1 时 μ = Z，于是每个单元的 Z − μ = 0、σ² = 0，"
            "什么也学不到。预测单个样本请用 predict 或 forward_propagation(..., training=False)，它们用滑动平均",
        ))  # fmt: skip


def batch_norm_entries(values, name: str, keys: Sequence[str], rule: Text, rows: int | None = None) -> None:
    """Raise, stating ``rule``, unless ``values`` (a dict called ``name``) holds each of ``keys`` as an array of
    shape ``(rows, 1)``, or ``(n, 1)`` for any n when ``rows`` is None: what batch norm reads of one layer."""
    if not isinstance(values, Mapping):
        raise InputError(Text(
            f"{name} must be a dict; got {described(values)}: {rule}",
            f"{name} 必须是字典，而它{described(values).zh}：{rule.zh}",
        ))  # fmt: skip
    for key in keys:
        value = values.get(key)
        if isinstance(value, np.ndarray) and value.ndim == 2 and value.shape[1] == 1 and rows in (None, len(value)):
            continue
        wanted = Text("an (n[l], 1) array", "(n[l], 1) 的数组")
        if rows is not None:
            wanted = Text(f"an array of shape ({rows}, 1)", f"维度为 ({rows}, 1) 的数组")
        found = Text(f" has no {key!r}", f" 中没有 {key!r}")
        if key in values:
            found = Text(f"[{key!r}] is {_describe(value)}", f"[{key!r}] {_describe(value).zh}")
        raise InputError(Text(
            f"{name}{found}, where {wanted} is needed: {rule}",
            f"{name}{found.zh}，而这里需要{wanted.zh}：{rule.zh}",
        ))  # fmt: skip


def keep_probs(keep_prob, L: int) -> dict[int, float]:
    """Return ``{l: p}`` for the hidden layers l < L whose keep_prob p is below 1.

    ``keep_prob`` is one number in (0, 1] for every hidden layer, or a list of L - 1 of them.
    """
    sequence = isinstance(keep_prob, (Sequence, np.ndarray)) and not isinstance(keep_prob, str)
    scalar = not sequence or getattr(keep_prob, "ndim", 1) == 0  # a 0-d array(0.5) is one value too
    values = [keep_prob] if scalar else list(keep_prob)
    if not scalar and len(values) != L - 1:
        raise InputError(Text(
            f"got {len(values)} keep_prob values for L - 1 = {L - 1} hidden layers: give one per hidden "
            f"layer l = 1..L-1 (the output layer is never dropped), or one number for all",
            f"L - 1 = {L - 1} 个隐藏层却给了 {len(values)} 个 keep_prob：请给每个隐藏层 l = 1..L-1 各一个"
            f"（输出层从不随机失活），或者给所有层共用的一个数",
        ))  # fmt: skip
    for l, p in enumerate(values, start=1):
        if not _real(p) or not 0 < p <= 1:
            where = Text("", "") if scalar else Text(f" (hidden layer {l})", f"（隐藏层 {l}）")
            raise InputError(Text(
                f"keep_prob is the probability of keeping a unit, a number in (0, 1]; got {p!r}{where}. "
                "keep_prob = 1 keeps every unit",
                f"keep_prob 是保留一个单元的概率，是 (0, 1] 中的数；而它是 {p!r}{where.zh}。keep_prob = 1 保留所有单元",
            ))  # fmt: skip
    if scalar:
        if L == 1 and keep_prob != 1:
            raise InputError(Text(
                f"keep_prob = {keep_prob!r} but L = 1: dropout drops hidden units only and this network has no "
                f"hidden layer; use keep_prob=1.0",
                f"keep_prob = {keep_prob!r}，而 L = 1：dropout 只丢弃隐藏层的单元，这个网络没有隐藏层；"
                f"请用 keep_prob=1.0",
            ))  # fmt: skip
        values = values * (L - 1)
    return {l: float(p) for l, p in enumerate(values, start=1) if p < 1}


def lambd(value) -> float:
    """Return the L2 strength λ as a Python float after checking it is finite and >= 0."""
    if not _real(value) or not 0 <= value < np.inf:
        raise InputError(Text(
            f"lambd is the L2 strength λ of the penalty (λ/2m) Σ ‖W[l]‖², a finite number >= 0; got {value!r}",
            f"lambd 是惩罚项 (λ/2m) Σ ‖W[l]‖² 中的 L2 强度 λ，是 >= 0 的有限数；而它是 {value!r}",
        ))  # fmt: skip
    return float(value)


def _real(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, numbers.Real)


def integer(value) -> bool:
    """Whether ``value`` is an integer, a Python or numpy one (a bool is not one)."""
    return not isinstance(value, bool) and isinstance(value, numbers.Integral)


#: The name of the loss argument, for :func:`choice`.
LOSS = Text("loss", "损失函数")


def cost_inputs(AL, Y, loss: str, ZL=None, *, losses: Sequence[str], paired: Mapping[str, str]):
    """Checks for compute_cost; return A[L], Y and Z[L] (or None) in A[L]'s dtype."""
    choice(LOSS, loss, losses)
    AL = matrix("AL", AL, "n[L]")
    Y = targets(Y, AL.shape, AL.dtype, loss)
    if loss == "bce":
        probabilities(AL, strict=False)
    if loss == "cross_entropy":
        distributions("A[L]", AL, Text("a softmax output layer gives such columns", "softmax 输出层给出的就是这样的列"))
    if ZL is None:
        return AL, Y, None
    if loss not in paired:
        raise InputError(Text(
            f"ZL is for the {' and '.join(paired)} costs (from the logits Z[L]); {loss} uses A[L] only",
            f"ZL 只用于 {' 和 '.join(paired)} 代价函数（由 logits Z[L] 计算）；{loss} 只用 A[L]",
        ))  # fmt: skip
    ZL = matrix("ZL", ZL, "n[L]").astype(AL.dtype, copy=False)
    if ZL.shape != AL.shape:
        raise InputError(Text(
            f"ZL has shape {ZL.shape} but AL has {AL.shape}: Z[L] and A[L] are both (n[L], m)",
            f"ZL 的维度是 {ZL.shape}，而 AL 的是 {AL.shape}：Z[L] 和 A[L] 都是 (n[L], m)",
        ))  # fmt: skip
    output = activation_registry.get(paired[loss])
    tolerance = np.sqrt(np.finfo(AL.dtype).eps)
    if not np.allclose(AL, output.forward(ZL), rtol=tolerance, atol=tolerance):
        raise InputError(Text(
            f"AL is not {output.name}(ZL): with loss={loss!r}, ZL must be the Z[L] whose {output.name} is A[L], "
            f"i.e. the pair forward_propagation put in its cache",
            f"AL 不等于 {output.name}(ZL)：loss={loss!r} 时，ZL 必须是其 {output.name} 等于 A[L] 的那个 Z[L]，"
            f"也就是 forward_propagation 放进缓存的那一对",
        ))  # fmt: skip
    return AL, Y, ZL


def backward_inputs(AL, Y, cache, parameters, activations, loss: str, *, losses: Sequence[str]):
    """Checks for backward_propagation; return A[L] and Y in the parameters' dtype, and g."""
    L = network(parameters)
    g = layer_activations(activations, L)
    choice(LOSS, loss, losses)
    if not isinstance(cache, Mapping) or not isinstance(cache.get("A0"), np.ndarray):
        raise InputError(Text(
            "cache must be the dict returned by forward_propagation, holding A0 = X, Z1, A1, ...",
            "cache 必须是 forward_propagation 返回的字典，其中有 A0 = X、Z1、A1、……",
        ))  # fmt: skip
    dtype, m = parameters["W1"].dtype, cache["A0"].shape[-1]
    for l in range(1, L + 1):
        n, n_prev = parameters[f"W{l}"].shape
        for key, shape in ((f"A{l - 1}", (n_prev, m)), (f"Z{l}", (n, m))):
            value = cache.get(key)
            if not isinstance(value, np.ndarray) or value.shape != shape or value.dtype != dtype:
                raise InputError(Text(
                    f"cache[{key!r}] is {_describe(value)} but backward needs a {dtype} array of shape {shape}: "
                    f"pass the cache that forward_propagation returned for these parameters",
                    f"cache[{key!r}] {_describe(value).zh}，而反向传播需要维度为 {shape} 的 {dtype} 数组："
                    f"请传入 forward_propagation 用这些参数返回的缓存",
                ))  # fmt: skip
    for l in range(1, L):
        n = parameters[f"W{l}"].shape[0]
        needs = [f"Zhat{l}", f"var{l}"] if f"gamma{l}" in parameters else []
        needs += [f"D{l}"] if f"keep_prob{l}" in cache or f"D{l}" in cache else []
        for key in needs:
            shape = (n, 1) if key.startswith("var") else (n, m)
            value = cache.get(key)
            if not isinstance(value, np.ndarray) or value.shape != shape or value.dtype != dtype:
                raise InputError(Text(
                    f"cache[{key!r}] is {_describe(value)} but backward needs a {dtype} array of shape {shape}: "
                    f"pass the cache of a training-mode forward_propagation with these parameters",
                    f"cache[{key!r}] {_describe(value).zh}，而反向传播需要维度为 {shape} 的 {dtype} 数组："
                    f"请传入用这些参数在训练模式下运行 forward_propagation 得到的缓存",
                ))  # fmt: skip
        if f"D{l}" in cache:
            p = cache.get(f"keep_prob{l}")
            if not _real(p) or not 0 < p <= 1:
                raise InputError(Text(
                    f"cache['keep_prob{l}'] is {p!r}: backward scales dA[{l}] by D[{l}] / keep_prob, so the cache "
                    f"needs the keep_prob in (0, 1] its mask D{l} was drawn with",
                    f"cache['keep_prob{l}'] 是 {p!r}：反向传播把 dA[{l}] 乘以 D[{l}] / keep_prob，"
                    f"所以缓存里要有抽取掩码 D{l} 时所用的 keep_prob，在 (0, 1] 之内",
                ))  # fmt: skip
    AL = matrix("AL", AL, "n[L]").astype(dtype, copy=False)
    if AL.shape != cache[f"Z{L}"].shape:
        raise InputError(Text(
            f"AL has shape {AL.shape} but Z{L} in the cache has {cache[f'Z{L}'].shape}: A[L] must be (n[L], m); "
            f"pass the AL that forward_propagation returned with this cache",
            f"AL 的维度是 {AL.shape}，而缓存中 Z{L} 的是 {cache[f'Z{L}'].shape}：A[L] 必须是 (n[L], m)；"
            f"请传入 forward_propagation 与这个缓存一起返回的 AL",
        ))  # fmt: skip
    output_layer(g, AL.shape[0], loss)
    return AL, targets(Y, AL.shape, dtype, loss), g


def update_inputs(parameters, grads, learning_rate) -> float:
    """Checks for update_parameters (see :func:`gradient_step`); return the rate as a float."""
    gradient_step(parameters, grads)
    return rate(learning_rate)


#: Entries of the parameters that get no gradient (batch norm's running averages): no step moves them.
NO_GRADIENT = ("running_mean", "running_var")


def learnable(parameters: Mapping) -> list[str]:
    """The keys of the parameters that a step updates: every one but the running averages."""
    return [key for key in parameters if not key.startswith(NO_GRADIENT)]


def parameter_arrays(parameters) -> list[str]:
    """Check that the parameters are a dict of finite float arrays of one dtype; return the learnable keys."""
    if not isinstance(parameters, Mapping) or not parameters:
        raise InputError(Text(
            f"parameters must be a dict {{'W1': ..., 'b1': ..., ...}}; got {_describe(parameters)}",
            f"parameters 必须是字典 {{'W1': ..., 'b1': ..., ...}}；而它{_describe(parameters).zh}",
        ))  # fmt: skip
    dtype = None
    for key, value in parameters.items():
        if not isinstance(key, str) or not isinstance(value, np.ndarray) or value.dtype.kind != "f":
            raise InputError(Text(
                f"parameters[{key!r}] must be a floating-point numpy array; got {_describe(value)}",
                f"parameters[{key!r}] 必须是浮点 numpy 数组；而它{_describe(value).zh}",
            ))  # fmt: skip
        if dtype is not None and value.dtype != dtype:
            raise InputError(Text(
                f"{key} has dtype {value.dtype} but the other parameters have {dtype}: all share a dtype",
                f"{key} 的 dtype 是 {value.dtype}，而其他参数的是 {dtype}：所有参数的 dtype 必须相同",
            ))  # fmt: skip
        dtype = value.dtype
        finite(key, value)
    return learnable(parameters)


def gradient_step(parameters, grads) -> list[str]:
    """Checks shared by every update rule: ``d<key>`` shaped like ``<key>`` for each learnable key; return those keys.

    The parameters are a dict of finite float arrays of one dtype; ``grads`` has one gradient
    per learnable parameter (see :func:`learnable`) and no gradient for anything else.
    """
    keys = parameter_arrays(parameters)
    if not isinstance(grads, Mapping):
        raise InputError(Text(
            f"grads must be the dict returned by backward_propagation; got {type(grads).__name__}",
            f"grads 必须是 backward_propagation 返回的字典；而它是 {type(grads).__name__}",
        ))  # fmt: skip
    unknown = [key for key in grads if not (isinstance(key, str) and key[1:] in keys and key[0] == "d")]
    if unknown:
        raise InputError(Text(
            f"grads has {', '.join(map(repr, unknown))} but no learnable parameter of that name: "
            f"grads holds d<key> for each parameter <key> except {' and '.join(NO_GRADIENT)}",
            f"grads 中有 {'、'.join(map(repr, unknown))}，却没有同名的可学习参数："
            f"grads 为除 {' 和 '.join(NO_GRADIENT)} 以外的每个参数 <key> 保存 d<key>",
        ))  # fmt: skip
    state("grads", grads, parameters, keys)
    return keys


def state(name: str, values, parameters: Mapping, keys: Sequence[str], *, nonnegative: bool = False) -> None:
    """Check an optimizer's state (or the gradients): ``values['d<key>']`` shaped like each parameter ``<key>``."""
    if not isinstance(values, Mapping):
        raise InputError(Text(
            f"{name} must be a dict keyed like the gradients (dW1, db1, ...); got {_describe(values)}",
            f"{name} 必须是与梯度同样取键（dW1、db1、……）的字典；而它{_describe(values).zh}",
        ))  # fmt: skip
    expected = {f"d{key}" for key in keys}
    unknown = [key for key in values if key not in expected]
    if unknown:  # e.g. the state of another network: no step would read it, and it would be passed on
        raise InputError(Text(
            f"{name} has {', '.join(map(repr, unknown))} but no learnable parameter of that name: {name} is keyed "
            f"like the gradients, d<key> for each parameter <key> (start from initialize_velocity or initialize_adam)",
            f"{name} 中有 {'、'.join(map(repr, unknown))}，却没有同名的可学习参数：{name} 与梯度同样取键，"
            f"每个参数 <key> 对应 d<key>（请从 initialize_velocity 或 initialize_adam 开始）",
        ))  # fmt: skip
    for key in keys:
        value, array = values.get(f"d{key}"), parameters[key]
        if not isinstance(value, np.ndarray) or value.shape != array.shape or value.dtype != array.dtype:
            raise InputError(Text(
                f"{name}['d{key}'] is {_describe(value)} but {key} is {with_article(array.dtype)} array "
                f"of shape {array.shape}: "
                f"d{key} must have {key}'s shape and dtype",
                f"{name}['d{key}'] {_describe(value).zh}，而 {key} 是维度为 {array.shape} 的 {array.dtype} 数组："
                f"d{key} 的维度和 dtype 必须与 {key} 相同",
            ))  # fmt: skip
        finite(f"d{key}" if name == "grads" else f"{name}['d{key}']", value)
        if nonnegative and (value < 0).any():
            first = _first(value < 0)
            raise InputError(Text(
                f"{name}['d{key}'] has a negative entry {value[first]} at index {first}: {name} averages squared "
                f"gradients, so every entry is >= 0 (start from zeros)",
                f"{name}['d{key}'] 在下标 {first} 处有负的元素 {value[first]}：{name} 是梯度平方的平均，"
                f"所以每个元素都 >= 0（请从全零开始）",
            ))  # fmt: skip


def decay(name: str, value) -> float:
    """Return an averaging rate β in [0, 1) as a float; ``name`` is its argument name, e.g. ``beta1``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise InputError(Text(
            f"{name} = {value!r}: an averaging rate β must be a number with 0 <= β < 1 "
            f"(β = 0 keeps only the latest gradient; β = 1 would never move from 0)",
            f"{name} = {value!r}：滑动平均的系数 β 必须满足 0 <= β < 1"
            f"（β = 0 只保留最近一次的梯度；β = 1 则永远停在 0）",
        ))  # fmt: skip
    return float(value)


def epsilon(value) -> float:
    """Return ε, the guard against dividing by zero in RMSprop and Adam, as a positive finite float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value < np.inf:
        raise InputError(Text(
            f"epsilon = {value!r}: ε must be a positive finite number (it keeps √s + ε above 0)",
            f"epsilon = {value!r}：ε 必须是有限的正数（它保证 √s + ε 大于 0）",
        ))  # fmt: skip
    return float(value)


def count(name: str, value, rule: Text) -> int:
    """Return an integer >= 1 (not a bool); otherwise raise with ``rule`` saying why it must be one."""
    if not integer(value) or value < 1:
        raise InputError(Text(f"{name} = {value!r}: {rule}", f"{name} = {value!r}：{rule.zh}"))
    return int(value)


BATCH_RULE = Text(
    "a mini-batch holds an integer number >= 1 of columns (samples)", "一个小批量的列数（样本数）是 >= 1 的整数"
)


def batch_inputs(X, Y, mini_batch_size, seed) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Checks for random_mini_batches: X ``(n[0], m)`` and Y ``(n[L], m)`` with the same m >= 1 columns, and the
    shuffle's seed; return X, Y, the batch size and the seed."""
    X, Y = as_array("X", X), as_array("Y", Y)
    for name, array, rows in (("X", X, "n[0]"), ("Y", Y, "n[L]")):
        if array.ndim != 2 or array.shape[1] == 0:
            raise InputError(Text(
                f"{name} must be 2-D with m >= 1 samples as columns, ({rows}, m); got shape {array.shape}",
                f"{name} 必须是 2 维的，每列一个样本，m >= 1，即 ({rows}, m)；而它的维度是 {array.shape}",
            ))  # fmt: skip
    if X.shape[1] != Y.shape[1]:
        raise InputError(Text(
            f"X has {X.shape[1]} columns but Y has {Y.shape[1]}: column i of Y is the label of column i of X",
            f"X 有 {X.shape[1]} 列，而 Y 有 {Y.shape[1]} 列：Y 的第 i 列是 X 第 i 列的标签",
        ))  # fmt: skip
    size = count("mini_batch_size", mini_batch_size, BATCH_RULE)
    return X, Y, size, random_seed(seed, Text("the shuffle's seed", "打乱顺序所用的种子"), fresh=False)


def random_seed(value, what: Text, *, fresh: bool = True):
    """Return ``value``, a seed for ``np.random.default_rng`` (``what`` says of what): an integer >= 0, or when
    ``fresh`` also None (fresh randomness) or a ``np.random.Generator`` (drawn on from where it is); otherwise
    raise, rather than let numpy refuse it in its own words."""
    if fresh and (value is None or isinstance(value, np.random.Generator)):
        return value
    if not integer(value) or value < 0:
        raise InputError(Text(
            f"seed = {value!r}: {what} must be an integer >= 0"
            + (" or a np.random.Generator (None draws fresh randomness)" if fresh else ""),
            f"seed = {value!r}：{what.zh}必须是 >= 0 的整数"
            + ("或 np.random.Generator（None 表示每次取新的随机数）" if fresh else ""),
        ))  # fmt: skip
    return int(value)


def optimizer_inputs(optimizer: str, mini_batch_size, beta, beta1, beta2, eps, *, optimizers: Sequence[str]):
    """Checks for train's optimizer options; return mini_batch_size (int or None) and the rates as floats."""
    choice(Text("optimizer", "优化器"), optimizer, optimizers)
    if mini_batch_size is not None:
        mini_batch_size = count("mini_batch_size", mini_batch_size, BATCH_RULE)
    return mini_batch_size, decay("beta", beta), decay("beta1", beta1), decay("beta2", beta2), epsilon(eps)


def train_inputs(X, Y, dims, activations, loss, learning_rate, num_iterations, *, losses: Sequence[str]):
    """Checks for train; return layer_dims, X and Y (in X's float dtype), g and the rate as a float.

    ``train`` checks its regularization options itself (:func:`keep_probs`, :func:`lambd`,
    :func:`batch_size`)."""
    dims = layer_dims(dims)
    g = layer_activations(activations, len(dims) - 1)
    choice(LOSS, loss, losses)
    if not integer(num_iterations) or num_iterations < 1:
        raise InputError(Text(
            f"num_iterations must be an integer >= 1; got {num_iterations!r}",
            f"num_iterations 必须是 >= 1 的整数；而它是 {num_iterations!r}",
        ))  # fmt: skip
    X = matrix("X", X, "n[0]")
    if X.shape[0] != dims[0]:
        raise InputError(Text(
            f"X has {X.shape[0]} rows but layer_dims[0] = n[0] = {dims[0]}: X must be (n[0], m)",
            f"X 有 {X.shape[0]} 行，而 layer_dims[0] = n[0] = {dims[0]}：X 必须是 (n[0], m)",
        ))  # fmt: skip
    output_layer(g, dims[-1], loss)
    Y = targets(Y, (dims[-1], X.shape[1]), X.dtype, loss)
    return dims, X, Y, g, rate(learning_rate)


def layer_cache(cache, layout: str, forward: str) -> None:
    """Raise unless ``cache`` is a tuple (or list) with one entry per name of ``layout``, e.g.
    ``"(A_prev, hparameters)"``: the cache that ``forward`` returns."""
    names = layout.strip("()").split(", ")
    if not isinstance(cache, (tuple, list)) or len(cache) != len(names):
        listed = "、".join(names[:-1]) + " 和 " + names[-1]
        raise InputError(Text(
            f"cache must be the tuple {layout} that {forward} returns; got {described(cache)}",
            f"cache 必须是 {forward} 返回的元组，依次是 {listed}；而它{described(cache).zh}",
        ))  # fmt: skip


def callback(value) -> None:
    """Raise unless ``value`` is None or can be called as ``callback(iteration, cost)``."""
    if value is not None and not callable(value):
        raise InputError(Text(
            f"callback = {value!r}: train calls callback(iteration, cost) after each iteration, so it must be a "
            f"function (or None)",
            f"callback = {value!r}：train 在每次迭代后调用 callback(iteration, cost)，所以它必须是函数（或 None）",
        ))  # fmt: skip


def _first(mask: np.ndarray) -> tuple[int, ...]:
    """The index of the first True entry of ``mask``, as plain ints for the error message."""
    return tuple(int(i) for i in np.argwhere(mask)[0])


def _describe(value) -> Text:
    """:func:`~nn.words.described`, with None read as a missing entry: "missing" (in Chinese "缺失")."""
    return Text("missing", "缺失") if value is None else described(value)
