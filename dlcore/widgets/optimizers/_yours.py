"""The learner's Adam step in ``optimizer_race(mine=...)``: its path and how it differs.

``mine(w, grad, m, v, t, lr=, beta1=, beta2=) -> (w, m, v)`` has the signature of exercise
09.8 (``my_adam_step``).  ``adam_path`` runs it from the race's start for the race's steps,
with the η, β₁ and β₂ of the Adam controls; ``compare_paths`` sets the path against dlcore's
Adam path (``dlcore.optim.trajectory("adam")``) point by point.  Shapes: a path is (S + 1, 2).
"""

from __future__ import annotations

import copy

import numpy as np

from ...optim import adam_update
from .._mine import mine_name, run_mine

REFERENCE = "dlcore's Adam"


def _fmt(x: float) -> str:
    x = float(x)
    return f"{x:.4g}" if np.isfinite(x) and x != 0 else ("0" if x == 0 else str(x))


def _point(p) -> str:
    return f"({_fmt(p[0])}, {_fmt(p[1])})"


def adam_path(mine, grad_fn, start, steps: int, lr: float, betas: tuple):
    """``(path, rows, message)``: the learner's path, how many of its rows were computed (the
    rest are NaN: after an error, or after the path overflowed), and what went wrong (None
    when nothing did).  A first step that cannot be used gives ``(None, 0, message)``."""
    name = mine_name(mine)
    beta1, beta2 = betas
    hyper = {"lr": lr, "beta1": beta1, "beta2": beta2}
    w = np.array(start, dtype=np.float64)
    fallback = "the race shows dlcore's Adam only"
    with np.errstate(all="ignore"):
        g = np.asarray(grad_fn(w.copy()), dtype=np.float64)
        theta1, state = adam_update(w, g, {}, lr=lr, betas=betas)
    first = run_mine(mine, (w, g, np.zeros(2), np.zeros(2), 1), hyper,
                     reference=(theta1, state["exp_avg"], state["exp_avg_sq"]),
                     reference_name=f"{REFERENCE}'s first step",
                     where=f"first step, t = 1, from w = {_point(w)} with grad = {_point(g)}",
                     fallback=fallback, entries="numbers", outputs=("w", "m", "v"))
    if not first.used:
        return None, 0, first.message
    path = np.full((steps + 1, 2), np.nan)
    path[0] = w
    m, v = np.zeros(2), np.zeros(2)
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            if t > 1:
                g = np.asarray(grad_fn(w.copy()), dtype=np.float64)
            args = (w, g, m, v, t)
            try:
                got = mine(*copy.deepcopy(args), **hyper)
            except Exception as exc:  # the learner's code: shown in the widget, never raised
                return path, t, (f"{name} raised {type(exc).__name__}: {exc} at step t = {t} "
                              f"(w = {_point(w)}, grad = {_point(g)}); your path stops there")
            problem = _problem(got)
            if problem is not None:
                return path, t, f"{name} {problem} at step t = {t}; your path stops there"
            w, m, v = (np.asarray(a, dtype=np.float64).copy() for a in got)
            path[t] = w
            if not np.all(np.isfinite(w)):
                return path, t + 1, None
    return path, steps + 1, None


def _problem(got) -> str | None:
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        kind = f"{len(got)} results" if isinstance(got, (tuple, list)) else \
            f"a {type(got).__name__}"
        return f"returned {kind} instead of (w, m, v)"
    for label, part in zip(("w", "m", "v"), got):
        if part is None:
            return f"returned None as {label}"
        try:
            arr = np.asarray(part, dtype=np.float64)
        except (TypeError, ValueError):
            return f"returned a {type(part).__name__} as {label}"
        if arr.shape != (2,):
            return f"returned shape {arr.shape} for {label} (the point has shape (2,))"
    return None


def compare_paths(mine_path: np.ndarray, rows: int, reference: np.ndarray, name: str):
    """``(differ, message)``: True for each step whose point is not dlcore's, and a sentence.

    Only the ``rows`` points the learner's path reached are compared; a point that overflowed
    in both paths counts as equal.
    """
    differ = np.zeros(len(mine_path), dtype=bool)
    with np.errstate(all="ignore"):
        differ[:rows] = ~np.all(np.isclose(mine_path[:rows], reference[:rows], rtol=1e-6,
                                           atol=1e-9, equal_nan=True), axis=1)
        dist = np.linalg.norm(mine_path - reference, axis=1)
    if not differ.any():
        return differ, f"This is {name}'s path (dotted): all {rows} points match {REFERENCE}."
    dist = np.where(differ, np.where(np.isfinite(dist), dist, np.inf), -1.0)
    worst = int(np.argmax(dist))
    first = int(np.argmax(differ))
    return differ, (f"This is {name}'s path (dotted): {int(differ.sum())} of {rows} points "
                    f"differ from {REFERENCE} (marked ×), the first at step {first}; the "
                    f"largest distance is {_fmt(dist[worst])} at step {worst}: yours "
                    f"{_point(mine_path[worst])}, correct {_point(reference[worst])}.")
