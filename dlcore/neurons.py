"""Single neurons: the McCulloch-Pitts unit, the perceptron and the sigmoid neuron (lectures 2-4).

Shape legend::

    N   number of points        D   features per point (including a constant-1 bias feature
                                    when the caller appends one)
    n   binary inputs of a McCulloch-Pitts unit

Course conventions (syllabus section 2): sign(0) = +1, and a threshold unit fires when its sum
is >= the threshold.  ``np.sign(0)`` is 0, which changes which points count as mistakes, so the
perceptron here uses ``sign_pm`` instead.  Perceptron labels are -1 and +1; the perceptron has
no hidden bias: append a constant-1 feature to ``x`` to learn one.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ._checks import as_array, check_int, check_shapes, shape_str

__all__ = [
    "step",
    "sign_pm",
    "mp_neuron",
    "truth_table",
    "perceptron_step",
    "train_perceptron",
    "PerceptronResult",
    "DidNotConverge",
    "sigmoid_neuron",
]


def _scalar_or_array(out: np.ndarray):
    return int(out) if out.ndim == 0 else out


def step(z):
    """Heaviside step with step(0) = 1: ``1[z >= 0]``, elementwise.

    z: any shape (a scalar gives a Python int).  Returns int64 of the same shape.
    """
    z = as_array(z, "z")
    return _scalar_or_array(np.where(z >= 0, 1, 0).astype(np.int64))


def sign_pm(z):
    """Sign with sign(0) = +1: ``+1 if z >= 0 else -1``, elementwise (``np.sign(0)`` is 0).

    z: any shape (a scalar gives a Python int).  Returns int64 of the same shape.
    """
    z = as_array(z, "z")
    return _scalar_or_array(np.where(z >= 0, 1, -1).astype(np.int64))


def _real_scalar(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite real number; got {value}")
    return value


def mp_neuron(x, threshold, inhibitory=()) -> int:
    """McCulloch-Pitts unit: ``y = 1[sum_i x_i >= threshold]``, 0 if any inhibitory input is on.

    x: (n,) binary inputs in {0, 1} (unit weights).  threshold: a real number.
    inhibitory: indices into x of the inhibitory inputs.  Returns 0 or 1.
    """
    x = as_array(x, "x", ndim=1, spec="(n,)")
    if not np.all((x == 0) | (x == 1)):
        bad = x[(x != 0) & (x != 1)]
        raise ValueError(f"x must hold binary inputs with values in {{0, 1}}; got "
                         f"{bad.size} other value(s), e.g. {float(bad[0])}")
    theta = _real_scalar(threshold, "threshold")
    if isinstance(inhibitory, numbers.Integral):
        inhibitory = (inhibitory,)
    n = x.shape[0]
    idx = []
    for i in inhibitory:
        if isinstance(i, bool) or not isinstance(i, numbers.Integral):
            raise TypeError(f"inhibitory must hold integer indices into x; got {i!r}")
        if not 0 <= i < n:
            raise ValueError(f"inhibitory indices must lie in [0, {n - 1}] for x of shape "
                             f"({n},); got {i}")
        idx.append(int(i))
    if idx and np.any(x[idx] == 1):
        return 0
    return int(x.sum() >= theta)


def truth_table(fn: Callable, n_inputs: int):
    """Evaluate ``fn`` on every binary input: ``y_k = fn(X_k)`` for the 2**n rows in binary order.

    Rows run 0...00, 0...01, ..., 1...11 (the first column is the most significant bit).
    fn takes a row of shape (n,).  Returns X: (2**n, n) int64, y: (2**n,).
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable (it is applied to each row); got {fn!r}")
    n = check_int(n_inputs, "n_inputs", minimum=1)
    if n > 20:
        raise ValueError(f"n_inputs must be <= 20 (the table has 2**n_inputs rows); got {n}")
    codes = np.arange(2 ** n)
    X = ((codes[:, None] >> np.arange(n - 1, -1, -1)) & 1).astype(np.int64)
    y = np.asarray([fn(row) for row in X])
    return X, y


def _check_pm(y, name: str, *, spec: str | None = None) -> np.ndarray:
    arr = as_array(y, name, spec=spec)
    if not np.all((arr == -1) | (arr == 1)):
        bad = arr[(arr != -1) & (arr != 1)]
        raise ValueError(f"{name} must hold labels in {{-1, +1}}; got "
                         f"{bad.size} other value(s), e.g. {float(bad.flat[0])}")
    return arr


def _perceptron_update(w: np.ndarray, x: np.ndarray, y: float) -> tuple[np.ndarray, bool]:
    y_hat = 1.0 if w @ x >= 0 else -1.0
    if y_hat != y:
        return w + y * x, True
    return w.copy(), False


def perceptron_step(w, x, y) -> np.ndarray:
    """One perceptron update: ``w <- w + y x 1[y != sign(w . x)]``, with sign(0) = +1.

    w: (D,), x: (D,) (append a constant-1 feature for a bias), y: a label in {-1, +1}.
    Returns the new weights, shape (D,); ``w`` itself is not modified.
    """
    w = as_array(w, "w", ndim=1, spec="(D,)")
    x = as_array(x, "x", ndim=1, spec="(D,)")
    check_shapes("perceptron_step", w=(w, "D"), x=(x, "D"))
    y = _check_pm(y, "y")
    if y.ndim != 0:
        raise ValueError(f"y must be a single label in {{-1, +1}}; got an array of shape "
                         f"{shape_str(y.shape)}")
    return _perceptron_update(w, x, float(y))[0]


class DidNotConverge(UserWarning):
    """``train_perceptron`` reached ``max_epochs`` without an error-free epoch."""


class PerceptronResult(NamedTuple):
    """Result of ``train_perceptron``: final weights (D,) and mistakes in each epoch (epochs,)."""

    w: np.ndarray
    errors_per_epoch: np.ndarray

    @property
    def converged(self) -> bool:
        """True when the last epoch made no mistake."""
        return bool(len(self.errors_per_epoch) and self.errors_per_epoch[-1] == 0)


def train_perceptron(X, y, max_epochs: int = 100, w0=None) -> PerceptronResult:
    """Perceptron learning: each epoch, for i = 1..N, ``w <- w + y_i x_i 1[y_i != sign(w . x_i)]``.

    Stops after the first epoch with no mistake.  If ``max_epochs`` pass without one, a
    ``DidNotConverge`` warning is emitted (the data may not be linearly separable, e.g. XOR).
    X: (N, D), y: (N,) labels in {-1, +1}, w0: (D,) initial weights (default zeros).
    Returns ``PerceptronResult(w, errors_per_epoch)`` with w (D,) and errors_per_epoch
    (epochs,) int64; unpack it as ``w, errors = train_perceptron(X, y)``.
    """
    X = as_array(X, "X", ndim=2, spec="(N, D)")
    y = _check_pm(y, "y", spec="(N,)")
    w = np.zeros(X.shape[1]) if w0 is None else as_array(w0, "w0", ndim=1, spec="(D,)")
    check_shapes("train_perceptron", X=(X, "N D"), y=(y, "N"), w0=(w, "D"))
    if X.shape[0] == 0:
        raise ValueError("X must hold at least one point, shape (N, D) with N >= 1; got N=0")
    max_epochs = check_int(max_epochs, "max_epochs", minimum=1)
    w = w.astype(np.result_type(w, X, np.float64), copy=True)
    errors = []
    for _ in range(max_epochs):
        mistakes = 0
        for x_i, y_i in zip(X, y, strict=True):
            w, wrong = _perceptron_update(w, x_i, float(y_i))
            mistakes += wrong
        errors.append(mistakes)
        if mistakes == 0:
            break
    result = PerceptronResult(w, np.asarray(errors, dtype=np.int64))
    if not result.converged:
        warnings.warn(
            f"train_perceptron did not converge: after max_epochs={max_epochs} epochs the last "
            f"epoch still made {errors[-1]} mistake(s) on {X.shape[0]} points. The data may not "
            f"be linearly separable (XOR, for example, is not); also check that a constant-1 "
            f"bias feature was appended to X.",
            DidNotConverge,
            stacklevel=2,
        )
    return result


def _stable_sigmoid(z: np.ndarray) -> np.ndarray:
    # exp of a non-positive number never overflows, for z of either sign.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_neuron(x, w, b):
    """Sigmoid neuron: ``sigma(w x + b) = 1 / (1 + exp(-(w x + b)))``.

    Scalar w: x any shape, applied elementwise, result of x's shape.  w (D,): x (..., D), the
    dot product is over the last axis, result (...,).  b: a real number.  Computed stably (no
    overflow for |w x + b| in the thousands).
    """
    w = as_array(w, "w", ndim=(0, 1), spec="() or (D,)")
    x = as_array(x, "x")
    b = _real_scalar(b.item() if isinstance(b, np.ndarray) and b.ndim == 0 else b, "b")
    if w.ndim == 0:
        z = w * x + b
    else:
        if x.ndim == 0 or x.shape[-1] != w.shape[0]:
            raise ValueError(f"sigmoid_neuron: x must have shape (..., D) with D={w.shape[0]} "
                             f"(from w); got shape {shape_str(x.shape)}")
        z = x @ w + b
    out = _stable_sigmoid(np.asarray(z))
    return float(out) if out.ndim == 0 else out
