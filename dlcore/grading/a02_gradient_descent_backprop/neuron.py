"""Exercises 1 and 2 of A2: squared error and mse, the sigmoid neuron's loss and gradient.

Names the notebook defines (shapes: N points):

1. ``squared_error(y_hat, y)`` (1/2 sum) and ``mse(y_hat, y)`` (mean); any shape, equal.
2. ``toy_loss(w, b, X, Y)`` and ``toy_grad(w, b, X, Y) -> (dw, db)`` for the sigmoid neuron
   ``f(x) = sigma(w x + b)`` with ``L = 1/2 sum (y - f(x))^2``; X, Y (N,).

The toy gradient's reference formula is the one central differences of
``losses.squared_error`` confirm (see the tests).

The later exercises of A2 share this module's helpers: ``_GRADIENT_TOOLS``, the numerical and
automatic differentiators a student's gradient must not call; ``_floats``, a result read as n
numbers; ``_sig``; and ``ATOL``, the absolute tolerance of A2's comparisons.
"""

from __future__ import annotations

import numpy as np

from ... import activations, gradcheck, losses
from ...engine import Value
from .._core import Exercise, GradingError, call, case_rng, expect_function, lookup

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order

_GRADIENT_TOOLS = [gradcheck.numerical_gradient, gradcheck.numerical_vjp, Value.backward]
ATOL = 1e-9


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


# -- 1. squared_error and mse ------------------------------------------------------------------
def _sum_sq(y_hat, y):
    return float(np.sum((np.asarray(y_hat) - y) ** 2))


def _mean_sq(y_hat, y):
    return float(np.mean((np.asarray(y_hat) - y) ** 2))


def _half_first_only(y_hat, y):
    d = (np.asarray(y_hat) - y).ravel()
    return float(0.5 * d[0] ** 2 + np.sum(d[1:] ** 2))


_SQ_WRONG = [
    (_mean_sq, "off by a factor of 2/N: that is the mean of the squares (mse); the course's "
               "squared error is 1/2 times the SUM of the squares"),
    (_sum_sq, "off by a factor of 2: the squared error has 1/2 in front of the sum"),
    (lambda a, b: 0.5 * _mean_sq(a, b), "off by a factor of 1/N: sum the squares, do not "
                                        "average them"),
    (_half_first_only, "the 1/2 multiplies only the first square (a bracket in the wrong "
                       "place); it belongs in front of the whole sum: 1/2 (d_1^2 + d_2^2 + ...)"),
]
_MSE_WRONG = [
    (lambda a, b: 0.5 * _sum_sq(a, b), "off by a factor of N/2: that is the squared error "
                                       "(1/2 sum); mse is the mean of the squares, as "
                                       "torch.nn.MSELoss"),
    (_sum_sq, "off by a factor of N: divide the sum of squares by the number of entries"),
    (lambda a, b: 0.5 * _mean_sq(a, b), "off by a factor of 1/2: mse has no 1/2"),
]


def _loss_cases(hidden: bool):
    if not hidden:
        return [((np.array([0.3, -1.2, 2.0, 0.5]), np.array([0.0, -1.0, 2.5, 1.5])), {}),
                ((np.array([[1.0, 2.0], [0.5, -0.5], [3.0, 0.0]]),
                  np.array([[0.0, 2.5], [1.0, 0.5], [2.0, 1.0]])), {})]
    rng = case_rng(1201, hidden=True)
    shapes = [(7,), (3, 4), (2, 3, 2), (1,), (5, 1)]
    return [((rng.normal(size=s), rng.normal(size=s)), {}) for s in shapes]


def _losses_part(name, reference, wrong):
    def part(ns, ctx, hidden):
        f = lookup(ns, name)
        expect_function(f, name, reference, _loss_cases(hidden), wrong,
                        forbidden=[reference, getattr(losses, name + "_forward")],
                        describe=None if hidden else
                        (lambda a, k: f"y_hat of shape {a[0].shape}"))
    return part


EXERCISES["losses"] = Exercise(
    "Squared error and mse", {"squared_error": _losses_part("squared_error",
                                                            losses.squared_error, _SQ_WRONG),
                              "mse": _losses_part("mse", losses.mse, _MSE_WRONG)})


# -- 2. the sigmoid neuron's loss and gradient -------------------------------------------------
TOY_X, TOY_Y = np.array([-1.0, 2.0]), np.array([0.6, 0.1])


def _toy_loss_ref(w, b, X, Y):
    return losses.squared_error(activations.sigmoid(w * X + b), Y)


def _toy_delta(w, b, X, Y):
    f = _sig(w * X + b)
    return f, (f - Y) * f * (1 - f)


def toy_grad_reference(w, b, X, Y):
    """(dL/dw, dL/db) of the sigmoid neuron's loss L = 1/2 sum (y - sigma(w x + b))^2."""
    _, d = _toy_delta(w, b, X, Y)
    return (float(np.sum(d * X)), float(np.sum(d)))


def _toy_no_slope(w, b, X, Y):
    f = _sig(w * X + b)
    return (float(np.sum((f - Y) * X)), float(np.sum(f - Y)))


def _toy_x_in_db(w, b, X, Y):
    _, d = _toy_delta(w, b, X, Y)
    return (float(np.sum(d * X)), float(np.sum(d * X)))


def _toy_flipped(w, b, X, Y):
    dw, db = toy_grad_reference(w, b, X, Y)
    return (-dw, -db)


def _toy_mean(w, b, X, Y):
    dw, db = toy_grad_reference(w, b, X, Y)
    return (dw / len(X), db / len(X))


_TOY_GRAD_WRONG = [
    (_toy_no_slope, "the sigmoid's slope f(x)(1 - f(x)) is missing: the chain rule goes "
                    "through f = sigma(w x + b)"),
    (_toy_x_in_db, "db has a factor x: the bias enters as w x + b, so d(w x + b)/db = 1"),
    (_toy_flipped, "the sign is flipped: dL/df = f(x) - y, not y - f(x)"),
    (_toy_mean, "this is the gradient of the mean; the loss is 1/2 times the SUM"),
]
_TOY_LOSS_WRONG = [
    (lambda w, b, X, Y: float(np.mean((_sig(w * X + b) - Y) ** 2)),
     "that is the mean of the squares; the toy's loss is 1/2 times the sum"),
    (lambda w, b, X, Y: float(np.sum((_sig(w * X + b) - Y) ** 2)),
     "off by a factor of 2: the loss has 1/2 in front of the sum"),
    (lambda w, b, X, Y: 0.5 * float(np.sum((w * X + b - Y) ** 2)),
     "the model is the sigmoid neuron f(x) = sigma(w x + b), not the line w x + b"),
]


def _toy_cases(hidden: bool):
    if not hidden:  # the exercise's toy, and three points (with two, 1/2 sum = mean)
        return [((w, b, TOY_X.copy(), TOY_Y.copy()), {})
                for w, b in ((0.0, 0.0), (1.0, -1.0), (-2.0, 0.5))] + \
            [((0.5, -0.5, np.array([-1.0, 0.5, 2.5]), np.array([0.3, 0.5, 0.8])), {})]
    rng = case_rng(1202, hidden=True)
    cases = []
    for _ in range(8):
        n = int(rng.integers(2, 6))
        X, Y = rng.uniform(-3, 3, size=n), rng.uniform(0.05, 0.95, size=n)
        cases.append(((float(rng.uniform(-2, 2)), float(rng.uniform(-2, 2)), X, Y), {}))
    return cases


def _describe_toy(args, kwargs):
    return f"(w, b) = ({args[0]:g}, {args[1]:g}), X = {args[2].tolist()}, Y = {args[3].tolist()}"


def _toy_loss(ns, ctx, hidden):
    f = lookup(ns, "toy_loss")
    expect_function(f, "toy_loss", _toy_loss_ref, _toy_cases(hidden), _TOY_LOSS_WRONG,
                    forbidden=[losses.squared_error, losses.squared_error_forward],
                    describe=None if hidden else _describe_toy)


def _toy_grad(ns, ctx, hidden):
    f = lookup(ns, "toy_grad")
    cases = _toy_cases(hidden)
    try:
        expect_function(f, "toy_grad", toy_grad_reference, cases, _TOY_GRAD_WRONG,
                        forbidden=_GRADIENT_TOOLS, describe=None if hidden else _describe_toy)
    except GradingError as err:
        if not str(err).endswith("does not return the expected result"):
            raise
        # An unexplained gradient may still be the exact gradient of the student's own loss.
        loss_fn = ns.get("toy_loss")
        if callable(loss_fn) and _matches_own_loss(f, loss_fn, cases):
            raise GradingError("toy_grad is the gradient of your toy_loss, but toy_loss is not "
                               "the course's loss: fix toy_loss first") from None
        raise


def _matches_own_loss(grad_fn, loss_fn, cases) -> bool:
    for (w, b, X, Y), _ in cases[:3]:
        try:
            got = _floats(call(grad_fn, "toy_grad", (w, b, X.copy(), Y.copy())), 2, "toy_grad",
                          "(dw, db)")
            theta = np.array([w, b], dtype=float)
            num = gradcheck.numerical_gradient(
                lambda t, X=X, Y=Y: float(call(loss_fn, "toy_loss",
                                               (t[0], t[1], X.copy(), Y.copy()))), theta)
        except (GradingError, TypeError, ValueError):
            return False
        if gradcheck.rel_error(got, num) > 1e-6:
            return False
    return True


EXERCISES["toy"] = Exercise(
    "The sigmoid neuron's loss and gradient", {"loss": _toy_loss, "gradients": _toy_grad})
