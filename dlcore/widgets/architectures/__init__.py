"""Widgets for lecture 11: sparse connectivity and sharing, conv as a matrix, architecture
tables, receptive fields.

Shape legend: an n x n single-channel input (pixels numbered 1..n^2 row by row), a KH x KW
kernel, outputs h11, h12, ... row by row; M (H_out W_out, n^2) is the conv as a matrix; layer
tables are ``dlcore.counting.Summary`` rows with (C, H, W) or (D,) output shapes.

- ``connectivity_explorer``: dense / local / shared toggle -> connection graph, weight count.
- ``conv_matrix_explorer``: kernel sliders -> the tied, masked matrix M and M vec(x) = conv.
- ``architecture_calculator``: a built-in network or your own list of layer specs, bias
  toggle -> per-layer table (shapes, parameters, multiply-adds) and where they live;
  ``mine=my_conv_params`` checks your count of every conv layer against it.
- ``receptive_field_explorer``: pick (or click) a unit -> the input pixels it sees.

The math comes from ``dlcore.conv`` and ``dlcore.counting``; the drawing helpers from
``dlcore.viz.architectures``.
"""

from ..._lazy import attach

# Each widget factory is imported from its module on first use.
_EXPORTS = {
    "calculator": ["architecture_calculator"],
    "connectivity": ["connectivity_explorer"],
    "matrix": ["conv_matrix_explorer"],
    "receptive": ["receptive_field_explorer"],
}

__getattr__, __dir__, __all__ = attach(__name__, list(_EXPORTS), _EXPORTS)
