"""Widgets for lecture 10, convolution and pooling (ipywidgets + ipympl).

Shape legend: signal (T,) and taps (K,) in 1-D; image (H, W), kernel (KH, KW), output
(H_out, W_out) in 2-D; conv arrays x (N, C, H, W), w (K, C, k, k) in the volume view.

- ``smoothing_explorer``: seven weights -> the smoothed track (1-D convolution).
- ``conv_explorer``: a kernel sliding over a padded image, products and output cell by cell.
- ``output_size_explorer``: n, k, p, s, d -> padded grid, output size, tiling warning.
- ``channel_volume``: input depth and number of filters -> volumes and shapes.
- ``photo_filter``: a kernel applied to the bundled photo.
- ``pooling_explorer``: max/average pooling and a one-pixel shift.

All math is done by ``dlcore.conv``; the widgets only draw it.  The presets are in
``presets.py``.
"""

from ..._lazy import attach

# Each widget factory is imported from its module on first use.
_EXPORTS = {
    "explorer": ["conv_explorer"],
    "photo": ["photo_filter"],
    "pooling": ["pooling_explorer"],
    "sizes": ["output_size_explorer"],
    "smoothing": ["smoothing_explorer"],
    "volume": ["channel_volume"],
}

__getattr__, __dir__, __all__ = attach(__name__, list(_EXPORTS), _EXPORTS)
