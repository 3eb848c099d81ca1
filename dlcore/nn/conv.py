"""Convolution and pooling modules: stateful wrappers around the pairs of ``dlcore.conv``.

Shapes: N batch, C input channels, F filters (output channels), H x W spatial size,
KH x KW kernel; x (N, C, H, W), out (N, F, H_out, W_out) with
``H_out = floor((H + 2 padding - dilation (KH - 1) - 1) / stride) + 1`` (same for W).

``Conv2d`` holds ``weight`` (F, C, KH, KW) and ``bias`` (F,) under torch's names, so its
``state_dict`` loads into ``torch.nn.Conv2d`` and back; pooling modules have no parameters.
Convolution is cross-correlation, as in torch.  Hyperparameters use torch's names
(``kernel_size``, ``padding``); ints or (h, w) pairs.
"""

from __future__ import annotations

import numbers

import numpy as np

from .. import conv as F
from .._checks import as_array, check_int, shape_str
from .init import torch_default_
from .layers import _OpPair, _remember, _saved
from .module import Module, Parameter

__all__ = ["Conv2d", "MaxPool2d", "AvgPool2d"]


def _pair(value, name: str, minimum: int) -> tuple[int, int]:
    """An int or an (h, w) pair of ints, each ``>= minimum``, as a tuple of two ints."""
    items = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(items) != 2 or any(isinstance(v, bool) or not isinstance(v, numbers.Integral)
                              for v in items):
        raise TypeError(f"{name} must be an int or a pair of ints (h, w); got {value!r}")
    if min(items) < minimum:
        raise ValueError(f"{name} must be >= {minimum} (an int or a pair (h, w)); got {value!r}")
    return int(items[0]), int(items[1])


def _images(module: Module, x, channels: int | None) -> np.ndarray:
    """x as an (N, C, H, W) array, with C = ``channels`` when it is given."""
    name = type(module).__name__
    spec = "(N, C, H, W)" if channels is None else f"(N, {channels}, H, W)"
    x = as_array(x, "x", spec=spec)
    if x.ndim != 4:
        raise ValueError(f"{name}: x must be a 4-D array of images {spec}; got {x.ndim}-D "
                         f"array of shape {shape_str(x.shape)}")
    if channels is not None and x.shape[1] != channels:
        raise ValueError(f"{name}(in_channels={channels}): x must have shape {spec} "
                         f"({channels} channels on axis 1); got shape {shape_str(x.shape)}")
    return x


class Conv2d(Module):
    """2-D convolution ``out[n,f,i,j] = bias[f] + sum_{c,a,b} xp[n,c,i*s+a*d, j*s+b*d]
    weight[f,c,a,b]`` (cross-correlation, xp zero-padded), as ``torch.nn.Conv2d``.

    x (N, C, H, W) -> out (N, F, H_out, W_out); ``weight`` (F, C, KH, KW), ``bias`` (F,).
    Initialised as torch: weight and bias ~ ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))`` with
    ``fan_in = C * KH * KW`` (weight first, from ``rng``).  ``bias=False`` leaves
    ``self.bias = None`` and no ``bias`` entry in ``state_dict``.  No groups and zero padding
    only.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 dilation=1, bias: bool = True, rng=None):
        super().__init__()
        self.in_channels = check_int(in_channels, "in_channels", minimum=1)
        self.out_channels = check_int(out_channels, "out_channels", minimum=1)
        self.kernel_size = _pair(kernel_size, "kernel_size", 1)
        self.stride = _pair(stride, "stride", 1)
        self.padding = _pair(padding, "padding", 0)
        self.dilation = _pair(dilation, "dilation", 1)
        shape = (self.out_channels, self.in_channels, *self.kernel_size)
        self.weight = Parameter(np.zeros(shape), "weight")
        self.bias = Parameter(np.zeros(self.out_channels), "bias") if bias else None
        torch_default_(self.weight.data, None if self.bias is None else self.bias.data, rng)

    def forward(self, x):
        """Convolve x (N, C, H, W) with every filter; -> out (N, F, H_out, W_out)."""
        x = _images(self, x, self.in_channels)
        b = None if self.bias is None else self.bias.data
        out, cache = F.conv2d_forward(x, self.weight.data, b, stride=self.stride,
                                      padding=self.padding, dilation=self.dilation)
        _remember(self, cache)
        return out

    def backward(self, dout):
        """dout (N, F, H_out, W_out) -> dx (N, C, H, W); adds dweight and dbias into ``.grad``.

        ``dweight[f,c,a,b] = sum_{n,i,j} dout[n,f,i,j] xp[n,c,i*s+a*d, j*s+b*d]``,
        ``dbias[f] = sum_{n,i,j} dout[n,f,i,j]``.
        """
        dx, dw, db = F.conv2d_backward(dout, _saved(self))
        self.weight.grad += dw
        if self.bias is not None:
            self.bias.grad += db
        return dx

    def extra_repr(self) -> str:
        parts = [f"{self.in_channels}, {self.out_channels}",
                 f"kernel_size={self.kernel_size}", f"stride={self.stride}"]
        if self.padding != (0, 0):
            parts.append(f"padding={self.padding}")
        if self.dilation != (1, 1):
            parts.append(f"dilation={self.dilation}")
        if self.bias is None:
            parts.append("bias=False")
        return ", ".join(parts)


class _Pool2d(_OpPair):
    """Shared code of the pooling modules; subclasses set the op pair."""

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        self.kernel_size = _pair(kernel_size, "kernel_size", 1)
        self.stride = self.kernel_size if stride is None else _pair(stride, "stride", 1)
        self.padding = _pair(padding, "padding", 0)
        kh, kw = self.kernel_size
        if 2 * self.padding[0] > kh or 2 * self.padding[1] > kw:
            raise ValueError(f"{type(self).__name__}: padding {self.padding} must be at most "
                             f"half of kernel_size {self.kernel_size} (as in torch)")

    def forward(self, x):
        return self._run(_images(self, x, None), self.kernel_size, self.stride, self.padding)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, "
                f"padding={self.padding}")


class MaxPool2d(_Pool2d):
    """Max pooling ``out[n,c,i,j] = max_{a,b} x[n,c,i*s+a-p, j*s+b-p]``, as ``torch.nn.MaxPool2d``.

    x (N, C, H, W) -> out (N, C, H_out, W_out) with ``H_out = floor((H + 2p - KH) / s) + 1``;
    ``stride`` defaults to ``kernel_size``.  Backward routes each ``dout`` entry to the argmax
    of its window (the first maximum in row-major order, as torch).
    """

    _forward = staticmethod(F.max_pool2d_forward)
    _backward = staticmethod(F.max_pool2d_backward)


class AvgPool2d(_Pool2d):
    """Average pooling ``out[n,c,i,j] = mean_{a,b} xp[n,c,i*s+a, j*s+b]`` (torch's AvgPool2d).

    x (N, C, H, W) -> out (N, C, H_out, W_out); zero padding counts in the average (torch's
    ``count_include_pad=True``).  Backward spreads ``dout / (KH KW)`` over each window.
    """

    _forward = staticmethod(F.avg_pool2d_forward)
    _backward = staticmethod(F.avg_pool2d_backward)
