"""Exercise 4 of A5: gradient clipping by global norm and by value, in place.

Names the notebook defines: ``clip_grad_norm(grads, max_norm) -> norm`` and
``clip_grad_value(grads, clip)``; grads is a list of arrays of any shapes, clipped in place (by
the true global L2 norm, or entrywise).  The reference is ``dlcore.recurrent``.
"""

from __future__ import annotations

import numpy as np

from ... import recurrent
from .._core import Exercise, GradingError, call, case_rng, close, lookup, record_secret

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


_CLIP_FORBIDDEN = [recurrent.clip_grad_norm, recurrent.clip_grad_value]


def norm_cases(hidden: bool):
    """(grads, tau) cases: clipped, not clipped, and each array below tau but not the whole."""
    if not hidden:
        g = [np.array([[0.5, -1.0], [1.0, 0.5]]), np.array([1.5, -2.5])]  # norm sqrt(11)
        return [(g, 2.0), (g, 3.5)]
    rng = case_rng(5401, hidden=True)
    cases = []
    for k in range(6):
        shapes = [tuple(int(s) for s in rng.integers(1, 4, size=int(rng.integers(1, 3))))
                  for _ in range(int(rng.integers(1, 4)))]
        grads = [rng.normal(scale=2.0, size=s) for s in shapes]
        norm = np.sqrt(sum(float(np.sum(g * g)) for g in grads))
        factor = rng.uniform(0.2, 0.8) if k % 3 else rng.uniform(1.2, 2.0)
        cases.append((grads, float(factor * norm)))
    parts = [rng.normal(size=3), rng.normal(size=(2, 2)), rng.normal(size=2)]
    norms = [float(np.linalg.norm(p)) for p in parts]
    cases.append((parts, 1.05 * max(norms)))  # every array is below tau, the whole is not
    return cases


def _global(grads):
    return float(np.sqrt(sum(float(np.sum(g * g)) for g in grads)))


def _scaled(grads, factor):
    return [g * factor for g in grads]


def _norm_squared(grads, tau):
    sq = _global(grads) ** 2
    return _scaled(grads, tau / sq) if sq > tau else [g.copy() for g in grads]


def _norm_per_array(grads, tau):
    return [g * (tau / np.linalg.norm(g)) if np.linalg.norm(g) > tau else g.copy()
            for g in grads]


def _norm_always(grads, tau):
    return _scaled(grads, tau / _global(grads))


def _unchanged(grads, tau):
    return [g.copy() for g in grads]


_IN_PLACE = ("did not change the arrays in grads: clip them in place (g *= scale, or "
             "g[...] = ...); g = g * scale only rebinds the name")
_NORM_ARRAY_WRONG = [
    (_norm_squared, "the arrays were scaled with the squared norm sum(g * g) (the slip of "
                    "lecture 13, section 7); the L2 norm is its square root"),
    (_norm_per_array, "each array was clipped by its own norm; clip_grad_norm uses ONE global "
                      "norm over all the arrays together, so the whole gradient keeps its "
                      "direction"),
    (_norm_always, "the gradient was rescaled although its norm did not exceed max_norm: "
                   "clip only when norm > max_norm"),
    (lambda grads, tau: [np.clip(g, -tau, tau) for g in grads],
     "that is clipping by value (each entry clamped); clip_grad_norm rescales the whole "
     "gradient by max_norm / norm"),
    (_unchanged, _IN_PLACE),
]
_VALUE_WRONG = [
    (lambda grads, tau: [np.minimum(g, tau) for g in grads],
     "only the upper side is clamped: entries below -clip must become -clip too"),
    (lambda grads, tau: [g * min(1.0, tau / _global(grads)) for g in grads],
     "that is clipping by norm; clip_grad_value clamps every entry to [-clip, clip] on its "
     "own"),
    (_unchanged, _IN_PLACE),
]


def _copies(grads):
    return [np.array(g, dtype=float, copy=True) for g in grads]


def _all_close(arrays, wanted, rtol=1e-5) -> bool:
    return len(arrays) == len(wanted) and all(close(a, w, rtol=rtol, atol=1e-9)
                                              for a, w in zip(arrays, wanted))


def _run_clip(f, name, cases, reference):
    """Per case: (grads, tau, arrays after the student's call, its result, reference arrays,
    reference result)."""
    runs = []
    for grads, tau in cases:
        work = _copies(grads)
        ret = call(f, name, (work, tau), forbidden=_CLIP_FORBIDDEN)
        want = _copies(grads)
        ref = reference(want, tau)
        record_secret(([] if ref is None else [ref]) + [float(v) for w in want
                                                        for v in w.ravel()])
        runs.append((grads, tau, work, ret, want, ref))
    return runs


def _check_arrays(name, runs, wrong, hidden, generic):
    """The clipped arrays must match the reference; else the mistake that explains them."""
    label = "max_norm" if name == "clip_grad_norm" else "clip"

    def explains(fn, run):
        return _all_close(run[2], fn(_copies(run[0]), run[1]))

    for run in runs:
        grads, tau, work, ret, want, _ = run
        if _all_close(work, want):
            continue
        where = " on a hidden case" if hidden else f" ({label}={tau})"
        matching = [(fn, hint) for fn, hint in wrong if explains(fn, run)]
        overall = [(fn, hint) for fn, hint in matching if all(explains(fn, r) for r in runs)]
        for fn, hint in overall or matching:
            if fn is _unchanged and isinstance(ret, (list, tuple)) and len(ret) == len(want):
                raise GradingError(f"{name} returned new arrays; it must modify the arrays in "
                                   f"grads in place (g *= scale, or g[...] = ...), as torch's "
                                   f"clipping functions do")
            raise GradingError(f"{name}{where}: {hint}")
        raise GradingError(f"{name}{where}: {generic}")


def _clip_norm(ns, ctx, hidden):
    f = lookup(ns, "clip_grad_norm")
    runs = _run_clip(f, "clip_grad_norm", norm_cases(hidden), recurrent.clip_grad_norm)
    _check_arrays("clip_grad_norm", runs, _NORM_ARRAY_WRONG, hidden,
                  "the clipped arrays are not g * max_norm / ||g||_2 (||g||_2 over all the "
                  "arrays)")
    for _, tau, work, ret, _, norm in runs:
        if close(ret, norm, rtol=1e-6):
            continue
        if close(ret, norm ** 2, rtol=1e-6):
            hint = "it returns the squared norm; the L2 norm is the square root of sum(g * g)"
        elif close(ret, _global(work), rtol=1e-5):
            hint = "it returns the norm after clipping; return the norm before clipping"
        elif isinstance(ret, (list, tuple, np.ndarray)) and np.size(ret) != 1:
            hint = "return one number, the global norm before clipping"
        else:
            hint = "it must return the global L2 norm of the gradients before clipping"
        where = " on a hidden case" if hidden else f" (max_norm={tau})"
        raise GradingError(f"clip_grad_norm{where}: the arrays are right, but {hint}")


def _value_cases(hidden: bool):
    if not hidden:
        return [([np.array([[0.5, -3.0], [2.0, 0.2]]), np.array([-0.4, 1.5])], 1.0)]
    rng = case_rng(5402, hidden=True)
    return [([rng.normal(scale=2.0, size=tuple(int(s) for s in rng.integers(1, 4, size=2)))
              for _ in range(int(rng.integers(1, 4)))], float(rng.uniform(0.3, 2.0)))
            for _ in range(5)]


def _clip_value(ns, ctx, hidden):
    f = lookup(ns, "clip_grad_value")
    runs = _run_clip(f, "clip_grad_value", _value_cases(hidden), recurrent.clip_grad_value)
    _check_arrays("clip_grad_value", runs, _VALUE_WRONG, hidden,
                  "every entry must become min(max(g, -clip), clip)")


EXERCISES["clipping"] = Exercise(
    "Gradient clipping", {"norm": _clip_norm, "value": _clip_value})
