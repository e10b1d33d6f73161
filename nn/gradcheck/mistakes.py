r"""Known backprop mistakes, each one exact text change to nn's own code, and how they are recognised.

Each :class:`Mutant` replaces ``old`` by ``new`` in one file of ``nn/``. The mutation catalogue
(``tests/mutations.py``) applies it to a copy of the project and checks that the test suite
fails. The diagnosis applies the same change in memory to the one function of ``nn`` that holds
``old``, runs nn's backward pass with it on the learner's parameters and data, and compares: a
learner's gradient that equals, to rounding, the gradient the mistake produces is diagnosed as
that mistake, with the derivation it contradicts. Nothing is guessed: a mistake is named only
when its gradients were computed and matched.

Adding a known mistake is one :class:`Mutant` with a ``derivation`` and its words in English and
Chinese in :data:`MISTAKES`; the catalogue picks it up, and so does the diagnosis.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import itertools
import textwrap
import types
from functools import cache

import numpy as np

from .. import activations as registry
from .. import network
from .estimates import relative_error
from .words import InputError, Text, language


@dataclasses.dataclass(frozen=True)
class Mutant:
    """One exact text replacement in one file of ``nn/``; with a ``derivation``, a known mistake
    that the diagnosis recognises, and the registry key of the derivation it contradicts.

    ``words`` says what the changed code does and ``words_zh`` says the same in Chinese, side by
    side, so the docs' tables come out in each page's language from this one place."""

    name: str
    file: str
    old: str
    new: str
    words: str  # what the mistake does, in English
    words_zh: str  # the same in Simplified Chinese, for the docs' Chinese pages
    derivation: str | None = None

    def described(self, lang: str = "en") -> str:
        """What the mistake does, in English (``"en"``) or Simplified Chinese (``"zh"``)."""
        if lang not in ("en", "zh"):
            raise InputError(Text(
                f"unknown language {lang!r}: a mutant is described in en and zh",
                f"未知的语言 {lang!r}：变异体用 en 和 zh 描述",
            ))  # fmt: skip
        return self.words_zh if lang == "zh" else self.words


#: The lines of nn's course-style conv_backward_loops that add each window's share (+=), one per gradient,
#: and each as the course writes it. The loops run over i, h, w, c in that order, so with = an entry
#: keeps the last share written to it: dW[:, :, :, c] and db[:, :, :, c] the last window's (last sample,
#: last position), and an entry of dA_prev_pad that of the last window reaching it, times the last
#: filter's weights.
_CONV_LINES = (
    "                    dA_prev_pad[i, top : top + f, left : left + f, :] += W[:, :, :, c] * dZ[i, h, w, c]\n"
    "                    dW[:, :, :, c] += window * dZ[i, h, w, c]\n"
    "                    db[:, :, :, c] += dZ[i, h, w, c]\n"
)
_WINDOW = "i, vert_start:vert_end, horiz_start:horiz_end, :"
_CONV_SHARES = {
    "dA": f"dA_prev_pad[{_WINDOW}] += W[:, :, :, c] * dZ[i, h, w, c]",
    "dW": f"dW[:, :, :, c] += A_prev_pad[{_WINDOW}] * dZ[i, h, w, c]",
    "db": "db[:, :, :, c] += dZ[i, h, w, c]",
}


def _conv_assigned(grads: tuple[str, ...]) -> Mutant:
    """The course's conv_backward with = instead of += in the lines of ``grads`` ("dA", "dW", "db").

    One known mistake per set of lines, so that the diagnosis names the lines whose = shows in the
    gradients and no other. An assignment gives the right gradient where no entry gets two nonzero
    shares: db when there is one window in all (m n_H n_W = 1), dW when no window but the last holds an
    entry of A_prev, and dA_prev when no entry of A_prev is reached by two (window, filter) pairs (n_C = 1 and
    s ≥ f, say). The
    code then gives what the smaller set of lines gives, which comes first and is the one named."""
    new = "".join(
        line.replace(" += ", " = ") if line.strip().startswith(grads) else line
        for line in _CONV_LINES.splitlines(keepends=True)
    )
    names = [grad.replace("dA", "dA_prev_pad") for grad in grads]
    lines = [f"`{_CONV_SHARES[grad]}`" for grad in grads]
    listed, written = names[0], lines[0]
    if len(grads) > 1:
        listed, written = (f"{', '.join(each[:-1])} and {each[-1]}" for each in (names, lines))
    return Mutant(
        f"conv-{'-'.join(grads)}-assigned", "nn/conv.py", _CONV_LINES, new,
        f"conv backward assigns a window's share of {listed} instead of adding it: `=` where the course writes "
        f"{written}, so each entry keeps only the last share written to it, not the sum of the shares",
        f"卷积的反向传播对窗口在 {'、'.join(names)} 中的份额用了赋值而不是累加：课程写的是 {'、'.join(lines)}，"
        f"这里写成了 `=`，于是每个元素只留下最后写入的那一份，而不是各份之和",
        "conv.backward",
    )  # fmt: skip


#: The known mistakes of a backward pass, each with the derivation it contradicts.
MISTAKES = [
    Mutant("bce-output-no-target", "nn/network.py", "        dZ = AL - Y\n", "        dZ = AL\n",
           "the output delta without the target: dZ[L] = A[L] instead of A[L] − Y",
           "输出层误差项漏了目标值：dZ[L] = A[L]，而不是 A[L] − Y", "output.sigmoid_bce"),
    Mutant("bce-output-sign-flipped", "nn/network.py", "        dZ = AL - Y\n", "        dZ = Y - AL\n",
           "the output delta with its sign flipped: dZ[L] = Y − A[L] instead of A[L] − Y",
           "输出层误差项符号反了：dZ[L] = Y − A[L]，而不是 A[L] − Y", "output.sigmoid_bce"),
    Mutant("mse-output-no-target", "nn/losses.py", "return 2 * (AL - Y)", "return 2 * AL",
           "the square error's output gradient without the target: dA[L] = 2 A[L] instead of 2 (A[L] − Y)",
           "平方误差的输出梯度漏了目标值：dA[L] = 2 A[L]，而不是 2 (A[L] − Y)", "output.mse"),
    Mutant("mse-output-sign-flipped", "nn/losses.py", "return 2 * (AL - Y)", "return 2 * (Y - AL)",
           "the square error's output gradient with its sign flipped: dA[L] = 2 (Y − A[L])",
           "平方误差的输出梯度符号反了：dA[L] = 2 (Y − A[L])", "output.mse"),
    Mutant("tanh-prime-not-squared", "nn/activations.py", "return 1 - np.tanh(Z) ** 2", "return 1 - np.tanh(Z)",
           "tanh′ written as 1 − A instead of 1 − A²", "tanh′ 写成了 1 − A，而不是 1 − A²", "activation.tanh"),
    Mutant("tanh-prime-is-sigmoid-prime", "nn/activations.py", "return 1 - np.tanh(Z) ** 2",
           "return np.tanh(Z) * (1 - np.tanh(Z))", "tanh′ written as the sigmoid's A(1 − A)",
           "tanh′ 写成了 sigmoid 的导数 A(1 − A)", "activation.tanh"),
    Mutant("relu-prime-inverted-mask", "nn/activations.py", "return (Z > 0).astype(Z.dtype)",
           "return (Z < 0).astype(Z.dtype)", "relu′ as the mask Z < 0 instead of Z > 0",
           "relu′ 取成掩码 Z < 0，而不是 Z > 0", "activation.relu"),
    Mutant("relu-prime-at-kink", "nn/activations.py", "return (Z > 0).astype(Z.dtype)",
           "return (Z >= 0).astype(Z.dtype)", "relu′ as the mask Z ≥ 0 instead of Z > 0 (relu′(0) = 1)",
           "relu′ 取成掩码 Z ≥ 0，而不是 Z > 0（relu′(0) = 1）", "activation.relu"),
    Mutant("leaky-slope-zero", "nn/activations.py", "np.where(Z > 0, 1, 0.01)", "np.where(Z > 0, 1, 0.0)",
           "leaky relu′ with the slope 0.01 dropped to 0 for z ≤ 0",
           "leaky relu′ 在 z ≤ 0 处的斜率 0.01 变成了 0", "activation.leaky_relu"),
    Mutant("leaky-slope-one", "nn/activations.py", "np.where(Z > 0, 1, 0.01)", "np.where(Z > 0, 1, 1.0)",
           "leaky relu′ with the slope 0.01 replaced by 1 for z ≤ 0",
           "leaky relu′ 在 z ≤ 0 处的斜率 0.01 换成了 1", "activation.leaky_relu"),
    Mutant("dW-missing-1/m", "nn/network.py", 'grads[f"dW{l}"] = (dZ @ A_prev.T) / m',
           'grads[f"dW{l}"] = dZ @ A_prev.T', "dW[l] = dZ A[l−1]ᵀ without the 1/m",
           "dW[l] = dZ A[l−1]ᵀ，漏了 1/m", "linear.dW"),
    Mutant("dW-1/m-twice", "nn/network.py", 'grads[f"dW{l}"] = (dZ @ A_prev.T) / m',
           'grads[f"dW{l}"] = (dZ @ A_prev.T) / m / m', "dW[l] divided by m twice", "dW[l] 除了两次 m",
           "linear.dW"),
    Mutant("dW-transposed", "nn/network.py", 'grads[f"dW{l}"] = (dZ @ A_prev.T) / m',
           'grads[f"dW{l}"] = (A_prev @ dZ.T) / m', "dW[l] transposed: A[l−1] dZᵀ instead of dZ A[l−1]ᵀ",
           "dW[l] 被转置了：A[l−1] dZᵀ，而不是 dZ A[l−1]ᵀ", "linear.dW"),
    Mutant("dW-uses-A[l]", "nn/network.py", 'A_prev = cache[f"A{l - 1}"]', 'A_prev = cache[f"A{l}"]',
           "dW[l] = dZ[l] A[l]ᵀ instead of dZ[l] A[l−1]ᵀ", "dW[l] = dZ[l] A[l]ᵀ，而不是 dZ[l] A[l−1]ᵀ",
           "linear.dW"),
    Mutant("db-missing-1/m", "nn/network.py", "dZ.sum(axis=1, keepdims=True) / m", "dZ.sum(axis=1, keepdims=True)",
           "db[l] = Σ dZ[l] without the 1/m", "db[l] = Σ dZ[l]，漏了 1/m", "linear.db"),
    Mutant("db-1/m-twice", "nn/network.py", "dZ.sum(axis=1, keepdims=True) / m",
           "dZ.sum(axis=1, keepdims=True) / m / m", "db[l] divided by m twice", "db[l] 除了两次 m", "linear.db"),
    Mutant("db-sum-axis-0", "nn/network.py", "dZ.sum(axis=1, keepdims=True) / m", "dZ.sum(axis=0, keepdims=True) / m",
           "db[l] summed over the units (axis 0) instead of the samples (axis 1)",
           "db[l] 沿单元（axis 0）求和，而不是沿样本（axis 1）", "linear.db"),
    Mutant("db-no-keepdims", "nn/network.py", "dZ.sum(axis=1, keepdims=True) / m", "dZ.sum(axis=1) / m",
           "db[l] without keepdims: shape (n[l],) instead of (n[l], 1)",
           "db[l] 求和时没有 keepdims：维度是 (n[l],)，而不是 (n[l], 1)", "linear.db"),
    Mutant("dA-prev-W-not-transposed", "nn/network.py", 'dA_prev = parameters[f"W{l}"].T @ dZ',
           'dA_prev = parameters[f"W{l}"] @ dZ', "dA[l−1] = W[l] dZ[l] instead of W[l]ᵀ dZ[l]",
           "dA[l−1] = W[l] dZ[l]，而不是 W[l]ᵀ dZ[l]", "linear.dA_prev"),
    # convolution and pooling: changes to the course-style loops of nn/conv.py, the form a learner writes
    Mutant("conv-dA-not-unpadded", "nn/conv.py",
           "    dA_prev = dA_prev_pad[:, pad : pad + A_prev.shape[1], pad : pad + A_prev.shape[2], :]\n",
           "    dA_prev = dA_prev_pad\n",
           "conv dA_prev returned with its padding: dA_pad instead of dA_pad[p:p + n_H_prev, p:p + n_W_prev]",
           "卷积的 dA_prev 没有去掉填充：返回 dA_pad，而不是 dA_pad[p:p + n_H_prev, p:p + n_W_prev]", "conv.backward"),
    Mutant("conv-backward-ignores-stride", "nn/conv.py", "top, left = h * stride, w * stride", "top, left = h, w",
           "conv backward with the stride ignored: window (h, w) taken at (h, w) instead of (s·h, s·w)",
           "卷积的反向传播忽略了步幅：窗口 (h, w) 取在 (h, w)，而不是 (s·h, s·w)", "conv.backward"),
    # = where the course adds each window's share (+=), in one, two or all three of its lines (see _conv_assigned)
    *(_conv_assigned(grads) for n in (1, 2, 3) for grads in itertools.combinations(_CONV_SHARES, n)),
    Mutant("pool-overlap-assigned", "nn/conv.py", "dA_prev[i, rows, cols, c] += share",
           "dA_prev[i, rows, cols, c] = share",
           "pooling backward assigns a window's share instead of adding it: `=` where the course writes "
           "`dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] += share`, so each entry keeps only the last "
           "share written to it, not the sum of the shares (they differ only where windows overlap)",
           "池化的反向传播对窗口的份额用了赋值而不是累加：课程写的是 "
           "`dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] += share`，这里写成了 `=`，"
           "于是每个元素只留下最后写入的那一份，而不是各份之和（两者只在窗口重叠处不同）", "pool.max"),
    Mutant("pool-average-missing-1/f²", "nn/conv.py", "np.full((f, f), dA[i, h, w, c] / (f * f))",
           "np.full((f, f), dA[i, h, w, c])", "average pooling backward without the 1/f²: dA to every entry",
           "平均池化的反向传播漏了 1/f²：每个元素都得到 dA", "pool.average"),
    Mutant("pool-max-mask-takes-ties", "nn/conv.py",
           "mask = np.arange(f * f).reshape(f, f) == np.argmax(window)", "mask = window == np.max(window)",
           "max pooling's mask x == max(x): dA to every tied max instead of the first",
           "最大池化的掩码 x == max(x)：dA 交给每一个并列的最大值，而不是第一个", "pool.max"),
    Mutant("rnn-backward-forgets-da_prev", "nn/rnn.py", "_rnn_step_back(da[:, :, t] + da_prevt, *steps[t])",
           "_rnn_step_back(da[:, :, t], *steps[t])",
           "rnn_backward passes each step da[:, :, t] alone, without the gradient flowing back from step t + 1",
           "rnn_backward 每一步只传入 da[:, :, t]，没有加上从第 t + 1 步流回的梯度", "rnn.bptt"),
    Mutant("rnn-dtanh-from-a_prev", "nn/rnn.py", "dtanh = da_next * (1 - a_next**2)",
           "dtanh = da_next * (1 - a_prev**2)", "the RNN step's tanh′ taken from a⟨t−1⟩ instead of a⟨t⟩: 1 − a_prev²",
           "RNN 一步中的 tanh′ 用 a⟨t−1⟩ 而不是 a⟨t⟩ 来算：1 − a_prev²", "rnn.cell_backward"),
    Mutant("lstm-dc_prev-without-f", "nn/rnn.py", '{"dc_prev": dc * ft}', '{"dc_prev": dc}',
           "the LSTM's dc_prev without the forget gate: dc instead of dc ⊙ f",
           "LSTM 的 dc_prev 漏了遗忘门：是 dc，而不是 dc ⊙ f", "lstm.cell_backward"),
    Mutant("lstm-dc_prev-without-tanh-path", "nn/rnn.py", '{"dc_prev": dc * ft}', '{"dc_prev": dc_next * ft}',
           "the LSTM's dc_prev without the path through a = o ⊙ tanh(c): dc_next ⊙ f",
           "LSTM 的 dc_prev 漏了经过 a = o ⊙ tanh(c) 的路径：只有 dc_next ⊙ f", "lstm.cell_backward"),
]  # fmt: skip

#: Files whose known mistakes belong to a layer checked on its own (``check_conv``, ``check_pool``,
#: ``check_rnn``, ``check_lstm``), not to the dense network that :func:`diagnose` runs.
OWN_CHECKS = ("nn/conv.py", "nn/rnn.py")

#: Where each derivation is shown: the page under docs/ and the id of its heading.
PAGES = {
    "output.sigmoid_bce": "output-layer.md#output-sigmoid_bce",
    "output.mse": "output-layer.md#output-mse",
    "activation.tanh": "activations.md#tanh",
    "activation.relu": "activations.md#relu",
    "activation.leaky_relu": "activations.md#leaky-relu",
    "linear.dW": "linear-layer.md#linear-dW",
    "linear.db": "linear-layer.md#linear-db",
    "linear.dA_prev": "linear-layer.md#linear-dA_prev",
    "conv.backward": "convolution.md#conv-backward",
    "pool.max": "pooling.md#pool-max",
    "pool.average": "pooling.md#pool-average",
    "rnn.cell_backward": "rnn.md#rnn-cell_backward",
    "rnn.bptt": "rnn.md#rnn-bptt",
    "lstm.cell_backward": "lstm.md#lstm-cell_backward",
}

#: The largest relative error at which a learner's gradient counts as the one a mistake produces:
#: both are computed from the same numbers, so they differ by rounding only.
MATCH = {np.dtype(np.float64): 1e-6, np.dtype(np.float32): 1e-3}


def link(derivation: str) -> str:
    """The page of a derivation in the docs, e.g. ``docs/linear-layer.md#linear-dW``."""
    return f"docs/{PAGES[derivation]}"


#: the diagnosis's sentences, in each language: a mistake that gives blocks alone, two that give them
#: together (each cited), blocks that match none, and how blocks and sentences are joined
_SAID = {
    "en": {
        "alone": "{words}: {blocks} {verb} exactly what it gives; contradicts {key}, see {link}",
        "together": "{blocks} {verb} exactly what two mistakes give together: {first} and {second}",
        "cited": "{words} (contradicts {key}, see {link})",
        "none": "{blocks} {match} no known mistake",
        "and": ", ",
        "between": "; ",
    },
    "zh": {
        "alone": "{words}：{blocks} 恰好就是它给出的结果；违背了 {key}，见 {link}",
        "together": "{blocks} 恰好就是两个错误合在一起给出的结果：{first}，加上{second}",
        "cited": "{words}（违背 {key}，见 {link}）",
        "none": "{blocks} 与任何已知错误都不符",
        "and": "、",
        "between": "；",
    },
}


@dataclasses.dataclass(frozen=True)
class Diagnosis:
    """The known mistakes that produce a learner's wrong gradients, and the blocks each explains."""

    found: tuple[tuple[Mutant, tuple[str, ...]], ...]
    unexplained: tuple[str, ...]
    #: blocks that no one mistake gives but two together do: ``((first, second), blocks)``
    together: tuple[tuple[tuple[Mutant, Mutant], tuple[str, ...]], ...] = ()

    @property
    def derivation(self) -> str | None:
        """The derivation of the mistake found highest in the network, where a mistake starts."""
        if self.found:
            return self.found[0][0].derivation
        return self.together[0][0][0].derivation if self.together else None

    def derivation_of(self, block: str) -> str | None:
        """The derivation ``block``'s gradient contradicts: that of the mistake that gives it (of two that give
        it together, the first named), or None when no known mistake gives it."""
        for named, blocks in [((mutant,), blocks) for mutant, blocks in self.found] + list(self.together):
            if block in blocks:
                return named[0].derivation
        return None

    def __str__(self) -> str:
        return self.text()

    def text(self, lang: str = "en") -> str:
        """The diagnosis in one line, in English (``"en"``) or Simplified Chinese (``"zh"``); the
        gradients, derivation keys and links are the same in both."""
        lang = language(lang)
        say = _SAID[lang]

        def blocks(keys):
            return say["and"].join(f"d{key}" for key in keys)

        def verb(keys):
            return ("is", "are")[len(keys) > 1] if lang == "en" else ""

        def words(mutant):
            return mutant.words_zh if lang == "zh" else mutant.words

        def cited(mutant):
            return say["cited"].format(words=words(mutant), key=mutant.derivation, link=link(mutant.derivation))

        def spaced(text):  # in Chinese, a space between 加上 and the Latin letters a mistake's words may start with
            return f" {text}" if lang == "zh" and text[:1].isascii() else text

        parts = [
            say["alone"].format(
                words=words(m), blocks=blocks(keys), verb=verb(keys), key=m.derivation, link=link(m.derivation)
            )
            for m, keys in self.found
        ]
        parts += [
            say["together"].format(
                blocks=blocks(keys), verb=verb(keys), first=cited(first), second=spaced(cited(second))
            )
            for (first, second), keys in self.together
        ]
        if self.unexplained:
            match = ("matches", "match")[len(self.unexplained) > 1] if lang == "en" else ""
            parts.append(say["none"].format(blocks=blocks(self.unexplained), match=match))
        return say["between"].join(parts)

    @property
    def words(self) -> Text:
        """The diagnosis in English, carrying its Chinese twin: what a report's ``diagnosis`` holds."""
        return Text(self.text("en"), self.text("zh"))


def diagnose(learner, parameters, X, Y, activations, loss) -> Diagnosis | None:
    """The known mistakes whose gradients equal the learner's wrong ones, or None if none does.

    ``learner`` maps each parameter name ("W1", ...) to the learner's gradient. Each mistake's gradients come
    from nn's backward pass with that mistake applied (:func:`gradients`), on nn's forward pass at
    ``parameters``; the blocks are listed from the highest layer down, since a mistake changes the
    gradients of its layer and of the layers below. The search is :func:`search`'s.
    """
    AL, cache = network.forward_propagation(X, parameters, activations)
    Y = np.asarray(Y, dtype=AL.dtype)
    g = {l: registry.get(name) for l, name in enumerate(activations, start=1)}
    order = sorted(parameters, key=lambda key: (-int(key[1:]), key))  # top layer first: mistakes flow down

    def produce(mutants):
        grads = gradients(mutants, AL, Y, cache, parameters, g, loss)
        return {key: grads[f"d{key}"] for key in order}

    candidates = [mutant for mutant in MISTAKES if mutant.file not in OWN_CHECKS]
    return search({key: learner[key] for key in order}, produce(()), candidates, produce)


def search(learner, correct, candidates, produce, *, whole=False) -> Diagnosis | None:
    """The mistakes of ``candidates``, alone or two at once, whose gradients equal the learner's wrong ones, or
    None if none does: the search every check's diagnosis makes.

    ``learner`` and ``correct`` map each block to the learner's gradient and nn's, in the order the blocks are
    listed (where a mistake starts first); ``produce(mutants)`` gives the same blocks from nn's backward pass
    with the mistakes ``mutants`` (a tuple) made at once. A block is wrong when it differs from nn's correct
    gradient by more than :data:`MATCH`. The mistake that explains most wrong blocks is taken first, and so on
    until no mistake explains another one. The blocks no one mistake gives are then tried the same way against
    every pair of mistakes made at once (in either order, where one change would take the other's text), pairs
    with a mistake already found first. Each list is sorted by the first of its blocks. With ``whole``, a
    mistake or a pair explains blocks only when it gives every block, the right ones too, so that at most one
    is named, for all the wrong blocks.
    """
    same = _same(next(iter(correct.values())).dtype)
    order = list(correct)
    wrong = [key for key in order if not same(learner[key], correct[key])]
    if not wrong:
        return None

    def explains(grads, remaining) -> tuple:
        if whole and not all(same(learner[key], grads[key]) for key in order):
            return ()
        return tuple(key for key in remaining if same(learner[key], grads[key]))

    produced = _made(candidates, produce)
    found, remaining = _explain(produced, wrong, explains)
    together = []  # the blocks no one mistake gives, and the pairs of mistakes that give them together:
    first = [mutant for mutant, _ in found]
    others = [mutant for mutant, _ in produced if mutant not in first]
    stages = (  # pairs with a mistake already found alone, then (for blocks still left) any other pair
        [(a, b) for i, a in enumerate(first) for b in first[i + 1 :] + others],
        [(a, b) for i, a in enumerate(others) for b in others[i + 1 :]],
    )
    for pairs in stages:
        if remaining:
            named, remaining = _explain(_made(pairs, produce), remaining, explains)
            together += named
    found.sort(key=lambda pair: order.index(pair[1][0]))  # the mistake seen first in the order first
    together.sort(key=lambda pair: order.index(pair[1][0]))
    return Diagnosis(tuple(found), tuple(remaining), tuple(together)) if found or together else None


def _same(dtype):
    """Whether a learner's gradient equals one of nn's of ``dtype`` to rounding (:data:`MATCH`), shape included."""
    tolerance = MATCH.get(np.dtype(dtype), MATCH[np.dtype(np.float32)])

    def same(a, b) -> bool:
        return np.shape(a) == np.shape(b) and relative_error(np.asarray(a), b) <= tolerance

    return same


def _made(candidates, produce) -> list:
    """``(candidate, gradients)`` for each candidate (a mistake, or a pair of them) that nn's code can run with."""
    made = []
    for candidate in candidates:
        pair = isinstance(candidate, tuple)
        for mutants in (candidate, candidate[::-1]) if pair else ((candidate,),):
            with np.errstate(all="ignore"):  # on one line, one change may leave the other's text only in one order
                try:
                    made.append((candidate, produce(mutants)))
                except LookupError:  # a first change took the second's text, or nn's code no longer holds it
                    continue  # (for one mistake, a test keeps the catalogue in step with the code)
                except (ValueError, FloatingPointError):  # a mistake that cannot run here (a shape clash)
                    pass
            break
    return made


def _explain(produced, wrong, explains) -> tuple[list, list]:
    """Greedily, the mistakes (or pairs) of ``produced`` that give the most of the ``wrong`` blocks, each
    with the blocks it gives (``explains(gradients, blocks)``, those of ``blocks`` it gives); and the blocks
    none gives."""
    found, remaining = [], list(wrong)
    while remaining and produced:
        mutant, blocks = max(((m, explains(grads, remaining)) for m, grads in produced), key=lambda p: len(p[1]))
        if not blocks:
            break
        found.append((mutant, blocks))
        remaining = [key for key in remaining if key not in blocks]
    return found, remaining


def gradients(mutants, AL, Y, cache, parameters, g, loss) -> dict[str, np.ndarray]:
    """nn's backward pass with ``mutants`` applied (one :class:`Mutant`, or several at once), on a forward
    pass's ``cache``."""
    mutants = (mutants,) if isinstance(mutants, Mutant) else tuple(mutants)
    backward, methods = applied(network._backward, mutants)
    changed = {l: _Replaced.of(act, methods) for l, act in g.items()}
    return backward(AL, Y, cache, parameters, changed, loss)


def applied(entry, mutants) -> tuple:
    """``(function, methods)``: nn's function ``entry`` as it runs with ``mutants`` made at once, and the
    methods they change of classes (class → name → function), for the caller to put in place on the objects
    it passes (an activation's, say). A function of ``entry``'s module that a mistake changes is swapped in
    where ``entry`` calls it (``entry`` itself included), and one of a module it calls through (as
    ``losses.output_gradient``) in that module's place."""
    module = inspect.getmodule(entry)
    namespace, methods = dict(vars(module)), {}
    for owner, name, function in mutated_together(mutants):
        if owner is module:  # entry, or a function it calls
            namespace[name] = function
        elif inspect.ismodule(owner):  # a function called through its module
            name_in_module = owner.__name__.rsplit(".", 1)[1]
            namespace[name_in_module] = types.SimpleNamespace(**{**vars(namespace[name_in_module]), name: function})
        else:  # a class's method
            methods.setdefault(owner, {})[name] = function
    function = inspect.unwrap(namespace[entry.__name__])  # the code itself, without a guard (checks.guarded) around it
    return types.FunctionType(function.__code__, namespace, entry.__name__, function.__defaults__), methods


def mutated_together(mutants) -> list[tuple]:
    """``(owner, name, function)`` for each function of nn that ``mutants`` change, compiled with all of
    their replacements in it (two mutants of one function are made one after the other, and each must
    still find its text once)."""
    by_function = {}
    for mutant in mutants:
        owner, name, _ = mutated(mutant)
        by_function.setdefault((owner, name), []).append(mutant)
    return [_compiled(tuple(group)) for group in by_function.values()]


@cache
def mutated(mutant):
    """``(owner, name, function)``: the one function of ``mutant.file`` whose source holds
    ``mutant.old`` (owner is its module or class), compiled with the replacement made."""
    return _compiled((mutant,))


@cache
def _compiled(group):
    """``(owner, name, function)``: the one function whose source holds the first mutant's ``old``,
    compiled with every mutant of ``group`` (a tuple, all of that function) replaced, in turn."""
    mutant = group[0]
    holders = [function for function in _functions(mutant.file) if mutant.old in function[3]]
    if len(holders) != 1:
        raise LookupError(
            f"mutant {mutant.name}: {mutant.old!r} is in {len(holders)} functions of {mutant.file}, not one; "
            f"update nn/gradcheck/mistakes.py to match the code"
        )
    module, owner, name, source = holders[0]
    for mutant in group:
        if source.count(mutant.old) != 1:
            raise LookupError(f"mutant {mutant.name}: {mutant.old!r} occurs {source.count(mutant.old)} times in {name}")
        source = source.replace(mutant.old, mutant.new)
    lines = textwrap.dedent(source).splitlines(keepends=True)
    namespace = dict(vars(module))
    exec(compile("".join(line for line in lines if not line.startswith("@")), mutant.file, "exec"), namespace)
    return owner, name, namespace[name]


@cache
def _functions(file) -> tuple:
    """``(module, owner, name, source)`` for each function of nn's ``file`` (``"nn/conv.py"``), at module level
    or a method of one of its classes (owner is the module or the class): read once, for every mistake."""
    module = importlib.import_module(file.removesuffix(".py").replace("/", "."))
    return tuple(
        (module, owner, name, inspect.getsource(getattr(function, "__func__", function)))
        for owner in (module, *(c for _, c in inspect.getmembers(module, inspect.isclass)))
        if owner is module or owner.__module__ == module.__name__
        for name, function in vars(owner).items()
        if inspect.isfunction(getattr(function, "__func__", function))
        and getattr(function, "__func__", function).__module__ == module.__name__
    )


class _Replaced:
    """An activation with some methods replaced by mistaken ones (``methods``: name → function);
    everything else is the original's."""

    def __init__(self, activation, methods):
        self._activation, self._methods = activation, methods

    @classmethod
    def of(cls, activation, changed):
        """``activation`` with the methods ``changed`` holds for its class (class → name → function), or
        ``activation`` itself when none are."""
        methods = next((m for owner, m in changed.items() if isinstance(activation, owner)), None)
        return activation if methods is None else cls(activation, methods)

    def __getattr__(self, attribute):
        return self._methods.get(attribute) or getattr(self._activation, attribute)


def diagnose_layer(learner, correct, backward, produce, family, *, whole=True) -> Diagnosis | None:
    """The known mistakes of a layer checked on its own (or two at once) whose gradients equal the learner's
    wrong ones, or None if none does.

    ``learner`` and ``correct`` map each block ("A_prev", "W", "b") to the learner's and nn's gradient;
    ``backward`` is the function of nn the layer's mistakes change, and ``produce(function)`` runs it (with
    mistakes made) and returns the same blocks. The mistakes tried are those of the layer, whose derivation
    starts with ``family`` up to its first dot ("conv.", "pool.", "rnn."), so that a mistake in code both
    pooling modes run (the windows' shares assigned) is found in either; it is named with the derivation of
    the mode checked (``family`` "pool.average", say). The search is :func:`search`'s, by default with
    ``whole``: a mistake, or a pair, is named only when it gives every block, for at small sizes two different
    mistakes can give one block alike (all zeros, say).
    """
    layer = family.partition(".")[0] + "."
    candidates = [
        mutant if mutant.derivation.startswith(family) else dataclasses.replace(mutant, derivation=family)
        for mutant in MISTAKES
        if mutant.file in OWN_CHECKS and mutant.derivation.startswith(layer)
    ]
    return search(learner, correct, candidates, lambda mutants: produce(applied(backward, mutants)[0]), whole=whole)
