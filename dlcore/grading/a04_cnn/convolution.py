"""Exercise 2 of A4: a multi-channel convolution (cross-correlation), forward.

The notebook defines ``conv2d_forward(x, w, b, stride=1, pad=0) -> (out, cache)`` (shapes:
x (N, C, H, W), w (F, C, KH, KW), b (F,), out (N, F, H_out, W_out)), with
``cache = (x, w, b, stride, pad)``.  The reference is ``dlcore.conv``.
"""

from __future__ import annotations

import numpy as np

from ... import conv, gradcheck
from ...conv import im2col as im2col_machinery
from ...nn.conv import Conv2d
from .._core import Exercise, GradingError, call, case_rng, close, lookup, record_secret

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order

# The convolution references (and numerical differentiators) that a student's conv2d_forward,
# conv2d_backward or conv_as_matrix must not call.
_CONV_FORBIDDEN = [
    conv.conv2d_forward, conv.conv2d_backward, conv.conv2d_forward_naive,
    conv.conv2d_backward_naive, conv.correlate2d, conv.convolve2d, conv.correlate1d,
    conv.conv_transpose2d, conv.conv_transpose2d_forward, conv.conv_transpose2d_backward,
    conv.conv_as_matrix, conv.dilate, conv.rot180, im2col_machinery.im2col,
    im2col_machinery.col2im_add,
    Conv2d.forward, Conv2d.backward, gradcheck.numerical_gradient, gradcheck.numerical_vjp,
]


def _conv_ref(x, w, b, stride, pad):
    return conv.conv2d_forward(x, w, b, stride=stride, pad=pad)[0]


def _conv_flipped(x, w, b, stride, pad):
    return _conv_ref(x, w[..., ::-1, ::-1].copy(), b, stride, pad)


def _conv_no_bias(x, w, b, stride, pad):
    return _conv_ref(x, w, None, stride, pad)


def _conv_flipped_no_bias(x, w, b, stride, pad):
    return _conv_ref(x, w[..., ::-1, ::-1].copy(), None, stride, pad)


_TRUE_CONV = ("this is true convolution: the kernel is flipped by 180 degrees. The course (like "
              "PyTorch) computes cross-correlation, out[f, i, j] = b[f] + sum over c, a, b of "
              "x[c, i*s + a, j*s + b] w[f, c, a, b], with no flip")
_CONV_WRONG = [
    (_conv_flipped, _TRUE_CONV),
    (_conv_no_bias, "the bias is missing: add b[f] to every output of filter f"),
    (_conv_flipped_no_bias, _TRUE_CONV + "; the bias b[f] is missing too"),
]


def _conv_cases(hidden: bool):
    """(x, w, b, stride, pad) cases."""
    rng = case_rng(4201 if hidden else 4200, hidden)
    shapes = ([((2, 3, 5, 6), (4, 3, 3, 2), 1, 1), ((1, 2, 7, 7), (3, 2, 3, 3), 2, 0)]
              if not hidden else
              [((2, 3, 8, 7), (5, 3, 3, 3), 1, 0), ((3, 1, 9, 9), (2, 1, 4, 4), 2, 1),
               ((1, 4, 6, 10), (3, 4, 2, 5), 3, 2), ((2, 2, 5, 5), (1, 2, 1, 1), 1, 0),
               ((1, 2, 11, 8), (2, 2, 3, 3), 2, 1)])
    return [(rng.normal(size=xs), rng.normal(size=ws), rng.normal(size=ws[0]), s, p)
            for xs, ws, s, p in shapes]


def _conv_run(ns, x, w, b, stride, pad):
    f = lookup(ns, "conv2d_forward")
    res = call(f, "conv2d_forward", (x.copy(), w.copy(), b.copy()),
               {"stride": stride, "pad": pad}, forbidden=_CONV_FORBIDDEN)
    if not (isinstance(res, (tuple, list)) and len(res) == 2):
        raise GradingError("conv2d_forward must return a pair (out, cache) with "
                           "cache = (x, w, b, stride, pad)")
    try:
        return np.asarray(res[0], dtype=float)
    except (TypeError, ValueError):
        raise GradingError("conv2d_forward: out must be a numeric array") from None


def _conv_where(hidden, x, w, stride, pad):
    return (" on a hidden case" if hidden else
            f" for x {x.shape}, w {w.shape}, stride={stride}, pad={pad}")


def _conv_shape(ns, ctx, hidden):
    for x, w, b, s, p in _conv_cases(hidden):
        out = _conv_run(ns, x, w, b, s, p)
        (n, _, h, wd), (f, _, kh, kw) = x.shape, w.shape
        want = (n, f, (h + 2 * p - kh) // s + 1, (wd + 2 * p - kw) // s + 1)
        if out.shape == want:
            continue
        where = _conv_where(hidden, x, w, s, p)
        if out.shape == (n, f, (h - kh) // s + 1, (wd - kw) // s + 1) and p:
            raise GradingError(f"conv2d_forward{where}: the padding is ignored (pad zeros "
                               f"around x first)")
        if out.shape == (n, f, h + 2 * p - kh + 1, wd + 2 * p - kw + 1) and s > 1:
            raise GradingError(f"conv2d_forward{where}: the stride is ignored (window (i, j) "
                               f"starts at row i*stride, column j*stride)")
        if len(out.shape) == 4 and out.shape[1] == x.shape[1] != f:
            raise GradingError(f"conv2d_forward{where}: out needs one channel per filter "
                               f"(F = w.shape[0]); each filter sums over all input channels")
        if hidden:
            raise GradingError("conv2d_forward returned the wrong shape on a hidden case: out "
                               "is (N, F, H_out, W_out) with H_out = floor((H + 2 pad - KH) / "
                               "stride) + 1")
        raise GradingError(f"conv2d_forward{where} returned shape {out.shape}; expected shape "
                           f"{want}")


def _conv_values(ns, ctx, hidden):
    for x, w, b, s, p in _conv_cases(hidden):
        out = _conv_run(ns, x, w, b, s, p)
        want = _conv_ref(x, w, b, s, p)
        record_secret(want)
        if out.shape != want.shape:
            raise GradingError("conv2d_forward: out has the wrong shape (see the shape test "
                               "above)")
        if close(out, want):
            continue
        where = _conv_where(hidden, x, w, s, p)
        for fn, hint in _CONV_WRONG:
            if close(out, fn(x, w, b, s, p)):
                raise GradingError(f"conv2d_forward{where}: {hint}")
        raise GradingError(f"conv2d_forward{where} does not return the expected values: "
                           f"out[n, f, i, j] = b[f] + sum over c, a, b of "
                           f"xpad[n, c, i*s + a, j*s + b] w[f, c, a, b]")


EXERCISES["conv_forward"] = Exercise(
    "Multi-channel convolution", {"shape": _conv_shape, "values": _conv_values})
