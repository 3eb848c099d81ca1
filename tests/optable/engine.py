"""Op-table rows for dlcore.engine.Value: each operation applied elementwise, one Value per entry.

The forward adapter turns float64 arrays of shape (4,) into Values, applies the operation and
returns the results as an array; the backward adapter builds ``sum(out_i * dout_i)`` as a Value,
runs ``backward()`` on it and returns the input gradients as arrays.
"""

from __future__ import annotations

import numpy as np

from dlcore.engine import Value
from tests.optable import OpRow

_N = 4


def _forward(op):
    def forward(*arrays):
        inputs = [[Value(float(x)) for x in a] for a in arrays]
        outs = [op(*vals) for vals in zip(*inputs)]
        return np.array([o.data for o in outs]), (inputs, outs)

    return forward


def _backward(dout, cache):
    inputs, outs = cache
    total = sum(o * float(d) for o, d in zip(outs, dout))
    total.backward()
    return tuple(np.array([v.grad for v in vals]) for vals in inputs)


def _signed(rng, low=0.3, high=2.0):
    return rng.uniform(low, high, _N) * rng.choice([-1.0, 1.0], _N)


def _positive(rng, low=0.3, high=2.0):
    return rng.uniform(low, high, _N)


def _row(name, op, torch_fn, *makers, names=None):
    def make(rng):
        return [m(rng) for m in makers], {}

    return OpRow(id=f"value_{name}", forward=_forward(op), backward=_backward, make=make,
                 torch_fn=torch_fn, names=names, marks=("lec06",))


def _torch(name):
    def fn(*tensors):
        import torch

        return getattr(torch, name)(*tensors)

    fn.__name__ = f"torch_{name}"
    return fn


ROWS = [
    _row("add", lambda a, b: a + b, lambda a, b: a + b, _signed, _signed, names=("a", "b")),
    _row("sub", lambda a, b: a - b, lambda a, b: a - b, _signed, _signed, names=("a", "b")),
    _row("mul", lambda a, b: a * b, lambda a, b: a * b, _signed, _signed, names=("a", "b")),
    _row("div", lambda a, b: a / b, lambda a, b: a / b, _signed, _signed, names=("a", "b")),
    _row("pow2", lambda a: a**2, lambda a: a**2, _signed),
    _row("pow3", lambda a: a**3, lambda a: a**3, _signed),
    _row("pow_neg1", lambda a: a**-1, lambda a: a**-1, _signed),
    _row("pow_neg2", lambda a: a ** -2.0, lambda a: a ** -2.0, _signed),
    _row("pow_half", lambda a: a**0.5, lambda a: a**0.5, _positive),
    _row("pow_neg_2_5", lambda a: a ** -2.5, lambda a: a ** -2.5, _positive),
    _row("neg", lambda a: -a, lambda a: -a, _signed),
    _row("exp", lambda a: a.exp(), _torch("exp"), _signed),
    _row("log", lambda a: a.log(), _torch("log"), _positive),
    _row("tanh", lambda a: a.tanh(), _torch("tanh"), _signed),
    _row("sigmoid", lambda a: a.sigmoid(), _torch("sigmoid"), lambda rng: _signed(rng, 0.3, 6.0)),
    _row("relu", lambda a: a.relu(), _torch("relu"), _signed),
    _row("radd", lambda a: 1.5 + a, lambda a: 1.5 + a, _signed),
    _row("rsub", lambda a: 1.5 - a, lambda a: 1.5 - a, _signed),
    _row("rmul", lambda a: -2.5 * a, lambda a: -2.5 * a, _signed),
    _row("rtruediv", lambda a: 2.5 / a, lambda a: 2.5 / a, _signed),
    _row("add_const", lambda a: a + 0.75, lambda a: a + 0.75, _signed),
    _row("sub_const", lambda a: a - 0.75, lambda a: a - 0.75, _signed),
    _row("mul_const", lambda a: a * 3.0, lambda a: a * 3.0, _signed),
    _row("div_const", lambda a: a / 4.0, lambda a: a / 4.0, _signed),
]
