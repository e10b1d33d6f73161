"""The training command line, run in-process with few iterations, in English and in Chinese (``--lang zh``)."""

import argparse
import errno
import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest

from nn import activations
from nn.cli import build_parser, main
from sitemarkdown.prose import english_runs

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


@pytest.mark.slow  # matplotlib's import and two figures
@pytest.mark.parametrize(
    ("argv", "axes"),
    [([], ("iteration", "cost J")), (["--mini-batch-size", "64", "--lang", "zh"], ("训练轮次", "代价 J"))],
)
def test_the_cost_figure_names_its_axes_in_the_language_asked(tmp_path, capsys, monkeypatch, argv, axes):
    """With mini-batches the costs are one per epoch, and the x axis says so; --lang zh labels the axes in Chinese."""
    from nn.experiments import plots

    drawn, save = [], plots.save
    monkeypatch.setattr(plots, "save", lambda fig, path, **options: (drawn.append(fig.axes[0]), save(fig, path)))
    assert main(["train", "--dataset", "moons", *FAST, "--plot", str(tmp_path), *argv]) == 0
    assert (drawn[0].get_xlabel(), drawn[0].get_ylabel()) == axes
    assert len(drawn) == 2, "the cost and the boundary"


@pytest.mark.slow  # looks for the font with matplotlib
def test_chinese_figures_without_a_chinese_font_exit_2_before_training(tmp_path, capsys, monkeypatch):
    import nn.cli
    from nn.experiments import plots

    def never(*args, **kwargs):
        raise AssertionError("trained before finding the font")

    monkeypatch.setattr(nn.cli, "fit", never)
    monkeypatch.setattr(plots, "CJK_FONTS", ("No Such Font SC",))
    assert main(["train", "--dataset", "planar", *FAST, "--plot", str(tmp_path), "--lang", "zh"]) == 2
    said = in_chinese(capsys.readouterr().err, "No Such Font SC", "fonts-noto-cjk")
    assert said.startswith("中文的图需要一种带汉字的字体"), said


@pytest.mark.slow  # the same, with scikit-learn's digits
def test_plot_skips_boundary_for_high_dimensional_data(tmp_path, capsys):
    assert main(["train", "--dataset", "digits", *FAST, "--plot", str(tmp_path)]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cost.png"]


BAD_FLAGS = pytest.mark.parametrize(
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
        (["--dataset", "planar", "--layers", "3,,4"], "layer sizes are integers n[l] >= 1, got '3,,4'"),
        (["--dataset", "planar", "--lr", "-1"], "expected a positive float, got '-1'"),
        (["--dataset", "planar", "--iterations", "0"], "expected a positive int, got '0'"),
        (["--dataset", "planar", "--init", "ones"], "invalid choice: 'ones'"),
        (["--dataset", "planar", "--bogus"], "unrecognized arguments: --bogus"),
        (["--dataset", "digits", "--digits", "3", "3"], "needs two different digits in 0..9, got 3 and 3"),
        (["--dataset", "digits", "--digits", "3", "12"], "needs two different digits in 0..9, got 3 and 12"),
        (["--dataset", "moons", "--digits", "3", "8"], "argument --digits: picks the two classes of --dataset digits"),
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
        (["--dataset", "planar", "--seed", "x"], "argument --seed: expected an int >= 0, got 'x'"),
        (["--dataset", "planar", "--seed", "-1"], "argument --seed: expected an int >= 0, got '-1'"),
        (["--dataset", "planar", "--lr"], "argument --lr: expected one argument"),
        (["--dataset", "digits", "--digits", "3"], "argument --digits: expected 2 arguments"),
        (["--dataset", "planar", "--be", "0.5"], "ambiguous option: --be could match --beta, --beta1, --beta2"),
        (["--dataset", "planar", "--json=yes"], "argument --json: ignored explicit argument 'yes'"),
        (["--layers", "4"], "the following arguments are required: --dataset"),
        (["--dataset", "planar", "--dataset", "moons"], "argument --dataset: given twice: it takes one value, and"),
        (["--dataset", "planar", "--lr", "1", "--lr=2"], "argument --lr: given twice: it takes one value, and the"),
        (["--dataset", "planar", "--layers", "4", "--layers", "3"], "argument --layers: given twice"),
    ],
)


@BAD_FLAGS
def test_bad_flags_exit_2_with_one_line(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", *argv])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize("digits", [["3", "3"], ["3", "12"]])
@pytest.mark.parametrize("dataset", ["digits", "moons"])
def test_a_refusal_of_digits_names_the_train_command_as_the_other_flags_refusals_do(capsys, dataset, digits):
    """argparse names "python -m nn train" when it refuses a value of train's flags; --digits, checked after parsing,
    was refused by "python -m nn"."""
    with pytest.raises(SystemExit):
        main(["train", "--dataset", dataset, "--digits", *digits])
    assert capsys.readouterr().err.startswith("python -m nn train: error: argument --digits: ")


def test_a_check_flag_given_twice_is_refused_rather_than_the_first_dropped(capsys, tmp_path):
    """--mode full --mode directional checked in directional mode without a word; train's flags are in BAD_FLAGS."""
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(tmp_path / "learner.py"), "--mode", "full", "--mode", "directional"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == (
        "python -m nn check: error: argument --mode: given twice: it takes one value, and the first would be dropped; "
        "give it once\n"
    )


def test_a_count_beyond_int64_is_a_positive_int_not_an_invalid_convert_value():
    """np.isfinite refused a Python int beyond int64 with a TypeError, which argparse printed as "invalid convert
    value: '100000000000000000000'", naming no rule."""
    many = 10**20
    args = build_parser().parse_args(
        ["train", "--dataset", "planar", "--iterations", str(many), "--mini-batch-size", str(many)]
    )
    assert args.iterations == args.mini_batch_size == many


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


#: A quoted value, a command in backticks or a flag, which a message writes as given in either language.
CODE = re.compile(r"'[^']*'|`[^`]*`|--[a-z0-9-]+")
#: A number as the summary line prints it.
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def in_chinese(line: str, *names: str) -> str:
    """``line`` is one error line of ``python -m nn`` or ``python -m nn train`` in Chinese: its prefix, and no
    English sentence once quoted values, flags and ``names`` (the system's words, a package) are set aside; the
    message after the prefix."""
    assert line.count("\n") == 1, line
    prefix = re.match(r"python -m nn(?: train)?：错误：", line)
    assert prefix, line
    said = line.removeprefix(prefix.group())
    assert re.search(r"[\u4e00-\u9fff]", said), line
    prose = CODE.sub("", said)
    for name in names:
        prose = prose.replace(name, "")
    assert not english_runs(prose), line
    return said


PAGE = Path(__file__).resolve().parents[1] / "docs" / "experiments" / "index.md"


def test_every_command_takes_lang_as_the_page_says():
    """Each subcommand prints prose (a report, a summary, an error line), so each takes --lang en|zh; the
    worked examples' page, which shows the commands, names each in its paragraph on --lang, in both languages."""
    top = build_parser()
    commands = next(action for action in top._actions if isinstance(action, argparse._SubParsersAction))
    for name, parser in commands.choices.items():
        lang = next((action for action in parser._actions if "--lang" in action.option_strings), None)
        assert lang is not None, f"python -m nn {name} has no --lang"
        assert list(lang.choices) == ["en", "zh"], name
    assert top.get_default("lang") == "en"
    for page in (PAGE, PAGE.with_suffix(".zh.md")):
        paragraph = next(part for part in page.read_text().split("\n\n") if "`--lang zh`" in part)
        named = re.findall(r"`(\w+)`", paragraph)
        assert set(commands.choices) <= set(named), (page.name, paragraph)
        assert named.index("train") < named.index("check") < named.index("figures"), page.name


def test_the_summary_line_in_chinese_carries_the_english_numbers(capsys):
    argv = ["train", "--dataset", "moons", "--mini-batch-size", "64", "--seed", "2", *FAST]
    assert main(argv) == 0
    english = capsys.readouterr().out
    assert main([*argv, "--lang", "zh"]) == 0
    chinese = capsys.readouterr().out
    assert chinese.count("\n") == 1
    assert "20 轮后代价为 " in chinese, chinese
    assert "训练集准确率 " in chinese, chinese
    assert "moons [2, 5, 2, 1] relu" in chinese
    assert not english_runs(chinese), chinese
    # the same run: every number but the seconds it took, which end the line
    numbers = [Counter(NUMBER.findall(line.rpartition(cut)[0])) for line, cut in ((english, " ("), (chinese, "（"))]
    assert numbers[0] == numbers[1], (english, chinese)


def test_the_summary_line_in_chinese_names_the_test_accuracy(capsys):
    assert main(["train", "--dataset", "digits10", "--layers", "8", *FAST, "--lang", "zh"]) == 0
    chinese = capsys.readouterr().out
    assert "20 次迭代后代价为 " in chinese, chinese
    assert "测试集准确率 " in chinese, chinese


@BAD_FLAGS
def test_bad_flags_in_chinese_exit_2_with_one_line(capsys, argv, message):
    """--lang zh is read before the flags it follows: argparse's refusals and the command's own rules are Chinese."""
    with pytest.raises(SystemExit) as exit_info:
        main(["train", *argv, "--lang", "zh"])
    assert exit_info.value.code == 2
    said = in_chinese(capsys.readouterr().err)
    assert set(CODE.findall(message)) <= set(CODE.findall(said)), (message, said)


def test_an_unknown_command_in_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["fit", "--lang", "zh"])
    assert "'fit'" in in_chinese(capsys.readouterr().err)


#: The commands of ``python -m nn``, as its --help lists them.
COMMANDS = ("train", "check", "figures")


def refusal(capsys, argv) -> str:
    """The one error line ``python -m nn`` exits 2 with on ``argv``."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


@pytest.mark.parametrize("argv", [[], ["--lang", "en"], ["--lang=en"]])
def test_no_command_says_one_is_missing_and_lists_them(capsys, argv):
    line = refusal(capsys, argv)
    assert line.startswith("python -m nn: error: a command is missing: "), line
    assert re.findall(r"\b(?:train|check|figures)\b", line) == list(COMMANDS), line


@pytest.mark.parametrize("argv", [["--lang", "zh"], ["--lang=zh"]])
def test_no_command_in_chinese_says_one_is_missing(capsys, argv):
    said = in_chinese(refusal(capsys, argv), *COMMANDS)
    assert said.startswith("缺少命令："), said
    assert "'zh'" not in said, "the language asked for is not taken for a command"
    assert re.findall(r"\b(?:train|check|figures)\b", said) == list(COMMANDS), said


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["--lang"], "argument --lang: expected one argument"),
     (["--lang", "fr", "check", "x.py"], "argument --lang: invalid choice: 'fr' (choose from 'en', 'zh')"),
     (["check", "x.py", "--lang", "fr"], "argument --lang: invalid choice: 'fr' (choose from 'en', 'zh')")],
)  # fmt: skip
def test_a_bad_lang_names_the_flag_not_a_command(capsys, argv, message):
    assert message in refusal(capsys, argv)


def test_lang_before_the_command_is_the_language_of_the_command(capsys):
    """``python -m nn --lang zh train ...`` speaks Chinese, as ``python -m nn train ... --lang zh`` does."""
    assert main(["--lang", "zh", "train", "--dataset", "planar", *FAST]) == 0
    assert "次迭代后代价为" in capsys.readouterr().out
    assert main(["--lang", "zh", "train", "--dataset", "planar", *FAST, "--lang", "en"]) == 0
    assert "after 20 iterations" in capsys.readouterr().out, "the command's own --lang wins"
    assert main(["train", "--dataset", "planar", *FAST, "--lan", "zh"]) == 0
    assert "次迭代后代价为" in capsys.readouterr().out, "argparse's abbreviation of --lang"
    assert main(["train", "--dataset", "planar", *FAST]) == 0
    assert "after 20 iterations" in capsys.readouterr().out, "English by default"


def test_a_bad_input_nn_train_finds_is_its_chinese(capsys):
    """The rule nn.train states, in the Chinese of its own message."""
    import numpy as np

    from nn.train import train
    from nn.words import InputError

    with pytest.raises(InputError) as caught:
        train(np.ones((2, 3)), np.ones((1, 3)), [2, 1], ["sigmoid"], loss="cross_entropy")
    assert main(["train", "--dataset", "planar", "--loss", "cross_entropy", *FAST, "--lang", "zh"]) == 2
    assert in_chinese(capsys.readouterr().err) == caught.value.text("zh") + "\n"


def test_divergence_in_chinese(capsys):
    """A learning rate far too large overflows: exit 1, one line naming the iteration and learning_rate."""
    assert main(["train", "--dataset", "planar", "--activation", "relu", "--lr", "1e30", *FAST, "--lang", "zh"]) == 1
    said = in_chinese(capsys.readouterr().err)
    assert said.startswith("训练在第 "), said
    assert said.endswith("：请调低 learning_rate（现在是 1e+30）\n"), said


def test_an_unwritable_plot_directory_in_chinese(tmp_path, capsys):
    not_a_directory = tmp_path / "file.txt"
    not_a_directory.write_text("x")
    target = not_a_directory / "figures"
    assert main(["train", "--dataset", "planar", *FAST, "--plot", str(target), "--lang", "zh"]) == 2
    said = in_chinese(capsys.readouterr().err, os.strerror(errno.ENOTDIR))
    assert said.startswith(f"参数 --plot：无法把图写到 '{target}'"), said
