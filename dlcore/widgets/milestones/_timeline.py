"""Timeline explorer: milestones by year and theme, each with the slide it comes from."""

from __future__ import annotations

import html

import numpy as np

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
from ._common import html_table

__all__ = ["TimelineExplorer", "timeline_explorer"]


class TimelineExplorer(App):
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
        fig, ax = make_figure(figsize=(7.6, 3.6))
        self.ax = ax
        self.points = ax.scatter([], [], s=45, marker="o", linewidths=1.5)
        self.ring = ax.scatter([], [], s=260, marker="o", facecolors="none",
                               edgecolors=PALETTE["black"], linewidths=2)
        ax.set_yticks(range(len(THEMES)), THEMES)
        ax.set_ylim(-0.7, len(THEMES) - 0.3)
        ax.grid(axis="x", alpha=0.3)
        style_axes(ax, "Milestones of neural-network history", "year", "theme")
        readouts = {"selected": readout(), "events": readout()}
        self._busy = False
        super().__init__(controls, fig, readouts, title="Timeline explorer")
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
        rows = [(m.year, m.event, m.people, m.source) for m in (self.records[j] for j in idx)]
        self.readouts["events"].value = html_table(
            ("year", "event", "people", "source"), rows, bold_row=slider.value)
        what = "all themes" if theme == "all" else f"theme '{theme}'"
        self.set_summary(f"{len(idx)} milestones from {min(self.records[j].year for j in idx)} "
                         f"to {max(self.records[j].year for j in idx)} ({what}). "
                         f"Selected: {r.year}, {r.event}.")


def timeline_explorer(theme: str = "all") -> TimelineExplorer:
    """Timeline of ``dl.data.timeline()``: filter by theme, step through events and sources.

    theme: "all" or one of ``dl.data.history.THEMES``.
    """
    return TimelineExplorer(theme=theme)
