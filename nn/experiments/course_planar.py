"""The course's own planar run, rerun: its 400 points, its starting weights, its 10000 steps, and its sweep.

The course's notebook draws its points and its weights from numpy's legacy generator
(``np.random.seed``); ``nn`` draws from ``np.random.default_rng``, another algorithm, so nn's seed 2
is not the course's seed 2. Four comparisons:

1. The course's run itself: ``datasets.planar(legacy=True)`` (its points), the weights its
   ``initialize_parameters`` draws after ``np.random.seed(2)`` (one version of the notebook) or
   ``np.random.seed(3)`` (a later one, where ``nn_model`` seeds), n_h = 4, 10000 steps at α = 1.2,
   taken with nn's functions; each cost it prints every 1000 iterations beside the notebook's.
2. nn's own ×0.01 start, five seeds, on the course's points and on ours: which of the two
   differences between the planar page's table and the course's moves the accuracy.
3. The course's baseline, logistic regression (scikit-learn's ``LogisticRegressionCV``, as the
   course calls it, and nn's own [2, 1] sigmoid network), on both sets of points.
4. The course's sweep over hidden sizes: for each n_h of the planar page's table, ``nn_model`` reseeds
   numpy and draws its start, so each size starts from ``course_start(n_h, seed)`` with each of the two
   seeds, then 5000 steps at α = 1.2; each training accuracy beside the one the notebook prints, and each
   run's cost at iteration 0, which its seed's start alone sets.
5. The planar post's own run: the same loop with its n_h = 9, 10000 steps at α = 1.2, from
   ``course_start(9, seed)`` with each of the two seeds (the post shows ``nn_model``'s seed 3, not its
   ``initialize_parameters``); the post prints no accuracy, so the table stands alone.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from .. import datasets
from ..losses import compute_cost
from ..network import backward_propagation, forward_propagation, predict
from ..train import train, update_parameters
from .planar import COURSE as NOTEBOOK_SWEEP
from .planar import SIZES
from .plots import drawing, plot_boundary, save, write_table
from .words import LANGUAGES, localized, words

NAMES = ["tanh", "sigmoid"]
ITERATIONS = 10000
LEARNING_RATE = 1.2
SEEDS = (1, 2, 3, 4, 5)
#: The costs the notebook prints every 1000 iterations for n_h = 4, by the seed its weights are drawn
#: after: 2 in the version whose initialize_parameters seeds numpy itself (its expected output at
#: 9000 is 0.218607), 3 in the later version, where nn_model's own np.random.seed(3) is the last.
NOTEBOOK_COSTS = {
    2: (0.693048, 0.288083, 0.254385, 0.233864, 0.226792, 0.222644, 0.219731, 0.217504, 0.219454, 0.218607),
    3: (0.693162, 0.258625, 0.239334, 0.230802, 0.225528, 0.221845, 0.219094, 0.220661, 0.219409, 0.218485),
}
#: What the notebook prints after those runs, and after its logistic regression: whole percents (%d).
NOTEBOOK_ACCURACY, NOTEBOOK_LOGISTIC = 90, 47
#: The sweep over hidden sizes (SIZES) runs nn_model for this many iterations; its printed accuracies are
#: NOTEBOOK_SWEEP, with all their decimals ("{} %".format), each a whole number of the 400 points.
SWEEP_ITERATIONS = 5000
FOLDS = (5, 3)  # LogisticRegressionCV's default folds: 5 since scikit-learn 0.22, 3 before
POST_HIDDEN = 9  # the planar post's nn_model call: n_h = 9, ITERATIONS steps at LEARNING_RATE
WORDS = words(
    costs_header=(
        "| iteration | notebook, seed 2 | rerun, seed 2 | notebook, seed 3 | rerun, seed 3 |",
        "| 迭代次数 | 课程作业，种子 2 | 重跑，种子 2 | 课程作业，种子 3 | 重跑，种子 3 |",
    ),
    accuracy=("training accuracy", "训练集准确率"),
    printed=("{accuracy}% (printed with %d)", "{accuracy}%（用 %d 打印）"),
    header=(
        "| run | seed | the course's points | our points | the course reports |",
        "| 运行 | 种子 | 课程的数据点 | 本站的数据点 | 课程报告的结果 |",
    ),
    network=(
        "2-4-1 network, nn's ×0.01 start, {iterations} steps at α = {rate}",
        "2-4-1 网络，nn 的 ×0.01 初始化，α = {rate}，{iterations} 步",
    ),
    sklearn=(
        "logistic regression, scikit-learn's LogisticRegressionCV, {folds} folds",
        "逻辑回归，scikit-learn 的 LogisticRegressionCV，{folds} 折",
    ),
    own=(
        "logistic regression, nn.train [2, 1], zeros start, {iterations} steps at α = {rate}",
        "逻辑回归，nn.train [2, 1]，零初始化，α = {rate}，{iterations} 步",
    ),
    course_points=(
        "the course's points, its own run\ntrain accuracy {accuracy:.1%}",
        "课程的数据点，课程自己的训练\n训练集准确率 {accuracy:.1%}",
    ),
    our_points=(
        "our points, seed 3\ntrain accuracy {accuracy:.1%}",
        "本站的数据点，种子 3\n训练集准确率 {accuracy:.1%}",
    ),
    sweep_header=(
        "| n_h | the notebook prints ({iterations} steps) |",
        "| n_h | 课程作业打印的结果（{iterations} 步） |",
    ),
    sweep_seed=(
        " rerun, seed {seed}: accuracy (cost at iteration 0) |",
        " 重跑，种子 {seed}：准确率（第 0 次迭代的代价） |",
    ),
    post_header=(
        "| seed | cost at iteration 0 | cost at iteration {last} | training accuracy |",
        "| 种子 | 第 0 次迭代的代价 | 第 {last} 次迭代的代价 | 训练集准确率 |",
    ),
)


# --8<-- [start:course_start]
def course_start(n_h: int, seed: int) -> dict[str, np.ndarray]:
    """The course's starting weights: W1, then W2, ×0.01 from numpy's legacy generator after np.random.seed(seed)."""
    rng = np.random.RandomState(seed)
    W1 = 0.01 * rng.standard_normal((n_h, 2))
    W2 = 0.01 * rng.standard_normal((1, n_h))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((1, 1))}


def course_run(X, Y, parameters, iterations=ITERATIONS, learning_rate=LEARNING_RATE):
    """The course's loop with nn's functions: forward, cost, backward, update, ``iterations`` times."""
    costs = []
    for _ in range(iterations):
        AL, cache = forward_propagation(X, parameters, NAMES)
        costs.append(compute_cost(AL, Y))
        grads = backward_propagation(AL, Y, cache, parameters, NAMES)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs


# --8<-- [end:course_start]


# --8<-- [start:course_sweep]
def course_sweep(points, seed: int, sizes=SIZES, iterations=SWEEP_ITERATIONS) -> dict[int, tuple[float, float]]:
    """The notebook's sweep: for each n_h, its start after np.random.seed(seed), its loop, and two figures of the
    run: its cost at iteration 0, before any step, and its training accuracy, the share of points where
    A2 > 0.5 gives the label (what the course's predict and accuracy count)."""
    X, Y = points["course"]
    sweep = {}
    for n_h in sizes:
        parameters, costs = course_run(X, Y, course_start(n_h, seed), iterations)
        sweep[n_h] = costs[0], _accuracy(points, "course", parameters)
    return sweep


# --8<-- [end:course_sweep]


def logistic_regression_cv(X, Y, folds: int) -> float:
    """Training accuracy of scikit-learn's LogisticRegressionCV, called as the course calls it (its defaults)."""
    from sklearn.linear_model import LogisticRegressionCV

    with warnings.catch_warnings():
        # scikit-learn 1.9 announces changes to LogisticRegressionCV's defaults; scoring is given as the
        # default it has had so far (accuracy), so the fit is the one the course made
        warnings.simplefilter("ignore", FutureWarning)
        model = LogisticRegressionCV(cv=folds, scoring="accuracy").fit(X.T, Y.ravel())
    return float(np.mean(model.predict(X.T) == Y.ravel()))


def experiment():
    """Every run of the page, on the course's points (``legacy=True``) and on ours."""
    points = {"course": datasets.planar(legacy=True), "ours": datasets.planar()}
    X, Y = points["course"]
    course = {seed: course_run(X, Y, course_start(4, seed)) for seed in NOTEBOOK_COSTS}
    seeds = {
        (name, seed): train(
            X, Y, [2, 4, 1], NAMES, init="small", learning_rate=LEARNING_RATE, num_iterations=ITERATIONS, seed=seed
        )[0]
        for name, (X, Y) in points.items()
        for seed in SEEDS
    }
    logistic = {
        (name, folds): logistic_regression_cv(X, Y, folds) for name, (X, Y) in points.items() for folds in FOLDS
    }
    for name, (X, Y) in points.items():
        parameters, _ = train(
            X, Y, [2, 1], ["sigmoid"], init="zeros", learning_rate=LEARNING_RATE, num_iterations=ITERATIONS
        )
        logistic[name, "nn"] = datasets.accuracy(predict(X, parameters, ["sigmoid"]), Y)
    return points, course, seeds, logistic


def _accuracy(points, name, parameters, names=NAMES) -> float:
    X, Y = points[name]
    return datasets.accuracy(predict(X, parameters, names), Y)


def write_sweep(directory: Path) -> None:
    """The table of the course's sweep over hidden sizes: the notebook's printed accuracy, then each seed's rerun,
    its accuracy beside its cost at iteration 0 (which the seed's start alone sets: the same on every kernel)."""
    points = {"course": datasets.planar(legacy=True)}
    reruns = {seed: course_sweep(points, seed) for seed in NOTEBOOK_COSTS}
    for lang in LANGUAGES:
        said = WORDS[lang]
        header = said["sweep_header"].format(iterations=SWEEP_ITERATIONS)
        rows = [header + "".join(said["sweep_seed"].format(seed=seed) for seed in reruns), "|---|---|---|---|"]
        for n_h in SIZES:
            cells = [f"{NOTEBOOK_SWEEP[n_h]:.2%}"]
            cells += [f"{rerun[n_h][1]:.2%} ({rerun[n_h][0]:.6f})" for rerun in reruns.values()]
            rows.append(f"| {n_h} | {' | '.join(cells)} |")
        write_table(directory / localized("planar-course-sweep.txt", lang), rows)


def write_post_run(directory: Path) -> None:
    """The planar post's run: the course's points and start, with its n_h = 9, for each of the two seeds."""
    X, Y = datasets.planar(legacy=True)
    runs = {seed: course_run(X, Y, course_start(POST_HIDDEN, seed)) for seed in NOTEBOOK_COSTS}
    for lang in LANGUAGES:
        rows = [WORDS[lang]["post_header"].format(last=ITERATIONS - 1), "|---|---|---|---|"]
        for seed, (parameters, costs) in runs.items():
            accuracy = datasets.accuracy(predict(X, parameters, NAMES), Y)
            rows.append(f"| {seed} | {costs[0]:.6f} | {costs[-1]:.6f} | {accuracy:.2%} |")
        write_table(directory / localized("planar-post-run.txt", lang), rows)


def write(directory: Path) -> None:
    """The cost table of the course's run, the table of seeds and baselines, both sets of points, the sweep and
    the planar post's run."""
    write_sweep(directory)
    write_post_run(directory)
    points, course, seeds, logistic = experiment()
    accuracy = {seed: _accuracy(points, "course", parameters) for seed, (parameters, _) in course.items()}
    for lang in LANGUAGES:
        said = WORDS[lang]
        rows = [said["costs_header"], "|---|---|---|---|---|"]
        for k, iteration in enumerate(range(0, ITERATIONS, 1000)):
            cells = [f"{NOTEBOOK_COSTS[seed][k]:.6f} | {course[seed][1][iteration]:.6f}" for seed in NOTEBOOK_COSTS]
            rows.append(f"| {iteration} | {' | '.join(cells)} |")
        printed = said["printed"].format(accuracy=NOTEBOOK_ACCURACY)
        cells = [f"{printed} | {accuracy[seed]:.2%}" for seed in NOTEBOOK_COSTS]
        rows.append(f"| {said['accuracy']} | {' | '.join(cells)} |")
        write_table(directory / localized("planar-course-costs.txt", lang), rows)

        network = said["network"].format(iterations=ITERATIONS, rate=LEARNING_RATE)
        rows = [said["header"], "|---|---|---|---|---|"]
        for seed in SEEDS:
            ours, theirs = (_accuracy(points, name, seeds[name, seed]) for name in ("course", "ours"))
            rows.append(f"| {network} | {seed} | {ours:.2%} | {theirs:.2%} | — |")
        for key in (*FOLDS, "nn"):
            run = said["own"] if key == "nn" else said["sklearn"]
            run = run.format(folds=key, iterations=ITERATIONS, rate=LEARNING_RATE)
            reported = "—" if key == "nn" else f"{NOTEBOOK_LOGISTIC}%"
            rows.append(f"| {run} | — | {logistic['course', key]:.2%} | {logistic['ours', key]:.2%} | {reported} |")
        write_table(directory / localized("planar-course-table.txt", lang), rows)

        with drawing(lang) as plt:
            fig, axes = plt.subplots(1, 2, figsize=(8, 4))
            titles = [
                said["course_points"].format(accuracy=accuracy[2]),
                said["our_points"].format(accuracy=_accuracy(points, "ours", seeds["ours", 3])),
            ]
            for ax, (X, Y), parameters, title in zip(
                axes, points.values(), (course[2][0], seeds["ours", 3]), titles, strict=True
            ):
                plot_boundary(ax, X, Y, parameters, NAMES, steps=100)
                ax.set_title(title, fontsize=10)
            save(fig, directory / localized("planar-points.png", lang))
