"""Checks for assignment A4, convolutional networks (lectures 10-12).

Exercises and the names the notebook defines (shapes: N batch, C channels, H x W input,
F filters, KH x KW kernel, H_out x W_out output):

1. ``output_size(n, k, stride=1, pad=0, dilation=1)`` on visible and hidden cases, and
   ``MY_OUTPUT_SIZES``, three ints for the student's own settings (per student).
2. ``conv2d_forward(x, w, b, stride=1, pad=0) -> (out, cache)``: x (N, C, H, W),
   w (F, C, KH, KW), b (F,), out (N, F, H_out, W_out), ``cache = (x, w, b, stride, pad)``.
3. ``max_pool_forward(x, size, stride)`` and ``avg_pool_forward(x, size, stride)`` -> out
   (N, C, H_out, W_out); ``max_pool_backward(dout, x, size, stride)`` and
   ``avg_pool_backward(dout, x, size, stride)`` -> dx (N, C, H, W).
4. ``PARAMS`` (layer name -> parameter count) and ``FLATTEN`` for the student's own network.
5. ``PARAMS_SAVED``: parameters saved when the student's layer gets a smaller kernel.
6. ``conv2d_backward(dout, cache) -> (dx, dw, db)`` at stride 1 and 2; the grader builds
   ``cache = (x, w, b, stride, pad)`` itself, so the backward pass is graded on its own.
7. ``conv_as_matrix(w, input_shape, stride=1, pad=0) -> M`` of shape (F*H_out*W_out, C*H*W),
   C-order flattening: ``M @ x.ravel() == conv(x).ravel()`` and ``M.T @ g.ravel() == dx``.
8. ``ANSWER_8``: which equation copied from the slides has an index typo (multiple choice).

Per-student numbers: exercises 1 (``MY_OUTPUT_SIZES``), 4 and 5 draw their layer settings
from the student id (``my_numbers(student_id)`` prints and returns them; ``variant_rng``).
Under autograde the id is the submission's folder name, whatever the notebook declares;
``graded_id(STUDENT_ID)`` returns that id (or STUDENT_ID outside autograde), so code that
computes the answers from the numbers reads the same ones as the grader.

Expected values come from dlcore's references at check time (``dlcore.conv``,
``dlcore.counting.summarize``); functions that call them (or torch) score 0.
"""

from __future__ import annotations

import numpy as np

from .. import conv, counting, gradcheck
from ..conv import _im2col
from ..conv._common import fitted_size
from ..counting.params import _output_size as _counting_output_size
from ..nn.conv import AvgPool2d, Conv2d, MaxPool2d
from ._core import (
    Assignment,
    Exercise,
    GradingError,
    call,
    expect_function,
    grading_student,
    lookup,
    record_secret,
    variant_rng,
)

__all__ = ["checker", "ASSIGNMENT", "my_numbers", "graded_id"]

AID = "a04_cnn"
ASSIGNMENT = Assignment(AID)
checker = ASSIGNMENT.checker

_CONV_FORBIDDEN = [
    conv.conv2d_forward, conv.conv2d_backward, conv.conv2d_forward_naive,
    conv.conv2d_backward_naive, conv.correlate2d, conv.convolve2d, conv.correlate1d,
    conv.conv_transpose2d, conv.conv_transpose2d_forward, conv.conv_transpose2d_backward,
    conv.conv_as_matrix, conv.dilate, conv.rot180, _im2col.im2col, _im2col.col2im_add,
    Conv2d.forward, Conv2d.backward, gradcheck.numerical_gradient, gradcheck.numerical_vjp,
]
_POOL_FORBIDDEN = [
    conv.max_pool2d_forward, conv.max_pool2d_backward, conv.avg_pool2d_forward,
    conv.avg_pool2d_backward, conv.max_unpool2d, conv.max_pool2d_forward_naive,
    conv.max_pool2d_backward_naive, conv.avg_pool2d_forward_naive,
    conv.avg_pool2d_backward_naive, MaxPool2d.forward, MaxPool2d.backward, AvgPool2d.forward,
    AvgPool2d.backward, gradcheck.numerical_gradient, gradcheck.numerical_vjp,
]


# -- per-student numbers -----------------------------------------------------------------------
def _sid(student_id) -> str:
    return "" if student_id is None or student_id is Ellipsis else str(student_id).strip()


def _numbers(student_id) -> dict:
    """The layer settings of one student (the same every time for the same id)."""
    sid = _sid(student_id)
    rng = variant_rng(sid, AID, "sizes")
    # q1 stride 1; q2 a stride that does not tile (the floor matters); q3 dilated
    q1 = (int(rng.integers(20, 65)), int(rng.choice([3, 5, 7])), int(rng.integers(0, 4)), 1, 1)
    s2, k2, p2 = int(rng.choice([2, 3])), int(rng.choice([3, 4, 5, 7])), int(rng.integers(0, 3))
    n2 = int(rng.integers(24, 100))
    while (n2 + 2 * p2 - k2) % s2 == 0:
        n2 += 1
    q3 = (int(rng.integers(30, 100)), int(rng.choice([3, 5])), int(rng.integers(0, 3)),
          int(rng.choice([1, 2])), int(rng.choice([2, 3])))
    rng = variant_rng(sid, AID, "net")
    k1 = int(rng.choice([3, 5]))
    net = {"input": (3, *(2 * [int(rng.choice([28, 30, 32, 36, 40]))])),
           "conv1": (int(rng.choice([6, 8, 10, 12, 16])), k1, int(rng.integers(0, k1 // 2 + 1))),
           "conv2": (int(rng.choice([12, 16, 20, 24, 32])), int(rng.choice([3, 5]))),
           "fc1": int(rng.choice([64, 84, 100, 120, 128, 200, 256])),
           "classes": int(rng.choice([5, 10, 20, 26, 100]))}
    rng = variant_rng(sid, AID, "shrink")
    a = int(rng.choice([5, 7, 9, 11]))
    c_in = int(rng.choice([16, 32, 48, 64, 96, 128]))
    c_out = int(rng.choice([32, 64, 96, 128, 192, 256]))
    shrink = (c_in, c_out, a, int(rng.choice(np.arange(3, a, 2))))
    return {"sizes": [q1, (n2, k2, p2, s2, 1), q3], "net": net, "shrink": shrink}


def _describe_numbers(sid: str, nums: dict) -> str:
    lines = [f"Numbers for STUDENT_ID {sid!r}", "",
             "Exercise 1: output sizes along one axis (n input, k kernel, pad, stride, dilation)"]
    for i, (n, k, p, s, d) in enumerate(nums["sizes"], 1):
        lines.append(f"  setting {i}: n={n}, k={k}, pad={p}, stride={s}, dilation={d}")
    net = nums["net"]
    c0, h, w = net["input"]
    (f1, k1, p1), (f2, k2) = net["conv1"], net["conv2"]
    lines += ["", f"Exercise 4: a network for {c0} x {h} x {w} images (C x H x W)",
              f"  conv1: {f1} filters {k1}x{k1}, stride 1, pad {p1}, then ReLU",
              "  pool1: max pooling 2x2, stride 2",
              f"  conv2: {f2} filters {k2}x{k2}, stride 1, pad 0, then ReLU",
              "  pool2: max pooling 2x2, stride 2",
              "  flatten",
              f"  fc1:   {net['fc1']} units, then ReLU",
              f"  fc2:   one output per class, {net['classes']} classes"]
    c, f, a, b = nums["shrink"]
    lines += ["", f"Exercise 5: a conv layer with {c} input channels and {f} filters; the "
                  f"kernel shrinks from {a}x{a} to {b}x{b}"]
    return "\n".join(lines)


def my_numbers(student_id, show: bool = True):
    """Print and return the student's own settings for exercises 1, 4 and 5.

    Returns ``{"sizes": [(n, k, pad, stride, dilation)] * 3, "net": {"input": (C, H, W),
    "conv1": (filters, k, pad), "conv2": (filters, k), "fc1": units, "classes": K},
    "shrink": (c_in, c_out, k_old, k_new)}``, or None (with a message) when the id is empty.
    """
    sid = _sid(student_id)
    if not sid:
        if show:
            print("STUDENT_ID is empty: set it (your id as on the course roster) in the cell "
                  "above, then run this cell again.")
        return None
    nums = _numbers(sid)
    if show:
        print(_describe_numbers(sid, nums))
    return nums


def graded_id(declared) -> str:
    """The id whose numbers the grader uses: the submission's folder under autograde, else
    ``declared`` (the notebook's STUDENT_ID)."""
    folder = grading_student(AID)
    return folder if folder is not None else _sid(declared)


def _exact(value, expected) -> bool:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return False
    return bool(np.isfinite(v)) and abs(v - float(expected)) < 1e-9


def _copied_hint(ns, ctx, what: str, answer_for) -> None:
    """Raise when the answer is right for the declared STUDENT_ID but graded for another id."""
    declared = _sid(ns.get("STUDENT_ID"))
    if ctx.grading and declared and declared != ctx.student_id and answer_for(declared):
        raise GradingError(f"{what}: these are the answers for the numbers of STUDENT_ID "
                           f"{declared!r}, but this submission belongs to {ctx.student_id!r}, "
                           f"and it is graded with the numbers of {ctx.student_id!r}")


# -- 1. output size ----------------------------------------------------------------------------
def _size_ref(n, k, stride=1, pad=0, dilation=1):
    return conv.output_size(n, k, stride=stride, pad=pad, dilation=dilation)


def _size_no_floor(n, k, stride=1, pad=0, dilation=1):
    return (n + 2 * pad - dilation * (k - 1) - 1) / stride + 1


def _size_ceil(n, k, stride=1, pad=0, dilation=1):
    return -(-(n + 2 * pad - dilation * (k - 1) - 1) // stride) + 1


def _size_no_plus_one(n, k, stride=1, pad=0, dilation=1):
    return (n + 2 * pad - dilation * (k - 1) - 1) // stride


def _size_no_dilation(n, k, stride=1, pad=0, dilation=1):
    return (n + 2 * pad - k) // stride + 1


def _size_dilation_times_k(n, k, stride=1, pad=0, dilation=1):
    return (n + 2 * pad - dilation * k) // stride + 1


_SIZE_WRONG = [
    (_size_no_floor, "no floor: when the stride does not tile the padded input exactly, the "
                     "last partial step is not taken, so round (n + 2p - d(k-1) - 1) / s "
                     "down before adding 1 (an integer, not a fraction)"),
    (_size_ceil, "rounded up: the formula uses the floor, the last incomplete window is "
                 "dropped"),
    (_size_no_plus_one, "missing +1: floor((n + 2p - d(k-1) - 1) / s) counts the steps of "
                        "the window; the number of positions is one more"),
    (_size_no_dilation, "dilation ignored: a kernel of size k with dilation d spans "
                        "d(k-1) + 1 input cells"),
    (_size_dilation_times_k, "a dilated kernel spans d(k-1) + 1 cells, not d k"),
]

_SIZE_FORBIDDEN = [conv.output_size, conv.tiles_exactly, conv.same_padding, fitted_size,
                   _counting_output_size]

_SIZE_VISIBLE = [(10, 3, 1, 0, 1), (11, 3, 2, 1, 1), (12, 4, 3, 1, 1), (15, 3, 1, 2, 2),
                 (20, 3, 2, 0, 3)]


def _size_cases(hidden: bool):
    if not hidden:
        rows = _SIZE_VISIBLE
    else:
        rng = np.random.default_rng(4101)
        rows = []
        while len(rows) < 40:
            n, k = int(rng.integers(4, 300)), int(rng.integers(1, 8))
            s, p, d = int(rng.integers(1, 5)), int(rng.integers(0, 4)), int(rng.integers(1, 4))
            if n + 2 * p >= d * (k - 1) + 1:
                rows.append((n, k, s, p, d))
    return [((n, k), {"stride": s, "pad": p, "dilation": d}) for n, k, s, p, d in rows]


def _size_function(ns, ctx, hidden):
    f = lookup(ns, "output_size")
    expect_function(f, "output_size", _size_ref, _size_cases(hidden), _SIZE_WRONG,
                    forbidden=_SIZE_FORBIDDEN,
                    describe=None if hidden else
                    (lambda a, k: f"n={a[0]}, k={a[1]}, stride={k['stride']}, pad={k['pad']}, "
                                  f"dilation={k['dilation']}"))


ASSIGNMENT.exercises["output_size"] = Exercise("Output size", {"function": _size_function})


def _my_sizes(ns, ctx, hidden):
    answer = lookup(ns, "MY_OUTPUT_SIZES", "value")
    try:
        got = None if isinstance(answer, (str, bytes, dict)) else [float(v) for v in answer]
    except (TypeError, ValueError):
        got = None
    if got is None or len(got) != 3:
        raise GradingError("MY_OUTPUT_SIZES must be a list of three numbers, one per setting")
    settings = _numbers(ctx.student_id)["sizes"]

    def right_for(sid):
        return all(_exact(g, _size_ref(n, k, s, p, d))
                   for g, (n, k, p, s, d) in zip(got, _numbers(sid)["sizes"]))

    for i, (g, (n, k, p, s, d)) in enumerate(zip(got, settings), 1):
        if _exact(g, _size_ref(n, k, s, p, d)):
            continue
        _copied_hint(ns, ctx, "MY_OUTPUT_SIZES", right_for)
        for fn, hint in _SIZE_WRONG:
            if _exact(g, fn(n, k, s, p, d)):
                raise GradingError(f"MY_OUTPUT_SIZES, setting {i}: {hint}")
        raise GradingError(f"MY_OUTPUT_SIZES, setting {i} is wrong: use "
                           f"floor((n + 2p - d(k-1) - 1) / s) + 1 with your own numbers "
                           f"(grading.my_numbers(STUDENT_ID) prints them)")


ASSIGNMENT.exercises["my_output_sizes"] = Exercise(
    "Output sizes for your settings", {"values": _my_sizes}, variant=True)


# -- 2. conv2d_forward -------------------------------------------------------------------------
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
    rng = np.random.default_rng(4201 if hidden else 4200)
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
        if _close(out, want):
            continue
        where = _conv_where(hidden, x, w, s, p)
        for fn, hint in _CONV_WRONG:
            if _close(out, fn(x, w, b, s, p)):
                raise GradingError(f"conv2d_forward{where}: {hint}")
        raise GradingError(f"conv2d_forward{where} does not return the expected values: "
                           f"out[n, f, i, j] = b[f] + sum over c, a, b of "
                           f"xpad[n, c, i*s + a, j*s + b] w[f, c, a, b]")


def _close(a, b, rtol: float = 1e-6, atol: float = 1e-8) -> bool:
    try:
        a = np.asarray(a, dtype=float)
    except (TypeError, ValueError):
        return False
    b = np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.all(np.isfinite(a))) and \
        bool(np.all(np.abs(a - b) <= atol + rtol * np.abs(b)))


ASSIGNMENT.exercises["conv_forward"] = Exercise(
    "Multi-channel convolution", {"shape": _conv_shape, "values": _conv_values})


# -- 3. pooling --------------------------------------------------------------------------------
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


def _pool_cases(hidden: bool):
    """(x, size, stride, dout) cases with ties; overlapping windows and leftover cells."""
    rng = np.random.default_rng(4301 if hidden else 4300)
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
    cases = _pool_cases(hidden)
    describe = None if hidden else _pool_describe
    for name, ref, wrong in (("max_pool_forward", _max_fwd_ref, []),
                             ("avg_pool_forward", _avg_fwd_ref, _AVG_FWD_WRONG)):
        expect_function(lookup(ns, name), name, ref,
                        [((x, size, stride), {}) for x, size, stride, _ in cases], wrong,
                        forbidden=_POOL_FORBIDDEN, describe=describe)


def _pool_backward(ns, ctx, hidden):
    cases = _pool_cases(hidden)
    describe = None if hidden else _pool_describe
    for name, ref, wrong in (("max_pool_backward", _max_bwd_ref, _MAX_BWD_WRONG),
                             ("avg_pool_backward", _avg_bwd_ref, _AVG_BWD_WRONG)):
        expect_function(lookup(ns, name), name, ref,
                        [((dout, x, size, stride), {}) for x, size, stride, dout in cases],
                        wrong, forbidden=_POOL_FORBIDDEN, describe=describe)


ASSIGNMENT.exercises["pooling"] = Exercise(
    "Pooling forward and backward", {"forward": _pool_forward, "backward": _pool_backward})


# -- 4. parameter table ------------------------------------------------------------------------
_LAYERS = ("conv1", "pool1", "conv2", "pool2", "fc1", "fc2")


def _net_summary(net: dict):
    (f1, k1, p1), (f2, k2) = net["conv1"], net["conv2"]
    layers = [counting.Conv2d(f1, k1, padding=p1, name="conv1"), counting.ReLU(name="relu1"),
              counting.MaxPool2d(2, 2, name="pool1"), counting.Conv2d(f2, k2, name="conv2"),
              counting.ReLU(name="relu2"), counting.MaxPool2d(2, 2, name="pool2"),
              counting.Flatten(name="flatten"), counting.Linear(net["fc1"], name="fc1"),
              counting.ReLU(name="relu3"), counting.Linear(net["classes"], name="fc2")]
    return counting.summarize(layers, net["input"])


def _table_answers(ns):
    params = lookup(ns, "PARAMS", "value")
    if not isinstance(params, dict) or set(params) != set(_LAYERS):
        raise GradingError(f"PARAMS must be a dict with exactly the keys {', '.join(_LAYERS)}")
    for key in _LAYERS:
        if params[key] is Ellipsis:
            raise GradingError(f"PARAMS[{key!r}] is not answered yet (it is still ...)")
    return params


def _table_expected(sid):
    s = _net_summary(_numbers(sid)["net"])
    return {name: s.row(name).params for name in _LAYERS}, s.row("flatten").output_shape[0]


def _table_right_for(ns, keys, flatten: bool):
    def right(sid):
        exp, flat = _table_expected(sid)
        ok = all(_exact(ns["PARAMS"][k], exp[k]) for k in keys)
        return ok and (not flatten or _exact(ns.get("FLATTEN"), flat))
    return right


def _table_conv(ns, ctx, hidden):
    params = _table_answers(ns)
    net = _numbers(ctx.student_id)["net"]
    exp, _ = _table_expected(ctx.student_id)
    depth = {"conv1": net["input"][0], "conv2": net["conv1"][0]}
    for name in ("conv1", "conv2"):
        got = params[name]
        if _exact(got, exp[name]):
            continue
        _copied_hint(ns, ctx, "PARAMS", _table_right_for(ns, ("conv1", "conv2"), False))
        f, k = net[name][0], net[name][1]
        c = depth[name]
        wrong = [(k * k * c * f, "short by C_out: each filter has one bias, so add one "
                                 "parameter per filter"),
                 ((k * k + 1) * f, "the input depth is missing: each filter spans all C_in "
                                   "input channels, k*k*C_in weights (the 156-vs-456 mistake)"),
                 (k * k * f, "the input depth and the biases are missing: a filter has "
                             "k*k*C_in weights and one bias"),
                 ((k * k * net["input"][0] + 1) * f if name == "conv2" else None,
                  "conv2's input depth is the number of filters of conv1 (its output "
                  "channels), not the image's 3 channels")]
        for value, hint in wrong:
            if value is not None and _exact(got, value):
                raise GradingError(f"PARAMS[{name!r}]: {hint}")
        raise GradingError(f"PARAMS[{name!r}] is wrong: a conv layer has (k*k*C_in + 1) * "
                           f"C_out parameters")


def _table_pool_flatten(ns, ctx, hidden):
    params = _table_answers(ns)
    for name in ("pool1", "pool2"):
        if not _exact(params[name], 0):
            raise GradingError(f"PARAMS[{name!r}]: pooling has no parameters (no weights, no "
                               f"biases): it only takes the maximum of each window")
    got = lookup(ns, "FLATTEN", "value")
    net = _numbers(ctx.student_id)["net"]
    _, flat = _table_expected(ctx.student_id)
    if _exact(got, flat):
        return
    _copied_hint(ns, ctx, "FLATTEN", lambda sid: _exact(got, _table_expected(sid)[1]))
    h = net["input"][1]
    (_, k1, p1), (f2, k2) = net["conv1"], net["conv2"]
    h1 = h + 2 * p1 - k1 + 1
    h2 = h1 // 2 - k2 + 1
    wrong = [(f2 * h2 * h2, "FLATTEN: pool2 halves the height and the width of conv2's output "
                            "before the flatten"),
             ((h2 // 2) ** 2, "FLATTEN: multiply by the number of channels too (C * H * W)"),
             (f2 * (h2 / 2) ** 2, "FLATTEN: pooling sizes are whole numbers: "
                                  "floor((n - 2) / 2) + 1"),
             (f2 * ((((h - k1 + 1) // 2) - k2 + 1) // 2) ** 2 if p1 else None,
              "FLATTEN: conv1's padding is missing from the size"),
             (f2 * ((h1 - k2 + 1) // 2) ** 2, "FLATTEN: pool1 halves the size before conv2")]
    for value, hint in wrong:
        if value is not None and _exact(got, value):
            raise GradingError(hint)
    raise GradingError("FLATTEN is wrong: trace C x H x W layer by layer with "
                       "floor((n + 2p - k) / s) + 1, and multiply the three numbers of "
                       "pool2's output")


def _table_fc(ns, ctx, hidden):
    params = _table_answers(ns)
    net = _numbers(ctx.student_id)["net"]
    exp, flat = _table_expected(ctx.student_id)
    m, k = net["fc1"], net["classes"]
    for name in ("fc1", "fc2"):
        got = params[name]
        if _exact(got, exp[name]):
            continue
        _copied_hint(ns, ctx, "PARAMS", _table_right_for(ns, ("fc1", "fc2"), False))
        n_in, n_out = (flat, m) if name == "fc1" else (m, k)
        if _exact(got, n_in * n_out):
            raise GradingError(f"PARAMS[{name!r}]: short by one bias per output unit")
        if name == "fc2" and (_exact(got, (m + 1) * 1024) or _exact(got, m * 1024)):
            raise GradingError("PARAMS['fc2']: the last layer has one output per class (the "
                               "number of classes), not 1024")
        try:
            implied = float(got) / n_out - 1
        except (TypeError, ValueError):
            implied = None
        if name == "fc1" and implied is not None and implied.is_integer() and implied > 0:
            raise GradingError("PARAMS['fc1']: the input size of fc1 is wrong: it is the "
                               "flattened size of pool2's output (C * H * W)")
        raise GradingError(f"PARAMS[{name!r}] is wrong: a fully connected layer has "
                           f"(n_in + 1) * n_out parameters")


ASSIGNMENT.exercises["param_table"] = Exercise(
    "A parameter table for your network",
    {"conv": _table_conv, "pool_flatten": _table_pool_flatten, "fc": _table_fc}, variant=True)


# -- 5. a smaller kernel -----------------------------------------------------------------------
def _saved(sid) -> int:
    c, f, a, b = _numbers(sid)["shrink"]
    return counting.conv2d_params(c, f, a) - counting.conv2d_params(c, f, b)


def _shrink(ns, ctx, hidden):
    got = lookup(ns, "PARAMS_SAVED", "value")
    c, f, a, b = _numbers(ctx.student_id)["shrink"]
    if _exact(got, _saved(ctx.student_id)):
        return
    _copied_hint(ns, ctx, "PARAMS_SAVED", lambda sid: _exact(got, _saved(sid)))
    wrong = [((a - b) ** 2 * c * f, "(a - b)^2 is not a^2 - b^2: compare the two counts, "
                                    "a*a*C_in*C_out and b*b*C_in*C_out (the slide's 4.6K "
                                    "mistake)"),
             ((a * a - b * b) * f, "each filter spans all C_in input channels: the saving "
                                   "per filter is (a^2 - b^2) * C_in"),
             ((a * a - b * b) * c, "every one of the C_out filters shrinks: multiply by "
                                   "C_out too"),
             (-(a * a - b * b) * c * f, "PARAMS_SAVED is the number of parameters saved: a "
                                        "positive number"),
             ((a * a - b * b) * c * f + f, "the biases do not change: one bias per filter "
                                           "before and after")]
    for value, hint in wrong:
        if _exact(got, value):
            raise GradingError(f"PARAMS_SAVED: {hint}")
    raise GradingError("PARAMS_SAVED is wrong: subtract the parameter count with the small "
                       "kernel from the count with the large one")


ASSIGNMENT.exercises["kernel_shrink"] = Exercise(
    "A smaller kernel", {"values": _shrink}, variant=True)


# -- 6. conv2d_backward ------------------------------------------------------------------------
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


def _bwd_cases(hidden: bool):
    """(x, w, b, stride, pad, dout) cases at stride 1 and 2, some with uncovered cells."""
    rng = np.random.default_rng(4601 if hidden else 4600)
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


def _uncovered(x, w, s, p):
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
        for x, w, b, s, p, dout in _bwd_cases(hidden):
            got = _as_float(_bwd_run(ns, x, w, b, s, p, dout)[which], name)
            want = _bwd_ref(dout, x, w, b, s, p)[which]
            record_secret(want)
            where = (" on a hidden case" if hidden else
                     f" for x {x.shape}, w {w.shape}, stride={s}, pad={p}")
            what = f"conv2d_backward{where}: {name}"
            if got.shape != want.shape:
                _bwd_shape_hint(what, name, got, want, x, w, s, p, hidden)
            if _close(got, want):
                continue
            wrong = {"dx": _DX_WRONG, "dw": _DW_WRONG, "db": []}[name]
            for fn, hint in wrong:
                alt = fn(dout, x, w, b, s, p)
                if not _close(alt, want) and _close(got, alt):
                    raise GradingError(f"{what}: {hint}")
            if name == "dx":
                mask = _uncovered(x, w, s, p)
                if mask.any() and _close(got[~mask], want[~mask]):
                    raise GradingError(f"{what}: the input cells that no window covers (the "
                                       f"last rows or columns left over by the stride) must "
                                       f"get gradient 0: they did not affect the output")
            if name == "db" and _close(got, want / (dout.size / dout.shape[1])):
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


ASSIGNMENT.exercises["conv_backward"] = Exercise(
    "Convolution backward", {"dx": _bwd_part(0), "dw": _bwd_part(1), "db": _bwd_part(2)})


# -- 7. conv_as_matrix -------------------------------------------------------------------------
def _matrix_cases(hidden: bool):
    """(w, input_shape, stride, pad, x, g) cases; g has the shape of one output."""
    rng = np.random.default_rng(4701 if hidden else 4700)
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
        fwd_ok = _close(m @ x.ravel(), out.ravel())
        bwd_ok = _close(m.T @ g.ravel(), dx.ravel())
        if fwd_ok and bwd_ok:
            continue
        for rows, cols in ((False, True), (True, False), (True, True)):
            if _close(m, _fortran(ref, g.shape, shape, rows, cols)):
                raise GradingError(f"conv_as_matrix{where}: {_FORTRAN_HINT}")
        if _close(m, _flip_kernel_matrix(w, shape, s, p)):
            raise GradingError(f"conv_as_matrix{where}: the kernel is flipped (true "
                               f"convolution); the conv layer cross-correlates")
        if not fwd_ok:
            raise GradingError(f"conv_as_matrix{where}: M @ x.ravel() does not equal the "
                               f"convolution output (flattened in C order)")
        raise GradingError(f"conv_as_matrix{where}: M.T @ g.ravel() does not equal dx, the "
                           f"gradient of the convolution with respect to its input")


def _flip_kernel_matrix(w, shape, s, p):
    return conv.conv_as_matrix(w[..., ::-1, ::-1].copy(), shape, stride=s, pad=p)


ASSIGNMENT.exercises["conv_matrix"] = Exercise(
    "Convolution as a matrix", {"shape": _matrix_shape, "values": _matrix_values})


# -- 8. multiple choice ------------------------------------------------------------------------
_MC_HINTS = {
    "a": "(a) is right: at stride 2, z2's window starts two columns to the right, at a3",
    "c": "(c) is right: w7 is the bottom-left weight; in the four windows it meets a11, a13, "
         "a21 and a23",
    "d": "(d) is right: w9 is the bottom-right weight; it meets a13, a15, a23 and a25",
}


def _mc(ns, ctx, hidden):
    answer = str(lookup(ns, "ANSWER_8", "value")).strip().lower().strip("()")
    if len(answer) != 1 or answer not in "abcd":
        raise GradingError('ANSWER_8 must be one letter: "a", "b", "c" or "d"')
    if answer != "b":
        raise GradingError(_MC_HINTS[answer] + "; write out the window of each output and "
                                               "look again")


ASSIGNMENT.exercises["multiple_choice"] = Exercise("Spot the index typo", {"answer": _mc})
