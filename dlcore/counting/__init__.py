"""Parameter counts, output shapes, multiply-adds and layer tables of classic CNNs.

Shape legend: D input features, M output features, C channels, F filters, KH x KW kernel,
H hidden size (RNNs), G gates (1 RNN, 4 LSTM, 3 GRU); activation shapes in tables are (C, H, W)
or (D,) without the batch axis.

- Closed forms: ``linear_params`` (D + 1) M, ``conv2d_params`` (KH KW C/g + 1) F,
  ``rnn_params``/``lstm_params``/``gru_params`` G (H (D + H) + H), ``mlp_counts``.
- Tables: ``summarize(architecture, input_shape=None)`` for a built-in name
  (``ARCHITECTURES``) or a list of layer specs (``Conv2dSpec``, ``MaxPool2dSpec``,
  ``LinearSpec``, ...: a spec describes the ``torch.nn`` layer of its name without ``Spec``, and
  is not the ``dlcore.nn`` module of that name); ``to_torch`` builds the same network in PyTorch
  for comparison.

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
    AdaptiveAvgPool2dSpec,
    AvgPool2dSpec,
    Conv2dSpec,
    DropoutSpec,
    FlattenSpec,
    LayerSpec,
    LinearSpec,
    LocalResponseNormSpec,
    MaxPool2dSpec,
    ReLUSpec,
    Subsample2dSpec,
    TanhSpec,
)
from .summary import LayerRow, Summary, split_by_kind, summarize, to_torch, weighted_rows

# The specs' names before they took the suffix Spec, for notebooks saved with them (not in
# __all__; new code uses the Spec names, which do not clash with dlcore.nn's modules).
Layer, Conv2d, MaxPool2d, AvgPool2d, Subsample2d, AdaptiveAvgPool2d = (
    LayerSpec, Conv2dSpec, MaxPool2dSpec, AvgPool2dSpec, Subsample2dSpec, AdaptiveAvgPool2dSpec)
LocalResponseNorm, ReLU, Tanh, Dropout, Flatten, Linear = (
    LocalResponseNormSpec, ReLUSpec, TanhSpec, DropoutSpec, FlattenSpec, LinearSpec)

__all__ = [
    "CONNECTION_MODES",
    "connections",
    "tie_pattern",
    "split_by_kind",
    "weighted_rows",
    "ARCHITECTURES",
    "AdaptiveAvgPool2dSpec",
    "Architecture",
    "AvgPool2dSpec",
    "Conv2dSpec",
    "DropoutSpec",
    "FlattenSpec",
    "LayerSpec",
    "LayerRow",
    "LinearSpec",
    "LocalResponseNormSpec",
    "MLPCounts",
    "MaxPool2dSpec",
    "ReLUSpec",
    "Subsample2dSpec",
    "Summary",
    "TanhSpec",
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
