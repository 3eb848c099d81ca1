"""Widgets for lecture 11: sparse connectivity and sharing, conv as a matrix, architecture
tables, receptive fields.

Shape legend: an n x n single-channel input (pixels numbered 1..n^2 row by row), a KH x KW
kernel, outputs h11, h12, ... row by row; M (H_out W_out, n^2) is the conv as a matrix; layer
tables are ``dlcore.counting.Summary`` rows with (C, H, W) or (D,) output shapes.

- ``connectivity_explorer``: dense / local / shared toggle -> connection graph, weight count.
- ``conv_matrix_explorer``: kernel sliders -> the tied, masked matrix M and M vec(x) = conv.
- ``architecture_calculator``: a built-in network or your own list of layer specs, bias
  toggle -> per-layer table (shapes, parameters, multiply-adds) and where they live.
- ``receptive_field_explorer``: pick (or click) a unit -> the input pixels it sees.

The math comes from ``dlcore.conv`` and ``dlcore.counting``; the drawing helpers from
``dlcore.viz.architectures``.
"""

from .calculator import architecture_calculator
from .connectivity import connectivity_explorer
from .matrix import conv_matrix_explorer
from .receptive import receptive_field_explorer

__all__ = ["connectivity_explorer", "conv_matrix_explorer", "architecture_calculator",
           "receptive_field_explorer"]
