r"""The problems a check runs on: J as a function of the parameters, and what is known about it.

:class:`NetworkProblem` is nn's own network: it knows the layers, so a probe of \(W^{[l]}\)
forwards from layer l only, and it knows the kinks of every \(g^{[l]}\). :class:`FunctionProblem`
is a learner's ``cost(parameters)``: any names, any shapes, nothing known inside it, so every
probe calls the whole function and no kink is tracked.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np

from .. import losses, network
from ..words import described
from .estimates import NonFiniteCost, best_step, bound, noisy_probe
from .words import InputError, Text


@dataclasses.dataclass
class NetworkProblem:
    """A check's problem on nn's network: the parameters ``params``, the forward pass's cache ``base`` at them,
    the targets Y, each layer's g and the loss."""

    params: dict[str, np.ndarray]
    base: dict[str, np.ndarray]  # forward_propagation's cache at params: A0 = X, Z1, A1, ...
    Y: np.ndarray
    g: dict
    loss: str

    @property
    def m(self) -> int:
        """The number of samples, for the hints about a factor m."""
        return self.base["A0"].shape[1]

    def preactivation(self, l) -> np.ndarray:
        r"""What \(g^{[l]}\) was applied to in the checked forward pass (\(\tilde Z^{[l]}\) in a batch-norm layer)."""
        return network.preactivation(self.base, l)

    def cost(self, params, start, Z_start):
        """J and the pre-activations {l: Z[l]} of layers ``start`` to L, given Z[start]; the layers
        above it run forward with ``params``."""
        Z = {start: Z_start}
        A = self.g[start].forward(Z_start)
        for l in range(start + 1, len(self.g) + 1):
            Z[l] = params[f"W{l}"] @ A + params[f"b{l}"]
            A = self.g[l].forward(Z[l])
        L = len(self.g)
        logits = Z[L] if losses.PAIRED_OUTPUT.get(self.loss) == self.g[L].name else None
        return losses._cost(A, self.Y, self.loss, logits), Z

    def shifted(self, v):
        """A function of the step: ``[(J, Z) at θ + step·v, (J, Z) at θ − step·v]`` for a direction
        v = {key: block}.

        Z[l] = W[l] A[l-1] + b[l] is linear in W[l] and b[l], so for the lowest layer l that v
        touches it is Z[l] ± step·dZ with dZ = v_W A[l-1] + v_b, computed once (on the rows of
        v_W that are not zero) from the cached A[l-1]: the layers below never run, and the
        perturbation is not rounded away against W[l]. The layers above run forward.
        """
        start = min(_layer(key) for key in v)
        dZ = np.zeros(self.base[f"Z{start}"].shape)
        if f"W{start}" in v:
            V = v[f"W{start}"]
            rows = np.flatnonzero(V.any(axis=1))
            dZ[rows] = V[rows] @ self.base[f"A{start - 1}"]
        if f"b{start}" in v:
            dZ += v[f"b{start}"]
        return self.line(start, dZ, {key: v[key] for key in v if _layer(key) > start})

    def span(self, key, lo, hi, v):
        """``shifted`` for the direction v over the entries lo..hi − 1 (row-major) of block ``key``;
        dZ comes from the rows those entries span only."""
        l, width = _layer(key), self.params[key].shape[1]
        dZ = np.zeros(self.base[f"Z{l}"].shape)
        if key.startswith("W"):
            first, last = lo // width, (hi - 1) // width + 1
            rows = np.zeros((last - first) * width)
            rows[lo - first * width : hi - first * width] = v
            dZ[first:last] = rows.reshape(-1, width) @ self.base[f"A{l - 1}"]
        else:
            dZ[lo:hi] = v[:, None]
        return self.line(l, dZ, {})

    def line(self, start, dZ, above):
        """A function of the step: (J, Z) with Z[start] + step·dZ and the parameters above it
        moved by step·``above`` = {key: block}, and the same with −step."""
        dtype, Z = self.params["W1"].dtype, self.base[f"Z{start}"]

        def at(step):
            return [
                self.cost(
                    {
                        **self.params,
                        **{key: self.params[key] + (sign * step * block).astype(dtype) for key, block in above.items()},
                    },
                    start,
                    (Z + sign * step * dZ).astype(dtype),
                )
                for sign in (1, -1)
            ]

        return at

    def safe_step(self, Z_plus, Z_minus, h):
        """None if no Z[l] lies on different sides of a kink of g[l] at θ + h and θ − h; else half
        the step at which the first of those units would reach its kink, moving linearly from its
        base value at the rate |Z₊ − Z₋| / 2h (0 for a unit sitting on its kink)."""
        reach = []
        for l, Zp in Z_plus.items():
            for k in self.g[l].kinks:
                crossed = np.sign(Zp - k) != np.sign(Z_minus[l] - k)
                if crossed.any():
                    rate = np.abs(Zp[crossed] - Z_minus[l][crossed]) / (2 * h)
                    reach.append(float(np.min(np.abs(self.preactivation(l)[crossed] - k) / rate)))
        return min(reach) / 2 if reach else None

    def complex_cost(self, params):
        """J on complex parameters, by the same formulas (each g by its complex form, no clipping)."""
        A = self.base["A0"].astype(complex)
        for l in self.g:
            Z = params[f"W{l}"] @ A + params[f"b{l}"]
            A = complex_forward(self.g[l])(Z)
        return complex_loss(A, self.Y, self.loss)

    def work(self, key):
        """Multiply-adds of one forward pass from the layer of block ``key``."""
        start = _layer(key)
        return sum(self.params[f"W{l}"].size for l in range(start, len(self.g) + 1)) * self.m

    def refuse_complex(self):
        """Raise unless every activation is analytic and its forward continues to complex input."""
        g = self.g
        for l in g:
            if not g[l].analytic:
                at = ", ".join(f"{k:g}" for k in g[l].kinks)
                raise InputError(Text(
                    f"complex step needs analytic activations; {g[l].name} (layer {l}) has "
                    f"{'a kink' if len(g[l].kinks) == 1 else 'kinks'} at {at} — use mode='full'",
                    f"复步法需要解析的激活函数；{g[l].name}（第 {l} 层）在 {at.replace(', ', '、')} 处有折点"
                    f"——请用 mode='full'",
                ))  # fmt: skip
            if not _complex_safe(g[l], self.preactivation(l)):
                raise InputError(Text(
                    f"complex step needs a forward that accepts complex input; {g[l].name} (layer {l}) uses "
                    f"real-only operations (its complex step disagrees with its central difference) — use mode='full'",
                    f"复步法需要能接受复数输入的前向传播；{g[l].name}（第 {l} 层）用了只适用于实数的运算"
                    f"（它的复步法结果与中心差分不符）——请用 mode='full'",
                ))  # fmt: skip

    def near_kinks(self, distance) -> list[str]:
        """Notes on pre-activations Z[l] within ``distance`` of a kink of g[l]."""
        notes = []
        for l in self.g:
            for k in self.g[l].kinks:
                count = int(np.sum(np.abs(self.preactivation(l) - k) <= distance))
                if count:
                    name = self.g[l].name
                    notes.append(
                        Text(
                            f"Z{l}: {count} pre-activation(s) within {distance:g} of the kink of {name} at {k:g}",
                            f"Z{l}：有 {count} 个激活前的值离 {name} 在 {k:g} 处的折点不到 {distance:g}",
                        )
                    )
        return notes


def complex_loss(A, Y, loss):
    """The cost of a complex output A by its formula, which continues to complex numbers (no clipping, no logits)."""
    m = A.shape[1]
    if loss == "mse":
        return np.sum((A - Y) ** 2) / m
    if loss == "cross_entropy":
        return -np.sum(Y * np.log(A)) / m
    return -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m


def _layer(key) -> int:
    return int(key[1:])


def complex_forward(act):
    """g for complex Z: the activation's ``complex_forward`` where it declares one (its ``forward``
    takes real Z only, as the stable sigmoid's |z| does), else its ``forward``.

    Softmax's own forward serves as it is: the column max it subtracts is a complex constant
    for complex Z, and softmax is unchanged by any constant shift.
    """
    return getattr(act, "complex_forward", None) or act.forward


def _complex_safe(act, Z) -> bool:
    """True if g's forward continues to complex z: Im g(z + ih)/h matches its central difference on Z.

    Softmax is not elementwise, so an entry-by-entry comparison does not apply to it.
    """
    if not act.elementwise:
        return True
    z = Z.ravel()[:256].astype(np.float64)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            step = np.imag(complex_forward(act)(z + 1e-20j)) / 1e-20
    except (TypeError, ValueError, ArithmeticError, Warning):
        return False
    central = (act.forward(z + 1e-6) - act.forward(z - 1e-6)) / 2e-6
    return bool(np.all(np.isfinite(step)) and np.allclose(step, central, rtol=1e-5, atol=1e-8))


class FunctionProblem:
    r"""A learner's ``cost(parameters) -> J`` on a dict of float arrays with any names and shapes.

    Nothing is known inside the function, so each probe calls it whole with the perturbed dict,
    no kink is tracked (``safe_step`` is always None), and the work of one call is taken to be
    the number of parameter entries.
    """

    m = None  # the number of samples is not known

    def __init__(self, cost, params: dict[str, np.ndarray]):
        self.function, self.params = cost, params
        self.errors = np.geterr()  # how the caller has numpy treat floating-point errors, for the cost's own code

    def _cost(self, params):
        """The learner's cost at ``params``, run as the caller runs it (not under the checker's overflow guard)."""
        with np.errstate(**self.errors):
            return self.function(params)

    def value(self, params, moved=True) -> float:
        """J at ``params`` as a Python float; the error names the rule if cost does not return one
        finite number (:class:`NonFiniteCost` when the number is inf or nan), at the parameters
        checked (``moved`` False) or at a probe point."""
        J = float(_number(self._cost(params), "cost(parameters)").real)
        if not np.isfinite(J) and not moved:
            raise NonFiniteCost(Text(
                f"cost(parameters) returned {J}: J must be finite at the parameters checked",
                f"cost(parameters) 返回了 {J}：在被检查的参数处 J 必须是有限的数",
            ))  # fmt: skip
        if not np.isfinite(J):
            raise NonFiniteCost(Text(
                f"cost(parameters) returned {J} at parameters moved by a step of the check: J must be finite "
                f"within a step of the parameters checked (a parameter at the edge of the cost's domain, "
                f"a log near 0, say); check at parameters farther from that edge, or pass a smaller h",
                f"cost(parameters) 在检验移动了一步的参数处返回了 {J}：在被检查参数的一步之内，J 都必须是有限的数"
                f"（比如某个参数处在代价函数定义域的边缘，log 的自变量接近 0）；请在离这个边缘更远的参数处检查，"
                f"或者传入更小的 h",
            ))  # fmt: skip
        return J

    def shifted(self, v):
        """A function of the step: ``[(J, None) at θ + step·v, (J, None) at θ − step·v]``."""

        def at(step):
            return [
                (
                    self.value(
                        {
                            **self.params,
                            **{
                                key: (self.params[key] + sign * step * block).astype(self.params[key].dtype)
                                for key, block in v.items()
                            },
                        }
                    ),
                    None,
                )
                for sign in (1, -1)
            ]

        return at

    def span(self, key, lo, hi, v):
        """``shifted`` for the direction v over the entries lo..hi − 1 (row-major) of block ``key``."""
        block = np.zeros(self.params[key].size)
        block[lo:hi] = v
        return self.shifted({key: block.reshape(self.params[key].shape)})

    def safe_step(self, Z_plus, Z_minus, h):
        return None

    def complex_cost(self, params):
        """J of complex parameters: the learner's cost, which must carry the imaginary part through."""
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return complex(_number(self._cost(params), "cost(parameters)"))

    def work(self, key):
        return sum(value.size for value in self.params.values())

    def refuse_complex(self, h=1e-20):
        """Raise unless the complex step of cost along a random direction matches its central difference."""
        rng = np.random.default_rng(0)
        v = {key: rng.standard_normal(value.shape) for key, value in self.params.items()}
        try:
            J = self.complex_cost({key: value + 1j * h * v[key] for key, value in self.params.items()})
        except (TypeError, ValueError, ArithmeticError, Warning) as error:
            raise InputError(Text(
                f"complex step needs a cost that accepts complex parameters; yours raised "
                f"{type(error).__name__}: {error} — use mode='full'",
                f"复步法需要能接受复数参数的代价函数；你的代价函数抛出了 "
                f"{type(error).__name__}: {error}——请用 mode='full'",
            )) from None  # fmt: skip
        step, (central, noise) = J.imag / h, self._central(v)
        if not abs(step - central) <= 2 * noise + 1e-5 * abs(central) + 1e-8:
            raise InputError(Text(
                f"complex step needs a cost that carries the imaginary part through (abs and real-only casts "
                f"drop it); along a random direction its complex step gives {step:.6g} and central "
                f"differences {central:.6g} — use mode='full'",
                f"复步法需要代价函数把虚部一路保留下来（abs 和转成实数都会丢掉它）；沿一个随机方向，"
                f"它的复步法给出 {step:.6g}，中心差分给出 {central:.6g}——请用 mode='full'",
            ))  # fmt: skip

    def _central(self, v):
        """The central difference of J along v and its noise bound, at the step ``best_step`` finds from 1e-6."""

        def measure(step):
            estimate, _, rounding, change = noisy_probe(self, self.shifted(v), step, "skip")
            rounding, change = np.array([rounding]), np.array([change])
            return np.array([estimate]), rounding, change, [], bound(rounding, change), step

        numeric, _, _, _, noise, _ = best_step(measure, 1e-6, "skip")
        return float(numeric[0]), float(noise[0])

    def near_kinks(self, distance) -> list[str]:
        return []


def _number(value, what):
    """``value`` as one numpy number; raise unless it holds exactly one."""
    array = np.asarray(value)
    if array.size != 1 or not np.issubdtype(array.dtype, np.number):
        returned = described(value)
        raise InputError(Text(
            f"{what} must return one number J; it returned {returned}",
            f"{what} 必须返回一个数 J；而它返回的{returned.zh}",
        ))  # fmt: skip
    return array.reshape(()).item() if array.dtype.kind != "c" else complex(array.reshape(()))
