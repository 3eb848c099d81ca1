"""Self-checks of lecture 12c (training in practice): the "your turn" exercises 12.12-12.14
(a shift with zero fill, per-channel mean subtraction, a warm-up + cosine schedule) and the
exercises 12.15-12.16 of notebook 12c.

Shape legend: one image (H, W); a batch (N, C, H, W); means (C,).  Expected values are computed
here with ``dlcore`` and never printed; a hint names the likely mistake.
"""

from __future__ import annotations

import math

import numpy as np

from .. import data
from ..optim import schedulers
from ._answers import number as _number
from ._functions import Case, implement
from ._registry import exercise

__all__: list[str] = []


# 12.12: shift one image with zero fill -------------------------------------------------------

def shift_reference(image, dy, dx):
    """``image`` (H, W) moved dy rows down and dx columns right, border filled with 0."""
    return data.shift_images(np.asarray(image, dtype=np.float64)[None, None], dy, dx)[0, 0]


def _shift_rolled(image, dy, dx):
    return np.roll(np.asarray(image, dtype=np.float64), (dy, dx), axis=(0, 1))


def _shift_swapped(image, dy, dx):
    return shift_reference(image, dx, dy)


def _shift_backwards(image, dy, dx):
    return shift_reference(image, -dy, -dx)


_IMG = np.arange(1.0, 17.0).reshape(4, 4)
_RECT = np.arange(1.0, 16.0).reshape(3, 5)

implement(
    "12.12", "Shift an image with zero fill", reference=shift_reference, name="my_shift",
    reference_name="dl.data.shift_images (on one image)",
    cases=[
        Case("no shift", (_IMG, 0, 0)),
        Case("one row down", (_IMG, 1, 0)),
        Case("two columns right", (_IMG, 0, 2)),
        Case("one row up, one column left", (_IMG, -1, -1)),
        Case("a 3x5 image, down 1 and left 2", (_RECT, 1, -2)),
        Case("moved out of the frame", (_IMG, 0, 4)),
    ],
    mistakes=[
        (_shift_rolled, "the pixels pushed over one edge came back in at the other (np.roll "
                        "wraps around); a shift loses them and fills the uncovered border "
                        "with zeros"),
        (_shift_swapped, "dy and dx are swapped: dy moves the image down (rows, axis 0) and "
                         "dx to the right (columns, axis 1)"),
        (_shift_backwards, "the image moved the wrong way: with dy = 1 the content goes one "
                           "row down, so out[i, j] = image[i - dy, j - dx]"),
    ],
    hints=(
        "Start from out = np.zeros_like(image). Which rows of out receive a pixel when the "
        "image moves dy rows down, and which rows of the image do they come from?",
        "For dy >= 0, rows dy to H-1 of out receive rows 0 to H-1-dy of the image; for dy < 0 "
        "it is the other way round. The same goes for the columns with dx.",
        "With slices: out[max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = "
        "image[max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]; a shift of H rows "
        "or more leaves out all zeros.",
    ),
    solution=r"""
Out-pixel $(i, j)$ shows image pixel $(i - d_y, j - d_x)$ when it exists, else 0:

```python
def my_shift(image, dy, dx):
    H, W = image.shape
    out = np.zeros_like(image, dtype=float)
    if abs(dy) >= H or abs(dx) >= W:
        return out
    out[max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \
        image[max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return out
```

`np.roll` looks similar but wraps the pixels around: a stroke leaving on the right would come
back on the left, which no real camera does.
""")


# 12.13: per-channel mean subtraction ---------------------------------------------------------

def center_reference(X_train, X):
    """``X`` minus the per-channel mean of ``X_train``; both (N, C, H, W) -> (N, C, H, W)."""
    return data.subtract_channel_mean(X, data.channel_mean(X_train))


def _center_global(X_train, X):
    return np.asarray(X, float) - np.mean(X_train)


def _center_per_pixel(X_train, X):
    return np.asarray(X, float) - np.mean(X_train, axis=0, keepdims=True)


def _center_own_mean(X_train, X):
    return center_reference(X, X)


def _center_standardized(X_train, X):
    X_train = np.asarray(X_train, float)
    return center_reference(X_train, X) / X_train.std(axis=(0, 2, 3))[None, :, None, None]


_RGB_TRAIN = np.stack([np.full((2, 2), 0.8), np.full((2, 2), 0.4), np.full((2, 2), 0.1)])[None]
_RGB_TRAIN = np.concatenate([_RGB_TRAIN, _RGB_TRAIN * 0.5 + 0.1], axis=0)   # (2, 3, 2, 2)
_GRID = np.random.default_rng(12).uniform(0, 1, size=(4, 3, 3, 3))
_GRID_TEST = np.random.default_rng(13).uniform(0, 1, size=(2, 3, 3, 3))

implement(
    "12.13", "Subtract the per-channel mean of the training images", reference=center_reference,
    name="my_center", reference_name="dl.data.subtract_channel_mean with dl.data.channel_mean",
    cases=[
        Case("one grey channel, the training batch itself",
             (np.arange(8.0).reshape(2, 1, 2, 2), np.arange(8.0).reshape(2, 1, 2, 2))),
        Case("three channels, the training batch itself", (_RGB_TRAIN, _RGB_TRAIN)),
        Case("three channels, random pixels", (_GRID, _GRID)),
        Case("test images centred with the training means", (_GRID, _GRID_TEST)),
    ],
    mistakes=[
        (_center_global, "one mean for all channels was subtracted; each channel (R, G, B) "
                         "gets its own: average over the images and the pixels (axes 0, 2 "
                         "and 3), not over the channels"),
        (_center_per_pixel, "a mean image was subtracted (one mean per pixel and channel, "
                            "averaged over axis 0 only); the per-channel mean also averages "
                            "over the pixels, axes 2 and 3"),
        (_center_own_mean, "the means came from the batch being centred; they must come from "
                           "the training images X_train and then be applied unchanged to any "
                           "batch, test images included"),
        (_center_standardized, "the result was also divided by the standard deviation; this "
                               "exercise subtracts the mean only, as the slides do for "
                               "convolutional networks"),
    ],
    hints=(
        "X_train has shape (N, C, H, W). Which axes must the mean run over so that one number "
        "is left per channel?",
        "mean = X_train.mean(axis=(0, 2, 3)) has shape (C,). To subtract it from X of shape "
        "(N, C, H, W) it must broadcast along axis 1.",
        "Return X - mean[None, :, None, None] (or mean.reshape(1, -1, 1, 1)): the training "
        "means, applied to whatever batch X is.",
    ),
    solution=r"""
One mean per channel, over the images and all their pixels, computed on the training set only:

```python
def my_center(X_train, X):
    mean = X_train.mean(axis=(0, 2, 3))          # (C,)
    return X - mean[None, :, None, None]
```

The test images are centred with the *training* means: the test set must not influence any
choice made before the final evaluation, the mean included.
""")


# 12.14: warm-up then cosine ------------------------------------------------------------------

def warmup_cosine_reference(t, base_lr, warmup, total, start_factor=0.1):
    """Rate at step t of torch's SequentialLR(LinearLR(start_factor, 1, warmup),
    CosineAnnealingLR(total - warmup), milestones=[warmup])."""
    def build(o):
        return schedulers.schedule("warmup_cosine", o, total, warmup=warmup,
                                   start_factor=start_factor)

    return float(schedulers.lr_curve(build, base_lr, t + 1)[t])


def _wc_no_restart(t, base_lr, warmup, total, start_factor=0.1):
    if t < warmup:
        return base_lr * (start_factor + (1 - start_factor) * t / warmup)
    return base_lr * (1 + math.cos(math.pi * t / total)) / 2


def _wc_ramp_from_zero(t, base_lr, warmup, total, start_factor=0.1):
    if t < warmup:
        return base_lr * t / warmup
    return warmup_cosine_reference(t, base_lr, warmup, total, start_factor)


def _wc_full_cosine(t, base_lr, warmup, total, start_factor=0.1):
    if t < warmup:
        return warmup_cosine_reference(t, base_lr, warmup, total, start_factor)
    return base_lr * math.cos(math.pi * (t - warmup) / (total - warmup))


def _wc_degrees(t, base_lr, warmup, total, start_factor=0.1):
    if t < warmup:
        return warmup_cosine_reference(t, base_lr, warmup, total, start_factor)
    return base_lr * (1 + math.cos(180 * (t - warmup) / (total - warmup))) / 2


implement(
    "12.14", "A warm-up, then a cosine decay", reference=warmup_cosine_reference,
    name="my_warmup_cosine",
    reference_name="dlcore's warm-up + cosine schedule (dl.optim.schedule('warmup_cosine'))",
    cases=[
        Case("the first step", (0, 0.1, 10, 100)),
        Case("halfway through the warm-up", (5, 0.1, 10, 100)),
        Case("the first step after the warm-up", (10, 0.1, 10, 100)),
        Case("halfway through the cosine", (55, 0.1, 10, 100)),
        Case("the last step", (99, 0.1, 10, 100)),
        Case("another start factor", (3, 0.5, 4, 20), {"start_factor": 0.25}),
        Case("a short run", (7, 1.0, 2, 12)),
    ],
    mistakes=[
        (_wc_no_restart, "the cosine counts the steps from 0 instead of from the end of the "
                         "warm-up: after the warm-up use s = t - warmup out of total - warmup "
                         "steps, so that it starts at base_lr"),
        (_wc_ramp_from_zero, "the warm-up starts at 0; it starts at start_factor * base_lr "
                             "and rises linearly to base_lr"),
        (_wc_full_cosine, "the cosine is missing its (1 + ...) / 2: it must go from base_lr "
                          "down to 0, not from base_lr to -base_lr"),
        (_wc_degrees, "math.cos takes radians: the angle is pi * s / (total - warmup)"),
    ],
    hints=(
        "Two phases. While t < warmup the factor climbs in a straight line from start_factor "
        "(at t = 0) towards 1 (at t = warmup). What is it at t = warmup / 2?",
        "From t = warmup on, count s = t - warmup and T = total - warmup: the rate is "
        "base_lr (1 + cos(pi s / T)) / 2, base_lr at s = 0 and 0 at s = T.",
        "Warm-up: base_lr * (start_factor + (1 - start_factor) * t / warmup). After it: "
        "base_lr * (1 + math.cos(math.pi * (t - warmup) / (total - warmup))) / 2.",
    ),
    solution=r"""
A linear warm-up from $s_0\,\eta_0$ to $\eta_0$ over the first $w$ steps, then half a cosine
from $\eta_0$ down to 0 over the remaining $T - w$ steps:

```python
import math

def my_warmup_cosine(t, base_lr, warmup, total, start_factor=0.1):
    if t < warmup:
        return base_lr * (start_factor + (1 - start_factor) * t / warmup)
    s, T = t - warmup, total - warmup
    return base_lr * (1 + math.cos(math.pi * s / T)) / 2
```

In PyTorch (and `dl.optim`) the same schedule is `SequentialLR(opt, [LinearLR(opt,
start_factor, 1.0, warmup), CosineAnnealingLR(opt, total - warmup)], milestones=[warmup])`.
""")


# 12.15 and 12.16: numbers ---------------------------------------------------------------------

@exercise("12.15", "The rate of StepLR after 65 epochs", hints=(
    "StepLR(optimizer, step_size=30, gamma=0.1) multiplies the rate by gamma once every 30 "
    "scheduler steps.",
    "After 65 steps, how many times has the rate been multiplied by 0.1? Count the multiples "
    "of 30 that are at most 65.",
    "Twice (at 30 and at 60): the rate is 0.05 * 0.1 ** 2.",
), solution=r"""
$\eta_t = \eta_0\,\gamma^{\lfloor t/30\rfloor}$, and $\lfloor 65/30\rfloor = 2$:
$\eta_{65} = 0.05\cdot0.1^2 = 0.0005$. Check it with
`dl.optim.lr_curve(lambda o: dl.optim.StepLR(o, 30), 0.05, 66)[65]`.
""")
def _check_step_lr(answer):
    got = _number(answer)
    if math.isclose(got, 0.0005, rel_tol=1e-6):
        return None
    if math.isclose(got, 0.005, rel_tol=1e-6):
        return "that is the rate between steps 30 and 59; by step 65 the second drop (at 60) " \
               "has happened too"
    if math.isclose(got, 0.00005, rel_tol=1e-6):
        return "that is one drop too many: the drops come at steps 30 and 60 only"
    return "the rate is multiplied by gamma = 0.1 at every multiple of step_size = 30"


@exercise("12.16", "Parameters that learn when the conv layers are frozen", hints=(
    "With conv1 and conv2 frozen, only the new head learns: a linear layer from the flattened "
    "features to the 5 classes.",
    "The second conv block ends with 64 feature maps of 2x2 pixels. How many numbers does "
    "Flatten hand to the head?",
    "64 * 2 * 2 = 256 inputs, 5 outputs: 256 * 5 weights and 5 biases.",
), solution=r"""
The head is `Linear(256, 5)`: $256\cdot5 + 5 = 1{,}285$ parameters learn, out of
$320 + 18{,}496 + 1{,}285 = 20{,}101$ in the whole network, about 6 %. Check it with
`len(dl.optim.trainable_parameters(model, ["conv1", "conv2"]))` and their sizes.
""")
def _check_head_params(answer):
    got = _number(answer)
    if got == 1285:
        return None
    if got == 1280:
        return "the 5 biases of the head learn too"
    if got == 2570:
        return "the new head has 5 outputs (digits 5-9), not 10"
    if got in (20101, 18816):
        return "frozen layers do not learn: count only the parameters of the head"
    return "only the head learns: Linear(256, 5), weights and biases"
