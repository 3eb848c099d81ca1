"""Exercise 4 of A1: a two-layer threshold network for XOR (PyTorch layout)."""

from __future__ import annotations

import numpy as np

from ... import neurons
from .._core import Exercise, GradingError, lookup

EXERCISES: dict[str, Exercise] = {}


_XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def _xor_values(ns, ctx, hidden):
    W1 = np.asarray(lookup(ns, "W1", "value"), dtype=float)
    b1 = np.asarray(lookup(ns, "b1", "value"), dtype=float)
    w2 = np.asarray(lookup(ns, "w2", "value"), dtype=float)
    b2 = float(np.asarray(lookup(ns, "b2", "value"), dtype=float))
    if W1.shape != (2, 2) or b1.shape != (2,) or w2.shape != (2,):
        raise GradingError("shapes: W1 (2 hidden, 2 inputs) in PyTorch's (out, in) layout, b1 "
                           "(2,), w2 (2,), b2 a number")
    h = neurons.step(_XOR_X @ W1.T + b1)
    out = neurons.step(h @ w2 + b2)
    truth = {"XOR": np.array([0, 1, 1, 0]), "AND": np.array([0, 0, 0, 1]),
             "OR": np.array([0, 1, 1, 1]), "NAND": np.array([1, 1, 1, 0])}
    if np.array_equal(out, truth["XOR"]):
        return
    for name in ("AND", "OR", "NAND"):
        if np.array_equal(out, truth[name]):
            raise GradingError(f"the network computes {name}, not XOR: XOR is OR and not AND, so "
                               f"the output unit should fire for the OR unit minus the AND unit")
    raise GradingError("the network does not compute XOR on the four inputs (units fire when "
                       "their sum is >= 0 with step(0) = 1)")


EXERCISES["xor_network"] = Exercise("XOR with two layers", {"values": _xor_values})
