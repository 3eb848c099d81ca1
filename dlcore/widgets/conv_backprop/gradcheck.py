"""``gradcheck_panel``: a layer's analytic gradient against central differences.

Shape legend: the layer's arguments (images (N, C, H, W), conv weights (F, C, KH, KW), linear
x (N, D), w (M, D)...); a gradient has the shape of its argument and is plotted entry by entry.
"""

from __future__ import annotations

import numpy as np

from ...gradcheck import numerical_vjp, rel_error
from .._base import PALETTE, App, button, checkbox, dropdown, log_slider, make_figure, readout
from ._layers import LAYERS, custom_layer

__all__ = ["gradcheck_panel"]

TOL = 1e-6          # the course's pass mark for a gradient check
STEPS = 10.0 ** np.arange(-12, 0)   # the h axis of the error curve


def _grads(result) -> tuple:
    return result if isinstance(result, tuple) else (result,)


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
            "h": log_slider("finite-difference step h", float(h), 1e-12, 1e-1,
                            tooltip="central differences (f(x+h) - f(x-h)) / 2h"),
            "bug": checkbox("plant a bug in the backward pass", bool(bug),
                            tooltip="replace the gradient by a catalogued mistake"),
            "new": button("new random inputs", tooltip="draw new inputs and a new dout",
                          icon="refresh"),
        }
        fig, (ax_s, ax_h) = make_figure(1, 2, figsize=(9.5, 3.8))
        self.ax_s, self.ax_h = ax_s, ax_h
        (self.diag,) = ax_s.plot([], [], color=PALETTE["grey"], lw=1, label="equal")
        (self.points,) = ax_s.plot([], [], "o", ms=5, mfc="none", color=PALETTE["blue"],
                                   label="entries")
        ax_s.set_xlabel("analytic gradient (backward pass)")
        ax_s.set_ylabel("numerical gradient (central differences)")
        ax_s.legend(fontsize=8, loc="upper left")
        (self.curve,) = ax_h.loglog([], [], "o-", color=PALETTE["blue"], lw=1.5, ms=4,
                                    label="rel_error(analytic, numerical)")
        (self.mark,) = ax_h.loglog([], [], "o", color=PALETTE["vermillion"], ms=10,
                                   label="chosen h")
        self.pass_line = ax_h.axhline(TOL, color=PALETTE["green"], ls="--", lw=1,
                                      label=f"pass mark {TOL:g}")
        ax_h.set_autoscale_on(False)  # limits are set in update(); empty data would warn
        ax_h.set_xlim(STEPS[0] / 3, STEPS[-1] * 3)
        ax_h.set_ylim(1e-17, 1.0)
        ax_h.set_xlabel("step h")
        ax_h.set_ylabel("relative error")
        ax_h.set_title("Error against the step size")
        ax_h.legend(fontsize=8, loc="upper left")
        readouts = {"result": readout(), "bug": readout()}
        super().__init__(controls, fig, readouts, title="Gradient check: backward vs "
                                                         "central differences")
        self.controls["new"].on_click(self._on_new)
        self.controls["layer"].observe(self._on_layer, names="value")
        self.errors = None
        self._draw_inputs()
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
        super()._on_change(change)

    def _on_layer(self, change) -> None:
        self._busy = True
        try:
            self.controls["wrt"].options = list(self._layers[change["new"]].names)
            self.controls["wrt"].value = self._layers[change["new"]].names[0]
        finally:
            self._busy = False
        self._draw_inputs()
        self._on_change()

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

    def analytic(self) -> tuple:
        """The backward pass's gradients (with the planted bug when it is ticked)."""
        spec = self._layers[self.controls["layer"].value]
        _, cache = spec.forward(*self.args, **spec.kwargs)
        grads = _grads(spec.backward(self.dout, cache))
        if self.controls["bug"].value and spec.bug is not None:
            grads = _grads(spec.bug[1](grads, self.dout, cache, self.args, spec.kwargs))
        return grads

    def numerical(self, pos: int, h: float) -> np.ndarray:
        """Central differences of ``sum(out * dout)`` with respect to argument ``pos``."""
        spec = self._layers[self.controls["layer"].value]
        return numerical_vjp(lambda: spec.forward(*self.args, **spec.kwargs)[0],
                             self.args[pos], self.dout, h)

    def update(self, curve: bool = True) -> None:
        c = self.controls
        spec = self._layers[c["layer"].value]
        c["bug"].disabled = spec.bug is None
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
            lim = float(max(np.abs(g).max(), np.abs(num).max(), 1e-12)) * 1.1
            self.diag.set_data([-lim, lim], [-lim, lim])
            self.ax_s.set_xlim(-lim, lim)
            self.ax_s.set_ylim(-lim, lim)
        if curve:
            self.errors = np.array([rel_error(g, self.numerical(pos, s))
                                    if g.shape == num.shape else np.inf for s in STEPS])
            self.curve.set_data(STEPS, np.maximum(self.errors, 1e-17))
            finite = self.errors[np.isfinite(self.errors)]
            # room above the curve for the legend (the axis is logarithmic)
            top = max(float(finite.max()) if finite.size else 1.0, 1e-2) * 1e5
            self.ax_h.set_ylim(1e-17, top)
        self.mark.set_data([h], [max(err, 1e-17)])
        verdict = "pass" if err < TOL else "FAIL"
        self.ax_s.set_title(f"d{c['wrt'].value}: {g.size} entries, {verdict}")
        self.error = err
        shape = "x".join(map(str, g.shape))
        self.set_readout("result", f"{c['layer'].value}, d{c['wrt'].value} ({shape}): "
                                   f"rel_error = {err:.2e} at h = {h:.0e} -> {verdict} "
                                   f"(pass mark {TOL:g})")
        if spec.bug is None:
            self.set_readout("bug", "no catalogued bug for this layer")
        elif c["bug"].value:
            self.set_readout("bug", f"planted bug: {spec.bug[0]}")
        else:
            self.set_readout("bug", f"tick the box to plant: {spec.bug[0]}")
        best = STEPS[int(np.argmin(self.errors))] if self.errors is not None else h
        self.set_summary(f"The analytic d{c['wrt'].value} of {c['layer'].value} "
                         f"{'matches' if err < TOL else 'does not match'} central differences "
                         f"(relative error {err:.1e} at h = {h:.0e}); the error curve is "
                         f"lowest near h = {best:.0e}.")


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
