"""``path_sums``: a weight of a 2-2-2-1 net -> its paths to the loss, their products, the sum.

Shapes: x (2,), weights (2, 2), (2, 2), (1, 2) in (out, in) order; every node is a scalar Value.
"""

from __future__ import annotations

import html

import numpy as np

from ...engine import PATH_NET, path_products, value_network
from ...viz.mlp import mlp_layout
from .._base import CYCLE, PALETTE, App, dropdown, make_figure, readout, slider
from .._text import cached_text
from ..mlp._common import DirtyRegions, readable, row

__all__ = ["path_sums"]

_SHAPES = ((2, 2), (2, 2), (1, 2))
_SUB = str.maketrans("0123456789", "\u2080\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089")


def _check_weights(weights):
    arrs = [np.asarray(w, dtype=float) for w in weights]
    if len(arrs) != 3 or tuple(a.shape for a in arrs) != _SHAPES:
        raise ValueError(f"weights must be three matrices of shapes (2, 2), (2, 2) and (1, 2) "
                         f"in (out, in) order for the 2-2-2-1 net; got shapes "
                         f"{[a.shape for a in arrs]}")
    if not all(np.all(np.isfinite(a)) for a in arrs):
        raise ValueError("weights must be finite")
    return [a.tolist() for a in arrs]


def _unit_name(label: str) -> str:
    """'z1_2' -> 'z2(1)' style names that match the slides' z_j^(l)."""
    if label.startswith("z"):
        layer, unit = label[1:].split("_")
        return f"z{unit.translate(_SUB)}({layer})"
    return label


def _edge_between(a: str, b: str) -> str:
    """The weight joining unit ``a`` to unit ``b`` of the next layer: z1_2, z2_1 -> w2_12."""
    layer, j = (3, "1") if b == "y_hat" else (int(b[1]), b.split("_")[1])
    return f"w{layer}_{j}{a.split('_')[1]}"


class PathSums(DirtyRegions, App):
    def __init__(self, weights, x, y, weight):
        self.weights = _check_weights(weights)
        x = np.asarray(x, dtype=float)
        if x.shape != (2,) or not np.all(np.isfinite(x)):
            raise ValueError(f"x must be two finite inputs (x1, x2); got {x!r}")
        if y not in (0, 1):
            raise ValueError(f"y must be the target 0 or 1; got {y!r}")
        lay = mlp_layout([2, 2, 2, 1], bias=False)
        self.edge_labels = [f"w{l}_{j + 1}{i + 1}" for l, j, i in lay["edge_index"]]
        if weight not in self.edge_labels:
            raise ValueError(f"weight must be one of {', '.join(self.edge_labels)}; got "
                             f"{weight!r}")
        options = {f"{lab}: {self._edge_text(lab)}": lab for lab in self.edge_labels}
        controls = {
            "weight": dropdown("weight (or click an edge)", options, value=weight),
            "x1": slider("input x1", float(x[0]), -2, 2, 0.05),
            "x2": slider("input x2", float(x[1]), -2, 2, 0.05),
            "y": dropdown("target y", {"1": 1, "0": 0}, value=int(y)),
        }
        fig, ax = make_figure(figsize=(7.2, 4.2))
        readouts = {"paths": readout(), "total": readout()}
        super().__init__(controls, fig, readouts, title="Sum over paths in a 2-2-2-1 network")
        self.arrange([controls["weight"], row(controls["x1"], controls["x2"], controls["y"])])
        self.ax = ax
        self.edges = {}
        for lab, (p, q) in zip(self.edge_labels, lay["edges"]):
            (line,) = ax.plot([p[0], q[0]], [p[1], q[1]], color=PALETTE["grey"], lw=1.2,
                              zorder=1, picker=True, pickradius=6, gid=lab)
            self.edges[lab] = line
        self.wtext = cached_text(ax, 0, 0, "", fontsize=9, ha="center", color=PALETTE["vermillion"],
                                 bbox={"fc": "white", "ec": "none", "alpha": 0.85}, zorder=4)
        self.pos = {}
        names = [["x1", "x2"], ["z1_1", "z1_2"], ["z2_1", "z2_2"], ["y_hat"]]
        for layer, pts in zip(names, lay["neurons"]):
            for lab, pt in zip(layer, pts):
                self.pos[lab] = pt
        self.pos["L"] = np.array([4.0, 0.0])
        ax.plot([3, 4], [0, 0], color=PALETTE["grey"], lw=1.2, zorder=1)
        pts = np.array(list(self.pos.values()))
        self.units = ax.scatter(pts[:, 0], pts[:, 1], s=900, c="white", edgecolors="black",
                                zorder=3)
        names = [cached_text(ax, pt[0], pt[1], _unit_name(lab).replace("y_hat", "y*"), ha="center",
                             va="center", fontsize=9, zorder=5) for lab, pt in self.pos.items()]
        ax.set_xlim(-0.5, 4.5)
        ax.set_ylim(-0.9, 0.9)
        ax.set_xticks(range(5), ["input", "layer 1", "layer 2", "output", "loss"])
        ax.set_yticks([])
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel("layer")
        ax.set_ylabel("units")
        fig.canvas.mpl_connect("pick_event", self._on_pick)
        # A change recolours edges and rewrites the title and the weight's label; the units
        # are drawn over the edges, so they are redrawn with them.  Only what changed is
        # redrawn (DirtyRegions): moving an input changes the title alone.
        self.set_dynamic([*self.edges.values(), self.units, self.wtext, *names, ax.title])
        self.update()

    def _edge_text(self, lab: str) -> str:
        layer, (j, i) = int(lab[1]), lab.split("_")[1]
        src = f"x{i}" if layer == 1 else _unit_name(f"z{layer - 1}_{i}")
        dst = "y*" if layer == 3 else _unit_name(f"z{layer}_{j}")
        return f"{src} -> {dst}"

    def _on_pick(self, event) -> None:
        gid = event.artist.get_gid()
        if gid in self.edge_labels:
            self.controls["weight"].value = gid

    def network(self):
        c = self.controls
        return value_network((c["x1"].value, c["x2"].value), self.weights, float(c["y"].value))

    def update(self) -> None:
        lab = self.controls["weight"].value
        net = self.network()
        loss = net["loss"]
        loss.backward()
        w = net["weights"][lab]
        paths = path_products(loss, w)
        total = sum(p.product for p in paths)
        for line in self.edges.values():
            line.set_color(PALETTE["grey"])
            line.set_linewidth(1.2)
            line.set_linestyle("-")
        for k, p in enumerate(paths):
            colour = CYCLE[k % len(CYCLE)]
            units = [n.label for n in p.nodes[1:-1]]
            for a, b in zip(units[:-1], units[1:]):
                edge = self.edges[_edge_between(a, b)]
                edge.set_color(colour)
                edge.set_linewidth(3.0)
        sel = self.edges[lab]
        sel.set_color(PALETTE["black"])
        sel.set_linewidth(4.0)
        sel.set_linestyle("--")
        xs, ys = sel.get_data()
        self.wtext.set_position((0.35 * xs[0] + 0.65 * xs[1], 0.35 * ys[0] + 0.65 * ys[1] + 0.12))
        self.wtext.set_text(f"{lab} = {w.data:g}")
        rows = []
        for k, p in enumerate(paths, start=1):
            route = " -> ".join(_unit_name(n.label) for n in p.nodes)
            hops = " x ".join(f"d{_unit_name(b.label)}/d{_unit_name(a.label)} = {readable(f, 4)}"
                              for a, b, f in zip(p.nodes[:-1], p.nodes[1:], p.factors))
            rows.append(f"path {k}: {route}\n    {hops}\n    product = {readable(p.product, 6)}")
        self.readouts["paths"].value = "<pre>" + html.escape("\n".join(rows)) + "</pre>"
        self.set_readout("total", f"Sum over {len(paths)} path(s) = {readable(total, 6)}; backprop "
                                  f"(L.backward()) gives dL/d{lab} = {readable(w.grad, 6)}.")
        self.ax.set_title(f"dL/d{lab} = sum over {len(paths)} path(s) = {readable(total, 4)}",
                          fontsize=10)
        where = "one path" if len(paths) == 1 else f"{len(paths)} paths, coloured"
        self.set_summary(f"The 2-2-2-1 network with {lab} ({self._edge_text(lab)}) dashed; its "
                         f"{where}, lead to the loss. dL/d{lab} = {readable(w.grad, 4)} = sum "
                         f"of the path products.")

    def paths(self):
        """The ``GraphPath`` list of the selected weight (for tests and notebooks)."""
        net = self.network()
        net["loss"].backward()
        return path_products(net["loss"], net["weights"][self.controls["weight"].value])


def path_sums(weights=None, x=None, y: int = 1, weight: str = "w1_22") -> PathSums:
    """Select a weight of a 2-2-2-1 sigmoid net (BCE loss) -> its paths, their products, the sum.

    ``weights``: three matrices (2, 2), (2, 2), (1, 2) in (out, in) order, no biases (default
    ``engine.PATH_NET``); ``x`` two inputs; ``y`` the target 0 or 1; ``weight`` the starting
    selection, named ``w{layer}_{out}{in}`` (``w1_22`` joins x2 to z2(1)).
    """
    weights = PATH_NET["weights"] if weights is None else weights
    x = PATH_NET["x"] if x is None else x
    return PathSums(weights, x, y, weight)
