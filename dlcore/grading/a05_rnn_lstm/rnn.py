"""Exercises 2 and 3 of A5: the RNN forward pass and backprop through time.

Names the notebook defines (shapes: N batch, T time steps, D input features, H hidden size;
weights in PyTorch's layout):

2. ``rnn_forward(x, h0, w_ih, w_hh, b) -> (hs, cache)``: x (N, T, D), h0 (N, H), w_ih (H, D),
   w_hh (H, H), b (H,), hs (N, T, H) with ``h_t = tanh(x_t w_ih^T + h_{t-1} w_hh^T + b)``.
3. ``rnn_backward(dhs, cache) -> (dx, dh0, dw_ih, dw_hh, db)``: BPTT, dhs (N, T, H).

The reference is ``dlcore.recurrent``.  ``_items`` (the first k results of a tuple-returning
function), ``_shape_of`` and ``_sig`` serve the gated steps too.
"""

from __future__ import annotations

import numpy as np

from ... import gradcheck, recurrent
from ...nn import RNN
from .._core import Exercise, GradingError, call, case_rng, close, expect_function, lookup

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order

_GRADIENT_TOOLS = [gradcheck.numerical_gradient, gradcheck.numerical_vjp]


def _sig(a):
    return 1.0 / (1.0 + np.exp(-a))


def _items(out, k: int, name: str, what: str) -> tuple:
    """The first k results of a function that returns a tuple (extra trailing items allowed)."""
    if isinstance(out, (tuple, list)) and len(out) >= k:
        return tuple(out[:k])
    raise GradingError(f"{name} must return {what}")


def _shape_of(a):
    """The shape of a numeric result, None if it is not numeric."""
    try:
        arr = np.asarray(a, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr.shape


# -- 2. rnn_forward ----------------------------------------------------------------------------
_RNN_FWD_FORBIDDEN = [recurrent.rnn_forward, recurrent.rnn_step_forward, RNN.forward]
_RNN_BWD_FORBIDDEN = _RNN_FWD_FORBIDDEN + [recurrent.rnn_backward, recurrent.rnn_step_backward,
                                           RNN.backward] + _GRADIENT_TOOLS


def _rnn_case(rng: np.random.Generator, N: int, T: int, D: int, H: int, zero_h0: bool = False):
    x = rng.normal(size=(N, T, D))
    h0 = np.zeros((N, H)) if zero_h0 else rng.normal(scale=0.5, size=(N, H))
    w_ih = rng.normal(scale=0.6, size=(H, D))
    w_hh = rng.normal(scale=0.5, size=(H, H))
    b = rng.normal(scale=0.3, size=H)
    dhs = rng.normal(size=(N, T, H))
    return x, h0, w_ih, w_hh, b, dhs


def rnn_cases(hidden: bool):
    """(x, h0, w_ih, w_hh, b, dhs); hidden cases include D == H, N == T, T == 1, h0 = 0."""
    if not hidden:
        return [_rnn_case(case_rng(5200, hidden=False), 2, 5, 3, 4)]
    sizes = [(3, 4, 2, 5, False), (4, 3, 3, 3, False), (2, 6, 4, 4, True),
             (1, 1, 2, 3, False), (5, 5, 2, 3, False)]
    return [_rnn_case(case_rng(5211 + k, hidden=True), *s) for k, s in enumerate(sizes)]


def _rnn_ref(x, h0, w_ih, w_hh, b):
    return recurrent.rnn_forward(x, h0, w_ih, w_hh, b, None)[0]


def _rnn_loop(x, h0, w_ih, w_hh, b, step):
    h, out = h0, []
    for t in range(x.shape[1]):
        h = step(x[:, t], h, h0, w_ih, w_hh, b)
        out.append(h)
    return np.stack(out, axis=1)


_RNN_FWD_WRONG = [
    (lambda x, h0, w_ih, w_hh, b: _rnn_loop(
        x, h0, w_ih, w_hh, b, lambda xt, h, h0, wi, wh, b: np.tanh(xt @ wi.T + h @ wh + b)),
     "w_hh is used untransposed: in PyTorch's layout the recurrent term is h_prev @ w_hh.T"),
    (lambda x, h0, w_ih, w_hh, b: _rnn_loop(
        x, h0, w_ih, w_hh, b, lambda xt, h, h0, wi, wh, b: np.tanh(xt @ wi + h @ wh.T + b)),
     "w_ih is used untransposed: w_ih is (H, D), so the input term is x_t @ w_ih.T"),
    (lambda x, h0, w_ih, w_hh, b: _rnn_loop(
        x, h0, w_ih, w_hh, b, lambda xt, h, h0, wi, wh, b: np.tanh(xt @ wi.T + h0 @ wh.T + b)),
     "every step uses h0: the state must be carried, h_{t-1} is the previous step's output"),
    (lambda x, h0, w_ih, w_hh, b: _rnn_loop(
        x, h0, w_ih, w_hh, b, lambda xt, h, h0, wi, wh, b: xt @ wi.T + h @ wh.T + b),
     "the tanh is missing: h_t = tanh(x_t w_ih^T + h_{t-1} w_hh^T + b)"),
    (lambda x, h0, w_ih, w_hh, b: _rnn_loop(
        x, h0, w_ih, w_hh, b, lambda xt, h, h0, wi, wh, b: np.tanh(xt @ wi.T + h @ wh.T)),
     "the bias b is missing"),
]


def _describe_rnn(args, kwargs):
    N, T, D = args[0].shape
    return f"the visible case (N={N}, T={T}, D={D}, H={args[3].shape[0]})"


def _student_forward(ns, x, h0, w_ih, w_hh, b):
    f = lookup(ns, "rnn_forward")
    out = call(f, "rnn_forward", (x.copy(), h0.copy(), w_ih.copy(), w_hh.copy(), b.copy()),
               forbidden=_RNN_FWD_FORBIDDEN)
    return _items(out, 2, "rnn_forward", "a pair (hs, cache); the cache holds whatever "
                                         "rnn_backward needs")


def _rnn_shape(ns, ctx, hidden):
    for x, h0, w_ih, w_hh, b, _ in rnn_cases(hidden):
        hs = _student_forward(ns, x, h0, w_ih, w_hh, b)[0]
        N, T, _ = x.shape
        H = w_hh.shape[0]
        got = _shape_of(hs)
        if got == (N, T, H):
            continue
        where = "" if hidden else f" for x of shape {x.shape} and H={H}"
        if got is None:
            raise GradingError(f"rnn_forward must return hs as a numeric array{where}")
        hints = {(T, N, H): ": that is time-major; the course is batch first, hs[:, t] is h_t",
                 (N, T + 1, H): ": hs holds the T states after the steps, not the "
                                 "initial state h0",
                 (N, H): ": return the hidden state of every step, not only the last"}
        if hidden:
            raise GradingError(f"rnn_forward returned hs of the wrong shape on a hidden case; "
                               f"expected (N, T, H){hints.get(got, '')}")
        raise GradingError(f"rnn_forward returned hs of shape {got}{where}; expected shape "
                           f"{(N, T, H)}{hints.get(got, '')}")


def _rnn_values(ns, ctx, hidden):
    f = lookup(ns, "rnn_forward")

    def hs_only(x, h0, w_ih, w_hh, b):
        return _items(f(x, h0, w_ih, w_hh, b), 2, "rnn_forward", "a pair (hs, cache)")[0]

    cases = [((x, h0, w_ih, w_hh, b), {}) for x, h0, w_ih, w_hh, b, _ in rnn_cases(hidden)]
    expect_function(hs_only, "rnn_forward", _rnn_ref, cases, _RNN_FWD_WRONG,
                    forbidden=_RNN_FWD_FORBIDDEN, describe=None if hidden else _describe_rnn)


EXERCISES["rnn_forward"] = Exercise(
    "The RNN forward pass", {"shape": _rnn_shape, "values": _rnn_values})


# -- 3. rnn_backward ---------------------------------------------------------------------------
def _bptt_ref(x, h0, w_ih, w_hh, b, dhs):
    cache = recurrent.rnn_forward(x, h0, w_ih, w_hh, b, None)[1]
    dx, dh0, dw_ih, dw_hh, db, _ = recurrent.rnn_backward(dhs, cache)
    return dx, dh0, dw_ih, dw_hh, db


def bptt_variant(x, h0, w_ih, w_hh, b, dhs, recurrence=True, local="output", prev_state=True,
          db_steps="all", dh0=True):
    """BPTT written out with switches for the catalogued mistakes."""
    N, T, _ = x.shape
    states, pre = [h0], []
    for t in range(T):
        pre.append(x[:, t] @ w_ih.T + states[-1] @ w_hh.T + b)
        states.append(np.tanh(pre[-1]))
    dx = np.zeros_like(x)
    dw_ih, dw_hh, db = np.zeros_like(w_ih), np.zeros_like(w_hh), np.zeros_like(b)
    dh_next = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        dh = dhs[:, t] + (dh_next if recurrence else 0.0)
        slope = 1 - states[t + 1] ** 2 if local == "output" else 1 - pre[t] ** 2
        da = dh * slope
        dx[:, t] = da @ w_ih
        dw_ih += da.T @ x[:, t]
        dw_hh += da.T @ (states[t] if prev_state else states[t + 1])
        if db_steps == "all" or t == T - 1:
            db += da.sum(axis=0)
        dh_next = da @ w_hh
    return dx, (dh_next if dh0 else np.zeros_like(h0)), dw_ih, dw_hh, db


BPTT_WRONG = [
    (lambda *a: bptt_variant(*a, recurrence=False),
     "the gradient does not flow back through the recurrence: dh_t must be dhs[:, t] PLUS "
     "da_{t+1} @ w_hh, the gradient h_t receives through step t + 1 (go through the steps "
     "backwards and carry it)"),
    (lambda *a: bptt_variant(*a, local="pre-activation"),
     "tanh' is taken at the pre-activation: d tanh(a)/da = 1 - tanh(a)^2 = 1 - h_t^2, with "
     "the step's output h_t, not 1 - a_t^2"),
    (lambda *a: bptt_variant(*a, prev_state=False),
     "dw_hh pairs da_t with h_t; the recurrent weight multiplies the previous state, so "
     "dw_hh += da_t.T @ h_{t-1} (with h_{-1} = h0)"),
    (lambda *a: bptt_variant(*a, db_steps="last"),
     "db must add up da_t over every time step (b is used at every step), not only the last"),
    (lambda *a: bptt_variant(*a, dh0=False),
     "dh0 is zero: the initial state feeds step 0, so dh0 = da_0 @ w_hh"),
]

_BPTT_PARTS = {"dx": ((0, 1), ("dx", "dh0")), "dweights": ((2, 3), ("dw_ih", "dw_hh")),
               "db": ((4,), ("db",))}


def _student_bptt(ns):
    """The student's forward then backward, as one function of the case's arrays."""
    g = lookup(ns, "rnn_backward")

    def run(x, h0, w_ih, w_hh, b, dhs):
        cache = _student_forward(ns, x, h0, w_ih, w_hh, b)[1]
        out = call(g, "rnn_backward", (dhs.copy(), cache), forbidden=_RNN_BWD_FORBIDDEN)
        return _items(out, 5, "rnn_backward", "five arrays (dx, dh0, dw_ih, dw_hh, db)")
    return run


def _bptt_shapes(got, case, idx, names, hidden):
    x, h0, w_ih, w_hh, b, _ = case
    shapes = {"dx": (x.shape, "x", "(N, T, D)"), "dh0": (h0.shape, "h0", "(N, H)"),
              "dw_ih": (w_ih.shape, "w_ih", "(H, D)"), "dw_hh": (w_hh.shape, "w_hh", "(H, H)"),
              "db": (b.shape, "b", "(H,)")}
    for i, name in zip(idx, names):
        want, arg, spec = shapes[name]
        shape = _shape_of(got[i])
        if shape == want:
            continue
        if shape is None:
            raise GradingError(f"rnn_backward: {name} must be a numeric array")
        extra = ""
        if name == "dw_ih" and shape == want[::-1]:
            extra = ": dw_ih is transposed, dw_ih = sum_t da_t.T @ x_t"
        elif name == "db":
            extra = (": b is used by every example at every step, so sum da_t over the batch "
                     "and over the time steps")
        where = "" if hidden else f" (here {want})"
        shown = "the wrong shape on a hidden case" if hidden else f"shape {shape}"
        raise GradingError(f"rnn_backward: {name} has {shown}; it must have {arg}'s "
                           f"shape {spec}{where}{extra}")


def _bptt_part(part: str):
    idx, names = _BPTT_PARTS[part]

    def pick(fn):
        def picked(*args):
            out = fn(*args)
            return tuple(out[i] for i in idx)
        return picked

    def check_part(ns, ctx, hidden):
        run = _student_bptt(ns)
        cases = rnn_cases(hidden)
        for case in cases:
            hs = _student_forward(ns, *case[:5])[0]
            if not close(hs, _rnn_ref(*case[:5])):
                raise GradingError("rnn_backward is checked with the cache of your "
                                   "rnn_forward, whose hs is not right yet: fix rnn_forward "
                                   "first")
            _bptt_shapes(run(*case), case, idx, names, hidden)
        wrong = [(pick(fn), hint) for fn, hint in BPTT_WRONG]
        expect_function(pick(run), "rnn_backward", pick(_bptt_ref),
                        [(case, {}) for case in cases], wrong,
                        forbidden=_RNN_BWD_FORBIDDEN,
                        describe=None if hidden else
                        (lambda a, k: f"{' and '.join(names)} on " + _describe_rnn(a, k)))
    return check_part


EXERCISES["rnn_backward"] = Exercise(
    "Backprop through time",
    {part: _bptt_part(part) for part in _BPTT_PARTS})
