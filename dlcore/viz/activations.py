"""Plots for lecture 7: activation functions and their derivatives, losses, softmax, depth.

Shapes: z a grid of pre-activations (K,); y_hat a grid of predictions (K,); logits (C,) for
C classes; a layer's activations (N, Hd) for N samples and Hd units.

The values come from ``dlcore.activations`` and ``dlcore.losses`` (the forward/backward pairs);
these functions only arrange and draw them.  Each plotting function takes ``ax=None`` (a new
figure is made) and returns the Axes, or returns a Figure when it draws several panels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import activations as A
from .. import losses as L
from .._checks import as_array, check_choice, check_int, check_positive
from .._random import get_rng
from .style import CYCLE, PALETTE

__all__ = ["ACTIVATION_NAMES", "LOSS_NAMES", "activation_values", "pointwise_loss",
           "LayerStats", "layer_activations", "plot_activations", "plot_losses",
           "plot_softmax", "plot_layer_histograms", "plot_logit_gradients"]

ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "leaky_relu")
LOSS_NAMES = ("L1", "L2", "hinge", "0-1", "logistic")

_LABELS = {"sigmoid": "sigmoid σ(z)", "tanh": "tanh(z)", "relu": "ReLU max(z, 0)",
           "leaky_relu": "leaky ReLU"}


def _axes(ax, figsize=(6.0, 3.8)):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=figsize, layout="constrained")[1]


def activation_values(name: str, z, negative_slope: float = 0.1):
    """``f(z)`` and ``f'(z)`` from the forward/backward pair of ``dlcore.activations``.

    ``f'`` is ``<name>_backward(ones, cache)``, i.e. the vector-Jacobian product with a vector
    of ones.  ``negative_slope`` is used by "leaky_relu" only (0.1 makes the left piece
    visible in a plot; ``nn.LeakyReLU`` defaults to 0.01).  z any shape -> (f, df) of that shape.
    """
    check_choice(name, "activation", ACTIVATION_NAMES)
    z = as_array(z, "z")
    if name == "leaky_relu":
        out, cache = A.leaky_relu_forward(z, negative_slope=negative_slope)
        return out, A.leaky_relu_backward(np.ones_like(out), cache)
    out, cache = getattr(A, f"{name}_forward")(z)
    return out, getattr(A, f"{name}_backward")(np.ones_like(out), cache)


def pointwise_loss(name: str, y_hat, y: float, threshold: float = 0.0) -> np.ndarray:
    """One loss value per prediction: ``ell(y_hat_k, y)`` for every entry of ``y_hat``.

    Names: "L1" ``|y_hat - y|``, "L2" ``(y_hat - y)^2``, "hinge" ``max(0, 1 - y y_hat)``, "0-1"
    ``[label(y_hat) != y]`` with ``label = +1 if y_hat >= threshold else -1``, and "logistic"
    ``log(1 + exp(-y y_hat))`` (binary cross-entropy of ``sigma(y_hat)`` with the target
    ``(y + 1) / 2``).  Each value is the dlcore loss of a single prediction.  y_hat (K,),
    y a label in {-1, +1} -> (K,).
    """
    check_choice(name, "loss", LOSS_NAMES)
    y_hat = as_array(y_hat, "y_hat", ndim=1, spec="(K,)")
    y = float(as_array(y, "y", ndim=0))
    if y not in (-1.0, 1.0):
        raise ValueError(f"pointwise_loss: y must be a label in {{-1, +1}}; got {y:g}")
    one = np.array([y])
    if name == "L1":
        return np.array([L.l1([v], one) for v in y_hat])
    if name == "L2":
        return np.array([L.mse([v], one) for v in y_hat])
    if name == "hinge":
        return np.array([L.hinge([v], one) for v in y_hat])
    if name == "0-1":
        return np.array([L.zero_one([v], one, threshold=threshold) for v in y_hat])
    target = np.array([(y + 1.0) / 2.0])
    return np.array([L.binary_cross_entropy_with_logits([v], target) for v in y_hat])


@dataclass
class LayerStats:
    """What ``layer_activations`` records, one entry per layer (lists of length depth).

    ``pre[l]`` and ``post[l]`` are the (N, Hd) inputs and outputs of layer l's activation,
    ``local_grad[l]`` is ``f'(pre[l])`` (N, Hd), and ``weight_grad_std[l]`` the standard
    deviation of dL/dW of layer l's Linear for a random upstream gradient (a float).
    """

    activation: str
    scheme: str
    pre: list
    post: list
    local_grad: list
    weight_grad_std: list

    @property
    def depth(self) -> int:
        return len(self.post)

    def std(self, quantity: str = "post") -> np.ndarray:
        """Standard deviation of ``quantity`` ("pre", "post", "local_grad") per layer, (depth,)."""
        check_choice(quantity, "quantity", ("pre", "post", "local_grad"))
        return np.array([float(np.std(a)) for a in getattr(self, quantity)])


def layer_activations(activation: str = "tanh", depth: int = 5, width: int = 100, n: int = 500,
                      scheme: str = "xavier_normal", std: float = 0.01,
                      rng=0) -> LayerStats:
    """Push N(0, 1) inputs through ``depth`` blocks ``Linear(width, width) -> f`` and record them.

    The network is a ``dlcore.nn.Sequential`` initialised with ``nn.init_weights(model, scheme,
    std=std)`` (std is used by "normal" only).  After the forward pass the output receives a
    N(0, 1) upstream gradient and ``model.backward`` fills every weight gradient, so the
    returned ``weight_grad_std`` shows whether gradients vanish or explode towards the input.
    Inputs x (n, width); the activations are recorded as (n, width) arrays.
    """
    from .. import nn

    check_choice(activation, "activation", ACTIVATION_NAMES)
    depth = check_int(depth, "depth", minimum=1)
    width = check_int(width, "width", minimum=1)
    n = check_int(n, "n", minimum=2)
    check_positive(std, "std", allow_zero=True)
    rng = get_rng(rng)
    blocks = []
    for _ in range(depth):
        blocks += [nn.Linear(width, width, rng=rng), nn.ACTIVATIONS[activation]()]
    model = nn.Sequential(*blocks)
    nn.init_weights(model, scheme, rng=rng, std=std)
    x = rng.standard_normal((n, width))
    pre, post, local = [], [], []
    with np.errstate(over="ignore", under="ignore"):
        for i, module in enumerate(model):
            x = module(x)
            if i % 2 == 0:
                pre.append(x)
            else:
                post.append(x)
                local.append(activation_values(activation, pre[-1], negative_slope=0.01)[1])
        model.backward(rng.standard_normal(x.shape))
    grad_std = [float(np.std(m.weight.grad)) for m in model if isinstance(m, nn.Linear)]
    return LayerStats(activation, scheme, pre, post, local, grad_std)


def plot_activations(names=ACTIVATION_NAMES, z=None, derivative: bool = False,
                     negative_slope: float = 0.1, ax=None):
    """Curves ``f(z)`` (or ``f'(z)`` with ``derivative=True``) of the named activations.

    z (K,) grid, default 401 points on [-5, 5].  Returns the Axes.
    """
    z = np.linspace(-5.0, 5.0, 401) if z is None else as_array(z, "z", ndim=1, spec="(K,)")
    ax = _axes(ax)
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
    ax = _axes(ax)
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
    ax = _axes(ax, figsize=(5.0, 3.4))
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
    ax = _axes(ax)
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
