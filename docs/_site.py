r"""Page generators for the docs: each function returns Markdown for a markdown-exec block to print.

Everything shown is computed at build time from ``derivations`` (SymPy) and ``nn`` (numpy):
formulas, verification status, shapes, plots and code. Nothing here restates a formula.
``docs/hooks.py`` puts this directory on ``sys.path`` and turns the TeX into MathML.
"""

from __future__ import annotations

import dataclasses
import inspect
import io
import re
from functools import cache

import sympy as sp

import derivations
from derivations import activations, claims
from derivations.core import symbol, tex
from nn import activations as numpy_activations


def anchor(key: str) -> str:
    """The HTML id of a derivation's heading, e.g. ``output-sigmoid_bce``."""
    return key.replace(".", "-")


@cache
def verification(key: str) -> derivations.Verification:
    """Run a derivation's SymPy proof and numeric check once per build."""
    return derivations.get(key).verify(seed=0)


def status(key: str) -> str:
    """An admonition with the verification outcome, computed now."""
    outcome = verification(key)
    if outcome.numeric_error is None:
        numeric = "No finite-difference check applies to this derivation."
    else:
        numeric = f"Finite-difference check at a random point: relative error {outcome.numeric_error:.1e}."
    if outcome.ok:
        steps = len(tuple(derivations.get(key).all_steps()))
        return (
            f'!!! success "Verified when this page was built"\n\n'
            f"    ✓ SymPy proof passed: all {steps} steps hold. {numeric}\n"
        )
    failed = "\n".join(f"    - `{failed_step}`" for failed_step in outcome.failed_steps)
    return (
        f'!!! failure "Verification failed when this page was built"\n\n'
        f"    ✗ SymPy could not prove:\n\n{failed}\n\n    {numeric}\n"
    )


def derivation(key: str, level: int = 3) -> str:
    """A derivation: heading, statement, hypotheses, numbered steps, boxed result, verification status."""
    d = derivations.get(key)
    return f"{'#' * level} {d.title} {{#{anchor(key)}}}\n\n{_latex(d)}\n{status(key)}"


def _latex(d: derivations.Derivation) -> str:
    """``d.latex()``, with the prose's asterisks (``A1**2``) kept literal instead of read as emphasis."""
    steps = tuple(dataclasses.replace(step, note=_literal_stars(step.note)) for step in d.steps)
    result = dataclasses.replace(d.result, note=_literal_stars(d.result.note))
    return dataclasses.replace(
        d,
        statement=_literal_stars(d.statement),
        steps=steps,
        result=result,
        hypotheses=tuple(map(_literal_stars, d.hypotheses)),
    ).latex()


def _literal_stars(text: str) -> str:
    parts = re.split(r"(`[^`]*`)", text)  # leave code spans alone
    return "".join(part if part.startswith("`") else part.replace("*", r"\*") for part in parts)


def result(key: str) -> str:
    """Only a derivation's headline result, as display math."""
    return display(derivations.get(key).result.latex())


def step(key: str, index: int) -> str:
    """One step of a derivation (counting from 0), as display math."""
    return display(derivations.get(key).steps[index].latex())


def inline_step(key: str, index: int | None = None) -> str:
    """One step of a derivation (counting from 0), or its result if ``index`` is None, as inline math."""
    d = derivations.get(key)
    return rf"\({(d.result if index is None else d.steps[index]).latex()}\)"


def samples_table() -> str:
    """The course's table: each one-sample gradient beside its m-sample form, every cell from a derivation."""
    one, many = "samples.single", "samples.batch_average"
    rows = [
        ["output layer (sigmoid, cross-entropy)", inline_step(one, 0), inline_step(many, 2)],
        ["weights", inline_step(one), inline_step(many)],
        ["bias", inline_step(one, 2), inline_step(many, 4)],
        [
            "one layer down",
            inline_step(one, 3),
            f"{inline_step(many, 5)}, then {inline_step('linear.dZ')} at layer l − 1",
        ],
    ]
    return table(["", "one sample: a column \\(x\\)", "m samples: the columns of \\(X\\)"], rows)


def init_factor_table(width: int) -> str:
    """Var(w) of each start and the per-layer factor of Var(z) it gives, from init.xavier and init.he."""
    from derivations import initialization

    n = initialization.n_prev
    xavier, he = derivations.get("init.xavier"), derivations.get("init.he")
    small = xavier.steps[5].rhs / n  # the x0.01 step: factor / n[l-1]
    half = he.steps[4].rhs / sp.Symbol("s", positive=True) ** 2
    rows = []
    for name, variance in (("×0.01", small), ("Xavier", xavier.result.rhs), ("He", he.result.rhs)):
        tanh_factor, relu_factor = n * variance, n * variance * half
        at_width = [f"{float(factor.subs(n, width)):.4g}" for factor in (tanh_factor, relu_factor)]
        rows.append([name, math(variance), math(tanh_factor), at_width[0], math(relu_factor), at_width[1]])
    header = [
        "start",
        r"\(\operatorname{Var}(w)\)",
        "tanh, to first order",
        f"at {width} units",
        "ReLU, any symmetric z",
        f"at {width} units",
    ]
    return table(header, rows)


def equation(lhs: str, expr: sp.Basic) -> str:
    """``lhs = expr`` as display math; ``lhs`` is TeX, ``expr`` a SymPy expression."""
    return display(f"{lhs} = {tex(expr)}")


def display(tex: str) -> str:
    return rf"\[{tex}\]" + "\n\n"


def math(expr: sp.Basic) -> str:
    """Inline math for a SymPy expression, in the project's notation."""
    return rf"\({tex(expr)}\)"


def code(source: str, language: str = "python") -> str:
    return f"```{language}\n{source.rstrip()}\n```\n\n"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table. A ``|`` in a cell's TeX (``\\left|z\\right|``) would end the cell: use ``\\vert``."""
    lines = [header, ["---"] * len(header), *rows]
    return "\n".join("| " + " | ".join(map(_no_pipes, cells)) + " |" for cells in lines) + "\n\n"


def _no_pipes(cell: str) -> str:
    return cell.replace(r"\|", r"\Vert ").replace("|", r"\vert ")


def verification_table() -> str:
    """Every derivation with its proof status and numeric error, computed now."""
    rows = []
    for d in derivations.all_derivations():
        outcome = verification(d.key)
        proof = "✓ passed" if outcome.ok else f"✗ {len(outcome.failed_steps)} step(s) not proved"
        numeric = "—" if outcome.numeric_error is None else f"{outcome.numeric_error:.1e}"
        rows.append([f"`{d.key}`", d.title, proof, numeric])
    return table(["key", "derivation", "SymPy proof", "finite differences"], rows)


def output_forms_table() -> str:
    """Per activation, from SymPy: where g > 0, whether the masks A > 0 and Z > 0 agree, and g' in terms of a.

    The middle column is a three-valued claim (``derivations.claims``): proved, disproved with a
    counterexample, or undecided, and the cell says which, with its reason.
    """
    rows = []
    for name in activations.names():
        act = activations.get(name)
        claim = claims.positive_exactly_where_z_is(act)
        solved = claim.verdict == "proved" or not claim.solution.has(sp.ConditionSet)
        where = math(claim.solution) if solved else "not solved by SymPy"
        from_a = math(act.derivative_in_output) if act.output_form else "not derived"
        reason = claim.reason if claim.factor is None else f"{claim.reason} Here \\(h(z) = {tex(claim.factor)}\\)."
        rows.append([name, where, f"{claim.shown}: {reason}", from_a])
    return table(
        ["activation", r"where \(g(z) > 0\)", r"mask \(A > 0\) is \(Z > 0\)?", r"\(g'\) from the output \(a\)"], rows
    )


def analytic_activations() -> str:
    """The registered activations declared analytic (where the complex-step check applies), as a sentence."""
    names = [f"`{name}`" for name in activations.names() if activations.get(name).analytic]
    return (", ".join(names) or "none") + ".\n"


def _g(act: activations.SymbolicActivation) -> str:
    return act.tex or rf"\operatorname{{{act.name}}}"


def activation_section(name: str, level: int = 2) -> str:
    """One activation: g, g', g'' from SymPy, a plot, kink conventions, numpy code, verification status."""
    act = activations.get(name)
    g, z = _g(act), tex(activations.z)
    parts = [
        f"{'#' * level} {name} {{#{name.replace('_', '-')}}}\n\n",
        f"{act.summary[0].upper()}{act.summary[1:]}.\n\n",
        equation(f"{g}({z})", act.expr),
        equation(f"{g}'({z})", act.derivative),
    ]
    if act.output_form:
        parts += [
            f"In terms of the cached output {math(activations.a)}, as backprop code uses it:\n\n",
            equation(f"{g}'({z})", act.derivative_in_output),
        ]
    parts += [
        equation(f"{g}''({z})", act.second_derivative),
        f'<div class="activation-plot" data-search-exclude>\n{plot_svg(name)}\n</div>\n\n',
    ]
    for kink in act.kinks:
        value = rf"\({g}'({tex(sp.sympify(kink.at))}) = {tex(sp.sympify(kink.derivative))}\)"
        parts.append(
            f'!!! info "Convention at z = {kink.at}"\n\n    {kink.reason}\n\n'
            f"    The SymPy definition gives {value}, one of the two one-sided limits.\n\n"
        )
    if not act.kinks:
        parts.append(f"No kink: {name} is differentiable everywhere.\n\n")
    if name in numpy_activations.names():
        parts += [
            f"The numpy implementation, `nn.activations.get({name!r})`:\n\n",
            code(inspect.getsource(type(numpy_activations.get(name)))),
        ]
    else:
        parts.append(
            f'!!! failure "No numpy implementation"\n\n    `nn.activations` has no activation named `{name}`.\n\n'
        )
    parts += [
        '??? abstract "The full derivation"\n\n',
        _indent(_latex(derivations.get(f"activation.{name}"))),
        "\n",
        status(f"activation.{name}"),
    ]
    return "".join(parts)


def activations_page() -> str:
    """One section per registered symbolic activation, in registry order, then the non-elementwise ones."""
    sections = [activation_section(name) for name in activations.names()]
    sections += [column_activation_section(name) for name in numpy_activations.names(elementwise=False)]
    return "\n".join(sections)


def column_activation_section(name: str, level: int = 2) -> str:
    """An activation that mixes the units of a column (softmax): its summary, code and derivation's result."""
    act = numpy_activations.get(name)
    d = derivations.get(act.derivation)
    summary = inspect.getdoc(type(act)).split("\n\n")[0]
    return "".join(
        [
            f"{'#' * level} {name} {{#{name.replace('_', '-')}}}\n\n",
            f"{summary}\n\n",
            f"Not elementwise, so it has no \\(g'\\) to plot: each output depends on every unit of its "
            f"column. It is an output activation only, derived in [{d.title}](output-layer.md#{anchor(d.key)}):\n\n",
            display(d.result.latex()),
            f"The numpy implementation, `nn.activations.get({name!r})`:\n\n",
            code(inspect.getsource(type(act))),
            status(d.key),
        ]
    )


def _indent(markdown: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in markdown.splitlines()) + "\n"


@cache
def plot_svg(name: str) -> str:
    """g, g' and g'' on [-4, 4] as a compact inline SVG, drawn at build time."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    act = activations.get(name)
    kinks = sorted(float(k.at) for k in act.kinks)
    z = np.linspace(-4, 4, 201)
    z = np.union1d(z, kinks)
    style = {
        "svg.fonttype": "none",
        "svg.hashsalt": name,
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with plt.rc_context(style):
        fig, ax = plt.subplots(figsize=(6.4, 2.6))
        for order, label, color in ((0, "g(z)", "#3f51b5"), (1, "g′(z)", "#e65100"), (2, "g″(z)", "#2e7d32")):
            values = act.numeric(order)(z)
            for k in kinks:  # no vertical segment across a jump
                values = np.where(np.isclose(z, k), np.nan, values)
            ax.plot(z, values, color=color, lw=1.6 if order < 2 else 1.1, ls="-" if order < 2 else "--", label=label)
        for kink in act.kinks:
            ax.plot([float(kink.at)], [float(kink.derivative)], "o", color="#e65100", ms=4)
        ax.axhline(0, color="#999", lw=0.6)
        ax.axvline(0, color="#999", lw=0.6)
        ax.set_xlim(-4, 4)
        ax.set_xlabel("z")
        ax.legend(loc="upper left", frameon=False, ncols=3)
        ax.set_title(name, fontsize=10)
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
        plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<defs>\s*<style.*?</style>\s*</defs>", "", svg, flags=re.DOTALL)  # a global `*{...}` rule
    # Several plots share one page: give their ids (clip paths, markers) a per-plot prefix.
    prefix = f"{name}-"
    svg = re.sub(r'id="([^"]+)"', rf'id="{prefix}\1"', svg)
    svg = re.sub(r'(href="#|url\(#)([^")]+)', rf"\1{prefix}\2", svg)
    svg = re.sub(r"\n\s*", "\n", svg)
    return svg


def _shape(shape: tuple) -> str:
    return rf"\(({', '.join(tex(sp.sympify(s)) for s in shape)})\)"


def shape_table(layer_dims: list, labels: list[str] | None = None) -> str:
    """The SymPy-derived shapes of every quantity and gradient, one column per layer.

    ``layer_dims`` holds ints or names of sizes (``"n[l]"``); the batch size m stays symbolic.
    """
    from derivations import shapes

    dims = [
        symbol(d, re.sub(r"\[(.*)\]", r"^{[\1]}", d), integer=True, positive=True) if isinstance(d, str) else d
        for d in layer_dims
    ]
    per_layer = shapes.architecture_shapes(dims)
    labels = labels or [str(l) for l in per_layer]
    quantities = [
        ("W", "W^{[l]}"),
        ("b", "b^{[l]}"),
        ("Z", "Z^{[l]}"),
        ("A", "A^{[l]}"),
        ("A_prev", "A^{[l-1]}"),
        ("dW", "dW^{[l]}"),
        ("db", "db^{[l]}"),
        ("dZ", "dZ^{[l]}"),
        ("dA", "dA^{[l]}"),
        ("dA_prev", "dA^{[l-1]}"),
    ]
    rows = [[rf"\({tex}\)", *(_shape(getattr(s, field)) for s in per_layer.values())] for field, tex in quantities]
    return table(["quantity", *(rf"\(l = {label}\)" for label in labels)], rows)
