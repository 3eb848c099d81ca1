"""``layer_counter``: layer widths -> a network diagram and its neuron, weight, parameter counts.

Shapes: ``sizes = [n_0, ..., n_L]``, layer l has a weight (n_l, n_{l-1}) and a bias (n_l,).
"""

from __future__ import annotations

from ...counting import mlp_counts
from ...viz.mlp.network import _mlp_artists, _update_mlp_artists
from .._base import App, checkbox, int_slider, make_figure, readout

__all__ = ["layer_counter"]

_MAX_WIDTH = 8
_MAX_HIDDEN = 3


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


class LayerCounter(App):
    def __init__(self, sizes):
        sizes = _check_sizes(sizes)
        hidden = sizes[1:-1]
        controls = {
            "inputs": int_slider("input features", sizes[0], 1, _MAX_WIDTH,
                                 tooltip="n_0: the inputs are not neurons"),
            "n_hidden": int_slider("hidden layers", len(hidden), 0, _MAX_HIDDEN),
        }
        for l in range(1, _MAX_HIDDEN + 1):
            controls[f"hidden{l}"] = int_slider(f"neurons in hidden layer {l}",
                                                hidden[l - 1] if l <= len(hidden) else 4, 1,
                                                _MAX_WIDTH)
        controls["outputs"] = int_slider("output neurons", sizes[-1], 1, _MAX_WIDTH)
        controls["bias"] = checkbox("show the bias of every neuron", True)
        fig, ax = make_figure(figsize=(6.4, 4.2))
        readouts = {"counts": readout(), "formula": readout()}
        super().__init__(controls, fig, readouts, title="Counting neurons, weights, parameters",
                         layout="row")
        self.ax = ax
        self.arts = _mlp_artists(ax, sizes, True)
        self.update()

    def sizes(self) -> list:
        c = self.controls
        n = c["n_hidden"].value
        return ([c["inputs"].value] + [c[f"hidden{l}"].value for l in range(1, n + 1)]
                + [c["outputs"].value])

    def update(self) -> None:
        sizes = self.sizes()
        for l in range(1, _MAX_HIDDEN + 1):
            self.controls[f"hidden{l}"].disabled = l > self.controls["n_hidden"].value
        _update_mlp_artists(self.ax, self.arts, sizes, self.controls["bias"].value)
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
