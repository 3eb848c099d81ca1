"""Helpers shared by the checks of assignment A5: delegation targets and comparisons.

``_items`` reads the first k results of a tuple-returning function, ``_shape_of`` the shape of
a result (None if it is not numeric), ``_close`` compares arrays (shapes must agree).
"""

from __future__ import annotations

import numpy as np

from ... import gradcheck
from .._core import GradingError, close

_GRADIENT_TOOLS = [gradcheck.numerical_gradient, gradcheck.numerical_vjp]


def _sig(a):
    return 1.0 / (1.0 + np.exp(-a))


def _close(a, b, rtol=1e-6, atol=1e-8) -> bool:
    return close(a, b, rtol, atol)


def _items(out, k: int, name: str, what: str) -> tuple:
    """The first k results of a function that returns a tuple (extra trailing items allowed)."""
    if isinstance(out, (tuple, list)) and len(out) >= k:
        return tuple(out[:k])
    raise GradingError(f"{name} must return {what}")


def _shape_of(a):
    try:
        arr = np.asarray(a, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr.shape
