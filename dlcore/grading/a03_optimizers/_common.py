"""The machinery shared by the optimizer exercises of A3: running, comparing, contracts.

Shapes: P any parameter shape, shared by theta, grad and every array in an optimizer's state;
S steps.  A case is ``(theta0, grads, hyper)`` with grads (S, P...).  Every step function
starts from an empty state ``{}``; ``_expect_path`` compares the student's path
theta_0..theta_S with a reference update rule and names the catalogued mistake that
reproduces it, ``_contract`` checks the returned pair, theta's shape, the state's keys and
that no argument is changed in place.  Every exercise compares with ``close(..., atol=ATOL)``.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ...optim import optimizers, paths, rules
from .._core import GradingError, call, case_rng, close, lookup, record_secret

_OPT_FORBIDDEN = [rules.sgd_update, rules.adagrad_update, rules.rmsprop_update,
                  rules.adam_update, rules._sgd, rules._adagrad, rules._rmsprop, rules._adam,
                  paths.trajectory, optimizers.Optimizer.step]
ATOL = 1e-9  # the absolute tolerance of A3's comparisons (close's rtol, 1e-6, as it is)


def _pair(out, name: str, shape, hidden: bool):
    """The (theta_new, state) an optimizer step returned, checked; theta_new copied."""
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise GradingError(f"{name} must return a pair (theta_new, state)")
    theta, state = out
    if not isinstance(state, dict):
        raise GradingError(f"{name} must return the new state as a dict, the second item of the "
                           f"pair; got {type(state).__name__}")
    try:
        theta = np.array(theta, dtype=float)
    except (TypeError, ValueError):
        raise GradingError(f"{name} must return theta_new as a numeric array") from None
    if theta.shape != tuple(shape):
        if hidden:
            raise GradingError(f"{name} returned theta_new whose shape is not the shape of "
                               f"theta on a hidden case (the update is elementwise)")
        raise GradingError(f"{name} returned theta_new of shape {theta.shape}; expected shape "
                           f"{tuple(shape)}, the shape of theta (the update is elementwise)")
    return theta, state


def _path(step, case) -> np.ndarray | None:
    """The path theta_0..theta_S of a reference or catalogued step (None if it cannot run)."""
    theta0, grads, hyper = case
    theta, state, path = theta0.copy(), {}, [theta0.copy()]
    try:
        with np.errstate(all="ignore"):
            for g in grads:
                theta, state = step(theta.copy(), g.copy(), state, **hyper)
                path.append(np.array(theta, dtype=float))
    except Exception:  # a catalogued mistake that cannot run on this case
        return None
    return np.stack(path)


def _student_path(f, name: str, case, hidden: bool) -> np.ndarray:
    theta0, grads, hyper = case
    theta, state, path = theta0.copy(), {}, [theta0.copy()]
    with np.errstate(all="ignore"):  # a NaN gets its own hint; no warning noise
        for g in grads:
            out = call(f, name, (theta.copy(), g.copy(), state), dict(hyper), _OPT_FORBIDDEN)
            theta, state = _pair(out, name, theta0.shape, hidden)
            path.append(theta.copy())
    return np.stack(path)


def _expect_path(ns, name: str, reference, cases, wrong, hidden: bool, describe,
                 nonfinite_hint: str = "") -> None:
    """The student's step, run from an empty state on each case, must follow ``reference``."""
    f = lookup(ns, name)
    got = [_student_path(f, name, c, hidden) for c in cases]
    want = [_path(reference, c) for c in cases]
    for w in want:  # the final point (fewer logged numbers, fewer chance look-alikes)
        record_secret(w[-1])
    bad = [i for i in range(len(cases)) if not close(got[i], want[i], atol=ATOL)]
    if not bad:
        return
    i = bad[0]
    where = " on a hidden case" if hidden else f" for {describe(cases[i])}"
    overall, matching = [], []
    for fn, hint in wrong:
        alt = [_path(fn, c) for c in cases]
        ok = [a is not None and close(g, a, atol=ATOL) for g, a in zip(got, alt)]
        if ok[i]:
            (overall if all(ok) else matching).append(hint)
    for hint in overall or matching:
        raise GradingError(f"{name}{where}: {hint}")
    rows_ok = [close(r, w, atol=ATOL) for r, w in zip(got[i], want[i])]
    k = rows_ok.index(False)
    if not np.all(np.isfinite(got[i][k])):
        raise GradingError(f"{name}{where}: theta becomes NaN or inf at step {k}"
                           f"{nonfinite_hint or ''}")
    after = (" (the steps before it agree: check what the state carries to the next call)"
             if k > 1 else " (already the first step)")
    raise GradingError(f"{name}{where}: theta after step {k} does not match the expected "
                       f"update{after}")


def _mistakes(step, hints: dict, **fixed) -> list:
    """The catalogue ``[(step with mistake=key, hint), ...]`` of a reference-like step."""
    return [(partial(step, mistake=mistake, **fixed), hint) for mistake, hint in hints.items()]


def _path_part(name: str, reference, cases, wrong, nonfinite_hint: str = ""):
    """Part "values": ``name`` run on ``cases(hidden)`` must follow ``reference``."""
    def part(ns, ctx, hidden):
        _expect_path(ns, name, reference, cases(hidden), wrong, hidden, _describe,
                     nonfinite_hint)
    return part


def _grads(rng, shape, steps: int, scales=None) -> np.ndarray:
    """A gradient sequence (S, P...) with a drift, so velocities and averages build up."""
    g = 0.7 * rng.normal(size=shape) + rng.normal(size=(steps,) + tuple(shape))
    return g * np.asarray(scales, dtype=float) if scales is not None else g


def _cases(rng: np.random.Generator, specs):
    """specs: (shape, steps, hyper, scales of the last axis or None) -> (theta0, grads, hyper),
    drawn from ``rng`` (``case_rng(seed, hidden)``)."""
    return [(rng.normal(size=shape), _grads(rng, shape, steps, scales), hyper)
            for shape, steps, hyper, scales in specs]


def _describe(case) -> str:
    theta0, grads, hyper = case
    hp = ", ".join(f"{k}={v}" for k, v in hyper.items())
    return f"the visible case (theta of shape {theta0.shape}, {len(grads)} steps, {hp})"


def _contract(name: str, hyper: dict, keys: tuple, seed: int):
    """Part "shape": the pair, theta's shape, the state's keys, no argument changed in place."""
    def part(ns, ctx, hidden):
        f = lookup(ns, name)
        rng = case_rng(seed + int(hidden), hidden)
        for shape in ([(5,), (2, 3, 2)] if hidden else [(3, 4)]):
            theta, state = rng.normal(size=shape), {}
            for t in (1, 2):
                grad = rng.normal(size=shape)
                theta_in, grad_in = theta.copy(), grad.copy()
                with np.errstate(all="ignore"):
                    out = call(f, name, (theta_in, grad_in, state), dict(hyper),
                               _OPT_FORBIDDEN)
                if not np.array_equal(theta_in, theta, equal_nan=True):
                    raise GradingError(f"{name} changed theta in place (theta -= ...); return a "
                                       f"new array, theta_new = theta - ..., and leave the "
                                       f"argument as it was")
                if not np.array_equal(grad_in, grad, equal_nan=True):
                    raise GradingError(f"{name} changed grad in place; compute the modified "
                                       f"gradient in a new array (g = grad + ...)")
                theta, state = _pair(out, name, shape, hidden)
                for key in keys:
                    _state_key(name, state, key, shape, t, hidden)
    return part


def _state_key(name, state, key, shape, t, hidden):
    if key not in state:
        raise GradingError(f"{name}: the returned state has no key {key!r} (torch.optim's name "
                           f"for it); keys found: {sorted(map(str, state))}")
    value = state[key]
    if key == "step":
        ok = isinstance(value, (int, float, np.integer, np.floating)) and value == t
        if not ok:
            raise GradingError(f"{name}: state['step'] counts the steps taken, as in torch: 1 "
                               f"after the first call, 2 after the second; it is {value!r} after "
                               f"call {t}")
        return
    arr = np.asarray(value) if isinstance(value, np.ndarray) else None
    if arr is None or arr.shape != tuple(shape):
        got = f"shape {arr.shape}" if arr is not None else type(value).__name__
        want = "theta's shape" if hidden else f"theta's shape {tuple(shape)}"
        raise GradingError(f"{name}: state[{key!r}] must be an array of {want}; got {got}")
