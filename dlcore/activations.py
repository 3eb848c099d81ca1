"""Activation functions as stateless forward/backward pairs, plus plain one-call versions.

Shape legend: ``x`` is an array of any shape (elementwise ops); ``softmax`` and ``log_softmax``
normalise along ``axis`` (default the last, so logits of shape (N, C) give one distribution per
row).  Every ``<name>_forward(x, ...)`` returns ``(out, cache)`` with ``out`` of the shape of
``x``; ``<name>_backward(dout, cache)`` takes ``dout`` of that shape and returns ``dx``.

Derivatives at the kinks follow PyTorch: ``relu'(0) = 0`` and ``leaky_relu'(0) =
negative_slope`` (the slope of the left piece), so gradients match ``torch.relu`` and
``torch.nn.functional.leaky_relu`` everywhere, including exactly at zero.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._checks import as_array, check_choice, shape_str
from ._checks import check_dout as _dout

__all__ = [
    "sigmoid", "sigmoid_forward", "sigmoid_backward",
    "tanh", "tanh_forward", "tanh_backward",
    "relu", "relu_forward", "relu_backward",
    "leaky_relu", "leaky_relu_forward", "leaky_relu_backward",
    "softmax", "softmax_forward", "softmax_backward",
    "log_softmax", "log_softmax_forward", "log_softmax_backward",
    "ACTIVATION_NAMES", "activation_values",
]


def _axis(axis, ndim: int, where: str) -> int:
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{where}: axis must be an integer; got {axis!r}")
    if ndim == 0:
        raise ValueError(f"{where}: x must have at least 1 dimension to normalise along an "
                         f"axis; got a 0-D array")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{where}: axis must lie in [{-ndim}, {ndim - 1}] for a {ndim}-D "
                         f"array; got {axis}")
    return int(axis) % ndim




def sigmoid(x) -> np.ndarray:
    """Logistic function ``sigma(x) = 1 / (1 + exp(-x))``; x any shape -> same shape."""
    return sigmoid_forward(x)[0]


def sigmoid_forward(x):
    """``out = 1 / (1 + exp(-x))``, computed without overflow; x any shape -> (out, cache).

    For x < 0 the equivalent ``exp(x) / (1 + exp(x))`` is used, so exp only ever sees
    non-positive numbers and ``sigmoid(-1000)`` is 0 without an overflow warning.
    """
    x = as_array(x, "x")
    e = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype, copy=False)
    return out, out


def sigmoid_backward(dout, cache) -> np.ndarray:
    """``dx = dout * sigma(x) * (1 - sigma(x))`` (at most dout / 4); dout shape of x."""
    out = cache
    dout = _dout(dout, out.shape, "sigmoid_backward")
    return dout * out * (1.0 - out)


def tanh(x) -> np.ndarray:
    """Hyperbolic tangent ``tanh(x) = 2 sigma(2x) - 1``; x any shape -> same shape."""
    return tanh_forward(x)[0]


def tanh_forward(x):
    """``out = tanh(x)``; x any shape -> (out, cache)."""
    x = as_array(x, "x")
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, cache) -> np.ndarray:
    """``dx = dout * (1 - tanh(x)^2)``; dout shape of x."""
    out = cache
    dout = _dout(dout, out.shape, "tanh_backward")
    return dout * (1.0 - out * out)




def relu(x) -> np.ndarray:
    """Rectified linear unit ``max(x, 0)``; x any shape -> same shape."""
    return relu_forward(x)[0]


def relu_forward(x):
    """``out = max(x, 0)``; x any shape -> (out, cache)."""
    x = as_array(x, "x")
    positive = x > 0
    return np.where(positive, x, 0).astype(x.dtype, copy=False), positive


def relu_backward(dout, cache) -> np.ndarray:
    """``dx = dout * [x > 0]`` (so relu'(0) = 0, as torch); dout shape of x."""
    positive = cache
    dout = _dout(dout, positive.shape, "relu_backward")
    return np.where(positive, dout, 0).astype(dout.dtype, copy=False)


def _slope(negative_slope, where: str) -> float:
    if isinstance(negative_slope, bool) or not isinstance(negative_slope, numbers.Real):
        raise TypeError(f"{where}: negative_slope must be a real number; got "
                        f"{negative_slope!r}")
    if not np.isfinite(negative_slope):
        raise ValueError(f"{where}: negative_slope must be finite; got {negative_slope}")
    return float(negative_slope)


def leaky_relu(x, negative_slope: float = 0.01) -> np.ndarray:
    """Leaky ReLU ``x if x > 0 else negative_slope * x``; x any shape -> same shape."""
    return leaky_relu_forward(x, negative_slope=negative_slope)[0]


def leaky_relu_forward(x, negative_slope: float = 0.01):
    """``out = x if x > 0 else negative_slope * x``; x any shape -> (out, cache)."""
    slope = _slope(negative_slope, "leaky_relu_forward")
    x = as_array(x, "x")
    positive = x > 0
    out = np.where(positive, x, slope * x).astype(x.dtype, copy=False)
    return out, (positive, slope)


def leaky_relu_backward(dout, cache) -> np.ndarray:
    """``dx = dout if x > 0 else negative_slope * dout`` (slope at 0, as torch)."""
    positive, slope = cache
    dout = _dout(dout, positive.shape, "leaky_relu_backward")
    return np.where(positive, dout, slope * dout).astype(dout.dtype, copy=False)




def _shifted(x, axis: int, where: str):
    x = as_array(x, "x")
    axis = _axis(axis, x.ndim, where)
    if x.shape[axis] == 0:
        raise ValueError(f"{where}: x must have at least one entry along axis {axis}; got "
                         f"shape {shape_str(x.shape)}")
    # Subtracting the max leaves softmax unchanged and keeps exp() <= 1, so logits near
    # 1000 do not overflow.
    return x - np.max(x, axis=axis, keepdims=True), axis


def softmax(x, axis: int = -1) -> np.ndarray:
    """``softmax(x)_j = exp(x_j - max x) / sum_k exp(x_k - max x)`` along ``axis``."""
    return softmax_forward(x, axis=axis)[0]


def softmax_forward(x, axis: int = -1):
    """Stable softmax along ``axis``; x any shape with ndim >= 1 -> (out, cache)."""
    z, axis = _shifted(x, axis, "softmax_forward")
    e = np.exp(z)
    out = e / np.sum(e, axis=axis, keepdims=True)
    return out, (out, axis)


def softmax_backward(dout, cache) -> np.ndarray:
    """``dx = s * (dout - sum(dout * s, axis))`` with ``s = softmax(x)``; dout shape of x."""
    out, axis = cache
    dout = _dout(dout, out.shape, "softmax_backward")
    return out * (dout - np.sum(dout * out, axis=axis, keepdims=True))


def log_softmax(x, axis: int = -1) -> np.ndarray:
    """``log_softmax(x)_j = (x_j - max x) - log sum_k exp(x_k - max x)`` along ``axis``."""
    return log_softmax_forward(x, axis=axis)[0]


def log_softmax_forward(x, axis: int = -1):
    """Stable log-softmax along ``axis``; x any shape with ndim >= 1 -> (out, cache)."""
    z, axis = _shifted(x, axis, "log_softmax_forward")
    out = z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))
    return out, (out, axis)


def log_softmax_backward(dout, cache) -> np.ndarray:
    """``dx = dout - softmax(x) * sum(dout, axis)``; dout shape of x."""
    out, axis = cache
    dout = _dout(dout, out.shape, "log_softmax_backward")
    return dout - np.exp(out) * np.sum(dout, axis=axis, keepdims=True)


# The four activations that ``activation_values`` (and the lecture 7 plots and widgets) know.
ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "leaky_relu")


def activation_values(name: str, z, negative_slope: float = 0.1):
    """``f(z)`` and ``f'(z)`` from the forward/backward pair of this module.

    ``f'`` is ``<name>_backward(ones, cache)``, i.e. the vector-Jacobian product with a vector
    of ones.  ``negative_slope`` is used by "leaky_relu" only (0.1 makes the left piece
    visible in a plot; ``nn.LeakyReLU`` defaults to 0.01).  z any shape -> (f, df) of that shape.
    """
    check_choice(name, "activation", ACTIVATION_NAMES)
    z = as_array(z, "z")
    if name == "leaky_relu":
        out, cache = leaky_relu_forward(z, negative_slope=negative_slope)
        return out, leaky_relu_backward(np.ones_like(out), cache)
    pair = {"sigmoid": (sigmoid_forward, sigmoid_backward), "tanh": (tanh_forward, tanh_backward),
            "relu": (relu_forward, relu_backward)}[name]
    out, cache = pair[0](z)
    return out, pair[1](np.ones_like(out), cache)
