"""Threshold plane: a two-input unit as the line ``w1 x1 + w2 x2 = theta`` on the unit square.

Shapes: w (2,), the four corners (4, 2) in binary order (0,0), (0,1), (1,0), (1,1).
"""

from __future__ import annotations

import html

import numpy as np
from matplotlib.patches import Polygon

from ... import neurons
from ..._checks import as_array, check_shapes
from ...data.tables import boolean_table
from ...viz.neurons import boundary_segment
from .._base import PALETTE, App, button, dropdown, make_figure, readout, slider, style_axes
from .._text import cached_text
from ..milestones._common import (
    FitsLegends,
    ImageFirst,
    fit_legends,
    html_table,
    legend_below,
    row,
)
from ._common import CORNERS, FUNCTION_NAMES_2, function_index, half_plane_polygon

__all__ = ["ThresholdPlane", "threshold_plane"]

TARGETS = ("AND", "OR", "NAND", "NOR", "XOR", "XNOR")
_LIM = (-0.5, 1.5)


class ThresholdPlane(ImageFirst, FitsLegends, App):
    """Sliders for w1, w2, theta; the fire region, the boundary and the corners vs a target."""

    def __init__(self, w=(1.0, 1.0), theta=2.0, target="AND"):
        w = as_array(w, "w", ndim=1, spec="(2,)")
        check_shapes("threshold_plane", w=(w, "2"))
        if np.any(np.abs(w) > 2):
            raise ValueError(f"w must lie in [-2, 2] (the slider range); got {w}")
        theta = float(theta)
        if not -2 <= theta <= 3:
            raise ValueError(f"theta must lie in [-2, 3] (the slider range); got {theta}")
        if not isinstance(target, str) or target.upper() not in TARGETS:
            raise ValueError(f"target must be one of {', '.join(TARGETS)}; got {target!r}")
        controls = {
            "w1": slider("weight w1", float(w[0]), -2, 2, 0.1, tooltip="weight of input x1"),
            "w2": slider("weight w2", float(w[1]), -2, 2, 0.1, tooltip="weight of input x2"),
            "theta": slider("threshold θ", theta, -2, 3, 0.1,
                            tooltip="the unit fires when w1 x1 + w2 x2 >= θ"),
            "target": dropdown("target function", TARGETS, value=target.upper(),
                               tooltip="the Boolean function the unit should compute"),
            "and": button("AND preset: w = (1, 1), θ = 2"),
            "or": button("OR preset: w = (1, 1), θ = 1"),
        }
        controls["and"].on_click(lambda _b: self.preset("AND", 2.0))
        controls["or"].on_click(lambda _b: self.preset("OR", 1.0))
        fig, ax = make_figure(figsize=(4.6, 4.6))
        self.ax = ax
        # The fire region as a polygon (the square clipped by w . x >= θ): exact and much
        # faster to redraw than an image of the same region.
        self.region = ax.add_patch(Polygon(np.empty((0, 2)), closed=True,
                                           facecolor=PALETTE["sky"], alpha=0.45, lw=0,
                                           zorder=0))
        self.line = ax.plot([], [], color=PALETTE["black"], lw=2,
                            label=r"$w_1x_1 + w_2x_2 = \theta$")[0]
        self.ones = ax.scatter([], [], s=160, marker="o", color=PALETTE["blue"],
                               label="target 1", zorder=3)
        self.zeros = ax.scatter([], [], s=160, marker="s", facecolors="none",
                                edgecolors=PALETTE["vermillion"], linewidths=2,
                                label="target 0", zorder=3)
        self.wrong = ax.scatter([], [], s=260, marker="x", color=PALETTE["black"],
                                linewidths=2.5, label="unit disagrees", zorder=4)
        # Each label centred above its corner, inside the axes.
        self.labels = [cached_text(ax, cx, cy + 0.1, "", fontsize="small", ha="center")
                       for cx, cy in CORNERS]
        ax.set_xlim(*_LIM)
        ax.set_ylim(*_LIM)
        ax.set_xticks(np.arange(_LIM[0], _LIM[1] + 0.01, 0.5))
        ax.set_yticks(np.arange(_LIM[0], _LIM[1] + 0.01, 0.5))
        ax.set_aspect("equal")
        # Below the axes: inside, the moving line and region would be drawn over it.
        legend_below(ax, 2, markerscale=0.6)
        style_axes(ax, "Unit on the square (shaded: fires)", "$x_1$", "$x_2$")
        super().__init__(controls, fig, {"result": readout()},
                         title="Threshold unit as a line", layout="row")
        # The corners' table sits under the controls (beside the plot when both fit).
        self.readouts["corners"] = readout()
        self.arrange([row(controls["w1"], controls["w2"]),
                      row(controls["theta"], controls["target"]),
                      row(controls["and"], controls["or"]), self.readouts["corners"]],
                     width=345)
        self.set_dynamic([self.region, self.line, self.ones, self.zeros, self.wrong,
                          *self.labels])
        self.update()

    def fit(self, width: int) -> None:
        """As ``App.fit``; with the controls above the plot (a narrow output area), the plot
        keeps its designed size instead of growing, so the whole widget stays on screen."""
        super().fit(width)
        if width and width >= 100 and self._body.layout.flex_flow == "column":
            side = min(self.fig.get_figwidth(), self.fig._dl_design[0]) * self.fig.dpi
            self._resize(side, side)
            fit_legends(self.fig)

    def preset(self, target: str, theta: float) -> None:
        """Set w = (1, 1), the threshold and the target together (one redraw)."""
        c = self.controls
        self._hold = True  # the four change events below would each redraw
        try:
            c["w1"].value, c["w2"].value, c["target"].value = 1.0, 1.0, target
            c["theta"].value = theta
        finally:
            self._hold = False
        self._on_change()

    def update(self) -> None:
        if getattr(self, "_hold", False):
            return
        c = self.controls
        w = np.array([c["w1"].value, c["w2"].value])
        theta = float(c["theta"].value)
        target = c["target"].value
        _, y_target = boolean_table(target)
        y_unit = neurons.step(CORNERS @ w - theta)
        scores = CORNERS @ w
        poly = half_plane_polygon(w, -theta, _LIM, _LIM)
        self.region.set_xy(poly if len(poly) else np.zeros((1, 2)))
        self.region.set_visible(len(poly) > 0)
        self.line.set_data(*boundary_segment(w, -theta, _LIM, _LIM))
        self.ones.set_offsets(CORNERS[y_target == 1])
        self.zeros.set_offsets(CORNERS[y_target == 0])
        wrong = y_unit != y_target
        self.wrong.set_offsets(CORNERS[wrong] if wrong.any() else np.empty((0, 2)))
        for lab, s, yu in zip(self.labels, scores, y_unit):
            lab.set_text(f"sum {s:g}, y = {yu}")
        n_ok = int((~wrong).sum())
        computed = FUNCTION_NAMES_2[function_index(y_unit)]
        text = f"The unit computes {computed}; it matches {target} on {n_ok} of 4 corners."
        if target in ("XOR", "XNOR"):
            text += (f" No line separates the 1s of {target} from its 0s, so a single "
                     f"threshold unit gets at most 3 of 4 corners right.")
        elif n_ok == 4:
            text += f" The line w1 x1 + w2 x2 = θ separates the 1s of {target} from its 0s."
        self.readouts["result"].value = html.escape(text)
        rows = [(f"({int(a)}, {int(b)})", f"{s + 0.0:g}", int(yu), int(yt),
                 "yes" if yu == yt else "no")
                for (a, b), s, yu, yt in zip(CORNERS, scores, y_unit, y_target)]
        # Narrow (it sits beside the plot, under the controls): short headers, no wrapping.
        self.readouts["corners"].value = html_table(
            ("x", "w1x1+w2x2", "unit y", f"target {target}", "match"), rows,
            style="line-height:1.4;white-space:nowrap")
        for key, (tgt, th) in (("and", ("AND", 2.0)), ("or", ("OR", 1.0))):
            b = self.controls[key]
            b.disabled = bool(np.allclose([w[0], w[1], theta], [1.0, 1.0, th])
                              and target == tgt)
            b.tooltip = (f"already the {tgt} preset" if b.disabled
                         else f"set w = (1, 1), θ = {th:g} and the target {tgt}")
        self.set_summary(f"Line {w[0]:g} x1 + {w[1]:g} x2 = {theta:g} on the unit square: the "
                         f"unit computes {computed} and matches {target} on {n_ok} of 4 corners.")


def threshold_plane(w=(1.0, 1.0), theta: float = 2.0, target: str = "AND") -> ThresholdPlane:
    """Two-input threshold unit on the unit square; presets AND (θ = 2) and OR (θ = 1).

    w: (2,) initial weights in [-2, 2]; theta in [-2, 3]; target: AND, OR, NAND, NOR, XOR or
    XNOR (XOR and XNOR cannot be met: at most 3 of 4 corners).
    """
    return ThresholdPlane(w=w, theta=theta, target=target)
