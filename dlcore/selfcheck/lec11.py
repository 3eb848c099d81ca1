"""Self-checks for lecture 11 (CNN architectures and parameter counting).

Every expected value is computed with ``dlcore.counting`` or ``dlcore.conv``; hints name the
likely mistake (a missing input depth, a missing bias, $(a-b)^2$ for $a^2-b^2$) and never the
expected number.
"""

from __future__ import annotations

import numbers

import numpy as np

from .. import conv as _conv
from .. import counting as _counting
from ._registry import exercise

__all__: list[str] = []


def _as_count(answer):
    """The answer as a number, or a hint string when it is not one."""
    if isinstance(answer, bool) or not isinstance(answer, (numbers.Real, np.number)):
        return None, f"give a single number (an int); got {type(answer).__name__}"
    value = float(answer)
    if not np.isfinite(value):
        return None, "give a finite number"
    return value, None


def _same(value, expected) -> bool:
    return abs(value - expected) < 0.5


def _checker(expected_fn, hints_fn, fallback):
    def check(answer):
        value, problem = _as_count(answer)
        if problem:
            return problem
        expected = expected_fn()
        if _same(value, expected):
            return None
        for wrong, hint in hints_fn():
            if _same(value, wrong):
                return hint
        return fallback

    return check


# 11.1 -- forgetting the input depth, on a new layer
def _e1():
    return _counting.conv2d_params(3, 10, 3)


def _h1():
    return [
        (_counting.conv2d_params(1, 10, 3),
         "that counts each filter as 3 x 3, the count for a grey image: each filter spans "
         "all 3 input channels, so it has 3 x 3 x 3 weights"),
        (_counting.conv2d_params(3, 10, 3, bias=False),
         "those are the weights only; each filter also has one bias"),
        (_counting.conv2d_params(1, 10, 3, bias=False),
         "two things are missing: the input depth (3 channels) and one bias per filter"),
        (10 * 62 * 62, "that is the number of output units (62 x 62 x 10), not of parameters"),
    ]


exercise("11.1", "Ten 3x3 filters on a 64x64x3 input", solution=r"""
Each filter spans the whole input depth: $3\cdot3\cdot3 = 27$ weights plus 1 bias, so 28
parameters. Ten filters: $10\cdot28 =$ **280**, computed as `dl.counting.conv2d_params(3, 10, 3)`.

The image size ($64\times64$) does not matter: the same filters slide over every position.
Counting $3\cdot3+1 = 10$ per filter (100 in all) forgets the input depth: that is the count
for a one-channel (grey) image.
""")(_checker(_e1, _h1, "count the weights of one filter (height x width x input depth), add "
                        "its bias, and multiply by the number of filters"))


# 11.2 -- the dense layer that the conv layer replaces
def _e2():
    return _counting.linear_params(32 * 32 * 3, 28 * 28 * 6, bias=False)


def _h2():
    return [
        (_counting.linear_params(32 * 32 * 3, 28 * 28 * 6),
         "you added biases; the question asks for weights only"),
        (_counting.conv2d_params(3, 6, 5, bias=False),
         "that is the conv layer's count; a dense layer joins every input to every output"),
        (_counting.conv2d_params(3, 6, 5), "that is the conv layer's count (with biases); a "
                                           "dense layer joins every input to every output"),
        (32 * 32 * 28 * 28 * 6, "the input has 3 channels: 32 x 32 x 3 input values"),
    ]


exercise("11.2", "Weights of a dense layer from 32x32x3 to 28x28x6", solution=r"""
A dense layer connects each of the $32\cdot32\cdot3 = 3{,}072$ inputs to each of the
$28\cdot28\cdot6 = 4{,}704$ outputs: $3{,}072\cdot4{,}704 =$ **14,450,688** weights
(`dl.counting.linear_params(3072, 4704, bias=False)`).

The conv layer computes an output of the same shape with 450 weights: about 32,000 times
fewer, thanks to sparse connectivity (each output sees $5\times5\times3$ inputs) and weight
sharing (all 784 positions use the same six filters).
""")(_checker(_e2, _h2, "multiply the number of input values by the number of output units"))


# 11.3 -- two stacked 3x3 convs instead of one 5x5 (same receptive field)
def _e3():
    return (_counting.conv2d_params(64, 64, 5, bias=False)
            - 2 * _counting.conv2d_params(64, 64, 3, bias=False))


def _h3():
    one_5, one_3 = (_counting.conv2d_params(64, 64, k, bias=False) for k in (5, 3))
    return [
        ((5 - 3) ** 2 * 64 * 64, "that squares the difference of the sides: (5 - 3)^2 is not "
                                 "5^2 - 3^2, and there are two 3x3 layers"),
        (one_5 - one_3, "the 5x5 is replaced by two 3x3 layers, not one"),
        (-_e3(), "the question asks how many are saved: give a positive number"),
        (one_5, "that is the 5x5 layer alone; subtract the two 3x3 layers"),
        (2 * one_3, "that is the two 3x3 layers alone; subtract them from the 5x5 layer"),
    ]


exercise("11.3", "Weights saved by two 3x3 convs instead of one 5x5", solution=r"""
One 5×5 conv from 64 to 64 channels has $5\cdot5\cdot64\cdot64 = 102{,}400$ weights. Two
stacked 3×3 convs (64 → 64 → 64) see the same 5×5 window of the input ($r = 1 + 2 + 2 = 5$)
with $2\cdot3\cdot3\cdot64\cdot64 = 73{,}728$ weights. Saved: $(25 - 18)\cdot4{,}096 =$
**28,672** weights, and the stack has one more non-linearity. This is VGG's argument for 3×3
kernels.

Writing $(5 - 3)^2\cdot64\cdot64$ is the slip of lecture 11's ZFNet section:
$a^2 - b^2$ is not $(a - b)^2$.
""")(_checker(_e3, _h3, "count the weights of the 5x5 layer and of the two 3x3 layers "
                        "(k x k x 64 x 64 each) and subtract"))


# 11.4 -- receptive field through a pooling layer
_STACK4 = [(3, 1), (2, 2), (3, 1), (3, 1)]


def _e4():
    return _conv.receptive_field(_STACK4).size


def _h4():
    no_jump = 1 + sum(k - 1 for k, _ in _STACK4)
    no_pool = _conv.receptive_field([(3, 1), (3, 1), (3, 1)]).size
    return [
        (no_jump, "after the pooling layer, neighbouring units are j = 2 input pixels apart: "
                  "multiply (k - 1) by the jump j of the layer below"),
        (no_pool, "the 2x2 pooling window widens the field too (and doubles the jump)"),
        (sum(k for k, _ in _STACK4), "adding the kernel sizes counts the shared border pixels "
                                     "twice: each layer adds (k - 1) j"),
    ]


exercise("11.4", "Receptive field of conv3-pool2-conv3-conv3", solution=r"""
Start with $r = 1$, $j = 1$ and apply $r \leftarrow r + (k - 1)\,j$, then $j \leftarrow j\,s$:

- conv 3×3, stride 1: $r = 3$, $j = 1$;
- pool 2×2, stride 2: $r = 4$, $j = 2$;
- conv 3×3: $r = 4 + 2\cdot2 = 8$;
- conv 3×3: $r = 8 + 2\cdot2 =$ **12**.

`dl.conv.receptive_field([(3, 1), (2, 2), (3, 1), (3, 1)])` gives
`ReceptiveField(size=12, jump=2)`.
""")(_checker(_e4, _h4, "apply r_l = r_(l-1) + (k_l - 1) j_(l-1) layer by layer, with "
                        "j_l = j_(l-1) s_l"))


# 11.5 -- compute of a VGG-style conv layer
_LAYER5 = ([_counting.Conv2dSpec(128, 3, padding=1)], (64, 56, 56))


def _e5():
    return _counting.summarize(*_LAYER5).total_macs


def _h5():
    weights = _counting.conv2d_params(64, 128, 3, bias=False)
    return [
        (weights, "that is the number of weights; each weight is used once at every output "
                  "position (56 x 56 of them)"),
        (_counting.conv2d_params(64, 128, 3) * 56 * 56,
         "adding a bias is an addition, not a multiply-add: count the weights only"),
        (weights * 54 * 54, "padding 1 keeps the maps at 56 x 56 (a 3x3 kernel without padding "
                            "would give 54 x 54)"),
        (56 * 56 * 128, "that is the number of outputs; each one is a sum over a 3 x 3 x 64 "
                        "window"),
    ]


exercise("11.5", "Multiply-adds of a 3x3 conv on 56x56x64", solution=r"""
With padding 1 the output is 56×56×128, and each output is a sum over a 3×3×64 window:
$56\cdot56\cdot128\cdot3\cdot3\cdot64 =$ **231,211,008** multiply-adds per image
(`dl.counting.summarize([dl.counting.Conv2dSpec(128, 3, padding=1)], (64, 56, 56)).total_macs`).

The layer has only 73,856 parameters: the same weights are reused at all 3,136 positions,
which is why conv layers hold few parameters but do most of the compute.
""")(_checker(_e5, _h5, "multiply the output size (H_out x W_out x filters) by the size of "
                        "one filter (k x k x input channels)"))
