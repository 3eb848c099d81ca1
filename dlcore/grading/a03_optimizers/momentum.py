"""Exercises 1 and 2 of A3: SGD with momentum and weight decay, and Nesterov momentum.

Names the notebook defines (shapes: P any parameter shape):

1. ``sgd_momentum_step(theta, grad, state, lr, momentum=0.0, weight_decay=0.0)``
   -> ``(theta_new, state)``; state key ``"momentum_buffer"``.
2. ``nesterov_step(theta, grad, state, lr, momentum, weight_decay=0.0)``, the same contract.

The reference is ``optim.rules.sgd_update`` (which agrees with torch.optim.SGD).
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ...optim import rules
from .._core import Exercise, case_rng
from ._common import _cases, _contract, _mistakes, _path_part

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


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


_SGD_MOMENTUM_WRONG = _mistakes(_sgd_like, {
    "lr_twice":
        "the learning rate is applied twice: keep the velocity in units of the gradient "
        "(v = momentum * v + g, theta -= lr * v), or in units of the step (u = momentum * u + "
        "lr * g, theta -= u), not lr in both",
    "gamma_on_g":
        "momentum multiplies the gradient instead of the old velocity: v = momentum * v + g (the "
        "old velocity decays by the factor momentum, the new gradient enters whole)",
    "ema":
        "that is an exponential moving average v = momentum * v + (1 - momentum) * g, which "
        "shrinks every step by (1 - momentum); SGD's momentum is v = momentum * v + g",
    "no_carry":
        "the velocity is not carried from one call to the next: store it in "
        "state['momentum_buffer'] and start from it at the next call",
    "ascent": "theta moves up the gradient: the update is theta <- theta - lr * v",
})
SGD_WD_WRONG = _mistakes(_sgd_like, {
    "wd_missing":
        "weight_decay has no effect: the L2 penalty (weight_decay / 2) ||theta||^2 adds "
        "weight_decay * theta to the gradient",
    "wd_sign":
        "the decay term has the wrong sign: g = grad + weight_decay * theta pulls theta towards 0",
    "wd_outside":
        "the decay term is added to the step after the momentum buffer; as in torch.optim.SGD it "
        "belongs in the gradient before the buffer: g = grad + weight_decay * theta, then "
        "v = momentum * v + g",
    "wd_double":
        "the decay term is twice too large: the gradient of (weight_decay / 2) ||theta||^2 is "
        "weight_decay * theta",
    "wd_half":
        "the decay term is half of what it should be: the gradient of (weight_decay / 2) "
        "||theta||^2 is weight_decay * theta",
}) + _SGD_MOMENTUM_WRONG


def _sgd_cases(kind: str, hidden: bool):
    if not hidden:
        wd = 0.1 if kind == "weight_decay" else 0.0
        return _cases(case_rng(3100, hidden=False),
                      [((2, 3), 10, {"lr": 0.1, "momentum": 0.9, "weight_decay": wd}, None)])
    if kind == "momentum":
        specs = [((5,), 40, {"lr": 0.05, "momentum": 0.5}, None),
                 ((3, 2), 30, {"lr": 0.02, "momentum": 0.95}, None),
                 ((4,), 25, {"lr": 0.1, "momentum": 0.0}, None),
                 ((2, 2, 2), 30, {"lr": 0.01, "momentum": 0.99}, None)]
        return _cases(case_rng(3101, hidden=True),
                      [(s, n, dict(h, weight_decay=0.0), c) for s, n, h, c in specs])
    specs = [((5,), 40, {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.3}, None),
             ((3, 2), 30, {"lr": 0.1, "momentum": 0.0, "weight_decay": 0.2}, None),
             ((4,), 50, {"lr": 0.01, "momentum": 0.9, "weight_decay": 0.01}, None)]
    return _cases(case_rng(3102, hidden=True), specs)


def _sgd_part(kind: str):
    wrong = _SGD_MOMENTUM_WRONG if kind == "momentum" else SGD_WD_WRONG
    return _path_part("sgd_momentum_step", rules.sgd_update, partial(_sgd_cases, kind), wrong)


EXERCISES["sgd_momentum"] = Exercise(
    "SGD with momentum and weight decay",
    {"shape": _contract("sgd_momentum_step", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1},
                        ("momentum_buffer",), 3110),
     "momentum": _sgd_part("momentum"), "weight_decay": _sgd_part("weight_decay")})


# -- 2. Nesterov momentum ----------------------------------------------------------------------
NAG_WRONG = _mistakes(_sgd_like, {
    "nag_sign":
        "the look-ahead term has the wrong sign: Nesterov's step is lr * (g + momentum * v), with "
        "v = momentum * v + g already updated",
    "heavy_ball":
        "that is heavy-ball momentum (theta -= lr * v); Nesterov looks ahead: "
        "theta -= lr * (g + momentum * v)",
    "lr_twice":
        "the learning rate is applied twice: v = momentum * v + g is in units of the gradient, "
        "and lr multiplies only the final step",
}, nesterov=True)


def _nag_cases(hidden: bool):
    rng = case_rng(3201 if hidden else 3200, hidden)
    if not hidden:
        return _cases(rng, [((2, 3), 10, {"lr": 0.1, "momentum": 0.9}, None)])
    return _cases(rng, [((5,), 40, {"lr": 0.05, "momentum": 0.6}, None),
                        ((3, 2), 30, {"lr": 0.02, "momentum": 0.95, "weight_decay": 0.1},
                         None),
                        ((4,), 25, {"lr": 0.1, "momentum": 0.3}, None)])


EXERCISES["nesterov"] = Exercise("Nesterov momentum", {"values": _path_part(
    "nesterov_step", partial(rules.sgd_update, nesterov=True), _nag_cases, NAG_WRONG)})
