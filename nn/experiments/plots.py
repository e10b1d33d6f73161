"""Matplotlib helpers shared by the command line and the worked examples."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import numpy as np

from ..network import predict
from ..words import Text
from .words import check_language, words

#: Fonts that carry Simplified Chinese, by preference; Debian's fonts-noto-cjk brings the first.
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei")

#: The words of the cost curves.
WORDS = words(
    iteration=("iteration", "迭代次数"),
    epoch=("epoch", "训练轮次"),
    cost=("cost J", "代价 J"),
    seed=("seed {seed}", "种子 {seed}"),
)


def pyplot():
    """matplotlib.pyplot on the Agg backend (no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


class MissingFontError(RuntimeError):
    """No font with Chinese characters is installed, so the Chinese figures cannot be drawn; the message is a
    :class:`~nn.words.Text`, in English and in Chinese."""


def cjk_font() -> str:
    """The name of an installed font of :data:`CJK_FONTS`; :class:`MissingFontError` naming the package if none is."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    if not {font.name for font in manager.ttflist} & set(CJK_FONTS):
        # matplotlib's font cache may predate the font's install: add the system fonts it has not seen
        known = {font.fname for font in manager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known:
                with suppress(OSError, RuntimeError):  # a font FreeType cannot read, skipped as the cache skips it
                    manager.addfont(path)
    installed = {font.name for font in manager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    fonts, install = ", ".join(CJK_FONTS), "`sudo apt-get install -y fonts-noto-cjk`"
    raise MissingFontError(Text(
        f"the Chinese figures need a font with Chinese characters, and matplotlib finds none of {fonts}: install "
        f"Debian's fonts-noto-cjk ({install})",
        f"中文的图需要一种带汉字的字体，而 matplotlib 找不到 {fonts} 中的任何一种：请安装 Debian 的 fonts-noto-cjk"
        f"（{install}）",
    ))  # fmt: skip


@contextmanager
def drawing(lang: str) -> Iterator:
    """pyplot, with fonts that carry ``lang``'s words for the figures drawn and saved inside the block.

    Latin letters and digits stay in matplotlib's DejaVu Sans in both languages, so the numbers
    look the same; Chinese characters fall back to :func:`cjk_font`.
    """
    fonts = {"font.family": ["DejaVu Sans", cjk_font()]} if check_language(lang) == "zh" else {}
    plt = pyplot()
    with plt.rc_context(fonts):
        yield plt


def save(fig, path: Path, dpi: int = 60) -> None:
    """Lay out ``fig``, write it to ``path`` as PNG and close it; a character no font has is an error, not a box."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Glyph .* missing from font")
        fig.tight_layout()
        fig.savefig(path, dpi=dpi)
    pyplot().close(fig)


def write_table(path: Path, rows: list[str]) -> None:
    """Write Markdown table rows to ``path``, one per line."""
    path.write_text("\n".join(rows) + "\n")


def plot_costs(ax, costs, label=None, lang="en", per="iteration"):
    """Draw a cost curve J on a matplotlib axis, its axes named in ``lang``: against the iteration (from 0), or
    with ``per="epoch"`` one cost after each epoch (epochs 1, 2, …)."""
    ax.plot(np.arange(len(costs)) + (per == "epoch"), costs, label=label)
    ax.set_xlabel(WORDS[lang][per])
    ax.set_ylabel(WORDS[lang]["cost"])


def seed_costs_figure(path: Path, lang: str, costs_by_seed, per="iteration") -> None:
    """The cost curves of several seeds on one log-scale axis, each labelled with its seed, saved to ``path``
    (``per`` as in :func:`plot_costs`)."""
    with drawing(lang) as plt:
        fig, ax = plt.subplots(figsize=(5, 3))
        for seed, costs in costs_by_seed:
            plot_costs(ax, costs, label=WORDS[lang]["seed"].format(seed=seed), lang=lang, per=per)
        ax.set_yscale("log")
        ax.legend()
        save(fig, path)


def plot_boundary(ax, X, Y, parameters, activation_names, steps=200):
    """Shade the regions a 2-D classifier predicts as 0 and 1, and scatter the points X coloured by Y."""
    (x0, x1), (y0, y1) = [(row.min() - 1, row.max() + 1) for row in X]
    xx, yy = np.meshgrid(np.linspace(x0, x1, steps), np.linspace(y0, y1, steps))
    grid = np.vstack([xx.ravel(), yy.ravel()])
    P = predict(grid, parameters, activation_names).reshape(xx.shape)
    ax.contourf(xx, yy, P, levels=[-0.5, 0.5, 1.5], colors=["#f4c7a1", "#a9c6ea"])
    ax.scatter(X[0], X[1], c=Y.ravel(), cmap="coolwarm_r", s=6, edgecolors="none")
    ax.set_xticks([])
    ax.set_yticks([])
