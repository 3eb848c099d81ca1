"""Integrity checks that run inside the student's kernel: monkeypatches and delegation.

``dlcore.grading`` is imported by the first, locked cell of every assignment, before any cell
a student can edit, so the references captured here are the genuine functions.  Every check
then verifies that none of them has been replaced (``np.allclose = lambda *a, **k: True``
would otherwise make every comparison pass), and runs the student's function under a profiler
that notices a call into the reference implementation it is supposed to replace.
"""

from __future__ import annotations

import builtins
import math
import sys

import numpy as np

__all__ = ["IntegrityError", "verify_environment", "calls_into", "GUARDED", "active_forbidden",
           "report_culprit"]


class IntegrityError(AssertionError):
    """The notebook changed something the grader relies on, or delegated to the reference."""


def _guarded() -> dict[str, tuple[object, str, object]]:
    """name -> (owner, attribute, genuine object) for everything a check relies on."""
    items = {}
    for attr in ("allclose", "isclose", "array_equal", "asarray", "array", "abs", "max", "min",
                 "all", "any", "shape", "isfinite", "sum", "mean", "round", "sign", "where"):
        items[f"np.{attr}"] = (np, attr, getattr(np, attr))
    for attr in ("assert_allclose", "assert_array_equal"):
        items[f"np.testing.{attr}"] = (np.testing, attr, getattr(np.testing, attr))
    items["np.ndarray.__eq__"] = (np.ndarray, "__eq__", np.ndarray.__eq__)
    for attr in ("isinstance", "len", "abs", "float", "int", "round", "max", "min", "all", "any",
                 "callable", "getattr", "hasattr", "print", "repr", "sorted", "sum", "zip"):
        items[f"builtins.{attr}"] = (builtins, attr, getattr(builtins, attr))
    items["math.isclose"] = (math, "isclose", math.isclose)
    return items


GUARDED = _guarded()


def verify_environment() -> None:
    """Raise IntegrityError if a function the grader relies on was replaced by the notebook."""
    replaced = [name for name, (owner, attr, genuine) in GUARDED.items()
                if getattr(owner, attr, None) is not genuine]
    if replaced:
        raise IntegrityError(
            f"the notebook replaced {', '.join(replaced)}, which the checks rely on; "
            f"checks cannot be trusted after that, so this test scores 0. Remove the cell "
            f"that reassigns it and restart the kernel.")


def _code_objects(functions) -> dict:
    codes = {}
    for f in functions:
        code = getattr(f, "__code__", None)
        if code is not None:
            codes[code] = f"{f.__module__}.{f.__qualname__}"
    return codes


# Libraries that would do the exercise for the student: their use counts as delegation.
FORBIDDEN_MODULES = ("torch", "scipy", "sklearn", "tensorflow", "jax", "keras")


def calls_into(func, args, kwargs, forbidden, forbidden_modules=FORBIDDEN_MODULES):
    """Call ``func(*args, **kwargs)``; return (result, name of a forbidden callee or None).

    ``forbidden`` lists reference functions (Python functions: matched by code object, so an
    alias or a ``from ... import`` does not hide the call); any call of a built-in whose module
    starts with one of ``forbidden_modules`` also counts.  The profiler is removed afterwards
    even when ``func`` raises.  A function of the notebook that the grader reaches in the
    student's kernel (``grader.remote.RemoteObject``) is called there, under this same check.
    """
    remote = getattr(func, "_dlcore_remote_call", None)
    if remote is not None:  # the grader's handle to a function in the student's kernel
        return remote(args, kwargs, forbidden)
    codes = _code_objects(forbidden)
    hit: list[str] = []
    _ACTIVE.append((tuple(forbidden), hit))

    def profiler(frame, event, arg):
        if hit:
            return
        if event == "call":
            if frame.f_code in codes:
                hit.append(codes[frame.f_code])
                return
            module = frame.f_globals.get("__name__", "") or ""
            if any(module == m or module.startswith(m + ".") for m in forbidden_modules):
                hit.append(f"{module}.{frame.f_code.co_name}")
        elif event == "c_call":
            module = getattr(arg, "__module__", None) or ""
            if any(module == m or module.startswith(m + ".") for m in forbidden_modules):
                hit.append(f"{module}.{getattr(arg, '__name__', '?')}")

    previous = sys.getprofile()
    sys.setprofile(profiler)
    try:
        result = func(*args, **kwargs)
    finally:
        sys.setprofile(previous)
        _ACTIVE.pop()
    return result, (hit[0] if hit else None)


# While calls_into runs a function of the grader's that calls the student's functions in their
# kernel (grader.remote), those calls are checked there against the same forbidden list, and a
# forbidden call found there counts as the outer call's.
_ACTIVE: list[tuple[tuple, list]] = []


def active_forbidden() -> list:
    """The forbidden functions of every calls_into running now, innermost last."""
    return [f for forbidden, _ in _ACTIVE for f in forbidden]


def report_culprit(name: str) -> None:
    """A forbidden function was called by the student's code in their kernel."""
    for _, hit in _ACTIVE:
        if not hit:
            hit.append(name)
