"""Widgets on the size and direction of one step: the Taylor view and the step-size limit.

Shapes: theta (2,) = (w, b); x, y (N,) the linear toy; S steps of a path.
"""

from __future__ import annotations

import numpy as np

from ... import data, optim
from ..._checks import check_choice, check_int
from .._base import (
    CMAP,
    PALETTE,
    dropdown,
    human,
    log_slider,
    play_controls,
    readout,
    slider,
    style_axes,
    view,
)
from ..milestones._common import legend_below, row, steady_limits
from . import _common as C

__all__ = ["taylor_direction", "step_size_limit"]

_BETAS = np.linspace(0.0, 360.0, 361)


class TaylorDirection(C.DescentApp):
    """Unit direction u at angle beta to the gradient: first-order change vs the true one."""

    inputs = ("lr",)

    def __init__(self, theta, lr, beta, loss_fn, grad_fn, radius):
        self.theta = np.array(theta)
        self.loss_fn = loss_fn
        self.L0 = C.loss_at(loss_fn, theta)
        self.g = C.grad_at(grad_fn, theta)
        self.k = float(np.linalg.norm(self.g))  # k = |u| |grad L| with |u| = 1
        controls = {
            "beta": slider("angle β to ∇L (°)", beta, 0.0, 360.0, 1.0, readout_format=".0f",
                           tooltip="angle β between the direction u and the gradient ∇L, in "
                                   "degrees; β = 180° points against the gradient"),
            "lr": log_slider("step size η", lr, 0.01, 10.0,
                             tooltip="how far to move along the unit direction u"),
        }
        self._curves: dict = {}
        self._ylim = None
        fig, (ax, ax_c) = C.make_figure(1, 2, figsize=(10.0, 4.1))
        w, b = self.theta
        win = (w - radius, w + radius, b - radius, b + radius)
        Wg, Bg, Zg = C.grid(loss_fn, win, 41)
        ax.contourf(Wg, Bg, Zg, levels=20, cmap=CMAP)
        style_axes(ax, f"Directions at θ = ({w:g}, {b:g})", "w", "b")
        ghat = self.g / self.k
        arrow = dict(arrowstyle="-|>", lw=2)
        ax.annotate("", xy=self.theta + 0.6 * radius * ghat, xytext=self.theta,
                    arrowprops={**arrow, "color": PALETTE["grey"]})
        ax.annotate("∇L", xy=self.theta + 0.65 * radius * ghat, color="white")
        self.u_arrow = ax.annotate("", xy=self.theta, xytext=self.theta,
                                   arrowprops={**arrow, "color": PALETTE["orange"]})
        self.target, = ax.plot([], [], "o", color=PALETTE["vermillion"], markersize=7,
                               markeredgecolor="white", label="θ + η u")
        ax.plot(*self.theta, "o", color=PALETTE["black"], markersize=6, label="θ")
        ax.set_xlim(win[0], win[1])
        ax.set_ylim(win[2], win[3])
        # Legends below the axes: inside, the arrow and the curves would cross them.
        legend_below(ax, 2)
        style_axes(ax_c, "Change in loss after the step", "angle β (degrees)",
                   "L(θ + ηu) - L(θ)")
        self.zero_line = ax_c.axhline(0.0, color=PALETTE["grey"], linewidth=0.8)
        self.pred_line, = ax_c.plot([], [], color=PALETTE["blue"],
                                    label="first order: η k cos β")
        self.true_line, = ax_c.plot([], [], color=PALETTE["orange"], linestyle="--",
                                    label="true change")
        self.beta_line = ax_c.axvline(beta, color=PALETTE["black"], linewidth=0.8)
        self.marks = ax_c.scatter([beta, beta], [0.0, 0.0],
                                  color=[PALETTE["blue"], PALETTE["orange"]], zorder=5)
        ax_c.set_xlim(0.0, 360.0)
        ax_c.set_xticks(np.arange(0, 361, 90))
        legend_below(ax_c, 2)
        self.ax, self.ax_c = ax, ax_c
        readouts = {"change": readout(), "k": readout()}
        super().__init__(controls, fig, readouts, title="Which direction lowers the loss most?",
                         layout="row")
        self.arrange([row(controls["beta"], view(controls["lr"]))])
        self.set_dynamic([self.u_arrow, self.target, self.zero_line, self.pred_line,
                          self.true_line, self.beta_line, self.marks])
        # A new η that needs a new range redraws the y axis and the curves, not the figure.
        self.blit_axes([ax_c.yaxis])
        self.recompute()
        self.update()

    def direction(self, beta_deg: float) -> np.ndarray:
        """The unit vector at angle beta (counter-clockwise) from the gradient."""
        a = np.deg2rad(beta_deg)
        rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
        return rot @ (self.g / self.k)

    def true_change(self, beta_deg: float, lr: float) -> float:
        return C.loss_at(self.loss_fn, self.theta + lr * self.direction(beta_deg)) - self.L0

    def _true_curve(self, lr: float) -> np.ndarray:
        """L(θ + η u(β)) - L(θ) for every β of ``_BETAS`` (remembered for recent η)."""
        key = float(lr)
        if key not in self._curves:
            a = np.deg2rad(_BETAS)
            ghat = self.g / self.k
            dirs = np.stack([np.cos(a) * ghat[0] - np.sin(a) * ghat[1],
                             np.sin(a) * ghat[0] + np.cos(a) * ghat[1]], axis=1)
            pts = self.theta[None, :] + lr * dirs
            if self.loss_fn is C.toy_loss:
                curve = C.toy_losses(pts) - self.L0
            else:
                curve = np.array([C.loss_at(self.loss_fn, p) for p in pts]) - self.L0
            if len(self._curves) >= 64:
                self._curves.pop(next(iter(self._curves)))
            self._curves[key] = curve
        return self._curves[key]

    def recompute(self) -> None:
        lr = self.controls["lr"].value
        self.pred = lr * self.k * np.cos(np.deg2rad(_BETAS))
        self.true = self._true_curve(lr)
        self.pred_line.set_data(_BETAS, self.pred)
        self.true_line.set_data(_BETAS, self.true)
        lo, hi = min(self.pred.min(), self.true.min()), max(self.pred.max(), self.true.max())
        # The axis keeps its range while the curves fill it well: a change of η then redraws
        # only the curves, not the whole figure.
        self._ylim = steady_limits(self._ylim, lo, hi, slack=2.5)
        self.ax_c.set_ylim(*self._ylim)

    def update(self) -> None:
        beta, lr = self.controls["beta"].value, self.controls["lr"].value
        u = self.direction(beta)
        self.u_arrow.xy = tuple(self.theta + 0.6 * (self.ax.get_xlim()[1] - self.theta[0]) * u)
        self.target.set_data([self.theta[0] + lr * u[0]], [self.theta[1] + lr * u[1]])
        pred = lr * self.k * np.cos(np.deg2rad(beta))
        true = self.true_change(beta, lr)
        self.beta_line.set_xdata([beta, beta])
        self.marks.set_offsets([[beta, pred], [beta, true]])
        self.set_readout("change", f"β = {beta:.0f}°: cos β = {np.cos(np.deg2rad(beta)):.3f}; "
                                   f"first order η k cos β = {pred:.6f}; true change = "
                                   f"{true:.6f}")
        self.set_readout("k", f"k = ‖u‖‖∇L‖ = {self.k:.6f} (‖u‖ = 1); the most negative "
                              f"first-order change is at β = 180°, u = -∇L/‖∇L‖")
        self.set_summary(f"Step η = {human(lr)} at angle {beta:.0f}° to the gradient: the first-"
                         f"order prediction is {pred:.4f}, the true change {true:.4f}.")


def taylor_direction(theta=(0.5, 0.0), lr: float = 0.05, beta: float = 180.0, loss_fn=None,
                     grad_fn=None, radius: float = 1.5) -> TaylorDirection:
    """Angle beta -> the first-order change ``eta k cos(beta)`` against the true change.

    ``L(theta + eta u) - L(theta) ~ eta u^T grad L = eta k cos(beta)``, k = |u| |grad L|, for a
    unit direction u at angle beta to the gradient.  theta: (2,) a point where the gradient is
    not zero; lr in [0.01, 10]; beta in [0, 360] degrees; loss_fn: theta (2,) -> float and
    grad_fn: theta (2,) -> (2,), default the two-point toy's; radius: half-width of the
    contour window around theta.
    """
    theta = C.point(theta, "theta", C.WINDOW)
    lr = C.real(lr, "lr", 0.01, 10.0)
    beta = C.real(beta, "beta", 0.0, 360.0)
    radius = C.real(radius, "radius", 0.05, 10.0)
    loss_fn = C.checked_fn(loss_fn, "loss_fn", C.toy_loss)
    grad_fn = C.checked_fn(grad_fn, "grad_fn", C.toy_grad)
    g = C.grad_at(grad_fn, theta)
    if not np.all(np.isfinite(g)) or np.linalg.norm(g) < 1e-12:
        raise ValueError(f"the gradient at theta = {theta} is zero or not finite ({g}); "
                         f"choose a point away from the minimum")
    return TaylorDirection(theta, lr, beta, loss_fn, grad_fn, radius)


_MODES = {"batch GD (sum over all points)": "batch", "per-sample (one step per point)": "sample"}


class StepSizeLimit(C.DescentApp):
    """GD on y_hat = w x (linear toy): iterates, distance to w*, and the contraction factor."""

    inputs = ("lr", "mode")

    def __init__(self, lr, mode, steps, w0):
        self.x, self.y = data.linear_toy()
        self.h = float(np.sum(self.x ** 2))
        self.limit = optim.stability_limit(self.h)
        self.w_star = float(np.sum(self.x * self.y) / self.h)
        self.steps, self.w0 = steps, w0
        play, t = play_controls(steps, interval_ms=250, description="step t")
        lr_slider = log_slider("learning rate η", lr, 1e-3, 2.0,
                               tooltip=f"the batch limit is 2/Σx² = {self.limit:.5f}")
        lr_slider.step = 0.01
        controls = {
            "lr": lr_slider,
            "mode": dropdown("update", _MODES, value=mode,
                             tooltip="batch: one step per pass; per-sample: one step per point"),
            "play": play,
            "t": t,
        }
        fig, (ax_w, ax_e, ax_f) = C.make_figure(1, 3, figsize=(13.0, 4.1))
        ws = np.linspace(self.w_star - 2.5, self.w_star + 2.5, 201)
        ax_w.plot(ws, [self.loss(v) for v in ws], color=PALETTE["grey"], label="L(w)")
        self.iter_line, = ax_w.plot([], [], "-o", color=PALETTE["vermillion"], markersize=4,
                                    label="w_0 .. w_t")
        ax_w.axvline(self.w_star, color=PALETTE["green"], linestyle=":", label="w*")
        ax_w.set_xlim(ws[0], ws[-1])
        ax_w.set_ylim(-5.0, self.loss(ws[0]) * 1.1)
        style_axes(ax_w, "L(w) and the iterates", "w", "L(w) = ½Σ(y - w x)²")
        # Legends below the axes: inside, the iterates would be drawn over them.
        legend_below(ax_w, 3)
        self.err_line, = ax_e.plot([], [], "-o", color=PALETTE["blue"], markersize=3)
        ax_e.set_yscale("log")
        ax_e.set_xlim(0, steps)
        style_axes(ax_e, "Distance to w*", "step t", "|w_t - w*|")
        etas = np.logspace(-3, np.log10(2.0), 400)
        self.etas = etas
        self.factor_line, = ax_f.plot([], [], color=PALETTE["blue"])
        ax_f.axhline(1.0, color=PALETTE["grey"], linewidth=0.8)
        self.limit_line = ax_f.axvline(self.limit, color=PALETTE["vermillion"], linestyle="--",
                                       label=f"2/Σx² = {human(self.limit, 3)}")
        self.factor_dot, = ax_f.plot([], [], "o", color=PALETTE["black"], label="current η")
        ax_f.set_xscale("log")
        ax_f.set_yscale("log")
        ax_f.set_xlim(etas[0], etas[-1])
        ax_f.set_ylim(1e-4, 1e5)
        legend_below(ax_f, 2)
        self.ax_w, self.ax_e, self.ax_f = ax_w, ax_e, ax_f
        self._elim = None
        readouts = {"limit": readout(), "iterates": readout(), "status": readout()}
        super().__init__(controls, fig, readouts, title="How large can the step be?")
        self.arrange([row(view(controls["lr"]), controls["mode"]),
                      row(controls["play"], controls["t"])])
        self.set_dynamic([self.iter_line, self.err_line, self.factor_line, self.factor_dot])
        self.blit_axes([ax_e.yaxis])  # a new range of distances: only that axis is redrawn
        self.recompute()
        self.update()
        self._needs_full = False

    def loss(self, w: float) -> float:
        return 0.5 * float(np.sum((self.y - w * self.x) ** 2))

    def recompute(self) -> None:
        lr, mode = self.controls["lr"].value, self.controls["mode"].value
        grad = (C.linear_batch_grad if mode == "batch" else C.linear_sample_grad)(self.x, self.y)
        self.path = optim.trajectory("gd", grad, [self.w0], self.steps, lr=lr)[:, 0]
        self.factor = C.epoch_factor(lr, self.x, mode)
        curve = np.abs([C.epoch_factor(e, self.x, mode) for e in self.etas])
        self.factor_line.set_data(self.etas, np.clip(curve, 1e-4, None))
        self.factor_dot.set_data([lr], [max(abs(self.factor), 1e-4)])
        if mode == "batch":
            title, ylabel = "Error factor per step", "|1 - ηΣx²|"
        else:
            title, ylabel = "Error factor per epoch", "|Π(1 - ηx_i²)|"
        if self.ax_f.get_title() != title:
            style_axes(self.ax_f, title, "learning rate η", ylabel)
            self._needs_full = True  # the title is not one of the blitted artists
        err = np.abs(self.path - self.w_star)
        ok = err[np.isfinite(err) & (err > 0)]
        lo = max(ok.min() / 3, 1e-16) if ok.size else 1e-16
        hi = ok.max() * 3 if ok.size else 1.0
        # In decades, kept while the new path fits it well (then only the lines are redrawn).
        self._elim = steady_limits(self._elim, lo, max(hi, lo * 10), log=True, pad=0.0,
                                   headroom=0.15, slack=1.5)
        self.ax_e.set_ylim(*self._elim)

    def status(self) -> str:
        mode = self.controls["mode"].value
        f = self.factor
        if mode == "batch":
            if abs(f) < 1:
                return f"converges: each step multiplies w_t - w* by {f:.4f}"
            if abs(f) == 1:
                return "on the limit: w_t - w* flips sign with constant size"
            return f"diverges: each step multiplies w_t - w* by {f:.4g}"
        last = self.path[-4:]
        if abs(f) < 1 and np.all(np.isfinite(last)):
            cyc = " -> ".join(f"{v:.6g}" for v in last)
            why = ("epoch factor 0: after one epoch every start lands on the same point"
                   if abs(f) < 1e-12 else f"epoch factor {f:.4g}")
            return (f"bounded, does not converge: per-sample steps with a fixed η end in a "
                    f"4-step cycle ({why}); last epoch {cyc}")
        return f"diverges: each epoch multiplies the error by {f:.4g}"

    def update(self) -> None:
        t = int(self.controls["t"].value)
        lr = self.controls["lr"].value
        ws = self.path[: t + 1]
        with np.errstate(all="ignore"):
            self.iter_line.set_data(ws, [self.loss(v) for v in ws])
            self.err_line.set_data(np.arange(t + 1), np.abs(ws - self.w_star))
        side = "below" if lr < self.limit else "above"
        self.set_readout("limit", f"batch limit 2/Σx² = 2/{self.h:g} = {self.limit:.6f}; "
                                  f"η = {human(lr, 3)} is {side} it; least squares w* = "
                                  f"{self.w_star:.6f}")
        shown = ", ".join(f"{v:.6g}" for v in ws[:9])
        tail = f", ..., w_{t} = {ws[-1]:.6g}" if t > 8 else ""
        self.set_readout("iterates", f"w_0 .. w_{min(t, 8)}: {shown}{tail}")
        self.set_readout("status", self.status())
        self.set_summary(f"η = {human(lr, 3)}, {self.controls['mode'].label}: after {t} step(s) "
                         f"w = {ws[-1]:.6g}; {self.status().split(':')[0]}.")


def step_size_limit(lr: float = 0.01, mode: str = "batch", steps: int = 40,
                    w0: float = 0.0) -> StepSizeLimit:
    """η on the linear model ``y_hat = w x`` -> convergence or divergence, and the 2/Σx² limit.

    Data: ``data.linear_toy()`` (Σx² = 117.25).  lr in [0.001, 2]; mode: "batch" (one step per
    pass over the four points) or "sample" (one step per point, cycling through them);
    steps: S updates shown; w0: the start.
    """
    lr = C.real(lr, "lr", 1e-3, 2.0)
    check_choice(mode, "mode", tuple(_MODES.values()))
    steps = check_int(steps, "steps", minimum=1)
    if steps > 2000:
        raise ValueError(f"steps must be at most 2000; got {steps}")
    w0 = C.real(w0, "w0", -100.0, 100.0)
    return StepSizeLimit(lr, mode, steps, w0)
