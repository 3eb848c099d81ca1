"""Receptive-field explorer: select a unit of a conv/pool stack and see the input pixels it sees.

Shape legend: an n x n input (pixels 1..n^2 row by row); each layer is (kernel k, stride s,
padding p, dilation d) and maps a size h to floor((h + 2p - d(k-1) - 1)/s) + 1.
"""

from __future__ import annotations

import numpy as np

from ... import conv as _conv
from ... import counting as _counting
from .._base import PALETTE, App, dropdown, int_slider, make_figure, readout
from .._text import cached_text
from ..conv._redraw import GridApp
from ._common import CUSTOM, check_range, grid_axes, pixel_list

__all__ = ["receptive_field_explorer"]


_RF_PRESETS = {
    "slides: 4x4 input, 2x2 kernel, stride 1": (4, ((2, 1),)),
    "slides: 4x4 input, 2x2 kernel, stride 2": (4, ((2, 2),)),
    "two 2x2 convs on a 4x4 input": (4, ((2, 1), (2, 1))),
    "three 3x3 convs on 9x9 (the field of one 7x7)": (9, ((3, 1),) * 3),
    "3x3 conv, 2x2 max pool, 3x3 conv on 12x12": (12, ((3, 1), (2, 2), (3, 1))),
    "VGG blocks 1-2 on 32x32 (3x3 convs, padding 1)":
        (32, (_counting.Conv2dSpec(64, 3, padding=1), _counting.Conv2dSpec(64, 3, padding=1),
              _counting.MaxPool2dSpec(2, 2), _counting.Conv2dSpec(128, 3, padding=1),
              _counting.Conv2dSpec(128, 3, padding=1))),
    "AlexNet conv1, pool1, conv2 on 227x227":
        (227, (_counting.Conv2dSpec(96, 11, stride=4), _counting.MaxPool2dSpec(3, 2),
               _counting.Conv2dSpec(256, 5, padding=2))),
}
_PASS_THROUGH = ("ReLU", "Tanh", "Dropout", "LocalResponseNorm")


def _geometry(layers):
    """(k, s, p, d, label) per spatial layer from (k, s) / (k, s, d) tuples or counting specs."""
    out = []
    for i, layer in enumerate(layers):
        if isinstance(layer, (tuple, list)):
            if len(layer) not in (2, 3):
                raise ValueError(f"layer {i} must be (kernel, stride) or (kernel, stride, "
                                 f"dilation); got {layer!r}")
            k, s = (check_range(v, f"layer {i} kernel/stride", 1, 10 ** 6) for v in layer[:2])
            d = check_range(layer[2], f"layer {i} dilation", 1, 10 ** 6) if len(layer) == 3 \
                else 1
            out.append((k, s, 0, d, f"{k}x{k} window, stride {s}"))
            continue
        kind = getattr(layer, "kind", None)
        if kind in _PASS_THROUGH:
            continue
        if kind not in ("Conv2d", "MaxPool2d", "AvgPool2d", "Subsample2d"):
            raise ValueError(f"layer {i} ({kind or type(layer).__name__}) has no receptive "
                             f"field geometry; use (kernel, stride) tuples or Conv2dSpec / "
                             f"MaxPool2dSpec / AvgPool2dSpec specs")
        ks, ss, ps = layer.kernel_size, layer.stride, layer.padding
        ds = getattr(layer, "dilation", (1, 1))
        if ks[0] != ks[1] or ss[0] != ss[1] or ps[0] != ps[1] or ds[0] != ds[1]:
            raise ValueError(f"layer {i}: only square kernels, strides and paddings are "
                             f"drawn; got kernel {ks}, stride {ss}, padding {ps}")
        pad = f", padding {ps[0]}" if ps[0] else ""
        out.append((ks[0], ss[0], ps[0], ds[0], f"{kind} {ks[0]}x{ks[0]}, stride {ss[0]}{pad}"))
    if not out:
        raise ValueError("layers must contain at least one conv or pooling layer")
    return out


def _sizes(geom, n):
    sizes = [n]
    for i, (k, s, p, d, _) in enumerate(geom):
        try:
            sizes.append(_conv.output_size(sizes[-1], k, s, p, d))
        except ValueError as exc:
            raise ValueError(f"layer {i}: {exc}") from None
    return sizes


def _field_cells(geom, sizes, layer, i, j):
    """Input cells feeding unit (i, j) (0-based) of ``layer`` (1-based), through every layer."""
    cells = {(i, j)}
    for l in range(layer, 0, -1):
        k, s, p, d, _ = geom[l - 1]
        h = sizes[l - 1]
        cells = {cell for r, c in cells
                 for cell in _conv.inputs_feeding(r, c, k, s, p, d, input_shape=(h, h))}
    return cells


def _set_range(slider, top: int, tooltip: str, why_disabled: str) -> None:
    """Slider over 1..top; a slider with a single value cannot move, so it is disabled (with
    a tooltip saying why) and shows its only value."""
    if top <= 1:
        slider.max = 2  # a range of one value draws a dead slider in the browser
        slider.value = 1
        slider.disabled = True
        slider.tooltip = why_disabled
    else:
        slider.max = top
        slider.disabled = False
        slider.tooltip = tooltip


class _ReceptiveField(GridApp):
    MAX_LABELS = 8

    def __init__(self, presets, preset):
        from matplotlib.colors import ListedColormap
        from matplotlib.patches import Rectangle

        self.presets = presets
        controls = {
            "preset": dropdown("layer stack", {k: k for k in presets}, value=preset),
            "layer": int_slider("layer l", 1, 1, 2, tooltip="which layer the unit lives in"),
            "row": int_slider("unit row i", 1, 1, 2, tooltip="the unit's row in layer l"),
            "col": int_slider("unit column j", 1, 1, 2, tooltip="the unit's column in layer l"),
        }
        fig, (ax_in, ax_l) = make_figure(1, 2, figsize=(8.4, 4.2))
        self.ax_in, self.ax_l = ax_in, ax_l
        cmap = ListedColormap(["#EEEEEE", PALETTE["sky"]])
        self.im_in = ax_in.imshow(np.zeros((1, 1)), cmap=cmap, vmin=0, vmax=1)
        self.im_l = ax_l.imshow(np.zeros((1, 1)), cmap=ListedColormap(["#EEEEEE",
                                                                       PALETTE["vermillion"]]),
                                vmin=0, vmax=1)
        self.window = Rectangle((0, 0), 1, 1, fill=False, lw=2, ls="--", zorder=3,
                                edgecolor=PALETTE["black"])
        ax_in.add_patch(self.window)
        m = self.MAX_LABELS
        self.labels = [cached_text(ax_in, 0, 0, "", ha="center", va="center", fontsize=9)
                       for _ in range(m * m)]
        for ax in (ax_in, ax_l):
            ax.set_xlabel("column")
            ax.set_ylabel("row")
        self._busy = False
        super().__init__(controls, fig, readouts={"field": readout(), "formula": readout()},
                         title="Receptive field of a unit")
        fig.canvas.mpl_connect("button_press_event", self._on_click)
        self.update()

    def _on_click(self, event):
        """Clicking a cell of the layer panel selects that unit."""
        if event.inaxes is not self.ax_l or event.xdata is None:
            return
        size = self.sizes[self.controls["layer"].value]
        i, j = int(round(event.ydata)), int(round(event.xdata))
        if 0 <= i < size and 0 <= j < size:
            self._busy = True  # one update for both sliders
            try:
                self.controls["row"].value = i + 1
                self.controls["col"].value = j + 1
            finally:
                self._busy = False
            self.update()
            self.redraw()

    def _sync(self):
        n, layers = self.presets[self.controls["preset"].value]
        self.geom = _geometry(layers)
        self.sizes = _sizes(self.geom, n)
        c = self.controls
        _set_range(c["layer"], len(self.geom),
                   "which layer the unit lives in",
                   "this stack has a single layer: the unit lives in layer 1")
        size = self.sizes[c["layer"].value]
        for key, what in (("row", "row"), ("col", "column")):
            _set_range(c[key], size, f"the unit's {what} in layer l",
                       f"layer {c['layer'].value} is 1x1: its only unit is h11")

    def update(self):
        if self._busy:
            return
        self._busy = True
        try:
            self._sync()
        finally:
            self._busy = False
        c = self.controls
        layer, i, j = c["layer"].value, c["row"].value - 1, c["col"].value - 1
        n, size = self.sizes[0], self.sizes[layer]
        cells = _field_cells(self.geom, self.sizes, layer, i, j)
        mask = np.zeros((n, n))
        rows, cols = zip(*cells)
        mask[list(rows), list(cols)] = 1
        self.im_in.set_data(mask)
        self.im_in.set_extent((-0.5, n - 0.5, n - 0.5, -0.5))
        unit = np.zeros((size, size))
        unit[i, j] = 1
        self.im_l.set_data(unit)
        self.im_l.set_extent((-0.5, size - 0.5, size - 0.5, -0.5))
        grid_axes(self.ax_in, n, n)
        grid_axes(self.ax_l, size, size)
        fields = _conv.receptive_fields([(k, s, d) for k, s, _, d, _ in self.geom])
        r = fields[layer - 1].size
        jumps = [1] + [f.jump for f in fields]
        offset = sum(p * jumps[l] for l, (_, _, p, _, _) in enumerate(self.geom[:layer]))
        top, left = i * jumps[layer] - offset, j * jumps[layer] - offset
        self.window.set_xy((left - 0.5, top - 0.5))
        self.window.set_width(r)
        self.window.set_height(r)
        show = n <= self.MAX_LABELS
        for t, text in enumerate(self.labels):
            text.set_visible(show and t < n * n)
            if show and t < n * n:
                text.set_position((t % n, t // n))
                text.set_text(str(t + 1))
        name = f"h{i + 1}{j + 1}" if size <= 9 else f"unit ({i + 1}, {j + 1})"
        where = self.geom[layer - 1][4]
        self.ax_l.set_title(f"layer {layer} ({size}x{size}): {name}")
        self.ax_in.set_title(f"input ({n}x{n}): {len(cells)} pixels seen, r = {r}")
        if show:
            seen = f"pixels {pixel_list(cells, n)}"
        else:
            seen = (f"rows {min(rows) + 1}-{max(rows) + 1}, columns {min(cols) + 1}-"
                    f"{max(cols) + 1} ({len(cells)} pixels)")
        clipped = "" if len(cells) == r * r else (f" The {r}x{r} window (dashed) reaches "
                                                  f"into the padding or past the border.")
        self.set_readout("field", f"{name} of layer {layer} ({where}) sees {seen}.{clipped}")
        steps = " -> ".join(str(f.size) for f in fields[:layer])
        jsteps = " -> ".join(str(x) for x in jumps[:layer + 1])
        self.set_readout("formula", f"r_l = r_(l-1) + (k_l - 1) d_l j_(l-1), j_l = j_(l-1) s_l: "
                         f"r = 1 -> {steps}; jump j = {jsteps}.")
        self.set_summary(f"Left: the {n}x{n} input with the {len(cells)} pixels that feed the "
                         f"selected unit shaded and its {r}x{r} window dashed; right: layer "
                         f"{layer} with the selected unit.")
        # the shading, the window, the numbers on it and the titles are blitted; a new
        # layer or stack repaints a panel's ticks
        self.use_dynamic([self.im_in, self.im_l, self.ax_in._dl_cells, self.ax_l._dl_cells,
                          self.window, *self.labels, self.ax_in.title, self.ax_l.title])


def receptive_field_explorer(layers=None, input_size: int | None = None,
                             preset: str = "slides: 4x4 input, 2x2 kernel, stride 1") -> App:
    """Pick a layer and a unit (sliders, or click the right panel) and see the input pixels it
    sees through the whole stack, with the recurrence r_l = r_(l-1) + (k_l - 1) j_(l-1).

    ``layers``: your own stack as (kernel, stride) tuples or ``dlcore.counting`` Conv2dSpec /
    MaxPool2dSpec / AvgPool2dSpec specs (activations are skipped), on an ``input_size`` x
    ``input_size`` input.  Presets include the slides' 4x4 examples (h11 sees 1, 2, 5, 6).
    """
    presets = dict(_RF_PRESETS)
    if layers is not None:
        if input_size is None:
            raise ValueError("input_size (the side n of the n x n input) is required with "
                             "layers=[...]")
        n = check_range(input_size, "input_size", 1, 512)
        _sizes(_geometry(list(layers)), n)  # fail here, naming the layer
        presets = {CUSTOM: (n, tuple(layers)), **presets}
        preset = CUSTOM
    elif preset not in presets:
        raise ValueError(f"unknown preset {preset!r}; presets: {', '.join(presets)}")
    return _ReceptiveField(presets, preset)

