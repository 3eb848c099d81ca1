"""Transposed convolution: the input-gradient of conv2d, used as a layer (upsampling).

Shape legend: x (N, C_in, H_in, W_in), w (C_in, C_out, KH, KW) in torch's layout (the conv2d
weight of the opposite direction, mapping C_out channels to C_in), b (C_out,), out and dout
(N, C_out, H, W) with ``H = (H_in - 1) sh - 2 ph + dh (KH - 1) + output_padding + 1``.

If M is the matrix of ``conv2d`` by w (see ``conv_as_matrix``), the transposed convolution is
``M^T``: ``conv2d_backward``'s dx is ``conv_transpose2d(dout, w)`` with the conv's own w, and
the backward pass of the transposed convolution is an ordinary convolution.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._checks import as_array, shape_str
from ._common import hyper, images, pair, torch_keywords, upstream
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

__all__ = ["conv_transpose2d", "conv_transpose2d_forward", "conv_transpose2d_backward"]


def _transpose_geometry(where, x, w, stride, pad, dilation, output_padding):
    (sh, sw), (ph, pw), (dh, dw) = stride, pad, dilation
    oph, opw = pair(output_padding, "output_padding", minimum=0)
    if oph >= sh or opw >= sw:
        raise ValueError(f"{where}: output_padding must be smaller than the stride "
                         f"{(sh, sw)}; got {(oph, opw)}")
    n, _, hin, win = x.shape
    cin, cout, kh, kw = w.shape
    h = (hin - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1
    wd = (win - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1
    if h < 1 or wd < 1:
        raise ValueError(f"{where}: the output would be {h}x{wd}: (H_in - 1) s - 2p + d(K - 1) "
                         f"+ output_padding + 1 must be >= 1; reduce pad {(ph, pw)}")
    return geometry(where, (n, cout, h, wd), (cin, cout, kh, kw), stride, pad, dilation)


class _TransposeCache(NamedTuple):
    x: np.ndarray
    w: np.ndarray
    has_bias: bool
    geo: Geometry


@torch_keywords
def conv_transpose2d_forward(x, w, b=None, stride=1, padding=0, dilation=1, output_padding=0):
    """Transposed convolution ``out = M^T x + b``, with M the matrix of ``conv2d`` by ``w``, as
    ``torch.nn.functional.conv_transpose2d``: each input cell stamps ``x[n,c,i,j] w[c]``
    onto the output at (i*sh - ph, j*sw - pw), overlaps adding up.

    x (N, C_in, H_in, W_in), w (C_in, C_out, KH, KW) (torch's layout: the conv2d weight of the
    opposite direction), b (C_out,) or None -> (out, cache), out (N, C_out, H, W) with
    ``H = (H_in - 1) sh - 2 ph + dh (KH - 1) + output_padding + 1``.  ``conv2d_backward``'s
    ``dx`` is ``conv_transpose2d(dout, w, ...)`` with the conv's own ``w``.
    """
    x = images(x)
    w = as_array(w, "w", ndim=4, spec="(C_in, C_out, KH, KW)")
    if w.shape[0] != x.shape[1]:
        raise ValueError(f"conv_transpose2d: w has C_in={w.shape[0]} input channels but x has "
                         f"C_in={x.shape[1]}: x (N, C_in, H, W) = {shape_str(x.shape)}, "
                         f"w (C_in, C_out, KH, KW) = {shape_str(w.shape)}")
    if b is not None:
        b = as_array(b, "b")
        if b.shape != (w.shape[1],):
            raise ValueError(f"conv_transpose2d: b must have shape (C_out,) = ({w.shape[1]},); "
                             f"got {shape_str(b.shape)}")
    stride, padding, dilation = hyper(stride, padding, dilation)
    geo = _transpose_geometry("conv_transpose2d", x, w, stride, padding, dilation,
                              output_padding)
    if (geo.ho, geo.wo) != x.shape[2:]:  # cannot happen when output_padding < stride
        raise AssertionError("conv_transpose2d geometry mismatch")
    dtype = np.result_type(x, w)
    w = w.astype(dtype, copy=False)
    x = x.astype(dtype, copy=False)
    wm = w.reshape(geo.f, -1)
    oflat = np.zeros((geo.c, geo.n * geo.padded[0] * geo.padded[1] + geo.tail), dtype=dtype)
    for n0, n1 in blocks(geo, oflat.itemsize):
        col2im_add(oflat, wm.T @ to_rows(x[n0:n1], geo), geo, n0, n1)
    out = unpad(oflat, geo)
    if b is not None:
        out += b[:, None, None].astype(dtype, copy=False)
    return out, _TransposeCache(x, w, b is not None, geo)


def conv_transpose2d_backward(dout, cache):
    """Gradients of ``conv_transpose2d_forward``: ``dx = conv2d(dout, w)`` (no bias),
    ``dw[f,c,a,b] = sum x[n,f,i,j] doutp[n,c,i*sh+a*dh,j*sw+b*dw]``, ``db = sum dout``.

    dout (N, C_out, H, W) -> (dx (N, C_in, H_in, W_in), dw (C_in, C_out, KH, KW),
    db (C_out,) or None).
    """
    x, w, has_bias, geo = cache
    dout = upstream(dout, (geo.n, geo.c, geo.h, geo.w), x.dtype, "conv_transpose2d_backward")
    flat = flat_padded(dout, geo)
    wm = w.reshape(geo.f, -1)
    dx = np.empty_like(x)
    dwm = np.zeros(wm.shape[::-1], dtype=x.dtype)
    for n0, n1 in blocks(geo, flat.itemsize):
        cols = im2col(flat, geo, n0, n1)
        from_rows(wm @ cols, geo, dx[n0:n1])
        dwm += cols @ to_rows(x[n0:n1], geo).T
    db = dout.sum(axis=(0, 2, 3)) if has_bias else None
    return dx, dwm.T.reshape(w.shape), db


@torch_keywords
def conv_transpose2d(x, w, b=None, stride=1, padding=0, dilation=1, output_padding=0):
    """Output of ``conv_transpose2d_forward`` alone (the gradient of conv2d w.r.t. its input).

    x (N, C_in, H_in, W_in), w (C_in, C_out, KH, KW), b (C_out,) or None -> (N, C_out, H, W).
    """
    return conv_transpose2d_forward(x, w, b, stride, padding, dilation, output_padding)[0]
