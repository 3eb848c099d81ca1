"""Diagrams of fully connected networks: one circle per neuron, one line per weight.

Shape legend: ``sizes = [n_0, n_1, ..., n_L]`` layer widths (n_0 inputs); positions are (x, y)
with layer l at x = l.

Bias nodes (small squares, one per layer that feeds another) and their dashed edges make the
difference between weights and parameters visible: ``sum_l n_{l-1} n_l`` solid lines and
``sum_l n_l`` dashed ones.
"""

from __future__ import annotations

import numpy as np

from ...counting import mlp_counts
from ..style import PALETTE

__all__ = ["mlp_layout", "mlp_colours", "mlp_title", "mlp_artists", "update_mlp_artists",
           "draw_mlp"]


def mlp_layout(sizes, bias: bool = True) -> dict:
    """Positions of a diagram of the network ``sizes``.

    Returns ``{"neurons": [(n_l, 2) arrays], "edges": (E, 2, 2) segments, "edge_index": [(l, j,
    i)] (edge into unit j of layer l from unit i of layer l - 1, 1-based l), "bias": (B, 2)
    bias-node positions, "bias_edges": (n_1 + ... + n_L, 2, 2)}``.
    """
    counts = mlp_counts(sizes)  # validates sizes
    del counts
    sizes = [int(n) for n in sizes]
    neurons = [np.stack([np.full(n, float(l)), (n - 1) / 2 - np.arange(n)], axis=1)
               for l, n in enumerate(sizes)]
    edges, index = [], []
    for l in range(1, len(sizes)):
        for j, p in enumerate(neurons[l]):
            for i, q in enumerate(neurons[l - 1]):
                edges.append((q, p))
                index.append((l, j, i))
    bias_pos, bias_edges = [], []
    if bias:
        bottom = min(pos[:, 1].min() for pos in neurons) - 1.0
        for l in range(1, len(sizes)):
            b = np.array([l - 1 + 0.35, bottom])
            bias_pos.append(b)
            bias_edges.extend((b, p) for p in neurons[l])
    return {"neurons": neurons, "edges": np.array(edges).reshape(-1, 2, 2),
            "edge_index": index, "bias": np.array(bias_pos).reshape(-1, 2),
            "bias_edges": np.array(bias_edges).reshape(-1, 2, 2)}


def mlp_colours(sizes) -> list:
    """One face colour per neuron, layer by layer: inputs sky blue, hidden orange, outputs green."""
    cols = []
    for l, n in enumerate(sizes):
        role = "sky" if l == 0 else ("green" if l == len(sizes) - 1 else "orange")
        cols.extend([PALETTE[role]] * n)
    return cols


def mlp_title(sizes) -> str:
    """The diagram's title: "2-3-1 network: 4 neurons, 9 weights, 13 parameters"."""
    c = mlp_counts(sizes)
    return (f"{'-'.join(map(str, sizes))} network: {c.neurons} neurons, {c.weights} weights, "
            f"{c.parameters} parameters")


def mlp_artists(ax, sizes, bias: bool = True) -> dict:
    """Create the artists of a diagram on ``ax`` once; ``update_mlp_artists`` moves them in place.

    Returns ``{"edges", "bias_edges", "neurons", "bias"}`` (two line collections, two scatters),
    already laid out for ``sizes``; a widget keeps them and updates them on every change.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    arts = {
        "edges": LineCollection([], colors=PALETTE["grey"], linewidths=0.9, zorder=1),
        "bias_edges": LineCollection([], colors=PALETTE["grey"], linewidths=0.8,
                                     linestyles="dashed", zorder=1),
    }
    ax.add_collection(arts["edges"])
    ax.add_collection(arts["bias_edges"])
    arts["neurons"] = ax.scatter([], [], s=260, edgecolors="black", zorder=3)
    arts["bias"] = ax.scatter([], [], s=90, marker="s", c=PALETTE["grey"], edgecolors="black",
                              zorder=3)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_yticks([])
    ax.set_xlabel("layer")
    ax.set_ylabel("units of each layer")
    ax.legend(handles=[
        Line2D([], [], ls="", marker="o", ms=9, mfc=PALETTE[c], mec="black", label=name)
        for c, name in (("sky", "input"), ("orange", "hidden neuron"), ("green", "output neuron"))
    ] + [Line2D([], [], ls="", marker="s", ms=7, mfc=PALETTE["grey"], mec="black",
                label="bias (constant 1)")], loc="upper right", fontsize=8, framealpha=0.9)
    update_mlp_artists(ax, arts, sizes, bias)
    return arts


def update_mlp_artists(ax, arts, sizes, bias: bool = True) -> None:
    """Lay the artists of ``mlp_artists`` out for ``sizes``: positions, colours, limits, title."""
    lay = mlp_layout(sizes, bias)
    pts = np.concatenate(lay["neurons"])
    arts["edges"].set_segments(list(lay["edges"]))
    arts["bias_edges"].set_segments(list(lay["bias_edges"]))
    arts["neurons"].set_offsets(pts)
    arts["neurons"].set_facecolors(mlp_colours(sizes))
    arts["bias"].set_offsets(lay["bias"] if len(lay["bias"]) else np.empty((0, 2)))
    allpts = np.concatenate([pts, lay["bias"]]) if len(lay["bias"]) else pts
    ax.set_xlim(-0.5, len(sizes) - 0.5 + 0.9)
    n = len(sizes)
    ax.set_xticks(range(n), ["input"] + [f"hidden {l}" for l in range(1, n - 1)] + ["output"])
    ax.set_ylim(allpts[:, 1].min() - 0.7, allpts[:, 1].max() + 0.7)
    ax.set_title(mlp_title(sizes))


def draw_mlp(sizes, ax=None, bias: bool = True):
    """Diagram of the fully connected network ``sizes`` with its counts in the title.

    Neurons are circles (inputs sky blue, hidden orange, outputs green), weights solid lines,
    biases dashed lines from grey squares.  Returns the Axes.
    """
    from matplotlib.figure import Figure

    if ax is None:
        ax = Figure(figsize=(6.4, 4.0), layout="constrained").add_subplot()
    mlp_artists(ax, sizes, bias)
    return ax
