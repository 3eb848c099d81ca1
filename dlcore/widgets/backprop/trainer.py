"""``moons_trainer``: width, learning rate, activation -> a net trained on the moons, live.

Shapes: X (N, 2), y (N,); the net maps (N, 2) to two class scores (N, 2).
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from ..._checks import check_choice, check_int, check_positive
from ...viz.mlp import region_grid
from .._base import (
    CMAP,
    PALETTE,
    App,
    button,
    dropdown,
    human,
    int_slider,
    log_slider,
    make_figure,
    readout,
    style_axes,
)
from .._text import cached_text
from ..mlp._common import keep_above, row, scatter_classes

__all__ = ["moons_trainer"]

_MAX_WIDTH = 64


class MoonsTrainer(App):
    def __init__(self, width, lr, activation, epochs_per_step, n_samples, noise, seed):
        from ...data import moons

        width = check_int(width, "width", minimum=1)
        if width > _MAX_WIDTH:
            raise ValueError(f"width must be in [1, {_MAX_WIDTH}]; got {width}")
        lr = check_positive(lr, "lr")
        if not 1e-3 <= lr <= 10:
            raise ValueError(f"lr must be in [0.001, 10]; got {lr}")
        check_choice(activation, "activation", ("tanh", "relu", "sigmoid"))
        epochs_per_step = check_int(epochs_per_step, "epochs_per_step", minimum=1)
        self.seed = check_int(seed, "seed", minimum=0)
        self.X, self.y = moons(n_samples, noise=noise, seed=self.seed)
        play = W.Play(value=0, min=0, max=10_000, interval=250, description="play",
                      tooltip="train one step every 250 ms")
        controls = {
            "width": int_slider("hidden units", width, 1, _MAX_WIDTH),
            "activation": dropdown("activation", ["tanh", "relu", "sigmoid"], value=activation),
            "lr": log_slider("learning rate η", lr, 1e-3, 10),
            "epochs": int_slider("epochs per step", epochs_per_step, 1, 100),
            "play": play,
            "step": button("train one step", icon="step-forward"),
            "reset": button("new initial weights", icon="undo"),
        }
        fig, (ax, ax_loss) = make_figure(1, 2, figsize=(9.6, 4.0))
        readouts = {"status": readout(), "plan": readout()}
        super().__init__(controls, fig, readouts, title="Training an MLP on the two moons",
                         observe=False)
        c = controls
        self.arrange([row(c["width"], c["activation"]), row(c["lr"], c["epochs"]),
                      row(c["play"], c["step"], c["reset"])])
        self.ax, self.ax_loss = ax, ax_loss
        controls["width"].observe(self._on_reset, names="value")
        controls["activation"].observe(self._on_reset, names="value")
        controls["play"].observe(self._on_play, names="value")
        # The learning rate and the epochs act at the next step; the readout says so now.
        controls["lr"].observe(self._show_plan, names="value")
        controls["epochs"].observe(self._show_plan, names="value")
        controls["step"].on_click(lambda _b: self.train_step())
        controls["reset"].on_click(self._on_reset)
        self._xx, self._yy, self._grid = region_grid(self.X, 70)
        ext = (self._xx.min(), self._xx.max(), self._yy.min(), self._yy.max())
        self.img = ax.imshow(np.full(self._xx.shape, 0.5), origin="lower", extent=ext,
                             cmap=CMAP, alpha=0.45, vmin=0, vmax=1, aspect="auto",
                             interpolation="nearest",
                             interpolation_stage="data")
        scatter_classes(ax, self.X, self.y, ext, size=16)
        (self.l_loss,) = ax_loss.plot([], [], color=PALETTE["vermillion"])
        self.hint = cached_text(ax_loss, 0.5, 0.5,
                                "no training yet:\npress 'train one step' or play",
                                transform=ax_loss.transAxes, ha="center", va="center",
                                fontsize=9, color=PALETTE["grey"])
        ax_loss.set_xlim(0, 100)
        ax_loss.set_ylim(0, 1)
        style_axes(ax_loss, "Training loss", "epoch", "cross-entropy loss")
        # A step (or a new net) changes the shading, the title and the loss curve: those (and
        # the points over the shading) are redrawn on the cached axes, which change only when
        # the curve outgrows them (the epoch axis doubles).
        self.set_dynamic(keep_above(ax, [self.img], outside=[ax.get_legend()])
                         + [ax.title, self.l_loss, self.hint])
        self._restarts = 0
        self._show_plan()
        self.reset()

    def reset(self) -> None:
        from ...nn import MLP

        c = self.controls
        self.model = MLP([2, c["width"].value, 2], activation=c["activation"].value,
                         rng=self.seed + self._restarts)
        self.losses: list[float] = []
        self.diverged = False
        self._rng = np.random.default_rng(self.seed)
        self.ax_loss.set_xlim(0, 100)
        self.ax_loss.set_ylim(0, 1)
        self.update()

    def _on_reset(self, _change=None) -> None:
        self._restarts += 1 if isinstance(_change, W.Button) else 0
        self.reset()
        self.redraw()

    def _show_plan(self, _change=None) -> None:
        c = self.controls
        self.set_readout("plan", f"Each step: {c['epochs'].value} epochs of full-batch gradient "
                                 f"descent with learning rate η = {human(c['lr'].value)}.")

    def _on_play(self, change) -> None:
        if change["new"] > change["old"]:  # a tick forward; rewinding the player trains nothing
            self.train_step()

    def train_step(self) -> None:
        """Train ``epochs per step`` epochs of full-batch gradient descent with ``dl.nn.fit``."""
        from ...nn import fit

        if self.diverged:
            self.controls["play"].playing = False
            return
        c = self.controls
        hist = fit(self.model, self.X, self.y, loss="cross_entropy", lr=c["lr"].value,
                   num_epochs=c["epochs"].value, progress=False, rng=self._rng)
        self.losses.extend(v for v in hist.train_loss if np.isfinite(v))
        self.diverged = hist.diverged
        if self.diverged:
            self.controls["play"].playing = False
        self.update()
        self.redraw()

    def update(self) -> None:
        from ...activations import softmax
        from ...nn import accuracy, predict

        if not self.diverged:
            scores = predict(self.model, self._grid, labels=False)
            self.img.set_array(softmax(scores, axis=1)[:, 1].reshape(self._xx.shape))
        epochs = len(self.losses)
        self.l_loss.set_data(np.arange(1, epochs + 1), self.losses)
        self.hint.set_visible(not epochs)
        if epochs:
            right = self.ax_loss.get_xlim()[1]
            while right < epochs:
                right *= 2
            top = self.ax_loss.get_ylim()[1]
            if max(self.losses) > top:
                top = max(self.losses) * 1.2
            self.ax_loss.set_xlim(0, right)
            self.ax_loss.set_ylim(0, top)
        for name in ("step", "play"):
            control = self.controls[name]
            control.disabled = self.diverged
            control.tooltip = ("training diverged: lower the learning rate and press 'new "
                               "initial weights'" if self.diverged else
                               ("train one step" if name == "step" else
                                "train one step every 250 ms"))
        acc = accuracy(self.model, self.X, self.y) if not self.diverged else float("nan")
        w, act = self.controls["width"].value, self.controls["activation"].value
        self.ax.set_title(f"2-{w}-2 {act} net after {epochs} epochs", fontsize=10)
        if self.diverged:
            status = (f"Training diverged after {epochs} epochs (the loss overflowed): lower the "
                      f"learning rate and press 'new initial weights'.")
        elif epochs:
            status = (f"Epoch {epochs}: loss {self.losses[-1]:.4f}, training accuracy "
                      f"{acc:.1%}.")
        else:
            status = f"Untrained: accuracy {acc:.1%}. Press 'train one step' or play."
        self.set_readout("status", status)
        self.set_summary(f"Left: P(class 1) of the 2-{w}-2 {act} network over the moons (yellow "
                         f"= class 1). Right: training loss per epoch. {status}")


def moons_trainer(width: int = 16, lr: float = 0.5, activation: str = "tanh",
                  epochs_per_step: int = 20, n_samples: int = 200, noise: float = 0.2,
                  seed: int = 0) -> MoonsTrainer:
    """Train ``nn.MLP([2, width, 2])`` on ``data.moons`` step by step and watch it learn.

    Each step runs ``nn.fit`` for ``epochs_per_step`` epochs of full-batch gradient descent
    (cross-entropy, learning rate ``lr``); play repeats steps.  Changing the width or the
    activation restarts from fresh weights.
    """
    return MoonsTrainer(width, lr, activation, epochs_per_step, n_samples, noise, seed)
