"""A pooling layer's backward pass in the course's style, with one planted mistake.

Samples first, channels last, the course's signature. The planted mistake: each window's share is
written into dA_prev with ``=`` where it must be added with ``+=``, so where windows overlap
(s < f) the last window overwrites the others' shares. It is the same line in both modes.
"""

import numpy as np


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    dA_prev = np.zeros(A_prev.shape)
    for i, h, w, c in np.ndindex(dA.shape):
        rows, cols = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
        window = A_prev[i, rows, cols, c]
        if mode == "max":  # dA to the first largest entry
            share = np.zeros(window.shape)
            share[np.unravel_index(np.argmax(window), window.shape)] = dA[i, h, w, c]
        else:  # dA/f² to every entry
            share = np.full(window.shape, dA[i, h, w, c] / (f * f))
        dA_prev[i, rows, cols, c] = share  # the mistake: += adds the overlapping windows' shares
    return dA_prev
