"""Input validation shared by every public function.

Bad input must fail with a message that names what was expected (shape, dtype, range) instead
of a numpy broadcasting trace or a silently wrong answer.  Every public function converts and
checks its array arguments through these helpers.

Shape specs are strings of dimension symbols, e.g. ``"N D"`` or ``"M D"``; a symbol seen in an
earlier array is bound to that size, so ``check_shapes(x=(x, "N D"), w=(w, "M D"))`` requires
the second axis of ``w`` to equal the second axis of ``x``.  A literal integer in a spec
(``"N 1"``) requires exactly that size, and ``"*"`` accepts any size.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "as_array",
    "check_shapes",
    "check_finite",
    "check_labels",
    "check_positive",
    "check_probability",
    "check_int",
    "check_real",
    "check_flag",
    "check_choice",
    "shape_str",
    "check_dout",
]


def shape_str(shape) -> str:
    """``(3, 4)`` -> ``"(3, 4)"``, ``(3,)`` -> ``"(3,)"``."""
    return str(tuple(int(s) for s in shape))


def as_array(x, name: str, *, ndim=None, dtype=None, finite: bool = True,
             spec: str | None = None) -> np.ndarray:
    """Convert ``x`` to a floating ndarray and check it.

    Integers and booleans become float64; float32 and float64 keep their dtype (``dtype=``
    forces one).  ``ndim`` may be an int or a tuple of allowed ints; ``spec`` is only used in
    the error message (e.g. ``"(N, D)"``).  Non-numeric input raises TypeError; wrong ndim or
    non-finite values raise ValueError naming the argument and what was expected.
    """
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be an array of numbers; got {type(x).__name__}")
    try:
        arr = np.asarray(x)
    except ValueError:  # numpy refuses ragged nested lists
        raise TypeError(f"{name} must be an array of numbers with every row of the same "
                        f"length; got a ragged {type(x).__name__}") from None
    except Exception as exc:  # exotic objects
        raise TypeError(f"{name} must be an array of numbers; could not convert "
                        f"{type(x).__name__}: {exc}") from None
    if arr.dtype == object:
        raise TypeError(f"{name} must be an array of numbers (a ragged list or objects "
                        f"were given; every row must have the same length)")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real-valued; got dtype {arr.dtype}")
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must be an array of numbers; got dtype {arr.dtype}")
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    elif not np.issubdtype(arr.dtype, np.floating) or arr.dtype == np.float16:
        arr = arr.astype(np.float64)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            what = f" of shape {spec}" if spec else ""
            raise ValueError(f"{name} must be a {want} array{what}; got {arr.ndim}-D array "
                             f"of shape {shape_str(arr.shape)}")
    if finite:
        check_finite(arr, name)
    return arr


def check_finite(arr: np.ndarray, name: str) -> None:
    """Raise ValueError if ``arr`` holds NaN or infinity."""
    if arr.size and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} non-finite value(s) (NaN or inf); "
                         f"all entries must be finite")


def check_shapes(_where: str | None = None, **specs) -> dict[str, int]:
    """Check several arrays against symbolic shape specs; return the bound sizes.

    ``check_shapes("linear_forward", x=(x, "N D"), w=(w, "M D"), b=(b, "M"))``.  Arrays that
    are None are skipped (optional arguments).  The error message names the function, the
    argument, the expected symbolic shape with the sizes already known, and the actual shape.
    """
    prefix = f"{_where}: " if _where else ""
    bound: dict[str, int] = {}
    origin: dict[str, str] = {}
    for name, (arr, spec) in specs.items():
        if arr is None:
            continue
        symbols = spec.split()
        shape = np.shape(arr)
        pretty = "(" + ", ".join(symbols) + ("," if len(symbols) == 1 else "") + ")"
        if len(shape) != len(symbols):
            raise ValueError(f"{prefix}{name} must be {len(symbols)}-D with shape {pretty}; "
                             f"got shape {shape_str(shape)}")
        known = {s: bound[s] for s in symbols if s in bound}
        for axis, (sym, size) in enumerate(zip(symbols, shape)):
            if sym == "*":
                continue
            if sym.isdigit():
                if size != int(sym):
                    raise ValueError(f"{prefix}{name} must have shape {pretty}; axis {axis} "
                                     f"must be {sym}, got shape {shape_str(shape)}")
                continue
            if sym in known and known[sym] != size:
                detail = ", ".join(f"{s}={v} (from {origin[s]})" for s, v in known.items())
                raise ValueError(f"{prefix}{name} must have shape {pretty} with {detail}; "
                                 f"got shape {shape_str(shape)}")
            if sym in bound and bound[sym] != size:  # repeated symbol within this array
                raise ValueError(f"{prefix}{name} must have shape {pretty} (axes named {sym} "
                                 f"equal); got shape {shape_str(shape)}")
            if sym not in bound:
                bound[sym] = int(size)
                origin[sym] = name
    return bound


def check_labels(labels, n_classes: int | None, name: str = "labels", *,
                 n: int | None = None) -> np.ndarray:
    """Integer class labels in ``[0, n_classes)``, shape (N,), returned as int64."""
    arr = np.asarray(labels)
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer)
                                 or np.issubdtype(arr.dtype, np.floating)):
        raise TypeError(f"{name} must be integer class indices; got dtype {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of shape (N,); got shape "
                         f"{shape_str(arr.shape)}")
    if np.issubdtype(arr.dtype, np.floating):
        if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
            raise TypeError(f"{name} must be integer class indices; got non-integer values")
    arr = arr.astype(np.int64)
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} must have shape (N,) with N={n} to match the scores; got "
                         f"shape {shape_str(arr.shape)}")
    if n_classes is not None and arr.size and (arr.min() < 0 or arr.max() >= n_classes):
        raise ValueError(f"{name} must lie in [0, {n_classes - 1}] (C={n_classes} classes); "
                         f"got values from {arr.min()} to {arr.max()}")
    return arr


def check_int(value, name: str, *, minimum: int | None = None) -> int:
    """A Python or numpy integer (not bool), optionally ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}")
    return value


def check_real(value, name: str) -> float:
    """A finite real number (Python or numpy; not a bool), returned as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite real number; got {value}")
    return value


def check_flag(value, name: str) -> bool:
    """True or False (a Python or numpy bool), returned as a Python bool."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def check_positive(value, name: str, *, allow_zero: bool = False) -> float:
    """A finite real number > 0 (or >= 0 with ``allow_zero``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r}")
    value = float(value)
    ok = value >= 0 if allow_zero else value > 0
    if not np.isfinite(value) or not ok:
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}; got {value}")
    return value


def check_probability(value, name: str, *, include_one: bool = False) -> float:
    """A real number in [0, 1) (or [0, 1] with ``include_one``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r}")
    value = float(value)
    hi_ok = value <= 1 if include_one else value < 1
    if not (value >= 0 and hi_ok):
        rng = "[0, 1]" if include_one else "[0, 1)"
        raise ValueError(f"{name} must lie in {rng}; got {value}")
    return value


def check_choice(value, name: str, choices) -> str:
    """One of a fixed set of strings."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(repr(c) for c in choices)}; "
                         f"got {value!r}")
    return value


def check_dout(dout, shape, where: str) -> np.ndarray:
    """The upstream gradient of a backward pass: an array of the forward output's shape."""
    dout = as_array(dout, "dout")
    if dout.shape != tuple(shape):
        raise ValueError(f"{where}: dout must have the shape of the forward output "
                         f"{shape_str(shape)}; got {shape_str(dout.shape)}")
    return dout
