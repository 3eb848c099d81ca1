"""Widgets of lecture 5 (multilayer networks and their representation power).

- ``xor_network``: output weights -> XOR in input and hidden space, with its truth table.
- ``layer_counter``: layer widths -> network diagram, neuron/weight/parameter counts.
- ``half_plane_regions``: half-planes (hidden threshold units) -> intersection or union regions
  on the two moons.
- ``tower_builder``: a, b, c, k, m -> two sigmoid steps; tower count -> approximation of sin.
"""

from .counter import layer_counter
from .regions import half_plane_regions
from .towers import tower_builder
from .xor import xor_network

__all__ = ["xor_network", "layer_counter", "half_plane_regions", "tower_builder"]
