"""The worked examples reproduce the numbers their pages show.

``python -m nn figures`` writes the tables that docs/experiments/ includes; this test writes
them afresh and compares them with the committed ones, so a page cannot show a number the
code no longer gives. About two minutes of CPU time (the square-error rerun alone steps
2 × 500000 epochs), so it is marked slow (it still runs in CI).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nn.cli import main

IMG = Path(__file__).resolve().parents[1] / "docs" / "experiments" / "img"


@pytest.mark.slow
def test_figures_command_reproduces_every_committed_table(tmp_path, capsys):
    assert main(["figures", str(tmp_path)]) == 0
    committed = sorted(path.name for path in IMG.glob("*.txt"))
    assert committed == sorted(path.name for path in tmp_path.glob("*.txt"))
    for name in committed:
        assert (tmp_path / name).read_text() == (IMG / name).read_text(), f"{name} no longer matches its page"
    assert sorted(path.name for path in IMG.glob("*.png")) == sorted(path.name for path in tmp_path.glob("*.png"))
