"""The networks and experiments of lecture 12c, "training in practice", on the bundled digits.

Shapes: images (N, 1, 8, 8), labels (N,) integers; MLP inputs (N, 64).

- ``digits_cnn``: lecture 12b's CNN (two blocks of 3x3 convolution, ReLU and 2x2 max pooling,
  then a linear layer), with named layers (``conv1``, ``conv2``, ``head``...) so that a layer
  can be frozen by name, and optional hidden layer and dropout (the AlexNet question).
- ``deep_mlp``: a deep ReLU network with or without batch norm after every hidden linear layer.
- ``transfer_task``: digits 0-4 to learn from, and a few labelled examples of 5-9 to transfer to.
- ``pretrain``: train ``digits_cnn`` on digits 0-4 and return its weights (cached).
- ``transfer_run``: one of the three transfer-learning strategies (from scratch, fine-tune
  everything, freeze the conv layers) on the small set of 5-9.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._checks import check_choice, check_flag, check_int, check_positive, check_probability
from .._random import get_rng

__all__ = ["digits_cnn", "deep_mlp", "TransferTask", "transfer_task", "pretrain",
           "TRANSFER_MODES", "transfer_run", "CONV_LAYERS"]

#: The names of the convolutional layers of ``digits_cnn`` (what "freeze the conv layers" means).
CONV_LAYERS = ("conv1", "conv2")


def digits_cnn(n_classes: int = 10, *, channels=(32, 64), hidden: int | None = None,
               dropout: float = 0.0, conv_dropout: float = 0.0, rng=None):
    """Lecture 12b's CNN for (N, 1, 8, 8) digits, with named layers.

    ``conv1`` (3x3, padding 1) ReLU ``pool1`` (2x2), ``conv2`` ReLU ``pool2``, ``flatten``,
    then ``head`` = Linear(channels[1] * 4, n_classes).  With ``hidden``, a fully connected
    layer ``fc`` (ReLU) of that width comes before the head.  ``dropout`` (drop probability)
    is applied after ``fc`` (``drop_fc``, needs ``hidden``) and ``conv_dropout`` after each
    pooling layer (``drop1``, ``drop2``).  Weights are drawn as PyTorch draws them, from
    ``rng``.  Returns a ``dl.nn.Sequential``; x (N, 1, 8, 8) -> scores (N, n_classes).
    """
    from .. import nn

    n_classes = check_int(n_classes, "n_classes", minimum=2)
    c1, c2 = (check_int(c, "channels[i]", minimum=1) for c in channels)
    dropout = check_probability(dropout, "dropout")
    conv_dropout = check_probability(conv_dropout, "conv_dropout")
    if dropout and hidden is None:
        raise ValueError("dropout acts after the hidden fully connected layer: give hidden "
                         "(e.g. hidden=128), or use conv_dropout for the conv blocks")
    rng = get_rng(rng)
    drop_rng = rng.spawn(1)[0]
    layers = [("conv1", nn.Conv2d(1, c1, 3, padding=1, rng=rng)), ("relu1", nn.ReLU()),
              ("pool1", nn.MaxPool2d(2))]
    if conv_dropout:
        layers.append(("drop1", nn.Dropout(conv_dropout, rng=drop_rng)))
    layers += [("conv2", nn.Conv2d(c1, c2, 3, padding=1, rng=rng)), ("relu2", nn.ReLU()),
               ("pool2", nn.MaxPool2d(2))]
    if conv_dropout:
        layers.append(("drop2", nn.Dropout(conv_dropout, rng=drop_rng)))
    layers.append(("flatten", nn.Flatten()))
    width = c2 * 2 * 2
    if hidden is not None:
        hidden = check_int(hidden, "hidden", minimum=1)
        layers += [("fc", nn.Linear(width, hidden, rng=rng)), ("relu3", nn.ReLU())]
        if dropout:
            layers.append(("drop_fc", nn.Dropout(dropout, rng=drop_rng)))
        width = hidden
    layers.append(("head", nn.Linear(width, n_classes, rng=rng)))
    return nn.Sequential(OrderedDict(layers))


def deep_mlp(depth: int = 5, width: int = 64, *, batch_norm: bool = False, n_in: int = 64,
             n_classes: int = 10, rng=None):
    """``depth`` hidden layers Linear(width) [BatchNorm1d] ReLU, then Linear(n_classes).

    With ``batch_norm`` every hidden linear layer is followed by ``BatchNorm1d(width)``.
    Weights start as PyTorch's defaults.  x (N, n_in) -> scores (N, n_classes).
    """
    from .. import nn

    depth = check_int(depth, "depth", minimum=1)
    width = check_int(width, "width", minimum=1)
    batch_norm = check_flag(batch_norm, "batch_norm")
    rng = get_rng(rng)
    layers, d = [], check_int(n_in, "n_in", minimum=1)
    for _ in range(depth):
        layers.append(nn.Linear(d, width, rng=rng))
        if batch_norm:
            layers.append(nn.BatchNorm1d(width))
        layers.append(nn.ReLU())
        d = width
    layers.append(nn.Linear(d, check_int(n_classes, "n_classes", minimum=2), rng=rng))
    return nn.Sequential(*layers)


@dataclass(frozen=True)
class TransferTask:
    """Source: the training digits 0-4 (``X_source``, ``y_source`` in 0-4).  Target: a few
    labelled digits 5-9 (``X_target``, ``y_target``, relabelled 0-4 as digit - 5) and every
    test digit 5-9 (``X_test``, ``y_test``, relabelled likewise).  Images (N, 1, 8, 8)."""

    X_source: np.ndarray
    y_source: np.ndarray
    X_target: np.ndarray
    y_target: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    per_class: int


def transfer_task(per_class: int = 5, seed=0) -> TransferTask:
    """The transfer task on ``dl.data.digits(flatten=False)``: ``per_class`` labelled training
    images of each digit 5-9, drawn with ``seed``."""
    from ..data import class_subset, digits

    X, y, X_test, y_test = digits(flatten=False)
    idx = class_subset(y, range(5, 10), per_class, rng=seed)
    src, tst = y < 5, y_test >= 5
    return TransferTask(X[src], y[src], X[idx], y[idx] - 5, X_test[tst], y_test[tst] - 5,
                        per_class)


@lru_cache(maxsize=4)
def _pretrained(num_epochs: int, seed: int, lr: float) -> tuple:
    from .optimizers import Adam
    from .training import evaluate, train_model

    task = transfer_task(1)
    X, y, X_test, y_test = __import__("dlcore").data.digits(flatten=False)
    model = digits_cnn(5, rng=seed)
    train_model(model, task.X_source, task.y_source, Adam(model.parameters(), lr=lr),
                num_epochs=num_epochs, batch_size=32, rng=seed, progress=False)
    mask = y_test < 5
    acc = evaluate(model, X_test[mask], y_test[mask])[1]
    return tuple(model.state_dict().items()), acc


def pretrain(num_epochs: int = 10, seed: int = 0, lr: float = 0.002) -> tuple[dict, float]:
    """Train ``digits_cnn(5)`` on the training digits 0-4 (Adam, batches of 32, seeded);
    returns ``(state_dict, test accuracy on the test digits 0-4)``.  Cached: a second call
    with the same arguments returns the same weights at once."""
    num_epochs = check_int(num_epochs, "num_epochs", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    items, acc = _pretrained(num_epochs, seed, check_positive(lr, "lr"))
    return OrderedDict((k, v.copy()) for k, v in items), acc


#: The three strategies of the lecture: train from scratch, fine-tune all, freeze the convs.
TRANSFER_MODES = ("scratch", "finetune", "freeze")


def transfer_run(task: TransferTask, pretrained=None, *, mode: str | None = None,
                 frozen=(), from_pretrained: bool = True, num_epochs: int = 60,
                 lr: float = 0.002, seed: int = 0, progress: bool = False):
    """Train a fresh ``digits_cnn(5)`` on the task's few labelled 5-9 digits; returns
    ``(model, TrainingHistory)`` with the test accuracy on every test 5-9 per epoch.

    ``mode`` is one of ``TRANSFER_MODES``: "scratch" (random weights, all trained),
    "finetune" (conv layers from ``pretrained``, all trained) or "freeze" (conv layers from
    ``pretrained`` and kept fixed; only the new head learns).  Without ``mode``, say it
    yourself: ``from_pretrained`` and ``frozen`` (layer names, e.g. ``["conv1"]``).  The head
    is always new (random).  Adam with ``lr``, batches of 32, everything drawn from ``seed``.
    """
    from .optimizers import Adam
    from .training import train_model, trainable_parameters

    if mode is not None:
        check_choice(mode, "mode", TRANSFER_MODES)
        from_pretrained = mode != "scratch"
        frozen = CONV_LAYERS if mode == "freeze" else ()
    from_pretrained = check_flag(from_pretrained, "from_pretrained")
    frozen = [frozen] if isinstance(frozen, str) else list(frozen)
    for name in frozen:
        check_choice(name, "frozen[i]", CONV_LAYERS + ("head",))
    seed = check_int(seed, "seed", minimum=0)
    model = digits_cnn(5, rng=np.random.default_rng([seed, 1]))
    if from_pretrained:
        if pretrained is None:
            raise ValueError("starting from pre-trained weights needs them: pass "
                             "pretrained=dl.optim.pretrain()[0]")
        state = model.state_dict()
        for key in state:
            if key.split(".")[0] in CONV_LAYERS:
                state[key] = np.array(pretrained[key], dtype=np.float64)
        model.load_state_dict(state)
    params = trainable_parameters(model, frozen)
    if not params:
        raise ValueError("every layer is frozen: nothing would learn; leave the head free")
    hist = train_model(model, task.X_target, task.y_target, Adam(params, lr=lr),
                       num_epochs=num_epochs, batch_size=32, X_val=task.X_test,
                       y_val=task.y_test, rng=seed, progress=progress)
    return model, hist
