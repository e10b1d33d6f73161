"""A gradient check for a learner's own test suite: an assertion whose message is the report."""

from __future__ import annotations

from .gradcheck import check_function
from .words import InputError, language


def assert_gradients(cost, gradients, parameters, *, lang="en", **options):
    """Assert that ``gradients`` agrees with numeric differences of ``cost``; return the report.

    Runs :func:`nn.gradcheck.check_function` with ``options`` (``mode``, ``h``, ``tolerance``,
    ``seed``) and raises ``AssertionError`` with the printed report as its message when the
    check does not pass (a block fails, or cannot be told right or wrong), so pytest shows which
    parameter, which entry and what relation it found. ``lang`` is the report's language: ``"en"``
    or ``"zh"`` (Simplified Chinese), as in :meth:`nn.gradcheck.Report.text`; a bad input raises its
    ValueError (:class:`nn.words.InputError`) with the message in that language too.

    Example:
        >>> import numpy as np
        >>> def cost(p):
        ...     return float(np.sum(np.tanh(p["w"])))
        >>> def gradients(p):
        ...     return {"dw": 1 - np.tanh(p["w"]) ** 2}
        >>> assert_gradients(cost, gradients, {"w": np.array([0.3, -1.2])}).passed
        True
    """
    language(lang)
    try:
        report = check_function(cost, gradients, parameters, **options)
    except InputError as error:  # a bad input: its message in the report's language, where pytest shows it
        error.lang = lang
        raise
    if not report.passed:
        raise AssertionError(report.text(lang))
    return report
