"""Op-table rows for dlcore.layers (checked by tests/test_op_table.py)."""

import numpy as np

from dlcore import layers as Lyr
from tests.optable import OpRow

DROPOUT_SEED = 7


def _torch_linear(x, w, b):
    import torch.nn.functional as F

    return F.linear(x, w, b)


def _torch_dropout(x, p, training, rng):
    """Inverted dropout with the mask dropout_forward documents: ``random(shape) >= p``."""
    import torch

    keep = np.random.default_rng(rng).random(tuple(x.shape)) >= p
    return x * torch.tensor(keep, dtype=torch.float64) / (1.0 - p)


def _torch_dropout_eval(x, p, training, rng):
    import torch.nn.functional as F

    return F.dropout(x, p=p, training=training)


def _torch_batchnorm(x, gamma, beta, running_mean=None, running_var=None, training=True,
                     momentum=0.1, eps=1e-5):
    import torch.nn.functional as F

    return F.batch_norm(x, running_mean, running_var, gamma, beta, training=training,
                        momentum=momentum, eps=eps)


def _make_linear(rng, bias=True):
    x = rng.standard_normal((4, 3))
    w = rng.standard_normal((5, 3))
    b = rng.standard_normal(5) if bias else None
    return (x, w, b), {}


def _make_bn(rng, shape, training, stats=True, affine=True):
    c = shape[1]
    x = 2.0 * rng.standard_normal(shape) + rng.standard_normal(c).reshape(
        (1, c) + (1,) * (len(shape) - 2))
    gamma = rng.uniform(0.5, 2.0, c) if affine else None
    beta = rng.standard_normal(c) if affine else None
    args = [x, gamma, beta]
    if stats:
        args += [rng.standard_normal(c), rng.uniform(0.5, 2.0, c)]
    return tuple(args), {"training": training, "momentum": 0.1, "eps": 1e-5}


ROWS = [
    OpRow("layer_linear", Lyr.linear_forward, Lyr.linear_backward, _make_linear, _torch_linear,
          names=("x", "w", "b"), marks=("lec06",)),
    OpRow("layer_linear_nobias", Lyr.linear_forward, Lyr.linear_backward,
          lambda rng: _make_linear(rng, bias=False), _torch_linear, names=("x", "w", "b"),
          marks=("lec06",)),
    OpRow("layer_dropout", Lyr.dropout_forward, Lyr.dropout_backward,
          lambda rng: ((rng.standard_normal((6, 5)),),
                       {"p": 0.3, "training": True, "rng": DROPOUT_SEED}),
          _torch_dropout, names=("x",), marks=("lec08",)),
    OpRow("layer_dropout_eval", Lyr.dropout_forward, Lyr.dropout_backward,
          lambda rng: ((rng.standard_normal((6, 5)),),
                       {"p": 0.3, "training": False, "rng": DROPOUT_SEED}),
          _torch_dropout_eval, names=("x",), marks=("lec08",)),
    OpRow("layer_batchnorm_train_2d", Lyr.batchnorm_forward, Lyr.batchnorm_backward,
          lambda rng: _make_bn(rng, (6, 4), True, stats=False), _torch_batchnorm,
          names=("x", "gamma", "beta"), marks=("lec08",)),
    OpRow("layer_batchnorm_train_3d", Lyr.batchnorm_forward, Lyr.batchnorm_backward,
          lambda rng: _make_bn(rng, (3, 2, 5), True), _torch_batchnorm,
          names=("x", "gamma", "beta", "running_mean", "running_var"), marks=("lec08",)),
    OpRow("layer_batchnorm_train_4d", Lyr.batchnorm_forward, Lyr.batchnorm_backward,
          lambda rng: _make_bn(rng, (3, 2, 3, 4), True), _torch_batchnorm,
          names=("x", "gamma", "beta", "running_mean", "running_var"), marks=("lec08",)),
    OpRow("layer_batchnorm_train_noaffine", Lyr.batchnorm_forward, Lyr.batchnorm_backward,
          lambda rng: _make_bn(rng, (5, 3), True, stats=False, affine=False), _torch_batchnorm,
          names=("x", "gamma", "beta"), marks=("lec08",)),
    OpRow("layer_batchnorm_eval", Lyr.batchnorm_forward, Lyr.batchnorm_backward,
          lambda rng: _make_bn(rng, (6, 4), False), _torch_batchnorm,
          names=("x", "gamma", "beta", "running_mean", "running_var"), marks=("lec08",)),
    OpRow("layer_batchnorm_eval_4d", Lyr.batchnorm_forward, Lyr.batchnorm_backward,
          lambda rng: _make_bn(rng, (2, 3, 2, 2), False), _torch_batchnorm,
          names=("x", "gamma", "beta", "running_mean", "running_var"), marks=("lec08",)),
]
