"""Widgets of lecture 5 (multilayer networks and their representation power).

- ``xor_network``: output weights -> XOR in input and hidden space, with its truth table;
  ``mine=my_threshold_forward`` shows your forward pass and marks the inputs it gets wrong.
- ``layer_counter``: layer widths -> network diagram, neuron/weight/parameter counts.
- ``half_plane_regions``: half-planes (hidden threshold units) -> intersection or union regions
  on the two moons.
- ``tower_builder``: a, b, c, k, m -> two sigmoid steps; tower count -> approximation of sin;
  ``mine=my_tower`` adds up your towers over dlcore's and marks where they differ.
"""

from ..._lazy import attach

# Each widget factory is imported from its module on first use.
_EXPORTS = {
    "counter": ["layer_counter"],
    "regions": ["half_plane_regions"],
    "towers": ["tower_builder"],
    "xor": ["xor_network"],
}

__getattr__, __dir__, __all__ = attach(__name__, list(_EXPORTS), _EXPORTS)
