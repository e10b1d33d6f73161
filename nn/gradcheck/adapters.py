r"""Checks of a learner's own code, in the shape it was written: its names, its signatures.

- :func:`check_function`: any ``cost(parameters)`` and ``gradients(parameters)`` on a dict of
  float arrays of any names and shapes. Nothing is known inside them, so a failing report
  states the relation it found between the two gradients (a sign, a constant factor, a
  transpose) and names no derivation.
- :func:`check_two_layer` and :func:`check_L_layer`: the course's signatures. The network is
  known (its activations and loss), so the numeric gradient comes from nn's own forward pass,
  and a failing report is compared with the gradients of every known mistake
  (:mod:`nn.gradcheck.mistakes`) to name the derivation the code contradicts.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import numpy as np

from .. import checks, losses, network
from . import mistakes
from .checker import _callable, _returned, check, choices, run, start
from .problems import FunctionProblem
from .report import Reports
from .words import InputError, Text, with_article


class GradientShapeError(InputError):
    """A learner's gradient whose shape is not its parameter's; ``derivation`` names the
    derivation it contradicts when a known mistake (or two together) gives exactly that gradient,
    else None. The message carries the ``diagnosis`` of every wrong block, this one or others.
    ``str(error)`` is the message in English; :meth:`text` gives it in English or Chinese."""

    def __init__(self, parameter, label, expected, got, diagnosis=None):
        self.parameter, self.expected, self.got = parameter, expected, got
        self.derivation = diagnosis.derivation_of(parameter) if diagnosis else None
        same = label == parameter  # a learner's gradient under the parameter's own name: say which is which
        gradient, block = (f"the gradient {label}", f"the parameter {parameter}") if same else (label, parameter)
        gradient_zh, block_zh = (f"梯度 {label}", f"参数 {parameter}") if same else (label, f" {parameter}")
        message = f"{gradient} has shape {got} but {block} has shape {expected}: a gradient has its parameter's shape"
        chinese = f"{gradient_zh} 的维度是 {got}，而{block_zh} 的维度是 {expected}：梯度的维度与其参数相同"
        if len(got) == 2 and got == tuple(reversed(expected)) and not self.derivation:
            message += f" ({got} is the shape of {parameter}ᵀ)"
            chinese += f"（{got} 是 {parameter}ᵀ 的维度）"
        if diagnosis:
            message, chinese = f"{message}; {diagnosis}", f"{chinese}；{diagnosis.text('zh')}"
        super().__init__(Text(message, chinese))


def check_function(cost, gradients, parameters, *, mode="full", h=None, tolerance=None, seed=0):
    r"""Check a learner's ``gradients(parameters)`` against numeric differences of ``cost(parameters)``.

    Args:
        cost: ``cost(parameters) -> J``, one number.
        gradients: ``gradients(parameters) -> dict`` of the gradient of every parameter, all under
            the parameters' own names or all under ``"d" + name``; other keys (``dA1``, say) are ignored.
        parameters: a dict of float arrays of any names and shapes (0-d included); not modified.
        mode: ``"full"``, ``"directional"`` (for large parameters) or ``"complex"`` (when cost
            accepts complex arrays).
        h: the step; None takes the default for the parameters' dtype and the mode, as in
            :func:`nn.gradcheck.check`.
        tolerance: a block whose relative error is at most this passes; above it, the noise bound
            decides, as in ``check``; None takes the default.
        seed: seed for the random directions of ``directional``.

    Returns:
        A :class:`~nn.gradcheck.report.Report`, one row per parameter. No kink is tracked:
        nothing is known about the function's kinks.

    Raises:
        ValueError: parameters that are not a dict of finite float arrays, a cost or gradients that
            is not a function, a cost that does not return one finite number (at the parameters, or
            within a step of them) or that changes the parameters in place, a gradient that is
            missing, not finite or not one array, gradients named both ways (``w`` and ``dc``), an
            unknown mode, or a point where every gradient is 0, the numeric ones and those given alike
            (nothing would be compared).
        GradientShapeError: a gradient whose shape is not its parameter's.

    Example:
        >>> def cost(p):
        ...     return float(np.sum(p["w"] ** 2) + 3 * p["c"])
        >>> def gradients(p):
        ...     return {"dw": 2 * p["w"], "dc": np.array(3.0)}
        >>> check_function(cost, gradients, {"w": np.array([1.0, -2.0]), "c": np.array(0.5)}).passed
        True
    """
    _callable("check_function", "cost(parameters)", cost)
    _callable("check_function", "gradients(parameters)", gradients)
    choices(mode, seed=seed)
    params = _float_arrays(parameters)
    dtype = max((value.dtype for value in params.values()), key=lambda d: np.finfo(d).eps)
    problem = FunctionProblem(cost, params)
    given = {key: value.copy() for key, value in params.items()}
    problem.value(given, moved=False)
    _unchanged("cost", [("parameters", params, given)])
    report = start(problem, dtype, mode, h, tolerance, kinks="")
    returned = gradients({key: value.copy() for key, value in params.items()})
    names = _names(returned, params, "gradients(parameters)")
    grads = {}
    for key, label in names.items():
        grads[key] = _gradient(returned[label], key, label, params[key].shape, "gradients(parameters)")
    return run(problem, grads, report, seed, labels=names)


def check_two_layer(
    forward_propagation,
    backward_propagation,
    parameters,
    X,
    Y,
    *,
    mode="full",
    h=None,
    tolerance=None,
    seed=0,
    kinks="move",
):
    r"""Check the course's two-layer backward pass: tanh hidden layer, sigmoid output, mean cross-entropy.

    ``forward_propagation(X, parameters) -> (A2, cache)`` and
    ``backward_propagation(parameters, cache, X, Y) -> grads`` with ``dW1, db1, dW2, db2`` are
    the learner's. forward must give nn's A[2] for the same parameters (it is checked); the
    numeric gradient then comes from nn's forward pass, with everything ``nn.gradcheck.check``
    does (kinks, the cost from the logits, narrowing). A failing report names the known mistake
    whose gradients the learner's equal, and its derivation (``report.derivation``). ``mode``,
    ``h``, ``tolerance``, ``seed`` and ``kinks`` are those of :func:`nn.gradcheck.check`.

    Args:
        forward_propagation: the learner's ``forward_propagation(X, parameters) -> (A2, cache)``.
        backward_propagation: the learner's ``backward_propagation(parameters, cache, X, Y) -> grads``.
        parameters: ``{"W1", "b1", "W2", "b2"}``, W[l] ``(n[l], n[l-1])``; not modified.
        X: inputs, ``(n[0], m)``.
        Y: labels, ``(1, m)``.

    Returns:
        A :class:`~nn.gradcheck.report.Report`.

    Raises:
        ValueError: bad inputs, functions that cannot be called or return something else than the
            course's, a forward pass that changes its inputs in place, or one that is not the course's
            network.
        GradientShapeError: a gradient whose shape is not its parameter's.

    Example:
        >>> def forward(X, p):
        ...     A1 = np.tanh(p["W1"] @ X + p["b1"])
        ...     A2 = 1 / (1 + np.exp(-(p["W2"] @ A1 + p["b2"])))
        ...     return A2, {"A1": A1, "A2": A2}
        >>> def backward(p, cache, X, Y):
        ...     m, A1, A2 = X.shape[1], cache["A1"], cache["A2"]
        ...     dZ2 = A2 - Y
        ...     dZ1 = p["W2"].T @ dZ2 * (1 - A1**2)
        ...     return {"dW1": dZ1 @ X.T / m, "db1": dZ1.sum(axis=1, keepdims=True) / m,
        ...             "dW2": dZ2 @ A1.T / m, "db2": dZ2.sum(axis=1, keepdims=True) / m}
        >>> rng = np.random.default_rng(0)
        >>> p = {"W1": rng.normal(size=(3, 2)), "b1": np.zeros((3, 1)),
        ...      "W2": rng.normal(size=(1, 3)), "b2": np.zeros((1, 1))}
        >>> check_two_layer(forward, backward, p, rng.normal(size=(2, 5)), np.array([[0, 1, 1, 0, 1]])).passed
        True
    """
    _callable("check_two_layer", "forward_propagation(X, parameters)", forward_propagation)
    _callable("check_two_layer", "backward_propagation(parameters, cache, X, Y)", backward_propagation)
    return _check_course(
        lambda X, params: forward_propagation(X, params),
        lambda AL, cache, params, X, Y: backward_propagation(params, cache, X, Y),
        ("forward_propagation", "backward_propagation", "A2"),
        parameters,
        X,
        Y,
        ["tanh", "sigmoid"],
        "bce",
        dict(mode=mode, h=h, tolerance=tolerance, seed=seed, kinks=kinks),
    )


def check_L_layer(
    L_model_forward,
    L_model_backward,
    parameters,
    X,
    Y,
    *,
    activations=None,
    loss="bce",
    mode="full",
    h=None,
    tolerance=None,
    seed=0,
    kinks="move",
):
    r"""Check the course's L-layer backward pass: relu hidden layers and a sigmoid output by default.

    ``L_model_forward(X, parameters) -> (AL, caches)`` and
    ``L_model_backward(AL, Y, caches) -> grads`` with ``dW1, db1, ..., dWL, dbL`` (other keys,
    such as ``dA1``, are ignored) are the learner's. As in :func:`check_two_layer`, forward must
    give nn's A[L], the numeric gradient comes from nn's forward pass, and a failing report
    names the known mistake and its derivation. ``mode``, ``h``, ``tolerance``, ``seed`` and
    ``kinks`` are those of :func:`nn.gradcheck.check`.

    Args:
        L_model_forward: the learner's ``L_model_forward(X, parameters) -> (AL, caches)``.
        L_model_backward: the learner's ``L_model_backward(AL, Y, caches) -> grads``.
        parameters: ``{"W1", "b1", ..., "WL", "bL"}``; not modified.
        X: inputs, ``(n[0], m)``.
        Y: targets, ``(n[L], m)``.
        activations: one name per layer; None is relu for layers 1 to L − 1 and sigmoid for L.
        loss: ``"bce"``, ``"mse"`` or ``"cross_entropy"``.

    Returns:
        A :class:`~nn.gradcheck.report.Report`.

    Raises:
        ValueError: as :func:`check_two_layer`.
        GradientShapeError: a gradient whose shape is not its parameter's.

    Example:
        >>> def forward(X, p):
        ...     Z = p["W1"] @ X + p["b1"]
        ...     return 1 / (1 + np.exp(-Z)), [(X, Z)]
        >>> def backward(AL, Y, caches):
        ...     (X, Z), = caches
        ...     dZ = AL - Y
        ...     return {"dW1": dZ @ X.T / X.shape[1], "db1": dZ.mean(axis=1, keepdims=True), "dA0": None}
        >>> p = {"W1": np.array([[0.5, -1.0]]), "b1": np.array([[0.1]])}
        >>> check_L_layer(forward, backward, p, np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([[1, 0]])).passed
        True
    """
    _callable("check_L_layer", "L_model_forward(X, parameters)", L_model_forward)
    _callable("check_L_layer", "L_model_backward(AL, Y, caches)", L_model_backward)
    if activations is None:
        L = sum(1 for key in parameters if str(key).startswith("W")) if isinstance(parameters, dict) else 0
        activations = ["relu"] * (L - 1) + ["sigmoid"]
    return _check_course(
        lambda X, params: L_model_forward(X, params),
        lambda AL, caches, params, X, Y: L_model_backward(AL, Y, caches),
        ("L_model_forward", "L_model_backward", "AL"),
        parameters,
        X,
        Y,
        activations,
        loss,
        dict(mode=mode, h=h, tolerance=tolerance, seed=seed, kinks=kinks),
    )


def _check_course(forward, backward, names, parameters, X, Y, activations, loss, options):
    """Run the learner's forward and backward once, check forward against nn's, then ``check``
    with the learner's gradients, and diagnose a failure."""
    forward_name, backward_name, output = names
    choices(options["mode"], options["kinks"], options["seed"])
    AL, _ = network.forward_propagation(X, parameters, activations)  # names a string or a count that is not L
    activations = list(activations)
    losses.compute_cost(AL, Y, loss)  # Y's shape and labels, checked before the learner's code sees them
    copies = {key: np.array(value, copy=True) for key, value in parameters.items()}
    X_copy, Y_copy = np.array(X, copy=True), np.array(Y, copy=True)
    result = forward(X_copy, copies)
    _unchanged(forward_name, [("X", np.asarray(X), X_copy), ("parameters", parameters, copies)])
    if not (isinstance(result, tuple) and len(result) == 2):
        raise _returns_pair(forward_name, output, result)
    learner_AL, learner_cache = result
    learner_output = _output(learner_AL, Text(f"{forward_name}'s {output}", f"{forward_name} 的 {output}"))
    _same_forward(learner_output, AL, forward_name, output, activations, loss)
    returned = backward(learner_AL, learner_cache, copies, X_copy, Y_copy)
    labels = {key: f"d{key}" for key in parameters}
    if not isinstance(returned, dict) or any(label not in returned for label in labels.values()):
        got = _returned(returned) if isinstance(returned, dict) else _kind(returned)
        raise InputError(Text(
            f"{backward_name} must return a dict with {', '.join(labels.values())}; it returned {got}",
            f"{backward_name} 必须返回含有 {'、'.join(labels.values())} 的字典；而它返回的{got.zh}",
        ))  # fmt: skip
    learner = {key: checks.as_array(Text(f"{backward_name}'s {label}", f"{backward_name} 的 {label}"), returned[label])
               for key, label in labels.items()}  # fmt: skip
    for key, gradient in learner.items():
        if gradient.shape != np.shape(parameters[key]):
            found = mistakes.diagnose(learner, parameters, X, Y, activations, loss)
            raise GradientShapeError(key, labels[key], np.shape(parameters[key]), gradient.shape, found)
    grads = {labels[key]: _gradient(returned[labels[key]], key, labels[key], None, backward_name) for key in labels}
    report = check(parameters, X, Y, activations, loss, backward=lambda *arguments: grads, **options)
    if report.failed:  # a block that cannot be told right or wrong is not diagnosed
        found = mistakes.diagnose(learner, parameters, X, Y, activations, loss)
        if found:
            report.derivation, report.diagnosis = found.derivation, found.words
    return report


def _same_forward(learner_AL, AL, name, output, activations, loss) -> None:
    """Raise unless the learner's output equals nn's for the same parameters, to rounding."""
    chain = " → ".join(activations)
    _same_output(
        learner_AL,
        AL,
        Text(f"{name}'s {output}", f"{name} 的 {output}"),
        Text(f"the network {chain} with {loss} gives", f"网络 {chain} 配 {loss} 给出"),
        shape_rule=Text(": A[L] is (n[L], m), one column per sample", "：A[L] 是 (n[L], m)，每列一个样本"),
        reason=Text(
            "this check compares backward with that network's cost, so forward must compute it "
            "(check a different network with check_function)",
            "这个检验拿反向传播与那个网络的代价函数比较，所以前向传播必须算出它（其他网络请用 check_function 检验）",
        ),
    )


def _same_output(value, expected, subject: Text, gives: Text, *, shape_rule: Text, reason: Text) -> None:
    """Raise a ValueError unless ``value`` (``subject``, say "forward's AL") equals ``expected`` (what
    ``gives`` gives, say "nn.conv gives"), to rounding: naming the shapes (and ``shape_rule``) or the
    first entry that differs, then ``reason``, why the check needs them equal."""
    if value.shape != expected.shape:
        raise InputError(Text(
            f"{subject} has shape {value.shape} but {gives} {expected.shape}{shape_rule}",
            f"{subject.zh} 的维度是 {value.shape}，而{gives.zh} {expected.shape}{shape_rule.zh}",
        ))  # fmt: skip
    close = np.isclose(value, expected, rtol=1e-6, atol=1e-9)
    if not close.all():
        index = tuple(int(i) for i in np.argwhere(~close)[0])
        raise InputError(Text(
            f"{subject}{list(index)} = {value[index]:.6g} but {gives} {expected[index]:.6g}: {reason}",
            f"{subject.zh}{list(index)} = {value[index]:.6g}，而{gives.zh} {expected[index]:.6g}：{reason.zh}",
        ))  # fmt: skip


def _float_arrays(parameters) -> dict[str, np.ndarray]:
    """Copies of the parameters as float arrays; raise unless they are a non-empty dict of finite floats."""
    if not isinstance(parameters, dict) or not parameters:
        raise InputError(Text(
            f"parameters must be a non-empty dict {{name: float array}}; got {_kind(parameters)}",
            f"parameters 必须是非空字典 {{name: float array}}；而它{_kind(parameters).zh}",
        ))  # fmt: skip
    params = {}
    for key, value in parameters.items():
        array = np.array(checks.as_array(f"parameters[{key!r}]", value), copy=True)
        if not np.issubdtype(array.dtype, np.floating):
            raise InputError(Text(
                f"parameters[{key!r}] has dtype {array.dtype}: a gradient check moves each entry by a small h, "
                f"so parameters are float arrays (np.asarray(value, dtype=float))",
                f"parameters[{key!r}] 的 dtype 是 {array.dtype}：梯度检验把每个元素移动一个小步长 h，"
                f"所以参数必须是浮点数组（np.asarray(value, dtype=float)）",
            ))  # fmt: skip
        if not np.all(np.isfinite(array)):
            raise InputError(Text(
                f"parameters[{key!r}] has entries that are not finite (nan or inf)",
                f"parameters[{key!r}] 有不是有限值的元素（nan 或 inf）",
            ))  # fmt: skip
        params[key] = array
    return params


def _names(returned, params, what) -> dict[str, str]:
    """{parameter: key of its gradient in ``returned``}: every parameter's own name, or else every "d" + name."""
    if not isinstance(returned, dict):
        raise InputError(Text(
            f"{what} must return a dict of gradients; it returned {_kind(returned)}",
            f"{what} 必须返回梯度的字典；而它返回的{_kind(returned).zh}",
        ))  # fmt: skip
    for convention in (lambda key: key, lambda key: f"d{key}"):
        if all(convention(key) in returned for key in params):
            return {key: convention(key) for key in params}
    missing = [key for key in params if key not in returned and f"d{key}" not in returned]
    if not missing:  # every parameter has a gradient, some under its own name and the others under "d" + name
        own = [repr(key) for key in params if f"d{key}" not in returned]
        prefixed = [repr(f"d{key}") for key in params if key not in returned]
        raise InputError(Text(
            f"{what} gave some gradients under their parameters' own names ({', '.join(own)}) and others under "
            f"'d' + name ({', '.join(prefixed)}): name all of them one way",
            f"{what} 有的梯度用参数本身的名字（{'、'.join(own)}），有的用 'd' + 名字（{'、'.join(prefixed)}）："
            "请全部用同一种写法",
        ))  # fmt: skip
    keys = ", ".join(map(repr, returned))
    raise InputError(Text(
        f"{what} returned no gradient for parameter {missing[0]!r}: expected the key {missing[0]!r} or "
        f"'d{missing[0]}' (it returned {keys or 'no keys'})",
        f"{what} 没有返回参数 {missing[0]!r} 的梯度：应当有键 {missing[0]!r} 或 'd{missing[0]}'"
        f"（{'它返回的键是 ' + '、'.join(map(repr, returned)) if returned else '它没有返回任何键'}）",
    ))  # fmt: skip


def _gradient(value, key, label, shape, what) -> np.ndarray:
    """``value`` as a finite float array of ``shape`` (None: any), or a clear error naming ``label``."""
    array = checks.as_array(Text(f"{what}: {label}", f"{what}：{label}"), value)
    if shape is not None and array.shape != shape:
        raise GradientShapeError(key, label, shape, array.shape)
    if not np.issubdtype(array.dtype, np.number) or np.iscomplexobj(array):
        raise InputError(Text(
            f"{what}: {label} must be a real array; got {_kind(value)}",
            f"{what}：{label} 必须是实数数组；而它{_kind(value).zh}",
        ))  # fmt: skip
    if not np.all(np.isfinite(array)):
        raise InputError(Text(
            f"{what}: {label} has entries that are not finite (nan or inf)",
            f"{what}：{label} 有不是有限值的元素（nan 或 inf）",
        ))  # fmt: skip
    return array.astype(np.float64) if array.dtype.kind in "iub" else array


def _kind(value) -> Text:
    """What ``value`` is, for a message (in Chinese with its verb: "是维度为 … 的数组", "是一个 list")."""
    if isinstance(value, np.ndarray):
        return Text(f"an array of shape {value.shape}", f"是维度为 {value.shape} 的数组")
    return Text(with_article(type(value).__name__), f"是一个 {type(value).__name__}")


def _output(value, what: Text) -> np.ndarray:
    """A learner's forward output ``value`` as an array of numbers (an object array of numbers becomes float64), to
    compare with nn's; a clear error naming ``what`` (say "conv_forward's Z") otherwise."""
    array = checks.as_array(what, value)
    if array.dtype.kind not in "biufc":
        try:
            return array.astype(np.float64)
        except (TypeError, ValueError):
            raise InputError(Text(
                f"{what} must hold numbers; it is {_kind(value)} of dtype {array.dtype}",
                f"{what.zh} 的元素必须是数值；而它{_kind(value).zh}，dtype 是 {array.dtype}",
            )) from None  # fmt: skip
    return array


def _unchanged(function: str, inputs) -> None:
    """Raise if a learner's ``function`` changed one of its inputs in place: ``inputs`` holds (name, the value
    before the call, the copy it was passed); a dict is compared entry by entry."""
    for name, before, passed in inputs:
        if isinstance(before, dict) and isinstance(passed, dict) and before.keys() == passed.keys():
            _unchanged(function, [(f"{name}[{key!r}]", value, passed[key]) for key, value in before.items()])
            continue
        if isinstance(before, dict) or np.shape(before) != np.shape(passed):
            same = False
        else:
            same = np.array_equal(before, passed, equal_nan=np.asarray(before).dtype.kind in "fc")
        if not same:
            raise InputError(Text(
                f"{function} changed {name} in place: a function the check calls must not modify its inputs, which "
                f"are read again after the call (by the check, and by your backward pass); compute on a copy",
                f"{function} 就地修改了 {name}：检验调用的函数不能修改它的输入，因为调用之后还要再读取它们"
                f"（检验会读，你的反向传播也会读）；请在副本上计算",
            ))  # fmt: skip


def _returns_pair(name, output, result) -> InputError:
    """The error for a forward function that did not return the pair (output, cache)."""
    return InputError(Text(
        f"{name} must return ({output}, cache); it returned {_kind(result)}",
        f"{name} 必须返回 ({output}, cache)；而它返回的{_kind(result).zh}",
    ))  # fmt: skip


#: The names a learner's file defines for ``python -m nn check FILE.py``, per kind of code.
FILE_NAMES = {
    "function": ("cost", "gradients", "parameters"),
    "two-layer": ("forward_propagation", "backward_propagation", "parameters", "X", "Y"),
    "L-layer": ("L_model_forward", "L_model_backward", "parameters", "X", "Y"),
    "convolution": ("conv_forward", "conv_backward"),
    "pooling": ("pool_forward", "pool_backward"),
    "rnn": ("rnn_forward", "rnn_backward"),
    "lstm": ("lstm_forward", "lstm_backward"),
}


def _course_network(names, kind):
    """check_two_layer's or check_L_layer's arguments from a file: forward, backward, parameters, X, Y."""
    forward, backward = FILE_NAMES[kind][:2]
    return names[forward], names[backward], _parameters(names), names["X"], names["Y"]


class LearnerFileError(Exception):
    """A learner's file that cannot be checked: it does not exist, or lacks the names a check needs."""


def _parameters(namespace):
    """The file's ``parameters``: a dict, or a function returning one."""
    parameters = namespace["parameters"]
    return parameters() if callable(parameters) else parameters


#: The inputs an RNN or LSTM file may define: all of them, or none (then it is checked on default inputs).
SEQUENCE_INPUTS = ("x", "a0", "parameters")


def _check_sequence_file(kind):
    """The check of an RNN or LSTM file: its forward and backward functions, on the file's x, a0 and
    parameters when it defines all three, on :func:`nn.gradcheck.sequence.default_inputs` when it defines none."""

    def check_file_kind(namespace, mode):
        from . import sequence

        forward, backward = (namespace[name] for name in FILE_NAMES[kind])
        defined = [name for name in SEQUENCE_INPUTS if name in namespace]
        if len(defined) == len(SEQUENCE_INPUTS):
            inputs = namespace["x"], namespace["a0"], _parameters(namespace)
        elif not defined:
            inputs = sequence.default_inputs(kind)
        else:
            missing = [name for name in SEQUENCE_INPUTS if name not in namespace]
            raise LearnerFileError(Text(
                f"the file defines {', '.join(defined)} but not {', '.join(missing)}: define all of x, a0 and "
                "parameters to check on your inputs, or none of them to check on default ones",
                f"文件定义了 {'、'.join(defined)}，却没有定义 {'、'.join(missing)}：要在自己的输入上检验，"
                "就把 x、a0 和 parameters 都定义出来；要在默认输入上检验，就一个也不定义",
            ))  # fmt: skip
        return sequence.CHECKS[kind](forward, backward, *inputs, mode=mode)

    return check_file_kind


#: The Chinese of each pooling mode's label, and of each kind's, in a file's reports.
POOLING_ZH = {"max": "最大池化", "average": "平均池化"}
KINDS_ZH = {"function": "任意函数", "two-layer": "两层网络", "L-layer": "L 层网络", "convolution": "卷积层",
            "pooling": "池化层", "rnn": "循环神经网络", "lstm": "LSTM"}  # fmt: skip

#: How each kind of :data:`FILE_NAMES` is checked: ``FILE_CHECKS[kind](namespace, mode)`` is the report
#: on the names the file defined, ``mode`` that of :func:`check_function`.
FILE_CHECKS = {
    "function": lambda names, mode: check_function(names["cost"], names["gradients"], _parameters(names), mode=mode),
    "two-layer": lambda names, mode: check_two_layer(*_course_network(names, "two-layer"), mode=mode),
    "L-layer": lambda names, mode: check_L_layer(*_course_network(names, "L-layer"), mode=mode),
    "convolution": lambda names, mode: check_conv(names["conv_forward"], names["conv_backward"], mode=mode),
    "pooling": lambda names, mode: Reports({
        Text(f"{pool} pooling", POOLING_ZH[pool]):
            check_pool(names["pool_forward"], names["pool_backward"], mode=pool, check=mode)
        for pool in ("max", "average")
    }),
    "rnn": _check_sequence_file("rnn"),
    "lstm": _check_sequence_file("lstm"),
}  # fmt: skip


def check_file(path, mode="full", kind=None):
    """Run a learner's Python file and check the code it defines (see :data:`FILE_NAMES`).

    The file runs with ``__name__`` set to ``"__nn_check__"``, so its ``if __name__ == "__main__":``
    block (a training loop, say) does not. ``parameters`` may be a dict or a function returning one.
    Every kind whose names are all defined is checked, by :data:`FILE_CHECKS`, or only ``kind`` (a key
    of :data:`FILE_NAMES`) when it is given: :func:`check_function`, :func:`check_two_layer`,
    :func:`check_L_layer`, :func:`check_conv` (default inputs), :func:`check_pool` in both modes, max
    and average (default inputs), or :func:`~nn.gradcheck.check_rnn` and
    :func:`~nn.gradcheck.check_lstm` on the file's ``x``, ``a0`` and ``parameters`` if it defines all
    three (:data:`SEQUENCE_INPUTS`), on :func:`nn.gradcheck.sequence.default_inputs` if it defines none.
    One report is returned as it is; several (both pooling modes, or a file with the course's
    convolution and pooling layers) as a :class:`~nn.gradcheck.report.Reports`.

    Raises:
        LearnerFileError: the file does not exist, or defines none of the sets of names (or not those of
            ``kind``), or only some of an RNN or LSTM file's inputs.
    """
    path = Path(path)
    if kind is not None and kind not in FILE_NAMES:
        raise InputError(Text(
            f"unknown kind {kind!r}; valid kinds: {', '.join(FILE_NAMES)}",
            f"未知的种类 {kind!r}；可用的种类：{'、'.join(FILE_NAMES)}",
        ))  # fmt: skip
    if not path.is_file():
        raise LearnerFileError(Text(f"{path}: no such file", f"{path}：没有这个文件"))
    namespace = runpy.run_path(str(path), run_name="__nn_check__")
    candidates = list(FILE_NAMES) if kind is None else [kind]
    kinds = [each for each in candidates if all(name in namespace for name in FILE_NAMES[each])]
    if not kinds:
        names = max((FILE_NAMES[each] for each in candidates), key=lambda names: sum(n in namespace for n in names))
        missing = [name for name in names if name not in namespace]
        if kind is not None:
            raise LearnerFileError(Text(
                f"{path} does not define {', '.join(missing)}, which a file of kind {kind!r} defines",
                f"{path} 没有定义 {'、'.join(missing)}，而 {kind!r} 类的文件要定义它们",
            ))  # fmt: skip
        raise LearnerFileError(Text(
            f"{path} does not define {', '.join(missing)}; it needs "
            + "; or ".join(", ".join(names) for names in FILE_NAMES.values()),
            f"{path} 没有定义 {'、'.join(missing)}；文件需要定义 "
            + "；或 ".join("、".join(names) for names in FILE_NAMES.values()),
        ))  # fmt: skip
    parts = {}
    for each in kinds:
        report = FILE_CHECKS[each](namespace, mode)
        parts |= report.reports if isinstance(report, Reports) else {Text(each, f"{KINDS_ZH[each]}（{each}）"): report}
    return next(iter(parts.values())) if len(parts) == 1 else Reports(parts)


def check_conv(conv_forward, conv_backward, A_prev=None, W=None, b=None, hparameters=None, *, mode="full",
               h=None, tolerance=None, seed=0):  # fmt: skip
    r"""Check the course's convolution layer: ``conv_forward(A_prev, W, b, hparameters) -> (Z, cache)`` and
    ``conv_backward(dZ, cache) -> (dA_prev, dW, db)``, as a learner wrote them.

    The cost is \(J = \sum G \odot Z\) with a fixed random G, so the exact gradients are
    ``conv_backward(G, cache)``; the numeric ones come from nn's ``conv_forward``, after checking
    that the learner's gives the same Z. By default the layer has overlapping windows, a stride
    and padding (A_prev ``(2, 5, 5, 2)``, f = 3, s = 2, p = 1), so that every known mistake shows.
    A failing report names the known mistake whose gradients the learner's equal, or the two that give
    them together, and its derivation (``conv.backward``). ``mode``, ``h``, ``tolerance`` and ``seed`` are those of
    :func:`check_function`.

    Raises:
        ValueError: bad inputs (as nn.conv raises them), some of A_prev, W, b and hparameters without
            the others, functions that return something else than the course's, or a forward pass
            whose Z is not nn's.
        GradientShapeError: a gradient whose shape is not its input's (dA_prev still padded, say).

    Example:
        >>> from nn import conv
        >>> check_conv(conv.conv_forward, conv.conv_backward).passed
        True
    """
    from .. import conv as layer

    _callable("check_conv", "conv_forward(A_prev, W, b, hparameters)", conv_forward)
    _callable("check_conv", "conv_backward(dZ, cache)", conv_backward)
    choices(mode, seed=seed)
    rng = np.random.default_rng(seed)
    if not _own_inputs("check_conv", A_prev=A_prev, W=W, b=b, hparameters=hparameters):
        A_prev, W, b = rng.normal(size=(2, 5, 5, 2)), rng.normal(size=(3, 3, 2, 2)), rng.normal(size=(1, 1, 1, 2))
        hparameters = {"stride": 2, "pad": 1}
    inputs = {"A_prev": checks.as_array("A_prev", A_prev), "W": checks.as_array("W", W), "b": checks.as_array("b", b)}
    Z, nn_cache = layer.conv_forward(*inputs.values(), hparameters)
    G = rng.normal(size=Z.shape).astype(Z.dtype)
    returned = _layer_gradients(conv_forward, conv_backward, {**inputs, "hparameters": dict(hparameters)}, G, Z,
                                ("conv_forward", "conv_backward", "Z", "(dA_prev, dW, db)"))  # fmt: skip
    learner = dict(zip(inputs, returned, strict=True))
    correct = dict(zip(inputs, layer.conv_backward(G, nn_cache), strict=True))

    def cost(p):
        return float(np.sum(G * layer.conv_forward(p["A_prev"], p["W"], p["b"], hparameters)[0]))

    def produce(backward):
        return dict(zip(inputs, backward(G, nn_cache), strict=True))

    options = dict(mode=mode, h=h, tolerance=tolerance, seed=seed)
    return _checked_layer(cost, learner, correct, inputs, (layer.conv_backward_loops, produce), "conv.", options)


def check_pool(pool_forward, pool_backward, A_prev=None, hparameters=None, *, mode="max", check="full", h=None,
               tolerance=None, seed=0):  # fmt: skip
    r"""Check the course's pooling layer: ``pool_forward(A_prev, hparameters, mode) -> (A, cache)`` and
    ``pool_backward(dA, cache, mode) -> dA_prev``, as a learner wrote them.

    As :func:`check_conv`, with \(J = \sum G \odot A\). By default the windows overlap (A_prev
    ``(2, 5, 5, 2)`` with distinct entries, f = 3, s = 2). In ``"max"`` mode a second row,
    ``ties``, checks windows whose max is tied (the input after a ReLU: many zeros), windows not
    overlapping (s = f): the max has no derivative there, but raising a whole window by t raises
    its max by exactly t, so the sum of dA_prev over each window must equal that window's share of
    G; the row compares those sums with central differences in t. A mask that takes every tie fails
    it. ``check`` is the numeric estimate (``"full"`` or ``"directional"``); ``h``, ``tolerance``
    and ``seed`` are those of :func:`check_function`.

    Example:
        >>> from nn import conv
        >>> check_pool(conv.pool_forward, conv.pool_backward, mode="average").passed
        True
    """
    from .. import conv as layer

    _callable("check_pool", "pool_forward(A_prev, hparameters, mode)", pool_forward)
    _callable("check_pool", "pool_backward(dA, cache, mode)", pool_backward)
    layer._pool_mode(mode)
    choices(check, seed=seed)
    rng = np.random.default_rng(seed)
    if not _own_inputs("check_pool", A_prev=A_prev, hparameters=hparameters):
        A_prev, hparameters = rng.permutation(2 * 5 * 5 * 2).reshape(2, 5, 5, 2) / 10.0, {"f": 3, "stride": 2}
    A_prev = checks.as_array("A_prev", A_prev)
    names = ("pool_forward", "pool_backward", "A", "dA_prev")
    A, nn_cache = layer.pool_forward(A_prev, hparameters, mode)
    G = rng.normal(size=A.shape).astype(A.dtype)
    arguments = {"A_prev": A_prev, "hparameters": dict(hparameters)}
    learner = {"A_prev": _layer_gradients(pool_forward, pool_backward, arguments, G, A, names, mode)}
    correct = {"A_prev": layer.pool_backward(G, nn_cache, mode)}
    inputs = {"A_prev": A_prev}
    if mode == "max":
        if np.shape(learner["A_prev"]) != A_prev.shape:  # before the ties row sums it over windows
            raise GradientShapeError("A_prev", "dA_prev", A_prev.shape, np.shape(learner["A_prev"]))
        f = hparameters["f"]
        tied = np.maximum(np.round(rng.normal(size=(2, 2 * f, 2 * f, A_prev.shape[3]))), 0).astype(A_prev.dtype)
        tied_hparameters = {"f": f, "stride": f}
        A_tied, tied_cache = layer.pool_forward(tied, tied_hparameters, mode)
        G_tied = rng.normal(size=A_tied.shape).astype(A_tied.dtype)
        args = {"A_prev": tied, "hparameters": dict(tied_hparameters)}
        learner["ties"] = _window_sums(
            _layer_gradients(pool_forward, pool_backward, args, G_tied, A_tied, names, mode), f
        )
        correct["ties"] = _window_sums(layer.pool_backward(G_tied, tied_cache, mode), f)
        inputs["ties"] = np.zeros(A_tied.shape, dtype=A_prev.dtype)

    def cost(p):
        J = np.sum(G * layer.pool_forward(p["A_prev"], hparameters, mode)[0])
        if "ties" in p:  # each window raised by its own t: the tied max moves by exactly t
            raised = tied + np.repeat(np.repeat(p["ties"], f, axis=1), f, axis=2)
            J += np.sum(G_tied * layer.pool_forward(raised, tied_hparameters, mode)[0])
        return float(J)

    def produce(backward):
        grads = {"A_prev": backward(G, nn_cache, mode)}
        if mode == "max":
            grads["ties"] = _window_sums(backward(G_tied, tied_cache, mode), f)
        return grads

    options = dict(mode=check, h=h, tolerance=tolerance, seed=seed)
    family = f"pool.{'max' if mode == 'max' else 'average'}"
    return _checked_layer(cost, learner, correct, inputs, (layer.pool_backward_loops, produce), family, options)


def _own_inputs(check, **given):
    """True when every one of a layer check's inputs is given, False when none is (the defaults are used);
    a ValueError naming the missing ones when only some are, rather than silently replacing those given."""
    missing = [name for name, value in given.items() if value is None]
    if missing and len(missing) < len(given):
        got, every = [name for name in given if name not in missing], [*given]
        raise InputError(Text(
            f"{check} got {', '.join(got)} but not {', '.join(missing)}: pass {', '.join(every[:-1])} and "
            f"{every[-1]} together, or none of them for the default layer",
            f"{check} 收到了 {'、'.join(got)}，却没有收到 {'、'.join(missing)}：请把 {'、'.join(every[:-1])} 和 "
            f"{every[-1]} 一起传入，或者一个也不传而用默认的层",
        ))  # fmt: skip
    return not missing


def _window_sums(dA_prev, f):
    """The sum of a gradient over each f × f window of a layer whose windows do not overlap (s = f)."""
    m, n_H, n_W, n_C = dA_prev.shape
    return dA_prev.reshape(m, n_H // f, f, n_W // f, f, n_C).sum(axis=(2, 4))


def _layer_gradients(forward, backward, arguments, upstream, expected, names, *extra):
    """Run a learner's forward and backward once; check forward's output against nn's; return backward's result."""
    forward_name, backward_name, output, gradients = names
    copies = {name: np.array(a, copy=True) if isinstance(a, np.ndarray) else dict(a) for name, a in arguments.items()}
    result = forward(*copies.values(), *extra)
    _unchanged(forward_name, [(name, arguments[name], copies[name]) for name in arguments])
    if not (isinstance(result, tuple) and len(result) == 2):
        raise _returns_pair(forward_name, output, result)
    value = _output(result[0], Text(f"{forward_name}'s {output}", f"{forward_name} 的 {output}"))
    if value.shape != expected.shape:
        raise InputError(Text(
            f"{forward_name}'s {output} has shape {value.shape} but nn.conv gives {expected.shape} for the same inputs",
            f"{forward_name} 的 {output} 的维度是 {value.shape}，而 nn.conv 对同样的输入给出 {expected.shape}",
        ))  # fmt: skip
    if not np.allclose(value, expected, rtol=1e-6, atol=1e-9):
        raise InputError(Text(
            f"{forward_name}'s {output} differs from nn.conv's for the same inputs: this check compares backward "
            f"with nn's forward pass, so forward must compute the same layer",
            f"对同样的输入，{forward_name} 的 {output} 与 nn.conv 的不同：这个检验拿反向传播与 nn 的前向传播比较，"
            f"所以前向传播必须算出同样的层",
        ))  # fmt: skip
    returned = backward(upstream.copy(), result[1], *extra)
    count = gradients.count(",") + 1
    if count > 1 and not (isinstance(returned, tuple) and len(returned) == count):
        raise InputError(Text(
            f"{backward_name} must return {gradients}; it returned {_kind(returned)}",
            f"{backward_name} 必须返回 {gradients}；而它返回的{_kind(returned).zh}",
        ))  # fmt: skip
    if count == 1:  # the one gradient, which max pooling's ties row sums over windows before any other check
        return checks.as_array(Text(f"{backward_name}'s {gradients}", f"{backward_name} 的 {gradients}"), returned)
    labels = gradients.strip("()").split(", ")
    return tuple(checks.as_array(Text(f"{backward_name}'s {label}", f"{backward_name} 的 {label}"), value)
                 for label, value in zip(labels, returned, strict=True))  # fmt: skip


def _checked_layer(cost, learner, correct, inputs, produced, family, options):
    """check_function on the layer's inputs with the learner's gradients; a shape error or a failure is diagnosed
    (``produced`` is ``(backward, produce)`` of :func:`~nn.gradcheck.mistakes.diagnose_layer`)."""
    try:
        report = check_function(cost, lambda p: {f"d{key}": learner[key] for key in inputs}, inputs, **options)
    except GradientShapeError as error:
        found = mistakes.diagnose_layer(learner, correct, *produced, family)
        raise GradientShapeError(error.parameter, f"d{error.parameter}", error.expected, error.got, found) from None
    if not report.passed:
        found = mistakes.diagnose_layer(learner, correct, *produced, family)
        if found:
            report.derivation, report.diagnosis = found.derivation, found.words
    return report
