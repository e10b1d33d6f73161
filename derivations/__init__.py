r"""Backpropagation derived by SymPy: the project's single source of mathematical truth.

Every formula the numpy network in ``nn/`` relies on is a :class:`Derivation` here:
a statement, its hypotheses, SymPy steps, ``verify()``, and LaTeX / text rendering.
This package never imports ``nn``.

Example:
    >>> import derivations
    >>> d = derivations.get("output.sigmoid_bce")
    >>> d.verify().ok
    True
"""

from __future__ import annotations

import importlib
from functools import cache

from .core import LANGUAGES, Derivation, Step, Text, Verification, say

__all__ = ["LANGUAGES", "Derivation", "Step", "Text", "Verification", "all_derivations", "get", "keys", "say"]

#: The modules of derivations, in reading order: the output layer, the activations, ReLU's masked
#: backward, the linear layer and the shapes; the course's first part (one sample against m
#: samples, initialization, logistic regression, the collapse of linear layers); then its second
#: part (regularization, dropout, batch norm, the optimizers); then its fourth part (convolution and
#: pooling) and its fifth (backprop through time); last, the cost of forward against reverse mode.
#: Each module lists its ``KEYS``, so the registry knows every key without building a
#: derivation; ``get`` builds only what it is asked.
FAMILIES = (
    "output",
    "activations",
    "relu",
    "linear",
    "shapes",
    "samples",
    "initialization",
    "logistic",
    "collapse",
    "regularization",
    "dropout",
    "batchnorm",
    "optimizers",
    "conv",
    "rnn",
    "modes",
)


def _module(family: str):
    return importlib.import_module(f".{family}", __name__)


@cache
def _index() -> dict[str, str]:
    """Every key and the module that derives it."""
    index = {}
    for family in FAMILIES:
        module = _module(family)
        if family == "activations":
            index |= {f"activation.{name}": family for name in module.names()}
        else:
            index |= dict.fromkeys(module.KEYS, family)
    return index


@cache
def _derived(family: str) -> tuple[Derivation, ...]:
    """What the module ``family`` derives, in its order, built once."""
    return tuple(_module(family).derivations())


@cache
def _built(family: str) -> dict[str, Derivation]:
    return {d.key: d for d in _derived(family)}


@cache
def _activation(key: str) -> Derivation:
    return _module("activations").get(key.removeprefix("activation.")).derivation()


def all_derivations() -> list[Derivation]:
    """Every derivation, in reading order (see :data:`FAMILIES`)."""
    return [get(key) for key in _index()]


def keys() -> list[str]:
    """Every registry key, in reading order, without building the derivations."""
    return list(_index())


def get(key: str) -> Derivation:
    """The derivation registered under ``key``; the error lists the valid keys."""
    family = _index().get(key) if isinstance(key, str) else None  # a list as key: KeyError, not unhashable
    if family is None:
        raise KeyError(f"no derivation {key!r}; known: {', '.join(_index())}")
    return _activation(key) if family == "activations" else _built(family)[key]
