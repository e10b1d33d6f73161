"""The docs machinery without a browser: TeX to MathML, loud failures, plots, tables, config.

The browser test (``test_browser.py``) checks the built site; these tests check the pieces that
build it, quickly, so that a formula SymPy prints in a form math-core cannot render is caught
by the fast suite, with the derivation's key in the test id.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

import pytest
import sympy as sp
from mkdocs.exceptions import PluginError

import derivations
from derivations import activations, exercises, scaffold, typed
from derivations.core import say, tex
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


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_derivation_in_the_samples_table_is_shown_on_the_page_or_linked_from_it(lang, monkeypatch):
    """docs/samples.md says where each cell of its table comes from: a derivation the page shows in full,
    or one it links to by its id. A cell drawn from another derivation must not go unnamed."""
    used = []
    shown = site.inline_step
    monkeypatch.setattr(site, "inline_step", lambda key, *rest, **kw: used.append(key) or shown(key, *rest, **kw))
    site.samples_table(lang)
    page = (DOCS / ("samples.zh.md" if lang == "zh" else "samples.md")).read_text(encoding="utf-8")
    assert {"samples.single", "samples.batch_average"} <= set(used)
    for key in set(used):
        on_page = re.search(rf'derivation\("{re.escape(key)}"', page)
        linked = f".md#{key.replace('.', '-')})" in page
        assert on_page or linked, f"docs/samples: the table prints {key}, which the page neither shows nor links"


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


def test_an_activation_summary_that_opens_with_a_formula_is_not_capitalized():
    """Each activation's section opens with its summary as a sentence; a summary that opens with a formula keeps
    it as written: mish's z·tanh(softplus(z)) capitalized reads Z·tanh(…), the m-sample matrix Z."""
    import inspect

    assert "sentence(act.summary)" in inspect.getsource(site.activation_section)
    opened = {str(act.summary): site.sentence(act.summary) for act in activations.REGISTRY.values()}
    assert opened["z·tanh(softplus(z))"] == "z·tanh(softplus(z))"
    assert opened["z / (1 + |z|), a slowly saturating tanh"].startswith("z / ")
    assert opened["the logistic function, for binary outputs"].startswith("The logistic")
    for summary, said in opened.items():
        assert said[1:] == summary[1:]
        assert said[0] in (summary[0], summary[0].upper())


def test_derivation_section_reports_the_verification():
    text = site.derivation("output.sigmoid_bce")
    assert text.startswith("### ")
    assert "{#output-sigmoid_bce}" in text
    assert "✓ SymPy proof passed" in text
    assert "relative error" in text


def test_the_verification_box_says_what_the_numeric_check_compares(monkeypatch):
    """Finite differences at a random point unless the derivation says otherwise (conv.forward counts windows)."""
    monkeypatch.setattr(site, "verification", lambda key: derivations.Verification(key, (), 0.0))
    assert "Windows counted one by one for every n_H_prev ≤" in site.status("conv.forward")
    assert "逐个数出窗口个数，与公式比较：相对误差 0.0e+00。" in site.status("conv.forward", "zh")
    assert "Finite-difference check at a random point: relative error 0.0e+00." in site.status("conv.backward")


def test_the_pooling_picture_says_what_nn_conv_sends_back_and_fails_when_it_no_longer_does(monkeypatch):
    """The picture's sentences are nn.conv's numbers; a backward pass that stops adding the overlap stops the build."""
    monkeypatch.syspath_prepend(str(DOCS))
    figures = _load("conv_figures")
    assert "the 9 is in both windows and gets 1 + 2 = 3" in figures.pooling("en")
    assert "两个窗口共有的那一列得到 (1 + 2)/9" in figures.pooling("zh")
    # the Chinese picture names the two modes in Chinese, as the page's headings do, not by their code names
    said = re.findall(r">([^<>]+)</text>", figures.pooling("zh"))
    assert "平均池化：每个元素得到 dA/9" in said
    assert not [text for text in said if re.search(r"max|average", text)], said
    from nn.gradcheck import mistakes

    assigned = next(mutant for mutant in mistakes.MISTAKES if mutant.name == "pool-overlap-assigned")
    monkeypatch.setattr(figures.conv, "pool_backward", mistakes.mutated(assigned)[2])  # the loops, with = for +=
    with pytest.raises(ValueError, match="no longer adds the two windows' shares"):
        figures.pooling("en")


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


# --- the build checks what a reader sees: planted defects ------------------------------------------------------

_SITE_MARKDOWN = None


def render(source: str) -> str:
    """A page's Markdown as the site's Markdown extensions render it (arithmatex, tables, MathML)."""
    import markdown

    global _SITE_MARKDOWN
    if _SITE_MARKDOWN is None:
        _SITE_MARKDOWN = markdown.Markdown(
            extensions=["pymdownx.arithmatex", "tables", "attr_list", "toc", "admonition", "sitemarkdown.mathml"],
            extension_configs={"pymdownx.arithmatex": {"generic": True}},
        )
    return _SITE_MARKDOWN.reset().convert(source)


def test_a_merge_conflict_fails_the_build():
    page = "Intro.\n\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> branch\n"
    with pytest.raises(PluginError, match=r"square_error\.zh\.md: line 3 is a merge-conflict marker '<<<<<<< '"):
        hooks.check_source(page, "square_error.zh.md")
    for marker in ("=======", ">>>>>>> work-rev2", "||||||| base"):
        with pytest.raises(PluginError, match="merge-conflict marker"):
            hooks.check_source(f"text\n{marker}\nmore\n", "page.md")
    hooks.check_source("a table rule\n\n| a |\n|---|\n\nand ======= inside a line\n", "page.md")


def test_a_merge_conflict_in_an_included_file_fails_the_build():
    """Snippets come in after the page's own Markdown is checked: their markers reach the HTML as text."""
    with pytest.raises(PluginError, match=r"table\.md.*merge-conflict marker '<<<<<<<'"):
        hooks.check_page(render("<<<<<<< HEAD\n| a |\n|---|\n| 1 |\n"), "table.md")
    with pytest.raises(PluginError, match="merge-conflict marker '>>>>>>>'"):
        hooks.check_page("<pre><code>&gt;&gt;&gt;&gt;&gt;&gt;&gt; work-rev2\n</code></pre>", "code.md")


@pytest.mark.parametrize(
    ("prose", "misread"),
    [
        ("Var(z) = E[z²]: n[l-1] squared terms and n[l-1](n[l-1] − 1) cross terms.", "a link to 'n[l-1] − 1'"),
        ("Linear layers collapse: W[2](W[1]x + b[1]) + b[2] = W′x + b′", "a link to 'W[1]x + b[1]'"),
        ("the sum a[i](j) over j", "a link to 'j'"),
        ("grads holds d<key> for each parameter <key>", "<key>, which is text that Markdown read as an HTML tag"),
        ("write A1**2 as the square, and B**2 too", "emphasis inside a word"),
    ],
)
def test_text_that_markdown_misreads_fails_the_build_unless_escaped_at_its_source(prose, misread):
    from derivations.core import markdown

    with pytest.raises(PluginError, match=re.escape(misread)):
        hooks.check_page(render(prose), "initialization.md")
    escaped = render(markdown(prose))
    hooks.check_page(escaped, "initialization.md")
    assert mathml.prose(escaped).strip() == prose, "escaped, the page shows the text as it was written"


def test_links_and_emphasis_the_site_writes_pass():
    page = render(
        "See [the output layer](../output-layer/#output-mse), [the course](https://www.coursera.org/x), "
        "[a plot](img/a.png) and [a section](#kinks). **Bold** and *emphasis*; **两种语言。**mkdocs."
    )
    hooks.check_page(page, "index.md")


def test_tex_outside_math_fails_the_build():
    with pytest.raises(PluginError, match=r"verification\.md: TeX outside math.*\\vert"):
        hooks.check_page(render("| derivation |\n|---|\n| softsign: z / (1 + \\vert z\\vert ) |\n"), "verification.md")


def test_a_table_keeps_a_pipe_in_prose_as_text_and_in_math_as_vert():
    cells = [["softsign: z / (1 + |z|), a slowly saturating tanh", r"\(\left|z\right| + \|w\|\)"]]
    page = render(site.table(["derivation", "formula"], cells))
    hooks.check_page(page, "verification.md")
    assert "softsign: z / (1 + |z|), a slowly saturating tanh" in mathml.prose(page)
    assert page.count("<td>") == 2


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_derivations_prose_renders_as_written(lang):
    """Every title, statement, hypothesis and note shows on the page exactly as the derivation writes it.

    The page's prose leaves code out, so the code spans (```A1**2```) are left out of both sides.
    """
    from derivations.core import markdown, say

    pieces = [(d.key, where, text) for d in derivations.all_derivations() for where, text in d.texts()]
    shown = [" ".join(mathml.prose(render(markdown(text, lang))).split()) for *_, text in pieces]
    written = [" ".join(re.sub(r"`[^`]*`", " ", say(text, lang)).split()) for *_, text in pieces]
    wrong = [
        f"{key} {where}: {seen!r}"
        for (key, where, _), seen, text in zip(pieces, shown, written, strict=True)
        if seen != text
    ]
    assert not wrong, wrong[:5]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("page", "failure"),
    [
        ("Before.\n\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> other\n", "merge-conflict marker"),
        ("Var(z) has n[l-1](n[l-1] − 1) cross terms.\n", "a link to 'n[l-1] − 1'"),
        ("| derivation |\n|---|\n| softsign: z / (1 + \\vert z\\vert ) |\n", "TeX outside math"),
    ],
    ids=["conflict", "link", "tex"],
)
def test_mkdocs_build_strict_fails_on_a_planted_page(tmp_path, page, failure):
    """End to end: ``mkdocs build --strict`` with the site's hook and Markdown extensions, one planted page."""
    import subprocess

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Planted\n\n" + page, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: planted\nhooks: [{DOCS / 'hooks.py'}]\n"
        "markdown_extensions:\n  - pymdownx.arithmatex:\n      generic: true\n  - tables\n  - sitemarkdown.mathml\n",
        encoding="utf-8",
    )
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=tmp_path,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(DOCS.parent)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode != 0, "the build passed a planted page"
    assert failure in build.stdout + build.stderr


def test_the_symbolic_shape_table_names_layer_l_once():
    """The header of the table for a general layer reads "layer l", not "l = l"."""
    for lang, header in (("en", r"| quantity | layer \(l\) |"), ("zh", r"| 量 | 第 \(l\) 层 |")):
        table = site.shape_table(["n[l-1]", "n[l]"], labels=["l"], lang=lang)
        assert table.splitlines()[0] == header
        assert "l = l" not in table


def test_an_undefined_circle_fails_the_build():
    """The site defines ⊙ for entrywise products; a ∘ in a formula (SymPy's own printer writes it) fails.

    Prose may name the symbol, as the maintenance page does when it lists this check.
    """
    with pytest.raises(PluginError, match=r"l-layer\.md: ∘ in a formula, which the site never defines"):
        hooks.check_page(render(r"\[ dZ = dA \circ g'(Z) \]"), "l-layer.md")
    hooks.check_page(render(r"\[ dZ = dA \odot g'(Z) \]"), "l-layer.md")
    hooks.check_page(render("The site writes ⊙, never ∘."), "maintenance.md")


EXERCISE_PAGES = sorted({exercise.page for exercise in exercises.EXERCISES.values()})


@pytest.mark.parametrize("page", EXERCISE_PAGES)
def test_every_your_turn_section_prints_the_one_generated_intro(page):
    """The intro is written once (``_site.exercise_intro``), so the pages cannot drift apart."""
    for suffix, lang in ((".md", ""), (".zh.md", '"zh"')):
        text = (DOCS / f"{page}{suffix}").read_text()
        assert f"print(exercise_intro({lang}))" in text, (page, suffix)
        assert "**Check**" not in text, (page, suffix)
        assert "**检查**" not in text, (page, suffix)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_exercise_intro_names_numpy_spellings_the_boxes_read(lang):
    """Each numpy spelling the intro names parses, and it names one of each kind typed.py reads."""
    intro = site.exercise_intro(lang)
    names = {"W": sp.MatrixSymbol("W", 3, 2), "dZ": sp.MatrixSymbol("dZ", 3, 4), "m": sp.Symbol("m")}
    for spelling in site.EXERCISE_NUMPY:
        assert f"`{spelling}`" in intro
        scaffold.parse(spelling if "(" in spelling else f"{spelling}(m) * W", names)
    for kind in (typed.CALLS, typed.REDUCTIONS, typed.NUMPY_FUNCTIONS):
        assert any(f"np.{name}" in intro for name in kind), kind
    assert all(form in intro for form in ("`−`", "`a²`", "`Wᵀ`", "`⊙`"))


def test_the_exercise_intro_calls_an_answer_with_a_division_sympy_cannot_decide_undecided():
    """As the judge does: 1 − a²·(a − cos a)/(a − cos a) holds once SymPy cancels a division by a − cos(a), which
    SymPy neither proves nonzero nor finds 0."""
    assert "so is one that divides by something SymPy can neither prove nonzero nor find 0" in site.exercise_intro()
    assert "答案所除的式子，SymPy 既证明不了它不为 0、也找不到它为 0 的点时，同样如此" in site.exercise_intro("zh")
    assert exercises.check("tanh-prime", "1 - a**2*(a - cos(a))/(a - cos(a))").status == "undecided"


#: The distributions behind the rows of the maintenance page's table of the stack.
STACK = {"MkDocs": "mkdocs", "Material for MkDocs": "mkdocs-material", "mkdocs-static-i18n": "mkdocs-static-i18n",
         "math-core": "math-core"}  # fmt: skip


@pytest.mark.parametrize("page", ["maintenance.md", "maintenance.zh.md"])
def test_the_stack_table_gives_the_versions_the_site_is_built_with(page):
    """The column "version here" is what this environment installed (a page may give fewer places: 9.8 for 9.8.2)."""
    from importlib.metadata import version

    rows = [line.split(" | ") for line in (DOCS / page).read_text(encoding="utf-8").splitlines()[:14]]
    shown = {row[0].removeprefix("| "): row[1] for row in rows if len(row) == 3 and row[1][:1].isdigit()}
    assert set(shown) == set(STACK), shown
    for piece, distribution in STACK.items():
        installed = version(distribution).split(".")
        assert shown[piece].split(".") == installed[: len(shown[piece].split("."))], (piece, version(distribution))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_activations_pages_titles_write_a_negative_number_with_the_minus_sign(lang, monkeypatch):
    """The kink conventions' titles read 'Convention at z = −3', with the U+2212 the reasons under them use, never
    'z = -3' with a hyphen: no heading or box title of the activations page, and no step of the derivations it
    shows, has a hyphen-minus before a digit."""
    monkeypatch.setattr(site, "plot_svg", lambda name: "")  # drawing is test_activation_plots_…'s concern
    monkeypatch.setattr(site, "verification", lambda key: derivations.Verification(key, (), 1e-12))
    kinked = [name for name in activations.names() if activations.get(name).kinks]
    titles = [
        re.sub(r"\{#[^}]*\}", "", title)
        for name in kinked
        for title in re.findall(r'^(?:#+ (.*)|[!?]{3}\+? \w+ "(.*)")$', site.activation_section(name, lang=lang), re.M)
        for title in title
        if title
    ]
    steps = [say(step.note, lang) for name in kinked for step in derivations.get(f"activation.{name}").steps]
    hyphens = [said for said in titles + steps if re.search(r"(?<![\w\[])-\d", said)]
    assert not hyphens, f"titles and steps with a hyphen-minus for a minus sign: {hyphens}"
    assert any("\N{MINUS SIGN}3" in title for title in titles), titles  # hard sigmoid's kink at −3
