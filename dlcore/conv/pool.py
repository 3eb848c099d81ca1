"""Max and average pooling, forward and backward, and max unpooling (vectorised).

Shape legend: x (N, C, H, W) input, out and dout (N, C, H_out, W_out) with
``H_out = floor((H + 2 ph - KH) / sh) + 1`` (same for W).  ``kernel_size`` (KH, KW),
``stride`` (defaults to ``kernel_size``) and ``padding`` are ints or (h, w) pairs, as in
``torch.nn.MaxPool2d`` and ``AvgPool2d`` (padding at most half the window; no ceil mode;
``size=`` and ``pad=`` are aliases).  Pooling has no parameters, but the gradient flows
through it: max pooling routes ``dout`` to the argmax of each window, average pooling spreads
it evenly.  Both loop over the KH*KW offsets of the window (a few array-wide
operations) instead of over the output cells; ``naive.py`` has the cell-by-cell loops.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from .conv2d import images, upstream
from .sizes import output_size, pair, torch_keywords

__all__ = [
    "max_pool2d_forward", "max_pool2d_backward", "max_unpool2d", "avg_pool2d_forward",
    "avg_pool2d_backward", "PoolCache",
]


@dataclass(frozen=True)
class PoolCache:
    """What pooling keeps for its backward pass.

    ``input_shape`` (N, C, H, W); ``size``, ``stride``, ``pad`` as (h, w) pairs; ``output_shape``
    (N, C, H_out, W_out); for max pooling ``offset`` (N, C, H_out, W_out), the row-major index
    ``a * KW + b`` of each window's maximum inside the window (None for average pooling).
    """

    input_shape: tuple
    size: tuple
    stride: tuple
    pad: tuple
    output_shape: tuple
    dtype: np.dtype
    offset: np.ndarray | None = None

    @property
    def indices(self) -> np.ndarray:
        """Flat index ``row * W + col`` of each maximum in its (unpadded) input plane, as
        ``torch.nn.functional.max_pool2d(..., return_indices=True)``; (N, C, H_out, W_out)."""
        if self.offset is None:
            raise ValueError("indices exist only for max pooling; this cache is from "
                             "avg_pool2d_forward")
        kw, (sh, sw), (ph, pw) = self.size[1], self.stride, self.pad
        ho, wo = self.output_shape[2:]
        rows = np.arange(ho)[:, None] * sh - ph + self.offset // kw
        cols = np.arange(wo)[None, :] * sw - pw + self.offset % kw
        return (rows * self.input_shape[3] + cols).astype(np.int64)


def pool_setup(where, x, kernel_size, stride, padding):
    """Check a pooling call: -> x, kernel_size, stride, padding (pairs), out shape
    (N, C, H_out, W_out)."""
    x = images(x)
    kh, kw = pair(kernel_size, "kernel_size", minimum=1)
    sh, sw = pair(kernel_size if stride is None else stride, "stride", minimum=1)
    ph, pw = pair(padding, "padding", minimum=0)
    if 2 * ph > kh or 2 * pw > kw:
        raise ValueError(f"{where}: padding {(ph, pw)} must be at most half the window size "
                         f"{(kh, kw)} (as in torch)")
    ho = output_size(x.shape[2], kh, sh, ph, axis="height", where=where)
    wo = output_size(x.shape[3], kw, sw, pw, axis="width", where=where)
    return x, (kh, kw), (sh, sw), (ph, pw), (*x.shape[:2], ho, wo)


def _padded(x, pad, fill):
    ph, pw = pad
    if ph == pw == 0:
        return x
    n, c, h, w = x.shape
    xp = np.full((n, c, h + 2 * ph, w + 2 * pw), fill, dtype=x.dtype)
    xp[:, :, ph:ph + h, pw:pw + w] = x
    return xp


def _window(arr, a, b, stride, out_hw):
    """The cells at offset (a, b) of every window: arr[..., i*sh + a, j*sw + b] for all i, j."""
    (sh, sw), (ho, wo) = stride, out_hw
    return arr[:, :, a:a + sh * (ho - 1) + 1:sh, b:b + sw * (wo - 1) + 1:sw]


def _unpad(dxp, cache: PoolCache):
    ph, pw = cache.pad
    h, w = cache.input_shape[2:]
    if ph == pw == 0:
        return dxp
    return np.ascontiguousarray(dxp[:, :, ph:ph + h, pw:pw + w])


@torch_keywords
def max_pool2d_forward(x, kernel_size=2, stride=None, padding=0):
    """Max pooling ``out[n,c,i,j] = max_{a,b} x[n,c,i*sh+a-ph, j*sw+b-pw]`` (padding = -inf).

    x (N, C, H, W) -> (out (N, C, H_out, W_out), cache: PoolCache).  The argmax of each window
    is the first maximum in row-major order, as in torch, so ties send the gradient to one cell.
    """
    x, size, stride, pad, out_shape = pool_setup("max_pool2d_forward", x, kernel_size, stride,
                                                 padding)
    xp = _padded(x, pad, -np.inf)
    kh, kw = size
    out = _window(xp, 0, 0, stride, out_shape[2:]).copy()
    offset = np.zeros(out_shape, dtype=np.min_scalar_type(kh * kw - 1))
    for k, (a, b) in enumerate(product(range(kh), range(kw))):
        if k == 0:
            continue
        cand = _window(xp, a, b, stride, out_shape[2:])
        # strictly greater: an equal value later in the window does not take over.  (np.where
        # and np.maximum are several times faster than masked assignment here.)
        offset = np.where(cand > out, offset.dtype.type(k), offset)
        np.maximum(out, cand, out=out)
    return out, PoolCache(x.shape, size, stride, pad, out_shape, x.dtype, offset)


def max_pool2d_backward(dout, cache: PoolCache):
    """Route each ``dout[n,c,i,j]`` to the argmax of its window; other cells get 0, and a cell
    that is the maximum of several (overlapping) windows receives the sum.

    dout (N, C, H_out, W_out) -> dx (N, C, H, W).
    """
    if cache.offset is None:
        raise ValueError("max_pool2d_backward needs the cache of max_pool2d_forward, got one "
                         "from avg_pool2d_forward")
    dout = upstream(dout, cache.output_shape, cache.dtype, "max_pool2d_backward")
    (kh, kw), (ph, pw) = cache.size, cache.pad
    n, c, h, w = cache.input_shape
    dxp = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=dout.dtype)
    zero = np.zeros((), dtype=dout.dtype)
    for k, (a, b) in enumerate(product(range(kh), range(kw))):
        _window(dxp, a, b, cache.stride, cache.output_shape[2:])[...] += np.where(
            cache.offset == k, dout, zero)
    return _unpad(dxp, cache)


def max_unpool2d(x, cache: PoolCache):
    """Max unpooling: put each pooled value back where its maximum came from, zeros elsewhere.

    The routing of ``max_pool2d_backward`` used as a layer (values of overlapping windows that
    share a maximum add up); for non-overlapping windows it equals
    ``torch.nn.functional.max_unpool2d(x, cache.indices, size, stride, pad)``.
    x (N, C, H_out, W_out) -> (N, C, H, W) of the pooled input's shape.
    """
    return max_pool2d_backward(x, cache)


@torch_keywords
def avg_pool2d_forward(x, kernel_size=2, stride=None, padding=0):
    """Average pooling ``out[n,c,i,j] = (1 / (KH KW)) sum_{a,b} xp[n,c,i*sh+a, j*sw+b]``.

    xp is x zero-padded; padding cells count in the average (torch's count_include_pad=True).
    x (N, C, H, W) -> (out (N, C, H_out, W_out), cache: PoolCache).
    """
    x, size, stride, pad, out_shape = pool_setup("avg_pool2d_forward", x, kernel_size, stride,
                                                 padding)
    xp = _padded(x, pad, 0.0)
    kh, kw = size
    out = np.zeros(out_shape, dtype=x.dtype)
    for a, b in product(range(kh), range(kw)):
        out += _window(xp, a, b, stride, out_shape[2:])
    out /= kh * kw
    return out, PoolCache(x.shape, size, stride, pad, out_shape, x.dtype)


def avg_pool2d_backward(dout, cache: PoolCache):
    """Spread each ``dout[n,c,i,j] / (KH KW)`` over its window; overlaps add up.

    dout (N, C, H_out, W_out) -> dx (N, C, H, W).
    """
    dout = upstream(dout, cache.output_shape, cache.dtype, "avg_pool2d_backward")
    (kh, kw), (ph, pw) = cache.size, cache.pad
    n, c, h, w = cache.input_shape
    share = dout / (kh * kw)
    dxp = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=dout.dtype)
    for a, b in product(range(kh), range(kw)):
        _window(dxp, a, b, cache.stride, cache.output_shape[2:])[...] += share
    return _unpad(dxp, cache)
