"""Fixed small data: Boolean truth tables, the lectures' toy points, one-hot encoding.

Shape legend: n Boolean inputs (2**n rows), N labels, C classes.
"""

from __future__ import annotations

import numpy as np

from .._checks import check_int, check_labels
from .synthetic import label_values

__all__ = ["BOOLEAN_FUNCTIONS", "boolean_table", "two_point_toy", "linear_toy", "one_hot"]

# Each maps the number of active inputs k (out of n) to the output bit.
_BOOLEAN = {
    "AND": lambda k, n: k == n,
    "OR": lambda k, n: k >= 1,
    "XOR": lambda k, n: k % 2 == 1,
    "NAND": lambda k, n: k != n,
    "NOR": lambda k, n: k == 0,
    "XNOR": lambda k, n: k % 2 == 0,
}
BOOLEAN_FUNCTIONS = tuple(_BOOLEAN)


def boolean_table(name: str, n_inputs: int = 2, labels: str = "01"):
    """Truth table of a Boolean function: rows ``X_k`` in binary order, ``y_k = name(X_k)``.

    name: "AND", "OR", "XOR", "NAND", "NOR" or "XNOR" (case-insensitive); for n_inputs > 2,
    XOR is odd parity and XNOR even parity.  Rows run 0...00, 0...01, ..., 1...11 (the first
    column is the most significant bit).  labels: "01" gives y in {0, 1}, "pm" gives y in
    {-1, +1} (0 -> -1) for the perceptron.
    Returns X: (2**n, n) float64 in {0, 1}, y: (2**n,) int64.
    """
    if not isinstance(name, str) or name.upper() not in _BOOLEAN:
        raise ValueError(f"name must be one of {', '.join(BOOLEAN_FUNCTIONS)}; got {name!r}")
    n = check_int(n_inputs, "n_inputs", minimum=1)
    if n > 20:
        raise ValueError(f"n_inputs must be <= 20 (the table has 2**n_inputs rows); got {n}")
    neg, pos = label_values(labels)
    codes = np.arange(2 ** n)
    X = (codes[:, None] >> np.arange(n - 1, -1, -1)) & 1
    bits = _BOOLEAN[name.upper()](X.sum(axis=1), n)
    y = np.where(bits, pos, neg).astype(np.int64)
    return X.astype(np.float64), y


def two_point_toy():
    """The sigmoid-neuron lecture's two points: ``X = [0.5, 2.5]``, ``Y = [0.2, 0.9]``.

    Returns X: (2,) float64, Y: (2,) float64 (fresh arrays on every call).
    """
    return np.array([0.5, 2.5]), np.array([0.2, 0.9])


def linear_toy():
    """Linear-model toy (IFT6758): ``x = [10, 2, 3.5, 1]``, ``y = [10.1, 1.9, 3.4, 1.1]``.

    Returns x: (4,) float64, y: (4,) float64 (fresh arrays on every call).
    """
    return np.array([10.0, 2.0, 3.5, 1.0]), np.array([10.1, 1.9, 3.4, 1.1])


def one_hot(labels, n_classes: int | None = None) -> np.ndarray:
    """One-hot encoding: ``Y[i, c] = 1[labels_i == c]``.

    labels: (N,) integer class indices in [0, C).  n_classes: C (default ``max(labels) + 1``).
    Returns Y: (N, C) float64.
    """
    if n_classes is not None:
        n_classes = check_int(n_classes, "n_classes", minimum=1)
    labels = check_labels(labels, n_classes, "labels")
    if n_classes is None:
        if labels.size == 0:
            raise ValueError("one_hot: n_classes must be given when labels is empty (shape (0,))")
        if labels.min() < 0:
            raise ValueError(f"labels must be class indices >= 0; got {labels.min()}")
        n_classes = int(labels.max()) + 1
    out = np.zeros((labels.shape[0], n_classes))
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out
