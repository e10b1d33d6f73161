"""A convolution's backward pass in the course's style, with one planted mistake.

Samples first, channels last, the course's signature. The planted mistake: each window's shares are
written into dA_prev_pad, dW and db with ``=`` where they must be added with ``+=``, so each entry
keeps only the last share written to it: the last window and filter that reach an entry of dA_prev_pad,
and the last window of the last sample in dW and db.
"""

import numpy as np


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    s, p, f = hparameters["stride"], hparameters["pad"], W.shape[0]
    A_prev_pad = np.pad(A_prev, ((0, 0), (p, p), (p, p), (0, 0)))
    dA_prev_pad, dW, db = np.zeros(A_prev_pad.shape), np.zeros(W.shape), np.zeros(b.shape)
    for i, h, w, c in np.ndindex(dZ.shape):
        vert, horiz = slice(h * s, h * s + f), slice(w * s, w * s + f)
        # the mistake, in all three lines: = where += adds every window's share
        dA_prev_pad[i, vert, horiz, :] = W[:, :, :, c] * dZ[i, h, w, c]
        dW[:, :, :, c] = A_prev_pad[i, vert, horiz, :] * dZ[i, h, w, c]
        db[:, :, :, c] = dZ[i, h, w, c]
    n_H_prev, n_W_prev = A_prev.shape[1:3]
    return dA_prev_pad[:, p : p + n_H_prev, p : p + n_W_prev, :], dW, db
