"""Convolution and pooling written the way a learner of the course writes them, with a mistake planted on request.

Independent of ``nn``: plain numpy loops in the course's signatures, so that the diagnosis, which
applies each known mistake to nn's own loops, is compared with mistakes made in other code.
``mistake`` is a short name; "" is the correct code.
"""

from __future__ import annotations

import numpy as np


def pad_with_zeros(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=0)


def conv_forward(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    n_H = int((n_H_prev - f + 2 * pad) / stride) + 1
    n_W = int((n_W_prev - f + 2 * pad) / stride) + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    padded = pad_with_zeros(A_prev, pad)
    for sample in range(m):
        for row in range(n_H):
            for col in range(n_W):
                patch = padded[sample, row * stride : row * stride + f, col * stride : col * stride + f, :]
                for channel in range(n_C):
                    Z[sample, row, col, channel] = np.sum(patch * W[..., channel]) + float(b[0, 0, 0, channel])
    return Z, (A_prev, W, b, hparameters)


def conv_backward(mistake=""):
    """The course's conv_backward, with ``mistake`` planted ("no-unpad", "no-stride", or "assign-" and the
    gradients, among dA, dW and db, whose lines assign each window's share instead of adding it: "assign-dW",
    "assign-dA-dW-db"); several joined by "+" ("no-unpad+no-stride") are planted together."""
    planted = set(mistake.split("+"))
    assigned = next((m.removeprefix("assign-").split("-") for m in planted if m.startswith("assign-")), [])

    def backward(dZ, cache):
        A_prev, W, b, hparameters = cache
        stride = 1 if "no-stride" in planted else hparameters["stride"]
        pad = hparameters["pad"]
        f = W.shape[0]
        m, n_H, n_W, n_C = dZ.shape
        padded = pad_with_zeros(A_prev, pad)
        dpadded = np.zeros(padded.shape)
        dW, db = np.zeros(W.shape), np.zeros(b.shape)
        for sample in range(m):
            for row in range(n_H):
                for col in range(n_W):
                    r0, c0 = row * stride, col * stride
                    for channel in range(n_C):
                        g = dZ[sample, row, col, channel]
                        if "dA" in assigned:
                            dpadded[sample, r0 : r0 + f, c0 : c0 + f, :] = W[:, :, :, channel] * g
                        else:
                            dpadded[sample, r0 : r0 + f, c0 : c0 + f, :] += W[:, :, :, channel] * g
                        if "dW" in assigned:
                            dW[:, :, :, channel] = padded[sample, r0 : r0 + f, c0 : c0 + f, :] * g
                        else:
                            dW[:, :, :, channel] += padded[sample, r0 : r0 + f, c0 : c0 + f, :] * g
                        if "db" in assigned:
                            db[:, :, :, channel] = g
                        else:
                            db[:, :, :, channel] += g
        if "no-unpad" in planted or pad == 0:
            return dpadded, dW, db
        return dpadded[:, pad:-pad, pad:-pad, :], dW, db

    return backward


def pool_forward(A_prev, hparameters, mode="max"):
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H, n_W = (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for sample in range(m):
        for row in range(n_H):
            for col in range(n_W):
                patch = A_prev[sample, row * stride : row * stride + f, col * stride : col * stride + f, :]
                A[sample, row, col, :] = patch.max(axis=(0, 1)) if mode == "max" else patch.mean(axis=(0, 1))
    return A, (A_prev, hparameters)


def pool_backward(mistake=""):
    """The course's pool_backward, with ``mistake`` planted ("assign", "no-1/f2", "all-ties"); several joined by
    "+" ("assign+no-1/f2") are planted together."""
    planted = set(mistake.split("+"))

    def backward(dA, cache, mode="max"):
        A_prev, hparameters = cache
        f, stride = hparameters["f"], hparameters["stride"]
        dA_prev = np.zeros(A_prev.shape)
        m, n_H, n_W, n_C = dA.shape
        for sample in range(m):
            for row in range(n_H):
                for col in range(n_W):
                    r0, c0 = row * stride, col * stride
                    for channel in range(n_C):
                        if mode == "max":
                            x = A_prev[sample, r0 : r0 + f, c0 : c0 + f, channel]
                            if "all-ties" in planted:
                                mask = x == np.max(x)
                            else:
                                mask = np.zeros(x.shape, dtype=bool)
                                mask[np.unravel_index(np.argmax(x), x.shape)] = True
                            piece = mask * dA[sample, row, col, channel]
                        else:
                            share = dA[sample, row, col, channel] / (1 if "no-1/f2" in planted else f * f)
                            piece = np.ones((f, f)) * share
                        if "assign" in planted:
                            dA_prev[sample, r0 : r0 + f, c0 : c0 + f, channel] = piece
                        else:
                            dA_prev[sample, r0 : r0 + f, c0 : c0 + f, channel] += piece
        return dA_prev

    return backward
