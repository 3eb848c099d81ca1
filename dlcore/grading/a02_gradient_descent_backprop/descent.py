"""Exercise 3 of A2: gradient descent, and the exact optimum of the two-point toy.

Names the notebook defines (shapes: dim parameters, S steps):
``gradient_descent(grad_fn, theta0, lr, steps)`` -> path (S + 1, dim), and
``toy_optimum(X, Y) -> (w, b)``, the exact fit of a two-point toy, X, Y (2,).
Paths are compared with ``optim.trajectory("gd", ...)``.
"""

from __future__ import annotations

import functools

import numpy as np

from ...optim import optimizers, paths, rules
from .._core import Exercise, GradingError, call, case_rng, expect_function, function_part, lookup
from .neuron import TOY_X, TOY_Y, toy_grad_reference

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


def _gd_ref(grad_fn, theta0, lr, steps):
    return paths.trajectory("gd", grad_fn, theta0, steps, lr=lr)


def _gd_ascent(grad_fn, theta0, lr, steps):
    return paths.trajectory("gd", lambda t: -np.asarray(grad_fn(t)), theta0, steps, lr=lr)


def _gd_sequential(grad_fn, theta0, lr, steps, blocks=None):
    """Coordinates (or blocks of them) updated in turn, each at the partly updated point."""
    theta = np.array(theta0, dtype=float)
    blocks = blocks or [slice(i, i + 1) for i in range(theta.size)]
    path = [theta.copy()]
    for _ in range(steps):
        for part in blocks:
            theta[part] -= lr * np.asarray(grad_fn(theta.copy()), dtype=float)[part]
        path.append(theta.copy())
    return np.array(path)


def _gd_w_then_rest(grad_fn, theta0, lr, steps):
    return _gd_sequential(grad_fn, theta0, lr, steps, [slice(0, 1), slice(1, None)])


def _gd_aliased(grad_fn, theta0, lr, steps):
    path = _gd_ref(grad_fn, theta0, lr, steps)
    return np.repeat(path[-1:], steps + 1, axis=0)


_SEQUENTIAL = ("the update is not simultaneous: a later coordinate's gradient was evaluated "
               "after an earlier coordinate had moved (w updated, then the new w used for b); "
               "compute the whole gradient at theta_t, then update every coordinate")
_GD_WRONG = [
    (_gd_ascent, 'the path climbs: the update adds the gradient ("+", gradient ASCENT); '
                 "descent is theta <- theta - lr * grad"),
    (_gd_sequential, _SEQUENTIAL),
    (_gd_w_then_rest, _SEQUENTIAL),
    (_gd_aliased, "every row of the path is the final theta: the path holds the same array "
                  "several times while it is updated in place; store a copy"),
]
_GD_FORBIDDEN = [paths.trajectory, rules.sgd_update, optimizers.Optimizer.step]


# The gradients handed to the student's gradient_descent are partials of module functions
# (not lambdas), so that the grader can hand them to the student's kernel by name.
def _toy_grad_at(X, Y, theta):
    return np.array(toy_grad_reference(theta[0], theta[1], X, Y))


def _toy_grad_fn(X, Y):
    return functools.partial(_toy_grad_at, X, Y)


def _quadratic_at(A, c, theta):
    return A @ (np.asarray(theta, dtype=float) - c)


def _quadratic(A, c):
    return functools.partial(_quadratic_at, A, c)


def _gd_cases(hidden: bool):
    if not hidden:
        return [((_toy_grad_fn(TOY_X, TOY_Y), np.array([1.0, 1.0]), 0.5, 20), {})]
    rng = case_rng(1203, hidden=True)
    Q = rng.normal(size=(3, 3))
    A = Q @ Q.T + np.eye(3)
    X, Y = rng.uniform(-2, 2, size=3), rng.uniform(0.1, 0.9, size=3)
    return [((_quadratic(A, rng.normal(size=3)), rng.normal(size=3), 0.05, 30), {}),
            ((_toy_grad_fn(X, Y), rng.normal(size=2), 1.5, 40), {}),
            ((_quadratic(A, np.zeros(3)), rng.normal(size=3), 0.1, 0), {})]


def _gd_run(ns, args):
    f = lookup(ns, "gradient_descent")
    return call(f, "gradient_descent", (args[0], args[1].copy(), args[2], args[3]),
                forbidden=_GD_FORBIDDEN)


def _gd_shape(ns, ctx, hidden):
    for args, _ in _gd_cases(hidden):
        steps, dim = args[3], args[1].size
        try:
            got = np.asarray(_gd_run(ns, args), dtype=float)
        except (TypeError, ValueError):
            raise GradingError("gradient_descent must return a numeric array") from None
        if got.shape == (steps + 1, dim):
            continue
        if got.shape == (steps, dim):
            hint = "one row short: row 0 of the path is theta0, so there are steps + 1 rows"
        elif got.shape == (dim, steps + 1):
            hint = "the path is transposed: one ROW per step, shape (steps + 1, dim)"
        else:
            hint = "the path must have one row per point, theta_0 to theta_steps"
        if hidden:  # the hidden case's sizes stay hidden
            raise GradingError(f"gradient_descent returned a path of the wrong shape on a "
                               f"hidden case: {hint}")
        raise GradingError(f"gradient_descent returned shape {got.shape}; expected shape "
                           f"{(steps + 1, dim)} (steps={steps}, dim={dim}): {hint}")


_gd_values = function_part(
    "gradient_descent", _gd_ref, _gd_cases, _GD_WRONG, forbidden=_GD_FORBIDDEN,
    describe=lambda a, k: f"the toy from theta0={a[1].tolist()}, lr={a[2]}, steps={a[3]}")


def _logit(p):
    return np.log(p / (1 - p))


def toy_optimum_reference(X, Y):
    """(w, b) with sigma(w x_i + b) = y_i on both points of a two-point toy (zero loss)."""
    z = _logit(np.asarray(Y, dtype=float))
    w = (z[1] - z[0]) / (X[1] - X[0])
    return (float(w), float(z[0] - w * X[0]))


_OPT_WRONG = [
    (lambda X, Y: (float((Y[1] - Y[0]) / (X[1] - X[0])),
                   float(Y[0] - (Y[1] - Y[0]) / (X[1] - X[0]) * X[0])),
     "that is the line through the two points; the model is sigma(w x + b), so solve "
     "w x_i + b = logit(y_i) = log(y_i / (1 - y_i))"),
    (lambda X, Y: tuple(-v for v in toy_optimum_reference(X, Y)),
     "the signs are flipped: the inverse of the sigmoid is log(y / (1 - y))"),
]


def _optimum(ns, ctx, hidden):
    f = lookup(ns, "toy_optimum")
    if hidden:
        rng = case_rng(1204, hidden=True)
        pairs = [(rng.uniform(-3, 3, size=2), rng.uniform(0.05, 0.95, size=2)) for _ in range(6)]
        cases = [((X, Y), {}) for X, Y in pairs if abs(X[1] - X[0]) > 0.3]
    else:
        cases = [((TOY_X.copy(), TOY_Y.copy()), {})]
    expect_function(f, "toy_optimum", toy_optimum_reference, cases, _OPT_WRONG,
                    describe=None if hidden else (lambda a, k: "the exercise's toy"))


EXERCISES["gradient_descent"] = Exercise(
    "Gradient descent", {"shape": _gd_shape, "values": _gd_values, "optimum": _optimum})
