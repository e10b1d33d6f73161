import numpy as np

import nn

labels = np.array([0, 2, 1, 1, 0, 2])
X = np.random.default_rng(0).normal(size=(4, 6))  # (n[0], m): 4 features, 6 samples
Y = np.eye(3)[labels].T  # one-hot columns, (K, m) = (3, 6)

parameters, costs = nn.train(
    X, Y, [4, 8, 3], ["tanh", "softmax"], loss="cross_entropy", learning_rate=0.5, num_iterations=500, seed=0
)
print(f"cost {costs[0]:.3f} -> {costs[-1]:.4f}")
print("predicted classes:", nn.predict(X, parameters, ["tanh", "softmax"]))
print("labels:           ", labels.reshape(1, -1))
