"""``freeze_explorer``: freeze or unfreeze the conv layers, retrain briefly, compare the curves.

Shapes: the task's few labelled digits 5-9 (N, 1, 8, 8) and every test digit 5-9.  Training
is ``dl.optim.transfer_run`` (the lecture's CNN, Adam, batches of 32, seeded); the
pre-trained weights come from ``dl.optim.pretrain`` (digits 0-4) unless given.  The last four
runs stay on the plot, so settings can be compared.
"""

from __future__ import annotations

import numpy as np

from ..._checks import check_int
from ...optim.practice import CONV_LAYERS, pretrain, transfer_run, transfer_task
from ...optim.training import trainable_parameters
from .._base import CYCLE, App, button, checkbox, int_slider, make_figure, readout, style_axes
from ..optimizers._common import ipympl_workarounds

__all__ = ["freeze_explorer"]

_KEEP = 4


class _FreezeExplorer(App):
    def __init__(self, pretrained, per_class, num_epochs, seed):
        self.pretrained = pretrained
        self.seed = seed
        self.runs: list[tuple[str, list]] = []
        self.task = transfer_task(per_class, seed=seed)
        fig, ax = make_figure(1, 1, figsize=(7.0, 3.6))
        self.lines = [ax.plot([], [], color=CYCLE[k], lw=2, label=" ")[0] for k in range(_KEEP)]
        style_axes(ax, "Test accuracy on the digits 5-9 while retraining", "epoch",
                   "test accuracy")
        ax.set_ylim(0, 1.02)
        ax.grid(alpha=0.3)
        self.ax = ax
        controls = {
            "pretrained": checkbox("start from the weights learned on 0-4", True,
                                   tooltip="off: random starting weights (training from "
                                           "scratch)"),
            "conv1": checkbox("freeze conv1", True, tooltip="keep the first conv layer's "
                                                            "weights fixed"),
            "conv2": checkbox("freeze conv2", True, tooltip="keep the second conv layer's "
                                                            "weights fixed"),
            "epochs": int_slider("epochs", num_epochs, 5, 100, 5,
                                 tooltip="passes over the few labelled images"),
            "train": button("retrain", icon="play", tooltip="train a fresh network with these "
                                                            "settings and add its curve"),
            "clear": button("clear the plot", tooltip="remove the curves"),
        }
        controls["train"].on_click(self._train)
        controls["clear"].on_click(self._clear)
        readouts = {"run": readout(), "params": readout()}
        super().__init__(controls, fig, readouts, observe=False,
                         title="Transfer learning: which layers learn?")
        for key in ("pretrained", "conv1", "conv2"):
            controls[key].observe(lambda _change: self._describe(), names="value")
        self._describe()
        self.update()
        ipympl_workarounds(self)

    def settings(self) -> tuple[bool, list]:
        c = self.controls
        return bool(c["pretrained"].value), [n for n in CONV_LAYERS if c[n].value]

    def _label(self) -> str:
        start, frozen = self.settings()
        where = "pre-trained" if start else "random"
        what = f"{' and '.join(frozen)} frozen" if frozen else "all layers learn"
        return f"{where} start, {what}"

    def _describe(self):
        start, frozen = self.settings()
        from ...optim.practice import digits_cnn

        model = digits_cnn(5, rng=0)
        n_train = sum(p.size for p in trainable_parameters(model, frozen))
        n_all = model.num_parameters()
        note = ("" if start or not frozen else
                " Frozen random filters never learn: the head must work with random features.")
        self.set_readout("params", f"Next run: {self._label()}; {n_train:,} of {n_all:,} "
                                   f"parameters learn.{note}")

    def _train(self, _button=None):
        start, frozen = self.settings()
        button_ = self.controls["train"]
        button_.disabled = True
        self.set_readout("run", "training...")
        try:
            _, hist = transfer_run(self.task, self.pretrained, from_pretrained=start,
                                   frozen=frozen, num_epochs=int(self.controls["epochs"].value),
                                   seed=self.seed)
        finally:
            button_.disabled = False
        self.runs = (self.runs + [(self._label(), hist.val_acc)])[-_KEEP:]
        self.set_readout("run", f"{self._label()}: test accuracy {hist.val_acc[-1]:.1%} after "
                                f"{len(hist.val_acc)} epochs (best {max(hist.val_acc):.1%}), "
                                f"{hist.seconds:.1f} s.")
        self.update()
        self.redraw(full=True)

    def _clear(self, _button=None):
        self.runs = []
        self.set_readout("run", "")
        self.update()
        self.redraw(full=True)

    def update(self):
        longest = 5
        for k, line in enumerate(self.lines):
            if k < len(self.runs):
                label, acc = self.runs[k]
                line.set_data(np.arange(1, len(acc) + 1), acc)
                line.set_label(f"{label}: {acc[-1]:.1%}")
                line.set_visible(True)
                longest = max(longest, len(acc))
            else:
                line.set_data([], [])
                line.set_visible(False)
        self.ax.set_xlim(0, longest + 1)
        shown = [ln for ln in self.lines if ln.get_visible()]
        legend = self.ax.get_legend()
        if legend is not None:
            legend.remove()
        if shown:
            self.ax.legend(handles=shown, fontsize=8, loc="lower right")
        n = self.task.per_class
        self.set_summary(f"{len(self.runs)} run(s) on {5 * n} labelled digits 5-9 ({n} of "
                         f"each), tested on the {len(self.task.y_test)} test digits 5-9"
                         + (": " + "; ".join(f"{lab} {acc[-1]:.1%}" for lab, acc in self.runs)
                            if self.runs else "; press retrain to add a curve."))


def freeze_explorer(pretrained=None, per_class: int = 5, num_epochs: int = 30,
                    seed: int = 0) -> App:
    """Check boxes choose the starting weights (learned on digits 0-4, or random) and which
    conv layers stay frozen; *retrain* trains a fresh network on ``per_class`` labelled
    examples of each digit 5-9 and adds its test-accuracy curve (the last four stay).

    ``pretrained``: the weights learned on 0-4 (``dl.optim.pretrain()[0]``); by default they
    are computed (and cached) when the widget opens.
    """
    per_class = check_int(per_class, "per_class", minimum=1)
    if per_class > 100:
        raise ValueError(f"per_class must lie in [1, 100]; got {per_class}")
    num_epochs = check_int(num_epochs, "num_epochs", minimum=5)
    if num_epochs > 100:
        raise ValueError(f"num_epochs must lie in [5, 100] (the slider range); got "
                         f"{num_epochs}")
    if pretrained is None:
        pretrained = pretrain()[0]
    missing = [f"{n}.weight" for n in CONV_LAYERS if f"{n}.weight" not in pretrained]
    if missing:
        raise ValueError(f"pretrained must be the state_dict of the lecture's CNN (from "
                         f"dl.optim.pretrain()[0]); it has no {', '.join(missing)}")
    return _FreezeExplorer(pretrained, per_class, num_epochs, check_int(seed, "seed",
                                                                           minimum=0))
