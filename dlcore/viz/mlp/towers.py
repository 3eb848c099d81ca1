"""Plots of sigmoid steps and towers (lecture 5): a 1-2-1 net with two plateaus, sums of towers.

Shape legend: N points x; a net with 2n hidden sigmoid units has w1 (2n, 1), b1 (2n,),
w2 (1, 2n), b2 (1,) in PyTorch layout.

``nn.tower_weights(a, b, c, k, m)`` gives the 1-2-1 net of the two-step regression example in
Dripta MJ, *Deep Learning: The Basics*, whose output climbs from b to a and then to a + c - b
(the top plateau is not c).  A tower ``s(k (x - l)) - s(k (x - r))`` is that net with
(a, b, c) = (h, 0, -h); n towers side by side approximate a function the way a bar chart does,
which is the constructive idea behind the universal approximation theorem.  The nets come from
``dlcore.nn`` (``tower_weights``, ``tower_sum_weights``, ``tower_mlp``, ``tower_units``); these
functions draw them.
"""

from __future__ import annotations

import numpy as np

from ..._checks import as_array
from ...nn import tower_mlp, tower_sum_weights, tower_units, tower_weights

__all__ = ["plot_towers", "plot_tower_approximation"]


def plot_towers(a=3.0, b=1.0, c=2.0, k=10.0, m=(-1.0, 1.0), x=None, ax=None):
    """The 1-2-1 sigmoid net of ``nn.tower_weights(a, b, c, k, m)``, its two steps and plateaus.

    Draws y_hat(x) (computed by the loaded ``nn.MLP``), each hidden unit's contribution on top
    of b (dashed), the plateaus b, a and a + c - b (dotted) and the level c that the formula
    seems to promise.  ``x`` (N,) defaults to 400 points around the steps.  Returns the Axes.
    """
    from matplotlib.figure import Figure

    from ..style import PALETTE

    weights = tower_weights(a, b, c, k, m)  # also checks m: a pair (m1, m2)
    m1, m2 = (float(v) for v in np.asarray(m, dtype=float))
    if x is None:
        span = max(abs(m2 - m1), 1.0)
        x = np.linspace(min(m1, m2) - span, max(m1, m2) + span, 400)
    x = as_array(x, "x", ndim=1, spec="(N,)")
    y_hat = tower_mlp(*weights)(x[:, None])[:, 0]
    units = tower_units(*weights, x)
    if ax is None:
        ax = Figure(figsize=(6.4, 3.8), layout="constrained").add_subplot()
    ax.plot(x, y_hat, color=PALETTE["blue"], lw=2.2, label="network output y_hat(x)")
    ax.plot(x, b + units[:, 0], "--", color=PALETTE["orange"],
            label=f"b + (a - b) s(k (x - m1)), m1 = {m1:g}")
    ax.plot(x, b + units[:, 1], "--", color=PALETTE["green"],
            label=f"b + (c - b) s(k (x - m2)), m2 = {m2:g}")
    top = float(a) + float(c) - float(b)
    for level, name in ((b, "b"), (a, "a"), (top, "a + c - b")):
        ax.axhline(level, ls=":", color=PALETTE["grey"], lw=1)
        ax.annotate(f"{name} = {level:g}", (x[-1], level), ha="right", va="bottom", fontsize=8)
    ax.axhline(c, ls="-.", color=PALETTE["vermillion"], lw=1,
               label=f"c = {c:g} (not a plateau unless b = a)")
    ax.set_title(f"Two sigmoid steps: a = {a:g}, b = {b:g}, c = {c:g}, k = {k}")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(fontsize=7, loc="upper left")
    return ax


def plot_tower_approximation(fn=np.sin, n_towers: int = 8, k: float = 50.0, lo: float = 0.0,
                             hi: float = 2 * np.pi, name: str = "sin x", ax=None):
    """``fn`` on [lo, hi], its sum of ``n_towers`` sigmoid towers and the largest error.

    The approximation is the output of ``nn.MLP([1, 2n, 1], activation="sigmoid")`` loaded with
    ``tower_sum_weights``.  Returns the Axes; the title reports max |y_hat - f| on [lo, hi].
    """
    from matplotlib.figure import Figure

    from ..style import PALETTE

    weights = tower_sum_weights(fn, n_towers, k, lo, hi)
    x = np.linspace(lo, hi, 600)
    y_hat = tower_mlp(*weights)(x[:, None])[:, 0]
    err = np.max(np.abs(y_hat - fn(x)))
    if ax is None:
        ax = Figure(figsize=(6.4, 3.8), layout="constrained").add_subplot()
    ax.plot(x, fn(x), color=PALETTE["black"], lw=1.2, label=name)
    ax.plot(x, y_hat, color=PALETTE["blue"], lw=2, label=f"sum of {n_towers} towers")
    ax.set_title(f"{n_towers} towers (k = {k:g}, {2 * n_towers} hidden units): "
                 f"max error {err:.3f}")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(fontsize=8)
    return ax
