r"""The checker: run an estimate over every parameter block of a problem and fill in the report.

:func:`check` checks a backward pass of nn's network (``nn.backward_propagation``'s signature);
:func:`start` and :func:`run` are the steps every check shares, whatever the problem.
"""

from __future__ import annotations

import numbers
import sys
import warnings
from pathlib import Path

import numpy as np

from .. import activations as registry
from .. import checks, losses, network
from . import recompute
from .estimates import (
    DIRECTIONS,
    KINK_POLICIES,
    MODES,
    as_precise_as_float64,
    central_noise,
    complex_noise,
    defaults,
)
from .narrowing import directional
from .problems import NetworkProblem
from .report import Report, WeakCheckWarning, compare_block, tally
from .words import InputError, Text, described, with_article


def check(
    parameters,
    X,
    Y,
    activations,
    loss="bce",
    mode="full",
    h=None,
    tolerance=None,
    seed=0,
    kinks="move",
    backward=None,
    directions=DIRECTIONS,
    *,
    lambd=0.0,
    keep_prob=1.0,
) -> Report:
    r"""Check backward's gradients against numeric differences of the cost.

    Args:
        parameters: ``{"W1", "b1", ...}``; not modified.
        X: inputs, ``(n[0], m)``.
        Y: targets, ``(n[L], m)``.
        activations: one activation name per layer.
        loss: ``"bce"``, ``"mse"`` or ``"cross_entropy"``.
        mode: ``"full"``, ``"directional"`` or ``"complex"``.
        h: the step; None takes :data:`~nn.gradcheck.estimates.DEFAULTS` for the parameters' dtype and the mode.
        tolerance: a block whose relative error is at most this passes; above it, the block's noise
            bound decides (:class:`Report`); None takes :data:`~nn.gradcheck.estimates.DEFAULTS`.
        seed: seed for the random directions of ``directional``.
        kinks: what to do with a probe whose \(\pm h\) perturbation moves some \(Z^{[l]}\) across
            a kink of \(g^{[l]}\): ``"move"`` repeats it with a step that stays on one side
            (skipping it if a \(Z^{[l]}\) sits on the kink), ``"skip"`` leaves it out, ``"fail"``
            fails the check.
        backward: the function under test, called like ``nn.backward_propagation`` (on copies of AL, Y,
            the cache and the parameters); None uses it.
        directions: the number k of random directions in ``directional`` mode.
        lambd: the L2 strength λ; the cost then includes (λ/2m) Σ ‖W[l]‖² and ``backward`` is
            called with ``lambd=λ``.
        keep_prob: inverted dropout, as in ``nn.forward_propagation``; the masks are drawn once
            with ``seed`` and held fixed, so J is a smooth function of the parameters.

    Batch-norm networks, dropout and L2 are checked by recomputing the whole forward pass for
    every probe (:mod:`nn.gradcheck.recompute`); the running averages are never perturbed.

    Returns:
        A :class:`Report`.

    Raises:
        ValueError: for bad inputs (as ``nn.forward_propagation`` and ``nn.compute_cost``), an
            unknown mode or policy, ``directions`` not a whole number ≥ 1, a step h ≤ 0, a backward
            that cannot be called or does not return every dW[l], db[l] as a finite real array shaped
            as W[l], b[l], ``mode="complex"``
            with an activation that has a kink or whose forward does not accept complex input, or a point where
            every gradient is 0, the numeric ones and backward's alike (nothing would be compared).

    Example:
        >>> parameters = {"W1": np.array([[0.5, -0.3]]), "b1": np.array([[0.1]])}
        >>> X, Y = np.array([[1.0, 2.0], [0.5, -1.0]]), np.array([[1.0, 0.0]])
        >>> check(parameters, X, Y, ["sigmoid"]).passed
        True
    """
    choices(mode, kinks, seed)
    directions = _directions(directions)
    backward = network.backward_propagation if backward is None else backward
    _callable("check", "backward(AL, Y, cache, parameters, activations, loss)", backward)
    AL, cache = network.forward_propagation(X, parameters, activations, keep_prob=keep_prob, seed=seed)
    losses.compute_cost(AL, Y, loss, parameters=parameters, lambd=lambd)  # checks the inputs
    extended = recompute.needed(parameters, lambd, keep_prob)
    g = {l: registry.get(name) for l, name in enumerate(activations, start=1)}
    dtype = parameters["W1"].dtype
    target = np.asarray(Y, dtype=dtype)
    if extended:
        problem = recompute.RecomputedProblem(parameters, cache, target, g, loss, lambd)
    else:
        problem = NetworkProblem(dict(parameters), cache, target, g, loss)
    report = start(problem, dtype, mode, h, tolerance, kinks)
    options = {"lambd": lambd} if extended else {}
    copies = [{key: np.copy(value) if isinstance(value, np.ndarray) else value for key, value in each.items()}
              for each in (cache, parameters)]  # fmt: skip
    # backward works on copies: one that writes into the cache or the parameters would move the numeric gradient
    grads = backward(AL.copy(), np.array(Y, copy=True), *copies, activations, loss, **options)
    return run(problem, _backward_gradients(grads, problem.params), report, seed, directions)


def _callable(check: str, call: str, value) -> None:
    """Raise unless ``value``, a learner's function that ``check`` calls as ``call`` (say "cost(parameters)"), can
    be called."""
    if not callable(value):
        name = call.split("(")[0]
        raise InputError(Text(
            f"{check} calls {call}, so {name} must be a function; got {described(value)}",
            f"{check} 要调用 {call}，所以 {name} 必须是函数；而它{described(value).zh}",
        ))  # fmt: skip


def _backward_gradients(grads, params) -> dict[str, np.ndarray]:
    """{key: grads["d" + key]} for every parameter; a ValueError unless backward returned each, a finite real array
    shaped as its parameter."""
    from .adapters import _gradient

    labels = {key: f"d{key}" for key in params}
    if not isinstance(grads, dict) or any(label not in grads for label in labels.values()):
        returned = _returned(grads)
        raise InputError(Text(
            f"backward must return a dict with {', '.join(labels.values())}, as nn.backward_propagation does; "
            f"it returned {returned}",
            f"backward 必须像 nn.backward_propagation 那样返回含有 {'、'.join(labels.values())} 的字典；"
            f"而它返回的{returned.zh}",
        ))  # fmt: skip
    return {key: _gradient(grads[label], key, label, params[key].shape, "backward") for key, label in labels.items()}


def _returned(value) -> Text:
    """What a function returned in place of a dict of gradients: its keys, or its kind (in Chinese with its
    verb: "返回的" + "键是 …")."""
    if isinstance(value, dict):
        keys = ", ".join(map(str, value))
        return Text(f"the keys {keys}", f"键是 {'、'.join(map(str, value))}")
    return Text(with_article(type(value).__name__), f"是一个 {type(value).__name__}")


def _directions(k) -> int:
    """k, the number of random directions of ``directional`` mode; a ValueError unless it is a whole number ≥ 1."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise InputError(Text(
            f"directions = {k!r}: directional mode needs a whole number k >= 1 of random directions",
            f"directions = {k!r}：directional 模式需要 k >= 1 个随机方向，k 为整数",
        ))  # fmt: skip
    return int(k)


def choices(mode, kinks="move", seed=0) -> None:
    """Raise unless ``mode`` and ``kinks`` are known and ``seed`` is one (an integer >= 0, or None)."""
    if mode not in MODES or kinks not in KINK_POLICIES:
        bad, value, valid = ("mode", mode, MODES) if mode not in MODES else ("kinks", kinks, KINK_POLICIES)
        raise InputError(Text(
            f"unknown {bad} {value!r}; valid: {', '.join(map(repr, valid))}",
            f"未知的 {bad} {value!r}；可用的值：{'、'.join(map(repr, valid))}",
        ))  # fmt: skip
    checks.random_seed(seed, Text("the seed of a check's random draws", "检验中随机抽取所用的种子"))


def start(problem, dtype, mode, h, tolerance, kinks) -> Report:
    """An empty report with the step and tolerance for ``dtype`` and ``mode``; warns about float32,
    refuses a complex step the problem cannot take, and notes pre-activations near a kink."""
    default_h, default_tolerance = defaults(dtype)[mode]
    rule = Text("the step h of the estimate must be a positive number", "估计所用的步长 h 必须是正数")
    h = default_h if h is None else _number(h, "h", rule, positive=True)
    rule = Text("the tolerance is a relative error, a number ≥ 0", "容差是一个相对误差，是 ≥ 0 的数")
    tolerance = default_tolerance if tolerance is None else _number(tolerance, "tolerance", rule, positive=False)
    notes = []
    if not as_precise_as_float64(dtype):  # np.longdouble is checked as float64 is, J being a Python float
        notes.append(
            Text(
                f"{dtype} check: rounding hides errors below about {tolerance:g}; check in float64",
                f"{dtype} 下的检验：舍入误差会掩盖约 {tolerance:g} 以下的误差；请在 float64 下检验",
            )
        )
        warnings.warn(notes[-1], WeakCheckWarning, stacklevel=_caller_level())
    if mode == "complex":
        problem.refuse_complex()
    notes += problem.near_kinks(10 * h)
    return Report(False, {}, ("", (), 0.0, 0.0), {}, {}, {}, mode, kinks, dtype, tolerance, h, notes)


def _number(value, name, rule: Text, *, positive) -> float:
    """``value`` as a float; a ValueError naming ``rule`` unless it is finite and positive (or at least 0)."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    real = isinstance(value, numbers.Real) and not isinstance(value, bool)  # not True for 1, nor the text "1e-6"
    number = float(value) if real else np.nan
    if not (np.isfinite(number) and (number > 0 if positive else number >= 0)):
        raise InputError(Text(
            f"{name} = {value!r}: {rule} (None takes the default for the dtype and mode)",
            f"{name} = {value!r}：{rule.zh}（None 表示取该 dtype 和模式的默认值）",
        ))  # fmt: skip
    return number


def _caller_level() -> int:
    """The ``stacklevel`` that makes a warning from :func:`start` name the first frame outside ``nn``:
    the learner's line that called the check, whichever adapter it went through."""
    package, frame, level = Path(__file__).resolve().parents[1], sys._getframe(2), 2
    while frame is not None and Path(frame.f_code.co_filename).resolve().is_relative_to(package):
        frame, level = frame.f_back, level + 1
    return level


def run(problem, grads, report, seed=0, k=DIRECTIONS, labels=None) -> Report:
    """Compare ``grads`` = {parameter name: analytic gradient} with the report's estimate and decide.

    ``labels`` names each gradient in the hints (default ``"d" + name``).
    """
    labels = labels or {key: f"d{key}" for key in problem.params}
    with checks.overflow(*TOO_LARGE):  # a learner's own cost runs with the caller's settings (FunctionProblem)
        return _run(problem, grads, report, seed, k, labels)


#: What overflows when J is so large that the check's own arithmetic leaves the floats, and what to do.
TOO_LARGE = (
    Text("the gradient check's arithmetic", "梯度检验的运算"),
    Text(
        "J, its gradient or the noise bound of their comparison (about ε |J| / h, and its square) is beyond the "
        "largest float; divide J, and its gradient, by a constant and check again",
        "J、它的梯度或二者比较所用的噪声界（约为 ε |J| / h，以及它的平方）超出了最大的浮点数；"
        "请把 J 和它的梯度都除以同一个常数，再检验",
    ),
)


def _run(problem, grads, report, seed, k, labels) -> Report:
    """:func:`run` within its overflow guard."""
    h, kinks = report.h, report.kinks
    if report.mode == "directional":
        directional(problem, grads, h, k, seed, kinks, report, labels)
    elif report.mode == "complex":
        for key in problem.params:
            numeric, bound = complex_noise(problem, key, h)
            compare_block(problem, key, grads[key], numeric, report, labels[key], bound)
            tally(report, key, [])
    else:
        for key in problem.params:
            numeric, bound, outcomes, step = central_noise(problem, key, h, kinks)
            if step != h:
                report.warnings.append(
                    Text(
                        f"{key}: probed with h = {step:g}, where its noise bound is smallest",
                        f"{key}：改用 h = {step:g} 探测，这个步长上它的噪声界最小",
                    )
                )
            compare_block(problem, key, grads[key], numeric, report, labels[key], bound)
            tally(report, key, outcomes)
    if all(not np.any(g) for g in grads.values()) and not any(report.errors.values()):
        raise InputError(Text(
            "every gradient is 0 here, the numeric ones and those checked alike: J is flat at this point (a constant "
            "cost, a stationary point, an upstream gradient of zeros), and a wrong gradient that is also 0 here would "
            "pass as well, so the check would check nothing; check at a point where J changes",
            "在这一点上每个梯度都是 0，数值梯度和被检验的梯度都是：J 在这一点上是平的（代价函数是常数、参数处在驻点，"
            "或上游梯度全为零），在这里同样为 0 的错误梯度也会通过，检验就什么也没有检查；请在 J 会变化的点上检验",
        ))  # fmt: skip
    crossed = kinks == "fail" and any(report.crossings.values())
    report.failed += [key for key, count in report.crossings.items() if crossed and count and key not in report.failed]
    report.passed = not report.failed and not report.undecided
    if crossed:
        report.warnings.append(
            Text(
                f"perturbations crossed a kink: {report.crossings} probes, counted as failures",
                f"扰动跨过了折点：{report.crossings} 次探测，按失败计",
            )
        )
    return report
