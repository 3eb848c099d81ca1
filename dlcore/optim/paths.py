r"""Optimizer paths for error-surface demos, and the step-size limit on a quadratic.

``trajectory`` runs the update rules of ``rules.py`` (the code the optimizer classes run) on a
function given by its gradient, so a plotted path is the parameter sequence torch.optim produces.
``stability_limit`` is the largest stable learning rate on a 1-D quadratic.

Shapes: dim number of coordinates of theta (2 for surfaces), S number of steps.
"""

from __future__ import annotations

import numpy as np

from .._checks import (
    as_array,
    check_choice,
    check_int,
    check_positive,
    check_probability,
    shape_str,
)
from . import rules

__all__ = ["TRAJECTORY_NAMES", "trajectory", "stability_limit"]

# name -> (core, validator, accepted keywords, defaults that differ from the class, fixed values)
_METHODS = {
    "gd": (rules._sgd, rules.sgd_hyper, ("lr", "weight_decay"), {}, {}),
    "momentum": (rules._sgd, rules.sgd_hyper, ("lr", "momentum", "dampening", "weight_decay"),
                 {"momentum": 0.9}, {}),
    "nag": (rules._sgd, rules.sgd_hyper, ("lr", "momentum", "weight_decay"),
            {"momentum": 0.9}, {"nesterov": True}),
    "adagrad": (rules._adagrad, rules.adagrad_hyper,
                ("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps"), {}, {}),
    "rmsprop": (rules._rmsprop, rules.rmsprop_hyper,
                ("lr", "alpha", "eps", "weight_decay", "momentum", "centered"), {}, {}),
    "adam": (rules._adam, rules.adam_hyper, ("lr", "betas", "eps", "weight_decay", "amsgrad"),
             {}, {}),
}
TRAJECTORY_NAMES = tuple(_METHODS)


def trajectory(name: str, grad_fn, theta0, steps: int, **hyper) -> np.ndarray:
    r"""The path ``theta_0, theta_1, ..., theta_S`` of optimizer ``name`` following ``grad_fn``.

    ``theta_{t+1} = rule(theta_t, grad_fn(theta_t))``, with the update rule and state of the
    matching torch.optim optimizer; row t of the result is the parameter torch holds after t
    calls of ``step()`` (equal to rounding, float64):

    ========== ========================================= ==========================================
    name       torch.optim equivalent                    hyperparameters (defaults)
    ========== ========================================= ==========================================
    "gd"       SGD(lr)                                   lr (1e-3), weight_decay (0)
    "momentum" SGD(lr, momentum)                         lr (1e-3), momentum (**0.9**), dampening
                                                         (0), weight_decay (0)
    "nag"      SGD(lr, momentum, nesterov=True)          lr (1e-3), momentum (**0.9**),
                                                         weight_decay (0)
    "adagrad"  Adagrad                                   lr (1e-2), lr_decay, weight_decay,
                                                         initial_accumulator_value, eps (1e-10)
    "rmsprop"  RMSprop                                   lr (1e-2), alpha (0.99), eps (1e-8),
                                                         weight_decay, momentum (0), centered
    "adam"     Adam                                      lr (1e-3), betas ((0.9, 0.999)),
                                                         eps (1e-8), weight_decay, amsgrad
    ========== ========================================= ==========================================

    Momentum.  The lecture writes the velocity in units of the step,
    :math:`u_t = \gamma u_{t-1} + \eta \nabla E(w_t)`, :math:`w_{t+1} = w_t - u_t`, with
    :math:`u_{-1} = 0` (the slides' :math:`\Delta w_t = \eta\, \partial E/\partial w +
    \gamma \Delta w_{t-1}`).  torch keeps it in units of the gradient; in the same indexing,
    :math:`v_t = \mu v_{t-1} + \nabla E(\theta_t)`, :math:`\theta_{t+1} = \theta_t - \eta v_t`,
    with :math:`v` started at the first gradient (the same as :math:`v_{-1} = 0` when
    dampening is 0).  With a constant :math:`\eta` and :math:`\gamma = \mu`,
    :math:`u_t = \eta v_t` and :math:`w_t = \theta_t`: ``trajectory("momentum")[t]`` is the
    lecture's :math:`w_t`.  (The forms part when :math:`\eta` changes during training: torch's
    stored velocity is then rescaled by the new rate.)

    Nesterov.  The lecture's NAG takes the gradient at the look-ahead point,
    :math:`u_t = \gamma u_{t-1} + \eta \nabla E(w_t - \gamma u_{t-1})`,
    :math:`w_{t+1} = w_t - u_t`.  torch's ``nesterov=True`` step,
    :math:`v_t = \mu v_{t-1} + \nabla E(\theta_t)`,
    :math:`\theta_{t+1} = \theta_t - \eta (\nabla E(\theta_t) + \mu v_t)`, tracks the
    look-ahead point itself: with :math:`u_t = \eta v_t`, :math:`\theta_t = \tilde w_t =
    w_t - \gamma u_{t-1}`.  So ``trajectory("nag")[t]``, which equals torch's parameter after t
    steps, is the lecture's look-ahead point :math:`\tilde w_t` (where it evaluates the next
    gradient, and where ``grad_fn`` is called), not :math:`w_t`.  The lecture's points follow
    from the path alone: :math:`w_0 = \tilde w_0` and
    :math:`w_t = (\tilde w_t + \gamma w_{t-1}) / (1 + \gamma)`, because
    :math:`u_{t-1} = w_{t-1} - w_t`.  Both sequences converge to the same minimum.

    Divergence.  The path is never cut short by an error: a row holding inf or NaN means the
    iteration diverged (overflowed); after the first such row ``grad_fn`` is not called again
    and the remaining rows are NaN, so a plot shows the escape.  Floating-point warnings are
    silenced while the path runs (``np.errstate``), including inside ``grad_fn``.

    ``grad_fn`` is called once per step, in order, on a copy of the current point, so a
    closure that cycles through samples gives stochastic gradient descent.

    theta0: (dim,) start; ``grad_fn(theta) -> (dim,)`` for theta (dim,).
    Returns the path, shape (S + 1, dim), row 0 = theta0.
    """
    check_choice(name, "name", TRAJECTORY_NAMES)
    core, validate, accepted, defaults, fixed = _METHODS[name]
    unknown = sorted(set(hyper) - set(accepted))
    if unknown:
        raise TypeError(f"trajectory({name!r}) got unexpected hyperparameter(s) "
                        f"{', '.join(unknown)}; it accepts {', '.join(accepted)}")
    hyper = validate(**{**defaults, **hyper, **fixed})
    if not callable(grad_fn):
        raise TypeError(f"grad_fn must be a function theta -> gradient; got "
                        f"{type(grad_fn).__name__}")
    theta = as_array(theta0, "theta0", ndim=1, dtype=np.float64, spec="(dim,)").copy()
    steps = check_int(steps, "steps", minimum=0)

    path = np.full((steps + 1, theta.size), np.nan)
    path[0] = theta
    state: dict = {}
    with np.errstate(all="ignore"):
        for t in range(steps):
            grad = _gradient(grad_fn(theta.copy()), theta.shape, t)
            theta, state = core(theta, grad, state, **hyper)
            path[t + 1] = theta
            if not np.all(np.isfinite(theta)):
                break
    return path


def _gradient(grad, shape: tuple, t: int) -> np.ndarray:
    grad = as_array(grad, "grad_fn(theta)", dtype=np.float64, finite=False)
    if grad.shape != shape:
        raise ValueError(f"grad_fn must return an array of shape {shape_str(shape)}, the shape "
                         f"of theta0; got shape {shape_str(grad.shape)} at step {t}")
    return grad


def stability_limit(h, method: str = "gd", momentum: float = 0.0) -> float:
    r"""Largest stable learning rate on :math:`E(w) = \tfrac12 h w^2`: ``2/h`` for GD.

    With heavy-ball momentum ``beta`` it is ``2 (1 + beta) / h``, with Nesterov momentum
    ``2 (1 + beta) / ((1 + 2 beta) h)``; the iteration converges for ``0 < lr < limit`` and
    diverges above it.  On a quadratic with Hessian eigenvalues ``h_i`` the largest one sets the
    limit (for a linear model :math:`\hat y = w x` with :math:`L = \tfrac12 \sum (y - wx)^2`,
    :math:`h = \sum x^2`).

    Why: GD gives :math:`w_{t+1} = (1 - \eta h) w_t`, stable iff :math:`|1 - \eta h| < 1`.
    Heavy ball gives :math:`w_{t+1} = (1 + \beta - \eta h) w_t - \beta w_{t-1}`, whose
    characteristic roots :math:`z^2 - (1 + \beta - \eta h) z + \beta` lie inside the unit circle
    iff :math:`0 < \eta h < 2(1 + \beta)` (for :math:`0 \le \beta < 1`).  NAG gives
    :math:`z^2 - (1 + \beta)(1 - \eta h) z + \beta (1 - \eta h)`, stable iff
    :math:`0 < \eta h < 2(1 + \beta)/(1 + 2\beta)`.

    h: curvature, a number > 0; method: "gd", "momentum" or "nag"; momentum in [0, 1).
    Returns the limit on lr, a float.
    """
    h = check_positive(h, "h")
    check_choice(method, "method", ("gd", "momentum", "nag"))
    beta = check_probability(momentum, "momentum")
    if method == "gd":
        if beta != 0:
            raise ValueError(f"method 'gd' has no momentum (got momentum={beta}); use "
                             f"method='momentum' or 'nag'")
        return 2.0 / h
    if method == "momentum":
        return 2.0 * (1.0 + beta) / h
    return 2.0 * (1.0 + beta) / ((1.0 + 2.0 * beta) * h)
