"""One seeded random generator for the whole package.

Functions that draw random numbers take ``rng=None``: an ``np.random.Generator``, an int seed,
or None for the package generator, which ``dlcore.set_seed(seed)`` resets.  Notebooks call
``dl.set_seed(0)`` once at the top so that every run draws the same numbers.
"""

from __future__ import annotations

import numbers

import numpy as np

_state = {"rng": np.random.default_rng(0)}


def set_seed(seed: int) -> None:
    """Reset the package generator used when a function is called with ``rng=None``."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}")
    _state["rng"] = np.random.default_rng(int(seed))


def get_rng(rng=None, name: str = "rng") -> np.random.Generator:
    """Normalise an ``rng`` argument: Generator -> itself, int -> new Generator, None -> shared.

    ``name`` is the argument's name in the error message (the data generators name it
    ``seed``, a random seed)."""
    if rng is None:
        return _state["rng"]
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool) and rng >= 0:
        return np.random.default_rng(int(rng))
    raise TypeError(f"{name} must be a non-negative int, a numpy Generator or None; got {rng!r}")
