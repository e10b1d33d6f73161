"""An LSTM in the course's style, with one planted mistake in its backward pass.

x is (n_x, m, T_x), the hidden state (n_a, m), c⟨0⟩ = 0. The planted mistake: dc_prev keeps only
the cell path, dc_next ⊙ f, and drops the gradient that reached the cell through a = o ⊙ tanh(c).
"""

import numpy as np

rng = np.random.default_rng(3)
n_x, n_a, n_y, m, T_x = 2, 3, 2, 4, 5
x = rng.normal(size=(n_x, m, T_x))
a0 = rng.normal(size=(n_a, m))
parameters = {
    f"{w}{gate}": rng.normal(size=(n_a, n_a + n_x) if w == "W" else (n_a, 1)) for gate in "fico" for w in "Wb"
}
parameters |= {"Wy": rng.normal(size=(n_y, n_a)), "by": np.zeros((n_y, 1))}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_forward(x, a0, parameters):
    p, (_, m, T_x) = parameters, x.shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    a_next, c_next, caches = a0, np.zeros_like(a0), []
    for t in range(T_x):
        a_prev, c_prev, xt = a_next, c_next, x[:, :, t]
        stack = np.concatenate([a_prev, xt])
        ft, it, ot = (sigmoid(p["W" + g] @ stack + p["b" + g]) for g in "fio")
        cct = np.tanh(p["Wc"] @ stack + p["bc"])
        c_next = ft * c_prev + it * cct
        a_next = ot * np.tanh(c_next)
        z = p["Wy"] @ a_next + p["by"]
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, np.exp(z) / np.exp(z).sum(axis=0)
        caches.append((a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p))
    return a, y, c, (caches, x)


def lstm_cell_backward(da_next, dc_next, cache):
    _, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    dc = dc_next + da_next * ot * (1 - np.tanh(c_next) ** 2)
    dz = {
        "o": da_next * np.tanh(c_next) * ot * (1 - ot),
        "c": dc * it * (1 - cct**2),
        "i": dc * cct * it * (1 - it),
        "f": dc * c_prev * ft * (1 - ft),
    }
    stack = np.concatenate([a_prev, xt])
    grads = {"dc_prev": dc_next * ft}  # planted: should be dc * ft
    dstack = sum(p["W" + g].T @ dz[g] for g in "fico")
    grads["da_prev"], grads["dxt"] = dstack[:n_a], dstack[n_a:]
    for g in "fico":
        grads["dW" + g], grads["db" + g] = dz[g] @ stack.T, dz[g].sum(axis=1, keepdims=True)
    return grads


def lstm_backward(da, caches):
    steps, x = caches
    grads = {k: 0 for g in "fico" for k in ("dW" + g, "db" + g)}
    dx, da_prev, dc_prev = np.zeros(x.shape), np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(x.shape[2])):
        step = lstm_cell_backward(da[:, :, t] + da_prev, dc_prev, steps[t])
        dx[:, :, t], da_prev, dc_prev = step["dxt"], step["da_prev"], step["dc_prev"]
        grads = {k: grads[k] + step[k] for k in grads}
    return {"dx": dx, "da0": da_prev, **grads}
