"""Helpers shared by the lecture-12 widgets (private).

Shape legend: a matrix (H, W).
"""

from __future__ import annotations

import numpy as np

from ..conv._grid import fmt

__all__ = ["grid_text"]


def grid_text(values) -> str:
    """The editable text of a matrix: one row per line, numbers as printed on the slides
    (``1.3``, not ``13/10``); ``parse_matrix`` reads it back exactly for such values."""
    return "\n".join(" ".join(fmt(v) for v in row)
                     for row in np.asarray(values, dtype=np.float64))
