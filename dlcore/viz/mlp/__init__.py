"""Plots and constructions for lecture 5 (multilayer networks and their representation power).

Shape legend: N points, (N, 2) inputs, K half-planes; ``sizes = [n_0, ..., n_L]`` layer widths.

- ``threshold``: ``threshold_net_forward``, ``xor_layers``, ``half_plane_layers``,
  ``MOONS_HALF_PLANES``: networks of step units (step(0) = 1) in PyTorch's (out, in) layout.
- ``network``: ``mlp_layout``, ``draw_mlp``: diagrams with neuron, weight and bias counts.
- ``towers``: ``tower_sum_weights``, ``tower_mlp``, ``plot_towers``,
  ``plot_tower_approximation``: sigmoid steps, towers and sums of towers.
- ``regions``: ``plot_xor_spaces``, ``plot_half_planes``, ``plot_mlp_regions``,
  ``region_grid``, ``half_plane_segment``.
"""

from .network import draw_mlp, mlp_layout
from .regions import (
    half_plane_segment,
    plot_half_planes,
    plot_mlp_regions,
    plot_xor_spaces,
    region_grid,
)
from .threshold import MOONS_HALF_PLANES, half_plane_layers, threshold_net_forward, xor_layers
from .towers import plot_tower_approximation, plot_towers, tower_mlp, tower_sum_weights

__all__ = ["threshold_net_forward", "xor_layers", "half_plane_layers", "MOONS_HALF_PLANES",
           "mlp_layout", "draw_mlp", "tower_sum_weights", "tower_mlp", "plot_towers",
           "plot_tower_approximation", "plot_xor_spaces", "plot_half_planes",
           "plot_mlp_regions", "region_grid", "half_plane_segment"]
