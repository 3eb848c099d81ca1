"""Checks for assignment A1, neurons and the perceptron (lectures 2-5).

Exercises and the names the notebook defines:

1. ``mp_neuron(x, threshold, inhibitory=())`` and ``THETA_AND``, ``THETA_OR`` for 7 inputs,
   graded by the truth table they give (any threshold in (6, 7] is AND, any in (0, 1] is OR).
2. ``perceptron_step(w, x, y)``.
3. ``train_perceptron(X, y, max_epochs=100)``: X without a bias column; returns
   ``(w, errors_per_epoch)`` with ``w`` of length D + 1 (bias last) and warns when it stops
   without an error-free epoch.
4. ``W1, b1, w2, b2``: a two-layer threshold network for XOR (PyTorch layout).
5. ``mlp_counts(sizes) -> (neurons, weights, parameters)``.
6. ``tower_weights(a, b, c, k, m1, m2) -> (w1, b1, w2, b2)`` and ``PLATEAU_RIGHT``.
7. ``ANSWER_7``: which statement about the perceptron is wrong (multiple choice).
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from .. import counting, neurons
from ..nn import containers
from ._core import Assignment, Exercise, GradingError, call, expect_function, lookup

__all__ = ["checker", "ASSIGNMENT"]

ASSIGNMENT = Assignment("a01_neurons_perceptron")
checker = ASSIGNMENT.checker


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
    rng = np.random.default_rng(101)
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


ASSIGNMENT.exercises["mp_neuron"] = Exercise(
    "McCulloch-Pitts neuron", {"values": _mp_values, "thresholds": _mp_thresholds})


# -- 2. perceptron_step ------------------------------------------------------------------------
def _step_npsign(w, x, y):
    w = np.asarray(w, float)
    return w + y * x if np.sign(w @ x) != y else w.copy()


def _step_always(w, x, y):
    return np.asarray(w, float) + y * x


def _step_minus(w, x, y):
    w = np.asarray(w, float)
    return w - y * x if neurons.sign_pm(w @ x) != y else w.copy()


_STEP_WRONG = [
    (_step_npsign, "np.sign(0) is 0, so a point exactly on the boundary counts as a mistake; "
                   "the course uses sign(0) = +1"),
    (_step_always, "the weights changed although the point was classified correctly: update "
                   "only on a mistake"),
    (_step_minus, "the update moves w the wrong way: add y x on a mistake"),
]


def _step_cases(hidden: bool):
    if not hidden:  # a new trace from w = 0 (not the lecture's)
        pts = [((0.0, 0.0, 0.0), (1, 1, -1), 1), ((1.0, 1.0, -1.0), (-1, 1, 1), -1),
               ((1.0, 1.0, -1.0), (1, -1, 1), -1), ((0.0, 2.0, -2.0), (1, 1, 1), 1)]
        return [((np.array(w), np.array(x, float), y), {}) for w, x, y in pts]
    rng = np.random.default_rng(202)
    cases = []
    for i in range(40):
        d = int(rng.integers(2, 6))
        w = rng.integers(-2, 3, size=d).astype(float)
        x = rng.choice([-1.0, 1.0], size=d)
        if i % 4 == 0:  # on the boundary
            w = np.zeros(d)
        cases.append(((w, x, int(rng.choice([-1, 1]))), {}))
    return cases


def _step_values(ns, ctx, hidden):
    f = lookup(ns, "perceptron_step")
    expect_function(f, "perceptron_step", neurons.perceptron_step, _step_cases(hidden),
                    _STEP_WRONG, forbidden=[neurons.perceptron_step, neurons.train_perceptron],
                    describe=None if hidden else
                    (lambda a, k: f"w={a[0].tolist()}, x={a[1].tolist()}, y={a[2]}"))


ASSIGNMENT.exercises["perceptron_step"] = Exercise(
    "One perceptron update", {"values": _step_values})


# -- 3. train_perceptron -----------------------------------------------------------------------
def _separable(seed: int, n: int = 40):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2)) + np.array([3.0, -2.0])  # far from the origin
    w_true = np.array([1.0, 2.0])
    margin = X @ w_true - (np.array([3.0, -2.0]) @ w_true)
    keep = np.abs(margin) > 0.25
    return X[keep], np.where(margin[keep] > 0, 1, -1)


def _train(ns, X, y, max_epochs):
    f = lookup(ns, "train_perceptron")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = call(f, "train_perceptron", (X.copy(), y.copy()), {"max_epochs": max_epochs},
                   forbidden=[neurons.train_perceptron, neurons.perceptron_step])
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise GradingError("train_perceptron must return a pair (w, errors_per_epoch)")
    w, errors = np.asarray(out[0], dtype=float), list(np.asarray(out[1]).ravel())
    return w, errors, caught


def _train_separable(ns, ctx, hidden):
    seeds = [303, 304, 305] if hidden else [300]
    for seed in seeds:
        X, y = _separable(seed)
        w, errors, _ = _train(ns, X, y, 200)
        if w.shape == (X.shape[1],):
            raise GradingError("train_perceptron returned w with D entries: append a constant-1 "
                               "feature to every x so the boundary need not pass through the "
                               "origin (w then has D + 1 entries, the bias last)")
        if w.shape != (X.shape[1] + 1,):
            raise GradingError(f"w must have D + 1 = {X.shape[1] + 1} entries (the bias last); "
                               f"got shape {w.shape}")
        Xb = np.hstack([X, np.ones((len(X), 1))])
        if not errors or errors[-1] != 0 or np.any(neurons.sign_pm(Xb @ w) != y):
            raise GradingError("on linearly separable data the perceptron must reach an "
                               "error-free epoch and then classify every point correctly")
        if any(e == 0 for e in errors[:-1]):
            raise GradingError("training must stop after the first error-free epoch")


def _train_xor(ns, ctx, hidden):
    X, y = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]]), np.array([-1, 1, 1, -1])
    epochs = 23 if hidden else 15
    w, errors, caught = _train(ns, X, y, epochs)
    if len(errors) != epochs:
        raise GradingError(f"on XOR no epoch is error-free, so training must run all "
                           f"max_epochs={epochs} epochs and report {epochs} error counts; got "
                           f"{len(errors)}")
    if not any("converge" in str(w.message).lower() for w in caught):
        raise GradingError("when max_epochs is reached without an error-free epoch, say so: "
                           "warnings.warn(...) with a message that the perceptron did not "
                           "converge")


ASSIGNMENT.exercises["train_perceptron"] = Exercise(
    "Training loop", {"separable": _train_separable, "xor": _train_xor})


# -- 4. XOR network ----------------------------------------------------------------------------
_XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def _xor_values(ns, ctx, hidden):
    W1 = np.asarray(lookup(ns, "W1", "value"), dtype=float)
    b1 = np.asarray(lookup(ns, "b1", "value"), dtype=float)
    w2 = np.asarray(lookup(ns, "w2", "value"), dtype=float)
    b2 = float(np.asarray(lookup(ns, "b2", "value"), dtype=float))
    if W1.shape != (2, 2) or b1.shape != (2,) or w2.shape != (2,):
        raise GradingError("shapes: W1 (2 hidden, 2 inputs) in PyTorch's (out, in) layout, b1 "
                           "(2,), w2 (2,), b2 a number")
    h = neurons.step(_XOR_X @ W1.T + b1)
    out = neurons.step(h @ w2 + b2)
    truth = {"XOR": np.array([0, 1, 1, 0]), "AND": np.array([0, 0, 0, 1]),
             "OR": np.array([0, 1, 1, 1]), "NAND": np.array([1, 1, 1, 0])}
    if np.array_equal(out, truth["XOR"]):
        return
    for name in ("AND", "OR", "NAND"):
        if np.array_equal(out, truth[name]):
            raise GradingError(f"the network computes {name}, not XOR: XOR is OR and not AND, so "
                               f"the output unit should fire for the OR unit minus the AND unit")
    raise GradingError("the network does not compute XOR on the four inputs (units fire when "
                       "their sum is >= 0 with step(0) = 1)")


ASSIGNMENT.exercises["xor_network"] = Exercise("XOR with two layers", {"values": _xor_values})


# -- 5. mlp_counts -----------------------------------------------------------------------------
def _counts_ref(sizes):
    c = counting.mlp_counts(list(sizes))
    return (c.neurons, c.weights, c.parameters)


def _counts_no_bias(sizes):
    c = counting.mlp_counts(list(sizes))
    return (c.neurons, c.weights, c.weights)


def _counts_inputs_as_neurons(sizes):
    c = counting.mlp_counts(list(sizes))
    return (c.neurons + sizes[0], c.weights, c.parameters)


_COUNT_WRONG = [
    (_counts_no_bias, "the parameter count is short by one bias per non-input neuron"),
    (_counts_inputs_as_neurons, "input units only pass values on: they are not neurons"),
]


def _counts_values(ns, ctx, hidden):
    f = lookup(ns, "mlp_counts")
    rng = np.random.default_rng(505)
    lists = [[4, 6, 3]] if not hidden else \
        [list(rng.integers(1, 50, size=int(rng.integers(2, 6)))) for _ in range(8)]
    cases = [((tuple(int(v) for v in s),), {}) for s in lists]
    expect_function(f, "mlp_counts", _counts_ref, cases, _COUNT_WRONG,
                    forbidden=[counting.mlp_counts],
                    describe=None if hidden else (lambda a, k: f"sizes={list(a[0])}"))


ASSIGNMENT.exercises["mlp_counts"] = Exercise("Counting neurons and parameters",
                                              {"values": _counts_values})


# -- 6. sigmoid towers -------------------------------------------------------------------------
def _tower_net(w1, b1, w2, b2, x):
    h = 1 / (1 + np.exp(-(x[:, None] @ np.asarray(w1).T + b1)))
    return (h @ np.asarray(w2).T + b2).ravel()


def _tower_values(ns, ctx, hidden):
    f = lookup(ns, "tower_weights")
    params = [(2.0, -1.0, 4.0, 8.0, -0.5, 1.5)] if not hidden else \
        [(1.0, 0.5, -2.0, 12.0, -1.0, 2.0), (-3.0, 2.0, 1.0, 6.0, 0.0, 3.0)]
    x = np.linspace(-4, 5, 61)
    for a, b, c, k, m1, m2 in params:
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
        target = b + (a - b) / (1 + np.exp(-k * (x - m1))) + (c - b) / (1 + np.exp(-k * (x - m2)))
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


ASSIGNMENT.exercises["towers"] = Exercise(
    "Sigmoid towers", {"values": _tower_values, "plateau": _tower_plateau})


# -- 7. multiple choice ------------------------------------------------------------------------
_MC_HINTS = {
    "a": "(a) is right: the perceptron changes w only when it misclassifies a point",
    "b": "(b) is right: that is the course's convention, sign(0) = +1",
    "d": "(d) is right: on linearly separable data the perceptron converges; Novikoff's "
         "theorem bounds its mistakes by (R/gamma)^2 (lecture 3, section 5)",
}


def _mc(ns, ctx, hidden):
    answer = str(lookup(ns, "ANSWER_7", "value")).strip().lower().strip("()")
    if answer not in "abcd" or len(answer) != 1:
        raise GradingError('ANSWER_7 must be one letter: "a", "b", "c" or "d"')
    if answer != "c":
        raise GradingError(_MC_HINTS[answer] + "; look again for the statement that is false")


ASSIGNMENT.exercises["multiple_choice"] = Exercise("Spot the wrong statement", {"answer": _mc})
