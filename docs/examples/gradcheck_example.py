"""Check the gradients of a small network before training it."""

import numpy as np

import nn

rng = np.random.default_rng(0)
layer_dims, activations = [4, 5, 3, 1], ["relu", "tanh", "sigmoid"]
parameters = nn.initialize_parameters(layer_dims, method="he", seed=0)
X = rng.normal(size=(4, 16))  # m = 16 samples, as columns
Y = rng.integers(0, 2, size=(1, 16))

report = nn.gradcheck.check(parameters, X, Y, activations, loss="bce")
print(report)
assert report.passed, report.worst
