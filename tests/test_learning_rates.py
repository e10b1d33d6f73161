"""What the learning-rate page says of its runs, read from the table ``python -m nn figures`` committed.

The slow figures test regenerates the table; these quick tests hold the page's sentences to it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nn import datasets, train
from nn.experiments import learning_rates

TABLE = Path(__file__).resolve().parents[1] / "docs" / "experiments" / "img"


def rows(lang: str = "en") -> list[list[str]]:
    name = "learning-rates-table.txt" if lang == "en" else "learning-rates-table.zh.txt"
    lines = (TABLE / name).read_text(encoding="utf-8").splitlines()[2:]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def runs(run: str, rate: float) -> list[list[str]]:
    label = learning_rates.WORDS["en"][run]
    return [row for row in rows() if row[0] == label and float(row[1]) == rate]


def test_the_posts_rates_are_run_as_the_post_gives_them():
    assert learning_rates.POST_RATES == (0.01, 0.001, 0.0001)
    assert learning_rates.ITERATIONS == 1500


@pytest.mark.parametrize("rate", learning_rates.POST_RATES)
def test_the_posts_rates_are_all_slow_and_never_rise(rate):
    [row] = runs("digits", rate)
    assert int(row[5]) == 0
    assert float(row[3]) > 0.1  # far from the costs the larger rates reach


def test_no_tried_rate_makes_logistic_regression_on_the_digits_diverge():
    costs = [float(runs("digits", rate)[0][3]) for rate in learning_rates.POST_RATES + learning_rates.LARGE_RATES]
    assert costs[-1] == min(costs)  # the largest rate ends lowest


@pytest.mark.slow  # imports scikit-learn to load the digits: seconds in a fresh worker
@pytest.mark.parametrize("rate", learning_rates.LARGE_RATES[1:])
def test_the_large_rates_overshoot_mostly_in_the_first_ten_iterations(rate):
    """learning_rates.md: "α = 100 makes a few overshooting steps (the rise counts), most of them in the first ten
    iterations". The table's run (zeros start, no seed), rerun, rises as often as the table says, more than half of
    the times within iterations 1 to 10."""
    data = datasets.digits(3, 8)
    _, costs = train(data.X_train, data.Y_train, [64, 1], ["sigmoid"], init="zeros", learning_rate=rate,
                     num_iterations=learning_rates.ITERATIONS)  # fmt: skip
    rises = np.flatnonzero(np.diff(costs) > 0) + 1  # the iterations whose cost is above the one before
    assert len(rises) == int(runs("digits", rate)[0][5])
    assert np.sum(rises <= 10) > len(rises) / 2


def test_the_planar_network_falls_at_its_own_rate_and_overshoots_above_it():
    assert all(int(row[5]) == 0 for row in runs("planar", 1.2))
    assert len(runs("planar", 1.2)) == len(learning_rates.SEEDS)
    for row, own in zip(runs("planar", 10.0), runs("planar", 1.2), strict=True):  # rises at about half of the steps
        assert 0.4 < int(row[5]) / (learning_rates.ITERATIONS - 1) < 0.6
        assert float(row[3]) == pytest.approx(float(own[3]), rel=0.2)  # "still ends near the same cost", per seed
    for row in runs("planar", 200.0):  # ends far above the start, ln 2
        assert float(row[3]) > 10 * 0.6932


def test_a_linear_output_with_square_error_makes_nn_train_stop_at_the_planar_rate():
    stopped = runs("linear", 1.2)
    assert len(stopped) == len(learning_rates.SEEDS)
    for row in stopped:
        iteration = int(row[3].split("diverged at iteration ")[1].split()[0])
        assert iteration <= 260


def test_the_twins_have_the_same_numbers():
    assert [row[1:3] + row[4:] for row in rows("en")] == [row[1:3] + row[4:] for row in rows("zh")]


def test_the_examples_index_says_what_the_table_shows():
    """The index's row: at the post's rates the cost never rises and ends above that of every larger rate."""
    post = [float(runs("digits", rate)[0][3]) for rate in learning_rates.POST_RATES]
    larger = [float(runs("digits", rate)[0][3]) for rate in learning_rates.LARGE_RATES]
    assert min(post) > max(larger)
    assert all(int(runs("digits", rate)[0][5]) == 0 for rate in learning_rates.POST_RATES)
    index = (TABLE.parent / "index.md").read_text(encoding="utf-8")
    assert "at the post's α = 0.01, 0.001, 0.0001 the cost never rises and ends highest" in index
    assert "在文章的 α = 0.01、0.001、0.0001 下，代价从不上升，最终也最高" in (TABLE.parent / "index.zh.md").read_text(
        encoding="utf-8"
    )
