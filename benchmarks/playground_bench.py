"""Time the in-browser playground in headless Chromium with the network cut: where a start spends its time.

Serves the built site (``python3 dev.py build`` first) on 127.0.0.1 and, for each round, in a fresh browser
profile (empty caches, no service worker yet):

- cold: the first Derive on /derive/ (or /zh/derive/): Pyodide, SymPy and ``derivations`` come from the
  site, Python boots, SymPy is imported, ``z * exp(-z**2)`` is derived;
- warm: the second Derive on the same page, ``z / (2 + z**2)``, in the same worker;
- another page: once the first worker has stored its snapshot, the first Derive on the other language's
  derive page, whose new worker restores it from the service worker's cache;
- an exercise on another page: then the first check of an exercise on /activations/, which also builds
  that exercise's derivation (SymPy's own work, which no start-up saves).

Each start is split by the stages the page marks (``performance.mark``): before the worker reports
(service worker, worker script, manifest), loading Python (boot, or restoring the snapshot), writing the
packages, importing SymPy, running. Usage: ``python benchmarks/playground_bench.py [--rounds 3] [--site
site]``; prints medians and the machine's load average, which says how busy it was.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import itertools
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]  # fmt: skip
LIMIT_MS = 300_000


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def timed(page, click: str, done: str) -> tuple[float, dict[str, float]]:
    """Click ``click``, wait for ``done``; the seconds taken and the seconds of each stage the page marked."""
    page.evaluate("performance.clearMarks()")
    begin = page.evaluate("performance.now()")
    start = time.perf_counter()
    page.click(click)
    page.wait_for_selector(done, timeout=LIMIT_MS)
    seconds = time.perf_counter() - start
    marks = page.evaluate("performance.getEntriesByType('mark').map((m) => [m.name.split(' ')[1], m.startTime])")
    end = page.evaluate("performance.now()")
    times = [begin, *(at for _, at in marks), end]
    names = ["before", *(name for name, _ in marks)]
    return seconds, {name: (b - a) / 1000 for name, (a, b) in zip(names, itertools.pairwise(times), strict=True)}


def one_round(chromium, url: str, language: str) -> dict[str, tuple[float, dict[str, float]]]:
    """One reader's visit, in a new browser profile (not off the record, so the browser keeps compiled code)."""
    with tempfile.TemporaryDirectory() as profile:
        context = chromium.launch_persistent_context(profile, executable_path="/usr/bin/chromium", args=ARGS)
        try:
            return visit(context, url, language)
        finally:
            context.close()


def visit(context, url: str, language: str) -> dict[str, tuple[float, dict[str, float]]]:
    context.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
    page = context.new_page()
    page.goto(f"{url}{language}derive/")
    version = page.evaluate("fetch('/playground/manifest.json').then((r) => r.json()).then((m) => m.version)")
    result = {}
    for name, text in (("cold", "z * exp(-z**2)"), ("warm", "z / (2 + z**2)")):
        page.fill("#derive-input", text)
        page.evaluate("document.getElementById('derive-output').removeAttribute('data-status')")
        result[name] = timed(page, "#derive-button", "#derive-output[data-status='done']")
    stored = f"async () => (await caches.match('{url}playground/snapshot-{version}.bin')) !== undefined"
    page.wait_for_function(stored, timeout=LIMIT_MS)
    page.goto(f"{url}{'' if language else 'zh/'}derive/")
    page.fill("#derive-input", "z * tanh(log(1 + exp(z)))")
    result["another page"] = timed(page, "#derive-button", "#derive-output[data-status='done']")
    page.goto(f"{url}{language}activations/")
    box = ".exercise[data-exercise='sigmoid-prime']"
    page.fill(f"{box} input", "a*(1 - a)")
    result["exercise, another page"] = timed(page, f"{box} button.exercise-check", f"{box} [data-status='correct']")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    args = parser.parse_args()
    if not (args.site / "playground" / "manifest.json").exists():
        raise SystemExit(f"{args.site} has no playground: run python3 dev.py build first")
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as playwright:
        for language in ("", "zh/"):
            rounds = [one_round(playwright.chromium, url, language) for _ in range(args.rounds)]
            load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
            print(f"{language or 'en/'} (medians of {args.rounds}; {load}):")
            for name in rounds[0]:
                seconds = statistics.median(r[name][0] for r in rounds)
                names = dict.fromkeys(stage for r in rounds for stage in r[name][1])
                stages = {s: statistics.median(r[name][1].get(s, 0.0) for r in rounds) for s in names}
                split = ", ".join(f"{stage} {value:.2f}" for stage, value in stages.items())
                print(f"  {name}: {seconds:.2f} s ({split})")
    server.shutdown()


if __name__ == "__main__":
    main()
