"""The docs machinery without a browser: TeX to MathML, loud failures, plots, tables, config.

The browser test (``test_browser.py``) checks the built site; these tests check the pieces that
build it, quickly, so that a formula SymPy prints in a form math-core cannot render is caught
by the fast suite, with the derivation's key in the test id.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

import derivations
from derivations import activations
from derivations.core import tex
from nn import activations as numpy_activations
from sitemarkdown import mathml

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"docs_{name}", DOCS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


hooks = _load("hooks")
site = _load("_site")
griffe_docstrings = _load("griffe_docstrings")


def display_math(markdown: str) -> list[str]:
    return re.findall(r"\\\[(.*?)\\\]", markdown, re.DOTALL)


@pytest.mark.parametrize("key", derivations.keys())
def test_every_formula_of_a_derivation_renders_as_mathml(key):
    formulas = display_math(derivations.get(key).latex())
    assert formulas, f"{key}: latex() has no display math"
    for formula in formulas:
        rendered = mathml.tex_to_mathml(formula, display=True)
        assert rendered.startswith("<math")
        assert 'display="block"' in rendered


@pytest.mark.parametrize("name", activations.names())
def test_every_activation_formula_renders_as_mathml(name):
    act = activations.get(name)
    for expr in (act.expr, act.derivative, act.second_derivative):
        assert mathml.tex_to_mathml(tex(expr), display=False).startswith("<math")


def test_unknown_tex_fails_the_build_with_the_page_and_the_formula():
    page = mathml.render_math('<p>before <span class="arithmatex">\\(\\notacommand{x}\\)</span></p>')
    assert 'class="math-error"' in page, "a formula math-core cannot draw must stay visible, not vanish"
    with pytest.raises(PluginError, match=r"activations\.md.*notacommand"):
        hooks.check_page(page, "activations.md")


def test_tex_that_arithmatex_missed_fails_the_build():
    with pytest.raises(PluginError, match=r"forward\.md.*frac"):
        hooks.check_page(mathml.render_math("<p>\\[ \\frac{1}{m} \\]</p>"), "forward.md")


def test_an_exec_block_printed_as_text_fails_the_build():
    # superfences prints a fence whose formatter raised as plain text; the build must not pass silently
    page = '<p>```python exec="on" idprefix=""\nfrom _site import derivation</p>'
    with pytest.raises(PluginError, match=r"samples\.md.*markdown-exec block"):
        hooks.check_page(page, "samples.md")


def test_a_generated_link_to_a_missing_page_fails_the_build():
    with pytest.raises(PluginError, match=r"index\.md.*'nowhere\.md'"):
        hooks.check_page('<p><a href="nowhere.md#x">gone</a></p>', "index.md")


def test_generated_links_point_at_the_built_pages():
    from types import SimpleNamespace

    from mkdocs.structure.files import File, Files

    target = File("output-layer.md", "docs", "site", use_directory_urls=True)
    page = SimpleNamespace(file=SimpleNamespace(src_uri="experiments/planar.md"), url="experiments/planar/")
    html = '<a href="../output-layer.md#output-mse">x</a> <a href="https://e.org/a.md">y</a>'
    out = hooks.resolve_generated_links(html, page, Files([target]))
    assert '<a href="../../output-layer/#output-mse">x</a>' in out
    assert 'href="https://e.org/a.md"' in out, "links off the site are left alone"


def test_tex_inside_code_is_left_alone():
    page = "<pre><code>r'''\\[ \\frac{1}{m} \\]'''</code></pre>"
    assert mathml.render_math(page) == page
    hooks.check_page(page, "activations.md")


def test_inline_and_display_math_become_mathml():
    page = (
        '<p>Inline <span class="arithmatex">\\(a &lt; b\\)</span>.</p>\n'
        '<div class="arithmatex">\\[\\frac{1}{m}\\]</div>'
    )
    out = mathml.render_math(page)
    assert "arithmatex" not in out
    assert "<math><mi>a</mi><mo>&lt;</mo><mi>b</mi></math>" in out  # the escaped < stays a character
    assert '<div class="math-block"><math display="block"><mfrac>' in out


def test_substack_limits_render_as_a_subarray():
    sum_tex = r"\sum_{\substack{0 \leq i \leq n - 1\\0 \leq k \leq m - 1}} x_{i,k}"
    rendered = mathml.tex_to_mathml(sum_tex, display=True)
    assert rendered.count("<mtr>") == 2, "each line of the limits is a row under the sum"


def test_boxed_is_a_framed_mrow_not_menclose():
    rendered = mathml.tex_to_mathml(r"\boxed{dz = a - y}", display=True)
    assert "menclose" not in rendered
    assert '<mrow class="boxed">' in rendered


def test_operatorname_with_an_underscore_is_one_identifier():
    rendered = mathml.tex_to_mathml(r"\operatorname{leaky_relu}{\left(z \right)}", display=False)
    assert "<mi>leaky_relu</mi>" in rendered
    assert "<msub>" not in rendered


def test_piecewise_cases_render():
    rendered = mathml.tex_to_mathml(r"\begin{cases} z & \text{for}\: z > 0 \\0 & \text{otherwise} \end{cases}", True)
    assert "<mtable" in rendered
    assert "otherwise" in rendered


#: Drawing a plot takes a quarter of a second of matplotlib; the everyday suite draws one smooth
#: activation and one with a kink (the code path that marks the kink), the slow suite every one.
EVERYDAY_PLOTS = {"sigmoid", "relu"}


@pytest.mark.parametrize(
    "name", [n if n in EVERYDAY_PLOTS else pytest.param(n, marks=pytest.mark.slow) for n in activations.names()]
)
def test_activation_plots_are_small_self_contained_svgs(name):
    svg = site.plot_svg(name)
    assert svg.startswith("<svg")
    assert svg.rstrip().endswith("</svg>")
    assert len(svg.encode()) < 30_000, f"the {name} plot is {len(svg.encode())} bytes"
    assert "<style" not in svg, "an SVG <style> would restyle the whole page"
    ids = re.findall(r'id="([^"]+)"', svg)
    assert all(i.startswith(f"{name}-") for i in ids), "ids must be unique per plot on a shared page"


def test_shape_table_for_the_example_architecture():
    table = site.shape_table([2, 4, 1])
    assert r"\(l = 1\)" in table
    assert r"\(l = 2\)" in table
    w_row = next(line for line in table.splitlines() if line.startswith(r"| \(W^{[l]}\)"))
    assert r"\((4, 2)\)" in w_row
    assert r"\((1, 4)\)" in w_row
    z_row = next(line for line in table.splitlines() if line.startswith(r"| \(Z^{[l]}\)"))
    assert r"\((4, m)\)" in z_row
    assert r"\((1, m)\)" in z_row


def test_a_pipe_in_a_table_cell_does_not_split_the_cell():
    row = site.table(["f"], [[r"\(\left|z\right|\)"]]).splitlines()[2]
    assert row.count("|") == 2


@pytest.mark.parametrize("name", numpy_activations.names(elementwise=False))
def test_every_non_elementwise_activation_gets_a_section_with_its_derivation(name, monkeypatch):
    # the elementwise sections (each drawn and verified, seconds in all) are the other tests' concern, and
    # so is the proof itself: test_derivations proves every derivation; here the section reports a pass
    monkeypatch.setattr(site, "activation_section", lambda name, lang="en": f"## {name}\n")
    monkeypatch.setattr(site, "verification", lambda key: derivations.Verification(key, (), 1e-12))
    page = site.activations_page()
    act = numpy_activations.get(name)
    section = page[page.index(f"## {name} ") :]
    assert f"output-layer.md#{site.anchor(act.derivation)}" in section
    assert f"class {type(act).__name__}(Activation)" in section
    assert "✓ SymPy proof passed" in section
    for formula in display_math(section[: section.index("```")]):
        assert mathml.tex_to_mathml(formula, display=True).startswith("<math")


def test_derivation_section_reports_the_verification():
    text = site.derivation("output.sigmoid_bce")
    assert text.startswith("### ")
    assert "{#output-sigmoid_bce}" in text
    assert "✓ SymPy proof passed" in text
    assert "relative error" in text


def test_docstring_habits_are_rewritten_to_markdown():
    import griffe

    module = griffe.Module("m")
    module.docstring = griffe.Docstring(
        "Sum, :math:`x^2`, see :func:`~nn.get`.\n\n"
        "\\[ a = b, \\]\n\\[ c = d. \\]\nwith e.\n\nExample:\n    >>> 1\n    1\n"
    )
    griffe_docstrings.SphinxHabits().on_object(obj=module)
    text = module.docstring.value
    assert "\\(x^2\\)" in text
    assert "`nn.get`" in text
    assert "\\]\n\n\\[" in text
    assert "\\]\n\nwith" in text
    assert "Examples:" in text


def test_the_site_loads_nothing_from_a_cdn():
    from mkdocs.config import load_config

    config = load_config(str(DOCS.parent / "mkdocs.yml"))
    assert config.theme["font"] is False, "theme.font must be false: Material would load Google Fonts"
    assert not [js for js in config.extra_javascript if "//" in str(js)]
    assert not [css for css in config.extra_css if "//" in str(css)]
    assert any(str(hook).endswith("hooks.py") for hook in config["hooks"])
    assert "sitemarkdown.mathml" in config["markdown_extensions"], "the math must be rendered at build time"


@pytest.mark.parametrize("package", ["nn", "derivations"])
def test_no_sphinx_habit_survives_in_the_api_reference(package):
    import griffe

    extensions = griffe.load_extensions(griffe_docstrings.SphinxHabits())
    root = griffe.load(package, search_paths=[str(DOCS.parent)], extensions=extensions)

    def walk(obj):
        yield obj
        for member in obj.members.values():
            if not member.is_alias:
                yield from walk(member)

    leftovers = [
        obj.path
        for obj in walk(root)
        if obj.docstring is not None
        and (
            griffe_docstrings.EXAMPLE_HEADING.search(obj.docstring.value)
            or griffe_docstrings.CODE_ROLE.search(obj.docstring.value)
            or griffe_docstrings.MATH_ROLE.search(obj.docstring.value)
        )
    ]
    assert not leftovers, f"docstrings the API reference would render badly: {leftovers}"
