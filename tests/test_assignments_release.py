"""assignments/ is exactly what nbgrader generates from solutions/, and holds no hidden test,
no solution code and no hidden expected value; each assignment states its points (as many as
its cells carry) and an expected time; every solution notebook runs from top to bottom."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.grading_harness import cell, secret_lines, solution_nb

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(p.name for p in (ROOT / "solutions").iterdir()
                 if p.is_dir() and list(p.glob("*.ipynb")))


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".ipynb_checkpoints" not in p.parts}


@pytest.mark.slow
def test_committed_release_matches_a_fresh_generation(tmp_path):
    assert SOURCES, "no assignment sources in solutions/"
    out = subprocess.run([sys.executable, "-m", "grader", "assignments",
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


TOTAL = re.compile(r"\*\*Total: (\d+) points\*\* \((\d+) autograded, (\d+) graded by hand\)\. "
                   r"\*\*Expected time:\*\* about \d+(?:\.5)? hours?\b")
HEADING = re.compile(r"^## (\d+)\. .*\((\d+) points?(, graded by hand)?\)$", re.M)


def _points(c) -> tuple[float, float]:
    """(autograded, graded by hand) points of one cell."""
    meta = c.get("metadata", {}).get("nbgrader", {})
    if not meta.get("grade"):
        return 0.0, 0.0
    pts = float(meta.get("points", 0))
    manual = c.cell_type == "markdown" or meta.get("solution")
    return (0.0, pts) if manual else (pts, 0.0)


@pytest.mark.parametrize("aid", SOURCES)
def test_each_assignment_states_its_points_and_time(aid):
    nb = solution_nb(aid)
    intro = " ".join(cell(nb, "intro").source.split())
    m = TOTAL.search(intro)
    assert m, f"{aid}: the intro must state 'Total: N points (A autograded, M graded by hand). " \
              f"Expected time: about H hours.'"
    auto = sum(_points(c)[0] for c in nb.cells)
    manual = sum(_points(c)[1] for c in nb.cells)
    assert (int(m[1]), int(m[2]), int(m[3])) == (auto + manual, auto, manual)


@pytest.mark.parametrize("aid", SOURCES)
def test_each_exercise_heading_states_its_points(aid):
    nb = solution_nb(aid)
    stated, counted, current = {}, {}, None
    for c in nb.cells:
        heading = HEADING.search(c.source) if c.cell_type == "markdown" else None
        if heading:
            current = int(heading[1])
            stated[current] = (int(heading[2]), bool(heading[3]))
            counted[current] = [0.0, 0.0]
        elif c.cell_type == "markdown" and c.source.startswith("## "):
            current = None
        if current is not None:
            auto, manual = _points(c)
            counted[current][0] += auto
            counted[current][1] += manual
    assert stated and list(stated) == list(range(1, len(stated) + 1)), stated
    for number, (points, by_hand) in stated.items():
        auto, manual = counted[number]
        assert (auto, manual) == ((0, points) if by_hand else (points, 0)), (aid, number)


@pytest.mark.slow
@pytest.mark.parametrize("aid", SOURCES)
def test_solution_notebook_runs_all_cells(aid):
    """An instructor's *Run All* on the solution works (A4 declares a sample STUDENT_ID)."""
    from nbclient import NotebookClient

    nb = solution_nb(aid)
    folder = ROOT / "solutions" / aid
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    errors = [(i, o.get("ename"), o.get("evalue")) for i, c in enumerate(nb.cells)
              if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert errors == []
    tests = [c for c in nb.cells if _points(c)[0]]
    assert all(any("passed" in o.get("text", "") for o in c.get("outputs", [])) for c in tests)
