"""Exercise 1 of A5: counting the parameters of an RNN with its output layer.

Names the notebook defines: ``rnn_param_count(n_in, n_hidden, n_out, bias=True)``, one bias
per unit; and ``N_INPUTS``, the n of a weight-count puzzle.  The reference is
``dlcore.counting``.
"""

from __future__ import annotations

from ... import counting
from .._core import Exercise, GradingError, call, case_rng, function_part, lookup

EXERCISES: dict[str, Exercise] = {}  # added to ASSIGNMENT by the package, in order


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


COUNT_WRONG = [
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


def count_cases(hidden: bool):
    """((n_in, n_hidden, n_out), {"bias": ...}) cases of rnn_param_count, visible or hidden."""
    if not hidden:
        return [((10, 6, 3), {"bias": True}), ((10, 6, 3), {"bias": False})]
    rng = case_rng(5101, hidden=True)
    cases = []
    for k in range(10):
        n_in, n_out = int(rng.integers(1, 60)), int(rng.integers(1, 12))
        n_hidden = int(rng.integers(1, 80))
        if n_hidden == n_in:
            n_hidden += 1
        cases.append(((n_in, n_hidden, n_out), {"bias": bool(k % 2)}))
    return cases


_count_values = function_part(
    "rnn_param_count", _count_ref, count_cases, COUNT_WRONG, forbidden=_COUNT_FORBIDDEN,
    describe=lambda a, k: f"n_in={a[0]}, n_hidden={a[1]}, n_out={a[2]}, bias={k['bias']}")


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


EXERCISES["rnn_param_count"] = Exercise(
    "Counting an RNN's parameters", {"values": _count_values, "solve": _count_solve})
