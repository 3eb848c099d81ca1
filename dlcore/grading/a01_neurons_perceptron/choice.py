"""Exercise 7 of A1: the multiple-choice question on the perceptron."""

from __future__ import annotations

from .._core import Exercise, GradingError, lookup

EXERCISES: dict[str, Exercise] = {}


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


EXERCISES["multiple_choice"] = Exercise("Spot the wrong statement", {"answer": _mc})
