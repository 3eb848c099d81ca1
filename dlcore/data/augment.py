"""Data augmentation and per-channel mean subtraction for image batches (lecture 12c).

Shape legend: N images, C channels, H x W pixels; every function takes a batch (N, C, H, W)
and returns a new array of that shape (the input is never changed).

- ``shift_images(X, dy, dx)``: move each image by whole pixels, down by dy and right by dx,
  filling the uncovered border with zeros (the background of the digits).
- ``rotate_images(X, angles)``: rotate each image by ``angles`` degrees (counter-clockwise)
  about its centre, sampling the source bilinearly; outside the image counts as zero.
- ``add_noise(X, std, rng)``: add Gaussian noise of standard deviation ``std`` to every pixel.
- ``flip_images(X)``: mirror left-right (AlexNet's reflection; a mirrored digit is often
  another symbol, so the lecture leaves it off for digits).
- ``Augment``: random draws of all of these, fresh for every image and every call; calling
  it with the same random seed gives the same batch.
- ``channel_mean`` and ``subtract_channel_mean``: one mean per channel, computed on the
  training images and subtracted from any batch.
- ``class_subset``: a few images per class, for the small training sets of the lecture.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import as_array, check_flag, check_int, check_positive, shape_str
from .._random import get_rng

__all__ = ["shift_images", "rotate_images", "add_noise", "flip_images", "Augment",
           "channel_mean", "subtract_channel_mean", "class_subset"]


def _images(X, name: str = "X") -> np.ndarray:
    X = as_array(X, name)
    if X.ndim != 4:
        raise ValueError(f"{name} must be a batch of images of shape (N, C, H, W) (a single "
                         f"image img of shape (H, W) is img[None, None]); got shape "
                         f"{shape_str(X.shape)}")
    return X


def _per_image(value, n: int, name: str, *, integer: bool) -> np.ndarray:
    arr = np.asarray(value)
    if arr.dtype == bool or arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be {'whole numbers of pixels' if integer else 'numbers'}"
                        f" (one for all images or one per image); got {value!r}")
    if arr.ndim == 0:
        arr = np.full(n, arr)
    if arr.shape != (n,):
        raise ValueError(f"{name} must be one number or one per image, shape ({n},); got "
                         f"shape {shape_str(arr.shape)}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite; got {value!r}")
    if integer:
        if not np.all(arr == np.round(arr)):
            raise ValueError(f"{name} must be whole numbers of pixels; got {value!r}")
        return arr.astype(np.int64)
    return arr.astype(np.float64)


def shift_images(X, dy, dx) -> np.ndarray:
    """Move image n by ``dy[n]`` rows down and ``dx[n]`` columns right; the uncovered border is 0.

    ``out[n, c, i, j] = X[n, c, i - dy[n], j - dx[n]]`` where that pixel exists, else 0 (no
    wrap-around: ``np.roll`` would carry the right edge over to the left).  X (N, C, H, W);
    dy, dx integers, one for all images or arrays (N,); returns (N, C, H, W).
    """
    X = _images(X)
    n, _, h, w = X.shape
    dy = _per_image(dy, n, "dy", integer=True)
    dx = _per_image(dx, n, "dx", integer=True)
    out = np.zeros_like(X)
    for k in range(n):
        a, b = int(dy[k]), int(dx[k])
        if abs(a) >= h or abs(b) >= w:
            continue  # moved out of the frame entirely
        out[k, :, max(a, 0):h + min(a, 0), max(b, 0):w + min(b, 0)] = \
            X[k, :, max(-a, 0):h + min(-a, 0), max(-b, 0):w + min(-b, 0)]
    return out


def rotate_images(X, angles) -> np.ndarray:
    """Rotate image n by ``angles[n]`` degrees counter-clockwise about its centre (bilinear).

    Each output pixel (i, j) looks up the point of the input that the rotation carries onto it,
    ``y = c_y + cos(a)(i - c_y) + sin(a)(j - c_x)``, ``x = c_x - sin(a)(i - c_y) +
    cos(a)(j - c_x)`` with the centre ``c = ((H-1)/2,
    (W-1)/2)``, and interpolates its four neighbours; points outside the image count as 0.
    An angle of 0 returns the images unchanged.  X (N, C, H, W); angles one number or (N,);
    returns (N, C, H, W).
    """
    X = _images(X)
    n, c, h, w = X.shape
    theta = np.deg2rad(_per_image(angles, n, "angles", integer=False))
    cy, cx = (h - 1) / 2.0, (w - 1) / 2.0
    ii, jj = np.meshgrid(np.arange(h) - cy, np.arange(w) - cx, indexing="ij")
    cos, sin = np.cos(theta)[:, None, None], np.sin(theta)[:, None, None]
    # rows grow downwards: on screen, a counter-clockwise turn reads the source point below
    # that is rotated the other way, y = cos i + sin j, x = -sin i + cos j (about the centre)
    ys = cos * ii + sin * jj + cy
    xs = -sin * ii + cos * jj + cx
    y0, x0 = np.floor(ys).astype(np.int64), np.floor(xs).astype(np.int64)
    fy, fx = ys - y0, xs - x0
    padded = np.zeros((n, c, h + 2, w + 2))
    padded[:, :, 1:-1, 1:-1] = X
    batch = np.arange(n)[:, None, None]
    out = np.zeros_like(X)
    for oy, ox, weight in ((0, 0, (1 - fy) * (1 - fx)), (0, 1, (1 - fy) * fx),
                           (1, 0, fy * (1 - fx)), (1, 1, fy * fx)):
        yy, xx = y0 + oy, x0 + ox
        inside = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
        # outside points read the zero border of the padded copy
        yy = np.where(inside, yy + 1, 0)
        xx = np.where(inside, xx + 1, 0)
        values = padded[batch, :, yy, xx]               # (N, H, W, C)
        out += np.moveaxis(values, -1, 1) * weight[:, None]
    exact = theta == 0  # no interpolation error where nothing turns
    out[exact] = X[exact]
    return out


def add_noise(X, std: float, rng=None) -> np.ndarray:
    """``X + std * z`` with z standard normal, drawn from ``rng``; X (N, C, H, W) -> same."""
    X = _images(X)
    std = check_positive(std, "std", allow_zero=True)
    if std == 0:
        return X.copy()
    return X + std * get_rng(rng).standard_normal(X.shape)


def flip_images(X) -> np.ndarray:
    """Mirror every image left-right: ``out[..., j] = X[..., W - 1 - j]``; (N, C, H, W)."""
    return _images(X)[..., ::-1].copy()


@dataclass(frozen=True)
class Augment:
    """Random label-preserving changes, drawn afresh for every image at every call.

    For each image: a shift of ``dy, dx`` whole pixels, each uniform in ``[-max_shift,
    max_shift]``; a rotation by an angle uniform in ``[-max_angle, max_angle]`` degrees;
    Gaussian noise of standard deviation ``noise_std``; with ``flip``, a left-right mirror with
    probability 1/2.  ``augment(X, rng)`` applies them in the order rotation, shift, flip, noise
    and returns a new batch (N, C, H, W); the same ``rng`` seed gives the same batch.
    """

    max_shift: int = 1
    max_angle: float = 10.0
    noise_std: float = 0.05
    flip: bool = False

    def __post_init__(self):
        check_int(self.max_shift, "max_shift", minimum=0)
        check_positive(self.max_angle, "max_angle", allow_zero=True)
        if self.max_angle > 180:
            raise ValueError(f"max_angle must lie in [0, 180] degrees; got {self.max_angle}")
        check_positive(self.noise_std, "noise_std", allow_zero=True)
        check_flag(self.flip, "flip")

    def draw(self, n: int, rng=None) -> dict:
        """The random choices for ``n`` images: ``dy``, ``dx`` (int arrays), ``angles``
        (degrees), ``flip`` (bool array), each (n,)."""
        rng = get_rng(rng)
        n = check_int(n, "n", minimum=0)
        s = self.max_shift
        return {"dy": rng.integers(-s, s + 1, n), "dx": rng.integers(-s, s + 1, n),
                "angles": rng.uniform(-self.max_angle, self.max_angle, n),
                "flip": rng.random(n) < 0.5 if self.flip else np.zeros(n, dtype=bool)}

    def __call__(self, X, rng=None) -> np.ndarray:
        X = _images(X)
        rng = get_rng(rng)
        d = self.draw(X.shape[0], rng)
        out = rotate_images(X, d["angles"]) if self.max_angle > 0 else X.copy()
        if self.max_shift > 0:
            out = shift_images(out, d["dy"], d["dx"])
        if d["flip"].any():
            out[d["flip"]] = out[d["flip"]][..., ::-1]
        return add_noise(out, self.noise_std, rng)


def channel_mean(X) -> np.ndarray:
    """The mean of each channel over all images and pixels, ``mean[c] = X[:, c].mean()``.

    X (N, C, H, W) -> (C,).  Compute it on the training images only, then subtract it from
    every batch (training, validation, test) with ``subtract_channel_mean``.
    """
    return _images(X).mean(axis=(0, 2, 3))


def subtract_channel_mean(X, mean) -> np.ndarray:
    """``X[:, c] - mean[c]`` for each channel c; X (N, C, H, W), mean (C,) -> (N, C, H, W)."""
    X = _images(X)
    mean = as_array(mean, "mean")
    if mean.shape != (X.shape[1],):
        raise ValueError(f"mean must hold one value per channel, shape ({X.shape[1]},) for X "
                         f"of shape {shape_str(X.shape)}; got shape {shape_str(mean.shape)}")
    return X - mean[None, :, None, None]


def class_subset(y, classes, per_class: int, rng=None) -> np.ndarray:
    """Indices of ``per_class`` examples of each class in ``classes`` (drawn with ``rng``,
    without replacement), shuffled; y (N,) integer labels -> int array (len(classes) *
    per_class,).  A class with fewer examples raises a ValueError that says how many it has."""
    y = np.asarray(y)
    per_class = check_int(per_class, "per_class", minimum=1)
    rng = get_rng(rng)
    picked = []
    for c in classes:
        idx = np.flatnonzero(y == c)
        if idx.size < per_class:
            raise ValueError(f"class {c} has {idx.size} examples; cannot pick per_class="
                             f"{per_class}")
        picked.append(rng.choice(idx, per_class, replace=False))
    return rng.permutation(np.concatenate(picked))
