"""``layer_counter``: layer widths -> a network diagram and its neuron, weight, parameter counts.

Shapes: ``sizes = [n_0, ..., n_L]``, layer l has a weight (n_l, n_{l-1}) and a bias (n_l,).
"""

from __future__ import annotations

import numpy as np

from ...counting import mlp_counts
from ...viz.mlp.network import mlp_artists, mlp_colours, mlp_layout, mlp_title
from .._base import App, checkbox, int_slider, make_figure, readout, view
from .._text import cached_text
from ._common import DirtyRegions, row

__all__ = ["layer_counter"]

_MAX_WIDTH = 8
_MAX_HIDDEN = 3
# The diagram always spans x in [0, _X_SPAN] and neurons y in [-_Y_HALF, _Y_HALF] (the bias
# row below), so the axes never change and a slider only redraws the diagram (blitting).
_X_SPAN, _Y_HALF = 4.0, 3.5
_YLIM = (-_Y_HALF - 2.2, _Y_HALF + 0.7)


def _scaled_layout(sizes, bias: bool) -> dict:
    """``mlp_layout`` stretched to fill the fixed box: layers spread over the width, the widest
    layer over the height (unit spacing for 8 neurons, at most 2 for few)."""
    lay = mlp_layout(sizes, bias)
    widest = max(sizes)
    scale = np.array([_X_SPAN / (len(sizes) - 1),
                      min(2.0, 2 * _Y_HALF / (widest - 1)) if widest > 1 else 1.0])
    return {"neurons": [p * scale for p in lay["neurons"]], "edges": lay["edges"] * scale,
            "bias": lay["bias"] * scale, "bias_edges": lay["bias_edges"] * scale,
            "x": np.arange(len(sizes)) * scale[0]}


def _check_sizes(sizes):
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"sizes must be a list of layer widths such as [3, 4, 2]; got {sizes!r}")
    sizes = list(sizes)
    if not 2 <= len(sizes) <= _MAX_HIDDEN + 2:
        raise ValueError(f"sizes must list 2 to {_MAX_HIDDEN + 2} widths (input, up to "
                         f"{_MAX_HIDDEN} hidden layers, output); got {sizes}")
    mlp_counts(sizes)  # integers >= 1
    if max(sizes) > _MAX_WIDTH:
        raise ValueError(f"every width must be in [1, {_MAX_WIDTH}] so that the diagram stays "
                         f"readable; got {sizes}")
    return [int(s) for s in sizes]


class LayerCounter(DirtyRegions, App):
    def __init__(self, sizes):
        sizes = _check_sizes(sizes)
        hidden = sizes[1:-1]
        controls = {
            "inputs": int_slider("input features", sizes[0], 1, _MAX_WIDTH,
                                 tooltip="n_0: the inputs are not neurons"),
            "n_hidden": int_slider("hidden layers", len(hidden), 0, _MAX_HIDDEN),
        }
        for l in range(1, _MAX_HIDDEN + 1):
            controls[f"hidden{l}"] = int_slider(f"hidden layer {l}",
                                                hidden[l - 1] if l <= len(hidden) else 4, 1,
                                                _MAX_WIDTH,
                                                tooltip=f"neurons in hidden layer {l}")
        controls["outputs"] = int_slider("output neurons", sizes[-1], 1, _MAX_WIDTH)
        controls["bias"] = checkbox("show the bias of every neuron", True)
        fig, ax = make_figure(figsize=(6.4, 4.0))
        readouts = {"counts": readout(), "formula": readout()}
        super().__init__(controls, fig, readouts, title="Counting neurons, weights, parameters",
                         layout="row")
        c = controls
        # Beside the figure: one control per line; above it: two per line (wrapping).
        self._column_rows = [view(w) for w in c.values()]
        self._wide_rows = [row(c["inputs"], c["outputs"]), row(c["n_hidden"], c["bias"]),
                           row(c["hidden1"], c["hidden2"], c["hidden3"])]
        self.ax = ax
        self.arts = mlp_artists(ax, sizes, True)
        ax.get_legend().remove()
        self._legend(fig)
        ax.set_xlim(-0.6, _X_SPAN + 0.6)
        ax.set_ylim(*_YLIM)
        ax.set_xticks([])
        ax.set_xlabel("layer", labelpad=22)
        # Layer names under the axis line (a text per layer, moved with the layers).
        self.layer_names = [cached_text(ax, 0, -0.01, "", transform=ax.get_xaxis_transform(),
                                        ha="center", va="top", fontsize=10)
                            for _ in range(_MAX_HIDDEN + 2)]
        # Only what changed is redrawn (DirtyRegions): the layer names stay unless the
        # number of layers changes.
        self.set_dynamic([self.arts["edges"], self.arts["bias_edges"], self.arts["neurons"],
                          self.arts["bias"], *self.layer_names, ax.title])
        self.update()

    @staticmethod
    def _legend(fig) -> None:
        from matplotlib.lines import Line2D

        from ...viz.style import PALETTE

        handles = [Line2D([], [], ls="", marker="o", ms=9, mfc=PALETTE[c], mec="black",
                          label=name)
                   for c, name in (("sky", "input"), ("orange", "hidden neuron"),
                                   ("green", "output neuron"))]
        handles.append(Line2D([], [], ls="", marker="s", ms=7, mfc=PALETTE["grey"],
                              mec="black", label="bias (constant 1)"))
        fig.legend(handles=handles, loc="outside lower center", ncols=4, fontsize=8,
                   frameon=False)

    def fit(self, width: int) -> None:
        super().fit(width)
        if self._width:
            self.arrange(self._column_rows if self._body.layout.flex_flow == "row"
                         else self._wide_rows)

    def sizes(self) -> list:
        c = self.controls
        n = c["n_hidden"].value
        return ([c["inputs"].value] + [c[f"hidden{l}"].value for l in range(1, n + 1)]
                + [c["outputs"].value])

    def _draw(self, sizes, bias: bool) -> None:
        lay = _scaled_layout(sizes, bias)
        arts = self.arts
        arts["edges"].set_segments(list(lay["edges"]))
        arts["bias_edges"].set_segments(list(lay["bias_edges"]))
        arts["neurons"].set_offsets(np.concatenate(lay["neurons"]))
        arts["neurons"].set_facecolors(mlp_colours(sizes))
        arts["bias"].set_offsets(lay["bias"] if len(lay["bias"]) else np.empty((0, 2)))
        names = ["input"] + [f"hidden {l}" for l in range(1, len(sizes) - 1)] + ["output"]
        for k, text in enumerate(self.layer_names):
            text.set_visible(k < len(sizes))
            if k < len(sizes):
                text.set_x(lay["x"][k])
                text.set_text(names[k])
        self.ax.set_title(mlp_title(sizes))

    def update(self) -> None:
        sizes = self.sizes()
        n_hidden = self.controls["n_hidden"].value
        for l in range(1, _MAX_HIDDEN + 1):
            control = self.controls[f"hidden{l}"]
            control.disabled = l > n_hidden
            control.tooltip = (f"neurons in hidden layer {l}" if l <= n_hidden else
                               f"no effect: the net has {n_hidden} hidden layer"
                               f"{'' if n_hidden == 1 else 's'}; raise 'hidden layers' to "
                               f"use layer {l}")
        self._draw(sizes, self.controls["bias"].value)
        c = mlp_counts(sizes)
        pairs = list(zip(sizes[:-1], sizes[1:]))
        self.set_readout("counts", f"{c.neurons} neurons, {c.weights} weights, "
                                   f"{c.parameters} parameters ({c.biases} biases)")
        lines = [
            "neurons    = " + " + ".join(map(str, sizes[1:])) + f" = {c.neurons}",
            "weights    = " + " + ".join(f"{a}x{b}" for a, b in pairs) + f" = {c.weights}",
            "parameters = " + " + ".join(f"({a}+1)x{b}" for a, b in pairs)
            + f" = {c.parameters}",
        ]
        self.readouts["formula"].value = "<pre>" + "\n".join(lines) + "</pre>"
        self.set_summary(f"Diagram of a {'-'.join(map(str, sizes))} network: {c.neurons} "
                         f"neurons (inputs are not counted), {c.weights} weight lines and "
                         f"{c.biases} bias lines, {c.parameters} parameters in all.")


def layer_counter(sizes=(3, 4, 2)) -> LayerCounter:
    """Sliders for the layer widths of a fully connected net -> its diagram and its counts.

    ``sizes`` is the starting net [n_0, n_1, ..., n_L] (2 to 5 widths, each 1-8); the default
    3-4-2 net has 6 neurons, 20 weights and 26 parameters.
    """
    return LayerCounter(sizes)
