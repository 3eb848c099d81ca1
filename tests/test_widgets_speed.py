"""What keeps widgets fast: stamped figure text (dlcore.widgets._text), drawing without a
browser round trip."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from dlcore.widgets import _text as T


@pytest.fixture(autouse=True)
def _empty_cache():
    T._CACHE.clear()
    yield
    T._CACHE.clear()


def _figure():
    fig = Figure(figsize=(3, 2), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, 6)
    ax.set_ylim(0, 4)
    ax.set_axis_off()
    return fig, ax


def _pixels(fig):
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).astype(int)


def _ink_box(pixels):
    rows, cols = np.nonzero((pixels[..., :3] < 250).any(axis=2))
    return rows.min(), rows.max(), cols.min(), cols.max()


@pytest.mark.parametrize("colour", ["black", "#d55e00", (0.2, 0.4, 0.6)])
def test_a_stamp_has_the_pixels_of_the_text_it_replaces(colour):
    # left/baseline anchors on whole pixels: Agg draws the glyphs exactly where the stamp goes
    plain, ax_p = _figure()
    stamped, ax_s = _figure()
    for _ax, make in ((ax_p, ax_p.text), (ax_s, lambda *a, **k: T.cached_text(ax_s, *a, **k))):
        for i, s in enumerate(["-3.25", "0.5", "12", "w[0,1]"]):
            make(0.5 + 1.3 * i, 1.0 + 0.5 * i, s, fontsize=9, color=colour)
    assert np.array_equal(_pixels(plain), _pixels(stamped))


@pytest.mark.parametrize("ha,va", [("center", "center"), ("right", "top"), ("left", "bottom")])
def test_an_aligned_stamp_is_at_most_one_pixel_from_the_text(ha, va):
    for x, y in [(1.03, 1.37), (2.5, 2.5), (4.71, 0.66)]:
        plain, ax_p = _figure()
        stamped, ax_s = _figure()
        ax_p.text(x, y, "0.125", ha=ha, va=va, fontsize=10)
        T.cached_text(ax_s, x, y, "0.125", ha=ha, va=va, fontsize=10)
        a, b = _ink_box(_pixels(plain)), _ink_box(_pixels(stamped))
        assert np.abs(np.subtract(a, b)).max() <= 1, (a, b)


def test_two_line_text_is_stamped_whole():
    plain, ax_p = _figure()
    stamped, ax_s = _figure()
    ax_p.text(3, 2, "two\nlines", ha="center", va="center")
    T.cached_text(ax_s, 3, 2, "two\nlines", ha="center", va="center")
    a, b = _ink_box(_pixels(plain)), _ink_box(_pixels(stamped))
    assert np.abs(np.subtract(a, b)).max() <= 1 and a[1] - a[0] > 20


def test_what_a_stamp_cannot_show_is_drawn_as_text():
    # rotated and boxed texts, and math, keep matplotlib's own drawing: identical pixels
    plain, ax_p = _figure()
    stamped, ax_s = _figure()
    for _ax, make in ((ax_p, ax_p.text), (ax_s, lambda *a, **k: T.cached_text(ax_s, *a, **k))):
        make(1, 1, "no step k > T", rotation=90)
        make(3, 2, "boxed", bbox={"fc": "yellow"})
        make(4, 1, r"$\sigma$", fontsize=12)
    assert np.array_equal(_pixels(plain), _pixels(stamped))


def test_vector_output_keeps_real_text():
    import matplotlib

    fig, ax = _figure()
    T.cached_text(ax, 1, 1, "searchable label")
    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(out, format="svg")
    assert "searchable label" in out.getvalue()


def test_a_stamp_follows_changes_of_text_colour_and_size():
    fig, ax = _figure()
    t = T.cached_text(ax, 3, 2, "7", ha="center", va="center", fontsize=9, color="black")
    small = _ink_box(_pixels(fig))
    t.set_fontsize(18)
    t.set_color("white")
    ax.set_facecolor("black")
    ax.set_axis_on()
    big = _pixels(fig)
    rows, cols = np.nonzero((big[..., :3] > 128).all(axis=2))
    assert rows.max() - rows.min() > 1.6 * (small[1] - small[0])


def test_blank_and_space_only_texts_draw_nothing():
    fig, ax = _figure()
    T.cached_text(ax, 3, 2, " ")
    T.cached_text(ax, 2, 2, "")
    assert not (_pixels(fig)[..., :3] < 250).any()


def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(T, "CACHE_SIZE", 20)
    for start in (0, 15, 30):
        fig, ax = _figure()
        for i in range(start, start + 15):
            T.cached_text(ax, 1 + (i % 5), 1 + (i % 3), str(i), fontsize=6)
        _pixels(fig)
        assert 0 < len(T._CACHE) <= 20


def test_labels_centre_their_ink_on_each_point():
    fig, ax = _figure()
    labels = ax.add_artist(T.Labels(ax.transData, 10))
    labels.set_labels([(1, 1), (4, 3)], ["12", "-0.5"], ["black", "black"])
    fig.canvas.draw()
    box = labels.get_window_extent(fig.canvas.get_renderer())
    centre = ax.transData.transform([(1, 1), (4, 3)])
    # the union of both labels spans from left of point 1 to right of point 2
    assert box.x0 < centre[0, 0] < box.x1 and box.x0 < centre[1, 0] < box.x1
    pixels = _pixels(fig)
    h = pixels.shape[0]
    rows, cols = np.nonzero((pixels[..., :3] < 128).any(axis=2))
    left = cols < (centre[0, 0] + centre[1, 0]) / 2
    mid_x = (cols[left].min() + cols[left].max()) / 2
    mid_y = h - (rows[left].min() + rows[left].max()) / 2
    assert abs(mid_x - centre[0, 0]) <= 1.5 and abs(mid_y - centre[0, 1]) <= 1.5


def test_each_look_is_rendered_once_and_redrawn_on_the_same_pixels(monkeypatch):
    fig, ax = _figure()
    text = T.cached_text(ax, 2.37, 1.5, "0.125", ha="center", va="center")
    calls = []
    render = T._render
    monkeypatch.setattr(T, "_render", lambda *a: calls.append(1) or render(*a))
    first = _pixels(fig).copy()
    assert calls == [1] and (first[..., :3] < 250).any()
    assert np.array_equal(_pixels(fig), first) and calls == [1]
    text.set_text("0.25")
    _pixels(fig)
    text.set_text("0.125")
    assert np.array_equal(_pixels(fig), first) and calls == [1, 1]


def test_the_cached_layout_box_is_the_texts():
    fig, ax = _figure()
    renderer = fig.canvas.get_renderer()
    for x, s in [(1.0, "a"), (2.37, "0.125"), (4.5, "two\nlines")]:
        stamped = T.cached_text(ax, x, 2, s, ha="center", va="top", fontsize=11)
        plain = ax.text(x, 2, s, ha="center", va="top", fontsize=11)
        for _ in range(2):
            assert np.allclose(stamped.get_window_extent(renderer).extents,
                               plain.get_window_extent(renderer).extents)
        stamped.set_x(x + 0.5)
        plain.set_x(x + 0.5)
        assert np.allclose(stamped.get_window_extent(renderer).extents,
                           plain.get_window_extent(renderer).extents)


def test_a_learners_change_is_drawn_at_once_when_a_browser_shows_the_widget():
    import dlcore as dl

    app = dl.widgets.activation_explorer()
    canvas = app.fig.canvas
    drawn, sent = [], []
    canvas.mpl_connect("draw_event", lambda event: drawn.append(1))
    canvas.send_event = lambda kind, **kw: sent.append(kind)
    # no browser yet: ipympl's way, the browser is asked to ask for a draw
    app.redraw(full=True)
    assert drawn == [] and sent.count("draw") == 1
    # once the browser has shown the canvas (ipympl stops syncing its data url), a change
    # is drawn at once, with no round trip; other draws (layout, resizes) stay paced
    canvas.syncing_data_url = False
    app.redraw(full=True)
    assert drawn == [1] and sent.count("draw") == 1
    canvas.draw_idle()
    assert drawn == [1] and sent.count("draw") == 2
