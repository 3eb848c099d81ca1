"""Pieces shared by the widgets of lectures 5-7 (the backprop and activations widgets import
them from here): rows of controls, steady axis limits, legends under a plot, numbers written
for people, and ``DirtyRegions``, which redraws only the parts of a figure that changed.
"""

from __future__ import annotations

import math

import ipywidgets as W
import numpy as np
from matplotlib.collections import Collection
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox, ScaledTranslation

from .._base import PALETTE, human, style_axes, view


def row(*controls, gap: int = 12) -> W.Box:
    """Controls side by side, wrapping onto the next line when the output area is narrow."""
    return W.Box([view(c) for c in controls], layout=W.Layout(
        display="flex", flex_flow="row wrap", align_items="center", grid_gap=f"0 {gap}px",
        width="100%"))


def steady_limits(current, lo: float, hi: float, *, log: bool = False, slack: float = 3.0,
                  pad: float = 0.08, headroom: float = 0.3):
    """Axis limits that show [lo, hi] and change as rarely as possible.

    ``current`` (lo, hi) is kept while it contains [lo, hi] and is at most ``slack`` times as
    wide (the data still fill a third of the axis); otherwise the new limits are [lo, hi] padded
    by ``pad`` and widened by ``headroom`` of the span (on a log axis: in decades), so that the
    next small change of a control fits without new axis limits, which would mean a redraw of
    the whole figure instead of only the moving artists.
    """
    f = math.log10 if log else float
    g = (lambda v: 10.0 ** v) if log else float
    a, b = sorted((f(lo), f(hi)))
    span = max(b - a, 0.5 if log else 1e-9 * max(1.0, abs(a), abs(b)))
    if current is not None:
        ca, cb = f(current[0]), f(current[1])
        if ca <= a and b <= cb and cb - ca <= slack * span * (1 + 2 * pad):
            return tuple(current)
    extra = span * (pad + headroom)
    return g(a - extra), g(b + extra)


def keep_above(ax, below, outside=()):
    """The artists of ``ax`` drawn after ``below`` (by zorder, then order of creation).

    A blitted artist is drawn over the cached background, so whatever sits above it in the
    axes (points over a shaded region, say) must be redrawn with it, in the same order.  The
    axes' legend counts only when it is inside the axes (not anchored outside: ``outside``
    lists artists that are known not to overlap).
    """
    children = [a for a in ax.get_children() if a is not ax.patch]
    order = {id(a): k for k, a in enumerate(children)}
    ranked = sorted(children, key=lambda a: (a.get_zorder(), order[id(a)]))
    start = min(ranked.index(a) for a in below)
    skip = {id(ax.xaxis), id(ax.yaxis), id(ax.title), id(ax._left_title), id(ax._right_title),
            *(id(a) for a in outside)}
    return [a for a in ranked[start:] if id(a) not in skip]


def _signature(artist):
    """What a redraw of ``artist`` depends on (for the artists a widget updates in place)."""

    def data(values):
        return hash(np.ascontiguousarray(values).tobytes())

    if not artist.get_visible():
        return None
    if isinstance(artist, Text):
        return (artist.get_text(), str(artist.get_color()), str(artist.get_fontweight()),
                tuple(artist.get_position()))
    if isinstance(artist, Patch):
        return (tuple(artist.get_edgecolor()), tuple(artist.get_facecolor()),
                artist.get_linewidth())
    if isinstance(artist, Line2D):
        return (data(artist.get_xydata()), str(artist.get_color()), artist.get_linewidth(),
                str(artist.get_linestyle()), str(artist.get_marker()),
                artist.get_markersize())
    if isinstance(artist, Collection):
        paths = artist.get_paths()
        sizes = artist.get_sizes() if hasattr(artist, "get_sizes") else ()
        return (data(artist.get_offsets()), data(artist.get_facecolors()),
                data(artist.get_edgecolors()), data(sizes), data(artist.get_linewidths()),
                tuple(data(p.vertices) for p in paths))
    if isinstance(artist, AxesImage):
        return data(artist.get_array())
    return id(artist), artist.stale  # anything else: redraw whenever it is marked stale


def _merge(rects):
    """Union of overlapping rectangles (x0, y0, x1, y1) until none overlap."""
    rects = list(rects)
    merged = True
    while merged:
        merged = False
        out = []
        for r in rects:
            for k, o in enumerate(out):
                if r[0] <= o[2] and o[0] <= r[2] and r[1] <= o[3] and o[1] <= r[3]:
                    out[k] = (min(r[0], o[0]), min(r[1], o[1]), max(r[2], o[2]),
                              max(r[3], o[3]))
                    merged = True
                    break
            else:
                out.append(r)
        rects = out
    return rects


class DirtyRegions:
    """Mix-in for an ``App``: redraw only the dynamic artists that changed, and what they cover.

    ``App.redraw`` blits every dynamic artist on each change.  When there are many of them
    (the ~70 boxes, texts and circles of a computational graph) and a change alters a few
    (the boxes of one backward step), this redraws only the rectangles of the artists whose
    text, colour or position changed: each rectangle is restored from the cached background
    and the dynamic artists that reach into it are drawn again, clipped to it.  Text is the
    most expensive thing to draw, so this saves most of the time.
    """

    _drawn: dict | None = None

    def _after_full_draw(self, event) -> None:
        super()._after_full_draw(event)
        self._drawn = None
        if self._dynamic and self._background is not None:
            renderer = self.fig.canvas.get_renderer()
            self._drawn = {id(a): (_signature(a), self._extent(a, renderer))
                           for a in self._dynamic}

    @staticmethod
    def _extent(artist, renderer):
        """Window extent (x0, y0, x1, y1) in pixels, with half a line's (or an edge's) width."""
        if not artist.get_visible():
            return None
        box = artist.get_window_extent(renderer)
        if not np.all(np.isfinite(box.extents)):  # collections (mpl 3.11): from their data
            box = Bbox.null()
            if isinstance(artist, Collection) and artist.axes is not None:
                data = artist.axes.transData
                box = artist.get_datalim(data).transformed(data)
            if not np.all(np.isfinite(box.extents)):  # nothing to draw, or not in data units
                box = (artist.axes or artist.figure).bbox
        pad = 0.0
        if isinstance(artist, Patch):
            pad = artist.get_linewidth() / 2
        elif isinstance(artist, Line2D):
            pad = max(artist.get_linewidth(), artist.get_markersize()) / 2 + 1
        elif isinstance(artist, Collection):  # a scatter's extent holds only the centres
            sizes = artist.get_sizes() if hasattr(artist, "get_sizes") else ()
            widths = artist.get_linewidths()
            pad = (np.sqrt(np.max(sizes)) / 2 if len(sizes) else 0.0) + \
                (np.max(widths) if len(widths) else 0.0) + 1
        pad *= artist.figure.dpi / 72
        return (box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad)

    def _whole_markers(self, rects, drawn):
        """Rectangles grown to hold every marker artist they cut: Agg clips a marker one pixel
        off a clip rectangle's edge, which would draw that pixel twice."""
        def cuts(e, r):
            overlaps = e[0] < r[2] and r[0] < e[2] and e[1] < r[3] and r[1] < e[3]
            inside = r[0] <= e[0] and e[2] <= r[2] and r[1] <= e[1] and e[3] <= r[3]
            return overlaps and not inside

        markers = [drawn[id(a)][1] for a in self._dynamic
                   if drawn[id(a)][1] is not None
                   and (isinstance(a, Collection) or (isinstance(a, Line2D)
                                                      and a.get_marker() not in ("", "None",
                                                                                 None, " ")))]
        grown = True
        while grown:
            grown = False
            for e in markers:
                if any(cuts(e, r) for r in rects):
                    rects = _merge([*rects, (e[0] - 1, e[1] - 1, e[2] + 1, e[3] + 1)])
                    grown = True
        return rects

    def redraw(self, full: bool = False) -> None:
        fig = self.fig
        if (full or self._drawn is None or self._background is None
                or self._axis_limits() != self._limits):
            self._drawn = None
            super().redraw(full)
            return
        canvas = fig.canvas
        renderer = canvas.get_renderer()
        drawn, rects = {}, []
        for a in self._dynamic:
            sig = _signature(a)
            old_sig, old_ext = self._drawn.get(id(a), (None, None))
            if sig == old_sig and id(a) in self._drawn:
                drawn[id(a)] = (sig, old_ext)
                continue
            ext = self._extent(a, renderer)
            drawn[id(a)] = (sig, ext)
            # one pixel more: antialiased edges reach a little past the extent
            rects += [(e[0] - 1, e[1] - 1, e[2] + 1, e[3] + 1) for e in (old_ext, ext)
                      if e is not None]
        self._drawn = drawn
        if not rects:
            return
        rects = self._whole_markers(_merge(rects), drawn)
        width, height = fig.bbox.width, fig.bbox.height
        for x0, y0, x1, y1 in rects:
            x0, y0 = max(0, math.floor(x0)), max(0, math.floor(y0))
            x1, y1 = min(int(width), math.ceil(x1)), min(int(height), math.ceil(y1))
            if x1 <= x0 or y1 <= y0:
                continue
            # (rows counted from the top; Agg restores the last row and column too)
            canvas.restore_region(self._background,
                                  bbox=(x0, height - y1, x1 - 1, height - y0 - 1), xy=(0, 0))
            clip = Bbox([[x0, y0], [x1, y1]])
            for a in self._dynamic:
                ext = drawn[id(a)][1]
                if ext is None or ext[0] >= x1 or ext[2] <= x0 or ext[1] >= y1 or ext[3] <= y0:
                    continue
                # within the artist's own clip box (a line stops at the axes' edge)
                own = a.get_clip_box() if a.get_clip_on() else None
                box = clip if own is None else Bbox.intersection(clip, own)
                if box is None:
                    continue
                with a._cm_set(clip_box=box, clip_on=True):
                    fig.draw_artist(a)
        canvas.blit(fig.bbox)


def below(ax, points: float = 32):
    """A transform for ``bbox_to_anchor``: axes coordinates moved down by ``points``, past the
    tick labels and the x label, so that a legend there sits under the plot, clear of data."""
    return ax.transAxes + ScaledTranslation(0, -points / 72, ax.figure.dpi_scale_trans)


_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076"
                                            "\u2077\u2078\u2079")


def readable(value: float, digits: int = 2) -> str:
    """A number for a reader: 0.05, 1.4, 530, 12,000, 530,000 and 1.9 × 10⁻⁶ (never
    ``1.88e-06``): ``digits`` significant digits, powers of ten outside [0.001, 10 million)."""
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return f"{abs(value) if value == 0 else value:g}"  # 0, never -0
    if 1e-3 <= abs(value) < 1e7:
        return human(value, digits) if abs(value) < 1000 else \
            f"{float(f'{value:.{max(digits, 2)}g}'):,.0f}"
    exponent = math.floor(math.log10(abs(value)))
    mantissa = human(value / 10 ** exponent, digits)
    if mantissa.lstrip("-") == "10":  # 9.99 rounds up
        mantissa, exponent = mantissa.replace("10", "1"), exponent + 1
    return f"{mantissa} \u00d7 10{str(exponent).translate(_SUPERSCRIPT)}"


def scatter_classes(ax, X, y, extent, size: float) -> None:
    """The two classes of a 2-D dataset (X (N, 2), y (N,) in {0, 1}) as blue circles and
    orange squares over ``extent`` (x0, x1, y0, y1), with their legend beside the axes, where
    it covers no point and is drawn once."""
    for cls, (colour, marker) in enumerate(((PALETTE["blue"], "o"),
                                            (PALETTE["orange"], "s"))):
        sel = y == cls
        ax.scatter(X[sel, 0], X[sel, 1], s=size, c=colour, marker=marker,
                   edgecolors="black", linewidths=0.4, label=f"class {cls}", zorder=3)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0)
    style_axes(ax, "", "x1", "x2")
