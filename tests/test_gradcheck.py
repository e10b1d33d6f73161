"""nn.gradcheck passes on correct backprop, fails on broken backprop and names the guilty parameter."""

from __future__ import annotations

import math
import re
import runpy
import types
from pathlib import Path

import numpy as np
import pytest
from support import random_problem

import nn
from nn.gradcheck import WeakCheckWarning, check, check_function

ROOT = Path(__file__).resolve().parents[1]

NETWORKS = [  # (layer_dims, activations, loss): every activation, both losses, 1 to 3 layers
    ([3, 5, 4, 1], ["relu", "tanh", "sigmoid"], "bce"),
    ([4, 6, 2], ["tanh", "identity"], "mse"),
    ([3, 4, 2], ["leaky_relu", "sigmoid"], "mse"),
    ([2, 3, 1], ["sigmoid", "sigmoid"], "bce"),
    ([3, 1], ["identity"], "mse"),
    ([3, 4, 1], ["tanh", "hard_sigmoid"], "bce"),  # bce without the fused sigmoid rule: dA = (A − Y)/(A(1 − A))
]
ANALYTIC = [net for net in NETWORKS if all(nn.activations.get(name).analytic for name in net[1])]


def problem(layer_dims, loss, seed=0, m=7):
    return random_problem(np.random.default_rng(seed), layer_dims, m, loss)


@pytest.mark.parametrize("mode", ["full", "directional"])
@pytest.mark.parametrize(("layer_dims", "activations", "loss"), NETWORKS)
def test_passes_on_correct_backprop(layer_dims, activations, loss, mode):
    X, Y, parameters = problem(layer_dims, loss)
    report = check(parameters, X, Y, activations, loss=loss, mode=mode)
    assert report.passed, str(report)
    assert max(report.errors.values()) <= (1e-8 if mode == "full" else 1e-7)  # the page: 1e-11 to 1e-8 in full


@pytest.mark.parametrize(("layer_dims", "activations", "loss"), ANALYTIC)
def test_complex_step_is_exact_to_rounding(layer_dims, activations, loss):
    X, Y, parameters = problem(layer_dims, loss)
    report = check(parameters, X, Y, activations, loss=loss, mode="complex")
    assert report.passed
    assert max(report.errors.values()) <= 1e-13, str(report)


@pytest.mark.parametrize(
    ("page", "lang", "start"), [("gradcheck.md", "en", "complex step"), ("gradcheck.zh.md", "zh", "复步法")]
)
def test_complex_step_refuses_a_kink_with_the_message_the_page_quotes(page, lang, start):
    X, Y, parameters = problem([3, 4, 1], "bce")
    with pytest.raises(
        ValueError, match=r"complex step needs analytic activations; relu \(layer 1\) has a kink at 0"
    ) as raised:
        check(parameters, X, Y, ["relu", "sigmoid"], mode="complex")
    quoted = re.search(rf"`({start}[^`]*)`", (ROOT / "docs" / page).read_text()).group(1)
    assert raised.value.text(lang) == quoted


COMPLEX_LISTS = {  # what the page lists: the kinked activations, and those complex mode takes; none is real-only
    "gradcheck.md": (r"activation with a kink \(([^)]*)\)", r"`complex` takes ([^.]*)\.",
                     r"None of `nn.activations`' own\s+is refused for that"),
    "gradcheck.zh.md": (r"带折点的激活函数（([^）]*)）", r"能用的是 ([^。]*)。",
                        r"`nn.activations` 自带的激活函数没有一个因此被拒绝"),
}  # fmt: skip


def _complex_verdict(name) -> str:
    """How complex mode treats activation ``name`` (as a hidden layer, or softmax as the output): "kink",
    "real-only" (each refused with its ValueError) or "checked"."""
    elementwise = nn.activations.get(name).elementwise
    X, Y, parameters = problem([3, 4, 2 if elementwise else 3], "bce" if elementwise else "cross_entropy")
    if not elementwise:  # softmax: an output layer, with one-hot columns
        Y = np.eye(3)[np.arange(Y.shape[1]) % 3].T
    activations, loss = ([name, "sigmoid"], "bce") if elementwise else (["tanh", name], "cross_entropy")
    try:
        report = check(parameters, X, Y, activations, loss=loss, mode="complex")
    except ValueError as error:
        said = {"kink": "needs analytic activations", "real-only": "uses real-only operations"}
        return next(verdict for verdict, words in said.items() if words in str(error))
    assert report.passed, str(report)
    return "checked"


@pytest.mark.parametrize("page", COMPLEX_LISTS)
def test_complex_mode_takes_and_refuses_the_activations_the_page_lists(page):
    """Every activation of nn.activations in complex mode: refused for a kink, refused for a real-only forward,
    or checked; the page's two lists are exactly the first and the last, and it says none is real-only."""
    text = (ROOT / "docs" / page).read_text()
    kinked, taken, none_real_only = COMPLEX_LISTS[page]
    listed = [set(re.findall(r"`(\w+)`", re.search(pattern, text, re.S).group(1))) for pattern in (kinked, taken)]
    assert re.search(none_real_only, text)
    verdicts = {name: _complex_verdict(name) for name in nn.activations.names()}
    found = {kind: {name for name, verdict in verdicts.items() if verdict == kind} for kind in ("kink", "real-only")}
    assert listed == [found["kink"], {name for name, verdict in verdicts.items() if verdict == "checked"}]
    assert found["real-only"] == set()


#: the activations whose stable forward is real-only and complex mode runs a complex form of (nn/activations.py)
COMPLEX_FORMS = [name for name in nn.activations.names(elementwise=True) if nn.activations.get(name).complex_forward]


@pytest.mark.parametrize("name", COMPLEX_FORMS)
def test_complex_mode_checks_each_complex_form_to_rounding_in_every_network_checker(name):
    """check, check with L2 and dropout (the recomputed forward pass) and check_L_layer on the learner's code,
    each in complex mode through two layers of the activation: passing, with every error at most 1e-13."""
    X, Y, parameters = problem([3, 4, 3, 1], "bce")
    activations = [name, name, "sigmoid"]

    def forward(X, p):
        return nn.network.forward_propagation(X, p, activations)

    def backward(AL, Y, caches):
        return nn.network.backward_propagation(AL, Y, caches, parameters, activations)

    reports = [
        check(parameters, X, Y, activations, mode="complex"),
        check(parameters, X, Y, activations, mode="complex", lambd=0.3, keep_prob=0.8),
        nn.gradcheck.check_L_layer(forward, backward, parameters, X, Y, activations=activations, mode="complex"),
    ]
    for report in reports:
        assert report.passed, str(report)
        assert max(report.errors.values()) <= 1e-13, str(report)


#: softplus or gelu written with each operation a reader's stable forward may use; the pages list those complex mode
#: refuses in a forward. np.maximum is not among them: it compares complex numbers by their real parts first, so
#: max(z, −z) is z or −z by the sign of Re z, as a complex form writes |z|.
WRITTEN_WITH = {
    "|z|": lambda Z: np.maximum(Z, 0) + np.log(1 + np.exp(-np.abs(Z))),
    "np.logaddexp": lambda Z: np.logaddexp(0, Z),
    "math": np.vectorize(lambda z: math.log1p(math.exp(z))),
    "math.erfc": lambda Z: Z * np.vectorize(math.erfc)(-Z / math.sqrt(2)) / 2,
    "np.maximum": lambda Z: np.maximum(Z, 0) + np.log(1 + np.exp(-np.maximum(Z, -Z))),
}
REAL_ONLY_LISTS = {
    ("extending.md", "en"): r"through (\\\(\|z\|\\\), .*?), is refused in that mode",
    ("extending.zh.md", "zh"): r"用到了 (\\\(\|z\|\\\)、.*?)，那么即使",
    ("gradcheck.md", "en"): r"through (\\\(\|z\|\\\), .*?), which drop the imaginary part",
    ("gradcheck.zh.md", "zh"): r"它用到 (\\\(\|z\|\\\)、.*?)，这些运算要么丢掉虚部",
}


@pytest.mark.parametrize(("page", "lang"), REAL_ONLY_LISTS)
def test_a_forward_written_with_each_operation_the_page_calls_real_only_is_refused_in_complex_mode(page, lang):
    """extending.md and gradcheck.md list the operations that make a stable forward real-only; complex mode refuses
    a forward written with each of them, and takes one written with np.maximum, which the pages do not list."""
    from support import joined

    from nn.gradcheck.problems import _complex_safe

    text = joined((Path(__file__).resolve().parents[1] / "docs" / page).read_text(encoding="utf-8"), lang)
    listed = re.search(REAL_ONLY_LISTS[page, lang], text).group(1)
    names = {"|z|"} | set(re.findall(r"`([\w.]+)`", listed))
    Z = np.linspace(-6, 6, 41).reshape(1, -1)

    def safe(name):
        return _complex_safe(types.SimpleNamespace(elementwise=True, forward=WRITTEN_WITH[name]), Z)

    assert len(names) >= 3, names
    assert names <= WRITTEN_WITH.keys(), names
    assert not any(safe(name) for name in names), {name: safe(name) for name in names}
    assert safe("np.maximum")


def test_complex_step_refuses_a_complex_form_that_drops_the_imaginary_part(monkeypatch):
    """docs/extending.md: the checker compares a declared complex form with forward's central difference."""
    softplus = nn.activations.get("softplus")
    monkeypatch.setattr(softplus, "complex_forward", lambda Z: softplus.forward(Z.real) + 0j)
    X, Y, parameters = problem([3, 4, 1], "bce")
    with pytest.raises(ValueError, match=r"softplus \(layer 1\) uses real-only operations"):
        check(parameters, X, Y, ["softplus", "sigmoid"], mode="complex")


@pytest.mark.parametrize("mode", ["full", "directional"])
@pytest.mark.parametrize("name", nn.activations.names(elementwise=True))
def test_passes_for_every_registered_activation(name, mode):
    X, Y, parameters = problem([3, 5, 2], "mse")
    report = check(parameters, X, Y, [name, "identity"], loss="mse", mode=mode)
    assert report.passed, str(report)


def test_complex_step_refuses_a_forward_that_drops_the_imaginary_part(monkeypatch):
    def tanh_through_abs(Z):  # equal to tanh on real z, but |z| throws the imaginary part away
        return np.where(Z.real >= 0, 1.0, -1.0) * np.tanh(np.abs(Z))

    monkeypatch.setattr(nn.activations.get("tanh"), "forward", tanh_through_abs)
    X, Y, parameters = problem([3, 4, 1], "bce")
    with pytest.raises(ValueError, match=r"tanh \(layer 1\) uses real-only operations"):
        check(parameters, X, Y, ["tanh", "sigmoid"], mode="complex")


def _broken(change):
    """nn's backward with one gradient changed by ``change(grads, m)``."""
    correct = nn.network.backward_propagation

    def backward(AL, Y, cache, parameters, activations, loss="bce"):
        grads = correct(AL, Y, cache, parameters, activations, loss)
        change(grads, AL.shape[1])
        return grads

    return backward


def missing_one_over_m(grads, m):
    grads["dW2"] = grads["dW2"] * m


@pytest.mark.parametrize("mode", ["full", "directional"])
def test_fails_and_names_the_parameter_when_backward_is_broken(monkeypatch, mode):
    monkeypatch.setattr(nn.network, "backward_propagation", _broken(missing_one_over_m))
    X, Y, parameters = problem([3, 5, 4, 1], "bce", m=8)
    report = check(parameters, X, Y, ["tanh", "tanh", "sigmoid"], mode=mode)
    assert not report.passed
    assert report.worst[0] == "W2"
    assert report.errors["W2"] > 0.5
    assert all(report.errors[key] <= 1e-7 for key in ("W1", "b1", "W3", "b3"))
    assert "dW2 is off by a factor ≈ m = 8 — a missing 1/m?" in str(report)
    assert not report.bisected  # W2 has 20 entries: narrowing compares every one of them


@pytest.mark.parametrize(
    ("change", "guilty", "hint"),
    [
        (lambda grads, m: grads.update(db1=-grads["db1"]), "b1", "db1 has the wrong sign"),
        (lambda grads, m: grads.update(db2=2 * grads["db2"]), "b2", "db2 is off by a factor ≈ 2"),
        (lambda grads, m: grads.update(dW2=grads["dW2"].T), "W2", "dW2 is the transpose"),
        (lambda grads, m: grads.update(dW2=grads["dW2"] + 0.1), "W2", "dW2 disagrees with the numeric gradient"),
    ],
)
def test_hints_claim_a_cause_only_when_it_fits_exactly(change, guilty, hint):
    X, Y, parameters = problem([3, 3, 3, 1], "bce", m=5)
    report = check(parameters, X, Y, ["tanh", "tanh", "sigmoid"], backward=_broken(change))
    assert not report.passed
    assert report.worst[0] == guilty
    assert report.hint.startswith(hint), report.hint


def test_worst_is_taken_from_the_block_with_the_largest_relative_error():
    """dW1 0.1 % off has the largest |g − ĝ|, but db2 with the wrong sign is the worse bug."""
    X, Y, parameters = problem([3, 4, 1], "mse")
    AL, _ = nn.forward_propagation(X, parameters, ["tanh", "identity"])
    parameters["b2"] -= np.mean(AL - Y) - 1e-5  # db2 = 2 mean(A − Y) = 2e-5

    def change(grads, m):
        grads["dW1"] = grads["dW1"] * 1.001
        grads["db2"] = -grads["db2"]

    report = check(parameters, X, Y, ["tanh", "identity"], loss="mse", backward=_broken(change))
    AL, cache = nn.forward_propagation(X, parameters, ["tanh", "identity"])
    dW1 = nn.backward_propagation(AL, Y, cache, parameters, ["tanh", "identity"], "mse")["dW1"]
    assert np.abs(dW1).max() * 1e-3 > 4e-5  # dW1's largest difference exceeds db2's, |2 · 2e-5|
    assert report.errors["b2"] > 0.9 > 1e-7 < report.errors["W1"]
    assert report.worst[:2] == ("b2", (0, 0))
    assert report.hint.startswith("db2 has the wrong sign"), report.hint


def one_wrong_entry(grads, m):
    grads["dW2"][1, 2] += 0.5


@pytest.mark.parametrize(
    ("change", "hint"),
    [
        (one_wrong_entry, "dW2 disagrees with the numeric gradient"),
        (missing_one_over_m, "dW2 is off by a factor ≈ m = 8 — a missing 1/m?"),
        (lambda grads, m: grads.update(dW2=grads["dW2"].T), "dW2 is the transpose"),
    ],
)
def test_directional_bisects_a_block_too_large_for_full(monkeypatch, change, hint):
    """With no budget for ``full``, narrowing halves the guilty block by directional checks down to
    one entry, and takes its hint from the block's directional checks (full mode never runs)."""
    monkeypatch.setattr(nn.gradcheck.narrowing, "FULL_WORK", 0)
    monkeypatch.setattr(nn.gradcheck.narrowing, "central_noise", None)  # full mode would fail here
    X, Y, parameters = problem([3, 4, 4, 1], "bce", m=8)
    report = check(parameters, X, Y, ["tanh", "tanh", "sigmoid"], mode="directional", backward=_broken(change))
    assert not report.passed
    assert report.bisected
    key, index, analytic, numeric = report.worst
    assert key == "W2"
    if change is one_wrong_entry:
        assert index == (1, 2)  # the only entry that is wrong
    assert abs(analytic - numeric) > 1e-3
    assert "found by bisection at dW2" in str(report)
    assert report.hint.startswith(hint), report.hint


def test_full_takes_the_passes_the_page_and_the_narrowing_budget_count(monkeypatch):
    """The page's table: ``full`` takes 4 forward passes per entry, each from the entry's own layer up; the
    narrowing runs ``full`` on a guilty block only when those passes, not fewer, fit in FULL_WORK."""
    from nn.gradcheck import estimates, narrowing
    from nn.gradcheck.problems import NetworkProblem

    X, Y, parameters = problem([3, 4, 4, 1], "bce", m=8)
    activations = ["tanh", "tanh", "sigmoid"]
    _, cache = nn.forward_propagation(X, parameters, activations)
    g = {l: nn.activations.get(name) for l, name in enumerate(activations, start=1)}
    checked = NetworkProblem(dict(parameters), cache, Y, g, "bce")
    starts = []
    cost = checked.cost
    monkeypatch.setattr(checked, "cost", lambda params, start, Z: starts.append(start) or cost(params, start, Z))
    for key, value in parameters.items():
        starts.clear()
        _, _, _, step = estimates.central_noise(checked, key, H, "move")
        assert step == H  # no other step tried: the first step's passes only
        assert starts == [int(key[1:])] * (4 * value.size), key  # 4 per entry, from the entry's layer up
        assert narrowing.full_work(checked, key) == len(starts) * (checked.work(key) + narrowing.PASS_OVERHEAD)


@pytest.mark.parametrize(
    "options",
    [{"lambd": 0.3}, {"keep_prob": 0.8}, {"batch_norm": True}],
    ids=["L2", "dropout", "batch norm"],
)
def test_with_l2_dropout_or_batch_norm_every_probe_runs_the_whole_forward_pass(monkeypatch, options):
    """The page: the shortcut from layer l is for plain layers; with an L2 penalty, dropout or batch norm every probe
    runs the whole forward pass from X, 4 per entry in ``full``, and the checker never takes the shortcut."""
    from nn.gradcheck.problems import NetworkProblem

    batch_norm = options.pop("batch_norm", False)
    X, Y, _ = problem([3, 4, 1], "bce")
    parameters = nn.initialize_parameters([3, 4, 1], seed=0, batch_norm=batch_norm)
    inputs, shortcuts = [], []
    forward = nn.network._forward
    monkeypatch.setattr(nn.network, "_forward", lambda A, *args, **kw: inputs.append(A) or forward(A, *args, **kw))
    monkeypatch.setattr(NetworkProblem, "cost", lambda *args: shortcuts.append(args))
    report = check(parameters, X, Y, ["tanh", "sigmoid"], **options)
    assert report.passed, str(report)
    assert shortcuts == []
    probed = sum(value.size for key, value in parameters.items() if not key.startswith("running"))
    assert len(inputs) == 1 + 4 * probed  # the checked forward pass, then 4 whole passes per entry
    assert all(np.array_equal(A, X) for A in inputs)  # each from X


H = 1e-6  # full mode's default step in float64


def _relu_near_kink(offset):
    """A relu network whose pre-activation Z1[0, 0] equals ``offset``: sample 0 is the zero vector
    and b1[0] = offset, so of all the entries only b1[0] moves Z1[0, 0]."""
    X, Y, parameters = problem([3, 4, 1], "bce")
    X[:, 0] = 0.0
    parameters["b1"][0, 0] = offset
    _, cache = nn.forward_propagation(X, parameters, ["relu", "sigmoid"])
    assert cache["Z1"][0, 0] == offset
    return parameters, X, Y, ["relu", "sigmoid"]


def test_a_probe_across_a_kink_fails_when_asked():
    report = check(*_relu_near_kink(H / 3), kinks="fail")
    assert not report.passed
    assert report.crossings == {"W1": 0, "b1": 1, "W2": 0, "b2": 0}
    # J(b1[0] − h) sits where relu' = 0 and J(b1[0] + h) where it is 1: the central difference
    # straddles the kink and misses a third of sample 0's slope
    assert report.errors["b1"] > 1e-3
    assert "counted as failures" in report.warnings[-1]


def test_move_is_the_default_and_checks_a_probe_near_a_kink_with_a_smaller_step():
    report = check(*_relu_near_kink(H / 3))
    assert report.kinks == "move"
    assert report.passed, str(report)
    assert report.moved == {"W1": 0, "b1": 1, "W2": 0, "b2": 0}
    assert sum(report.skipped.values()) == 0
    assert report.errors["b1"] <= 1e-9  # compared, with a step of h/6, not left out
    assert "Z1: 1 pre-activation(s) within 1e-05 of the kink of relu at 0" in report.warnings


@pytest.mark.parametrize(
    ("page", "said"),
    [("gradcheck.md", r"within \\\((\d+)h\\\) of a kink"), ("gradcheck.zh.md", r"离折点不到 \\\((\d+)h\\\)")],
)
def test_the_warning_near_a_kink_reaches_as_far_as_the_page_says(page, said):
    """The report warns about a pre-activation within the page's 10h of a kink, and not about one just beyond."""
    reach = int(re.search(said, (ROOT / "docs" / page).read_text()).group(1)) * H
    for factor, warned in ((0.95, True), (1.05, False)):
        report = check(*_relu_near_kink(factor * reach))
        assert any("pre-activation(s) within" in note for note in report.warnings) == warned, (factor, report.warnings)


@pytest.mark.parametrize(
    ("page", "said"),
    [
        ("gradcheck.md", "Any other dtype less precise than float64 (float16, say) gets float32's values"),
        ("gradcheck.md", "one more precise (`np.longdouble`) gets float64's, and no warning"),
        ("gradcheck.zh.md", "其他任何比 float64 粗的 dtype（比如 float16）都沿用 float32 的 h 和容差"),
        ("gradcheck.zh.md", "比 float64 精细的（`np.longdouble`）则沿用 float64 的，也不发出警告"),
    ],
)
def test_any_other_dtype_gets_float32s_step_and_tolerance_or_float64s_when_finer(page, said):
    """float16 gets float32's (weak) values and its warning advises float64; np.longdouble, finer than float64, gets
    float64's and no warning (it was told to "check in float64", a coarser dtype), and still fails a wrong gradient."""
    from nn.gradcheck.estimates import defaults

    assert said in (ROOT / "docs" / page).read_text()
    assert defaults(np.float16) == defaults(np.float32) != defaults(np.float64) == defaults(np.longdouble)
    w = {"w": np.array([1.0, 0.5])}
    with pytest.warns(WeakCheckWarning, match="check in float64"):
        check_function(
            lambda p: float(np.sum(p["w"] ** 2)), lambda p: {"dw": 2 * p["w"]}, {"w": w["w"].astype(np.float16)}
        )
    fine = {"w": w["w"].astype(np.longdouble)}
    report = check_function(lambda p: float(np.sum(p["w"] ** 2)), lambda p: {"dw": 2 * p["w"]}, fine)
    assert report.passed
    assert report.tolerance == 1e-7
    assert not report.warnings
    assert not check_function(lambda p: float(np.sum(p["w"] ** 2)), lambda p: {"dw": 2.00001 * p["w"]}, fine).passed


def test_skip_leaves_the_probe_out():
    report = check(*_relu_near_kink(H / 3), kinks="skip")
    assert report.passed, str(report)
    assert report.skipped == {"W1": 0, "b1": 1, "W2": 0, "b2": 0}
    assert sum(report.moved.values()) == 0


@pytest.mark.parametrize("offset", [0.0, H / 1000], ids=["on the kink", f"closer than h/{nn.gradcheck.MOVE_LIMIT}"])
def test_move_skips_a_probe_it_cannot_keep_on_one_side(offset):
    report = check(*_relu_near_kink(offset))
    assert report.passed, str(report)
    assert report.skipped == {"W1": 0, "b1": 1, "W2": 0, "b2": 0}
    assert sum(report.moved.values()) == 0


def test_move_still_catches_a_wrong_derivative_near_the_kink(monkeypatch):
    """relu' as the mask Z > 1e-6 is wrong only for Z1[0, 0] = h/3: move compares that entry, skip cannot."""
    monkeypatch.setattr(nn.activations.get("relu"), "derivative", lambda Z: (Z > 1e-6).astype(Z.dtype))
    moved = check(*_relu_near_kink(H / 3))
    assert not moved.passed
    assert moved.worst[:2] == ("b1", (0, 0))
    assert moved.errors["b1"] > 1e-3
    assert check(*_relu_near_kink(H / 3), kinks="skip").passed  # the one wrong entry is the one skipped


def test_directional_moves_directions_that_cross_a_kink():
    """Z1[0, 0] = h/30 with directional's h = 1e-5: nearly every direction crosses the kink."""
    arguments = _relu_near_kink(1e-5 / 30)
    moved = check(*arguments, mode="directional")
    assert moved.passed, str(moved)
    assert moved.moved["all"] >= 1
    assert moved.errors == {"all": pytest.approx(0, abs=1e-9)}
    assert not check(*arguments, mode="directional", kinks="fail").passed
    skipped = check(*arguments, mode="directional", kinks="skip")  # every direction left out: nothing compared
    assert skipped.skipped["all"] == 3 * nn.gradcheck.DIRECTIONS
    assert "all: every direction crossed a kink; nothing was compared" in skipped.warnings


SATURATED = {  # loss: (parameters, Y, activations); Z[L] ≈ ±40 on samples 0, 1 and 3, confidently wrong there
    "bce": (
        {"W1": np.array([[20.0, 1.0]]), "b1": np.array([[0.5]])},
        np.array([[0.0, 1.0, 1.0, 0.0]]),
        ["sigmoid"],
    ),
    "cross_entropy": (
        {"W1": np.array([[20.0, 1.0], [-20.0, 0.0], [0.0, 1.0]]), "b1": np.array([[0.5], [0.0], [0.0]])},
        np.array([[0.0, 0.0, 1.0, 0.0], [1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]]),
        ["softmax"],
    ),
}


@pytest.mark.parametrize("loss", SATURATED)
def test_a_saturated_output_passes_because_the_cost_comes_from_the_logits(loss):
    """A[L] rounds to 0 or 1 where the network is confidently wrong. From A[L] alone the cost is
    clipped there (and 1 − A loses its digits), so its central difference misses those samples'
    slope A − Y = ±1; from the logits Z[L] it is exact, and the checker passes."""
    parameters, Y, activations = SATURATED[loss]
    X = np.array([[2.0, -2.1, 0.3, 1.9], [0.5, -1.0, 0.2, 0.0]])
    AL, cache = nn.forward_propagation(X, parameters, activations)
    assert np.any(AL == 1.0)
    report = check(parameters, X, Y, activations, loss=loss)
    assert report.passed, str(report)
    assert max(report.errors.values()) <= 1e-8

    def cost_from_A(b):
        A, _ = nn.forward_propagation(X, {**parameters, "b1": b}, activations)
        return nn.losses._cost(A, Y, loss)

    b, numeric_from_A = parameters["b1"], np.empty(parameters["b1"].shape)
    for index in np.ndindex(b.shape):
        step = np.zeros(b.shape)
        step[index] = H
        numeric_from_A[index] = (cost_from_A(b + step) - cost_from_A(b - step)) / (2 * H)
    db1 = nn.backward_propagation(AL, Y, cache, parameters, activations, loss)["db1"]
    assert nn.gradcheck.relative_error(db1, numeric_from_A) > 0.5
    assert nn.losses._cost(AL, Y, loss) < nn.losses._cost(AL, Y, loss, cache["Z1"]) - 3  # the clipped cost


def test_float32_warns_and_uses_the_looser_tolerance():
    X, Y, parameters = problem([3, 5, 1], "bce")
    parameters = {key: value.astype(np.float32) for key, value in parameters.items()}
    with pytest.warns(WeakCheckWarning, match="float32 check"):
        report = check(parameters, X, Y, ["tanh", "sigmoid"])
    assert report.passed, str(report)
    assert (report.dtype, report.tolerance, report.h) == (np.float32, 1e-2, 1e-3)
    assert any("float32" in text for text in report.warnings)


def test_float32_complex_step_runs_in_complex128():
    """The complex step of a float32 network is exact to float64's rounding; only backward's
    float32 gradient carries float32's rounding, which the looser tolerance is for."""
    from nn.gradcheck.estimates import complex_step
    from nn.gradcheck.problems import NetworkProblem

    X, Y, parameters = problem([3, 5, 1], "bce")
    activations = ["tanh", "sigmoid"]
    X32, float32 = X.astype(np.float32), {key: value.astype(np.float32) for key, value in parameters.items()}
    exact = {key: value.astype(np.float64) for key, value in float32.items()}  # the same numbers, in float64
    AL, cache = nn.forward_propagation(X32.astype(np.float64), exact, activations)
    grads = nn.backward_propagation(AL, Y, cache, exact, activations, "bce")
    with pytest.warns(WeakCheckWarning):
        assert check(float32, X32, Y, activations, mode="complex").passed
    g = {l: nn.activations.get(name) for l, name in enumerate(activations, start=1)}
    _, cache32 = nn.forward_propagation(X32, float32, activations)
    checked = NetworkProblem(float32, cache32, Y.astype(np.float32), g, "bce")
    for key in float32:
        numeric = complex_step(checked, key, 1e-20)
        np.testing.assert_allclose(numeric, grads[f"d{key}"], rtol=1e-13, atol=1e-15, err_msg=key)


def test_report_prints_and_is_data():
    X, Y, parameters = problem([3, 4, 1], "bce")
    original = {key: value.copy() for key, value in parameters.items()}
    report = check(parameters, X, Y, ["tanh", "sigmoid"])
    text = str(report)
    assert all(key in text for key in ("W1", "b1", "W2", "b2"))
    assert "PASS" in text
    assert "FAIL" not in text
    assert set(report.errors) == {"W1", "b1", "W2", "b2"}
    assert (report.mode, report.dtype, report.tolerance) == ("full", np.float64, 1e-7)
    assert report.skipped == dict.fromkeys(report.errors, 0)
    assert report.warnings == []
    assert all(np.array_equal(parameters[key], original[key]) for key in original)  # every entry restored


def test_bad_input_is_reported_by_nn_validation():
    X, Y, parameters = problem([3, 4, 1], "bce")
    with pytest.raises(ValueError, match="X has 7 rows but W1 expects 3"):
        check(parameters, X.T, Y, ["tanh", "sigmoid"])
    with pytest.raises(ValueError, match="unknown mode 'fast'"):
        check(parameters, X, Y, ["tanh", "sigmoid"], mode="fast")


def _flat_db1(AL, Y, cache, parameters, activations, loss):
    grads = nn.backward_propagation(AL, Y, cache, parameters, activations, loss)
    return {**grads, "db1": grads["db1"].ravel()}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"mode": "directional", "directions": 0}, r"directions = 0: directional mode needs a whole number k >= 1"),
        ({"mode": "directional", "directions": 2.5}, r"directions = 2.5: directional mode needs a whole number"),
        (
            {"backward": lambda *args: {"dW1": 0}},
            r"backward must return a dict with dW1, db1, dW2, db2, .* the keys dW1$",
        ),
        ({"backward": lambda *args: [1]}, r"backward must return a dict with dW1, .* it returned a list"),
        ({"backward": _flat_db1}, r"db1 has shape \(4,\) but b1 has shape \(4, 1\)"),
    ],
    ids=["no direction", "fractional directions", "missing gradients", "a list", "db1 flat"],
)
def test_a_backward_or_options_check_cannot_use_are_clear_errors(options, message):
    """Each used to end in a raw KeyError, TypeError or IndexError, or a FAIL saying every direction crossed a kink."""
    X, Y, parameters = problem([3, 4, 1], "bce")
    with pytest.raises(ValueError, match=message):
        check(parameters, X, Y, ["tanh", "sigmoid"], **options)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_states_the_checkers_constants(lang):
    """Each constant the gradient-checking page types, in both languages, is the one the code uses:
    change one and this test names the phrase to update."""
    from nn.gradcheck import estimates, narrowing

    text = (ROOT / "docs" / ("gradcheck.md" if lang == "en" else "gradcheck.zh.md")).read_text()
    stated = [  # (the code's value, the value the page states, the English phrase, the Chinese phrase)
        (nn.gradcheck.DIRECTIONS, 4, "k = 4 random", "取 k = 4 个随机"),
        (narrowing.FULL_WORK, 10**8, "`nn.gradcheck.FULL_WORK` = 10⁸", "`nn.gradcheck.FULL_WORK` = 10⁸"),
        (narrowing.PASS_OVERHEAD, 10**5, "counting 10⁵", "按 10⁵ 次计"),
        (narrowing.FULL_PASSES, 4, "4 forward passes per parameter entry", "每个参数元素 4 次前向传播"),
        (narrowing.FULL_PASSES, 4, "its 4 forward passes per\n   entry take", "每个元素 4 次前向传播，合计不超过"),
        (
            nn.gradcheck.MOVE_LIMIT,
            100,
            r"\(h/100\) (`nn.gradcheck.MOVE_LIMIT`)",
            r"\(h/100\)（`nn.gradcheck.MOVE_LIMIT`）",
        ),
        (estimates.ROUNDING, 8, r"\(\kappa = 8\)", r"\(\kappa = 8\)"),
        (estimates.COMPLEX_STEPS, (np.sqrt(2),), r"\(\sqrt 2 h\)", r"\(\sqrt 2 h\)"),
        (estimates.COMPLEX_SAFETY, 8, "8 times the sum", "之和的 8 倍"),
        (
            estimates.FLOOR,
            1e-3,
            r"\(10^{-3}\) (`nn.gradcheck.estimates.FLOOR`)",
            r"\(10^{-3}\)（`nn.gradcheck.estimates.FLOOR`）",
        ),
        (estimates.RESOLUTION, 1e-4, r"more than \(10^{-4}\) of its estimate", r"超过其估计值的 \(10^{-4}\)"),
        (estimates.STEP_RANGE, 10**4, r"up to \(10^{4}\) times \(h\)", r"\(h\) 的 \(10^{4}\) 倍"),
        (estimates.ASYMPTOTIC, 1e-2, "at most 1 % between", "变化不超过 1 %"),
    ]
    for value, typed, english, chinese in stated:
        phrase = english if lang == "en" else chinese
        assert phrase in text, phrase
        assert value == typed, phrase

    def typed(x):  # as the page writes it: 1e-6, 1e-2
        return f"{x:.0e}".replace("e-0", "e-")

    for dtype, modes in estimates.DEFAULTS.items():  # the tolerance table: dtype, mode, h, tolerance
        for mode, (h, tolerance) in modes.items():
            assert f"| {dtype.name} | `{mode}` | {typed(h)} | {typed(tolerance)} |" in text, (dtype, mode)


@pytest.mark.parametrize(
    ("page", "halvings", "best"),
    [
        ("gradcheck.md", "({} halvings for W1's {:,})", "each time is the best of the script's {} runs"),
        ("gradcheck.zh.md", "（W1 有 {1:,} 个元素，要二分 {0} 次）", "每个时间是脚本{}次运行中最短的一次"),
    ],
)
def test_the_budgets_table_names_the_benchmarks_networks_and_their_sizes(page, halvings, best):
    """The page's budget table and the sentences around it: each network is benchmarks/gradcheck_bench.py's, with
    its number of parameters, each time the best of as many runs as the script makes, and the bisection of W1
    takes ⌈log₂⌉ of W1's entries halvings."""
    import inspect
    import itertools
    import math

    from support import benchmark

    bench = benchmark("gradcheck_bench")
    lines = (ROOT / "docs" / page).read_text().splitlines()
    repeats = inspect.signature(bench.timed).parameters["repeats"].default
    said = {3: ("three", "三")}[repeats][page.endswith(".zh.md")]  # a new count of runs needs its words here
    assert best.format(said) in " ".join(lines)
    for dims, rows in ((bench.LARGE, 3), (bench.SMALL, 2)):
        count = sum(n * n_prev + n for n_prev, n in itertools.pairwise(dims))
        counted = [line for line in lines if line.startswith("| ") and f" | {count:,} | `" in line]
        assert len(counted) == rows, (dims, count)
        assert counted[0].startswith(f"| {dims}"), counted[0]
    entries = bench.LARGE[0] * bench.LARGE[1]
    assert halvings.format(math.ceil(math.log2(entries)), entries) in " ".join(lines)


def test_a_hint_fits_the_whole_block_to_the_share_the_pages_state():
    """gradcheck.md and check-your-own.md, in both languages: a hint (here a missing 1/m) is given only when it fits
    the whole block to 0.1 %; just inside that it is given, just outside the plain statement is."""
    from nn.gradcheck.report import hint

    phrases = {
        "gradcheck.md": r"fit the whole block to ([\d.]+) %",
        "gradcheck.zh.md": r"拟合到 ([\d.]+)% 以内",
        "check-your-own.md": r"fits the whole block to ([\d.]+) %",
        "check-your-own.zh.md": r"误差不超过 ([\d.]+)% 的某种关系",
    }
    stated = {float(re.search(phrase, (ROOT / "docs" / page).read_text()).group(1)) for page, phrase in phrases.items()}
    (share,) = stated
    numeric, m = np.random.default_rng(0).normal(size=(3, 4)), 16
    for off, fits in ((0.99, True), (1.01, False)):
        analytic = m * numeric * (1 + off * share / 100)
        said = hint("dW2", analytic, lambda G: G, numeric, m)
        assert ("a missing 1/m?" in said) == fits, (off, said)


def test_docs_example_runs():
    namespace = runpy.run_path(str(ROOT / "docs" / "examples" / "gradcheck_example.py"))
    assert namespace["report"].passed


# The examples below are shown on docs/gradcheck.md (each section included by pymdownx.snippets
# and run at build time by markdown-exec), so each is self-contained, imports included.


def test_docs_bug_example_names_the_parameter_and_the_cause(capsys):
    # --8<-- [start:bug_example]
    # --8<-- [start:bug_example_report]
    import numpy as np

    import nn

    rng = np.random.default_rng(0)
    parameters = nn.initialize_parameters([4, 5, 3, 1], method="xavier", seed=0)
    X, Y = rng.normal(size=(4, 16)), rng.integers(0, 2, size=(1, 16))

    def backward_missing_one_over_m(AL, Y, cache, parameters, activations, loss):
        grads = nn.backward_propagation(AL, Y, cache, parameters, activations, loss)
        grads["dW2"] = grads["dW2"] * AL.shape[1]  # the bug: dZ2 @ A1.T without / m
        return grads

    report = nn.gradcheck.check(parameters, X, Y, ["tanh", "tanh", "sigmoid"], backward=backward_missing_one_over_m)
    # --8<-- [end:bug_example_report]
    print(report)
    # --8<-- [end:bug_example]
    text = capsys.readouterr().out
    assert "FAIL: largest relative error" in text
    assert "worst at dW2[" in text
    assert "hint: dW2 is off by a factor ≈ m = 16 — a missing 1/m?" in text


def test_docs_kinks_example_moves_skips_and_fails(capsys):
    # --8<-- [start:kinks_example]
    import numpy as np

    import nn

    rng = np.random.default_rng(1)
    parameters = nn.initialize_parameters([3, 4, 1], method="he", seed=1)
    X, Y = rng.normal(size=(3, 8)), rng.integers(0, 2, size=(1, 8))
    X[:, 0] = 0.0  # sample 0 is the zero vector, so Z1[:, 0] = b1 ...
    parameters["b1"] = np.array([[3e-7], [0.5], [-0.5], [0.2]])  # ... and Z1[0, 0] is 3e-7 from relu's kink

    for policy in ("fail", "skip", "move"):
        report = nn.gradcheck.check(parameters, X, Y, ["relu", "sigmoid"], kinks=policy)
        print(
            f"kinks={policy!r:7} passed={report.passed!s:5}  b1: relative error {report.errors['b1']:.1e}, "
            f"crossings {report.crossings['b1']}, moved {report.moved['b1']}, skipped {report.skipped['b1']}"
        )
    # --8<-- [end:kinks_example]
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("kinks='fail'  passed=False")
    assert lines[1].startswith("kinks='skip'  passed=True")
    assert lines[1].endswith("crossings 1, moved 0, skipped 1")
    assert lines[2].startswith("kinks='move'  passed=True")
    assert lines[2].endswith("crossings 1, moved 1, skipped 0")


def test_docs_softmax_example_is_exact_to_rounding(capsys):
    # --8<-- [start:softmax_example]
    # --8<-- [start:softmax_example_report]
    import numpy as np

    import nn

    rng = np.random.default_rng(2)
    K, m = 4, 32  # four classes
    parameters = nn.initialize_parameters([5, 8, K], method="xavier", seed=2)
    X = rng.normal(size=(5, m))
    Y = np.eye(K)[rng.integers(0, K, size=m)].T  # one-hot columns: the class of each sample
    report = nn.gradcheck.check(parameters, X, Y, ["tanh", "softmax"], loss="cross_entropy", mode="complex")
    # --8<-- [end:softmax_example_report]
    print(report)
    # --8<-- [end:softmax_example]
    assert "PASS" in capsys.readouterr().out
    assert max(report.errors.values()) <= 1e-13
    # the page: softmax's forward subtracts each column's entry of largest real part, a complex number
    assert np.array([[1 + 5j], [2 - 1j]]).max(axis=0)[0] == 2 - 1j
