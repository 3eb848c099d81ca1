"""Convolution as a matrix: sparse connectivity and weight sharing made explicit.

Shape legend: one example x (C, H, W), w (F, C, KH, KW), output (F, H_out, W_out).

A convolution is a linear map, so it has a matrix M of shape (F*H_out*W_out, C*H*W) with
``M @ x.ravel() == conv(x).ravel()`` (C order).  Row ``(f, i, j)`` holds the kernel ``w[f]``
at the cells of the receptive field of output (i, j) and zeros elsewhere: a dense layer with
most weights forced to 0 (sparse connectivity) and the rest tied to KH*KW*C*F values
(sharing).  Its transpose is the backward pass: ``M.T @ dout.ravel() == dx.ravel()``.
"""

from __future__ import annotations

import numpy as np

from .._checks import as_array, check_int, shape_str
from .conv2d import W_SPEC
from .sizes import hyper, output_size, torch_keywords

__all__ = ["conv_as_matrix"]


@torch_keywords
def conv_as_matrix(w, input_shape, stride=1, padding=0, dilation=1) -> np.ndarray:
    """Matrix M with ``M[(f,i,j), (c,r,q)] = w[f,c,a,b]`` where ``r = i*sh - ph + a*dh`` and
    ``q = j*sw - pw + b*dw`` (cells in the padding drop out), so that
    ``M @ x.ravel() = conv2d(x, w).ravel()`` for one example.

    w (F, C, KH, KW), input_shape (C, H, W) (or (H, W) when C = 1) ->
    M (F*H_out*W_out, C*H*W), C-order raveling on both sides.
    """
    w = as_array(w, "w", ndim=4, spec=W_SPEC)
    shape = tuple(input_shape)
    if len(shape) == 2:
        shape = (1, *shape)
    if len(shape) != 3:
        raise ValueError(f"input_shape must be (C, H, W) or (H, W); got {input_shape!r}")
    c, h, wd = (check_int(s, "input_shape entry", minimum=1) for s in shape)
    f, cw, kh, kw = w.shape
    if cw != c:
        raise ValueError(f"conv_as_matrix: w has C={cw} input channels but input_shape has "
                         f"C={c}: input_shape (C, H, W) = {shape_str(shape)}, w {W_SPEC} = "
                         f"{shape_str(w.shape)}")
    (sh, sw), (ph, pw), (dh, dw) = hyper(stride, padding, dilation)
    ho = output_size(h, kh, sh, ph, dh, axis="height", where="conv_as_matrix")
    wo = output_size(wd, kw, sw, pw, dw, axis="width", where="conv_as_matrix")

    # every combination (f, i, j, c, a, b) as broadcast index grids
    fi, i, j, ci, a, b = np.ix_(range(f), range(ho), range(wo), range(c), range(kh), range(kw))
    r = i * sh - ph + a * dh
    q = j * sw - pw + b * dw
    inside = (r >= 0) & (r < h) & (q >= 0) & (q < wd)
    row = (fi * ho + i) * wo + j
    col = (ci * h + r) * wd + q
    full = (f, ho, wo, c, kh, kw)
    keep = np.broadcast_to(inside, full)
    m = np.zeros((f * ho * wo, c * h * wd), dtype=w.dtype)
    # (row, col) pairs are distinct: different kernel cells land on different input cells
    m[np.broadcast_to(row, full)[keep], np.broadcast_to(col, full)[keep]] = \
        np.broadcast_to(w[:, None, None], full)[keep]
    return m
