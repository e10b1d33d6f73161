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

from functools import cache

from .core import Derivation, Step, Verification

__all__ = ["Derivation", "Step", "Verification", "all_derivations", "get", "keys"]


@cache
def _registry() -> dict[str, Derivation]:
    from . import (
        activations,
        batchnorm,
        collapse,
        dropout,
        initialization,
        linear,
        logistic,
        optimizers,
        output,
        regularization,
        relu,
        samples,
        shapes,
    )

    built = [
        *output.derivations(),
        *(activations.get(name).derivation() for name in activations.names()),
        *relu.derivations(),
        *linear.derivations(),
        *shapes.derivations(),
        *samples.derivations(),
        *initialization.derivations(),
        *logistic.derivations(),
        *collapse.derivations(),
        *regularization.derivations(),
        *dropout.derivations(),
        *batchnorm.derivations(),
        *optimizers.derivations(),
    ]
    return {d.key: d for d in built}


def all_derivations() -> list[Derivation]:
    """Every derivation, in reading order (output layer, activations, linear layer, shapes, the course's
    first part: samples, initialization, logistic regression, the collapse of linear layers; then its
    second part: regularization, dropout, batch norm and the optimizers)."""
    return list(_registry().values())


def keys() -> list[str]:
    return list(_registry())


def get(key: str) -> Derivation:
    """The derivation registered under ``key``; the error lists the valid keys."""
    try:
        return _registry()[key]
    except KeyError:
        raise KeyError(f"no derivation {key!r}; known: {', '.join(_registry())}") from None
