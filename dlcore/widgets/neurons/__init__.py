"""Widgets of the threshold-unit lectures (L02 McCulloch-Pitts neuron, L03 perceptron).

- ``mp_neuron_playground``: input checkboxes, weights, threshold θ (presets 0 and n) and
  inhibitory inputs -> the weighted sum against θ, the decision, the truth table and, for two
  inputs, which of the 16 Boolean functions a single threshold unit can realise.
- ``threshold_plane``: w1, w2, θ (presets AND θ = 2, OR θ = 1) and a target function -> the
  line ``w1 x1 + w2 x2 = θ`` on the unit square, the fire region and the corners it gets
  wrong; XOR's target is never met.
- ``perceptron_trainer``: data (the slides' two-point example, blobs, XOR or your own
  ``X, y``), sign(0) convention, bias feature -> step/play through the learning rule: the
  visited point, the w arrow, the boundary, ŷ, the update row and the mistakes per epoch.

With ``mine=`` the playground and the trainer run the learner's own function (exercises 02.6
and 03.6) and mark where it differs from dlcore's.

The math is ``dlcore.neurons`` (``step``, ``mp_neuron``, ``truth_table``, ``sign_pm``,
``perceptron_step``); the widgets only evaluate and draw it.
"""

from ..._lazy import attach

# Each widget factory is imported from its module on first use.
_EXPORTS = {
    "mp": ["mp_neuron_playground"],
    "plane": ["threshold_plane"],
    "trainer": ["perceptron_trainer"],
}

__getattr__, __dir__, __all__ = attach(__name__, list(_EXPORTS), _EXPORTS)
