"""Recurrent modules (``RNN``, ``LSTM``, ``GRU``) and the ``LastStep`` adapter.

Shapes: N batch, T time steps, D input features (``input_size``), H hidden size
(``hidden_size``), G gates stacked in the weight rows (1 RNN, 4 LSTM in the order i, f, g, o,
3 GRU in the order r, z, n).  x (N, T, D), output (N, T, H), h0 and h_n (1, N, H) (torch's
(num_layers, N, H) with one layer).

Each module is one layer of the matching ``torch.nn`` class with ``batch_first=True`` (the
course's layout; torch's default is False), built on the pairs of ``dlcore.recurrent``.  The
parameters are torch's ``weight_ih_l0`` (G*H, D), ``weight_hh_l0`` (G*H, H), ``bias_ih_l0`` and
``bias_hh_l0`` (G*H,), all drawn from torch's default ``U(-1/sqrt(H), 1/sqrt(H))`` in that
order, so ``state_dict`` loads into the torch module and back.

Design.  ``forward(x, h0=None)`` returns ``(output, h_n)`` as torch (LSTM: ``forward(x,
state=None)`` returns ``(output, (h_n, c_n))``), and ``backward(dout, dh_n=None)`` takes the
gradient on ``output`` first and, optionally, on ``h_n``; it returns dx, adds into every
``.grad`` and leaves the gradient on h0 in ``self.dh0`` (LSTM: also ``self.dc0``; None when no
initial state was given).  ``Sequential`` and ``fit`` pass one array between modules, so a
recurrent module is followed by an adapter that turns the tuple into an array: ``LastStep()``
keeps ``output[:, -1, :]`` (the many-to-one read-out; it equals ``h_n[0]``) and its backward
returns the gradient on ``output``, zero except at the last step, which is the first argument
of the recurrent module's backward.  Thus ``Sequential(LSTM(1, 32), LastStep(), Linear(32,
10))`` maps x (N, T, 1) to scores (N, 10) and trains with ``fit``.
"""

from __future__ import annotations

import numpy as np

from .. import recurrent as R
from .._checks import as_array, check_choice, check_int, shape_str
from .._random import get_rng
from .layers import _remember, _saved
from .module import Module, Parameter

__all__ = ["RNN", "LSTM", "GRU", "LastStep"]


class _Recurrent(Module):
    """Shared code: parameters, initialisation and the checks of x, h0 and the gradients."""

    _gates = 1

    def __init__(self, input_size: int, hidden_size: int, bias: bool, batch_first: bool,
                 num_layers: int, rng):
        super().__init__()
        name = type(self).__name__
        self.input_size = check_int(input_size, "input_size", minimum=1)
        self.hidden_size = check_int(hidden_size, "hidden_size", minimum=1)
        if batch_first is not True:
            raise ValueError(f"{name} supports batch_first=True only (x of shape (N, T, D)); "
                             f"got batch_first={batch_first!r}; transpose a time-major x with "
                             f"x.transpose(1, 0, 2)")
        if check_int(num_layers, "num_layers") != 1:
            raise ValueError(f"{name} has a single layer (num_layers=1); got "
                             f"num_layers={num_layers}; stack layers in a Sequential instead")
        self.batch_first = True
        gh = self._gates * self.hidden_size
        self.weight_ih_l0 = Parameter(np.zeros((gh, self.input_size)), "weight_ih_l0")
        self.weight_hh_l0 = Parameter(np.zeros((gh, self.hidden_size)), "weight_hh_l0")
        self.bias_ih_l0 = Parameter(np.zeros(gh), "bias_ih_l0") if bias else None
        self.bias_hh_l0 = Parameter(np.zeros(gh), "bias_hh_l0") if bias else None
        rng = get_rng(rng)
        bound = 1.0 / np.sqrt(self.hidden_size)
        for p in self.parameters():  # torch's order: weight_ih, weight_hh, bias_ih, bias_hh
            p.data[...] = rng.uniform(-bound, bound, size=p.shape)

    @property
    def bias(self) -> bool:
        return self.bias_ih_l0 is not None

    def _params(self):
        """(w_ih, w_hh, b_ih, b_hh) arrays for the op functions (biases None without bias)."""
        return (self.weight_ih_l0.data, self.weight_hh_l0.data,
                None if self.bias_ih_l0 is None else self.bias_ih_l0.data,
                None if self.bias_hh_l0 is None else self.bias_hh_l0.data)

    def _add_grads(self, dw_ih, dw_hh, db_ih, db_hh) -> None:
        self.weight_ih_l0.grad += dw_ih
        self.weight_hh_l0.grad += dw_hh
        if self.bias_ih_l0 is not None:
            self.bias_ih_l0.grad += db_ih
            self.bias_hh_l0.grad += db_hh

    def _check_x(self, x) -> np.ndarray:
        name, d = type(self).__name__, self.input_size
        spec = f"(N, T, {d})"
        x = as_array(x, "x", spec=spec)
        if x.ndim != 3:
            hint = "; put one sequence in a batch with x[None]" if x.ndim == 2 else ""
            raise ValueError(f"{name}: x must be a 3-D array of shape {spec} (batch first); "
                             f"got {x.ndim}-D array of shape {shape_str(x.shape)}{hint}")
        if x.shape[2] != d:
            raise ValueError(f"{name}(input_size={d}): x must have shape {spec}; got shape "
                             f"{shape_str(x.shape)}")
        if x.shape[0] == 0 or x.shape[1] == 0:
            raise ValueError(f"{name}: x must hold at least one sequence of at least one step, "
                             f"shape {spec} with N, T >= 1; got shape {shape_str(x.shape)}")
        return x

    def _check_state(self, h, name: str, n: int):
        """An initial state (1, N, H) -> (N, H) for the op functions; None stays None."""
        if h is None:
            return None
        spec = f"(1, N, H) = (1, {n}, {self.hidden_size})"
        h = as_array(h, name, spec=spec)
        if h.shape != (1, n, self.hidden_size):
            raise ValueError(f"{type(self).__name__}: {name} must have shape (num_layers, N, H) "
                             f"{spec}; got shape {shape_str(h.shape)}")
        return h[0]

    def _upstream(self, dout, shape):
        """The gradient on output (N, T, H) as a fresh array (None means zeros)."""
        if dout is None:
            return np.zeros(shape)
        dout = as_array(dout, "dout", spec="(N, T, H)")
        if dout.shape != shape:
            raise ValueError(f"{type(self).__name__}.backward: dout must have the shape of "
                             f"the output (N, T, H) = {shape_str(shape)}; got shape "
                             f"{shape_str(dout.shape)}")
        return np.array(dout, dtype=np.float64)

    def _final(self, d, name: str, shape):
        """A gradient on h_n or c_n, (1, N, H), -> (N, H); None stays None."""
        if d is None:
            return None
        n, h = shape[0], shape[2]
        d = as_array(d, name, spec="(1, N, H)")
        if d.shape != (1, n, h):
            raise ValueError(f"{type(self).__name__}.backward: {name} must have the shape of "
                             f"{name[1:]}, (1, N, H) = (1, {n}, {h}); got shape "
                             f"{shape_str(d.shape)}")
        return d[0]

    def _step_gradients(self, dout, dh_n):
        """The saved cache, the output shape and the gradient on every h_t, (N, T, H): dout
        plus dh_n on the last step."""
        cache, shape = _saved(self)
        dhs = self._upstream(dout, shape)
        dh_last = self._final(dh_n, "dh_n", shape)
        if dh_last is not None:
            dhs[:, -1] += dh_last
        return cache, shape, dhs

    def _keep_gradients(self, dh0, grads) -> None:
        """Add the weight gradients into ``.grad`` and keep ``dh0`` (1, N, H)."""
        self._add_grads(*grads)
        object.__setattr__(self, "dh0", _first_axis(dh0))

    def extra_repr(self) -> str:
        out = f"{self.input_size}, {self.hidden_size}"
        if not self.bias:
            out += ", bias=False"
        return out + ", batch_first=True"


def _first_axis(h):
    return None if h is None else h[None]


class RNN(_Recurrent):
    """Elman RNN ``h_t = phi(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)``, phi tanh or relu.

    As ``torch.nn.RNN(input_size, hidden_size, nonlinearity=..., bias=..., batch_first=True)``.
    x (N, T, D), h0 (1, N, H) or None for zeros -> (output (N, T, H), h_n (1, N, H)).
    ``weight_ih_l0`` (H, D), ``weight_hh_l0`` (H, H), ``bias_ih_l0``, ``bias_hh_l0`` (H,).
    """

    _gates = 1

    def __init__(self, input_size: int, hidden_size: int, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = True, rng=None, *, num_layers: int = 1):
        nonlinearity = check_choice(nonlinearity, "nonlinearity", ("tanh", "relu"))
        super().__init__(input_size, hidden_size, bias, batch_first, num_layers, rng)
        self.nonlinearity = nonlinearity

    def forward(self, x, h0=None):
        """x (N, T, D), h0 (1, N, H) or None -> (output (N, T, H), h_n (1, N, H))."""
        x = self._check_x(x)
        h0 = self._check_state(h0, "h0", x.shape[0])
        out, cache = R.rnn_forward(x, h0, *self._params(), nonlinearity=self.nonlinearity)
        _remember(self, (cache, out.shape))
        return out, out[:, -1][None].copy()

    def backward(self, dout, dh_n=None):
        """dout (N, T, H) on output, dh_n (1, N, H) or None on h_n -> dx (N, T, D).

        BPTT: ``dh_t = dout_t + da_{t+1} W_hh`` (dh_n adds to the last step),
        ``da_t = dh_t phi'(a_t)``, ``dW_hh += sum_t da_t^T h_{t-1}``; sets ``self.dh0``.
        """
        cache, _, dhs = self._step_gradients(dout, dh_n)
        dx, dh0, *grads = R.rnn_backward(dhs, cache)
        self._keep_gradients(dh0, grads)
        return dx

    def extra_repr(self) -> str:
        base = super().extra_repr()
        return base if self.nonlinearity == "tanh" else f"{base}, nonlinearity='relu'"


class LSTM(_Recurrent):
    """LSTM ``c_t = f * c_{t-1} + i * g``, ``h_t = o * tanh(c_t)``, gates in torch's order.

    ``[i, f, g, o] = [sigma, sigma, tanh, sigma](x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)``,
    as ``torch.nn.LSTM(input_size, hidden_size, bias=..., batch_first=True)``.  x (N, T, D),
    state ``(h0, c0)`` with each (1, N, H), or None for zeros -> (output (N, T, H),
    (h_n, c_n) each (1, N, H)).  ``weight_ih_l0`` (4H, D), ``weight_hh_l0`` (4H, H), biases
    (4H,).
    """

    _gates = 4

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 batch_first: bool = True, rng=None, *, num_layers: int = 1):
        super().__init__(input_size, hidden_size, bias, batch_first, num_layers, rng)

    def forward(self, x, state=None):
        """x (N, T, D), state (h0, c0) or None -> (output (N, T, H), (h_n, c_n))."""
        x = self._check_x(x)
        h0 = c0 = None
        if state is not None:
            if not isinstance(state, (tuple, list)) or len(state) != 2:
                raise TypeError(f"LSTM: state must be a pair (h0, c0) of arrays of shape "
                                f"(1, N, H) = (1, {x.shape[0]}, {self.hidden_size}), or None; "
                                f"got {type(state).__name__}")
            h0 = self._check_state(state[0], "h0", x.shape[0])
            c0 = self._check_state(state[1], "c0", x.shape[0])
        out, cache = R.lstm_forward(x, h0, c0, *self._params())
        _remember(self, (cache, out.shape))
        c_n = R.lstm_gates(cache)["c"][:, -1]
        return out, (out[:, -1][None].copy(), c_n[None])

    def backward(self, dout, dh_n=None, dc_n=None):
        """dout (N, T, H) on output, dh_n and dc_n (1, N, H) or None -> dx (N, T, D).

        BPTT through the hidden and the cell path (``dc_{t-1} = dc_t * f_t + ...``); sets
        ``self.dh0`` and ``self.dc0``.
        """
        cache, shape, dhs = self._step_gradients(dout, dh_n)
        dx, dh0, dc0, *grads = R.lstm_backward(dhs, cache, dc_n=self._final(dc_n, "dc_n", shape))
        self._keep_gradients(dh0, grads)
        object.__setattr__(self, "dc0", _first_axis(dc0))
        return dx


class GRU(_Recurrent):
    """GRU in torch's form ``h_t = (1 - z) * n + z * h_{t-1}``, gates in the order (r, z, n).

    ``n = tanh(x_t W_in^T + b_in + r * (h_{t-1} W_hn^T + b_hn))``, as ``torch.nn.GRU(input_size,
    hidden_size, bias=..., batch_first=True)``.  x (N, T, D), h0 (1, N, H) or None ->
    (output (N, T, H), h_n (1, N, H)).  ``weight_ih_l0`` (3H, D), ``weight_hh_l0`` (3H, H),
    biases (3H,).
    """

    _gates = 3

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 batch_first: bool = True, rng=None, *, num_layers: int = 1):
        super().__init__(input_size, hidden_size, bias, batch_first, num_layers, rng)

    def forward(self, x, h0=None):
        """x (N, T, D), h0 (1, N, H) or None -> (output (N, T, H), h_n (1, N, H))."""
        x = self._check_x(x)
        h0 = self._check_state(h0, "h0", x.shape[0])
        out, cache = R.gru_forward(x, h0, *self._params())
        _remember(self, (cache, out.shape))
        return out, out[:, -1][None].copy()

    def backward(self, dout, dh_n=None):
        """dout (N, T, H) on output, dh_n (1, N, H) or None on h_n -> dx (N, T, D).

        BPTT: ``dh_{t-1} = dh_t z_t + dgh_t W_hh`` plus the step's own gradient; sets
        ``self.dh0``.
        """
        cache, _, dhs = self._step_gradients(dout, dh_n)
        dx, dh0, *grads = R.gru_backward(dhs, cache)
        self._keep_gradients(dh0, grads)
        return dx


class LastStep(Module):
    """The last time step ``out = output[:, -1, :]`` of a sequence: many-to-one read-out.

    Takes a recurrent module's ``(output, h_n)`` tuple (LSTM: ``(output, (h_n, c_n))``) or an
    output array (N, T, H); returns (N, H).  ``backward(dout)`` with dout (N, H) returns the
    gradient on ``output`` (N, T, H): zero except ``[:, -1, :] = dout``, the ``dout`` that the
    recurrent module's ``backward`` expects.
    """

    def forward(self, x):
        if isinstance(x, tuple):
            x = x[0]
        x = as_array(x, "output", spec="(N, T, H)")
        if x.ndim != 3:
            raise ValueError(f"LastStep: the sequence output must be a 3-D array (N, T, H) "
                             f"(or a recurrent module's (output, h_n) tuple); got {x.ndim}-D "
                             f"array of shape {shape_str(x.shape)}")
        if x.shape[1] == 0:
            raise ValueError(f"LastStep: the sequence output must have at least one time step; "
                             f"got shape {shape_str(x.shape)}")
        _remember(self, x.shape)
        return x[:, -1, :].copy()

    def backward(self, dout):
        """dout (N, H) -> doutput (N, T, H), zero except at the last step."""
        n, t, h = _saved(self)
        dout = as_array(dout, "dout", spec="(N, H)")
        if dout.shape != (n, h):
            raise ValueError(f"LastStep.backward: dout must have shape (N, H) = ({n}, {h}); "
                             f"got shape {shape_str(dout.shape)}")
        dseq = np.zeros((n, t, h), dtype=dout.dtype)
        dseq[:, -1, :] = dout
        return dseq
