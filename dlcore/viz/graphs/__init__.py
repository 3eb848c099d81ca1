"""Plots and graph helpers for lecture 6 (backpropagation and computational graphs).

Shape legend: none for Value graphs (scalars); thin-chain arrays have one entry per layer.

- ``paths``: ``local_derivatives``, ``path_products`` (the chain rule as a sum over paths),
  ``value_network`` (a bias-free sigmoid net of Values with BCE), ``chain_example`` (the thin
  chain of the worked example), ``PATH_NET`` (the 2-2-2-1 net of the path widget).
- ``chains``: ``thin_chain_gradients``, ``plot_chain_gradients`` (shrinking sigma' products).
- ``drawing``: ``snake_layout``, ``draw_value_graph`` (a graph wrapped into rows, with edge
  labels for local derivatives).
"""

from .chains import ChainGradients, plot_chain_gradients, thin_chain_gradients
from .drawing import draw_value_graph, snake_layout
from .paths import (
    PATH_NET,
    GraphPath,
    chain_example,
    local_derivatives,
    path_products,
    value_network,
)

__all__ = ["local_derivatives", "path_products", "GraphPath", "value_network", "chain_example",
           "PATH_NET", "ChainGradients", "thin_chain_gradients", "plot_chain_gradients",
           "snake_layout", "draw_value_graph"]
