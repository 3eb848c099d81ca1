"""Threshold networks of lecture 5: XOR from two layers, regions cut out by half-planes.

Shape legend: N points, D inputs of a layer, M units of a layer, K half-planes.

A threshold layer computes ``h = step(x @ w.T + b)`` with step(0) = 1 (a unit fires when its
sum reaches the threshold, the course's convention); weights are in PyTorch's (out, in) layout, so
``w[j, i]`` joins input i to unit j.  Half-plane k is ``{x : cos(t_k) x1 + sin(t_k) x2 >= d_k}``,
t_k in degrees: one threshold unit with weights (cos t_k, sin t_k) and bias -d_k.
"""

from __future__ import annotations

import numpy as np

from ..._checks import as_array, check_shapes

__all__ = ["threshold_net_forward", "xor_layers", "half_plane_layers", "MOONS_HALF_PLANES"]

# Two triangles that together cover the lower moon of ``dlcore.data.moons()``: planes 1-3 the
# left half, planes 4-6 the right half.  Intersecting all six covers almost nothing.
MOONS_HALF_PLANES = {
    "angles": (225.0, 0.0, 90.0, 315.0, 180.0, 90.0),
    "offsets": (-0.42, -0.25, -0.9, 0.99, -2.4, -0.9),
    "groups": ((0, 1, 2), (3, 4, 5)),
}


def threshold_net_forward(X, layers, return_hidden: bool = False):
    """``h_l = step(h_{l-1} @ w_l.T + b_l)`` layer after layer, ``h_0 = X``, step(0) = 1.

    X (N, D); ``layers`` a list of ``(w, b)`` with w (M_l, M_{l-1}), b (M_l,).  Returns the
    last layer's output (N, M_L) as int64, or ``(out, [h_1, ..., h_L])`` with
    ``return_hidden``.
    """
    from ...layers import linear_forward
    from ...neurons import step

    h = as_array(X, "X", ndim=2, spec="(N, D)")
    if not isinstance(layers, (list, tuple)) or not layers:
        raise TypeError("layers must be a non-empty list of (w, b) pairs")
    hidden = []
    for l, layer in enumerate(layers, start=1):
        if not (isinstance(layer, (list, tuple)) and len(layer) == 2):
            raise TypeError(f"layers[{l - 1}] must be a (w, b) pair; got {layer!r}")
        w = as_array(layer[0], f"w{l}", ndim=2, spec="(M, D)")
        b = as_array(layer[1], f"b{l}", ndim=1, spec="(M,)")
        check_shapes("threshold_net_forward", **{f"h{l - 1}": (h, "N D"), f"w{l}": (w, "M D"),
                                                 f"b{l}": (b, "M")})
        h = np.asarray(step(linear_forward(h, w, b)[0]), dtype=np.int64).reshape(len(h), -1)
        hidden.append(h)
    return (h, hidden) if return_hidden else h


def xor_layers(output_weights=(1.0, -1.0), output_bias: float = -0.5) -> list:
    """The two-layer threshold net of lecture 5: hidden units OR and AND, then an output unit.

    Hidden layer: w1 = [[1, 1], [1, 1]], b1 = [-0.5, -1.5] (OR fires for x1 + x2 >= 0.5, AND
    for x1 + x2 >= 1.5, as in Dripta MJ, *Deep Learning: The Basics*).  Output:
    w2 = [output_weights] (1, 2), b2 = [output_bias] (1,); the defaults (1, -1), -0.5 compute XOR.
    Returns ``[(w1, b1), (w2, b2)]``.
    """
    w2 = as_array(output_weights, "output_weights", ndim=1, spec="(2,)")
    if w2.shape != (2,):
        raise ValueError(f"output_weights must be a pair (v_OR, v_AND), shape (2,); got shape "
                         f"{tuple(w2.shape)}")
    b2 = as_array(output_bias, "output_bias", ndim=0)
    w1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    b1 = np.array([-0.5, -1.5])
    return [(w1, b1), (w2[None, :].astype(float), b2.reshape(1).astype(float))]


def half_plane_layers(angles, offsets, groups=None) -> list:
    """Threshold layers whose output is 1 on an intersection, or a union of intersections.

    Layer 1: unit k fires on ``cos(t_k) x1 + sin(t_k) x2 >= d_k`` (angles t in degrees,
    offsets d, both (K,)).  With ``groups=None`` the output ANDs every unit (one hidden layer:
    a convex region).  With ``groups`` (a sequence of index lists), layer 2 ANDs each group
    and the output ORs the groups (two hidden layers: a union of convex regions).
    Returns a list of ``(w, b)`` pairs for ``threshold_net_forward``.
    """
    t = as_array(angles, "angles", ndim=1, spec="(K,)")
    d = as_array(offsets, "offsets", ndim=1, spec="(K,)")
    check_shapes("half_plane_layers", angles=(t, "K"), offsets=(d, "K"))
    k = t.size
    if k == 0:
        raise ValueError("angles must hold at least one half-plane")
    rad = np.radians(t)
    first = (np.stack([np.cos(rad), np.sin(rad)], axis=1), -d)
    if groups is None:
        return [first, (np.ones((1, k)), np.array([0.5 - k]))]
    groups = [list(g) for g in groups]
    if not groups:
        raise ValueError("groups must hold at least one group of half-plane indices")
    w2 = np.zeros((len(groups), k))
    for g, members in enumerate(groups):
        if not members or any(isinstance(i, bool) or not isinstance(i, (int, np.integer))
                              or not 0 <= i < k for i in members):
            raise ValueError(f"groups[{g}] must be a non-empty list of half-plane indices in "
                             f"[0, {k}); got {members}")
        w2[g, members] = 1.0
    b2 = 0.5 - w2.sum(axis=1)
    return [first, (w2, b2), (np.ones((1, len(groups))), np.array([-0.5]))]
