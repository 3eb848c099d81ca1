"""Widgets for lecture 7: activation functions, losses, softmax temperature, depth histograms.

- ``activation_explorer``: pick an activation and a z; see f and f' with their values at z.
- ``loss_explorer``: pick the label y; see L1, L2, hinge, 0-1 and logistic loss against y_hat.
- ``softmax_temperature``: a temperature (and a shift of every logit); see the softmax bars;
  ``mine=my_cross_entropy`` shows your cross-entropy beside dlcore's.
- ``activation_histograms``: pick an activation; see its outputs (or derivatives) in 5 layers.

The values come from ``dlcore.activations``, ``dlcore.losses`` and ``dlcore.nn``
(``layer_activations``); ``dlcore.viz.activations`` draws them.
"""

from ..._lazy import attach

# Each widget factory is imported from its module on first use.
_EXPORTS = {
    "depth": ["activation_histograms"],
    "functions": ["activation_explorer"],
    "losses": ["loss_explorer", "softmax_temperature"],
}

__getattr__, __dir__, __all__ = attach(__name__, list(_EXPORTS), _EXPORTS)
