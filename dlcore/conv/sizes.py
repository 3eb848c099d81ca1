"""Sizes and geometry of convolution and pooling: output size, padding, receptive fields.

Notation (one spatial axis): input size n, kernel size k, stride s, zero padding p on each
side, dilation d.  A dilated kernel spans ``d (k - 1) + 1`` input cells.  The same formulas
hold for pooling windows (with d = 1).

The hyperparameters' checks live here too: ``pair`` (an int or an (h, w) pair), ``hyper``
(stride, padding, dilation) and ``torch_keywords`` (``pad=``/``size=`` as aliases of torch's
``padding=``/``kernel_size=``), used by every conv and pooling function.
"""

from __future__ import annotations

import functools
import inspect
import numbers
from typing import NamedTuple

from .._checks import check_int

__all__ = [
    "output_size", "tiles_exactly", "same_padding", "ReceptiveField", "receptive_field",
    "receptive_fields", "inputs_feeding",
]


def pair(value, name: str, *, minimum: int) -> tuple[int, int]:
    """An int or a pair of ints ``(h, w)``, each ``>= minimum``, as a tuple of two ints."""
    items = value if isinstance(value, (tuple, list)) else (value, value)
    if len(items) != 2:
        raise ValueError(f"{name} must be an int or a pair (h, w); got {value!r}")
    out = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, numbers.Integral):
            raise TypeError(f"{name} must be an int or a pair of ints (h, w); got {value!r}")
        if item < minimum:
            what = {0: "non-negative", 1: "positive"}.get(minimum, f">= {minimum}")
            raise ValueError(f"{name} must be {what} (>= {minimum}); got {value!r}")
        out.append(int(item))
    return out[0], out[1]


# The short keywords of the lectures' formulas, accepted as aliases of torch's names.
_ALIASES = {"pad": "padding", "size": "kernel_size"}


def torch_keywords(fn):
    """Let ``fn`` take ``pad=`` and ``size=`` as aliases of its parameters ``padding`` and
    ``kernel_size`` (torch's names); giving a name and its alias together is a TypeError."""
    aliases = {a: n for a, n in _ALIASES.items() if n in inspect.signature(fn).parameters}

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        for alias, name in aliases.items():
            if alias in kwargs:
                if name in kwargs:
                    raise TypeError(f"{fn.__name__}() got both {name}= and its alias {alias}=; "
                                    f"give only one")
                kwargs[name] = kwargs.pop(alias)
        return fn(*args, **kwargs)

    return wrapper


def hyper(stride, padding, dilation):
    """Normalise the three conv hyperparameters to pairs, checking their ranges."""
    return (pair(stride, "stride", minimum=1), pair(padding, "padding", minimum=0),
            pair(dilation, "dilation", minimum=1))


def _ints(n, k, stride, padding, dilation):
    return (check_int(n, "n", minimum=1), check_int(k, "k", minimum=1),
            check_int(stride, "stride", minimum=1), check_int(padding, "padding", minimum=0),
            check_int(dilation, "dilation", minimum=1))


def _span(n, k, s, p, d, axis="size", where=None) -> int:
    """``n + 2p - d(k-1) - 1``: how far the kernel's first cell can travel; must be >= 0."""
    eff = d * (k - 1) + 1
    span = n + 2 * p - eff
    if span < 0:
        dil = f" (dilation {d} makes it {eff})" if d > 1 else ""
        prefix = f"{where}: " if where else ""
        raise ValueError(f"{prefix}kernel {k} does not fit input {axis} {n} with padding {p}: "
                         f"the kernel {axis} {k}{dil} is larger than the padded input {axis} "
                         f"{n} + 2*{p} = {n + 2 * p}")
    return span


@torch_keywords
def output_size(n, k, stride=1, padding=0, dilation=1, strict=False, *, axis: str = "size",
                where: str | None = None) -> int:
    """Output length ``floor((n + 2p - d(k-1) - 1) / s) + 1`` along one axis (PyTorch's formula).

    The slides' ``(W - F + 2P)/S + 1`` is the case d = 1 without the floor; the floor is what
    PyTorch does when the stride does not tile the input exactly: the last
    ``(n + 2p - d(k-1) - 1) mod s`` rows (or columns) are never visited.  ``strict=True`` turns
    that case into a ValueError.  A kernel larger than the padded input is always a ValueError;
    its message names the axis (``axis``, e.g. "height") and the function that was called
    (``where``, e.g. "conv2d_forward").  This is the one implementation of the formula in
    dlcore: the conv and pooling functions, the layer specs of ``dlcore.counting`` and the
    widgets all call it.  All sizes are ints; the result is an int >= 1.  ``pad=`` is an alias
    of ``padding=``.
    """
    n, k, s, p, d = _ints(n, k, stride, padding, dilation)
    span = _span(n, k, s, p, d, axis, where)
    left = span % s
    if strict and left:
        raise ValueError(
            f"stride {s} does not tile the padded input exactly: (n + 2p - d(k-1) - 1) / s = "
            f"({n} + {2 * p} - {d * (k - 1)} - 1) / {s} = {span}/{s} is not an integer; "
            f"{left} row(s)/column(s) are left over (the floor gives output size "
            f"{span // s + 1})")
    return span // s + 1


@torch_keywords
def tiles_exactly(n, k, stride=1, padding=0, dilation=1) -> bool:
    """True when ``(n + 2p - d(k-1) - 1)`` is divisible by ``s`` (no input row left unvisited).

    Raises the ValueError of ``output_size`` when the kernel does not fit at all.
    """
    n, k, s, p, d = _ints(n, k, stride, padding, dilation)
    return _span(n, k, s, p, d) % s == 0


def same_padding(k, dilation=1) -> int:
    """Padding ``p = d(k-1)/2`` that keeps the size at stride 1 (``output_size(n, k, 1, p) == n``).

    Needs an odd effective kernel size ``d(k-1) + 1``; an even one has no symmetric padding
    and raises ValueError.
    """
    k = check_int(k, "k", minimum=1)
    d = check_int(dilation, "dilation", minimum=1)
    eff = d * (k - 1) + 1
    if eff % 2 == 0:
        raise ValueError(f"no symmetric 'same' padding for an even effective kernel size {eff} "
                         f"(k={k}, dilation={d}): d(k-1) = {d * (k - 1)} must be even; use an "
                         f"odd kernel size")
    return d * (k - 1) // 2


class ReceptiveField(NamedTuple):
    """Receptive field of one layer's units: ``size`` input pixels per side, and ``jump``, the
    distance in input pixels between neighbouring units of the layer."""

    size: int
    jump: int


def receptive_fields(layers) -> list[ReceptiveField]:
    """Receptive field after each layer: ``r_l = r_{l-1} + (k_l - 1) d_l j_{l-1}``,
    ``j_l = j_{l-1} s_l``, starting from ``r_0 = j_0 = 1`` (a pixel sees itself).

    ``layers`` is a sequence of ``(kernel, stride)`` or ``(kernel, stride, dilation)`` tuples
    of ints (conv and pooling layers alike; padding does not change the size).  Returns one
    ``ReceptiveField(size, jump)`` per layer.
    """
    r, j = 1, 1
    out = []
    for i, layer in enumerate(layers):
        if not isinstance(layer, (tuple, list)) or len(layer) not in (2, 3):
            raise ValueError(f"layer {i} must be a (kernel, stride) or (kernel, stride, "
                             f"dilation) tuple; got {layer!r}")
        k = check_int(layer[0], f"layer {i} kernel", minimum=1)
        s = check_int(layer[1], f"layer {i} stride", minimum=1)
        d = check_int(layer[2], f"layer {i} dilation", minimum=1) if len(layer) == 3 else 1
        r = r + (k - 1) * d * j
        j = j * s
        out.append(ReceptiveField(r, j))
    return out


def receptive_field(layers) -> ReceptiveField:
    """Receptive field ``ReceptiveField(size, jump)`` of the last layer of ``layers``.

    See ``receptive_fields`` for the recurrence and the format of ``layers``; an empty list
    gives ``(1, 1)``.  Example: three 3x3 convs at stride 1 see 7x7 pixels.
    """
    fields = receptive_fields(layers)
    return fields[-1] if fields else ReceptiveField(1, 1)


@torch_keywords
def inputs_feeding(i, j, kernel, stride=1, padding=0, dilation=1, input_shape=None):
    """Input cells ``(i s - p + a d, j s - p + b d)`` that feed output cell ``(i, j)``.

    Indices are 0-based (row, col) of the unpadded input, in row-major kernel order
    ``(a, b)``; cells that fall in the zero padding are left out (negative indices, and
    indices >= (H, W) when ``input_shape = (H, W)`` is given, which also checks that (i, j)
    is an output cell).  ``kernel``, ``stride``, ``padding`` (alias ``pad``), ``dilation`` are
    ints or (h, w)
    pairs.  With a 4x4 input numbered 1..16 and a 2x2 kernel, output (0, 0) (the slides'
    h11) is fed by pixels 1, 2, 5, 6.
    """
    kh, kw = pair(kernel, "kernel", minimum=1)
    (sh, sw), (ph, pw), (dh, dw) = (pair(stride, "stride", minimum=1),
                                    pair(padding, "padding", minimum=0),
                                    pair(dilation, "dilation", minimum=1))
    i = check_int(i, "i", minimum=0)
    j = check_int(j, "j", minimum=0)
    limit = None
    if input_shape is not None:
        limit = pair(tuple(input_shape), "input_shape", minimum=1)
        ho = output_size(limit[0], kh, sh, ph, dh)
        wo = output_size(limit[1], kw, sw, pw, dw)
        if i >= ho or j >= wo:
            raise ValueError(f"output cell ({i}, {j}) is outside the {ho}x{wo} output of a "
                             f"{limit[0]}x{limit[1]} input")
    cells = []
    for a in range(kh):
        for b in range(kw):
            r, c = i * sh - ph + a * dh, j * sw - pw + b * dw
            if r < 0 or c < 0 or (limit is not None and (r >= limit[0] or c >= limit[1])):
                continue
            cells.append((r, c))
    return cells
