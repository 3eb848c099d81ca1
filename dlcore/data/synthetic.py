"""Seeded synthetic data: Gaussian blobs, two moons, spirals, sine sequences.

Every generator takes ``seed`` (default 0, so a call without it returns the same arrays every
time); see ``dlcore.data`` for the accepted values.  Points are returned in a seeded random
order, not grouped by class, so that taking the first k rows gives a mix of classes.

Shape legend: N points (or sequences), T time steps; points are 2-D.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._checks import as_array, check_int, check_positive
from .._random import get_rng

__all__ = ["blobs", "moons", "spirals", "sine_sequences"]


def label_values(labels: str) -> tuple[int, int]:
    """The (negative, positive) label pair for ``labels="01"`` or ``labels="pm"``."""
    if labels == "01":
        return 0, 1
    if labels == "pm":
        return -1, 1
    raise ValueError(f"labels must be '01' (y in {{0, 1}}) or 'pm' (y in {{-1, +1}}); "
                     f"got {labels!r}")


def _class_sizes(n: int, k: int) -> np.ndarray:
    """Split n points as evenly as possible over k classes (the first n % k get one more)."""
    return n // k + (np.arange(k) < n % k)


def _shuffle(rng: np.random.Generator, X: np.ndarray, y: np.ndarray):
    order = rng.permutation(X.shape[0])
    return X[order], y[order]


def blobs(n_samples: int = 100, centers=2, std: float = 0.5, seed=0, labels: str = "01"):
    """Isotropic Gaussian blobs: ``x = mu_c + std * eps``, ``eps ~ N(0, I)``, class c = label.

    centers: an int K (centres evenly spaced on a circle of radius 2*sqrt(2); K = 2 gives
    (-2, -2) for class 0 and (2, 2) for class 1, linearly separable with a wide margin at the
    default std) or an array (K, 2) of centres.  Classes are balanced (sizes differ by at most
    one).  labels: "01" gives y in {0, ..., K-1}; "pm" (K = 2 only) gives class 0 -> -1,
    class 1 -> +1.
    Returns X: (N, 2) float64, y: (N,) int64.
    """
    n = check_int(n_samples, "n_samples", minimum=1)
    std = check_positive(std, "std", allow_zero=True)
    if isinstance(centers, numbers.Integral) and not isinstance(centers, bool):
        k = check_int(centers, "centers", minimum=1)
        angles = 1.25 * np.pi + 2 * np.pi * np.arange(k) / k
        mu = 2 * np.sqrt(2) * np.stack([np.cos(angles), np.sin(angles)], axis=1)
        mu = np.round(mu, 12)  # K = 2 gives exactly (-2, -2) and (2, 2)
    else:
        mu = as_array(centers, "centers", ndim=2, spec="(K, 2)")
        if mu.shape[1] != 2 or mu.shape[0] == 0:
            raise ValueError(f"centers must be an int or an array of shape (K, 2) with K >= 1; "
                             f"got shape {mu.shape}")
        k = mu.shape[0]
    neg, pos = label_values(labels)
    if labels == "pm" and k != 2:
        raise ValueError(f"labels='pm' needs exactly 2 centers (classes -1 and +1); got {k}")
    if n < k:
        raise ValueError(f"n_samples must be >= the number of centers ({k}); got {n}")
    rng = get_rng(seed, "seed")
    y = np.repeat(np.arange(k), _class_sizes(n, k))
    X = mu[y] + std * rng.standard_normal((n, 2))
    if labels == "pm":
        y = np.where(y == 1, pos, neg)
    return _shuffle(rng, X, y.astype(np.int64))


def moons(n_samples: int = 200, noise: float = 0.1, seed=0):
    """Two interleaving half circles plus Gaussian noise of std ``noise``.

    Class 0: ``(cos t, sin t)``; class 1: ``(1 - cos t, 0.5 - sin t)``, t evenly spaced in
    [0, pi].  Classes are balanced (sizes differ by at most one).  Not linearly separable.
    Returns X: (N, 2) float64, y: (N,) int64 in {0, 1}.
    """
    n = check_int(n_samples, "n_samples", minimum=2)
    noise = check_positive(noise, "noise", allow_zero=True)
    rng = get_rng(seed, "seed")
    n0, n1 = _class_sizes(n, 2)
    t0 = np.linspace(0, np.pi, n0)
    t1 = np.linspace(0, np.pi, n1)
    X = np.concatenate([
        np.stack([np.cos(t0), np.sin(t0)], axis=1),
        np.stack([1 - np.cos(t1), 0.5 - np.sin(t1)], axis=1),
    ])
    X = X + noise * rng.standard_normal(X.shape)
    y = np.repeat(np.arange(2), [n0, n1]).astype(np.int64)
    return _shuffle(rng, X, y)


def spirals(n_per_class: int = 100, n_classes: int = 3, noise: float = 0.2, seed=0):
    """Interleaved spiral arms: ``x = r (sin a, cos a)`` with r in [0, 1] and angle noise.

    Arm c has r evenly spaced in [0, 1] and ``a = 4 (c + r) + noise * eps``, ``eps ~ N(0, 1)``
    (each arm turns through 4 radians; the classic CS231n data set).
    Returns X: (N, 2) float64 with N = n_per_class * n_classes, y: (N,) int64 in
    {0, ..., n_classes - 1}, balanced.
    """
    m = check_int(n_per_class, "n_per_class", minimum=1)
    k = check_int(n_classes, "n_classes", minimum=2)
    noise = check_positive(noise, "noise", allow_zero=True)
    rng = get_rng(seed, "seed")
    r = np.tile(np.linspace(0.0, 1.0, m), k)
    y = np.repeat(np.arange(k), m).astype(np.int64)
    a = 4.0 * (y + r) + noise * rng.standard_normal(m * k)
    X = r[:, None] * np.stack([np.sin(a), np.cos(a)], axis=1)
    return _shuffle(rng, X, y)


def sine_sequences(n_sequences: int = 100, length: int = 50, seed=0, noise: float = 0.0,
                   freq_range=(0.5, 2.0), dt: float = 0.1):
    """Sine waves ``x[n, t] = sin(2 pi f_n t dt + phi_n) + noise * eps``, one per sequence.

    f_n ~ U(freq_range) (cycles per unit time; with dt = 0.1, 10 steps are one time unit),
    phi_n ~ U[0, 2 pi), eps ~ N(0, 1).  For the RNN lectures: predict x[:, t + 1] from x[:, :t + 1].
    Returns x: (N, T, 1) float64 with N = n_sequences, T = length.
    """
    n = check_int(n_sequences, "n_sequences", minimum=1)
    length = check_int(length, "length", minimum=1)
    noise = check_positive(noise, "noise", allow_zero=True)
    dt = check_positive(dt, "dt")
    lo_hi = as_array(freq_range, "freq_range", ndim=1, spec="(2,)")
    if lo_hi.shape != (2,) or not 0 < lo_hi[0] <= lo_hi[1]:
        raise ValueError(f"freq_range must be (low, high) with 0 < low <= high; got "
                         f"{tuple(lo_hi.tolist())}")
    rng = get_rng(seed, "seed")
    freq = rng.uniform(lo_hi[0], lo_hi[1], size=n)
    phase = rng.uniform(0.0, 2 * np.pi, size=n)
    t = np.arange(length) * dt
    x = np.sin(2 * np.pi * freq[:, None] * t[None, :] + phase[:, None])
    x = x + noise * rng.standard_normal(x.shape)
    return x[:, :, None]
