"""The course's own planar run, regenerated: its points and its starting weights, checked against what
the course's notebook prints, and the page's statements about the rerun held to the committed tables.

The notebook's printed values are public facts of the course (its ``initialize_parameters`` test
prints W1 and W2 after ``np.random.seed(2)``, and its run prints the cost every 1000 iterations); they
come from the course's own code, not from ``nn``, so they are an oracle for both the regenerated
points and the regenerated start. The 10000-step reruns live in ``python -m nn figures``, and so does the
sweep over hidden sizes (5000 steps for each size and seed, about twenty seconds): a slow test reruns it
against the committed table and the notebook, a quick one holds the committed table to the notebook.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import numpy as np
import pytest

import nn
from nn import datasets
from nn.experiments import course_planar, planar

IMG = Path(__file__).resolve().parents[1] / "docs" / "experiments" / "img"
#: What the notebook's initialize_parameters prints for n_x = 2, n_h = 4, n_y = 1 after np.random.seed(2).
NOTEBOOK_W1 = [
    [-0.00416758, -0.00056267],
    [-0.02136196, 0.01640271],
    [-0.01793436, -0.00841747],
    [0.00502881, -0.01245288],
]
NOTEBOOK_W2 = [[-0.01057952, -0.00909008, 0.00551454, 0.02292208]]


def test_the_course_start_is_the_weights_the_notebook_prints():
    start = course_planar.course_start(4, 2)
    np.testing.assert_allclose(start["W1"], NOTEBOOK_W1, rtol=0, atol=5e-9)  # printed to 8 decimals
    np.testing.assert_allclose(start["W2"], NOTEBOOK_W2, rtol=0, atol=5e-9)
    assert not start["b1"].any()
    assert not start["b2"].any()


def test_nn_seed_2_is_not_the_course_seed_2():
    """The page says nn's init draws W1 then W2 of the same shapes, from another generator."""
    ours, course = nn.initialize_parameters([2, 4, 1], "small", seed=2), course_planar.course_start(4, 2)
    assert {key: value.shape for key, value in ours.items()} == {key: value.shape for key, value in course.items()}
    assert not np.allclose(ours["W1"], course["W1"])


@pytest.mark.parametrize("seed", sorted(course_planar.NOTEBOOK_COSTS))
def test_the_first_cost_on_the_regenerated_points_is_the_notebooks(seed):
    """Iteration 0's cost depends on every point and every starting weight: the notebook's, to its six decimals."""
    X, Y = datasets.planar(legacy=True)
    AL, _ = nn.forward_propagation(X, course_planar.course_start(4, seed), course_planar.NAMES)
    assert round(nn.compute_cost(AL, Y), 6) == course_planar.NOTEBOOK_COSTS[seed][0]


def test_the_regenerated_points_are_not_ours_and_keep_the_course_layout():
    (X, Y), (ours, _) = datasets.planar(legacy=True), datasets.planar()
    assert X.shape == (2, 400)
    assert int(Y.sum()) == 200
    np.testing.assert_array_equal(Y, datasets.planar()[1])  # class 0 first, then class 1, as the course stacks them
    assert not np.allclose(X, ours)


def test_the_generator_defaults_are_the_ones_the_page_gives_the_course():
    """The page: 400 points, 200 per class, a radius of 4 sin(4t), noise of standard deviation 0.2, seed 1."""
    defaults = {name: p.default for name, p in inspect.signature(datasets.planar).parameters.items()}
    assert defaults == {"m": 400, "seed": 1, "petals": 4, "noise": 0.2, "legacy": False}
    page = (IMG.parent / "planar.md").read_text(encoding="utf-8")
    assert "400 points, 200 per class, a radius of\n\\(4\\sin(4t)\\), noise of standard deviation 0.2" in page


def _rows(name: str, directory: Path = IMG) -> list[list[str]]:
    lines = (directory / name).read_text(encoding="utf-8").splitlines()[2:]
    return [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines]


@pytest.mark.parametrize(
    "name", ["planar-course-costs.txt", "planar-course-table.txt", "planar-course-sweep.txt", "planar-post-run.txt"]
)
def test_the_twins_have_the_same_numbers(name):
    def numbers(table):
        return [re.findall(r"\d+(?:\.\d+)?", " ".join(row[1:])) for row in _rows(table)]

    assert numbers(name) == numbers(name.replace(".txt", ".zh.txt"))


def test_the_notebook_columns_are_the_notebooks_printed_costs():
    rows = _rows("planar-course-costs.txt")[:-1]
    assert [int(row[0]) for row in rows] == list(range(0, course_planar.ITERATIONS, 1000))
    for column, seed in ((1, 2), (3, 3)):
        assert tuple(float(row[column]) for row in rows) == course_planar.NOTEBOOK_COSTS[seed]


def test_the_posts_page_quotes_the_rerun_as_the_table_gives_it():
    """Each seed's accuracy: the post's ``nn_model`` line sets seed 3, and its ``initialize_parameters``, which
    may reseed with 2, is not shown."""
    rows = _rows("planar-course-costs.txt")
    last_same = 1000 * ([row[1] == row[2] and row[3] == row[4] for row in rows[:-1]].index(False) - 1)
    (seed_2, seed_3), printed = (rows[-1][column] for column in (2, 4)), course_planar.NOTEBOOK_ACCURACY
    assert f"{printed}%" in rows[-1][1]  # the notebook prints it for each seed
    assert f"{printed}%" in rows[-1][3]
    docs = IMG.parents[1]
    english = (docs / "posts.md").read_text(encoding="utf-8")
    assert (
        f"up to iteration {last_same} and reaches {seed_2} with seed 2 and {seed_3} with seed 3, where the notebook "
        f"prints {printed}% for each"
    ) in english
    chinese = (docs / "posts.zh.md").read_text(encoding="utf-8")
    assert f"到第 {last_same} 次迭代为止" in chinese
    assert f"种子 2 的准确率为 {seed_2}，种子 3 为 {seed_3}，作业打印的都是 {printed}%" in chinese


def test_the_sweep_table_sets_the_reruns_beside_the_accuracies_the_notebook_prints():
    """The sizes are the planar table's, the notebook column is what the course printed for each, and up to
    five units both reruns are that accuracy to the point (the rows every kernel gives alike)."""
    rows = _sweep_accuracies(IMG)
    assert [int(row[0]) for row in rows] == list(planar.SIZES) == [1, 2, 3, 4, 5, 20, 50]
    assert [row[1] for row in rows] == [f"{planar.COURSE[n_h]:.2%}" for n_h in planar.SIZES]
    assert all(row[2] == row[1] == row[3] for row in rows[:5])
    # every accuracy is a whole number of the 400 points, which two decimals of a percentage show in full
    assert all(
        float(cell.removesuffix("%")) * 4 == round(float(cell.removesuffix("%")) * 4)
        for row in rows
        for cell in row[1:]
    )


def _sweep_accuracies(directory: Path) -> list[list[str]]:
    """The sweep's rows: n_h, the notebook's accuracy, then each rerun's accuracy without its first cost."""
    return [[cell.partition(" (")[0] for cell in row] for row in _rows("planar-course-sweep.txt", directory)]


@pytest.mark.parametrize("name", ["planar-course-sweep.txt", "planar-course-sweep.zh.txt"])
def test_each_rerun_column_of_the_sweep_starts_from_its_own_seed(name):
    """Each rerun cell gives its run's cost at iteration 0 beside its accuracy. No step has been taken then, so
    it is the cost of ``course_start(n_h, seed)`` on every kernel (to one unit of its sixth decimal, a printed
    boundary the last bit may cross), and at n_h = 4 the notebook's own first cost for that seed. The two seeds'
    accuracies are the same up to five units and within a kernel's rounding of each other at 20 and 50; their
    first costs differ by far more than that unit at every size but one, so this ties each column to its seed."""
    header = (IMG / name).read_text(encoding="utf-8").splitlines()[0]
    seeds = [int(seed) for seed in re.findall(r"(?:seed|种子) (\d+)", header)]
    assert seeds == sorted(course_planar.NOTEBOOK_COSTS)
    X, Y = datasets.planar(legacy=True)
    first = {}
    for row in _rows(name):
        n_h = int(row[0])
        for seed, cell in zip(seeds, row[2:], strict=True):
            first[n_h, seed] = float(re.fullmatch(r"\d+\.\d+% \((\d\.\d{6})\)", cell).group(1))
            AL, _ = nn.forward_propagation(X, course_planar.course_start(n_h, seed), course_planar.NAMES)
            assert abs(first[n_h, seed] - nn.compute_cost(AL, Y)) <= 1e-6, f"n_h = {n_h}: not seed {seed}'s start"
    assert all(first[4, seed] == course_planar.NOTEBOOK_COSTS[seed][0] for seed in seeds)
    apart = [n_h for n_h in planar.SIZES if abs(first[n_h, 2] - first[n_h, 3]) > 2e-6]
    assert apart == list(planar.SIZES[1:]), "the first costs no longer tell the seeds apart"


@pytest.mark.slow  # 14 runs of 5000 steps: about twenty seconds
def test_the_sweep_reruns_the_notebooks_accuracies_and_the_committed_table(tmp_path):
    from test_experiments import table_differences

    course_planar.write_sweep(tmp_path)
    for name in ("planar-course-sweep.txt", "planar-course-sweep.zh.txt"):
        assert not table_differences(name, (IMG / name).read_text(), (tmp_path / name).read_text())
    for n_h, _, seed_2, seed_3 in _sweep_accuracies(tmp_path)[:5]:  # the course's own numbers
        assert seed_2 == seed_3 == f"{planar.COURSE[int(n_h)]:.2%}"


def test_the_post_run_table_is_the_posts_setting_from_each_seeds_course_start():
    """The planar post's run: its n_h = 9, 10000 steps at α = 1.2; each row's first cost is that of
    ``course_start(9, seed)`` on the course's points, which no kernel moves (to one unit of its sixth decimal)."""
    assert (course_planar.POST_HIDDEN, course_planar.ITERATIONS, course_planar.LEARNING_RATE) == (9, 10000, 1.2)
    header = (IMG / "planar-post-run.txt").read_text(encoding="utf-8").splitlines()[0]
    assert f"cost at iteration {course_planar.ITERATIONS - 1}" in header
    X, Y = datasets.planar(legacy=True)
    rows = _rows("planar-post-run.txt")
    assert [int(row[0]) for row in rows] == sorted(course_planar.NOTEBOOK_COSTS)
    for row in rows:
        AL, _ = nn.forward_propagation(X, course_planar.course_start(9, int(row[0])), course_planar.NAMES)
        assert abs(float(row[1]) - nn.compute_cost(AL, Y)) <= 1e-6
