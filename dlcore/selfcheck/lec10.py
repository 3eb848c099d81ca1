"""Self-checks of lecture 10 (convolution and pooling): exercises 10.1-10.5, and 10.6-10.7
where the learner writes the 1-D and 2-D cross-correlation.

Shape legend: signal (T,), taps (K,); image (H, W), kernel (KH, KW), output (H_out, W_out);
shapes are answered as tuples of ints.  Expected values are computed here with ``dlcore.conv``
and never printed; a hint names the likely mistake.
"""

from __future__ import annotations

import numpy as np

from .. import conv
from ..data.slide_examples import SLIDE_EXAMPLES
from ._answers import number as _number
from ._functions import Case, implement
from ._registry import exercise

__all__: list[str] = []

# exercise 10.3: a new input and kernel (not from the slides)
X3 = np.array([[1, 0, 2, 1], [0, 3, 1, 0], [2, 1, 0, 1], [1, 0, 1, 2]], dtype=float)
K3 = np.array([[1, 2], [0, -1]], dtype=float)
B3 = 1.0


def _matrix(answer, shape) -> np.ndarray | str:
    arr = np.asarray(answer, dtype=float)
    if arr.shape != shape:
        return f"the answer must be a {shape[0]}x{shape[1]} array; got shape {arr.shape}"
    return arr


def _shape(value) -> tuple:
    return tuple(int(v) for v in value)


def _smoother():
    x = SLIDE_EXAMPLES["smoother_signal"].value
    w = SLIDE_EXAMPLES["smoother_taps"].value
    return x, w, conv.correlate1d(x, w)


@exercise("10.1", "The smoother's s_9 by hand", hints=(
    "The smoother has seven weights and each output sums seven products: s_9 covers the "
    "readings x_3 ... x_9.",
    "The weights are printed oldest first, w_-6 ... w_0: the newest reading x_9 goes with w_0, "
    "the last weight printed, and x_3 with the first.",
    "Section 1 computes s_6 term by term; shift every reading index by 3. In code, the outputs "
    "of `dl.conv.correlate1d(x, w)` start at s_6.",
), solution=r"""
The weights are printed oldest first, $w_{-6},\dots,w_0$, so $s_9$ pairs $w_0$ with the newest
reading $x_9$ and $w_{-6}$ with $x_3$:

$s_9 = 2.4(0.5) + 2.2(0.4) + 2.1(0.04) + 1.9(0.02) + 1.8(0.02) + 1.7(0.01) + 1.4(0.01)
= 1.2 + 0.88 + 0.084 + 0.038 + 0.036 + 0.017 + 0.014 = 2.269$.

In code, `dl.conv.correlate1d(x, w)` gives $s_6,\dots,s_{11}$, so $s_9$ is its entry 3:

```python
ex = dl.data.SLIDE_EXAMPLES
answer = dl.conv.correlate1d(ex["smoother_signal"].value, ex["smoother_taps"].value)[3]
```
""")
def _check_smoother(answer):
    got = _number(answer)
    x, w, s = _smoother()
    if np.isclose(got, s[3], atol=1e-3):
        return None
    if np.isclose(got, SLIDE_EXAMPLES["smoother_slide_output"].value[3], atol=1e-3):
        return ("that is the value some printed versions of this example show, and it is "
                "wrong: add up the seven products x_(9-a) w_(-a) yourself")
    if np.isclose(got, conv.correlate1d(x, w[::-1])[3], atol=1e-3):
        return ("the weights are reversed: w_0 = 0.5 belongs to the newest reading x_9, "
                "not to the oldest one in the window")
    if np.isclose(got, s[2], atol=1e-3) or np.isclose(got, s[4], atol=1e-3):
        return "that is a neighbouring output (s_8 or s_10): the window of s_9 ends at x_9"
    return "s_9 = x_9 w_0 + x_8 w_-1 + ... + x_3 w_-6, with x_0 the first reading"


@exercise("10.2", "Output size with padding, stride and dilation", hints=(
    "A dilated kernel spans more cells than it has taps: with dilation d, k taps cover "
    "d (k - 1) + 1 cells.",
    "Use n_out = floor((n + 2p - d (k - 1) - 1) / s) + 1 with n = 50, k = 5, d = 2, p = 2, "
    "s = 2.",
    "The fraction inside the floor is not a whole number: round it down before adding 1 "
    "(`dl.conv.output_size` agrees).",
), solution=r"""
$n_{out} = \lfloor (n + 2p - d(k-1) - 1)/s \rfloor + 1
= \lfloor (50 + 4 - 8 - 1)/2 \rfloor + 1 = \lfloor 22.5 \rfloor + 1 = 23$.

The dilated kernel spans $d(k-1)+1 = 9$ cells, and the half row left over at the end is
dropped by the floor.  `dl.conv.output_size(50, 5, stride=2, pad=2, dilation=2)` gives the
same; with `strict=True` it raises, because the stride does not tile the input.
""")
def _check_output_size(answer):
    got = _number(answer)
    expected = conv.output_size(50, 5, stride=2, pad=2, dilation=2)
    if got == expected:
        return None
    hints = {
        (50 + 4 - 8 - 1) / 2 + 1: "the size must be a whole number: take the floor of the "
                                  "division before adding 1",
        expected - 1: "one short: the +1 is missing, or the padding was added on one side "
                      "only (it goes on both: 2p)",
        expected + 1: "one too many: the division is rounded down (floor), not up",
        conv.output_size(50, 5, stride=2, pad=2): "the dilation is missing: a 5-tap kernel "
                                                  "with dilation 2 spans d(k-1)+1 = 9 cells",
        conv.output_size(50, 5, stride=2, dilation=2): "the padding is missing: it adds 2p "
                                                       "cells",
        conv.output_size(50, 5, pad=2, dilation=2): "the stride is missing: divide by s = 2",
    }
    for value, hint in hints.items():
        if np.isclose(got, value):
            return hint
    return "use floor((n + 2p - d(k-1) - 1)/s) + 1 with n=50, k=5, p=2, s=2, d=2"


@exercise("10.3", "A conv layer's output on a small example", hints=(
    "A conv layer slides the kernel as written (no flip), multiplies it with each 2x2 window "
    "and adds the bias b to every cell.",
    "The top-left cell: 1*1 + 0*2 + 0*0 + 3*(-1) + 1. A 4x4 input and a 2x2 kernel at "
    "stride 1 give a 3x3 output.",
    "In code: `dl.conv.correlate2d(X, K) + b`.",
), solution=r"""
A conv layer computes cross-correlation plus the bias: the kernel is not flipped.  The
first cell is $1\cdot1 + 0\cdot2 + 0\cdot0 + 3\cdot(-1) + 1 = -1$; sliding the 2x2 window one
cell at a time over the 4x4 input gives a 3x3 output.

```python
answer = dl.conv.correlate2d(X, K) + 1
```
""")
def _check_conv(answer):
    got = _matrix(answer, (3, 3))
    if isinstance(got, str):
        return got + " (a 2x2 kernel at stride 1 over a 4x4 input)"
    expected = conv.correlate2d(X3, K3) + B3
    if np.allclose(got, expected):
        return None
    if np.allclose(got, conv.convolve2d(X3, K3) + B3) or np.allclose(got,
                                                                      conv.convolve2d(X3, K3)):
        return ("that is true convolution (the kernel rotated by 180 degrees); a conv layer "
                "uses the kernel as it is")
    if np.allclose(got, expected - B3):
        return "the bias b = 1 is missing: it is added to every output cell"
    if np.allclose(got, (conv.correlate2d(X3, K3.T) + B3)):
        return "the kernel is transposed: K[a, b] multiplies X[i + a, j + b] (a = row)"
    return "out[i, j] = sum over a, b of X[i + a, j + b] K[a, b], plus b"


@exercise("10.4", "Shapes of a conv layer's weights and output", hints=(
    "Each filter spans the full depth of its input: how many channels does the input have?",
    "PyTorch stores the weights as (filters, channels, kernel height, kernel width), and each "
    "filter gives one output channel.",
    "Padding 2 with a 5x5 kernel at stride 1 keeps 64 x 64: check it with "
    "floor((64 + 4 - 5) / 1) + 1.",
), solution=r"""
Each filter spans the full depth of the input, so a filter is 3x5x5 and the 16 filters stack
to `w.shape = (16, 3, 5, 5)` (PyTorch: filters, channels, height, width).  Padding 2 with a
5x5 kernel at stride 1 keeps the size ($\lfloor(64 + 4 - 4 - 1)/1\rfloor + 1 = 64$), and
each filter gives one output channel: `(16, 64, 64)`.

```python
answer = ((16, 3, 5, 5), (16, 64, 64))
```
""")
def _check_shapes(answer):
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return "answer with a pair (w_shape, out_shape), e.g. ((F, C, KH, KW), (F, H, W))"
    w_shape, out_shape = _shape(answer[0]), _shape(answer[1])
    n_out = conv.output_size(64, 5, stride=1, pad=2)
    w_ok, out_ok = w_shape == (16, 3, 5, 5), out_shape == (16, n_out, n_out)
    if w_ok and out_ok:
        return None
    if not w_ok:
        if w_shape == (16, 5, 5):
            return "a filter spans every input channel: w needs the channel axis C = 3"
        if w_shape == (3, 16, 5, 5):
            return "PyTorch's layout puts the filters first: (F, C, KH, KW)"
        if w_shape in ((5, 5, 3, 16), (16, 5, 5, 3)):
            return "use PyTorch's layout (F, C, KH, KW): filters, channels, height, width"
        return "w has one (C, KH, KW) block per filter"
    if out_shape[0] == 3:
        return "the output has one channel per filter, not per input channel"
    if out_shape[1:] == (60, 60):
        return "the padding is missing: p = 2 on each side keeps a 5x5 kernel's output at 64"
    return "out_shape is (filters, H_out, W_out) with the output-size formula"


@exercise("10.5", "Average pooling of a second 4x4 map from the slides", hints=(
    "2x2 windows at stride 2 tile the 4x4 map into four blocks that do not overlap.",
    "Average pooling replaces each block by the mean of its 4 cells (not the largest one).",
    "The top-left block holds 1, 2, 4 and 3. In code: "
    "`dl.conv.avg_pool2d_forward(M[None, None], size=2)[0][0, 0]`.",
), solution=r"""
2x2 windows at stride 2 do not overlap; each output is the mean of its 4 cells:
$(1 + 2 + 4 + 3)/4 = 2.5$, $(4 + 1 + 8 + 5)/4 = 4.5$, $(5 + 4 + 2 + 1)/4 = 3$,
$(6 + 7 + 3 + 1)/4 = 4.25$.

```python
x = dl.data.SLIDE_EXAMPLES["pool_input_b"].value
answer = dl.conv.avg_pool2d_forward(x[None, None], size=2, stride=2)[0][0, 0]
```
""")
def _check_pool(answer):
    x = SLIDE_EXAMPLES["pool_input_b"].value[None, None]
    arr = np.asarray(answer, dtype=float)
    if arr.shape == (3, 3):
        return "that is stride 1 (overlapping windows); use stride 2, the window size"
    got = _matrix(answer, (2, 2))
    if isinstance(got, str):
        return got
    expected = conv.avg_pool2d_forward(x, size=2, stride=2)[0][0, 0]
    if np.allclose(got, expected):
        return None
    if np.allclose(got, conv.max_pool2d_forward(x, size=2, stride=2)[0][0, 0]):
        return "that is max pooling; average pooling takes the mean of each window"
    if np.allclose(got, 4 * expected):
        return "those are the window sums: divide by the k*k = 4 cells"
    if np.allclose(got, 2 * expected):
        return "divide each window's sum by k*k = 4 cells, not by k = 2"
    return "the mean of each non-overlapping 2x2 block"


# "Your turn": the learner writes the two cross-correlations --------------------------------

_SIGNAL = np.array([0.0, 1.0, 3.0, 2.0, -1.0, 4.0])
_EDGE = np.array([[0.0, 0.0, 1.0, 1.0, 1.0]] * 5)


def _flipped_1d(signal, kernel):
    return conv.correlate1d(signal, np.asarray(kernel)[::-1])


def _full_1d(signal, kernel):
    return np.correlate(np.asarray(signal, float), np.asarray(kernel, float), mode="full")


def _one_short_1d(signal, kernel):
    return conv.correlate1d(signal, kernel)[:-1]


implement(
    "10.6", "Write the valid 1-D cross-correlation", reference=conv.correlate1d,
    name="my_correlate1d",
    cases=[
        Case("3 samples, 2 taps", (np.array([1.0, 2.0, 3.0]), np.array([1.0, -1.0]))),
        Case("an asymmetric kernel", (_SIGNAL, np.array([1.0, 0.0, 2.0]))),
        Case("a kernel as long as the signal", (np.array([2.0, -1.0, 3.0]),
                                               np.array([1.0, 1.0, 1.0]))),
        Case("the slides' smoother", (SLIDE_EXAMPLES["smoother_signal"].value,
                                      SLIDE_EXAMPLES["smoother_taps"].value)),
    ],
    mistakes=[
        (_flipped_1d, "that is convolution: the kernel runs backwards. Cross-correlation "
                      "multiplies signal[i + k] by kernel[k], the kernel as written"),
        (_full_1d, "that is the 'full' correlation, with the kernel hanging over both ends; "
                   "the valid one keeps only the T - K + 1 positions where it fits"),
        (_one_short_1d, "one output is missing: the window starts at i = 0, 1, ..., T - K, "
                        "which is T - K + 1 positions"),
    ],
    hints=(
        "The output has one value per position where the whole kernel fits on the signal: "
        "how many positions is that for T samples and K taps?",
        "For each position i, take the slice `signal[i:i + K]` and multiply it elementwise by "
        "`kernel`, then sum.",
        "`np.array([signal[i:i + K] @ kernel for i in range(T - K + 1)])`, with "
        "`T, K = len(signal), len(kernel)`.",
    ),
    solution=r"""
Slide the kernel along the signal without flipping it and sum the products at each of the
$T - K + 1$ positions where it fits:

```python
def my_correlate1d(signal, kernel):
    signal, kernel = np.asarray(signal, float), np.asarray(kernel, float)
    T, K = len(signal), len(kernel)
    return np.array([signal[i:i + K] @ kernel for i in range(T - K + 1)])
```

Flipping the kernel first would give the convolution of signal processing; deep-learning
"convolution" layers compute this cross-correlation.
""")


def _flipped_2d(image, kernel, stride=1, padding=0):
    return conv.correlate2d(image, np.asarray(kernel)[::-1, ::-1], stride=stride,
                            padding=padding)


def _no_stride_2d(image, kernel, stride=1, padding=0):
    return conv.correlate2d(image, kernel, stride=1, padding=padding)


def _no_padding_2d(image, kernel, stride=1, padding=0):
    return conv.correlate2d(image, kernel, stride=stride, padding=0)


implement(
    "10.7", "Write 2-D cross-correlation with stride and padding", reference=conv.correlate2d,
    name="my_correlate2d",
    cases=[
        Case("a 2x2 kernel on a 3x3 image", (np.arange(9.0).reshape(3, 3),
                                             np.array([[1.0, 2.0], [0.0, -1.0]]))),
        Case("a vertical edge, padding 1", (_EDGE, np.array([[1.0, 0.0, -1.0]] * 3)),
             {"padding": 1}),
        Case("stride 2 on 5x5", (np.arange(25.0).reshape(5, 5),
                                 np.array([[1.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 3.0]])),
             {"stride": 2}),
        Case("stride 2 that does not tile 6x6", (np.arange(36.0).reshape(6, 6) % 7,
                                                 np.array([[1.0, -1.0, 2.0]] * 3)),
             {"stride": 2}),
        Case("a 2x3 kernel on 4x5, stride 1, padding 1", (np.arange(20.0).reshape(4, 5) % 3,
                                                          np.array([[1.0, 0.0, 2.0],
                                                                    [-1.0, 1.0, 0.0]])),
             {"stride": 1, "padding": 1}),
    ],
    mistakes=[
        (_flipped_2d, "that is convolution: the kernel is flipped in both directions. The "
                      "layer cross-correlates: image[i*s + a, j*s + b] * kernel[a, b]"),
        (_no_stride_2d, "the stride is not used: the window moves s pixels at a time, so "
                        "H_out = floor((H + 2p - KH) / s) + 1"),
        (_no_padding_2d, "the padding is missing: put p zeros on every side of the image "
                         "first (np.pad), then slide the kernel"),
    ],
    hints=(
        "Pad first (`np.pad(image, padding)` puts `padding` zeros on every side), then work "
        "on the padded image only.",
        "The output has H_out = (H + 2p - KH) // s + 1 rows and W_out columns likewise; "
        "output (i, j) reads the window whose top left corner is at (i*s, j*s).",
        "`out[i, j] = np.sum(padded[i*s:i*s + KH, j*s:j*s + KW] * kernel)` in two loops over "
        "i and j.",
    ),
    solution=r"""
Pad, then read one window per output cell, its top left corner $s$ cells further each step:

```python
def my_correlate2d(image, kernel, stride=1, padding=0):
    padded = np.pad(np.asarray(image, float), padding)
    kernel = np.asarray(kernel, float)
    KH, KW = kernel.shape
    H_out = (padded.shape[0] - KH) // stride + 1
    W_out = (padded.shape[1] - KW) // stride + 1
    out = np.zeros((H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = padded[i * stride:i * stride + KH, j * stride:j * stride + KW]
            out[i, j] = np.sum(window * kernel)
    return out
```

The floor division is the output-size formula $\lfloor (H + 2p - K)/s \rfloor + 1$: a stride
that does not tile the input drops the last rows and columns.
""")
