"""Self-checks of lecture 14 (LSTM and GRU), exercises 14.1-14.5.

Shape legend: one-unit cells in the hand calculations (D = H = 1); weights in PyTorch's gate
order, LSTM (i, f, g, o) and GRU (r, z, n).  Expected values are computed here and never
printed; a hint names the likely mistake.
"""

from __future__ import annotations

import numpy as np

from ._answers import number as _number
from ._registry import exercise

__all__: list[str] = []

# The hand-calculation setup of 14.2 and 14.3: every weight 0.3, no bias, x_1 = 2,
# h_0 = c_0 = 1, one unit.
_W, _X, _H0, _C0 = 0.3, 2.0, 1.0, 1.0


def _sigma(a: float) -> float:
    return float(1.0 / (1.0 + np.exp(-a)))


@exercise("14.1", "Parameters of an LSTM layer", solution=r"""
Each of the four gate blocks $(i, f, g, o)$ has $d \times n$ input weights, $d \times d$
recurrent weights and $d$ biases:
$4\,(d(n + d) + d) = 4\,(128 \cdot 428 + 128) =$ **219,648**.

PyTorch keeps two bias vectors ($b_{ih}$ and $b_{hh}$) and reports 220,160; a GRU (three
blocks) would have 164,736. In code: `dl.counting.lstm_params(300, 128)`.
""")
def _check_14_1(answer):
    from .. import counting

    n, d = 300, 128
    value = _number(answer)
    expected = counting.lstm_params(n, d)
    if np.isclose(value, counting.lstm_params(n, d, torch_biases=True)):
        return "that counts PyTorch's two bias vectors; the course counts one bias per gate unit"
    if np.isclose(value, counting.lstm_params(n, d, bias=False)):
        return "add one bias per gate unit (4d of them)"
    if np.isclose(value, counting.gru_params(n, d)):
        return "that is a GRU (three gate blocks); the LSTM has four: i, f, g, o"
    if np.isclose(value, counting.rnn_params(n, d)):
        return "that is one block: an LSTM stacks four of them (i, f, g, o)"
    return None if np.isclose(value, expected) else \
        "count one block (d x n + d x d + d) and multiply by the number of gates"


@exercise("14.2", "One LSTM step by hand", solution=r"""
All four pre-activations are $0.3 \cdot 2 + 0.3 \cdot 1 = 0.9$, so
$i = f = o = \sigma(0.9) = 0.710950$ and $g = \tanh(0.9) = 0.716298$. Then
$c_1 = f c_0 + i g = 0.710950 + 0.509252 = 1.220201$ and
$h_1 = o \tanh(c_1) = 0.710950 \cdot 0.839713 =$ **0.596994**.

In code: `dl.recurrent.lstm_step_forward(x, h0, c0, w_ih, w_hh)` with every weight 0.3.
""")
def _check_14_2(answer):
    from .. import recurrent

    value = _number(answer)
    one = np.ones((1, 1))
    h1, c1, _ = recurrent.lstm_step_forward(_X * one, _H0 * one, _C0 * one,
                                            np.full((4, 1), _W), np.full((4, 1), _W))
    expected = float(h1[0, 0])
    a = _W * _X + _W * _H0
    s, g = _sigma(a), float(np.tanh(a))
    c_new = float(c1[0, 0])
    if np.isclose(value, s * np.tanh(_C0), atol=1e-4):
        return "h_t reads the new cell state: h_1 = o tanh(c_1), not tanh(c_0)"
    if np.isclose(value, s * np.tanh(_C0 + s * g), atol=1e-4):
        return "the old cell is scaled by the forget gate: c_1 = f c_0 + i g"
    if np.isclose(value, np.tanh(c_new), atol=1e-4):
        return "the output gate scales what is read: h_1 = o tanh(c_1)"
    if np.isclose(value, c_new, atol=1e-4):
        return "that is the cell state c_1; the question asks for h_1"
    return None if np.isclose(value, expected, atol=1e-4) else \
        "compute the gates (three sigmoids and a tanh of 0.9), then c_1, then h_1"


@exercise("14.3", "One GRU step: which form?", solution=r"""
$r = z = \sigma(0.3 \cdot 2 + 0.3 \cdot 1) = 0.710950$; the candidate is
$n = \tanh(0.3 \cdot 2 + r\,(0.3 \cdot 1)) = \tanh(0.813285) = 0.671398$, and in the
course's (PyTorch's) form
$h_1 = (1 - z)\,n + z\,h_0 = 0.289050 \cdot 0.671398 + 0.710950 =$ **0.905018**.

The form of Cho et al. (2014), $h_1 = (1 - z)\,h_0 + z\,n$, gives 0.766 instead: $z$ and
$1 - z$ are swapped.
""")
def _check_14_3(answer):
    from .. import recurrent

    value = _number(answer)
    one = np.ones((1, 1))
    h1, cache = recurrent.gru_step_forward(_X * one, _H0 * one, np.full((3, 1), _W),
                                           np.full((3, 1), _W))
    expected = float(h1[0, 0])
    gates = recurrent.gru_gates(cache)
    z, n = float(gates["z"][0, 0]), float(gates["n"][0, 0])
    if np.isclose(value, (1 - z) * _H0 + z * n, atol=1e-4):
        return "that is the form of Cho et al. (2014); the course and PyTorch use " \
               "h_t = (1 - z) n + z h_(t-1): z keeps the old state"
    n_no_reset = float(np.tanh(_W * _X + _W * _H0))
    if np.isclose(value, (1 - z) * n_no_reset + z * _H0, atol=1e-4):
        return "the reset gate multiplies the recurrent term inside the candidate n"
    if np.isclose(value, n, atol=1e-4):
        return "that is the candidate n; h_1 mixes it with h_0 through the update gate"
    return None if np.isclose(value, expected, atol=1e-4) else \
        "compute r and z, then n = tanh(x w + r (h_0 w)), then mix n and h_0 with z"


@exercise("14.4", "How long does a forget gate of 0.9 remember?", solution=r"""
Along the cell path the gradient (and the stored value) is multiplied by $f$ at every step, so
after $k$ steps by $0.9^k$. $0.9^{43} = 0.0108$ is still above 0.01 and $0.9^{44} = 0.0097$ is
below: the answer is **44** steps, $k = \lceil \ln 0.01 / \ln 0.9 \rceil$.

A forget bias that makes $f$ closer to 1 stretches this ($f = 0.99$ gives 459 steps).
""")
def _check_14_4(answer):
    value = _number(answer)
    f, target = 0.9, 0.01
    expected = int(np.ceil(np.log(target) / np.log(f)))
    if value != round(value):
        return "count whole steps: the smallest integer k with 0.9^k < 0.01"
    if value == expected - 1:
        return "0.9^k at that k is still slightly above 0.01: one more step"
    if value == round(np.log(target) / np.log(1 - f)):
        return "the cell keeps a fraction f = 0.9 per step (it forgets 1 - f = 0.1)"
    return None if value == expected else "solve 0.9^k < 0.01 for the smallest integer k"


_NAN_CHOICES = {
    "A": "the vanishing gradient problem",
    "B": "the exploding gradient problem",
    "C": "ReLU used where z is too large",
    "D": "sigmoid used where z is too large",
}


@exercise("14.5", "Weights turned into NaN", solution=r"""
**B, exploding gradients.** Huge gradients make huge updates; the weights overflow to
$\infty$, and $\infty - \infty$ or $0 \cdot \infty$ gives NaN. Vanishing gradients only stall
learning, ReLU of a large $z$ is large but finite, and the sigmoid saturates at 1.

Clipping the gradient norm (`dl.recurrent.clip_grad_norm`) is the usual fix; `dl.nn.fit` stops
and reports `diverged`.
""")
def _check_14_5(answer):
    if not isinstance(answer, str) or answer.strip().upper()[:1] not in _NAN_CHOICES:
        return "answer with one letter: 'A', 'B', 'C' or 'D'"
    letter = answer.strip().upper()[:1]
    hints = {
        "A": "vanishing gradients make learning stall; they do not create NaN",
        "C": "ReLU of a large z is large but finite; NaN needs an overflow first",
        "D": "the sigmoid saturates at 1, a finite value",
    }
    return hints.get(letter)
