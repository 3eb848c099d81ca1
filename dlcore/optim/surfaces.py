"""Two-parameter error surfaces for optimizer demos: loss and gradient, vectorised over points.

``surface(name, **kw)`` returns ``(loss_fn, grad_fn)``; ``SURFACES[name]`` holds the formula,
default keywords, a plotting window, a suggested start and the global minimisers.  Both
functions accept points of shape (..., 2), so a contour grid is one call, and never warn on
overflow: a diverged optimizer path evaluates to inf or NaN.

Shapes: theta (..., 2) points (x, y); loss_fn -> (...); grad_fn -> (..., 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from .._checks import as_array, check_choice, shape_str
from .rules import _finite, _real

__all__ = ["SurfaceInfo", "SURFACES", "SURFACE_NAMES", "surface"]


@dataclass(frozen=True)
class SurfaceInfo:
    """What a widget needs to draw a surface: formula, defaults, window, start, minimisers."""

    name: str
    formula: str
    kwargs: MappingProxyType
    xlim: tuple
    ylim: tuple
    start: tuple
    minima: tuple


def _info(name, formula, kwargs, xlim, ylim, start, minima) -> SurfaceInfo:
    return SurfaceInfo(name, formula, MappingProxyType(dict(kwargs)), xlim, ylim, start, minima)


SURFACES = {
    "quadratic": _info("quadratic", "0.5 (x^2 + kappa y^2)", {"kappa": 10.0},
                       (-5.0, 5.0), (-2.5, 2.5), (-4.5, 2.0), ((0.0, 0.0),)),
    "valley": _info("valley",
                    "0.5 (u^2 + kappa v^2), u = x cos a + y sin a, v = y cos a - x sin a, "
                    "a = angle_deg",
                    {"kappa": 50.0, "angle_deg": 30.0},
                    (-5.0, 5.0), (-4.0, 4.0), (-4.0, -1.5), ((0.0, 0.0),)),
    "rosenbrock": _info("rosenbrock", "(a - x)^2 + b (y - x^2)^2", {"a": 1.0, "b": 100.0},
                        (-2.0, 2.0), (-1.0, 3.0), (-1.2, 1.0), ((1.0, 1.0),)),
    "saddle": _info("saddle", "x^2 - y^2 + quartic y^4", {"quartic": 0.25},
                    (-2.5, 2.5), (-2.5, 2.5), (2.0, 0.01),
                    ((0.0, -np.sqrt(2.0)), (0.0, np.sqrt(2.0)))),
    "bumpy": _info("bumpy", "0.1 (x^2 + y^2) - amplitude cos(2x) cos(2y)", {"amplitude": 0.5},
                   (-4.0, 4.0), (-4.0, 4.0), (3.5, -2.0), ((0.0, 0.0),)),
}
SURFACE_NAMES = tuple(SURFACES)


def _quadratic(kappa):
    kappa = _real(kappa, "kappa")
    if kappa <= 0:
        raise ValueError(f"kappa (condition number) must be > 0; got {kappa}")

    def loss(x, y):
        return 0.5 * (x * x + kappa * y * y)

    def grad(x, y):
        return x, kappa * y
    return loss, grad


def _valley(kappa, angle_deg):
    kappa = _real(kappa, "kappa")
    if kappa <= 0:
        raise ValueError(f"kappa (condition number) must be > 0; got {kappa}")
    angle = np.deg2rad(_finite(angle_deg, "angle_deg"))
    c, s = np.cos(angle), np.sin(angle)

    def loss(x, y):
        u, v = c * x + s * y, -s * x + c * y
        return 0.5 * (u * u + kappa * v * v)

    def grad(x, y):
        u, v = c * x + s * y, -s * x + c * y
        du, dv = u, kappa * v  # the chain rule through the rotation is its transpose
        return c * du - s * dv, s * du + c * dv
    return loss, grad


def _rosenbrock(a, b):
    a, b = _finite(a, "a"), _real(b, "b")

    def loss(x, y):
        return (a - x) ** 2 + b * (y - x * x) ** 2

    def grad(x, y):
        r = y - x * x
        return -2.0 * (a - x) - 4.0 * b * x * r, 2.0 * b * r
    return loss, grad


def _saddle(quartic):
    quartic = _real(quartic, "quartic")

    def loss(x, y):
        return x * x - y * y + quartic * y ** 4

    def grad(x, y):
        return 2.0 * x, -2.0 * y + 4.0 * quartic * y ** 3
    return loss, grad


def _bumpy(amplitude):
    amplitude = _real(amplitude, "amplitude")

    def loss(x, y):
        return 0.1 * (x * x + y * y) - amplitude * np.cos(2 * x) * np.cos(2 * y)

    def grad(x, y):
        return (0.2 * x + 2 * amplitude * np.sin(2 * x) * np.cos(2 * y),
                0.2 * y + 2 * amplitude * np.cos(2 * x) * np.sin(2 * y))
    return loss, grad


_BUILDERS = {"quadratic": _quadratic, "valley": _valley, "rosenbrock": _rosenbrock,
             "saddle": _saddle, "bumpy": _bumpy}


def _points(theta, fname: str) -> np.ndarray:
    theta = as_array(theta, "theta", dtype=np.float64, finite=False)
    if theta.ndim == 0 or theta.shape[-1] != 2:
        raise ValueError(f"{fname}: theta must have shape (..., 2), points (x, y); got shape "
                         f"{shape_str(theta.shape)}")
    return theta


def surface(name: str, **kw):
    """``(loss_fn, grad_fn)`` of a 2-D error surface; formulas and defaults in ``SURFACES``.

    "quadratic" ``0.5 (x^2 + kappa y^2)`` (kappa, the condition number); "valley" the same
    with a long axis turned by ``angle_deg`` (a narrow diagonal valley: per-coordinate
    step sizes no longer line up with it); "rosenbrock" ``(a - x)^2 + b (y - x^2)^2``;
    "saddle" ``x^2 - y^2 + quartic y^4`` (saddle at 0; the quartic term, 0 for the pure saddle,
    bounds it below with minima at ``y = +-1/sqrt(2 quartic)``); "bumpy"
    ``0.1 (x^2 + y^2) - amplitude cos(2x) cos(2y)`` (a bowl with many local minima).

    loss_fn(theta (..., 2)) -> (...); grad_fn(theta (..., 2)) -> (..., 2).
    """
    check_choice(name, "name", SURFACE_NAMES)
    info = SURFACES[name]
    unknown = sorted(set(kw) - set(info.kwargs))
    if unknown:
        raise TypeError(f"surface({name!r}) got unexpected keyword(s) {', '.join(unknown)}; it "
                        f"accepts {', '.join(info.kwargs)}")
    loss_xy, grad_xy = _BUILDERS[name](**{**info.kwargs, **kw})

    def loss_fn(theta):
        theta = _points(theta, f"{name} loss_fn")
        with np.errstate(all="ignore"):
            return loss_xy(theta[..., 0], theta[..., 1])

    def grad_fn(theta):
        theta = _points(theta, f"{name} grad_fn")
        with np.errstate(all="ignore"):
            dx, dy = grad_xy(theta[..., 0], theta[..., 1])
            return np.stack(np.broadcast_arrays(dx, dy), axis=-1)

    loss_fn.__doc__ = f"Loss {info.formula} at theta (..., 2) -> (...)."
    grad_fn.__doc__ = f"Gradient of {info.formula} at theta (..., 2) -> (..., 2)."
    return loss_fn, grad_fn
