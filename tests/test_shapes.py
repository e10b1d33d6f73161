"""The dimension rules SymPy derives hold for the numpy network on random architectures."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import nn
from derivations.shapes import architecture_shapes
from derivations.shapes import m as batch


def concrete(shape, m):
    return tuple(int(sp.sympify(s).subs(batch, m)) for s in shape)


@pytest.mark.parametrize("seed", range(12))
def test_parameters_cache_and_gradients_have_the_derived_shapes(seed):
    rng = np.random.default_rng(seed)
    dims = [int(d) for d in rng.integers(1, 7, size=int(rng.integers(2, 6)))]
    m = int(rng.integers(1, 9))
    acts = [str(a) for a in rng.choice(nn.activations.names(elementwise=True), size=len(dims) - 2)] + ["sigmoid"]
    parameters = nn.initialize_parameters(dims, method="he", seed=seed)
    X = rng.normal(size=(dims[0], m))
    Y = rng.integers(0, 2, size=(dims[-1], m)).astype(float)
    AL, cache = nn.forward_propagation(X, parameters, acts)
    grads = nn.backward_propagation(AL, Y, cache, parameters, acts)
    derived = architecture_shapes(dims)
    assert set(parameters) == {f"{k}{l}" for l in derived for k in "Wb"}
    for l, shapes in derived.items():
        assert parameters[f"W{l}"].shape == concrete(shapes.W, m)
        assert parameters[f"b{l}"].shape == concrete(shapes.b, m)
        assert cache[f"Z{l}"].shape == concrete(shapes.Z, m)
        assert cache[f"A{l}"].shape == concrete(shapes.A, m)
        assert grads[f"dW{l}"].shape == concrete(shapes.dW, m)
        assert grads[f"db{l}"].shape == concrete(shapes.db, m)
    assert cache["A0"].shape == (dims[0], m)
    assert AL.shape == concrete(derived[len(dims) - 1].A, m)
