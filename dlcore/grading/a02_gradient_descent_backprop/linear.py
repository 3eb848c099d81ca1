"""Exercise 5 of A2: a linear layer, forward and backward, in PyTorch's weight layout.

Names the notebook defines (shapes: N batch, D in-features, M out-features):
``linear_forward(x, w, b) -> (out, cache)``, x (N, D), w (M, D), b (M,), out (N, M), and
``linear_backward(dout, cache) -> (dx, dw, db)``.  The reference is ``dlcore.layers``.
"""

from __future__ import annotations

import numpy as np

from ... import layers
from ...nn.layers import Linear
from .._core import Exercise, GradingError, call, case_rng, close, lookup, record_secret
from .neuron import _GRADIENT_TOOLS, ATOL

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


_LIN_FORBIDDEN = [layers.linear_forward, layers.linear_backward, Linear.forward,
                  Linear.backward] + _GRADIENT_TOOLS
_SWAP = ("w and w.T are swapped: x @ w is the row-vector form x U of some texts, with U of "
         "shape (D, M); in PyTorch's layout w is (M, D) and out = x @ w.T + b")


def _lin_cases(hidden: bool):
    """(x, w, b, dout) cases; hidden ones include M == D and N == M."""
    rng = case_rng(1206 if hidden else 1200, hidden)
    sizes = [(4, 3, 2)] if not hidden else [(5, 3, 2), (3, 3, 3), (2, 4, 2), (1, 2, 1)]
    return [(rng.normal(size=(n, d)), rng.normal(size=(m, d)), rng.normal(size=m),
             rng.normal(size=(n, m))) for n, d, m in sizes]


def _lin_forward(ns, x, w, b):
    f = lookup(ns, "linear_forward")
    out = call(f, "linear_forward", (x.copy(), w.copy(), b.copy()), forbidden=_LIN_FORBIDDEN)
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise GradingError("linear_forward must return a pair (out, cache)")
    return out


def _forward_or_swap_hint(ns, x, w, b):
    try:
        return _lin_forward(ns, x, w, b)
    except GradingError as err:
        if "raised" not in str(err):
            raise
        try:  # does it work with the (D, M) layout of the row-vector form x U?
            out = _lin_forward(ns, x, w.T.copy(), b)[0]
        except GradingError:
            raise err from None
        if close(out, x @ w.T + b, atol=ATOL):
            raise GradingError(f"linear_forward: {_SWAP}") from None
        raise


def _lin_shape(ns, ctx, hidden):
    for x, w, b, _ in _lin_cases(hidden):
        out = np.asarray(_forward_or_swap_hint(ns, x, w, b)[0])
        n, m = x.shape[0], w.shape[0]
        if out.shape == (n, m):
            continue
        hint = " (batch first: out = x @ w.T + b, not w @ x.T)" if out.shape == (m, n) else ""
        if hidden:
            raise GradingError(f"linear_forward returned out of the wrong shape on a hidden "
                               f"case: it must be (N, M) for x (N, D) and w (M, D){hint}")
        raise GradingError(f"linear_forward returned out of shape {out.shape} for x {x.shape}, "
                           f"w {w.shape}; expected shape {(n, m)}{hint}")


def _lin_values(ns, ctx, hidden):
    for x, w, b, _ in _lin_cases(hidden):
        out = _forward_or_swap_hint(ns, x, w, b)[0]
        want = x @ w.T + b
        record_secret(want)
        if close(out, want, atol=ATOL):
            continue
        if x.shape[1] == w.shape[0] and close(out, x @ w + b, atol=ATOL):
            raise GradingError(f"linear_forward: {_SWAP}")
        if close(out, x @ w.T, atol=ATOL):
            raise GradingError("linear_forward: the bias b is missing")
        where = " on a hidden case" if hidden else ""
        raise GradingError(f"linear_forward{where}: out does not equal x @ w.T + b")


def _lin_gradients(ns, ctx, hidden):
    g = lookup(ns, "linear_backward")
    for x, w, b, dout in _lin_cases(hidden):
        cache = _forward_or_swap_hint(ns, x, w, b)[1]
        res = call(g, "linear_backward", (dout.copy(), cache), forbidden=_LIN_FORBIDDEN)
        if not (isinstance(res, (tuple, list)) and len(res) == 3):
            raise GradingError("linear_backward must return a triple (dx, dw, db)")
        dx, dw, db = layers.linear_backward(dout, layers.linear_forward(x, w, b)[1])
        record_secret((dx, dw, db))
        where = " on a hidden case" if hidden else ""
        if not close(res[1], dw, atol=ATOL):
            if close(res[1], dw.T, atol=ATOL):
                raise GradingError("linear_backward: dw is transposed: x.T @ dout is the "
                                   "gradient of U = w.T (the (D, M) layout of the form x U); "
                                   "dw must have w's shape (M, D): dw = dout.T @ x")
            if close(res[1], dw / x.shape[0], atol=ATOL):
                raise GradingError("linear_backward: dw is divided by N; the batch mean, if "
                                   "any, is already inside dout")
            raise GradingError(f"linear_backward{where}: dw does not equal dout.T @ x")
        if not close(res[2], db, atol=ATOL):
            if close(res[2], dout.sum(axis=1), atol=ATOL):
                raise GradingError("linear_backward: db is summed over the wrong axis: sum "
                                   "over the batch (axis 0), one entry per output feature")
            if close(res[2], dout, atol=ATOL):
                raise GradingError("linear_backward: db must be summed over the batch: the "
                                   "same b is added to every row")
            raise GradingError(f"linear_backward{where}: db does not equal dout.sum(axis=0)")
        if not close(res[0], dx, atol=ATOL):
            if w.shape[0] == w.shape[1] and close(res[0], dout @ w.T, atol=ATOL):
                raise GradingError("linear_backward: dx = dout @ w, not dout @ w.T (w is "
                                   "(M, D))")
            raise GradingError(f"linear_backward{where}: dx does not equal dout @ w")


EXERCISES["linear"] = Exercise(
    "A linear layer", {"shape": _lin_shape, "values": _lin_values,
                       "gradients": _lin_gradients})
