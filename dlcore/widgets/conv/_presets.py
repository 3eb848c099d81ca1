"""Named inputs and kernels offered by the convolution widgets.

Shape legend: images (H, W), kernels (KH, KW), feature maps (H, W).  ``IMAGE_PRESETS`` and
``POOL_PRESETS`` map a label to a function returning the array (the digit and the photo are
loaded only when chosen); ``KERNEL_PRESETS`` and ``PHOTO_KERNELS`` map a label to an array.
An example taken from a slide deck names the deck's author in its label (Kiran, Arya,
Khapra); the Sources section of lecture 10 gives the full references.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ...conv import KERNELS
from ...data.slide_examples import SLIDE_EXAMPLES as SE

__all__ = ["IMAGE_PRESETS", "KERNEL_PRESETS", "PHOTO_KERNELS", "POOL_PRESETS", "pick",
           "digit_image", "photo_patch"]


@lru_cache(maxsize=1)
def digit_image() -> np.ndarray:
    """A handwritten 3 from scikit-learn's digits, as pixel counts 0..16 (8, 8)."""
    from ...data import digits

    split = digits(flatten=False)
    idx = int(np.flatnonzero(split.y_test == 3)[0])
    return np.round(split.X_test[idx, 0] * 16)


@lru_cache(maxsize=1)
def photo_patch() -> np.ndarray:
    """A 10x10 patch of the grey photo (a roof edge against the sky), grey levels 0..255."""
    from ...data.images import sample_image

    return np.round(sample_image(downsample=4)[42:52, 76:86] * 255)


def _slide(name):
    return lambda: SE[name].value


IMAGE_PRESETS = {
    "slide example 5×5 (Kiran)": _slide("cnn2_input"),
    "edge example 5×5 (Arya)": _slide("edge_input"),
    "bias example 3×3 (Arya)": _slide("bias_input"),
    "sharpen example 5×5 (Arya)": _slide("sharpen_input"),
    "bright | dark halves 6×6 (Arya)": _slide("rows_input"),
    "handwritten digit 8×8 (counts 0–16)": digit_image,
    "photo patch 10×10 (grey 0–255)": photo_patch,
}

KERNEL_PRESETS = {
    "slide example 3×3 (Kiran)": SE["cnn2_kernel"].value,
    "vertical edge (Arya)": SE["edge_kernel"].value,
    "bias example 2×2 (Arya)": SE["bias_kernel"].value,
    "sharpen (Arya)": SE["sharpen_kernel"].value,
    "box blur (ones / 9)": KERNELS["box_blur"],
    "edges, -8 in the centre (Arya)": SE["kernel_edges"].value,
    "horizontal edge": KERNELS["edge_horizontal"],
    "identity": KERNELS["identity"],
}

PHOTO_KERNELS = {
    "vertical edge (Arya)": SE["edge_kernel"].value,
    "horizontal edge": KERNELS["edge_horizontal"],
    "edges, -8 in the centre (Arya)": SE["kernel_edges"].value,
    "blur: ones / 9 (Arya)": SE["kernel_blur"].value / 9.0,
    "Gaussian blur": KERNELS["gaussian_blur"],
    "sharpen (Arya)": SE["sharpen_kernel"].value,
    "Sobel x": KERNELS["sobel_x"],
    "Sobel y": KERNELS["sobel_y"],
    "identity": KERNELS["identity"],
}


def _peaks() -> np.ndarray:
    x = np.zeros((8, 8))
    for (i, j), v in {(0, 0): 9, (1, 5): 7, (2, 2): 5, (4, 6): 8, (5, 1): 6, (6, 4): 9,
                      (7, 7): 4}.items():
        x[i, j] = v
    return x


POOL_PRESETS = {
    "slide example 4×4 (Khapra)": _slide("pool_input"),
    "second slide example 4×4 (Khapra)": _slide("pool_input_b"),
    "isolated peaks 8×8": _peaks,
    "handwritten digit 8×8 (counts 0–16)": digit_image,
}


def pick(name, options, what: str, default):
    """The option called ``name``, or the only one containing it (case-insensitive), e.g.
    ``"digit"``; ``default`` when None; a ValueError naming the options otherwise."""
    if name is None:
        return default
    if name in options:
        return name
    if isinstance(name, str):
        for hits in ([o for o in options if o.lower().startswith(name.lower())],
                     [o for o in options if name.lower() in o.lower()]):
            if len(hits) == 1:
                return hits[0]
    raise ValueError(f"{what} must be one of {', '.join(repr(o) for o in options)} (or a "
                     f"word that only one of them contains); got {name!r}")
