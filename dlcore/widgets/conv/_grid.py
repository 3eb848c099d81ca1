"""Grid artists and layout helpers shared by the convolution widgets (private).

``NumberGrid`` is the live counterpart of ``viz.conv.number_grid`` (the same numbers, cell
colours and text colours: ``format_number``, ``colour_limits``, ``text_colours``).  It draws
a matrix as coloured cells with a number in each cell and updates it in place: the image
data, extent and colour limits change, and a pool of text artists (grown on demand, never
re-created) is moved, relabelled or hidden, so a grid can change size without clearing the
axes.  Cell borders are one ``LineCollection`` (not minor ticks and grid lines, which cost
most of a draw), highlighted cells a tinted ``PolyCollection`` with an outline.

Numbers are never drawn below ``MIN_PT`` points (10 px on screen): when the labels do not fit
the cells at that size, a grid falls back to its short labels, then to no numbers at all
(``numbers_hidden``); the colours still show the values.

Shape legend: values (H, W); mask (H, W) boolean.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_rgba

from ...viz.conv import colour_limits, format_number, outline_segments, text_colours
from .._base import CMAP, DIVERGING, DPI, PALETTE, in_range, make_figure, view
from .._text import cached_text
from ._redraw import GridApp, axes_fraction

__all__ = ["NumberGrid", "parse_matrix", "matrix_text", "shifted", "fmt", "figure_row",
           "two_columns", "in_range", "GridApp", "MIN_PT", "label_fits", "cell_px", "text_px",
           "BottomLegend"]

fmt = format_number
#: Smallest font size (points) of figure text: 10.4 px on screen at the widgets' DPI.
MIN_PT = 7.5


def figure_row(width_ratios, figsize):
    """A widget-owned figure with one row of axes of the given relative widths."""
    fig, ax = make_figure(1, 1, figsize=figsize)
    ax.remove()
    axes = fig.subplots(1, len(width_ratios), width_ratios=list(width_ratios), squeeze=False)
    return fig, list(axes[0])


def two_columns(app, left, right) -> None:
    """Lay the app's controls out in two columns (names from ``app.controls``).

    Goes through ``app.arrange`` and ``view`` so that a log slider keeps its readout label.
    """
    import ipywidgets as W

    app.arrange([W.HBox([W.VBox([view(app.controls[n]) for n in left],
                                layout=W.Layout(margin="0 16px 0 0")),
                         W.VBox([view(app.controls[n]) for n in right])],
                        layout=W.Layout(flex_flow="row wrap"))])


def cell_px(ax, h: int, w: int) -> float:
    """On-screen size (px) of one cell of an (h, w) grid drawn with equal aspect on ``ax``.

    Uses the axes' position in figure fractions (the last layout's, or the grid's before the
    first draw) times the figure's current size, so it follows ``App.fit``.
    """
    fig = ax.figure
    pos = axes_fraction(ax)
    width, height = fig.get_size_inches() * fig.dpi
    return min(pos.width * width / max(w, 1), pos.height * height / max(h, 1))


#: Advance widths (in em) of DejaVu Sans, the widgets' font, for the characters of numbers.
_EM = {**dict.fromkeys("0123456789", 0.64), **dict.fromkeys(".,:; ", 0.32), "-": 0.36,
       "−": 0.84, "×": 0.84, "=": 0.84, "+": 0.84, "/": 0.34, "(": 0.39, ")": 0.39}


def text_px(text: str, size_pt: float) -> float:
    """Width (px) of one line of ``text`` at ``size_pt`` points (DejaVu Sans, DPI)."""
    return sum(_EM.get(ch, 0.62) for ch in text) * size_pt * DPI / 72.0


def label_fits(labels, size_pt: float, cell, height=None) -> bool:
    """Whether every label (lines split at newlines) fits a cell ``cell`` px wide and
    ``height`` px high (default square)."""
    labels = [str(label) for label in labels]
    if not labels:
        return True
    height = cell if height is None else height
    px = size_pt * DPI / 72.0
    width = max(text_px(line, size_pt) for label in labels for line in label.split("\n"))
    n_lines = max(label.count("\n") + 1 for label in labels)
    return width + 2 <= 0.94 * cell and n_lines * 1.25 * px <= 0.94 * height


class BottomLegend:
    """A figure legend below the panels: it covers no data, never needs repainting (it is no
    axes' child) and takes ``wide`` columns, or ``narrow`` ones when the widget is given fewer
    than ``min_px`` pixels (call ``fit(width)`` from the App's ``fit``)."""

    def __init__(self, fig, handles, wide: int = 3, narrow: int = 2, min_px: int = 640,
                 fontsize: float = 8.0):
        self.fig, self.handles, self.fontsize = fig, list(handles), fontsize
        self.wide, self.narrow, self.min_px = wide, narrow, min_px
        self.legend = None
        self._place(wide)

    def _place(self, ncols: int) -> None:
        if self.legend is not None:
            if self.legend._ncols == ncols:
                return
            self.legend.remove()  # the number of columns is fixed when a legend is made
        self.legend = self.fig.legend(handles=self.handles, loc="outside lower center",
                                      ncols=ncols, fontsize=self.fontsize, frameon=False)

    def fit(self, width: int) -> None:
        if width and width >= 100:
            self._place(self.wide if width >= self.min_px else self.narrow)


class NumberGrid:
    """A matrix drawn on ``ax`` as cells with numbers, updated in place by ``show``."""

    def __init__(self, ax, max_shape=(16, 16), fontsize: float = 9.0, cmap=CMAP,
                 highlight_colour: str = PALETTE["vermillion"], tint: float = 0.3,
                 pool: int = 36):
        self.ax = ax
        self.pool = pool
        self.max_shape = max_shape
        self.fontsize = max(float(fontsize), MIN_PT)
        self.cmap = cmap
        self.image = ax.imshow(np.zeros((1, 1)), cmap=cmap, vmin=0, vmax=1,
                               interpolation="nearest", zorder=1)
        rgba = np.array(to_rgba(highlight_colour))
        self.tint = PolyCollection([], facecolors=[rgba * [1, 1, 1, tint]],
                                   edgecolors="none", zorder=2)
        self.borders = LineCollection([], colors="white", linewidths=0.8, zorder=2.5)
        # the highlighted cells are tinted and outlined (white band under a coloured line)
        self.outline = [LineCollection([], colors=c, linewidths=lw, zorder=z)
                        for c, lw, z in (("white", 4.5, 5), (highlight_colour, 2.2, 6))]
        for coll in (self.tint, self.borders, *self.outline):
            ax.add_collection(coll, autolim=False)
        self.texts: list = []   # grown on demand, row-major for the current shape
        ax.grid(False)
        self.shape = (0, 0)
        self.values = np.zeros((1, 1))
        self.mask = np.zeros((1, 1), dtype=bool)
        self.numbers_hidden = False
        self.size = self.fontsize
        self.changed = True       # the cells (not the highlight) changed since the last draw
        self._signature = None

    def artists(self, highlight_only: bool = False) -> list:
        """What ``show`` changes, for ``App.set_dynamic``: everything (texts included), or
        only the highlight (tint and outline) when the cells themselves stay as they are
        until the next full draw (every text blitted costs about a millisecond)."""
        if highlight_only:
            return [self.tint, *self.outline]
        return [self.image, self.tint, self.borders, *self.outline, *self.texts]

    def _grow(self, n: int) -> None:
        # grow in steps, since every new text means one full draw (App.set_dynamic)
        if len(self.texts) < n:
            n = min(max(n, 2 * len(self.texts), self.pool),
                    max(n, self.max_shape[0] * self.max_shape[1]))
        while len(self.texts) < n:
            self.texts.append(cached_text(self.ax, 0, 0, "", ha="center", va="center",
                                          fontsize=self.fontsize, visible=False, zorder=4))

    def _set_shape(self, h: int, w: int) -> None:
        if (h, w) == self.shape:
            return
        self.shape = (h, w)
        ax = self.ax
        ax.set_xlim(-0.5, w - 0.5)
        ax.set_ylim(h - 0.5, -0.5)
        ax.set_xticks(np.arange(w) if w <= 16 else np.arange(0, w, 4))
        ax.set_yticks(np.arange(h) if h <= 16 else np.arange(0, h, 4))
        xs, ys = np.arange(1, w) - 0.5, np.arange(1, h) - 0.5
        segs = [[(x, -0.5), (x, h - 0.5)] for x in xs] + \
               [[(-0.5, y), (w - 0.5, y)] for y in ys]
        self.borders.set_segments(segs if max(h, w) <= 40 else [])

    def show(self, values, *, labels=None, short_labels=None, vmin=None, vmax=None, mask=None,
             numbers: bool = True, fontsize: float | None = None, diverging=None) -> None:
        """Draw ``values`` (NaN cells are left blank), label each cell, outline ``mask``.

        ``labels`` (H lists of W strings) replace the numbers; ``short_labels`` are used when
        those do not fit the cells at ``MIN_PT`` points.
        """
        values = np.asarray(values, dtype=np.float64)
        h, w = values.shape
        vmin, vmax, diverging = colour_limits(values, vmin, vmax, diverging)
        self.image.set_cmap(DIVERGING if diverging else self.cmap)
        self.image.set_data(values)
        self.image.set_clim(vmin, vmax)
        self.image.set_extent((-0.5, w - 0.5, h - 0.5, -0.5))
        self._set_shape(h, w)
        mask = np.zeros((h, w), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
        cells = list(zip(*np.nonzero(mask)))
        self.tint.set_verts([[(j - 0.5, i - 0.5), (j + 0.5, i - 0.5), (j + 0.5, i + 0.5),
                              (j - 0.5, i + 0.5)] for i, j in cells])
        segments = outline_segments(cells)
        for lines in self.outline:
            lines.set_segments(segments)
        self.mask = mask
        shown = numbers and h <= self.max_shape[0] and w <= self.max_shape[1]
        cell_labels = None
        size = max(fontsize or self.fontsize, MIN_PT)
        if shown:
            finite_cells = np.isfinite(values)
            candidates = [labels] if labels is not None else \
                [[[fmt(v) for v in row] for row in values]]
            if short_labels is not None:
                candidates.append(short_labels)
            cell = cell_px(self.ax, h, w)
            for cand in candidates:
                texts = [cand[i][j] for i in range(h) for j in range(w)
                         if labels is not None or finite_cells[i, j]]
                fit = next((sz for sz in np.arange(size, MIN_PT - 1e-9, -0.5)
                            if label_fits(texts, sz, cell)), None)
                if fit is not None:
                    cell_labels, size = cand, float(fit)
                    break
        self.numbers_hidden = shown and cell_labels is None
        self.size = size
        if cell_labels is not None:
            self._grow(h * w)
        colours = text_colours(values, vmin, vmax, diverging)
        for t, text in enumerate(self.texts):
            i, j = divmod(t, w)
            if cell_labels is not None and t < h * w and (labels is not None
                                                          or np.isfinite(values[i, j])):
                text.set_position((j, i))
                text.set_text(cell_labels[i][j])
                text.set_color(colours[i, j])
                text.set_fontsize(size)
                text.set_visible(True)
            else:
                text.set_visible(False)
        self.values = values
        signature = (values.tobytes(), values.shape, float(vmin), float(vmax), bool(diverging),
                     size, None if cell_labels is None else str(cell_labels))
        if signature != self._signature:
            self._signature = signature
            self.changed = True

    def labels(self) -> list[str]:
        """The visible cell labels, row by row (for tests and text summaries)."""
        h, w = self.shape
        return [t.get_text() for t in self.texts[:h * w] if t.get_visible()]


def parse_matrix(text: str, name: str = "kernel") -> np.ndarray:
    """Rows on separate lines (or separated by ';'), entries by spaces or commas; entries may
    be fractions such as ``1/9``.  Returns a float64 (KH, KW) array or raises ValueError."""
    if not isinstance(text, str):
        raise TypeError(f"{name} text must be a string; got {type(text).__name__}")
    rows = [r for r in text.replace(";", "\n").splitlines() if r.strip()]
    if not rows:
        raise ValueError(f"{name} is empty: type one row per line, e.g. '1 0 -1'")
    try:
        parsed = [[float(Fraction(tok)) for tok in r.replace(",", " ").split()] for r in rows]
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{name} must hold numbers such as 2, -0.5 or 1/9, one row per "
                         f"line; could not read {text!r}") from None
    widths = {len(r) for r in parsed}
    if len(widths) != 1:
        raise ValueError(f"every row of the {name} must have the same number of entries; "
                         f"got rows of lengths {[len(r) for r in parsed]}")
    return np.array(parsed)


def matrix_text(k) -> str:
    """The editable text of a matrix: one row per line, simple fractions kept as ``1/9``."""
    out = []
    for row in np.asarray(k, dtype=np.float64):
        toks = []
        for v in row:
            frac = Fraction(float(v)).limit_denominator(64)
            if v == round(v):
                toks.append(str(int(round(v))))
            elif abs(float(frac) - v) < 1e-12:
                toks.append(f"{frac.numerator}/{frac.denominator}")
            else:
                toks.append(f"{v:.4g}")
        out.append(" ".join(toks))
    return "\n".join(out)


def shifted(x, right: int = 0, down: int = 0) -> np.ndarray:
    """``x`` translated by ``right`` columns and ``down`` rows, zeros shifted in (x (H, W))."""
    h, w = x.shape
    out = np.zeros_like(x)
    if right < w and down < h:
        out[down:, right:] = x[:h - down, :w - right]
    return out
