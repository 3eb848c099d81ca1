"""Helpers shared by the checks of assignment A2: delegation targets and comparisons.

``_GRADIENT_TOOLS`` are the numerical and automatic differentiators a student's gradient must
not call; ``_floats`` reads a result as n numbers; ``_close`` compares arrays (shapes must
agree).
"""

from __future__ import annotations

import numpy as np

from ... import gradcheck
from ...engine import Value
from .._core import GradingError, close

_GRADIENT_TOOLS = [gradcheck.numerical_gradient, gradcheck.numerical_vjp, Value.backward]


def _sig(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def _floats(out, n: int, name: str, what: str) -> np.ndarray:
    """``out`` as n floats, or a GradingError that says what the function must return."""
    try:
        arr = np.asarray(out, dtype=float).ravel()
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.size != n:
        raise GradingError(f"{name} must return {what}")
    return arr


def _close(a, b) -> bool:
    return close(a, b, rtol=1e-6, atol=1e-9)
