"""Running the learner's own function inside a widget (the ``mine=`` keyword).

A widget that takes ``mine=`` calls it where it would call the dlcore function it stands in
for, with the same arguments, and compares what comes back with dlcore's result:

- ``require_function(mine, example)`` rejects anything but a function with a message that
  shows how to pass one;
- ``run_mine(mine, args, kwargs, reference=...)`` calls it on copies of the arguments and
  returns a ``Mine``: the learner's result when it could be used, the entries that differ,
  and a readout sentence.  A function that is not written yet, raises, returns None, returns
  something that is not numbers, or the wrong shape is described in ``message`` (with the
  inputs it was called on) and never raised: the widget then shows dlcore's result.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Mine", "require_function", "run_mine", "takes", "mine_name"]


def require_function(mine, example: str, what: str = "your function"):
    """``mine`` itself when it is None or callable; else a TypeError naming ``example``."""
    if mine is not None and not callable(mine):
        raise TypeError(f"mine must be {what}, e.g. mine={example} (without parentheses); "
                        f"got {type(mine).__name__}")
    return mine


def takes(fn, parameter: str) -> bool:
    """Whether ``fn`` accepts ``parameter`` (True when its signature cannot be read)."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return True
    return parameter in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def mine_name(fn) -> str:
    name = getattr(fn, "__name__", "") or ""
    return "your function" if not name or name == "<lambda>" else name


def _fmt(x: float) -> str:
    x = float(x)
    if not np.isfinite(x):
        return str(x)
    return f"{x:.4g}" if x != 0 else "0"


@dataclass
class Mine:
    """What the learner's function gave: ``value`` (None when it could not be used),
    ``differ`` (a boolean array per result, True where it is not dlcore's), ``message``."""

    value: object
    differ: object
    message: str

    @property
    def used(self) -> bool:
        """True when the widget shows the learner's result."""
        return self.value is not None

    @property
    def n_differ(self) -> int:
        if self.differ is None:
            return 0
        parts = self.differ if isinstance(self.differ, tuple) else (self.differ,)
        return int(sum(int(np.sum(d)) for d in parts))


def run_mine(fn: Callable, args: Sequence, kwargs: dict | None = None, *, reference,
             reference_name: str, where: str, fallback: str, entries: str = "entries",
             label: str = "out", outputs: Sequence[str] = (), rtol: float = 1e-6,
             atol: float = 1e-9) -> Mine:
    """Call ``fn(*args, **kwargs)`` on copies and compare with ``reference`` (dlcore's result:
    an array, a number, or a tuple of them with ``outputs`` naming each).

    ``where`` describes the inputs ("image 5×5, kernel 2×2, stride 1"); ``fallback`` says what
    the widget shows instead when the result cannot be used ("the grids show
    dl.conv.correlate2d"); ``entries`` names the entries ("cells", "weights") and ``label``
    the result in the readout (``out[0, 1]``).
    """
    name = mine_name(fn)
    kwargs = kwargs or {}
    try:
        got = fn(*copy.deepcopy(tuple(args)), **copy.deepcopy(kwargs))
    except NotImplementedError:
        return Mine(None, None, f"{name} is not written yet (it raises NotImplementedError): "
                                f"{fallback}.")
    except Exception as exc:  # the learner's code: shown in the widget, never raised
        return Mine(None, None, f"{name} raised {type(exc).__name__}: {exc} (on the {where});"
                                f" {fallback}.")
    if got is None:
        return Mine(None, None, f"{name} is not written yet (it returns None): {fallback}.")
    several = isinstance(reference, tuple)
    refs = reference if several else (reference,)
    labels = tuple(outputs) if several else (label,)
    if several:
        if not isinstance(got, (tuple, list)) or len(got) != len(refs):
            return Mine(None, None, f"{name} should return {len(refs)} results "
                                    f"({', '.join(labels)}), in that order; it returned "
                                    f"{_kind(got)}; {fallback}.")
        parts = list(got)
    else:
        parts = [got]
    if any(p is None for p in parts):
        return Mine(None, None, f"{name} is not written yet (it returns None): {fallback}.")
    arrays = []
    for lab, part, ref in zip(labels, parts, refs):
        try:
            arr = np.asarray(part, dtype=np.float64)
        except (TypeError, ValueError):
            what = f" as {lab}" if several else ""
            return Mine(None, None, f"{name} returned a {type(part).__name__}{what}, not an "
                                    f"array of numbers; {fallback}.")
        ref = np.asarray(ref, dtype=np.float64)
        if arr.shape != ref.shape:
            what = f" for {lab}" if several else ""
            return Mine(None, None, f"{name} returned shape {arr.shape}{what} on the {where};"
                                    f" the correct shape is {ref.shape}; {fallback}.")
        arrays.append(arr)
    differ = tuple(~np.isclose(a, np.asarray(r, dtype=np.float64), rtol=rtol, atol=atol)
                   for a, r in zip(arrays, refs))
    value = tuple(arrays) if several else arrays[0]
    n_bad = sum(int(d.sum()) for d in differ)
    n = sum(d.size for d in differ)
    if not n_bad:
        message = f"This is {name}'s result: all {n} {entries} match {reference_name}."
    else:
        worst = max(((float(np.max(np.where(d, np.abs(a - np.asarray(r, float)), -1))), k)
                     for k, (a, d, r) in enumerate(zip(arrays, differ, refs)) if d.any()))
        k = worst[1]
        a, d, r = arrays[k], differ[k], np.asarray(refs[k], dtype=np.float64)
        err = np.where(d, np.abs(a - r), -1)
        index = np.unravel_index(int(np.argmax(err)), err.shape) if err.ndim else ()
        at = labels[k] + ("[" + ", ".join(str(int(i)) for i in index) + "]" if index else "")
        message = (f"This is {name}'s result: {n_bad} of {n} {entries} differ from "
                   f"{reference_name} (marked yours≠correct); the largest error is "
                   f"{_fmt(abs(a[index] - r[index]))} at {at}: yours {_fmt(a[index])}, "
                   f"correct {_fmt(r[index])}.")
    return Mine(value, differ if several else differ[0], message)


def _kind(value) -> str:
    if isinstance(value, (tuple, list)):
        return f"{len(value)} results"
    return f"a {type(value).__name__}"
