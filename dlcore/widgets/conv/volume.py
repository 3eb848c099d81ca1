"""``channel_volume``: input depth, filter depth and the number of filters, drawn as volumes.

Shape legend: a square input n x n with C channels, K filters of size k x k x C, output
n_out x n_out x K; conv arrays in PyTorch's layouts, x (N, C, H, W) and w (K, C, k, k).
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib.patches import Polygon

from ... import conv
from ...conv.sizes import torch_keywords
from .._base import CYCLE, dropdown, int_slider, readout, style_axes
from .._text import cached_text
from ._grid import GridApp, figure_row, in_range

__all__ = ["channel_volume"]

_DX, _DY = 0.45, 0.3   # oblique projection of the depth axis
_DEPTH = 0.3           # drawing depth of one channel
MAX_DEPTH = MAX_FILTERS = 8

_VOLUME_PRESETS = {
    "choose with the sliders": None,
    "RGB 5×5, K=2, F=3, S=2, P=1 (Arya)": dict(depth=3, n_filters=2, n=5, k=3, stride=2,
                                              pad=1),
    "32×32×3, six 5×5 filters (Arya)": dict(depth=3, n_filters=6, n=32, k=5, stride=1,
                                           pad=0),
    "one grey channel, one filter": dict(depth=1, n_filters=1, n=7, k=3, stride=1, pad=0),
}


def _faces(x0, y0, w, h, depth):
    """Front, top and side faces of a box seen in oblique projection."""
    ox, oy = depth * _DX, depth * _DY
    front = [(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)]
    top = [(x0, y0 + h), (x0 + w, y0 + h), (x0 + w + ox, y0 + h + oy), (x0 + ox, y0 + h + oy)]
    side = [(x0 + w, y0), (x0 + w + ox, y0 + oy), (x0 + w + ox, y0 + h + oy), (x0 + w, y0 + h)]
    return front, top, side


class _Box:
    """Three polygons (front, top, side) that can be moved and hidden."""

    def __init__(self, ax, colour, zorder):
        self.polys = [Polygon(np.zeros((4, 2)), closed=True, facecolor=colour,
                              edgecolor="black", linewidth=0.6, alpha=a, zorder=zorder)
                      for a in (0.95, 0.75, 0.6)]
        for poly in self.polys:
            ax.add_patch(poly)

    def place(self, x0, y0, w, h, depth, visible=True):
        for poly, xy in zip(self.polys, _faces(x0, y0, w, h, depth)):
            poly.set_xy(xy)
            poly.set_visible(visible)


class ChannelVolume(GridApp):
    """Input volume, K filters that span its depth, and the K-deep output volume."""

    def __init__(self, depth=3, n_filters=2, n=5, k=3, stride=1, pad=0):
        depth = in_range(depth, "depth", 1, MAX_DEPTH)
        n_filters = in_range(n_filters, "n_filters", 1, MAX_FILTERS)
        n, k = in_range(n, "n", 3, 32), in_range(k, "k", 1, 7)
        stride, pad = in_range(stride, "stride", 1, 4), in_range(pad, "padding", 0, 3)
        controls = {
            "example": dropdown("example", list(_VOLUME_PRESETS),
                                tooltip="set the sliders to an example from the slides"),
            "depth": int_slider("input depth C", depth, 1, MAX_DEPTH,
                                tooltip="input channels: 3 for an RGB image"),
            "n_filters": int_slider("filters K", n_filters, 1, MAX_FILTERS,
                                    tooltip="number of filters; each gives one output channel"),
            "n": int_slider("input size n", n, 3, 32, tooltip="input height = width"),
            "k": int_slider("filter size k", k, 1, 7, tooltip="filter height = width"),
            "stride": int_slider("stride s", stride, 1, 4, tooltip="step between windows"),
            "pad": int_slider("padding p", pad, 0, 3, tooltip="rings of zeros on each side"),
        }
        fig, (ax,) = figure_row([1.0], figsize=(9.0, 4.2))
        ax.set_xlim(-0.2, 15.5)
        ax.set_ylim(-0.8, 6.6)
        ax.set_aspect("equal")
        style_axes(ax, "a conv layer as volumes", "width (drawn to scale)",
                   "height; depth runs into the page")
        ax.set_xticks([])
        ax.set_yticks([])
        greys = ["#bdbdbd", "#a6a6a6", "#d0d0d0", "#8c8c8c", "#c7c7c7", "#9e9e9e", "#b3b3b3",
                 "#969696"]
        # slices further back are drawn first, so the front slice covers them
        self.in_boxes = [_Box(ax, greys[c], zorder=2 + MAX_DEPTH - c) for c in range(MAX_DEPTH)]
        self.filters = [_Box(ax, CYCLE[f % len(CYCLE)], zorder=20 + f)
                        for f in range(MAX_FILTERS)]
        self.out_boxes = [_Box(ax, CYCLE[f % len(CYCLE)], zorder=40 + MAX_FILTERS - f)
                          for f in range(MAX_FILTERS)]
        kw = dict(ha="center", va="top", fontsize=9)
        self.t_in = cached_text(ax, 0, 0, "", **kw)
        self.t_f = cached_text(ax, 0, 0, "", **kw)
        self.t_out = cached_text(ax, 0, 0, "", **kw)
        cached_text(ax, 5.0, 2.0, "∗", fontsize=18, ha="center", va="center")
        cached_text(ax, 10.3, 2.0, "=", fontsize=18, ha="center", va="center")
        readouts = {"shapes": readout(), "params": readout()}
        super().__init__(controls, fig, readouts, title="Channels: filter depth = input "
                                                        "depth, K filters → K output channels")
        c = self.controls
        self.arrange([c["example"], W.HBox(
            [W.VBox([c["depth"], c["n_filters"], c["n"]], layout=W.Layout(margin="0 16px 0 0")),
             W.VBox([c["k"], c["stride"], c["pad"]])], layout=W.Layout(flex_flow="row wrap"))])
        self.controls["example"].observe(self._on_example, names="value")
        self._applying = False
        self.out_shape = None
        self.update()

    def _on_change(self, change=None) -> None:
        if change is not None and change.get("owner") is self.controls["example"]:
            return  # _on_example sets the sliders, each of which updates the plot
        if not self._applying:
            super()._on_change(change)

    def _on_example(self, change) -> None:
        preset = _VOLUME_PRESETS[change["new"]]
        if preset:
            self._applying = True
            try:
                for name, value in preset.items():
                    self.controls[name].value = value
            finally:
                self._applying = False
            super()._on_change()

    def update(self) -> None:
        c = self.controls
        preset = _VOLUME_PRESETS[c["example"].value]
        if preset and not self._applying and any(c[name].value != value
                                                 for name, value in preset.items()):
            c["example"].value = next(iter(_VOLUME_PRESETS))  # a slider left the example
        C, K, n, k, s, p = (c[x].value for x in ("depth", "n_filters", "n", "k", "stride",
                                                 "pad"))
        unit = 3.2 / max(n + 2 * p, 8)  # one pixel, so that every volume is drawn to scale
        side = n * unit
        for i, box in enumerate(self.in_boxes):  # channel i sits i slices behind the front
            box.place(0.2 + i * _DEPTH * _DX, 0.4 + i * _DEPTH * _DY, side, side, _DEPTH,
                      visible=i < C)
        self.t_in.set_position((0.2 + side / 2, 0.3))
        self.t_in.set_text(f"input {n}×{n}×{C}")
        ksz = k * unit
        step = min(ksz + C * _DEPTH * _DY + 0.25, 5.2 / K)
        for f, box in enumerate(self.filters):
            box.place(5.5, 0.4 + f * step, ksz, ksz, C * _DEPTH, visible=f < K)
        self.t_f.set_position((5.5 + ksz / 2, 0.3))
        self.t_f.set_text(f"{K} filter{'s' if K > 1 else ''} {k}×{k}×{C}")
        try:
            x = np.zeros((1, C, n, n))
            out, _ = conv.conv2d_forward(x, np.zeros((K, C, k, k)), np.zeros(K), stride=s,
                                         pad=p)
        except ValueError as exc:
            self.out_shape = None
            for box in self.out_boxes:
                box.place(0, 0, 0, 0, 0, visible=False)
            self.t_out.set_text("no output")
            self.set_readout("shapes", f"Error: {exc}")
            self.set_readout("params", "")
            self.set_summary(f"No output: {exc}")
            self._dynamic_artists()
            return
        self.out_shape = out.shape
        no = out.shape[2]
        oside = no * unit
        for f, box in enumerate(self.out_boxes):
            box.place(10.8 + f * _DEPTH * _DX, 0.4 + f * _DEPTH * _DY, oside, oside, _DEPTH,
                      visible=f < K)
        self.t_out.set_position((10.8 + oside / 2, 0.3))
        self.t_out.set_text(f"output {no}×{no}×{K}")
        weights = K * C * k * k
        self.set_readout("shapes", f"x (N, C, H, W) = (1, {C}, {n}, {n}); w (K, C, k, k) = "
                                   f"({K}, {C}, {k}, {k}); b (K,) = ({K},); out (N, K, H_out, "
                                   f"W_out) = {tuple(int(v) for v in out.shape)}")
        self.set_readout("params", f"each filter: {C}·{k}·{k} = {C * k * k} weights + 1 bias; "
                                   f"the layer: {weights} + {K} = {weights + K} parameters")
        self.set_summary(f"A {n}×{n}×{C} input and {K} filters of size {k}×{k}×{C} (each as "
                         f"deep as the input) give a {no}×{no}×{K} output: one channel per "
                         f"filter, in the filter's colour.")
        self._dynamic_artists()

    def _dynamic_artists(self) -> None:
        """The axes never changes its limits: every box and label is blitted."""
        boxes = self.in_boxes + self.filters + self.out_boxes
        self.use_dynamic([p for box in boxes for p in box.polys]
                         + [self.t_in, self.t_f, self.t_out])


@torch_keywords
def channel_volume(depth=3, n_filters=2, n=5, k=3, stride=1, padding=0) -> ChannelVolume:
    """Input depth C, number of filters K, sizes -> the input volume, K filters k x k x C and
    the output volume n_out x n_out x K drawn to scale, with the PyTorch shapes of x, w, b and
    the output (computed by ``dlcore.conv.conv2d_forward``) and the parameter count."""
    return ChannelVolume(depth=depth, n_filters=n_filters, n=n, k=k, stride=stride, pad=padding)
