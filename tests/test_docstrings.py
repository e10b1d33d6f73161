"""The Examples in the docstrings of ``nn`` and ``derivations`` run and print what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import derivations
import nn

MODULES = sorted(
    info.name
    for package in (nn, derivations)
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}.")
    if not info.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, globs={"np": np, **vars(module)}):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} docstring examples failed"


def test_the_public_functions_have_examples():
    finder = doctest.DocTestFinder(exclude_empty=True)
    documented = {
        test.name.rsplit(".", 1)[-1]
        for name in MODULES
        if name.startswith("nn.")
        for test in finder.find(importlib.import_module(name))
    }
    missing = [name for name in nn.__all__ if callable(getattr(nn, name)) and name not in documented]
    assert not missing, f"public functions without a docstring example: {missing}"
