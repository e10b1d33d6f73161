"""The terminology page (中英术语对照): the terms the issue names, in both languages, each linked.

mkdocs build --strict checks that each link's page and anchor exist; these tests check what the
build cannot: that the Chinese table holds the words readers come with, that every row points to
the page defining its symbol, and that the two languages' tables list the same rows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import NUMBER_WORDS, joined, stated

DOCS = Path(__file__).resolve().parents[1] / "docs"
#: The words the posts and Chinese courses use that a reader must find in the Chinese table.
REQUIRED_TERMS = ("反向传播", "前向传播", "激活函数", "代价函数", "逐元素乘", "矩阵乘法", "维度", "内积", "点乘")
LINK = re.compile(r"\]\(([^)#]+\.md)(?:#([^)]+))?\)")


def table_rows(name: str) -> list[str]:
    """The body rows of the page's terminology table (the section with id ``terms``)."""
    text = (DOCS / name).read_text(encoding="utf-8")
    section = text[text.index("{#terms}") :]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return rows[2:]  # header and separator


@pytest.mark.parametrize("term", REQUIRED_TERMS)
def test_the_chinese_table_holds_the_term(term):
    assert any(term in row for row in table_rows("terminology.zh.md")), f"{term} is missing from the Chinese table"


@pytest.mark.parametrize("name", ["terminology.md", "terminology.zh.md"])
def test_every_row_links_to_the_page_that_defines_it(name):
    rows = table_rows(name)
    assert len(rows) >= 25, f"{name}: the table has {len(rows)} rows"
    unlinked = [row.split("|")[1].strip() for row in rows if not LINK.search(row)]
    assert not unlinked, f"{name}: rows without a link to the page defining their symbol: {unlinked}"
    missing = [page for row in rows for page, _ in LINK.findall(row) if not (DOCS / page).exists()]
    assert not missing, f"{name}: links to pages that do not exist: {missing}"


def test_both_languages_list_the_same_rows():
    """Row by row, the English and Chinese tables link to the same place: neither has a term the other lacks."""
    english, chinese = ([LINK.findall(row) for row in table_rows(n)] for n in ("terminology.md", "terminology.zh.md"))
    assert english == chinese
    first = [[row.split("|")[1].strip() for row in table_rows(n)] for n in ("terminology.md", "terminology.zh.md")]
    assert first[0] == first[1], "the first column (the Chinese term) differs between the two tables"


# One word for each thing: the terms the Chinese pages use are in the table, and the pages use no other word for them.

#: Technical terms the Chinese pages use, each with its row in the Chinese table. A page that starts using
#: another technical word adds it here and gives it a row in both tables.
USED_TERMS = (
    "反向传播", "前向传播", "激活函数", "代价函数", "逐元素乘", "矩阵乘法", "维度", "梯度", "链式法则", "权重",
    "偏置", "学习率", "隐藏层", "输出层", "样本", "广播", "初始化", "梯度下降", "正则化", "批归一化", "小批量",
    "动量", "梯度检验", "有限差分", "输出层误差项", "输出梯度", "交叉熵", "one-hot 向量", "logits", "缓存",
    "掩码", "折点", "迭代", "轮", "滑动平均", "中心差分", "复步法", "变异体", "滤波器", "截断", "通道", "步幅",
    "填充", "互相关", "池化", "最大池化", "平均池化", "循环神经网络", "目标值", "标签",
)  # fmt: skip
#: For a term of the table, the other words the pages must not use for it (the table's last column lists the
#: posts' words, which the pages quote only on this page).
REJECTED = {
    "前向传播": ("正向传播", "向前传播"),
    "反向传播": ("后向传播", "逆向传播"),
    "代价函数": ("成本函数",),
    "隐藏层": ("隐含层",),
    "输出层误差项": ("输出层梯度", "输出层的 dz", "输出层的误差项", "输出层的 δ"),
    "折点": ("拐点",),  # 拐点 is an inflection point, where the curvature changes sign
    "轮": ("个 epoch", "每个 epoch"),
    "one-hot 向量": ("独热",),
    "滑动平均": ("移动平均", "指数加权平均"),
    "中心差分": ("中心差商", "双边差分"),
    "复步法": ("复数步长", "复步长"),
    "变异体": ("突变体",),
    "滤波器": ("过滤器",),
    "池化": ("汇聚",),
    "填充": ("补零",),
    "掩码": ("遮罩", "蒙版"),
    "截断": ("裁剪",),  # clipping a gradient or A[L] into an interval
    "循环神经网络": ("递归神经网络", "tanh 循环神经网络"),  # a recursive network is another model; this one is tanh RNN
    # Y, what the output is compared with, is the target, as the English pages say; 标签 (label) is the class a target
    # holds, 0 or 1 for bce (the English pages' labels), so it never names Y or its one-hot columns
    "目标值": ("真实值", "标签 \\(Y\\)", "标签 Y", "标签是 one-hot", "one-hot 标签"),
}
ROOT = DOCS.parent
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)


def chinese_sources() -> dict[str, str]:
    """Where the Chinese words readers see are written: the Chinese pages (without their code) and the sources
    of generated text (derivations, nn, the page generators, the API summaries), whose only Chinese is in their
    Chinese strings, and the worked examples' tables as committed, which a header changed in nn leaves behind until
    they are regenerated."""
    pages = {
        str(path.relative_to(ROOT)): CODE.sub("", path.read_text(encoding="utf-8"))
        for path in DOCS.rglob("*.zh.md")
        if path.name != "terminology.zh.md"
    }
    code = [*(ROOT / "derivations").rglob("*.py"), *(ROOT / "nn").rglob("*.py"), DOCS / "_site.py"]
    code += DOCS.rglob("*.zh.yml")  # the API reference's Chinese summaries
    code += DOCS.rglob("*.zh.txt")  # the worked examples' committed tables, which the pages include
    return {**pages, **{str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in code}}


def test_every_term_the_pages_use_is_in_the_table():
    first_column = {row.split("|")[1].strip() for row in table_rows("terminology.zh.md")}
    words = {word for cell in first_column for word in cell.split("、")}
    missing = [term for term in USED_TERMS if term not in words]
    assert not missing, f"terms the Chinese pages use without a row in the terminology tables: {missing}"
    text = "".join(chinese_sources().values())
    unused = [term for term in USED_TERMS if term not in text]
    assert not unused, f"USED_TERMS lists words no Chinese page uses (drop them): {unused}"


def test_the_pages_use_one_word_for_each_term():
    assert set(REJECTED) <= set(USED_TERMS)
    found = {
        f"{where}: {variant!r} (the table's word is {term!r})"
        for where, text in chinese_sources().items()
        for term, variants in REJECTED.items()
        for variant in variants
        if variant in text
    }
    assert not found, f"other words for a term of the terminology table: {sorted(found)}"


#: Where 形状 is the shape of a curve, not an array's (n[l], m): the terminology table's 维度 does not apply.
SHAPE_OF_A_CURVE = ("曲线的形状", "鼓包形状")


def test_an_arrays_shape_is_called_weidu_in_every_chinese_source():
    """The table says 维度 for an array's shape and lists 形状 as a post's word: the pages, the API summaries and
    the messages nn and derivations write (a typed answer's shape rule among them) say 维度 too."""
    found = []
    for where, text in chinese_sources().items():
        for allowed in SHAPE_OF_A_CURVE:
            text = text.replace(allowed, "")
        found += [
            f"{where}: {text[max(0, at - 12) : at + 14]!r}" for at in (m.start() for m in re.finditer("形状", text))
        ]
    assert not found, f"形状 where the terminology table says 维度: {found}"


def test_the_pages_counts_of_posts_are_the_posts_pages_sections_and_its_own_loose_words():
    """'the five posts' are the sections of the posts page; 'Two of the posts' use a loose word for the element-wise
    product, one subsection each before the one on the posts' code."""
    for lang, name, posts, loose in (
        ("en", "terminology.md", r"occur in the (\w+) posts", r"(\w+) of the posts name the element-wise product"),
        ("zh", "terminology.zh.md", r"只收录(\w)篇文章里", r"有(\w)篇文章用通常另有所指的词来称呼逐元素乘"),
    ):
        raw = (DOCS / name).read_text(encoding="utf-8")
        text = joined(raw, lang)
        posts_page = (DOCS / name.replace("terminology", "posts")).read_text(encoding="utf-8")
        (count,) = stated(text, posts)
        assert NUMBER_WORDS[lang].index(count.lower()) == len(re.findall(r"^## ", posts_page, re.MULTILINE))
        words = re.findall(r"^### .*\{#([^}]+)\}", raw[raw.index("{#loose-words}") :], re.MULTILINE)
        (count,) = stated(text, loose)
        count = count.lower().replace("两", "二")  # 两 is 二 before a measure word
        assert NUMBER_WORDS[lang].index(count) == len(words) - 1, words  # all but "in-the-code"
        assert words[-1] == "in-the-code"
