"""README's example runs as written and trains the network it shows, and its budgets table names the
benchmarked networks by their sizes. (Its counts of derivations, slow proofs and mutants are held by
test_derivations.py and test_mutation_pages.py, which own those lists.)"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path

from support import benchmark, stated

ROOT = Path(__file__).resolve().parents[1]


def test_readme_example_runs():
    (code,) = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    cost_before, cost_after, accuracy = re.search(r"cost ([\d.]+) -> ([\d.]+), accuracy (\d+)%", result.stdout).groups()
    assert float(cost_after) < float(cost_before)
    assert int(accuracy) >= 90


def test_the_budgets_name_the_benchmarked_networks_by_their_parameters():
    bench = benchmark("gradcheck_bench")

    def parameters(dims):
        return sum(n * n_prev + n for n_prev, n in itertools.pairwise(dims))

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (large,) = stated(readme, r"directional, ([\d.]+)M parameters")
    assert float(large) == round(parameters(bench.LARGE) / 1e6, 2), f"{bench.LARGE} has {parameters(bench.LARGE):,}"
    (small,) = stated(readme, r"full, (\d+) parameters")
    assert int(small) == parameters(bench.SMALL), f"{bench.SMALL} has {parameters(bench.SMALL)} parameters"
