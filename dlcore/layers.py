"""Layers as stateless forward/backward pairs: linear (affine), inverted dropout, batch norm.

Shape legend: N batch, D input features, M output features; C channels and H x W spatial
size for image batches (N, C, H, W).  Weights use PyTorch's layout: a linear layer computes
``out = x @ w.T + b`` with ``w`` (M, D), so its parameters load into ``torch.nn.Linear``.

Every ``<op>_forward(...)`` returns ``(out, cache)``; ``<op>_backward(dout, cache)`` takes
``dout`` of the shape of ``out`` and returns the gradients of the inputs, in argument order.
The stateful wrappers (``dlcore.nn.Linear``, ``Dropout``, ``BatchNorm1d``...) are built on these.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._checks import (
    as_array,
    check_flag,
    check_positive,
    check_probability,
    check_shapes,
    shape_str,
)
from ._checks import check_dout as _dout
from ._random import get_rng

__all__ = [
    "linear_forward", "linear_backward",
    "dropout_forward", "dropout_backward",
    "batchnorm_forward", "batchnorm_backward",
]


def linear_forward(x, w, b=None):
    """Affine map ``out = x @ w.T + b``.

    x (N, D), w (M, D), b (M,) or None -> out (N, M).  A single sample must be passed as a
    batch of one, ``x[None, :]``, so that a (D,) vector is never silently treated as a batch.
    """
    x = as_array(x, "x")
    if x.ndim != 2:
        hint = " (pass one sample as x[None, :])" if x.ndim == 1 else ""
        raise ValueError(f"linear_forward: x must be a 2-D array of shape (N, D), batch first; "
                         f"got {x.ndim}-D array of shape {shape_str(x.shape)}{hint}")
    w = as_array(w, "w", ndim=2, spec="(M, D)")
    if b is not None:
        b = as_array(b, "b", ndim=1, spec="(M,)")
    check_shapes("linear_forward", x=(x, "N D"), w=(w, "M D"), b=(b, "M"))
    out = x @ w.T
    if b is not None:
        out = out + b
    return out, (x, w, b is not None)


def linear_backward(dout, cache):
    """``dx = dout @ w``, ``dw = dout.T @ x``, ``db = sum over rows of dout``.

    dout (N, M) -> dx (N, D), dw (M, D), db (M,) (None when the forward had no bias).
    """
    x, w, has_bias = cache
    dout = _dout(dout, (x.shape[0], w.shape[0]), "linear_backward")
    dx = dout @ w
    dw = dout.T @ x
    db = dout.sum(axis=0) if has_bias else None
    return dx, dw, db


def dropout_forward(x, p: float = 0.5, training: bool = True, rng=None):
    """Inverted dropout ``out = x * m / (1 - p)`` with ``m_i ~ Bernoulli(1 - p)``.

    ``p`` is the DROP probability, as in ``torch.nn.Dropout`` (some slides use the keep
    probability, ``1 - p``).  Kept units are scaled by ``1 / (1 - p)`` during training so that
    ``E[out] = x`` and evaluation is the identity, with no test-time rescaling.  With
    ``training=False`` or ``p == 0`` the output is a copy of ``x`` and no random number is
    drawn.  The mask is ``get_rng(rng).random(x.shape) >= p``, so an int seed gives the same
    mask on every call.  x any shape -> out same shape.
    """
    where = "dropout_forward"
    if isinstance(p, numbers.Real) and not isinstance(p, bool) and float(p) == 1.0:
        raise ValueError(f"{where}: p is the drop probability and must lie in [0, 1); p = 1 "
                         f"would drop every unit and the 1/(1 - p) scaling would divide by zero")
    p = check_probability(p, f"{where}: p (the drop probability)")
    training = check_flag(training, f"{where}: training")
    x = as_array(x, "x")
    if not training or p == 0.0:
        return x.copy(), (None, x.shape)
    keep = get_rng(rng).random(x.shape) >= p
    scale = (keep / (1.0 - p)).astype(x.dtype, copy=False)
    return x * scale, (scale, x.shape)


def dropout_backward(dout, cache):
    """``dx = dout * m / (1 - p)`` with the forward's mask (``dx = dout`` in eval mode).

    dout same shape as x -> dx same shape.
    """
    scale, shape = cache
    dout = _dout(dout, shape, "dropout_backward")
    return dout.copy() if scale is None else dout * scale


def _param(v, name: str, size: int, what: str, where: str):
    if v is None:
        return None
    v = as_array(v, name, ndim=1, spec=f"({what},)")
    if v.shape[0] != size:
        raise ValueError(f"{where}: {name} must have shape ({what},) = ({size},) to match x; "
                         f"got shape {shape_str(v.shape)}")
    return v


def _running(v, name: str, size: int, what: str, where: str) -> np.ndarray:
    if not isinstance(v, np.ndarray) or not np.issubdtype(v.dtype, np.floating):
        raise TypeError(f"{where}: {name} must be a float numpy array of shape ({what},), "
                        f"updated in place; got {type(v).__name__}")
    if v.shape != (size,):
        raise ValueError(f"{where}: {name} must have shape ({what},) = ({size},) to match x; "
                         f"got shape {shape_str(v.shape)}")
    if not v.flags.writeable:
        raise ValueError(f"{where}: {name} must be writeable (it is updated in place)")
    as_array(v, name)
    return v


def batchnorm_forward(x, gamma, beta, running_mean=None, running_var=None, training=True,
                      momentum=0.1, eps=1e-5):
    """Batch norm ``out = gamma * (x - mu) / sqrt(var + eps) + beta``, per feature or channel.

    x (N, D) is normalised per feature (as ``torch.nn.BatchNorm1d``); x (N, C, L) and
    x (N, C, H, W) per channel over the batch and spatial axes (BatchNorm1d / BatchNorm2d).
    gamma, beta (D,) or (C,), or None for no scale / no shift; running_mean, running_var
    (D,) or (C,) float arrays or both None.  Training uses the batch mean and the biased
    batch variance, and updates the running stats in place, as torch:
    ``running = (1 - momentum) * running + momentum * batch_stat``, with the unbiased variance
    (``n / (n - 1)`` times the biased one) for ``running_var``.  Eval (``training=False``)
    normalises with the running stats and leaves them unchanged.  out has the shape of x.
    """
    where = "batchnorm_forward"
    training = check_flag(training, f"{where}: training")
    momentum = check_probability(momentum, f"{where}: momentum", include_one=True)
    eps = check_positive(eps, "eps", allow_zero=True)
    x = as_array(x, "x", ndim=(2, 3, 4), spec="(N, D), (N, C, L) or (N, C, H, W)")
    what = "D" if x.ndim == 2 else "C"
    size = x.shape[1]
    gamma = _param(gamma, "gamma", size, what, where)
    beta = _param(beta, "beta", size, what, where)
    if (running_mean is None) != (running_var is None):
        raise ValueError(f"{where}: pass both running_mean and running_var, or neither")
    tracked = running_mean is not None
    if tracked:
        running_mean = _running(running_mean, "running_mean", size, what, where)
        running_var = _running(running_var, "running_var", size, what, where)
        if np.any(running_var < 0):
            raise ValueError(f"{where}: running_var must be >= 0")

    axes = (0,) + tuple(range(2, x.ndim))
    bshape = (1, size) + (1,) * (x.ndim - 2)
    count = x.size // size if size else 0
    if training:
        if count < 2:
            raise ValueError(f"{where}: training needs more than 1 value per {what} (batch and "
                             f"spatial size together); got x of shape {shape_str(x.shape)}")
        mean = x.mean(axis=axes)
        var = x.var(axis=axes)
        if tracked:
            # Same update and unbiased variance as torch, so its running stats can be loaded.
            running_mean *= 1.0 - momentum
            running_mean += momentum * mean
            running_var *= 1.0 - momentum
            running_var += momentum * var * (count / (count - 1))
    else:
        if not tracked:
            raise ValueError(f"{where}: eval mode (training=False) normalises with the running "
                             f"stats; pass running_mean and running_var of shape ({what},)")
        mean, var = running_mean.astype(x.dtype), running_var.astype(x.dtype)
    if eps == 0.0 and np.any(var == 0):
        raise ValueError(f"{where}: a {'feature' if what == 'D' else 'channel'} has zero "
                         f"variance and eps = 0, so it cannot be normalised; use eps > 0")
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mean.reshape(bshape)) * inv_std.reshape(bshape)
    out = x_hat
    if gamma is not None:
        out = out * gamma.reshape(bshape)
    if beta is not None:
        out = out + beta.reshape(bshape)
    if out is x_hat:
        out = x_hat.copy()
    return out, (x_hat, gamma, beta is not None, inv_std, axes, bshape, training)


def batchnorm_backward(dout, cache):
    """Gradients of batch norm, ``dx, dgamma = sum(dout * x_hat), dbeta = sum(dout)``.

    Training: ``dx = inv_std / n * (n g - sum(g) - x_hat * sum(g * x_hat))`` with
    ``g = gamma * dout`` and sums over the n values of each feature or channel, because the
    batch mean and variance depend on x.  Eval: ``dx = gamma * dout * inv_std`` (the running
    stats are constants).  dout shape of x -> dx shape of x, dgamma and dbeta (D,) or (C,)
    (None where the forward had no gamma / beta).
    """
    x_hat, gamma, has_beta, inv_std, axes, bshape, training = cache
    dout = _dout(dout, x_hat.shape, "batchnorm_backward")
    dbeta = dout.sum(axis=axes) if has_beta else None
    dgamma = (dout * x_hat).sum(axis=axes) if gamma is not None else None
    g = dout * gamma.reshape(bshape) if gamma is not None else dout
    if not training:
        return g * inv_std.reshape(bshape), dgamma, dbeta
    n = x_hat.size // x_hat.shape[1]
    g_sum = g.sum(axis=axes, keepdims=True)
    gx_sum = (g * x_hat).sum(axis=axes, keepdims=True)
    dx = (inv_std.reshape(bshape) / n) * (n * g - g_sum - x_hat * gx_sum)
    return dx, dgamma, dbeta
