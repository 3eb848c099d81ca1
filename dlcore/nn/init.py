"""Weight initialisation schemes for every module with a ``weight`` of two or more axes.

Shapes: a weight ``w`` of shape (M, D, *k) - (M, D) for Linear, (F, C, KH, KW) for Conv2d -
has fan_in = D * prod(k) inputs and fan_out = M * prod(k) outputs per unit; the bias is (M,).

A layer's output variance is about ``fan_in * Var(w) * E[x^2]``, so the scale of ``w`` decides
whether activations keep their size through depth.  Xavier/Glorot picks ``Var(w) = 2 / (fan_in
+ fan_out)`` (the compromise between forward and backward passes for tanh-like units); He/Kaiming
picks ``Var(w) = 2 / fan_in`` (ReLU zeroes half of its inputs, so it doubles the variance).
"""

from __future__ import annotations

import numpy as np

from .._checks import check_choice, check_positive
from .._random import get_rng

__all__ = ["init_weights", "fan_in_fan_out", "SCHEMES"]

SCHEMES = ("zeros", "normal", "xavier_uniform", "xavier_normal", "he_normal", "he_uniform",
           "torch_default")


def fan_in_fan_out(shape) -> tuple[int, int]:
    """``fan_in = D * prod(k)`` and ``fan_out = M * prod(k)`` for a weight of shape (M, D, *k)."""
    shape = tuple(int(s) for s in shape)
    if len(shape) < 2:
        raise ValueError(f"fan_in/fan_out need a weight of shape (M, D, *k) with at least 2 axes; "
                         f"got shape {shape}")
    receptive = int(np.prod(shape[2:], dtype=np.int64))
    return shape[1] * receptive, shape[0] * receptive


def torch_default_(weight: np.ndarray, bias: np.ndarray | None, rng=None) -> None:
    """torch's Linear/Conv2d default, in place: ``w, b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))``.

    torch draws ``kaiming_uniform_(w, a=sqrt(5))``, whose bound ``sqrt(6 / ((1 + a^2) fan_in))``
    simplifies to ``1/sqrt(fan_in)``, then the bias with the same bound.  Shapes: ``weight``
    (M, D, *k), ``bias`` (M,) or None.
    """
    rng = get_rng(rng)
    fan_in, _ = fan_in_fan_out(weight.shape)
    bound = 1.0 / np.sqrt(fan_in) if fan_in > 0 else 0.0
    weight[...] = rng.uniform(-bound, bound, size=weight.shape)
    if bias is not None:
        bias[...] = rng.uniform(-bound, bound, size=bias.shape)


def init_weights(module, scheme: str, rng=None, *, std: float = 0.01):
    """Re-initialise, in place, every sub-module whose ``weight`` Parameter has >= 2 axes.

    Schemes (weight of shape (M, D, *k), fan_in = D*prod(k), fan_out = M*prod(k)):

    - ``"zeros"``: ``w = 0``; every unit of a layer then computes the same thing and receives
      the same gradient, so the symmetry never breaks.
    - ``"normal"``: ``w ~ N(0, std^2)`` (``std=0.01`` by default).
    - ``"xavier_uniform"``: ``w ~ U(-a, a)``, ``a = sqrt(6 / (fan_in + fan_out))``, so
      ``Var(w) = a^2/3 = 2 / (fan_in + fan_out)``.
    - ``"xavier_normal"``: ``w ~ N(0, 2 / (fan_in + fan_out))``.
    - ``"he_normal"``: ``w ~ N(0, 2 / fan_in)`` (torch ``kaiming_normal_``, ReLU gain).
    - ``"he_uniform"``: ``w ~ U(-a, a)``, ``a = sqrt(6 / fan_in)``, so ``Var(w) = 2 / fan_in``.
    - ``"torch_default"``: ``w, b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))``, as a fresh torch layer.

    Biases are set to zero, except with ``"torch_default"``.  Modules whose weight has one
    axis (batch norm's gamma) are left alone.  Parameters are visited in ``modules()`` order,
    weight before bias, so a seeded ``rng`` gives the same weights every time.  Returns
    ``module``.
    """
    check_choice(scheme, "scheme", SCHEMES)
    std = check_positive(std, "std", allow_zero=True)
    rng = get_rng(rng)
    touched = 0
    for m in module.modules():
        w = m._parameters.get("weight")
        if w is None or w.data.ndim < 2:
            continue
        b = m._parameters.get("bias")
        touched += 1
        if scheme == "torch_default":
            torch_default_(w.data, None if b is None else b.data, rng)
            continue
        fan_in, fan_out = fan_in_fan_out(w.shape)
        w.data[...] = _draw(scheme, w.shape, fan_in, fan_out, std, rng)
        if b is not None:
            b.data[...] = 0.0
    if touched == 0:
        raise ValueError(f"init_weights: {type(module).__name__} has no sub-module with a "
                         f"'weight' Parameter of shape (M, D, *k) to initialise")
    return module


def _draw(scheme, shape, fan_in, fan_out, std, rng) -> np.ndarray:
    if scheme == "zeros":
        return np.zeros(shape)
    if scheme == "normal":
        return rng.normal(0.0, std, size=shape)
    if fan_in == 0 or fan_out == 0:
        return np.zeros(shape)
    if scheme == "xavier_uniform":
        a = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-a, a, size=shape)
    if scheme == "xavier_normal":
        return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=shape)
    if scheme == "he_normal":
        return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)
    a = np.sqrt(6.0 / fan_in)  # he_uniform
    return rng.uniform(-a, a, size=shape)
