"""Shared pieces of the neuron widgets: the 16 two-input functions and the perceptron trace.

Shapes: X (N, D) points (D includes the constant-1 feature when a bias is learned), y (N,)
labels in {-1, +1}, w (D,).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ... import neurons

# Function k of two inputs has truth column y_r = bit r of k, rows r in binary order
# (0,0), (0,1), (1,0), (1,1); so AND = 8 (only (1,1)) and XOR = 6.
FUNCTION_NAMES_2 = ("FALSE", "NOR", "¬x1∧x2", "¬x1", "x1∧¬x2", "¬x2", "XOR", "NAND",
                    "AND", "XNOR", "x2", "¬x1∨x2", "x1", "x1∨¬x2", "OR", "TRUE")
CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def function_index(y) -> int:
    """Index k of the two-input function with truth column ``y`` (4,): ``k = sum_r y_r 2^r``."""
    return int(np.dot(np.asarray(y, dtype=int), 1 << np.arange(4)))


def truth_column(k: int) -> np.ndarray:
    """Outputs (4,) of two-input function k on the corners in binary order."""
    return (k >> np.arange(4)) & 1


def threshold_witness(y):
    """Weights and threshold ``(w1, w2, theta)`` of a unit ``step(w . x - theta)`` computing ``y``.

    Searches w in {-1, 0, 1}^2 and theta in {-1, 0, 1, 2}, which holds a witness for every
    two-input function that one threshold unit can compute; returns None for the others (XOR
    and XNOR, whose 1s no line separates from their 0s).  y: (4,) in {0, 1}.
    """
    y = np.asarray(y, dtype=int)
    for theta in (1, 2, 0, -1):
        for w1 in (1, 0, -1):
            for w2 in (1, 0, -1):
                out = neurons.step(CORNERS @ np.array([w1, w2]) - theta)
                if np.array_equal(out, y):
                    return float(w1), float(w2), float(theta)
    return None


REALISABLE_2 = tuple(threshold_witness(truth_column(k)) is not None for k in range(16))


def fmt_vec(v) -> str:
    """``(1, -0.5)``: a short vector for readouts (3 significant digits)."""
    return "(" + ", ".join(f"{float(c) + 0.0:.3g}" for c in np.ravel(v)) + ")"


class TraceRow(NamedTuple):
    """One visit of the perceptron: ``w_new = w_old + y x 1[y != y_hat]``, y_hat from ``score``."""

    t: int
    epoch: int
    index: int
    x: np.ndarray
    y: int
    score: float
    y_hat: int
    mistake: bool
    w_old: np.ndarray
    w_new: np.ndarray


def perceptron_trace(X, y, max_epochs: int = 10, sign_zero: int = 1, w0=None):
    """Every visit of the perceptron over ``max_epochs`` epochs (stops after an error-free one).

    sign_zero=1 is the course rule (``neurons.sign_pm``, ``neurons.perceptron_step``);
    sign_zero=0 uses ``np.sign``, whose 0 on the boundary never equals a label, so a point
    with ``w . x = 0`` is always a mistake.  X: (N, D), y: (N,) in {-1, +1}, w0: (D,).
    Returns a list of ``TraceRow``.
    """
    w = np.zeros(X.shape[1]) if w0 is None else np.asarray(w0, dtype=float).copy()
    rows, t = [], 0
    for epoch in range(1, max_epochs + 1):
        mistakes = 0
        for i, (x, label) in enumerate(zip(X, y)):
            t += 1
            score = float(w @ x)
            if sign_zero == 1:
                y_hat = neurons.sign_pm(score)
                w_new = neurons.perceptron_step(w, x, label)
            else:
                y_hat = int(np.sign(score))
                w_new = w + label * x * (label != y_hat)
            wrong = bool(label != y_hat)
            mistakes += wrong
            rows.append(TraceRow(t, epoch, i, x, int(label), score, int(y_hat), wrong, w, w_new))
            w = w_new
        if mistakes == 0:
            break
    return rows


def errors_per_epoch(rows, upto: int | None = None) -> np.ndarray:
    """Mistakes in each epoch among the first ``upto`` rows (all rows by default)."""
    rows = rows if upto is None else rows[:upto]
    if not rows:
        return np.zeros(0, dtype=int)
    counts = np.zeros(rows[-1].epoch, dtype=int)
    for r in rows:
        counts[r.epoch - 1] += r.mistake
    return counts


def half_plane_polygon(w, c: float, xlim, ylim) -> np.ndarray:
    """Corners (k, 2) of the part of the box where ``w . x + c >= 0``; (0, 2) when it has no
    area.

    The box ``xlim x ylim`` is clipped by one half-plane (Sutherland-Hodgman): a polygon is
    drawn far faster than an image of the same region, and its edge is exact.  w: (2,).
    """
    box = np.array([[xlim[0], ylim[0]], [xlim[1], ylim[0]], [xlim[1], ylim[1]],
                    [xlim[0], ylim[1]]], dtype=float)
    f = box @ np.asarray(w, dtype=float) + float(c)
    out = []
    for k in range(4):
        p, q, fp, fq = box[k], box[(k + 1) % 4], f[k], f[(k + 1) % 4]
        if fp >= 0:
            out.append(p)
        if fp * fq < 0:
            out.append(p + (q - p) * (fp / (fp - fq)))
    poly = np.array(out).reshape(-1, 2)
    x, y = poly[:, 0], poly[:, 1]
    area = 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
    return poly if area > 1e-12 else np.empty((0, 2))
