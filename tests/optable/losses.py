"""Op-table rows for dlcore.losses (checked by tests/test_op_table.py).

Each loss returns a scalar, so ``dout`` is a random scalar; only the prediction gets a
gradient (``wrt=(0,)``), the targets are constants.
"""

import numpy as np

from dlcore import losses as Ls
from tests.optable import OpRow


def _F():
    import torch.nn.functional as F

    return F


def _torch_squared_error(y_hat, y):
    return 0.5 * ((y_hat - y) ** 2).sum()


def _torch_hinge(scores, y):
    import torch

    return torch.clamp(1 - y * scores, min=0).mean()


def _torch_l2(w1, w2, lam):
    return lam / 2 * ((w1 ** 2).sum() + (w2 ** 2).sum())


def _make_pair(rng, shape=(4, 3)):
    y = rng.standard_normal(shape)
    # |y_hat - y| >= 0.1 keeps l1 away from its kink.
    u = rng.standard_normal(shape)
    return (y + np.sign(u) * (0.1 + np.abs(u)), y), {}


def _make_ce(rng, n=5, c=4, offset=0.0):
    logits = offset + 2.0 * rng.standard_normal((n, c))
    labels = rng.integers(0, c, size=n)
    return (logits, labels), {}


def _make_hinge(rng, n=8):
    y = rng.choice([-1.0, 1.0], size=n)
    # Margins y*s in [-1.5, 0.8] or [1.2, 2.5]: both sides of the kink at 1, none near it.
    m = np.where(rng.random(n) < 0.7, rng.uniform(-1.5, 0.8, n), rng.uniform(1.2, 2.5, n))
    return (m * y, y), {}


def _l2_forward(w1, w2, lam):
    return Ls.l2_penalty_forward([w1, w2], lam)


def _l2_backward(dout, cache):
    return tuple(Ls.l2_penalty_backward(dout, cache))


ROWS = [
    OpRow("loss_squared_error", Ls.squared_error_forward, Ls.squared_error_backward, _make_pair,
          _torch_squared_error, wrt=(0,), names=("y_hat", "y"), marks=("lec04",)),
    OpRow("loss_mse", Ls.mse_forward, Ls.mse_backward, _make_pair,
          lambda a, b: _F().mse_loss(a, b), wrt=(0,), names=("y_hat", "y"), marks=("lec07",)),
    OpRow("loss_l1", Ls.l1_forward, Ls.l1_backward, _make_pair,
          lambda a, b: _F().l1_loss(a, b), wrt=(0,), names=("y_hat", "y"), marks=("lec07",)),
    OpRow("loss_bce", Ls.binary_cross_entropy_forward, Ls.binary_cross_entropy_backward,
          lambda rng: ((rng.uniform(0.1, 0.9, (6, 2)), rng.uniform(0, 1, (6, 2))), {}),
          lambda p, y: _F().binary_cross_entropy(p, y), wrt=(0,), names=("p", "y"),
          marks=("lec06", "lec07")),
    OpRow("loss_bce_with_logits", Ls.binary_cross_entropy_with_logits_forward,
          Ls.binary_cross_entropy_with_logits_backward,
          lambda rng: ((3 * rng.standard_normal(7), (rng.random(7) < 0.5).astype(float)), {}),
          lambda z, y: _F().binary_cross_entropy_with_logits(z, y), wrt=(0,),
          names=("z", "y"), marks=("lec07",)),
    OpRow("loss_softmax_ce", Ls.softmax_cross_entropy_forward, Ls.softmax_cross_entropy_backward,
          _make_ce, lambda z, t: _F().cross_entropy(z, t), wrt=(0,),
          names=("logits", "labels"), marks=("lec07",)),
    # Logits near 1000: the shift by the max keeps the forward finite; central differences
    # still resolve the gradient (measured error ~3e-9), so the default tolerance holds.
    OpRow("loss_softmax_ce_large_logits", Ls.softmax_cross_entropy_forward,
          Ls.softmax_cross_entropy_backward, lambda rng: _make_ce(rng, offset=1000.0),
          lambda z, t: _F().cross_entropy(z, t), wrt=(0,), names=("logits", "labels"),
          marks=("lec07",)),
    OpRow("loss_hinge", Ls.hinge_forward, Ls.hinge_backward, _make_hinge, _torch_hinge,
          wrt=(0,), names=("scores", "y"), marks=("lec07",)),
    OpRow("loss_l2_penalty", _l2_forward, _l2_backward,
          lambda rng: ((rng.standard_normal((3, 4)), rng.standard_normal(5)), {"lam": 0.3}),
          _torch_l2, names=("w1", "w2"), marks=("lec08",)),
]
