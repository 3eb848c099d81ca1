"""Scalar reverse-mode autodiff for the backprop lecture (L06).

Shape legend: none; a ``Value`` holds one Python float.

``Value`` builds a computational graph as it computes (micrograd-style: one closure per
operation, a topological sort, gradients accumulated with ``+=``).  ``backward_steps`` runs
the backward pass one operation at a time.  The array code of dlcore does not go through
``Value``.  Drawing a graph is plotting: ``dl.draw_graph`` (``dlcore.viz.draw_graph``).

``paths``: the chain rule as a sum over paths (``local_derivatives``, ``path_products``) and the
small networks of lecture 6 built from Values (``value_network``, ``chain_example``,
``PATH_NET``).
"""

from .paths import (
    PATH_NET,
    GraphPath,
    chain_example,
    local_derivatives,
    path_products,
    value_network,
)
from .value import BackwardStep, Value, backward_steps, topological_order

__all__ = ["Value", "BackwardStep", "topological_order", "backward_steps", "local_derivatives",
           "path_products", "GraphPath", "value_network", "chain_example", "PATH_NET"]
