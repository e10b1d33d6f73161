r"""Batch normalization of a hidden layer's \(Z^{[l]}\) over the m samples of a batch.

A batch-norm layer has no \(b^{[l]}\) (the mean is subtracted, so a constant shift has no
effect); \(\beta^{[l]}\) takes its place. In training mode, on the columns of
\(Z^{[l]} = W^{[l]} A^{[l-1]}\):

\[ \mu = \frac{1}{m} \sum_{j} Z_{:,j}, \qquad \sigma^2 = \frac{1}{m} \sum_{j} (Z_{:,j} - \mu)^2, \qquad
   \hat Z = \frac{Z - \mu}{\sqrt{\sigma^2 + \varepsilon}}, \qquad
   \tilde Z = \gamma \odot \hat Z + \beta, \qquad A = g(\tilde Z), \]

with \(\varepsilon\) = :data:`EPSILON`. In inference mode (``training=False``, and always in
``predict``) μ and σ² are the running averages ``running_mean{l}`` and ``running_var{l}``, so
a single sample can be normalized. The derivation of the backward pass is
``batchnorm.backward``.
"""

from __future__ import annotations

import numpy as np

from . import checks
from .words import InputError, Text, described

#: ε of \(\sqrt{\sigma^2 + \varepsilon}\): it keeps the division finite when a unit is constant over the batch.
EPSILON = 1e-5
#: The running averages move by this fraction towards each batch's μ and σ²:
#: running ← (1 − MOMENTUM) running + MOMENTUM · batch.
MOMENTUM = 0.1


def forward(Z, parameters, l, cache, training=True):
    r"""Return \(\tilde Z^{[l]} = \gamma \odot \hat Z + \beta\) and store Ẑ, σ² (and μ) in the cache.

    Args:
        Z: \(Z^{[l]} = W^{[l]} A^{[l-1]}\), ``(n[l], m)``.
        parameters: holds ``gamma{l}``, ``beta{l}``, ``running_mean{l}``, ``running_var{l}``.
        l: the layer.
        cache: the forward pass's cache; gets ``Zhat{l}`` and ``Ztilde{l}``, and in training mode
            the batch's ``mu{l}`` and ``var{l}``.
        training: use the batch's μ and σ² (True) or the running averages (False).

    Returns:
        \(\tilde Z^{[l]}\), ``(n[l], m)``.

    Raises:
        ValueError: parameters without a batch-norm layer l (``gamma{l}``, ``beta{l}``, and with
            ``training=False`` the running averages) of Z's n[l] rows, or a cache that is not a dict.
    """
    _layer(Z, parameters, l, cache, training)
    # --8<-- [start:forward]
    if training:
        mu = Z.mean(axis=1, keepdims=True)
        var = ((Z - mu) ** 2).mean(axis=1, keepdims=True)  # σ² with 1/m
    else:
        mu, var = parameters[f"running_mean{l}"], parameters[f"running_var{l}"]
    Z_hat = (Z - mu) / np.sqrt(var + EPSILON)
    Z_tilde = parameters[f"gamma{l}"] * Z_hat + parameters[f"beta{l}"]
    # --8<-- [end:forward]
    cache[f"Zhat{l}"], cache[f"Ztilde{l}"] = Z_hat, Z_tilde
    if training:  # the batch statistics, for backward and the running averages; in inference mode μ and σ²
        cache[f"mu{l}"], cache[f"var{l}"] = mu, var  # are constants, and backward refuses such a cache
    return Z_tilde


def backward(dZ_tilde, cache, parameters, l):
    r"""Return \(d\gamma^{[l]}\), \(d\beta^{[l]}\) and \(dZ^{[l]}\) from \(d\tilde Z^{[l]}\) (training mode).

    With per-sample gradients (\(dZ = m\,\partial J/\partial Z\)) and sums over the m columns:

    \[ d\gamma = \tfrac{1}{m} \textstyle\sum_j d\tilde Z \odot \hat Z, \qquad
       d\beta = \tfrac{1}{m} \textstyle\sum_j d\tilde Z, \qquad
       d\hat Z = \gamma \odot d\tilde Z, \]
    \[ dZ = \frac{1}{m \sqrt{\sigma^2 + \varepsilon}}
       \Big( m\, d\hat Z - \textstyle\sum_j d\hat Z - \hat Z \odot \sum_j \big(d\hat Z \odot \hat Z\big) \Big). \]

    The two sums are what the mean and the variance contribute: every sample's
    \(\hat z\) depends on every sample's z through μ and σ².
    """
    m = dZ_tilde.shape[1]
    Z_hat, var = cache[f"Zhat{l}"], cache[f"var{l}"]
    # --8<-- [start:backward]
    dgamma = (dZ_tilde * Z_hat).sum(axis=1, keepdims=True) / m
    dbeta = dZ_tilde.sum(axis=1, keepdims=True) / m
    dZ_hat = parameters[f"gamma{l}"] * dZ_tilde
    mean_share = dZ_hat.sum(axis=1, keepdims=True)  # Σ_j dẐ: the path through μ
    variance_share = (dZ_hat * Z_hat).sum(axis=1, keepdims=True)  # Σ_j dẐ ⊙ Ẑ: the path through σ²
    dZ = (m * dZ_hat - mean_share - Z_hat * variance_share) / (m * np.sqrt(var + EPSILON))
    # --8<-- [end:backward]
    return dgamma, dbeta, dZ


def update_running_averages(parameters, cache):
    r"""Return the parameters with each batch-norm layer's running μ and σ² moved towards the batch's.

    \[ \text{running\_mean} \leftarrow (1 - k)\,\text{running\_mean} + k\,\mu, \qquad
       \text{running\_var} \leftarrow (1 - k)\,\text{running\_var} + k\,\sigma^2, \qquad k = 0.1, \]

    with μ and σ² of the training-mode forward pass that made ``cache``. Other entries are
    passed on unchanged.

    Raises:
        ValueError: a cache without the batch's ``mu{l}`` and ``var{l}``, shaped like the running
            averages, for each batch-norm layer l of the parameters.
    """
    updated = dict(parameters)
    for key in parameters:
        if key.startswith("running_mean"):
            l = key.removeprefix("running_mean")
            checks.batch_norm_entries(parameters, "parameters", [key, f"running_var{l}"], _statistics(l))
            checks.batch_norm_entries(cache, "cache", [f"mu{l}", f"var{l}"], _statistics(l), len(parameters[key]))
            # --8<-- [start:running]
            updated[f"running_mean{l}"] = (1 - MOMENTUM) * parameters[f"running_mean{l}"] + MOMENTUM * cache[f"mu{l}"]
            updated[f"running_var{l}"] = (1 - MOMENTUM) * parameters[f"running_var{l}"] + MOMENTUM * cache[f"var{l}"]
            # --8<-- [end:running]
    return updated


def _statistics(l) -> Text:
    """Why update_running_averages needs the batch's statistics of layer l."""
    return Text(
        f"update_running_averages moves running_mean{l} and running_var{l}, each (n[l], 1), towards the batch's "
        f"μ and σ², which a training-mode forward pass stores in its cache as mu{l} and var{l}",
        f"update_running_averages 把 running_mean{l} 和 running_var{l}（都是 (n[l], 1)）向这一批的 μ 和 σ² 移动，"
        f"训练模式的前向传播把它们以 mu{l} 和 var{l} 存进缓存",
    )


def _layer(Z, parameters, l, cache, training) -> None:
    """Raise unless ``parameters`` hold batch-norm layer l for Z's rows and ``cache`` is a dict to store into."""
    keys = [f"gamma{l}", f"beta{l}"] + ([] if training else [f"running_mean{l}", f"running_var{l}"])
    gammas = parameters if isinstance(parameters, dict) else {}
    layers = [str(key)[5:] for key in gammas if str(key).startswith("gamma")]
    reads = Text(", ".join(keys[:-1]) + f" and {keys[-1]}", "、".join(keys[:-1]) + f" 和 {keys[-1]}")
    checks.batch_norm_entries(parameters, "parameters", keys, Text(
        f"batch norm of layer l = {l!r} reads {reads}, each (n[l], 1) for a Z[l] of n[l] rows; "
        f"these parameters have batch-norm layers {', '.join(layers) or 'none'}",
        f"第 l = {l!r} 层的批归一化读取 {reads.zh}，对 n[l] 行的 Z[l] 每个都是 (n[l], 1)；"
        f"这些参数中的批归一化层是 {'、'.join(layers) or '无'}",
    ), Z.shape[0] if np.ndim(Z) == 2 else None)  # fmt: skip
    if not isinstance(cache, dict):
        raise InputError(Text(
            f"cache must be a dict, which forward fills with Zhat{l}, Ztilde{l} (and mu{l}, var{l}); got "
            f"{described(cache)}",
            f"cache 必须是字典，forward 往里面存入 Zhat{l}、Ztilde{l}（以及 mu{l}、var{l}）；而它{described(cache).zh}",
        ))  # fmt: skip
