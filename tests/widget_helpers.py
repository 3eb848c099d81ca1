"""Headless stand-ins for the browser, shared by the widget tests (tests/test_widgets_*.py).

Without a browser nothing asks the canvas for a frame, so these helpers do what the front end
would: count the full draws (``draw_idle``) a change requests and do them at once, read the
pixels, and record whether each blitted frame went out whole.
"""

from __future__ import annotations

import numpy as np


def pixels(app) -> np.ndarray:
    """A copy of the canvas's current RGBA buffer."""
    return np.asarray(app.fig.canvas.get_renderer().buffer_rgba()).copy()


def watch_full_draws(app) -> list:
    """Count every full draw (draw_idle) from now on, and do it at once; returns the counter
    (a list that grows by one per draw)."""
    app.fig.canvas.syncing_data_url = False
    calls = []

    def draw_idle():
        calls.append(1)
        app.fig.canvas.draw()

    app.fig.canvas.draw_idle = draw_idle
    return calls


def blit_check(app, change, width=848):
    """Draw once at ``width``, apply ``change()``; return (full draws requested, pixels where the
    blitted frame differs from a full draw of the same state)."""
    c = app.fig.canvas
    c.syncing_data_url = False  # as with a browser attached: no data-url PNG per frame
    app.fit(width)
    c.draw()
    calls = []
    c.draw_idle = lambda: calls.append(1)
    change()
    blitted = pixels(app)
    del c.draw_idle
    c.draw()
    full = np.asarray(c.get_renderer().buffer_rgba()).astype(int)
    return len(calls), int((np.abs(blitted.astype(int) - full).max(axis=2) > 40).sum())


def full_draws(app, moves) -> int:
    """How many full draws ``moves`` (callables) requested after a first full draw at 848 px.

    A move that only blits (redraws its moving artists) requests none; a requested draw is
    done at once, as the browser would.
    """
    app.fit(848)
    canvas = app.fig.canvas
    canvas.syncing_data_url = False
    canvas.draw()
    requests = []

    def draw_idle(*args, **kwargs):
        requests.append(1)
        canvas.draw()

    canvas.draw_idle = draw_idle
    try:
        for move in moves:
            move()
    finally:
        del canvas.draw_idle
    return len(requests)


def back_and_forth(control, up, down, times=3) -> list:
    """Moves that set ``control`` to ``up`` and ``down`` in turn (as arrow keys do)."""
    return [lambda v=v: setattr(control, "value", v) for v in [up, down] * times]


def blits_after_warming(app, control, up, down) -> bool:
    """True if, after one move each way, moving ``control`` back and forth only blits."""
    full_draws(app, back_and_forth(control, up, down, times=1))
    return full_draws(app, back_and_forth(control, up, down)) == 0


def blit_modes(app, moves) -> tuple[int, list]:
    """Draw once, run ``moves``; return (full draws requested, the image mode of every frame
    sent: "full" when the blit went out whole)."""
    canvas = app.fig.canvas
    canvas.syncing_data_url = False
    canvas.draw()
    full, modes = [], []
    canvas.draw_idle = lambda *a, **k: full.append(1)
    get = canvas.get_diff_image

    def spy():
        png = get()
        modes.append(canvas._image_mode)
        return png

    canvas.get_diff_image = spy
    for move in moves:
        move()
    return len(full), modes
