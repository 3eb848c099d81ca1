"""The course palette: Okabe-Ito colours and colour-blind-safe colormaps."""

from __future__ import annotations

__all__ = ["PALETTE", "CYCLE", "CMAP", "DIVERGING"]

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
