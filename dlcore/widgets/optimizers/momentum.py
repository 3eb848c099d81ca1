r"""``momentum_explorer``: step size and momentum on an ill-conditioned quadratic.

The surface is :math:`E = \tfrac12 (h_1 x^2 + h_2 y^2)` (``dlcore.optim.surface("quadratic")``
scaled by :math:`h_1`); the path is ``dlcore.optim.trajectory`` and the boundary
``dlcore.optim.stability_limit``.  The per-step contraction is the largest root modulus of the
iteration's characteristic polynomial (heavy ball :math:`z^2 - (1 + \beta - \eta h) z + \beta`,
Nesterov :math:`z^2 - (1 + \beta)(1 - \eta h) z + \beta (1 - \eta h)`).  With ``mine=``, the
learner's momentum step (exercise 09.6) walks its own path beside dlcore's (``_yours``).
Shapes: a path is (S + 1, 2).
"""

from __future__ import annotations

import numbers

import ipywidgets as W
import numpy as np
from matplotlib.patches import Polygon

from ..._checks import as_array
from ...optim import stability_limit, surface, trajectory
from ...optim.surfaces import fast_grad
from .._base import (
    CMAP,
    PALETTE,
    App,
    dropdown,
    make_figure,
    readout,
    slider,
    style_axes,
    view,
)
from .._mine import mine_name, require_function
from .._text import cached_text
from ._common import (
    ContourLines,
    check_point,
    check_steps,
    finite_rows,
    human_readout,
    ipympl_workarounds,
    step_row,
    sticky_limits,
)
from ._yours import MOMENTUM_REFERENCE, compare_paths, momentum_path, show_path

__all__ = ["momentum_explorer"]

METHODS = {"momentum": "heavy ball (torch SGD momentum)", "nag": "Nesterov (nesterov=True)"}
_BETAS = np.linspace(0.0, 0.99, 100)


def lr_grid(h_max: float) -> tuple:
    """``(lo, hi, step)`` of the step-size slider: up to 1.25 x the largest stable α, on a grid
    of round numbers (1, 2 or 5 times a power of ten), so that values such as the slides' 0.003
    sit on it (the browser moves a slider's value to its grid)."""
    top = 1.25 * stability_limit(h_max, "momentum", 0.99)
    raw = top / 250
    power = 10.0 ** np.floor(np.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw * 0.999)
    step = float(f"{step:.3g}")
    return step, float(f"{np.ceil(top / step - 1e-9) * step:.6g}"), step


def contraction(h: float, lr: float, beta: float, method: str = "momentum") -> float:
    """Largest |root| of the iteration on ``E = h w^2 / 2``: the error shrinks by it per step."""
    if method == "nag" and beta > 0:
        coeffs = [1.0, -(1 + beta) * (1 - lr * h), beta * (1 - lr * h)]
    else:
        coeffs = [1.0, -(1 + beta - lr * h), beta]
    return float(np.max(np.abs(np.roots(coeffs))))


class MomentumExplorer(App):
    """Path, loss and stability region of heavy-ball or Nesterov momentum; see the factory."""

    def __init__(self, lr, momentum, method, curvatures, start, steps, mine=None):
        self.mine = require_function(mine, "my_momentum_step", "your momentum step function")
        # with mine=: your path, how many of its points were computed, the steps that differ
        self.mine_path, self.mine_rows, self.mine_differ = None, 0, None
        self.h = curvatures
        self.steps, self.start = steps, start
        base_loss, _ = surface("quadratic", kappa=curvatures[1] / curvatures[0])
        base_grad = fast_grad("quadratic", kappa=curvatures[1] / curvatures[0])
        h1 = curvatures[0]
        self.loss_fn = lambda p: h1 * base_loss(p)
        self.grad_fn = lambda p: h1 * base_grad(p)
        lr_lo, self.lr_max, lr_step = lr_grid(curvatures[1])
        controls = {
            "lr": slider("step size α (learning rate η)", min(lr, self.lr_max),
                         lr_lo, self.lr_max, lr_step,
                         tooltip="learning rate: the step is α times the velocity"),
            "momentum": slider("momentum β", momentum, 0.0, 0.99, 0.01,
                               tooltip="how much of the previous step is kept (0 = plain GD)"),
            "method": dropdown("momentum form", {v: k for k, v in METHODS.items()}, method,
                               tooltip="heavy ball or Nesterov's look-ahead"),
        }
        human_readout(controls["lr"])  # 0.003, not 0.0030
        row, controls["step"], self.play, self.step_button = step_row(steps)
        fig, (self.ax_path, self.ax_loss, self.ax_stab) = make_figure(1, 3, figsize=(12, 3.9))
        readouts = {"stability": readout(), "rate": readout(), "position": readout(),
                    **({"mine": readout()} if mine is not None else {})}
        super().__init__(controls, fig, readouts, title="Momentum explorer")
        c = self.controls
        self.arrange([W.HBox([view(c["lr"]), c["momentum"]],
                             layout=W.Layout(flex_flow="row wrap")),
                      W.HBox([c["method"], row], layout=W.Layout(flex_flow="row wrap"))])
        self._build_artists()
        self.update()
        # markers that sit over the path are redrawn with it, on top; the stable region
        # changes with the momentum form only (a full draw)
        self.set_dynamic([self.path_line, self.head, self.min_marker, self.start_marker,
                          self.loss_line, self.step_line, self.point, *self._mine_artists()])
        ipympl_workarounds(self)

    def _build_artists(self) -> None:
        x0, y0 = self.start
        self.xlim = (-1.3 * max(abs(x0), 0.1), 1.3 * max(abs(x0), 0.1))
        self.ylim = (-1.6 * max(abs(y0), 0.1), 1.6 * max(abs(y0), 0.1))
        self._contours = ContourLines(self.ax_path, CMAP)
        self._contours.update(self.loss_fn, self.xlim, self.ylim, 0.0)
        self.start_marker, = self.ax_path.plot(*self.start, marker="o", markersize=9,
                                               markerfacecolor="white", linestyle="none",
                                               markeredgecolor=PALETTE["black"], zorder=6)
        self.min_marker, = self.ax_path.plot(0, 0, marker="*", markersize=13,
                                             color=PALETTE["black"], linestyle="none", zorder=4)
        self.path_line, = self.ax_path.plot([], [], color=PALETTE["orange"], marker=".",
                                            markersize=4, linewidth=1.3, zorder=3)
        self.head, = self.ax_path.plot([], [], marker="s", markersize=9, color=PALETTE["orange"],
                                       markeredgecolor=PALETTE["black"], linestyle="none",
                                       zorder=5)
        style_axes(self.ax_path, f"Path on E = ½({self.h[0]:g}x² + {self.h[1]:g}y²)", "x", "y")
        if self.mine is not None:
            self.mine_line, = self.ax_path.plot([], [], color=PALETTE["black"], linestyle=":",
                                                linewidth=2.0, zorder=4)
            self.mine_marks, = self.ax_path.plot([], [], marker="x", markersize=5,
                                                 markeredgewidth=1.2, linestyle="none",
                                                 color=PALETTE["vermillion"], zorder=6)

        self.loss_line, = self.ax_loss.plot([], [], color=PALETTE["orange"], linewidth=1.5)
        if self.mine is not None:
            self.mine_curve, = self.ax_loss.plot([], [], color=PALETTE["black"], linestyle=":",
                                                 linewidth=2.0)
        self.step_line = self.ax_loss.axvline(self.steps, color=PALETTE["grey"], linewidth=1)
        self.ax_loss.set_yscale("log")
        self.ax_loss.set_xlim(0, self.steps)
        style_axes(self.ax_loss, "Loss vs step", "step t", "loss E(θ_t) (log)")

        self.region = Polygon(np.zeros((3, 2)), closed=True, facecolor=PALETTE["sky"],
                              alpha=0.35, edgecolor="none", label="stable")
        self.ax_stab.add_patch(self.region)
        self.boundary, = self.ax_stab.plot([], [], color=PALETTE["blue"], linewidth=2,
                                           label=f"limit, h = {self.h[1]:g}")
        self.point, = self.ax_stab.plot([], [], marker="o", markersize=10, linestyle="none",
                                        markeredgecolor=PALETTE["black"], zorder=5)
        self.ax_stab.set_xlim(0, self.lr_max)
        self.ax_stab.set_ylim(-0.04, 1)  # the point at β = 0 is drawn whole
        style_axes(self.ax_stab, f"Stable region, h = {self.h[1]:g}", "step size α",
                   "momentum β")
        # The regions are named where they are (a legend covered the boundary and the point);
        # the point is green when stable, vermillion when not (the readout says which).
        self.region_labels = [
            cached_text(self.ax_stab, 0.04, 0.55, "stable", transform=self.ax_stab.transAxes,
                        color=PALETTE["blue"], fontsize=10, ha="left", va="center"),
            cached_text(self.ax_stab, 0.97, 0.35, "unstable", transform=self.ax_stab.transAxes,
                        color=PALETTE["vermillion"], fontsize=10, ha="right", va="center")]

    def _mine_artists(self) -> list:
        return [self.mine_line, self.mine_marks, self.mine_curve] if self.mine is not None \
            else []

    def _compute_mine(self, lr: float, beta: float) -> None:
        """Your momentum step from the same start, set against dlcore's heavy-ball path."""
        self.mine_path, self.mine_rows, self.mine_differ = None, 0, None
        if self.method == "nag":
            self.set_readout("mine", f"{mine_name(self.mine)} takes the heavy-ball step: choose "
                                     f"'{METHODS['momentum']}' as the momentum form (or β = 0) "
                                     f"to compare it with {MOMENTUM_REFERENCE}.")
            return
        path, rows, problem = momentum_path(self.mine, self.grad_fn, self.start, self.steps,
                                            lr, beta)
        if path is None:
            self.set_readout("mine", problem)
            return
        self.mine_path, self.mine_rows = path, rows
        self.mine_differ, text = compare_paths(path, rows, self.path, mine_name(self.mine),
                                               MOMENTUM_REFERENCE)
        self.set_readout("mine", text if problem is None else f"{text} But {problem}.")
        with np.errstate(all="ignore"):
            self.mine_loss = self.loss_fn(np.where(np.isfinite(path), path, np.nan))

    def _show_mine(self, k: int) -> None:
        path = self.mine_path
        for artist in self._mine_artists():
            artist.set_visible(path is not None)
        if path is None:
            return
        show_path(self.mine_line, self.mine_marks, self.mine_curve, path, self.mine_differ,
                  self.mine_loss, min(k + 1, self.mine_rows))

    def _on_change(self, change=None) -> None:
        owner = None if change is None else change["owner"]
        if owner is self.controls["step"]:
            self._show()
        else:
            self.update()
        self.redraw(full=owner is self.controls["method"])  # a new stable region

    @property
    def method(self) -> str:
        """The trajectory name the controls select ("gd" when β = 0)."""
        beta = float(self.controls["momentum"].value)
        return "gd" if beta == 0 else self.controls["method"].value

    def update(self) -> None:
        c = self.controls
        lr, beta, form = float(c["lr"].value), float(c["momentum"].value), c["method"].value
        hyper = {"lr": lr} if self.method == "gd" else {"lr": lr, "momentum": beta}
        self.path = trajectory(self.method, self.grad_fn, self.start, self.steps, **hyper)
        with np.errstate(all="ignore"):
            self.loss = self.loss_fn(self.path)
        if self.mine is not None:
            self._compute_mine(lr, beta)
        limits = np.array([stability_limit(self.h[1], form, b) for b in _BETAS])
        self.region.set_xy(np.vstack([[0.0, 0.0], np.column_stack([limits, _BETAS]),
                                      [0.0, _BETAS[-1]]]))
        self.boundary.set_data(limits, _BETAS)
        self.limit = (stability_limit(self.h[1], "gd") if beta == 0
                      else stability_limit(self.h[1], form, beta))
        self.stable = 0 < lr < self.limit
        self.point.set_data([lr], [beta])
        self.point.set_color(PALETTE["green"] if self.stable else PALETTE["vermillion"])
        self.point.set_markeredgecolor(PALETTE["black"])
        rho = [contraction(h, lr, beta, form) for h in self.h]
        verdict = "stable" if self.stable else "unstable: the path diverges"
        self.set_readout("stability", f"α·h_max = {lr * self.h[1]:.3g}; the limit is "
                                      f"{self.limit * self.h[1]:.3g} "
                                      f"({'2' if beta == 0 else '2(1+β)'}"
                                      f"{'/(1+2β)' if beta > 0 and form == 'nag' else ''}) "
                                      f"→ {verdict}.")
        self.rho = rho
        self.set_readout("rate", f"Per step the error shrinks by ×{rho[0]:.4f} along x "
                                 f"(h = {self.h[0]:g}) and ×{rho[1]:.4f} along y "
                                 f"(h = {self.h[1]:g}); above 1 it grows.")
        finite = self.loss[np.isfinite(self.loss) & (self.loss > 0)]
        if finite.size:
            top = min(finite.max(), self.loss[0] * 1e6)
            # limits that stay put while they fit let a slider move redraw only the curves
            sticky_limits(self.ax_loss, max(finite.min(), top * 1e-20), top, log=True)
        self._show()

    def _show(self) -> None:
        k = int(self.controls["step"].value)
        path = self.path[:k + 1]
        n_ok = finite_rows(path)
        self.path_line.set_data(path[:n_ok, 0], path[:n_ok, 1])
        self.head.set_data(path[n_ok - 1:n_ok, 0], path[n_ok - 1:n_ok, 1])
        loss = self.loss[:k + 1]
        self.loss_line.set_data(np.arange(loss.size), np.where(loss > 0, loss, np.nan))
        self.step_line.set_xdata([k, k])
        if self.mine is not None:
            self._show_mine(k)
        lr, beta = self.controls["lr"].value, self.controls["momentum"].value
        if n_ok <= k:
            where = f"the path overflowed at step {n_ok}"
        else:
            x, y = path[-1]
            where = f"θ = ({x:.3g}, {y:.3g}), loss {float(loss[-1]):.3g}"
        self.set_readout("position", f"Step {k}: {where}.")
        label = "plain GD" if beta == 0 else METHODS[self.controls["method"].value].split(" (")[0]
        self.set_summary(f"{label} with α = {lr:.4g}, β = {beta:.2f} is "
                         f"{'stable' if self.stable else 'unstable'}; after {k} steps: {where}.")


def momentum_explorer(lr: float = 0.003, momentum: float = 0.0, *, method: str = "momentum",
                      curvatures=(10.0, 400.0), start=(-1.0, 0.4),
                      steps: int = 150, mine=None) -> MomentumExplorer:
    """Explore step size α and momentum β on ``E = ½(h₁x² + h₂y²)`` (default h = 10, 400).

    The defaults α = 0.003, β = 0.0 are where the optimizer demo embedded in Kiran's slides
    (*CNN/Deep Learning 2*, slide "Optimizer Comparison") starts.  Left: the path; middle: the
    loss against the step; right: the stable region 0 < α h_max < 2(1 + β) (Nesterov:
    2(1 + β)/(1 + 2β)) in the (α, β) plane with your setting marked.  ``method`` is
    "momentum" (heavy ball) or "nag"; ``curvatures`` two curvatures h₁ < h₂; ``start`` (x, y);
    ``steps`` the path length.

    ``mine``: your own momentum step in the slides' form,
    ``mine(w, delta, grad, lr, momentum) -> (w, delta)`` (exercise 09.6's
    ``my_momentum_step``).  It walks its own path from the same start with the α and β of the
    sliders (heavy-ball form; β = 0 is plain descent): the path and loss are drawn dotted over
    dlcore's, each point that differs is marked ×, and a readout counts them, with the first
    step that differs and the largest distance.  An error in your function, a blank, None or a
    wrong shape is shown in that readout; the widget goes on with dlcore's path.  Returns the
    widget.
    """
    mine = require_function(mine, "my_momentum_step", "your momentum step function")
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}; got "
                         f"{method!r}")
    h = as_array(curvatures, "curvatures", ndim=1, spec="(2,)")
    if h.shape != (2,) or not 0 < h[0] <= h[1]:
        raise ValueError(f"curvatures must be two numbers 0 < h1 <= h2 (the flat and the steep "
                         f"direction); got {curvatures!r}")
    h = (float(h[0]), float(h[1]))
    lr_lo, lr_max, _ = lr_grid(h[1])
    for name, value, lo, hi in (("lr", lr, lr_lo, lr_max),
                                ("momentum", momentum, 0.0, 0.99)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) \
                or not lo <= value <= hi:
            raise ValueError(f"{name} must be a number in [{lo:.4g}, {hi:.4g}]; got {value!r}")
    return MomentumExplorer(float(lr), float(momentum), method, h, check_point(start),
                            check_steps(steps, hi=1000), mine=mine)
