"""``forget_products``: the factor that carries a gradient back over m steps, along the LSTM's
cell path (a product of forget gates) and through a vanilla RNN (a product of w tanh').

Shape legend: one sequence of T scalars, x (1, T, 1), one hidden unit (H = 1); LSTM weights
w_ih (4, 1), w_hh (4, 1), b (4,) in PyTorch's gate order (i, f, g, o); RNN weights (1, 1).
"""

from __future__ import annotations

import numpy as np

from ... import recurrent
from ...activations import sigmoid
from .._base import PALETTE, App, int_slider, make_figure, readout, slider, style_axes
from ..sequences._common import (
    FullFrames,
    LegendFits,
    control_rows,
    figure_legend,
    in_range,
    num,
    real_in_range,
    sticky_limits,
)

__all__ = ["forget_products"]

_T_MAX = 200


def path_factors(T: int, forget_bias: float, w: float, noise: float = 1.0, seed: int = 0):
    """The backward factors over m = 1..T steps of a scalar LSTM and a scalar RNN on the same
    input x_t = noise * N(0, 1).

    LSTM (direct cell path): ``dc_m/dc_0 = prod_{j<=m} f_j`` with f_j = sigma(b_f + x_j +
    0.5 h_(j-1)) from ``recurrent.lstm_forward``.  RNN: ``dh_m/dh_0 = prod_{j<=m} w (1 -
    h_j^2)`` for h_j = tanh(x_j + w h_(j-1)) from ``recurrent.rnn_forward``.  Returns
    (prod_f (T,), prod_rnn (T,)).
    """
    rng = np.random.default_rng(seed)
    x = (noise * rng.standard_normal(_T_MAX))[:T].reshape(1, T, 1)
    w_ih = np.array([[0.5], [1.0], [0.5], [0.5]])
    w_hh = np.full((4, 1), 0.5)
    b = np.array([0.0, forget_bias, 0.0, 0.0])
    _, cache = recurrent.lstm_forward(x, None, None, w_ih, w_hh, b)
    f = recurrent.lstm_gates(cache)["f"][0, :, 0]
    hs, _ = recurrent.rnn_forward(x, None, np.ones((1, 1)), np.full((1, 1), w))
    local = w * (1.0 - hs[0, :, 0] ** 2)
    return np.cumprod(f), np.cumprod(local)


class ForgetProducts(LegendFits, FullFrames, App):
    """Log-scale products against the number of steps m, with the constant-input references
    sigma(b_f)^m and w^m."""

    def __init__(self, T=50, forget_bias=1.0, w=1.0, noise=1.0, seed=0):
        controls = {
            "T": int_slider("steps back m (up to T)", in_range(T, "T", 5, _T_MAX), 5, _T_MAX,
                            tooltip="how far the gradient must travel"),
            "bf": slider("forget-gate bias b_f", real_in_range(forget_bias, "forget_bias", -2.0,
                                                                  8.0), -2.0, 8.0, 0.1,
                         tooltip="f = σ(b_f + ...): b_f = 0 gives f ≈ 0.5"),
            "w": slider("RNN recurrent weight w", real_in_range(w, "w", 0.1, 3.0), 0.1, 3.0,
                        0.05, tooltip="h_t = tanh(x_t + w h_(t−1))"),
            "noise": slider("input size σ_x", real_in_range(noise, "noise", 0.0, 3.0), 0.0,
                            3.0, 0.05, tooltip="x_t ~ σ_x N(0, 1): larger inputs saturate tanh"),
        }
        self._seed = seed
        fig, ax = make_figure(1, 1, figsize=(7.6, 4.0))
        self.ax = ax
        self.line_f, = ax.semilogy([], [], color=PALETTE["blue"], lw=2.2,
                                   label="LSTM cell path: ∏ f_j")
        self.line_f_ref, = ax.semilogy([], [], "--", color=PALETTE["sky"], lw=1.4,
                                       label="σ(b_f)^m (input 0)")
        self.line_rnn, = ax.semilogy([], [], color=PALETTE["vermillion"], lw=2.2,
                                     label="RNN: ∏ w·tanh′(a_j)")
        self.line_rnn_ref, = ax.semilogy([], [], ":", color=PALETTE["orange"], lw=1.6,
                                         label="bound w^m (γ = 1)")
        style_axes(ax, "", "steps back m", "gradient factor (log scale)")
        self._place_legend(False)
        readouts = {"lstm": readout(), "rnn": readout()}
        super().__init__(controls, fig, readouts, title="Forget-gate products vs RNN products")
        control_rows(self, ["T", "bf"], ["w", "noise"])
        self._xlim = self._ylim = None
        # Limits that stay while the curves fit: a key press redraws the curves and the title.
        self.set_dynamic([self.line_f, self.line_f_ref, self.line_rnn, self.line_rnn_ref,
                          ax.title])
        self.update()

    def _place_legend(self, below: bool) -> None:
        figure_legend(self.ax.figure, [self.line_f, self.line_f_ref, self.line_rnn,
                                       self.line_rnn_ref], below=below, ncol=2)
        if hasattr(self, "_xlim"):
            self.update()  # the title follows the width

    def update(self) -> None:
        c = self.controls
        T, bf, w = c["T"].value, c["bf"].value, c["w"].value
        prod_f, prod_rnn = path_factors(T, bf, w, c["noise"].value, self._seed)
        m = np.arange(1, T + 1)
        tiny = 1e-300
        self.line_f.set_data(m, np.maximum(prod_f, tiny))
        self.line_f_ref.set_data(m, np.maximum(sigmoid(np.array(bf)) ** m, tiny))
        self.line_rnn.set_data(m, np.maximum(prod_rnn, tiny))
        self.line_rnn_ref.set_data(m, np.maximum(float(w) ** m.astype(float), tiny))
        shown = np.concatenate([prod_f, prod_rnn, [1.0]])
        shown = shown[shown > 0]
        lo, hi = max(float(shown.min()), 1e-300), max(float(shown.max()), float(w) ** T)
        if self._xlim is None or not (T + 1 <= self._xlim[1] and T >= 0.75 * self._xlim[1]):
            self._xlim = (0, T + 1 + round(0.05 * T))
        self._ylim = sticky_limits(self._ylim, max(lo / 10, 1e-300), min(hi * 10, 1e300),
                                   log=True, fill=0.55, margin=0.15)
        self.ax.set_xlim(*self._xlim)
        self.ax.set_ylim(*self._ylim)
        self.ax.set_title(f"b_f = {bf:.1f}, w = {w:.2f}" if self._legend_below else
                          f"Gradient factor after m steps (b_f = {bf:.1f}, w = {w:.2f})")
        self.set_readout("lstm", f"LSTM cell path after {T} steps: ∏ f = {num(prod_f[-1])} "
                                 f"(mean f = {prod_f[-1] ** (1 / T):.3f}); it only multiplies "
                                 f"by the forget gates, elementwise, never by W")
        self.set_readout("rnn", f"RNN after {T} steps: ∏ w·tanh′ = {num(prod_rnn[-1])}; each "
                                f"step multiplies by w = {w:.2f} and by tanh′ ≤ 1")
        self.set_summary(f"After {T} steps the LSTM's cell path keeps a factor "
                         f"{num(prod_f[-1])} (forget bias {bf:.1f}) and the RNN "
                         f"{num(prod_rnn[-1])} (w = {w:.2f}), on a log scale.")


def forget_products(T: int = 50, forget_bias: float = 1.0, w: float = 1.0, noise: float = 1.0,
                    seed: int = 0) -> ForgetProducts:
    """Lag T and forget-gate bias (and the RNN's recurrent weight) -> prod_t f_t, the factor
    on the LSTM's direct cell path dc_T/dc_0, against prod_t w tanh'(a_t) for a vanilla RNN,
    on a log scale (``dlcore.recurrent.lstm_forward`` / ``lstm_gates`` / ``rnn_forward``).

    T in [5, 200]; forget_bias in [-2, 8]; w in [0.1, 3]; noise (input size) in [0, 3].
    """
    return ForgetProducts(T=T, forget_bias=forget_bias, w=w, noise=noise, seed=seed)
