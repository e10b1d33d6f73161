"""README's example runs as written and trains the network it shows."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_example_runs():
    (code,) = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    cost_before, cost_after, accuracy = re.search(r"cost ([\d.]+) -> ([\d.]+), accuracy (\d+)%", result.stdout).groups()
    assert float(cost_after) < float(cost_before)
    assert int(accuracy) >= 90
