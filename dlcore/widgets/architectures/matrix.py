"""Conv-matrix explorer: the matrix M of a single-channel convolution, with M vec(x) = conv.

Shape legend: kernel (KH, KW), image (n, n), M (H_out W_out, n^2) in C order on both sides.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from ... import conv as _conv
from ..._checks import as_array
from ..._random import get_rng
from ...counting import tie_pattern
from ...viz import architectures as _va
from ...viz.conv import colour_limits, text_colours
from .._base import CMAP, App, dropdown, make_figure, readout, slider
from .._text import cached_text
from ..conv._grid import MIN_PT, label_fits, text_px
from ..conv._redraw import GridApp, axes_fraction
from ._common import grid_axes

__all__ = ["conv_matrix_explorer"]


_IMAGES = {"pixels 1..n^2 (the slides' numbering)": "numbered",
           "vertical edge (left half 10, right half 0)": "edge",
           "random integers 0..9 (seeded)": "random"}


def _make_image(kind: str, n: int) -> np.ndarray:
    if kind == "numbered":
        return np.arange(1, n * n + 1, dtype=float).reshape(n, n)
    if kind == "edge":
        img = np.zeros((n, n))
        img[:, : (n + 1) // 2] = 10.0
        return img
    return get_rng(11).integers(0, 10, size=(n, n)).astype(float)


class _ConvMatrix(GridApp):
    def __init__(self, kernel, image, stride):
        kh, kw = kernel.shape
        self.n = image.shape[0] if image is not None else 4
        self.user_image = image
        controls = {f"w{a}{b}": slider(f"w[{a},{b}]", float(kernel[a, b]), -3.0,
                                       3.0, step=0.5, readout_format=".1f",
                                       tooltip=f"kernel weight w[{a},{b}]: the weight every "
                                               f"window uses at this cell")
                    for a in range(kh) for b in range(kw)}
        for control in controls.values():  # laid out like the kernel: narrower than usual
            control.layout.width = "260px"
        controls["stride"] = dropdown("stride s", {"1": 1, "2": 2}, value=stride)
        images = dict(_IMAGES)
        if image is not None:
            images = {"your image": "user", **images}
        controls["image"] = dropdown("input image x", images)
        self.kshape = (kh, kw)
        fig, (ax_m, ax_x, ax_o) = make_figure(1, 3, figsize=(9.6, 3.8))
        ax_m.get_gridspec().set_width_ratios([3.0, 1, 1])
        self.ax_m, self.ax_x, self.ax_o = ax_m, ax_x, ax_o
        cmap = _va.tie_colormap(kh * kw)
        self.im_m = ax_m.imshow(np.zeros((1, 1)), cmap=cmap, vmin=-0.5, vmax=kh * kw + 0.5,
                                interpolation="nearest", aspect="auto")
        self.m_text = [cached_text(ax_m, 0, 0, "", ha="center", va="center", fontsize=9,
                                   color="white")
                       for _ in range(self.n * self.n * kh * kw)]
        self.im_x = ax_x.imshow(np.zeros((self.n, self.n)), cmap=CMAP, vmin=0, vmax=1)
        self.x_text = [cached_text(ax_x, c, r, "", ha="center", va="center", fontsize=9)
                       for r in range(self.n) for c in range(self.n)]
        self.im_o = ax_o.imshow(np.zeros((1, 1)), cmap=CMAP, vmin=0, vmax=1)
        self.o_text = [cached_text(ax_o, 0, 0, "", ha="center", va="center", fontsize=9)
                       for _ in range(self.n * self.n)]
        self.m_numbers_hidden = False
        ax_m.set_xlabel("input pixel (column of M)")
        ax_m.set_ylabel("output unit (row of M)")
        ax_x.set_title(f"input x ({self.n}x{self.n})")
        ax_x.set_xlabel("column")
        ax_x.set_ylabel("row")
        ax_o.set_xlabel("column")
        ax_o.set_ylabel("row")
        super().__init__(controls, fig, readouts={"matrix": readout(), "check": readout()},
                         title="Convolution as a masked, tied matrix")
        c = self.controls
        rows = [W.HBox([c[f"w{a}{b}"] for b in range(kw)]) for a in range(kh)]
        self.arrange([W.HTML("kernel weights (laid out as the kernel):"), *rows,
                      W.HBox([c["stride"], c["image"]], layout=W.Layout(flex_flow="row wrap"))])
        self.update()

    def kernel(self) -> np.ndarray:
        kh, kw = self.kshape
        return np.array([[self.controls[f"w{a}{b}"].value for b in range(kw)]
                         for a in range(kh)])

    def image(self) -> np.ndarray:
        kind = self.controls["image"].value
        return self.user_image if kind == "user" else _make_image(kind, self.n)

    def update(self):
        w, x, s = self.kernel(), self.image(), self.controls["stride"].value
        n, (kh, kw) = self.n, self.kshape
        m = _conv.conv_as_matrix(w[None, None], (1, n, n), stride=s)
        ties = tie_pattern(self.kshape, n, stride=s)
        via_matrix = m @ x.ravel()
        direct = _conv.correlate2d(x, w, stride=s)
        oh, ow = direct.shape  # a non-square kernel gives a non-square output
        rows, cols = ties.shape
        self.im_m.set_data(ties)
        self.im_m.set_extent((-0.5, cols - 0.5, rows - 0.5, -0.5))
        cell_w, cell_h = self._m_cell(rows, cols)
        if (rows, cols, cell_w, cell_h) != getattr(self, "_m_ticks", None):
            self._m_ticks = (rows, cols, cell_w, cell_h)
            # label every k-th pixel / unit when the cells are narrower than their labels
            step_x = max(1, int(np.ceil((text_px(str(cols), 8) + 6) / cell_w)))
            step_y = max(1, int(np.ceil(8 * 1.5 * 100 / 72 / cell_h)))
            names = [f"h{i + 1}{j + 1}" for i in range(oh) for j in range(ow)]
            self.ax_m.set_xticks(range(0, cols, step_x),
                                 [str(k + 1) for k in range(0, cols, step_x)], fontsize=8)
            self.ax_m.set_yticks(range(0, rows, step_y), names[::step_y], fontsize=8)
        nz = list(zip(*np.nonzero(ties)))
        labels = [f"{m[r, c]:g}" for r, c in nz]
        size = next((sz for sz in (9.0, 8.5, 8.0, MIN_PT)
                     if label_fits(labels, sz, cell_w, cell_h)), None)
        self.m_numbers_hidden = size is None
        for t, text in enumerate(self.m_text):
            text.set_visible(size is not None and t < len(nz))
            if size is not None and t < len(nz):
                r, c = nz[t]
                text.set_position((c, r))
                text.set_text(labels[t])
                text.set_fontsize(size)
        xlo, xhi, _ = colour_limits(x, diverging=False)
        x_ink = text_colours(x, xlo, xhi, False).ravel()
        if x.tobytes() != getattr(self, "_x_shown", None):
            self._x_shown = x.tobytes()
            self.touch(self.ax_x)  # the input's numbers are static: repaint its panel
        self.im_x.set_data(x)
        self.im_x.set_clim(xlo, xhi)
        for t, text in enumerate(self.x_text):
            text.set_text(f"{x.ravel()[t]:g}")
            text.set_color(x_ink[t])
        lo, hi, _ = colour_limits(direct, diverging=False)
        out_ink = text_colours(via_matrix, lo, hi, False)
        self.im_o.set_data(direct)
        self.im_o.set_extent((-0.5, ow - 0.5, oh - 0.5, -0.5))
        self.im_o.set_clim(lo, hi)
        for t, text in enumerate(self.o_text):
            text.set_visible(t < oh * ow)
            if t < oh * ow:
                text.set_position((t % ow, t // ow))
                text.set_text(f"{via_matrix[t]:g}")
                text.set_color(out_ink[t])
        grid_axes(self.ax_x, n, n)
        grid_axes(self.ax_o, oh, ow)
        n_nz, n_distinct = len(nz), kh * kw
        self.ax_m.set_title(f"M: {m.size} entries, {n_nz} connected, {n_distinct} distinct "
                            f"weights")
        self.ax_o.set_title(f"M vec(x) as {oh}x{ow}")
        gap = float(np.max(np.abs(via_matrix - direct.ravel())))
        hidden = (" (The entries' numbers are hidden: M's cells are too small at this width; "
                  "the colours show which weight each entry holds.)"
                  if self.m_numbers_hidden else "")
        self.set_readout("matrix", f"M is {rows}x{cols} = {m.size} entries. Only {n_nz} may "
                         f"be non-zero (sparse connectivity) and they repeat the {n_distinct} "
                         f"kernel weights (weight sharing); the other {m.size - n_nz} are "
                         f"forced to 0.{hidden}")
        self.set_readout("check", f"M vec(x) = {np.array2string(via_matrix, precision=3)}; "
                         f"correlate2d(x, w) = {np.array2string(direct.ravel(), precision=3)}; "
                         f"largest difference {gap:.1e}.")
        self.set_summary(f"Matrix M ({rows}x{cols}) coloured by kernel cell, the {n}x{n} input "
                         f"and the {oh}x{ow} output M vec(x), which equals the convolution.")
        # the weights change M's numbers, the output and its colours: blitted; the input
        # and M's colours change with the image or the stride (their panels are repainted)
        self.use_dynamic([*self.m_text, self.im_o, self.ax_o._dl_cells, *self.o_text])

    def _m_cell(self, rows: int, cols: int):
        """On-screen width and height (px) of one entry of M (aspect 'auto': the axes' size
        over the number of columns and rows)."""
        pos = axes_fraction(self.ax_m)
        width, height = self.fig.get_size_inches() * self.fig.dpi
        return pos.width * width / cols, pos.height * height / rows


def conv_matrix_explorer(kernel=((1.0, 2.0), (-1.0, 0.5)), image=None, stride: int = 1) -> App:
    """Edit a kernel and watch the conv layer's matrix M: zeros outside each window, the same
    k x k weights in every row, and ``M @ x.ravel()`` equal to ``correlate2d(x, kernel)``.

    kernel (KH, KW) with KH, KW <= 3; image (n, n) with 2 <= n <= 6 (default: the 4x4 input
    numbered 1..16 and other presets); stride 1 or 2.
    """
    kernel = _conv_arr(kernel, "kernel", "(KH, KW)")
    if kernel.shape[0] > 3 or kernel.shape[1] > 3:
        raise ValueError(f"kernel must be at most 3x3 here; got shape {kernel.shape}")
    if image is not None:
        image = _conv_arr(image, "image", "(n, n)")
        if image.shape[0] != image.shape[1] or not 2 <= image.shape[0] <= 6:
            raise ValueError(f"image must be square (n, n) with 2 <= n <= 6; got shape "
                             f"{image.shape}")
    n = image.shape[0] if image is not None else 4
    if kernel.shape[0] > n or kernel.shape[1] > n:
        raise ValueError(f"kernel {kernel.shape} does not fit the {n}x{n} image")
    if stride not in (1, 2):
        raise ValueError(f"stride must be 1 or 2; got {stride!r}")
    return _ConvMatrix(kernel, image, stride)


def _conv_arr(x, name, spec):
    return as_array(x, name, ndim=2, spec=spec)
