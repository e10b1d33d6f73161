"""The words of a gradient check's report, each in English with its Simplified Chinese twin.

The report's sentences are :class:`~nn.words.Text`: they live in :mod:`nn.words`, below every
module of ``nn``, so that the input checks' errors (:class:`~nn.words.InputError`) carry their
Chinese too. This module names them for the checker's modules.
"""

from __future__ import annotations

from ..words import LANGUAGES, InputError, Text, described, language, say, with_article

__all__ = ["LANGUAGES", "InputError", "Text", "described", "language", "say", "with_article"]
