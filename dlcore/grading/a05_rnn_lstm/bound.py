"""Exercise 5 of A5: the bound on a gradient through time, vanishing or exploding.

Names the notebook defines: ``gradient_bound(activation, lam, t, k)`` =
``(gamma lam)^(t - k)``, with gamma the largest slope of the activation (1/4 for the sigmoid,
1 for tanh) and lam a bound on the spectral norm of W_hh (its largest singular value); and
``ANSWER_5``, what the bound says when ``gamma lam > 1``: it allows exploding gradients without
forcing them (multiple choice, answer c).
The reference is the lecture's formula.
"""

from __future__ import annotations

from .._core import Exercise, GradingError, case_rng, function_part, lookup

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


_GAMMA = {"sigmoid": 0.25, "tanh": 1.0}  # max |phi'|: sigma' = s(1 - s) <= 1/4, tanh' <= 1


def _bound_ref(activation, lam, t, k):
    return float((_GAMMA[activation] * lam) ** (t - k))


_BOUND_WRONG = [
    (lambda act, lam, t, k: float(lam ** (t - k)),
     "gamma = 1 was used for the sigmoid: gamma bounds the activation's slope, and "
     "sigma'(a) = sigma(a)(1 - sigma(a)) <= 1/4, so gamma = 1/4 for the sigmoid (1 for tanh)"),
    (lambda act, lam, t, k: float(((1.0 if act == "sigmoid" else 0.25) * lam) ** (t - k)),
     "the two gammas are swapped: 1/4 for the sigmoid, 1 for tanh"),
    (lambda act, lam, t, k: _bound_ref(act, lam, t, k + 1) if t > k else None,
     "one factor short: the product runs over j = k + 1, ..., t, which is t - k factors"),
    (lambda act, lam, t, k: _bound_ref(act, lam, t + 1, k),
     "one factor too many: the product runs over j = k + 1, ..., t, which is t - k factors"),
    (lambda act, lam, t, k: float(_GAMMA[act] * lam ** (t - k)),
     "gamma must be raised to the power t - k as well: every factor of the product is "
     "bounded by gamma * lambda"),
]


def _bound_cases(hidden: bool):
    if not hidden:
        return [(("sigmoid", 3.0, 10, 4), {}), (("tanh", 0.8, 10, 4), {})]
    rng = case_rng(5501, hidden=True)
    cases = []
    for j in range(10):
        k = int(rng.integers(0, 6))
        t = k + (0 if j == 0 else int(rng.integers(1, 25)))
        cases.append((("sigmoid" if j % 2 else "tanh", float(rng.uniform(0.5, 6.0)), t, k), {}))
    return cases


_bound_values = function_part(
    "gradient_bound", _bound_ref, _bound_cases, _BOUND_WRONG,
    describe=lambda a, k: f"activation={a[0]!r}, lam={a[1]}, t={a[2]}, k={a[3]}")


_MC5_HINTS = {
    "a": "(a) reads the bound as an equality; it is an upper bound, and a growing upper bound "
         "allows large gradients without forcing them (a saturated tanh has a slope near 0)",
    "b": "(b) would need gamma * lambda < 1: only then does the bound itself go to 0 and force "
         "the gradients to vanish",
    "d": "(d) is not what the bound says: with gamma * lambda = 3 the bound 3^(t - k) is above 1 "
         "and grows, so it does not keep the norm below 1 (with the tanh slopes near 1, the "
         "norm can exceed 1)",
}


def _bound_meaning(ns, ctx, hidden):
    answer = str(lookup(ns, "ANSWER_5", "value")).strip().lower().strip("()")
    if len(answer) != 1 or answer not in "abcd":
        raise GradingError('ANSWER_5 must be one letter: "a", "b", "c" or "d"')
    if answer != "c":
        raise GradingError(_MC5_HINTS[answer])


EXERCISES["gradient_bound"] = Exercise(
    "Vanishing and exploding gradients", {"values": _bound_values, "meaning": _bound_meaning})
