"""Checks for assignment A5, RNNs and LSTMs (lectures 13 and 14).

Exercises and the names the notebook defines (shapes: N batch, T time steps, D input
features, H hidden size, K outputs; weights in PyTorch's layout, gates stacked in the rows):

1. ``rnn_param_count(n_in, n_hidden, n_out, bias=True)``: an RNN with its output layer, one
   bias per unit; and ``N_INPUTS``, the n of a weight-count puzzle.
2. ``rnn_forward(x, h0, w_ih, w_hh, b) -> (hs, cache)``: x (N, T, D), h0 (N, H), w_ih (H, D),
   w_hh (H, H), b (H,), hs (N, T, H) with ``h_t = tanh(x_t w_ih^T + h_{t-1} w_hh^T + b)``.
3. ``rnn_backward(dhs, cache) -> (dx, dh0, dw_ih, dw_hh, db)``: BPTT, dhs (N, T, H).
4. ``clip_grad_norm(grads, max_norm) -> norm`` and ``clip_grad_value(grads, clip)``: a list of
   arrays clipped in place (by the true global L2 norm, or entrywise).
5. ``gradient_bound(activation, lam, t, k)``: ``(gamma lam)^(t - k)``; and ``ANSWER_5``, what
   the bound says when ``gamma lam > 1`` (multiple choice).
6. ``lstm_step_forward(x_t, h_prev, c_prev, w_ih, w_hh, b) -> (h, c)``, gates (i, f, g, o):
   x_t (N, D), states (N, H), w_ih (4H, D), w_hh (4H, H), b (4H,).
7. ``gru_step_forward(x_t, h_prev, w_ih, w_hh, b_ih, b_hh) -> h``, gates (r, z, n), PyTorch's
   form ``h = (1 - z) * n + z * h_prev``: w_ih (3H, D), w_hh (3H, H), biases (3H,).
8. ``model``: predicts the next value of a sine wave from the previous ``SINE_T`` values,
   x (N, SINE_T, 1) -> (N, 1); evaluated on held-out ``dlcore.data.sine_sequences``.

Expected values come from dlcore's references at check time (``dlcore.recurrent``,
``dlcore.counting``); the bound of exercise 5 is the lecture's formula.

Modules, one per exercise group: ``counts`` (1), ``rnn`` (2, 3), ``clipping`` (4),
``bound`` (5), ``gated`` (6, 7), ``sine`` (8); ``rnn`` also holds the helpers ``gated`` shares.
"""

from __future__ import annotations

from .._core import Assignment
from . import bound, clipping, counts, gated, rnn, sine

# Re-exported: the notebook's puzzle and sine-model settings.
from .counts import PUZZLE_HIDDEN_DIV, PUZZLE_OUTPUTS, PUZZLE_WEIGHTS  # noqa: F401
from .sine import BASELINE_MSE, SINE_T, TARGET_MSE  # noqa: F401

__all__ = ["checker", "ASSIGNMENT"]

# Exercises are registered in the notebook's order.
ASSIGNMENT = Assignment.of_groups("a05_rnn_lstm",
                                  counts, rnn, clipping, bound, gated, sine).with_references(
    counts, rnn, clipping, bound, gated, sine, trained=["model"])
checker = ASSIGNMENT.checker
