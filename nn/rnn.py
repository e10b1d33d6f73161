r"""Recurrent networks in the course's names: a tanh RNN and an LSTM, forward and backward through time.

Shapes: the input x is ``(n_x, m, T_x)``, one ``(n_x, m)`` slice \(x^{\langle t \rangle}\) per
time step, samples as columns; the hidden state \(a^{\langle t \rangle}\) is ``(n_a, m)`` and
starts from a0; the predictions ``y_pred`` are ``(n_y, m, T_x)``, a softmax over the n_y rows.

The vanilla RNN, with ``Wax (n_a, n_x)``, ``Waa (n_a, n_a)``, ``Wya (n_y, n_a)``, ``ba (n_a, 1)``,
``by (n_y, 1)``:

\[ a^{\langle t \rangle} = \tanh\big(W_{aa} a^{\langle t-1 \rangle} + W_{ax} x^{\langle t \rangle} + b_a\big),
   \qquad \hat y^{\langle t \rangle} = \operatorname{softmax}\big(W_{ya} a^{\langle t \rangle} + b_y\big). \]

The LSTM, with ``Wf, Wi, Wc, Wo (n_a, n_a + n_x)`` acting on the stack
\([a^{\langle t-1 \rangle}; x^{\langle t \rangle}]\), biases ``bf, bi, bc, bo (n_a, 1)``,
``Wy (n_y, n_a)``, ``by (n_y, 1)``, and \(c^{\langle 0 \rangle} = 0\):

\[ f = \sigma(W_f [a; x] + b_f), \quad i = \sigma(W_i [a; x] + b_i), \quad
   \tilde c = \tanh(W_c [a; x] + b_c), \quad o = \sigma(W_o [a; x] + b_o), \]
\[ c^{\langle t \rangle} = f \odot c^{\langle t-1 \rangle} + i \odot \tilde c, \qquad
   a^{\langle t \rangle} = o \odot \tanh(c^{\langle t \rangle}). \]

The backward functions take ``da`` ``(n_a, m, T_x)``: the gradient of the loss with respect to
each \(a^{\langle t \rangle}\) that comes from step t's own output. They return the gradients of
\(\sum_t \langle a^{\langle t \rangle}, da^{\langle t \rangle} \rangle\) (no 1/m), as the course
does; the derivations are ``rnn.cell_backward``, ``rnn.bptt`` and ``lstm.cell_backward``.
Inputs keep their float dtype (float32 in, float32 out). Finite entries whose products or sums overflow the
largest float give a ValueError that names what overflowed, forward or backward, not a RuntimeWarning and inf.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from .activations import get
from .checks import finite, guarded, layer_cache, too_large
from .words import InputError, Text, described, say, with_article

_sigmoid, _softmax = get("sigmoid").forward, get("softmax").forward  # e^(-|z|) only: no overflow warning

#: Whose entries, too large for their products and sums to be floats, make a pass overflow.
_CAUSE = {
    "forward": Text("x⟨t⟩, a⟨t-1⟩ and the parameters", "x⟨t⟩、a⟨t-1⟩ 和参数"),
    "rnn_backward": Text("da (da_next for one step) and the parameters", "da（单步时是 da_next）和参数"),
    "lstm_backward": Text(
        "da (da_next and dc_next for one step) and the parameters", "da（单步时是 da_next 和 dc_next）和参数"
    ),
}

#: What overflows in each pass, and why.
_TOO_LARGE = {
    "rnn_forward": too_large(
        Text(
            "a step's Waa a⟨t-1⟩ + Wax x⟨t⟩ + ba or Wya a⟨t⟩ + by",
            "某一步的 Waa a⟨t-1⟩ + Wax x⟨t⟩ + ba 或 Wya a⟨t⟩ + by",
        ),
        _CAUSE["forward"],
    ),
    "lstm_forward": too_large(
        Text("a gate's W [a⟨t-1⟩; x⟨t⟩] + b or Wy a⟨t⟩ + by", "某个门的 W [a⟨t-1⟩; x⟨t⟩] + b 或 Wy a⟨t⟩ + by"),
        _CAUSE["forward"],
    ),
    "rnn_backward": too_large(Text("a step's gradients", "某一步的梯度"), _CAUSE["rnn_backward"]),
    "lstm_backward": too_large(Text("a step's gradients", "某一步的梯度"), _CAUSE["lstm_backward"]),
}

RNN_PARAMETERS = ("Wax", "Waa", "Wya", "ba", "by")
LSTM_GATES = ("f", "i", "c", "o")
LSTM_PARAMETERS = (*(f"{p}{g}" for g in LSTM_GATES for p in "Wb"), "Wy", "by")


@guarded(_TOO_LARGE["rnn_forward"])
def rnn_cell_forward(xt, a_prev, parameters):
    r"""One step of the RNN: \(a^{\langle t \rangle}\), the prediction \(\hat y^{\langle t \rangle}\) and the cache.

    Args:
        xt: \(x^{\langle t \rangle}\), ``(n_x, m)``.
        a_prev: \(a^{\langle t-1 \rangle}\), ``(n_a, m)``.
        parameters: ``Wax (n_a, n_x)``, ``Waa (n_a, n_a)``, ``Wya (n_y, n_a)``, ``ba (n_a, 1)``, ``by (n_y, 1)``.

    Returns:
        ``(a_next, yt_pred, cache)`` with ``cache = (a_next, a_prev, xt, parameters)``.

    Example:
        >>> p = {"Wax": np.ones((2, 1)), "Waa": np.zeros((2, 2)), "Wya": np.ones((3, 2)),
        ...      "ba": np.zeros((2, 1)), "by": np.zeros((3, 1))}
        >>> a_next, yt_pred, _ = rnn_cell_forward(np.zeros((1, 4)), np.zeros((2, 4)), p)
        >>> a_next.shape, float(yt_pred[0, 0])  # tanh(0) = 0, softmax of equal logits
        ((2, 4), 0.3333333333333333)
    """
    n_x, m = _slice("xt", xt, "n_x")
    n_a = _slice("a_prev", a_prev, "n_a", m)[0]
    _parameters(parameters, RNN_PARAMETERS, n_x, n_a, "xt and a_prev")
    return _rnn_step(xt, a_prev, parameters)


def _rnn_step(xt, a_prev, parameters):
    Wax, Waa, Wya, ba, by = (parameters[name] for name in RNN_PARAMETERS)
    # --8<-- [start:rnn_cell_forward]
    a_next = np.tanh(Waa @ a_prev + Wax @ xt + ba)
    yt_pred = _softmax(Wya @ a_next + by)
    # --8<-- [end:rnn_cell_forward]
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


@guarded(_TOO_LARGE["rnn_forward"])
def rnn_forward(x, a0, parameters):
    r"""The RNN over all T_x steps from \(a^{\langle 0 \rangle}\) = a0.

    Args:
        x: ``(n_x, m, T_x)``.
        a0: ``(n_a, m)``.
        parameters: as :func:`rnn_cell_forward`.

    Returns:
        ``(a, y_pred, caches)``: a ``(n_a, m, T_x)``, y_pred ``(n_y, m, T_x)``, and
        ``caches = (list of the T_x step caches, x)``.
    """
    n_x, m, T_x = _sequence(x)
    n_a = _slice("a0", a0, "n_a", m)[0]
    _parameters(parameters, RNN_PARAMETERS, n_x, n_a, "x and a0")
    n_y, dtype = parameters["Wya"].shape[0], _dtype(x, a0, parameters, RNN_PARAMETERS)
    a, y_pred, caches = np.zeros((n_a, m, T_x), dtype), np.zeros((n_y, m, T_x), dtype), []
    a_next = a0
    for t in range(T_x):
        a_next, y_pred[:, :, t], cache = _rnn_step(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        caches.append(cache)
    return a, y_pred, (caches, x)


@guarded(_TOO_LARGE["rnn_backward"])
def rnn_cell_backward(da_next, cache):
    r"""One step back (derivation ``rnn.cell_backward``): the gradients of \(\langle a, da_{next} \rangle\).

    \[ \mathit{dtanh} = da_{next} \odot \big(1 - (a^{\langle t \rangle})^2\big), \qquad
       dW_{ax} = \mathit{dtanh}\, x^{\langle t \rangle \top}, \qquad
       dW_{aa} = \mathit{dtanh}\, a^{\langle t-1 \rangle \top}, \]
    \[ db_a = \textstyle\sum_{\text{columns}} \mathit{dtanh}, \qquad
       dx^{\langle t \rangle} = W_{ax}^\top \mathit{dtanh}, \qquad da_{prev} = W_{aa}^\top \mathit{dtanh}. \]

    Args:
        da_next: the whole gradient reaching \(a^{\langle t \rangle}\), ``(n_a, m)``.
        cache: the cache of :func:`rnn_cell_forward`.

    Returns:
        ``{"dxt", "da_prev", "dWax", "dWaa", "dba"}``.
    """
    a_next, a_prev, xt, parameters = _cache(cache, 4, "rnn_cell_forward")
    _slice("da_next", da_next, "n_a", a_next.shape[1], a_next.shape[0])
    return _rnn_step_back(da_next, a_next, a_prev, xt, parameters)


def _rnn_step_back(da_next, a_next, a_prev, xt, parameters):
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    # --8<-- [start:rnn_cell_backward]
    dtanh = da_next * (1 - a_next**2)  # tanh' from the cached output a⟨t⟩, not from a⟨t-1⟩
    dxt = Wax.T @ dtanh
    dWax = dtanh @ xt.T
    da_prev = Waa.T @ dtanh
    dWaa = dtanh @ a_prev.T
    dba = np.sum(dtanh, axis=1, keepdims=True)
    # --8<-- [end:rnn_cell_backward]
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@guarded(_TOO_LARGE["rnn_backward"])
def rnn_backward(da, caches):
    r"""Backprop through time (derivation ``rnn.bptt``): the gradients of \(\sum_t \langle a, da \rangle\).

    The gradient reaching \(a^{\langle t \rangle}\) is its own output's ``da[:, :, t]`` plus what
    flows back from step t + 1; each parameter's gradient is the sum of its gradients over the steps.

    Args:
        da: ``(n_a, m, T_x)``, the gradient from each step's own output.
        caches: the caches of :func:`rnn_forward`.

    Returns:
        ``{"dx", "da0", "dWax", "dWaa", "dba"}``: dx ``(n_x, m, T_x)``, da0 ``(n_a, m)``, and the
        parameters' gradients in their shapes.
    """
    steps, x = _caches(caches, 4, "rnn_forward")
    a1, a0, _, parameters = steps[0]
    _gradient_sequence(da, a1.shape, len(steps))
    dtype = _dtype(da, a0, parameters, RNN_PARAMETERS)
    # --8<-- [start:rnn_backward]
    dx = np.zeros(x.shape, dtype)
    dWax, dWaa, dba = (np.zeros_like(parameters[name], dtype=dtype) for name in ("Wax", "Waa", "ba"))
    da_prevt = np.zeros(a0.shape, dtype)
    for t in reversed(range(len(steps))):
        gradients = _rnn_step_back(da[:, :, t] + da_prevt, *steps[t])  # its output's + what flows back
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    # --8<-- [end:rnn_backward]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@guarded(_TOO_LARGE["lstm_forward"])
def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    r"""One step of the LSTM: \(a^{\langle t \rangle}\), \(c^{\langle t \rangle}\), the prediction and the cache.

    Args:
        xt: ``(n_x, m)``.
        a_prev: ``(n_a, m)``.
        c_prev: the cell \(c^{\langle t-1 \rangle}\), ``(n_a, m)``.
        parameters: ``Wf, Wi, Wc, Wo (n_a, n_a + n_x)``, ``bf, bi, bc, bo (n_a, 1)``, ``Wy (n_y, n_a)``,
            ``by (n_y, 1)``.

    Returns:
        ``(a_next, c_next, yt_pred, cache)`` with
        ``cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)``.
    """
    n_x, m = _slice("xt", xt, "n_x")
    n_a = _slice("a_prev", a_prev, "n_a", m)[0]
    _slice("c_prev", c_prev, "n_a", m, n_a)
    _parameters(parameters, LSTM_PARAMETERS, n_x, n_a, "xt and a_prev")
    return _lstm_step(xt, a_prev, c_prev, parameters)


def _lstm_step(xt, a_prev, c_prev, parameters):
    p = parameters
    # --8<-- [start:lstm_cell_forward]
    concat = np.concatenate([a_prev, xt])  # the stack [a⟨t-1⟩; x⟨t⟩], (n_a + n_x, m)
    ft = _sigmoid(p["Wf"] @ concat + p["bf"])  # forget gate
    it = _sigmoid(p["Wi"] @ concat + p["bi"])  # update (input) gate
    cct = np.tanh(p["Wc"] @ concat + p["bc"])  # candidate c̃⟨t⟩
    c_next = ft * c_prev + it * cct
    ot = _sigmoid(p["Wo"] @ concat + p["bo"])  # output gate
    a_next = ot * np.tanh(c_next)
    yt_pred = _softmax(p["Wy"] @ a_next + p["by"])
    # --8<-- [end:lstm_cell_forward]
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


@guarded(_TOO_LARGE["lstm_forward"])
def lstm_forward(x, a0, parameters):
    r"""The LSTM over all T_x steps from a0 and \(c^{\langle 0 \rangle} = 0\).

    Returns:
        ``(a, y, c, caches)``: a and c ``(n_a, m, T_x)``, y ``(n_y, m, T_x)``,
        ``caches = (list of the T_x step caches, x)``.
    """
    n_x, m, T_x = _sequence(x)
    n_a = _slice("a0", a0, "n_a", m)[0]
    _parameters(parameters, LSTM_PARAMETERS, n_x, n_a, "x and a0")
    n_y, dtype = parameters["Wy"].shape[0], _dtype(x, a0, parameters, LSTM_PARAMETERS)
    a, c, y = np.zeros((n_a, m, T_x), dtype), np.zeros((n_a, m, T_x), dtype), np.zeros((n_y, m, T_x), dtype)
    a_next, c_next, caches = a0, np.zeros_like(a0, dtype=dtype), []
    for t in range(T_x):
        a_next, c_next, y[:, :, t], cache = _lstm_step(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t], c[:, :, t] = a_next, c_next
        caches.append(cache)
    return a, y, c, (caches, x)


@guarded(_TOO_LARGE["lstm_backward"])
def lstm_cell_backward(da_next, dc_next, cache):
    r"""One LSTM step back (derivation ``lstm.cell_backward``).

    With \(dc = dc_{next} + da_{next} \odot o \odot (1 - \tanh^2 c^{\langle t \rangle})\), the
    whole gradient reaching \(c^{\langle t \rangle}\) (from the next cell and through
    \(a^{\langle t \rangle} = o \odot \tanh(c^{\langle t \rangle})\)), each gate's pre-activation gets

    \[ d_o = da_{next} \odot \tanh(c^{\langle t \rangle}) \odot o(1 - o), \quad
       d_{\tilde c} = dc \odot i \odot (1 - \tilde c^2), \quad
       d_i = dc \odot \tilde c \odot i(1 - i), \quad
       d_f = dc \odot c^{\langle t-1 \rangle} \odot f(1 - f), \]

    and \(dc_{prev} = dc \odot f\). Each gate is a linear layer on the stack
    \([a^{\langle t-1 \rangle}; x^{\langle t \rangle}]\): \(dW = d\,[a; x]^\top\), db its row sums,
    and the stack's gradient \(\sum_{\text{gates}} W^\top d\) splits into da_prev (first n_a rows) and dxt.

    Args:
        da_next: the whole gradient reaching \(a^{\langle t \rangle}\), ``(n_a, m)``.
        dc_next: the gradient reaching \(c^{\langle t \rangle}\) from step t + 1, ``(n_a, m)``.
        cache: the cache of :func:`lstm_cell_forward`.

    Returns:
        ``{"dxt", "da_prev", "dc_prev", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"}``.
    """
    values = _cache(cache, 10, "lstm_cell_forward")
    n_a, m = values[0].shape
    _slice("da_next", da_next, "n_a", m, n_a)
    _slice("dc_next", dc_next, "n_a", m, n_a)
    return _lstm_step_back(da_next, dc_next, *values)


def _lstm_step_back(da_next, dc_next, a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters):
    p, n_a = parameters, a_next.shape[0]
    # --8<-- [start:lstm_cell_backward]
    tanh_c = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tanh_c**2)  # the cell path and the path through a = o ⊙ tanh(c)
    dot = da_next * tanh_c * ot * (1 - ot)
    dcct = dc * it * (1 - cct**2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    concat = np.concatenate([a_prev, xt])
    gradients = {"dc_prev": dc * ft}
    dconcat = 0
    for gate, dgate in (("f", dft), ("i", dit), ("c", dcct), ("o", dot)):
        gradients[f"dW{gate}"] = dgate @ concat.T
        gradients[f"db{gate}"] = np.sum(dgate, axis=1, keepdims=True)
        dconcat = dconcat + p[f"W{gate}"].T @ dgate  # all four gates read the stack [a⟨t-1⟩; x⟨t⟩]
    gradients["da_prev"], gradients["dxt"] = dconcat[:n_a], dconcat[n_a:]
    # --8<-- [end:lstm_cell_backward]
    return gradients


@guarded(_TOO_LARGE["lstm_backward"])
def lstm_backward(da, caches):
    r"""Backprop through time for the LSTM: the gradients of \(\sum_t \langle a^{\langle t \rangle}, da \rangle\).

    The loss reaches \(c^{\langle T_x \rangle}\) only through \(a^{\langle T_x \rangle}\), so the
    backward pass starts from \(dc = 0\).

    Returns:
        ``{"dx", "da0", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"}``.
    """
    steps, x = _caches(caches, 10, "lstm_forward")
    a1, parameters = steps[0][0], steps[0][-1]
    _gradient_sequence(da, a1.shape, len(steps))
    dtype = _dtype(da, a1, parameters, LSTM_PARAMETERS)
    names = [f"{p}{g}" for g in LSTM_GATES for p in "Wb"]
    # --8<-- [start:lstm_backward]
    dx = np.zeros(x.shape, dtype)
    totals = {f"d{name}": np.zeros_like(parameters[name], dtype=dtype) for name in names}
    da_prevt, dc_prevt = np.zeros(a1.shape, dtype), np.zeros(a1.shape, dtype)
    for t in reversed(range(len(steps))):
        gradients = _lstm_step_back(da[:, :, t] + da_prevt, dc_prevt, *steps[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt, dc_prevt = gradients["da_prev"], gradients["dc_prev"]
        for key in totals:
            totals[key] += gradients[key]
    # --8<-- [end:lstm_backward]
    return {"dx": dx, "da0": da_prevt, **totals}


def clip(gradients, maxValue):
    r"""Every gradient clipped entrywise into [−maxValue, maxValue], as a new dict (the input is not changed).

    Clipping bounds each step against exploding gradients; it changes the direction of a
    gradient whose entries it cuts, so it is a safeguard, not a gradient. A NaN or inf entry is
    refused, as the update steps refuse it: ``np.clip`` would pass a NaN on into the update, and
    cut an inf to ±maxValue as if it were a large gradient, where it is one that no float holds.

    Example:
        >>> clip({"dWaa": np.array([[-7.0, 0.5]])}, 5)["dWaa"]
        array([[-5. ,  0.5]])
    """
    if isinstance(maxValue, bool) or not isinstance(maxValue, (int, float, np.integer, np.floating)):
        raise InputError(Text(
            f"maxValue must be a positive number; got {type(maxValue).__name__}",
            f"maxValue 必须是正数；而它是 {type(maxValue).__name__}",
        ))  # fmt: skip
    maxValue = maxValue.item() if isinstance(maxValue, np.generic) else maxValue  # compared exactly below
    if not maxValue > 0 or maxValue == math.inf:  # an int beyond the floats is finite (no conversion to float)
        raise InputError(Text(
            f"maxValue must be a positive finite number; got {maxValue}: gradients go into [−maxValue, maxValue]",
            f"maxValue 必须是有限的正数；而它是 {maxValue}：梯度被截断到 [−maxValue, maxValue] 之内",
        ))  # fmt: skip
    if not isinstance(gradients, Mapping):
        raise InputError(Text(
            f"gradients must be a dict of arrays, e.g. {{'dWaa': ...}}; got {type(gradients).__name__}",
            f"gradients 必须是数组的字典，例如 {{'dWaa': ...}}；而它是 {type(gradients).__name__}",
        ))  # fmt: skip
    clipped = {}
    for key, gradient in gradients.items():
        array = np.asarray(gradient)
        if array.dtype.kind not in "iuf":
            raise InputError(Text(
                f"gradients[{key!r}] must be a real array; got dtype {array.dtype}",
                f"gradients[{key!r}] 必须是实数数组；而它的 dtype 是 {array.dtype}",
            ))  # fmt: skip
        finite(f"gradients[{key!r}]", array)
        top = np.finfo(array.dtype).max.item() if array.dtype.kind == "f" else int(np.iinfo(array.dtype).max)
        bound = maxValue if maxValue < top else type(maxValue)(top)  # past the dtype's largest entry none is cut
        clipped[key] = np.clip(array, -bound, bound)
    return clipped


# Input checks: every bad shape or missing parameter becomes a ValueError in the docs' notation.


def _array(name, value, ndim, shape_text: Text):
    if not isinstance(value, np.ndarray) or value.dtype.kind != "f":
        got = (
            f"{with_article(value.dtype)} array"
            if isinstance(value, np.ndarray)
            else with_article(type(value).__name__)
        )
        got_zh = f"{value.dtype} 数组" if isinstance(value, np.ndarray) else type(value).__name__
        raise InputError(Text(
            f"{name} must be a floating-point numpy array {shape_text}; got {got}",
            f"{name} 必须是浮点 numpy 数组，{shape_text.zh}；而它是一个 {got_zh}",
        ))  # fmt: skip
    if value.ndim != ndim:
        raise InputError(Text(
            f"{name} must be {ndim}-D, {shape_text}; got shape {value.shape}",
            f"{name} 必须是 {ndim} 维的，{shape_text.zh}；而它的维度是 {value.shape}",
        ))  # fmt: skip
    if not np.all(np.isfinite(value)):
        raise InputError(Text(
            f"{name} contains NaN or inf: every entry of {name} must be finite",
            f"{name} 含有 NaN 或 inf：{name} 的每个元素都必须是有限值",
        ))  # fmt: skip
    return value.shape


def _slice(name, value, rows, m=None, n=None):
    """A ``(rows, m)`` slice of one time step; ``m`` and ``n`` are the sizes it must have, if known."""
    shape = _array(name, value, 2, Text(f"shape ({rows}, m), samples as columns", f"维度为 ({rows}, m)，每列一个样本"))
    if n is not None and shape[0] != n:
        raise InputError(Text(
            f"{name} has {shape[0]} rows but the hidden state has n_a = {n}: {name} must be ({rows}, m)",
            f"{name} 有 {shape[0]} 行，而隐藏状态有 n_a = {n} 行：{name} 必须是 ({rows}, m)",
        ))  # fmt: skip
    if m is not None and shape[1] != m:
        raise InputError(Text(
            f"{name} has {shape[1]} columns but the input has m = {m} samples: {name} must be ({rows}, m)",
            f"{name} 有 {shape[1]} 列，而输入有 m = {m} 个样本：{name} 必须是 ({rows}, m)",
        ))  # fmt: skip
    if min(shape) < 1:
        raise InputError(Text(
            f"{name} has shape {shape}: {rows} and m must be at least 1",
            f"{name} 的维度是 {shape}：{rows} 和 m 都至少为 1",
        ))  # fmt: skip
    return shape


def _sequence(x):
    shape = _array("x", x, 3, Text(
        "shape (n_x, m, T_x): one (n_x, m) slice x[:, :, t] per time step",
        "维度为 (n_x, m, T_x)：每一步一个 (n_x, m) 的切片 x[:, :, t]",
    ))  # fmt: skip
    if min(shape) < 1:
        raise InputError(Text(
            f"x has shape {shape}: n_x, m and T_x must be at least 1",
            f"x 的维度是 {shape}：n_x、m 和 T_x 都至少为 1",
        ))  # fmt: skip
    return shape


def _parameters(parameters, names, n_x, n_a, sizes_from):
    """Check every parameter's shape against n_x and n_a, the rows of the two arrays named in ``sizes_from``."""
    if not isinstance(parameters, Mapping):
        raise InputError(Text(
            f"parameters must be a dict with {', '.join(names)}; got {type(parameters).__name__}",
            f"parameters 必须是含有 {'、'.join(names)} 的字典；而它是 {type(parameters).__name__}",
        ))  # fmt: skip
    missing = [name for name in names if name not in parameters]
    if missing:
        raise InputError(Text(
            f"parameters lacks {', '.join(missing)}: this network needs {', '.join(names)}",
            f"parameters 缺少 {'、'.join(missing)}：这个网络需要 {'、'.join(names)}",
        ))  # fmt: skip
    out = "Wya" if "Wya" in names else "Wy"
    n_y = np.shape(parameters[out])[0] if np.ndim(parameters[out]) == 2 else None
    rules = {
        "Wax": ((n_a, n_x), "(n_a, n_x)"), "Waa": ((n_a, n_a), "(n_a, n_a)"), "Wya": ((n_y, n_a), "(n_y, n_a)"),
        "Wy": ((n_y, n_a), "(n_y, n_a)"), "ba": ((n_a, 1), "(n_a, 1)"), "by": ((n_y, 1), "(n_y, 1)"),
        **{f"W{g}": ((n_a, n_a + n_x), STACKED) for g in LSTM_GATES},
        **{f"b{g}": ((n_a, 1), "(n_a, 1)") for g in LSTM_GATES},
    }  # fmt: skip
    for name in names:
        shape, rule = rules[name]
        got = _array(name, parameters[name], 2, Text(f"of shape {rule}", f"维度为 {say(rule, 'zh')}"))
        if got != shape:
            n_y_text = f", n_y = {n_y}" if "y" in name else ""
            raise InputError(Text(
                f"{name} has shape {got} but n_x = {n_x}, n_a = {n_a} (the rows of {sizes_from}){n_y_text}: "
                f"{name} must be {rule}",
                f"{name} 的维度是 {got}，而 n_x = {n_x}、n_a = {n_a}（{sizes_from.replace(' and ', ' 和 ')} 的行数）"
                f"{n_y_text.replace(', ', '、')}：{name} 必须是 {say(rule, 'zh')}",
            ))  # fmt: skip


#: The shape rule of an LSTM gate's weights.
STACKED = Text("(n_a, n_a + n_x), acting on the stack [a_prev; xt]", "(n_a, n_a + n_x)，作用在堆叠的 [a_prev; xt] 上")


def _dtype(first, second, parameters, names):
    """The float dtype of the results: numpy's promotion of the inputs' and the named parameters' dtypes
    (float32 stays float32; other entries of the dict play no part)."""
    return np.result_type(first, second, *(parameters[name] for name in names))


#: What a step's cache holds, by its length: the RNN's and the LSTM's.
CACHE_LAYOUTS = {
    4: "(a_next, a_prev, xt, parameters)",
    10: "(a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)",
}


def _cache(cache, size, forward, checked=None):
    """One step's cache of ``forward``, after checking its arrays against one another (all ``(n_a, m)`` but xt,
    ``(n_x, m)``) and the parameters against them, unless the parameters are ``checked`` already."""
    layout = CACHE_LAYOUTS[size]
    layer_cache(cache, layout, forward)
    *arrays, parameters = cache
    if not all(isinstance(array, np.ndarray) and array.ndim == 2 for array in arrays) or not isinstance(
        parameters, Mapping
    ):
        raise InputError(Text(
            f"cache must be the tuple {layout} that {forward} returns: 2-D arrays, then the parameters",
            f"cache 必须是 {forward} 返回的元组 {layout}：先是 2 维数组，最后是参数",
        ))  # fmt: skip
    (n_a, _), (n_x, m) = arrays[0].shape, arrays[-1].shape
    for name, array in zip(layout.strip("()").split(", ")[:-1], arrays, strict=True):  # xt last: its rows are n_x
        rows, n = ("n_x", n_x) if name == "xt" else ("n_a", n_a)
        if array.shape != (n, m) or array.dtype.kind != "f" or not array.size:  # then _slice names the rule
            _slice(name, array, rows, m, n)
    if parameters is not checked:
        _parameters(parameters, RNN_PARAMETERS if size == 4 else LSTM_PARAMETERS, n_x, n_a, "xt and a_next")
    return cache


def _caches(caches, size, forward):
    if not (isinstance(caches, tuple) and len(caches) == 2 and isinstance(caches[0], list) and caches[0]):
        raise InputError(Text(
            f"caches must be ({forward}'s list of step caches, x), as {forward} returns; got {described(caches)}",
            f"caches 必须是 {forward} 返回的({forward} 每一步缓存的列表, x)；而它{described(caches).zh}",
        ))  # fmt: skip
    steps, x = caches
    if any(not isinstance(step, tuple) or len(step) != size for step in steps):
        raise InputError(Text(
            f"caches[0] must hold the step caches of {forward}, tuples of {size}",
            f"caches[0] 必须是 {forward} 每一步的缓存，即 {size} 项的元组",
        ))  # fmt: skip
    step_forward = forward.replace("_forward", "_cell_forward")
    first = _cache(steps[0], size, step_forward)
    for t, step in enumerate(steps[1:], start=1):
        _cache(step, size, step_forward, checked=first[-1])
        if step[0].shape != first[0].shape or step[-2].shape != first[-2].shape:
            raise InputError(Text(
                f"caches[0][{t}] has a_next {step[0].shape} and xt {step[-2].shape} but caches[0][0] has "
                f"{first[0].shape} and {first[-2].shape}: every step of one {forward} has the same n_a, n_x and m",
                f"caches[0][{t}] 的 a_next 是 {step[0].shape}、xt 是 {step[-2].shape}，而 caches[0][0] 的是 "
                f"{first[0].shape} 和 {first[-2].shape}：同一次 {forward} 的每一步，n_a、n_x 和 m 都相同",
            ))  # fmt: skip
    xt = first[-2]
    if not isinstance(x, np.ndarray) or x.shape != (*xt.shape, len(steps)):
        got = Text(f"shape {x.shape}", f"的维度是 {x.shape}") if isinstance(x, np.ndarray) else described(x)
        raise InputError(Text(
            f"caches[1] must be the x of (n_x, m, T_x) = {(*xt.shape, len(steps))} that {forward} ran on; got {got}",
            f"caches[1] 必须是 {forward} 运行时所用的 x，(n_x, m, T_x) = {(*xt.shape, len(steps))}；而它{got.zh}",
        ))  # fmt: skip
    return steps, x


def _gradient_sequence(da, a_shape, T_x):
    n_a, m = a_shape
    shape = _array("da", da, 3, Text(
        "shape (n_a, m, T_x), the gradient from each step's own output",
        "维度为 (n_a, m, T_x)，来自每一步自身输出的梯度",
    ))  # fmt: skip
    if shape != (n_a, m, T_x):
        raise InputError(Text(
            f"da has shape {shape} but the forward pass had n_a = {n_a}, m = {m}, T_x = {T_x}: "
            "da must be (n_a, m, T_x)",
            f"da 的维度是 {shape}，而前向传播的 n_a = {n_a}、m = {m}、T_x = {T_x}：da 必须是 (n_a, m, T_x)",
        ))  # fmt: skip
