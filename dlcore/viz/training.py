"""Plots for lecture 8: the training recipe, learning rates, regularisation.

Shapes: X (N, D) samples, y (N,) integer labels; on the spirals D = 2; digits D = 64.

The experiments these plots show live in the core: ``dlcore.data.digits_prepared`` and
``spirals_prepared`` (the recipe's data step), ``dlcore.nn.lr_trial``,
``regularization_trial``, ``loss_curve_verdict`` and ``class_grid`` (predicted class on a grid,
for decision boundaries).  Plotting functions take ``ax=None`` and return the Axes.
"""

from __future__ import annotations

import numpy as np

from .._checks import check_labels
from ..nn.experiments import class_grid, loss_curve_verdict
from .style import CYCLE, PALETTE, axes_or_new

__all__ = ["plot_history", "plot_lr_curves", "plot_class_regions", "plot_layer_std"]

_CLASS_COLOURS = [PALETTE["blue"], PALETTE["orange"], PALETTE["green"], PALETTE["vermillion"],
                  PALETTE["purple"], PALETTE["sky"], PALETTE["black"], PALETTE["yellow"],
                  PALETTE["grey"], "#7f3b08"]



def plot_history(history, ax=None, title: str = "Training and validation loss"):
    """Per-epoch training (solid) and validation (dashed) loss of a ``History``.

    Returns the Axes.
    """
    ax = axes_or_new(ax, (6.0, 3.8))
    epochs = np.arange(1, len(history.train_loss) + 1)
    ax.plot(epochs, history.train_loss, color=CYCLE[0], lw=2, label="training loss")
    if history.val_loss:
        ax.plot(epochs[:len(history.val_loss)], history.val_loss, color=CYCLE[1], lw=2,
                ls="--", label="validation loss")
    ax.set_title(title)
    ax.set_xlabel("epoch")
    ax.set_ylabel(f"{history.loss.replace('_', '-')} loss")
    ax.legend(fontsize=8)
    return ax


def plot_lr_curves(histories: dict, ax=None):
    """Training loss per epoch for several learning rates; ``histories`` maps lr -> History.

    A diverged run ends with a cross at its last finite loss; losses above 1e6 are drawn at
    1e6.  Returns the Axes.
    """
    ax = axes_or_new(ax, (6.0, 3.8))
    for i, (lr, h) in enumerate(sorted(histories.items())):
        losses = np.asarray(h.train_loss, dtype=np.float64)
        finite = losses[np.isfinite(losses)]
        colour = CYCLE[i % len(CYCLE)]
        finite = np.minimum(finite, 1e6)  # a blow-up reaches 1e300; the axis stops at 1e6
        ax.plot(np.arange(1, finite.size + 1), finite, color=colour, lw=2,
                label=f"lr = {lr:g}: {loss_curve_verdict(h)}")
        if h.diverged and finite.size:
            ax.plot([finite.size], [finite[-1]], "x", color=colour, ms=10, mew=2)
    ax.set(yscale="log", title="Training loss at different learning rates", xlabel="epoch",
           ylabel="cross-entropy (log scale)")
    ax.legend(fontsize=8)
    return ax


def plot_class_regions(model, X, y, ax=None, resolution: int = 120, title: str | None = None):
    """Decision regions of a 2-D classifier with the points X (N, 2), y (N,) on top."""
    from matplotlib.colors import ListedColormap

    labels, extent = class_grid(model, X, resolution=resolution)
    y = check_labels(y, None, "y", n=np.asarray(X).shape[0])
    n_classes = max(int(labels.max()), int(y.max())) + 1
    colours = _CLASS_COLOURS[:n_classes]
    ax = axes_or_new(ax, figsize=(4.2, 4.0))
    ax.imshow(labels, origin="lower", extent=extent, cmap=ListedColormap(colours),
              vmin=-0.5, vmax=n_classes - 0.5, alpha=0.35, aspect="auto",
              interpolation="nearest")
    X = np.asarray(X)
    for c in range(n_classes):
        pts = X[y == c]
        ax.scatter(pts[:, 0], pts[:, 1], s=18, color=colours[c], edgecolor="black",
                   linewidth=0.5, label=f"class {c}")
    ax.set_title(title or "Decision regions")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    return ax


def plot_layer_std(stats: dict, quantity: str = "post", ax=None):
    """Std of each layer's activations for several runs; ``stats`` maps a label -> LayerStats.

    The y axis is logarithmic, so a std that shrinks by a constant factor per layer is a
    straight line.  Returns the Axes.
    """
    ax = axes_or_new(ax, (6.0, 3.8))
    for i, (label, s) in enumerate(stats.items()):
        stds = s.std(quantity)
        ax.plot(np.arange(1, stds.size + 1), np.maximum(stds, 1e-300), "o-", lw=2,
                color=CYCLE[i % len(CYCLE)], label=label)
    ax.set(yscale="log", title="Activation size through depth", xlabel="layer",
           ylabel="std of activations (log scale)")
    ax.legend(fontsize=8)
    return ax

