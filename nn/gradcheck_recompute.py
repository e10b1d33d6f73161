r"""Gradient checks of networks with batch norm, dropout or L2, by recomputing the whole forward pass.

``nn.gradcheck.check`` hands such networks here. Its fast path perturbs one layer's \(Z^{[l]}\)
linearly and runs only the layers above it; that shortcut does not hold when a layer
normalizes over the batch, when the cost depends on every \(W^{[l]}\) through the L2 penalty,
or when units are dropped. Here every probe runs the network's own forward pass
(``nn.network._forward``) from X on the perturbed parameters, with the dropout masks of the
checked forward pass held fixed, and the cost includes \(\tfrac{\lambda}{2m} \sum_l
\lVert W^{[l]} \rVert_F^2\). Only the trainable entries are perturbed (W, b, γ, β: not the
running averages, which get no gradient). Kinks are judged on what each \(g^{[l]}\) is applied
to (\(\tilde Z^{[l]}\) in a batch-norm layer). The reports are those of ``nn.gradcheck``.
"""

from __future__ import annotations

import types
import warnings

import numpy as np

from . import checks, gradcheck, losses, network


def needed(parameters, lambd, keep_prob) -> bool:
    """True when the network or the options go beyond W[l], b[l] and the plain cost."""
    plain_keep = not isinstance(keep_prob, (list, tuple, np.ndarray)) and keep_prob == 1
    batch_norm = isinstance(parameters, dict) and any(str(key).startswith("gamma") for key in parameters)
    return batch_norm or lambd != 0 or not plain_keep


def check(
    parameters, X, Y, activations, *, loss, mode, h, tolerance, seed, kinks, backward, directions, lambd, keep_prob
):
    """``nn.gradcheck.check`` for batch-norm, dropout or L2 networks; the arguments are check's."""
    AL, cache = network.forward_propagation(X, parameters, activations, keep_prob=keep_prob, seed=seed)
    losses.compute_cost(AL, Y, loss, parameters=parameters, lambd=lambd)
    g = checks.layer_activations(activations, len(activations))
    dtype = parameters["W1"].dtype
    default_h, default_tolerance = gradcheck.DEFAULTS.get(dtype, gradcheck.DEFAULTS[np.dtype(np.float32)])[mode]
    h = default_h if h is None else h
    tolerance = default_tolerance if tolerance is None else tolerance
    notes = []
    if dtype != np.float64:
        notes.append(f"{dtype} check: rounding hides errors below about {tolerance:g}; check in float64")
        warnings.warn(notes[-1], gradcheck.WeakCheckWarning, stacklevel=3)
    if mode == "complex":
        gradcheck._refuse_complex(g, cache)
    backward = network.backward_propagation if backward is None else backward
    grads = backward(AL, Y, cache, parameters, activations, loss, lambd=lambd)
    problem = _Problem(dict(parameters), cache, np.asarray(Y, dtype=dtype), g, loss, lambd)
    report = gradcheck.Report(False, {}, ("", (), 0.0, 0.0), {}, {}, {}, mode, kinks, dtype, tolerance, h, notes)
    keys = network.trainable(parameters)
    if mode == "directional":
        _directional(problem, grads, keys, h, directions, seed, kinks, report)
    else:
        for key in keys:
            if mode == "complex":
                numeric, outcomes = problem.complex_step(key, h), []
            else:
                numeric, outcomes = problem.central(key, h, kinks)
            gradcheck._compare_block(problem, key, grads[f"d{key}"], numeric, report)
            gradcheck._tally(report, key, outcomes)
    crossed = kinks == "fail" and any(report.crossings.values())
    report.passed = all(e <= tolerance for e in report.errors.values()) and not crossed
    if crossed:
        report.warnings.append(f"perturbations crossed a kink: {report.crossings} probes, counted as failures")
    return report


class _Problem:
    """J at any parameters, with the checked forward pass's dropout masks held fixed."""

    def __init__(self, params, cache, Y, g, loss, lambd):
        self.params, self.base, self.Y, self.g, self.loss, self.lambd = params, cache, Y, g, loss, lambd
        self.keep = {l: cache[f"keep_prob{l}"] for l in g if f"D{l}" in cache}
        self.m = cache["A0"].shape[1]

    def cost(self, params):
        """J and, per layer, what g[l] was applied to."""
        A, cache = network._forward(self.base["A0"], params, self.g, keep=self.keep, masks=self.base)
        L = len(self.g)
        logits = cache[f"Z{L}"] if losses.PAIRED_OUTPUT.get(self.loss) == self.g[L].name else None
        J = losses._cost(A, self.Y, self.loss, logits) + losses.l2_penalty(params, self.lambd, self.m)
        return J, {l: network.preactivation(cache, l) for l in self.g}

    def probe(self, v, h, kinks):
        """The central difference of J along v = {key: block}, and what a kink in between did to it
        ("" none crossed, "moved" a smaller step stayed on one side, "skipped", "crossed")."""
        step = h
        while True:
            (J_plus, Z_plus), (J_minus, Z_minus) = (
                self.cost({**self.params, **{key: self._moved(key, sign * step * block) for key, block in v.items()}})
                for sign in (1, -1)
            )
            crossed = any(
                (np.sign(Z_plus[l] - k) != np.sign(Z_minus[l] - k)).any() for l in self.g for k in self.g[l].kinks
            )
            if not crossed or kinks == "fail":
                outcome = "" if not crossed else "crossed"
                return (J_plus - J_minus) / (2 * step), "moved" if step < h and not crossed else outcome
            if kinks == "skip" or step / 2 < h / gradcheck.MOVE_LIMIT:
                return np.nan, "skipped"
            step /= 2

    def _moved(self, key, delta):
        return (self.params[key] + delta).astype(self.params[key].dtype, copy=False)

    def central(self, key, h, kinks):
        value = self.params[key]
        numeric, outcomes = np.empty(value.shape), []
        for index in np.ndindex(value.shape):
            e = np.zeros(value.shape, dtype=value.dtype)
            e[index] = 1
            numeric[index], outcome = self.probe({key: e}, h, kinks)
            outcomes.append(outcome)
        return numeric, outcomes

    def complex_step(self, key, h):
        """Im J(θ + ih e_i) / h for every entry of block ``key``, by the same forward pass on complex numbers."""
        params = {k: v.astype(complex) for k, v in self.params.items()}
        g = {l: types.SimpleNamespace(forward=gradcheck._complex_forward(act)) for l, act in self.g.items()}
        X, value = self.base["A0"].astype(complex), params[key]
        numeric = np.empty(value.shape)
        for index in np.ndindex(value.shape):
            original = value[index]
            value[index] = original + 1j * h
            A, _ = network._forward(X, params, g, keep=self.keep, masks=self.base)
            J = _complex_loss(A, self.Y, self.loss) + losses.l2_penalty(params, self.lambd, self.m)
            numeric[index] = np.imag(J) / h
            value[index] = original
        return numeric


def _complex_loss(A, Y, loss):
    """The cost by its formula, which continues to complex A (no clipping, no logits)."""
    m = A.shape[1]
    if loss == "mse":
        return np.sum((A - Y) ** 2) / m
    if loss == "cross_entropy":
        return -np.sum(Y * np.log(A)) / m
    return -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m


def _directional(problem, grads, keys, h, k, seed, kinks, report):
    """Compare ⟨g, v⟩ with the central difference along k random unit directions v of all the
    trainable entries; on failure, k more per block, each block on its own."""
    rng = np.random.default_rng(seed)
    for label, block_keys in [("all", keys)] + [(key, [key]) for key in keys]:
        analytic, numeric, outcomes = [], [], []
        while len(analytic) < k and len(outcomes) < 3 * k:
            v = {key: rng.standard_normal(problem.params[key].shape) for key in block_keys}
            norm = np.sqrt(sum(np.sum(block**2) for block in v.values()))
            v = {key: block / norm for key, block in v.items()}
            estimate, outcome = problem.probe(v, h, kinks)
            outcomes.append(outcome)
            if outcome != "skipped":
                analytic.append(sum(float(np.sum(grads[f"d{key}"] * block)) for key, block in v.items()))
                numeric.append(estimate)
        gradcheck._tally(report, label, outcomes)
        a, n = np.array(analytic), np.array(numeric)
        report.errors[label] = gradcheck.relative_error(a, n) if a.size else np.inf
        if label == "all":
            i = int(np.argmax(np.abs(a - n))) if a.size else 0
            report.worst = ("all", (i,), *(float(x[i]) if a.size else np.nan for x in (a, n)))
            if report.errors["all"] <= report.tolerance:
                return
