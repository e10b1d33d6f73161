"""The "Your turn" exercises and the derive page's Python, in CPython: what the browser runs, judged here first.

Each exercise's answer comes from its derivation step (``exercises.answer``), never typed here; the
known mistakes must be rejected, each at a point or with a shape that shows why. The pages that hold
the boxes are checked to show them in both languages.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from html import unescape
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from derivations import exercises, playground, scaffold
from derivations.core import Step, not_chinese

DOCS = Path(__file__).resolve().parents[1] / "docs"
MISTAKES = [(key, mistake) for key, exercise in exercises.EXERCISES.items() for mistake in exercise.mistakes]
#: what the page must refuse, and a word its message must contain
REFUSED = {"__import__('os')": "unknown name", "lambda: 1": "not allowed", "z+" * 5000 + "z": "characters long"}
#: SymPy proves each judgement (0.05-2 s each): the sweep over every exercise runs with the slow tests
slow = pytest.mark.slow


@functools.cache
def _verdict(key: str, text: str) -> exercises.Verdict:
    """``exercises.check(key, text)``, reached once per answer (see ``judged_once``)."""
    return exercises.check(key, text)


@pytest.fixture
def judged_once(monkeypatch):
    """The playground judges an answer with ``exercises.check``; a test that reads the verdict and then both
    pages' replies has the playground reuse that verdict, so SymPy judges the answer once, not three times."""
    assert playground.judge is exercises.check, "the playground judges otherwise: reusing the verdict would skip it"
    monkeypatch.setattr(playground, "judge", _verdict)


@slow
@pytest.mark.parametrize("key", exercises.EXERCISES)
def test_the_derivations_own_answer_is_accepted(key):
    verdict = exercises.check(key, exercises.answer(key))
    assert verdict.status == "correct", (key, exercises.answer(key), verdict)


@slow
@pytest.mark.parametrize(("key", "mistake"), MISTAKES, ids=[f"{key}:{m.answer}" for key, m in MISTAKES])
def test_a_known_mistake_is_rejected_with_a_reason(key, mistake):
    verdict = exercises.check(key, mistake.answer)
    assert verdict.status == "wrong", (key, mistake.answer, verdict)
    assert verdict.mistake == mistake
    # a point where the two differ, or the shape rule the answer breaks
    assert verdict.point is not None or "shape" in (verdict.error or ""), verdict
    if verdict.point:
        assert verdict.yours != verdict.derived


@slow
@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("tanh-prime", "(1 - a)*(1 + a)"),
        ("dz-sigmoid-cross-entropy", "-(y - a)"),
        ("dw-m-samples", "dZ @ (A_prev / m).T"),
        ("db-m-samples", "np.sum(dZ / m, axis=1, keepdims=True)"),
    ],
)
def test_an_equivalent_form_is_accepted(key, text):
    """The comparison is symbolic, not textual."""
    assert exercises.check(key, text).status == "correct"


@pytest.mark.parametrize("text", REFUSED)
def test_an_answer_that_is_not_a_formula_is_refused(text):
    verdict = exercises.check("relu-prime-at-zero", text)
    assert verdict.status == "error"
    assert REFUSED[text] in verdict.error


#: Answers SymPy proves equal only by cancelling a division, with what each divides by and a value of the reader's
#: names where that is 0 and the derivation's answer is not: numpy computes the division as typed, 0/0 = nan.
DIVIDED_BY_ZERO = [
    ("tanh-prime", "1 - a*a*a/a", "a", {"a": 0}),
    ("tanh-prime", "1 - a**3 * a**(-1)", "a", {"a": 0}),  # a negative power divides too
    ("dz-sigmoid-cross-entropy", "(a - y)**2 / (a - y)", "a - y", None),  # 0 wherever a = y
    ("momentum-bias", "g*(1 - beta**t)**2 / (1 - beta**t)", "1 - beta**t", {"beta": 1}),
    ("dw-m-samples", "dZ*dZ/dZ @ A_prev.T / m", "dZ", None),
    ("db-m-samples", "np.sum(dZ*dZ/dZ, axis=1, keepdims=True) / m", "dZ", None),
]
#: more of them, with the slow tests (zero_divisor's own tests below hold these kinds in the everyday suite): 0 only
#: where t = 1 and β = 1, the edge of t's domain; only where t = 1 and sin(β) = −1; where m = 2, with m columns
DIVIDED_BY_ZERO_SLOW = [
    ("momentum-bias", "g*(1 - beta**t)*((beta - 1)**2 + t - 1)/((beta - 1)**2 + t - 1)", "(beta - 1)**2 + t - 1",
     {"beta": 1, "t": 1}),
    ("momentum-bias", "g*(1 - beta**t)*(t + sin(beta))/(t + sin(beta))", "t + sin(beta)", {"t": 1}),
    ("dw-m-samples", "dZ @ A_prev.T * (m - 2) / (m*(m - 2))", "m*(m - 2)", {"m": 2}),
]  # fmt: skip
#: Divisions numpy computes wherever the derivation's answer is defined: by m (a positive integer), by a sum
#: of squares or of exponentials that is positive for real values, by t or 1 + β (β and t are positive).
DIVIDED = [
    ("dw-m-samples", "dZ @ A_prev.T / m"),
    ("db-m-samples", "np.sum(dZ, axis=1, keepdims=True) / m"),
    ("dw-l2", "(dZ @ A_prev.T + lambd * W) / m"),
    ("sigmoid-prime", "a*(1 - a)*(1 + exp(-a)) / (1 + exp(-a))"),
    ("tanh-prime", "1 - a**2*(1 + a**2) / (1 + a**2)"),
    ("momentum-bias", "g*(1 - beta**t)*(1 + beta) / (1 + beta)"),
    ("momentum-bias", "g*t*(1 - beta**t) / t"),
    # no zero for any value, as SymPy's solvers show: a² − a + 1 and 2 + sin(a) over the reals, t·β² − β + 1
    # by its roots (1 ± √(1 − 4t))/2t, and an entry dZ² + 1 of any size
    ("tanh-prime", "1 - a**2*(a**2 - a + 1)/(a**2 - a + 1)"),
    ("tanh-prime", "1 - a**2*(2 + sin(a))/(2 + sin(a))"),
    ("momentum-bias", "g*(1 - beta**t)*(t*beta**2 - beta + 1)/(t*beta**2 - beta + 1)"),
    ("dw-m-samples", "dZ*(dZ*dZ + 1)/(dZ*dZ + 1) @ A_prev.T / m"),
]


@pytest.mark.parametrize(
    ("key", "text", "divisor", "zero"),
    [*DIVIDED_BY_ZERO, *(pytest.param(*case, marks=slow) for case in DIVIDED_BY_ZERO_SLOW)],
    ids=[text for _, text, _, _ in DIVIDED_BY_ZERO + DIVIDED_BY_ZERO_SLOW],
)
def test_an_answer_equal_only_once_sympy_cancels_a_division_by_zero_is_refused(key, text, divisor, zero, judged_once):
    """SymPy builds dZ*dZ/dZ as dZ; numpy gives nan at each zero entry of dZ, where dZ itself is defined. The
    refusal names the divisor and a point where it is 0, in both languages, and says what numpy does there."""
    exercise = exercises.EXERCISES[key]
    assert dataclasses.replace(exercise.the_step(), rhs=scaffold.parse(text, exercise.symbols())).holds()
    verdict = _verdict(key, text)
    assert verdict.status == "error", verdict
    assert f"divides by {divisor!r}, which is 0" in verdict.error
    assert f"答案除以 {divisor!r}" in verdict.error.zh
    assert "nan" in verdict.error
    assert "nan" in verdict.error.zh
    for name, value in (zero or {}).items():
        assert f"{name} = {value}" in verdict.error
        assert f"{name} = {value}" in verdict.error.zh
    english, chinese = (json.loads(playground.check(key, text, lang)) for lang in ("en", "zh"))
    assert english["status"] == chinese["status"] == "error"
    assert "Not accepted: the answer divides by" in unescape(english["html"])
    assert "不接受：答案除以" in unescape(chinese["html"])


@slow  # the derive page's test below holds / m and / (1 + exp(-a)) in the everyday suite
@pytest.mark.parametrize(("key", "text"), DIVIDED)
def test_a_division_by_what_cannot_be_zero_is_still_accepted(key, text):
    assert exercises.check(key, text).status == "correct"


def test_the_point_a_refusal_names_makes_the_divisor_zero_and_leaves_the_answer_defined():
    """Read back from the message: at the values it gives, the typed divisor is 0 and the derivation's dW[l] is
    a matrix of numbers."""
    exercise = exercises.EXERCISES["dw-m-samples"]
    symbols = exercise.symbols()
    division = exercises.zero_divisor("dZ*dZ/dZ @ A_prev.T / m", exercise.expected(), symbols)
    divisor, point = division.divisor, division.point
    assert divisor == "dZ"
    dZ, A_prev = (sp.Matrix(sp.sympify(point[name])) for name in ("dZ", "A_prev"))
    row, col = (int(index) for index in point["entry"].strip("[]").split(", "))
    assert dZ[row, col] == 0
    m = sp.Integer(point["m"])
    assert all(value.is_finite for value in dZ * A_prev.T / m)


#: the names of the divisor tests: Z real, m a positive integer
NAMES = {"Z": sp.Symbol("Z", real=True), "m": sp.Symbol("m", integer=True, positive=True)}
#: divisors no real Z and positive integer m make 0, which SymPy proves
NEVER_ZERO = [
    "1 + exp(-Z)", "1 + Z**2", "exp(Z)", "2*m", "m + Z**2",  # by the names' assumptions
    "Z**2 - Z + 1", "2 + sin(Z)",  # solveset over the reals finds no zero
    "m**2 - 2",  # nor over the positive integers: √2 is not one
    "m*Z**2 - Z + 1",  # of degree 2 in Z, whose roots (1 ± √(1 − 4m))/2m are not real for m ≥ 1
]  # fmt: skip
#: divisors that are 0 at some real Z and positive integer m
SOMETIMES_ZERO = [
    "1 - exp(-Z)", "1 - Z**2", "Z*exp(Z)", "m - 2", "m - Z**2", "m**2 - 3*m + 2",
    "Z**2 + m - 1",  # only at m = 1 and Z = 0, the edge of m's domain
    "m + sin(Z)",  # only at m = 1, where sin(Z) = -1
]  # fmt: skip
#: divisors SymPy neither proves nonzero nor finds 0, with a real Z where each is 0 (None: none is)
UNDECIDED = [("Z - cos(Z)", 0.7390851332151607), ("Z - sin(Z) + 1", -1.9345632107520243),
             ("exp(Z) + Z", -0.5671432904097838), ("exp(Z) - Z", None), ("cosh(Z) - Z", None)]  # fmt: skip


def test_a_size_solved_for_is_the_size_of_the_matrices_at_the_point_shown():
    """m − 2 is 0 at m = 2: the matrices of the point shown have m = 2 columns, as numpy would have them."""
    exercise = exercises.EXERCISES["dw-m-samples"]
    division = exercises.zero_divisor("dZ @ A_prev.T * (m - 2) / (m*(m - 2))", exercise.expected(), exercise.symbols())
    assert division.point["m"] == "2"
    assert all(sp.Matrix(sp.sympify(division.point[name])).cols == 2 for name in ("dZ", "A_prev"))


@pytest.mark.parametrize("divisor", NEVER_ZERO)
def test_a_divisor_sympy_proves_never_zero_is_passed(divisor):
    """/(1 + exp(−Z)) as the sigmoid writes it, / m, and divisors whose zeros SymPy's solvers show are not real,
    or not positive integers for m."""
    assert exercises.zero_divisor(f"Z / ({divisor})", NAMES["Z"], NAMES) is None


@pytest.mark.parametrize("divisor", SOMETIMES_ZERO)
def test_a_divisor_that_is_zero_somewhere_is_refused_at_a_point_where_it_is_zero(divisor):
    """Read back from the refusal: at its values, Z is real, m a positive integer, and the typed divisor is 0."""
    division = exercises.zero_divisor(f"Z / ({divisor})", NAMES["Z"], NAMES)
    assert division is not None
    assert division.divisor == divisor
    assert division.point is not None, division
    values = {NAMES[name]: sp.sympify(value) for name, value in division.point.items()}
    assert values[NAMES["Z"]].is_real
    assert values[NAMES["m"]].is_integer
    assert values[NAMES["m"]].is_positive
    assert sp.simplify(scaffold.parse(divisor, NAMES).xreplace(values)) == 0


@pytest.mark.parametrize(("divisor", "root"), UNDECIDED, ids=[d for d, _ in UNDECIDED])
def test_a_divisor_sympy_cannot_decide_is_undecided_never_passed(divisor, root):
    """Z − cos(Z) is 0 near Z = 0.739, where numpy would give nan, and exp(Z) − Z is never 0, but SymPy settles
    neither: both are undecided, named, with no point."""
    assert exercises.zero_divisor(f"Z / ({divisor})", NAMES["Z"], NAMES) == exercises.Division(divisor)
    value = scaffold.parse(divisor, NAMES)
    if root is not None:  # a real zero: passing this divisor would let numpy's nan through
        assert abs(float(value.subs(NAMES["Z"], root))) < 1e-12
    else:  # exp(Z) − Z ≥ 1 and cosh(Z) − Z > 0.5 on a grid that covers where they are smallest
        assert min(map(sp.lambdify(NAMES["Z"], value, "math"), (z / 10 for z in range(-50, 51)))) > 0.5


def test_a_matrix_divisor_is_passed_only_when_every_entry_of_every_size_is_proved_nonzero():
    """X*X + 1 is x² + 1 > 0 in each entry. X − X.T + 1 is 1 on the diagonal but X[i, j] − X[j, i] + 1 off it,
    which is 0 where X[j, i] = X[i, j] + 1; a row sum of squares plus 1 is positive, but SymPy's proof would hold
    only for the sizes it tried. Neither of the last two is passed."""
    n = sp.Symbol("n", integer=True, positive=True)
    X = sp.MatrixSymbol("X", n, n)
    assert exercises.zero_divisor("X / (X*X + 1)", X, {"X": X}) is None
    assert exercises.zero_divisor("X / (X - X.T + 1)", X, {"X": X}) is not None
    rows = "np.sum(X, axis=1, keepdims=True) / (np.sum(X*X, axis=1, keepdims=True) + 1)"
    assert exercises.zero_divisor(rows, X * sp.OneMatrix(n, 1), {"X": X}) is not None


def test_an_answer_equal_only_by_cancelling_a_division_sympy_cannot_decide_is_undecided_in_both_languages(judged_once):
    """1 − a²·(a − cos a)/(a − cos a): SymPy proves it is 1 − a² once the division is cancelled, but neither proves
    a − cos(a) nonzero nor finds its zero near a = 0.739, so the answer is neither accepted nor refused, and the
    message names the divisor."""
    key, text = "tanh-prime", "1 - a**2*(a - cos(a))/(a - cos(a))"
    exercise = exercises.EXERCISES[key]
    assert dataclasses.replace(exercise.the_step(), rhs=scaffold.parse(text, exercise.symbols())).holds()
    verdict = _verdict(key, text)
    assert (verdict.status, verdict.point) == ("undecided", None)
    assert "divides by 'a - cos(a)', and SymPy can neither prove that it is never 0 nor find" in verdict.error
    assert "答案除以 'a - cos(a)'，而 SymPy 既不能证明它永不为 0，也找不到" in verdict.error.zh
    english, chinese = (json.loads(playground.check(key, text, lang)) for lang in ("en", "zh"))
    assert english["status"] == chinese["status"] == "undecided"
    assert "? Undecided: the answer divides by 'a - cos(a)'" in unescape(english["html"])
    assert "? 无法判定：答案除以 'a - cos(a)'" in unescape(chinese["html"])
    for html, verdicts in ((english, ("Right", "Not accepted", "Not yet")), (chinese, ("正确", "不接受", "还不对"))):
        assert not any(word in html["html"] for word in verdicts), html


@slow
def test_a_divisor_zero_only_outside_its_names_domain_is_still_undecided_not_refused():
    """β² + t − 1 is 0 only at t = 1 and β = 0, and β > 0: it is never 0, but SymPy does not prove so. The answer
    is undecided, never refused at a point outside β's domain nor accepted."""
    verdict = exercises.check("momentum-bias", "g*(1 - beta**t)*(beta**2 + t - 1)/(beta**2 + t - 1)")
    assert (verdict.status, verdict.point) == ("undecided", None)
    assert "'beta**2 + t - 1'" in verdict.error


#: the divisions derive.md and its twin spell, with the exercise that judges each and the verdict it gets there
DIVISIONS_ON_THE_PAGE = [
    ("/ m", "dw-m-samples", "dZ @ A_prev.T / m", "correct"),
    ("/ (1 + exp(-a))", "sigmoid-prime", "a*(1 - a)*(1 + exp(-a)) / (1 + exp(-a))", "correct"),
    ("/ (a**2 - a + 1)", "tanh-prime", "1 - a**2*(a**2 - a + 1) / (a**2 - a + 1)", "correct"),
    ("dZ*dZ/dZ", "dw-m-samples", "dZ*dZ/dZ @ A_prev.T / m", "error"),
    ("(beta - 1)**2 + t - 1", "momentum-bias", "g*(1 - beta**t)*((beta - 1)**2 + t - 1)/((beta - 1)**2 + t - 1)",
     "error"),
    ("/ (a - cos(a))", "tanh-prime", "1 - a**2*(a - cos(a)) / (a - cos(a))", "undecided"),
    ("/ (exp(a) - a)", "tanh-prime", "1 - a**2*(exp(a) - a) / (exp(a) - a)", "undecided"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("spelled", "key", "text", "status"), DIVISIONS_ON_THE_PAGE, ids=[d[0] for d in DIVISIONS_ON_THE_PAGE]
)
def test_the_derive_page_states_the_division_rule_the_judge_applies(spelled, key, text, status):
    """derive.md and its twin: / m is read as usual, dZ*dZ/dZ is refused, / (a - cos(a)) is undecided; each
    example the page gives is judged as the page says, and each is 0 where the page says so."""
    for name in ("derive.md", "derive.zh.md"):
        assert f"`{spelled}`" in (DOCS / name).read_text(encoding="utf-8"), name
    assert exercises.check(key, text).status == status


def test_the_divisors_the_page_gives_are_zero_where_it_says():
    """a − cos(a) changes sign between a = 0.73 and 0.74, so it is 0 near 0.739, as both pages say; exp(a) − a has
    its least value 1 (at a = 0); (β − 1)² + t − 1 is 0 at t = 1, β = 1."""
    a, beta, t = sp.symbols("a beta t", real=True)
    assert (a - sp.cos(a)).subs(a, sp.Rational(73, 100)) < 0 < (a - sp.cos(a)).subs(a, sp.Rational(74, 100))
    assert all("a = 0.739" in (DOCS / name).read_text(encoding="utf-8") for name in ("derive.md", "derive.zh.md"))
    assert sp.minimum(sp.exp(a) - a, a) == 1
    assert ((beta - 1) ** 2 + t - 1).subs({beta: 1, t: 1}) == 0


#: Where derive.md lists the names' assumptions, in each language.
ASSUMPTIONS = {
    "derive.md": ("m and t are positive integers", "β is positive"),
    "derive.zh.md": ("m 和 t 是正整数", "β 为正"),
}


def test_the_derive_page_gives_the_assumptions_its_zero_of_a_divisor_needs():
    """(β − 1)² + t − 1 is 0 only at t = 1 and β = 1 because t is a positive integer, as the exercise declares it
    (over the reals t = 3/4, β = 3/2 is a zero too); the page lists t with m among the positive integers and β as
    positive."""
    beta, t = sp.symbols("beta t", positive=True)
    divisor = (beta - 1) ** 2 + t - 1
    assert divisor.subs({beta: sp.Rational(3, 2), t: sp.Rational(3, 4)}) == 0
    assert sp.expand(divisor - (beta - 1) ** 2) == t - 1  # a square plus t − 1 ≥ 0: 0 only at β = 1 and t = 1
    names = exercises.EXERCISES["momentum-bias"].symbols()  # the exercise whose answer the page divides so
    assert (names["t"].is_integer, names["t"].is_positive, names["beta"].is_positive) == (True, True, True)
    for page, said in ASSUMPTIONS.items():
        text = " ".join((DOCS / page).read_text(encoding="utf-8").split())
        assert all(words in text for words in said), page


def test_there_are_ten_exercises_across_the_derivation_pages_in_both_languages():
    pages = {exercise.page for exercise in exercises.EXERCISES.values()}
    assert len(exercises.EXERCISES) == 10
    assert len(pages) == 5
    for page in pages:
        assert f'exercises_html("{page}")' in (DOCS / f"{page}.md").read_text()
        assert f'exercises_html("{page}", "zh")' in (DOCS / f"{page}.zh.md").read_text()


@slow
@pytest.mark.parametrize("key", exercises.EXERCISES)
def test_the_box_keeps_the_answer_hidden(key):
    for lang in ("en", "zh"):
        box = playground.exercise_box(key, lang)
        assert 'class="exercise ' in box
        assert "<input" in box
        assert "<button" in box
        assert "<math" not in box
    shown = json.loads(playground.reveal(key, "zh"))
    assert shown["status"] == "shown"
    assert "<math" in shown["html"]


@slow
def test_a_new_activation_derives_with_verified_steps():
    reply = json.loads(playground.derive("z / (1 + z**2)", "zh"))
    assert reply["status"] == "done"
    assert "<msup><mi>g</mi><mo>′</mo></msup>" in reply["html"]
    assert 'data-holds="false"' not in reply["html"]
    assert "✓" in reply["html"]
    assert "导数" in reply["html"]
    assert "def derivative(Z)" in reply["html"]


@slow
def test_relu_typed_as_max_takes_the_registrys_convention():
    """max(0, z) becomes a Piecewise whose branch z ≤ 0 owns 0: g′(0) = 0, the left slope, as the registry's relu."""
    reply = json.loads(playground.derive("max(0, z)"))
    assert reply["status"] == "done"
    assert 'data-holds="false"' not in reply["html"]
    assert "the convention is g′(0) = 0 (the left-hand slope)" in reply["html"]


def test_one_right_and_one_wrong_answer_are_judged():
    """The cheap everyday pair (relu′(0) is one substitution); the slow sweep judges every exercise."""
    assert exercises.check("relu-prime-at-zero", exercises.answer("relu-prime-at-zero")).status == "correct"
    wrong = exercises.check("relu-prime-at-zero", "1")
    assert wrong.status == "wrong"
    assert (wrong.yours, wrong.derived) == ("1", "0")


@pytest.mark.parametrize("text", REFUSED)
def test_the_derive_page_refuses_what_is_not_a_formula(text):
    reply = json.loads(playground.derive(text))
    assert reply["status"] == "error"
    assert REFUSED[text] in reply["html"]


@pytest.mark.parametrize("key", exercises.EXERCISES)
def test_every_question_and_mistake_is_written_in_chinese_too(key):
    exercise = exercises.EXERCISES[key]
    for text in (exercise.question, *(mistake.why for mistake in exercise.mistakes)):
        assert not_chinese(text, text.zh) is None, not_chinese(text, text.zh)


@pytest.mark.parametrize("key", exercises.EXERCISES)
def test_a_question_names_the_entries_the_step_differentiates(key):
    """An entry the reader types by its bare name (a for a[q]) is the entry the question names (a_q), in both
    languages, so the question's indices are the derivation's."""
    exercise = exercises.EXERCISES[key]
    entries = [entry for entry in exercise.symbols().values() if isinstance(entry, sp.Indexed)]
    for entry in entries:
        named = f"{entry.base}_{'_'.join(map(str, entry.indices))}"
        for question in (exercise.question, exercise.question.zh):
            assert named in question, (key, named, question)


#: an identity SymPy does not simplify: cos(π/7) + cos(3π/7) + cos(5π/7) = 1/2
IDENTITY = "cos(pi/7) + cos(3*pi/7) + cos(5*pi/7) - 1/2"


def test_values_that_are_equal_in_a_form_sympy_does_not_simplify_do_not_count_as_a_difference():
    half = exercises.parse(IDENTITY.removesuffix(" - 1/2"), {})
    assert not exercises._differ(half, sp.Rational(1, 2))
    assert exercises._differ(half, sp.Rational(1, 2) + sp.Rational(1, 10**15))


@slow
def test_a_right_answer_sympy_does_not_prove_is_undecided_not_wrong():
    """Neither proved nor shown to differ at a point: the page says so, and shows no made-up difference."""
    verdict = exercises.check("momentum-bias", f"g*(1 - beta**t) + {IDENTITY}")
    assert (verdict.status, verdict.point) == ("undecided", None)


def test_an_answer_neither_proved_nor_told_apart_at_a_point_is_undecided_in_both_languages(judged_once):
    """max(0, beta - 1) is 0 for every β ≤ 1 SymPy tries, but SymPy proves nothing about the symbol beta."""
    text = "g*(1 - beta**t) + max(0, beta - 1)"
    assert _verdict("momentum-bias", text).status == "undecided"
    english, chinese = (json.loads(playground.check("momentum-bias", text, lang)) for lang in ("en", "zh"))
    assert english["status"] == chinese["status"] == "undecided"
    assert "Undecided" in english["html"]
    assert "无法判定" in chinese["html"]
    assert "Not yet" not in english["html"]
    assert "还不对" not in chinese["html"]


def test_a_wrong_answer_with_no_names_shows_its_value_and_the_derivations():
    english, chinese = (json.loads(playground.check("relu-prime-at-zero", "1", lang))["html"] for lang in ("en", "zh"))
    assert "Yours gives 1, the derivation gives 0." in english
    assert "你的答案给出 1，推导给出 0。" in chinese


@pytest.mark.parametrize("text", ["1/z", "log(z)"])
def test_a_formula_without_branches_is_not_called_smooth_everywhere(text):
    """1/z and log(z) have no kink to take a convention at, but they are not smooth at 0."""
    for lang in ("en", "zh"):
        html = json.loads(playground.derive(text, lang))["html"]
        assert "smooth" not in html.lower()  # the scaffold's draft included
        assert "光滑" not in html
        assert "no branches" in html or "不含分支" in html


def test_a_step_sympy_does_not_prove_is_marked_unproved_not_false(monkeypatch):
    monkeypatch.setattr(Step, "holds", lambda step: False)
    html = json.loads(playground.derive("z**2"))["html"]
    assert 'data-holds="false"' in html
    assert "✗" not in html
    assert '<span class="playground-mark">?</span>' in html


def test_a_value_at_a_point_is_drawn_with_a_bar_not_as_sympys_subs_call():
    """relu′(0) is the step's (d/dz relu(z))|_{z=0}; SymPy's MathML printer would write subs(…, (z), (0))."""
    html = json.loads(playground.check("relu-prime-at-zero", "1"))["html"]
    assert "subs" not in html
    assert '<mo stretchy="true">|</mo></mrow><mrow><mi>z</mi><mo>=</mo><mn>0</mn></mrow></msub>' in html


@slow
def test_a_size_is_given_other_values_so_a_constant_in_its_place_is_told_apart():
    """dZ @ A_prev.T / 3 agrees with the derivation wherever m = 3: another m shows the difference."""
    verdict = exercises.check("dw-m-samples", "dZ @ A_prev.T / 3")
    assert verdict.status == "wrong"
    assert verdict.point["m"] != "3"


def test_the_second_derivative_is_written_d2_over_dz2():
    """d²/dz² g(z): the power on z in the denominator, not on its d (SymPy's MathML printer puts it there)."""
    html = json.loads(playground.derive("z**3"))["html"]
    assert "<mrow><mo>&dd;</mo><msup><mi>z</mi><mn>2</mn></msup></mrow></mfrac>" in html
    assert "<msup><mo>&dd;</mo><mn>2</mn></msup><mi>z</mi>" not in html


def test_the_shown_answer_brackets_a_product_of_matrices_but_not_one_matrix():
    assert exercises.answer("dw-l2") == "(lambd/m) * W + (1/m) * (dZ @ A_prev.T)"


@pytest.mark.parametrize("text", ["W / m.T", "(1/m).T * W"])
def test_the_parser_refuses_to_transpose_a_number(text):
    names = {"m": sp.Symbol("m"), "W": sp.MatrixSymbol("W", 2, 3)}
    with pytest.raises(scaffold.ScaffoldError) as refused:
        scaffold.parse(text, names)
    english, chinese = (scaffold.explain(refused.value, lang, exercises.ANSWER) for lang in ("en", "zh"))
    assert english.startswith("'.T' transposes a matrix; ")
    assert chinese.startswith("'.T' 用来转置矩阵，而 ")


@slow
@pytest.mark.parametrize("text", ["dZ @ A_prev.T / m.T", "(1/m).T * (dZ @ A_prev.T)"])
def test_a_transposed_number_is_refused_in_both_languages(text):
    """.T is numpy's transpose of a matrix; on a number it is refused with a message, not Python's AttributeError."""
    english, chinese = (json.loads(playground.check("dw-m-samples", text, lang)) for lang in ("en", "zh"))
    assert english["status"] == chinese["status"] == "error"
    assert "'.T' transposes a matrix" in unescape(english["html"])
    assert "用来转置矩阵" in chinese["html"]


@pytest.mark.parametrize("text", ["exp(W)", "abs(W) / m", "max(W, 0)"])
def test_the_parser_refuses_a_function_of_a_matrix(text):
    """exp(W) would be a number to SymPy, and abs(W) a matrix power: neither is numpy's entrywise function."""
    names = {"m": sp.Symbol("m"), "W": sp.MatrixSymbol("W", 2, 3)}
    with pytest.raises(scaffold.ScaffoldError) as refused:
        scaffold.parse(text, names)
    assert "takes numbers, not matrices" in scaffold.explain(refused.value, "en")
    assert "只接受数，不接受矩阵" in scaffold.explain(refused.value, "zh")


def test_whatever_python_raises_while_judging_is_answered_in_the_pages_language(monkeypatch):
    def fail(key, text):
        raise AttributeError("'MatPow' object has no attribute 'name'")

    monkeypatch.setattr(playground, "judge", fail)
    reply = json.loads(playground.check("relu-prime-at-zero", "1", "zh"))
    assert reply["status"] == "error"
    assert "SymPy 无法算出它" in reply["html"]


#: db[l] typed as course code writes it: proved right, or wrong at a point or by its shape (each judged in
#: 0.01-0.2 s, so in the everyday suite)
DB = [
    ("np.sum(dZ, axis=1, keepdims=True) / m", "correct"),
    ("1./m * np.sum(dZ, axis = 1, keepdims = True)", "correct"),
    ("dZ.sum(axis=1, keepdims=True) / m", "correct"),
    ("numpy.sum(dZ, 1, keepdims=True) / m", "correct"),
    ("np.mean(dZ, axis=1, keepdims=True)", "correct"),
    ("np.sum(dZ, axis=-1, keepdims=True) / m", "correct"),
    ("np.sum(dZ.T, axis=0, keepdims=True).T / m", "correct"),
    ("np.sum(dZ, axis=1, keepdims=True) / 3", "wrong"),  # right only where m = 3
    ("np.sum(dZ, axis=1, keepdims=True)", "wrong"),
    ("dZ.sum(axis=0, keepdims=True) / m", "wrong"),
    ("np.sum(dZ, axis=1).T / m", "wrong"),  # .T of a 1-D array makes no column
    ("np.sum(dZ, axis=None, keepdims=True) / m", "wrong"),  # (1, 1)
    ("np.mean(dZ)", "wrong"),
]


@pytest.mark.parametrize(("text", "status"), DB, ids=[text for text, _ in DB])
def test_db_typed_as_course_code_is_judged_as_numpy_computes_it(text, status):
    verdict = exercises.check("db-m-samples", text)
    assert verdict.status == status, verdict
    if status == "wrong":  # at a point, or by the shape numpy gives
        assert verdict.point is not None or "but db[l] is (n[l], 1)" in verdict.error, verdict


@pytest.mark.parametrize(
    ("text", "mistake"),
    [
        ("dZ.sum(axis=0, keepdims=True) / m", "np.sum(dZ, axis=0, keepdims=True) / m"),
        ("1/m * dZ.sum(1)", None),  # the same 1-D array, typed otherwise: still wrong, with no hint for another form
        ("dZ.sum(axis=1) / m", "np.sum(dZ, axis=1) / m"),
        ("numpy.sum(dZ, axis=1, keepdims=True)", "np.sum(dZ, axis=1, keepdims=True)"),
        ("dZ.sum() / m", "np.sum(dZ) / m"),
    ],
)
def test_a_known_db_mistake_typed_as_a_method_is_named(text, mistake):
    verdict = exercises.check("db-m-samples", text)
    assert verdict.status == "wrong"
    assert (verdict.mistake and verdict.mistake.answer) == mistake


def test_the_db_hints_say_the_shapes_numpy_gives():
    """The hints' shapes, for n[l] = 3 units and m = 5 samples: axis=0 gives a (1, m) row, a sum without keepdims
    an (n[l],) array that b[l] - α db[l] spreads into (n[l], n[l]), dZ / m keeps (n[l], m), and no axis a number."""
    hints = {mistake.answer: mistake.why for mistake in exercises.EXERCISES["db-m-samples"].mistakes}
    n, m = 3, 5
    dZ, b = np.ones((n, m)), np.zeros((n, 1))
    assert np.sum(dZ, axis=0, keepdims=True).shape == (1, m)
    assert "(1, m) row" in hints["np.sum(dZ, axis=0, keepdims=True) / m"]
    assert (b - 0.1 * (np.sum(dZ, axis=1) / m)).shape == (n, n)
    assert "broadcasts into an (n[l], n[l]) matrix" in hints["np.sum(dZ, axis=1) / m"]
    assert (dZ / m).shape == (n, m)
    assert "(n[l], m)" in hints["dZ / m"]
    assert np.ndim(np.sum(dZ) / m) == 0
    assert "one number" in hints["np.sum(dZ) / m"]
