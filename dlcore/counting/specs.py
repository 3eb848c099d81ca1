"""Layer specifications for architecture tables: what a layer is, not its weights.

Shape legend: an activation shape is (C, H, W) for images (C channels, H x W spatial) or (D,)
after ``Flatten``; there is no batch axis.  F filters, KH x KW kernel, M output features.

Each spec is a small frozen dataclass named after a ``torch.nn`` layer with the suffix ``Spec``
(``Conv2dSpec`` describes a ``torch.nn.Conv2d``; ``dlcore.nn.Conv2d`` is the module that computes
one); its arguments mirror that layer's (``LinearSpec`` takes only ``out_features``: the input
size comes from the previous layer).  ``kind`` is the torch name (``"Conv2d"``).
A spec knows its output shape and its counts for a given input shape:

- Conv2d: weights KH KW (C/g) F, biases F, multiply-adds H_o W_o F KH KW C/g.
- Linear: weights D M, biases M, multiply-adds D M.
- Subsample2d (LeNet-5's S2/S4): one coefficient and one bias per map, multiply-adds C H_o W_o.
- Pooling, ReLU, Tanh, Dropout, LocalResponseNorm, Flatten: 0 parameters and 0 multiply-adds
  (their comparisons, additions and the normalisation's arithmetic are not multiply-adds of a
  weight; bias additions are not counted either).
"""

from __future__ import annotations

from dataclasses import dataclass

from .._checks import check_int, check_probability
from ..conv.sizes import output_size
from .params import _check_bool, _pair

__all__ = [
    "AdaptiveAvgPool2dSpec",
    "AvgPool2dSpec",
    "Conv2dSpec",
    "DropoutSpec",
    "FlattenSpec",
    "LayerSpec",
    "LinearSpec",
    "LocalResponseNormSpec",
    "MaxPool2dSpec",
    "ReLUSpec",
    "Subsample2dSpec",
    "TanhSpec",
]


def _shape_str(shape) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _need_image(shape, kind: str) -> tuple[int, int, int]:
    if len(shape) != 3:
        raise ValueError(f"{kind} expects an image input of shape (C, H, W); got "
                         f"{_shape_str(shape)}")
    return shape


def _check_name(name):
    if name is not None and (not isinstance(name, str) or not name):
        raise TypeError(f"name must be a non-empty string or None; got {name!r}")


class LayerSpec:
    """Base class of the layer specs (no fields of its own)."""

    _prefix = "layer"

    @property
    def kind(self) -> str:
        """The layer type, the ``torch.nn`` name: ``"Conv2d"`` for a ``Conv2dSpec``."""
        return type(self).__name__.removesuffix("Spec")

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Shape of the output for an input of shape (C, H, W) or (D,) (no batch axis)."""
        return tuple(input_shape)

    def counts(self, input_shape: tuple[int, ...]) -> tuple[int, int, int]:
        """(weights, biases, multiply-adds) for an input of the given shape."""
        return (0, 0, 0)


@dataclass(frozen=True)
class Conv2dSpec(LayerSpec):
    """2-D convolution with F = ``out_channels`` filters of size KH x KW (``torch.nn.Conv2d``)."""

    out_channels: int
    kernel_size: int | tuple[int, int]
    stride: int | tuple[int, int] = 1
    padding: int | tuple[int, int] = 0
    dilation: int | tuple[int, int] = 1
    groups: int = 1
    bias: bool = True
    name: str | None = None

    _prefix = "conv"

    def __post_init__(self):
        check_int(self.out_channels, "out_channels", minimum=1)
        set_ = object.__setattr__
        set_(self, "kernel_size", _pair(self.kernel_size, "kernel_size", minimum=1))
        set_(self, "stride", _pair(self.stride, "stride", minimum=1))
        set_(self, "padding", _pair(self.padding, "padding", minimum=0))
        set_(self, "dilation", _pair(self.dilation, "dilation", minimum=1))
        check_int(self.groups, "groups", minimum=1)
        _check_bool(self.bias, "bias")
        _check_name(self.name)
        if self.out_channels % self.groups:
            raise ValueError(f"Conv2d: out_channels must be divisible by groups; got "
                             f"out_channels={self.out_channels}, groups={self.groups}")

    def output_shape(self, input_shape):
        c, h, w = _need_image(input_shape, "Conv2d")
        if c % self.groups:
            raise ValueError(f"Conv2d: input channels must be divisible by groups; got "
                             f"C={c} from input {_shape_str(input_shape)}, "
                             f"groups={self.groups}")
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        (ph, pw), (dh, dw) = self.padding, self.dilation
        return (self.out_channels,
                output_size(h, kh, sh, ph, dh, axis="height"),
                output_size(w, kw, sw, pw, dw, axis="width"))

    def counts(self, input_shape):
        _, ho, wo = self.output_shape(input_shape)
        kh, kw = self.kernel_size
        per_filter = kh * kw * (input_shape[0] // self.groups)
        weights = per_filter * self.out_channels
        biases = self.out_channels if self.bias else 0
        return (weights, biases, ho * wo * weights)


class _Pool(LayerSpec):
    def _init_pool(self):
        set_ = object.__setattr__
        set_(self, "kernel_size", _pair(self.kernel_size, "kernel_size", minimum=1))
        stride = self.kernel_size if self.stride is None else self.stride
        set_(self, "stride", _pair(stride, "stride", minimum=1))
        set_(self, "padding", _pair(self.padding, "padding", minimum=0))
        _check_name(self.name)
        for p, k in zip(self.padding, self.kernel_size):
            # torch rejects more padding than half the window (a window of only padding)
            if p > k // 2:
                raise ValueError(f"{self.kind}: padding must be at most half the kernel size; "
                                 f"got padding={self.padding}, kernel_size={self.kernel_size}")

    def output_shape(self, input_shape):
        c, h, w = _need_image(input_shape, self.kind)
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        return (c, output_size(h, kh, sh, ph, axis="height"),
                output_size(w, kw, sw, pw, axis="width"))


@dataclass(frozen=True)
class _WindowPool(_Pool):
    kernel_size: int | tuple[int, int]
    stride: int | tuple[int, int] | None = None
    padding: int | tuple[int, int] = 0
    name: str | None = None

    def __post_init__(self):
        self._init_pool()


@dataclass(frozen=True)
class MaxPool2dSpec(_WindowPool):
    """Max pooling over KH x KW windows; stride defaults to the kernel size (floor mode)."""

    _prefix = "pool"


@dataclass(frozen=True)
class AvgPool2dSpec(_WindowPool):
    """Average pooling over KH x KW windows; stride defaults to the kernel size (floor mode)."""

    _prefix = "avgpool"


@dataclass(frozen=True)
class Subsample2dSpec(_Pool):
    """LeNet-5's subsampling layer: y = a_c * (sum of a KH x KW window) + b_c for each map c.

    LeCun et al. (1998) give every feature map one trainable coefficient a_c and one trainable
    bias b_c, so a layer on C maps has 2C parameters (C with ``bias=False``) and C H_o W_o
    multiply-adds.  Its PyTorch equivalent is ``AvgPool2d(k)`` followed by a depthwise
    ``Conv2d(C, C, 1, groups=C)`` (the coefficient absorbs the 1/(KH KW) of the average).
    """

    kernel_size: int | tuple[int, int] = 2
    stride: int | tuple[int, int] | None = None
    bias: bool = True
    name: str | None = None

    _prefix = "subsample"
    padding = (0, 0)

    def __post_init__(self):
        _check_bool(self.bias, "bias")
        self._init_pool()

    def counts(self, input_shape):
        c, ho, wo = self.output_shape(input_shape)
        return (c, c if self.bias else 0, c * ho * wo)


@dataclass(frozen=True)
class AdaptiveAvgPool2dSpec(LayerSpec):
    """Average pooling to a fixed output size (OH, OW), as ``torch.nn.AdaptiveAvgPool2d``."""

    output_size: int | tuple[int, int]
    name: str | None = None

    _prefix = "avgpool"

    def __post_init__(self):
        object.__setattr__(self, "output_size", _pair(self.output_size, "output_size",
                                                      minimum=1))
        _check_name(self.name)

    def output_shape(self, input_shape):
        c, _, _ = _need_image(input_shape, "AdaptiveAvgPool2d")
        return (c, *self.output_size)


@dataclass(frozen=True)
class LocalResponseNormSpec(LayerSpec):
    """Local response normalisation across ``size`` neighbouring channels (AlexNet, ZFNet).

    No parameters; the output keeps the input shape.  Arguments as
    ``torch.nn.LocalResponseNorm`` (AlexNet used size=5, alpha=1e-4, beta=0.75, k=2).
    """

    size: int
    alpha: float = 1e-4
    beta: float = 0.75
    k: float = 1.0
    name: str | None = None

    _prefix = "norm"

    def __post_init__(self):
        check_int(self.size, "size", minimum=1)
        _check_name(self.name)

    def output_shape(self, input_shape):
        return _need_image(input_shape, "LocalResponseNorm")


@dataclass(frozen=True)
class _NameOnly(LayerSpec):
    name: str | None = None

    def __post_init__(self):
        _check_name(self.name)


@dataclass(frozen=True)
class ReLUSpec(_NameOnly):
    """Elementwise max(0, x); no parameters, shape unchanged."""

    _prefix = "relu"


@dataclass(frozen=True)
class TanhSpec(_NameOnly):
    """Elementwise tanh (LeNet-5's squashing function); no parameters, shape unchanged."""

    _prefix = "tanh"


@dataclass(frozen=True)
class DropoutSpec(LayerSpec):
    """Inverted dropout with drop probability ``p``; no parameters, shape unchanged."""

    p: float = 0.5
    name: str | None = None

    _prefix = "drop"

    def __post_init__(self):
        check_probability(self.p, "p")
        _check_name(self.name)


@dataclass(frozen=True)
class FlattenSpec(_NameOnly):
    """(C, H, W) -> (C H W,); a flat (D,) input passes unchanged."""

    _prefix = "flatten"

    def output_shape(self, input_shape):
        size = 1
        for s in input_shape:
            size *= s
        return (size,)


@dataclass(frozen=True)
class LinearSpec(LayerSpec):
    """Fully connected layer to M = ``out_features`` units; D comes from the flat input (D,)."""

    out_features: int
    bias: bool = True
    name: str | None = None

    _prefix = "fc"

    def __post_init__(self):
        check_int(self.out_features, "out_features", minimum=1)
        _check_bool(self.bias, "bias")
        _check_name(self.name)

    def output_shape(self, input_shape):
        if len(input_shape) != 1:
            raise ValueError(f"Linear expects a flat input of shape (D,); got "
                             f"{_shape_str(input_shape)} (add FlattenSpec() before it)")
        return (self.out_features,)

    def counts(self, input_shape):
        self.output_shape(input_shape)
        weights = input_shape[0] * self.out_features
        return (weights, self.out_features if self.bias else 0, weights)
