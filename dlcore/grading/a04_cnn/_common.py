"""Helpers shared by the checks of assignment A4: its id, delegation targets, comparison.

``_CONV_FORBIDDEN`` lists the convolution references (and the numerical differentiators) a
student's conv2d_forward, conv2d_backward or conv_as_matrix must not call.
"""

from __future__ import annotations

from ... import conv, gradcheck
from ...conv import im2col as im2col_machinery
from ...nn.conv import Conv2d
from .._core import close

AID = "a04_cnn"

_CONV_FORBIDDEN = [
    conv.conv2d_forward, conv.conv2d_backward, conv.conv2d_forward_naive,
    conv.conv2d_backward_naive, conv.correlate2d, conv.convolve2d, conv.correlate1d,
    conv.conv_transpose2d, conv.conv_transpose2d_forward, conv.conv_transpose2d_backward,
    conv.conv_as_matrix, conv.dilate, conv.rot180, im2col_machinery.im2col,
    im2col_machinery.col2im_add,
    Conv2d.forward, Conv2d.backward, gradcheck.numerical_gradient, gradcheck.numerical_vjp,
]


def _close(a, b, rtol: float = 1e-6, atol: float = 1e-8) -> bool:
    return close(a, b, rtol, atol)
