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

#: The specs' names before they took the suffix Spec (they clashed with dlcore.nn's modules).
_RENAMED = ("Layer", "Conv2d", "MaxPool2d", "AvgPool2d", "Subsample2d", "AdaptiveAvgPool2d",
            "LocalResponseNorm", "ReLU", "Tanh", "Dropout", "Flatten", "Linear")


def __getattr__(name):
    if name in _RENAMED:
        raise AttributeError(f"dlcore.counting.{name} is now dlcore.counting.{name}Spec (a spec "
                             f"to count; dlcore.nn.{name} is the layer that computes)"
                             if name != "Layer" else
                             "dlcore.counting.Layer is now dlcore.counting.LayerSpec")
    raise AttributeError(f"module 'dlcore.counting' has no attribute {name!r}")


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
