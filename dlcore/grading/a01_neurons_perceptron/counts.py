"""Exercise 5 of A1: counting the neurons, weights and parameters of an MLP."""

from __future__ import annotations

from ... import counting
from .._core import Exercise, case_rng, expect_function, lookup

EXERCISES: dict[str, Exercise] = {}


def _counts_ref(sizes):
    c = counting.mlp_counts(list(sizes))
    return (c.neurons, c.weights, c.parameters)


def _counts_no_bias(sizes):
    c = counting.mlp_counts(list(sizes))
    return (c.neurons, c.weights, c.weights)


def _counts_inputs_as_neurons(sizes):
    c = counting.mlp_counts(list(sizes))
    return (c.neurons + sizes[0], c.weights, c.parameters)


_COUNT_WRONG = [
    (_counts_no_bias, "the parameter count is short by one bias per non-input neuron"),
    (_counts_inputs_as_neurons, "input units only pass values on: they are not neurons"),
]


def _counts_values(ns, ctx, hidden):
    f = lookup(ns, "mlp_counts")
    if hidden:
        rng = case_rng(505, hidden=True)
        lists = [list(rng.integers(1, 50, size=int(rng.integers(2, 6)))) for _ in range(8)]
    else:
        lists = [[4, 6, 3]]
    cases = [((tuple(int(v) for v in s),), {}) for s in lists]
    expect_function(f, "mlp_counts", _counts_ref, cases, _COUNT_WRONG,
                    forbidden=[counting.mlp_counts],
                    describe=None if hidden else (lambda a, k: f"sizes={list(a[0])}"))


EXERCISES["mlp_counts"] = Exercise("Counting neurons and parameters",
                                              {"values": _counts_values})
