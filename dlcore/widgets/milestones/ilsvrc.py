"""ILSVRC chart: Khapra's table of top-5 error by year and against depth."""

from __future__ import annotations

import numpy as np

from ...data.history import ilsvrc_results
from ...viz.neurons import set_depth_axis
from .._base import CYCLE, PALETTE, App, checkbox, dropdown, make_figure, readout, style_axes
from ._common import ImageFirst, row

__all__ = ["HUMAN_TOP5", "ILSVRCChart", "ilsvrc_chart"]


HUMAN_TOP5 = 5.1  # one trained annotator's top-5 error (Russakovsky et al., 2015)


class ILSVRCChart(ImageFirst, App):
    """Top-5 error by network (bars) and against depth (points); hover or pick a network."""

    def __init__(self, network: str = "AlexNet", log_depth: bool = True,
                 show_human: bool = False):
        self.results = ilsvrc_results()
        names = [r.network for r in self.results]
        if network not in names:
            raise ValueError(f"network must be one of {', '.join(names)}; got {network!r}")
        controls = {
            "network": dropdown("network", names, value=network,
                                tooltip="pick a network (or hover over a point)"),
            "log_depth": checkbox("log-scale depth axis", log_depth,
                                  tooltip="depth spans 8 to 152 layers"),
            "human": checkbox(f"show a human estimate ({HUMAN_TOP5}%)", show_human,
                              tooltip="top-5 error of one trained human annotator "
                                      "(Russakovsky et al., 2015)"),
        }
        fig, (ax_bar, ax) = make_figure(1, 2, figsize=(8.6, 3.6))
        self.ax, self.ax_bar = ax, ax_bar
        err = np.array([r.top5_error for r in self.results])
        depth = np.array([r.layers for r in self.results], dtype=float)
        colours = [CYCLE[k % len(CYCLE)] for k in range(len(names))]
        self.bars = ax_bar.bar(range(len(names)), err, color=colours)
        ax_bar.set_xticks(range(len(names)),
                          [f"{r.network}\n{r.year}" for r in self.results], fontsize="small")
        style_axes(ax_bar, "ILSVRC top-5 error by year", "network and ILSVRC year",
                   "top-5 error (%)")
        ax.plot(depth, err, color=PALETTE["grey"], lw=1)
        self.points = ax.scatter(depth, err, c=colours, s=60, zorder=3)
        self.ring = ax.scatter([], [], s=260, facecolors="none", edgecolors=PALETTE["black"],
                               linewidths=2, zorder=4)
        for k, r in enumerate(self.results):  # labels alternate above and below
            ax.annotate(r.network, (r.layers, r.top5_error), textcoords="offset points",
                        xytext=(7, 4 if k % 2 == 0 else -14), fontsize="small")
        self.human = [a.axhline(HUMAN_TOP5, color=PALETTE["black"], ls="--", lw=1)
                      for a in (ax, ax_bar)]
        ax.set_ylim(0, 19)
        ax_bar.set_ylim(0, 19)
        style_axes(ax, "Top-5 error against depth", "depth (layers)", "top-5 error (%)")
        self._xy = np.column_stack([depth, err])
        super().__init__(controls, fig, {"network": readout()}, title="ILSVRC results")
        self.arrange([row(controls["network"], controls["log_depth"], controls["human"])])
        # A new selection (a hover, say) redraws only the outlines, the ring and the lines.
        self.set_dynamic([*self.bars, self.ring, *self.human])
        self._log = None
        fig.canvas.mpl_connect("motion_notify_event", self._on_hover)
        self.update()

    def _on_hover(self, event) -> None:
        if event.inaxes is not self.ax:
            return
        xy = self.ax.transData.transform(self._xy)
        dist = np.hypot(xy[:, 0] - event.x, xy[:, 1] - event.y)
        k = int(np.argmin(dist))
        if dist[k] <= 20:  # pixels
            self.controls["network"].value = self.results[k].network

    def update(self) -> None:
        log = self.controls["log_depth"].value
        if log != self._log:  # the new limits make the next redraw a full one
            self._log = log
            set_depth_axis(self.ax, log=log)
            self.ax.set_xlim(*((5, 400) if log else (0, 175)))
            self.ax.set_xlabel("depth (layers, log scale)" if log else "depth (layers)")
        for line in self.human:
            line.set_visible(self.controls["human"].value)
        k = [r.network for r in self.results].index(self.controls["network"].value)
        r, first = self.results[k], self.results[0]
        self.ring.set_offsets(self._xy[[k]])
        for j, bar in enumerate(self.bars):
            bar.set_edgecolor(PALETTE["black"] if j == k else "none")
            bar.set_linewidth(2.5 if j == k else 0)
        text = (f"{r.network} (ILSVRC {r.year}): top-5 error {r.top5_error:.1f}% "
                f"with {r.layers} layers.")
        if k > 0:
            prev = self.results[k - 1]
            text += (f" Compared with AlexNet: error divided by "
                     f"{first.top5_error / r.top5_error:.2f}, depth multiplied by "
                     f"{r.layers / first.layers:.2f}. Compared with {prev.network}: error "
                     f"{100 * (prev.top5_error - r.top5_error) / prev.top5_error:.0f}% lower.")
        if self.controls["human"].value:
            side = "below" if r.top5_error < HUMAN_TOP5 else "above"
            text += f" That is {side} the human estimate of {HUMAN_TOP5}%."
        self.set_readout("network", text)
        self.set_summary(f"Top-5 error falls from 16.0% (AlexNet, 8 layers) to 3.6% (ResNet, "
                         f"152 layers) as depth grows; selected: {r.network}, "
                         f"{r.top5_error:.1f}% at {r.layers} layers.")


def ilsvrc_chart(network: str = "AlexNet", log_depth: bool = True,
                 show_human: bool = False) -> ILSVRCChart:
    """ILSVRC top-5 error vs depth from ``dl.data.ilsvrc_results()``; hover or pick a network."""
    return ILSVRCChart(network=network, log_depth=log_depth, show_human=show_human)


