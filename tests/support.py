"""Independent oracles shared by the tests (central differences, the relative error), the check of a diagnosis,
and a page's Markdown prose with its line breaks joined, the figure a page types, or what one of its exec blocks
prints (for the tests that bind a page's sentences and shown output to their runs and to the code).

These are deliberately plain and separate from ``nn``: a test that used the code under test
as its own oracle could not fail.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

import nn
from nn import checks
from nn.gradcheck import mistakes
from nn.losses import _cost
from nn.network import _forward

#: The course the seeds follow flags a gradient bug above 2e-7 with eps = 1e-7; we require 1e-7.
GRADCHECK_THRESHOLD = 1e-7


def relative_error(g: np.ndarray, g_hat: np.ndarray) -> float:
    """‖g − ĝ‖ / (‖g‖ + ‖ĝ‖), 0 when both vanish."""
    denominator = np.linalg.norm(g) + np.linalg.norm(g_hat)
    return 0.0 if denominator == 0 else float(np.linalg.norm(g - g_hat) / denominator)


def central_differences(J, array: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """(J() at array[i] + h − J() at array[i] − h) / 2h for every entry i of ``array``, which J reads
    (changed in place, then restored)."""
    gradient = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        original = array[index]
        array[index] = original + h
        plus = J()
        array[index] = original - h
        minus = J()
        array[index] = original
        gradient[index] = (plus - minus) / (2 * h)
    return gradient


def assert_diagnosed(report, name: str) -> None:
    """The report fails, and its diagnosis names the known mistake ``name``, its derivation and that page."""
    mutant = next(mutant for mutant in mistakes.MISTAKES if mutant.name == name)
    assert not report.passed
    assert report.derivation == mutant.derivation
    assert report.diagnosis.startswith(mutant.words), report.diagnosis
    line = next(line for line in str(report).splitlines() if "diagnosis:" in line)
    assert f"contradicts {mutant.derivation}, see docs/{mistakes.PAGES[mutant.derivation]}" in line


def diagnosis_line(alone, together, lang="en", derivation=None) -> str:
    """The diagnosis a report must give, written out here in each language: for each known mistake found
    ``alone`` (``(name, blocks)``) what it does and the blocks it gives, then for each pair found ``together``
    (``((first, second), blocks)``) the blocks and both mistakes, each cited with its derivation (``derivation``
    in place of each mistake's own, for a pooling mode's) and page."""

    def cite(name):
        mutant = next(mutant for mutant in mistakes.MISTAKES if mutant.name == name)
        key = derivation or mutant.derivation
        return (mutant.words if lang == "en" else mutant.words_zh), key, f"docs/{mistakes.PAGES[key]}"

    parts = []
    for name, blocks in alone:
        words, key, page = cite(name)
        listed = ", ".join(f"d{block}" for block in blocks)
        if lang == "en":
            parts.append(f"{words}: {listed} {'are' if len(blocks) > 1 else 'is'} exactly what it gives; "
                         f"contradicts {key}, see {page}")  # fmt: skip
        else:
            parts.append(f"{words}：{listed.replace(', ', '、')} 恰好就是它给出的结果；违背了 {key}，见 {page}")
    for pair, blocks in together:
        (first, *cited), (second, *other) = cite(pair[0]), cite(pair[1])
        listed = ", ".join(f"d{block}" for block in blocks)
        if lang == "en":
            parts.append(f"{listed} {'are' if len(blocks) > 1 else 'is'} exactly what two mistakes give together: "
                         f"{first} (contradicts {cited[0]}, see {cited[1]}) and "
                         f"{second} (contradicts {other[0]}, see {other[1]})")  # fmt: skip
        else:
            parts.append(f"{listed.replace(', ', '、')} 恰好就是两个错误合在一起给出的结果："
                         f"{first}（违背 {cited[0]}，见 {cited[1]}），"
                         f"加上{' ' * second[0].isascii()}{second}（违背 {other[0]}，见 {other[1]}）")  # fmt: skip
    return ("; " if lang == "en" else "；").join(parts)


def assert_diagnosis_line(report, alone, together, derivation=None) -> None:
    """The report fails with :func:`diagnosis_line` in English and Chinese, on its diagnosis line in each, and
    names the derivation of the first mistake (of the first pair when none is found alone)."""
    assert not report.passed
    english, chinese = (diagnosis_line(alone, together, lang, derivation) for lang in ("en", "zh"))
    assert report.diagnosis == english
    assert report.diagnosis.zh == chinese
    assert f"  diagnosis: {english}" in report.text("en").splitlines()
    assert f"  诊断：{chinese}" in report.text("zh").splitlines()
    first = alone[0][0] if alone else together[0][0][0]
    assert report.derivation == (derivation or next(m for m in mistakes.MISTAKES if m.name == first).derivation)


def shown(page: str, example: str) -> str:
    """What ``docs/<page>`` shows below its one markdown-exec block that runs ``docs/examples/<example>``: the
    block run as the docs build runs it, from the project's root, after the imports of the blocks before it in
    its session (the names it takes from them)."""
    root = Path(__file__).resolve().parents[1]
    text = (root / "docs" / page).read_text()
    blocks = re.findall(r'^```python exec="on"([^\n]*)\n(.*?)^```', text, flags=re.S | re.M)
    running = [i for i, (_, code) in enumerate(blocks) if f'"docs/examples/{example}"' in code]
    assert len(running) == 1, f"{page} runs {example} in {len(running)} exec blocks"
    options, code = blocks[running[0]]
    session = re.search(r'session="([^"]+)"', options)
    imports = [
        line
        for before, earlier in blocks[: running[0]]
        if session and f'session="{session.group(1)}"' in before
        for line in earlier.splitlines()
        if re.match(r"(import|from) \w", line)
    ]
    namespace, printed, here = {"__name__": "__main__"}, io.StringIO(), os.getcwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(printed):
            exec("\n".join([*imports, code]), namespace)
    finally:
        os.chdir(here)
    return printed.getvalue()


def cost(parameters, X, Y, activations, loss):
    """J, from the logits Z[L] where the output pairs with the loss (exact even where A[L] saturates)."""
    AL, cache = nn.forward_propagation(X, parameters, activations)
    paired = {"bce": "sigmoid", "cross_entropy": "softmax"}.get(loss) == activations[-1]
    return nn.compute_cost(AL, Y, loss=loss, ZL=cache[f"Z{len(activations)}"] if paired else None)


def numeric_gradients(parameters, X, Y, activations, loss, h=1e-6):
    """Central differences (J(θ + h) − J(θ − h)) / 2h on every entry of every parameter.

    J is :func:`cost`'s, checked once: each perturbed J then runs the same forward pass and cost
    without their input checks (a perturbation by h changes no shape or dtype), which would
    otherwise take half the time of the thousands of J's a test computes.
    """
    cost(parameters, X, Y, activations, loss)  # the checks, and any error, on the given inputs
    X, g = checks.forward_inputs(X, parameters, activations)
    Y = np.asarray(Y, dtype=X.dtype)
    paired = {"bce": "sigmoid", "cross_entropy": "softmax"}.get(loss) == activations[-1]

    def J():
        AL, cache = _forward(X, parameters, g)
        return _cost(AL, Y, loss, cache[f"Z{len(activations)}"] if paired else None)

    return {"d" + key: central_differences(J, value, h) for key, value in parameters.items()}


def random_problem(rng, layer_dims, m, loss, output=None):
    """Random X, Y and parameters; Y fits the loss (0/1 labels for bce, one-hot columns for
    cross_entropy, reals for mse)."""
    X = rng.normal(size=(layer_dims[0], m))
    if loss == "bce":
        Y = rng.integers(0, 2, size=(layer_dims[-1], m)).astype(float)
    elif loss == "cross_entropy":
        Y = np.eye(layer_dims[-1])[rng.integers(0, layer_dims[-1], size=m)].T
    else:
        Y = rng.normal(size=(layer_dims[-1], m))
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.normal(size=(layer_dims[l], layer_dims[l - 1]))
        parameters[f"b{l}"] = rng.normal(size=(layer_dims[l], 1)) * 0.5
    return X, Y, parameters


def min_abs_preactivation(X, parameters, activations) -> float:
    _, cache = nn.forward_propagation(X, parameters, activations)
    return min(float(np.min(np.abs(cache[f"Z{l}"]))) for l in range(1, len(activations) + 1))


def benchmark(name: str) -> ModuleType:
    """The script ``benchmarks/<name>.py`` as a module, for the tests that hold a page to what it measures or
    defines (registered in ``sys.modules``, where a dataclass of the script looks its module up)."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def joined(text: str, lang: str) -> str:
    """A Markdown page's ``text`` with each line break inside a paragraph or list item joined, the next line's
    indentation dropped: by a space in English, by nothing in Chinese (``lang`` ``"zh"``), so a sentence reads
    as one line wherever the page wraps it."""
    return re.sub(r"\n[ \t]*(?=\S)", "" if lang == "zh" else " ", text)


def page_text(page: str) -> str:
    """docs/<page> (say ``"gradcheck.zh.md"``) with its line breaks joined (:func:`joined`) as its language, Chinese
    for a ``.zh.md`` page, joins them, so a sentence is found wherever the page wraps it."""
    docs = Path(__file__).resolve().parents[1] / "docs"
    return joined((docs / page).read_text(encoding="utf-8"), "zh" if page.endswith(".zh.md") else "en")


def assert_page_says(page: str, english: tuple[str, ...], chinese: tuple[str, ...]) -> None:
    """docs/<page>.md says each of ``english`` and its twin docs/<page>.zh.md each of ``chinese``, read with their
    line breaks joined (:func:`page_text`)."""
    for suffix, words in ((".md", english), (".zh.md", chinese)):
        text = page_text(f"{page}{suffix}")
        missing = [said for said in words if said not in text]
        assert not missing, f"docs/{page}{suffix} no longer says {missing}"


#: Small numbers as a page writes them in words: ``NUMBER_WORDS["en"].index("eleven") == 11``.
NUMBER_WORDS = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split(),
    "zh": list("零一二三四五六七八九十"),
}


def stated(text: str, pattern: str) -> tuple[str, ...]:
    """The groups of the one match of ``pattern`` in ``text``: the figure a page types, for a test to compare with
    what the code gives (a page that says it twice, or no longer says it, fails here)."""
    matches = re.findall(pattern, text)
    assert len(matches) == 1, f"expected one statement matching {pattern!r}; found {matches}"
    return matches[0] if isinstance(matches[0], tuple) else (matches[0],)
