import nn

data = nn.datasets.load("moons")
layer_dims, activations = [2, 10, 10, 1], ["relu", "relu", "sigmoid"]
for batch_norm in (False, True):  # with batch_norm, the hidden layers normalize Z over the batch
    parameters, costs = nn.train(
        data.X_train, data.Y_train, layer_dims, activations, init="he", learning_rate=0.5, num_iterations=500,
        seed=0, batch_norm=batch_norm,
    )  # fmt: skip
    accuracy = nn.datasets.accuracy(nn.predict(data.X_train, parameters, activations), data.Y_train)
    print(f"batch_norm={batch_norm}: cost {costs[-1]:.3f}, training accuracy {accuracy:.1%}")
