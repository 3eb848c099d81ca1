"""What a network computes on the plane: XOR in input and hidden space, half-plane regions,
decision regions of a trained classifier.

Shape legend: N points, (N, 2) inputs; a grid of G x G points covers the plotted box.
"""

from __future__ import annotations

import numpy as np

from ..._checks import as_array, check_int
from ...neurons import threshold_net_forward
from ..style import CMAP, PALETTE

__all__ = ["plot_xor_spaces", "plot_half_planes", "plot_mlp_regions", "half_plane_segment",
           "region_grid"]


def region_grid(X, n: int = 150, margin: float = 0.4):
    """A G x G grid over the bounding box of X (N, 2) plus ``margin``.

    Returns ``(xx, yy, points)`` with xx, yy (G, G) and points (G*G, 2).
    """
    X = as_array(X, "X", ndim=2, spec="(N, 2)")
    n = check_int(n, "n", minimum=2)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def half_plane_segment(angle: float, offset: float, length: float = 20.0):
    """Two end points of the boundary ``cos(t) x1 + sin(t) x2 = d`` (t in degrees), centred on
    its point closest to the origin.  Returns ``(xs (2,), ys (2,))``."""
    t = np.radians(float(angle))
    n, u = np.array([np.cos(t), np.sin(t)]), np.array([-np.sin(t), np.cos(t)])
    p = float(offset) * n
    ends = np.stack([p - length / 2 * u, p + length / 2 * u])
    return ends[:, 0], ends[:, 1]


def _scatter_classes(ax, X, y, labels=("class 0", "class 1"), size=22):
    arts = []
    for cls, (colour, marker) in enumerate(((PALETTE["blue"], "o"), (PALETTE["orange"], "s"))):
        sel = y == cls
        arts.append(ax.scatter(X[sel, 0], X[sel, 1], s=size, c=colour, marker=marker,
                               edgecolors="black", linewidths=0.4, label=labels[cls], zorder=3))
    return arts


def plot_xor_spaces(layers=None, axes=None):
    """XOR through the threshold net ``layers`` (default ``xor_layers()``), in two panels.

    Left, input space: the four inputs coloured by the network's output, the OR and AND lines
    and the output's region.  Right, hidden space (h_OR, h_AND): the inputs moved by the hidden
    layer, and the output unit's line.  Returns the Figure.
    """
    from matplotlib.figure import Figure

    from ...neurons import xor_layers

    layers = xor_layers() if layers is None else layers
    if axes is None:
        fig = Figure(figsize=(9.0, 4.0), layout="constrained")
        axes = fig.subplots(1, 2)
    fig = axes[0].figure
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    out, (h, _) = threshold_net_forward(X, layers, return_hidden=True)
    xx, yy, grid = region_grid(X, 200, margin=0.5)

    def panel(ax, net, title, xlabel, ylabel):
        """The region where ``net`` outputs 1, on the square [-0.5, 1.5]^2."""
        ax.imshow(threshold_net_forward(grid, net)[:, 0].reshape(xx.shape), origin="lower",
                  extent=(xx.min(), xx.max(), yy.min(), yy.max()), cmap=CMAP, alpha=0.35,
                  vmin=0, vmax=1, aspect="auto")
        ax.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), title=title, xlabel=xlabel, ylabel=ylabel)

    ax = axes[0]
    panel(ax, layers, "Input space: output region (yellow = 1)", "x1", "x2")
    (w1, b1), (w2, b2) = layers[0], layers[1]
    x = np.array([-0.5, 1.5])
    for j, (name, colour) in enumerate((("OR unit", PALETTE["green"]),
                                        ("AND unit", PALETTE["purple"]))):
        ax.plot(x, -(w1[j, 0] * x + b1[j]) / w1[j, 1], color=colour, lw=2, label=name)
    _scatter_classes(ax, X, out[:, 0], ("output 0", "output 1"), size=70)
    ax.legend(fontsize=8, loc="upper right")
    ax = axes[1]
    panel(ax, layers[1:], "Hidden space (yellow = 1)", "h_OR", "h_AND")
    jitter = np.array([[-0.04, 0], [0.0, 0.04], [0.0, -0.04], [0.04, 0]])
    _scatter_classes(ax, h + jitter, out[:, 0], ("output 0", "output 1"), size=70)
    for (px, py), (a, b) in zip(h + jitter, X.astype(int)):
        ax.annotate(f"({a},{b})", (px, py), textcoords="offset points", xytext=(6, 6),
                    fontsize=8)
    ax.plot(x, -(w2[0, 0] * x + b2[0]) / w2[0, 1] if w2[0, 1] else np.full(2, np.nan),
            color=PALETTE["vermillion"], lw=2, label="output unit's line")
    ax.legend(fontsize=8, loc="upper left")
    return fig


def plot_half_planes(angles, offsets, groups=None, X=None, y=None, ax=None):
    """Half-planes (boundaries and the region a threshold net makes of them) over a data set.

    ``angles``, ``offsets`` (K,), ``groups`` as in ``half_plane_layers``; X (N, 2), y (N,) in
    {0, 1} (default: ``data.moons()``).  The title reports the accuracy of "inside the region
    = class 1".  Returns the Axes.
    """
    from matplotlib.figure import Figure

    from ...data import moons
    from ...neurons import half_plane_layers

    if X is None:
        X, y = moons()
    X = as_array(X, "X", ndim=2, spec="(N, 2)")
    y = np.asarray(y)
    layers = half_plane_layers(angles, offsets, groups)
    if ax is None:
        ax = Figure(figsize=(6.4, 4.2), layout="constrained").add_subplot()
    xx, yy, grid = region_grid(X, 200)
    region = threshold_net_forward(grid, layers)[:, 0].reshape(xx.shape)
    ax.imshow(region, origin="lower", extent=(xx.min(), xx.max(), yy.min(), yy.max()),
              cmap=CMAP, alpha=0.35, vmin=0, vmax=1, aspect="auto")
    for k, (t, d) in enumerate(zip(np.ravel(angles), np.ravel(offsets))):
        ax.plot(*half_plane_segment(t, d), color=PALETTE["grey"], lw=1.2,
                label="half-plane boundaries" if k == 0 else None)
    _scatter_classes(ax, X, y)
    acc = np.mean(threshold_net_forward(X, layers)[:, 0] == y)
    kind = "intersection" if groups is None else f"union of {len(groups)} intersections"
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    ax.set_title(f"{kind} of {len(np.ravel(angles))} half-planes: accuracy {acc:.1%}",
                 fontsize=10)
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.legend(fontsize=8, loc="upper right")
    return ax


def plot_mlp_regions(model, X, y, ax=None, n: int = 150, title: str | None = None):
    """Decision regions of a trained classifier ``model`` (a dlcore Module) over X (N, 2).

    Shades P(class 1) (softmax of two scores, or sigmoid of one) on a grid, draws the 0.5
    contour and the points (y (N,) in {0, 1}).  Returns the Axes.
    """
    from matplotlib.figure import Figure

    from ...activations import sigmoid, softmax
    from ...nn import accuracy, predict

    X = as_array(X, "X", ndim=2, spec="(N, 2)")
    y = np.asarray(y)
    xx, yy, grid = region_grid(X, n)
    scores = predict(model, grid, labels=False)
    p1 = softmax(scores, axis=1)[:, 1] if scores.ndim == 2 and scores.shape[1] == 2 else \
        sigmoid(scores.reshape(-1))
    p1 = p1.reshape(xx.shape)
    if ax is None:
        ax = Figure(figsize=(6.0, 4.2), layout="constrained").add_subplot()
    img = ax.imshow(p1, origin="lower", extent=(xx.min(), xx.max(), yy.min(), yy.max()),
                    cmap=CMAP, alpha=0.45, vmin=0, vmax=1, aspect="auto")
    ax.contour(xx, yy, p1, levels=[0.5], colors=PALETTE["black"], linewidths=1.2)
    ax.figure.colorbar(img, ax=ax, label="P(class 1)")
    _scatter_classes(ax, X, y)
    acc = accuracy(model, X, y)
    ax.set_title(title or f"Decision regions: training accuracy {acc:.0%}")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.legend(fontsize=8, loc="upper right")
    return ax
