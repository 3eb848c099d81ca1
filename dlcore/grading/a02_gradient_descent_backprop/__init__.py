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
8. ``ANSWER_8``: which of four update rules climbs the loss (multiple choice).

Expected values come from dlcore's references at check time: ``losses``, ``layers``,
``optim.trajectory("gd", ...)`` and ``engine.Value``; the toy gradient's reference formula is
the one central differences of ``losses.squared_error`` confirm (see the tests).

Modules, one per exercise group: ``neuron`` (1, 2), ``descent`` (3), ``chain`` (4),
``linear`` (5), ``softmax_ce`` (6), ``mlp`` (7), ``choice`` (8); ``neuron`` also holds the
helpers the later groups share.
"""

from __future__ import annotations

from ... import losses
from .._core import Assignment
from . import chain, choice, descent, linear, mlp, neuron, softmax_ce

# Re-exported: the notebook's data and targets.
from .mlp import MOONS_NOISE, NONLINEAR_ACCURACY, TARGET_ACCURACY  # noqa: F401
from .neuron import TOY_X, TOY_Y  # noqa: F401

__all__ = ["checker", "ASSIGNMENT"]

# Exercises are registered in the notebook's order.
ASSIGNMENT = Assignment.of_groups("a02_gradient_descent_backprop",
                                  neuron, descent, chain, linear, softmax_ce, mlp, choice
                                  ).with_references(
    neuron, descent, chain, linear, softmax_ce, mlp,
    extra=[losses.squared_error, losses.squared_error_forward, losses.mse, losses.mse_forward],
    trained=["model"], sent=[descent._toy_grad_at, descent._quadratic_at])
checker = ASSIGNMENT.checker
