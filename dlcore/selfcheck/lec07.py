"""Self-checks of lecture 7 (activations and losses): exercises 07.1-07.5.

Expected values are computed here with dlcore (``activations``, ``losses``) and never printed;
a hint names the likely mistake.
"""

from __future__ import annotations

import numpy as np

from .. import activations, losses
from ._answers import close as _close
from ._answers import number as _number
from ._answers import numbers as _numbers
from ._functions import Case, Gradients, implement
from ._registry import exercise

__all__: list[str] = []


@exercise("07.1", "The slope of the sigmoid at z = 1", hints=(
    "The sigmoid's derivative is written with its own output: first compute sigma(1).",
    "sigma'(z) = sigma(z) (1 - sigma(z)); evaluate it at z = 1.",
    "`s = dl.activations.sigmoid(1.0)`, then `s * (1 - s)`.",
), solution=r"""
$\sigma(1) = 1/(1 + e^{-1}) \approx 0.731059$, and $\sigma'(z) = \sigma(z)(1 - \sigma(z))$, so
$\sigma'(1) \approx 0.731059 \times 0.268941 \approx 0.196612$ (below the bound $1/4$, reached
only at $z = 0$).

```python
s, cache = dl.activations.sigmoid_forward(1.0)
answer = dl.activations.sigmoid_backward(1.0, cache)
```
""")
def _check_sigmoid_slope(answer):
    got = _number(answer)
    s, cache = activations.sigmoid_forward(np.array(1.0))
    expected = float(activations.sigmoid_backward(np.array(1.0), cache))
    if _close(got, float(s)):
        return "that is sigma(1) itself; the slope is sigma(1) * (1 - sigma(1))"
    if _close(got, 1.0 - np.tanh(1.0) ** 2):
        return "that is the slope of tanh at 1; the sigmoid's is sigma(1) * (1 - sigma(1))"
    if _close(got, 0.25):
        return "1/4 is the slope at z = 0, the largest the sigmoid ever has; evaluate at z = 1"
    return None if _close(got, expected) else "use sigma'(z) = sigma(z) (1 - sigma(z))"


@exercise("07.2", "L1, L2, hinge and 0-1 loss at (y_hat, y) = (1.5, +1)", hints=(
    "L1 and L2 depend only on the difference y_hat - y = 0.5.",
    "The hinge loss is max(0, 1 - y y_hat): what is y y_hat here, and is it above 1?",
    "The 0-1 loss asks whether the predicted label (the sign of y_hat) equals y; `dl.losses` "
    "has all four.",
), solution=r"""
- L1: $|1.5 - 1| = 0.5$
- L2: $(1.5 - 1)^2 = 0.25$
- hinge: $\max(0, 1 - 1 \cdot 1.5) = \max(0, -0.5) = 0$: a confident correct score costs
  nothing, while L1 and L2 punish it for overshooting the label.
- 0-1: the score 1.5 has the sign of the label (and is above 0.5 too), so 0.

```python
y_hat, y = np.array([1.5]), np.array([1.0])
answer = [dl.losses.l1(y_hat, y), dl.losses.mse(y_hat, y), dl.losses.hinge(y_hat, y),
          dl.losses.zero_one(y_hat, y)]
```
""")
def _check_four_losses(answer):
    got = _numbers(answer, 4)
    y_hat, y = np.array([1.5]), np.array([1.0])
    expected = np.array([losses.l1(y_hat, y), losses.mse(y_hat, y), losses.hinge(y_hat, y),
                         losses.zero_one(y_hat, y)])
    if _close(got[2], got[0]) and not _close(got[2], expected[2]):
        return ("the hinge loss is max(0, 1 - y * y_hat), not |y_hat - y|: once y * y_hat >= 1 "
                "it is zero")
    if _close(got[1], expected[0]) and not _close(got[1], expected[1]):
        return "the L2 loss squares the difference"
    if _close(got[3], 1.0):
        return "the prediction has the sign of the label, so the 0-1 loss counts no mistake"
    if not _close(got[:2], expected[:2]):
        return "check L1 and L2: they depend only on the difference y_hat - y"
    return None if _close(got, expected) else "check each of the four losses"


def _reference_softmax(z):
    return activations.softmax(np.asarray(z, dtype=float), axis=-1)


@exercise("07.3", "A numerically stable softmax", hints=(
    "exp(1000) is inf in float64; what can you subtract from every logit of a row without "
    "changing the softmax?",
    "Subtract the largest logit of each row (`z.max(axis=-1, keepdims=True)`), exponentiate, "
    "and divide by the row sums.",
    "`e = np.exp(z - z.max(axis=-1, keepdims=True))`, then `e / e.sum(axis=-1, "
    "keepdims=True)`: keepdims makes it work for 1-D and 2-D alike.",
), solution=r"""
Subtract the largest logit of each row before exponentiating: the result is unchanged (the
factor $e^{-\max z}$ cancels between numerator and denominator) and `exp` never sees a
positive number, so it cannot overflow.

```python
def my_softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
```
""")
def _check_softmax(answer):
    if not callable(answer):
        return "answer must be your function my_softmax (the function itself, not a call)"
    cases = [np.array([2.0, 1.0, 0.1]), np.array([[1.0, 2.0, 3.0], [0.5, 0.5, -1.0]]),
             np.array([1000.0, 999.0, 998.0]), np.array([[-1000.0, -1001.0], [3.0, 700.0]])]
    for z in cases:
        with np.errstate(all="ignore"):
            got = np.asarray(answer(z.copy()), dtype=float)
        expected = _reference_softmax(z)
        if got.shape != z.shape:
            return (f"for logits of shape {z.shape} the result must have the same shape; "
                    f"got {got.shape}")
        if not np.all(np.isfinite(got)):
            return ("large logits give NaN or inf: exp overflows. Subtract the maximum of each "
                    "row before calling exp")
        if z.ndim == 2 and np.allclose(got.sum(axis=0), 1.0) and not np.allclose(
                got.sum(axis=-1), 1.0):
            return "each ROW must sum to 1: normalise along the last axis (axis=-1)"
        if not np.allclose(got.sum(axis=-1), 1.0):
            return "the probabilities must sum to 1: divide by the sum of the exponentials"
        if not np.allclose(got, expected, atol=1e-10):
            return "softmax_j = exp(z_j - max z) / sum_k exp(z_k - max z)"
    return None


@exercise("07.4", "Cross-entropy of softmax([1, 2, 3]) for the true class 2", hints=(
    "With a one-hot target, the sum -sum_j y_j log p_j keeps a single term: which one?",
    "Compute p = softmax([1, 2, 3]) and take the probability of class 2 (classes are numbered"
    " from 0).",
    "The loss is -log p[2], with the natural logarithm.",
), solution=r"""
$\mathrm{softmax}([1, 2, 3]) \approx [0.090031, 0.244728, 0.665241]$.  With a one-hot target,
$-\sum_j y_j \log \hat y_j$ keeps only the true class, so the loss is
$-\log \hat y_2 = -\log 0.665241 \approx 0.407606$.  The index is the true class $c$, the
one entry where the one-hot target is 1.

```python
answer = dl.losses.softmax_cross_entropy(np.array([[1.0, 2.0, 3.0]]), [2])
```
""")
def _check_cross_entropy(answer):
    got = _number(answer)
    z = np.array([[1.0, 2.0, 3.0]])
    expected = losses.softmax_cross_entropy(z, [2])
    p = activations.softmax(z)[0]
    for c in (0, 1):
        if _close(got, -np.log(p[c])):
            return (f"that is -log of class {c}'s probability; the loss uses the TRUE class, "
                    f"index 2 (classes are numbered from 0)")
    if _close(got, p[2]):
        return "that is the probability itself; the loss is its negative logarithm"
    if _close(got, -np.log10(p[2])):
        return "use the natural logarithm (np.log), not log10"
    return None if _close(got, expected) else "compute softmax, then -log p[true class]"


@exercise("07.5", "Upper bound on the product of ten sigmoid slopes", hints=(
    "The chain rule multiplies one local slope per layer: what is the largest slope the "
    "sigmoid ever has?",
    "sigma'(z) = sigma(z) (1 - sigma(z)) is largest at z = 0, where it is 1/4.",
    "Raise that largest slope to the power of the number of layers, ten.",
), solution=r"""
The chain rule multiplies one local derivative per layer, and each sigmoid slope is at most
$1/4$.  So the product of ten of them is at most $(1/4)^{10} = 1/1{,}048{,}576 \approx 9.54
\times 10^{-7}$: with unit weights, the gradient reaching the first unit is less than a
millionth of the one at the top.

$(1/4)^{10}$ is the supremum of $\sigma'(z_1)\cdots\sigma'(z_{10})$ when each $z_i$ may take
any value (it needs every $z_i = 0$).  In this chain they cannot: $z_2, \dots, z_{10}$ are
outputs of a sigmoid, between 0 and 1, where $\sigma' < 1/4$.  The largest product the chain
actually reaches, over every input, is about $3.90 \times 10^{-7}$ (at $z_1 \approx -0.16$),
41 % of the bound.  tanh's slopes are bounded by 1, and ReLU's equal 1 where the unit is
active.
""")
def _check_vanishing(answer):
    got = _number(answer)
    expected = float(np.max(activations.sigmoid_backward(np.ones(1), activations.sigmoid(
        np.zeros(1))))) ** 10
    if np.isclose(got, 2.5):
        return "the chain rule multiplies the ten slopes; it does not add them"
    if np.isclose(got, 1.0):
        return "1 is the bound of tanh's slope; the sigmoid's slope is at most 1/4"
    if np.isclose(got, 0.25):
        return "that is one layer; there is one factor per layer, ten in all"
    if np.isclose(got, _chain_max_product(10), rtol=1e-2, atol=0):
        return ("that is the largest product this chain actually reaches; the question asks "
                "for the bound that sigma' <= 1/4 gives")
    return None if np.isclose(got, expected, rtol=1e-3, atol=0) else (
        "raise the largest sigmoid slope to the number of layers")


def _chain_max_product(depth: int) -> float:
    """max over z_1 of sigma'(z_1) ... sigma'(z_depth) with z_{i+1} = sigma(z_i) (unit weights)."""
    z = np.linspace(-4.0, 4.0, 16_001)
    product = np.ones_like(z)
    for _ in range(depth):
        s = activations.sigmoid(z)
        product *= s * (1.0 - s)
        z = s
    return float(product.max())


# Your turn: cross-entropy on logits, stable, and its gradient ----------------------------------
#
# The learner's functions take logits (N, C) and target distributions (N, C) (one-hot rows, or
# soft ones such as label smoothing gives), a different angle from the graded assignment's
# integer labels.  The references are written with dlcore's log_softmax and softmax.


def cross_entropy(logits, targets) -> float:
    """Mean over the rows of -sum_j targets[n, j] log softmax(logits[n])_j; (N, C), (N, C)."""
    z, t = np.asarray(logits, dtype=float), np.asarray(targets, dtype=float)
    return float(np.mean(-np.sum(t * activations.log_softmax(z, axis=-1), axis=-1)))


def cross_entropy_grad(logits, targets) -> np.ndarray:
    """d cross_entropy / d logits = (softmax(logits) - targets) / N, shape (N, C)."""
    z, t = np.asarray(logits, dtype=float), np.asarray(targets, dtype=float)
    return (activations.softmax(z, axis=-1) - t) / z.shape[0]


def _log_softmax(z):
    z = np.asarray(z, dtype=float)
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


_CE_CASES = [
    Case("one example, one-hot target", (np.array([[1.0, 2.0, 3.0]]),
                                         np.array([[0.0, 0.0, 1.0]]))),
    Case("a batch of 2", (np.array([[2.0, 1.0, 0.1], [0.5, 0.5, -1.0]]),
                          np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))),
    Case("large logits (exp(1000) overflows)", (np.array([[1000.0, 999.0, 998.0]]),
                                                np.array([[1.0, 0.0, 0.0]]))),
    Case("a confident wrong answer (softmax rounds the true class to 0)",
         (np.array([[0.0, 1000.0]]), np.array([[1.0, 0.0]]))),
    Case("soft targets (label smoothing)", (np.array([[1.0, -1.0, 0.5], [0.0, 0.0, 0.0]]),
                                            np.array([[0.8, 0.1, 0.1], [0.1, 0.1, 0.8]]))),
]


def _ce_sum(logits, targets):
    return float(np.sum(-np.sum(np.asarray(targets) * _log_softmax(logits), axis=-1)))


def _ce_no_minus(logits, targets):
    return float(np.mean(np.sum(np.asarray(targets) * _log_softmax(logits), axis=-1)))


def _ce_log10(logits, targets):
    return float(np.mean(-np.sum(np.asarray(targets) * _log_softmax(logits), axis=-1))
                 / np.log(10.0))


def _ce_hard_target(logits, targets):
    t = np.asarray(targets)
    rows = np.arange(t.shape[0])
    return float(np.mean(-_log_softmax(logits)[rows, t.argmax(axis=-1)]))


implement(
    "07.6", "Write a stable cross-entropy on logits", reference=cross_entropy,
    name="my_cross_entropy", reference_name="dlcore's cross-entropy on logits (log_softmax)",
    cases=_CE_CASES,
    mistakes=[
        (_ce_no_minus, "the sign is missing: log p is at most 0, so the loss -sum y log p is "
                       "at least 0"),
        (_ce_log10, "use the natural logarithm (np.log), as the softmax's exp does; log10 "
                    "divides the loss by ln 10"),
        (_ce_sum, "that adds the examples' losses: average them over the batch (divide by N)"),
        (_ce_hard_target, "the targets may be soft: weight log p_j by target_j for every class "
                          "j, not only the largest target"),
    ],
    hints=(
        "Work with log-probabilities: log softmax(z)_j = z_j - log sum_k exp(z_k). Taking "
        "np.log of a softmax that rounded to 0 gives -inf.",
        "Subtract each row's maximum m first: log sum_k exp(z_k) = m + log sum_k exp(z_k - m), "
        "and no exp sees a positive number.",
        "With `s = z - z.max(axis=1, keepdims=True)` and `log_p = s - np.log(np.exp(s).sum("
        "axis=1, keepdims=True))`, the loss is `-(targets * log_p).sum(axis=1).mean()`.",
    ),
    solution=r"""
Compute the log-probabilities directly, with the largest logit of each row subtracted, then
weight them by the targets, add over the classes and average over the batch:

```python
def my_cross_entropy(logits, targets):
    z = np.asarray(logits, float)
    s = z - z.max(axis=1, keepdims=True)
    log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return float(-(targets * log_p).sum(axis=1).mean())
```

`np.log(softmax(z))` fails even with a stable softmax: a probability that rounds to 0 gives
$\log 0 = -\infty$, where the true loss (1000 for logits $[0, 1000]$ and class 0) is finite.
""")


def _grad_no_mean(logits, targets):
    return cross_entropy_grad(logits, targets) * np.shape(logits)[0]


def _grad_flipped(logits, targets):
    return -cross_entropy_grad(logits, targets)


def _grad_no_target(logits, targets):
    return np.exp(_log_softmax(logits)) / np.shape(logits)[0]


implement(
    "07.7", "Write the gradient of the cross-entropy with respect to the logits",
    reference=cross_entropy_grad, name="my_cross_entropy_grad",
    reference_name="dlcore's softmax minus the targets, over N",
    gradients=Gradients(cross_entropy, wrt=(0,), dout=None),
    cases=_CE_CASES,
    mistakes=[
        (_grad_flipped, "the sign is flipped: raising the true class's logit lowers the loss, "
                        "so its gradient is negative (p - y, not y - p)"),
        (_grad_no_target, "that is the softmax alone; the target is subtracted from it: the "
                          "gradient is p - y"),
        (_grad_no_mean, "the loss is a mean over the N examples, so each row of the gradient "
                        "is divided by N"),
    ],
    hints=(
        "Softmax followed by cross-entropy has a famously simple gradient with respect to "
        "the logits: the predicted probabilities minus the target.",
        "Compute p = softmax(z) row by row, stably (subtract each row's maximum), then "
        "subtract the targets.",
        "`(p - targets) / N` with `N = logits.shape[0]`: the 1/N comes from averaging the "
        "loss.",
    ),
    solution=r"""
For one example, $\partial L/\partial z_j = p_j - y_j$ with $p = \mathrm{softmax}(z)$ (the
softmax's Jacobian and the $-y_j/p_j$ of the logarithm cancel); the mean over the batch divides
by $N$:

```python
def my_cross_entropy_grad(logits, targets):
    z = np.asarray(logits, float)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return (p - targets) / z.shape[0]
```

Each row of the gradient sums to 0 (both $p$ and $y$ sum to 1): pushing one logit up pushes
the others down.
""")
