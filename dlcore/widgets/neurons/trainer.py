"""Perceptron trainer: step or play through the mistake-driven rule on 2-D data.

Shapes: X (N, 2) points as shown; the model sees (N, D) with D = 3 when a constant-1 bias
feature is appended, D = 2 otherwise; y (N,) labels in {-1, +1}; w (D,).

With ``mine=`` the run is made with the learner's step ``mine(w, x, y) -> (w_new, mistake)``;
each visit is set against the rule's own step from the same weights, and the visits that
differ are marked in the table (``yours≠correct``) and on the plot.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import FancyArrowPatch, Polygon
from matplotlib.ticker import MaxNLocator

from ..._checks import as_array, check_int, check_shapes
from ...data.synthetic import blobs
from ...data.tables import boolean_table
from ...viz.neurons import boundary_segment
from .._base import (
    PALETTE,
    App,
    button,
    checkbox,
    dropdown,
    int_slider,
    make_figure,
    play_controls,
    readout,
    style_axes,
)
from .._mine import mine_name, require_function, run_mine
from ..milestones._common import ImageFirst, html_table, row
from ._common import (
    TraceRow,
    errors_per_epoch,
    fmt_vec,
    half_plane_polygon,
    perceptron_trace,
)

__all__ = ["PerceptronTrainer", "perceptron_trainer", "SLIDE_EXAMPLE"]

# The two-point example of the IFT6758 slides ("Perceptron"): w starts at (0, 0); x = (1, -1)
# with y = -1, then x = (-1, 1) with y = +1; no bias feature.
SLIDE_EXAMPLE = (np.array([[1.0, -1.0], [-1.0, 1.0]]), np.array([-1, 1]))
DATASETS = {"the slides' two points": "slide example",
            "two Gaussian blobs (separable)": "blobs", "XOR (not separable)": "XOR"}


def _label(v: int) -> str:
    """+1, -1, or 0 (np.sign on the boundary)."""
    return f"{v:+d}" if v else "0"


def _predict_sign(score: float, sign_zero: int) -> int:
    """The prediction of a score: sign(0) = +1 (course) or np.sign's 0."""
    return (1 if score >= 0 else -1) if sign_zero == 1 else int(np.sign(score))


def _pm_labels(y, n: int) -> np.ndarray:
    y = as_array(y, "y", ndim=1, spec="(N,)")
    if y.shape[0] != n:
        raise ValueError(f"y must have shape (N,) with N={n} (from X); got shape {y.shape}")
    if not np.all((y == -1) | (y == 1)):
        raise ValueError("y must hold labels in {-1, +1} (for 0/1 labels use 2 * y - 1)")
    return y.astype(int)


class PerceptronTrainer(ImageFirst, App):
    """Points, boundary and w arrow at each update; mistakes per epoch alongside."""

    def __init__(self, data=None, X=None, y=None, sign_zero=1, max_epochs=10, bias=None,
                 n_samples=20, centers=((1.0, 1.0), (3.0, 3.0)), std=0.5, seed=0, mine=None):
        self.mine = require_function(mine, "my_perceptron_step", "your perceptron step function")
        #: With mine=: per visit of the run, None where your step agrees with the rule's, else
        #: the rule's (w_new, mistake) from the same weights; None when the run is dlcore's.
        self.mine_wrong = None
        options = dict(DATASETS)
        if X is not None or y is not None:
            if X is None or y is None:
                raise ValueError("give both X (N, 2) and y (N,) for your own data")
            X = as_array(X, "X", ndim=2, spec="(N, 2)")
            check_shapes("perceptron_trainer", X=(X, "N 2"))
            self._custom = (X, _pm_labels(y, X.shape[0]))
            options["your data"] = "custom"
            data = "custom" if data is None else data
        else:
            self._custom = None
        data = "slide example" if data is None else data
        if data not in options.values():
            raise ValueError(f"data must be one of {', '.join(options.values())}; got {data!r}")
        if sign_zero not in (0, 1):
            raise ValueError(f"sign_zero must be 1 (course: sign(0) = +1) or 0 (np.sign); "
                             f"got {sign_zero!r}")
        max_epochs = check_int(max_epochs, "max_epochs", minimum=1)
        if max_epochs > 50:
            raise ValueError(f"max_epochs must be <= 50 (the slider range); got {max_epochs}")
        self._blobs = blobs(check_int(n_samples, "n_samples", minimum=2),
                            centers=np.asarray(centers, dtype=float), std=std, labels="pm",
                            seed=seed)
        self._bias_given = bias
        play, step = play_controls(1, interval_ms=500, description="update step t")
        controls = {
            "data": dropdown("data", options, value=data, tooltip="the points to learn"),
            "bias": checkbox("append a constant-1 feature (bias)", self._default_bias(data),
                             tooltip="without it the boundary passes through the origin"),
            "sign0": dropdown("sign(0)", {"+1 (course convention)": 1,
                                          "0 (numpy's np.sign)": 0}, value=sign_zero,
                              tooltip="the prediction when w . x = 0"),
            "max_epochs": int_slider("epochs at most", max_epochs, 1, 50,
                                     tooltip="stop after this many passes over the data"),
            "play": play, "step": step,
            "next": button("next update", tooltip="one more visit of the learning rule"),
            "reset": button("back to t = 0", tooltip="start again from w = 0"),
        }
        controls["next"].on_click(lambda _b: self._advance())
        controls["reset"].on_click(lambda _b: setattr(self.controls["step"], "value", 0))
        fig, (ax, ax_e) = make_figure(1, 2, figsize=(9.4, 3.9),
                                      gridspec_kw={"width_ratios": (1.35, 1.0)})
        self.ax, self.ax_e = ax, ax_e
        self._build_plots()
        readouts = {"step": readout(), "rows": readout(), "status": readout(),
                    **({"mine": readout()} if mine is not None else {})}
        self._busy = False
        super().__init__(controls, fig, readouts, title="Perceptron trainer")
        self.arrange([row(controls["data"], controls["bias"]),
                      row(controls["sign0"], controls["max_epochs"]),
                      row(controls["play"], controls["step"], controls["next"],
                          controls["reset"])])
        # What a step changes is blitted over the cached axes (the limits change only with
        # the data); the points are redrawn too, so the region never covers them.
        self.set_dynamic([self.region_pos, self.region_neg, self.pos, self.neg, self.line,
                          self.ring, self.wrong, self.arrow, self.delta, self.ax.title,
                          self.err_line])
        play.unobserve(self._on_change, names="value")  # the linked step slider redraws
        for name in ("data", "bias", "sign0", "max_epochs"):
            controls[name].unobserve(self._on_change, names="value")
            controls[name].observe(self._on_setup, names="value")
        self._on_setup()

    def _on_change(self, change=None) -> None:
        if self._busy:  # a change of data or epochs resets t: it redraws once, at its end
            return
        super()._on_change(change)

    def _default_bias(self, data: str) -> bool:
        if data == "custom" and self._bias_given is not None:
            return bool(self._bias_given)
        return data != "slide example"

    def _build_plots(self) -> None:
        ax, ax_e = self.ax, self.ax_e
        # ŷ = +1 and ŷ = -1 regions as two polygons (the box cut by the boundary): exact,
        # and far faster to redraw at every step than an image of the same regions.
        self.region_pos, self.region_neg = (
            ax.add_patch(Polygon(np.zeros((1, 2)), closed=True, facecolor=colour, alpha=0.12,
                                 lw=0, zorder=0))
            for colour in (PALETTE["blue"], PALETTE["vermillion"]))
        self.pos = ax.scatter([], [], marker="o", color=PALETTE["blue"], label="y = +1",
                              zorder=3)
        self.neg = ax.scatter([], [], marker="s", color=PALETTE["vermillion"], label="y = -1",
                              zorder=3)
        self.ring = ax.scatter([], [], s=280, facecolors="none", edgecolors=PALETTE["black"],
                               linewidths=2, label="point visited", zorder=4)
        # With mine=: the points whose visit (up to step t) your step got wrong.
        self.wrong = ax.scatter([], [], s=150, marker="X", color=PALETTE["orange"],
                                edgecolors=PALETTE["black"], linewidths=0.8, zorder=6,
                                label="your step ≠ the rule's" if self.mine is not None
                                else "_nolegend_")
        self.line = ax.plot([], [], color=PALETTE["black"], lw=2, label="boundary w · x = 0")[0]
        self.arrow = ax.add_patch(FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>",
                                                  mutation_scale=18, color=PALETTE["green"],
                                                  lw=2.5, zorder=5))
        self.delta = ax.add_patch(FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>",
                                                  mutation_scale=14, color=PALETTE["purple"],
                                                  lw=2, ls="--", zorder=5))
        ax.plot([], [], color=PALETTE["green"], lw=2.5, label="(w1, w2)")
        ax.plot([], [], color=PALETTE["purple"], lw=2, ls="--", label="update y x")
        # Outside the axes: the boundary and the arrows move across the whole panel.
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, markerscale=0.6)
        ax.set_aspect("equal")
        style_axes(ax, "Perceptron", "$x_1$", "$x_2$")
        self.err_line = ax_e.plot([], [], marker="o", color=PALETTE["blue"])[0]
        ax_e.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax_e.yaxis.set_major_locator(MaxNLocator(integer=True))
        style_axes(ax_e, "Mistakes per epoch", "epoch", "mistakes")

    def dataset(self):
        """Points shown (N, 2), labels (N,), and the model's inputs (N, D)."""
        data = self.controls["data"].value
        if data == "slide example":
            X, y = SLIDE_EXAMPLE
        elif data == "blobs":
            X, y = self._blobs
        elif data == "XOR":
            X, y = boolean_table("XOR", labels="pm")
        else:
            X, y = self._custom
        Xm = np.hstack([X, np.ones((X.shape[0], 1))]) if self.controls["bias"].value else X
        return X, y, Xm

    def _on_setup(self, change=None) -> None:
        """Data, bias, sign(0) or epochs changed: recompute the trace, go back to t = 0."""
        if self._busy:
            return
        self._busy = True  # the control changes below must not redraw half-way
        try:
            if change is not None and change["owner"] is self.controls["data"]:
                self.controls["bias"].value = self._default_bias(change["new"])
            self._setup()
        finally:
            self._busy = False
        self._on_change()

    def _setup(self) -> None:
        X, y, Xm = self.dataset()
        self.trace = perceptron_trace(Xm, y, max_epochs=self.controls["max_epochs"].value,
                                      sign_zero=self.controls["sign0"].value)
        if self.mine is not None:
            self._run_mine(Xm, y)
        n = len(self.trace)
        for name in ("play", "step"):
            self.controls[name].max = n
            self.controls[name].value = 0
        self.pos.set_offsets(X[y == 1])
        self.neg.set_offsets(X[y == -1])
        ws = np.array([r.w_new[:2] for r in self.trace] + [[0.0, 0.0]])
        pts = np.vstack([X, ws])
        lo, hi = pts.min(axis=0) - 0.8, pts.max(axis=0) + 0.8
        self._box = (lo, hi)
        self.ax.set_xlim(lo[0], hi[0])
        self.ax.set_ylim(lo[1], hi[1])
        self.ax_e.set_xlim(0.5, self.trace[-1].epoch + 0.5)
        self.ax_e.set_ylim(-0.3, errors_per_epoch(self.trace).max() + 0.7)

    def _run_mine(self, Xm, y) -> None:
        """The run made with your step; dlcore's run (and why) when your step cannot be used."""
        sign_zero = self.controls["sign0"].value
        rule = "dl.neurons.perceptron_step" if sign_zero == 1 else "the np.sign rule"
        fallback = f"the trainer shows the run of {rule}"
        w = np.zeros(Xm.shape[1])
        rows, wrong, t = [], [], 0
        worst = None  # (error, t, yours, correct)
        for epoch in range(1, self.controls["max_epochs"].value + 1):
            mistakes = 0
            for i, (x, label) in enumerate(zip(Xm, y)):
                t += 1
                score = float(w @ x)
                y_hat = int(_predict_sign(score, sign_zero))
                ref_flag = float(label != y_hat)
                ref_w = w + label * x if ref_flag else w.copy()
                mine = run_mine(self.mine, (w, x, int(label)), reference=(ref_w, ref_flag),
                                reference_name=rule, outputs=("w", "mistake"),
                                where=f"visit t = {t}: w = {fmt_vec(w)}, x = {fmt_vec(x)}, "
                                      f"y = {int(label):+d}", fallback=fallback)
                if not mine.used:
                    self.mine_wrong = None
                    self.set_readout("mine", mine.message)
                    return
                w_new, flag = mine.value
                flag = bool(float(flag) != 0)
                if mine.n_differ:
                    wrong.append((ref_w, ref_flag))
                    err = max(float(np.max(np.abs(w_new - ref_w))), abs(flag - ref_flag))
                    if worst is None or err > worst[0]:
                        worst = (err, t, (w_new, flag), (ref_w, ref_flag))
                else:
                    wrong.append(None)
                mistakes += flag
                rows.append(TraceRow(t, epoch, i, x, int(label), score, y_hat, flag, w, w_new))
                w = w_new
            if mistakes == 0:
                break
        self.trace, self.mine_wrong = rows, wrong
        name, n_bad = mine_name(self.mine), sum(r is not None for r in wrong)
        if not n_bad:
            text = f"This is {name}'s run: all {len(rows)} visits match {rule}."
        else:
            err, tt, (yw, yf), (cw, cf) = worst
            text = (f"This is {name}'s run: {n_bad} of {len(rows)} visits differ from {rule} "
                    f"from the same weights (marked yours≠correct in the table and × on the "
                    f"plot); the largest error is {err:.3g} at visit t = {tt}: yours w = "
                    f"{fmt_vec(yw)}, mistake {int(yf)}; correct w = {fmt_vec(cw)}, mistake "
                    f"{int(cf)}.")
        self.set_readout("mine", text)

    def _advance(self) -> None:
        step = self.controls["step"]
        step.value = min(step.value + 1, step.max)

    def weights(self) -> np.ndarray:
        """Weights after the current step t (w = 0 at t = 0)."""
        t = self.controls["step"].value
        return self.trace[t - 1].w_new if t else np.zeros_like(self.trace[0].w_old)

    def update(self) -> None:
        if self._busy:
            return
        t = self.controls["step"].value
        w = self.weights()
        b = float(w[2]) if w.shape[0] == 3 else 0.0
        lo, hi = self._box
        # ŷ = +1 where w . x + b >= 0 (with np.sign, ŷ = 0 on the line itself: no area).
        box = ((lo[0], hi[0]), (lo[1], hi[1]))
        for patch, sign in ((self.region_pos, 1.0), (self.region_neg, -1.0)):
            poly = half_plane_polygon(sign * w[:2], sign * b, *box)
            if sign < 0 and not np.any(w[:2]):
                poly = np.empty((0, 2))  # w = 0, b = 0: score 0 everywhere, ŷ = +1
            patch.set_xy(poly if len(poly) else np.zeros((1, 2)))
            patch.set_visible(len(poly) > 0)
        self.line.set_data(*boundary_segment(w[:2], b, (lo[0], hi[0]), (lo[1], hi[1])))
        self.arrow.set_positions((0, 0), tuple(w[:2]))
        self.ax.set_title(f"Perceptron after step t = {t}")
        counts = errors_per_epoch(self.trace, t)
        self.err_line.set_data(np.arange(1, len(counts) + 1), counts)
        X_shown = self.dataset()[0]
        bad = [r.index for r, c in zip(self.trace[:t], self.mine_wrong or ()) if c is not None]
        self.wrong.set_offsets(X_shown[bad] if bad else np.empty((0, 2)))
        if t == 0:
            self.ring.set_offsets(np.empty((0, 2)))
            self.delta.set_visible(False)
            self.set_readout("step", f"t = 0: w = {fmt_vec(w)}. Press 'next update' or play.")
        else:
            r = self.trace[t - 1]
            X, _, _ = self.dataset()
            self.ring.set_offsets(X[[r.index]])
            self.delta.set_visible(r.mistake)
            self.delta.set_positions(tuple(r.w_old[:2]), tuple(r.w_new[:2]))
            verdict = (f"mistake, so w ← w + y x = {fmt_vec(r.w_old)} + ({r.y:+d}){fmt_vec(r.x)}"
                       f" = {fmt_vec(r.w_new)}" if r.mistake
                       else f"match, so w stays {fmt_vec(r.w_new)}")
            self.set_readout("step", f"t = {t} (epoch {r.epoch}, point {r.index + 1}): "
                                     f"x = {fmt_vec(r.x)}, y = {r.y:+d}; w · x = {r.score:.3g}, "
                                     f"ŷ = {_label(r.y_hat)}; {verdict}.")
        nxt, reset, n = self.controls["next"], self.controls["reset"], len(self.trace)
        nxt.disabled, reset.disabled = t >= n, t == 0
        nxt.tooltip = (f"the run ends after {n} visits (see the status below)" if nxt.disabled
                       else "one more visit of the learning rule")
        reset.tooltip = "already at t = 0, w = 0" if reset.disabled else "start again from w = 0"
        first = max(0, t - 6)
        rows = [(r.t, r.epoch, fmt_vec(r.w_old), fmt_vec(r.x), f"{r.y:+d}", f"{r.score:.3g}",
                 _label(r.y_hat), *self._yours(r)) for r in self.trace[first:t]]
        self.readouts["rows"].value = html_table(
            ("t", "epoch", "w old", "x", "y", "w · x", "ŷ", "1[y ≠ ŷ]", "w new"), rows,
            bold_row=len(rows) - 1)
        self.set_readout("status", self._status(t))
        mistakes = int(counts.sum())
        self.set_summary(f"Step {t} of {len(self.trace)}: w = {fmt_vec(w)}, {mistakes} "
                         f"mistakes so far; blue region: ŷ = +1.")

    def _yours(self, r) -> tuple:
        """The flag and new weights of visit r, as 'yours≠correct' where your step differs."""
        correct = self.mine_wrong[r.t - 1] if self.mine_wrong else None
        flag, w_new = str(int(r.mistake)), fmt_vec(r.w_new)
        if correct is None:
            return flag, w_new
        if int(correct[1]) != int(r.mistake):
            flag += f"≠{int(correct[1])}"
        if not np.allclose(correct[0], r.w_new):
            w_new += f"≠{fmt_vec(correct[0])}"
        return flag, w_new

    def _status(self, t: int) -> str:
        last = self.trace[-1]
        counts = errors_per_epoch(self.trace)
        if counts[-1] == 0:
            text = (f"The full run converges: epoch {last.epoch} makes no mistake "
                    f"({int(counts.sum())} updates in all).")
        else:
            text = f"No error-free epoch within {last.epoch} epochs."
            ends = [r.w_new for r in self.trace if r.index == len(self.dataset()[1]) - 1]
            for j in range(1, len(ends)):
                prev = [i for i in range(j) if np.array_equal(ends[i], ends[j])]
                if prev:
                    text += (f" The weights at the end of epoch {j + 1} equal those at the end "
                             f"of epoch {prev[0] + 1}, so the perceptron cycles forever: the "
                             f"data are not linearly separable (with these features).")
                    break
        return text + f" Showing step {t} of {len(self.trace)}."


def perceptron_trainer(data: str | None = None, X=None, y=None, sign_zero: int = 1,
                       max_epochs: int = 10, bias: bool | None = None, n_samples: int = 20,
                       centers=((1.0, 1.0), (3.0, 3.0)), std: float = 0.5,
                       seed=0, mine=None) -> PerceptronTrainer:
    """Step or play through ``w <- w + y x 1[y != sign(w . x)]`` on 2-D data.

    data: "slide example" (default: the two points of the IFT6758 slides, no bias), "blobs"
    (``n_samples`` points of ``dl.data.blobs`` with ``centers`` (2, 2) for y = -1 and y = +1,
    ``std`` and random ``seed``; separable by default, 4 epochs), "XOR", or your own points
    with ``X`` (N, 2) and ``y`` (N,) in {-1, +1}.  sign_zero: 1 (course) or 0 (numpy's np.sign).
    bias: append a constant-1 feature (default: False for the slide example, True otherwise).

    ``mine``: your own step, called as ``mine(w, x, y)`` and returning ``(w_new, mistake)``
    (the new weights (D,) and 1 for a mistake, 0 for a match), like exercise 03.6.  The run
    is then made with your step: at each visit it is set against the rule's step from the
    same weights (the sign(0) menu chooses the rule), a visit where they differ is marked
    ``yours≠correct`` in the table and with a × on the plot, and a readout counts them with
    the largest error.  If your step raises, returns None or the wrong shape, the readout
    says so (with the visit) and the trainer shows dlcore's run.
    """
    return PerceptronTrainer(data=data, X=X, y=y, sign_zero=sign_zero, max_epochs=max_epochs,
                             bias=bias, n_samples=n_samples, centers=centers, std=std,
                             seed=seed, mine=mine)
