"""Notebooks are code: each lecture notebook runs from a clean kernel, reproduces its numbers,
and is committed clean.

The numbers a notebook must reproduce are not asserted in its teaching cells: they are listed in
``tests/notebook_expectations/<notebook>.py`` and evaluated in the executed kernel
(``tests/notebook_checks.py``).  The suite overrides each notebook's ``parameters`` cell to keep
training runs short.  The time, cell count and word count of each notebook are written to
``.pytest_cache/notebook-report/<notebook>.json`` for the closing notes (one file per notebook,
so parallel workers never write the same file); no test asserts on time.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

from tests.notebook_checks import (
    KERNELSPEC,
    LANGUAGE_INFO,
    PYTHON_SERIES,
    close,
    equal,
    expectations_path,
    inject_parameters,
    load_spec,
    parameters_cell_index,
    run_notebook,
    true,
)

ROOT = Path(__file__).resolve().parents[1]
LECTURES = sorted(p for p in (ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))
ALL_NOTEBOOKS = sorted(p for folder in ("notebooks", "solutions", "assignments")
                       for p in (ROOT / folder).rglob("*.ipynb")
                       if ".ipynb_checkpoints" not in p.parts)
REPORT = ROOT / ".pytest_cache" / "notebook-report"
MAX_CELLS = 60
#: A "your turn" section (the learner writes functions) has its own budget of cells.
MAX_YOUR_TURN_CELLS = 14
MAX_SLIPS = 2
DECK_AUTHORS = re.compile(r"Khapra|IFT6758|Arya|Dripta|Kiran")


def _rel(p: Path) -> str:
    return str(p.relative_to(ROOT))


def _markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _python(source: str) -> str:
    """A code cell's source without IPython magics and shell escapes (which are not Python)."""
    return "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln
                     for ln in source.splitlines())


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_rel)
def test_notebook_is_committed_clean(path):
    """No outputs, no execution counts, no saved widget state (diff-friendly sources)."""
    nb = json.loads(path.read_text())
    assert "widgets" not in nb.get("metadata", {}), "saved widget state in notebook metadata"
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert not cell.get("outputs"), f"cell {i} has outputs"
            assert cell.get("execution_count") is None, f"cell {i} has an execution count"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_rel)
def test_opening_in_jupyterlab_does_not_mark_it_modified(path):
    """Committed with the metadata JupyterLab writes, so a learner who only reads is never asked
    to save (JupyterLab marks a notebook modified when its kernel's reply differs)."""
    meta = nbformat.read(path, as_version=4).metadata
    assert meta.get("kernelspec") == KERNELSPEC
    info = dict(meta.get("language_info", {}))
    version = info.pop("version", "")
    assert info == LANGUAGE_INFO
    assert version.startswith(PYTHON_SERIES + "."), version


@pytest.mark.parametrize("path", LECTURES, ids=_rel)
def test_lecture_notebook_structure(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    markdown = _markdown(nb)
    assert code, "no code cells"
    assert "import dlcore as dl" in code[0].source, "first code cell must import dlcore as dl"
    # Registers the inline figure formatter at once, so a Figure returned by dl.viz or
    # dl.draw_graph displays even before pyplot has drawn anything.
    assert code[0].source.lstrip().startswith("%matplotlib inline"), \
        "first code cell must start with %matplotlib inline"
    for c in code:
        assert "sys.path" not in c.source, "no sys.path hacks in notebooks"
    assert re.search(r"learning objectives", markdown, re.I), "no learning objectives"
    assert re.search(r"^#+ .*sources", markdown, re.I | re.M), "no Sources section"
    assert DECK_AUTHORS.search(markdown), "the Sources section cites no deck by its author"
    assert re.search(r"^#+ .*exercises", markdown, re.I | re.M), "no exercises section"
    assert re.search(r"^#+ .*summary", markdown, re.I | re.M), "no summary section"
    turn, section = [], False
    for c in nb.cells:
        heading = re.match(r"##\s", c.source) if c.cell_type == "markdown" else None
        if heading:
            section = bool(re.search(r"your turn", c.source.splitlines()[0], re.I))
        turn.append(section)
    n_turn = sum(turn)
    assert len(nb.cells) - n_turn <= MAX_CELLS, \
        f"{len(nb.cells) - n_turn} cells besides the hands-on section: split or trim the lecture"
    assert n_turn <= MAX_YOUR_TURN_CELLS, f"{n_turn} cells in the hands-on section"


# every lecture from 02 on has a hands-on section, except lecture 12's CNN-training extension
HANDS_ON = [p for p in LECTURES if p.name[:2] >= "02" and not p.name.startswith("12b_")]


def _your_turn_cells(nb) -> list:
    cells, section = [], False
    for c in nb.cells:
        if c.cell_type == "markdown" and re.match(r"##\s", c.source):
            section = bool(re.search(r"your turn", c.source.splitlines()[0], re.I))
        if section:
            cells.append(c)
    return cells


@pytest.mark.parametrize("path", HANDS_ON, ids=_rel)
def test_each_lecture_has_a_hands_on_section_that_ends_in_a_widget_running_your_code(path):
    """Lectures 2-14: a "Your turn" section with two or more write-it-yourself exercises
    (each a function skeleton checked by dl.check), ending with a widget given mine=."""
    import dlcore as dl

    cells = _your_turn_cells(nbformat.read(path, as_version=4))
    assert cells, "no 'Your turn' section"
    code = [c.source for c in cells if c.cell_type == "code"]
    ids = re.findall(r"dl\.check\(\s*[\"'](\d\d\.\d+)[\"']", "\n".join(code))
    exercises = dl.selfcheck.exercises()
    functions = [i for i in ids if getattr(exercises[i].checker, "reference", None)]
    assert len(set(functions)) >= 2, ids
    skeletons = [s for s in code if "raise NotImplementedError" in s and "def my_" in s]
    assert len(skeletons) >= len(set(functions))
    assert re.search(r"dl\.widgets\.\w+\(.*mine=", code[-1], re.S), code[-1]


@pytest.mark.parametrize("path", LECTURES, ids=_rel)
def test_teaching_cells_hold_no_test_code(path):
    """Changing an input and re-running shows a different result, never an AssertionError;
    and no fast-mode switch for the learner to read about."""
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tree = ast.parse(_python(cell.source))
        asserts = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Assert)]
        assert not asserts, f"cell {i} has an assert (line {asserts[0]}): move it to " \
                            f"{_rel(expectations_path(path))}"
        assert not re.search(r"fast_mode|\bFAST\b|DLCORE_FAST", cell.source), \
            f"cell {i} uses the fast-mode switch: use the parameters cell instead"
    assert not re.search(r"fast mode|DLCORE_FAST", _markdown(nb), re.I)


@pytest.mark.parametrize("path", LECTURES, ids=_rel)
def test_at_most_two_slip_boxes_and_no_spot_the_mistake(path):
    markdown = _markdown(nb := nbformat.read(path, as_version=4))
    slips = [c for c in nb.cells if c.cell_type == "markdown" and "A common slip" in c.source]
    assert len(slips) <= MAX_SLIPS, f"{len(slips)} slip boxes"
    for c in slips:
        assert DECK_AUTHORS.search(c.source), "a slip box cites the deck it comes from"
    assert not re.search(r"spot the mistake", markdown, re.I)


@pytest.mark.parametrize("path", LECTURES, ids=_rel)
def test_expectations_and_parameters_fit_the_notebook(path):
    """Every lecture has an expectations file; its overrides name real parameters."""
    assert expectations_path(path).exists(), f"missing {_rel(expectations_path(path))}"
    spec = load_spec(path)
    assert len(spec.expectations) >= 3, "a lecture reproduces more than two numbers"
    nb = nbformat.read(path, as_version=4)
    index = parameters_cell_index(nb)
    if spec.parameters:
        assert index is not None, "PARAMETERS given but no cell is tagged 'parameters'"
    if index is not None:
        cell = nb.cells[index]
        assert cell.cell_type == "code"
        tree = ast.parse(cell.source)
        names = {t.id for node in tree.body if isinstance(node, ast.Assign)
                 for t in node.targets if isinstance(t, ast.Name)}
        assert all(isinstance(node, ast.Assign) for node in tree.body), \
            "the parameters cell holds plain assignments only"
        assert set(spec.parameters) <= names, set(spec.parameters) - names
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    for e in spec.expectations:
        if e.after is not None:
            assert any(e.after in s for s in sources), f"no code cell contains {e.after!r}"


@pytest.mark.slow
@pytest.mark.parametrize("path", LECTURES, ids=_rel)
def test_lecture_notebook_runs_and_reproduces_its_numbers(path):
    spec = load_spec(path)
    result = run_notebook(path, spec.parameters, spec.expectations)
    assert not result.errors, "\n".join(result.errors)
    assert not result.failures, f"{len(result.failures)} of {result.checked} expectations " \
                                f"failed:\n" + "\n".join(result.failures)
    assert result.checked == len(spec.expectations)
    nb = nbformat.read(path, as_version=4)
    REPORT.mkdir(parents=True, exist_ok=True)
    report = {"notebook": _rel(path), "seconds": round(result.seconds, 1),
              "cells": len(nb.cells), "words": len(_markdown(nb).split()),
              "expectations": len(spec.expectations)}
    (REPORT / f"{path.stem}.json").write_text(json.dumps(report, indent=1))


# --- the harness itself can fail ------------------------------------------------------------

@pytest.fixture
def tiny_notebook(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("EPOCHS = 20", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import numpy as np\nx = np.arange(EPOCHS) * 0.5"),
        nbformat.v4.new_code_cell("x = 'reused'"),
    ])
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    return path


def test_parameters_are_injected_after_the_parameters_cell(tiny_notebook):
    nb = inject_parameters(nbformat.read(tiny_notebook, as_version=4), {"EPOCHS": 3})
    assert nb.cells[1].source == "# Parameters\nEPOCHS = 3"
    assert nb.cells[1].metadata.tags == ["injected-parameters"]
    with pytest.raises(ValueError, match="parameters"):
        inject_parameters(nbformat.v4.new_notebook(), {"EPOCHS": 3})


@pytest.mark.slow
def test_the_harness_reports_each_kind_of_failure(tiny_notebook):
    result = run_notebook(tiny_notebook, {"EPOCHS": 3}, [
        close("x", [0, 0.5, 1.0], after="np.arange"),             # passes: checked in time
        close("x", [0, 0.5, 1.1], atol=1e-3, after="np.arange", why="demo"),
        equal("x", "reused"),                                       # passes: at the end
        true("len(x) == 7"),
        close("undefined_name", 1.0),
        equal("(1, 2)", [1, 2]),                                    # passes: tuples are lists
    ])
    assert result.errors == [] and result.checked == 6
    assert len(result.failures) == 3, result.failures
    assert "expected [0.  0.5 1.1]" in result.failures[0] and result.failures[0].endswith("demo")
    assert result.failures[1] == "`len(x) == 7` is not true"
    assert "NameError" in result.failures[2]
