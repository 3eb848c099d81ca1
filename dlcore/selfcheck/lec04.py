"""Self-checks of lecture 4 (sigmoid neuron and gradient descent): exercises 04.1-04.5, and
the "your turn" exercises 04.6 (the gradient of a sigmoid neuron with D features) and 04.7 (one
gradient-descent step).

The toy is ``data.two_point_toy()`` (X = [0.5, 2.5], Y = [0.2, 0.9]) with
``L = 1/2 sum_i (y_i - sigma(w x_i + b))^2``; the linear toy is ``data.linear_toy()``.
Expected values are computed here with dlcore and never printed.
"""

from __future__ import annotations

import numpy as np

from .. import activations, data, losses, neurons, optim
from ._answers import number as _number
from ._functions import Case, Gradients, implement
from ._registry import exercise

__all__: list[str] = []


def _pair(answer) -> np.ndarray:
    arr = np.asarray(answer, dtype=float).reshape(-1)
    if arr.size != 2:
        raise ValueError(f"expected two numbers, got {arr.size}")
    return arr


def _toy_parts(w: float, b: float):
    X, Y = data.two_point_toy()
    f = neurons.sigmoid_neuron(X, w, b)
    return X, Y, f


def _toy_loss(w: float, b: float) -> float:
    _, Y, f = _toy_parts(w, b)
    return losses.squared_error(f, Y)


def _toy_grad(w: float, b: float) -> np.ndarray:
    X, Y, f = _toy_parts(w, b)
    dz = activations.sigmoid_backward(f - Y, f)
    return np.array([np.sum(dz * X), np.sum(dz)])


@exercise("04.1", "Loss of the toy at (w, b) = (1, -1)", hints=(
    "Compute the model's output f(x_i) = σ(w x_i + b) at both points first.",
    "Square each residual y_i - f(x_i), add the two squares, and only then multiply by 1/2.",
    "`dl.losses.squared_error(dl.neurons.sigmoid_neuron(X, w, b), Y)` computes the same "
    "thing; use it to check your hand computation.",
), solution=r"""
$f(0.5) = \sigma(0.5 - 1) = \sigma(-0.5) \approx 0.3775$ and
$f(2.5) = \sigma(2.5 - 1) = \sigma(1.5) \approx 0.8176$.  The 1/2 multiplies the whole sum:

$L = \tfrac12\big[(0.2 - 0.3775)^2 + (0.9 - 0.8176)^2\big] \approx \tfrac12(0.03152 + 0.00679)
\approx 0.019157$.

```python
X, Y = dl.data.two_point_toy()
answer = dl.losses.squared_error(dl.neurons.sigmoid_neuron(X, 1.0, -1.0), Y)
```
""")
def _check_loss(answer):
    got = _number(answer)
    X, Y, f = _toy_parts(1.0, -1.0)
    expected = _toy_loss(1.0, -1.0)
    sq = (Y - f) ** 2
    if np.isclose(got, 2 * expected, atol=1e-4):
        return "that is twice the loss: L has a 1/2 in front of the sum"
    if np.isclose(got, 0.5 * sq[1] + sq[0], atol=1e-4) or np.isclose(got, 0.5 * sq[0] + sq[1],
                                                                       atol=1e-4):
        return ("the 1/2 was applied to one term only; it multiplies the whole sum, "
                "1/2 [(y_1 - f(x_1))^2 + (y_2 - f(x_2))^2]")
    if np.isclose(got, _toy_loss(1.0, 1.0), atol=1e-4):
        return "check the sign of b: the model is sigma(w x + b) with b = -1"
    return None if np.isclose(got, expected, atol=1e-4) else (
        "compute f(x_i) = sigma(w x_i + b) for both points, then "
        "1/2 * sum of (y_i - f(x_i))^2")


@exercise("04.2", "Gradient (dL/dw, dL/db) of the toy at (w, b) = (1, -1)", hints=(
    "Chain rule per point: the derivative of 1/2 (f - y)^2 with respect to z = w x + b is "
    "(f - y) times σ'(z).",
    "σ'(z) = f (1 - f); then dz/dw = x and dz/db = 1.",
    "With d_i = (f_i - y_i) f_i (1 - f_i), the answer is (Σ d_i x_i, Σ d_i), in that order.",
), solution=r"""
With $d_i = (f_i - y_i)\,f_i(1 - f_i)$:
$\nabla w = \sum_i d_i x_i$ and $\nabla b = \sum_i d_i$.

At (1, -1): $f = (0.3775, 0.8176)$, $d = (0.04172, -0.01229)$, so
$\nabla w \approx 0.5 \cdot 0.04172 + 2.5 \cdot (-0.01229) \approx -0.00987$ and
$\nabla b \approx 0.04172 - 0.01229 \approx 0.02943$.

```python
X, Y = dl.data.two_point_toy()
f = dl.neurons.sigmoid_neuron(X, 1.0, -1.0)
d = (f - Y) * f * (1 - f)
answer = (np.sum(d * X), np.sum(d))
```
""")
def _check_grad(answer):
    got = _pair(answer)
    X, Y, f = _toy_parts(1.0, -1.0)
    expected = _toy_grad(1.0, -1.0)
    if np.allclose(got, -expected, atol=1e-5):
        return "the signs are flipped: the derivative of 1/2 (y - f)^2 is (f - y) f'"
    if np.allclose(got, expected[::-1], atol=1e-5):
        return "the two entries are swapped: the answer is (dL/dw, dL/db)"
    if np.allclose(got, [np.sum((f - Y) * X), np.sum(f - Y)], atol=1e-5):
        return "the sigmoid's derivative f (1 - f) is missing from each term"
    if np.allclose(got, [expected[1], expected[1]], atol=1e-5):
        return "dL/dw needs the extra factor x_i in each term (dz/dw = x)"
    if np.allclose(got, 2 * expected, atol=1e-5):
        return "that is twice the gradient: the 1/2 cancels the 2 from the square"
    return None if np.allclose(got, expected, atol=1e-5) else (
        "use d_i = (f_i - y_i) f_i (1 - f_i), then sum d_i x_i and sum d_i")


@exercise("04.3", "The exact optimum (w*, b*) of the toy", hints=(
    "Two points and two parameters: the sigmoid can pass through both, where L = 0.",
    "σ(z) = y has the solution z = ln(y / (1 - y)): write w x_i + b = ln(y_i / (1 - y_i)) "
    "for both points.",
    "Subtract the two linear equations to get w, then put w back into either one for b.",
), solution=r"""
Both points can be fitted exactly, so solve $\sigma(w x_i + b) = y_i$, i.e.
$w x_i + b = \operatorname{logit}(y_i) = \ln\frac{y_i}{1 - y_i}$:

$0.5 w + b = \ln(0.2/0.8) = -\ln 4$ and $2.5 w + b = \ln(0.9/0.1) = \ln 9$.

Subtracting, $2w = \ln 9 + \ln 4 = \ln 36$, so $w^* = \ln 6 \approx 1.791759$ and
$b^* = -\ln 4 - \tfrac12\ln 6 \approx -2.282174$.  There L = 0: gradient descent from (-2, -2)
with $\eta = 1$ reaches (1.79172, -2.28212) after 1000 steps.

```python
answer = (np.log(6), -np.log(4) - 0.5 * np.log(6))
```
""")
def _check_optimum(answer):
    w, b = _pair(answer)
    w_star, b_star = np.log(6.0), -np.log(4.0) - 0.5 * np.log(6.0)
    if np.isclose(w, b_star, atol=1e-4) and np.isclose(b, w_star, atol=1e-4):
        return "the two entries are swapped: the answer is (w*, b*)"
    if np.isclose(w, np.log10(6.0), atol=1e-4):
        return "use the natural logarithm (np.log), the inverse of the sigmoid's exp"
    if np.isclose(w, np.log(36.0), atol=1e-4):
        return "subtracting the two equations gives (2.5 - 0.5) w; divide by 2"
    if np.isclose(w, w_star, atol=1e-4) and np.isclose(b, np.log(4.0) - 0.5 * np.log(6.0),
                                                       atol=1e-4):
        return "check the sign of logit(0.2) = ln(0.2 / 0.8): it is negative"
    if np.isclose(w, w_star, atol=1e-4) and not np.isclose(b, b_star, atol=1e-4):
        return "w is right; now put it into 0.5 w + b = logit(0.2) to get b"
    return None if np.isclose(w, w_star, atol=1e-4) and np.isclose(b, b_star, atol=1e-4) else (
        "write w x_i + b = ln(y_i / (1 - y_i)) for both points and solve the two "
        "linear equations")


def _one_epoch(lr: float) -> float:
    x, y = data.linear_toy()
    order = iter(range(4))

    def grad(w):
        n = next(order)
        return np.array([-(y[n] - w[0] * x[n]) * x[n]])

    return float(optim.trajectory("gd", grad, [0.0], 4, lr=lr)[-1, 0])


@exercise("04.4", "One corrected per-sample epoch on the linear toy", hints=(
    "Each step uses one point n: w ← w + η (y_n - w x_n) x_n, with the same n everywhere in "
    "the formula.",
    "Start from w = 0 with η = 0.01 and visit the four points in order; each step starts "
    "from the w the previous step left.",
    "A loop `for n in range(4): w = w + 0.01 * (y[n] - w * x[n]) * x[n]` over "
    "`dl.data.linear_toy()`.",
), solution=r"""
The update `w = w + (y_n - ŷ) x_i` mixes two indices and has no learning rate.  The
corrected per-sample step for point n is $w \leftarrow w + \eta\,(y_n - w x_n)\,x_n$.  With
$\eta = 0.01$ from $w = 0$, visiting the points in order:

| n | x_n | y_n | w after the step |
|---|---|---|---|
| 1 | 10 | 10.1 | 0 + 0.01 (10.1 - 0)(10) = 1.01 |
| 2 | 2 | 1.9 | 1.01 + 0.01 (1.9 - 2.02)(2) = 1.0076 |
| 3 | 3.5 | 3.4 | 1.0076 + 0.01 (3.4 - 3.5266)(3.5) = 1.003169 |
| 4 | 1 | 1.1 | 1.003169 + 0.01 (1.1 - 1.003169)(1) = 1.004137 |

(With $\eta = 1$ the same loop gives 101, -299.2, 3377.9 and then exactly 1.1, because
$x_4 = 1$ makes the last step set $w = y_4$; the iterates then repeat a 4-step cycle.)

```python
x, y = dl.data.linear_toy()
w = 0.0
for n in range(4):
    w = w + 0.01 * (y[n] - w * x[n]) * x[n]
answer = w
```
""")
def _check_epoch(answer):
    got = _number(answer)
    expected = _one_epoch(0.01)
    x, y = data.linear_toy()
    if np.isclose(got, _one_epoch(1.0), atol=1e-6):
        return ("that is the epoch with eta = 1 (what an update without a learning rate "
                "does): it ends on y_4 / x_4 because x_4 = 1; use eta = 0.01")
    if np.isclose(got, 0.01 * np.sum(x * y), atol=1e-6):
        return ("that is one batch step (all four gradients taken at w = 0); per-sample "
                "updates use the current w at each point")
    if np.isclose(got, 0.01 * y[0] * x[0], atol=1e-6):
        return "that is the value after the first point; continue through all four"
    return None if np.isclose(got, expected, atol=1e-6) else (
        "loop n = 1..4 and apply w = w + 0.01 * (y_n - w * x_n) * x_n, each step using "
        "the w left by the previous one")


@exercise("04.5", "The step-size limit of batch GD on the linear toy (the least upper bound)",
          hints=(
    "Write one batch step for ŷ = w x and subtract the optimum: how does w_{t+1} - w* depend "
    "on w_t - w*?",
    "The error is multiplied by 1 - η Σ x_i² at every step; it shrinks when that factor "
    "lies strictly between -1 and 1.",
    "Solve |1 - η Σ x²| < 1 for η and give the boundary of the interval.",
), solution=r"""
For $\hat y = w x$ and $L = \tfrac12\sum_i (y_i - w x_i)^2$, the gradient is
$-\sum_i (y_i - w x_i) x_i$ and one GD step gives
$w_{t+1} - w^* = (1 - \eta \sum_i x_i^2)(w_t - w^*)$.  The error shrinks iff
$|1 - \eta \sum x^2| < 1$, i.e. $0 < \eta < 2/\sum x^2 = 2/117.25 \approx 0.017058$.

At $\eta = 2/\sum x^2$ itself the factor is $-1$: the error flips sign and keeps its size, so
that learning rate does not converge.  There is no *largest* converging learning rate: every
$\eta$ below $2/\sum x^2$ converges, and the boundary $2/\sum x^2$ is their least upper bound
(supremum).

```python
x, y = dl.data.linear_toy()
answer = 2 / np.sum(x ** 2)        # = dl.optim.stability_limit(np.sum(x ** 2))
```
""")
def _check_limit(answer):
    got = _number(answer)
    x, _ = data.linear_toy()
    h = float(np.sum(x * x))
    expected = optim.stability_limit(h)

    def near(v):
        return np.isclose(got, v, rtol=1e-3, atol=0)

    if near(1.0 / h):
        return ("that learning rate jumps to w* in one step (1 - eta sum x^2 = 0); GD still "
                "converges for every learning rate below twice it")
    if near(2.0 / np.max(x * x)):
        return "that uses only the largest x^2; the batch gradient sums over all four points"
    if near(2.0 / np.sum(x)) or near(2.0 / np.sum(x) ** 2):
        return "the curvature is the sum of the squares x_i^2"
    if near(2.0 * x.size / h):
        return "that is the limit for the mean loss (1/N sum); this L is 1/2 sum"
    if near(expected):
        return None
    if 0.9 * expected <= got < expected:
        return ("that learning rate converges, but so does every larger one up to the "
                "boundary: give the boundary itself, the least upper bound, to 4 significant "
                "digits")
    return (
        "write w_{t+1} - w* in terms of w_t - w* and ask when the factor has absolute "
        "value below 1")


# --- Your turn: exercises 04.6 and 04.7 ------------------------------------------------------
# A sigmoid neuron with D features: f_i = sigma(x_i . w + b), X (N, D), w (D,), b a number,
# y (N,), and the lecture's loss L = 1/2 sum_i (f_i - y_i)^2.

def _neuron_loss(w, b, X, y) -> float:
    return losses.squared_error(neurons.sigmoid_neuron(X, w, b), y)


def reference_neuron_grad(w, b, X, y):
    """dlcore's gradient (dL/dw (D,), dL/db) of the sigmoid neuron's squared error."""
    X, y = np.asarray(X, float), np.asarray(y, float)
    f = neurons.sigmoid_neuron(X, np.asarray(w, float), b)
    d = activations.sigmoid_backward(f - y, f)
    return X.T @ d, float(np.sum(d))


def _sigmoid_parts(w, b, X, y):
    X, y = np.asarray(X, float), np.asarray(y, float)
    f = 1.0 / (1.0 + np.exp(-(X @ np.asarray(w, float) + b)))
    return X, y, f


def _no_slope_grad(w, b, X, y):
    X, y, f = _sigmoid_parts(w, b, X, y)
    return X.T @ (f - y), float(np.sum(f - y))


def _flipped_grad(w, b, X, y):
    X, y, f = _sigmoid_parts(w, b, X, y)
    d = (y - f) * f * (1 - f)
    return X.T @ d, float(np.sum(d))


def _mean_grad(w, b, X, y):
    X, y, f = _sigmoid_parts(w, b, X, y)
    d = (f - y) * f * (1 - f) / len(y)
    return X.T @ d, float(np.sum(d))


def _no_x_grad(w, b, X, y):
    X, y, f = _sigmoid_parts(w, b, X, y)
    d = (f - y) * f * (1 - f)
    return np.full(X.shape[1], np.sum(d)), float(np.sum(d))


_TOY_X = np.array([[0.5], [2.5]])
_TOY_Y = np.array([0.2, 0.9])
_X3 = np.array([[1.0, -0.5], [0.3, 2.0], [-1.2, 0.4]])
_Y3 = np.array([1.0, 0.0, 0.7])

implement(
    "04.6", "Write the gradient of a sigmoid neuron's squared error",
    reference=reference_neuron_grad, name="my_neuron_grad", outputs=("dw", "db"),
    gradients=Gradients(_neuron_loss, wrt=(0, 1), dout=None),
    reference_name="dlcore's sigmoid-neuron gradient (dl.activations.sigmoid_backward of "
                   "f - y, then X.T @ d and sum d)",
    cases=[
        Case("one point, one feature", (np.array([0.5]), 0.0, np.array([[0.5]]),
                                        np.array([0.2]))),
        Case("the toy at (w, b) = (1, -1)", (np.array([1.0]), -1.0, _TOY_X, _TOY_Y)),
        Case("three points, two features", (np.array([0.5, -1.0]), 0.2, _X3, _Y3)),
        Case("w = 0, b = 0: every output is 1/2", (np.zeros(2), 0.0, _X3, _Y3)),
    ],
    mistakes=[
        (_no_slope_grad, "the sigmoid's slope is missing: each term carries f_i (1 - f_i), "
                         "the derivative of σ at z_i = x_i · w + b"),
        (_flipped_grad, "the signs are flipped: the derivative of 1/2 (f - y)^2 is (f - y) "
                        "times the slope, so a too-high output gives a positive gradient"),
        (_mean_grad, "that is the gradient of the mean over the points; this loss is 1/2 "
                     "times the sum, with no division by N"),
        (_no_x_grad, "dL/dw is missing the inputs: z_i = x_i · w + b, so dz_i/dw = x_i and "
                     "dL/dw = Σ d_i x_i (X.T @ d), while dL/db = Σ d_i"),
    ],
    hints=(
        "Forward first: f = σ(X @ w + b), one output per point, shape (N,).",
        "Per point, the loss's derivative with respect to z_i = x_i · w + b is "
        "d_i = (f_i - y_i) f_i (1 - f_i).",
        "dz_i/dw = x_i and dz_i/db = 1: return `X.T @ d` (shape (D,)) and `d.sum()`.",
    ),
    solution=r"""
The chain rule through $z_i = x_i \cdot w + b$: $\partial L/\partial z_i = (f_i - y_i)\,
f_i (1 - f_i)$, then $\partial z_i/\partial w = x_i$ and $\partial z_i/\partial b = 1$:

```python
def my_neuron_grad(w, b, X, y):
    f = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    d = (f - y) * f * (1 - f)
    return X.T @ d, d.sum()
```

With one feature this is the lecture's $(\sum_i d_i x_i, \sum_i d_i)$; `X.T @ d` does the
sum for every feature at once.
""")


def reference_gd_step(w, b, X, y, lr):
    """dlcore's gradient-descent step: (w - lr dL/dw, b - lr dL/db)."""
    dw, db = reference_neuron_grad(w, b, X, y)
    return np.asarray(w, float) - lr * dw, float(b - lr * db)


def _ascent_step(w, b, X, y, lr):
    dw, db = reference_neuron_grad(w, b, X, y)
    return w + lr * dw, b + lr * db


def _no_lr_step(w, b, X, y, lr):
    dw, db = reference_neuron_grad(w, b, X, y)
    return w - dw, b - db


def _sequential_step(w, b, X, y, lr):
    dw, _ = reference_neuron_grad(w, b, X, y)
    w = w - lr * dw
    _, db = reference_neuron_grad(w, b, X, y)
    return w, b - lr * db


_W_STAR = np.array([np.log(6.0)])
_B_STAR = float(-np.log(4.0) - 0.5 * np.log(6.0))

implement(
    "04.7", "Write one gradient-descent step of the sigmoid neuron",
    reference=reference_gd_step, name="my_gd_step", outputs=("w", "b"),
    reference_name="dlcore's gradient-descent step (θ - η ∇L with dlcore's gradient)",
    cases=[
        Case("the toy from (-2, -2), η = 0.5", (np.array([-2.0]), -2.0, _TOY_X, _TOY_Y, 0.5)),
        Case("three points, two features, η = 0.1", (np.array([0.5, -1.0]), 0.2, _X3, _Y3,
                                                     0.1)),
        Case("the toy's optimum: nothing moves", (_W_STAR, _B_STAR, _TOY_X, _TOY_Y, 1.0)),
    ],
    mistakes=[
        (_ascent_step, "the step climbs: the gradient points uphill, so gradient descent "
                       "subtracts η ∇L"),
        (_no_lr_step, "the learning rate is missing: the step is η times the gradient"),
        (_sequential_step, "the gradient for b was taken after w had moved; both partial "
                           "derivatives belong to the same point θ_t, computed before either "
                           "parameter changes"),
    ],
    hints=(
        "Compute both gradients at the current (w, b) first (your `my_neuron_grad`).",
        "Then move both parameters against their gradient, each by η times it.",
        "`dw, db = my_neuron_grad(w, b, X, y)`, then `return w - lr * dw, b - lr * db`.",
    ),
    solution=r"""
Both partial derivatives at the current point, then one step downhill:

```python
def my_gd_step(w, b, X, y, lr):
    dw, db = my_neuron_grad(w, b, X, y)
    return w - lr * dw, b - lr * db
```

Updating $w$ first and then taking $b$'s gradient at the new $w$ would mix two points of the
surface; $\theta_{t+1} = \theta_t - \eta\,\nabla L(\theta_t)$ uses one.
""")
