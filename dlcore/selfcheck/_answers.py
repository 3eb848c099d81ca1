"""Reading a learner's answer as numbers, shared by the lecture self-checks."""

from __future__ import annotations

import numpy as np


def number(answer) -> float:
    """One number (a Python number or a size-1 array); ValueError otherwise."""
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
