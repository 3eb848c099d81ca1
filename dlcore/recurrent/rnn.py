"""The vanilla (Elman) RNN: one step, a whole sequence, and backprop through time (full,
truncated per loss, or truncated over chunks with a detached state).

Shapes: N batch, T time steps, D input features, H hidden size.  x (N, T, D), x_t (N, D),
hidden states (N, H), hs (N, T, H); weights as ``torch.nn.RNN``: w_ih (H, D), w_hh (H, H),
b_ih (H,), b_hh (H,), either bias may be None.

    h_t = phi(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh),    phi = tanh or relu.

The lecture's form ``h_t = tanh(x_t U + h_{t-1} W + b)`` with ``U`` (D, H) and ``W`` (H, H) is
this with ``w_ih = U^T``, ``w_hh = W^T``, ``b_ih = b`` and ``b_hh = None``; its output layer
``y_t = softmax(h_t V + c)`` is a linear layer with weight ``V^T``.
"""

from __future__ import annotations

import numpy as np

from ._common import (
    bias_sum,
    cast,
    check_cache,
    check_input,
    check_nonlinearity,
    check_state,
    check_truncate,
    check_upstream,
    check_weights,
    common_dtype,
)

__all__ = ["rnn_step_forward", "rnn_step_backward", "rnn_forward", "rnn_backward",
           "rnn_backward_chunked"]


def _activate(a: np.ndarray, nonlinearity: str) -> np.ndarray:
    if nonlinearity == "tanh":
        return np.tanh(a, out=a)
    return np.maximum(a, 0.0, out=a)


def _local_grad(h: np.ndarray, nonlinearity: str) -> np.ndarray:
    """phi'(a) written with the output h: 1 - h^2 for tanh, 1[h > 0] for relu."""
    if nonlinearity == "tanh":
        return 1.0 - h * h
    return (h > 0).astype(h.dtype)


def _prepare(where, x, h, w_ih, w_hh, b_ih, b_hh, nonlinearity, *, seq):
    w_ih, w_hh, b_ih, b_hh, H, D = check_weights(where, w_ih, w_hh, b_ih, b_hh, 1)
    x = check_input(where, x, D, seq=seq)
    h = check_state(where, h, "h0" if seq else "h_prev", x.shape[0], H, optional=seq)
    nonlinearity = check_nonlinearity(nonlinearity)
    dtype = common_dtype(x, h, w_ih, w_hh, b_ih, b_hh)
    return cast(dtype, x, h, w_ih, w_hh, b_ih, b_hh) + (nonlinearity,)


def _bias_grads(db, b_ih, b_hh):
    """Both biases enter the pre-activation once, so each gets the same gradient."""
    return (None if b_ih is None else db.copy()), (None if b_hh is None else db.copy())


def rnn_step_forward(x_t, h_prev, w_ih, w_hh, b_ih=None, b_hh=None, nonlinearity="tanh"):
    """One RNN step: ``h = phi(x_t w_ih^T + b_ih + h_prev w_hh^T + b_hh)``.

    x_t (N, D), h_prev (N, H), w_ih (H, D), w_hh (H, H), b_ih and b_hh (H,) or None;
    ``nonlinearity`` is "tanh" or "relu" (as ``torch.nn.RNN``).  Returns h (N, H) and a cache.
    """
    x_t, h_prev, w_ih, w_hh, b_ih, b_hh, nonlinearity = _prepare(
        "rnn_step_forward", x_t, h_prev, w_ih, w_hh, b_ih, b_hh, nonlinearity, seq=False)
    a = x_t @ w_ih.T + h_prev @ w_hh.T
    b = bias_sum(b_ih, b_hh, w_hh.shape[0], a.dtype)
    if b is not None:
        a += b
    h = _activate(a, nonlinearity)
    cache = {"kind": "rnn_step", "x": x_t, "h_prev": h_prev, "h": h, "w_ih": w_ih, "w_hh": w_hh,
             "b_ih": b_ih, "b_hh": b_hh, "nonlinearity": nonlinearity}
    return h.copy(), cache


def rnn_step_backward(dh, cache):
    """RNN step backward: ``da = dh phi'(a)``, ``dh_prev = da w_hh``, ``dw_hh = da^T h_prev``.

    Likewise ``dx_t = da w_ih``, ``dw_ih = da^T x_t`` and ``db_ih = db_hh = sum_n da``.
    dh (N, H) is the upstream gradient on h.  Returns ``(dx_t, dh_prev, dw_ih, dw_hh, db_ih,
    db_hh)`` with the shapes of the forward arguments (None for a bias that was None).
    """
    c = check_cache(cache, "rnn_step", "rnn_step_backward")
    dh = check_upstream("rnn_step_backward", dh, "dh", c["h"].shape, "(N, H)")
    da = dh * _local_grad(c["h"], c["nonlinearity"])
    db_ih, db_hh = _bias_grads(da.sum(axis=0), c["b_ih"], c["b_hh"])
    return (da @ c["w_ih"], da @ c["w_hh"], da.T @ c["x"], da.T @ c["h_prev"], db_ih, db_hh)


def rnn_forward(x, h0, w_ih, w_hh, b_ih=None, b_hh=None, nonlinearity="tanh"):
    """RNN over a sequence: ``h_t = phi(x_t w_ih^T + b_ih + h_{t-1} w_hh^T + b_hh)``, t < T.

    x (N, T, D); h0 (N, H) or None for zeros (``h_{-1} = h0``); w_ih (H, D), w_hh (H, H),
    b_ih and b_hh (H,) or None.  Returns hs (N, T, H), the hidden state after every step (as
    the output of ``torch.nn.RNN(batch_first=True)``; ``hs[:, -1]`` is its ``h_n``), and a
    cache.  The input projection of all steps is one matrix product before the loop.
    """
    x, h0, w_ih, w_hh, b_ih, b_hh, nonlinearity = _prepare(
        "rnn_forward", x, h0, w_ih, w_hh, b_ih, b_hh, nonlinearity, seq=True)
    N, T, D = x.shape
    H = w_hh.shape[0]
    x_tm = np.ascontiguousarray(x.transpose(1, 0, 2))  # time-major: each step is contiguous
    a_x = (x_tm.reshape(T * N, D) @ w_ih.T).reshape(T, N, H)
    b = bias_sum(b_ih, b_hh, H, a_x.dtype)
    if b is not None:
        a_x += b
    states = np.zeros((T + 1, N, H), dtype=a_x.dtype)  # states[t + 1] = h_t, states[0] = h0
    if h0 is not None:
        states[0] = h0
    w_hh_t = w_hh.T
    for t in range(T):
        a = a_x[t]
        a += states[t] @ w_hh_t
        states[t + 1] = _activate(a, nonlinearity)
    cache = {"kind": "rnn", "x_tm": x_tm, "states": states, "w_ih": w_ih, "w_hh": w_hh,
             "b_ih": b_ih, "b_hh": b_hh, "h0_given": h0 is not None,
             "nonlinearity": nonlinearity}
    return np.ascontiguousarray(states[1:].transpose(1, 0, 2)), cache


def rnn_backward(dhs, cache, truncate=None):
    """BPTT: ``dh_t = dhs_t + da_t+1 w_hh``, ``da_t = dh_t phi'(a_t)``, ``dw_hh = S da_t^T h_t-1``.

    S sums over the steps t; likewise ``dw_ih = S da_t^T x_t``, ``dx_t = da_t w_ih`` and
    ``db = S sum_n da_t``.
    dhs (N, T, H) is the upstream gradient on every hidden state (the loss may use any of them;
    a many-to-one model has zeros except at the last step).  Returns ``(dx, dh0, dw_ih, dw_hh,
    db_ih, db_hh)`` with the shapes of the forward arguments; dh0 is None when h0 was None and
    a bias gradient is None when that bias was None.

    ``truncate=k`` (an integer >= 1) is k-step truncation per loss: the gradient of each loss
    term, ``dhs[:, t]``, is carried back through at most k steps of the recurrence.  It reaches
    the hidden states h_t, ..., h_{t-k} (with ``h_{-1} = h0``), so of

        dL_t/dW = sum_j dL_t/dh_t (dh_t/dh_j) d+h_j/dW

    only the steps ``t-k < j <= t`` are kept (likewise for dx_j and the biases), and dh0 gets
    ``dhs[:, t]`` only for ``t < k``.  ``truncate=1`` keeps the explicit term of each step
    only; ``truncate >= T`` (or None) is full BPTT.  Each truncated term is carried separately,
    so the cost is k times that of full BPTT.  Every loss term gets the same k steps; compare
    ``rnn_backward_chunked``, where the number of steps depends on the position in a chunk.
    """
    c = check_cache(cache, "rnn", "rnn_backward")
    truncate = check_truncate(truncate)
    dh_tm, local = _upstream(dhs, c, "rnn_backward")
    T = local.shape[0]
    if truncate is None or truncate >= T:
        da, dh0 = _bptt_full(dh_tm, local, c["w_hh"])
    else:
        da, dh0 = _bptt_truncated(dh_tm, local, c["w_hh"], truncate)
    return _parameter_grads(da, dh0, c)


def rnn_backward_chunked(dhs, cache, chunk):
    """Truncated BPTT over chunks with a detached state: no gradient crosses a chunk boundary.

    The T steps are cut into chunks of ``chunk`` steps (t = 0 .. chunk-1, chunk .. 2 chunk-1,
    ...; the last chunk may be shorter).  The forward pass is unchanged: each chunk starts
    from the last hidden state of the chunk before it.  But that carried state is treated as a
    constant (detached, as ``h.detach()`` in PyTorch), so the gradient of a loss term in a
    chunk flows back through the steps of that chunk only: the loss at the first step of a
    chunk keeps its explicit term alone, the loss at the last step keeps ``chunk`` terms.
    Compare ``rnn_backward(..., truncate=k)`` (k-step truncation per loss), where every loss
    term keeps k terms wherever it sits.

    The result equals running ``rnn_forward`` and ``rnn_backward`` on each chunk on its own,
    started from the carried state, and adding up the weight gradients: the way a long
    sequence is trained one chunk at a time.  Here it is computed from one forward pass over
    the whole sequence.

    dhs (N, T, H) and cache as for ``rnn_backward``; ``chunk`` an integer >= 1 (``chunk >= T``
    is full BPTT, ``chunk = 1`` keeps only the explicit terms).  Returns ``(dx, dh0, dw_ih,
    dw_hh, db_ih, db_hh)`` as ``rnn_backward``; dh0 is the gradient of the first chunk only
    (None when h0 was None).
    """
    c = check_cache(cache, "rnn", "rnn_backward_chunked")
    chunk = _check_chunk(chunk)
    dh_tm, local = _upstream(dhs, c, "rnn_backward_chunked")
    da, dh0 = _bptt_full(dh_tm, local, c["w_hh"], chunk=chunk)
    return _parameter_grads(da, dh0, c)


def _check_chunk(chunk) -> int:
    if isinstance(chunk, bool) or not isinstance(chunk, (int, np.integer)):
        raise TypeError(f"chunk must be an integer >= 1 (steps per chunk); got {chunk!r}")
    if chunk < 1:
        raise ValueError(f"chunk must be an integer >= 1 (steps per chunk); got {chunk}")
    return int(chunk)


def _upstream(dhs, c, where):
    """dhs as a time-major array (T, N, H) and phi'(a_t) of every step (T, N, H)."""
    states = c["states"]
    T, N, H = states[1:].shape
    dhs = check_upstream(where, dhs, "dhs", (N, T, H), "(N, T, H)")
    dh_tm = dhs.transpose(1, 0, 2).astype(states.dtype, copy=False)
    return dh_tm, _local_grad(states[1:], c["nonlinearity"])


def _parameter_grads(da, dh0, c):
    """(dx, dh0, dw_ih, dw_hh, db_ih, db_hh) from the pre-activation gradients da (T, N, H)."""
    states, w_ih = c["states"], c["w_ih"]
    T, N, H = da.shape
    da2 = da.reshape(T * N, H)
    x2 = c["x_tm"].reshape(T * N, -1)
    dx = (da2 @ w_ih).reshape(T, N, -1).transpose(1, 0, 2)
    dw_ih = da2.T @ x2
    dw_hh = da2.T @ states[:-1].reshape(T * N, H)
    db_ih, db_hh = _bias_grads(da2.sum(axis=0), c["b_ih"], c["b_hh"])
    return (np.ascontiguousarray(dx), dh0 if c["h0_given"] else None, dw_ih, dw_hh,
            db_ih, db_hh)


def _bptt_full(dh_tm, local, w_hh, chunk=None):
    """Pre-activation gradients da (T, N, H) and dh0 (N, H) of full BPTT.

    With ``chunk``, the gradient that reaches the state entering a chunk (a detached constant)
    is dropped instead of being carried into the chunk before.
    """
    da = np.empty_like(local)
    dh_next = np.zeros_like(local[0])
    for t in range(local.shape[0] - 1, -1, -1):
        np.multiply(dh_tm[t] + dh_next, local[t], out=da[t])
        dh_next = da[t] @ w_hh
        if chunk is not None and t > 0 and t % chunk == 0:
            dh_next = np.zeros_like(dh_next)
    return da, dh_next


def _bptt_truncated(dh_tm, local, w_hh, k):
    """As ``_bptt_full``, but each loss term travels back at most k steps.

    ``carry[m]`` is the gradient of loss term ``t = j + m`` on h_j while step j is processed;
    all k terms share the step's Jacobian, so they are handled as one batch.
    """
    T, N, H = local.shape
    da = np.empty_like(local)
    carry = np.zeros((k, N, H), dtype=local.dtype)
    dh0 = np.zeros((N, H), dtype=local.dtype)
    carry[0] = dh_tm[T - 1]
    for j in range(T - 1, -1, -1):
        da_terms = carry * local[j]
        da[j] = da_terms.sum(axis=0)
        if j == 0:
            dh0 = (da_terms @ w_hh).sum(axis=0)  # every term t < k reaches h_{-1} = h0
            break
        # The oldest term (t = j + k - 1) has now reached h_{t-k} = h_{j-1} and stops there.
        carry[1:] = da_terms[:-1] @ w_hh
        carry[0] = dh_tm[j - 1]
    return da, dh0
