"""Every widget as a student's laptop shows it: JupyterLab in chromium at 1280x900 with the file
browser open.  Each widget is fully visible without a sideways scroll, every slider keeps a
track of at least 120 px, and no button, label or dropdown cuts its text off.

Latency (keypress to new pixels) is measured by ``bench/widgets_browser.py``, not asserted.
"""

from __future__ import annotations

import pytest

import dlcore as dl
from tests.browser import (
    browser_page,
    chromium_available,
    jupyter_lab,
    open_notebook,
    output_errors,
    run_all,
    widget_layouts,
    widgets_notebook,
)

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not chromium_available(),
                                 reason="needs Debian's chromium (.ci/run installs it)")]

NAMES = dl.widgets.available()
MIN_TRACK_PX = 120


@pytest.fixture(scope="module")
def layouts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("widgets")
    widgets_notebook(NAMES, folder)
    with jupyter_lab(folder) as (base, token), browser_page(1280, 900) as page:
        open_notebook(page, base, token, "widgets.ipynb")
        # JupyterLab opens with the file browser shown, as a student sees it
        assert page.locator("#filebrowser").is_visible()
        run_all(page, timeout=900)
        page.wait_for_timeout(3000)
        assert output_errors(page) == []
        yield widget_layouts(page, NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_widget_fits_the_screen_of_a_laptop(layouts, name):
    layout = layouts[name]
    assert layout is not None, f"{name} did not render"
    assert layout["hidden"] == 0, f"{name}: {layout['hidden']} px need a sideways scroll"
    assert not layout["tracks"] or min(layout["tracks"]) >= MIN_TRACK_PX, \
        f"{name}: slider tracks {layout['tracks']} px"
    assert layout["truncated"] == [], f"{name}: cut-off texts {layout['truncated']}"
