"""nn's initialization and training against init.symmetry, init.xavier and init.he.

Tolerances for the spread come from the data: given A[l-1], the n[l] rows of W[l] are
independent draws, so a per-unit statistic averaged over the units has a standard error of
(its standard deviation over the units) / sqrt(n[l]). Every check allows 5 standard errors;
one-sided tails beyond 5σ have probability below 3e-7, and the draws are seeded anyway. Deep
ReLU layers make the columns of A nearly parallel, so each unit then sees almost one
direction and the error approaches sqrt(2/n[l]) ≈ 9% for 256 units: the tolerance grows with
depth because the sampling error does, not to hide a bias.
"""

from __future__ import annotations

import inspect
import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from support import joined

import derivations
import nn
from derivations import initialization
from nn.experiments import initialization as experiment
from nn.experiments.initialization import WORDS, spread

WIDTH, DEPTH = 256, 20
SIGMAS = 5
# (width, m): the page's width is slow (about 0.3 s a forward pass); 128 units keep the everyday suite cheap
# (with 64, the standard error estimated from 64 units is itself too rough: 15 seeds reached 4.8σ).
SIZES = [pytest.param((128, 128), id="width128"), pytest.param((WIDTH, 1000), id="width256", marks=pytest.mark.slow)]


@cache
def measure(method: str, activation: str, width: int, m: int):
    """One seeded forward pass, shared by the tests that read it (the arrays are not modified)."""
    return spread(method, activation, depth=DEPTH, width=width, m=m)


def derived_weight_variance(method: str, n_prev: int) -> float:
    """Var(w) of each start, read from the derivations (zeros: 0)."""
    xavier, he = derivations.get("init.xavier"), derivations.get("init.he")
    at = {initialization.n_prev: n_prev}
    return float(
        {
            "zeros": sp.S.Zero,
            "small": (xavier.steps[5].rhs / initialization.n_prev),  # the ×0.01 step: factor / n[l-1]
            "xavier": xavier.result.rhs,
            "he": he.result.rhs,
        }[method].subs(at)
    )


def relu_half() -> float:
    """E[relu(z)²] / Var(z) for a symmetric z, from init.he (the Gaussian step)."""
    step = derivations.get("init.he").steps[4]
    return float(step.rhs / sp.Symbol("s", positive=True) ** 2)


@pytest.mark.parametrize("method", ["small", "xavier", "he"])
def test_initialize_parameters_draws_the_derived_variance(method):
    W = nn.initialize_parameters([WIDTH, WIDTH], method, seed=0)["W1"]
    expected = derived_weight_variance(method, WIDTH)
    # The sample variance of N = n² Gaussian entries has relative standard error sqrt(2/N).
    assert np.var(W) == pytest.approx(expected, rel=SIGMAS * np.sqrt(2 / W.size))


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_a_zero_start_has_no_spread(activation):
    measured = spread("zeros", activation, depth=DEPTH, width=64, m=8)
    assert np.all(measured.z == 0)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("method", ["small", "xavier", "he"])
@pytest.mark.parametrize("size", SIZES)
def test_variance_law_holds_layer_by_layer(method, activation, size):
    """Var(z[l]) = n[l-1] Var(w) E[a[l-1]²] at every one of the 20 layers, with the derived Var(w)."""
    width, m = size
    measured = measure(method, activation, width, m)
    predicted = width * derived_weight_variance(method, width) * measured.a_prev
    error = measured.rows.std(axis=1) / np.sqrt(width)
    np.testing.assert_array_less(np.abs(measured.z - predicted), SIGMAS * error)


def _half_and_error(z_rows: np.ndarray, a_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per layer, Σ_i E[a_i²] / Σ_i E[z_i²] and its standard error (a ratio of means over independent units)."""
    half = a_rows.sum(axis=1) / z_rows.sum(axis=1)
    residual = a_rows - half[:, None] * z_rows
    return half, residual.std(axis=1) * np.sqrt(z_rows.shape[1]) / z_rows.sum(axis=1)


@pytest.mark.parametrize("method", ["small", "xavier", "he"])
@pytest.mark.parametrize("size", SIZES)
def test_relu_keeps_half_of_the_variance(method, size):
    width, m = size
    measured = measure(method, "relu", width, m)
    half, error = _half_and_error(measured.rows, measured.a_rows)
    np.testing.assert_array_less(np.abs(half - relu_half()), SIGMAS * error)


@pytest.mark.parametrize("method", ["small", "xavier", "he"])
@pytest.mark.parametrize("size", SIZES)
def test_relu_spread_changes_by_the_derived_factor_per_layer(method, size):
    """Var(z[l]) / Var(z[l-1]) = n[l-1] Var(w) / 2: 1 for He, 1/2 for Xavier, n[l-1]/(2·10⁴) for ×0.01."""
    width, m = size
    measured = measure(method, "relu", width, m)
    factor = width * derived_weight_variance(method, width) * relu_half()
    ratio = measured.z[1:] / measured.z[:-1] / factor
    law_error = (measured.rows.std(axis=1) / np.sqrt(width) / measured.z)[1:]
    half, half_error = _half_and_error(measured.rows, measured.a_rows)
    relative = np.sqrt(law_error**2 + (half_error / half)[:-1] ** 2)
    np.testing.assert_array_less(np.abs(ratio - 1), SIGMAS * relative)


@pytest.mark.parametrize("size", SIZES)
def test_tanh_with_small_weights_shrinks_by_the_derived_factor_per_layer(size):
    """Var(z[l]) / Var(z[l-1]) = n[l-1]/10⁴ (0.0256 for 256 units).

    tanh(z) ≈ z is off by at most 2 Var(z[l-1]) in E[a²], so that much is allowed on top of the sampling error.
    """
    width, m = size
    measured = measure("small", "tanh", width, m)
    factor = float(derivations.get("init.xavier").steps[5].rhs.subs(initialization.n_prev, width))
    ratio = measured.z[1:] / measured.z[:-1] / factor
    statistical = (measured.rows.std(axis=1) / np.sqrt(width) / measured.z)[1:]
    curvature = 2 * measured.z[:-1]  # E[tanh(z)²] = Var(z)(1 - 2 Var(z) + ...) for a Gaussian z
    np.testing.assert_array_less(np.abs(ratio - 1), SIGMAS * statistical + curvature)


# ------------------------------------------------------------------ symmetry


def _planar_batch(m=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(3, m))
    Y = (X[0:1] * X[1:2] > 0).astype(float)
    return X, Y


def _steps(parameters, names, iterations=25, learning_rate=0.5):
    X, Y = _planar_batch()
    for _ in range(iterations):
        AL, cache = nn.forward_propagation(X, parameters, names)
        grads = nn.backward_propagation(AL, Y, cache, parameters, names)
        parameters = nn.update_parameters(parameters, grads, learning_rate)
    return parameters, grads


def _symmetric_start(rng, n_h=4):
    """Equal rows of W1, equal entries of b1, equal columns of W2: the hypotheses of init.symmetry."""
    return {
        "W1": np.tile(rng.normal(size=(1, 3)), (n_h, 1)),
        "b1": np.full((n_h, 1), rng.normal()),
        "W2": np.tile(rng.normal(size=(1, 1)), (1, n_h)),
        "b2": np.zeros((1, 1)),
    }


@pytest.mark.parametrize("hidden", ["tanh", "sigmoid", "relu"])
@pytest.mark.parametrize("start", ["zeros", "symmetric"])
def test_symmetric_units_stay_identical_through_training(hidden, start):
    names = [hidden, "sigmoid"]
    rng = np.random.default_rng(1)
    parameters = nn.initialize_parameters([3, 4, 1], "zeros") if start == "zeros" else _symmetric_start(rng)
    parameters, grads = _steps(parameters, names)
    # Every unit's computation is the same sequence of floating-point operations: exactly equal.
    np.testing.assert_array_equal(parameters["W1"], np.tile(parameters["W1"][:1], (4, 1)))
    np.testing.assert_array_equal(parameters["b1"], np.full((4, 1), parameters["b1"][0, 0]))
    np.testing.assert_array_equal(parameters["W2"], np.full((1, 4), parameters["W2"][0, 0]))
    np.testing.assert_array_equal(grads["dW1"], np.tile(grads["dW1"][:1], (4, 1)))


def test_one_different_weight_is_enough_to_separate_the_units():
    """The check above can fail: perturb one entry of a symmetric start and the rows of W1 drift apart."""
    parameters = _symmetric_start(np.random.default_rng(1))
    parameters["W1"][0, 0] += 1e-3
    parameters, _ = _steps(parameters, ["tanh", "sigmoid"])
    assert np.max(np.abs(parameters["W1"][1:] - parameters["W1"][0])) > 1e-3


def test_dW1_row_is_the_derived_common_row():
    """Evaluate the step 'dW[l] row p does not depend on p' of init.symmetry at concrete sizes against nn."""
    n_prev, n_next, m = 3, 1, 5
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(n_prev, m)), rng.integers(0, 2, size=(1, m)).astype(float)
    parameters = _symmetric_start(rng)
    AL, cache = nn.forward_propagation(X, parameters, ["tanh", "sigmoid"])
    grads = nn.backward_propagation(AL, Y, cache, parameters, ["tanh", "sigmoid"])
    I = initialization
    claim = derivations.get("init.symmetry").steps[2].rhs
    sizes = {I.n_prev: n_prev, I.n_next: n_next, I.m: m}
    values = {I.beta: parameters["b1"][0, 0]}
    values |= {I.w[j]: parameters["W1"][0, j] for j in range(n_prev)}
    values |= {I.v[r]: parameters["W2"][r, 0] for r in range(n_next)}
    values |= {I.A_prev[j, k]: X[j, k] for j in range(n_prev) for k in range(m)}
    values |= {I.dZ_next[r, k]: (AL - Y)[r, k] for r in range(n_next) for k in range(m)}
    tanh_prime = sp.Lambda(sp.Symbol("x"), 1 - sp.tanh(sp.Symbol("x")) ** 2)
    for q in range(n_prev):
        row = claim.subs(sizes).subs(I.q, q).doit().replace(I.g_prime, tanh_prime).xreplace(values)
        np.testing.assert_allclose(grads["dW1"][:, q], float(row), rtol=1e-12)


# ------------------------------------------------------------------ the page's figures

DOCS = Path(__file__).resolve().parents[1] / "docs"
IMG = DOCS / "experiments" / "img"
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _cells(name: str) -> dict[tuple[str, str], list[str]]:
    """A committed table (English) by its first two columns."""
    lines = (IMG / name).read_text().splitlines()[2:]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines]
    return {(row[0], row[1]): row[2:] for row in rows}


def _prose(lang: str) -> str:
    """initialization.md or its twin with the lines of each paragraph joined (Chinese joins without a space)."""
    text = (DOCS / ("initialization.md" if lang == "en" else "initialization.zh.md")).read_text()
    return joined(text, lang)


def page_claims(spread_table: dict, symmetry_table: dict) -> list[tuple[str, str]]:
    """What the page says of the two committed tables, as (English, Chinese), its figures formatted from the cells."""
    said = WORDS["en"]
    factor = {key: float(cells[4]) for key, cells in spread_table.items() if key[1] != said["zeros"]}
    small_tanh, small_relu = factor["tanh", said["small"]], factor["relu", said["small"]]
    xavier_tanh, he_tanh = factor["tanh", said["xavier"]], factor["tanh", said["he"]]
    xavier_relu, he_relu = factor["relu", said["xavier"]], factor["relu", said["he"]]
    smallest = [round(math.log10(float(spread_table[g, said["small"]][3]))) for g in ("tanh", "relu")]
    xavier_last = float(spread_table["tanh", said["xavier"]][3])
    he_first, he_last = (float(spread_table["relu", said["he"]][column]) for column in (0, 3))
    derived_tanh = float(derivations.get("init.xavier").steps[5].rhs.subs(initialization.n_prev, WIDTH))
    derived_relu = derived_tanh * relu_half()
    pairs = DEPTH - 1
    compound, ratio = he_relu**pairs, he_last / he_first
    error = math.sqrt(2 / WIDTH)
    stuck = symmetry_table[said["cancer"], "tanh"][-1]  # the one row of tanh: its training accuracy
    power = f"{he_relu:.2f}{str(pairs).translate(SUPERSCRIPT)} ≈ {compound:.2f}"
    growth = f"{he_last:.2f} / {he_first:.2f} ≈ {ratio:.2f} ≈ √{compound:.2f}"
    return [
        (
            f"**×0.01**: {small_tanh:.3g} a layer with tanh and {small_relu:.3g} with ReLU, against the derived "
            f"{derived_tanh:.3g} and {derived_relu:.3g}",
            f"tanh 每层 {small_tanh:.3g}，ReLU 每层 {small_relu:.3g}，"
            f"推导值分别是 {derived_tanh:.3g} 和 {derived_relu:.3g}",
        ),
        (
            f"around \\(10^{{{smallest[0]}}}\\) and \\(10^{{{smallest[1]}}}\\)",
            f"约为\\(10^{{{smallest[0]}}}\\) 和 \\(10^{{{smallest[1]}}}\\)",
        ),
        (f"**Xavier with tanh**: {xavier_tanh:.2f} a layer", f"**Xavier 配 tanh**：每层 {xavier_tanh:.2f}"),
        (f"to {xavier_last:.2f} after {DEPTH} layers", f"{DEPTH} 层后为 {xavier_last:.2f}"),
        (f"saturates more: {he_tanh:.2f} a layer", f"饱和也更严重：每层 {he_tanh:.2f}"),
        (f"**Xavier with ReLU**: {xavier_relu:.2f} a layer", f"**Xavier 配 ReLU**：每层 {xavier_relu:.2f}"),
        (f"**He with ReLU**: {he_relu:.2f} a layer", f"**He 配 ReLU**：每层 {he_relu:.2f}"),
        (f"by up to about {error:.0%} per layer", f"在深层每层最多约 {error:.0%}"),
        (f"over {pairs} layers to a variance {power} times", f"经过 {pairs} 层累积，方差变为第一层的 {power} 倍"),
        (
            f"from {he_first:.2f} at layer 1 to {he_last:.2f} at layer {DEPTH} ({growth})",
            f"从第 1 层的 {he_first:.2f} 增长到第 {DEPTH} 层的 {he_last:.2f}（{growth}）",
        ),
        (
            f"the measured {xavier_tanh:.2f} and {he_tanh:.2f} are not meant",
            f"实测的 {xavier_tanh:.2f} 和 {he_tanh:.2f} 本来就不应",
        ),
        (f"({error:.0%} for {WIDTH} units)", f"（{WIDTH} 个单元时为 {error:.0%}）"),
        (f"({stuck} is that class's share", f"（{stuck} 就是这一类在训练集中所占的比例）"),
    ]


def test_the_pages_figures_are_the_committed_tables():
    """initialization.md and its twin quote the spread and symmetry tables (regenerated by the slow figures test)."""
    spread_table = _cells("init-spread-table.txt")
    claims = page_claims(spread_table, _cells("init-symmetry-table.txt"))
    first, last, factor = (float(spread_table["relu", WORDS["en"]["he"]][column]) for column in (0, 3, 4))
    assert f"{last / first:.2f}" == f"{math.sqrt(factor ** (DEPTH - 1)):.2f}", (
        "the page's ≈ between them no longer holds"
    )
    for activation in ("tanh", "relu"):  # from zeros every Z[l] is 0, and the factor 0/0 has no value
        assert spread_table[activation, WORDS["en"]["zeros"]] == ["0", "0", "0", "0", "—"]
    english, chinese = _prose("en"), _prose("zh")
    for en, zh in claims:
        assert en in english, f"initialization.md no longer says {en!r}"
        assert zh in chinese, f"initialization.zh.md no longer says {zh!r}"


def test_the_pages_settings_are_the_runs_and_the_tests():
    """The settings initialization.md and its twin state, read from what runs: the spread's depth, width and m;
    the symmetry run's hidden units, steps and learning rate; and the sizes of this file's everyday and slow tests."""
    everyday, slow = (param.values[0] for param in SIZES)
    assert (WIDTH, DEPTH) == (experiment.WIDTH, experiment.DEPTH), "this file measures another network than the page"
    assert slow == (experiment.WIDTH, experiment.SAMPLES), "the slow tests no longer run the page's network"
    defaults = inspect.signature(experiment.hidden_weights).parameters
    steps, rate = defaults["iterations"].default, defaults["learning_rate"].default
    history, _ = experiment.hidden_weights(np.zeros((2, 2)), np.array([[0, 1]]), "zeros", iterations=0)
    units, depth, width, m = history.shape[1], experiment.DEPTH, experiment.WIDTH, experiment.SAMPLES
    claims = [
        (f"then measures all four through {depth} layers", f"然后在 {depth} 层上实测这四种初始化"),
        (f"## Experiment: {depth} layers of {width} units", f"## 实验：{depth} 层、每层 {width} 个单元"),
        (
            f"\\(m = {m}\\) columns of {width} features, pushed through {depth} layers of {width} units",
            f"共 \\(m = {m}\\) 列，每列 {width} 个特征，用 `nn.forward_propagation` 依次通过 {depth} 层、"
            f"每层 {width} 个单元",
        ),
        (
            f"a network with {units} hidden units, \\([n^{{[0]}}, {units}, 1]\\), {steps} steps at learning "
            f"rate {rate},",
            f"有 {units} 个隐藏单元的网络 \\([n^{{[0]}}, {units}, 1]\\)，学习率 {rate}，训练 {steps} 步，",
        ),
        (f"Two weights of each of the {units} hidden units", f"{units} 个隐藏单元各自的两个权重"),
        (
            f"at {everyday[0]} units and {everyday[1]} samples; the tests marked slow repeat them at the page's "
            f"{slow[0]} units and {slow[1]} samples",
            f"日常测试套件用 {everyday[0]} 个单元、{everyday[1]} 个样本运行这些检查；标记为 slow 的测试则以本页的 "
            f"{slow[0]} 个单元、{slow[1]} 个样本重复一遍",
        ),
    ]
    english, chinese = _prose("en"), _prose("zh")
    for en, zh in claims:
        assert en in english, f"initialization.md no longer says {en!r}"
        assert zh in chinese, f"initialization.zh.md no longer says {zh!r}"


def test_a_changed_table_changes_what_the_page_must_say():
    """The check above can fail: one cell of the table moved is a sentence the page no longer says."""
    spread_table, symmetry_table = _cells("init-spread-table.txt"), _cells("init-symmetry-table.txt")
    he = spread_table["relu", WORDS["en"]["he"]]
    spread_table["relu", WORDS["en"]["he"]] = [*he[:4], "1.04"]
    english = _prose("en")
    assert [en for en, _ in page_claims(spread_table, symmetry_table) if en not in english]


def symmetry_statements(lines: list[str]) -> list[str]:
    """What the page says of the symmetry table (its rows as ``lines``) that no longer holds."""
    said = WORDS["en"]
    rows = {}
    for line in lines[2:]:
        data, hidden, start, difference, largest, accuracy = (cell.strip() for cell in line.strip("|").split("|"))
        rows[data, hidden, start] = (float(difference), float(largest), accuracy)
    cancer, planar, zeros, small = said["cancer"], said["planar"], said["zeros"], said["small"]
    broken = []
    if any(row[0] != 0 for (_, _, start), row in rows.items() if start == zeros):
        broken.append("from zeros the difference between units is exactly 0 in every run")
    if any(row[0] == 0 for (_, _, start), row in rows.items() if start == small):
        broken.append("from ×0.01 the units separate")
    if rows[cancer, "sigmoid", zeros][2] != rows[cancer, "sigmoid", small][2]:
        broken.append("on breast cancer the tied network reaches the same training accuracy")
    if rows[cancer, "tanh", zeros][1] != 0:
        broken.append("with tanh the zero start never moves its weights")
    if rows[planar, "sigmoid", zeros][1] != 0:
        broken.append("on the planar flower a zero start with sigmoid units does not even move")
    return broken


def test_what_the_page_says_of_the_symmetry_table_holds():
    """The page's sentences under the symmetry table, each held to the committed table (which the slow figures
    test regenerates); a changed cell breaks the sentence it bears."""
    lines = (IMG / "init-symmetry-table.txt").read_text().splitlines()
    assert not symmetry_statements(lines)
    moved = [line.replace("| 98.68% |", "| 98.46% |") if "×0.01" in line else line for line in lines]
    assert symmetry_statements(moved) == ["on breast cancer the tied network reaches the same training accuracy"]


@pytest.mark.slow  # loads the breast-cancer data with scikit-learn
def test_the_stuck_tanh_network_predicts_the_larger_class():
    """The page: from zeros with tanh the network predicts the larger class, 62.64% of the training samples."""
    Y = nn.datasets.breast_cancer().Y_train
    share = max(Y.mean(), 1 - Y.mean())
    assert _cells("init-symmetry-table.txt")[WORDS["en"]["cancer"], "tanh"][-1] == f"{share:.2%}"


@pytest.mark.slow  # loads the breast-cancer data with scikit-learn
def test_the_breast_cancer_features_are_as_many_as_the_page_says():
    features = nn.datasets.breast_cancer().X_train.shape[0]
    assert f"breast-cancer data ({features} standardized features)" in _prose("en")
    assert f"乳腺癌数据（{features} 个标准化后的特征）" in _prose("zh")


@pytest.mark.parametrize("method", nn.INIT_METHODS)
def test_layer_sizes_beyond_the_machines_memory_are_named_not_a_bare_memory_error(method):
    """Every method: a W[l] numpy cannot allocate is a ValueError naming the array asked for, layer_dims and the
    largest W[l], in both languages."""
    with pytest.raises(nn.words.InputError) as caught:
        nn.initialize_parameters([2, 10**12, 1], method=method)
    assert str(caught.value) == (
        "initialize_parameters asked numpy for an array of shape (1000000000000, 2) of float64, 16000000000000 bytes, "
        "more memory than it could allocate: layer_dims = [2, 1000000000000, 1]: W[l] is (n[l], n[l-1]) and b[l] is "
        "(n[l], 1); the largest, W[1], is (1000000000000, 2), smaller layers need less"
    )
    assert caught.value.text("zh").endswith("其中最大的 W[1] 是 (1000000000000, 2)；层越小，所需的内存越少")
