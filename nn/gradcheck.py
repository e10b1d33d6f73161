r"""Gradient checking: compare backward's dW[l], db[l] with differences of the cost J.

For every parameter block \(\theta\) (W1, b1, ..., WL, bL) the checker reports the relative error

\[ \frac{\lVert g - \hat g \rVert_2}{\lVert g \rVert_2 + \lVert \hat g \rVert_2}, \qquad
   g = \text{backward's gradient}, \quad \hat g = \text{a numeric estimate from } J, \]

with three estimates: ``"full"``, the central difference \((J(\theta + h e_i) - J(\theta - h e_i))/2h\) on
every entry; ``"directional"``, the same along k random unit directions v of all parameters jointly,
compared with \(\langle g, v \rangle\) (a constant number of forward passes); ``"complex"``, the complex
step \(\operatorname{Im} J(\theta + i h e_i)/h\) with \(h = 10^{-20}\), exact to rounding but only for
analytic activations. A perturbation that moves a pre-activation \(Z^{[l]}\) across a kink of
\(g^{[l]}\) (relu at 0) makes the central difference meaningless there. By default (``kinks="move"``)
such a probe is repeated with a step small enough to stay on one side of every kink, and skipped
only when a pre-activation sits on the kink itself; ``"skip"`` skips every such probe and ``"fail"``
counts it as a failure. J is computed from the logits \(Z^{[L]}\) when the output activation is
the one paired with the loss (sigmoid with bce, softmax with cross_entropy), so a saturated output
does not make the numeric gradient wrong.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np

from . import activations as registry
from . import losses, network

MODES = ("full", "directional", "complex")
KINK_POLICIES = ("move", "skip", "fail")
#: (h, tolerance) per dtype and mode; see docs/gradcheck.md for why.
DEFAULTS = {
    np.dtype(np.float64): {"full": (1e-6, 1e-7), "directional": (1e-5, 1e-7), "complex": (1e-20, 1e-12)},
    np.dtype(np.float32): {"full": (1e-3, 1e-2), "directional": (1e-2, 1e-2), "complex": (1e-20, 1e-2)},
}
DIRECTIONS = 4
#: ``kinks="move"`` takes no step below h / MOVE_LIMIT, where the rounding error of a central
#: difference, which grows as 1/step, is a hundred times that at h (about 2e-8 J in float64
#: ``full``); a pre-activation closer to its kink than that makes it skip the probe.
MOVE_LIMIT = 100
#: a failing ``directional`` check runs ``full`` on the guilty block when that costs at most this
#: many multiply-adds, counting :data:`PASS_OVERHEAD` for the Python around each forward pass
#: (about 0.1 s); otherwise it bisects the block.
FULL_WORK = 10**8
PASS_OVERHEAD = 10**5
#: random directions per half in that bisection.
BISECT_DIRECTIONS = 2


class WeakCheckWarning(UserWarning):
    """A gradient check in float32: rounding hides bugs smaller than about 1e-2 in relative error."""


@dataclasses.dataclass
class Report:
    r"""The outcome of :func:`check`: printable (``str(report)``) and usable as data.

    ``errors`` maps a parameter name ("W1", "b1", ...) to its relative error; in ``directional``
    mode a passing check has the single row ``"all"`` (every parameter at once), and a failing
    one adds a row per parameter. ``worst`` is ``(param, index, analytic, numeric)`` where
    \(|g - \hat g|\) is largest; ``index`` is a direction number for the row ``"all"``. When a
    failing ``directional`` check locates the entry by bisection (``bisected``), ``worst`` is an
    entry where the error is large, not necessarily the largest.
    ``crossings`` counts, per row, the probes (entries, or directions) whose perturbation by
    \(\pm h\) moved some \(Z^{[l]}\) across a kink of \(g^{[l]}\); ``moved`` those of them
    compared with a smaller step instead and ``skipped`` those left out of ``errors``.
    """

    passed: bool
    errors: dict[str, float]
    worst: tuple[str, tuple[int, ...], float, float]
    moved: dict[str, int]
    skipped: dict[str, int]
    crossings: dict[str, int]
    mode: str
    kinks: str
    dtype: np.dtype
    tolerance: float
    h: float
    warnings: list[str]
    hint: str = ""
    bisected: bool = False

    def __str__(self) -> str:
        kinks = "" if self.mode == "complex" else f", kinks: {self.kinks}"
        lines = [
            f"gradient check ({self.mode}, {self.dtype}, h = {self.h:g}, tolerance {self.tolerance:g}{kinks})",
            f"  {'parameter':<10} {'relative error':>15} {'moved':>6} {'skipped':>8}",
        ]
        for key, error in self.errors.items():
            status = "ok" if error <= self.tolerance else "FAIL"
            moved, skipped = self.moved.get(key, 0), self.skipped.get(key, 0)
            lines.append(f"  {key:<10} {error:>15.3e} {moved:>6} {skipped:>8}  {status}")
        worst_error = max(self.errors.values(), default=0.0)
        verdict = "PASS" if self.passed else "FAIL"
        lines.append(f"{verdict}: largest relative error {worst_error:.3e} (tolerance {self.tolerance:g})")
        if not self.passed:
            key, index, analytic, numeric = self.worst
            where = f"direction {index[0]}" if key == "all" else f"d{key}{list(index)}"
            found = "found by bisection" if self.bisected else "worst"
            lines.append(f"  {found} at {where}: backward {analytic:.6e}, numeric {numeric:.6e}")
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
        h: the step; None takes :data:`DEFAULTS` for the parameters' dtype and the mode.
        tolerance: the largest passing relative error; None takes :data:`DEFAULTS`.
        seed: seed for the random directions of ``directional``.
        kinks: what to do with a probe whose \(\pm h\) perturbation moves some \(Z^{[l]}\) across
            a kink of \(g^{[l]}\): ``"move"`` repeats it with a step that stays on one side
            (skipping it if a \(Z^{[l]}\) sits on the kink), ``"skip"`` leaves it out, ``"fail"``
            fails the check.
        backward: the function under test, called like ``nn.backward_propagation``; None uses it.
        directions: the number k of random directions in ``directional`` mode.
        lambd: the L2 strength λ; the cost then includes (λ/2m) Σ ‖W[l]‖² and ``backward`` is
            called with ``lambd=λ``.
        keep_prob: inverted dropout, as in ``nn.forward_propagation``; the masks are drawn once
            with ``seed`` and held fixed, so J is a smooth function of the parameters.

    Batch-norm networks, dropout and L2 are checked by :mod:`nn.gradcheck_recompute`, which
    runs the whole forward pass for every probe and leaves the running averages alone.

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
    from . import gradcheck_recompute

    if gradcheck_recompute.needed(parameters, lambd, keep_prob):
        options = {"mode": mode, "h": h, "tolerance": tolerance, "seed": seed, "kinks": kinks, "backward": backward}
        return gradcheck_recompute.check(
            parameters, X, Y, activations, loss=loss, directions=directions, lambd=lambd, keep_prob=keep_prob, **options
        )
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
        _refuse_complex(g, cache)
    notes += _near_kinks(cache, g, 10 * h)
    backward = network.backward_propagation if backward is None else backward
    grads = backward(AL, Y, cache, parameters, activations, loss)
    problem = _Problem(dict(parameters), cache, np.asarray(Y, dtype=dtype), g, loss)
    report = Report(False, {}, ("", (), 0.0, 0.0), {}, {}, {}, mode, kinks, dtype, tolerance, h, notes)
    if mode == "directional":
        _directional(problem, grads, h, directions, seed, kinks, report)
    elif mode == "complex":
        for key in parameters:
            _compare_block(problem, key, grads[f"d{key}"], _complex_step(problem, key, h), report)
            _tally(report, key, [])
    else:
        for key in parameters:
            numeric, outcomes = _central(problem, key, h, kinks)
            _compare_block(problem, key, grads[f"d{key}"], numeric, report)
            _tally(report, key, outcomes)
    crossed = kinks == "fail" and any(report.crossings.values())
    report.passed = all(e <= tolerance for e in report.errors.values()) and not crossed
    if crossed:
        report.warnings.append(f"perturbations crossed a kink: {report.crossings} probes, counted as failures")
    return report


@dataclasses.dataclass
class _Problem:
    params: dict[str, np.ndarray]
    base: dict[str, np.ndarray]  # forward_propagation's cache at params: A0 = X, Z1, A1, ...
    Y: np.ndarray
    g: dict
    loss: str

    def cost(self, params, start, Z_start):
        """J and the pre-activations {l: Z[l]} of layers ``start`` to L, given Z[start]; the layers
        above it run forward with ``params``."""
        Z = {start: Z_start}
        A = self.g[start].forward(Z_start)
        for l in range(start + 1, len(self.g) + 1):
            Z[l] = params[f"W{l}"] @ A + params[f"b{l}"]
            A = self.g[l].forward(Z[l])
        L = len(self.g)
        logits = Z[L] if losses.PAIRED_OUTPUT.get(self.loss) == self.g[L].name else None
        return losses._cost(A, self.Y, self.loss, logits), Z

    def shifted(self, v):
        """A function of the step: ``[(J, Z) at θ + step·v, (J, Z) at θ − step·v]`` for a direction
        v = {key: block}.

        Z[l] = W[l] A[l-1] + b[l] is linear in W[l] and b[l], so for the lowest layer l that v
        touches it is Z[l] ± step·dZ with dZ = v_W A[l-1] + v_b, computed once (on the rows of
        v_W that are not zero) from the cached A[l-1]: the layers below never run, and the
        perturbation is not rounded away against W[l]. The layers above run forward.
        """
        start = min(_layer(key) for key in v)
        dZ = np.zeros(self.base[f"Z{start}"].shape)
        if f"W{start}" in v:
            V = v[f"W{start}"]
            rows = np.flatnonzero(V.any(axis=1))
            dZ[rows] = V[rows] @ self.base[f"A{start - 1}"]
        if f"b{start}" in v:
            dZ += v[f"b{start}"]
        return self.line(start, dZ, {key: v[key] for key in v if _layer(key) > start})

    def line(self, start, dZ, above):
        """A function of the step: (J, Z) with Z[start] + step·dZ and the parameters above it
        moved by step·``above`` = {key: block}, and the same with −step."""
        dtype, Z = self.params["W1"].dtype, self.base[f"Z{start}"]

        def at(step):
            return [
                self.cost(
                    {
                        **self.params,
                        **{key: self.params[key] + (sign * step * block).astype(dtype) for key, block in above.items()},
                    },
                    start,
                    (Z + sign * step * dZ).astype(dtype),
                )
                for sign in (1, -1)
            ]

        return at

    def safe_step(self, Z_plus, Z_minus, h):
        """None if no Z[l] lies on different sides of a kink of g[l] at θ + h and θ − h; else half
        the step at which the first of those units would reach its kink, moving linearly from its
        base value at the rate |Z₊ − Z₋| / 2h (0 for a unit sitting on its kink)."""
        reach = []
        for l, Zp in Z_plus.items():
            for k in self.g[l].kinks:
                crossed = np.sign(Zp - k) != np.sign(Z_minus[l] - k)
                if crossed.any():
                    rate = np.abs(Zp[crossed] - Z_minus[l][crossed]) / (2 * h)
                    reach.append(float(np.min(np.abs(self.base[f"Z{l}"][crossed] - k) / rate)))
        return min(reach) / 2 if reach else None

    def complex_cost(self, params):
        """J on complex parameters, by the same formulas (sigmoid as 1/(1 + e^(-z)), no clipping)."""
        A = self.base["A0"].astype(complex)
        for l in self.g:
            Z = params[f"W{l}"] @ A + params[f"b{l}"]
            A = _complex_forward(self.g[l])(Z)
        m = A.shape[1]
        if self.loss == "mse":
            return np.sum((A - self.Y) ** 2) / m
        if self.loss == "cross_entropy":
            return -np.sum(self.Y * np.log(A)) / m
        return -np.sum(self.Y * np.log(A) + (1 - self.Y) * np.log(1 - A)) / m

    def work(self, start):
        """Multiply-adds of one forward pass from layer ``start``."""
        return sum(self.params[f"W{l}"].size for l in range(start, len(self.g) + 1)) * self.base["A0"].shape[1]


def _layer(key) -> int:
    return int(key[1:])


def _probe(problem, at, h, kinks):
    """The central difference of J along a direction (``at`` from :meth:`_Problem.shifted`), and
    what a kink in between did to it.

    Returns ``(estimate, outcome)``; outcome "" means no kink was crossed, "moved" a smaller
    step stayed on one side, "skipped" (estimate nan) no step of at least h/MOVE_LIMIT did, or
    the policy skips, and "crossed" that the policy fails.
    """
    (J_plus, Z_plus), (J_minus, Z_minus) = at(h)
    step = problem.safe_step(Z_plus, Z_minus, h)
    if step is None or kinks == "fail":
        return (J_plus - J_minus) / (2 * h), "" if step is None else "crossed"
    while kinks == "move" and step >= h / MOVE_LIMIT:
        (J_plus, Z_plus), (J_minus, Z_minus) = at(step)
        if problem.safe_step(Z_plus, Z_minus, step) is None:
            return (J_plus - J_minus) / (2 * step), "moved"
        step /= 2
    return np.nan, "skipped"


def _tally(report, label, outcomes):
    report.crossings[label] = sum(outcome != "" for outcome in outcomes)
    report.moved[label] = outcomes.count("moved")
    report.skipped[label] = outcomes.count("skipped")


def _unit(value, index):
    e = np.zeros(value.shape)
    e[index] = 1.0
    return e


def _central(problem, key, h, kinks):
    """Central differences on every entry of block ``key``, and each probe's outcome."""
    value = problem.params[key]
    numeric, outcomes = np.empty(value.shape), []
    for index in np.ndindex(value.shape):
        numeric[index], outcome = _probe(problem, problem.shifted({key: _unit(value, index)}), h, kinks)
        outcomes.append(outcome)
    return numeric, outcomes


def _complex_step(problem, key, h):
    params = {k: v.astype(complex) for k, v in problem.params.items()}
    value = params[key]
    numeric = np.empty(value.shape)
    for index in np.ndindex(value.shape):
        original = value[index]
        value[index] = original + 1j * h
        numeric[index] = problem.complex_cost(params).imag / h
        value[index] = original
    return numeric


def _compare_block(problem, key, analytic, numeric, report):
    """Record the block's relative error over the entries not skipped; if no block so far has a
    larger one, make its entry of largest |g − ĝ| the worst and take its hint."""
    kept = ~np.isnan(numeric)
    report.errors[key] = relative_error(analytic[kept], numeric[kept])
    if report.worst[0] in report.errors and report.errors[report.worst[0]] >= report.errors[key]:
        return
    difference = np.where(kept, np.abs(analytic - np.where(kept, numeric, 0)), -1)
    index = np.unravel_index(int(np.argmax(difference)), difference.shape)
    report.worst = (key, tuple(int(i) for i in index), float(analytic[index]), float(numeric[index]))
    report.hint = _hint(key, analytic, lambda G: G[kept], numeric[kept], problem.base["A0"].shape[1])


def _directional(problem, grads, h, k, seed, kinks, report):
    """Check along k directions of all parameters; on failure, narrow down to a block and an entry."""
    rng = np.random.default_rng(seed)
    keys = list(problem.params)
    a, n, _, outcomes = _along(problem, grads, _directions(rng, problem.params, keys), h, k, kinks)
    _tally(report, "all", outcomes)
    report.errors["all"] = _direction_error(a, n, "all", report)
    i = int(np.argmax(np.abs(a - n))) if a.size else 0
    report.worst = ("all", (i,), *(float(x[i]) if a.size else np.nan for x in (a, n)))
    if report.errors["all"] <= report.tolerance:
        return
    blocks = {}
    for key in keys:
        blocks[key] = _along(problem, grads, _directions(rng, problem.params, [key]), h, k, kinks)
        _tally(report, key, blocks[key][3])
        report.errors[key] = _direction_error(*blocks[key][:2], key, report)
    guilty = max(keys, key=lambda key: report.errors[key])
    analytic = grads[f"d{guilty}"]
    if 2 * analytic.size * (problem.work(_layer(guilty)) + PASS_OVERHEAD) <= FULL_WORK:
        numeric, _ = _central(problem, guilty, _defaults(report.dtype)["full"][0], kinks)
        saved, report.worst = report.errors.copy(), ("", (), 0.0, 0.0)
        _compare_block(problem, guilty, analytic, numeric, report)
        report.errors = saved
        return
    index, numeric = _bisect(problem, grads, guilty, h, rng, kinks)
    report.worst, report.bisected = (guilty, index, float(analytic[index]), numeric), True
    _, n, used, _ = blocks[guilty]
    m = problem.base["A0"].shape[1]
    report.hint = _hint(guilty, analytic, lambda G: np.array([np.sum(G * v[guilty]) for v in used]), n, m)


def _directions(rng, params, keys):
    """Endless random unit directions over the blocks ``keys``."""
    while True:
        v = {key: rng.standard_normal(params[key].shape) for key in keys}
        norm = np.sqrt(sum(np.sum(block**2) for block in v.values()))
        yield {key: block / norm for key, block in v.items()}


def _along(problem, grads, directions, h, k, kinks):
    """⟨g, v⟩ and (J(θ + hv) − J(θ − hv))/2h for k directions v, drawing up to 3k to replace skipped ones.

    Returns the analytic and numeric arrays, the directions compared, and every probe's outcome.
    """
    analytic, numeric, used, outcomes = [], [], [], []
    while len(used) < k and len(outcomes) < 3 * k:
        v = next(directions)
        estimate, outcome = _probe(problem, problem.shifted(v), h, kinks)
        outcomes.append(outcome)
        if outcome != "skipped":
            analytic.append(sum(float(np.sum(grads[f"d{key}"] * block)) for key, block in v.items()))
            numeric.append(estimate)
            used.append(v)
    return np.array(analytic), np.array(numeric), used, outcomes


def _direction_error(analytic, numeric, label, report) -> float:
    if analytic.size:
        return relative_error(analytic, numeric)
    report.warnings.append(f"{label}: every direction crossed a kink; nothing was compared")
    return np.inf


def _bisect(problem, grads, key, h, rng, kinks):
    """An entry of block ``key`` where backward disagrees, and its central difference.

    Splits the block's entries (in row-major order) in two, keeps the half whose directional
    checks disagree more (|⟨g − ĝ, v⟩| grows with the error in the half v spans), and repeats
    until one entry is left: about 8 log₂(size) forward passes from the block's layer up.
    """
    value = problem.params[key]
    lo, hi = 0, value.size
    while hi - lo > 1:
        middle = (lo + hi) // 2
        halves = ((lo, middle), (middle, hi))
        gaps = [
            sum(_gap(problem, grads, key, *half, h, rng, kinks) for _ in range(BISECT_DIRECTIONS)) for half in halves
        ]
        lo, hi = halves[int(np.argmax(gaps))]
    index = tuple(int(i) for i in np.unravel_index(lo, value.shape))
    at = problem.shifted({key: _unit(value, index)})
    numeric, _ = _probe(problem, at, _defaults(value.dtype)["full"][0], kinks)
    return index, float(numeric)


def _gap(problem, grads, key, lo, hi, h, rng, kinks) -> float:
    """(⟨g, v⟩ − (J(θ + hv) − J(θ − hv))/2h)² for a random unit direction v over the entries
    lo..hi − 1 of block ``key`` (0 if a kink skips it); dZ comes from the rows those entries span."""
    l, width = _layer(key), problem.params[key].shape[1]
    v = rng.standard_normal(hi - lo)
    v /= np.linalg.norm(v)
    dZ = np.zeros(problem.base[f"Z{l}"].shape)
    if key.startswith("W"):
        first, last = lo // width, (hi - 1) // width + 1
        rows = np.zeros((last - first) * width)
        rows[lo - first * width : hi - first * width] = v
        dZ[first:last] = rows.reshape(-1, width) @ problem.base[f"A{l - 1}"]
    else:
        dZ[lo:hi] = v[:, None]
    estimate, outcome = _probe(problem, problem.line(l, dZ, {}), h, kinks)
    return 0.0 if outcome == "skipped" else (float(grads[f"d{key}"].ravel()[lo:hi] @ v) - estimate) ** 2


def _refuse_complex(g, cache):
    """Raise unless every activation is analytic and its forward continues to complex input."""
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


def _complex_forward(act):
    """g for complex Z: the stable sigmoid compares |z|, which is not analytic, so use 1/(1 + e^(-z)).

    Softmax's own forward serves as it is: the column max it subtracts is a complex constant
    for complex Z, and softmax is unchanged by any constant shift.
    """
    return (lambda Z: 1 / (1 + np.exp(-Z))) if act.name == "sigmoid" else act.forward


def _complex_safe(act, Z) -> bool:
    """True if g's forward continues to complex z: Im g(z + ih)/h matches its central difference on Z.

    Softmax is not elementwise, so an entry-by-entry comparison does not apply to it.
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


def _defaults(dtype) -> dict[str, tuple[float, float]]:
    """(h, tolerance) per mode for ``dtype``; float16 and other dtypes get float32's, which are already weak."""
    return DEFAULTS.get(np.dtype(dtype), DEFAULTS[np.dtype(np.float32)])


def relative_error(g, g_hat) -> float:
    """‖g − ĝ‖₂ / (‖g‖₂ + ‖ĝ‖₂), the course's gradient-check difference; 0 when both vanish."""
    denominator = np.linalg.norm(g) + np.linalg.norm(g_hat)
    return 0.0 if denominator == 0 else float(np.linalg.norm(g - g_hat) / denominator)


def _hint(key, analytic, project, numeric, m) -> str:
    """A likely cause, stated only when it fits the whole block to 1e-3; else a pointer to the formula.

    ``project`` maps an array shaped like the block to what ``numeric`` estimates: its entries
    (``full``) or its inner products with the directions (``directional``).
    """
    n = numeric

    def fits(candidate) -> bool:
        return bool(np.linalg.norm(candidate - n) <= 1e-3 * np.linalg.norm(n) and np.linalg.norm(n) > 0)

    d, g = f"d{key}", project(analytic)
    square = analytic.ndim == 2 and analytic.shape[0] == analytic.shape[1]
    if square and fits(project(analytic.T)) and not fits(g):
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
