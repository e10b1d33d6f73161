"""The worked examples reproduce the numbers their pages show, in English and in Chinese.

``python -m nn figures`` writes the tables that docs/experiments/ includes; the slow test writes
them afresh and compares them with the committed ones, so a page cannot show a number the
code no longer gives. A few minutes of CPU time (the square-error rerun alone steps
2 × 500000 epochs), so it is marked slow (it still runs in CI); drawing the Chinese figures
needs a CJK font (Debian's fonts-noto-cjk). Every figure and table exists in both languages,
with the words of each module in one table; the quick tests check those tables, and two slow ones the font rules.
"""

from __future__ import annotations

import functools
import json
import re
import string
import warnings
from pathlib import Path

import numpy as np
import pytest
from support import joined

from derivations.core import CJK
from nn.cli import main
from nn.experiments import EXAMPLES, breast_cancer, course_planar, digits10, plots, sequences, square_error
from nn.experiments.words import LANGUAGES, localized

IMG = Path(__file__).resolve().parents[1] / "docs" / "experiments" / "img"
WORD_TABLES = {module.__name__: module.WORDS for module in (*EXAMPLES, plots)}


#: The cells of a table that another machine may print differently, with how far: {table: {cell: (rtol, atol)}},
#: a cell being a column (every row) or a (row, column) pair, counted from 0 after the header; a percentage
#: is compared in points. Every other cell must be the same text, up to one unit in the last printed digit
#: of each of its numbers (see :func:`_last_digit`). OpenBLAS picks a matrix-product kernel per
#: CPU, each rounds in its own way, and a long training run can amplify the last bits: the committed tables
#: come from the SkylakeX kernel, and these spreads were measured by running `python -m nn figures` once
#: with each of OPENBLAS_CORETYPE=SkylakeX, Haswell and Sandybridge, and with OPENBLAS_NUM_THREADS=1
#: (see docs/experiments/index.md). Each bound leaves a margin over the largest difference seen.
ACROSS_KERNELS = {
    # full-batch training at lr 0.1 and 1 (rows 2 to 5) is chaotic: its last cost moved by 10% at lr 0.1,
    # by a third (0.1563, 0.1747, 0.2330) without and by a factor of three (0.0093, 0.0171, 0.0276) with
    # batch norm at lr 1, its accuracy by a point; lr 0.01 and the first 100 steps gave the same digits
    "batch-norm-table.txt": {
        **{(row, 4): (0.25, 0.0) for row in (2, 3)},
        (4, 4): (0.6, 0.0),
        (5, 4): (0.8, 0.0),
        **{(row, 5): (0.0, 2.0) for row in (2, 3, 4, 5)},
    },
    # n_h = 20: one of the 400 points (0.25%) changed sides
    "planar-table.txt": {1: (0.0, 0.5), 3: (0.01, 0.0)},
    # the course's run from iteration 7000 on, where its cost rises again: the reruns' costs moved by up to
    # 7e-5 (0.219534, 0.219474, 0.219464 at 8000 with seed 2), one point changed sides with seed 3
    "planar-course-costs.txt": {
        **{(row, column): (0.0, 2e-4) for row in (7, 8, 9) for column in (2, 4)},
        **{(10, column): (0.0, 0.5) for column in (2, 4)},
    },
    # the planar post's run, 9 hidden units from the course's start: seed 2 ended at 92.00%, 92.00% and 91.25%,
    # seed 3 at 91.00%, 91.75% and 91.75% (SkylakeX, Haswell, Sandybridge), its last cost 0.164311 or 0.165050
    # with seed 2, 0.164501 or 0.163854 with seed 3; its first cost was the same on every kernel
    "planar-post-run.txt": {2: (0.01, 0.0), 3: (0.0, 1.0)},
    # nn's seed 4 on the course's points: 90.50% or 90.75%
    "planar-course-table.txt": {(row, 2): (0.0, 0.5) for row in range(5)},
    # the course's sweep at n_h = 20 and 50 (rows 5 and 6), measured by rerunning the sweep on each kernel: two of
    # the 400 points changed sides (seed 2: 90.50% or 90.00%, 90.75% or 90.25%), one with seed 3 at 50 (90.25% or
    # 90.50%); a third point is the margin. Up to five units every kernel gave the same accuracies. The first cost
    # beside each accuracy gets the same bound here; test_course_planar.py holds it to its seed's start, to one
    # unit of its sixth decimal, on every kernel
    "planar-course-sweep.txt": {(row, column): (0.0, 0.75) for row in (5, 6) for column in (2, 3)},
    # breast cancer on raw inputs with the ×0.01 start (rows 0 and 1): the runs that leave the plateau ended
    # 7.5 points apart (seed 0 at α = 0.05: 91.0%, 83.5%, 88.4% train), and as many as 4 or as few as 3 of them
    # round to 92%; which runs stay on the plateau (62.6%, 63.2%) was the same on every kernel
    "breast-cancer-bracket.txt": {(row, column): (0.0, 10.0) for row in (0, 1) for column in (3, 4)}
    | {(row, 5): (0.0, 2.0) for row in (0, 1)},
    # the end of the gradient flow is zero up to rounding: 2.47e-32, 1.54e-32 and 5.57e-32 on three kernels
    "square-error-table.txt": {(3, 1): (0.0, 1e-30)},
    # the planar network at α = 200 (rows 12 to 14) jumps around at random: its final cost was 12.1 to 61.2,
    # the iterations where it rose 509 to 807, its accuracy 54.0% to 74.8% over the three kernels; what the
    # page says of these rows (far above ln 2, below the accuracy at α = 1.2) is checked exactly instead
    "learning-rates-table.txt": {
        **{(row, 3): (0.9, 0.0) for row in (12, 13, 14)},
        **{(row, 5): (0.5, 0.0) for row in (12, 13, 14)},
        **{(row, 6): (0.0, 30.0) for row in (12, 13, 14)},
    },
    # N(0, 1) with tanh (row 1): seed 3 ended at a cost of 0.00694, 0.00723 and 0.0076 and a test accuracy of
    # 80.6%, 84.7% and 83.3% over the three kernels, its largest weight difference at 4.99 or 5.01; what the
    # page says of it (cost above, accuracy below Xavier's and He's on every seed) is checked exactly instead
    "init-post-training-table.txt": {(1, 5): (0.3, 0.0), (1, 6): (0.0, 10.0), (1, 7): (0.05, 0.0)},
}
NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def _last_digit(number: str) -> float:
    """One unit in the last printed digit of a fixed-point ``number`` ("0.0138": 1e-4, "96.25": 0.01).

    Such a figure may differ by that much: a value that a kernel's rounding moves across the boundary
    between two printed values flips its last digit, on any machine, however stable the run. Integers and
    numbers with an exponent get no allowance: printed with ``g``, they may have lost trailing zeros, so
    their last printed digit does not tell their precision ("1e+08" may be 1.0e+08)."""
    _, point, decimals = number.partition(".")
    return 10.0 ** -len(decimals) if point and "e" not in decimals.lower() else 0.0


def _rows(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in text.splitlines()]


def table_differences(name: str, committed: str, regenerated: str) -> list[str]:
    """Where ``regenerated`` differs from ``committed`` by more than :data:`ACROSS_KERNELS` allows."""
    tolerances = ACROSS_KERNELS.get(localized(name.replace(".zh.", "."), "en"), {})
    old, new = _rows(committed), _rows(regenerated)
    if len(old) != len(new) or old[:2] != new[:2]:
        return [f"{name}: other rows or another header"]
    found = []
    for row, (before, after) in enumerate(zip(old[2:], new[2:], strict=True)):
        if len(before) != len(after):
            return [f"{name} row {row}: other columns"]
        for column, (x, y) in enumerate(zip(before, after, strict=True)):
            rtol, atol = tolerances.get((row, column), tolerances.get(column, (0.0, 0.0)))
            close = NUMBER.sub("#", x) == NUMBER.sub("#", y) and all(  # the same words, numbers that are close
                abs(float(a) - float(b)) <= rtol * max(abs(float(a)), abs(float(b))) + atol + _last_digit(a)
                for a, b in zip(NUMBER.findall(x), NUMBER.findall(y), strict=True)
            )
            if x != y and not close:
                found.append(f"{name} row {row} column {column}: {x!r} committed, {y!r} now")
    return found


def _column(text: str, column: int) -> list[float]:
    return [float(NUMBER.match(row[column].removesuffix("%")).group()) for row in _rows(text)[2:]]


def _seeds(cell: str) -> list[float]:
    """The numbers of a cell that gives one per seed, "0.0128 / 0.00879 / 0.00694" or "76.4% / 91.7% / 80.6%"."""
    return [float(part.removesuffix("%")) for part in cell.split(" / ")]


def qualitative_differences(directory: Path) -> list[str]:
    """The statements the pages make about the tables that vary across machines, checked exactly."""
    found = []
    batch_norm = (directory / "batch-norm-table.txt").read_text()
    final = _column(batch_norm, 4)  # plain, batch norm, at each learning rate in turn
    if not all(final[i + 1] < final[i] for i in range(0, len(final), 2)):
        found.append("batch norm no longer ends at a lower cost than the plain network at every learning rate")
    planar = _column((directory / "planar-table.txt").read_text(), 1)  # n_h = 1, 2, 3, 4, 5, 20, 50
    if not (max(planar[:2]) < 75 < 90 < min(planar[2:]) and planar[4] < planar[5] < planar[6]):
        found.append("planar: no longer about 70% below three units, and rising from 5 to 20 to 50 units")
    costs = _rows((directory / "planar-course-costs.txt").read_text())[2:]
    gaps = [abs(float(row[column]) - float(row[column - 1])) for row in costs[:-1] for column in (2, 4)]
    if not (all(row[1] == row[2] and row[3] == row[4] for row in costs[:7]) and max(gaps) < 1e-4):
        found.append("the course's run: not the notebook's six decimals up to iteration 6000, within 1e-4 after")
    if not all(int(float(cell.removesuffix("%"))) == 90 for cell in (costs[-1][2], costs[-1][4])):
        found.append("the course's run: its accuracy no longer prints as the notebook's 90% with %d")
    course = _rows((directory / "planar-course-table.txt").read_text())[2:]
    if not max(_percent(row[2]) for row in course[:5]) < min(_percent(row[3]) for row in course[:5]):
        found.append("points or iterations: nn's seeds no longer end lower on the course's points than on ours")
    if not all(int(_percent(row[2])) == 47 for row in course[5:]):
        found.append("the logistic-regression baseline no longer prints the course's 47% on the course's points")
    sweep = _sweep(directory)
    if [int(row[0]) for row in sweep[:5]] != [1, 2, 3, 4, 5] or any(len(set(row[1:])) > 1 for row in sweep[:5]):
        found.append("the course's sweep: both seeds no longer give the notebook's accuracy up to five units")
    found += _bracket_differences(_bracket(directory))
    rates = _rows((directory / "learning-rates-table.txt").read_text())[2:]
    own, wild = (
        [row for row in rates if row[0].endswith("sigmoid, bce") and row[1] == rate] for rate in ("1.2", "200")
    )
    accuracy = min(float(row[6].removesuffix("%")) for row in own)
    if not wild or not all(float(row[3]) > 10 * 0.6932 and float(row[6].removesuffix("%")) < accuracy for row in wild):
        found.append("learning rates: α = 200 no longer ends far above ln 2 with a lower accuracy than α = 1.2")
    found += _square_error_differences(directory)
    found += _small_examples_differences(directory)
    if not _convnet_beats_dense(directory):
        found.append("the ConvNet no longer has a higher test accuracy than the dense network for every seed")
    tanh = {
        row[1]: row for row in _rows((directory / "init-post-training-table.txt").read_text())[2:] if row[0] == "tanh"
    }
    normal = tanh["N(0, 1)"]
    for other in (tanh["Xavier, 1/n[l-1]"], tanh["He, 2/n[l-1]"]):
        costs, accuracies = (zip(_seeds(normal[column]), _seeds(other[column]), strict=True) for column in (5, 6))
        if not (all(a > b for a, b in costs) and all(a < b for a, b in accuracies)):
            found.append(
                f"initialization: N(0, 1) with tanh no longer ends above {other[1]} with a lower test accuracy"
            )
    return found


def _square_error_differences(directory: Path) -> list[str]:
    """The square-error page (and the posts page's verdicts on that post): at the post's last epoch the buggy loss
    is still below the correct one; it dips below Σ t² and ends there, for every draw; the gradient check puts the
    correct gradient below the course's 2e-7 and the buggy one above it, at epoch 0."""
    figures = {row[0]: row[1] for row in _rows((directory / "square-error-table.txt").read_text())[2:]}

    def figure(start: str) -> float:
        [value] = [value for name, value in figures.items() if name.startswith(start)]
        return float(NUMBER.match(value).group())

    floor = float(np.sum(square_error.TARGET**2))
    found = []
    if not figure("buggy gradient: loss at epoch") < figure("correct gradient: loss at epoch"):
        found.append("square error: the buggy loss is no longer below the correct one at the post's last epoch")
    draws = _rows((directory / "square-error-draws.txt").read_text())[2:]
    lowest = [figure("buggy gradient: lowest loss")] + [float(NUMBER.match(row[3]).group()) for row in draws]
    if not (max(lowest) < floor and figure("buggy gradient: loss at the end") == pytest.approx(floor, rel=1e-3)):
        found.append("square error: a draw no longer dips below Σ t² = 0.84, or the buggy run no longer ends there")
    if not figure("gradient check at epoch 0, correct") < 2e-7 < figure("gradient check at epoch 0, buggy"):
        found.append("square error: the gradient check no longer passes the correct gradient and rejects the bug")
    return found


def _small_examples_differences(directory: Path) -> list[str]:
    """What the logistic-regression, regularization and optimization pages read off their tables."""
    found = []
    digits = _rows((directory / "digits-table.txt").read_text())[2:]
    easy, hard = ([row for row in digits if row[0] == pair] for pair in ("1 vs 0", "3 vs 8"))
    if not (
        easy
        and all(float(h[2]) > float(e[2]) and _percent(h[4]) < _percent(e[4]) for e, h in zip(easy, hard, strict=True))
    ):
        found.append(
            "logistic regression: 3 vs 8 no longer ends at a higher cost and a lower test accuracy than 1 vs 0"
        )
    for rows in (easy, hard):  # at the smallest rate: the cost still near ln 2, the test accuracy near the best
        smallest = min(rows, key=lambda row: float(row[1]))
        if not (
            float(smallest[2]) > np.log(2) - 0.1 and _percent(smallest[4]) >= max(_percent(r[4]) for r in rows) - 2
        ):
            found.append(
                "logistic regression: at the smallest rate the cost is no longer near ln 2 with a high accuracy"
            )
    regularization = (directory / "regularization-table.txt").read_text()
    train, test, gap = (_column(regularization, column) for column in (1, 2, 3))
    if not all(train[run] < train[0] and gap[run] < gap[0] and test[run] > test[0] for run in (1, 2)):
        found.append(
            "regularization: L2 and dropout no longer each give up training accuracy, narrow the gap and gain on test"
        )
    course_train, course_test = (_percent(cell) for cell in _rows(regularization)[2][4].split(" / "))
    if not gap[0] > course_train - course_test:  # "with 100 points and wider layers, our plain network overfits more"
        found.append("regularization: the plain network no longer overfits more than the course's")
    gd, momentum, adam = _rows((directory / "optimization-table.txt").read_text())[2:]
    if not (gd[1] == momentum[1] and abs(float(gd[4]) - float(momentum[4])) < 1e-3):
        found.append("optimization: momentum no longer ends where mini-batch gradient descent does")
    if not all(
        float(adam[4]) < float(other[4]) / 2 and _percent(adam[1]) > _percent(other[1]) for other in (gd, momentum)
    ):
        found.append("optimization: Adam no longer ends far below gd and momentum, with a higher accuracy")
    return found


def _convnet_beats_dense(directory: Path) -> bool:
    """The ConvNet page: for every seed the ConvNet's test accuracy is higher than the dense network's."""
    convnet_test, dense_test = (_column((directory / name).read_text(), 3) for name in CONVNET_TABLES)
    return all(ours > dense for ours, dense in zip(convnet_test, dense_test, strict=True))


CONVNET_TABLES = ("convnet-table.txt", "digits10-table.txt")  # test accuracy in column 3 of each


def _percent(cell: str) -> float:
    return float(cell.removesuffix("%"))


def _sweep(directory: Path) -> list[list[str]]:
    """The course's sweep's rows: n_h, the notebook's accuracy, then each rerun's accuracy without its first cost."""
    return [
        [cell.partition(" (")[0] for cell in row]
        for row in _rows((directory / "planar-course-sweep.txt").read_text())[2:]
    ]


def _bracket(directory: Path) -> dict[tuple[str, str, str], tuple[list[float], list[float]]]:
    """The breast-cancer set-ups: {(inputs, start, "α, steps"): (train accuracies, test accuracies)}, in percent."""
    rows = _rows((directory / "breast-cancer-bracket.txt").read_text())[2:]
    return {
        tuple(row[:3]): tuple([float(value) for value in row[column].split(", ")] for column in (3, 4)) for row in rows
    }


def _runs(bracket, inputs: str, start: str) -> list[tuple[float, float]]:
    """(train, test) accuracy of every run of one set-up, over both schedules."""
    return [run for key, runs in bracket.items() if key[:2] == (inputs, start) for run in zip(*runs, strict=True)]


def _bracket_differences(bracket) -> list[str]:
    """The breast-cancer page's three outcomes: stuck at the majority class, near 92%, well above it."""
    found = []
    plateau = set(_runs(bracket, "raw", "He") + _runs(bracket, "standardized", "×0.01"))
    if len(plateau) != 1:
        found.append("breast cancer: raw inputs with He and standardized inputs with ×0.01 no longer all stuck")
    # the runs that leave the plateau move with the kernel (seed 0 at α = 0.05: 91.0%, 83.5%, 88.4% on the
    # training samples): near 92% is between the plateau and the standardized runs, some at 92% once rounded
    learnt = [run for run in _runs(bracket, "raw", "×0.01") if run not in plateau]
    if not (learnt and all(80 <= value < 95 for run in learnt for value in run)) or not any(
        round(value) == breast_cancer.POST_ACCURACY for run in learnt for value in run
    ):
        found.append("breast cancer: raw inputs with ×0.01 no longer end near 92% when they learn")
    if not min(min(run) for run in _runs(bracket, "standardized", "He")) > 94:
        found.append("breast cancer: standardized inputs with He no longer well above 92%")
    return found


def test_the_breast_cancer_bracket_holds_the_pages_own_runs():
    """Standardized inputs, He, α = 0.05 for 2000 steps, seeds 0 to 2: the runs of the table above it."""
    train, test = _bracket(IMG)["standardized", "He", "0.05, 2000"]
    assert train[:3] == [round(value, 1) for value in _table("breast-cancer", 1)]
    assert test[:3] == [round(value, 1) for value in _table("breast-cancer", 2)]


def test_the_comparison_across_kernels_goes_red_on_a_real_change():
    """The loosened cells still catch a change that is not rounding: planted in a copy of each table."""
    for name, changed in [
        ("batch-norm-table.txt", ("| 0.0138 | 99.7% |", "| 0.0138 | 96.7% |")),  # 3 points of accuracy
        ("batch-norm-table.txt", ("| 0.2699 |", "| 0.6000 |")),  # a cost more than doubled
        ("batch-norm-table.txt", ("| 0.0093 |", "| 0.0600 |")),  # the loosest cell: six times, not three
        ("batch-norm-table.txt", ("| 0.119 |", "| 0.117 |")),  # a stable cell: two units in its last digit
        ("planar-table.txt", ("| 96.25% |", "| 95.50% |")),  # three of 400 points
        ("square-error-table.txt", ("| 2.47e-32 |", "| 2.47e-12 |")),  # not zero any more
        ("init-post-training-table.txt", ("| 76.4% / 91.7% / 80.6% |", "| 76.4% / 91.7% / 95.6% |")),  # 15 points
        ("planar-course-costs.txt", ("| 0.219534 |", "| 0.219934 |")),  # 4e-4 from the course's run
        ("planar-course-costs.txt", ("| 0.288083 | 0.288083 |", "| 0.288083 | 0.288085 |")),  # a stable cost
        ("planar-course-table.txt", ("| 90.50% | 94.00% |", "| 89.50% | 94.00% |")),  # four of 400 points
        ("planar-post-run.txt", ("| 92.00% |", "| 93.25% |")),  # five of 400 points
        ("planar-post-run.txt", ("| 0.693111 |", "| 0.693121 |")),  # the first cost, which no kernel moves
        ("planar-course-sweep.txt", ("| 20 | 90.00% | 90.50% (", "| 20 | 90.00% | 91.50% (")),  # four of 400 points
        ("planar-course-sweep.txt", ("| 4 | 90.50% | 90.50% (", "| 4 | 90.50% | 90.75% (")),  # one point, up to 5
        ("breast-cancer-bracket.txt", ("91.0, 62.6, 62.6", "91.0, 91.6, 62.6")),  # a stuck run that learns
        ("breast-cancer-bracket.txt", ("96.5, 96.5, 95.6", "96.5, 96.5, 95.4")),  # a stable run, two units
    ]:
        committed = (IMG / name).read_text()
        assert changed[0] in committed, f"{name} no longer holds {changed[0]!r}"
        assert table_differences(name, committed, committed.replace(*changed)), f"{name}: {changed} passed"
    assert not qualitative_differences(IMG)


@pytest.mark.parametrize(
    ("name", "changed", "statement"),
    [
        ("batch-norm-table.txt", ("| 0.0093 |", "| 0.2093 |"), "batch norm no longer ends"),  # loses at lr 1
        ("planar-table.txt", ("| 97.50% |", "| 96.00% |"), "rising from 5 to 20 to 50"),
        ("planar-table.txt", ("| 94.00% | 90.50% |", "| 84.00% | 90.50% |"), "about 70% below three units"),
        (
            "init-post-training-table.txt",
            ("| 76.4% / 91.7% / 80.6% |", "| 76.4% / 91.7% / 99.6% |"),
            "N(0, 1) with tanh",
        ),
        ("planar-course-costs.txt", ("| 0.219534 |", "| 0.219634 |"), "within 1e-4 after"),
        ("planar-course-costs.txt", ("| 0.226792 | 0.226792 |", "| 0.226792 | 0.226793 |"), "six decimals"),
        ("planar-course-costs.txt", ("| 90.50% | 90%", "| 91.00% | 90%"), "prints as the notebook's 90%"),
        ("planar-course-table.txt", ("| 91.00% | 94.25% |", "| 94.50% | 94.25% |"), "end lower on the course's"),
        ("planar-course-table.txt", ("| 47.00% | 51.00% | 47% |", "| 48.00% | 51.00% | 47% |"), "47%"),
        ("planar-course-sweep.txt", ("| 90.75% | 90.75% (", "| 90.75% | 91.00% ("), "up to five units"),
        (
            "breast-cancer-bracket.txt",
            ("| 62.6, 62.6, 62.6, 62.6, 62.6 |", "| 62.6, 62.6, 80.0, 62.6, 62.6 |"),
            "stuck",
        ),
        ("breast-cancer-bracket.txt", ("91.0, 62.6", "97.0, 62.6"), "near 92%"),
        ("breast-cancer-bracket.txt", ("96.5, 96.5, 95.6", "96.5, 92.5, 95.6"), "well above 92%"),
        ("convnet-table.txt", ("| 1 | 100.00% | 98.06% |", "| 1 | 100.00% | 96.06% |"), "ConvNet no longer"),
        ("square-error-table.txt", ("| 1.055 |", "| 2.055 |"), "below the correct one"),
        ("square-error-draws.txt", ("| 0.485 (", "| 0.885 ("), "dips below"),
        ("square-error-table.txt", ("| 1.6e-10 |", "| 1.6e-06 |"), "gradient check"),
        ("digits-table.txt", ("| 3 vs 8 | 0.01 | 0.1499 |", "| 3 vs 8 | 0.01 | 0.0399 |"), "3 vs 8 no longer"),
        (
            "digits-table.txt",
            ("| 3 vs 8 | 0.0001 | 0.6628 | 96.84% | 94.44% |", "| 3 vs 8 | 0.0001 | 0.6628 | 96.84% | 100.00% |"),
            "3 vs 8 no longer",
        ),
        (
            "regularization-table.txt",
            ("| 89.0% | 88.2% | 0.8 points |", "| 99.5% | 88.2% | 11.3 points |"),
            "L2 and dropout",
        ),
        ("regularization-table.txt", ("| 94.0% | 88.5% |", "| 94.0% | 85.5% |"), "L2 and dropout"),
        ("regularization-table.txt", ("| 12.9 points |", "| 2.9 points |"), "overfits more"),
        (
            "digits-table.txt",
            ("| 0.0001 | 0.6129 | 99.65% | 100.00% |", "| 0.0001 | 0.6129 | 99.65% | 90.00% |"),
            "ln 2",
        ),
        ("digits-table.txt", ("| 0.0001 | 0.6628 |", "| 0.0001 | 0.4628 |"), "ln 2"),
        ("optimization-table.txt", ("| 0.6176 | 0.3817 |", "| 0.6176 | 0.3717 |"), "momentum no longer"),
        ("optimization-table.txt", ("| 0.2100 | 0.1263 |", "| 0.2100 | 0.2263 |"), "Adam no longer"),
    ],
)
def test_the_qualitative_check_goes_red_when_a_statement_breaks(tmp_path, name, changed, statement):
    table = (IMG / name).read_text()
    assert changed[0] in table
    (tmp_path / name).write_text(table.replace(*changed))
    assert any(statement in found for found in qualitative_differences(_WithChanged(tmp_path)))


class _WithChanged:
    """The committed tables as :func:`qualitative_differences` reads a directory (``directory / name``), with each
    table written to ``changed`` in place of the committed one: a planted change copies no other table (there were
    some 650 files a run for these tests to write and a later run to delete)."""

    def __init__(self, changed: Path):
        self.changed = changed

    def __truediv__(self, name: str) -> Path:
        return self.changed / name if (self.changed / name).exists() else IMG / name


@pytest.mark.slow
def test_figures_command_reproduces_every_committed_table(tmp_path, capsys):
    """Every table again, to within the spread of another CPU's rounding, and the statements exactly."""
    assert main(["figures", str(tmp_path)]) == 0
    committed = sorted(path.name for path in IMG.glob("*.txt"))
    assert committed == sorted(path.name for path in tmp_path.glob("*.txt"))
    assert any(name.endswith(".zh.txt") for name in committed), "the Chinese tables are compared too"
    found = [
        difference
        for name in committed
        for difference in table_differences(name, (IMG / name).read_text(), (tmp_path / name).read_text())
    ]
    assert not found, "the tables no longer match their pages:\n" + "\n".join(found)
    assert not qualitative_differences(tmp_path)
    assert sorted(path.name for path in IMG.glob("*.png")) == sorted(path.name for path in tmp_path.glob("*.png"))


def test_every_committed_figure_and_table_has_its_chinese_twin():
    names = {path.name for path in IMG.iterdir()}
    english = {name for name in names if ".zh." not in name}
    assert english, "docs/experiments/img holds the examples' files"
    assert {localized(name, "zh") for name in english} == names - english


def _pattern(text: str) -> str:
    """A regular expression for ``text`` as written with any values in its fields (none crossing a cell)."""
    parts = string.Formatter().parse(text)
    return "".join(re.escape(literal) + (r"[^|]+?" if field is not None else "") for literal, field, _, _ in parts)


def _headers(module, lang: str) -> dict[tuple[str, str], re.Pattern]:
    """The header lines ``module`` writes in ``lang``, by (module, word): a word that is a whole row ("| run | … |"),
    followed by any of its words that are further cells (" rerun, seed {seed}: … |", one per seed)."""
    said = module.WORDS[lang]
    cells = "|".join(_pattern(text) for text in said.values() if text.startswith(" ") and text.endswith(" |"))
    more = f"(?:{cells})*" if cells else ""
    headers = {name: _pattern(text) for name, text in said.items() if text.startswith("| ") and text.endswith(" |")}
    if module is digits10:  # the confusion matrix: its corner word, then the ten classes
        headers["corner"] = r"\| " + _pattern(said["corner"]) + r" \|(?: \d \|){10}"
    return {(module.__name__, name): re.compile(pattern + more + "$") for name, pattern in headers.items()}


def test_every_committed_tables_header_is_one_the_code_writes():
    """The tables are regenerated only with the slow experiments: a header changed in the code (a word of the
    terminology, 训练集 for 训练) must be changed in the committed table too, in each language, and the two
    languages' headers are the same word of the same module."""
    found = []
    for english in sorted(path for path in IMG.glob("*.txt") if ".zh." not in path.name):
        written = {}
        for lang in LANGUAGES:
            first = (IMG / localized(english.name, lang)).read_text(encoding="utf-8").splitlines()[0]
            headers = {name: pattern for module in EXAMPLES for name, pattern in _headers(module, lang).items()}
            written[lang] = {name for name, pattern in headers.items() if pattern.match(first)}
            if not written[lang]:
                found.append(f"{localized(english.name, lang)}: {first!r} is no header the code writes")
        if all(written.values()) and written["en"] != written["zh"]:
            found.append(f"{english.name}: the two languages' headers are different words {written}")
    assert not found, "\n".join(found)


def _fields(text: str) -> list[tuple[str, str, str | None]]:
    return sorted((name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text) if name)


#: Labels that are whole names, written the same in both languages: docs/terminology.zh.md keeps the course's model
#: as tanh RNN on the Chinese pages, as it keeps LSTM.
NAMES = ("tanh RNN",)


@pytest.mark.parametrize("module", sorted(WORD_TABLES))
def test_every_word_of_an_example_has_its_chinese_with_the_same_numbers(module):
    table = WORD_TABLES[module]
    assert set(table) == set(LANGUAGES)
    assert table["zh"].keys() == table["en"].keys()
    for key, english in table["en"].items():
        chinese = table["zh"][key]
        # the fields (and their formats) are the numbers: the same in both languages
        assert _fields(chinese) == _fields(english), f"{module} {key!r}: {chinese!r} formats other numbers"
        if re.search(r"[A-Za-z]{3,}", re.sub(r"\{[^}]*\}", "", english)):  # English words to translate
            # a label that is a name (Xavier, dropout) may keep its Latin letters once its punctuation is Chinese
            assert CJK.search(chinese) or chinese != english or english in NAMES, f"{module} {key!r} is not translated"


def test_the_chinese_examples_call_the_posts_wenzhang():
    """The Chinese pages call the blog posts 文章: so do the tables and figures of the examples, not 博文 or 帖子."""
    other = re.compile("博文|帖子")
    found = [
        f"{module} {key!r}"
        for module, table in WORD_TABLES.items()
        for key, zh in table["zh"].items()
        if other.search(zh)
    ]
    found += [
        path.name
        for path in (*IMG.glob("*.zh.txt"), *DOCS.glob("experiments/*.zh.md"))
        if other.search(path.read_text())
    ]
    assert not found, f"another word than 文章 for the posts: {found}"


@pytest.mark.slow  # imports matplotlib: about a second in a fresh worker
def test_a_missing_cjk_font_stops_the_figures_command_before_training_and_names_the_package(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(plots, "CJK_FONTS", ("No Such Font SC",))
    assert main(["figures", str(tmp_path / "img")]) == 1
    assert "apt-get install -y fonts-noto-cjk" in capsys.readouterr().err
    assert main(["figures", str(tmp_path / "img"), "--lang", "zh"]) == 1
    chinese = capsys.readouterr().err
    assert chinese.startswith("python -m nn figures：错误：中文的图需要一种带汉字的字体"), chinese
    assert "No Such Font SC 中的任何一种" in chinese, chinese
    assert "apt-get install -y fonts-noto-cjk" in chinese, chinese
    assert not (tmp_path / "img").exists(), "nothing is trained or written without the font"
    with pytest.raises(plots.MissingFontError, match="fonts-noto-cjk"), plots.drawing("zh"):
        pass


@pytest.mark.slow  # imports matplotlib: about a second in a fresh worker
def test_a_character_no_font_has_is_an_error_not_a_box(tmp_path):
    with plots.drawing("en") as plt:  # DejaVu Sans alone: no Chinese characters
        fig, ax = plt.subplots(figsize=(1, 1))
        ax.set_title("代价")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # save's own rule, not pytest's filterwarnings, must refuse it
            with pytest.raises(UserWarning, match=r"Glyph .* missing"):
                plots.save(fig, tmp_path / "boxes.png")
    plt.close(fig)
    assert not (tmp_path / "boxes.png").exists()


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="'en' and 'zh'") as caught:
        localized("planar-cost.png", "fr")
    assert "'en' 和 'zh'" in caught.value.text("zh")


DOCS = IMG.parents[1]
TRAIN_COMMAND = re.compile(r"python -m nn train ([^`\n#]*?)\s*(?=`|#|$)", re.MULTILINE)

#: Every ``python -m nn train`` command a page shows, with the figure the site states for it: the key of
#: its ``--json`` summary, the figure as written, and the file (under docs/) that writes it. None: the
#: page shows the command as an example of the options and states no figure for it.
COMMANDS = {
    "--dataset planar --layers 4 --activation tanh --iterations 10000 --lr 1.2 --seed 3": (
        "train_accuracy",
        "94.00%",
        "experiments/img/planar-table.txt",
    ),
    "--dataset breast_cancer --seed 0": ("test_accuracy", "96.5%", "experiments/index.md"),
    "--dataset breast_cancer --layers 20 10 5 --activation relu --seed 0 --json": (
        "test_accuracy",
        "96.5%",
        "experiments/index.md",
    ),
    "--dataset digits --digits 3 8 --layers --lr 0.01 --plot out/": ("test_accuracy", "95.8%", "experiments/index.md"),
    "--dataset digits10 --seed 0": ("test_accuracy", "97.5%", "experiments/index.md"),
    "--dataset moons --optimizer adam --mini-batch-size 64 --seed 3": (
        "train_accuracy",
        "94.33%",
        "experiments/img/optimization-table.txt",
    ),
    "--dataset moons --optimizer adam --mini-batch-size 64 --lr 0.0007 --iterations 10000 --seed 3": (
        "train_accuracy",
        "94.33%",
        "experiments/img/optimization-table.txt",
    ),
    "--dataset planar --layers 20 3 --activation relu --init he --lr 0.3 --lambd 0.7": None,
    "--dataset planar --layers 20 3 --activation relu --init he --lr 0.3 --keep-prob 0.86": None,
}


def page_commands() -> set[str]:
    return {
        command
        for page in DOCS.rglob("*.md")
        for command in TRAIN_COMMAND.findall(page.read_text())
        if command != "--help"
    }


def as_stated(value: float, figure: str) -> str:
    """``value`` written like ``figure``: a percentage with as many decimals."""
    decimals = len(figure.removesuffix("%").partition(".")[2])
    return f"{value:.{decimals}%}"


def test_every_command_on_a_page_is_checked():
    """Both languages show the same commands, and each one is in COMMANDS with the figure its page states."""
    assert page_commands() == set(COMMANDS)
    for command, stated in COMMANDS.items():
        if stated is not None:
            _, figure, where = stated
            assert figure in (DOCS / where).read_text(), f"{where} no longer states {figure} ({command})"


@pytest.mark.slow  # about twenty seconds of training in all
@pytest.mark.parametrize("command", [command for command, stated in COMMANDS.items() if stated is not None])
def test_every_command_on_a_page_gives_the_figure_it_states(command, tmp_path, capsys, monkeypatch):
    key, figure, where = COMMANDS[command]
    monkeypatch.chdir(tmp_path)  # --plot out/ writes here
    assert main(["train", *command.split(), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert as_stated(summary[key], figure) == figure, f"`python -m nn train {command}`; {where} states {figure}"


def _planar_gap() -> tuple[int, int]:
    """How many points higher our accuracy is than the course's, up to five units: the least and the most."""
    gaps = [ours - theirs for ours, theirs in zip(_table("planar", 1)[:5], _table("planar", 2)[:5], strict=True)]
    return round(min(gaps)), round(max(gaps))


def _table(stem: str, column: int) -> list[float]:
    return _column((IMG / f"{stem}-table.txt").read_text(), column)


WORD = {2: ("two", "两"), 3: ("three", "三"), 5: ("five", "五"), 7: ("seven", "七")}


def _course_planar_claims() -> list[tuple[str, str]]:
    """The planar page's statements about the course's own run, its seeds and its baseline."""
    costs = _rows((IMG / "planar-course-costs.txt").read_text())[2:]
    iterations = [int(row[0]) for row in costs[:-1]]
    parts = {}  # for each seed, the first iteration where the rerun's cost is not the notebook's
    for seed, column in ((2, 1), (3, 3)):
        notebook, rerun = ([float(row[c]) for row in costs[:-1]] for c in (column, column + 1))
        at = [a != b for a, b in zip(notebook, rerun, strict=True)].index(True)
        rises = notebook[at] > notebook[at - 1]  # the page: they part where the cost rises again
        small = max(abs(a - b) for a, b in zip(notebook, rerun, strict=True)) < 1e-4
        parts[seed] = iterations[at] if rises and small else "(the table disagrees)"
    last_same = iterations[[row[1] == row[2] and row[3] == row[4] for row in costs[:-1]].index(False) - 1]
    table = _rows((IMG / "planar-course-table.txt").read_text())[2:]
    theirs, ours = ([_percent(row[column]) for row in table[:5]] for column in (2, 3))
    logistic = [(row[2], row[3]) for row in table[5:]]
    gap = WORD[round(sum(ours) / len(ours) - sum(theirs) / len(theirs))]
    spans = (min(theirs), max(theirs), min(ours), max(ours))
    seeds = course_planar.SEEDS
    rate, steps = course_planar.LEARNING_RATE, course_planar.ITERATIONS
    return [
        (f"Up to iteration {last_same} the rerun", f"到第 {last_same} 次迭代为止"),
        (
            f"the two part: from iteration {parts[3]} on with seed 3 and from {parts[2]} on with seed 2, by less than "
            "\\(10^{-4}\\)",
            f"两者也在这时分开：种子 3 从第 {parts[3]} 次迭代起，种子 2 从第 {parts[2]} 次起，"
            "差别都在 \\(10^{-4}\\) 以内",
        ),
        (
            f"late in its {course_planar.ITERATIONS} (at iteration {parts[3]} with seed 3, {parts[2]} with seed 2)",
            f"在 {course_planar.ITERATIONS} 步的后段才与作业分开那样"
            f"（种子 3 在第 {parts[3]} 次迭代，种子 2 在第 {parts[2]} 次）",
        ),
        (f"accuracy is {costs[-1][2]} with seed 2", f"种子 2 的重跑训练集准确率为 {costs[-1][2]}"),
        (
            f"notebook prints {course_planar.NOTEBOOK_ACCURACY}% because",
            f"作业打印的是 {course_planar.NOTEBOOK_ACCURACY}%",
        ),
        (
            f"{WORD[len(seeds)][0]} seeds ({seeds[0]} to {seeds[-1]}) and the same {steps} steps at α = {rate}",
            f"{WORD[len(seeds)][1]}个种子（{seeds[0]} 到 {seeds[-1]}）、同样以 α = {rate} 训练 {steps} 步",
        ),
        (
            "between {:.2f}% and {:.2f}%, on ours between {:.2f}% and {:.2f}%".format(*spans),
            "在 {:.2f}% 到 {:.2f}% 之间；在我们的数据点上，在 {:.2f}% 到 {:.2f}% 之间".format(*spans),
        ),
        (f"the gap of about {gap[0]} points", f"约{gap[1]}个百分点的差距"),
        (
            f"reports {course_planar.NOTEBOOK_LOGISTIC}% (printed",
            f"报告的准确率是 {course_planar.NOTEBOOK_LOGISTIC}%（同样用",
        ),
        (
            f"gets {logistic[0][0]}, with 5 folds (scikit-learn's default since version 0.22) and with 3",
            f"它得到 {logistic[0][0]}，无论是 5 折（scikit-learn 从 0.22 版起的默认值）还是 3 折",
        ),
        (f"gets {logistic[2][0]} too", f"也得到 {logistic[2][0]}"),
        (
            "the three get {}, {} and {}".format(*[row[1] for row in logistic]),
            "分别得到 {}、{} 和 {}".format(*[row[1] for row in logistic]),
        ),
        (f"prints {_table('planar', 2)[3]:.1f}% for", f"打印的是 {_table('planar', 2)[3]:.1f}%"),
        (
            f"calls it with {course_planar.POST_HIDDEN} hidden units, on the course's points, for {steps} steps at "
            f"α = {rate}",
            f"调用时用 {course_planar.POST_HIDDEN} 个隐藏单元，在课程的数据点上以 α = {rate} 训练 {steps} 步",
        ),
    ]


def _course_sweep_claims() -> list[tuple[str, str]]:
    """The planar page's statements about the course's sweep over hidden sizes, rerun with the two seeds."""
    rows = {int(row[0]): row[1:] for row in _sweep(IMG)}
    costs = _rows((IMG / "planar-course-costs.txt").read_text())[2]  # iteration 0, the reruns in columns 2 and 4
    first_4 = [
        re.search(r"\((.*)\)", cell).group(1) for cell in _rows((IMG / "planar-course-sweep.txt").read_text())[5][2:]
    ]
    first_4 = [
        cost if cost == costs[column] else "(the tables disagree)" for cost, column in zip(first_4, (2, 4), strict=True)
    ]
    agree = [len(set(cells)) == 1 for cells in rows.values()]
    upto = list(rows)[agree.index(False) - 1]  # both seeds print the notebook's accuracy up to here
    (notebook_20, seed2_20, seed3_20), (notebook_50, seed2_50, seed3_50) = rows[20], rows[50]
    moved = {
        round((_percent(ours) - _percent(theirs)) * 4)
        for ours, theirs in ((seed2_20, notebook_20), (seed2_50, notebook_50))
    }
    points = WORD[moved.pop()] if len(moved) == 1 else ("(the table disagrees)", "（与表不符）")
    seed3_50 = seed3_50 if seed3_50 == notebook_50 else "(the table disagrees)"
    steps, rate = course_planar.SWEEP_ITERATIONS, course_planar.LEARNING_RATE
    return [
        (f"with {steps} iterations and the default learning rate of {rate}", f"迭代 {steps} 次，学习率是默认的 {rate}"),
        (
            f"Up to {WORD[upto][0]} units both seeds give the notebook's",
            f"在{WORD[upto][1]}个单元以内，两个种子都与作业",
        ),
        (
            f"seed 2 gives {seed2_20} and {seed2_50} where the notebook prints {notebook_20} and {notebook_50}, "
            f"{points[0]} of the 400 points on the other side each time; seed 3 gives {seed3_20} at 20 units and "
            f"the notebook's {seed3_50} at 50",
            f"种子 2 给出 {seed2_20} 和 {seed2_50}，作业打印的是 {notebook_20} 和 {notebook_50}，每次都是 400 个点中"
            f"有{points[1]}个点落到了另一边；种子 3 在 20 个单元时给出 {seed3_20}，"
            f"在 50 个单元时给出与作业相同的 {seed3_50}",
        ),
        (f"({rows[2][0].removesuffix('%')} for two units)", f"（两个单元时是 {rows[2][0].removesuffix('%')}）"),
        (f"all {WORD[len(rows)][0]} of the notebook's numbers", f"作业的{WORD[len(rows)][1]}个数字全部一致"),
        (
            f"Seed 3 gives {seed3_20} at 20 units on all three kernels",
            f"种子 3 在三种内核上 20 个单元时都是 {seed3_20}",
        ),
        (
            "({} with seed 2 and {} with seed 3, the first row of the table of costs".format(*first_4),
            "（种子 2 是 {}，种子 3 是 {}，即上面代价表的第一行）".format(*first_4),
        ),
    ]


def _spans(runs: list[tuple[float, float]]) -> list[str]:
    """The least and the most train accuracy of ``runs``, then test accuracy, as the page prints them."""
    return [f"{f(run[which] for run in runs):g}" for which in (0, 1) for f in (min, max)]


def _breast_cancer_claims() -> list[tuple[str, str]]:
    """The breast-cancer page's statements about its runs and the set-ups around the post's 92%."""
    header = _rows((IMG / "breast-cancer-bracket.txt").read_text())[0]
    features, m_train, m_test = (int(re.search(r"\((\d+) ", header[column]).group(1)) for column in (0, 3, 4))
    cost = _table("breast-cancer", 3)[0]
    bracket = _bracket(IMG)
    plateau = _runs(bracket, "raw", "He")[0]
    raw_seed_0 = _runs(bracket, "raw", "×0.01")[0]  # α = 0.05, the first schedule
    near = _spans([run for run in _runs(bracket, "raw", "×0.01") if run != plateau])
    above = _spans(_runs(bracket, "standardized", "He"))
    (rate, steps), (course_rate, course_steps) = breast_cancer.SCHEDULES
    seeds, runs = breast_cancer.BRACKET_SEEDS, WORD[len(_table("breast-cancer", 1))]
    return [
        (f"({m_train + m_test} samples, {features} features", f"（{m_train + m_test} 个样本，{features} 个特征"),
        (f"Hidden sizes {breast_cancer.LAYERS[1:-1]} with ReLU", f"隐藏层大小为 {breast_cancer.LAYERS[1:-1]}，用 ReLU"),
        (f"learning rate {rate:g}, {steps} steps", f"学习率 {rate:g}，训练 {steps} 步"),
        (f"{runs[0].capitalize()} initialization seeds", f"{runs[1]}个初始化种子"),
        (f"training cost near {cost:.3f} (seed 0)", f"训练代价接近 {cost:.3f}（种子 0）"),
        (
            f"ends at {raw_seed_0[0]:.1f}% on the training samples and {raw_seed_0[1]:.1f}% on the test samples",
            f"这里最后在训练样本上是 {raw_seed_0[0]:.1f}%、测试样本上是 {raw_seed_0[1]:.1f}%",
        ),
        (f"memorized its {m_train} training samples", f"记住了它的 {m_train} 个训练样本"),
        (
            f"{WORD[len(seeds)][0]} seeds ({seeds[0]} to {seeds[-1]})",
            f"{WORD[len(seeds)][1]}个种子（{seeds[0]} 到 {seeds[-1]}）",
        ),
        (f"(α = {rate:g}, {steps} steps)", f"（α = {rate:g}，{steps} 步）"),
        (f"(α = {course_rate:g}, {course_steps} steps)", f"（α = {course_rate:g}，{course_steps} 步）"),
        (
            f"{plateau[0]:.1f}% of the training samples, {plateau[1]:.1f}% of the test samples",
            f"训练样本的 {plateau[0]:.1f}%、测试样本的 {plateau[1]:.1f}%",
        ),
        (
            "{}% to {}% on the training samples and {}% to {}% on the test samples".format(*near),
            "训练样本上 {}% 到 {}%，测试样本上 {}% 到 {}%".format(*near),
        ),
        (
            "{}% to {}% on the training samples, {}% to {}% on the test samples".format(*above),
            "训练样本上 {}% 到 {}%，测试样本上 {}% 到 {}%".format(*above),
        ),
        (f"the post's {breast_cancer.POST_ACCURACY}%", f"文章的 {breast_cancer.POST_ACCURACY}%"),
    ]


def _confusion() -> tuple[int, int, int, dict[int, int], list[tuple[int, int]]]:
    """The test-set confusion matrix's digit with the most errors: it, its errors, all errors, what it
    was read as {predicted digit: times}, and the mistakes (true digit, prediction) made more than once."""
    rows = [
        [0 if cell == "·" else int(cell) for cell in row[1:]]
        for row in _rows((IMG / "digits10-confusion.txt").read_text())[2:]
    ]
    errors = [sum(row) - row[digit] for digit, row in enumerate(rows)]
    worst = max(range(len(rows)), key=errors.__getitem__)
    assert errors.count(errors[worst]) == 1, "no one digit has the most errors"
    read_as = {digit: count for digit, count in enumerate(rows[worst]) if count and digit != worst}
    repeated = [
        (true, said) for true, row in enumerate(rows) for said, count in enumerate(row) if true != said and count > 1
    ]
    return worst, errors[worst], sum(errors), read_as, repeated


def _convnet_claims() -> list[tuple[str, str]]:
    """The ConvNet page's comparison: every seed's test accuracy, and both networks' parameters as their
    initializers shape them (the ConvNet's filters and softmax layer, the dense network's two layers)."""
    import inspect

    from nn import initialize_parameters
    from nn.experiments import convnet, digits10
    from nn.optimizers import update_parameters_with_adam

    layers, dense_source = [64, 32, 10], inspect.getsource(digits10.write)
    assert str(layers) in dense_source, "the dense network's layers are no longer 64-32-10"
    (steps,) = re.findall(r"num_iterations=(\d+)", dense_source)  # full-batch steps: one per iteration
    adam = {name: value.default for name, value in inspect.signature(update_parameters_with_adam).parameters.items()}
    # the ConvNet's step passes the learning rate alone, so Adam's β₁, β₂ and ε are the function's defaults
    defaults = "update_parameters_with_adam(parameters, grads, v, s, t, LEARNING_RATE)" in inspect.getsource(
        convnet.train_convnet
    )
    epsilon = f"{adam['epsilon']:.0e}".replace("e-0", "e-")
    initial = convnet.initialize()
    conv = [value.size for value in initial.values()]  # W1, b1, W2, b2
    dense = [value.size for value in initialize_parameters(layers, "he", 0).values()]
    higher = _convnet_beats_dense(IMG)
    shuffled = "seed=seed * 1000 + epoch" in inspect.getsource(convnet.train_convnet)  # the seed orders the batches
    return [
        (
            "Three seeds, each drawing the initial weights and the order of the mini-batches"
            if shuffled
            else "(the code disagrees)",
            "三个种子（每个种子决定初始权重和小批量的顺序）" if shuffled else "（与代码不符）",
        ),
        ("a {} × {} matrix".format(*initial["W2"].shape), "一个 {} × {} 的矩阵".format(*initial["W2"].shape)),
        (
            f"Adam with the course's β₁ = {adam['beta1']:g}, β₂ = {adam['beta2']:g} and ε = {epsilon}"
            if defaults
            else "(the code disagrees)",
            f"Adam，取课程中的 β₁ = {adam['beta1']:g}、β₂ = {adam['beta2']:g}、ε = {epsilon}"
            if defaults
            else "（与代码不符）",
        ),
        (
            f"({'-'.join(map(str, layers))}, batch gradient descent, {steps} steps)",
            f"（{'-'.join(map(str, layers))}，批量梯度下降 {steps} 步）",
        ),
        (f"against full-batch gradient descent for {steps} steps", f"全连接网络用全批量梯度下降训练 {steps} 步"),
        (
            "For every seed the ConvNet's test accuracy is higher than the dense network's"
            if higher
            else "(the tables disagree)",
            "每个种子下，卷积网络的测试集准确率都高于全连接网络" if higher else "（与表不符）",
        ),
        (
            "{} ({} + {} in the filters, {} + {} in the softmax layer) against {} ({} + {} and {} + {})".format(
                sum(conv), *conv, sum(dense), *dense
            ),
            "{} 个（滤波器中 {} + {} 个，softmax 层中 {} + {} 个），全连接网络是 {} 个（{} + {} 和 {} + {}）".format(
                sum(conv), *conv, sum(dense), *dense
            ),
        ),
    ]


def _index_row_claims() -> list[tuple[str, str]]:
    """The examples index's rows for the square-error rerun, the ConvNet and the sequences, from their tables."""
    figures = {row[0]: row[1] for row in _rows((IMG / "square-error-table.txt").read_text())[2:]}
    lowest = float(NUMBER.match(figures["buggy gradient: lowest loss, and its epoch"]).group())
    floor = float(figures["buggy gradient: loss at the end of the flow"])
    convnet_test, dense_test = (_column((IMG / name).read_text(), 3) for name in CONVNET_TABLES)
    vanishing = {row[0]: float(row[-1]) for row in _rows((IMG / "sequences-vanishing-table.txt").read_text())[2:]}
    rnn, lstm = vanishing["tanh RNN, W_aa as drawn"], vanishing["LSTM, b_f = 3"]
    adding = _rows((IMG / "sequences-adding-table.txt").read_text())[2:]
    learned = {(row[0], row[1]): row[3].startswith("yes") for row in adding}
    longest = max(int(row[1]) for row in adding)
    stops = not any(learned[name, str(longest)] for name, _ in learned if name == "tanh RNN") and all(
        learned[name, length] for name, length in learned if name == "LSTM"
    )
    return [
        (
            f"dips to {lowest:.2f}, then settles at Σt² = {floor:.2f}",
            f"先降到 {lowest:.2f}，最后停在 Σt² = {floor:.2f}",
        ),
        (
            f"{convnet_test[0]:.1f}% test (seed 0; dense: {dense_test[0]:.1f}%)",
            f"测试集 {convnet_test[0]:.1f}%（种子 0；全连接网络：{dense_test[0]:.1f}%）",
        ),
        (
            f"‖∂a⟨50⟩/∂a⟨0⟩‖₂ about {rnn:.0e} (RNN), {lstm:.0f} (LSTM, b_f = 3)",
            f"‖∂a⟨50⟩/∂a⟨0⟩‖₂ 约为 {rnn:.0e}（RNN）、{lstm:.0f}（LSTM，b_f = 3）",
        ),
        (
            f"the RNN stops learning at T = {longest}, the LSTM does not" if stops else "(the table disagrees)",
            f"RNN 到 T = {longest} 学不会，LSTM 学得会" if stops else "（与表不符）",
        ),
    ]


def _mean_image_distances() -> tuple[float, float]:
    """How far apart the mean images of 3 and 8, then of 1 and 0, are: the Euclidean distance between the means of
    all of scikit-learn's images of each digit, as columns of X (the logistic-regression page's data)."""
    import nn.datasets

    distances = []
    for positive, negative in ((3, 8), (1, 0)):
        data = nn.datasets.digits(positive, negative)
        X, Y = np.hstack([data.X_train, data.X_test]), np.hstack([data.Y_train, data.Y_test])[0]
        distances.append(float(np.linalg.norm(X[:, Y == 1].mean(axis=1) - X[:, Y == 0].mean(axis=1))))
    return distances[0], distances[1]


@functools.cache
def prose_claims() -> dict[str, list[tuple[str, str]]]:
    """The numbers the pages' prose states about a run, each computed from the table the same run wrote,
    with the words around it in each language: {page: [(English, Chinese)]}. The committed tables are the
    run's output, so a paragraph cannot drift from the table it sits under.

    Computed once per process: it reads only committed files and the code, and each of the many tests that
    read it would otherwise load the digits and redo every table's arithmetic."""
    bn, planar = _table("batch-norm", 4), _table("planar", 1)
    # the last cost at learning rate 1 with batch norm (row 5), committed and as the other kernels gave it
    chaotic = [bn[5]] + [
        float(figure)
        for name, cells, figures in OTHER_KERNELS
        if (name, cells) == ("batch-norm-table.txt", [(5, 4)])
        for figure in figures
    ]
    spread = max(chaotic) / min(chaotic)
    factor = WORD[round(spread)] if abs(spread - round(spread)) < 0.1 * spread else ("(no)", "（不）")
    plain_spread, bn_spread, passes = _column((IMG / "batch-norm-figures.txt").read_text(), 1)
    course, gap = _table("planar", 2), _planar_gap()
    cancer, digits, digits10 = _table("breast-cancer", 2), _table("digits", 4), _table("digits10", 3)
    regularization, optimization = _table("regularization", 2), _table("optimization", 1)
    gaps = _table("regularization", 3)  # train − test, in points: no regularization, L2, dropout
    gains = {f"{test - regularization[0]:.0f}" for test in regularization[1:]}  # each regularizer's gain on test
    least, most = f"{min(digits10):.1f}%", f"{max(digits10):.1f}%"
    cancer_train, regularization_train, digits_cost = (
        _table("breast-cancer", 1),
        _table("regularization", 1),
        _table("digits", 2),
    )
    worst, worst_errors, all_errors, read_as, repeated = _confusion()
    hard, easy = _mean_image_distances()
    assert hard < easy  # 3 vs 8 is the harder pair, as the page says
    times = {1: ("once", "一次"), 2: ("twice", "两次")}
    (twice, as_often), (once, as_seldom) = sorted(read_as.items(), key=lambda item: -item[1])
    once_each = repeated == [(worst, twice)]  # every other (true digit, prediction) cell holds at most 1
    start = float(NUMBER.search(_rows((IMG / "square-error-table.txt").read_text())[2][1]).group())
    vanishing = [
        [float(cell) for cell in row[1:]] for row in _rows((IMG / "sequences-vanishing-table.txt").read_text())[2:]
    ]
    rnn_50, lstm_b0_50, lstm_b3 = vanishing[0][-1], vanishing[4][-1], vanishing[5]
    gain = vanishing[1][-1] ** (1 / 50)  # γ ‖W_aa‖₂ over the 50 steps, from the bound (γ ‖W_aa‖₂)^50
    (_, ten, _, fifty), (t_ten, t_fifty) = vanishing[4], sequences.SHOWN[1::2]  # LSTM, b_f = 0, at T = 10 and 50
    per_step = (fifty / ten) ** (1 / (t_fifty - t_ten))  # what the measured norm is multiplied by at each step
    two_thirds = abs(per_step - 2 / 3) < 0.05  # the page's "about 2/3", not the cell path's 1/2
    seeds, medians = WORD[len(sequences.SEEDS)], "median" in sequences.WORDS["en"]["norm"]  # the figure's axis label

    def power(value):  # the power of ten of a figure printed as 3.4e-11
        return f"\\(10^{{{int(f'{value:e}'.split('e')[1])}}}\\)"

    adding = _rows((IMG / "sequences-adding-table.txt").read_text())[2:]
    longest = sequences.LENGTHS[-1]  # the first marker is on one of steps 1 to T/2, the prediction reads step T
    rnn_at_40 = {row[3] for row in adding if row[0] == "tanh RNN" and row[1] == "40"}
    at_mean = rnn_at_40 == {"no: within 25% of the mean's 1/6"}
    return {
        "sequences": [
            (f"passes on about {power(rnn_50)} of a change", f"传下去约{power(rnn_50)}，"),
            (
                f"for each network and each T, the median over the {seeds[0]} seeds" if medians else "(no median)",
                f"每种网络在每个 T 下{seeds[1]}个种子的中位数" if medians else "（不是中位数）",
            ),
            (f"\\(b_f = 0\\) about {power(lstm_b0_50)}", f"的 LSTM 约 {power(lstm_b0_50)}"),
            (
                f"from T = {t_ten} to T = {t_fifty} the measured norm is multiplied by about 2/3 at each step"
                if two_thirds
                else "(the table disagrees)",
                f"从 T = {t_ten} 到 T = {t_fifty}，实测的范数每一步约乘以 2/3" if two_thirds else "（与表不符）",
            ),
            (
                f"\\(\\gamma \\lVert W_{{aa}} \\rVert_2\\) is about {gain:.0f}",
                f"\\(\\gamma \\lVert W_{{aa}} \\rVert_2\\) 约为 {gain:.0f}",
            ),
            (
                f"sits {longest - longest // 2} to {longest - 1} steps before the",
                f"在预测之前 {longest - longest // 2} 到 {longest - 1} 步",
            ),
            (
                f"stays between about {min(lstm_b3):.1f} and {max(lstm_b3):.0f} over the 50 steps",
                f"一直保持在约 {min(lstm_b3):.1f} 到 {max(lstm_b3):.0f} 之间",
            ),
            (
                "error stays within 25% of the mean's 1/6 for both seeds" if at_mean else "(the table disagrees)",
                "两个种子的测试误差都停在均值的误差 1/6 附近，相差不到 25%" if at_mean else "（与表不符）",
            ),
        ],
        "square_error": [(f"Its loss falls from {start:.0f} to", f"它从 {start:.0f} 降到")],
        "convnet": _convnet_claims(),
        "digits10": [
            (
                f"The digit {worst} has the most errors, {worst_errors} of the {all_errors} errors in all: read "
                f"{times[as_often][0]} as a {twice} and {times[as_seldom][0]} as a {once}.",  # and no reading beyond
                f"出错最多的数字是 {worst}，{all_errors} 个错误中占 {worst_errors} 个："
                f"{times[as_often][1]}被认成 {twice}，"
                f"{times[as_seldom][1]}被认成 {once}。",
            ),
            (
                (
                    "No other mistake, true digit and prediction, happens more than once."
                    if once_each
                    else "(the table disagrees)"
                ),
                "其他任何一种错误（真实数字与预测的组合）都只出现一次。" if once_each else "（与表不符）",
            ),
        ],
        "batch_norm": [
            (
                f"the largest of the last costs the {WORD[len(chaotic)][0]} kernels gave is about {factor[0]} times "
                "the smallest",
                f"{WORD[len(chaotic)][1]}种内核给出的最后代价中，最大的约为最小的{factor[1]}倍",
            ),
            (f"at learning rate\n0.1 it is {bn[3]:.3f}", f"最后一次记录的代价是 {bn[3]:.3f}"),
            (f"against {bn[2]:.3f} for the plain network", f"不加的网络是 {bn[2]:.3f}"),
            (
                f"final cost ({bn[0]:.3f}) at step {passes:.0f}",
                f"在第 {passes:.0f} 步就低于不加的网络最终的代价（{bn[0]:.3f}）",
            ),
            (
                f"of {bn_spread:.2f} over the batch against {plain_spread:.2f} without",
                f"标准差是 {bn_spread:.2f}，而不加批归一化时是 {plain_spread:.2f}",
            ),
        ],
        "planar": [
            (f"to {planar[5]:.2f}% and {planar[6]:.1f}%", f"到 {planar[5]:.2f}% 和 {planar[6]:.1f}%"),
            (f"({course[5]:.2f}% and {course[6]:.2f}%)", f"（{course[5]:.2f}% 和 {course[6]:.2f}%）"),
            (f"({planar[3]:.0f}% against {course[3]:.1f}% at", f"{planar[3]:.0f}% 对 {course[3]:.1f}%"),
            ("{} to {} points higher".format(*gap), "高 {} 到 {} 个百分点".format(*gap)),
            *_course_planar_claims(),
            *_course_sweep_claims(),
        ],
        "breast_cancer": [
            (f"training accuracy of {cancer_train[0]:.0f}%", f"训练集准确率 {cancer_train[0]:.0f}%"),
            *_breast_cancer_claims(),
        ],
        "regularization": [
            (
                f"reaches {regularization_train[0]:.0f}% on its training points",
                f"在训练点上达到 {regularization_train[0]:.0f}%",
            ),
            (f"it gets {regularization[0]:.0f}%", f"在新的点上只有 {regularization[0]:.0f}%"),
            (
                "L2 from {:.1f} to {:.1f} points, dropout to {:.1f} points, ".format(*gaps)
                + (f"and both end about {min(gains)} points higher" if len(gains) == 1 else "(the table disagrees)"),
                "L2 把差距从 {:.1f} 个百分点缩小到 {:.1f} 个百分点，dropout 缩小到 {:.1f} 个百分点，".format(*gaps)
                + (f"两者在测试集上都高出约 {min(gains)} 个百分点" if len(gains) == 1 else "（与表不符）"),
            ),
        ],
        "optimization": [
            *[(f"end at {accuracy:.1f}% here", f"这里最终为 {accuracy:.1f}%") for accuracy in optimization[:2]],
            (f"({optimization[2]:.1f}% against about 94%)", f"（{optimization[2]:.1f}% 对约 94%）"),
        ],
        "logistic_regression": [
            (
                f"still {digits_cost[2]:.2f} (1 vs 0) and {digits_cost[5]:.2f} (3 vs 8)",
                f"{digits_cost[2]:.2f}（1 对 0）和 {digits_cost[5]:.2f}（3 对 8）",
            ),
            (
                f"the mean image of the 3s is {hard:.2f} from that of the 8s, against {easy:.2f} from the 1s to the 0s",
                f"3 的平均图像与 8 的平均图像相距 {hard:.2f}，而 1 与 0 之间是 {easy:.2f}",
            ),
        ],
        "index": [
            (f"{planar[3]:.1f}% train (10000 steps)", f"训练集 {planar[3]:.1f}%（10000 步）"),
            (f"{max(cancer):.1f}% test (best of 3 seeds)", f"测试集 {max(cancer):.1f}%（3 个种子中最好的）"),
            (f"{digits[3]:.1f}% test (3 vs 8)", f"测试集 {digits[3]:.1f}%（3 对 8）"),
            (
                f"{digits10[0]:.1f}% test (seed 0; {least} to {most} over three seeds)",
                f"测试集 {digits10[0]:.1f}%（种子 0；三个种子在 {least} 到 {most} 之间）",
            ),
            (
                "test {:.1f}% → {:.1f}% (L2), {:.1f}% (dropout)".format(*regularization),
                "测试集 {:.1f}% → {:.1f}%（L2）、{:.1f}%（dropout）".format(*regularization),
            ),
            (
                "{:.1f}%, {:.1f}%, {:.1f}% train".format(*optimization),
                "训练集 {:.1f}%、{:.1f}%、{:.1f}%".format(*optimization),
            ),
            (
                f"cost {bn[2]:.3f} without, {bn[3]:.3f} with batch norm",
                f"代价：不加批归一化 {bn[2]:.3f}，加批归一化 {bn[3]:.3f}",
            ),
            *_index_row_claims(),
        ],
    }


def _prose(page: str, lang: str) -> str:
    """The page's text with its Markdown line breaks joined (a Chinese line break joins without a space)."""
    text = (DOCS / "experiments" / localized(f"{page}.md", lang)).read_text()
    return joined(text, lang)


PROSE_PAGES = (
    "sequences",
    "square_error",
    "digits10",
    "batch_norm",
    "planar",
    "breast_cancer",
    "regularization",
    "optimization",
    "logistic_regression",
    "convnet",
    "index",
)


@pytest.mark.parametrize("page", PROSE_PAGES)
def test_the_prose_states_the_numbers_of_its_own_run(page):
    claims = prose_claims()
    assert set(claims) == set(PROSE_PAGES)
    for english, chinese in claims[page]:
        assert re.sub(r"\s+", " ", english) in _prose(page, "en"), f"{page}.md no longer says {english!r}"
        assert chinese in _prose(page, "zh"), f"{page}.zh.md no longer says {chinese!r}"


def test_every_measured_norm_of_the_sequences_table_is_under_its_bound():
    """sequences.md: "The bound holds everywhere, as it must": each tanh RNN row of the table under its bound's row."""
    rows = _rows((IMG / "sequences-vanishing-table.txt").read_text())[2:]
    for measured, bound in ((rows[0], rows[1]), (rows[2], rows[3])):
        assert bound[0].startswith(measured[0])
        assert all(float(m) <= float(b) for m, b in zip(measured[1:], bound[1:], strict=True)), measured[0]


@pytest.mark.slow  # 2 × 3 runs of 50 lengths, about a second
def test_the_sequences_page_holds_at_every_length_and_seed():
    """What sequences.md says beyond the table's medians at four lengths: the bound holds at every T and for every
    seed, W_aa as drawn has spectral norm about 2, and the LSTM with b_f = 3 stays between the table's least and
    largest figures (about 0.3 and 2) at every one of the 50 lengths."""
    import numpy as np

    for seed in sequences.SEEDS:
        for scale in (None, 0.9):
            norms, bounds = sequences.jacobian_norms("rnn", seed, scale)
            assert np.all(norms <= bounds * (1 + 1e-12)), (seed, scale)
        drawn = sequences._parameters("rnn", np.random.default_rng(seed), sequences.N_X, sequences.N_A)["Waa"]
        assert f"{np.linalg.norm(drawn, 2):.0f}" == "2"
    medians = np.median([sequences.jacobian_norms("lstm", seed, None, 3.0)[0] for seed in sequences.SEEDS], axis=0)
    shown = [float(cell) for cell in _rows((IMG / "sequences-vanishing-table.txt").read_text())[-1][1:]]
    assert (f"{medians.min():.1f}", f"{medians.max():.0f}") == (f"{min(shown):.1f}", f"{max(shown):.0f}")


@pytest.mark.slow  # imports matplotlib and rescans the system's fonts
def test_a_font_cache_older_than_the_cjk_font_is_rescanned(monkeypatch):
    """A font installed after matplotlib built its cache is found without deleting the cache by hand."""
    from matplotlib import font_manager

    name = plots.cjk_font()  # .ci/run installs fonts-noto-cjk
    manager = font_manager.fontManager
    cjk = {font.fname for font in manager.ttflist if font.name in plots.CJK_FONTS}
    monkeypatch.setattr(manager, "ttflist", [font for font in manager.ttflist if font.fname not in cjk])
    assert plots.cjk_font() == name


SNIPPET = re.compile(r'^--8<-- "([^":]+)(?::[^"]*)?"\s*$', re.MULTILINE)
#: What the number scan skips: code, math, comments, snippet lines, link targets, heading ids and tables
#: (the tables are the run's output themselves).
NOT_PROSE = re.compile(
    r"\d+(?:\.\d+){2,}|```.*?```|`[^`\n]*`|\\\(.*?\\\)|\\\[.*?\\\]|<!--.*?-->|^--8<--[^\n]*|\]\([^)]*\)|\{#[^}]*\}|^\|[^\n]*",
    re.DOTALL | re.MULTILINE,
)
PROSE_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:e[-+]?\d+)?%?")

#: The figures other BLAS kernels gave for the cells that vary, as the pages quote them: (table, cells, figures),
#: each figure measured by hand once (``python -m nn figures`` with OPENBLAS_CORETYPE=Haswell and Sandybridge,
#: see ACROSS_KERNELS) and held by a test to within ACROSS_KERNELS's bound of one of the committed cells.
OTHER_KERNELS = (
    ("batch-norm-table.txt", [(3, 4)], ("0.0124",)),  # lr 0.1, batch norm
    ("batch-norm-table.txt", [(5, 4)], ("0.0171", "0.0276")),  # lr 1, batch norm
    ("batch-norm-table.txt", [(4, 4)], ("0.1747", "0.2330")),  # lr 1, plain
    ("planar-table.txt", [(5, 1)], ("96.50%",)),  # n_h = 20
    ("square-error-table.txt", [(3, 1)], ("1.54e-32", "5.57e-32")),  # the end of the correct flow
    ("learning-rates-table.txt", [(12, 3), (13, 3), (14, 3)], ("12.1", "61.2")),  # α = 200: the final costs
    ("learning-rates-table.txt", [(12, 6), (13, 6), (14, 6)], ("54.0%", "74.8%")),  # α = 200: the accuracies
    ("planar-course-costs.txt", [(8, 2)], ("0.219474", "0.219464")),  # the course's run, seed 2, iteration 8000
    ("planar-course-sweep.txt", [(5, 2)], ("90.00%",)),  # the course's sweep, seed 2, n_h = 20, Haswell
    ("planar-course-sweep.txt", [(6, 2)], ("90.25%",)),  # seed 2, n_h = 50, Haswell
    ("planar-course-sweep.txt", [(6, 3)], ("90.50%",)),  # seed 3, n_h = 50, Haswell and Sandybridge
    ("planar-post-run.txt", [(0, 3)], ("91.25%",)),  # the planar post's run, seed 2, Sandybridge
    ("planar-post-run.txt", [(1, 3)], ("91.75%",)),  # seed 3, Haswell and Sandybridge
    (
        "breast-cancer-bracket.txt",
        [(0, 3)],
        ("83.5%", "88.4%"),
    ),  # raw, ×0.01, α = 0.05, seed 0: train, Haswell, Sandybridge
    ("breast-cancer-bracket.txt", [(0, 4)], ("86.8%",)),  # then test, Haswell (Sandybridge: 93.0% as here)
)
_KERNEL = (
    "another kernel's figure in a cell of several seeds, measured by hand once; the slow comparison's bound for "
    "that table (ACROSS_KERNELS) covers it"
)
_INIT = "held to the committed tables by tests/test_init_table.py"
_DATA = "a fact of the data set, not of a run"
_POST = "the post's figure, quoted with its setting on the page"
_COURSE = "the course's figure, quoted with its setting on the page"
_TIME = "a time measured once, said to be on busy cores"
#: The numbers an experiment page's prose may state that no table and no included source of its run holds,
#: with why, per page: the posts' and the course's figures (each quoted with its setting on the page), facts
#: of the data and arithmetic on the settings the page states.
QUOTED: dict[str, dict[str, str]] = {
    "breast_cancer": {
        "569": _DATA,
        "455": _DATA + " (80% of 569)",
        "0.01": "the post's scale of its random weights, quoted",
        "4254": _DATA + " (the largest raw feature)",
    },
    "convnet": {
        **dict.fromkeys(("1797", "80", "20", "1437", "360"), _DATA),
    },
    "digits10": dict.fromkeys(("1797", "80", "20"), _DATA),
    "learning_rates": {
        **dict.fromkeys(("285", "72", "16", "400"), _DATA),
        "0.693": "ln 2, the cost of a prediction of 1/2",
        **dict.fromkeys(("209", "12288"), _POST),
    },
    "logistic_regression": dict.fromkeys(("16", "80", "20"), _DATA),
    "index": {
        "400": _DATA,
        "7.5": "91.0 − 83.5, two figures the page gives",
        **dict.fromkeys(("0.00723", "0.0076", "83.3%"), _KERNEL),
    },
    "init_table": {
        **dict.fromkeys(("285", "72", "64"), _DATA + " (the digits 3 and 8, 64 pixels)"),
        "11.5": _INIT + " (the measured growth of a ReLU stack from N(0, 1))",
        "0.08": _INIT + " (the ×0.01 sigmoid stack's std, and √0.0064 by arithmetic)",
        **dict.fromkeys(("0.001", "97%"), _INIT + " (the bounds Xavier and He train under)"),
        **dict.fromkeys(("0.00723", "0.0076", "83.3%"), _KERNEL),
        "30%": "the tolerance of ACROSS_KERNELS for that row, which the page states",
    },
    "optimization": {
        "300": _DATA,
        "150": _DATA,
        "44": "300 − 4 × 64, the last mini-batch",
        **dict.fromkeys(("79.7%", "94%"), _COURSE),
    },
    "planar": {
        "70%": "the level qualitative_differences holds the one- and two-unit networks under",
        **dict.fromkeys(
            ("250", "3750", "4750"),
            "the course's sweep: its costs every 250 iterations at n_h = 20 and 50, compared by hand once across "
            "the three kernels (a test may not set OPENBLAS_CORETYPE)",
        ),
    },
    "regularization": dict.fromkeys(("93%", "95%"), _COURSE),
    "square_error": {
        **dict.fromkeys(("39", "22"), _TIME),
        **dict.fromkeys(("165", "0.33"), _POST),
        **dict.fromkeys(("2e-7", "1e-7"), _COURSE + " (its threshold and its ε)"),
        # printed by `python -m nn.experiments.square_error` (40 million exact steps, over 15 minutes: too slow
        # for any test), which the page names; a slow test in test_square_error.py finds the same figures on the
        # gradient flow at the same epochs
        **dict.fromkeys(("0.150", "1.3", "38.7", "0.8393", "4000", "130", "3870"), "the exact-steps run by hand"),
    },
}


def _page_numbers(text: str) -> list[str]:
    return [number.removesuffix(".") for number in PROSE_NUMBER.findall(NOT_PROSE.sub(" ", text))]


def unbound_numbers(page: str, lang: str, text: str | None = None) -> list[str]:
    """The numbers in the prose of ``page`` (in ``lang``; ``text`` instead of the file, to plant one) that
    are neither a bound claim of :func:`prose_claims`, nor in a table or source file the page includes
    (the run's outputs and its settings), nor quoted in :data:`QUOTED`. Whole numbers up to 10 are counts
    (layers, seeds, list items), not results, and are not held."""
    path = DOCS / "experiments" / localized(f"{page}.md", lang)
    text = path.read_text() if text is None else text
    sources = [DOCS.parent / name for name in SNIPPET.findall(text)]
    if page == "index":  # the overview of every example: their settings and their tables
        sources += sorted((DOCS.parent / "nn" / "experiments").glob("*.py")) + sorted(IMG.glob("*.txt"))
    claims = " ".join(pair[lang == "zh"] for pair in prose_claims().get(page, []))
    kernels = " ".join(" ".join(figures) for _, _, figures in OTHER_KERNELS)
    known = set(NUMBER.findall("\n".join(path.read_text() for path in sources) + f" {claims} {kernels}"))
    known |= set(QUOTED.get(page, {}))
    return [
        number
        for number in _page_numbers(text)
        if number not in known
        and number.removesuffix("%") not in known
        and not (number.isdigit() and int(number) <= 10)
    ]


EXPERIMENT_PAGES = sorted(
    path.name.removesuffix(".md") for path in (DOCS / "experiments").glob("*.md") if ".zh." not in path.name
)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", EXPERIMENT_PAGES)
def test_every_number_in_an_experiments_prose_comes_from_its_run_or_is_quoted(page, lang):
    assert not unbound_numbers(page, lang), f"{localized(page + '.md', lang)}: numbers from no run and no quote"


def test_the_other_kernels_figures_a_page_quotes_are_within_the_spread_the_comparison_allows():
    """Each figure the pages quote from another kernel passes the slow test's comparison in place of one of
    the committed cells it stands for: the pages' spreads and ACROSS_KERNELS's bounds are the same."""
    for name, cells, figures in OTHER_KERNELS:
        committed = (IMG / name).read_text()
        for figure in figures:
            passing = []
            for row, column in cells:
                line = committed.splitlines()[row + 2]
                parts = line.split("|")  # "", then the cells with their spaces: the cell itself, not its twin
                parts[column + 1] = NUMBER.sub(figure.removesuffix("%"), parts[column + 1], count=1)  # its figure
                swapped = committed.replace(line, "|".join(parts))
                passing.append(swapped != committed and not table_differences(name, committed, swapped))
            assert any(passing), f"{name}: {figure} is outside ACROSS_KERNELS's bound of every cell {cells}"


@pytest.mark.parametrize(
    ("page", "lang", "planted", "number"),
    [
        ("batch_norm", "en", ("at step 194", "at step 195"), "195"),  # a result typed in, off by one
        ("batch_norm", "zh", ("标准差是 1.03", "标准差是 1.04"), "1.04"),
        ("square_error", "en", ("Its loss falls from", "After 12 steps its loss falls from"), "12"),
        ("index", "zh", ("0.0171", "0.0172"), "0.0172"),  # a kernel's figure no one measured
    ],
)
def test_a_number_typed_into_the_prose_is_found(page, lang, planted, number):
    text = (DOCS / "experiments" / localized(f"{page}.md", lang)).read_text()
    assert planted[0] in text
    assert number in unbound_numbers(page, lang, text.replace(*planted, 1))


def test_a_figure_of_a_table_the_page_includes_is_not_flagged_and_one_of_another_table_is():
    included = '--8<-- "docs/experiments/img/digits10-table.txt"\n\n'
    assert not unbound_numbers("digits10", "en", text=included + "Seed 0 reaches 99.86%.")
    assert unbound_numbers("digits10", "en", text="Seed 0 reaches 99.86%.") == ["99.86%"]


def test_the_batch_norm_runs_start_from_the_same_weights():
    """The batch-norm page: the seed is the same, so both networks start from the same W[l]; batch norm only adds
    its γ and β (and running averages) beside them."""
    from nn import initialize_parameters

    dims = [2] + [16] * 6 + [1]
    plain, normed = (initialize_parameters(dims, "he", 1, batch_norm=flag) for flag in (False, True))
    assert all(np.array_equal(plain[f"W{l}"], normed[f"W{l}"]) for l in range(1, len(dims)))


@pytest.mark.slow  # draws the moons with scikit-learn
def test_the_batch_norm_figures_start_where_the_runs_start():
    """output_spread's forward pass is the runs' step 0: its cost is the table's cost at step 0, both networks."""
    from nn import compute_cost, datasets, forward_propagation, initialize_parameters
    from nn.experiments import batch_norm

    X, Y = datasets.moons(300, noise=0.2, random_state=3)
    start = _table("batch-norm", 2)[:2]  # plain, batch norm
    for batch_norm_on, cost in zip((False, True), start, strict=True):
        parameters = initialize_parameters([2] + [16] * 6 + [1], "he", 1, batch_norm=batch_norm_on)
        AL, cache = forward_propagation(X, parameters, ["relu"] * 6 + ["sigmoid"])
        assert f"{compute_cost(AL, Y):.3f}" == f"{cost:.3f}"
        assert cache["Z7"].std() == batch_norm.output_spread(batch_norm_on)


@pytest.mark.slow  # the optimization page's three runs of 10000 epochs, about 12 s
def test_the_optimization_page_reads_its_cost_curves_right():
    """optimization.md: the cost curves of gd and momentum "lie on top of each other" (within 1% at every epoch),
    their cost is "still falling after 10000 epochs" (lower at the end of each of the last ten spans of 100 epochs
    than at its start), and Adam's curve lies below both at every epoch."""
    from nn.experiments import optimization

    _, _, results = optimization.optimization_experiment()
    gd, momentum, adam = (np.asarray(results[name][1]) for name in optimization.OPTIMIZERS)
    assert np.all(np.abs(gd - momentum) <= 0.01 * gd)
    for costs in (gd, momentum):
        assert np.all(np.diff(costs[-1001::100]) < 0), "gd or momentum no longer falling at the end"
    assert np.all(adam < np.minimum(gd, momentum))


@pytest.mark.slow  # two runs of 2000 steps on the breast-cancer data
def test_the_breast_cancer_runs_that_learn_nothing_call_every_sample_benign():
    """breast_cancer.md: the runs at 62.6% / 63.2% predict benign (Y = 1) for every sample, train and test: raw
    inputs with He's start and standardized inputs with the ×0.01 start, seed 0, the page's schedule."""
    from nn import datasets, predict, train

    (rate, steps), _ = breast_cancer.SCHEDULES
    for standardize, init in ((False, "he"), (True, "small")):
        data = datasets.breast_cancer(standardize=standardize)
        parameters, _ = train(
            data.X_train, data.Y_train, breast_cancer.LAYERS, breast_cancer.NAMES, init=init,
            learning_rate=rate, num_iterations=steps, seed=0,
        )  # fmt: skip
        for X in (data.X_train, data.X_test):
            assert np.all(predict(X, parameters, breast_cancer.NAMES) == 1), (standardize, init)


def test_the_optimization_table_rounds_the_figures_the_page_quotes_from_the_course():
    """optimization.md quotes the course's notebook (10000 epochs): 79.7%, 79.7% and 94%; its table prints them
    rounded to a whole percent ("about 80%"), from optimization.COURSE."""
    from nn.experiments import optimization

    quoted = {"gd": 0.797, "momentum": 0.797, "adam": 0.94}
    assert optimization.COURSE == {name: round(value, 2) for name, value in quoted.items()}
    assert "79.7% for gradient descent and for momentum, 94% for Adam" in _prose("optimization", "en")
    assert "梯度下降和动量都是 79.7%，Adam 是 94%" in _prose("optimization", "zh")


@pytest.mark.parametrize(
    ("module", "key"),
    [
        ("optimization", "title"),
        ("planar", "sweep"),
        ("course_planar", "course_points"),
        ("course_planar", "our_points"),
    ],
)
def test_a_figure_says_its_accuracy_is_the_training_accuracy(module, key):
    """Each panel of the optimizers' boundary figure, of the planar sweep over hidden sizes and of the two sets of
    planar points shows the accuracy on the points its network trained on (neither the moons nor the planar points
    have a test split): its title says so, "train accuracy" in English, 训练集准确率 in Chinese, as the tables do."""
    words = WORD_TABLES[f"nn.experiments.{module}"]
    for lang, train in (("en", "train accuracy 94.3%"), ("zh", "训练集准确率 94.3%")):
        title = words[lang][key].format(optimizer="adam", n_h=4, accuracy=0.943)
        assert train in title, title
