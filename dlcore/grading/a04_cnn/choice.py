"""Exercise 8 of A4: ``ANSWER_8``, which equation copied from the slides has an index typo."""

from __future__ import annotations

from .._core import Exercise, GradingError, lookup

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


_MC_HINTS = {
    "a": "(a) is right: at stride 2, z2's window starts two columns to the right, at a3",
    "c": "(c) is right: w7 is the bottom-left weight; in the four windows it meets a11, a13, "
         "a21 and a23",
    "d": "(d) is right: w9 is the bottom-right weight; it meets a13, a15, a23 and a25",
}


def _mc(ns, ctx, hidden):
    answer = str(lookup(ns, "ANSWER_8", "value")).strip().lower().strip("()")
    if len(answer) != 1 or answer not in "abcd":
        raise GradingError('ANSWER_8 must be one letter: "a", "b", "c" or "d"')
    if answer != "b":
        raise GradingError(_MC_HINTS[answer] + "; write out the window of each output and "
                                               "look again")


EXERCISES["multiple_choice"] = Exercise("Spot the index typo", {"answer": _mc})
