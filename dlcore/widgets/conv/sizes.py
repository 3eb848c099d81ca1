"""``output_size_explorer``: the output-size formula on a padded grid.

Shape legend: a square input n x n, a k x k kernel, output n_out x n_out with
``n_out = floor((n + 2p - d(k-1) - 1)/s) + 1`` (one axis shown, both are alike).
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from ... import conv
from ...conv.sizes import torch_keywords
from .._base import PALETTE, int_slider, readout, style_axes
from .._text import cached_text
from ._grid import BottomLegend, GridApp, figure_row, in_range
from .explorer import size_formula

__all__ = ["output_size_explorer"]

# padding visited, padding never visited, input visited, input never visited
_COVER_COLOURS = ["#d9d9d9", "#f5f5f5", PALETTE["sky"], PALETTE["vermillion"]]


def coverage(length: int, k: int, s: int, d: int, n_out: int) -> np.ndarray:
    """Which of ``length`` padded cells along one axis some window touches (bool)."""
    cov = np.zeros(length, dtype=bool)
    for i in range(n_out):
        cov[i * s + np.arange(k) * d] = True
    return cov


class OutputSizeExplorer(GridApp):
    """The padded grid, the windows' positions, the cells no window reaches, and the size."""

    def __init__(self, n=7, k=3, pad=0, stride=1, dilation=1):
        n, k = in_range(n, "n", 1, 16), in_range(k, "k", 1, 7)
        pad, stride = in_range(pad, "padding", 0, 3), in_range(stride, "stride", 1, 4)
        dilation = in_range(dilation, "dilation", 1, 3)
        controls = {
            "n": int_slider("input size n", n, 1, 16, tooltip="input height = width"),
            "k": int_slider("kernel size k", k, 1, 7, tooltip="kernel height = width"),
            "pad": int_slider("padding p", pad, 0, 3, tooltip="rings of zeros on each side"),
            "stride": int_slider("stride s", stride, 1, 4, tooltip="step between windows"),
            "dilation": int_slider("dilation d", dilation, 1, 3,
                                   tooltip="spacing between kernel taps; the kernel spans "
                                           "d(k-1)+1 cells"),
        }
        fig, (ax, ax_o) = figure_row([2.0, 1.0], figsize=(8.6, 4.2))
        self.grid = ax.imshow(np.zeros((1, 1)), cmap=ListedColormap(_COVER_COLOURS),
                              vmin=-0.5, vmax=3.5, interpolation="nearest")
        self.anchors = ax.scatter([], [], s=18, color=PALETTE["black"], zorder=4,
                                  label="window start (1 per output)")
        self.first = ax.scatter([], [], s=140, marker="s", facecolors="none", zorder=5,
                                edgecolors=PALETTE["orange"], linewidths=2,
                                label="first window's cells")
        # below the panels (a figure legend: it never needs repainting, covers no cell and
        # leaves the grids the whole width)
        self.legend = BottomLegend(fig, [Patch(color=c, label=lab) for c, lab in zip(
            _COVER_COLOURS, ["padding", "padding, unreached", "input", "input, unreached"])]
            + [self.anchors, self.first], wide=3, narrow=2, min_px=640)
        style_axes(ax, "padded input", "column", "row")
        self.out_img = ax_o.imshow(np.zeros((1, 1)), cmap="Greys", vmin=0, vmax=1)
        self.out_text = cached_text(ax_o, 0, 0, "", ha="center", va="center", fontsize=14,
                                    color=PALETTE["blue"])
        # cell borders: one LineCollection per grid (minor ticks and grid lines cost most of a
        # draw)
        self.borders = {a: a.add_collection(LineCollection([], colors="white", linewidths=0.8),
                                            autolim=False) for a in (ax, ax_o)}
        style_axes(ax_o, "output", "column", "row")
        self.ax, self.ax_o = ax, ax_o
        readouts = {"formula": readout(), "estimate": readout(), "warning": readout()}
        super().__init__(controls, fig, readouts, title="How big is the output?")
        self.n_out = None
        self.update()

    def fit(self, width: int) -> None:
        self.legend.fit(width)
        super().fit(width)

    def _axis(self, ax, size):
        if getattr(ax, "_dl_size", None) == size:
            return
        ax._dl_size = size
        ax.set_xlim(-0.5, size - 0.5)
        ax.set_ylim(size - 0.5, -0.5)
        ax.set_xticks(np.arange(0, size, 2 if size > 10 else 1))
        ax.set_yticks(np.arange(0, size, 2 if size > 10 else 1))
        lines = np.arange(1, size) - 0.5
        self.borders[ax].set_segments([[(v, -0.5), (v, size - 0.5)] for v in lines]
                                      + [[(-0.5, v), (size - 0.5, v)] for v in lines])

    def _dynamic_artists(self) -> None:
        """Every artist that moves is blitted (no text but the output size): a control that
        changes a grid's size repaints that panel's ticks only."""
        self.use_dynamic([self.grid, self.anchors, self.first, self.out_img, self.out_text,
                          *self.borders.values()])

    def update(self) -> None:
        c = self.controls
        n, k, p, s, d = (c[x].value for x in ("n", "k", "pad", "stride", "dilation"))
        length = n + 2 * p
        cat = np.zeros((length, length))
        cat[p:p + n, p:p + n] = 2
        try:
            n_out = conv.output_size(n, k, s, p, d)
        except ValueError as exc:
            self.n_out = None
            self.grid.set_data(cat + 1)  # nothing is reached
            self.grid.set_extent((-0.5, length - 0.5, length - 0.5, -0.5))
            self._axis(self.ax, length)
            self.anchors.set_offsets(np.empty((0, 2)))
            self.first.set_offsets(np.empty((0, 2)))
            self.out_img.set_data(np.zeros((1, 1)))
            self.out_text.set_text("none")
            self.set_readout("formula", f"Error: {exc}")
            self.set_readout("estimate", "")
            self.set_readout("warning", "")
            self.set_summary(f"No output: the kernel does not fit ({exc}).")
            self._dynamic_artists()
            return
        self.n_out = n_out
        cov = coverage(length, k, s, d, n_out)
        reached = np.outer(cov, cov)
        cat = cat + (~reached)
        self.grid.set_data(cat)
        self.grid.set_extent((-0.5, length - 0.5, length - 0.5, -0.5))
        self._axis(self.ax, length)
        starts = np.arange(n_out) * s
        gi, gj = np.meshgrid(starts, starts, indexing="ij")
        self.anchors.set_offsets(np.column_stack([gj.ravel(), gi.ravel()]))
        taps = np.arange(k) * d
        ti, tj = np.meshgrid(taps, taps, indexing="ij")
        self.first.set_offsets(np.column_stack([tj.ravel(), ti.ravel()]))
        self.out_img.set_data(np.full((n_out, n_out), 0.15))  # light grey cells
        self.out_img.set_extent((-0.5, n_out - 0.5, n_out - 0.5, -0.5))
        self._axis(self.ax_o, n_out)
        self.out_text.set_position(((n_out - 1) / 2, (n_out - 1) / 2))
        self.out_text.set_text(f"{n_out}×{n_out}")
        self.set_readout("formula", f"n_out = ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1 = "
                                    f"{size_formula(n, k, s, p, d)}")
        self.set_readout("estimate", f"the rule of thumb 'stride s divides the size by s' "
                                     f"says n/s = {n}/{s} = {n / s:.3g}; the formula gives "
                                     f"{n_out}")
        span = n + 2 * p - d * (k - 1) - 1
        missed = int((~cov[p:p + n]).sum())
        notes = []
        if span % s:
            notes.append(f"({span})/{s} = {span / s:.3g} is not an integer: the floor drops "
                         f"the fraction, and the last {span % s} padded row(s)/column(s) are "
                         f"never reached")
        if missed and (d > 1 or s > d * (k - 1) + 1):
            notes.append(f"with stride {s} and dilation {d}, {missed} input row(s)/column(s) "
                         f"fall between the taps")
        self.set_readout("warning", ("Warning: " + "; ".join(notes)) if notes else
                         "The stride tiles the padded input exactly.")
        self.set_summary(f"A {n}×{n} input padded to {length}×{length}, a {k}×{k} kernel "
                         f"(dilation {d}) at stride {s}: {n_out}×{n_out} window positions, "
                         f"{int((~reached[p:p + n, p:p + n]).sum())} input cells never "
                         f"reached.")
        self._dynamic_artists()


@torch_keywords
def output_size_explorer(n=7, k=3, padding=0, stride=1, dilation=1) -> OutputSizeExplorer:
    """Sliders n, k, p, s, d -> the padded grid, where the windows start, which cells no window
    reaches, the output size ``floor((n + 2p - d(k-1) - 1)/s) + 1`` and a warning when the
    division is not exact (``dlcore.conv.output_size``)."""
    return OutputSizeExplorer(n=n, k=k, pad=padding, stride=stride, dilation=dilation)
