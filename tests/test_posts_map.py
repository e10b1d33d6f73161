"""The page "From the blog posts to this site", and every comparison with a post's or the course's number.

Each post has a section with a table whose rows carry a verdict that the page's introduction
defines, in both languages, and the twins give each row the same verdict; every derivation key
the page names exists. A post's accuracy is never called a test accuracy where the post does not
say so.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pytest

import derivations
import nn
from nn.experiments import breast_cancer, course_planar, init_table, initialization, learning_rates, square_error
from tests.support import NUMBER_WORDS, joined, stated
from tests.test_experiments import IMG as EXPERIMENT_TABLES
from tests.test_experiments import _bracket, _rows, _runs

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = {"en": "posts.md", "zh": "posts.zh.md"}
# The verdicts the introduction defines, in its order; the two languages pair up entry by entry.
VERDICTS = {
    "en": ("correct as written", "correct in other notation", "correct only up to a point", "wrong",
           "not checked here", "pictures missing from the text", "a setting", "rerun as written",
           "consistent with the rerun", "not comparable"),
    "zh": ("原样正确", "换一种记号后正确", "只在一定范围内正确", "错误", "本站未检验", "原文是图片，文字版中缺失",
           "只是一个设置", "按原设置重跑", "与重跑结果一致", "无法比较"),
}  # fmt: skip
WRONG = 3  # the index of "wrong", whose reason must follow
BOUNDARY = r"(?=$|[:;,.(：；，。（]| \()"  # a verdict ends the cell or is followed by its explanation
FAMILIES = {key.split(".")[0] for key in derivations.keys()}


def page(lang: str) -> str:
    return (DOCS / PAGES[lang]).read_text(encoding="utf-8")


def defined_verdicts(lang: str) -> tuple[str, ...]:
    """The verdicts the introduction (the text before the first section) defines, as list items ``- *verdict*:``."""
    introduction = page(lang).split("\n## ", 1)[0]
    return tuple(re.findall(r"^- \*([^*]+)\*[:：]", introduction, flags=re.MULTILINE))


def verdict(cell: str, lang: str) -> int | None:
    """The index of the defined verdict that the cell begins with, or None."""
    for index, name in enumerate(defined_verdicts(lang)):
        if re.match(re.escape(name) + BOUNDARY, cell):
            return index
    return None


def sections(lang: str = "en") -> dict[str, list[list[str]]]:
    """Each level-2 section's table rows (header and rule left out), as lists of cells."""
    parts = re.split(r"^## (.+)$", page(lang), flags=re.MULTILINE)[1:]
    tables = {}
    for title, body in zip(parts[::2], parts[1::2], strict=True):
        rows = [line.strip("|").split(" | ") for line in body.splitlines() if line.startswith("| ")]
        tables[title] = rows[1:]
    return tables


@pytest.mark.parametrize("lang", PAGES)
def test_one_section_per_post_each_with_a_table(lang):
    tables = sections(lang)
    assert len(tables) == 5
    assert all(len(rows) >= 5 for rows in tables.values())


@pytest.mark.parametrize("lang", PAGES)
def test_the_introduction_defines_every_verdict(lang):
    assert defined_verdicts(lang) == VERDICTS[lang]


@pytest.mark.parametrize(("lang", "title"), [(lang, title) for lang in PAGES for title in sections(lang)])
def test_every_row_has_a_verdict_the_introduction_defines(lang, title):
    for row in sections(lang)[title]:
        assert len(row) == 4, row
        index = verdict(row[2], lang)
        assert index is not None, f"{title}: {row[0]!r} has no verdict the introduction defines: {row[2]!r}"
        if index == WRONG:
            assert len(row[2]) > len(VERDICTS[lang][WRONG]) + 2, f"{title}: {row[0]!r} is wrong without saying why"


@pytest.mark.parametrize(
    ("markdown_cell", "index"),
    [("wrong: a reason", WRONG), ("wrong word: a reason", None), ("correct as written (a note)", 0),
     ("not comparable as stated", None), ("correct, as written", None)],
)  # fmt: skip
def test_a_verdict_must_be_a_whole_defined_phrase(markdown_cell, index):
    assert verdict(markdown_cell, "en") == index


def test_the_twins_give_each_row_the_same_verdict():
    for (title, rows), zh_rows in zip(sections("en").items(), sections("zh").values(), strict=True):
        assert len(rows) == len(zh_rows), title
        for row, zh_row in zip(rows, zh_rows, strict=True):
            assert verdict(row[2], "en") == verdict(zh_row[2], "zh"), f"{title}: {row[0]!r} / {zh_row[0]!r}"


@pytest.mark.parametrize("lang", PAGES)
def test_every_key_named_exists(lang):
    keys = set(derivations.keys())
    for title, rows in sections(lang).items():
        for row in rows:
            for key in re.findall(r"`([a-z_]+\.[A-Za-z_]+)`", row[3]):
                if key.split(".")[0] not in FAMILIES:
                    continue  # an API name such as nn.predict
                assert key in keys, f"{title}: {key} is not a derivation key"


@pytest.mark.parametrize("lang", PAGES)
def test_the_prediction_threshold_is_settled_where_it_is_stated(lang):
    """The row on predicting 1 at A2 ≥ 0.5 links nn.predict's reference entry, which states its > 0.5."""
    [row] = [row for rows in sections(lang).values() for row in rows if "A2 ≥ 0.5" in row[0]]
    assert "(reference/nn.md#nn.predict)" in row[3]
    assert r"\(A^{[L]} > 0.5\)" in nn.predict.__doc__


@pytest.mark.parametrize("lang", PAGES)
def test_the_square_error_post_loss_is_not_placed_at_an_epoch(lang):
    """The post's printed output is an excerpt that labels no epochs."""
    rows = [row for rows in sections(lang).values() for row in rows if "0.33" in row[0]]
    assert rows
    for row in rows:
        assert "near epoch" not in " ".join(row)
        assert "接近第" not in " ".join(row)


def test_a_post_accuracy_is_never_called_a_test_accuracy():
    """The ReLU post does not say whether its 92% is on training or test data."""
    index = (DOCS / "experiments" / "index.md").read_text(encoding="utf-8")
    table = (DOCS / "experiments" / "img" / "breast-cancer-table.txt").read_text(encoding="utf-8")
    page = (DOCS / "experiments" / "breast_cancer.md").read_text(encoding="utf-8")
    assert "92% test" not in index
    assert "train or test not stated" in index
    assert "train or test: not stated" in table.splitlines()[0]
    assert "whether that is training or test accuracy" in page
    assert "clears" not in page  # no conclusion drawn from numbers taken in different settings


def test_the_course_comparison_on_the_planar_page_states_its_setting():
    """The course's sweep ran 5000 iterations on its own points; ours 10000 on ours."""
    header = (DOCS / "experiments" / "img" / "planar-table.txt").read_text(encoding="utf-8").splitlines()[0]
    assert "10000" in header
    assert "5000" in header
    page = (DOCS / "experiments" / "planar.md").read_text(encoding="utf-8")
    assert "the course shows the same" not in page  # its 20 and 50 units do not rise, as the table shows


def test_the_home_page_says_what_the_posts_are_and_links_the_map():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    first = index.index("blog posts")
    assert "(posts.md)" in index[first : first + 400]
    assert "Every formula on this site is printed by SymPy" not in index
    for lang, pattern in (("en", r"grew from\s+(\w+) Chinese blog posts"), ("zh", r"本站源于(\w)篇")):
        home = (DOCS / ("index.zh.md" if lang == "zh" else "index.md")).read_text(encoding="utf-8")
        (count,) = stated(home, pattern)
        assert NUMBER_WORDS[lang].index(count) == len(sections(lang)), f"{lang}: the home page counts {count} posts"


def test_the_diagram_takes_the_derivative_from_what_nn_reads():
    """nn computes g'(Z[l]) from the cached Z; the home page's diagram must say the same."""
    import inspect

    import nn

    assert '.derivative(cache[f"Z' in inspect.getsource(nn.network)
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    assert "from Z[1]" in index
    assert "from A[1]" not in index


#: The derivation that gives each gradient the home page's diagram writes on an orange arrow.
DIAGRAM_GRADIENTS = {
    "dZ[2]": "output.sigmoid_bce",
    "dA[1]": "linear.dA_prev",
    "dZ[1]": "linear.chain_tanh",
    "dW": "linear.dW",
    "db": "linear.db",
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_gradient_on_an_orange_arrow_is_one_of_the_results_printed_under_the_diagram(lang):
    """The diagram's orange labels (dW[2], db[2] share an arrow) name as many derivations as the page prints
    below it, the same ones, and the page counts them."""
    home = (DOCS / ("index.zh.md" if lang == "zh" else "index.md")).read_text(encoding="utf-8")
    (orange,) = re.findall(r'<g font-size="12" fill="#e65100">(.*?)</g>', home, re.DOTALL)
    labels = [label for text in re.findall(r">([^<]+)</text>", orange) for label in text.split(", ")]
    named = {DIAGRAM_GRADIENTS.get(label) or DIAGRAM_GRADIENTS[label[:2]] for label in labels}
    (printed,) = re.findall(r"for key in \(([^)]*)\):", home)
    assert named == set(re.findall(r'"([\w.]+)"', printed))
    count = NUMBER_WORDS[lang][len(named)]
    said = f"is one of {count} derived results" if lang == "en" else f"都来自下面{count}个推导出的结论之一"
    assert said in joined(home, lang), f"the page no longer says {said!r}"


@pytest.mark.parametrize("lang", PAGES)
def test_the_courses_own_column_w_is_not_called_other_notation(lang):
    """A column w with σ(wᵀX + b) and dw = X(A − Y)ᵀ/m is the course's own logistic-regression notation
    (the logistic-regression page says so), so those rows are correct as written."""
    rows = [
        row
        for rows in sections(lang).values()
        for row in rows
        if row[0].strip().startswith(("A = σ(wᵀX + b)", "dw = X"))
    ]
    assert len(rows) == 2
    assert [verdict(row[2], lang) for row in rows] == [0, 0]


# Each post's title as its text gives it, by the anchor of its section. Two texts carry no title line:
# the one-sample post opens with a heading, and the chain-rule post with the list of its series.
POST_TITLES = {
    "a-2-layer-network-on-the-planar-flower": ("神经网络的梯度下降公式推导及代码实现", True),
    "formulas-logistic-regression-and-an-l-layer-network": ("神经网络的相关推导公式", True),
    "one-sample-and-m-samples": ("符号约定", False),
    "a-3-layer-relu-network-by-hand": ("一步步手写神经网络", True),
    "backprop-by-the-chain-rule-and-a-square-error-network": ("深度学习入门系列4-反向传播BP算法", False),
}
TITLE_LABEL = {"en": "*Title:*", "zh": "*原文标题：*"}
NO_TITLE = {"en": ("none in the text", "no title line in the text"), "zh": ("正文中没有标题",)}


def title_paragraphs(lang: str) -> dict[str, str]:
    """Each section's anchor and the first paragraph under its heading, joined into one line."""
    parts = re.split(r"^## .+\{#([a-z0-9-]+)\}$", page(lang), flags=re.MULTILINE)[1:]
    return {
        anchor: " ".join(body.strip().split("\n\n")[0].split("\n"))
        for anchor, body in zip(parts[::2], parts[1::2], strict=True)
    }


@pytest.mark.parametrize("lang", PAGES)
def test_each_section_opens_with_its_posts_title(lang):
    """The title is quoted as a title (《…》); the English page renders it in English, in quotes and parentheses.
    A post whose text has no title says so, and quotes the heading or series entry it opens with."""
    paragraphs = title_paragraphs(lang)
    assert list(paragraphs) == list(POST_TITLES)
    for anchor, (title, titled) in POST_TITLES.items():
        paragraph = paragraphs[anchor]
        assert paragraph.startswith(TITLE_LABEL[lang]), f"{anchor}: no title line: {paragraph[:60]!r}"
        assert f"《{title}》" in paragraph, f"{anchor}: the title {title} is not quoted"
        if lang == "en":
            assert re.search(f'《{re.escape(title)}》 \\("[A-Z][^"]+"\\)', paragraph), f"{anchor}: no English rendering"
        assert any(phrase in paragraph for phrase in NO_TITLE[lang]) != titled, f"{anchor}: says whether it has a title"


PARITY_SIZES = range(1, 9)  # the posts page: "a test builds it for every n up to 8"


@pytest.mark.parametrize("n", PARITY_SIZES)
def test_one_hidden_layer_of_n_threshold_units_computes_n_bit_parity(n):
    """The posts page says the circuit argument's 2ⁿ⁻¹ units do not carry over to threshold units: unit k fires
    when at least k of the n inputs are 1, and the output adds the units with alternating signs."""
    X = np.array(list(itertools.product([0.0, 1.0], repeat=n))).T  # all 2ⁿ inputs, as columns
    W1, b1 = np.ones((n, n)), -(np.arange(1, n + 1) - 0.5).reshape(n, 1)
    W2, b2 = np.array([[(-1.0) ** k for k in range(n)]]), -0.5
    A1 = (W1 @ X + b1 > 0).astype(float)
    assert np.array_equal(W2 @ A1 + b2 > 0, X.sum(axis=0, keepdims=True) % 2 == 1)


WORDS = {2: ("two", "两"), 3: ("three", "三"), 5: ("five", "五")}


def _rerun_claims() -> list[tuple[str, str]]:
    """What the page says of this site's runs, each figure read from the run's module or its committed table,
    with the words around it in each language. Each statement itself (falls at every step, learns nothing) is
    held to the tables by the run's own tests (test_learning_rates.py, test_init_table.py, test_experiments.py)."""
    low, mid, high = learning_rates.PLANAR_RATES
    lr_steps, lr_seeds = learning_rates.ITERATIONS, WORDS[len(learning_rates.SEEDS)]
    post_run = {int(row[0]): row[3] for row in _rows((EXPERIMENT_TABLES / "planar-post-run.txt").read_text())[2:]}
    hidden, units, rate, steps = init_table.HIDDEN, init_table.UNITS, init_table.LEARNING_RATE, init_table.ITERATIONS
    init_seeds = WORDS[len(init_table.SEEDS)]
    bracket = _bracket(EXPERIMENT_TABLES)
    plateau = set(_runs(bracket, "raw", "He"))
    raw_small = _runs(bracket, "raw", "×0.01")
    learnt = sum(run not in plateau for run in raw_small)
    schedules, bracket_seeds = WORDS[len(breast_cancer.SCHEDULES)], WORDS[len(breast_cancer.BRACKET_SEEDS)]
    flattened = np.empty((209, 64, 64, 3), dtype=np.uint8)  # the post's shape; its m_train is 209 // 209
    column = flattened.reshape(209 // 209, -1).T.shape[0]
    target = f"{np.sum(square_error.TARGET**2):.2f}"
    return [
        (
            f"here 4 units, this site's points, {lr_steps} iterations, {lr_seeds[0]} seeds) at the post's α = {low:g} "
            f"the cost falls at every step, at α = {mid:g} it zig-zags and at α = {high:g} it ends far above its "
            "starting cost",
            f"这里用 4 个单元、本站的数据点、{lr_steps} 次迭代、{lr_seeds[1]}个种子），"
            f"在文章的 α = {low:g} 下代价每一步都在下降，α = {mid:g} 时来回锯齿，α = {high:g} 时最终远高于起始代价",
        ),
        (f"up to α = {max(learning_rates.LARGE_RATES):g}", f"最大到 α = {max(learning_rates.LARGE_RATES):g}"),
        (
            f"Its main run: learning rate {course_planar.LEARNING_RATE}, {course_planar.ITERATIONS} iterations, "
            f"{course_planar.POST_HIDDEN} hidden units | numbers | rerun as written",
            f"它的主实验：学习率 {course_planar.LEARNING_RATE}，{course_planar.ITERATIONS} 次迭代，"
            f"{course_planar.POST_HIDDEN} 个隐藏单元 | 数字 | 按原设置重跑",
        ),
        (
            f"the run ends at {post_run[2]} of the training points with seed 2 and {post_run[3]} with seed 3",
            f"种子 2 最后在训练点上达到 {post_run[2]}，种子 3 为 {post_run[3]}",
        ),
        (f"×0.01 through {initialization.DEPTH} tanh layers", f"（{initialization.DEPTH} 个 tanh 层、每层 ×0.01；"),
        (
            f"a stack of {hidden} hidden layers of {units} units started at ×0.01 learns nothing on the digits 3 vs 8 "
            f"in {steps} iterations at α = {rate:g} with any unit ({init_seeds[0]} seeds)",
            f"一个 {hidden} 个隐藏层、每层 {units} 个单元的堆叠从 ×0.01 开始，在数字 3 对 8 上以 α = {rate:g} 训练 "
            f"{steps} 次迭代，无论用哪种激活函数都学不到任何东西（{init_seeds[1]}个种子）",
        ),
        (
            f"here {init_seeds[0]} seeds, {hidden} hidden layers of {units} units, digits 3 vs 8, α = {rate:g}, "
            f"{steps} iterations)",
            f"这里是{init_seeds[1]}个种子，{hidden} 个隐藏层、每层 {units} 个单元，数字 3 对 8，α = {rate:g}，"
            f"{steps} 次迭代）",
        ),
        (
            f"{schedules[0]} schedules, {bracket_seeds[0]} seeds each",
            f"{schedules[1]}种训练安排，每种{bracket_seeds[1]}个种子",
        ),
        (
            f"(in {learnt} of their {len(raw_small)} runs; the other {len(raw_small) - learnt} stay at the majority",
            f"（它的 {len(raw_small)} 次运行中有 {learnt} 次，另外 {len(raw_small) - learnt} 次停在多数类）",
        ),
        (
            f"the reshape gives one column of {column} entries",
            f"reshape 得到的是一列 {column} 个元素",
        ),
        (f"lies below Σt² = {target}", f"低于 Σt² = {target}"),
        (f"rises back to Σt² = {target}", f"回升到 Σt² = {target}"),
        (f"for every n up to {max(PARITY_SIZES)}", f"对不超过 {max(PARITY_SIZES)} 的每个 n"),
    ]


@pytest.mark.parametrize("lang", PAGES)
def test_the_page_states_the_settings_and_figures_of_the_runs_it_cites(lang):
    text = re.sub(r"\s+", " ", page(lang))
    for pair in _rerun_claims():
        assert pair[lang == "zh"] in text, f"{PAGES[lang]} no longer says {pair[lang == 'zh']!r}"


HOMES = {"en": "index.md", "zh": "index.zh.md"}


def test_the_square_error_rerun_takes_the_posts_setting():
    """The row that says "rerun as written": one sample, three 4×4 weights, lr 1e-7, 500000 epochs; the home page
    counts the same epochs."""
    assert (square_error.LEARNING_RATE, square_error.POST_EPOCHS) == (1e-7, 500_000)
    setting = "learning rate 1e-7, 500000 epochs"
    [row] = [row for rows in sections().values() for row in rows if setting in row[0]]
    assert verdict(row[2], "en") == VERDICTS["en"].index("rerun as written")
    home = {lang: joined((DOCS / name).read_text(encoding="utf-8"), lang) for lang, name in HOMES.items()}
    assert f"in a loop written for {square_error.POST_EPOCHS} epochs" in home["en"]
    assert f"写成 {square_error.POST_EPOCHS} 轮（epoch）的循环" in home["zh"]


POST_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:e[-+]?\d+)?%?")
NOT_A_FIGURE = re.compile(r"`[^`\n]*`|\\\(.*?\\\)|\]\([^)]*\)|《[^》]*》")
#: Figures a verdict may state that are neither the post's own (quoted in its section) nor a run's (bound above).
QUOTED = {
    "16": "the digits' largest pixel value, a fact of the data set",
    "0.01": "the ×0.01 start, the post's own scale (the ReLU post's row quotes it)",
    "6000": "the course's run: bound to its table by tests/test_course_planar.py",
    "90.50%": "the course's run with seed 2: bound by tests/test_course_planar.py",
    "90.75%": "the course's run with seed 3: bound by tests/test_course_planar.py",
    "90%": "what the course's notebook prints (course_planar.NOTEBOOK_ACCURACY), bound there too",
    **dict.fromkeys(
        ("91.25%", "92.00%"),
        "the post's run on other kernels, measured by hand; tests/test_experiments.py's OTHER_KERNELS holds them",
    ),
}


def unbound_figures(lang: str, text: str | None = None) -> list[str]:
    """The numbers of the verdicts that are neither a figure the post states in its section, nor one of
    :func:`_rerun_claims`, nor quoted in :data:`QUOTED`; whole numbers up to 10 are counts, not held."""
    source = page(lang) if text is None else text
    claims = " ".join(pair[lang == "zh"] for pair in _rerun_claims())
    known = set(POST_NUMBER.findall(claims)) | set(QUOTED)
    found = []
    for body in re.split(r"^## .+$", source, flags=re.MULTILINE)[1:]:
        rows = [line.strip("|").split(" | ") for line in body.splitlines() if line.startswith("| ")][1:]
        posts = set(POST_NUMBER.findall(" ".join(NOT_A_FIGURE.sub(" ", row[0]) for row in rows)))
        for row in rows:
            for number in POST_NUMBER.findall(NOT_A_FIGURE.sub(" ", row[2])):
                if number not in known | posts and not (number.isdigit() and int(number) <= 10):
                    found.append(number)
    return found


@pytest.mark.parametrize("lang", PAGES)
def test_every_figure_in_a_verdict_is_the_posts_or_a_bound_runs(lang):
    assert not unbound_figures(lang)


def test_a_figure_typed_into_a_verdict_is_found():
    planted = page("en").replace("at α = 200 it ends far above", "at α = 300 it ends far above", 1)
    assert planted != page("en")
    assert unbound_figures("en", planted) == ["300"]


@pytest.mark.parametrize("lang", PAGES)
def test_the_shape_comment_the_page_calls_wrong_is_wrong(lang):
    """The post's comment calls σ(wᵀX + b) an (m, 1) matrix; with w (n, 1) and X (n, m) it is (1, m)."""
    n, m = 3, 5
    w, X = np.zeros((n, 1)), np.zeros((n, m))
    assert (w.T @ X + 0.0).shape == (1, m) != (m, 1)
    [row] = [row for rows in sections(lang).values() for row in rows if "(m, 1)" in row[0]]
    assert verdict(row[2], lang) == WRONG
    assert "(1, m)" in row[2]


#: Each post's section says whose notation the post writes in; the course's is said in these words.
NOTATION = {"en": (r"^\*Notation:\* (.+?)$", "the course's."), "zh": (r"^\*记号：\*(.+?)$", "课程的记号。")}
#: Where the home page and this page's introduction count the posts in the course's notation, and where the
#: introduction names the one that is not.
COUNTED = {
    "en": (r"(\w+) of them in the notation of Andrew Ng's", r"(\w+) of them follow Andrew Ng's",
           r"the fifth explains the (chain rule) in its own notation"),
    "zh": (r"其中(\w)篇使用吴恩达深度学习课程的记号", r"其中(\w)篇沿用吴恩达深度学习课程及其记号",
           r"第五篇用自己的记号讲(链式法则)"),
}  # fmt: skip


@pytest.mark.parametrize("lang", PAGES)
def test_the_posts_in_the_courses_notation_are_counted_from_their_sections(lang):
    """'five posts, four of them in the course's notation': the four are the sections whose notation line says the
    course's, and the fifth, in its own notation, is the chain-rule post's section."""
    pattern, course = NOTATION[lang]
    parts = re.split(r"^## (.+)$", page(lang), flags=re.MULTILINE)[1:]
    bodies = zip(parts[::2], parts[1::2], strict=True)
    notations = {title: re.findall(pattern, body, re.MULTILINE) for title, body in bodies}
    assert all(len(lines) == 1 for lines in notations.values()), notations
    own = [title for title, (line,) in notations.items() if line != course]
    home = joined((DOCS / ("index.zh.md" if lang == "zh" else "index.md")).read_text(encoding="utf-8"), lang)
    on_home, in_introduction, chain_rule = COUNTED[lang]
    for text, counted in ((home, on_home), (joined(page(lang), lang), in_introduction)):
        (count,) = stated(text, counted)
        assert NUMBER_WORDS[lang].index(count.lower()) == len(notations) - len(own), f"{lang}: {count} in the course's"
    (named,) = stated(joined(page(lang), lang), chain_rule)
    assert len(own) == 1, f"in their own notation: {own}"
    assert named in own[0], f"the introduction names the {named} post, in its own notation: {own[0]}"
