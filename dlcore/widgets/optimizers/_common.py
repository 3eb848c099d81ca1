"""Plumbing shared by the optimizer widgets: step/play row, surface checks, contours, limits."""

from __future__ import annotations

import ipywidgets as W
import matplotlib
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize

from ..._checks import as_array, check_int, shape_str
from ...optim.surfaces import loss_grid
from ...viz.optim import contour_levels
from .._base import button, human, play_controls

STEP_LABEL, RESTART_LABEL = "step ▸", "↺ restart"
_STEP_TIP = "advance one optimizer step"
_RESTART_TIP = "at the last step: go back to step 0 and watch the paths grow again"


def step_row(steps: int, description: str = "step t", interval_ms: int = 80):
    """``(row, step_slider, play, button)``: play/pause, a step slider and a one-step button.

    The widgets open at the last step, so every path is drawn in full; there the button reads
    "↺ restart" and goes back to step 0 (a "step ▸" that did nothing at the end looked broken).
    """
    play, step = play_controls(steps, interval_ms=interval_ms, description=description)
    step.tooltip = "how many optimizer steps are drawn (arrow keys step one at a time)"
    play.value = step.value = steps
    forward = button(RESTART_LABEL, tooltip=_RESTART_TIP)  # sized for the longer label

    def relabel(_change=None):
        at_end = step.value >= step.max
        forward.description = RESTART_LABEL if at_end else STEP_LABEL
        forward.tooltip = _RESTART_TIP if at_end else _STEP_TIP

    def advance(_button=None):
        step.value = 0 if step.value >= step.max else step.value + 1

    step.observe(relabel, names="value")
    relabel()
    forward.on_click(advance)
    return W.HBox([play, step, forward]), step, play, forward


def human_readout(control, digits: int = 3, readout_px: int = 70):
    """Replace a slider's readout by a label with the number as people write it (0.003).

    d3's formats pad ("0.0030") or switch to exponents; ``view(control)`` shows the label
    next to the slider, as for the base's ``log_slider``.
    """
    control.readout = False
    label = W.Label(human(control.value, digits), layout=W.Layout(width=f"{readout_px}px"))
    control.observe(lambda change: setattr(label, "value", human(change["new"], digits)),
                    names="value")
    width = str(control.layout.width)
    if width.endswith("px"):
        control.layout.width = f"{int(float(width[:-2])) - readout_px}px"
    control._dl_display = W.HBox([control, label])
    return control


def ipympl_workarounds(app) -> None:
    """Two fixes for how ipympl shows a figure in the browser (both belong in the base).

    1. Whole pixels.  ``App.fit`` sizes the figure in fractional pixels (836 x 334.4); the
       canvas bitmap is 334 px high but its CSS height 334.4 px, so the browser rescaled it
       and every line and letter came out blurred.  The size is rounded to whole pixels.
    2. A whole image after a full draw.  ipympl's browser side loads each image into ONE
       ``Image`` object: an image that arrives while the previous one is still decoding
       replaces it, and the previous is never painted.  A blit sends a diff (the changed
       pixels only); right after a full draw (the width probe's resize, then a slider value
       snapped by the browser) the full picture was dropped and the diff painted on a cleared
       canvas: only the moving artists showed, on a blank figure, until the next full draw.
       After each full draw the next image is sent whole, so losing the previous costs
       nothing.
    """
    resize = app._resize
    app._resize = lambda w_px, h_px: resize(round(w_px), round(h_px))
    canvas = app.fig.canvas
    draw = canvas.draw

    def draw_then_send_whole():
        draw()
        canvas._force_full = True

    canvas.draw = draw_then_send_whole


def shown_value(control) -> float:
    """A log slider's value as its readout shows it (two significant digits: 50, not 50.12).

    The browser moves a log slider to its grid (50 becomes 10^1.7 = 50.12); the widget
    computes with the number the learner reads.
    """
    return float(human(float(control.value)))


def check_steps(steps, lo: int = 1, hi: int = 2000) -> int:
    steps = check_int(steps, "steps", minimum=lo)
    if steps > hi:
        raise ValueError(f"steps must lie in [{lo}, {hi}] (the widget recomputes every path on "
                         f"each change); got {steps}")
    return steps


def check_point(point, name: str = "start") -> tuple:
    arr = as_array(point, name, ndim=1, spec="(2,)")
    if arr.shape != (2,):
        raise ValueError(f"{name} must be a point (x, y) of shape (2,); got shape "
                         f"{shape_str(arr.shape)}")
    return float(arr[0]), float(arr[1])


class ContourLines:
    """Contour lines of a loss surface as ONE line collection that is updated in place.

    ``ax.contour`` makes a new artist per call; this collection keeps its identity, so a
    widget can redraw it alone (blitting) when κ changes the surface.  Levels are spaced
    evenly in log(loss - base) (``dlcore.viz.optim.contour_levels``), coloured like ``ax.contour``
    with ``cmap`` over the level range.
    """

    def __init__(self, ax, cmap: str, n: int = 101, linewidth: float = 0.8):
        self.ax, self.n = ax, n
        self.lines = LineCollection([], cmap=matplotlib.colormaps[cmap], norm=Normalize(),
                                    linewidths=linewidth, zorder=1)
        ax.add_collection(self.lines)
        self.key, self._seen = None, {}
        self.levels = np.array([])

    def update(self, loss_fn, xlim, ylim, base, key=None) -> bool:
        """Trace the contours of ``loss_fn`` over the window; False if ``key`` is unchanged."""
        if key is not None and key == self.key:
            return False
        if key is None or key not in self._seen:
            traced = self._trace(loss_fn, xlim, ylim, base)
            if key is not None:
                if len(self._seen) >= 32:
                    self._seen.clear()
                self._seen[key] = traced
        else:
            traced = self._seen[key]
        segments, values, levels = traced
        self.lines.set_segments(segments)
        self.lines.set_array(np.asarray(values, dtype=np.float64))
        self.lines.norm.vmin, self.lines.norm.vmax = float(levels[0]), float(levels[-1])
        self.levels, self.key = levels, key
        self.ax.set_xlim(xlim)
        self.ax.set_ylim(ylim)
        return True

    def _trace(self, loss_fn, xlim, ylim, base):
        import contourpy

        X, Y, Z = loss_grid(loss_fn, xlim, ylim, self.n)
        levels = contour_levels(Z, base)
        finite = np.isfinite(Z)
        Z = np.where(finite, Z, np.nanmax(np.where(finite, Z, -np.inf)))
        gen = contourpy.contour_generator(X, Y, Z, line_type="Separate")
        segments, values = [], []
        for level in levels:
            for seg in gen.lines(level):
                segments.append(seg)
                values.append(level)
        return segments, values, levels


def sticky_limits(ax, lo: float, hi: float, log: bool = False, axis: str = "y",
                  slack: float | None = None, force: bool = False, pad: float = 0.05) -> bool:
    """Set the axis to show [lo, hi], unless it already does without wasting much room.

    Limits that stay put let a widget blit (redraw only its moving artists) instead of a full
    draw.  ``slack``: how much larger than needed the current range may be (decades on a log
    axis, default 3; a factor on a linear axis, default 2.5).  Returns True if the limits
    changed.  ``force`` sets them whatever the current ones (after a change of scale); ``pad``
    the margin of a linear axis, as a fraction of hi - lo.
    """
    get = ax.get_ylim if axis == "y" else ax.get_xlim
    set_ = ax.set_ylim if axis == "y" else ax.set_xlim
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi <= lo:
        return False
    cur_lo, cur_hi = (np.inf, -np.inf) if force else sorted(get())
    if log:
        if lo <= 0:
            return False
        f = np.log10
        slack = 3.0 if slack is None else slack
        fits = cur_lo > 0 and cur_lo <= lo and cur_hi >= hi and \
            (f(cur_hi) - f(cur_lo)) <= (f(hi) - f(lo)) + slack
        if fits:
            return False
        set_(lo / 2, hi * 2)
        return True
    slack = 2.5 if slack is None else slack
    if cur_lo <= lo and cur_hi >= hi and (cur_hi - cur_lo) <= slack * (hi - lo):
        return False
    margin = pad * (hi - lo)
    set_(lo - margin, hi + margin)
    return True


def finite_rows(path: np.ndarray) -> int:
    """Number of leading rows of ``path`` that are finite (the whole path if it never overflows)."""
    bad = ~np.all(np.isfinite(path.reshape(path.shape[0], -1)), axis=1)
    return int(np.argmax(bad)) if bad.any() else path.shape[0]
