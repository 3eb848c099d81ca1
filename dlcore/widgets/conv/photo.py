"""``photo_filter``: one kernel applied to a whole photo, as a conv layer's filter would be.

Shape legend: image (H, W) grey levels, kernel (KH, KW), response (H_out, W_out).
"""

from __future__ import annotations

import numpy as np

from ... import conv
from ..._checks import as_array
from .._base import CMAP, DIVERGING, checkbox, dropdown, int_slider, readout, style_axes
from ._grid import GridApp, NumberGrid, figure_row, in_range
from ._presets import PHOTO_KERNELS, pick

__all__ = ["photo_filter"]


class PhotoFilter(GridApp):
    """The photo, the kernel and the filtered photo side by side."""

    def __init__(self, kernel=None, image=None, downsample=4, stride=1, same=True):
        stride = in_range(stride, "stride", 1, 4)
        kernels = dict(PHOTO_KERNELS)
        if kernel is not None and not isinstance(kernel, str):
            own = as_array(kernel, "kernel", ndim=2, spec="(KH, KW)")
            if max(own.shape) > 7 or 0 in own.shape:
                raise ValueError(f"kernel must be between 1x1 and 7x7; got shape {own.shape}")
            kernels = {"your kernel": own, **kernels}
            kernel = "your kernel"
        name = pick(kernel, kernels, "kernel", default=next(iter(kernels)))
        if image is None:
            from ...data.images import sample_image

            image = sample_image(downsample=downsample)
            what = f"the bundled photo (china.jpg, downsampled {downsample}×)"
        else:
            image = as_array(image, "image", ndim=2, spec="(H, W)")
            if min(image.shape) < 8:
                raise ValueError(f"image must be at least 8x8 pixels; got shape {image.shape}")
            what = "your image"
        self.image, self._kernels, self._what = image, kernels, what
        controls = {
            "kernel": dropdown("kernel", list(kernels), name,
                               tooltip="the filter slid over every position of the photo"),
            "stride": int_slider("stride s", stride, 1, 4, tooltip="step between windows"),
            "same": checkbox("same padding (keep the size)", bool(same),
                             tooltip="pad with p = (k-1)/2 rings of zeros"),
            "magnitude": checkbox("show the magnitude |response|",
                                  tooltip="edges of both signs look alike"),
        }
        fig, (ax_im, ax_k, ax_out) = figure_row([1.5, 0.55, 1.5], figsize=(10.0, 3.6))
        self.im_in = ax_im.imshow(image, cmap="gray")
        style_axes(ax_im, f"input {image.shape[0]}×{image.shape[1]}", "column", "row")
        self.g_k = NumberGrid(ax_k, (7, 7), fontsize=9)
        style_axes(ax_k, "kernel", "b", "a")
        self.im_out = ax_out.imshow(np.zeros((2, 2)), cmap="gray")
        self.cbar = fig.colorbar(self.im_out, ax=ax_out, shrink=0.8)
        style_axes(ax_out, "response", "column", "row")
        self.ax_out = ax_out
        readouts = {"meaning": readout(), "shape": readout()}
        super().__init__(controls, fig, readouts, title="Kernels as detectors")
        self.response = None
        self._limits_cache: dict = {}
        self.update()

    def kernel(self) -> np.ndarray:
        return np.asarray(self._kernels[self.controls["kernel"].value], dtype=np.float64)

    def update(self) -> None:
        c = self.controls
        k = self.kernel()
        s = c["stride"].value
        odd = k.shape[0] % 2 == 1 and k.shape[1] % 2 == 1
        same = c["same"]
        same.disabled = not odd
        same.tooltip = ("pad with p = (k-1)/2 rings of zeros" if odd else
                        f"not available: same padding needs an odd kernel size, and this "
                        f"kernel is {k.shape[0]}×{k.shape[1]}")
        p = (conv.same_padding(k.shape[0]), conv.same_padding(k.shape[1])) if (
            c["same"].value and odd) else 0
        resp = conv.correlate2d(self.image, k, stride=s, pad=p)
        self.response = resp
        total = float(k.sum())
        shown = np.abs(resp) if c["magnitude"].value else resp
        # the colour scale ends at the 99.5th percentile: zero padding next to a bright border
        # makes a few strong, artificial edge responses that would wash out the rest
        # (taken at stride 1, so that the stride does not change the colour scale)
        key = (c["kernel"].value, str(p))
        if key not in self._limits_cache:
            full = resp if s == 1 else conv.correlate2d(self.image, k, stride=1, pad=p)
            self._limits_cache[key] = float(np.percentile(np.abs(full), 99.5)) or 1.0
        lim = self._limits_cache[key]
        if c["magnitude"].value:
            self.im_out.set_cmap(CMAP)
            self.im_out.set_clim(0.0, lim)
            kind = "magnitude of the response"
        elif abs(total) < 1e-9:
            self.im_out.set_cmap(DIVERGING)
            self.im_out.set_clim(-lim, lim)
            kind = "signed response (0 in the middle of the colour scale)"
        else:
            self.im_out.set_cmap("gray")
            self.im_out.set_clim(float(self.image.min()), float(self.image.max()))
            kind = "filtered photo (same grey scale as the input)"
        self.im_out.set_data(shown)
        h, w = shown.shape
        self.im_out.set_extent((-0.5, w - 0.5, h - 0.5, -0.5))
        self.ax_out.set_xlim(-0.5, w - 0.5)
        self.ax_out.set_ylim(h - 0.5, -0.5)
        self.ax_out.set_title(f"response {h}×{w}")
        self.g_k.show(k)
        if abs(total) < 1e-9:
            meaning = ("the weights sum to 0: flat regions give 0, only changes in brightness "
                       "respond, so this is a detector")
        elif abs(total - 1) < 1e-9:
            meaning = "the weights sum to 1: flat regions keep their brightness"
        else:
            meaning = f"the weights sum to {total:g}: flat regions are scaled by {total:g}"
        self.set_readout("meaning", meaning)
        pad_text = f"padding {p if isinstance(p, int) else p[0]}"
        self.set_readout("shape", f"{self.image.shape[0]}×{self.image.shape[1]} input, "
                                  f"{k.shape[0]}×{k.shape[1]} kernel, stride {s}, "
                                  f"{pad_text} → {h}×{w} response")
        self.set_summary(f"Left: {self._what}; right: the {kind} of the "
                         f"'{c['kernel'].value}' kernel, {h}×{w}, values from "
                         f"{resp.min():.2f} to {resp.max():.2f}.")
        # the response is blitted; a new size, colour scale or kernel repaints its panel
        scale = (self.im_out.get_cmap().name, *self.im_out.get_clim())
        if scale != getattr(self, "_scale", None):
            self._scale = scale
            self.touch(self.cbar.ax)
        self.use_dynamic([self.im_out], static_grids=[self.g_k])


def photo_filter(kernel=None, image=None, *, downsample=4, stride=1, same=True) -> PhotoFilter:
    """Kernel choice -> the filtered photo (cross-correlation, ``dlcore.conv.correlate2d``).

    ``kernel``: a preset name (or a word only one preset contains, e.g. ``"sharpen"``), or your
    own (KH, KW) array up to 7x7.  ``image``: your own grey (H, W) image; default the bundled
    photo ``dlcore.data.sample_image(downsample)``.  Detectors (weights summing to 0) are shown
    with a diverging colour scale centred on 0.
    """
    return PhotoFilter(kernel=kernel, image=image, downsample=downsample, stride=stride,
                       same=same)
