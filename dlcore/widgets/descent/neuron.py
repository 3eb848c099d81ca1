"""Widgets on one sigmoid neuron: the step against the sigmoid, and fitting two points by hand.

Shapes: X, Y (N,) the data points; theta (2,) = (w, b).
"""

from __future__ import annotations

import html

import numpy as np

from ... import data, losses, neurons
from ..._checks import as_array
from .._base import CMAP, PALETTE, button, log_slider, readout, slider, style_axes, view
from ..milestones._common import legend_below, row, scroll_box
from . import _common as C

__all__ = ["step_vs_sigmoid", "sigmoid_fit"]


class StepVsSigmoid(C.DescentApp):
    """Step and sigmoid outputs of one neuron with bias w0 and weight w1, on ratings in [0, 1]."""

    def __init__(self, w0: float, w1: float, ratings: np.ndarray, sharpness: float):
        controls = {
            "w0": slider("bias w₀", w0, -3.0, 3.0, 0.01,
                         tooltip="bias w₀: the threshold is -w₀ / w₁"),
            "w1": slider("weight w₁", w1, -5.0, 5.0, 0.01,
                         tooltip="weight w₁ on the criticsRating input"),
            "sharpness": log_slider("sharpness s (scales w₀ and w₁)", sharpness, 1.0, 100.0,
                                    tooltip="the sigmoid uses s·(w₁x + w₀); a large s "
                                            "approaches the step"),
        }
        fig, ax = C.make_figure(figsize=(7.2, 3.4))
        style_axes(ax, "Perceptron step vs sigmoid neuron", "criticsRating x", "output")
        self.ratings = ratings
        self.xs = np.linspace(0.0, 1.0, 1001)
        self.step_line, = ax.plot([], [], color=PALETTE["blue"], label="perceptron (step)")
        self.sigmoid_line, = ax.plot([], [], color=PALETTE["orange"],
                                     label="sigmoid neuron σ(s(w₁x + w₀))")
        self.threshold_line = ax.axvline(0.5, color=PALETTE["grey"], linestyle=":",
                                         label="threshold -w₀/w₁")
        self.step_marks = ax.scatter(ratings, np.zeros_like(ratings), color=PALETTE["blue"],
                                     zorder=5)
        self.sigmoid_marks = ax.scatter(ratings, np.zeros_like(ratings),
                                        color=PALETTE["orange"], marker="D", zorder=5)
        ax.set_xlim(0.0, 1.0)
        ax.set_ylim(-0.05, 1.05)
        # Below the axes: the curves can pass anywhere inside.
        legend_below(ax, 3)
        self.ax = ax
        readouts = {f"r{i}": readout() for i in range(ratings.size)}
        readouts["threshold"] = readout()
        super().__init__(controls, fig, readouts, title="Step vs sigmoid")
        self.arrange([row(controls["w0"], controls["w1"]), view(controls["sharpness"])])
        self.set_dynamic([self.threshold_line, self.step_line, self.sigmoid_line,
                          self.step_marks, self.sigmoid_marks])
        self.update()

    def outputs(self):
        """(step outputs, sigmoid outputs) at the ratings."""
        s, w0, w1 = (self.controls[k].value for k in ("sharpness", "w0", "w1"))
        z = w1 * self.ratings + w0
        return (np.asarray(neurons.step(z)),
                np.asarray(neurons.sigmoid_neuron(self.ratings, s * w1, s * w0)))

    def update(self) -> None:
        s, w0, w1 = (self.controls[k].value for k in ("sharpness", "w0", "w1"))
        self.step_line.set_data(self.xs, neurons.step(w1 * self.xs + w0))
        self.sigmoid_line.set_data(self.xs, neurons.sigmoid_neuron(self.xs, s * w1, s * w0))
        steps, sig = self.outputs()
        self.step_marks.set_offsets(np.column_stack([self.ratings, steps]))
        self.sigmoid_marks.set_offsets(np.column_stack([self.ratings, sig]))
        for i, (r, st, sg) in enumerate(zip(self.ratings, steps, sig)):
            verdict = "like" if st == 1 else "dislike"
            self.set_readout(f"r{i}", f"rating {r:.2f}: step -> {st} ({verdict}), "
                                      f"σ -> {sg:.4f}")
        if w1 != 0:
            t = -w0 / w1
            self.threshold_line.set_xdata([t, t])
            self.threshold_line.set_visible(0.0 <= t <= 1.0)
            self.set_readout("threshold", f"threshold -w₀/w₁ = {t:.3f}")
        else:
            self.threshold_line.set_visible(False)
            self.set_readout("threshold", "w₁ = 0: the output ignores the rating")
        gap_step = abs(float(steps[-1]) - float(steps[0]))
        gap_sig = abs(float(sig[-1]) - float(sig[0]))
        self.set_summary(f"Between ratings {self.ratings[0]:.2f} and {self.ratings[-1]:.2f} "
                         f"the step output changes by {gap_step:.0f} and the sigmoid by "
                         f"{gap_sig:.4f}.")


def step_vs_sigmoid(w0: float = -0.5, w1: float = 1.0, ratings=(0.49, 0.51),
                    sharpness: float = 1.0) -> StepVsSigmoid:
    """Sliders w0, w1 (and a sharpness s) -> the step and the sigmoid, marked at the ratings.

    With the defaults (threshold 0.5) the step says like at 0.51 and dislike at 0.49, while
    sigma gives 0.5025 and 0.4975.  w0 in [-3, 3], w1 in [-5, 5], sharpness in [1, 100],
    ratings: (K,) values in [0, 1].
    """
    w0 = C.real(w0, "w0", -3.0, 3.0)
    w1 = C.real(w1, "w1", -5.0, 5.0)
    sharpness = C.real(sharpness, "sharpness", 1.0, 100.0)
    ratings = as_array(ratings, "ratings", ndim=1, spec="(K,)")
    if ratings.size == 0 or np.any((ratings < 0) | (ratings > 1)):
        raise ValueError(f"ratings must be criticsRating values in [0, 1]; got "
                         f"{ratings.tolist()}")
    return StepVsSigmoid(w0, w1, np.sort(ratings), sharpness)


class SigmoidFit(C.DescentApp):
    """Sliders (w, b) -> the fitted sigmoid, the live loss, a guess log and the guess trail."""

    def __init__(self, w, b, loss_fn, X, Y, window):
        controls = {
            "w": slider("weight w", w, window[0], window[1], 0.01,
                        tooltip="weight w of f(x) = σ(w x + b)"),
            "b": slider("bias b", b, window[2], window[3], 0.01,
                        tooltip="bias b of f(x) = σ(w x + b)"),
            "log": button("log this guess", tooltip="add (w, b, L) to the guess log"),
            "replay": button("next slide guess",
                             tooltip="set (w, b) to the next of the six guesses from the "
                                     "slides and log it"),
            "clear": button("clear log", tooltip="empty the guess log"),
        }
        self.loss_fn, self.X, self.Y = loss_fn, X, Y
        self.guesses: list[tuple[float, float, float]] = []
        self._replay = 0
        fig, (ax_fit, ax_surf) = C.make_figure(1, 2, figsize=(10.0, 4.0))
        style_axes(ax_fit, "Sigmoid through the data", "x", "f(x) = σ(w x + b)")
        self.xs = np.linspace(min(-2.0, X.min() - 1), max(5.0, X.max() + 1), 301)
        self.data_marks = ax_fit.scatter(X, Y, s=60, color=PALETTE["black"], zorder=5,
                                         label="data (x_i, y_i)")
        self.curve, = ax_fit.plot([], [], color=PALETTE["orange"], label="f(x)")
        self.preds = ax_fit.scatter(X, Y, marker="x", s=60, color=PALETTE["vermillion"],
                                    zorder=6, label="f(x_i)")
        self.residuals = [ax_fit.plot([x, x], [y, y], color=PALETTE["vermillion"],
                                      linestyle=":")[0] for x, y in zip(X, Y)]
        ax_fit.set_ylim(-0.05, 1.05)
        ax_fit.set_xlim(self.xs[0], self.xs[-1])
        # Legends below the axes: inside, the moving curve and marks would cross them.
        legend_below(ax_fit, 3)
        W, B, Z = C.grid(loss_fn, window, 61)
        ax_surf.contourf(W, B, Z, levels=20, cmap=CMAP)
        style_axes(ax_surf, "Guesses on L(w, b)", "w", "b")
        self.trail, = ax_surf.plot([], [], "-o", color=PALETTE["sky"], markersize=4,
                                   label="logged guesses")
        self.current, = ax_surf.plot([], [], "X", color=PALETTE["vermillion"], markersize=10,
                                     markeredgecolor="white", label="current (w, b)")
        legend_below(ax_surf, 2)
        self.ax_fit, self.ax_surf = ax_fit, ax_surf
        readouts = {"loss": readout(), "log": readout()}
        super().__init__(controls, fig, readouts, title="Fit two points by hand", layout="row")
        self.arrange([row(controls["w"], controls["b"]),
                      row(controls["log"], controls["replay"], controls["clear"])])
        controls["log"].on_click(lambda _b: self.log_guess())
        controls["replay"].on_click(lambda _b: self.next_slide_guess())
        controls["clear"].on_click(lambda _b: self.clear_log())
        self.set_dynamic([self.curve, *self.residuals, self.data_marks, self.preds,
                          self.trail, self.current])
        self.update()

    def loss(self) -> float:
        return C.loss_at(self.loss_fn, (self.controls["w"].value, self.controls["b"].value))

    def log_guess(self) -> None:
        w, b = self.controls["w"].value, self.controls["b"].value
        self.guesses.append((w, b, self.loss()))
        self.update()
        self.redraw()

    def next_slide_guess(self) -> None:
        w, b = C.SLIDE_GUESSES[self._replay % len(C.SLIDE_GUESSES)]
        self._replay += 1
        with C.Muted(self):
            self.controls["w"].value, self.controls["b"].value = w, b
        self.log_guess()

    def clear_log(self) -> None:
        self.guesses.clear()
        self._replay = 0
        self.update()
        self.redraw()

    def update(self) -> None:
        w, b = self.controls["w"].value, self.controls["b"].value
        f = neurons.sigmoid_neuron(self.X, w, b)
        self.curve.set_data(self.xs, neurons.sigmoid_neuron(self.xs, w, b))
        self.preds.set_offsets(np.column_stack([self.X, f]))
        for line, x, y, fx in zip(self.residuals, self.X, self.Y, f):
            line.set_data([x, x], [y, fx])
        self.current.set_data([w], [b])
        g = np.array(self.guesses).reshape(-1, 3)
        self.trail.set_data(g[:, 0], g[:, 1])
        loss = self.loss()
        self.set_readout("loss", f"L(w = {w:.2f}, b = {b:.2f}) = {loss:.6f}")
        rows = ["  #       w       b           L"]
        rows += [f"{i:3d}  {gw:6.2f}  {gb:6.2f}  {gl:10.6f}"
                 for i, (gw, gb, gl) in enumerate(self.guesses, 1)]
        if not self.guesses:
            rows.append("  (no guesses logged yet)")
        clear = self.controls["clear"]
        clear.disabled = not self.guesses
        clear.tooltip = ("the log is empty" if clear.disabled
                         else "empty the guess log (and restart the slide guesses)")
        # A box of fixed height: the log grows with every guess, the widget does not.
        self.readouts["log"].value = scroll_box(
            f"<pre style='margin:0'>{html.escape(chr(10).join(rows))}</pre>", 150)
        preds = ", ".join(f"f({x:g}) = {fx:.3f}" for x, fx in zip(self.X, f))
        targets = ", ".join(f"{y:g}" for y in self.Y)
        self.set_summary(f"Sigmoid with w = {w:.2f}, b = {b:.2f}: {preds} (targets {targets}); "
                         f"loss {loss:.4f}; {len(self.guesses)} guess(es) logged.")


def sigmoid_fit(w: float = 0.5, b: float = 0.0, loss_fn=None, data_xy=None) -> SigmoidFit:
    """Sliders w, b in [-6, 6] -> the sigmoid through the data, the loss, a guess log.

    "next slide guess" replays the six guesses of the two-point toy in Khapra's
    *Deep Learning Tutorial*, one per click.
    loss_fn: theta (2,) -> float, default the toy's ``1/2 sum (y - sigma(w x + b))^2``;
    data_xy: (X, Y), each (N,), default ``data.two_point_toy()``.
    """
    window = C.WINDOW
    w = C.real(w, "w", window[0], window[1])
    b = C.real(b, "b", window[2], window[3])
    if data_xy is None:
        X, Y = data.two_point_toy()
        default = C.toy_loss
    else:
        X = as_array(data_xy[0], "data_xy[0] (X)", ndim=1, spec="(N,)")
        Y = as_array(data_xy[1], "data_xy[1] (Y)", ndim=1, spec="(N,)")
        if X.shape != Y.shape or X.size == 0:
            raise ValueError(f"data_xy must be (X, Y) with the same shape (N,); got "
                             f"{X.shape} and {Y.shape}")

        def default(theta):
            f = neurons.sigmoid_neuron(X, float(theta[0]), float(theta[1]))
            return losses.squared_error(f, Y)
    loss_fn = C.checked_fn(loss_fn, "loss_fn", default)
    C.loss_at(loss_fn, (w, b))  # fail now, not on the first slider move
    return SigmoidFit(w, b, loss_fn, X, Y, window)
