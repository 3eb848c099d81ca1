"""Two-parameter error surfaces for optimizer demos: loss and gradient, vectorised over points.

``surface(name, **kw)`` returns ``(loss_fn, grad_fn)``; ``SURFACES[name]`` holds the formula,
default keywords, a plotting window, a suggested start and the global minimisers.  Both
functions accept points of shape (..., 2), so a contour grid is one call, and never warn on
overflow: a diverged optimizer path evaluates to inf or NaN.

Shapes: theta (..., 2) points (x, y); loss_fn -> (...); grad_fn -> (..., 2).

Grids for contour plots: ``resolve_surface`` turns a name or a learner's loss function into a
``ResolvedSurface`` (functions, window, start, minimisers); ``loss_on_points`` and ``loss_grid``
evaluate a loss on points and on a grid (the one grid routine; ``checked`` calls it one point at
a time and requires finite values).  ``fast_grad`` is a surface's gradient for one point
without per-call checks (for widgets that redraw a whole path on every slider move).
The sigmoid neuron's error surface (lecture 4) lives in the (w, b) plane: ``check_window``,
``loss_at`` and ``surface_grid`` (``loss_grid`` over a (w, b) window, checked).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from .._checks import as_array, check_choice, check_int, check_positive, check_real, shape_str

__all__ = ["SurfaceInfo", "SURFACES", "SURFACE_NAMES", "surface", "fast_grad", "ResolvedSurface",
           "resolve_surface", "loss_on_points", "loss_grid", "check_window", "loss_at",
           "surface_grid"]


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
    kappa = check_positive(kappa, "kappa", allow_zero=True)
    if kappa <= 0:
        raise ValueError(f"kappa (condition number) must be > 0; got {kappa}")

    def loss(x, y):
        return 0.5 * (x * x + kappa * y * y)

    def grad(x, y):
        return x, kappa * y
    return loss, grad


def _valley(kappa, angle_deg):
    kappa = check_positive(kappa, "kappa", allow_zero=True)
    if kappa <= 0:
        raise ValueError(f"kappa (condition number) must be > 0; got {kappa}")
    angle = np.deg2rad(check_real(angle_deg, "angle_deg"))
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
    a, b = check_real(a, "a"), check_positive(b, "b", allow_zero=True)

    def loss(x, y):
        return (a - x) ** 2 + b * (y - x * x) ** 2

    def grad(x, y):
        r = y - x * x
        return -2.0 * (a - x) - 4.0 * b * x * r, 2.0 * b * r
    return loss, grad


def _saddle(quartic):
    quartic = check_positive(quartic, "quartic", allow_zero=True)

    def loss(x, y):
        return x * x - y * y + quartic * y ** 4

    def grad(x, y):
        return 2.0 * x, -2.0 * y + 4.0 * quartic * y ** 3
    return loss, grad


def _bumpy(amplitude):
    amplitude = check_positive(amplitude, "amplitude", allow_zero=True)

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


_surface_fns = surface  # ``resolve_surface`` has a parameter named ``surface``


def fast_grad(name: str, **kw):
    """The gradient of a named surface for one point (2,), without per-call checks.

    Same formulas as ``surface(name, **kw)[1]`` (so the same numbers), a few
    times cheaper per call (a widget's path of 300 steps calls it 300 times on every slider
    move).  grad_fn(theta (2,)) -> (2,).
    """
    _, grad_xy = _BUILDERS[name](**{**SURFACES[name].kwargs, **kw})

    def grad_fn(theta):
        with np.errstate(all="ignore"):
            dx, dy = grad_xy(theta[0], theta[1])
        return np.array([dx, dy], dtype=np.float64)

    return grad_fn


@dataclass(frozen=True)
class ResolvedSurface:
    """A resolved surface: functions, window, start, known minimisers and minimum (or None).

    ``grad_fn`` is None for a learner's own loss function; ``lstar`` is the smallest loss at
    the known minimisers (None when they are unknown).
    """

    label: str
    loss_fn: object
    grad_fn: object
    xlim: tuple
    ylim: tuple
    start: tuple
    minima: tuple
    lstar: float | None


def _lim(lim, name: str) -> tuple:
    arr = as_array(lim, name, ndim=1, spec="(2,)")
    if arr.shape != (2,) or not arr[0] < arr[1]:
        raise ValueError(f"{name} must be a pair (low, high) with low < high; got {lim!r}")
    return float(arr[0]), float(arr[1])


def resolve_surface(surface, surface_kw: dict, xlim=None, ylim=None) -> ResolvedSurface:
    """A surface name (with its keywords) or a learner's loss function -> ``ResolvedSurface``.

    A name takes its window, start and minimisers from ``SURFACES`` (``xlim``/``ylim`` override
    the window); a function of a point gets the window (-2, 2) x (-2, 2) unless given.
    """
    if callable(surface):
        if surface_kw:
            raise TypeError(f"surface keywords {sorted(surface_kw)} apply to named surfaces "
                            f"only; your loss function takes none")
        xlim = _lim((-2.0, 2.0) if xlim is None else xlim, "xlim")
        ylim = _lim((-2.0, 2.0) if ylim is None else ylim, "ylim")
        label = getattr(surface, "__name__", "your function")
        label = "your function" if label == "<lambda>" else label
        return ResolvedSurface(label, surface, None, xlim, ylim, (0.0, 0.0), (), None)
    if not isinstance(surface, str):
        raise TypeError(f"surface must be one of {', '.join(map(repr, SURFACES))} or a loss "
                        f"function of a point (x, y); got {type(surface).__name__}")
    check_choice(surface, "surface", tuple(SURFACES))
    loss_fn, grad_fn = _surface_fns(surface, **surface_kw)
    info = SURFACES[surface]
    minima = tuple(tuple(float(v) for v in m) for m in info.minima)
    lstar = float(min(loss_fn(np.array(m)) for m in minima))
    kw = {**info.kwargs, **surface_kw}
    label = surface + (f" (κ = {kw['kappa']:.3g})" if "kappa" in kw else "")
    return ResolvedSurface(label, loss_fn, grad_fn,
                    info.xlim if xlim is None else _lim(xlim, "xlim"),
                    info.ylim if ylim is None else _lim(ylim, "ylim"),
                    tuple(float(v) for v in info.start), minima, lstar)


def loss_on_points(loss_fn, points: np.ndarray) -> np.ndarray:
    """``loss_fn`` on points (..., 2) -> (...): one vectorised call, else one call per point.

    Non-finite values are returned as they are (a diverged path evaluates to inf or NaN).
    """
    with np.errstate(all="ignore"):
        try:
            values = np.asarray(loss_fn(points), dtype=np.float64)
            if values.shape == points.shape[:-1]:
                return values
        except Exception:  # a function written for one point (2,) at a time
            pass
        flat = points.reshape(-1, 2)
        out = np.empty(flat.shape[0])
        for i, p in enumerate(flat):
            value = np.asarray(loss_fn(p.copy()), dtype=np.float64)
            if value.size != 1:
                raise ValueError(f"loss_fn must return one number for a point of shape (2,); "
                                 f"got shape {shape_str(value.shape)}")
            out[i] = value.reshape(())
    return out.reshape(points.shape[:-1])


def loss_grid(loss_fn, xlim, ylim, n: int = 121, *, checked: bool = False):
    """``(X, Y, Z)``, each (n, n): the loss on an n x n grid over xlim x ylim (rows follow y).

    ``loss_fn`` maps points (..., 2) -> (...) or one point (2,) -> a number
    (``loss_on_points``); non-finite values are kept.  With ``checked``, ``loss_fn`` is called
    once per point (2,) and every value must be one finite number (``loss_at``), as for a
    learner's own loss function.
    """
    X, Y = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    if not checked:
        return X, Y, loss_on_points(loss_fn, np.stack([X, Y], axis=-1))
    Z = np.empty_like(X)
    for idx in np.ndindex(X.shape):
        Z[idx] = loss_at(loss_fn, np.array([X[idx], Y[idx]]))
    return X, Y, Z


def check_window(window) -> tuple[float, float, float, float]:
    """A window ``(w_min, w_max, b_min, b_max)`` of the (w, b) plane, checked, as 4 floats."""
    arr = as_array(window, "window", ndim=1, spec="(w_min, w_max, b_min, b_max)")
    if arr.shape != (4,):
        raise ValueError(f"window must have 4 numbers (w_min, w_max, b_min, b_max); got "
                         f"{arr.size}")
    w0, w1, b0, b1 = (float(v) for v in arr)
    if not (w0 < w1 and b0 < b1):
        raise ValueError(f"window must satisfy w_min < w_max and b_min < b_max; got "
                         f"({w0}, {w1}, {b0}, {b1})")
    return w0, w1, b0, b1


def loss_at(loss_fn, theta: np.ndarray) -> float:
    """``loss_fn(theta)`` for one point theta (2,), checked to be one finite number."""
    value = loss_fn(theta.copy())
    arr = np.asarray(value)
    if arr.size != 1 or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"loss_fn must return one number for theta of shape (2,); got "
                        f"{type(value).__name__} of shape {arr.shape}")
    out = float(arr.reshape(()))
    if not np.isfinite(out):
        raise ValueError(f"loss_fn returned {out} at theta = ({theta[0]:g}, {theta[1]:g}); "
                         f"it must be finite on the whole window")
    return out


def surface_grid(loss_fn, window, resolution: int = 81):
    """``loss_grid`` over a window of the (w, b) plane, checked: ``Z[i, j] = loss_fn([W[i, j],
    B[i, j]])``.

    loss_fn: theta (2,) -> float; window: (w_min, w_max, b_min, b_max); resolution: R >= 2.
    Returns W, B, Z, each (R, R); w varies along axis 1 and b along axis 0 (``np.meshgrid``).
    """
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be a function theta -> loss; got "
                        f"{type(loss_fn).__name__}")
    w0, w1, b0, b1 = check_window(window)
    r = check_int(resolution, "resolution", minimum=2)
    return loss_grid(loss_fn, (w0, w1), (b0, b1), r, checked=True)
