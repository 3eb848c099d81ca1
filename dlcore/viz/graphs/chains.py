"""Gradients along a deep thin chain, and why they shrink (lecture 6).

Shape legend: ``depth`` layers of one unit each; arrays below have one entry per layer.

The chain is Khapra's ``a_i = w_i h_{i-1}``, ``h_i = f(a_i)``, ``h_0 = x``
(*Deep Learning Tutorial*, slide 63/113), with loss ``L = 1/2 (y - h_depth)^2``.  Backprop gives

    dL/dw_i = delta_i h_{i-1},    delta_i = f'(a_i) w_{i+1} delta_{i+1},

so the gradient of an early layer carries the product of every later ``w f'(a)``; for the
sigmoid f' <= 1/4, and the product shrinks geometrically with depth.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..._checks import as_array, check_choice, check_int

__all__ = ["ChainGradients", "thin_chain_gradients", "plot_chain_gradients"]

_ACTIVATIONS = ("sigmoid", "tanh")


class ChainGradients(NamedTuple):
    """What a backward pass through the thin chain produced (arrays of length ``depth``).

    ``a`` pre-activations, ``h`` outputs (``h[0]`` is x, so length depth + 1), ``dact``
    f'(a_i), ``grad_w`` dL/dw_i, ``sigma_product[i]`` the product of f'(a_j) for j >= i
    (the activation factors in dL/dw_i), ``loss``.
    """

    a: np.ndarray
    h: np.ndarray
    dact: np.ndarray
    grad_w: np.ndarray
    sigma_product: np.ndarray
    loss: float


def _real(v, name):
    if isinstance(v, bool) or not isinstance(v, (int, float, np.floating, np.integer)):
        raise TypeError(f"{name} must be a real number; got {v!r}")
    v = float(v)
    if not np.isfinite(v):
        raise ValueError(f"{name} must be finite; got {v}")
    return v


def thin_chain_gradients(depth: int, w=1.0, x: float = 1.0, y: float = 1.0,
                         activation: str = "sigmoid") -> ChainGradients:
    """Forward and backward pass of the chain ``h_i = f(w_i h_{i-1})`` with ``L = 1/2 (y - h_L)^2``.

    Built as ``dlcore.nn.MLP([1] * (depth + 1), activation, output_activation=activation,
    bias=False)`` and differentiated by its ``backward``.  ``w`` is one number (every layer)
    or a sequence of ``depth`` weights.  Returns a ``ChainGradients``.
    """
    from ...losses import squared_error_backward, squared_error_forward
    from ...nn import MLP

    depth = check_int(depth, "depth", minimum=1)
    check_choice(activation, "activation", _ACTIVATIONS)
    x, y = _real(x, "x"), _real(y, "y")
    ws = as_array(w, "w", ndim=(0, 1))
    if ws.ndim == 0:
        ws = np.full(depth, float(ws))
    if ws.shape != (depth,):
        raise ValueError(f"w must be one number or a sequence of depth={depth} weights; got "
                         f"shape {tuple(ws.shape)}")
    model = MLP([1] * (depth + 1), activation=activation, output_activation=activation,
                bias=False, rng=0)
    linears = [m for m in model if m._parameters]
    for lin, wi in zip(linears, ws):
        lin.weight.data = np.array([[wi]])
    a, h, out = [], [x], np.array([[x]])
    for m in model:
        out = m(out)
        (a if m._parameters else h).append(float(out[0, 0]))
    loss, cache = squared_error_forward(out, np.array([[y]]))
    model.zero_grad()
    model.backward(squared_error_backward(1.0, cache))
    a = np.array(a)
    if activation == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-a))
        dact = s * (1.0 - s)
    else:
        dact = 1.0 - np.tanh(a) ** 2
    grad_w = np.array([lin.weight.grad[0, 0] for lin in linears])
    sigma_product = np.cumprod(dact[::-1])[::-1]
    return ChainGradients(a, np.array(h), dact, grad_w, sigma_product, float(loss))


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
