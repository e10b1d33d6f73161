"""The posts' two small networks, one backward pass with every intermediate checked against central differences.

The ReLU post's network: two ReLU hidden layers and a sigmoid output; the planar post's: one tanh hidden layer
and a sigmoid output. The draws keep every ReLU input at least 100 steps h away from its kink, so
the central difference never straddles it.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np
import pytest

import nn
from nn.trace import POST_NETWORKS, Quantity, backward_trace
from nn.trace import post_example as example

H = 1e-6


@pytest.mark.parametrize("name", POST_NETWORKS)
def test_every_intermediate_matches_its_central_difference(name):
    X, Y, parameters, names = example(name)
    rows = backward_trace(X, Y, parameters, names, h=H)
    L = len(names)
    assert min(abs(row.value).min() for row in rows if row.name.startswith("Z")) > 100 * H  # away from ReLU's kink
    gradients = [row for row in rows if row.numeric is not None]
    expected = [name for l in range(L, 0, -1) for name in (f"dZ{l}", f"dW{l}", f"db{l}", f"dA{l - 1}")][:-1]
    assert [row.name for row in gradients] == expected  # dA0 = dX is not part of the pass
    for row in gradients:
        assert row.value.shape == row.numeric.shape
        assert row.error < 1e-6, f"{row.name}: {row.error:.1e}"  # central differences in float64: about 1e-9


@pytest.mark.parametrize("name", POST_NETWORKS)
def test_the_traced_gradients_are_nns(name):
    X, Y, parameters, names = example(name)
    rows = {row.name: row.value for row in backward_trace(X, Y, parameters, names)}
    AL, cache = nn.forward_propagation(X, parameters, names)
    for key, value in nn.backward_propagation(AL, Y, cache, parameters, names).items():
        np.testing.assert_array_equal(rows[key], value, err_msg=key)


def test_a_wrong_gradient_shows_in_its_error():
    """The error measure is not blind: the transposed-shape mistake or a missing 1/m is far from 0."""
    value = np.array([[1.0, 2.0]])
    assert Quantity("dW", value, value / 2).error > 0.3
    assert Quantity("dW", value, value).error == 0.0
    assert Quantity("Z1", value).error is None


def test_the_trace_refuses_what_it_does_not_write_out():
    X, Y, _, names = example("tanh2")
    parameters = nn.initialize_parameters([2, 4, 1], seed=0, batch_norm=True)
    with pytest.raises(ValueError, match="plain dense layers"):
        backward_trace(X, Y, parameters, names)


#: How each page states a network's setting: sizes and m, then the seed of the draw (English, Chinese).
SETTINGS = {
    "relu3": (("{dims} with m = {m} samples", "(seed {seed})"), ("{dims}、m = {m} 个样本", "（种子 {seed}）")),
    "tanh2": (
        (r"\(n_x = {n_x}\) and \(n_h = {n_h}\), with m = {m} samples", "(seed {seed})"),
        (r"\(n_x = {n_x}\)、\(n_h = {n_h}\)，m = {m} 个样本", "（种子 {seed}）"),
    ),
}


@pytest.mark.parametrize("name", POST_NETWORKS)
def test_the_page_states_the_setting_the_trace_runs(name):
    """docs/by-hand.md and its twin type each network's sizes, m, seed and the difference step h in prose: they must
    be the ones the trace runs."""
    dims, _, m, seed = POST_NETWORKS[name]
    values = {"dims": str(dims), "m": m, "seed": seed, "n_x": dims[0], "n_h": dims[1]}
    docs = Path(__file__).resolve().parents[1] / "docs"
    step = inspect.signature(backward_trace).parameters["h"].default  # what the page's tables use
    for suffix, phrases in zip((".md", ".zh.md"), SETTINGS[name], strict=True):
        page = (docs / f"by-hand{suffix}").read_text(encoding="utf-8")
        assert f"h = {step:.0e}".replace("e-0", "e-") in page, f"docs/by-hand{suffix}: the step h = {step}"
        for phrase in phrases:
            assert phrase.format(**values) in page, f"docs/by-hand{suffix}: {phrase.format(**values)!r}"
        assert ("alternate 1, 0, 1, …" if suffix == ".md" else "依次取 1, 0, 1, …") in page, f"docs/by-hand{suffix}"
    Y = example(name)[1]
    assert Y.tolist() == [[1.0, 0.0] * (m // 2) + [1.0] * (m % 2)], "the targets Y the page says alternate"
