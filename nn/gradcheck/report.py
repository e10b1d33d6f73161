r"""The report of a gradient check, and how a failing block is described in it.

:class:`Report` is what every check returns: printable and usable as data. :func:`compare_block`
fills in one block's relative error and, for the worst block, its worst entry and a hint; the
hint states a cause only when it fits the whole block (:func:`hint`).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .estimates import FLOOR, relative_error


class WeakCheckWarning(UserWarning):
    """A gradient check in float32: rounding hides bugs smaller than about 1e-2 in relative error."""


@dataclasses.dataclass
class Report:
    r"""The outcome of a check: printable (``str(report)``) and usable as data.

    ``errors`` maps a parameter name ("W1", "b1", ...) to its relative error; in ``directional``
    mode a passing check has the single row ``"all"`` (every parameter at once), and a failing
    one adds a row per parameter. ``worst`` is ``(param, index, analytic, numeric)`` where
    \(|g - \hat g|\) is largest; ``index`` is a direction number for the row ``"all"``. When a
    failing ``directional`` check locates the entry by bisection (``bisected``), ``worst`` is an
    entry where the error is large, not necessarily the largest.
    ``crossings`` counts, per row, the probes (entries, or directions) whose perturbation by
    \(\pm h\) moved some \(Z^{[l]}\) across a kink of \(g^{[l]}\); ``moved`` those of them
    compared with a smaller step instead and ``skipped`` those left out of ``errors``.
    ``kinks`` is the kink policy, or "" for a learner's own function, whose kinks are unknown.
    ``derivation`` is the registry key of the derivation the gradients contradict when they are
    exactly those of a known mistake (``nn.gradcheck.mistakes``), with ``diagnosis`` the one line
    that says which; both stay empty (None, "") when no known mistake matches.

    ``noise`` maps each row to its noise bound, written as a relative error
    \(\lVert b \rVert_2 / (\lVert g \rVert_2 + \lVert \hat g \rVert_2)\), where \(b_i\) bounds
    the error of the estimate \(\hat g_i\) (``nn.gradcheck.estimates``). A row passes when its
    relative error is within the tolerance, or when every \(|g_i - \hat g_i|\) is within
    \(b_i\) and the noise bound is at most :data:`~nn.gradcheck.estimates.FLOOR`. ``failed``
    lists the rows that differ beyond both their noise bound and the tolerance; ``undecided``
    those within their noise bound whose noise bound exceeds FLOOR: the gradient is too close to
    the noise floor of J to be told right or wrong. ``passed`` is true when neither has a row
    (and, with ``kinks="fail"``, no probe crossed a kink).
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
    derivation: str | None = None
    diagnosis: str = ""
    noise: dict[str, float] = dataclasses.field(default_factory=dict)
    failed: list[str] = dataclasses.field(default_factory=list)
    undecided: list[str] = dataclasses.field(default_factory=list)

    def status(self, key) -> str:
        """How row ``key`` reads in the report: ok, ok (within its noise bound), FAIL or cannot tell."""
        if key in self.failed:
            return "FAIL"
        if key in self.undecided:
            return "cannot tell"
        return "ok" if self.errors[key] <= self.tolerance else "ok (within noise)"

    def __str__(self) -> str:
        kinks = "" if self.mode == "complex" or not self.kinks else f", kinks: {self.kinks}"
        lines = [
            f"gradient check ({self.mode}, {self.dtype}, h = {self.h:g}, tolerance {self.tolerance:g}{kinks})",
            f"  {'parameter':<10} {'relative error':>15} {'noise bound':>12} {'moved':>6} {'skipped':>8}",
        ]
        for key, error in self.errors.items():
            moved, skipped = self.moved.get(key, 0), self.skipped.get(key, 0)
            noise = f"{self.noise[key]:>12.1e}" if key in self.noise else f"{'':>12}"
            lines.append(f"  {key:<10} {error:>15.3e} {noise} {moved:>6} {skipped:>8}  {self.status(key)}")
        worst_error = max(self.errors.values(), default=0.0)
        verdict = "FAIL" if self.failed or not (self.passed or self.undecided) else "PASS"
        verdict = "CANNOT TELL" if verdict == "PASS" and self.undecided else verdict
        lines.append(f"{verdict}: largest relative error {worst_error:.3e} (tolerance {self.tolerance:g})")
        if self.undecided:
            blocks = ", ".join(self.undecided)
            remedies = "in mode 'complex', " + ("" if self.dtype == np.float64 else "in float64, ")
            lines.append(
                f"  cannot tell: {blocks} {'is' if len(self.undecided) == 1 else 'are'} below the noise floor of J "
                f"in {self.dtype} (the error bound of the estimate exceeds {FLOOR:g} of the gradient); check "
                f"{remedies}or rescale J or the parameters"
            )
        if verdict == "FAIL" and self.worst[0]:
            key, index, analytic, numeric = self.worst
            where = f"direction {index[0]}" if key == "all" else f"d{key}{list(index)}"
            found = "found by bisection" if self.bisected else "worst"
            lines.append(f"  {found} at {where}: backward {analytic:.6e}, numeric {numeric:.6e}")
            if self.hint:
                lines.append(f"  hint: {self.hint}")
            if self.diagnosis:
                lines.append(f"  diagnosis: {self.diagnosis}")
        lines += [f"  warning: {text}" for text in self.warnings]
        return "\n".join(lines)


@dataclasses.dataclass
class Reports:
    """Several checks of one file, each under its label ("max pooling", "convolution", ...): printable,
    and passed only when every one passed. ``failed`` and ``undecided`` list the rows of all of them,
    each as "label: row", so a caller reads them as it reads one :class:`Report`'s."""

    reports: dict[str, Report]

    @property
    def passed(self) -> bool:
        return all(report.passed for report in self.reports.values())

    @property
    def failed(self) -> list[str]:
        return [f"{label}: {row}" for label, report in self.reports.items() for row in report.failed]

    @property
    def undecided(self) -> list[str]:
        return [f"{label}: {row}" for label, report in self.reports.items() for row in report.undecided]

    def __str__(self) -> str:
        return "\n\n".join(f"{label}:\n{report}" for label, report in self.reports.items())


def tally(report, label, outcomes):
    """Count, for row ``label``, the probes that crossed a kink, were moved and were skipped."""
    report.crossings[label] = sum(outcome != "" for outcome in outcomes)
    report.moved[label] = outcomes.count("moved")
    report.skipped[label] = outcomes.count("skipped")


def decide(report, key, analytic, numeric, bound) -> bool:
    """Record row ``key``'s relative error and noise bound, and whether it fails or cannot be told;
    return True when it fails. ``bound`` holds each estimate's error bound (None: no bound known,
    the tolerance alone decides)."""
    report.errors[key] = error = relative_error(analytic, numeric)
    if bound is None:
        failed = error > report.tolerance
    else:
        size = np.linalg.norm(analytic) + np.linalg.norm(numeric)
        report.noise[key] = float(np.linalg.norm(bound) / size) if size else 0.0
        within = bool(np.all(np.abs(analytic - numeric) <= bound))
        failed = error > report.tolerance and not within
        if error > report.tolerance and within and report.noise[key] > FLOOR:
            report.undecided.append(key)
    if failed:
        report.failed.append(key)
    return failed


def compare_block(problem, key, analytic, numeric, report, label=None, bound=None):
    """Record the block's relative error over the entries not skipped (:func:`decide`); if it fails
    and no failing block so far has a larger error, make its entry of largest |g − ĝ| beyond its
    noise bound the worst and take its hint. ``label`` names the gradient in the hint (default
    ``"d" + key``)."""
    kept = ~np.isnan(numeric)
    noise = None if bound is None else bound[kept]
    if not decide(report, key, analytic[kept], numeric[kept], noise):
        return
    if report.worst[0] in report.failed and report.errors[report.worst[0]] >= report.errors[key]:
        return
    gap = np.abs(analytic - np.where(kept, numeric, 0))
    beyond = kept if bound is None else kept & (gap > np.where(kept, bound, np.inf))
    difference = np.where(beyond, gap, -1)
    index = np.unravel_index(int(np.argmax(difference)), difference.shape)
    report.worst = (key, tuple(int(i) for i in index), float(analytic[index]), float(numeric[index]))
    report.hint = hint(label or f"d{key}", analytic, lambda G: G[kept], numeric[kept], problem.m)


def hint(d, analytic, project, numeric, m) -> str:
    """A likely cause for gradient ``d``, stated only when it fits the whole block to 1e-3; else a
    pointer to the formula.

    ``project`` maps an array shaped like the block to what ``numeric`` estimates: its entries
    (``full``) or its inner products with the directions (``directional``). With ``m`` None (a
    learner's own cost, whose sample count is unknown) the hint states the relation it found
    (a transpose, a sign, a constant factor) and guesses no cause.
    """
    n = numeric

    def fits(candidate) -> bool:
        return bool(np.linalg.norm(candidate - n) <= 1e-3 * np.linalg.norm(n) and np.linalg.norm(n) > 0)

    g = project(analytic)
    square = analytic.ndim == 2 and analytic.shape[0] == analytic.shape[1]
    if m is None:
        return _relation(d, analytic, project, g, n, fits, square)
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


def _relation(d, analytic, project, g, n, fits, square) -> str:
    """The relation between a learner's gradient and the numeric one, stated as found, or none."""
    if square and fits(project(analytic.T)) and not fits(g):
        return f"{d} is the numeric gradient transposed: entry [i, j] holds the slope of entry [j, i]"
    if fits(-g):
        return f"{d} is the numeric gradient with the sign flipped (factor −1 in every entry)"
    factor = float(g @ n / (n @ n)) if np.linalg.norm(n) > 0 else 0.0
    if factor and abs(factor - 1) > 1e-2 and fits(g / factor):
        return (
            f"{d} is {factor:.6g} times the numeric gradient in every entry: a constant factor, as a "
            f"missing or doubled 1/m of an average over samples would give"
        )
    return f"{d} disagrees with the numeric gradient, by no single factor, sign or transpose"
