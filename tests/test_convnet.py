"""The worked example's ConvNet (nn/experiments/convnet.py): its backward pass against numeric differences."""

from __future__ import annotations

import numpy as np
import pytest

from nn.experiments import convnet
from nn.gradcheck import check_function
from nn.losses import compute_cost


@pytest.mark.parametrize("mode", ["directional", pytest.param("full", marks=pytest.mark.slow)])
def test_the_convnet_backward_pass_passes_the_gradient_check(mode):
    """CONV → RELU → MAXPOOL → FC → softmax, every parameter block, with J the mean cross-entropy."""
    rng = np.random.default_rng(0)
    X, Y = rng.random((64, 4)), np.eye(10)[:, rng.integers(0, 10, 4)]
    parameters = convnet.initialize(seed=1)
    parameters["b1"] = rng.normal(size=parameters["b1"].shape) * 0.1

    def cost(p):
        A2, Z2, _ = convnet.forward(X, p)
        return compute_cost(A2, Y, "cross_entropy", Z2)

    def gradients(p):
        A2, _, cache = convnet.forward(X, p)
        return convnet.backward(A2, Y, cache, p)

    report = check_function(cost, gradients, parameters, mode=mode)
    assert report.passed, str(report)
