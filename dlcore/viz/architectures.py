"""Plots for CNN architectures: connection graphs, the conv matrix, where parameters and compute
live, and receptive-field growth.

Shape legend: an n x n single-channel input (pixels numbered 1..n^2 row by row, as in the
slides), a KH x KW kernel, an output of H_out x W_out units (h11, h12, ... row by row); M is the
(H_out W_out, n^2) matrix of ``dlcore.conv.conv_as_matrix``.  Layer tables are
``dlcore.counting.Summary`` objects.

Every function takes ``ax=None`` (a new pyplot figure is made) and returns the Axes; none calls
``plt.show()``.
The widgets of ``dlcore.widgets.architectures`` draw with the same helpers and then move the
artists in place.  What is drawn is computed by ``dlcore.counting`` (``connections``,
``tie_pattern``, ``split_by_kind``, ``weighted_rows``) and ``dlcore.conv``.
"""

from __future__ import annotations

import numpy as np

from .. import conv as _conv
from .. import counting as _counting
from ..counting import connections, split_by_kind, tie_pattern, weighted_rows
from .style import CMAP, CYCLE, PALETTE, axes_or_new

__all__ = ["connectivity_graph", "conv_matrix_plot", "layer_share_bars", "conv_fc_split",
           "receptive_field_growth"]

KIND_COLOURS = {"Conv2d": PALETTE["blue"], "Linear": PALETTE["orange"]}
OTHER_COLOUR = PALETTE["green"]



def _label(ax, title, xlabel, ylabel):
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def node_positions(n_in: int, n_out: int):
    """(x, y) of n_in input nodes at x = 0 and n_out output nodes at x = 1, top to bottom."""
    def column(n, x):
        y = np.linspace(1, 0, n) if n > 1 else np.array([0.5])
        return np.column_stack([np.full(n, x), y])

    return column(n_in, 0.0), column(n_out, 1.0)


def edge_colours(mode: str, weight_ids, n_weights: int):
    """RGBA per edge: shared edges take the colour of their kernel cell (same colour = same
    weight); dense and local edges each have their own weight, drawn on the sequential map."""
    from matplotlib import colormaps
    from matplotlib.colors import to_rgba

    if mode == "shared":
        return np.array([to_rgba(CYCLE[int(i) % len(CYCLE)]) for i in weight_ids])
    cmap = colormaps[CMAP]
    return cmap(np.asarray(weight_ids) / max(n_weights - 1, 1), alpha=0.55)


def connectivity_graph(mode: str = "shared", input_size: int = 4, kernel_size: int = 2,
                       stride: int = 1, ax=None):
    """Draw the input pixels, the output units and every connection of ``connections(...)``.

    Inputs are numbered 1..n^2 (the slides' numbering), outputs h11, h12, ...; edges of the
    same colour share one weight.  Returns the Axes.
    """
    from matplotlib.collections import LineCollection

    ax = axes_or_new(ax, figsize=(4.2, 4.6))
    edges, ids, n_weights, out = connections(mode, input_size, kernel_size, stride)
    pin, pout = node_positions(input_size ** 2, out * out)
    segs = [(pin[a], pout[b]) for a, b in edges]
    ax.add_collection(LineCollection(segs, colors=edge_colours(mode, ids, n_weights),
                                     linewidths=1.2))
    ax.scatter(*pin.T, s=90, color=PALETTE["grey"], zorder=3)
    ax.scatter(*pout.T, s=90, color=PALETTE["black"], zorder=3)
    for k, (x, y) in enumerate(pin):
        ax.text(x - 0.06, y, str(k + 1), ha="right", va="center", fontsize=7)
    for k, (x, y) in enumerate(pout):
        ax.text(x + 0.06, y, f"h{k // out + 1}{k % out + 1}", ha="left", va="center",
                fontsize=7)
    ax.set_xlim(-0.3, 1.3)
    ax.set_ylim(-0.08, 1.08)
    ax.set_xticks([0, 1], ["input pixels", "output units"])
    ax.set_yticks([])
    _label(ax, f"{mode}: {n_weights:,} weights", "layer", "unit")
    return ax


def tie_colormap(n_cells: int):
    """A listed colormap: light grey for forced zeros, then one course colour per kernel cell."""
    from matplotlib.colors import ListedColormap

    colours = ["#EEEEEE"] + [CYCLE[i % len(CYCLE)] for i in range(n_cells)]
    return ListedColormap(colours)


def conv_matrix_plot(kernel, input_size: int = 4, stride: int = 1, annotate: bool = True,
                     ax=None):
    """The matrix M of a single-channel conv (``M @ x.ravel() = correlate2d(x, kernel).ravel()``).

    Colours show the tie pattern (same colour = same kernel weight, light grey = forced zero);
    with ``annotate`` the non-zero entries carry their values.  kernel (KH, KW).  Returns Axes.
    """
    kernel = np.asarray(kernel, dtype=float)
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be a 2-D array of shape (KH, KW); got shape "
                         f"{kernel.shape}")
    ax = axes_or_new(ax, figsize=(6.4, 3.6))
    m = _conv.conv_as_matrix(kernel[None, None], (1, input_size, input_size), stride=stride)
    ties = tie_pattern(kernel.shape, input_size, stride)
    ax.imshow(ties, cmap=tie_colormap(kernel.size), vmin=-0.5, vmax=kernel.size + 0.5,
              interpolation="nearest", aspect="auto")
    if annotate:
        for r, c in zip(*np.nonzero(ties)):
            ax.text(c, r, f"{m[r, c]:g}", ha="center", va="center", fontsize=7,
                    color="white")
    out = _conv.output_size(input_size, kernel.shape[0], stride)
    ax.set_xticks(range(input_size ** 2), [str(k + 1) for k in range(input_size ** 2)],
                  fontsize=7)
    ax.set_yticks(range(m.shape[0]), [f"h{k // out + 1}{k % out + 1}" for k in range(m.shape[0])],
                  fontsize=7)
    _label(ax, f"conv as a matrix: {m.size} entries, {np.count_nonzero(ties)} connected, "
               f"{kernel.size} distinct", "input pixel (column of M)", "output unit (row of M)")
    return ax


def share_bar_verts(values, total, height=0.8):
    """Rectangles (as vertex lists) of horizontal bars of ``100 * values / total`` percent,
    one per row from the top (row 0 at y = 0, increasing downward)."""
    verts = []
    for k, v in enumerate(values):
        w = 100.0 * v / total if total else 0.0
        y0, y1 = k - height / 2, k + height / 2
        verts.append([(0, y0), (w, y0), (w, y1), (0, y1)])
    return verts


def layer_share_bars(summary, ax=None):
    """Per-layer share of the parameters and of the multiply-adds, as paired horizontal bars.

    ``summary`` is a ``counting.Summary`` (or a built-in name, summarized with its default
    input).  Only layers with weights are drawn.  Returns the Axes.
    """
    if isinstance(summary, str):
        summary = _counting.summarize(summary)
    ax = axes_or_new(ax, figsize=(6.4, 0.3 * len(weighted_rows(summary)) + 1.6))
    rows = weighted_rows(summary)
    y = np.arange(len(rows))
    params = [100.0 * r.params / max(summary.total_params, 1) for r in rows]
    macs = [100.0 * r.macs / max(summary.total_macs, 1) for r in rows]
    ax.barh(y - 0.2, params, height=0.4, color=PALETTE["orange"], label="% of parameters")
    ax.barh(y + 0.2, macs, height=0.4, color=PALETTE["blue"], label="% of multiply-adds")
    ax.set_yticks(y, [f"{r.name} ({r.kind})" for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.legend(loc="lower right", fontsize=8)
    name = summary.name or "network"
    _label(ax, f"{name}: where the parameters and the compute live", "% of the network total",
           "layer")
    return ax


def conv_fc_split(summaries, ax=None):
    """For each network, two stacked bars: parameters and multiply-adds split into conv, FC
    and other layers (percent).  ``summaries`` is a list of Summary objects or built-in names.
    Returns the Axes."""
    summaries = [_counting.summarize(s) if isinstance(s, str) else s for s in summaries]
    if not summaries:
        raise ValueError("conv_fc_split needs at least one summary or architecture name")
    ax = axes_or_new(ax, figsize=(7.0, 3.8))
    labels, xs = [], []
    colours = {"conv": PALETTE["blue"], "fc": PALETTE["orange"], "other": PALETTE["green"]}
    for k, s in enumerate(summaries):
        parts = split_by_kind(s)
        for offset, what in ((-0.2, "params"), (0.2, "macs")):
            total = max(parts[f"total_{what}"], 1)
            bottom = 0.0
            for key in ("conv", "fc", "other"):
                h = 100.0 * parts[what][key] / total
                lab = {"conv": "conv layers", "fc": "fully connected", "other": "other"}[key]
                ax.bar(k + offset, h, width=0.36, bottom=bottom, color=colours[key],
                       hatch="" if what == "params" else "//", edgecolor="white",
                       label=lab if (k == 0 and what == "params") else None)
                bottom += h
        xs.append(k)
        labels.append(f"{s.name or 'network'}\nparams | MACs")
    ax.set_xticks(xs, labels, fontsize=8)
    ax.set_ylim(0, 100)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    _label(ax, "Parameters (plain) vs multiply-adds (hatched) by layer type", "network",
           "% of the network total")
    return ax


def receptive_field_growth(stacks: dict, ax=None):
    """Receptive-field size r_l after each layer (``conv.receptive_fields``) for several stacks.

    ``stacks`` maps a label to a list of (kernel, stride) or (kernel, stride, dilation)
    tuples.  Returns the Axes.
    """
    if not isinstance(stacks, dict) or not stacks:
        raise ValueError("stacks must be a non-empty dict label -> [(kernel, stride), ...]")
    ax = axes_or_new(ax, (6.4, 4.0))
    for k, (label, layers) in enumerate(stacks.items()):
        sizes = [f.size for f in _conv.receptive_fields(layers)]
        ax.plot(range(1, len(sizes) + 1), sizes, marker="o", color=CYCLE[k % len(CYCLE)],
                label=label)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=8)
    _label(ax, r"Receptive field grows with depth: $r_l = r_{l-1} + (k_l - 1)\,j_{l-1}$",
           "layer l (conv or pooling)", r"receptive field $r_l$ (input pixels per side)")
    return ax
