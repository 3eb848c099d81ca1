"""The A1 grading module without nbgrader: a correct namespace passes every part, every
threshold that computes the asked gate passes (graded by its truth table, not one literal), a
wrong one gets a hint in the student's terms, and the multiple choice has one answer."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from dlcore.grading import GradingError
from dlcore.grading import a01_neurons_perceptron as a01

pytestmark = [pytest.mark.lec02, pytest.mark.lec03, pytest.mark.lec05]


# -- a correct student, written independently of dlcore ------------------------------------------
def mp_neuron(x, threshold, inhibitory=()):
    x = np.asarray(x)
    return 0 if any(x[i] == 1 for i in inhibitory) else int(x.sum() >= threshold)


def perceptron_step(w, x, y):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    return w + y * x if (1 if w @ x >= 0 else -1) != y else w.copy()


def train_perceptron(X, y, max_epochs=100):
    Xb = np.hstack([np.asarray(X, dtype=float), np.ones((len(X), 1))])
    w, errors = np.zeros(Xb.shape[1]), []
    for _ in range(max_epochs):
        mistakes = 0
        for x_i, y_i in zip(Xb, y):
            new = perceptron_step(w, x_i, y_i)
            mistakes += int(not np.array_equal(new, w))
            w = new
        errors.append(mistakes)
        if mistakes == 0:
            return w, errors
    warnings.warn("the perceptron did not converge", stacklevel=2)
    return w, errors


def mlp_counts(sizes):
    n = sum(sizes[1:])
    w = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    return n, w, w + n


def tower_weights(a, b, c, k, m1, m2):
    return (np.array([[k], [k]], float), np.array([-k * m1, -k * m2], float),
            np.array([[a - b, c - b]], float), np.array([b], float))


def reference_namespace(**changes) -> dict:
    ns = {"mp_neuron": mp_neuron, "perceptron_step": perceptron_step,
          "train_perceptron": train_perceptron, "mlp_counts": mlp_counts,
          "tower_weights": tower_weights, "THETA_AND": 7, "THETA_OR": 1,
          # an XOR net other than the lecture's: (x1 and not x2) or (x2 and not x1)
          "W1": np.array([[1.0, -1.0], [-1.0, 1.0]]), "b1": np.array([-1.0, -1.0]),
          "w2": np.array([1.0, 1.0]), "b2": -1.0, "PLATEAU_RIGHT": 7.0, "ANSWER_7": "c"}
    ns.update(changes)
    return ns


PARTS = [(ex, part) for ex, e in a01.ASSIGNMENT.exercises.items() for part in e.parts]


@pytest.mark.parametrize("exercise, part", PARTS)
@pytest.mark.parametrize("hidden", [False, True])
def test_reference_namespace_passes(exercise, part, hidden, capsys):
    a01.checker(reference_namespace())(exercise, part, hidden=hidden)
    assert "passed" in capsys.readouterr().out


# -- thresholds: graded by the truth table ----------------------------------------------------
@pytest.mark.parametrize("theta_and", [7, 6.5, 6.01, 6.999, np.float64(6.5), np.int64(7)])
@pytest.mark.parametrize("theta_or", [1, 0.5, 0.01, 1.0])
def test_every_threshold_that_computes_the_gate_passes(theta_and, theta_or):
    ns = reference_namespace(THETA_AND=theta_and, THETA_OR=theta_or)
    a01.checker(ns)("mp_neuron", "thresholds")


@pytest.mark.parametrize("theta_and, theta_or, hint", [
    (6, 1, "fires when at least 6 of the 7 inputs are on"),
    (6, 1, "not only when it is strictly greater"),
    (6.5, 0, "fires for every input, even when all 7 are 0"),
    (7, 0.0, "not only when it is strictly greater"),
    (8, 1, "never fires: 7 inputs sum to at most 7"),
    (7.2, 1, "never fires"),
    (1, 7, "fires as soon as one input is on: that is OR"),
    (7, 7, "THETA_OR: with THETA_OR = 7 the unit fires only when all 7 inputs are on: that is "
           "AND"),
    (3, 1, "at least 3 of the 7"),
    (7, 2, "OR must fire as soon as one input is on"),
    ("7", 1, "THETA_AND must be a number"),
    (7, True, "THETA_OR must be a number"),
    (7, float("nan"), "finite"),
])
def test_a_wrong_threshold_gets_a_hint(theta_and, theta_or, hint):
    ns = reference_namespace(THETA_AND=theta_and, THETA_OR=theta_or)
    with pytest.raises(GradingError, match=hint.replace("(", r"\(").replace(")", r"\)")):
        a01.checker(ns)("mp_neuron", "thresholds")


def test_the_strict_hint_is_only_for_a_strict_units_threshold():
    for theta in (-1, -0.5, 2, 3):
        with pytest.raises(GradingError) as err:
            a01.checker(reference_namespace(THETA_OR=theta))("mp_neuron", "thresholds")
        assert "strictly greater" not in str(err.value)


def test_a_threshold_not_answered_yet():
    with pytest.raises(GradingError, match="not answered yet"):
        a01.checker(reference_namespace(THETA_AND=...))("mp_neuron", "thresholds")


# -- the other free choices are graded by behaviour -------------------------------------------
def test_any_xor_network_passes_and_or_gets_its_hint():
    lecture = dict(W1=np.array([[1.0, 1.0], [1.0, 1.0]]), b1=np.array([-0.5, -1.5]),
                   w2=np.array([1.0, -1.0]), b2=-0.5)
    a01.checker(reference_namespace(**lecture))("xor_network", "values")
    scaled = {k: 3 * np.asarray(v) for k, v in lecture.items()}
    a01.checker(reference_namespace(**scaled))("xor_network", "values")
    with pytest.raises(GradingError, match="computes OR, not XOR"):
        a01.checker(reference_namespace(**dict(lecture, w2=np.array([1.0, 0.0]))))(
            "xor_network", "values")


def test_towers_accept_the_hidden_units_in_either_order():
    def swapped(a, b, c, k, m1, m2):
        w1, b1, w2, b2 = tower_weights(a, b, c, k, m1, m2)
        return w1[::-1], b1[::-1], w2[:, ::-1], b2
    a01.checker(reference_namespace(tower_weights=swapped))("towers", "values", hidden=True)


# -- exercise 7: one wrong statement ------------------------------------------------------------
@pytest.mark.parametrize("answer, hint", [("a", "(a) is right"), ("b", "(b) is right"),
                                          ("d", "lecture 3, section 5"), ("e", "one letter")])
def test_multiple_choice_hints(answer, hint):
    with pytest.raises(GradingError, match=hint.replace("(", r"\(").replace(")", r"\)")):
        a01.checker(reference_namespace(ANSWER_7=answer))("multiple_choice", "answer")
