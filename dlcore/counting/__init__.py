"""Parameter counts, output shapes, multiply-adds and layer tables of classic CNNs.

Shape legend: D input features, M output features, C channels, F filters, KH x KW kernel,
H hidden size (RNNs), G gates (1 RNN, 4 LSTM, 3 GRU); activation shapes in tables are (C, H, W)
or (D,) without the batch axis.

- Closed forms: ``linear_params`` (D + 1) M, ``conv2d_params`` (KH KW C/g + 1) F,
  ``rnn_params``/``lstm_params``/``gru_params`` G (H (D + H) + H), ``mlp_counts``.
- Tables: ``summarize(architecture, input_shape=None)`` for a built-in name
  (``ARCHITECTURES``) or a list of layer specs (``Conv2d``, ``MaxPool2d``, ``Linear``, ...);
  ``to_torch`` builds the same network in PyTorch for comparison.

Course convention: one bias per unit, filter or gate unit; ``bias=False`` counts weights only;
``torch_biases=True`` adds the second bias vector of PyTorch's recurrent layers.
"""

from .architectures import ARCHITECTURES, Architecture, get_architecture
from .connectivity import CONNECTION_MODES, connections, tie_pattern
from .params import (
    MLPCounts,
    conv2d_params,
    gru_params,
    linear_params,
    lstm_params,
    mlp_counts,
    rnn_params,
)
from .specs import (
    AdaptiveAvgPool2d,
    AvgPool2d,
    Conv2d,
    Dropout,
    Flatten,
    Layer,
    Linear,
    LocalResponseNorm,
    MaxPool2d,
    ReLU,
    Subsample2d,
    Tanh,
)
from .summary import LayerRow, Summary, split_by_kind, summarize, to_torch, weighted_rows

__all__ = [
    "CONNECTION_MODES",
    "connections",
    "tie_pattern",
    "split_by_kind",
    "weighted_rows",
    "ARCHITECTURES",
    "AdaptiveAvgPool2d",
    "Architecture",
    "AvgPool2d",
    "Conv2d",
    "Dropout",
    "Flatten",
    "Layer",
    "LayerRow",
    "Linear",
    "LocalResponseNorm",
    "MLPCounts",
    "MaxPool2d",
    "ReLU",
    "Subsample2d",
    "Summary",
    "Tanh",
    "conv2d_params",
    "get_architecture",
    "gru_params",
    "linear_params",
    "lstm_params",
    "mlp_counts",
    "rnn_params",
    "summarize",
    "to_torch",
]
