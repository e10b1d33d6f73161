"""The square-error network of the chain-rule post, written the way that post writes it.

One sample as a row vector x of 4 numbers, three 4×4 weights and no bias, a linear network
p = ((x W_in) W_mid) W_out, and the loss Σ (p − t)² over the 4 outputs. The post's backward pass
starts from the output gradient 2p, which forgets the target; ``with_target=True`` gives 2(p − t).
"""

import numpy as np

rng = np.random.default_rng(4)
x = rng.uniform(size=4)  # one sample, a row
target = np.array([0.5, 0.7, 0.3, 0.1])
parameters = {name: rng.uniform(size=(4, 4)) for name in ("w_in", "w_mid", "w_out")}


def forward(parameters):
    h1 = x @ parameters["w_in"]
    h2 = h1 @ parameters["w_mid"]
    p = h2 @ parameters["w_out"]
    return h1, h2, p


def cost(parameters):
    *_, p = forward(parameters)
    return np.sum((p - target) ** 2)


def gradients(parameters, with_target=False):
    h1, h2, p = forward(parameters)
    dp = 2 * (p - target) if with_target else 2 * p  # the post's bug: 2p
    dh2 = dp @ parameters["w_out"].T
    dh1 = dh2 @ parameters["w_mid"].T
    # a row vector times a weight: the gradient of the weight is the outer product (input, output gradient)
    return {
        "dw_out": np.outer(h2, dp),
        "dw_mid": np.outer(h1, dh2),
        "dw_in": np.outer(x, dh1),
        "dh1": dh1,  # extra keys are ignored by the check
    }
