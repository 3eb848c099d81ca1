"""``long_lag_recall``: train small RNN, LSTM and GRU models on "remember the first symbol"
and compare their loss and accuracy curves.

Shape legend: X (N, T, K + 1) one-hot symbols plus a marker channel, y (N,) in [0, K); hidden
size H; models ``Sequential(cell(K + 1, H), LastStep(), Linear(H, K))``, trained by
``dlcore.nn.train_recall``.
"""

from __future__ import annotations

import time

import numpy as np

from ...nn.experiments import RECALL_SYMBOLS as _K
from ...nn.experiments import train_recall
from .._base import (
    PALETTE,
    App,
    button,
    dropdown,
    int_slider,
    make_figure,
    readout,
    slider,
    style_axes,
)
from ..sequences._common import NARROW_PX, choice, control_rows, in_range, real_in_range

__all__ = ["long_lag_recall"]

# label -> (module, whether the gate-bias initialisation is applied)
CELLS = {
    "vanilla RNN (tanh)": ("rnn", False),
    "LSTM, default init (forget bias ≈ 0)": ("lstm", False),
    "LSTM, forget bias +b, input bias −b": ("lstm", True),
    "GRU, default init": ("gru", False),
    "GRU, update bias +b": ("gru", True),
}
_COLOURS = {"rnn": PALETTE["vermillion"], "lstm": PALETTE["blue"], "gru": PALETTE["green"]}
_MAX_RUNS = 8
_BIAS_TIP = "used by the '+b' cells: f = σ(b) at the start"
_BIAS_OFF_TIP = "only the '+b' cells (LSTM forget bias +b, GRU update bias +b) use the gate bias"


class LongLagRecall(App):
    """Left: training loss per epoch of every run; right: validation accuracy, with chance."""

    def __init__(self, cell="LSTM, forget bias +b, input bias −b", lag=40, gate_bias=3.5,
                 curves=None, n_train=400, num_epochs=12, seed=0):
        cell = choice(cell, "cell", CELLS)
        self._train_kw = dict(n_train=in_range(n_train, "n_train", 20, 5000),
                              num_epochs=in_range(num_epochs, "num_epochs", 1, 200), seed=seed)
        controls = {
            "cell": dropdown("cell", list(CELLS), cell, tooltip="the recurrent layer to train"),
            "lag": int_slider("lag T (steps to remember)", in_range(lag, "lag", 5, 80), 5, 80,
                              step=5, tooltip="length of the sequence after the first symbol"),
            "bias": slider("gate bias b", real_in_range(gate_bias, "gate_bias", 0.0, 6.0), 0.0,
                           6.0, 0.1, tooltip=_BIAS_TIP),
            "train": button("train", tooltip="train this cell on this lag (about a second)"),
            "clear": button("clear", tooltip="remove every curve"),
        }
        fig, (ax_l, ax_a) = make_figure(1, 2, figsize=(9.4, 3.6))
        self.ax_loss, self.ax_acc = ax_l, ax_a
        self.loss_lines = [ax_l.plot([], [], lw=1.8)[0] for _ in range(_MAX_RUNS)]
        self.acc_lines = [ax_a.plot([], [], lw=1.8)[0] for _ in range(_MAX_RUNS)]
        ax_l.axhline(np.log(_K), color=PALETTE["grey"], ls="--", lw=1, label="chance: ln 4")
        ax_a.axhline(1 / _K, color=PALETTE["grey"], ls="--", lw=1, label="chance: 1/4")
        style_axes(ax_l, "Training loss", "epoch", "cross-entropy")
        style_axes(ax_a, "Validation accuracy", "epoch", "accuracy")
        ax_a.set_ylim(0, 1.05)
        self._chance = [line for ax in (ax_l, ax_a) for line in ax.get_lines()[-1:]]
        readouts = {"status": readout(), "runs": readout()}
        super().__init__(controls, fig, readouts, title="Long-lag recall: which cell remembers?",
                         observe=False)
        control_rows(self, ["cell", "lag"], ["bias", "train", "clear"])
        # The lag and the bias only matter for the next run: the plot does not change.
        controls["cell"].observe(lambda _change: self._sync_bias(), names="value")
        self._sync_bias()
        controls["train"].on_click(lambda _b: self.train())
        controls["clear"].on_click(lambda _b: self.clear())
        self.runs: dict[str, dict] = {}
        for label, hist in (curves or {}).items():
            self.add_curve(label, hist)
        self.set_readout("status", "choose a cell and a lag, then press train")
        self.update()

    def _sync_bias(self) -> None:
        """The gate bias slider is live only for the cells that use it."""
        biased = CELLS[self.controls["cell"].value][1]
        self.controls["bias"].disabled = not biased
        self.controls["bias"].tooltip = _BIAS_TIP if biased else _BIAS_OFF_TIP

    def add_curve(self, label: str, history, kind: str | None = None) -> None:
        """Show a finished run: a ``dlcore.nn.History`` or a dict with "train_loss" and
        "val_acc" (or "train_acc") lists."""
        data = history.as_dict() if hasattr(history, "as_dict") else dict(history)
        if "train_loss" not in data:
            raise ValueError(f"curves[{label!r}] needs a 'train_loss' list (a dlcore.nn.History "
                             f"or a dict); got keys {sorted(data)}")
        acc = data.get("val_acc") or data.get("train_acc") or []
        if kind is None:
            low = label.lower()
            kind = "lstm" if "lstm" in low else "gru" if "gru" in low else "rnn"
        if label not in self.runs and len(self.runs) >= _MAX_RUNS:
            self.runs.pop(next(iter(self.runs)))
        self.runs[label] = {"loss": list(data["train_loss"]), "acc": list(acc), "kind": kind}

    def _legend(self) -> None:
        """One key for both panels, under them (the runs' lines are the same in both)."""
        for old in list(self.fig.legends):
            old.remove()
        runs = [line for line in self.loss_lines if line.get_visible()]
        narrow = 0 < self._width < NARROW_PX
        self.fig.legend(handles=self._chance[:1] + runs, loc="outside lower center",
                        ncol=2 if narrow else 3, fontsize=8,
                        labels=["chance (ln 4, 1/4)"] + [ln.get_label() for ln in runs])

    def fit(self, width: int) -> None:
        super().fit(width)
        if width and width >= 100:
            self._legend()

    def train(self) -> None:
        """Train the chosen cell on the chosen lag (cached: the same choice is not retrained)."""
        c = self.controls
        kind, biased = CELLS[c["cell"].value]
        b = c["bias"].value if biased else 0.0
        label = f"{c['cell'].value.split(',')[0]}" + (f", b = {b:.1f}" if biased else
                                                      ("" if kind == "rnn" else ", default"))
        label += f", T = {c['lag'].value}"
        if label not in self.runs:
            start = time.perf_counter()
            hist = train_recall(kind, c["lag"].value, b, **self._train_kw)
            self.add_curve(label, hist, kind)
            seconds = time.perf_counter() - start
            self.set_readout("status", f"trained {label} in {seconds:.1f} s "
                                       f"({self._train_kw['num_epochs']} epochs)")
        else:
            self.set_readout("status", f"{label} is already shown")
        self.update()
        self.relayout()  # the key under the plots grows

    def clear(self) -> None:
        self.runs.clear()
        self.set_readout("status", "cleared")
        self.update()
        self.relayout()

    def update(self) -> None:
        styles = ["-", "--", ":", "-."]
        per_kind: dict[str, int] = {}
        labels = list(self.runs)
        for j in range(_MAX_RUNS):
            ll, la = self.loss_lines[j], self.acc_lines[j]
            if j >= len(labels):
                for line in (ll, la):
                    line.set_data([], [])
                    line.set_visible(False)
                    line.set_label("_hidden")
                continue
            run = self.runs[labels[j]]
            n = per_kind.get(run["kind"], 0)
            per_kind[run["kind"]] = n + 1
            for line, ys in ((ll, run["loss"]), (la, run["acc"])):
                line.set_data(np.arange(1, len(ys) + 1), ys)
                line.set_visible(True)
                line.set_color(_COLOURS[run["kind"]])
                line.set_linestyle(styles[n % len(styles)])
                line.set_label(labels[j])
        epochs = max([len(r["loss"]) for r in self.runs.values()] + [10])
        top = max([max(r["loss"]) for r in self.runs.values() if r["loss"]] + [np.log(_K)])
        self.ax_loss.set_xlim(0.5, epochs + 0.5)
        self.ax_acc.set_xlim(0.5, epochs + 0.5)
        self.ax_loss.set_ylim(0, 1.1 * top)
        self._legend()
        finals = [f"{lab}: accuracy {r['acc'][-1]:.2f}" for lab, r in self.runs.items()
                  if r["acc"]]
        self.set_readout("runs", "; ".join(finals) if finals else "no run yet")
        if finals:
            self.set_summary(f"{len(finals)} run(s) on remembering the first of T symbols; final "
                             f"accuracies: " + "; ".join(finals) + " (chance 0.25).")
        else:
            self.set_summary("No curves yet: pick a cell and a lag and press train; chance "
                             "accuracy is 0.25.")


def long_lag_recall(cell: str = "LSTM, forget bias +b, input bias −b", lag: int = 40,
                    gate_bias: float = 3.5, curves=None, n_train: int = 400,
                    num_epochs: int = 12, seed: int = 0) -> LongLagRecall:
    """Cell choice (RNN, LSTM or GRU, with or without the gate-bias initialisation), lag T and
    a "train" button -> loss and accuracy curves on remembering the first symbol
    (``dlcore.data.first_symbol_task``), trained with ``dlcore.nn.fit`` and Adam in about a
    second.

    ``curves``: finished runs to show from the start, {label: History}, e.g. the notebook's
    RNN-vs-LSTM demonstration.  ``n_train`` and ``num_epochs`` set the size of each training
    run.
    """
    return LongLagRecall(cell=cell, lag=lag, gate_bias=gate_bias, curves=curves,
                         n_train=n_train, num_epochs=num_epochs, seed=seed)
