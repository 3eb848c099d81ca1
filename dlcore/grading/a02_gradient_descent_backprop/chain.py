"""Exercise 4 of A2: backprop through a thin chain of sigmoid units (scalars).

Names the notebook defines: ``chain_forward(x, w1, b1, w2, w3) -> y_hat`` and
``chain_grads(x, y, w1, b1, w2, w3) -> (dw1, db1, dw2, dw3)`` for
``y_hat = s(w3 s(w2 s(w1 x + b1)))`` with ``L = 1/2 (y - y_hat)^2``.  The reference is the
scalar autograd engine, ``engine.Value``.
"""

from __future__ import annotations

import numpy as np

from ...engine import Value
from .._core import Exercise, GradingError, call, case_rng, expect_function, lookup, record_secret
from .neuron import _GRADIENT_TOOLS, _floats, _sig

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


def chain_reference(x, y, w1, b1, w2, w3):
    """(y_hat, L, dw1, db1, dw2, dw3) from the scalar autograd engine."""
    p = [Value(float(v)) for v in (w1, b1, w2, w3)]
    y_hat = (p[3] * (p[2] * (p[0] * float(x) + p[1]).sigmoid()).sigmoid()).sigmoid()
    loss = 0.5 * (float(y) - y_hat) ** 2
    loss.backward()
    return (y_hat.data, loss.data) + tuple(v.grad for v in p)


def _chain_grads_ref(x, y, w1, b1, w2, w3):
    return chain_reference(x, y, w1, b1, w2, w3)[2:]


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
    rng = case_rng(1205, hidden=True)
    return [((float(rng.uniform(-2, 2)), float(rng.uniform(0, 1)))
             + tuple(float(v) for v in rng.uniform(-2.5, 2.5, size=4)), {}) for _ in range(6)]


def _chain_forward(ns, ctx, hidden):
    f = lookup(ns, "chain_forward")
    cases = [((a[0],) + a[2:], {}) for a, _ in _chain_cases(hidden)]
    expect_function(
        f, "chain_forward", lambda x, w1, b1, w2, w3: chain_reference(x, 0.0, w1, b1, w2, w3)[0],
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
    # One constant factor on every gradient: the learning rate inside the derivative,
    # dL/df3 = -eta (y - y_hat) (lecture 6, section 3).
    c = float(got @ want / (want @ want))
    if np.allclose(got, c * want, rtol=1e-6, atol=1e-9) and abs(c) > 1e-9:
        if np.isclose(c, -1.0):
            raise GradingError("chain_grads: every gradient has the wrong sign: dL/dy_hat = "
                               "y_hat - y = -(y - y_hat)")
        raise GradingError("chain_grads: every gradient is the correct one times the same "
                           "constant factor, as when the learning rate sits inside the "
                           "derivative (writing dL/df3 = -eta (y - y_hat), the slip of lecture "
                           "6, section 3). The derivative is dL/dy_hat = -(y - y_hat); eta "
                           "belongs only in the update theta <- theta - eta * grad")
    expect_function(f, "chain_grads", _chain_grads_ref, cases, _CHAIN_WRONG,
                    forbidden=_GRADIENT_TOOLS,
                    describe=None if hidden else (lambda a, k: "the exercise's chain"))


EXERCISES["chain"] = Exercise(
    "Backprop through a chain", {"forward": _chain_forward, "gradients": _chain_grads})
