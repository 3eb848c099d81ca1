"""``gradcheck_panel``: a layer's analytic gradient against central differences.

Shape legend: the layer's arguments (images (N, C, H, W), conv weights (F, C, KH, KW), linear
x (N, D), w (M, D)...); a gradient has the shape of its argument and is plotted entry by entry.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from ...gradcheck import numerical_vjp, rel_error
from .._base import (
    PALETTE,
    App,
    button,
    checkbox,
    draw_at_once,
    dropdown,
    human,
    make_figure,
    readout,
    text_width,
    view,
)
from ._common import controls_row
from ._layers import LAYERS, custom_layer

__all__ = ["gradcheck_panel"]

TOL = 1e-6          # the course's pass mark for a gradient check
STEPS = 10.0 ** np.arange(-12, 0)   # the h axis of the error curve
#: Legends sit this far under their axes (in font sizes): below the tick labels and x label.
LEGEND_DROP = 3.9
_NICE = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075"
                                               "\u2076\u2077\u2078\u2079")


def sci(x: float) -> str:
    """A readout number: 0.05, 1.4 or 50 when moderate, 4.8 × 10⁻¹¹ or 10⁻⁵ when tiny or
    huge (never ``4.82e-11``)."""
    x = float(x)
    if x == 0 or not np.isfinite(x) or 1e-3 <= abs(x) < 1e4:
        return human(x)
    exponent = int(np.floor(np.log10(abs(x))))
    mantissa = x / 10.0 ** exponent
    if round(abs(mantissa), 1) >= 10:  # 9.96 rounds up to 10: carry the exponent
        mantissa, exponent = mantissa / 10, exponent + 1
    digits = f"{mantissa:.1f}".rstrip("0").rstrip(".")
    power = "10" + str(exponent).translate(_SUPERSCRIPT)
    return power if digits == "1" else f"-{power}" if digits == "-1" else f"{digits} × {power}"


def _grads(result) -> tuple:
    return result if isinstance(result, tuple) else (result,)


def nice_ceil(v: float) -> float:
    """The smallest of 1, 1.5, 2, 3, 4, 5, 6, 8 times a power of ten that is >= v (> 0), so
    axis limits stay put while a slider nudges the data a little."""
    exponent = np.floor(np.log10(v))
    mantissa = v / 10.0 ** exponent
    return float(next(m for m in _NICE if m >= mantissa - 1e-12) * 10.0 ** exponent)


def _step_slider(value: float, lo: float, hi: float) -> W.FloatLogSlider:
    """The h slider (log scale) with its value written as 1 × 10⁻⁵ beside it."""
    description = "finite-difference step h"
    s = W.FloatLogSlider(value=value, base=10, min=np.log10(lo), max=np.log10(hi), step=0.05,
                         description=description, readout=False,
                         tooltip="central differences (f(x + h) - f(x - h)) / 2h",
                         style={"description_width": "initial"},
                         layout=W.Layout(width=f"{text_width(description) + 160}px"))
    label = W.Label(sci(value), layout=W.Layout(width="100px"))
    s.observe(lambda change: setattr(label, "value", sci(change["new"])), names="value")
    s._dl_display = W.HBox([s, label])
    return s


class GradcheckPanel(App):
    """Left: analytic vs numerical entries (on the diagonal when they agree).  Right: the
    relative error against the step h, with the chosen h marked."""

    def __init__(self, layer=None, layers=None, h=1e-5, bug=False, seed=0):
        options = dict(LAYERS)
        if layers is not None:
            if not isinstance(layers, dict):
                raise TypeError("layers must be a dict name -> (forward, backward, args)")
            options = {**{name: custom_layer(spec) for name, spec in layers.items()},
                       **options}
        if layer is not None and layer not in options:
            raise ValueError(f"layer must be one of {', '.join(map(repr, options))}; got "
                             f"{layer!r}")
        if not 1e-12 <= float(h) <= 1e-1:
            raise ValueError(f"h must be between 1e-12 and 1e-1 (the slider's range); got {h}")
        self._layers = options
        self._seed = int(seed)
        self._busy = False
        name = layer or next(iter(options))
        controls = {
            "layer": dropdown("layer", list(options), name,
                              tooltip="the forward/backward pair to check"),
            "wrt": dropdown("gradient with respect to", list(options[name].names),
                            tooltip="which argument's gradient to compare"),
            "h": _step_slider(float(h), 1e-12, 1e-1),
            "bug": checkbox("plant a bug in the backward pass", bool(bug),
                            tooltip="replace the gradient by a catalogued mistake"),
            "new": button("new random inputs", tooltip="draw new inputs and a new dout",
                          icon="refresh"),
        }
        fig, (ax_s, ax_h) = make_figure(1, 2, figsize=(9.5, 4.0))
        self.ax_s, self.ax_h = ax_s, ax_h
        (self.diag,) = ax_s.plot([], [], color=PALETTE["grey"], lw=1, label="equal")
        (self.points,) = ax_s.plot([], [], "o", ms=5, mfc="none", color=PALETTE["blue"],
                                   label="entries")
        ax_s.set_xlabel("analytic (backward pass)")
        ax_s.set_ylabel("numerical (central diff.)")
        # legends under the axes: the points and the curve can be anywhere inside them
        ax_s.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, 0), ncols=2,
                    borderaxespad=LEGEND_DROP)
        (self.curve,) = ax_h.loglog([], [], "o-", color=PALETTE["blue"], lw=1.5, ms=4,
                                    label="rel. error")
        (self.mark,) = ax_h.loglog([], [], "o", color=PALETTE["vermillion"], ms=10,
                                   label="chosen h")
        self.pass_line = ax_h.axhline(TOL, color=PALETTE["green"], ls="--", lw=1,
                                      label=f"pass mark {sci(TOL)}")
        ax_h.set_autoscale_on(False)  # limits are set in update(); empty data would warn
        ax_h.set_xlim(STEPS[0] / 3, STEPS[-1] * 3)
        ax_h.set_ylim(1e-17, 1.0)
        ax_h.set_xlabel("step h")
        ax_h.set_ylabel("relative error")
        ax_h.set_title("Error against the step size")
        self._legend_h(3)
        readouts = {"result": readout(), "bug": readout()}
        super().__init__(controls, fig, readouts, title="Gradient check: backward vs "
                                                         "central differences")
        c = self.controls
        self.arrange([controls_row(c["layer"], c["wrt"]), view(c["h"]),
                      controls_row(c["bug"], c["new"])])
        # the h slider moves the points, the chosen-h mark and the verdict: blit them
        self.set_dynamic([self.points, self.mark, ax_s.title])
        self._stale = True
        # a full draw shows everything: the next change of h may be blitted again
        fig.canvas.mpl_connect("draw_event", lambda _event: setattr(self, "_stale", False))
        self.switched = None
        self.controls["new"].on_click(self._on_new)
        self.controls["layer"].observe(self._on_layer, names="value")
        self.errors = None
        self._draw_inputs()
        if bug:
            self._show_bug()
        self.update()

    def _on_change(self, change=None) -> None:
        if self._busy:
            return
        owner = None if change is None else change.get("owner")
        if owner is self.controls["layer"]:
            return  # _on_layer draws the new layer's inputs first, then updates
        if owner is self.controls["h"]:
            self.update(curve=False)
            self.redraw()
            return
        self.switched = None
        if owner is self.controls["bug"] and change["new"]:
            self._show_bug()
        self._stale = True
        super()._on_change(change)

    def _on_layer(self, change) -> None:
        self._busy = True
        try:
            self.controls["wrt"].options = list(self._layers[change["new"]].names)
            self.controls["wrt"].value = self._layers[change["new"]].names[0]
        finally:
            self._busy = False
        self._draw_inputs()
        self.switched = None
        if self.controls["bug"].value:
            self._show_bug()
        self._stale = True
        self._on_change()

    def bugged(self) -> list:
        """The names of the arguments whose gradient the layer's planted bug changes."""
        spec = self._layers[self.controls["layer"].value]
        if spec.bug is None:
            return []
        _, cache = spec.forward(*self.args, **spec.kwargs)
        right = _grads(spec.backward(self.dout, cache))
        wrong = _grads(spec.bug[1](right, self.dout, cache, self.args, spec.kwargs))
        return [n for n, r, w in zip(spec.names, right, wrong)
                if w is not None and (np.shape(r) != np.shape(w) or not np.array_equal(r, w))]

    def _show_bug(self) -> None:
        """Show the gradient the planted bug is in (a bug in dW is invisible in dx)."""
        names, wrt = self.bugged(), self.controls["wrt"]
        if names and wrt.value not in names:
            self.switched = (wrt.value, names[0])
            self._busy = True
            try:
                wrt.value = names[0]
            finally:
                self._busy = False

    def fit(self, width: int) -> None:
        super().fit(width)
        # stacked panels are narrower: the legend under the error curve takes two lines
        stacked = self.ax_h.get_subplotspec().get_gridspec().get_geometry()[1] == 1
        if self._legend_cols != (2 if stacked else 3):
            self._legend_h(2 if stacked else 3)

    def _legend_h(self, ncols: int) -> None:
        self.ax_h.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, 0), ncols=ncols,
                         borderaxespad=LEGEND_DROP)
        self._legend_cols = ncols

    def redraw(self, full: bool = False) -> None:
        full, self._stale = full or self._stale, False
        if full or self._background is None or self._axis_limits() != self._limits:
            draw_at_once(self.fig)
        else:
            super().redraw()

    def _on_new(self, _button=None) -> None:
        self._seed += 1
        self._draw_inputs()
        self._on_change()

    def _draw_inputs(self) -> None:
        spec = self._layers[self.controls["layer"].value]
        rng = np.random.default_rng(self._seed)
        self.args = [np.array(a, dtype=np.float64) for a in spec.make(rng)]
        out, _ = spec.forward(*self.args, **spec.kwargs)
        self.dout = rng.standard_normal(np.shape(out))
        self._numerical = {}

    def analytic(self) -> tuple:
        """The backward pass's gradients (with the planted bug when it is ticked)."""
        spec = self._layers[self.controls["layer"].value]
        _, cache = spec.forward(*self.args, **spec.kwargs)
        grads = _grads(spec.backward(self.dout, cache))
        if self.controls["bug"].value and spec.bug is not None:
            grads = _grads(spec.bug[1](grads, self.dout, cache, self.args, spec.kwargs))
        return grads

    def numerical(self, pos: int, h: float) -> np.ndarray:
        """Central differences of ``sum(out * dout)`` with respect to argument ``pos``
        (remembered until the inputs change: the h slider often goes back and forth)."""
        key = (pos, float(h))
        if key not in self._numerical:
            spec = self._layers[self.controls["layer"].value]
            self._numerical[key] = numerical_vjp(
                lambda: spec.forward(*self.args, **spec.kwargs)[0], self.args[pos],
                self.dout, h)
        return self._numerical[key]

    def update(self, curve: bool = True) -> None:
        c = self.controls
        spec = self._layers[c["layer"].value]
        c["bug"].disabled = spec.bug is None
        c["bug"].tooltip = ("this layer has no catalogued mistake to plant" if spec.bug is None
                            else f"replace the backward pass by a classic mistake: "
                                 f"{spec.bug[0]}")
        c["wrt"].disabled = len(spec.names) == 1
        c["wrt"].tooltip = (f"this layer has one input, {spec.names[0]}" if len(spec.names) == 1
                            else "which argument's gradient to compare")
        pos = list(spec.names).index(c["wrt"].value)
        grads = self.analytic()
        if pos >= len(grads) or grads[pos] is None:
            self.set_readout("result", f"the backward pass returns no gradient for "
                                       f"{c['wrt'].value}")
            return
        g = np.asarray(grads[pos], dtype=np.float64)
        h = float(c["h"].value)
        num = self.numerical(pos, h)
        err = rel_error(g, num) if g.shape == num.shape else float("inf")
        if g.shape == num.shape:
            self.points.set_data(g.ravel(), num.ravel())
            lim = nice_ceil(float(max(np.abs(g).max(), np.abs(num).max(), 1e-12)) * 1.05)
            self.diag.set_data([-lim, lim], [-lim, lim])
            self.ax_s.set_xlim(-lim, lim)
            self.ax_s.set_ylim(-lim, lim)
        if curve:
            self.errors = np.array([rel_error(g, self.numerical(pos, s))
                                    if g.shape == num.shape else np.inf for s in STEPS])
            self.curve.set_data(STEPS, np.maximum(self.errors, 1e-17))
            finite = self.errors[np.isfinite(self.errors)]
            # a decade of room above the curve (the legend is under the axes)
            top = max(float(finite.max()) if finite.size else 1.0, 1e-2)
            self.ax_h.set_ylim(1e-17, 10.0 ** (np.ceil(np.log10(top)) + 1))
        self.mark.set_data([h], [max(err, 1e-17)])
        verdict = "pass" if err < TOL else "FAIL"
        self.ax_s.set_title(f"d{c['wrt'].value}: {g.size} entries, {verdict}")
        self.error = err
        shape = "×".join(map(str, g.shape))
        self.set_readout("result", f"{c['layer'].value}, d{c['wrt'].value} ({shape}): "
                                   f"rel_error = {sci(err)} at h = {sci(h)} → {verdict} "
                                   f"(pass mark {sci(TOL)})")
        self.set_readout("bug", self._bug_text(spec))
        best = STEPS[int(np.argmin(self.errors))] if self.errors is not None else h
        self.set_summary(f"The analytic d{c['wrt'].value} of {c['layer'].value} "
                         f"{'matches' if err < TOL else 'does not match'} central differences "
                         f"(relative error {sci(err)} at h = {sci(h)}); the error curve is "
                         f"lowest near h = {sci(best)}.")

    def _bug_text(self, spec) -> str:
        c = self.controls
        if spec.bug is None:
            return "no catalogued bug for this layer"
        if not c["bug"].value:
            return f"tick the box to plant: {spec.bug[0]}"
        names = self.bugged()
        where = ", ".join(f"d{n}" for n in names) or "no gradient (these inputs hide it)"
        text = f"planted bug in {where}: {spec.bug[0]}"
        if self.switched:
            text += (f". The view switched from d{self.switched[0]} to d{self.switched[1]}, "
                     f"the gradient with the bug")
        elif names and c["wrt"].value not in names:
            text += (f". d{c['wrt'].value} is computed correctly, so it passes: pick "
                     f"{names[0]} to see the bug")
        return text


def gradcheck_panel(layer=None, *, layers=None, h=1e-5, bug=False, seed=0) -> GradcheckPanel:
    """Pick a layer (conv at stride 1 or 2, padded conv, max/avg pooling, transposed conv,
    linear, ReLU) and an argument -> its backward-pass gradient against central differences
    (``dlcore.gradcheck.numerical_vjp``, ``rel_error``): entries on the diagonal, the relative
    error against the step h, and a pass/fail verdict at the course's mark 1e-6.

    ``layer``: the name to start with.  ``layers``: your own layers, a dict name ->
    ``(forward, backward, args)`` with ``forward(*args) -> (out, cache)`` and
    ``backward(dout, cache) -> grads`` of the first args.  ``bug``: start with the layer's
    catalogued mistake planted.  ``seed``: the inputs' seed (the button draws new ones).
    """
    return GradcheckPanel(layer=layer, layers=layers, h=h, bug=bug, seed=seed)
