"""Connectivity explorer: dense, local and shared connections from an n x n input to the next
layer, drawn as a graph with its weight count.

Shape legend: an n x n single-channel input (pixels 1..n^2 row by row), a k x k kernel,
an out x out output (h11, h12, ...).
"""

from __future__ import annotations

import numpy as np

from ... import conv as _conv
from ...counting import CONNECTION_MODES, connections
from ...viz import architectures as _va
from .._base import PALETTE, App, dropdown, int_slider, make_figure, readout
from .._text import cached_text
from ..conv._redraw import GridApp, axes_fraction
from ._common import check_range, pixel_list, unit_names

__all__ = ["connectivity_explorer"]

_MODE_LABELS = {"dense (fully connected)": "dense", "local (untied weights)": "local",
                "shared (convolution)": "shared"}


class _Connectivity(GridApp):
    MAX_N = 6

    def __init__(self, mode, input_size, kernel_size, stride):
        from matplotlib.collections import LineCollection

        controls = {
            "mode": dropdown("connections", _MODE_LABELS, value=mode,
                             tooltip="dense: every pixel to every unit; local: each unit sees "
                                     "a k x k window; shared: the windows use one kernel"),
            "input_size": int_slider("input side n", input_size, 2, self.MAX_N,
                                     tooltip="the input has n x n pixels"),
            "kernel_size": int_slider("kernel side k", kernel_size, 1, self.MAX_N,
                                      tooltip="each output unit sees a k x k window (at most n)"),
            "stride": int_slider("stride s", stride, 1, 3, tooltip="step between windows"),
            "unit": dropdown("highlight unit", ["none"], tooltip="draw this output unit's "
                             "connections in bold"),
        }
        fig, ax = make_figure(figsize=(4.8, 4.2))
        self.ax = ax
        self.edges = LineCollection([], linewidths=1.2)
        ax.add_collection(self.edges)
        self.inputs = ax.scatter([], [], s=80, color=PALETTE["grey"], zorder=3)
        self.outputs = ax.scatter([], [], s=80, color=PALETTE["black"], zorder=3)
        n2 = self.MAX_N ** 2
        self.in_text = [cached_text(ax, 0, 0, "", ha="right", va="center", fontsize=8)
                        for _ in range(n2)]
        self.out_text = [cached_text(ax, 0, 0, "", ha="left", va="center", fontsize=8)
                         for _ in range(n2)]
        ax.set_xlim(-0.3, 1.3)
        ax.set_ylim(-0.08, 1.08)
        ax.set_xticks([0, 1], ["input pixels", "output units"])
        ax.set_yticks([])
        ax.set_xlabel("layer")
        ax.set_ylabel("unit")
        self._busy = False
        super().__init__(controls, fig, readouts={"weights": readout(), "unit": readout()},
                         title="Dense, local and shared connections", layout="row")
        self.update()

    def _sync_controls(self):
        """Keep k <= n and the unit list in step with the output size (no recursive updates)."""
        c = self.controls
        n = c["input_size"].value
        c["kernel_size"].max = n
        out = _conv.output_size(n, c["kernel_size"].value, c["stride"].value)
        names = ["none", *unit_names(out)]
        if list(c["unit"].options) != names:
            keep = c["unit"].value if c["unit"].value in names else "none"
            c["unit"].options = names
            c["unit"].value = keep

    def _label_steps(self, count: int) -> int:
        """Label every node, or every 2nd, 3rd... when the nodes are closer than a line of
        8-point text (11 px) at the size the figure is shown."""
        if count <= 1:
            return 1
        pos = axes_fraction(self.ax)
        height = pos.height * self.fig.get_size_inches()[1] * self.fig.dpi
        gap = height / 1.16 / (count - 1)  # the nodes span 1 of the 1.16 units of the y axis
        return int(np.ceil(12.5 / gap))

    def update(self):
        if self._busy:
            return
        self._busy = True
        try:
            self._sync_controls()
        finally:
            self._busy = False
        c = self.controls
        mode, n = c["mode"].value, c["input_size"].value
        k, s = c["kernel_size"].value, c["stride"].value
        edges, ids, n_weights, out = connections(mode, n, k, s)
        pin, pout = _va.node_positions(n * n, out * out)
        self.edges.set_segments([(pin[a], pout[b]) for a, b in edges])
        colours = _va.edge_colours(mode, ids, n_weights)
        widths = np.full(len(edges), 1.2)
        unit = c["unit"].value
        if unit != "none":
            u = unit_names(out).index(unit)
            mine = np.array([b == u for _, b in edges])
            colours[~mine, 3] = 0.12
            widths[mine] = 3.0
        self.edges.set_color(colours)
        self.edges.set_linewidths(widths)
        self.inputs.set_offsets(pin)
        self.outputs.set_offsets(pout)
        step_in, step_out = self._label_steps(n * n), self._label_steps(out * out)
        for t, text in enumerate(self.in_text):
            text.set_visible(t < n * n and t % step_in == 0)
            if t < n * n:
                text.set_position((pin[t, 0] - 0.06, pin[t, 1]))
                text.set_text(str(t + 1))
        names = unit_names(out)
        for t, text in enumerate(self.out_text):
            text.set_visible(t < out * out and t % step_out == 0)
            if t < out * out:
                text.set_position((pout[t, 0] + 0.06, pout[t, 1]))
                text.set_text(names[t])
        counts = {m: connections(m, n, k, s)[2] for m in CONNECTION_MODES}
        self.ax.set_title(f"{mode}: {n_weights:,} weights ({n}x{n} -> {out}x{out})")
        self.set_readout("weights", f"{mode}: {n_weights:,} weights. Dense needs "
                         f"{counts['dense']:,}, local {counts['local']:,}, shared "
                         f"{counts['shared']:,} (one {k}x{k} kernel reused at "
                         f"{out * out} position{'s' if out > 1 else ''}).")
        if unit == "none":
            self.set_readout("unit", "Pick an output unit to see which pixels feed it.")
        else:
            fed = [divmod(a, n) for a, b in edges if b == names.index(unit)]
            self.set_readout("unit", f"{unit} is fed by pixels {pixel_list(fed, n)}.")
        self.set_summary(f"Graph of {len(edges)} connections from {n * n} input pixels to "
                         f"{out * out} output units; same colour = same weight; {mode} "
                         f"connections use {n_weights:,} weights.")
        # the axes never changes its limits: the graph, its labels and the title are blitted
        self.use_dynamic([self.edges, self.inputs, self.outputs, *self.in_text,
                          *self.out_text, self.ax.title])


def connectivity_explorer(mode: str = "shared", input_size: int = 4, kernel_size: int = 2,
                          stride: int = 1) -> App:
    """Toggle dense / local / shared connections from an n x n input to the next layer.

    The graph shows every connection (same colour = same weight) and the readout the weight
    count: 4x4 -> 3x3 with a 2x2 kernel needs 144 dense, 36 local and 4 shared weights.
    """
    if mode not in CONNECTION_MODES:
        raise ValueError(f"mode must be one of {', '.join(CONNECTION_MODES)}; got {mode!r}")
    n = check_range(input_size, "input_size", 2, _Connectivity.MAX_N)
    k = check_range(kernel_size, "kernel_size", 1, n)
    s = check_range(stride, "stride", 1, 3)
    return _Connectivity(mode, n, k, s)

