"""``smoothing_explorer``: 1-D convolution as a weighted moving average.

Shape legend: signal (T,) readings x_0..x_{T-1}; taps (K,) weights in the printed order
w_-(K-1), ..., w_0 (oldest sample first); s (T-K+1,) the averages s_{K-1}, ..., s_{T-1}.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib.patches import Rectangle

from ... import conv
from ..._checks import as_array
from ...data.slide_examples import SLIDE_EXAMPLES
from .._base import (
    PALETTE,
    checkbox,
    dropdown,
    int_slider,
    readout,
    slider,
    style_axes,
)
from ._grid import BottomLegend, GridApp, figure_row, fmt

__all__ = ["smoothing_explorer"]


def _noisy_track(n: int = 40) -> np.ndarray:
    t = np.arange(n)
    noise = np.random.default_rng(0).normal(0.0, 0.15, n)  # fixed random seed: same track
    return 1.0 + 0.04 * t + 0.3 * np.sin(t / 4) + noise


class SmoothingExplorer(GridApp):
    """Sliders for the K weights; the readings, the smoothed track and one window."""

    def __init__(self, signal=None, taps=None):
        slide_x = SLIDE_EXAMPLES["smoother_signal"].value
        slide_w = SLIDE_EXAMPLES["smoother_taps"].value
        taps = slide_w if taps is None else as_array(taps, "taps", ndim=1, spec="(K,)")
        if not 1 <= taps.size <= 9:
            raise ValueError(f"taps must hold between 1 and 9 weights (K,); got {taps.size}")
        self._signals = {"aeroplane track (slides, 12 readings)": slide_x,
                         "noisy track (40 readings, fixed noise)": _noisy_track()}
        if signal is not None:
            own = as_array(signal, "signal", ndim=1, spec="(T,)")
            if own.size < taps.size:
                raise ValueError(f"signal must have at least as many readings as there are "
                                 f"taps ({taps.size}); got shape {own.shape}")
            self._signals = {"your signal": own, **self._signals}
        k = taps.size
        controls = {"signal": dropdown("signal", list(self._signals),
                                       tooltip="which sequence of readings to smooth")}
        for a in range(k - 1, -1, -1):
            label = f"w_-{a}" if a else "w_0"
            hint = " (oldest)" if a == k - 1 and k > 1 else " (newest)" if a == 0 else ""
            controls[f"w{a}"] = slider(label + hint, float(taps[k - 1 - a]), 0.0, 1.0, 0.01,
                                       tooltip=f"weight w_-{a} on the reading x_(t-{a})"
                                               + (" (the oldest in the window)"
                                                  if a == k - 1 else
                                                  " (the newest)" if a == 0 else ""))
        controls["normalise"] = checkbox("divide by the sum of the weights",
                                         tooltip="rescale the weights so they sum to 1")
        n0 = self._signals[next(iter(self._signals))].size
        controls["t"] = int_slider("output time t", k - 1, k - 1, n0 - 1,
                                   tooltip="which output s_t to explain")
        fig, (ax_w, ax_s) = figure_row([1, 2.6], figsize=(9.5, 3.4))
        self.k = k
        self.bars = ax_w.bar(np.arange(-(k - 1), 1), taps, color=PALETTE["blue"])
        ax_w.set_xticks(np.arange(-(k - 1), 1))
        ax_w.set_ylim(0, 1.05)
        style_axes(ax_w, "filter weights", "offset -a (0 = newest)", "weight $w_{-a}$")
        self.window = Rectangle((0, 0), 1, 1, color=PALETTE["orange"], alpha=0.2, lw=0,
                                label="window of $s_t$", transform=ax_s.get_xaxis_transform())
        ax_s.add_patch(self.window)
        (self.line_x,) = ax_s.plot([], [], "o-", color=PALETTE["grey"], label="readings $x_t$")
        (self.line_s,) = ax_s.plot([], [], "s-", color=PALETTE["blue"],
                                   label="weighted average $s_t$")
        (self.dot,) = ax_s.plot([], [], "o", ms=12, mfc="none", mew=2,
                                color=PALETTE["vermillion"], label="current $s_t$")
        # below the panels, where it covers no reading
        self.legend = BottomLegend(fig, [self.window, self.line_x, self.line_s, self.dot],
                                   wide=4, narrow=2, min_px=600)
        style_axes(ax_s, "readings and their weighted average", "time step t", "position")
        self.ax_s = ax_s
        readouts = {"sum": readout(), "formula": readout()}
        super().__init__(controls, fig, readouts, title="1-D convolution: a sliding "
                                                        "weighted average")
        weights = [f"w{a}" for a in range(k - 1, -1, -1)]
        half = (len(weights) + 1) // 2
        columns = W.HBox([W.VBox([self.controls[n] for n in weights[:half]],
                                 layout=W.Layout(margin="0 16px 0 0")),
                          W.VBox([self.controls[n] for n in weights[half:]]
                                 + [self.controls["t"]])],
                         layout=W.Layout(flex_flow="row wrap"))
        self.arrange([self.controls["signal"], columns, self.controls["normalise"]])
        self.update()

    def taps(self) -> np.ndarray:
        """The weights in printed order w_-(K-1), ..., w_0, normalised if asked."""
        w = np.array([self.controls[f"w{a}"].value for a in range(self.k - 1, -1, -1)])
        if self.controls["normalise"].value and w.sum() > 0:
            w = w / w.sum()
        return w

    def update(self) -> None:
        x = self._signals[self.controls["signal"].value]
        w = self.taps()
        k = self.k
        s = conv.correlate1d(x, w)
        t_ctrl = self.controls["t"]
        t_ctrl.max = x.size - 1
        t = min(t_ctrl.value, x.size - 1)
        for bar, h in zip(self.bars, w):
            bar.set_height(h)
        ts = np.arange(k - 1, x.size)
        self.line_x.set_data(np.arange(x.size), x)
        self.line_s.set_data(ts, s)
        self.dot.set_data([t], [s[t - (k - 1)]])
        lo, hi = min(x.min(), s.min()), max(x.max(), s.max())
        self.window.set_bounds(t - (k - 1) - 0.4, 0.0, k - 1 + 0.8, 1.0)  # y: the full height
        self.ax_s.set_xlim(-0.5, x.size - 0.5)
        self._y_limits(lo, hi)
        total = w.sum()
        kind = ("they sum to 1, so s_t is a weighted average of the readings"
                if abs(total - 1) < 1e-9 else
                "they do not sum to 1, so s_t is scaled by that sum as well as averaged")
        self.set_readout("sum", f"weights sum to {total:.3f}: {kind}")
        terms = " + ".join(f"{fmt(x[t - a])}·{fmt(w[k - 1 - a])}" for a in range(k))
        self.set_readout("formula", f"s_{t} = Σ_a x_(t-a) w_(-a) = {terms} = {s[t - k + 1]:.4g}")
        self.set_summary(f"The {x.size} readings (grey) and their {k}-tap weighted average "
                         f"(blue) for t = {k - 1}..{x.size - 1}; the shaded window covers "
                         f"x_{t - k + 1}..x_{t}, which give s_{t} = {s[t - k + 1]:.4g}.")
        self.use_dynamic([*self.bars, self.window, self.line_s, self.dot])

    def fit(self, width: int) -> None:
        self.legend.fit(width)
        super().fit(width)

    def _y_limits(self, lo: float, hi: float) -> None:
        """Keep the y range while the data fits it comfortably, so that a weight's change is
        blitted instead of repainting the panel with new ticks."""
        span = hi - lo + 1e-9
        want = (lo - 0.08 * span, hi + 0.08 * span)
        y0, y1 = self.ax_s.get_ylim()
        fits = y0 <= lo - 0.02 * span and y1 >= hi + 0.02 * span
        if not fits or (y1 - y0) > 1.6 * (want[1] - want[0]):
            self.ax_s.set_ylim(*want)

    def smoothed(self) -> np.ndarray:
        """The plotted s_t values (the blue line)."""
        return np.asarray(self.line_s.get_ydata())


def smoothing_explorer(signal=None, taps=None) -> SmoothingExplorer:
    """Seven weight sliders -> the smoothed track ``s_t = sum_a x_{t-a} w_{-a}``.

    ``signal`` (T,): your own readings (added as the first signal preset); ``taps`` (K,),
    1 <= K <= 9: starting weights in the printed order w_-(K-1), ..., w_0 (default: the
    slides' 0.01, 0.01, 0.02, 0.02, 0.04, 0.4, 0.5).  The output slider picks one s_t and shows
    its window and its sum of products.
    """
    return SmoothingExplorer(signal=signal, taps=taps)
