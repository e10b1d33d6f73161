"""Backprop written the way a learner of the course writes it, with a mistake planted on request.

Independent of ``nn``: plain numpy in the course's signatures (two-layer and L-layer), so that
the diagnosis, which applies each known mistake to nn's own code, is compared with mistakes
made in other code. ``mistake`` is a short name; "" is the correct code.
"""

from __future__ import annotations

import numpy as np


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def two_layer_forward(X, parameters):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def two_layer_backward(mistake=""):
    """The course's two-layer backward pass, with ``mistake`` planted; several joined by "+"
    (``"tanh-1-A+dW-no-1/m"``) are planted together."""
    planted = set(mistake.split("+"))

    def backward_propagation(parameters, cache, X, Y):
        m = X.shape[1]
        A1, A2, W2 = cache["A1"], cache["A2"], parameters["W2"]
        dZ2 = _planted(planted, {"output-no-target": A2, "output-sign": Y - A2}, A2 - Y)
        dW2 = _dW(dZ2, A1, m, planted)
        db2 = _db(dZ2, m, planted)
        slope = _planted(planted, {"tanh-1-A": 1 - A1, "tanh-sigmoid-prime": A1 * (1 - A1)}, 1 - A1**2)
        dZ1 = (W2.T @ dZ2) * slope
        dW1 = _dW(dZ1, X, m, planted)
        db1 = _db(dZ1, m, planted)
        return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}

    return backward_propagation


def _planted(planted, choices, correct):
    """The choice for the one mistake of ``choices`` that is planted, or the correct value."""
    chosen = [choices[name] for name in choices if name in planted]
    assert len(chosen) <= 1, "two mistakes planted in one place"
    return chosen[0] if chosen else correct


def _dW(dZ, A_prev, m, planted):
    if "dW-transposed" in planted:
        return (A_prev @ dZ.T) / m
    return (dZ @ A_prev.T) / _planted(planted, {"dW-no-1/m": 1, "dW-1/m-twice": m * m}, m)


def _db(dZ, m, planted):
    if "db-axis-0" in planted:
        return np.sum(dZ, axis=0, keepdims=True) / m
    if "db-no-keepdims" in planted:
        return np.sum(dZ, axis=1) / m
    return np.sum(dZ, axis=1, keepdims=True) / _planted(planted, {"db-no-1/m": 1, "db-1/m-twice": m * m}, m)


def L_model_forward(hidden="relu", output="sigmoid"):
    """The course's L-layer forward pass; caches hold ((A_prev, W, b), Z) per layer."""

    def forward(X, parameters):
        L = len(parameters) // 2
        A, caches = X, []
        for l in range(1, L + 1):
            W, b = parameters[f"W{l}"], parameters[f"b{l}"]
            Z = W @ A + b
            caches.append(((A, W, b), Z))
            name = output if l == L else hidden
            A = {
                "relu": lambda Z: np.maximum(Z, 0),
                "leaky_relu": lambda Z: np.where(Z > 0, Z, 0.01 * Z),
                "sigmoid": sigmoid,
                "identity": lambda Z: Z,
            }[name](Z)
        return A, caches

    return forward


def L_model_backward(mistake="", hidden="relu", output="sigmoid"):
    """The course's L-layer backward pass (bce with a sigmoid output, or mse with an identity output)."""
    planted = set(mistake.split("+"))

    def relu_backward(dA, Z):
        dZ = np.array(dA, copy=True)
        if mistake == "relu-inverted":
            dZ[Z > 0] = 0
        elif mistake == "relu-at-kink":
            dZ[Z < 0] = 0
        else:
            dZ[Z <= 0] = 0
        return dZ

    def leaky_relu_backward(dA, Z):
        slope = {"leaky-slope-zero": 0.0, "leaky-slope-one": 1.0}.get(mistake, 0.01)
        return dA * np.where(Z > 0, 1.0, slope)

    def backward(AL, Y, caches):
        L, m = len(caches), AL.shape[1]
        if output == "sigmoid":
            dZ = {"output-no-target": AL, "output-sign": Y - AL}.get(mistake, AL - Y)
        else:  # identity output, square error
            dZ = {"output-no-target": 2 * AL, "output-sign": 2 * (Y - AL)}.get(mistake, 2 * (AL - Y))
        grads = {}
        for l in range(L, 0, -1):
            (A_prev, W, _), _ = caches[l - 1]
            if mistake == "dW-uses-A[l]":  # the layer's own output instead of its input
                A_prev = AL if l == L else caches[l][0][0]
            grads[f"dW{l}"] = _dW(dZ, A_prev, m, planted)
            grads[f"db{l}"] = _db(dZ, m, planted)
            grads[f"dA{l - 1}"] = (W @ dZ) if mistake == "dA-not-transposed" else (W.T @ dZ)
            if l > 1:
                Z = caches[l - 2][1]
                step = relu_backward if hidden == "relu" else leaky_relu_backward
                dZ = step(grads[f"dA{l - 1}"], Z)
        return grads

    return backward


# The course's fifth part: a tanh RNN and an LSTM, forward and backward through time.


def softmax(Z):
    E = np.exp(Z - np.max(Z, axis=0, keepdims=True))
    return E / np.sum(E, axis=0, keepdims=True)


def rnn_forward(x, a0, parameters):
    """The tanh RNN over every step; caches hold (a_next, a_prev, xt, parameters) per step, then x."""
    Wax, Waa, Wya, ba, by = (parameters[k] for k in ("Wax", "Waa", "Wya", "ba", "by"))
    n_a, (_, m, T_x) = Waa.shape[0], x.shape
    a, y_pred, caches, a_next = np.zeros((n_a, m, T_x)), np.zeros((Wya.shape[0], m, T_x)), [], a0
    for t in range(T_x):
        a_prev = a_next
        a_next = np.tanh(np.dot(Wax, x[:, :, t]) + np.dot(Waa, a_prev) + ba)
        a[:, :, t], y_pred[:, :, t] = a_next, softmax(np.dot(Wya, a_next) + by)
        caches.append((a_next, a_prev, x[:, :, t], parameters))
    return a, y_pred, (caches, x)


def rnn_backward(mistake=""):
    """The course's rnn_backward with its one-step helper, with ``mistake`` planted; both joined by "+"
    ("forgot-da_prev+dtanh-from-a_prev") are planted together."""
    planted = set(mistake.split("+"))

    def cell_backward(da_next, cache):
        a_next, a_prev, xt, parameters = cache
        # tanh'(z) = 1 - tanh(z)^2, where tanh(z) is this step's output
        dz = da_next * (1 - (a_prev if "dtanh-from-a_prev" in planted else a_next) ** 2)
        return {
            "dxt": np.dot(parameters["Wax"].T, dz),
            "da_prev": np.dot(parameters["Waa"].T, dz),
            "dWax": np.dot(dz, xt.T),
            "dWaa": np.dot(dz, a_prev.T),
            "dba": np.sum(dz, axis=1, keepdims=True),
        }

    def backward(da, caches):
        steps, x = caches
        parameters = steps[0][3]
        n_a, m, T_x = da.shape
        dx = np.zeros(x.shape)
        grads = {k: np.zeros(parameters[k[1:]].shape) for k in ("dWax", "dWaa", "dba")}
        carried = np.zeros((n_a, m))
        for t in range(T_x - 1, -1, -1):
            upstream = da[:, :, t] if "forgot-da_prev" in planted else da[:, :, t] + carried
            step = cell_backward(upstream, steps[t])
            dx[:, :, t], carried = step["dxt"], step["da_prev"]
            for k in grads:
                grads[k] += step[k]
        return {"dx": dx, "da0": carried, **grads}

    return backward


def lstm_forward(x, a0, parameters):
    """The LSTM from c0 = 0; caches hold (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)."""
    p = parameters
    n_a, (_, m, T_x) = a0.shape[0], x.shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((p["Wy"].shape[0], m, T_x))
    a_next, c_next, caches = a0, np.zeros((n_a, m)), []
    for t in range(T_x):
        a_prev, c_prev, xt = a_next, c_next, x[:, :, t]
        concat = np.vstack((a_prev, xt))
        ft = sigmoid(np.dot(p["Wf"], concat) + p["bf"])
        it = sigmoid(np.dot(p["Wi"], concat) + p["bi"])
        cct = np.tanh(np.dot(p["Wc"], concat) + p["bc"])
        c_next = ft * c_prev + it * cct
        ot = sigmoid(np.dot(p["Wo"], concat) + p["bo"])
        a_next = ot * np.tanh(c_next)
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, softmax(np.dot(p["Wy"], a_next) + p["by"])
        caches.append((a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p))
    return a, y, c, (caches, x)


def lstm_backward(mistake=""):
    """The course's lstm_backward with its one-step helper, with ``mistake`` planted; both joined by "+" make
    dc_prev = dc_next."""
    planted = set(mistake.split("+"))

    def cell_backward(da_next, dc_next, cache):
        a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
        n_a = a_next.shape[0]
        through_a = da_next * ot * (1 - np.tanh(c_next) ** 2)
        dot = da_next * np.tanh(c_next) * ot * (1 - ot)
        dcct = (dc_next + through_a) * it * (1 - cct**2)
        dit = (dc_next + through_a) * cct * it * (1 - it)
        dft = (dc_next + through_a) * c_prev * ft * (1 - ft)
        dc = dc_next if "dc_prev-without-tanh-path" in planted else dc_next + through_a
        dc_prev = dc if "dc_prev-without-f" in planted else dc * ft
        concat = np.vstack((a_prev, xt))
        grads = {"dc_prev": dc_prev}
        for name, d in (("f", dft), ("i", dit), ("c", dcct), ("o", dot)):
            grads["dW" + name] = np.dot(d, concat.T)
            grads["db" + name] = np.sum(d, axis=1, keepdims=True)
        gates = {"f": dft, "i": dit, "c": dcct, "o": dot}
        grads["da_prev"] = sum(np.dot(p["W" + g][:, :n_a].T, d) for g, d in gates.items())
        grads["dxt"] = sum(np.dot(p["W" + g][:, n_a:].T, d) for g, d in gates.items())
        return grads

    def backward(da, caches):
        steps, x = caches
        n_a, m, T_x = da.shape
        grads = {k: np.zeros(steps[0][-1][k[1:]].shape) for g in "fico" for k in ("dW" + g, "db" + g)}
        dx, da_carried, dc_carried = np.zeros(x.shape), np.zeros((n_a, m)), np.zeros((n_a, m))
        for t in reversed(range(T_x)):
            step = cell_backward(da[:, :, t] + da_carried, dc_carried, steps[t])
            dx[:, :, t], da_carried, dc_carried = step["dxt"], step["da_prev"], step["dc_prev"]
            for k in grads:
                grads[k] += step[k]
        return {"dx": dx, "da0": da_carried, **grads}

    return backward
