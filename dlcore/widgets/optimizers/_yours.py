"""The learner's optimizer step in a widget (``mine=``): its path and how it differs.

- ``optimizer_race(mine=...)``: ``mine(w, grad, m, v, t, lr=, beta1=, beta2=) -> (w, m, v)``,
  the signature of exercise 09.8 (``my_adam_step``); ``adam_path`` runs it from the race's
  start with the η, β₁ and β₂ of the Adam controls.
- ``momentum_explorer(mine=...)``: ``mine(w, delta, grad, lr, momentum) -> (w, delta)``, the
  slides' momentum step of exercise 09.6 (``my_momentum_step``); ``momentum_path`` runs it.

The first step goes through ``widgets._mine.run_mine`` (not written yet, an error, None, the
wrong number of results or shapes: the message the widget shows); the rest of the path is
run step by step, and an error there stops the path at that step.  ``compare_paths`` sets a
path against dlcore's (``dlcore.optim.trajectory``) point by point.  Shapes: a path is
(S + 1, 2).
"""

from __future__ import annotations

import copy

import numpy as np

from ...optim import adam_update, sgd_update
from .._mine import mine_name, run_mine
from ._common import finite_rows

REFERENCE = "dlcore's Adam"
MOMENTUM_REFERENCE = "dlcore's momentum"


def _fmt(x: float) -> str:
    x = float(x)
    return f"{x:.4g}" if np.isfinite(x) and x != 0 else ("0" if x == 0 else str(x))


def _point(p) -> str:
    return f"({_fmt(p[0])}, {_fmt(p[1])})"


def adam_path(mine, grad_fn, start, steps: int, lr: float, betas: tuple):
    """``(path, rows, message)``: the learner's path, how many of its rows were computed (the
    rest are NaN: after an error, or after the path overflowed), and what went wrong (None
    when nothing did).  A first step that cannot be used gives ``(None, 0, message)``."""
    beta1, beta2 = betas
    hyper = {"lr": lr, "beta1": beta1, "beta2": beta2}
    w = np.array(start, dtype=np.float64)
    with np.errstate(all="ignore"):
        g = np.asarray(grad_fn(w.copy()), dtype=np.float64)
        theta1, state = adam_update(w, g, {}, lr=lr, betas=betas)
    first = run_mine(mine, (w, g, np.zeros(2), np.zeros(2), 1), hyper,
                     reference=(theta1, state["exp_avg"], state["exp_avg_sq"]),
                     reference_name=f"{REFERENCE}'s first step",
                     where=f"first step, t = 1, from w = {_point(w)} with grad = {_point(g)}",
                     fallback="the race shows dlcore's Adam only", entries="numbers",
                     outputs=("w", "m", "v"))
    if not first.used:
        return None, 0, first.message
    return _run(mine, grad_fn, w, steps, (np.zeros(2), np.zeros(2)), ("w", "m", "v"),
                lambda w, g, state, t: ((w, g, *state, t), hyper))


def momentum_path(mine, grad_fn, start, steps: int, lr: float, momentum: float):
    """``(path, rows, message)`` of the learner's momentum step, as ``adam_path``."""
    w = np.array(start, dtype=np.float64)
    with np.errstate(all="ignore"):
        g = np.asarray(grad_fn(w.copy()), dtype=np.float64)
        w1, _ = sgd_update(w, g, lr=lr, momentum=momentum)
    first = run_mine(mine, (w, np.zeros(2), g, lr, momentum), reference=(w1, w - w1),
                     reference_name=f"{MOMENTUM_REFERENCE}'s first step",
                     where=f"first step from w = {_point(w)} with delta = (0, 0) and grad = "
                           f"{_point(g)}",
                     fallback="the path shown is dlcore's", entries="numbers",
                     outputs=("w", "delta"))
    if not first.used:
        return None, 0, first.message
    return _run(mine, grad_fn, w, steps, (np.zeros(2),), ("w", "delta"),
                lambda w, g, state, t: ((w, state[0], g, lr, momentum), {}))


def _run(mine, grad_fn, w, steps: int, state: tuple, labels: tuple, call):
    """Run ``mine`` for ``steps`` steps from ``w``: ``call(w, grad, state, t)`` gives its
    ``(args, kwargs)``, and it returns ``(w, *state)``, named by ``labels``."""
    name = mine_name(mine)
    path = np.full((steps + 1, 2), np.nan)
    path[0] = w
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            g = np.asarray(grad_fn(w.copy()), dtype=np.float64)
            args, kwargs = call(w, g, state, t)
            try:
                got = mine(*copy.deepcopy(args), **kwargs)
            except Exception as exc:  # the learner's code: shown in the widget, never raised
                return path, t, (f"{name} raised {type(exc).__name__}: {exc} at step t = {t} "
                                 f"(w = {_point(w)}, grad = {_point(g)}); your path stops "
                                 f"there")
            problem = _problem(got, labels)
            if problem is not None:
                return path, t, f"{name} {problem} at step t = {t}; your path stops there"
            w, *state = (np.asarray(a, dtype=np.float64).copy() for a in got)
            path[t] = w
            if not np.all(np.isfinite(w)):
                return path, t + 1, None
    return path, steps + 1, None


def _problem(got, labels: tuple) -> str | None:
    if not isinstance(got, (tuple, list)) or len(got) != len(labels):
        kind = f"{len(got)} results" if isinstance(got, (tuple, list)) else \
            f"a {type(got).__name__}"
        return f"returned {kind} instead of ({', '.join(labels)})"
    for label, part in zip(labels, got):
        if part is None:
            return f"returned None as {label}"
        try:
            arr = np.asarray(part, dtype=np.float64)
        except (TypeError, ValueError):
            return f"returned a {type(part).__name__} as {label}"
        if arr.shape != (2,):
            return f"returned shape {arr.shape} for {label} (the point has shape (2,))"
    return None


def compare_paths(mine_path: np.ndarray, rows: int, reference: np.ndarray, name: str,
                  reference_name: str = REFERENCE):
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
        return differ, (f"This is {name}'s path (dotted): all {rows} points match "
                        f"{reference_name}.")
    dist = np.where(differ, np.where(np.isfinite(dist), dist, np.inf), -1.0)
    worst = int(np.argmax(dist))
    first = int(np.argmax(differ))
    return differ, (f"This is {name}'s path (dotted): {int(differ.sum())} of {rows} points "
                    f"differ from {reference_name} (marked ×), the first at step {first}; the "
                    f"largest distance is {_fmt(dist[worst])} at step {worst}: yours "
                    f"{_point(mine_path[worst])}, correct {_point(reference[worst])}.")


def show_path(line, marks, curve, path: np.ndarray, differ: np.ndarray, loss: np.ndarray,
              upto: int, positive_loss: bool = True) -> None:
    """Draw the first ``upto`` points of the learner's path: the dotted line up to its first
    overflow, a mark on each finite point that differs from dlcore's, and its loss curve
    (values <= 0 hidden when ``positive_loss``, for a log axis)."""
    part = path[:upto]
    n_ok = finite_rows(part)
    line.set_data(part[:n_ok, 0], part[:n_ok, 1])
    bad = part[differ[:upto] & np.all(np.isfinite(part), axis=1)]
    marks.set_data(bad[:, 0], bad[:, 1])
    values = loss[:upto]
    curve.set_data(np.arange(values.size),
                   np.where(values > 0, values, np.nan) if positive_loss else values)
