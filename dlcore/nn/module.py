"""``Parameter`` and ``Module``: a PyTorch-shaped surface over dlcore's stateless op pairs.

A module's ``forward(x)`` (also ``module(x)``) computes the output and keeps what its backward
pass needs; ``backward(dout)`` returns ``dx`` and *adds* each parameter's gradient into
``param.grad``, as ``loss.backward()`` accumulates in torch, so ``zero_grad()`` must be called
between steps.  Parameter and buffer names follow torch (``0.weight``, ``2.bias``,
``running_mean``), so ``state_dict()`` loads into the equivalent torch module and back.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from .._checks import as_array, shape_str

__all__ = ["Parameter", "Module"]


class Parameter:
    """A trainable array: ``.data`` (float64) and ``.grad`` (same shape, starts at zero)."""

    def __init__(self, data, name: str = "parameter"):
        self.data = np.array(as_array(data, name), dtype=np.float64)
        self.grad = np.zeros_like(self.data)

    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def size(self) -> int:
        return self.data.size

    def zero_grad(self) -> None:
        self.grad = np.zeros_like(self.data)

    def __repr__(self) -> str:
        return f"Parameter(shape={shape_str(self.data.shape)})"


class Module:
    """Base class: registers Parameters, sub-Modules and buffers assigned as attributes."""

    def __init__(self):
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "training", True)

    def __setattr__(self, name, value):
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"{type(self).__name__}.__init__ must call super().__init__() "
                                 f"before assigning attributes")
        for registry in (self._parameters, self._modules, self._buffers):
            registry.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        object.__setattr__(self, name, value)

    def register_buffer(self, name: str, value: np.ndarray) -> None:
        """A non-trainable array that belongs in ``state_dict`` (e.g. batch-norm running stats)."""
        object.__setattr__(self, name, value)
        self._buffers[name] = name

    # -- computation ---------------------------------------------------------------------------
    def forward(self, *args):
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def backward(self, dout):
        raise NotImplementedError(f"{type(self).__name__} does not define backward()")

    def __call__(self, *args):
        return self.forward(*args)

    # -- traversal -----------------------------------------------------------------------------
    def named_children(self):
        return iter(self._modules.items())

    def children(self):
        return iter(self._modules.values())

    def named_modules(self, prefix: str = ""):
        yield prefix, self
        for name, child in self._modules.items():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name)

    def modules(self):
        for _, m in self.named_modules():
            yield m

    def named_parameters(self, prefix: str = ""):
        """``(name, Parameter)`` pairs in registration order, named as torch names them."""
        for name, p in self._parameters.items():
            yield (f"{prefix}.{name}" if prefix else name), p
        for cname, child in self._modules.items():
            yield from child.named_parameters(f"{prefix}.{cname}" if prefix else cname)

    def parameters(self) -> list:
        return [p for _, p in self.named_parameters()]

    def num_parameters(self) -> int:
        """Total number of trainable scalars, ``sum(p.size)``."""
        return int(sum(p.size for p in self.parameters()))

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.zero_grad()

    def train(self, mode: bool = True):
        for m in self.modules():
            object.__setattr__(m, "training", bool(mode))
        return self

    def eval(self):
        return self.train(False)

    # -- state -----------------------------------------------------------------------------------
    def _named_state(self, prefix: str = ""):
        for name in self._parameters:
            yield (f"{prefix}.{name}" if prefix else name), self, name, True
        for name in self._buffers:
            yield (f"{prefix}.{name}" if prefix else name), self, name, False
        for cname, child in self._modules.items():
            yield from child._named_state(f"{prefix}.{cname}" if prefix else cname)

    def state_dict(self) -> OrderedDict[str, np.ndarray]:
        """Copies of every parameter and buffer, keyed by torch's names."""
        out = OrderedDict()
        for key, owner, name, is_param in self._named_state():
            value = owner._parameters[name].data if is_param else getattr(owner, name)
            out[key] = np.array(value, copy=True)
        return out

    def load_state_dict(self, state: dict, strict: bool = True) -> None:
        """Load arrays (numpy arrays or torch tensors) by name; shapes must match exactly."""
        entries = {key: (owner, name, is_param) for key, owner, name, is_param
                   in self._named_state()}
        missing = [k for k in entries if k not in state]
        unexpected = [k for k in state if k not in entries]
        if strict and (missing or unexpected):
            raise KeyError(f"load_state_dict: missing keys {missing}, unexpected keys "
                           f"{unexpected}; this module expects {list(entries)}")
        for key, value in state.items():
            if key not in entries:
                continue
            owner, name, is_param = entries[key]
            arr = _to_numpy(value)
            current = owner._parameters[name].data if is_param else getattr(owner, name)
            if arr.shape != np.shape(current):
                raise ValueError(f"load_state_dict: {key} must have shape "
                                 f"{shape_str(np.shape(current))}; got {shape_str(arr.shape)}")
            if is_param:
                owner._parameters[name].data = np.array(arr, dtype=np.float64)
                owner._parameters[name].zero_grad()
            else:
                object.__setattr__(owner, name, np.array(arr, dtype=np.asarray(current).dtype))

    # -- display -------------------------------------------------------------------------------
    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        if not self._modules:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}("]
        for name, child in self._modules.items():
            child_repr = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {child_repr}")
        lines.append(")")
        return "\n".join(lines)


def _to_numpy(value) -> np.ndarray:
    if hasattr(value, "detach"):  # a torch tensor; avoid importing torch here
        value = value.detach().cpu().numpy()
    return np.asarray(value)
