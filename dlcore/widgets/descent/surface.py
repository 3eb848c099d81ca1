"""Widgets on the error surface L(w, b): random search, and gradient descent step by step.

Shapes: theta (2,) = (w, b); T random guesses drawn so far; S steps of a descent path.

``error_surface(mine=...)`` runs the learner's gradient-descent step ``mine(w, b, X, y, lr)``
(w (1,), X (2, 1) on the toy) and sets each of its steps against dlcore's step from the same
point.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from ... import optim
from ..._checks import check_int, check_positive
from ..._random import get_rng
from .._base import (
    CMAP,
    PALETTE,
    button,
    dropdown,
    human,
    play_controls,
    readout,
    slider,
    style_axes,
    view,
)
from .._mine import mine_name, require_function, run_mine
from ..milestones._common import legend_below, row, steady_limits
from . import _common as C

__all__ = ["random_search", "error_surface"]


def _optimum(loss_fn, grid_wbz):
    """The known optimum for the toy; the best grid point for any other loss."""
    if loss_fn is C.toy_loss:
        return C.OPTIMUM
    W, B, Z = grid_wbz
    i = np.unravel_index(np.argmin(Z), Z.shape)
    return float(W[i]), float(B[i])


class RandomSearch(C.DescentApp):
    """Each click draws guesses uniformly in the window; the best one so far is marked."""

    def __init__(self, per_click, window, loss_fn, rng):
        self.window, self.loss_fn, self.rng = window, loss_fn, rng
        self.points = np.empty((0, 2))
        self.losses = np.empty(0)
        controls = {
            "per_click": dropdown("guesses per click", [1, 10, 100, 1000], value=per_click,
                                  tooltip="how many random (w, b) to draw per click"),
            "draw": button("draw random guesses", tooltip="draw (w, b) uniformly in the "
                           "window and evaluate L at each"),
            "reset": button("reset", tooltip="forget every guess"),
        }
        fig, (ax, ax_best) = C.make_figure(1, 2, figsize=(10.0, 4.0))
        self.grid = C.grid(loss_fn, window, 61)
        W, B, Z = self.grid
        ax.contourf(W, B, Z, levels=20, cmap=CMAP)
        style_axes(ax, "Random guesses on L(w, b)", "w", "b")
        self.tries = ax.scatter(np.empty(0), np.empty(0), s=8, color=PALETTE["sky"],
                                alpha=0.7, label="guesses")
        self.best_mark, = ax.plot([], [], "*", color=PALETTE["yellow"], markersize=14,
                                  markeredgecolor=PALETTE["black"], label="best so far")
        opt = _optimum(loss_fn, self.grid)
        ax.plot(*opt, "P", color=PALETTE["vermillion"], markersize=9, markeredgecolor="white",
                label="minimum")
        ax.set_xlim(window[0], window[1])
        ax.set_ylim(window[2], window[3])
        # Below the axes: inside, the guesses would be drawn over it.
        legend_below(ax, 3, handlelength=1.2, columnspacing=0.8)
        self.optimum = opt
        self.best_line, = ax_best.plot([], [], color=PALETTE["blue"])
        style_axes(ax_best, "Best loss vs number of guesses", "guesses drawn",
                   "best loss so far")
        ax_best.set_xscale("log")
        ax_best.set_yscale("log")
        ax_best.set_xlim(0.8, 12.0)  # the tick at 10 inside the frame, its label on screen
        ax_best.set_ylim(1e-6, 1.0)
        self.ax, self.ax_best = ax, ax_best
        readouts = {"tries": readout(), "best": readout()}
        super().__init__(controls, fig, readouts, title="Random search", layout="row")
        self.arrange([row(controls["per_click"], controls["draw"], controls["reset"])])
        controls["draw"].on_click(lambda _b: self.draw())
        controls["reset"].on_click(lambda _b: self.reset())
        self.set_dynamic([self.tries, self.best_mark, self.best_line])
        self.update()

    def draw(self, n: int | None = None) -> None:
        """Draw ``n`` guesses (default: the dropdown's value) and evaluate the loss at each."""
        n = self.controls["per_click"].value if n is None else check_int(n, "n", minimum=1)
        w0, w1, b0, b1 = self.window
        pts = self.rng.uniform([w0, b0], [w1, b1], size=(n, 2))
        vals = np.array([C.loss_at(self.loss_fn, p) for p in pts])
        self.points = np.vstack([self.points, pts])
        self.losses = np.concatenate([self.losses, vals])
        self.update()
        self.redraw()

    def reset(self) -> None:
        self.points, self.losses = np.empty((0, 2)), np.empty(0)
        self.update()
        self.redraw()

    def update(self) -> None:
        self.tries.set_offsets(self.points)
        n = self.losses.size
        reset = self.controls["reset"]
        reset.disabled = n == 0
        reset.tooltip = "no guesses to forget yet" if n == 0 else "forget every guess"
        if n == 0:
            self.best_mark.set_data([], [])
            self.best_line.set_data([], [])
            self.set_readout("tries", "no guesses yet: press 'draw random guesses'")
            self.set_readout("best", "")
            self.set_summary("The error surface with no random guesses drawn yet.")
            return
        k = int(np.argmin(self.losses))
        best = np.minimum.accumulate(self.losses)
        self.best_mark.set_data([self.points[k, 0]], [self.points[k, 1]])
        self.best_line.set_data(np.arange(1, n + 1), np.maximum(best, 1e-12))
        self.ax_best.set_xlim(0.8, max(12.0, n * 1.2))
        self.ax_best.set_ylim(max(best.min(), 1e-12) / 2, self.losses[0] * 2 + 1e-12)
        dist = float(np.hypot(*(self.points[k] - self.optimum)))
        self.set_readout("tries", f"{n} guesses drawn")
        self.set_readout("best", f"best L = {self.losses[k]:.6f} at (w, b) = "
                                 f"({self.points[k, 0]:.3f}, {self.points[k, 1]:.3f}), "
                                 f"{dist:.3f} from the minimum")
        self.set_summary(f"{n} random guesses on the surface; the best has loss "
                         f"{self.losses[k]:.4f} and lies {dist:.2f} from the minimum.")


def random_search(per_click: int = 10, window=C.WINDOW, loss_fn=None, rng=None) -> RandomSearch:
    """Random-search button -> guesses and the best point on the contours, best loss vs guesses.

    per_click: 1, 10, 100 or 1000; window: (w_min, w_max, b_min, b_max) where (w, b) are
    drawn uniformly; loss_fn: theta (2,) -> float (default: the two-point toy); rng: a Generator,
    an integer random seed or None.
    """
    from ...optim.surfaces import check_window

    if per_click not in (1, 10, 100, 1000):
        raise ValueError(f"per_click must be one of 1, 10, 100, 1000; got {per_click!r}")
    window = check_window(window)
    loss_fn = C.checked_fn(loss_fn, "loss_fn", C.toy_loss)
    return RandomSearch(per_click, window, loss_fn, get_rng(rng))


class ErrorSurface(C.DescentApp):
    """Gradient descent on L(w, b), on contours and in 3-D, with the loss per step."""

    inputs = ("lr", "w0", "b0")

    def __init__(self, start, lr, lrs, steps, grad_fn, loss_fn, window, mine=None):
        self.grad_fn, self.loss_fn, self.window, self.steps = grad_fn, loss_fn, window, steps
        self.mine = mine
        #: With mine=: the steps t (1..S) whose point your step got wrong; None when the path
        #: shown is dlcore's.
        self.mine_wrong = None
        self._paths: dict = {}
        self._loss_lim = None
        play, t = play_controls(steps, interval_ms=60, description="step t")
        play.step = max(1, steps // 200)
        controls = {
            "lr": dropdown("learning rate η", list(lrs), value=lr,
                           tooltip="step size η in θ ← θ - η ∇L(θ)"),
            "w0": slider("start w₀", start[0], window[0], window[1], 0.01,
                         tooltip="starting weight (or click on the contour plot)"),
            "b0": slider("start b₀", start[1], window[2], window[3], 0.01,
                         tooltip="starting bias (or click on the contour plot)"),
            "play": play,
            "t": t,
            "next": button("one more step", tooltip="advance gradient descent by one step"),
        }
        fig, axes = C.make_figure(1, 3, figsize=(13.0, 4.3))
        axes[1].remove()
        ax3 = fig.add_subplot(1, 3, 2, projection="3d")
        ax, ax_loss = axes[0], axes[2]
        W, B, Z = C.grid(loss_fn, window, 61)
        ax.contourf(W, B, Z, levels=20, cmap=CMAP)
        style_axes(ax, "Contours of L (click: start)", "w", "b")
        # 21 x 21 facets: the 3-D panel is redrawn in full only when the figure is (its
        # facets are sorted by depth on every draw); the path on it is blitted.
        ax3.plot_surface(W[::3, ::3], B[::3, ::3], Z[::3, ::3], cmap=CMAP, linewidth=0,
                         alpha=0.7)
        # No z label: beside the next panel's y label it would overlap; the title names L.
        style_axes(ax3, "L(w, b) in 3-D", "w", "b")
        # The 3-D box drawn a little smaller than its panel: its tick labels stay inside it
        # instead of running into the next panel's axis label.
        ax3.set_box_aspect(None, zoom=0.82)
        for axis in (ax3.xaxis, ax3.yaxis, ax3.zaxis):  # few ticks: a narrow panel stays legible
            axis.set_major_locator(MaxNLocator(3))
        self.path2d, = ax.plot([], [], "-o", color=PALETTE["vermillion"], markersize=2.5,
                               linewidth=1.2, label="GD path")
        self.start2d, = ax.plot([], [], "o", color=PALETTE["black"], markersize=7,
                                label="start")
        self.now2d, = ax.plot([], [], "*", color=PALETTE["yellow"], markersize=13,
                              markeredgecolor=PALETTE["black"], label="θ at step t")
        # With mine=: dlcore's own path from the same start, and the points of your path
        # that your step got wrong.
        self.ref2d, = ax.plot([], [], "--", color=PALETTE["black"], linewidth=1.0,
                              label="dlcore's path" if mine is not None else "_nolegend_")
        self.wrong2d, = ax.plot([], [], "X", color=PALETTE["orange"], markersize=8,
                                markeredgecolor=PALETTE["black"], markeredgewidth=0.6,
                                label="your step ≠ dlcore's" if mine is not None
                                else "_nolegend_")
        ax.set_xlim(window[0], window[1])
        ax.set_ylim(window[2], window[3])
        legend_below(ax, 3, handlelength=1.2, columnspacing=0.8)
        self.path3d, = ax3.plot([], [], [], "-", color=PALETTE["vermillion"], linewidth=2,
                                zorder=10)
        self.now3d, = ax3.plot([], [], [], "o", color=PALETTE["yellow"], markersize=7,
                               markeredgecolor=PALETTE["black"], zorder=11)
        self.loss_all, = ax_loss.plot([], [], color=PALETTE["grey"], linewidth=0.8,
                                      label="whole run")
        self.loss_now, = ax_loss.plot([], [], color=PALETTE["blue"], label="steps 0..t")
        self.loss_dot, = ax_loss.plot([], [], "o", color=PALETTE["blue"])
        style_axes(ax_loss, "Loss per step", "step t", "loss L")
        ax_loss.set_xlim(0, steps)
        legend_below(ax_loss, 2)
        self.ax, self.ax3, self.ax_loss = ax, ax3, ax_loss
        readouts = {"point": readout(), "grad": readout(),
                    **({"mine": readout()} if mine is not None else {})}
        super().__init__(controls, fig, readouts, title="Gradient descent on the error surface")
        self.arrange([row(controls["w0"], controls["b0"]), view(controls["lr"]),
                      row(controls["play"], controls["t"], controls["next"])])
        controls["next"].on_click(lambda _b: self.step_once())
        self._cid = fig.canvas.mpl_connect("button_press_event", self._on_click)
        self.set_dynamic([self.path2d, self.start2d, self.now2d, self.ref2d, self.wrong2d,
                          self.path3d, self.now3d, self.loss_all, self.loss_now, self.loss_dot])
        self.blit_axes([ax_loss.yaxis])  # a new loss range: only that axis is redrawn
        self.recompute()
        self.update()

    def _path(self, lr: float, theta0) -> tuple[np.ndarray, np.ndarray]:
        """The path (S + 1, 2) and its losses (S + 1,), remembered for recent starts."""
        key = (float(lr), float(theta0[0]), float(theta0[1]))
        if key not in self._paths:
            if self.grad_fn is C.toy_grad:
                path = C.toy_gd_path(theta0, self.steps, lr)
            else:
                path = optim.trajectory("gd", self.grad_fn, theta0, self.steps, lr=lr)
            if self.loss_fn is C.toy_loss:
                losses = C.toy_losses(path)
            else:
                with np.errstate(all="ignore"):
                    losses = np.array([C.loss_at(self.loss_fn, p) if np.all(np.isfinite(p))
                                       else np.nan for p in path])
            if len(self._paths) >= 64:
                self._paths.pop(next(iter(self._paths)))
            self._paths[key] = (path, losses)
        return self._paths[key]

    def _mine_path(self, lr: float, ref_path: np.ndarray):
        """Your path from the same start (S + 1, 2), the steps it got wrong and a readout;
        (None, None, message) when your step cannot be used."""
        X, Y = C.toy_data()
        Xc = X[:, None]
        name, path = mine_name(self.mine), np.empty_like(ref_path)
        path[0] = ref_path[0]

        def checked(t):
            """Step t through run_mine: its result, or the message that says why not."""
            w, b = path[t - 1]
            ref = C.toy_steps(path[t - 1:t], lr)[0]
            mine = run_mine(self.mine, (np.array([w]), float(b), Xc, Y, lr),
                            reference=(ref[:1], float(ref[1])), outputs=("w", "b"),
                            reference_name="dlcore's step",
                            where=f"step {t}, from (w, b) = ({w:.4g}, {b:.4g}), η = {lr:g}",
                            fallback="the plots show dlcore's gradient descent")
            return (float(mine.value[0][0]), float(mine.value[1])) if mine.used \
                else mine.message

        with np.errstate(all="ignore"):
            for t in range(1, self.steps + 1):
                got = None
                if t > 1:  # the first step (and any odd one) goes through run_mine
                    try:
                        w, b = path[t - 1]
                        gw, gb = self.mine(np.array([w]), float(b), Xc.copy(), Y.copy(), lr)
                        gw, gb = np.asarray(gw, dtype=float), np.asarray(gb, dtype=float)
                        if gw.shape == (1,) and gb.shape == ():
                            got = float(gw[0]), float(gb)
                    except Exception:  # noqa: BLE001 - run_mine reports it below
                        got = None
                if got is None:
                    got = checked(t)
                    if isinstance(got, str):
                        return None, None, got
                path[t] = got
            refs = C.toy_steps(path[:-1], lr)
            differ = ~np.all(np.isclose(path[1:], refs, rtol=1e-6, atol=1e-9), axis=1)
        wrong = [int(t) for t in np.flatnonzero(differ) + 1]
        if not wrong:
            return path, [], (f"This is {name}'s path: all {self.steps} steps match dlcore's "
                              f"gradient-descent step from the same point.")
        err = np.where(differ, np.max(np.abs(path[1:] - refs), axis=1), -1.0)
        k = int(np.argmax(err))
        yours, ref = path[k + 1], refs[k]
        return path, wrong, (
            f"This is {name}'s path: {len(wrong)} of {self.steps} steps differ from dlcore's "
            f"gradient-descent step from the same point (marked × on the contours; dlcore's "
            f"own path is dashed); the largest error is {err[k]:.4g} at step {k + 1}: yours "
            f"(w, b) = ({yours[0]:.6g}, {yours[1]:.6g}), correct ({ref[0]:.6g}, "
            f"{ref[1]:.6g}).")

    def recompute(self) -> None:
        lr = self.controls["lr"].value
        theta0 = [self.controls["w0"].value, self.controls["b0"].value]
        self.path, self.losses = self._path(lr, theta0)
        self.ref_path = self.path
        if self.mine is not None:
            key = ("mine", float(lr), float(theta0[0]), float(theta0[1]))
            if key not in self._paths:
                path, wrong, message = self._mine_path(lr, self.path)
                losses = None if path is None else C.toy_losses(path)
                if len(self._paths) >= 64:
                    self._paths.pop(next(iter(self._paths)))
                self._paths[key] = (path, losses, wrong, message)
            path, losses, self.mine_wrong, message = self._paths[key]
            self.set_readout("mine", message)
            if path is not None:
                self.path, self.losses = path, losses
        self.loss_all.set_data(np.arange(self.losses.size), self.losses)
        finite = self.losses[np.isfinite(self.losses)]
        top = float(finite.max()) if finite.size else 1.0
        # The loss axis keeps its range while the new run fits it well (then only the curves
        # are redrawn, not the whole figure).
        self._loss_lim = steady_limits(self._loss_lim, 0.0, top * 1.05 + 1e-12, pad=0.0,
                                       headroom=0.15, slack=2.0)
        self.ax_loss.set_ylim(0.0, self._loss_lim[1])

    def set_start(self, w: float, b: float) -> None:
        """Move the start point (what a click on the contour plot does) and rewind to t = 0."""
        w = C.real(w, "w", self.window[0], self.window[1])
        b = C.real(b, "b", self.window[2], self.window[3])
        with C.Muted(self):
            self.controls["w0"].value, self.controls["b0"].value = w, b
            self.controls["t"].value = 0
            self.controls["play"].value = 0

    def _on_click(self, event) -> None:
        if event.inaxes is not self.ax or event.xdata is None:
            return
        w0, w1, b0, b1 = self.window
        if w0 <= event.xdata <= w1 and b0 <= event.ydata <= b1:
            self.set_start(event.xdata, event.ydata)

    def step_once(self) -> None:
        t = self.controls["t"]
        t.value = min(t.value + 1, self.steps)

    def update(self) -> None:
        t = int(self.controls["t"].value)
        pts, ls = self.path[: t + 1], self.losses[: t + 1]
        self.path2d.set_data(pts[:, 0], pts[:, 1])
        self.start2d.set_data(self.path[:1, 0], self.path[:1, 1])
        self.now2d.set_data(pts[-1:, 0], pts[-1:, 1])
        if self.mine is not None:
            ref = self.ref_path[: t + 1]
            self.ref2d.set_data(ref[:, 0], ref[:, 1])
            bad = [k for k in (self.mine_wrong or ()) if k <= t]
            self.wrong2d.set_data(self.path[bad, 0], self.path[bad, 1])
        self.path3d.set_data_3d(pts[:, 0], pts[:, 1], ls)
        self.now3d.set_data_3d(pts[-1:, 0], pts[-1:, 1], ls[-1:])
        self.loss_now.set_data(np.arange(t + 1), ls)
        self.loss_dot.set_data([t], ls[-1:])
        nxt = self.controls["next"]
        nxt.disabled = t >= self.steps
        nxt.tooltip = (f"the path ends at step {self.steps} (set the step slider back, or "
                       f"choose another start)" if nxt.disabled
                       else "advance gradient descent by one step")
        w, b = pts[-1]
        lr = self.controls["lr"].value
        self.set_readout("point", f"t = {t}: (w, b) = ({w:.6f}, {b:.6f}), L = {ls[-1]:.6f}")
        if np.all(np.isfinite(pts[-1])):
            g = C.grad_at(self.grad_fn, pts[-1])
            self.set_readout("grad", f"∇L = ({g[0]:.6f}, {g[1]:.6f}); the next step moves by "
                                     f"-η∇L = ({-lr * g[0]:.6f}, {-lr * g[1]:.6f})")
        else:
            self.set_readout("grad", "the path left the finite numbers (diverged)")
        self.set_summary(f"Gradient descent with η = {human(lr)} from ({self.path[0, 0]:.2f}, "
                         f"{self.path[0, 1]:.2f}): after {t} step(s) L = {ls[-1]:.4f} "
                         f"(it started at {ls[0]:.4f}).")


def error_surface(start=(-2.0, -2.0), lr: float = 1.0, steps: int = 1000, grad_fn=None,
                  loss_fn=None, lrs=(0.1, 1.0, 10.0), window=C.WINDOW,
                  mine=None) -> ErrorSurface:
    """Start point and η -> the GD path on contours and in 3-D, and the loss per step.

    start: (w, b) in the window; lr: one of ``lrs`` (a new value is added to them); steps:
    path length S; grad_fn: theta (2,) -> (2,), e.g. the learner's own gradient (default: the
    toy's); loss_fn: theta (2,) -> float (default: the toy's); window: (w_min, w_max, b_min,
    b_max).

    ``mine``: your own gradient-descent step, called as ``mine(w, b, X, y, lr)`` and returning
    ``(w_new, b_new)`` like exercise 04.7, with the toy's data as ``X`` (2, 1) and ``y`` (2,)
    and ``w`` of shape (1,).  The path, the 3-D path and the loss curve are then your
    function's; each of its steps is set against dlcore's step from the same point, the
    points where they differ are marked × on the contours (dlcore's own path dashed beside
    them) and a readout counts them with the largest error.  If your step raises, returns
    None or the wrong shape, the readout says so (with the step) and the plots show dlcore's
    path.  It runs on the toy only: leave ``grad_fn`` and ``loss_fn`` out.
    """
    from ...optim.surfaces import check_window

    require_function(mine, "my_gd_step", "your gradient-descent step function")
    if mine is not None and (grad_fn is not None or loss_fn is not None):
        raise ValueError("mine= runs your step on the toy's data: leave grad_fn and loss_fn "
                         "out")

    window = check_window(window)
    start = C.point(start, "start", window)
    lr = check_positive(lr, "lr")
    lrs = sorted({check_positive(v, "lrs entry") for v in lrs} | {lr})
    steps = check_int(steps, "steps", minimum=1)
    if steps > 20000:
        raise ValueError(f"steps must be at most 20000 (the path is precomputed); got {steps}")
    grad_fn = C.checked_fn(grad_fn, "grad_fn", C.toy_grad)
    loss_fn = C.checked_fn(loss_fn, "loss_fn", C.toy_loss)
    C.grad_at(grad_fn, start)
    C.loss_at(loss_fn, start)
    return ErrorSurface(start, lr, lrs, steps, grad_fn, loss_fn, window, mine=mine)
