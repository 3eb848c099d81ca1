"""Checks for assignment A3, optimizers and training tricks (lectures 8 and 9).

Exercises and the names the notebook defines (shapes: P any parameter shape, shared by theta,
grad and every array in an optimizer's state; N batch, D features):

1. ``sgd_momentum_step(theta, grad, state, lr, momentum=0.0, weight_decay=0.0)``
   -> ``(theta_new, state)``; state key ``"momentum_buffer"``.
2. ``nesterov_step(theta, grad, state, lr, momentum, weight_decay=0.0)``, the same contract.
3. ``adagrad_step(theta, grad, state, lr=1e-2, eps=1e-10)``; key ``"sum"``.
4. ``rmsprop_step(theta, grad, state, lr=1e-2, alpha=0.99, eps=1e-8)``; key ``"square_avg"``.
5. ``adam_step(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8)``; keys ``"step"``
   (1 after the first call), ``"exp_avg"``, ``"exp_avg_sq"``.
6. ``max_stable_lr(h, momentum=0.0)``: the largest stable learning rate of gradient descent with
   heavy-ball momentum on a quadratic with curvature h (a number, or a 1-D array of the
   Hessian's eigenvalues).
7. ``dropout_forward(x, p, training=True, rng=None) -> (out, cache)`` and
   ``dropout_backward(dout, cache) -> dx``; x any shape, mask ``rng.random(x.shape) >= p``.
8. ``batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1,
   eps=1e-5) -> (out, cache)`` (running stats updated in place) and
   ``batchnorm_backward(dout, cache) -> (dx, dgamma, dbeta)``; x (N, D), the rest (D,).

Every optimizer step starts from an empty state ``{}`` and runs for many steps on a seeded
gradient sequence; the parameter path is compared with ``dlcore.optim``'s update rules (which
agree with torch.optim).  Dropout and batch norm are compared with ``dlcore.layers`` (the same
seed gives the same dropout mask), stability limits with ``optim.stability_limit``.  A
mismatch that one of the catalogued mistakes reproduces gets that mistake's hint; no message
shows an expected value or a hidden input.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from .. import gradcheck, layers
from ..nn.layers import BatchNorm1d, Dropout
from ..optim import optimizers, paths, rules
from ._core import Assignment, Exercise, GradingError, call, expect_function, lookup, record_secret

__all__ = ["checker", "ASSIGNMENT"]

ASSIGNMENT = Assignment("a03_optimizers")
checker = ASSIGNMENT.checker

_OPT_FORBIDDEN = [rules.sgd_update, rules.adagrad_update, rules.rmsprop_update,
                  rules.adam_update, rules._sgd, rules._adagrad, rules._rmsprop, rules._adam,
                  paths.trajectory, optimizers.Optimizer.step]
_RTOL, _ATOL = 1e-6, 1e-9


def _close(a, b, rtol=_RTOL, atol=_ATOL) -> bool:
    try:
        a = np.asarray(a, dtype=float)
    except (TypeError, ValueError):
        return False
    b = np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.all(np.isfinite(a))) and \
        bool(np.all(np.abs(a - b) <= atol + rtol * np.abs(b)))


# == optimizer steps: running, comparing, contracts ============================================
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
    bad = [i for i in range(len(cases)) if not _close(got[i], want[i])]
    if not bad:
        return
    i = bad[0]
    where = " on a hidden case" if hidden else f" for {describe(cases[i])}"
    overall, matching = [], []
    for fn, hint in wrong:
        alt = [_path(fn, c) for c in cases]
        ok = [a is not None and _close(g, a) for g, a in zip(got, alt)]
        if ok[i]:
            (overall if all(ok) else matching).append(hint)
    for hint in overall or matching:
        raise GradingError(f"{name}{where}: {hint}")
    rows_ok = [_close(r, w) for r, w in zip(got[i], want[i])]
    k = rows_ok.index(False)
    if not np.all(np.isfinite(got[i][k])):
        raise GradingError(f"{name}{where}: theta becomes NaN or inf at step {k}"
                           f"{nonfinite_hint or ''}")
    after = (" (the steps before it agree: check what the state carries to the next call)"
             if k > 1 else " (already the first step)")
    raise GradingError(f"{name}{where}: theta after step {k} does not match the expected "
                       f"update{after}")


def _grads(rng, shape, steps: int, scales=None) -> np.ndarray:
    """A gradient sequence (S, P...) with a drift, so velocities and averages build up."""
    g = 0.7 * rng.normal(size=shape) + rng.normal(size=(steps,) + tuple(shape))
    return g * np.asarray(scales, dtype=float) if scales is not None else g


def _cases(seed: int, specs):
    """specs: (shape, steps, hyper, scales of the last axis or None) -> (theta0, grads, hyper)."""
    rng = np.random.default_rng(seed)
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
        rng = np.random.default_rng(seed + int(hidden))
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


# -- 1. SGD with momentum and weight decay ----------------------------------------------------
def _sgd_like(theta, grad, state, lr, momentum=0.0, weight_decay=0.0, *, nesterov=False,
              mistake=None):
    """SGD with momentum in torch's form, or one catalogued mistake of it."""
    state = dict(state)
    g = grad + weight_decay * theta
    if mistake == "wd_sign":
        g = grad - weight_decay * theta
    elif mistake in ("wd_missing", "wd_outside"):
        g = grad
    elif mistake == "wd_double":
        g = grad + 2 * weight_decay * theta
    elif mistake == "wd_half":
        g = grad + 0.5 * weight_decay * theta
    old = state.get("v", np.zeros_like(theta))
    if mistake == "lr_twice":
        v = momentum * old + lr * g
    elif mistake == "gamma_on_g":
        v = old + momentum * g
    elif mistake == "ema":
        v = momentum * old + (1 - momentum) * g
    elif mistake == "no_carry":
        v = g
    else:
        v = momentum * old + g
    state["v"] = v
    if nesterov:
        d = {"nag_sign": g - momentum * v, "heavy_ball": v}
        step = d.get(mistake, g + momentum * v)
    else:
        step = v
    if mistake == "wd_outside":
        step = step + weight_decay * theta
    if mistake == "ascent":
        return theta + lr * step, state
    return theta - lr * step, state


_SGD_MOMENTUM_WRONG = [
    (partial(_sgd_like, mistake="lr_twice"),
     "the learning rate is applied twice: keep the velocity in units of the gradient "
     "(v = momentum * v + g, theta -= lr * v), or in units of the step (u = momentum * u + "
     "lr * g, theta -= u), not lr in both"),
    (partial(_sgd_like, mistake="gamma_on_g"),
     "momentum multiplies the gradient instead of the old velocity: v = momentum * v + g (the "
     "old velocity decays by gamma, the new gradient enters whole)"),
    (partial(_sgd_like, mistake="ema"),
     "that is an exponential moving average v = momentum * v + (1 - momentum) * g, which "
     "shrinks every step by (1 - momentum); SGD's momentum is v = momentum * v + g"),
    (partial(_sgd_like, mistake="no_carry"),
     "the velocity is not carried from one call to the next: store it in "
     "state['momentum_buffer'] and start from it at the next call"),
    (partial(_sgd_like, mistake="ascent"),
     "theta moves up the gradient: the update is theta <- theta - lr * v"),
]
_SGD_WD_WRONG = [
    (partial(_sgd_like, mistake="wd_missing"),
     "weight_decay has no effect: the L2 penalty (weight_decay / 2) ||theta||^2 adds "
     "weight_decay * theta to the gradient"),
    (partial(_sgd_like, mistake="wd_sign"),
     "the decay term has the wrong sign: g = grad + weight_decay * theta pulls theta towards 0"),
    (partial(_sgd_like, mistake="wd_outside"),
     "the decay term is added to the step after the momentum buffer; as in torch.optim.SGD it "
     "belongs in the gradient before the buffer: g = grad + weight_decay * theta, then "
     "v = momentum * v + g"),
    (partial(_sgd_like, mistake="wd_double"),
     "the decay term is twice too large: the gradient of (weight_decay / 2) ||theta||^2 is "
     "weight_decay * theta"),
    (partial(_sgd_like, mistake="wd_half"),
     "the decay term is half of what it should be: the gradient of (weight_decay / 2) "
     "||theta||^2 is weight_decay * theta"),
] + _SGD_MOMENTUM_WRONG


def _sgd_cases(kind: str, hidden: bool):
    if not hidden:
        wd = 0.1 if kind == "weight_decay" else 0.0
        return _cases(3100, [((2, 3), 10, {"lr": 0.1, "momentum": 0.9, "weight_decay": wd},
                              None)])
    if kind == "momentum":
        specs = [((5,), 40, {"lr": 0.05, "momentum": 0.5}, None),
                 ((3, 2), 30, {"lr": 0.02, "momentum": 0.95}, None),
                 ((4,), 25, {"lr": 0.1, "momentum": 0.0}, None),
                 ((2, 2, 2), 30, {"lr": 0.01, "momentum": 0.99}, None)]
        return _cases(3101, [(s, n, dict(h, weight_decay=0.0), c) for s, n, h, c in specs])
    specs = [((5,), 40, {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.3}, None),
             ((3, 2), 30, {"lr": 0.1, "momentum": 0.0, "weight_decay": 0.2}, None),
             ((4,), 50, {"lr": 0.01, "momentum": 0.9, "weight_decay": 0.01}, None)]
    return _cases(3102, specs)


def _sgd_part(kind: str):
    wrong = _SGD_MOMENTUM_WRONG if kind == "momentum" else _SGD_WD_WRONG

    def part(ns, ctx, hidden):
        _expect_path(ns, "sgd_momentum_step", rules.sgd_update, _sgd_cases(kind, hidden), wrong,
                     hidden, _describe)
    return part


ASSIGNMENT.exercises["sgd_momentum"] = Exercise(
    "SGD with momentum and weight decay",
    {"shape": _contract("sgd_momentum_step", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1},
                        ("momentum_buffer",), 3110),
     "momentum": _sgd_part("momentum"), "weight_decay": _sgd_part("weight_decay")})


# -- 2. Nesterov momentum ----------------------------------------------------------------------
_NAG_WRONG = [
    (partial(_sgd_like, nesterov=True, mistake="nag_sign"),
     "the look-ahead term has the wrong sign: Nesterov's step is lr * (g + momentum * v), with "
     "v = momentum * v + g already updated"),
    (partial(_sgd_like, nesterov=True, mistake="heavy_ball"),
     "that is heavy-ball momentum (theta -= lr * v); Nesterov looks ahead: "
     "theta -= lr * (g + momentum * v)"),
    (partial(_sgd_like, nesterov=True, mistake="lr_twice"),
     "the learning rate is applied twice: v = momentum * v + g is in units of the gradient, "
     "and lr multiplies only the final step"),
]


def _nag_cases(hidden: bool):
    if not hidden:
        return _cases(3200, [((2, 3), 10, {"lr": 0.1, "momentum": 0.9}, None)])
    return _cases(3201, [((5,), 40, {"lr": 0.05, "momentum": 0.6}, None),
                         ((3, 2), 30, {"lr": 0.02, "momentum": 0.95, "weight_decay": 0.1},
                          None),
                         ((4,), 25, {"lr": 0.1, "momentum": 0.3}, None)])


def _nag_values(ns, ctx, hidden):
    _expect_path(ns, "nesterov_step", partial(rules.sgd_update, nesterov=True),
                 _nag_cases(hidden), _NAG_WRONG, hidden, _describe)


ASSIGNMENT.exercises["nesterov"] = Exercise("Nesterov momentum", {"values": _nag_values})


# -- 3. Adagrad --------------------------------------------------------------------------------
def _adagrad_like(theta, grad, state, lr=1e-2, eps=1e-10, *, mistake=None):
    state = dict(state)
    old = state.get("G", np.zeros_like(theta))
    G = grad * grad if mistake == "no_sum" else old + grad * grad
    state["G"] = G
    if mistake == "eps_inside":
        denom = np.sqrt(G + eps)
    elif mistake == "no_sqrt":
        denom = G + eps
    elif mistake == "old_sum":
        denom = np.sqrt(old) + eps
    else:
        denom = np.sqrt(G) + eps
    return theta - lr * grad / denom, state


_EPS_INSIDE = ("eps is inside the square root; this exercise (as torch.optim) adds it outside: "
               "g / (sqrt(G) + eps). Inside, it acts like an eps of sqrt(eps), which matters for "
               "small gradients")
_ADAGRAD_WRONG = [
    (partial(_adagrad_like, mistake="eps_inside"), _EPS_INSIDE),
    (partial(_adagrad_like, mistake="no_sum"),
     "G must accumulate ALL past squared gradients (G += g * g); with only this step's g^2 "
     "every step has size lr, whatever the gradient"),
    (partial(_adagrad_like, mistake="no_sqrt"),
     "divide by the SQUARE ROOT of the accumulated squares: g / (sqrt(G) + eps)"),
    (partial(_adagrad_like, mistake="old_sum"),
     "add this step's g^2 to G before dividing; with the old G the first step divides by eps "
     "alone"),
]


def _adagrad_cases(hidden: bool):
    if not hidden:
        return _cases(3300, [((2, 3), 10, {"lr": 0.1, "eps": 1e-10}, [1.0, 1e-2, 1e-4])])
    return _cases(3301, [((5,), 40, {"lr": 0.5, "eps": 1e-3}, None),
                         ((3, 4), 30, {"lr": 0.05, "eps": 1e-10}, [1.0, 1e-3, 1e-5, 10.0]),
                         ((4,), 50, {"lr": 1.0, "eps": 1e-6}, [1e-2])])


def _adagrad_values(ns, ctx, hidden):
    _expect_path(ns, "adagrad_step", rules.adagrad_update, _adagrad_cases(hidden),
                 _ADAGRAD_WRONG, hidden, _describe,
                 ": look for a division by zero (is eps added to the denominator?)")


ASSIGNMENT.exercises["adagrad"] = Exercise(
    "Adagrad", {"shape": _contract("adagrad_step", {"lr": 0.1, "eps": 1e-10}, ("sum",), 3310),
                "values": _adagrad_values})


# -- 4. RMSProp --------------------------------------------------------------------------------
def _rmsprop_like(theta, grad, state, lr=1e-2, alpha=0.99, eps=1e-8, *, mistake=None):
    state = dict(state)
    if "s" not in state:
        old = grad * grad if mistake == "init_g2" else np.zeros_like(theta)
    else:
        old = state["s"]
    if mistake == "swapped":
        s = (1 - alpha) * old + alpha * grad * grad
    elif mistake == "adagrad":
        s = old + grad * grad
    else:
        s = alpha * old + (1 - alpha) * grad * grad
    state["s"] = s
    if mistake == "eps_inside":
        denom = np.sqrt(s + eps)
    elif mistake == "no_sqrt":
        denom = s + eps
    else:
        denom = np.sqrt(s) + eps
    return theta - lr * grad / denom, state


_RMSPROP_WRONG = [
    (partial(_rmsprop_like, mistake="swapped"),
     "alpha and 1 - alpha are swapped: s = alpha * s + (1 - alpha) * g^2 keeps most of the old "
     "average (alpha = 0.99 by default) and mixes in a little of the new g^2"),
    (partial(_rmsprop_like, mistake="eps_inside"), _EPS_INSIDE),
    (partial(_rmsprop_like, mistake="adagrad"),
     "s accumulates every g^2 like Adagrad; RMSProp keeps a moving average: "
     "s = alpha * s + (1 - alpha) * g^2"),
    (partial(_rmsprop_like, mistake="init_g2"),
     "the average must start at 0 (torch's square_avg starts as zeros), so after the first "
     "step s = (1 - alpha) * g^2; it does not start at g^2"),
    (partial(_rmsprop_like, mistake="no_sqrt"),
     "divide by the SQUARE ROOT of the average: g / (sqrt(s) + eps)"),
]


def _rmsprop_cases(hidden: bool):
    if not hidden:
        return _cases(3400, [((2, 3), 10, {"lr": 0.01, "alpha": 0.9, "eps": 1e-8},
                              [1.0, 1e-3, 1e-5])])
    return _cases(3401, [((5,), 40, {"lr": 0.01, "alpha": 0.99, "eps": 1e-8}, None),
                         ((3, 4), 30, {"lr": 0.001, "alpha": 0.95, "eps": 1e-6},
                          [1.0, 1e-2, 1e-4, 10.0]),
                         ((4,), 60, {"lr": 0.05, "alpha": 0.8, "eps": 1e-8}, [1e-3])])


def _rmsprop_values(ns, ctx, hidden):
    _expect_path(ns, "rmsprop_step", rules.rmsprop_update, _rmsprop_cases(hidden),
                 _RMSPROP_WRONG, hidden, _describe,
                 ": look for a division by zero (is eps added to the denominator?)")


ASSIGNMENT.exercises["rmsprop"] = Exercise(
    "RMSProp", {"shape": _contract("rmsprop_step", {"lr": 0.01, "alpha": 0.9, "eps": 1e-8},
                                   ("square_avg",), 3410),
                "values": _rmsprop_values})


# -- 5. Adam -----------------------------------------------------------------------------------
def _adam_like(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, *, mistake=None):
    state = dict(state)
    b1, b2 = betas
    t = state.get("t", 0) + 1
    m = b1 * state.get("m", 0.0) + (1 - b1) * grad
    v = b2 * state.get("v", 0.0) + (1 - b2) * grad * grad
    state.update(t=t, m=m, v=v)
    tc = t + 1 if mistake == "t_plus_one" else t
    m_hat = m if mistake in ("no_correction", "no_m_correction") else m / (1 - b1 ** tc)
    v_hat = v if mistake in ("no_correction", "no_v_correction") else v / (1 - b2 ** tc)
    denom = np.sqrt(v_hat + eps) if mistake == "eps_inside" else np.sqrt(v_hat) + eps
    return theta - lr * m_hat / denom, state


_ADAM_WRONG = [
    (partial(_adam_like, mistake="no_m_correction"),
     "m is not bias-corrected: m starts at 0, so m = (1 - beta1) g at t = 1 and the early "
     "steps are about 10x too small with beta1 = 0.9; use m_hat = m / (1 - beta1**t)"),
    (partial(_adam_like, mistake="no_correction"),
     "there is no bias correction: m and v start at 0, so early m and v are too small by the "
     "factors (1 - beta1**t) and (1 - beta2**t); divide by them (m_hat, v_hat)"),
    (partial(_adam_like, mistake="no_v_correction"),
     "v is not bias-corrected: v = (1 - beta2) g^2 at t = 1, so the early steps are far too "
     "large; use v_hat = v / (1 - beta2**t)"),
    (partial(_adam_like, mistake="t_plus_one"),
     "the bias correction uses the wrong step count: t is 1 at the first step (1 - beta**1), "
     "2 at the second, ... (increment t once per call, before using it)"),
    (partial(_adam_like, mistake="eps_inside"),
     "eps is inside the square root; Adam (as torch.optim) adds it outside: "
     "m_hat / (sqrt(v_hat) + eps)"),
]
_ADAM_NONFINITE = (": if t starts at 0, 1 - beta**t is 0 at the first step and the bias "
                   "correction divides by zero; t counts the steps from 1 (increment it before "
                   "using it)")


def _adam_cases(hidden: bool):
    if not hidden:
        return _cases(3500, [((2, 3), 12, {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8},
                              [1.0, 1e-2, 1e-4])])
    return _cases(3501, [
        ((5,), 50, {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-8}, None),
        ((3, 4), 40, {"lr": 0.001, "betas": (0.95, 0.9999), "eps": 1e-6},
         [1.0, 1e-3, 1e-5, 10.0]),
        ((4,), 30, {"lr": 0.1, "betas": (0.0, 0.9), "eps": 1e-3}, [1e-2])])


def _adam_values(ns, ctx, hidden):
    _expect_path(ns, "adam_step", rules.adam_update, _adam_cases(hidden), _ADAM_WRONG, hidden,
                 _describe, _ADAM_NONFINITE)


ASSIGNMENT.exercises["adam"] = Exercise(
    "Adam", {"shape": _contract("adam_step", {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8},
                                ("step", "exp_avg", "exp_avg_sq"), 3510),
             "values": _adam_values})


# -- 6. stability limits -----------------------------------------------------------------------
def _hmax(h) -> float:
    return float(np.max(np.asarray(h, dtype=float)))


def _limit_ref(h, momentum=0.0):
    return paths.stability_limit(_hmax(h), "momentum", momentum)


def _limit_wrong(kind):
    def fn(h, momentum=0.0):
        hs = np.atleast_1d(np.asarray(h, dtype=float))
        top, b = hs.max(), momentum
        formulas = {"one_over_h": lambda: (1 + b) / top, "no_beta": lambda: 2 / top,
                    "one_minus_beta": lambda: 2 * (1 - b) / top,
                    "over_beta": lambda: 2 / ((1 + b) * top),
                    "nag": lambda: 2 * (1 + b) / ((1 + 2 * b) * top),
                    "min_h": lambda: 2 * (1 + b) / hs.min(),
                    "mean_h": lambda: 2 * (1 + b) / hs.mean(),
                    "sum_h": lambda: 2 * (1 + b) / hs.sum()}
        return formulas[kind]()
    return fn


_LIMIT_WRONG = [
    (_limit_wrong("one_over_h"),
     "1/h is the learning rate whose step lands exactly on the minimum (eta h = 1), not the "
     "largest stable one: gradient descent still converges while |1 - eta h| < 1, so up to "
     "twice that (and momentum widens the range by the same factor as in your answer)"),
    (_limit_wrong("no_beta"),
     "that is plain gradient descent's limit 2/h; heavy-ball momentum widens it by the factor "
     "(1 + beta)"),
    (_limit_wrong("one_minus_beta"),
     "the limit grows with the momentum: 2 (1 + beta) / h, not 2 (1 - beta) / h"),
    (_limit_wrong("over_beta"),
     "momentum multiplies the limit by (1 + beta); it does not divide it"),
    (_limit_wrong("nag"),
     "that is Nesterov's limit; the exercise asks for heavy-ball momentum"),
    (_limit_wrong("min_h"),
     "with several curvatures the steepest direction (the LARGEST h) diverges first, so it "
     "sets the limit"),
    (_limit_wrong("mean_h"),
     "the largest curvature sets the limit, not the mean of the curvatures"),
    (_limit_wrong("sum_h"),
     "the largest curvature sets the limit, not the sum of the curvatures"),
]


def _limit_cases(kind: str, hidden: bool):
    if not hidden:
        return {"gd": [((8.0,), {"momentum": 0.0}), ((0.25,), {"momentum": 0.0})],
                "momentum": [((5.0,), {"momentum": 0.6})],
                "hessian": [((np.array([0.5, 3.0, 12.0]),), {"momentum": 0.0}),
                            ((np.array([6.0, 1.5]),), {"momentum": 0.3})]}[kind]
    rng = np.random.default_rng({"gd": 3601, "momentum": 3602, "hessian": 3603}[kind])
    if kind == "hessian":
        return [((rng.uniform(0.1, 30.0, size=int(rng.integers(2, 6))),),
                 {"momentum": float(b)}) for b in (0.0, 0.45, 0.8, 0.97)]
    betas = [0.0] * 5 if kind == "gd" else list(rng.uniform(0.05, 0.98, size=5))
    return [((float(rng.uniform(0.05, 50.0)),), {"momentum": float(b)}) for b in betas]


def _limit_part(kind: str):
    def part(ns, ctx, hidden):
        f = lookup(ns, "max_stable_lr")

        def student(h, momentum=0.0):
            out = f(h, momentum=momentum)
            arr = np.asarray(out, dtype=float)
            if arr.size != 1:
                raise GradingError("max_stable_lr must return one number")
            return float(arr.reshape(()))

        def describe(args, kwargs):
            h = args[0]
            h = np.round(h, 6).tolist() if isinstance(h, np.ndarray) else h
            return f"h={h}, momentum={kwargs['momentum']}"

        expect_function(student, "max_stable_lr", _limit_ref, _limit_cases(kind, hidden),
                        _LIMIT_WRONG, forbidden=[paths.stability_limit],
                        describe=None if hidden else describe)
    return part


ASSIGNMENT.exercises["stability"] = Exercise(
    "Stability limits on a quadratic",
    {"gd": _limit_part("gd"), "momentum": _limit_part("momentum"),
     "hessian": _limit_part("hessian")})


# -- 7. inverted dropout -----------------------------------------------------------------------
_DROP_FORBIDDEN = [layers.dropout_forward, layers.dropout_backward, Dropout.forward,
                   Dropout.backward]
_KEEP_PROB = ("p is the DROP probability (as torch.nn.Dropout): zero a unit with probability p "
              "and keep it with probability 1 - p; this uses p as the keep probability (the "
              "slides' convention)")
_TEST_TIME = ("scale during training, not at test time (inverted dropout): kept units are "
              "multiplied by 1 / (1 - p) in training, so the expected output equals the input "
              "and evaluation returns x unchanged")


def _drop_run(ns, x, p, training, seed):
    f = lookup(ns, "dropout_forward")
    return call(_drop_apply, "dropout_forward", (f, x.copy(), p, training, seed), {},
                _DROP_FORBIDDEN)


def _drop_apply(f, x, p, training, seed):
    """The student's (out, cache) on x with a fresh generator seeded ``seed``, checked."""
    out = f(x, p=p, training=training, rng=np.random.default_rng(seed))
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise GradingError("dropout_forward must return a pair (out, cache)")
    try:
        arr = np.asarray(out[0], dtype=float)
    except (TypeError, ValueError):
        raise GradingError("dropout_forward must return out as a numeric array") from None
    if arr.shape != x.shape:
        raise GradingError(f"dropout_forward returned out of shape {arr.shape}; it must have "
                           f"the shape of x")
    return arr, out[1]


def _u(x, seed):
    return np.random.default_rng(seed).random(x.shape)


def _drop_ref(x, p, seed):
    return layers.dropout_forward(x, p=p, training=True, rng=np.random.default_rng(seed))[0]


_DROP_WRONG = [
    (lambda x, p, seed: x * (_u(x, seed) < p) / p, _KEEP_PROB),
    (lambda x, p, seed: x * (_u(x, seed) >= 1 - p) / p, _KEEP_PROB),
    (lambda x, p, seed: x * (_u(x, seed) >= p), _TEST_TIME),
    (lambda x, p, seed: x * (_u(x, seed) >= p) / p,
     "kept units are scaled by 1/p; inverted dropout scales them by 1 / (1 - p), the keep "
     "probability"),
    (lambda x, p, seed: x * (_u(x, seed) < 1 - p) / (1 - p),
     "the statistics are right, but the mask is not the one the exercise asks for: draw "
     "u = rng.random(x.shape) once and keep the units where u >= p, so the same seed gives "
     "the same mask as the reference"),
]


def _drop_statistics(ns, ctx, hidden):
    for p, seed in ([(0.35, 3711), (0.7, 3712)] if hidden else [(0.2, 3710)]):
        out, _ = _drop_run(ns, np.ones((400, 250)), p, True, seed)
        dropped, mean = float(np.mean(out == 0)), float(np.mean(out))
        shown = "" if hidden else f" (p = {p})"
        if abs(dropped - p) > 0.01:
            if abs(dropped - (1 - p)) <= 0.01:
                raise GradingError(f"dropout_forward{shown}: {_KEEP_PROB}")
            if dropped == 0:
                raise GradingError(f"dropout_forward{shown}: no unit was dropped in training "
                                   f"mode")
            raise GradingError(f"dropout_forward{shown}: the fraction of zeroed units must be "
                               f"about p")
        if abs(mean - 1.0) > 0.025:
            if abs(mean - (1 - p)) <= 0.025:
                raise GradingError(f"dropout_forward{shown}: the output's Monte-Carlo mean is "
                                   f"(1 - p) times the input: {_TEST_TIME}")
            raise GradingError(f"dropout_forward{shown}: the output's Monte-Carlo mean must "
                               f"equal the input: kept units are scaled by 1 / (1 - p)")


def _drop_cases(hidden: bool):
    rng = np.random.default_rng(3721 if hidden else 3720)
    specs = [((6, 8), 0.5), ((2, 3, 4, 4), 0.1), ((10, 3), 0.8)] if hidden else [((4, 5), 0.3)]
    return [((rng.normal(size=s), p, 3730 + i), {}) for i, (s, p) in enumerate(specs)]


def _drop_train(ns, ctx, hidden):
    cases = _drop_cases(hidden)
    for (x, p, seed), _ in cases:
        first, _ = _drop_run(ns, x, p, True, seed)
        second, _ = _drop_run(ns, x, p, True, seed)
        if not np.array_equal(first, second):
            raise GradingError("dropout_forward gives different outputs for the same seed: draw "
                               "the mask from the rng argument (u = rng.random(x.shape)), not "
                               "from np.random")
    f = lookup(ns, "dropout_forward")
    expect_function(lambda x, p, seed: _drop_apply(f, x, p, True, seed)[0], "dropout_forward",
                    _drop_ref, cases, _DROP_WRONG, forbidden=_DROP_FORBIDDEN,
                    describe=None if hidden else
                    (lambda a, k: f"the visible x of shape {a[0].shape}, p={a[1]}"))


def _drop_eval(ns, ctx, hidden):
    rng = np.random.default_rng(3741 if hidden else 3740)
    specs = [((5, 3), 0.5, False), ((2, 3, 4), 0.25, False), ((4, 4), 0.0, True)] if hidden \
        else [((3, 4), 0.4, False)]
    for i, (shape, p, training) in enumerate(specs):
        x = rng.normal(size=shape)
        out, _ = _drop_run(ns, x, p, training, 3750 + i)
        record_secret(x)
        if np.array_equal(out, x):
            continue
        mode = "in eval mode (training=False)" if not training else "with p = 0"
        if p > 0 and _close(out, (1 - p) * x):
            raise GradingError(f"dropout_forward {mode}: {_TEST_TIME}")
        if p > 0 and _close(out, x / (1 - p)):
            raise GradingError(f"dropout_forward {mode}: the 1 / (1 - p) scaling belongs to "
                               f"training only; evaluation returns x unchanged")
        if np.any((out == 0) & (x != 0)):
            raise GradingError(f"dropout_forward {mode} zeroes units; it must return x "
                               f"unchanged")
        raise GradingError(f"dropout_forward {mode} must return x unchanged (the identity)")


def _drop_gradients(ns, ctx, hidden):
    g = lookup(ns, "dropout_backward")
    rng = np.random.default_rng(3761 if hidden else 3760)
    specs = [((6, 8), 0.5, True), ((2, 3, 4), 0.2, True), ((3, 5), 0.6, False)] if hidden \
        else [((4, 5), 0.3, True)]
    for i, (shape, p, training) in enumerate(specs):
        x, dout, seed = rng.normal(size=shape), rng.normal(size=shape), 3770 + i
        out, cache = _drop_run(ns, x, p, training, seed)
        ref_out, ref_cache = layers.dropout_forward(x, p=p, training=training,
                                                    rng=np.random.default_rng(seed))
        want = layers.dropout_backward(dout, ref_cache)
        record_secret(want)
        if not _close(out, ref_out):
            raise GradingError("dropout_backward is checked with the cache of your "
                               "dropout_forward, whose output is not right yet: fix "
                               "dropout_forward first")
        dx = call(g, "dropout_backward", (dout.copy(), cache), {}, _DROP_FORBIDDEN)
        if _close(dx, want):
            continue
        where = " on a hidden case" if hidden else ""
        keep = _u(x, seed) >= p
        if training and _close(dx, dout * keep):
            raise GradingError(f"dropout_backward{where}: dx needs the forward's scale too: "
                               f"dx = dout * mask / (1 - p)")
        if training and _close(dx, dout):
            raise GradingError(f"dropout_backward{where}: dropped units get no gradient: "
                               f"dx = dout * mask / (1 - p), with the forward's mask")
        if not training:
            raise GradingError(f"dropout_backward{where}: in eval mode dropout is the identity, "
                               f"so dx = dout")
        raise GradingError(f"dropout_backward{where}: dx does not equal dout * mask / (1 - p)")


ASSIGNMENT.exercises["dropout"] = Exercise(
    "Inverted dropout", {"statistics": _drop_statistics, "train": _drop_train,
                         "eval": _drop_eval, "gradients": _drop_gradients})


# -- 8. batch norm -----------------------------------------------------------------------------
_BN_FORBIDDEN = [layers.batchnorm_forward, layers.batchnorm_backward, BatchNorm1d.forward,
                 BatchNorm1d.backward, gradcheck.numerical_gradient, gradcheck.numerical_vjp]


def _bn_like(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5,
             *, mistake=None):
    """Batch norm (N, D) with one catalogued mistake; updates the running stats in place."""
    use_batch = training or mistake == "eval_batch"
    if use_batch:
        mean = x.mean(axis=0)
        var = x.var(axis=0, ddof=1 if mistake == "ddof1" else 0)
        unbiased = x.var(axis=0, ddof=1)
        run_var = var if mistake == "biased_running" else unbiased
        m = 1 - momentum if mistake == "momentum_swapped" else momentum
        running_mean[:] = (1 - m) * running_mean + m * mean
        running_var[:] = (1 - m) * running_var + m * run_var
    else:
        mean, var = running_mean.copy(), running_var.copy()
    if mistake == "no_eps":
        x_hat = (x - mean) / np.sqrt(var)
    elif mistake == "eps_outside":
        x_hat = (x - mean) / (np.sqrt(var) + eps)
    else:
        x_hat = (x - mean) / np.sqrt(var + eps)
    return beta * x_hat + gamma if mistake == "swap_gamma_beta" else gamma * x_hat + beta


_BN_OUT_WRONG = [
    ("ddof1", "the batch variance must be the biased one (divide by N, np.var's default "
              "ddof=0); the unbiased ddof=1 variance is only used to update running_var"),
    ("no_eps", "eps is missing: normalise with sqrt(var + eps)"),
    ("eps_outside", "batch norm adds eps inside the square root: (x - mean) / sqrt(var + eps)"),
    ("swap_gamma_beta", "gamma and beta are swapped: gamma scales x_hat and beta shifts it, "
                        "out = gamma * x_hat + beta"),
]
_BN_RUNNING_WRONG = [
    ("momentum_swapped", "momentum weights the NEW batch statistic: running = (1 - momentum) * "
                         "running + momentum * batch_stat (torch's momentum = 0.1)"),
    ("biased_running", "running_var is updated with the UNBIASED batch variance (ddof=1, "
                       "N / (N - 1) times the biased one), as torch does, while the "
                       "normalisation uses the biased one"),
]


def _bn_case(rng, n, d, eps=1e-5, momentum=0.1, batches=3):
    scales = np.array([1.0, 0.1, 0.01, 3.0, 0.003, 0.5])[:d] if d <= 6 else \
        rng.uniform(0.003, 3.0, size=d)
    xs = [rng.normal(size=(n, d)) * scales + rng.normal(size=d) for _ in range(batches)]
    return xs, rng.normal(size=d), rng.normal(size=d), {"momentum": momentum, "eps": eps}


def _bn_train_cases(hidden: bool):
    rng = np.random.default_rng(3801 if hidden else 3800)
    if not hidden:
        return [_bn_case(rng, 8, 4)]
    return [_bn_case(rng, 16, 6), _bn_case(rng, 2, 3, eps=1e-3, momentum=0.3),
            _bn_case(rng, 5, 9, momentum=0.05, batches=4)]


def _bn_student(ns, x, gamma, beta, rm, rv, training, hyper):
    f = lookup(ns, "batchnorm_forward")
    out = call(f, "batchnorm_forward", (x.copy(), gamma.copy(), beta.copy(), rm, rv),
               dict(hyper, training=training), _BN_FORBIDDEN)
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise GradingError("batchnorm_forward must return a pair (out, cache)")
    try:
        arr = np.asarray(out[0], dtype=float)
    except (TypeError, ValueError):
        raise GradingError("batchnorm_forward must return out as a numeric array") from None
    return arr, out[1]


def _bn_train_run(fwd, case):
    """Outputs of the training batches in order, then the final running mean and var."""
    xs, gamma, beta, hyper = case
    d = xs[0].shape[1]
    rm, rv = np.zeros(d), np.ones(d)
    outs = [np.asarray(fwd(x, gamma, beta, rm, rv, True, hyper), dtype=float) for x in xs]
    return outs, rm, rv


def _ref_fwd(mistake=None):
    def fwd(x, gamma, beta, rm, rv, training, hyper):
        if mistake is None:
            return layers.batchnorm_forward(x, gamma, beta, rm, rv, training=training,
                                            **hyper)[0]
        return _bn_like(x, gamma, beta, rm, rv, training, mistake=mistake, **hyper)
    return fwd


def _bn_shape(ns, ctx, hidden):
    rng = np.random.default_rng(3811 if hidden else 3810)
    for n, d in ([(2, 1), (7, 5)] if hidden else [(6, 3)]):
        x, gamma, beta = rng.normal(size=(n, d)), rng.normal(size=d), rng.normal(size=d)
        for training in (True, False):
            rm, rv = np.zeros(d), np.ones(d)
            out, _ = _bn_student(ns, x, gamma, beta, rm, rv, training, {})
            if out.shape != (n, d):
                want = "the shape of x" if hidden else f"shape {(n, d)}, the shape of x"
                raise GradingError(f"batchnorm_forward returned out of shape {out.shape}; "
                                   f"expected {want} (one value per input, normalised per "
                                   f"feature over the batch axis 0)")
            if rm.shape != (d,) or rv.shape != (d,):
                raise GradingError("batchnorm_forward changed the shape of the running stats")


def _bn_train(ns, ctx, hidden):
    cases = _bn_train_cases(hidden)
    student = partial(_bn_student, ns)

    def fwd(x, gamma, beta, rm, rv, training, hyper):
        return student(x, gamma, beta, rm, rv, training, hyper)[0]

    got = [_bn_train_run(fwd, c) for c in cases]
    want = [_bn_train_run(_ref_fwd(), c) for c in cases]
    for outs, rm, rv in want:
        record_secret(tuple(outs) + (rm, rv))
    where = " on a hidden case" if hidden else " for the visible batches"
    out_ok = [all(_close(a, b) for a, b in zip(g[0], w[0])) for g, w in zip(got, want)]
    if not all(out_ok):
        for mistake, hint in _BN_OUT_WRONG:
            alt = [_bn_train_run(_ref_fwd(mistake), c) for c in cases]
            if all(all(_close(a, b) for a, b in zip(g[0], w[0])) for g, w in zip(got, alt)):
                raise GradingError(f"batchnorm_forward{where}: {hint}")
        shape = np.shape(got[0][0][0])
        if shape != np.shape(want[0][0][0]):
            raise GradingError(f"batchnorm_forward returned out of shape {shape}; it must have "
                               f"the shape of x")
        raise GradingError(f"batchnorm_forward{where}: out (training mode) does not equal "
                           f"gamma * (x - mean) / sqrt(var + eps) + beta with the batch's mean "
                           f"and biased variance per feature")
    for (_, rm, rv), (_, wm, wv), case in zip(got, want, cases):
        if _close(rm, wm) and _close(rv, wv):
            continue
        d = len(wm)
        if np.array_equal(rm, np.zeros(d)) and np.array_equal(rv, np.ones(d)):
            raise GradingError("batchnorm_forward does not update running_mean and running_var "
                               "in training mode: update them in place (running_mean[:] = "
                               "..., or *= and +=), since the function returns only (out, "
                               "cache)")
        for mistake, hint in _BN_RUNNING_WRONG:
            _, am, av = _bn_train_run(_ref_fwd(mistake), case)
            if _close(rm, am) and _close(rv, av):
                raise GradingError(f"batchnorm_forward{where}: {hint}")
        raise GradingError(f"batchnorm_forward{where}: the running statistics do not match "
                           f"running = (1 - momentum) * running + momentum * batch_stat")


def _bn_eval(ns, ctx, hidden):
    rng = np.random.default_rng(3821 if hidden else 3820)
    specs = [(5, 6, 1e-5), (3, 2, 1e-2), (12, 4, 1e-5)] if hidden else [(6, 4, 1e-5)]
    for n, d, eps in specs:
        xs, gamma, beta, hyper = _bn_case(rng, n, d, eps=eps, batches=1)
        rm0 = rng.normal(size=d)
        rv0 = rng.uniform(0.5, 2.0, size=d) * np.array([1.0, 0.01, 1e-4, 1.0, 1.0, 1.0])[:d]
        rm, rv = rm0.copy(), rv0.copy()
        out, _ = _bn_student(ns, xs[0], gamma, beta, rm, rv, False, hyper)
        want = layers.batchnorm_forward(xs[0], gamma, beta, rm0.copy(), rv0.copy(),
                                        training=False, **hyper)[0]
        record_secret(want)
        changed = not (np.array_equal(rm, rm0) and np.array_equal(rv, rv0))
        also = " (and the running stats changed: in eval mode they stay as they are)" \
            if changed else ""
        if not _close(out, want):
            if _close(out, _bn_like(xs[0], gamma, beta, rm0.copy(), rv0.copy(), False,
                                    mistake="eval_batch", **hyper)):
                raise GradingError(f"batchnorm_forward in eval mode normalises with the batch's "
                                   f"statistics; eval (training=False) uses running_mean and "
                                   f"running_var{also}")
            for mistake, hint in _BN_OUT_WRONG:
                if _close(out, _bn_like(xs[0], gamma, beta, rm0.copy(), rv0.copy(), False,
                                        mistake=mistake, **hyper)):
                    raise GradingError(f"batchnorm_forward in eval mode: {hint}{also}")
            raise GradingError(f"batchnorm_forward in eval mode must compute gamma * (x - "
                               f"running_mean) / sqrt(running_var + eps) + beta{also}")
        if changed:
            raise GradingError("batchnorm_forward updates running_mean or running_var in eval "
                               "mode (training=False); update them only in training mode")


def _bn_dx(dout, x_hat, gamma, inv_std, kind=None):
    n = x_hat.shape[0]
    g = dout if kind == "no_gamma" else dout * gamma
    if kind == "constant_stats":
        return g * inv_std
    s1 = 0.0 if kind == "no_mean_term" else g.sum(axis=0)
    s2 = 0.0 if kind == "no_var_term" else (g * x_hat).sum(axis=0)
    return inv_std / n * (n * g - s1 - x_hat * s2)


def _bn_gradients(ns, ctx, hidden):
    g_fn = lookup(ns, "batchnorm_backward")
    rng = np.random.default_rng(3831 if hidden else 3830)
    specs = [(16, 5), (2, 3), (9, 1)] if hidden else [(8, 4)]
    where = " on a hidden case" if hidden else ""
    for n, d in specs:
        xs, gamma, beta, hyper = _bn_case(rng, n, d, batches=1)
        x, dout = xs[0], rng.normal(size=(n, d))
        out, cache = _bn_student(ns, x, gamma, beta, np.zeros(d), np.ones(d), True, hyper)
        ref_out, ref_cache = layers.batchnorm_forward(x, gamma, beta, np.zeros(d), np.ones(d),
                                                      training=True, **hyper)
        if not _close(out, ref_out):
            raise GradingError("batchnorm_backward is checked with the cache of your "
                               "batchnorm_forward, whose training output is not right yet: "
                               "fix batchnorm_forward first")
        res = call(g_fn, "batchnorm_backward", (dout.copy(), cache), {}, _BN_FORBIDDEN)
        if not (isinstance(res, (tuple, list)) and len(res) == 3):
            raise GradingError("batchnorm_backward must return a triple (dx, dgamma, dbeta)")
        dx, dgamma, dbeta = layers.batchnorm_backward(dout, ref_cache)
        record_secret((dx, dgamma, dbeta))
        x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + hyper["eps"])
        inv_std = 1.0 / np.sqrt(x.var(axis=0) + hyper["eps"])
        if not _close(res[2], dbeta):
            if _close(res[2], dgamma):
                raise GradingError("batchnorm_backward: dgamma and dbeta are swapped: dbeta = "
                                   "sum of dout over the batch, dgamma = sum of dout * x_hat")
            raise GradingError(f"batchnorm_backward{where}: dbeta must have shape (D,) and "
                               f"equal the sum of dout over the batch (axis 0)")
        if not _close(res[1], dgamma):
            if _close(res[1], (dout * x).sum(axis=0)):
                raise GradingError("batchnorm_backward: dgamma multiplies dout by the "
                                   "normalised x_hat, not by x: dgamma = sum(dout * x_hat)")
            raise GradingError(f"batchnorm_backward{where}: dgamma must have shape (D,) and "
                               f"equal the sum over the batch of dout * x_hat")
        if _close(res[0], dx):
            continue
        hints = {
            "constant_stats": "dx treats the batch mean and variance as constants; in training "
                              "mode they depend on x, which adds two terms: dx = inv_std / N * "
                              "(N g - sum(g) - x_hat * sum(g * x_hat)) with g = gamma * dout",
            "no_mean_term": "dx misses the term from the batch mean, - sum(g) (g = gamma * "
                            "dout)",
            "no_var_term": "dx misses the term from the batch variance, - x_hat * sum(g * "
                           "x_hat) (g = gamma * dout)",
            "no_gamma": "dx misses gamma: the gradient that reaches x_hat is g = gamma * dout",
        }
        for kind, hint in hints.items():
            if _close(res[0], _bn_dx(dout, x_hat, gamma, inv_std, kind)):
                raise GradingError(f"batchnorm_backward: {hint}")
        raise GradingError(f"batchnorm_backward{where}: dx does not match the gradient of the "
                           f"training-mode forward")


ASSIGNMENT.exercises["batchnorm"] = Exercise(
    "Batch norm forward and backward", {"shape": _bn_shape, "train": _bn_train,
                                        "eval": _bn_eval, "gradients": _bn_gradients})
