"""Widgets of lecture 6 (backpropagation and computational graphs).

- ``graph_stepper``: a Value expression (the thin chain, or your own) -> its backward pass,
  one local backward per step, with node values, edge derivatives and cached products;
  ``mine=`` runs your local backward rules (``{"*": my_mul_backward, "tanh": ...}``) there.
- ``path_sums``: a weight of a 2-2-2-1 net -> its paths to the loss, per-path products, sum.
- ``vanishing_products``: depth of a thin sigmoid chain -> shrinking products of sigma'.
- ``moons_trainer``: width, learning rate -> live decision boundary and loss on the moons.
"""

from ..._lazy import attach

# Each widget factory is imported from its module on first use.
_EXPORTS = {
    "paths": ["path_sums"],
    "stepper": ["graph_stepper"],
    "trainer": ["moons_trainer"],
    "vanishing": ["vanishing_products"],
}

__getattr__, __dir__, __all__ = attach(__name__, list(_EXPORTS), _EXPORTS)
