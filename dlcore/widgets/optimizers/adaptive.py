r"""``adaptive_steps``: the step size each coordinate gets from Adagrad, RMSProp or Adam.

The steps come from the update rules of ``dlcore.optim`` (``adagrad_update``,
``rmsprop_update``, ``adam_update``), whose state holds the running sums; the effective step of
coordinate i at step t is the factor in front of its (averaged) gradient:

- Adagrad :math:`\eta / (\sqrt{G_{t,i}} + \epsilon)`, :math:`G_t = \sum_{s \le t} g_s^2`;
- RMSProp :math:`\eta / (\sqrt{s_{t,i}} + \epsilon)`, :math:`s_t` the moving average of
  :math:`g^2`;
- Adam :math:`\eta / (\sqrt{\hat v_{t,i}} + \epsilon)`, which multiplies :math:`\hat m_t`.

GD uses one step for every coordinate.  Shapes: path (S + 1, 2); rates (S, 2), row t the
steps used to go from theta_t to theta_{t+1}.
"""

from __future__ import annotations

import numbers

import ipywidgets as W
import numpy as np

from ...optim import SURFACES, adagrad_update, adam_update, rmsprop_update, surface, trajectory
from ...optim.surfaces import fast_grad
from ...viz.optim import OPTIMIZER_LABELS, OPTIMIZER_STYLE
from .._base import (
    CMAP,
    PALETTE,
    App,
    dropdown,
    log_slider,
    make_figure,
    readout,
    style_axes,
    view,
)
from ._common import (
    ContourLines,
    check_point,
    check_steps,
    finite_rows,
    ipympl_workarounds,
    shown_value,
    step_row,
    sticky_limits,
)

__all__ = ["adaptive_steps"]

METHODS = ("adagrad", "rmsprop", "adam")
PRESET_LR = {"adagrad": 1.0, "rmsprop": 0.1, "adam": 0.3}
SURFACE_CHOICES = {"axis-aligned bowl (quadratic)": "quadratic",
                   "rotated narrow valley": "valley"}
_RULES = {"adagrad": adagrad_update, "rmsprop": rmsprop_update, "adam": adam_update}


def _effective(method: str, state: dict, hyper: dict) -> np.ndarray:
    """The per-coordinate step factor held in the optimizer ``state`` after a step."""
    lr = hyper["lr"]
    if method == "adagrad":
        return lr / (np.sqrt(state["sum"]) + hyper.get("eps", 1e-10))
    if method == "rmsprop":
        return lr / (np.sqrt(state["square_avg"]) + hyper.get("eps", 1e-8))
    beta2 = hyper.get("betas", (0.9, 0.999))[1]
    v_hat = state["exp_avg_sq"] / (1 - beta2 ** state["step"])
    return lr / (np.sqrt(v_hat) + hyper.get("eps", 1e-8))


def adaptive_run(method: str, grad_fn, theta0, steps: int, **hyper):
    """``(path, rates)``: the path of ``method`` and the effective step of each coordinate.

    theta0 (dim,); path (S + 1, dim), equal to ``dlcore.optim.trajectory(method, ...)``;
    rates (S, dim).  Rows after an overflow are NaN.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}; got "
                         f"{method!r}")
    theta = np.array(theta0, dtype=np.float64)
    path = np.full((steps + 1, theta.size), np.nan)
    rates = np.full((steps, theta.size), np.nan)
    path[0] = theta
    state: dict = {}
    with np.errstate(all="ignore"):
        for t in range(steps):
            theta, state = _RULES[method](theta, grad_fn(theta.copy()), state, **hyper)
            if not np.all(np.isfinite(theta)):
                break
            path[t + 1], rates[t] = theta, _effective(method, state, hyper)
    return path, rates


class AdaptiveSteps(App):
    """Path and per-coordinate step sizes of an adaptive method; see ``adaptive_steps``."""

    def __init__(self, method, surface_name, kappa, lr, steps, start):
        self.steps, self._start = steps, start
        self._silent = True
        controls = {
            "method": dropdown("adaptive method", {OPTIMIZER_LABELS[m]: m for m in METHODS},
                               method, tooltip="which adaptive optimizer to follow"),
            "lr": log_slider("learning rate η", lr, 1e-3, 3.0,
                             tooltip="the base learning rate the method divides per coordinate"),
            "surface": dropdown("error surface", SURFACE_CHOICES, surface_name,
                                tooltip="an axis-aligned bowl, or the same bowl turned by 30°"),
            "kappa": log_slider("condition number κ", kappa, 1.0, 200.0,
                                tooltip="curvature ratio: steep direction / flat direction"),
        }
        row, controls["step"], self.play, self.step_button = step_row(steps)
        fig, (self.ax_path, self.ax_rate) = make_figure(1, 2, figsize=(10.5, 4.0))
        readouts = {"rates": readout(), "gd": readout()}
        super().__init__(controls, fig, readouts, title="Adaptive step sizes")
        c = self.controls
        wrap = W.Layout(flex_flow="row wrap")
        self.arrange([W.HBox([c["method"], view(c["lr"])], layout=wrap),
                      W.HBox([c["surface"], view(c["kappa"])], layout=wrap), row])
        self._build_artists()
        self._runs: dict = {}
        self._silent = False
        self.update()
        self.set_dynamic([self._contours.lines, self.gd_line, self.path_line, self.head,
                          self.start_marker, self.rate_x, self.rate_y, self.gd_rate,
                          self.ideal_x, self.ideal_y, self.step_line, self.ax_path.title])
        ipympl_workarounds(self)

    def _build_artists(self) -> None:
        self._contours = ContourLines(self.ax_path, CMAP)
        gd = OPTIMIZER_STYLE["gd"]
        self.gd_line, = self.ax_path.plot([], [], color=gd["color"], linestyle=":",
                                          linewidth=1.3, label="GD, η = 2/(1+κ)", zorder=2)
        self.path_line, = self.ax_path.plot([], [], color=PALETTE["vermillion"], linewidth=1.6,
                                            marker=".", markersize=4, label="adaptive",
                                            zorder=3)
        self.head, = self.ax_path.plot([], [], marker="D", markersize=9, linestyle="none",
                                       color=PALETTE["vermillion"],
                                       markeredgecolor=PALETTE["black"], zorder=5)
        self.start_marker, = self.ax_path.plot([], [], marker="o", markersize=9,
                                               markerfacecolor="white", linestyle="none",
                                               markeredgecolor=PALETTE["black"], zorder=6)
        # under the axes, as the other panel's: the contours move with κ and the paths
        self.path_legend = self.ax_path.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2),
                                               ncol=2, fontsize="small", frameon=False,
                                               columnspacing=1.0)
        self.rate_x, = self.ax_rate.plot([], [], color=PALETTE["blue"], linewidth=2,
                                         label="coordinate x")
        self.rate_y, = self.ax_rate.plot([], [], color=PALETTE["orange"], linewidth=2,
                                         linestyle="--", label="coordinate y")
        self.gd_rate = self.ax_rate.axhline(1.0, color=PALETTE["grey"], linestyle=":",
                                            linewidth=1.5, label="GD (both coordinates)")
        self.ideal_x = self.ax_rate.axhline(1.0, color=PALETTE["blue"], linewidth=0.8,
                                            alpha=0.6, label="1/h (Newton step)")
        self.ideal_y = self.ax_rate.axhline(1.0, color=PALETTE["orange"], linewidth=0.8,
                                            alpha=0.6)
        self.step_line = self.ax_rate.axvline(self.steps, color=PALETTE["grey"], linewidth=1)
        self.ax_rate.set_yscale("log")
        self.ax_rate.set_xlim(0, self.steps)
        style_axes(self.ax_rate, "Step size per coordinate", "step t",
                   "effective step size (log)")
        # under the axes: inside it covered the 1/h lines
        self.ax_rate.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2,
                            fontsize="small", frameon=False, columnspacing=1.0)

    def _on_change(self, change=None) -> None:
        if self._silent:
            return
        owner = change["owner"] if change is not None else None
        if owner is self.controls["step"]:
            self._show()
        else:
            if owner is self.controls["method"]:
                self._silent = True
                self.controls["lr"].value = PRESET_LR[self.controls["method"].value]
                self._silent = False
            self.update()
        # a new method renames the path in the legend, which is drawn once: draw it all
        self.redraw(full=owner is self.controls["method"])

    def update(self) -> None:
        c = self.controls
        name, kappa = c["surface"].value, shown_value(c["kappa"])
        method, lr = c["method"].value, float(c["lr"].value)
        self.loss_fn, _ = surface(name, kappa=kappa)
        self.grad_fn = fast_grad(name, kappa=kappa)
        info = SURFACES[name]
        start = info.start if self._start is None else self._start
        # contours change with the surface only
        self._contours.update(self.loss_fn, info.xlim, info.ylim, 0.0, key=(name, kappa))
        self.start_marker.set_data([start[0]], [start[1]])
        key = (name, kappa, tuple(start), method, lr)  # arrow keys go back and forth
        if key not in self._runs:
            if len(self._runs) >= 300:
                self._runs.clear()
            path, rates = adaptive_run(method, self.grad_fn, start, self.steps, lr=lr)
            gd_path = trajectory("gd", self.grad_fn, start, self.steps, lr=2.0 / (1.0 + kappa))
            self._runs[key] = path, rates, gd_path
        self.path, self.rates, self.gd_path = self._runs[key]
        self.gd_lr = 2.0 / (1.0 + kappa)
        self.gd_rate.set_ydata([self.gd_lr, self.gd_lr])
        aligned = name == "quadratic"
        for line, h in ((self.ideal_x, 1.0), (self.ideal_y, kappa)):
            line.set_ydata([1.0 / h, 1.0 / h])
            line.set_visible(aligned)
        rates = self.rates[np.isfinite(self.rates)]
        values = np.concatenate([rates, [self.gd_lr, 1.0, 1.0 / kappa]])
        sticky_limits(self.ax_rate, values.min(), values.max(), log=True)
        style_axes(self.ax_path, f"{OPTIMIZER_LABELS[method]} on {name} (κ = {kappa:.3g})",
                   "x", "y")
        self._show()

    def _show(self) -> None:
        c = self.controls
        k, method = int(c["step"].value), c["method"].value
        path = self.path[:k + 1]
        n_ok = finite_rows(path)
        self.path_line.set_data(path[:n_ok, 0], path[:n_ok, 1])
        self.head.set_data(path[n_ok - 1:n_ok, 0], path[n_ok - 1:n_ok, 1])
        self.path_line.set_label(OPTIMIZER_LABELS[method])
        self.path_legend.get_texts()[1].set_text(OPTIMIZER_LABELS[method])
        gd = self.gd_path[:k + 1]
        self.gd_line.set_data(gd[:, 0], gd[:, 1])
        t = np.arange(1, k + 1)
        self.rate_x.set_data(t - 1, self.rates[:k, 0])
        self.rate_y.set_data(t - 1, self.rates[:k, 1])
        self.step_line.set_xdata([k, k])
        label = OPTIMIZER_LABELS[method]
        self.set_readout("gd", f"GD uses η = 2/(1+κ) = {self.gd_lr:.3g} for both coordinates "
                               f"(the best single rate on this bowl).")
        if k == 0:
            self.set_readout("rates", "Step 0: no step taken yet; press play or step ▸.")
            self.set_summary(f"{label}: press play to see the per-coordinate step sizes.")
            return
        rx, ry = self.rates[k - 1]
        if not np.isfinite(rx):
            self.set_readout("rates", f"Step {k}: the path overflowed; lower η.")
            self.set_summary(f"{label} diverged with η = {c['lr'].value:.3g}.")
            return
        self.set_readout("rates", f"Step {k}: effective step x {rx:.3g}, y {ry:.3g} "
                                  f"(x/y = {rx / ry:.3g}).")
        where = "axis-aligned bowl" if c["surface"].value == "quadratic" else "rotated valley"
        self.set_summary(f"{label} on the {where}: at step {k} coordinate x moves with step "
                         f"{rx:.3g} and y with {ry:.3g}, a ratio of {rx / ry:.3g} "
                         f"(κ = {shown_value(c['kappa']):g}).")


def adaptive_steps(method: str = "adagrad", *, surface: str = "quadratic", kappa: float = 20.0,
                   lr: float | None = None, steps: int = 100, start=None) -> AdaptiveSteps:
    """Per-coordinate effective step sizes of Adagrad, RMSProp or Adam, next to GD.

    Left: the method's path and GD's (η = 2/(1+κ)) on a bowl of condition number κ, either
    axis-aligned ("quadratic") or turned ("valley"); right: the step size each coordinate gets,
    against the step, with GD's single rate and (axis-aligned bowl) the Newton steps 1/h.
    ``lr`` defaults to the method's preset (``PRESET_LR``); ``start`` (x, y) defaults to the
    surface's.  Returns the widget.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}; got "
                         f"{method!r}")
    if surface not in SURFACE_CHOICES.values():
        raise ValueError(f"surface must be 'quadratic' or 'valley'; got {surface!r}")
    lr = PRESET_LR[method] if lr is None else lr
    for name, value, lo, hi in (("kappa", kappa, 1.0, 200.0), ("lr", lr, 1e-3, 3.0)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) \
                or not lo <= value <= hi:
            raise ValueError(f"{name} must be a number in [{lo:g}, {hi:g}]; got {value!r}")
    start = None if start is None else check_point(start)
    return AdaptiveSteps(method, surface, float(kappa), float(lr), check_steps(steps, hi=1000),
                         start)
