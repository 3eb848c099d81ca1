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
    grids, thin lines between the cells."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    for axis, n in ((ax.xaxis, cols), (ax.yaxis, rows)):
        axis.set_major_locator(MaxNLocator(nbins=min(n, 8), integer=True))
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(round(v)) + 1}"))
    small = max(rows, cols) <= 16
    ax.set_xticks(np.arange(cols + 1) - 0.5 if small else [], minor=True)
    ax.set_yticks(np.arange(rows + 1) - 0.5 if small else [], minor=True)
    ax.tick_params(which="minor", length=0)
    if small:
        ax.grid(True, which="minor", color="white", linewidth=1.0)
    else:
        ax.grid(False, which="minor")
    ax.grid(False, which="major")
