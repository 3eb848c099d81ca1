"""``xor_network``: output weights of a two-layer threshold net -> XOR in input and hidden space.

Shapes: the four inputs X (4, 2), hidden layer w1 (2, 2), b1 (2,), output w2 (1, 2), b2 (1,).
"""

from __future__ import annotations

import numpy as np

from ...neurons import threshold_net_forward, xor_layers
from ...viz.mlp import region_grid
from .._base import CMAP, PALETTE, App, make_figure, readout, slider, style_axes
from ._common import keep_above

__all__ = ["xor_network"]

_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
# (0, 1) and (1, 0) land on the same hidden point; the offsets keep both markers visible.
_JITTER = np.array([[-0.04, 0.0], [0.0, 0.05], [0.0, -0.05], [0.04, 0.0]])
_NAMES = ("AND", "OR", "XOR", "NAND", "NOR", "XNOR")


def _function_name(out: np.ndarray) -> str:
    from ...data import boolean_table

    for name in _NAMES:
        if np.array_equal(out, boolean_table(name)[1]):
            return name
    if np.all(out == out[0]):
        return f"the constant {out[0]}"
    return "a function of x1 or x2 alone" if out.tolist() in ([0, 0, 1, 1], [0, 1, 0, 1],
                                                                 [1, 1, 0, 0], [1, 0, 1, 0]) \
        else "no standard gate"


class XorNetwork(App):
    def __init__(self, output_weights, output_bias):
        layers = xor_layers(output_weights, output_bias)  # validates the presets
        w2, b2 = layers[1]
        controls = {
            "v_or": slider("output weight from the OR unit", float(w2[0, 0]), -2, 2, 0.1,
                           tooltip="weight of h_OR in the output unit's sum"),
            "v_and": slider("output weight from the AND unit", float(w2[0, 1]), -2, 2, 0.1,
                            tooltip="weight of h_AND in the output unit's sum"),
            "bias": slider("output bias", float(b2[0]), -2, 2, 0.1,
                           tooltip="the output unit fires when v_OR h_OR + v_AND h_AND + bias "
                                   ">= 0"),
        }
        fig, (ax_in, ax_h) = make_figure(1, 2, figsize=(9.0, 4.0))
        readouts = {"table": readout(), "verdict": readout()}
        super().__init__(controls, fig, readouts, title="XOR from two layers of threshold units")
        self.ax_in, self.ax_h = ax_in, ax_h
        self._xx, self._yy, self._grid = region_grid(_X, 120, margin=0.5)
        ext = (self._xx.min(), self._xx.max(), self._yy.min(), self._yy.max())
        blank = np.zeros(self._xx.shape)
        # (nearest and "data": the cheapest way to draw a two-valued region)
        look = dict(origin="lower", extent=ext, cmap=CMAP, alpha=0.35, vmin=0, vmax=1,
                    aspect="auto", interpolation="nearest", interpolation_stage="data")
        self.img_in = ax_in.imshow(blank, **look)
        self.img_h = ax_h.imshow(blank, **look)
        (w1, b1) = layers[0]
        xs = np.array([-0.5, 1.5])
        for j, (name, colour) in enumerate((("OR unit: x1 + x2 = 0.5", PALETTE["green"]),
                                            ("AND unit: x1 + x2 = 1.5", PALETTE["purple"]))):
            ax_in.plot(xs, -(w1[j, 0] * xs + b1[j]) / w1[j, 1], color=colour, lw=2, label=name)
        self.pts_in = ax_in.scatter(_X[:, 0], _X[:, 1], s=90, edgecolors="black", zorder=3)
        hidden = threshold_net_forward(_X, layers[:1])
        self.pts_h = ax_h.scatter(hidden[:, 0] + _JITTER[:, 0], hidden[:, 1] + _JITTER[:, 1],
                                  s=90, edgecolors="black", zorder=3)
        for (px, py), (a, b) in zip(hidden + _JITTER, _X.astype(int)):
            ax_h.annotate(f"x = ({a},{b})", (px, py), textcoords="offset points",
                          xytext=(7, 7), fontsize=8)
        (self.line_h,) = ax_h.plot([], [], color=PALETTE["vermillion"], lw=2,
                                   label="output unit's boundary")
        for ax in (ax_in, ax_h):
            ax.set_xlim(-0.5, 1.5)
            ax.set_ylim(-0.5, 1.5)
        # One legend under both panels: it covers no data, and it is drawn once.
        fig.legend(handles=[*ax_in.get_lines()[:2], self.line_h], loc="outside lower center",
                   ncols=3, fontsize=8, frameon=False)
        style_axes(ax_in, "Input space (yellow: output 1)", "x1", "x2")
        style_axes(ax_h, "Hidden space (yellow: output 1)", "h_OR", "h_AND")
        # A slider changes the shaded regions, the colours of the points and the output line:
        # those (and what is drawn over them) are redrawn on the cached axes (blitting).
        self.set_dynamic(keep_above(ax_in, [self.img_in]) + keep_above(ax_h, [self.img_h]))
        self.update()

    def layers(self):
        c = self.controls
        return xor_layers((c["v_or"].value, c["v_and"].value), c["bias"].value)

    def update(self) -> None:
        layers = self.layers()
        out, (hidden, _) = threshold_net_forward(_X, layers, return_hidden=True)
        out = out[:, 0]
        self.img_in.set_array(threshold_net_forward(self._grid, layers)[:, 0]
                              .reshape(self._xx.shape))
        self.img_h.set_array(threshold_net_forward(self._grid, layers[1:])[:, 0]
                             .reshape(self._xx.shape))
        colours = [PALETTE["orange"] if o else PALETTE["blue"] for o in out]
        self.pts_in.set_facecolors(colours)
        self.pts_h.set_facecolors(colours)
        (w2, b2) = layers[1]
        xs = np.array([-0.5, 1.5])
        if abs(w2[0, 1]) > 1e-12:
            self.line_h.set_data(xs, -(w2[0, 0] * xs + b2[0]) / w2[0, 1])
        elif abs(w2[0, 0]) > 1e-12:
            self.line_h.set_data(np.full(2, -b2[0] / w2[0, 0]), xs)
        else:
            self.line_h.set_data([], [])
        xor = np.array([0, 1, 1, 0])
        rows = ["x1 x2 | h_OR h_AND | output | XOR"]
        rows += [f" {int(a)}  {int(b)} |   {h[0]}    {h[1]}   |   {o}    |  {t}"
                 for (a, b), h, o, t in zip(_X, hidden, out, xor)]
        self.readouts["table"].value = "<pre>" + "\n".join(rows) + "</pre>"
        match = int(np.sum(out == xor))
        name = _function_name(out)
        verdict = ("The network computes XOR (4 of 4 rows)." if match == 4 else
                   f"{match} of 4 rows match XOR; the network computes {name}.")
        self.set_readout("verdict", verdict)
        ones = [f"({int(a)},{int(b)})" for (a, b), o in zip(_X, out) if o]
        self.set_summary(f"Output unit: {w2[0, 0]:g} h_OR + {w2[0, 1]:g} h_AND + {b2[0]:g} >= 0."
                         f" It fires on {', '.join(ones) or 'no input'}. {verdict}")


def xor_network(output_weights=(1.0, -1.0), output_bias: float = -0.5) -> XorNetwork:
    """Sliders for the output unit of the OR/AND threshold net; XOR in input and hidden space.

    The hidden units are fixed: OR (1, 1, -0.5) and AND (1, 1, -1.5).  ``output_weights``
    (v_OR, v_AND) and ``output_bias`` set the starting output unit; (1, -1), -0.5 is XOR.
    """
    return XorNetwork(output_weights, output_bias)
