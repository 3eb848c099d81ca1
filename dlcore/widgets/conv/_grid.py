"""Grid artists shared by the convolution widgets (private).

``NumberGrid`` draws a matrix as coloured cells with a number in each cell and updates it in
place: the image data, extent and colour limits change, and a fixed pool of text artists is
moved, relabelled or hidden, so a grid can change size without clearing the axes.  A second,
transparent image on top marks highlighted cells.

Shape legend: values (H, W); mask (H, W) boolean.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba

from ..._checks import check_int
from ...viz.conv import format_number, outline_segments
from .._base import CMAP, DIVERGING, PALETTE, make_figure

__all__ = ["NumberGrid", "parse_matrix", "matrix_text", "shifted", "fmt", "figure_row",
           "two_columns", "in_range"]

fmt = format_number


def figure_row(width_ratios, figsize):
    """A widget-owned figure with one row of axes of the given relative widths."""
    fig, ax = make_figure(1, 1, figsize=figsize)
    ax.remove()
    axes = fig.subplots(1, len(width_ratios), width_ratios=list(width_ratios), squeeze=False)
    return fig, list(axes[0])


def in_range(value, name: str, lo: int, hi: int) -> int:
    """An int starting value for a slider, in [lo, hi] (a slider would clamp it silently)."""
    value = check_int(value, name)
    if not lo <= value <= hi:
        raise ValueError(f"{name} must be between {lo} and {hi} (the slider's range); got "
                         f"{value}")
    return value


def two_columns(app, left, right) -> None:
    """Lay the app's controls out in two columns (names from ``app.controls``)."""
    import ipywidgets as W

    body = app.children[1 if app._title is not None else 0]
    body.children[0].children = (W.HBox([W.VBox([app.controls[n] for n in left]),
                                         W.VBox([app.controls[n] for n in right])]),)


class NumberGrid:
    """A matrix drawn on ``ax`` as cells with numbers, updated in place by ``show``."""

    def __init__(self, ax, max_shape=(16, 16), fontsize: float = 9.0, cmap=CMAP,
                 highlight_colour: str = PALETTE["vermillion"]):
        self.ax = ax
        self.max_shape = max_shape
        self.fontsize = fontsize
        self.cmap = cmap
        self.image = ax.imshow(np.zeros((1, 1)), cmap=cmap, vmin=0, vmax=1,
                               interpolation="nearest")
        self.overlay = ax.imshow(np.zeros((1, 1, 4)), interpolation="nearest", zorder=3)
        # the highlighted cells are tinted and outlined (white band under a coloured line)
        self.outline = [LineCollection([], colors=c, linewidths=lw, zorder=z)
                        for c, lw, z in (("white", 4.5, 5), (highlight_colour, 2.2, 6))]
        for lines in self.outline:
            ax.add_collection(lines)
        self._rgba = np.array(to_rgba(highlight_colour))
        self.texts = [[ax.text(j, i, "", ha="center", va="center", fontsize=fontsize,
                               visible=False, zorder=4)
                       for j in range(max_shape[1])] for i in range(max_shape[0])]
        ax.tick_params(which="minor", length=0)
        self.shape = (1, 1)
        self.values = np.zeros((1, 1))

    def show(self, values, *, labels=None, vmin=None, vmax=None, mask=None,
             numbers: bool = True, fontsize: float | None = None, diverging=None) -> None:
        """Draw ``values`` (NaN cells are left blank), label each cell, outline ``mask``."""
        values = np.asarray(values, dtype=np.float64)
        h, w = values.shape
        finite = values[np.isfinite(values)]
        lo = float(finite.min()) if finite.size else 0.0
        hi = float(finite.max()) if finite.size else 1.0
        if diverging is None:
            diverging = lo < 0 < hi
        if diverging:
            m = max(-lo, hi, 1e-12)
            vmin, vmax = (-m if vmin is None else vmin), (m if vmax is None else vmax)
        vmin = lo if vmin is None else vmin
        vmax = hi if vmax is None else vmax
        if vmax <= vmin:
            vmin, vmax = vmin - 1.0, vmax + 1.0
        self.image.set_cmap(DIVERGING if diverging else self.cmap)
        self.image.set_data(values)
        self.image.set_clim(vmin, vmax)
        extent = (-0.5, w - 0.5, h - 0.5, -0.5)
        self.image.set_extent(extent)
        overlay = np.zeros((h, w, 4))
        segments = []
        if mask is not None:
            mask = np.asarray(mask, dtype=bool)
            overlay[mask] = self._rgba * [1, 1, 1, 0.3]
            segments = outline_segments(zip(*np.nonzero(mask)))
        for lines in self.outline:
            lines.set_segments(segments)
        self.overlay.set_data(overlay)
        self.overlay.set_extent(extent)
        self.ax.set_xlim(-0.5, w - 0.5)
        self.ax.set_ylim(h - 0.5, -0.5)
        self.ax.set_xticks(np.arange(w) if w <= 16 else np.arange(0, w, 4))
        self.ax.set_yticks(np.arange(h) if h <= 16 else np.arange(0, h, 4))
        self.ax.set_xticks(np.arange(w + 1) - 0.5, minor=True)
        self.ax.set_yticks(np.arange(h + 1) - 0.5, minor=True)
        self.ax.grid(which="minor", color="white", linewidth=0.8)
        self.ax.grid(which="major", visible=False)
        show_numbers = numbers and h <= self.max_shape[0] and w <= self.max_shape[1]
        norm = (values - vmin) / (vmax - vmin)
        size = fontsize or self.fontsize
        for i, row in enumerate(self.texts):
            for j, text in enumerate(row):
                if show_numbers and i < h and j < w and (labels is not None
                                                         or np.isfinite(values[i, j])):
                    label = labels[i][j] if labels is not None else fmt(values[i, j])
                    dark = (abs(norm[i, j] - 0.5) > 0.3 if diverging else norm[i, j] < 0.55)
                    text.set_text(label)
                    text.set_color("white" if dark and np.isfinite(values[i, j]) else "black")
                    text.set_fontsize(size)
                    text.set_visible(True)
                else:
                    text.set_visible(False)
        self.shape = (h, w)
        self.values = values

    def labels(self) -> list[str]:
        """The visible cell labels, row by row (for tests and text summaries)."""
        h, w = self.shape
        return [self.texts[i][j].get_text() for i in range(min(h, self.max_shape[0]))
                for j in range(min(w, self.max_shape[1])) if self.texts[i][j].get_visible()]


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
