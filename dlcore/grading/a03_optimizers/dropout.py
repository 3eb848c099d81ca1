"""Exercise 7 of A3: inverted dropout, forward and backward.

Names the notebook defines: ``dropout_forward(x, p, training=True, rng=None) -> (out, cache)``
and ``dropout_backward(dout, cache) -> dx``; x, out, dout and dx of any one shape, mask
``rng.random(x.shape) >= p``.  The reference is ``dlcore.layers`` (the same seed gives the
same mask).
"""

from __future__ import annotations

import numpy as np

from ... import layers
from ...nn.layers import Dropout
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
from ._common import ATOL

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


_DROP_FORBIDDEN = [layers.dropout_forward, layers.dropout_backward, Dropout.forward,
                   Dropout.backward]
_KEEP_PROB = ("p is the DROP probability (as torch.nn.Dropout): zero a unit with probability p "
              "and keep it with probability 1 - p; this uses p as the keep probability, as "
              "some texts do (lecture 8, section 5)")
_TEST_TIME = ("scale during training, not at test time (inverted dropout): kept units are "
              "multiplied by 1 / (1 - p) in training, so the expected output equals the input "
              "and evaluation returns x unchanged")


def _drop_run(ns, x, p, training, seed):
    f = lookup(ns, "dropout_forward")
    return call(_drop_apply, "dropout_forward", (f, x.copy(), p, training, seed), {},
                _DROP_FORBIDDEN)


def _drop_apply(f, x, p, training, seed):
    """The student's (out, cache) on x with a fresh generator seeded ``seed``, checked."""
    out = f(x, p=p, training=training, rng=np.random.default_rng(seed))
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise GradingError("dropout_forward must return a pair (out, cache)")
    try:
        arr = np.asarray(out[0], dtype=float)
    except (TypeError, ValueError):
        raise GradingError("dropout_forward must return out as a numeric array") from None
    if arr.shape != x.shape:
        raise GradingError(f"dropout_forward returned out of shape {arr.shape}; it must have "
                           f"the shape of x")
    return arr, out[1]


def _mask_seed(seed: int, hidden: bool) -> int:
    """The random seed for dropout_forward's generator: in a visible case ``seed`` (random
    numbers the notebook can draw too), in a hidden case a random seed from ``case_rng``."""
    return int(case_rng(seed, hidden=True).integers(2**63)) if hidden else seed


def _u(x, seed):
    return np.random.default_rng(seed).random(x.shape)


def _drop_ref(x, p, seed):
    return layers.dropout_forward(x, p=p, training=True, rng=np.random.default_rng(seed))[0]


_DROP_WRONG = [
    (lambda x, p, seed: x * (_u(x, seed) < p) / p, _KEEP_PROB),
    (lambda x, p, seed: x * (_u(x, seed) >= 1 - p) / p, _KEEP_PROB),
    (lambda x, p, seed: x * (_u(x, seed) >= p), _TEST_TIME),
    (lambda x, p, seed: x * (_u(x, seed) >= p) / p,
     "kept units are scaled by 1/p; inverted dropout scales them by 1 / (1 - p), the keep "
     "probability"),
    (lambda x, p, seed: x * (_u(x, seed) < 1 - p) / (1 - p),
     "the statistics are right, but the mask is not the one the exercise asks for: draw "
     "u = rng.random(x.shape) once and keep the units where u >= p, so the same seed gives "
     "the same mask as the reference"),
]


def _drop_statistics(ns, ctx, hidden):
    for p, seed in ([(0.35, 3711), (0.7, 3712)] if hidden else [(0.2, 3710)]):
        out, _ = _drop_run(ns, np.ones((400, 250)), p, True, _mask_seed(seed, hidden))
        dropped, mean = float(np.mean(out == 0)), float(np.mean(out))
        shown = "" if hidden else f" (p = {p})"
        if abs(dropped - p) > 0.01:
            if abs(dropped - (1 - p)) <= 0.01:
                raise GradingError(f"dropout_forward{shown}: {_KEEP_PROB}")
            if dropped == 0:
                raise GradingError(f"dropout_forward{shown}: no unit was dropped in training "
                                   f"mode")
            raise GradingError(f"dropout_forward{shown}: the fraction of zeroed units must be "
                               f"about p")
        if abs(mean - 1.0) > 0.025:
            if abs(mean - (1 - p)) <= 0.025:
                raise GradingError(f"dropout_forward{shown}: the output's Monte-Carlo mean is "
                                   f"(1 - p) times the input: {_TEST_TIME}")
            raise GradingError(f"dropout_forward{shown}: the output's Monte-Carlo mean must "
                               f"equal the input: kept units are scaled by 1 / (1 - p)")


def _drop_cases(hidden: bool):
    rng = case_rng(3721 if hidden else 3720, hidden)
    specs = [((6, 8), 0.5), ((2, 3, 4, 4), 0.1), ((10, 3), 0.8)] if hidden else [((4, 5), 0.3)]
    return [((rng.normal(size=s), p, _mask_seed(3730 + i, hidden)), {})
            for i, (s, p) in enumerate(specs)]


def _drop_train(ns, ctx, hidden):
    cases = _drop_cases(hidden)
    for (x, p, seed), _ in cases:
        first, _ = _drop_run(ns, x, p, True, seed)
        second, _ = _drop_run(ns, x, p, True, seed)
        if not np.array_equal(first, second):
            raise GradingError("dropout_forward gives different outputs for the same seed: draw "
                               "the mask from the rng argument (u = rng.random(x.shape)), not "
                               "from np.random")
    f = lookup(ns, "dropout_forward")
    expect_function(lambda x, p, seed: _drop_apply(f, x, p, True, seed)[0], "dropout_forward",
                    _drop_ref, cases, _DROP_WRONG, forbidden=_DROP_FORBIDDEN,
                    describe=None if hidden else
                    (lambda a, k: f"the visible x of shape {a[0].shape}, p={a[1]}"))


def _drop_eval(ns, ctx, hidden):
    rng = case_rng(3741 if hidden else 3740, hidden)
    specs = [((5, 3), 0.5, False), ((2, 3, 4), 0.25, False), ((4, 4), 0.0, True)] if hidden \
        else [((3, 4), 0.4, False)]
    for i, (shape, p, training) in enumerate(specs):
        x = rng.normal(size=shape)
        out, _ = _drop_run(ns, x, p, training, _mask_seed(3750 + i, hidden))
        record_secret(x)
        if np.array_equal(out, x):
            continue
        mode = "in eval mode (training=False)" if not training else "with p = 0"
        if p > 0 and close(out, (1 - p) * x, atol=ATOL):
            raise GradingError(f"dropout_forward {mode}: {_TEST_TIME}")
        if p > 0 and close(out, x / (1 - p), atol=ATOL):
            raise GradingError(f"dropout_forward {mode}: the 1 / (1 - p) scaling belongs to "
                               f"training only; evaluation returns x unchanged")
        if np.any((out == 0) & (x != 0)):
            raise GradingError(f"dropout_forward {mode} zeroes units; it must return x "
                               f"unchanged")
        raise GradingError(f"dropout_forward {mode} must return x unchanged (the identity)")


def _drop_gradients(ns, ctx, hidden):
    g = lookup(ns, "dropout_backward")
    rng = case_rng(3761 if hidden else 3760, hidden)
    specs = [((6, 8), 0.5, True), ((2, 3, 4), 0.2, True), ((3, 5), 0.6, False)] if hidden \
        else [((4, 5), 0.3, True)]
    for i, (shape, p, training) in enumerate(specs):
        x, dout = rng.normal(size=shape), rng.normal(size=shape)
        seed = _mask_seed(3770 + i, hidden)
        out, cache = _drop_run(ns, x, p, training, seed)
        ref_out, ref_cache = layers.dropout_forward(x, p=p, training=training,
                                                    rng=np.random.default_rng(seed))
        want = layers.dropout_backward(dout, ref_cache)
        record_secret(want)
        if not close(out, ref_out, atol=ATOL):
            raise GradingError("dropout_backward is checked with the cache of your "
                               "dropout_forward, whose output is not right yet: fix "
                               "dropout_forward first")
        dx = call(g, "dropout_backward", (dout.copy(), cache), {}, _DROP_FORBIDDEN)
        if close(dx, want, atol=ATOL):
            continue
        where = " on a hidden case" if hidden else ""
        keep = _u(x, seed) >= p
        if training and close(dx, dout * keep, atol=ATOL):
            raise GradingError(f"dropout_backward{where}: dx needs the forward's scale too: "
                               f"dx = dout * mask / (1 - p)")
        if training and close(dx, dout, atol=ATOL):
            raise GradingError(f"dropout_backward{where}: dropped units get no gradient: "
                               f"dx = dout * mask / (1 - p), with the forward's mask")
        if not training:
            raise GradingError(f"dropout_backward{where}: in eval mode dropout is the identity, "
                               f"so dx = dout")
        raise GradingError(f"dropout_backward{where}: dx does not equal dout * mask / (1 - p)")


EXERCISES["dropout"] = Exercise(
    "Inverted dropout", {"statistics": _drop_statistics, "train": _drop_train,
                         "eval": _drop_eval, "gradients": _drop_gradients})
