"""Dense, local and shared connections (lecture 11): what weight sharing saves.

Shape legend: an n x n single-channel input (pixels 0..n^2 - 1 row by row), a k x k kernel, an
H_out x W_out output; M is the (H_out W_out, n^2) matrix of ``dlcore.conv.conv_as_matrix``.

``connections`` lists the edges of a one-layer net and the weight each edge uses, for a dense
layer, a locally connected one and a convolution (``CONNECTION_MODES``); ``tie_pattern`` shows
which kernel weight each entry of a convolution's matrix M holds.
"""

from __future__ import annotations

import numpy as np

from ..conv import conv_as_matrix, inputs_feeding, output_size
from .params import conv2d_params, linear_params

__all__ = ["CONNECTION_MODES", "connections", "tie_pattern"]


# The three ways of connecting an n x n input to the next layer, fewest weights last.
CONNECTION_MODES = ("dense", "local", "shared")


def connections(mode: str, input_size: int = 4, kernel_size: int = 2, stride: int = 1):
    """Edges of a one-layer net from an n x n input to its H_out x W_out output, and weights.

    Returns ``(edges, weight_ids, n_weights, out_size)``: ``edges`` lists (input index,
    output index) pairs (0-based, row-major), ``weight_ids`` the weight each edge uses.  Dense
    joins every pixel to every unit (n^2 H_out W_out weights), local keeps only the k x k
    window of each unit (``conv.inputs_feeding``) with its own weights, shared ties those to
    one k x k kernel (``conv2d_params(1, 1, k, bias=False)`` weights).
    """
    if mode not in CONNECTION_MODES:
        raise ValueError(f"mode must be one of {', '.join(CONNECTION_MODES)}; got {mode!r}")
    out = output_size(input_size, kernel_size, stride)
    edges, ids = [], []
    for u in range(out * out):
        if mode == "dense":
            cells = [(r, c) for r in range(input_size) for c in range(input_size)]
        else:
            cells = inputs_feeding(u // out, u % out, kernel_size, stride,
                                         input_shape=(input_size, input_size))
        for pos, (r, c) in enumerate(cells):
            edges.append((r * input_size + c, u))
            ids.append(pos if mode == "shared" else len(ids))
    if mode == "dense":
        n_weights = linear_params(input_size ** 2, out * out, bias=False)
    elif mode == "local":
        n_weights = len(edges)
    else:
        n_weights = conv2d_params(1, 1, kernel_size, bias=False)
    return edges, np.asarray(ids), n_weights, out


def tie_pattern(kernel_shape, input_size: int, stride: int = 1) -> np.ndarray:
    """Which kernel cell each entry of M holds: 1..KH KW (row-major), 0 for a forced zero.

    Obtained as ``conv_as_matrix`` of the kernel whose cells are numbered 1..KH KW, so the
    pattern is exactly the one of the conv layer.
    """
    kh, kw = kernel_shape
    numbered = np.arange(1, kh * kw + 1, dtype=float).reshape(1, 1, kh, kw)
    return conv_as_matrix(numbered, (1, input_size, input_size), stride=stride)
