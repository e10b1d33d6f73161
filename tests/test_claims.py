"""Three-valued claims: each answer SymPy gives the docs agrees with numeric evidence from numpy.

A "yes" must hold at every point of a dense grid, a "no" must come with a counterexample that the
numpy activation confirms, and an unsolved question must be shown as undecided, never as yes or no.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

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
