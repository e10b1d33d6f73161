"""The build's language checks (``docs/language_links.py``) fail on the defects they are for.

Each check is a function of the built HTML; here each is given a planted page (or a planted site
folder) with one defect and must name it, and a sound page must pass. A slow test runs the hook in a
real build of a two-page site with a planted defect; the built site's own pages are read by the
slow tests in ``test_languages.py``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import PluginError
from site_html import docs_module
from support import NUMBER_WORDS, benchmark, joined, stated

from sitemarkdown import prose

ROOT = Path(__file__).resolve().parents[1]
hook = docs_module("language_links")

ZH_DESCRIPTION = "用 SymPy 推导反向传播的每一个公式，再用测试把它与手写的 numpy 网络绑在一起。"
EN_DESCRIPTION = "Backpropagation derived by SymPy and bound to a hand-written numpy network by tests."


def page(lang: str, body: str, description: str | None = None) -> str:
    description = description if description is not None else (ZH_DESCRIPTION if lang == "zh" else EN_DESCRIPTION)
    return (
        f'<html lang="{lang}"><head><meta name="description" content="{description}"></head>'
        f"<body><article>{body}</article></body></html>"
    )


SOUND_ZH = (
    "<p>反向传播从输出层开始，<code>dZ = A - Y</code>，再乘以 \\(W^\\top\\)。"
    "本页沿用 Material for MkDocs 的主题，PyTorch 和 JAX 的结果相同。</p>"
    '<p>文章的标题是 <span lang="en">Building your Deep Neural Network: Step by Step</span>。</p>'
    "<pre><code>Epoch 1: the cost goes down from here</code></pre>"
    '<div class="doc doc-contents"><p>Return the registered activation called name.</p></div>'
)


def test_a_sound_chinese_page_passes():
    assert hook.language_problems(page("zh", SOUND_ZH), "zh") == []


def test_a_sound_english_page_passes():
    assert hook.language_problems(page("en", "<p>The chain rule, in English, as written.</p>"), "en") == []


@pytest.mark.parametrize(
    ("lang", "description", "problem"),
    [("zh", EN_DESCRIPTION, "meta description is not Chinese"),
     ("en", ZH_DESCRIPTION, "meta description has Chinese"),
     ("zh", "", "no <meta"),
     ("zh", "Backprop 反向传播 derived by SymPy and bound by tests", "meta description is not Chinese")],
)  # fmt: skip
def test_a_meta_description_in_the_wrong_language_fails(lang, description, problem):
    body = SOUND_ZH if lang == "zh" else "<p>English.</p>"
    (found,) = hook.language_problems(page(lang, body, description), lang)
    assert problem in found


@pytest.mark.parametrize(
    "english",
    ["<p>反向传播 the backward pass reads the same masks 从缓存中。</p>",  # a sentence left in a paragraph
     "<table><tr><td>Verified when this page was built</td></tr></table>",  # a generated label
     "<h2>Check your own backprop</h2>",
     '<div class="admonition"><p class="admonition-title">The full derivation</p></div>'],
)  # fmt: skip
def test_english_prose_on_a_chinese_page_fails(english):
    problems = hook.language_problems(page("zh", SOUND_ZH + english), "zh")
    assert len(problems) == 1
    assert "English prose" in problems[0]


# a formula as math-core renders \text{…}: an <mtext> inside <math>
FORMULA = "<p><math><mi>A</mi><mo>=</mo><mrow><mtext>{}</mtext></mrow></math></p>"


@pytest.mark.parametrize("text", ["otherwise", "for ", "columns of ", "size"])
def test_an_english_word_in_a_chinese_formula_fails(text):
    problems = hook.language_problems(page("zh", SOUND_ZH + FORMULA.format(text)), "zh")
    assert any("English in a formula's text" in problem and repr(text.split()[0]) in problem for problem in problems)


def test_a_chinese_formula_in_chinese_an_english_one_and_a_docstring_pass():
    assert hook.language_problems(page("zh", SOUND_ZH + FORMULA.format("否则")), "zh") == []
    assert hook.language_problems(page("en", FORMULA.format("otherwise")), "en") == []
    docstring = f'<div class="doc doc-contents">{FORMULA.format("otherwise")}</div>'
    assert hook.language_problems(page("zh", SOUND_ZH + docstring), "zh") == []


def test_a_page_is_described_by_its_first_paragraph_in_its_language():
    long_formula = "<math>" + "<mi>a</mi><mo>+</mo>" * 10 + "<mi>b</mi></math>"
    fraction = "<math><mfrac><mi>a</mi><mi>b</mi></mfrac></math>"
    body = (
        '<p class="admonition-title">注意</p><p>Backprop in English, on the Chinese page, a quotation.</p>'
        f"<p>链式法则给出 {long_formula}，逐层相乘。</p><p>梯度是 {fraction}，逐层相乘，一直到输入层。</p>"
        "<p>反向传播从输出层开始，<code>dZ = A - Y</code>，再一层层往回走。</p><p>第二段。</p>"
    )
    assert hook.own_description(body, "zh") == "反向传播从输出层开始，dZ = A - Y，再一层层往回走。"
    assert hook.own_description(body, "en") == "Backprop in English, on the Chinese page, a quotation."
    assert hook.own_description("<p>太短。</p>", "zh") == ""  # the site's description then stands
    cut_to_code = "<p>只需要两处改动：" + "<code>derivations/activations.py register(...)</code>" * 3 + "</p>"
    assert hook.own_description(cut_to_code, "zh") == "", "cut short, it is no longer Chinese: the next one or none"


def test_a_long_description_ends_at_a_sentence_or_a_word():
    sentences = "<p>" + "反向传播从输出层开始，一层层往回走。" * 8 + "</p>"
    assert hook.own_description(sentences, "zh") == "反向传播从输出层开始，一层层往回走。" * 4
    words = "<p>" + "backprop starts at the output layer and walks back " * 8 + "</p>"
    cut = hook.own_description(words, "en")
    assert cut.endswith("…")
    assert len(cut) <= hook.DESCRIPTION_LENGTH["en"] + 1


def test_english_prose_is_allowed_on_an_english_page():
    assert hook.language_problems(page("en", "<p>the backward pass reads the same masks</p>"), "en") == []


def test_the_check_raises_naming_the_page():
    with pytest.raises(PluginError, match=r"zh/notation\.md: .*meta description is not Chinese"):
        hook._check(page("zh", SOUND_ZH, EN_DESCRIPTION), "zh", "zh/notation.md")


def _site(tmp_path: Path, files: list[str]) -> Path:
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<html></html>")
    return tmp_path


WHOLE = ["index.html", "404.html", "notation/index.html", "zh/index.html", "zh/404.html", "zh/notation/index.html"]


def test_a_site_whose_pages_all_have_their_twin_passes(tmp_path):
    assert hook.missing_twins(_site(tmp_path, [*WHOLE, "assets/x.js", "search/search_index.json"]), "en", ["zh"]) == []


@pytest.mark.parametrize(
    ("removed", "named"),
    [("zh/404.html", "404.html has no twin zh/404.html"),
     ("404.html", "zh/404.html has no twin 404.html"),
     ("zh/notation/index.html", "notation/index.html has no twin zh/notation/index.html"),
     ("notation/index.html", "zh/notation/index.html has no twin notation/index.html")],
)  # fmt: skip
def test_a_page_without_its_twin_fails(tmp_path, removed, named):
    site = _site(tmp_path, [name for name in WHOLE if name != removed])
    assert hook.missing_twins(site, "en", ["zh"]) == [named]


def test_the_404_switch_leads_to_each_home_page():
    rendered = (
        '<head><link rel="alternate" href="/reference/nn/" hreflang="en"></head><body>'
        '<a href="/reference/nn/" hreflang="en" class="md-select__link">English</a>'
        '<a href="/zh/reference/nn/" hreflang="zh" class="md-select__link">简体中文</a>'
        "<article><h1>404 - Not found</h1></article></body>"
    )
    assert "<h1>404 - Not found</h1>" in hook.not_found_page(rendered, "/", "en")
    fixed = hook.not_found_page(rendered, "/site/", "zh")
    assert "<h1>404 - 找不到这一页</h1>" in fixed
    assert '<a href="/site/" hreflang="en"' in fixed
    assert '<a href="/site/zh/" hreflang="zh"' in fixed
    assert "reference" not in fixed


def test_each_language_gets_its_own_search_index_with_each_section_once():
    """The English entries stay, each Chinese one goes to the Chinese index relative to zh/; a section
    repeated on its page with the same title and text is left out, one that matches a section of the
    other language is not (that language's readers search for it too)."""

    def entry(location: str, title: str, text: str) -> dict:
        return {"location": location, "title": title, "text": text}

    config = {"lang": ["en", "zh"], "separator": "[\\s\\u200b]+"}
    joint = {
        "config": config,
        "docs": [
            entry("", "Backprop, derived", "<p>Home.</p>"),
            entry("reference/nn/#nn.step", "step", "<p>Take one step.</p>"),
            entry("reference/nn/#nn.training.step", "step", "<p>Take one step.</p>"),
            entry("reference/nn/#nn.other.step", "step", "<p>Another step.</p>"),
            entry("zh/", "反向​传播", "<p>首页。</p>"),
            entry("zh/reference/nn/#nn.step", "step", "<p>Take one step.</p>"),
            entry("zh/reference/nn/#nn.training.step", "step", "<p>Take one step.</p>"),
        ],
    }
    split = hook.split_search_index(joint, "en", ["zh"])
    assert split["en"] == {
        "config": config,
        "docs": [joint["docs"][0], joint["docs"][1], joint["docs"][3]],
    }
    assert split["zh"] == {
        "config": config,
        "docs": [
            entry("", "反向​传播", "<p>首页。</p>"),
            entry("reference/nn/#nn.step", "step", "<p>Take one step.</p>"),
        ],
    }


def test_the_english_page_drops_the_chinese_summary_and_the_chinese_keeps_it():
    html = '<div class="doc doc-contents"><p class="doc-summary-zh" lang="zh">走一步。</p>\n<p>Take one step.</p></div>'
    assert hook.drop_other_language(html, "en", ["en", "zh"]) == (
        '<div class="doc doc-contents"><p>Take one step.</p></div>'
    )
    assert hook.drop_other_language(html, "zh", ["en", "zh"]) == html


def test_an_api_object_without_its_chinese_summary_fails():
    def shown(path: str, summary: bool, kind: str = "function") -> str:
        first = '<p class="doc-summary-zh" lang="zh">中文。</p>' if summary else ""
        return (
            f'<div class="doc doc-object doc-{kind}">\n<h3 id="{path}" class="doc doc-heading">x</h3>'
            f'<div class="doc doc-contents ">\n  {first}<p>English.</p></div></div>'
        )

    bases = '<p class="doc doc-class-bases">\n  Bases: <code>str</code></p>'

    def based(path: str, summary: bool) -> str:
        return shown(path, summary, "class").replace(
            '<div class="doc doc-contents ">', f'<div class="doc doc-contents ">{bases}'
        )

    html = shown("nn.train", True) + shown("nn.conv", False, "module") + based("nn.Text", True)
    html += shown("nn.x", False, "attribute") + based("nn.Bump", False) + based("nn.Softmax", True)
    assert hook.objects_without_summary(html) == ["nn.conv", "nn.Bump"]  # not the summary of the object after it


@pytest.mark.parametrize(
    "spaced",
    ["<p>先求导， and then 相乘。</p>",  # a line break before Latin text, as a browser draws it
     "<p><strong>结论：</strong> 成立。</p>",  # a bold lead-in
     '<div class="admonition success"><p>✓ 全部 3 步成立。 相对误差 1e-10。</p></div>'],  # two generated sentences
)  # fmt: skip
def test_a_space_after_full_width_punctuation_on_a_chinese_page_fails(spaced):
    (problem,) = hook.language_problems(page("zh", SOUND_ZH + spaced), "zh")
    assert "spaces after full-width punctuation" in problem


def test_a_space_after_punctuation_next_to_code_is_the_code_s():
    assert hook.language_problems(page("zh", "<p>结论：<code>dZ</code> 的形状与 Z 相同。</p>"), "zh") == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("chinese_page", "description", "named"),
    [("# 首页\n\n反向传播从输出层开始，一层一层往回计算每个参数的梯度。\n", "用 SymPy 推导反向传播。", None),
     ("# 首页\n\n反向传播 starts at the output layer 从输出层开始。\n", "用 SymPy 推导反向传播。", "English prose"),
     ("# 首页\n\n反向传播从输出层开始。\n", "Backprop, derived by SymPy.", "meta description is not Chinese"),
     ("# 首页\n\n反向传播从输出层开始：<math><mtext>otherwise</mtext></math>。\n", "用 SymPy 推导反向传播。",
      "English in a formula's text")],
)  # fmt: skip
def test_a_small_site_with_a_planted_defect_fails_to_build(tmp_path, chinese_page, description, named):
    """The hook in a real two-language build (Material and static-i18n, two pages): the defect fails it."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\nBackpropagation starts at the output layer.\n", encoding="utf-8")
    (docs / "index.zh.md").write_text(chinese_page, encoding="utf-8")
    config = {
        "site_name": "t", "site_url": "http://127.0.0.1:8000/", "site_description": "Backprop, derived by SymPy.",
        "theme": {"name": "material", "font": False}, "hooks": [str(ROOT / "docs" / "language_links.py")],
        "plugins": [{"i18n": {"docs_structure": "suffix", "reconfigure_material": True, "languages": [
            {"locale": "en", "default": True, "name": "English", "build": True},
            {"locale": "zh", "name": "简体中文", "build": True, "site_description": description}]}}],
    }  # fmt: skip
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    if named is None:
        assert build.returncode == 0, build.stderr[-2000:]
        assert (tmp_path / "site" / "zh" / "404.html").exists()
        home = (tmp_path / "site" / "zh" / "index.html").read_text(encoding="utf-8")
        assert '<meta name="description" content="反向传播从输出层开始，一层一层往回计算每个参数的梯度。">' in home
    else:
        assert build.returncode != 0
        assert named in build.stderr, build.stderr[-2000:]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_maintenance_page_counts_the_latin_names_a_chinese_formula_may_hold(lang):
    """docs/maintenance.md says how many words sitemarkdown.prose lets a Chinese formula's text keep in Latin."""
    page = joined((ROOT / "docs" / ("maintenance.zh.md" if lang == "zh" else "maintenance.md")).read_text(), lang)
    pattern = (
        r"\((\w+) names that Chinese writes in Latin letters too"
        if lang == "en"
        else r"中文里也用拉丁字母写的(\w)个名称"
    )
    (number,) = stated(page, pattern)
    assert NUMBER_WORDS[lang].index(number) == len(prose.MATH_TEXT_WORDS), f"{lang}: {number}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_maintenance_page_flags_the_rows_the_comparison_flags(lang):
    """docs/maintenance.md counts the formulas whose two renderings differ by more than the share that
    benchmarks/compare_math.py flags by default; every time the page names that share, it is the script's."""
    page = joined((ROOT / "docs" / ("maintenance.zh.md" if lang == "zh" else "maintenance.md")).read_text(), lang)
    shares = re.findall(r"more than (\d+)%" if lang == "en" else r"相差 (\d+)% 以上", page)
    assert len(shares) == 2, shares  # the recent run and the pictured one
    assert {int(share) for share in shares} == {round(100 * benchmark("compare_math").TOLERANCE)}
