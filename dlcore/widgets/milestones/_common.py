"""Pieces shared by the widgets of lectures 1-4: HTML tables, rows of controls, steady limits.

(The neuron and descent widgets import them from here.)
"""

from __future__ import annotations

import contextlib
import html
import math

import ipywidgets as W


def html_table(header, rows, bold_row: int | None = None, style: str = "") -> str:
    """An HTML table: one header row, then ``rows``; row ``bold_row`` is set in bold.

    ``style``: CSS for the table element (``"font-size:12px"``, say)."""
    head = "".join(f"<th style='text-align:left;padding-right:8px'>{html.escape(str(h))}</th>"
                   for h in header)
    body = []
    for k, row in enumerate(rows):
        cells = "".join(f"<td style='padding-right:8px'>{html.escape(str(c))}</td>" for c in row)
        bold = " style='font-weight:bold'" if k == bold_row else ""
        body.append(f"<tr{bold}>{cells}</tr>")
    attr = f" style='{style}'" if style else ""
    return f"<table{attr}><tr>{head}</tr>{''.join(body)}</table>"


def html_columns(rows, bold_col: int | None = None) -> str:
    """A transposed HTML table: each of ``rows`` is (name, cells...); column ``bold_col`` of the
    cells is set in bold.  A truth table of 8 or 16 inputs stays a few lines high this way."""
    out = []
    for k, (name, *cells) in enumerate(rows):
        tag = "th" if k == 0 else "td"
        first = f"<th style='text-align:left;padding-right:10px'>{html.escape(str(name))}</th>"
        tds = "".join(
            f"<{tag} style='text-align:center;padding:0 5px"
            f"{';font-weight:bold;background:#e8e8e8' if j == bold_col else ''}'>"
            f"{html.escape(str(c))}</{tag}>" for j, c in enumerate(cells))
        out.append(f"<tr>{first}{tds}</tr>")
    return f"<table>{''.join(out)}</table>"


def scroll_box(inner_html: str, max_px: int) -> str:
    """``inner_html`` in a box at most ``max_px`` high that scrolls vertically when longer."""
    return (f"<div style='max-height:{int(max_px)}px;overflow-y:auto;overflow-x:hidden'>"
            f"{inner_html}</div>")


def row(*children, gap: int = 12) -> W.Box:
    """Controls side by side, wrapping onto the next line when the output area is narrow."""
    return W.Box(list(children), layout=W.Layout(
        display="flex", flex_flow="row wrap", align_items="center", grid_gap=f"0 {gap}px",
        width="100%"))


def steady_limits(current, lo: float, hi: float, *, log: bool = False, slack: float = 3.0,
                  pad: float = 0.08, headroom: float = 0.2):
    """Axis limits that show [lo, hi] and change as rarely as possible.

    ``current`` (lo, hi) is kept while it contains [lo, hi] and is at most ``slack`` times as
    wide (so the data still fill a third of the axis); otherwise the new limits are [lo, hi]
    padded by ``pad`` and widened by ``headroom`` of the span (on a log axis: in decades), so
    the next small change of a control fits without a new axis (a redraw of the whole figure
    instead of only the moving lines).
    """
    f = (lambda v: math.log10(v)) if log else (lambda v: v)
    g = (lambda v: 10.0 ** v) if log else (lambda v: v)
    a, b = f(lo), f(hi)
    if b < a:
        a, b = b, a
    span = max(b - a, 1e-12 if not log else 0.05, 1e-9 * max(abs(a), abs(b)))
    if current is not None:
        ca, cb = f(current[0]), f(current[1])
        if ca <= a and b <= cb and (cb - ca) <= slack * (span * (1 + 2 * pad) + 1e-300):
            return tuple(current)
    extra = span * (pad + headroom)
    return g(a - extra), g(b + extra)


def legend_below(ax, ncol: int = 3, fontsize: float = 8.0, **kwargs):
    """A legend under the axes' x label, a fixed distance below it whatever the figure size.

    Outside the axes, so the moving artists (blitted over a cached background) never cross it
    and it never covers the data.
    """
    # borderaxespad is in font sizes: 4.5 x 8 pt clears a 10 pt tick label and x label.
    opts = dict(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=ncol, fontsize=fontsize,
                borderaxespad=4.5 * 8.0 / fontsize, handlelength=1.5, columnspacing=1.0)
    opts.update(kwargs)
    leg = ax.legend(**opts)
    leg._dl_below = (ncol, opts)
    return leg


def fit_legends(fig) -> None:
    """Give each ``legend_below`` legend as many columns as fit its panel's current width.

    Called after ``App.fit`` resized (and perhaps stacked) the figure: a legend wider than its
    panel would be cut off at the figure's edge.
    """
    if fig is None:
        return
    renderer = fig.canvas.get_renderer()
    fig_w = fig.get_figwidth() * fig.dpi
    for ax in fig.axes:
        leg = ax.get_legend()
        if leg is None or not hasattr(leg, "_dl_below"):
            continue
        ncol, opts = leg._dl_below
        spec = ax.get_subplotspec()
        share = 1.0
        if spec is not None:
            cols = spec.get_gridspec().get_geometry()[1]
            share = (spec.colspan.stop - spec.colspan.start) / cols
        room = fig_w * share - 16
        handles, labels = leg.legend_handles, [t.get_text() for t in leg.get_texts()]
        for n in range(ncol, 0, -1):
            new = ax.legend(handles, labels, **{**opts, "ncol": n})
            if n == 1 or new.get_window_extent(renderer).width <= room:
                break
        new._dl_below = (ncol, opts)


class FitsLegends:
    """Mixin for an ``App``: after a resize, legends below the axes get fitting columns."""

    def fit(self, width: int) -> None:
        super().fit(width)
        if width and width >= 100:
            fit_legends(self.fig)


class BlitsAxes:
    """Mixin for an ``App`` some of whose axes change their limits with the controls.

    ``App.redraw`` falls back to a full draw whenever an axis limit changed, because ticks and
    tick labels are part of the cached background.  ``self.blit_axes([ax.yaxis, ...])`` keeps
    two backgrounds instead: one without those axes, and one with them drawn on it (what a
    normal update restores).  When only the limits of those axes changed, they are redrawn on
    the first (a few ms per axis) to make a new second one, and the update is blitted as
    usual; a full draw of the figure (and the round trip to the browser it takes) is not
    needed.  Everything else whose pixels depend on those limits must be dynamic.
    """

    _blit_axes: tuple = ()
    _bare = None

    def blit_axes(self, axes) -> None:
        self._blit_axes = tuple(axes)
        for a in self._blit_axes:
            a.set_animated(True)
        self._background = self._bare = None

    def _after_full_draw(self, event) -> None:
        if not self._blit_axes:
            return super()._after_full_draw(event)
        from matplotlib.layout_engine import ConstrainedLayoutEngine

        fig = self.fig
        if isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
            fig.set_layout_engine("none")
        canvas = fig.canvas
        self._bare = canvas.copy_from_bbox(fig.bbox)
        for a in self._blit_axes:
            fig.draw_artist(a)
        self._background = canvas.copy_from_bbox(fig.bbox)
        self._limits = self._axis_limits()
        for a in self._dynamic:
            if a.get_visible():
                fig.draw_artist(a)

    def redraw(self, full: bool = False) -> None:
        if (not full and self._bare is not None and self._background is not None
                and self._limits is not None):
            now = self._axis_limits()
            if now != self._limits and self._blittable(now):
                fig = self.fig
                fig.canvas.restore_region(self._bare)
                for a in self._blit_axes:
                    fig.draw_artist(a)
                self._background = fig.canvas.copy_from_bbox(fig.bbox)
                self._limits = now
        super().redraw(full)

    def _blittable(self, now) -> bool:
        """Whether only the limits of axes in ``_blit_axes`` changed."""
        mine = {id(a) for a in self._blit_axes}
        for ax, old, new in zip(self.fig.axes, self._limits, now):
            if old == new:
                continue
            x_changed = old[0] != new[0] or old[2] != new[2]
            y_changed = old[1] != new[1] or old[3] != new[3]
            if (x_changed and id(ax.xaxis) not in mine) or \
                    (y_changed and id(ax.yaxis) not in mine):
                return False
        return True


class ImageFirst:
    """Mixin for an ``App``: how the new pixels reach the browser.

    - On a control change the figure's image goes out before the readouts' new texts (their
      sync is held until the redraw has been sent), so the browser does not lay out a table
      of text before it paints the plot.
    - The first blit after a full draw is sent as a full image, not a difference: ipympl's
      page loads each image into the same ``Image`` object, so a difference that arrives
      right after a full image can replace it before it is painted, leaving only the changed
      pixels on a cleared canvas (seen after a resize).
    """

    _full_next = False

    def _on_change(self, change=None) -> None:
        with contextlib.ExitStack() as stack:
            for w in (*self.readouts.values(), self._summary):
                stack.enter_context(w.hold_sync())
            super()._on_change(change)

    def _after_full_draw(self, event) -> None:
        super()._after_full_draw(event)
        self._full_next = True

    def redraw(self, full: bool = False) -> None:
        if self._full_next and self.fig is not None:
            self.fig.canvas._force_full = True
            self._full_next = False
        super().redraw(full)
