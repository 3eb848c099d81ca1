"""Self-checks of lecture 13 (RNNs and backpropagation through time), exercises 13.1-13.5.

Shape legend: gradients and hidden states are rows (N, H); W_hh (H, H) in the course layout
(``h_t = tanh(x_t W_ih^T + h_(t-1) W_hh^T + b)``).
"""

from __future__ import annotations

import numpy as np

from ._registry import exercise

__all__: list[str] = []


def _close(a, b, rtol=1e-6, atol=1e-9) -> bool:
    try:
        return bool(np.allclose(np.asarray(a, dtype=np.float64), b, rtol=rtol, atol=atol))
    except (TypeError, ValueError):
        return False


def _number(answer) -> float:
    if isinstance(answer, bool) or not np.isscalar(answer):
        raise TypeError("the answer must be a single number")
    return float(answer)


@exercise("13.1", "Weights of an RNN over 20 steps", solution="""
W_ih is d x n = 50 x 100 = 5,000 weights, W_hh is d x d = 50 x 50 = 2,500 and the output
layer W_hy is k x d = 10 x 50 = 500, in total **8,000** weights.  The 20 time steps share
these matrices, so T does not appear; the biases b (50) and c (10) would add 60.
In dlcore: `dl.counting.rnn_params(100, 50, bias=False) + dl.counting.linear_params(50, 10,
bias=False)`.
""")
def _check_13_1(answer):
    from .. import counting

    expected = counting.rnn_params(100, 50, bias=False) + counting.linear_params(50, 10,
                                                                                bias=False)
    value = _number(answer)
    with_bias = counting.rnn_params(100, 50) + counting.linear_params(50, 10)
    if np.isclose(value, with_bias):
        return "that count includes the biases b and c; the question asks for weights only"
    if np.isclose(value, 20 * expected):
        return "the 20 steps share one set of weights: count the matrices once"
    if np.isclose(value, 50 * 100 + 50 * 100 + 10 * 50):
        return "W_hh maps the d-dimensional state to d units: it is d x d, not d x n"
    if np.isclose(value, 50 * 100 + 50 * 50):
        return "add the output layer W_hy (k x d)"
    return None if np.isclose(value, expected) else \
        "not yet: add the sizes of W_ih (d x n), W_hh (d x d) and W_hy (k x d)"


@exercise("13.2", "The vanishing bound for a logistic RNN", solution="""
For the logistic sigmoid gamma = max sigma' = 1/4, so each backward step is bounded by
gamma * lambda = 1/4 * 2 = 0.5 and ten steps by 0.5^10 = **0.0009765625** (about 1e-3).
With tanh (gamma = 1) the same weights would allow 2^10 = 1024: a bound that permits
explosion, not a prediction that it happens.
""")
def _check_13_2(answer):
    value = _number(answer)
    gamma, lam, steps = 0.25, 2.0, 10
    expected = (gamma * lam) ** steps
    if np.isclose(value, lam ** steps):
        return "gamma = 1 is the bound for tanh; the logistic sigmoid's derivative is at most 1/4"
    if np.isclose(value, gamma * lam ** steps):
        return "gamma enters every step: the bound is (gamma lambda)^(t - k)"
    if np.isclose(value, gamma ** steps):
        return "the weight bound lambda multiplies every step as well"
    return None if np.isclose(value, expected, rtol=0.03) else \
        "not yet: multiply gamma (the largest slope of the activation) by lambda, then raise " \
        "to the number of steps"


@exercise("13.3", "Clip a gradient by its norm", solution="""
||g||_2 = sqrt(0.81 + 1.44 + 0.64) = sqrt(2.89) = 1.7 > tau = 0.85, so
g <- g * tau / ||g||_2 = g * 0.5 = **[0.45, -0.6, 0.4]**: the direction is kept and the length
becomes 0.85.  Clipping by value would give [0.85, -0.85, 0.8] (a different direction); the
seed's `np.sum(grad * grad)` divides by 2.89 instead of 1.7.  In dlcore:
`dl.recurrent.clip_grad_norm([g], 0.85)`.
""")
def _check_13_3(answer):
    from .. import recurrent

    g = np.array([0.9, -1.2, 0.8])
    tau = 0.85
    expected = g.copy()
    recurrent.clip_grad_norm([expected], tau)
    arr = np.asarray(answer, dtype=np.float64)
    if arr.shape != (3,):
        return "give the clipped gradient as three numbers, e.g. [g1, g2, g3]"
    if _close(arr, np.clip(g, -tau, tau), atol=1e-4):
        return "that is clipping by value (each entry clamped); clip by the norm of the vector"
    if _close(arr, g * tau / np.sum(g * g), atol=1e-4):
        return "you divided by the squared norm (the seed's np.sum(grad * grad)); take its " \
               "square root"
    if _close(arr, g, atol=1e-4):
        return "||g||_2 is larger than tau here, so the gradient must be rescaled"
    if _close(arr, g / np.linalg.norm(g), atol=1e-4):
        return "rescale to length tau, not to length 1"
    return None if _close(arr, expected, atol=1e-4) else \
        "not yet: compute ||g||_2, then multiply g by tau / ||g||_2"


@exercise("13.4", "The summed per-step loss", solution="""
L = sum_t -log y_hat[t, c_t] = -(ln 0.5 + ln 0.25 + ln 0.8 + ln 0.1)
= 0.6931 + 1.3863 + 0.2231 + 2.3026 = **4.6052**.  Each step's loss is the negative log of
the probability given to the true next character (the seed's -y_i log y_hat_tc mixes two
indices), and the sequence loss sums the steps.
""")
def _check_13_4(answer):
    value = _number(answer)
    p_true = np.array([0.5, 0.25, 0.8, 0.1])
    expected = float(-np.sum(np.log(p_true)))
    if np.isclose(value, expected / p_true.size, rtol=1e-3):
        return "the sequence loss sums the per-step losses, L = sum_t L_t; it does not average"
    if np.isclose(value, -np.sum(np.log10(p_true)), rtol=1e-3):
        return "cross-entropy uses the natural logarithm"
    if np.isclose(value, -expected, rtol=1e-3):
        return "the loss is -log of the probability, a positive number"
    return None if np.isclose(value, expected, rtol=1e-3, atol=1e-3) else \
        "not yet: add -ln(probability of the true character) over the four steps"


@exercise("13.5", "One step of BPTT", solution="""
With h_t = tanh(a_t) and a_t = x_t W_ih^T + h_(t-1) W_hh^T + b, the chain rule gives
da_t = dh_t * (1 - h_t^2) (tanh' written with the output h_t) and dh_(t-1) = da_t W_hh:

```python
def backprop_one_step(dh, h, w_hh):
    return (dh * (1 - h ** 2)) @ w_hh
```

Rows multiply W_hh itself (not its transpose) because the forward pass used W_hh^T.  Repeating
this step is BPTT; `dl.recurrent.rnn_step_backward` does the same and also returns dW_hh.
""")
def _check_13_5(answer):
    from .. import recurrent

    if not callable(answer):
        return "the answer is a function backprop_one_step(dh, h, w_hh)"
    rng = np.random.default_rng(13)
    N, D, H = 3, 2, 4
    x, h_prev = rng.standard_normal((N, D)), rng.standard_normal((N, H))
    w_ih, w_hh = rng.standard_normal((H, D)), rng.standard_normal((H, H))
    h, cache = recurrent.rnn_step_forward(x, h_prev, w_ih, w_hh)
    dh = rng.standard_normal((N, H))
    expected = recurrent.rnn_step_backward(dh, cache)[1]
    out = answer(dh.copy(), h.copy(), w_hh.copy())
    if out is None:
        return "the function returns nothing yet: complete its body and return dh_prev"
    out = np.asarray(out, dtype=np.float64)
    if out.shape != expected.shape:
        return f"the result must have the shape of h_(t-1), (N, H) = {expected.shape}; got " \
               f"{out.shape}"
    if _close(out, (dh * (1 - h ** 2)) @ w_hh.T):
        return "in the row layout the forward pass uses W_hh^T, so the gradient multiplies W_hh"
    if _close(out, dh @ w_hh):
        return "multiply by tanh' = 1 - h_t^2 before the matrix product"
    if _close(out, (dh * (1 - np.tanh(h) ** 2)) @ w_hh):
        return "h_t is already tanh(a_t): tanh'(a_t) = 1 - h_t^2, not 1 - tanh(h_t)^2"
    return None if _close(out, expected) else \
        "not yet: first da = dh * (1 - h^2), then dh_prev = da @ w_hh"
