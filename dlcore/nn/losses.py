"""Loss modules: ``loss = criterion(scores, target)`` then ``dscores = criterion.backward()``.

Shapes: N batch, C classes, M outputs.  Thin wrappers around the pairs of ``dlcore.losses``,
named as their torch counterparts; ``backward(dout=1.0)`` returns the gradient with respect to
the scores (the loss is the end of the graph, so its upstream gradient is 1).
"""

from __future__ import annotations

from .. import losses as L
from .layers import _OpPair

__all__ = ["CrossEntropyLoss", "MSELoss", "BCEWithLogitsLoss", "SquaredErrorLoss"]


class _Loss(_OpPair):
    def forward(self, scores, target):
        return self._run(scores, target)

    def backward(self, dout=1.0):
        return super().backward(dout)


class CrossEntropyLoss(_Loss):
    """``mean_i(-log softmax(scores_i)[y_i])``; scores (N, C) logits, target (N,) ints in [0, C)."""

    _forward = staticmethod(L.softmax_cross_entropy_forward)
    _backward = staticmethod(L.softmax_cross_entropy_backward)


class MSELoss(_Loss):
    """``mean((scores - target)^2)`` over every entry; scores and target of one shape."""

    _forward = staticmethod(L.mse_forward)
    _backward = staticmethod(L.mse_backward)


class BCEWithLogitsLoss(_Loss):
    """``mean(-y log sigmoid(z) - (1 - y) log(1 - sigmoid(z)))``; z, y of one shape, y in [0, 1]."""

    _forward = staticmethod(L.binary_cross_entropy_with_logits_forward)
    _backward = staticmethod(L.binary_cross_entropy_with_logits_backward)


class SquaredErrorLoss(_Loss):
    """``1/2 sum((scores - target)^2)``, the course's squared error (no torch counterpart)."""

    _forward = staticmethod(L.squared_error_forward)
    _backward = staticmethod(L.squared_error_backward)
