"""Optimizers: update rules, torch.optim-compatible classes, and paths on error surfaces.

Three layers share one implementation of each rule, so the path a notebook draws and the steps
training takes are the same numbers (and torch.optim's, to rounding):

- ``rules``: pure functions ``*_update(theta, grad, state, **hyper) -> (theta_new, state_new)``
  (SGD with momentum/Nesterov, Adagrad, RMSProp, Adam), ordered by complexity.
- ``optimizers``: ``SGD``, ``Adagrad``, ``RMSProp`` (= ``RMSprop``), ``Adam`` over
  ``dlcore.nn.Parameter``, with torch.optim's names, defaults and ``step``/``zero_grad``.
- ``schedulers``: learning-rate schedules with torch.optim.lr_scheduler's names and numbers
  (``StepLR``, ``ExponentialLR``, ``CosineAnnealingLR``, ``LinearLR``, ``SequentialLR``...),
  ``schedule(name, optimizer, total_steps)`` and ``lr_curve``.
- ``training``: ``train_model``, the training loop of lecture 12c (a schedule, data
  augmentation, frozen layers), and ``trainable_parameters``.
- ``practice``: the networks and experiments of lecture 12c (``digits_cnn``, ``deep_mlp``,
  ``transfer_task``, ``pretrain``, ``transfer_run``).
- ``paths`` and ``surfaces``: ``trajectory(name, grad_fn, theta0, steps, **hyper)``,
  ``surface(name, **kw)``, ``SURFACES`` and ``stability_limit(h, method, momentum)``; the
  grids behind the contour plots (``resolve_surface``, ``loss_grid``, ``surface_grid``).

The update is ``theta <- theta - lr * step`` throughout (lr is the lectures' eta).

Shapes: P any parameter shape (``theta``, ``grad`` and state arrays share it); dim the length of
a flat parameter vector in ``trajectory`` (2 on the surfaces); S the number of steps.
"""

from .optimizers import SGD, Adagrad, Adam, Optimizer, RMSProp, RMSprop
from .paths import TRAJECTORY_NAMES, stability_limit, trajectory
from .practice import (
    CONV_LAYERS,
    TRANSFER_MODES,
    TransferTask,
    deep_mlp,
    digits_cnn,
    pretrain,
    transfer_run,
    transfer_task,
)
from .rules import adagrad_update, adam_update, rmsprop_update, sgd_update
from .schedulers import (
    SCHEDULE_NAMES,
    ConstantLR,
    CosineAnnealingLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    LRScheduler,
    MultiplicativeLR,
    MultiStepLR,
    PolynomialLR,
    SequentialLR,
    StepLR,
    lr_curve,
    schedule,
)
from .surfaces import (
    SURFACE_NAMES,
    SURFACES,
    ResolvedSurface,
    SurfaceInfo,
    check_window,
    fast_grad,
    loss_at,
    loss_grid,
    loss_on_points,
    resolve_surface,
    surface,
    surface_grid,
)
from .training import TrainingHistory, evaluate, train_model, trainable_parameters

__all__ = [
    "sgd_update", "adagrad_update", "rmsprop_update", "adam_update",
    "Optimizer", "SGD", "Adagrad", "RMSProp", "RMSprop", "Adam",
    "TRAJECTORY_NAMES", "trajectory", "stability_limit",
    "SURFACE_NAMES", "SURFACES", "SurfaceInfo", "surface", "fast_grad",
    "ResolvedSurface", "resolve_surface", "loss_on_points", "loss_grid",
    "check_window", "loss_at", "surface_grid",
    "LRScheduler", "LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR",
    "LinearLR", "ExponentialLR", "PolynomialLR", "CosineAnnealingLR", "SequentialLR",
    "SCHEDULE_NAMES", "schedule", "lr_curve",
    "train_model", "TrainingHistory", "trainable_parameters", "evaluate",
    "digits_cnn", "deep_mlp", "TransferTask", "transfer_task", "pretrain", "TRANSFER_MODES",
    "transfer_run", "CONV_LAYERS",
]
