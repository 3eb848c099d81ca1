"""``input_gradient_explorer``: dL/dX two ways, as a full cross-correlation of the dilated and
padded G with the rotated kernel, and as the sum of stamps g_j * W (the transposed conv).

Shape legend: kernel W (KH, KW), G = dL/dZ (H_out, W_out), input X and dL/dX (H, W) with
``H = (H_out - 1) s + KH + e``, e = extra rows that no window reaches (0 <= e < s).
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from ... import conv
from ..._checks import as_array
from ...data.slide_examples import SLIDE_EXAMPLES
from .._base import checkbox, dropdown, int_slider, play_controls, readout
from ..conv._grid import fmt, parse_matrix
from ._common import CellGrid, GridApp, Panels, controls_row, grid_text
from .explorer import STRIDES

__all__ = ["input_gradient_explorer"]

MAX_G, MAX_KERNEL = 3, 3
# largest grids: the dilated, padded G and the input (each text cell is an artist, made once)
MAX_PADDED = (MAX_G - 1) * 2 + 1 + 2 * (MAX_KERNEL - 1)
MAX_INPUT = (MAX_G - 1) * 2 + MAX_KERNEL + 1


def _box(description, value, tooltip):
    return W.Textarea(value=value, description=description, tooltip=tooltip,
                      layout=W.Layout(width="200px", height="74px"),
                      style={"description_width": "initial"})


class InputGradientExplorer(GridApp):
    """Top row: dilate + pad G, slide rot180(W), one dL/dX cell at a time.  Bottom row: G,
    the stamp g_j * W at window j, and the running sum of the stamps."""

    max_fit_width = 900  # two rows of grids: taller than this would push the controls away

    def __init__(self, g=None, w=None, stride=2, extra=0):
        g = np.array([[1.0, 2.0], [3.0, 4.0]]) if g is None else as_array(
            g, "g", ndim=2, spec="(H_out, W_out)")
        w = SLIDE_EXAMPLES["cnn2_kernel"].value if w is None else as_array(
            w, "w", ndim=2, spec="(KH, KW)")
        if max(g.shape) > MAX_G or max(w.shape) > MAX_KERNEL:
            raise ValueError(f"g must be at most {MAX_G}x{MAX_G} and w at most "
                             f"{MAX_KERNEL}x{MAX_KERNEL}; got {g.shape} and {w.shape}")
        if stride not in (1, 2):
            raise ValueError(f"stride must be 1 or 2; got {stride!r}")
        if isinstance(extra, bool) or not isinstance(extra, int) or not 0 <= extra < stride:
            raise ValueError(f"extra must be an int with 0 <= extra < stride = {stride} (a "
                             f"larger border would change the output size); got {extra!r}")
        play, step = play_controls(g.size, interval_ms=900, description="stamps added")
        self._play = play
        self._busy = False
        controls = {
            "stride": dropdown("stride s", STRIDES, stride, tooltip="the conv layer's stride"),
            "g": _box("G = dL/dZ", grid_text(g), "the upstream gradient (editable), one row "
                                                 "per line"),
            "w": _box("kernel W", grid_text(w), "the kernel (editable), one row per line"),
            "cell": int_slider("dL/dX cell", 1, 1, 25,
                               tooltip="which input-gradient cell the rotated kernel computes "
                                       "(row-major, from 1)"),
            "extra": checkbox("add a border no window reaches", bool(extra)),
            "play": play,
            "step": step,
        }
        self.panels = Panels(
            6, {"two rows": (560, (8.4, 5.2), [[0, 1, 2], [3, 4, 5]]),
                "three rows": (0, (6.0, 7.4), [[0, 1], [2, 3], [4, 5]])},
            [7, 3, 5, 3, 5, 5], ["row", "row a", "row", "output row", "input row", "input row"])
        fig, axes = self.panels.fig, self.panels.axes
        self.axes = np.array(axes).reshape(2, 3)
        names = [("padded", "dilated + padded G", "column"),
                 ("rot", "rot180(W)", "column b"),
                 ("full", "dL/dX (full cross-corr.)", "column"),
                 ("g", "G = dL/dZ", "output column"),
                 ("stamp", "stamp g_j · W", "input column"),
                 ("sum", "sum of the stamps", "input column")]
        self.grids = {}
        sizes = {"padded": MAX_PADDED, "rot": MAX_KERNEL, "g": MAX_G}
        for ax, (key, title, xl) in zip(axes, names):
            n = sizes.get(key, MAX_INPUT)
            self.grids[key] = CellGrid(ax, (n, n))
            ax.set_title(title, fontsize=11)
            ax.set_xlabel(xl)
        readouts = {"cell": readout(), "stamp": readout(), "agree": readout()}
        super().__init__(controls, fig, readouts,
                         title="dL/dX: full cross-correlation with rot180(W), or stamps of W")
        c = self.controls
        self.arrange([controls_row(c["stride"], c["g"], c["w"]),
                      controls_row(c["cell"], c["extra"]),
                      controls_row(play, step)])
        # the grids are blitted, panel by panel; titles and labels are drawn once
        self.dynamic_grids(self.grids.values())
        self.dx = None
        self.update()

    def _on_change(self, change=None) -> None:
        if self._busy or (change is not None and change.get("owner") is self._play):
            return  # the Play button drives the step slider, which triggers the update
        super()._on_change(change)

    def _fail(self, message):
        for grid in self.grids.values():
            grid.show(np.full((1, 1), np.nan))
        self.grids_shown()
        self.dx = None
        self.set_readout("agree", f"Error: {message}")
        self.set_summary(f"No gradient: {message}")

    def update(self) -> None:
        c = self.controls
        s = c["stride"].value
        # a border no window reaches exists only when the stride skips cells (e < s)
        c["extra"].disabled = s == 1
        c["extra"].tooltip = (
            "at stride 1 the last window ends on the last input cell: no border is left over"
            if s == 1 else "one more input row and column, beyond the last window: they get "
                           "no gradient")
        if s == 1 and c["extra"].value:
            self._busy = True
            try:
                c["extra"].value = False
            finally:
                self._busy = False
        try:
            g = parse_matrix(c["g"].value, "G")
            w = parse_matrix(c["w"].value, "kernel W")
            if max(g.shape) > MAX_G or max(w.shape) > MAX_KERNEL:
                raise ValueError(f"G must be at most {MAX_G}x{MAX_G} and W at most "
                                 f"{MAX_KERNEL}x{MAX_KERNEL}")
        except ValueError as exc:
            self._fail(str(exc))
            return
        (ho, wo), (kh, kw), e = g.shape, w.shape, int(c["extra"].value)
        h, wd = (ho - 1) * s + kh + e, (wo - 1) * s + kw + e
        _, cache = conv.conv2d_forward(np.zeros((1, 1, h, wd)), w[None, None], stride=s)
        self.dx = dx = conv.conv2d_backward(g[None, None], cache)[0][0, 0]

        # route 1: full cross-correlation of the dilated, padded G with the rotated kernel
        padded = np.pad(conv.dilate(g, s), ((kh - 1, kh - 1), (kw - 1, kw - 1)))
        rot = conv.rot180(w)
        full = conv.correlate2d(padded, rot)  # covers rows 0..h-e-1; the e others get 0
        c["cell"].max = h * wd
        r, q = divmod(c["cell"].value - 1, wd)
        window = np.zeros(padded.shape, dtype=bool)
        covered = r < full.shape[0] and q < full.shape[1]
        if covered:
            window[r:r + kh, q:q + kw] = True
        self.grids["padded"].show(padded, mask=window)
        self.grids["rot"].show(rot)
        sel = np.zeros(dx.shape, dtype=bool)
        sel[r, q] = True
        self.grids["full"].show(dx, mask=sel)
        # (the x label, not a second title line: that would need a new layout, 0.5 s)
        xlabel = "column (last: in no window)" if e else "column"
        if self.axes[0, 2].get_xlabel() != xlabel:
            self.axes[0, 2].set_xlabel(xlabel)
            self.stale()
        if covered:
            products = padded[r:r + kh, q:q + kw] * rot
            terms = [f"{fmt(p)}·{fmt(k)}" for p, k in zip(padded[r:r + kh, q:q + kw].ravel(),
                                                          rot.ravel()) if p]
            self.set_readout("cell", f"dL/dX[{r}, {q}] = Σ window ⊙ rot180(W) = "
                                     f"{' + '.join(terms) or '0 (only zeros under the kernel)'}"
                                     f" = {fmt(products.sum())}")
        else:
            self.set_readout("cell", f"dL/dX[{r}, {q}] = 0: no window of the forward pass "
                                     f"reaches this cell, so no output depends on it")

        # route 2: every g_j stamps g_j * W onto the cells of window j (transposed conv)
        j = min(c["step"].value, g.size)
        c["step"].max = self._play.max = g.size
        upto = np.zeros_like(g)
        upto.flat[:j] = g.flat[:j]
        running = conv.conv_transpose2d(upto[None, None], w[None, None], stride=s)[0, 0]
        running = np.pad(running, ((0, e), (0, e)))
        stamp = np.zeros((h, wd))
        gmask = np.zeros(g.shape, dtype=bool)
        smask = np.zeros((h, wd), dtype=bool)
        if j:
            i0, j0 = divmod(j - 1, wo)
            gmask[i0, j0] = True
            stamp[i0 * s:i0 * s + kh, j0 * s:j0 * s + kw] = g[i0, j0] * w
            smask[i0 * s:i0 * s + kh, j0 * s:j0 * s + kw] = True
            self.set_readout("stamp", f"stamp {j} of {g.size}: g{j} = {fmt(g[i0, j0])} times W "
                                      f"added on input rows {i0 * s}–{i0 * s + kh - 1}, columns "
                                      f"{j0 * s}–{j0 * s + kw - 1} (window {j} of the forward "
                                      f"pass)")
        else:
            self.set_readout("stamp", "no stamps yet: press play or move 'stamps added'")
        self.grids["g"].show(g, mask=gmask)
        # only the stamped window is labelled: the zeros around it add nothing
        self.grids["stamp"].show(stamp, mask=smask,
                                 labels=[[fmt(v) if m else "" for v, m in zip(row, mrow)]
                                         for row, mrow in zip(stamp, smask)])
        self.grids["sum"].show(running, mask=smask, vmin=min(dx.min(), 0), vmax=max(dx.max(), 1))
        self.grids_shown()
        done = j == g.size
        same = np.allclose(running, dx)
        self.set_readout("agree", f"after all {g.size} stamps the sum equals the full "
                                  f"cross-correlation: {'yes' if same else 'no'}" if done else
                         f"{j} of {g.size} stamps added; the sum reaches dL/dX after the last")
        e_note = (f"; the last {e} row(s) and column(s) are in no window and get 0" if e else "")
        self.set_summary(f"Stride {s}: G ({ho}×{wo}) dilated to "
                         f"{(ho - 1) * s + 1}×{(wo - 1) * s + 1}, padded by {kh - 1}, and "
                         f"cross-correlated with rot180(W) gives dL/dX ({h}×{wd}){e_note}.")


def input_gradient_explorer(g=None, w=None, *, stride=2, extra=0) -> InputGradientExplorer:
    """G values, kernel and stride -> dL/dX computed two ways: dilate G by the stride, pad it
    by KH-1 and slide rot180(W) over it (one cell at a time), beside the stamping view where
    each g_j adds g_j·W onto its window (``dlcore.conv.conv_transpose2d``).

    Defaults: G = [[1, 2], [3, 4]], the slides' 3x3 kernel, stride 2, so dL/dX is the 5x5 input
    gradient of the lecture.  ``g`` (H_out, W_out) and ``w`` (KH, KW), at most 3x3, replace
    them (both stay editable); ``extra`` (< stride) adds input rows/columns no window covers.
    """
    return InputGradientExplorer(g=g, w=w, stride=stride, extra=extra)
