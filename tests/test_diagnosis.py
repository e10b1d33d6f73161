"""check_two_layer and check_L_layer check course-style code and name the known mistake it makes.

The learner's code is ``tests/course_code.py``, written apart from ``nn``; the diagnosis runs
nn's backward with each known mistake applied, so a match is two independent pieces of code
agreeing on the same wrong gradients.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from course_code import L_model_backward, L_model_forward, two_layer_backward, two_layer_forward
from support import assert_diagnosed

import derivations
from nn import activations as registry
from nn import network
from nn.gradcheck import GradientShapeError, check_L_layer, check_two_layer, mistakes

DOCS = Path(__file__).resolve().parents[1] / "docs"
BY_NAME = {mutant.name: mutant for mutant in mistakes.MISTAKES}


def layers(dims, seed=0, zero_column=False):
    """Parameters for ``dims``, inputs X with m = 6 columns and 0/1 labels Y for n[L] outputs.

    With ``zero_column``, sample 0 is the zero vector and every other b1 entry is 0, so some
    pre-activations Z1[:, 0] sit exactly on relu's kink.
    """
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.normal(size=(dims[l], dims[l - 1]))
        parameters[f"b{l}"] = rng.normal(size=(dims[l], 1)) * 0.5
    X, Y = rng.normal(size=(dims[0], 6)), rng.integers(0, 2, size=(dims[-1], 6)).astype(float)
    if zero_column:
        X[:, 0] = 0.0
        parameters["b1"][::2] = 0.0
    return parameters, X, Y


def two_layer(mistake, **options):
    return check_two_layer(two_layer_forward, two_layer_backward(mistake), *layers([2, 4, 1]), **options)


def L_layer(mistake, dims=(3, 3, 3, 1), hidden="relu", output="sigmoid", loss="bce", zero_column=False, **options):
    parameters, X, Y = layers(list(dims), zero_column=zero_column)
    if loss == "mse":
        Y = np.random.default_rng(1).normal(size=Y.shape)
    activations = [hidden] * (len(dims) - 2) + [output]
    forward, backward = L_model_forward(hidden, output), L_model_backward(mistake, hidden, output)
    return check_L_layer(forward, backward, parameters, X, Y, activations=activations, loss=loss, **options)


SQUARE = (3, 3, 3, 3)  # every W[l] square: a transposed dW or W[l] dZ keeps its shape
CASES = [  # (the learner's mistake, how it is checked, the known mistake the diagnosis must name)
    ("output-no-target", two_layer, "bce-output-no-target"),
    ("output-sign", two_layer, "bce-output-sign-flipped"),
    ("output-no-target", lambda mk: L_layer(mk, (3, 3, 2), output="identity", loss="mse"), "mse-output-no-target"),
    ("output-sign", lambda mk: L_layer(mk, (3, 3, 2), output="identity", loss="mse"), "mse-output-sign-flipped"),
    ("tanh-1-A", two_layer, "tanh-prime-not-squared"),
    ("tanh-sigmoid-prime", two_layer, "tanh-prime-is-sigmoid-prime"),
    ("relu-inverted", L_layer, "relu-prime-inverted-mask"),
    # relu′(0) differs only for Z exactly 0, where every probe crosses the kink: only kinks="fail" fails there
    ("relu-at-kink", lambda mk: L_layer(mk, zero_column=True, kinks="fail"), "relu-prime-at-kink"),
    ("leaky-slope-zero", lambda mk: L_layer(mk, hidden="leaky_relu"), "leaky-slope-zero"),
    ("leaky-slope-one", lambda mk: L_layer(mk, hidden="leaky_relu"), "leaky-slope-one"),
    ("dW-no-1/m", two_layer, "dW-missing-1/m"),
    ("dW-1/m-twice", two_layer, "dW-1/m-twice"),
    ("dW-transposed", lambda mk: L_layer(mk, SQUARE), "dW-transposed"),
    ("dW-uses-A[l]", lambda mk: L_layer(mk, SQUARE), "dW-uses-A[l]"),
    ("db-no-1/m", two_layer, "db-missing-1/m"),
    ("db-1/m-twice", two_layer, "db-1/m-twice"),
    ("dA-not-transposed", lambda mk: L_layer(mk, SQUARE), "dA-prev-W-not-transposed"),
]
SHAPE_CASES = [  # the same, where the mistake changes a gradient's shape: an error that carries the diagnosis
    ("db-axis-0", two_layer, "db-sum-axis-0", "db1 has shape (1, 6) but b1 has shape (4, 1)"),
    ("db-no-keepdims", two_layer, "db-no-keepdims", "db1 has shape (4,) but b1 has shape (4, 1)"),
    ("dW-transposed", two_layer, "dW-transposed", "dW1 has shape (2, 4) but W1 has shape (4, 2)"),
    ("dW-uses-A[l]", L_layer, "dW-uses-A[l]", "dW3 has shape (1, 1) but W3 has shape (1, 3)"),
]


def test_every_known_mistake_has_a_case():
    covered = {name for *_, name in CASES} | {case[2] for case in SHAPE_CASES}
    network = {name for name, mutant in BY_NAME.items() if mutant.file not in mistakes.OWN_CHECKS}  # others: own tests
    assert covered == network, f"known mistakes without a diagnosis test: {network - covered}"


@pytest.mark.parametrize(("learner", "checked", "name"), CASES, ids=[case[2] for case in CASES])
def test_the_diagnosis_names_the_mistake_and_its_derivation(learner, checked, name):
    assert_diagnosed(checked(learner), name)


@pytest.mark.parametrize(("learner", "checked", "name", "shapes"), SHAPE_CASES, ids=[c[2] for c in SHAPE_CASES])
def test_a_misshapen_gradient_is_an_error_that_carries_the_diagnosis(learner, checked, name, shapes):
    mutant = BY_NAME[name]
    with pytest.raises(GradientShapeError, match=re.escape(shapes)) as error:
        checked(learner)
    assert error.value.derivation == mutant.derivation
    assert f"; {mutant.words}" in str(error.value)


def misshapen(planted, change):
    """The GradientShapeError of course-style code with ``planted`` and then ``change(grads, m)`` made."""

    def backward(parameters, cache, X, Y):
        grads = two_layer_backward(planted)(parameters, cache, X, Y)
        change(grads, X.shape[1])
        return grads

    with pytest.raises(GradientShapeError) as error:
        check_two_layer(two_layer_forward, backward, *layers([2, 4, 1]))
    return error.value


def test_a_misshapen_gradient_no_known_mistake_gives_names_no_derivation_when_another_block_is_diagnosed():
    """tanh′ as 1 − A gives dW1, but db1 returned as a row is no known mistake: the error names the
    derivation of none, says that the row is b1ᵀ's shape, and still carries what dW1 is."""
    error = misshapen("tanh-1-A", lambda grads, m: grads.update(db1=grads["db1"].T))
    assert error.derivation is None
    assert "db1 has shape (1, 4) but b1 has shape (4, 1): a gradient has its parameter's shape ((1, 4) is the" in (
        str(error)
    )
    assert "db1 matches no known mistake" in str(error)
    assert f"{BY_NAME['tanh-prime-not-squared'].words}: dW1 is exactly what it gives" in str(error)


def test_a_misshapen_gradient_names_the_derivation_of_the_mistake_that_gives_it():
    """dW2 without 1/m and db1 without keepdims, each in its one layer: the error is db1's shape, so its
    derivation is db's, not dW's, though dW2 is higher in the network."""

    def change(grads, m):
        grads.update(dW2=grads["dW2"] * m, db1=grads["db1"].ravel())

    error = misshapen("", change)
    assert error.derivation == BY_NAME["db-no-keepdims"].derivation
    assert f"{BY_NAME['dW-missing-1/m'].words}: dW2 is exactly what it gives" in str(error)


def test_a_misshapen_gradient_that_two_mistakes_give_together_names_the_first():
    """tanh′ as 1 − A everywhere and db1 without keepdims: db1 is what the two give together, the error
    carries that and names the derivation of the first of them, the one found alone too (on dW1)."""
    error = misshapen("tanh-1-A", lambda grads, m: grads.update(db1=grads["db1"].ravel()))
    assert error.derivation == BY_NAME["tanh-prime-not-squared"].derivation
    assert "db1 is exactly what two mistakes give together: " in str(error)
    assert f"and {BY_NAME['db-no-keepdims'].words} (contradicts linear.db" in str(error)


@pytest.mark.parametrize("checked", [two_layer, L_layer, lambda mk: L_layer(mk, hidden="leaky_relu")])
def test_correct_code_passes_with_no_diagnosis(checked):
    report = checked("")
    assert report.passed, str(report)
    assert (report.derivation, report.diagnosis) == (None, "")


def test_a_wrong_gradient_that_no_known_mistake_gives_is_not_diagnosed():
    def backward(parameters, cache, X, Y):
        grads = two_layer_backward()(parameters, cache, X, Y)
        grads["dW2"] = grads["dW2"] + 0.1
        return grads

    report = check_two_layer(two_layer_forward, backward, *layers([2, 4, 1]))
    assert not report.passed
    assert report.derivation is None
    assert "diagnosis" not in str(report)


def test_a_failure_of_several_blocks_from_two_mistakes_names_both():
    """tanh′ as 1 − A and dW2 without 1/m: no one mistake gives all four, but each explains its blocks."""

    def backward(parameters, cache, X, Y):
        grads = two_layer_backward("tanh-1-A")(parameters, cache, X, Y)
        grads["dW2"] = grads["dW2"] * X.shape[1]
        return grads

    report = check_two_layer(two_layer_forward, backward, *layers([2, 4, 1]))
    assert report.derivation == "linear.dW"  # the mistake highest in the network comes first
    assert BY_NAME["dW-missing-1/m"].words in report.diagnosis
    assert BY_NAME["tanh-prime-not-squared"].words in report.diagnosis


#: two mistakes planted in course-style code whose effects meet in some block: the blocks each gives on its
#: own (a mistake in dZ[2] reaches every block below it; one in dZ[1] reaches dW1 and db1; a 1/m mistake
#: only its own kind of block), the two known mistakes they are, and the blocks only the two together give
TOGETHER = [
    (
        "tanh-1-A+dW-no-1/m",
        {"dW-missing-1/m": ("W2",), "tanh-prime-not-squared": ("b1",)},
        {"tanh-prime-not-squared", "dW-missing-1/m"},
        ("W1",),
    ),
    (
        "output-sign+db-no-1/m",
        {"bce-output-sign-flipped": ("W2", "W1")},
        {"bce-output-sign-flipped", "db-missing-1/m"},
        ("b2", "b1"),
    ),
    (
        "tanh-sigmoid-prime+db-1/m-twice",
        {"db-1/m-twice": ("b2",), "tanh-prime-is-sigmoid-prime": ("W1",)},
        {"tanh-prime-is-sigmoid-prime", "db-1/m-twice"},
        ("b1",),
    ),
]


@pytest.mark.parametrize(("planted", "alone", "pair", "together"), TOGETHER)
def test_two_mistakes_that_meet_in_a_block_are_named_together_there(planted, alone, pair, together):
    """Where no one known mistake gives a block, the pairs of them are tried, applied to nn's code at once."""
    parameters, X, Y = layers([2, 4, 1])
    grads = two_layer_backward(planted)(parameters, two_layer_forward(X, parameters)[1], X, Y)
    learner = {key: grads[f"d{key}"] for key in parameters}
    found = mistakes.diagnose(learner, parameters, X, Y, ["tanh", "sigmoid"], "bce")
    assert {mutant.name: blocks for mutant, blocks in found.found} == alone
    assert [({mutant.name for mutant in both}, blocks) for both, blocks in found.together] == [(pair, together)]
    assert found.unexplained == ()


def test_a_pair_is_named_for_a_block_though_other_blocks_rule_one_of_its_mistakes_out():
    """As check-your-own says: blocks are matched one by one, so dW1 with its sign alone wrong, beside tanh′ as
    1 − A, is the tanh′ and a flipped output delta together, though dW2 and db2 (which that flip would flip) are
    right."""

    def backward(parameters, cache, X, Y):
        grads = two_layer_backward("tanh-1-A")(parameters, cache, X, Y)
        grads["dW1"] = -grads["dW1"]
        return grads

    report = check_two_layer(two_layer_forward, backward, *layers([2, 4, 1]))
    assert sorted(report.failed) == ["W1", "b1"]  # dW2 and db2 are right
    sign, tanh = BY_NAME["bce-output-sign-flipped"], BY_NAME["tanh-prime-not-squared"]
    assert f"dW1 is exactly what two mistakes give together: {tanh.words} (" in report.diagnosis
    assert f"and {sign.words} (contradicts {sign.derivation}" in report.diagnosis
    page = " ".join((DOCS / "check-your-own.md").read_text().split())
    assert "a dW1 whose sign alone is wrong is named as that tanh′ and an output delta with its sign flipped" in page
    chinese = (DOCS / "check-your-own.zh.md").read_text()
    assert "如果 dW1 只是符号错了，诊断会说它是这个 tanh′ 加上输出层误差项符号反了" in chinese


def test_a_diagnosis_of_two_mistakes_together_says_so_in_both_languages():
    report = check_two_layer(two_layer_forward, two_layer_backward("tanh-1-A+dW-no-1/m"), *layers([2, 4, 1]))
    both = [BY_NAME["tanh-prime-not-squared"], BY_NAME["dW-missing-1/m"]]
    assert report.derivation == "linear.dW"  # dW2: the mistake highest in the network
    english, chinese = report.text("en"), report.text("zh")
    assert "dW1 is exactly what two mistakes give together: " in english
    assert "dW1 恰好就是两个错误合在一起给出的结果：" in chinese
    assert '"dW1 is exactly what two mistakes give together: …"' in (DOCS / "check-your-own.md").read_text()
    assert "“dW1 恰好就是两个错误合在一起给出的结果：……”" in (DOCS / "check-your-own.zh.md").read_text()
    # after the mistakes found alone: dW without 1/m gives dW2, tanh′ as 1 − A gives db1
    assert english.index(f"{both[0].words}: db1 is exactly") < english.index("dW1 is exactly what two")
    assert chinese.index(f"{both[0].words_zh}：db1 恰好") < chinese.index("dW1 恰好就是两个错误")
    for mutant in both:
        assert f"{mutant.words} (contradicts {mutant.derivation}, see {mistakes.link(mutant.derivation)})" in english
        assert f"{mutant.words_zh}（违背 {mutant.derivation}，见 {mistakes.link(mutant.derivation)}）" in chinese


def nn_run(dims, activations):
    """``layers(dims)``, and nn's forward pass on them and its correct gradients under bce."""
    parameters, X, Y = layers(list(dims))
    AL, cache = network.forward_propagation(X, parameters, activations)
    g = {l: registry.get(name) for l, name in enumerate(activations, start=1)}
    return (parameters, X, Y), (AL, cache, network._backward(AL, Y, cache, parameters, g, "bce"))


def test_a_pair_on_one_line_is_found_whichever_of_its_two_mistakes_is_found_alone_elsewhere():
    """dW divided by m twice leaves the text that dW transposed changes, so the two can be made on one line in
    that order only. dW2 transposed and divided twice is named as the two together, and still is when dW3,
    transposed alone, puts dW-transposed among the mistakes found first (the order the pairs are tried in)."""
    activations = ["relu", "relu", "sigmoid"]
    (parameters, X, Y), (_, _, right) = nn_run(SQUARE, activations)
    learner = {key: right[f"d{key}"] for key in parameters}
    learner["W2"] = right["dW2"].T / X.shape[1]
    pair = {"dW-1/m-twice", "dW-transposed"}
    for transposed_alone in ((), ("W3",)):
        for key in transposed_alone:
            learner[key] = right[f"d{key}"].T
        found = mistakes.diagnose(learner, parameters, X, Y, activations, "bce")
        assert [(mutant.name, blocks) for mutant, blocks in found.found] == [
            ("dW-transposed", key) for key in [transposed_alone] if key
        ]
        assert [({mutant.name for mutant in both}, blocks) for both, blocks in found.together] == [(pair, ("W2",))]
        assert found.unexplained == ()


def test_two_changes_of_one_text_make_a_pair_only_where_the_first_leaves_the_seconds_text():
    """As check-your-own says: the two tanh′ mistakes both replace tanh′'s one line, so they cannot be made at
    once in either order; dW divided by m twice keeps the text a transposed dW changes, so those two can."""
    tanh = [BY_NAME["tanh-prime-not-squared"], BY_NAME["tanh-prime-is-sigmoid-prime"]]
    for pair in (tanh, tanh[::-1]):
        with pytest.raises(LookupError, match="occurs 0 times"):
            mistakes.mutated_together(pair)
    (parameters, X, Y), (AL, cache, right) = nn_run((3, 4, 1), ["tanh", "sigmoid"])
    g = {1: registry.get("tanh"), 2: registry.get("sigmoid")}
    both = mistakes.gradients([BY_NAME["dW-1/m-twice"], BY_NAME["dW-transposed"]], AL, Y, cache, parameters, g, "bce")
    np.testing.assert_allclose(both["dW1"], right["dW1"].T / X.shape[1], rtol=1e-12)
    with pytest.raises(LookupError, match="occurs 0 times"):  # the other way round, the transposed line has no / m / m
        mistakes.mutated_together([BY_NAME["dW-transposed"], BY_NAME["dW-1/m-twice"]])
    page = " ".join((DOCS / "check-your-own.md").read_text().split())
    assert "The two tanh′ mistakes cannot, since each replaces the text the other changes; dW divided by m" in page
    assert "两种 tanh′ 错误做不成一对" in (DOCS / "check-your-own.zh.md").read_text()


def test_directional_mode_diagnoses_too():
    report = two_layer("tanh-1-A", mode="directional")
    assert not report.passed
    assert report.derivation == "activation.tanh"


def test_forward_must_be_the_course_network():
    def relu_forward(X, parameters):
        _, cache = two_layer_forward(X, parameters)
        A1 = np.maximum(parameters["W1"] @ X + parameters["b1"], 0)
        return 1 / (1 + np.exp(-(parameters["W2"] @ A1 + parameters["b2"]))), cache

    with pytest.raises(ValueError, match=r"forward_propagation's A2\[0, \d\] = .* but the network tanh → sigmoid"):
        check_two_layer(relu_forward, two_layer_backward(), *layers([2, 4, 1]))


@pytest.mark.parametrize(
    ("forward", "backward", "message"),
    [
        (lambda X, p: two_layer_forward(X, p)[0], two_layer_backward(), r"must return \(A2, cache\); it returned an"),
        (lambda X, p: (two_layer_forward(X, p)[0][:, :2], {}), two_layer_backward(), r"A2 has shape \(1, 2\)"),
        (two_layer_forward, lambda p, c, X, Y: [1], r"backward_propagation must return a dict .* it returned a list"),
        (two_layer_forward, lambda p, c, X, Y: {"dW1": 0}, r"with dW1, db1, dW2, db2; it returned the keys dW1$"),
    ],
)
def test_learner_functions_that_return_something_else_are_clear_errors(forward, backward, message):
    with pytest.raises(ValueError, match=message):
        check_two_layer(forward, backward, *layers([2, 4, 1]))


def test_bad_inputs_are_reported_by_nn_validation():
    parameters, X, Y = layers([2, 4, 1])
    with pytest.raises(ValueError, match="X has 6 rows but W1 expects 2"):
        check_two_layer(two_layer_forward, two_layer_backward(), parameters, X.T, Y)
    with pytest.raises(ValueError, match="unknown kinks 'never'"):
        check_two_layer(two_layer_forward, two_layer_backward(), parameters, X, Y, kinks="never")
    # Y is checked before the learner's code runs, which would fail with a raw broadcasting error on it
    with pytest.raises(ValueError, match=r"Y has shape \(1, 4\) but A\[L\] is \(n\[L\], m\) = \(1, 6\)"):
        check_two_layer(two_layer_forward, two_layer_backward(), parameters, X, Y[:, :4])


def test_relu_prime_at_the_kink_passes_under_the_default_kink_policy():
    """As check-your-own says: relu′(0) = 1 differs only where Z is exactly 0, every probe there
    crosses the kink, and kinks="move" skips those probes (the case above fails it with "fail")."""
    report = L_layer("relu-at-kink", zero_column=True)
    assert report.passed, str(report)
    assert sum(report.skipped.values()) > 0


@pytest.mark.parametrize("mutant", mistakes.MISTAKES, ids=lambda mutant: mutant.name)
def test_every_known_mistake_applies_to_nn_and_links_to_its_derivation(mutant):
    """Its text is in exactly one function of nn, its derivation exists, and its link is the heading on its page."""
    *_, function = mistakes.mutated(mutant)
    assert callable(function)
    assert mutant.derivation in derivations.keys()
    page, anchor = mistakes.PAGES[mutant.derivation].split("#")
    text = (DOCS / page).read_text()
    if mutant.derivation.startswith("activation."):  # the activations page makes one section per activation
        assert "activations_page()" in text
        assert anchor == mutant.derivation.split(".")[1].replace("_", "-")
    else:
        assert f'derivation("{mutant.derivation}")' in text
        assert anchor == mutant.derivation.replace(".", "-")  # the id docs/_site.py:anchor gives the heading


def test_a_mistake_whose_text_is_gone_fails_loudly():
    gone = mistakes.Mutant("gone", "nn/network.py", "no such line", "", "", "", "linear.dW")
    with pytest.raises(LookupError, match=r"update nn/gradcheck/mistakes\.py"):
        mistakes.mutated(gone)
