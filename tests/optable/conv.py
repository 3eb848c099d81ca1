"""Op-table rows for dlcore.conv: conv2d, conv_transpose2d, max and average pooling.

Max-pool inputs are a random permutation of distinct values 0.01 apart, so no window has a
tie and a central-difference step (1e-5) never changes which cell is the maximum.
"""

from __future__ import annotations

import numpy as np

from dlcore import conv
from tests.optable import OpRow


def _torch_conv(x, w, b, stride=1, pad=0, dilation=1):
    import torch.nn.functional as F

    return F.conv2d(x, w, b, stride=stride, padding=pad, dilation=dilation)


def _torch_conv_transpose(x, w, b, stride=1, pad=0, dilation=1, output_padding=0):
    import torch.nn.functional as F

    return F.conv_transpose2d(x, w, b, stride=stride, padding=pad, dilation=dilation,
                              output_padding=output_padding)


def _torch_max_pool(x, size=2, stride=None, pad=0):
    import torch.nn.functional as F

    return F.max_pool2d(x, size, size if stride is None else stride, pad)


def _torch_avg_pool(x, size=2, stride=None, pad=0):
    import torch.nn.functional as F

    return F.avg_pool2d(x, size, size if stride is None else stride, pad)


def _conv_make(x_shape, w_shape, bias=True, bias_axis=0, **hyper):
    def make(rng):
        x = rng.standard_normal(x_shape)
        w = rng.standard_normal(w_shape)
        b = rng.standard_normal(w_shape[bias_axis]) if bias else None
        return [x, w, b], hyper
    return make


def _conv_row(id_, x_shape, w_shape, bias=True, **hyper):
    return OpRow(id=id_, forward=conv.conv2d_forward, backward=conv.conv2d_backward,
                 make=_conv_make(x_shape, w_shape, bias, **hyper), torch_fn=_torch_conv,
                 names=("x", "w", "b"), marks=("lec10", "lec12"))


def _transpose_row(id_, x_shape, w_shape, bias=True, **hyper):
    return OpRow(id=id_, forward=conv.conv_transpose2d_forward,
                 backward=conv.conv_transpose2d_backward,
                 make=_conv_make(x_shape, w_shape, bias, bias_axis=1, **hyper),
                 torch_fn=_torch_conv_transpose, names=("x", "w", "b"), marks=("lec12",))


def _pool_make(x_shape, **hyper):
    def make(rng):
        size = int(np.prod(x_shape))
        x = (rng.permutation(size).reshape(x_shape) - size / 2) * 0.01
        return [x.astype(np.float64)], hyper
    return make


def _pool_row(id_, kind, x_shape, **hyper):
    fwd, bwd, tfn = {
        "max": (conv.max_pool2d_forward, conv.max_pool2d_backward, _torch_max_pool),
        "avg": (conv.avg_pool2d_forward, conv.avg_pool2d_backward, _torch_avg_pool),
    }[kind]
    return OpRow(id=id_, forward=fwd, backward=bwd, make=_pool_make(x_shape, **hyper),
                 torch_fn=tfn, names=("x",), marks=("lec10", "lec12"))


ROWS = [
    _conv_row("conv_basic", (2, 3, 5, 5), (4, 3, 3, 3)),
    _conv_row("conv_no_bias", (2, 3, 5, 5), (4, 3, 3, 3), bias=False),
    _conv_row("conv_pad1", (1, 2, 5, 6), (3, 2, 3, 3), pad=1),
    _conv_row("conv_stride2_pad1", (2, 2, 7, 7), (3, 2, 3, 3), stride=2, pad=1),
    _conv_row("conv_stride2x1_pad1x0", (2, 2, 7, 6), (3, 2, 3, 2), stride=(2, 1), pad=(1, 0)),
    _conv_row("conv_stride3_leftover", (1, 2, 8, 7), (2, 2, 2, 3), stride=3),
    _conv_row("conv_dilation2", (1, 2, 7, 8), (2, 2, 3, 3), dilation=2),
    _conv_row("conv_dilation_stride_pad", (2, 1, 9, 8), (2, 1, 3, 2), stride=(2, 3),
              pad=(1, 2), dilation=(2, 1)),
    _conv_row("conv_batch3_1x1", (3, 4, 3, 5), (2, 4, 1, 1), bias=False),
    _conv_row("conv_odd_sizes", (2, 3, 5, 7), (1, 3, 5, 3), pad=(2, 0)),
    _transpose_row("conv_transpose_basic", (2, 3, 3, 4), (3, 2, 3, 3)),
    _transpose_row("conv_transpose_stride2_outpad1", (1, 2, 3, 3), (2, 3, 3, 2), stride=2,
                   pad=1, output_padding=1),
    _transpose_row("conv_transpose_dilation_no_bias", (2, 2, 3, 2), (2, 2, 2, 3), bias=False,
                   stride=(1, 2), dilation=(2, 1)),
    _pool_row("pool_max_2x2", "max", (2, 3, 4, 6)),
    _pool_row("pool_max_2x2_odd", "max", (1, 2, 5, 7)),
    _pool_row("pool_max_3x3_s1_overlap", "max", (2, 2, 5, 5), size=3, stride=1),
    _pool_row("pool_max_3x3_s2_pad1", "max", (1, 2, 6, 7), size=3, stride=2, pad=1),
    _pool_row("pool_max_rect", "max", (1, 2, 6, 7), size=(2, 3), stride=(1, 2)),
    _pool_row("pool_avg_2x2", "avg", (2, 3, 4, 6)),
    _pool_row("pool_avg_3x3_s2_overlap", "avg", (1, 2, 7, 7), size=3, stride=2),
    _pool_row("pool_avg_pad1", "avg", (1, 2, 5, 6), size=(3, 2), stride=(2, 1), pad=1),
]
