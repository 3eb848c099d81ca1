"""Widgets for lecture 8: initialisation, regularisation, learning rate, dropout, batch norm.

- ``init_explorer``: weight std (or the Xavier/He presets); see activation histograms per layer.
- ``regularization_explorer``: L2 strength lambda and width; see train/validation curves and the
  decision regions on noisy spirals.
- ``learning_rate_explorer``: a learning rate from 1e-6 to 10; see a flat, good or NaN curve.
- ``dropout_explorer``: the drop probability p; see sampled masks and Monte-Carlo means against
  the evaluation output, for inverted dropout and for the slides' keep-probability form.
- ``batchnorm_explorer``: gamma, beta, train/eval; see the batch-norm output histogram.

With ``mine=`` the dropout explorer runs the learner's inverted dropout with a given mask
(exercise 08.6) on its own masks and marks the outputs that differ from dlcore's.

The math comes from ``dlcore.layers``, ``dlcore.nn`` (with its experiments, ``lr_trial`` and
``regularization_trial``), ``dlcore.optim`` and ``dlcore.data`` (``spirals_prepared``).
"""

from ..._lazy import attach

# Each widget factory is imported from its module on first use.
_EXPORTS = {
    "fitting": ["learning_rate_explorer", "regularization_explorer"],
    "init": ["init_explorer"],
    "layers": ["batchnorm_explorer", "dropout_explorer"],
}

__getattr__, __dir__, __all__ = attach(__name__, list(_EXPORTS), _EXPORTS)
