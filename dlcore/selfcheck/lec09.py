"""Self-checks of lecture 9 (optimizers): exercises 09.1-09.5, and 09.6-09.8 where the
learner writes one step of momentum, Nesterov and Adam.

09.1 the descent step (with its minus sign), 09.2 momentum by hand on E = w^2, 09.3 the
supremum of the stable learning rates of heavy-ball momentum, 09.4 Adam's first step (bias
correction), 09.5 how the mini-batch gradient noise scales with the batch size.  Expected
values are computed here with ``dlcore.optim`` and never printed.

09.6 (momentum) and 09.7 (Nesterov) use the slides' form, where the velocity Δw already holds
the learning rate; 09.8 (Adam) passes the moments m, v and the step t as plain arrays.  The
graded assignment's steps keep their state in a dict, in torch's form.
"""

from __future__ import annotations

import numpy as np

from .. import optim
from ._answers import number as _number
from ._functions import Case, implement
from ._registry import exercise

__all__: list[str] = []


# -- 09.1 ----------------------------------------------------------------------------------------

_STEP_CASES = [
    (np.array([1.0, -2.0, 0.5]), np.array([0.5, -1.0, 2.0]), 0.1),
    (np.array([[3.0, 0.0], [-1.0, 4.0]]), np.array([[1.0, 2.0], [0.0, -3.0]]), 0.25),
]


@exercise("09.1", "Fix the sign: one gradient-descent step", hints=(
    "The gradient points in the direction in which the loss grows fastest. Which way should the "
    "parameters move?",
    "The step is the learning rate times the gradient; the new parameters are the old ones "
    "changed by that step, in the downhill direction.",
), solution=r"""
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


@exercise("09.2", "Momentum by hand: w_5 on E = w^2", hints=(
    "Write a table with the columns t, w_t, eta * dE/dw, Delta w_t and w_(t+1); the derivative "
    "of E = w^2 is 2w and the first Delta w is a plain gradient step.",
    "Each row: Delta w_t = eta * 2 w_t + gamma * Delta w_(t-1), then w_(t+1) = w_t - Delta w_t. "
    "The first rows give 0.8, 0.46, 0.062.",
    "Two more rows from w_3 = 0.062 with Delta w_2 = 0.398: the answer is w_5, after five steps "
    "from w_0 = 1 (it is negative: the velocity carries w past 0).",
), solution=r"""
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
                  "2x² + 10y²", hints=(
    "Each coordinate of 2x^2 + 10y^2 is a one-dimensional quadratic with its own curvature, the "
    "second derivative. Which direction limits the step?",
    "On a quadratic with curvature h, heavy-ball momentum converges exactly when "
    "0 < eta h < 2 (1 + beta); use the larger curvature.",
    "Solve eta = 2 (1 + beta) / h for beta = 0.9 and the curvature of 10y^2 (which is 20, "
    "not 10). That boundary itself is the answer.",
), solution=r"""
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


@exercise("09.4", "Adam's first step with lr = 0.01 and gradient 0.003", hints=(
    "At t = 1, starting from m = v = 0: m = (1 - beta1) g and v = (1 - beta2) g^2.",
    "Bias correction divides by 1 - beta1^1 and 1 - beta2^1, which turns them back into g and "
    "g^2.",
    "The step is lr * m_hat / (sqrt(v_hat) + eps) = lr * g / (|g| + 1e-8): a hair less than "
    "lr. Give its size as a positive number.",
), solution=r"""
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

@exercise("09.5", "Gradient noise when the batch size is multiplied by 4", hints=(
    "A mini-batch gradient is the mean of B per-example gradients. How does the variance of a "
    "mean of B independent terms depend on B?",
    "The variance falls like sigma^2 / B; the question asks about the RMS distance, its square "
    "root. What happens to 1 / sqrt(B) when B becomes 4 B?",
), solution=r"""
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


# -- 09.6-09.8: write one step yourself --------------------------------------------------------

def momentum_step(w, delta, grad, lr, momentum):
    """The slides' momentum step with dlcore's SGD: Δw = lr grad + momentum Δw, w - Δw.

    ``dl.optim.sgd_update`` keeps torch's buffer b = momentum b + grad and steps by lr b, so
    its Δw is lr b: the wrapper passes b = Δw / lr in, and the new Δw is the step taken.
    """
    w, delta, grad = (np.asarray(a, dtype=np.float64) for a in (w, delta, grad))
    new, _ = optim.sgd_update(w, grad, {"momentum_buffer": delta / lr}, lr=lr,
                              momentum=momentum)
    return new, w - new


def _momentum_ascent(w, delta, grad, lr, momentum):
    delta = lr * np.asarray(grad) + momentum * np.asarray(delta)
    return np.asarray(w) + delta, delta


def _momentum_old_delta(w, delta, grad, lr, momentum):
    new_delta = lr * np.asarray(grad) + momentum * np.asarray(delta)
    return np.asarray(w) - np.asarray(delta), new_delta


def _momentum_torch_buffer(w, delta, grad, lr, momentum):
    buf = momentum * np.asarray(delta) + np.asarray(grad)
    return np.asarray(w) - lr * buf, buf


implement(
    "09.6", "Write one momentum step (the slides' form)", reference=momentum_step,
    name="my_momentum_step", outputs=("w", "delta"),
    reference_name="dlcore's momentum step (dl.optim.sgd_update, in the slides' Δw form)",
    cases=[
        Case("the first step on E = w², Δw = 0", (np.array([1.0]), np.array([0.0]),
                                                  np.array([2.0]), 0.1, 0.9)),
        Case("the third step on E = w²", (np.array([0.46]), np.array([0.34]),
                                          np.array([0.92]), 0.1, 0.9)),
        Case("momentum 0 (plain descent) on two weights", (np.array([1.5, -2.0]),
                                                           np.array([0.3, 0.1]),
                                                           np.array([0.5, -4.0]), 0.2, 0.0)),
        Case("a 2x2 weight matrix", (np.array([[1.0, -0.5], [0.25, 2.0]]),
                                     np.array([[0.1, 0.0], [-0.2, 0.05]]),
                                     np.array([[0.4, -1.0], [0.0, 3.0]]), 0.05, 0.5)),
    ],
    mistakes=[
        (_momentum_ascent, "the new w moves uphill: Δw points along the gradient, so the "
                           "step subtracts it"),
        (_momentum_old_delta, "w moves by the previous Δw: first compute the new Δw from "
                              "this gradient, then step by it"),
        (_momentum_torch_buffer, "that mixes two forms: the velocity you return has no "
                                 "learning rate in it. In the slides' form Δw itself is "
                                 "scaled: Δw = η·grad + γ·Δw, and w moves by Δw"),
    ],
    hints=(
        "Two lines: first the new velocity Δw from the gradient and the old Δw, then the new w "
        "from the new Δw.",
        "Δw_t = η ∂E/∂w + γ Δw_(t-1): the learning rate multiplies the gradient only, the "
        "momentum multiplies the old Δw.",
        "`new_delta = lr * grad + momentum * delta`, then `return w - new_delta, new_delta`.",
    ),
    solution=r"""
The velocity collects the scaled gradient and a fraction of the previous step; the weights
move against it:

```python
def my_momentum_step(w, delta, grad, lr, momentum):
    new_delta = lr * grad + momentum * delta
    return w - new_delta, new_delta
```

With $\gamma = 0$ this is plain gradient descent; torch keeps $b = \Delta w/\eta$ instead,
which gives the same path as long as $\eta$ stays fixed.
""")


class _Grad:
    """A gradient function with a readable name in the check's messages."""

    def __init__(self, fn, text):
        self.fn, self.text = fn, text

    def __call__(self, w):
        return self.fn(np.asarray(w, dtype=np.float64))

    def __repr__(self):
        return self.text


_GRAD_BOWL = _Grad(lambda w: 2 * w, "grad_fn of E = w² (2w)")
_GRAD_VALLEY = _Grad(lambda w: w * np.array([1.0, 10.0]),
                     "grad_fn of E = (x² + 10 y²)/2 ((x, 10 y))")
_GRAD_QUARTIC = _Grad(lambda w: w ** 3, "grad_fn of E = Σ w⁴/4 (w³)")


def nag_step(w, u, grad_fn, lr, momentum):
    """Nesterov's step in the slides' form: the gradient at the look-ahead point w - γu."""
    w, u = np.asarray(w, dtype=np.float64), np.asarray(u, dtype=np.float64)
    new_u = momentum * u + lr * np.asarray(grad_fn(w - momentum * u), dtype=np.float64)
    return w - new_u, new_u


def _nag_heavy_ball(w, u, grad_fn, lr, momentum):
    new_u = momentum * np.asarray(u) + lr * np.asarray(grad_fn(np.asarray(w)))
    return np.asarray(w) - new_u, new_u


def _nag_ahead_plus(w, u, grad_fn, lr, momentum):
    new_u = momentum * np.asarray(u) + lr * np.asarray(grad_fn(np.asarray(w) + momentum
                                                                * np.asarray(u)))
    return np.asarray(w) - new_u, new_u


def _nag_ahead_full_u(w, u, grad_fn, lr, momentum):
    new_u = momentum * np.asarray(u) + lr * np.asarray(grad_fn(np.asarray(w) - np.asarray(u)))
    return np.asarray(w) - new_u, new_u


implement(
    "09.7", "Write one Nesterov (NAG) step", reference=nag_step, name="my_nag_step",
    outputs=("w", "u"), reference_name="dlcore's reference Nesterov step (the slides' form)",
    cases=[
        Case("the first step on E = w², u = 0", (np.array([1.0]), np.array([0.0]), _GRAD_BOWL,
                                                 0.1, 0.9)),
        Case("the second step on E = w²", (np.array([0.8]), np.array([0.2]), _GRAD_BOWL,
                                           0.1, 0.9)),
        Case("two weights in a valley", (np.array([1.0, -0.5]), np.array([0.1, -0.2]),
                                         _GRAD_VALLEY, 0.05, 0.8)),
        Case("momentum 0 (plain descent)", (np.array([2.0, -1.0]), np.array([0.5, 0.5]),
                                            _GRAD_VALLEY, 0.1, 0.0)),
        Case("a gradient that is not linear", (np.array([1.2, -0.7, 0.3]),
                                               np.array([0.2, -0.1, 0.4]), _GRAD_QUARTIC,
                                               0.1, 0.9)),
    ],
    mistakes=[
        (_nag_heavy_ball, "the gradient is taken at w itself: that is heavy-ball momentum. "
                          "Nesterov first moves by the momentum part γ·u and evaluates the "
                          "gradient there"),
        (_nag_ahead_plus, "the look-ahead point is on the wrong side: the momentum part "
                          "moves w to w − γ·u, the direction the step is about to take"),
        (_nag_ahead_full_u, "the look-ahead uses the whole old u: only its momentum part "
                            "γ·u is taken before the gradient is evaluated"),
    ],
    hints=(
        "Only one thing changes from momentum: where the gradient is evaluated. Find that point "
        "first.",
        "The look-ahead point is where the momentum part alone would take w: w − γ·u. Call "
        "grad_fn there.",
        "`new_u = momentum * u + lr * grad_fn(w - momentum * u)`, then "
        "`return w - new_u, new_u`.",
    ),
    solution=r"""
Take the momentum part first, evaluate the gradient at that look-ahead point, and build the
velocity from it:

```python
def my_nag_step(w, u, grad_fn, lr, momentum):
    new_u = momentum * u + lr * grad_fn(w - momentum * u)
    return w - new_u, new_u
```

When the velocity is about to overshoot, the gradient at the look-ahead point already points
back, so the step is damped before the overshoot happens.
""")


def adam_step(w, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step with dlcore's rule: (w, m, v) after step t (t = 1 for the first)."""
    state = {"step": int(t) - 1, "exp_avg": np.asarray(m, dtype=np.float64),
             "exp_avg_sq": np.asarray(v, dtype=np.float64)}
    new, state = optim.adam_update(w, grad, state, lr=lr, betas=(beta1, beta2), eps=eps)
    return new, state["exp_avg"], state["exp_avg_sq"]


def _adam_parts(w, grad, m, v, t, lr, beta1, beta2, eps, *, correct=True, eps_inside=False,
                swapped=False):
    grad = np.asarray(grad, dtype=np.float64)
    if swapped:
        m = beta1 * grad + (1 - beta1) * np.asarray(m)
        v = beta2 * grad * grad + (1 - beta2) * np.asarray(v)
    else:
        m = beta1 * np.asarray(m) + (1 - beta1) * grad
        v = beta2 * np.asarray(v) + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1 ** t) if correct else m
    v_hat = v / (1 - beta2 ** t) if correct else v
    denom = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
    return np.asarray(w) - lr * m_hat / denom, m, v, m_hat, v_hat


def _adam_uncorrected(w, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_parts(w, grad, m, v, t, lr, beta1, beta2, eps, correct=False)[:3]


def _adam_keeps_corrected(w, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    new, _, _, m_hat, v_hat = _adam_parts(w, grad, m, v, t, lr, beta1, beta2, eps)
    return new, m_hat, v_hat


def _adam_eps_inside(w, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_parts(w, grad, m, v, t, lr, beta1, beta2, eps, eps_inside=True)[:3]


def _adam_swapped(w, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_parts(w, grad, m, v, t, lr, beta1, beta2, eps, swapped=True)[:3]


implement(
    "09.8", "Write one Adam step with bias correction", reference=adam_step,
    name="my_adam_step", outputs=("w", "m", "v"),
    reference_name="dlcore's Adam step (dl.optim.adam_update)",
    cases=[
        Case("the first step (t = 1) from m = v = 0", (np.array([0.5, -1.0]),
                                                        np.array([2.0, -0.5]), np.zeros(2),
                                                        np.zeros(2), 1), {"lr": 0.1}),
        Case("t = 1 with a tiny gradient", (np.array([1.0]), np.array([1e-4]), np.zeros(1),
                                            np.zeros(1), 1), {"lr": 0.01}),
        Case("t = 3 on a 2x2 matrix", (np.array([[1.0, 2.0], [-1.0, 0.0]]),
                                       np.array([[0.5, -0.2], [1.0, 0.3]]),
                                       np.array([[0.1, -0.05], [0.2, 0.04]]),
                                       np.array([[0.01, 0.004], [0.03, 0.002]]), 3),
             {"lr": 0.05}),
        Case("t = 10, other betas, a zero gradient", (np.array([0.3, -0.2, 0.1]),
                                                      np.array([0.0, 0.4, -2.0]),
                                                      np.array([0.05, 0.1, -0.3]),
                                                      np.array([0.02, 0.05, 0.5]), 10),
             {"lr": 0.1, "beta1": 0.8, "beta2": 0.99}),
    ],
    mistakes=[
        (_adam_uncorrected, "the bias correction is missing: m and v start at 0, so divide "
                            "them by 1 − β₁ᵗ and 1 − β₂ᵗ before the step"),
        (_adam_keeps_corrected, "the step is right, but the m and v you return are the "
                                "corrected ones: keep the raw moving averages as the state "
                                "and correct a copy for the step only"),
        (_adam_eps_inside, "ε is inside the square root: Adam divides by √v̂ + ε, which "
                           "matters when the gradients are tiny"),
        (_adam_swapped, "the moving averages are weighted the wrong way round: the old "
                        "average keeps the weight β (0.9), the new gradient gets 1 − β"),
    ],
    hints=(
        "Three stages: update the two moving averages m and v, correct copies of them for "
        "their start at 0, then step.",
        "m = β₁ m + (1 − β₁) g and v = β₂ v + (1 − β₂) g²; the corrected copies are "
        "m / (1 − β₁ᵗ) and v / (1 − β₂ᵗ). Return the uncorrected m and v.",
        "`w - lr * m_hat / (np.sqrt(v_hat) + eps)`, returned together with the new m and v.",
    ),
    solution=r"""
Update both moving averages, correct copies of them for their start at zero, and step by the
corrected gradient average over the corrected RMS:

```python
def my_adam_step(w, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
```

At $t = 1$ the corrections turn $m$ and $v$ back into $g$ and $g^2$, so the first step is
about $\eta$ in every coordinate, whatever the size of the gradient.
""")
