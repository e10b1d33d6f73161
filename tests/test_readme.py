"""README's example runs as written and trains the network it shows, its budgets table names the
benchmarked networks by their sizes and counts the everyday tests it timed. (Its counts of derivations,
slow proofs and mutants are held by test_derivations.py and test_mutation_pages.py, which own those lists.)"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest
from site_html import MAX_PAGE_BYTES
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


@pytest.mark.slow
def test_the_budgets_count_the_everyday_tests_as_pytest_collects_them():
    """The suite's timing is stated with its number of tests: a test added or removed changes both."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (count,) = stated(readme, r"on the idle machine \((\d+) tests\)")
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
    collected = subprocess.run(
        [*command, "-m", "not browser and not slow"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    (selected,) = stated(collected.stdout, r"\n(\d+)/\d+ tests collected")
    assert int(count) == int(selected), f"README.md says {count} tests; the everyday suite has {selected}"


def test_the_page_weight_budget_is_the_one_the_browser_test_asserts():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    budget, asserted = stated(readme, r"heaviest page with its assets \| ≤ ([\d.]+) MB \| asserted under ([\d.]+) MB")
    assert float(budget) * 1e6 == float(asserted) * 1e6 == MAX_PAGE_BYTES, f"README.md states {budget} MB"


def test_the_gradient_check_timings_are_the_ones_the_gradcheck_page_measured():
    """README's two gradient-check rows summarize docs/gradcheck.md's budgets table: the same runs, so the same
    figures (the failing range spans both failing rows; the full row is the page's full one)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    passing, failing = stated(readme, r"\| ([\d.]+) s passing, ([\d.]+–[\d.]+) s failing")
    (full,) = stated(readme, r"gradient check, full, \d+ parameters \| ≤ \d+ s \| ([\d.–]+) s \|")
    rows = [line.split(" | ") for line in (ROOT / "docs" / "gradcheck.md").read_text().splitlines()]
    times = [(row[2], row[3].split(":")[0], row[4].removesuffix(" s |")) for row in rows if len(row) == 5]
    assert [passing] == [time for mode, check, time in times if (mode, check) == ("`directional`", "passing")]
    bounds = [bound for _, check, time in times if check == "failing" for bound in time.split("–")]
    assert failing == f"{min(bounds, key=float)}–{max(bounds, key=float)}", bounds
    assert [full] == [time for mode, check, time in times if (mode, check) == ("`full`", "passing")]


def test_the_everyday_suites_time_in_each_language_is_the_one_the_budgets_table_measured():
    """The prose's 'about 19 s' (约 19 秒) lies in the measured range of the budgets table's row, in both languages,
    and the whole suite's minutes are the same in both."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (english,) = stated(readme, r"the everyday suite \(about (\d+) s\)")
    (chinese,) = stated(readme, r"只运行日常测试（约 (\d+) 秒）")
    low, high = stated(readme, r"\| ([\d.]+)–([\d.]+) s wall on 2 workers")
    assert english == chinese
    assert round(float(low)) <= int(english) <= round(float(high)), f"about {english} s, measured {low}–{high} s"
    assert stated(readme, r"about (\d+) minutes in\s+all") == stated(readme, r"共约 (\d+) 分钟")


def test_the_readme_says_where_its_python_commands_run():
    """The commands written `python …` (a benchmark, the mutation catalogue, `python -m nn check`) need the packages
    dev.py installs into .venv, and Debian has no `python` outside a venv: both languages say to run them there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"`python (?:-m |benchmarks/)", readme)
    for said in ("activate it first (`source .venv/bin/activate`) or\nwrite `.venv/bin/python` for `python`",
                 "先激活它（`source .venv/bin/activate`），或者把 `python` 换成 `.venv/bin/python`"):  # fmt: skip
        assert said in readme
    if sys.prefix != sys.base_prefix:  # run from a venv, as dev.py makes one: it has the script the README names
        assert (Path(sys.prefix) / "bin" / "activate").exists()
