"""``regularization_explorer`` and ``learning_rate_explorer``: two knobs of the training recipe.

Shapes: X (N, 2) spiral points with labels y (N,); digits X (N, 64).  Both widgets train small
networks through ``dlcore.nn`` (``regularization_trial``, ``lr_trial``) and cache
every run, so returning to a setting is instant.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib.colors import ListedColormap

from ... import fast_mode
from ... import losses as L
from ..._checks import check_int, check_positive
from ...data import spirals_prepared
from ...nn import class_grid, loss_curve_verdict, lr_trial, regularization_trial
from .._base import (
    CYCLE,
    PALETTE,
    App,
    log_slider,
    make_figure,
    readout,
    style_axes,
    text_width,
)
from .._text import cached_text
from ..optimizers._common import ipympl_workarounds, sticky_limits

__all__ = ["regularization_explorer", "learning_rate_explorer"]

WIDTHS = (2, 4, 8, 16, 32, 64)
LAMBDAS = (0.0, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1)
CAP = 1e6  # the largest loss drawn by the learning-rate explorer


def _choice_slider(description, options, value, tooltip):
    """A slider over a fixed list of values (labels shown as given).

    As wide as its label, a 150 px track and its longest readout, so the label never
    squeezes the track.
    """
    longest = max(text_width(f"{o:g}") for o in options)
    width = text_width(description) + 150 + longest + 20
    return W.SelectionSlider(options=options, value=value, description=description,
                             continuous_update=False, style={"description_width": "initial"},
                             tooltip=tooltip, layout=W.Layout(width=f"{max(320, width)}px"))


def _fit_verdict(history) -> str:
    """Under-, over- or a reasonable fit, from the accuracy gap and the validation loss."""
    train_acc, val_acc = history.train_acc[-1], history.val_acc[-1]
    best = int(np.argmin(history.val_loss))
    if train_acc < 0.75:
        return (f"underfitting: only {train_acc:.0%} of the training points are right "
                f"(more width or less λ)")
    if history.val_loss[-1] > 1.25 * history.val_loss[best] or train_acc - val_acc > 0.1:
        return (f"overfitting: validation loss was lowest at epoch {best + 1} "
                f"({history.val_loss[best]:.3f}) and ends at {history.val_loss[-1]:.3f} "
                f"(more λ or a smaller net)")
    return "a reasonable fit: small gap between training and validation"


class _RegularizationExplorer(App):
    def __init__(self, width, lam, num_epochs):
        if width not in WIDTHS:
            raise ValueError(f"width must be one of {WIDTHS}; got {width!r}")
        if lam not in LAMBDAS:
            raise ValueError(f"lam must be one of {LAMBDAS}; got {lam!r}")
        if num_epochs is None:
            num_epochs = 150 if fast_mode() else 500
        self.num_epochs = check_int(num_epochs, "num_epochs", minimum=2)
        self._cache = {}
        X, y, _, _ = spirals_prepared()
        fig, (ax_c, ax_b) = make_figure(1, 2, figsize=(9.0, 3.8))
        self.train_line, = ax_c.plot([], [], color=CYCLE[0], lw=2, label="training")
        self.val_line, = ax_c.plot([], [], color=CYCLE[1], lw=2, ls="--", label="validation")
        self.best = ax_c.axvline(1, color=PALETTE["grey"], ls=":", lw=1.5,
                                 label="lowest validation")
        ax_c.set_xlim(1, self.num_epochs)
        ax_c.set_ylim(0, 1.2)
        # under the axes: the curves move over the whole panel as λ and the width change
        ax_c.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3,
                    frameon=False, handlelength=1.8, columnspacing=1.0)
        style_axes(ax_c, "Loss per epoch", "epoch", "cross-entropy")
        colours = [PALETTE["blue"], PALETTE["orange"], PALETTE["green"]]
        labels, extent = np.zeros((2, 2), dtype=int), (-1, 1, -1, 1)
        self.regions = ax_b.imshow(labels, origin="lower", extent=extent, aspect="auto",
                                   cmap=ListedColormap(colours), vmin=-0.5, vmax=2.5,
                                   alpha=0.35, interpolation="nearest")
        self.points = [ax_b.scatter(X[y == c, 0], X[y == c, 1], s=22, color=colours[c],
                                    edgecolor="black", linewidth=0.5, zorder=3)
                       for c in range(3)]
        style_axes(ax_b, "Decision regions (training points)", "x1", "x2")
        self.ax_c, self.ax_b = ax_c, ax_b
        controls = {
            "lam": _choice_slider("L2 strength λ", LAMBDAS, lam,
                                  "weight decay: adds λW to every weight gradient"),
            "width": _choice_slider("hidden units per layer", WIDTHS, width,
                                    "the width of both hidden layers (capacity)"),
        }
        readouts = {"acc": readout(), "verdict": readout()}
        super().__init__(controls, fig, readouts, title="Regularisation on noisy spirals")
        self.update()
        # the points are redrawn over the new regions
        self.set_dynamic([self.train_line, self.val_line, self.best, self.regions,
                          *self.points])
        ipympl_workarounds(self)

    def trial(self):
        """The trained (model, history) for the current settings (trained once, then cached)."""
        key = (int(self.controls["width"].value), float(self.controls["lam"].value))
        if key not in self._cache:
            self._cache[key] = regularization_trial(width=key[0], lam=key[1],
                                                       num_epochs=self.num_epochs)
        return self._cache[key]

    def update(self):
        model, h = self.trial()
        X, y, X_val, _ = spirals_prepared()
        epochs = np.arange(1, len(h.train_loss) + 1)
        self.train_line.set_data(epochs, h.train_loss)
        self.val_line.set_data(epochs, h.val_loss)
        best = int(np.argmin(h.val_loss)) + 1
        self.best.set_xdata([best, best])
        top = max(max(h.train_loss), max(h.val_loss))
        sticky_limits(self.ax_c, 0.0, min(top, 4.0) * 1.05, slack=1.6, pad=0.0)
        labels, extent = class_grid(model, np.vstack([X, X_val]), resolution=100)
        self.regions.set_data(labels)
        self.regions.set_extent(extent)
        lam, width = self.controls["lam"].value, self.controls["width"].value
        weights = [p.data for name, p in model.named_parameters() if name.endswith("weight")]
        penalty = L.l2_penalty(weights, lam)
        self.set_readout("acc", f"accuracy: training {h.train_acc[-1]:.1%}, validation "
                         f"{h.val_acc[-1]:.1%};  final losses {h.train_loss[-1]:.3f} / "
                         f"{h.val_loss[-1]:.3f};  penalty λ/2·||W||² = {penalty:.4f}")
        verdict = _fit_verdict(h)
        self.set_readout("verdict", verdict)
        self.set_summary(f"Width {width}, λ = {lam:g}: training loss (solid) and validation "
                         f"loss (dashed) over {len(epochs)} epochs, and the class regions the "
                         f"trained net draws; {verdict}.")


def regularization_explorer(width: int = 32, lam: float = 0.0, num_epochs=None) -> App:
    """Choose the L2 strength λ and the width; see training/validation loss and the boundary.

    The net is ``MLP([2, width, width, 3])`` trained with Adam (weight decay λ) on 60 noisy
    spiral points, validated on 300 others (``dlcore.nn.regularization_trial``).
    ``num_epochs`` defaults to 500 (150 in fast mode).  Each setting trains once (well under a
    second) and is cached.
    """
    return _RegularizationExplorer(width, lam, num_epochs)


class _LearningRateExplorer(App):
    def __init__(self, lr, num_epochs):
        lr = check_positive(lr, "lr")
        if not 1e-6 <= lr <= 10:
            raise ValueError(f"lr must lie in [1e-6, 10] (the slider range); got {lr}")
        if num_epochs is None:
            num_epochs = 10 if fast_mode() else 20
        self.num_epochs = check_int(num_epochs, "num_epochs", minimum=2)
        self._cache = {}
        fig, ax = make_figure(1, 1, figsize=(6.4, 3.8))
        self.train_line, = ax.plot([], [], "o-", color=CYCLE[0], lw=2, ms=3,
                                   label="training loss")
        self.val_line, = ax.plot([], [], "s--", color=CYCLE[1], lw=2, ms=3,
                                 label="validation loss")
        self.cross, = ax.plot([], [], "x", color=PALETTE["vermillion"], ms=12, mew=3,
                              label="loss became NaN")
        self.note = cached_text(ax, 0.5, 0.92, "", transform=ax.transAxes, ha="center", fontsize=10)
        ax.set_yscale("log")
        ax.set_ylim(1e-3, 3 * CAP)  # one scale for every rate, so curves can be compared
        ax.set_xlim(0.5, self.num_epochs + 1.5)
        ax.legend(fontsize=8, loc="lower left")  # losses stay above 0.01: nothing lies here
        style_axes(ax, "Loss per epoch", "epoch", "cross-entropy (log scale)")
        self.ax = ax
        controls = {"lr": log_slider("learning rate η", lr, 1e-6, 10.0,
                                     tooltip="the step size of SGD, on a log scale")}
        controls["lr"].continuous_update = False
        super().__init__(controls, fig, {"verdict": readout()},
                         title="Learning rate: a two-layer net on digits")
        self.update()
        # fixed axes (one scale for every rate): a new rate redraws only the curves
        self.set_dynamic([self.train_line, self.val_line, self.cross, self.note])
        ipympl_workarounds(self)

    def history(self):
        """The History of the current learning rate (trained once, then cached)."""
        lr = float(f"{float(self.controls['lr'].value):.3g}")
        if lr not in self._cache:
            self._cache[lr] = lr_trial(lr, num_epochs=self.num_epochs)
        return lr, self._cache[lr]

    def update(self):
        lr, h = self.history()
        losses = np.asarray(h.train_loss, dtype=float)
        finite = losses[np.isfinite(losses)]
        val = np.asarray(h.val_loss, dtype=float)
        # Losses of a run that blows up reach 1e300; the plot stops at CAP so the axis can draw.
        self.train_line.set_data(np.arange(1, finite.size + 1), np.minimum(finite, CAP))
        self.val_line.set_data(np.arange(1, val.size + 1), np.minimum(val, CAP))
        verdict = loss_curve_verdict(h)
        if h.diverged:
            last = min(finite[-1], CAP) if finite.size else 2.3
            self.cross.set_data([finite.size + 1], [last])
            self.note.set_text(f"NaN in epoch {losses.size}")
        else:
            self.cross.set_data([], [])
            self.note.set_text("")
        acc = f"; validation accuracy {h.val_acc[-1]:.1%}" if h.val_acc else ""
        start = f"{finite[0]:.4g}" if finite.size else "NaN"
        end = "NaN" if h.diverged else f"{finite[-1]:.4g}"
        self.set_readout("verdict", f"η = {lr:.3g}: {verdict} (loss {start} -> {end} in "
                         f"{losses.size} epochs{acc})")
        self.set_summary(f"Training and validation loss per epoch at learning rate {lr:.3g}: "
                         f"the curve is {verdict}.")


def learning_rate_explorer(lr: float = 0.1, num_epochs=None) -> App:
    """Slide the learning rate from 1e-6 to 10; see a flat, a good or a diverging loss curve.

    The two-layer net of the IFT6758 slides, with 50 hidden units (here 64-50-10 on
    standardized digits), plain SGD with mini-batches of 100 (``dlcore.nn.lr_trial``);
    ``num_epochs`` defaults to 20 (10 in fast mode).
    """
    return _LearningRateExplorer(lr, num_epochs)
