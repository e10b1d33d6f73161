"""ReLU's backward pass written the way course code writes it: copy dA, zero it where Z <= 0."""

import numpy as np


def masked_backward(dA, Z):
    """dZ for a ReLU layer: dA where Z > 0, and 0 where Z <= 0 (so g'(0) = 0)."""
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ
