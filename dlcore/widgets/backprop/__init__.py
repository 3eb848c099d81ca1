"""Widgets of lecture 6 (backpropagation and computational graphs).

- ``graph_stepper``: a Value expression (the thin chain, or your own) -> its backward pass,
  one local backward per step, with node values, edge derivatives and cached products.
- ``path_sums``: a weight of a 2-2-2-1 net -> its paths to the loss, per-path products, sum.
- ``vanishing_products``: depth of a thin sigmoid chain -> shrinking products of sigma'.
- ``moons_trainer``: width, learning rate -> live decision boundary and loss on the moons.
"""

from .paths import path_sums
from .stepper import graph_stepper
from .trainer import moons_trainer
from .vanishing import vanishing_products

__all__ = ["graph_stepper", "path_sums", "vanishing_products", "moons_trainer"]
