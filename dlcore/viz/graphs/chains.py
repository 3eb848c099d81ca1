"""The plot of gradients along a deep thin chain, and why they shrink (lecture 6).

Shape legend: ``depth`` layers of one unit each; arrays below have one entry per layer.

The chain is Khapra's ``a_i = w_i h_{i-1}``, ``h_i = f(a_i)``, ``h_0 = x``
(*Deep Learning Tutorial*, slide 63/113), with loss ``L = 1/2 (y - h_depth)^2``.  Backprop gives

    dL/dw_i = delta_i h_{i-1},    delta_i = f'(a_i) w_{i+1} delta_{i+1},

so the gradient of an early layer carries the product of every later ``w f'(a)``; for the
sigmoid f' <= 1/4, and the product shrinks geometrically with depth.  The numbers come from
``dlcore.nn.thin_chain_gradients``; ``plot_chain_gradients`` draws them.
"""

from __future__ import annotations

import numpy as np

from ...nn.experiments import thin_chain_gradients

__all__ = ["plot_chain_gradients"]


def plot_chain_gradients(depth: int = 10, w=1.0, x: float = 1.0, activation: str = "sigmoid",
                         ax=None):
    """Log-scale plot of |dL/dw_i| and of the product of f'(a_j), j >= i, against layer i.

    Also draws the bound 4^-(depth - i + 1) that the sigmoid's f' <= 1/4 implies for the
    product.  Returns the Axes.
    """
    from matplotlib.figure import Figure

    from ..style import PALETTE

    g = thin_chain_gradients(depth, w=w, x=x, activation=activation)
    if ax is None:
        ax = Figure(figsize=(6.4, 3.8), layout="constrained").add_subplot()
    layers = np.arange(1, depth + 1)
    ax.semilogy(layers, np.abs(g.grad_w) + 1e-300, "o-", color=PALETTE["blue"],
                label="|dL/dw_i| (backprop)")
    ax.semilogy(layers, g.sigma_product, "s--", color=PALETTE["orange"],
                label="product of f'(a_j), j >= i")
    if activation == "sigmoid":
        ax.semilogy(layers, 0.25 ** (depth - layers + 1), ":", color=PALETTE["grey"],
                    label="bound (1/4)^(depth - i + 1)")
    ax.set_title(f"Gradients along a {activation} chain of depth {depth} (w = {w}, x = {x})")
    ax.set_xlabel("layer i (1 = closest to the input)")
    ax.set_ylabel("magnitude (log scale)")
    ax.legend(fontsize=8)
    return ax
