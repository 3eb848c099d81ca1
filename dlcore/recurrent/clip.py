"""Gradient clipping, the standard fix for exploding gradients in RNNs: by global norm or by value.

Shapes: ``grads`` is a list of arrays of any shapes (one per parameter); both functions
modify them in place, like ``torch.nn.utils.clip_grad_norm_`` / ``clip_grad_value_``.

Clipping by norm rescales the whole gradient, g <- (tau / ||g||_2) g when ||g||_2 > tau, so its
direction is kept; ||g||_2 is the true L2 norm (the square root of the sum of squares) over all
arrays together.  Clipping by value clamps every entry to [-tau, tau] independently, which can
change the direction.  The two are separate methods (one deck merges them), and one deck's
``grad_norm = np.sum(grad * grad)`` is the squared norm, which clips [3, 4] at tau = 1 to
[0.12, 0.16] instead of [0.6, 0.8].
"""

from __future__ import annotations

import numpy as np

from .._checks import check_positive

__all__ = ["clip_grad_norm", "clip_grad_value"]

# torch.nn.utils.clip_grad_norm_ divides by (norm + 1e-6); kept so that results match it.
_EPS = 1e-6


def _grad_arrays(grads, where: str) -> list[np.ndarray]:
    """The arrays to clip: ndarrays, or objects with a ``.grad`` array (None grads skipped)."""
    if isinstance(grads, np.ndarray) or hasattr(grads, "grad"):
        grads = [grads]
    elif isinstance(grads, (str, bytes)) or not hasattr(grads, "__iter__"):
        raise TypeError(f"{where}: grads must be a list of numpy arrays; got "
                        f"{type(grads).__name__}")
    arrays = []
    for k, g in enumerate(grads):
        label = f"grads[{k}]"
        if not isinstance(g, np.ndarray) and hasattr(g, "grad"):  # a Parameter
            g, label = g.grad, f"grads[{k}].grad"
            if g is None:
                continue
        if not isinstance(g, np.ndarray):
            raise TypeError(f"{where}: {label} must be a numpy array (it is modified in "
                            f"place); got {type(g).__name__}")
        if not np.issubdtype(g.dtype, np.floating):
            raise TypeError(f"{where}: {label} must be a floating-point array so that it can be "
                            f"scaled in place; got dtype {g.dtype}")
        if not g.flags.writeable:
            raise ValueError(f"{where}: {label} is read-only; clipping modifies it in place")
        arrays.append(g)
    return arrays


def _global_norm(arrays) -> float:
    """``sqrt(sum_k sum(g_k ** 2))`` over a list of arrays, in float64, without overflow."""
    flat = [np.asarray(a, dtype=np.float64).ravel() for a in arrays]
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is handled below
        total = sum(float(np.dot(f, f)) for f in flat)
    if np.isfinite(total):
        return float(np.sqrt(total))
    if not all(np.all(np.isfinite(f)) for f in flat):
        return float("nan")
    # Finite entries whose squares overflow: rescale by the largest magnitude first.
    big = max(float(np.max(np.abs(f))) for f in flat if f.size)
    return big * float(np.sqrt(sum(float(np.dot(f / big, f / big)) for f in flat)))


def clip_grad_norm(grads, max_norm) -> float:
    """Clip by global norm: if ``||g||_2 > tau`` then ``g <- g * tau / (||g||_2 + 1e-6)``.

    ``grads`` is a list of float arrays of any shapes (or Parameters, whose ``.grad`` is used),
    scaled in place; ``||g||_2`` is the L2 norm of all their entries together.  ``max_norm``
    is tau > 0.  Returns the norm before clipping.  As in ``torch.nn.utils.clip_grad_norm_``
    the scale is ``min(1, tau / (norm + 1e-6))``, so a clipped gradient ends just below tau.
    A non-finite norm raises ValueError (torch would turn the gradients into NaN).
    """
    where = "clip_grad_norm"
    tau = check_positive(max_norm, "max_norm")
    arrays = _grad_arrays(grads, where)
    if not arrays:
        return 0.0
    norm = _global_norm(arrays)
    if not np.isfinite(norm):
        raise ValueError(f"{where}: the gradients hold NaN or inf (a sign of exploding "
                         f"gradients), so their norm is undefined and they cannot be rescaled")
    coef = tau / (norm + _EPS)
    if coef < 1.0:
        for g in arrays:
            g *= coef
    return norm


def clip_grad_value(grads, clip) -> None:
    """Clip by value: ``g <- min(max(g, -tau), tau)`` entrywise, in place.

    ``grads`` is a list of float arrays of any shapes (or Parameters, whose ``.grad`` is used);
    ``clip`` is tau > 0.  Returns None, like ``torch.nn.utils.clip_grad_value_``.
    """
    tau = check_positive(clip, "clip")
    for g in _grad_arrays(grads, "clip_grad_value"):
        np.clip(g, -tau, tau, out=g)
