"""The slides' numeric examples for lectures 10-12 (convolution, pooling, their backprop).

Shape legend: signal (T,) and taps (K,) in 1-D; image (H, W) and kernel (KH, KW) in 2-D;
the RGB example is channels-first, (C, H, W) and a kernel (C, KH, KW).

``SLIDE_EXAMPLES`` is a read-only mapping ``name -> SlideExample``; each entry holds the matrix
or vector as a read-only float64 array (``.value``; ``np.asarray(entry)`` works too), the deck
and slide it comes from (``.source`` gives the citation, such as "Kiran, CNN/Deep Learning 2,
slide 'Backprop in pooling layer'"), and a one-line description.  Values are as printed on the
slide, with one exception per entry at most, named in ``description``.  An entry whose printed
numbers are wrong carries the correction in ``erratum`` and must never be used as an expected
result; the correct values are computed with ``dlcore.conv`` from the inputs.  Three entries
hold symbols instead of numbers (the 3x4 a...l example): their ``value`` is an array of
strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from .decks import cite

__all__ = ["SlideExample", "SLIDE_EXAMPLES"]


@dataclass(frozen=True)
class SlideExample:
    """One matrix or vector from the slides: ``value`` (read-only array), ``deck`` (a key of
    ``DECKS``), ``slide`` (its title or number), ``description`` and ``erratum`` ("" when the
    printed values are right).  ``lines`` records where in the deck's text the numbers were
    typed in from (for the course's maintainers; never printed)."""

    value: np.ndarray
    deck: str
    slide: str
    lines: tuple
    description: str
    erratum: str = ""

    @property
    def source(self) -> str:
        """The citation a notebook prints: deck and slide."""
        return cite(self.deck, self.slide)

    def __array__(self, dtype=None, copy=None):
        if dtype is None:
            return self.value if not copy else self.value.copy()
        return self.value.astype(dtype)


def _entry(value, deck, slide, lines, description, erratum="", symbolic=False):
    arr = np.array(value, dtype=str if symbolic else np.float64)
    arr.flags.writeable = False
    return SlideExample(arr, deck, slide, tuple(lines), description, erratum)


# (deck, slide) of each group of entries
_K_1D = ("khapra", "slide 67/113 (1-D convolution)")
_K_2D = ("khapra", "slide 68/113 (2-D convolution)")
_K_2D_B = ("khapra", "the 2-D convolution slides")
_K_POOL = ("khapra", "slide 99/113 (pooling)")
_R_CONV = ("kiran", "slide 'Design choices: filter size, number of filters'")
_R_POOL = ("kiran", "slide 'Backprop in pooling layer'")
_A_CNN = ("arya", "slide 'What is a Convolution Neural Network?'")
_A_CONV = ("arya", "slide 'What is a Convolution?'")
_A_PAD = ("arya", "slide 'What is a Convolution? Padding'")
_A_RGB = ("arya", "slide 'What is a Convolution? Multi Channel'")
_A_WHY = ("arya", "slide 'Why Convolutions?'")
_A_IMG = ("arya", "slide 'Examples of 2D Convolution applied to images'")

_SMOOTHER_SLIDE = [1.80, 1.96, 2.11, 2.16, 2.28, 2.42]

_ENTRIES = {
    # L10: the 1-D smoother (the aeroplane track)
    "smoother_taps": _entry(
        [0.01, 0.01, 0.02, 0.02, 0.04, 0.4, 0.5], *_K_1D, (3307, 3308),
        "the 7 weights w_-6, ..., w_0 of the weighted average s_t = sum_a x_{t-a} w_{-a} "
        "(printed order: oldest sample first)"),
    "smoother_signal": _entry(
        [1.00, 1.10, 1.20, 1.40, 1.70, 1.80, 1.90, 2.10, 2.20, 2.40, 2.50, 2.70], *_K_1D,
        (3310, 3310), "the 12 noisy position readings x_0, ..., x_11"),
    "smoother_slide_output": _entry(
        _SMOOTHER_SLIDE, *_K_1D, (3409, 3409),
        "the smoothed values s_6, ..., s_11 as printed on the slide",
        erratum="wrong: the weighted sums are 1.811, 1.967, 2.112, 2.269, 2.413, 2.569 "
                "(s_9 to s_11 are off by 0.1 or more, s_6 to s_8 in the second decimal)"),
    # L10: the symbolic 3x4 example
    "letters_input": _entry(
        [["a", "b", "c", "d"], ["e", "f", "g", "h"], ["i", "j", "k", "ℓ"]], *_K_2D_B, (3773, 3775),
        "the symbolic 3x4 input a...ℓ (strings)", symbolic=True),
    "letters_kernel": _entry(
        [["w", "x"], ["y", "z"]], *_K_2D, (3499, 3544),
        "the symbolic 2x2 kernel (strings; its figure is lost, the letters are read off the "
        "printed output)", symbolic=True),
    "letters_output": _entry(
        [["aw+bx+ey+fz", "bw+cx+fy+gz", "cw+dx+gy+hz"],
         ["ew+fx+iy+jz", "fw+gx+jy+kz", "gw+hx+ky+ℓz"]], *_K_2D, (3543, 3544),
        "the 2x3 output written out symbol by symbol (strings)", symbolic=True),
    # L10 and L12: the 5x5 example of Kiran's deck (kernel printed as subscripts of the input)
    "cnn2_input": _entry(
        [[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2], [2, 0, 0, 0, 1]],
        *_R_CONV, (68, 72), "the 5x5 input of the convolution example"),
    "cnn2_kernel": _entry(
        [[0, 1, 2], [2, 2, 0], [0, 1, 2]], *_R_CONV, (68, 70),
        "the 3x3 kernel, printed as subscripts on the top-left 3x3 window of the input"),
    "cnn2_output": _entry(
        [[12, 12, 17], [10, 17, 19], [9, 6, 14]], *_R_CONV, (74, 76),
        "the 3x3 output (cross-correlation, stride 1, no padding)"),
    # L10: Arya's worked examples
    "edge_input": _entry(
        [[7, 2, 3, 3, 8], [4, 5, 3, 8, 4], [3, 3, 2, 8, 4], [2, 8, 7, 2, 7], [5, 4, 4, 5, 4]],
        *_A_CNN, (1591, 1591), "the 5x5 input of the vertical-edge example"),
    "edge_kernel": _entry(
        [[1, 0, -1], [1, 0, -1], [1, 0, -1]], *_A_CNN, (1591, 1591),
        "the vertical-edge kernel (right column -1; the slide's arithmetic uses +1 there)"),
    "bias_input": _entry(
        [[2, 2, 1], [3, 1, -1], [4, 3, 2]], *_A_CONV, (1825, 1829),
        "the 3x3 input of the example with a bias"),
    "bias_kernel": _entry([[1, -1], [-1, 0]], *_A_CONV, (1837, 1840), "its 2x2 kernel"),
    "bias_b": _entry(2.0, *_A_CONV, (1845, 1845), "its bias (a scalar)"),
    "bias_output": _entry(
        [[-1, 2], [0, 1]], *_A_CONV, (1847, 1850),
        "its 2x2 feature map (stride 1, no padding, bias 2)"),
    "sharpen_input": _entry(
        [[105, 102, 100, 97, 96], [103, 99, 103, 101, 102], [101, 98, 104, 102, 100],
         [99, 101, 106, 104, 99], [104, 104, 104, 100, 98]], *_A_PAD, (1933, 1940),
        "the 5x5 image of the padding example, without its ring of zeros (P = 1)"),
    "sharpen_kernel": _entry(
        [[0, -1, 0], [-1, 5, -1], [0, -1, 0]], *_A_PAD, (1944, 1948), "the sharpening kernel"),
    "rgb_input": _entry(
        [[[156, 155, 156, 158, 158, 158], [153, 154, 157, 159, 159, 159],
          [149, 151, 155, 158, 159, 159], [146, 146, 149, 153, 158, 158],
          [145, 143, 143, 148, 158, 158]],
         [[167, 166, 167, 169, 169, 169], [164, 165, 168, 170, 170, 170],
          [160, 162, 166, 169, 170, 170], [156, 156, 159, 163, 168, 168],
          [155, 153, 153, 158, 168, 168]],
         [[163, 162, 163, 165, 165, 165], [160, 161, 164, 166, 166, 166],
          [156, 158, 162, 165, 166, 166], [155, 155, 158, 162, 167, 167],
          [154, 152, 152, 157, 167, 167]]], *_A_RGB, (1997, 2029),
        "the visible top-left 5x6 corner of the red, green and blue channels (C, H, W), "
        "without the ring of zeros (P = 1); the image continues beyond it"),
    "rgb_kernel": _entry(
        [[[-1, -1, 1], [0, 1, -1], [0, 1, 1]],
         [[1, 0, 0], [1, -1, -1], [1, 0, -1]],
         [[0, 1, 1], [0, 1, 0], [1, -1, 1]]], *_A_RGB, (2033, 2061),
        "the 3x3x3 filter, one 3x3 slice per input channel (C, KH, KW)"),
    "rgb_b": _entry(1.0, *_A_RGB, (2066, 2066), "the filter's bias (a scalar)"),
    "rows_input": _entry(
        [[10, 10, 10, 0, 0, 0]] * 6, *_A_WHY, (2258, 2264),
        "the 6x6 image, bright left half and dark right half"),
    "rows_kernel": _entry(
        [[1, 0, -1], [1, 0, -1], [1, 0, -1]], *_A_WHY, (2266, 2269),
        "the vertical-edge kernel"),
    "rows_output": _entry(
        [[0, 30, 30, 0]] * 4, *_A_WHY, (2272, 2276), "the 4x4 feature map: the edge lights up"),
    "kernel_blur": _entry(
        np.ones((3, 3)), *_A_IMG, (2326, 2332),
        "the blurring kernel as printed: all ones (a box blur up to the factor 1/9)"),
    "kernel_edges": _entry(
        [[1, 1, 1], [1, -8, 1], [1, 1, 1]], *_A_IMG, (2363, 2369),
        "the edge-detecting kernel (a discrete Laplacian with diagonals)"),
    # L10: pooling
    "pool_input": _entry(
        [[1, 4, 2, 1], [5, 8, 3, 4], [7, 6, 4, 5], [1, 3, 1, 2]], *_K_POOL, (5391, 5394),
        "the 4x4 feature map that is max-pooled"),
    "pool_max_stride1_output": _entry(
        [[8, 8, 4], [8, 8, 5], [7, 6, 5]], *_K_POOL, (5527, 5665),
        "its 2x2 max pooling with stride 1, filled in cell by cell"),
    "pool_input_b": _entry(
        [[1, 2, 4, 1], [4, 3, 8, 5], [5, 4, 6, 7], [2, 1, 3, 1]], *_K_POOL, (5408, 5411),
        "a second 4x4 map printed beside the '2x2 filters (stride 2)' label (the figure is "
        "lost; its pooled values are not printed)"),
    # L12: max pooling backward (Kiran's deck)
    "pool_backprop_input": _entry(
        [[0.1, 0.5, 1.2, -0.7], [0.8, -0.2, -0.5, 0.3], [0.4, 0.9, -0.1, -0.2],
         [-0.6, 0.1, 0.5, 0.3]], *_R_POOL, (461, 464), "the 4x4 activations that are max-pooled"),
    "pool_backprop_output": _entry(
        [[0.8, 1.2], [0.9, 0.5]], *_R_POOL, (470, 471), "their 2x2 max pooling, stride 2"),
    "pool_backprop_upstream": _entry(
        [[1.3, 0.5], [0.4, 0.1]], *_R_POOL, (482, 483), "the upstream gradient dL/d(pooled)"),
    "pool_backprop_routed": _entry(
        [[0, 0, 0.5, 0], [1.3, 0, 0, 0], [0, 0.4, 0, 0], [0, 0, 0.1, 0]], *_R_POOL, (488, 491),
        "the gradient routed to the argmax of each window ('unpooling')"),
}

#: name -> SlideExample (read-only); see the module docstring.
SLIDE_EXAMPLES = MappingProxyType(_ENTRIES)
