"""Gradient checking: central differences, relative error, and a one-call check against torch.

Every backward pass in dlcore is checked in float64 against central differences

    df/dx_i ~= (f(x + h e_i) - f(x - h e_i)) / (2h),      h = 1e-5,

whose error is O(h^2) from truncation plus O(eps/h) from rounding, about 1e-10 relative for
smooth functions in float64 (float32 noise, eps ~ 1e-7, would hide small bugs).  A check
passes when ``rel_error`` is below 1e-6; the course's own tests use 1e-7 or tighter.

Shapes: ``x`` any shape; ``numerical_gradient`` returns an array of the shape of ``x``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._checks import as_array

__all__ = ["numerical_gradient", "numerical_vjp", "rel_error", "check_op", "CheckResult"]


def _float64_array(x, name: str) -> np.ndarray:
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(f"{name} must be a float64 numpy array (it is perturbed in place and "
                        f"float32 is too coarse for a gradient check); got "
                        f"{type(x).__name__} of dtype {getattr(x, 'dtype', None)}")
    return x


def numerical_gradient(f, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of a scalar function: ``(f(x+h e_i) - f(x-h e_i)) / 2h``.

    ``f`` takes no argument or ``x`` and returns a scalar; ``x`` (any shape, float64) is
    perturbed in place, one entry at a time, and restored, so ``f`` may close over it.
    Returns ``dx`` with the shape of ``x``.
    """
    x = _float64_array(x, "x")
    if not (isinstance(h, (int, float)) and h > 0):
        raise ValueError(f"h must be a positive step size; got {h!r}")
    call = (lambda: f(x)) if _takes_arg(f) else f
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, x):
        raise ValueError("x must be contiguous so that it can be perturbed in place")
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        fp = _scalar(call())
        flat[i] = old - h
        fm = _scalar(call())
        flat[i] = old
        gflat[i] = (fp - fm) / (2 * h)
    return grad


def numerical_vjp(f, x: np.ndarray, dout, h: float = 1e-5) -> np.ndarray:
    """Central-difference vector-Jacobian product ``sum(dout * df/dx)`` for array-valued ``f``.

    ``f`` returns an array of the shape of ``dout``; the result has the shape of ``x``.
    """
    dout = np.asarray(dout, dtype=np.float64)

    call = f if _takes_arg(f) else (lambda _x: f())

    def g(_x):
        out = np.asarray(call(_x), dtype=np.float64)
        if out.shape != dout.shape:
            raise ValueError(f"f returned shape {out.shape}, but dout has shape {dout.shape}")
        return float(np.sum(out * dout))

    return numerical_gradient(g, x, h)


def rel_error(a, b) -> float:
    """Normwise relative error ``max|a - b| / max(max|a|, max|b|)`` (0 when both are 0).

    Normwise rather than elementwise, so that an entry that is 1e-12 in one array and 0 in
    the other does not count as a 100% error.
    """
    a = as_array(a, "a", finite=False).astype(np.float64)
    b = as_array(b, "b", finite=False).astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error needs arrays of the same shape; got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return float("inf")
    scale = max(np.max(np.abs(a)), np.max(np.abs(b)))
    return 0.0 if scale == 0 else float(np.max(np.abs(a - b)) / scale)


@dataclass
class CheckResult:
    """What ``check_op`` measured: errors of each gradient against differences and torch."""

    name: str
    tol: float
    forward_vs_torch: float | None = None
    numeric: dict[str, float] = field(default_factory=dict)
    torch: dict[str, float] = field(default_factory=dict)

    @property
    def max_error(self) -> float:
        errs = list(self.numeric.values()) + list(self.torch.values())
        if self.forward_vs_torch is not None:
            errs.append(self.forward_vs_torch)
        return max(errs, default=0.0)

    @property
    def ok(self) -> bool:
        return self.max_error < self.tol

    def __str__(self) -> str:
        lines = [f"{self.name}: {'ok' if self.ok else 'FAILED'} (tol {self.tol:.0e})"]
        if self.forward_vs_torch is not None:
            lines.append(f"  forward vs torch: {self.forward_vs_torch:.2e}")
        for key in self.numeric:
            t = self.torch.get(key)
            tt = f", vs torch {t:.2e}" if t is not None else ""
            lines.append(f"  d{key}: vs central differences {self.numeric[key]:.2e}{tt}")
        return "\n".join(lines)


def check_op(forward, backward, args, kwargs=None, *, wrt=None, names=None, torch_fn=None,
             h: float = 1e-5, tol: float = 1e-7, seed: int = 20_231, raise_on_fail: bool = True,
             name: str | None = None) -> CheckResult:
    """Check a ``forward -> (out, cache)`` / ``backward(dout, cache) -> grads`` pair in one call.

    ``args`` are the positional inputs of ``forward``; float arrays are copied to float64.  A
    random upstream gradient ``dout`` is drawn; ``backward``'s gradients are compared with
    central differences of ``sum(out * dout)`` and, when ``torch_fn`` is given, with
    torch.autograd on ``torch_fn(*tensors, **kwargs)`` (float64 tensors for float arrays, int64
    for integer arrays, other arguments unchanged), whose output is also compared with ``out``.

    A forward with several outputs returns ``(out1, out2, ..., cache)`` and its backward is
    called as ``backward(dout1, dout2, ..., cache)``; ``torch_fn`` then returns a tuple.
    ``wrt`` lists the argument positions that the returned gradients belong to (default: the
    first ``len(grads)``); an argument that is None must get a None gradient.  ``names`` label
    the arguments in the report.  Raises AssertionError (with the report) when an error
    reaches ``tol`` and ``raise_on_fail`` is true.
    """
    kwargs = dict(kwargs or {})
    args = [np.array(a, dtype=np.float64) if _is_float_array(a) else a for a in args]
    name = name or getattr(forward, "__name__", "op")
    names = list(names) if names is not None else [f"arg{i}" for i in range(len(args))]
    result = CheckResult(name=name, tol=tol)

    *outs, cache = forward(*args, **kwargs)
    outs = [np.asarray(o, dtype=np.float64) for o in outs]
    rng = np.random.default_rng(seed)
    douts = [rng.standard_normal(o.shape) for o in outs]
    grads = backward(*douts, cache)
    if not isinstance(grads, tuple):
        grads = (grads,)
    wrt = tuple(range(len(grads))) if wrt is None else tuple(wrt)
    if len(wrt) != len(grads):
        raise ValueError(f"{name}: backward returned {len(grads)} gradients but wrt has {len(wrt)}")

    def objective():
        *o, _ = forward(*args, **kwargs)
        return sum(float(np.sum(np.asarray(oi, dtype=np.float64) * d)) for oi, d in zip(o, douts))

    for pos, g in zip(wrt, grads):
        if args[pos] is None:
            if g is not None:
                raise AssertionError(f"{name}: argument {names[pos]} is None but its gradient "
                                     f"is not")
            continue
        if g is None or np.shape(g) != np.shape(args[pos]):
            raise AssertionError(f"{name}: gradient for {names[pos]} has shape "
                                 f"{np.shape(g) if g is not None else None}, expected "
                                 f"{np.shape(args[pos])}")
        num = numerical_gradient(objective, args[pos], h)
        result.numeric[names[pos]] = rel_error(g, num)

    if torch_fn is not None:
        _compare_torch(result, torch_fn, args, kwargs, outs, douts, grads, wrt, names)

    if raise_on_fail and not result.ok:
        raise AssertionError(str(result))
    return result


def _compare_torch(result, torch_fn, args, kwargs, outs, douts, grads, wrt, names):
    import torch

    tensors = []
    for i, a in enumerate(args):
        if _is_float_array(a):
            tensors.append(torch.tensor(a, dtype=torch.float64, requires_grad=i in wrt))
        elif isinstance(a, np.ndarray) and np.issubdtype(a.dtype, np.integer):
            tensors.append(torch.tensor(a, dtype=torch.int64))
        else:
            tensors.append(a)
    t_out = torch_fn(*tensors, **kwargs)
    t_outs = list(t_out) if isinstance(t_out, (tuple, list)) else [t_out]
    if len(t_outs) != len(outs):
        raise ValueError(f"{result.name}: torch_fn returned {len(t_outs)} outputs, forward "
                         f"returned {len(outs)}")
    result.forward_vs_torch = max(
        rel_error(o, to.detach().numpy().reshape(o.shape)) for o, to in zip(outs, t_outs))
    torch.autograd.backward([to.reshape(o.shape) for to, o in zip(t_outs, outs)],
                            [torch.tensor(d) for d in douts])
    for pos, g in zip(wrt, grads):
        if args[pos] is None:
            continue
        tg = tensors[pos].grad
        tg = np.zeros_like(args[pos]) if tg is None else tg.numpy()
        result.torch[names[pos]] = rel_error(g, tg)


def _is_float_array(a) -> bool:
    return isinstance(a, np.ndarray) and np.issubdtype(a.dtype, np.floating)


def _takes_arg(f) -> bool:
    import inspect

    try:
        params = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):
        return True
    return any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
               for p in params)


def _scalar(value) -> float:
    arr = np.asarray(value, dtype=np.float64)
    if arr.size != 1:
        raise ValueError(f"f must return a scalar; got an array of shape {arr.shape}")
    return float(arr.reshape(()))
