"""``clipping_explorer``: a 2-D gradient clipped by norm and by value, and the squared-norm
bug (a norm computed without its square root).

Shape legend: the gradient g is a vector (2,); the threshold tau is a number > 0.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle, Rectangle

from ... import recurrent
from .._base import PALETTE, App, checkbox, dropdown, make_figure, readout, slider, style_axes
from ._common import (
    NARROW_PX,
    FullFrames,
    LegendFits,
    control_rows,
    figure_legend,
    num,
    real_in_range,
)

__all__ = ["clipping_explorer"]

_LIM = 5.0
_PRESETS = {
    "slide example: g = [3, 4], τ = 1": (3.0, 4.0, 1.0),
    "course example: g = [0.6, −0.8], τ = 0.7": (0.6, -0.8, 0.7),
    "small gradient: g = [0.3, 0.2], τ = 1": (0.3, 0.2, 1.0),
    "one large entry: g = [4.5, 0.2], τ = 1": (4.5, 0.2, 1.0),
}


def squared_norm_clip(g, tau: float) -> np.ndarray:
    """Clipping code with a classic bug: the norm computed without its square root.

    ``grad_norm = np.sum(grad * grad)`` (as in the IFT6758 slides' clipping code) is the
    squared norm, so a gradient is rescaled to
    ``tau / ||g||^2`` times itself: [3, 4] at tau = 1 becomes [0.12, 0.16] (norm 0.2) instead
    of [0.6, 0.8].  Kept only to show the mistake; use ``dlcore.recurrent.clip_grad_norm``.
    g (D,) -> (D,).
    """
    grad = np.array(g, dtype=np.float64)
    grad_norm = np.sum(grad * grad)
    if grad_norm > tau:
        grad *= tau / grad_norm
    return grad


def clip_pair(g, tau: float):
    """(g clipped by global norm, g clipped by value), with ``dlcore.recurrent``; g (D,)."""
    by_norm = np.array(g, dtype=np.float64)
    by_value = by_norm.copy()
    recurrent.clip_grad_norm([by_norm], tau)
    recurrent.clip_grad_value([by_value], tau)
    return by_norm, by_value


def fmt(x: float) -> str:
    """A readout number: 3, 0.6, 0.12, 5.17 (three significant digits, no trailing zeros)."""
    return num(x, 3)


def _angle(a, b) -> float:
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na == 0 or nb == 0:
        return 0.0
    return float(np.degrees(np.arccos(np.clip(a @ b / (na * nb), -1.0, 1.0))))


class ClippingExplorer(LegendFits, FullFrames, App):
    """The gradient, the norm ball and the value box of radius tau, and both clipped vectors."""

    def __init__(self, g=(3.0, 4.0), tau=1.0, squared_norm_bug=False, preset=None):
        g = np.asarray(g, dtype=np.float64)
        if g.shape != (2,) or not np.all(np.isfinite(g)):
            raise ValueError(f"g must be a finite 2-vector [g1, g2] (the widget draws a plane); "
                             f"got {np.asarray(g).tolist()!r}")
        g1 = real_in_range(g[0], "g[0]", -_LIM, _LIM)
        g2 = real_in_range(g[1], "g[1]", -_LIM, _LIM)
        tau = real_in_range(tau, "tau", 0.05, _LIM)
        options = ["custom", *_PRESETS]
        if preset is not None:
            if preset not in _PRESETS:
                raise ValueError(f"preset must be one of {', '.join(map(repr, _PRESETS))}; got "
                                 f"{preset!r}")
            g1, g2, tau = _PRESETS[preset]
        else:  # name the worked example when the starting values are one
            preset = next((k for k, v in _PRESETS.items() if np.allclose(v, (g1, g2, tau))),
                          None)
        controls = {
            "preset": dropdown("example", options, preset or "custom",
                               tooltip="load a worked example"),
            "g1": slider("gradient g₁", g1, -_LIM, _LIM, 0.01,
                         tooltip="first entry of the gradient (or click the plot)"),
            "g2": slider("gradient g₂", g2, -_LIM, _LIM, 0.01,
                         tooltip="second entry of the gradient (or click the plot)"),
            "tau": slider("threshold τ", tau, 0.05, _LIM, 0.01,
                          tooltip="largest allowed norm (by norm) or entry (by value)"),
            "bug": checkbox("show the squared-norm bug (no √)", bool(squared_norm_bug),
                            tooltip="grad_norm = np.sum(grad * grad): the missing square root"),
        }
        fig, ax = make_figure(1, 1, figsize=(6.0, 4.0))
        self.ax = ax
        self.ball = Circle((0, 0), tau, fill=True, facecolor=PALETTE["sky"], alpha=0.18,
                           edgecolor=PALETTE["blue"], lw=1.5, label="norm ball ‖g‖₂ ≤ τ")
        self.box = Rectangle((-tau, -tau), 2 * tau, 2 * tau, fill=False, lw=1.5, ls="--",
                             edgecolor=PALETTE["orange"], label="value box |g_i| ≤ τ")
        ax.add_patch(self.ball)
        ax.add_patch(self.box)
        ax.axhline(0, color=PALETTE["grey"], lw=0.6)
        ax.axvline(0, color=PALETTE["grey"], lw=0.6)

        def vec(colour, label, ls="-"):
            return ax.plot([], [], ls, color=colour, lw=2.2, marker="o", markevery=[1],
                           label=label)[0]

        self.line_g = vec(PALETTE["black"], "gradient g")
        self.line_norm = vec(PALETTE["blue"], "clipped by norm")
        self.line_value = vec(PALETTE["orange"], "clipped by value", "--")
        self.line_bug = vec(PALETTE["vermillion"], "with the squared norm (bug)", ":")
        ax.set_xlim(-_LIM, _LIM)
        ax.set_ylim(-_LIM, _LIM)
        ax.set_aspect("equal")
        self._place_legend(False)
        style_axes(ax, "Clipping by norm vs by value", "g₁", "g₂")
        readouts = {"norm": readout(), "by_norm": readout(), "by_value": readout(),
                    "bug": readout()}
        super().__init__(controls, fig, readouts, title="Clipping explorer")
        control_rows(self, ["preset", "tau"], ["g1", "g2"], ["bug"])
        # The plane never rescales: a change redraws the ball, the box and the arrows only.
        self.set_dynamic([self.ball, self.box, self.line_g, self.line_norm, self.line_value,
                          self.line_bug])
        self._pressed = False
        self._busy = False
        fig.canvas.mpl_connect("button_press_event", self._on_press)
        fig.canvas.mpl_connect("motion_notify_event", self._on_drag)
        fig.canvas.mpl_connect("button_release_event", self._on_release)
        self.update()

    def _place_legend(self, below: bool) -> None:
        """The key beside the plane (or under it when narrow), never over the gradient."""
        handles = [self.ball, self.box, self.line_g, self.line_norm, self.line_value,
                   self.line_bug]
        figure_legend(self.ax.figure, handles, below=below, ncol=2)

    def fit(self, width: int) -> None:
        super().fit(width)
        if width and 100 <= width < NARROW_PX:  # keep the plane square and large enough
            w = self.fig.get_figwidth() * self.fig.dpi
            self._resize(w, w * 1.05)

    # mouse: click or drag on the plane sets the gradient
    def _on_press(self, event) -> None:
        if event.inaxes is self.ax and event.xdata is not None:
            self._pressed = True
            self.set_gradient(event.xdata, event.ydata)

    def _on_drag(self, event) -> None:
        if self._pressed and event.inaxes is self.ax and event.xdata is not None:
            self.set_gradient(event.xdata, event.ydata)

    def _on_release(self, _event) -> None:
        self._pressed = False

    def set_gradient(self, g1: float, g2: float) -> None:
        """Move the gradient to (g1, g2) (clamped to the plot), as a click would."""
        self._busy = True
        try:
            self.controls["g1"].value = float(np.clip(g1, -_LIM, _LIM))
            self.controls["g2"].value = float(np.clip(g2, -_LIM, _LIM))
            self.controls["preset"].value = "custom"
        finally:
            self._busy = False
        self._on_change()

    def _on_change(self, change=None) -> None:
        if self._busy:
            return
        if change is not None and change.get("owner") is self.controls["preset"]:
            name = change["new"]
            if name in _PRESETS:
                self._busy = True
                try:
                    for key, v in zip(("g1", "g2", "tau"), _PRESETS[name]):
                        self.controls[key].value = v
                finally:
                    self._busy = False
        elif change is not None and self.controls["preset"].value != "custom":
            name = self.controls["preset"].value
            now = tuple(self.controls[k].value for k in ("g1", "g2", "tau"))
            if not np.allclose(now, _PRESETS[name]):
                self._busy = True
                self.controls["preset"].value = "custom"
                self._busy = False
        super()._on_change(change)

    def update(self) -> None:
        c = self.controls
        g = np.array([c["g1"].value, c["g2"].value])
        tau = c["tau"].value
        by_norm, by_value = clip_pair(g, tau)
        bug = squared_norm_clip(g, tau)
        self.ball.set_radius(tau)
        self.box.set_xy((-tau, -tau))
        self.box.set_width(2 * tau)
        self.box.set_height(2 * tau)
        for line, v in ((self.line_g, g), (self.line_norm, by_norm), (self.line_value, by_value),
                        (self.line_bug, bug)):
            line.set_data([0.0, v[0]], [0.0, v[1]])
        self.line_bug.set_visible(c["bug"].value)
        norm = float(np.linalg.norm(g))
        clipped = norm > tau
        self.set_readout("norm", f"g = [{fmt(g[0])}, {fmt(g[1])}], ‖g‖₂ = {fmt(norm)} "
                                 f"(squared: {fmt(norm ** 2)}); τ = {fmt(tau)}")
        self.set_readout("by_norm", f"by norm: [{fmt(by_norm[0])}, {fmt(by_norm[1])}], "
                                    + ("g·τ/‖g‖₂, length τ, same direction" if clipped
                                       else "unchanged (‖g‖₂ ≤ τ)"))
        turn = _angle(g, by_value)
        self.set_readout("by_value", f"by value: [{fmt(by_value[0])}, {fmt(by_value[1])}], "
                                     f"each entry clamped to [−τ, τ]; direction turned by "
                                     f"{turn:.1f}°")
        if c["bug"].value:
            self.set_readout("bug", f"squared-norm bug: [{fmt(bug[0])}, {fmt(bug[1])}], length "
                                    f"{fmt(np.linalg.norm(bug))}: it divides by ‖g‖² instead of "
                                    f"‖g‖ (missing square root)")
        else:
            self.set_readout("bug", "tick the box to see what grad_norm = np.sum(grad * grad) "
                                    "returns")
        self.set_summary(f"Gradient [{fmt(g[0])}, {fmt(g[1])}] with τ = {fmt(tau)}: by norm "
                         f"[{fmt(by_norm[0])}, {fmt(by_norm[1])}], by value "
                         f"[{fmt(by_value[0])}, {fmt(by_value[1])}]"
                         + (f", squared-norm bug [{fmt(bug[0])}, {fmt(bug[1])}]."
                            if c["bug"].value else "."))


def clipping_explorer(g=(3.0, 4.0), tau: float = 1.0, squared_norm_bug: bool = False,
                      preset: str | None = None) -> ClippingExplorer:
    """A gradient (sliders, or click and drag on the plane), the threshold tau and a toggle for
    the squared-norm bug -> the gradient clipped by norm
    (``dlcore.recurrent.clip_grad_norm``) and by value (``clip_grad_value``).

    ``g`` is [g1, g2] with entries in [-5, 5]; ``tau`` in [0.05, 5]; ``preset`` one of the
    worked examples (e.g. ``"slide example: g = [3, 4], τ = 1"``).
    """
    return ClippingExplorer(g=g, tau=tau, squared_norm_bug=squared_norm_bug, preset=preset)
