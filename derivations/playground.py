r"""What the site's in-browser playground runs (Pyodide, in a Web Worker): derive an activation, judge an answer.

Each call returns JSON ``{"status": ..., "html": ...}``: for :func:`derive` the status is ``done`` or
``error``; for :func:`check` it is ``correct``, ``wrong``, ``undecided`` or ``error``. The HTML is in the page's
language, its math is SymPy's presentation MathML, and everything the reader typed is escaped.
The same functions run in CPython, where the tests call them.

Example:
    >>> import json
    >>> json.loads(derive("z**2"))["status"], json.loads(derive("__import__('os')"))["status"]
    ('done', 'error')
"""

from __future__ import annotations

import json
from html import escape

import sympy as sp
from sympy.printing.mathml import MathMLPresentationPrinter

from .activations import Kink, SymbolicActivation, _one_sided, z
from .core import Step, Text, say
from .exercises import EXERCISES, answer, on_page
from .exercises import check as judge
from .scaffold import NON_ANALYTIC, ScaffoldError, _numpy_source, constant, explain, failure, parse


class _MathML(MathMLPresentationPrinter):
    """SymPy's presentation MathML, with a Piecewise drawn as cases (SymPy prints it as a function call)."""

    def __init__(self, lang: str):
        super().__init__()
        self.otherwise = say(Text("otherwise", "其他情况"), lang)

    def _print_Piecewise(self, expr):
        rows = self.dom.createElement("mtable")
        for value, condition in expr.args:
            row = self.dom.createElement("mtr")
            for content in (value, condition):
                cell = self.dom.createElement("mtd")
                if content is sp.true:
                    words = self.dom.createElement("mtext")
                    words.appendChild(self.dom.createTextNode(self.otherwise))
                    cell.appendChild(words)
                else:
                    cell.appendChild(self._print(content))
                row.appendChild(cell)
            rows.appendChild(row)
        brace = self.dom.createElement("mo")
        brace.appendChild(self.dom.createTextNode("{"))
        cases = self.dom.createElement("mrow")
        cases.appendChild(brace)
        cases.appendChild(rows)
        return cases

    def _print_Derivative(self, expr):
        """d²/dz², where SymPy 1.14's printer writes the denominator as d² z."""
        printed = super()._print_Derivative(expr)
        for fraction in printed.getElementsByTagName("mfrac"):
            below = fraction.childNodes[1]
            for power in [node for node in below.childNodes if node.nodeName == "msup"]:
                d, count = power.childNodes
                variable = power.nextSibling
                if d.nodeName != "mo" or variable is None:
                    continue
                raised = self.dom.createElement("msup")
                below.replaceChild(d.cloneNode(True), power)
                below.replaceChild(raised, variable)
                raised.appendChild(variable)
                raised.appendChild(count.cloneNode(True))
        return printed

    def _print_Subs(self, expr):
        """``(d/dz relu(z))|_{z=0}``: a value at a point, not SymPy's call ``subs(…, (z), (0))``."""
        body, variables, points = expr.args
        base = self.dom.createElement("mrow")
        for part in ("(", body, ")", "|"):
            if isinstance(part, str):
                bracket = self.dom.createElement("mo")
                bracket.setAttribute("stretchy", "true")
                bracket.appendChild(self.dom.createTextNode(part))
                part = bracket
            else:
                part = self._print(part)
            base.appendChild(part)
        at = self.dom.createElement("mrow")
        for index, (variable, point) in enumerate(zip(variables, points, strict=True)):
            if index:
                comma = self.dom.createElement("mo")
                comma.appendChild(self.dom.createTextNode(","))
                at.appendChild(comma)
            equals = self.dom.createElement("mo")
            equals.appendChild(self.dom.createTextNode("="))
            for part in (self._print(variable), equals, self._print(point)):
                at.appendChild(part)
        value = self.dom.createElement("msub")
        value.appendChild(base)
        value.appendChild(at)
        return value


def _mathml(expr: sp.Basic, lang: str) -> str:
    return _MathML(lang).doprint(expr)


def math(expr: sp.Basic, lhs: str = "", lang: str = "en") -> str:
    """``expr`` as a MathML element (SymPy's printer gives the content without the ``<math>`` root)."""
    body = _mathml(expr, lang)
    return f'<math display="block"><mrow>{lhs}{body}</mrow></math>'


def _step_math(step: Step, lang: str) -> str:
    relation = {"=": "=", "∈": "∈", "≥": "≥", "≤": "≤"}[step.relation]
    lhs = _mathml(step.lhs, lang)
    return math(step.rhs, f"<mrow>{lhs}</mrow><mo>{relation}</mo>", lang)


def _named(primes: str) -> str:
    """MathML for ``g′(z) =`` (or ``g″(z) =``), the left-hand side of a displayed derivative."""
    argument = '<mo stretchy="false">(</mo><mi>z</mi><mo stretchy="false">)</mo>'
    return f"<mrow><msup><mi>g</mi><mo>{primes}</mo></msup>{argument}</mrow><mo>=</mo>"


def _words(en: str, zh: str, lang: str) -> str:
    return escape(say(Text(en, zh), lang))


def _reply(status: str, html: str) -> str:
    return json.dumps({"status": status, "html": html})


def activation(text: str) -> SymbolicActivation:
    """The typed g(z) as an activation, with a kink declared at every boundary between branches.

    Abs, Max and Min are rewritten as a Piecewise, so each boundary belongs to one branch and the
    value the definition gives there is the convention; the derivation's steps then check that it is
    one of the one-sided limits, as the registry checks its own kinks.
    """
    expr = parse(text)
    if not expr.has(z):
        raise ScaffoldError(constant(text))
    analytic = not expr.has(*NON_ANALYTIC)
    if not analytic:
        expr = sp.piecewise_fold(expr.rewrite(sp.Piecewise))
    draft = SymbolicActivation("g", expr, Text("g", "g"), analytic=analytic)
    kinks = []
    for at in sorted(draft.breakpoints):
        left, right = _one_sided(draft.derivative, at, -1), _one_sided(draft.derivative, at, +1)
        second = None
        if left == right:
            second = draft.second_derivative.subs(z, at)
        kinks.append(
            Kink(
                at,
                draft.derivative.subs(z, at),
                Text(
                    f"At z = {at} the definition's branch that owns the boundary gives g′.",
                    f"在 z = {at} 处，由拥有该分界点的分支给出 g′。",
                ),
                second_derivative=second,
            )
        )
    return SymbolicActivation("g", expr, Text("g", "g"), kinks=tuple(kinks), analytic=analytic)


def derive(text: str, lang: str = "en") -> str:
    """g′ and g″, the kinks and their conventions, the checked steps and the numpy draft for g(z) = ``text``.

    A formula the safe parser refuses says which rule it breaks; one that SymPy or Python fail on says
    what went wrong (:func:`derivations.scaffold.failure`), with Python's own words on a second line.
    """
    try:
        return _reply("done", _derivation_html(activation(text), lang))
    except ScaffoldError as error:
        return _refused(explain(error, lang, Text("g(z)", "g(z)")), lang)
    except Exception as error:  # SymPy's and Python's failures, each named in the page's language
        return _refused(say(failure(error), lang), lang, f"{type(error).__name__}: {error}")


def _refused(message: str, lang: str, detail: str = "") -> str:
    html = f'<p class="playground-error">{_words("Not accepted: ", "不接受：", lang)}{escape(message)}</p>'
    if detail:
        html += f'<p class="playground-detail"><code>{escape(detail[:300])}</code></p>'
    return _reply("error", html)


def _derivation_html(act: SymbolicActivation, lang: str) -> str:
    derivation = act.derivation()
    html = [
        f"<h4>{_words('Derivatives', '导数', lang)}</h4>",
        math(act.derivative, _named("′"), lang),
        math(act.second_derivative, _named("″"), lang),
        f"<h4>{_words('Kinks', '折点', lang)}</h4>",
    ]
    if not act.kinks:
        html.append(
            "<p>"
            + _words(
                "None: g has no branches (abs, max or min), so there is no boundary to take a convention at.",
                "没有：g 不含分支（abs、max 或 min），所以没有要取约定的分界点。",
                lang,
            )
            + "</p>"
        )
    for kink in act.kinks:
        left, right = _one_sided(act.derivative, kink.at, -1), _one_sided(act.derivative, kink.at, +1)
        side = (
            _words("the left-hand slope", "左侧斜率", lang)
            if kink.derivative == left
            else _words("the right-hand slope", "右侧斜率", lang)
        )
        if left == right:
            side = _words("both sides agree", "两侧一致", lang)
        html.append(
            "<p>"
            + _words(
                f"z = {kink.at}: g′ is {left} from the left and {right} from the right; "
                f"the convention is g′({kink.at}) = {kink.derivative}",
                f"z = {kink.at}：g′ 的左极限为 {left}，右极限为 {right}；约定 g′({kink.at}) = {kink.derivative}",
                lang,
            )
            + (f"（{side}）。</p>" if lang == "zh" else f" ({side}).</p>")
        )
    html.append(f'<h4>{_words("Derivation", "推导", lang)}</h4><ol class="playground-steps">')
    for step in dict.fromkeys(derivation.all_steps()):  # the result is one of the steps: show it once
        holds = step.holds()
        mark = "✓" if holds else "?"  # a step SymPy does not prove is not disproved
        html.append(
            f'<li data-holds="{str(holds).lower()}"><span class="playground-mark">{mark}</span> '
            f"{escape(say(step.note, lang))}{_step_math(step, lang)}</li>"
        )
    html.append("</ol>")
    html.append(f"<h4>{_words('The numpy class the scaffold would draft', '脚手架会起草的 numpy 类', lang)}</h4>")
    html.append(f"<pre><code>{escape(_numpy_source(act))}</code></pre>")
    return "\n".join(html)


def check(key: str, text: str, lang: str = "en") -> str:
    """Judge the reader's answer to exercise ``key``: ✓, or a point where it differs and the step it breaks,
    or undecided when SymPy neither proves it nor finds such a point, or when it holds once SymPy cancels a
    division whose divisor SymPy neither proves nonzero nor finds 0 (the message names the divisor)."""
    exercise = EXERCISES.get(key)
    if exercise is None:
        return _reply("error", escape(f"no exercise {key!r}"))
    try:
        verdict = judge(key, text)
    except Exception as error:  # as derive: every input gets an answer, SymPy's failures named in the page's language
        return _refused(say(failure(error), lang), lang, f"{type(error).__name__}: {error}")
    if verdict.status == "correct":
        return _reply(
            "correct",
            "<p>✓ "
            + _words("Right: the derivation verifies with your answer.", "正确：换成你的答案，推导依然成立。", lang)
            + "</p>",
        )
    if verdict.status == "error":
        return _refused(say(verdict.error, lang), lang)
    if verdict.status == "undecided" and verdict.error:  # proved equal, but with a division SymPy cannot decide
        why = escape(say(verdict.error, lang))
        return _reply(
            "undecided", f"<p>? {_words('Undecided: ', '无法判定：', lang)}{why}{_words('.', '。', lang)}</p>"
        )
    if verdict.status == "undecided":
        return _reply(
            "undecided",
            "<p>? "
            + _words(
                "Undecided: SymPy could not prove the derivation with your answer, nor find a point where your "
                "answer and the derivation differ. It may be right in a form SymPy does not simplify: "
                "try a simpler one.",
                "无法判定：SymPy 既没能证明换成你的答案后推导成立，也没找到你的答案与推导不一致的点。"
                "它可能是对的，只是写法 SymPy 化简不了：换一种更简单的写法试试。",
                lang,
            )
            + "</p>",
        )
    step = exercise.the_step()
    number = exercise.step + 1
    # the step is named by what it gives, not by its note or right-hand side, which may show the answer
    gives = f"<math><mrow>{_mathml(step.lhs, lang)}</mrow></math>"
    html = [
        "<p>✗ "
        + _words(
            f"Not yet: your answer breaks step {number} of the derivation, the one that gives",
            f"还不对：你的答案使推导的第 {number} 步不成立，也就是给出",
            lang,
        )
        + f" {gives}"
        + _words(".", " 的那一步。", lang)
        + "</p>"
    ]
    if verdict.error:
        html.append(f"<p>{escape(say(verdict.error, lang))}</p>")
    if verdict.point is not None:
        entry = say(Text("entry", "元素"), lang)
        where = ", ".join(f"{entry if name == 'entry' else name} = {value}" for name, value in verdict.point.items())
        yours, derived = verdict.yours, verdict.derived
        at = (f"At {where}: y", f"在 {where} 处：") if where else ("Y", "")  # an answer with no names is one value
        html.append(
            "<p>"
            + _words(  # escapes the reader's names and values with the words
                f"{at[0]}ours gives {yours}, the derivation gives {derived}.",
                f"{at[1]}你的答案给出 {yours}，推导给出 {derived}。",
                lang,
            )
            + "</p>"
        )
    if verdict.mistake:
        html.append(f"<p>{escape(say(verdict.mistake.why, lang))}</p>")
    return _reply("wrong", "\n".join(html))


def reveal(key: str, lang: str = "en") -> str:
    """The answer of exercise ``key``, from its derivation step (shown only when the reader asks)."""
    exercise = EXERCISES[key]
    step = exercise.the_step()
    shown = math(exercise.expected(), lang=lang) if exercise.against_meaning else _step_math(step, lang)
    typed = f"<p><code>{escape(answer(key))}</code></p>"
    html = f"<p>{_words('The derivation says:', '推导给出：', lang)}</p>{shown}{typed}"
    return _reply("shown", html)


def exercise_box(key: str, lang: str = "en") -> str:
    """The HTML of exercise ``key``'s "Your turn" box, for its page (the page's script wires it to the worker)."""
    exercise = EXERCISES[key]
    names = ", ".join(f"<code>{escape(name)}</code>" for name in exercise.names) or _words(
        "numbers only", "只用数字", lang
    )
    return (
        f'<div class="exercise admonition question" data-exercise="{exercise.key}">'
        f'<p class="admonition-title">{_words("Your turn", "动手试试", lang)}</p>'
        f"<p>{escape(say(exercise.question, lang))}</p>"
        f"<p>{_words('Names you may use:', '可以用的名字：', lang)} {names}</p>"
        '<p><input type="text" spellcheck="false" autocomplete="off" '
        f'aria-label="{_words("your answer", "你的答案", lang)}"> '
        f'<button type="button" class="md-button exercise-check">{_words("Check", "检查", lang)}</button> '
        '<button type="button" class="md-button exercise-reveal">'
        f"{_words('Show the answer', '显示答案', lang)}</button></p>"
        '<div class="exercise-output" aria-live="polite"></div></div>'
    )


def exercises_html(page: str, lang: str = "en") -> str:
    """Every "Your turn" box of ``page`` (see :func:`derivations.exercises.on_page`)."""
    return "\n".join(exercise_box(exercise.key, lang) for exercise in on_page(page))
