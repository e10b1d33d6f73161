r"""Why backprop goes back to front: forward mode and reverse mode, counted in multiply-adds.

A scalar cost J of the N parameters of L dense layers (widths n[0], …, n[L], m samples) has a
gradient of N entries. Forward mode pushes one direction of the parameters through the network
(a Jacobian-vector product); reverse mode pulls ∂J/∂Z back through it (a vector-Jacobian
product, backprop). Counting the multiply-adds of the matrix products, the two passes cost the
same, 2F − m n[1] n[0] where F is the forward pass; but forward mode needs one pass per
parameter, N of them, and reverse mode one. The sums run over a symbolic depth L, so the counts
hold for every depth and every width.
"""

from __future__ import annotations

import sympy as sp

from .core import Derivation, Step, Text, indexed, is_zero, symbol

L = symbol("L", "L", integer=True, positive=True)
l = sp.Symbol("l", integer=True, positive=True)
m = symbol("m", "m", integer=True, positive=True)
n = indexed("n", "n", by_layer=True)
N = symbol("N", "N", integer=True, positive=True)


def _layer_products(first: int = 1) -> sp.Expr:
    r"""m Σ_{l=first}^{L} n[l] n[l-1]: one (n[l], n[l-1]) × (n[l-1], m) product per layer from ``first`` on."""
    return m * sp.Sum(n[l] * n[l - 1], (l, first, L))


def _forward_cost() -> sp.Expr:
    """F, the multiply-adds of the forward pass: Z[l] = W[l] A[l-1] for l = 1, …, L."""
    return _layer_products()


def _pass_cost() -> sp.Expr:
    """The multiply-adds of one backward pass, and of one tangent pass: 2F − m n[1] n[0]."""
    return 2 * _forward_cost() - m * n[1] * n[0]


def _parameter_count() -> sp.Expr:
    """N = Σ n[l] (n[l-1] + 1): every weight and every bias."""
    return sp.Sum(n[l] * (n[l - 1] + 1), (l, 1, L))


def _named(en: str, zh: str) -> sp.Symbol:
    """A count named in words, in the page's language."""
    return symbol(Text(en, zh), Text(rf"\text{{{en}}}", rf"\text{{{zh}}}"), positive=True)


def _peel(expr: sp.Expr) -> sp.Expr:
    """Every Σ_{l=1}^{L} written as its l = 1 term plus Σ_{l=2}^{L} (L ≥ 1), so that sums over different
    ranges can cancel."""
    return expr.replace(
        lambda e: isinstance(e, sp.Sum) and e.limits[0][1] == 1,
        lambda e: e.function.subs(e.limits[0][0], 1) + sp.Sum(e.function, (e.limits[0][0], 2, e.limits[0][2])),
    )


def _same_count(lhs: sp.Expr, rhs: sp.Expr) -> bool:
    return is_zero(sp.expand(_peel(lhs) - _peel(rhs)))


def _nonnegative_excess(lhs: sp.Expr, rhs: sp.Expr) -> bool:
    """lhs − rhs ≥ 0, where ``rhs`` claims it: each Σ_{l=2}^{L} of products of widths is ≥ 0 (0 when L = 1)."""
    excess = sp.expand(_peel(lhs))
    sums = {s: sp.Dummy(nonnegative=True) for s in excess.atoms(sp.Sum)}
    widths = {w: sp.Dummy(positive=True) for w in excess.atoms(sp.Indexed)}
    excess = excess.xreplace(sums).xreplace(widths)
    return rhs == 0 and bool(sp.factor(excess).is_nonnegative)


def modes() -> Derivation:
    r"""Forward mode needs N passes of 2F − m n[1] n[0] multiply-adds; reverse mode one."""
    F = _forward_cost()
    T = _pass_cost()
    tangent = m * sp.Sum(n[l] * n[l - 1], (l, 1, L)) + m * sp.Sum(n[l] * n[l - 1], (l, 2, L))
    reverse = _named("reverse", "反向模式")
    forward = _named("forward", "前向模式")
    f_, t_ = sp.symbols("F T", positive=True)
    ratio = (f_ + N * t_) / (f_ + t_)
    return Derivation(
        key="modes.cost",
        title=Text(
            "Forward mode against reverse mode: N passes against one",
            "前向模式与反向模式：N 趟对一趟",
        ),
        statement=Text(
            "For L dense layers of any widths n[0], …, n[L] and m samples, a pass that pushes one direction "
            "of the parameters forward (forward mode) and a pass that pulls ∂J/∂Z backward (reverse mode, "
            "backprop) cost the same number of multiply-adds in matrix products, 2F − m n[1] n[0], where F is "
            "one forward pass's count. Forward mode needs one such pass per parameter to get the whole gradient, N in "
            "all; reverse mode needs one. Their ratio is at least N/2 and grows with N.",
            "对任意宽度 n[0], …, n[L] 的 L 个全连接层和 m 个样本：沿参数的一个方向向前推的一趟（前向模式）"
            "与把 ∂J/∂Z 向后拉的一趟（反向模式，即反向传播），矩阵乘法中的乘加次数相同，都是 2F − m n[1] n[0]，"
            "其中 F 是一趟前向传播的乘加次数。要得到整个梯度，前向模式每个参数需要一趟，共 N 趟；反向模式只需一趟。"
            "两者之比至少是 N/2，并随 N 增长。",
        ),
        hypotheses=(
            Text(
                "Layer l computes Z[l] = W[l] A[l-1] + b[l] and A[l] = g[l](Z[l]), with W[l] of shape (n[l], n[l-1]) "
                "and the m samples as the columns of A[0] = X; the cost J is one number.",
                "第 l 层计算 Z[l] = W[l] A[l-1] + b[l] 和 A[l] = g[l](Z[l])，W[l] 的维度是 (n[l], n[l-1])，"
                "m 个样本是 A[0] = X 的各列；代价 J 是一个数。",
            ),
            Text(
                "A product of a (p, q) and a (q, r) matrix costs p·q·r multiply-adds. Only matrix products are "
                "counted: the entrywise products, the sums over samples and the activations cost a number "
                "proportional to n[l] m, which the products dominate once widths are more than a few units.",
                "(p, q) 矩阵乘 (q, r) 矩阵要做 p·q·r 次乘加。只计矩阵乘法：逐元素乘、对样本求和和激活函数的次数"
                "与 n[l] m 成正比，宽度超过几个单元后，矩阵乘法占大头。",
            ),
            Text(
                "Each tangent pass starts from one direction of the parameters (Ẇ[l], ḃ[l] for every layer); a "
                "basis direction, one parameter at a time, gives one entry of the gradient, so the whole gradient "
                "needs N of them. A dot marks a tangent, the derivative along that direction (Ż[l] is the "
                "derivative of Z[l] in t at t = 0 when the parameters move as W + t Ẇ, b + t ḃ), where a leading d "
                "marks a gradient of J, as on every other page.",
                "每一趟切向传播从参数的一个方向（每层的 Ẇ[l]、ḃ[l]）出发；取基方向，即一次一个参数，"
                "得到梯度的一个分量，所以整个梯度需要 N 趟。字母上的点表示切向量，即沿这个方向的导数"
                "（参数按 W + t Ẇ、b + t ḃ 变化时，Ż[l] 是 Z[l] 对 t 在 t = 0 处的导数），"
                "而开头的 d 和其他各页一样表示 J 的梯度。",
            ),
        ),
        steps=(
            Step(
                Text(
                    "The forward pass: one product W[l] A[l-1] per layer.",
                    "前向传播：每层一次乘法 W[l] A[l-1]。",
                ),
                symbol("F", "F"),
                F,
                meaning=F,
            ),
            Step(
                Text(
                    "The backward pass: dW[l] = dZ[l] A[l-1]ᵀ / m for every layer, and dA[l-1] = W[l]ᵀ dZ[l] for "
                    "l ≥ 2 (layer 1 passes nothing further down). Both products have the forward product's size.",
                    "反向传播：每层 dW[l] = dZ[l] A[l-1]ᵀ / m，以及 l ≥ 2 时的 dA[l-1] = W[l]ᵀ dZ[l]"
                    "（第 1 层不再往下传）。两种乘法的规模都和前向的那次乘法一样。",
                ),
                _named("backward", "反向一趟"),
                T,
                meaning=tangent,
                proof=_same_count,
            ),
            Step(
                Text(
                    "One tangent pass (forward mode) along a direction (Ẇ, ḃ): Ż[l] = Ẇ[l] A[l-1] + W[l] Ȧ[l-1] "
                    "+ ḃ[l] and Ȧ[l] = g′(Z[l]) ⊙ Ż[l], with Ȧ[0] = 0, so again two products per layer and "
                    "one in layer 1: the same count as the backward pass.",
                    "沿方向 (Ẇ, ḃ) 的一趟切向传播（前向模式）：Ż[l] = Ẇ[l] A[l-1] + W[l] Ȧ[l-1] + ḃ[l]，"
                    "Ȧ[l] = g′(Z[l]) ⊙ Ż[l]，且 Ȧ[0] = 0；所以同样每层两次乘法、第 1 层一次："
                    "与反向一趟的次数相同。",
                ),
                _named("tangent", "切向一趟"),
                T,
                meaning=tangent,
                proof=_same_count,
            ),
            Step(
                Text(
                    "The parameters: N counts every weight and bias.",
                    "参数个数：N 计入每个权重和每个偏置。",
                ),
                N,
                _parameter_count(),
                meaning=_parameter_count(),
            ),
            Step(
                Text(
                    "Reverse mode: one forward pass and one backward pass give the whole gradient, about three "
                    "forward passes.",
                    "反向模式：一趟前向加一趟反向就得到整个梯度，约为三趟前向传播。",
                ),
                reverse,
                3 * F - m * n[1] * n[0],
                meaning=F + T,
                proof=_same_count,
            ),
            Step(
                Text(
                    "Forward mode: one forward pass, shared, and one tangent pass per parameter.",
                    "前向模式：一趟共用的前向传播，加上每个参数一趟切向传播。",
                ),
                forward,
                F + N * T,
                meaning=F + N * T,
                proof=_same_count,
            ),
            Step(
                Text(
                    "Forward mode costs at least N/2 times reverse mode, for every depth and width: the excess "
                    "forward − (N/2) reverse is F + (N/2)(F − m n[1] n[0]), and F − m n[1] n[0] is the sum over the "
                    "layers l ≥ 2, which is not negative.",
                    "对任意深度和宽度，前向模式的代价至少是反向模式的 N/2 倍：前向模式 − (N/2) 反向模式之差等于 "
                    "F + (N/2)(F − m n[1] n[0])，而 F − m n[1] n[0] 是 l ≥ 2 各层之和，不为负。",
                ),
                forward - N / 2 * reverse,
                sp.Integer(0),
                meaning=F + N * T - N / 2 * (F + T),
                proof=_nonnegative_excess,
                relation="≥",
            ),
            Step(
                Text(
                    "The chain-rule post's own count, front to back without reuse: layer l's gradient needs a trip "
                    "through the L − l layers after it, L(L − 1)/2 layer-trips in all, where reverse mode makes each "
                    "trip once.",
                    "讲链式法则的那篇文章自己的计数（从前往后、不复用）：第 l 层的梯度要走一遍它后面的 L − l 层，"
                    "合计穿过各层 L(L − 1)/2 次，而反向模式每层只走一次。",
                ),
                sp.Sum(L - l, (l, 1, L)),
                L * (L - 1) / 2,
            ),
        ),
        result=Step(
            Text(
                "With F the forward pass and T = 2F − m n[1] n[0] one pass of either kind, the ratio of forward mode "
                "to reverse mode grows with N at the rate T/(F + T) > 0 per parameter.",
                "记 F 为前向传播、T = 2F − m n[1] n[0] 为任一种的一趟，前向模式与反向模式之比随 N 增长，"
                "每多一个参数增加 T/(F + T) > 0。",
            ),
            sp.Derivative(ratio, N),
            t_ / (f_ + t_),
            proof=lambda meaning, rhs: is_zero(meaning - rhs) and bool(rhs.is_positive),
        ),
    )


#: The keys of :func:`derivations`, in its order (the registry lists them without building anything).
KEYS = ("modes.cost",)


def derivations() -> list[Derivation]:
    return [modes()]


def counts(dims: list[int], samples: int) -> dict[str, int]:
    """The derivation's counts for widths ``dims`` = [n[0], …, n[L]] and m = ``samples``: F, one pass, N, and each mode.

    Example:
        >>> counts([2, 3, 1], 1)
        {'forward pass': 9, 'one pass': 12, 'N': 13, 'reverse mode': 21, 'forward mode': 165}
    """
    values = {L: len(dims) - 1, m: samples} | {n[i]: width for i, width in enumerate(dims)}
    F, T, params = (
        sp.Integer(int(e.subs(values).doit().subs(values))) for e in (_forward_cost(), _pass_cost(), _parameter_count())
    )
    return {
        "forward pass": int(F),
        "one pass": int(T),
        "N": int(params),
        "reverse mode": int(F + T),
        "forward mode": int(F + params * T),
    }
