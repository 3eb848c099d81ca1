"""Exercise 1 of A4: the output size of a convolution along one axis.

Names the notebook defines: ``output_size(n, k, stride=1, pad=0, dilation=1)``, checked on
visible and hidden cases, and ``MY_OUTPUT_SIZES``, three ints for the student's own settings
(per student), with ``floor((n + 2 pad - dilation (k - 1) - 1) / stride) + 1``.
"""

from __future__ import annotations

from ... import conv
from .._core import Exercise, GradingError, case_rng, function_part, lookup
from .per_student import _copied_hint, _exact, _numbers

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


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

# conv.output_size is dlcore's one implementation of the formula (conv, pooling and the
# counting specs all call it), so forbidding it covers every route to the reference.
_SIZE_FORBIDDEN = [conv.output_size, conv.tiles_exactly, conv.same_padding]

_SIZE_VISIBLE = [(10, 3, 1, 0, 1), (11, 3, 2, 1, 1), (12, 4, 3, 1, 1), (15, 3, 1, 2, 2),
                 (20, 3, 2, 0, 3)]


def _size_cases(hidden: bool):
    if not hidden:
        rows = _SIZE_VISIBLE
    else:
        rng = case_rng(4101, hidden=True)
        rows = []
        while len(rows) < 40:
            n, k = int(rng.integers(4, 300)), int(rng.integers(1, 8))
            s, p, d = int(rng.integers(1, 5)), int(rng.integers(0, 4)), int(rng.integers(1, 4))
            if n + 2 * p >= d * (k - 1) + 1:
                rows.append((n, k, s, p, d))
    return [((n, k), {"stride": s, "pad": p, "dilation": d}) for n, k, s, p, d in rows]


EXERCISES["output_size"] = Exercise("Output size", {"function": function_part(
    "output_size", _size_ref, _size_cases, _SIZE_WRONG, forbidden=_SIZE_FORBIDDEN,
    describe=lambda a, k: f"n={a[0]}, k={a[1]}, stride={k['stride']}, pad={k['pad']}, "
                          f"dilation={k['dilation']}")})


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


EXERCISES["my_output_sizes"] = Exercise(
    "Output sizes for your settings", {"values": _my_sizes}, variant=True)
