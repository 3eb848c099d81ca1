"""``bptt_terms``: the explicit and implicit terms of dL_t/dW_hh, and which of them k-step
truncation per loss keeps.

Shape legend: N = 1 sequence, T time steps, D input features, H hidden units, K classes;
x (1, T, D), hidden states (1, H), W_ih (H, D), W_hh (H, H), W_hy (K, H).  Time steps are shown
1-based (h_1 ... h_T, with h_0 the initial state), as in the lecture's L_4 example.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Patch

from ... import activations, recurrent
from .._base import PALETTE, App, int_slider, make_figure, readout, style_axes
from ._common import in_range, sci, two_columns

__all__ = ["bptt_terms"]

_T_TERMS = 10


def toy_rnn(seed: int = 0, D: int = 3, H: int = 4, K: int = 3, T: int = _T_TERMS,
            radius: float = 0.9):
    """A small seeded RNN with a softmax read-out, recurrent weights of spectral norm
    ``radius`` and a fixed nonzero start state: returns (x (1, T, D), h0 (1, H), w_ih (H, D),
    w_hh (H, H), b (H,), w_hy (K, H), targets (T,))."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((H, H)))
    w_hh = radius * q
    w_ih = rng.standard_normal((H, D)) / np.sqrt(D)
    b = 0.1 * rng.standard_normal(H)
    w_hy = rng.standard_normal((K, H))
    x = rng.standard_normal((1, T, D))
    targets = rng.integers(0, K, size=T)
    h0 = 0.5 * rng.standard_normal((1, H))
    return x, h0, w_ih, w_hh, b, w_hy, targets


def loss_grad_on_h(hs, w_hy, targets, t: int) -> np.ndarray:
    """dL_t/dh_t = (ŷ_t - y_t) W_hy for the per-step cross-entropy; hs (1, T, H) -> (1, T, H),
    zero except at step t (0-based)."""
    y_hat = activations.softmax(hs[:, t] @ w_hy.T)
    y_hat[0, targets[t]] -= 1.0
    dhs = np.zeros_like(hs)
    dhs[:, t] = y_hat @ w_hy
    return dhs


def bptt_term_grads(x, h0, w_ih, w_hh, b, dhs, t: int) -> list[np.ndarray]:
    """The terms of dL_t/dW_hh = sum_{k<=t} dL_t/dh_t (dh_t/dh_k) d+h_k/dW_hh, one per k <= t.

    Each term is the difference of two truncated BPTTs (``recurrent.rnn_backward(...,
    truncate=m)`` keeps the terms k > t - m): term k = window (t - k + 1) minus window (t - k).
    Returns a list of (H, H) arrays, index k = 0..t (0-based steps).
    """
    _, cache = recurrent.rnn_forward(x, h0, w_ih, w_hh, b)
    windows = [np.zeros_like(w_hh)]
    for m in range(1, t + 2):
        windows.append(recurrent.rnn_backward(dhs, cache, truncate=m)[3])
    return [windows[t - k + 1] - windows[t - k] for k in range(t + 1)]


class BPTTTerms(App):
    """Bars: the size of each term of dL_t/dW_hh, explicit (k = t) and implicit (k < t), and
    which of them k-step truncation per loss keeps."""

    def __init__(self, T=8, t=8, window=None, seed=0):
        T = in_range(T, "T", 2, _T_TERMS)
        t = in_range(t, "t", 1, T)
        window = T if window is None else in_range(window, "window", 1, T)
        self._model = toy_rnn(seed)
        controls = {
            "T": int_slider("sequence length T", T, 2, _T_TERMS, tooltip="time steps"),
            "t": int_slider("loss term L_t: t", t, 1, T,
                            tooltip="which step's loss to differentiate"),
            "window": int_slider("window per loss (steps)", window, 1, T,
                                 tooltip="truncation per loss: L_t keeps the terms of the "
                                         "steps k > t − window"),
        }
        fig, ax = make_figure(1, 1, figsize=(7.4, 3.8))
        self.ax = ax
        self.bars = ax.bar(np.arange(1, _T_TERMS + 1), np.ones(_T_TERMS), width=0.7,
                           color=PALETTE["blue"], edgecolor=PALETTE["black"])
        ax.set_yscale("log", nonpositive="clip")
        self.zero_marks = [ax.text(k, 0, "0", ha="center", va="bottom", fontsize=8,
                                   color=PALETTE["grey"], transform=ax.get_xaxis_transform())
                           for k in range(1, _T_TERMS + 1)]
        style_axes(ax, "", "step k of the term ∂L_t/∂h_t · ∂h_t/∂h_k · ∂⁺h_k/∂W_hh",
                   "size of the term (Frobenius norm)")
        ax.legend(handles=[Patch(color=PALETTE["orange"], label="explicit (k = t)"),
                           Patch(color=PALETTE["blue"], label="implicit (k < t)"),
                           Patch(facecolor="white", edgecolor=PALETTE["grey"], hatch="//",
                                 label="dropped by truncation")],
                  loc="upper left", fontsize=8)
        readouts = {"formula": readout(), "terms": readout(), "check": readout()}
        super().__init__(controls, fig, readouts, title="BPTT: explicit and implicit terms")
        two_columns(self, ["T", "t"], ["window"])
        self.terms: list[np.ndarray] = []
        self.update()

    def _on_change(self, change=None) -> None:
        c = self.controls
        T = c["T"].value
        c["t"].max = T
        c["window"].max = T
        super()._on_change(change)

    def update(self) -> None:
        c = self.controls
        T, t1, window = c["T"].value, c["t"].value, c["window"].value
        t = t1 - 1  # 0-based
        x, h0, w_ih, w_hh, b, w_hy, targets = self._model
        x = x[:, :T]
        hs, cache = recurrent.rnn_forward(x, h0, w_ih, w_hh, b)
        dhs = loss_grad_on_h(hs, w_hy, targets, t)
        self.terms = bptt_term_grads(x, h0, w_ih, w_hh, b, dhs, t)
        sizes = [float(np.linalg.norm(g)) for g in self.terms]
        full = recurrent.rnn_backward(dhs, cache)[3]
        lo, hi = min(s for s in sizes if s > 0), max(sizes)
        for k in range(_T_TERMS):
            bar, mark = self.bars[k], self.zero_marks[k]
            on = k < T
            mark.set_visible(on and k > t)
            if not on or k > t:
                bar.set_visible(False)
                continue
            bar.set_visible(True)
            bar.set_height(max(sizes[k], lo * 1e-3))
            kept = t - k < window
            colour = PALETTE["orange"] if k == t else PALETTE["blue"]
            bar.set_facecolor(colour if kept else "white")
            bar.set_edgecolor(PALETTE["black"] if kept else PALETTE["grey"])
            bar.set_hatch(None if kept else "//")
        self.ax.set_xlim(0.4, T + 0.6)
        self.ax.set_xticks(range(1, T + 1))
        self.ax.set_ylim(lo / 5, hi * 5)
        self.ax.set_title(f"∂L_{t1}/∂W_hh over T = {T} steps: {t1} term(s), window {window}")
        parts = ["∂⁺h_{t}/∂W (explicit)".replace("{t}", str(t1))]
        parts += [f"(∂h_{t1}/∂h_{k + 1})∂⁺h_{k + 1}/∂W" for k in range(t - 1, -1, -1)]
        self.set_readout("formula", f"∂L_{t1}/∂W_hh = ∂L_{t1}/∂h_{t1} · [ "
                                    + " + ".join(parts) + " ]")
        listed = "; ".join(f"k={k + 1}: {sci(sizes[k])}" + ("" if t - k < window else " (dropped)")
                           for k in range(t, -1, -1))
        self.set_readout("terms", f"term sizes, newest first: {listed}; steps k > {t1} give 0 "
                                  f"(L_{t1} does not depend on them)")
        total = recurrent.rnn_backward(dhs, cache, truncate=window)[3]
        err = float(np.linalg.norm(total - full) / np.linalg.norm(full))
        gap = float(np.linalg.norm(sum(self.terms) - full))
        self.set_readout("check", f"sum of all terms = full BPTT (difference {sci(gap)}); the "
                                  f"window keeps {min(window, t1)} term(s), relative error of "
                                  f"the truncated gradient {100 * err:.1f}%")
        big = int(np.argmax(sizes)) + 1
        self.set_summary(f"Bars: the {t1} terms of ∂L_{t1}/∂W_hh (log scale), the largest at "
                         f"k = {big}, the oldest {sci(sizes[0])}; a BPTT window of {window} "
                         f"keeps {min(window, t1)} of them ({100 * err:.1f}% error).")


def bptt_terms(T: int = 8, t: int = 8, window: int | None = None, seed: int = 0) -> BPTTTerms:
    """Pick the loss term L_t (and a window for k-step truncation per loss) -> the explicit
    term and the implicit
    terms of dL_t/dW_hh = sum_{k<=t} dL_t/dh_t (dh_t/dh_k) d+h_k/dW_hh as bars, computed with
    ``dlcore.recurrent.rnn_backward(..., truncate=)`` on a small seeded RNN.

    T in [2, 10], t in [1, T] (1-based, as L_4 in the lecture), window in [1, T] (None = T,
    full BPTT).
    """
    return BPTTTerms(T=T, t=t, window=window, seed=seed)


