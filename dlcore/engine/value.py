"""Value: a scalar that remembers how it was computed, for reverse-mode autodiff (L06).

Shape legend: none; every quantity here is a scalar Python float.

Each operation creates a new ``Value`` whose children are its inputs and attaches a closure,
the *local backward*, that maps the upstream gradient ``dout`` of its output to one
contribution ``local derivative * dout`` per input.  ``backward()`` sorts the graph
topologically (inputs first), starts the output's gradient with ``+= 1.0`` and runs the
closures in reverse order.  Gradients accumulate with ``+=``: a node used twice (``a * a``, or
``b = a + a``) receives both contributions, which is the multivariable chain rule's sum over
paths.

Calling ``backward()`` again adds the gradient of the new pass to every ``.grad`` (as torch
does for leaf tensors, and for non-leaves that ``retain_grad()``), so two calls double every
gradient.  Call ``zero_grad()`` between passes to start from zero.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator
from typing import NamedTuple

from .._checks import check_real

__all__ = ["Value", "BackwardStep", "topological_order", "backward_steps"]


def _coerce(other):
    """A Value for ``other``: Values pass through, plain numbers become constant leaves."""
    if isinstance(other, Value):
        return other
    if isinstance(other, bool) or not isinstance(other, numbers.Real):
        return NotImplemented
    return Value(other)


def _no_backward(dout):
    return ()


class Value:
    """A scalar node of a computational graph: ``.data``, ``.grad`` and how it was made.

    ``Value(data, label="")`` makes a leaf (an input or parameter); ``_children`` and ``_op``
    are set by the operations.  ``.grad`` holds dL/d(this node) after ``L.backward()``.
    Reading the graph: ``.op`` is the operation that made the node ("" for a leaf), ``.args``
    its inputs in order (``a * a`` has args ``(a, a)``), ``.children`` the distinct inputs.
    """

    # numpy scalars on the left (np.float64(2) * v) then defer to Value's reflected operators.
    __array_ufunc__ = None

    def __init__(self, data, label: str = "", _children=(), _op: str = ""):
        self.data = check_real(data, "Value data")
        if not isinstance(label, str):
            raise TypeError(f"label must be a str; got {type(label).__name__}")
        children = tuple(_children)
        for c in children:
            if not isinstance(c, Value):
                raise TypeError(f"_children must be Values; got {type(c).__name__}")
        self.grad = 0.0
        self.label = label
        self._op = _op
        # _args keeps repeats (a * a has args (a, a)); _prev is the set of distinct inputs.
        self._args = children
        self._prev = tuple(dict.fromkeys(children))
        self._backward = _no_backward

    def __repr__(self) -> str:
        return f"Value(data={self.data:.4f}, grad={self.grad:.4f})"

    @property
    def op(self) -> str:
        """The operation that made this node ("+", "*", "tanh"...; "" for a leaf)."""
        return self._op

    @property
    def args(self) -> tuple:
        """The operation's inputs in order, repeats kept (``a * a`` has ``(a, a)``)."""
        return self._args

    @property
    def children(self) -> tuple:
        """The distinct inputs of the operation (empty for a leaf)."""
        return self._prev

    def _describe(self) -> str:
        return f"{self.data:.6g}" + (f" (Value {self.label!r})" if self.label else "")

    def _result(self, data: float, args: tuple, op: str, backward) -> Value:
        if not math.isfinite(data):
            inputs = ", ".join(f"{a.data:.6g}" for a in args)
            raise ValueError(f"{op} overflowed: the result {data} of {op}({inputs}) is not a "
                             f"finite float64 number")
        out = Value(data, _children=args, _op=op)
        out._backward = backward
        return out

    # Arithmetic -------------------------------------------------------------------------------

    def __add__(self, other) -> Value:
        """``out = a + b``; da = dout, db = dout."""
        other = _coerce(other)
        if other is NotImplemented:
            return NotImplemented

        def _backward(dout):
            return ((self, dout), (other, dout))

        return self._result(self.data + other.data, (self, other), "+", _backward)

    def __sub__(self, other) -> Value:
        """``out = a - b``; da = dout, db = -dout."""
        other = _coerce(other)
        if other is NotImplemented:
            return NotImplemented

        def _backward(dout):
            return ((self, dout), (other, -dout))

        return self._result(self.data - other.data, (self, other), "-", _backward)

    def __mul__(self, other) -> Value:
        """``out = a * b``; da = b * dout, db = a * dout."""
        other = _coerce(other)
        if other is NotImplemented:
            return NotImplemented

        def _backward(dout):
            return ((self, other.data * dout), (other, self.data * dout))

        return self._result(self.data * other.data, (self, other), "*", _backward)

    def __truediv__(self, other) -> Value:
        """``out = a / b``; da = dout / b, db = -a * dout / b**2."""
        other = _coerce(other)
        if other is NotImplemented:
            return NotImplemented
        if other.data == 0.0:
            raise ZeroDivisionError(f"division by zero: {self.data:.6g} / {other._describe()}; "
                                    f"the denominator must be nonzero")
        a, b = self.data, other.data

        def _backward(dout):
            return ((self, dout / b), (other, -a * dout / (b * b)))

        return self._result(a / b, (self, other), "/", _backward)

    def __pow__(self, p) -> Value:
        """``out = x ** p`` for a constant exponent p; dx = p * x**(p - 1) * dout."""
        if isinstance(p, Value):
            raise TypeError("Value ** Value is not supported: the exponent must be a constant "
                            "int or float; for a variable exponent write (p * x.log()).exp()")
        if isinstance(p, bool) or not isinstance(p, numbers.Real):
            raise TypeError(f"the exponent of Value ** p must be a constant int or float; got "
                            f"{type(p).__name__}")
        p = check_real(p, "the exponent p")
        x = self.data
        if x < 0 and not p.is_integer():
            raise ValueError(f"x ** p with a negative base needs an integer exponent: "
                             f"({x:.6g}) ** {p:g} is not a real number (domain: x >= 0 for "
                             f"non-integer p)")
        if x == 0 and p < 0:
            raise ZeroDivisionError(f"0 ** {p:g}: zero cannot be raised to a negative power "
                                    f"(division by zero)")
        try:
            data = x**p
        except OverflowError:
            data = math.inf

        def _backward(dout):
            if p == 0:
                return ((self, 0.0),)
            if x == 0 and p < 1:
                raise ValueError(f"the derivative of x ** {p:g} is infinite at x = 0; "
                                 f"differentiate at x > 0")
            return ((self, p * x ** (p - 1) * dout),)

        return self._result(data, (self,), f"**{p:g}", _backward)

    def __neg__(self) -> Value:
        """``out = -x``; dx = -dout."""

        def _backward(dout):
            return ((self, -dout),)

        return self._result(-self.data, (self,), "neg", _backward)

    def __radd__(self, other) -> Value:
        other = _coerce(other)
        return NotImplemented if other is NotImplemented else other + self

    def __rsub__(self, other) -> Value:
        other = _coerce(other)
        return NotImplemented if other is NotImplemented else other - self

    def __rmul__(self, other) -> Value:
        other = _coerce(other)
        return NotImplemented if other is NotImplemented else other * self

    def __rtruediv__(self, other) -> Value:
        other = _coerce(other)
        return NotImplemented if other is NotImplemented else other / self

    def __rpow__(self, base):
        raise TypeError("number ** Value is not supported: the exponent must be a constant; for "
                        "b ** x write (x * math.log(b)).exp()")

    # Elementary functions ---------------------------------------------------------------------

    def exp(self) -> Value:
        """``out = exp(x)``; dx = out * dout."""
        try:
            out = math.exp(self.data)
        except OverflowError:
            out = math.inf

        def _backward(dout):
            return ((self, out * dout),)

        return self._result(out, (self,), "exp", _backward)

    def log(self) -> Value:
        """``out = ln(x)`` for x > 0; dx = dout / x."""
        x = self.data
        if x <= 0:
            raise ValueError(f"log is defined for positive values only (domain x > 0); got "
                             f"x = {self._describe()}")

        def _backward(dout):
            return ((self, dout / x),)

        return self._result(math.log(x), (self,), "log", _backward)

    def tanh(self) -> Value:
        """``out = tanh(x)``; dx = (1 - out**2) * dout."""
        t = math.tanh(self.data)

        def _backward(dout):
            return ((self, (1.0 - t * t) * dout),)

        return self._result(t, (self,), "tanh", _backward)

    def sigmoid(self) -> Value:
        """``out = 1 / (1 + exp(-x))``, without overflow; dx = out * (1 - out) * dout."""
        x = self.data
        if x >= 0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)

        def _backward(dout):
            return ((self, s * (1.0 - s) * dout),)

        return self._result(s, (self,), "sigmoid", _backward)

    def relu(self) -> Value:
        """``out = max(x, 0)``; dx = dout where x > 0, else 0 (relu'(0) = 0, as torch)."""
        x = self.data

        def _backward(dout):
            return ((self, dout if x > 0 else 0.0),)

        return self._result(x if x > 0 else 0.0, (self,), "relu", _backward)

    # Backward pass ----------------------------------------------------------------------------

    def backward(self) -> None:
        """Reverse-mode pass from this node: adds dself/dnode to ``node.grad`` for every node.

        Starts with ``self.grad += 1.0`` and accumulates (``+=``); calling it twice doubles every
        gradient, so call ``zero_grad()`` first to start a fresh pass.
        """
        for _ in backward_steps(self):
            pass

    def zero_grad(self) -> None:
        """Set ``.grad = 0.0`` on every node of the graph that ends in this node."""
        for node in topological_order(self):
            node.grad = 0.0


class BackwardStep(NamedTuple):
    """One local backward: ``node`` that ran it, and its ``(child, contribution)`` pairs."""

    node: Value
    contributions: list


def _check_root(root) -> None:
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value; got {type(root).__name__}")


def topological_order(root: Value) -> list:
    """Every node of ``root``'s graph once, each after all of its inputs (``root`` last).

    Iterative depth-first search, so a chain of thousands of nodes does not hit Python's
    recursion limit.  Inputs appear in the order in which the operations received them.
    """
    _check_root(root)
    order, visited = [], set()
    stack = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if node in visited:
            continue
        visited.add(node)
        stack.append((node, True))
        # Reversed, so that the first input is expanded first.
        stack.extend((c, False) for c in reversed(node._prev) if c not in visited)
    return order


def backward_steps(root: Value) -> Iterator[BackwardStep]:
    """The backward pass of ``root``, one operation at a time (for a step-through display).

    On the first ``next()`` it adds 1.0 to ``root.grad``; then, for each operation node in
    reverse topological order, it runs the node's local backward, adds each contribution to
    the child's ``.grad`` and yields a ``BackwardStep(node, [(child, contribution), ...])``.
    Leaves run no local backward and yield nothing.  Exhausting the generator leaves the same
    gradients as ``root.backward()`` (which is implemented with it).
    """
    _check_root(root)
    order = topological_order(root)
    # The gradient reaching each node in this pass; ``.grad`` may already hold earlier passes.
    upstream = {root: 1.0}
    root.grad += 1.0
    for node in reversed(order):
        if not node._prev:
            continue
        pairs = list(node._backward(upstream.get(node, 0.0)))
        for child, contribution in pairs:
            child.grad += contribution
            upstream[child] = upstream.get(child, 0.0) + contribution
        yield BackwardStep(node, pairs)
