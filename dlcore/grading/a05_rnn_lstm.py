"""Checks for assignment A5, RNNs and LSTMs (lectures 13 and 14).

Exercises and the names the notebook defines (shapes: N batch, T time steps, D input
features, H hidden size, K outputs; weights in PyTorch's layout, gates stacked in the rows):

1. ``rnn_param_count(n_in, n_hidden, n_out, bias=True)``: an RNN with its output layer, one
   bias per unit; and ``N_INPUTS``, the n of a weight-count puzzle.
2. ``rnn_forward(x, h0, w_ih, w_hh, b) -> (hs, cache)``: x (N, T, D), h0 (N, H), w_ih (H, D),
   w_hh (H, H), b (H,), hs (N, T, H) with ``h_t = tanh(x_t w_ih^T + h_{t-1} w_hh^T + b)``.
3. ``rnn_backward(dhs, cache) -> (dx, dh0, dw_ih, dw_hh, db)``: BPTT, dhs (N, T, H).
4. ``clip_grad_norm(grads, max_norm) -> norm`` and ``clip_grad_value(grads, clip)``: a list of
   arrays clipped in place (by the true global L2 norm, or entrywise).
5. ``gradient_bound(activation, lam, t, k)``: ``(gamma lam)^(t - k)``; and ``ANSWER_5``, what
   the bound says when ``gamma lam > 1`` (multiple choice).
6. ``lstm_step_forward(x_t, h_prev, c_prev, w_ih, w_hh, b) -> (h, c)``, gates (i, f, g, o):
   x_t (N, D), states (N, H), w_ih (4H, D), w_hh (4H, H), b (4H,).
7. ``gru_step_forward(x_t, h_prev, w_ih, w_hh, b_ih, b_hh) -> h``, gates (r, z, n), PyTorch's
   form ``h = (1 - z) * n + z * h_prev``: w_ih (3H, D), w_hh (3H, H), biases (3H,).
8. ``model``: predicts the next value of a sine wave from the previous ``SINE_T`` values,
   x (N, SINE_T, 1) -> (N, 1); evaluated on held-out ``dlcore.data.sine_sequences``.

Expected values come from dlcore's references at check time (``dlcore.recurrent``,
``dlcore.counting``); the bound of exercise 5 is the lecture's formula.
"""

from __future__ import annotations

import numpy as np

from .. import counting, gradcheck, recurrent
from ..data import sine_sequences
from ..nn import GRU, LSTM, RNN, Module, predict
from ._core import (
    Assignment,
    Exercise,
    GradingError,
    call,
    expect_function,
    lookup,
    record_secret,
)

__all__ = ["checker", "ASSIGNMENT"]

ASSIGNMENT = Assignment("a05_rnn_lstm")
checker = ASSIGNMENT.checker

_GRADIENT_TOOLS = [gradcheck.numerical_gradient, gradcheck.numerical_vjp]


def _sig(a):
    return 1.0 / (1.0 + np.exp(-a))


def _close(a, b, rtol=1e-6, atol=1e-8) -> bool:
    try:
        a = np.asarray(a, dtype=float)
    except (TypeError, ValueError):
        return False
    b = np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.all(np.isfinite(a))) and \
        bool(np.all(np.abs(a - b) <= atol + rtol * np.abs(b)))


def _items(out, k: int, name: str, what: str) -> tuple:
    """The first k results of a function that returns a tuple (extra trailing items allowed)."""
    if isinstance(out, (tuple, list)) and len(out) >= k:
        return tuple(out[:k])
    raise GradingError(f"{name} must return {what}")


def _shape_of(a):
    try:
        arr = np.asarray(a, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr.shape


# -- 1. parameter counts -----------------------------------------------------------------------
_COUNT_FORBIDDEN = [counting.rnn_params, counting.lstm_params, counting.gru_params,
                    counting.linear_params]


def _count_ref(n_in, n_hidden, n_out, bias=True):
    return counting.rnn_params(n_in, n_hidden, bias=bias) + \
        counting.linear_params(n_hidden, n_out, bias=bias)


def _count_always_bias(n_in, n_hidden, n_out, bias=True):
    return _count_ref(n_in, n_hidden, n_out, bias=True)


def _count_never_bias(n_in, n_hidden, n_out, bias=True):
    return _count_ref(n_in, n_hidden, n_out, bias=False)


def _count_whh_dn(n_in, n_hidden, n_out, bias=True):
    return 2 * n_hidden * n_in + n_out * n_hidden + (n_hidden + n_out if bias else 0)


def _count_no_output(n_in, n_hidden, n_out, bias=True):
    return counting.rnn_params(n_in, n_hidden, bias=bias)


def _count_torch(n_in, n_hidden, n_out, bias=True):
    return _count_ref(n_in, n_hidden, n_out, bias) + (n_hidden if bias else 0)


_COUNT_WRONG = [
    (_count_always_bias, "with bias=False the count must be the weights only; yours includes "
                         "the biases"),
    (_count_never_bias, "with bias=True the count is short by the biases: one per hidden unit "
                        "and one per output unit"),
    (_count_whh_dn, "W_hh was counted as n_hidden x n_in: it connects the hidden state to "
                    "itself, so it is (n_hidden, n_hidden)"),
    (_count_no_output, "the output layer (n_out, n_hidden), with its biases, is missing"),
    (_count_torch, "two biases per hidden unit (PyTorch's b_ih and b_hh); the course counts "
                   "one bias per unit"),
]

# The puzzle: n inputs, n/4 hidden units, 3 outputs, 140 weights (no biases).
PUZZLE_WEIGHTS, PUZZLE_OUTPUTS, PUZZLE_HIDDEN_DIV = 140, 3, 4


def _count_cases(hidden: bool):
    if not hidden:
        return [((10, 6, 3), {"bias": True}), ((10, 6, 3), {"bias": False})]
    rng = np.random.default_rng(5101)
    cases = []
    for k in range(10):
        n_in, n_out = int(rng.integers(1, 60)), int(rng.integers(1, 12))
        n_hidden = int(rng.integers(1, 80))
        if n_hidden == n_in:
            n_hidden += 1
        cases.append(((n_in, n_hidden, n_out), {"bias": bool(k % 2)}))
    return cases


def _count_values(ns, ctx, hidden):
    f = lookup(ns, "rnn_param_count")
    expect_function(f, "rnn_param_count", _count_ref, _count_cases(hidden), _COUNT_WRONG,
                    forbidden=_COUNT_FORBIDDEN,
                    describe=None if hidden else
                    (lambda a, k: f"n_in={a[0]}, n_hidden={a[1]}, n_out={a[2]}, "
                                  f"bias={k['bias']}"))


def _puzzle_weights(n, count=_count_ref):
    return count(n, n // PUZZLE_HIDDEN_DIV, PUZZLE_OUTPUTS, bias=False)


def _count_solve(ns, ctx, hidden):
    n = lookup(ns, "N_INPUTS", "value")
    try:
        n = float(n)
    except (TypeError, ValueError):
        raise GradingError("N_INPUTS must be a number (the n of the puzzle)") from None
    if not n.is_integer() or n < PUZZLE_HIDDEN_DIV or n % PUZZLE_HIDDEN_DIV:
        raise GradingError(f"N_INPUTS must be a whole number divisible by {PUZZLE_HIDDEN_DIV} "
                           f"(the hidden layer has n/{PUZZLE_HIDDEN_DIV} units)")
    n = int(n)
    if _puzzle_weights(n) == PUZZLE_WEIGHTS:
        return
    if _puzzle_weights(n, _count_whh_dn) == PUZZLE_WEIGHTS:
        raise GradingError("N_INPUTS solves the count with W_hh of size n_hidden x n_in; W_hh "
                           "is (n_hidden, n_hidden)")
    own = ns.get("rnn_param_count")
    if callable(own):
        try:
            mine = call(own, "rnn_param_count",
                        (n, n // PUZZLE_HIDDEN_DIV, PUZZLE_OUTPUTS), {"bias": False},
                        forbidden=_COUNT_FORBIDDEN)
        except GradingError:
            mine = None
        if mine == PUZZLE_WEIGHTS:
            raise GradingError("N_INPUTS solves the puzzle with your rnn_param_count, which does "
                               "not count correctly yet: fix it first")
    raise GradingError(f"with n = N_INPUTS the network does not have {PUZZLE_WEIGHTS} weights: "
                       f"count n x n/{PUZZLE_HIDDEN_DIV} for W_ih, (n/{PUZZLE_HIDDEN_DIV})^2 for "
                       f"W_hh and {PUZZLE_OUTPUTS} x n/{PUZZLE_HIDDEN_DIV} for the output layer, "
                       f"no biases")


ASSIGNMENT.exercises["rnn_param_count"] = Exercise(
    "Counting an RNN's parameters", {"values": _count_values, "solve": _count_solve})


# -- 2. rnn_forward ----------------------------------------------------------------------------
_RNN_FWD_FORBIDDEN = [recurrent.rnn_forward, recurrent.rnn_step_forward, RNN.forward]
_RNN_BWD_FORBIDDEN = _RNN_FWD_FORBIDDEN + [recurrent.rnn_backward, recurrent.rnn_step_backward,
                                           RNN.backward] + _GRADIENT_TOOLS


def _rnn_case(seed: int, N: int, T: int, D: int, H: int, zero_h0: bool = False):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(N, T, D))
    h0 = np.zeros((N, H)) if zero_h0 else rng.normal(scale=0.5, size=(N, H))
    w_ih = rng.normal(scale=0.6, size=(H, D))
    w_hh = rng.normal(scale=0.5, size=(H, H))
    b = rng.normal(scale=0.3, size=H)
    dhs = rng.normal(size=(N, T, H))
    return x, h0, w_ih, w_hh, b, dhs


def _rnn_cases(hidden: bool):
    """(x, h0, w_ih, w_hh, b, dhs); hidden cases include D == H, N == T, T == 1, h0 = 0."""
    if not hidden:
        return [_rnn_case(5200, 2, 5, 3, 4)]
    sizes = [(3, 4, 2, 5, False), (4, 3, 3, 3, False), (2, 6, 4, 4, True),
             (1, 1, 2, 3, False), (5, 5, 2, 3, False)]
    return [_rnn_case(5211 + k, *s) for k, s in enumerate(sizes)]


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
    for x, h0, w_ih, w_hh, b, _ in _rnn_cases(hidden):
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

    cases = [((x, h0, w_ih, w_hh, b), {}) for x, h0, w_ih, w_hh, b, _ in _rnn_cases(hidden)]
    expect_function(hs_only, "rnn_forward", _rnn_ref, cases, _RNN_FWD_WRONG,
                    forbidden=_RNN_FWD_FORBIDDEN, describe=None if hidden else _describe_rnn)


ASSIGNMENT.exercises["rnn_forward"] = Exercise(
    "The RNN forward pass", {"shape": _rnn_shape, "values": _rnn_values})


# -- 3. rnn_backward ---------------------------------------------------------------------------
def _bptt_ref(x, h0, w_ih, w_hh, b, dhs):
    cache = recurrent.rnn_forward(x, h0, w_ih, w_hh, b, None)[1]
    dx, dh0, dw_ih, dw_hh, db, _ = recurrent.rnn_backward(dhs, cache)
    return dx, dh0, dw_ih, dw_hh, db


def _bptt(x, h0, w_ih, w_hh, b, dhs, recurrence=True, local="output", prev_state=True,
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


_BPTT_WRONG = [
    (lambda *a: _bptt(*a, recurrence=False),
     "the gradient does not flow back through the recurrence: dh_t must be dhs[:, t] PLUS "
     "da_{t+1} @ w_hh, the gradient h_t receives through step t + 1 (go through the steps "
     "backwards and carry it)"),
    (lambda *a: _bptt(*a, local="pre-activation"),
     "tanh' is taken at the pre-activation: d tanh(a)/da = 1 - tanh(a)^2 = 1 - h_t^2, with "
     "the step's output h_t, not 1 - a_t^2"),
    (lambda *a: _bptt(*a, prev_state=False),
     "dw_hh pairs da_t with h_t; the recurrent weight multiplies the previous state, so "
     "dw_hh += da_t.T @ h_{t-1} (with h_{-1} = h0)"),
    (lambda *a: _bptt(*a, db_steps="last"),
     "db must add up da_t over every time step (b is used at every step), not only the last"),
    (lambda *a: _bptt(*a, dh0=False),
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
        cases = _rnn_cases(hidden)
        for case in cases:
            hs = _student_forward(ns, *case[:5])[0]
            if not _close(hs, _rnn_ref(*case[:5])):
                raise GradingError("rnn_backward is checked with the cache of your "
                                   "rnn_forward, whose hs is not right yet: fix rnn_forward "
                                   "first")
            _bptt_shapes(run(*case), case, idx, names, hidden)
        wrong = [(pick(fn), hint) for fn, hint in _BPTT_WRONG]
        expect_function(pick(run), "rnn_backward", pick(_bptt_ref),
                        [(case, {}) for case in cases], wrong,
                        forbidden=_RNN_BWD_FORBIDDEN,
                        describe=None if hidden else
                        (lambda a, k: f"{' and '.join(names)} on " + _describe_rnn(a, k)))
    return check_part


ASSIGNMENT.exercises["rnn_backward"] = Exercise(
    "Backprop through time",
    {part: _bptt_part(part) for part in _BPTT_PARTS})


# -- 4. gradient clipping ----------------------------------------------------------------------
_CLIP_FORBIDDEN = [recurrent.clip_grad_norm, recurrent.clip_grad_value]


def _norm_cases(hidden: bool):
    """(grads, tau) cases: clipped, not clipped, and each array below tau but not the whole."""
    if not hidden:
        g = [np.array([[0.5, -1.0], [1.0, 0.5]]), np.array([1.5, -2.5])]  # norm sqrt(11)
        return [(g, 2.0), (g, 3.5)]
    rng = np.random.default_rng(5401)
    cases = []
    for k in range(6):
        shapes = [tuple(int(s) for s in rng.integers(1, 4, size=int(rng.integers(1, 3))))
                  for _ in range(int(rng.integers(1, 4)))]
        grads = [rng.normal(scale=2.0, size=s) for s in shapes]
        norm = np.sqrt(sum(float(np.sum(g * g)) for g in grads))
        factor = rng.uniform(0.2, 0.8) if k % 3 else rng.uniform(1.2, 2.0)
        cases.append((grads, float(factor * norm)))
    parts = [rng.normal(size=3), rng.normal(size=(2, 2)), rng.normal(size=2)]
    norms = [float(np.linalg.norm(p)) for p in parts]
    cases.append((parts, 1.05 * max(norms)))  # every array is below tau, the whole is not
    return cases


def _global(grads):
    return float(np.sqrt(sum(float(np.sum(g * g)) for g in grads)))


def _scaled(grads, factor):
    return [g * factor for g in grads]


def _norm_squared(grads, tau):
    sq = _global(grads) ** 2
    return _scaled(grads, tau / sq) if sq > tau else [g.copy() for g in grads]


def _norm_per_array(grads, tau):
    return [g * (tau / np.linalg.norm(g)) if np.linalg.norm(g) > tau else g.copy()
            for g in grads]


def _norm_always(grads, tau):
    return _scaled(grads, tau / _global(grads))


def _unchanged(grads, tau):
    return [g.copy() for g in grads]


_IN_PLACE = ("did not change the arrays in grads: clip them in place (g *= scale, or "
             "g[...] = ...); g = g * scale only rebinds the name")
_NORM_ARRAY_WRONG = [
    (_norm_squared, "the arrays were scaled with the squared norm sum(g * g) (the slide's "
                    "code); the L2 norm is its square root"),
    (_norm_per_array, "each array was clipped by its own norm; clip_grad_norm uses ONE global "
                      "norm over all the arrays together, so the whole gradient keeps its "
                      "direction"),
    (_norm_always, "the gradient was rescaled although its norm did not exceed max_norm: "
                   "clip only when norm > max_norm"),
    (lambda grads, tau: [np.clip(g, -tau, tau) for g in grads],
     "that is clipping by value (each entry clamped); clip_grad_norm rescales the whole "
     "gradient by max_norm / norm"),
    (_unchanged, _IN_PLACE),
]
_VALUE_WRONG = [
    (lambda grads, tau: [np.minimum(g, tau) for g in grads],
     "only the upper side is clamped: entries below -clip must become -clip too"),
    (lambda grads, tau: [g * min(1.0, tau / _global(grads)) for g in grads],
     "that is clipping by norm; clip_grad_value clamps every entry to [-clip, clip] on its "
     "own"),
    (_unchanged, _IN_PLACE),
]


def _copies(grads):
    return [np.array(g, dtype=float, copy=True) for g in grads]


def _all_close(arrays, wanted, rtol=1e-5) -> bool:
    return len(arrays) == len(wanted) and all(_close(a, w, rtol=rtol, atol=1e-9)
                                              for a, w in zip(arrays, wanted))


def _run_clip(f, name, cases, reference):
    """Per case: (grads, tau, arrays after the student's call, its result, reference arrays,
    reference result)."""
    runs = []
    for grads, tau in cases:
        work = _copies(grads)
        ret = call(f, name, (work, tau), forbidden=_CLIP_FORBIDDEN)
        want = _copies(grads)
        ref = reference(want, tau)
        record_secret(([] if ref is None else [ref]) + [float(v) for w in want
                                                        for v in w.ravel()])
        runs.append((grads, tau, work, ret, want, ref))
    return runs


def _check_arrays(name, runs, wrong, hidden, generic):
    """The clipped arrays must match the reference; else the mistake that explains them."""
    label = "max_norm" if name == "clip_grad_norm" else "clip"

    def explains(fn, run):
        return _all_close(run[2], fn(_copies(run[0]), run[1]))

    for run in runs:
        grads, tau, work, ret, want, _ = run
        if _all_close(work, want):
            continue
        where = " on a hidden case" if hidden else f" ({label}={tau})"
        matching = [(fn, hint) for fn, hint in wrong if explains(fn, run)]
        overall = [(fn, hint) for fn, hint in matching if all(explains(fn, r) for r in runs)]
        for fn, hint in overall or matching:
            if fn is _unchanged and isinstance(ret, (list, tuple)) and len(ret) == len(want):
                raise GradingError(f"{name} returned new arrays; it must modify the arrays in "
                                   f"grads in place (g *= scale, or g[...] = ...), as torch's "
                                   f"clipping functions do")
            raise GradingError(f"{name}{where}: {hint}")
        raise GradingError(f"{name}{where}: {generic}")


def _clip_norm(ns, ctx, hidden):
    f = lookup(ns, "clip_grad_norm")
    runs = _run_clip(f, "clip_grad_norm", _norm_cases(hidden), recurrent.clip_grad_norm)
    _check_arrays("clip_grad_norm", runs, _NORM_ARRAY_WRONG, hidden,
                  "the clipped arrays are not g * max_norm / ||g||_2 (||g||_2 over all the "
                  "arrays)")
    for _, tau, work, ret, _, norm in runs:
        if _close(ret, norm, rtol=1e-6):
            continue
        if _close(ret, norm ** 2, rtol=1e-6):
            hint = "it returns the squared norm; the L2 norm is the square root of sum(g * g)"
        elif _close(ret, _global(work), rtol=1e-5):
            hint = "it returns the norm after clipping; return the norm before clipping"
        elif isinstance(ret, (list, tuple, np.ndarray)) and np.size(ret) != 1:
            hint = "return one number, the global norm before clipping"
        else:
            hint = "it must return the global L2 norm of the gradients before clipping"
        where = " on a hidden case" if hidden else f" (max_norm={tau})"
        raise GradingError(f"clip_grad_norm{where}: the arrays are right, but {hint}")


def _value_cases(hidden: bool):
    if not hidden:
        return [([np.array([[0.5, -3.0], [2.0, 0.2]]), np.array([-0.4, 1.5])], 1.0)]
    rng = np.random.default_rng(5402)
    return [([rng.normal(scale=2.0, size=tuple(int(s) for s in rng.integers(1, 4, size=2)))
              for _ in range(int(rng.integers(1, 4)))], float(rng.uniform(0.3, 2.0)))
            for _ in range(5)]


def _clip_value(ns, ctx, hidden):
    f = lookup(ns, "clip_grad_value")
    runs = _run_clip(f, "clip_grad_value", _value_cases(hidden), recurrent.clip_grad_value)
    _check_arrays("clip_grad_value", runs, _VALUE_WRONG, hidden,
                  "every entry must become min(max(g, -clip), clip)")


ASSIGNMENT.exercises["clipping"] = Exercise(
    "Gradient clipping", {"norm": _clip_norm, "value": _clip_value})


# -- 5. the vanishing / exploding bound --------------------------------------------------------
_GAMMA = {"sigmoid": 0.25, "tanh": 1.0}  # max |phi'|: sigma' = s(1 - s) <= 1/4, tanh' <= 1


def _bound_ref(activation, lam, t, k):
    return float((_GAMMA[activation] * lam) ** (t - k))


_BOUND_WRONG = [
    (lambda act, lam, t, k: float(lam ** (t - k)),
     "gamma = 1 was used for the sigmoid: gamma bounds the activation's slope, and "
     "sigma'(a) = sigma(a)(1 - sigma(a)) <= 1/4, so gamma = 1/4 for the sigmoid (1 for tanh)"),
    (lambda act, lam, t, k: float(((1.0 if act == "sigmoid" else 0.25) * lam) ** (t - k)),
     "the two gammas are swapped: 1/4 for the sigmoid, 1 for tanh"),
    (lambda act, lam, t, k: _bound_ref(act, lam, t, k + 1) if t > k else None,
     "one factor short: the product runs over j = k + 1, ..., t, which is t - k factors"),
    (lambda act, lam, t, k: _bound_ref(act, lam, t + 1, k),
     "one factor too many: the product runs over j = k + 1, ..., t, which is t - k factors"),
    (lambda act, lam, t, k: float(_GAMMA[act] * lam ** (t - k)),
     "gamma must be raised to the power t - k as well: every factor of the product is "
     "bounded by gamma * lambda"),
]


def _bound_cases(hidden: bool):
    if not hidden:
        return [(("sigmoid", 3.0, 10, 4), {}), (("tanh", 0.8, 10, 4), {})]
    rng = np.random.default_rng(5501)
    cases = []
    for j in range(10):
        k = int(rng.integers(0, 6))
        t = k + (0 if j == 0 else int(rng.integers(1, 25)))
        cases.append((("sigmoid" if j % 2 else "tanh", float(rng.uniform(0.5, 6.0)), t, k), {}))
    return cases


def _bound_values(ns, ctx, hidden):
    f = lookup(ns, "gradient_bound")
    expect_function(f, "gradient_bound", _bound_ref, _bound_cases(hidden), _BOUND_WRONG,
                    describe=None if hidden else
                    (lambda a, k: f"activation={a[0]!r}, lam={a[1]}, t={a[2]}, k={a[3]}"))


_MC5_HINTS = {
    "a": "(a) reads the bound as an equality; it is an upper bound, and a growing upper bound "
         "allows large gradients without forcing them (a saturated tanh has a slope near 0)",
    "b": "(b) would need gamma * lambda < 1: only then does the bound itself go to 0",
    "d": "(d) is not what the bound says: it grows like (gamma * lambda)^(t - k)",
}


def _bound_meaning(ns, ctx, hidden):
    answer = str(lookup(ns, "ANSWER_5", "value")).strip().lower().strip("()")
    if len(answer) != 1 or answer not in "abcd":
        raise GradingError('ANSWER_5 must be one letter: "a", "b", "c" or "d"')
    if answer != "c":
        raise GradingError(_MC5_HINTS[answer])


ASSIGNMENT.exercises["gradient_bound"] = Exercise(
    "Vanishing and exploding gradients", {"values": _bound_values, "meaning": _bound_meaning})


# -- 6. lstm_step_forward ----------------------------------------------------------------------
_LSTM_FORBIDDEN = [recurrent.lstm_step_forward, recurrent.lstm_forward, recurrent.lstm_gates,
                   LSTM.forward]


def _gated_case(seed: int, N: int, D: int, H: int, G: int):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(N, D)), rng.normal(scale=0.8, size=(N, H)),
            rng.normal(scale=0.8, size=(N, H)), rng.normal(scale=0.7, size=(G * H, D)),
            rng.normal(scale=0.7, size=(G * H, H)), rng.normal(scale=0.5, size=G * H),
            rng.normal(scale=0.5, size=G * H))


def _lstm_cases(hidden: bool):
    """(x_t, h_prev, c_prev, w_ih, w_hh, b)."""
    sizes = [(3, 2, 4)] if not hidden else [(2, 3, 3), (4, 2, 5), (1, 4, 2), (5, 1, 3)]
    seed = 5600 if not hidden else 5601
    return [_gated_case(seed + k, *s, 4)[:6] for k, s in enumerate(sizes)]


def _lstm_ref(x_t, h_prev, c_prev, w_ih, w_hh, b):
    h, c, _ = recurrent.lstm_step_forward(x_t, h_prev, c_prev, w_ih, w_hh, b, None)
    return h, c


def _lstm_variant(order="ifgo", h_from="c", g_act=np.tanh, squash_c=True):
    def step(x_t, h_prev, c_prev, w_ih, w_hh, b):
        a = x_t @ w_ih.T + h_prev @ w_hh.T + b
        H = h_prev.shape[1]
        blocks = {name: a[:, j * H:(j + 1) * H] for j, name in enumerate(order)}
        i, f, o = _sig(blocks["i"]), _sig(blocks["f"]), _sig(blocks["o"])
        g = g_act(blocks["g"])
        c = f * c_prev + i * g
        state = c if h_from == "c" else c_prev
        h = o * (np.tanh(state) if squash_c else state)
        return h, c
    return step


_LSTM_WRONG = [
    (_lstm_variant(order="ifog"), "the gate blocks are read in the order (i, f, o, g), the "
                                  "slides' order; PyTorch stacks them as (i, f, g, o)"),
    (_lstm_variant(h_from="c_prev"), "h is computed from c_{t-1}: first update the cell, "
                                     "c_t = f * c_{t-1} + i * g, then h_t = o * tanh(c_t)"),
    (_lstm_variant(g_act=_sig), "g is squashed with a sigmoid; the candidate g uses tanh "
                                "(only i, f and o are sigmoid gates)"),
    (_lstm_variant(squash_c=False), "h_t = o * tanh(c_t): the tanh on the cell state is "
                                    "missing"),
]


def _describe_step(args, kwargs):
    N, D = args[0].shape
    return f"the visible case (N={N}, D={D}, H={args[1].shape[1]})"


def _lstm_student(ns):
    f = lookup(ns, "lstm_step_forward")

    def run(*args):
        return _items(f(*args), 2, "lstm_step_forward", "a pair (h, c)")
    return run


def _lstm_shape(ns, ctx, hidden):
    run = _lstm_student(ns)
    for case in _lstm_cases(hidden):
        h, c = call(run, "lstm_step_forward", tuple(a.copy() for a in case),
                    forbidden=_LSTM_FORBIDDEN)
        want = case[1].shape
        for name, arr in (("h", h), ("c", c)):
            got = _shape_of(arr)
            if got == want:
                continue
            expected = "(N, H)" if hidden else f"(N, H) = {want}"
            extra = ""
            if got and got[-1] == 4 * want[1]:
                extra = (": the four gates are column blocks of width H, a[:, :H], "
                         "a[:, H:2 * H], ...")
            shown = "the wrong shape" if hidden else f"shape {got}"
            raise GradingError(f"lstm_step_forward returned {name} of {shown}; expected "
                               f"{expected}{extra}")


def _lstm_values(ns, ctx, hidden):
    cases = [(case, {}) for case in _lstm_cases(hidden)]
    expect_function(_lstm_student(ns), "lstm_step_forward", _lstm_ref, cases, _LSTM_WRONG,
                    forbidden=_LSTM_FORBIDDEN, describe=None if hidden else _describe_step)


ASSIGNMENT.exercises["lstm_step_forward"] = Exercise(
    "One LSTM step", {"shape": _lstm_shape, "values": _lstm_values})


# -- 7. gru_step_forward -----------------------------------------------------------------------
_GRU_FORBIDDEN = [recurrent.gru_step_forward, recurrent.gru_forward, recurrent.gru_gates,
                  GRU.forward]


def _gru_cases(hidden: bool):
    """(x_t, h_prev, w_ih, w_hh, b_ih, b_hh)."""
    sizes = [(3, 2, 4)] if not hidden else [(2, 3, 3), (4, 2, 5), (1, 4, 2), (5, 1, 3)]
    seed = 5700 if not hidden else 5701
    out = []
    for k, s in enumerate(sizes):
        x_t, h_prev, _, w_ih, w_hh, b_ih, b_hh = _gated_case(seed + k, *s, 3)
        out.append((x_t, h_prev, w_ih, w_hh, b_ih, b_hh))
    return out


def _gru_ref(x_t, h_prev, w_ih, w_hh, b_ih, b_hh):
    return recurrent.gru_step_forward(x_t, h_prev, w_ih, w_hh, b_ih, b_hh)[0]


def _gru_variant(cho=False, reset_before=False, swap_rz=False):
    def step(x_t, h_prev, w_ih, w_hh, b_ih, b_hh):
        H = h_prev.shape[1]
        gi = x_t @ w_ih.T + b_ih
        gh = h_prev @ w_hh.T + b_hh
        r = _sig(gi[:, :H] + gh[:, :H])
        z = _sig(gi[:, H:2 * H] + gh[:, H:2 * H])
        if swap_rz:
            r, z = z, r
        if reset_before:
            hn = (r * h_prev) @ w_hh[2 * H:].T + b_hh[2 * H:]
        else:
            hn = r * gh[:, 2 * H:]
        n = np.tanh(gi[:, 2 * H:] + hn)
        return (1 - z) * h_prev + z * n if cho else (1 - z) * n + z * h_prev
    return step


_GRU_WRONG = [
    (_gru_variant(cho=True), "z and 1 - z are swapped: h = (1 - z) * h_prev + z * n is Cho et "
                             "al.'s convention (the slides'); PyTorch's GRU computes "
                             "h = (1 - z) * n + z * h_prev"),
    (_gru_variant(reset_before=True), "r is applied before the matrix product, "
                                      "(r * h_prev) @ W_hn.T; PyTorch applies it after: "
                                      "r * (h_prev @ W_hn.T + b_hn)"),
    (_gru_variant(cho=True, reset_before=True),
     "two differences from PyTorch's GRU: z and 1 - z are swapped (PyTorch: "
     "h = (1 - z) * n + z * h_prev), and r must multiply (h_prev @ W_hn.T + b_hn), after the "
     "matrix product"),
    (_gru_variant(swap_rz=True), "r and z are swapped: the rows of w_ih and w_hh are stacked "
                                 "in the order (r, z, n)"),
]


def _gru_student(ns):
    f = lookup(ns, "gru_step_forward")

    def run(*args):
        out = f(*args)
        return out[0] if isinstance(out, (tuple, list)) else out
    return run


def _gru_shape(ns, ctx, hidden):
    run = _gru_student(ns)
    for case in _gru_cases(hidden):
        h = call(run, "gru_step_forward", tuple(a.copy() for a in case),
                 forbidden=_GRU_FORBIDDEN)
        got, want = _shape_of(h), case[1].shape
        if got != want:
            expected = "(N, H)" if hidden else f"(N, H) = {want}"
            shown = "the wrong shape" if hidden else f"shape {got}"
            raise GradingError(f"gru_step_forward returned h of {shown}; expected "
                               f"{expected}")


def _gru_values(ns, ctx, hidden):
    cases = [(case, {}) for case in _gru_cases(hidden)]
    expect_function(_gru_student(ns), "gru_step_forward", _gru_ref, cases, _GRU_WRONG,
                    forbidden=_GRU_FORBIDDEN, describe=None if hidden else _describe_step)


ASSIGNMENT.exercises["gru_step_forward"] = Exercise(
    "One GRU step", {"shape": _gru_shape, "values": _gru_values})


# -- 8. a sine predictor -----------------------------------------------------------------------
SINE_T = 20
BASELINE_MSE, TARGET_MSE = 0.1, 0.01


def _sine_mse(ns, hidden: bool) -> list[float]:
    model = lookup(ns, "model", "value")
    sets = [(1000, 5801), (1000, 5802)] if hidden else [(300, 5800)]
    out = []
    for n, seed in sets:
        s = sine_sequences(n, length=SINE_T + 1, seed=seed)
        X, y = s[:, :SINE_T], s[:, SINE_T]
        if isinstance(model, Module):
            try:
                pred = predict(model, X, labels=False)
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


ASSIGNMENT.exercises["sine_model"] = Exercise(
    "Predict a sine wave", {"baseline": _sine_part(BASELINE_MSE),
                            "target": _sine_part(TARGET_MSE)})
