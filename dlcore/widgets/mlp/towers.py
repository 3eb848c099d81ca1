"""``tower_builder``: a, b, c, k, m -> two sigmoid steps; tower count -> a sum of towers for sin.

Shapes: a net of H hidden sigmoid units has w1 (H, 1), b1 (H,), w2 (1, H), b2 (1,).
"""

from __future__ import annotations

import numpy as np

from ..._checks import check_int, check_positive
from ...nn import tower_mlp, tower_sum_errors, tower_sum_weights, tower_units, tower_weights
from .._base import PALETTE, App, int_slider, log_slider, make_figure, readout, slider, style_axes
from .._mine import mine_name, require_function, run_mine
from ._common import DirtyRegions, below, readable, row, steady_limits

__all__ = ["tower_builder"]

_MAX_TOWERS = 40
_MAX_FIG_PX = 540


def _check_fn(fn, lo, hi):
    if not callable(fn):
        raise TypeError(f"fn must be a function of x such as np.sin; got {fn!r}")
    x = np.linspace(lo, hi, 5)
    y = np.asarray(fn(x), dtype=float)
    if y.shape != x.shape or not np.all(np.isfinite(y)):
        raise ValueError(f"fn must map an array x of shape (N,) to finite values of shape (N,);"
                         f" got shape {y.shape}")


class TowerBuilder(DirtyRegions, App):
    def __init__(self, a, b, c, k, m, n_towers, tower_k, fn, fn_name, lo, hi, mine=None):
        self.mine = require_function(mine, "my_tower", "your tower function")
        #: With mine=: True at each point of the towers' x grid where the sum of your towers
        #: differs from dlcore's (None without mine=, or when your result cannot be used).
        self.mismatch = None
        tower_weights(a, b, c, k, m)  # validates the presets
        n_towers = check_int(n_towers, "n_towers", minimum=1)
        if n_towers > _MAX_TOWERS:
            raise ValueError(f"n_towers must be in [1, {_MAX_TOWERS}]; got {n_towers}")
        tower_k = check_positive(tower_k, "tower_k")
        if not hi > lo:
            raise ValueError(f"the interval must have lo < hi; got lo={lo}, hi={hi}")
        _check_fn(fn, lo, hi)
        self.fn, self.fn_name, self.lo, self.hi = fn, fn_name, float(lo), float(hi)
        controls = {
            "a": slider("a (middle plateau)", a, -3, 5, 0.1),
            "b": slider("b (left plateau)", b, -3, 5, 0.1),
            "c": slider("c", c, -3, 5, 0.1, tooltip="the second step adds c - b on top of a"),
            "k": slider("steepness k", float(np.ravel(k)[0]), 0.5, 50, 0.5),
            "m1": slider("first step at m1", m[0], -3, 3, 0.1),
            "m2": slider("second step at m2", m[1], -3, 3, 0.1),
            "n_towers": int_slider(f"towers for {fn_name}", n_towers, 1, _MAX_TOWERS),
            "tower_k": log_slider("tower steepness", tower_k, 1, 1000),
        }
        fig, axes = make_figure(2, 2, figsize=(9.6, 5.6))
        readouts = {"steps": readout(), "towers": readout(),
                    **({"mine": readout()} if mine is not None else {})}
        super().__init__(controls, fig, readouts, title="Sigmoid steps and towers")
        c = controls
        self.arrange([row(c["a"], c["b"]), row(c["c"], c["k"]), row(c["m1"], c["m2"]),
                      row(c["n_towers"], c["tower_k"])])
        (self.ax_step, self.ax_fn), (self.ax_err, self.ax_n) = axes
        self._x_step = np.linspace(-4, 4, 400)
        ax = self.ax_step
        (self.l_out,) = ax.plot([], [], color=PALETTE["blue"], lw=2.2, label="y_hat(x)")
        (self.l_h1,) = ax.plot([], [], "--", color=PALETTE["orange"],
                               label="b + (a-b) s(k(x-m1))")
        (self.l_h2,) = ax.plot([], [], "--", color=PALETTE["green"],
                               label="b + (c-b) s(k(x-m2))")
        self.plateaus = [ax.axhline(0, ls=":", color=PALETTE["grey"]) for _ in range(3)]
        self.l_c = ax.axhline(0, ls="-.", color=PALETTE["vermillion"], lw=1, label="level c")
        ax.set_xlim(-4, 4)
        # Under the plot (the curves fill the axes whatever the plateaus).
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, 0), ncols=2,
                  bbox_transform=below(ax), frameon=False, handlelength=1.6,
                  columnspacing=1.0)
        style_axes(ax, "", "x", "y")
        self._x_fn = np.linspace(self.lo, self.hi, 500)
        self._target = np.asarray(fn(self._x_fn), dtype=float)
        ax = self.ax_fn
        ax.plot(self._x_fn, self._target, color=PALETTE["black"], lw=1.2, label=fn_name)
        (self.l_fn,) = ax.plot([], [], color=PALETTE["blue"], lw=2, label="sum of towers"
                               + (" (yours)" if mine is not None else ""))
        # With mine=: dlcore's sum under yours (dashed), and crosses where they differ.
        (self.l_ref,) = ax.plot([], [], "--", color=PALETTE["grey"], lw=1.2,
                                label="dlcore's sum" if mine is not None else None)
        (self.l_bad,) = ax.plot([], [], "x", ms=7, mew=2, color=PALETTE["vermillion"],
                                label="yours≠correct" if mine is not None else None)
        ax.set_xlim(self.lo, self.hi)
        pad = 0.2 * (np.ptp(self._target) + 1e-9)
        ax.set_ylim(self._target.min() - pad, self._target.max() + pad)
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, 0), ncols=2,
                  bbox_transform=below(ax), frameon=False)
        style_axes(ax, "", "x", "y")
        (self.l_err,) = self.ax_err.plot([], [], color=PALETTE["vermillion"])
        self.ax_err.set_xlim(self.lo, self.hi)
        style_axes(self.ax_err, "", "x", f"|y_hat - {fn_name}|")
        (self.l_n,) = self.ax_n.semilogy([], [], "o-", ms=3, color=PALETTE["blue"],
                                         label="max error")
        (self.l_now,) = self.ax_n.semilogy([], [], "o", ms=9, color=PALETTE["vermillion"],
                                           label="current")
        self.ax_n.set_xlim(0, _MAX_TOWERS + 1)
        self.ax_n.legend(fontsize=8, loc="upper right")  # the error falls to the lower right
        style_axes(self.ax_n, "Max error against the number of towers", "towers",
                   "max |error| (log scale)")
        self.ax_n.title.set_fontsize(10)
        self._curve_key = None
        self._curves = {}
        self._fresh = True
        # The sliders move only these (on fixed axes, most of the time), and each slider only
        # some of them: only those that changed are redrawn on the cached figure
        # (DirtyRegions: a step slider leaves the towers' panels alone).
        self.set_dynamic([self.l_out, self.l_h1, self.l_h2, *self.plateaus, self.l_c,
                          self.ax_step.title, self.l_fn, self.l_ref, self.l_bad,
                          self.ax_fn.title, self.l_err,
                          self.ax_err.title, self.l_n, self.l_now])
        self.update()

    def _resize(self, w_px: float, h_px: float) -> None:
        """At most 540 px high (the four plots grow with a wide notebook, the eight sliders
        above them stay): the widget keeps under 900 px."""
        if h_px > _MAX_FIG_PX:
            w_px, h_px = w_px * _MAX_FIG_PX / h_px, _MAX_FIG_PX
        super()._resize(w_px, h_px)

    def _ylim(self, ax):
        """The axes' y limits once ``update`` has set them (None before its first call)."""
        return None if self._fresh else ax.get_ylim()

    def update(self) -> None:
        c = self.controls
        a, b, cc, k = c["a"].value, c["b"].value, c["c"].value, c["k"].value
        w1, b1, w2, b2 = tower_weights(a, b, cc, k, (c["m1"].value, c["m2"].value))
        x = self._x_step
        y_hat = tower_mlp(w1, b1, w2, b2)(x[:, None])[:, 0]
        units = tower_units(w1, b1, w2, b2, x)
        self.l_out.set_data(x, y_hat)
        self.l_h1.set_data(x, b + units[:, 0])
        self.l_h2.set_data(x, b + units[:, 1])
        top = a + cc - b
        for line, level in zip(self.plateaus, (b, a, top)):
            line.set_ydata([level, level])
        self.l_c.set_ydata([cc, cc])
        levels = [b, a, cc, top, *y_hat[[0, -1]]]
        self.ax_step.set_ylim(*steady_limits(self._ylim(self.ax_step), min(levels) - 0.4,
                                             max(levels) + 0.4, headroom=0.15, pad=0.0))
        self.ax_step.set_title(f"1-2-1 net: plateaus b = {b:g}, a = {a:g}, a + c - b = "
                               f"{readable(top, 4)}", fontsize=10)
        r = readable
        self.set_readout("steps", f"Weights (PyTorch layout): w1 = [[{k:g}], [{k:g}]], b1 = "
                                  f"[{r(b1[0], 4)}, {r(b1[1], 4)}], w2 = [[{r(w2[0, 0], 4)}, "
                                  f"{r(w2[0, 1], 4)}]], b2 = [{r(b2[0], 4)}]. Far right the "
                                  f"output is a + c - b = {r(top, 4)}, not c = {cc:g}.")
        n, tk = c["n_towers"].value, c["tower_k"].value
        weights = tower_sum_weights(self.fn, n, tk, self.lo, self.hi)
        approx = tower_mlp(*weights)(self._x_fn[:, None])[:, 0]
        if self.mine is not None:
            approx = self._compare_mine(n, tk, approx)
        err = np.abs(approx - self._target)
        self.l_fn.set_data(self._x_fn, approx)
        self.l_err.set_data(self._x_fn, err)
        top_err = 0.0 if self._fresh else self.ax_err.get_ylim()[1]
        if not err.max() * 1.05 <= top_err <= 4 * max(err.max(), 1e-6):
            self.ax_err.set_ylim(0, max(err.max() * 1.3, 1e-6))
        self.ax_err.set_title(f"Error: max {err.max():.3f}, mean {err.mean():.3f}", fontsize=10)
        self.ax_fn.set_title(f"{n} towers = {2 * n} hidden sigmoid units", fontsize=10)
        if self._curve_key != tk:
            if tk not in self._curves:
                self._curves[tk] = tower_sum_errors(self.fn, _MAX_TOWERS, tk, self.lo,
                                                    self.hi, self._x_fn)
            self._curve = self._curves[tk]
            self.l_n.set_data(np.arange(1, _MAX_TOWERS + 1), self._curve)
            lo, hi = max(self._curve.min(), 1e-12), max(self._curve.max(), 1e-12)
            self.ax_n.set_ylim(*steady_limits(self._ylim(self.ax_n), lo, hi, log=True,
                                              pad=0.1, headroom=0.2))
            self._curve_key = tk
        self.l_now.set_data([n], [err.max()])
        w1s, b1s, w2s, _ = weights
        self.set_readout("towers", f"1-{2 * n}-1 network, {3 * 2 * n + 1} parameters. Tower 1: "
                                   f"w1 = [{r(w1s[0, 0], 3)}, {r(w1s[1, 0], 3)}], b1 = "
                                   f"[{r(b1s[0], 3)}, {r(b1s[1], 3)}], w2 = [{r(w2s[0, 0], 3)}, "
                                   f"{r(w2s[0, 1], 3)}]. Max |error| = {err.max():.4f}.")
        self.set_summary(f"Top left: two sigmoid steps with plateaus {b:g}, {a:g} and "
                         f"{readable(top, 4)}. "
                         f"Top right: {self.fn_name} and a sum of {n} towers; bottom: its error "
                         f"(max {err.max():.3f}) and the max error for 1 to {_MAX_TOWERS} "
                         f"towers.")
        self._fresh = False


    def _compare_mine(self, n, k, reference):
        """The sum of n of your towers on the x grid (dlcore's when yours cannot be used)."""
        self.mismatch = None
        self.l_ref.set_data([], [])
        self.l_bad.set_data([], [])
        edges = np.linspace(self.lo, self.hi, n + 1)
        heights = np.asarray(self.fn((edges[:-1] + edges[1:]) / 2), dtype=float)
        mine = self.mine

        def towers(x):
            total = np.zeros_like(x)
            for h, m1, m2 in zip(heights, edges[:-1], edges[1:]):
                one = mine(x.copy(), float(m1), float(m2), float(k))
                if one is None or np.shape(one) != x.shape:
                    return one  # reported as not written yet, or as the wrong shape
                total = total + h * np.asarray(one, dtype=float)
            return total

        towers.__name__ = mine_name(mine)
        with np.errstate(all="ignore"):  # a naive sigmoid overflows harmlessly for large k
            result = run_mine(towers, (self._x_fn,), reference=reference,
                              reference_name="the sum of dlcore's towers",
                              where=f"{len(self._x_fn)} points x in [{self.lo:g}, "
                                    f"{self.hi:g}], {n} towers of steepness {k:.3g}",
                              fallback="the plot shows dlcore's towers", entries="points",
                              label="y_hat")
        self.set_readout("mine", result.message.replace("'s result", "'s towers", 1))
        if not result.used:
            return reference
        self.mismatch = result.differ
        if self.mismatch.any():
            self.l_ref.set_data(self._x_fn, reference)
            bad = np.flatnonzero(self.mismatch)[::max(1, int(self.mismatch.sum()) // 40)]
            self.l_bad.set_data(self._x_fn[bad], result.value[bad])
        return result.value


def tower_builder(a=3.0, b=1.0, c=2.0, k=10.0, m=(-1.0, 1.0), n_towers: int = 8,
                  tower_k: float = 50.0, fn=np.sin, fn_name: str = "sin x", lo: float = 0.0,
                  hi: float = 2 * np.pi, *, mine=None) -> TowerBuilder:
    """Sliders for the 1-2-1 step net (a, b, c, k, m1, m2) and for a sum of towers for ``fn``.

    Defaults reproduce the lecture's example (plateaus 1, 3, 4) and approximate sin on
    [0, 2 pi] with 8 towers; pass your own ``fn`` (array -> array) and ``fn_name`` to
    approximate another function on [lo, hi].

    ``mine``: your own tower, called as ``mine(x, m1, m2, k)`` with x (N,) and numbers, like
    ``my_tower`` of lecture 5 and ``dl.nn.sigmoid_tower``.  The sum of towers (top right) and
    its error are then computed with your towers; where the sum differs from dlcore's, dlcore's
    is drawn dashed underneath and crosses mark the points, and a readout counts them.  An
    error in your function is shown in that readout and the plots use dlcore's towers.
    """
    return TowerBuilder(a, b, c, k, m, n_towers, tower_k, fn, fn_name, lo, hi, mine)
