"""Argument checks shared by the conv and pooling modules (private).

Shape legend: x (N, C, H, W) images, w (F, C, KH, KW) filters, b (F,) biases, dout the upstream
gradient with the shape of the forward output.
"""

from __future__ import annotations

import functools
import inspect
import numbers

import numpy as np

from .._checks import as_array, shape_str

X_SPEC = "(N, C, H, W)"
W_SPEC = "(F, C, KH, KW)"


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


def images(x, name: str = "x") -> np.ndarray:
    """A finite 4-D float array (N, C, H, W); float32 stays float32."""
    return as_array(x, name, ndim=4, spec=X_SPEC)


def conv_operands(where: str, x, w, b):
    """Check ``x`` (N, C, H, W), ``w`` (F, C, KH, KW) and ``b`` (F,) or None together."""
    x = images(x)
    w = as_array(w, "w", ndim=4, spec=W_SPEC)
    if w.shape[1] != x.shape[1]:
        raise ValueError(
            f"{where}: w has C={w.shape[1]} input channels but x has C={x.shape[1]}: "
            f"x {X_SPEC} = {shape_str(x.shape)}, w {W_SPEC} = {shape_str(w.shape)}")
    if b is not None:
        b = as_array(b, "b")
        if b.shape != (w.shape[0],):
            raise ValueError(f"{where}: b must have shape (F,) = ({w.shape[0]},), one bias per "
                             f"filter of w {shape_str(w.shape)}; got {shape_str(b.shape)}")
    return x, w, b


def upstream(dout, shape, dtype, where: str) -> np.ndarray:
    """``dout`` checked against the forward output shape and cast to the forward dtype."""
    dout = as_array(dout, "dout")
    if dout.shape != tuple(shape):
        raise ValueError(f"{where}: dout must have the shape of the forward output "
                         f"{shape_str(shape)}; got {shape_str(dout.shape)}")
    return dout.astype(dtype, copy=False)


def pool_setup(where, x, kernel_size, stride, padding):
    """Check a pooling call: -> x, kernel_size, stride, padding (pairs), out shape
    (N, C, H_out, W_out)."""
    x = images(x)
    kh, kw = pair(kernel_size, "kernel_size", minimum=1)
    sh, sw = pair(kernel_size if stride is None else stride, "stride", minimum=1)
    ph, pw = pair(padding, "padding", minimum=0)
    if 2 * ph > kh or 2 * pw > kw:
        raise ValueError(f"{where}: padding {(ph, pw)} must be at most half the window size "
                         f"{(kh, kw)} (as in torch)")
    from .sizes import output_size  # sizes.py imports ``pair`` from here

    ho = output_size(x.shape[2], kh, sh, ph, axis="height", where=where)
    wo = output_size(x.shape[3], kw, sw, pw, axis="width", where=where)
    return x, (kh, kw), (sh, sw), (ph, pw), (*x.shape[:2], ho, wo)
