"""``conv_backprop_explorer``: which products g_j * a_i make up each gradient of a conv layer.

Shape legend: input A (H, W), kernel W (KH, KW), upstream gradient G = dL/dZ (H_out, W_out),
dL/dW (KH, KW), dL/dA (H, W); cells are numbered from 1 in row-major order as on the
slides (a_1..a_25, w_1..w_9, z_1..z_4).
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from ... import conv
from ..._checks import as_array
from ...conv import conv_terms
from ...data.slide_examples import SLIDE_EXAMPLES
from .._base import checkbox, dropdown, int_slider, readout
from ..conv._grid import fmt, parse_matrix
from ._common import CellGrid, GridApp, Panels, controls_row, grid_text

__all__ = ["conv_backprop_explorer"]

STRIDES = {"2 (the slides' example)": 2, "1": 1}
KINDS = {"a weight w_k": "weight", "an input cell a_i": "input", "an output z_j": "output"}
MAX_INPUT, MAX_KERNEL = 7, 4


def default_g(shape) -> np.ndarray:
    """The upstream gradient offered for an output of this shape: [[1, 2], [3, 4]] for the
    slides' 2x2 output, all ones (L = sum Z) otherwise."""
    return np.array([[1.0, 2.0], [3.0, 4.0]]) if tuple(shape) == (2, 2) else np.ones(shape)


def _names(letter, shape, prefix=""):
    h, w = shape
    return [[f"{prefix}{letter}{r * w + c + 1}" for c in range(w)] for r in range(h)]


def _mask(shape, flat_indices):
    m = np.zeros(shape, dtype=bool)
    m.flat[sorted(set(flat_indices))] = True
    return m


class ConvBackpropExplorer(GridApp):
    """Input, kernel, G, dL/dW and dL/dA of one single-channel conv, with the products of one
    chosen weight, input cell or output highlighted."""

    def __init__(self, x=None, w=None, g=None, stride=2, kind="weight", index=1,
                 symbols=False):
        self.x = (SLIDE_EXAMPLES["cnn2_input"].value if x is None
                  else as_array(x, "x", ndim=2, spec="(H, W)"))
        self.w = (SLIDE_EXAMPLES["cnn2_kernel"].value if w is None
                  else as_array(w, "w", ndim=2, spec="(KH, KW)"))
        if max(self.x.shape) > MAX_INPUT or max(self.w.shape) > MAX_KERNEL:
            raise ValueError(f"x must be at most {MAX_INPUT}x{MAX_INPUT} and w at most "
                             f"{MAX_KERNEL}x{MAX_KERNEL} to read the cells; got {self.x.shape} "
                             f"and {self.w.shape}")
        if stride not in (1, 2):
            raise ValueError(f"stride must be 1 or 2; got {stride!r}")
        for s in (1, 2):
            conv.output_size(self.x.shape[0], self.w.shape[0], s)  # the kernel must fit
            conv.output_size(self.x.shape[1], self.w.shape[1], s)
        if kind not in KINDS.values():
            raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS.values()))}; "
                             f"got {kind!r}")
        g_text = None
        if g is not None:
            g = as_array(g, "g", ndim=2, spec="(H_out, W_out)")
            if g.shape != self._out_shape(stride):
                raise ValueError(f"g must have the output's shape (H_out, W_out) = "
                                 f"{self._out_shape(stride)} at stride {stride}; got {g.shape}")
            g_text = grid_text(g)
        self._busy = False
        count = self._count(kind, stride)
        if isinstance(index, bool) or not isinstance(index, int) or not 1 <= index <= count:
            raise ValueError(f"index must be an int between 1 and {count} (the number of "
                             f"{kind} cells); got {index!r}")
        self._shape = self._out_shape(stride)
        controls = {
            "stride": dropdown("stride s", STRIDES, stride,
                               tooltip="the slides do not state it; their equations need 2"),
            "kind": dropdown("inspect", KINDS, kind,
                             tooltip="what to follow: a weight, an input cell or an output"),
            "index": int_slider("number k, i or j", index, 1, self._count(kind, stride),
                                tooltip="which w_k, a_i or z_j (row-major, from 1); or click a "
                                        "cell in the plot"),
            "symbols": checkbox("show names (a_i, w_k, g_j)", symbols,
                                tooltip="label the cells a_i, w_k, g_j as the slides do, "
                                        "instead of their numbers"),
            "g": W.Textarea(value=g_text or grid_text(default_g(self._out_shape(stride))),
                            description="G = dL/dZ",
                            tooltip="the upstream gradient (editable), one row per line",
                            layout=W.Layout(width="230px", height="82px"),
                            style={"description_width": "initial"}),
        }
        h, wd = self.x.shape
        kw = self.w.shape[1]
        ho, wo = self._out_shape(2)
        ratios = [wd, max(kw, 2), max(wo, 2) + 0.5, max(kw, 2), wd]  # room for the G title
        self.panels = Panels(5, {"row": (600, (11.0, 3.4), [[0, 1, 2, 3, 4]]),
                                 "two rows": (0, (6.4, 5.4), [[0, 1, 2], [3, 4]])}, ratios)
        fig = self.panels.fig
        self.axes = dict(zip(("x", "w", "g", "dw", "dx"), self.panels.axes))
        side = {"x": MAX_INPUT, "w": MAX_KERNEL, "g": MAX_INPUT, "dw": MAX_KERNEL,
                "dx": MAX_INPUT}
        self.grids = {k: CellGrid(ax, (side[k], side[k])) for k, ax in self.axes.items()}
        for key, title in (("x", "input A"), ("w", "kernel W"), ("g", "G = dL/dZ"),
                           ("dw", "dL/dW"), ("dx", "dL/dA")):
            self.axes[key].set_title(title, fontsize=11)
            self.axes[key].set_xlabel("column")
        readouts = {"equation": readout(), "values": readout(), "check": readout()}
        super().__init__(controls, fig, readouts,
                         title="Backprop through a convolution: who meets whom")
        c = self.controls
        self.arrange([controls_row(W.VBox([c["stride"], c["kind"], c["index"], c["symbols"]]),
                                   c["g"])])
        # the grids are blitted, panel by panel; titles and labels are drawn once
        self.dynamic_grids(self.grids.values())
        fig.canvas.mpl_connect("button_press_event", self.on_click)
        self.dw = self.dx = self.z = None
        self.update()

    def _out_shape(self, stride):
        return (conv.output_size(self.x.shape[0], self.w.shape[0], stride),
                conv.output_size(self.x.shape[1], self.w.shape[1], stride))

    def _count(self, kind, stride):
        ho, wo = self._out_shape(stride)
        return {"weight": self.w.size, "input": self.x.size, "output": ho * wo}[kind]

    def _on_change(self, change=None) -> None:
        if self._busy:
            return
        super()._on_change(change)

    def select(self, kind: str, index: int) -> None:
        """Follow ``kind`` ("weight", "input", "output") number ``index`` (from 1)."""
        self._busy = True
        try:
            self.controls["kind"].value = kind
            self._set_range()
            self.controls["index"].value = index
        finally:
            self._busy = False
        self._on_change()

    def on_click(self, event) -> None:
        """A click on a cell of the input, kernel or G (or of a gradient) selects it."""
        for key, ax in self.axes.items():
            if event.inaxes is ax and event.xdata is not None:
                grid = self.grids[key]
                r, c = int(round(event.ydata)), int(round(event.xdata))
                h, w = grid.shape
                if 0 <= r < h and 0 <= c < w:
                    kind = {"x": "input", "dx": "input", "w": "weight", "dw": "weight",
                            "g": "output"}[key]
                    self.select(kind, r * w + c + 1)
                return

    def _set_range(self):
        c = self.controls
        c["index"].max = self._count(c["kind"].value, c["stride"].value)

    def _g(self, shape):
        """G from the text box; when the stride has changed the output's shape, the box is
        reset to the default G of the new shape."""
        box = self.controls["g"]
        if shape != self._shape:
            self._shape = shape
            self._busy = True
            box.value = grid_text(default_g(shape))
            self._busy = False
        g = parse_matrix(box.value, "G")
        if g.shape != shape:
            raise ValueError(f"G must have the output's shape {shape[0]}x{shape[1]} at this "
                             f"stride; got {g.shape[0]}x{g.shape[1]}")
        return g

    def update(self) -> None:
        c = self.controls
        s = c["stride"].value
        self._busy = True
        try:
            self._set_range()
        finally:
            self._busy = False
        ho, wo = self._out_shape(s)
        try:
            g = self._g((ho, wo))
        except ValueError as exc:
            self.set_readout("check", f"Error: {exc}")
            self.set_summary(f"No gradients: {exc}")
            return
        z, cache = conv.conv2d_forward(self.x[None, None], self.w[None, None], stride=s)
        dx, dw, _ = conv.conv2d_backward(g[None, None], cache)
        self.z, self.dw, self.dx, self.g = z[0, 0], dw[0, 0], dx[0, 0], g
        kind, n = c["kind"].value, c["index"].value - 1
        terms = conv_terms(self.x.shape, self.w.shape, s)
        key = {"weight": "k", "input": "inp", "output": "out"}[kind]
        sel = [t for t in terms if getattr(t, key) == n]
        masks = {"x": _mask(self.x.shape, [t.inp for t in sel]),
                 "w": _mask(self.w.shape, [t.k for t in sel]),
                 "g": _mask((ho, wo), [t.out for t in sel]),
                 "dw": _mask(self.w.shape, [n] if kind == "weight" else
                             [t.k for t in sel] if kind == "output" else []),
                 "dx": _mask(self.x.shape, [n] if kind == "input" else [])}
        if kind == "input":
            masks["x"] = _mask(self.x.shape, [n])
        sym = c["symbols"].value
        labels = {"x": _names("a", self.x.shape), "w": _names("w", self.w.shape),
                  "g": _names("g", (ho, wo)), "dw": _names("w", self.w.shape, "∂"),
                  "dx": _names("a", self.x.shape, "∂")}
        values = {"x": self.x, "w": self.w, "g": g, "dw": self.dw, "dx": self.dx}
        for k, grid in self.grids.items():
            grid.show(values[k], mask=masks[k], labels=labels[k] if sym else None)
        self.grids_shown()
        self._readouts(kind, n, sel, s)

    def _readouts(self, kind, n, sel, s):
        xv, wv, gv = self.x.ravel(), self.w.ravel(), self.g.ravel()
        if kind == "weight":
            lhs, value = f"dL/dw{n + 1}", self.dw.flat[n]
            sym = " + ".join(f"a{t.inp + 1}·g{t.out + 1}" for t in sel)
            num = " + ".join(f"{fmt(xv[t.inp])}·{fmt(gv[t.out])}" for t in sel)
            what = (f"w{n + 1} touches {len(sel)} input cells, one in each output window, so "
                    f"its gradient adds {len(sel)} products a_i·g_j")
        elif kind == "input":
            lhs, value = f"dL/da{n + 1}", self.dx.flat[n]
            sym = " + ".join(f"w{t.k + 1}·g{t.out + 1}" for t in sel)
            num = " + ".join(f"{fmt(wv[t.k])}·{fmt(gv[t.out])}" for t in sel)
            what = (f"a{n + 1} lies in {len(sel)} window(s) and meets one weight in each"
                    if sel else f"no window covers a{n + 1}, so its gradient is 0")
        else:
            lhs, value = f"z{n + 1}", self.z.flat[n]
            sym = " + ".join(f"w{t.k + 1}·a{t.inp + 1}" for t in sel)
            num = " + ".join(f"{fmt(wv[t.k])}·{fmt(xv[t.inp])}" for t in sel)
            what = (f"in the backward pass g{n + 1} = {fmt(gv[n])} scales this whole window: "
                    f"it adds g{n + 1}·(window {n + 1}) to dL/dW and g{n + 1}·W onto the window "
                    f"in dL/dA")
        self.set_readout("equation", f"{lhs} = {sym or '0'}")
        self.set_readout("values", f"= {num or '0'} = {fmt(value)}")
        h, w = self.w.shape
        via = conv.correlate2d(self.x, conv.dilate(self.g, s))[:h, :w]
        same = np.allclose(via, self.dw)
        self.set_readout("check", f"dL/dW is the input cross-correlated with G (dilated by "
                                  f"s = {s}): {'yes' if same else 'no'}; db = ΣG = "
                                  f"{fmt(self.g.sum())}")
        self.set_summary(f"Stride {s}: {lhs} = {fmt(value)}; {what}.")


def conv_backprop_explorer(x=None, w=None, g=None, *, stride=2, kind="weight", index=1,
                           symbols=False) -> ConvBackpropExplorer:
    """Pick a weight w_k, an input cell a_i or an output z_j (dropdown and slider, or click a
    cell) and the stride -> the cells it meets highlighted in A, W and G, its equation with
    the products g_j·a_i (or w_k·g_j), and dL/dW, dL/dA from ``dlcore.conv.conv2d_backward``.

    Defaults: the 5x5 input and 3x3 kernel of Kiran's slides (``dl.data.SLIDE_EXAMPLES``),
    stride 2 and G = [[1, 2], [3, 4]] (all ones at stride 1).  ``x`` (H, W) up to 7x7, ``w``
    (KH, KW) up to 4x4 and ``g`` (H_out, W_out) replace them; G stays editable.
    """
    return ConvBackpropExplorer(x=x, w=w, g=g, stride=stride, kind=kind, index=index,
                                symbols=symbols)
