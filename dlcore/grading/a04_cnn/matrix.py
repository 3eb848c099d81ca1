"""Exercise 7 of A4: a convolution written as a matrix.

The notebook defines ``conv_as_matrix(w, input_shape, stride=1, pad=0) -> M`` of shape
(F*H_out*W_out, C*H*W) for w (F, C, KH, KW) and input_shape (C, H, W), C-order flattening:
``M @ x.ravel() == conv(x).ravel()`` and ``M.T @ g.ravel() == dx``.
"""

from __future__ import annotations

import numpy as np

from ... import conv
from .._core import Exercise, GradingError, call, case_rng, close, lookup, record_secret
from .convolution import _CONV_FORBIDDEN

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


def _matrix_cases(hidden: bool):
    """(w, input_shape, stride, pad, x, g) cases; g has the shape of one output."""
    rng = case_rng(4701 if hidden else 4700, hidden)
    specs = ([((2, 2, 2, 3), (2, 4, 5), 1, 0), ((1, 1, 3, 3), (1, 5, 5), 2, 1)] if not hidden
             else [((3, 2, 3, 3), (2, 5, 6), 1, 1), ((2, 3, 2, 2), (3, 6, 6), 2, 0),
                   ((1, 2, 3, 2), (2, 7, 5), 2, 1), ((2, 1, 1, 1), (1, 3, 4), 1, 0)])
    cases = []
    for ws, shape, s, p in specs:
        c, h, wd = shape
        ho, wo = (h + 2 * p - ws[2]) // s + 1, (wd + 2 * p - ws[3]) // s + 1
        cases.append((rng.normal(size=ws), shape, s, p, rng.normal(size=shape),
                      rng.normal(size=(ws[0], ho, wo))))
    return cases


def _fortran(m, out_shape, in_shape, rows: bool, cols: bool):
    """``m`` re-indexed as if outputs (rows) and/or inputs (columns) were raveled in F order."""
    out = m
    if cols:
        src = np.arange(int(np.prod(in_shape))).reshape(in_shape)
        dst = np.arange(int(np.prod(in_shape))).reshape(in_shape, order="F")
        out2 = np.zeros_like(out)
        out2[:, dst.ravel()] = out[:, src.ravel()]
        out = out2
    if rows:
        src = np.arange(int(np.prod(out_shape))).reshape(out_shape)
        dst = np.arange(int(np.prod(out_shape))).reshape(out_shape, order="F")
        out2 = np.zeros_like(out)
        out2[dst.ravel()] = out[src.ravel()]
        out = out2
    return out


def _matrix_run(ns, w, shape, s, p):
    f = lookup(ns, "conv_as_matrix")
    m = call(f, "conv_as_matrix", (w.copy(), tuple(shape)), {"stride": s, "pad": p},
             forbidden=_CONV_FORBIDDEN)
    try:
        return np.asarray(m, dtype=float)
    except (TypeError, ValueError):
        raise GradingError("conv_as_matrix must return a numeric 2-D array M") from None


def _matrix_where(hidden, w, shape, s, p):
    return (" on a hidden case" if hidden else
            f" for w {w.shape}, input_shape={tuple(shape)}, stride={s}, pad={p}")


def _matrix_shape(ns, ctx, hidden):
    for w, shape, s, p, _, g in _matrix_cases(hidden):
        m = _matrix_run(ns, w, shape, s, p)
        want = (g.size, int(np.prod(shape)))
        if m.shape == want:
            continue
        where = _matrix_where(hidden, w, shape, s, p)
        if m.shape == want[::-1]:
            raise GradingError(f"conv_as_matrix{where}: M is transposed: one ROW per output "
                               f"(F*H_out*W_out rows), one column per input cell (C*H*W)")
        if hidden:
            raise GradingError("conv_as_matrix returned the wrong shape on a hidden case: M is "
                               "(F*H_out*W_out, C*H*W)")
        raise GradingError(f"conv_as_matrix{where} returned shape {m.shape}; expected shape "
                           f"{want}")


_FORTRAN_HINT = ("M is built for column-major (Fortran-order) flattening; use C order, the "
                 "default of x.ravel() and reshape: input cell (c, r, q) is column "
                 "(c*H + r)*W + q and output (f, i, j) is row (f*H_out + i)*W_out + j")


def _matrix_values(ns, ctx, hidden):
    for w, shape, s, p, x, g in _matrix_cases(hidden):
        m = _matrix_run(ns, w, shape, s, p)
        where = _matrix_where(hidden, w, shape, s, p)
        if m.shape != (g.size, x.size):
            raise GradingError("conv_as_matrix: M has the wrong shape (see the shape test "
                               "above)")
        out, cache = conv.conv2d_forward(x[None], w, None, stride=s, pad=p)
        dx = conv.conv2d_backward(g[None], cache)[0][0]
        ref = conv.conv_as_matrix(w, shape, stride=s, pad=p)
        record_secret((out, dx))
        fwd_ok = close(m @ x.ravel(), out.ravel())
        bwd_ok = close(m.T @ g.ravel(), dx.ravel())
        if fwd_ok and bwd_ok:
            continue
        for rows, cols in ((False, True), (True, False), (True, True)):
            if close(m, _fortran(ref, g.shape, shape, rows, cols)):
                raise GradingError(f"conv_as_matrix{where}: {_FORTRAN_HINT}")
        if close(m, _flip_kernel_matrix(w, shape, s, p)):
            raise GradingError(f"conv_as_matrix{where}: the kernel is flipped (true "
                               f"convolution); the conv layer cross-correlates")
        if not fwd_ok:
            raise GradingError(f"conv_as_matrix{where}: M @ x.ravel() does not equal the "
                               f"convolution output (flattened in C order)")
        raise GradingError(f"conv_as_matrix{where}: M.T @ g.ravel() does not equal dx, the "
                           f"gradient of the convolution with respect to its input")


def _flip_kernel_matrix(w, shape, s, p):
    return conv.conv_as_matrix(w[..., ::-1, ::-1].copy(), shape, stride=s, pad=p)


EXERCISES["conv_matrix"] = Exercise(
    "Convolution as a matrix", {"shape": _matrix_shape, "values": _matrix_values})
