"""Threshold plane: a two-input unit as the line ``w1 x1 + w2 x2 = theta`` on the unit square.

Shapes: w (2,), the four corners (4, 2) in binary order (0,0), (0,1), (1,0), (1,1).
"""

from __future__ import annotations

import html

import numpy as np
from matplotlib.colors import ListedColormap

from ... import neurons
from ..._checks import as_array, check_shapes
from ...data.tables import boolean_table
from ...viz.neurons import boundary_segment
from .._base import PALETTE, App, button, dropdown, make_figure, readout, slider, style_axes
from ..milestones._common import html_table
from ._common import CORNERS, FUNCTION_NAMES_2, function_index

__all__ = ["ThresholdPlane", "threshold_plane"]

TARGETS = ("AND", "OR", "NAND", "NOR", "XOR", "XNOR")
_LIM = (-0.5, 1.5)


class ThresholdPlane(App):
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
        fig, ax = make_figure(figsize=(4.6, 4.4))
        self.ax = ax
        g = np.linspace(*_LIM, 161)
        self._gx, self._gy = np.meshgrid(g, g)
        self.region = ax.imshow(np.zeros_like(self._gx), origin="lower", extent=(*_LIM, *_LIM),
                                cmap=ListedColormap(["#ffffff", PALETTE["sky"]]), vmin=0,
                                vmax=1, alpha=0.45, zorder=0)
        self.line = ax.plot([], [], color=PALETTE["black"], lw=2,
                            label=r"$w_1x_1 + w_2x_2 = \theta$")[0]
        self.ones = ax.scatter([], [], s=160, marker="o", color=PALETTE["blue"],
                               label="target 1", zorder=3)
        self.zeros = ax.scatter([], [], s=160, marker="s", facecolors="none",
                                edgecolors=PALETTE["vermillion"], linewidths=2,
                                label="target 0", zorder=3)
        self.wrong = ax.scatter([], [], s=260, marker="x", color=PALETTE["black"],
                                linewidths=2.5, label="unit disagrees", zorder=4)
        self.labels = [ax.text(cx + 0.07, cy + 0.07, "", fontsize="small") for cx, cy in CORNERS]
        ax.set_xlim(*_LIM)
        ax.set_ylim(*_LIM)
        ax.set_aspect("equal")
        ax.legend(loc="upper left", fontsize="x-small", framealpha=0.9)
        style_axes(ax, "Threshold unit on the unit square (shaded: fires)", "$x_1$", "$x_2$")
        super().__init__(controls, fig, {"result": readout(), "corners": readout()},
                         title="Threshold unit as a line", layout="row")
        self.update()

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
        self.region.set_data(neurons.step(w[0] * self._gx + w[1] * self._gy - theta))
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
        rows = [(f"({int(a)}, {int(b)})", f"{s:g}", int(yu), int(yt), "yes" if yu == yt else "no")
                for (a, b), s, yu, yt in zip(CORNERS, scores, y_unit, y_target)]
        self.readouts["corners"].value = html_table(
            ("x", "w1 x1 + w2 x2", "unit y", f"{target} target", "match"), rows)
        self.set_summary(f"Line {w[0]:g} x1 + {w[1]:g} x2 = {theta:g} on the unit square: the "
                         f"unit computes {computed} and matches {target} on {n_ok} of 4 corners.")


def threshold_plane(w=(1.0, 1.0), theta: float = 2.0, target: str = "AND") -> ThresholdPlane:
    """Two-input threshold unit on the unit square; presets AND (θ = 2) and OR (θ = 1).

    w: (2,) initial weights in [-2, 2]; theta in [-2, 3]; target: AND, OR, NAND, NOR, XOR or
    XNOR (XOR and XNOR cannot be met: at most 3 of 4 corners).
    """
    return ThresholdPlane(w=w, theta=theta, target=target)
