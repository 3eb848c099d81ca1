"""im2col machinery shared by conv2d and conv_transpose2d.

Internal to ``dlcore.conv`` (the package does not export these names; learners call
``conv2d_forward``); it is a module of its own so that the A4 checks can name its functions
among the references a student's convolution must not call.

Shape legend: x (N, C, H, W) input, w (F, C, KH, KW) filters, outputs (N, F, H_out, W_out);
Hp x Wp is the zero-padded input size.

im2col turns every receptive field into a column of ``cols`` (C*KH*KW, positions), so a
convolution is one matrix product ``w.reshape(F, -1) @ cols``; col2im is its adjoint, adding
each column back onto the patch it came from.  Both work on a flat padded buffer with one row
per channel: the N padded samples end to end (Hp*Wp cells each), then a few zeros (``tail``).
The window cells at kernel offset (a, b) are then a single strided view of that buffer
(``as_strided``, no copy): output slot (n, i, j) reads cell
``n*Hp*Wp + (i*sh + a*dh)*Wp + j*sw + b*dw``.

At stride 1 the output slots are laid out on the padded grid (Hp x Wp slots per sample, or
H_out x Wp when the rows between samples would waste more than 10%); the slots outside
H_out x W_out read padding or the next sample and are discarded.  This turns every copy and
every add into one long contiguous run instead of thousands of short rows.  The work is done
in blocks of samples of about 2 MB, so temporaries stay in cache and are reused by the
allocator (a fresh 15 MB array costs more in page zeroing than the copy into it).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .sizes import output_size


class Geometry(NamedTuple):
    """Sizes of one convolution; ``hs`` x ``wr`` output slots per sample, ``tail`` zeros
    after the N padded samples of each channel row."""

    n: int
    c: int
    h: int
    w: int
    f: int
    kh: int
    kw: int
    stride: tuple
    pad: tuple
    dilation: tuple
    ho: int
    wo: int
    hs: int
    wr: int
    tail: int

    @property
    def padded(self):
        return self.h + 2 * self.pad[0], self.w + 2 * self.pad[1]


def geometry(where, x_shape, w_shape, stride, pad, dilation) -> Geometry:
    """Output size and buffer layout of a conv of x_shape by w_shape (hyperparameters as pairs)."""
    n, c, h, w = x_shape
    f, kh, kw = w_shape[0], w_shape[2], w_shape[3]
    (sh, sw), (ph, pw), (dh, dw) = stride, pad, dilation
    ho = output_size(h, kh, sh, ph, dh, axis="height", where=where)
    wo = output_size(w, kw, sw, pw, dw, axis="width", where=where)
    hp, wp = h + 2 * ph, w + 2 * pw
    if (sh, sw) != (1, 1):
        hs, wr = ho, wo
    elif 10 * hp <= 11 * ho:  # the rows between samples waste at most 10% of the slots
        hs, wr = hp, wp
    else:
        hs, wr = ho, wp
    last = ((n - 1) * hp * wp + (kh - 1) * dh * wp + (kw - 1) * dw + (hs - 1) * sh * wp
            + (wr - 1) * sw)
    return Geometry(n, c, h, w, f, kh, kw, stride, pad, dilation, ho, wo, hs, wr,
                    max(0, last + 1 - n * hp * wp))


def flat_padded(x, geo: Geometry) -> np.ndarray:
    """x (N, C, H, W) -> zero-padded flat rows (C, N*Hp*Wp + tail)."""
    hp, wp = geo.padded
    ph, pw = geo.pad
    flat = np.zeros((geo.c, geo.n * hp * wp + geo.tail), dtype=x.dtype)
    grid = flat[:, :geo.n * hp * wp].reshape(geo.c, geo.n, hp, wp)
    grid[:, :, ph:ph + geo.h, pw:pw + geo.w] = x.transpose(1, 0, 2, 3)
    return flat


def unpad(flat, geo: Geometry) -> np.ndarray:
    """Inverse of ``flat_padded``: (C, N*Hp*Wp + tail) -> (N, C, H, W)."""
    hp, wp = geo.padded
    ph, pw = geo.pad
    grid = flat[:, :geo.n * hp * wp].reshape(geo.c, geo.n, hp, wp)
    return np.ascontiguousarray(grid[:, :, ph:ph + geo.h, pw:pw + geo.w].transpose(1, 0, 2, 3))


def blocks(geo: Geometry, itemsize: int):
    """Sample ranges [n0, n1) whose im2col block is about 2 MB (but >= 2048 columns, so
    that the matrix products stay efficient)."""
    per_sample = geo.c * geo.kh * geo.kw * geo.hs * geo.wr * itemsize
    step = max((2 << 20) // per_sample, -(-2048 // (geo.hs * geo.wr)), 1)
    return [(n0, min(n0 + step, geo.n)) for n0 in range(0, geo.n, step)]


def patches(flat, geo: Geometry, n0: int, n1: int, writeable=False):
    """Views of the windows of samples n0..n1-1, (C, KH, KW, n1-n0, hs, wr), no copy."""
    hp, wp = geo.padded
    item = flat.itemsize
    (sh, sw), (dh, dw) = geo.stride, geo.dilation
    return as_strided(flat[:, n0 * hp * wp:],
                      shape=(geo.c, geo.kh, geo.kw, n1 - n0, geo.hs, geo.wr),
                      strides=(flat.strides[0], dh * wp * item, dw * item, hp * wp * item,
                               sh * wp * item, sw * item), writeable=writeable)


def im2col(flat, geo: Geometry, n0: int, n1: int) -> np.ndarray:
    """Samples n0..n1-1 of the padded input -> cols (C*KH*KW, (n1-n0)*hs*wr), one column per
    output slot."""
    cols = np.ascontiguousarray(patches(flat, geo, n0, n1))
    return cols.reshape(geo.c * geo.kh * geo.kw, -1)


def col2im_add(dflat, dcols, geo: Geometry, n0: int, n1: int) -> None:
    """Adjoint of ``im2col``: add every column of dcols back onto its patch of dflat."""
    # one add per kernel offset (the patches of one offset never overlap); np.add.at over all
    # indices would be ~10x slower
    hp, wp = geo.padded
    if (geo.hs, geo.wr) == (hp, wp):  # stride 1, stacked: each offset is a plain slice
        dcols = dcols.reshape(geo.c, geo.kh, geo.kw, -1)
        size = (n1 - n0) * hp * wp
        dh, dw = geo.dilation
        for a in range(geo.kh):
            for b in range(geo.kw):
                start = n0 * hp * wp + a * dh * wp + b * dw
                dflat[:, start:start + size] += dcols[:, a, b]
        return
    views = patches(dflat, geo, n0, n1, writeable=True)
    dcols = dcols.reshape(views.shape)
    for a in range(geo.kh):
        for b in range(geo.kw):
            views[:, a, b] += dcols[:, a, b]


def to_rows(g, geo: Geometry) -> np.ndarray:
    """g (n, K, H_out, W_out) -> (K, n*hs*wr), zero in the discarded slots."""
    n, k = g.shape[:2]
    if (geo.hs, geo.wr) == (geo.ho, geo.wo):
        return np.ascontiguousarray(g.transpose(1, 0, 2, 3)).reshape(k, -1)
    rows = np.zeros((k, n, geo.hs, geo.wr), dtype=g.dtype)
    rows[:, :, :geo.ho, :geo.wo] = g.transpose(1, 0, 2, 3)
    return rows.reshape(k, -1)


def from_rows(rows, geo: Geometry, out, bias=None) -> None:
    """(K, n*hs*wr) -> out (n, K, H_out, W_out), adding ``bias`` (K,) if given."""
    n, k = out.shape[:2]
    view = rows.reshape(k, n, geo.hs, geo.wr)[:, :, :geo.ho, :geo.wo].transpose(1, 0, 2, 3)
    if bias is None:
        out[...] = view
    else:
        np.add(view, bias[:, None, None], out=out)
