"""``deep_toy_stepper``: step through the word "deep" and watch the softmax and the per-step
cross-entropy of a small character RNN.

Shape legend: V = 4 symbols {d, e, p, <stop>}, T = 4 steps, H hidden units; x (1, T, V),
hidden states hs (1, T, H), logits (T, V); W_ih (H, V), W_hh (H, H), b (H,), W_hy (V, H),
c (V,).
"""

from __future__ import annotations

import numpy as np

from ... import activations, layers, losses, recurrent
from ...data.sequences import deep_toy
from .._base import PALETTE, App, dropdown, make_figure, play_controls, readout, style_axes
from .._text import cached_text
from ._common import FullFrames, choice, control_rows, in_range

__all__ = ["deep_toy_stepper"]

_STAGES = {"random weights (untrained)": 0, "after 10 gradient steps": 10,
           "after 40 gradient steps": 40, "after 200 gradient steps": 200}


def init_deep_toy(hidden: int = 8, seed: int = 0) -> dict[str, np.ndarray]:
    """Seeded weights of the toy: the lecture gives no numbers, so the course picks its own."""
    rng = np.random.default_rng(seed)
    return {"w_ih": rng.normal(0.0, 0.6, (hidden, 4)),
            "w_hh": rng.normal(0.0, 0.6 / np.sqrt(hidden), (hidden, hidden)),
            "b": np.zeros(hidden), "w_hy": rng.normal(0.0, 0.6, (4, hidden)), "c": np.zeros(4)}


def deep_toy_forward(params, x):
    """Per-step softmax outputs (T, V), logits (T, V) and caches of the toy RNN on x (1, T, V)."""
    hs, rnn_cache = recurrent.rnn_forward(x, None, params["w_ih"], params["w_hh"], params["b"])
    logits, lin_cache = layers.linear_forward(hs[0], params["w_hy"], params["c"])
    return activations.softmax(logits), logits, (rnn_cache, lin_cache)


def deep_toy_snapshots(stages, hidden: int = 8, lr: float = 0.5, seed: int = 0):
    """Weights after each number of full-batch gradient steps in ``stages`` on the summed loss
    L = sum_t -log y_hat[t, c_t].  Returns {steps: params}."""
    _, x, targets = deep_toy()
    params = init_deep_toy(hidden, seed)
    T = len(targets)
    out = {}
    for step in range(max(stages) + 1):
        if step in stages:
            out[step] = {k: v.copy() for k, v in params.items()}
        _, logits, (rnn_cache, lin_cache) = deep_toy_forward(params, x)
        _, ce_cache = losses.softmax_cross_entropy_forward(logits, targets)
        dlogits = losses.softmax_cross_entropy_backward(float(T), ce_cache)  # sum, not mean
        dh, dw_hy, dc = layers.linear_backward(dlogits, lin_cache)
        _, _, dw_ih, dw_hh, db, _ = recurrent.rnn_backward(dh[None], rnn_cache)
        for name, grad in (("w_ih", dw_ih), ("w_hh", dw_hh), ("b", db), ("w_hy", dw_hy),
                           ("c", dc)):
            params[name] -= lr * grad
    return out


class DeepToyStepper(FullFrames, App):
    """Left: the softmax over {d, e, p, <stop>} at step t with the true next character marked;
    right: the per-step losses -log y_hat[t, c_t] so far and their sum."""

    def __init__(self, stage="random weights (untrained)", t=1, hidden=8, seed=0):
        stage = choice(stage, "stage", _STAGES)
        t = in_range(t, "t", 1, 4)
        self.vocab, self.x, self.targets = deep_toy()
        self._snapshots = deep_toy_snapshots(set(_STAGES.values()), hidden=hidden, seed=seed)
        play, step = play_controls(4, interval_ms=900, description="time step t")
        step.min, play.min = 1, 1
        step.value = t
        self._play = play
        controls = {
            "stage": dropdown("weights", list(_STAGES), stage,
                              tooltip="the course's own seeded weights, before or after training"),
            "play": play,
            "t": step,
        }
        fig, (ax_p, ax_l) = make_figure(1, 2, figsize=(9.0, 3.6))
        self.ax_p, self.ax_l = ax_p, ax_l
        names = list(self.vocab.symbols)
        self.bars_p = ax_p.bar(range(4), np.zeros(4), color=PALETTE["blue"])
        ax_p.set_xticks(range(4), names)
        ax_p.set_ylim(0, 1.05)
        style_axes(ax_p, "", "next character", "softmax probability ŷ_t")
        self.bars_l = ax_l.bar(range(1, 5), np.zeros(4), color=PALETTE["vermillion"])
        ax_l.set_xticks(range(1, 5), [f"t={k}" for k in range(1, 5)])
        style_axes(ax_l, "", "time step", "loss L_t = −log ŷ_(t, c_t)")
        self.total_text = cached_text(ax_l, 0.02, 0.95, "", transform=ax_l.transAxes, va="top",
                                      fontsize=9)
        ax_l.set_title("per-step cross-entropy")
        readouts = {"step": readout(), "loss": readout()}
        super().__init__(controls, fig, readouts, title='Auto-completion toy: "deep"')
        control_rows(self, ["stage"], ["play", "t"])
        # A step redraws only the bars and the texts on a cached background (blitting).
        self.set_dynamic(list(self.bars_p) + list(self.bars_l)
                         + [ax_p.title, self.total_text])
        self.update()

    def _on_change(self, change=None) -> None:
        if change is not None and change.get("owner") is self._play:
            return
        super()._on_change(change)

    def probabilities(self) -> np.ndarray:
        """ŷ (T, V) for the chosen weights."""
        params = self._snapshots[_STAGES[self.controls["stage"].value]]
        return deep_toy_forward(params, self.x)[0]

    def update(self) -> None:
        probs = self.probabilities()
        t = self.controls["t"].value
        k = t - 1
        names = self.vocab.symbols
        target = int(self.targets[k])
        for j, bar in enumerate(self.bars_p):
            bar.set_height(probs[k, j])
            bar.set_color(PALETTE["orange"] if j == target else PALETTE["blue"])
        step_losses = -np.log(probs[np.arange(4), self.targets])
        for j, bar in enumerate(self.bars_l):
            bar.set_height(step_losses[j] if j <= k else 0.0)
            bar.set_alpha(1.0 if j == k else 0.55)
        self.ax_l.set_ylim(0, max(3.0, float(step_losses.max()) * 1.15))
        so_far = float(step_losses[:t].sum())
        inp = names[int(np.argmax(self.x[0, k]))]
        self.ax_p.set_title(f"t = {t}: input '{inp}', true next '{names[target]}' (orange)")
        self.total_text.set_text(f"L = Σ L_t so far = {so_far:.3f}")
        probs_text = ", ".join(f"{names[j]}: {probs[k, j]:.3f}" for j in range(4))
        self.set_readout("step", f"t = {t}: read '{inp}', ŷ_{t} = ({probs_text}); the true next "
                                 f"character is '{names[target]}'")
        note = (" The input 'e' comes twice with different answers (e, then p): only the "
                "hidden state can tell the two apart." if t in (2, 3) else "")
        self.set_readout("loss", f"L_{t} = −log ŷ_({t}, {names[target]}) = "
                                 f"{step_losses[k]:.3f}; total so far L = {so_far:.3f} "
                                 f"(the whole word: {float(step_losses.sum()):.3f}).{note}")
        self.set_summary(f"Step {t} of 'deep': the model gives the true next character "
                         f"'{names[target]}' probability {probs[k, target]:.3f}, a loss of "
                         f"{step_losses[k]:.3f}; the summed loss so far is {so_far:.3f}.")


def deep_toy_stepper(stage: str = "random weights (untrained)", t: int = 1, hidden: int = 8,
                     seed: int = 0) -> DeepToyStepper:
    """Step through "deep" over the vocabulary {d, e, p, <stop>} -> softmax bars of y_hat_t and
    the per-step loss L_t = -log y_hat[t, c_t], summed into L.

    ``stage`` chooses the course's own seeded weights before training or after 10, 40 or 200
    full-batch gradient steps on L (``dlcore.recurrent``, ``layers``, ``losses``).
    """
    return DeepToyStepper(stage=stage, t=t, hidden=hidden, seed=seed)
