"""Shared pieces of the descent widgets: private copies of the toy's functions, presets, checks.

The notebook writes the toy's loss and gradient as plain functions for the learner to read;
the widgets keep their own copies here (built from ``neurons``, ``activations`` and ``losses``)
so that they work without the notebook, and accept the learner's versions as arguments.

Shapes: theta (2,) = (w, b); X, Y (N,) the data; R grid points per axis.
"""

from __future__ import annotations

import functools
import math
import numbers

import numpy as np

from ... import activations, data, losses, neurons
from ..._checks import as_array
from .._base import App, make_figure  # noqa: F401  (make_figure: used as C.make_figure)
from ..milestones._common import BlitsAxes, FitsLegends, ImageFirst

WINDOW = (-6.0, 6.0, -6.0, 6.0)
# The six guesses of the two-point toy in Khapra's Deep Learning Tutorial (w, b only; the
# losses are computed).
SLIDE_GUESSES = ((0.5, 0.0), (-0.1, 0.0), (0.94, -0.94), (1.42, -1.73), (1.65, -2.08),
                (1.78, -2.27))
OPTIMUM = (float(np.log(6.0)), float(-np.log(4.0) - 0.5 * np.log(6.0)))


def toy_loss(theta) -> float:
    """``L(w, b) = 1/2 sum_i (y_i - sigma(w x_i + b))^2`` on ``data.two_point_toy()``."""
    X, Y = data.two_point_toy()
    return losses.squared_error(neurons.sigmoid_neuron(X, float(theta[0]), float(theta[1])), Y)


def toy_grad(theta) -> np.ndarray:
    """``(dL/dw, dL/db) = (sum_i d_i x_i, sum_i d_i)`` with ``d_i = (f_i - y_i) f_i (1 - f_i)``."""
    X, Y = data.two_point_toy()
    f, f_cache = activations.sigmoid_forward(float(theta[0]) * X + float(theta[1]))
    _, l_cache = losses.squared_error_forward(f, Y)
    dz = activations.sigmoid_backward(losses.squared_error_backward(1.0, l_cache), f_cache)
    return np.array([np.sum(dz * X), np.sum(dz)])


def toy_data():
    """The two-point toy ``X, Y`` (2,), (2,), as ``data.two_point_toy()`` gives them."""
    return data.two_point_toy()


def toy_steps(points: np.ndarray, lr: float) -> np.ndarray:
    """One gradient-descent step of the toy from each row of ``points`` (P, 2): (P, 2).

    The arithmetic of ``toy_gd_path`` (stable sigmoid, ``d_i = (f_i - y_i) f_i (1 - f_i)``),
    for many starting points at once.
    """
    X, Y = data.two_point_toy()
    points = np.asarray(points, dtype=float)
    with np.errstate(all="ignore"):
        z = points[:, :1] * X[None, :] + points[:, 1:2]
        e = np.exp(-np.abs(z))
        f = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        d = (f - Y[None, :]) * f * (1.0 - f)
        return points - lr * np.stack([np.sum(d * X[None, :], axis=1), np.sum(d, axis=1)],
                                      axis=1)


def toy_gd_path(theta0, steps: int, lr: float) -> np.ndarray:
    """``optim.trajectory("gd", toy_grad, theta0, steps, lr=lr)`` for the default toy, fast.

    The same arithmetic as ``toy_grad`` (the stable sigmoid, ``d_i = (f_i - y_i) f_i (1 - f_i)``)
    on Python floats: a 1000-step path takes a few ms instead of ~100 ms, so a start slider
    answers at once.  Returns (S + 1, 2); rows after an overflow are nan, as in
    ``optim.trajectory``.
    """
    (x1, x2), (y1, y2) = data.two_point_toy()
    w, b = float(theta0[0]), float(theta0[1])
    out = np.empty((steps + 1, 2))
    out[0] = w, b
    exp = math.exp

    def sig(z):
        e = exp(-abs(z))
        return 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)

    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            try:
                f1, f2 = sig(w * x1 + b), sig(w * x2 + b)
            except (OverflowError, ValueError):
                out[t:] = np.nan
                break
            d1, d2 = (f1 - y1) * f1 * (1.0 - f1), (f2 - y2) * f2 * (1.0 - f2)
            w, b = w - lr * (d1 * x1 + d2 * x2), b - lr * (d1 + d2)
            out[t] = w, b
    return out


def toy_losses(path: np.ndarray) -> np.ndarray:
    """``toy_loss`` at every row of ``path`` (S, 2) at once (nan where a row is not finite)."""
    X, Y = data.two_point_toy()
    with np.errstate(all="ignore"):
        z = path[:, :1] * X[None, :] + path[:, 1:2]
        e = np.exp(-np.abs(z))
        f = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        diff = f - Y[None, :]
        out = 0.5 * np.sum(diff * diff, axis=1)
    out[~np.all(np.isfinite(path), axis=1)] = np.nan
    return out


def linear_batch_grad(x: np.ndarray, y: np.ndarray):
    """``dL/dw = -sum_i (y_i - w x_i) x_i`` for ``L = 1/2 sum_i (y_i - w x_i)^2`` (batch GD)."""
    def grad(w):
        return np.array([-np.sum((y - w[0] * x) * x)])
    return grad


def linear_sample_grad(x: np.ndarray, y: np.ndarray):
    """Per-sample gradient ``-(y_n - w x_n) x_n``, cycling n = 1..N on successive calls."""
    count = {"t": 0}

    def grad(w):
        n = count["t"] % x.size
        count["t"] += 1
        return np.array([-(y[n] - w[0] * x[n]) * x[n]])
    return grad


def epoch_factor(lr: float, x: np.ndarray, mode: str) -> float:
    """How the error is scaled: ``1 - lr sum x^2`` per batch step, ``prod(1 - lr x^2)`` per epoch.

    Both updates are affine in w; this is their slope, and |slope| < 1 means contraction.
    """
    if mode == "batch":
        return float(1.0 - lr * np.sum(x * x))
    return float(np.prod(1.0 - lr * x * x))


def checked_fn(fn, name: str, default):
    """``fn`` if it is callable, ``default`` if it is None, else a TypeError."""
    if fn is None:
        return default
    if not callable(fn):
        raise TypeError(f"{name} must be a function theta -> value (theta = np.array([w, b])); "
                        f"got {type(fn).__name__}")
    return fn


def loss_at(loss_fn, theta) -> float:
    """``loss_fn(theta)`` as a float, or an error naming what the function returned."""
    value = loss_fn(np.asarray(theta, dtype=float).copy())
    arr = np.asarray(value)
    if arr.size != 1 or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"loss_fn must return one number; got {type(value).__name__} of "
                        f"shape {arr.shape}")
    return float(arr.reshape(()))


def grad_at(grad_fn, theta) -> np.ndarray:
    """``grad_fn(theta)`` checked to be two finite numbers."""
    g = as_array(grad_fn(np.asarray(theta, dtype=float).copy()), "grad_fn(theta)", finite=False)
    if g.shape != (2,):
        raise ValueError(f"grad_fn must return an array of shape (2,) = (dL/dw, dL/db); got "
                         f"shape {g.shape}")
    return g


def real(value, name: str, lo: float | None = None, hi: float | None = None) -> float:
    """A finite real preset, optionally in [lo, hi] (a slider would clamp it silently)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ValueError(f"{name} must lie in [{lo:g}, {hi:g}]; got {value:g}")
    return value


def point(theta, name: str, window) -> tuple[float, float]:
    """A point (w, b) inside the window."""
    arr = as_array(theta, name, ndim=1, spec="(2,) = (w, b)")
    if arr.shape != (2,):
        raise ValueError(f"{name} must have shape (2,) = (w, b); got shape {arr.shape}")
    w = real(float(arr[0]), f"{name}[0] (w)", window[0], window[1])
    b = real(float(arr[1]), f"{name}[1] (b)", window[2], window[3])
    return w, b


def grid(loss_fn, window, resolution: int):
    """``optim.surface_grid``, cached for the default toy loss (several widgets share it)."""
    from ...optim.surfaces import surface_grid

    if loss_fn is toy_loss:
        return _toy_grid(tuple(float(v) for v in window), resolution)
    return surface_grid(loss_fn, window, resolution)


@functools.lru_cache(maxsize=8)
def _toy_grid(window: tuple, resolution: int):
    from ...optim.surfaces import surface_grid

    W, B, Z = surface_grid(toy_loss, window, resolution)
    for a in (W, B, Z):
        a.setflags(write=False)
    return W, B, Z


class DescentApp(ImageFirst, FitsLegends, BlitsAxes, App):
    """An ``App`` that can hold its updates while several controls change (``Muted``) and
    recomputes its expensive part only when one of ``self.inputs`` (control names) changed."""

    inputs: tuple = ()
    _muted = False
    #: Set by ``recompute``/``update`` when a change is not only in the moving artists (a new
    #: title, say): the next redraw is then a full draw, not a blit.
    _needs_full = False

    def _on_change(self, change=None) -> None:
        if self._muted:
            return
        owner = getattr(change, "owner", None) if change is not None else None
        if owner is None or any(owner is self.controls[k] for k in self.inputs):
            self.recompute()
        self.update()
        full, self._needs_full = self._needs_full, False
        self.redraw(full=full)

    def recompute(self) -> None:
        """Recompute what depends on ``self.inputs`` (a path, a curve); default: nothing."""


class Muted:
    """Set several controls at once and update once (``with Muted(app): ...``)."""

    def __init__(self, app):
        self.app = app

    def __enter__(self):
        self.app._muted = True
        return self.app

    def __exit__(self, *exc):
        self.app._muted = False
        if exc[0] is None:
            self.app._on_change()
        return False
