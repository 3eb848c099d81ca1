"""Exercise 8 of A5: a model that predicts the next value of a sine wave.

The notebook defines ``model``: it predicts the next value of a sine wave from the previous
``SINE_T`` values, x (N, SINE_T, 1) -> (N, 1); evaluated on held-out
``dlcore.data.sine_sequences``.
"""

from __future__ import annotations

import numpy as np

from ...data import sine_sequences
from ...nn import Module, predict
from .._core import Exercise, GradingError, call, case_rng, lookup, record_secret

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


SINE_T = 20
BASELINE_MSE, TARGET_MSE = 0.1, 0.01


def _sine_mse(ns, hidden: bool) -> list[float]:
    model = lookup(ns, "model", "value")
    sets = [(1000, 5801), (1000, 5802)] if hidden else [(300, 5800)]
    out = []
    for n, seed in sets:
        s = sine_sequences(n, length=SINE_T + 1, seed=case_rng(seed, hidden))
        X, y = s[:, :SINE_T], s[:, SINE_T]
        if isinstance(model, Module) or getattr(model, "_dlcore_is_module", False):
            try:  # a model in the student's kernel (the grader's handle) predicts there
                pred = predict(model, X, labels=False) if isinstance(model, Module) else \
                    model._dlcore_predict(X, labels=False)
            except Exception as exc:  # the student's model failed: say so, not our inputs
                raise GradingError(f"model cannot predict from sequences x of shape (N, "
                                   f"{SINE_T}, 1): {type(exc).__name__}: {exc}") from None
        elif callable(model):
            pred = call(model, "model", (X.copy(),))
        else:
            raise GradingError("model must be a dlcore.nn.Module (such as a Sequential of "
                               "dl.nn.RNN, dl.nn.LastStep and dl.nn.Linear) or a function "
                               "x (N, T, 1) -> predictions (N, 1)")
        try:
            pred = np.asarray(pred, dtype=float)
        except (TypeError, ValueError):
            raise GradingError("model must return numbers, one prediction per sequence") \
                from None
        if pred.size != n:
            got = "" if hidden else f"; got shape {pred.shape} for N = {n}"
            raise GradingError(f"model must return one prediction per sequence, shape "
                               f"(N, 1){got}")
        if not np.all(np.isfinite(pred)):
            raise GradingError("model returns NaN or inf: training diverged (a smaller "
                               "learning rate, or clipping, helps)")
        out.append(float(np.mean((pred.reshape(n, 1) - y) ** 2)))
    return out


def _sine_part(threshold: float):
    def part(ns, ctx, hidden):
        mses = _sine_mse(ns, hidden)
        worst = max(mses)
        if worst < threshold:
            return
        record_secret(mses)
        shown = "" if hidden else f" ({worst:.4f})"
        what = "hidden held-out" if hidden else "held-out"
        if worst > 0.4:
            hint = ("about what predicting 0 for everything gives: check that training ran "
                    "and that the loss went down")
        elif worst > BASELINE_MSE:
            hint = ("no better than copying the last value (mean squared error about 0.3): "
                    "train longer, or with Adam and a larger learning rate")
        else:
            hint = "train longer, or with a larger hidden size or Adam"
        raise GradingError(f"mean squared error on {what} sine waves{shown} is not below "
                           f"{threshold}: {hint}")
    return part


EXERCISES["sine_model"] = Exercise(
    "Predict a sine wave", {"baseline": _sine_part(BASELINE_MSE),
                            "target": _sine_part(TARGET_MSE)})
