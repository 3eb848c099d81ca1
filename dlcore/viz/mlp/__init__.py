"""Plots for lecture 5 (multilayer networks and their representation power).

Shape legend: N points, (N, 2) inputs, K half-planes; ``sizes = [n_0, ..., n_L]`` layer widths.

- ``network``: ``mlp_layout``, ``draw_mlp``: diagrams with neuron, weight and bias counts
  (``mlp_artists``, ``update_mlp_artists``, ``mlp_colours``, ``mlp_title`` for widgets that
  redraw one in place).
- ``towers``: ``plot_towers``, ``plot_tower_approximation``: sigmoid steps, towers and sums of
  towers.
- ``regions``: ``plot_xor_spaces``, ``plot_half_planes``, ``plot_mlp_regions``,
  ``region_grid``, ``half_plane_segment``.

The networks these draw are built in the core: threshold networks in ``dlcore.neurons``
(``threshold_net_forward``, ``xor_layers``, ``half_plane_layers``, ``MOONS_HALF_PLANES``), towers
in ``dlcore.nn`` (``tower_weights``, ``tower_sum_weights``, ``tower_mlp``).
"""

from .network import (
    draw_mlp,
    mlp_artists,
    mlp_colours,
    mlp_layout,
    mlp_title,
    update_mlp_artists,
)
from .regions import (
    half_plane_segment,
    plot_half_planes,
    plot_mlp_regions,
    plot_xor_spaces,
    region_grid,
)
from .towers import plot_tower_approximation, plot_towers

__all__ = ["mlp_layout", "mlp_colours", "mlp_title", "mlp_artists", "update_mlp_artists",
           "draw_mlp", "plot_towers", "plot_tower_approximation",
           "plot_xor_spaces", "plot_half_planes", "plot_mlp_regions", "region_grid",
           "half_plane_segment"]
