"""Data augmentation and per-channel mean subtraction (dl.data, lecture 12c): shapes,
determinism under a random seed, the geometry of shifts and rotations, and bad input."""

import numpy as np
import pytest

import dlcore as dl
from dlcore.data import (
    Augment,
    add_noise,
    channel_mean,
    class_subset,
    flip_images,
    rotate_images,
    shift_images,
    subtract_channel_mean,
)

pytestmark = pytest.mark.lec12

X = np.random.default_rng(0).uniform(0, 1, size=(5, 2, 6, 7))


def shift_loop(img, dy, dx):
    """out[i, j] = img[i - dy, j - dx] where it exists, written out."""
    out = np.zeros_like(img)
    for i in range(img.shape[0]):
        for j in range(img.shape[1]):
            if 0 <= i - dy < img.shape[0] and 0 <= j - dx < img.shape[1]:
                out[i, j] = img[i - dy, j - dx]
    return out


@pytest.mark.parametrize("dy, dx", [(0, 0), (1, 0), (0, -2), (-1, 3), (2, 2), (6, 0), (0, -9)])
def test_shift_moves_the_content_and_fills_zeros(dy, dx):
    out = shift_images(X, dy, dx)
    assert out.shape == X.shape
    for n in range(X.shape[0]):
        for c in range(X.shape[1]):
            np.testing.assert_array_equal(out[n, c], shift_loop(X[n, c], dy, dx))


def test_shift_takes_one_shift_per_image_and_never_changes_its_input():
    before = X.copy()
    out = shift_images(X, np.arange(5) - 2, [1, 0, -1, 0, 1])
    np.testing.assert_array_equal(X, before)
    np.testing.assert_array_equal(out[0, 1], shift_loop(X[0, 1], -2, 1))
    np.testing.assert_array_equal(out[4, 0], shift_loop(X[4, 0], 2, 1))


def test_rotation_by_90_degrees_is_rot90_and_by_0_the_identity():
    np.testing.assert_allclose(rotate_images(X[:, :, :6, :6], 90),
                               np.rot90(X[:, :, :6, :6], 1, axes=(2, 3)), atol=1e-12)
    np.testing.assert_allclose(rotate_images(X[:, :, :6, :6], -90),
                               np.rot90(X[:, :, :6, :6], -1, axes=(2, 3)), atol=1e-12)
    np.testing.assert_array_equal(rotate_images(X, 0.0), X)


def test_rotation_turns_counter_clockwise_and_keeps_a_centred_blob():
    img = np.zeros((1, 1, 5, 5))
    img[0, 0, 0, 2] = 1.0                      # top middle
    turned = rotate_images(img, 90)[0, 0]
    assert turned[2, 0] == pytest.approx(1.0)  # -> left middle
    blob = np.zeros((1, 1, 7, 7))
    blob[0, 0, 2:5, 2:5] = 1.0
    small = rotate_images(blob, 10.0)
    assert abs(small.sum() - blob.sum()) < 0.3 and small[0, 0, 3, 3] == pytest.approx(1.0)


def test_noise_and_flip():
    noisy = add_noise(X, 0.1, rng=3)
    assert noisy.shape == X.shape and 0.08 < np.std(noisy - X) < 0.12
    np.testing.assert_array_equal(add_noise(X, 0.1, rng=3), noisy)
    np.testing.assert_array_equal(add_noise(X, 0.0, rng=3), X)
    np.testing.assert_array_equal(flip_images(X)[..., 0], X[..., -1])


def test_augment_shapes_and_determinism_under_a_seed():
    aug = Augment(max_shift=1, max_angle=15, noise_std=0.05, flip=True)
    a, b = aug(X, rng=7), aug(X, rng=7)
    assert a.shape == X.shape and a.dtype == np.float64
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(aug(X, rng=8), a)
    gen = np.random.default_rng(7)
    first, second = aug(X, rng=gen), aug(X, rng=gen)   # a Generator advances between calls
    np.testing.assert_array_equal(first, a)
    assert not np.allclose(first, second)


def test_augment_draws_within_its_limits_and_is_the_identity_when_off():
    d = Augment(max_shift=2, max_angle=20).draw(2000, rng=0)
    assert set(np.unique(d["dy"])) == {-2, -1, 0, 1, 2} and set(np.unique(d["dx"])) == {-2, -1,
                                                                                       0, 1, 2}
    assert np.all(np.abs(d["angles"]) <= 20) and not d["flip"].any()
    np.testing.assert_array_equal(Augment(0, 0.0, 0.0)(X, rng=0), X)


def test_augment_applies_rotation_then_shift_then_noise():
    aug = Augment(max_shift=1, max_angle=12, noise_std=0.03)
    d = aug.draw(X.shape[0], np.random.default_rng(5))
    rng = np.random.default_rng(5)
    aug.draw(X.shape[0], rng)                 # the same draws, then the noise
    want = add_noise(shift_images(rotate_images(X, d["angles"]), d["dy"], d["dx"]), 0.03, rng)
    np.testing.assert_allclose(aug(X, rng=5), want)


def test_channel_mean_and_its_subtraction():
    mean = channel_mean(X)
    assert mean.shape == (2,)
    np.testing.assert_allclose(mean, [X[:, 0].mean(), X[:, 1].mean()])
    centred = subtract_channel_mean(X, mean)
    np.testing.assert_allclose(channel_mean(centred), 0.0, atol=1e-12)
    other = X[:2] + 1.0
    np.testing.assert_allclose(subtract_channel_mean(other, mean)[:, 1], other[:, 1] - mean[1])


def test_class_subset():
    y = np.repeat(np.arange(4), 10)
    idx = class_subset(y, [1, 3], 4, rng=0)
    assert idx.shape == (8,) and sorted(np.bincount(y[idx], minlength=4)) == [0, 0, 4, 4]
    np.testing.assert_array_equal(idx, class_subset(y, [1, 3], 4, rng=0))
    with pytest.raises(ValueError, match="class 2 has 10 examples"):
        class_subset(y, [2], 11)


@pytest.mark.parametrize("call, match", [
    (lambda: shift_images(X[0], 1, 1), r"\(N, C, H, W\)"),
    (lambda: shift_images(X, 0.5, 0), "whole numbers of pixels"),
    (lambda: shift_images(X, [1, 2], 0), r"one per image, shape \(5,\)"),
    (lambda: rotate_images(X, "ten"), "numbers"),
    (lambda: add_noise(X, -0.1), "std must be a finite number >= 0"),
    (lambda: Augment(max_shift=-1), "max_shift must be >= 0"),
    (lambda: Augment(max_angle=270), r"max_angle must lie in \[0, 180\]"),
    (lambda: subtract_channel_mean(X, [0.1, 0.2, 0.3]), r"one value per channel, shape \(2,\)"),
])
def test_bad_input_names_what_was_expected(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()


def test_exported_from_dl_data():
    for name in ("Augment", "shift_images", "rotate_images", "channel_mean", "class_subset"):
        assert hasattr(dl.data, name)
