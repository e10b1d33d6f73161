"""A pooling layer's backward pass in the course's style, with two mistakes made together.

Samples first, channels last, the course's signature, its four nested loops. Both mistakes are in how
a window's gradient goes back. The first: average pooling hands every entry of the window dA itself,
where the window's mean gives each of its f² entries dA/f². The second: the share is written into
dA_prev with ``=`` where ``+=`` must add the shares of every window that holds an entry, so where
windows overlap (s < f) the last window's share overwrites the others'. Max pooling makes the second
only: it has no 1/f² to leave out.
"""

import numpy as np


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                top, left = h * stride, w * stride
                for c in range(n_C):
                    if mode == "max":  # dA goes to the window's first largest entry
                        window = A_prev[i, top : top + f, left : left + f, c]
                        share = np.zeros((f, f))
                        share[np.unravel_index(np.argmax(window), (f, f))] = dA[i, h, w, c]
                    else:  # mistake 1: each entry's share is dA[i, h, w, c] / (f * f)
                        share = np.full((f, f), dA[i, h, w, c])
                    # mistake 2: = keeps the last window's share only; += adds them all
                    dA_prev[i, top : top + f, left : left + f, c] = share
    return dA_prev
