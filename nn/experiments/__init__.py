r"""The worked examples of docs/experiments/: each module trains, measures and draws one of them.

``python -m nn figures DIR`` calls :func:`write_all`, which writes every example's PNGs and
Markdown tables into ``DIR``, in English and in Chinese from one run (``planar-cost.png`` and
``planar-cost.zh.png``: the same numbers, the words of :mod:`nn.experiments.words`); the Chinese
figures need a CJK font (Debian's fonts-noto-cjk). The pages include the tables, and a slow test
regenerates them and compares them with the committed ones. A new example is a module with a
``write(directory)`` function that writes every file in each of ``LANGUAGES``, added to :data:`EXAMPLES`.
"""

from __future__ import annotations

from pathlib import Path

from . import (
    batch_norm,
    breast_cancer,
    convnet,
    course_planar,
    digits,
    digits10,
    init_table,
    initialization,
    learning_rates,
    optimization,
    planar,
    plots,
    regularization,
    sequences,
    square_error,
)

#: The example modules, in the order of the pages.
EXAMPLES = (
    planar,
    course_planar,
    breast_cancer,
    digits,
    square_error,
    digits10,
    initialization,
    regularization,
    optimization,
    batch_norm,
    convnet,
    sequences,
    learning_rates,
    init_table,
)


def write_all(directory: Path) -> None:
    """Write the figures and tables of every example into ``directory``, in every language.

    The Chinese font is looked for first, so that a missing one stops the command before the
    minutes of training, with :class:`~nn.experiments.plots.MissingFontError` naming the package.
    """
    plots.cjk_font()
    directory.mkdir(parents=True, exist_ok=True)
    for example in EXAMPLES:
        example.write(directory)
