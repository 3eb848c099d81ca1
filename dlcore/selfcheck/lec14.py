"""Self-checks of lecture 14 (LSTM and GRU), exercises 14.1-14.5, and 14.6-14.8 where the
learner writes one step of a one-unit LSTM and of a one-unit GRU, and the backward pass of the
LSTM's cell update.

Shape legend: one-unit cells in the hand calculations (D = H = 1); weights in PyTorch's gate
order, LSTM (i, f, g, o) and GRU (r, z, n).  In 14.6-14.7, x, h and c are (N,): N one-unit
cells side by side, each with the same gate weights w_x, w_h, b (4,) or (3,).  Expected values
are computed here and never printed; a hint names the likely mistake.
"""

from __future__ import annotations

import numpy as np

from ._answers import number as _number
from ._functions import Case, Gradients, implement
from ._registry import exercise

__all__: list[str] = []

# The hand-calculation setup of 14.2 and 14.3: every weight 0.3, no bias, x_1 = 2,
# h_0 = c_0 = 1, one unit.
_W, _X, _H0, _C0 = 0.3, 2.0, 1.0, 1.0


def _sigma(a: float) -> float:
    return float(1.0 / (1.0 + np.exp(-a)))


@exercise("14.1", "Parameters of an LSTM layer", hints=(
    "An LSTM layer is four copies of one block, one per gate (i, f, g, o). Count one block "
    "first.",
    "One block: d x n input weights, d x d recurrent weights and d biases, with n = 300 inputs "
    "and d = 128 units.",
    "4 * (d * n + d * d + d): the course counts one bias per gate unit.",
), solution=r"""
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


@exercise("14.2", "One LSTM step by hand", hints=(
    "With every weight 0.3, no bias, x_1 = 2 and h_0 = 1, all four gates see the same "
    "pre-activation: compute it first.",
    "Three gates use the sigmoid (i, f, o) and the candidate g uses tanh. Then update the cell "
    "first: c_1 = f c_0 + i g.",
    "h_1 = o tanh(c_1), with the new cell c_1 (c_0 = 1).",
), solution=r"""
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


@exercise("14.3", "One GRU step: which form?", hints=(
    "Compute the two gates r and z first: both see 0.3 * 2 + 0.3 * 1.",
    "The candidate is n = tanh(0.3 * x_1 + r * (0.3 * h_0)): the reset gate scales only the "
    "recurrent term.",
    "The course (and PyTorch) mix as h_1 = (1 - z) n + z h_0: z is the share of the old state "
    "that is kept.",
), solution=r"""
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


@exercise("14.4", "How long does a forget gate of 0.9 remember?", hints=(
    "Along the cell path with no input written, each step multiplies what is stored by f = 0.9.",
    "After k steps the fraction left is 0.9^k: find the first k where it drops below 0.01.",
    "Solve 0.9^k < 0.01 with logarithms, k > ln 0.01 / ln 0.9, and round up to a whole step.",
), solution=r"""
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


@exercise("14.5", "Weights turned into NaN", hints=(
    "NaN does not come from a value that is merely small or merely large: it needs an infinity "
    "first (inf - inf, 0 * inf).",
    "Which of the four makes the updates, and so the weights, grow without bound?",
), solution=r"""
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


# 14.6-14.7 -- your turn: one step of a one-unit LSTM and GRU --------------------------------

def _column(v):
    return np.asarray(v, dtype=np.float64).reshape(-1, 1)


def _lstm_step(x, h, c, w_x, w_h, b):
    from .. import recurrent

    shape = np.shape(x)
    h1, c1, _ = recurrent.lstm_step_forward(_column(x), _column(h), _column(c), _column(w_x),
                                            _column(w_h), np.asarray(b, dtype=np.float64))
    return h1.reshape(shape), c1.reshape(shape)


def _sig(a):
    return 1.0 / (1.0 + np.exp(-a))


def _lstm_pre(x, h, w_x, w_h, b):
    x, h = np.asarray(x, float), np.asarray(h, float)
    return [w_x[k] * x + w_h[k] * h + b[k] for k in range(4)]


def _lstm_slides_order(x, h, c, w_x, w_h, b):
    a = _lstm_pre(x, h, w_x, w_h, b)
    i, f, o, g = _sig(a[0]), _sig(a[1]), _sig(a[2]), np.tanh(a[3])
    c1 = f * c + i * g
    return o * np.tanh(c1), c1


def _lstm_no_forget(x, h, c, w_x, w_h, b):
    a = _lstm_pre(x, h, w_x, w_h, b)
    c1 = c + _sig(a[0]) * np.tanh(a[2])
    return _sig(a[3]) * np.tanh(c1), c1


def _lstm_no_tanh_out(x, h, c, w_x, w_h, b):
    a = _lstm_pre(x, h, w_x, w_h, b)
    c1 = _sig(a[1]) * c + _sig(a[0]) * np.tanh(a[2])
    return _sig(a[3]) * c1, c1


def _lstm_sigmoid_candidate(x, h, c, w_x, w_h, b):
    a = _lstm_pre(x, h, w_x, w_h, b)
    c1 = _sig(a[1]) * c + _sig(a[0]) * _sig(a[2])
    return _sig(a[3]) * np.tanh(c1), c1


def _lstm_reads_old_cell(x, h, c, w_x, w_h, b):
    a = _lstm_pre(x, h, w_x, w_h, b)
    c1 = _sig(a[1]) * c + _sig(a[0]) * np.tanh(a[2])
    return _sig(a[3]) * np.tanh(c), c1


_V = np.array
_WX4, _WH4, _B4 = _V([0.5, -0.3, 0.8, 0.1]), _V([0.2, 0.4, -0.6, 0.3]), _V([0.1, 1.0, 0.0, -0.2])

implement(
    "14.6", "Write one step of a one-unit LSTM", reference=_lstm_step, name="my_lstm_step",
    outputs=("h", "c"),
    reference_name="dlcore's one-unit LSTM step (dl.recurrent.lstm_step_forward with D = H = 1)",
    cases=[
        Case("the worked example: every weight 0.5", (_V([1.0]), _V([0.5]), _V([0.5]),
                                                      _V([0.5] * 4), _V([0.5] * 4),
                                                      _V([0.0] * 4))),
        Case("two cells, different gate weights", (_V([1.0, -0.5]), _V([0.2, -0.1]),
                                                   _V([0.5, -1.0]), _WX4, _WH4, _B4)),
        Case("zero states", (_V([-1.0, 0.0, 2.0]), _V([0.0, 0.0, 0.0]), _V([0.0, 0.0, 0.0]),
                             _WX4, _WH4, _B4)),
        Case("forget bias +4, a large cell", (_V([0.3, -2.0]), _V([0.6, -0.4]), _V([3.0, -2.5]),
                                              _V([1.5, 0.2, -1.0, 0.7]), _V([-0.5, 0.1, 0.9, 0.4]),
                                              _V([-1.0, 4.0, 0.5, 0.0]))),
    ],
    mistakes=[
        (_lstm_slides_order, "the gate blocks are read in the wrong order: in dlcore (and "
                             "PyTorch) they come as (i, f, g, o), so index 2 is the candidate g "
                             "and index 3 the output gate o"),
        (_lstm_no_forget, "the old cell passes unchanged: the forget gate must scale it, "
                          "c_t = f * c_(t-1) + i * g"),
        (_lstm_no_tanh_out, "h reads the cell through a squashing function: h_t = o * tanh(c_t), "
                            "not o * c_t"),
        (_lstm_sigmoid_candidate, "the candidate g uses tanh, so that it can write negative "
                                  "values; only the three gates i, f, o use the sigmoid"),
        (_lstm_reads_old_cell, "h reads the new cell: update c first, then h_t = o * tanh(c_t)"),
    ],
    hints=(
        "Compute the four pre-activations first, one per gate in the order (i, f, g, o): "
        "a_k = w_x[k] * x + w_h[k] * h + b[k] (arrays of shape (N,)).",
        "Squash them: i, f, o with the sigmoid, the candidate g with tanh. Then write and keep: "
        "the new cell mixes the old one and the candidate through f and i.",
        "`c_new = f * c + i * g` and `h_new = o * np.tanh(c_new)`; return `(h_new, c_new)`.",
    ),
    solution=r"""
Four pre-activations in the order $(i, f, g, o)$, three sigmoid gates and a tanh candidate,
then the cell update and the read:

```python
def my_lstm_step(x, h, c, w_x, w_h, b):
    def sigmoid(a):
        return 1 / (1 + np.exp(-a))

    a = [w_x[k] * x + w_h[k] * h + b[k] for k in range(4)]
    i, f, g, o = sigmoid(a[0]), sigmoid(a[1]), np.tanh(a[2]), sigmoid(a[3])
    c_new = f * c + i * g
    h_new = o * np.tanh(c_new)
    return h_new, c_new
```

The cell is updated by an elementwise product with $f$ plus what $i$ lets in, which is why
the cell path keeps gradients alive (section 3).
""")


def _gru_step(x, h, w_x, w_h, b):
    from .. import recurrent

    shape = np.shape(x)
    h1, _ = recurrent.gru_step_forward(_column(x), _column(h), _column(w_x), _column(w_h),
                                       np.asarray(b, dtype=np.float64))
    return h1.reshape(shape)


def _gru_parts(x, h, w_x, w_h, b):
    x, h = np.asarray(x, float), np.asarray(h, float)
    r = _sig(w_x[0] * x + b[0] + w_h[0] * h)
    z = _sig(w_x[1] * x + b[1] + w_h[1] * h)
    return x, h, r, z


def _gru_cho(x, h, w_x, w_h, b):
    x, h, r, z = _gru_parts(x, h, w_x, w_h, b)
    n = np.tanh(w_x[2] * x + b[2] + r * (w_h[2] * h))
    return (1 - z) * h + z * n


def _gru_no_reset(x, h, w_x, w_h, b):
    x, h, r, z = _gru_parts(x, h, w_x, w_h, b)
    n = np.tanh(w_x[2] * x + b[2] + w_h[2] * h)
    return (1 - z) * n + z * h


def _gru_reset_everything(x, h, w_x, w_h, b):
    x, h, r, z = _gru_parts(x, h, w_x, w_h, b)
    n = np.tanh(r * (w_x[2] * x + b[2] + w_h[2] * h))
    return (1 - z) * n + z * h


def _gru_sigmoid_candidate(x, h, w_x, w_h, b):
    x, h, r, z = _gru_parts(x, h, w_x, w_h, b)
    n = _sig(w_x[2] * x + b[2] + r * (w_h[2] * h))
    return (1 - z) * n + z * h


_WX3, _WH3, _B3 = _V([0.5, -0.3, 0.8]), _V([0.2, 0.4, -0.6]), _V([0.1, 1.0, -0.2])

implement(
    "14.7", "Write one step of a one-unit GRU", reference=_gru_step, name="my_gru_step",
    reference_name="dlcore's one-unit GRU step (dl.recurrent.gru_step_forward with D = H = 1)",
    cases=[
        Case("the worked example: every weight 0.5", (_V([1.0]), _V([0.5]), _V([0.5] * 3),
                                                      _V([0.5] * 3), _V([0.0] * 3))),
        Case("two cells, different gate weights", (_V([1.0, -0.5]), _V([0.2, -0.1]),
                                                   _WX3, _WH3, _B3)),
        Case("a zero state", (_V([-1.0, 0.0, 2.0]), _V([0.0, 0.0, 0.0]), _WX3, _WH3, _B3)),
        Case("update bias +4: keep the state", (_V([0.3, -2.0]), _V([0.6, -0.4]),
                                                _V([1.5, -8.0, 3.0]), _V([-0.5, 0.1, 0.9]),
                                                _V([0.5, 4.0, 0.0]))),
    ],
    mistakes=[
        (_gru_cho, "z and 1 - z are swapped: that is the form of Cho et al. (2014). dlcore and "
                   "PyTorch keep the old state with z: h_t = (1 - z) * n + z * h_(t-1)"),
        (_gru_no_reset, "the reset gate is not used: it scales the recurrent term inside the "
                        "candidate, n = tanh(w_x[2] x + b[2] + r * (w_h[2] h))"),
        (_gru_reset_everything, "the reset gate scales only the recurrent term w_h[2] * h of the "
                                "candidate; the input term and the bias are left alone"),
        (_gru_sigmoid_candidate, "the candidate n uses tanh (it can be negative); the sigmoid "
                                 "is for the gates r and z"),
    ],
    hints=(
        "Compute the two gates first, in the order (r, z): each is a sigmoid of "
        "w_x[k] * x + w_h[k] * h + b[k].",
        "The candidate n is a tanh in which the reset gate scales only the recurrent term: "
        "w_x[2] * x + b[2] + r * (w_h[2] * h).",
        "Mix with the update gate, z keeping the old state: `(1 - z) * n + z * h`.",
    ),
    solution=r"""
Two sigmoid gates, a candidate whose recurrent term the reset gate scales, and a mix in which
$z$ is the share of the old state that is kept (PyTorch's form):

```python
def my_gru_step(x, h, w_x, w_h, b):
    def sigmoid(a):
        return 1 / (1 + np.exp(-a))

    r = sigmoid(w_x[0] * x + w_h[0] * h + b[0])
    z = sigmoid(w_x[1] * x + w_h[1] * h + b[1])
    n = np.tanh(w_x[2] * x + b[2] + r * (w_h[2] * h))
    return (1 - z) * n + z * h
```

The form of Cho et al. swaps $z$ and $1 - z$; both learn equally well, but weights trained in
one form do not work in the other.
""")


# 14.8 -- your turn: the backward pass of the cell update and the read ------------------------

def _cell_backward(dh, dc, c_prev, i, f, g, o):
    """Gradients of sum(dh * h + dc * c) for c = f c_prev + i g, h = o tanh(c), with respect
    to c_prev and the four gate values (i, f, g, o) (after their squashing)."""
    dh, dc, c_prev, i, f, g, o = (np.asarray(v, dtype=np.float64)
                                  for v in (dh, dc, c_prev, i, f, g, o))
    tanh_c = np.tanh(f * c_prev + i * g)
    dc_t = dc + dh * o * (1.0 - tanh_c ** 2)
    return dc_t * f, dc_t * g, dc_t * c_prev, dc_t * i, dh * tanh_c


def _cell_objective(dh, dc, c_prev, i, f, g, o):
    c = f * c_prev + i * g
    return float(np.sum(dh * o * np.tanh(c)) + np.sum(dc * c))


def _bw_no_tanh_grad(dh, dc, c_prev, i, f, g, o):
    tanh_c = np.tanh(f * c_prev + i * g)
    dc_t = dc + dh * o
    return dc_t * f, dc_t * g, dc_t * c_prev, dc_t * i, dh * tanh_c


def _bw_no_forget(dh, dc, c_prev, i, f, g, o):
    out = _cell_backward(dh, dc, c_prev, i, f, g, o)
    return (out[0] / f,) + out[1:]


def _bw_drops_dc(dh, dc, c_prev, i, f, g, o):
    return _cell_backward(dh, np.zeros_like(np.asarray(dc, dtype=np.float64)), c_prev, i, f,
                          g, o)


def _bw_do_without_tanh(dh, dc, c_prev, i, f, g, o):
    out = _cell_backward(dh, dc, c_prev, i, f, g, o)
    return out[:4] + (dh * (f * c_prev + i * g),)


def _bw_swapped_i_g(dh, dc, c_prev, i, f, g, o):
    dc_prev, di, df, dg, do = _cell_backward(dh, dc, c_prev, i, f, g, o)
    return dc_prev, dg, df, di, do


implement(
    "14.8", "Write the backward pass of the cell update", reference=_cell_backward,
    name="my_lstm_cell_backward", outputs=("dc_prev", "di", "df", "dg", "do"),
    reference_name="dlcore's backward of c = f c_prev + i g, h = o tanh(c) (as in "
                   "dl.recurrent.lstm_step_backward)",
    gradients=Gradients(_cell_objective, wrt=(2, 3, 4, 5, 6), dout=None),
    cases=[
        Case("one cell, no gradient from the next step (dc = 0)",
             (_V([1.0]), _V([0.0]), _V([0.5]), _V([0.6]), _V([0.7]), _V([0.3]), _V([0.8]))),
        Case("two cells, gradients on h and on c",
             (_V([0.5, -1.0]), _V([0.2, 0.4]), _V([1.0, -0.5]), _V([0.3, 0.9]), _V([0.95, 0.1]),
              _V([-0.6, 0.4]), _V([0.5, 0.7]))),
        Case("three cells, no gradient on h (dh = 0)",
             (_V([0.0, 0.0, 0.0]), _V([1.0, -2.0, 0.5]), _V([0.3, 2.0, -1.5]), _V([0.1, 0.5, 0.9]),
              _V([0.98, 0.5, 0.2]), _V([0.7, -0.9, 0.0]), _V([0.4, 0.6, 0.99]))),
    ],
    mistakes=[
        (_bw_no_tanh_grad, "h = o * tanh(c): the gradient reaching c through h is "
                           "dh * o * (1 - tanh(c)^2), with the derivative of tanh"),
        (_bw_no_forget, "the old cell reaches the new one through f (c = f * c_prev + ...): "
                        "dc_prev is the cell's gradient times f"),
        (_bw_drops_dc, "the gradient dc that comes from the next step is lost: the cell's "
                       "gradient is dc plus what comes through h"),
        (_bw_do_without_tanh, "o multiplies tanh(c), not c: do = dh * tanh(c)"),
        (_bw_swapped_i_g, "di and dg are swapped: the gradient of i * g with respect to i is g, "
                          "and with respect to g it is i"),
    ],
    hints=(
        "Work in two stages. First the gradient of the cell c itself: it arrives from the "
        "next step (dc) and through h = o * tanh(c).",
        "dc_t = dc + dh * o * (1 - tanh(c)^2), with c = f * c_prev + i * g recomputed. Then "
        "each input of c = f * c_prev + i * g gets dc_t times the factor it is multiplied by.",
        "`dc_prev = dc_t * f`, `di = dc_t * g`, `df = dc_t * c_prev`, `dg = dc_t * i`, and "
        "`do = dh * np.tanh(c)`.",
    ),
    solution=r"""
The cell's gradient collects what comes from the next step and what comes through $h$; then
each product hands it on, times the other factor:

```python
def my_lstm_cell_backward(dh, dc, c_prev, i, f, g, o):
    c = f * c_prev + i * g
    tanh_c = np.tanh(c)
    dc_t = dc + dh * o * (1 - tanh_c ** 2)
    return dc_t * f, dc_t * g, dc_t * c_prev, dc_t * i, dh * tanh_c
```

`dc_prev = dc_t * f` is the cell path of section 3: an elementwise product with the forget
gate, with no weight matrix and no $\tanh'$ in it.
""")
