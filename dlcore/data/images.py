"""One bundled photo for the convolution lectures: scikit-learn's ``china.jpg``.

The file ships inside the scikit-learn wheel (``sklearn.datasets.load_sample_image``, which
reads it with Pillow), so nothing is downloaded.  scikit-learn is imported only when the photo
is first asked for.

Shape legend: H x W pixels, C = 3 colour channels (R, G, B), channels first as in (C, H, W).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .._checks import check_int

__all__ = ["sample_image"]

# ITU-R BT.601 luma weights: the usual RGB -> grey conversion (Pillow's "L" mode uses them too).
_LUMA = np.array([0.299, 0.587, 0.114])


@lru_cache(maxsize=1)
def _load_rgb() -> np.ndarray:
    try:
        from sklearn.datasets import load_sample_image
    except ImportError as exc:  # pragma: no cover - scikit-learn is a dependency
        raise ImportError("dlcore.data.sample_image needs scikit-learn (its bundled photo "
                          "china.jpg) and Pillow; install them with `pip install "
                          "scikit-learn pillow`") from exc
    rgb = np.asarray(load_sample_image("china.jpg"), dtype=np.float64) / 255.0
    rgb = np.ascontiguousarray(rgb.transpose(2, 0, 1))  # (H, W, 3) -> (3, H, W)
    rgb.flags.writeable = False
    return rgb


def sample_image(downsample: int = 1, grey: bool = True) -> np.ndarray:
    """scikit-learn's bundled photo ``china.jpg`` (427 x 640), pixel values in [0, 1].

    ``grey=True`` gives the luma ``0.299 R + 0.587 G + 0.114 B``, an (H, W) array;
    ``grey=False`` the colour channels (3, H, W), channels first like a conv input.
    ``downsample = f`` averages non-overlapping f x f blocks (the edge rows and columns that do
    not fill a block are cropped), giving (427 // f, 640 // f).  Returns a fresh float64 array.
    """
    f = check_int(downsample, "downsample", minimum=1)
    if not isinstance(grey, bool):
        raise TypeError(f"grey must be True or False; got {grey!r}")
    rgb = _load_rgb()
    _, h, w = rgb.shape
    if f > min(h, w):
        raise ValueError(f"downsample must be at most {min(h, w)} for the {h}x{w} photo; "
                         f"got {f}")
    img = np.tensordot(_LUMA, rgb, axes=1)[None] if grey else rgb
    hh, ww = h // f, w // f
    img = img[:, :hh * f, :ww * f].reshape(img.shape[0], hh, f, ww, f).mean(axis=(2, 4))
    img = np.clip(img, 0.0, 1.0)  # the luma weights sum to 1 up to rounding
    return img[0].copy() if grey else img.copy()
