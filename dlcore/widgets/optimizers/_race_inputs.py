"""Inputs of ``optimizer_race``: preset learning rates, checks, and a learner's own surface."""

from __future__ import annotations

import numbers

import numpy as np

from ...optim import TRAJECTORY_NAMES
from ...optim.surfaces import ResolvedSurface, loss_on_points, resolve_surface
from ._common import check_point

# Learning rates that make each race informative on its surface (none diverges at the defaults).
PRESET_LR = {
    "quadratic": {"gd": 0.15, "momentum": 0.05, "nag": 0.05, "adagrad": 1.0, "rmsprop": 0.1,
                  "adam": 0.3},
    "valley": {"gd": 0.035, "momentum": 0.01, "nag": 0.01, "adagrad": 1.0, "rmsprop": 0.05,
               "adam": 0.2},
    "rosenbrock": {"gd": 0.001, "momentum": 0.001, "nag": 0.001, "adagrad": 0.5,
                   "rmsprop": 0.01, "adam": 0.1},
    "saddle": {"gd": 0.05, "momentum": 0.02, "nag": 0.02, "adagrad": 0.5, "rmsprop": 0.05,
               "adam": 0.1},
    "bumpy": {"gd": 0.1, "momentum": 0.05, "nag": 0.05, "adagrad": 0.5, "rmsprop": 0.05,
              "adam": 0.1},
    "custom": {"gd": 0.05, "momentum": 0.02, "nag": 0.02, "adagrad": 0.5, "rmsprop": 0.05,
               "adam": 0.1},
}
LR_RANGE = (1e-4, 3.0)


def _numeric_grad(loss_fn):
    from ...gradcheck import numerical_gradient

    def grad_fn(theta):
        return numerical_gradient(lambda t: loss_fn(t), np.array(theta, dtype=np.float64))

    return grad_fn


def _custom_surface(loss_fn, grad_fn, xlim, ylim, start) -> ResolvedSurface:
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be a function of a point theta (2,) -> number; got "
                        f"{type(loss_fn).__name__}")
    if grad_fn is not None and not callable(grad_fn):
        raise TypeError(f"grad_fn must be a function of a point theta (2,) -> gradient (2,); "
                        f"got {type(grad_fn).__name__}")
    surf = resolve_surface(loss_fn, {}, xlim, ylim)
    (x0, x1), (y0, y1) = surf.xlim, surf.ylim
    start = (0.8 * x0 + 0.2 * x1, 0.8 * y1 + 0.2 * y0) if start is None else start
    start = check_point(start)
    value = np.asarray(loss_on_points(loss_fn, np.array([start])), dtype=np.float64)
    if value.shape != (1,) or not np.isfinite(value[0]):
        raise ValueError(f"loss_fn must return one finite number at the start {start}; got "
                         f"{value!r}")
    grad_fn = _numeric_grad(loss_fn) if grad_fn is None else grad_fn
    g = np.asarray(grad_fn(np.array(start)), dtype=np.float64)
    if g.shape != (2,):
        raise ValueError(f"grad_fn must return the gradient at a point theta (2,) as an array "
                         f"of shape (2,); got shape {g.shape} at the start {start}")
    return ResolvedSurface("your function", loss_fn, grad_fn, surf.xlim, surf.ylim, start, (), None)


def _check_lrs(lrs) -> dict:
    if lrs is None:
        return {}
    if not isinstance(lrs, dict):
        raise TypeError(f"lrs must be a dict optimizer name -> learning rate, e.g. "
                        f"{{'adam': 0.05}}; got {type(lrs).__name__}")
    out = {}
    for name, lr in lrs.items():
        if name not in TRAJECTORY_NAMES:
            raise ValueError(f"lrs: unknown optimizer {name!r}; choose from "
                             f"{', '.join(TRAJECTORY_NAMES)}")
        ok = isinstance(lr, numbers.Real) and not isinstance(lr, bool)
        if not ok or not LR_RANGE[0] <= lr <= LR_RANGE[1]:
            raise ValueError(f"lrs[{name!r}] must be a learning rate in [{LR_RANGE[0]:g}, "
                             f"{LR_RANGE[1]:g}]; got {lr!r}")
        out[name] = float(lr)
    return out


def _check_fraction(value, name: str, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not lo <= value <= hi:
        raise ValueError(f"{name} must be a number in [{lo:g}, {hi:g}]; got {value!r}")
    return float(value)
