r"""Every registered activation: numpy against the lambdified SymPy derivation.

Parametrized over the union of both registries, so a new activation is tested with no
new test code, and an activation declared on one side only fails with a message that
names the missing side.

Tolerances: the SymPy reference is evaluated by mpmath with 30 digits, so it is exact
to float64. Where g bends (|z| ≤ 4) we allow rtol 1e-12 (a few ulps of cancellation, e.g.
1 − tanh² near |z| = 4 loses ~3 digits of 16). In the tails the derivatives are tiny and
numpy's forms like s(1 − s) are accurate in absolute, not relative, terms, so we add an
absolute tolerance of 1e-15.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import mpmath
import numpy as np
import pytest
import sympy as sp
from support import GRADCHECK_THRESHOLD, NUMBER_WORDS, joined, numeric_gradients, stated

import derivations
import nn
from derivations import activations as symbolic
from derivations import say

NAMES = sorted(set(symbolic.names()) | set(nn.activations.names(elementwise=True)))
FUNCTIONS = ("forward", "derivative", "second_derivative")
BEND = np.concatenate([np.linspace(-4, 4, 161), np.random.default_rng(0).uniform(-4, 4, 200)])
TAILS = np.concatenate([-np.geomspace(4, 1e3, 60), np.geomspace(4, 1e3, 60)])
#: The relative tolerances against SymPy (see the module's docstring) and for the complex step (a few ulps);
#: docs/verification.md states both.
RTOL_SYMPY, RTOL_COMPLEX_STEP = 1e-12, 1e-13
#: How far test_stable_for_large_inputs takes |z|; docs/extending.md states it.
LARGE = 1e3


def both_sides(name):
    missing = []
    if name not in symbolic.names():
        missing.append(f"symbolic side: declare it with register({name!r}, ...) in derivations/activations.py")
    if name not in nn.activations.names(elementwise=True):
        missing.append(f"numpy side: add a class with name = {name!r} to nn/activations.py")
    if missing:
        pytest.fail(f"activation {name!r} is missing its " + " and its ".join(missing))
    return symbolic.get(name), nn.activations.get(name)


def away_from_kinks(z, sym, margin=1e-3):
    kinks = np.array([float(k.at) for k in sym.kinks])
    if kinks.size == 0:
        return z
    return z[np.min(np.abs(z[:, None] - kinks[None, :]), axis=1) > margin]


def assert_matches(name, function, z, actual, expected, rtol, atol):
    """Like assert_allclose, but the message names the worst input and both values."""
    error = np.abs(actual - expected) - (atol + rtol * np.abs(expected))
    worst = int(np.argmax(error))
    assert error[worst] <= 0, (
        f"nn.activations.get({name!r}).{function} disagrees with SymPy: worst at z = {float(z[worst])!r}: "
        f"expected {float(expected[worst])!r} (SymPy), got {float(actual[worst])!r} (numpy)"
    )


@pytest.mark.parametrize("name", NAMES)
def test_both_registries_declare_the_activation(name):
    sym, act = both_sides(name)
    assert act.name == sym.name == name


@pytest.mark.parametrize("order", [0, 1, 2], ids=FUNCTIONS)
@pytest.mark.parametrize("name", NAMES)
def test_numpy_equals_sympy_where_g_bends(name, order):
    sym, act = both_sides(name)
    z = away_from_kinks(BEND, sym)
    actual = getattr(act, FUNCTIONS[order])(z)
    assert_matches(name, FUNCTIONS[order], z, actual, sym.numeric(order)(z), rtol=RTOL_SYMPY, atol=1e-14)


@pytest.mark.parametrize("order", [0, 1, 2], ids=FUNCTIONS)
@pytest.mark.parametrize("name", NAMES)
def test_numpy_equals_sympy_in_the_tails(name, order):
    sym, act = both_sides(name)
    actual = getattr(act, FUNCTIONS[order])(TAILS)
    assert_matches(name, FUNCTIONS[order], TAILS, actual, sym.numeric(order)(TAILS), rtol=RTOL_SYMPY, atol=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_kink_conventions_hold_exactly(name):
    sym, act = both_sides(name)
    for kink in sym.kinks:
        at = np.array([float(kink.at)])
        assert act.derivative(at)[0] == float(kink.derivative), (
            f"{name}'({kink.at}) must be {kink.derivative} by the declared convention: {kink.reason}"
        )
        assert act.second_derivative(at)[0] == sym.numeric(2)(at)[0]


@pytest.mark.parametrize("name", NAMES)
def test_central_differences_agree_away_from_kinks(name):
    """(g(z + h) − g(z − h)) / 2h ≈ g'(z): truncation O(h²) ≈ 1e-12 plus rounding ε/h ≈ 1e-10."""
    sym, act = both_sides(name)
    z, h = away_from_kinks(BEND, sym, margin=1e-2), 1e-6
    for lower, upper in (("forward", "derivative"), ("derivative", "second_derivative")):
        f = getattr(act, lower)
        fd = (f(z + h) - f(z - h)) / (2 * h)
        assert_matches(name, upper, z, getattr(act, upper)(z), fd, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", NAMES)
def test_stable_for_large_inputs(name):
    """Finite values and no RuntimeWarning (warnings are errors) for |z| up to LARGE = 1e3 in float64."""
    _, act = both_sides(name)
    z = np.concatenate([-np.geomspace(1e-3, LARGE, 50), [0.0], np.geomspace(1e-3, LARGE, 50)])
    for function in FUNCTIONS:
        assert np.all(np.isfinite(getattr(act, function)(z))), f"{name}.{function} overflows"


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept(name, dtype):
    _, act = both_sides(name)
    z = np.linspace(-3, 3, 7, dtype=dtype).reshape(1, 7)
    for function in FUNCTIONS:
        out = getattr(act, function)(z)
        assert out.dtype == dtype, f"{name}.{function} returned {out.dtype} for {np.dtype(dtype)} input"
        assert out.shape == z.shape, f"{name}.{function} returned shape {out.shape} for {z.shape}"


@pytest.mark.parametrize("name", NAMES)
def test_analytic_flag_matches_the_definition(name):
    sym, _ = both_sides(name)
    has_branches = bool(sym.breakpoints)
    assert sym.analytic != has_branches, (
        f"{name} is declared analytic={sym.analytic} but its definition "
        f"{'has' if has_branches else 'has no'} branch points"
    )


ANALYTIC = [n for n in NAMES if n in symbolic.names() and symbolic.get(n).analytic]


def complex_step(sym, z, h=1e-20):
    """g'(z) ≈ Im g(z + ih) / h on SymPy's g: no subtraction, so no cancellation (analytic g only).

    numpy evaluates g in complex float64; erf has no numpy version, so g with erf goes through
    mpmath (at 30 digits: its complex erf loses digits near erf = 1 at the default 15).
    """
    if sym.expr.has(sp.erf):
        scalar = sp.lambdify(symbolic.z, sym.expr, modules="mpmath")
        with mpmath.workdps(30):
            return np.array([float(mpmath.im(scalar(mpmath.mpc(float(v), h))) / h) for v in z])
    return sp.lambdify(symbolic.z, sym.expr, modules="numpy")(z + 1j * h).imag / h


@pytest.mark.parametrize("name", ANALYTIC)
def test_complex_step_equals_the_numpy_derivative(name):
    """SymPy's g under a complex step against numpy's g' where g bends: rtol 1e-13 (a few ulps),
    plus atol 1e-15 where g' crosses 0 and a relative error means nothing."""
    sym, act = both_sides(name)
    assert_matches(
        name, "derivative", BEND, act.derivative(BEND), complex_step(sym, BEND), rtol=RTOL_COMPLEX_STEP, atol=1e-15
    )


#: The activations that declare a complex form for nn.gradcheck's complex mode (their forward is real-only)
COMPLEX_FORMS = [n for n in nn.activations.names(elementwise=True) if nn.activations.get(n).complex_forward]
#: Where the complex forms are checked: where g bends, and out to |z| = LARGE on both sides
WIDE = np.concatenate([-np.geomspace(4, LARGE, 30), np.geomspace(4, LARGE, 30)])


@pytest.mark.parametrize("name", COMPLEX_FORMS)
def test_the_complex_form_steps_to_the_sympy_derivative(name):
    """Im g(z + ih)/h of the complex form against SymPy's g', rtol 1e-13. In the tails SymPy is evaluated at
    400 digits (at 30, 1 + e^z and 1 + erf z lose every digit below 1e-30); atol 1e-16 where g bends (g' crosses
    0 there, and its terms round at 1e-16), 1e-280 beyond (h g' = 1e-20 g' turns subnormal)."""
    sym, act = both_sides(name)
    h = inspect.signature(complex_step).parameters["h"].default
    for z, dps, atol in ((np.linspace(-4, 4, 81), 30, 1e-16), (WIDE, 400, 1e-280)):
        step = act.complex_forward(z + 1j * h).imag / h
        assert_matches(name, "complex_forward", z, step, sym.numeric(1, dps=dps)(z), RTOL_COMPLEX_STEP, atol)


@pytest.mark.parametrize("name", COMPLEX_FORMS)
def test_the_complex_form_is_forward_on_the_real_line(name):
    """For real z the complex form gives forward's g, to the same 1e-13 (gelu_tanh's z³ rounds differently
    in complex arithmetic, and its exponent multiplies that by up to 10²), with no imaginary part."""
    _, act = both_sides(name)
    z = np.concatenate([np.linspace(-4, 4, 81), WIDE])
    value = act.complex_forward(z.astype(complex))
    assert np.all(value.imag == 0)
    assert_matches(name, "complex_forward", z, value.real, act.forward(z), RTOL_COMPLEX_STEP, atol=1e-300)


def test_training_runs_the_real_forward_and_complex_mode_the_complex_form(monkeypatch):
    """The complex forms are complex mode's alone: with every one of them raising, a network with each activation
    trains and passes a full check, and forward gives the same floats; complex mode then stops at the first."""
    names, X = COMPLEX_FORMS, np.random.default_rng(0).normal(size=(2, 5))
    Y, dims, activations = (X[:1] > 0).astype(float), [2] + [3] * len(COMPLEX_FORMS) + [1], [*COMPLEX_FORMS, "sigmoid"]
    parameters = nn.init.initialize_parameters(dims, seed=0)
    before = {name: nn.activations.get(name).forward(X) for name in names}
    costs_before = nn.train(X, Y, dims, activations, num_iterations=3, seed=0)[1]

    def refuse(Z):
        raise AssertionError("the complex form ran on a real forward pass")

    for name in names:  # on the class, where forward would find it
        monkeypatch.setattr(type(nn.activations.get(name)), "complex_forward", staticmethod(refuse))
    for name in names:
        assert np.array_equal(nn.activations.get(name).forward(X), before[name], equal_nan=True), name
    assert nn.train(X, Y, dims, activations, num_iterations=3, seed=0)[1] == costs_before
    assert nn.gradcheck.check(parameters, X, Y, activations, mode="full").passed
    with pytest.raises(AssertionError, match="complex form ran"):
        nn.gradcheck.check(parameters, X, Y, activations, mode="complex")


def test_the_complex_step_reaches_rounding_where_central_differences_stop_at_about_1e_11():
    """docs/verification.md: h = 1e-20 gives σ′(0.7) to about 1e-16 relative error, while the best
    central difference over the steps 1e-2 ... 1e-10 stays near 1e-11 (truncation above, rounding below)."""
    z = 0.7
    with mpmath.workdps(30):
        exact = float(mpmath.exp(-z) / (1 + mpmath.exp(-z)) ** 2)
    sigmoid = nn.activations.get("sigmoid").forward
    complex_error = abs((1 / (1 + np.exp(-(z + 1e-20j)))).imag / 1e-20 - exact) / exact
    central = [abs((sigmoid(z + h) - sigmoid(z - h)) / (2 * h) - exact) / exact for h in 10.0 ** -np.arange(2, 11)]
    assert complex_error < 1e-15
    assert 1e-13 < min(central) < 1e-10


@pytest.mark.parametrize("name", NAMES)
def test_numpy_side_declares_the_same_kinks_and_analyticity(name):
    """nn never imports derivations, so nn.gradcheck reads these facts from the numpy classes."""
    sym, act = both_sides(name)
    assert sorted(act.kinks) == sorted(float(k.at) for k in sym.kinks), (
        f"nn/activations.py declares kinks {act.kinks} for {name}, derivations/activations.py {sym.kinks}"
    )
    assert act.analytic == sym.analytic


@pytest.mark.parametrize("name", nn.activations.names(elementwise=False))
def test_a_non_elementwise_activation_names_a_derivation_that_verifies(name):
    """Softmax has no scalar declaration; its class names the derivation that proves its backward."""
    act = nn.activations.get(name)
    assert name not in symbolic.names(), f"{name} mixes the units of a column: it cannot be a scalar g(z)"
    # a registered key: test_derivations.py::test_every_derivation_verifies proves every one of them
    assert act.derivation in derivations.keys()
    assert name in derivations.get(act.derivation).title.lower()


def exponent(x: float) -> str:
    """The power of ten a page types for ``x``: "-6" for 1e-6, "3" for 1e3."""
    assert x == 10.0 ** round(np.log10(x)), x
    return str(round(np.log10(x)))


PRECISION_PHRASES = {  # (page, lang): the phrases that type the figures of these tests
    ("verification.md", "en"): [r"evaluated at (\d+) digits", r"The tests use \\\(\\varepsilon = 10\^\{(-?\d+)\}\\\)",
                                r"The tests require it to be at most \\\(10\^\{(-?\d+)\}\\\)",
                                r"\\\(h = 10\^\{(-?\d+)\}\\\) gives the derivative"],
    ("verification.zh.md", "zh"): [r"以 (\d+) 位有效数字求值", r"测试用的是 \\\(\\varepsilon = 10\^\{(-?\d+)\}\\\)",
                                   r"测试要求它不超过 \\\(10\^\{(-?\d+)\}\\\)", r"取 \\\(h = 10\^\{(-?\d+)\}\\\) 就能"],
    ("extending.md", "en"): [r"evaluated with mpmath at (\d+) digits", r"with \\\(h = 10\^\{(-?\d+)\}\\\), for",
                             r"where \\\(g\\\) bends \(\\\(\|z\| \\le (\d+)\\\)\)",
                             r"for \\\(\|z\|\\\) up to \\\(10\^(\d+)\\\), and float32"],
    ("extending.zh.md", "zh"): [r"用 mpmath 以 (\d+) 位有效数字求值", r"其中 \\\(h = 10\^\{(-?\d+)\}\\\)",
                                r"\\\(g\\\) 弯曲的区域（\\\(\|z\| \\le (\d+)\\\)）",
                                r"\\\(\|z\|\\\) 在 \\\(10\^(\d+)\\\) 以内时结果都是有限值且没有溢出警告"],
}  # fmt: skip


@pytest.mark.parametrize(("page", "lang"), PRECISION_PHRASES)
def test_the_pages_state_the_digits_steps_and_ranges_of_these_tests(page, lang):
    """docs/verification.md and docs/extending.md, in both languages, type the digits of the SymPy reference, the
    complex step's h, the finite-difference step and threshold of the network tests, and the ranges of z."""
    digits = inspect.signature(symbolic.SymbolicActivation.numeric).parameters["dps"].default
    complex_h = inspect.signature(complex_step).parameters["h"].default
    fd_h = inspect.signature(numeric_gradients).parameters["h"].default
    expected = {
        "verification.md": [str(digits), exponent(fd_h), exponent(GRADCHECK_THRESHOLD), exponent(complex_h)],
        "extending.md": [str(digits), exponent(complex_h), f"{np.max(np.abs(BEND)):g}", exponent(LARGE)],
    }[page.replace(".zh", "")]
    text = joined((Path(__file__).resolve().parents[1] / "docs" / page).read_text(encoding="utf-8"), lang)
    for pattern, value in zip(PRECISION_PHRASES[page, lang], expected, strict=True):
        typed = set(re.findall(pattern, text))
        assert typed == {value}, f"{page}: {pattern} finds {sorted(typed) or 'nothing'}; the tests use {value}"


COMPLEX_FORM_PHRASES = {  # (page, lang): how far and how closely the complex forms are checked
    ("gradcheck.md", "en"): [r"SymPy's \\\(g'\\\) to \\\(10\^\{(-\d+)\}\\\) relative",
                             r"for \\\(\|z\|\\\) up to \\\(10\^(\d+)\\\) on both sides"],
    ("gradcheck.zh.md", "zh"): [r"相对误差都在 \\\(10\^\{(-\d+)\}\\\) 以内",
                                r"正负两侧直到 \\\(\|z\| = 10\^(\d+)\\\)"],
    ("extending.md", "en"): [r"SymPy's \\\(g'\\\) to \\\(10\^\{(-\d+)\}\\\) relative",
                             r"for \\\(\|z\|\\\) up to \\\(10\^(\d+)\\\) on both sides"],
    ("extending.zh.md", "zh"): [r"相对误差不超过 \\\(10\^\{(-\d+)\}\\\)",
                                r"正负两侧直到 \\\(\|z\| = 10\^(\d+)\\\)"],
}  # fmt: skip


@pytest.mark.parametrize(("page", "lang"), COMPLEX_FORM_PHRASES)
def test_the_pages_state_the_tolerance_and_range_of_the_complex_form_tests(page, lang):
    text = joined((Path(__file__).resolve().parents[1] / "docs" / page).read_text(encoding="utf-8"), lang)
    expected = [exponent(RTOL_COMPLEX_STEP), exponent(np.max(WIDE))]
    for pattern, value in zip(COMPLEX_FORM_PHRASES[page, lang], expected, strict=True):
        assert stated(text, pattern) == (value,), f"{page}: {pattern}; the tests use {value}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_verification_page_states_these_tolerances(lang):
    page = Path(__file__).resolve().parents[1] / "docs" / ("verification.zh.md" if lang == "zh" else "verification.md")
    text = joined(page.read_text(encoding="utf-8"), lang)
    if lang == "en":
        pattern = (
            r"relative tolerance of \\\(10\^\{-(\d+)\}\\\) against SymPy.*?"
            r"and of \\\(10\^\{-(\d+)\}\\\) for the complex step"
        )
    else:
        pattern = r"相对容差取 \\\(10\^\{-(\d+)\}\\\)；复步法取 \\\(10\^\{-(\d+)\}\\\)"
    sympy_exponent, complex_exponent = stated(text, pattern)
    assert (10.0 ** -int(sympy_exponent), 10.0 ** -int(complex_exponent)) == (RTOL_SYMPY, RTOL_COMPLEX_STEP)


@pytest.mark.parametrize("page", ["extending.md", "extending.zh.md"])
def test_the_extending_page_quotes_softpluss_complex_form_as_it_is_written(page):
    """docs/extending.md and its twin quote Softplus.complex_forward: its two lines, each as the source has it."""
    text = (Path(__file__).resolve().parents[1] / "docs" / page).read_text(encoding="utf-8")
    source = inspect.getsource(type(nn.activations.get("softplus")).complex_forward)
    for line in ("right, folded = _fold(Z)", "np.where(right, Z, 0) + _log1p(np.exp(-folded))"):
        assert f"`{line}`" in text, line
        assert line in source, line


#: How docs/verification.md names the activations whose kinks it lists, in each language.
KINK_EXAMPLES = {
    "en": (r"\\\(z = ((?:\\pm )?[\d.]+)\\\) for (ReLU|hard tanh|hard sigmoid)", False),
    "zh": (r"(ReLU|hard tanh|hard sigmoid) 的 \\\(z = ((?:\\pm )?[\d.]+)\\\)", True),
}


@pytest.mark.parametrize("lang", KINK_EXAMPLES)
def test_the_verification_page_names_the_kinks_away_from_zero(lang):
    """The page lists where kinks are, as examples; each is its activation's declared kinks, and every kink away
    from 0 is among them, so the page does not send a reader to z = 0 alone."""
    page = Path(__file__).resolve().parents[1] / "docs" / ("verification.zh.md" if lang == "zh" else "verification.md")
    pattern, name_first = KINK_EXAMPLES[lang]
    named = {}
    for match in re.findall(pattern, joined(page.read_text(encoding="utf-8"), lang)):
        name, where = match if name_first else match[::-1]
        magnitude = float(where.removeprefix(r"\pm").strip())
        named[name.lower().replace(" ", "_")] = {-magnitude, magnitude} if where.startswith(r"\pm") else {magnitude}
    for name, kinks in named.items():
        assert kinks == set(nn.activations.get(name).kinks), f"{page.name}: the kinks of {name}"
    away = {name for name in NAMES if any(k != 0 for k in nn.activations.get(name).kinks)}
    assert away <= set(named), f"{page.name} does not name the kinks of {sorted(away - set(named))}"


#: The words that say how CS231n measures, wherever a page sets CS231n's 1e-7 beside the course's threshold.
CS231N_MEASURE = {"en": ("entry by entry", "the larger of the two"), "zh": ("逐个元素", "绝对值较大的那个")}

#: A sentence that names CS231n and a threshold of 1e-7, and the sentence after it.
CS231N_THRESHOLD = r"[^.。]*CS231n[^.。]*(?:1e-7|10\^\{-7\})[^.。]*[.。][^.。]*[.。]"


@pytest.mark.parametrize("page", ["verification", "gradcheck"])
@pytest.mark.parametrize("lang", CS231N_MEASURE)
def test_the_pages_say_cs231n_measures_its_relative_error_otherwise(page, lang):
    """CS231n's 1e-7 is a threshold on each entry's difference over the larger of the two entries, not on the course's
    ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖): one gradient scores 1e-8 on the course's measure and 1e-6 entry by entry. Every sentence
    of verification.md and gradcheck.md (the tolerance table) that gives CS231n's 1e-7 says how CS231n measures."""
    g = np.array([1.0, 1e-2])
    estimate = g + np.array([0.0, 2e-8])
    course = np.linalg.norm(g - estimate) / (np.linalg.norm(g) + np.linalg.norm(estimate))
    entrywise = np.max(np.abs(g - estimate) / np.maximum(np.abs(g), np.abs(estimate)))
    assert course < 1e-7 < entrywise
    path = Path(__file__).resolve().parents[1] / "docs" / (f"{page}.zh.md" if lang == "zh" else f"{page}.md")
    sentences = re.findall(CS231N_THRESHOLD, joined(path.read_text(encoding="utf-8"), lang))
    assert sentences, f"{path.name} no longer gives CS231n's 1e-7"
    for sentence in sentences:
        assert all(words in sentence for words in CS231N_MEASURE[lang]), sentence


#: Where docs/verification.md says how many digits 1 − tanh² loses, and at which |z|.
CANCELLATION = {
    "en": r"loses about (\w+) of sixteen digits near \\\(\|z\| = (\d+)\\\)",
    "zh": r"在 \\\(\|z\| = (\d+)\\\) 附近，16 位有效数字会损失约 (\d+) 位",
}


@pytest.mark.parametrize("lang", CANCELLATION)
def test_the_digits_that_one_minus_tanh_squared_loses_at_the_edge_of_the_tested_range(lang):
    """1 − tanh(z)² is about 1.3e-3 at |z| = 4, the edge of BEND where g' is compared with SymPy: subtracting from 1
    loses log10(1 / 1.3e-3) ≈ 3 digits, which leaves float64 ~1e-13 relative, inside RTOL_SYMPY."""
    page = Path(__file__).resolve().parents[1] / "docs" / ("verification.zh.md" if lang == "zh" else "verification.md")
    found = stated(joined(page.read_text(encoding="utf-8"), lang), CANCELLATION[lang])
    digits, where = found if lang == "en" else found[::-1]
    lost = NUMBER_WORDS["en"].index(digits) if lang == "en" else int(digits)
    assert float(where) == np.max(np.abs(BEND))
    assert round(-np.log10(1 - np.tanh(float(where)) ** 2)) == lost
    assert np.finfo(float).eps * 10.0**lost < RTOL_SYMPY


#: A summary that gives g's slope on one side of 0: the slope and the side, in the English of the SymPy declaration
#: and of the numpy class's docstring (TeX there), and in the Chinese of both.
SIDE_SLOPE = {
    "en": r"slope ([\d.]+) for \\?\(?z (<|≤|\\le|\\lt) 0",
    "zh": r"z (<|≤) 0 时斜率为 ([\d.]+)",
}


def side_slopes(name):
    """(where, slope, side) for each summary of ``name`` that states a slope on one side of 0."""
    sym, act = both_sides(name)
    summaries = {
        "derivations/activations.py (en)": ("en", say(sym.summary, "en")),
        "derivations/activations.py (zh)": ("zh", say(sym.summary, "zh")),
        "nn/activations.py docstring": ("en", inspect.getdoc(type(act)).split("\n\n")[0]),
        "nn/activations.py summary_zh": ("zh", act.summary_zh),
    }
    found = []
    for where, (lang, text) in summaries.items():
        for match in re.findall(SIDE_SLOPE[lang], text):
            slope, side = match if lang == "en" else match[::-1]
            found.append((where, float(slope), "≤" if side in ("≤", r"\le") else "<"))
    return found


def test_a_summarys_slope_on_one_side_of_zero_owns_zero_exactly_when_the_code_does():
    """'slope 0.01 for z ≤ 0' says numpy's g' is 0.01 inside z < 0 and at the kink z = 0; 'for z < 0' says g'(0) is
    the other slope. Each summary that states such a slope (leaky ReLU's four do) is held to nn's g'."""
    found = {name: side_slopes(name) for name in NAMES}
    assert len(found["leaky_relu"]) == 4, found["leaky_relu"]
    for name, statements in found.items():
        act = nn.activations.get(name)
        inside, at_zero = (float(act.derivative(np.array([z]))[0]) for z in (-1.0, 0.0))
        for where, slope, side in statements:
            assert inside == slope, f"{where}: {name}'s slope for z < 0 is {inside}, not {slope}"
            assert (at_zero == slope) == (side == "≤"), (
                f"{where} says slope {slope} for z {side} 0, but nn gives {name}'(0) = {at_zero}"
            )
