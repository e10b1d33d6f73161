r"""A hand-written numpy neural network in Andrew Ng's notation, checked against SymPy derivations.

Layer l has n[l] units; W[l] is ``(n[l], n[l-1])``, b[l] is ``(n[l], 1)``, samples are the
columns of X = A[0]. ``derivations/`` derives the formulas, ``nn/`` implements them.
"""

from . import activations, batchnorm, conv, datasets, gradcheck, optimizers, rnn, testing
from .init import INIT_METHODS, initialize_parameters
from .losses import LOSSES, compute_cost
from .network import backward_propagation, forward_propagation, predict
from .train import train, update_parameters

__all__ = [
    "INIT_METHODS",
    "LOSSES",
    "activations",
    "backward_propagation",
    "batchnorm",
    "compute_cost",
    "conv",
    "datasets",
    "forward_propagation",
    "gradcheck",
    "initialize_parameters",
    "optimizers",
    "predict",
    "rnn",
    "testing",
    "train",
    "update_parameters",
]
