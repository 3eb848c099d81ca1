"""Every lecture notebook as a learner meets it: JupyterLab in chromium, Run All Cells, no
error in any output, the widgets render, and moving their sliders with the keyboard changes
what they show.  Playwright drives Debian's chromium (no browser download).

The notebooks are served from a temporary copy whose ``parameters`` cells carry the suite's
overrides (``tests/notebook_expectations``), so training runs stay short; everything else is
the committed notebook.
"""

from __future__ import annotations

import nbformat
import pytest

from tests.browser import (
    ROOT,
    browser_page,
    chromium_available,
    jupyter_lab,
    nudge_sliders,
    open_notebook,
    output_errors,
    run_all,
    shutdown_kernels,
    wait_kernels_idle,
    widget_counts,
)
from tests.notebook_checks import inject_parameters, load_spec

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not chromium_available(),
                                 reason="needs Debian's chromium (.ci/run installs it)")]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notebooks")
    for name in NOTEBOOKS:
        path = ROOT / "notebooks" / name
        nb = inject_parameters(nbformat.read(path, as_version=4), load_spec(path).parameters)
        nbformat.write(nb, folder / name)
    with jupyter_lab(folder) as (base, token), browser_page() as page:
        yield base, token, page


def _readouts(page) -> str:
    return page.evaluate("() => Array.from(document.querySelectorAll("
                         "'.jp-OutputArea-output .widget-html, .jp-OutputArea-output "
                         ".widget-label')).map(e => e.innerText).join('|')")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_widgets_respond_in_jupyterlab(lab, name):
    base, token, page = lab
    open_notebook(page, base, token, name)
    run_all(page)
    assert output_errors(page) == [], f"{name}: error output after Run All"
    counts = widget_counts(page)
    if counts["sliders"]:
        assert counts["figures"] or counts["widgets"], counts
        before = _readouts(page)
        moved = nudge_sliders(page, presses=2, limit=12)
        assert moved > 0
        page.wait_for_timeout(1000)
        wait_kernels_idle(base, token)
        page.wait_for_timeout(1000)
        assert _readouts(page) != before, f"{name}: moving sliders changed no readout"
        assert output_errors(page) == [], f"{name}: error output after moving sliders"
    shutdown_kernels(base, token)


def test_every_lecture_notebook_is_covered():
    assert len(NOTEBOOKS) >= 14, NOTEBOOKS
