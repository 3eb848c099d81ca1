"""``half_plane_regions``: threshold units as half-planes -> the region they carve out of moons.

Shapes: X (N, 2), y (N,); K <= 6 half-planes, hidden layer w1 (K, 2), b1 (K,).
"""

from __future__ import annotations

import numpy as np

from ..._checks import as_array, check_choice, check_int
from ...neurons import MOONS_HALF_PLANES, half_plane_layers, threshold_net_forward
from ...viz.mlp import half_plane_segment, region_grid
from .._base import (
    CMAP,
    PALETTE,
    App,
    dropdown,
    int_slider,
    make_figure,
    readout,
    slider,
)
from .._text import cached_text
from ._common import keep_above, row, scatter_classes

__all__ = ["half_plane_regions"]

_MAX = 6
_MODES = {"intersection: one hidden layer, output = AND": "and",
          "union of two intersections: two hidden layers, OR of ANDs": "or"}


class HalfPlaneRegions(App):
    def __init__(self, angles, offsets, n_active, mode, X, y):
        t = as_array(angles, "angles", ndim=1, spec="(K,)")
        d = as_array(offsets, "offsets", ndim=1, spec="(K,)")
        if t.shape != d.shape or not 1 <= t.size <= _MAX:
            raise ValueError(f"angles and offsets must both hold 1 to {_MAX} values (one per "
                             f"half-plane); got {t.size} angles and {d.size} offsets")
        n_active = check_int(n_active, "n_active", minimum=1)
        if n_active > _MAX:
            raise ValueError(f"n_active must be in [1, {_MAX}]; got {n_active}")
        check_choice(mode, "mode", ("and", "or"))
        self.X = as_array(X, "X", ndim=2, spec="(N, 2)")
        self.y = np.asarray(y)
        if self.X.shape[1] != 2 or self.y.shape != (len(self.X),):
            raise ValueError(f"X must have shape (N, 2) and y shape (N,); got "
                             f"{self.X.shape} and {self.y.shape}")
        fill = MOONS_HALF_PLANES
        self.angles = [float(v) for v in t] + list(fill["angles"][t.size:])
        self.offsets = [float(v) for v in d] + list(fill["offsets"][d.size:])
        self._syncing = False
        controls = {
            "mode": dropdown("combine the half-planes by", _MODES,
                             value=mode, tooltip="how the hidden units are combined"),
            "n_active": int_slider("half-planes in use", n_active, 1, _MAX,
                                   tooltip="hidden threshold units, one per half-plane"),
            "edit": dropdown("edit", self._edit_options(n_active), value=0,
                             tooltip="the half-plane that the two sliders below move"),
            "angle": slider("normal θ (degrees)", self.angles[0], 0, 360, 1,
                            readout_format=".0f",
                            tooltip="the unit fires on cos θ x1 + sin θ x2 >= d"),
            "offset": slider("offset d", self.offsets[0], -3, 3, 0.01),
        }
        fig, ax = make_figure(figsize=(6.4, 4.0))
        readouts = {"accuracy": readout(), "network": readout()}
        super().__init__(controls, fig, readouts, title="Regions from half-planes",
                         observe=False)
        self.arrange([controls["mode"], row(controls["n_active"], controls["edit"]),
                      row(controls["angle"], controls["offset"])])
        controls["mode"].observe(self._on_change, names="value")
        controls["n_active"].observe(self._on_count, names="value")
        controls["edit"].observe(self._on_select, names="value")
        controls["angle"].observe(self._on_edit, names="value")
        controls["offset"].observe(self._on_edit, names="value")
        self.ax = ax
        self._xx, self._yy, self._grid = region_grid(self.X, 140)
        ext = (self._xx.min(), self._xx.max(), self._yy.min(), self._yy.max())
        self.img = ax.imshow(np.zeros(self._xx.shape), origin="lower", extent=ext, cmap=CMAP,
                             alpha=0.35, vmin=0, vmax=1, aspect="auto", interpolation="nearest",
                             interpolation_stage="data")
        self.lines = [ax.plot([], [], lw=1.5)[0] for _ in range(_MAX)]
        self.arrows = [ax.plot([], [], lw=2.5, solid_capstyle="butt")[0] for _ in range(_MAX)]
        self.labels = [cached_text(ax, 0, 0, str(k + 1), fontsize=9, ha="center", va="center",
                                   zorder=4,
                                   bbox={"fc": "white", "ec": "none", "alpha": 0.8})
                       for k in range(_MAX)]
        scatter_classes(ax, self.X, self.y, ext, size=18)
        # Every control changes only the shading, the lines and the title: those (and the
        # points over them) are redrawn on the cached axes.
        self.set_dynamic(keep_above(ax, [self.img], outside=[ax.get_legend()]) + [ax.title])
        self.update()

    @staticmethod
    def _edit_options(n: int) -> dict:
        return {f"half-plane {k + 1}": k for k in range(n)}

    def _on_count(self, _change=None) -> None:
        """Only the half-planes in use can be edited (the others would change nothing)."""
        n = self.controls["n_active"].value
        edit = self.controls["edit"]
        keep = min(edit.value, n - 1)
        self._syncing = True
        try:
            edit.options = self._edit_options(n)
            edit.value = keep
        finally:
            self._syncing = False
        self._on_select()

    def _on_select(self, _change=None) -> None:
        if self._syncing:
            return
        k = self.controls["edit"].value
        self._syncing = True
        try:
            self.controls["angle"].value = self.angles[k]
            self.controls["offset"].value = self.offsets[k]
        finally:
            self._syncing = False
        self._on_change()

    def _on_edit(self, _change=None) -> None:
        if self._syncing:
            return
        k = self.controls["edit"].value
        self.angles[k] = float(self.controls["angle"].value)
        self.offsets[k] = float(self.controls["offset"].value)
        self._on_change()

    def groups(self):
        """Indices of the planes in use; in union mode, planes 1-3 and 4-6 form two groups."""
        n = self.controls["n_active"].value
        if self.controls["mode"].value == "and":
            return None
        return [g for g in (list(range(0, min(n, 3))), list(range(3, n))) if g]

    def layers(self):
        n = self.controls["n_active"].value
        return half_plane_layers(self.angles[:n], self.offsets[:n], self.groups())

    def update(self) -> None:
        n = self.controls["n_active"].value
        layers = self.layers()
        self.img.set_array(threshold_net_forward(self._grid, layers)[:, 0]
                           .reshape(self._xx.shape))
        edit = self.controls["edit"].value
        centre = np.array([self._xx.mean(), self._yy.mean()])
        for k in range(_MAX):
            line, arrow, label = self.lines[k], self.arrows[k], self.labels[k]
            on = k < n
            for art in (line, arrow, label):
                art.set_visible(on)
            if not on:
                continue
            t = np.radians(self.angles[k])
            normal = np.array([np.cos(t), np.sin(t)])
            # The foot of the boundary nearest the plot centre, and a tick pointing inside.
            foot = centre + (self.offsets[k] - centre @ normal) * normal
            line.set_data(*half_plane_segment(self.angles[k], self.offsets[k], 20.0))
            tip = foot + 0.3 * normal
            arrow.set_data([foot[0], tip[0]], [foot[1], tip[1]])
            label.set_position(tip + 0.12 * normal)
            colour = PALETTE["vermillion"] if k == edit else PALETTE["grey"]
            line.set_color(colour)
            arrow.set_color(colour)
            line.set_linewidth(2.5 if k == edit else 1.3)
        pred = threshold_net_forward(self.X, layers)[:, 0]
        acc = float(np.mean(pred == self.y))
        groups = self.groups()
        self.controls["mode"].tooltip = (
            "how the hidden units are combined" if n > 3 else
            "how the hidden units are combined; with 3 half-planes or fewer the union has one "
            "group, so the region is the intersection (the network gets a second layer)")
        kind = (f"intersection of {n} half-planes" if groups is None else
                "union of " + " and ".join(f"the intersection of planes "
                                           f"{', '.join(str(i + 1) for i in g)}"
                                           for g in groups))
        self.ax.set_title(f"{n} hidden threshold units: accuracy {acc:.0%}")
        self.set_readout("accuracy", f"Region = {kind}. Points inside are called class 1: "
                                     f"accuracy {acc:.1%} on {len(self.y)} points.")
        w1, b1 = layers[0]
        parts = [f"hidden layer 1 ({n} units): w rows (cos θ, sin θ) = "
                 + " ".join(f"({a:.2f}, {b:.2f})" for a, b in w1),
                 "                        biases -d = " + ", ".join(f"{v:.2f}" for v in b1)]
        ops = ["AND"] if groups is None else ["AND of each group", "OR"]
        for l, ((w, b), op) in enumerate(zip(layers[1:], ops), start=2):
            name = "output" if l == len(layers) else f"hidden layer {l}"
            parts.append(f"{name} ({op}): w = {np.round(w, 2).tolist()}, b = "
                         f"{np.round(b, 2).tolist()}")
        self.readouts["network"].value = "<pre>" + "\n".join(parts) + "</pre>"
        self.set_summary(f"Moons data with {n} half-plane boundaries (the selected one in red); "
                         f"the shaded region is the {kind}; accuracy {acc:.0%}.")


def half_plane_regions(angles=None, offsets=None, n_active: int = 3, mode: str = "and",
                       data=None) -> HalfPlaneRegions:
    """Half-planes as hidden threshold units, combined by AND (one hidden layer) or by an OR of
    two ANDs (two hidden layers), over the two moons.

    ``angles`` (degrees) and ``offsets`` give up to six half-planes ``cos t x1 + sin t x2 >= d``
    (default: ``neurons.MOONS_HALF_PLANES``, two triangles around the lower moon);
    ``n_active`` of them are in use; ``mode`` is "and" or "or"; ``data`` is ``(X (N, 2),
    y (N,))`` (default ``data.moons()``).
    """
    from ...data import moons

    angles = MOONS_HALF_PLANES["angles"] if angles is None else angles
    offsets = MOONS_HALF_PLANES["offsets"] if offsets is None else offsets
    X, y = moons() if data is None else data
    return HalfPlaneRegions(angles, offsets, n_active, mode, X, y)
