"""Exercise 6 of A1: sigmoid towers, the weights that build one and its plateau."""

from __future__ import annotations

import numpy as np

from ...nn import containers
from .._core import Exercise, GradingError, call, case_rng, lookup, record_secret

EXERCISES: dict[str, Exercise] = {}


def _tower_net(w1, b1, w2, b2, x):
    h = 1 / (1 + np.exp(-(x[:, None] @ np.asarray(w1).T + b1)))
    return (h @ np.asarray(w2).T + b2).ravel()


# The inputs x on which the network is compared, and the exercise's own tower.
TOWER_X = np.linspace(-4, 5, 61)
_TOWER_VISIBLE = (2.0, -1.0, 4.0, 8.0, -0.5, 1.5)


def tower_cases(hidden: bool) -> list[tuple[float, ...]]:
    """The ``(a, b, c, k, m1, m2)`` given to ``tower_weights``: the exercise's tower, or two
    towers drawn from the grading secret.  A hidden tower stays easy to see on ``TOWER_X``:
    k in [4, 12], the steps at least 1.5 apart with m1 in [-3, 1] and m2 <= 4 (so each sigmoid
    is within 5% of 0 or 1 halfway between them and at the ends of x), plateaus that differ by
    1 to 3, and |m1 + m2| >= 1, so that biases of the wrong sign (steps at -m1 and -m2) never
    build the same tower."""
    if not hidden:
        return [_TOWER_VISIBLE]
    rng = case_rng(606, hidden=True)
    cases = []
    for _ in range(2):
        b = float(rng.uniform(-2.0, 2.0))
        a, c = (b + float(rng.choice([-1.0, 1.0]) * rng.uniform(1.0, 3.0)) for _ in range(2))
        k = float(rng.uniform(4.0, 12.0))
        m1, m2 = 0.0, 0.0
        while abs(m1 + m2) < 1.0:  # steps not mirror images around 0 (where the biases' sign
            m1 = float(rng.uniform(-3.0, 1.0))  # would not matter when a = c)
            m2 = m1 + float(rng.uniform(1.5, 3.0))
        cases.append((a, b, c, k, m1, m2))
    return cases


def tower_target(a, b, c, k, m1, m2, x=TOWER_X) -> np.ndarray:
    """What the network must compute: b + (a - b) sigma(k (x - m1)) + (c - b) sigma(k (x - m2))."""
    return b + (a - b) / (1 + np.exp(-k * (x - m1))) + (c - b) / (1 + np.exp(-k * (x - m2)))


def _tower_values(ns, ctx, hidden):
    f = lookup(ns, "tower_weights")
    x = TOWER_X
    for a, b, c, k, m1, m2 in tower_cases(hidden):
        out = call(f, "tower_weights", (a, b, c, k, m1, m2), {},
                   forbidden=[containers.tower_weights])
        if not (isinstance(out, (tuple, list)) and len(out) == 4):
            raise GradingError("tower_weights must return (w1, b1, w2, b2)")
        w1, b1, w2, b2 = (np.asarray(v, dtype=float) for v in out)
        shapes = (w1.shape, b1.shape, w2.shape, b2.shape)
        if shapes != ((2, 1), (2,), (1, 2), (1,)):
            hint = " (PyTorch's layout is (out_features, in_features))" \
                if shapes[0] == (1, 2) or shapes[2] == (2, 1) else ""
            raise GradingError(f"shapes must be w1 (2, 1), b1 (2,), w2 (1, 2), b2 (1,); got "
                               f"{shapes}{hint}")
        target = tower_target(a, b, c, k, m1, m2, x)
        record_secret(target)
        got = _tower_net(w1, b1, w2, b2, x)
        if not np.allclose(got, target, atol=1e-8):
            if np.allclose(_tower_net(w1, -b1, w2, b2, x), target, atol=1e-8):
                raise GradingError("the hidden biases have the wrong sign: sigma(k (x - m)) has "
                                   "bias -k m")
            raise GradingError("the network does not compute b + (a - b) sigma(k (x - m1)) + "
                               "(c - b) sigma(k (x - m2))")


def _tower_plateau(ns, ctx, hidden):
    p = float(lookup(ns, "PLATEAU_RIGHT", "value"))
    a, b, c = 2.0, -1.0, 4.0
    if np.isclose(p, c):
        raise GradingError("PLATEAU_RIGHT: that is c; far to the right both sigmoids are 1, so "
                           "the output is b + (a - b) + (c - b)")
    if not np.isclose(p, a + c - b):
        raise GradingError("PLATEAU_RIGHT: let x grow: each sigmoid tends to 1")


EXERCISES["towers"] = Exercise(
    "Sigmoid towers", {"values": _tower_values, "plateau": _tower_plateau})
