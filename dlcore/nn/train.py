"""Training helper: ``fit`` runs the mini-batch loop, ``History`` records it.

Shapes: X (N, D) for an MLP (any batch-first array for other models), y (N,) integer labels
for classification or an array of the model's output shape (N, M) for regression ((N,) is
accepted when M = 1).

One step is torch's: ``zero_grad``, forward, loss, backward, ``optimizer.step()``.  The batch
order of every epoch comes from ``batch_order``, so a torch loop fed the same order (and the
same initial weights through ``state_dict``) follows the same loss curve.
"""

from __future__ import annotations

import numpy as np

from .._checks import as_array, check_choice, check_int, check_labels, check_positive, shape_str
from .._random import get_rng
from .history import History
from .layers import Linear
from .module import Module

__all__ = ["fit", "predict", "accuracy", "confusion_matrix", "batch_order", "epoch_batches",
           "History", "LOSSES"]

# name -> (forward, backward in dlcore.losses, task); "multiclass" and "binary" report accuracy.
LOSSES = {
    "cross_entropy": ("softmax_cross_entropy_forward", "softmax_cross_entropy_backward",
                      "multiclass"),
    "mse": ("mse_forward", "mse_backward", "regression"),
    "bce_with_logits": ("binary_cross_entropy_with_logits_forward",
                        "binary_cross_entropy_with_logits_backward", "binary"),
    "squared_error": ("squared_error_forward", "squared_error_backward", "regression"),
}


def epoch_batches(n: int, batch_size, shuffle: bool, rng) -> list[np.ndarray]:
    if batch_size is None or batch_size >= n:
        return [np.arange(n)]  # one full batch: its order does not change the mean loss
    order = rng.permutation(n) if shuffle else np.arange(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def batch_order(n: int, batch_size=None, num_epochs: int = 1, shuffle: bool = True, rng=None):
    """The row indices of every mini-batch of every epoch, as ``fit`` draws them.

    Each epoch is ``rng.permutation(n)`` cut into batches of ``batch_size`` (the last one may be
    smaller, as torch's DataLoader without ``drop_last``); with ``batch_size=None`` (or >= n)
    an epoch is one batch ``arange(n)`` and nothing is drawn.  ``fit(..., rng=seed)`` uses
    exactly ``batch_order(N, batch_size, num_epochs, shuffle, rng=seed)``.  Returns a list of
    ``num_epochs`` lists of int arrays.
    """
    n = check_int(n, "n", minimum=1)
    num_epochs = check_int(num_epochs, "num_epochs", minimum=0)
    batch_size = _batch_size(batch_size)
    rng = get_rng(rng)
    return [epoch_batches(n, batch_size, shuffle, rng) for _ in range(num_epochs)]


def _batch_size(batch_size):
    return None if batch_size is None else check_int(batch_size, "batch_size", minimum=1)


def _resolve_loss(loss):
    from .. import losses as L

    if isinstance(loss, tuple) and len(loss) == 2 and all(callable(f) for f in loss):
        return loss[0], loss[1], "custom", getattr(loss[0], "__name__", "custom")
    if not isinstance(loss, str):
        raise TypeError(f"loss must be one of {', '.join(map(repr, LOSSES))} or a (forward, "
                        f"backward) pair of functions; got {loss!r}")
    check_choice(loss, "loss", tuple(LOSSES))
    fwd, bwd, task = LOSSES[loss]
    return getattr(L, fwd), getattr(L, bwd), task, loss


def _first_layer(model):
    """The first module that owns parameters (None if the model has none)."""
    for m in model.modules():
        if m._parameters:
            return m
    return None


def _check_X(model, X, name: str, where: str) -> np.ndarray:
    X = as_array(X, name)
    first = _first_layer(model)
    if isinstance(first, Linear):
        d = first.in_features
        if X.ndim != 2 or X.shape[1] != d:
            raise ValueError(f"{where}: {name} must have shape (N, {d}) to match the model's "
                             f"first Linear layer (in_features={d}); got shape "
                             f"{shape_str(X.shape)}")
    if X.ndim == 0 or X.shape[0] == 0:
        raise ValueError(f"{where}: {name} must hold at least one sample (batch first); got "
                         f"shape {shape_str(X.shape)}")
    return X


def _output_width(model, X) -> int:
    was_training = model.training
    model.eval()
    try:
        out = np.asarray(model(X[:1]))
    finally:
        model.train(was_training)
    return int(out.shape[1]) if out.ndim == 2 else 1


def _check_y(y, task: str, n: int, n_out: int, name: str, where: str) -> np.ndarray:
    if task == "multiclass":
        y = check_labels(y, n_out, name, n=n)
        return y
    y = as_array(y, name)
    if y.ndim == 0 or y.shape[0] != n:
        raise ValueError(f"{where}: {name} must have one row per sample, shape ({n}, ...); got "
                         f"shape {shape_str(y.shape)}")
    if y.ndim == 1 and n_out == 1:
        y = y[:, None]  # targets (N,) for a model with one output column (N, 1)
    if task == "binary" and (np.any(y < 0) or np.any(y > 1)):
        raise ValueError(f"{where}: {name} must lie in [0, 1] for bce_with_logits (targets "
                         f"are probabilities); got values from {y.min()} to {y.max()}")
    return y


def _num_correct(scores, y, task: str) -> int:
    if task == "multiclass":
        return int(np.sum(np.argmax(scores, axis=1) == y))
    return int(np.sum((scores > 0) == (y >= 0.5)))


def fit(model, X, y, loss="cross_entropy", optimizer=None, lr: float = 0.1,
        num_epochs: int = 100, batch_size=None, X_val=None, y_val=None, shuffle: bool = True,
        progress: bool = True, rng=None) -> History:
    """Train ``model`` in place by mini-batch gradient descent; returns a ``History``.

    Every step: ``optimizer.zero_grad()``, ``scores = model(X[idx])``, ``loss(scores,
    y[idx])``, ``model.backward(dloss/dscores)``, ``optimizer.step()``.  ``loss`` is
    "cross_entropy" (softmax CE, y (N,) integer labels in [0, C)), "mse", "bce_with_logits"
    (y in [0, 1]), "squared_error" (1/2 sum) or a pair ``(forward(scores, y) -> (loss, cache),
    backward(dout, cache) -> dscores)``.  The default optimizer is ``dlcore.optim.SGD`` with
    ``lr`` (ignored when ``optimizer`` is given).  ``batch_size=None`` trains on the full
    batch; batches follow ``batch_order(N, batch_size, num_epochs, shuffle, rng)``.
    Shapes: X (N, D) for an MLP, y (N,) or (N, M); X_val, y_val likewise.  Training stops
    early, with ``History.diverged`` set, when the loss stops being finite.  ``progress``
    shows a tqdm bar with the latest loss and accuracy.
    """
    where = "fit"
    if not isinstance(model, Module):
        raise TypeError(f"{where}: model must be a dlcore.nn.Module; got {type(model).__name__}")
    fwd, bwd, task, loss_name = _resolve_loss(loss)
    num_epochs = check_int(num_epochs, "num_epochs", minimum=1)
    batch_size = _batch_size(batch_size)
    X = _check_X(model, X, "X", where)
    n_out = _output_width(model, X)
    y = _check_y(y, task, X.shape[0], n_out, "y", where)
    if (X_val is None) != (y_val is None):
        raise ValueError(f"{where}: pass both X_val and y_val, or neither")
    if X_val is not None:
        X_val = _check_X(model, X_val, "X_val", where)
        y_val = _check_y(y_val, task, X_val.shape[0], n_out, "y_val", where)
    if optimizer is None:
        from ..optim import SGD

        optimizer = SGD(model.parameters(), lr=check_positive(lr, "lr"))
    rng = get_rng(rng)
    history = History(loss_name, task)
    classify = task in ("multiclass", "binary")

    epochs = range(num_epochs)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        epochs = bar = tqdm(epochs, desc="fit", unit="epoch")
    was_training = model.training
    n, n_val = X.shape[0], (0 if X_val is None else X_val.shape[0])
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for _ in epochs:
                model.train()
                total, correct, finite = 0.0, 0, True
                for idx in epoch_batches(n, batch_size, shuffle, rng):
                    optimizer.zero_grad()
                    value, scores = _guarded(_step, model, optimizer, fwd, bwd, X[idx],
                                             y[idx])
                    finite = bool(np.isfinite(value))
                    if not finite:
                        break
                    total += value * len(idx)
                    if classify:
                        correct += _num_correct(scores, y[idx], task)
                if finite and X_val is not None:
                    model.eval()
                    val_loss, val_scores = _guarded(_evaluate, model, fwd, X_val, y_val)
                    finite = bool(np.isfinite(val_loss))
                if not finite:
                    history.diverged = True
                    history.train_loss.append(float("nan"))
                    break
                history.train_loss.append(total / n)
                if classify:
                    history.train_acc.append(correct / n)
                if X_val is not None:
                    history.val_loss.append(val_loss)
                    if classify:
                        history.val_acc.append(_num_correct(val_scores, y_val, task) / n_val)
                if bar is not None:
                    bar.set_postfix(_postfix(history), refresh=False)
    finally:
        if bar is not None:
            bar.close()
        model.train(was_training)
    return history


def _step(model, optimizer, fwd, bwd, X, y):
    scores = model(X)
    value, cache = fwd(scores, y)
    value = float(value)
    if np.isfinite(value):
        model.backward(bwd(1.0, cache))
        optimizer.step()
    return value, scores


def _evaluate(model, fwd, X, y):
    scores = model(X)
    return float(fwd(scores, y)[0]), scores


def _guarded(run, *args):
    """``run(*args)``, with an overflow inside the model reported as a NaN loss."""
    try:
        return run(*args)
    except ValueError as exc:
        # Inputs were checked to be finite, so a non-finite value inside the model means
        # that the weights or activations overflowed: the learning rate is too large.
        if "non-finite" not in str(exc):
            raise
        return float("nan"), None


def _postfix(history: History) -> dict[str, str]:
    out = {"loss": f"{history.train_loss[-1]:.4f}"}
    if history.train_acc:
        out["acc"] = f"{history.train_acc[-1]:.3f}"
    if history.val_acc:
        out["val_acc"] = f"{history.val_acc[-1]:.3f}"
    return out


def predict(model, X, labels: bool = True) -> np.ndarray:
    """Model outputs in eval mode; with ``labels``, class predictions.

    Labels are ``argmax`` over the C scores of each row, or ``[score > 0]`` for a single logit
    (C = 1, as trained with bce_with_logits).  X (N, D) -> (N,) ints, or scores (N, C) when
    ``labels=False``.  The model's train/eval mode is restored afterwards.
    """
    if not isinstance(model, Module):
        raise TypeError(f"predict: model must be a dlcore.nn.Module; got {type(model).__name__}")
    X = _check_X(model, X, "X", "predict")
    was_training = model.training
    model.eval()
    try:
        scores = np.asarray(model(X))
    finally:
        model.train(was_training)
    return _labels(scores) if labels else scores


def _labels(scores: np.ndarray) -> np.ndarray:
    if scores.ndim == 2 and scores.shape[1] > 1:
        return np.argmax(scores, axis=1)
    return (scores.reshape(scores.shape[0]) > 0).astype(np.int64)


def accuracy(model, X, y) -> float:
    """Fraction of correct predictions ``mean(predict(model, X) == y)``; X (N, D), y (N,) ints."""
    scores = predict(model, X, labels=False)
    n_classes = scores.shape[1] if scores.ndim == 2 and scores.shape[1] > 1 else 2
    y = check_labels(y, n_classes, "y", n=scores.shape[0])
    return float(np.mean(_labels(scores) == y))


def confusion_matrix(y_true, y_pred, n_classes: int | None = None) -> np.ndarray:
    """Counts ``cm[t, p]`` = number of samples of true class t predicted as p.

    y_true, y_pred (N,) integer labels in [0, n_classes) (default: 1 + the largest label).
    Returns an int64 array (n_classes, n_classes); ``trace(cm) / N`` is the accuracy.
    """
    y_true = check_labels(y_true, n_classes, "y_true")
    y_pred = check_labels(y_pred, n_classes, "y_pred", n=y_true.shape[0])
    if min(y_true.min(initial=0), y_pred.min(initial=0)) < 0:
        raise ValueError("y_true and y_pred must be class labels >= 0; got a negative label")
    largest = int(max(y_true.max(initial=0), y_pred.max(initial=0)))
    n = largest + 1 if n_classes is None else check_int(n_classes, "n_classes", minimum=1)
    cm = np.zeros((n, n), dtype=np.int64)
    np.add.at(cm, (y_true, y_pred), 1)
    return cm
