"""Checking a function the learner wrote ("your turn" exercises).

``implement(exercise_id, title, reference=..., cases=..., mistakes=..., hints=...,
solution=...)`` registers an exercise whose answer is a function with the signature of
``reference``.  The check runs it on ``cases``, smallest first, and stops at the first case
where it goes wrong:

- it is not written yet (it raises ``NotImplementedError`` or returns None): says so;
- it raises: the error and the inputs that caused it;
- it returns the wrong shape (or the wrong number of results): both;
- it returns wrong values: when they are those of a catalogued mistake (a flipped kernel, a
  forgotten stride...), that mistake's hint; otherwise the inputs, what came back and what
  should have.  For a backward pass (``gradients=Gradients(...)``) the values are also set
  against central differences of the forward pass, and the message names the gradient that
  disagrees with them and where.

A function may return one array (or number) or a tuple of them (``outputs`` names them, e.g.
``("dx", "dW", "db")``).  A wrong function never makes the check raise.
``dl.check(...).or_reference()`` then gives the learner's function when it passed and the
reference when not, saying which.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..grading import matching_mistake
from ._registry import exercise

__all__ = ["Case", "Gradients", "implement", "NOT_WRITTEN"]

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


@dataclass(frozen=True)
class Gradients:
    """What a backward exercise returns: gradients of ``forward``, checked by differences.

    ``forward(*args, **kwargs)`` is called with the case's arguments at the positions
    ``inputs`` (all of them but ``dout`` by default) and its keyword arguments.  With ``dout``
    (the position of the upstream gradient in the case's arguments) the gradient of the
    number ``sum(dout * forward(...))`` is meant; with ``dout=None``, ``forward`` returns the
    number itself (a loss).  ``wrt`` gives, for each result of the backward function in
    order, the position among the case's arguments of the input it is the gradient of.
    """

    forward: Callable
    wrt: tuple
    dout: int | None = 0
    inputs: tuple | None = None

    def numerical(self, case: Case, h: float = 1e-5) -> tuple:
        """Central-difference estimates of the gradients the backward returns on ``case``."""
        args = [np.array(a, dtype=np.float64) if isinstance(a, np.ndarray) else a
                for a in copy.deepcopy(case.args)]
        positions = self.inputs if self.inputs is not None else tuple(
            i for i in range(len(args)) if i != self.dout)
        dout = None if self.dout is None else np.asarray(args[self.dout], dtype=np.float64)
        estimates = []
        for k in self.wrt:
            x = args[k] = np.array(args[k], dtype=np.float64)
            flat = x.reshape(-1)
            grad = np.zeros(x.size)
            for i in range(x.size):
                old = flat[i]
                values = []
                for step in (h, -h):
                    flat[i] = old + step
                    out = np.asarray(self.forward(*[args[p] for p in positions], **case.kwargs),
                                     dtype=np.float64)
                    values.append(float(np.sum(out * dout)) if dout is not None
                                  else float(out))
                flat[i] = old
                grad[i] = (values[0] - values[1]) / (2 * h)
            estimates.append(grad.reshape(x.shape))
        return tuple(estimates)


def _short(value) -> str:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = float(value)
    if isinstance(value, np.ndarray):
        return "np.array(" + np.array2string(value, separator=", ", precision=4,
                                             suppress_small=True).replace("\n", "") + ")"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, tuple):
        return "(" + ", ".join(_short(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return repr(value)


def _run(fn, case: Case):
    try:
        return case.call(fn), None
    except NotImplementedError:
        raise
    except Exception as exc:  # the learner's code: any error is reported, never raised
        return None, exc


def _numeric(value) -> bool:
    if isinstance(value, (tuple, list)) and value and all(
            isinstance(v, np.ndarray) for v in value) and len({np.shape(v) for v in value}) > 1:
        return False  # a ragged tuple is no array of numbers
    try:
        arr = np.asarray(value)
    except Exception:  # noqa: BLE001 - anything that is no array is "not numeric"
        return False
    return arr.dtype.kind in "biuf"


def _parts(value, n: int):
    """The ``n`` results of a multi-output function, or None when ``value`` is not n of them."""
    if isinstance(value, (tuple, list)) and len(value) == n:
        return list(value)
    return None


def _place(index: tuple) -> str:
    return "[" + ", ".join(str(int(i)) for i in index) + "]" if index else ""


def _worst(got: np.ndarray, want: np.ndarray, what: str = "correct") -> str:
    """Where ``got`` is furthest from ``want``: '[1, 0]: yours 0.5, correct 1'."""
    err = np.abs(got - want)
    err = np.where(np.isnan(err), np.inf, err)
    index = np.unravel_index(int(np.argmax(err)), err.shape) if err.ndim else ()
    return f"{'at ' + _place(index) + ': ' if index else ''}yours " \
           f"{_short(float(got[index]))}, {what} {_short(float(want[index]))}"


class _Checker:
    """The checker of an ``implement`` exercise (see the module's docstring)."""

    def __init__(self, reference, cases, mistakes, *, name, outputs, gradients, rtol, atol,
                 reference_name):
        self.reference, self.cases, self.mistakes = reference, list(cases), tuple(mistakes)
        self.name, self.outputs, self.gradients = name, tuple(outputs), gradients
        self.rtol, self.atol, self.reference_name = rtol, atol, reference_name

    def __call__(self, answer):
        name = self.name
        if not callable(answer):
            return (f"pass your function itself (e.g. dl.check(..., {name}), without "
                    f"parentheses), not {type(answer).__name__}")
        results = []
        for case in self.cases:
            try:
                got, error = _run(answer, case)
            except NotImplementedError:
                return (f"your {name} {NOT_WRITTEN}: replace `raise NotImplementedError` "
                        f"with your code")
            if error is None and (got is None or (isinstance(got, (tuple, list)) and any(
                    g is None for g in got))):
                return f"your {name} {NOT_WRITTEN}: it returns None instead of its result"
            results.append((case, got, error))
        for case, got, error in results:
            if error is not None:
                return (f"your {name} raised {type(error).__name__}: {error}, on the case "
                        f"{case.describe()}")
            verdict = self._verdict(case, got)
            if verdict is not None:
                return verdict
        return None

    def _verdict(self, case: Case, got):
        name, n = self.name, max(len(self.outputs), 1)
        want = case.call(self.reference)
        if n > 1:
            parts = _parts(got, n)
            if parts is None:
                kind = (f"{len(got)} results" if isinstance(got, (tuple, list)) else
                        f"a {type(got).__name__}")
                return (f"your {name} returned {kind} on the case {case.describe()}; it "
                        f"should return the {n} results ({', '.join(self.outputs)}), in that "
                        f"order")
            wants = list(want)
        else:
            parts, wants = [got], [want]
        for label, part in zip(self.outputs or (name,), parts):
            if not _numeric(part):
                what = "" if n == 1 else f" as {label}"
                return (f"your {name} returned a {type(part).__name__}{what} on the case "
                        f"{case.describe()}; it should return a NumPy array")
        arrays = [np.asarray(p, dtype=float) for p in parts]
        wants = [np.asarray(w, dtype=float) for w in wants]
        wrong = [k for k, (g, w) in enumerate(zip(arrays, wants))
                 if not (g.shape == w.shape and np.allclose(g, w, rtol=self.rtol,
                                                            atol=self.atol))]
        if not wrong:
            return None
        hint = matching_mistake(self.mistakes, (case.args, case.kwargs),
                                tuple(arrays) if n > 1 else arrays[0], rtol=self.rtol,
                                atol=self.atol)
        if hint is not None:
            return f"{hint} (seen on the case {case.describe()})"
        k = wrong[0]
        g, w = arrays[k], wants[k]
        which = f"your {name}" if n == 1 else f"the {self.outputs[k]} of your {name}"
        if g.shape != w.shape:
            return (f"on the case {case.describe()}, {which} has shape {g.shape}; it should "
                    f"have shape {w.shape}")
        if self.gradients is not None:
            numeric = self.gradients.numerical(case)[k]
            return (f"on the case {case.describe()}, {which} is not the gradient: central "
                    f"differences of the forward pass give {_short(numeric)}, yours is "
                    f"{_short(g)}; the largest difference: "
                    f"{_worst(g, numeric, 'differences')}")
        if g.size > 1:
            return (f"on the case {case.describe()}, {which} returned {_short(g)}; the "
                    f"correct result is {_short(w)} (the largest difference: "
                    f"{_worst(g, w)})")
        return (f"on the case {case.describe()}, {which} returned {_short(g)}; the correct "
                f"result is {_short(w)}")


def implement(exercise_id: str, title: str, *, reference: Callable, cases: Sequence[Case],
              solution: str, mistakes: Sequence[tuple[Callable, str]] = (),
              hints: Sequence[str] = (), name: str | None = None,
              outputs: Sequence[str] = (), gradients: Gradients | None = None,
              reference_name: str | None = None, rtol: float = 1e-6,
              atol: float = 1e-9) -> Callable:
    """Register a "your turn" exercise: write a function that behaves as ``reference``.

    ``name``: the learner's function as the notebook names it (``my_correlate2d``).
    ``outputs``: the names of its results when it returns several, in order.
    ``gradients``: for a backward pass, how to check it by central differences.
    ``reference_name``: how ``or_reference`` names the reference (by default
    ``dl.<module>.<function>``).
    """
    if outputs and len(outputs) == 1:
        raise ValueError("outputs names the results of a function that returns several; "
                         "leave it out for a function that returns one")
    if gradients is not None and len(gradients.wrt) != max(len(outputs), 1):
        raise ValueError(f"gradients.wrt has {len(gradients.wrt)} entries; the function "
                         f"returns {max(len(outputs), 1)} results")
    checker = _Checker(reference, cases, mistakes, name=name or reference.__name__,
                       outputs=outputs, gradients=gradients, rtol=rtol, atol=atol,
                       reference_name=reference_name)
    if reference_name is not None:
        try:
            reference._dlcore_public_name = reference_name
        except AttributeError:  # a builtin or a bound method: keep the default name
            pass
    exercise(exercise_id, title, solution=solution, hints=hints)(checker)
    return checker
