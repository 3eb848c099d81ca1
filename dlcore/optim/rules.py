"""Update rules: one optimizer step on one array, as pure functions.

Each rule takes a parameter array ``theta``, its gradient ``grad`` and that array's optimizer
``state`` (a dict, empty or None before the first step) and returns ``(theta_new, state_new)``
without modifying its arguments.  The optimizer classes (``optimizers.py``) and
``trajectory`` (``paths.py``) run the same private cores, so the numbers a notebook shows are
the numbers training uses.  State keys, hyperparameter names and defaults are torch.optim's, and
the arithmetic follows torch's order of operations, so results agree with torch to rounding.

Notation: theta parameter, g gradient, lr the step size (eta in the lectures), wd weight decay
(lambda), t the step count (1 at the first step).  Weight decay is the L2 form, g <- g + wd theta.

Shapes: ``theta``, ``grad`` and every array in ``state`` have the same shape P (any shape).
"""

from __future__ import annotations

from functools import partial

import numpy as np

from .._checks import as_array, check_flag, check_positive, check_probability, check_real, shape_str

__all__ = ["sgd_update", "adagrad_update", "rmsprop_update", "adam_update"]


# -- hyperparameter checks: torch's ranges, plus finiteness (torch lets NaN through) ----------

# A finite number >= 0 (lr, eps, weight decay...).
_real = partial(check_positive, allow_zero=True)


def sgd_hyper(lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False) -> dict:
    """Validated SGD hyperparameters (torch.optim.SGD's names, defaults and ranges)."""
    hyper = {"lr": _real(lr, "lr"), "momentum": _real(momentum, "momentum"),
             "dampening": check_real(dampening, "dampening"),
             "weight_decay": _real(weight_decay, "weight_decay"),
             "nesterov": check_flag(nesterov, "nesterov")}
    if hyper["nesterov"] and (hyper["momentum"] <= 0 or hyper["dampening"] != 0):
        raise ValueError(f"nesterov=True requires momentum > 0 and dampening = 0; got "
                         f"momentum={hyper['momentum']}, dampening={hyper['dampening']}")
    return hyper


def adagrad_hyper(lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0,
                  eps=1e-10) -> dict:
    """Validated Adagrad hyperparameters (torch.optim.Adagrad's names, defaults and ranges)."""
    return {"lr": _real(lr, "lr"), "lr_decay": _real(lr_decay, "lr_decay"),
            "weight_decay": _real(weight_decay, "weight_decay"),
            "initial_accumulator_value": _real(initial_accumulator_value,
                                               "initial_accumulator_value"),
            "eps": _real(eps, "eps")}


def rmsprop_hyper(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                  centered=False) -> dict:
    """Validated RMSProp hyperparameters (torch.optim.RMSprop's names, defaults and ranges)."""
    return {"lr": _real(lr, "lr"), "alpha": _real(alpha, "alpha"), "eps": _real(eps, "eps"),
            "weight_decay": _real(weight_decay, "weight_decay"),
            "momentum": _real(momentum, "momentum"), "centered": check_flag(centered, "centered")}


def adam_hyper(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False) -> dict:
    """Validated Adam hyperparameters (torch.optim.Adam's names, defaults and ranges)."""
    if isinstance(betas, (str, bytes)) or not hasattr(betas, "__len__") or len(betas) != 2:
        raise TypeError(f"betas must be a pair (beta1, beta2) in [0, 1); got {betas!r}")
    return {"lr": _real(lr, "lr"),
            "betas": (check_probability(betas[0], "betas[0]"),
                      check_probability(betas[1], "betas[1]")),
            "eps": _real(eps, "eps"), "weight_decay": _real(weight_decay, "weight_decay"),
            "amsgrad": check_flag(amsgrad, "amsgrad")}


# -- cores: no checks, called once per array per step ------------------------------------------

def _sgd(theta, grad, state, *, lr, momentum, dampening, weight_decay, nesterov):
    state = dict(state)
    g = grad + weight_decay * theta if weight_decay != 0 else grad
    if momentum != 0:
        buf = state.get("momentum_buffer")
        # torch starts the buffer at the first gradient itself, so dampening acts from step 2
        buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
        state["momentum_buffer"] = buf
        g = g + momentum * buf if nesterov else buf
    return theta - lr * g, state


def _adagrad(theta, grad, state, *, lr, lr_decay, weight_decay, initial_accumulator_value, eps):
    state = dict(state)
    step = state.get("step", 0) + 1
    g = grad + weight_decay * theta if weight_decay != 0 else grad
    total = state.get("sum")
    if total is None:
        total = np.full_like(theta, initial_accumulator_value)
    total = total + g * g
    clr = lr / (1 + (step - 1) * lr_decay)
    state.update(step=step, sum=total)
    return theta - clr * (g / (np.sqrt(total) + eps)), state


def _rmsprop(theta, grad, state, *, lr, alpha, eps, weight_decay, momentum, centered):
    state = dict(state)
    step = state.get("step", 0) + 1
    g = grad + weight_decay * theta if weight_decay != 0 else grad
    square_avg = alpha * state.get("square_avg", 0.0) + (1 - alpha) * (g * g)
    state.update(step=step, square_avg=square_avg)
    if centered:
        grad_avg = alpha * state.get("grad_avg", 0.0) + (1 - alpha) * g
        state["grad_avg"] = grad_avg
        avg = np.sqrt(square_avg - grad_avg * grad_avg) + eps
    else:
        avg = np.sqrt(square_avg) + eps
    if momentum > 0:
        buf = momentum * state.get("momentum_buffer", 0.0) + g / avg
        state["momentum_buffer"] = buf
        return theta - lr * buf, state
    return theta - lr * (g / avg), state


def _adam(theta, grad, state, *, lr, betas, eps, weight_decay, amsgrad):
    state = dict(state)
    beta1, beta2 = betas
    step = state.get("step", 0) + 1
    g = grad + weight_decay * theta if weight_decay != 0 else grad
    exp_avg = beta1 * state.get("exp_avg", 0.0) + (1 - beta1) * g
    exp_avg_sq = beta2 * state.get("exp_avg_sq", 0.0) + (1 - beta2) * (g * g)
    state.update(step=step, exp_avg=exp_avg, exp_avg_sq=exp_avg_sq)
    if amsgrad:
        exp_avg_sq = np.maximum(state.get("max_exp_avg_sq", 0.0), exp_avg_sq)
        state["max_exp_avg_sq"] = exp_avg_sq
    bias_correction1 = 1 - beta1 ** step
    bias_correction2 = 1 - beta2 ** step
    # sqrt(v)/sqrt(bc2) + eps is sqrt(v_hat) + eps, and lr/bc1 * m is lr * m_hat (torch's order)
    denom = np.sqrt(exp_avg_sq) / np.sqrt(bias_correction2) + eps
    return theta - (lr / bias_correction1) * (exp_avg / denom), state


# -- public rules: check the arrays, then run the core -------------------------------------------

def _arrays(fname: str, theta, grad, state) -> tuple:
    theta = as_array(theta, "theta", dtype=np.float64, finite=False)
    grad = as_array(grad, "grad", dtype=np.float64, finite=False)
    if grad.shape != theta.shape:
        raise ValueError(f"{fname}: grad must have the shape of theta {shape_str(theta.shape)}; "
                         f"got shape {shape_str(grad.shape)}")
    if state is None:
        state = {}
    if not isinstance(state, dict):
        raise TypeError(f"{fname}: state must be a dict (empty before the first step); "
                        f"got {type(state).__name__}")
    for key, value in state.items():
        if isinstance(value, np.ndarray) and value.shape != theta.shape:
            raise ValueError(f"{fname}: state[{key!r}] must have the shape of theta "
                             f"{shape_str(theta.shape)}; got shape {shape_str(value.shape)}")
    return theta, grad, state


def sgd_update(theta, grad, state=None, *, lr=1e-3, momentum=0.0, dampening=0.0,
               weight_decay=0.0, nesterov=False):
    """One SGD step: ``b = mu b + (1 - dampening) g`` (``b = g`` at t = 1), ``theta -= lr b``.

    Without momentum ``theta -= lr g``; with ``nesterov=True`` the step is
    ``theta -= lr (g + mu b)``.  ``g = grad + weight_decay theta``.  State: ``momentum_buffer``.

    theta, grad: (P...) arrays of the same shape.  Returns ``(theta_new, state_new)``.
    """
    theta, grad, state = _arrays("sgd_update", theta, grad, state)
    return _sgd(theta, grad, state, **sgd_hyper(lr, momentum, dampening, weight_decay, nesterov))


def adagrad_update(theta, grad, state=None, *, lr=1e-2, lr_decay=0.0, weight_decay=0.0,
                   initial_accumulator_value=0.0, eps=1e-10):
    """One Adagrad step: ``G += g^2``, ``theta -= lr_t g / (sqrt(G) + eps)``.

    ``lr_t = lr / (1 + (t - 1) lr_decay)``; ``G`` starts at ``initial_accumulator_value``.
    State: ``step``, ``sum`` (G).

    theta, grad: (P...) arrays of the same shape.  Returns ``(theta_new, state_new)``.
    """
    theta, grad, state = _arrays("adagrad_update", theta, grad, state)
    hyper = adagrad_hyper(lr, lr_decay, weight_decay, initial_accumulator_value, eps)
    return _adagrad(theta, grad, state, **hyper)


def rmsprop_update(theta, grad, state=None, *, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0,
                   momentum=0.0, centered=False):
    """One RMSProp step: ``s = alpha s + (1 - alpha) g^2``, ``theta -= lr g / (sqrt(s) + eps)``.

    ``centered=True`` divides by ``sqrt(s - gbar^2) + eps`` with ``gbar = alpha gbar +
    (1 - alpha) g``; ``momentum > 0`` steps along ``b = mu b + g / (sqrt(.) + eps)`` (b starts
    at 0).  State: ``step``, ``square_avg`` (s), ``grad_avg`` (gbar), ``momentum_buffer`` (b).

    theta, grad: (P...) arrays of the same shape.  Returns ``(theta_new, state_new)``.
    """
    theta, grad, state = _arrays("rmsprop_update", theta, grad, state)
    hyper = rmsprop_hyper(lr, alpha, eps, weight_decay, momentum, centered)
    return _rmsprop(theta, grad, state, **hyper)


def adam_update(theta, grad, state=None, *, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                weight_decay=0.0, amsgrad=False):
    """One Adam step: ``theta -= lr m_hat / (sqrt(v_hat) + eps)``, with bias-corrected EMAs.

    ``m = b1 m + (1 - b1) g``, ``v = b2 v + (1 - b2) g^2``, ``m_hat = m / (1 - b1^t)``,
    ``v_hat = v / (1 - b2^t)``; ``amsgrad=True`` uses the running maximum of ``v`` instead of
    ``v``.  State: ``step``, ``exp_avg`` (m), ``exp_avg_sq`` (v), ``max_exp_avg_sq``.

    theta, grad: (P...) arrays of the same shape.  Returns ``(theta_new, state_new)``.
    """
    theta, grad, state = _arrays("adam_update", theta, grad, state)
    return _adam(theta, grad, state, **adam_hyper(lr, betas, eps, weight_decay, amsgrad))
