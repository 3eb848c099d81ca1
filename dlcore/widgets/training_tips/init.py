"""``init_explorer``: the scale of the initial weights decides whether signals survive depth.

Shapes: each layer's activations (N, Hd) for N samples and Hd = width units.
"""

from __future__ import annotations

import math

import numpy as np

from ..._checks import check_choice, check_positive
from ...activations import ACTIVATION_NAMES
from ...nn import LayerStats, layer_activations
from .._base import CYCLE, App, dropdown, log_slider, make_figure, readout, style_axes
from ..activations.depth import check_stack, histogram_range
from ..optimizers._common import ipympl_workarounds, sticky_limits

__all__ = ["init_explorer"]

CUSTOM = "custom std (slider)"
# preset -> nn.init_weights scheme
_PRESETS = {CUSTOM: "normal", "zeros": "zeros", "Xavier normal": "xavier_normal",
            "He normal": "he_normal"}
_STD_TIP = "weights ~ N(0, σ²); the IFT6758 slides use 0.001"
#: designed size of one layer's panel (inches at 100 dpi) and the narrowest panel (px)
_PANEL_IN, _PANEL_MIN_PX = (2.5, 2.0), 250


def _preset_std(preset: str, width: int) -> float | None:
    """The std that a preset draws for a (width, width) layer (None for zeros and custom)."""
    if preset == "Xavier normal":
        return float(np.sqrt(2.0 / (width + width)))
    if preset == "He normal":
        return float(np.sqrt(2.0 / width))
    return None


class _InitExplorer(App):
    def __init__(self, preset, std, activation, depth, width, n, bins):
        check_choice(preset, "preset", tuple(_PRESETS))
        check_choice(activation, "activation", ACTIVATION_NAMES)
        std = check_positive(std, "std")
        if not 1e-4 <= std <= 10:
            raise ValueError(f"std must lie in [1e-4, 10] (the slider range); got {std}")
        self.depth, self.width, self.n, self.bins = check_stack(depth, width, n, bins)
        self._cache = {}
        self._syncing = False
        fig, axes = make_figure(1, self.depth, figsize=(_PANEL_IN[0] * self.depth,
                                                        _PANEL_IN[1]))
        self.axes = np.atleast_1d(axes)
        self.steps = [ax.stairs(np.zeros(self.bins), np.linspace(0, 1, self.bins + 1),
                                fill=True, color=CYCLE[0], alpha=0.85) for ax in self.axes]
        for i, ax in enumerate(self.axes):
            style_axes(ax, f"layer {i + 1}", "f(z)", "")
            ax.set_ylim(0, 1)
        self._columns = None
        self._grid(min(self.depth, 3))
        controls = {
            "preset": dropdown("initialisation", list(_PRESETS), preset,
                               tooltip="zeros, the Xavier/He rules, or your own std"),
            "std": log_slider("weight std σ", std, 1e-4, 10.0, tooltip=_STD_TIP),
            "activation": dropdown("activation f", ACTIVATION_NAMES, activation),
        }
        controls["std"].continuous_update = False
        readouts = {"act": readout(), "grad": readout()}
        super().__init__(controls, fig, readouts,
                         title=f"Initialisation: activations through {self.depth} layers")
        self._sync_slider()
        self._tight = True
        self.update()
        self.set_dynamic([*self.steps, *(ax.title for ax in self.axes)])
        ipympl_workarounds(self)

    # -- the layers' panels in a grid that fits the width ------------------------------------

    def _grid(self, columns: int) -> None:
        """Lay the layers' panels out ``columns`` to a row (rows as needed)."""
        if columns == self._columns:
            return
        self._columns = columns
        rows = math.ceil(self.depth / columns)
        fig = self.axes[0].figure
        grid = fig.add_gridspec(rows, columns)
        for i, ax in enumerate(self.axes):
            ax._dl_row_spec = None  # the base re-reads the grid when it stacks panels
            ax.set_subplotspec(grid[i // columns, i % columns])
            ax.set_ylabel("fraction of units" if i % columns == 0 else "")
        fig._dl_design = (_PANEL_IN[0] * columns, _PANEL_IN[1] * rows + 0.2 * (rows > 1))

    def fit(self, width: int) -> None:
        """Panels of at least 250 px: 5 layers in one row at 1488 px, 3 + 2 at 848 px."""
        if width and width >= 100:
            fits = int((width - 12) // _PANEL_MIN_PX)
            self._grid(max(min(2, self.depth), min(self.depth, fits)))
        super().fit(width)

    def _on_change(self, change=None):
        if self._syncing:
            return
        if change is not None and change.get("owner") is self.controls["preset"]:
            self._sync_slider()
        # σ moves keep the axes while the data fit them (blitting); a new preset or
        # activation gets axes fitted to its data
        self._tight = change is None or change.get("owner") is not self.controls["std"]
        super()._on_change(change)

    def _sync_slider(self):
        """Show the preset's std on the (disabled) slider; the slider is live only for custom."""
        preset = self.controls["preset"].value
        slider = self.controls["std"]
        slider.disabled = preset != CUSTOM
        value = _preset_std(preset, self.width)
        if preset == CUSTOM:
            slider.tooltip = _STD_TIP
        elif value is None:
            slider.tooltip = (f"'{preset}' sets every weight to 0, so σ has no effect; choose "
                              f"'{CUSTOM}' to set σ")
        else:
            slider.tooltip = (f"'{preset}' sets σ itself (σ = {value:.3g} for width "
                              f"{self.width}); choose '{CUSTOM}' to set σ")
        if value is not None:
            self._syncing = True
            try:
                slider.value = value
            finally:
                self._syncing = False

    def stats(self) -> LayerStats:
        """The ``LayerStats`` of the current settings (cached)."""
        preset = self.controls["preset"].value
        act = self.controls["activation"].value
        std = round(float(self.controls["std"].value), 6) if preset == CUSTOM else 0.0
        key = (preset, act, std)
        if key not in self._cache:
            self._cache[key] = layer_activations(act, depth=self.depth, width=self.width,
                                                    n=self.n, scheme=_PRESETS[preset],
                                                    std=std, rng=0)
        return self._cache[key]

    def update(self):
        s = self.stats()
        act = self.controls["activation"].value
        lo, hi = histogram_range(act, "post", s.post)
        if act in ("relu", "leaky_relu"):
            lo = min(lo, -0.05 * hi)
        # Axes that stay put while the data fit them let a slider move redraw only the bars
        # and titles (blitting); they change when the data outgrow them or use too little.
        if sticky_limits(self.axes[0], lo, hi, axis="x", slack=1.6, pad=0.0,
                         force=self._tight):
            lo, hi = self.axes[0].get_xlim()
            for ax in self.axes[1:]:
                ax.set_xlim(lo, hi)
        lo, hi = self.axes[0].get_xlim()
        edges = np.linspace(lo, hi, self.bins + 1)
        for i, (ax, step, a) in enumerate(zip(self.axes, self.steps, s.post)):
            # equal bins given as (number, range): numpy counts without sorting the values
            counts = np.histogram(np.clip(a, lo, hi), bins=self.bins, range=(lo, hi))[0]
            counts = counts / a.size
            step.set_data(counts, edges)
            top = max(counts.max() * 1.1, 0.05)
            sticky_limits(ax, 0.0, top, slack=2.5, pad=0.0, force=self._tight)
            ax.set_title(f"layer {i + 1}: std {np.std(a):.2g}", fontsize=9)
        stds = s.std("post")
        self.set_readout("act", "std of the activations per layer: "
                         + ", ".join(f"{v:.3g}" for v in stds))
        self.set_readout("grad", "std of dL/dW per layer (random upstream gradient): "
                         + ", ".join(f"{v:.3g}" for v in s.weight_grad_std))
        preset = self.controls["preset"].value
        how = (f"std {self.controls['std'].value:.3g}" if preset == CUSTOM else preset)
        self.set_summary(f"Histograms of the {act} activations in {self.depth} layers of width "
                         f"{self.width}, weights initialised with {how}; the activation std "
                         f"goes from {stds[0]:.3g} in layer 1 to {stds[-1]:.3g} in layer "
                         f"{self.depth}.")


def init_explorer(preset: str = CUSTOM, std: float = 0.01, activation: str = "tanh",
                  depth: int = 5, width: int = 256, n: int = 500, bins: int = 30) -> App:
    """Choose the initial weight std (or zeros, Xavier, He); see each layer's activations.

    The network is ``depth`` blocks Linear(width, width) -> activation, fed n N(0, 1)
    inputs; weights come from ``dlcore.nn.init_weights`` (preset "custom std" draws
    N(0, std^2)).  Readouts give each layer's activation std and weight-gradient std.
    """
    return _InitExplorer(preset, std, activation, depth, width, n, bins)
