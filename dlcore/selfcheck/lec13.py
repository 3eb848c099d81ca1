"""Self-checks of lecture 13 (RNNs and backpropagation through time), exercises 13.1-13.6.

Shape legend: gradients and hidden states are rows (N, H); W_hh (H, H) in the course layout
(``h_t = tanh(x_t W_ih^T + h_(t-1) W_hh^T + b)``).  Expected values are computed here and never
printed; a hint names the likely mistake.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ._answers import close
from ._answers import number as _number
from ._answers import numbers as _numbers
from ._functions import Case, Gradients, implement
from ._registry import exercise

__all__: list[str] = []

_close = partial(close, rtol=1e-6, atol=1e-9)


@exercise("13.1", "Weights of an RNN over 20 steps", hints=(
    'The 20 time steps all use the same matrices: does T change the count?',
    'List the three weight matrices with their shapes: W_ih maps n inputs to d hidden units, '
    'W_hh maps the state to itself, W_hy maps the state to k outputs.',
    'Add d x n, d x d and k x d with n = 100, d = 50, k = 10 (weights only, no biases).',
), solution=r"""
$W_{ih}$ is $d \times n = 50 \times 100 = 5{,}000$ weights, $W_{hh}$ is
$d \times d = 50 \times 50 = 2{,}500$ and the output layer $W_{hy}$ is
$k \times d = 10 \times 50 = 500$: in total **8,000** weights.

The 20 time steps share these matrices, so $T$ does not appear; the biases $b$ (50) and $c$
(10) would add 60. In code:
`dl.counting.rnn_params(100, 50, bias=False) + dl.counting.linear_params(50, 10, bias=False)`.
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
        "add the sizes of W_ih (d x n), W_hh (d x d) and W_hy (k x d)"


@exercise("13.2", "The vanishing bound for a logistic RNN", hints=(
    'Each backward step multiplies the gradient by at most gamma times lambda, gamma being the '
    'largest slope of the activation.',
    "The logistic sigmoid's slope sigma(a)(1 - sigma(a)) is largest at a = 0: what is it there?",
    'Raise gamma * lambda = (1/4) * 2 to the number of steps, 10.',
), solution=r"""
For the logistic sigmoid $\gamma = \max \sigma' = 1/4$, so each backward step is bounded by
$\gamma\lambda = \frac14 \cdot 2 = 0.5$ and ten steps by $0.5^{10} =$ **0.0009765625**
(about $10^{-3}$).

Here $\lambda$ bounds $\lVert W_{hh} \rVert_2$, the largest singular value of $W_{hh}$. With
$\tanh$ ($\gamma = 1$) the same weights would allow $2^{10} = 1024$: a bound that permits
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
        "multiply gamma (the largest slope of the activation) by lambda, then raise " \
        "to the number of steps"


@exercise("13.3", "Clip a gradient by its norm", hints=(
    'Clipping by norm keeps the direction of g and only changes its length, when that length is '
    'above tau.',
    'Compute ||g||_2 = sqrt(0.9^2 + 1.2^2 + 0.8^2) and compare it with tau = 0.85.',
    'It is larger, so multiply every entry by tau / ||g||_2.',
), solution=r"""
$\lVert g \rVert_2 = \sqrt{0.81 + 1.44 + 0.64} = \sqrt{2.89} = 1.7 > \tau = 0.85$, so
$g \leftarrow g \cdot \tau / \lVert g \rVert_2 = 0.5\,g =$ **[0.45, -0.6, 0.4]**: the direction
is kept and the length becomes 0.85.

Clipping by value would give $[0.85, -0.85, 0.8]$ (a different direction), and dividing by the
squared norm, `np.sum(grad * grad)` $= 2.89$, instead of $1.7$ would shrink the gradient far
below $\tau$. In code: `dl.recurrent.clip_grad_norm([g], 0.85)`.
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
        return "you divided by the squared norm, np.sum(grad * grad); take its square root"
    if _close(arr, g, atol=1e-4):
        return "||g||_2 is larger than tau here, so the gradient must be rescaled"
    if _close(arr, g / np.linalg.norm(g), atol=1e-4):
        return "rescale to length tau, not to length 1"
    return None if _close(arr, expected, atol=1e-4) else \
        "compute ||g||_2, then multiply g by tau / ||g||_2"


@exercise("13.4", "The summed per-step loss", hints=(
    'The sequence loss is the sum of the four step losses.',
    "Each step's loss is -ln of the probability the model gave to the true next character.",
    'Add -ln 0.5, -ln 0.25, -ln 0.8 and -ln 0.1 (natural logarithms).',
), solution=r"""
$\mathcal L = \sum_t -\log \hat y_{t,c_t} = -(\ln 0.5 + \ln 0.25 + \ln 0.8 + \ln 0.1)
= 0.6931 + 1.3863 + 0.2231 + 2.3026 =$ **4.6052**.

Each step's loss is the negative log of the probability given to the true next character,
and the sequence loss sums the steps.
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
        "add -ln(probability of the true character) over the four steps"


@exercise("13.5", "One step of BPTT", hints=(
    'Two things stand between h_t and h_(t-1): the tanh and the matrix product with W_hh.',
    "Through the tanh: da = dh * tanh'(a), and tanh'(a) can be written with the output as 1 - "
    'h^2.',
    'Through the product: the forward pass used h_(t-1) @ w_hh.T, so the gradient is da @ w_hh.',
), solution=r"""
With $h_t = \tanh(a_t)$ and $a_t = x_t W_{ih}^\top + h_{t-1} W_{hh}^\top + b$, the chain rule
gives $\delta a_t = \delta h_t \odot (1 - h_t^2)$ ($\tanh'$ written with the output $h_t$) and
$\delta h_{t-1} = \delta a_t\, W_{hh}$:

```python
def backprop_one_step(dh, h, w_hh):
    return (dh * (1 - h ** 2)) @ w_hh
```

Rows multiply $W_{hh}$ itself (not its transpose) because the forward pass used
$W_{hh}^\top$. Repeating this step is BPTT; `dl.recurrent.rnn_step_backward` does the same and
also returns $dW_{hh}$.
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
        "first da = dh * (1 - h^2), then dh_prev = da @ w_hh"


# 13.6: a sequence of 12 steps (numbered 1..12), the loss at step 7, chunks / windows of 4
_T6, _STEP6, _K6 = 12, 7, 4


@exercise("13.6", "Chunks or a window per loss?", hints=(
    'Number the steps 1 to 12 and write down the chunks of 4: which chunk holds step 7?',
    'With chunks, the gradient stops at the first step of the chunk (the state entering it is '
    'detached); with a window per loss, it goes back 4 steps from step 7, whatever the chunks.',
    "Count the steps from the start of step 7's chunk to step 7 (both included), then the steps "
    'of a 4-step window ending at step 7.',
), solution=r"""
Counting the step itself, **[3, 4]**.

- **Truncated BPTT over chunks with a detached state**, chunks of 4: the chunks are steps
  1-4, 5-8 and 9-12. The loss at step 7 is the third step of its chunk, and the state that
  enters the chunk (after step 4) is detached, so the gradient goes through steps 7, 6 and 5
  only: **3** steps.
- **4-step truncation per loss**: every loss keeps its own window of 4 steps wherever it sits,
  here steps 7, 6, 5 and 4: **4** steps.

Full BPTT would go back through all 7 steps. In code the two are
`dl.recurrent.rnn_backward_chunked(dhs, cache, 4)` and
`dl.recurrent.rnn_backward(dhs, cache, truncate=4)`.
""")
def _check_13_6(answer):
    try:
        got = _numbers(answer, 2)
    except ValueError:
        return "give two numbers: [steps with chunks, steps with the window per loss]"
    chunked = (_STEP6 - 1) % _K6 + 1
    per_loss = min(_STEP6, _K6)
    if got[0] == chunked and got[1] == per_loss:
        return None
    if got[0] == per_loss and got[1] == chunked:
        return "the two numbers are swapped: chunks first, then the window per loss"
    if got[0] == _STEP6 or got[1] == _STEP6:
        return "that is full BPTT (back to step 1); both methods stop earlier"
    if got[0] == per_loss:
        return "with chunks the gradient cannot go back past the first step of its chunk " \
               "(step 5): the state entering the chunk is detached"
    if got[1] == chunked:
        return "the window of k-step truncation per loss does not care about chunks: every " \
               "loss keeps k steps (when there are that many before it)"
    return "find the chunk that holds step 7, then count the steps from its start to step 7; " \
           "for the window per loss, count k = 4 steps back from step 7"


# "Your turn": the learner writes one RNN step and the BPTT loop of one sequence ------------
#
# 13.7 in the course's row layout: x_t (N, D), h_prev (N, H), w_ih (H, D), w_hh (H, H), b (H,).
# 13.8 on one sequence (no batch axis): x (T, D), h0 (H,), dhs (T, H).  The references wrap
# dlcore.recurrent (which returns caches and PyTorch's two biases).

def rnn_step_reference(x_t, h_prev, w_ih, w_hh, b):
    """h_t = tanh(x_t w_ih^T + h_prev w_hh^T + b): x_t (N, D), h_prev (N, H) -> h (N, H)."""
    from .. import recurrent

    return recurrent.rnn_step_forward(x_t, h_prev, w_ih, w_hh, b)[0]


def _step_without_bias(x_t, h_prev, w_ih, w_hh, b):
    return np.tanh(x_t @ w_ih.T + h_prev @ w_hh.T)


def _step_untransposed(x_t, h_prev, w_ih, w_hh, b):
    return np.tanh(x_t @ w_ih.T + h_prev @ w_hh + b)


def _step_without_tanh(x_t, h_prev, w_ih, w_hh, b):
    return x_t @ w_ih.T + h_prev @ w_hh.T + b


def _step_without_state(x_t, h_prev, w_ih, w_hh, b):
    return np.tanh(x_t @ w_ih.T + b)


_W3 = np.array([[0.5, -1.0, 0.2], [0.3, 0.1, -0.4], [-0.6, 0.8, 0.0]])

implement(
    "13.7", "Write one RNN step", reference=rnn_step_reference, name="my_rnn_step",
    reference_name="dlcore's RNN step (dl.recurrent.rnn_step_forward)",
    cases=[
        Case("one unit, one input, a batch of 1", (np.array([[2.0]]), np.array([[0.5]]),
                                                   np.array([[0.3]]), np.array([[-0.8]]),
                                                   np.array([0.1]))),
        Case("the first step: h_prev = 0", (np.array([[1.0, -1.0, 2.0], [0.0, 0.5, 1.0]]),
                                            np.zeros((2, 2)),
                                            np.array([[0.2, 0.4, -0.1], [-0.3, 0.1, 0.5]]),
                                            np.array([[0.9, -0.2], [0.4, 0.6]]),
                                            np.array([0.1, -0.2]))),
        Case("a batch of 2, W_hh not symmetric", (np.array([[1.0, 0.0], [-0.5, 2.0]]),
                                                  np.array([[0.2, -0.4, 0.6],
                                                            [-0.1, 0.3, 0.9]]),
                                                  np.array([[0.5, -0.2], [0.1, 0.4],
                                                            [-0.3, 0.2]]),
                                                  _W3, np.array([0.0, 0.1, -0.1]))),
        Case("large pre-activations: tanh saturates", (np.array([[3.0, -4.0]]),
                                                       np.array([[1.0, -1.0, 0.5]]),
                                                       np.array([[2.0, -1.0], [-1.5, 1.0],
                                                                 [0.5, 2.0]]),
                                                       2 * _W3, np.array([1.0, -1.0, 0.0]))),
    ],
    mistakes=[
        (_step_without_bias, "the bias b is missing: it is added to the pre-activation of "
                             "every sample, before the tanh"),
        (_step_untransposed, "the recurrent term uses W_hh as it is; in the row layout a "
                             "state h_prev (a row) is mapped by h_prev W_hh^T, like the input "
                             "x_t W_ih^T"),
        (_step_without_tanh, "the tanh is missing: the new state is tanh of the pre-activation, "
                             "which keeps every entry between -1 and 1"),
        (_step_without_state, "the previous state is not used: without the term h_prev W_hh^T "
                              "the network forgets everything between steps"),
    ],
    hints=(
        "The pre-activation has three parts: one from the input x_t, one from the previous "
        "state h_prev, and the bias. Which weight goes with which?",
        "In the row layout each sample is a row, so a weight of shape (H, D) acts as "
        "x_t @ w_ih.T, and the (H, H) recurrent weight as h_prev @ w_hh.T; the bias (H,) adds "
        "to every row.",
        "`np.tanh(x_t @ w_ih.T + h_prev @ w_hh.T + b)`.",
    ),
    solution=r"""
The new state is the tanh of an affine map of the input and the previous state:

```python
def my_rnn_step(x_t, h_prev, w_ih, w_hh, b):
    return np.tanh(x_t @ w_ih.T + h_prev @ w_hh.T + b)
```

With rows as samples, $h_t = \tanh(x_t W_{ih}^\top + h_{t-1} W_{hh}^\top + b)$; with one
sample as a column vector the same step reads $\tanh(W_{hh} h_{t-1} + W_{ih} x_t + b)$.
""")


def _rnn_states(x, h0, w_ih, w_hh, b):
    """The hidden states (T, H) of one sequence x (T, D) from h0 (H,)."""
    h, states = h0, []
    for x_t in x:
        h = np.tanh(x_t @ w_ih.T + h @ w_hh.T + b)
        states.append(h)
    return np.array(states)


def bptt_reference(dhs, x, h0, w_ih, w_hh, b):
    """BPTT on one sequence: dhs (T, H), x (T, D), h0 (H,) -> (dw_hh (H, H), dh0 (H,))."""
    from .. import recurrent

    _, cache = recurrent.rnn_forward(np.asarray(x)[None], np.asarray(h0)[None], w_ih, w_hh, b)
    grads = recurrent.rnn_backward(np.asarray(dhs)[None], cache)
    return grads[3], grads[1][0]


def _bptt(dhs, x, h0, w_ih, w_hh, b, *, carry=True, carry_tanh=True, dw_state="prev",
          outer_order="da_h", carry_matrix="w_hh"):
    """BPTT with switches that reproduce typical slips (the defaults are right)."""
    hs = _rnn_states(x, h0, w_ih, w_hh, b)
    dw_hh, dnext = np.zeros_like(w_hh), np.zeros_like(h0)
    for t in range(len(x) - 1, -1, -1):
        h, h_prev = hs[t], (hs[t - 1] if t > 0 else h0)
        if carry_tanh:
            da = (dhs[t] + (dnext if carry else 0.0)) * (1 - h ** 2)
        else:
            da = dhs[t] * (1 - h ** 2) + (dnext if carry else 0.0)
        other = h_prev if dw_state == "prev" else h
        dw_hh += np.outer(da, other) if outer_order == "da_h" else np.outer(other, da)
        dnext = da @ (w_hh if carry_matrix == "w_hh" else w_hh.T)
    return dw_hh, dnext


def _bptt_no_carry(dhs, x, h0, w_ih, w_hh, b):
    return _bptt(dhs, x, h0, w_ih, w_hh, b, carry=False)


def _bptt_carry_skips_tanh(dhs, x, h0, w_ih, w_hh, b):
    return _bptt(dhs, x, h0, w_ih, w_hh, b, carry_tanh=False)


def _bptt_current_state(dhs, x, h0, w_ih, w_hh, b):
    return _bptt(dhs, x, h0, w_ih, w_hh, b, dw_state="current")


def _bptt_transposed_outer(dhs, x, h0, w_ih, w_hh, b):
    return _bptt(dhs, x, h0, w_ih, w_hh, b, outer_order="h_da")


def _bptt_transposed_carry(dhs, x, h0, w_ih, w_hh, b):
    return _bptt(dhs, x, h0, w_ih, w_hh, b, carry_matrix="w_hh_T")


_WHH2 = np.array([[0.5, -0.7], [0.3, 0.4]])
_WHH3 = np.array([[0.4, -0.3, 0.2], [0.6, 0.1, -0.5], [-0.2, 0.5, 0.3]])

implement(
    "13.8", "Write BPTT for one sequence: dW_hh and dh_0", reference=bptt_reference,
    name="my_bptt", outputs=("dw_hh", "dh0"),
    gradients=Gradients(_rnn_states, wrt=(4, 2)),
    reference_name="dlcore's BPTT (dl.recurrent.rnn_backward on one sequence)",
    cases=[
        Case("one step (T = 1)", (np.array([[1.0, -2.0]]), np.array([[0.5]]),
                                  np.array([0.3, -0.6]), np.array([[0.8], [-0.4]]), _WHH2,
                                  np.array([0.1, 0.0]))),
        Case("two steps, a loss on the last state only", (np.array([[0.0, 0.0], [1.0, -1.0]]),
                                                          np.array([[1.0], [-0.5]]),
                                                          np.array([0.2, 0.4]),
                                                          np.array([[0.6], [0.9]]), _WHH2,
                                                          np.array([0.0, -0.1]))),
        Case("three steps, a loss on every state", (np.array([[0.5, -1.0], [1.0, 0.5],
                                                              [-0.5, 2.0]]),
                                                    np.array([[1.0, 0.0], [0.5, -1.0],
                                                              [0.0, 2.0]]),
                                                    np.array([-0.3, 0.5]),
                                                    np.array([[0.4, -0.3], [0.2, 0.5]]),
                                                    _WHH2, np.array([0.1, -0.1]))),
        Case("four steps, three hidden units", (np.array([[0.2, -0.5, 1.0], [0.0, 1.0, -1.0],
                                                          [0.5, 0.5, 0.0], [1.0, -1.0, 0.5]]),
                                                np.array([[1.0, -1.0], [0.5, 0.5],
                                                          [-1.0, 0.0], [0.0, 1.0]]),
                                                np.array([0.1, -0.2, 0.3]),
                                                np.array([[0.5, -0.2], [0.1, 0.4],
                                                          [-0.3, 0.3]]),
                                                _WHH3, np.array([0.0, 0.1, -0.1]))),
    ],
    mistakes=[
        (_bptt_no_carry, "only each step's own loss term reaches h_t; the gradient that comes "
                         "back from step t + 1 (da_(t+1) @ w_hh) must be added to it before "
                         "going through step t"),
        (_bptt_carry_skips_tanh, "the gradient carried back from step t + 1 skips the tanh "
                                 "of step t: add it to dhs[t] first, then multiply the sum by "
                                 "1 - h_t^2"),
        (_bptt_current_state, "dW_hh pairs da_t with h_t; the weight W_hh multiplied the "
                              "previous state in step t, so the term is outer(da_t, h_(t-1)), "
                              "with h_(-1) = h0 at the first step"),
        (_bptt_transposed_outer, "dW_hh is transposed: entry [i, j] links unit i of the new "
                                 "state to unit j of the previous one, so the term is "
                                 "outer(da_t, h_(t-1)), not outer(h_(t-1), da_t)"),
        (_bptt_transposed_carry, "the gradient is carried back with W_hh^T; the forward pass "
                                 "used h_(t-1) @ w_hh.T, so the step back is da_t @ w_hh "
                                 "(exercise 13.5)"),
    ],
    hints=(
        "Run the forward pass first and keep every state h_0, ..., h_(T-1) (they are needed "
        "backwards). Then loop over t from the last step down to 0, carrying one vector, the "
        "gradient that comes back from step t + 1 (zeros at the start).",
        "At step t: the gradient reaching h_t is dhs[t] plus the carried one; through the "
        "tanh, da = (that sum) * (1 - h_t^2). Then dW_hh collects outer(da, h_(t-1)) and the "
        "carried gradient becomes da @ w_hh.",
        "`da = (dhs[t] + dnext) * (1 - hs[t] ** 2)`, `dw_hh += np.outer(da, h_prev)`, "
        "`dnext = da @ w_hh`, with h_prev = hs[t - 1], or h0 when t = 0; after the loop, "
        "dnext is dh0.",
    ),
    solution=r"""
Forward once, keeping the states, then walk back: at each step the gradient on $h_t$ is its
own loss term plus what comes back from step $t+1$, and it passes through the tanh before it
feeds $dW_{hh}$ and the step further back:

```python
def my_bptt(dhs, x, h0, w_ih, w_hh, b):
    hs, h = [], h0
    for x_t in x:                                  # forward, keeping every state
        h = np.tanh(x_t @ w_ih.T + h @ w_hh.T + b)
        hs.append(h)
    dw_hh, dnext = np.zeros_like(w_hh), np.zeros_like(h0)
    for t in reversed(range(len(x))):
        h_prev = hs[t - 1] if t > 0 else h0
        da = (dhs[t] + dnext) * (1 - hs[t] ** 2)   # through the tanh
        dw_hh += np.outer(da, h_prev)              # W_hh met h_(t-1) in step t
        dnext = da @ w_hh                          # to h_(t-1)
    return dw_hh, dnext
```

One backward pass visits every step once and still sums every path of section 5: the
carried gradient holds all the implicit terms of the later steps.
""")


def clip_reference(dw_ih, dw_hh, db, max_norm):
    """Clipped copies of the three gradients, by their global norm (one norm for all)."""
    from .. import recurrent

    grads = [np.array(g, dtype=np.float64) for g in (dw_ih, dw_hh, db)]
    recurrent.clip_grad_norm(grads, max_norm)
    return tuple(grads)


def _clip_each_alone(dw_ih, dw_hh, db, max_norm):
    out = []
    for g in (dw_ih, dw_hh, db):
        norm = np.sqrt(np.sum(g * g))
        out.append(g * max_norm / norm if norm > max_norm else g)
    return tuple(out)


def _global(dw_ih, dw_hh, db):
    return np.sqrt(sum(np.sum(g * g) for g in (dw_ih, dw_hh, db)))


def _clip_squared_norm(dw_ih, dw_hh, db, max_norm):
    squared = _global(dw_ih, dw_hh, db) ** 2
    scale = max_norm / squared if squared > max_norm else 1.0
    return tuple(g * scale for g in (dw_ih, dw_hh, db))


def _clip_always(dw_ih, dw_hh, db, max_norm):
    scale = max_norm / _global(dw_ih, dw_hh, db)
    return tuple(g * scale for g in (dw_ih, dw_hh, db))


def _clip_by_value(dw_ih, dw_hh, db, max_norm):
    return tuple(np.clip(g, -max_norm, max_norm) for g in (dw_ih, dw_hh, db))


def _clip_to_unit(dw_ih, dw_hh, db, max_norm):
    norm = _global(dw_ih, dw_hh, db)
    scale = 1.0 / norm if norm > max_norm else 1.0
    return tuple(g * scale for g in (dw_ih, dw_hh, db))


implement(
    "13.9", "Clip the RNN's gradients by their global norm", reference=clip_reference,
    name="my_clip_by_norm", outputs=("dw_ih", "dw_hh", "db"), rtol=1e-5,
    reference_name="dlcore's clipping (dl.recurrent.clip_grad_norm, on copies)",
    cases=[
        Case("a norm below the threshold: nothing changes", (np.array([[0.3]]),
                                                             np.array([[-0.4]]),
                                                             np.array([0.0]), 1.0)),
        Case("one norm for all three", (np.array([[1.0, 2.0], [2.0, 0.0]]),
                                        np.array([[0.0, 4.0], [0.0, 0.0]]),
                                        np.array([0.0, 12.0]), 2.6)),
        Case("all of the norm in one array", (np.zeros((2, 1)), np.array([[6.0, -8.0],
                                                                          [0.0, 0.0]]),
                                              np.zeros(2), 5.0)),
        Case("a large gradient, a small threshold", (np.array([[50.0, -20.0], [10.0, 40.0],
                                                               [0.0, 30.0]]),
                                                     np.array([[100.0, 0.0, -40.0],
                                                               [20.0, 60.0, 0.0],
                                                               [-10.0, 0.0, 80.0]]),
                                                     np.array([5.0, -5.0, 25.0]), 1.5)),
    ],
    mistakes=[
        (_clip_always, "the gradient was rescaled although its norm was below the threshold; "
                       "clipping only shrinks: when ||g|| <= tau the gradients stay as they "
                       "are"),
        (_clip_each_alone, "each array was clipped by its own norm; clipping by the global norm "
                           "uses one norm over all the entries of the three arrays together, "
                           "and one factor for all of them, so the direction is kept"),
        (_clip_squared_norm, "the gradients were divided by the squared norm, the sum of "
                             "squares; the norm is its square root"),
        (_clip_by_value, "that is clipping by value (every entry clamped to [-tau, tau]); "
                         "clipping by norm multiplies every entry by the same factor "
                         "tau / ||g||"),
        (_clip_to_unit, "the gradients were rescaled to length 1; they should get length "
                        "tau, the threshold"),
    ],
    hints=(
        "First one number for all three arrays: the global norm, the square root of the sum "
        "of the squares of every entry of dw_ih, dw_hh and db.",
        "If that norm is at most max_norm, return the three arrays unchanged. Otherwise "
        "multiply all three by the same factor max_norm / norm.",
        "`norm = np.sqrt(sum(np.sum(g ** 2) for g in (dw_ih, dw_hh, db)))`, then "
        "`scale = min(1.0, max_norm / norm)` and return each array times scale.",
    ),
    solution=r"""
One norm over all the parameters' gradients, and one factor, applied only when the norm is
too large:

```python
def my_clip_by_norm(dw_ih, dw_hh, db, max_norm):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in (dw_ih, dw_hh, db)))
    scale = max_norm / norm if norm > max_norm else 1.0
    return dw_ih * scale, dw_hh * scale, db * scale
```

Scaling every array by the same factor keeps the direction of the whole gradient, which is
what makes clipping by norm safer than clipping entry by entry.
""")
