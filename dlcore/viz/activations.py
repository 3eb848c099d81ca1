"""Plots for lecture 7: activation functions and their derivatives, losses, softmax, depth.

Shapes: z a grid of pre-activations (K,); y_hat a grid of predictions (K,); logits (C,) for
C classes; a layer's activations (N, Hd) for N samples and Hd units.

The values come from ``dlcore.activations`` and ``dlcore.losses`` (the forward/backward pairs);
these functions only arrange and draw them.  Each plotting function takes ``ax=None`` (a new
figure is made) and returns the Axes, or returns a Figure when it draws several panels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import activations as A
from .. import losses as L
from .._checks import as_array, check_choice, check_positive
from ..activations import ACTIVATION_NAMES, activation_values
from ..losses import LOSS_NAMES, pointwise_loss
from .style import CYCLE, PALETTE, axes_or_new

if TYPE_CHECKING:
    from ..nn import LayerStats

__all__ = ["plot_activations", "plot_losses", "plot_softmax", "plot_layer_histograms",
           "plot_logit_gradients"]


_LABELS = {"sigmoid": "sigmoid σ(z)", "tanh": "tanh(z)", "relu": "ReLU max(z, 0)",
           "leaky_relu": "leaky ReLU"}



def plot_activations(names=ACTIVATION_NAMES, z=None, derivative: bool = False,
                     negative_slope: float = 0.1, ax=None):
    """Curves ``f(z)`` (or ``f'(z)`` with ``derivative=True``) of the named activations.

    z (K,) grid, default 401 points on [-5, 5].  Returns the Axes.
    """
    z = np.linspace(-5.0, 5.0, 401) if z is None else as_array(z, "z", ndim=1, spec="(K,)")
    ax = axes_or_new(ax, (6.0, 3.8))
    for i, name in enumerate(names):
        f, df = activation_values(name, z, negative_slope=negative_slope)
        ax.plot(z, df if derivative else f, color=CYCLE[i % len(CYCLE)], lw=2,
                label=_LABELS[name] + ("  (derivative)" if derivative else ""))
    ax.axhline(0, color=PALETTE["grey"], lw=0.8)
    ax.axvline(0, color=PALETTE["grey"], lw=0.8)
    if derivative:
        ax.axhline(0.25, color=PALETTE["grey"], lw=1, ls=":", label="1/4 (bound of σ')")
    ax.set_title("Derivatives f'(z) of the activations" if derivative
                 else "Activation functions f(z)")
    ax.set_xlabel("pre-activation z")
    ax.set_ylabel("f'(z)" if derivative else "f(z)")
    ax.legend(fontsize=8, loc="upper left")
    return ax


def plot_losses(y: float = 1.0, y_hat=None, names=LOSS_NAMES, threshold: float = 0.0,
                mark=None, ax=None):
    """Each named loss as a function of the prediction y_hat, for a fixed label y in {-1, +1}.

    y_hat (K,) grid, default 401 points on [-2, 2]; ``mark`` draws a vertical line at one
    prediction (e.g. 0.3).  Returns the Axes.
    """
    y_hat = (np.linspace(-2.0, 2.0, 401) if y_hat is None
             else as_array(y_hat, "y_hat", ndim=1, spec="(K,)"))
    ax = axes_or_new(ax, (6.0, 3.8))
    for i, name in enumerate(names):
        values = pointwise_loss(name, y_hat, y, threshold=threshold)
        ax.plot(y_hat, values, color=CYCLE[i % len(CYCLE)], lw=2, label=name,
                drawstyle="steps-post" if name == "0-1" else "default")
    if mark is not None:
        ax.axvline(float(mark), color=PALETTE["grey"], ls="--", lw=1,
                   label=f"y_hat = {float(mark):g}")
    ax.set_ylim(-0.1, 4.0)
    ax.set_title(f"Losses of one prediction, label y = {y:+g}")
    ax.set_xlabel("prediction y_hat")
    ax.set_ylabel("loss")
    ax.legend(fontsize=8)
    return ax


def plot_softmax(logits, temperature: float = 1.0, ax=None):
    """Bars of ``softmax(logits / temperature)``; logits (C,).  Returns the Axes."""
    logits = as_array(logits, "logits", ndim=1, spec="(C,)")
    t = check_positive(temperature, "temperature")
    p = A.softmax(logits / t)
    ax = axes_or_new(ax, figsize=(5.0, 3.4))
    ax.bar(np.arange(p.size), p, color=[CYCLE[i % len(CYCLE)] for i in range(p.size)])
    for i, v in enumerate(p):
        ax.text(i, v + 0.02, f"{v:.3f}", ha="center", fontsize=9)
    ax.set_xticks(np.arange(p.size), [f"class {i}\nz={z:g}" for i, z in enumerate(logits)])
    ax.set_ylim(0, 1.1)
    ax.set_title(f"softmax(z / T), T = {t:g}")
    ax.set_xlabel("class")
    ax.set_ylabel("probability")
    return ax


def plot_layer_histograms(stats: LayerStats, quantity: str = "post", bins: int = 40,
                          value_range=None, axes=None):
    """One histogram per layer of ``stats.<quantity>`` ("pre", "post" or "local_grad").

    ``value_range`` (lo, hi) fixes the bins (default: the range of all layers).  ``axes`` is a
    sequence of ``stats.depth`` Axes; without it a 1 x depth Figure is made.  Returns the Figure.
    """
    check_choice(quantity, "quantity", ("pre", "post", "local_grad"))
    data = getattr(stats, quantity)
    if axes is None:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, stats.depth, figsize=(2.2 * stats.depth, 2.6),
                                 sharey=True, layout="constrained")
        axes = np.atleast_1d(axes)
    fig = axes[0].figure
    if value_range is None:
        lo = min(float(np.min(a)) for a in data)
        hi = max(float(np.max(a)) for a in data)
        value_range = (lo, hi if hi > lo else lo + 1.0)
    what = {"pre": "z", "post": "f(z)", "local_grad": "f'(z)"}[quantity]
    for i, (ax, a) in enumerate(zip(axes, data)):
        counts, edges = np.histogram(a, bins=bins, range=value_range)
        ax.stairs(counts / a.size, edges, fill=True, color=CYCLE[0], alpha=0.8)
        ax.set_title(f"layer {i + 1}: std {np.std(a):.2g}", fontsize=9)
        ax.set_xlabel(what)
    axes[0].set_ylabel("fraction of units")
    fig.suptitle(f"{stats.activation} network, {stats.scheme} init: {what} per layer")
    return fig


def plot_logit_gradients(z=None, y: float = 1.0, ax=None):
    """``|dL/dz|`` for a sigmoid output trained with squared error vs. with cross-entropy.

    With ``p = sigma(z)``: squared error ``(p - y)^2 / 2`` has ``dL/dz = (p - y) p (1 - p)``,
    which vanishes when the sigmoid saturates on the wrong side; BCE has ``dL/dz = p - y``.
    Both come from the dlcore backward functions.  z (K,) grid, y in [0, 1].  Returns the Axes.
    """
    z = np.linspace(-8.0, 8.0, 321) if z is None else as_array(z, "z", ndim=1, spec="(K,)")
    ax = axes_or_new(ax, (6.0, 3.8))
    p, cache = A.sigmoid_forward(z)
    target = np.full_like(z, float(y))
    _, se_cache = L.squared_error_forward(p, target)
    d_se = A.sigmoid_backward(L.squared_error_backward(1.0, se_cache), cache)
    _, bce_cache = L.binary_cross_entropy_with_logits_forward(z, target)
    d_bce = L.binary_cross_entropy_with_logits_backward(1.0, bce_cache) * z.size
    ax.plot(z, np.abs(d_se), color=CYCLE[0], lw=2, label="sigmoid + squared error")
    ax.plot(z, np.abs(d_bce), color=CYCLE[1], lw=2, label="sigmoid + cross-entropy")
    ax.set_title(f"Gradient reaching the logit, target y = {y:g}")
    ax.set_xlabel("logit z (output p = σ(z))")
    ax.set_ylabel("|dL/dz|")
    ax.legend(fontsize=8)
    return ax
