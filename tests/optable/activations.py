"""Op-table rows for dlcore.activations (checked by tests/test_op_table.py)."""

import numpy as np

from dlcore import activations as A
from tests.optable import OpRow


def _away_from_zero(rng, shape, gap=0.1):
    """Standard normal values pushed at least ``gap`` away from the kink at 0."""
    u = rng.standard_normal(shape)
    return np.sign(u) * (gap + np.abs(u))


def _torch_sigmoid(x):
    import torch

    return torch.sigmoid(x)


def _torch_tanh(x):
    import torch

    return torch.tanh(x)


def _torch_relu(x):
    import torch

    return torch.relu(x)


def _torch_leaky_relu(x, negative_slope):
    import torch.nn.functional as F

    return F.leaky_relu(x, negative_slope=negative_slope)


def _torch_softmax(x, axis):
    import torch

    return torch.softmax(x, dim=axis)


def _torch_log_softmax(x, axis):
    import torch

    return torch.log_softmax(x, dim=axis)


# Both branches of the stable sigmoid (x >= 0 and x < 0) are exercised by 3 * N(0, 1) inputs.
# Deeply saturated inputs are left to tests/test_activations.py: there the derivative is below
# the rounding noise of central differences and the check would measure only that noise.
ROWS = [
    OpRow("act_sigmoid", A.sigmoid_forward, A.sigmoid_backward,
          lambda rng: ((3 * rng.standard_normal((4, 5)),), {}), _torch_sigmoid,
          marks=("lec04", "lec07")),
    OpRow("act_tanh", A.tanh_forward, A.tanh_backward,
          lambda rng: ((2 * rng.standard_normal((3, 2, 4)),), {}), _torch_tanh,
          marks=("lec07",)),
    OpRow("act_relu", A.relu_forward, A.relu_backward,
          lambda rng: ((_away_from_zero(rng, (5, 4)),), {}), _torch_relu, marks=("lec07",)),
    OpRow("act_leaky_relu", A.leaky_relu_forward, A.leaky_relu_backward,
          lambda rng: ((_away_from_zero(rng, (5, 4)),), {"negative_slope": 0.1}),
          _torch_leaky_relu, marks=("lec07",)),
    OpRow("act_leaky_relu_default", A.leaky_relu_forward, A.leaky_relu_backward,
          lambda rng: ((_away_from_zero(rng, (2, 3, 4)),), {"negative_slope": 0.01}),
          _torch_leaky_relu, marks=("lec07",)),
    OpRow("act_softmax", A.softmax_forward, A.softmax_backward,
          lambda rng: ((2 * rng.standard_normal((4, 5)),), {"axis": -1}), _torch_softmax,
          marks=("lec07",)),
    OpRow("act_softmax_axis1", A.softmax_forward, A.softmax_backward,
          lambda rng: ((2 * rng.standard_normal((2, 3, 4)),), {"axis": 1}), _torch_softmax,
          marks=("lec07",)),
    OpRow("act_log_softmax", A.log_softmax_forward, A.log_softmax_backward,
          lambda rng: ((2 * rng.standard_normal((4, 5)),), {"axis": -1}), _torch_log_softmax,
          marks=("lec07",)),
    OpRow("act_log_softmax_axis0", A.log_softmax_forward, A.log_softmax_backward,
          lambda rng: ((2 * rng.standard_normal((3, 4, 2)),), {"axis": 0}), _torch_log_softmax,
          marks=("lec07",)),
]
