"""The course palette (Okabe-Ito colours, colour-blind-safe colormaps) and ``axes_or_new``."""

from __future__ import annotations

__all__ = ["PALETTE", "CYCLE", "CMAP", "DIVERGING", "axes_or_new"]

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = {
    "blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
    "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "black": "#000000",
    "grey": "#999999",
}
CYCLE = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky", "black")]
# Perceptually uniform, readable in grey scale and with colour-vision deficiencies.
CMAP = "cividis"
DIVERGING = "PuOr"


def axes_or_new(ax=None, figsize=(6.4, 4.0)):
    """``ax`` when given, else the Axes of a new pyplot figure of ``figsize`` inches (constrained
    layout), so that a notebook shows it inline."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=figsize, layout="constrained")[1]
