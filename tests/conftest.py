"""The built docs site, shared by the tests that read it (``test_languages.py``, ``test_browser.py``);
and the garbage collector tuned for a test run."""

from __future__ import annotations

import atexit
import fcntl
import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: SymPy and numpy make many short-lived objects, and with Python's default thresholds the collector
#: runs about a thousand times in a worker, a tenth of its time. Collecting less often frees the same
#: garbage later; pytest still collects at the end of the session to report what a finalizer raised.
gc.set_threshold(50_000, 20, 100)

#: When the interpreter exits, everything left is frozen first. Python tears its modules down with full
#: collections of every object still alive, half a second in a worker after SymPy's caches and the derivations,
#: and the run waits for its last worker to exit; the memory goes back to the system with the process anyway.
#: Atexit handlers run after pytest is done, so its own collection at the end still reports what a finalizer raised.
atexit.register(gc.freeze)


def pytest_collection_finish(session: pytest.Session) -> None:
    """The modules and test items live for the whole run: keep them out of every later collection.

    They are frozen as they are: a full collection first took a tenth of a second of each worker's start,
    and freed little."""
    gc.freeze()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After a test file's last test, once its fixtures are torn down: collect, then freeze what survives.

    What outlives a file (SymPy's caches, the derivations, functools caches of the tests) stays for the run,
    and pytest's collections at the end of the session then no longer walk it again (a third of a second of
    the last worker's end). Each file's garbage is collected here, so a finalizer's error is still reported,
    on the next test."""
    yield
    if nextitem is not None and nextitem.path != item.path:
        gc.collect()
        gc.freeze()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site (both languages) built once per test run with ``mkdocs build --strict``.

    Both languages take about 30 s of CPU, so the pytest-xdist workers of one run share one
    build: the first to get here builds it under a lock, the others wait and reuse it.
    """
    from site_html import SITE_URL  # the tests that read the site import it; pytest's controller needs none of it

    directory = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        directory = directory.parent  # this run's directory, shared by its workers
    site, failure = directory / "site", directory / "site-build-failed.txt"
    with open(directory / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (site / "index.html").exists() and not failure.exists():
            build = subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                cwd=ROOT,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": SITE_URL},
                capture_output=True,
                text=True,
                check=False,
            )
            if build.returncode != 0:
                failure.write_text(f"mkdocs build --strict failed:\n{build.stdout[-3000:]}\n{build.stderr[-6000:]}")
    if failure.exists():
        pytest.fail(failure.read_text())
    return site
