r"""The in-browser playground's assets: fetched once by ``dev.py``, copied into the site by this hook.

``python docs/playground.py`` (run by ``dev.py`` before it builds, serves or tests) downloads the pinned
Pyodide distribution from the npm registry (``npm pack``) and the pinned SymPy and mpmath wheels from
PyPI (``pip download``), checks each against its pinned sha256 and keeps them in ``.cache/playground/``.
Nothing is downloaded again while the files are there.

As an MkDocs hook it copies, after the build, what the page needs into ``site/playground/``: Pyodide's
core files (the interpreter, its standard library and its lock file; not its consoles, source maps or
type declarations), the two wheels, and the project's ``derivations`` package as a wheel built now from
the working tree (no ``nn``, no numpy). ``manifest.json`` lists the files the worker loads, or says that
the download could not be made, and the pages then say the playground is unavailable. The rest of the
site builds either way. It also writes the build's version and files into the playground's service
worker (``sw.js``), which keeps them, and a snapshot of the loaded Python, for the next pages.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "playground"
PYODIDE_VERSION = "314.0.8"
PYODIDE_SHA256 = "9a52704e0ae5b07aaacb8e4fed9f1658e8024694a078695ea45ac79dee4cefcb"
#: the files of the npm package the page loads (the rest are consoles, source maps and type declarations)
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
WHEELS = {
    "sympy-1.14.0-py3-none-any.whl": "e091cc3e99d2141a0ba2847328f5479b05d94a6635cb96148ccb3f34671bd8f5",
    "mpmath-1.3.0-py3-none-any.whl": "a0b2b9fe80bbcd81a6647ff13108738cfb482d481d826cc0e02f5b35e5c88d2c",
}
PYODIDE_DIR = CACHE / f"pyodide-{PYODIDE_VERSION}"
WHEEL_DIR = CACHE / "wheels"
#: SymPy and mpmath for Pyodide's Python, made once under node from the two wheels: each module the page
#: imports as bytecode (importing SymPy then takes about a second instead of compiling its sources in the
#: browser at every first use), the others as source, the test suites left out
COMPILED = CACHE / f"pyodide-{PYODIDE_VERSION}-{'-'.join(n.split('-')[0] + n.split('-')[1] for n in WHEELS)}.zip"
#: run in Pyodide under node: do what the page does, then pack the two packages, with a sourceless .pyc in
#: place of each module that was imported
COMPILE_PYTHON = """
import os, py_compile, sys, zipfile
import derivations.playground as playground
from derivations.exercises import EXERCISES, answer
for text in ("z / (1 + z**2)", "max(0, z)", "min(max(z, -1), 1)", "z * sigmoid(z)", "z*tanh(log(1 + exp(z)))"):
    playground.derive(text)
for key in EXERCISES:
    playground.check(key, answer(key))
    playground.check(key, "0")
root = os.getcwd()
imported = {getattr(module, "__file__", None) for module in list(sys.modules.values())}
with zipfile.ZipFile("/tmp/compiled.zip", "w", zipfile.ZIP_DEFLATED) as archive:
    for top in sorted(os.listdir(root)):
        if not top.startswith(("sympy", "mpmath")):
            continue
        for folder, folders, files in os.walk(os.path.join(root, top)):
            folders[:] = sorted(f for f in folders if f not in ("tests", "__pycache__"))
            for name in sorted(files):
                path = os.path.join(folder, name)
                if path in imported and name.endswith(".py"):
                    py_compile.compile(path, cfile=path + "c", doraise=True)
                    archive.write(path + "c", os.path.relpath(path + "c", root))
                else:
                    archive.write(path, os.path.relpath(path, root))
"""
COMPILE_NODE = """
import { readFileSync, writeFileSync } from "node:fs";
const [pyodide, output, python, ...wheels] = process.argv.slice(2);
const { loadPyodide } = await import(pyodide + "/pyodide.mjs");
const py = await loadPyodide({ indexURL: pyodide + "/" });
for (const wheel of wheels) py.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel");
py.runPython(readFileSync(python, "utf8"));
writeFileSync(output, py.FS.readFile("/tmp/compiled.zip"));
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def available() -> bool:
    """True when the cache holds every file the playground needs."""
    return all((PYODIDE_DIR / name).exists() for name in PYODIDE_FILES) and all(
        (WHEEL_DIR / name).exists() for name in WHEELS
    )


def fetch() -> str | None:
    """Download and check whatever is missing from the cache; return why it could not, or None."""
    CACHE.mkdir(parents=True, exist_ok=True)
    if not all((PYODIDE_DIR / name).exists() for name in PYODIDE_FILES):
        if shutil.which("npm") is None:
            return "npm is not installed, so the pinned Pyodide cannot be fetched from the npm registry"
        with tempfile.TemporaryDirectory() as temporary:
            packed = subprocess.run(
                ["npm", "pack", f"pyodide@{PYODIDE_VERSION}", "--silent"], cwd=temporary, capture_output=True, text=True
            )
            tarball = Path(temporary) / f"pyodide-{PYODIDE_VERSION}.tgz"
            if packed.returncode or not tarball.exists():
                return f"npm pack pyodide@{PYODIDE_VERSION} failed: {packed.stderr.strip()[-300:]}"
            if sha256(tarball) != PYODIDE_SHA256:
                return f"pyodide-{PYODIDE_VERSION}.tgz does not have its pinned sha256 {PYODIDE_SHA256}"
            partial = CACHE / "pyodide.partial"
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir()
            with tarfile.open(tarball) as archive:
                for name in PYODIDE_FILES:
                    member = archive.extractfile(f"package/{name}")
                    if member is None:
                        return f"pyodide-{PYODIDE_VERSION}.tgz has no {name}"
                    (partial / name).write_bytes(member.read())
            shutil.rmtree(PYODIDE_DIR, ignore_errors=True)
            partial.rename(PYODIDE_DIR)
    missing = [name for name in WHEELS if not (WHEEL_DIR / name).exists()]
    if missing:
        with tempfile.TemporaryDirectory() as temporary:
            pins = [name.split("-")[0] + "==" + name.split("-")[1] for name in missing]
            command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps"]
            if subprocess.call([*command, "--only-binary", ":all:", "-d", temporary, *pins]):
                return f"pip download {' '.join(pins)} failed"
            WHEEL_DIR.mkdir(exist_ok=True)
            for name in missing:
                wheel = Path(temporary) / name
                if not wheel.exists() or sha256(wheel) != WHEELS[name]:
                    return f"{name} is missing or does not have its pinned sha256 {WHEELS[name]}"
                shutil.copyfile(wheel, WHEEL_DIR / name)
    return None if COMPILED.exists() else compile_packages()


def compile_packages() -> str | None:
    """Make :data:`COMPILED` by running the page's work in Pyodide under node; return why it could not, or None."""
    if shutil.which("node") is None:
        return "node is not installed, so SymPy is compiled in the browser at each first use (slower)"
    print("compiling SymPy's bytecode for Pyodide (once, about a minute) ...", flush=True)
    with tempfile.TemporaryDirectory() as temporary:
        script, python = Path(temporary) / "compile.mjs", Path(temporary) / "compile.py"
        script.write_text(COMPILE_NODE)
        python.write_text(COMPILE_PYTHON)
        name, data = derivations_wheel()
        wheel = Path(temporary) / name
        wheel.write_bytes(data)
        partial = CACHE / "compiled.partial"
        wheels = [str(WHEEL_DIR / n) for n in WHEELS] + [str(wheel)]
        done = subprocess.run(
            ["node", str(script), str(PYODIDE_DIR), str(partial), str(python), *wheels], capture_output=True, text=True
        )
        if done.returncode or not partial.exists():
            return f"compiling SymPy's bytecode under node failed: {done.stderr.strip()[-300:]}"
        partial.rename(COMPILED)
    return None


def derivations_wheel() -> tuple[str, bytes]:
    """The ``derivations`` package as a wheel, named with a hash of its contents so browsers cache it safely."""
    files = {f"derivations/{path.name}": path.read_bytes() for path in sorted((ROOT / "derivations").glob("*.py"))}
    digest = hashlib.sha256(b"".join(name.encode() + data for name, data in files.items())).hexdigest()[:12]
    version = f"0.1.0+{digest}"
    info = f"backprop_derivations-{version}.dist-info"
    files[f"{info}/METADATA"] = f"Metadata-Version: 2.1\nName: backprop-derivations\nVersion: {version}\n".encode()
    files[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = [
        f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}"
        for name, data in files.items()
    ]
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in files.items():
            wheel.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return f"backprop_derivations-{version}-py3-none-any.whl", buffer.getvalue()


def copy_assets(site: Path) -> None:
    """Put Pyodide, the packages and ``manifest.json`` into ``site/playground/``, and stamp ``sw.js``.

    SymPy and mpmath go in compiled (:data:`COMPILED`) when that was made, else as their two wheels.
    Every file the worker loads has its version in its path (``pyodide-314.0.8/``, the wheels' names,
    the hash in the ``derivations`` wheel's name), so the service worker can keep each one for good;
    the build's version, a hash of those paths and of the worker's script, names its cache.
    When the cache is empty the manifest says so, and the pages say the playground is unavailable.
    """
    target = site / "playground"
    target.mkdir(parents=True, exist_ok=True)
    if not available():
        (target / "manifest.json").write_text(json.dumps({"available": False}))
        return
    pyodide = f"pyodide-{PYODIDE_VERSION}"
    (target / pyodide).mkdir(exist_ok=True)
    (target / "wheels").mkdir(exist_ok=True)
    packages = [COMPILED] if COMPILED.exists() else [WHEEL_DIR / n for n in WHEELS]
    for source, destination in [(PYODIDE_DIR / n, target / pyodide / n) for n in PYODIDE_FILES] + [
        (path, target / "wheels" / path.name) for path in packages
    ]:
        if not destination.exists() or destination.stat().st_size != source.stat().st_size:
            shutil.copyfile(source, destination)
    name, data = derivations_wheel()
    (target / "wheels" / name).write_bytes(data)
    archives = [f"wheels/{path.name}" for path in [*packages, Path(name)]]
    files = [f"{pyodide}/{n}" for n in PYODIDE_FILES] + archives
    script = (target / "worker.js").read_bytes()
    version = hashlib.sha256("\n".join(files).encode() + script).hexdigest()[:12]
    manifest = {
        "available": True,
        "version": version,
        "cache": f"playground-{version}",
        "pyodide": f"{pyodide}/pyodide.mjs",
        "archives": archives,
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1))
    worker = target / "sw.js"
    build = json.dumps({"version": version, "files": files})
    unbuilt = 'const BUILD = { version: "unbuilt", files: [] };'
    worker.write_text(worker.read_text().replace(unbuilt, f"const BUILD = {build};"))


def on_post_build(config) -> None:
    copy_assets(Path(config["site_dir"]))


if __name__ == "__main__":
    problem = fetch()
    if problem:
        print(f"note: the in-browser playground will be unavailable: {problem}", flush=True)
