"""Self-checks of lecture 9 (optimizers): exercises 09.1-09.5.

09.1 the descent step (with its minus sign), 09.2 momentum by hand on E = w^2, 09.3 the
supremum of the stable learning rates of heavy-ball momentum, 09.4 Adam's first step (bias
correction), 09.5 how the mini-batch gradient noise scales with the batch size.  Expected
values are computed here with ``dlcore.optim`` and never printed.
"""

from __future__ import annotations

import numpy as np

from .. import optim
from ._answers import number as _number
from ._registry import exercise

__all__: list[str] = []


# -- 09.1 ----------------------------------------------------------------------------------------

_STEP_CASES = [
    (np.array([1.0, -2.0, 0.5]), np.array([0.5, -1.0, 2.0]), 0.1),
    (np.array([[3.0, 0.0], [-1.0, 4.0]]), np.array([[1.0, 2.0], [0.0, -3.0]]), 0.25),
]


@exercise("09.1", "Fix the sign: one gradient-descent step", solution=r"""
Gradient descent moves **against** the gradient: $\theta \leftarrow \theta - \eta\,\nabla L$.
The gradient points uphill, so a "+" in its place would climb the loss (gradient ascent).

```python
def descent_step(theta, grad, lr):
    return theta - lr * grad
```
""")
def _check_step(answer):
    if not callable(answer):
        return "pass the function itself: dl.check('09.1', descent_step)"
    for theta, grad, lr in _STEP_CASES:
        got = answer(theta.copy(), grad.copy(), lr)
        if got is None:
            return "your function returns None: end it with return ..."
        got = np.asarray(got, dtype=float)
        if got.shape != theta.shape:
            return f"return an array of the shape of theta {theta.shape}; got shape {got.shape}"
        expected = optim.sgd_update(theta, grad, lr=lr)[0]
        if np.allclose(got, theta + lr * grad):
            return ("that is gradient ascent (a '+' instead of the '-'): it moves up the loss; "
                    "step against the gradient")
        if np.allclose(got, theta - grad):
            return "the learning rate is missing: scale the gradient by lr"
        if np.allclose(got, -lr * grad):
            return "that is the change of theta; return the new theta (old theta plus change)"
        if not np.allclose(got, expected):
            return "the new parameter is the old one minus lr times the gradient"
    return None


# -- 09.2 ----------------------------------------------------------------------------------------

def _w_path(scale: float, steps: int = 5, momentum: float = 0.9, sign: float = 1.0):
    """w_t on E = w^2 from w0 = 1 (lr 0.1): the gradient is ``scale * w``; sign -1 climbs."""
    def grad_fn(w):
        return sign * scale * w

    if momentum == 0:
        return optim.trajectory("gd", grad_fn, [1.0], steps, lr=0.1)[:, 0]
    return optim.trajectory("momentum", grad_fn, [1.0], steps, lr=0.1, momentum=momentum)[:, 0]


@exercise("09.2", "Momentum by hand: w_5 on E = w^2", solution=r"""
$E = w^2$, so $\partial E/\partial w = 2w$.  With $\Delta w_t = \eta\,2w_t + \gamma\,\Delta
w_{t-1}$ ($\Delta w_{-1} = 0$) and $w_{t+1} = w_t - \Delta w_t$, $\eta = 0.1$, $\gamma = 0.9$:

| t | $w_t$ | $\eta\,2w_t$ | $\Delta w_t$ | $w_{t+1}$ |
|---|---|---|---|---|
| 0 | 1 | 0.2 | 0.2 | 0.8 |
| 1 | 0.8 | 0.16 | 0.34 | 0.46 |
| 2 | 0.46 | 0.092 | 0.398 | 0.062 |
| 3 | 0.062 | 0.0124 | 0.3706 | −0.3086 |
| 4 | −0.3086 | −0.06172 | 0.27182 | −0.58042 |

So $w_5 = -0.58042$: the velocity carries $w$ past the minimum and it keeps going.

```python
answer = dl.optim.trajectory("momentum", lambda w: 2 * w, [1.0], 5, lr=0.1, momentum=0.9)[5, 0]
```
""")
def _check_momentum(answer):
    got = _number(answer)
    expected = _w_path(2.0)[5]
    if np.isclose(got, _w_path(2.0, momentum=0.0)[5], atol=1e-4):
        return "that is plain gradient descent; momentum adds gamma times the previous step"
    if np.isclose(got, _w_path(2.0)[4], atol=1e-4):
        return "that is w_4; take one more step"
    if np.isclose(got, _w_path(2.0, sign=-1.0)[5], atol=1e-4):
        return "you moved uphill (the '+' update); subtract the step"
    if np.isclose(got, _w_path(1.0)[5], atol=1e-4):
        return "the derivative of w^2 is 2w, not w"
    return None if np.isclose(got, expected, atol=1e-4) else (
        "update Delta w = eta * 2w + gamma * Delta w (previous), then w = w - Delta w, "
        "five times from w = 1")


# -- 09.3 ----------------------------------------------------------------------------------------

@exercise("09.3", "The supremum of the stable learning rates of heavy-ball momentum on "
                  "2x² + 10y²", solution=r"""
The curvatures are the second derivatives, $\partial^2 E/\partial x^2 = 4$ and
$\partial^2 E/\partial y^2 = 20$ (the eigenvalues of the Hessian, which is diagonal here).  Each
direction is a 1-D quadratic, on which heavy-ball momentum converges iff
$0 < \eta h < 2(1+\beta)$; the steep direction ($h = 20$) is the first to fail.  So momentum
converges for every $\eta$ with

$0 < \eta < 2(1 + 0.9)/20 = 0.19$,

and not for $\eta = 0.19$ itself: there $\eta h = 2(1+\beta)$, the recursion's roots are
$z = -1$ and $z = -\beta$, and the $y$ coordinate flips sign forever without shrinking.  So
$0.19$ is the supremum (least upper bound) of the learning rates that converge; no largest
one exists, because every $\eta$ below $0.19$ converges and a slightly larger one still does.

```python
answer = dl.optim.stability_limit(20.0, "momentum", 0.9)
```
""")
def _check_limit(answer):
    got = _number(answer)
    expected = optim.stability_limit(20.0, "momentum", 0.9)
    if np.isclose(got, optim.stability_limit(20.0, "gd"), rtol=1e-3):
        return "that is plain GD's limit 2/h; momentum widens it by the factor (1 + beta)"
    if np.isclose(got, optim.stability_limit(4.0, "momentum", 0.9), rtol=1e-3):
        return ("that is the limit of the flat direction (h = 4); the steep direction "
                "diverges first")
    if np.isclose(got, optim.stability_limit(10.0, "momentum", 0.9), rtol=1e-3):
        return "the curvature of 10 y^2 is its second derivative, 20, not 10"
    if np.isclose(got, optim.stability_limit(20.0, "nag", 0.9), rtol=1e-3):
        return "that is Nesterov's limit; the question is about heavy-ball momentum"
    if np.isclose(got, expected / 2, rtol=1e-3):
        return "a factor 2 is missing: the limit is 2 (1 + beta) / h"
    if np.isclose(got, expected, rtol=1e-3):
        return None
    if 0.9 * expected < got < expected:
        return ("that rate converges, but so does every rate up to the boundary: there is no "
                "largest one, so give the least upper bound, the boundary value itself")
    return ("find the curvature of each direction (second derivative) and use "
            "0 < eta h < 2 (1 + beta)")


# -- 09.4 ----------------------------------------------------------------------------------------

def _adam_first(g: float, lr: float = 0.01, correct_m: bool = True, correct_v: bool = True):
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    m, v = (1 - beta1) * g, (1 - beta2) * g * g
    m = m / (1 - beta1) if correct_m else m
    v = v / (1 - beta2) if correct_v else v
    return lr * m / (np.sqrt(v) + eps)


@exercise("09.4", "Adam's first step with lr = 0.01 and gradient 0.003", solution=r"""
At $t = 1$: $m = 0.1 \cdot 0.003 = 0.0003$, $v = 0.001 \cdot 0.003^2 = 9\times10^{-9}$.
Bias correction divides by $1 - 0.9 = 0.1$ and $1 - 0.999 = 0.001$: $\hat m = 0.003$,
$\hat v = 9\times10^{-6}$, $\sqrt{\hat v} = 0.003$.  The step is
$0.01 \cdot 0.003/(0.003 + 10^{-8}) \approx 0.0099999667$: about $\eta$, whatever the size of the
gradient.  Without the correction it would be $0.01 \cdot 0.0003/0.0000949 \approx 0.0316$,
three times too large.

```python
theta1, _ = dl.optim.adam_update(np.zeros(1), np.array([0.003]), lr=0.01)
answer = -theta1[0]
```
""")
def _check_adam(answer):
    got = _number(answer)
    new, _ = optim.adam_update(np.zeros(1), np.array([0.003]), lr=0.01)
    expected = float(-new[0])
    if np.isclose(got, -expected, rtol=1e-3):
        return "give the size of the step (a positive number): theta decreases by it"
    if np.isclose(got, _adam_first(0.003, correct_m=False, correct_v=False), rtol=1e-3):
        return "you left out the bias correction: divide m by 1 - beta1^t and v by 1 - beta2^t"
    if np.isclose(got, _adam_first(0.003, correct_v=False), rtol=1e-3):
        return "m is corrected, but v needs its correction 1 - beta2^t as well"
    if np.isclose(got, _adam_first(0.003, correct_m=False), rtol=1e-3):
        return "v is corrected, but m needs its correction 1 - beta1^t as well"
    if np.isclose(got, 0.01 * 0.003, rtol=1e-3):
        return "that is the plain gradient-descent step lr * g; Adam divides by sqrt(v_hat)"
    return None if np.isclose(got, expected, rtol=1e-3) else (
        "compute m and v after one step, correct both, then lr * m_hat / "
        "(sqrt(v_hat) + eps)")


# -- 09.5 ----------------------------------------------------------------------------------------

@exercise("09.5", "Gradient noise when the batch size is multiplied by 4", solution=r"""
A mini-batch gradient averages $B$ per-example gradients.  For $B \ll N$ its squared distance
from the full gradient has expectation $\sigma^2/B$ (exactly $\frac{\sigma^2}{B}\frac{N-B}{N-1}$
without replacement), so the RMS distance is $\sigma/\sqrt{B}$.  Four times the batch: a factor
$1/\sqrt 4 = 0.5$ - four times the work per step for half the noise.
""")
def _check_noise(answer):
    got = _number(answer)
    expected = float(np.sqrt(1.0 / 4.0))
    if np.isclose(got, 0.25, atol=1e-3):
        return "0.25 is the factor of the variance (squared distance); the RMS is its root"
    if got >= 1:
        return "averaging more examples reduces the noise: the factor is below 1"
    return None if np.isclose(got, expected, atol=1e-3) else (
        "the variance of a mean of B independent terms is sigma^2 / B; take the "
        "square root")
