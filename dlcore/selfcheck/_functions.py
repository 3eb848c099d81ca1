"""Checking a function the learner wrote ("your turn" exercises).

``implement(exercise_id, title, reference=..., cases=..., mistakes=..., hints=...,
solution=...)`` registers an exercise whose answer is a function with the signature of
``reference`` (a dlcore function).  The check runs it on ``cases``, smallest first, and stops
at the first case where it goes wrong:

- it is not written yet (it raises ``NotImplementedError`` or returns None): says so;
- it raises: the error and the inputs that caused it;
- it returns the wrong shape: both shapes;
- it returns wrong values: when they are those of a catalogued mistake (a flipped kernel, a
  forgotten stride...), that mistake's hint; otherwise the inputs, what came back and what
  should have.

A wrong function never makes the check raise.  ``dl.check(...).or_reference()`` then gives
the learner's function when it passed and the reference when not, saying which.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..grading import matching_mistake
from ._registry import exercise

__all__ = ["Case", "implement", "NOT_WRITTEN"]

#: What the verdict says of a function that is not written yet.
NOT_WRITTEN = "is not written yet"


@dataclass(frozen=True)
class Case:
    """One call of the learner's function: a short ``label`` and its arguments."""

    label: str
    args: tuple
    kwargs: dict = field(default_factory=dict)

    def call(self, fn):
        return fn(*copy.deepcopy(self.args), **copy.deepcopy(self.kwargs))

    def describe(self) -> str:
        parts = [_short(a) for a in self.args]
        parts += [f"{k}={_short(v)}" for k, v in self.kwargs.items()]
        return f"{self.label}: ({', '.join(parts)})"


def _short(value) -> str:
    if isinstance(value, np.ndarray):
        return "np.array(" + np.array2string(value, separator=", ", precision=4,
                                             suppress_small=True).replace("\n", "") + ")"
    return repr(value)


def _run(fn, case: Case):
    try:
        return case.call(fn), None
    except NotImplementedError:
        raise
    except Exception as exc:  # the learner's code: any error is reported, never raised
        return None, exc


def function_checker(reference: Callable, cases: Sequence[Case],
                     mistakes: Sequence[tuple[Callable, str]] = (), *, name: str,
                     rtol: float = 1e-6, atol: float = 1e-9) -> Callable:
    """The checker of an ``implement`` exercise (see the module's docstring)."""

    def check(answer):
        if not callable(answer):
            return (f"pass your function itself (e.g. dl.check(..., {name}), without "
                    f"parentheses), not {type(answer).__name__}")
        results = []
        for case in cases:
            try:
                got, error = _run(answer, case)
            except NotImplementedError:
                return (f"your {name} {NOT_WRITTEN}: replace `raise NotImplementedError` "
                        f"with your code")
            if error is None and got is None:
                return f"your {name} {NOT_WRITTEN}: it returns None instead of its result"
            results.append((case, got, error))
        for case, got, error in results:
            if error is not None:
                return (f"your {name} raised {type(error).__name__}: {error}, on the case "
                        f"{case.describe()}")
            if not _numeric(got):
                return (f"your {name} returned a {type(got).__name__} on the case "
                        f"{case.describe()}; it should return a NumPy array")
            got = np.asarray(got, dtype=float)
            want = case.call(reference)
            if np.shape(got) == np.shape(want) and np.allclose(got, want, rtol=rtol, atol=atol):
                continue
            hint = matching_mistake(mistakes, (case.args, case.kwargs), got, rtol=rtol,
                                    atol=atol)
            if hint is not None:
                return f"{hint} (seen on the case {case.describe()})"
            if np.shape(got) != np.shape(want):
                return (f"on the case {case.describe()}, your {name} returned shape "
                        f"{np.shape(got)}; the result has shape {np.shape(want)}")
            return (f"on the case {case.describe()}, your {name} returned "
                    f"{_short(got)}; the correct result is {_short(np.asarray(want))}")
        return None

    return check


def _numeric(value) -> bool:
    try:
        arr = np.asarray(value)
    except Exception:  # noqa: BLE001 - anything that is no array is "not numeric"
        return False
    return arr.dtype.kind in "biuf"


def implement(exercise_id: str, title: str, *, reference: Callable, cases: Sequence[Case],
              solution: str, mistakes: Sequence[tuple[Callable, str]] = (),
              hints: Sequence[str] = (), name: str | None = None, rtol: float = 1e-6,
              atol: float = 1e-9) -> Callable:
    """Register a "your turn" exercise: write a function that behaves as ``reference``."""
    checker = function_checker(reference, cases, mistakes, name=name or reference.__name__,
                               rtol=rtol, atol=atol)
    checker.reference = reference
    checker.mistakes = tuple(mistakes)
    exercise(exercise_id, title, solution=solution, hints=hints)(checker)
    return checker
