"""``activation_explorer``: pick an activation and a z; see f, f' and their values at z.

Shapes: z a grid of pre-activations (K,).
"""

from __future__ import annotations

import numpy as np

from ... import activations as A
from ..._checks import as_array, check_choice
from ...activations import ACTIVATION_NAMES, activation_values
from .._base import (
    CYCLE,
    PALETTE,
    App,
    checkbox,
    dropdown,
    make_figure,
    readout,
    slider,
    style_axes,
)
from ..mlp._common import row

__all__ = ["activation_explorer"]

# Range, largest derivative and whether the output is centred on 0 (for the readout).
_FACTS = {
    "sigmoid": ("(0, 1)", "max f' = 1/4 at z = 0", "not zero-centred", "saturates on both sides"),
    "tanh": ("(-1, 1)", "max f' = 1 at z = 0", "zero-centred", "saturates on both sides"),
    "relu": ("[0, inf)", "f' = 1 for z > 0, 0 for z < 0", "not zero-centred",
             "no gradient for z < 0 (a 'dead' unit if that persists)"),
    "leaky_relu": ("(-inf, inf)", "f' = 1 for z > 0, slope for z < 0", "roughly zero-centred",
                   "never saturates; a small gradient for z < 0"),
}


def _numeric_derivative(f, z, h=1e-5):
    return (np.asarray(f(z + h), dtype=float) - np.asarray(f(z - h), dtype=float)) / (2 * h)


def _learner_activations(extra) -> dict:
    """Validate ``extra``: name -> f or (f, df); returns name -> (f, df)."""
    if extra is None:
        return {}
    if not isinstance(extra, dict):
        raise TypeError(f"extra must be a dict mapping a name to f or to (f, df); got "
                        f"{type(extra).__name__}")
    out = {}
    probe = np.linspace(-1.0, 1.0, 5)
    for name, fn in extra.items():
        f, df = fn if isinstance(fn, tuple) else (fn, None)
        if not callable(f) or (df is not None and not callable(df)):
            raise TypeError(f"extra[{name!r}] must be a function of an array z (or a pair "
                            f"(f, df) of such functions)")
        if df is None:
            df = (lambda g: (lambda z: _numeric_derivative(g, z)))(f)
        for fun, what in ((f, "f"), (df, "df")):
            value = np.asarray(fun(probe), dtype=float)
            if value.shape != probe.shape:
                raise ValueError(f"extra[{name!r}]: {what}(z) must return an array of the shape "
                                 f"of z (elementwise); for z of shape (5,) got {value.shape}")
        out[str(name)] = (f, df)
    return out


class _ActivationExplorer(App):
    def __init__(self, activation, z, negative_slope, extra):
        self.negative_slope = float(negative_slope)
        self.custom = _learner_activations(extra)
        names = list(ACTIVATION_NAMES) + list(self.custom)
        check_choice(activation, "activation", tuple(names))
        z = float(as_array(z, "z", ndim=0))
        if not -6.0 <= z <= 6.0:
            raise ValueError(f"z must lie in [-6, 6] (the slider range); got {z}")
        self.grid = np.linspace(-6.0, 6.0, 481)
        self._new_legend = False
        fig, (ax_f, ax_d) = make_figure(1, 2, figsize=(8.6, 3.4))
        self.line_f, = ax_f.plot([], [], color=CYCLE[0], lw=2, label="f(z)")
        self.ident, = ax_f.plot(self.grid, 2 * A.sigmoid(2 * self.grid) - 1, ls="--",
                                color=CYCLE[1], lw=2, label="_2σ(2z) − 1", visible=False)
        self.dot_f, = ax_f.plot([], [], "o", color=PALETTE["vermillion"], ms=8)
        self.line_d, = ax_d.plot([], [], color=CYCLE[2], lw=2, label="f'(z)")
        self.dot_d, = ax_d.plot([], [], "o", color=PALETTE["vermillion"], ms=8)
        ax_d.axhline(0.25, color=PALETTE["grey"], ls=":", lw=1, label="1/4")
        for ax in (ax_f, ax_d):
            ax.axhline(0, color=PALETTE["grey"], lw=0.8)
            ax.axvline(0, color=PALETTE["grey"], lw=0.8)
            ax.set_xlim(-6, 6)
            ax.legend(fontsize=8, loc="upper left")
        style_axes(ax_f, "Activation f(z)", "pre-activation z", "f(z)")
        style_axes(ax_d, "Derivative f'(z)", "pre-activation z", "f'(z)")
        self.ax_f, self.ax_d = ax_f, ax_d
        controls = {
            "activation": dropdown("activation f", names, activation,
                                   tooltip="the nonlinearity applied to the pre-activation z"),
            "z": slider("pre-activation z", z, -6.0, 6.0, 0.05,
                        tooltip="where f and f' are evaluated (red dots)"),
            "identity": checkbox("overlay 2σ(2z) − 1", False,
                                 tooltip="tanh is a shifted, rescaled sigmoid"),
        }
        readouts = {"values": readout(), "facts": readout()}
        super().__init__(controls, fig, readouts, title="Activation explorer")
        self.arrange([row(controls["activation"], controls["identity"]), controls["z"]])
        # z moves only the two dots: they are redrawn on the cached figure (blitting).
        self.set_dynamic([self.dot_f, self.dot_d])
        self.update()

    def _on_change(self, change=None) -> None:
        """z moves the dots only (a blit); another activation or the overlay redraws all."""
        self.update()
        if self._new_legend:
            self._new_legend = False
            self.relayout()  # (a full draw)
        else:
            self.redraw(full=change is not None and change["owner"] is not self.controls["z"])

    def _functions(self, name):
        if name in self.custom:
            return self.custom[name]

        def f(z):
            return activation_values(name, z, self.negative_slope)[0]

        def df(z):
            return activation_values(name, z, self.negative_slope)[1]

        return f, df

    def update(self):
        name = self.controls["activation"].value
        z = float(self.controls["z"].value)
        f, df = self._functions(name)
        fz, dfz = np.asarray(f(self.grid), float), np.asarray(df(self.grid), float)
        self.line_f.set_data(self.grid, fz)
        self.line_d.set_data(self.grid, dfz)
        at_f = float(np.asarray(f(np.array([z])), float)[0])
        at_d = float(np.asarray(df(np.array([z])), float)[0])
        self.dot_f.set_data([z], [at_f])
        self.dot_d.set_data([z], [at_d])
        show = bool(self.controls["identity"].value)
        if show != self.ident.get_visible():  # the legend lists the overlay only when shown
            self.ident.set_visible(show)
            self.ident.set_label(("" if show else "_") + "2σ(2z) − 1")
            self.ax_f.legend(fontsize=8, loc="upper left")
            self._new_legend = True
        for ax, values in ((self.ax_f, fz), (self.ax_d, dfz)):
            lo, hi = min(values.min(), -0.1), max(values.max(), 1.1)
            ax.set_ylim(lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo))
        self.set_readout("values", f"{name}: f({z:.2f}) = {at_f:.6f},  f'({z:.2f}) = {at_d:.6f}")
        facts = _FACTS.get(name)
        self.set_readout("facts", "your function (derivative by central differences unless "
                         "given)" if facts is None else
                         f"range {facts[0]}; {facts[1]}; {facts[2]}; {facts[3]}")
        self.set_summary(f"Left: {name} for z from -6 to 6; right: its derivative. At z = "
                         f"{z:.2f} the value is {at_f:.4f} and the slope {at_d:.4f}.")


def activation_explorer(activation: str = "sigmoid", z: float = 2.0,
                        negative_slope: float = 0.1, extra=None) -> App:
    """Pick an activation and a pre-activation z; see f(z), f'(z) and their values at z.

    ``extra`` adds your own activations: a dict name -> f or (f, df), each an elementwise
    function of an array (f' is taken by central differences when df is not given), e.g.
    ``activation_explorer(extra={"swish": lambda z: z * dl.activations.sigmoid(z)})``.
    """
    return _ActivationExplorer(activation, z, negative_slope, extra)
