"""Convolution and pooling, forward and backward: loop references and vectorised versions.

Shape legend: x (N, C, H, W) images, w (F, C, KH, KW) filters (PyTorch's layout), b (F,)
biases, out and dout (N, F, H_out, W_out); single-channel teaching functions take an image
(H, W) and a kernel (KH, KW).  stride, padding and dilation are ints or (h, w) pairs (torch's
keyword names; ``pad=`` and, for pooling, ``size=`` are aliases of ``padding=`` and
``kernel_size=``), and

    H_out = floor((H + 2 padding - dilation (KH - 1) - 1) / stride) + 1.

"Convolution" is cross-correlation everywhere, as in PyTorch: ``out[n,f,i,j] = b[f] +
sum_{c,a,b} xp[n,c,i*s+a*d, j*s+b*d] w[f,c,a,b]`` with xp the zero-padded input; only
``convolve2d`` flips the kernel.

Modules: ``sizes`` (output size, padding, receptive fields), ``single`` (1-D/2-D teaching
functions, named kernels, ``dilate``, ``rot180``), ``conv2d`` (vectorised conv and transposed
conv by im2col), ``naive`` (loop references), ``pool`` (max/avg pooling,
unpooling), ``matrix`` (convolution as a matrix), ``terms`` (which input meets which weight:
``conv_terms``, ``conv_equations``).
"""

from .conv2d import (
    conv2d_backward,
    conv2d_forward,
    conv_transpose2d,
    conv_transpose2d_backward,
    conv_transpose2d_forward,
)
from .matrix import conv_as_matrix
from .naive import (
    avg_pool2d_backward_naive,
    avg_pool2d_forward_naive,
    conv2d_backward_naive,
    conv2d_forward_naive,
    max_pool2d_backward_naive,
    max_pool2d_forward_naive,
)
from .pool import (
    PoolCache,
    avg_pool2d_backward,
    avg_pool2d_forward,
    max_pool2d_backward,
    max_pool2d_forward,
    max_unpool2d,
)
from .single import KERNELS, convolve2d, correlate1d, correlate2d, dilate, rot180
from .sizes import (
    ReceptiveField,
    inputs_feeding,
    output_size,
    receptive_field,
    receptive_fields,
    same_padding,
    tiles_exactly,
)
from .terms import Term, conv_equations, conv_terms

__all__ = [
    # sizes
    "output_size", "tiles_exactly", "same_padding", "receptive_field", "receptive_fields",
    "ReceptiveField", "inputs_feeding",
    # single channel
    "correlate1d", "correlate2d", "convolve2d", "dilate", "rot180", "KERNELS",
    # vectorised
    "conv2d_forward", "conv2d_backward", "conv_transpose2d", "conv_transpose2d_forward",
    "conv_transpose2d_backward",
    # loops
    "conv2d_forward_naive", "conv2d_backward_naive", "max_pool2d_forward_naive",
    "max_pool2d_backward_naive", "avg_pool2d_forward_naive", "avg_pool2d_backward_naive",
    # pooling
    "max_pool2d_forward", "max_pool2d_backward", "max_unpool2d", "avg_pool2d_forward",
    "avg_pool2d_backward", "PoolCache",
    # matrix view
    "conv_as_matrix",
    # the bookkeeping of conv gradients (lecture 12)
    "Term", "conv_terms", "conv_equations",
]
