"""Loss functions as stateless forward/backward pairs, plus plain one-call versions.

Shape legend: N batch size, C classes.  Elementwise losses take ``y_hat`` (prediction, any
shape) and ``y`` (target, the same shape; nothing is broadcast) and average over every entry,
except ``squared_error``, which sums.  ``softmax_cross_entropy`` takes logits (N, C) and integer
labels (N,).

``<name>(...)`` returns the loss as a Python float; ``<name>_forward(...)`` returns
``(loss, cache)``; ``<name>_backward(dout, cache)`` takes the scalar upstream gradient ``dout``
(1.0 when the loss is the end of the graph) and returns the gradient with respect to the
prediction, of its shape.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._checks import as_array, check_choice, check_labels, check_positive, shape_str
from .activations import sigmoid

__all__ = [
    "squared_error", "squared_error_forward", "squared_error_backward",
    "mse", "mse_forward", "mse_backward",
    "l1", "l1_forward", "l1_backward",
    "binary_cross_entropy", "binary_cross_entropy_forward", "binary_cross_entropy_backward",
    "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_forward",
    "binary_cross_entropy_with_logits_backward",
    "softmax_cross_entropy", "softmax_cross_entropy_forward", "softmax_cross_entropy_backward",
    "hinge", "hinge_forward", "hinge_backward",
    "zero_one",
    "l2_penalty", "l2_penalty_forward", "l2_penalty_backward",
    "LOSS_NAMES", "pointwise_loss",
]


def _pair(y_hat, y, where: str, names=("y_hat", "y")):
    """Both arrays, same shape, finite, non-empty."""
    a = as_array(y_hat, names[0])
    b = as_array(y, names[1])
    if a.shape != b.shape:
        raise ValueError(f"{where}: {names[1]} must have the same shape as {names[0]} "
                         f"{shape_str(a.shape)}; got {shape_str(b.shape)} (losses do not "
                         f"broadcast)")
    if a.size == 0:
        raise ValueError(f"{where}: {names[0]} and {names[1]} must not be empty")
    return a, b


def _scalar_dout(dout, where: str) -> float:
    d = as_array(dout, "dout")
    if d.size != 1 or d.ndim > 1:
        raise ValueError(f"{where}: dout must be a scalar (the upstream gradient of the loss); "
                         f"got shape {shape_str(d.shape)}")
    return float(d.reshape(()))


def _pm1(y, name: str, where: str) -> None:
    if not np.all((y == 1) | (y == -1)):
        raise ValueError(f"{where}: {name} must contain only -1 and +1 labels (map 0/1 labels "
                         f"with 2 * y - 1)")


def squared_error(y_hat, y) -> float:
    """``L = 1/2 * sum (y_hat - y)^2`` (the sigmoid-neuron lecture's loss); same shapes."""
    return squared_error_forward(y_hat, y)[0]


def squared_error_forward(y_hat, y):
    """``L = 1/2 * sum (y_hat - y)^2``; y_hat, y any shape (equal) -> (float, cache)."""
    y_hat, y = _pair(y_hat, y, "squared_error_forward")
    diff = y_hat - y
    return float(0.5 * np.sum(diff * diff)), diff


def squared_error_backward(dout, cache):
    """``dy_hat = dout * (y_hat - y)``; shape of y_hat."""
    return _scalar_dout(dout, "squared_error_backward") * cache


def mse(y_hat, y) -> float:
    """``L = mean (y_hat - y)^2``, as ``torch.nn.MSELoss()``; same shapes."""
    return mse_forward(y_hat, y)[0]


def mse_forward(y_hat, y):
    """``L = mean (y_hat - y)^2`` over all entries; y_hat, y any shape (equal)."""
    y_hat, y = _pair(y_hat, y, "mse_forward")
    diff = y_hat - y
    return float(np.mean(diff * diff)), diff


def mse_backward(dout, cache):
    """``dy_hat = dout * 2 (y_hat - y) / n`` (n entries); shape of y_hat."""
    diff = cache
    return _scalar_dout(dout, "mse_backward") * 2.0 * diff / diff.size


def l1(y_hat, y) -> float:
    """``L = mean |y_hat - y|``, as ``torch.nn.L1Loss()``; same shapes."""
    return l1_forward(y_hat, y)[0]


def l1_forward(y_hat, y):
    """``L = mean |y_hat - y|`` over all entries; y_hat, y any shape (equal)."""
    y_hat, y = _pair(y_hat, y, "l1_forward")
    diff = y_hat - y
    return float(np.mean(np.abs(diff))), diff


def l1_backward(dout, cache):
    """``dy_hat = dout * sign(y_hat - y) / n`` (0 where y_hat = y, as torch)."""
    diff = cache
    return _scalar_dout(dout, "l1_backward") * np.sign(diff) / diff.size


def binary_cross_entropy(p, y) -> float:
    """``L = -mean(y log p + (1 - y) log(1 - p))``, as ``torch.nn.BCELoss()``."""
    return binary_cross_entropy_forward(p, y)[0]


def binary_cross_entropy_forward(p, y):
    """BCE on probabilities p in the open interval (0, 1), targets y in [0, 1]; equal shapes.

    A saturated sigmoid output (exactly 0 or 1) has an infinite log; pass the logits to
    ``binary_cross_entropy_with_logits`` instead.
    """
    where = "binary_cross_entropy_forward"
    p, y = _pair(p, y, where, names=("p", "y"))
    if np.any(p <= 0) or np.any(p >= 1):
        raise ValueError(f"{where}: p must be probabilities in the open interval (0, 1); got "
                         f"values from {p.min():g} to {p.max():g} (for logits, or sigmoid "
                         f"outputs that saturate to 0 or 1, use "
                         f"binary_cross_entropy_with_logits)")
    if np.any(y < 0) or np.any(y > 1):
        raise ValueError(f"{where}: y must be targets in [0, 1]; got values from {y.min():g} "
                         f"to {y.max():g}")
    loss = -np.mean(y * np.log(p) + (1.0 - y) * np.log1p(-p))
    return float(loss), (p, y)


def binary_cross_entropy_backward(dout, cache):
    """``dp = dout * (p - y) / (p (1 - p)) / n``; shape of p."""
    p, y = cache
    return _scalar_dout(dout, "binary_cross_entropy_backward") * (p - y) / (p * (1 - p)) / p.size


def binary_cross_entropy_with_logits(z, y) -> float:
    """``L = mean(max(z, 0) - z y + log(1 + exp(-|z|)))`` = BCE(sigmoid(z), y), stably."""
    return binary_cross_entropy_with_logits_forward(z, y)[0]


def binary_cross_entropy_with_logits_forward(z, y):
    """Stable BCE on logits z (any shape) with targets y in [0, 1] (same shape).

    ``-y log sigma(z) - (1 - y) log(1 - sigma(z))`` rewritten so that exp only sees
    non-positive numbers, as ``torch.nn.BCEWithLogitsLoss()``.
    """
    where = "binary_cross_entropy_with_logits_forward"
    z, y = _pair(z, y, where, names=("z", "y"))
    if np.any(y < 0) or np.any(y > 1):
        raise ValueError(f"{where}: y must be targets in [0, 1]; got values from {y.min():g} "
                         f"to {y.max():g}")
    loss = np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
    return float(loss), (z, y)


def binary_cross_entropy_with_logits_backward(dout, cache):
    """``dz = dout * (sigmoid(z) - y) / n``; shape of z."""
    z, y = cache
    d = _scalar_dout(dout, "binary_cross_entropy_with_logits_backward")
    return d * (sigmoid(z) - y) / z.size


def softmax_cross_entropy(logits, labels) -> float:
    """``L = mean_i(-log softmax(logits_i)[labels_i])``, as ``torch.nn.CrossEntropyLoss()``."""
    return softmax_cross_entropy_forward(logits, labels)[0]


def softmax_cross_entropy_forward(logits, labels):
    """Mean cross-entropy of softmax(logits) against integer labels, computed stably.

    logits (N, C) float, labels (N,) integers in [0, C).  Uses
    ``log softmax(z)_j = (z_j - max z) - log sum_k exp(z_k - max z)``, so logits near 1000
    neither overflow nor lose the answer.  Returns (float, cache).
    """
    where = "softmax_cross_entropy_forward"
    logits = as_array(logits, "logits", ndim=2, spec="(N, C)")
    n, c = logits.shape
    if n == 0 or c == 0:
        raise ValueError(f"{where}: logits must have shape (N, C) with N >= 1 and C >= 1; got "
                         f"shape {shape_str(logits.shape)}")
    labels = check_labels(labels, c, "labels", n=n)
    z = logits - logits.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    loss = -np.mean(log_probs[np.arange(n), labels])
    return float(loss), (log_probs, labels)


def softmax_cross_entropy_backward(dout, cache):
    """``dlogits = dout * (softmax(logits) - one_hot(labels)) / N``; shape (N, C)."""
    log_probs, labels = cache
    d = _scalar_dout(dout, "softmax_cross_entropy_backward")
    n = log_probs.shape[0]
    dlogits = np.exp(log_probs)
    dlogits[np.arange(n), labels] -= 1.0
    return dlogits * (d / n)


def hinge(scores, y) -> float:
    """``L = mean max(0, 1 - y * s)`` for labels y in {-1, +1}; same shapes."""
    return hinge_forward(scores, y)[0]


def hinge_forward(scores, y):
    """Hinge loss ``mean max(0, 1 - y s)``; scores any shape, y the same shape in {-1, +1}."""
    where = "hinge_forward"
    s, y = _pair(scores, y, where, names=("scores", "y"))
    _pm1(y, "y", where)
    margin = 1.0 - y * s
    return float(np.mean(np.maximum(margin, 0))), (margin > 0, y)


def hinge_backward(dout, cache):
    """``dscores = -dout * y * [1 - y s > 0] / n`` (0 at the kink, as relu); shape of scores."""
    active, y = cache
    d = _scalar_dout(dout, "hinge_backward")
    return np.where(active, -d * y, 0.0) / y.size


def zero_one(scores, y, threshold: float = 0.0) -> float:
    """0-1 loss ``mean [predicted label != y]``, predicted label ``+1 if s >= threshold else -1``.

    scores any shape, y the same shape in {-1, +1}; a score equal to the threshold predicts
    +1 (the course's sign(0) = +1).  With ``threshold=0.5`` the scores are read as
    probabilities of the positive class.  There is no backward: the loss is piecewise
    constant, so its gradient is zero almost everywhere (and undefined on the boundary), which
    is why training uses a surrogate such as the hinge loss (``hinge >= zero_one`` for
    ``threshold=0``).
    """
    where = "zero_one"
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
        raise TypeError(f"{where}: threshold must be a real number; got {threshold!r}")
    if not np.isfinite(threshold):
        raise ValueError(f"{where}: threshold must be finite; got {threshold}")
    s, y = _pair(scores, y, where, names=("scores", "y"))
    _pm1(y, "y", where)
    predicted = np.where(s >= threshold, 1.0, -1.0)
    return float(np.mean(predicted != y))


def _weights(weights, where: str) -> list[np.ndarray]:
    if isinstance(weights, np.ndarray):
        weights = [weights]
    if not isinstance(weights, (list, tuple)):
        raise TypeError(f"{where}: weights must be a list of arrays (or one array); got "
                        f"{type(weights).__name__}")
    return [as_array(w, f"weights[{i}]") for i, w in enumerate(weights)]


def l2_penalty(weights, lam: float) -> float:
    """``R = lam / 2 * sum_W sum_ij W_ij^2`` over a list of arrays (any shapes)."""
    return l2_penalty_forward(weights, lam)[0]


def l2_penalty_forward(weights, lam: float):
    """``R = lam / 2 * sum of squared entries``; weights a list of arrays (or one array).

    Returns (float, cache).  Biases are usually left out of ``weights``.
    """
    lam = check_positive(lam, "lam", allow_zero=True)
    ws = _weights(weights, "l2_penalty_forward")
    return float(0.5 * lam * sum(float(np.sum(w * w)) for w in ws)), (ws, lam)


def l2_penalty_backward(dout, cache) -> list[np.ndarray]:
    """``dW = dout * lam * W`` for each array: a list in the order of ``weights``.

    Added to the data-loss gradients, this is weight decay: ``W -= lr * (dW_data + lam W)``.
    """
    ws, lam = cache
    d = _scalar_dout(dout, "l2_penalty_backward")
    return [d * lam * w for w in ws]


# The losses of one prediction that ``pointwise_loss`` (and the lecture 7 plots) know.
LOSS_NAMES = ("L1", "L2", "hinge", "0-1", "logistic")


def pointwise_loss(name: str, y_hat, y: float, threshold: float = 0.0) -> np.ndarray:
    """One loss value per prediction: ``ell(y_hat_k, y)`` for every entry of ``y_hat``.

    Names: "L1" ``|y_hat - y|``, "L2" ``(y_hat - y)^2``, "hinge" ``max(0, 1 - y y_hat)``, "0-1"
    ``[label(y_hat) != y]`` with ``label = +1 if y_hat >= threshold else -1``, and "logistic"
    ``log(1 + exp(-y y_hat))`` (binary cross-entropy of ``sigma(y_hat)`` with the target
    ``(y + 1) / 2``).  Each value is the dlcore loss of a single prediction.  y_hat (K,),
    y a label in {-1, +1} -> (K,).
    """
    check_choice(name, "loss", LOSS_NAMES)
    y_hat = as_array(y_hat, "y_hat", ndim=1, spec="(K,)")
    y = float(as_array(y, "y", ndim=0))
    if y not in (-1.0, 1.0):
        raise ValueError(f"pointwise_loss: y must be a label in {{-1, +1}}; got {y:g}")
    one = np.array([y])
    if name == "L1":
        return np.array([l1([v], one) for v in y_hat])
    if name == "L2":
        return np.array([mse([v], one) for v in y_hat])
    if name == "hinge":
        return np.array([hinge([v], one) for v in y_hat])
    if name == "0-1":
        return np.array([zero_one([v], one, threshold=threshold) for v in y_hat])
    target = np.array([(y + 1.0) / 2.0])
    return np.array([binary_cross_entropy_with_logits([v], target) for v in y_hat])
