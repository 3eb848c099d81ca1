"""Exercise 6 of A4: the convolution's backward pass, at stride 1 and 2.

The notebook defines ``conv2d_backward(dout, cache) -> (dx, dw, db)`` (shapes: dout
(N, F, H_out, W_out), dx (N, C, H, W), dw (F, C, KH, KW), db (F,)); the grader builds
``cache = (x, w, b, stride, pad)`` itself, so the backward pass is graded on its own.  The
reference is ``dlcore.conv``.
"""

from __future__ import annotations

import numpy as np

from ... import conv
from .._core import Exercise, GradingError, call, case_rng, close, lookup, record_secret
from .convolution import _CONV_FORBIDDEN

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


def _bwd_ref(dout, x, w, b, stride, pad):
    return conv.conv2d_backward(dout, conv.conv2d_forward(x, w, b, stride=stride, pad=pad)[1])


def _stamp(dout, w, shape, step):
    """dxp[n, c, i*step + a, j*step + b] += w[f, c, a, b] dout[n, f, i, j] into ``shape``."""
    n, f, ho, wo = dout.shape
    _, c, kh, kw = w.shape
    rows, cols = (ho - 1) * step + kh, (wo - 1) * step + kw
    dxp = np.zeros((n, c, max(rows, shape[2]), max(cols, shape[3])))
    for a in range(kh):
        for b in range(kw):
            dxp[:, :, a:a + step * (ho - 1) + 1:step, b:b + step * (wo - 1) + 1:step] += \
                np.einsum("nfij,fc->ncij", dout, w[:, :, a, b])
    return dxp[:, :, :shape[2], :shape[3]]


def _dx_undilated(dout, x, w, b, stride, pad):
    """dX as if the stride were 1: G is not dilated (then fitted into x's padded shape)."""
    hp, wp = x.shape[2] + 2 * pad, x.shape[3] + 2 * pad
    dxp = _stamp(dout, w, (x.shape[0], x.shape[1], hp, wp), 1)
    return dxp[:, :, pad:pad + x.shape[2], pad:pad + x.shape[3]]


def _dx_unrotated(dout, x, w, b, stride, pad):
    return _bwd_ref(dout, x, w[..., ::-1, ::-1].copy(), b, stride, pad)[0]


def _dw_flipped_g(dout, x, w, b, stride, pad):
    return _bwd_ref(dout[..., ::-1, ::-1].copy(), x, w, b, stride, pad)[1]


def _dw_rot180(dout, x, w, b, stride, pad):
    return _bwd_ref(dout, x, w, b, stride, pad)[1][..., ::-1, ::-1]


def _dw_undilated(dout, x, w, b, stride, pad):
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    _, _, ho, wo = dout.shape
    kh, kw = w.shape[2:]
    dw = np.zeros(w.shape)
    for a in range(kh):
        for bb in range(kw):
            dw[:, :, a, bb] = np.einsum("nfij,ncij->fc", dout, xp[:, :, a:a + ho, bb:bb + wo])
    return dw


_NOT_DILATED = ("at stride s > 1, G must be dilated first (s - 1 zeros between its entries): "
                "output (i, j) used the window at rows i*s.., columns j*s.., not i.., j..")
_DX_WRONG = [
    (_dx_undilated, _NOT_DILATED),
    (_dx_unrotated, "dX is the full cross-correlation of (dilated) G with the kernel ROTATED "
                    "by 180 degrees: each G[i, j] is stamped back as G[i, j] * w onto the "
                    "cells its window read"),
]
_DW_WRONG = [
    (_dw_flipped_g, "true convolution used for dW: dW is the cross-correlation of X with G, "
                    "dW[u, v] = sum over i, j of X[i*s + u, j*s + v] G[i, j], nothing flipped"),
    (_dw_rot180, "true convolution used for dW: the result is rotated by 180 degrees; dW is "
                 "the cross-correlation of X with G, nothing flipped"),
    (_dw_undilated, _NOT_DILATED),
]


def backward_cases(hidden: bool):
    """(x, w, b, stride, pad, dout) cases at stride 1 and 2, some with uncovered cells."""
    rng = case_rng(4601 if hidden else 4600, hidden)
    specs = ([((2, 2, 5, 5), (3, 2, 3, 3), 1, 1), ((1, 2, 6, 7), (2, 2, 3, 3), 2, 0)]
             if not hidden else
             [((2, 3, 6, 6), (4, 3, 3, 3), 1, 0), ((1, 2, 8, 8), (3, 2, 3, 3), 2, 0),
              ((2, 1, 9, 7), (2, 1, 3, 2), 2, 1), ((1, 3, 7, 9), (2, 3, 2, 2), 2, 0),
              ((1, 2, 10, 10), (2, 2, 4, 4), 3, 1), ((2, 2, 4, 5), (1, 2, 2, 3), 1, 1)])
    cases = []
    for xs, ws, s, p in specs:
        x, w, b = rng.normal(size=xs), rng.normal(size=ws), rng.normal(size=ws[0])
        ho, wo = (xs[2] + 2 * p - ws[2]) // s + 1, (xs[3] + 2 * p - ws[3]) // s + 1
        cases.append((x, w, b, s, p, rng.normal(size=(xs[0], ws[0], ho, wo))))
    return cases


def _bwd_run(ns, x, w, b, s, p, dout):
    g = lookup(ns, "conv2d_backward")
    res = call(g, "conv2d_backward", (dout.copy(), (x.copy(), w.copy(), b.copy(), s, p)),
               forbidden=_CONV_FORBIDDEN)
    if not (isinstance(res, (tuple, list)) and len(res) == 3):
        raise GradingError("conv2d_backward must return a triple (dx, dw, db)")
    return res


def uncovered_cells(x, w, s, p):
    """Mask of x's cells that no window reads (bottom rows / right columns left over)."""
    h, wd = x.shape[2:]
    kh, kw = w.shape[2:]
    ho, wo = (h + 2 * p - kh) // s + 1, (wd + 2 * p - kw) // s + 1
    last_r, last_c = (ho - 1) * s + kh - p, (wo - 1) * s + kw - p
    mask = np.zeros(x.shape, dtype=bool)
    mask[:, :, last_r:, :] = True
    mask[:, :, :, last_c:] = True
    return mask


def _as_float(value, what):
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise GradingError(f"conv2d_backward: {what} must be a numeric array") from None


def _bwd_part(which: int):
    name = ("dx", "dw", "db")[which]

    def part(ns, ctx, hidden):
        for x, w, b, s, p, dout in backward_cases(hidden):
            got = _as_float(_bwd_run(ns, x, w, b, s, p, dout)[which], name)
            want = _bwd_ref(dout, x, w, b, s, p)[which]
            record_secret(want)
            where = (" on a hidden case" if hidden else
                     f" for x {x.shape}, w {w.shape}, stride={s}, pad={p}")
            what = f"conv2d_backward{where}: {name}"
            if got.shape != want.shape:
                _bwd_shape_hint(what, name, got, want, x, w, s, p, hidden)
            if close(got, want):
                continue
            wrong = {"dx": _DX_WRONG, "dw": _DW_WRONG, "db": []}[name]
            for fn, hint in wrong:
                alt = fn(dout, x, w, b, s, p)
                if not close(alt, want) and close(got, alt):
                    raise GradingError(f"{what}: {hint}")
            if name == "dx":
                mask = uncovered_cells(x, w, s, p)
                if mask.any() and close(got[~mask], want[~mask]):
                    raise GradingError(f"{what}: the input cells that no window covers (the "
                                       f"last rows or columns left over by the stride) must "
                                       f"get gradient 0: they did not affect the output")
            if name == "db" and close(got, want / (dout.size / dout.shape[1])):
                raise GradingError(f"{what}: db is the SUM of G over the batch and all output "
                                   f"positions, not the mean")
            raise GradingError(f"{what} does not match the gradient (check it against central "
                               f"differences: dlcore.gradcheck.numerical_gradient)")
    return part


def _bwd_shape_hint(what, name, got, want, x, w, s, p, hidden):
    kh, kw = w.shape[2:]
    if name == "dx" and s > 1 and got.ndim == 4:
        ho = (x.shape[2] + 2 * p - kh) // s + 1
        wo = (x.shape[3] + 2 * p - kw) // s + 1
        if got.shape[2:] in ((ho + kh - 1, wo + kw - 1), (ho + kh - 1 - 2 * p,
                                                          wo + kw - 1 - 2 * p)):
            raise GradingError(f"{what}: {_NOT_DILATED}")
    if name == "dx" and p and got.shape[2:] == (x.shape[2] + 2 * p, x.shape[3] + 2 * p):
        raise GradingError(f"{what}: cut the padding off: dx has the shape of x, not of the "
                           f"padded input")
    if name == "db":
        raise GradingError(f"{what} must have one entry per filter, shape (F,): sum G over the "
                           f"batch and all output positions (axes 0, 2 and 3)")
    if hidden:
        raise GradingError(f"{what} has the wrong shape: it must have the shape of the array it "
                           f"is the gradient of")
    raise GradingError(f"{what} has shape {got.shape}; expected shape {want.shape}")


EXERCISES["conv_backward"] = Exercise(
    "Convolution backward", {"dx": _bwd_part(0), "dw": _bwd_part(1), "db": _bwd_part(2)})
