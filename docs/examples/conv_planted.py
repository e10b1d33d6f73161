"""A convolution and a pooling layer in the course's style, with one planted mistake.

Samples first, channels last, the course's signatures. The pooling layer is right; the planted
mistake is in the convolution's backward pass: each window is taken at (h, w) instead of
(s·h, s·w), the stride forgotten there although the forward pass uses it.
"""

import numpy as np


def conv_forward(A_prev, W, b, hparameters):
    s, p = hparameters["stride"], hparameters["pad"]
    m, rows, cols, _ = A_prev.shape
    f, n_C = W.shape[0], W.shape[3]
    n_H, n_W = (rows + 2 * p - f) // s + 1, (cols + 2 * p - f) // s + 1
    A_pad = np.pad(A_prev, ((0, 0), (p, p), (p, p), (0, 0)))
    Z = np.empty((m, n_H, n_W, n_C))
    for i, h, w, c in np.ndindex(Z.shape):
        window = A_pad[i, h * s : h * s + f, w * s : w * s + f, :]
        Z[i, h, w, c] = np.sum(window * W[..., c]) + b[0, 0, 0, c]
    return Z, (A_prev, W, b, hparameters)


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    p, f = hparameters["pad"], W.shape[0]
    A_pad = np.pad(A_prev, ((0, 0), (p, p), (p, p), (0, 0)))
    dA_pad, dW, db = np.zeros_like(A_pad), np.zeros_like(W), np.zeros_like(b)
    for i, h, w, c in np.ndindex(dZ.shape):
        top, left = h, w  # the mistake: h * stride, w * stride
        dA_pad[i, top : top + f, left : left + f, :] += W[..., c] * dZ[i, h, w, c]
        dW[..., c] += A_pad[i, top : top + f, left : left + f, :] * dZ[i, h, w, c]
        db[..., c] += dZ[i, h, w, c]
    return dA_pad[:, p : dA_pad.shape[1] - p, p : dA_pad.shape[2] - p, :], dW, db


def pool_forward(A_prev, hparameters, mode="max"):
    f, s = hparameters["f"], hparameters["stride"]
    m, rows, cols, n_C = A_prev.shape
    A = np.empty((m, (rows - f) // s + 1, (cols - f) // s + 1, n_C))
    for i, h, w, c in np.ndindex(A.shape):
        window = A_prev[i, h * s : h * s + f, w * s : w * s + f, c]
        A[i, h, w, c] = window.max() if mode == "max" else window.mean()
    return A, (A_prev, hparameters)


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, s = hparameters["f"], hparameters["stride"]
    dA_prev = np.zeros_like(A_prev)
    for i, h, w, c in np.ndindex(dA.shape):
        window = A_prev[i, h * s : h * s + f, w * s : w * s + f, c]
        if mode == "max":  # all of dA to the first largest entry
            share = np.zeros_like(window)
            share[np.unravel_index(np.argmax(window), window.shape)] = dA[i, h, w, c]
        else:  # dA spread evenly over the f × f entries
            share = np.full(window.shape, dA[i, h, w, c] / (f * f))
        dA_prev[i, h * s : h * s + f, w * s : w * s + f, c] += share
    return dA_prev
