"""The Chinese pages' line breaks: joined between two Chinese characters, kept everywhere else."""

from __future__ import annotations

import markdown

from sitemarkdown.cjk import join_cjk_lines


def test_a_break_between_chinese_characters_is_removed():
    assert join_cjk_lines("<p>反向传播的\n链式法则。</p>") == "<p>反向传播的链式法则。</p>"


def test_a_break_after_full_width_punctuation_is_removed():
    assert join_cjk_lines("<p>先求导，\n  再相乘。</p>") == "<p>先求导，再相乘。</p>"


def test_a_break_next_to_latin_digits_or_math_stays():
    text = "<p>权重 W\n的梯度</p><p>共 3\n层</p><p>结果是\n<math><mi>a</mi></math>\n。</p>"
    assert join_cjk_lines(text) == text


def test_code_and_math_are_left_verbatim():
    text = "<pre><code># 注释\n# 第二行</code></pre><p>a</p><math><mtext>中\n文</mtext></math>"
    assert join_cjk_lines(text) == text


def test_the_extension_joins_a_rendered_paragraph_but_not_its_code():
    source = "一个段落\n分两行写。\n\n    代码\n    两行\n"
    html = markdown.markdown(source, extensions=["sitemarkdown.cjk"])
    assert "<p>一个段落分两行写。</p>" in html
    assert "代码\n两行" in html


def test_no_space_or_break_follows_full_width_punctuation():
    assert join_cjk_lines("<p>先求导，\nand then 相乘。</p>") == "<p>先求导，and then 相乘。</p>"
    assert join_cjk_lines("<p><strong>结论：</strong> 成立。 <em>注意：</em>\n见下。</p>") == (
        "<p><strong>结论：</strong>成立。<em>注意：</em>见下。</p>"
    )


def test_no_space_or_break_precedes_a_full_width_opening_bracket():
    """A break after a digit or a formula stays a space, except before （, which has its own white space."""
    assert join_cjk_lines("<p>约为 2\n（总有某个单元）</p>") == "<p>约为 2（总有某个单元）</p>"
    assert join_cjk_lines("<p>为 <math><mn>2</mn></math>\n（见下）</p>") == "<p>为 <math><mn>2</mn></math>（见下）</p>"
    assert join_cjk_lines("<p>见 <a href='x'>《书》</a></p>") == "<p>见<a href='x'>《书》</a></p>"


def test_english_quotes_and_code_after_punctuation_keep_their_spaces():
    text = "<p>“Yes,” she said. ‘No’ then.</p><pre><code>a = 1，  b = 2</code></pre>"
    assert join_cjk_lines(text) == text
