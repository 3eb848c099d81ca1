"""Exercise 6 of A3: the largest stable learning rate on a quadratic.

The notebook defines ``max_stable_lr(h, momentum=0.0)``: the largest stable learning rate of
gradient descent with heavy-ball momentum on a quadratic with curvature h (a number, or a 1-D
array (K,) of the Hessian's eigenvalues).  The reference is ``optim.stability_limit``.
"""

from __future__ import annotations

import numpy as np

from ...optim import paths
from .._core import Exercise, GradingError, case_rng, expect_function, lookup

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


def _hmax(h) -> float:
    return float(np.max(np.asarray(h, dtype=float)))


def _limit_ref(h, momentum=0.0):
    return paths.stability_limit(_hmax(h), "momentum", momentum)


def _limit_wrong(kind):
    def fn(h, momentum=0.0):
        hs = np.atleast_1d(np.asarray(h, dtype=float))
        top, b = hs.max(), momentum
        formulas = {"one_over_h": lambda: (1 + b) / top, "no_beta": lambda: 2 / top,
                    "one_minus_beta": lambda: 2 * (1 - b) / top,
                    "over_beta": lambda: 2 / ((1 + b) * top),
                    "nag": lambda: 2 * (1 + b) / ((1 + 2 * b) * top),
                    "min_h": lambda: 2 * (1 + b) / hs.min(),
                    "mean_h": lambda: 2 * (1 + b) / hs.mean(),
                    "sum_h": lambda: 2 * (1 + b) / hs.sum()}
        return formulas[kind]()
    return fn


LIMIT_WRONG = [
    (_limit_wrong("one_over_h"),
     "1/h is the learning rate whose step lands exactly on the minimum (eta h = 1), not the "
     "largest stable one: gradient descent still converges while |1 - eta h| < 1, so up to "
     "twice that; your answer is half the limit (momentum then widens it by (1 + beta))"),
    (_limit_wrong("no_beta"),
     "that is plain gradient descent's limit 2/h; heavy-ball momentum widens it by the factor "
     "(1 + beta)"),
    (_limit_wrong("one_minus_beta"),
     "the limit grows with the momentum: 2 (1 + beta) / h, not 2 (1 - beta) / h"),
    (_limit_wrong("over_beta"),
     "momentum multiplies the limit by (1 + beta); it does not divide it"),
    (_limit_wrong("nag"),
     "that is Nesterov's limit; the exercise asks for heavy-ball momentum"),
    (_limit_wrong("min_h"),
     "with several curvatures the steepest direction (the LARGEST h) diverges first, so it "
     "sets the limit"),
    (_limit_wrong("mean_h"),
     "the largest curvature sets the limit, not the mean of the curvatures"),
    (_limit_wrong("sum_h"),
     "the largest curvature sets the limit, not the sum of the curvatures"),
]


def _limit_cases(kind: str, hidden: bool):
    if not hidden:
        return {"gd": [((8.0,), {"momentum": 0.0}), ((0.25,), {"momentum": 0.0})],
                "momentum": [((5.0,), {"momentum": 0.6})],
                "hessian": [((np.array([0.5, 3.0, 12.0]),), {"momentum": 0.0}),
                            ((np.array([6.0, 1.5]),), {"momentum": 0.3})]}[kind]
    rng = case_rng({"gd": 3601, "momentum": 3602, "hessian": 3603}[kind], hidden=True)
    if kind == "hessian":
        return [((rng.uniform(0.1, 30.0, size=int(rng.integers(2, 6))),),
                 {"momentum": float(b)}) for b in (0.0, 0.45, 0.8, 0.97)]
    betas = [0.0] * 5 if kind == "gd" else list(rng.uniform(0.05, 0.98, size=5))
    return [((float(rng.uniform(0.05, 50.0)),), {"momentum": float(b)}) for b in betas]


def _limit_part(kind: str):
    def part(ns, ctx, hidden):
        f = lookup(ns, "max_stable_lr")

        def student(h, momentum=0.0):
            out = f(h, momentum=momentum)
            arr = np.asarray(out, dtype=float)
            if arr.size != 1:
                raise GradingError("max_stable_lr must return one number")
            return float(arr.reshape(()))

        def describe(args, kwargs):
            h = args[0]
            h = np.round(h, 6).tolist() if isinstance(h, np.ndarray) else h
            return f"h={h}, momentum={kwargs['momentum']}"

        expect_function(student, "max_stable_lr", _limit_ref, _limit_cases(kind, hidden),
                        LIMIT_WRONG, forbidden=[paths.stability_limit],
                        describe=None if hidden else describe)
    return part


EXERCISES["stability"] = Exercise(
    "Stability limits on a quadratic",
    {"gd": _limit_part("gd"), "momentum": _limit_part("momentum"),
     "hessian": _limit_part("hessian")})
