"""``activation_histograms``: one activation, its values in each of several layers.

Shapes: each layer's activations (N, Hd) for N samples and Hd units.
"""

from __future__ import annotations

import numpy as np

from ..._checks import check_choice, check_int
from ...activations import ACTIVATION_NAMES
from ...nn import layer_activations
from .._base import (
    CYCLE,
    App,
    dropdown,
    make_figure,
    readout,
    style_axes,
)
from ..mlp._common import readable

__all__ = ["activation_histograms"]

# init choice -> (scheme, std) for nn.init_weights
_INITS = {"Xavier normal": ("xavier_normal", 0.0), "He normal": ("he_normal", 0.0),
          "N(0, 1): too large": ("normal", 1.0), "N(0, 0.01²): too small": ("normal", 0.01)}
_QUANTITIES = {"outputs f(z)": "post", "local derivatives f'(z)": "local_grad",
               "pre-activations z": "pre"}


def histogram_range(activation: str, quantity: str, data) -> tuple[float, float]:
    if quantity == "post" and activation == "sigmoid":
        return 0.0, 1.0
    if quantity == "post" and activation == "tanh":
        return -1.0, 1.0
    if quantity == "local_grad":
        return 0.0, 0.25 if activation == "sigmoid" else 1.0
    hi = max(float(np.max(np.abs(a))) for a in data)
    hi = hi if hi > 0 else 1.0
    lo = 0.0 if (quantity == "post" and activation == "relu") else -hi
    return lo, hi


def check_stack(depth, width, n, bins) -> tuple:
    """(depth, width, n, bins) of a stack of layers shown one histogram panel per layer."""
    depth = check_int(depth, "depth", minimum=1)
    if depth > 8:
        raise ValueError(f"depth must lie in [1, 8] (one panel per layer); got {depth}")
    return (depth, check_int(width, "width", minimum=1), check_int(n, "n", minimum=2),
            check_int(bins, "bins", minimum=2))


class _ActivationHistograms(App):
    def __init__(self, activation, init, quantity, depth, width, n, bins):
        check_choice(activation, "activation", ACTIVATION_NAMES)
        check_choice(init, "init", tuple(_INITS))
        check_choice(quantity, "quantity", tuple(_QUANTITIES.values()))
        self.depth, self.width, self.n, self.bins = check_stack(depth, width, n, bins)
        self._cache = {}
        # At most three panels a row (five in one row were 170 px wide in a notebook, and
        # stacked into a column they were 1,500 px high); a spare cell stays empty.
        ncols = min(self.depth, 3)
        nrows = -(-self.depth // ncols)
        fig, axes = make_figure(nrows, ncols, figsize=(2.7 * ncols + 0.4, 2.3 * nrows + 0.3))
        grid = np.atleast_1d(axes).ravel()
        for ax in grid[self.depth:]:
            ax.set_visible(False)
        self.axes = grid[:self.depth]
        self.steps = []
        for i, ax in enumerate(self.axes):
            self.steps.append(ax.stairs(np.zeros(self.bins), np.linspace(0, 1, self.bins + 1),
                                        fill=True, color=CYCLE[0], alpha=0.85))
            style_axes(ax, f"layer {i + 1}", "value", "fraction of units" if i % ncols == 0
                       else "")
        controls = {
            "activation": dropdown("activation f", ACTIVATION_NAMES, activation),
            "init": dropdown("weight init", list(_INITS), init,
                             tooltip="how the weights of every layer are drawn "
                                     "(lecture 8 explains Xavier and He)"),
            "quantity": dropdown("show", _QUANTITIES, quantity,
                                 tooltip="what the histograms count"),
        }
        readouts = {"std": readout(), "saturated": readout()}
        super().__init__(controls, fig, readouts, title="Activations through 5 layers"
                         if self.depth == 5 else f"Activations through {self.depth} layers")
        self.update()

    def stats(self):
        act = self.controls["activation"].value
        init = self.controls["init"].value
        key = (act, init)
        if key not in self._cache:
            scheme, std = _INITS[init]
            self._cache[key] = layer_activations(act, depth=self.depth, width=self.width,
                                                    n=self.n, scheme=scheme, std=std, rng=0)
        return self._cache[key]

    def update(self):
        act = self.controls["activation"].value
        quantity = self.controls["quantity"].value
        s = self.stats()
        data = getattr(s, quantity)
        lo, hi = histogram_range(act, quantity, data)
        edges = np.linspace(lo, hi, self.bins + 1)
        what = {"post": "f(z)", "local_grad": "f'(z)", "pre": "z"}[quantity]
        for i, (ax, step, a) in enumerate(zip(self.axes, self.steps, data)):
            counts = np.histogram(np.clip(a, lo, hi), bins=edges)[0] / a.size
            step.set_data(counts, edges)
            ax.set_xlim(lo, hi)
            ax.set_ylim(0, max(counts.max() * 1.1, 0.05))
            ax.set_xlabel(what)
            ax.set_title(f"layer {i + 1}", fontsize=9)
        peak = 0.25 if act == "sigmoid" else 1.0
        dead = [float(np.mean(g < 0.01 * peak)) for g in s.local_grad]
        stds = s.std(quantity)
        self.set_readout("std", f"std of {what} per layer: "
                         + ", ".join(f"{readable(v, 3)}" for v in stds))
        self.set_readout("saturated", "fraction of units with f'(z) below 1% of its peak "
                         "(almost no gradient passes): " + ", ".join(f"{v:.0%}" for v in dead))
        self.set_summary(f"Histograms of {what} in each of {self.depth} layers of a {act} "
                         f"network ({self.controls['init'].value} init); the std goes from "
                         f"{readable(stds[0], 3)} in layer 1 to {readable(stds[-1], 3)} in "
                         f"layer {self.depth}.")


def activation_histograms(activation: str = "sigmoid", init: str = "Xavier normal",
                          quantity: str = "post", depth: int = 5, width: int = 100,
                          n: int = 500, bins: int = 30) -> App:
    """Pick an activation (and an init); see histograms of its values in each of 5 layers.

    ``quantity`` is "post" (outputs f(z)), "local_grad" (f'(z)) or "pre" (z); the network is
    ``depth`` blocks Linear(width, width) -> f on n N(0, 1) inputs
    (``dlcore.nn.layer_activations``).
    """
    return _ActivationHistograms(activation, init, quantity, depth, width, n, bins)
