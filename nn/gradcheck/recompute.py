r"""Networks with batch norm, dropout or an L2 penalty: every probe recomputes the whole forward pass.

:class:`~nn.gradcheck.problems.NetworkProblem` perturbs one layer's \(Z^{[l]}\) linearly and runs
only the layers above it. That shortcut does not hold when a layer normalizes over the batch, when
the cost depends on every \(W^{[l]}\) through the L2 penalty, or when units are dropped. Here every
probe runs the network's own forward pass (``nn.network._forward``) from X on the perturbed
parameters, with the dropout masks of the checked forward pass held fixed, and the cost includes
\(\tfrac{\lambda}{2m} \sum_l \lVert W^{[l]} \rVert_F^2\). Only the entries with a gradient are
perturbed (W, b, γ, β: not the running averages). Kinks are judged on what each \(g^{[l]}\) is
applied to (\(\tilde Z^{[l]}\) in a batch-norm layer).
"""

from __future__ import annotations

import types

import numpy as np

from .. import checks, losses, network
from .problems import FunctionProblem, NetworkProblem, complex_forward, complex_loss


def needed(parameters, lambd, keep_prob) -> bool:
    """True when the network or the options go beyond W[l], b[l] and the plain cost."""
    plain_keep = not isinstance(keep_prob, (list, tuple, np.ndarray)) and keep_prob == 1
    batch_norm = isinstance(parameters, dict) and any(str(key).startswith("gamma") for key in parameters)
    return batch_norm or lambd != 0 or not plain_keep


class RecomputedProblem(NetworkProblem):
    """J of nn's network at any parameters, by its whole forward pass, with the dropout masks held fixed."""

    def __init__(self, parameters, cache, Y, g, loss, lambd):
        learnable = checks.learnable(parameters)
        super().__init__({key: parameters[key] for key in learnable}, cache, Y, g, loss)
        self.statistics = {key: value for key, value in parameters.items() if key not in learnable}
        self.lambd = lambd
        self.keep = {l: cache[f"keep_prob{l}"] for l in g if f"D{l}" in cache}

    def forward(self, params):
        """J and, per layer, what g[l] was applied to, at ``params`` (the learnable entries)."""
        A, cache = network._forward(
            self.base["A0"], {**self.statistics, **params}, self.g, keep=self.keep, masks=self.base
        )
        L = len(self.g)
        logits = cache[f"Z{L}"] if losses.PAIRED_OUTPUT.get(self.loss) == self.g[L].name else None
        J = losses._cost(A, self.Y, self.loss, logits) + losses.l2_penalty(params, self.lambd, self.m)
        return J, {l: network.preactivation(cache, l) for l in self.g}

    def shifted(self, v):
        """A function of the step: ``[(J, Z) at θ + step·v, (J, Z) at θ − step·v]``, each by a whole forward pass."""
        dtype = self.params["W1"].dtype

        def at(step):
            return [
                self.forward(
                    {
                        **self.params,
                        **{key: self.params[key] + (sign * step * block).astype(dtype) for key, block in v.items()},
                    }
                )
                for sign in (1, -1)
            ]

        return at

    span = FunctionProblem.span  # the whole forward pass runs for any direction, as for a learner's cost

    def complex_cost(self, params):
        """J on complex parameters, by the same forward pass and the cost's formula (no clipping, no logits)."""
        g = {l: types.SimpleNamespace(forward=complex_forward(act)) for l, act in self.g.items()}
        complex_params = {**{k: v.astype(complex) for k, v in self.statistics.items()}, **params}
        A, _ = network._forward(self.base["A0"].astype(complex), complex_params, g, keep=self.keep, masks=self.base)
        return complex_loss(A, self.Y, self.loss) + losses.l2_penalty(params, self.lambd, self.m)

    def work(self, key):
        """Multiply-adds of one whole forward pass."""
        return sum(self.params[f"W{l}"].size for l in self.g) * self.m
