"""Widgets for lecture 12c, training in practice.

- ``augment_explorer``: shift, rotation, noise and flip settings; see a digit and its augmented
  copies.  With ``mine=`` it shifts with the learner's function (exercise 12.12).
- ``freeze_explorer``: check boxes that freeze or unfreeze the conv layers (and choose the
  pre-trained start); retrain on a few labelled digits 5-9 and compare the learning curves.
- ``schedule_explorer``: a schedule and its settings; see the learning rate at every step.
  With ``mine=`` it draws the learner's warm-up + cosine schedule (exercise 12.14) beside
  dlcore's and marks the steps where they differ.

The math comes from ``dlcore.data`` (augmentation) and ``dlcore.optim`` (schedulers,
``train_model`` and the lecture's networks and transfer task).
"""

from ..._lazy import attach

# Each widget factory is imported from its module on first use.
_EXPORTS = {
    "augment": ["augment_explorer"],
    "schedules": ["schedule_explorer"],
    "transfer": ["freeze_explorer"],
}

__getattr__, __dir__, __all__ = attach(__name__, list(_EXPORTS), _EXPORTS)
