r"""The numeric estimates \(\hat g\) of a gradient, on any problem that can evaluate J.

A *problem* (``problems.NetworkProblem`` for nn's network, ``problems.FunctionProblem`` for a
learner's own cost) offers ``params``, ``shifted(v)`` (J at \(\theta \pm \text{step}\cdot v\)),
``safe_step`` (how far a probe can go without crossing a kink) and ``complex_cost``. The
estimates here only call those, so they serve both:

- :func:`central`: \((J(\theta + h e_i) - J(\theta - h e_i))/2h\) on every entry of a block;
- :func:`probe`: the same along one direction, with the kink policy applied;
- :func:`complex_step`: \(\operatorname{Im} J(\theta + i h e_i)/h\) on every entry of a block;
- :func:`directions`: the random unit directions of ``directional`` mode.
"""

from __future__ import annotations

import numpy as np

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


def defaults(dtype) -> dict[str, tuple[float, float]]:
    """(h, tolerance) per mode for ``dtype``; float16 and other dtypes get float32's, which are already weak."""
    return DEFAULTS.get(np.dtype(dtype), DEFAULTS[np.dtype(np.float32)])


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


def unit(value, index):
    """e_i: zeros shaped like ``value`` with a 1 at ``index``."""
    e = np.zeros(value.shape)
    e[index] = 1.0
    return e


def central(problem, key, h, kinks):
    """Central differences on every entry of block ``key``, and each probe's outcome."""
    value = problem.params[key]
    numeric, outcomes = np.empty(value.shape), []
    for index in np.ndindex(value.shape):
        numeric[index], outcome = probe(problem, problem.shifted({key: unit(value, index)}), h, kinks)
        outcomes.append(outcome)
    return numeric, outcomes


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
