import nn

data = nn.datasets.load("moons")
layer_dims, activations = [2, 5, 2, 1], ["relu", "relu", "sigmoid"]
for optimizer in ("gd", "momentum", "adam"):  # mini-batches of 64 columns; num_iterations counts epochs
    parameters, costs = nn.train(
        data.X_train, data.Y_train, layer_dims, activations, init="he", optimizer=optimizer,
        mini_batch_size=64, learning_rate=0.0007, num_iterations=1000, seed=0,
    )  # fmt: skip
    accuracy = nn.datasets.accuracy(nn.predict(data.X_train, parameters, activations), data.Y_train)
    print(f"{optimizer}: cost {costs[-1]:.3f} after {len(costs)} epochs, training accuracy {accuracy:.1%}")
