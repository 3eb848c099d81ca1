"""Widgets of the optimizer lecture (L09): races on error surfaces, momentum, adaptive steps, noise.

- ``optimizer_race``: six optimizers (GD, Momentum, Nesterov, Adagrad, RMSProp, Adam) with their
  hyperparameters on one surface (quadratic, narrow valley, Rosenbrock, saddle, bumpy, or the
  learner's own), paths and loss against the step, with play/step.
- ``momentum_explorer``: step size α and momentum β on an ill-conditioned quadratic; the path,
  the loss and where (α, β) sits in the stable region 0 < α h_max < 2(1 + β).
- ``adaptive_steps``: Adagrad, RMSProp or Adam; the effective step size of each coordinate.
- ``batch_noise``: mini-batch size against the spread of mini-batch gradients on the digits.

With ``mine=`` the race runs the learner's Adam step (exercise 09.8) beside dlcore's Adam, and
the momentum explorer the learner's momentum step (exercise 09.6); both mark the points where
the learner's path leaves dlcore's.

The math is ``dlcore.optim`` (update rules, ``trajectory``, ``surface``, ``stability_limit``)
and ``dlcore.nn``; these modules draw it.  One module per widget; this package re-exports the
factories so the public path stays ``dlcore.widgets.optimizers``.
"""

from ..._lazy import attach

# Each widget factory is imported from its module on first use.
_EXPORTS = {
    "adaptive": ["adaptive_steps"],
    "momentum": ["momentum_explorer"],
    "noise": ["batch_noise"],
    "race": ["optimizer_race"],
}

__getattr__, __dir__, __all__ = attach(__name__, list(_EXPORTS), _EXPORTS)
