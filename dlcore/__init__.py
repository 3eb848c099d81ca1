"""dlcore: the math of the course, from scratch in numpy.

Shape legend (used in every docstring)::

    N   batch size                 D   input features        M   output features
    C   channels                   H x W  spatial size       F   filters (output channels)
    KH x KW  kernel size           T   time steps            H   hidden size (RNNs)
    G   gates stacked in an RNN weight (1 RNN, 4 LSTM, 3 GRU)

Row vectors, batch first, PyTorch weight layouts: a linear layer computes ``x @ w.T + b`` with
``w`` (M, D); images are (N, C, H, W) and conv weights (F, C, KH, KW); sequences are (N, T, D).

Submodules are imported on first use (``dl.conv``, ``dl.widgets``...), so ``import dlcore``
needs only numpy and stays fast; torch, matplotlib and ipywidgets load only where used.
"""

from __future__ import annotations

import importlib
import os

from ._random import get_rng, set_seed

__version__ = "0.1.0"

_SUBMODULES = (
    "activations", "conv", "counting", "data", "engine", "gradcheck", "grading", "layers",
    "losses", "neurons", "nn", "optim", "recurrent", "selfcheck", "viz", "widgets",
)
_NAMES = {"Value": "engine", "draw_graph": "viz", "check": "selfcheck",
          "solution": "selfcheck", "hint": "selfcheck", "progress": "selfcheck"}

__all__ = ["__version__", "set_seed", "get_rng", "fast_mode", *_SUBMODULES, *_NAMES]


def fast_mode() -> bool:
    """True when ``DLCORE_FAST=1``: notebooks shorten their training loops (the test suite sets it).

    What a notebook teaches does not change in fast mode, only how long its loops run.
    """
    return os.environ.get("DLCORE_FAST", "") not in ("", "0")


def __getattr__(name):
    if name in _SUBMODULES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    if name in _NAMES:
        value = getattr(importlib.import_module(f".{_NAMES[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'dlcore' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
