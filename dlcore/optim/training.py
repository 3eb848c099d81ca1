"""The training loop of lecture 12c: a schedule, data augmentation and frozen layers.

Shapes: X (N, ...) batch first (images (N, C, H, W) for a CNN, (N, D) for an MLP), y (N,)
integer class labels; the model returns class scores (N, K).

``train_model`` runs the loop ``dlcore.nn.fit`` runs (zero_grad, forward, softmax
cross-entropy, backward, ``optimizer.step()``), with three additions:

- ``augment``: a function ``augment(X_batch, rng) -> X_batch'`` (e.g. ``dl.data.Augment()``)
  applied to every training batch as it is drawn, so each epoch sees new variants; validation
  data is never augmented.  Its random draws come from their own generator, so a run with and
  a run without augmentation see the same batches in the same order.
- ``scheduler``: a learning-rate schedule (``dl.optim.StepLR``...) stepped after every epoch,
  or after every batch with ``step_every="batch"``; the history records the rates used.
- frozen layers: the optimizer updates only the parameters it was given (build it from
  ``trainable_parameters(model, frozen=[...])``), and in a ``Sequential`` the backward pass
  stops below the lowest layer that has a parameter to train, as autograd skips what needs no
  gradient.

The batches of every epoch are ``dl.nn.batch_order(N, batch_size, num_epochs, rng=rng)``, as in
``fit``, so a torch loop fed the same order follows the same curve.
"""

from __future__ import annotations

import time

import numpy as np

from .._checks import as_array, check_choice, check_flag, check_int, check_labels, shape_str
from .._random import get_rng
from ..nn.containers import Sequential
from ..nn.history import History
from ..nn.module import Module
from ..nn.train import epoch_batches
from .optimizers import Optimizer

__all__ = ["train_model", "TrainingHistory", "trainable_parameters", "evaluate"]


class TrainingHistory(History):
    """``History`` (per-epoch ``train_loss``, ``train_acc``, ``val_loss``, ``val_acc``) plus
    ``lr`` (the rate of each epoch's first batch), ``batch_lr`` (the rate of every batch) and
    ``seconds`` (wall-clock time of the run)."""

    def __init__(self):
        super().__init__("cross_entropy", "multiclass")
        self.lr: list[float] = []
        self.batch_lr: list[float] = []
        self.seconds = 0.0


def trainable_parameters(model, frozen=()) -> list:
    """The parameters of ``model`` that are not inside a frozen sub-module.

    ``frozen`` names sub-modules as ``named_modules`` does (``"0"`` and ``"3"`` for the two
    conv layers of the lecture's CNN); their weights and biases are left out, so an optimizer
    built on the result never changes them (torch: ``requires_grad_(False)``).  Returns a list
    of Parameters, in ``model.parameters()`` order.
    """
    if not isinstance(model, Module):
        raise TypeError(f"model must be a dlcore.nn.Module; got {type(model).__name__}")
    if isinstance(frozen, str):
        frozen = [frozen]
    names = dict(model.named_modules())
    frozen = [str(f) for f in frozen]
    for f in frozen:
        if f not in names:
            raise ValueError(f"frozen names a sub-module the model does not have: {f!r}; its "
                             f"sub-modules are {', '.join(repr(n) for n in names if n)}")
    out = []
    for name, p in model.named_parameters():
        if not any(name == f or name.startswith(f + ".") for f in frozen):
            out.append(p)
    return out


def _scores_and_loss(model, X, y):
    from ..losses import softmax_cross_entropy_forward

    scores = model(X)
    loss, cache = softmax_cross_entropy_forward(scores, y)
    return scores, float(loss), cache


def evaluate(model, X, y, batch_size: int = 512) -> tuple[float, float]:
    """``(mean cross-entropy, accuracy)`` of ``model`` on X, y in eval mode (batches of
    ``batch_size``, so large sets fit in memory); the model's mode is restored afterwards."""
    X = as_array(X, "X")
    y = check_labels(y, None, "y", n=X.shape[0])
    was = model.training
    model.eval()
    total, correct = 0.0, 0
    try:
        for i in range(0, X.shape[0], batch_size):
            scores, loss, _ = _scores_and_loss(model, X[i:i + batch_size], y[i:i + batch_size])
            total += loss * scores.shape[0]
            correct += int(np.sum(np.argmax(scores, axis=1) == y[i:i + batch_size]))
    finally:
        model.train(was)
    return total / X.shape[0], correct / X.shape[0]


def _backward_layers(model, optimizer):
    """For a Sequential: its layers from the top down to the lowest one the optimizer trains."""
    if not isinstance(model, Sequential):
        return None
    trained = {id(p) for p in optimizer.params}
    layers = list(model)
    for k, layer in enumerate(layers):
        if any(id(p) in trained for p in layer.parameters()):
            return layers[k:][::-1]
    return []


def train_model(model, X, y, optimizer, *, num_epochs: int, batch_size: int | None = 32,
                drop_last: bool = False, scheduler=None, step_every: str = "epoch",
                augment=None, X_val=None, y_val=None, rng=None,
                progress: bool = True) -> TrainingHistory:
    """Train ``model`` in place with softmax cross-entropy; returns a ``TrainingHistory``.

    Each batch: ``optimizer.zero_grad()``, ``X_b = augment(X[idx], aug_rng)`` when ``augment``
    is given, forward, loss, backward, ``optimizer.step()``, and ``scheduler.step()`` when
    ``step_every="batch"``; after each epoch ``scheduler.step()`` when ``step_every="epoch"``,
    then the validation loss and accuracy (eval mode).  Training stops early, with
    ``diverged`` set, when the loss stops being finite.  X (N, ...), y (N,) labels in [0, K);
    X_val, y_val likewise.  ``rng`` (seed or Generator) draws the batch order; the
    augmentation draws from a generator spawned from it.  ``drop_last`` skips the last batch
    of an epoch when it is smaller than ``batch_size`` (torch's DataLoader option): batch
    norm's statistics over a handful of examples are too noisy to train on.
    """
    if not isinstance(model, Module):
        raise TypeError(f"model must be a dlcore.nn.Module; got {type(model).__name__}")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be a dlcore.optim optimizer (SGD, Adam, ...) built on "
                        f"the parameters to train; got {type(optimizer).__name__}")
    num_epochs = check_int(num_epochs, "num_epochs", minimum=1)
    if batch_size is not None:
        batch_size = check_int(batch_size, "batch_size", minimum=1)
    step_every = check_choice(step_every, "step_every", ("epoch", "batch"))
    drop_last = check_flag(drop_last, "drop_last")
    if scheduler is not None and getattr(scheduler, "optimizer", None) is not optimizer:
        raise ValueError("scheduler must be built on this optimizer, e.g. "
                         "StepLR(optimizer, step_size=5)")
    if augment is not None and not callable(augment):
        raise TypeError(f"augment must be a function (X_batch, rng) -> X_batch, e.g. "
                        f"dl.data.Augment(); got {type(augment).__name__}")
    X = as_array(X, "X")
    if X.ndim < 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a batch of examples, shape (N, ...) with N >= 1; got shape "
                         f"{shape_str(X.shape)}")
    y = check_labels(y, None, "y", n=X.shape[0])
    if (X_val is None) != (y_val is None):
        raise ValueError("pass both X_val and y_val, or neither")
    if X_val is not None:
        X_val = as_array(X_val, "X_val")
        y_val = check_labels(y_val, None, "y_val", n=X_val.shape[0])
    rng = get_rng(rng)
    aug_rng = rng.spawn(1)[0]  # spawning leaves the batch order's stream untouched
    layers = _backward_layers(model, optimizer)
    history = TrainingHistory()
    epochs = range(num_epochs)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        epochs = bar = tqdm(epochs, desc="training", unit="epoch")
    from ..losses import softmax_cross_entropy_backward

    n = X.shape[0]
    start = time.perf_counter()
    was_training = model.training
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for _ in epochs:
                model.train()
                history.lr.append(float(optimizer.lr))
                total, correct, seen, finite = 0.0, 0, 0, True
                batches = epoch_batches(n, batch_size, True, rng)
                if drop_last and len(batches) > 1 and len(batches[-1]) < batch_size:
                    batches = batches[:-1]
                for idx in batches:
                    optimizer.zero_grad()
                    xb = X[idx] if augment is None else augment(X[idx], aug_rng)
                    try:
                        scores, loss, cache = _scores_and_loss(model, xb, y[idx])
                    except ValueError as exc:  # overflow inside the model: lr too large
                        if "non-finite" not in str(exc):
                            raise
                        loss = float("nan")
                    if not np.isfinite(loss):
                        finite = False
                        break
                    dout = softmax_cross_entropy_backward(1.0, cache)
                    if layers is None:
                        model.backward(dout)
                    else:
                        for layer in layers:
                            dout = layer.backward(dout)
                    history.batch_lr.append(float(optimizer.lr))
                    optimizer.step()
                    if scheduler is not None and step_every == "batch":
                        scheduler.step()
                    total += loss * len(idx)
                    seen += len(idx)
                    correct += int(np.sum(np.argmax(scores, axis=1) == y[idx]))
                if not finite:
                    history.diverged = True
                    history.train_loss.append(float("nan"))
                    break
                history.train_loss.append(total / seen)
                history.train_acc.append(correct / seen)
                if scheduler is not None and step_every == "epoch":
                    scheduler.step()
                if X_val is not None:
                    val_loss, val_acc = evaluate(model, X_val, y_val)
                    history.val_loss.append(val_loss)
                    history.val_acc.append(val_acc)
                if bar is not None:
                    post = {"loss": f"{history.train_loss[-1]:.4f}",
                            "lr": f"{history.lr[-1]:.2g}"}
                    if history.val_acc:
                        post["val_acc"] = f"{history.val_acc[-1]:.3f}"
                    bar.set_postfix(post, refresh=False)
    finally:
        if bar is not None:
            bar.close()
        model.train(was_training)
        history.seconds = time.perf_counter() - start
    return history
