"""The tutorial docs/extending.md, followed to the letter in a copy of the project.

The page shows the two edits by including docs/examples/softsign2_symbolic.py and
docs/examples/softsign2_numpy.py; this test appends exactly those files to the two registries
of a copy, runs the page's proving commands there as the page types them (``python3 dev.py test
ARGS`` is pytest with ARGS, here without its two workers), and checks that they pass and that the
softsign2 tests really ran. Breaking the numpy derivative in the copy must make them fail,
so the tutorial cannot rot into a page whose commands prove nothing.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"
EDITS = {"derivations/activations.py": "softsign2_symbolic.py", "nn/activations.py": "softsign2_numpy.py"}
#: How the page's commands run here: ``python`` is this interpreter, and ``python3 dev.py test`` is pytest.
RUNNERS = {
    "python -m derivations": [sys.executable, "-m", "derivations"],
    "python3 dev.py test": [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
}
#: The new class's Chinese summary (summary_zh), which the Chinese API reference shows.
SUMMARIES = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_api_summaries.py"]
TIMEOUT = 120


def proving_commands(page: str = "extending.md") -> list[list[str]]:
    """The commands of the page's "Prove it correct" step, each as this test runs it."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    (block,) = re.findall(r"```console\n((?:\$ (?:python -m derivations|python3 dev\.py test)\b.*\n)+)```", text)
    commands = []
    for line in block.splitlines():
        typed = line.removeprefix("$ ")
        runner = next(prefix for prefix in RUNNERS if typed.startswith(prefix + " "))
        commands.append([*RUNNERS[runner], *shlex.split(typed.removeprefix(runner))])
    return commands


def follow_the_tutorial(copy: Path) -> Path:
    """Copy the project and make the page's two edits: append each example file to its registry."""
    ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache", ".hypothesis")
    for folder in ("derivations", "nn", "tests", "docs", "sitemarkdown"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=ignore)
    for file in ("pyproject.toml", "mkdocs.yml", "README.md"):
        shutil.copy(ROOT / file, copy / file)
    for target, example in EDITS.items():
        with open(copy / target, "a", encoding="utf-8") as file:
            file.write("\n\n" + (EXAMPLES / example).read_text(encoding="utf-8"))
    return copy


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)


def test_both_languages_prove_it_with_the_same_two_commands():
    """The slow test below runs the English page's commands; the Chinese page must type the same ones."""
    assert proving_commands("extending.zh.md") == proving_commands("extending.md")


@pytest.mark.slow
def test_the_tutorial_edits_pass_the_proving_commands(tmp_path):
    copy = follow_the_tutorial(tmp_path)
    derive, test = proving_commands()
    derived = run(derive, copy)
    assert derived.returncode == 0, derived.stdout + derived.stderr
    assert "✓ activation.softsign2" in derived.stdout

    tested = run(test, copy)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    passed = re.search(r"(\d+) passed", tested.stdout)
    assert passed, f"no softsign2 test passed:\n{tested.stdout}"
    assert int(passed.group(1)) > 10, f"too few softsign2 tests ran:\n{tested.stdout}"
    assert "no tests ran" not in tested.stdout

    summarized = run(SUMMARIES, copy)
    assert summarized.returncode == 0, summarized.stdout + summarized.stderr

    numpy_side = copy / "nn" / "activations.py"
    correct = "return (1 - Z**2) / (1 + Z**2) ** 2"
    assert correct in numpy_side.read_text(encoding="utf-8")
    numpy_side.write_text(numpy_side.read_text(encoding="utf-8").replace(correct, "return 1 / (1 + Z**2) ** 2"))
    broken = run(test, copy)
    assert broken.returncode == 1, f"a wrong softsign2 derivative went unnoticed:\n{broken.stdout}"
    assert "softsign2" in broken.stdout
