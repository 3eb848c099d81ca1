"""Reading and comparing a learner's answer, shared by the lecture self-checks."""

from __future__ import annotations

import numbers as _real

import numpy as np


def number(answer, *, strict: bool = False) -> float:
    """One number (a Python number or a size-1 array); ValueError otherwise.

    ``strict``: only a real number (not a bool) or a size-1 array counts; anything else (a
    list, a string) is a TypeError that says a single number is wanted.
    """
    if strict and (isinstance(answer, bool) or not isinstance(answer, (_real.Real, np.ndarray))
                   or np.size(answer) != 1):
        raise TypeError("the answer must be a single number")
    arr = np.asarray(answer, dtype=float)
    if arr.size != 1:
        raise ValueError(f"expected one number, got an array of shape {arr.shape}")
    return float(arr.reshape(()))


def numbers(answer, n: int) -> np.ndarray:
    """Exactly ``n`` numbers, flattened; ValueError otherwise."""
    arr = np.asarray(answer, dtype=float).reshape(-1)
    if arr.size != n:
        raise ValueError(f"expected {n} numbers, got {arr.size}")
    return arr


def close(a, b, *, atol: float = 1e-4, rtol: float = 0.0) -> bool:
    """``|a - b| <= atol + rtol |b|`` everywhere (``numpy.allclose``); False when ``a`` and ``b``
    cannot be compared (not numeric, or shapes that do not broadcast)."""
    try:
        return bool(np.allclose(np.asarray(a, dtype=np.float64), b, rtol=rtol, atol=atol))
    except (TypeError, ValueError):
        return False
