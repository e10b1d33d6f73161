r"""Gradient checking: compare backward's dW[l], db[l] with differences of the cost J.

For every parameter block \(\theta\) (W1, b1, ..., WL, bL) the checker reports the relative error

\[ \frac{\lVert g - \hat g \rVert_2}{\lVert g \rVert_2 + \lVert \hat g \rVert_2}, \qquad
   g = \text{backward's gradient}, \quad \hat g = \text{a numeric estimate from } J, \]

with three estimates: ``"full"``, the central difference \((J(\theta + h e_i) - J(\theta - h e_i))/2h\) on
every entry; ``"directional"``, the same along k random unit directions v of all parameters jointly,
compared with \(\langle g, v \rangle\) (a constant number of forward passes); ``"complex"``, the complex
step \(\operatorname{Im} J(\theta + i h e_i)/h\) with \(h = 10^{-20}\), exact to rounding but only for
analytic activations. A perturbation that moves a pre-activation \(Z^{[l]}\) across a kink of
\(g^{[l]}\) (relu at 0) makes the central difference meaningless there; such entries are skipped and
counted, or counted as failures with ``kinks="fail"``.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np

from . import activations as registry
from . import losses, network

MODES = ("full", "directional", "complex")
KINK_POLICIES = ("skip", "fail")
#: (h, tolerance) per dtype and mode; see docs/gradcheck.md for why.
DEFAULTS = {
    np.dtype(np.float64): {"full": (1e-6, 1e-7), "directional": (1e-5, 1e-7), "complex": (1e-20, 1e-12)},
    np.dtype(np.float32): {"full": (1e-3, 1e-2), "directional": (1e-2, 1e-2), "complex": (1e-20, 1e-2)},
}
DIRECTIONS = 4
#: ``directional`` runs ``full`` on a guilty block only up to this many entries.
FULL_LIMIT = 5000


class WeakCheckWarning(UserWarning):
    """A gradient check in float32: rounding hides bugs smaller than about 1e-2 in relative error."""


@dataclasses.dataclass
class Report:
    r"""The outcome of :func:`check`: printable (``str(report)``) and usable as data.

    ``errors`` maps a parameter name ("W1", "b1", ...) to its relative error; in ``directional``
    mode a passing check has the single row ``"all"`` (every parameter at once), and a failing
    one adds a row per parameter. ``worst`` is ``(param, index, analytic, numeric)`` where
    \(|g - \hat g|\) is largest; ``index`` is a direction number for the row ``"all"``.
    ``crossings`` counts the entries whose perturbation moved some \(Z^{[l]}\) across a kink,
    and ``skipped`` those of them left out of ``errors`` (all of them with ``kinks="skip"``).
    """

    passed: bool
    errors: dict[str, float]
    worst: tuple[str, tuple[int, ...], float, float]
    skipped: dict[str, int]
    crossings: dict[str, int]
    mode: str
    dtype: np.dtype
    tolerance: float
    h: float
    warnings: list[str]
    hint: str = ""

    def __str__(self) -> str:
        lines = [f"gradient check ({self.mode}, {self.dtype}, h = {self.h:g}, tolerance {self.tolerance:g})"]
        lines.append(f"  {'parameter':<10} {'relative error':>15} {'skipped':>8}")
        for key, error in self.errors.items():
            status = "ok" if error <= self.tolerance else "FAIL"
            lines.append(f"  {key:<10} {error:>15.3e} {self.skipped.get(key, 0):>8}  {status}")
        worst_error = max(self.errors.values(), default=0.0)
        verdict = "PASS" if self.passed else "FAIL"
        lines.append(f"{verdict}: largest relative error {worst_error:.3e} (tolerance {self.tolerance:g})")
        if not self.passed:
            key, index, analytic, numeric = self.worst
            where = f"direction {index[0]}" if key == "all" else f"d{key}{list(index)}"
            lines.append(f"  worst at {where}: backward {analytic:.6e}, numeric {numeric:.6e}")
            if self.hint:
                lines.append(f"  hint: {self.hint}")
        lines += [f"  warning: {text}" for text in self.warnings]
        return "\n".join(lines)


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
    kinks="skip",
    backward=None,
    directions=DIRECTIONS,
) -> Report:
    r"""Check backward's gradients against numeric differences of the cost.

    Args:
        parameters: ``{"W1", "b1", ...}``; not modified.
        X: inputs, ``(n[0], m)``.
        Y: targets, ``(n[L], m)``.
        activations: one activation name per layer.
        loss: ``"bce"``, ``"mse"`` or ``"cross_entropy"``.
        mode: ``"full"``, ``"directional"`` or ``"complex"``.
        h: the step; None takes :data:`DEFAULTS` for the parameters' dtype and the mode.
        tolerance: the largest passing relative error; None takes :data:`DEFAULTS`.
        seed: seed for the random directions of ``directional``.
        kinks: ``"skip"`` leaves out entries whose perturbation crosses a kink, ``"fail"`` fails on them.
        backward: the function under test, called like ``nn.backward_propagation``; None uses it.
        directions: the number k of random directions in ``directional`` mode.

    Returns:
        A :class:`Report`.

    Raises:
        ValueError: for bad inputs (as ``nn.forward_propagation`` and ``nn.compute_cost``), an
            unknown mode or policy, or ``mode="complex"`` with an activation that has a kink or
            whose forward does not accept complex input.

    Example:
        >>> parameters = {"W1": np.array([[0.5, -0.3]]), "b1": np.array([[0.1]])}
        >>> X, Y = np.array([[1.0, 2.0], [0.5, -1.0]]), np.array([[1.0, 0.0]])
        >>> check(parameters, X, Y, ["sigmoid"]).passed
        True
    """
    if mode not in MODES or kinks not in KINK_POLICIES:
        bad, value, valid = ("mode", mode, MODES) if mode not in MODES else ("kinks", kinks, KINK_POLICIES)
        raise ValueError(f"unknown {bad} {value!r}; valid: {', '.join(map(repr, valid))}")
    AL, cache = network.forward_propagation(X, parameters, activations)
    losses.compute_cost(AL, Y, loss)
    g = {l: registry.get(name) for l, name in enumerate(activations, start=1)}
    dtype = parameters["W1"].dtype
    default_h, default_tolerance = _defaults(dtype)[mode]
    h = default_h if h is None else h
    tolerance = default_tolerance if tolerance is None else tolerance
    notes = []
    if dtype != np.float64:
        notes.append(f"{dtype} check: rounding hides errors below about {tolerance:g}; check in float64")
        warnings.warn(notes[-1], WeakCheckWarning, stacklevel=2)
    if mode == "complex":
        for l in g:
            if not g[l].analytic:
                raise ValueError(
                    f"complex step needs analytic activations; {g[l].name} (layer {l}) has "
                    f"{'a kink' if len(g[l].kinks) == 1 else 'kinks'} at {', '.join(f'{k:g}' for k in g[l].kinks)}"
                    f" — use mode='full'"
                )
            if not _complex_safe(g[l], cache[f"Z{l}"]):
                raise ValueError(
                    f"complex step needs a forward that accepts complex input; {g[l].name} (layer {l}) uses "
                    f"real-only operations (its complex step disagrees with its central difference) — use mode='full'"
                )
    notes += _near_kinks(cache, g, 10 * h)
    backward = network.backward_propagation if backward is None else backward
    grads = backward(AL, Y, cache, parameters, activations, loss)
    params = {key: value.copy() for key, value in parameters.items()}
    problem = _Problem(params, cache["A0"], np.asarray(Y, dtype=dtype), g, loss)
    report = Report(False, {}, ("", (), 0.0, 0.0), {}, {}, mode, dtype, tolerance, h, notes)
    if mode == "directional":
        _directional(problem, grads, h, directions, seed, kinks, report)
    else:
        estimate = _complex_step if mode == "complex" else _central
        for key in params:
            _compare_block(problem, key, grads[f"d{key}"], estimate(problem, key, h, kinks, report), report)
    report.passed = all(e <= tolerance for e in report.errors.values()) and not (
        kinks == "fail" and any(report.crossings.values())
    )
    if kinks == "fail" and any(report.crossings.values()):
        report.warnings.append(f"perturbations crossed a kink: {report.crossings} entries, counted as failures")
    return report


@dataclasses.dataclass
class _Problem:
    params: dict[str, np.ndarray]
    X: np.ndarray
    Y: np.ndarray
    g: dict
    loss: str

    def cost(self, params=None):
        """J and the pre-activations Z[l] at ``params`` (default: the working copy)."""
        AL, cache = network._forward(self.X, self.params if params is None else params, self.g)
        L = len(self.g)
        logits = cache[f"Z{L}"] if losses.PAIRED_OUTPUT.get(self.loss) == self.g[L].name else None
        return losses._cost(AL, self.Y, self.loss, logits), [cache[f"Z{l}"] for l in self.g]

    def crosses(self, Z_plus, Z_minus) -> bool:
        """True if some Z[l] lies on different sides of a kink of g[l] at θ + h and θ − h."""
        return any(
            np.any(np.sign(Zp - k) != np.sign(Zm - k))
            for l, (Zp, Zm) in enumerate(zip(Z_plus, Z_minus, strict=True), start=1)
            for k in self.g[l].kinks
        )

    def complex_cost(self, params):
        """J on complex parameters, by the same formulas (sigmoid as 1/(1 + e^(-z)), no clipping)."""
        A = self.X.astype(complex)
        for l in self.g:
            Z = params[f"W{l}"] @ A + params[f"b{l}"]
            A = _complex_forward(self.g[l])(Z)
        m = A.shape[1]
        if self.loss == "mse":
            return np.sum((A - self.Y) ** 2) / m
        if self.loss == "cross_entropy":
            return -np.sum(self.Y * np.log(A)) / m
        return -np.sum(self.Y * np.log(A) + (1 - self.Y) * np.log(1 - A)) / m


def _complex_forward(act):
    """g for complex Z, where the stable forms compare or take the max of complex numbers.

    The sigmoid becomes 1/(1 + e^(-z)); softmax shifts each column by the max of its real
    parts, a real constant, which leaves it analytic and unchanged.
    """
    if act.name == "sigmoid":
        return lambda Z: 1 / (1 + np.exp(-Z))
    if act.name == "softmax":
        return lambda Z: _normalise(np.exp(Z - Z.real.max(axis=0, keepdims=True)))
    return act.forward


def _normalise(E):
    return E / E.sum(axis=0, keepdims=True)


def _complex_safe(act, Z) -> bool:
    """True if g's forward continues to complex z: Im g(z + ih)/h matches its central difference on Z.

    Softmax, not elementwise, has its own complex form in :func:`_complex_forward`.
    """
    if not act.elementwise:
        return True
    z = Z.ravel()[:256].astype(np.float64)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            step = np.imag(_complex_forward(act)(z + 1e-20j)) / 1e-20
    except (TypeError, ValueError, ArithmeticError, Warning):
        return False
    central = (act.forward(z + 1e-6) - act.forward(z - 1e-6)) / 2e-6
    return bool(np.all(np.isfinite(step)) and np.allclose(step, central, rtol=1e-5, atol=1e-8))


def _central(problem, key, h, kinks, report):
    value = problem.params[key]
    numeric = np.full(value.shape, np.nan)
    crossings = 0
    for index in np.ndindex(value.shape):
        original = value[index]
        value[index] = original + h
        plus, Z_plus = problem.cost()
        value[index] = original - h
        minus, Z_minus = problem.cost()
        value[index] = original
        if problem.crosses(Z_plus, Z_minus):
            crossings += 1
            if kinks == "skip":
                continue
        numeric[index] = (plus - minus) / (2 * h)
    report.crossings[key] = crossings
    report.skipped[key] = crossings if kinks == "skip" else 0
    return numeric


def _complex_step(problem, key, h, kinks, report):
    params = {k: v.astype(complex) for k, v in problem.params.items()}
    value = params[key]
    numeric = np.empty(value.shape)
    for index in np.ndindex(value.shape):
        original = value[index]
        value[index] = original + 1j * h
        numeric[index] = problem.complex_cost(params).imag / h
        value[index] = original
    report.crossings[key] = report.skipped[key] = 0
    return numeric


def _compare_block(problem, key, analytic, numeric, report):
    """Record the block's relative error over the entries not skipped; update worst and hint."""
    kept = ~np.isnan(numeric)
    report.errors[key] = relative_error(analytic[kept], numeric[kept])
    difference = np.where(kept, np.abs(analytic - np.where(kept, numeric, 0)), -1)
    index = np.unravel_index(int(np.argmax(difference)), difference.shape)
    previous = report.worst
    if not previous[0] or previous[0] == "all" or difference[index] > abs(previous[2] - previous[3]):
        report.worst = (key, tuple(int(i) for i in index), float(analytic[index]), float(numeric[index]))
        report.hint = _hint(key, analytic, numeric, kept, problem.X.shape[1])


def _directional(problem, grads, h, k, seed, kinks, report):
    rng = np.random.default_rng(seed)
    keys = list(problem.params)
    error, worst = _along_directions(problem, grads, keys, h, k, rng, kinks, report, "all")
    report.errors["all"] = error
    report.worst = ("all", *worst)
    if error <= report.tolerance:
        return
    for key in keys:
        report.errors[key], _ = _along_directions(problem, grads, [key], h, k, rng, kinks, report, key)
    guilty = max(keys, key=lambda key: report.errors[key])
    if problem.params[guilty].size <= FULL_LIMIT:
        numeric = _central(problem, guilty, _defaults(report.dtype)["full"][0], kinks, report)
        saved = report.errors.copy()
        report.worst = ("", (), 0.0, 0.0)
        _compare_block(problem, guilty, grads[f"d{guilty}"], numeric, report)
        report.errors = saved


def _along_directions(problem, grads, keys, h, k, rng, kinks, report, label):
    """Compare ⟨g, v⟩ with (J(θ + hv) − J(θ − hv))/2h for k random unit directions v over ``keys``."""
    analytic, numeric, crossings = [], [], 0
    for _ in range(3 * k):
        if len(analytic) == k:
            break
        v = {key: rng.standard_normal(problem.params[key].shape) for key in keys}
        norm = np.sqrt(sum(np.sum(block**2) for block in v.values()))
        dtype = report.dtype
        plus = {**problem.params, **{key: problem.params[key] + (h / norm * v[key]).astype(dtype) for key in keys}}
        minus = {**problem.params, **{key: problem.params[key] - (h / norm * v[key]).astype(dtype) for key in keys}}
        (J_plus, Z_plus), (J_minus, Z_minus) = problem.cost(plus), problem.cost(minus)
        if problem.crosses(Z_plus, Z_minus):
            crossings += 1
            if kinks == "skip":
                continue
        analytic.append(sum(float(np.sum(grads[f"d{key}"] * v[key])) for key in keys) / norm)
        numeric.append((J_plus - J_minus) / (2 * h))
    report.crossings[label] = crossings
    report.skipped[label] = crossings if kinks == "skip" else 0
    if not analytic:
        report.warnings.append(f"{label}: every direction crossed a kink; nothing was compared")
        return np.inf, ((0,), np.nan, np.nan)
    a, n = np.array(analytic), np.array(numeric)
    i = int(np.argmax(np.abs(a - n)))
    return relative_error(a, n), ((i,), float(a[i]), float(n[i]))


def _defaults(dtype) -> dict[str, tuple[float, float]]:
    """(h, tolerance) per mode for ``dtype``; float16 and other dtypes get float32's, which are already weak."""
    return DEFAULTS.get(np.dtype(dtype), DEFAULTS[np.dtype(np.float32)])


def relative_error(g, g_hat) -> float:
    """‖g − ĝ‖₂ / (‖g‖₂ + ‖ĝ‖₂), the course's gradient-check difference; 0 when both vanish."""
    denominator = np.linalg.norm(g) + np.linalg.norm(g_hat)
    return 0.0 if denominator == 0 else float(np.linalg.norm(g - g_hat) / denominator)


def _hint(key, analytic, numeric, kept, m) -> str:
    """A likely cause, stated only when the whole block fits it to 1e-3; else a pointer to the formula."""
    g, n = analytic[kept], numeric[kept]

    def fits(candidate) -> bool:
        return bool(np.linalg.norm(candidate - n) <= 1e-3 * np.linalg.norm(n) and np.linalg.norm(n) > 0)

    d = f"d{key}"
    if analytic.ndim == 2 and analytic.shape[0] == analytic.shape[1] and kept.all() and fits(analytic.T[kept]):
        return f"{d} is the transpose of the numeric gradient — dZ A[l-1]ᵀ written as A[l-1] dZᵀ?"
    for factor, cause in (
        (m, f"is off by a factor ≈ m = {m} — a missing 1/m?"),
        (1 / m, f"is off by a factor ≈ 1/m = 1/{m} — divided by m twice?"),
        (-1, "has the wrong sign (factor ≈ −1) — A − Y written as Y − A, or a sign dropped?"),
        (2, "is off by a factor ≈ 2 — the 2 of the square error counted twice?"),
        (0.5, "is off by a factor ≈ 1/2 — the 2 of the square error missing?"),
    ):
        if factor != 1 and fits(g / factor):
            return f"{d} {cause}"
    return f"{d} disagrees with the numeric gradient; compare its line of backward with the formula for {d}"


def _near_kinks(cache, g, distance) -> list[str]:
    """Notes on pre-activations Z[l] within ``distance`` of a kink of g[l]."""
    notes = []
    for l in g:
        for k in g[l].kinks:
            count = int(np.sum(np.abs(cache[f"Z{l}"] - k) <= distance))
            if count:
                notes.append(f"Z{l}: {count} pre-activation(s) within {distance:g} of the kink of {g[l].name} at {k:g}")
    return notes
