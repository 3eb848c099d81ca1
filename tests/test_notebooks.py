"""Notebooks are code: each lecture notebook runs from a clean kernel, and is committed clean.

Execution uses nbclient with ``DLCORE_FAST=1`` (shorter training loops, same teaching).  The
time of each notebook is written to ``.pytest_cache/notebook-times.json``, so a
closing note can quote it; no test asserts on time.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LECTURES = sorted(p for p in (ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))
ALL_NOTEBOOKS = sorted(p for folder in ("notebooks", "solutions", "assignments")
                       for p in (ROOT / folder).rglob("*.ipynb")
                       if ".ipynb_checkpoints" not in p.parts)
TIMES = ROOT / ".pytest_cache" / "notebook-times.json"


def _rel(p: Path) -> str:
    return str(p.relative_to(ROOT))


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_rel)
def test_notebook_is_committed_clean(path):
    """No outputs, no execution counts, no saved widget state (diff-friendly sources)."""
    nb = json.loads(path.read_text())
    assert "widgets" not in nb.get("metadata", {}), "saved widget state in notebook metadata"
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert not cell.get("outputs"), f"cell {i} has outputs"
            assert cell.get("execution_count") is None, f"cell {i} has an execution count"


@pytest.mark.parametrize("path", LECTURES, ids=_rel)
def test_lecture_notebook_structure(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert code, "no code cells"
    assert "import dlcore as dl" in code[0].source, "first code cell must import dlcore as dl"
    # Registers the inline figure formatter at once, so a Figure returned by dl.viz or
    # dl.draw_graph displays even before pyplot has drawn anything.
    assert code[0].source.lstrip().startswith("%matplotlib inline"), \
        "first code cell must start with %matplotlib inline"
    for c in code:
        assert "sys.path" not in c.source, "no sys.path hacks in notebooks"
    assert re.search(r"learning objectives", markdown, re.I), "no learning objectives"
    assert re.search(r"\b00[0-4]_[0-9a-f]{16}\.txt\b", markdown), "no seed source cited"
    assert re.search(r"^#+ .*exercises", markdown, re.I | re.M), "no exercises section"
    assert re.search(r"^#+ .*summary", markdown, re.I | re.M), "no summary section"


@pytest.mark.slow
@pytest.mark.parametrize("path", LECTURES, ids=_rel)
def test_lecture_notebook_runs(path, tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    env_before = os.environ.get("DLCORE_FAST")
    os.environ["DLCORE_FAST"] = "1"
    try:
        client = NotebookClient(nb, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
    finally:
        if env_before is None:
            os.environ.pop("DLCORE_FAST", None)
        else:
            os.environ["DLCORE_FAST"] = env_before
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, errors
    TIMES.parent.mkdir(exist_ok=True)
    times = json.loads(TIMES.read_text()) if TIMES.exists() else {}
    times[_rel(path)] = round(seconds, 1)
    TIMES.write_text(json.dumps(times, indent=1, sort_keys=True))
