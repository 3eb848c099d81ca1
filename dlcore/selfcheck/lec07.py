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
from ._registry import exercise

__all__: list[str] = []


@exercise("07.1", "The slope of the sigmoid at z = 1", solution=r"""
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


@exercise("07.2", "L1, L2, hinge and 0-1 loss at (y_hat, y) = (1.5, +1)", solution=r"""
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


@exercise("07.3", "A numerically stable softmax", solution=r"""
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


@exercise("07.4", "Cross-entropy of softmax([1, 2, 3]) for the true class 2", solution=r"""
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


@exercise("07.5", "Upper bound on the product of ten sigmoid slopes", solution=r"""
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
