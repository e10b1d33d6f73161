r"""The numeric estimates \(\hat g\) of a gradient, on any problem that can evaluate J.

A *problem* (``problems.NetworkProblem`` for nn's network, ``problems.FunctionProblem`` for a
learner's own cost) offers ``params``, ``shifted(v)`` (J at \(\theta \pm \text{step}\cdot v\)),
``safe_step`` (how far a probe can go without crossing a kink) and ``complex_cost``. The
estimates here only call those, so they serve both:

- :func:`central_noise`: \((J(\theta + h e_i) - J(\theta - h e_i))/2h\) on every entry of a block;
- :func:`probe`: the same along one direction, with the kink policy applied;
- :func:`complex_step`: \(\operatorname{Im} J(\theta + i h e_i)/h\) on every entry of a block;
- :func:`directions`: the random unit directions of ``directional`` mode.

Every estimate also carries its own error bound (:func:`noisy_probe`, :func:`central_noise`,
:func:`complex_noise`): the rounding of J at the probe points, \(\kappa\,\varepsilon\,(|J_+| + |J_-|)/2h\),
plus twice the change of the estimate between h and h/2 (which holds the truncation error, and
the rounding at both steps, whatever made it), plus the largest such change in the same block
(the block's rounding is the same for all its entries, so one entry's chance agreement between
h and h/2 does not make its bound too small). The complex step has no truncation to speak of;
its bound is the change between h and a step \(\sqrt 2 h\) whose rounding falls differently,
times a safety factor, which also covers the rounding of the analytic gradient when both are sums
of the same cancelling terms. Where a bound is large against its estimate, ``full`` and
``directional`` try other steps (:func:`best_step`).
"""

from __future__ import annotations

import numpy as np

from .words import InputError

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
#: κ: the ulps of rounding allowed in each value of J in the rounding term κ ε (|J₊| + |J₋|)/2h.
ROUNDING = 8
#: The complex step's noise bound: the largest change of the estimate when h is multiplied by
#: each factor (not a power of 2, so rounding falls differently), times COMPLEX_SAFETY, since one
#: change is one sample of the rounding, and the analytic gradient's own rounding in a cancelling
#: sum (a mean of ±0.5 terms, say) is of the same size but falls elsewhere.
COMPLEX_STEPS = (np.sqrt(2),)
COMPLEX_SAFETY = 8
#: ``full`` tries other steps for a block whose noise bound is more than this share of its estimate.
RESOLUTION = 1e-4
#: ... by factors of ten, up to this many times h either way.
STEP_RANGE = 10_000
#: A step other than h is kept only where the estimate changes by at most this share between it and its half.
ASYMPTOTIC = 1e-2
#: A block whose relative error exceeds the tolerance but stays within its noise bound passes only
#: if that bound, as a relative error ‖b‖/(‖g‖ + ‖ĝ‖), is at most FLOOR; otherwise it cannot be
#: told right or wrong. A passing block within noise therefore has ‖g − ĝ‖ ≤ ‖b‖ ≤ 10⁻³ (‖g‖ + ‖ĝ‖):
#: an error δ in every entry passes within noise only if δ ≤ 10⁻³ (2 + δ), so one of 0.21 % or more (a
#: factor 1.0021 or 0.9979) fails or cannot be told unless the tolerance itself passes its relative error
#: δ/(2 + δ): float64's 1e-7 never does, float32's 1e-2 does up to δ = 2 %.
FLOOR = 1e-3


class NonFiniteCost(InputError):
    """A learner's cost that is inf or nan at a probe point: no difference can be taken there. An
    :class:`~nn.words.InputError`, so its message is in English and in Chinese."""


def defaults(dtype) -> dict[str, tuple[float, float]]:
    """(h, tolerance) per mode for ``dtype``: a dtype at least as precise as float64 (np.longdouble) gets float64's,
    since J comes back as a Python float; float16 and any other less precise dtype gets float32's, which are
    already weak for it."""
    return DEFAULTS[np.dtype(np.float64 if as_precise_as_float64(dtype) else np.float32)]


def as_precise_as_float64(dtype) -> bool:
    """Whether the floats of ``dtype`` (or of its real part) are at least as fine as float64's."""
    return bool(np.finfo(dtype).eps <= np.finfo(np.float64).eps)


def relative_error(g, g_hat) -> float:
    """‖g − ĝ‖₂ / (‖g‖₂ + ‖ĝ‖₂), the course's gradient-check difference; 0 when both vanish."""
    denominator = np.linalg.norm(g) + np.linalg.norm(g_hat)
    return 0.0 if denominator == 0 else float(np.linalg.norm(g - g_hat) / denominator)


def probe(problem, at, h, kinks):
    """The central difference of J along a direction (``at`` from ``problem.shifted``), and
    what a kink in between did to it.

    Returns ``(estimate, outcome)``; outcome "" means no kink was crossed, "moved" a smaller
    step stayed on one side, "skipped" (estimate nan) no step of at least h/MOVE_LIMIT did, or
    the policy skips, and "crossed" that the policy fails.
    """
    estimate, outcome, _, _ = _probe(problem, at, h, kinks)
    return estimate, outcome


def noisy_probe(problem, at, h, kinks):
    """:func:`probe` with the parts of its error bound: ``(estimate, outcome, rounding, change)``,
    where rounding is κ ε (|J₊| + |J₋|)/2h at the step taken and change is the estimate at that
    step minus the one at half of it (nan for a skipped probe)."""
    estimate, outcome, step, J = _probe(problem, at, h, kinks)
    if step is None:
        return np.nan, outcome, np.nan, np.nan
    (half_plus, _), (half_minus, _) = at(step / 2)
    rounding = ROUNDING * epsilon(problem) * J / (2 * step)
    return estimate, outcome, rounding, estimate - (half_plus - half_minus) / step


def _probe(problem, at, h, kinks):
    """``(estimate, outcome, step, |J₊| + |J₋|)`` of :func:`probe`; step None for a skipped probe."""
    (J_plus, Z_plus), (J_minus, Z_minus) = at(h)
    step = problem.safe_step(Z_plus, Z_minus, h)
    if step is None or kinks == "fail":
        return (J_plus - J_minus) / (2 * h), "" if step is None else "crossed", h, abs(J_plus) + abs(J_minus)
    while kinks == "move" and step >= h / MOVE_LIMIT:
        (J_plus, Z_plus), (J_minus, Z_minus) = at(step)
        if problem.safe_step(Z_plus, Z_minus, step) is None:
            return (J_plus - J_minus) / (2 * step), "moved", step, abs(J_plus) + abs(J_minus)
        step /= 2
    return np.nan, "skipped", None, np.nan


def bound(rounding, change):
    """Each probe's error bound: its rounding term, twice its own change between h and h/2, and the
    largest change among the probes of its block (nan for skipped probes)."""
    change = np.abs(change)
    largest = np.nanmax(change) if np.any(~np.isnan(change)) else 0.0
    return rounding + 2 * change + largest


def central_noise(problem, key, h, kinks):
    """:func:`noisy_probe` on every entry of block ``key``: ``(numeric, bound, outcomes, step)``,
    at the step :func:`best_step` finds from h."""
    measure = lambda step: _central_at(problem, key, step, kinks)  # noqa: E731
    numeric, _, _, outcomes, noise, step = best_step(measure, h, kinks, default_step(problem, "full"))
    return numeric, noise, outcomes, step


def default_step(problem, mode) -> float:
    """The default h of ``mode`` for the problem's precision: float64's when J is as fine as float64's, else
    float32's."""
    finest = epsilon(problem) <= float(np.finfo(np.float64).eps)
    return DEFAULTS[np.dtype(np.float64 if finest else np.float32)][mode][0]


def best_step(measure, h, kinks, default=np.inf):
    """``measure(h)``, or at another step when its noise bound is large against the estimate.

    ``measure(step)`` returns ``(numeric, rounding, change, outcomes, bound, step)``. When the
    bound is more than :data:`RESOLUTION` of the estimate, the probes are repeated with steps ten
    times larger while rounding dominates the bound (or ten times smaller while truncation does),
    up to :data:`STEP_RANGE` times h either way, and the step whose bound is smallest is kept, as
    long as the estimate changes by at most :data:`ASYMPTOTIC` of itself between that step and its
    half (a step so large that J saturates along it changes little and bounds nothing);
    not with ``kinks="fail"``, which compares at h whatever crosses. When an h above ``default`` (the
    mode's default step for the dtype) is itself not small for J (:func:`_small_for_J`), smaller
    steps are tried, down to h / STEP_RANGE, and the first whose estimate changes by at most
    ASYMPTOTIC is kept; if none is (or with ``kinks="fail"``), every bound is inf, so that a block
    whose relative error exceeds the tolerance cannot be told rather than fails.
    """
    best = current = measure(h)
    large = h > default and not _small_for_J(best)  # too large a step for J: its change bounds nothing
    rounding_dominates = np.nansum(best[1] ** 2) > np.nansum(best[2] ** 2) and not large
    factor, step = (10.0 if rounding_dominates else 0.1), h
    while kinks != "fail" and (large or _resolution(current[0], current[4]) > RESOLUTION):
        step *= factor
        if not h / STEP_RANGE <= step <= h * STEP_RANGE:
            break
        try:
            current = measure(step)
        except NonFiniteCost:  # a learner's cost is not finite this far out: keep the last step
            break
        if not large and not np.linalg.norm(np.nan_to_num(current[4])) < np.linalg.norm(np.nan_to_num(best[4])):
            break
        if np.linalg.norm(np.nan_to_num(current[2])) > ASYMPTOTIC * np.linalg.norm(np.nan_to_num(current[0])):
            if large:
                continue
            break  # the step is no longer small for J: the change between h and h/2 no longer bounds the error
        best, large = current, False
    if large:  # no step within range is small for J: the estimate's error has no bound, and the block cannot be told
        best = (*best[:4], np.full(np.shape(best[4]), np.inf), best[5])
    return best


def _small_for_J(measured) -> bool:
    """Whether a step is small for J: the estimate changes by at most :data:`ASYMPTOTIC` of itself between the step
    and its half, or by no more than the rounding of J. A step so large that J saturates along it (tanh and sigmoid
    at h = 100) gives J₊ − J₋ alike at h and h/2, so estimates that halve with the step; their change then bounds
    nothing."""
    numeric, rounding, change = (np.linalg.norm(np.nan_to_num(part)) for part in measured[:3])
    return bool(change <= ASYMPTOTIC * numeric or change <= rounding)


def _central_at(problem, key, h, kinks):
    """Central differences of block ``key`` at step h: numeric, rounding, change, outcomes, bound, h."""
    value = problem.params[key]
    outcomes = []
    numeric, rounding, change = np.empty(value.shape), np.empty(value.shape), np.empty(value.shape)
    for index in np.ndindex(value.shape):
        at = problem.shifted({key: unit(value, index)})
        numeric[index], outcome, rounding[index], change[index] = noisy_probe(problem, at, h, kinks)
        outcomes.append(outcome)
    return numeric, rounding, change, outcomes, bound(rounding, change), h


def _resolution(numeric, noise) -> float:
    """‖b‖/‖ĝ‖, the share of the estimate that its error could be (inf for ĝ = 0)."""
    size = np.linalg.norm(np.nan_to_num(numeric))
    return float(np.linalg.norm(np.nan_to_num(noise)) / size) if size else np.inf


def complex_noise(problem, key, h):
    """:func:`complex_step` with every entry's error bound: ``(numeric, bound)``."""
    numeric = complex_step(problem, key, h)
    change = np.max([np.abs(numeric - complex_step(problem, key, factor * h)) for factor in COMPLEX_STEPS], axis=0)
    return numeric, COMPLEX_SAFETY * bound(epsilon(problem) * np.abs(numeric), change)


def epsilon(problem) -> float:
    """The machine epsilon of the problem's values of J: the coarsest of the parameters' dtypes, and float64's at
    the finest, since J comes back as a Python float (an np.longdouble J is rounded to float64 on the way)."""
    return max(
        float(np.finfo(np.float64).eps), *(float(np.finfo(value.dtype).eps) for value in problem.params.values())
    )


def unit(value, index):
    """e_i: zeros shaped like ``value`` with a 1 at ``index``."""
    e = np.zeros(value.shape)
    e[index] = 1.0
    return e


def complex_step(problem, key, h):
    """Im J(θ + ih e_i)/h on every entry of block ``key``."""
    params = {k: v.astype(complex) for k, v in problem.params.items()}
    value = params[key]
    numeric = np.empty(value.shape)
    for index in np.ndindex(value.shape):
        original = value[index]
        value[index] = original + 1j * h
        numeric[index] = problem.complex_cost(params).imag / h
        value[index] = original
    return numeric


def directions(rng, params, keys):
    """Endless random unit directions over the blocks ``keys``."""
    while True:
        v = {key: rng.standard_normal(params[key].shape) for key in keys}
        norm = np.sqrt(sum(np.sum(block**2) for block in v.values()))
        yield {key: block / norm for key, block in v.items()}
