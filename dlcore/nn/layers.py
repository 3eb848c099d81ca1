"""Layer modules: thin stateful wrappers around the stateless pairs of ``dlcore.layers``.

Shapes: N batch, D in-features, M out-features, C channels, H x W spatial size.

Each module's ``forward(x)`` calls ``<op>_forward`` and keeps the cache; ``backward(dout)``
calls ``<op>_backward``, adds the parameter gradients into ``.grad`` and returns ``dx``.
Parameter and buffer names and shapes are torch's, so ``state_dict()`` loads into the
equivalent ``torch.nn`` module and back.
"""

from __future__ import annotations

import numpy as np

from .. import layers as F
from .._checks import as_array, check_int, check_positive, check_probability, shape_str
from .._random import get_rng
from .init import torch_default_
from .module import Module, Parameter

__all__ = ["Linear", "Identity", "Flatten", "Dropout", "BatchNorm1d", "BatchNorm2d"]


def _saved(module: Module, attr: str = "_cache"):
    """The cache of the last forward; backward before any forward is a usage error."""
    cache = module.__dict__.get(attr)
    if cache is None:
        raise RuntimeError(f"{type(module).__name__}.backward() needs a forward() call first "
                           f"(nothing is cached)")
    return cache


def _remember(module: Module, cache, attr: str = "_cache") -> None:
    # Caches are plain attributes, not buffers: they never appear in state_dict.
    object.__setattr__(module, attr, cache)


class _OpPair(Module):
    """A module without parameters around one stateless pair: ``_forward(*inputs) -> (out,
    cache)`` and ``_backward(dout, cache) -> dx``.  Subclasses set the pair and call
    ``self._run(...)`` in their ``forward``, which keeps the cache for ``backward``."""

    _forward = staticmethod(lambda x: (x, None))
    _backward = staticmethod(lambda dout, cache: dout)

    def _run(self, *inputs, **options):
        out, cache = type(self)._forward(*inputs, **options)
        _remember(self, cache)
        return out

    def backward(self, dout):
        return type(self)._backward(dout, _saved(self))


class Linear(Module):
    """Affine layer ``out = x @ weight.T + bias``: x (N, D), weight (M, D), bias (M,), out (N, M).

    Initialised like ``torch.nn.Linear``: ``weight`` and ``bias`` drawn from
    ``U(-1/sqrt(D), 1/sqrt(D))`` (weight first, from ``rng``).  ``bias=False`` leaves
    ``self.bias = None`` and no ``bias`` entry in ``state_dict``, as torch does.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, rng=None):
        super().__init__()
        self.in_features = check_int(in_features, "in_features", minimum=1)
        self.out_features = check_int(out_features, "out_features", minimum=1)
        self.weight = Parameter(np.zeros((self.out_features, self.in_features)), "weight")
        self.bias = Parameter(np.zeros(self.out_features), "bias") if bias else None
        torch_default_(self.weight.data, None if self.bias is None else self.bias.data, rng)

    def forward(self, x):
        """``out = x @ weight.T + bias``; x (N, D) -> out (N, M)."""
        x = as_array(x, "x", ndim=2, spec=f"(N, {self.in_features})")
        if x.shape[1] != self.in_features:
            raise ValueError(f"Linear(in_features={self.in_features}): x must have shape "
                             f"(N, {self.in_features}); got shape {shape_str(x.shape)}")
        b = None if self.bias is None else self.bias.data
        out, cache = F.linear_forward(x, self.weight.data, b)
        _remember(self, cache)
        return out

    def backward(self, dout):
        """``dx = dout @ weight``, ``dweight += dout.T @ x``, ``dbias += sum_rows(dout)``."""
        dx, dw, db = F.linear_backward(dout, _saved(self))
        self.weight.grad += dw
        if self.bias is not None:
            self.bias.grad += db
        return dx

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Identity(Module):
    """``out = x`` (any shape); a placeholder, as ``torch.nn.Identity``."""

    def forward(self, x):
        return x

    def backward(self, dout):
        return dout


class Flatten(Module):
    """Merge axes ``start_dim..end_dim`` into one: (N, C, H, W) -> (N, C*H*W) by default."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim = check_int(start_dim, "start_dim")
        self.end_dim = check_int(end_dim, "end_dim")

    def forward(self, x):
        x = as_array(x, "x")
        nd = max(x.ndim, 1)
        start, end = self.start_dim % nd, self.end_dim % nd
        if not (-nd <= self.start_dim < nd and -nd <= self.end_dim < nd) or start > end:
            raise ValueError(f"Flatten(start_dim={self.start_dim}, end_dim={self.end_dim}) does "
                             f"not fit an input of shape {shape_str(x.shape)}")
        _remember(self, x.shape)
        return x.reshape(x.shape[:start] + (-1,) + x.shape[end + 1:])

    def backward(self, dout):
        return np.reshape(dout, _saved(self))

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Dropout(_OpPair):
    """Inverted dropout ``out = x * mask / (1 - p)``, ``mask ~ Bernoulli(1 - p)``; x any shape.

    ``p`` is the drop probability, as ``torch.nn.Dropout``.  In eval mode (``.eval()``) the
    layer is the identity.  Masks are drawn from ``rng`` (a Generator or seed, fixed at
    construction) or, when it is None, from the package generator at call time.
    """

    _forward = staticmethod(F.dropout_forward)
    _backward = staticmethod(F.dropout_backward)

    def __init__(self, p: float = 0.5, rng=None):
        super().__init__()
        self.p = check_probability(p, "p (the drop probability)")
        object.__setattr__(self, "_rng", None if rng is None else get_rng(rng))

    def forward(self, x):
        rng = self._rng if self._rng is not None else get_rng(None)
        return self._run(x, p=self.p, training=self.training, rng=rng)

    def extra_repr(self) -> str:
        return f"p={self.p}"


class _BatchNorm(Module):
    """Shared code of BatchNorm1d/2d; subclasses set ``_ndims`` and ``_spec``."""

    _ndims: tuple = ()
    _spec = ""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1):
        super().__init__()
        self.num_features = check_int(num_features, "num_features", minimum=1)
        self.eps = check_positive(eps, "eps")
        if momentum is not None:
            momentum = check_probability(momentum, "momentum", include_one=True)
        self.momentum = momentum
        self.weight = Parameter(np.ones(self.num_features), "weight")
        self.bias = Parameter(np.zeros(self.num_features), "bias")
        self.register_buffer("running_mean", np.zeros(self.num_features))
        self.register_buffer("running_var", np.ones(self.num_features))
        self.register_buffer("num_batches_tracked", np.array(0, dtype=np.int64))

    def forward(self, x):
        """Normalise per channel with batch statistics (train) or running statistics (eval)."""
        name = type(self).__name__
        x = as_array(x, "x", ndim=self._ndims, spec=self._spec)
        if x.shape[1] != self.num_features:
            raise ValueError(f"{name}(num_features={self.num_features}): x must have "
                             f"{self.num_features} channels on axis 1; got shape "
                             f"{shape_str(x.shape)}")
        momentum = self.momentum
        if self.training:
            self.num_batches_tracked[...] += 1  # in place: keeps the buffer registered
            if momentum is None:  # cumulative moving average, as torch with momentum=None
                momentum = 1.0 / float(self.num_batches_tracked)
        out, cache = F.batchnorm_forward(x, self.weight.data, self.bias.data,
                                         running_mean=self.running_mean,
                                         running_var=self.running_var, training=self.training,
                                         momentum=momentum, eps=self.eps)
        _remember(self, cache)
        return out

    def backward(self, dout):
        dx, dgamma, dbeta = F.batchnorm_backward(dout, _saved(self))
        self.weight.grad += dgamma
        self.bias.grad += dbeta
        return dx

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}"


class BatchNorm1d(_BatchNorm):
    """Batch norm over features: ``y = gamma (x - mu_B) / sqrt(var_B + eps) + beta``.

    x (N, C) or (N, C, L); ``weight`` = gamma (C,), ``bias`` = beta (C,).  Training mode uses
    the batch mean and biased variance and updates ``running_mean``/``running_var`` (the latter
    with the unbiased variance) by ``r <- (1 - momentum) r + momentum * stat``; eval mode uses
    the running statistics.  ``num_batches_tracked`` counts training batches, as in torch.
    """

    _ndims = (2, 3)
    _spec = "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch norm per channel of an image batch, statistics over (N, H, W); x (N, C, H, W).

    Same formula, parameters and buffers as ``BatchNorm1d``; gamma and beta are (C,).
    """

    _ndims = (4,)
    _spec = "(N, C, H, W)"
