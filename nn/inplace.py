r"""The training step of ``train`` on arrays allocated once: the readable functions' arithmetic, in place.

``forward_propagation``, ``compute_cost``, ``backward_propagation`` and the update rules return
new arrays: that is the code the site shows next to the math. A training loop built from them
allocates its cache, gradients and parameters anew at every step, and with glibc's default
``malloc`` the large ones go back to the kernel when freed and are faulted in again, page by
page, at the next step. :class:`Step` does the same operations on the same numbers in the same
order, each writing into an array allocated at the first step of its batch size (``out=`` and
in-place operators), so the same bits come out: the suite checks ``train`` against the loop of
the public functions with ``np.array_equal`` (``tests/test_inplace.py``).

Two derivatives take another, proved form: \(\tanh' = 1 - A^2\) and \(\sigma' = A(1 - A)\) from
the layer's output A, as the derivations ``activation.tanh`` and ``activation.sigmoid`` derive
them (:data:`FROM_OUTPUT`); the readable ``derivative(Z)`` recomputes A from Z first, which
gives the same A. ReLU, tanh and sigmoid layers, the cost of a sigmoid output with bce or of
mse, and the four update rules allocate nothing of size n[l] × m. The other activations, an
output gradient other than \(A - Y\), a softmax output's cost and batch norm's own arithmetic
call the readable functions and keep their temporaries; their results are written into the
step's arrays all the same.
"""

from __future__ import annotations

import numpy as np

from . import batchnorm, losses


def _relu(Z, out, scratch):
    np.maximum(Z, 0, out=out)


def _tanh(Z, out, scratch):
    np.tanh(Z, out=out)


def _sigmoid(Z, out, scratch):
    """``activations.Sigmoid.forward``: e = exp(−|Z|), s = 1/(1 + e), s where Z ≥ 0 and e·s elsewhere.

    e is left in ``scratch[0]``, where the cost from the logits takes it for log(1 + e^{−|Z|}).
    """
    e, es, negative = scratch
    np.abs(Z, out=e)
    np.negative(e, out=e)
    np.exp(e, out=e)
    np.add(1, e, out=out)
    np.divide(1, out, out=out)
    np.multiply(e, out, out=es)
    np.less(Z, 0, out=negative)
    np.putmask(out, negative, es)


#: g(Z) written into ``out``, for the activations that have an in-place form.
FORWARD = {"relu": _relu, "tanh": _tanh, "sigmoid": _sigmoid}


def _relu_prime(dA, Z, A, out, scratch):
    """dA ⊙ (Z > 0): the mask of ``activations.ReLU.derivative``, relu'(0) = 0."""
    positive = scratch[2]
    np.greater(Z, 0, out=positive)
    np.multiply(dA, positive, out=out)


def _tanh_prime(dA, Z, A, out, scratch):
    """dA ⊙ (1 − A²), the derivation's form of tanh' in the output A = tanh(Z)."""
    np.square(A, out=out)
    np.subtract(1, out, out=out)
    np.multiply(dA, out, out=out)


def _sigmoid_prime(dA, Z, A, out, scratch):
    """dA ⊙ A(1 − A), the derivation's form of σ' in the output A = σ(Z)."""
    np.subtract(1, A, out=out)
    np.multiply(A, out, out=out)
    np.multiply(dA, out, out=out)


#: dZ = dA ⊙ g'(Z) written into ``out``, for the activations that have an in-place form.
DERIVATIVE = {"relu": _relu_prime, "tanh": _tanh_prime, "sigmoid": _sigmoid_prime}
#: The activations whose g' is computed from the output A = g(Z): the derivation of each
#: (``activation.<name>``) writes g' in terms of the cached output, and a test binds the two.
FROM_OUTPUT = ("tanh", "sigmoid")


def scratch(shape, dtype):
    """The work arrays of the in-place rules for one layer: two of the layer's dtype and one mask."""
    return np.empty(shape, dtype), np.empty(shape, dtype), np.empty(shape, bool)


def _forward_rule(g):
    """The in-place g of :data:`FORWARD`, or the registry's g(Z) copied into ``out``."""
    return FORWARD.get(g.name) or (lambda Z, out, scratch: np.copyto(out, g.forward(Z)))


def _derivative_rule(g):
    """The in-place dA ⊙ g' of :data:`DERIVATIVE`, or dA ⊙ the registry's g'(Z) written into ``out``."""
    return DERIVATIVE.get(g.name) or (lambda dA, Z, A, out, scratch: np.multiply(dA, g.derivative(Z), out=out))


class _Layer:
    """The arrays of one layer for one batch size m: Z, g's output G, A (G after dropout), dA, dZ, work arrays."""

    __slots__ = ("A", "AT", "D", "G", "U", "Z", "dA", "dZ", "kept", "scratch")

    def __init__(self, n, m, dtype, dropout):
        self.Z, self.G, self.dA, self.dZ = (np.empty((n, m), dtype) for _ in range(4))
        self.scratch = scratch((n, m), dtype)
        self.A = self.G
        if dropout:  # A = G ⊙ D / p in an array of its own; U holds the uniform draws, kept the mask U < p
            self.A, self.D, self.U = np.empty((n, m), dtype), np.empty((n, m), dtype), np.empty((n, m))
            self.kept = np.empty((n, m), bool)
        self.AT = self.A.T


class Step:
    """One training step (forward, cost, backward, update) that updates ``parameters`` in place.

    ``step(X, Y, t)`` returns the cost of the batch before the step, L2 term included, as
    ``train`` records it; ``t`` counts the steps from 1 (Adam's bias correction). ``statistics``
    holds the batch-norm layers' μ, σ², Ẑ and Z̃ of the last step, as a forward pass's cache does.

    Example:
        >>> from nn import activations
        >>> parameters = {"W1": np.array([[0.5, -0.5]]), "b1": np.array([[0.0]])}
        >>> step, W1 = Step(parameters, {1: activations.get("sigmoid")}, "bce", gradient_descent(1.0)), parameters["W1"]
        >>> round(step(np.array([[1.0], [1.0]]), np.array([[1.0]]), t=1), 4)  # A = σ(0) = 1/2: J = log 2
        0.6931
        >>> parameters["W1"] is W1, W1  # in place: W − α (A − Y) Xᵀ
        (True, array([[1., 0.]]))
    """

    def __init__(self, parameters, g, loss, rule, *, lambd=0.0, keep=None, rng=None):
        self.parameters, self.loss, self.lambd, self.keep, self.rng = parameters, loss, lambd, keep or {}, rng
        self.L = L = len(g)
        self.g = g
        self.paired = losses.PAIRED_OUTPUT.get(loss) == g[L].name
        self.normalized = [f"gamma{l}" in parameters for l in range(L + 1)]
        self.forward_rules = [None, *(_forward_rule(g[l]) for l in range(1, L + 1))]
        self.derivative_rules = [None, *(_derivative_rule(g[l]) for l in range(1, L + 1))]
        self.W = [None, *(parameters[f"W{l}"] for l in range(1, L + 1))]
        self.WT = [None, *(W.T for W in self.W[1:])]
        self.b = [None, *(parameters.get(f"b{l}") for l in range(1, L + 1))]
        learnable = [key for key in parameters if not key.startswith(("running_mean", "running_var"))]
        self.grads = {f"d{key}": np.empty_like(parameters[key]) for key in learnable}
        self.dW = [None, *(self.grads[f"dW{l}"] for l in range(1, L + 1))]
        self.db = [None, *(self.grads.get(f"db{l}") for l in range(1, L + 1))]
        self.rule = rule([(parameters[key], self.grads[f"d{key}"]) for key in learnable])
        self.squares = [None, *(np.empty_like(W) for W in self.W[1:])] if lambd else []
        self._layers = {}  # batch size m -> [None, layer 1, ..., layer L]
        self.statistics = {}

    def layers(self, m):
        """The arrays of every layer for batches of m columns, allocated at the first such batch."""
        if m not in self._layers:
            dtype = self.W[1].dtype
            self._layers[m] = [None, *(_Layer(W.shape[0], m, dtype, l in self.keep) for l, W in enumerate(self.W) if l)]
        return self._layers[m]

    def __call__(self, X, Y, t):
        m = X.shape[1]
        layers = self.layers(m)
        self.forward(X, layers)
        J = self.cost(Y, layers[self.L]) + self.l2_penalty(m)
        self.backward(X, Y, layers)
        self.rule(t)
        return J

    def forward(self, X, layers):
        """``network._forward``: Z = W A + b (or batch norm's Z̃), A = g(Z), inverted dropout."""
        A = X
        for l in range(1, self.L + 1):
            layer = layers[l]
            Z = np.matmul(self.W[l], A, out=layer.Z)
            if self.normalized[l]:
                Z = batchnorm.forward(Z, self.parameters, l, self.statistics)
            else:
                Z += self.b[l]
            self.forward_rules[l](Z, layer.G, layer.scratch)
            if l in self.keep:  # the mask of network._forward: (U < p) from the same stream
                p = self.keep[l]
                self.rng.random(out=layer.U)
                np.less(layer.U, p, out=layer.kept)
                np.copyto(layer.D, layer.kept)
                np.multiply(layer.G, layer.D, out=layer.A)
                np.divide(layer.A, p, out=layer.A)
            A = layer.A

    def cost(self, Y, output):
        """``losses._cost`` as ``train`` calls it (from the logits Z[L] for a paired output), bce and mse in place."""
        m, Z, (e, x, _), y = Y.shape[1], output.Z, output.scratch, output.dA  # dA[L] is free until backward
        if self.paired and self.loss == "bce":  # Σ (max(Z, 0) − Y Z + log(1 + e^{−|Z|})) / m
            np.maximum(Z, 0, out=x)
            np.multiply(Y, Z, out=y)
            np.subtract(x, y, out=x)
            np.log1p(e, out=y)  # e = exp(−|Z|), left by the sigmoid
            np.add(x, y, out=x)
        elif self.loss == "mse":  # Σ (A − Y)² / m
            np.subtract(output.A, Y, out=x)
            np.square(x, out=x)
        else:
            return losses._cost(output.A, Y, self.loss, Z if self.paired else None)
        return float(x.sum() / m)

    def l2_penalty(self, m):
        """``losses.l2_penalty``: (λ/2m) Σ ‖W[l]‖², the squares written into arrays kept for them."""
        if not self.lambd:
            return 0.0
        squares = (np.square(W, out=S).sum() for W, S in zip(self.W[1:], self.squares[1:], strict=True))
        return float(self.lambd / (2 * m) * sum(squares))

    def backward(self, X, Y, layers):
        """``network._backward``: the gradients of every layer, written into ``self.grads``."""
        L, m = self.L, X.shape[1]
        output = layers[L]
        dZ = output.dZ
        if self.paired:
            np.subtract(output.A, Y, out=dZ)
        elif self.g[L].elementwise:
            dA = losses.output_gradient(output.A, Y, self.loss)
            self.derivative_rules[L](dA, output.Z, output.G, dZ, output.scratch)
        else:
            np.copyto(dZ, self.g[L].backward(output.A, losses.output_gradient(output.A, Y, self.loss)))
        for l in range(L, 0, -1):
            if self.normalized[l]:
                dgamma, dbeta, dZ = batchnorm.backward(dZ, self.statistics, self.parameters, l)
                np.copyto(self.grads[f"dgamma{l}"], dgamma)
                np.copyto(self.grads[f"dbeta{l}"], dbeta)
            else:
                db = dZ.sum(axis=1, keepdims=True, out=self.db[l])
                np.divide(db, m, out=db)
            dW = np.matmul(dZ, layers[l - 1].AT if l > 1 else X.T, out=self.dW[l])
            np.divide(dW, m, out=dW)
            if self.lambd:
                np.multiply(self.lambd / m, self.W[l], out=self.squares[l])
                np.add(dW, self.squares[l], out=dW)
            if l > 1:
                below = layers[l - 1]
                dA = np.matmul(self.WT[l], dZ, out=below.dA)
                if l - 1 in self.keep:
                    np.multiply(dA, below.D, out=dA)
                    np.divide(dA, self.keep[l - 1], out=dA)
                Z = self.statistics[f"Ztilde{l - 1}"] if self.normalized[l - 1] else below.Z
                self.derivative_rules[l - 1](dA, Z, below.G, below.dZ, below.scratch)
                dZ = below.dZ


def gradient_descent(learning_rate):
    """θ ← θ − α dθ (``train.update_parameters``), in place."""

    def rule(pairs):
        def step(t):
            for theta, d in pairs:
                np.multiply(learning_rate, d, out=d)
                np.subtract(theta, d, out=theta)

        return step

    return rule


def momentum(beta, learning_rate):
    """v ← β v + (1 − β) dθ, θ ← θ − α v (``optimizers.update_parameters_with_momentum``), in place."""

    def rule(pairs):
        v = [np.zeros_like(theta) for theta, _ in pairs]

        def step(t):
            for (theta, d), v_d in zip(pairs, v, strict=True):
                _average(v_d, beta, d, out=d)
                np.multiply(learning_rate, v_d, out=d)
                np.subtract(theta, d, out=theta)

        return step

    return rule


def rmsprop(beta2, learning_rate, epsilon):
    """s ← β₂ s + (1 − β₂) dθ², θ ← θ − α dθ / (√s + ε) (``optimizers.update_parameters_with_rmsprop``), in place."""

    def rule(pairs):
        s = [np.zeros_like(theta) for theta, _ in pairs]
        scratch = [np.empty_like(theta) for theta, _ in pairs]

        def step(t):
            for (theta, d), s_d, x in zip(pairs, s, scratch, strict=True):
                _average(s_d, beta2, np.square(d, out=x), out=x)
                _divided_step(theta, d, s_d, learning_rate, epsilon, out=x)

        return step

    return rule


def adam(learning_rate, beta1, beta2, epsilon):
    """Adam's step t (``optimizers.update_parameters_with_adam``), in place."""

    def rule(pairs):
        v, s = ([np.zeros_like(theta) for theta, _ in pairs] for _ in "vs")
        scratch = [np.empty_like(theta) for theta, _ in pairs]

        def step(t):
            for (theta, d), v_d, s_d, x in zip(pairs, v, s, scratch, strict=True):
                _average(s_d, beta2, np.square(d, out=x), out=x)
                _average(v_d, beta1, d, out=d)
                np.divide(v_d, 1 - beta1**t, out=d)  # v̂
                np.divide(s_d, 1 - beta2**t, out=x)  # ŝ
                _divided_step(theta, d, x, learning_rate, epsilon, out=x)

        return step

    return rule


def _average(state, beta, d, out):
    """state ← β state + (1 − β) d, the product (1 − β) d written into ``out``."""
    np.multiply(1 - beta, d, out=out)
    np.multiply(beta, state, out=state)
    np.add(state, out, out=state)


def _divided_step(theta, d, s, learning_rate, epsilon, out):
    """θ ← θ − α dθ / (√s + ε), with √s + ε written into ``out`` and α dθ / (√s + ε) into d."""
    np.sqrt(s, out=out)
    np.add(out, epsilon, out=out)
    np.multiply(learning_rate, d, out=d)
    np.divide(d, out, out=d)
    np.subtract(theta, d, out=theta)


def shuffle(X, Y, seed, out):
    """``optimizers._random_mini_batches``' permutation of the columns, written into ``out`` = (X, Y) arrays."""
    permutation = np.random.default_rng(seed).permutation(X.shape[1])
    np.take(X, permutation, axis=1, out=out[0])
    np.take(Y, permutation, axis=1, out=out[1])
    return out
