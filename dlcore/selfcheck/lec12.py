"""Self-checks of lecture 12 (backprop through convolution and pooling, and training a CNN):
exercises 12.1-12.5 and the "your turn" 12.9-12.11 (notebook 12), 12.6-12.8 (notebook 12b).

Shape legend: input X (H, W), kernel W (KH, KW), G = dL/dZ (H_out, W_out); dL/dW (KH, KW),
dL/dX (H, W); pooled maps (H_out, W_out); a confusion matrix (C, C), rows the true class.
Expected values are computed here with ``dlcore`` and never printed; a hint names the likely
mistake.
"""

from __future__ import annotations

import numpy as np

from .. import conv
from ..conv import conv_terms
from ._answers import number as _number
from ._functions import Case, Gradients, implement
from ._registry import exercise

__all__: list[str] = []

# 12.2: a new 5x5 input and upstream gradient, stride 2 (not from the slides)
X2 = np.array([[1, 0, 2, 1, 3], [2, 1, 0, 1, 0], [0, 3, 1, 2, 1], [1, 0, 2, 0, 2],
               [3, 1, 0, 1, 1]], dtype=float)
G2 = np.array([[2, -1], [0, 1]], dtype=float)
# 12.3: a 6x6 input (its last row and column are in no window), stride 2
W3 = np.array([[1, 0, -1], [2, 1, 0], [0, 1, 1]], dtype=float)
G3 = np.array([[1, -2], [3, 1]], dtype=float)
# 12.4: max pooling with ties in two windows
A4 = np.array([[0.2, 0.7, 0.1, 0.3], [0.7, 0.4, 0.5, 0.5], [0.6, 0.1, 0.9, 0.2],
               [0.3, 0.8, 0.4, 0.9]])
U4 = np.array([[0.5, -1.0], [2.0, 1.5]])
# 12.5: the 3x3 layer of Arya's slides (lecture 12, section 4) with a new target
X5 = np.arange(1.0, 10.0).reshape(3, 3)
W5 = np.array([[1.0, 0.0], [-1.0, 2.0]])
T5 = np.array([[5.0, 10.0], [15.0, 20.0]])
# 12.8: a confusion matrix of three digit classes (rows: true 3, 5, 8; columns: predicted)
CM8 = np.array([[44, 1, 2], [0, 45, 1], [3, 2, 38]])


def _matrix(answer, shape):
    arr = np.asarray(answer, dtype=float)
    if arr.shape != shape:
        return None, (f"the answer must be a {shape[0]}x{shape[1]} array; got shape "
                      f"{arr.shape}")
    return arr, None


def _conv_grads(x, w, g, stride):
    _, cache = conv.conv2d_forward(x[None, None], w[None, None], stride=stride)
    dx, dw, _ = conv.conv2d_backward(g[None, None], cache)
    return dx[0, 0], dw[0, 0]


@exercise("12.1", "Correcting a classmate's dL/dw9", hints=(
    'At stride 2, where do the four 3x3 windows of the 5x5 input start? Number the cells a1 to '
    'a25 row by row.',
    'w9 is the bottom-right weight of the kernel: in each window it sits two rows down and two '
    "columns right of the window's first cell.",
    "Add 12 to the first cell's number (two rows of 5, plus 2 columns) for each of the four "
    'windows, in the order g1, g2, g3, g4.',
), solution=r"""
At stride 2 the four windows of the 5x5 input start at $a_1$, $a_3$, $a_{11}$ and $a_{13}$,
and $w_9$ is the bottom-right weight of each, two rows and two columns further on:
$a_{13}$, $a_{15}$, $a_{23}$, $a_{25}$.  So

$\partial L/\partial w_9 = a_{13}g_1 + a_{15}g_2 + a_{23}g_3 + a_{25}g_4$.

The classmate's $a_5$ is the top-right cell of window 2, not its bottom-right one: the slip
of placing the bottom row of the kernel on the top row of the window.  In code:

```python
terms = dl.conv.conv_terms((5, 5), (3, 3), stride=2)
answer = [t.inp + 1 for t in terms if t.k == 8]   # w9 is kernel cell 8 from 0
```
""")
def _check_dw9(answer):
    got = [int(v) for v in np.asarray(answer).ravel()]
    expected = [t.inp + 1 for t in conv_terms((5, 5), (3, 3), 2) if t.k == 8]
    if got == expected:
        return None
    if len(got) != 4:
        return "w9 meets one input cell in each of the four windows: answer four indices"
    if got == [13, 5, 23, 25]:
        return ("that is the classmate's version, and a_5 is its slip: at stride 2 window 2 "
                "starts at a_3, so its bottom-right cell is two rows further down")
    if got == [t.inp + 1 for t in conv_terms((5, 5), (3, 3), 1) if t.k == 8][:4]:
        return ("those are the stride-1 windows; a 2x2 output from a 5x5 input and a 3x3 "
                "kernel needs stride 2")
    if sorted(got) == sorted(expected):
        return "right cells, wrong order: list them for g1, g2, g3, g4 in turn"
    if got == [t.inp + 1 for t in conv_terms((5, 5), (3, 3), 2) if t.k == 0]:
        return "those are the cells of w1 (the top-left weight); w9 is the bottom-right one"
    return ("find where the bottom-right weight w9 lands in each window (windows start at "
            "a1, a3, a11, a13)")


@exercise("12.2", "dL/dW of a stride-2 convolution", hints=(
    'Each weight W[u, v] meets one input cell in every window; dL/dW[u, v] adds input times '
    'upstream gradient over the four windows.',
    'Window (i, j) starts at row 2i, column 2j, so W[u, v] meets X[2i + u, 2j + v] there.',
    'Either loop: dW[u, v] = sum over i, j of X2[2i + u, 2j + v] * G2[i, j]; or cross-correlate '
    'X2 with G2 after putting a zero between its entries (dl.conv.dilate).',
), solution=r"""
Each weight collects input times upstream gradient over the four windows:
$\partial L/\partial W_{uv} = \sum_{ij} X_{2i+u,\,2j+v}\,G_{ij}$, i.e. the input
cross-correlated with G dilated by the stride.  For example
$\partial L/\partial W_{00} = X_{00}G_{00} + X_{02}G_{01} + X_{20}G_{10} + X_{22}G_{11}
= 1\cdot2 + 2\cdot(-1) + 0\cdot0 + 1\cdot1 = 1$.

```python
answer = dl.conv.correlate2d(X2, dl.conv.dilate(G2, 2))
# or: dl.conv.conv2d_backward(G2[None, None], cache)[1][0, 0] after a stride-2 forward
```
""")
def _check_dw(answer):
    got, problem = _matrix(answer, (3, 3))
    if problem:
        if np.asarray(answer).shape == (5, 5):
            return problem + "; that looks like dL/dX: dL/dW has the kernel's shape 3x3"
        return problem + " (dL/dW has the kernel's shape)"
    _, dw = _conv_grads(X2, np.zeros((3, 3)), G2, 2)
    if np.allclose(got, dw):
        return None
    if np.allclose(got, conv.rot180(dw)):
        return ("that is flipped by 180 degrees: dL/dW is a cross-correlation of the input "
                "with G, not a true convolution")
    if np.allclose(got, conv.correlate2d(X2, G2)[:3, :3]):
        return ("G was not dilated: at stride 2 the windows start two cells apart, so "
                "insert a zero between the entries of G (dilate it) before correlating")
    return "dL/dW[u, v] = sum over the windows (i, j) of X[2i + u, 2j + v] G[i, j]"


@exercise("12.3", "dL/dX of a stride-2 convolution on a 6x6 input", hints=(
    "dL/dX has the input's shape, 6x6. Which input cells does no stride-2 window reach?",
    'Each output (i, j) stamps G3[i, j] * W3 onto its window (rows 2i to 2i + 2, columns 2j to '
    '2j + 2); overlapping stamps add up.',
    'The same with whole arrays: dilate G3 by 2, pad it by 2, cross-correlate with rot180(W3), '
    'and add a zero last row and column.',
), solution=r"""
Dilate G by the stride (a zero between its entries, 3x3), pad it by $k-1 = 2$ on every side
(7x7), and cross-correlate with the kernel rotated by 180 degrees: that fills rows and columns
0-4.  Row 5 and column 5 of the 6x6 input lie in no window (the windows start at 0 and 2 and
are 3 wide), so no output depends on them and their gradient is 0.

```python
full = dl.conv.correlate2d(np.pad(dl.conv.dilate(G3, 2), 2), dl.conv.rot180(W3))
answer = np.pad(full, ((0, 1), (0, 1)))
# the same: dl.conv.conv2d_backward after dl.conv.conv2d_forward(x, W3, stride=2) on 6x6
```
""")
def _check_dx(answer):
    got, problem = _matrix(answer, (6, 6))
    if problem:
        if np.asarray(answer).shape == (5, 5):
            return problem + ("; dL/dX has the input's shape: the last row and column, "
                              "which no window reaches, get 0")
        return problem + " (dL/dX has the input's shape)"
    dx, _ = _conv_grads(np.zeros((6, 6)), W3, G3, 2)
    if np.allclose(got, dx):
        return None
    undilated = np.zeros((6, 6))
    undilated[:4, :4] = conv.correlate2d(np.pad(G3, 2), conv.rot180(W3))
    if np.allclose(got, undilated):
        return ("G was not dilated: at stride 2 put a zero between the entries of G before "
                "the full cross-correlation")
    unrotated = np.pad(conv.correlate2d(np.pad(conv.dilate(G3, 2), 2), W3), ((0, 1), (0, 1)))
    if np.allclose(got, unrotated):
        return "the kernel must be rotated by 180 degrees (rot180) for the full correlation"
    if np.allclose(got[:5, :5], dx[:5, :5]):
        return ("rows/columns 0-4 are right; the last row and column lie in no window, so "
                "their gradient is 0")
    return ("dilate G by 2, pad by 2, cross-correlate with rot180(W3), and give the "
            "uncovered last row and column 0")


@exercise("12.4", "Max-pooling backward with ties", hints=(
    'In the forward pass only one cell of each 2x2 window became the output: which one?',
    "The upstream value of a window goes to that window's maximum and every other cell gets 0. "
    'With a tie, the first maximum in row-major order (left to right, then down) wins.',
    'Start from a 4x4 array of zeros and, for each of the four windows, add U4[i, j] at the '
    'position of its first maximum.',
), solution=r"""
Each upstream gradient goes to the cell that won its 2x2 window in the forward pass, and
every other cell gets 0.  Windows (0, 0) and (1, 1) hold a tie (two 0.7s, two 0.9s) and
window (0, 1) two 0.5s: the winner is the first maximum in row-major order, as in PyTorch.

```python
out, cache = dl.conv.max_pool2d_forward(A4[None, None], size=2)
answer = dl.conv.max_pool2d_backward(U4[None, None], cache)[0, 0]
```
""")
def _check_pool(answer):
    got, problem = _matrix(answer, (4, 4))
    if problem:
        return problem + " (the routed gradient has the activations' shape)"
    _, cache = conv.max_pool2d_forward(A4[None, None], size=2)
    expected = conv.max_pool2d_backward(U4[None, None], cache)[0, 0]
    if np.allclose(got, expected):
        return None
    spread = np.kron(U4, np.ones((2, 2)))
    if np.allclose(got, spread / 4):
        return "that is average pooling's backward; max pooling sends it to one cell"
    if np.allclose(got, spread):
        return "every cell of the window got the gradient; only the maximum should"
    window_max = np.kron(conv.max_pool2d_forward(A4[None, None], size=2)[0][0, 0],
                         np.ones((2, 2)))
    if np.allclose(got, np.where(A4 == window_max, spread, 0)):
        return ("the gradient was sent to every tied maximum; it goes to one cell only, the "
                "first maximum in row-major order")
    return "route each upstream value to the argmax of its window, 0 elsewhere"


@exercise("12.5", "dL/dW of a conv layer under the loss ½Σ(O - T)²", hints=(
    'First the forward pass: O = correlate2d(X5, W5), a 2x2 output.',
    'With L = (1/2) sum (O - T)^2, the upstream gradient is dL/dO = O - T (the 1/2 cancels the 2 '
    'of the square).',
    'dL/dW[u, v] = sum over i, j of X5[i + u, j + v] * (O - T)[i, j]: cross-correlate X5 with O '
    '- T5.',
), solution=r"""
With $L = \frac12\sum_{ij}(O_{ij}-T_{ij})^2$ (the loss of section 4, with $\hat y = O$),
$\partial L/\partial O = O - T$; here $O = [[7, 9], [13, 15]]$, so
$\partial L/\partial O = [[2, -1], [-2, -5]]$, and
$\partial L/\partial W = \mathrm{xcorr}(X, \partial L/\partial O)$, e.g.
$\partial L/\partial W_{00} = 1\cdot2 + 2\cdot(-1) + 4\cdot(-2) + 5\cdot(-5) = -33$.

```python
O = dl.conv.correlate2d(X5, W5)
answer = dl.conv.correlate2d(X5, O - T5)
```
""")
def _check_loss(answer):
    got, problem = _matrix(answer, (2, 2))
    if problem:
        if np.asarray(answer).shape == (3, 3):
            return problem + "; that looks like dL/dX: dL/dW has the kernel's shape 2x2"
        return problem
    g = conv.correlate2d(X5, W5) - T5
    _, dw = _conv_grads(X5, W5, g, 1)
    if np.allclose(got, dw):
        return None
    if np.allclose(got, 2 * dw):
        return ("twice the gradient: that is the derivative of sum (O - T)^2; this loss has "
                "a 1/2 in front")
    if np.allclose(got, -dw):
        return "the sign is flipped: dL/dO = O - T (prediction minus target)"
    return "dL/dO = O - T, then cross-correlate X with it"


@exercise("12.6", "Parameters of the digits CNN", hints=(
    'Count layer by layer: only the conv and linear layers have parameters; pooling, ReLU and '
    'Flatten have none.',
    'A conv layer has C_out filters of C_in x k x k weights each, plus one bias per filter; a '
    'linear layer has n_out x n_in weights plus n_out biases.',
    '(1*3*3 + 1)*32 for the first conv, (32*3*3 + 1)*64 for the second, (256 + 1)*10 for the '
    'linear layer: add them up.',
), solution=r"""
Conv2d(1, 32, 3): $32\cdot(1\cdot3\cdot3) + 32 = 320$; Conv2d(32, 64, 3):
$64\cdot(32\cdot3\cdot3) + 64 = 18{,}496$; the pooling layers, ReLU and Flatten have none;
Linear(256, 10): $10\cdot256 + 10 = 2{,}570$.  Total 21,386.

```python
answer = sum(p.data.size for p in model.parameters())
```
""")
def _check_params(answer):
    got = _number(answer)
    conv1, conv2, fc = 32 * 9 + 32, 64 * 32 * 9 + 64, 10 * 256 + 10
    if got == conv1 + conv2 + fc:
        return None
    if got == conv1 + conv2 + fc - 32 - 64 - 10:
        return "the biases are missing: one per filter and one per output unit"
    if got == 32 * 9 + 32 + 64 * 9 + 64 + fc:
        return ("each filter of the second conv spans all 32 input channels: 32*3*3 "
                "weights per filter")
    if got == conv1 + conv2 + 10 * 64 * 8 * 8 + 10 or got == conv1 + conv2 + 10 * 64 * 16 + 10:
        return ("the linear layer sees the pooled maps, not the 8x8 images: each of the two "
                "poolings halves the height and width (8x8 -> 4x4 -> 2x2)")
    return "add (C_in*k*k + 1)*C_out for each conv and (n_in + 1)*n_out for the linear layer"


@exercise("12.7", "Features entering the classifier", hints=(
    'Follow the height and width of an 8x8 image through each layer: padding=1 with a 3x3 kernel '
    'keeps the size.',
    'Each 2x2 max pool halves the height and the width; Flatten then multiplies channels, height '
    'and width.',
    '8x8 becomes 4x4 after the first pool and 2x2 after the second; the second conv has 64 '
    'channels.',
), solution=r"""
padding=1 keeps each 3x3 conv at the input size; each 2x2 max pool halves it:
8x8 -> 8x8 (conv1) -> 4x4 (pool) -> 4x4 (conv2) -> 2x2 (pool).  With 64 channels,
Flatten gives $64\cdot2\cdot2 = 256$ features per image.
""")
def _check_flatten(answer):
    got = _number(answer)
    if got == 64 * 2 * 2:
        return None
    if got == 64 * 8 * 8:
        return "the two max-pooling layers each halve the height and width"
    if got == 64 * 4 * 4:
        return "there are two pooling layers, and each halves the height and width"
    if got == 64:
        return "Flatten keeps every position of every channel: channels * height * width"
    if got == 64 * 6 * 6 or got == 64 * 3 * 3:
        return "the convolutions use padding=1, so they keep the size; only pooling halves it"
    return "follow the height and width through conv, pool, conv, pool"


@exercise("12.8", "Reading a confusion matrix: the recall of 8", hints=(
    'The rows of a confusion matrix are the true classes, the columns the predicted ones.',
    'Recall asks: of the images that really are 8s, what fraction was predicted 8? That is one '
    'row of the matrix.',
    'Divide the diagonal entry of the 8 row by the sum of that row.',
), solution=r"""
Rows are the true classes, so the true 8s are the last row, 3 + 2 + 38 = 43 images, of which
38 were predicted 8: recall $= 38/43 \approx 0.884$.  (The last *column* gives the precision,
38/41: of the images predicted 8, how many were 8s.)

```python
answer = CM8[2, 2] / CM8[2].sum()
```
""")
def _check_recall(answer):
    got = _number(answer)
    if np.isclose(got, CM8[2, 2] / CM8[2].sum(), atol=1e-3):
        return None
    if np.isclose(got, CM8[2, 2] / CM8[:, 2].sum(), atol=1e-3):
        return ("that is the precision (the column of predicted 8s); the recall uses the row "
                "of true 8s")
    if np.isclose(got, np.trace(CM8) / CM8.sum(), atol=1e-3):
        return "that is the overall accuracy; the recall of 8 looks at the true 8s only"
    if np.isclose(got, CM8[2, 2] / CM8.sum(), atol=1e-3):
        return "divide by the number of true 8s (their row), not by all images"
    return "the fraction of the true 8s (rows are the true class) predicted as 8"


# "Your turn": the learner writes max pooling's and the convolution's backward passes -------
#
# One channel, plain arrays: x (H, W); dout (H_out, W_out); w (KH, KW).  The references wrap
# dlcore's batched layers (which take an (N, C, H, W) batch and a cache object).

def maxpool_backward_reference(dout, x, size=2, stride=2):
    """dL/dx of max pooling on one channel: x (H, W), dout (H_out, W_out) -> dx (H, W)."""
    x = np.asarray(x, dtype=np.float64)
    _, cache = conv.max_pool2d_forward(x[None, None], kernel_size=size, stride=stride)
    return conv.max_pool2d_backward(np.asarray(dout, dtype=np.float64)[None, None], cache)[0, 0]


def _windows(x, size, stride):
    """(i, j, rows, cols) of every pooling window of x (H, W)."""
    ho = (x.shape[0] - size) // stride + 1
    wo = (x.shape[1] - size) // stride + 1
    for i in range(ho):
        for j in range(wo):
            yield i, j, slice(i * stride, i * stride + size), slice(j * stride, j * stride + size)


def _pool_to_every_tie(dout, x, size=2, stride=2):
    dx = np.zeros(x.shape)
    for i, j, rows, cols in _windows(x, size, stride):
        window = x[rows, cols]
        dx[rows, cols] += dout[i, j] * (window == window.max())
    return dx


def _pool_to_whole_window(dout, x, size=2, stride=2):
    dx = np.zeros(x.shape)
    for i, j, rows, cols in _windows(x, size, stride):
        dx[rows, cols] += dout[i, j]
    return dx


def _pool_to_last_tie(dout, x, size=2, stride=2):
    dx = np.zeros(x.shape)
    for i, j, rows, cols in _windows(x, size, stride):
        flipped = x[rows, cols][::-1, ::-1]          # the last maximum is the first of these
        a, b = np.unravel_index(np.argmax(flipped), (size, size))
        dx[rows.start + size - 1 - a, cols.start + size - 1 - b] += dout[i, j]
    return dx


def _pool_overwrites(dout, x, size=2, stride=2):
    dx = np.zeros(x.shape)
    for i, j, rows, cols in _windows(x, size, stride):
        a, b = np.unravel_index(np.argmax(x[rows, cols]), (size, size))
        dx[rows.start + a, cols.start + b] = dout[i, j]
    return dx


def _pool_without_stride(dout, x, size=2, stride=2):
    dx = np.zeros(x.shape)
    for i, j, _, _ in _windows(x, size, stride):
        window = x[i:i + size, j:j + size]
        a, b = np.unravel_index(np.argmax(window), window.shape)
        dx[i + a, j + b] += dout[i, j]
    return dx


_TIE = np.array([[1.0, 4.0, 2.0, 2.0], [4.0, 0.0, 1.0, 0.5], [3.0, 3.0, 0.0, 6.0],
                 [3.0, 1.0, 6.0, 5.0]])

implement(
    "12.9", "Write max pooling's backward pass", reference=maxpool_backward_reference,
    name="my_maxpool_backward",
    reference_name="dlcore's max-pooling backward (dl.conv.max_pool2d_backward on one channel)",
    cases=[
        Case("one 2x2 window", (np.array([[5.0]]), np.array([[1.0, 3.0], [2.0, 0.0]]))),
        Case("4x4, 2x2 windows at stride 2", (np.array([[1.0, -2.0], [0.5, 3.0]]),
                                              np.array([[0.1, 0.9, 0.3, 0.2],
                                                        [0.4, 0.2, 0.8, 0.7],
                                                        [0.6, 0.5, 0.1, 0.3],
                                                        [0.2, 0.7, 0.4, 0.0]]))),
        Case("ties: two equal maxima in every window", (np.array([[1.0, 2.0], [3.0, 4.0]]),
                                                        _TIE)),
        Case("overlapping windows: stride 1", (np.array([[1.0, 2.0], [3.0, 4.0]]),
                                               np.array([[0.0, 1.0, 0.0], [2.0, 9.0, 3.0],
                                                         [0.0, 4.0, 0.0]])),
             {"size": 2, "stride": 1}),
        Case("stride 2 that does not tile 5x5", (np.array([[1.0, 2.0], [-1.0, 0.5]]),
                                                 np.arange(25.0).reshape(5, 5) % 7)),
        Case("3x3 windows at stride 2 on 5x5", (np.array([[2.0, -1.0], [1.0, 3.0]]),
                                                np.array([[1.0, 0.0, 2.0, 1.0, 0.0],
                                                          [0.0, 3.0, 1.0, 0.0, 2.0],
                                                          [2.0, 1.0, 5.0, 1.0, 0.0],
                                                          [1.0, 0.0, 1.0, 4.0, 1.0],
                                                          [0.0, 2.0, 0.0, 1.0, 3.0]])),
             {"size": 3, "stride": 2}),
    ],
    mistakes=[
        (_pool_to_whole_window, "every cell of the window got the upstream gradient; only the "
                                "cell that won the window in the forward pass (its maximum) "
                                "gets it, the others get 0"),
        (_pool_to_every_tie, "with a tie the gradient went to every tied maximum, so the window "
                             "passes on more than it received; it goes to one cell only, the "
                             "first maximum in row-major order"),
        (_pool_to_last_tie, "with a tie the gradient went to the last of the tied maxima; "
                            "the convention (dlcore's and PyTorch's) is the first one in "
                            "row-major order: keep a later cell only when it is strictly "
                            "larger"),
        (_pool_overwrites, "where windows overlap, one cell can be the maximum of several "
                           "windows: its gradient is the sum of theirs, so add into dx "
                           "(+=) instead of assigning"),
        (_pool_without_stride, "the stride is not used: window (i, j) starts at row i*stride "
                               "and column j*stride, not at (i, j)"),
    ],
    hints=(
        "Start from dx = zeros like x. Each upstream value dout[i, j] belongs to one window: "
        "which cells of x did that window read?",
        "Window (i, j) covers rows i*stride to i*stride + size - 1 and the same columns. Find "
        "where its maximum is: `np.argmax` on the window gives the first maximum in row-major "
        "order, and `np.unravel_index` turns it into (row, column).",
        "Add dout[i, j] at that cell: `dx[i*stride + a, j*stride + b] += dout[i, j]`, with "
        "`+=` because overlapping windows can share a maximum.",
    ),
    solution=r"""
Each window passed on only its maximum, so its upstream gradient goes back to that one cell;
every other cell gets 0:

```python
def my_maxpool_backward(dout, x, size=2, stride=2):
    dx = np.zeros(x.shape)
    H_out, W_out = dout.shape
    for i in range(H_out):
        for j in range(W_out):
            window = x[i * stride:i * stride + size, j * stride:j * stride + size]
            a, b = np.unravel_index(np.argmax(window), window.shape)
            dx[i * stride + a, j * stride + b] += dout[i, j]
    return dx
```

`np.argmax` picks the first maximum in row-major order, the convention of dlcore and PyTorch,
so a tie sends the gradient to one cell; `+=` adds the gradients of overlapping windows that
share a maximum.
""")


def avgpool_backward_reference(dout, x, size=2, stride=2):
    """dL/dx of average pooling on one channel: x (H, W), dout (H_out, W_out) -> dx (H, W)."""
    x = np.asarray(x, dtype=np.float64)
    _, cache = conv.avg_pool2d_forward(x[None, None], kernel_size=size, stride=stride)
    return conv.avg_pool2d_backward(np.asarray(dout, dtype=np.float64)[None, None], cache)[0, 0]


def _avgpool_forward(x, size=2, stride=2):
    return conv.avg_pool2d_forward(np.asarray(x)[None, None], kernel_size=size,
                                   stride=stride)[0][0, 0]


def _avg_undivided(dout, x, size=2, stride=2):
    return avgpool_backward_reference(dout, x, size, stride) * size * size


def _avg_divided_by_k(dout, x, size=2, stride=2):
    return avgpool_backward_reference(dout, x, size, stride) * size


def _avg_overwrites(dout, x, size=2, stride=2):
    dx = np.zeros(np.shape(x))
    for i, j, rows, cols in _windows(np.asarray(x), size, stride):
        dx[rows, cols] = dout[i, j] / size ** 2
    return dx


def _avg_without_stride(dout, x, size=2, stride=2):
    dx = np.zeros(np.shape(x))
    for i, j, _, _ in _windows(np.asarray(x), size, stride):
        dx[i:i + size, j:j + size] += dout[i, j] / size ** 2
    return dx


implement(
    "12.10", "Write average pooling's backward pass", reference=avgpool_backward_reference,
    name="my_avgpool_backward", gradients=Gradients(_avgpool_forward, wrt=(1,)),
    reference_name="dlcore's average-pooling backward (dl.conv.avg_pool2d_backward on one "
                   "channel)",
    cases=[
        Case("one 2x2 window", (np.array([[8.0]]), np.array([[1.0, 3.0], [2.0, 0.0]]))),
        Case("4x4, 2x2 windows at stride 2", (np.array([[1.0, -2.0], [0.5, 3.0]]),
                                              np.arange(16.0).reshape(4, 4))),
        Case("overlapping windows: stride 1", (np.array([[1.0, 2.0], [3.0, 4.0]]),
                                               np.ones((3, 3))), {"size": 2, "stride": 1}),
        Case("stride 2 that does not tile 5x5", (np.array([[4.0, -4.0], [2.0, 8.0]]),
                                                 np.arange(25.0).reshape(5, 5))),
        Case("3x3 windows at stride 2 on 5x5", (np.array([[9.0, -9.0], [1.0, 3.0]]),
                                                np.zeros((5, 5))), {"size": 3, "stride": 2}),
    ],
    mistakes=[
        (_avg_undivided, "each cell got the whole upstream value; the window's output is the "
                         "mean of its k*k cells, so each cell gets dout / (k*k)"),
        (_avg_divided_by_k, "the upstream value was divided by k; a k x k window has k*k cells, "
                            "and each gets dout / (k*k)"),
        (_avg_overwrites, "where windows overlap, a cell belongs to several windows and gets "
                          "a share from each: add into dx (+=) instead of assigning"),
        (_avg_without_stride, "the stride is not used: window (i, j) starts at row i*stride "
                              "and column j*stride, not at (i, j)"),
    ],
    hints=(
        "Each output was the mean of its window, (1/k^2) times the sum of k*k cells: how much "
        "does each of those cells change the output?",
        "So every cell of window (i, j) receives dout[i, j] / k^2, and a cell in several "
        "windows (stride < size) receives a share from each.",
        "`dx[i*stride:i*stride + size, j*stride:j*stride + size] += dout[i, j] / size**2` in "
        "two loops over the output cells, starting from zeros like x.",
    ),
    solution=r"""
Every cell of a window contributed $1/k^2$ of its mean, so every cell gets $1/k^2$ of the
window's upstream gradient; overlapping windows add their shares:

```python
def my_avgpool_backward(dout, x, size=2, stride=2):
    dx = np.zeros(x.shape)
    for i in range(dout.shape[0]):
        for j in range(dout.shape[1]):
            dx[i * stride:i * stride + size, j * stride:j * stride + size] += (
                dout[i, j] / size ** 2)
    return dx
```

The values of `x` do not matter, only its shape: average pooling is linear, so its backward
pass is the same wherever it is taken.
""")


def conv_backward_reference(dout, x, w):
    """dL/dx and dL/dw of the valid cross-correlation ``correlate2d(x, w)`` (stride 1, one
    channel): dout (H - KH + 1, W - KW + 1), x (H, W), w (KH, KW) -> (dx (H, W), dw (KH, KW))."""
    x, w = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    _, cache = conv.conv2d_forward(x[None, None], w[None, None])
    dx, dw, _ = conv.conv2d_backward(np.asarray(dout, dtype=np.float64)[None, None], cache)
    return dx[0, 0], dw[0, 0]


def _conv_forward(x, w):
    return conv.correlate2d(x, w)


def _dw_flipped(dout, x, w):
    dx, dw = conv_backward_reference(dout, x, w)
    return dx, conv.rot180(dw)


def _dx_unrotated(dout, x, w):
    kh, kw = np.shape(w)
    full = conv.correlate2d(np.pad(dout, ((kh - 1, kh - 1), (kw - 1, kw - 1))), w)
    return full, conv_backward_reference(dout, x, w)[1]


def _dx_unpadded(dout, x, w):
    return conv.correlate2d(dout, conv.rot180(w)), conv_backward_reference(dout, x, w)[1]


def _dw_without_upstream(dout, x, w):
    return conv_backward_reference(dout, x, w)[0], conv.correlate2d(x, np.ones(np.shape(dout)))


implement(
    "12.11", "Write the convolution's backward pass: dX and dW", reference=conv_backward_reference,
    name="my_conv_backward", outputs=("dx", "dw"),
    gradients=Gradients(_conv_forward, wrt=(1, 2)),
    reference_name="dlcore's conv backward (dl.conv.conv2d_backward on one channel)",
    cases=[
        Case("a 1x1 kernel on 2x2", (np.array([[1.0, -1.0], [2.0, 0.5]]),
                                     np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[2.0]]))),
        Case("a 2x2 kernel on 3x3, dout all ones", (np.ones((2, 2)), np.arange(9.0).reshape(3, 3),
                                                    np.array([[1.0, 2.0], [0.0, -1.0]]))),
        Case("a 2x2 kernel on 4x4", (np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0],
                                               [0.0, -2.0, 1.0]]),
                                     np.arange(16.0).reshape(4, 4) % 5,
                                     np.array([[1.0, -1.0], [3.0, 0.5]]))),
        Case("a kernel as large as the input", (np.array([[2.0]]),
                                                np.array([[1.0, 0.0, 2.0], [-1.0, 3.0, 1.0],
                                                          [0.0, 1.0, 1.0]]),
                                                np.array([[0.5, -1.0, 0.0], [1.0, 2.0, 0.0],
                                                          [0.0, 1.0, -2.0]]))),
        Case("a 2x3 kernel on 4x5", (np.array([[1.0, -1.0, 2.0], [0.5, 0.0, 1.0],
                                               [-2.0, 1.0, 0.0]]),
                                     np.arange(20.0).reshape(4, 5) % 3 - 1.0,
                                     np.array([[1.0, 0.0, 2.0], [-1.0, 1.0, 0.5]]))),
    ],
    mistakes=[
        (_dw_flipped, "dw is rotated by 180 degrees: dL/dW[u, v] pairs dout[i, j] with the "
                      "input cell x[i + u, j + v] that weight met in the forward pass, which "
                      "is a cross-correlation of x with dout, not a convolution"),
        (_dx_unrotated, "dx uses the kernel as it is; seen from an input cell the kernel "
                        "runs backwards, so the full correlation needs the kernel rotated by "
                        "180 degrees"),
        (_dx_unpadded, "dx has the shape of the valid correlation; it must have the input's "
                       "shape: pad dout by KH - 1 rows and KW - 1 columns on each side first, "
                       "so that the border cells, which meet fewer windows, get their share"),
        (_dw_without_upstream, "dw leaves out the upstream gradient: every product x[i + u, "
                               "j + v] is weighted by dout[i, j] of its output cell"),
    ],
    hints=(
        "In the forward pass, out[i, j] = sum over a, b of x[i + a, j + b] w[a, b]. Each "
        "product sends dout[i, j] back to both of its factors.",
        "So loop over the output cells: the window x[i:i + KH, j:j + KW] adds "
        "dout[i, j] * window to dw, and dout[i, j] * w to the same window of dx.",
        "`dw += dout[i, j] * x[i:i + KH, j:j + KW]` and `dx[i:i + KH, j:j + KW] += dout[i, j] "
        "* w`, starting from zeros of the shapes of w and x.",
    ),
    solution=r"""
Every output cell $(i, j)$ multiplied the window $x[i:i+K_H,\ j:j+K_W]$ by $w$; its upstream
gradient flows back to both factors, and the contributions add up:

```python
def my_conv_backward(dout, x, w):
    KH, KW = w.shape
    dx, dw = np.zeros(x.shape), np.zeros(w.shape)
    for i in range(dout.shape[0]):
        for j in range(dout.shape[1]):
            dw += dout[i, j] * x[i:i + KH, j:j + KW]
            dx[i:i + KH, j:j + KW] += dout[i, j] * w
    return dx, dw
```

Written with whole arrays, the loop is section 2's and section 3's result:
$\partial L/\partial W = \operatorname{xcorr}(X, G)$ and $\partial L/\partial X$ the full
cross-correlation of $G$ with $\operatorname{rot180}(W)$.
""")
