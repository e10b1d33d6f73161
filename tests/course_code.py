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
    """The course's two-layer backward pass, with ``mistake`` planted."""

    def backward_propagation(parameters, cache, X, Y):
        m = X.shape[1]
        A1, A2, W2 = cache["A1"], cache["A2"], parameters["W2"]
        dZ2 = {"output-no-target": A2, "output-sign": Y - A2}.get(mistake, A2 - Y)
        dW2 = _dW(dZ2, A1, m, mistake)
        db2 = _db(dZ2, m, mistake)
        slope = {"tanh-1-A": 1 - A1, "tanh-sigmoid-prime": A1 * (1 - A1)}.get(mistake, 1 - A1**2)
        dZ1 = (W2.T @ dZ2) * slope
        dW1 = _dW(dZ1, X, m, mistake)
        db1 = _db(dZ1, m, mistake)
        return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}

    return backward_propagation


def _dW(dZ, A_prev, m, mistake):
    if mistake == "dW-transposed":
        return (A_prev @ dZ.T) / m
    scale = {"dW-no-1/m": 1, "dW-1/m-twice": m * m}.get(mistake, m)
    return (dZ @ A_prev.T) / scale


def _db(dZ, m, mistake):
    if mistake == "db-axis-0":
        return np.sum(dZ, axis=0, keepdims=True) / m
    if mistake == "db-no-keepdims":
        return np.sum(dZ, axis=1) / m
    scale = {"db-no-1/m": 1, "db-1/m-twice": m * m}.get(mistake, m)
    return np.sum(dZ, axis=1, keepdims=True) / scale


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
            grads[f"dW{l}"] = _dW(dZ, A_prev, m, mistake)
            grads[f"db{l}"] = _db(dZ, m, mistake)
            grads[f"dA{l - 1}"] = (W @ dZ) if mistake == "dA-not-transposed" else (W.T @ dZ)
            if l > 1:
                Z = caches[l - 2][1]
                step = relu_backward if hidden == "relu" else leaky_relu_backward
                dZ = step(grads[f"dA{l - 1}"], Z)
        return grads

    return backward
