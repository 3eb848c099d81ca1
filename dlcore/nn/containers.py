"""``Sequential``, ``MLP`` and the sigmoid-tower construction of lecture 5.

Shapes: N batch, D in-features, M out-features.  A ``Sequential`` names its children "0",
"1", ... like ``torch.nn.Sequential``; an ``MLP(sizes)`` is laid out exactly like
``torch.nn.Sequential(Linear, act, Linear, act, ..., Linear)``, so its ``state_dict`` keys are
``0.weight, 0.bias, 2.weight, ...`` and load into that torch module and back.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from .. import activations as A
from .._checks import as_array, check_choice, check_int, check_positive
from .._random import get_rng
from .activations import LeakyReLU, ReLU, Sigmoid, Tanh
from .layers import Identity, Linear
from .module import Module

__all__ = ["Sequential", "MLP", "ACTIVATIONS", "tower_weights", "sigmoid_tower", "tower_mlp",
           "tower_units", "tower_sum_weights", "tower_sum_errors"]

ACTIVATIONS = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh, "leaky_relu": LeakyReLU,
               "identity": Identity}


class Sequential(Module):
    """Chain of modules: ``out = m_{L-1}(... m_1(m_0(x)))``; backward runs in reverse order.

    ``Sequential(m0, m1, ...)`` names the children "0", "1", ...; ``Sequential(OrderedDict)``
    keeps the given names.  Supports ``len``, iteration, ``seq[i]`` (negative too) and
    ``seq[i:j]`` (a Sequential that keeps the original names, as torch).
    """

    def __init__(self, *modules):
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            items = list(modules[0].items())
        else:
            items = [(str(i), m) for i, m in enumerate(modules)]
        for name, m in items:
            self._add(str(name), m)

    def _add(self, name: str, module) -> None:
        if not isinstance(module, Module):
            raise TypeError(f"{type(self).__name__}: child {name!r} must be a dlcore.nn.Module; "
                            f"got {type(module).__name__}")
        setattr(self, name, module)

    def append(self, module) -> Sequential:
        """Add ``module`` at the end, named ``str(len(self))``."""
        self._add(str(len(self)), module)
        return self

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __getitem__(self, idx):
        items = list(self._modules.items())
        if isinstance(idx, slice):
            return Sequential(OrderedDict(items[idx]))
        idx = check_int(idx, "index")
        if not -len(items) <= idx < len(items):
            raise IndexError(f"index {idx} is out of range for a {type(self).__name__} of "
                             f"{len(items)} modules")
        return items[idx][1]

    def forward(self, x):
        for m in self._modules.values():
            x = m(x)
        return x

    def backward(self, dout):
        for m in reversed(self._modules.values()):
            dout = m.backward(dout)
        return dout


class MLP(Sequential):
    """Multilayer perceptron ``Linear(sizes[0], sizes[1]), act, ..., Linear(sizes[-2], sizes[-1])``.

    x (N, sizes[0]) -> out (N, sizes[-1]).  ``activation`` is one of "relu", "sigmoid",
    "tanh", "leaky_relu", "identity" and sits between Linear layers (never after the last one
    unless ``output_activation`` names one).  Weights start as torch's defaults, drawn layer
    after layer from ``rng``.
    """

    def __init__(self, sizes, activation: str = "relu", output_activation: str | None = None,
                 bias: bool = True, rng=None):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
            raise TypeError(f"sizes must be a list of layer widths such as [2, 16, 2]; "
                            f"got {sizes!r}")
        sizes = [check_int(s, f"sizes[{i}]", minimum=1) for i, s in enumerate(sizes)]
        if len(sizes) < 2:
            raise ValueError(f"sizes must list at least an input and an output width, e.g. "
                             f"[2, 16, 2]; got {sizes}")
        check_choice(activation, "activation", tuple(ACTIVATIONS))
        if output_activation is not None:
            check_choice(output_activation, "output_activation", tuple(ACTIVATIONS))
        rng = get_rng(rng)
        modules = []
        for i, (d, m) in enumerate(zip(sizes[:-1], sizes[1:])):
            if i > 0:
                modules.append(ACTIVATIONS[activation]())
            modules.append(Linear(d, m, bias=bias, rng=rng))
        if output_activation is not None:
            modules.append(ACTIVATIONS[output_activation]())
        super().__init__(*modules)
        self.sizes = tuple(sizes)
        self.activation = activation
        self.output_activation = output_activation


def _pair(value, name: str, scalar_ok: bool) -> tuple[float, float]:
    arr = as_array(value, name, ndim=(0, 1) if scalar_ok else 1)
    if arr.ndim == 0:
        arr = np.repeat(arr, 2)
    if arr.shape != (2,):
        what = "a number or a pair" if scalar_ok else "a pair"
        raise ValueError(f"{name} must be {what} ({name}1, {name}2); got shape "
                         f"{tuple(arr.shape)}")
    return float(arr[0]), float(arr[1])


def tower_weights(a, b, c, k, m):
    """Weights of the 1-2-1 sigmoid net ``y = b + (a-b) s(k1 (x-m1)) + (c-b) s(k2 (x-m2))``.

    ``s`` is the sigmoid; ``k`` is one steepness or a pair (k1, k2), ``m = (m1, m2)`` the two
    step positions.  Far left y = b, between the steps y = a, far right y = a + c - b (not c).
    Returns, in PyTorch layout for ``MLP([1, 2, 1], activation="sigmoid")``:
    ``w1 = [[k1], [k2]]`` (2, 1), ``b1 = [-k1 m1, -k2 m2]`` (2,), ``w2 = [[a-b, c-b]]`` (1, 2),
    ``b2 = [b]`` (1,).
    """
    a, b, c = (float(as_array(v, n, ndim=0)) for v, n in ((a, "a"), (b, "b"), (c, "c")))
    k1, k2 = _pair(k, "k", scalar_ok=True)
    m1, m2 = _pair(m, "m", scalar_ok=False)
    w1 = np.array([[k1], [k2]])
    b1 = np.array([-k1 * m1, -k2 * m2])
    w2 = np.array([[a - b, c - b]])
    b2 = np.array([b])
    return w1, b1, w2, b2


def sigmoid_tower(x, m1, m2, k):
    """A tower ``s(k (x - m1)) - s(k (x - m2))``, close to 1 on [m1, m2] and 0 outside for large k.

    ``x`` any shape; the result has the shape of ``x``.
    """
    x = as_array(x, "x")
    m1, m2, k = (float(as_array(v, n, ndim=0)) for v, n in ((m1, "m1"), (m2, "m2"), (k, "k")))
    left, _ = A.sigmoid_forward(k * (x - m1))
    right, _ = A.sigmoid_forward(k * (x - m2))
    return left - right


def tower_mlp(w1, b1, w2, b2):
    """An ``MLP([1, H, 1], activation="sigmoid")`` holding the given weights.

    w1 (H, 1), b1 (H,), w2 (1, H), b2 (1,).
    """
    w1 = as_array(w1, "w1", ndim=2, spec="(H, 1)")
    net = MLP([1, w1.shape[0], 1], activation="sigmoid", rng=0)
    net.load_state_dict({"0.weight": w1, "0.bias": b1, "2.weight": w2, "2.bias": b2})
    return net


def tower_units(w1, b1, w2, b2, x):
    """Each hidden unit's share of the output of ``tower_mlp(w1, b1, w2, b2)`` on x (N,).

    Returns u (N, H) with ``u[:, j] = w2[0, j] s(w1[j, 0] x + b1[j])``; the net's output is
    ``b2 + u.sum(axis=1)``.
    """
    net = tower_mlp(w1, b1, w2, b2)
    x = as_array(x, "x", ndim=1, spec="(N,)")
    return net[:2](x[:, None]) * net[2].weight.data[0]


def _towers(fn, n, name: str, k, lo, hi):
    """Checked (n, k, edges (n + 1,), heights fn(midpoints) (n,)) of n towers on [lo, hi]."""
    if not callable(fn):
        raise TypeError(f"fn must be a function of x (e.g. np.sin); got {fn!r}")
    n = check_int(n, name, minimum=1)
    k = check_positive(k, "k")
    lo = float(as_array(lo, "lo", ndim=0))
    hi = float(as_array(hi, "hi", ndim=0))
    if not hi > lo:
        raise ValueError(f"the interval must have lo < hi; got lo={lo}, hi={hi}")
    edges = np.linspace(lo, hi, n + 1)
    heights = as_array(fn((edges[:-1] + edges[1:]) / 2), "fn(x)", ndim=1)
    if heights.shape != (n,):
        raise ValueError(f"fn must return one value per x (shape ({n},)); got shape "
                         f"{tuple(heights.shape)}")
    return n, k, edges, heights


def tower_sum_weights(fn, n_towers: int, k: float, lo: float, hi: float):
    """Weights of ``y(x) = sum_i f(c_i) [s(k (x - t_i)) - s(k (x - t_{i+1}))]`` on [lo, hi].

    The interval is cut into ``n_towers`` equal pieces [t_i, t_{i+1}] with midpoints c_i; each
    tower is ``tower_weights(f(c_i), 0, -f(c_i), k, (t_i, t_{i+1}))``.  ``fn`` maps an
    array to an array of the same shape.  Returns ``(w1 (2n, 1), b1 (2n,), w2 (1, 2n),
    b2 (1,))`` for ``MLP([1, 2n, 1], activation="sigmoid")``.
    """
    n, k, edges, heights = _towers(fn, n_towers, "n_towers", k, lo, hi)
    parts = [tower_weights(h, 0.0, -h, k, (edges[i], edges[i + 1]))
             for i, h in enumerate(heights)]
    w1 = np.concatenate([p[0] for p in parts])
    b1 = np.concatenate([p[1] for p in parts])
    w2 = np.concatenate([p[2] for p in parts], axis=1)
    return w1, b1, w2, np.zeros(1)


def tower_sum_errors(fn, max_towers: int, k: float, lo: float, hi: float, x):
    """max |sum of n towers - fn| over x (N,), for n = 1 .. ``max_towers``: an array (max_towers,).

    The towers are those of ``tower_sum_weights(fn, n, k, lo, hi)``; the sum is written out
    with the sigmoid, one numpy pass per n, instead of building ``max_towers`` networks.
    """
    max_towers, k, _, _ = _towers(fn, max_towers, "max_towers", k, lo, hi)
    x = as_array(x, "x", ndim=1, spec="(N,)")
    target = as_array(fn(x), "fn(x)", ndim=1)
    out = np.empty(max_towers)
    for n in range(1, max_towers + 1):
        _, _, t, h = _towers(fn, n, "n", k, lo, hi)
        s = 0.5 * (1.0 + np.tanh(0.5 * k * (x[:, None] - t[None, :])))  # sigmoid, no overflow
        out[n - 1] = np.max(np.abs((s[:, :-1] - s[:, 1:]) @ h - target))
    return out
