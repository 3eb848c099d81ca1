"""Helpers shared by the lecture-11 widgets: unit names, pixel lists, argument checks."""

from __future__ import annotations

import numpy as np

CUSTOM = "your layers"


def unit_names(out: int) -> list[str]:
    """h11, h12, ... for an out x out layer, row by row (the slides' naming)."""
    return [f"h{u // out + 1}{u % out + 1}" for u in range(out * out)]


def pixel_list(cells, n: int) -> str:
    """"1, 2, 5, 6": 0-based (row, col) cells of an n x n input as pixel numbers 1..n^2."""
    return ", ".join(str(r * n + c + 1) for r, c in sorted(cells))


def check_range(value, name, lo, hi):
    """``value`` as an int, checked to lie in [lo, hi] (TypeError / ValueError otherwise)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int between {lo} and {hi}; got {value!r}")
    if not lo <= value <= hi:
        raise ValueError(f"{name} must be between {lo} and {hi}; got {value}")
    return int(value)



def grid_axes(ax, rows: int, cols: int) -> None:
    """Integer ticks numbered from 1 (the slides count rows and columns from 1) and, for small
    grids, thin white lines between the cells.

    The lines are one LineCollection kept on the axes (minor ticks with grid lines cost more
    than the rest of a panel's draw); nothing changes when the grid keeps its size.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if getattr(ax, "_dl_grid", None) == (rows, cols):
        return
    ax._dl_grid = (rows, cols)
    for axis, n in ((ax.xaxis, cols), (ax.yaxis, rows)):
        axis.set_major_locator(MaxNLocator(nbins=min(n, 8), integer=True))
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(round(v)) + 1}"))
    lines = getattr(ax, "_dl_cells", None)
    if lines is None:
        lines = ax._dl_cells = LineCollection([], colors="white", linewidths=1.0, zorder=1.5)
        ax.add_collection(lines, autolim=False)
    segments = []
    if max(rows, cols) <= 16:
        segments = ([[(x - 0.5, -0.5), (x - 0.5, rows - 0.5)] for x in range(1, cols)]
                    + [[(-0.5, y - 0.5), (cols - 0.5, y - 0.5)] for y in range(1, rows)])
    lines.set_segments(segments)
    ax.grid(False, which="both")
