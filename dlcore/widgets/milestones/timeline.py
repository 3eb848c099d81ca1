"""Timeline explorer: milestones by year and theme, each with the slide it comes from."""

from __future__ import annotations

import html

import numpy as np
from matplotlib.ticker import MaxNLocator

from ...data.history import THEMES, timeline
from ...viz.neurons import timeline_positions
from .._base import (
    CYCLE,
    PALETTE,
    App,
    dropdown,
    int_slider,
    make_figure,
    readout,
    style_axes,
)
from ._common import BlitsAxes, ImageFirst, html_table, row, scroll_box

__all__ = ["TimelineExplorer", "timeline_explorer"]

#: Rows of the table of milestones around the selected one, and the most height it may take.
WINDOW, EVENTS_PX = 6, 260


class TimelineExplorer(ImageFirst, BlitsAxes, App):
    """Milestones by year and theme; the selected one is ringed and described with its source."""

    def __init__(self, theme: str = "all"):
        if theme != "all" and theme not in THEMES:
            raise ValueError(f"theme must be 'all' or one of {', '.join(THEMES)}; got {theme!r}")
        self.records = timeline()
        self._pos = timeline_positions(self.records)
        self._colour = {t: CYCLE[k % len(CYCLE)] for k, t in enumerate(THEMES)}
        controls = {
            "theme": dropdown("theme", [("all themes", "all")] + [(t, t) for t in THEMES],
                              value=theme, tooltip="show only the milestones of one theme"),
            "event": int_slider("selected milestone", 0, 0, len(self.records) - 1,
                                tooltip="step through the milestones shown, oldest first"),
            "start": int_slider("zoom: from year", 1840, 1840, 2005, step=5,
                                tooltip="left end of the year axis"),
        }
        fig, ax = make_figure(figsize=(7.6, 3.0))
        self.ax = ax
        self.points = ax.scatter([], [], s=45, marker="o", linewidths=1.5)
        self.ring = ax.scatter([], [], s=260, marker="o", facecolors="none",
                               edgecolors=PALETTE["black"], linewidths=2)
        ax.set_yticks(range(len(THEMES)), THEMES)
        ax.set_ylim(-0.7, len(THEMES) - 0.3)
        ax.grid(axis="x", alpha=0.3)
        style_axes(ax, "Milestones of neural-network history", "year", "theme")
        # Few year ticks and a fixed label place: a zoom redraws this axis, quickly.
        ax.xaxis.set_major_locator(MaxNLocator(nbins=7, steps=[1, 2, 2.5, 5, 10], integer=True))
        ax.xaxis.set_label_coords(0.5, -0.13)
        readouts = {"selected": readout(), "events": readout()}
        self._busy = False
        super().__init__(controls, fig, readouts, title="Timeline explorer")
        self.arrange([row(controls["theme"], controls["event"]), controls["start"]])
        # A zoom redraws the year axis (ticks, labels, grid) and the points, not the figure.
        self.set_dynamic([self.points, self.ring])
        self.blit_axes([ax.xaxis])
        fig.canvas.mpl_connect("button_press_event", self._on_click)
        self.update()

    def shown(self) -> list[int]:
        """Indices (into ``self.records``) of the milestones of the chosen theme."""
        theme = self.controls["theme"].value
        return [k for k, r in enumerate(self.records) if theme == "all" or r.theme == theme]

    def _on_click(self, event) -> None:
        if event.inaxes is not self.ax or event.xdata is None:
            return
        idx = self.shown()
        xy = self.ax.transData.transform(self._pos[idx])
        k = int(np.argmin(np.hypot(xy[:, 0] - event.x, xy[:, 1] - event.y)))
        self.controls["event"].value = k

    def update(self) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            self._update()
        finally:
            self._busy = False

    def _update(self) -> None:
        self.ax.set_xlim(self.controls["start"].value - 5, 2020)
        idx = self.shown()
        slider = self.controls["event"]
        slider.max = max(len(idx) - 1, 0)
        slider.value = min(slider.value, slider.max)
        colours = [self._colour[self.records[k].theme] for k in idx]
        self.points.set_offsets(self._pos[idx] if idx else np.empty((0, 2)))
        self.points.set_edgecolors(colours)
        self.points.set_facecolors(colours)
        theme = self.controls["theme"].value
        k = idx[slider.value]  # every theme has milestones, so idx is never empty
        r = self.records[k]
        self.ring.set_offsets(self._pos[[k]])
        note = f" ({r.note})" if r.note else ""
        people = f" - {r.people}" if r.people else ""
        self.readouts["selected"].value = html.escape(
            f"{r.year}: {r.event}{people}{note}. Source: {r.source}.")
        # Only the milestones around the selection (the whole list is 48 rows, several screens
        # high): the selected one in bold, with its neighbours in time.
        first = min(max(0, slider.value - WINDOW // 2), max(0, len(idx) - WINDOW))
        near = idx[first:first + WINDOW]
        rows = [(m.year, m.event, m.people, m.source) for m in (self.records[j] for j in near)]
        caption = (f"<div>Milestones {first + 1} to {first + len(near)} of {len(idx)} "
                   f"(the selected one in bold; the slider moves through them)</div>")
        self.readouts["events"].value = caption + scroll_box(html_table(
            ("year", "event", "people", "source"), rows, bold_row=slider.value - first,
            style="font-size:12px;line-height:1.35;border-spacing:0 3px"), EVENTS_PX)
        what = "all themes" if theme == "all" else f"theme '{theme}'"
        self.set_summary(f"{len(idx)} milestones from {min(self.records[j].year for j in idx)} "
                         f"to {max(self.records[j].year for j in idx)} ({what}). "
                         f"Selected: {r.year}, {r.event}.")


def timeline_explorer(theme: str = "all") -> TimelineExplorer:
    """Timeline of ``dl.data.timeline()``: filter by theme, step through events and sources.

    theme: "all" or one of ``dl.data.history.THEMES``.
    """
    return TimelineExplorer(theme=theme)
