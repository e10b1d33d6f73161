r"""ReLU's backward pass written as a mask, against the chain rule: the two are the same function.

Course-style code computes a ReLU layer's \(dZ\) by copying \(dA\) and setting it to 0 wherever
\(Z \le 0\). The chain rule says \(dZ = dA \odot g'(Z)\). With \(g'(0) = 0\) (the registered
``relu``) the two agree for every real z, zero included; with \(g'(0) = 1\) (the slope the
lecture writes at 0) they differ only where z is exactly 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp

from . import activations
from .core import Derivation, Step, Text, central_difference, relative_error, symbol

if TYPE_CHECKING:  # numpy runs only the numeric cross-checks; the browser's Pyodide has none
    import numpy as np

z = activations.z
dA = symbol("dA", "dA", real=True)
dZ = symbol("dZ", "dZ", real=True)

#: Copy dA, then zero it where z ≤ 0: one entry of the course-style masked backward.
MASKED = sp.Piecewise((0, z <= 0), (dA, True))
#: g'(z) with the lecture's choice g'(0) = 1 (the z ≥ 0 branch owns the kink).
SLOPE_ONE_AT_ZERO = sp.Piecewise((1, z >= 0), (0, True))


def masked_backward() -> Derivation:
    relu = activations.get("relu")
    chain = dA * relu.derivative

    def numeric(rng: np.random.Generator) -> float:
        """The mask against dA times central differences of max(0, z), away from the kink at 0."""
        import numpy as np

        values = rng.uniform(0.01, 4, size=50) * rng.choice([-1.0, 1.0], size=50)
        upstream = rng.normal(size=values.size)
        masked = sp.lambdify((dA, z), MASKED, "numpy")(upstream, values)
        slopes = central_difference(lambda v: float(np.sum(np.maximum(v, 0))), values)
        return relative_error(masked, upstream * slopes)

    return Derivation(
        key="relu.masked_backward",
        title=Text(
            "ReLU backward as a mask: dZ = dA where Z > 0, else 0",
            "用掩码写 ReLU 的反向传播：Z > 0 处 dZ = dA，其余为 0",
        ),
        statement=Text(
            "Copying dA and zeroing it where Z ≤ 0 is dA ⊙ g'(Z) with g'(0) = 0, for every real Z; "
            "with g'(0) = 1 instead, the two differ only at Z = 0 exactly.",
            "复制 dA 并在 Z ≤ 0 处置零，对每个实数 Z 都等于取 g'(0) = 0 时的 dA ⊙ g'(Z)；"
            "若改取 g'(0) = 1，两者只在 Z 恰好为 0 处不同。",
        ),
        hypotheses=(
            Text(
                "g = relu, as registered: g(z) = z for z > 0, else 0.",
                "g 就是注册的 relu：z > 0 时 g(z) = z，否则为 0。",
            ),
            Text("dA is any real number.", "dA 是任意实数。"),
        ),
        steps=(
            Step(
                Text(
                    "One entry of the masked backward: copy dA, set 0 where z ≤ 0.",
                    "掩码式反向传播的一个元素：复制 dA，在 z ≤ 0 处置 0。",
                ),
                dZ,
                MASKED,
                meaning=MASKED,
            ),
            Step(
                Text("ReLU's derivative as registered, with g'(0) = 0.", "注册的 ReLU 的导数，取 g'(0) = 0。"),
                sp.Derivative(relu.g(z), z),
                relu.derivative,
                meaning=sp.Derivative(relu.expr, z),
            ),
            Step(
                Text(
                    "With the lecture's slope 1 at z = 0 instead, the mask and the chain rule differ by −dA at "
                    "z = 0 and by nothing elsewhere.",
                    "若改用课上在 z = 0 处取斜率 1 的做法，掩码与链式法则在 z = 0 处相差 −dA，在其他地方完全相同。",
                ),
                symbol("dZ - dA*g1'(z)", r"dZ - dA \, g'_{\geq}(z)"),
                sp.Piecewise((-dA, sp.Eq(z, 0)), (0, True)),
                meaning=MASKED - dA * SLOPE_ONE_AT_ZERO,
                proof=_same_piecewise,
            ),
        ),
        result=Step(
            Text(
                "The masked backward is the chain rule with g'(0) = 0, for every real z, z = 0 included.",
                "掩码式反向传播就是取 g'(0) = 0 的链式法则，对每个实数 z 都成立，z = 0 也不例外。",
            ),
            dZ,
            chain,
            meaning=MASKED,
            proof=_same_piecewise,
        ),
        numeric=numeric,
    )


def _same_piecewise(lhs: sp.Expr, rhs: sp.Expr) -> bool:
    """Equal for every real z: checked on z > 0, on z < 0 (z = ±s with s > 0 symbolic) and at z = 0."""
    s = symbol("s", positive=True)
    return all(sp.simplify(lhs.subs(z, at) - rhs.subs(z, at)) == 0 for at in (s, -s, sp.Integer(0)))


#: The keys of :func:`derivations`, in its order (the registry lists them without building anything).
KEYS = ("relu.masked_backward",)


def derivations() -> list[Derivation]:
    return [masked_backward()]
