"""Helpers shared by the lecture-12 widgets (private): the editable text of a matrix, number
grids that are cheap to redraw, and rows of panels that rearrange for the width on screen.

Shape legend: a matrix (H, W); a mask (H, W) boolean.

Why not ``widgets.conv._grid.NumberGrid``: a redraw of these widgets' five or six grids
must stay well under 100 ms.  ``CellGrid`` draws the cells as a colour mesh (several times
faster than an image), the cell, row and column numbers as stamped bitmaps (``Labels`` in
``widgets._text``; a tick costs 1 ms), touches limits and borders only when the matrix
changes shape, and records what changed (``changed``), so that a slider repaints only the
panels it changed (``GridApp``).
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.transforms import Bbox

from ...viz.conv import colour_limits, outline_segments, text_colours
from .._base import CMAP, DIVERGING, PALETTE, App, draw_at_once, make_figure
from .._text import Labels
from ..conv._grid import fmt

__all__ = ["grid_text", "CellGrid", "Panels", "GridApp", "CELL_PT", "controls_row"]

#: Cell numbers are drawn at this size (points at the widgets' 100 dpi: 11 px on screen).
CELL_PT = 8.0
#: Row and column numbers beside the cells.
INDEX_PT = 8.0


def grid_text(values) -> str:
    """The editable text of a matrix: one row per line, numbers as printed on the slides
    (``1.3``, not ``13/10``); ``parse_matrix`` reads it back exactly for such values."""
    return "\n".join(" ".join(fmt(v) for v in row)
                     for row in np.asarray(values, dtype=np.float64))


def controls_row(*children, gap: int = 16):
    """A row of controls that wraps onto a second line when the output area is too narrow."""
    import ipywidgets as W

    return W.HBox(list(children), layout=W.Layout(flex_flow="row wrap", align_items="center",
                                                  grid_gap=f"0px {gap}px"))


class CellGrid:
    """A matrix drawn on ``ax`` as coloured cells with a number in each, updated in place.

    The cells are one colour mesh of ``max_shape`` (cells beyond the matrix are blank and
    outside the axis limits), the highlight a second mesh of tints under an outline; a mesh
    draws several times faster than an image.  ``show`` sets the values, the cell labels and
    the highlighted cells; after it, ``changed`` holds what differs from the previous call:
    ``"shape"`` (limits, borders and row and column numbers moved), ``"numbers"`` (the
    colours or the labels) and ``"mask"`` (the highlight).  ``artists`` are all the artists
    that depend on them, ``extent()`` the pixels they cover.
    """

    def __init__(self, ax, max_shape=(7, 7), fontsize: float = CELL_PT, cmap=CMAP,
                 highlight_colour: str = PALETTE["vermillion"]):
        self.ax = ax
        self.max_shape = mh, mw = tuple(max_shape)
        self.fontsize = float(fontsize)
        self.cmap = cmap
        edges_x, edges_y = np.arange(mw + 1) - 0.5, np.arange(mh + 1) - 0.5
        self.image = ax.pcolormesh(edges_x, edges_y, np.full((mh, mw), np.nan), cmap=cmap,
                                   vmin=0, vmax=1, shading="flat", zorder=1)
        self.borders = LineCollection([], colors="white", linewidths=0.8, zorder=2)
        ax.add_collection(self.borders)
        self.numbers = ax.add_artist(Labels(ax.transData, self.fontsize, zorder=4))
        # the highlighted cells are tinted (over the number, so that blitting the tint alone
        # looks the same as a full draw) and outlined: a white band under a coloured line
        self.overlay = ax.pcolormesh(edges_x, edges_y, np.zeros((mh, mw)), shading="flat",
                                     zorder=4.5)
        self.overlay.set_array(None)
        self.overlay.set_facecolor(np.zeros((mh * mw, 4)))
        self.outline = [LineCollection([], colors=c, linewidths=lw, zorder=z)
                        for c, lw, z in (("white", 4.5, 5), (highlight_colour, 2.2, 6))]
        for lines in self.outline:
            ax.add_collection(lines)
        self._tint = np.array(to_rgba(highlight_colour)) * [1, 1, 1, 0.3]
        ax.set_aspect("equal")
        # row and column numbers beside the cells, instead of ticks (matplotlib's ticks cost
        # about 1 ms each per draw)
        ax.set_xticks([])
        ax.set_yticks([])
        self.col_numbers = ax.add_artist(Labels(ax.get_xaxis_transform(), INDEX_PT, va="top",
                                                offset=(0, -3)))
        self.row_numbers = ax.add_artist(Labels(ax.get_yaxis_transform(), INDEX_PT, ha="right",
                                                offset=(-3, 0)))
        ax.xaxis.labelpad = INDEX_PT + 5
        ax.yaxis.labelpad = INDEX_PT + 3
        self.shape = None
        self.values = np.zeros((1, 1))
        self._numbers = None
        self._mask = None
        self.changed: set = set()

    def set_fontsize(self, size: float) -> None:
        """Cell numbers at ``size`` points (larger when the figure is drawn larger)."""
        if size != self.fontsize:
            self.fontsize = float(size)
            self.numbers.set_fontsize(size)

    @property
    def artists(self) -> list:
        """Every artist that moves with the values, the shape or the highlight, in drawing
        order: mesh, cell borders, frame, numbers, row and column numbers, tint, outline."""
        return sorted([self.image, self.borders, *self.ax.spines.values(), self.numbers,
                       self.col_numbers, self.row_numbers, self.overlay, *self.outline],
                      key=lambda a: a.get_zorder())

    def extent(self, renderer=None) -> Bbox:
        """The pixels the grid covers: its axes and its row and column numbers."""
        boxes = [self.ax.bbox, self.col_numbers.get_window_extent(renderer),
                 self.row_numbers.get_window_extent(renderer)]
        return Bbox.union([b for b in boxes if np.isfinite(b.extents).all()])

    def plotted(self) -> np.ndarray:
        """The values the colour mesh shows (H, W) (NaN where a cell is blank)."""
        h, w = self.shape
        return np.ma.filled(self.image.get_array().astype(np.float64), np.nan)[:h, :w]

    def highlighted(self) -> list:
        """The tinted cells, as sorted (row, col) pairs."""
        h, w = self.shape
        alpha = self.overlay.get_facecolor()[:, 3].reshape(self.max_shape)[:h, :w]
        return sorted((int(r), int(c)) for r, c in zip(*np.nonzero(alpha > 0)))

    def _set_shape(self, h: int, w: int) -> None:
        ax = self.ax
        ax.set_xlim(-0.5, w - 0.5)
        ax.set_ylim(h - 0.5, -0.5)
        self.col_numbers.set_labels([(j, 0) for j in range(w)], map(str, range(w)),
                                    ["black"] * w)
        self.row_numbers.set_labels([(0, i) for i in range(h)], map(str, range(h)),
                                    ["black"] * h)
        self.borders.set_segments(
            [[(j - 0.5, -0.5), (j - 0.5, h - 0.5)] for j in range(1, w)]
            + [[(-0.5, i - 0.5), (w - 0.5, i - 0.5)] for i in range(1, h)])

    def show(self, values, *, labels=None, vmin=None, vmax=None, mask=None,
             numbers: bool = True, diverging=None) -> set:
        """Draw ``values`` (H, W), at most ``max_shape`` (NaN cells are left blank), label
        each cell (``labels``: rows of strings, else the numbers), tint and outline ``mask``.
        Returns ``changed``."""
        values = np.asarray(values, dtype=np.float64)
        h, w = values.shape
        if h > self.max_shape[0] or w > self.max_shape[1]:
            raise ValueError(f"this grid shows at most {self.max_shape[0]}x"
                             f"{self.max_shape[1]} cells; got {h}x{w}")
        changed = set()
        if self.shape != (h, w):
            self._set_shape(h, w)
            changed.add("shape")
        vmin, vmax, diverging = colour_limits(values, vmin, vmax, diverging)
        key = (values.tobytes(), values.shape, vmin, vmax, bool(diverging), bool(numbers),
               None if labels is None else tuple(map(tuple, labels)))
        if key != self._numbers:
            self._numbers = key
            changed.add("numbers")
            padded = np.full(self.max_shape, np.nan)
            padded[:h, :w] = values
            self.image.set_cmap(DIVERGING if diverging else self.cmap)
            self.image.set_array(np.ma.masked_invalid(padded))
            self.image.set_clim(vmin, vmax)
            ink = text_colours(values, vmin, vmax, diverging)
            strings, colors = [], []
            for i in range(h):
                for j in range(w):
                    if numbers and (labels is not None or np.isfinite(values[i, j])):
                        strings.append(labels[i][j] if labels is not None
                                       else fmt(values[i, j]))
                        colors.append(ink[i, j])
                    else:
                        strings.append("")
                        colors.append("black")
            self.numbers.set_labels([(j, i) for i in range(h) for j in range(w)], strings,
                                    colors)
        cells = np.zeros((h, w), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
        if self._mask is None or self._mask.shape != cells.shape or \
                not np.array_equal(self._mask, cells):
            self._mask = cells.copy()
            changed.add("mask")
            tints = np.zeros((*self.max_shape, 4))
            tints[:h, :w][cells] = self._tint
            self.overlay.set_facecolor(tints.reshape(-1, 4))
            segments = outline_segments(zip(*np.nonzero(cells)))
            for lines in self.outline:
                lines.set_segments(segments)
        self.shape = (h, w)
        self.values = values
        self.changed = changed
        return changed

    def labels(self) -> list[str]:
        """The visible cell labels, row by row (for tests and text summaries)."""
        return self.numbers.visible_strings()


class Panels:
    """Axes placed in rows of panels that can be rearranged for the width on screen.

    ``layouts`` maps a name to ``(min_px, figsize, rows)``: ``rows`` lists, per row, the panel
    numbers in it; ``arrange(width_px)`` picks the first layout whose ``min_px`` fits and
    makes ``figsize`` the figure's designed size.  Each row is a grid nested in a one-column
    grid, so ``App.fit`` sizes the figure but never stacks the panels itself (a column of
    five grids would be taller than the screen).  ``ratios`` are the panels' relative widths;
    ``ylabels`` one label per panel, or one string that only the first panel of a row shows.
    """

    def __init__(self, n: int, layouts: dict, ratios, ylabels="row"):
        self.layouts = dict(layouts)
        self.ratios = list(ratios)
        self.ylabels = ylabels
        first = next(iter(self.layouts.values()))
        self.fig, ax = make_figure(1, 1, figsize=first[1])
        ax.remove()
        spec = self.fig.add_gridspec(1, n)
        self.axes = [self.fig.add_subplot(spec[0, p]) for p in range(n)]
        self.layout = None
        self.arrange(None)

    def arrange(self, width_px) -> str:
        """Place the panels for ``width_px`` (None: the first layout); returns its name."""
        names = list(self.layouts)
        name = names[0] if width_px is None else next(
            (k for k in names if width_px >= self.layouts[k][0]), names[-1])
        if name == self.layout:
            return name
        _, figsize, rows = self.layouts[name]
        outer = self.fig.add_gridspec(len(rows), 1)
        for r, row in enumerate(rows):
            inner = outer[r, 0].subgridspec(1, len(row),
                                            width_ratios=[self.ratios[p] for p in row])
            for c, p in enumerate(row):
                self.axes[p].set_subplotspec(inner[0, c])
                if isinstance(self.ylabels, str):
                    self.axes[p].set_ylabel(self.ylabels if c == 0 else "")
                else:
                    self.axes[p].set_ylabel(self.ylabels[p])
        self.fig._dl_design = tuple(float(v) for v in figsize)
        self.layout = name
        return name


class GridApp(App):
    """An App drawn as ``Panels`` of ``CellGrid``s.

    ``fit`` rearranges the panels for the width first.  Redrawing: every artist of the grids
    is blitted (``set_dynamic``): the cached background holds only titles, axis labels and
    the figure.  ``update`` calls ``grids_shown`` after the grids' ``show``; the next redraw
    then repaints only the panels whose grid changed (a slider that moves one highlight
    repaints one panel), or, with ``extra`` artists that cross panels (arrows), every panel.
    A full draw happens only when a panel's box moves (a matrix of another aspect) or after
    ``stale()`` (a title or a label changed).
    """

    panels: Panels
    _stale = True
    _grids: list = []
    _dirty: list = []
    _extra: list = []
    _boxes: dict = {}

    #: The widest output area (px) the figure grows for (None: as wide as the base allows);
    #: a tall figure stops there, so controls and plot stay on one screen.
    max_fit_width = None

    def fit(self, width: int) -> None:
        if width and self.max_fit_width:
            width = min(width, self.max_fit_width)
        if width and width >= 100:
            self.panels.arrange(width - 12)
        super().fit(width)
        if width and width >= 100:
            # numbers grow with the cells, up to 11 pt, when the figure is drawn larger
            scale = self.fig.get_figwidth() / self.fig._dl_design[0]
            for grid in self._grids:
                grid.set_fontsize(round(min(11.0, max(CELL_PT, CELL_PT * scale)), 1))
            self._settle_layout()

    def relayout(self) -> None:
        super().relayout()
        self._settle_layout()

    def _settle_layout(self) -> None:
        """Run the constrained layout once ahead of the next draw.  Its first pass measures
        the titles and labels around each axes' box before the equal aspect has shrunk the
        box, and leaves too little room for them; the pass of the draw then starts from the
        right boxes (the base freezes the layout after that draw)."""
        from matplotlib.layout_engine import ConstrainedLayoutEngine

        engine = self.fig.get_layout_engine()
        if isinstance(engine, ConstrainedLayoutEngine):
            engine.execute(self.fig)

    def dynamic_grids(self, grids, extra=()) -> None:
        """Blit every artist of ``grids``, and the ``extra`` artists (which may cross from
        one panel to another: with them, every panel is repainted)."""
        self._grids = list(grids)
        self._extra = list(extra)
        self.set_dynamic(sorted([a for g in self._grids for a in g.artists] + self._extra,
                                key=lambda a: a.get_zorder()))
        self.fig.canvas.mpl_connect("draw_event", self._drawn)

    def _drawn(self, _event=None) -> None:
        """After a full draw: nothing is stale, and each panel's box and pixels are known."""
        self._stale = False
        self._boxes = {id(g): (g.ax.get_position().bounds, g.extent()) for g in self._grids}

    def grids_shown(self) -> None:
        """Note which grids changed since the last redraw."""
        self._dirty = [g for g in self._grids if g.changed]

    def stale(self) -> None:
        """The next redraw is a full one (a title or a label changed)."""
        self._stale = True

    def _box_moved(self, grids) -> bool:
        """Whether a grid's new shape moves its axes' box (another aspect): the titles and
        labels of the background would then be in the wrong place."""
        for grid in grids:
            if "shape" in grid.changed:
                grid.ax.apply_aspect()
                if grid.ax.get_position().bounds != self._boxes.get(id(grid), (None,))[0]:
                    return True
        return False

    def redraw(self, full: bool = False) -> None:
        full, self._stale = full or self._stale, False
        dirty, self._dirty = self._dirty, []
        if full or self._background is None or self._box_moved(dirty):
            draw_at_once(self.fig)
            return
        if not dirty:
            return
        fig, canvas = self.fig, self.fig.canvas
        if self._extra:
            canvas.restore_region(self._background)
            artists = self._dynamic
        else:
            height = fig.bbox.height
            artists = []
            for grid in dirty:
                # the panel's pixels, then and now, from the background, and its artists on
                # them (a region is addressed in pixel rows counted from the top)
                before = self._boxes.get(id(grid), (None, grid.extent()))[1]
                x0, y0, x1, y1 = Bbox.union([before, grid.extent()]).extents
                self._boxes[id(grid)] = (self._boxes.get(id(grid), (None,))[0], grid.extent())
                box = (int(np.floor(x0)) - 1, int(np.floor(height - y1)) - 1,
                       int(np.ceil(x1)) + 1, int(np.ceil(height - y0)) + 1)
                canvas.restore_region(self._background, bbox=box, xy=(0, 0))
                artists += grid.artists
        for artist in artists:
            if artist.get_visible():
                fig.draw_artist(artist)
        canvas.blit(fig.bbox)
