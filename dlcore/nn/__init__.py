"""PyTorch-shaped modules built on dlcore's stateless op pairs (see ``module.py``)."""

from .module import Module, Parameter

__all__ = ["Module", "Parameter"]
