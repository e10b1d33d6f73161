r"""Why a network needs a nonlinearity: linear layers collapse into one.

With the identity as activation, two layers compute ``W[2] (W[1] x + b[1]) + b[2]``, which is one
linear layer ``W′ x + b′``. By induction the same holds for any depth, so a deep linear network
can represent nothing that logistic regression (one layer) cannot. The proof uses SymPy's
matrix algebra on ``MatrixSymbol``s of symbolic shapes, so it holds for every size.
"""

from __future__ import annotations

import sympy as sp

from .core import Derivation, Step, Text, is_zero, matrix, symbol


def _equal(lhs: sp.MatrixExpr, rhs: sp.MatrixExpr) -> bool:
    """Matrix-expression equality for every shape: the difference expands to the zero matrix."""
    difference = (lhs - rhs).doit().expand()
    return difference.is_ZeroMatrix or difference == sp.ZeroMatrix(*lhs.shape)


def collapse() -> Derivation:
    r"""``W[2] (W[1] x + b[1]) + b[2] = (W[2] W[1]) x + (W[2] b[1] + b[2])``; by induction, for any depth."""
    n0, n1, n2, n_l = (symbol(f"n[{l}]", f"n^{{[{l}]}}", integer=True, positive=True) for l in ("0", "1", "2", "l"))
    n_next = symbol("n[l+1]", "n^{[l+1]}", integer=True, positive=True)
    m = symbol("m", integer=True, positive=True)
    x = matrix("x", "x", n0, 1)
    X = matrix("X", "X", n0, m)
    W1, b1 = matrix("W[1]", "W^{[1]}", n1, n0), matrix("b[1]", "b^{[1]}", n1, 1)
    W2, b2 = matrix("W[2]", "W^{[2]}", n2, n1), matrix("b[2]", "b^{[2]}", n2, 1)
    # The first l layers, already collapsed (induction hypothesis), and layer l+1.
    W_l, b_l = matrix("W′", "W'", n_l, n0), matrix("b′", "b'", n_l, 1)
    W_next, b_next = matrix("W[l+1]", "W^{[l+1]}", n_next, n_l), matrix("b[l+1]", "b^{[l+1]}", n_next, 1)
    ones = sp.OneMatrix(1, m)
    w1, w2, t = sp.symbols("w_1 w_2 t", real=True)
    curvature = sp.diff(w2 * sp.tanh(w1 * t), t, 2)
    return Derivation(
        key="linear.collapse",
        title=Text(
            "Linear layers collapse: W[2](W[1]x + b[1]) + b[2] = W′x + b′",
            "线性层会合并成一层：W[2](W[1]x + b[1]) + b[2] = W′x + b′",
        ),
        statement=Text(
            "For every n[0], n[1], n[2] and m, two layers with the identity activation are one linear "
            "layer with W′ = W[2]W[1] and b′ = W[2]b[1] + b[2]; by induction on the depth, L such layers are "
            "W′x + b′ with W′ = W[L]⋯W[1]. Without a nonlinearity, depth adds nothing. One tanh between "
            "the layers is enough to break this: the result is no longer affine in x.",
            "对任意 n[0]、n[1]、n[2] 和 m，两个以恒等函数为激活函数的层就是一个线性层，"
            "其中 W′ = W[2]W[1]，b′ = W[2]b[1] + b[2]；对深度做归纳，L 个这样的层就是 W′x + b′，"
            "W′ = W[L]⋯W[1]。没有非线性激活函数，加深网络不会带来任何新的表达能力。"
            "只要在层与层之间放一个 tanh 就能打破这一点：结果不再是 x 的仿射函数。",
        ),
        hypotheses=(
            Text(
                "Every layer is z[l] = W[l] a[l-1] + b[l] with a[l] = z[l] (the identity activation).",
                "每一层都是 z[l] = W[l] a[l-1] + b[l]，且 a[l] = z[l]（激活函数为恒等函数）。",
            ),
            Text(
                "W[l] is (n[l], n[l-1]) and b[l] is (n[l], 1), for any sizes.",
                "W[l] 的维度是 (n[l], n[l-1])，b[l] 是 (n[l], 1)，各维度大小任意。",
            ),
        ),
        steps=(
            Step(
                Text(
                    "m samples at once: b broadcast as b 1ₘᵀ, the same collapse column by column.",
                    "同时处理 m 个样本：b 广播为 b 1ₘᵀ，逐列看是同样的合并。",
                ),
                W2 * (W1 * X + b1 * ones) + b2 * ones,
                (W2 * W1) * X + (W2 * b1 + b2) * ones,
                proof=_equal,
            ),
            Step(
                Text(
                    "Induction: if the first l layers are W′x + b′, adding layer l+1 gives one layer again.",
                    "归纳：如果前 l 层合起来是 W′x + b′，那么再加上第 l+1 层仍然是一层。",
                ),
                W_next * (W_l * x + b_l) + b_next,
                (W_next * W_l) * x + (W_next * b_l + b_next),
                proof=_equal,
            ),
            Step(
                Text(
                    "With tanh between two scalar layers, the output w_2 tanh(w_1 t) has a second derivative in t "
                    "that is not identically 0 (at t = 0 it is, but not at t = 1 with w_1 = w_2 = 1): it is not "
                    "affine, so it is no linear model.",
                    "在两个标量层之间加上 tanh，输出 w_2 tanh(w_1 t) 对 t 的二阶导数不恒为 0（t = 0 时为 0，"
                    "但 w_1 = w_2 = 1、t = 1 时不为 0）：它不是仿射函数，因而也不是线性模型。",
                ),
                sp.Derivative(w2 * sp.tanh(w1 * t), (t, 2)),
                -2 * w1**2 * w2 * sp.tanh(w1 * t) * (1 - sp.tanh(w1 * t) ** 2),
                meaning=curvature,
                proof=lambda meaning, rhs: is_zero(meaning - rhs) and rhs.subs({w1: 1, w2: 1, t: 1}) != 0,
            ),
        ),
        result=Step(
            Text(
                "Two layers, one sample, multiplied out: two linear layers are one, with W′ = W[2]W[1] and "
                "b′ = W[2]b[1] + b[2] (and so, by step 2, are L).",
                "两层、单个样本，把括号乘开：两个线性层就是一层，W′ = W[2]W[1]，b′ = W[2]b[1] + b[2]"
                "（由第 2 步，L 层也是如此）。",
            ),
            W2 * (W1 * x + b1) + b2,
            (W2 * W1) * x + (W2 * b1 + b2),
            proof=_equal,
        ),
    )


#: The keys of :func:`derivations`, in its order (the registry lists them without building anything).
KEYS = ("linear.collapse",)


def derivations() -> list[Derivation]:
    return [collapse()]
