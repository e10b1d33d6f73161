r"""Render every formula of the site with math-core and with latex2mathml, side by side, in Chromium.

The site draws its math with ``sitemarkdown.mathml`` (math-core). This script is how that choice was made
and how it can be remade: it builds the site once (both languages) while recording every formula
the extension converts, renders each distinct one with both converters in one HTML table, opens
it in headless Chromium (``/usr/bin/chromium``), and writes

- ``all-NN.png``: every formula, ``--rows`` per screenshot, TeX | latex2mathml | math-core;
- ``differences.png``: only the formulas whose two renderings differ in size by more than
  ``--tolerance`` (a cheap way to find the rows worth looking at), plus the failures;
- a summary on stdout: formulas, failures of each converter, formulas that differ.

latex2mathml is not a dependency of the project; install it to run this
(``pip install latex2mathml``). Its converter here is the one the site used before math-core,
with the same two rewrites (an underscore in ``\operatorname``, ``\boxed`` as a framed mrow).

Usage::

    python benchmarks/compare_math.py OUT_DIR [--rows 40] [--tolerance 0.15]
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The relative difference in size that flags a row by default (docs/maintenance.md quotes it).
TOLERANCE = 0.15


def collect_formulas() -> list[tuple[str, bool]]:
    """Build the site into a temporary directory and return every distinct (TeX, display) it renders."""
    import os

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.chdir(ROOT)
    sys.path[:0] = [str(ROOT), str(ROOT / "docs")]
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from sitemarkdown import mathml

    seen: dict[tuple[str, bool], None] = {}
    convert = mathml.tex_to_mathml

    def recording(tex: str, display: bool) -> str:
        seen[(tex.strip(), display)] = None
        return convert(tex, display)

    mathml.tex_to_mathml = recording
    try:
        with tempfile.TemporaryDirectory() as site_dir:
            build(load_config(str(ROOT / "mkdocs.yml"), site_dir=site_dir, strict=True))
    finally:
        mathml.tex_to_mathml = convert
    return list(seen)


def latex2mathml_render(tex: str, display: bool) -> str:
    """The site's former converter: latex2mathml with its two rewrites."""
    import latex2mathml.converter

    from sitemarkdown.mathml import OPERATORNAME

    names: list[str] = []

    def placeholder(match: re.Match) -> str:
        names.append(match.group(1).replace(r"\_", "_"))
        return rf"\text{{@op{len(names) - 1}@}}"

    mathml = latex2mathml.converter.convert(
        OPERATORNAME.sub(placeholder, tex), display="block" if display else "inline"
    )
    for number, name in enumerate(names):
        mathml = mathml.replace(f"<mtext>@op{number}@</mtext>", f"<mi>{html.escape(name)}</mi>")
    return mathml.replace('<menclose notation="box">', '<mrow class="boxed">').replace("</menclose>", "</mrow>")


def render_both(formulas):
    """Each formula's two renderings; a converter's exception becomes a visible error cell."""
    from sitemarkdown import mathml

    rows = []
    for tex, display in formulas:
        cells = []
        for render in (latex2mathml_render, mathml.tex_to_mathml):
            try:
                cells.append((render(tex, display), None))
            except Exception as error:  # any failure is a result to show
                cells.append(("", f"{type(error).__name__}: {error}"))
        rows.append((tex, display, cells))
    return rows


def page(rows) -> str:
    css = (ROOT / "docs" / "stylesheets" / "extra.css").read_text()
    body = []
    for number, (tex, display, cells) in enumerate(rows):
        rendered = "".join(
            f'<td class="r{side}">{mathml if error is None else f"<b class=error>{html.escape(error)}</b>"}</td>'
            for side, (mathml, error) in enumerate(cells)
        )
        kind = "display" if display else "inline"
        body.append(f'<tr id="f{number}"><td class="tex"><code>{html.escape(tex)}</code><br>{kind}</td>{rendered}</tr>')
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>{css}
body {{ font-family: sans-serif; margin: 8px; }}
table {{ border-collapse: collapse; width: 1500px; table-layout: fixed; }}
td {{ border: 1px solid #ccc; padding: 6px; vertical-align: middle; font-size: 17px; overflow: hidden; }}
td.tex {{ width: 420px; font-size: 11px; word-break: break-all; color: #444; }}
th {{ background: #eee; }}
.error {{ color: #b00; font-size: 11px; }}
</style></head><body><table><thead><tr><th>TeX</th><th>latex2mathml</th><th>math-core (sitemarkdown)</th></tr></thead>
<tbody>{"".join(body)}</tbody></table></body></html>"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="directory for the screenshots")
    parser.add_argument("--rows", type=int, default=40, help="formulas per screenshot")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE, help="relative size difference that flags a row")
    args = parser.parse_args(argv)
    try:
        import latex2mathml  # noqa: F401
    except ImportError:
        parser.error("latex2mathml is not installed: pip install latex2mathml")
    from playwright.sync_api import sync_playwright

    formulas = collect_formulas()
    rows = render_both(formulas)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "formulas.html").write_text(page(rows))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        tab = browser.new_page(viewport={"width": 1520, "height": 900})
        tab.route(
            "**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_()
        )
        tab.goto((args.out / "formulas.html").resolve().as_uri())
        sizes = tab.evaluate(
            """() => [...document.querySelectorAll('tbody tr')].map(tr => [...tr.querySelectorAll('td.r0, td.r1')]
                 .map(td => { const m = td.querySelector('math'); if (!m) return null;
                              const r = m.getBoundingClientRect(); return [r.width, r.height]; }))"""
        )
        flagged = []
        for number, (left, right) in enumerate(sizes):
            if left is None or right is None:
                flagged.append(number)
                continue
            (w0, h0), (w1, h1) = left, right
            if abs(w0 - w1) > args.tolerance * max(w0, w1) or abs(h0 - h1) > args.tolerance * max(h0, h1):
                flagged.append(number)
        for start in range(0, len(rows), args.rows):
            tab.evaluate(
                "([a, b]) => document.querySelectorAll('tbody tr').forEach((tr, i) =>"
                " tr.style.display = i >= a && i < b ? '' : 'none')",
                [start, start + args.rows],
            )
            tab.screenshot(path=str(args.out / f"all-{start // args.rows:02d}.png"), full_page=True)
        tab.evaluate(
            "(keep) => document.querySelectorAll('tbody tr').forEach((tr, i) =>"
            " tr.style.display = keep.includes(i) ? '' : 'none')",
            flagged,
        )
        tab.screenshot(path=str(args.out / "differences.png"), full_page=True)
        browser.close()
    failures = [sum(cells[side][1] is not None for _, _, cells in rows) for side in (0, 1)]
    print(f"{len(rows)} distinct formulas on the site ({sum(d for _, d, _ in rows)} display, "
          f"{sum(not d for _, d, _ in rows)} inline)")  # fmt: skip
    print(f"failures: latex2mathml {failures[0]}, math-core {failures[1]}")
    print(f"rendered sizes differ by more than {args.tolerance:.0%} (or a converter failed): {len(flagged)}")
    for number in flagged:
        tex, display, _ = rows[number]
        print(f"  [{number}] {'display' if display else 'inline'}: {tex[:110]}")
    print(f"screenshots: {args.out}/all-*.png ({-(-len(rows) // args.rows)} files), {args.out}/differences.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
