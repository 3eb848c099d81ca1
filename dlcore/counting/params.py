"""Closed-form parameter counts for linear, convolutional and recurrent layers.

Shape legend: D input features, M output features, C input channels, F filters (output
channels), KH x KW kernel, H hidden size, G gates stacked in an RNN weight (1 RNN, 4 LSTM,
3 GRU).

Course convention: one bias per unit, filter or gate unit.  PyTorch's
recurrent layers keep two bias vectors per gate (``b_ih`` and ``b_hh``); ``torch_biases=True``
counts both, so the result equals ``sum(p.numel() for p in torch.nn.LSTM(...).parameters())``.
``bias=False`` counts weights only.
"""

from __future__ import annotations

from typing import NamedTuple

from .._checks import check_int

__all__ = [
    "MLPCounts",
    "conv2d_params",
    "gru_params",
    "linear_params",
    "lstm_params",
    "mlp_counts",
    "rnn_params",
]


def _check_bool(value, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False; got {value!r}")
    return value


def _pair(value, name: str, *, minimum: int) -> tuple[int, int]:
    """An int or a pair of ints (height, width), each ``>= minimum``."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair (height, width); got {value!r}")
        return (check_int(value[0], f"{name}[0]", minimum=minimum),
                check_int(value[1], f"{name}[1]", minimum=minimum))
    v = check_int(value, name, minimum=minimum)
    return (v, v)


def linear_params(n_in: int, n_out: int, bias: bool = True) -> int:
    """Parameters of a fully connected layer: (D + 1) M, or D M with ``bias=False``.

    ``n_in`` is D, ``n_out`` is M; the weight is (M, D) and the bias (M,), as in
    ``torch.nn.Linear``.
    """
    n_in = check_int(n_in, "n_in", minimum=1)
    n_out = check_int(n_out, "n_out", minimum=1)
    _check_bool(bias, "bias")
    return (n_in + int(bias)) * n_out


def conv2d_params(c_in: int, c_out: int, k, bias: bool = True, groups: int = 1) -> int:
    """Parameters of a 2-D convolution: (KH KW C/g + 1) F, or KH KW C/g F with ``bias=False``.

    ``c_in`` is C, ``c_out`` is F, ``k`` an int or (KH, KW); the weight is (F, C/g, KH, KW)
    and the bias (F,), as in ``torch.nn.Conv2d``.  Both C and F must be divisible by ``groups``.
    """
    c_in = check_int(c_in, "c_in", minimum=1)
    c_out = check_int(c_out, "c_out", minimum=1)
    kh, kw = _pair(k, "k", minimum=1)
    groups = check_int(groups, "groups", minimum=1)
    _check_bool(bias, "bias")
    if c_in % groups or c_out % groups:
        raise ValueError(f"c_in and c_out must be divisible by groups; got c_in={c_in}, "
                         f"c_out={c_out}, groups={groups}")
    return (kh * kw * (c_in // groups) + int(bias)) * c_out


def _gated_params(gates: int, n_in, n_hidden, bias, torch_biases) -> int:
    n_in = check_int(n_in, "n_in", minimum=1)
    n_hidden = check_int(n_hidden, "n_hidden", minimum=1)
    _check_bool(bias, "bias")
    _check_bool(torch_biases, "torch_biases")
    n_bias = (2 if torch_biases else 1) if bias else 0
    return gates * (n_hidden * (n_in + n_hidden) + n_bias * n_hidden)


def rnn_params(n_in: int, n_hidden: int, bias: bool = True, torch_biases: bool = False) -> int:
    """Parameters of a one-layer RNN: H (D + H) + H (w_ih (H, D), w_hh (H, H), one bias (H,)).

    ``torch_biases=True`` counts PyTorch's two bias vectors, H (D + H) + 2H, equal to
    ``torch.nn.RNN(D, H)``; ``bias=False`` gives the weights H (D + H) (``torch_biases`` is
    then irrelevant).  The output layer is not included: add ``linear_params(H, K)``.
    """
    return _gated_params(1, n_in, n_hidden, bias, torch_biases)


def lstm_params(n_in: int, n_hidden: int, bias: bool = True, torch_biases: bool = False) -> int:
    """Parameters of a one-layer LSTM: 4 (H (D + H) + H), gates (i, f, g, o) stacked.

    w_ih is (4H, D), w_hh (4H, H).  ``torch_biases=True`` gives 4 (H (D + H) + 2H), equal to
    ``torch.nn.LSTM(D, H)``; ``bias=False`` gives 4 H (D + H).
    """
    return _gated_params(4, n_in, n_hidden, bias, torch_biases)


def gru_params(n_in: int, n_hidden: int, bias: bool = True, torch_biases: bool = False) -> int:
    """Parameters of a one-layer GRU: 3 (H (D + H) + H), gates (r, z, n) stacked.

    w_ih is (3H, D), w_hh (3H, H).  ``torch_biases=True`` gives 3 (H (D + H) + 2H), equal to
    ``torch.nn.GRU(D, H)``; ``bias=False`` gives 3 H (D + H).  (PyTorch's n gate really uses
    both of its biases, b_in outside and b_hn inside the reset product.)
    """
    return _gated_params(3, n_in, n_hidden, bias, torch_biases)


class MLPCounts(NamedTuple):
    """Counts for a fully connected network; ``neurons`` excludes the input units."""

    neurons: int
    weights: int
    biases: int
    parameters: int


def mlp_counts(sizes) -> MLPCounts:
    """Neurons sum_l n_l, weights sum_l n_{l-1} n_l and parameters sum_l (n_{l-1} + 1) n_l.

    ``sizes`` lists the layer widths [n_0, n_1, ..., n_L] (n_0 = input features); each layer
    l >= 1 has one bias per neuron.  A 3-4-2 net has 6 neurons, 20 weights, 26 parameters.
    """
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"sizes must be a sequence of layer widths [n0, n1, ..., nL]; "
                        f"got {sizes!r}")
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least two widths (input and output); "
                         f"got {list(sizes)!r}")
    widths = [check_int(n, f"sizes[{i}]", minimum=1) for i, n in enumerate(sizes)]
    neurons = sum(widths[1:])
    weights = sum(linear_params(a, b, bias=False) for a, b in zip(widths[:-1], widths[1:]))
    return MLPCounts(neurons=neurons, weights=weights, biases=neurons,
                     parameters=weights + neurons)
