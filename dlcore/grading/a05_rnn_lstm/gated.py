"""Exercises 6 and 7 of A5: one LSTM step and one GRU step, forward.

Names the notebook defines (shapes: N batch, D input features, H hidden size; weights in
PyTorch's layout, gates stacked in the rows):

6. ``lstm_step_forward(x_t, h_prev, c_prev, w_ih, w_hh, b) -> (h, c)``, gates (i, f, g, o):
   x_t (N, D), states (N, H), w_ih (4H, D), w_hh (4H, H), b (4H,).
7. ``gru_step_forward(x_t, h_prev, w_ih, w_hh, b_ih, b_hh) -> h``, gates (r, z, n), PyTorch's
   form ``h = (1 - z) * n + z * h_prev``: w_ih (3H, D), w_hh (3H, H), biases (3H,).

The reference is ``dlcore.recurrent``.
"""

from __future__ import annotations

import numpy as np

from ... import recurrent
from ...nn import GRU, LSTM
from .._core import Exercise, GradingError, call, case_rng, expect_function, lookup
from .rnn import _items, _shape_of, _sig

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


# -- 6. lstm_step_forward ----------------------------------------------------------------------
_LSTM_FORBIDDEN = [recurrent.lstm_step_forward, recurrent.lstm_forward, recurrent.lstm_gates,
                   LSTM.forward]


def _gated_case(rng: np.random.Generator, N: int, D: int, H: int, G: int):
    return (rng.normal(size=(N, D)), rng.normal(scale=0.8, size=(N, H)),
            rng.normal(scale=0.8, size=(N, H)), rng.normal(scale=0.7, size=(G * H, D)),
            rng.normal(scale=0.7, size=(G * H, H)), rng.normal(scale=0.5, size=G * H),
            rng.normal(scale=0.5, size=G * H))


def _lstm_cases(hidden: bool):
    """(x_t, h_prev, c_prev, w_ih, w_hh, b)."""
    sizes = [(3, 2, 4)] if not hidden else [(2, 3, 3), (4, 2, 5), (1, 4, 2), (5, 1, 3)]
    seed = 5600 if not hidden else 5601
    return [_gated_case(case_rng(seed + k, hidden), *s, 4)[:6] for k, s in enumerate(sizes)]


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
    (_lstm_variant(order="ifog"), "the gate blocks are read in the order (i, f, o, g), an "
                                  "order some texts use (lecture 14, section 2); PyTorch "
                                  "stacks them as (i, f, g, o)"),
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


EXERCISES["lstm_step_forward"] = Exercise(
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
        x_t, h_prev, _, w_ih, w_hh, b_ih, b_hh = _gated_case(case_rng(seed + k, hidden), *s, 3)
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
                             "al.'s (2014) convention, which some texts follow; PyTorch's GRU "
                             "computes h = (1 - z) * n + z * h_prev"),
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


EXERCISES["gru_step_forward"] = Exercise(
    "One GRU step", {"shape": _gru_shape, "values": _gru_values})
