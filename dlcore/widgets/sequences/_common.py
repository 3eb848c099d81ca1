"""Small helpers shared by the sequence widgets (private): argument checks, number formats,
a two-column control layout and the box-and-arrow artists of the RNN diagrams.
"""

from __future__ import annotations

import numbers

import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ..._checks import check_int

__all__ = ["in_range", "real_in_range", "fmt", "sci", "two_columns", "Box", "arrow",
           "choice", "figure_grid"]


def figure_grid(nrows: int, ncols: int, figsize, width_ratios=None, height_ratios=None,
                sharex: bool = False):
    """A widget-owned (ipympl) figure with a grid of axes of the given relative sizes."""
    from .._base import make_figure

    fig, ax = make_figure(1, 1, figsize=figsize)
    ax.remove()
    axes = fig.subplots(nrows, ncols, width_ratios=width_ratios, height_ratios=height_ratios,
                        sharex=sharex, squeeze=True)
    return fig, axes


def in_range(value, name: str, lo: int, hi: int) -> int:
    """An int starting value for a slider, in [lo, hi] (a slider would clamp it silently)."""
    value = check_int(value, name)
    if not lo <= value <= hi:
        raise ValueError(f"{name} must be between {lo} and {hi} (the slider's range); got "
                         f"{value}")
    return value


def real_in_range(value, name: str, lo: float, hi: float) -> float:
    """A real starting value for a slider, in [lo, hi]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r}")
    value = float(value)
    if not (np.isfinite(value) and lo <= value <= hi):
        raise ValueError(f"{name} must be between {lo} and {hi} (the slider's range); got "
                         f"{value}")
    return value


def choice(value, name: str, options) -> str:
    """One of the allowed option keys (a clear error instead of a silent default)."""
    options = list(options)
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(repr(o) for o in options)}; got "
                         f"{value!r}")
    return value


def fmt(x: float, digits: int = 3) -> str:
    """A number for a readout: fixed point when moderate, scientific when tiny or huge."""
    x = float(x)
    if x == 0 or (1e-3 <= abs(x) < 1e5):
        return f"{x:,.{digits}f}"
    return f"{x:.{max(digits - 1, 1)}e}"


def sci(x: float) -> str:
    """Scientific notation with two significant decimals."""
    return f"{float(x):.2e}"


def two_columns(app, left, right) -> None:
    """Lay the app's controls out in two columns (names from ``app.controls``)."""
    import ipywidgets as W

    body = app.children[1 if app._title is not None else 0]
    body.children[0].children = (W.HBox([W.VBox([app.controls[n] for n in left]),
                                         W.VBox([app.controls[n] for n in right])]),)


class Box:
    """A rounded box with a centred label, moved, recoloured and hidden in place."""

    def __init__(self, ax, xy=(0.0, 0.0), width=1.0, height=0.6, colour="#FFFFFF",
                 edge="#000000", fontsize=9.0):
        self.width, self.height = width, height
        self.patch = FancyBboxPatch((xy[0] - width / 2, xy[1] - height / 2), width, height,
                                    boxstyle="round,pad=0.02,rounding_size=0.08",
                                    facecolor=colour, edgecolor=edge, linewidth=1.2)
        ax.add_patch(self.patch)
        self.text = ax.text(xy[0], xy[1], "", ha="center", va="center", fontsize=fontsize)

    def set(self, label: str | None = None, colour: str | None = None, visible: bool = True,
            xy=None) -> None:
        if xy is not None:
            self.patch.set_x(xy[0] - self.width / 2)
            self.patch.set_y(xy[1] - self.height / 2)
            self.text.set_position(xy)
        if label is not None:
            self.text.set_text(label)
        if colour is not None:
            self.patch.set_facecolor(colour)
        self.patch.set_visible(visible)
        self.text.set_visible(visible)

    @property
    def visible(self) -> bool:
        return self.patch.get_visible()


def arrow(ax, start, end, colour="#000000", lw=1.3) -> FancyArrowPatch:
    """An arrow from ``start`` to ``end`` (data coordinates); move it with set_positions."""
    a = FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=11, color=colour, lw=lw,
                        shrinkA=0, shrinkB=0)
    ax.add_patch(a)
    return a
