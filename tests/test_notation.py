"""The notation the site prints: the course's order of terms, and ℒ for the loss (L counts layers)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

import derivations
from derivations.core import _text, say, tex

COURSE_FORMS = {
    "linear.chain_tanh": r"\mathbf{1}_{n^{[1]} \times m} - A^{[1]} \odot A^{[1]}",  # not −A² + 1
    "activation.tanh": "1 - a^{2}",
    "activation.sigmoid": r"a \left(1 - a\right)",
    "output.sigmoid_bce": "a - y",
    "output.mse": r"2 \left(A^{[L]} - Y\right)",
}


@pytest.mark.parametrize("key", COURSE_FORMS)
def test_results_print_in_the_course_form(key):
    assert COURSE_FORMS[key] in tex(derivations.get(key).result.rhs)


@pytest.mark.parametrize("key", [key for key in derivations.keys() if key.startswith("activation.")])
def test_every_activations_backprop_rule_keeps_its_dot(key):
    """dz = da · g'(z) for every activation, the identity's g' = 1 included: printed without the dot it reads
    da 1, which the notation's suffixes make the layer-1 gradient da1."""
    result = derivations.get(key).result
    assert tex(result.rhs).startswith(r"da \cdot "), tex(result.rhs)
    assert result.text().startswith("dz = da · "), result.text()


def test_the_display_order_leaves_the_expression_alone():
    """Only the printers reorder: the result is still SymPy's own sum, −A² + 1, which test_derivations proves."""
    chain = derivations.get("linear.chain_tanh")
    assert "(1 - A[1] ⊙ A[1])" in chain.result.text()
    assert "-HadamardPower(A[1], 2) + 1" in str(chain.result.rhs)


@pytest.mark.parametrize("key", [key for key in derivations.keys() if key.startswith("output.")])
def test_the_loss_of_one_sample_is_script_l(key):
    """L is the number of layers; a derivation that names the loss writes ℒ, in TeX and in text."""
    d = derivations.get(key)
    text = d.latex() + d.text()
    assert not re.search(r"\\partial L\b|(?<![\[\w\\])L\{?\\left\(|∂L/|\bL = ", text), text


DOCS = Path(__file__).resolve().parents[1] / "docs"
#: How docs/notation.md names the index of the output units a loss sums over (p) and differentiates by (q).
UNIT_INDEX = {
    "en": r"counts them with \(p\) (and \(q\) for the",
    "zh": r"用 \(p\) 给单元编号（对哪个单元求导就用 \(q\)）",
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_square_error_counts_units_with_the_notations_index(lang):
    """The cost J sums over the samples i right above the square error on docs/forward.md: the loss sums over
    the units p and is differentiated by a_q, as docs/notation.md says, in the statement and in the steps."""
    page = (DOCS / ("notation.md" if lang == "en" else "notation.zh.md")).read_text()
    assert UNIT_INDEX[lang] in " ".join(page.split()), "docs/notation.md names the unit index"
    mse = derivations.get("output.mse")
    statement = say(mse.statement, lang)
    assert "ℒ = Σ_p (a_p − y_p)²" in statement, statement
    assert "∂ℒ/∂a_q = 2(a_q − y_q)" in statement, statement
    latex = mse.latex(lang)
    assert r"\sum_{p=0}^{n^{[L]} - 1} \left({a}_{p} - {y}_{p}\right)^{2}" in latex, latex
    assert r"\partial {a}_{q}} = 2 \left({a}_{q} - {y}_{q}\right)" in latex, latex


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("key", [key for key in derivations.keys() if key.startswith("output.")])
def test_no_loss_sums_over_i_which_counts_samples(key, lang):
    """i is the sample of J = (1/m) Σ_i ℒ(a^[L](i), y^(i)); a loss's sum over the units of a column never uses it."""
    d = derivations.get(key)
    printed = d.latex(lang) + d.text(lang)
    assert not re.search(r"\\sum_\{i\b|Σ_i\b|\bi = [pq]\b", printed), key


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_entrywise_products_print_as_the_glossarys_odot(lang):
    """The prose and the glossary define ⊙; SymPy's own printers write ∘, which the site never defines."""
    import sympy as sp

    A, B = sp.MatrixSymbol("A", 2, 3), sp.MatrixSymbol("B", 2, 3)
    for expr in (sp.HadamardProduct(A, B), sp.OneMatrix(2, 3) - sp.HadamardPower(A, 2)):
        assert r"\odot" in tex(expr, lang)
        assert "∘" not in tex(expr, lang) + _text(expr, lang)
        assert r"\circ" not in tex(expr, lang)
    assert tex(sp.HadamardPower(A, 2)) == r"A \odot A"


def test_piecewise_formulas_speak_the_pages_language():
    """ReLU's g' reads "1 for z > 0, 0 otherwise" in English and "1 若 z > 0；0 否则" in Chinese."""
    relu = derivations.get("activation.relu")
    english, chinese = relu.latex("en"), relu.latex("zh")
    assert r"\text{for}" in english
    assert r"\text{otherwise}" in english
    assert r"\text{若}" in chinese
    assert r"\text{否则}" in chinese


@functools.cache
def printed(lang: str) -> tuple[tuple[str, str, str], ...]:
    """Every derivation's key, TeX and text in ``lang``, printed once for the tests that read them all."""
    return tuple((d.key, d.latex(lang), d.text(lang)) for d in derivations.all_derivations())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_derivation_prints_odot_and_the_pages_words(lang):
    """No ∘ in any derivation, as TeX or text; on the Chinese pages no piecewise "for … otherwise"; no
    summation index k0, k1…, the names the index proofs give every summation variable
    (derivations.indexed.canonical_dummies): a page sums over the index it names (Σ_k over the samples).
    And the superscripts keep notation.md's meaning: J is the cost, so it never carries a step or layer
    superscript (rnn.bptt once called each step's Jacobian J⟨t⟩, beside the cost J), and a superscript in
    round brackets is a sample, so it holds only a sample's index (rnn.bptt once wrote the backward loop's
    partial sum as dWaa^(t))."""
    for key, tex_, text in printed(lang):
        assert not re.search(r"(?<![\\\w])J\s*\^", tex_), key
        assert not re.search(r"(?<!\w)J(?:⟨|\[)", text), key
        assert set(re.findall(r"\^\{\((\w+)\)\}", tex_)) <= {"i", "k"}, key
        both = tex_ + text
        assert "∘" not in both, key
        assert r"\circ" not in both, key
        assert not re.search(r"\bk_\{\d+\}|\bk\d+\b", both), key
        if lang == "zh":
            assert not re.search(r"\\text\{(?:for|otherwise)\}| otherwise\b| for z\b", both), key


def test_the_rejected_product_reads_as_a_statement():
    """A product with mismatched inner sizes has no shape: a sentence in each language, not "… = True"."""
    shapes = derivations.get("shapes.layer")
    for lang, words in (("en", "undefined for"), ("zh", "无定义")):
        assert words in shapes.latex(lang)
        assert words in shapes.text(lang)
        assert "True" not in shapes.latex(lang) + shapes.text(lang)


def test_definitions_say_something():
    """No definition reads g(z) = g(z); tanh is written out in exponentials."""
    from derivations import activations

    for name in activations.names():
        definition = derivations.get(f"activation.{name}").steps[0]
        assert tex(definition.lhs) != tex(definition.rhs), name
    assert r"e^{z}" in tex(activations.get("tanh").definition)


def test_the_inverses_read_as_the_logit_and_artanh():
    """z = log(a/(1 − a)) and z = ½ log((1 + a)/(1 − a)), not SymPy's log(−a/(a − 1)) and log(√(−(a+1)/(a−1)))."""
    import sympy as sp

    from derivations import activations

    a = activations.a
    assert activations.get("sigmoid").output_inverse == sp.log(a / (1 - a))
    assert activations.get("tanh").output_inverse == sp.log((1 + a) / (1 - a)) / 2
    for name in ("sigmoid", "tanh"):
        printed = _text(activations.get(name).output_inverse)
        assert "sqrt" not in printed
        assert "-a" not in printed


def test_results_state_the_derived_rule_not_a_step_again():
    """A derivation's boxed result is not one of its numbered steps repeated."""
    repeated = [
        d.key
        for d in derivations.all_derivations()
        if any((step.lhs, step.rhs) == (d.result.lhs, d.result.rhs) for step in d.steps)
    ]
    assert not repeated, f"results that repeat a step: {repeated}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_sample_of_a_layers_input_names_its_layer(lang):
    """docs/notation.md: a⁽ⁱ⁾ without a layer is column i of the output A[L], a shorthand for inside a loss.
    A derivation about layer l that writes its input A[l-1] sample by sample as a⁽ᵏ⁾ says the output where
    it means a[l-1]⁽ᵏ⁾."""
    bare = re.compile(r"(?<![\w\]])a⁽")  # a⁽ᵏ⁾, not a[l-1]⁽ᵏ⁾ nor the ⁽ᵏ⁾ of a longer name
    checked = []
    for key, _, text in printed(lang):
        if "[l-1]" in text:
            assert not bare.search(text), key
            checked.append(key)
    assert "samples.batch_average" in checked


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_layer_widths_are_written_as_the_notation_writes_them(lang):
    """docs/notation.md names a layer's width n[l] and its input's n[l-1]; Glorot's variance in init.xavier is
    2/(n[l-1] + n[l]) on its page, so its derivation writes it so too, not with n_in and n_out, which no page
    defines."""
    foreign = re.compile(r"n_\{?\\text\{(?:in|out)\}|n_(?:in|out)\b")
    for key, tex_, text in printed(lang):
        assert not foreign.search(tex_ + text), key
    assert r"\frac{2}{n^{[l-1]} + n^{[l]}}" in derivations.get("init.xavier").latex(lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_layers_width_prints_with_its_layer_in_brackets(lang):
    """docs/notation.md: layer l has n[l] units, printed n^{[l]}; modes.cost sums n[l-1] n[l] over a symbolic
    depth, whose indexed widths SymPy alone prints n_{l - 1} n_{l}, n_{0} n_{1}."""
    subscript = re.compile(r"(?<![\\\w])n_\{(?:l\b|\d)")
    for key, tex_, _ in printed(lang):
        assert not subscript.search(tex_), key
    assert r"n^{[l - 1]} n^{[l]}" in derivations.get("modes.cost").latex(lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_pages_name_the_layer_of_a_samples_activation(lang):
    """docs/notation.md lets a⁽ⁱ⁾ stand for the output's column only inside a loss; elsewhere a page names the
    layer, a^{[2](k)}: the initialization page's planar paragraph sums the output's a^{(k)} − y^{(k)} right
    beside the hidden layer's 0.5, which a bare a^{(k)} does not tell apart."""
    from pathlib import Path

    docs = Path(__file__).resolve().parents[1] / "docs"
    pages = [path for path in docs.rglob("*.md") if (".zh." in path.name) == (lang == "zh")]
    bare = [path.name for path in pages if "a^{(" in path.read_text() and not path.name.startswith("notation.")]
    assert not bare
    assert any(path.name.startswith("initialization.") and "a^{[2](k)}" in path.read_text() for path in pages)
