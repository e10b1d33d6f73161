"""The complete ``nn.train`` calls that the course's second part shows, one file per page in docs/examples/.

Each page includes its file (``--8<--``), so the code a reader copies is the code these tests run.
"""

from __future__ import annotations

import contextlib
import io
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {
    "initialization": "train_initialization.py",
    "regularization": "train_regularization.py",
    "optimizers": "train_optimizers.py",
    "batch-norm": "train_batch_norm.py",
}


@pytest.mark.parametrize("page", EXAMPLES)
@pytest.mark.parametrize("suffix", [".md", ".zh.md"])
def test_each_course_2_page_includes_its_train_call(page, suffix):
    text = (ROOT / "docs" / f"{page}{suffix}").read_text(encoding="utf-8")
    assert f'--8<-- "docs/examples/{EXAMPLES[page]}"' in text


def run(page: str) -> list[str]:
    """The lines the page's example prints."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(str(ROOT / "docs" / "examples" / EXAMPLES[page]), run_name="__main__")
    return out.getvalue().splitlines()


@pytest.mark.slow
def test_the_initialization_example_shows_zeros_stuck_and_he_learning():
    zeros, small, he = run("initialization")
    assert zeros == "init=zeros: cost 0.693 -> 0.693, training accuracy 50.0%", "all-zero weights stay symmetric"
    assert small.startswith("init=small: cost 0.693 -> ")
    assert float(he.split("-> ")[1].split(",")[0]) < 0.3


@pytest.mark.slow
def test_the_regularization_example_trains_with_l2_and_dropout():
    lines = run("regularization")
    assert [line.split(":")[0] for line in lines] == ["no regularization", "{'lambd'", "{'keep_prob'"]


@pytest.mark.slow
def test_the_optimizers_example_shows_adam_ahead_of_gd():
    costs = {line.split(":")[0]: float(line.split("cost ")[1].split()[0]) for line in run("optimizers")}
    assert list(costs) == ["gd", "momentum", "adam"]
    assert costs["adam"] < costs["gd"]


@pytest.mark.slow
def test_the_batch_norm_example_trains_both_ways():
    lines = run("batch-norm")
    assert [line.split(":")[0] for line in lines] == ["batch_norm=False", "batch_norm=True"]
