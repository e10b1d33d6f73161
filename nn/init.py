r"""Parameter initialization: W[l] of shape (n[l], n[l-1]) drawn at random, b[l] zeros."""

from __future__ import annotations

import numpy as np

from . import checks
from .words import InputError, Text

INIT_METHODS = ("he", "xavier", "small", "zeros", "normal")


def _layer_sizes(layer_dims, **_) -> Text:
    """The sizes of the parameters ``layer_dims`` asks for, and the largest W[l], for a message about memory."""
    dims = [int(n) for n in layer_dims]
    l = max(range(1, len(dims)), key=lambda l: dims[l] * dims[l - 1])
    largest = (dims[l], dims[l - 1])
    return Text(
        f"layer_dims = {dims}: W[l] is (n[l], n[l-1]) and b[l] is (n[l], 1); the largest, W[{l}], is {largest}, "
        f"smaller layers need less",
        f"layer_dims = {dims}：W[l] 是 (n[l], n[l-1])，b[l] 是 (n[l], 1)，其中最大的 W[{l}] 是 {largest}；"
        f"层越小，所需的内存越少",
    )


@checks.guarded(sizes=_layer_sizes)
def initialize_parameters(
    layer_dims, method="he", seed=None, dtype=np.float64, *, batch_norm=False
) -> dict[str, np.ndarray]:
    r"""Create W1, b1, ..., WL, bL for the layer sizes ``[n[0], n[1], ..., n[L]]``.

    Each \(W^{[l]}\) is drawn with independent entries, and every \(b^{[l]}\) is zero:

    \[ \text{he: } W^{[l]}_{ij} \sim \mathcal N\!\left(0, \tfrac{2}{n^{[l-1]}}\right), \quad
       \text{xavier: } \mathcal N\!\left(0, \tfrac{1}{n^{[l-1]}}\right), \quad
       \text{small: } 0.01\,\mathcal N(0, 1), \quad
       \text{zeros: } 0, \quad
       \text{normal: } \mathcal N(0, 1). \]

    ``"normal"`` is the plain standard normal, unscaled: each layer multiplies the spread of Z by
    about \(\sqrt{n^{[l-1]}}\), which saturates tanh and sigmoid layers and makes a ReLU stack's
    Z grow layer by layer; it is there to show why the scaled starts exist.

    The draws come from ``np.random.default_rng(seed)``, W1 first, then W2, and so on, each
    as ``rng.standard_normal((n[l], n[l-1]))`` in float64, scaled, then cast to ``dtype``;
    the same seed gives the same parameters (rounded to ``dtype``).

    With ``batch_norm=True`` every hidden layer l < L normalizes its Z[l] (``nn.batchnorm``): it
    gets ``gamma{l}`` (ones) and ``beta{l}`` (zeros) in place of ``b{l}``, and the running
    averages ``running_mean{l}`` (zeros) and ``running_var{l}`` (ones) that ``predict`` uses;
    the output layer keeps ``b{L}``. The draws of W are the same as without batch norm.

    Args:
        layer_dims: sizes ``[n[0], ..., n[L]]``, integers >= 1, at least two of them.
        method: ``"he"`` (for ReLU layers), ``"xavier"`` (tanh, sigmoid), ``"small"``, ``"zeros"``
            or ``"normal"``.
        seed: seed for ``np.random.default_rng``; None draws fresh randomness.
        dtype: floating dtype of every parameter.
        batch_norm: give the hidden layers batch normalization.

    Returns:
        ``{"W1": (n[1], n[0]) array, "b1": (n[1], 1) zeros, ...}``.

    Raises:
        ValueError: for a bad ``layer_dims``, an unknown ``method``, a ``seed`` that is neither None nor an
            integer >= 0, a non-float ``dtype``, or sizes whose parameters are larger than numpy can allocate
            (named with the array asked for and the largest W[l]).

    Example:
        >>> parameters = initialize_parameters([3, 4, 1], seed=0)
        >>> [(key, value.shape) for key, value in parameters.items()]
        [('W1', (4, 3)), ('b1', (4, 1)), ('W2', (1, 4)), ('b2', (1, 1))]
    """
    layer_dims, dtype = checks.init_inputs(layer_dims, method, seed, dtype, methods=INIT_METHODS)
    if not isinstance(batch_norm, bool):
        raise InputError(Text(
            f"batch_norm must be True or False; got {batch_norm!r}",
            f"batch_norm 必须是 True 或 False；而它是 {batch_norm!r}",
        ))  # fmt: skip
    L = len(layer_dims) - 1
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        if method == "zeros":
            parameters[f"W{l}"] = np.zeros((n, n_prev), dtype=dtype)
        else:
            std = {"he": np.sqrt(2 / n_prev), "xavier": np.sqrt(1 / n_prev), "small": 0.01, "normal": 1.0}[method]
            parameters[f"W{l}"] = (rng.standard_normal((n, n_prev)) * std).astype(dtype, copy=False)
        if batch_norm and l < L:
            parameters[f"gamma{l}"] = np.ones((n, 1), dtype=dtype)
            parameters[f"beta{l}"] = np.zeros((n, 1), dtype=dtype)
            parameters[f"running_mean{l}"] = np.zeros((n, 1), dtype=dtype)
            parameters[f"running_var{l}"] = np.ones((n, 1), dtype=dtype)
        else:
            parameters[f"b{l}"] = np.zeros((n, 1), dtype=dtype)
    return parameters
