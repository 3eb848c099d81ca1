"""Widgets print nothing but themselves: no DeprecationWarning or other library noise appears
in a learner's output when a widget is built and displayed in a Jupyter kernel."""

from __future__ import annotations

import nbformat
import pytest

import dlcore as dl

pytestmark = pytest.mark.slow


def _factories() -> list[str]:
    return sorted(n for n in dir(dl.widgets)
                  if not n.startswith("_") and callable(getattr(dl.widgets, n)))


def test_every_widget_displays_without_printing_anything():
    from nbclient import NotebookClient

    names = _factories()
    assert len(names) >= 40
    cells = [nbformat.v4.new_code_cell("%matplotlib inline\nimport dlcore as dl")]
    cells += [nbformat.v4.new_code_cell(f"dl.widgets.{name}()") for name in names]
    nb = nbformat.v4.new_notebook(cells=cells)
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True).execute()
    noise = {}
    for name, cell in zip(["import", *names], nb.cells):
        for out in cell.outputs:
            if out.output_type == "stream":
                noise.setdefault(name, []).append(out.text[:300])
            elif out.output_type == "error":
                noise.setdefault(name, []).append(f"{out.ename}: {out.evalue[:200]}")
    assert noise == {}
