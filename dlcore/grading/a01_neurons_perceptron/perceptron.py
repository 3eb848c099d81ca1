"""Exercises 2 and 3 of A1: one perceptron update and the training loop (on separable
data and on XOR, where it must stop and warn)."""

from __future__ import annotations

import warnings

import numpy as np

from ... import neurons
from .._core import Exercise, GradingError, call, case_rng, function_part, lookup

EXERCISES: dict[str, Exercise] = {}


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
    rng = case_rng(202, hidden=True)
    cases = []
    for i in range(40):
        d = int(rng.integers(2, 6))
        w = rng.integers(-2, 3, size=d).astype(float)
        x = rng.choice([-1.0, 1.0], size=d)
        if i % 4 == 0:  # on the boundary
            w = np.zeros(d)
        cases.append(((w, x, int(rng.choice([-1, 1]))), {}))
    return cases


_step_values = function_part(
    "perceptron_step", neurons.perceptron_step, _step_cases, _STEP_WRONG,
    forbidden=[neurons.perceptron_step, neurons.train_perceptron],
    describe=lambda a, k: f"w={a[0].tolist()}, x={a[1].tolist()}, y={a[2]}")


EXERCISES["perceptron_step"] = Exercise(
    "One perceptron update", {"values": _step_values})


def _separable(rng: np.random.Generator, n: int = 40, w_true=(1.0, 2.0), center=(3.0, -2.0)):
    """Points in the square of side 2 around ``center`` (away from the origin), labelled by the
    side of the line through ``center`` with normal ``w_true``, none within 0.25 of it (in
    units of ``w_true . x``)."""
    center, w_true = np.asarray(center, dtype=float), np.asarray(w_true, dtype=float)
    X = rng.uniform(-1, 1, size=(n, 2)) + center
    margin = X @ w_true - (center @ w_true)
    keep = np.abs(margin) > 0.25
    return X[keep], np.where(margin[keep] > 0, 1, -1)


def separable_sets(hidden: bool) -> list[tuple[np.ndarray, np.ndarray]]:
    """The ``(X, y)`` sets train_perceptron must separate: the visible one (the line through
    (3, -2) with normal (1, 2)), or three whose points and line are drawn from the grading
    secret: a normal of length sqrt(5) in any direction, the line 0.3 to 0.8 from the origin,
    the points around a center 2 to 3.5 from there along the line (so that the perceptron,
    started from w = 0, separates them within about a hundred epochs)."""
    if not hidden:
        return [_separable(case_rng(300, hidden=False))]
    sets = []
    for seed in (303, 304, 305):
        rng = case_rng(seed, hidden=True)
        angle = rng.uniform(0, 2 * np.pi)
        normal = np.array([np.cos(angle), np.sin(angle)])
        along = np.array([-normal[1], normal[0]])
        offset = rng.uniform(0.3, 0.8) * rng.choice([-1.0, 1.0])
        center = offset * normal + rng.uniform(2.0, 3.5) * rng.choice([-1.0, 1.0]) * along
        sets.append(_separable(rng, w_true=np.sqrt(5.0) * normal, center=center))
    return sets


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
    for X, y in separable_sets(hidden):
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


XOR_VISIBLE_EPOCHS = 15


def xor_epochs(hidden: bool) -> int:
    """The ``max_epochs`` of the XOR run: 15, or a count from 16 to 40 drawn from the grading
    secret."""
    if not hidden:
        return XOR_VISIBLE_EPOCHS
    return int(case_rng(306, hidden=True).integers(XOR_VISIBLE_EPOCHS + 1, 41))


def _train_xor(ns, ctx, hidden):
    X, y = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]]), np.array([-1, 1, 1, -1])
    epochs = xor_epochs(hidden)
    w, errors, caught = _train(ns, X, y, epochs)
    if len(errors) != epochs:
        if hidden:  # the hidden max_epochs stays hidden
            raise GradingError("on XOR no epoch is error-free, so training must run all "
                               "max_epochs epochs and report one error count per epoch; on a "
                               "hidden case it reported " + ("fewer" if len(errors) < epochs
                                                             else "more") + " counts")
        raise GradingError(f"on XOR no epoch is error-free, so training must run all "
                           f"max_epochs={epochs} epochs and report {epochs} error counts; got "
                           f"{len(errors)}")
    if not any("converge" in str(w.message).lower() for w in caught):
        raise GradingError("when max_epochs is reached without an error-free epoch, say so: "
                           "warnings.warn(...) with a message that the perceptron did not "
                           "converge")


EXERCISES["train_perceptron"] = Exercise(
    "Training loop", {"separable": _train_separable, "xor": _train_xor})
