"""What the initialization-table page says of its runs, read from the tables ``python -m nn figures`` committed.

The slow figures test regenerates the tables (and checks the statements that depend on a kernel's
rounding exactly, in ``test_experiments.qualitative_differences``); these quick tests hold the page's
sentences to the committed tables, and two of them rerun the claims through ``nn`` at a small size.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from support import joined

from nn import activations, datasets
from nn.experiments import init_table
from nn.experiments.initialization import SATURATED, spread

DOCS = Path(__file__).resolve().parents[1] / "docs"
IMG = DOCS / "experiments" / "img"
PAGES = {
    lang: (DOCS / "experiments" / f"init_table{suffix}.md").read_text() for lang, suffix in (("en", ""), ("zh", ".zh"))
}
LN2 = math.log(2)
NUMBER = r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?"


def rows(name: str, lang: str = "en") -> list[list[str]]:
    path = IMG / (f"{name}.txt" if lang == "en" else f"{name}.zh.txt")
    lines = path.read_text(encoding="utf-8").splitlines()[2:]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def row(name: str, activation: str, start: str) -> list[str]:
    [found] = [r for r in rows(name) if r[0] == activation and r[1] == init_table.WORDS["en"][start]]
    return found


def seeds(cell: str) -> list[float | None]:
    """The numbers of a 'seed 1 / seed 2 / seed 3' cell; None for a run that stopped or has no figure."""
    return [None if "stopped" in part or part.strip() == "—" else float(part.strip().removesuffix("%"))
            for part in cell.split(" / ")]  # fmt: skip


def spread_row(activation, start):
    return row("init-post-spread-table", activation, start)


def training_row(activation, start):
    found = row("init-post-training-table", activation, start)
    return {"dW1": seeds(found[3]), "dWL": seeds(found[4]), "cost": seeds(found[5]),
            "accuracy": seeds(found[6]), "difference": float(found[7])}  # fmt: skip


def test_the_pairs_the_page_calls_added_are_the_ones_the_table_marks():
    added = {(start, activation) for start in init_table.STARTS for activation in init_table.ACTIVATIONS} - set(
        init_table.IN_THE_POST
    )
    assert added == {("small", "relu"), ("xavier", "relu"), ("he", "tanh"), ("he", "sigmoid")}
    for name in ("init-post-spread-table", "init-post-training-table"):
        for cells in rows(name):
            start = next(key for key in init_table.STARTS if init_table.WORDS["en"][key] == cells[1])
            assert cells[2] == ("added" if (start, cells[0]) in added else "the post")


def test_the_settings_the_page_states():
    assert (init_table.HIDDEN, init_table.UNITS) == (5, 20)
    assert (init_table.LEARNING_RATE, init_table.ITERATIONS, init_table.SEEDS) == (0.1, 1000, (1, 2, 3))
    for text in PAGES.values():
        assert "[64, 20, 20, 20, 20, 20, 1]" in text
        assert "α = 0.1" in text
        assert "1000" in text


@pytest.mark.parametrize(("activation", "threshold"), [("tanh", "2.99"), ("sigmoid", "4.58")])
def test_saturated_means_the_derivative_below_one_hundredth_beyond_the_stated_z(activation, threshold):
    """tanh' = 1 - tanh² and σ' = σ(1 - σ) reach 0.01 at atanh(√0.99) and at ln((1 + √0.96)/(1 - √0.96))."""
    exact = {"tanh": math.atanh(math.sqrt(1 - SATURATED)), "sigmoid": math.log((1 + 0.96**0.5) / (1 - 0.96**0.5))}
    assert SATURATED == 0.01
    assert f"{exact[activation]:.2f}" == threshold
    derivative = activations.get(activation).derivative
    assert (
        derivative(np.array([exact[activation] - 1e-6])) > SATURATED > derivative(np.array([exact[activation] + 1e-6]))
    )
    for text in PAGES.values():
        assert f"|z| > {threshold}" in text


def test_a_zero_start_gives_zero_z_and_identical_units_that_never_learn():
    for activation in init_table.ACTIVATIONS:
        assert set(spread_row(activation, "zeros")[3:8]) == {"0"}
        run = training_row(activation, "zeros")
        assert run["difference"] == 0
        assert all(abs(cost - LN2) < 1e-3 for cost in run["cost"])


@pytest.mark.slow  # imports scikit-learn to load the digits: seconds in a fresh worker
def test_the_majority_share_is_what_a_network_that_learned_nothing_scores():
    data = datasets.digits(3, 8)
    assert (data.X_train.shape, data.X_test.shape) == ((64, 285), (64, 72))  # the sizes the page gives
    share = np.mean(data.Y_test)
    majority = f"{max(share, 1 - share):.1%}"
    assert training_row("tanh", "zeros")["accuracy"] == [float(majority.removesuffix("%"))] * 3
    for text in PAGES.values():
        assert majority in text


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_the_plain_normal_saturates_tanh_and_sigmoid_and_the_scaled_starts_do_not(activation):
    normal = [float(cell.removesuffix("%")) for cell in spread_row(activation, "normal")[8:]]
    assert min(normal) > 60
    for start in ("xavier", "he", "small"):
        assert [float(cell.removesuffix("%")) for cell in spread_row(activation, start)[8:]][1] == 0.0
    for lang, text in PAGES.items():
        said = init_table.WORDS[lang]
        assert said["normal"] in text
    layer_20 = spread_row(activation, "normal")[9]
    assert all(layer_20 in text for text in PAGES.values()), f"the page gives {activation}'s {layer_20} at Z[20]"


def test_the_plain_normal_keeps_tanh_near_the_square_root_of_n():
    """|tanh| is near 1 for most entries, so each layer gives z about √256 = 16 again."""
    std = [float(cell) for cell in spread_row("tanh", "normal")[3:8]]
    assert all(value == pytest.approx(16, rel=0.05) for value in std)


def test_the_plain_normal_grows_a_relu_stack_by_about_the_square_root_of_n_over_2_a_layer():
    std = [float(cell) for cell in spread_row("relu", "normal")[3:8]]
    factor = (std[-1] / std[0]) ** (1 / 19)
    assert factor == pytest.approx(math.sqrt(256 / 2), rel=0.05)
    assert std == sorted(std)
    for text in PAGES.values():
        assert f"{math.sqrt(128):.1f}" in text
        assert f"{factor:.1f}" in text


def test_the_small_start_keeps_sigmoid_near_its_constant_offset():
    """A ≈ 1/2 for every input, so Var(z) ≈ n[l-1] · 10⁻⁴ · 1/4: std √0.0064 = 0.08.

    Each unit's z is then about the same for every sample, so a layer gives 256 independent values of z²,
    whose mean has a relative standard error of √(2/256) ≈ 9%, about half of that on the std: 5 of them allowed.
    """
    std = [float(cell) for cell in spread_row("sigmoid", "small")[4:8]]
    assert all(value == pytest.approx(0.08, rel=5 * np.sqrt(2 / 256) / 2) for value in std)


def test_xavier_and_he_train_tanh_and_relu_stacks_and_no_sigmoid_stack():
    for activation in ("tanh", "relu"):
        for start in ("xavier", "he"):
            run = training_row(activation, start)
            assert max(run["cost"]) < 1e-3
            assert min(run["accuracy"]) >= 97
    for start in ("xavier", "he", "small", "zeros"):
        assert min(training_row("sigmoid", start)["cost"]) > LN2 - 0.01


def test_the_small_start_learns_nothing_with_any_unit():
    for activation in init_table.ACTIVATIONS:
        assert min(training_row(activation, "small")["cost"]) > LN2 - 1e-3


def test_the_plain_normal_is_the_one_start_that_trains_the_sigmoid_stack():
    run = training_row("sigmoid", "normal")
    assert max(run["cost"]) < 0.03
    assert min(run["accuracy"]) >= 97
    # the gradient that reaches layer 1 is larger than from Xavier or He on every seed
    for start in ("xavier", "he"):
        assert all(a > b for a, b in zip(run["dW1"], training_row("sigmoid", start)["dW1"], strict=True))


def test_the_page_names_the_gradient_columns_as_the_tables_header_does():
    """The settings paragraph names the two gradient columns by their headers, in each language: the norms of
    dW[1] and of dW[L] stand side by side (there is no column of their ratio)."""
    for lang, phrase in (("en", 'The columns "{}" and "{}" give'), ("zh", "“{}”和“{}”两列")):
        name = "init-post-training-table.txt" if lang == "en" else "init-post-training-table.zh.txt"
        first_line = (IMG / name).read_text(encoding="utf-8").splitlines()[0]
        header = [cell.strip() for cell in first_line.strip("|").split("|")]
        assert phrase.format(*header[3:5]) in joined(PAGES[lang], lang), lang


def test_the_twins_have_the_same_numbers():
    for name in ("init-post-spread-table", "init-post-training-table"):
        numbers = {lang: [re.findall(NUMBER, " ".join(r[3:])) for r in rows(name, lang)] for lang in ("en", "zh")}
        assert numbers["en"] == numbers["zh"]


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_nn_saturates_tanh_and_sigmoid_from_the_plain_normal_at_a_small_size(activation):
    """The claim itself, through nn's forward pass: 3 layers of 256 units, 32 samples (cheap)."""
    normal, xavier = (spread(start, activation, depth=3, width=256, m=32) for start in ("normal", "xavier"))
    assert np.all(normal.saturated > 0.5)
    assert np.all(xavier.saturated < 0.05)


def test_nn_grows_a_relu_stack_from_the_plain_normal_at_a_small_size():
    measured = spread("normal", "relu", depth=5, width=64, m=64)
    growth = measured.z[1:] / measured.z[:-1]  # about n[l-1]/2 = 32 a layer, in the variance
    assert np.all((16 < growth) & (growth < 64))


def test_the_plain_normal_blows_up_the_relu_stacks_gradient_and_learns_nothing():
    normal, he = training_row("relu", "normal"), training_row("relu", "he")
    for norm in ("dW1", "dWL"):
        assert min(normal[norm]) > 100 * max(he[norm])
    stopped = [cost for cost in normal["cost"] if cost is None]
    assert len(stopped) == 1, "one seed stops with the divergence error"
    assert all(abs(cost - LN2) < 1e-3 for cost in normal["cost"] if cost is not None)


def test_the_small_start_and_the_scaled_sigmoid_starts_pass_little_gradient_to_layer_1():
    for activation in init_table.ACTIVATIONS:
        assert max(training_row(activation, "small")["dW1"]) < 1e-7
    for start in ("xavier", "he"):
        assert max(training_row("sigmoid", start)["dW1"]) < 0.01
