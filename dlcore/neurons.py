"""Single neurons: the McCulloch-Pitts unit, the perceptron and the sigmoid neuron (lectures 2-4),
and networks of threshold units (lecture 5).

Shape legend::

    N   number of points        D   features per point (including a constant-1 bias feature
                                    when the caller appends one)
    n   binary inputs of a McCulloch-Pitts unit

Course conventions (syllabus section 2): sign(0) = +1, and a threshold unit fires when its sum
is >= the threshold.  ``np.sign(0)`` is 0, which changes which points count as mistakes, so the
perceptron here uses ``sign_pm`` instead.  Perceptron labels are -1 and +1; the perceptron has
no hidden bias: append a constant-1 feature to ``x`` to learn one.

Threshold networks (lecture 5): a threshold layer computes ``h = step(x @ w.T + b)`` with
step(0) = 1, weights in PyTorch's (out, in) layout, so ``w[j, i]`` joins input i to unit j
(M units of a layer, K half-planes).  ``threshold_net_forward`` runs such layers, ``xor_layers``
builds XOR from OR and AND, and ``half_plane_layers`` cuts regions out of the plane: half-plane
k is ``{x : cos(t_k) x1 + sin(t_k) x2 >= d_k}``, t_k in degrees, one threshold unit with
weights (cos t_k, sin t_k) and bias -d_k.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ._checks import as_array, check_int, check_real, check_shapes, shape_str
from .layers import linear_forward

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
    "threshold_net_forward",
    "xor_layers",
    "half_plane_layers",
    "MOONS_HALF_PLANES",
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
    theta = check_real(threshold, "threshold")
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
    b = check_real(b.item() if isinstance(b, np.ndarray) and b.ndim == 0 else b, "b")
    if w.ndim == 0:
        z = w * x + b
    else:
        if x.ndim == 0 or x.shape[-1] != w.shape[0]:
            raise ValueError(f"sigmoid_neuron: x must have shape (..., D) with D={w.shape[0]} "
                             f"(from w); got shape {shape_str(x.shape)}")
        z = x @ w + b
    out = _stable_sigmoid(np.asarray(z))
    return float(out) if out.ndim == 0 else out


# Two triangles that together cover the lower moon of ``dlcore.data.moons()``: planes 1-3 the
# left half, planes 4-6 the right half.  Intersecting all six covers almost nothing.
MOONS_HALF_PLANES = {
    "angles": (225.0, 0.0, 90.0, 315.0, 180.0, 90.0),
    "offsets": (-0.42, -0.25, -0.9, 0.99, -2.4, -0.9),
    "groups": ((0, 1, 2), (3, 4, 5)),
}


def threshold_net_forward(X, layers, return_hidden: bool = False):
    """``h_l = step(h_{l-1} @ w_l.T + b_l)`` layer after layer, ``h_0 = X``, step(0) = 1.

    X (N, D); ``layers`` a list of ``(w, b)`` with w (M_l, M_{l-1}), b (M_l,).  Returns the
    last layer's output (N, M_L) as int64, or ``(out, [h_1, ..., h_L])`` with
    ``return_hidden``.
    """
    h = as_array(X, "X", ndim=2, spec="(N, D)")
    if not isinstance(layers, (list, tuple)) or not layers:
        raise TypeError("layers must be a non-empty list of (w, b) pairs")
    hidden = []
    for l, layer in enumerate(layers, start=1):
        if not (isinstance(layer, (list, tuple)) and len(layer) == 2):
            raise TypeError(f"layers[{l - 1}] must be a (w, b) pair; got {layer!r}")
        w = as_array(layer[0], f"w{l}", ndim=2, spec="(M, D)")
        b = as_array(layer[1], f"b{l}", ndim=1, spec="(M,)")
        check_shapes("threshold_net_forward", **{f"h{l - 1}": (h, "N D"), f"w{l}": (w, "M D"),
                                                 f"b{l}": (b, "M")})
        h = np.asarray(step(linear_forward(h, w, b)[0]), dtype=np.int64).reshape(len(h), -1)
        hidden.append(h)
    return (h, hidden) if return_hidden else h


def xor_layers(output_weights=(1.0, -1.0), output_bias: float = -0.5) -> list:
    """The two-layer threshold net of lecture 5: hidden units OR and AND, then an output unit.

    Hidden layer: w1 = [[1, 1], [1, 1]], b1 = [-0.5, -1.5] (OR fires for x1 + x2 >= 0.5, AND
    for x1 + x2 >= 1.5, as in Dripta MJ, *Deep Learning: The Basics*).  Output:
    w2 = [output_weights] (1, 2), b2 = [output_bias] (1,); the defaults (1, -1), -0.5 compute XOR.
    Returns ``[(w1, b1), (w2, b2)]``.
    """
    w2 = as_array(output_weights, "output_weights", ndim=1, spec="(2,)")
    if w2.shape != (2,):
        raise ValueError(f"output_weights must be a pair (v_OR, v_AND), shape (2,); got shape "
                         f"{tuple(w2.shape)}")
    b2 = as_array(output_bias, "output_bias", ndim=0)
    w1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    b1 = np.array([-0.5, -1.5])
    return [(w1, b1), (w2[None, :].astype(float), b2.reshape(1).astype(float))]


def half_plane_layers(angles, offsets, groups=None) -> list:
    """Threshold layers whose output is 1 on an intersection, or a union of intersections.

    Layer 1: unit k fires on ``cos(t_k) x1 + sin(t_k) x2 >= d_k`` (angles t in degrees,
    offsets d, both (K,)).  With ``groups=None`` the output ANDs every unit (one hidden layer:
    a convex region).  With ``groups`` (a sequence of index lists), layer 2 ANDs each group
    and the output ORs the groups (two hidden layers: a union of convex regions).
    Returns a list of ``(w, b)`` pairs for ``threshold_net_forward``.
    """
    t = as_array(angles, "angles", ndim=1, spec="(K,)")
    d = as_array(offsets, "offsets", ndim=1, spec="(K,)")
    check_shapes("half_plane_layers", angles=(t, "K"), offsets=(d, "K"))
    k = t.size
    if k == 0:
        raise ValueError("angles must hold at least one half-plane")
    rad = np.radians(t)
    first = (np.stack([np.cos(rad), np.sin(rad)], axis=1), -d)
    if groups is None:
        return [first, (np.ones((1, k)), np.array([0.5 - k]))]
    groups = [list(g) for g in groups]
    if not groups:
        raise ValueError("groups must hold at least one group of half-plane indices")
    w2 = np.zeros((len(groups), k))
    for g, members in enumerate(groups):
        if not members or any(isinstance(i, bool) or not isinstance(i, (int, np.integer))
                              or not 0 <= i < k for i in members):
            raise ValueError(f"groups[{g}] must be a non-empty list of half-plane indices in "
                             f"[0, {k}); got {members}")
        w2[g, members] = 1.0
    b2 = 0.5 - w2.sum(axis=1)
    return [first, (w2, b2), (np.ones((1, len(groups))), np.array([-0.5]))]
