"""Self-checks of lecture 3 (the perceptron): exercises 03.1-03.4, and the "your
turn" exercises 03.5 (the prediction of a batch), 03.6 (one visit of the rule, with its
mistake flag) and 03.7 (one epoch).

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
from ._functions import Case, implement
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


@exercise("03.1", "One more step of the slides' trace", hints=(
    "First compute the score w · x for this point.",
    "Turn the score into ŷ with the course's convention for a score of exactly 0, and compare "
    "ŷ with y.",
    "The rule changes w only on a mistake (ŷ ≠ y); on a match w is returned unchanged.",
), solution=r"""
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


@exercise("03.2", "Mistakes of the perceptron on AND", hints=(
    "AND is not separable by a line through the origin: append a column of ones to X before "
    "training.",
    "`dl.neurons.train_perceptron(X1, y)` returns the weights and the mistakes of each epoch; "
    "the question asks for all mistakes, not for the number of epochs.",
    "Add up `errors_per_epoch` over every epoch (the last, clean epoch adds 0).",
), solution=r"""
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


@exercise("03.3", "The mistake bound (R / γ)² on blobs", hints=(
    "Work with the points the perceptron sees, the constant-1 feature appended, and give u "
    "length 1 before measuring margins.",
    "R is the largest norm of a point (`np.linalg.norm(X1, axis=1).max()`); γ is the smallest "
    "y_i u · x_i.",
    "The bound is the ratio R / γ, squared.",
), solution=r"""
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


@exercise("03.4", "Write the perceptron update", hints=(
    "Two steps: predict ŷ from the score w · x, then decide whether to change w.",
    "`np.sign(0)` is 0; the course's ŷ is +1 when w · x >= 0 and -1 otherwise.",
    "Return `w + y * x` when ŷ ≠ y, and `w` itself otherwise.",
), solution=r"""
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


# --- Your turn: exercises 03.5 and 03.6 ------------------------------------------------------

def reference_predict(w, X):
    """dlcore's perceptron prediction: sign(X @ w) with sign(0) = +1, shape (N,)."""
    return np.asarray(neurons.sign_pm(np.asarray(X, float) @ np.asarray(w, float)), dtype=float)


def _numpy_sign_predict(w, X):
    return np.sign(np.asarray(X, float) @ np.asarray(w, float))


def _strict_predict(w, X):
    return np.where(np.asarray(X, float) @ np.asarray(w, float) > 0, 1.0, -1.0)


def _step_predict(w, X):
    return np.where(np.asarray(X, float) @ np.asarray(w, float) >= 0, 1.0, 0.0)


implement(
    "03.5", "Write the perceptron's prediction for a batch of points",
    reference=reference_predict, name="my_predict",
    reference_name="dlcore's prediction (dl.neurons.sign_pm of X @ w)",
    cases=[
        Case("w = 0: every score is 0", (np.zeros(2), np.array([[1.0, -1.0], [2.0, 3.0]]))),
        Case("one point on each side", (np.array([1.0, -1.0]), np.array([[2.0, 1.0],
                                                                          [0.0, 3.0]]))),
        Case("a point on the boundary among others", (np.array([-1.0, 1.0]),
                                                      np.array([[1.0, 1.0], [1.0, -1.0],
                                                                [-1.0, 1.0]]))),
        Case("a batch of one, bias feature last", (np.array([2.0, -1.0, 0.5]),
                                                   np.array([[0.0, 1.0, 1.0]]))),
    ],
    mistakes=[
        (_numpy_sign_predict, "np.sign(0) is 0, which is no label: the course predicts +1 on "
                              "the boundary, where w · x = 0"),
        (_strict_predict, "a point with w · x = 0 gets -1 here; the course's sign(0) is +1, so "
                          "the test is w · x >= 0"),
        (_step_predict, "the perceptron's labels are -1 and +1, not 0 and 1: a negative score "
                        "predicts -1"),
    ],
    hints=(
        "All scores at once: `X @ w` has one score per row of X.",
        "A score of exactly 0 must give +1: compare with `>= 0` rather than calling `np.sign`.",
        "`np.where(X @ w >= 0, 1.0, -1.0)`.",
    ),
    solution=r"""
One score per point, then the sign with $\operatorname{sign}(0) = +1$:

```python
def my_predict(w, X):
    return np.where(np.asarray(X) @ np.asarray(w) >= 0, 1.0, -1.0)
```

`np.sign` would return 0 on the boundary, a value no label has, so every boundary point would
count as a mistake.
""")


def reference_step(w, x, y):
    """dlcore's perceptron step and whether the visit was a mistake: (w_new (D,), 0 or 1)."""
    w_new = neurons.perceptron_step(w, x, y)
    return w_new, float(neurons.sign_pm(np.asarray(w, float) @ np.asarray(x, float)) != y)


def _numpy_sign_step(w, x, y):
    wrong = np.sign(w @ x) != y
    return (w + y * x if wrong else w.copy()), float(wrong)


def _always_step(w, x, y):
    return w + y * x, float(neurons.sign_pm(w @ x) != y)


def _prediction_as_flag(w, x, y):
    y_hat = neurons.sign_pm(w @ x)
    return (w + y * x if y_hat != y else w.copy()), float(y_hat)


def _subtract_step(w, x, y):
    wrong = neurons.sign_pm(w @ x) != y
    return (w - y * x if wrong else w.copy()), float(wrong)


implement(
    "03.6", "Write one visit of the perceptron rule, with its mistake flag",
    reference=reference_step, name="my_perceptron_step", outputs=("w", "mistake"),
    reference_name="dlcore's perceptron step (dl.neurons.perceptron_step, with the flag "
                   "1[y ≠ ŷ])",
    cases=[
        Case("a clear match", (np.array([-1.0, 1.0]), np.array([-1.0, 2.0]), 1)),
        Case("w = 0 and y = +1: a match on the boundary", (np.zeros(2), np.array([1.0, -1.0]),
                                                           1)),
        Case("w = 0 and y = -1: a mistake on the boundary", (np.zeros(2), np.array([1.0, -1.0]),
                                                             -1)),
        Case("a mistake with y = +1, bias feature last", (np.array([1.0, 0.0, -0.5]),
                                                          np.array([-2.0, 1.0, 1.0]), 1)),
    ],
    mistakes=[
        (_numpy_sign_step, "np.sign(0) is 0, which never equals a label, so a point on the "
                           "boundary always counts as a mistake; the course's sign(0) is +1"),
        (_always_step, "w moved although the prediction was right: the rule adds y x only on a "
                       "mistake"),
        (_prediction_as_flag, "the second result is the mistake flag, 1 when ŷ ≠ y and 0 on a "
                              "match, not the prediction ŷ itself"),
        (_subtract_step, "on a mistake the rule adds y x (it turns w towards a positive point "
                         "and away from a negative one); it never subtracts it"),
    ],
    hints=(
        "Compute ŷ first, with sign(0) = +1, exactly as in your prediction above.",
        "The flag is `float(y_hat != y)`; the new weights are `w + y * x` when the flag is 1.",
        "Return both, in that order: `return w_new, mistake` (on a match, `w_new` is a copy "
        "of w).",
    ),
    solution=r"""
Predict with $\operatorname{sign}(0) = +1$, then add $y\,x$ only on a mistake and report
whether there was one:

```python
def my_perceptron_step(w, x, y):
    y_hat = 1 if w @ x >= 0 else -1
    mistake = float(y_hat != y)
    w_new = w + y * x if mistake else w.copy()
    return w_new, mistake
```

The flags of one pass over the data add up to that epoch's mistakes, which is how training
decides that an epoch was clean.
""")


def reference_epoch(w, X, y):
    """dlcore's epoch: one pass of the rule over the rows of X, in order: (w (D,), mistakes)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", neurons.DidNotConverge)
        result = neurons.train_perceptron(X, y, max_epochs=1, w0=np.asarray(w, float))
    return result.w, float(result.errors_per_epoch[0])


def _numpy_sign_epoch(w, X, y):
    w, mistakes = np.asarray(w, float).copy(), 0
    for x, label in zip(X, y):
        if np.sign(w @ x) != label:
            w, mistakes = w + label * x, mistakes + 1
    return w, float(mistakes)


def _batch_epoch(w, X, y):
    w = np.asarray(w, float)
    wrong = neurons.sign_pm(X @ w) != y
    return w + (y[wrong, None] * X[wrong]).sum(axis=0), float(wrong.sum())


def _from_zero_epoch(w, X, y):
    return reference_epoch(np.zeros_like(np.asarray(w, float)), X, y)


_AND_X = np.hstack([boolean_table("AND")[0], np.ones((4, 1))]).astype(float)
_AND_Y = boolean_table("AND", labels="pm")[1]

implement(
    "03.7", "Write one epoch of perceptron training",
    reference=reference_epoch, name="my_perceptron_epoch", outputs=("w", "mistakes"),
    reference_name="dlcore's epoch (dl.neurons.train_perceptron with max_epochs=1 from w)",
    cases=[
        Case("the slides' two points from w = 0", (np.zeros(2), np.array([[1.0, -1.0],
                                                                          [-1.0, 1.0]]),
                                                   np.array([-1, 1]))),
        Case("a boundary point with y = +1 first", (np.zeros(2), np.array([[1.0, 2.0],
                                                                           [-1.0, 0.5]]),
                                                    np.array([1, -1]))),
        Case("AND with the bias feature, from w = 0", (np.zeros(3), _AND_X, _AND_Y)),
        Case("AND again, from w = (1, 1, -1)", (np.array([1.0, 1.0, -1.0]), _AND_X, _AND_Y)),
    ],
    mistakes=[
        (_numpy_sign_epoch, "np.sign(0) is 0, so a point on the boundary counts as a mistake "
                            "even when its label is +1; the course's sign(0) is +1"),
        (_batch_epoch, "all the predictions were made with the starting w; the perceptron "
                       "updates after each point, and the next point is predicted with the "
                       "new w"),
        (_from_zero_epoch, "the epoch starts from the w it is given (the end of the previous "
                           "epoch), not from zeros"),
    ],
    hints=(
        "Loop over the rows of X and the labels together (`zip(X, y)`), keeping the current w "
        "from one point to the next.",
        "At each point call your `my_perceptron_step`: it gives the new w and the flag to add "
        "to the count.",
        "`for x, label in zip(X, y): w, m = my_perceptron_step(w, x, label); mistakes += m`, "
        "then return `w, mistakes`.",
    ),
    solution=r"""
Visit the points in order, each with the weights the previous visit left, and add up the
flags:

```python
def my_perceptron_epoch(w, X, y):
    mistakes = 0
    for x, label in zip(X, y):
        w, mistake = my_perceptron_step(w, x, label)
        mistakes += mistake
    return w, mistakes
```

Training repeats epochs until one returns 0 mistakes; on data that no line separates (XOR)
that never happens.
""")
