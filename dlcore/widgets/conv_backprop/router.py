"""``pooling_router``: max and average pooling forward, and where each upstream gradient goes.

Shape legend: activations x (H, W), pooled map and upstream gradient (H_out, W_out) with
``H_out = floor((H - k)/s) + 1``, routed gradient dL/dx (H, W).
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib.patches import ConnectionPatch

from ... import conv
from ..._checks import as_array
from ...conv.sizes import torch_keywords
from ...data.slide_examples import SLIDE_EXAMPLES as SE
from .._base import PALETTE, dropdown, int_slider, play_controls, readout
from .._mine import mine_name, require_function, run_mine
from ..conv._grid import fmt, in_range, parse_matrix
from ..conv._presets import pick
from ._common import CellGrid, GridApp, Panels, controls_row, grid_text

__all__ = ["pooling_router"]

MODES = {"max pooling": "max", "average pooling": "avg"}
MAX_SIDE = 6

#: name -> (activations, upstream gradient or None, stride); None: 1, 2, 3, ... per cell
PRESETS = {
    "Kiran's example: 4x4 activations, stride 2": (SE["pool_backprop_input"].value,
                                                   SE["pool_backprop_upstream"].value, 2),
    "Khapra's 4x4 map, overlapping windows (stride 1)": (SE["pool_input"].value, None, 1),
    "a tie: two equal maxima in a window": (np.array([[1.0, 3, 3, 0], [2, 0, 1, 1],
                                                      [0, 5, 2, 2], [5, 1, 2, 2]]), None, 2),
}


def default_upstream(shape) -> np.ndarray:
    """Upstream gradient 1, 2, 3, ... in row-major order: each value is easy to follow."""
    return np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape)


class PoolingRouter(GridApp):
    """Activations, pooled map, upstream gradient and routed gradient, with arrows from the
    selected window's gradient to the cells it reaches."""

    def __init__(self, x=None, upstream=None, mode="max", size=2, stride=None, preset=None,
                 mine=None):
        self.mine = require_function(mine, "my_maxpool_backward",
                                     "your max-pooling backward function")
        self.mismatch = None  # cells where your routed gradient differs from dlcore's (mine=)
        self.reference_dx = None
        presets = dict(PRESETS)
        if x is not None:
            own = as_array(x, "x", ndim=2, spec="(H, W)")
            if max(own.shape) > MAX_SIDE:
                raise ValueError(f"x must be at most {MAX_SIDE}x{MAX_SIDE}; got {own.shape}")
            presets = {"your activations": (own, None, size if stride is None else stride),
                       **presets}
        name = pick(preset, presets, "preset", default=next(iter(presets)))
        if mode not in MODES.values():
            raise ValueError(f"mode must be 'max' or 'avg'; got {mode!r}")
        size = in_range(size, "kernel_size", 1, 4)
        stride = presets[name][2] if stride is None else in_range(stride, "stride", 1, 4)
        self._presets = presets
        self._own_upstream = upstream
        self._busy = False
        play, step = play_controls(1, interval_ms=900, description="window")
        self._play = play
        controls = {
            "preset": dropdown("activations", list(presets), name,
                               tooltip="the feature map that is pooled"),
            "mode": dropdown("pooling", MODES, mode,
                             tooltip="max: the gradient goes to the argmax; average: it is "
                                     "shared by every cell of the window"),
            "size": int_slider("window size k", size, 1, 4, tooltip="k x k windows"),
            "stride": int_slider("stride s", stride, 1, 4, tooltip="step between windows"),
            "play": play,
            "step": step,
            "upstream": W.Textarea(description="upstream dL/d(pooled)",
                                   tooltip="the upstream gradient (editable): one row per "
                                           "line, the pooled map's shape",
                                   layout=W.Layout(width="250px", height="82px"),
                                   style={"description_width": "initial"}),
        }
        self.panels = Panels(4, {"row": (600, (11.0, 3.2), [[0, 1, 2, 3]]),
                                 "two rows": (0, (6.4, 6.0), [[0, 1], [2, 3]])},
                             [1.3, 1.1, 1.1, 1.3])
        fig, axes = self.panels.fig, self.panels.axes
        self.axes = axes
        self.grids = [CellGrid(ax, (MAX_SIDE, MAX_SIDE)) for ax in axes]
        for ax, title in zip(axes, ("activations x", "pooled", "dL/d(pooled)",
                                    "routed dL/dx")):
            ax.set_title(title, fontsize=11)
            ax.set_xlabel("column")
        # a fixed pool of arrows (one per cell of the largest window), moved in update()
        self.arrows = []
        for _ in range(16):
            arrow = ConnectionPatch((0, 0), (0, 0), "data", "data", axesA=axes[2],
                                    axesB=axes[3], arrowstyle="->", lw=1.6, shrinkA=9, shrinkB=9,
                                    color=PALETTE["vermillion"], visible=False, zorder=6)
            fig.add_artist(arrow)
            self.arrows.append(arrow)
        readouts = {"route": readout(), "totals": readout(), "params": readout(),
                    **({"mine": readout()} if mine is not None else {})}
        super().__init__(controls, fig, readouts, title="Pooling backward: routing gradients")
        c = self.controls
        self.arrange([controls_row(c["preset"], c["mode"]),
                      controls_row(W.VBox([c["size"], c["stride"], W.HBox([play, step])]),
                                   c["upstream"])])
        # the grids and the arrows between them are blitted; titles and labels drawn once
        self.dynamic_grids(self.grids, extra=self.arrows)
        self.controls["preset"].observe(self._on_preset, names="value")
        if upstream is not None:
            self._own_upstream = as_array(upstream, "upstream", ndim=2, spec="(H_out, W_out)")
            if self._own_upstream.shape != self._out_shape():
                raise ValueError(f"upstream must have the pooled shape (H_out, W_out) = "
                                 f"{self._out_shape()}; got {self._own_upstream.shape}")
        self._reset_upstream(first=True)
        self.dx = self.pooled = None
        self.update()

    def _on_change(self, change=None) -> None:
        if self._busy or (change is not None and change.get("owner") is self._play):
            return
        super()._on_change(change)

    def _on_preset(self, change) -> None:
        self._busy = True
        self.controls["stride"].value = self._presets[change["new"]][2]
        self._busy = False
        self._reset_upstream()
        self._on_change()

    def _out_shape(self):
        x = self.activations()
        k, s = self.controls["size"].value, self.controls["stride"].value
        return conv.output_size(x.shape[0], k, s), conv.output_size(x.shape[1], k, s)

    def _reset_upstream(self, first=False):
        """Offer an upstream gradient of the pooled map's shape (the preset's, if it has one)."""
        try:
            shape = self._out_shape()
        except ValueError:
            return
        given = self._own_upstream if first else None
        if given is None:
            given = self._presets[self.controls["preset"].value][1]
        if given is None or np.shape(given) != shape:
            given = default_upstream(shape)
        self._busy = True
        self.controls["upstream"].value = grid_text(given)
        self._busy = False

    def activations(self) -> np.ndarray:
        return np.asarray(self._presets[self.controls["preset"].value][0], dtype=np.float64)

    def _fail(self, message):
        for grid in self.grids:
            grid.show(np.full((1, 1), np.nan))
        for arrow in self.arrows:
            arrow.set_visible(False)
        self.grids_shown()
        self.dx = self.pooled = self.reference_dx = self.mismatch = None
        if self.mine is not None:
            self.set_readout("mine", "")
        self.set_readout("route", f"Error: {message}")
        self.set_summary(f"No routing: {message}")

    def _compare_mine(self, g, x, k, s, mode):
        """Your routed gradient, compared with dlcore's; dlcore's when it cannot be used."""
        fallback = "the routed gradient shows dl.conv.max_pool2d_backward"
        if mode != "max":
            self.set_readout("mine", f"{mine_name(self.mine)} is max pooling's backward: "
                                     f"choose max pooling to compare it; the routed gradient "
                                     f"shows dl.conv.avg_pool2d_backward.")
            return self.reference_dx
        where = (f"activations {x.shape[0]}×{x.shape[1]}, upstream {g.shape[0]}×{g.shape[1]}, "
                 f"size {k}, stride {s}")
        mine = run_mine(self.mine, (g, x), {"size": k, "stride": s},
                        reference=self.reference_dx,
                        reference_name="dl.conv.max_pool2d_backward", where=where,
                        fallback=fallback, entries="cells", label="dx")
        self.set_readout("mine", mine.message)
        if not mine.used:
            return self.reference_dx
        self.mismatch = mine.differ
        return mine.value

    def update(self) -> None:
        c = self.controls
        x, mode = self.activations(), c["mode"].value
        k, s = c["size"].value, c["stride"].value
        try:
            shape = self._out_shape()
            g = parse_matrix(c["upstream"].value, "upstream gradient")
            if g.shape != shape:
                self._reset_upstream()
                g = parse_matrix(c["upstream"].value, "upstream gradient")
        except ValueError as exc:
            self._fail(str(exc))
            return
        fwd = conv.max_pool2d_forward if mode == "max" else conv.avg_pool2d_forward
        bwd = conv.max_pool2d_backward if mode == "max" else conv.avg_pool2d_backward
        out, cache = fwd(x[None, None], size=k, stride=s)
        self.pooled = out[0, 0]
        self.dx = self.reference_dx = bwd(g[None, None], cache)[0, 0]
        self.mismatch = None
        if self.mine is not None:
            self.dx = self._compare_mine(g, x, k, s, mode)
        ho, wo = shape
        c["step"].max = self._play.max = ho * wo - 1
        n = min(c["step"].value, ho * wo - 1)
        i, j = divmod(n, wo)
        window = [(i * s + a, j * s + b) for a in range(k) for b in range(k)]
        if mode == "max":
            flat = int(cache.indices[0, 0, i, j])
            targets = [divmod(flat, x.shape[1])]
            argmax = np.zeros(x.shape, dtype=bool)
            argmax.flat[cache.indices[0, 0].ravel()] = True
        else:
            targets, argmax = window, None
        self.targets = targets
        win = np.zeros(x.shape, dtype=bool)
        for r, q in window:
            win[r, q] = True
        cell = np.zeros(shape, dtype=bool)
        cell[i, j] = True
        hit = np.zeros(x.shape, dtype=bool)
        for r, q in targets:
            hit[r, q] = True
        self.grids[0].show(x, mask=win)
        self.grids[1].show(self.pooled, mask=cell)
        self.grids[2].show(g, mask=cell)
        labels = None
        if self.mismatch is not None and self.mismatch.any():
            # your value, and dlcore's where they differ ("0.5≠0")
            labels = [[fmt(self.dx[r, q]) + (f"≠{fmt(self.reference_dx[r, q])}"
                                             if self.mismatch[r, q] else "")
                       for q in range(x.shape[1])] for r in range(x.shape[0])]
        self.grids[3].show(self.dx, mask=hit, labels=labels)
        self.grids_shown()
        title3 = "your dL/dx" if self.mismatch is not None else "routed dL/dx"
        if self.axes[3].get_title() != title3:
            self.axes[3].set_title(title3, fontsize=11)
            self.stale()
        title = f"{'max' if mode == 'max' else 'average'} pooled"
        if self.axes[1].get_title() != title:
            self.axes[1].set_title(title, fontsize=11)
            self.stale()
        single = ho * wo == 1
        for ctl in (c["step"], self._play):
            ctl.disabled = single
            ctl.tooltip = ("only one window at this size and stride: nothing to step through"
                           if single else "step through the windows (play or arrow keys)")
        for idx, arrow in enumerate(self.arrows):
            if idx < len(targets):
                r, q = targets[idx]
                arrow.xy1, arrow.xy2 = (j, i), (q, r)
                arrow.set_visible(True)
            else:
                arrow.set_visible(False)
        gv = g[i, j]
        if mode == "max":
            r, q = targets[0]
            route = (f"window ({i}, {j}): its maximum {fmt(x[r, q])} sits at x[{r}, {q}], so "
                     f"the gradient {fmt(gv)} goes there and the other {k * k - 1} cells get 0")
            if self.mismatch is not None and self.mismatch.any():
                route += (f" (yours gives x[{r}, {q}] {fmt(self.dx[r, q])})"
                          if self.mismatch[r, q] else "")
        else:
            route = (f"window ({i}, {j}): every one of its {k * k} cells gets "
                     f"{fmt(gv)}/{k * k} = {fmt(gv / (k * k))}")
        overlap = s < k
        self.set_readout("route", route)
        self.set_readout("totals", f"total gradient in = {fmt(g.sum())}, total routed out = "
                                   f"{fmt(self.dx.sum())}" + (
                                       "; windows overlap (s < k), so a cell can collect "
                                       "gradient from several windows" if overlap else ""))
        self.set_readout("params", "parameters: 0. Pooling learns nothing, but it is not a "
                                   "wall: gradients flow through it to the layer below.")
        if argmax is not None:
            self.set_summary(f"{k}×{k} max pooling, stride {s}: each upstream gradient goes to "
                             f"the argmax of its window; {int((self.dx != 0).sum())} of "
                             f"{x.size} input cells receive a nonzero gradient.")
        else:
            self.set_summary(f"{k}×{k} average pooling, stride {s}: each upstream gradient is "
                             f"split evenly over the {k * k} cells of its window.")


@torch_keywords
def pooling_router(x=None, upstream=None, *, mode="max", kernel_size=2, stride=None,
                   preset=None, mine=None) -> PoolingRouter:
    """Max or average pooling, window size, stride and editable upstream gradients -> the
    pooled map and the routed gradient dL/dx, with arrows from the selected window's gradient
    to the cell(s) it reaches (``dlcore.conv.max_pool2d_backward`` / ``avg_pool2d_backward``).

    Default: the activations and upstream gradient of Kiran's slide "Backprop in pooling
    layer" (``dl.data.SLIDE_EXAMPLES``).  ``x`` (H, W), at most 6x6, adds your own activations
    (and ``upstream``, of the pooled shape, its gradient); ``preset`` picks a preset by name or
    a word in it.

    ``mine``: your own max-pooling backward, called as ``mine(dout, x, size=k, stride=s)``
    with the upstream gradient (H_out, W_out) and the activations (H, W), returning dL/dx
    (H, W), like ``dl.conv.max_pool2d_backward`` on one channel.  With max pooling the routed
    panel then shows your gradient, marks each cell that differs from dlcore's as
    ``yours≠correct``, and a readout counts them with the largest error; an error in your
    function (or a blank, None or a wrong shape) is shown in that readout and the panel shows
    dlcore's.
    """
    return PoolingRouter(x=x, upstream=upstream, mode=mode, size=kernel_size, stride=stride,
                         preset=preset, mine=mine)
