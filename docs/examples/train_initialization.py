import nn

data = nn.datasets.load("moons")  # 300 points of two interleaved half-moons: X is (2, 300), Y is (1, 300)
layer_dims, activations = [2, 10, 5, 1], ["relu", "relu", "sigmoid"]
for init in ("zeros", "small", "he"):  # all zeros, ×0.01, and He's √(2/n[l-1])
    parameters, costs = nn.train(
        data.X_train, data.Y_train, layer_dims, activations, init=init, learning_rate=0.5, num_iterations=1000, seed=0
    )
    accuracy = nn.datasets.accuracy(nn.predict(data.X_train, parameters, activations), data.Y_train)
    print(f"init={init}: cost {costs[0]:.3f} -> {costs[-1]:.3f}, training accuracy {accuracy:.1%}")
