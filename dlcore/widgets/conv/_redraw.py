"""Fast redraws for the convolution and architecture widgets (private).

``GridApp`` extends the base ``App``'s blitting: an update that changes some panels' axis
limits, titles or static content repaints only those panels on the cached background (see
its docstring), instead of a full draw of every panel's ticks and text.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgba

from .._base import App

__all__ = ["GridApp", "axes_fraction"]


def axes_fraction(ax):
    """The axes' box in figure fractions: where the last layout put it, or, before the first
    draw (no layout yet), where its grid cell is."""
    if getattr(ax.figure, "_dl_laid_out", False) or ax.get_subplotspec() is None:
        return ax.get_position()
    return ax.get_subplotspec().get_position(ax.figure)


def _frame_boxes(ax, renderer):
    """Where the axes paints: its frame (with the tick marks) and each tick label, axis label
    and title, as boxes in display pixels; and its legend's box (None without one).

    Only valid right after the axes was drawn (tick labels are placed at draw time); much
    cheaper than ``get_tightbbox``, which lays the ticks out again, and kept as separate boxes
    so that one panel's x label does not seem to collide with its neighbour's y label.  The
    data artists stay inside the frame.
    """
    from matplotlib.transforms import Bbox

    pad = {"left": 1.0, "right": 1.0, "bottom": 1.0, "top": 1.0}
    boxes = []
    for axis in (ax.xaxis, ax.yaxis):
        if not axis.get_visible():
            continue
        lo, hi = sorted(axis.get_view_interval())
        eps = 1e-9 * max(hi - lo, 1e-300)
        for t in axis.get_major_ticks() + axis.get_minor_ticks():
            # ticks outside the view keep their old labels but are not drawn
            if not t.get_visible() or not lo - eps <= t.get_loc() <= hi + eps:
                continue
            out = max(t.get_tick_padding(), 0) * ax.figure.dpi / 72 + 1  # outward tick marks
            sides = ("bottom", "top") if axis is ax.xaxis else ("left", "right")
            for side, line in zip(sides, (t.tick1line, t.tick2line)):
                if line.get_visible():
                    pad[side] = max(pad[side], out)
            for label in (t.label1, t.label2):
                if label.get_visible() and label.get_text():
                    boxes.append(label.get_window_extent(renderer).padded(1))
        if axis.label.get_visible() and axis.label.get_text():
            boxes.append(axis.label.get_window_extent(renderer).padded(1))
    for title in (ax.title, ax._left_title, ax._right_title):
        if title.get_visible() and title.get_text():
            boxes.append(title.get_window_extent(renderer).padded(1))
    box = ax.bbox
    boxes.insert(0, Bbox.from_extents(box.x0 - pad["left"], box.y0 - pad["bottom"],
                                      box.x1 + pad["right"], box.y1 + pad["top"]))
    legend = ax.get_legend()
    keep = None
    if legend is not None and legend.get_visible():
        keep = legend.get_window_extent(renderer).padded(1)
    return boxes, keep


def _overlap(a, b, tolerance: float = 1.0) -> bool:
    """Whether two boxes share more than a sliver of ``tolerance`` px."""
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance
            and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance)


class GridApp(App):
    """An App whose grids choose their number size for the width they are given, and whose
    redraws touch as little of the figure as they can.

    - ``fit`` resizes the figure and then runs ``update`` again, so the grids re-check whether
      their numbers fit the (now larger or smaller) cells.
    - ``use_dynamic`` names the artists an update changes every time (blitting) and re-names
      them only when the list changed (a grid that grew its text pool): every ``set_dynamic``
      forces one full draw.  ``static_grids`` names the grids whose cells change rarely: they
      stay in the cached background and only their highlight is blitted.
    - ``redraw`` blits as the base does.  When the update changed some axes' limits (a grid
      that changed size), a title, a static grid's cells, or an axes passed to ``touch``, it
      repaints only those axes (ticks, labels, title, static artists) on the cached
      background instead of drawing the whole figure: that saves the text of the other panels
      and the round trip to the browser.  It falls back to a full draw when a repainted axes
      would reach into another panel.
    """

    _tight: dict | None = None
    _deferred: dict | None = None

    # --- the figure first, then the text ------------------------------------------------------

    def _on_change(self, change=None) -> None:
        """Update, show the figure, and only then send the readouts and the summary: the new
        pixels leave the kernel before the text updates, which the browser lays out first."""
        outer = self._deferred is None  # a control set by an update calls this again
        if outer:
            self._deferred = {}
        try:
            self.update()
            self.redraw()
        finally:
            if outer:
                self._flush_text()

    def _flush_text(self) -> None:
        deferred, self._deferred = self._deferred, None
        for (kind, name), text in deferred.items():
            if kind == "summary":
                super().set_summary(text)
            else:
                super().set_readout(name, text)

    def set_readout(self, name: str, text: str) -> None:
        if self._deferred is not None:
            self._deferred[("readout", name)] = text
        else:
            super().set_readout(name, text)

    def set_summary(self, text: str) -> None:
        if self._deferred is not None:
            self._deferred[("summary", None)] = text
        else:
            super().set_summary(text)

    def fit(self, width: int) -> None:
        before = tuple(self.fig.get_size_inches()) if self.fig is not None else None
        super().fit(width)
        if self.fig is not None and tuple(self.fig.get_size_inches()) != before:
            self.update()

    def use_dynamic(self, artists, static_grids=()) -> None:
        """The artists every update may change (blitted) and the grids drawn statically."""
        self._static_grids = tuple(static_grids)
        artists = [a for a in artists if a is not None]
        # an image or a bar blitted at the edge of its axes would cover the frame's inner half:
        # the frames of those axes are blitted too (above images and patches, as in a full draw)
        axes = {id(a.axes): a.axes for a in artists if getattr(a, "axes", None) is not None}
        seen = {id(a) for a in artists}
        artists += [sp for ax in axes.values() for sp in ax.spines.values() if id(sp) not in seen]
        artists = sorted(artists, key=lambda a: a.get_zorder())
        key = [id(a) for a in artists]
        if key != getattr(self, "_dynamic_key", None):
            self._dynamic_key = key
            self.set_dynamic(artists)
        if not getattr(self, "_hooked", False) and self.fig is not None:
            self._hooked = True
            self.fig.canvas.mpl_connect("draw_event", lambda _event: self._remember())

    def touch(self, *axes) -> None:
        """Repaint these axes at the next redraw (their static artists changed)."""
        if not hasattr(self, "_touched"):
            self._touched = set()
        self._touched.update(axes)

    @staticmethod
    def _texts(ax):
        return tuple(t.get_text() for t in (ax.title, ax._left_title, ax._right_title)
                     if not t.get_animated()) + (ax.get_xlabel(), ax.get_ylabel())

    def _remember(self, axes=None) -> None:
        renderer = self.fig.canvas.get_renderer()
        self.fig._dl_laid_out = True
        if axes is None:
            axes = [ax for ax in self.fig.axes if ax.get_visible()]
            self._tight, self._legends, self._labels = {}, {}, {}
        for ax in axes:
            self._tight[ax], self._legends[ax] = _frame_boxes(ax, renderer)
            self._labels[ax] = self._texts(ax)
        for grid in getattr(self, "_static_grids", ()):
            if grid.ax in axes:
                grid.changed = False
        self._touched = set(getattr(self, "_touched", set())) - set(axes)

    def _stale(self) -> set:
        stale = set(getattr(self, "_touched", set()))
        stale.update(g.ax for g in getattr(self, "_static_grids", ()) if g.changed)
        stale.update(ax for ax in self.fig.axes
                     if ax in self._labels and self._texts(ax) != self._labels[ax])
        return stale

    def redraw(self, full: bool = False) -> None:
        fig = self.fig
        if (fig is None or full or not self._dynamic or self._background is None
                or self._tight is None):
            super().redraw(full)
            return
        limits = self._axis_limits()
        if len(limits) != len(self._limits) or len(fig.axes) != len(self._tight):
            super().redraw(full=True)
            return
        changed = {ax for ax, new, old in zip(fig.axes, limits, self._limits) if new != old}
        changed |= self._stale()
        if not changed:
            super().redraw()
        elif not self._repaint([ax for ax in fig.axes if ax in changed]):
            super().redraw(full=True)

    def _repaint(self, changed) -> bool:
        """Repaint the static parts of the ``changed`` axes on the cached background; False
        when that is not safe (then the caller draws the whole figure).

        A legend beside its axes is left as it is (legends here never change, and laying one
        out costs as much as the rest of the panel); a legend inside the frame is redrawn.
        """
        fig, canvas = self.fig, self.fig.canvas
        renderer = canvas.get_renderer()
        others = [bb for ax, boxes in self._tight.items() if ax not in changed for bb in boxes]
        others += [bb for ax, bb in self._legends.items() if ax not in changed and bb]
        keep = {ax: self._legends[ax] for ax in changed
                if self._legends.get(ax) is not None
                and not any(_overlap(self._legends[ax], box) for box in self._tight[ax])}

        def collides(ax):
            mine = self._tight[ax] + ([self._legends[ax]] if ax not in keep
                                      and self._legends[ax] is not None else [])
            return any(_overlap(box, bb) for box in mine for bb in others + list(keep.values()))

        if any(ax not in self._tight or collides(ax) for ax in changed):
            return False
        canvas.restore_region(self._background)
        pixels = np.asarray(renderer.buffer_rgba())
        height, width = pixels.shape[:2]
        face = (np.array(to_rgba(fig.get_facecolor())) * 255).round().astype(np.uint8)
        for ax in changed:  # erase what the axes drew last time, then draw it anew
            boxes = self._tight[ax] + ([self._legends[ax]] if ax not in keep
                                       and self._legends[ax] is not None else [])
            for box in boxes:
                x0, x1 = int(max(np.floor(box.x0), 0)), int(min(np.ceil(box.x1), width))
                y0 = int(max(height - np.ceil(box.y1), 0))
                y1 = int(min(height - np.floor(box.y0), height))
                pixels[y0:y1, x0:x1] = face
        for ax in changed:
            legend = ax.get_legend() if ax in keep else None
            if legend is not None:
                legend.set_animated(True)  # left out of the axes' draw
            try:
                ax.draw(renderer)
            finally:
                if legend is not None:
                    legend.set_animated(False)
        self._remember(changed)
        if any(collides(ax) for ax in changed):
            return False  # the new ticks or title reach into a neighbour: draw everything
        self._background = canvas.copy_from_bbox(fig.bbox)
        self._limits = self._axis_limits()
        for a in self._dynamic:
            if a.get_visible():
                fig.draw_artist(a)
        canvas.blit(fig.bbox)
        return True
