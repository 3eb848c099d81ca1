"""Experiments and plots for lecture 8: the training recipe, learning rates, regularisation.

Shapes: X (N, D) samples, y (N,) integer labels; on the spirals D = 2; digits D = 64.

The small experiments here are shared by the lecture notebook and its widgets, so that both
show the same numbers: ``split_train_val`` and ``standardize`` (steps 1 of the recipe),
``lr_trial`` (the IFT6758 slides' two-layer net, on digits, at one learning rate),
``loss_curve_verdict`` (flat, slow, good, unstable or diverged), ``regularization_trial`` (an MLP
on noisy spirals with L2 weight decay) and ``class_grid`` (predicted class on a grid, for
decision boundaries).
Plotting functions take ``ax=None`` and return the Axes.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .._checks import as_array, check_int, check_labels, check_positive, check_probability
from .._random import get_rng
from .style import CYCLE, PALETTE

__all__ = ["split_train_val", "standardize", "digits_prepared", "lr_trial", "loss_curve_verdict",
           "spirals_prepared", "regularization_trial", "class_grid", "plot_history",
           "plot_lr_curves", "plot_class_regions", "plot_layer_std"]

_CLASS_COLOURS = [PALETTE["blue"], PALETTE["orange"], PALETTE["green"], PALETTE["vermillion"],
                  PALETTE["purple"], PALETTE["sky"], PALETTE["black"], PALETTE["yellow"],
                  PALETTE["grey"], "#7f3b08"]


def _axes(ax, figsize=(6.0, 3.8)):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=figsize, layout="constrained")[1]


def split_train_val(X, y, val_fraction: float = 0.2, seed=0):
    """Hold out a random ``val_fraction`` of the rows (a validation set).

    X (N, D), y (N,) -> X_tr (N - n_val, D), y_tr, X_val (n_val, D), y_val, with
    ``n_val = round(val_fraction * N)``.
    """
    X = as_array(X, "X", ndim=2, spec="(N, D)")
    y = check_labels(y, None, "y", n=X.shape[0])
    val_fraction = check_probability(val_fraction, "val_fraction")
    n_val = int(round(val_fraction * X.shape[0]))
    if not 1 <= n_val < X.shape[0]:
        raise ValueError(f"split_train_val: val_fraction={val_fraction} leaves {n_val} of "
                         f"{X.shape[0]} rows for validation; need at least 1 and fewer than N")
    order = get_rng(seed).permutation(X.shape[0])
    val, tr = order[:n_val], order[n_val:]
    return X[tr], y[tr], X[val], y[val]


def standardize(X_train, *others):
    """``(X - mean) / std`` per feature with the TRAINING mean and std, for every array given.

    A feature that is constant in the training set (std 0) is only centred.  X_train (N, D),
    each of ``others`` (N_i, D) -> a tuple of arrays of the same shapes, training set first.
    """
    X_train = as_array(X_train, "X_train", ndim=2, spec="(N, D)")
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    out = [(X_train - mean) / std]
    for i, X in enumerate(others):
        X = as_array(X, f"others[{i}]", ndim=2, spec=f"(N, {X_train.shape[1]})")
        if X.shape[1] != X_train.shape[1]:
            raise ValueError(f"standardize: others[{i}] must have shape (N, {X_train.shape[1]}) "
                             f"like X_train; got {X.shape}")
        out.append((X - mean) / std)
    return tuple(out)


@lru_cache(maxsize=2)
def _digits_prepared(seed: int):
    from ..data import digits

    X, y, X_test, y_test = digits(seed=seed)
    X_tr, y_tr, X_val, y_val = split_train_val(X, y, 0.2, seed=seed)
    X_tr, X_val, X_test = standardize(X_tr, X_val, X_test)
    arrays = (X_tr, y_tr, X_val, y_val, X_test, y_test)
    for a in arrays:
        a.setflags(write=False)
    return arrays


def digits_prepared(seed: int = 0):
    """The recipe's data step on digits: split train/val/test, standardize with train statistics.

    Returns X_tr (1078, 64), y_tr (1078,), X_val (269, 64), y_val (269,), X_test (450, 64),
    y_test (450,) (read-only, cached).
    """
    return _digits_prepared(check_int(seed, "seed", minimum=0))


def lr_trial(lr: float, num_epochs: int = 20, hidden: int = 50, batch_size: int = 100,
             seed: int = 0):
    """Train the IFT6758 slides' two-layer net (here 64-hidden-10) on digits, plain SGD at ``lr``.

    Mini-batches of ``batch_size``, cross-entropy, validation on the held-out split.  A loss
    that overflows stops training with ``History.diverged`` set (see ``dlcore.nn.fit``).
    Returns the ``History``.
    """
    from .. import nn
    from ..optim import SGD

    lr = check_positive(lr, "lr")
    X_tr, y_tr, X_val, y_val, _, _ = digits_prepared(seed)
    model = nn.MLP([64, check_int(hidden, "hidden", minimum=1), 10], rng=seed)
    opt = SGD(model.parameters(), lr=lr)
    return nn.fit(model, X_tr, y_tr, optimizer=opt, num_epochs=num_epochs,
                  batch_size=batch_size, X_val=X_val, y_val=y_val, progress=False, rng=seed)


def loss_curve_verdict(losses) -> str:
    """Name the shape of a loss curve: "diverged", "unstable", "flat", "slow" or "good".

    diverged: a NaN or infinite value (or ``History.diverged``); unstable: the last loss is
    above the first; flat: the loss fell by less than 1 %; slow: by less than 50 %; good:
    otherwise.  losses (E,) per-epoch losses, or a ``History``.
    """
    if hasattr(losses, "train_loss"):
        if losses.diverged:
            return "diverged"
        losses = losses.train_loss
    values = np.asarray(losses, dtype=np.float64)
    if values.ndim != 1 or values.size < 2:
        raise ValueError(f"loss_curve_verdict: need a 1-D curve of at least 2 losses; got "
                         f"shape {values.shape}")
    if not np.all(np.isfinite(values)):
        return "diverged"
    first, last = values[0], values[-1]
    if last > first:
        return "unstable"
    drop = (first - last) / abs(first) if first != 0 else 0.0
    if drop < 0.01:
        return "flat"
    return "slow" if drop < 0.5 else "good"


@lru_cache(maxsize=4)
def _spirals(n_per_class: int, noise: float, seed: int):
    from ..data import spirals

    X, y = spirals(n_per_class=n_per_class, noise=noise, seed=seed)
    X_val, y_val = spirals(n_per_class=100, noise=noise, seed=seed + 1)
    for a in (X, y, X_val, y_val):
        a.setflags(write=False)
    return X, y, X_val, y_val


def spirals_prepared(n_per_class: int = 20, noise: float = 0.6, seed: int = 0):
    """A small noisy training set of 3 spirals and a larger validation set from another seed.

    Returns X (3 n_per_class, 2), y (3 n_per_class,), X_val (300, 2), y_val (300,).
    """
    return _spirals(check_int(n_per_class, "n_per_class", minimum=1),
                    check_positive(noise, "noise", allow_zero=True),
                    check_int(seed, "seed", minimum=0))


def regularization_trial(width: int = 32, lam: float = 0.0, num_epochs: int = 500,
                         lr: float = 0.01, seed: int = 0, n_per_class: int = 20,
                         noise: float = 0.6):
    """Train ``MLP([2, width, width, 3])`` on ``spirals_prepared`` with Adam and weight decay.

    ``weight_decay=lam`` adds ``lam * W`` to each gradient, the gradient of the L2 penalty
    ``lam / 2 * ||W||^2`` (biases included, as torch.optim does).  Full-batch training;
    validation loss and accuracy every epoch.  Returns ``(model, history)``.
    """
    from .. import nn
    from ..optim import Adam

    width = check_int(width, "width", minimum=1)
    lam = check_positive(lam, "lam (the weight decay)", allow_zero=True)
    X, y, X_val, y_val = spirals_prepared(n_per_class, noise, seed)
    model = nn.MLP([2, width, width, 3], rng=seed)
    opt = Adam(model.parameters(), lr=lr, weight_decay=lam)
    history = nn.fit(model, X, y, optimizer=opt, num_epochs=num_epochs, X_val=X_val,
                     y_val=y_val, progress=False, rng=seed)
    return model, history


def class_grid(model, X, resolution: int = 120, margin: float = 0.3):
    """Predicted class of ``model`` on a resolution x resolution grid covering X (N, 2).

    Returns ``(labels, extent)``: labels (resolution, resolution) int, row i at the i-th y
    value from the bottom; extent (xmin, xmax, ymin, ymax) for ``imshow(origin="lower")``.
    """
    from ..nn import predict

    X = as_array(X, "X", ndim=2, spec="(N, 2)")
    if X.shape[1] != 2:
        raise ValueError(f"class_grid: X must have shape (N, 2) (2-D inputs); got {X.shape}")
    resolution = check_int(resolution, "resolution", minimum=2)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    gx, gy = np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    xx, yy = np.meshgrid(gx, gy)
    labels = predict(model, np.column_stack([xx.ravel(), yy.ravel()]))
    return labels.reshape(resolution, resolution), (lo[0], hi[0], lo[1], hi[1])


def plot_history(history, ax=None, title: str = "Training and validation loss"):
    """Per-epoch training (solid) and validation (dashed) loss of a ``History``.

    Returns the Axes.
    """
    ax = _axes(ax)
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
    ax = _axes(ax)
    for i, (lr, h) in enumerate(sorted(histories.items())):
        losses = np.asarray(h.train_loss, dtype=np.float64)
        finite = losses[np.isfinite(losses)]
        colour = CYCLE[i % len(CYCLE)]
        finite = np.minimum(finite, 1e6)  # a blow-up reaches 1e300; the axis stops at 1e6
        ax.plot(np.arange(1, finite.size + 1), finite, color=colour, lw=2,
                label=f"lr = {lr:g}: {loss_curve_verdict(h)}")
        if h.diverged and finite.size:
            ax.plot([finite.size], [finite[-1]], "x", color=colour, ms=10, mew=2)
    ax.set_yscale("log")
    ax.set_title("Training loss at different learning rates")
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy (log scale)")
    ax.legend(fontsize=8)
    return ax


def plot_class_regions(model, X, y, ax=None, resolution: int = 120, title: str | None = None):
    """Decision regions of a 2-D classifier with the points X (N, 2), y (N,) on top."""
    from matplotlib.colors import ListedColormap

    labels, extent = class_grid(model, X, resolution=resolution)
    y = check_labels(y, None, "y", n=np.asarray(X).shape[0])
    n_classes = max(int(labels.max()), int(y.max())) + 1
    colours = _CLASS_COLOURS[:n_classes]
    ax = _axes(ax, figsize=(4.2, 4.0))
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
    ax = _axes(ax)
    for i, (label, s) in enumerate(stats.items()):
        stds = s.std(quantity)
        ax.plot(np.arange(1, stds.size + 1), np.maximum(stds, 1e-300), "o-", lw=2,
                color=CYCLE[i % len(CYCLE)], label=label)
    ax.set_yscale("log")
    ax.set_title("Activation size through depth")
    ax.set_xlabel("layer")
    ax.set_ylabel("std of activations (log scale)")
    ax.legend(fontsize=8)
    return ax

