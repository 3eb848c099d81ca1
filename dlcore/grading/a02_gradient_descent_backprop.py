"""Checks for assignment A2, gradient descent and backprop (lectures 4, 6 and 7).

Exercises and the names the notebook defines (shapes: N batch, D in-features, M out-features,
C classes, dim parameters, S steps):

1. ``squared_error(y_hat, y)`` (1/2 sum) and ``mse(y_hat, y)`` (mean); any shape, equal.
2. ``toy_loss(w, b, X, Y)`` and ``toy_grad(w, b, X, Y) -> (dw, db)`` for the sigmoid neuron
   ``f(x) = sigma(w x + b)`` with ``L = 1/2 sum (y - f(x))^2``; X, Y (N,).
3. ``gradient_descent(grad_fn, theta0, lr, steps)`` -> path (S + 1, dim), and
   ``toy_optimum(X, Y) -> (w, b)``, the exact fit of a two-point toy, X, Y (2,).
4. ``chain_forward(x, w1, b1, w2, w3) -> y_hat`` and
   ``chain_grads(x, y, w1, b1, w2, w3) -> (dw1, db1, dw2, dw3)`` for the thin sigmoid chain
   ``y_hat = s(w3 s(w2 s(w1 x + b1)))`` with ``L = 1/2 (y - y_hat)^2``.
5. ``linear_forward(x, w, b) -> (out, cache)``, x (N, D), w (M, D), b (M,), out (N, M), and
   ``linear_backward(dout, cache) -> (dx, dw, db)``.
6. ``softmax_cross_entropy(logits, labels) -> (loss, dlogits)``, logits (N, C), labels (N,).
7. ``model``: a classifier trained on ``dlcore.data.moons`` (a ``dlcore.nn.Module`` or a
   function X (N, 2) -> labels (N,) or scores (N, C)), evaluated on held-out moons.
8. ``ANSWER_8``: which update rule from the slides climbs the loss (multiple choice).

Expected values come from dlcore's references at check time: ``losses``, ``layers``,
``optim.trajectory("gd", ...)`` and ``engine.Value``; the toy gradient's reference formula is
the one central differences of ``losses.squared_error`` confirm (see the tests).
"""

from __future__ import annotations

import numpy as np

from .. import activations, gradcheck, layers, losses
from ..data import moons
from ..engine import Value
from ..nn import Module, predict
from ..nn.layers import Linear
from ..optim import optimizers, paths, rules
from ._core import Assignment, Exercise, GradingError, call, expect_function, lookup, record_secret

__all__ = ["checker", "ASSIGNMENT"]

ASSIGNMENT = Assignment("a02_gradient_descent_backprop")
checker = ASSIGNMENT.checker

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
    (_half_first_only, "the 1/2 multiplies only the first square; it belongs in front of the "
                       "whole sum (the slide's bracketing mistake)"),
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
    rng = np.random.default_rng(1201)
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


ASSIGNMENT.exercises["losses"] = Exercise(
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


def _toy_grad_ref(w, b, X, Y):
    _, d = _toy_delta(w, b, X, Y)
    return (float(np.sum(d * X)), float(np.sum(d)))


def _toy_no_slope(w, b, X, Y):
    f = _sig(w * X + b)
    return (float(np.sum((f - Y) * X)), float(np.sum(f - Y)))


def _toy_x_in_db(w, b, X, Y):
    _, d = _toy_delta(w, b, X, Y)
    return (float(np.sum(d * X)), float(np.sum(d * X)))


def _toy_flipped(w, b, X, Y):
    dw, db = _toy_grad_ref(w, b, X, Y)
    return (-dw, -db)


def _toy_mean(w, b, X, Y):
    dw, db = _toy_grad_ref(w, b, X, Y)
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
    rng = np.random.default_rng(1202)
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
        expect_function(f, "toy_grad", _toy_grad_ref, cases, _TOY_GRAD_WRONG,
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


ASSIGNMENT.exercises["toy"] = Exercise(
    "The sigmoid neuron's loss and gradient", {"loss": _toy_loss, "gradients": _toy_grad})


# -- 3. gradient descent and the toy's optimum -------------------------------------------------
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


def _toy_grad_fn(X, Y):
    return lambda theta: np.array(_toy_grad_ref(theta[0], theta[1], X, Y))


def _quadratic(A, c):
    return lambda theta: A @ (np.asarray(theta, dtype=float) - c)


def _gd_cases(hidden: bool):
    if not hidden:
        return [((_toy_grad_fn(TOY_X, TOY_Y), np.array([1.0, 1.0]), 0.5, 20), {})]
    rng = np.random.default_rng(1203)
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


def _gd_values(ns, ctx, hidden):
    f = lookup(ns, "gradient_descent")
    expect_function(f, "gradient_descent", _gd_ref, _gd_cases(hidden), _GD_WRONG,
                    forbidden=_GD_FORBIDDEN,
                    describe=None if hidden else
                    (lambda a, k: f"the toy from theta0={a[1].tolist()}, lr={a[2]}, "
                                  f"steps={a[3]}"))


def _logit(p):
    return np.log(p / (1 - p))


def _optimum_ref(X, Y):
    z = _logit(np.asarray(Y, dtype=float))
    w = (z[1] - z[0]) / (X[1] - X[0])
    return (float(w), float(z[0] - w * X[0]))


_OPT_WRONG = [
    (lambda X, Y: (float((Y[1] - Y[0]) / (X[1] - X[0])),
                   float(Y[0] - (Y[1] - Y[0]) / (X[1] - X[0]) * X[0])),
     "that is the line through the two points; the model is sigma(w x + b), so solve "
     "w x_i + b = logit(y_i) = log(y_i / (1 - y_i))"),
    (lambda X, Y: tuple(-v for v in _optimum_ref(X, Y)),
     "the signs are flipped: the inverse of the sigmoid is log(y / (1 - y))"),
]


def _optimum(ns, ctx, hidden):
    f = lookup(ns, "toy_optimum")
    if hidden:
        rng = np.random.default_rng(1204)
        pairs = [(rng.uniform(-3, 3, size=2), rng.uniform(0.05, 0.95, size=2)) for _ in range(6)]
        cases = [((X, Y), {}) for X, Y in pairs if abs(X[1] - X[0]) > 0.3]
    else:
        cases = [((TOY_X.copy(), TOY_Y.copy()), {})]
    expect_function(f, "toy_optimum", _optimum_ref, cases, _OPT_WRONG,
                    describe=None if hidden else (lambda a, k: "the exercise's toy"))


ASSIGNMENT.exercises["gradient_descent"] = Exercise(
    "Gradient descent", {"shape": _gd_shape, "values": _gd_values, "optimum": _optimum})


# -- 4. backprop through a thin chain ----------------------------------------------------------
def _chain_ref(x, y, w1, b1, w2, w3):
    """(y_hat, L, dw1, db1, dw2, dw3) from the scalar autograd engine."""
    p = [Value(float(v)) for v in (w1, b1, w2, w3)]
    y_hat = (p[3] * (p[2] * (p[0] * float(x) + p[1]).sigmoid()).sigmoid()).sigmoid()
    loss = 0.5 * (float(y) - y_hat) ** 2
    loss.backward()
    return (y_hat.data, loss.data) + tuple(v.grad for v in p)


def _chain_grads_ref(x, y, w1, b1, w2, w3):
    return _chain_ref(x, y, w1, b1, w2, w3)[2:]


def _chain_slope_at_input(x, y, w1, b1, w2, w3):
    a1 = w1 * x + b1
    f1 = _sig(a1)
    a2 = w2 * f1
    f2 = _sig(a2)
    a3 = w3 * f2
    f3 = _sig(a3)
    d3 = (f3 - y) * a3 * (1 - a3)
    d2 = d3 * w3 * a2 * (1 - a2)
    d1 = d2 * w2 * a1 * (1 - a1)
    return (d1 * x, d1, d2 * f1, d3 * f2)


def _chain_x_in_db(x, y, w1, b1, w2, w3):
    g = _chain_grads_ref(x, y, w1, b1, w2, w3)
    return (g[0], g[0], g[2], g[3])


_CHAIN_WRONG = [
    (_chain_slope_at_input, "the sigmoid's slope is f(1 - f) with f = sigma(a), the unit's "
                            "OUTPUT; a(1 - a) uses its input"),
    (_chain_x_in_db, "db1 has a factor x: a1 = w1 x + b1, so da1/db1 = 1"),
]
_CHAIN_CASE = (0.5, 0.2, 1.5, -0.5, 2.0, -1.0)  # x, y, w1, b1, w2, w3


def _chain_cases(hidden: bool):
    if not hidden:
        return [(_CHAIN_CASE, {})]
    rng = np.random.default_rng(1205)
    return [((float(rng.uniform(-2, 2)), float(rng.uniform(0, 1)))
             + tuple(float(v) for v in rng.uniform(-2.5, 2.5, size=4)), {}) for _ in range(6)]


def _chain_forward(ns, ctx, hidden):
    f = lookup(ns, "chain_forward")
    cases = [((a[0],) + a[2:], {}) for a, _ in _chain_cases(hidden)]
    expect_function(
        f, "chain_forward", lambda x, w1, b1, w2, w3: _chain_ref(x, 0.0, w1, b1, w2, w3)[0],
        cases, [(lambda x, w1, b1, w2, w3: float(w3 * _sig(w2 * _sig(w1 * x + b1))),
                 "y_hat = f3 = sigma(a3): the output unit is a sigmoid too")],
        describe=None if hidden else (lambda a, k: "the exercise's chain"))


def _chain_grads(ns, ctx, hidden):
    f = lookup(ns, "chain_grads")
    cases = _chain_cases(hidden)
    got = np.concatenate([
        _floats(call(f, "chain_grads", args, forbidden=_GRADIENT_TOOLS), 4, "chain_grads",
                "four numbers (dw1, db1, dw2, dw3)") for args, _ in cases])
    want = np.concatenate([np.array(_chain_grads_ref(*args)) for args, _ in cases])
    record_secret(want)
    if np.allclose(got, want, rtol=1e-6, atol=1e-9):
        return
    # One constant factor on every gradient: the seed's dL/df3 = -eta (y - y_hat).
    c = float(got @ want / (want @ want))
    if np.allclose(got, c * want, rtol=1e-6, atol=1e-9) and abs(c) > 1e-9:
        if np.isclose(c, -1.0):
            raise GradingError("chain_grads: every gradient has the wrong sign: dL/dy_hat = "
                               "y_hat - y = -(y - y_hat)")
        raise GradingError("chain_grads: every gradient is the correct one times the same "
                           "constant factor, as when the learning rate sits inside the "
                           "derivative (the slide's dL/df3 = -eta (y - y_hat)). The derivative "
                           "is dL/dy_hat = -(y - y_hat); eta belongs only in the update "
                           "theta <- theta - eta * grad")
    expect_function(f, "chain_grads", _chain_grads_ref, cases, _CHAIN_WRONG,
                    forbidden=_GRADIENT_TOOLS,
                    describe=None if hidden else (lambda a, k: "the exercise's chain"))


ASSIGNMENT.exercises["chain"] = Exercise(
    "Backprop through a chain", {"forward": _chain_forward, "gradients": _chain_grads})


# -- 5. linear layer forward and backward ------------------------------------------------------
_LIN_FORBIDDEN = [layers.linear_forward, layers.linear_backward, Linear.forward,
                  Linear.backward] + _GRADIENT_TOOLS
_SWAP = ("w and w.T are swapped: x @ w is the seed's x U layout with U of shape (D, M); in "
         "PyTorch's layout w is (M, D) and out = x @ w.T + b")


def _lin_cases(hidden: bool):
    """(x, w, b, dout) cases; hidden ones include M == D and N == M."""
    rng = np.random.default_rng(1206 if hidden else 1200)
    sizes = [(4, 3, 2)] if not hidden else [(5, 3, 2), (3, 3, 3), (2, 4, 2), (1, 2, 1)]
    return [(rng.normal(size=(n, d)), rng.normal(size=(m, d)), rng.normal(size=m),
             rng.normal(size=(n, m))) for n, d, m in sizes]


def _lin_forward(ns, x, w, b):
    f = lookup(ns, "linear_forward")
    out = call(f, "linear_forward", (x.copy(), w.copy(), b.copy()), forbidden=_LIN_FORBIDDEN)
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise GradingError("linear_forward must return a pair (out, cache)")
    return out


def _forward_or_swap_hint(ns, x, w, b):
    try:
        return _lin_forward(ns, x, w, b)
    except GradingError as err:
        if "raised" not in str(err):
            raise
        try:  # does it work with the seed's (D, M) layout?
            out = _lin_forward(ns, x, w.T.copy(), b)[0]
        except GradingError:
            raise err from None
        if _close(out, x @ w.T + b):
            raise GradingError(f"linear_forward: {_SWAP}") from None
        raise


def _close(a, b) -> bool:
    try:
        a = np.asarray(a, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == np.shape(b) and bool(np.allclose(a, b, rtol=1e-6, atol=1e-9))


def _lin_shape(ns, ctx, hidden):
    for x, w, b, _ in _lin_cases(hidden):
        out = np.asarray(_forward_or_swap_hint(ns, x, w, b)[0])
        n, m = x.shape[0], w.shape[0]
        if out.shape == (n, m):
            continue
        hint = " (batch first: out = x @ w.T + b, not w @ x.T)" if out.shape == (m, n) else ""
        if hidden:
            raise GradingError(f"linear_forward returned out of the wrong shape on a hidden "
                               f"case: it must be (N, M) for x (N, D) and w (M, D){hint}")
        raise GradingError(f"linear_forward returned out of shape {out.shape} for x {x.shape}, "
                           f"w {w.shape}; expected shape {(n, m)}{hint}")


def _lin_values(ns, ctx, hidden):
    for x, w, b, _ in _lin_cases(hidden):
        out = _forward_or_swap_hint(ns, x, w, b)[0]
        want = x @ w.T + b
        record_secret(want)
        if _close(out, want):
            continue
        if x.shape[1] == w.shape[0] and _close(out, x @ w + b):
            raise GradingError(f"linear_forward: {_SWAP}")
        if _close(out, x @ w.T):
            raise GradingError("linear_forward: the bias b is missing")
        where = " on a hidden case" if hidden else ""
        raise GradingError(f"linear_forward{where}: out does not equal x @ w.T + b")


def _lin_gradients(ns, ctx, hidden):
    g = lookup(ns, "linear_backward")
    for x, w, b, dout in _lin_cases(hidden):
        cache = _forward_or_swap_hint(ns, x, w, b)[1]
        res = call(g, "linear_backward", (dout.copy(), cache), forbidden=_LIN_FORBIDDEN)
        if not (isinstance(res, (tuple, list)) and len(res) == 3):
            raise GradingError("linear_backward must return a triple (dx, dw, db)")
        dx, dw, db = layers.linear_backward(dout, layers.linear_forward(x, w, b)[1])
        record_secret((dx, dw, db))
        where = " on a hidden case" if hidden else ""
        if not _close(res[1], dw):
            if _close(res[1], dw.T):
                raise GradingError("linear_backward: dw is transposed: x.T @ dout is the "
                                   "gradient of the seed's U = w.T; dw must have w's shape "
                                   "(M, D): dw = dout.T @ x")
            if _close(res[1], dw / x.shape[0]):
                raise GradingError("linear_backward: dw is divided by N; the batch mean, if "
                                   "any, is already inside dout")
            raise GradingError(f"linear_backward{where}: dw does not equal dout.T @ x")
        if not _close(res[2], db):
            if _close(res[2], dout.sum(axis=1)):
                raise GradingError("linear_backward: db is summed over the wrong axis: sum "
                                   "over the batch (axis 0), one entry per output feature")
            if _close(res[2], dout):
                raise GradingError("linear_backward: db must be summed over the batch: the "
                                   "same b is added to every row")
            raise GradingError(f"linear_backward{where}: db does not equal dout.sum(axis=0)")
        if not _close(res[0], dx):
            if w.shape[0] == w.shape[1] and _close(res[0], dout @ w.T):
                raise GradingError("linear_backward: dx = dout @ w, not dout @ w.T (w is "
                                   "(M, D))")
            raise GradingError(f"linear_backward{where}: dx does not equal dout @ w")


ASSIGNMENT.exercises["linear"] = Exercise(
    "A linear layer", {"shape": _lin_shape, "values": _lin_values,
                       "gradients": _lin_gradients})


# -- 6. stable softmax cross-entropy -----------------------------------------------------------
_CE_FORBIDDEN = [losses.softmax_cross_entropy, losses.softmax_cross_entropy_forward,
                 losses.softmax_cross_entropy_backward, activations.softmax,
                 activations.softmax_forward, activations.log_softmax,
                 activations.log_softmax_forward] + _GRADIENT_TOOLS


def _ce_ref(logits, labels):
    loss, cache = losses.softmax_cross_entropy_forward(logits, labels)
    return loss, losses.softmax_cross_entropy_backward(1.0, cache)


def _ce_part(f, i: int | None):
    """The student's function, reduced to its loss (i = 0), dlogits (1) or both (None)."""
    def run(logits, labels):
        with np.errstate(all="ignore"):
            out = f(logits, labels)
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise GradingError("softmax_cross_entropy must return a pair (loss, dlogits)")
        return out if i is None else out[i]
    return run


def _ce_cases(hidden: bool):
    if not hidden:
        return [((np.array([[1.0, -0.5, 2.0], [0.2, 0.3, -1.0], [3.0, 0.0, 0.5],
                            [-1.0, 1.5, 0.0]]), np.array([2, 0, 0, 1])), {})]
    rng = np.random.default_rng(1207)
    return [((rng.normal(scale=2, size=(n, c)), rng.integers(0, c, size=n)), {})
            for n, c in ((6, 4), (1, 3), (10, 2), (5, 7))]


def _p_minus_onehot(logits, labels):
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1
    return p


_CE_LOSS_WRONG = [
    (lambda z, y: _ce_ref(z, y)[0] * len(y), "this is the SUM over the batch; average over "
                                             "the N rows, as torch.nn.CrossEntropyLoss"),
    (lambda z, y: -_ce_ref(z, y)[0], "the sign is flipped: the loss is -log p(true class)"),
]
_CE_GRAD_WRONG = [
    (_p_minus_onehot, "dlogits is N times too large: the loss is a mean over the N rows, so "
                      "divide by N"),
    (lambda z, y: -_p_minus_onehot(z, y) / len(y), "the sign is flipped: dlogits = (softmax - "
                                                   "one_hot) / N"),
    (lambda z, y: (_p_minus_onehot(z, y) + np.eye(z.shape[1])[y]) / len(y),
     "the one-hot target is missing: dlogits = (softmax - one_hot(labels)) / N"),
]


def _ce_values(ns, ctx, hidden):
    f = lookup(ns, "softmax_cross_entropy")
    expect_function(_ce_part(f, 0), "softmax_cross_entropy", lambda z, y: _ce_ref(z, y)[0],
                    _ce_cases(hidden), _CE_LOSS_WRONG, forbidden=_CE_FORBIDDEN,
                    describe=None if hidden else (lambda a, k: "the visible logits (loss)"))


def _ce_gradients(ns, ctx, hidden):
    f = lookup(ns, "softmax_cross_entropy")
    expect_function(_ce_part(f, 1), "softmax_cross_entropy", lambda z, y: _ce_ref(z, y)[1],
                    _ce_cases(hidden), _CE_GRAD_WRONG, forbidden=_CE_FORBIDDEN,
                    describe=None if hidden else (lambda a, k: "the visible logits (dlogits)"))


def _ce_stable(ns, ctx, hidden):
    run = _ce_part(lookup(ns, "softmax_cross_entropy"), None)
    rng = np.random.default_rng(1208 if hidden else 1209)
    near = 1000.0 + rng.normal(scale=3.0, size=(4, 3))
    # each true class (labels 1, 0, 2) some 800 below the two largest logits: p underflows to 0
    far = np.array([[800.0, 0.0, 798.0], [0.0, 799.0, 800.0], [801.0, 800.0, 0.0]]) \
        + rng.normal(size=(3, 3))
    checks = [(near, rng.integers(0, 3, size=4),
               "logits near 1000 overflow exp (exp(710) is inf in float64): subtract each "
               "row's maximum before exponentiating; softmax does not change"),
              (far, np.array([1, 0, 2]),
               "a true class hundreds below the largest logit has a probability that "
               "underflows to 0, and log(0) = -inf: compute log softmax directly as "
               "(z - max z) - log sum exp(z - max z), never log(softmax(z))")]
    for logits, labels, hint in checks:
        loss, dlogits = call(run, "softmax_cross_entropy", (logits.copy(), labels.copy()),
                             forbidden=_CE_FORBIDDEN)
        want_loss, want_grad = _ce_ref(logits, labels)
        record_secret((want_loss, want_grad))
        try:
            finite = bool(np.all(np.isfinite(np.asarray(loss, dtype=float)))
                          and np.all(np.isfinite(np.asarray(dlogits, dtype=float))))
        except (TypeError, ValueError):
            raise GradingError("softmax_cross_entropy must return numbers") from None
        if not finite:
            raise GradingError(f"softmax_cross_entropy returned nan or inf: {hint}")
        if not (_close(loss, want_loss) and _close(dlogits, want_grad)):
            raise GradingError("softmax_cross_entropy is finite but wrong on large logits: "
                               "shifting each row by its maximum must not change the result")


ASSIGNMENT.exercises["softmax_ce"] = Exercise(
    "Stable softmax cross-entropy", {"values": _ce_values, "gradients": _ce_gradients,
                                     "stable": _ce_stable})


# -- 7. an MLP on moons ------------------------------------------------------------------------
MOONS_NOISE = 0.2
NONLINEAR_ACCURACY, TARGET_ACCURACY = 0.90, 0.95


def _moons_accuracy(ns, hidden: bool) -> list[float]:
    model = lookup(ns, "model", "value")
    sets = [(2000, 9101), (2000, 9102)] if hidden else [(500, 9100)]
    accs = []
    for n, seed in sets:
        X, y = moons(n, noise=MOONS_NOISE, seed=seed)
        if isinstance(model, Module):
            try:
                labels = predict(model, X)
            except Exception as exc:  # the student's model failed: say so, not our inputs
                raise GradingError(f"model cannot classify moons points X (N, 2): {exc}") \
                    from None
        elif callable(model):
            out = np.asarray(call(model, "model", (X.copy(),)), dtype=float)
            labels = out.argmax(axis=1) if out.ndim == 2 and out.shape[1] > 1 else \
                (out.reshape(-1) > 0.5 if out.ndim == 1 else out.reshape(-1) > 0)
        else:
            raise GradingError("model must be a dlcore.nn.Module (such as dl.nn.MLP) or a "
                               "function X -> predicted labels")
        labels = np.asarray(labels).reshape(-1)
        if labels.shape != y.shape:
            raise GradingError("model must give one prediction per point of X (N, 2)")
        accs.append(float(np.mean(labels == y)))
    return accs


def _moons_part(threshold: float):
    def part(ns, ctx, hidden):
        accs = _moons_accuracy(ns, hidden)
        if min(accs) >= threshold:
            return
        shown = "" if hidden else f" ({accs[0]:.3f})"
        what = "held-out" if not hidden else "hidden held-out"
        if max(accs) < 0.6:
            hint = ("it predicts about one class for everything: check that training ran, "
                    "that the loss went down, and the learning rate")
        elif max(accs) < NONLINEAR_ACCURACY:
            hint = ("that is about what a straight boundary achieves (~87%): the network "
                    "needs a hidden layer with a nonlinear activation, trained long enough")
        else:
            hint = "train longer, or with a wider hidden layer or a better learning rate"
        raise GradingError(f"accuracy on {what} moons{shown} is below {threshold:.2f}: {hint}")
    return part


ASSIGNMENT.exercises["moons"] = Exercise(
    "Train an MLP on moons", {"nonlinear": _moons_part(NONLINEAR_ACCURACY),
                              "target": _moons_part(TARGET_ACCURACY)})


# -- 8. multiple choice ------------------------------------------------------------------------
_MC_HINTS = {
    "a": "(a) descends: the gradient there is -(y - y_hat) x_1, so adding eta (y - y_hat) x_1 "
         "SUBTRACTS eta times the gradient",
    "b": "(b) descends: it subtracts eta times the gradient",
    "c": "(c) descends: it subtracts eta times the gradient",
}


def _mc(ns, ctx, hidden):
    answer = str(lookup(ns, "ANSWER_8", "value")).strip().lower().strip("()")
    if len(answer) != 1 or answer not in "abcd":
        raise GradingError('ANSWER_8 must be one letter: "a", "b", "c" or "d"')
    if answer != "d":
        raise GradingError(_MC_HINTS[answer] + "; compare each step with the direction of "
                                               "the gradient, not with the sign in front of "
                                               "eta")


ASSIGNMENT.exercises["multiple_choice"] = Exercise("Which rule climbs?", {"answer": _mc})
