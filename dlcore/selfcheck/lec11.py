"""Self-checks for lecture 11 (CNN architectures and parameter counting): exercises 11.1-11.5,
and 11.6-11.8 where the learner writes the parameter count, the output shape and the receptive
field of conv layers.

Every expected value is computed with ``dlcore.counting`` or ``dlcore.conv``; hints name the
likely mistake (a missing input depth, a missing bias, $(a-b)^2$ for $a^2-b^2$) and never the
expected number.
"""

from __future__ import annotations

import numbers

import numpy as np

from .. import conv as _conv
from .. import counting as _counting
from ._functions import Case, implement
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


exercise("11.1", "Ten 3x3 filters on a 64x64x3 input", hints=(
    "A filter is not a flat k x k square: it covers every channel of its input. How many "
    "channels does an RGB image have?",
    "Count one filter first (height x width x input depth weights, plus its bias), then "
    "multiply by the number of filters. The 64 x 64 size plays no part.",
    "Per filter: 3 * 3 * 3 weights + 1 bias; then times 10 filters.",
), solution=r"""
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


exercise("11.2", "Weights of a dense layer from 32x32x3 to 28x28x6", hints=(
    "A dense layer has one weight for every (input value, output unit) pair: no window, no "
    "sharing.",
    "Count the input values (32 x 32 x 3) and the output units (28 x 28 x 6) separately.",
    "Multiply the two counts; the question leaves the biases out.",
), solution=r"""
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


exercise("11.3", "Weights saved by two 3x3 convs instead of one 5x5", hints=(
    "Count the weights of each option separately: a k x k conv from 64 to 64 channels has "
    "k * k * 64 * 64 weights.",
    "The 5x5 layer is replaced by TWO 3x3 layers: count both of them.",
    "Saved = 5*5*64*64 - 2 * (3*3*64*64); beware that a^2 - b^2 is not (a - b)^2.",
), solution=r"""
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


exercise("11.4", "Receptive field of conv3-pool2-conv3-conv3", hints=(
    "Walk up the stack one layer at a time, keeping two numbers: the field r and the jump j "
    "(how many input pixels apart two neighbouring units are). Start at r = 1, j = 1.",
    "Each layer adds (k - 1) * j to r, with the jump of the layer below; then j is multiplied "
    "by the layer's stride. The pooling layer counts as a layer with k = 2, s = 2.",
    "After conv3 and pool2 you should have r = 4 and j = 2; the last two 3x3 convs each add "
    "(3 - 1) * 2.",
), solution=r"""
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


exercise("11.5", "Multiply-adds of a 3x3 conv on 56x56x64", hints=(
    "Each output value is one sum over a window: how many multiply-adds does one window take, "
    "and how many output values are there?",
    "Padding 1 with a 3x3 kernel at stride 1 keeps the maps at 56 x 56; the output has 128 "
    "channels. One window is 3 x 3 x 64.",
    "Multiply H_out * W_out * C_out by k * k * C_in; biases are additions, not multiply-adds.",
), solution=r"""
With padding 1 the output is 56×56×128, and each output is a sum over a 3×3×64 window:
$56\cdot56\cdot128\cdot3\cdot3\cdot64 =$ **231,211,008** multiply-adds per image
(`dl.counting.summarize([dl.counting.Conv2dSpec(128, 3, padding=1)], (64, 56, 56)).total_macs`).

The layer has only 73,856 parameters: the same weights are reused at all 3,136 positions,
which is why conv layers hold few parameters but do most of the compute.
""")(_checker(_e5, _h5, "multiply the output size (H_out x W_out x filters) by the size of "
                        "one filter (k x k x input channels)"))


# 11.6-11.8 -- your turn: the counting functions themselves --------------------------------

def _conv_params(c_in, c_out, k, bias=True):
    return _counting.conv2d_params(c_in, c_out, k, bias=bias)


def _params_no_depth(c_in, c_out, k, bias=True):
    return (k * k + int(bias)) * c_out


def _params_no_bias(c_in, c_out, k, bias=True):
    return k * k * c_in * c_out


def _params_bias_per_weight(c_in, c_out, k, bias=True):
    return k * k * c_in * c_out * (1 + int(bias))


def _params_k_not_squared(c_in, c_out, k, bias=True):
    return (k * c_in + int(bias)) * c_out


def _params_bias_always(c_in, c_out, k, bias=True):
    return (k * k * c_in + 1) * c_out


implement(
    "11.6", "Write the parameter count of a conv layer", reference=_conv_params,
    name="my_conv_params", reference_name="dl.counting.conv2d_params",
    cases=[
        Case("one 1x1 filter on one channel", (1, 1, 1)),
        Case("four 3x3 filters on 2 channels", (2, 4, 3)),
        Case("six 5x5 filters on RGB, no bias", (3, 6, 5), {"bias": False}),
        Case("a 1x1 conv from 64 to 32 channels", (64, 32, 1)),
        Case("a 3x3 conv from 64 to 128 channels", (64, 128, 3)),
    ],
    mistakes=[
        (_params_no_depth, "each filter is counted as a flat k x k square: a filter spans "
                           "every input channel, so it holds k x k x c_in weights"),
        (_params_no_bias, "the biases are missing: with bias=True each filter adds one bias "
                          "(c_out of them in all)"),
        (_params_bias_per_weight, "that gives every weight its own bias; there is one bias per "
                                  "filter, not one per weight"),
        (_params_k_not_squared, "the kernel is k x k: its area is k squared, not k"),
        (_params_bias_always, "bias=False is not followed: without biases only the weights "
                              "count"),
    ],
    hints=(
        "Count one filter first: how many weights does a k x k filter hold when its input has "
        "c_in channels? Then how many filters are there?",
        "One filter: k * k * c_in weights, plus 1 bias when `bias` is true. The layer has c_out "
        "filters.",
        "`return (k * k * c_in + (1 if bias else 0)) * c_out`",
    ),
    solution=r"""
Each of the $C_{out}$ filters spans the whole input depth, $k \times k \times C_{in}$ weights,
and has one bias:

```python
def my_conv_params(c_in, c_out, k, bias=True):
    return (k * k * c_in + (1 if bias else 0)) * c_out
```

The size of the image appears nowhere: the same filters slide over every position.
""")


def _out_shape(input_shape, c_out, k, stride=1, padding=0):
    spec = _counting.Conv2dSpec(c_out, k, stride=stride, padding=padding)
    return spec.output_shape(tuple(int(n) for n in input_shape))


def _shape_keeps_depth(input_shape, c_out, k, stride=1, padding=0):
    c_in, h, w = input_shape
    return (c_in, (h + 2 * padding - k) // stride + 1, (w + 2 * padding - k) // stride + 1)


def _shape_pad_once(input_shape, c_out, k, stride=1, padding=0):
    _, h, w = input_shape
    return (c_out, (h + padding - k) // stride + 1, (w + padding - k) // stride + 1)


def _shape_no_plus_one(input_shape, c_out, k, stride=1, padding=0):
    _, h, w = input_shape
    return (c_out, (h + 2 * padding - k) // stride, (w + 2 * padding - k) // stride)


def _shape_rounds_up(input_shape, c_out, k, stride=1, padding=0):
    _, h, w = input_shape
    return (c_out, -(-(h + 2 * padding - k) // stride) + 1,
            -(-(w + 2 * padding - k) // stride) + 1)


implement(
    "11.7", "Write the output shape of a conv layer", reference=_out_shape,
    name="my_conv_output_shape",
    reference_name="dlcore's output shape of a conv layer (dl.counting.Conv2dSpec)",
    cases=[
        Case("a 3x3 kernel on 1x5x5", ((1, 5, 5), 1, 3)),
        Case("padding 1 keeps 8x8", ((3, 8, 8), 4, 3), {"padding": 1}),
        Case("stride 2 that does not tile 8x8", ((3, 8, 8), 2, 3), {"stride": 2}),
        Case("AlexNet's first layer", ((3, 227, 227), 96, 11), {"stride": 4}),
        Case("a 12x9 input, stride 2, padding 2", ((16, 12, 9), 8, 5),
             {"stride": 2, "padding": 2}),
    ],
    mistakes=[
        (_shape_keeps_depth, "the depth of the output is the number of filters (c_out): each "
                             "filter gives one map, whatever the input depth"),
        (_shape_pad_once, "the padding goes on both sides, top and bottom (left and right): "
                          "the padded height is H + 2p"),
        (_shape_no_plus_one, "one position is missing: the window fits at 0, s, 2s, ..., so "
                             "there are floor((H + 2p - k) / s) + 1 positions"),
        (_shape_rounds_up, "a stride that does not tile the input drops the last positions: "
                           "round (H + 2p - k) / s down, not up"),
    ],
    hints=(
        "The three numbers are independent: the depth comes from the filters, the height and "
        "the width each from the size formula of lecture 10.",
        "Height: pad p on both sides, count the positions where a k-wide window fits when it "
        "moves s at a time. Width: the same with W.",
        "`(c_out, (H + 2 * padding - k) // stride + 1, (W + 2 * padding - k) // stride + 1)` "
        "with `C, H, W = input_shape`.",
    ),
    solution=r"""
Each filter gives one map, and each side follows the size formula
$\lfloor (n + 2p - k)/s \rfloor + 1$:

```python
def my_conv_output_shape(input_shape, c_out, k, stride=1, padding=0):
    C, H, W = input_shape
    return (c_out, (H + 2 * padding - k) // stride + 1, (W + 2 * padding - k) // stride + 1)
```

The input depth $C$ shapes the filters (lecture 10) but not the output.
""")


def _receptive(layers):
    return _conv.receptive_field([tuple(layer) for layer in layers]).size


def _field_no_jump(layers):
    return 1 + sum(k - 1 for k, _ in layers)


def _field_sum_kernels(layers):
    return sum(k for k, _ in layers)


def _field_jump_first(layers):
    r, j = 1, 1
    for k, s in layers:
        j *= s
        r += (k - 1) * j
    return r


implement(
    "11.8", "Write the receptive field of a stack of layers", reference=_receptive,
    name="my_receptive_field", reference_name="dl.conv.receptive_field(...).size",
    cases=[
        Case("one 3x3 conv", ([(3, 1)],)),
        Case("three 3x3 convs", ([(3, 1), (3, 1), (3, 1)],)),
        Case("a 2x2 pool, then a 3x3 conv", ([(2, 2), (3, 1)],)),
        Case("a 5x5 conv at stride 2, then two 3x3", ([(5, 2), (3, 1), (3, 1)],)),
        Case("AlexNet's first five layers", ([(11, 4), (3, 2), (5, 1), (3, 2), (3, 1)],)),
        Case("no layer at all", ([],)),
    ],
    mistakes=[
        (_field_no_jump, "after a layer of stride s, neighbouring units are s input pixels "
                         "apart: each later layer adds (k - 1) times that jump, not k - 1"),
        (_field_sum_kernels, "adding the kernel sizes counts the pixels that neighbouring "
                             "windows share twice: each layer adds k - 1 to the field (times "
                             "the jump), and the field starts at 1"),
        (_field_jump_first, "a layer's own stride does not widen its own window: add "
                            "(k - 1) times the jump of the layer below, then multiply the jump "
                            "by s"),
    ],
    hints=(
        "Keep two numbers while you walk up the stack: the field r (start at 1, a pixel sees "
        "itself) and the jump j (start at 1), the distance in input pixels between two "
        "neighbouring units.",
        "For each layer (k, s): first r grows by (k - 1) * j, then j is multiplied by s.",
        "`for k, s in layers: r += (k - 1) * j; j *= s`, then return r.",
    ),
    solution=r"""
Walk up the stack with $r \leftarrow r + (k - 1)\,j$, then $j \leftarrow j\,s$, from
$r = j = 1$:

```python
def my_receptive_field(layers):
    r, j = 1, 1
    for k, s in layers:
        r += (k - 1) * j
        j *= s
    return r
```

Padding plays no part: it moves the windows, not their size. An empty stack sees one pixel.
""")
