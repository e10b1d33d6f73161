"""A convolution's backward pass in the course's style, with two mistakes made together.

Samples first, channels last, the course's signature. The first mistake: window (h, w) is taken at
(h, w), as if the stride were 1, where the forward pass took it at (s·h, s·w). The second: its share of
dA_prev_pad is written with ``=`` where ``+=`` must add the shares of every window and filter that reach
an entry. The stride reaches dA_prev and dW, the ``=`` only dA_prev; db is right.
"""

import numpy as np


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    pad = hparameters["pad"]
    m, n_H, n_W, n_C = dZ.shape
    f = W.shape[0]
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    dW, db = np.zeros(W.shape), np.zeros(b.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h, w  # mistake 1: the window starts at (h * s, w * s), s = hparameters["stride"]
                window = A_prev_pad[i, top : top + f, left : left + f, :]
                for c in range(n_C):
                    # mistake 2: = keeps the last share only; += adds them all
                    dA_prev_pad[i, top : top + f, left : left + f, :] = W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += window * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    n_H_prev, n_W_prev = A_prev.shape[1:3]
    return dA_prev_pad[:, pad : pad + n_H_prev, pad : pad + n_W_prev, :], dW, db
