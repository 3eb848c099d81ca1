"""The layers offered by ``gradcheck_panel`` (private): inputs, op pairs and planted bugs.

Shape legend: images x (N, C, H, W), conv weights w (F, C, KH, KW), transposed-conv weights
(C_in, C_out, KH, KW), biases (F,); linear x (N, D), w (M, D), b (M,).

Each ``Layer`` draws small float64 inputs (max-pool inputs are distinct values 0.05 apart and
ReLU inputs stay 0.1 away from the kink, so a small finite-difference step never changes which
branch is taken).  Every layer but tanh is linear in its inputs (piecewise, for pooling and
ReLU), so central differences have no truncation error there: only tanh shows the rise of the
error at large steps, and max pooling shows a jump once a step crosses a tie.  A planted bug
is one of the classic mistakes of a hand-written backward pass: it rewrites the
correct gradients into the wrong ones, so the panel can show the check catching it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ... import activations, conv, layers

__all__ = ["Layer", "LAYERS", "custom_layer"]


@dataclass(frozen=True)
class Layer:
    """forward(*args, **kwargs) -> (out, cache); backward(dout, cache) -> grads of the args
    named in ``names`` (in order); ``make(rng)`` -> the args; ``bug`` = (description,
    fix(grads, dout, cache, args, kwargs) -> wrong grads) or None."""

    forward: Callable
    backward: Callable
    make: Callable
    names: tuple
    kwargs: dict = field(default_factory=dict)
    bug: tuple | None = None


def _normal(*shapes):
    return lambda rng: [rng.standard_normal(s) for s in shapes]


def _distinct(shape):
    def make(rng):
        return [rng.permutation(np.prod(shape)).reshape(shape) * 0.05 - 0.4]
    return make


def _away_from_zero(shape):
    def make(rng):
        x = rng.standard_normal(shape)
        return [np.where(x >= 0, x + 0.1, x - 0.1)]
    return make


def _flip_dw(grads, dout, cache, args, kwargs):
    dx, dw, db = grads
    return dx, conv.rot180(dw), db


def _undilated_dx(grads, dout, cache, args, kwargs):
    # the stride-1 input gradient of an undilated G, placed in the top-left corner
    dx, dw, db = grads
    w = args[1]
    small = conv.conv_transpose2d(dout, w, stride=1)
    wrong = np.zeros_like(dx)
    h, wd = min(small.shape[2], dx.shape[2]), min(small.shape[3], dx.shape[3])
    wrong[:, :, :h, :wd] = small[:, :, :h, :wd]
    return wrong, dw, db


def _db_one_position(grads, dout, cache, args, kwargs):
    dx, dw, _ = grads
    return dx, dw, dout[:, :, 0, 0].sum(axis=0)


def _every_cell(grads, dout, cache, args, kwargs):
    k = kwargs.get("size", 2)
    _, avg_cache = conv.avg_pool2d_forward(args[0], **kwargs)
    return (conv.avg_pool2d_backward(dout, avg_cache) * k * k,)


def _not_divided(grads, dout, cache, args, kwargs):
    k = kwargs.get("size", 2)
    return (grads[0] * k * k,)


def _rotated_transpose_dx(grads, dout, cache, args, kwargs):
    _, dw, db = grads
    stride = kwargs.get("stride", 1)
    return conv.conv2d_forward(dout, conv.rot180(args[1]), stride=stride)[0], dw, db


def _db_first_sample(grads, dout, cache, args, kwargs):
    dx, dw, _ = grads
    return dx, dw, dout[0].copy()


def _no_mask(grads, dout, cache, args, kwargs):
    return (np.array(dout, dtype=np.float64),)


def _tanh_no_square(grads, dout, cache, args, kwargs):
    return (dout * (1 - activations.tanh(args[0])),)


LAYERS = {
    "conv2d, stride 1": Layer(
        conv.conv2d_forward, conv.conv2d_backward, _normal((1, 2, 5, 5), (3, 2, 3, 3), (3,)),
        ("x", "w", "b"), {"stride": 1},
        ("dW by true convolution (the kernel flipped)", _flip_dw)),
    "conv2d, stride 2 (the slides' example)": Layer(
        conv.conv2d_forward, conv.conv2d_backward, _normal((1, 1, 5, 5), (2, 1, 3, 3), (2,)),
        ("x", "w", "b"), {"stride": 2}, ("G not dilated before the full correlation",
                                         _undilated_dx)),
    "conv2d, stride 2, padding 1": Layer(
        conv.conv2d_forward, conv.conv2d_backward, _normal((1, 2, 5, 5), (2, 2, 3, 3), (2,)),
        ("x", "w", "b"), {"stride": 2, "pad": 1},
        ("db taken from one output position instead of the sum", _db_one_position)),
    "max pooling 2×2": Layer(
        conv.max_pool2d_forward, conv.max_pool2d_backward, _distinct((1, 2, 4, 4)), ("x",),
        {"size": 2}, ("gradient sent to every cell of the window", _every_cell)),
    "max pooling 3×3, stride 1 (overlapping)": Layer(
        conv.max_pool2d_forward, conv.max_pool2d_backward, _distinct((1, 1, 5, 5)), ("x",),
        {"size": 3, "stride": 1}, ("gradient sent to every cell of the window", _every_cell)),
    "average pooling 2×2": Layer(
        conv.avg_pool2d_forward, conv.avg_pool2d_backward, _normal((1, 2, 4, 4)), ("x",),
        {"size": 2}, ("average not divided by k²", _not_divided)),
    "transposed conv, k = 2, s = 2 (learned upsampling)": Layer(
        conv.conv_transpose2d_forward, conv.conv_transpose2d_backward,
        _normal((1, 2, 3, 3), (2, 1, 2, 2), (1,)), ("x", "w", "b"), {"stride": 2},
        ("dx by a conv with the rotated kernel", _rotated_transpose_dx)),
    "linear": Layer(
        layers.linear_forward, layers.linear_backward, _normal((4, 5), (3, 5), (3,)),
        ("x", "w", "b"), {}, ("db from the first sample only", _db_first_sample)),
    "ReLU": Layer(
        activations.relu_forward, activations.relu_backward, _away_from_zero((3, 4)), ("x",),
        {}, ("mask forgotten: dx = dout", _no_mask)),
    "tanh (smooth: truncation error shows)": Layer(
        activations.tanh_forward, activations.tanh_backward, _normal((3, 4)), ("x",), {},
        ("derivative 1 - tanh instead of 1 - tanh²", _tanh_no_square)),
}


def custom_layer(spec) -> Layer:
    """A learner's layer ``(forward, backward, args)``: forward(*args) -> (out, cache),
    backward(dout, cache) -> a gradient or a tuple of gradients of the first args."""
    if not (isinstance(spec, tuple) and len(spec) == 3 and callable(spec[0])
            and callable(spec[1])):
        raise TypeError("a custom layer must be a tuple (forward, backward, args) with "
                        "forward(*args) -> (out, cache) and backward(dout, cache) -> grads")
    forward, backward, args = spec
    args = [np.array(a, dtype=np.float64) for a in args]
    if not args:
        raise ValueError("a custom layer needs at least one input array in args")
    names = tuple(("x", "w", "b")[i] if i < 3 else f"arg{i}" for i in range(len(args)))
    return Layer(forward, backward, lambda rng: [a.copy() for a in args], names)
