"""Exercise 6 of A2: a numerically stable softmax cross-entropy with its gradient.

Names the notebook defines (shapes: N batch, C classes):
``softmax_cross_entropy(logits, labels) -> (loss, dlogits)``, logits (N, C), labels (N,),
the loss a mean over the batch.  The reference is ``dlcore.losses``.
"""

from __future__ import annotations

import numpy as np

from ... import activations, losses
from .._core import (
    Exercise,
    GradingError,
    call,
    case_rng,
    close,
    expect_function,
    lookup,
    record_secret,
)
from .neuron import _GRADIENT_TOOLS, ATOL

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


_CE_FORBIDDEN = [losses.softmax_cross_entropy, losses.softmax_cross_entropy_forward,
                 losses.softmax_cross_entropy_backward, activations.softmax,
                 activations.softmax_forward, activations.log_softmax,
                 activations.log_softmax_forward] + _GRADIENT_TOOLS


def _ce_ref(logits, labels):
    loss, cache = losses.softmax_cross_entropy_forward(logits, labels)
    return loss, losses.softmax_cross_entropy_backward(1.0, cache)


def _ce_part(f, i: int | None):
    """The student's function, reduced to its loss (i = 0), dlogits (1) or both (None)."""
    def run(logits, labels):
        with np.errstate(all="ignore"):
            out = f(logits, labels)
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise GradingError("softmax_cross_entropy must return a pair (loss, dlogits)")
        return out if i is None else out[i]
    return run


def _ce_cases(hidden: bool):
    if not hidden:
        return [((np.array([[1.0, -0.5, 2.0], [0.2, 0.3, -1.0], [3.0, 0.0, 0.5],
                            [-1.0, 1.5, 0.0]]), np.array([2, 0, 0, 1])), {})]
    rng = case_rng(1207, hidden=True)
    return [((rng.normal(scale=2, size=(n, c)), rng.integers(0, c, size=n)), {})
            for n, c in ((6, 4), (1, 3), (10, 2), (5, 7))]


def _p_minus_onehot(logits, labels):
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1
    return p


_CE_LOSS_WRONG = [
    (lambda z, y: _ce_ref(z, y)[0] * len(y), "this is the SUM over the batch; average over "
                                             "the N rows, as torch.nn.CrossEntropyLoss"),
    (lambda z, y: -_ce_ref(z, y)[0], "the sign is flipped: the loss is -log p(true class)"),
]
_CE_GRAD_WRONG = [
    (_p_minus_onehot, "dlogits is N times too large: the loss is a mean over the N rows, so "
                      "divide by N"),
    (lambda z, y: -_p_minus_onehot(z, y) / len(y), "the sign is flipped: dlogits = (softmax - "
                                                   "one_hot) / N"),
    (lambda z, y: (_p_minus_onehot(z, y) + np.eye(z.shape[1])[y]) / len(y),
     "the one-hot target is missing: dlogits = (softmax - one_hot(labels)) / N"),
]


def _ce_values(ns, ctx, hidden):
    f = lookup(ns, "softmax_cross_entropy")
    expect_function(_ce_part(f, 0), "softmax_cross_entropy", lambda z, y: _ce_ref(z, y)[0],
                    _ce_cases(hidden), _CE_LOSS_WRONG, forbidden=_CE_FORBIDDEN,
                    describe=None if hidden else (lambda a, k: "the visible logits (loss)"))


def _ce_gradients(ns, ctx, hidden):
    f = lookup(ns, "softmax_cross_entropy")
    expect_function(_ce_part(f, 1), "softmax_cross_entropy", lambda z, y: _ce_ref(z, y)[1],
                    _ce_cases(hidden), _CE_GRAD_WRONG, forbidden=_CE_FORBIDDEN,
                    describe=None if hidden else (lambda a, k: "the visible logits (dlogits)"))


def _ce_stable(ns, ctx, hidden):
    run = _ce_part(lookup(ns, "softmax_cross_entropy"), None)
    rng = case_rng(1208 if hidden else 1209, hidden)
    near = 1000.0 + rng.normal(scale=3.0, size=(4, 3))
    # each true class (labels 1, 0, 2) some 800 below the two largest logits: p underflows to 0
    far = np.array([[800.0, 0.0, 798.0], [0.0, 799.0, 800.0], [801.0, 800.0, 0.0]]) \
        + rng.normal(size=(3, 3))
    checks = [(near, rng.integers(0, 3, size=4),
               "logits near 1000 overflow exp (exp(710) is inf in float64): subtract each "
               "row's maximum before exponentiating; softmax does not change"),
              (far, np.array([1, 0, 2]),
               "a true class hundreds below the largest logit has a probability that "
               "underflows to 0, and log(0) = -inf: compute log softmax directly as "
               "(z - max z) - log sum exp(z - max z), never log(softmax(z))")]
    for logits, labels, hint in checks:
        loss, dlogits = call(run, "softmax_cross_entropy", (logits.copy(), labels.copy()),
                             forbidden=_CE_FORBIDDEN)
        want_loss, want_grad = _ce_ref(logits, labels)
        record_secret((want_loss, want_grad))
        try:
            finite = bool(np.all(np.isfinite(np.asarray(loss, dtype=float)))
                          and np.all(np.isfinite(np.asarray(dlogits, dtype=float))))
        except (TypeError, ValueError):
            raise GradingError("softmax_cross_entropy must return numbers") from None
        if not finite:
            raise GradingError(f"softmax_cross_entropy returned nan or inf: {hint}")
        if not (close(loss, want_loss, atol=ATOL) and close(dlogits, want_grad, atol=ATOL)):
            raise GradingError("softmax_cross_entropy is finite but wrong on large logits: "
                               "shifting each row by its maximum must not change the result")


EXERCISES["softmax_ce"] = Exercise(
    "Stable softmax cross-entropy", {"values": _ce_values, "gradients": _ce_gradients,
                                     "stable": _ce_stable})
