"""Widgets for lecture 8: initialisation, regularisation, learning rate, dropout, batch norm.

- ``init_explorer``: weight std (or the Xavier/He presets); see activation histograms per layer.
- ``regularization_explorer``: L2 strength lambda and width; see train/validation curves and the
  decision regions on noisy spirals.
- ``learning_rate_explorer``: a learning rate from 1e-6 to 10; see a flat, good or NaN curve.
- ``dropout_explorer``: the drop probability p; see sampled masks and Monte-Carlo means against
  the evaluation output, for inverted dropout and for the slides' keep-probability form.
- ``batchnorm_explorer``: gamma, beta, train/eval; see the batch-norm output histogram.

The math comes from ``dlcore.layers``, ``dlcore.nn``, ``dlcore.optim`` and the experiments of
``dlcore.viz.training``.
"""

from .fitting import learning_rate_explorer, regularization_explorer
from .init import init_explorer
from .layers import batchnorm_explorer, dropout_explorer

__all__ = ["init_explorer", "regularization_explorer", "learning_rate_explorer",
           "dropout_explorer", "batchnorm_explorer"]
