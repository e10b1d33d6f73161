"""Every ValueError nn raises for a bad input in the checker's reach has its Chinese twin.

The modules are those ``nn.gradcheck`` and ``nn.testing`` import, directly or in a function, and
the modules they import in turn (the shape rules of ``nn.checks``, ``nn.conv``, ``nn.rnn``, the
checker's own), and every other module of ``nn`` beside them, its subpackages included (the worked
examples of ``nn.experiments`` too). A static walk of their source fails
on any ``raise ValueError(...)`` there and on any :class:`~nn.words.InputError` whose message is
not a ``Text(en, zh)``. Then each error below,
raised on purpose, must be a ValueError whose ``str()`` is the English, and whose Chinese carries
the same numbers and the same code names, no English word the English does not have, and no English
sentence. ``python -m nn check --lang zh`` and ``assert_gradients(lang="zh")`` print that Chinese.
"""

from __future__ import annotations

import ast
import functools
import re
import runpy
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from nn import activations, batchnorm, checks, conv, datasets, initialize_parameters, modes, optimizers, rnn, trace
from nn.cli import main
from nn.experiments import batch_norm
from nn.experiments import words as experiment_words
from nn.gradcheck import check, check_conv, check_function, check_rnn, check_two_layer, mistakes
from nn.gradcheck.sequence import default_inputs
from nn.losses import compute_cost
from nn.network import backward_propagation, forward_propagation
from nn.testing import assert_gradients
from nn.train import train
from nn.words import DefinitionError, InputError, language
from sitemarkdown.prose import english_runs

ROOT = Path(__file__).resolve().parents[1]
#: Where the walk starts: the checker, and the assertion a learner's tests call.
ENTRY = ("nn/gradcheck/__init__.py", "nn/testing.py")


@functools.cache
def _parsed(source: str) -> ast.Module:
    """The syntax tree of ``source``, parsed once for both walks."""
    return ast.parse(source)


def _imported(path: Path) -> set[Path]:
    """The files of nn that ``path`` imports, at its top or inside a function (relative imports)."""
    found = set()
    for node in ast.walk(_parsed(path.read_text())):
        if not isinstance(node, ast.ImportFrom) or not node.level:
            continue
        base = path.parent
        for _ in range(node.level - 1):
            base = base.parent
        module = [base.joinpath(*node.module.split("."))] if node.module else []  # not the package of "from .. import"
        for target in [*module, *((module or [base])[0] / alias.name for alias in node.names)]:
            for candidate in (target.with_suffix(".py"), target / "__init__.py"):
                if candidate.is_file():
                    found.add(candidate)
    return found


@functools.cache
def reached() -> list[Path]:
    """Every file of nn that the checker's entry points reach through imports."""
    seen, todo = set(), [ROOT / name for name in ENTRY]
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo += _imported(path)
    return sorted(seen)


#: The errors nn raises itself only in their bilingual form: a bad input's ValueError as an InputError, a
#: broken class contract's TypeError as a DefinitionError.
PLAIN = {"ValueError": "InputError", "TypeError": "DefinitionError"}


def untwinned(source: str) -> list[str]:
    """Each ``raise ValueError`` or ``raise TypeError`` in ``source``, and each ``InputError`` or
    ``DefinitionError`` made from anything but ``Text(en, zh)``."""
    found = []
    for node in ast.walk(_parsed(source)):
        if isinstance(node, ast.Raise) and node.exc is not None:
            made = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(made, ast.Name) and made.id in PLAIN:
                found.append(f"line {node.lineno}: {ast.unparse(node)[:80]}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in PLAIN.values():
            message = node.args[0] if len(node.args) == 1 and not node.keywords else None
            text = isinstance(message, ast.Call) and isinstance(message.func, ast.Name) and message.func.id == "Text"
            if not (text and len(message.args) == 2):
                found.append(f"line {node.lineno}: {ast.unparse(node)[:80]}")
    return found


def in_scope() -> list[Path]:
    """What the checker reaches, and every module of nn, its subpackages (nn.experiments, which draws the figures)
    included: each raise there is one a user can meet by calling it."""
    return sorted(set(reached()) | set((ROOT / "nn").rglob("*.py")))


def test_the_walk_reaches_the_modules_a_learner_meets():
    names = {path.relative_to(ROOT).as_posix() for path in reached()}
    expected = {"nn/checks.py", "nn/conv.py", "nn/rnn.py", "nn/losses.py", "nn/activations.py", "nn/words.py"}
    expected |= {f"nn/gradcheck/{name}.py" for name in ("adapters", "checker", "problems", "sequence", "mistakes")}
    assert expected <= names, expected - names


def test_the_scope_takes_in_the_subpackages():
    names = {path.relative_to(ROOT).as_posix() for path in in_scope()}
    assert {"nn/experiments/words.py", "nn/experiments/batch_norm.py", "nn/gradcheck/report.py"} <= names


def test_every_value_error_in_reach_has_a_chinese_twin():
    found = {path.relative_to(ROOT).as_posix(): untwinned(path.read_text()) for path in in_scope()}
    found = {path: lines for path, lines in found.items() if lines}
    assert not found, (
        f"ValueErrors or TypeErrors without their Chinese: {found}. Raise InputError(Text(English, Chinese)) "
        "for a bad input, DefinitionError(Text(English, Chinese)) for a class that breaks its base's contract "
        "(nn.words), with the same numbers and names in both"
    )


@pytest.mark.parametrize(
    "source",
    ['raise ValueError(f"X has {n} rows")', 'raise ValueError', 'raise InputError(f"X has {n} rows")',
     'raise InputError(Text("X has 3 rows"))', 'error = InputError(message)',
     'raise TypeError(f"class {n} must define forward")', 'raise DefinitionError("class C must define forward")'],
)  # fmt: skip
def test_the_walk_finds_a_plain_raise(source):
    assert untwinned(f"def f(n, message):\n    {source}\n"), source
    assert not untwinned('raise InputError(Text(f"X has {n} rows", f"X 有 {n} 行"))')
    assert not untwinned('raise DefinitionError(Text(f"{n} must define forward", f"{n} 必须定义 forward"))')


def _course_parameters():
    rng = np.random.default_rng(0)
    return {
        "W1": rng.normal(size=(3, 2)),
        "b1": np.zeros((3, 1)),
        "W2": rng.normal(size=(1, 3)),
        "b2": np.zeros((1, 1)),
    }


def _bn_parameters(**change):
    parameters = initialize_parameters([2, 3, 1], "he", seed=0, batch_norm=True)
    return parameters | change


def _forward(X=None, parameters=None, activations=("tanh", "sigmoid"), **options):
    X = np.ones((2, 4)) if X is None else X
    return forward_propagation(
        X, _course_parameters() if parameters is None else parameters, list(activations), **options
    )


def _backward(cache_change=None, Y=None, loss="bce"):
    parameters = _course_parameters()
    AL, cache = forward_propagation(np.ones((2, 4)), parameters, ["tanh", "sigmoid"])
    cache = cache | (cache_change or {})
    return backward_propagation(AL, np.ones((1, 4)) if Y is None else Y, cache, parameters, ["tanh", "sigmoid"], loss)


def _forward_returning(result):
    return check_two_layer(lambda X, p: result, lambda p, c, X, Y: {}, _course_parameters(), np.ones((2, 4)),
                           np.ones((1, 4)))  # fmt: skip


def _wrong_forward():
    def forward(X, p):
        return np.full((1, 4), 0.25), {}

    return check_two_layer(forward, lambda p, c, X, Y: {}, _course_parameters(), np.ones((2, 4)), np.ones((1, 4)))


def _conv(A_prev=None, W=None, b=None, hparameters=None):
    rng = np.random.default_rng(0)
    A_prev = rng.normal(size=(2, 5, 5, 3)) if A_prev is None else A_prev
    W = rng.normal(size=(3, 3, 3, 4)) if W is None else W
    b = np.zeros((1, 1, 1, 4)) if b is None else b
    return conv.conv_forward(A_prev, W, b, {"stride": 1, "pad": 1} if hparameters is None else hparameters)


def _rnn(x=None, a0=None, **change):
    x_default, a0_default, parameters = default_inputs("rnn")
    x = x_default if x is None else x
    a0 = a0_default if a0 is None else a0
    return rnn.rnn_forward(x, a0, parameters | change)


def _cost(p):
    return float(np.sum(p["w"] ** 2))


def _cost_at_an_edge(p):
    """ln(w1 - 1 + 1e-9): finite at w1 = 1, nan a step below it."""
    with np.errstate(invalid="ignore"):
        return float(np.log(p["w"][0] - 1.0 + 1e-9))


def _cost_in_place(p):
    """Σ w², which doubles w in place after reading it."""
    J = float(np.sum(p["w"] ** 2))
    p["w"] *= 2
    return J


#: One bad input per rule, each cheap: a name for the test id, and what raises.
ERRORS = {
    "X rows against W1": lambda: _forward(X=np.ones((3, 4))),
    "X one-dimensional": lambda: _forward(X=np.ones(2)),
    "X without samples": lambda: _forward(X=np.ones((2, 0))),
    "X of strings": lambda: _forward(X=np.array([["a"], ["b"]])),
    "X with nan": lambda: _forward(X=np.array([[1.0, np.nan], [0.0, 1.0]])),
    "W2 columns against W1 rows": lambda: _forward(parameters=_course_parameters() | {"W2": np.ones((1, 4))}),
    "b1 shape": lambda: _forward(parameters=_course_parameters() | {"b1": np.zeros((1, 3))}),
    "b1 not float": lambda: _forward(parameters=_course_parameters() | {"b1": [[0], [0], [0]]}),
    "dtypes differ": lambda: _forward(parameters=_course_parameters() | {"b1": np.zeros((3, 1), np.float32)}),
    "W of no units": lambda: _forward(parameters=_course_parameters() | {"W1": np.ones((0, 2))}),
    "parameters missing b2": lambda: _forward(parameters={k: v for k, v in _course_parameters().items() if k != "b2"}),
    "parameters not a dict": lambda: _forward(parameters=[1, 2]),
    "activations count": lambda: _forward(activations=("tanh",)),
    "activations a string": lambda: _forward(activations="relu"),
    "unknown activation": lambda: _forward(activations=("tanhh", "sigmoid")),
    "softmax hidden": lambda: _forward(activations=("softmax", "sigmoid")),
    "softmax of one unit": lambda: _forward(activations=("tanh", "softmax")),
    "training flag": lambda: _forward(training="yes"),
    "batch norm of one sample": lambda: forward_propagation(np.ones((2, 1)), _bn_parameters(), ["relu", "sigmoid"]),
    "batch norm gamma without beta": lambda: forward_propagation(
        np.ones((2, 3)), {k: v for k, v in _bn_parameters().items() if k != "beta1"}, ["relu", "sigmoid"]),
    "batch norm beside b": lambda: forward_propagation(
        np.ones((2, 3)), _bn_parameters(b1=np.zeros((3, 1))), ["relu", "sigmoid"]),
    "batch norm on the output": lambda: forward_propagation(
        np.ones((2, 3)), _bn_parameters(gamma2=np.ones((1, 1))), ["relu", "sigmoid"]),
    "negative running variance": lambda: forward_propagation(
        np.ones((2, 3)), _bn_parameters(running_var1=-np.ones((3, 1))), ["relu", "sigmoid"]),
    "batch norm of a layer it lacks": lambda: batchnorm.forward(np.ones((3, 4)), _bn_parameters(), 2, {}, False),
    "batch norm's cache not a dict": lambda: batchnorm.forward(np.ones((3, 4)), _bn_parameters(), 1, None),
    "batch statistics missing": lambda: batchnorm.update_running_averages(_bn_parameters(), {}),
    "forward pass overflow": lambda: _forward(X=np.full((2, 4), 1e300), parameters=_course_parameters() | {
        "W1": np.full((3, 2), 1e10)}),
    "backward pass overflow": lambda: _backward(Y=np.full((1, 4), -1e308), loss="mse"),
    "Y transposed": lambda: _backward(Y=np.ones((4, 1))),
    "bce labels": lambda: _backward(Y=np.full((1, 4), 2.0)),
    "cross_entropy without softmax": lambda: _backward(loss="cross_entropy"),
    "unknown loss": lambda: _backward(loss="hinge"),
    "cache without Z1": lambda: _backward({"Z1": None}),
    "cross_entropy labels": lambda: checks.cost_inputs(np.full((2, 1), 0.5), np.array([[0.0], [2.0]]), "cross_entropy",
                                                       losses=("bce", "cross_entropy"), paired={}),
    "cost overflow": lambda: compute_cost(np.array([[1e200]]), np.array([[0.0]]), "mse"),
    "layer_dims too short": lambda: initialize_parameters([3], "he"),
    "layer size zero": lambda: initialize_parameters([3, 0], "he"),
    "init method": lambda: initialize_parameters([3, 1], "glorot"),
    "seed": lambda: initialize_parameters([3, 1], "he", seed=-1),
    "train's callback": lambda: train(np.ones((2, 4)), np.ones((1, 4)), [2, 1], ["sigmoid"], callback="print"),
    "keep_prob": lambda: checks.keep_probs(1.5, 3),
    "keep_prob count": lambda: checks.keep_probs([0.5], 3),
    "lambd": lambda: checks.lambd(-1),
    "learning rate": lambda: checks.rate(0),
    "beta": lambda: checks.decay("beta1", 1.0),
    "epsilon": lambda: checks.epsilon(0),
    "Adam's t": lambda: optimizers.update_parameters_with_adam(
        {"W1": np.ones((1, 1))}, {"dW1": np.ones((1, 1))}, *optimizers.initialize_adam({"W1": np.ones((1, 1))}), t=0),
    "Adam's t beyond a float": lambda: optimizers.update_parameters_with_adam(
        {"W1": np.ones((1, 1))}, {"dW1": np.ones((1, 1))}, *optimizers.initialize_adam({"W1": np.ones((1, 1))}),
        t=10**400),
    "mini-batch size": lambda: optimizers.random_mini_batches(np.ones((2, 4)), np.ones((1, 4)), 0),
    "columns of X and Y": lambda: optimizers.random_mini_batches(np.ones((2, 4)), np.ones((1, 3)), 2),
    "conv channels": lambda: _conv(W=np.ones((3, 3, 2, 4))),
    "conv filters not square": lambda: _conv(W=np.ones((3, 2, 3, 4))),
    "conv bias": lambda: _conv(b=np.zeros((1, 1, 1, 3))),
    "conv stride": lambda: _conv(hparameters={"stride": 0, "pad": 1}),
    "conv without pad": lambda: _conv(hparameters={"stride": 1}),
    "conv window too large": lambda: _conv(W=np.ones((9, 9, 3, 4)), hparameters={"stride": 1, "pad": 0}),
    "conv padding beyond an array": lambda: _conv(hparameters={"stride": 1, "pad": 10**12}),
    "padding beyond memory": lambda: conv.zero_pad(np.ones((1, 2, 2, 1)), 10**8),
    "conv overflow": lambda: _conv(A_prev=np.full((2, 5, 5, 3), 1e300), W=np.full((3, 3, 3, 4), 1e10)),
    "conv backward overflow": lambda: conv.conv_backward(np.full((2, 5, 5, 4), 1e300), _conv(W=np.full(
        (3, 3, 3, 4), 1e10))[1]),
    "average pooling overflow": lambda: conv.pool_forward(np.full((1, 2, 2, 1), 1e308), {"f": 2, "stride": 2},
                                                          "average"),
    "conv single step overflow": lambda: conv.conv_single_step(np.full((2, 2, 1), 1e308), np.ones((2, 2, 1)), 0.0),
    "max pooling backward overflow": lambda: conv.pool_backward(np.full((1, 2, 2, 1), 1e308), (np.pad(
        np.ones((1, 1, 1, 1)), ((0, 0), (1, 1), (1, 1), (0, 0))), {"f": 2, "stride": 1})),
    "conv one sample": lambda: _conv(A_prev=np.ones((5, 5, 3))),
    "conv ragged lists": lambda: _conv(A_prev=[[[[1.0]], [[1.0], [2.0]]]]),
    "output size of no window": lambda: conv.output_size(3, 5, 0, 1),
    "conv integer input": lambda: _conv(A_prev=np.ones((2, 5, 5, 3), dtype=int)),
    "conv upstream shape": lambda: conv.conv_backward(np.ones((2, 4, 4, 4)), _conv()[1]),
    "conv cache of another layer": lambda: conv.conv_backward(np.ones((1, 3, 3, 1)), (np.ones((1, 4, 4, 1)), {"f": 2})),
    "conv filters of no channel": lambda: _conv(A_prev=np.ones((2, 5, 5, 0)), W=np.ones((3, 3, 0, 4))),
    "conv upstream of objects": lambda: conv.conv_backward(np.ones((2, 5, 5, 4), dtype=object), _conv()[1]),
    "conv single step": lambda: conv.conv_single_step(np.ones((2, 2, 3)), np.ones((3, 3, 3)), 0.0),
    "pool mode": lambda: conv.pool_forward(np.ones((1, 4, 4, 1)), {"f": 2, "stride": 2}, "min"),
    "pool window": lambda: conv.pool_forward(np.ones((1, 4, 4, 1)), {"f": 0, "stride": 2}),
    "rnn a0 columns": lambda: _rnn(a0=np.zeros((3, 5))),
    "rnn x two-dimensional": lambda: _rnn(x=np.ones((2, 3))),
    "rnn Wax shape": lambda: _rnn(Wax=np.ones((3, 3))),
    "rnn x of integers": lambda: _rnn(x=np.ones((2, 3, 4), dtype=int)),
    "rnn steps of two runs": lambda: rnn.rnn_backward(np.ones((3, 3, 2)), (
        [rnn.rnn_forward(*default_inputs("rnn"))[2][0][0], rnn.rnn_forward(*default_inputs("rnn", m=2))[2][0][0]],
        np.ones((2, 3, 2)))),
    "rnn clip": lambda: rnn.clip({"dWaa": np.ones((1, 1))}, -1.0),
    "rnn overflow": lambda: rnn.rnn_forward(np.full((2, 3, 4), 1e308), np.zeros((3, 3)), default_inputs("rnn")[2] | {
        "Wax": np.full((3, 2), 10.0)}),
    "lstm backward overflow": lambda: rnn.lstm_backward(np.full((3, 3, 4), 1.7e308), rnn.lstm_forward(
        *default_inputs("lstm"))[-1]),
    "check_function empty": lambda: check_function(_cost, lambda p: {}, {}),
    "check_function integers": lambda: check_function(_cost, lambda p: {}, {"w": np.array([1, 2])}),
    "check_function missing gradient": lambda: check_function(_cost, lambda p: {"dv": 1.0}, {"w": np.ones(2)}),
    "check_function gradients named both ways": lambda: check_function(
        _cost, lambda p: {"w": np.ones(2), "dv": np.ones(1)}, {"w": np.ones(2), "v": np.ones(1)}
    ),
    "check_function gradient shape": lambda: check_function(_cost, lambda p: {"dw": np.ones(3)}, {"w": np.ones(2)}),
    "nan gradient": lambda: check_function(_cost, lambda p: {"dw": np.full(2, np.nan)}, {"w": np.ones(2)}),
    "cost not finite": lambda: check_function(lambda p: float("nan"), lambda p: {"dw": p["w"]}, {"w": np.ones(2)}),
    "cost not finite a step away": lambda: check_function(_cost_at_an_edge, lambda p: {"dw": np.zeros(2)},
                                                          {"w": np.array([1.0, 2.0])}),
    "cost not a number": lambda: check_function(lambda p: p["w"], lambda p: {"dw": p["w"]}, {"w": np.ones(2)}),
    "check of a cost beyond the floats": lambda: check_function(lambda p: float(1e304 * np.sum(p["w"])),
                                                                lambda p: {"dw": np.full(2, 1e304)}, {"w": np.ones(2)}),
    "cost not a function": lambda: check_function(3.0, lambda p: {"dw": 2 * p["w"]}, {"w": np.ones(2)}),
    "gradients named two ways": lambda: check_function(lambda p: float(np.sum(p["w"] ** 2) + p["c"]),
                                                       lambda p: {"w": 2 * p["w"], "dc": 1.0},
                                                       {"w": np.ones(2), "c": np.array(1.0)}),
    "gradient of ragged rows": lambda: check_function(_cost, lambda p: {"dw": [1.0, [2.0]]}, {"w": np.ones(2)}),
    "cost changes its input": lambda: check_function(_cost_in_place, lambda p: {"dw": 2 * p["w"]}, {"w": np.ones(2)}),
    "forward's output of strings": lambda: check_conv(lambda *a: (np.full((2, 3, 3, 2), "z"), None),
                                                      conv.conv_backward),
    "unknown mode": lambda: check_function(_cost, lambda p: {"dw": 2 * p["w"]}, {"w": np.ones(2)}, mode="fast"),
    "negative h": lambda: check_function(_cost, lambda p: {"dw": 2 * p["w"]}, {"w": np.ones(2)}, h=-1),
    "directions": lambda: check(_course_parameters(), np.ones((2, 4)), np.ones((1, 4)), ["tanh", "sigmoid"],
                                mode="directional", directions=0),
    "complex step at a kink": lambda: check(_course_parameters(), np.ones((2, 4)), np.ones((1, 4)), ["relu", "sigmoid"],
                                            mode="complex"),
    "forward returns one value": lambda: _forward_returning(np.ones((1, 4))),
    "forward's AL differs": _wrong_forward,
    "check_conv half": lambda: check_conv(conv.conv_forward, conv.conv_backward, A_prev=np.ones((2, 4, 4, 2))),
    "check_rnn complex": lambda: check_rnn(rnn.rnn_forward, rnn.rnn_backward, *default_inputs("rnn"), mode="complex"),
    "check_rnn da of zeros": lambda: check_rnn(rnn.rnn_forward, rnn.rnn_backward, *default_inputs("rnn"),
                                               da=np.zeros((3, 3, 4))),
    "check at a flat point": lambda: check_function(lambda p: 0.0, lambda p: {"w": np.zeros(2)}, {"w": np.ones(2)}),
    "default inputs kind": lambda: default_inputs("gru"),
    "default inputs size": lambda: default_inputs("rnn", n_a=0),
    "default inputs seed": lambda: default_inputs("rnn", seed=-1),
    "unknown data set": lambda: datasets.load("mnist"),
    "planar of odd m": lambda: datasets.planar(m=3),
    "an option the loader lacks": lambda: datasets.load("planar", foo=1),
    "an option without a data set's name": lambda: datasets.load(foo=1),
    "moons of one point": lambda: datasets.moons(m=1),
    "negative noise": lambda: datasets.moons(noise=-1),
    "petals not a number": lambda: datasets.planar(petals="4"),
    "standardize not a flag": lambda: datasets.breast_cancer(standardize="no"),
    "planar's points beyond the floats": lambda: datasets.planar(petals=1e308),
    "moons' points beyond the floats": lambda: datasets.moons(noise=1e308),
    "planar beyond memory": lambda: datasets.planar(m=10**16),
    "data set seed": lambda: datasets.moons(random_state=-1),
    "test_size of no sample": lambda: datasets.digits(test_size=0),
    "accuracy of Y transposed": lambda: datasets.accuracy(np.ones((1, 3)), np.ones((3, 1))),
    "init batch_norm flag": lambda: initialize_parameters([2, 1], "he", batch_norm="yes"),
    "direction keys": lambda: modes.directional_derivative(np.ones((2, 4)), np.ones((1, 4)), _course_parameters(),
                                                           ["tanh", "sigmoid"], {"W1": np.ones((3, 2))}),
    "direction not a dict": lambda: modes.directional_derivative(np.ones((2, 4)), np.ones((1, 4)),
                                                                 _course_parameters(), ["tanh", "sigmoid"], None),
    "direction of strings": lambda: modes.directional_derivative(
        np.ones((2, 4)), np.ones((1, 4)), _course_parameters(), ["tanh", "sigmoid"],
        {key: np.full(value.shape, "up") for key, value in _course_parameters().items()}),
    "trace of batch norm": lambda: trace.backward_trace(np.ones((2, 3)), np.ones((1, 3)), _bn_parameters(),
                                                        ["relu", "sigmoid"]),
    "language": lambda: language("fr"),
    "example language": lambda: experiment_words.check_language("fr"),
    "cost never below a level": lambda: batch_norm.first_step_below([0.7, 0.5, 0.4], 0.25),
    "training diverged": lambda: train(*datasets.planar(), [2, 4, 1], ["relu", "sigmoid"], init="small",
                                       learning_rate=1e30, num_iterations=20),
    "mutant language": lambda: mistakes.MISTAKES[0].described("fr"),
}  # fmt: skip

#: A number as a message prints it: 3, 0.5, 1e-07, nan aside.
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?")
#: An ASCII word, not glued to a number or a name before it.
WORD = re.compile(r"(?<![A-Za-z0-9_.])[A-Za-z_][A-Za-z0-9_]*")
#: A name in the code or the notation: it has a digit, an underscore or a bracket, or is quoted.
NAME = re.compile(r"(?<![A-Za-z])'[^']*'|(?<![A-Za-z0-9_.])[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])*(?=[\[(]|\b)")


#: What a message writes as code in either language: a quoted value, a dict such as {name: float array}.
CODE = re.compile(r"(?<![A-Za-z])'[^']*'|\{[^}]*\}")


def names(text: str) -> Counter:
    """The code names and symbols of a message: quoted values, and words with a digit, _ or [ ]."""
    return Counter(name for name in NAME.findall(text) if name.startswith("'") or re.search(r"[\d_\[]", name))


def raised(case: str) -> InputError:
    with pytest.raises(ValueError) as caught:  # noqa: PT011 (each case raises its own message; the test reads it)
        ERRORS[case]()
    assert isinstance(caught.value, InputError), f"{case}: {type(caught.value).__name__}: {caught.value}"
    return caught.value


def assert_twins(english: str, chinese: str) -> None:
    """``chinese`` has the numbers and names of ``english``, no English word it lacks, no English sentence."""
    assert chinese != english, chinese
    assert re.search(r"[\u4e00-\u9fff]", chinese), chinese
    assert Counter(NUMBER.findall(chinese)) == Counter(NUMBER.findall(english)), (english, chinese)
    assert names(chinese) == names(english), (english, chinese)
    assert set(WORD.findall(chinese)) <= set(WORD.findall(english)), (english, chinese)
    assert not english_runs(CODE.sub("", chinese)), chinese


@pytest.mark.parametrize("case", list(ERRORS))
def test_the_chinese_message_carries_the_same_numbers_and_names(case):
    error = raised(case)
    english, chinese = error.text("en"), error.text("zh")
    assert str(error) == english == error.args[0]
    assert_twins(english, chinese)


def test_each_rule_is_met_once():
    """The cases are distinct rules: no two raise the same English message."""
    messages = Counter(str(raised(case)) for case in ERRORS)
    assert max(messages.values()) == 1, [message for message, count in messages.items() if count > 1]


def _activation_class(class_name: str, **body) -> type:
    """Define the activation class ``class_name`` with ``body`` (what docs/extending.md has the reader write)."""
    return type(class_name, (activations.Activation,), body)


#: Each activation class docs/extending.md's reader may get wrong, refused when it is defined.
DEFINITIONS = {
    "no derivatives": lambda: _activation_class("Half", name="half", forward=staticmethod(np.abs)),
    "column activation without backward": lambda: _activation_class(
        "Normalise", name="normalise", elementwise=False, forward=staticmethod(np.abs)),
    "no name": lambda: _activation_class("Nameless", forward=staticmethod(np.abs), derivative=staticmethod(np.sign),
                                         second_derivative=staticmethod(np.zeros_like)),
    "name taken": lambda: _activation_class("MyReLU", name="relu", forward=staticmethod(np.abs),
                                            derivative=staticmethod(np.sign),
                                            second_derivative=staticmethod(np.zeros_like)),
}  # fmt: skip


@pytest.mark.parametrize("case", list(DEFINITIONS))
def test_a_broken_activation_class_is_refused_in_both_languages(case, monkeypatch):
    """Defining the class raises a TypeError; at import, where no language is asked, it prints both."""
    monkeypatch.setattr(activations, "_REGISTRY", dict(activations._REGISTRY))
    with pytest.raises(TypeError) as caught:
        DEFINITIONS[case]()
    error = caught.value
    assert isinstance(error, DefinitionError), f"{case}: {type(error).__name__}: {error}"
    english, chinese = error.text("en"), error.text("zh")
    assert english == error.args[0]
    assert str(error) == f"{english}\n{chinese}"
    assert_twins(english, chinese)


#: A learner's file with the samples as the rows of X, ``(m, n[0])``; its backward pass is right.
ROWS = "docs/examples/two_layer_rows.py"


def test_the_command_prints_a_shape_error_in_chinese(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["check", ROWS, "--lang", "zh"]) == 2
    chinese = capsys.readouterr().err
    assert chinese == (
        f"python -m nn check：错误：{ROWS}：ValueError：X 有 10 行，而 W1 要求 2 行："
        "W[l] 必须是 (n[l], n[l-1])，所以 X = A[0] 必须是 (n[0], m)\n"
    )
    assert not english_runs(chinese.split("ValueError：")[1])
    assert main(["check", ROWS]) == 2
    assert capsys.readouterr().err == (
        f"python -m nn check: error: {ROWS}: ValueError: X has 10 rows but W1 expects 2: "
        "W[l] must be (n[l], n[l-1]), so X = A[0] must be (n[0], m)\n"
    )


def test_the_file_with_samples_as_rows_is_right_but_for_the_layout():
    learner = runpy.run_path(str(ROOT / ROWS))
    names = "forward_propagation", "backward_propagation", "parameters"
    forward, backward, parameters = (learner[name] for name in names)
    assert check_two_layer(forward, backward, parameters, learner["X"].T, learner["Y"]).passed


def test_the_command_names_the_learners_line_in_chinese_when_nn_refuses_there(tmp_path, capsys):
    path = tmp_path / "learner.py"
    path.write_text("import numpy as np\nfrom nn import conv\nconv.zero_pad(np.ones((2, 2, 1)), 1)\n")
    assert main(["check", str(path), "--lang", "zh"]) == 2
    line = capsys.readouterr().err
    assert "ValueError：X 的维度是 (2, 2, 1)：它必须是 (m, n_H, n_W, n_C)" in line
    assert line.endswith(f"（位于 {path}:3，在文件的顶层）\n"), line


def test_the_command_prints_a_broken_activation_class_in_the_language_asked(tmp_path, capsys):
    path = tmp_path / "learner.py"
    path.write_text(
        "import numpy as np\nfrom nn.activations import Activation\n\n\n"
        "class Half(Activation):\n    name = 'half'\n    forward = staticmethod(np.abs)\n"
    )
    lines = {}
    for lang in ("en", "zh"):
        assert main(["check", str(path), "--lang", lang]) == 2
        lines[lang] = capsys.readouterr().err
    assert "TypeError: activation class Half must define derivative, second_derivative:" in lines["en"]
    assert "TypeError：激活函数类 Half 必须定义 derivative、second_derivative：" in lines["zh"]
    assert lines["zh"].endswith(f"（位于 {path}:5，在文件的顶层）\n"), lines["zh"]
    assert not re.search(r"[\u4e00-\u9fff]", lines["en"]), lines["en"]


def test_assert_gradients_raises_the_value_error_in_the_language_asked():
    parameters = {"w": np.array([1, 2], dtype=np.int64)}
    for lang in ("zh", "en"):
        with pytest.raises(ValueError, match="int64") as caught:
            assert_gradients(_cost, lambda p: {"dw": 2 * p["w"]}, parameters, lang=lang)
        assert str(caught.value) == caught.value.text(lang)
    assert str(caught.value).startswith("parameters['w'] has dtype int64"), "English by default"
    with pytest.raises(ValueError, match=r"parameters\['w'\] 的 dtype 是 int64：梯度检验"):
        assert_gradients(_cost, lambda p: {"dw": 2 * p["w"]}, parameters, lang="zh")


def test_the_learners_own_value_error_is_printed_as_raised(tmp_path, capsys):
    path = tmp_path / "learner.py"
    path.write_text('raise ValueError("my data\\nis not ready")\n')
    assert main(["check", str(path), "--lang", "zh"]) == 2
    assert capsys.readouterr().err == (
        f"python -m nn check：错误：{path}：ValueError：my data is not ready（位于 {path}:1，在文件的顶层）\n"
    )


@pytest.mark.parametrize(
    ("value", "english", "chinese"),
    [
        (3, "an int", "是一个 int"),
        (object(), "an object", "是一个 object"),
        (..., "an ellipsis", "是一个 ellipsis"),
        (None, "a NoneType", "是一个 NoneType"),
        (2.5, "a float", "是一个 float"),
        ([1], "a list", "是一个 list"),
        (np.zeros((2, 1), dtype=np.int64), "an int64 array of shape (2, 1)", "是一个维度为 (2, 1) 的 int64 数组"),
        (np.zeros(1, dtype=object), "an object array of shape (1,)", "是一个维度为 (1,) 的 object 数组"),
        (np.zeros(1, dtype=np.uint8), "a uint8 array of shape (1,)", "是一个维度为 (1,) 的 uint8 数组"),
        (np.zeros(1), "a float64 array of shape (1,)", "是一个维度为 (1,) 的 float64 数组"),
    ],
)
def test_a_value_is_described_with_the_article_its_sound_takes(value, english, chinese):
    from nn.words import described

    assert (str.__str__(described(value)), described(value).zh) == (english, chinese)


def test_a_learners_function_that_returns_an_int_is_named_with_an():
    with pytest.raises(InputError, match="it returned an int") as caught:
        check_function(lambda p: 1.0, lambda p: 3, {"w": np.array([1.0])})
    assert "而它返回的是一个 int" in caught.value.text("zh")
    with pytest.raises(InputError, match="it returned an int") as caught:
        check_rnn(rnn.rnn_forward, lambda da, caches: 3, *default_inputs("rnn"))
    assert "而它返回的是一个 int" in caught.value.text("zh")
