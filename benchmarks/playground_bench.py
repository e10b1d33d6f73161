"""Time the in-browser playground: the first derivation (cold), the second on the same page (warm), and the
first use on another page, in headless Chromium with the network cut.

Serves the built site (``python3 dev.py build`` first) on 127.0.0.1, opens /derive/ (or /zh/derive/) in a
fresh browser context, and for each round:

- cold: the first click on Derive, which loads Pyodide, SymPy and ``derivations`` from the site, imports
  them and derives ``z * exp(-z**2)``;
- warm: the second click, ``z / (2 + z**2)``, in the same worker;
- next page: in the same context (HTTP cache filled), the first check of an exercise on /activations/,
  which starts a new worker.

Usage: ``python benchmarks/playground_bench.py [--rounds 3] [--site site]``; prints the medians and the
machine's load average, which says how busy it was.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
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


def one_round(browser, url: str, language: str) -> tuple[float, float, float]:
    context = browser.new_context()
    context.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
    page = context.new_page()
    page.goto(f"{url}{language}derive/")
    times = []
    for text in ("z * exp(-z**2)", "z / (2 + z**2)"):
        page.fill("#derive-input", text)
        start = time.perf_counter()
        page.click("#derive-button")
        page.wait_for_selector("#derive-output[data-status='done']", timeout=LIMIT_MS)
        times.append(time.perf_counter() - start)
    page.goto(f"{url}{language}activations/")
    box = page.locator(".exercise[data-exercise='sigmoid-prime']")
    box.locator("input").fill("a*(1 - a)")
    start = time.perf_counter()
    box.locator("button.exercise-check").click()
    page.wait_for_selector(".exercise[data-exercise='sigmoid-prime'] [data-status='correct']", timeout=LIMIT_MS)
    times.append(time.perf_counter() - start)
    context.close()
    return times[0], times[1], times[2]


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
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for language in ("", "zh/"):
            rounds = [one_round(browser, url, language) for _ in range(args.rounds)]
            cold, warm, other = (statistics.median(column) for column in zip(*rounds, strict=True))
            load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
            print(
                f"{language or 'en/'}: cold {cold:.1f} s, warm {warm:.2f} s, first use on another page {other:.1f} s "
                f"(medians of {args.rounds}; {load})"
            )
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
