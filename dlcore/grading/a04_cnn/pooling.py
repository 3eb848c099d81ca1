"""Exercise 3 of A4: max and average pooling, forward and backward.

Names the notebook defines (shapes: x (N, C, H, W), out and dout (N, C, H_out, W_out)):
``max_pool_forward(x, size, stride)`` and ``avg_pool_forward(x, size, stride)`` -> out, and
``max_pool_backward(dout, x, size, stride)`` and ``avg_pool_backward(dout, x, size, stride)``
-> dx (N, C, H, W).  The cases plant ties in the windows.  The reference is ``dlcore.conv``.
"""

from __future__ import annotations

import numpy as np

from ... import conv, gradcheck
from ...nn.conv import AvgPool2d, MaxPool2d
from .._core import Exercise, case_rng, expect_function, lookup

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


_POOL_FORBIDDEN = [
    conv.max_pool2d_forward, conv.max_pool2d_backward, conv.avg_pool2d_forward,
    conv.avg_pool2d_backward, conv.max_unpool2d, conv.max_pool2d_forward_naive,
    conv.max_pool2d_backward_naive, conv.avg_pool2d_forward_naive,
    conv.avg_pool2d_backward_naive, MaxPool2d.forward, MaxPool2d.backward, AvgPool2d.forward,
    AvgPool2d.backward, gradcheck.numerical_gradient, gradcheck.numerical_vjp,
]


def _max_fwd_ref(x, size, stride):
    return conv.max_pool2d_forward(x, size, stride)[0]


def _avg_fwd_ref(x, size, stride):
    return conv.avg_pool2d_forward(x, size, stride)[0]


def _max_bwd_ref(dout, x, size, stride):
    return conv.max_pool2d_backward(dout, conv.max_pool2d_forward(x, size, stride)[1])


def _avg_bwd_ref(dout, x, size, stride):
    return conv.avg_pool2d_backward(dout, conv.avg_pool2d_forward(x, size, stride)[1])


def _windows(x, size, stride):
    """(i, j, window view) for every pooling window of x (N, C, H, W)."""
    ho, wo = (x.shape[2] - size) // stride + 1, (x.shape[3] - size) // stride + 1
    for i in range(ho):
        for j in range(wo):
            yield i, j, (slice(i * stride, i * stride + size), slice(j * stride, j * stride + size))


def _max_bwd_all_ties(dout, x, size, stride):
    dx = np.zeros_like(x, dtype=float)
    for i, j, (r, q) in _windows(x, size, stride):
        win = x[:, :, r, q]
        mask = win == win.max(axis=(2, 3), keepdims=True)
        dx[:, :, r, q] += mask * dout[:, :, i, j][:, :, None, None]
    return dx


def _max_bwd_last_tie(dout, x, size, stride):
    dx = np.zeros_like(x, dtype=float)
    for i, j, (r, q) in _windows(x, size, stride):
        win = x[:, :, r, q].reshape(x.shape[0], x.shape[1], -1)
        last = win.shape[2] - 1 - np.argmax(win[:, :, ::-1], axis=2)
        for n in range(x.shape[0]):
            for c in range(x.shape[1]):
                a, b = divmod(int(last[n, c]), size)
                dx[n, c, r.start + a, q.start + b] += dout[n, c, i, j]
    return dx


def _max_bwd_overwrite(dout, x, size, stride):
    dx = np.zeros_like(x, dtype=float)
    for i, j, (r, q) in _windows(x, size, stride):
        win = x[:, :, r, q].reshape(x.shape[0], x.shape[1], -1)
        first = np.argmax(win, axis=2)
        for n in range(x.shape[0]):
            for c in range(x.shape[1]):
                a, b = divmod(int(first[n, c]), size)
                dx[n, c, r.start + a, q.start + b] = dout[n, c, i, j]
    return dx


def _max_bwd_spread(dout, x, size, stride):
    return _avg_bwd_ref(dout, x, size, stride)


_AVG_SUM = ("average pooling divides the window's sum by the number of cells, size * size "
            "(size^2), not by nothing")
_AVG_FWD_WRONG = [
    (lambda x, size, stride: _avg_fwd_ref(x, size, stride) * size * size, _AVG_SUM),
    (lambda x, size, stride: _avg_fwd_ref(x, size, stride) * size,
     "divide the window's sum by size^2 (the number of cells in a size x size window), "
     "not by size"),
]
_AVG_BWD_WRONG = [
    (lambda d, x, size, stride: _avg_bwd_ref(d, x, size, stride) * size * size,
     "each of the size^2 cells of a window receives dout / size^2: the forward pass divides "
     "by size^2, so the gradient is divided too"),
    (lambda d, x, size, stride: _avg_bwd_ref(d, x, size, stride) * size,
     "each cell of a window receives dout / size^2, not dout / size"),
]
_MAX_BWD_WRONG = [
    (_max_bwd_all_ties, "when several cells of a window tie for the maximum, the gradient "
                        "goes to ONE of them (the first in row-major order, as np.argmax), "
                        "not to every tied cell"),
    (_max_bwd_last_tie, "ties: send the gradient to the FIRST maximum in row-major order "
                        "(as np.argmax), not the last"),
    (_max_bwd_overwrite, "when windows overlap, a cell that is the maximum of several "
                         "windows must receive the SUM of their gradients (use +=, not =)"),
    (_max_bwd_spread, "that is the average-pooling gradient: max pooling sends dout only to "
                      "the maximum of each window, 0 to the other cells"),
]


def _plant_ties(x, size, stride, rng):
    """Copy the maximum of about half the windows onto a second cell of the same window."""
    x = x.copy()
    for _, _, (r, q) in _windows(x, size, stride):
        for n in range(x.shape[0]):
            for c in range(x.shape[1]):
                if rng.random() < 0.5:
                    win = x[n, c, r, q]
                    a, b = rng.integers(0, size, size=2)
                    win[a, b] = win.max()
    return x


def pool_cases(hidden: bool):
    """(x, size, stride, dout) cases with ties; overlapping windows and leftover cells."""
    rng = case_rng(4301 if hidden else 4300, hidden)
    specs = ([((1, 2, 4, 6), 2, 2), ((1, 1, 5, 5), 3, 2)] if not hidden else
             [((2, 3, 6, 6), 2, 2), ((1, 2, 5, 7), 2, 1), ((2, 1, 7, 8), 3, 2),
              ((1, 2, 9, 9), 3, 3), ((1, 1, 6, 5), 2, 2)])
    cases = []
    for shape, size, stride in specs:
        x = _plant_ties(rng.normal(size=shape), size, stride, rng)
        ho, wo = (shape[2] - size) // stride + 1, (shape[3] - size) // stride + 1
        cases.append((x, size, stride, rng.normal(size=(shape[0], shape[1], ho, wo))))
    return cases


def _pool_describe(args, kwargs):
    return f"x of shape {args[-3].shape}, size={args[-2]}, stride={args[-1]}"


def _pool_forward(ns, ctx, hidden):
    cases = pool_cases(hidden)
    describe = None if hidden else _pool_describe
    for name, ref, wrong in (("max_pool_forward", _max_fwd_ref, []),
                             ("avg_pool_forward", _avg_fwd_ref, _AVG_FWD_WRONG)):
        expect_function(lookup(ns, name), name, ref,
                        [((x, size, stride), {}) for x, size, stride, _ in cases], wrong,
                        forbidden=_POOL_FORBIDDEN, describe=describe)


def _pool_backward(ns, ctx, hidden):
    cases = pool_cases(hidden)
    describe = None if hidden else _pool_describe
    for name, ref, wrong in (("max_pool_backward", _max_bwd_ref, _MAX_BWD_WRONG),
                             ("avg_pool_backward", _avg_bwd_ref, _AVG_BWD_WRONG)):
        expect_function(lookup(ns, name), name, ref,
                        [((dout, x, size, stride), {}) for x, size, stride, dout in cases],
                        wrong, forbidden=_POOL_FORBIDDEN, describe=describe)


EXERCISES["pooling"] = Exercise(
    "Pooling forward and backward", {"forward": _pool_forward, "backward": _pool_backward})
