"""Scalar reverse-mode autodiff for the backprop lecture (L06), and its graph drawing.

Shape legend: none; a ``Value`` holds one Python float.

``Value`` builds a computational graph as it computes (micrograd-style: one closure per
operation, a topological sort, gradients accumulated with ``+=``).  ``backward_steps`` runs
the backward pass one operation at a time; ``draw_graph`` draws the graph with matplotlib,
which is imported only when drawing.  The array code of dlcore does not go through ``Value``.
"""

from .drawing import draw_graph, graph_layout
from .value import BackwardStep, Value, backward_steps, topological_order

__all__ = ["Value", "BackwardStep", "topological_order", "backward_steps", "draw_graph",
           "graph_layout"]
