"""Small helpers shared by the sequence and gate widgets (private): argument checks, number
formats, rows of controls, axis limits that do not move on every key press, and the
box-and-arrow artists of the RNN diagrams.
"""

from __future__ import annotations

import numbers

import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .._base import in_range
from .._text import cached_text

__all__ = ["in_range", "real_in_range", "fmt", "sci", "num", "control_rows", "sticky_limits",
           "figure_legend", "LegendFits", "FullFrames", "NARROW_PX", "Box", "arrow", "choice",
           "figure_grid"]


def figure_grid(nrows: int, ncols: int, figsize, width_ratios=None, height_ratios=None,
                sharex: bool = False):
    """A widget-owned (ipympl) figure with a grid of axes of the given relative sizes."""
    from .._base import make_figure

    fig, ax = make_figure(1, 1, figsize=figsize)
    ax.remove()
    axes = fig.subplots(nrows, ncols, width_ratios=width_ratios, height_ratios=height_ratios,
                        sharex=sharex, squeeze=True)
    return fig, axes


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


_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076"
                             "\u2077\u2078\u2079")


def sci(x: float, digits: int = 2) -> str:
    """Scientific notation as people write it: ``3.2 × 10⁻⁵`` (never ``3.20e-05``)."""
    x = float(x)
    if x == 0 or not np.isfinite(x):
        return f"{x:g}"
    exponent = int(np.floor(np.log10(abs(x))))
    mantissa = x / 10.0 ** exponent
    if round(abs(mantissa), digits - 1) >= 10:  # 9.96 rounds up to 10: carry the exponent
        mantissa /= 10
        exponent += 1
    m = f"{mantissa:.{max(digits - 1, 0)}f}".rstrip("0").rstrip(".")
    return f"{m} × 10{str(exponent).translate(_SUPERSCRIPT)}"


def num(x: float, digits: int = 2) -> str:
    """A number for a readout: 0.05, 1.4, 50 (``human``); ``3.2 × 10⁻⁵`` when tiny or huge."""
    from .._base import human

    x = float(x)
    if x != 0 and np.isfinite(x) and not 1e-3 <= abs(x) < 1e5:
        return sci(x, digits)
    return human(x, digits) if abs(x) < 1e3 else f"{x:,.0f}"


def fmt(x: float, digits: int = 3) -> str:
    """A number with ``digits`` decimals when moderate (0.600), ``sci`` when tiny or huge."""
    x = float(x)
    if x == 0 or (1e-3 <= abs(x) < 1e5):
        return f"{x:,.{digits}f}"
    return sci(x, max(digits, 2))


def control_rows(app, *rows) -> None:
    """Lay the app's controls out in rows (names from ``app.controls``), each row wrapping
    when the output area is narrow; log sliders keep their readout label (``view``)."""
    import ipywidgets as W

    from .._base import view

    app.arrange([W.HBox([view(app.controls[n]) for n in row],
                        layout=W.Layout(flex_flow="row wrap", align_items="center"))
                 for row in rows])


def sticky_limits(current, lo: float, hi: float, log: bool = False, fill: float = 0.45,
                  margin: float = 0.08, min_span: float = 0.0):
    """Axis limits for data in [lo, hi] that stay put while the data fits and fills enough.

    ``current`` (lo, hi) is kept when the data lies inside it and spans at least ``fill`` of
    it, so small changes of a control redraw only the moving artists (no new ticks, no full
    draw); otherwise the new limits are [lo, hi] with ``margin`` of their span on each side
    (on log10 values when ``log``).  ``min_span`` is the smallest span (in decades if log).
    """
    if log:
        lo, hi = np.log10(max(lo, 1e-300)), np.log10(max(hi, 1e-300))
        if current is not None:
            current = np.log10(np.maximum(np.asarray(current, dtype=float), 1e-300))
    span = max(hi - lo, min_span, 1e-12)
    if current is not None:
        c_lo, c_hi = current
        if c_lo <= lo and hi <= c_hi and span >= fill * (c_hi - c_lo):
            out = (float(c_lo), float(c_hi))
            return tuple(10.0 ** v for v in out) if log else out
    mid = (lo + hi) / 2
    lo, hi = min(lo, mid - span / 2), max(hi, mid + span / 2)
    out = (lo - margin * span, hi + margin * span)
    return tuple(float(10.0 ** v) for v in out) if log else tuple(float(v) for v in out)


class Box:
    """A rounded box with a centred label, moved, recoloured and hidden in place."""

    def __init__(self, ax, xy=(0.0, 0.0), width=1.0, height=0.6, colour="#FFFFFF",
                 edge="#000000", fontsize=9.0):
        self.width, self.height = width, height
        self.patch = FancyBboxPatch((xy[0] - width / 2, xy[1] - height / 2), width, height,
                                    boxstyle="round,pad=0.02,rounding_size=0.08",
                                    facecolor=colour, edgecolor=edge, linewidth=1.2)
        ax.add_patch(self.patch)
        self.text = cached_text(ax, xy[0], xy[1], "", ha="center", va="center", fontsize=fontsize)

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


#: Below this width (px) of output area a figure legend goes under the plot, not beside it.
NARROW_PX = 620


def _proxy(artist):
    """A visible stand-in for a legend entry (a legend copies the visibility of its handles,
    and a curve hidden for now should still be explained)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if isinstance(artist, Line2D):
        return Line2D([], [], color=artist.get_color(), ls=artist.get_linestyle(),
                      lw=artist.get_linewidth(), marker=artist.get_marker(),
                      ms=artist.get_markersize(), mfc=artist.get_markerfacecolor(),
                      mec=artist.get_markeredgecolor(), mew=artist.get_markeredgewidth(),
                      label=artist.get_label())
    if hasattr(artist, "get_facecolor") and hasattr(artist, "get_edgecolor"):
        return Patch(facecolor=artist.get_facecolor(), edgecolor=artist.get_edgecolor(),
                     ls=artist.get_linestyle(), lw=artist.get_linewidth(),
                     fill=artist.get_fill(), hatch=artist.get_hatch(),
                     label=artist.get_label())
    return artist


def figure_legend(fig, handles, below: bool = False, ncol: int = 1, fontsize: float = 8.0,
                  ax=None):
    """A legend outside the data, replacing the previous one: right of ``ax`` (its first axes
    by default), or under the plot (``below``, for narrow output areas); constrained layout
    makes room for it."""
    ax = ax if ax is not None else fig.axes[0]
    handles = [_proxy(h) for h in handles]
    for old in list(fig.legends):
        old.remove()
    for a in fig.axes:
        if a.get_legend() is not None:
            a.get_legend().remove()
    if below:
        return fig.legend(handles=handles, loc="outside lower center", ncol=ncol,
                          fontsize=fontsize)
    return ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1),
                     borderaxespad=0, fontsize=fontsize)


class FullFrames:
    """Mixin for an ``App`` that blits: every frame goes to the browser whole, not as the
    difference to the previous one.

    ipympl's front end loads each frame into one ``Image``; a frame that arrives before the
    previous one has loaded replaces it (``image.src = ...``), so the previous one is never
    drawn.  Losing a whole frame is harmless (the next one has everything), losing a
    difference leaves stale pixels (boxes half drawn, old curves) until the next full draw:
    it happens as soon as key presses come faster than the kernel answers.  A whole frame
    costs a few ms more to encode (about 40 KB instead of 5)."""

    def redraw(self, full: bool = False) -> None:
        if self.fig is not None:
            self.fig.canvas._force_full = True
        super().redraw(full)


class LegendFits:
    """Mixin for an ``App`` whose legend moves under the plot when the widget is narrow (and
    the figure then keeps a height of at least 0.85 times its width, for the plot and the
    key): the subclass defines ``_place_legend(below: bool)``; ``self._legend_below`` tells
    ``update`` to use short titles."""

    _legend_below = False

    def fit(self, width: int) -> None:
        super().fit(width)
        if not width or width < 100:
            return
        below = width < NARROW_PX
        if below:
            w, h = self.fig.get_size_inches() * self.fig.dpi
            if h < 0.85 * w:
                self._resize(w, 0.85 * w)
        if below != self._legend_below:
            self._legend_below = below
            self._place_legend(below)

