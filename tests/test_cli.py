"""The training command line, run in-process with few iterations."""

import json

import pytest

from nn import activations
from nn.cli import main

FAST = ["--iterations", "20", "--quiet"]


def run_json(capsys, *argv):
    assert main(["train", *argv, *FAST, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


KEYS = {
    "dataset",
    "layers",
    "activation",
    "init",
    "output",
    "loss",
    "iterations",
    "lr",
    "seed",
    "optimizer",
    "mini_batch_size",
    "lambd",
    "keep_prob",
    "batch_norm",
    "final_cost",
    "train_accuracy",
    "test_accuracy",
    "seconds",
}


SLOW = pytest.mark.slow


@pytest.mark.parametrize(
    ("argv", "layers", "has_test"),
    [
        (["--dataset", "planar", "--layers", "4"], [2, 4, 1], False),
        # the data sets that scikit-learn loads: its import alone takes about a second in a fresh test worker
        pytest.param(["--dataset", "breast_cancer", "--layers", "20,10", "5"], [30, 20, 10, 5, 1], True, marks=SLOW),
        pytest.param(["--dataset", "digits", "--digits", "3", "8", "--layers"], [64, 1], True, marks=SLOW),
        pytest.param(["--dataset", "digits10", "--layers", "16"], [64, 16, 10], True, marks=SLOW),
    ],
)
def test_json_summary(capsys, argv, layers, has_test):
    summary = run_json(capsys, *argv)
    assert set(summary) == KEYS
    assert summary["layers"] == layers
    assert summary["iterations"] == 20
    assert 0 <= summary["train_accuracy"] <= 1
    assert (summary["test_accuracy"] is not None) == has_test


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "rmsprop", "adam"])
def test_optimizer_options_reach_train(capsys, optimizer):
    """The flags give the same numbers as nn.train called with the same options."""
    import numpy as np

    import nn
    from nn import datasets

    argv = ["--dataset", "moons", "--optimizer", optimizer, "--mini-batch-size", "100", "--lr", "0.01"]
    summary = run_json(capsys, *argv, "--beta", "0.8", "--beta1", "0.7", "--beta2", "0.95", "--epsilon", "1e-4")
    assert (summary["optimizer"], summary["mini_batch_size"], summary["layers"]) == (optimizer, 100, [2, 5, 2, 1])
    X, Y = datasets.moons()
    options = {"beta": 0.8, "beta1": 0.7, "beta2": 0.95, "epsilon": 1e-4, "mini_batch_size": 100}
    _, costs = nn.train(
        X, Y, [2, 5, 2, 1], ["relu", "relu", "sigmoid"], init="he", learning_rate=0.01, num_iterations=20, seed=0,
        optimizer=optimizer, **options,
    )  # fmt: skip
    assert summary["final_cost"] == costs[-1]
    assert np.isfinite(costs).all()


def test_text_summary_counts_epochs_with_mini_batches(capsys):
    assert main(["train", "--dataset", "moons", "--mini-batch-size", "64", *FAST]) == 0
    assert "after 20 epochs" in capsys.readouterr().out


def test_digits10_trains_a_softmax_output_with_cross_entropy(capsys):
    summary = run_json(capsys, "--dataset", "digits10")
    assert (summary["output"], summary["loss"]) == ("softmax", "cross_entropy")
    assert summary["test_accuracy"] > 0.5  # 20 iterations: far above the 0.1 of guessing


def test_binary_data_set_with_cross_entropy_says_which_output_it_needs(capsys):
    assert main(["train", "--dataset", "planar", "--loss", "cross_entropy", *FAST]) == 2, "a bad input exits 2"
    err = capsys.readouterr().err
    assert "loss 'cross_entropy' needs a softmax output layer" in err
    assert err.count("\n") == 1


def test_same_seed_same_numbers(capsys):
    argv = ["--dataset", "planar", "--seed", "3", "--lr", "1.2"]
    first, second = run_json(capsys, *argv), run_json(capsys, *argv)
    first.pop("seconds"), second.pop("seconds")
    assert first == second
    other = run_json(capsys, *argv[:-3], "4", "--lr", "1.2")
    assert other["final_cost"] != first["final_cost"]


def test_progress_loop_takes_the_same_steps_as_train():
    from nn import datasets
    from nn.cli import fit

    X, Y = datasets.planar()
    options = {"loss": "bce", "init": "small", "learning_rate": 1.2, "iterations": 30, "seed": 3}
    _, with_bar = fit(X, Y, [2, 4, 1], ["tanh", "sigmoid"], progress=True, **options)
    _, without = fit(X, Y, [2, 4, 1], ["tanh", "sigmoid"], progress=False, **options)
    assert with_bar == without


def test_text_summary(capsys):
    assert main(["train", "--dataset", "planar", *FAST]) == 0
    assert "train accuracy" in capsys.readouterr().out


@pytest.mark.slow  # matplotlib's import and two figures: most of a second
def test_plot_writes_pngs(tmp_path, capsys):
    assert main(["train", "--dataset", "planar", *FAST, "--plot", str(tmp_path)]) == 0
    for name in ("cost.png", "boundary.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow  # the same, with scikit-learn's digits
def test_plot_skips_boundary_for_high_dimensional_data(tmp_path, capsys):
    assert main(["train", "--dataset", "digits", *FAST, "--plot", str(tmp_path)]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cost.png"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--dataset", "mnist"], "invalid choice: 'mnist'"),
        (
            ["--dataset", "planar", "--activation", "swish"],
            f"unknown activation 'swish'; valid names: {', '.join(activations.names(elementwise=True))}",
        ),
        (["--dataset", "planar", "--layers", "0"], "every hidden layer needs n[l] >= 1 units, got '0'"),
        (["--dataset", "planar", "--layers", "4,-2"], "every hidden layer needs n[l] >= 1 units, got '4,-2'"),
        (["--dataset", "planar", "--layers", "four"], "layer sizes are integers n[l] >= 1, got 'four'"),
        (["--dataset", "planar", "--lr", "-1"], "expected a positive float, got '-1'"),
        (["--dataset", "planar", "--iterations", "0"], "expected a positive int, got '0'"),
        (["--dataset", "planar", "--init", "ones"], "invalid choice: 'ones'"),
        (["--dataset", "planar", "--bogus"], "unrecognized arguments: --bogus"),
        (["--dataset", "digits", "--digits", "3", "3"], "needs two different digits in 0..9, got 3 and 3"),
        (["--dataset", "digits", "--digits", "3", "12"], "needs two different digits in 0..9, got 3 and 12"),
        (["--dataset", "moons", "--optimizer", "sgd"], "invalid choice: 'sgd' (choose from 'gd', 'momentum'"),
        (["--dataset", "moons", "--mini-batch-size", "0"], "expected a positive int, got '0'"),
        (["--dataset", "moons", "--mini-batch-size", "6.5"], "expected a positive int, got '6.5'"),
        (["--dataset", "moons", "--beta", "1"], "argument --beta: an averaging rate β is a number with 0 <= β < 1"),
        (["--dataset", "moons", "--beta1", "-0.1"], "argument --beta1: an averaging rate β is a number with 0 <= β"),
        (["--dataset", "moons", "--beta2", "x"], "argument --beta2: an averaging rate β is a number with 0 <= β < 1"),
        (["--dataset", "moons", "--epsilon", "0"], "argument --epsilon: expected a positive float, got '0'"),
        (["--dataset", "moons", "--keep-prob", "0"], "argument --keep-prob: keep_prob is the probability of keeping"),
        (["--dataset", "moons", "--keep-prob", "1.5"], "keep_prob is the probability of keeping a unit, in (0, 1]"),
        (["--dataset", "moons", "--lambd", "-1"], "argument --lambd: the L2 strength λ is a finite number >= 0"),
        (["--dataset", "moons", "--lambd", "inf"], "the L2 strength λ is a finite number >= 0, got 'inf'"),
    ],
)
def test_bad_flags_exit_2_with_one_line(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", *argv])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err


def test_training_errors_are_one_line_without_traceback(capsys, monkeypatch):
    import nn.cli
    from nn.train import TrainingDiverged

    def diverge(*args, **kwargs):
        raise TrainingDiverged("training diverged at iteration 3 (overflow): lower learning_rate (now 1e+30)")

    monkeypatch.setattr(nn.cli, "train", diverge)
    assert main(["train", "--dataset", "planar", "--lr", "1e30", *FAST]) == 1
    err = capsys.readouterr().err
    assert err.startswith("python -m nn train: error: training diverged at iteration 3")
    assert err.count("\n") == 1


def test_an_unwritable_plot_directory_exits_2_before_training(tmp_path, capsys, monkeypatch):
    """``--plot`` is checked with the other inputs: one line, exit 2, and no training first."""
    import nn.cli

    def never(*args, **kwargs):
        raise AssertionError("trained before checking --plot")

    monkeypatch.setattr(nn.cli, "fit", never)
    not_a_directory = tmp_path / "file.txt"
    not_a_directory.write_text("x")
    assert main(["train", "--dataset", "planar", *FAST, "--plot", str(not_a_directory / "figures")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"python -m nn train: error: argument --plot: cannot write the figures to '{not_a_directory}")


def test_a_bad_input_nn_train_finds_exits_2_before_training(capsys, monkeypatch):
    """The inputs argparse cannot judge alone (a batch-norm batch of one column) are nn.train's up-front checks."""
    from nn import inplace

    def never(*args, **kwargs):
        raise AssertionError("took a step before checking the inputs")

    monkeypatch.setattr(inplace, "Step", never)
    assert main(["train", "--dataset", "moons", "--batch-norm", "--mini-batch-size", "1", *FAST]) == 2
    err = capsys.readouterr().err
    assert err.startswith("python -m nn train: error: ")
    assert err.count("\n") == 1
