"""``optimizer_race``: GD, momentum, Nesterov, Adagrad, RMSProp and Adam on one error surface.

The paths are ``dlcore.optim.trajectory`` (the update rules torch.optim runs); the widget only
draws them.  With ``mine=``, the learner's Adam step races too (``_yours``).  Shapes: a path is
(S + 1, 2), row t the point theta_t = (x, y).
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from ...optim import SURFACE_NAMES, SURFACES, TRAJECTORY_NAMES, trajectory
from ...optim.surfaces import ResolvedSurface, fast_grad, loss_on_points, resolve_surface
from ...viz.optim import OPTIMIZER_LABELS, OPTIMIZER_STYLE
from .._base import (
    CMAP,
    PALETTE,
    App,
    checkbox,
    dropdown,
    log_slider,
    make_figure,
    readout,
    slider,
    style_axes,
    view,
)
from .._mine import mine_name, require_function
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
from ._race_inputs import LR_RANGE, PRESET_LR, _check_fraction, _check_lrs, _custom_surface
from ._yours import adam_path, compare_paths, show_path

__all__ = ["optimizer_race"]

_DIVERGING = 1e3  # a loss gap this many times the starting gap counts as diverging
_KAPPA_TIP = "ratio of the largest to the smallest curvature of the quadratic or the valley"
_HYPER_TIPS = {"momentum": "velocity decay μ of Momentum and Nesterov (NAG)",
               "alpha": "moving-average rate α of RMSProp's squared gradients",
               "beta1": "Adam's moving-average rate β₁ of the gradient",
               "beta2": "Adam's moving-average rate β₂ of the squared gradient"}
_HYPER_USERS = {"momentum": ("momentum", "nag"), "alpha": ("rmsprop",), "beta1": ("adam",),
                "beta2": ("adam",)}
# One optimizer per cell, two cells per row: checkbox, η slider (short label), its readout.
_CHECK_PX, _LR_PX, _LR_READOUT_PX = 132, 190, 56


class OptimizerRace(App):
    """Six optimizers from one start on one surface; see ``optimizer_race``."""

    def __init__(self, surface, custom, optimizers, lrs, momentum, alpha, betas, kappa, steps,
                 start, mine=None):
        self._custom, self._start, self._lr_override = custom, start, lrs
        self.mine = require_function(mine, "my_adam_step", "your Adam step function")
        # with mine=: your path, how many of its points were computed, the steps that differ
        self.mine_path, self.mine_rows, self.mine_differ, self._mine_text = None, 0, None, ""
        self._silent = True
        self.steps = steps
        options = ([("your function", "custom")] if custom is not None else []) + \
            [(n, n) for n in SURFACE_NAMES]
        controls = {"surface": dropdown("error surface", options, value=surface,
                                        tooltip="the function the optimizers minimise"),
                    "kappa": log_slider("condition number κ", 10.0, 1.0, 1000.0,
                                        tooltip=_KAPPA_TIP)}
        for name in TRAJECTORY_NAMES:
            label = OPTIMIZER_LABELS[name]
            controls[f"use_{name}"] = checkbox(label, name in optimizers,
                                               tooltip=f"draw the path of {label}")
            controls[f"use_{name}"].layout = W.Layout(width=f"{_CHECK_PX}px")
            lr = log_slider("η", 0.01, *LR_RANGE, tooltip=f"learning rate η of {label}")
            lr.layout = W.Layout(width=f"{_LR_PX}px")  # a short label: the track keeps ~150 px
            lr._dl_display.children[1].layout.width = f"{_LR_READOUT_PX}px"
            controls[f"lr_{name}"] = lr
        controls["momentum"] = slider("momentum μ", momentum, 0.0, 0.99, 0.01,
                                      tooltip=_HYPER_TIPS["momentum"])
        controls["alpha"] = slider("RMSProp decay α", alpha, 0.5, 0.999, 0.001, ".3f",
                                   tooltip=_HYPER_TIPS["alpha"])
        controls["beta1"] = slider("Adam β₁", betas[0], 0.0, 0.99, 0.01,
                                   tooltip=_HYPER_TIPS["beta1"])
        controls["beta2"] = slider("Adam β₂", betas[1], 0.9, 0.9999, 0.0001, ".4f",
                                   tooltip=_HYPER_TIPS["beta2"])
        row, controls["step"], self.play, self.step_button = step_row(steps)

        fig, (self.ax_path, self.ax_loss) = make_figure(1, 2, figsize=(10.5, 4.2))
        readouts = {"race": readout(), "where": readout(),
                    **({"mine": readout()} if mine is not None else {})}
        super().__init__(controls, fig, readouts, title="Optimizer race")
        c = self.controls
        # Rows that wrap: 2 optimizers a row at 848 px, 3 at 1488 px (the widget is shorter)
        cell = W.Layout(width=f"{_CHECK_PX + _LR_PX + _LR_READOUT_PX + 16}px")
        cells = [W.HBox([c[f"use_{n}"], view(c[f"lr_{n}"])], layout=cell)
                 for n in TRAJECTORY_NAMES]
        self.arrange([W.HBox([c["surface"], view(c["kappa"]), row],
                             layout=W.Layout(flex_flow="row wrap")),
                      W.HBox(cells, layout=W.Layout(flex_flow="row wrap")),
                      W.HBox([c["momentum"], c["alpha"], c["beta1"], c["beta2"]],
                             layout=W.Layout(flex_flow="row wrap"))])
        self._build_artists()
        self.paths, self.losses, self._paths_seen = {}, {}, {}
        self._shown, self._new_scale = None, True
        self._apply_presets(surface, kappa)
        self._silent = False
        self.update()
        self.set_dynamic([self._contours.lines, *self.lines.values(), *self.heads.values(),
                          *self.curves.values(), self.step_line, self.start_marker,
                          self.minima_marker, self.ax_path.title, *self._mine_artists()])
        ipympl_workarounds(self)

    # -- artists -----------------------------------------------------------------------------

    def _build_artists(self) -> None:
        ax, axl = self.ax_path, self.ax_loss
        self._contours = ContourLines(ax, CMAP)
        self.lines, self.heads, self.curves = {}, {}, {}
        for name in TRAJECTORY_NAMES:
            st, label = OPTIMIZER_STYLE[name], OPTIMIZER_LABELS[name]
            self.lines[name], = ax.plot([], [], color=st["color"], linestyle=st["linestyle"],
                                        linewidth=1.5, label=label, zorder=3)
            self.heads[name], = ax.plot([], [], marker=st["marker"], color=st["color"],
                                        markersize=9, markeredgecolor=PALETTE["black"],
                                        linestyle="none", zorder=5)
            self.curves[name], = axl.plot([], [], color=st["color"], linestyle=st["linestyle"],
                                          linewidth=1.5, label=label)
        self.start_marker, = ax.plot([], [], marker="o", markersize=9, markerfacecolor="white",
                                     markeredgecolor=PALETTE["black"], linestyle="none",
                                     zorder=6, label="start")
        self.minima_marker, = ax.plot([], [], marker="*", markersize=13, linestyle="none",
                                      color=PALETTE["black"], zorder=4, label="minimum")
        self.step_line = axl.axvline(self.steps, color=PALETTE["grey"], linewidth=1)
        axl.set_xlim(0, self.steps)
        style_axes(ax, "Paths", "x (first parameter)", "y (second parameter)")
        self.legend = None
        if self.mine is not None:
            label = f"yours ({mine_name(self.mine)})"
            self.mine_line, = ax.plot([], [], color=PALETTE["black"], linestyle=":",
                                      linewidth=2.0, label=label, zorder=4)
            self.mine_marks, = ax.plot([], [], marker="x", color=PALETTE["vermillion"],
                                       markersize=5, markeredgewidth=1.2, linestyle="none",
                                       zorder=6, label="yours ≠ Adam")
            self.mine_curve, = axl.plot([], [], color=PALETTE["black"], linestyle=":",
                                        linewidth=2.0, label=label)

    def _mine_artists(self) -> list:
        return [self.mine_line, self.mine_marks, self.mine_curve] if self.mine is not None \
            else []

    # -- control logic -----------------------------------------------------------------------

    def _apply_presets(self, surface, kappa=None) -> None:
        """Surface defaults: κ and the learning rates of ``PRESET_LR`` (overrides at start)."""
        silent, self._silent = self._silent, True
        c = self.controls
        default_kappa = SURFACES[surface].kwargs.get("kappa") if surface != "custom" else None
        if default_kappa is not None:
            c["kappa"].value = default_kappa if kappa is None else kappa
        for name, lr in PRESET_LR[surface].items():
            c[f"lr_{name}"].value = self._lr_override.get(name, lr)
        self._lr_override = {}
        self._silent = silent
        self._enable()

    def _enable(self) -> None:
        """Disable (with a tooltip saying why) the controls that cannot change the plot now."""
        c = self.controls
        surface = c["surface"].value
        has_kappa = surface != "custom" and "kappa" in SURFACES[surface].kwargs
        c["kappa"].disabled = not has_kappa
        where = "your function" if surface == "custom" else f"the {surface} surface"
        c["kappa"].tooltip = _KAPPA_TIP if has_kappa else \
            f"κ shapes only the quadratic and the valley; {where} has a fixed shape"
        for name in TRAJECTORY_NAMES:
            label, on = OPTIMIZER_LABELS[name], c[f"use_{name}"].value
            c[f"lr_{name}"].disabled = not on
            c[f"lr_{name}"].tooltip = f"learning rate η of {label}" if on else \
                f"tick {label} to draw its path: its η changes nothing while it is hidden"
        for key, users in _HYPER_USERS.items():
            on = any(c[f"use_{n}"].value for n in users)
            c[key].disabled = not on
            names = " or ".join(OPTIMIZER_LABELS[n] for n in users)
            c[key].tooltip = _HYPER_TIPS[key] if on else \
                f"tick {names} to use it: no drawn path depends on it now"

    def _on_change(self, change=None) -> None:
        if self._silent:
            return
        owner = change["owner"] if change is not None else None
        c = self.controls
        if owner is c["surface"]:
            self._apply_presets(c["surface"].value)
            self._new_scale = True
            self.update()
            self.relayout()  # new window, scale and labels
            return
        if owner is c["kappa"]:
            self.update()
        elif owner is c["step"]:
            self._show()
        elif any(owner is c[f"use_{n}"] for n in TRAJECTORY_NAMES):
            self._enable()
            self._show()
        else:
            names = {c["momentum"]: ("momentum", "nag"), c["alpha"]: ("rmsprop",),
                     c["beta1"]: ("adam",), c["beta2"]: ("adam",)}.get(owner)
            if names is None:
                names = tuple(n for n in TRAJECTORY_NAMES if owner is c[f"lr_{n}"]) or None
            self._compute(names)
            self._show()
        self.redraw()

    def hyper(self, name: str) -> dict:
        """The hyperparameters ``trajectory(name, ...)`` receives from the controls."""
        c = self.controls
        hyper = {"lr": float(c[f"lr_{name}"].value)}
        if name in ("momentum", "nag"):
            hyper["momentum"] = float(c["momentum"].value)
        elif name == "rmsprop":
            hyper["alpha"] = float(c["alpha"].value)
        elif name == "adam":
            hyper["betas"] = (float(c["beta1"].value), float(c["beta2"].value))
        return hyper

    def surface(self) -> ResolvedSurface:
        """The surface the controls select (κ applied to the quadratic and the valley)."""
        name = self.controls["surface"].value
        if name == "custom":
            return self._custom
        kw = {"kappa": shown_value(self.controls["kappa"])} if "kappa" in SURFACES[name].kwargs \
            else {}
        surf = resolve_surface(name, kw)
        start = surf.start if self._start is None else self._start
        return ResolvedSurface(surf.label, surf.loss_fn, fast_grad(name, **kw), surf.xlim,
                               surf.ylim, start, surf.minima, surf.lstar)

    def update(self) -> None:
        surf = self.surf = self.surface()
        self._contours.update(surf.loss_fn, surf.xlim, surf.ylim, surf.lstar,
                              key=(surf.label, surf.xlim, surf.ylim))
        self.start_marker.set_data([surf.start[0]], [surf.start[1]])
        self.minima_marker.set_data([m[0] for m in surf.minima], [m[1] for m in surf.minima])
        self.ax_path.set_title(f"Paths on {surf.label}")
        if surf.lstar is None:
            self.ax_loss.set_yscale("linear")
            style_axes(self.ax_loss, "Loss vs step", "step t", "loss E(θ_t)")
        else:
            self.ax_loss.set_yscale("log")
            style_axes(self.ax_loss, "Loss gap vs step", "step t", "E(θ_t) − E_min (log)")
        self._compute()
        self._show()

    def _compute(self, names=None) -> None:
        surf = self.surf
        for name in names or TRAJECTORY_NAMES:
            hyper = self.hyper(name)
            # arrow keys go back and forth: a path seen before is not run again
            key = (surf.label, surf.start, name, tuple(sorted(hyper.items())))
            if key not in self._paths_seen:
                path = trajectory(name, surf.grad_fn, surf.start, self.steps, **hyper)
                with np.errstate(all="ignore"):
                    loss = loss_on_points(surf.loss_fn, path)
                if len(self._paths_seen) >= 600:
                    self._paths_seen.clear()
                self._paths_seen[key] = (path, loss if surf.lstar is None else loss - surf.lstar)
            self.paths[name], self.losses[name] = self._paths_seen[key]
        if self.mine is not None and "adam" in (names or TRAJECTORY_NAMES):
            self._compute_mine()

    def _compute_mine(self) -> None:
        """Your Adam step from the same start with Adam's η, β₁, β₂, set against Adam's path."""
        surf, hyper = self.surf, self.hyper("adam")
        path, rows, problem = adam_path(self.mine, surf.grad_fn, surf.start, self.steps,
                                        hyper["lr"], hyper["betas"])
        self.mine_path, self.mine_rows, self.mine_differ = path, rows, None
        if path is None:
            self._mine_text = problem
            return
        self.mine_differ, text = compare_paths(path, rows, self.paths["adam"],
                                               mine_name(self.mine))
        self._mine_text = text if problem is None else f"{text} But {problem}."
        with np.errstate(all="ignore"):
            loss = loss_on_points(surf.loss_fn, np.where(np.isfinite(path), path, np.nan))
        self.mine_loss = loss if surf.lstar is None else loss - surf.lstar

    # -- drawing -----------------------------------------------------------------------------

    def _show(self) -> None:
        c, k = self.controls, int(self.controls["step"].value)
        shown = [n for n in TRAJECTORY_NAMES if c[f"use_{n}"].value]
        for name in TRAJECTORY_NAMES:
            visible = name in shown
            path, curve = self.paths[name][:k + 1], self.losses[name][:k + 1]
            n_ok = finite_rows(path)
            self.lines[name].set_data(path[:n_ok, 0], path[:n_ok, 1])
            self.heads[name].set_data(path[n_ok - 1:n_ok, 0], path[n_ok - 1:n_ok, 1])
            y = curve if self.surf.lstar is None else np.where(curve > 0, curve, np.nan)
            self.curves[name].set_data(np.arange(curve.size), y)
            for artist in (self.lines[name], self.heads[name], self.curves[name]):
                artist.set_visible(visible)
        self.step_line.set_xdata([k, k])
        if self.mine is not None:
            self._show_mine("adam" in shown, k)
        self._loss_limits(shown)
        if shown != self._shown:
            self._legend(shown)
        self._readouts(shown, k)

    def _show_mine(self, visible: bool, k: int) -> None:
        """Your path up to step k, a × on each point that is not Adam's, your loss curve."""
        path = self.mine_path
        visible = visible and path is not None
        for artist in self._mine_artists():
            artist.set_visible(visible)
        text = self._mine_text
        if path is not None and not visible:
            text += " Tick Adam to see it: your step runs with Adam's η, β₁ and β₂."
        self.set_readout("mine", text)
        if path is None:
            return
        show_path(self.mine_line, self.mine_marks, self.mine_curve, path, self.mine_differ,
                  self.mine_loss, min(k + 1, self.mine_rows),
                  positive_loss=self.surf.lstar is not None)

    def _legend(self, shown) -> None:
        """One legend for both panels, under them (it covered the loss curves)."""
        if self.legend is not None:
            self.legend.remove()
            self.legend = None
        if shown:
            handles = [self.lines[n] for n in shown]
            if self.mine is not None and "adam" in shown:
                handles += [self.mine_line, self.mine_marks]
            self.legend = self.fig.legend(handles=handles,
                                          loc="outside lower center", ncol=self._legend_cols(),
                                          fontsize="small", frameon=False)
        if self._shown is not None:
            self.relayout()
        self._shown = shown

    def _legend_cols(self) -> int:
        width = self.fig.get_size_inches()[0] * self.fig.dpi
        return 6 if width >= 640 else 3 if width >= 330 else 2

    def fit(self, width: int) -> None:
        super().fit(width)
        if self.legend is not None and self.legend._ncols != self._legend_cols():
            self._shown = None
            self._legend([n for n in TRAJECTORY_NAMES if self.controls[f"use_{n}"].value])

    def _loss_limits(self, shown) -> None:
        values = [self.losses[n] for n in shown]
        if not values:
            return
        start = float(values[0][0])
        allv = np.concatenate(values)
        allv = allv[np.isfinite(allv)]
        if self.surf.lstar is None:
            lo, hi = float(allv.min()), float(min(allv.max(), start + 3 * abs(start - allv.min())))
            hi = hi if hi > lo else lo + 1.0
            sticky_limits(self.ax_loss, lo, hi, force=self._new_scale)
        else:
            pos = allv[allv > 0]
            top = max(start, 1e-300) * _DIVERGING
            hi = float(min(pos.max(), top)) if pos.size else 1.0
            lo = float(max(pos.min(), hi * 1e-16)) if pos.size else 1e-16
            sticky_limits(self.ax_loss, lo, hi, log=True, force=self._new_scale)
        self._new_scale = False

    def status(self, name: str, k: int) -> tuple[str, float]:
        """Text status of optimizer ``name`` at step ``k`` and its loss (gap), NaN if diverged."""
        path, curve = self.paths[name], self.losses[name]
        n_ok = finite_rows(path)
        if n_ok <= k:
            return f"diverged (overflow at step {n_ok})", np.nan
        value = float(curve[k])
        if self.surf.lstar is None:
            return f"loss {value:.3g}", value
        if value > _DIVERGING * max(float(curve[0]), 1e-300):
            return f"diverging (loss gap {value:.2g})", np.nan
        return f"loss gap {value:.2g}", value

    def _readouts(self, shown, k: int) -> None:
        self.set_readout("where", f"Step {k} of {self.steps} on {self.surf.label}.")
        if not shown:
            self.set_readout("race", "No optimizer selected.")
            self.set_summary("No optimizer is selected: tick one or more boxes to draw paths.")
            return
        status = {n: self.status(n, k) for n in shown}
        self.set_readout("race", " · ".join(f"{OPTIMIZER_LABELS[n]}: {status[n][0]}"
                                            for n in shown))
        finite = {n: v for n, (_, v) in status.items() if np.isfinite(v)}
        lost = [OPTIMIZER_LABELS[n] for n in shown if n not in finite]
        what = "loss" if self.surf.lstar is None else "loss gap"
        text = f"{self.surf.label}, step {k}: "
        if finite:
            best = min(finite, key=finite.get)
            text += f"{OPTIMIZER_LABELS[best]} is lowest ({what} {finite[best]:.2g})"
        else:
            text += "every selected optimizer diverged"
        if lost and finite:
            text += f"; diverged or diverging: {', '.join(lost)}"
        self.set_summary(text + ".")


def optimizer_race(surface: str | None = None, *, optimizers=TRAJECTORY_NAMES, lrs=None,
                   momentum: float = 0.9, alpha: float = 0.99, betas=(0.9, 0.999),
                   kappa: float | None = None, steps: int = 300, start=None, loss_fn=None,
                   grad_fn=None, xlim=None, ylim=None, mine=None) -> OptimizerRace:
    """Race GD, Momentum, Nesterov, Adagrad, RMSProp and Adam on one error surface, step by step.

    Controls: the surface ("quadratic", "valley", "rosenbrock", "saddle", "bumpy"), its
    condition number κ, a checkbox and a learning rate η per optimizer, the momentum μ of
    Momentum and NAG, RMSProp's α, Adam's β₁ and β₂, and play/step over the steps.  Left: the
    paths on the contours; right: the loss gap E(θ_t) − E_min against the step (log scale).
    Changing the surface loads its preset learning rates (``PRESET_LR``).

    Presets: ``surface`` (default "valley", or "your function" when ``loss_fn`` is given),
    ``optimizers`` ticked at the start, ``lrs`` (dict name -> η overriding the presets),
    ``kappa``, ``steps`` (length of every path), ``start`` (x, y).  A learner's own surface:
    ``loss_fn(theta) -> number`` (theta (2,), or vectorised over (..., 2)) and optionally
    ``grad_fn(theta) -> (2,)`` (central differences when omitted), drawn over ``xlim`` x
    ``ylim`` (default (-2, 2) each).

    ``mine``: your own Adam step, ``mine(w, grad, m, v, t, lr=, beta1=, beta2=) -> (w, m, v)``
    (exercise 09.8's ``my_adam_step``).  It races beside Adam, from the same start with Adam's
    η, β₁ and β₂ (Adam is ticked for it): your path is drawn dotted over Adam's, each point
    that is not Adam's is marked ×, and a readout counts them, with the first step that
    differs and the largest distance.  An error in your function, a blank, None or a wrong
    shape is shown in that readout, and the race goes on with dlcore's Adam.  Returns the
    widget.
    """
    mine = require_function(mine, "my_adam_step", "your Adam step function")
    custom = None
    if loss_fn is not None:
        custom = _custom_surface(loss_fn, grad_fn, xlim, ylim, start)
    elif grad_fn is not None:
        raise TypeError("grad_fn needs its loss_fn as well (for the contours and the loss "
                        "curve): optimizer_race(loss_fn=my_loss, grad_fn=my_grad)")
    elif xlim is not None or ylim is not None:
        raise TypeError("xlim and ylim set the window of your own loss_fn; named surfaces "
                        "have their own windows")
    if surface is None:
        surface = "custom" if custom is not None else "valley"
    if surface not in SURFACE_NAMES and not (surface == "custom" and custom is not None):
        raise ValueError(f"surface must be one of {', '.join(map(repr, SURFACE_NAMES))}; got "
                         f"{surface!r}")
    if isinstance(optimizers, str):
        optimizers = (optimizers,)
    if mine is not None and "adam" not in optimizers:
        optimizers = (*optimizers, "adam")
    unknown = [n for n in optimizers if n not in TRAJECTORY_NAMES]
    if unknown:
        raise ValueError(f"optimizers must be names from {', '.join(TRAJECTORY_NAMES)}; got "
                         f"{', '.join(map(repr, unknown))}")
    if kappa is not None:
        kappa = _check_fraction(kappa, "kappa (condition number)", 1.0, 1000.0)
    if start is not None and custom is None:
        start = check_point(start)
    if isinstance(betas, (str, bytes)) or not hasattr(betas, "__len__") or len(betas) != 2:
        raise ValueError(f"betas must be a pair (beta1, beta2); got {betas!r}")
    return OptimizerRace(surface, custom, tuple(optimizers), _check_lrs(lrs),
                         _check_fraction(momentum, "momentum", 0.0, 0.99),
                         _check_fraction(alpha, "alpha", 0.5, 0.999),
                         (_check_fraction(betas[0], "betas[0]", 0.0, 0.99),
                          _check_fraction(betas[1], "betas[1]", 0.9, 0.9999)),
                         kappa, check_steps(steps), start, mine=mine)
