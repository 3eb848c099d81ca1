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
from .._text import cached_text
from ._common import NARROW_PX, FullFrames, control_rows, figure_legend, in_range, num, sci

__all__ = ["bptt_terms"]

_T_TERMS = 10
_XLABEL = "step k of the term ∂L_t/∂h_t · ∂h_t/∂h_k · ∂⁺h_k/∂W_hh"


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


class BPTTTerms(FullFrames, App):
    """Bars: the size of each term of dL_t/dW_hh, explicit (k = t) and implicit (k < t), and
    which of them k-step truncation per loss keeps."""

    def __init__(self, T=8, t=8, window=None, seed=0):
        T = in_range(T, "T", 2, _T_TERMS)
        t = in_range(t, "t", 1, T)
        window = T if window is None else in_range(window, "window", 1, T)
        self._model = toy_rnn(seed)
        # The terms of L_t use the steps up to t only, so they do not depend on T: computed
        # once per t, with one scale for every t (the bars move, the axes never do).
        self._cache: dict[int, tuple] = {}
        sizes = [s for t0 in range(_T_TERMS) for s in self._terms_of(t0)[1] if s > 0]
        self._ylim = (min(sizes) / 5, max(sizes) * 5 ** 1.6)  # room above for the legend
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
        self.zero_marks = [cached_text(ax, k, 0, "0", ha="center", va="bottom", fontsize=8,
                                       color=PALETTE["grey"], transform=ax.get_xaxis_transform())
                           for k in range(1, _T_TERMS + 1)]
        # Steps past the end of the sequence (k > T): greyed, so the axes keep room for 10.
        self.beyond = ax.axvspan(T + 0.5, _T_TERMS + 0.6, color=PALETTE["grey"], alpha=0.15,
                                 lw=0)
        self.beyond_text = cached_text(ax, _T_TERMS + 0.5, 0.5, "no step k > T", rotation=90,
                                       ha="right", va="center", fontsize=8, color=PALETTE["grey"],
                                       transform=ax.get_xaxis_transform())
        style_axes(ax, "", _XLABEL, "term size ‖·‖_F")
        ax.set_xlim(0.4, _T_TERMS + 0.6)
        ax.set_xticks(range(1, _T_TERMS + 1))
        ax.set_ylim(*self._ylim)
        self._legend()
        readouts = {"formula": readout(), "terms": readout(), "check": readout()}
        super().__init__(controls, fig, readouts, title="BPTT: explicit and implicit terms")
        control_rows(self, ["T", "t"], ["window"])
        self.terms: list[np.ndarray] = []
        self.set_dynamic(list(self.bars) + self.zero_marks
                         + [self.beyond, self.beyond_text, ax.title])
        self.update()

    def _legend(self, below: bool = False) -> None:
        """The key: one row above the bars, or under the plot when the widget is narrow."""
        handles = [Patch(color=PALETTE["orange"], label="explicit (k = t)"),
                   Patch(color=PALETTE["blue"], label="implicit (k < t)"),
                   Patch(facecolor="white", edgecolor=PALETTE["grey"], hatch="//",
                         label="dropped by truncation")]
        if self.ax.get_legend() is not None:
            self.ax.get_legend().remove()
        if below:
            figure_legend(self.ax.figure, handles, below=True, ncol=2)
        else:
            for old in list(self.ax.figure.legends):
                old.remove()
            self.ax.legend(handles=handles, loc="upper left", fontsize=8, ncol=3)

    def fit(self, width: int) -> None:
        super().fit(width)
        if width and width >= 100:
            narrow = width < NARROW_PX
            self._legend(below=narrow)
            self.ax.set_xlabel("step k of the term" if narrow else _XLABEL)

    def _terms_of(self, t: int):
        """(terms (t + 1 arrays (H, H)), their sizes, dL_t/dh, the forward cache) for the loss
        at the 0-based step t, on the first t + 1 steps (later steps do not change them)."""
        if t not in self._cache:
            x, h0, w_ih, w_hh, b, w_hy, targets = self._model
            x = x[:, :t + 1]
            hs, cache = recurrent.rnn_forward(x, h0, w_ih, w_hh, b)
            dhs = loss_grad_on_h(hs, w_hy, targets, t)
            terms = bptt_term_grads(x, h0, w_ih, w_hh, b, dhs, t)
            self._cache[t] = (terms, [float(np.linalg.norm(g)) for g in terms], dhs, cache)
        return self._cache[t]

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
        terms, sizes, dhs, cache = self._terms_of(t)
        self.terms = list(terms)
        full = recurrent.rnn_backward(dhs, cache)[3]
        for k in range(_T_TERMS):
            bar, mark = self.bars[k], self.zero_marks[k]
            on = k < T
            mark.set_visible(on and k > t)
            if not on or k > t:
                bar.set_visible(False)
                continue
            bar.set_visible(True)
            bar.set_height(max(sizes[k], self._ylim[0] * 1.01))
            kept = t - k < window
            colour = PALETTE["orange"] if k == t else PALETTE["blue"]
            bar.set_facecolor(colour if kept else "white")
            bar.set_edgecolor(PALETTE["black"] if kept else PALETTE["grey"])
            bar.set_hatch(None if kept else "//")
        self.beyond.set_visible(T < _T_TERMS)
        self.beyond_text.set_visible(T < _T_TERMS - 1)
        self.beyond.set_x(T + 0.5)
        self.beyond.set_width(_T_TERMS + 0.6 - (T + 0.5))
        self.ax.set_title(f"∂L_{t1}/∂W_hh: {t1} term(s), window {window}")
        parts = ["∂⁺h_{t}/∂W (explicit)".replace("{t}", str(t1))]
        parts += [f"(∂h_{t1}/∂h_{k + 1})∂⁺h_{k + 1}/∂W" for k in range(t - 1, -1, -1)]
        if len(parts) > 4:  # the first two, the oldest, and how many are left out
            parts = parts[:2] + [f"… ({len(parts) - 3} more) …", parts[-1]]
        self.set_readout("formula", f"∂L_{t1}/∂W_hh = ∂L_{t1}/∂h_{t1} · [ "
                                    + " + ".join(parts) + " ]")
        listed = ", ".join(f"{num(sizes[k])}" + ("" if t - k < window else " (dropped)")
                           for k in range(t, -1, -1))
        self.set_readout("terms", f"term sizes for k = {t1} down to 1: {listed}; steps k > {t1} "
                                  f"give 0 (L_{t1} does not depend on them)")
        total = recurrent.rnn_backward(dhs, cache, truncate=window)[3]
        err = float(np.linalg.norm(total - full) / np.linalg.norm(full))
        gap = float(np.linalg.norm(sum(self.terms) - full))
        self.set_readout("check", f"sum of all terms = full BPTT (difference {sci(gap)}); the "
                                  f"window keeps {min(window, t1)} term(s), relative error of "
                                  f"the truncated gradient {100 * err:.1f}%")
        big = int(np.argmax(sizes)) + 1
        self.set_summary(f"Bars: the {t1} terms of ∂L_{t1}/∂W_hh (log scale), the largest at "
                         f"k = {big}, the oldest {num(sizes[0])}; a BPTT window of {window} "
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


