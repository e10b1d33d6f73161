"""What the build serves for the in-browser playground (``docs/playground.py``), checked without a browser."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs"))
import playground  # noqa: E402  (docs/playground.py, the build hook)


def test_the_derivations_wheel_holds_derivations_only():
    name, data = playground.derivations_wheel()
    files = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert name.startswith("backprop_derivations-")
    assert name.endswith("-py3-none-any.whl")
    assert "derivations/playground.py" in files
    assert all(f.startswith(("derivations/", "backprop_derivations-")) for f in files), files


def test_without_the_download_the_pages_are_told_the_playground_is_unavailable(tmp_path, monkeypatch):
    monkeypatch.setattr(playground, "PYODIDE_DIR", tmp_path / "nothing")
    playground.copy_assets(tmp_path)
    assert json.loads((tmp_path / "playground" / "manifest.json").read_text()) == {"available": False}
    assert [path.name for path in (tmp_path / "playground").iterdir()] == ["manifest.json"]


@pytest.mark.slow
def test_the_wheel_imports_and_derives_without_numpy(tmp_path):
    """Pyodide has no numpy: the playground's modules and every derivation must build without it."""
    _name, data = playground.derivations_wheel()
    zipfile.ZipFile(io.BytesIO(data)).extractall(tmp_path)
    script = (
        "import sys; sys.modules['numpy'] = None\n"
        "import derivations, json\n"
        "from derivations import playground\n"
        "[derivations.get(key) for key in derivations.keys()]\n"
        "print(json.loads(playground.check('sigmoid-prime', 'a*(1 - a)'))['status'])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "correct"


def _build(site: Path) -> dict:
    """``copy_assets`` into ``site`` from a stand-in download (tiny files), as the build hook runs it."""
    (site / "playground").mkdir(parents=True, exist_ok=True)
    for name in ("sw.js", "worker.js"):
        (site / "playground" / name).write_text((ROOT / "docs" / "playground" / name).read_text())
    playground.copy_assets(site)
    return json.loads((site / "playground" / "manifest.json").read_text())


def test_each_build_names_its_cache_and_the_service_worker_knows_its_files(tmp_path, monkeypatch):
    pyodide, wheels = tmp_path / "pyodide", tmp_path / "wheels"
    pyodide.mkdir()
    wheels.mkdir()
    for name in playground.PYODIDE_FILES:
        (pyodide / name).write_text(name)
    for name in playground.WHEELS:
        (wheels / name).write_text(name)
    monkeypatch.setattr(playground, "PYODIDE_DIR", pyodide)
    monkeypatch.setattr(playground, "WHEEL_DIR", wheels)
    monkeypatch.setattr(playground, "COMPILED", tmp_path / "not-compiled.zip")
    wheel = "backprop_derivations-0.1.0+{}-py3-none-any.whl"
    monkeypatch.setattr(playground, "derivations_wheel", lambda: (wheel.format("aaa"), b"a"))
    first = _build(tmp_path / "one")
    monkeypatch.setattr(playground, "derivations_wheel", lambda: (wheel.format("bbb"), b"b"))
    second = _build(tmp_path / "two")
    assert first["version"] != second["version"], "a new derivations wheel must open a new cache"
    assert second["cache"] == f"playground-{second['version']}"
    assert second["archives"][-1] == f"wheels/{wheel.format('bbb')}"
    worker = (tmp_path / "two" / "playground" / "sw.js").read_text()
    build = json.loads(re.search(r"const BUILD = (\{.*\});", worker).group(1))
    assert build["version"] == second["version"]
    # every file the worker fetches is kept by the service worker, each under a versioned path
    assert set(build["files"]) == {second["pyodide"].replace("pyodide.mjs", n) for n in playground.PYODIDE_FILES} | set(
        second["archives"]
    )
    assert all(f"pyodide-{playground.PYODIDE_VERSION}/" in f or f.startswith("wheels/") for f in build["files"])
    for file in build["files"]:
        assert (tmp_path / "two" / "playground" / file).exists(), file


@pytest.mark.slow
def test_the_first_check_downloads_what_the_pages_say(built_site):
    """The pages tell a reader the first Check loads "about 20 MB": the files the worker fetches, as built."""
    manifest = json.loads((built_site / "playground" / "manifest.json").read_text())
    if not manifest["available"]:
        pytest.skip("the playground's files were not fetched (no npm), so the site serves no playground")
    base = built_site / "playground" / Path(manifest["pyodide"]).parent
    files = [base / name for name in playground.PYODIDE_FILES]
    files += [built_site / "playground" / archive for archive in manifest["archives"]]
    total = sum(file.stat().st_size for file in files)
    said = re.compile(r"(?:Python and SymPy, about|downloads about|Python 和 SymPy，约|下载约) (\d+) MB")
    pages = built_site.rglob("*.html")  # as built: the exercise pages print their intro from docs/_site.py
    stated = [int(n) for page in pages for n in said.findall(page.read_text(encoding="utf-8"))]
    assert len(stated) >= 10, f"the sentence about the download was not found: {stated}"
    assert set(stated) == {20}, f"the pages state the download as {stated} MB"
    assert 15e6 <= total <= 25e6, f"the first check downloads {total / 1e6:.1f} MB, not about 20 MB"
