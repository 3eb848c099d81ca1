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

Modules, one per exercise group: ``mp`` (1), ``perceptron`` (2, 3), ``xor`` (4), ``counts`` (5),
``towers`` (6), ``choice`` (7).
"""

from __future__ import annotations

from ... import counting, neurons
from ...nn import containers
from .._core import Assignment
from . import choice, counts, mp, perceptron, towers, xor

__all__ = ["checker", "ASSIGNMENT"]

# Exercises are registered in the notebook's order.
ASSIGNMENT = Assignment.of_groups("a01_neurons_perceptron",
                                  mp, perceptron, xor, counts, towers, choice).with_references(
    extra=[neurons.mp_neuron, neurons.perceptron_step, neurons.train_perceptron,
           counting.mlp_counts, containers.tower_weights])
checker = ASSIGNMENT.checker
