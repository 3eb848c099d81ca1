"""Exercise 8 of A2: ``ANSWER_8``, which of four update rules climbs the loss."""

from __future__ import annotations

from .._core import Exercise, GradingError, lookup

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


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


EXERCISES["multiple_choice"] = Exercise("Which rule climbs?", {"answer": _mc})
