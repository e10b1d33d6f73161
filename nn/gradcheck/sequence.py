r"""Checks of a learner's RNN and LSTM, in the course's signatures: backprop through time as it was written.

:func:`check_rnn` and :func:`check_lstm` take the learner's forward and backward functions over a
whole sequence. The learner's forward pass must give nn's hidden states \(a^{\langle t \rangle}\)
(it is checked); the numeric gradient then comes from :mod:`nn.rnn`'s forward pass, as
:func:`~nn.gradcheck.check_function` of

\[ J = \sum_t \big\langle a^{\langle t \rangle}, da^{\langle t \rangle} \big\rangle \]

with a random upstream gradient ``da``, the quantity the course's backward functions differentiate.
A failing report is compared with nn's backward pass under each known mistake of
:mod:`nn.gradcheck.mistakes` in ``nn/rnn.py``, and each two of them at once, to name the derivation the code
contradicts.
"""

from __future__ import annotations

import numpy as np

from .. import checks, rnn
from . import mistakes
from .adapters import _kind, _output, _same_output, _unchanged, check_function
from .checker import _callable, _returned, choices
from .words import InputError, Text

#: What each network's checked functions return and which of its parameters backward differentiates.
NETWORKS = {
    "rnn": ("rnn_forward", "rnn_backward", "(a, y_pred, caches)", rnn.rnn_forward, rnn.rnn_backward,
            ("Wax", "Waa", "ba")),
    "lstm": ("lstm_forward", "lstm_backward", "(a, y, c, caches)", rnn.lstm_forward, rnn.lstm_backward,
             tuple(f"{p}{g}" for g in rnn.LSTM_GATES for p in "Wb")),
}  # fmt: skip


def check_rnn(rnn_forward, rnn_backward, x, a0, parameters, *, da=None, mode="full", h=None, tolerance=None, seed=0):
    r"""Check the course's ``rnn_backward`` against differences of the RNN's forward pass.

    Args:
        rnn_forward: the learner's ``rnn_forward(x, a0, parameters) -> (a, y_pred, caches)``.
        rnn_backward: the learner's ``rnn_backward(da, caches) -> dict`` with ``dx, da0, dWax, dWaa, dba``.
        x: ``(n_x, m, T_x)``.
        a0: ``(n_a, m)``.
        parameters: ``Wax, Waa, Wya, ba, by``; not modified.
        da: the upstream gradient ``(n_a, m, T_x)``, not all zeros (every gradient would be 0, a wrong one
            too); None draws one from ``seed``.
        mode: ``"full"`` or ``"directional"``, as in :func:`~nn.gradcheck.check_function`.
        h: the step; None takes the default, as in ``check_function``.
        tolerance: the largest passing relative error; None takes the default.
        seed: draws ``da`` when it is None, and the directions of ``"directional"``.

    Returns:
        A :class:`~nn.gradcheck.report.Report` with one row per gradient (Wax, Waa, ba, x, a0). A
        failure whose gradients are those of a known mistake names it and its derivation.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> p = {"Wax": rng.normal(size=(3, 2)), "Waa": rng.normal(size=(3, 3)) / 2, "Wya": rng.normal(size=(2, 3)),
        ...      "ba": np.zeros((3, 1)), "by": np.zeros((2, 1))}
        >>> check_rnn(rnn.rnn_forward, rnn.rnn_backward, rng.normal(size=(2, 4, 3)), np.zeros((3, 4)), p).passed
        True
    """
    return _check(
        "rnn", rnn_forward, rnn_backward, x, a0, parameters, da, dict(mode=mode, h=h, tolerance=tolerance, seed=seed)
    )


def check_lstm(lstm_forward, lstm_backward, x, a0, parameters, *, da=None, mode="full", h=None, tolerance=None, seed=0):
    r"""Check the course's ``lstm_backward`` against differences of the LSTM's forward pass.

    As :func:`check_rnn`, with ``lstm_forward(x, a0, parameters) -> (a, y, c, caches)`` and
    ``lstm_backward(da, caches) -> dict`` with ``dx, da0, dWf, dbf, dWi, dbi, dWc, dbc, dWo, dbo``.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> p = {f"{w}{g}": rng.normal(size=(2, 3) if w == "W" else (2, 1)) for g in "fico" for w in "Wb"}
        >>> p |= {"Wy": rng.normal(size=(2, 2)), "by": np.zeros((2, 1))}
        >>> check_lstm(rnn.lstm_forward, rnn.lstm_backward, rng.normal(size=(1, 3, 4)), np.zeros((2, 3)), p).passed
        True
    """
    return _check(
        "lstm", lstm_forward, lstm_backward, x, a0, parameters, da, dict(mode=mode, h=h, tolerance=tolerance, seed=seed)
    )


#: The check of each network, by the kind names of ``python -m nn check`` (:data:`~nn.gradcheck.adapters.FILE_NAMES`).
CHECKS = {"rnn": check_rnn, "lstm": check_lstm}


def default_inputs(kind, seed=0, n_x=2, n_a=3, n_y=2, m=3, T_x=4):
    r"""``(x, a0, parameters)`` for checking an RNN (``kind="rnn"``) or an LSTM (``"lstm"``) when none are given.

    Several steps (T_x = 4) and several samples, so that a gradient which does not flow from one step
    to the one before shows; \(W_{aa}\) is halved so that tanh bends without saturating.

    Example:
        >>> x, a0, parameters = default_inputs("lstm")
        >>> x.shape, a0.shape, parameters["Wf"].shape
        ((2, 3, 4), (3, 3), (3, 5))
    """
    if kind not in NETWORKS:
        raise InputError(Text(
            f"unknown kind {kind!r}; valid kinds: {', '.join(NETWORKS)}",
            f"未知的种类 {kind!r}；可用的种类：{'、'.join(NETWORKS)}",
        ))  # fmt: skip
    rule = Text("each size of the default inputs (n_x, n_a, n_y, m, T_x) is an integer >= 1",
                "默认输入的每个大小（n_x、n_a、n_y、m、T_x）都是 >= 1 的整数")  # fmt: skip
    n_x, n_a, n_y, m, T_x = (checks.count(name, value, rule) for name, value in zip(
        ("n_x", "n_a", "n_y", "m", "T_x"), (n_x, n_a, n_y, m, T_x), strict=True))  # fmt: skip
    rng = np.random.default_rng(checks.random_seed(seed, Text("the seed of the default inputs", "默认输入的种子")))
    if kind == "rnn":
        shapes = {"Wax": (n_a, n_x), "Waa": (n_a, n_a), "Wya": (n_y, n_a), "ba": (n_a, 1), "by": (n_y, 1)}
    else:
        shapes = {f"{w}{g}": (n_a, n_a + n_x) if w == "W" else (n_a, 1) for g in rnn.LSTM_GATES for w in "Wb"}
        shapes |= {"Wy": (n_y, n_a), "by": (n_y, 1)}
    parameters = {key: rng.normal(size=shape) for key, shape in shapes.items()}
    if kind == "rnn":
        parameters["Waa"] /= 2
    return rng.normal(size=(n_x, m, T_x)), rng.normal(size=(n_a, m)), parameters


def _check(kind, forward, backward, x, a0, parameters, da, options):
    forward_name, backward_name, returns, nn_forward, _, keys = NETWORKS[kind]
    _callable(f"check_{kind}", f"{forward_name}(x, a0, parameters)", forward)
    _callable(f"check_{kind}", f"{backward_name}(da, caches)", backward)
    if options["mode"] == "complex":
        raise InputError(Text(
            f"mode='complex' cannot check {backward_name}: the numeric gradient comes from nn.rnn's forward "
            "pass, which takes real arrays only; use mode='full' or 'directional'",
            f"mode='complex' 无法检验 {backward_name}：数值梯度来自 nn.rnn 的前向传播，它只接受实数数组；"
            "请用 mode='full' 或 'directional'",
        ))  # fmt: skip
    choices(options["mode"], seed=options["seed"])
    a, *_ = nn_forward(x, a0, parameters)  # nn's validation names a bad shape or a missing parameter
    if da is None:
        da = np.random.default_rng(options["seed"]).normal(size=a.shape).astype(a.dtype)
    elif np.shape(da) != a.shape:
        raise InputError(Text(
            f"da has shape {np.shape(da)} but a is {a.shape}: da must be (n_a, m, T_x)",
            f"da 的维度是 {np.shape(da)}，而 a 的是 {a.shape}：da 必须是 (n_a, m, T_x)",
        ))  # fmt: skip
    elif not np.any(np.asarray(da)):
        raise InputError(Text(
            f"da is all zeros: every gradient of J = Σ_t ⟨a⟨t⟩, da⟨t⟩⟩ is then 0, and so is a wrong {backward_name} "
            f"that is linear in da, so the check would check nothing; pass a da with nonzero entries, or None to "
            f"draw one",
            f"da 全为零：这时 J = Σ_t ⟨a⟨t⟩, da⟨t⟩⟩ 的每个梯度都是 0，"
            f"对 da 线性的错误 {backward_name} 给出的梯度也一样，检验就什么也没有检查；"
            f"请传入含非零元素的 da，或传入 None 随机抽取一个",
        ))  # fmt: skip
    copies = {key: np.array(value, copy=True) for key, value in parameters.items()}
    x_copy, a0_copy = np.array(x, copy=True), np.array(a0, copy=True)
    result = forward(x_copy, a0_copy, copies)
    _unchanged(forward_name, [("x", x, x_copy), ("a0", a0, a0_copy), ("parameters", parameters, copies)])
    if not (isinstance(result, tuple) and len(result) == len(returns.split(","))):
        raise InputError(Text(
            f"{forward_name} must return {returns}; it returned {_kind(result)}",
            f"{forward_name} 必须返回 {returns}；而它返回的{_kind(result).zh}",
        ))  # fmt: skip
    _same_output(
        _output(result[0], Text(f"{forward_name}'s a", f"{forward_name} 的 a")),
        a,
        Text(f"{forward_name}'s a", f"{forward_name} 的 a"),
        Text("the course's equations give", "课程的方程给出"),
        shape_rule=Text(": a is (n_a, m, T_x)", "：a 是 (n_a, m, T_x)"),
        reason=Text(
            "this check compares backward with that forward pass, so forward must compute it",
            "这个检验拿反向传播与那个前向传播比较，所以前向传播必须算出它",
        ),
    )
    returned = backward(np.array(da, copy=True), result[-1])
    names = [f"d{key}" for key in (*keys, "x", "a0")]
    if not isinstance(returned, dict) or any(name not in returned for name in names):
        got = _returned(returned) if isinstance(returned, dict) else _kind(returned)
        raise InputError(Text(
            f"{backward_name} must return a dict with {', '.join(names)}; it returned {got}",
            f"{backward_name} 必须返回含有 {'、'.join(names)} 的字典；而它返回的{got.zh}",
        ))  # fmt: skip
    learner = {name[1:]: checks.as_array(Text(f"{backward_name}'s {name}", f"{backward_name} 的 {name}"),
                                         returned[name]) for name in names}  # fmt: skip
    checked = {key: parameters[key] for key in keys} | {"x": x, "a0": a0}

    def cost(values):
        moved = {**parameters, **{key: values[key] for key in keys}}
        return float(np.sum(nn_forward(values["x"], values["a0"], moved)[0] * da))

    report = check_function(cost, lambda _: {f"d{key}": value for key, value in learner.items()}, checked, **options)
    if not report.passed:
        found = diagnose(kind, learner, x, a0, parameters, da)
        if found:
            report.derivation, report.diagnosis = found.derivation, found.words
    return report


def diagnose(kind, learner, x, a0, parameters, da) -> mistakes.Diagnosis | None:
    """The known mistakes of ``nn/rnn.py`` (or two at once) whose gradients equal the learner's wrong ones, or None.

    ``learner`` maps each checked name (``"Waa"``, ``"x"``, ``"a0"``…) to the learner's gradient. As
    :func:`nn.gradcheck.mistakes.diagnose_layer`: nn's backward pass runs with the network's mistakes made
    (``kind``'s, "rnn." or "lstm." derivations), and as in the dense checks a mistake is named for the blocks
    it gives to rounding, whatever it gives in the others.
    """
    _, _, _, nn_forward, nn_backward, keys = NETWORKS[kind]
    caches = nn_forward(x, a0, parameters)[-1]
    order = [*keys, "x", "a0"]

    def produce(backward):
        grads = backward(da, caches)
        return {key: grads[f"d{key}"] for key in order}

    learner = {key: learner[key] for key in order}
    return mistakes.diagnose_layer(learner, produce(nn_backward), nn_backward, produce, f"{kind}.", whole=False)
