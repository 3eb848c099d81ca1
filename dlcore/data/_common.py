"""Helpers shared by the data generators."""

from __future__ import annotations

import numbers

import numpy as np

from .._random import get_rng


def generator(seed) -> np.random.Generator:
    """``seed`` -> Generator: int -> fresh seeded one, Generator -> itself, None -> package one."""
    if isinstance(seed, bool) or not (
        seed is None
        or isinstance(seed, np.random.Generator)
        or (isinstance(seed, numbers.Integral) and seed >= 0)
    ):
        raise TypeError(f"seed must be a non-negative int, a numpy Generator or None; got {seed!r}")
    return get_rng(seed)


def label_values(labels: str) -> tuple[int, int]:
    """The (negative, positive) label pair for ``labels="01"`` or ``labels="pm"``."""
    if labels == "01":
        return 0, 1
    if labels == "pm":
        return -1, 1
    raise ValueError(f"labels must be '01' (y in {{0, 1}}) or 'pm' (y in {{-1, +1}}); "
                     f"got {labels!r}")
