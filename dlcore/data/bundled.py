"""Data sets that ship inside an installed package: scikit-learn's 8x8 digits.

scikit-learn is imported inside the function that reads the file, so ``import dlcore.data``
does not import it.  The train/test split is done here with numpy, so it does not change with
scikit-learn's splitter.

Shape legend: N images, 64 = 8 x 8 pixels, 1 channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._checks import check_probability
from .._random import get_rng

__all__ = ["Split", "digits"]


@dataclass(frozen=True)
class Split:
    """A train/test split.  Unpacks as ``X_train, y_train, X_test, y_test = split``.

    X_train: (N_train, 64) or (N_train, 1, 8, 8); y_train: (N_train,) int64; X_test, y_test
    likewise.  n_classes: the number of classes (10 for digits).
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    n_classes: int = 10

    def __iter__(self):
        return iter((self.X_train, self.y_train, self.X_test, self.y_test))


@lru_cache(maxsize=1)
def _load_digits():
    try:
        from sklearn.datasets import load_digits
    except ImportError as exc:  # pragma: no cover - scikit-learn is a dependency
        raise ImportError("dlcore.data.digits needs scikit-learn (its bundled 8x8 digits); "
                          "install it with `pip install scikit-learn`") from exc
    bunch = load_digits()
    X = np.asarray(bunch.data, dtype=np.float64) / 16.0  # raw pixels are counts 0..16
    y = np.asarray(bunch.target, dtype=np.int64)
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def digits(test_size: float = 0.25, seed=0, flatten: bool = True) -> Split:
    """scikit-learn's 1,797 8x8 digits, pixels ``x / 16`` in [0, 1], in a stratified split.

    Each class c contributes ``round(test_size * n_c)`` images (at least one, and at least one
    left for training) to the test set, drawn with ``seed``; both sets are then shuffled.
    flatten=True gives X (N, 64); flatten=False gives images (N, 1, 8, 8) for CNNs.
    Returns a ``Split`` with X_train (N_train, 64) or (N_train, 1, 8, 8), y_train (N_train,)
    int64 in {0, ..., 9}, X_test, y_test likewise, and n_classes = 10.
    """
    test_size = check_probability(test_size, "test_size")
    if test_size == 0:
        raise ValueError("test_size must lie in (0, 1) (the fraction of each class held out); "
                         "got 0.0")
    if not isinstance(flatten, bool):
        raise TypeError(f"flatten must be True or False; got {flatten!r}")
    rng = get_rng(seed, "seed")
    X, y = _load_digits()
    test_idx = []
    for c in range(10):
        idx = rng.permutation(np.flatnonzero(y == c))
        n_test = int(np.clip(round(test_size * idx.size), 1, idx.size - 1))
        test_idx.append(idx[:n_test])
    test_idx = np.concatenate(test_idx)
    train_mask = np.ones(y.shape[0], dtype=bool)
    train_mask[test_idx] = False
    train_idx = rng.permutation(np.flatnonzero(train_mask))
    test_idx = rng.permutation(test_idx)
    shape = (-1, 64) if flatten else (-1, 1, 8, 8)
    return Split(X[train_idx].reshape(shape), y[train_idx].copy(),
                 X[test_idx].reshape(shape), y[test_idx].copy(), n_classes=10)
