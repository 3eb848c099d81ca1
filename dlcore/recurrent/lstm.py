"""The LSTM: one step, a whole sequence, backprop through time, and the gate values.

Shapes: N batch, T time steps, D input features, H hidden size.  x (N, T, D), x_t (N, D),
states h and c (N, H), hs (N, T, H); weights as ``torch.nn.LSTM``, the four gates stacked in
the rows in the order (i, f, g, o): w_ih (4H, D), w_hh (4H, H), b_ih (4H,), b_hh (4H,), either
bias may be None.

    [a_i, a_f, a_g, a_o] = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh
    i = sigma(a_i),  f = sigma(a_f),  g = tanh(a_g),  o = sigma(a_o)
    c_t = f * c_{t-1} + i * g,        h_t = o * tanh(c_t)

The slides write the gates in the order (i, f, o, g) and multiply a column vector,
``W [h_{t-1}; x_t]`` with W (4H, H + D): that W is ``[w_hh, w_ih]`` side by side with its row
blocks reordered.  Here the order is PyTorch's (i, f, g, o), so that weights load into
``torch.nn.LSTM`` unchanged.  With the lecture's single bias, ``b_ih = b`` and ``b_hh = None``.
The cell path is why the LSTM keeps gradients alive: ``dc_{t-1} = dc_t * f`` is an elementwise
product with the forget gate, not a product with a weight matrix.
"""

from __future__ import annotations

import numpy as np

from ._common import (
    bias_sum,
    cast,
    check_cache,
    check_input,
    check_state,
    check_upstream,
    check_weights,
    common_dtype,
)

__all__ = ["lstm_step_forward", "lstm_step_backward", "lstm_forward", "lstm_backward",
           "lstm_gates"]


def _prepare(where, x, h, c, w_ih, w_hh, b_ih, b_hh, *, seq):
    w_ih, w_hh, b_ih, b_hh, H, D = check_weights(where, w_ih, w_hh, b_ih, b_hh, 4)
    x = check_input(where, x, D, seq=seq)
    names = ("h0", "c0") if seq else ("h_prev", "c_prev")
    h = check_state(where, h, names[0], x.shape[0], H, optional=seq)
    c = check_state(where, c, names[1], x.shape[0], H, optional=seq)
    dtype = common_dtype(x, h, c, w_ih, w_hh, b_ih, b_hh)
    return cast(dtype, x, h, c, w_ih, w_hh, b_ih, b_hh)


def _gate_consts(H: int, dtype):
    """Per-column constants that evaluate all four gates with one tanh call.

    sigma(a) = 0.5 + 0.5 tanh(a / 2), so ``gates = tanh(a * scale) * scale + shift`` with
    scale 0.5 (1 for the g block) and shift 0.5 (0 for g).  ``g_one`` is 1 on the g block:
    the local derivative of every gate is then ``(1 - gate) * (gate + g_one)``, which is
    s (1 - s) for a sigmoid and 1 - g^2 for the tanh.
    """
    scale = np.full(4 * H, 0.5, dtype=dtype)
    scale[2 * H:3 * H] = 1.0
    shift = 1.0 - scale
    g_one = (scale == 1.0).astype(dtype)
    return scale, shift, g_one


def _cell(a, c_prev, scale, shift, c, tanh_c, h):
    """Turn pre-activations a (N, 4H) into gate values in place; write c, tanh(c) and h."""
    H = c_prev.shape[1]
    a *= scale
    np.tanh(a, out=a)
    a *= scale
    a += shift
    i, f, g, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
    np.multiply(f, c_prev, out=c)
    c += i * g
    np.tanh(c, out=tanh_c)
    np.multiply(o, tanh_c, out=h)


def _cell_backward(dh, dc, gates, g_one, c_prev, tanh_c, da):
    """Write the pre-activation gradient into da (N, 4H); return dc_prev.

    ``dc`` is the gradient reaching c_t from later steps (and the loss); ``g_one`` is the
    constant from ``_gate_consts`` that gives every gate's local derivative in one expression.
    """
    H = c_prev.shape[1]
    local = 1.0 - gates
    local *= gates + g_one
    i, f, g, o = gates[:, :H], gates[:, H:2 * H], gates[:, 2 * H:3 * H], gates[:, 3 * H:]
    dc = dc + dh * o * (1.0 - tanh_c * tanh_c)
    np.multiply(dc, g, out=da[:, :H])
    np.multiply(dc, c_prev, out=da[:, H:2 * H])
    np.multiply(dc, i, out=da[:, 2 * H:3 * H])
    np.multiply(dh, tanh_c, out=da[:, 3 * H:])
    da *= local
    return dc * f


def _bias_grads(db, b_ih, b_hh):
    return (None if b_ih is None else db.copy()), (None if b_hh is None else db.copy())


def lstm_step_forward(x_t, h_prev, c_prev, w_ih, w_hh, b_ih=None, b_hh=None):
    """One LSTM step: ``c = f * c_prev + i * g``, ``h = o * tanh(c)``.

    The gates are ``[i, f, g, o] = [sigma, sigma, tanh, sigma](x_t w_ih^T + b_ih + h_prev
    w_hh^T + b_hh)``, split into four column blocks of width H.

    x_t (N, D), h_prev and c_prev (N, H), w_ih (4H, D), w_hh (4H, H), b_ih and b_hh (4H,) or
    None.  Returns h (N, H), c (N, H) and a cache (``lstm_gates(cache)`` gives i, f, g, o).
    """
    x_t, h_prev, c_prev, w_ih, w_hh, b_ih, b_hh = _prepare(
        "lstm_step_forward", x_t, h_prev, c_prev, w_ih, w_hh, b_ih, b_hh, seq=False)
    H = w_hh.shape[1]
    a = x_t @ w_ih.T + h_prev @ w_hh.T
    b = bias_sum(b_ih, b_hh, 4 * H, a.dtype)
    if b is not None:
        a += b
    scale, shift, _ = _gate_consts(H, a.dtype)
    c, tanh_c, h = (np.empty_like(c_prev, dtype=a.dtype) for _ in range(3))
    _cell(a, c_prev, scale, shift, c, tanh_c, h)
    cache = {"kind": "lstm_step", "x": x_t, "h_prev": h_prev, "c_prev": c_prev, "gates": a,
             "c": c, "tanh_c": tanh_c, "w_ih": w_ih, "w_hh": w_hh, "b_ih": b_ih, "b_hh": b_hh}
    return h, c.copy(), cache


def lstm_step_backward(dh, dc, cache):
    """Backward of one LSTM step: ``dc_t = dc + dh o (1 - tanh^2 c)``, ``dc_prev = dc_t * f``.

    The gate gradients ``(dc_t g, dc_t c_prev, dc_t i, dh tanh c)`` for (i, f, g, o), times
    each gate's local derivative, give ``da`` (N, 4H); then ``dx_t = da w_ih``,
    ``dh_prev = da w_hh``, ``dw_ih = da^T x_t``, ``dw_hh = da^T h_prev``, ``db = sum_n da``.

    dh (N, H) and dc (N, H) are the upstream gradients on h and c (dc may be None for zero).
    Returns ``(dx_t, dh_prev, dc_prev, dw_ih, dw_hh, db_ih, db_hh)``.
    """
    cch = check_cache(cache, "lstm_step", "lstm_step_backward")
    shape = cch["c"].shape
    dh = check_upstream("lstm_step_backward", dh, "dh", shape, "(N, H)")
    dc = (np.zeros(shape, dtype=dh.dtype) if dc is None
          else check_upstream("lstm_step_backward", dc, "dc", shape, "(N, H)"))
    gates = cch["gates"]
    _, _, g_one = _gate_consts(shape[1], gates.dtype)
    da = np.empty_like(gates)
    dc_prev = _cell_backward(dh, dc, gates, g_one, cch["c_prev"], cch["tanh_c"], da)
    db_ih, db_hh = _bias_grads(da.sum(axis=0), cch["b_ih"], cch["b_hh"])
    return (da @ cch["w_ih"], da @ cch["w_hh"], dc_prev, da.T @ cch["x"], da.T @ cch["h_prev"],
            db_ih, db_hh)


def lstm_forward(x, h0, c0, w_ih, w_hh, b_ih=None, b_hh=None):
    """LSTM over a sequence: ``c_t = f_t * c_{t-1} + i_t * g_t``, ``h_t = o_t * tanh(c_t)``.

    x (N, T, D); h0 and c0 (N, H) or None for zeros; w_ih (4H, D), w_hh (4H, H), b_ih and b_hh
    (4H,) or None.  Returns hs (N, T, H) (the output of ``torch.nn.LSTM(batch_first=True)``;
    ``hs[:, -1]`` is its h_n) and a cache; ``lstm_gates(cache)`` gives the gates and cell
    states of every step (``["c"][:, -1]`` is c_n).  One matrix product computes the input
    projection of all steps, and one per step the recurrent term of all four gates.
    """
    x, h0, c0, w_ih, w_hh, b_ih, b_hh = _prepare(
        "lstm_forward", x, h0, c0, w_ih, w_hh, b_ih, b_hh, seq=True)
    N, T, D = x.shape
    H = w_hh.shape[1]
    x_tm = np.ascontiguousarray(x.transpose(1, 0, 2))
    gates = (x_tm.reshape(T * N, D) @ w_ih.T).reshape(T, N, 4 * H)
    b = bias_sum(b_ih, b_hh, 4 * H, gates.dtype)
    if b is not None:
        gates += b
    scale, shift, _ = _gate_consts(H, gates.dtype)
    states = np.zeros((T + 1, N, H), dtype=gates.dtype)  # states[t + 1] = h_t
    cells = np.zeros((T + 1, N, H), dtype=gates.dtype)
    tanh_cs = np.empty((T, N, H), dtype=gates.dtype)
    if h0 is not None:
        states[0] = h0
    if c0 is not None:
        cells[0] = c0
    w_hh_t = w_hh.T
    buf = np.empty((N, 4 * H), dtype=gates.dtype)
    for t in range(T):
        a = gates[t]
        a += np.matmul(states[t], w_hh_t, out=buf)
        _cell(a, cells[t], scale, shift, cells[t + 1], tanh_cs[t], states[t + 1])
    cache = {"kind": "lstm", "x_tm": x_tm, "states": states, "cells": cells, "gates": gates,
             "tanh_cs": tanh_cs, "w_ih": w_ih, "w_hh": w_hh, "b_ih": b_ih, "b_hh": b_hh,
             "h0_given": h0 is not None, "c0_given": c0 is not None}
    return np.ascontiguousarray(states[1:].transpose(1, 0, 2)), cache


def lstm_backward(dhs, cache, *, dc_n=None):
    """LSTM BPTT: ``dh_t = dhs_t + da_{t+1} w_hh``, ``dc_t = dc_{t+1} f_{t+1} + dh_t o_t tanh'``.

    Per step, last to first, as ``lstm_step_backward``; then ``dw_ih = sum_t da_t^T x_t``,
    ``dw_hh = sum_t da_t^T h_{t-1}``, ``db = sum_{t,n} da_t``, each one matrix product.

    dhs (N, T, H) is the upstream gradient on every hidden state; ``dc_n`` (N, H), optional, is
    a gradient on the last cell state (torch's c_n).  Returns ``(dx, dh0, dc0, dw_ih, dw_hh,
    db_ih, db_hh)`` with the shapes of the forward arguments; dh0 / dc0 / a bias gradient is
    None when that argument was None.
    """
    cch = check_cache(cache, "lstm", "lstm_backward")
    states, cells, gates, tanh_cs = cch["states"], cch["cells"], cch["gates"], cch["tanh_cs"]
    w_ih, w_hh = cch["w_ih"], cch["w_hh"]
    T, N, H = tanh_cs.shape
    dhs = check_upstream("lstm_backward", dhs, "dhs", (N, T, H), "(N, T, H)")
    dh_tm = dhs.transpose(1, 0, 2).astype(gates.dtype, copy=False)
    dc = np.zeros((N, H), dtype=gates.dtype)
    if dc_n is not None:
        dc += check_upstream("lstm_backward", dc_n, "dc_n", (N, H), "(N, H)")
    _, _, g_one = _gate_consts(H, gates.dtype)
    da = np.empty_like(gates)
    dh_next = np.zeros((N, H), dtype=gates.dtype)
    for t in range(T - 1, -1, -1):
        dh = dh_tm[t] + dh_next
        dc = _cell_backward(dh, dc, gates[t], g_one, cells[t], tanh_cs[t], da[t])
        np.matmul(da[t], w_hh, out=dh_next)
    da2 = da.reshape(T * N, 4 * H)
    dx = (da2 @ w_ih).reshape(T, N, -1).transpose(1, 0, 2)
    dw_ih = da2.T @ cch["x_tm"].reshape(T * N, -1)
    dw_hh = da2.T @ states[:-1].reshape(T * N, H)
    db_ih, db_hh = _bias_grads(da2.sum(axis=0), cch["b_ih"], cch["b_hh"])
    return (np.ascontiguousarray(dx), dh_next if cch["h0_given"] else None,
            dc if cch["c0_given"] else None, dw_ih, dw_hh, db_ih, db_hh)


def lstm_gates(cache) -> dict:
    """The gate values and cell states kept by ``lstm_forward`` or ``lstm_step_forward``.

    Returns a dict of copies with keys ``"i", "f", "g", "o"`` (gate values after their
    nonlinearity), ``"c"`` (cell state after the step) and ``"h"`` (hidden state after the
    step), each (N, T, H) for a sequence cache or (N, H) for a step cache.
    """
    if not isinstance(cache, dict) or cache.get("kind") not in ("lstm", "lstm_step"):
        raise TypeError("lstm_gates: cache must be the cache returned by lstm_forward or "
                        "lstm_step_forward")
    gates = cache["gates"]
    H = gates.shape[-1] // 4
    if cache["kind"] == "lstm_step":
        out = {k: gates[:, j * H:(j + 1) * H].copy() for j, k in enumerate("ifgo")}
        out["c"] = cache["c"].copy()
        out["h"] = out["o"] * cache["tanh_c"]
        return out
    out = {k: np.ascontiguousarray(gates[..., j * H:(j + 1) * H].transpose(1, 0, 2))
           for j, k in enumerate("ifgo")}
    out["c"] = np.ascontiguousarray(cache["cells"][1:].transpose(1, 0, 2))
    out["h"] = np.ascontiguousarray(cache["states"][1:].transpose(1, 0, 2))
    return out
