"""``conv_explorer``: a kernel sliding over a (padded) image, one output cell at a time.

Shape legend: image (H, W), kernel (KH, KW), padded image (H + 2p, W + 2p), output
(H_out, W_out) with ``H_out = floor((H + 2p - d(KH-1) - 1)/s) + 1``.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib.patches import Rectangle

from ... import conv
from ..._checks import as_array
from ...conv.sizes import torch_keywords
from .._base import PALETTE, checkbox, dropdown, int_slider, play_controls, readout, slider
from .._mine import mine_name, require_function, run_mine, takes
from ._grid import (
    GridApp,
    NumberGrid,
    figure_row,
    fmt,
    in_range,
    matrix_text,
    parse_matrix,
    two_columns,
)
from ._presets import IMAGE_PRESETS, KERNEL_PRESETS, pick

__all__ = ["conv_explorer"]

MAX_IMAGE = 32   # larger images would make the sliding window too small to follow
MAX_KERNEL = 7


def size_formula(n: int, k: int, s: int, p: int, d: int) -> str:
    """``⌊(n + 2p − d(k−1) − 1)/s⌋ + 1`` written out with the numbers (no evaluation errors)."""
    span = n + 2 * p - d * (k - 1) - 1
    return (f"⌊({n} + 2·{p} − {d}·({k}−1) − 1)/{s}⌋ + 1 = ⌊{span}/{s}⌋ + 1 = "
            f"{span // s + 1}")


class ConvExplorer(GridApp):
    """Input, elementwise products and output of one single-channel convolution."""

    def __init__(self, image=None, kernel=None, preset=None, kernel_preset=None, stride=1,
                 pad=0, dilation=1, bias=0.0, flip=False, mine=None):
        self.mine = require_function(mine, "my_correlate2d", "your cross-correlation function")
        self._mine_takes_dilation = mine is not None and takes(mine, "dilation")
        self.mismatch = None  # cells where your function differs from dlcore's (with mine=)
        stride, pad = in_range(stride, "stride", 1, 4), in_range(pad, "padding", 0, 3)
        dilation = in_range(dilation, "dilation", 1, 3)
        if not -10 <= float(bias) <= 10:
            raise ValueError(f"bias must be between -10 and 10 (the slider's range); got {bias}")
        images = dict(IMAGE_PRESETS)
        kernels = dict(KERNEL_PRESETS)
        if image is not None:
            own = as_array(image, "image", ndim=2, spec="(H, W)")
            if max(own.shape) > MAX_IMAGE:
                raise ValueError(f"image must be at most {MAX_IMAGE}x{MAX_IMAGE} to follow "
                                 f"the window; got shape {own.shape} (crop or downsample it)")
            images = {"your image": lambda: own, **images}
        if kernel is not None:
            own_k = as_array(kernel, "kernel", ndim=2, spec="(KH, KW)")
            if max(own_k.shape) > MAX_KERNEL or 0 in own_k.shape:
                raise ValueError(f"kernel must be between 1x1 and {MAX_KERNEL}x{MAX_KERNEL}; "
                                 f"got shape {own_k.shape}")
            kernels = {"your kernel": own_k, **kernels}
        self._images = images
        self._kernels = kernels
        self._cache: dict[str, np.ndarray] = {}
        img_name = pick(preset, images, "preset", default=next(iter(images)))
        ker_name = pick(kernel_preset, kernels, "kernel_preset", default=next(iter(kernels)))
        play, step = play_controls(1, interval_ms=700, description="output cell")
        self._play = play
        controls = {
            "image": dropdown("input image", list(images), img_name,
                              tooltip="the single-channel input to slide over"),
            "kernel_preset": dropdown("kernel preset", list(kernels), ker_name,
                                      tooltip="copies a kernel into the editable box below"),
            "kernel": W.Textarea(value=matrix_text(kernels[ker_name]),
                                 description="kernel (editable)",
                                 tooltip="one row per line; numbers such as 2, -0.5 or 1/9",
                                 layout=W.Layout(width="320px", height="90px"),
                                 style={"description_width": "initial"}),
            "stride": int_slider("stride s", stride, 1, 4, tooltip="step between windows"),
            "pad": int_slider("zero padding p", pad, 0, 3,
                              tooltip="rings of zeros added around the input"),
            "dilation": int_slider("dilation d", dilation, 1, 3,
                                   tooltip="spacing between the kernel's taps"),
            "bias": slider("bias b", float(bias), -10.0, 10.0, 0.5, ".1f",
                           tooltip="added to every output cell"),
            "flip": checkbox("true convolution (flip the kernel)", bool(flip),
                             tooltip="off: cross-correlation, as in PyTorch; on: rotate the "
                                     "kernel by 180 degrees first"),
            "play": play,
            "step": step,
        }
        fig, (ax_in, ax_k, ax_out) = figure_row([1.5, 1.0, 1.2], figsize=(10.0, 3.6))
        self.g_in = NumberGrid(ax_in, (16, 16), fontsize=10)
        self.g_prod = NumberGrid(ax_k, (MAX_KERNEL, MAX_KERNEL), fontsize=9)
        self.g_out = NumberGrid(ax_out, (16, 16), fontsize=10, pool=64)
        self.frame = Rectangle((-0.5, -0.5), 1, 1, fill=False, lw=2, zorder=5,
                               edgecolor=PALETTE["black"], label="unpadded input")
        ax_in.add_patch(self.frame)
        for ax, x, y in ((ax_in, "column (padded)", "row (padded)"),
                         (ax_k, "kernel column b", "kernel row a"),
                         (ax_out, "output column j", "output row i")):
            ax.set_xlabel(x)
            ax.set_ylabel(y)
        self.ax_in, self.ax_k, self.ax_out = ax_in, ax_k, ax_out
        readouts = {"mode": readout(), "size": readout(), "warning": readout(),
                    "cell": readout(), **({"mine": readout()} if mine is not None else {})}
        super().__init__(controls, fig, readouts, title="Sliding a kernel over an image")
        two_columns(self, ["image", "kernel_preset", "kernel", "play", "step"],
                    ["stride", "pad", "dilation", "bias", "flip"])
        self.controls["kernel_preset"].observe(self._on_kernel_preset, names="value")
        self.output = np.zeros((0, 0))
        self.update()

    def _on_change(self, change=None) -> None:
        owner = change.get("owner") if change is not None else None
        if owner is self._play or owner is self.controls["kernel_preset"]:
            return  # these drive the step slider / the kernel box, which trigger the update
        super()._on_change(change)

    def _on_kernel_preset(self, change) -> None:
        self.controls["kernel"].value = matrix_text(self._kernels[change["new"]])

    def image(self) -> np.ndarray:
        name = self.controls["image"].value
        if name not in self._cache:
            loader = self._images[name]
            self._cache[name] = np.asarray(loader(), dtype=np.float64)
        return self._cache[name]

    def kernel(self) -> np.ndarray:
        """The kernel typed in the box (ValueError if it cannot be read)."""
        k = parse_matrix(self.controls["kernel"].value)
        if max(k.shape) > MAX_KERNEL:
            raise ValueError(f"kernel must be at most {MAX_KERNEL}x{MAX_KERNEL}; got shape "
                             f"{k.shape}")
        return k

    def _fail(self, img, pad, message: str) -> None:
        self.mismatch = None
        padded = np.pad(img, pad)
        self.g_in.show(padded)
        self.g_prod.show(np.full((1, 1), np.nan))
        self.g_out.show(np.full((1, 1), np.nan))
        self.output = np.zeros((0, 0))
        for name in ("size", "cell"):
            self.set_readout(name, "")
        self.set_readout("warning", f"Error: {message}")
        self.set_summary(f"No output: {message}")
        self._dynamic_artists()

    def _dynamic_artists(self) -> None:
        """Everything a control changes is blitted; axis limits change only with the sizes."""
        # The input's cells change only with the image or the padding: they stay in the
        # cached background (its axes is repainted then) and only the window is blitted.
        self.use_dynamic([*self.g_in.artists(highlight_only=True), *self.g_prod.artists(),
                          *self.g_out.artists(), self.ax_k.title, self.ax_out.title],
                         static_grids=[self.g_in])

    def update(self) -> None:
        c = self.controls
        img = self.image()
        s, p, d, b, flip = (c["stride"].value, c["pad"].value, c["dilation"].value,
                            float(c["bias"].value), bool(c["flip"].value))
        h, w = img.shape
        self.frame.set_bounds(p - 0.5, p - 0.5, w, h)
        self.ax_in.set_title(f"input {h}×{w}" + (f", padded to {h + 2 * p}×{w + 2 * p}"
                                                  if p else ""))
        try:
            k = self.kernel()
            kh, kw = k.shape
            ho = conv.output_size(h, kh, s, p, d)
            wo = conv.output_size(w, kw, s, p, d)
        except ValueError as exc:
            self._fail(img, p, str(exc))
            return
        op = conv.convolve2d if flip else conv.correlate2d
        out = op(img, k, stride=s, pad=p, dilation=d) + b
        reference = out
        if self.mine is not None:
            out = self._compare_mine(img, conv.rot180(k) if flip else k, s, p, d, b, out)
        self.output = out
        n_cells = ho * wo
        step = c["step"]
        step.max = max(n_cells - 1, 0)
        self._play.max = step.max
        idx = min(step.value, n_cells - 1)
        i, j = divmod(idx, wo)
        padded = np.pad(img, p)
        k_used = conv.rot180(k) if flip else k
        rows = i * s + np.arange(kh) * d
        cols = j * s + np.arange(kw) * d
        window = padded[np.ix_(rows, cols)]
        products = window * k_used
        mask = np.zeros(padded.shape, dtype=bool)
        mask[np.ix_(rows, cols)] = True
        self.g_in.show(padded, mask=mask)
        labels = [[f"{fmt(window[a, bb])}×{fmt(k_used[a, bb])}\n={fmt(products[a, bb])}"
                   for bb in range(kw)] for a in range(kh)]
        short = [[fmt(products[a, bb]) for bb in range(kw)] for a in range(kh)]
        self.g_prod.show(products, labels=labels, short_labels=short)
        self.ax_k.set_title("window × " + ("flipped kernel" if flip else "kernel"))
        shown = np.full(out.shape, np.nan)
        shown.flat[:idx + 1] = out.flat[:idx + 1]
        cell = np.zeros(out.shape, dtype=bool)
        cell[i, j] = True
        labels = short = None
        if self.mismatch is not None and self.mismatch.any():
            # your function's value, and the correct one where they differ ("5≠1")
            labels = [[("" if np.isnan(shown[a, bb]) else fmt(shown[a, bb])
                        + (f"≠{fmt(reference[a, bb])}" if self.mismatch[a, bb] else ""))
                       for bb in range(wo)] for a in range(ho)]
            short = [[("" if np.isnan(shown[a, bb]) else fmt(shown[a, bb])
                       + ("≠" if self.mismatch[a, bb] else ""))
                      for bb in range(wo)] for a in range(ho)]
        self.g_out.show(shown, mask=cell, vmin=float(np.nanmin(out)),
                        vmax=float(np.nanmax(out)),
                        diverging=bool(np.nanmin(out) < 0 < np.nanmax(out)),
                        labels=labels, short_labels=short)
        self.ax_out.set_title(f"output {ho}×{wo} (cell {idx + 1} of {n_cells})")
        self.set_readout("mode", "true convolution: the kernel is rotated by 180° before "
                                 "sliding" if flip else
                         "cross-correlation (what conv layers and PyTorch compute): the "
                         "kernel is used as it is")
        self.set_readout("size", f"output rows: {size_formula(h, kh, s, p, d)}; output "
                                 f"columns: {size_formula(w, kw, s, p, d)}")
        notes = []
        for axis, n, kk in (("rows", h, kh), ("columns", w, kw)):
            if not conv.tiles_exactly(n, kk, s, p, d):
                left = (n + 2 * p - d * (kk - 1) - 1) % s
                notes.append(f"stride {s} does not tile the {axis}: "
                             f"({n} + 2·{p} − {d}·({kk}−1) − 1)/{s} is not an integer, so "
                             f"the last {left} padded {axis} are never visited")
        self.set_readout("warning", ("Warning: " + "; ".join(notes)) if notes else "")
        total = float(products.sum())
        hidden = [name for name, g in (("input", self.g_in), ("products", self.g_prod),
                                       ("output", self.g_out)) if g.numbers_hidden]
        note = (f" (numbers hidden in the {' and '.join(hidden)} panel"
                f"{'s' if len(hidden) > 1 else ''}: the cells are too small at this width; the "
                f"colours show the values)") if hidden else ""
        yours = (f"; your function gives {fmt(out[i, j])}" if self.mismatch is not None
                 and self.mismatch[i, j] else "")
        self.set_readout("cell", f"out[{i}, {j}] = Σ window × kernel + b = {fmt(total)} + "
                                 f"{fmt(b)} = {fmt(reference[i, j])}{yours}{note}")
        self.set_summary(f"A {kh}×{kw} kernel at stride {s}, padding {p}, dilation {d} "
                         f"over a {h}×{w} input gives a {ho}×{wo} output; the highlighted "
                         f"window (padded rows {rows[0]}–{rows[-1]}, columns "
                         f"{cols[0]}–{cols[-1]}) writes out[{i}, {j}] = "
                         f"{fmt(reference[i, j])}.")
        self._dynamic_artists()

    def _compare_mine(self, img, k, s, p, d, b, reference):
        """Your function's output (+ b), compared with dlcore's; dlcore's when it fails."""
        self.mismatch = None
        fallback = "the grids show dl.conv.correlate2d"
        if d != 1 and not self._mine_takes_dilation:
            self.set_readout("mine", f"{mine_name(self.mine)} takes no dilation: set d = 1 to "
                                     f"compare it; {fallback}.")
            return reference
        extra = {"dilation": d} if d != 1 else {}
        where = (f"image {img.shape[0]}×{img.shape[1]}, kernel {k.shape[0]}×{k.shape[1]}, "
                 f"stride {s}, padding {p}" + (f", dilation {d}" if extra else ""))
        mine = run_mine(self.mine, (img, k), {"stride": s, "padding": p, **extra},
                        reference=reference - b, reference_name="dl.conv.correlate2d",
                        where=where, fallback=fallback, entries="cells")
        self.set_readout("mine", mine.message)
        if not mine.used:
            return reference
        self.mismatch = mine.differ
        return mine.value + b


@torch_keywords
def conv_explorer(image=None, kernel=None, *, preset=None, kernel_preset=None, stride=1,
                  padding=0, dilation=1, bias=0.0, flip=False, mine=None) -> ConvExplorer:
    """Image and kernel presets, stride, padding, dilation, bias and a flip toggle -> the
    sliding window on the padded input, its elementwise products and the output being written.

    ``image`` (H, W), at most 32x32, and ``kernel`` (KH, KW), at most 7x7: your own arrays,
    added as the first presets.  ``preset`` / ``kernel_preset``: names of the built-in presets
    (the entries of the image and kernel dropdowns).  The step slider (or Play) walks through
    the output cells in row-major order; the readouts show the output-size formula and warn
    when the stride does not tile the input.

    ``mine``: your own cross-correlation, called as ``mine(image, kernel, stride=, padding=)``
    (and ``dilation=`` if it takes one), like ``dl.conv.correlate2d``.  The output grid then
    shows your values, marks each cell that differs as ``yours≠correct``, and a readout
    counts them; an error in your function is shown in the readout.
    """
    return ConvExplorer(image=image, kernel=kernel, preset=preset, kernel_preset=kernel_preset,
                        stride=stride, pad=padding, dilation=dilation, bias=bias, flip=flip,
                        mine=mine)
