"""The checker's noise model: no false alarm at any scale, no miss, and "cannot tell" when the
gradient is below the noise floor of J (issue: a gradient checker that never cries wolf).

Each case is one a learner meets with correct code: a large summed cost, a saturated logistic
unit at its optimum, the course's week-3 planar homework with weights × 0.01. Each first shows
that the tolerance alone would fail it (so the noise bound is what passes it), then that the
check passes; and a bug planted in the same code is still found, named and diagnosed alone.
"""

from __future__ import annotations

import functools
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from course_code import two_layer_backward, two_layer_forward
from support import benchmark as benchmark_script

import nn.datasets
from nn.gradcheck import check_function, check_two_layer
from nn.gradcheck.estimates import FLOOR


def summed_square(seed=2, n=300):
    """J = ½‖AW‖² with an n × n W: a sum of n² squares with no 1/m, J ≈ 1.5e4 for n = 300."""
    rng = np.random.default_rng(seed)
    A, W = rng.standard_normal((n, n)) / 30, rng.standard_normal((n, n))

    def cost(p):
        return 0.5 * np.sum((A @ p["W"]) ** 2)

    def gradients(p):
        return {"W": A.T @ (A @ p["W"])}

    return cost, gradients, {"W": W}


@pytest.mark.slow  # two checks of a 300 × 300 block: about 1 s
def test_a_large_summed_cost_passes_in_directional_mode_and_a_one_entry_bug_is_found():
    cost, gradients, parameters = summed_square()
    report = check_function(cost, gradients, parameters, mode="directional")
    # The estimate's rounding error, about 1e-7 here, lands above or below the course's 1e-7 by chance
    # (and by the CPU's BLAS kernel), so the fixed tolerance alone would cry wolf on some draws; the
    # bound the checker computes is far above it, and that is what it judges by.
    assert report.noise["all"] > 10 * report.tolerance
    assert report.passed, str(report)
    assert report.errors["all"] <= report.noise["all"]

    def one_entry_off(p):
        G = gradients(p)["W"]
        G[251, 66] += 0.01 * np.abs(G).max()
        return {"W": G}

    buggy = check_function(cost, one_entry_off, parameters, mode="directional")
    assert buggy.failed == ["all", "W"]
    key, index, analytic, numeric = buggy.worst
    assert (key, index) == ("W", (251, 66)), str(buggy)
    assert abs(analytic - numeric) > 0.005 * np.abs(gradients(parameters)["W"]).max()


def saturated_logistic():
    """Logistic regression with weights ±10 at the b where db = mean(A − Y) nearly vanishes."""
    rng = np.random.default_rng(0)
    m = 400
    X = rng.standard_normal((2, m))
    Y = (X[0:1] - X[1:2] + 0.5 * rng.standard_normal((1, m)) > 0).astype(float)

    def cost(p):
        Z = p["w"].T @ X + p["b"]
        return np.mean(np.logaddexp(0, -Z) * Y + np.logaddexp(0, Z) * (1 - Y))

    def gradients(p):
        A = 1 / (1 + np.exp(-(p["w"].T @ X + p["b"])))
        return {"w": X @ (A - Y).T / m, "b": np.mean(A - Y, keepdims=True)[0]}

    return cost, gradients, {"w": np.array([[10.0], [-10.0]]), "b": np.array([0.0165])}


def test_a_saturated_logistic_unit_passes_within_its_noise_bound():
    cost, gradients, parameters = saturated_logistic()
    report = check_function(cost, gradients, parameters, h=1e-6)
    assert report.errors["b"] > report.tolerance  # |db| ≈ 6e-7: the rounding of J, εJ/h, is ~1e-4 of it
    assert report.passed, str(report)
    assert report.status("b") == "ok (within noise)"
    assert "noise bound" in str(report).splitlines()[1]


def test_a_saturated_logistic_unit_with_db_off_by_a_thousandth_fails():
    cost, gradients, parameters = saturated_logistic()

    def off(p):
        return {**gradients(p), "b": gradients(p)["b"] * 1.001}

    report = check_function(cost, off, parameters)
    assert report.failed == ["b"], str(report)


@pytest.mark.parametrize("factor", [1.0021, 0.9979, 1.002])
def test_an_error_of_a_fifth_of_a_percent_never_passes_within_noise(factor):
    """The page: a block off by 0.21 % or more in every entry can fail or be undecided, never pass,
    even with the most generous bound, b_i = |g_i − ĝ_i| exactly; 0.2 % itself just can."""
    from nn.gradcheck.report import Report, decide

    numeric = np.random.default_rng(0).normal(size=20)
    analytic = factor * numeric
    report = Report(False, {}, ("", (), 0.0, 0.0), {}, {}, {}, "full", "", np.float64, 1e-7, 1e-6, [])
    decide(report, "W", analytic, numeric, np.abs(analytic - numeric))
    passed = not report.failed and not report.undecided
    assert passed == (factor == 1.002)


@pytest.mark.parametrize(
    ("page", "said"),
    [
        ("gradcheck.md", r"a factor ([\d.]+) on a whole block passes and a factor ([\d.]+) fails"),
        ("gradcheck.zh.md", r"整块乘了因子 ([\d.]+) 会通过，乘了因子 ([\d.]+) 则会失败"),
    ],
)
def test_only_float32s_tolerance_passes_an_error_the_noise_bound_never_passes(page, said):
    """The page: a block off by 0.21 % or more never passes within noise, but the tolerance can still pass it;
    float32's passes the page's first factor on a whole block in every mode and fails its second, while
    float64 fails both."""
    text = (Path(__file__).resolve().parents[1] / "docs" / page).read_text()
    passing, failing = (float(factor) for factor in re.search(said, text).groups())
    rng = np.random.default_rng(0)
    A, W = rng.standard_normal((10, 6)), rng.standard_normal((6, 6))

    def cost(p):
        return 0.5 * np.sum((A @ p["W"]) ** 2)

    def off_by(factor):
        return lambda p: {"W": factor * (A.T @ (A @ p["W"]))}

    for mode in ("full", "directional", "complex"):
        verdicts = {}
        for dtype in (np.float64, np.float32):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", nn.gradcheck.WeakCheckWarning)
                for factor in (passing, failing):
                    report = check_function(cost, off_by(factor), {"W": W.astype(dtype)}, mode=mode)
                    verdicts[np.dtype(dtype).name, factor] = (report.passed, report.failed != [])
        assert verdicts == {
            ("float64", passing): (False, True),
            ("float64", failing): (False, True),
            ("float32", passing): (True, False),
            ("float32", failing): (False, True),
        }, (mode, verdicts)


@pytest.mark.parametrize(
    ("page", "said"),
    [
        (
            "gradcheck.md",
            r"in float32 it passes a factor ([\d.]+) on one block beside a right block, and so does the check",
        ),
        ("gradcheck.zh.md", r"一个块乘了因子 ([\d.]+)、旁边还有一个正确的块时，`all` 这一行会通过，整个检验也就通过了"),
    ],
)
def test_directionals_all_row_passes_in_float32_a_factor_on_one_block_that_full_mode_fails(page, said):
    """The page: in float32 directional mode passes the factor it names on one block beside a right block, since its
    all row mixes the two; full mode, which checks the block alone, fails it there."""
    from support import joined

    text = joined(
        (Path(__file__).resolve().parents[1] / "docs" / page).read_text(encoding="utf-8"),
        "zh" if page.endswith(".zh.md") else "en",
    )
    factor = float(re.search(said, text).group(1))
    rng = np.random.default_rng(0)
    A, W, c = rng.standard_normal((10, 6)), rng.standard_normal((6, 6)), 3 * rng.standard_normal(30)

    def cost(p):
        return 0.5 * np.sum((A @ p["W"]) ** 2) + 0.5 * np.sum(p["c"] ** 2)

    def off(p):
        return {"W": factor * (A.T @ (A @ p["W"])), "c": p["c"]}

    parameters = {"W": W.astype(np.float32), "c": c.astype(np.float32)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nn.gradcheck.WeakCheckWarning)
        directional = check_function(cost, off, parameters, mode="directional")
        full = check_function(cost, off, parameters, mode="full")
    assert factor > 1.02
    assert directional.passed, str(directional)
    assert full.failed == ["W"], str(full)


@functools.cache  # the two languages' pages give the same figures: each draw is made once
def _central_difference_error_at(ratio, seed, h=1e-6) -> float:
    """The relative error of a correct db against (J(b + h) − J(b − h))/2h for a logistic regression (m = 200,
    mean cross-entropy) at the b where db = ratio · J."""
    rng = np.random.default_rng(seed)
    X, Y, w = rng.standard_normal((2, 200)), (rng.random((1, 200)) < 0.5).astype(float), rng.standard_normal((1, 2))

    def cost(b):
        Z = w @ X + b
        return float(np.mean(np.logaddexp(0, -Z) * Y + np.logaddexp(0, Z) * (1 - Y)))

    def db(b):
        return float(np.mean(1 / (1 + np.exp(-(w @ X + b))) - Y))

    low, high = -20.0, 20.0  # db − ratio J rises with b (J is convex in b): bisect for its zero
    for _ in range(100):
        middle = (low + high) / 2
        low, high = (middle, high) if db(middle) < ratio * cost(middle) else (low, middle)
    b = (low + high) / 2
    numeric = (cost(b + h) - cost(b - h)) / (2 * h)
    return abs(db(b) - numeric) / (abs(db(b)) + abs(numeric))


#: The three figures the page gives, each a power of ten of J: passes by far, can fail (times 3), often fails.
FIGURE = r"\\\((?:3 \\times )?10\^\{(-\d+)\} J\\\)"
BELOW_J = {
    "gradcheck.md": (rf"`db` at {FIGURE}", rf"below\s+about\s+{FIGURE}", rf"and below {FIGURE} it often"),
    "gradcheck.zh.md": (rf"`db` 在 {FIGURE}", rf"小于约 {FIGURE}", rf"小于 {FIGURE} 时往往"),
}


@pytest.mark.parametrize("page", BELOW_J)
def test_a_correct_gradient_fails_the_tolerance_only_as_far_below_j_as_the_page_says(page):
    """The page: with a correct backward pass, a block whose gradient is 1e-2 J passes the float64 tolerance by far
    at h = 1e-6; below 3e-4 J it can fail it, and below 1e-4 J it often does (here in a third of the draws or more)."""
    text = (Path(__file__).resolve().parents[1] / "docs" / page).read_text()
    clear, can, often = (10.0 ** int(re.search(pattern, text).group(1)) for pattern in BELOW_J[page])
    can *= 3
    errors = {ratio: [_central_difference_error_at(ratio, seed) for seed in range(20)] for ratio in (clear, can, often)}
    assert max(errors[clear]) < 1e-7 / 5
    assert max(errors[can]) > 1e-7
    assert np.mean(np.array(errors[often]) > 1e-7) >= 1 / 3
    # the property test leaves out the draws below the page's 1e-2 max(1, J)
    properties = (Path(__file__).parent / "test_properties.py").read_text()
    assert f"{clear:.0e}".replace("e-0", "e-") + " * max(1.0, J)" in properties


def planar(seed, dtype=np.float64):
    """The course's week-3 homework: planar flower, m = 400, n_h = 4, weights N(0, 1) × 0.01, zero biases."""
    X, Y = nn.datasets.planar()
    rng = np.random.default_rng(seed)
    parameters = {
        "W1": rng.standard_normal((4, 2)) * 0.01,
        "b1": np.zeros((4, 1)),
        "W2": rng.standard_normal((1, 4)) * 0.01,
        "b2": np.zeros((1, 1)),
    }
    return {key: value.astype(dtype) for key, value in parameters.items()}, X.astype(dtype), Y.astype(dtype)


def check_planar(seed, mode, mistake="", dtype=np.float64):
    parameters, X, Y = planar(seed, dtype)
    return check_two_layer(two_layer_forward, two_layer_backward(mistake), parameters, X, Y, mode=mode)


@pytest.mark.parametrize(("seed", "mode"), [(0, "full"), (29, "full"), (0, "complex")])
def test_the_course_planar_homework_passes(seed, mode):
    """Seed 0 fails on db1 under the tolerance alone in both modes; seed 29's db1 is the smallest."""
    report = check_planar(seed, mode)
    assert max(report.errors.values()) > report.tolerance  # the tolerance alone cries wolf here
    assert report.passed, str(report)
    assert (report.failed, report.undecided) == ([], [])


@pytest.mark.slow  # 60 checks: about 3 s
@pytest.mark.parametrize("mode", ["full", "complex"])
def test_the_course_planar_homework_passes_for_every_initialization_seed(mode):
    reports = {seed: check_planar(seed, mode) for seed in range(30)}
    assert {seed: str(r) for seed, r in reports.items() if not r.passed} == {}
    assert any(max(r.errors.values()) > r.tolerance for r in reports.values())  # the noise bound is needed


def test_the_course_planar_homework_in_float32_fails_no_block():
    with pytest.warns(nn.gradcheck.WeakCheckWarning) as said:
        report = check_planar(0, "full", dtype=np.float32)
    assert [Path(w.filename) for w in said] == [Path(__file__)]  # once, at the caller's line, not nn's
    assert report.failed == [], str(report)
    assert report.undecided == ["b1", "b2"]  # db1 and db2 are below float32's noise floor of J
    for key in report.undecided:
        assert report.noise[key] > FLOOR
    text = str(report)
    assert text.count("cannot tell") == len(report.undecided) + 1
    assert "check in mode 'complex', in float64, or rescale J or the parameters" in text


@pytest.mark.parametrize(
    ("mistake", "blocks", "said"),
    [
        ("tanh-1-A", ["W1", "b1"], "tanh′ written as 1 − A instead of 1 − A²"),
        ("db-no-1/m", ["b1", "b2"], "db[l] = Σ dZ[l] without the 1/m"),
    ],
)
def test_a_bug_planted_in_the_planar_homework_is_named_alone(mistake, blocks, said):
    report = check_planar(0, "full", mistake)
    assert sorted(report.failed) == blocks, str(report)
    assert report.undecided == []
    assert report.diagnosis.startswith(said)
    assert "no known mistake" not in report.diagnosis
    assert report.worst[0] in blocks
    lines = str(report).splitlines()
    assert [line.split()[0] for line in lines if line.endswith("FAIL")] == sorted(blocks, key=list(report.errors).index)


# The examples below are shown on docs/gradcheck.md and its twin (included by pymdownx.snippets and
# run at build time by markdown-exec), so each is self-contained, imports included.


def test_docs_false_alarm_example_passes_within_its_noise_bound(capsys):
    # --8<-- [start:false_alarm_example]
    # --8<-- [start:false_alarm_example_report]
    import numpy as np

    from nn.gradcheck import check_function

    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 400))
    Y = (X[0:1] - X[1:2] + 0.5 * rng.standard_normal((1, 400)) > 0).astype(float)

    def cost(p):  # logistic regression, mean cross-entropy
        Z = p["w"].T @ X + p["b"]
        return np.mean(np.logaddexp(0, -Z) * Y + np.logaddexp(0, Z) * (1 - Y))

    def gradients(p):
        A = 1 / (1 + np.exp(-(p["w"].T @ X + p["b"])))
        return {"w": X @ (A - Y).T / 400, "b": np.mean(A - Y, keepdims=True)[0]}

    # large weights, and b where db = mean(A − Y) nearly cancels, as after training
    parameters = {"w": np.array([[10.0], [-10.0]]), "b": np.array([0.0165])}
    report = check_function(cost, gradients, parameters, h=1e-6)
    # --8<-- [end:false_alarm_example_report]
    print(report)
    # --8<-- [end:false_alarm_example]
    text = capsys.readouterr().out
    assert re.search(r"\n  b +(\S+) +\S+ +0 +0  ok \(within noise\)\n", text), text
    assert float(re.search(r"\n  b +(\S+)", text).group(1)) > 1e-7  # the tolerance alone would fail b
    assert "\nPASS" in text
    # the page's figures: the slope along b is about 6e-7, the rounding of J at h = 1e-6 about
    # εJ/h ≈ 1e-10, about 1e-4 of the slope; the report's last line names the larger step b was probed with
    slope, J = abs(gradients(parameters)["b"][0]), cost(parameters)
    rounding = np.finfo(float).eps * J / 1e-6
    assert 5e-7 < slope < 7e-7
    assert 3e-11 < rounding < 3e-10
    assert 3e-5 < rounding / slope < 3e-4
    assert re.search(r"warning: b: probed with h = (\S+),", text.splitlines()[-1])


def test_docs_cannot_tell_example(capsys):
    # --8<-- [start:cannot_tell_example]
    # --8<-- [start:cannot_tell_example_report]
    import numpy as np

    from nn.gradcheck import check_function

    def cost(p):  # J ≈ 1e4, and b moves it by 1e-9 per unit
        return np.sum(p["w"] ** 2) + 1e-9 * p["b"][0]

    def gradients(p):
        return {"w": 2 * p["w"], "b": np.array([1e-9])}

    report = check_function(cost, gradients, {"w": np.array([100.0, -50.0]), "b": np.array([0.3])})
    # --8<-- [end:cannot_tell_example_report]
    print(report)
    # --8<-- [start:cannot_tell_example_data]
    print("failed:", report.failed, " undecided:", report.undecided, " passed:", report.passed)
    # --8<-- [end:cannot_tell_example_data]
    # --8<-- [end:cannot_tell_example]
    text = capsys.readouterr().out
    assert "CANNOT TELL" in text
    assert text.rstrip().endswith("failed: []  undecided: ['b']  passed: False")
    assert "warning: b: probed with h = " in text  # the step whose bound was smallest
    # the page's figures: J ≈ 1.25e4, its rounding about 3e-12, and over the largest step tried
    # (1e4 h = 1e-2) b moves J by 1e-11, a few roundings of J (each a spacing of 1.8e-12)
    J = cost({"w": np.array([100.0, -50.0]), "b": np.array([0.3])})
    assert J == pytest.approx(1.25e4)
    assert np.finfo(float).eps * J == pytest.approx(3e-12, rel=0.1)
    assert 1e-9 * 1e-2 < 10 * np.spacing(J)
    # and at none of the steps from h to the largest one tried (STEP_RANGE h) is b's noise bound within FLOOR:
    # no central difference the checker can take tells a right db from a wrong one
    from nn.gradcheck import estimates
    from nn.gradcheck.problems import FunctionProblem

    problem = FunctionProblem(cost, {"w": np.array([100.0, -50.0]), "b": np.array([0.3])})
    steps = report.h * 10.0 ** np.arange(round(np.log10(estimates.STEP_RANGE)) + 1)
    assert steps[-1] == pytest.approx(1e-2)
    for step in steps:
        numeric, _, _, _, bound, _ = estimates._central_at(problem, "b", step, "move")
        assert bound[0] > FLOOR * (1e-9 + abs(numeric[0])), step


@pytest.fixture(scope="module")
def benchmark():
    """benchmarks/gradcheck_noise.py's labelled set and every checker's verdicts (about 40 s)."""
    module = benchmark_script("gradcheck_noise")
    labelled = module.cases()
    return module, labelled, module.verdicts(module.checkers(), labelled)


def test_the_benchmarks_set_spans_the_scales_the_page_names():
    """float64: costs 1e-8 to 1e8 and parameters 1e-4 to 1e3; float32: costs 1e-8, 1 and 1e8 with
    the parameters unscaled, and its bugs (a factor 1.001, a sign) at scale 1."""
    labelled = benchmark_script("gradcheck_noise").cases()
    scales = {}
    for case in labelled:
        c, s = re.search(r"J×(\S+), θ×(\S+),", case.name).groups()
        scales.setdefault((case.dtype.name, case.buggy), set()).add((float(c), float(s)))
    costs, parameters = ({c for c, _ in scales["float64", False]}, {s for _, s in scales["float64", False]})
    assert (min(costs), max(costs), min(parameters), max(parameters)) == (1e-8, 1e8, 1e-4, 1e3)
    assert scales["float32", False] == {(1e-8, 1.0), (1.0, 1.0), (1e8, 1.0)}
    assert scales["float32", True] == {(1.0, 1.0)}
    bugs = {case.name.split(": ")[1] for case in labelled if case.buggy and case.dtype == np.float32}
    assert bugs == {"a factor 1.001 on the first block", "the last block's sign flipped"}


@pytest.mark.slow
def test_the_benchmark_has_no_false_alarm_and_no_miss_in_float64(benchmark):
    module, labelled, table = benchmark
    float64 = np.dtype(np.float64)
    for mode in ("full", "directional"):
        counts = module.confusion(table[f"check_function, {mode}"], labelled, float64)
        assert counts["correct"] >= 30
        assert counts["buggy"] >= 30
        assert (counts["false alarms"], counts["misses"]) == (0, 0), (mode, counts)
    course = module.confusion(table["the course's check, 2e-7"], labelled, float64)
    assert course["false alarms"] > 0  # the set holds scales where a fixed tolerance cries wolf


@pytest.mark.slow
def test_the_float32_misses_are_the_ones_the_page_names(benchmark):
    """In float32 a factor 1.001 passes (or cannot be told) in every mode; directional also passes
    the sign flipped on the scalar beside the block of 1200 entries, and misses nothing else."""
    _, labelled, table = benchmark
    factor = "a factor 1.001 on the first block"
    small_sign = "one large block, J×1, θ×1, float32: the last block's sign flipped"
    buggy = [(i, case.name) for i, case in enumerate(labelled) if case.buggy and case.dtype == np.float32]
    for mode in ("full", "directional", "complex"):
        verdicts = {name: table[f"check_function, {mode}"][i] for i, name in buggy}
        misses = {name for name, verdict in verdicts.items() if verdict == "pass"}
        factors = {name for name in verdicts if name.endswith(factor)}
        assert all(verdicts[name] in ("pass", "cannot tell") for name in factors), (mode, verdicts)
        assert misses - factors == ({small_sign} if mode == "directional" else set()), mode


@pytest.mark.slow
def test_the_fixed_tolerances_cry_wolf_where_the_page_says(benchmark):
    """The course's check fails every correct float64 case with parameters of 1e3 and no other;
    torch's false alarms in float64 are at parameters of 1e-4, against its fixed eps of 1e-6."""
    _, labelled, table = benchmark

    def false_alarms(checker):
        return {
            case.name
            for verdict, case in zip(table[checker], labelled, strict=True)
            if verdict == "fail" and not case.buggy and case.dtype == np.float64
        }

    large = {case.name for case in labelled if not case.buggy and case.dtype == np.float64 and "θ×1000," in case.name}
    assert false_alarms("the course's check, 2e-7") == large
    if "torch.autograd.gradcheck, defaults" in table:
        assert all("θ×0.0001," in name for name in false_alarms("torch.autograd.gradcheck, defaults"))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("page", "defaults"),
    [
        ("gradcheck.md", r"at its defaults\n?\(`eps` (\S+), `atol` (\S+), `rtol` (\S+)\)"),
        ("gradcheck.zh.md", r"默认设置下的 `torch.autograd.gradcheck`（`eps` (\S+)，`atol` (\S+)，`rtol` (\S+)）"),
    ],
)
def test_torchs_misses_are_the_bugs_its_rtol_and_atol_let_through(benchmark, page, defaults):
    """The page: torch.autograd.gradcheck at its defaults (the ones the page states) passes a difference within
    its rtol and its atol, and at a cost of 1e-8 the whole gradient is below atol. Every float64 bug it misses
    differs from the exact gradient (the complex step) by at most atol + rtol |g| in every entry, and every bug
    at a cost of 1e-8 is missed, its exact gradient below atol."""
    torch = pytest.importorskip("torch")
    import inspect

    from nn.gradcheck.estimates import complex_step
    from nn.gradcheck.problems import FunctionProblem

    _, labelled, table = benchmark
    text = (Path(__file__).resolve().parents[1] / "docs" / page).read_text()
    eps, atol, rtol = (float(x) for x in re.search(defaults, text).groups())
    signature = inspect.signature(torch.autograd.gradcheck).parameters
    assert (eps, atol, rtol) == tuple(signature[name].default for name in ("eps", "atol", "rtol"))
    tiny = []
    for verdict, case in zip(table["torch.autograd.gradcheck, defaults"], labelled, strict=True):
        if not case.buggy or case.dtype != np.float64:
            continue
        problem = FunctionProblem(case.cost, case.parameters)
        exact = {key: complex_step(problem, key, 1e-20) for key in case.parameters}
        buggy = {key: np.reshape(value, exact[key].shape) for key, value in case.gradients(case.parameters).items()}
        within = all(np.all(np.abs(buggy[key] - g) <= atol + rtol * np.abs(g)) for key, g in exact.items())
        assert within or verdict == "fail", case.name
        if "J×1e-08," in case.name:
            tiny.append(case.name)
            assert max(np.abs(g).max() for g in exact.values()) < atol, case.name
            assert verdict == "pass", case.name
    assert len(tiny) >= 5


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "page"), [("en", "gradcheck.md"), ("zh", "gradcheck.zh.md")])
def test_the_gradcheck_page_shows_the_benchmarks_table(benchmark, lang, page):
    """The table on the page is the benchmark's output (``--write`` puts it there); the PyTorch
    rows are compared when PyTorch is installed."""
    module, labelled, table = benchmark
    text = (Path(__file__).resolve().parents[1] / "docs" / page).read_text()
    shown = text[text.index(module.MARK) + len(module.MARK) : text.index(module.END)].strip().splitlines()
    expected = module.table_lines(table, labelled, lang)
    if not any("torch" in name for name in table):
        shown = [line for line in shown if "torch" not in line]
    assert shown == expected


def test_the_bisection_never_names_an_entry_within_its_noise_bound(monkeypatch):
    """A bisection that ends at a correct entry (forced here) is reported as such, not named."""
    from nn.gradcheck import narrowing

    cost, gradients, parameters = summed_square(n=20)

    def one_entry_off(p):
        G = gradients(p)["W"]
        G[3, 4] += 0.01 * np.abs(G).max()
        return {"W": G}

    monkeypatch.setattr(narrowing, "FULL_WORK", 0)  # bisect even a block this small
    found = check_function(cost, one_entry_off, parameters, mode="directional")
    assert (found.bisected, found.worst[:2]) == (True, ("W", (3, 4))), str(found)
    monkeypatch.setattr(narrowing, "_bisect", _ending_at((0, 0)))
    report = check_function(cost, one_entry_off, parameters, mode="directional")
    assert report.failed == ["all", "W"]
    assert (report.bisected, report.worst[0]) == (False, ""), str(report)
    assert "the bisection of W ended at an entry within its noise bound; check W in mode 'full'" in str(report)


def _ending_at(index):
    """``narrowing._bisect`` made to end at ``index``: its estimate and bound are those of that entry."""
    from nn.gradcheck import estimates

    def ending(problem, grads, key, h, rng, kinks):
        at = problem.shifted({key: estimates.unit(problem.params[key], index)})
        numeric, _, rounding, change = estimates.noisy_probe(problem, at, 1e-6, kinks)
        return index, float(numeric), float(rounding + 2 * abs(change))

    return ending


def _saturating_network():
    """A tanh → sigmoid network small enough to check in a few milliseconds, and nn's backward with dW1 1 % off."""
    rng = np.random.default_rng(0)
    parameters = {"W1": rng.normal(size=(3, 2)), "b1": np.zeros((3, 1)), "W2": rng.normal(size=(1, 3)),
                  "b2": np.zeros((1, 1))}  # fmt: skip
    X, Y = rng.normal(size=(2, 5)), np.array([[0, 1, 1, 0, 1]])

    def off(AL, Y, cache, parameters, activations, loss):
        grads = nn.backward_propagation(AL, Y, cache, parameters, activations, loss)
        return grads | {"dW1": 1.01 * grads["dW1"]}

    return (parameters, X, Y, ["tanh", "sigmoid"]), off


@pytest.mark.parametrize("mode", ["full", "directional"])
def test_a_step_so_large_that_J_saturates_is_no_false_alarm(mode):
    """At h = 100, tanh and sigmoid saturate along every probe, J₊ − J₋ is alike at h and h/2, and the estimate's
    change between them bounds nothing: a smaller step small for J is found (docs/gradcheck.md), so a right backward
    passes and one with dW1 1 % off still fails; with kinks="fail", which keeps h, no block is failed, none passed."""
    network, off = _saturating_network()
    assert nn.gradcheck.check(*network, mode=mode, h=100.0).passed
    assert "W1" in nn.gradcheck.check(*network, mode=mode, h=100.0, backward=off).failed
    for backward in (None, off):
        report = nn.gradcheck.check(*network, mode=mode, h=100.0, kinks="fail", backward=backward)
        assert (report.failed, bool(report.undecided)) == ([], True)
        assert "the step h = 100 is too large for J" in str(report)
        assert "步长 h = 100 对 J 来说太大" in report.text("zh")
