"""The pictures of the convolution and pooling pages: windows going forward, gradients coming back.

Each function returns an inline SVG in the page's language; the numbers in the pooling picture are
computed by ``nn.conv`` when the page is built. A markdown-exec block prints it (``html="1"``).
"""

from __future__ import annotations

import numpy as np
from _site import words

from nn import conv

CELL = 20
BLUE, ORANGE, BOTH, PAD = "#1e88e5", "#fb8c00", "#8e24aa", "#bdbdbd"


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width}px" role="img" aria-label="{title}" font-size="12" '
        f'font-family="sans-serif"><title>{title}</title>'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>'
        + "".join(body)
        + "</svg>"
    )


def _grid(x, y, rows, cols, fills=None, texts=None, padding=0):
    """A grid of cells; the outer ``padding`` rings are grey (zeros of the padding)."""
    fills, texts, parts = fills or {}, texts or {}, []
    for r in range(rows):
        for c in range(cols):
            in_pad = min(r, c) < padding or r >= rows - padding or c >= cols - padding
            fill = fills.get((r, c), PAD if in_pad else "none")
            opacity = ' fill-opacity="0.35"' if fill not in ("none", PAD) else (' fill-opacity="0.5"' if in_pad else "")
            parts.append(
                f'<rect x="{x + c * CELL}" y="{y + r * CELL}" width="{CELL}" height="{CELL}" fill="{fill}"{opacity} '
                f'stroke="currentColor" stroke-opacity="0.4"/>'
            )
            if (r, c) in texts:
                parts.append(
                    f'<text x="{x + c * CELL + CELL / 2}" y="{y + r * CELL + 14}" text-anchor="middle" '
                    f'font-size="10" fill="currentColor">{texts[(r, c)]}</text>'
                )
    return parts


def _window(x, y, top, left, size, color, dash=""):
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<rect x="{x + left * CELL}" y="{y + top * CELL}" width="{size * CELL}" height="{size * CELL}" '
        f'fill="none" stroke="{color}" stroke-width="3"{dashes}/>'
    )


def _arrow(x1, y1, x2, y2, color="currentColor"):
    return (
        f'<path d="M{x1},{y1} C{(x1 + x2) / 2},{y1 - 30} {(x1 + x2) / 2},{y2 - 30} {x2},{y2}" fill="none" '
        f'stroke="{color}" stroke-width="1.5" marker-end="url(#arrow)"/>'
    )


def _label(x, y, text, anchor="start"):
    return f'<text x="{x}" y="{y}" text-anchor="{anchor}" fill="currentColor">{text}</text>'


def _cells(top, left, size):
    return {(top + r, left + c) for r in range(size) for c in range(size)}


def _two_windows(f, s, offset=0):
    """The cells of windows (0, 0) and (0, 1), and their overlap, coloured."""
    first, second = _cells(offset, offset, f), _cells(offset, offset + s, f)
    return {cell: BOTH if cell in first and cell in second else BLUE if cell in first else ORANGE
            for cell in first | second}  # fmt: skip


def convolution(lang: str = "en") -> str:
    """A_pad (n = 5, p = 1) with two windows f = 3, s = 2 that overlap; Z; and the way back, un-padded."""
    n, p, f, s = 5, 1, 3, 2
    n_pad, n_out = n + 2 * p, conv.output_size(n, f, p, s)
    left, right = 20, 330
    body = [
        _label(left, 18, words("forward: windows of A_pad", "前向：A_pad 中的窗口", lang)),
        *_grid(left, 30, n_pad, n_pad, padding=p),
        _window(left, 30, 0, 0, f, BLUE),
        _window(left, 30, 0, s, f, ORANGE, "6 3"),
        *_grid(left + 190, 70, n_out, n_out, {(0, 0): BLUE, (0, 1): ORANGE}),
        _arrow(left + 1.5 * CELL, 30 + 3 * CELL + 4, left + 190 + CELL / 2, 70 + CELL),
        _label(left, 30 + n_pad * CELL + 18, f"n_H_prev = {n}, p = {p}, f = {f}, s = {s}"),
        _label(left + 190, 60, f"Z: n_H = {n_out}"),
        _label(right, 18, words("backward: dZ goes back into its window", "反向：dZ 回到它的窗口", lang)),
        *_grid(right, 70, n_out, n_out, {(0, 0): BLUE, (0, 1): ORANGE}),
        _label(right, 60, "dZ"),
        *_grid(right + 120, 30, n_pad, n_pad, _two_windows(f, s), padding=p),
        _arrow(right + CELL / 2, 70 + CELL, right + 120 + 1.5 * CELL, 30 + 3 * CELL + 4, BLUE),
        _arrow(right + 1.5 * CELL, 70 + CELL, right + 120 + 3.5 * CELL, 30 + 3 * CELL + 4, ORANGE),
        _window(right + 120, 30, p, p, n, "currentColor", "4 3"),
        _label(right + 120, 30 + n_pad * CELL + 18, words("overlap: the two add", "重叠处：两者相加", lang)),
        _label(
            right + 120,
            30 + n_pad * CELL + 34,
            words("dA_prev: inside the dashed square", "dA_prev：虚线框以内", lang),
        ),
    ]
    return _svg(640, 230, body, words("convolution windows and their gradients", "卷积窗口及其梯度", lang))


def _shared(A_prev, f, s, dA, back):
    """The entry that is the first max of both windows, and the claims the picture makes about it, checked:
    max pooling sends it both windows' dA, and average pooling sends the columns both windows cover the sum of
    both dA over f². A ValueError (which fails the build) if nn.conv's numbers say otherwise."""
    rows = A_prev.shape[1]
    first, second = (np.unravel_index(np.argmax(A_prev[0, :, w : w + f, 0]), (rows, f)) for w in (0, s))
    both = dA[0, 0, 0, 0] + dA[0, 0, 1, 0]
    if (first[0], first[1]) != (second[0], s + second[1]):
        raise ValueError("the pooling picture's two windows no longer have the same first max")
    if back["max"][first] != both or not np.allclose(back["average"][:, s:f], both / (f * f)):
        raise ValueError("nn.conv.pool_backward no longer adds the two windows' shares where they overlap")
    return first


def pooling(lang: str = "en") -> str:
    """Max and average pooling, f = 3, s = 2 (two overlapping windows), with dA = 1 and 2 sent back by nn.conv."""
    f, s = 3, 2
    A_prev = np.array([[1, 3, 2, 0, 1], [0, 4, 9, 1, 2], [2, 1, 5, 3, 0]], dtype=float)[np.newaxis, :, :, np.newaxis]
    dA = np.array([[[[1.0], [2.0]]]])
    left, right = 20, 330
    values = {(r, c): f"{A_prev[0, r, c, 0]:g}" for r in range(3) for c in range(5)}
    A, cache = conv.pool_forward(A_prev, {"f": f, "stride": s}, "max")
    back = {mode: conv.pool_backward(dA, cache, mode)[0, :, :, 0] for mode in conv.POOL_MODES}
    shared = _shared(A_prev, f, s, dA, back)
    one, two, area = f"{dA[0, 0, 0, 0]:g}", f"{dA[0, 0, 1, 0]:g}", f * f
    body = [
        _label(
            left,
            18,
            words(
                f"max pooling: A = {A[0, 0, 0, 0]:g}, {A[0, 0, 1, 0]:g}",
                f"最大池化：A = {A[0, 0, 0, 0]:g}、{A[0, 0, 1, 0]:g}",
                lang,
            ),
        ),
        *_grid(left, 30, 3, 5, texts=values),
        _window(left, 30, 0, 0, f, BLUE),
        _window(left, 30, 0, s, f, ORANGE, "6 3"),
        _label(left, 110, words(f"dA = {one} (blue), {two} (orange)", f"dA = {one}（蓝）、{two}（橙）", lang)),
        _label(left, 140, words("max: all of dA to the max", "最大池化：dA 全部交给最大值", lang)),
        *_grid(
            left, 150, 3, 5, _two_windows(f, s), {(r, c): f"{back['max'][r, c]:g}" for r in range(3) for c in range(5)}
        ),
        _label(right, 140, words(f"average: dA/{area} to each entry", f"平均池化：每个元素得到 dA/{area}", lang)),
        *_grid(
            right,
            150,
            3,
            5,
            _two_windows(f, s),
            {(r, c): f"{area * back['average'][r, c]:g}/{area}" for r in range(3) for c in range(5)},
        ),
        _label(right, 18, words("overlapping windows add their shares:", "重叠的窗口把各自的份额相加：", lang)),
        _label(
            right,
            36,
            words(
                f"the {values[shared]} is in both windows and gets {one} + {two} = {back['max'][shared]:g}",
                f"{values[shared]} 在两个窗口里，得到 {one} + {two} = {back['max'][shared]:g}",
                lang,
            ),
        ),
        _label(
            right,
            54,
            words(
                f"(max); the shared column gets ({one} + {two})/{area}",
                f"（最大池化）；两个窗口共有的那一列得到 ({one} + {two})/{area}",
                lang,
            ),
        ),
        _label(right, 72, words("(average)", "（平均池化）", lang)),
    ]
    return _svg(640, 230, body, words("pooling windows and their gradients", "池化窗口及其梯度", lang))
