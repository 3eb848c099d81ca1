"""Static plots for the sigmoid-neuron lecture: error surfaces, descent paths, fitted curves.

Shape legend::

    R   grid points per axis of a surface      S   steps of a path (a path has S + 1 rows)
    N   data points                            K   curves drawn in one plot

A point of the parameter plane is ``theta = (w, b)``: on every surface plot w runs along the
horizontal axis and b along the vertical one.  A window is ``(w_min, w_max, b_min, b_max)``.
``loss_fn(theta) -> float`` is evaluated once per grid point, so a plain Python function of
one point (the notebook's toy loss) works as it is.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._checks import as_array, check_choice, check_int
from ..optim.surfaces import loss_at, surface_grid
from .style import CMAP, CYCLE, PALETTE, axes_or_new

__all__ = ["loss_surface", "surface_views", "path_on_surface", "loss_by_step",
           "sigmoid_fits", "step_vs_sigmoid_plot"]


def _is_3d(ax) -> bool:
    return getattr(ax, "name", "") == "3d"


def loss_surface(loss_fn, window, ax=None, kind: str = "contour", *, resolution: int | None = None,
                 levels=20, grid=None, title: str = "Error surface L(w, b)",
                 labels=("w", "b"), colorbar: bool = True):
    """Draw ``L(w, b)`` over a window as filled contours (``kind="contour"``) or a 3-D surface.

    loss_fn: theta (2,) -> float (ignored when ``grid`` is given); window: (w_min, w_max, b_min,
    b_max); ax: an Axes (a 3-D one for ``kind="3d"``) or None for a new figure; resolution: R
    grid points per axis (81 for contours, 41 for 3-D); levels: number of contour levels or
    their values; grid: (W, B, Z) from ``surface_grid`` to reuse.  Returns the Axes.
    """
    import matplotlib.pyplot as plt

    check_choice(kind, "kind", ("contour", "3d"))
    if ax is None:
        if kind == "3d":
            ax = plt.figure(figsize=(6.0, 4.6), layout="constrained").add_subplot(
                projection="3d")
        else:
            _, ax = plt.subplots(figsize=(5.6, 4.6), layout="constrained")
    elif kind == "3d" and not _is_3d(ax):
        raise ValueError("kind='3d' needs a 3-D Axes, e.g. fig.add_subplot(projection='3d'); "
                         "got a 2-D Axes")
    elif kind == "contour" and _is_3d(ax):
        raise ValueError("kind='contour' needs a 2-D Axes; got a 3-D Axes")
    if grid is None:
        grid = surface_grid(loss_fn, window, resolution or (81 if kind == "contour" else 41))
    W, B, Z = (np.asarray(a, dtype=float) for a in grid)
    if not (W.shape == B.shape == Z.shape and W.ndim == 2):
        raise ValueError(f"grid must be (W, B, Z), three arrays of the same shape (R, R); got "
                         f"shapes {W.shape}, {B.shape}, {Z.shape}")
    if kind == "contour":
        filled = ax.contourf(W, B, Z, levels=levels, cmap=CMAP)
        ax.contour(W, B, Z, levels=filled.levels, colors="white", linewidths=0.4, alpha=0.6)
        if colorbar:
            ax.figure.colorbar(filled, ax=ax, label="loss L")
        ax.set_aspect("auto")
    else:
        ax.plot_surface(W, B, Z, cmap=CMAP, linewidth=0, antialiased=True, alpha=0.85)
        ax.set_zlabel("loss L")
    ax.set_title(title)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    return ax


def surface_views(loss_fn, window, paths=None, *, resolution: int = 61,
                  title: str = "Error surface L(w, b)"):
    """A Figure with the surface twice: contours (left) and 3-D (right), paths drawn on both.

    loss_fn: theta (2,) -> float; window: (w_min, w_max, b_min, b_max); paths: None, one
    (S + 1, 2) array, or a dict label -> (S + 1, 2) array; resolution: R per axis.
    Returns the Figure (its axes: contour, colorbar, 3-D).
    """
    import matplotlib.pyplot as plt

    grid = surface_grid(loss_fn, window, resolution)
    fig = plt.figure(figsize=(11.0, 4.4), layout="constrained")
    ax = fig.add_subplot(1, 2, 1)
    ax3 = fig.add_subplot(1, 2, 2, projection="3d")
    loss_surface(loss_fn, window, ax, grid=grid, title=f"{title}: contours")
    half = tuple(a[::2, ::2] for a in grid)
    loss_surface(loss_fn, window, ax3, kind="3d", grid=half, title=f"{title} in 3-D")
    runs = {} if paths is None else (paths if isinstance(paths, dict) else {"path": paths})
    for k, (name, path) in enumerate(runs.items()):
        color = CYCLE[(k + 3) % len(CYCLE)]
        path_on_surface(path, ax, label=str(name), color=color)
        path_on_surface(path, ax3, loss_fn=loss_fn, label=None, color=color)
    return fig


def path_on_surface(path, ax, loss_fn=None, *, label: str | None = "gradient descent",
                    color: str | None = None, every: int = 1, markersize: float = 3.0):
    """Draw a parameter path ``theta_0, ..., theta_S`` on a contour or 3-D surface plot.

    path: (S + 1, 2) rows (w, b), e.g. from ``optim.trajectory``; rows holding NaN (a diverged
    run) are left out.  ax: the Axes of ``loss_surface``; a 3-D Axes needs ``loss_fn`` for the
    heights.  every: draw every k-th point (the start and end are always drawn).
    Returns the Axes.
    """
    path = as_array(path, "path", ndim=2, finite=False, spec="(S + 1, 2)")
    if path.shape[1] != 2 or path.shape[0] == 0:
        raise ValueError(f"path must have shape (S + 1, 2) with rows (w, b); got shape "
                         f"{path.shape}")
    every = check_int(every, "every", minimum=1)
    keep = np.all(np.isfinite(path), axis=1)
    pts = path[keep]
    idx = sorted(set(range(0, len(pts), every)) | {len(pts) - 1}) if len(pts) else []
    pts = pts[idx]
    color = color or PALETTE["vermillion"]
    if _is_3d(ax):
        if loss_fn is None:
            raise ValueError("a path on a 3-D surface needs loss_fn for its heights")
        z = np.array([loss_at(loss_fn, p) for p in pts])
        ax.plot(pts[:, 0], pts[:, 1], z, "-o", color=color, markersize=markersize, label=label,
                zorder=5)
        if len(pts):
            ax.scatter([pts[0, 0]], [pts[0, 1]], [z[0]], color=PALETTE["black"], s=30, zorder=6)
    else:
        seen = set(ax.get_legend_handles_labels()[1])
        ax.plot(pts[:, 0], pts[:, 1], "-o", color=color, markersize=markersize, label=label)
        if len(pts):
            ax.plot(pts[0, 0], pts[0, 1], "o", color=PALETTE["black"], markersize=7,
                    label=None if "start" in seen else "start")
            ax.plot(pts[-1, 0], pts[-1, 1], "*", color=PALETTE["yellow"], markersize=12,
                    markeredgecolor=PALETTE["black"], label=None if "end" in seen else "end")
    if label:
        ax.legend(loc="upper right", fontsize="small")
    return ax


def loss_by_step(losses, ax=None, *, title: str = "Loss during gradient descent",
                 logy: bool = False, marks=(), colors=None):
    """Plot loss against step for one run (an array) or several (a dict label -> array).

    losses: (S + 1,) or {label: (S_k + 1,)}; marks: step numbers to highlight with dots;
    colors: one colour per run (default: the course cycle).  Returns the Axes.
    """

    ax = axes_or_new(ax, (6.0, 3.6))
    runs = losses if isinstance(losses, dict) else {"loss": losses}
    colors = list(colors) if colors is not None else [CYCLE[k % len(CYCLE)]
                                                      for k in range(len(runs))]
    if len(colors) < len(runs):
        raise ValueError(f"colors must give one colour per run ({len(runs)}); got "
                         f"{len(colors)}")
    for k, (name, values) in enumerate(runs.items()):
        values = as_array(values, f"losses[{name!r}]", ndim=1, finite=False, spec="(S + 1,)")
        steps = np.arange(values.size)
        ax.plot(steps, values, color=colors[k], label=str(name))
        for m in marks:
            m = check_int(m, "marks", minimum=0)
            if m < values.size:
                ax.plot(m, values[m], "o", color=colors[k])
    if logy:
        ax.set_yscale("log")
    if isinstance(losses, dict):
        ax.legend(fontsize="small")
    ax.set_title(title)
    ax.set_xlabel("step t")
    ax.set_ylabel("loss L")
    return ax


def sigmoid_fits(X, Y, params, ax=None, *, x_range=(-2.0, 5.0),
                 title: str = "Sigmoid fits to the two points"):
    """Plot the data and ``sigma(w x + b)`` for each ``(w, b)`` in ``params``.

    X, Y: (N,) data; params: K pairs (w, b) (a dict label -> (w, b) sets the legend).
    Returns the Axes.
    """

    from ..neurons import sigmoid_neuron

    X = as_array(X, "X", ndim=1, spec="(N,)")
    Y = as_array(Y, "Y", ndim=1, spec="(N,)")
    if X.shape != Y.shape:
        raise ValueError(f"Y must have the shape of X {X.shape}; got {Y.shape}")
    ax = axes_or_new(ax, (6.0, 3.8))
    items = params.items() if isinstance(params, dict) else (
        (f"w = {w:g}, b = {b:g}", (w, b)) for w, b in params)
    xs = np.linspace(*x_range, 301)
    for k, (name, (w, b)) in enumerate(items):
        ax.plot(xs, sigmoid_neuron(xs, float(w), float(b)), color=CYCLE[k % len(CYCLE)],
                label=str(name))
    ax.scatter(X, Y, s=60, color=PALETTE["black"], zorder=5, label="data (x_i, y_i)")
    ax.set_ylim(-0.05, 1.05)
    ax.legend(fontsize="small")
    ax.set_title(title)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x) = σ(w x + b)")
    return ax


def step_vs_sigmoid_plot(w0: float = -0.5, w1: float = 1.0, ax=None, *, marks=(0.49, 0.51)):
    """Plot the step ``1[w1 x + w0 >= 0]`` and the sigmoid ``sigma(w1 x + w0)`` on [0, 1].

    w0: bias, w1: weight (real numbers); marks: inputs to highlight on both curves.
    Returns the Axes.
    """

    from ..neurons import sigmoid_neuron, step

    for v, name in ((w0, "w0"), (w1, "w1")):
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not np.isfinite(v):
            raise TypeError(f"{name} must be a finite real number; got {v!r}")
    marks = as_array(marks, "marks", ndim=1, spec="(K,)")
    ax = axes_or_new(ax, (6.0, 3.6))
    xs = np.linspace(0.0, 1.0, 1001)
    ax.plot(xs, step(w1 * xs + w0), color=PALETTE["blue"], label="perceptron (step)")
    ax.plot(xs, sigmoid_neuron(xs, float(w1), float(w0)), color=PALETTE["orange"],
            label="sigmoid neuron σ")
    ax.scatter(marks, step(w1 * marks + w0), color=PALETTE["blue"], zorder=5)
    ax.scatter(marks, sigmoid_neuron(marks, float(w1), float(w0)), color=PALETTE["orange"],
               zorder=5)
    ax.set_ylim(-0.05, 1.05)
    ax.legend(fontsize="small", loc="upper left")
    ax.set_title(f"Step vs sigmoid, w0 = {w0:g}, w1 = {w1:g}")
    ax.set_xlabel("criticsRating x")
    ax.set_ylabel("output")
    return ax
