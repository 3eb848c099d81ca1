"""Plots for lecture 12c, training in practice: augmented digits, learning curves, schedules.

Shapes: images (N, 1, H, W) or (N, H, W); a curve is a sequence of per-epoch (or per-step)
values.  The experiments live in the core (``dlcore.data`` for augmentation,
``dlcore.optim`` for schedules, ``train_model`` and the lecture's networks); these functions
only draw.  Each takes ``ax=None`` (a new figure) and returns the Axes, or returns a Figure.
"""

from __future__ import annotations

import numpy as np

from .style import CMAP, CYCLE, axes_or_new

__all__ = ["plot_digit_grid", "plot_curves", "plot_schedules", "plot_bn_comparison"]


def plot_digit_grid(images, titles=None, ncols: int = 6, suptitle: str = "",
                    size: float = 1.25):
    """Grey images in a grid, one per panel, all on the scale [0, 1] (ink bright); returns
    the Figure.  images (N, 1, H, W) or (N, H, W); ``titles`` one string per image."""
    import matplotlib.pyplot as plt

    images = np.asarray(images, dtype=np.float64)
    if images.ndim == 4:
        images = images[:, 0]
    if images.ndim != 3:
        raise ValueError(f"images must have shape (N, 1, H, W) or (N, H, W); got "
                         f"{images.shape}")
    n = images.shape[0]
    ncols = max(1, min(int(ncols), n))
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.4),
                             layout="constrained", squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if k >= n:
            ax.set_visible(False)
            continue
        ax.imshow(images[k], cmap=CMAP, vmin=0.0, vmax=1.0, interpolation="nearest")
        if titles is not None:
            ax.set_title(titles[k], fontsize=9)
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def plot_curves(curves: dict, ax=None, *, title: str, xlabel: str = "epoch",
                ylabel: str = "test accuracy", logy: bool = False, styles: dict | None = None):
    """One line per entry of ``curves`` (label -> values per epoch, counted from 1).

    ``styles`` may give a label its own matplotlib keywords (e.g. ``{"ls": "--"}``); a curve
    that stops early (a diverged run) ends where its values end.  Returns the Axes.
    """
    ax = axes_or_new(ax, (6.4, 3.8))
    for i, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=np.float64)
        kw = {"color": CYCLE[i % len(CYCLE)], "lw": 2}
        kw.update((styles or {}).get(label, {}))
        ax.plot(np.arange(1, values.size + 1), values, label=label, **kw)
    if logy:
        ax.set_yscale("log")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def plot_schedules(rates: dict, ax=None, *, title: str = "Learning-rate schedules",
                   xlabel: str = "training step (batch)", steps_per_epoch: int | None = None):
    """The rate at every step for each schedule (label -> array of rates); returns the Axes.

    With ``steps_per_epoch``, faint vertical lines mark the epochs."""
    ax = axes_or_new(ax, (6.4, 3.6))
    n = 0
    for i, (label, r) in enumerate(rates.items()):
        r = np.asarray(r, dtype=np.float64)
        n = max(n, r.size)
        ax.plot(np.arange(r.size), r, color=CYCLE[i % len(CYCLE)], lw=2, label=label)
    if steps_per_epoch:
        for x in range(steps_per_epoch, n, steps_per_epoch):
            ax.axvline(x, color="0.85", lw=0.6, zorder=0)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("learning rate η")
    ax.legend(fontsize=8)
    return ax


def plot_bn_comparison(runs: dict, *, suptitle: str = ""):
    """Batch norm's effect: one column per learning rate, training loss on top and test
    accuracy below, each with a curve without (dashed) and with (solid) batch norm.

    ``runs`` maps ``(lr, batch_norm)`` to a ``History``.  Returns the Figure.
    """
    import matplotlib.pyplot as plt

    lrs = sorted({lr for lr, _ in runs})
    fig, axes = plt.subplots(2, len(lrs), figsize=(4.6 * len(lrs), 6.2), layout="constrained",
                             squeeze=False, sharex=True)
    for j, lr in enumerate(lrs):
        for bn, colour, ls in ((False, CYCLE[1], "--"), (True, CYCLE[0], "-")):
            h = runs.get((lr, bn))
            if h is None:
                continue
            label = "with batch norm" if bn else "without batch norm"
            epochs = np.arange(1, len(h.train_loss) + 1)
            axes[0, j].plot(epochs, h.train_loss, color=colour, ls=ls, lw=2, label=label)
            axes[1, j].plot(epochs[:len(h.val_acc)], h.val_acc, color=colour, ls=ls, lw=2,
                            label=label)
        axes[0, j].set_title(f"learning rate {lr:g}")
        axes[0, j].set_ylabel("training loss")
        axes[1, j].set_ylabel("test accuracy")
        axes[1, j].set_xlabel("epoch")
        axes[1, j].set_ylim(0, 1.02)
        for ax in axes[:, j]:
            ax.grid(alpha=0.3)
        axes[0, j].legend(fontsize=8)
    if suptitle:
        fig.suptitle(suptitle)
    return fig
