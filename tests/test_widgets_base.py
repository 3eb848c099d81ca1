"""The widget base (dlcore/widgets/_base.py): fitting the width a notebook gives a widget,
controls that keep their text and tracks, human readouts, and blitting."""

from __future__ import annotations

import ipywidgets as W
import numpy as np
import pytest

from dlcore.widgets import _base as B


class Demo(B.App):
    """Two side-by-side panels, a log slider and a line that follows it."""

    def __init__(self, layout="column", figsize=(9.4, 3.6), dynamic=True):
        fig, (ax1, ax2) = B.make_figure(1, 2, figsize=figsize)
        self.line, = ax1.plot([0, 1], [0, 1])
        ax2.plot([0, 1], [1, 0])
        ax1.set_xlim(0, 1)
        ax1.set_ylim(0, 10)
        self.ax1, self.ax2 = ax1, ax2
        controls = {"lr": B.log_slider("learning rate η", 0.05, 1e-4, 10.0),
                    "go": B.button("a button with a rather long label")}
        super().__init__(controls, fig, summary="demo", layout=layout)
        if dynamic:
            self.set_dynamic([self.line])

    def update(self):
        self.line.set_ydata([0, self.controls["lr"].value])


def _px(fig):
    return fig.get_size_inches() * fig.dpi


def test_human_numbers():
    assert [B.human(v) for v in (0.05, 1.41254, 50.0, 1234.5, 3.16e-5, 0.0)] == \
        ["0.05", "1.4", "50", "1200", "0.000032", "0"]


def test_log_slider_shows_a_human_readout_beside_it():
    app = Demo()
    s = app.controls["lr"]
    assert s.readout is False
    box = s._dl_display
    assert isinstance(box, W.HBox) and box.children[0] is s
    s.value = 0.0501187
    assert box.children[1].value == "0.05"
    assert box in app._controls_box.children


def test_controls_are_wide_enough_for_their_text():
    long = B.slider("a rather long description of a weight", 0.0, -1.0, 1.0)
    width = int(long.layout.width[:-2])
    assert width >= B.text_width(long.description) + B.MIN_TRACK_PX
    b = B.button("θ = 0 (fires for every input)")
    assert int(b.layout.width[:-2]) >= B.text_width(b.description)
    d = B.dropdown("surface", {"a rather long option name here": 1, "short": 2})
    assert int(d.layout.width[:-2]) >= B.text_width("a rather long option name here")


def test_headless_widgets_keep_their_designed_size():
    app = Demo()
    assert app.probe.width == 0
    np.testing.assert_allclose(_px(app.fig), [940, 360])


@pytest.mark.parametrize("width", [848, 1488, 800, 600])
def test_fit_never_exceeds_the_width(width):
    app = Demo()
    app.probe.width = width  # what the browser's probe reports
    w, h = _px(app.fig)
    assert w <= width - 12 + 0.5
    assert h >= 0.7 * 360 - 0.5 or app._stacked_rows() > 1


def test_fit_grows_at_most_a_quarter_and_stacks_narrow_panels():
    app = Demo()
    app.fit(1488)
    assert _px(app.fig)[0] == pytest.approx(940 * B.MAX_GROW)
    assert app._stacked_rows() == 1
    app.fit(420)  # two panels of 204 px would be too narrow: one above the other
    assert app._stacked_rows() == 2
    rows = {ax.get_subplotspec().rowspan.start for ax in (app.ax1, app.ax2)}
    assert rows == {0, 1}
    app.fit(848)  # and back side by side
    assert app._stacked_rows() == 1
    cols = {ax.get_subplotspec().colspan.start for ax in (app.ax1, app.ax2)}
    assert cols == {0, 1}


def test_controls_go_above_the_figure_when_both_do_not_fit_side_by_side():
    app = Demo(layout="row", figsize=(7.0, 3.6))  # 700 px: too wide beside 340 px of controls
    app.fit(1488)
    assert app._body.layout.flex_flow == "row"
    assert _px(app.fig)[0] <= 1488 - app._controls_px - 12 + 0.5
    app.fit(848)
    assert app._body.layout.flex_flow == "column"


def test_layout_runs_once_then_is_frozen_until_a_resize():
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    app = Demo()
    assert isinstance(app.fig.get_layout_engine(), ConstrainedLayoutEngine)
    app.fig.canvas.draw()
    assert not isinstance(app.fig.get_layout_engine(), ConstrainedLayoutEngine)
    app.fit(848)
    assert isinstance(app.fig.get_layout_engine(), ConstrainedLayoutEngine)


def test_an_update_blits_the_dynamic_artists_without_a_full_draw(monkeypatch):
    app = Demo()
    app.fig.canvas.draw()  # the first full draw caches the background
    assert app._background is not None and app.line.get_animated()
    before = np.asarray(app.fig.canvas.buffer_rgba()).copy()
    calls = {"draw_idle": 0, "blit": 0}
    monkeypatch.setattr(app.fig.canvas, "draw_idle",
                        lambda: calls.__setitem__("draw_idle", calls["draw_idle"] + 1))
    real_blit = app.fig.canvas.blit
    monkeypatch.setattr(app.fig.canvas, "blit",
                        lambda bbox=None: (calls.__setitem__("blit", calls["blit"] + 1),
                                           real_blit(bbox)))
    app.controls["lr"].value = 2.0
    assert calls == {"draw_idle": 0, "blit": 1}
    # the blitted pixels show the moved line: as a full draw of the same state, except where
    # the line crosses artists drawn above it in a full draw (spines, ticks)
    blitted = np.asarray(app.fig.canvas.buffer_rgba()).copy()
    app.line.set_animated(False)
    app.fig.canvas.draw()
    full = np.asarray(app.fig.canvas.buffer_rgba())
    assert np.mean(np.any(blitted != before, axis=2)) > 0.005  # the line moved
    assert np.mean(np.any(blitted != full, axis=2)) < 0.005


def test_changed_axis_limits_fall_back_to_a_full_draw(monkeypatch):
    app = Demo()
    app.fig.canvas.draw()
    called = []
    monkeypatch.setattr(app.fig.canvas, "draw_idle", lambda: called.append(True))
    app.ax1.set_ylim(0, 20)
    app.controls["lr"].value = 3.0
    assert called == [True]


def test_without_dynamic_artists_every_update_is_a_full_draw(monkeypatch):
    app = Demo(dynamic=False)
    app.fig.canvas.draw()
    called = []
    monkeypatch.setattr(app.fig.canvas, "draw_idle", lambda: called.append(True))
    app.controls["lr"].value = 3.0
    assert called == [True]


def test_arrange_with_a_width_reserves_room_for_a_wide_controls_column():
    app = Demo(layout="row", figsize=(6.0, 3.6))
    app.fit(1000)
    assert app._body.layout.flex_flow == "row"
    assert _px(app.fig)[0] > 1000 - 360 - 10
    table = W.HTML("a wide table under the controls")
    app.arrange([*app._controls_box.children, table], width=360)
    # the figure keeps to what is left beside the 360 px column (plus its margins)
    assert app._body.layout.flex_flow == "row"
    assert _px(app.fig)[0] <= 1000 - 360 - 10
    assert app._controls_box.layout.min_width == "360px"
    app.arrange([*app._controls_box.children], width=700)  # no room left: controls above
    assert app._body.layout.flex_flow == "column"
