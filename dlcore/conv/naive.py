"""Loop references for convolution and pooling: slow, written to be read.

Shape legend: x (N, C, H, W) input, w (F, C, KH, KW) filters, b (F,) biases, out and dout
(N, F, H_out, W_out) (pooling: (N, C, H_out, W_out)).  Each function has the signature of its
vectorised twin in ``conv2d.py`` / ``pool.py`` and is tested against it.  Every loop is one
index of the formula in the docstring, so the code can be compared with the slides line by
line.  The loops run in float64 whatever the input dtype.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .conv2d import conv_operands, upstream
from .pool import pool_setup
from .sizes import hyper, output_size, torch_keywords

__all__ = [
    "conv2d_forward_naive", "conv2d_backward_naive", "max_pool2d_forward_naive",
    "max_pool2d_backward_naive", "avg_pool2d_forward_naive", "avg_pool2d_backward_naive",
]


class _NaiveConvCache(NamedTuple):
    x: np.ndarray
    w: np.ndarray
    b: np.ndarray | None
    stride: tuple
    pad: tuple
    dilation: tuple


@torch_keywords
def conv2d_forward_naive(x, w, b=None, stride=1, padding=0, dilation=1):
    """Loop version of ``Z[n,f,i,j] = b[f] + sum_{c,a,b} X[n,c,i*s+a*d, j*s+b*d] W[f,c,a,b]``,
    X the input zero-padded by ``padding``.

    x (N, C, H, W), w (F, C, KH, KW), b (F,) or None -> (out (N, F, H_out, W_out), cache).
    """
    x, w, b = conv_operands("conv2d_forward_naive", x, w, b)
    (sh, sw), (ph, pw), (dh, dw) = hyper(stride, padding, dilation)
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    H_out = output_size(H, KH, sh, ph, dh, axis="height", where="conv2d_forward_naive")
    W_out = output_size(W, KW, sw, pw, dw, axis="width", where="conv2d_forward_naive")
    X = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    Z = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    total = 0.0 if b is None else b[f]
                    for c in range(C):
                        for a in range(KH):
                            for bb in range(KW):
                                total += X[n, c, i * sh + a * dh, j * sw + bb * dw] * w[f, c, a, bb]
                    Z[n, f, i, j] = total
    return Z, _NaiveConvCache(x, w, b, (sh, sw), (ph, pw), (dh, dw))


def conv2d_backward_naive(dout, cache):
    """Loop version of the conv gradients: every output ``Z[n,f,i,j]`` sends ``G[n,f,i,j]`` back
    to what it touched: ``db[f] += G``, ``dW[f,c,a,b] += X[n,c,i*s+a*d, j*s+b*d] G`` and
    ``dX[n,c,i*s+a*d, j*s+b*d] += W[f,c,a,b] G`` (then the padding is cut off).

    dout (N, F, H_out, W_out) -> (dx (N, C, H, W), dw (F, C, KH, KW), db (F,) or None).
    """
    x, w, b, (sh, sw), (ph, pw), (dh, dw) = cache
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    H_out, W_out = output_size(H, KH, sh, ph, dh), output_size(W, KW, sw, pw, dw)
    G = upstream(dout, (N, F, H_out, W_out), np.float64, "conv2d_backward_naive")
    X = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    dX = np.zeros_like(X, dtype=np.float64)
    dW = np.zeros(w.shape)
    db = np.zeros(F)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    g = G[n, f, i, j]
                    db[f] += g
                    for c in range(C):
                        for a in range(KH):
                            for bb in range(KW):
                                r, q = i * sh + a * dh, j * sw + bb * dw
                                dW[f, c, a, bb] += X[n, c, r, q] * g
                                dX[n, c, r, q] += w[f, c, a, bb] * g
    dx = dX[:, :, ph:ph + H, pw:pw + W]
    return dx, dW, (db if b is not None else None)


class _NaivePoolCache(NamedTuple):
    x: np.ndarray
    size: tuple
    stride: tuple
    pad: tuple


@torch_keywords
def max_pool2d_forward_naive(x, kernel_size=2, stride=None, padding=0):
    """Loop version of ``out[n,c,i,j] = max_{a,b} x[n,c,i*s+a-p, j*s+b-p]`` (padding ignored).

    x (N, C, H, W) -> (out (N, C, H_out, W_out), cache); stride defaults to kernel_size.
    """
    x, (KH, KW), (sh, sw), (ph, pw), (_, _, H_out, W_out) = pool_setup(
        "max_pool2d_forward_naive", x, kernel_size, stride, padding)
    N, C, H, W = x.shape
    out = np.zeros((N, C, H_out, W_out))
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    best = -np.inf
                    for a in range(KH):
                        for b in range(KW):
                            r, q = i * sh + a - ph, j * sw + b - pw
                            if 0 <= r < H and 0 <= q < W and x[n, c, r, q] > best:
                                best = x[n, c, r, q]
                    out[n, c, i, j] = best
    return out, _NaivePoolCache(x, (KH, KW), (sh, sw), (ph, pw))


def max_pool2d_backward_naive(dout, cache):
    """Loop version of max-pool backward: ``dout[n,c,i,j]`` goes to the first maximum of its
    window (row-major), every other cell of the window gets nothing; overlaps add up.

    dout (N, C, H_out, W_out) -> dx (N, C, H, W).
    """
    x, (KH, KW), (sh, sw), (ph, pw) = cache
    N, C, H, W = x.shape
    H_out, W_out = output_size(H, KH, sh, ph), output_size(W, KW, sw, pw)
    G = upstream(dout, (N, C, H_out, W_out), np.float64, "max_pool2d_backward_naive")
    dx = np.zeros((N, C, H, W))
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    best, where = -np.inf, None
                    for a in range(KH):
                        for b in range(KW):
                            r, q = i * sh + a - ph, j * sw + b - pw
                            if 0 <= r < H and 0 <= q < W and x[n, c, r, q] > best:
                                best, where = x[n, c, r, q], (r, q)
                    dx[n, c, where[0], where[1]] += G[n, c, i, j]
    return dx


@torch_keywords
def avg_pool2d_forward_naive(x, kernel_size=2, stride=None, padding=0):
    """Loop version of ``out[n,c,i,j] = (1 / (KH KW)) sum_{a,b} xp[n,c,i*s+a, j*s+b]``,
    xp zero-padded (padding counts in the average, as torch's default).

    x (N, C, H, W) -> (out (N, C, H_out, W_out), cache); stride defaults to kernel_size.
    """
    x, (KH, KW), (sh, sw), (ph, pw), (_, _, H_out, W_out) = pool_setup(
        "avg_pool2d_forward_naive", x, kernel_size, stride, padding)
    N, C = x.shape[:2]
    X = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((N, C, H_out, W_out))
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    total = 0.0
                    for a in range(KH):
                        for b in range(KW):
                            total += X[n, c, i * sh + a, j * sw + b]
                    out[n, c, i, j] = total / (KH * KW)
    return out, _NaivePoolCache(x, (KH, KW), (sh, sw), (ph, pw))


def avg_pool2d_backward_naive(dout, cache):
    """Loop version of avg-pool backward: ``dout[n,c,i,j] / (KH KW)`` to every cell of the
    window; overlaps add up, padding cells are dropped.

    dout (N, C, H_out, W_out) -> dx (N, C, H, W).
    """
    x, (KH, KW), (sh, sw), (ph, pw) = cache
    N, C, H, W = x.shape
    H_out, W_out = output_size(H, KH, sh, ph), output_size(W, KW, sw, pw)
    G = upstream(dout, (N, C, H_out, W_out), np.float64, "avg_pool2d_backward_naive")
    dX = np.zeros((N, C, H + 2 * ph, W + 2 * pw))
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    for a in range(KH):
                        for b in range(KW):
                            dX[n, c, i * sh + a, j * sw + b] += G[n, c, i, j] / (KH * KW)
    return dX[:, :, ph:ph + H, pw:pw + W]
