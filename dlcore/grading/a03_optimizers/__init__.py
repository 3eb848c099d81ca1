"""Checks for assignment A3, optimizers and training tricks (lectures 8 and 9).

Exercises and the names the notebook defines (shapes: P any parameter shape, shared by theta,
grad and every array in an optimizer's state; N batch, D features):

1. ``sgd_momentum_step(theta, grad, state, lr, momentum=0.0, weight_decay=0.0)``
   -> ``(theta_new, state)``; state key ``"momentum_buffer"``.
2. ``nesterov_step(theta, grad, state, lr, momentum, weight_decay=0.0)``, the same contract.
3. ``adagrad_step(theta, grad, state, lr=1e-2, eps=1e-10)``; key ``"sum"``.
4. ``rmsprop_step(theta, grad, state, lr=1e-2, alpha=0.99, eps=1e-8)``; key ``"square_avg"``.
5. ``adam_step(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8)``; keys ``"step"``
   (1 after the first call), ``"exp_avg"``, ``"exp_avg_sq"``.
6. ``max_stable_lr(h, momentum=0.0)``: the largest stable learning rate of gradient descent with
   heavy-ball momentum on a quadratic with curvature h (a number, or a 1-D array of the
   Hessian's eigenvalues).
7. ``dropout_forward(x, p, training=True, rng=None) -> (out, cache)`` and
   ``dropout_backward(dout, cache) -> dx``; x any shape, mask ``rng.random(x.shape) >= p``.
8. ``batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1,
   eps=1e-5) -> (out, cache)`` (running stats updated in place) and
   ``batchnorm_backward(dout, cache) -> (dx, dgamma, dbeta)``; x (N, D), the rest (D,).

Every optimizer step starts from an empty state ``{}`` and runs for many steps on a seeded
gradient sequence; the parameter path is compared with ``dlcore.optim``'s update rules (which
agree with torch.optim).  Dropout and batch norm are compared with ``dlcore.layers`` (the same
seed gives the same dropout mask), stability limits with ``optim.stability_limit``.  A
mismatch that one of the catalogued mistakes reproduces gets that mistake's hint; no message
shows an expected value or a hidden input.

Modules, one per exercise group: ``momentum`` (1, 2), ``adaptive`` (3-5), ``stability``
(6), ``dropout`` (7), ``batchnorm`` (8); ``_common`` runs and compares the optimizer steps.
"""

from __future__ import annotations

from ...optim import paths
from .._core import Assignment
from . import _common, adaptive, batchnorm, dropout, momentum, stability

__all__ = ["checker", "ASSIGNMENT"]

# Exercises are registered in the notebook's order.
ASSIGNMENT = Assignment.of_groups("a03_optimizers",
                                  momentum, adaptive, stability, dropout, batchnorm
                                  ).with_references(
    _common, momentum, adaptive, stability, dropout, batchnorm, extra=[paths.stability_limit])
checker = ASSIGNMENT.checker
