import nn

# 100 noisy training points and 1000 new ones from the same two half-moons
X_train, Y_train = nn.datasets.moons(100, noise=0.35, random_state=1)
X_test, Y_test = nn.datasets.moons(1000, noise=0.35, random_state=2)
layer_dims, activations = [2, 50, 50, 1], ["relu", "relu", "sigmoid"]
for options in ({}, {"lambd": 0.7}, {"keep_prob": 0.8}):  # none, L2 with λ = 0.7, dropout keeping 80%
    parameters, costs = nn.train(
        X_train, Y_train, layer_dims, activations, init="he", learning_rate=0.3, num_iterations=1500, seed=0, **options
    )
    train = nn.datasets.accuracy(nn.predict(X_train, parameters, activations), Y_train)
    test = nn.datasets.accuracy(nn.predict(X_test, parameters, activations), Y_test)
    print(f"{options or 'no regularization'}: training accuracy {train:.1%}, test accuracy {test:.1%}")
