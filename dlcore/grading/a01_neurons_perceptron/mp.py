"""Exercise 1 of A1: the McCulloch-Pitts neuron and its AND/OR thresholds, graded by
the truth table the thresholds give."""

from __future__ import annotations

import numbers

import numpy as np

from ... import neurons
from .._core import Exercise, GradingError, case_rng, expect_function, lookup

EXERCISES: dict[str, Exercise] = {}


def _describe_mp(args, kwargs):
    x, theta = args[0], args[1]
    inh = args[2] if len(args) > 2 else kwargs.get("inhibitory", ())
    return f"x={list(np.asarray(x).astype(int))}, threshold={theta}, inhibitory={tuple(inh)}"


def _mp_strict(x, threshold, inhibitory=()):
    if any(x[i] for i in inhibitory):
        return 0
    return int(np.sum(x) > threshold)


def _mp_no_inhibition(x, threshold, inhibitory=()):
    return int(np.sum(x) >= threshold)


def _mp_inhibit_as_negative(x, threshold, inhibitory=()):
    x = np.asarray(x, dtype=float)
    w = np.ones_like(x)
    w[list(inhibitory)] = -1
    return int(w @ x >= threshold)


_MP_WRONG = [
    (_mp_strict, "the unit fires only when the sum is strictly greater than the threshold; an "
                 "MP unit fires as soon as the sum reaches it (>=)"),
    (_mp_no_inhibition, "an active inhibitory input must force the output to 0, whatever the sum"),
    (_mp_inhibit_as_negative, "inhibition in an MP unit is absolute (any active inhibitory input "
                              "gives 0), not a weight of -1"),
]


def _mp_cases(hidden: bool):
    if not hidden:
        X, _ = neurons.truth_table(lambda r: 0, 3)
        cases = [((row.astype(float), 2), {}) for row in X]
        cases += [((row.astype(float), 1, (0,)), {}) for row in X]
        return cases
    rng = case_rng(101, hidden=True)
    cases = []
    for _ in range(60):
        n = int(rng.integers(2, 7))
        x = rng.integers(0, 2, size=n).astype(float)
        theta = int(rng.integers(0, n + 2))
        k = int(rng.integers(0, 3))
        inh = tuple(sorted(rng.choice(n, size=min(k, n), replace=False).tolist()))
        cases.append(((x, theta, inh), {}))
    return cases


def _mp_values(ns, ctx, hidden):
    f = lookup(ns, "mp_neuron")
    expect_function(f, "mp_neuron", neurons.mp_neuron, _mp_cases(hidden), _MP_WRONG,
                    forbidden=[neurons.mp_neuron],
                    describe=None if hidden else _describe_mp)


# The thresholds are graded by what they do: every theta whose unit gives AND's (or OR's) truth
# table over all 2^7 inputs is right (6.5 as well as 7 for AND), and a wrong one is described by
# the table it gives instead.
_N_INPUTS = 7


def _fires_from(theta) -> int | None:
    """The smallest number of active inputs (0..n) that makes the unit fire, or None (never)."""
    counts = np.arange(_N_INPUTS + 1)
    firing = counts[counts >= theta]
    return int(firing[0]) if firing.size else None


def _truth_table(theta) -> np.ndarray:
    """The unit's output on every row of the n-input truth table (no inhibitory inputs)."""
    X, _ = neurons.truth_table(lambda r: 0, _N_INPUTS)
    return np.array([neurons.mp_neuron(row, theta) for row in X])


def _threshold_value(ns, name: str) -> float:
    value = lookup(ns, name, "value")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise GradingError(f"{name} must be a number (the unit fires when the sum of its "
                           f"inputs is >= the threshold)")
    if not np.isfinite(float(value)):
        raise GradingError(f"{name} must be a finite number")
    return float(value)


def _threshold_hint(name: str, theta: float, gate: str) -> str:
    """What the unit with this threshold computes, in words, and why that is not ``gate``."""
    k = _fires_from(theta)
    shown = f"{name} = {theta:.12g}"
    if k is None:
        return (f"with {shown} the unit never fires: {_N_INPUTS} inputs sum to at most "
                f"{_N_INPUTS}")
    if k == 0:
        what = f"with {shown} the unit fires for every input, even when all {_N_INPUTS} are 0"
    elif k == 1:
        what = f"with {shown} the unit fires as soon as one input is on: that is OR"
    elif k == _N_INPUTS:
        what = f"with {shown} the unit fires only when all {_N_INPUTS} inputs are on: that is AND"
    else:
        what = f"with {shown} the unit fires when at least {k} of the {_N_INPUTS} inputs are on"
    want = {"AND": f"AND must fire only when all {_N_INPUTS} inputs are on",
            "OR": "OR must fire as soon as one input is on, and stay at 0 when none is"}[gate]
    hint = f"{what}; {want}"
    needed = _N_INPUTS if gate == "AND" else 1
    if needed - 1 <= theta < needed:  # right for a unit that fires when the sum EXCEEDS theta
        hint += (" (an MP unit fires when the sum reaches the threshold, sum >= theta, not only "
                 "when it is strictly greater)")
    return hint


def _mp_thresholds(ns, ctx, hidden):
    X, _ = neurons.truth_table(lambda r: 0, _N_INPUTS)
    tables = {"AND": np.all(X == 1, axis=1).astype(int), "OR": np.any(X == 1, axis=1).astype(int)}
    for name, gate in (("THETA_AND", "AND"), ("THETA_OR", "OR")):
        theta = _threshold_value(ns, name)
        if np.array_equal(_truth_table(theta), tables[gate]):
            continue
        raise GradingError(f"{name}: {_threshold_hint(name, theta, gate)}")


EXERCISES["mp_neuron"] = Exercise(
    "McCulloch-Pitts neuron", {"values": _mp_values, "thresholds": _mp_thresholds})
