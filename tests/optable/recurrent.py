"""Op-table rows for dlcore.recurrent (checked by tests/test_op_table.py).

Steps against torch's cell functions (``torch.rnn_tanh_cell``, ``torch.lstm_cell``,
``torch.gru_cell``), short sequences against torch's fused sequence functions (``torch.lstm``
etc., what ``torch.nn.LSTM`` calls).  ``torch_module_grads`` is the ``torch.nn`` reference that
the recurrent test files share.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from dlcore import recurrent as rec
from tests.optable import OpRow

GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def make_weights(rng, cell, D, H, *, bias=True, b_hh=True, scale=0.5):
    """w_ih (G*H, D), w_hh (G*H, H), b_ih, b_hh (G*H,) or None, float64."""
    G = GATES[cell]
    w_ih = scale * rng.standard_normal((G * H, D))
    w_hh = scale * rng.standard_normal((G * H, H))
    b_ih = scale * rng.standard_normal(G * H) if bias else None
    b_hh = scale * rng.standard_normal(G * H) if bias and b_hh else None
    return w_ih, w_hh, b_ih, b_hh


def _zeros_for_none(ref, *biases):
    import torch

    return [torch.zeros(ref.shape[0], dtype=ref.dtype) if b is None else b for b in biases]


# -- torch references -------------------------------------------------------------------------
def _torch_rnn_step(x, h, w_ih, w_hh, b_ih, b_hh, nonlinearity="tanh"):
    import torch

    fn = torch.rnn_tanh_cell if nonlinearity == "tanh" else torch.rnn_relu_cell
    return fn(x, h, w_ih, w_hh, b_ih, b_hh)


def _torch_lstm_step(x, h, c, w_ih, w_hh, b_ih, b_hh):
    import torch

    return torch.lstm_cell(x, (h, c), w_ih, w_hh, b_ih, b_hh)


def _torch_gru_step(x, h, w_ih, w_hh, b_ih, b_hh):
    import torch

    return torch.gru_cell(x, h, w_ih, w_hh, b_ih, b_hh)


def _params(w_ih, w_hh, b_ih, b_hh):
    if b_ih is None and b_hh is None:
        return [w_ih, w_hh], False
    return [w_ih, w_hh, *_zeros_for_none(w_ih, b_ih, b_hh)], True


def _torch_seq(cell, x, h0, *rest, nonlinearity="tanh"):
    """torch's own sequence kernels (batch first); returns the output (N, T, H)."""
    import torch

    c0 = None
    if cell == "lstm":
        c0, *rest = rest
    w_ih, w_hh, b_ih, b_hh = rest
    N, H = x.shape[0], w_hh.shape[1]

    def state(s):
        return torch.zeros(1, N, H, dtype=x.dtype) if s is None else s[None]

    params, has_b = _params(w_ih, w_hh, b_ih, b_hh)
    flags = (has_b, 1, 0.0, True, False, True)  # biases, layers, dropout, train, bidir, batch1st
    if cell == "lstm":
        return torch.lstm(x, (state(h0), state(c0)), params, *flags)[0]
    if cell == "gru":
        return torch.gru(x, state(h0), params, *flags)[0]
    fn = torch.rnn_tanh if nonlinearity == "tanh" else torch.rnn_relu
    return fn(x, state(h0), params, *flags)[0]


def torch_module_grads(cell, x, h0, c0, w_ih, w_hh, b_ih, b_hh, dhs, nonlinearity="tanh"):
    """``torch.nn.RNN/LSTM/GRU(batch_first=True)`` in float64 with the weights copied in.

    Returns ``(hs, grads)``, grads a dict with keys dx, dh0, dc0, dw_ih, dw_hh, db_ih, db_hh
    (None where the argument was None), after backpropagating ``dhs`` from the output.
    """
    import torch

    D, H = x.shape[2], w_hh.shape[1]
    bias = b_ih is not None or b_hh is not None
    kw = {"nonlinearity": nonlinearity} if cell == "rnn" else {}
    mod = getattr(torch.nn, cell.upper())(D, H, bias=bias, batch_first=True, **kw).double()
    with torch.no_grad():
        mod.weight_ih_l0.copy_(torch.from_numpy(w_ih))
        mod.weight_hh_l0.copy_(torch.from_numpy(w_hh))
        if bias:
            mod.bias_ih_l0.copy_(torch.from_numpy(np.zeros(len(w_ih)) if b_ih is None else b_ih))
            mod.bias_hh_l0.copy_(torch.from_numpy(np.zeros(len(w_ih)) if b_hh is None else b_hh))
    xt = torch.tensor(x, requires_grad=True)
    ht = None if h0 is None else torch.tensor(h0[None], requires_grad=True)
    ct = None if c0 is None else torch.tensor(c0[None], requires_grad=True)
    if cell == "lstm":
        zeros = torch.zeros(1, x.shape[0], H, dtype=torch.float64)
        out, _ = mod(xt, (zeros if ht is None else ht, zeros if ct is None else ct))
    else:
        out, _ = mod(xt, ht)
    out.backward(torch.tensor(dhs))

    grads = {"dx": xt.grad.numpy(), "dh0": None if ht is None else ht.grad.numpy()[0],
             "dc0": None if ct is None else ct.grad.numpy()[0],
             "dw_ih": mod.weight_ih_l0.grad.numpy(), "dw_hh": mod.weight_hh_l0.grad.numpy(),
             "db_ih": None if b_ih is None else mod.bias_ih_l0.grad.numpy(),
             "db_hh": None if b_hh is None else mod.bias_hh_l0.grad.numpy()}
    return out.detach().numpy(), grads


# -- argument makers ----------------------------------------------------------------------------
def _make_step(rng, cell, *, N=3, D=4, H=5, bias=True, b_hh=True, nonlinearity=None):
    x = rng.standard_normal((N, D))
    h = rng.standard_normal((N, H))
    states = (h, rng.standard_normal((N, H))) if cell == "lstm" else (h,)
    w = make_weights(rng, cell, D, H, bias=bias, b_hh=b_hh)
    kwargs = {} if nonlinearity is None else {"nonlinearity": nonlinearity}
    return (x, *states, *w), kwargs


def _make_seq(rng, cell, *, N=2, T=3, D=3, H=4, bias=True, b_hh=True, h0=True,
              nonlinearity=None):
    x = rng.standard_normal((N, T, D))
    states = [rng.standard_normal((N, H)) if h0 else None]
    if cell == "lstm":
        states.append(rng.standard_normal((N, H)) if h0 else None)
    w = make_weights(rng, cell, D, H, bias=bias, b_hh=b_hh)
    kwargs = {} if nonlinearity is None else {"nonlinearity": nonlinearity}
    return (x, *states, *w), kwargs


NAMES = {"rnn": ("x", "h", "w_ih", "w_hh", "b_ih", "b_hh"),
         "gru": ("x", "h", "w_ih", "w_hh", "b_ih", "b_hh"),
         "lstm": ("x", "h", "c", "w_ih", "w_hh", "b_ih", "b_hh")}
STEP = {"rnn": (rec.rnn_step_forward, rec.rnn_step_backward, _torch_rnn_step),
        "lstm": (rec.lstm_step_forward, rec.lstm_step_backward, _torch_lstm_step),
        "gru": (rec.gru_step_forward, rec.gru_step_backward, _torch_gru_step)}
SEQ = {"rnn": (rec.rnn_forward, rec.rnn_backward),
       "lstm": (rec.lstm_forward, rec.lstm_backward),
       "gru": (rec.gru_forward, rec.gru_backward)}
LEC = {"rnn": ("lec13",), "lstm": ("lec14",), "gru": ("lec14",)}


def _step_row(cell, suffix="", **kw):
    fwd, bwd, ref = STEP[cell]
    return OpRow(f"{cell}_step{suffix}", fwd, bwd, partial(_make_step, cell=cell, **kw), ref,
                 names=NAMES[cell], marks=LEC[cell])


def _seq_row(cell, suffix="", **kw):
    fwd, bwd = SEQ[cell]
    return OpRow(f"{cell}_sequence{suffix}", fwd, bwd, partial(_make_seq, cell=cell, **kw),
                 partial(_torch_seq, cell), names=NAMES[cell], marks=LEC[cell])


ROWS = [
    _step_row("rnn"),
    _step_row("rnn", "_relu", nonlinearity="relu"),
    _step_row("rnn", "_single_bias", b_hh=False),
    _step_row("rnn", "_no_bias", bias=False),
    _step_row("rnn", "_n1", N=1),
    _step_row("lstm"),
    _step_row("lstm", "_no_bias", bias=False),
    _step_row("lstm", "_single_bias", b_hh=False),
    _step_row("gru"),
    _step_row("gru", "_no_bias", bias=False),
    _step_row("gru", "_single_bias", b_hh=False),
    _seq_row("rnn"),
    _seq_row("rnn", "_relu", nonlinearity="relu"),
    _seq_row("rnn", "_no_h0_no_bias", h0=False, bias=False),
    _seq_row("lstm"),
    _seq_row("lstm", "_no_h0_single_bias", h0=False, b_hh=False),
    _seq_row("lstm", "_n1", N=1, T=4),
    _seq_row("gru"),
    _seq_row("gru", "_no_h0_no_bias", h0=False, bias=False),
    _seq_row("gru", "_single_bias", b_hh=False),
]
