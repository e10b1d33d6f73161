"""A small ConvNet on the 8×8 digits: CONV → RELU → MAXPOOL → FC → softmax, three seeds, against the dense network.

The convolution and pooling layers are :mod:`nn.conv`'s; the fully connected softmax layer is the
dense network's, samples as columns, with dZ = A − Y for softmax with cross-entropy. Between them
the pooled maps ``(m, 4, 4, n_C)`` are flattened into columns ``(16 n_C, m)``. The course's conv
layers take ∂J/∂Z, so the per-sample gradient that reaches them is divided by m there.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import activations, conv, datasets
from ..losses import compute_cost
from ..optimizers import initialize_adam, random_mini_batches, update_parameters_with_adam
from .plots import seed_costs_figure, write_table
from .words import LANGUAGES, localized, words

WORDS = words(
    header=(
        "| network | seed | train accuracy | test accuracy |",
        "| 网络 | 随机种子 | 训练集准确率 | 测试集准确率 |",
    ),
    convnet=("ConvNet", "卷积网络"),
)

# --8<-- [start:settings]
CONV = {"stride": 1, "pad": 1}  # 3 × 3 filters keep the 8 × 8 size
POOL = {"f": 2, "stride": 2}  # 8 × 8 → 4 × 4
FILTERS, EPOCHS, BATCH, LEARNING_RATE = 16, 30, 64, 0.01
# --8<-- [end:settings]
RELU, SOFTMAX = activations.get("relu"), activations.get("softmax")


def initialize(n_C=FILTERS, f=3, seed=0):
    """He initialization: W1 ``(f, f, 1, n_C)``, b1 ``(1, 1, 1, n_C)``, W2 ``(10, 16 n_C)``, b2 ``(10, 1)``."""
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(size=(f, f, 1, n_C)) * np.sqrt(2 / (f * f)),
        "b1": np.zeros((1, 1, 1, n_C)),
        "W2": rng.normal(size=(10, 16 * n_C)) * np.sqrt(2 / (16 * n_C)),
        "b2": np.zeros((10, 1)),
    }


# --8<-- [start:convnet]
def forward(X, parameters):
    """X ``(64, m)``, one flattened 8 × 8 image per column; return A2 ``(10, m)``, Z2 and the cache."""
    A0 = X.T.reshape(-1, 8, 8, 1)  # (m, n_H, n_W, n_C): the course's conv layout
    Z1, conv_cache = conv.conv_forward(A0, parameters["W1"], parameters["b1"], CONV)
    A1 = RELU.forward(Z1)
    P1, pool_cache = conv.pool_forward(A1, POOL, mode="max")
    F = P1.reshape(P1.shape[0], -1).T  # (16 n_C, m): samples as columns for the dense layer
    Z2 = parameters["W2"] @ F + parameters["b2"]
    return SOFTMAX.forward(Z2), Z2, (conv_cache, Z1, pool_cache, P1.shape, F)


def backward(A2, Y, cache, parameters):
    """The gradients of the mean cross-entropy J, from the dense layer down to the filters."""
    conv_cache, Z1, pool_cache, pooled_shape, F = cache
    m = Y.shape[1]
    dZ2 = A2 - Y  # per sample: softmax with cross-entropy
    grads = {"dW2": dZ2 @ F.T / m, "db2": dZ2.sum(axis=1, keepdims=True) / m}
    dF = parameters["W2"].T @ dZ2
    dP1 = (dF / m).T.reshape(pooled_shape)  # ∂J/∂P1, back in the conv layout
    dA1 = conv.pool_backward(dP1, pool_cache, mode="max")
    dZ1 = dA1 * RELU.derivative(Z1)
    _, grads["dW1"], grads["db1"] = conv.conv_backward(dZ1, conv_cache)
    return grads


def train_convnet(X, Y, seed=0, epochs=EPOCHS):
    """Adam on mini-batches of BATCH samples; return the parameters and the cost after each epoch."""
    parameters = initialize(seed=seed)
    v, s = initialize_adam(parameters)
    costs, t = [], 0
    for epoch in range(epochs):
        for X_batch, Y_batch in random_mini_batches(X, Y, BATCH, seed=seed * 1000 + epoch):
            A2, _, cache = forward(X_batch, parameters)
            t += 1
            grads = backward(A2, Y_batch, cache, parameters)
            parameters, v, s = update_parameters_with_adam(parameters, grads, v, s, t, LEARNING_RATE)
        A2, Z2, _ = forward(X, parameters)
        costs.append(compute_cost(A2, Y, "cross_entropy", Z2))
    return parameters, costs
    # --8<-- [end:convnet]


def predict(X, parameters):
    """The class of each column, ``(1, m)``."""
    return np.argmax(forward(X, parameters)[0], axis=0, keepdims=True)


def write(directory: Path) -> None:
    """Three seeds of the ConvNet on the digits10 split: cost curves and accuracies."""
    data = datasets.digits10()
    runs = []
    for seed in range(3):
        parameters, costs = train_convnet(data.X_train, data.Y_train, seed=seed)
        train_accuracy = datasets.accuracy(predict(data.X_train, parameters), data.Y_train)
        test_accuracy = datasets.accuracy(predict(data.X_test, parameters), data.Y_test)
        runs.append((seed, costs, train_accuracy, test_accuracy))
    for lang in LANGUAGES:
        said = WORDS[lang]
        seed_costs_figure(
            directory / localized("convnet-cost.png", lang),
            lang,
            [(seed, costs) for seed, costs, _, _ in runs],
            per="epoch",  # train_convnet records the cost after each epoch
        )
        # no final cost: it is near 0.003, where another CPU's rounding after 690 Adam steps can change a digit
        rows = [said["header"], "|---|---|---|---|"]
        rows += [f"| {said['convnet']} | {seed} | {train:.2%} | {test:.2%} |" for seed, _, train, test in runs]
        write_table(directory / localized("convnet-table.txt", lang), rows)
