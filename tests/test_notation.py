"""The notation the site prints: the course's order of terms, and ℒ for the loss (L counts layers)."""

from __future__ import annotations

import re

import pytest

import derivations
from derivations.core import tex

COURSE_FORMS = {
    "linear.chain_tanh": r"\mathbf{1}_{n^{[1]} \times m} - {\left(A^{[1]}\right)}^{\circ 2}",  # not −A² + 1
    "activation.tanh": "1 - a^{2}",
    "activation.sigmoid": r"a \left(1 - a\right)",
    "output.sigmoid_bce": "a - y",
    "output.mse": r"2 \left({a}_{p} - {y}_{p}\right)",
}


@pytest.mark.parametrize("key", COURSE_FORMS)
def test_results_print_in_the_course_form(key):
    assert COURSE_FORMS[key] in tex(derivations.get(key).result.rhs)


def test_the_display_order_leaves_the_expression_alone():
    """Only the printers reorder: the result is still SymPy's own sum, −A² + 1, which test_derivations proves."""
    chain = derivations.get("linear.chain_tanh")
    assert "(1 - A[1]^∘2)" in chain.result.text()
    assert "-HadamardPower(A[1], 2) + 1" in str(chain.result.rhs)


@pytest.mark.parametrize("key", [key for key in derivations.keys() if key.startswith("output.")])
def test_the_loss_of_one_sample_is_script_l(key):
    """L is the number of layers; a derivation that names the loss writes ℒ, in TeX and in text."""
    d = derivations.get(key)
    text = d.latex() + d.text()
    assert not re.search(r"\\partial L\b|(?<![\[\w\\])L\{?\\left\(|∂L/|\bL = ", text), text
