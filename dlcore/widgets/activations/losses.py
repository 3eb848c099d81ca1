"""``loss_explorer`` (each loss against y_hat) and ``softmax_temperature`` (softmax bars).

Shapes: y_hat a grid of predictions (K,); logits (C,) for C classes.
"""

from __future__ import annotations

import numpy as np

from ... import activations as A
from ... import losses as L
from ..._checks import as_array, check_int, check_positive
from ...losses import LOSS_NAMES, pointwise_loss
from .._base import (
    CYCLE,
    PALETTE,
    App,
    dropdown,
    human,
    log_slider,
    make_figure,
    readout,
    slider,
    style_axes,
)
from .._mine import mine_name, require_function, run_mine
from .._text import cached_text
from ..mlp._common import readable, row

__all__ = ["loss_explorer", "softmax_temperature"]

_READINGS = {"score: label = sign(y_hat), threshold 0": 0.0,
             "probability: label = +1 if y_hat >= 0.5": 0.5}


class _LossExplorer(App):
    def __init__(self, y, y_hat, threshold, extra):
        if extra is not None and not isinstance(extra, dict):
            raise TypeError(f"extra must be a dict mapping a name to a loss function "
                            f"loss(y_hat, y) -> float; got {type(extra).__name__}")
        self.extra = dict(extra or {})
        for name, fn in self.extra.items():
            if not callable(fn):
                raise TypeError(f"extra[{name!r}] must be a function loss(y_hat, y) -> float")
            float(fn(np.array([0.5]), np.array([1.0])))  # fail early on a wrong signature
        if y not in (1, -1):
            raise ValueError(f"y must be a label in {{-1, +1}}; got {y!r}")
        if threshold not in _READINGS.values():
            raise ValueError(f"threshold must be 0.0 (scores) or 0.5 (probabilities); got "
                             f"{threshold!r}")
        self.grid = np.linspace(-2.0, 2.0, 401)
        self._curves = {}
        fig, ax = make_figure(1, 1, figsize=(6.4, 3.8))
        self.names = list(LOSS_NAMES) + list(self.extra)
        self.lines = {}
        for i, name in enumerate(self.names):
            # The hinge loss equals L1 for y_hat < 1 and the 0-1 loss on the right: dashed, so
            # that the curves under it show through.
            self.lines[name], = ax.plot([], [], lw=2, color=CYCLE[i % len(CYCLE)], label=name,
                                        dashes=(6, 4) if name == "hinge" else (None, None),
                                        drawstyle="steps-post" if name == "0-1" else "default")
        # Dots of decreasing size: two losses with the same value show as a ring and a dot.
        self.dots = ax.scatter(np.zeros(len(self.names)), np.zeros(len(self.names)),
                               s=np.linspace(90, 25, len(self.names)),
                               color=[CYCLE[i % len(CYCLE)] for i in range(len(self.names))],
                               edgecolor="black", zorder=3)
        self.vline = ax.axvline(0, color=PALETTE["grey"], ls="--", lw=1)
        ax.set_xlim(-2, 2)
        ax.set_ylim(-0.1, 4.0)
        # Beside the plot: the moving y_hat line would cross it inside.
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0)
        style_axes(ax, "Losses of one prediction", "prediction y_hat", "loss")
        self.ax = ax
        controls = {
            "y": dropdown("true label y", {"+1": 1, "-1": -1}, y,
                          tooltip="the target class, as a label in {-1, +1}"),
            "y_hat": slider("prediction y_hat", y_hat, -2.0, 2.0, 0.05,
                            tooltip="the model's output for this example"),
            "reading": dropdown("0-1 loss reads y_hat as", _READINGS, threshold,
                                tooltip="a score (sign) or a probability (threshold 1/2)"),
        }
        super().__init__(controls, fig, {"values": readout()}, title="Loss explorer")
        self.arrange([row(controls["y"], controls["y_hat"]), controls["reading"]])
        # y_hat moves only the dots and the dashed line (blitting).
        self.set_dynamic([self.vline, self.dots])
        self.update()

    def _on_change(self, change=None) -> None:
        """y_hat moves the dots only (a blit); another label or reading redraws the curves."""
        self.update()
        self.redraw(full=change is not None and change["owner"] is not self.controls["y_hat"])

    def _curve(self, name, y, threshold, values):
        if name in self.extra:
            fn = self.extra[name]
            return np.array([float(fn(np.array([v]), np.array([float(y)]))) for v in values])
        return pointwise_loss(name, values, y, threshold=threshold)

    def update(self):
        y = int(self.controls["y"].value)
        y_hat = float(self.controls["y_hat"].value)
        threshold = float(self.controls["reading"].value)
        key = (y, threshold)
        if key not in self._curves:  # the curves depend on y and the reading, not on y_hat
            self._curves[key] = {n: self._curve(n, y, threshold, self.grid) for n in self.names}
        at = []
        for name in self.names:
            self.lines[name].set_data(self.grid, self._curves[key][name])
            at.append(float(self._curve(name, y, threshold, np.array([y_hat]))[0]))
        self.dots.set_offsets(np.column_stack([np.full(len(at), y_hat), at]))
        self.vline.set_xdata([y_hat, y_hat])
        self.ax.set_title(f"Losses of one prediction, true label y = {y:+d}")
        text = ",  ".join(f"{n} = {readable(v, 4)}" for n, v in zip(self.names, at))
        self.set_readout("values", f"at (y_hat, y) = ({y_hat:.2f}, {y:+d}): {text}")
        self.set_summary(f"Each loss against the prediction y_hat for the label {y:+d}; the "
                         f"dots mark y_hat = {y_hat:.2f}, where " + text + ".")


def loss_explorer(y: int = 1, y_hat: float = 0.3, threshold: float = 0.0, extra=None) -> App:
    """Pick the true label y (and a prediction); see each loss as a function of y_hat.

    The 0-1 loss reads y_hat as a score (``threshold=0.0``: label = sign) or as a probability
    (``threshold=0.5``).  ``extra`` adds your own losses: a dict name -> ``loss(y_hat, y)``
    taking arrays of shape (1,) and returning a float, like ``dl.losses.l1``.
    """
    return _LossExplorer(y, y_hat, threshold, extra)


class _SoftmaxTemperature(App):
    def __init__(self, logits, temperature, target, mine=None):
        self.mine = require_function(mine, "my_cross_entropy", "your cross-entropy function")
        #: With mine=: True when your cross-entropy differs from dlcore's at the current
        #: controls (None without mine=, or when your function's result cannot be used).
        self.mismatch = None
        self.logits = as_array(logits, "logits", ndim=1, spec="(C,)")
        c = self.logits.size
        if c < 2:
            raise ValueError(f"logits must have shape (C,) with C >= 2 classes; got {c}")
        temperature = check_positive(temperature, "temperature")
        if not 0.05 <= temperature <= 20:
            raise ValueError(f"temperature must lie in [0.05, 20] (the slider range); got "
                             f"{temperature}")
        target = check_int(target, "target", minimum=0)
        if target >= c:
            raise ValueError(f"target must be a class index in [0, {c - 1}]; got {target}")
        fig, ax = make_figure(1, 1, figsize=(6.0, 3.6))
        self.bars = ax.bar(np.arange(c), np.zeros(c),
                           color=[CYCLE[i % len(CYCLE)] for i in range(c)])
        self.labels = [cached_text(ax, i, 0, "", ha="center", fontsize=9) for i in range(c)]
        ax.set_xticks(np.arange(c), [f"class {i}" for i in range(c)])
        ax.set_ylim(0, 1.12)
        style_axes(ax, "softmax(z / T)", "class", "probability")
        self.ax = ax
        controls = {
            "temperature": log_slider("temperature T", temperature, 0.05, 20.0,
                                      tooltip="divide every logit by T before the softmax"),
            "shift": slider("add c to every logit", 0.0, -1000.0, 1000.0, 10.0, ".0f",
                            tooltip="softmax does not change when every logit moves together"),
            "target": dropdown("true class (for the cross-entropy)", list(range(c)), target),
        }
        # Key presses step the exponent by 0.05 from the minimum: start the grid at 10^-1.3
        # (not log10(0.05) = -1.30103), so that T = 1 (and 0.1, 10) can be reached exactly.
        controls["temperature"].min = -1.3
        readouts = {"probs": readout(), "loss": readout(), "naive": readout(),
                    **({"mine": readout()} if mine is not None else {})}
        super().__init__(controls, fig, readouts, title="Softmax temperature")
        self.arrange([row(controls["temperature"], controls["shift"]), controls["target"]])
        # The controls change the bars, their labels and the title only (blitting).
        self.set_dynamic([*self.bars, *self.labels, ax.title])
        self.update()

    def update(self):
        t = float(self.controls["temperature"].value)
        shift = float(self.controls["shift"].value)
        target = int(self.controls["target"].value)
        z = (self.logits + shift) / t
        p = A.softmax(z)
        for i, (bar, label) in enumerate(zip(self.bars, self.labels)):
            bar.set_height(p[i])
            label.set_position((i, p[i] + 0.02))
            label.set_text(f"{p[i]:.3f}")
        ce = L.softmax_cross_entropy(z[None, :], [target])
        entropy = float(-np.sum(p * np.log(np.clip(p, 1e-300, None))))
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(z)
            naive = e / e.sum()
        ok = bool(np.all(np.isfinite(naive)))
        self.ax.set_title(f"softmax((z + {shift:g}) / T), T = {human(t)}")
        self.set_readout("probs", "probabilities: " + ", ".join(f"{v:.6f}" for v in p))
        shown = f"{ce:.6f}"
        if self.mine is not None:
            yours = self._compare_mine(z, target, ce)
            if yours is not None:
                shown = f"{yours:.6f}" + (f"≠{ce:.6f}" if self.mismatch else "")
        self.set_readout("loss", f"cross-entropy for class {target}: -log p[{target}] = "
                         f"{shown};  entropy of the distribution {entropy:.4f} nats")
        self.set_readout("naive", "without subtracting max z, exp(z) "
                         + ("stays finite here" if ok else "overflows: the naive softmax "
                            "gives NaN"))
        self.set_summary(f"Softmax bars at temperature {human(t)}: the largest probability is "
                         f"{p.max():.3f} (class {int(np.argmax(p))}); a low T sharpens towards "
                         f"one-hot, a high T flattens towards uniform.")


    def _compare_mine(self, z, target, ce):
        """Your cross-entropy of these logits (None when it cannot be used), against dlcore's."""
        self.mismatch = None
        targets = np.zeros((1, z.size))
        targets[0, target] = 1.0
        logits = ", ".join(f"{v:.4g}" for v in z)
        with np.errstate(all="ignore"):  # an overflow is reported in the readout instead
            mine = run_mine(self.mine, (z[None, :], targets), reference=ce,
                            reference_name="dlcore's cross-entropy",
                            where=f"logits [[{logits}]] (shifted and divided by T), one-hot "
                                  f"target for class {target}",
                            fallback="the loss readout shows dlcore's", entries="values",
                            label="loss")
        if not mine.used:
            self.set_readout("mine", mine.message)
            return None
        yours, name = float(mine.value), mine_name(self.mine)
        self.mismatch = bool(mine.differ)
        if not self.mismatch:
            self.set_readout("mine", f"The loss readout shows {name}'s cross-entropy: it "
                                     f"matches dlcore's (0 of 1 values differ).")
        else:
            hint = (" NaN or inf: exp overflowed, or log met a probability rounded to 0; work "
                    "with the logits minus their maximum." if not np.isfinite(yours) else "")
            self.set_readout("mine", f"The loss readout shows {name}'s cross-entropy: 1 of 1 "
                                     f"values differs from dlcore's (marked yours≠correct); "
                                     f"the error is {readable(abs(yours - ce), 4)}: yours "
                                     f"{yours:.6g}, correct {ce:.6g}.{hint}")
        return yours


def softmax_temperature(logits=(2.0, 1.0, 0.1), temperature: float = 1.0,
                        target: int = 0, *, mine=None) -> App:
    """Slide the temperature T (and a common shift of the logits); see ``softmax(z / T)``.

    ``mine``: your own cross-entropy on logits, called as ``mine(logits, targets)`` with
    logits of shape (1, C) (shifted and divided by T) and a one-hot target row (1, C), like
    ``my_cross_entropy`` of lecture 7.  The loss readout then shows your value, written
    ``yours≠correct`` when it differs from dlcore's, and a readout says whether it matches;
    shift the logits by ±1000 to see whether it overflows.  An error in your function is shown
    in that readout and the loss readout keeps dlcore's value.
    """
    return _SoftmaxTemperature(logits, temperature, target, mine)
