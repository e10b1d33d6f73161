"""Batch normalization: numpy against the batchnorm.backward derivation, the gradient checker, predict, errors."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
import pytest
from support import NUMBER_WORDS, joined, relative_error, stated

import derivations
import nn
from derivations import batchnorm as bn
from nn import batchnorm


def _network(rng, dims, m):
    """A batch-norm network with γ, β and the running averages moved off their initial values."""
    parameters = nn.initialize_parameters(dims, "xavier", seed=int(rng.integers(1000)), batch_norm=True)
    for l in range(1, len(dims) - 1):
        parameters[f"gamma{l}"] = 1 + 0.3 * rng.normal(size=(dims[l], 1))
        parameters[f"beta{l}"] = 0.3 * rng.normal(size=(dims[l], 1))
        parameters[f"running_mean{l}"] = 0.2 * rng.normal(size=(dims[l], 1))
        parameters[f"running_var{l}"] = rng.uniform(0.5, 2, size=(dims[l], 1))
    X = rng.normal(size=(dims[0], m))
    Y = (rng.random((dims[-1], m)) < 0.5).astype(float)
    return parameters, X, Y


def _concrete(expr, m, z_hat, dz_tilde, gamma, var, q=None):
    """The derivation's expression at a concrete batch size m, with one unit's numbers put in."""
    expr = expr.subs(bn.m, m).doit()
    if q is not None:
        expr = expr.subs(bn.q, q)
    values = {bn.gamma: gamma, bn.var: var, bn.eps: batchnorm.EPSILON}
    values |= {bn.z_hat[j]: z_hat[j] for j in range(m)} | {bn.dz_tilde[j]: dz_tilde[j] for j in range(m)}
    values |= {bn.dz_hat[j]: gamma * dz_tilde[j] for j in range(m)}
    return float(expr.subs(values))


@pytest.mark.parametrize("m", [2, 5])
def test_backward_equals_the_derived_closed_form_at_concrete_m(m):
    """One unit over m samples: nn's dZ, dγ, dβ against the derivation's result and its dγ, dβ steps."""
    rng = np.random.default_rng(m)
    Z, dZ_tilde = rng.normal(size=(1, m)) * 2 + 1, rng.normal(size=(1, m))
    parameters = {"gamma1": np.array([[1.7]]), "beta1": np.array([[-0.4]])}
    cache = {}
    batchnorm.forward(Z, parameters, 1, cache)
    dgamma, dbeta, dZ = batchnorm.backward(dZ_tilde, cache, parameters, 1)
    args = (m, cache["Zhat1"].ravel(), dZ_tilde.ravel(), 1.7, float(cache["var1"][0, 0]))
    backward = derivations.get("batchnorm.backward")
    expected = [_concrete(backward.result.rhs, *args, q=q) for q in range(m)]
    np.testing.assert_allclose(dZ.ravel(), expected, rtol=1e-10, atol=1e-12)
    assert dgamma[0, 0] == pytest.approx(_concrete(backward.steps[0].rhs, *args), rel=1e-12)
    assert dbeta[0, 0] == pytest.approx(_concrete(backward.steps[1].rhs, *args), rel=1e-12)


def test_forward_normalizes_each_unit_over_the_batch_with_epsilon():
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(3, 8)) * [[1.0], [5.0], [0.01]] + [[2.0], [-1.0], [0.0]]
    parameters = {"gamma1": np.ones((3, 1)), "beta1": np.zeros((3, 1))}
    Z_tilde = batchnorm.forward(Z, parameters, 1, {})
    expected = (Z - Z.mean(axis=1, keepdims=True)) / np.sqrt(Z.var(axis=1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(Z_tilde, expected, rtol=1e-13)
    assert batchnorm.EPSILON == 1e-5


@pytest.mark.parametrize(
    ("acts", "mode"),
    [
        (["tanh", "tanh", "sigmoid"], "full"),
        (["tanh", "tanh", "sigmoid"], "complex"),
        (["relu", "leaky_relu", "sigmoid"], "full"),
        (["tanh", "relu", "sigmoid"], "directional"),
    ],
)
def test_gradient_checker_passes_batch_norm_networks(acts, mode):
    parameters, X, Y = _network(np.random.default_rng(1), [3, 4, 3, 1], 6)
    running = {key: value.copy() for key, value in parameters.items() if key.startswith("running")}
    report = nn.gradcheck.check(parameters, X, Y, acts, mode=mode)
    assert report.passed, str(report)
    assert {"gamma1", "beta1", "gamma2", "beta2", "W3", "b3"} <= set(report.errors) or mode == "directional"
    assert not any(key.startswith("running") for key in report.errors)
    assert all(np.array_equal(parameters[key], value) for key, value in running.items())


def test_gradient_checker_catches_batch_norm_backward_without_the_mean_terms(monkeypatch):
    """The classic mistake dZ = γ dZ̃ / √(σ² + ε) must fail the check."""
    parameters, X, Y = _network(np.random.default_rng(2), [3, 4, 1], 6)

    def naive(dZ_tilde, cache, parameters, l):
        m = dZ_tilde.shape[1]
        dgamma = (dZ_tilde * cache[f"Zhat{l}"]).sum(axis=1, keepdims=True) / m
        dZ = parameters[f"gamma{l}"] * dZ_tilde / np.sqrt(cache[f"var{l}"] + batchnorm.EPSILON)
        return dgamma, dZ_tilde.sum(axis=1, keepdims=True) / m, dZ

    monkeypatch.setattr(batchnorm, "backward", naive)
    report = nn.gradcheck.check(parameters, X, Y, ["tanh", "sigmoid"])
    assert not report.passed
    assert report.errors["W1"] > 1e-3


def test_predict_uses_the_running_averages_so_one_sample_is_predicted_alone():
    parameters, X, _ = _network(np.random.default_rng(3), [2, 5, 4, 1], 7)
    acts = ["relu", "tanh", "sigmoid"]
    batch = nn.predict(X, parameters, acts)
    alone = np.hstack([nn.predict(X[:, [k]], parameters, acts) for k in range(X.shape[1])])
    np.testing.assert_array_equal(alone, batch)
    AL, _ = nn.forward_propagation(X, parameters, acts, training=False)
    Z1 = parameters["W1"] @ X
    Z_hat = (Z1 - parameters["running_mean1"]) / np.sqrt(parameters["running_var1"] + 1e-5)
    _, cache = nn.forward_propagation(X, parameters, acts, training=False)
    np.testing.assert_allclose(cache["Zhat1"], Z_hat, rtol=1e-13)
    assert not np.allclose(AL, nn.forward_propagation(X, parameters, acts)[0])  # training mode differs


def test_training_mode_on_one_sample_is_refused():
    parameters, X, _ = _network(np.random.default_rng(4), [2, 3, 1], 1)
    with pytest.raises(ValueError, match=r"m >= 2 samples.*σ² = 0 for every unit"):
        nn.forward_propagation(X, parameters, ["tanh", "sigmoid"])
    with pytest.raises(ValueError, match="m >= 2"):
        nn.train(X, np.ones((1, 1)), [2, 3, 1], ["tanh", "sigmoid"], batch_norm=True, num_iterations=1)


def test_initialize_gives_hidden_layers_gamma_beta_and_running_averages_and_keeps_bL():
    parameters = nn.initialize_parameters([3, 4, 2, 1], seed=0, batch_norm=True)
    plain = nn.initialize_parameters([3, 4, 2, 1], seed=0)
    assert list(parameters) == [
        *("W1", "gamma1", "beta1", "running_mean1", "running_var1"),
        *("W2", "gamma2", "beta2", "running_mean2", "running_var2"),
        *("W3", "b3"),
    ]
    for l in (1, 2):
        np.testing.assert_array_equal(parameters[f"gamma{l}"], np.ones((parameters[f"W{l}"].shape[0], 1)))
        np.testing.assert_array_equal(parameters[f"beta{l}"], np.zeros_like(parameters[f"gamma{l}"]))
        np.testing.assert_array_equal(parameters[f"running_mean{l}"], np.zeros_like(parameters[f"gamma{l}"]))
        np.testing.assert_array_equal(parameters[f"running_var{l}"], np.ones_like(parameters[f"gamma{l}"]))
    for l in (1, 2, 3):
        np.testing.assert_array_equal(parameters[f"W{l}"], plain[f"W{l}"])


def test_backward_returns_dgamma_dbeta_dW_and_no_gradient_for_the_running_averages():
    parameters, X, Y = _network(np.random.default_rng(5), [3, 4, 1], 5)
    AL, cache = nn.forward_propagation(X, parameters, ["tanh", "sigmoid"])
    grads = nn.backward_propagation(AL, Y, cache, parameters, ["tanh", "sigmoid"])
    assert list(grads) == ["dW1", "dgamma1", "dbeta1", "dW2", "db2"]
    updated = nn.update_parameters(parameters, grads, 0.1)
    for key in ("running_mean1", "running_var1"):  # no gradient: passed on unchanged, as a copy of the input
        np.testing.assert_array_equal(updated[key], parameters[key])
        assert not np.shares_memory(updated[key], parameters[key])
    np.testing.assert_allclose(updated["gamma1"], parameters["gamma1"] - 0.1 * grads["dgamma1"])


def test_train_moves_the_running_averages_towards_the_batch_statistics():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(2, 40)) * 3 + 1
    Y = (X[0:1] > 1).astype(float)
    parameters, costs = nn.train(X, Y, [2, 4, 1], ["tanh", "sigmoid"], batch_norm=True, num_iterations=60, seed=0)
    assert costs[-1] < costs[0]
    Z1 = parameters["W1"] @ X
    # after 60 steps of k = 0.1, the initial values weigh 0.9^60 ≈ 0.2%; W1 moved little in the last steps
    np.testing.assert_allclose(parameters["running_mean1"], Z1.mean(axis=1, keepdims=True), rtol=0.05, atol=0.05)
    np.testing.assert_allclose(parameters["running_var1"], Z1.var(axis=1, keepdims=True), rtol=0.05, atol=0.05)
    assert "b1" not in parameters


def test_train_with_mini_batches_moves_the_running_averages_once_per_batch_and_is_the_loop_of_public_steps():
    """Batch norm with Adam on mini-batches: each step normalizes over its own batch, and the
    running averages move once per batch; the same loop written with the public functions agrees."""
    rng = np.random.default_rng(12)
    X = rng.normal(size=(2, 20))
    Y = (X[0:1] > 0).astype(float)
    options = {"init": "he", "learning_rate": 0.01, "seed": 4, "batch_norm": True, "optimizer": "adam"}
    parameters, costs = nn.train(X, Y, [2, 3, 1], ["relu", "sigmoid"], num_iterations=2, mini_batch_size=8, **options)
    expected = nn.initialize_parameters([2, 3, 1], "he", seed=4, batch_norm=True)
    v, s = nn.optimizers.initialize_adam(expected)
    t = 0
    for epoch in range(2):
        for X_batch, Y_batch in nn.optimizers.random_mini_batches(X, Y, 8, seed=4 + epoch):  # 8, 8, then 4
            AL, cache = nn.forward_propagation(X_batch, expected, ["relu", "sigmoid"])
            grads = nn.backward_propagation(AL, Y_batch, cache, expected, ["relu", "sigmoid"])
            t += 1
            expected, v, s = nn.optimizers.update_parameters_with_adam(expected, grads, v, s, t, learning_rate=0.01)
            expected = batchnorm.update_running_averages(expected, cache)
    assert t == 6
    assert len(costs) == 2
    for key, value in expected.items():
        np.testing.assert_allclose(parameters[key], value, rtol=1e-12, atol=1e-15, err_msg=key)


def test_train_refuses_a_last_mini_batch_of_one_sample_with_batch_norm():
    X, Y = np.zeros((2, 17)), np.zeros((1, 17))
    with pytest.raises(ValueError, match="batch norm in training mode needs a batch of m >= 2"):
        nn.train(X, Y, [2, 3, 1], ["relu", "sigmoid"], batch_norm=True, mini_batch_size=8)


def test_one_update_of_the_running_averages():
    parameters = {"running_mean1": np.array([[1.0]]), "running_var1": np.array([[2.0]]), "W1": np.ones((1, 1))}
    cache = {"mu1": np.array([[3.0]]), "var1": np.array([[4.0]])}
    updated = batchnorm.update_running_averages(parameters, cache)
    assert updated["running_mean1"][0, 0] == pytest.approx(0.9 * 1 + 0.1 * 3)
    assert updated["running_var1"][0, 0] == pytest.approx(0.9 * 2 + 0.1 * 4)
    assert updated["W1"] is parameters["W1"]


def _bn(**changes):
    parameters = nn.initialize_parameters([2, 3, 1], seed=0, batch_norm=True)
    parameters.update({key: value for key, value in changes.items() if value is not None})
    for key in [key for key, value in changes.items() if value is None]:
        del parameters[key]
    return parameters


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (_bn(beta1=None), r"gamma1 without beta1: a batch-norm layer computes Z̃ = γ ⊙ Ẑ \+ β"),
        (_bn(gamma1=None), "beta1 without gamma1"),
        (_bn(running_var1=None), "layer 1 has .* but not running_var1"),
        (_bn(b1=np.zeros((3, 1))), "b1 together with beta1: in a batch-norm layer β takes the place of b"),
        (_bn(running_mean1=np.zeros((2, 1))), r"running_mean1 has shape \(2, 1\) but W1 has 3 rows"),
        (_bn(gamma1=np.ones(3)), r"gamma1 must be a 2-D floating-point numpy array, gamma\[l\] must be \(n\[l\], 1\)"),
        (_bn(running_var1=-np.ones((3, 1))), "running_var1 has a negative entry"),
        (_bn(gamma2=np.ones((1, 1))), "the output layer L = 2 has no batch norm and keeps b"),
    ],
)
def test_broken_batch_norm_parameters_are_named(parameters, message):
    with pytest.raises(ValueError, match=message):
        nn.forward_propagation(np.ones((2, 4)), parameters, ["tanh", "sigmoid"])


def test_backward_needs_the_batch_statistics_of_a_training_forward_pass():
    parameters, X, Y = _network(np.random.default_rng(7), [2, 3, 1], 4)
    AL, cache = nn.forward_propagation(X, parameters, ["tanh", "sigmoid"])
    del cache["Zhat1"]
    with pytest.raises(ValueError, match=r"cache\['Zhat1'\] is missing.*training-mode forward_propagation"):
        nn.backward_propagation(AL, Y, cache, parameters, ["tanh", "sigmoid"])


def test_backward_refuses_the_cache_of_an_inference_mode_forward_pass():
    """With the running averages μ and σ² are constants, so training's backward would be wrong for it."""
    parameters, X, Y = _network(np.random.default_rng(10), [2, 3, 1], 4)
    AL, cache = nn.forward_propagation(X, parameters, ["tanh", "sigmoid"], training=False)
    with pytest.raises(ValueError, match=r"cache\['var1'\] is missing"):
        nn.backward_propagation(AL, Y, cache, parameters, ["tanh", "sigmoid"])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p: batchnorm.forward(np.ones((3, 4)), p, 2, {}), r"has no 'gamma2'.*batch-norm layers 1$"),
        (lambda p: batchnorm.forward(np.ones((4, 4)), p, 1, {}), r"\['gamma1'\] is a float64 array of shape \(3, 1\)"),
        (lambda p: batchnorm.forward(np.ones((3, 4)), p, 1, None), "cache must be a dict"),
        (lambda p: batchnorm.update_running_averages(p, {}), r"cache has no 'mu1'.*stores in its cache as mu1"),
        (lambda p: batchnorm.update_running_averages(p, {"mu1": np.ones((3, 1)), "var1": 1.0}), r"cache\['var1'\]"),
    ],
)
def test_a_layer_the_parameters_lack_or_a_cache_without_statistics_is_named(call, message):
    """batchnorm's own functions, called directly, name the layer or the statistic missing, not a KeyError."""
    with pytest.raises(ValueError, match=message):
        call(nn.initialize_parameters([2, 3, 1], "he", seed=0, batch_norm=True))


def test_training_must_be_a_bool():
    parameters, X, _ = _network(np.random.default_rng(8), [2, 3, 1], 4)
    with pytest.raises(ValueError, match="training must be True"):
        nn.forward_propagation(X, parameters, ["tanh", "sigmoid"], training="no")


@pytest.mark.slow
def test_agrees_with_pytorch_batch_norm():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(9)
    Z, dZ_tilde = rng.normal(size=(4, 6)), rng.normal(size=(4, 6))
    gamma, beta = rng.normal(size=(4, 1)), rng.normal(size=(4, 1))
    parameters, cache = {"gamma1": gamma, "beta1": beta}, {}
    Z_tilde = batchnorm.forward(Z, parameters, 1, cache)
    _, _, dZ = batchnorm.backward(dZ_tilde, cache, parameters, 1)
    z = torch.tensor(Z.T, requires_grad=True)  # torch: samples are rows
    out = torch.nn.functional.batch_norm(
        z, None, None, torch.tensor(gamma.ravel()), torch.tensor(beta.ravel()), training=True, eps=1e-5
    )
    out.backward(torch.tensor(dZ_tilde.T) / 6)  # our dZ̃ is m ∂J/∂Z̃
    assert relative_error(out.detach().numpy().T, Z_tilde) < 1e-12
    assert relative_error(6 * z.grad.numpy().T, dZ) < 1e-12


@pytest.mark.slow
def test_running_variance_is_pytorchs_with_the_biased_batch_variance():
    """batch-norm.md: the same fraction 0.1 as PyTorch's default momentum, but σ² divided by m where PyTorch feeds
    its running variance the batch variance divided by m − 1, so each batch adds (m − 1)/m of PyTorch's share."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(11)
    m = 5
    Z = rng.normal(size=(3, m)) * 2 + 1
    start_mean, start_var = rng.normal(size=(3, 1)), rng.uniform(0.5, 2, size=(3, 1))
    cache = {}
    batchnorm.forward(Z, {"gamma1": np.ones((3, 1)), "beta1": np.zeros((3, 1))}, 1, cache)
    ours = batchnorm.update_running_averages({"running_mean1": start_mean, "running_var1": start_var}, cache)
    running_mean, running_var = torch.tensor(start_mean.ravel()), torch.tensor(start_var.ravel())
    torch.nn.functional.batch_norm(torch.tensor(Z.T), running_mean, running_var, training=True)  # momentum 0.1
    np.testing.assert_allclose(ours["running_mean1"].ravel(), running_mean.numpy(), rtol=1e-12)
    kept = (1 - batchnorm.MOMENTUM) * start_var.ravel()  # what both keep of the old running variance
    ours_share, theirs_share = ours["running_var1"].ravel() - kept, running_var.numpy() - kept
    np.testing.assert_allclose(ours_share, theirs_share * (m - 1) / m, rtol=1e-12)


@pytest.mark.slow
def test_closed_form_is_not_the_naive_rule():
    """The derivation's closed form differs from dẑ/√(σ² + ε): the mean and variance terms matter."""
    naive = bn.dz_hat[bn.q] / bn.ROOT
    result = derivations.get("batchnorm.backward").result
    assert not result.proof(result.meaning.doit(), naive)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("n", "m"), [(3, 3), (2, 5)])
def test_the_numpy_line_of_the_closed_form_computes_a_whole_layers_dZ(lang, n, m):
    """The batch-norm page prints the result's numpy line; run on a layer of n units it gives nn's dZ. With sums
    that drop their axis (``.sum(1)``) it raises for n ≠ m and, for n = m, silently subtracts unit j's sums from
    column j."""
    note = derivations.get("batchnorm.backward").result.note
    text = note.zh if lang == "zh" else str(note)
    (line,) = re.findall(r"numpy[^:：]*[:：](.*)[)）][.。]$", text)
    rng = np.random.default_rng(n * m)
    Z, dZ_tilde = rng.normal(size=(n, m)) * 2 + 1, rng.normal(size=(n, m))
    parameters = {"gamma1": 1 + 0.3 * rng.normal(size=(n, 1)), "beta1": rng.normal(size=(n, 1))}
    cache = {}
    batchnorm.forward(Z, parameters, 1, cache)
    *_, dZ = batchnorm.backward(dZ_tilde, cache, parameters, 1)
    names = {"np": np, "m": m, "eps": batchnorm.EPSILON, "var": cache["var1"], "Z_hat": cache["Zhat1"]}
    names["dZ_hat"] = parameters["gamma1"] * dZ_tilde
    np.testing.assert_allclose(eval(line, names), dZ, rtol=1e-12, atol=1e-14)


#: How the batch-norm page counts the worked example's hidden layers, in each language.
HIDDEN_COUNT = {
    "batch-norm.md": ("en", r"a network of (\w+) hidden layers"),
    "batch-norm.zh.md": ("zh", r"有(\w)个隐藏层的网络"),
}


@pytest.mark.parametrize("page", HIDDEN_COUNT)
def test_the_page_counts_the_worked_examples_hidden_layers(page):
    """The worked example has six hidden layers and an output layer, L = 7 in the course's count: the page counts
    its hidden layers, not "a six-layer network". The sizes are read from the example's call to train (importing
    the experiment would load matplotlib)."""
    root = Path(__file__).resolve().parents[1]
    source = (root / "nn" / "experiments" / "batch_norm.py").read_text(encoding="utf-8")
    [function] = [node for node in ast.parse(source).body if getattr(node, "name", "") == "batch_norm_experiment"]
    [call] = [
        node for node in ast.walk(function) if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "train"
    ]
    dims = eval(ast.get_source_segment(source, call.args[2]), {})  # [2] + [16] * 6 + [1]
    lang, pattern = HIDDEN_COUNT[page]
    text = joined((root / "docs" / page).read_text(encoding="utf-8"), lang)
    assert NUMBER_WORDS[lang].index(stated(text, pattern)[0]) == len(dims) - 2
