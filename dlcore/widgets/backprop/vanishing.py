"""``vanishing_products``: depth of a thin sigmoid chain -> shrinking products of sigma'.

Shapes: one value per layer (``depth`` of them) in every plotted array.
"""

from __future__ import annotations

import numpy as np

from ..._checks import check_choice, check_int
from ...nn import thin_chain_gradients
from .._base import PALETTE, App, dropdown, int_slider, make_figure, readout, slider, style_axes
from ..mlp._common import below, readable, row, steady_limits

__all__ = ["vanishing_products"]

_MAX_DEPTH = 30


def _positive(values):
    """Log axes cannot show 0: exact zeros become gaps."""
    values = np.abs(np.asarray(values, dtype=float))
    return np.where(values > 0, values, np.nan)


class VanishingProducts(App):
    def __init__(self, depth, w, x, activation):
        depth = check_int(depth, "depth", minimum=1)
        if depth > _MAX_DEPTH:
            raise ValueError(f"depth must be in [1, {_MAX_DEPTH}]; got {depth}")
        check_choice(activation, "activation", ("sigmoid", "tanh"))
        thin_chain_gradients(depth, w=w, x=x, activation=activation)  # validates w and x
        controls = {
            "depth": int_slider("depth (layers in the chain)", depth, 1, _MAX_DEPTH),
            "w": slider("weight w (every layer)", float(w), -4, 4, 0.05),
            "x": slider("input x", float(x), -3, 3, 0.05),
            "activation": dropdown("activation f", ["sigmoid", "tanh"], value=activation),
        }
        fig, (ax, ax_d) = make_figure(1, 2, figsize=(9.6, 4.2))
        readouts = {"ratio": readout(), "factors": readout()}
        super().__init__(controls, fig, readouts, title="Vanishing gradients in a deep chain")
        self.arrange([row(controls["depth"], controls["activation"]),
                      row(controls["w"], controls["x"])])
        self.ax, self.ax_d = ax, ax_d
        (self.l_grad,) = ax.semilogy([], [], "o-", color=PALETTE["blue"],
                                     label="|dL/dw_i| (backprop)")
        (self.l_prod,) = ax.semilogy([], [], "s--", color=PALETTE["orange"],
                                     label="product of f'(a_j), j >= i")
        (self.l_bound,) = ax.semilogy([], [], ":", color=PALETTE["grey"],
                                      label="(1/4)^(depth - i + 1)")
        self._legend()
        style_axes(ax, "", "layer i (1 = next to the input)", "magnitude (log scale)")
        (self.l_dact,) = ax_d.plot([], [], "o-", color=PALETTE["green"], label="f'(a_i)")
        self.l_max = ax_d.axhline(0.25, ls=":", color=PALETTE["grey"], label="max of f'")
        ax_d.set_ylim(0, 1.05)
        ax_d.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, 0),
                    bbox_transform=below(ax_d), ncols=2, frameon=False)
        style_axes(ax_d, "Local factor f'(a_i) of each layer", "layer i", "f'(a_i)")
        ax_d.title.set_fontsize(10)
        self._fresh = True
        self._new_legend = False
        # The controls move the curves and the title; the axes change only when the curves
        # leave them (steady limits), so most changes redraw the curves alone.
        self.set_dynamic([self.l_grad, self.l_prod, self.l_bound, ax.title, self.l_dact,
                          self.l_max])
        self.update()

    def _on_change(self, change=None) -> None:
        self.update()
        if self._new_legend:  # a new legend: lay the figure out again (a full draw)
            self._new_legend = False
            self.relayout()
        else:
            self.redraw()

    def _legend(self) -> None:
        """Under the plot: the curves can be anywhere in it."""
        self.ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, 0),
                       bbox_transform=below(self.ax), ncols=2, frameon=False,
                       columnspacing=1.0)

    def gradients(self):
        c = self.controls
        return thin_chain_gradients(c["depth"].value, w=c["w"].value, x=c["x"].value,
                                    activation=c["activation"].value)

    def update(self) -> None:
        c = self.controls
        depth, act = c["depth"].value, c["activation"].value
        g = self.gradients()
        layers = np.arange(1, depth + 1)
        grads = _positive(g.grad_w)
        self.l_grad.set_data(layers, grads)
        self.l_prod.set_data(layers, _positive(g.sigma_product))
        bound = 0.25 ** (depth - layers + 1) if act == "sigmoid" else np.ones(depth)
        self.l_bound.set_data(layers, bound)
        label = "(1/4)^(depth - i + 1)" if act == "sigmoid" else "1 (tanh' <= 1)"
        if self.l_bound.get_label() != label:
            self.l_bound.set_label(label)
            self._legend()
            self._new_legend = True
        shown = np.concatenate([grads, _positive(g.sigma_product), bound])
        shown = shown[np.isfinite(shown)]
        lo, hi = (shown.min(), shown.max()) if shown.size else (1e-3, 1.0)
        current = None if self._fresh else self.ax.get_ylim()
        self.ax.set_ylim(*steady_limits(current, lo, hi, log=True, slack=2.0))
        # x axis in steps of 5 layers (up to 2, 7, 12, ...: the default depth 10 and its
        # neighbours share one), so that most depth changes keep the axes
        right = min(_MAX_DEPTH, max(2, 5 * -(-(depth - 2) // 5) + 2)) + 0.5
        self.ax.set_xlim(0.5, right)
        self.ax.set_title(f"{act} chain of depth {depth}, w = {c['w'].value:g}", fontsize=10)
        self.l_dact.set_data(layers, g.dact)
        self.l_max.set_ydata([0.25, 0.25] if act == "sigmoid" else [1.0, 1.0])
        self.ax_d.set_xlim(0.5, right)
        self._fresh = False
        first, last = abs(g.grad_w[0]), abs(g.grad_w[-1])
        if last > 0 and first > 0:
            ratio = first / last
            text = (f"|dL/dw_1| / |dL/dw_{depth}| = {readable(ratio, 3)}: the first layer's "
                    f"gradient is " + (f"{readable(1 / ratio)} times smaller" if ratio < 1 else
                                       f"{readable(ratio)} times larger")
                    + " than the last layer's.")
        else:
            text = "A gradient is exactly 0 here (x = 0 or w = 0 cuts the chain)."
        self.set_readout("ratio", text)
        self.set_readout("factors", f"f'(a) ranges from {g.dact.min():.4f} to {g.dact.max():.4f}"
                                    f" along the chain; dL/dw_i multiplies the f' of every "
                                    f"layer from i to {depth}.")
        self.set_summary(f"Left: gradient magnitudes per layer of a {act} chain of depth {depth} "
                         f"on a log scale; right: each layer's f'(a). {text}")


def vanishing_products(depth: int = 10, w: float = 1.0, x: float = 1.0,
                       activation: str = "sigmoid") -> VanishingProducts:
    """Depth, weight and input of a thin chain ``h_i = f(w h_{i-1})`` -> |dL/dw_i| per layer.

    The gradients come from ``nn.thin_chain_gradients`` (an ``nn.MLP`` of width 1 and
    its backward); ``activation`` is "sigmoid" (f' <= 1/4) or "tanh" (f' <= 1).
    """
    return VanishingProducts(depth, w, x, activation)
