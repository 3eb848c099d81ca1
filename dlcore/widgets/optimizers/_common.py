"""Plumbing shared by the optimizer widgets: layout, step/play row, surface checks and contours."""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from ..._checks import as_array, check_int, shape_str
from ...viz.optim import _grid, _levels
from .._base import button, play_controls


def arrange(app, rows) -> None:
    """Lay the controls of ``app`` out as ``rows`` (widgets or boxes) instead of one column."""
    body = app.children[1] if app._title is not None else app.children[0]
    body.children[0].children = tuple(rows)


def step_row(steps: int, description: str = "step t", interval_ms: int = 80):
    """``(row, step_slider, play)``: play/pause, a step slider and a one-step button."""
    play, step = play_controls(steps, interval_ms=interval_ms, description=description)
    step.tooltip = "how many optimizer steps are drawn (arrow keys step one at a time)"
    play.value = step.value = steps
    forward = button("step ▸", tooltip="advance one optimizer step", icon="")
    forward.layout = W.Layout(width="70px")

    def advance(_button=None):
        step.value = min(step.value + 1, step.max)

    forward.on_click(advance)
    return W.HBox([play, step, forward]), step, play, forward


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


def redraw_contours(ax, old, loss_fn, xlim, ylim, base, cmap: str, n: int = 101):
    """Replace the contour set ``old`` (None the first time) by the contours of ``loss_fn``.

    Contour sets cannot move their lines in place; they change only with the surface, while the
    paths drawn over them are updated with ``set_data``.
    """
    if old is not None:
        old.remove()
    X, Y, Z = _grid(loss_fn, xlim, ylim, n)
    cs = ax.contour(X, Y, Z, levels=_levels(Z, base), cmap=cmap, linewidths=0.8, zorder=1)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    return cs


def finite_rows(path: np.ndarray) -> int:
    """Number of leading rows of ``path`` that are finite (the whole path if it never overflows)."""
    bad = ~np.all(np.isfinite(path.reshape(path.shape[0], -1)), axis=1)
    return int(np.argmax(bad)) if bad.any() else path.shape[0]
