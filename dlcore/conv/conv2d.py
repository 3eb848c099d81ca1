"""Vectorised 2-D convolution (cross-correlation, as in PyTorch) by im2col.

Shape legend: x (N, C, H, W) input, w (F, C, KH, KW) filters, b (F,) biases, out and dout
(N, F, H_out, W_out).  stride, padding (alias pad) and dilation are ints or (h, w) pairs.
Arrays keep their dtype (float32 stays float32; mixed inputs use the wider type).

    out[n, f, i, j] = b[f] + sum_{c, a, b} xp[n, c, i*sh + a*dh, j*sw + b*dw] w[f, c, a, b]

with xp the input zero-padded by (ph, pw).  Every receptive field becomes a column of
``cols`` (C*KH*KW, positions), so the forward pass is the matrix product
``w.reshape(F, -1) @ cols`` and the backward pass is two more: ``dw = dout @ cols.T`` and
``dcols = w.reshape(F, -1).T @ dout``, which col2im adds back onto the input cells.
``im2col.py`` explains the memory layout; ``naive.py`` has the same computation as loops.

The transposed convolution (``conv_transpose2d``: conv2d's input-gradient used as a layer) runs
on the same machinery, with the two matrix products swapped.  The operand checks shared by the
conv and pooling functions (``images``, ``conv_operands``, ``upstream``) are here too.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._checks import as_array, shape_str
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
from .sizes import hyper, pair, torch_keywords

__all__ = ["conv2d_forward", "conv2d_backward", "conv_transpose2d", "conv_transpose2d_forward",
           "conv_transpose2d_backward"]

X_SPEC = "(N, C, H, W)"
W_SPEC = "(F, C, KH, KW)"


def images(x, name: str = "x") -> np.ndarray:
    """A finite 4-D float array (N, C, H, W); float32 stays float32."""
    return as_array(x, name, ndim=4, spec=X_SPEC)


def conv_operands(where: str, x, w, b, transposed: bool = False):
    """Check ``x`` (N, C, H, W), ``w`` (F, C, KH, KW) and ``b`` (F,) or None together; with
    ``transposed``, ``w`` is (C_in, C_out, KH, KW) (torch's layout) and ``b`` (C_out,)."""
    x = images(x)
    c, f, w_spec, unit = (("C_in", "C_out", "(C_in, C_out, KH, KW)", "output channel")
                          if transposed else ("C", "F", W_SPEC, "filter"))
    w = as_array(w, "w", ndim=4, spec=w_spec)
    w_in, w_out = (w.shape[0], w.shape[1]) if transposed else (w.shape[1], w.shape[0])
    if w_in != x.shape[1]:
        raise ValueError(
            f"{where}: w has {c}={w_in} input channels but x has {c}={x.shape[1]}: "
            f"x (N, {c}, H, W) = {shape_str(x.shape)}, w {w_spec} = {shape_str(w.shape)}")
    if b is not None:
        b = as_array(b, "b")
        if b.shape != (w_out,):
            raise ValueError(f"{where}: b must have shape ({f},) = ({w_out},), one bias per "
                             f"{unit} of w {shape_str(w.shape)}; got "
                             f"{shape_str(b.shape)}")
    return x, w, b


def upstream(dout, shape, dtype, where: str) -> np.ndarray:
    """``dout`` checked against the forward output shape and cast to the forward dtype."""
    dout = as_array(dout, "dout")
    if dout.shape != tuple(shape):
        raise ValueError(f"{where}: dout must have the shape of the forward output "
                         f"{shape_str(shape)}; got {shape_str(dout.shape)}")
    return dout.astype(dtype, copy=False)


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


# Transposed convolution ------------------------------------------------------------------------
#
# The input-gradient of conv2d used as a layer (upsampling).  Shapes: x (N, C_in, H_in, W_in),
# w (C_in, C_out, KH, KW) in torch's layout (the conv2d weight of the opposite direction,
# mapping C_out channels to C_in), b (C_out,), out and dout (N, C_out, H, W) with
# ``H = (H_in - 1) sh - 2 ph + dh (KH - 1) + output_padding + 1``.  If M is the matrix of
# ``conv2d`` by w (see ``conv_as_matrix``), the transposed convolution is ``M^T``:
# ``conv2d_backward``'s dx is ``conv_transpose2d(dout, w)`` with the conv's own w, and the
# backward pass of the transposed convolution is an ordinary convolution.


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
    x, w, b = conv_operands("conv_transpose2d", x, w, b, transposed=True)
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
