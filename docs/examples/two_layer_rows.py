"""The two-layer network of two_layer_planted.py, with its data laid out the other way: samples as rows.

nn's notation puts the samples in the columns, X = A[0] of shape (n[0], m). This file builds X as
(m, n[0]), as many tabular tutorials do, so the check refuses it before it calls the learner's functions,
and names the rule in the docs' notation.
"""

import numpy as np

rng = np.random.default_rng(7)
X = rng.normal(size=(10, 2))  # m = 10 samples as rows, n[0] = 2 features: the transpose of X = A[0]
Y = (X[:, 0:1] * X[:, 1:2] > 0).astype(float).T  # (1, m) labels
parameters = {
    "W1": rng.normal(size=(4, 2)) * 0.5,
    "b1": np.zeros((4, 1)),
    "W2": rng.normal(size=(1, 4)) * 0.5,
    "b2": np.zeros((1, 1)),
}


def forward_propagation(X, parameters):
    A1 = np.tanh(parameters["W1"] @ X + parameters["b1"])
    A2 = 1 / (1 + np.exp(-(parameters["W2"] @ A1 + parameters["b2"])))
    return A2, {"A1": A1, "A2": A2}


def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dZ1 = parameters["W2"].T @ dZ2 * (1 - A1**2)
    return {
        "dW1": dZ1 @ X.T / m,
        "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
        "dW2": dZ2 @ A1.T / m,
        "db2": np.sum(dZ2, axis=1, keepdims=True) / m,
    }
