"""What the build serves for the in-browser playground (``docs/playground.py``), checked without a browser."""

from __future__ import annotations

import io
import json
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
    assert not (tmp_path / "playground" / "pyodide").exists()


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
