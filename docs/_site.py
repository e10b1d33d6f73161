r"""Page generators for the docs: each function returns Markdown for a markdown-exec block to print.

Everything shown is computed at build time from ``derivations`` (SymPy) and ``nn`` (numpy):
formulas, verification status, shapes, plots and code. Nothing here restates a formula.
``docs/hooks.py`` puts this directory on ``sys.path`` and turns the TeX into MathML.
"""

from __future__ import annotations

import inspect
import io
import re
from functools import cache

import numpy as np
import sympy as sp

import derivations
from derivations import activations, claims
from derivations.core import Text, markdown, say, symbol, tex
from nn import activations as numpy_activations


def words(en: str, zh: str, lang: str) -> str:
    """A phrase of the pages' generated parts in the page's language (``lang`` is "en" or "zh")."""
    return say(Text(en, zh), lang)


def anchor(key: str) -> str:
    """The HTML id of a derivation's heading, e.g. ``output-sigmoid_bce``."""
    return key.replace(".", "-")


@cache
def verification(key: str) -> derivations.Verification:
    """Run a derivation's SymPy proof and numeric check once per build."""
    return derivations.get(key).verify(seed=0)


def status(key: str, lang: str = "en") -> str:
    """An admonition with the verification outcome, computed now."""
    outcome = verification(key)
    if outcome.numeric_error is None:
        numeric = words("No finite-difference check applies to this derivation.", "这个推导不适用有限差分检验。", lang)
    else:
        check = derivations.get(key).numeric_check or Text(
            "Finite-difference check at a random point", "在一个随机点做有限差分检验"
        )
        numeric = words(
            f"{check}: relative error {outcome.numeric_error:.1e}.",
            f"{check.zh}：相对误差 {outcome.numeric_error:.1e}。",
            lang,
        )
    if outcome.ok:
        steps = len(tuple(derivations.get(key).all_steps()))
        title = words("Verified when this page was built", "本页构建时已验证", lang)
        proved = words(f"SymPy proof passed: all {steps} steps hold.", f"SymPy 证明通过：全部 {steps} 步成立。", lang)
        return f'!!! success "{title}"\n\n    ✓ {proved}{words(" ", "", lang)}{numeric}\n'
    failed = "\n".join(f"    - `{failed_step}`" for failed_step in outcome.failed_steps)
    title = words("Verification failed when this page was built", "本页构建时验证失败", lang)
    not_proved = words("SymPy could not prove:", "SymPy 未能证明：", lang)
    return f'!!! failure "{title}"\n\n    ✗ {not_proved}\n\n{failed}\n\n    {numeric}\n'


def derivation(key: str, level: int = 3, lang: str = "en") -> str:
    """A derivation: heading, statement, hypotheses, numbered steps, boxed result, verification status."""
    d = derivations.get(key)
    return f"{'#' * level} {markdown(d.title, lang)} {{#{anchor(key)}}}\n\n{d.latex(lang)}\n{status(key, lang)}"


def result(key: str, lang: str = "en") -> str:
    """Only a derivation's headline result, as display math."""
    return display(derivations.get(key).result.latex(lang))


def step(key: str, index: int, lang: str = "en") -> str:
    """One step of a derivation (counting from 0), as display math."""
    return display(derivations.get(key).steps[index].latex(lang))


def inline_step(key: str, index: int | None = None, lang: str = "en") -> str:
    """One step of a derivation (counting from 0), or its result if ``index`` is None, as inline math."""
    d = derivations.get(key)
    return rf"\({(d.result if index is None else d.steps[index]).latex(lang)}\)"


def samples_table(lang: str = "en") -> str:
    """The course's table: each one-sample gradient beside its m-sample form, every cell from a derivation."""
    one, many = "samples.single", "samples.batch_average"
    rows = [
        [words("output layer (sigmoid, cross-entropy)", "输出层（sigmoid，交叉熵）", lang), inline_step(one, 0),
         inline_step(many, 2)],
        [words("weights", "权重", lang), inline_step(one), inline_step(many)],
        [words("bias", "偏置", lang), inline_step(one, 2), inline_step(many, 4)],
        [
            words("one layer down", "往下一层", lang),
            inline_step(one, 3),
            words(
                f"{inline_step(many, 5)}, then {inline_step('linear.dZ')} at layer l − 1",
                f"{inline_step(many, 5)}，然后在第 l − 1 层 {inline_step('linear.dZ')}",
                lang,
            ),
        ],
    ]  # fmt: skip
    header = [
        "",
        words("one sample: a column \\(x\\)", "单个样本：一列 \\(x\\)", lang),
        words("m samples: the columns of \\(X\\)", "m 个样本：\\(X\\) 的各列", lang),
    ]
    return table(header, rows)


def init_factor_table(width: int, lang: str = "en") -> str:
    """Var(w) of each start and the per-layer factor of Var(z) it gives, from init.xavier and init.he."""
    from derivations import initialization

    n = initialization.n_prev
    xavier, he = derivations.get("init.xavier"), derivations.get("init.he")
    small = xavier.steps[5].rhs / n  # the x0.01 step: factor / n[l-1]
    half = he.steps[4].rhs / sp.Symbol("s", positive=True) ** 2
    rows = []
    for name, variance in (("×0.01", small), ("Xavier", xavier.result.rhs), ("He", he.result.rhs)):  # names, no words
        tanh_factor, relu_factor = n * variance, n * variance * half
        at_width = [f"{float(factor.subs(n, width)):.4g}" for factor in (tanh_factor, relu_factor)]
        rows.append([name, math(variance), math(tanh_factor), at_width[0], math(relu_factor), at_width[1]])
    at_width = words(f"at {width} units", f"{width} 个单元时", lang)
    header = [
        words("start", "初始化", lang),
        r"\(\operatorname{Var}(w)\)",
        words("tanh, to first order", "tanh，一阶近似", lang),
        at_width,
        words("ReLU, any symmetric z", "ReLU，任意对称分布的 z", lang),
        at_width,
    ]
    return table(header, rows)


def equation(lhs: str, expr: sp.Basic, lang: str = "en") -> str:
    """``lhs = expr`` as display math; ``lhs`` is TeX, ``expr`` a SymPy expression (its words in ``lang``)."""
    return display(f"{lhs} = {tex(expr, lang)}")


def display(tex: str) -> str:
    return rf"\[{tex}\]" + "\n\n"


def math(expr: sp.Basic, lang: str = "en") -> str:
    """Inline math for a SymPy expression, in the project's notation (its words in ``lang``)."""
    return rf"\({tex(expr, lang)}\)"


def code(source: str, language: str = "python") -> str:
    return f"```{language}\n{source.rstrip()}\n```\n\n"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table. A ``|`` in a cell would end the cell: in the cell's TeX (``\\left|z\\right|``) it
    becomes ``\\vert``, in its prose the escaped ``\\|`` that Markdown shows as ``|``."""
    lines = [header, ["---"] * len(header), *rows]
    return "\n".join("| " + " | ".join(map(_no_pipes, cells)) + " |" for cells in lines) + "\n\n"


INLINE_MATH = re.compile(r"(\\\(.*?\\\))")


def _no_pipes(cell: str) -> str:
    parts = INLINE_MATH.split(cell)
    return "".join(
        part.replace(r"\|", r"\Vert ").replace("|", r"\vert ") if part.startswith(r"\(") else part.replace("|", r"\|")
        for part in parts
    )


#: numpy spellings an answer box reads, as the intro of every "Your turn" section names them
EXERCISE_NUMPY = ("np.dot(W.T, dZ)", "np.sum(dZ, axis=1, keepdims=True)", "np.exp")


def exercise_intro(lang: str = "en") -> str:
    """The intro of every page's "Your turn" section: how an answer is judged and what it may contain."""
    dot, total, exp = (f"`{spelling}`" for spelling in EXERCISE_NUMPY)
    return words(
        "Type your answer and press **Check**: the derivation above judges it in your browser (the first\n"
        "check loads Python and SymPy, about 20 MB, served by this site). A wrong answer is shown at a point\n"
        "where it and the derivation differ (or with the shape rule it breaks), with the step it breaks. An\n"
        "answer SymPy can neither prove nor tell apart from the derivation at a point is called undecided, never\n"
        "right or wrong, and so is one that divides by something SymPy can neither prove nonzero nor find 0\n"
        "([divisions](derive.md#typed)). The answer stays hidden until you ask. Write it in numpy with the\n"
        "box's names:\n"
        f"numpy's calls such as {dot}, {total} and {exp} of a number are read as numpy computes them, and\n"
        "`−`, `a²`, `Wᵀ`, `⊙` and full-width forms copied from a post or a PDF are read too\n"
        "([what an answer may contain](derive.md#typed)).\n",
        "输入答案后点 **检查**：上面的推导会在你的浏览器里评判它\n"
        "（第一次检查要加载 Python 和 SymPy，约 20 MB，由本站提供）。\n"
        "答案不对时，会给出它与推导不一致的一个点（或它违反的维度规则），以及它使哪一步不成立。\n"
        "SymPy 既证明不了、也找不到与推导不一致之点的答案，会标为“无法判定”，不会被判为对或错；\n"
        "答案所除的式子，SymPy 既证明不了它不为 0、也找不到它为 0 的点时，同样如此（见[除法](derive.md#typed)）。\n"
        "在你要求之前不会显示答案。"
        f"答案用 numpy 写，使用框里列出的名字：{dot}、{total} 和作用于数的 {exp} 等 numpy 调用按 numpy 的算法读取；"
        "从文章或 PDF 复制来的 `−`、`a²`、`Wᵀ`、`⊙` 和全角字符也能读取（见[答案里可以写什么](derive.md#typed)）。\n",
        lang,
    )


def verification_table(lang: str = "en") -> str:
    """Every derivation with its proof status and numeric error, computed now."""
    rows = []
    for d in derivations.all_derivations():
        outcome = verification(d.key)
        failed = len(outcome.failed_steps)
        proof = (
            words("✓ passed", "✓ 通过", lang)
            if outcome.ok
            else words(f"✗ {failed} step(s) not proved", f"✗ {failed} 步未能证明", lang)
        )
        numeric = "—" if outcome.numeric_error is None else f"{outcome.numeric_error:.1e}"
        rows.append([f"`{d.key}`", markdown(d.title, lang), proof, numeric])
    header = [words("key", "键", lang), words("derivation", "推导", lang), words("SymPy proof", "SymPy 证明", lang),
              words("finite differences", "有限差分", lang)]  # fmt: skip
    return table(header, rows)


def output_forms_table(lang: str = "en") -> str:
    """Per activation, from SymPy: where g > 0, whether the masks A > 0 and Z > 0 agree, and g' in terms of a.

    The middle column is a three-valued claim (``derivations.claims``): proved, disproved with a
    counterexample, or undecided, and the cell says which, with its reason.
    """
    rows = []
    for name in activations.names():
        act = activations.get(name)
        claim = claims.positive_exactly_where_z_is(act)
        solved = claim.verdict == "proved" or not claim.solution.has(sp.ConditionSet)
        where = math(claim.solution, lang) if solved else words("not solved by SymPy", "SymPy 未能求解", lang)
        from_a = math(act.derivative_in_output, lang) if act.output_form else words("not derived", "未推导", lang)
        reason = markdown(claim.reason, lang)
        if claim.factor is not None:
            h = f"\\(h(z) = {tex(claim.factor, lang)}\\)"
            reason += words(f" Here {h}.", f"其中 {h}。", lang)
        rows.append([name, where, f"{markdown(claim.shown, lang)}{words(': ', '：', lang)}{reason}", from_a])
    header = [
        words("activation", "激活函数", lang),
        words(r"where \(g(z) > 0\)", r"\(g(z) > 0\) 的区域", lang),
        words(r"mask \(A > 0\) is \(Z > 0\)?", r"掩码 \(A > 0\) 就是 \(Z > 0\) 吗？", lang),
        words(r"\(g'\) from the output \(a\)", r"用输出 \(a\) 表示的 \(g'\)", lang),
    ]
    return table(header, rows)


def analytic_activations(lang: str = "en") -> str:
    """The registered activations declared analytic (where the complex-step check applies), as a sentence."""
    names = [f"`{name}`" for name in activations.names() if activations.get(name).analytic]
    return words(", ".join(names) or "none", "、".join(names) or "无", lang) + words(".", "。", lang) + "\n"


def _g(act: activations.SymbolicActivation) -> str:
    return act.tex or rf"\operatorname{{{act.name}}}"


def sentence(summary: str) -> str:
    """An English summary as the start of a sentence: a leading word capitalized, a leading formula as written
    (z·tanh(…) and log(…) stay lower case: Z is the m-sample matrix, and log a function's name)."""
    first = summary.split(" ", 1)[0]
    return summary[0].upper() + summary[1:] if first.isalpha() and len(first) > 1 else summary


def activation_section(name: str, level: int = 2, lang: str = "en") -> str:
    """One activation: g, g', g'' from SymPy, a plot, kink conventions, numpy code, verification status."""
    act = activations.get(name)
    g, z = _g(act), tex(activations.z)
    parts = [
        f"{'#' * level} {name} {{#{name.replace('_', '-')}}}\n\n",
        markdown(Text(f"{sentence(act.summary)}.", f"{say(act.summary, 'zh')}。"), lang) + "\n\n",
        equation(f"{g}({z})", act.definition, lang),
    ]
    if act.output_form:  # the form backprop uses first, then the SymPy steps that get there
        parts += [
            words(
                f"In terms of the cached output {math(activations.a)}, as backprop code uses it:",
                f"用缓存的输出 {math(activations.a)} 表示（反向传播代码正是这样用的）：",
                lang,
            )
            + "\n\n",
            equation(f"{g}'({z})", act.derivative_in_output, lang),
            words(
                f"SymPy differentiates the definition to {math(act.derivative, lang)}, then solves "
                f"{math(sp.Eq(activations.a, act.g(activations.z)), lang)} for {math(activations.z)}, "
                f"{math(sp.Eq(activations.z, act.output_inverse, evaluate=False), lang)}, and substitutes "
                "(the full derivation is below).",
                f"SymPy 先对定义求导，得到 {math(act.derivative, lang)}；再从 "
                f"{math(sp.Eq(activations.a, act.g(activations.z)), lang)} 解出 {math(activations.z)}，"
                f"即 {math(sp.Eq(activations.z, act.output_inverse, evaluate=False), lang)}，"
                "然后代回（完整推导见下）。",
                lang,
            )
            + "\n\n",
        ]
    else:
        parts.append(equation(f"{g}'({z})", act.derivative, lang))
    parts += [
        equation(f"{g}''({z})", act.second_derivative, lang),
        f'<div class="activation-plot" data-search-exclude>\n{plot_svg(name)}\n</div>\n\n',
    ]
    for kink in act.kinks:
        value = rf"\({g}'({tex(sp.sympify(kink.at))}) = {tex(sp.sympify(kink.derivative))}\)"
        convention = words(f"Convention at z = {activations.written(kink.at)}",
                           f"z = {activations.written(kink.at)} 处的约定", lang)  # fmt: skip
        limits = words(
            f"The SymPy definition gives {value}, one of the two one-sided limits.",
            f"按 SymPy 中的定义，{value}，即两个单侧极限之一。",
            lang,
        )
        parts.append(f'!!! info "{convention}"\n\n    {markdown(kink.reason, lang)}\n\n    {limits}\n\n')
    if not act.kinks:
        parts.append(
            words(f"No kink: {name} is differentiable everywhere.", f"没有折点：{name} 处处可导。", lang) + "\n\n"
        )
    if name in numpy_activations.names():
        parts += [_numpy_implementation(name, lang), code(inspect.getsource(type(numpy_activations.get(name))))]
    else:
        title = words("No numpy implementation", "没有 numpy 实现", lang)
        missing = words(f"`nn.activations` has no activation named `{name}`.",
                        f"`nn.activations` 中没有名为 `{name}` 的激活函数。", lang)  # fmt: skip
        parts.append(f'!!! failure "{title}"\n\n    {missing}\n\n')
    parts += [
        f'??? abstract "{words("The full derivation", "完整推导", lang)}"\n\n',
        _indent(derivations.get(f"activation.{name}").latex(lang)),
        "\n",
        status(f"activation.{name}", lang),
    ]
    return "".join(parts)


def _numpy_implementation(name: str, lang: str) -> str:
    return (
        words(
            f"The numpy implementation, `nn.activations.get({name!r})`:",
            f"numpy 实现，`nn.activations.get({name!r})`：",
            lang,
        )
        + "\n\n"
    )


def activations_page(lang: str = "en") -> str:
    """One section per registered symbolic activation, in registry order, then the non-elementwise ones."""
    sections = [activation_section(name, lang=lang) for name in activations.names()]
    sections += [column_activation_section(name, lang=lang) for name in numpy_activations.names(elementwise=False)]
    return "\n".join(sections)


def column_activation_section(name: str, level: int = 2, lang: str = "en") -> str:
    """An activation that mixes the units of a column (softmax): its summary, code and derivation's result."""
    act = numpy_activations.get(name)
    d = derivations.get(act.derivation)
    summary = inspect.getdoc(type(act)).split("\n\n")[0]
    link = f"[{markdown(d.title, lang)}](output-layer.md#{anchor(d.key)})"
    return "".join(
        [
            f"{'#' * level} {name} {{#{name.replace('_', '-')}}}\n\n",
            words(summary, act.summary_zh, lang) + "\n\n",
            words(
                f"Not elementwise, so it has no \\(g'\\) to plot: each output depends on every unit of its "
                f"column. It is an output activation only, derived in {link}:",
                f"它不是逐元素的，所以没有可画的 \\(g'\\)：每个输出都依赖于同一列的所有单元。"
                f"它只用作输出层激活函数，推导见{link}：",
                lang,
            )
            + "\n\n",
            display(d.result.latex(lang)),
            _numpy_implementation(name, lang),
            code(inspect.getsource(type(act))),
            status(d.key, lang),
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


def shape_table(layer_dims: list, labels: list[str] | None = None, lang: str = "en") -> str:
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
    general = words("layer \\(l\\)", "第 \\(l\\) 层", lang)  # the layer l itself, not "l = l"
    header = [general if label == "l" else rf"\(l = {label}\)" for label in labels]
    return table([words("quantity", "量", lang), *header], rows)


def _entries(value) -> str:
    """A small matrix as its rows, each a comma-separated list, rows split by semicolons."""
    return "; ".join(", ".join(f"{v:.4g}" for v in row) for row in np.atleast_2d(value))


def trace_tables(name: str, lang: str = "en") -> str:
    """One of ``nn.trace.POST_NETWORKS``: its draw, then every intermediate of its pass with the central difference."""
    from nn.trace import backward_trace, post_example

    X, Y, parameters, names = post_example(name)
    given = [["`X`", _shape(X.shape), _entries(X)], ["`Y`", _shape(Y.shape), _entries(Y)]]
    given += [[f"`{key}`", _shape(value.shape), _entries(value)] for key, value in parameters.items()]
    header = [words("quantity", "量", lang), words("shape", "维度", lang), words("value", "值", lang)]
    rows = []
    for row in backward_trace(X, Y, parameters, names):
        numeric = "" if row.numeric is None else _entries(row.numeric)
        error = "" if row.error is None else f"{row.error:.0e}"
        rows.append([f"`{row.name}`", _shape(row.value.shape), _entries(row.value), numeric, error])
    checked = [*header, words("central difference", "中心差分", lang), words("relative error", "相对误差", lang)]
    return table(header, given) + table(checked, rows)
