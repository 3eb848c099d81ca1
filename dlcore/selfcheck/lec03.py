"""Self-checks of lecture 3 (the perceptron): exercises 03.1-03.4.

Course rule: ``w <- w + y x 1[y != sign(w . x)]`` with sign(0) = +1 (``neurons.sign_pm``).
Expected values are computed here with ``dlcore.neurons`` and ``dlcore.data`` and never
printed.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import neurons
from ..data.synthetic import blobs
from ..data.tables import boolean_table
from ._answers import numbers
from ._registry import exercise

__all__: list[str] = []

BLOB_CENTERS = np.array([[1.0, 1.0], [3.0, 3.0]])
U = np.array([1.0, 1.0, -4.0])  # the separator x1 + x2 = 4 of exercise 03.3 (not normalised)


def _with_bias(X) -> np.ndarray:
    return np.hstack([X, np.ones((X.shape[0], 1))])


def _numpy_sign_mistakes(X, y, max_epochs: int = 100) -> int:
    """Total mistakes of the perceptron that uses np.sign (sign(0) = 0) until an epoch is clean."""
    w, total = np.zeros(X.shape[1]), 0
    for _ in range(max_epochs):
        wrong = 0
        for x, label in zip(X, y):
            if np.sign(w @ x) != label:
                w, wrong = w + label * x, wrong + 1
        total += wrong
        if wrong == 0:
            break
    return total


@exercise("03.1", "One more step of the slides' trace", solution=r"""
$w \cdot x = (-1)(1) + (1)(1) = 0$, and the course takes $\operatorname{sign}(0) = +1$, so
$\hat y = +1 = y$: a match, and **w stays (-1, 1)**.

With `np.sign`, $\hat y$ would be 0, which differs from every label, and the update
$w + yx = (0, 2)$ would fire; the same happens if you update on every point, mistake or
not.

```python
answer = dl.neurons.perceptron_step(np.array([-1.0, 1.0]), np.array([1.0, 1.0]), 1)
```
""")
def _check_03_1(answer):
    a = numbers(answer, 2)
    w, x, y = np.array([-1.0, 1.0]), np.array([1.0, 1.0]), 1
    if np.allclose(a, w + y * x):
        return ("you updated although ŷ = y: either np.sign(0) = 0 (the course uses +1) or an "
                "update on every point; the rule updates only on a mistake")
    if np.allclose(a, w - y * x):
        return "the update adds y x; it never subtracts it when y = +1"
    return None if np.allclose(a, neurons.perceptron_step(w, x, y)) else \
        "compute w · x, then ŷ with sign(0) = +1, and update only on a mistake"


@exercise("03.2", "Mistakes of the perceptron on AND", solution=r"""
Append the constant-1 feature, start from $w = 0$ and count every update until an epoch has no
mistake:

```python
X, y = dl.data.boolean_table("AND", labels="pm")
X1 = np.hstack([X, np.ones((4, 1))])
w, errors = dl.neurons.train_perceptron(X1, y)
answer = int(errors.sum())   # errors per epoch: 2, 3, 3, 2, 1, 0
```

The total is **11**, in 6 epochs (the last one clean).
""")
def _check_03_2(answer):
    a = float(numbers(answer, 1)[0])
    X, y = boolean_table("AND", labels="pm")
    X1 = _with_bias(X)
    result = neurons.train_perceptron(X1, y)
    if a == result.errors_per_epoch.sum():
        return None
    if a == len(result.errors_per_epoch):
        return "that is the number of epochs; the question asks for the number of mistakes"
    if a == _numpy_sign_mistakes(X1, y):
        return "that count comes from np.sign, where sign(0) = 0; the course uses sign(0) = +1"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", neurons.DidNotConverge)
        no_bias = neurons.train_perceptron(X, y, max_epochs=100)
    if a == no_bias.errors_per_epoch.sum():
        return "without the constant-1 feature AND never converges: append a column of ones"
    return "use dl.neurons.train_perceptron and add up the mistakes of every epoch"


@exercise("03.3", "The mistake bound (R / γ)² on blobs", solution=r"""
With the bias feature appended, $R = \max_i \lVert x_i\rVert$, and the margin of the unit
vector $u = (1, 1, -4)/\sqrt{18}$ is $\gamma = \min_i y_i\, u \cdot x_i$.  The bound is
$(R/\gamma)^2 \approx 746$, far above the 20 mistakes the perceptron makes: the bound holds
for every separator, and a wider margin gives a tighter one.

```python
X, y = dl.data.blobs(40, centers=np.array([[1.0, 1.0], [3.0, 3.0]]), std=0.5,
                     labels="pm", seed=0)
X1 = np.hstack([X, np.ones((40, 1))])
u = np.array([1.0, 1.0, -4.0]) / np.sqrt(18)
R = np.linalg.norm(X1, axis=1).max()
gamma = (y * (X1 @ u)).min()
answer = (R / gamma) ** 2
```
""")
def _check_03_3(answer):
    a = float(numbers(answer, 1)[0])
    X, y = blobs(40, centers=BLOB_CENTERS, std=0.5, labels="pm", seed=0)
    X1 = _with_bias(X)
    R = np.linalg.norm(X1, axis=1).max()
    gamma = (y * (X1 @ U)).min() / np.linalg.norm(U)
    expected = (R / gamma) ** 2
    if np.isclose(a, R / gamma, rtol=1e-3):
        return "square the ratio: the bound is (R / γ)²"
    if np.isclose(a, expected / (U @ U), rtol=1e-3):
        return "normalise u first: the margin is measured with a unit vector"
    if np.isclose(a, (np.linalg.norm(X, axis=1).max() / gamma) ** 2, rtol=1e-3):
        return "R must include the constant-1 feature the perceptron sees"
    return None if np.isclose(a, expected, rtol=1e-3) else \
        "R is the largest norm, γ the smallest y u · x, with u of length 1"


_UPDATE_CASES = (  # (w, x, y): a mistake, a match, sign(0) with y = +1, sign(0) with y = -1
    (np.array([0.0, 0.0]), np.array([1.0, -1.0]), -1),
    (np.array([-1.0, 1.0]), np.array([-1.0, 1.0]), 1),
    (np.array([-1.0, 1.0]), np.array([1.0, 1.0]), 1),
    (np.array([-1.0, 1.0]), np.array([1.0, 1.0]), -1),
    (np.array([1.0, 0.0]), np.array([-2.0, 1.0]), 1),
)


@exercise("03.4", "Write the perceptron update", solution=r"""
Predict first, with $\operatorname{sign}(0) = +1$, and add $y\,x$ only when the prediction is
wrong: $w \leftarrow w + y\,x\,\mathbb 1[y \ne \hat y]$.  Adding $y\,x$ on every point would
also change $w$ after a correct prediction.

```python
def update(w, x, y):
    y_hat = 1 if w @ x >= 0 else -1
    return w + y * x if y_hat != y else w
```
""")
def _check_03_4(answer):
    if not callable(answer):
        return "answer with a function update(w, x, y) that returns the new w"
    outs = [np.asarray(answer(w.copy(), x.copy(), y), dtype=float) for w, x, y in _UPDATE_CASES]
    right = [neurons.perceptron_step(w, x, y) for w, x, y in _UPDATE_CASES]
    if all(np.allclose(o, r) for o, r in zip(outs, right)):
        return None
    if all(np.allclose(o, w + y * x) for o, (w, x, y) in zip(outs, _UPDATE_CASES)):
        return "your function updates on every point; update only when ŷ != y"
    numpy_rule = [w + y * x * (np.sign(w @ x) != y) for w, x, y in _UPDATE_CASES]
    if all(np.allclose(o, r) for o, r in zip(outs, numpy_rule)):
        return "np.sign(0) is 0, so a point on the boundary always counts as a mistake"
    if all(np.allclose(o, w - y * x * (not np.allclose(r, w)))
           for o, r, (w, x, y) in zip(outs, right, _UPDATE_CASES)):
        return "the sign of the update is flipped: add y x on a mistake"
    return "compute ŷ = sign(w · x) with sign(0) = +1 and add y x only if ŷ != y"
