r"""The report of a gradient check, and how a failing block is described in it.

:class:`Report` is what every check returns: printable and usable as data. :func:`compare_block`
fills in one block's relative error and, for the worst block, its worst entry and a hint; the
hint states a cause only when it fits the whole block (:func:`hint`).
"""

from __future__ import annotations

import dataclasses
import unicodedata

import numpy as np

from .estimates import FLOOR, as_precise_as_float64, relative_error
from .words import Text, language, say


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

    def status(self, key, lang: str = "en") -> str:
        """How row ``key`` reads in the report: ok, ok (within its noise bound), FAIL or cannot tell."""
        if key in self.failed:
            return say(STATUS["FAIL"], lang)
        if key in self.undecided:
            return say(STATUS["cannot tell"], lang)
        return say(STATUS["ok" if self.errors[key] <= self.tolerance else "ok (within noise)"], lang)

    def __str__(self) -> str:
        return self.text()

    def text(self, lang: str = "en") -> str:
        """The report in English (``"en"``, what ``str(report)`` prints) or Simplified Chinese (``"zh"``).

        Numbers, parameter names, derivation keys and links are the same in both languages.
        """
        language(lang)
        kinks = "" if self.mode == "complex" else self.kinks
        head = Text(
            f"gradient check ({self.mode}, {self.dtype}, h = {self.h:g}, tolerance {self.tolerance:g}"
            + (f", kinks: {kinks})" if kinks else ")"),
            f"梯度检验（{self.mode}，{self.dtype}，h = {self.h:g}，容差 {self.tolerance:g}"
            + (f"，折点：{kinks}）" if kinks else "）"),
        )
        columns = [(say(COLUMNS[name], lang), width, align) for name, width, align in LAYOUT]
        lines = [say(head, lang), "  " + " ".join(_pad(name, width, align) for name, width, align in columns)]
        for key, error in self.errors.items():
            moved, skipped = self.moved.get(key, 0), self.skipped.get(key, 0)
            noise = f"{self.noise[key]:>12.1e}" if key in self.noise else f"{'':>12}"
            cells = f"{_pad(key, 10, '<')} {error:>15.3e} {noise} {moved:>6} {skipped:>8}"
            lines.append(f"  {cells}  {self.status(key, lang)}")
        worst_error = max(self.errors.values(), default=0.0)
        verdict = "FAIL" if self.failed or not (self.passed or self.undecided) else "PASS"
        verdict = "CANNOT TELL" if verdict == "PASS" and self.undecided else verdict
        lines.append(
            say(
                Text(
                    f"{verdict}: largest relative error {worst_error:.3e} (tolerance {self.tolerance:g})",
                    f"{say(VERDICTS[verdict], 'zh')}：最大相对误差 {worst_error:.3e}（容差 {self.tolerance:g}）",
                ),
                lang,
            )
        )
        if self.undecided:
            lines.append("  " + say(self._cannot_tell(), lang))
        if verdict == "FAIL" and self.worst[0]:
            key, index, analytic, numeric = self.worst
            where = Text(f"direction {index[0]}", f"第 {index[0]} 个方向") if key == "all" else f"d{key}{list(index)}"
            found = Text("found by bisection", "二分法找到的位置") if self.bisected else Text("worst", "误差最大处")
            lines.append(
                "  "
                + say(
                    Text(
                        f"{found} at {where}: backward {analytic:.6e}, numeric {numeric:.6e}",
                        f"{found.zh}：{say(where, 'zh')}，反向传播 {analytic:.6e}，数值梯度 {numeric:.6e}",
                    ),
                    lang,
                )
            )
            if self.hint:
                lines.append(f"  {say(LABELS['hint'], lang)}{say(self.hint, lang)}")
            if self.diagnosis:
                lines.append(f"  {say(LABELS['diagnosis'], lang)}{say(self.diagnosis, lang)}")
        lines += [f"  {say(LABELS['warning'], lang)}{say(text, lang)}" for text in self.warnings]
        return "\n".join(lines)

    def _cannot_tell(self) -> Text:
        """The line on the rows that cannot be told right or wrong, with its remedies."""
        other, blocks = not as_precise_as_float64(self.dtype), ", ".join(self.undecided)
        if any(self.noise.get(key) == np.inf for key in self.undecided):  # estimates.best_step found no small step
            return Text(
                f"cannot tell: {blocks}: the step h = {self.h:g} is too large for J (its estimate changes by more "
                f"than 1 % between h and h/2, and so does every smaller step tried); pass a smaller h",
                f"无法判断：{'、'.join(self.undecided)}：步长 h = {self.h:g} 对 J 来说太大"
                f"（估计值在 h 与 h/2 之间的变化超过 1 %，尝试过的更小步长也都如此）；请传入更小的 h",
            )
        remedies = "in mode 'complex', " + ("in float64, " if other else "")
        return Text(
            f"cannot tell: {blocks} {'is' if len(self.undecided) == 1 else 'are'} below the noise floor of J "
            f"in {self.dtype} (the error bound of the estimate exceeds {FLOOR:g} of the gradient); check "
            f"{remedies}or rescale J or the parameters",
            f"无法判断：{'、'.join(self.undecided)} 低于 J 在 {self.dtype} 下的噪声底（估计值的误差界超过梯度的 "
            f"{FLOOR:g}）；请改用 'complex' 模式检验{'、改用 float64' if other else ''}，或者重新缩放 J 或参数",
        )


#: The columns of a report's table: the heading's key in :data:`COLUMNS`, its width and alignment.
LAYOUT = (("parameter", 10, "<"), ("relative error", 15, ">"), ("noise bound", 12, ">"), ("moved", 6, ">"),
          ("skipped", 8, ">"))  # fmt: skip
#: The report's fixed words, each with its Chinese twin.
COLUMNS = {
    "parameter": Text("parameter", "参数"),
    "relative error": Text("relative error", "相对误差"),
    "noise bound": Text("noise bound", "噪声界"),
    "moved": Text("moved", "换步长"),
    "skipped": Text("skipped", "跳过"),
}
STATUS = {
    "ok": Text("ok", "通过"),
    "ok (within noise)": Text("ok (within noise)", "通过（在噪声界内）"),
    "FAIL": Text("FAIL", "失败"),
    "cannot tell": Text("cannot tell", "无法判断"),
}
VERDICTS = {"PASS": Text("PASS", "通过"), "FAIL": Text("FAIL", "失败"), "CANNOT TELL": Text("CANNOT TELL", "无法判断")}
LABELS = {
    "hint": Text("hint: ", "提示："),
    "diagnosis": Text("diagnosis: ", "诊断："),
    "warning": Text("warning: ", "警告："),
}


def _pad(text: str, width: int, align: str) -> str:
    """``text`` padded with spaces to ``width`` terminal columns; a Chinese character takes two."""
    columns = sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)
    space = " " * max(width - columns, 0)
    return text + space if align == "<" else space + text


@dataclasses.dataclass
class Reports:
    """Several checks of one file, each under its label ("max pooling", "convolution", ...; a label that is a
    :class:`~nn.words.Text` is printed in the report's language): printable,
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
        return self.text()

    def text(self, lang: str = "en") -> str:
        """Every report under its label, in English (``"en"``) or Simplified Chinese (``"zh"``)."""
        colon = "：" if language(lang) == "zh" else ":"
        return "\n\n".join(f"{say(label, lang)}{colon}\n{report.text(lang)}" for label, report in self.reports.items())


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


def hint(d, analytic, project, numeric, m) -> Text:
    """A likely cause for gradient ``d``, stated only when it fits the whole block to 1e-3; else a
    pointer to the formula; in English with its Chinese twin (:class:`~nn.words.Text`).

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
        return Text(
            f"{d} is the transpose of the numeric gradient — dZ A[l-1]ᵀ written as A[l-1] dZᵀ?",
            f"{d} 是数值梯度的转置——把 dZ A[l-1]ᵀ 写成了 A[l-1] dZᵀ？",
        )
    for factor, en, zh in (
        (m, f"is off by a factor ≈ m = {m} — a missing 1/m?", f"差了一个因子 ≈ m = {m}——漏了 1/m？"),
        (1 / m, f"is off by a factor ≈ 1/m = 1/{m} — divided by m twice?", f"差了一个因子 ≈ 1/m = 1/{m}——除了两次 m？"),
        (-1, "has the wrong sign (factor ≈ −1) — A − Y written as Y − A, or a sign dropped?",
         "符号反了（因子 ≈ −1）——把 A − Y 写成了 Y − A，还是丢了一个负号？"),
        (2, "is off by a factor ≈ 2 — the 2 of the square error counted twice?",
         "差了一个因子 ≈ 2——平方误差的 2 算了两次？"),
        (0.5, "is off by a factor ≈ 1/2 — the 2 of the square error missing?",
         "差了一个因子 ≈ 1/2——漏了平方误差的 2？"),
    ):  # fmt: skip
        if factor != 1 and fits(g / factor):
            return Text(f"{d} {en}", f"{d} {zh}")
    return Text(
        f"{d} disagrees with the numeric gradient; compare its line of backward with the formula for {d}",
        f"{d} 与数值梯度不符；请把反向传播中算它的那一行与 {d} 的公式对照",
    )


def _relation(d, analytic, project, g, n, fits, square) -> Text:
    """The relation between a learner's gradient and the numeric one, stated as found, or none."""
    if square and fits(project(analytic.T)) and not fits(g):
        return Text(
            f"{d} is the numeric gradient transposed: entry [i, j] holds the slope of entry [j, i]",
            f"{d} 是转置了的数值梯度：元素 [i, j] 存的是元素 [j, i] 的斜率",
        )
    if fits(-g):
        return Text(
            f"{d} is the numeric gradient with the sign flipped (factor −1 in every entry)",
            f"{d} 是符号取反的数值梯度（每个元素都乘了 −1）",
        )
    factor = float(g @ n / (n @ n)) if np.linalg.norm(n) > 0 else 0.0
    if factor and abs(factor - 1) > 1e-2 and fits(g / factor):
        return Text(
            f"{d} is {factor:.6g} times the numeric gradient in every entry: a constant factor, as a "
            f"missing or doubled averaging factor would give (1/m over the samples, 1/f² over a pooling window)",
            f"{d} 的每个元素都是数值梯度的 {factor:.6g} 倍：一个常数因子，求平均时漏掉或多除了一次平均的因子就会这样"
            f"（对样本的 1/m，对池化窗口的 1/f²）",
        )
    return Text(
        f"{d} disagrees with the numeric gradient, by no single factor, sign or transpose",
        f"{d} 与数值梯度不符，既不是差一个因子，也不是符号相反或转置",
    )
