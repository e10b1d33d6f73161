r"""Activation functions \(g\), each with \(g'\) and \(g''\) side by side in one small class.

Every subclass of :class:`Activation` registers itself under its ``name``, so adding an
activation takes one class and nothing else: :func:`get` finds it, the network can use it,
and the tests parametrized over :func:`names` check it against its SymPy derivation in
``derivations/activations.py`` (declared there under the same name).

All functions return new arrays and keep the dtype of ``Z`` (float32 in, float32 out).
They act elementwise, except :class:`Softmax`, which normalises each column and is an
output activation only (its derivation is ``output.softmax_cross_entropy``).
"""

from __future__ import annotations

import math

import numpy as np

from .words import DefinitionError, InputError, Text

_REGISTRY: dict[str, Activation] = {}


class Activation:
    """An elementwise activation g with its first and second derivatives.

    Subclasses set ``name`` (and ``kinks`` and ``analytic = False`` if g has a kink) and
    define three static methods, ``forward(Z)``, ``derivative(Z)`` and
    ``second_derivative(Z)``; defining the class registers it. An analytic g whose ``forward``
    uses real-only operations (``np.abs``, ``np.logaddexp``, ``math``) may
    also define ``complex_forward(Z)``, the same g written for complex Z, which the
    complex-step check (``nn.gradcheck``, mode ``"complex"``) runs instead of ``forward``.
    A class that lacks ``name`` or one of the three methods, or takes a
    name already registered, is refused when it is defined, with a
    :class:`~nn.words.DefinitionError` (a TypeError) in English and Chinese.

    Example:
        >>> get("tanh").derivative(np.zeros((1, 2)))
        array([[1., 1.]])
    """

    name: str
    #: the non-differentiable points z of g (a gradient check must not step across them)
    kinks: tuple[float, ...] = ()
    #: True when g is analytic on the real line, so the complex-step check applies
    analytic: bool = True
    #: False for an activation that mixes the units of a column (softmax): it has no
    #: elementwise g', only a Jacobian, and may only be the output activation g[L]
    elementwise: bool = True
    #: g for complex Z, when ``forward`` takes real Z only; None when ``forward`` serves both
    complex_forward = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        required = ("name", "forward", "derivative", "second_derivative")
        if not cls.elementwise:
            required = ("name", "forward", "backward", "derivation")
        missing = [attr for attr in required if not hasattr(cls, attr)]
        if missing:
            kind = Text("an elementwise activation", "逐元素作用的激活函数")
            if not cls.elementwise:
                kind = Text("an activation that mixes a column (elementwise = False)",
                            "混合一列中各单元的激活函数（elementwise = False）")  # fmt: skip
            raise DefinitionError(Text(
                f"activation class {cls.__name__} must define {', '.join(missing)}: {kind} defines "
                f"{', '.join(required)}",
                f"激活函数类 {cls.__name__} 必须定义 {'、'.join(missing)}：{kind.zh}要定义 {'、'.join(required)}",
            ))  # fmt: skip
        if cls.name in _REGISTRY:
            taken = type(_REGISTRY[cls.name]).__name__
            raise DefinitionError(Text(
                f"activation name {cls.name!r} is taken by {taken}: each activation class needs its own name",
                f"激活函数名称 {cls.name!r} 已被 {taken} 占用：每个激活函数类都要有自己的名称",
            ))  # fmt: skip
        _REGISTRY[cls.name] = cls()

    def __repr__(self) -> str:
        return f"activations.get({self.name!r})"


def get(name: str) -> Activation:
    """Return the registered activation called ``name``.

    Args:
        name: one of :func:`names`.

    Returns:
        The :class:`Activation` instance.

    Raises:
        ValueError: if no activation has that name; the message lists the valid names.

    Example:
        >>> get("relu").forward(np.array([[-2.0, 3.0]]))
        array([[0., 3.]])
    """
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise InputError(Text(
            f"unknown activation {name!r}; valid names: {', '.join(_REGISTRY)}",
            f"未知的激活函数 {name!r}；可用的名称：{'、'.join(_REGISTRY)}",
        )) from None  # fmt: skip


def names(*, elementwise: bool | None = None) -> list[str]:
    """Return the registered activation names in order of definition.

    Args:
        elementwise: True for the elementwise activations only (those a hidden layer can
            use), False for the others (softmax); None, the default, for all of them.

    Example:
        >>> names()[:3]
        ['sigmoid', 'tanh', 'relu']
        >>> names(elementwise=False)
        ['softmax']
    """
    return [name for name, g in _REGISTRY.items() if elementwise is None or g.elementwise == elementwise]


def _fold(Z):
    """(Re z ≥ 0, ±z): z turned to the side Re ≥ 0 by the sign of its real part.

    For real z, ±z is |z| to the last bit; for complex z it is z or −z, analytic on each side
    of Re z = 0, where |z| would throw the imaginary part away. ``exp(−fold)`` never overflows.
    """
    right = Z.real >= 0
    return right, np.where(right, Z, -Z)


def _log1p(W):
    """log(1 + w) for complex w with Re w > −1, accurate in both parts.

    numpy's complex log1p takes log|1 + w|, which loses the real part when w is small. Here
    log(1 + w) = log1p(a) + log(1 + it) with w = a + ib and t = b/(1 + a).
    """
    a, b = W.real, W.imag
    t = b / (1 + a)
    return np.log1p(a) + 0.5 * np.log1p(t * t) + 1j * np.arctan(t)


class Sigmoid(Activation):
    r"""The logistic function, for binary outputs.

    \[ \sigma(z) = \frac{1}{1 + e^{-z}}, \qquad
       \sigma'(z) = \sigma(z)\,(1 - \sigma(z)), \qquad
       \sigma''(z) = \sigma(z)\,(1 - \sigma(z))\,(1 - 2\sigma(z)). \]

    Smooth everywhere: no kink. For stability it only ever exponentiates \(-|z| \le 0\):
    with \(e = e^{-|z|}\), \(\sigma(z) = 1/(1 + e)\) for \(z \ge 0\) and \(e/(1 + e)\)
    for \(z < 0\), so \(|z| = 10^3\) and beyond gives 0 or 1 without an overflow warning.
    ``complex_forward`` is the same with \(\pm z\) by the sign of \(\operatorname{Re} z\) for \(|z|\).
    """

    name = "sigmoid"
    summary_zh = "logistic 函数（sigmoid），用于二分类输出。"

    @staticmethod
    def forward(Z):
        e = np.exp(-np.abs(Z))
        s = 1 / (1 + e)
        return np.where(Z >= 0, s, e * s)

    @staticmethod
    def complex_forward(Z):
        right, folded = _fold(Z)
        e = np.exp(-folded)
        s = 1 / (1 + e)
        return np.where(right, s, e * s)

    @staticmethod
    def derivative(Z):
        s = Sigmoid.forward(Z)
        return s * (1 - s)

    @staticmethod
    def second_derivative(Z):
        s = Sigmoid.forward(Z)
        return s * (1 - s) * (1 - 2 * s)


class Tanh(Activation):
    r"""The hyperbolic tangent, a zero-centred hidden activation.

    \[ g(z) = \tanh z, \qquad g'(z) = 1 - \tanh^2 z, \qquad g''(z) = -2 \tanh z\,(1 - \tanh^2 z). \]

    Smooth everywhere: no kink.
    """

    name = "tanh"
    summary_zh = "双曲正切，以零为中心的隐藏层激活函数。"

    @staticmethod
    def forward(Z):
        return np.tanh(Z)

    @staticmethod
    def derivative(Z):
        return 1 - np.tanh(Z) ** 2

    @staticmethod
    def second_derivative(Z):
        t = np.tanh(Z)
        return -2 * t * (1 - t**2)


class ReLU(Activation):
    r"""The rectified linear unit, \(\max(0, z)\).

    \[ g(z) = \begin{cases} z & z > 0 \\ 0 & z \le 0 \end{cases}, \qquad
       g'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}, \qquad g''(z) = 0. \]

    Kink at \(z = 0\), where the slope is 0 on the left and 1 on the right. We take
    \(g'(0) = 0\), the left slope, as PyTorch and JAX do: the derivative is the mask
    \(Z > 0\), so a unit sitting exactly at 0 passes no gradient. \(g''\) is 0 everywhere.
    """

    name = "relu"
    summary_zh = "线性整流单元 max(0, z)。"
    kinks = (0.0,)
    analytic = False

    @staticmethod
    def forward(Z):
        return np.maximum(Z, 0)

    @staticmethod
    def derivative(Z):
        return (Z > 0).astype(Z.dtype)

    @staticmethod
    def second_derivative(Z):
        return np.zeros_like(Z)


class LeakyReLU(Activation):
    r"""Leaky ReLU with slope 0.01 for \(z \le 0\).

    \[ g(z) = \begin{cases} z & z > 0 \\ 0.01\,z & z \le 0 \end{cases}, \qquad
       g'(z) = \begin{cases} 1 & z > 0 \\ 0.01 & z \le 0 \end{cases}, \qquad g''(z) = 0. \]

    Kink at \(z = 0\) (slopes 0.01 and 1). We take the left slope, \(g'(0) = 0.01\), by the
    same mask \(Z > 0\) as ReLU; this is also PyTorch's choice. \(g''\) is 0 everywhere.
    """

    name = "leaky_relu"
    summary_zh = "z ≤ 0 时斜率为 0.01 的 Leaky ReLU。"
    kinks = (0.0,)
    analytic = False

    @staticmethod
    def forward(Z):
        return np.where(Z > 0, Z, 0.01 * Z)

    @staticmethod
    def derivative(Z):
        # in the dtype that 0.01·Z has: Z's own float dtype, or float64 for integer Z
        return np.where(Z > 0, 1, 0.01).astype(np.result_type(Z, 0.01))

    @staticmethod
    def second_derivative(Z):
        return np.zeros_like(Z)


class Identity(Activation):
    r"""The identity, for linear layers and regression outputs.

    \[ g(z) = z, \qquad g'(z) = 1, \qquad g''(z) = 0. \]

    Smooth everywhere: no kink. ``forward`` returns a copy, never ``Z`` itself.
    """

    name = "identity"
    summary_zh = "恒等函数，用于线性层和回归输出。"

    @staticmethod
    def forward(Z):
        return np.copy(Z)

    @staticmethod
    def derivative(Z):
        return np.ones_like(Z)

    @staticmethod
    def second_derivative(Z):
        return np.zeros_like(Z)


class Softplus(Activation):
    r"""Softplus, a smooth ReLU whose derivative is the sigmoid.

    \[ g(z) = \log(1 + e^{z}), \qquad g'(z) = \sigma(z), \qquad g''(z) = \sigma(z)\,\sigma(-z). \]

    Smooth everywhere: no kink. ``np.logaddexp(0, Z)`` never exponentiates a positive number,
    and \(\sigma(z)\sigma(-z)\) stays accurate where \(1 - \sigma(z)\) would round to 0.
    ``complex_forward`` writes it \(\max(z, 0) + \log(1 + e^{-|z|})\), with the branch and
    \(\pm z\) for \(|z|\) chosen by the sign of \(\operatorname{Re} z\).
    """

    name = "softplus"
    summary_zh = "Softplus，平滑的 ReLU，其导数就是 sigmoid。"

    @staticmethod
    def forward(Z):
        return np.logaddexp(0, Z)

    @staticmethod
    def complex_forward(Z):
        right, folded = _fold(Z)
        return np.where(right, Z, 0) + _log1p(np.exp(-folded))

    @staticmethod
    def derivative(Z):
        return Sigmoid.forward(Z)

    @staticmethod
    def second_derivative(Z):
        return Sigmoid.forward(Z) * Sigmoid.forward(-Z)


class ELU(Activation):
    r"""The exponential linear unit with \(\alpha = 1\).

    \[ g(z) = \begin{cases} z & z > 0 \\ e^{z} - 1 & z \le 0 \end{cases}, \qquad
       g'(z) = \begin{cases} 1 & z > 0 \\ e^{z} & z \le 0 \end{cases}, \qquad
       g''(z) = \begin{cases} 0 & z > 0 \\ e^{z} & z \le 0 \end{cases}. \]

    \(g'\) is continuous, \(g'(0) = 1\), but \(g''\) jumps at \(z = 0\) from 1 to 0. As in
    PyTorch the branch \(z \le 0\) owns 0, so \(g''(0) = 1\), the left value.
    """

    name = "elu"
    summary_zh = "α = 1 的指数线性单元。"
    kinks = (0.0,)
    analytic = False

    @staticmethod
    def forward(Z):
        return np.where(Z > 0, Z, np.expm1(np.minimum(Z, 0)))

    @staticmethod
    def derivative(Z):
        return np.where(Z > 0, 1, np.exp(np.minimum(Z, 0)))

    @staticmethod
    def second_derivative(Z):
        return np.where(Z > 0, 0, np.exp(np.minimum(Z, 0)))


class SELU(Activation):
    r"""The scaled ELU with PyTorch's constants \(\lambda \approx 1.0507\), \(\alpha \approx 1.6733\).

    \[ g(z) = \lambda \begin{cases} z & z > 0 \\ \alpha (e^{z} - 1) & z \le 0 \end{cases}, \qquad
       g'(z) = \begin{cases} \lambda & z > 0 \\ \lambda\alpha e^{z} & z \le 0 \end{cases}, \qquad
       g''(z) = \begin{cases} 0 & z > 0 \\ \lambda\alpha e^{z} & z \le 0 \end{cases}. \]

    Kink at \(z = 0\) (slopes \(\lambda\alpha \approx 1.758\) and \(\lambda\)). We take the left
    slope \(g'(0) = \lambda\alpha\), as PyTorch does: its branch \(z \le 0\) owns 0.
    """

    name = "selu"
    summary_zh = "缩放的 ELU，常数取 PyTorch 的 λ ≈ 1.0507、α ≈ 1.6733。"
    kinks = (0.0,)
    analytic = False
    LAMBDA = 1.0507009873554804934193349852946
    ALPHA = 1.6732632423543772848170429916717
    LAMBDA_ALPHA = 1.7580993408473768599402175208123  # λα, correctly rounded

    @staticmethod
    def forward(Z):
        return np.where(Z > 0, SELU.LAMBDA * Z, SELU.LAMBDA_ALPHA * np.expm1(np.minimum(Z, 0)))

    @staticmethod
    def derivative(Z):
        return np.where(Z > 0, SELU.LAMBDA, SELU.LAMBDA_ALPHA * np.exp(np.minimum(Z, 0))).astype(Z.dtype)

    @staticmethod
    def second_derivative(Z):
        return np.where(Z > 0, 0, SELU.LAMBDA_ALPHA * np.exp(np.minimum(Z, 0))).astype(Z.dtype)


_erfc = np.frompyfunc(math.erfc, 1, 1)


def _normal_cdf(Z):
    """Φ(z) = erfc(−z/√2)/2, accurate to the last digits in both tails (1 + erf(z/√2) would cancel)."""
    return (0.5 * np.asarray(_erfc(-np.asarray(Z, dtype=float) / math.sqrt(2)), dtype=float)).astype(Z.dtype)


#: n = 1 … 20 of the series in :func:`_complex_normal_cdf`: beyond, e^{−n²/4} < 1e-47
_TERMS = np.arange(1, 21).reshape(-1, 1)


def _complex_normal_cdf(Z):
    r"""Φ(z) = erfc(w)/2 with w = −z/√2 = a + ib, for complex z whose imaginary part is small.

    numpy has no complex erf. The series of Abramowitz and Stegun (7.1.29) gives it from real
    functions of a and b:

    \[ \operatorname{erfc}(a + ib) = \operatorname{erfc} a - e^{-a^2}\Bigl[\frac{1 - \cos 2ab + i \sin 2ab}{2\pi a}
        + \frac{2}{\pi} \sum_{n \ge 1} \frac{e^{-n^2/4}}{n^2 + 4a^2}\,(f_n + i g_n)\Bigr], \]

    \(f_n = 2a(1 - \cosh nb \cos 2ab) + n \sinh nb \sin 2ab\), \(g_n = 2a \cosh nb \sin 2ab + n \sinh nb \cos 2ab\).
    Everything that multiplies \(e^{-a^2}\) is of the size of b, so the imaginary part keeps its digits
    in both tails; \(e^{-a^2}\) is computed as \(e^{-x^2/2}\) from x = Re z, as the real \(\varphi\) is.
    The first term's 1/a is written with sinc, finite at a = 0, and \(1 - \cosh nb \cos 2ab\) as
    \(2 \cosh nb \sin^2 ab - 2 \sinh^2 (nb/2)\), which does not cancel for small b.
    """
    Z = np.asarray(Z, dtype=complex)
    a, b = -Z.real.ravel() / math.sqrt(2), -Z.imag.ravel() / math.sqrt(2)  # each part as the real Φ divides it
    n, ab = _TERMS, a * b
    first = (b / np.pi) * (np.sin(ab) * np.sinc(ab / np.pi) + 1j * np.sinc(2 * ab / np.pi))
    cosh, sinh, sin, cos = np.cosh(n * b), np.sinh(n * b), np.sin(2 * ab), np.cos(2 * ab)
    f = 2 * a * (2 * cosh * np.sin(ab) ** 2 - 2 * np.sinh(n * b / 2) ** 2) + n * sinh * sin
    g = 2 * a * cosh * sin + n * sinh * cos
    series = (2 / np.pi) * np.sum(np.exp(-n * n / 4) / (n * n + 4 * a * a) * (f + 1j * g), axis=0)
    erfc = np.asarray(_erfc(a), dtype=float) - np.exp(-(Z.real.ravel() ** 2) / 2) * (first + series)
    return (erfc / 2).reshape(Z.shape)


class GELU(Activation):
    r"""The Gaussian error linear unit, exact: \(z\,\Phi(z)\) with the normal CDF \(\Phi\).

    \[ g(z) = \frac{z}{2}\Bigl(1 + \operatorname{erf}\frac{z}{\sqrt 2}\Bigr), \qquad
       g'(z) = \Phi(z) + z\,\varphi(z), \qquad g''(z) = (2 - z^2)\,\varphi(z), \]

    with \(\varphi(z) = e^{-z^2/2}/\sqrt{2\pi}\). Smooth everywhere: no kink. numpy has no erf,
    so \(\Phi\) comes from ``math.erfc`` elementwise (slow but exact to float64), and
    ``complex_forward`` from a series for the complex erfc (:func:`_complex_normal_cdf`).
    """

    name = "gelu"
    summary_zh = "高斯误差线性单元的精确形式 z Φ(z)，Φ 是标准正态分布的分布函数。"

    @staticmethod
    def forward(Z):
        return Z * _normal_cdf(Z)

    @staticmethod
    def complex_forward(Z):
        return Z * _complex_normal_cdf(Z)

    @staticmethod
    def derivative(Z):
        return _normal_cdf(Z) + Z * np.exp(-Z * Z / 2) / math.sqrt(2 * math.pi)

    @staticmethod
    def second_derivative(Z):
        return (2 - Z * Z) * np.exp(-Z * Z / 2) / math.sqrt(2 * math.pi)


class GELUTanh(Activation):
    r"""GELU's tanh approximation, PyTorch's ``approximate='tanh'``.

    \[ g(z) = \frac{z}{2}\bigl(1 + \tanh u\bigr) = z\,\sigma(2u), \qquad
       u = \sqrt{2/\pi}\,(z + 0.044715\,z^3), \]
    \[ g'(z) = s + 2 z u' s(1 - s), \qquad
       g''(z) = 4 u' s(1 - s) + z\bigl(2u'' + 4u'^2 (1 - 2s)\bigr) s(1 - s), \]

    with \(s = \sigma(2u)\). Smooth everywhere: no kink. Writing \(1 + \tanh u = 2\sigma(2u)\)
    and \(s(1 - s) = \sigma(2u)\sigma(-2u)\) avoids cancellation in the negative tail.
    ``complex_forward`` takes the sigmoid's complex form.
    """

    name = "gelu_tanh"
    summary_zh = "GELU 的 tanh 近似，即 PyTorch 的 `approximate='tanh'`。"
    C = math.sqrt(2 / math.pi)
    K = 0.044715

    @staticmethod
    def _parts(Z):
        u = GELUTanh.C * (Z + GELUTanh.K * Z**3)
        du = GELUTanh.C * (1 + 3 * GELUTanh.K * Z * Z)
        s, t = Sigmoid.forward(2 * u), Sigmoid.forward(-2 * u)
        return s, t, du

    @staticmethod
    def forward(Z):
        return Z * Sigmoid.forward(2 * GELUTanh.C * (Z + GELUTanh.K * Z**3))

    @staticmethod
    def complex_forward(Z):
        return Z * Sigmoid.complex_forward(2 * GELUTanh.C * (Z + GELUTanh.K * Z**3))

    @staticmethod
    def derivative(Z):
        s, t, du = GELUTanh._parts(Z)
        return s + 2 * Z * du * s * t

    @staticmethod
    def second_derivative(Z):
        s, t, du = GELUTanh._parts(Z)
        d2u = 6 * GELUTanh.C * GELUTanh.K * Z
        return s * t * (4 * du + Z * (2 * d2u + 4 * du * du * (t - s)))


class SiLU(Activation):
    r"""The sigmoid linear unit (swish), \(z\,\sigma(z)\).

    \[ g(z) = z\,\sigma(z), \qquad g'(z) = \sigma(z)\bigl(1 + z\,\sigma(-z)\bigr), \qquad
       g''(z) = \sigma(z)\,\sigma(-z)\,\bigl(2 + z(\sigma(-z) - \sigma(z))\bigr). \]

    Smooth everywhere: no kink. \(1 - \sigma(z)\) is written \(\sigma(-z)\), accurate in both tails.
    ``complex_forward`` takes the sigmoid's complex form.
    """

    name = "silu"
    summary_zh = "sigmoid 线性单元（swish），z σ(z)。"

    @staticmethod
    def forward(Z):
        return Z * Sigmoid.forward(Z)

    @staticmethod
    def complex_forward(Z):
        return Z * Sigmoid.complex_forward(Z)

    @staticmethod
    def derivative(Z):
        return Sigmoid.forward(Z) * (1 + Z * Sigmoid.forward(-Z))

    @staticmethod
    def second_derivative(Z):
        s, t = Sigmoid.forward(Z), Sigmoid.forward(-Z)
        return s * t * (2 + Z * (t - s))


class Mish(Activation):
    r"""Mish, \(z \tanh(\operatorname{softplus} z)\).

    \[ g(z) = z\,T, \qquad g'(z) = T + z\,(1 - T^2)\,\sigma(z), \qquad
       g''(z) = (1 - T^2)\,\sigma(z)\,\bigl(2 + z\,\sigma(-z) - 2 z T \sigma(z)\bigr), \]

    with \(T = \tanh(\log(1 + e^z)) = n/(n + 2)\), \(n = e^z(e^z + 2)\). Smooth everywhere: no
    kink. \(T\) and \(1 - T = 2/(n + 2)\) are computed from \(w = e^{-|z|} \le 1\) on each side,
    so nothing overflows and \(1 - T^2\) keeps its digits where \(T\) rounds to 1.
    ``complex_forward`` takes \(w = e^{\mp z}\) and the side by the sign of \(\operatorname{Re} z\).
    """

    name = "mish"
    summary_zh = "Mish 激活函数，z tanh(softplus z)。"

    @staticmethod
    def _tanh_softplus(Z):
        """T and 1 − T of real Z, with w = e^{−|z|}."""
        w = np.exp(-np.abs(Z))
        positive = Z > 0
        return Mish._sides(w, positive)

    @staticmethod
    def _sides(w, positive):
        """T and 1 − T from w and the side: n/(n + 2) for z ≤ 0, divided through by e^{2z} for z > 0."""
        denominator = np.where(positive, 1 + 2 * w + 2 * w * w, w * (w + 2) + 2)
        T = np.where(positive, 1 + 2 * w, w * (w + 2)) / denominator
        one_minus_T = np.where(positive, 2 * w * w, 2) / denominator
        return T, one_minus_T

    @staticmethod
    def forward(Z):
        return Z * Mish._tanh_softplus(Z)[0]

    @staticmethod
    def complex_forward(Z):
        right, folded = _fold(Z)
        return Z * Mish._sides(np.exp(-folded), right)[0]

    @staticmethod
    def derivative(Z):
        T, one_minus_T = Mish._tanh_softplus(Z)
        return T + Z * one_minus_T * (1 + T) * Sigmoid.forward(Z)

    @staticmethod
    def second_derivative(Z):
        T, one_minus_T = Mish._tanh_softplus(Z)
        s, t = Sigmoid.forward(Z), Sigmoid.forward(-Z)
        return one_minus_T * (1 + T) * s * (2 + Z * t - 2 * Z * T * s)


class Softsign(Activation):
    r"""Softsign, \(z / (1 + |z|)\), a slowly saturating tanh.

    \[ g(z) = \frac{z}{1 + |z|}, \qquad g'(z) = \frac{1}{(1 + |z|)^2}, \qquad
       g''(z) = \frac{-2\operatorname{sign} z}{(1 + |z|)^3}. \]

    \(g'(0) = 1\) from both sides, but \(g''\) jumps at \(z = 0\) from 2 to −2. We take
    \(g''(0) = 0\), what the definition gives through \(\operatorname{sign} 0 = 0\) (SymPy and
    ``np.sign`` agree).
    """

    name = "softsign"
    summary_zh = "Softsign，z / (1 + |z|)，饱和得较慢的 tanh。"
    kinks = (0.0,)
    analytic = False

    @staticmethod
    def forward(Z):
        return Z / (1 + np.abs(Z))

    @staticmethod
    def derivative(Z):
        return 1 / (1 + np.abs(Z)) ** 2

    @staticmethod
    def second_derivative(Z):
        return -2 * np.sign(Z) / (1 + np.abs(Z)) ** 3


class HardSigmoid(Activation):
    r"""Hard sigmoid, \(\operatorname{relu6}(z + 3)/6\).

    \[ g(z) = \begin{cases} 0 & z \le -3 \\ z/6 + 1/2 & -3 < z < 3 \\ 1 & z \ge 3 \end{cases}, \qquad
       g'(z) = \begin{cases} 1/6 & -3 < z < 3 \\ 0 & \text{otherwise} \end{cases}, \qquad g''(z) = 0. \]

    Kinks at \(z = \pm 3\). As PyTorch, \(g'(\pm 3) = 0\): the flat sides own the boundaries.
    """

    name = "hard_sigmoid"
    summary_zh = "硬 sigmoid，relu6(z + 3) / 6。"
    kinks = (-3.0, 3.0)
    analytic = False

    @staticmethod
    def forward(Z):
        return np.clip((Z + 3) / 6, 0, 1)

    @staticmethod
    def derivative(Z):
        return np.where((Z > -3) & (Z < 3), 1 / 6, 0).astype(Z.dtype)

    @staticmethod
    def second_derivative(Z):
        return np.zeros_like(Z)


class HardTanh(Activation):
    r"""Hard tanh, \(z\) clipped to \([-1, 1]\).

    \[ g(z) = \begin{cases} -1 & z \le -1 \\ z & -1 < z < 1 \\ 1 & z \ge 1 \end{cases}, \qquad
       g'(z) = \begin{cases} 1 & -1 < z < 1 \\ 0 & \text{otherwise} \end{cases}, \qquad g''(z) = 0. \]

    Kinks at \(z = \pm 1\). As PyTorch, \(g'(\pm 1) = 0\): the flat sides own the boundaries.
    """

    name = "hard_tanh"
    summary_zh = "硬 tanh，把 z 截断到 [-1, 1]。"
    kinks = (-1.0, 1.0)
    analytic = False

    @staticmethod
    def forward(Z):
        return np.clip(Z, -1, 1)

    @staticmethod
    def derivative(Z):
        return ((Z > -1) & (Z < 1)).astype(Z.dtype)

    @staticmethod
    def second_derivative(Z):
        return np.zeros_like(Z)


class Softmax(Activation):
    r"""Softmax over the \(K = n^{[L]}\) units of each column: a probability distribution per sample.

    \[ a_p = \frac{e^{z_p}}{\sum_{j} e^{z_j}}, \qquad
       \frac{\partial a_p}{\partial z_q} = a_p\,(\delta_{pq} - a_q). \]

    Not elementwise: every \(a_p\) depends on every \(z_q\) of its column, so there is no
    \(g'(Z)\) to multiply by. Backward contracts the Jacobian with the upstream gradient
    instead (:meth:`backward`), and with cross-entropy the contraction collapses to
    \(dZ^{[L]} = A^{[L]} - Y\). Softmax is therefore an output activation only.

    For stability the forward pass subtracts each column's maximum first, which leaves the
    result unchanged (softmax is invariant to shifting z) and keeps every exponent \(\le 0\).
    """

    name = "softmax"
    elementwise = False
    analytic = True
    #: the key of its SymPy derivation in ``derivations`` (elementwise activations are
    #: derived from their declaration in ``derivations/activations.py`` instead)
    derivation = "output.softmax_cross_entropy"
    #: the docstring's first line in Chinese, for the Chinese activations page and API reference
    summary_zh = r"对每一列的 \(K = n^{[L]}\) 个单元做 softmax：每个样本得到一个概率分布。"

    @staticmethod
    def forward(Z):
        # --8<-- [start:softmax]
        E = np.exp(Z - Z.max(axis=0, keepdims=True))
        return E / E.sum(axis=0, keepdims=True)
        # --8<-- [end:softmax]

    @staticmethod
    def backward(A, dA):
        r"""Return dZ, the softmax Jacobian of each column contracted with dA.

        \[ dz_q = \sum_p da_p\, a_p (\delta_{pq} - a_q) = a_q \Big(da_q - \sum_p a_p\, da_p\Big),
           \qquad dZ = A \odot \big(dA - \mathbf{1}\,\mathbf{1}^\top (A \odot dA)\big). \]

        Args:
            A: the softmax output, ``(K, m)``.
            dA: the upstream gradient, ``(K, m)``.

        Example:
            >>> A = np.array([[0.25], [0.75]])
            >>> Softmax.backward(A, np.array([[-4.0], [0.0]]))  # dA = -Y/A for Y = [1, 0]: A - Y
            array([[-0.75],
                   [ 0.75]])
        """
        # --8<-- [start:softmax_backward]
        return A * (dA - np.sum(A * dA, axis=0, keepdims=True))
        # --8<-- [end:softmax_backward]
