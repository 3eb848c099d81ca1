"""Timeline explorer: milestones by year and theme, each with its seed file and lines."""

from __future__ import annotations

import html

import numpy as np

from ...data.history import THEMES, timeline
from ...viz.neurons import timeline_positions
from .._base import (
    CYCLE,
    PALETTE,
    App,
    checkbox,
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

    def __init__(self, theme: str = "all", seed_years_only: bool = False):
        if theme != "all" and theme not in THEMES:
            raise ValueError(f"theme must be 'all' or one of {', '.join(THEMES)}; got {theme!r}")
        self.records = timeline()
        self._pos = timeline_positions(self.records)
        self._colour = {t: CYCLE[k % len(CYCLE)] for k, t in enumerate(THEMES)}
        controls = {
            "theme": dropdown("theme", [("all themes", "all")] + [(t, t) for t in THEMES],
                              value=theme, tooltip="show only the milestones of one theme"),
            "seed_only": checkbox("only years printed in the seeds", seed_years_only,
                                  tooltip="hide the milestones whose year is supplied"),
            "event": int_slider("selected milestone", 0, 0, len(self.records) - 1,
                                tooltip="step through the milestones shown, oldest first"),
            "start": int_slider("zoom: from year", 1840, 1840, 2005, step=5,
                                tooltip="left end of the year axis"),
        }
        fig, ax = make_figure(figsize=(7.6, 3.6))
        self.ax = ax
        self.printed = ax.scatter([], [], s=45, marker="o", linewidths=1.5)
        self.supplied = ax.scatter([], [], s=45, marker="o", linewidths=1.5)
        self.ring = ax.scatter([], [], s=260, marker="o", facecolors="none",
                               edgecolors=PALETTE["black"], linewidths=2)
        ax.scatter([], [], color="grey", label="year printed in a seed")
        ax.scatter([], [], facecolors="none", edgecolors="grey", label="year supplied")
        ax.set_yticks(range(len(THEMES)), THEMES)
        ax.set_ylim(-0.7, len(THEMES) - 0.3)
        ax.grid(axis="x", alpha=0.3)
        ax.legend(loc="upper left", fontsize="small")
        style_axes(ax, "Milestones of neural-network history", "year", "theme")
        readouts = {"selected": readout(), "events": readout()}
        self._busy = False
        super().__init__(controls, fig, readouts, title="Timeline explorer")
        fig.canvas.mpl_connect("button_press_event", self._on_click)
        self.update()

    def shown(self) -> list[int]:
        """Indices (into ``self.records``) of the milestones that pass the filters."""
        theme = self.controls["theme"].value
        seed_only = self.controls["seed_only"].value
        return [k for k, r in enumerate(self.records)
                if (theme == "all" or r.theme == theme) and (r.in_seed or not seed_only)]

    def _on_click(self, event) -> None:
        if event.inaxes is not self.ax or event.xdata is None:
            return
        idx = self.shown()
        if not idx:
            return
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
        for artist, printed in ((self.printed, True), (self.supplied, False)):
            sel = [k for k in idx if self.records[k].in_seed == printed]
            colours = [self._colour[self.records[k].theme] for k in sel]
            artist.set_offsets(self._pos[sel] if sel else np.empty((0, 2)))
            artist.set_edgecolors(colours)
            artist.set_facecolors(colours if printed else "none")
        theme = self.controls["theme"].value
        if not idx:
            self.ring.set_offsets(np.empty((0, 2)))
            self.readouts["selected"].value = "No milestone passes these filters."
            self.readouts["events"].value = ""
            self.set_summary(f"No milestones to show for theme {theme}.")
            return
        k = idx[slider.value]
        r = self.records[k]
        self.ring.set_offsets(self._pos[[k]])
        year = f"{r.year}" + ("" if r.in_seed else " (year supplied)")
        note = f" Note: {r.note}." if r.note else ""
        people = f" - {r.people}" if r.people else ""
        self.readouts["selected"].value = html.escape(
            f"{year}: {r.event}{people}. Source: {r.source}.{note}")
        rows = [(m.year, "yes" if m.in_seed else "supplied", m.event, m.people, m.source)
                for m in (self.records[j] for j in idx)]
        self.readouts["events"].value = html_table(
            ("year", "year in seed", "event", "people", "seed file and lines"), rows,
            bold_row=slider.value)
        n_sup = sum(not self.records[j].in_seed for j in idx)
        what = "all themes" if theme == "all" else f"theme '{theme}'"
        self.set_summary(f"{len(idx)} milestones from {min(self.records[j].year for j in idx)} "
                         f"to {max(self.records[j].year for j in idx)} ({what}); {n_sup} with a "
                         f"supplied year (hollow). Selected: {r.year}, {r.event}.")


def timeline_explorer(theme: str = "all", seed_years_only: bool = False) -> TimelineExplorer:
    """Timeline of ``dl.data.timeline()``: filter by theme, step through events and sources.

    theme: "all" or one of ``dl.data.history.THEMES``; seed_years_only: hide supplied years.
    """
    return TimelineExplorer(theme=theme, seed_years_only=seed_years_only)


