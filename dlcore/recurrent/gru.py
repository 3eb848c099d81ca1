"""The GRU: one step, a whole sequence, backprop through time, and the gate values.

Shapes: N batch, T time steps, D input features, H hidden size.  x (N, T, D), x_t (N, D),
hidden states (N, H), hs (N, T, H); weights as ``torch.nn.GRU``, the gates stacked in the rows
in the order (r, z, n): w_ih (3H, D), w_hh (3H, H), b_ih (3H,), b_hh (3H,), either bias may be
None.

    r = sigma(x_t W_ir^T + b_ir + h_{t-1} W_hr^T + b_hr)          reset gate
    z = sigma(x_t W_iz^T + b_iz + h_{t-1} W_hz^T + b_hz)          update gate
    n = tanh(x_t W_in^T + b_in + r * (h_{t-1} W_hn^T + b_hn))     candidate state
    h_t = (1 - z) * n + z * h_{t-1}

This is PyTorch's form. Two differences from the GRU on the IFT6758 slides (Cho et al. 2014):
there ``h_t = (1 - z) h_{t-1} + z n`` (z and 1 - z swapped: z there means "take the new state",
here "keep the old one"), and the reset gate multiplies h_{t-1} before the matrix product,
``tanh(W [r * h_{t-1}, x_t])``, where PyTorch applies it after (``r * (h_{t-1} W_hn^T +
b_hn)``). With the lecture's single bias, ``b_ih = b`` and ``b_hh = None``.
"""

from __future__ import annotations

import numpy as np

from ._common import (
    cast,
    check_cache,
    check_input,
    check_state,
    check_upstream,
    check_weights,
    common_dtype,
    sigmoid,
)

__all__ = ["gru_step_forward", "gru_step_backward", "gru_forward", "gru_backward", "gru_gates"]


def _prepare(where, x, h, w_ih, w_hh, b_ih, b_hh, *, seq):
    w_ih, w_hh, b_ih, b_hh, H, D = check_weights(where, w_ih, w_hh, b_ih, b_hh, 3)
    x = check_input(where, x, D, seq=seq)
    h = check_state(where, h, "h0" if seq else "h_prev", x.shape[0], H, optional=seq)
    dtype = common_dtype(x, h, w_ih, w_hh, b_ih, b_hh)
    return cast(dtype, x, h, w_ih, w_hh, b_ih, b_hh)


def _cell(gi, h_prev, w_hh_t, b_hh):
    """gi (N, 3H) = x_t w_ih^T + b_ih.  Returns (h, rz (N, 2H), n, hn = h_prev w_hn^T + b_hn)."""
    H = h_prev.shape[1]
    gh = h_prev @ w_hh_t
    if b_hh is not None:
        gh += b_hh
    rz = sigmoid(gi[:, :2 * H] + gh[:, :2 * H])
    hn = gh[:, 2 * H:]
    n = np.tanh(gi[:, 2 * H:] + rz[:, :H] * hn)
    h = n + rz[:, H:] * (h_prev - n)  # = (1 - z) n + z h_prev
    return h, rz, n, hn


def _cell_backward(dh, h_prev, rz, n, hn, dgh):
    """Write the gradient on gh = h_prev w_hh^T + b_hh into dgh (N, 3H); return (dan, dh_prev
    without the matrix term).  The input side gets the same r and z columns, and ``dan`` (the
    gradient on the candidate's pre-activation) as its n column."""
    H = h_prev.shape[1]
    r, z = rz[:, :H], rz[:, H:]
    dan = dh * (1.0 - z) * (1.0 - n * n)
    np.multiply(dan * hn, r * (1.0 - r), out=dgh[:, :H])
    np.multiply(dh * (h_prev - n), z * (1.0 - z), out=dgh[:, H:2 * H])
    np.multiply(dan, r, out=dgh[:, 2 * H:])
    return dan, dh * z


def gru_step_forward(x_t, h_prev, w_ih, w_hh, b_ih=None, b_hh=None):
    """One GRU step (PyTorch form): ``h = (1 - z) * n + z * h_prev``.

    The candidate is ``n = tanh(x_t w_in^T + b_in + r * (h_prev w_hn^T + b_hn))``, and r, z
    are sigmoid gates (see the module docstring; Cho et al. swap z and 1 - z).

    x_t (N, D), h_prev (N, H), w_ih (3H, D), w_hh (3H, H), b_ih and b_hh (3H,) or None.
    Returns h (N, H) and a cache (``gru_gates(cache)`` gives r, z, n).
    """
    x_t, h_prev, w_ih, w_hh, b_ih, b_hh = _prepare(
        "gru_step_forward", x_t, h_prev, w_ih, w_hh, b_ih, b_hh, seq=False)
    gi = x_t @ w_ih.T
    if b_ih is not None:
        gi += b_ih
    h, rz, n, hn = _cell(gi, h_prev, w_hh.T, b_hh)
    cache = {"kind": "gru_step", "x": x_t, "h_prev": h_prev, "rz": rz, "n": n, "hn": hn,
             "w_ih": w_ih, "w_hh": w_hh, "b_ih": b_ih, "b_hh": b_hh}
    return h, cache


def gru_step_backward(dh, cache):
    """GRU step backward: ``dn = dh (1-z)``, ``dz = dh (h_prev-n)``, ``dh_prev = dh z + dgh w_hh``.

    dgh (N, 3H) is the gradient on ``h_prev w_hh^T + b_hh`` (its n column is the candidate's
    pre-activation gradient times r); the input side ``x_t w_ih^T + b_ih`` gets the same r and
    z columns and the candidate's gradient itself as its n column.

    dh (N, H) is the upstream gradient on h.  Returns ``(dx_t, dh_prev, dw_ih, dw_hh, db_ih,
    db_hh)`` with the shapes of the forward arguments (None for a bias that was None).
    """
    c = check_cache(cache, "gru_step", "gru_step_backward")
    H = c["n"].shape[1]
    dh = check_upstream("gru_step_backward", dh, "dh", c["n"].shape, "(N, H)")
    dgh = np.empty((dh.shape[0], 3 * H), dtype=c["n"].dtype)
    dan, dh_prev = _cell_backward(dh, c["h_prev"], c["rz"], c["n"], c["hn"], dgh)
    dgi = dgh.copy()
    dgi[:, 2 * H:] = dan
    db_ih = None if c["b_ih"] is None else dgi.sum(axis=0)
    db_hh = None if c["b_hh"] is None else dgh.sum(axis=0)
    return (dgi @ c["w_ih"], dh_prev + dgh @ c["w_hh"], dgi.T @ c["x"], dgh.T @ c["h_prev"],
            db_ih, db_hh)


def gru_forward(x, h0, w_ih, w_hh, b_ih=None, b_hh=None):
    """GRU over a sequence (PyTorch form): ``h_t = (1 - z_t) * n_t + z_t * h_{t-1}``.

    x (N, T, D); h0 (N, H) or None for zeros; w_ih (3H, D), w_hh (3H, H), b_ih and b_hh (3H,)
    or None.  Returns hs (N, T, H) (the output of ``torch.nn.GRU(batch_first=True)``) and a
    cache; ``gru_gates(cache)`` gives r, z, n of every step.
    """
    x, h0, w_ih, w_hh, b_ih, b_hh = _prepare(
        "gru_forward", x, h0, w_ih, w_hh, b_ih, b_hh, seq=True)
    N, T, D = x.shape
    H = w_hh.shape[1]
    x_tm = np.ascontiguousarray(x.transpose(1, 0, 2))
    gi = (x_tm.reshape(T * N, D) @ w_ih.T).reshape(T, N, 3 * H)
    if b_ih is not None:
        gi += b_ih
    states = np.zeros((T + 1, N, H), dtype=gi.dtype)  # states[t + 1] = h_t
    if h0 is not None:
        states[0] = h0
    rzs = np.empty((T, N, 2 * H), dtype=gi.dtype)
    ns = np.empty((T, N, H), dtype=gi.dtype)
    hns = np.empty((T, N, H), dtype=gi.dtype)
    w_hh_t = w_hh.T
    for t in range(T):
        states[t + 1], rzs[t], ns[t], hns[t] = _cell(gi[t], states[t], w_hh_t, b_hh)
    cache = {"kind": "gru", "x_tm": x_tm, "states": states, "rz": rzs, "n": ns, "hn": hns,
             "w_ih": w_ih, "w_hh": w_hh, "b_ih": b_ih, "b_hh": b_hh,
             "h0_given": h0 is not None}
    return np.ascontiguousarray(states[1:].transpose(1, 0, 2)), cache


def gru_backward(dhs, cache):
    """GRU BPTT: ``dh_t = dhs_t + dh_t+1 z_t+1 + dgh_t+1 w_hh``, ``dw_hh = S dgh_t^T h_t-1``.

    S sums over the steps t.  Each step (last to first) is ``gru_step_backward``; then
    ``dw_ih = S dgi_t^T x_t`` and the bias gradients are sums over all steps and rows.

    dhs (N, T, H) is the upstream gradient on every hidden state.  Returns ``(dx, dh0, dw_ih,
    dw_hh, db_ih, db_hh)`` with the shapes of the forward arguments; dh0 or a bias gradient is
    None when that argument was None.
    """
    c = check_cache(cache, "gru", "gru_backward")
    states, rzs, ns, hns, w_hh = c["states"], c["rz"], c["n"], c["hn"], c["w_hh"]
    T, N, H = ns.shape
    dhs = check_upstream("gru_backward", dhs, "dhs", (N, T, H), "(N, T, H)")
    dh_tm = dhs.transpose(1, 0, 2).astype(ns.dtype, copy=False)
    dgh = np.empty((T, N, 3 * H), dtype=ns.dtype)
    dans = np.empty((T, N, H), dtype=ns.dtype)
    dh_next = np.zeros((N, H), dtype=ns.dtype)
    for t in range(T - 1, -1, -1):
        dans[t], dh_direct = _cell_backward(dh_tm[t] + dh_next, states[t], rzs[t], ns[t],
                                            hns[t], dgh[t])
        dh_next = dh_direct + dgh[t] @ w_hh
    dgh2 = dgh.reshape(T * N, 3 * H)
    dgi2 = dgh2.copy()
    dgi2[:, 2 * H:] = dans.reshape(T * N, H)
    dx = (dgi2 @ c["w_ih"]).reshape(T, N, -1).transpose(1, 0, 2)
    dw_ih = dgi2.T @ c["x_tm"].reshape(T * N, -1)
    dw_hh = dgh2.T @ states[:-1].reshape(T * N, H)
    db_ih = None if c["b_ih"] is None else dgi2.sum(axis=0)
    db_hh = None if c["b_hh"] is None else dgh2.sum(axis=0)
    return (np.ascontiguousarray(dx), dh_next if c["h0_given"] else None, dw_ih, dw_hh,
            db_ih, db_hh)


def gru_gates(cache) -> dict:
    """The gate values kept by ``gru_forward`` or ``gru_step_forward``.

    Returns a dict of copies with keys ``"r"`` (reset gate), ``"z"`` (update gate), ``"n"``
    (candidate state) and ``"h"`` (hidden state after the step), each (N, T, H) for a sequence
    cache or (N, H) for a step cache.
    """
    if not isinstance(cache, dict) or cache.get("kind") not in ("gru", "gru_step"):
        raise TypeError("gru_gates: cache must be the cache returned by gru_forward or "
                        "gru_step_forward")
    rz, n = cache["rz"], cache["n"]
    H = n.shape[-1]
    if cache["kind"] == "gru_step":
        r, z = rz[:, :H].copy(), rz[:, H:].copy()
        h_prev = cache["h_prev"]
        return {"r": r, "z": z, "n": n.copy(), "h": n + z * (h_prev - n)}

    def batch_first(a):
        return np.ascontiguousarray(a.transpose(1, 0, 2))

    return {"r": batch_first(rz[..., :H]), "z": batch_first(rz[..., H:]), "n": batch_first(n),
            "h": batch_first(cache["states"][1:])}
