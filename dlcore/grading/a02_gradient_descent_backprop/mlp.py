"""Exercise 7 of A2: a classifier trained on moons, evaluated on held-out moons.

The notebook defines ``model``: a ``dlcore.nn.Module`` or a function X (N, 2) -> labels (N,)
or scores (N, C), trained on ``dlcore.data.moons``.
"""

from __future__ import annotations

import numpy as np

from ...data import moons
from ...nn import Module, predict
from .._core import Exercise, GradingError, call, case_rng, lookup

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


MOONS_NOISE = 0.2
NONLINEAR_ACCURACY, TARGET_ACCURACY = 0.90, 0.95


def _moons_accuracy(ns, hidden: bool) -> list[float]:
    model = lookup(ns, "model", "value")
    sets = [(2000, 9101), (2000, 9102)] if hidden else [(500, 9100)]
    accs = []
    for n, seed in sets:
        X, y = moons(n, noise=MOONS_NOISE, seed=case_rng(seed, hidden))
        if isinstance(model, Module) or getattr(model, "_dlcore_is_module", False):
            try:  # a model in the student's kernel (the grader's handle) predicts there
                labels = predict(model, X) if isinstance(model, Module) else \
                    model._dlcore_predict(X)
            except Exception as exc:  # the student's model failed: say so, not our inputs
                raise GradingError(f"model cannot classify moons points X (N, 2): {exc}") \
                    from None
        elif callable(model):
            out = np.asarray(call(model, "model", (X.copy(),)), dtype=float)
            labels = out.argmax(axis=1) if out.ndim == 2 and out.shape[1] > 1 else \
                (out.reshape(-1) > 0.5 if out.ndim == 1 else out.reshape(-1) > 0)
        else:
            raise GradingError("model must be a dlcore.nn.Module (such as dl.nn.MLP) or a "
                               "function X -> predicted labels")
        labels = np.asarray(labels).reshape(-1)
        if labels.shape != y.shape:
            raise GradingError("model must give one prediction per point of X (N, 2)")
        accs.append(float(np.mean(labels == y)))
    return accs


def _moons_part(threshold: float):
    def part(ns, ctx, hidden):
        accs = _moons_accuracy(ns, hidden)
        if min(accs) >= threshold:
            return
        shown = "" if hidden else f" ({accs[0]:.3f})"
        what = "held-out" if not hidden else "hidden held-out"
        if max(accs) < 0.6:
            hint = ("it predicts about one class for everything: check that training ran, "
                    "that the loss went down, and the learning rate")
        elif max(accs) < NONLINEAR_ACCURACY:
            hint = ("that is about what a straight boundary achieves (~87%): the network "
                    "needs a hidden layer with a nonlinear activation, trained long enough")
        else:
            hint = "train longer, or with a wider hidden layer or a better learning rate"
        raise GradingError(f"accuracy on {what} moons{shown} is below {threshold:.2f}: {hint}")
    return part


EXERCISES["moons"] = Exercise(
    "Train an MLP on moons", {"nonlinear": _moons_part(NONLINEAR_ACCURACY),
                              "target": _moons_part(TARGET_ACCURACY)})
