"""``xor_network``: output weights of a two-layer threshold net -> XOR in input and hidden space.

Shapes: the four inputs X (4, 2), hidden layer w1 (2, 2), b1 (2,), output w2 (1, 2), b2 (1,).
"""

from __future__ import annotations

import numpy as np

from ...neurons import threshold_net_forward, xor_layers
from ...viz.mlp import region_grid
from .._base import CMAP, PALETTE, App, make_figure, readout, slider, style_axes
from .._mine import require_function, run_mine
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
    def __init__(self, output_weights, output_bias, mine=None):
        self.mine = require_function(mine, "my_threshold_forward",
                                     "your forward function of the threshold network")
        #: With mine=: True for each of the four inputs where your network's output differs
        #: from dlcore's (None without mine=, or when your function's result cannot be used).
        self.mismatch = None
        self.output = None  # the four outputs shown (yours with mine=, when usable)
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
        readouts = {"table": readout(), "verdict": readout(),
                    **({"mine": readout()} if mine is not None else {})}
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
        # With mine=: a cross over each input where your output differs from dlcore's.
        self.bad_in, self.bad_h = (ax.scatter(np.empty(0), np.empty(0), marker="x", s=260,
                                              linewidths=2.5, color=PALETTE["vermillion"],
                                              zorder=4) for ax in (ax_in, ax_h))
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
        region = threshold_net_forward(self._grid, layers)[:, 0]
        shown, marks = out.astype(float), np.zeros(4, dtype=bool)
        if self.mine is not None:
            shown, region = self._compare_mine(layers, shown, region)
            marks = self.mismatch if self.mismatch is not None else marks
        self.output = shown
        self.img_in.set_array(region.reshape(self._xx.shape))
        self.bad_in.set_offsets(_X[marks] if marks.any() else np.empty((0, 2)))
        self.bad_h.set_offsets((hidden + _JITTER)[marks] if marks.any() else np.empty((0, 2)))
        self.img_h.set_array(threshold_net_forward(self._grid, layers[1:])[:, 0]
                             .reshape(self._xx.shape))
        colours = [PALETTE["orange"] if o == 1 else PALETTE["blue"] if o == 0 else
                   PALETTE["grey"] for o in shown]
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
        cells = [f"{o:g}" + (f"≠{r}" if m else "") for o, r, m in zip(shown, out, marks)]
        rows += [f" {int(a)}  {int(b)} |   {h[0]}    {h[1]}   |   {o:<5}|  {t}"
                 for (a, b), h, o, t in zip(_X, hidden, cells, xor)]
        self.readouts["table"].value = "<pre>" + "\n".join(rows) + "</pre>"
        match = int(np.sum(out == xor))
        name = _function_name(out)
        verdict = ("The network computes XOR (4 of 4 rows)." if match == 4 else
                   f"{match} of 4 rows match XOR; the network computes {name}.")
        self.set_readout("verdict", verdict)
        ones = [f"({int(a)},{int(b)})" for (a, b), o in zip(_X, out) if o]
        self.set_summary(f"Output unit: {w2[0, 0]:g} h_OR + {w2[0, 1]:g} h_AND + {b2[0]:g} >= 0."
                         f" It fires on {', '.join(ones) or 'no input'}. {verdict}")


    def _compare_mine(self, layers, out, region):
        """Your network's outputs on the four inputs and on the shading grid (dlcore's where
        yours cannot be used), compared with dlcore's."""
        self.mismatch = None
        (w1, b1), (w2, b2) = layers
        where = (f"XOR table's four inputs, output unit ({w2[0, 0]:g}, {w2[0, 1]:g}), bias "
                 f"{b2[0]:g}")
        mine = run_mine(self.mine, (_X, w1, b1, w2, b2), reference=out[:, None],
                        reference_name="dlcore's threshold network", where=where,
                        fallback="the plots show dlcore's outputs", entries="outputs")
        self.set_readout("mine", mine.message)
        if not mine.used:
            return out, region
        self.mismatch = mine.differ[:, 0]
        grid = run_mine(self.mine, (self._grid, w1, b1, w2, b2), reference=region[:, None],
                        reference_name="dlcore's", where="grid", fallback="")
        return mine.value[:, 0], (grid.value[:, 0] if grid.used else region)


def xor_network(output_weights=(1.0, -1.0), output_bias: float = -0.5, *,
                mine=None) -> XorNetwork:
    """Sliders for the output unit of the OR/AND threshold net; XOR in input and hidden space.

    The hidden units are fixed: OR (1, 1, -0.5) and AND (1, 1, -1.5).  ``output_weights``
    (v_OR, v_AND) and ``output_bias`` set the starting output unit; (1, -1), -0.5 is XOR.

    ``mine``: your own forward pass of the two-layer threshold network, called as
    ``mine(X, W1, b1, W2, b2)`` with the four inputs X (4, 2), the hidden layer W1 (2, 2),
    b1 (2,) and the output unit W2 (1, 2), b2 (1,), returning the outputs (4, 1), like
    ``my_threshold_forward`` of lecture 5.  The points, the table and the input-space shading
    then show your outputs; an input where yours differs from dlcore's gets a red cross and
    reads ``yours≠correct`` in the table, and a readout counts them.  An error in your function
    is shown in that readout and the plots show dlcore's outputs.
    """
    return XorNetwork(output_weights, output_bias, mine)
