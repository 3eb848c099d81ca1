"""Exercises 3 to 5 of A3: Adagrad, RMSProp and Adam, one step at a time.

Names the notebook defines (shapes: P any parameter shape; every state array has shape P):

3. ``adagrad_step(theta, grad, state, lr=1e-2, eps=1e-10)``; key ``"sum"``.
4. ``rmsprop_step(theta, grad, state, lr=1e-2, alpha=0.99, eps=1e-8)``; key ``"square_avg"``.
5. ``adam_step(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8)``; keys ``"step"``
   (1 after the first call), ``"exp_avg"``, ``"exp_avg_sq"``.

Each returns ``(theta_new, state)``; the references are ``optim.rules`` (which agree with
torch.optim).
"""

from __future__ import annotations

import numpy as np

from ...optim import rules
from .._core import Exercise, case_rng
from ._common import _cases, _contract, _mistakes, _path_part

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


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
ADAGRAD_WRONG = _mistakes(_adagrad_like, {
    "eps_inside": _EPS_INSIDE,
    "no_sum":
        "G must accumulate ALL past squared gradients (G += g * g); with only this step's g^2 "
        "every step has size lr, whatever the gradient",
    "no_sqrt": "divide by the SQUARE ROOT of the accumulated squares: g / (sqrt(G) + eps)",
    "old_sum":
        "add this step's g^2 to G before dividing; with the old G the first step divides by eps "
        "alone",
})


def _adagrad_cases(hidden: bool):
    rng = case_rng(3301 if hidden else 3300, hidden)
    if not hidden:
        return _cases(rng, [((2, 3), 10, {"lr": 0.1, "eps": 1e-10}, [1.0, 1e-2, 1e-4])])
    return _cases(rng, [((5,), 40, {"lr": 0.5, "eps": 1e-3}, None),
                        ((3, 4), 30, {"lr": 0.05, "eps": 1e-10}, [1.0, 1e-3, 1e-5, 10.0]),
                        ((4,), 50, {"lr": 1.0, "eps": 1e-6}, [1e-2])])


_DIVISION_BY_ZERO = ": look for a division by zero (is eps added to the denominator?)"

EXERCISES["adagrad"] = Exercise(
    "Adagrad", {"shape": _contract("adagrad_step", {"lr": 0.1, "eps": 1e-10}, ("sum",), 3310),
                "values": _path_part("adagrad_step", rules.adagrad_update, _adagrad_cases,
                                     ADAGRAD_WRONG, _DIVISION_BY_ZERO)})


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


RMSPROP_WRONG = _mistakes(_rmsprop_like, {
    "swapped":
        "alpha and 1 - alpha are swapped: s = alpha * s + (1 - alpha) * g^2 keeps most of the old "
        "average (alpha = 0.99 by default) and mixes in a little of the new g^2",
    "eps_inside": _EPS_INSIDE,
    "adagrad":
        "s accumulates every g^2 like Adagrad; RMSProp keeps a moving average: "
        "s = alpha * s + (1 - alpha) * g^2",
    "init_g2":
        "the average must start at 0 (torch's square_avg starts as zeros), so after the first "
        "step s = (1 - alpha) * g^2; it does not start at g^2",
    "no_sqrt": "divide by the SQUARE ROOT of the average: g / (sqrt(s) + eps)",
})


def _rmsprop_cases(hidden: bool):
    rng = case_rng(3401 if hidden else 3400, hidden)
    if not hidden:
        return _cases(rng, [((2, 3), 10, {"lr": 0.01, "alpha": 0.9, "eps": 1e-8},
                             [1.0, 1e-3, 1e-5])])
    return _cases(rng, [((5,), 40, {"lr": 0.01, "alpha": 0.99, "eps": 1e-8}, None),
                        ((3, 4), 30, {"lr": 0.001, "alpha": 0.95, "eps": 1e-6},
                         [1.0, 1e-2, 1e-4, 10.0]),
                        ((4,), 60, {"lr": 0.05, "alpha": 0.8, "eps": 1e-8}, [1e-3])])


EXERCISES["rmsprop"] = Exercise(
    "RMSProp", {"shape": _contract("rmsprop_step", {"lr": 0.01, "alpha": 0.9, "eps": 1e-8},
                                   ("square_avg",), 3410),
                "values": _path_part("rmsprop_step", rules.rmsprop_update, _rmsprop_cases,
                                     RMSPROP_WRONG, _DIVISION_BY_ZERO)})


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


ADAM_WRONG = _mistakes(_adam_like, {
    "no_m_correction":
        "m is not bias-corrected: m starts at 0, so m = (1 - beta1) g at t = 1 and the early "
        "steps are about 10x too small with beta1 = 0.9; use m_hat = m / (1 - beta1**t)",
    "no_correction":
        "there is no bias correction: m and v start at 0, so early m and v are too small by the "
        "factors (1 - beta1**t) and (1 - beta2**t); divide by them (m_hat, v_hat)",
    "no_v_correction":
        "v is not bias-corrected: v = (1 - beta2) g^2 at t = 1, so the early steps are far too "
        "large; use v_hat = v / (1 - beta2**t)",
    "t_plus_one":
        "the bias correction uses the wrong step count: t is 1 at the first step (1 - beta**1), "
        "2 at the second, ... (increment t once per call, before using it)",
    "eps_inside":
        "eps is inside the square root; Adam (as torch.optim) adds it outside: "
        "m_hat / (sqrt(v_hat) + eps)",
})
_ADAM_NONFINITE = (": if t starts at 0, 1 - beta**t is 0 at the first step and the bias "
                   "correction divides by zero; t counts the steps from 1 (increment it before "
                   "using it)")


def _adam_cases(hidden: bool):
    rng = case_rng(3501 if hidden else 3500, hidden)
    if not hidden:
        return _cases(rng, [((2, 3), 12, {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8},
                             [1.0, 1e-2, 1e-4])])
    return _cases(rng, [
        ((5,), 50, {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-8}, None),
        ((3, 4), 40, {"lr": 0.001, "betas": (0.95, 0.9999), "eps": 1e-6},
         [1.0, 1e-3, 1e-5, 10.0]),
        ((4,), 30, {"lr": 0.1, "betas": (0.0, 0.9), "eps": 1e-3}, [1e-2])])


EXERCISES["adam"] = Exercise(
    "Adam", {"shape": _contract("adam_step", {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8},
                                ("step", "exp_avg", "exp_avg_sq"), 3510),
             "values": _path_part("adam_step", rules.adam_update, _adam_cases, ADAM_WRONG,
                                  _ADAM_NONFINITE)})
