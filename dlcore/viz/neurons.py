"""Static plots for lectures 1-3: history, threshold units on the unit square, the perceptron.

Shape legend::

    N   number of points        D   weights: 2 (a line through the origin) or 3 (w1, w2, bias)

Every function takes ``ax=None`` (a new pyplot figure is made when it is None, so it shows
inline in a notebook) and returns the Axes; none calls ``plt.show()``.
Colours: positive class / unit fires in blue, negative class / silent in vermillion, with
different markers as well, so the plots read without colour.  The lecture 1 plots (timeline,
ILSVRC) live here too: lectures 1-3 share this plotting module.
"""

from __future__ import annotations

import numpy as np

from .._checks import as_array, check_shapes
from .style import CYCLE, PALETTE, axes_or_new

__all__ = ["plot_timeline", "timeline_positions", "plot_ilsvrc_results", "set_depth_axis",
           "plot_unit_square", "plot_perceptron", "plot_errors_per_epoch", "boundary_segment"]

POS, NEG = PALETTE["blue"], PALETTE["vermillion"]



def boundary_segment(w, b: float = 0.0, xlim=(-1.0, 1.0), ylim=(-1.0, 1.0)):
    """Two points on the line ``w1 x1 + w2 x2 + b = 0`` spanning the box; empty if w = 0.

    w: (2,).  Returns xs (k,), ys (k,) with k = 2, or k = 0 when the line does not exist.
    Points may lie outside the box (the axes clip them).
    """
    w = as_array(w, "w", ndim=1, spec="(2,)")
    check_shapes("boundary_segment", w=(w, "2"))
    w1, w2 = w
    if abs(w1) < 1e-12 and abs(w2) < 1e-12:
        return np.empty(0), np.empty(0)
    if abs(w2) >= abs(w1):
        xs = np.array(xlim, dtype=float)
        return xs, -(w1 * xs + b) / w2
    ys = np.array(ylim, dtype=float)
    return -(w2 * ys + b) / w1, ys


def timeline_positions(records) -> np.ndarray:
    """(year, row) of each record: row = theme index, spread a little when a theme has several
    records in the same year so that their markers do not hide each other.  Returns (R, 2)."""
    from ..data.history import THEMES

    seen: dict = {}
    pos = []
    for r in records:
        k = seen.get((r.year, r.theme), 0)
        seen[(r.year, r.theme)] = k + 1
        offset = 0.17 * ((k + 1) // 2) * (1 if k % 2 else -1)  # 0, +, -, ++, ...
        pos.append((r.year, THEMES.index(r.theme) + offset))
    return np.array(pos, dtype=float).reshape(-1, 2)


def plot_timeline(records=None, ax=None):
    """Milestones by year (x) and theme (rows), one colour per theme.

    records: a list of ``dlcore.data.history.Milestone`` (default: the whole timeline).
    """
    from ..data.history import THEMES, timeline

    records = timeline() if records is None else list(records)
    pos = timeline_positions(records)
    ax = axes_or_new(ax, figsize=(8.0, 3.8))
    for k, theme in enumerate(THEMES):
        colour = CYCLE[k % len(CYCLE)]
        sel = [j for j, r in enumerate(records) if r.theme == theme]
        ax.scatter(pos[sel, 0], pos[sel, 1], s=45, marker="o", color=colour)
    ax.set_yticks(range(len(THEMES)), THEMES)
    ax.set_ylim(-0.7, len(THEMES) - 0.3)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("Milestones of neural-network history, by theme")
    ax.set_xlabel("year")
    ax.set_ylabel("theme")
    return ax


def plot_ilsvrc_results(results=None, ax=None, log_depth: bool = True):
    """ILSVRC top-5 error (%) against depth (layers), one labelled point per network.

    results: a list of ``dlcore.data.history.ILSVRCResult`` (default: Khapra's table).
    """
    from ..data.history import ilsvrc_results

    results = ilsvrc_results() if results is None else list(results)
    ax = axes_or_new(ax, (5.0, 4.0))
    depth = [r.layers for r in results]
    error = [r.top5_error for r in results]
    ax.plot(depth, error, color=PALETTE["grey"], lw=1, zorder=1)
    ax.scatter(depth, error, c=[CYCLE[k % len(CYCLE)] for k in range(len(results))], s=60,
               zorder=2)
    for k, r in enumerate(results):  # labels alternate above and below their points
        ax.annotate(f"{r.network} ({r.year})\n{r.top5_error:.1f}%", (r.layers, r.top5_error),
                    textcoords="offset points", xytext=(7, 4 if k % 2 == 0 else -26),
                    fontsize="small")
    if log_depth:
        set_depth_axis(ax, log=True)
    ax.set_ylim(0, max(error) * 1.25)
    ax.set_xlim(min(depth) / 1.5 if log_depth else 0, max(depth) * (2.2 if log_depth else 1.2))
    ax.set_title("ILSVRC top-5 error against depth")
    ax.set_xlabel("depth (layers" + (", log scale)" if log_depth else ")"))
    ax.set_ylabel("top-5 error (%)")
    return ax


def _linear_form(w) -> str:
    """``w1 x1 + w2 x2`` in LaTeX, dropping unit and zero coefficients: ``x_1 - 2x_2``."""
    terms = []
    for i, c in enumerate(w, start=1):
        if c == 0:
            continue
        mag = "" if abs(c) == 1 else f"{abs(c):g}"
        sign = "-" if c < 0 else ("+" if terms else "")
        terms.append(f"{sign} {mag}x_{i}".strip() if terms else f"{sign}{mag}x_{i}")
    return " ".join(terms) if terms else "0"


def set_depth_axis(ax, log: bool = True) -> None:
    """Depth axis in layers: log scale with plain tick labels (8, 20, 50, 150), or linear."""
    if log:
        ax.set_xscale("log")
        ax.set_xticks([8, 20, 50, 150], ["8", "20", "50", "150"])
        ax.xaxis.set_minor_formatter("")
    else:
        ax.set_xscale("linear")
        ax.set_xticks([0, 25, 50, 75, 100, 125, 150], ["0", "25", "50", "75", "100", "125",
                                                       "150"])


def plot_unit_square(y, w=None, theta=None, ax=None, title: str | None = None):
    """The four corners of {0,1}^2 coloured by target ``y``, and the line ``w . x = theta``.

    y: (4,) target outputs in {0, 1} for the corners in binary order (0,0), (0,1), (1,0),
    (1,1), or a Boolean function name ("AND", "XOR"...).  w: (2,) weights and theta: the
    threshold of a unit that fires when ``w1 x1 + w2 x2 >= theta`` (optional; the fire
    region is shaded).
    """
    from ..data.tables import boolean_table

    name = None
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    if isinstance(y, str):
        name = y.upper()
        _, y = boolean_table(name)
    y = as_array(y, "y", ndim=1, spec="(4,)")
    check_shapes("plot_unit_square", y=(y, "4"))
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold four outputs in {0, 1}")
    ax = axes_or_new(ax, figsize=(4.0, 4.4))
    lim, top = (-0.5, 1.5), 2.2  # room above the square for the legend
    if w is not None:
        if theta is None:
            raise ValueError("plot_unit_square: give theta together with w")
        w = as_array(w, "w", ndim=1, spec="(2,)")
        check_shapes("plot_unit_square", w=(w, "2"))
        gx, gy = np.linspace(*lim, 121), np.linspace(lim[0], top, 151)
        fires = (w[0] * gx[None, :] + w[1] * gy[:, None] >= theta).astype(float)
        ax.contourf(gx, gy, fires, levels=[-0.5, 0.5, 1.5], colors=[NEG, POS], alpha=0.15)
        xs, ys = boundary_segment(w, -float(theta), lim, (lim[0], top))
        ax.plot(xs, ys, color=PALETTE["black"], lw=2,
                label=f"${_linear_form(w)} = {float(theta):g}$")
    on, off = y == 1, y == 0
    ax.scatter(X[on, 0], X[on, 1], s=140, marker="o", color=POS, label="target 1", zorder=3)
    ax.scatter(X[off, 0], X[off, 1], s=140, marker="s", facecolors="none", edgecolors=NEG,
               linewidths=2, label="target 0", zorder=3)
    ax.set_xlim(*lim)
    ax.set_ylim(lim[0], top)
    ax.set_aspect("equal")
    ax.legend(loc="upper center", fontsize="small", ncol=2)
    ax.set_title(title or (f"{name} on the unit square" if name else "Targets on the unit square"))
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


def plot_perceptron(X, y, w, ax=None, title: str = "Perceptron decision boundary"):
    """Points by label, the boundary ``w . x = 0`` and the weight vector as an arrow.

    X: (N, 2) points (without the bias feature).  y: (N,) labels in {-1, +1}.
    w: (2,) for a line through the origin, or (3,) = (w1, w2, bias) for a model trained on
    X with a constant-1 feature appended.
    """
    X = as_array(X, "X", ndim=2, spec="(N, 2)")
    y = as_array(y, "y", ndim=1, spec="(N,)")
    w = as_array(w, "w", ndim=1, spec="(2,) or (3,)")
    check_shapes("plot_perceptron", X=(X, "N 2"), y=(y, "N"))
    if w.shape[0] not in (2, 3):
        raise ValueError(f"w must have shape (2,) or (3,) (w1, w2[, bias]); got {w.shape}")
    ax = axes_or_new(ax, (5.0, 4.0))
    pad = 0.5
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    b = float(w[2]) if w.shape[0] == 3 else 0.0
    pos, neg = y > 0, y <= 0
    ax.scatter(X[pos, 0], X[pos, 1], marker="o", color=POS, label="y = +1", zorder=3)
    ax.scatter(X[neg, 0], X[neg, 1], marker="s", color=NEG, label="y = -1", zorder=3)
    xs, ys = boundary_segment(w[:2], b, (lo[0], hi[0]), (lo[1], hi[1]))
    ax.plot(xs, ys, color=PALETTE["black"], lw=2, label=r"boundary $w \cdot x = 0$")
    ax.annotate("", xy=(w[0], w[1]), xytext=(0, 0),
                arrowprops={"arrowstyle": "-|>", "color": PALETTE["green"], "lw": 2})
    ax.plot([], [], color=PALETTE["green"], lw=2, label="$(w_1, w_2)$")
    ax.set_xlim(min(lo[0], w[0] - pad, -pad), max(hi[0], w[0] + pad, pad))
    ax.set_ylim(min(lo[1], w[1] - pad, -pad), max(hi[1], w[1] + pad, pad))
    ax.set_aspect("equal", adjustable="box")
    ax.legend(loc="best", fontsize="small")
    ax.set_title(title)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


def plot_errors_per_epoch(errors, ax=None, label: str | None = None,
                          title: str = "Perceptron mistakes per epoch"):
    """Mistakes in each epoch, one marker per epoch (``train_perceptron(...).errors_per_epoch``).

    errors: (epochs,) non-negative counts.  Call again on the same ``ax`` to compare runs.
    """
    from matplotlib.ticker import MaxNLocator

    errors = as_array(errors, "errors", ndim=1, spec="(epochs,)")
    if errors.size and errors.min() < 0:
        raise ValueError("errors must be counts >= 0")
    ax = axes_or_new(ax, (5.0, 4.0))
    epochs = np.arange(1, errors.shape[0] + 1)
    ax.plot(epochs, errors, marker="o", label=label)
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if label:
        ax.legend(fontsize="small")
    ax.set_title(title)
    ax.set_xlabel("epoch")
    ax.set_ylabel("mistakes in the epoch")
    return ax
