r"""backward_propagation against finite differences and against SymPy's gradient of J.

Finite differences: central, h = 1e-6, float64, on every entry of every parameter. The
relative error ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖) must be ≤ 1e-7, the threshold of the course the seeds
follow. Inputs are kept away from kinks: a draw whose pre-activations come within 1e-3 of
a kink is redrawn (the kink convention has an exact test of its own below). A draw where
some gradient block is nearly zero is redrawn too: central differences carry an absolute
rounding error of about ε·J/h ≈ 1e-10 per entry (up to ~5e-10 on a block), so a relative
error on a block with ‖ĝ‖ < 1e-2 measures noise, not bugs (deep leaky-ReLU stacks shrink
gradients by 0.01 per layer, hard-sigmoid stacks by 1/6: ‖dW1‖ = 2.5e-3 gave 1.1e-7).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from support import (
    GRADCHECK_THRESHOLD,
    assert_page_says,
    min_abs_preactivation,
    numeric_gradients,
    random_problem,
    relative_error,
)

import derivations
import nn
from derivations import activations as symbolic
from derivations import output

HIDDEN = nn.activations.names(elementwise=True)
OUTPUT = {"bce": "sigmoid", "mse": "identity", "cross_entropy": "softmax"}


def distance_to_kinks(X, parameters, acts) -> float:
    """How close any pre-activation Z[l] comes to a kink of its activation (0 included, as before)."""
    _, cache = nn.forward_propagation(X, parameters, acts)
    distances = [min_abs_preactivation(X, parameters, acts)]
    for l, name in enumerate(acts, start=1):
        distances += [float(np.min(np.abs(cache[f"Z{l}"] - k))) for k in nn.activations.get(name).kinks]
    return min(distances)


def kink_free_problem(rng, dims, m, loss, acts):
    """A random problem whose pre-activations stay 1e-3 away from every kink, and its FD gradients."""
    for _ in range(200):
        X, Y, parameters = random_problem(rng, dims, m, loss)
        if distance_to_kinks(X, parameters, acts) <= 1e-3:
            continue
        numeric = numeric_gradients(parameters, X, Y, acts, loss)
        if min(np.linalg.norm(g) for g in numeric.values()) >= 1e-2:
            return X, Y, parameters, numeric
    raise AssertionError("could not draw a well-conditioned problem away from the kinks")


def assert_gradients_match(parameters, X, Y, acts, loss, numeric):
    AL, cache = nn.forward_propagation(X, parameters, acts)
    grads = nn.backward_propagation(AL, Y, cache, parameters, acts, loss=loss)
    assert set(grads) == set(numeric), f"gradient keys {sorted(grads)} != {sorted(numeric)}"
    errors = {key: relative_error(grads[key], numeric[key]) for key in numeric}
    worst = max(errors, key=errors.get)
    assert errors[worst] <= GRADCHECK_THRESHOLD, f"{worst}: relative error {errors[worst]:.2e}; all: {errors}"


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
@pytest.mark.parametrize("loss", nn.LOSSES)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_backward_matches_finite_differences(hidden, loss, depth):
    rng = np.random.default_rng([depth, len(hidden), len(loss)])
    dims = [int(rng.integers(1, 5)) for _ in range(depth)]
    dims.append(int(rng.integers(2, 5)) if OUTPUT[loss] == "softmax" else int(rng.integers(1, 3)))
    acts = [hidden] * (depth - 1) + [OUTPUT[loss]]
    X, Y, parameters, numeric = kink_free_problem(rng, dims, int(rng.integers(1, 6)), loss, acts)
    assert_gradients_match(parameters, X, Y, acts, loss, numeric)


@pytest.mark.parametrize("output", nn.activations.names())
def test_every_activation_works_as_output_layer_with_mse(output):
    rng = np.random.default_rng(7)
    acts = ["tanh", output]
    X, Y, parameters, numeric = kink_free_problem(rng, [3, 4, 2], 5, "mse", acts)
    assert_gradients_match(parameters, X, Y, acts, "mse", numeric)


def softmax_entry(column: sp.Matrix, i: int) -> sp.Expr:
    """Entry i of softmax(column), from the statement of the softmax derivation with K = len(column)."""
    definition = derivations.get("output.softmax_cross_entropy").steps[0].rhs
    concrete = definition.subs({output.K: len(column), output.p_: i}).doit()
    return concrete.xreplace({output.z_[j]: column[j] for j in range(len(column))})


def symbolic_gradients(parameters, X, Y, acts, loss):
    """∂J/∂θ from SymPy: J written out entry by entry with the registry's expressions, diff, lambdify."""
    matrices = {
        key: sp.Matrix(*value.shape, lambda i, j, key=key: sp.Symbol(f"{key}_{i}_{j}"))
        for key, value in parameters.items()
    }
    A = sp.Matrix(X)
    for l, name in enumerate(acts, start=1):
        Z = matrices[f"W{l}"] * A + matrices[f"b{l}"] * sp.ones(1, A.shape[1])
        if name == "softmax":
            A = sp.Matrix(*Z.shape, lambda i, k, Z=Z: softmax_entry(Z[:, k], i))
        else:
            g = symbolic.get(name).expr
            A = Z.applyfunc(lambda entry, g=g: g.subs(symbolic.z, entry))
    m, Ys = X.shape[1], sp.Matrix(Y)
    if loss == "bce":
        J = -sum(Ys[i] * sp.log(A[i]) + (1 - Ys[i]) * sp.log(1 - A[i]) for i in range(len(A))) / m
    elif loss == "cross_entropy":
        J = -sum(Ys[i] * sp.log(A[i]) for i in range(len(A))) / m
    else:
        J = sum((A[i] - Ys[i]) ** 2 for i in range(len(A))) / m
    thetas = [s for M in matrices.values() for s in M]
    gradient = sp.lambdify(thetas, [sp.diff(J, t) for t in thetas], modules="numpy", cse=True)
    flat = gradient(*[float(v) for value in parameters.values() for v in value.ravel()])
    grads, start = {}, 0
    for key, value in parameters.items():
        grads["d" + key] = np.array(flat[start : start + value.size], dtype=float).reshape(value.shape)
        start += value.size
    return grads


@pytest.mark.parametrize(
    ("acts", "loss"),
    [
        # one network per loss in the everyday suite; the larger ones (0.4-0.7 s of SymPy each) are slow
        pytest.param(["tanh", "sigmoid"], "bce", marks=pytest.mark.slow),
        (["relu", "sigmoid"], "bce"),
        (["leaky_relu", "identity"], "mse"),
        pytest.param(["sigmoid", "tanh", "identity"], "mse", marks=pytest.mark.slow),
        (["sigmoid"], "bce"),
        pytest.param(["tanh", "softmax"], "cross_entropy", marks=pytest.mark.slow),
        (["softmax"], "cross_entropy"),
        pytest.param(["softmax"], "mse", marks=pytest.mark.slow),
    ],
)
def test_backward_equals_the_symbolic_gradient_of_J(acts, loss):
    """numpy's gradients against SymPy's exact ∂J/∂θ at the same random numbers (rtol 1e-10)."""
    rng = np.random.default_rng(3)
    dims = [*[2, 2, 1, 1][: len(acts)], 3 if acts[-1] == "softmax" else 1]
    X, Y, parameters, _ = kink_free_problem(rng, dims, 3 if len(acts) < 3 else 2, loss, acts)
    AL, cache = nn.forward_propagation(X, parameters, acts)
    grads = nn.backward_propagation(AL, Y, cache, parameters, acts, loss=loss)
    exact = symbolic_gradients(parameters, X, Y, acts, loss)
    for key in exact:
        np.testing.assert_allclose(grads[key], exact[key], rtol=1e-10, atol=1e-13, err_msg=key)


@pytest.mark.parametrize("name", [n for n in HIDDEN if symbolic.get(n).kinks])
def test_kink_convention_inside_the_network(name):
    """With every pre-activation exactly at the kink, backprop uses the declared g'(kink)."""
    for kink in symbolic.get(name).kinks:
        assert_kink_convention_inside_the_network(name, kink)


def assert_kink_convention_inside_the_network(name, kink):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 4))
    Y = rng.integers(0, 2, size=(1, 4)).astype(float)
    parameters = {
        "W1": np.zeros((2, 3)),
        "b1": np.full((2, 1), float(kink.at)),
        "W2": rng.normal(size=(1, 2)),
        "b2": np.zeros((1, 1)),
    }
    acts = [name, "sigmoid"]
    AL, cache = nn.forward_propagation(X, parameters, acts)
    grads = nn.backward_propagation(AL, Y, cache, parameters, acts)
    dA1 = parameters["W2"].T @ (AL - Y)
    dZ1 = dA1 * float(kink.derivative)
    np.testing.assert_allclose(grads["dW1"], dZ1 @ X.T / 4, rtol=1e-12, atol=0)
    np.testing.assert_allclose(grads["db1"], dZ1.sum(axis=1, keepdims=True) / 4, rtol=1e-12, atol=0)


def test_backward_takes_each_elementwise_derivative_from_z_and_softmax_from_its_output(monkeypatch):
    """docs/hidden-layers.md, "The project's rule": backward_propagation calls Activation.derivative on
    each layer's cached Z, never on A; softmax, with no elementwise g', gets its Jacobian from A[L]."""
    docs = Path(__file__).resolve().parents[1] / "docs"
    assert "take every elementwise derivative from \\(Z\\)" in (docs / "hidden-layers.md").read_text(encoding="utf-8")
    assert "从 \\(Z\\) 求逐元素的导数" in (docs / "hidden-layers.zh.md").read_text(encoding="utf-8")
    names = ["tanh", "sigmoid", "softmax"]
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(3, 5)), np.eye(4)[:, rng.integers(0, 4, 5)]
    parameters = nn.initialize_parameters([3, 6, 5, 4], seed=0)
    AL, cache = nn.forward_propagation(X, parameters, names)
    seen = []
    for name in names:
        kind = type(nn.activations.get(name))
        method = "backward" if name == "softmax" else "derivative"
        original = getattr(kind, method)

        def spy(first, *rest, name=name, original=original):
            seen.append((name, first))
            return original(first, *rest)

        monkeypatch.setattr(kind, method, staticmethod(spy))
    nn.backward_propagation(AL, Y, cache, parameters, names, loss="mse")  # softmax with mse: no fused A - Y
    assert [name for name, _ in seen] == ["softmax", "sigmoid", "tanh"]
    for (name, argument), l in zip(seen, (3, 2, 1), strict=True):
        cached, other = ("A", "Z") if name == "softmax" else ("Z", "A")
        assert np.array_equal(argument, cache[f"{cached}{l}"]), f"{name}: not called on {cached}{l}"
        assert not np.array_equal(argument, cache[f"{other}{l}"]), f"{name}: called on {other}{l}"


def test_the_backward_loop_starts_from_the_output_delta_as_the_hidden_layers_page_says():
    """hidden-layers shows only the loop: its dZ is the output delta, set in every branch of the snippet just
    before it, and the loop's last line makes dZ[l-1] by dA ⊙ g'(Z)."""
    source = Path(nn.network.__file__).read_text(encoding="utf-8")
    marks = [
        source.index(f"# --8<-- [{edge}:{name}]") for name in ("output_delta", "backward") for edge in ("start", "end")
    ]
    assert marks == sorted(marks)
    delta, between, loop = (source[marks[i] : marks[i + 1]] for i in range(3))
    branches = [line for line in delta.splitlines() if line.strip().startswith(("if ", "elif ", "else"))]
    assert sum(line.strip().startswith("dZ = ") for line in delta.splitlines()) == len(branches) == 3
    assert "dZ" not in between
    last = [line.strip() for line in loop.splitlines() if line.strip()][-1]
    assert last == "dZ = dA_prev * g[l - 1].derivative(preactivation(cache, l - 1))"
    assert_page_says(
        "hidden-layers",
        ("The loop starts with `dZ` holding the output delta", "its last line turns it into \\(dZ^{[l-1]}\\)"),
        ("循环开始时，`dZ` 是输出层误差项", "每一轮的最后一行再按上面的法则把它变成 \\(dZ^{[l-1]}\\)"),
    )
