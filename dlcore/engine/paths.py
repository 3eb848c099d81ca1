"""Sums over paths in a ``Value`` graph, and the small networks of lecture 6 built from Values.

Shape legend: none; every quantity is a scalar ``Value`` (weights are given as nested lists in
PyTorch's (out, in) order: ``weights[l][j][i]`` joins input i of layer l to its unit j).

The multivariable chain rule says that dL/dw is a sum over every directed path from w to L of
the product of the local derivatives along the path.  ``path_products`` lists those paths at the
level of *labelled* nodes (units, weights, the loss), so that a path reads like the slides'
pictures: ``w1_22 -> z1_2 -> z2_1 -> y_hat -> L``.  Their sum equals ``w.grad`` after
``L.backward()``, which is how reverse mode computes the same number without listing paths.
"""

from __future__ import annotations

from typing import NamedTuple

from .value import Value, topological_order

__all__ = ["local_derivatives", "path_products", "GraphPath", "value_network", "chain_example",
           "PATH_NET"]

MAX_PATHS = 10_000

# The 2-2-2-1 sigmoid network of the path widget (no biases, as in Dripta MJ's binary classifier).
PATH_NET = {
    "x": (1.0, 0.5),
    "y": 1.0,
    "weights": ([[0.5, -0.3], [0.8, 0.2]], [[0.4, -0.6], [0.7, 0.1]], [[1.2, -0.9]]),
}


class GraphPath(NamedTuple):
    """One path from a leaf to the root: labelled ``nodes``, one ``factor`` per hop, ``product``.

    ``factors[i]`` is d nodes[i+1] / d nodes[i] along this path (summed over the unlabelled
    routes between the two labelled nodes), and ``product`` is their product.
    """

    nodes: tuple
    factors: tuple
    product: float


def local_derivatives(node: Value) -> list:
    """``[(child, d node / d child), ...]`` for the operation that made ``node`` (empty for a leaf).

    Runs the node's local backward with ``dout = 1``; an input used twice (``a * a``) appears
    twice, once per use.  Nothing is accumulated into ``.grad``.
    """
    if not isinstance(node, Value):
        raise TypeError(f"node must be a Value; got {type(node).__name__}")
    if not node._prev:
        return []
    return [(child, float(d)) for child, d in node._backward(1.0)]


def _parents(root: Value) -> dict:
    parents: dict = {}
    for node in topological_order(root):
        for child, d in local_derivatives(node):
            parents.setdefault(child, []).append((node, d))
    return parents


def _segments(start: Value, marked: set, parents: dict, nodes: list, order: dict) -> dict:
    """d(m)/d(start) over routes that meet no marked node in between, for each reachable m."""
    acc, out = {start: 1.0}, {}
    # Topological order: every route into a node is summed before the node passes it on.
    for node in nodes[order[start]:]:
        if node not in acc:
            continue
        if node is not start and node in marked:
            out[node] = acc[node]
            continue
        for parent, d in parents.get(node, ()):
            acc[parent] = acc.get(parent, 0.0) + acc[node] * d
    return out


def path_products(root: Value, leaf: Value) -> list:
    """Every path from ``leaf`` to ``root`` through labelled nodes, with its product of factors.

    Nodes with a non-empty ``label`` (and ``leaf`` and ``root``) mark the hops; routes between
    two marked nodes through unlabelled operations are summed into one factor.  The products
    sum to dL/d(leaf), i.e. ``leaf.grad`` after a fresh ``root.backward()``.  A leaf the root
    does not depend on has no path (an empty list).  Returns a list of ``GraphPath``.
    """
    for name, v in (("root", root), ("leaf", leaf)):
        if not isinstance(v, Value):
            raise TypeError(f"{name} must be a Value; got {type(v).__name__}")
    nodes = topological_order(root)
    order = {v: i for i, v in enumerate(nodes)}
    if leaf not in order:
        raise ValueError(f"leaf {leaf.label or leaf!r} is not part of the graph of the root")
    marked = {v for v in nodes if v.label} | {leaf, root}
    parents = _parents(root)
    cache: dict = {}
    paths: list = []

    def walk(node, trail, factors, product):
        if len(paths) > MAX_PATHS:
            raise ValueError(f"the graph has more than {MAX_PATHS} labelled paths from the leaf "
                             f"to the root; label fewer nodes")
        if node is root:
            paths.append(GraphPath(tuple(trail), tuple(factors), product))
            return
        if node not in cache:
            cache[node] = _segments(node, marked, parents, nodes, order)
        for nxt, factor in sorted(cache[node].items(), key=lambda kv: order[kv[0]]):
            walk(nxt, trail + [nxt], factors + [factor], product * factor)

    walk(leaf, [leaf], [], 1.0)
    return paths


def _as_value(v, label: str) -> Value:
    if isinstance(v, Value):
        if not v.label:
            v.label = label
        return v
    return Value(v, label)


def value_network(x, weights, y: float = 1.0) -> dict:
    """A bias-free sigmoid network of Values with a binary cross-entropy loss.

    ``z^(l) = sigmoid(W^(l) z^(l-1))`` with ``z^(0) = x``; the last layer has one unit, ``y_hat``;
    ``L = -(y log y_hat + (1 - y) log(1 - y_hat))`` (binary cross-entropy).
    ``x``: D numbers; ``weights[l]``: nested lists (M_l, M_{l-1}) in (out, in) order; ``y`` in
    [0, 1].  Labels: inputs ``x1..``, weights ``w{l}_{j}{i}`` (1-based), units ``z{l}_{j}``,
    ``y_hat``, ``L``.  Returns ``{"inputs", "weights", "units", "y_hat", "loss"}`` (label -> Value
    dicts, then the two Values).
    """
    if isinstance(y, bool) or not isinstance(y, (int, float)) or not 0.0 <= y <= 1.0:
        raise ValueError(f"y must be a target in [0, 1]; got {y!r}")
    inputs = {f"x{i + 1}": _as_value(v, f"x{i + 1}") for i, v in enumerate(x)}
    if not inputs:
        raise ValueError("x must hold at least one input")
    layer = list(inputs.values())
    params, units = {}, {}
    for l, w in enumerate(weights, start=1):
        rows = [list(r) for r in w]
        if not rows or any(len(r) != len(layer) for r in rows):
            raise ValueError(f"weights[{l - 1}] must have shape (M, {len(layer)}) in (out, in) "
                             f"order, one row per unit; got rows of lengths "
                             f"{[len(r) for r in rows]}")
        nxt = []
        for j, row in enumerate(rows, start=1):
            total = None
            for i, (wv, inp) in enumerate(zip(row, layer), start=1):
                wval = _as_value(wv, f"w{l}_{j}{i}")
                params[wval.label] = wval
                total = wval * inp if total is None else total + wval * inp
            z = total.sigmoid()
            z.label = f"z{l}_{j}"
            units[z.label] = z
            nxt.append(z)
        layer = nxt
    if len(layer) != 1:
        raise ValueError(f"the last layer must have one unit (y_hat); got {len(layer)}")
    y_hat = layer[0]
    y_hat.label = "y_hat"
    loss = -(y * y_hat.log() + (1.0 - y) * (1.0 - y_hat).log())
    loss.label = "L"
    return {"inputs": inputs, "weights": params, "units": units, "y_hat": y_hat, "loss": loss}


def chain_example(x=1.0, y=1.0, w1=0.5, b1=0.0, w2=-1.0, w3=2.0) -> Value:
    """The thin chain of lecture 6: ``h1 = s(w1 x + b1)``, ``h2 = s(w2 h1)``, ``y_hat = s(w3 h2)``.

    Returns ``L = 1/2 (y - y_hat)^2`` as a Value; ``s`` is the sigmoid.  Arguments are numbers
    or Values (numbers become labelled leaves).  Every node is labelled, with the slides' names
    for the pre-activations (``a1, a2, a3``), so that graphs and paths read like the slides.
    The defaults give y_hat = 0.667843, L = 0.0551642 (the slides give no numbers for this
    chain; these are the course's).
    """
    x, y, w1, b1, w2, w3 = (_as_value(v, n) for v, n in
                            ((x, "x"), (y, "y"), (w1, "w1"), (b1, "b1"), (w2, "w2"), (w3, "w3")))
    def name(v: Value, label: str) -> Value:
        v.label = label
        return v

    h1 = name(name(name(w1 * x, "w1 x") + b1, "a1").sigmoid(), "h1")
    h2 = name(name(w2 * h1, "a2").sigmoid(), "h2")
    y_hat = name(name(w3 * h2, "a3").sigmoid(), "y_hat")
    err = name(y - y_hat, "y - y_hat")
    return name(Value(0.5, "1/2") * name(err ** 2, "(y - y_hat)^2"), "L")
