"""Recurrent networks: RNN, LSTM and GRU steps and sequences, backprop through time, clipping.

Backprop through time for the RNN comes in three forms: full (``rnn_backward``), k-step
truncation per loss (``rnn_backward(..., truncate=k)``) and truncated BPTT over chunks with a
detached state (``rnn_backward_chunked(..., chunk)``).

Shape legend: N batch, T time steps, D input features, H hidden size, G gates stacked in the
weight rows (1 RNN, 4 LSTM in the order i, f, g, o, 3 GRU in the order r, z, n).  Sequences are
batch first, x (N, T, D) and hs (N, T, H); one step takes x_t (N, D) and states (N, H).  The
weights are ``torch.nn.RNN/LSTM/GRU``'s: w_ih (G*H, D), w_hh (G*H, H), b_ih (G*H,), b_hh (G*H,),
so a step computes ``x_t @ w_ih.T + b_ih + h_{t-1} @ w_hh.T + b_hh``.  Either bias may be None;
the lectures' single bias is ``b_ih = b, b_hh = None``.

A character-level language model (lecture 15) is built on them: ``CharLM`` (one-hot input, an
RNN or LSTM layer, a linear read-out), trained by ``train_char_lm`` with truncated BPTT over
chunks and a detached state, ``sample_text`` to generate, ``state_trace``,
``text_features`` and ``unit_correlations`` to look inside; the counting baselines
``unigram_model`` and ``bigram_model`` and the cross-entropy in ``bits_per_char``; and the
embedding pair ``embedding_forward``/``embedding_backward``.

In the slides' notation ``h_t = tanh(x_t U + h_{t-1} W + b)``, ``y_t = softmax(h_t V + c)``, with
U (D, H), W (H, H), V (H, K): ``w_ih = U^T``, ``w_hh = W^T``, and V^T is the weight of the output
linear layer.  Each ``*_forward`` returns ``(out, cache)`` and the matching ``*_backward(dout,
cache)`` returns the gradients of every forward argument, in order.
"""

from .charlm import (
    FEATURES,
    CharLM,
    CharLMHistory,
    Sample,
    char_lm_loss,
    evaluate_bits_per_char,
    sample_text,
    state_trace,
    temperature_softmax,
    text_features,
    train_char_lm,
    unit_correlations,
)
from .clip import clip_grad_norm, clip_grad_value
from .embedding import embedding_backward, embedding_forward
from .gru import gru_backward, gru_forward, gru_gates, gru_step_backward, gru_step_forward
from .lstm import (
    lstm_backward,
    lstm_forward,
    lstm_gates,
    lstm_step_backward,
    lstm_step_forward,
)
from .ngram import (
    bigram_bits_per_char,
    bigram_model,
    bits_per_char,
    unigram_bits_per_char,
    unigram_model,
)
from .rnn import (
    rnn_backward,
    rnn_backward_chunked,
    rnn_forward,
    rnn_step_backward,
    rnn_step_forward,
)

__all__ = [
    "rnn_step_forward", "rnn_step_backward", "rnn_forward", "rnn_backward", "rnn_backward_chunked",
    "lstm_step_forward", "lstm_step_backward", "lstm_forward", "lstm_backward", "lstm_gates",
    "gru_step_forward", "gru_step_backward", "gru_forward", "gru_backward", "gru_gates",
    "clip_grad_norm", "clip_grad_value",
    "CharLM", "CharLMHistory", "char_lm_loss", "train_char_lm", "evaluate_bits_per_char",
    "temperature_softmax", "sample_text", "Sample", "state_trace", "text_features", "FEATURES",
    "unit_correlations",
    "unigram_model", "bigram_model", "unigram_bits_per_char", "bigram_bits_per_char",
    "bits_per_char",
    "embedding_forward", "embedding_backward",
]
