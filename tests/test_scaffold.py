"""The activation scaffold: a safe parser, and generated code that agrees with SymPy.

The parser must build SymPy objects only from whitelisted syntax (never ``eval``), so each
malicious input below must be rejected with a message naming what broke the rule.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from derivations import scaffold
from derivations.activations import z

POINTS = np.array([-3.7, -1.2, -0.3, 0.4, 1.1, 2.9])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("z / (1 + z**2)", z / (1 + z**2)),
        ("z * sigmoid(z)", z / (1 + sp.exp(-z))),
        ("-z + 0.044715 * z**3", -z + sp.Rational(44715, 1000000) * z**3),
        ("z/2 * (1 + erf(z / sqrt(2)))", z / 2 * (1 + sp.erf(z / sp.sqrt(2)))),
        ("max(z, 0) + min(abs(z), pi) - E", sp.Max(z, 0) + sp.Min(sp.Abs(z), sp.pi) - sp.E),
        ("log(cosh(z)) + tanh(z) * sinh(z) + sin(z) * cos(z) + exp(-z**2)",
         sp.log(sp.cosh(z)) + sp.tanh(z) * sp.sinh(z) + sp.sin(z) * sp.cos(z) + sp.exp(-(z**2))),
    ],
)  # fmt: skip
def test_parser_accepts_formulas(text, expected):
    assert scaffold.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("__import__('os').system('x')", ".system"),
        ("__import__('os')", "__import__"),
        ("z.__class__", ".__class__"),
        ("open('f')", "open"),
        ("lambda: 1", "lambda: 1"),
        ('"s"', '"s"'),
        ("z[0]", "z[0]"),
        ("exp(z, base=2)", "exp(z, base=2)"),
        ("[z for z in ()]", "[z for z in ()]"),
        ("9**9**9", "9**9"),
        ("y + z", "y"),
        ("z +", "not a formula"),
    ],
)
def test_parser_rejects_everything_else(text, named):
    with pytest.raises(scaffold.ScaffoldError, match=r"not allowed|unknown name|too large|not a formula") as error:
        scaffold.parse(text)
    assert named in str(error.value)


@pytest.mark.parametrize("name", ["relu", "gelu", "2fast", "class"])
def test_names_must_be_new_identifiers(name):
    with pytest.raises(scaffold.ScaffoldError, match=r"already registered|identifier"):
        scaffold.scaffold(name, "z")


@pytest.mark.parametrize("text", ["z / (1 + z**2)", "z * sigmoid(z)", "z * erf(z)", "max(z, 0)**2 + abs(z)"])
def test_generated_code_agrees_with_sympy(text):
    result = scaffold.scaffold("drafted", text)
    captured = {}
    exec(compile(result.symbolic, "<register>", "exec"),
         {"sp": sp, "z": z, "register": lambda name, expr, summary, **options: captured.update(expr=expr)})  # fmt: skip
    assert sp.simplify(captured["expr"] - scaffold.parse(text)) == 0
    namespace = {"np": np, "math": math, "Activation": object}
    exec(compile(result.numpy, "<class>", "exec"), namespace)
    drafted = namespace["Drafted"]
    assert drafted.name == "drafted"
    activation = scaffold.SymbolicActivation("drafted", scaffold.parse(text), "")
    for n, method in enumerate(("forward", "derivative", "second_derivative")):
        np.testing.assert_allclose(getattr(drafted, method)(POINTS), activation.numeric(n)(POINTS), rtol=1e-12)
    analytic = "abs" not in text
    assert ("analytic=False" in result.symbolic) is not analytic
    assert bool(result.notes) is not analytic
    assert "python3 dev.py test -k drafted" in result.text()
