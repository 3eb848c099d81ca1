"""assignments/ is exactly what nbgrader generates from solutions/, and holds no hidden test,
no solution code and no hidden expected value."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.grading_harness import secret_lines

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(p.name for p in (ROOT / "solutions").iterdir()
                 if p.is_dir() and list(p.glob("*.ipynb")))
pytestmark = pytest.mark.slow


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".ipynb_checkpoints" not in p.parts}


def test_committed_release_matches_a_fresh_generation(tmp_path):
    assert SOURCES, "no assignment sources in solutions/"
    out = subprocess.run([sys.executable, "-m", "dlcore.grading", "assignments",
                          "--release-dir", str(tmp_path)], cwd=ROOT, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    for aid in SOURCES:
        fresh, committed = _files(tmp_path / aid), _files(ROOT / "assignments" / aid)
        assert set(fresh) == set(committed), aid
        for name in fresh:
            assert fresh[name] == committed[name], (
                f"assignments/{aid}/{name} differs from what nbgrader generates from "
                f"solutions/; run `make assignments` and commit the result")


@pytest.mark.parametrize("aid", SOURCES)
def test_release_has_no_hidden_tests_or_solutions(aid):
    hidden, solution = secret_lines(aid)
    text = "\n".join(p.read_text() for p in (ROOT / "assignments" / aid).rglob("*.ipynb"))
    nb_text = "\n".join(
        c.source for p in (ROOT / "assignments" / aid).rglob("*.ipynb")
        for c in nbformat.read(p, as_version=4).cells)
    for line in hidden:
        assert line not in nb_text and line not in text, f"hidden test line in release: {line}"
    for line in solution:
        assert line not in nb_text, f"solution line in release: {line}"
    assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text


@pytest.mark.parametrize("aid", SOURCES)
def test_every_release_notebook_is_clean(aid):
    for p in (ROOT / "assignments" / aid).rglob("*.ipynb"):
        nb = nbformat.read(p, as_version=4)
        for c in nb.cells:
            if c.cell_type == "code":
                assert not c.outputs and c.execution_count is None
