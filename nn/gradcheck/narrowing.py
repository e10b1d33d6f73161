r"""``directional`` mode, and how a failing directional check narrows down to a block and an entry.

Along k random unit directions v of all parameters jointly, \(\langle g, v \rangle\) is compared
with \((J(\theta + hv) - J(\theta - hv))/2h\). When that fails: the same per block, then
``full`` on the guilty block if it is cheap, else a bisection over its entries.
"""

from __future__ import annotations

import numpy as np

from .estimates import (
    ROUNDING,
    best_step,
    bound,
    central_noise,
    default_step,
    defaults,
    directions,
    epsilon,
    noisy_probe,
    probe,
    unit,
)
from .report import compare_block, decide, hint, tally
from .words import Text

#: a failing ``directional`` check runs ``full`` on the guilty block when that costs at most this
#: many multiply-adds, counting :data:`PASS_OVERHEAD` for the Python around each forward pass
#: (about 0.1 s); otherwise it bisects the block.
FULL_WORK = 10**8
PASS_OVERHEAD = 10**5
#: forward passes per entry of ``full`` at its first step: J at θ ± h e_i, and at θ ± (h/2) e_i for the noise bound.
FULL_PASSES = 4
#: random directions per half in that bisection.
BISECT_DIRECTIONS = 2


def directional(problem, grads, h, k, seed, kinks, report, labels):
    """Check along k directions of all parameters; on failure, narrow down to a block and an entry.

    ``grads`` maps each parameter name to its analytic gradient, ``labels`` to the name the
    report gives that gradient. A row fails only beyond both the tolerance and every
    direction's noise bound, and no block or entry within its noise bound is named.
    """
    rng = np.random.default_rng(seed)
    keys = list(problem.params)
    a, n, b, _, outcomes = _along(problem, grads, directions(rng, problem.params, keys), h, k, kinks)
    tally(report, "all", outcomes)
    failed = _decide(a, n, b, "all", report)
    gap = np.where(np.abs(a - n) > b, np.abs(a - n), -1) if failed else np.abs(a - n)
    i = int(np.argmax(gap)) if a.size else 0
    report.worst = ("all", (i,), *(float(x[i]) if a.size else np.nan for x in (a, n)))
    if not failed:
        return
    blocks = {}
    for key in keys:
        blocks[key] = _along(problem, grads, directions(rng, problem.params, [key]), h, k, kinks)
        tally(report, key, blocks[key][4])
        _decide(*blocks[key][:3], key, report)
    guilty = max((key for key in keys if key in report.failed), key=lambda key: report.errors[key], default=None)
    if guilty is None:
        report.warnings.append(
            Text(
                "no single block differs beyond its noise bound; check each block in mode 'full'",
                "没有哪个参数块单独超出它的噪声界；请用 'full' 模式逐块检验",
            )
        )
        return
    analytic = grads[guilty]
    if full_work(problem, guilty) <= FULL_WORK:
        numeric, bound, _, _ = central_noise(problem, guilty, defaults(report.dtype)["full"][0], kinks)
        saved = {name: getattr(report, name).copy() for name in ("errors", "noise", "failed", "undecided")}
        report.worst = ("", (), 0.0, 0.0)
        compare_block(problem, guilty, analytic, numeric, report, labels[guilty], bound)
        for name, value in saved.items():
            setattr(report, name, value)
        return
    index, numeric, bound = _bisect(problem, grads, guilty, h, rng, kinks)
    if not abs(analytic[index] - numeric) > bound:
        report.worst = ("", (), 0.0, 0.0)
        report.warnings.append(
            Text(
                f"the bisection of {guilty} ended at an entry within its noise bound; check {guilty} in mode 'full'",
                f"对 {guilty} 的二分法停在了一个噪声界之内的元素上；请用 'full' 模式检验 {guilty}",
            )
        )
        return
    report.worst, report.bisected = (guilty, index, float(analytic[index]), numeric), True
    _, n, _, used, _ = blocks[guilty]
    report.hint = hint(
        labels[guilty], analytic, lambda G: np.array([np.sum(G * v[guilty]) for v in used]), n, problem.m
    )


def full_work(problem, key) -> int:
    """What ``full`` on block ``key`` costs at its first step, in multiply-adds: :data:`FULL_PASSES` forward
    passes per entry, each from the block's layer up, plus :data:`PASS_OVERHEAD` for each pass."""
    return FULL_PASSES * problem.params[key].size * (problem.work(key) + PASS_OVERHEAD)


def _along(problem, grads, directions, h, k, kinks):
    """⟨g, v⟩ and (J(θ + hv) − J(θ − hv))/2h for k directions v, drawing up to 3k to replace skipped
    ones, at the step :func:`~nn.gradcheck.estimates.best_step` finds from h for those directions.

    Returns the analytic and numeric arrays, each comparison's noise bound (the estimate's, plus
    the rounding of ⟨g, v⟩), the directions compared, and every probe's outcome.
    """
    used, outcomes, first = [], [], []
    while len(used) < k and len(outcomes) < 3 * k:
        v = next(directions)
        probe = noisy_probe(problem, problem.shifted(v), h, kinks)
        outcomes.append(probe[1])
        if probe[1] != "skipped":
            used.append(v)
            first.append(probe)
    if not used:
        return np.array([]), np.array([]), np.array([]), used, outcomes
    eps = epsilon(problem)
    products = [[grads[key] * block for key, block in v.items()] for v in used]
    analytic = np.array([sum(float(np.sum(p)) for p in row) for row in products])
    inner = np.array([ROUNDING * eps * sum(float(np.sum(np.abs(p))) for p in row) for row in products])

    def measure(step):
        probes = first if step == h else [noisy_probe(problem, problem.shifted(v), step, kinks) for v in used]
        numeric, rounding, change = (np.array([probe[i] for probe in probes]) for i in (0, 2, 3))
        if step != h and np.isnan(numeric).any():  # a kink skips a direction at this step: keep the last
            return numeric, rounding, change, [], np.full(len(used), np.inf), step
        return numeric, rounding + inner, change, [], bound(rounding + inner, change), step

    numeric, _, _, _, noise, _ = best_step(measure, h, kinks, default_step(problem, "directional"))
    return analytic, numeric, noise, used, outcomes


def _decide(analytic, numeric, noise, label, report) -> bool:
    """:func:`~nn.gradcheck.report.decide` for a row of directions; a row with no direction left fails."""
    if analytic.size:
        return decide(report, label, analytic, numeric, noise)
    report.warnings.append(
        Text(
            f"{label}: every direction crossed a kink; nothing was compared",
            f"{label}：每个方向都跨过了折点，没有比较任何东西",
        )
    )
    report.errors[label] = np.inf
    report.failed.append(label)
    return True


def _bisect(problem, grads, key, h, rng, kinks):
    """An entry of block ``key`` where backward disagrees, its central difference and that
    difference's noise bound (nan if a kink skips it).

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
    at = problem.shifted({key: unit(value, index)})
    numeric, _, rounding, change = noisy_probe(problem, at, defaults(value.dtype)["full"][0], kinks)
    return index, float(numeric), float(rounding + 2 * abs(change))


def _gap(problem, grads, key, lo, hi, h, rng, kinks) -> float:
    """(⟨g, v⟩ − (J(θ + hv) − J(θ − hv))/2h)² for a random unit direction v over the entries
    lo..hi − 1 of block ``key`` (0 if a kink skips it)."""
    v = rng.standard_normal(hi - lo)
    v /= np.linalg.norm(v)
    estimate, outcome = probe(problem, problem.span(key, lo, hi, v), h, kinks)
    return 0.0 if outcome == "skipped" else (float(grads[key].ravel()[lo:hi] @ v) - estimate) ** 2
