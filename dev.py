#!/usr/bin/env python3
"""Set up everything and run the project: ``python3 dev.py serve`` or ``python3 dev.py test``.

Needs only Python 3.10+ and git. The first run creates ``.venv`` and installs the project with
its test and docs extras; later runs reinstall only when pyproject.toml changes. The browser
test needs Debian's chromium at /usr/bin/chromium; when it is missing and this runs as root
with apt-get available, ``test`` installs it.

Commands:
    serve    verify every derivation, then build the docs site and serve it on http://127.0.0.1:8000
             (extra arguments go to ``mkdocs serve``, e.g. ``-a 127.0.0.1:8001`` for another port)
    test     run the whole test suite on two workers (extra arguments go to pytest)
    derive   run ``python -m derivations`` (extra arguments go to it)
    build    build the docs site with ``mkdocs build --strict`` into site/
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
CHROMIUM = Path("/usr/bin/chromium")


def run(*command: str | Path, env: dict | None = None) -> int:
    return subprocess.call([str(c) for c in command], cwd=ROOT, env=env)


def ensure_environment() -> None:
    """Create .venv and install the project (editable, with extras) when pyproject.toml changed."""
    if sys.version_info < (3, 10):  # noqa: UP036  (dev.py may be started by an older python3)
        sys.exit(f"Python 3.10 or newer is needed; this is {sys.version.split()[0]}")
    stamp = VENV / ".installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    if not PYTHON.exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing the project with its test and docs extras into .venv ...", flush=True)
    if run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", ".[test,docs]"):
        sys.exit("pip install failed; see the messages above")
    stamp.write_text(wanted)


def address(args: list[str]) -> tuple[str, int]:
    """The host and port ``mkdocs serve`` will listen on: its ``-a``/``--dev-addr`` if given, else 127.0.0.1:8000."""
    value = "127.0.0.1:8000"
    for i, arg in enumerate(args):
        if arg in {"-a", "--dev-addr"} and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--dev-addr="):
            value = arg.split("=", 1)[1]
    host, _, port = value.rpartition(":")
    return host or "127.0.0.1", int(port)


def port_is_free(host: str, port: int) -> bool:
    """Whether a server could listen on ``host:port`` now (mkdocs sets SO_REUSEADDR too)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def serve(args: list[str], env: dict) -> int:
    """``mkdocs serve`` as a child that stops with us: SIGTERM (or SIGHUP) to dev.py stops mkdocs too."""
    child = subprocess.Popen(
        [str(PYTHON), "-m", "mkdocs", "serve", "--strict", "-a", "127.0.0.1:8000", *args], cwd=ROOT, env=env
    )

    stopped = []

    def stop(signum, frame):  # pass the signal on; the wait below returns when mkdocs has stopped
        stopped.append(signum)
        child.terminate()

    for name in ("SIGTERM", "SIGHUP"):  # Windows has no SIGHUP
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)
    try:
        status = child.wait()
    except KeyboardInterrupt:  # Ctrl-C reaches the child too (same process group); let it finish
        status = child.wait()
    return 128 + stopped[0] if stopped else status


def ensure_chromium() -> None:
    """The browser test drives Debian's chromium; install it when we can."""
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("installing Debian's chromium for the browser test ...", flush=True)
        quiet = {"stdout": subprocess.DEVNULL}
        if subprocess.call(["apt-get", "update", "-q"], **quiet) or subprocess.call(
            ["apt-get", "install", "-y", "-q", "chromium"],
            **quiet,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        ):
            sys.exit("apt-get install chromium failed")
    else:
        print(
            f"note: {CHROMIUM} is missing, so the browser test will fail; install it with "
            "`sudo apt-get install chromium`",
            flush=True,
        )


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"serve", "test", "derive", "build"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_environment()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # Python's default: keep the bytecode of the project and of the rewritten tests between runs,
    # instead of recompiling them in every test worker when the environment turns the cache off.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if command in {"serve", "test", "build"}:  # the in-browser playground's Pyodide and wheels, once
        run(PYTHON, ROOT / "docs" / "playground.py", env=env)
    if command == "test":
        ensure_chromium()
        return run(PYTHON, "-m", "pytest", "-n", "2", "--dist", "loadfile", *rest, env=env)
    if command == "derive":
        return run(PYTHON, "-m", "derivations", *rest, env=env)
    if command == "build":
        return run(PYTHON, "-m", "mkdocs", "build", "--strict", *rest, env=env)
    host, port = address(rest)
    if not port_is_free(host, port):
        print(
            f"port {port} on {host} is busy (an earlier `dev.py serve`?): stop that server, "
            f"or serve on another port with `python3 dev.py serve -a {host}:{port + 1}`",
            file=sys.stderr,
        )
        return 1
    status = run(PYTHON, "-m", "derivations", "--quiet", env=env)
    if status:
        return status
    return serve(rest, env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
