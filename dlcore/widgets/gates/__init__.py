"""Widgets for lecture 14, LSTM and GRU: gates as selective write, read and forget.

Shape legend: cell and hidden states (N, H); one-unit cells in the explorers (H = 1); sequences
(N, T, D) batch first; stacked weights in PyTorch's layout and gate order, LSTM (i, f, g, o),
GRU (r, z, n).

- ``whiteboard``: write, read and erase on 3 slots -> ac(bd + a) + ad = 181, each action as
  the LSTM gates that perform it.
- ``lstm_gate_explorer``: presets, inputs, gate biases -> gates, candidate, cell and hidden
  state over a sequence; what each step writes, keeps and reads; ``mine=my_lstm_step`` (and
  ``mine_gru=my_gru_step``) draws your own step's states over dlcore's.
- ``forget_products``: T, forget bias -> prod f_t (cell path) vs prod w tanh' (RNN).
- ``long_lag_recall``: cell choice, lag, train -> loss and accuracy on remembering the first
  symbol.
- ``variant_switcher``: variant -> its equations and parameter counts.

The math is done by ``dlcore.recurrent``, ``nn``, ``optim`` and ``counting``.
"""

from ..._lazy import attach

# Each widget factory is imported from its module on first use.
_EXPORTS = {
    "explorer": ["lstm_gate_explorer"],
    "products": ["forget_products"],
    "recall": ["long_lag_recall"],
    "variants": ["variant_switcher"],
    "whiteboard": ["whiteboard"],
}

__getattr__, __dir__, __all__ = attach(__name__, list(_EXPORTS), _EXPORTS)
