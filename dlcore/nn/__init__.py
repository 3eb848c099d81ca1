"""PyTorch-shaped modules built on dlcore's stateless op pairs.

Shapes: N batch, D in-features, M out-features, C channels, H x W spatial size.

``Module`` and ``Parameter`` (``module.py``) give the torch surface: ``model(x)``,
``model.backward(dout)`` (adds into each ``.grad``), ``zero_grad``, ``train``/``eval``,
``state_dict``/``load_state_dict`` with torch's key names.  On top of them: layers (``Linear``,
``Dropout``, ``BatchNorm1d``/``2d``, ``Flatten``, ``Identity``), activations (``ReLU``,
``Sigmoid``, ``Tanh``, ``LeakyReLU``), losses (``CrossEntropyLoss``...), containers
(``Sequential``, ``MLP``), the sigmoid towers of lecture 5, ``init_weights`` and the training
helper ``fit``.  CNN modules (``conv.py``): ``Conv2d``, ``MaxPool2d``, ``AvgPool2d`` on images
(N, C, H, W).  Sequence modules (``recurrent.py``): ``RNN``, ``LSTM``, ``GRU`` on batch-first
sequences (N, T, D), returning ``(output, h_n)`` as torch, and the ``LastStep`` adapter that
lets them sit in a ``Sequential``.  The small experiments of lectures 6 to 8
(``experiments.py``): ``thin_chain_gradients``, ``layer_activations``, ``lr_trial``,
``regularization_trial``, ``loss_curve_verdict``, ``class_grid``, ``train_recall``.
"""

from .activations import LeakyReLU, ReLU, Sigmoid, Tanh
from .containers import (
    ACTIVATIONS,
    MLP,
    Sequential,
    sigmoid_tower,
    tower_mlp,
    tower_sum_errors,
    tower_sum_weights,
    tower_units,
    tower_weights,
)
from .conv import AvgPool2d, Conv2d, MaxPool2d
from .experiments import (
    RECALL_SYMBOLS,
    ChainGradients,
    LayerStats,
    class_grid,
    layer_activations,
    loss_curve_verdict,
    lr_trial,
    recall_model,
    regularization_trial,
    thin_chain_gradients,
    train_recall,
)
from .init import SCHEMES, fan_in_fan_out, init_weights
from .layers import BatchNorm1d, BatchNorm2d, Dropout, Flatten, Identity, Linear
from .losses import BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, SquaredErrorLoss
from .module import Module, Parameter
from .recurrent import GRU, LSTM, RNN, LastStep
from .train import History, accuracy, batch_order, confusion_matrix, fit, predict

__all__ = [
    "Module", "Parameter",
    "Linear", "Identity", "Flatten", "Dropout", "BatchNorm1d", "BatchNorm2d",
    "ReLU", "Sigmoid", "Tanh", "LeakyReLU", "ACTIVATIONS",
    "CrossEntropyLoss", "MSELoss", "BCEWithLogitsLoss", "SquaredErrorLoss",
    "Sequential", "MLP", "tower_weights", "sigmoid_tower", "tower_mlp", "tower_units",
    "tower_sum_weights", "tower_sum_errors", "init_weights", "fan_in_fan_out", "SCHEMES",
    "fit", "predict", "accuracy", "confusion_matrix", "batch_order", "History",
    "Conv2d", "MaxPool2d", "AvgPool2d",
    "RNN", "LSTM", "GRU", "LastStep",
    "ChainGradients", "thin_chain_gradients", "LayerStats", "layer_activations",
    "lr_trial", "loss_curve_verdict", "regularization_trial", "class_grid",
    "RECALL_SYMBOLS", "recall_model", "train_recall",
]
