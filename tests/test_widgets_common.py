"""House rules that every widget follows: it builds with its defaults, says in one line what
its plot shows, titles and labels its axes, uses the course palette's colour maps, and gives
every control a descriptive label."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import ipywidgets as W
import pytest

import dlcore as dl

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
FACTORIES = dl.widgets.available()
# colour maps that are perceptually uniform and colour-vision-deficiency friendly
SAFE_CMAPS = {"cividis", "viridis", "PuOr", "PuOr_r", "cividis_r", "viridis_r", "Greys",
              "Greys_r", "gray", "gray_r", "binary", "binary_r", "BrBG", "RdBu", "RdBu_r",
              "Blues", "Oranges", "Purples", "magma", "inferno", "plasma", "twilight"}


def widgets_called_in_notebooks(folder: Path = NOTEBOOKS) -> set[str]:
    """The ``dl.widgets.<name>(...)`` calls in the code cells of the lecture notebooks."""
    called = set()
    for path in sorted(folder.glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                called.update(re.findall(r"dl\.widgets\.(\w+)\(", "".join(cell["source"])))
    return called


def test_the_notebooks_use_exactly_the_widgets_dlcore_offers():
    called = widgets_called_in_notebooks()
    assert called == set(FACTORIES), (
        f"called but not offered: {sorted(called - set(FACTORIES))}; "
        f"offered but used by no lecture: {sorted(set(FACTORIES) - called)}")


def test_the_widget_scan_reads_code_cells_only(tmp_path):
    (tmp_path / "a.ipynb").write_text(json.dumps({"cells": [
        {"cell_type": "code", "source": ["app = dl.widgets.conv_explorer(\n", "x)"]},
        {"cell_type": "markdown", "source": ["dl.widgets.photo_filter()"]}]}))
    assert widgets_called_in_notebooks(tmp_path) == {"conv_explorer"}


@pytest.fixture(scope="module")
def apps():
    built = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for name in FACTORIES:
            built[name] = getattr(dl.widgets, name)()
    return built


def _labelled(ax, axis: str) -> bool:
    getter = ax.get_xlabel if axis == "x" else ax.get_ylabel
    if getter():
        return True
    shaft = ax.xaxis if axis == "x" else ax.yaxis
    texts = [t.get_text() for t in shaft.get_ticklabels() if t.get_text()]
    if texts and not any(_numeric(t) for t in texts):
        return True  # a categorical axis: its tick labels name what it shows
    if not shaft.get_visible() or not [t for t in shaft.get_ticklabels() if t.get_text()] \
            and not (ax.get_xticks() if axis == "x" else ax.get_yticks()).size:
        return True
    # small multiples: one label for a row (y) or a column (x) of panels is enough
    shared = ax.get_shared_x_axes() if axis == "x" else ax.get_shared_y_axes()
    if any((o.get_xlabel() if axis == "x" else o.get_ylabel())
           for o in shared.get_siblings(ax) if o is not ax):
        return True
    spec = ax.get_subplotspec()
    if spec is None:
        return False
    for other in ax.figure.axes:
        o_spec = other.get_subplotspec()
        if other is ax or o_spec is None or not other.axison:
            continue
        same_line = (o_spec.rowspan == spec.rowspan) if axis == "y" else \
            (o_spec.colspan == spec.colspan)
        if same_line and (other.get_ylabel() if axis == "y" else other.get_xlabel()):
            return True
    return False


@pytest.mark.parametrize("name", FACTORIES)
def test_widget_follows_house_rules(apps, name):
    app = apps[name]
    assert isinstance(app, W.VBox)
    assert app.summary.strip(), f"{name}: no one-line summary of what the plot shows"
    for key, control in app.controls.items():
        label = getattr(control, "description", "") or getattr(control, "tooltip", "")
        assert label, f"{name}: control {key!r} has no descriptive label"
    if app.fig is None:
        return
    for ax in app.fig.axes:
        if not ax.axison or not ax.get_visible() or ax.get_label() == "<colorbar>":
            continue
        assert ax.get_title() or ax.get_title(loc="left") or ax.get_title(loc="right"), \
            f"{name}: an axes has no title"
        assert _labelled(ax, "x") and _labelled(ax, "y"), f"{name}: unlabelled axis"
        for image in ax.images + [c for c in ax.collections if c.get_array() is not None]:
            assert _safe(image.get_cmap()), \
                f"{name}: colour map {image.get_cmap().name} is not colour-blind safe"


def _numeric(text: str) -> bool:
    try:
        float(text.replace("\u2212", "-").replace(",", ""))
    except ValueError:
        return False
    return True


def _safe(cmap) -> bool:
    """A named safe map, or a discrete map made of the course palette and greys."""
    import matplotlib.colors as mc

    if cmap.name in SAFE_CMAPS:
        return True
    colors = getattr(cmap, "colors", None)
    if colors is None:
        return False
    palette = {mc.to_hex(c) for c in dl.viz.PALETTE.values()}
    for c in colors:
        r, g, b = mc.to_rgb(c)
        if mc.to_hex(c) not in palette and not (r == g == b):
            return False
    return True


MIN_TEXT_PT = 7.5  # at the widgets' 100 dpi: 10.4 px on screen


@pytest.mark.parametrize("name", FACTORIES)
def test_figure_text_is_at_least_10_px_on_screen(apps, name):
    from matplotlib.text import Text

    fig = apps[name].fig
    if fig is None:
        return
    fig.canvas.draw()  # ticks exist only after a draw
    small = sorted({(round(t.get_fontsize(), 1), t.get_text()[:20])
                    for t in fig.findobj(Text)
                    if t.get_visible() and t.get_text().strip()
                    and t.get_fontsize() * fig.dpi / 72 < MIN_TEXT_PT * 100 / 72})
    assert not small, f"{name}: text smaller than 10 px: {small[:8]}"


@pytest.mark.parametrize("name", FACTORIES)
def test_figure_fits_the_width_it_is_given(apps, name):
    """Headless, app.fit(width) is what the browser's width probe triggers."""
    app = apps[name]
    if app.fig is None:
        return
    for width in (848, 1488, 800, 420):
        app.fit(width)
        w, _ = app.fig.get_size_inches() * app.fig.dpi
        assert w <= width - 12 + 0.5, f"{name}: figure {w:.0f} px wide in {width} px"
