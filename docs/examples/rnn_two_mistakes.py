"""An RNN in the course's style, with two mistakes made together in its backward pass.

x is (n_x, m, T_x), the hidden state (n_a, m). The first mistake: each step's backward pass gets
da[:, :, t] alone, without the gradient da_prev that flows back from step t + 1. The second: tanh′ is
taken from a⟨t−1⟩, 1 − a_prev², where the step's output a⟨t⟩ = tanh(z⟨t⟩) gives 1 − a_next².
"""

import numpy as np

rng = np.random.default_rng(5)
n_x, n_a, n_y, m, T_x = 3, 4, 2, 3, 5
x = rng.normal(size=(n_x, m, T_x))
a0 = rng.normal(size=(n_a, m))
parameters = {
    "Wax": rng.normal(size=(n_a, n_x)),
    "Waa": rng.normal(size=(n_a, n_a)) * 0.5,
    "Wya": rng.normal(size=(n_y, n_a)),
    "ba": rng.normal(size=(n_a, 1)),
    "by": np.zeros((n_y, 1)),
}


def rnn_cell_forward(xt, a_prev, parameters):
    p = parameters
    a_next = np.tanh(p["Wax"] @ xt + p["Waa"] @ a_prev + p["ba"])
    z = p["Wya"] @ a_next + p["by"]
    yt = np.exp(z) / np.exp(z).sum(axis=0)
    return a_next, yt, (a_next, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters):
    a, y_pred = np.zeros((n_a, x.shape[1], x.shape[2])), np.zeros((n_y, x.shape[1], x.shape[2]))
    a_next, caches = a0, []
    for t in range(x.shape[2]):
        a_next, y_pred[:, :, t], cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        caches.append(cache)
    return a, y_pred, (caches, x)


def rnn_cell_backward(da_next, cache):
    _, a_prev, xt, parameters = cache
    dtanh = da_next * (1 - a_prev**2)  # mistake 2: tanh'(z⟨t⟩) is 1 - a_next**2, a_next = cache[0]
    return {
        "dxt": parameters["Wax"].T @ dtanh,
        "da_prev": parameters["Waa"].T @ dtanh,
        "dWax": dtanh @ xt.T,
        "dWaa": dtanh @ a_prev.T,
        "dba": dtanh.sum(axis=1, keepdims=True),
    }


def rnn_backward(da, caches):
    caches, x = caches
    dx = np.zeros(x.shape)
    grads = {"dWax": 0, "dWaa": 0, "dba": 0}
    for t in reversed(range(x.shape[2])):
        step = rnn_cell_backward(da[:, :, t], caches[t])  # mistake 1: da[:, :, t] + da_prev
        dx[:, :, t], da_prev = step["dxt"], step["da_prev"]
        grads = {k: grads[k] + step[k] for k in grads}
    return {"dx": dx, "da0": da_prev, **grads}
