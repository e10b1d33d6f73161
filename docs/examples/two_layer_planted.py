"""A two-layer network in the course's style, with one planted mistake in its backward pass.

tanh hidden layer, sigmoid output, mean cross-entropy; samples are the columns of X. The planted
mistake: tanh′ written as 1 − A1 instead of 1 − A1².
"""

import numpy as np

rng = np.random.default_rng(7)
X = rng.normal(size=(2, 10))  # n[0] = 2 features, m = 10 samples
Y = (X[0:1] * X[1:2] > 0).astype(float)  # (1, m) labels
parameters = {
    "W1": rng.normal(size=(4, 2)) * 0.5,
    "b1": np.zeros((4, 1)),
    "W2": rng.normal(size=(1, 4)) * 0.5,
    "b2": np.zeros((1, 1)),
}


def forward_propagation(X, parameters):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = parameters["W2"].T @ dZ2 * (1 - A1)  # planted: tanh' is 1 - A1**2
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
