"""Activation modules: stateful wrappers around ``dlcore.activations``; x any shape.

Each ``forward(x)`` keeps the cache of ``<name>_forward``; ``backward(dout)`` returns
``dx = dout * f'(x)`` (same shape as x).  They have no parameters, as their torch namesakes.
"""

from __future__ import annotations

import numbers

import numpy as np

from .. import activations as A
from .layers import _OpPair

__all__ = ["ReLU", "Sigmoid", "Tanh", "LeakyReLU"]


class _Elementwise(_OpPair):
    def forward(self, x):
        return self._run(x)


class ReLU(_Elementwise):
    """``relu(x) = max(x, 0)``; derivative 1 for x > 0, else 0."""

    _forward = staticmethod(A.relu_forward)
    _backward = staticmethod(A.relu_backward)


class Sigmoid(_Elementwise):
    """``sigmoid(x) = 1 / (1 + exp(-x))``; derivative ``s (1 - s)``."""

    _forward = staticmethod(A.sigmoid_forward)
    _backward = staticmethod(A.sigmoid_backward)


class Tanh(_Elementwise):
    """``tanh(x)``; derivative ``1 - tanh(x)^2``."""

    _forward = staticmethod(A.tanh_forward)
    _backward = staticmethod(A.tanh_backward)


class LeakyReLU(_Elementwise):
    """``leaky_relu(x) = x if x > 0 else negative_slope * x``."""

    _forward = staticmethod(A.leaky_relu_forward)
    _backward = staticmethod(A.leaky_relu_backward)

    def __init__(self, negative_slope: float = 0.01):
        super().__init__()
        if isinstance(negative_slope, bool) or not isinstance(negative_slope, numbers.Real):
            raise TypeError(f"negative_slope must be a real number; got {negative_slope!r}")
        if not np.isfinite(negative_slope):
            raise ValueError(f"negative_slope must be finite; got {negative_slope}")
        self.negative_slope = float(negative_slope)

    def forward(self, x):
        return self._run(x, negative_slope=self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"
