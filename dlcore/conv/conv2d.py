"""Vectorised 2-D convolution (cross-correlation, as in PyTorch) by im2col.

Shape legend: x (N, C, H, W) input, w (F, C, KH, KW) filters, b (F,) biases, out and dout
(N, F, H_out, W_out).  stride, padding (alias pad) and dilation are ints or (h, w) pairs.  Arrays keep their
dtype (float32 stays float32; mixed inputs use the wider type).

    out[n, f, i, j] = b[f] + sum_{c, a, b} xp[n, c, i*sh + a*dh, j*sw + b*dw] w[f, c, a, b]

with xp the input zero-padded by (ph, pw).  Every receptive field becomes a column of
``cols`` (C*KH*KW, positions), so the forward pass is the matrix product
``w.reshape(F, -1) @ cols`` and the backward pass is two more: ``dw = dout @ cols.T`` and
``dcols = w.reshape(F, -1).T @ dout``, which col2im adds back onto the input cells.
``im2col.py`` explains the memory layout; ``naive.py`` has the same computation as loops.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._common import conv_operands, hyper, torch_keywords, upstream
from .im2col import (
    Geometry,
    blocks,
    col2im_add,
    flat_padded,
    from_rows,
    geometry,
    im2col,
    to_rows,
    unpad,
)

__all__ = ["conv2d_forward", "conv2d_backward"]


class _ConvCache(NamedTuple):
    flat: np.ndarray
    w: np.ndarray
    has_bias: bool
    geo: Geometry


@torch_keywords
def conv2d_forward(x, w, b=None, stride=1, padding=0, dilation=1):
    """Cross-correlation ``out[n,f,i,j] = b[f] + sum_{c,a,b} xp[n,c,i*sh+a*dh,j*sw+b*dw]
    w[f,c,a,b]``, as ``torch.nn.functional.conv2d``.

    x (N, C, H, W), w (F, C, KH, KW), b (F,) or None -> (out, cache) with out
    (N, F, H_out, W_out), ``H_out = floor((H + 2 ph - dh (KH-1) - 1) / sh) + 1`` (same for W).
    ``pad=`` is an alias of ``padding=``.
    """
    x, w, b = conv_operands("conv2d_forward", x, w, b)
    stride, padding, dilation = hyper(stride, padding, dilation)
    geo = geometry("conv2d_forward", x.shape, w.shape, stride, padding, dilation)
    dtype = np.result_type(x, w)
    w = w.astype(dtype, copy=False)
    b = None if b is None else b.astype(dtype, copy=False)
    flat = flat_padded(x.astype(dtype, copy=False), geo)
    wm = w.reshape(geo.f, -1)
    out = np.empty((geo.n, geo.f, geo.ho, geo.wo), dtype=dtype)
    for n0, n1 in blocks(geo, flat.itemsize):
        from_rows(wm @ im2col(flat, geo, n0, n1), geo, out[n0:n1], b)
    return out, _ConvCache(flat, w, b is not None, geo)


def conv2d_backward(dout, cache):
    """Gradients of ``conv2d_forward``: ``dw[f,c,a,b] = sum_{n,i,j} dout[n,f,i,j]
    xp[n,c,i*sh+a*dh,j*sw+b*dw]``, ``db[f] = sum_{n,i,j} dout[n,f,i,j]``, and ``dx`` the full
    cross-correlation of the dilated ``dout`` with the rotated kernels (computed by col2im).

    dout (N, F, H_out, W_out) -> (dx (N, C, H, W), dw (F, C, KH, KW), db (F,) or None).
    """
    flat, w, has_bias, geo = cache
    dout = upstream(dout, (geo.n, geo.f, geo.ho, geo.wo), flat.dtype, "conv2d_backward")
    wm = w.reshape(geo.f, -1)
    dwm = np.zeros(wm.shape[::-1], dtype=flat.dtype)
    dflat = np.zeros_like(flat)
    # im2col is recomputed rather than cached: cheaper than keeping (and first touching) a
    # C*KH*KW times larger copy of the input
    for n0, n1 in blocks(geo, flat.itemsize):
        cols = im2col(flat, geo, n0, n1)
        rows = to_rows(dout[n0:n1], geo)
        dwm += cols @ rows.T
        col2im_add(dflat, wm.T @ rows, geo, n0, n1)
    db = dout.sum(axis=(0, 2, 3)) if has_bias else None
    return unpad(dflat, geo), dwm.T.reshape(w.shape), db
