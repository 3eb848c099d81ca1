"""Validation and small numeric helpers shared by the RNN, LSTM and GRU ops.

Shapes: x (N, T, D) or x_t (N, D); hidden states (N, H); w_ih (G*H, D), w_hh (G*H, H),
b_ih and b_hh (G*H,) with G = 1 (RNN), 4 (LSTM), 3 (GRU).
"""

from __future__ import annotations

import numpy as np

from .._checks import as_array, check_choice, shape_str

_CELL_NAMES = {1: "an RNN", 3: "a GRU", 4: "an LSTM"}


def sigmoid(a: np.ndarray) -> np.ndarray:
    """Logistic function as ``(1 + tanh(a / 2)) / 2``: no overflow for large |a|, one ufunc."""
    out = np.multiply(a, 0.5)
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5
    return out


def check_weights(where: str, w_ih, w_hh, b_ih, b_hh, gates: int):
    """Convert and check ``w_ih`` (G*H, D), ``w_hh`` (G*H, H), biases (G*H,) or None.

    Returns ``(w_ih, w_hh, b_ih, b_hh, H, D)``.
    """
    cell = _CELL_NAMES[gates]
    w_hh = as_array(w_hh, "w_hh", ndim=2, spec="(G*H, H)")
    H = w_hh.shape[1]
    if H == 0 or w_hh.shape[0] != gates * H:
        raise ValueError(f"{where}: w_hh must have shape (G*H, H) with G={gates} for {cell} "
                         f"(rows = {gates} x columns); got {shape_str(w_hh.shape)}")
    w_ih = as_array(w_ih, "w_ih", ndim=2, spec="(G*H, D)")
    if w_ih.shape[0] != gates * H:
        raise ValueError(f"{where}: w_ih must have shape (G*H, D) with G*H = {gates}*{H} = "
                         f"{gates * H} (H={H} from w_hh); got {shape_str(w_ih.shape)}")
    biases = []
    for name, b in (("b_ih", b_ih), ("b_hh", b_hh)):
        if b is not None:
            b = as_array(b, name, ndim=1, spec="(G*H,)")
            if b.shape[0] != gates * H:
                raise ValueError(f"{where}: {name} must have shape (G*H,) = ({gates * H},) "
                                 f"(G={gates}, H={H}); got {shape_str(b.shape)}")
        biases.append(b)
    return w_ih, w_hh, biases[0], biases[1], H, w_ih.shape[1]


def check_input(where: str, x, D: int, *, seq: bool) -> np.ndarray:
    """``x`` (N, T, D) for a sequence or ``x_t`` (N, D) for one step, D matching ``w_ih``."""
    name, spec = ("x", "(N, T, D)") if seq else ("x_t", "(N, D)")
    x = as_array(x, name, ndim=3 if seq else 2, spec=spec)
    if x.shape[-1] != D:
        raise ValueError(f"{where}: {name} must have shape {spec} with D={D} (the columns of "
                         f"w_ih); got {shape_str(x.shape)}")
    if seq and x.shape[1] == 0:
        raise ValueError(f"{where}: x must have at least one time step (T >= 1); got shape "
                         f"{shape_str(x.shape)}")
    return x


def check_state(where: str, h, name: str, N: int, H: int, *, optional: bool = False):
    """A hidden or cell state of shape (N, H); None means zeros when ``optional``."""
    if h is None:
        if optional:
            return None
        raise TypeError(f"{where}: {name} must be an array of shape (N, H) = ({N}, {H}); "
                        f"got None")
    h = as_array(h, name, spec="(N, H)")
    if h.shape != (N, H):
        raise ValueError(f"{where}: {name} must have shape (N, H) = ({N}, {H}); got "
                         f"{shape_str(h.shape)}")
    return h


def check_upstream(where: str, d, name: str, shape: tuple, spec: str) -> np.ndarray:
    """An upstream gradient that must have exactly the shape of the forward output."""
    d = as_array(d, name, spec=spec)
    if d.shape != tuple(shape):
        sizes = ", ".join(str(s) for s in shape)
        raise ValueError(f"{where}: {name} must have the shape of the forward output, "
                         f"{spec} = ({sizes}); got {shape_str(d.shape)}")
    return d


def common_dtype(*arrays) -> np.dtype:
    """float32 only when every given array is float32; otherwise float64."""
    return np.result_type(*[a.dtype for a in arrays if a is not None])


def cast(dtype, *arrays):
    """Cast arrays (or None) to ``dtype`` without copying those that already have it."""
    return tuple(None if a is None else a.astype(dtype, copy=False) for a in arrays)


def bias_sum(b_ih, b_hh, size: int, dtype):
    """``b_ih + b_hh`` with None meaning zero; None when both are None."""
    if b_ih is None and b_hh is None:
        return None
    b = np.zeros(size, dtype=dtype)
    if b_ih is not None:
        b += b_ih
    if b_hh is not None:
        b += b_hh
    return b


def check_nonlinearity(nonlinearity: str) -> str:
    return check_choice(nonlinearity, "nonlinearity", ("tanh", "relu"))


def check_truncate(truncate):
    """None (full BPTT) or an integer >= 1."""
    if truncate is None:
        return None
    if isinstance(truncate, bool) or not isinstance(truncate, (int, np.integer)):
        raise TypeError(f"truncate must be None or an integer >= 1; got {truncate!r}")
    if truncate < 1:
        raise ValueError(f"truncate must be None (full BPTT) or an integer >= 1; got {truncate}")
    return int(truncate)


def check_cache(cache, kind: str, where: str) -> dict:
    if not isinstance(cache, dict) or cache.get("kind") != kind:
        raise TypeError(f"{where}: cache must be the cache returned by the matching "
                        f"{kind.replace('_', ' ')} forward function")
    return cache
