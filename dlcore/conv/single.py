"""Single-channel teaching functions: 1-D and 2-D cross-correlation, true convolution, named
kernels, and the two array manipulations of conv backprop (``dilate``, ``rot180``).

Shape legend: signal (T,) and kernel (K,) in 1-D; image (H, W) and kernel (KH, KW) in 2-D;
g (..., H, W) and w (..., KH, KW) for ``dilate``/``rot180`` (only the last two axes move).

What deep learning calls convolution is cross-correlation, ``S[i,j] = sum_{a,b} I[i+a, j+b]
K[a,b]``: the kernel is not flipped, as in PyTorch and in every numeric example of the slides.
True convolution flips it, ``(I * K)[i,j] = sum_{a,b} I[i+a, j+b] K[KH-1-a, KW-1-b]`` (valid
part, i.e. cross-correlation with ``rot180(K)``); it appears only in ``convolve2d``.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .._checks import as_array
from .conv2d import conv2d_forward
from .sizes import pair, torch_keywords

__all__ = ["correlate1d", "correlate2d", "convolve2d", "dilate", "rot180", "KERNELS"]


def correlate1d(signal, kernel) -> np.ndarray:
    """Valid 1-D cross-correlation ``out[i] = sum_k signal[i + k] kernel[k]``, i = 0..T-K.

    signal (T,), kernel (K,) -> out (T - K + 1,).  The slides' smoother writes
    ``s_t = sum_{a=0}^{K-1} x_{t-a} w_{-a}`` with weights listed as ``w_{-(K-1)}, ..., w_0``;
    with ``kernel`` in that printed order, ``out[i]`` is the slides' ``s_{i+K-1}``: the first
    output is ``s_6`` for a 7-tap kernel, which puts ``w_0`` on the newest sample ``x_t``.
    """
    signal = as_array(signal, "signal", ndim=1, spec="(T,)")
    kernel = as_array(kernel, "kernel", ndim=1, spec="(K,)")
    if kernel.size > signal.size or kernel.size == 0:
        raise ValueError(f"correlate1d: the kernel length {kernel.size} must be between 1 and "
                         f"the signal length {signal.size}")
    return sliding_window_view(signal, kernel.size) @ kernel


def _single(where, image, kernel):
    image = as_array(image, "image", ndim=2, spec="(H, W)")
    kernel = as_array(kernel, "kernel", ndim=2, spec="(KH, KW)")
    if 0 in image.shape or 0 in kernel.shape:
        raise ValueError(f"{where}: image and kernel must not be empty; got {image.shape} and "
                         f"{kernel.shape}")
    return image, kernel


@torch_keywords
def correlate2d(image, kernel, stride=1, padding=0, dilation=1) -> np.ndarray:
    """Cross-correlation ``S[i,j] = sum_{a,b} I[i*sh + a*dh, j*sw + b*dw] K[a,b]`` of the
    zero-padded image (the conv layer's operation on one channel, no bias).

    image (H, W), kernel (KH, KW) -> (H_out, W_out), ``H_out = floor((H + 2p - d(KH-1) - 1)
    / s) + 1``.  stride, padding (alias pad), dilation: ints or (h, w) pairs.
    """
    image, kernel = _single("correlate2d", image, kernel)
    out, _ = conv2d_forward(image[None, None], kernel[None, None], None, stride, padding,
                            dilation)
    return out[0, 0]


@torch_keywords
def convolve2d(image, kernel, stride=1, padding=0, dilation=1) -> np.ndarray:
    """True convolution: ``correlate2d(image, rot180(kernel))``, i.e. ``S[i,j] = sum_{a,b}
    I[i*s + a*d, j*s + b*d] K[KH-1-a, KW-1-b]`` (valid part, like scipy.signal.convolve2d's
    'valid' mode at stride 1).

    image (H, W), kernel (KH, KW) -> (H_out, W_out), sizes as in ``correlate2d``.
    """
    image, kernel = _single("convolve2d", image, kernel)
    return correlate2d(image, rot180(kernel), stride, padding, dilation)


def rot180(w) -> np.ndarray:
    """Kernel rotated by 180 degrees: ``out[..., a, b] = w[..., KH-1-a, KW-1-b]`` (a copy).

    w (..., KH, KW) with at least 2 axes -> same shape.
    """
    w = as_array(w, "w")
    if w.ndim < 2:
        raise ValueError(f"rot180 needs an array with at least 2 axes (..., KH, KW); got "
                         f"shape {w.shape}")
    return np.flip(w, axis=(-2, -1)).copy()


def dilate(g, stride) -> np.ndarray:
    """Insert ``stride - 1`` zeros between neighbouring entries of the last two axes:
    ``out[..., i*sh, j*sw] = g[..., i, j]``, zero elsewhere.

    g (..., H, W) -> (..., (H-1) sh + 1, (W-1) sw + 1); stride an int or (h, w) pair >= 1.
    The stride-s conv backward is the stride-1 backward applied to ``dilate(dout, s)``.
    """
    g = as_array(g, "g")
    if g.ndim < 2:
        raise ValueError(f"dilate needs an array with at least 2 axes (..., H, W); got shape "
                         f"{g.shape}")
    sh, sw = pair(stride, "stride", minimum=1)
    h, w = g.shape[-2:]
    out = np.zeros((*g.shape[:-2], (h - 1) * sh + 1 if h else 0, (w - 1) * sw + 1 if w else 0),
                   dtype=g.dtype)
    out[..., ::sh, ::sw] = g
    return out


def _kernel(rows, scale=1.0) -> np.ndarray:
    k = np.array(rows, dtype=np.float64) * scale
    k.flags.writeable = False
    return k


#: Named 3x3 kernels for teaching, read-only float64 arrays used with ``correlate2d``
#: (cross-correlation, so e.g. ``sobel_x`` is positive where brightness increases to the
#: right).  ``edge_vertical`` is the slides' vertical-edge detector and ``sharpen`` their
#: sharpening kernel (Arya's slides); ``edge_horizontal`` is its transpose.
KERNELS: dict[str, np.ndarray] = {
    "identity": _kernel([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    "edge_vertical": _kernel([[1, 0, -1], [1, 0, -1], [1, 0, -1]]),
    "edge_horizontal": _kernel([[1, 1, 1], [0, 0, 0], [-1, -1, -1]]),
    "laplacian": _kernel([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    "outline": _kernel([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
    "sobel_x": _kernel([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "sobel_y": _kernel([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
    "box_blur": _kernel(np.ones((3, 3)), 1 / 9),
    "gaussian_blur": _kernel([[1, 2, 1], [2, 4, 2], [1, 2, 1]], 1 / 16),
    "sharpen": _kernel([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
}
