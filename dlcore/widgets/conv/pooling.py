"""``pooling_explorer``: max and average pooling, and what a one-pixel shift does to them.

Shape legend: feature map x (H, W); pooled (H_out, W_out) with
``H_out = floor((H - size)/stride) + 1``.
"""

from __future__ import annotations

import numpy as np

from ... import conv
from ..._checks import as_array
from ...conv.sizes import torch_keywords
from .._base import dropdown, int_slider, play_controls, readout
from ._grid import GridApp, NumberGrid, figure_row, fmt, in_range, shifted, two_columns
from ._presets import POOL_PRESETS, pick

__all__ = ["pooling_explorer"]

_MODES = {"max pooling": "max", "average pooling": "avg"}


def pool(x, mode: str, size: int, stride: int) -> np.ndarray:
    """``dlcore.conv`` max or average pooling of one (H, W) map."""
    op = conv.max_pool2d_forward if mode == "max" else conv.avg_pool2d_forward
    out, _ = op(x[None, None], size=size, stride=stride)
    return out[0, 0]


class PoolingExplorer(GridApp):
    """The (shifted) map with one window, the pooled map before and after the shift."""

    def __init__(self, x=None, mode="max", size=2, stride=2, shift=0, preset=None):
        size, stride = in_range(size, "kernel_size", 1, 4), in_range(stride, "stride", 1, 4)
        shift = in_range(shift, "shift", 0, 2)
        presets = dict(POOL_PRESETS)
        if x is not None:
            own = as_array(x, "x", ndim=2, spec="(H, W)")
            if max(own.shape) > 16:
                raise ValueError(f"x must be at most 16x16 to read its numbers; got shape "
                                 f"{own.shape}")
            presets = {"your feature map": lambda: own, **presets}
        mode_label = {v: k for k, v in _MODES.items()}.get(mode)
        if mode_label is None:
            raise ValueError(f"mode must be 'max' or 'avg'; got {mode!r}")
        self._presets = presets
        self._cache: dict[str, np.ndarray] = {}
        name = pick(preset, presets, "preset", default=next(iter(presets)))
        play, step = play_controls(1, interval_ms=700, description="window")
        self._play = play
        controls = {
            "input": dropdown("feature map", list(presets), name,
                              tooltip="the map to pool (one channel)"),
            "mode": dropdown("pooling", list(_MODES), mode_label,
                             tooltip="largest value of each window, or its mean"),
            "size": int_slider("window size k", size, 1, 4, tooltip="k x k windows"),
            "stride": int_slider("stride s", stride, 1, 4,
                                 tooltip="step between windows (usually s = k)"),
            "shift": int_slider("shift right (pixels)", shift, 0, 2,
                                tooltip="translate the input map right; zeros come in from the "
                                        "left"),
            "play": play,
            "step": step,
        }
        fig, axes = figure_row([1.3, 1.0, 1.0], figsize=(10.0, 3.7))
        self.g_in = NumberGrid(axes[0], (16, 16), fontsize=10)
        self.g_ref = NumberGrid(axes[1], (16, 16), fontsize=10)
        self.g_new = NumberGrid(axes[2], (16, 16), fontsize=10)
        for ax, xl, yl in zip(axes, ("column", "output column", "output column"),
                              ("row", "output row", "output row")):
            ax.set_xlabel(xl)
            ax.set_ylabel(yl)
        self.axes = axes
        readouts = {"formula": readout(), "invariance": readout(), "params": readout()}
        super().__init__(controls, fig, readouts, title="Pooling and local invariance")
        two_columns(self, ["input", "mode", "play", "step"], ["size", "stride", "shift"])
        self.pooled = self.pooled_shifted = None
        self.update()

    def _on_change(self, change=None) -> None:
        if change is not None and change.get("owner") is self._play:
            return
        super()._on_change(change)

    def feature_map(self) -> np.ndarray:
        name = self.controls["input"].value
        if name not in self._cache:
            self._cache[name] = np.asarray(self._presets[name](), dtype=np.float64)
        return self._cache[name]

    def update(self) -> None:
        c = self.controls
        x = self.feature_map()
        mode = _MODES[c["mode"].value]
        k, s, sh = c["size"].value, c["stride"].value, c["shift"].value
        xs = shifted(x, right=sh)
        h, w = x.shape
        try:
            ho = conv.output_size(h, k, s)
            wo = conv.output_size(w, k, s)
        except ValueError as exc:
            self.g_in.show(xs)
            for g in (self.g_ref, self.g_new):
                g.show(np.full((1, 1), np.nan))
            self.pooled = self.pooled_shifted = None
            self.set_readout("formula", f"Error: {exc}")
            self.set_readout("invariance", "")
            self.set_summary(f"No output: {exc}")
            self._dynamic_artists()
            return
        ref, new = pool(x, mode, k, s), pool(xs, mode, k, s)
        self.pooled, self.pooled_shifted = ref, new
        step = c["step"]
        step.max = ho * wo - 1
        self._play.max = step.max
        idx = min(step.value, ho * wo - 1)
        i, j = divmod(idx, wo)
        window = np.zeros(x.shape, dtype=bool)
        window[i * s:i * s + k, j * s:j * s + k] = True
        self.g_in.show(xs, mask=window)
        name = "max" if mode == "max" else "average"
        self.axes[0].set_title(f"feature map {h}×{w}" + (f", shifted by {sh}" if sh else ""))
        lo, hi = float(min(ref.min(), new.min())), float(max(ref.max(), new.max()))
        cell = np.zeros(ref.shape, dtype=bool)
        cell[i, j] = True
        changed = ~np.isclose(ref, new)
        self.g_ref.show(ref, vmin=lo, vmax=hi, mask=cell if not sh else None)
        self.axes[1].set_title(f"{name} pool, unshifted")
        self.g_new.show(new, vmin=lo, vmax=hi, mask=changed if sh else cell)
        self.axes[2].set_title(f"{name} pool, shifted by {sh}" if sh else
                               f"{name} pool (shift 0)")
        self.set_readout("formula", f"output size ⌊(n − k)/s⌋ + 1 = ⌊({h} − {k})/{s}⌋ + 1 = "
                                 f"{ho} rows, ⌊({w} − {k})/{s}⌋ + 1 = {wo} columns; window "
                                 f"({i}, {j}) gives {fmt(new[i, j])}")
        other = "avg" if mode == "max" else "max"
        n_other = int((~np.isclose(pool(x, other, k, s), pool(xs, other, k, s))).sum())
        if sh:
            self.set_readout("invariance", f"shifting the map by {sh} pixel(s) changes "
                                           f"{int(changed.sum())} of {ho * wo} pooled values "
                                           f"(outlined); {'average' if other == 'avg' else 'max'}"
                                           f" pooling would change {n_other}")
        else:
            self.set_readout("invariance", "move the shift slider to translate the map and "
                                           "count the pooled values that change")
        self.set_readout("params", "parameters: 0 (pooling has nothing to learn; gradients "
                                   "still flow through it)")
        self.set_summary(f"{k}×{k} {name} pooling with stride {s} turns the {h}×{w} map into "
                         f"{ho}×{wo}; after a shift of {sh} pixel(s), {int(changed.sum())} "
                         f"pooled value(s) differ.")
        self._dynamic_artists()

    def _dynamic_artists(self) -> None:
        """Only the outlines move with the window slider; the cells are repainted per panel
        when they change (shift, size, stride, mode, map)."""
        grids = (self.g_in, self.g_ref, self.g_new)
        self.use_dynamic([a for g in grids for a in g.artists(highlight_only=True)],
                         static_grids=grids)


@torch_keywords
def pooling_explorer(x=None, *, mode="max", kernel_size=2, stride=2, shift=0,
                     preset=None) -> PoolingExplorer:
    """Pool type, window size, stride and a one-pixel shift -> the pooled map before and after
    the shift, with the values that changed marked (``dlcore.conv.max_pool2d_forward`` /
    ``avg_pool2d_forward``).

    ``x`` (H, W), at most 16x16: your own feature map, added as the first preset; ``mode``
    "max" or "avg"; ``preset``: a preset name or a word only one of them contains.
    """
    return PoolingExplorer(x=x, mode=mode, size=kernel_size, stride=stride, shift=shift,
                           preset=preset)
