"""Plots and graph helpers for lecture 6 (backpropagation and computational graphs).

Shape legend: none for Value graphs (scalars); thin-chain arrays have one entry per layer.

The graphs these draw are built and differentiated in the core: ``dlcore.engine`` (``Value``,
``path_products``, ``value_network``, ``chain_example``, ``PATH_NET``) and
``dlcore.nn.thin_chain_gradients``.

- ``chains``: ``plot_chain_gradients`` (shrinking sigma' products, computed by
  ``dlcore.nn.thin_chain_gradients``).
- ``drawing``: one layout, ``graph_layout`` (one row, or wrapped into rows with
  ``max_columns``; ``snake_layout`` is the wrapped one), and one drawer, ``draw_graph``
  (``dl.draw_graph``; boxes, circles and edge labels for local derivatives);
  ``draw_value_graph`` is ``draw_graph`` wrapped into rows of 8.
"""

from .chains import plot_chain_gradients
from .drawing import draw_graph, draw_value_graph, graph_layout, snake_layout

__all__ = ["plot_chain_gradients", "draw_graph", "graph_layout", "snake_layout",
           "draw_value_graph"]
