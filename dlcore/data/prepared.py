"""Prepared data for lecture 8: the recipe's data step (split, standardize) on digits and spirals.

Shapes: X (N, D) samples, y (N,) integer labels; digits D = 64, spirals D = 2.

``split_train_val`` holds out a validation set and ``standardize`` scales every feature with the
training set's mean and std (step 1 of the training recipe); ``digits_prepared`` and
``spirals_prepared`` apply them to the lecture's two data sets, cached and read-only, so that the
notebook, its widgets and ``dlcore.nn.lr_trial``/``regularization_trial`` see the same arrays.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .._checks import as_array, check_int, check_labels, check_positive, check_probability
from .._random import get_rng

__all__ = ["split_train_val", "standardize", "digits_prepared", "spirals_prepared"]


def split_train_val(X, y, val_fraction: float = 0.2, seed=0):
    """Hold out a random ``val_fraction`` of the rows (a validation set).

    X (N, D), y (N,) -> X_tr (N - n_val, D), y_tr, X_val (n_val, D), y_val, with
    ``n_val = round(val_fraction * N)``.
    """
    X = as_array(X, "X", ndim=2, spec="(N, D)")
    y = check_labels(y, None, "y", n=X.shape[0])
    val_fraction = check_probability(val_fraction, "val_fraction")
    n_val = int(round(val_fraction * X.shape[0]))
    if not 1 <= n_val < X.shape[0]:
        raise ValueError(f"split_train_val: val_fraction={val_fraction} leaves {n_val} of "
                         f"{X.shape[0]} rows for validation; need at least 1 and fewer than N")
    order = get_rng(seed).permutation(X.shape[0])
    val, tr = order[:n_val], order[n_val:]
    return X[tr], y[tr], X[val], y[val]


def standardize(X_train, *others):
    """``(X - mean) / std`` per feature with the TRAINING mean and std, for every array given.

    A feature that is constant in the training set (std 0) is only centred.  X_train (N, D),
    each of ``others`` (N_i, D) -> a tuple of arrays of the same shapes, training set first.
    """
    X_train = as_array(X_train, "X_train", ndim=2, spec="(N, D)")
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    out = [(X_train - mean) / std]
    for i, X in enumerate(others):
        X = as_array(X, f"others[{i}]", ndim=2, spec=f"(N, {X_train.shape[1]})")
        if X.shape[1] != X_train.shape[1]:
            raise ValueError(f"standardize: others[{i}] must have shape (N, {X_train.shape[1]}) "
                             f"like X_train; got {X.shape}")
        out.append((X - mean) / std)
    return tuple(out)


@lru_cache(maxsize=2)
def _digits_prepared(seed: int):
    from .bundled import digits

    X, y, X_test, y_test = digits(seed=seed)
    X_tr, y_tr, X_val, y_val = split_train_val(X, y, 0.2, seed=seed)
    X_tr, X_val, X_test = standardize(X_tr, X_val, X_test)
    arrays = (X_tr, y_tr, X_val, y_val, X_test, y_test)
    for a in arrays:
        a.setflags(write=False)
    return arrays


def digits_prepared(seed: int = 0):
    """The recipe's data step on digits: split train/val/test, standardize with train statistics.

    Returns X_tr (1078, 64), y_tr (1078,), X_val (269, 64), y_val (269,), X_test (450, 64),
    y_test (450,) (read-only, cached).
    """
    return _digits_prepared(check_int(seed, "seed", minimum=0))


@lru_cache(maxsize=4)
def _spirals(n_per_class: int, noise: float, seed: int):
    from .synthetic import spirals

    X, y = spirals(n_per_class=n_per_class, noise=noise, seed=seed)
    X_val, y_val = spirals(n_per_class=100, noise=noise, seed=seed + 1)
    for a in (X, y, X_val, y_val):
        a.setflags(write=False)
    return X, y, X_val, y_val


def spirals_prepared(n_per_class: int = 20, noise: float = 0.6, seed: int = 0):
    """A small noisy training set of 3 spirals and a larger validation set from another seed.

    Returns X (3 n_per_class, 2), y (3 n_per_class,), X_val (300, 2), y_val (300,).
    """
    return _spirals(check_int(n_per_class, "n_per_class", minimum=1),
                    check_positive(noise, "noise", allow_zero=True),
                    check_int(seed, "seed", minimum=0))
