r"""Output-layer derivations: where backprop starts.

Notation: for one sample, a is the output A[L] and y the target; J is the mean of the
per-sample loss over the m columns, and dA, dZ denote m times the gradient of J, which is
the per-sample gradient (the course's convention, so that dW carries the 1/m).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from . import activations
from .core import Derivation, Step, central_difference, relative_error, symbol
from .indexed import proof_for_all_indices

a, y, z = activations.a, symbol("y", real=True), activations.z
PER_SAMPLE = "dA and dZ are per-sample gradients: dA = m ∂J/∂A, since J averages the loss over m columns."


def sigmoid_bce() -> Derivation:
    sigmoid = activations.get("sigmoid")
    loss = -(y * sp.log(a) + (1 - y) * sp.log(1 - a))
    L, dz = sp.Function("L")(a), symbol("dz")
    inverse, a_prime = sigmoid.output_inverse, sigmoid.derivative_in_output
    da = -y / a + (1 - y) / (1 - a)
    through_z = sp.diff(loss.subs(a, sigmoid.expr), z).subs(z, inverse)

    def numeric(rng: np.random.Generator) -> float:
        point, target = np.array([rng.uniform(-4, 4)]), rng.uniform(0, 1)
        f = sp.lambdify(z, loss.subs({a: sigmoid.expr, y: target}))
        return relative_error(central_difference(lambda x: f(x[0]), point), 1 / (1 + np.exp(-point)) - target)

    return Derivation(
        key="output.sigmoid_bce",
        title="Output layer: sigmoid + binary cross-entropy gives dZ = A − Y",
        statement="With a sigmoid output and cross-entropy loss, dz = a − y; column by column, dZ[L] = A[L] − Y.",
        hypotheses=("a = σ(z), 0 < a < 1, and 0 ≤ y ≤ 1.", PER_SAMPLE),
        steps=(
            Step("Cross-entropy loss of one sample.", L, loss, meaning=loss),
            Step("Differentiate with respect to a.", sp.Derivative(L, a), da, meaning=sp.Derivative(loss, a)),
            Step(
                "The sigmoid's derivative in terms of its output (see the sigmoid derivation).",
                sp.Derivative(sigmoid.g(z), z),
                a_prime,
                meaning=sigmoid.derivative.subs(z, inverse),
            ),
            Step("Chain rule: dz = (∂L/∂a)(∂a/∂z).", dz, da * a_prime, meaning=through_z),
        ),
        result=Step("The a's cancel: the output delta is the error.", dz, a - y, meaning=through_z),
        numeric=numeric,
    )


def mse() -> Derivation:
    n = symbol("n[L]", "n^{[L]}", integer=True, positive=True)
    i, p = sp.symbols("i p", integer=True, nonnegative=True)
    A, Y = sp.IndexedBase("a"), sp.IndexedBase("y")
    loss = sp.Sum((A[i] - Y[i]) ** 2, (i, 0, n - 1))
    L = sp.Function("L")(A[p])
    claim = 2 * (A[p] - Y[p])

    def numeric(rng: np.random.Generator) -> float:
        a0, y0 = rng.normal(size=4), rng.normal(size=4)
        return relative_error(central_difference(lambda x: np.sum((x - y0) ** 2), a0), 2 * (a0 - y0))

    return Derivation(
        key="output.mse",
        title="Output layer: square error gives dA = 2(A − Y)",
        statement="For L = Σ_i (a_i − y_i)² over the n[L] output units, ∂L/∂a_p = 2(a_p − y_p), for any n[L]. "
        "Dropping the target (2·a, as one seed does) is wrong whenever y ≠ 0.",
        hypotheses=(PER_SAMPLE, "Square error summed over output units, averaged over samples."),
        steps=(
            Step("Square error of one sample, summed over the output units.", L, loss, meaning=loss),
            Step(
                "Differentiate with respect to one output a_p: only the i = p term depends on it.",
                sp.Derivative(L, A[p]),
                claim,
                meaning=sp.Derivative(loss, A[p]),
                proof=proof_for_all_indices({p: n}),
            ),
        ),
        result=Step(
            "With an identity output, dz = da.",
            sp.Derivative(L, A[p]),
            claim,
            meaning=sp.Derivative(loss, A[p]),
            proof=proof_for_all_indices({p: n}),
        ),
        numeric=numeric,
    )


def derivations() -> list[Derivation]:
    return [sigmoid_bce(), mse()]
