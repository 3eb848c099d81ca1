"""Widgets of the sigmoid-neuron and gradient-descent lecture (L04).

- ``step_vs_sigmoid``: bias and weight sliders -> the perceptron's step against the sigmoid,
  read at criticsRating 0.49 and 0.51.
- ``sigmoid_fit``: (w, b) sliders -> the sigmoid through the two toy points, the live loss, a
  guess log and a replay of the six guesses from the slides.
- ``random_search``: a button that draws random (w, b) -> the best point on the contours and the
  best loss against the number of guesses.
- ``error_surface``: start point and learning rate -> the gradient-descent path on contours and
  in 3-D, with step/play controls and the loss per step; accepts the learner's ``grad_fn``,
  or with ``mine=`` runs the learner's gradient-descent step (exercise 04.7) and marks the
  steps that differ from dlcore's.
- ``taylor_direction``: angle beta between a direction and the gradient -> the first-order
  change ``eta k cos(beta)`` against the true change.
- ``step_size_limit``: learning rate on the linear toy ``y_hat = w x`` -> convergence or
  divergence, with the batch limit ``2 / sum x^2`` marked.

Shapes: theta (2,) = (w, b) on the toy's error surface; x, y (N,) data.  The toy's loss and
gradient default to private copies (``_common.toy_loss`` / ``toy_grad``); each factory that
uses them accepts ``loss_fn`` / ``grad_fn`` instead.
"""

from ..._lazy import attach

# Each widget factory is imported from its module on first use.
_EXPORTS = {
    "neuron": ["sigmoid_fit", "step_vs_sigmoid"],
    "steps": ["step_size_limit", "taylor_direction"],
    "surface": ["error_surface", "random_search"],
}

__getattr__, __dir__, __all__ = attach(__name__, list(_EXPORTS), _EXPORTS)
