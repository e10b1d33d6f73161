"""Three-valued claims: each answer SymPy gives the docs agrees with numeric evidence from numpy.

A "yes" must hold at every point of a dense grid, a "no" must come with a counterexample that the
numpy activation confirms, and an unsolved question must be shown as undecided, never as yes or no.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from support import assert_page_says

import nn
from derivations import activations, claims
from tests.test_translations import assert_translated

#: A dense grid over where the activations bend, with exact 0 and the grid's neighbours of 0,
#: plus seeded random points; a sign change is between two float64 numbers, so no tolerance.
GRID = np.union1d(np.linspace(-8, 8, 4001), np.random.default_rng(0).uniform(-50, 50, 2000))
GRID = np.union1d(GRID, [0.0, 1e-300, -1e-300, 1e-8, -1e-8])  # not subnormals: z/2 rounds to 0


def assert_agrees_with_numpy(name):
    claim = claims.positive_exactly_where_z_is(activations.get(name))
    g = nn.activations.get(name).forward
    disagree = (g(GRID) > 0) != (GRID > 0)
    if claim.verdict == claims.PROVED:
        assert not disagree.any(), f"{name}: proved, yet g > 0 and z > 0 disagree at z = {GRID[disagree][:5]}"
    elif claim.verdict == claims.DISPROVED:
        at = np.array([float(claim.counterexample)])
        assert (g(at) > 0) != (at > 0), f"{name}: the counterexample z = {at[0]} does not hold in numpy"
    else:
        assert claim.verdict == claims.UNDECIDED


@pytest.mark.slow
def test_gelu_is_positive_exactly_for_positive_z():
    """The table once printed "no" for GELU because SymPy's answer was an unsolved ConditionSet."""
    assert_agrees_with_numpy("gelu")
    claim = claims.positive_exactly_where_z_is(activations.get("gelu"))
    assert claim.verdict == claims.PROVED
    assert_translated(claim.reason, "the factor proof's reason")


def test_an_unsolved_question_is_undecided_and_shown_so():
    """erf(z) + 1/2 > 0: SymPy returns it unsolved and no proof applies, so neither yes nor no."""
    act = activations.SymbolicActivation("erf_test", sp.erf(activations.z) + sp.Rational(1, 2), "")
    claim = claims.positive_exactly_where_z_is(act)
    assert (claim.verdict, claim.shown) == (claims.UNDECIDED, "undecided")
    assert_translated(claim.reason, "an undecided claim's reason")


@pytest.mark.slow
def test_the_factor_proof_gives_each_bounded_term_its_own_bound():
    """tanh(z) erf(z) + 1/2 is positive, but not because (q - 1)² + 1/2 is: one q for both would be unsound."""
    z = activations.z
    act = activations.SymbolicActivation("product_test", z * (sp.tanh(z) * sp.erf(z) + sp.Rational(1, 2)), "")
    assert claims.positive_exactly_where_z_is(act).verdict == claims.UNDECIDED


def test_a_verdict_outside_the_three_is_refused():
    with pytest.raises(ValueError, match="proved, disproved or undecided"):
        claims.Claim("no", "not a verdict")


@pytest.mark.slow
@pytest.mark.parametrize("name", activations.names())
def test_every_row_of_the_mask_table_agrees_with_numpy(name):
    assert_agrees_with_numpy(name)


@pytest.mark.slow
def test_the_generated_mask_table_agrees_with_numpy():
    """The page's own table: a "yes" must hold on the whole grid, a "no" must fail somewhere on it."""
    from tests.test_docs_build import site

    rows = [line.split(" | ") for line in site.output_forms_table().splitlines()[2:] if line]
    assert [row[0].strip("| ") for row in rows] == activations.names()
    for row in rows:
        name, answer = row[0].strip("| "), row[2]
        g = nn.activations.get(name).forward
        disagree = ((g(GRID) > 0) != (GRID > 0)).any()
        if answer.startswith("yes"):
            assert not disagree, f"{name}: the table says yes, the grid disagrees"
        elif answer.startswith("no"):
            assert disagree, f"{name}: the table says no, yet g > 0 exactly where z > 0 on the whole grid"
        else:
            assert answer.startswith("undecided"), f"{name}: {answer!r} is not yes, no or undecided"


# docs/hidden-layers.md, "From Z or from A?": the bullets on the activations whose g' no mask or formula on A gives.

DOCS = Path(__file__).resolve().parents[1] / "docs"
#: The non-monotonic activations the page names, as it writes them in each language.
NON_MONOTONIC = {
    "hidden-layers.md": re.compile(r"such as \*\*(\w+)\*\*, \*\*(\w+)\*\* and \*\*(\w+)\*\*, one output value"),
    "hidden-layers.zh.md": re.compile(r"对 \*\*(\w+)\*\*、\*\*(\w+)\*\*、\*\*(\w+)\*\* 这类非单调的激活函数"),
}


def _solve(g, level, low, high):
    """The z in [low, high] where the monotonic g crosses ``level``, by bisection to the last bit."""
    rising = g(np.array([high]))[0] > g(np.array([low]))[0]
    for _ in range(200):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if (g(np.array([middle]))[0] < level) == rising:
            low = middle
        else:
            high = middle
    return low


@pytest.mark.parametrize("page", sorted(NON_MONOTONIC))
def test_the_activations_the_page_calls_non_monotonic_give_one_output_two_slopes(page):
    """Each activation named there takes one output value at two inputs, where its slopes have opposite signs:
    no function of the output alone can be its g'."""
    (found,) = NON_MONOTONIC[page].findall((DOCS / page).read_text(encoding="utf-8"))
    for shown in found:
        g = nn.activations.get(shown.lower())
        z = np.linspace(-8, 0, 80001)
        dip = int(np.argmin(g.forward(z)))
        assert 0 < dip < len(z) - 1, f"{shown}: no minimum below 0, so it is monotonic there"
        level = g.forward(z[dip : dip + 1])[0] / 2  # halfway up from the minimum to g(0) = 0
        left, right = _solve(g.forward, level, z[0], z[dip]), _solve(g.forward, level, z[dip], 0.0)
        values, slopes = g.forward(np.array([left, right])), g.derivative(np.array([left, right]))
        np.testing.assert_allclose(values[0], values[1], rtol=1e-9)
        assert slopes[0] < 0 < slopes[1], f"{shown}: slopes {slopes} at z = {left}, {right}"


def test_elu_has_an_output_form_with_a_formula_on_each_side_of_0():
    """The page: ELU's g' is a function of a, but a different one on each side of 0 (1, and a + 1 for α = 1),
    so neither a mask on A nor one formula in a gives it."""
    assert_page_says(
        "hidden-layers",
        ("for **ELU**, an output form exists but is a different formula on each side of 0",),
        ("对 **ELU**，用输出表示的形式存在，但在 0 的两侧是不同的公式",),
    )
    elu = nn.activations.get("elu")
    a, slope = elu.forward(GRID), elu.derivative(GRID)
    np.testing.assert_allclose(slope, np.where(a > 0, 1.0, a + 1.0), rtol=1e-12, atol=1e-15)
    for one_formula in (np.ones_like(a), a + 1.0, (a > 0).astype(float)):
        assert not np.allclose(slope, one_formula, rtol=1e-12, atol=1e-15)
