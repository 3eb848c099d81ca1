"""Drawing a Value's computational graph with matplotlib alone (no graphviz binary).

Shape legend: none; positions are (x, y) pairs in drawing units (one unit is one inch when the
figure is drawn at its natural size).

Every Value is a box (label, data, grad to 4 significant digits) and every operation a small
circle; arrows go from inputs to the operation and from the operation to its output.  Computed
nodes sit at their depth (the longest path from the inputs); an input sits one column before
the first operation that uses it, as graphviz's dot would place it, so that parameters such as
``w3`` appear next to their use instead of far away at the start.
"""

from __future__ import annotations

from .value import Value, topological_order

__all__ = ["draw_graph", "graph_layout"]

# Okabe-Ito colour-blind-safe palette.
_BLUE, _SKY, _ORANGE, _VERMILLION, _YELLOW = "#0072B2", "#56B4E9", "#E69F00", "#D55E00", "#F0E442"
_EDGE = "#444444"

_BOX_W = 1.15  # a box fits "grad -0.02573" at 8 pt
_LINE_H = 0.17
_RADIUS = 0.22
_GAP = 0.3
_FONT = 8.0
_OP_SYMBOLS = {"+": "+", "-": "\u2212", "*": "\u00d7", "/": "\u00f7", "neg": "\u2212x",
               "sigmoid": "\u03c3", "relu": "ReLU"}
_MAX_FIGSIZE = (20.0, 14.0)


def _box_height(n_lines: int) -> float:
    return n_lines * _LINE_H + 0.14


def graph_layout(root: Value, rankdir: str = "LR", n_lines: int = 3) -> dict:
    """Positions of the graph of ``root``: ``{"values": {node: (x, y)}, "ops": {node: (x, y)},
    "box": (w, h), "radius": r}``.

    ``"ops"`` is keyed by the Value the operation produces.  ``rankdir`` is ``"LR"`` (inputs on
    the left) or ``"TB"`` (inputs on top).  Nodes of a column are ordered by the mean position
    of their inputs (ties by topological order), which keeps edges short and is deterministic.
    """
    if rankdir not in ("LR", "TB"):
        raise ValueError(f"rankdir must be 'LR' or 'TB'; got {rankdir!r}")
    order = topological_order(root)
    index = {v: i for i, v in enumerate(order)}
    col = {}
    for v in order:
        col[v] = 2 + max(col[c] for c in v._prev) if v._prev else 0
    first_use = {}
    for v in order:
        for c in v._prev:
            first_use[c] = min(first_use.get(c, col[v] - 1), col[v] - 1)
    for v in order:
        if not v._prev and v in first_use:
            col[v] = first_use[v] - 1

    # Items are ("value", v) in column col[v] and ("op", v) in column col[v] - 1.
    columns: dict[int, list] = {}
    for v in order:
        columns.setdefault(col[v], []).append(("value", v))
        if v._prev:
            columns.setdefault(col[v] - 1, []).append(("op", v))

    box_w, box_h = _BOX_W, _box_height(n_lines)
    if rankdir == "LR":
        flow, across = _BOX_W / 2 + _RADIUS + _GAP, box_h + 0.3
    else:
        flow, across = box_h / 2 + _RADIUS + _GAP, _BOX_W + 0.25

    consumer = {}
    for v in order:
        for c in v._prev:
            if not c._prev and col[v] - 1 == col[c] + 1:
                consumer.setdefault(c, v)

    # Two barycentre sweeps: the second sees where each input's consumer landed in the first.
    rank: dict = {}
    for _ in range(2):
        previous, rank = rank, {}
        for c in sorted(columns):
            def key(item, previous=previous, rank=rank):
                kind, v = item
                if kind == "value" and v._prev:
                    refs = [("op", v)]
                elif kind == "op":
                    refs = [("value", u) for u in v._prev]
                else:
                    refs = [("op", consumer[v])] if v in consumer else []
                known = [rank.get(r, previous.get(r)) for r in refs]
                known = [k for k in known if k is not None]
                centre = sum(known) / len(known) if known else 0.0
                return (centre, index[v], kind == "value")

            items = sorted(columns[c], key=key)
            for r, item in enumerate(items):
                rank[item] = r - (len(items) - 1) / 2

    values, ops = {}, {}
    for (kind, v), r in rank.items():
        c = col[v] if kind == "value" else col[v] - 1
        xy = (c * flow, -r * across) if rankdir == "LR" else (r * across, -c * flow)
        (values if kind == "value" else ops)[v] = xy
    return {"values": values, "ops": ops, "box": (box_w, box_h), "radius": _RADIUS}


def _tint(colour, amount: float):
    from matplotlib.colors import to_rgb

    return tuple(1.0 - amount * (1.0 - ch) for ch in to_rgb(colour))


def _rect_exit(centre, half_w, half_h, towards):
    dx, dy = towards[0] - centre[0], towards[1] - centre[1]
    t = min(half_w / abs(dx) if dx else float("inf"), half_h / abs(dy) if dy else float("inf"))
    return (centre[0] + t * dx, centre[1] + t * dy)


def _circle_exit(centre, radius, towards):
    dx, dy = towards[0] - centre[0], towards[1] - centre[1]
    norm = (dx * dx + dy * dy) ** 0.5 or 1.0
    return (centre[0] + radius * dx / norm, centre[1] + radius * dy / norm)


def draw_graph(root: Value, ax=None, show_grad: bool = True, rankdir: str = "LR"):
    """Draw the computational graph of ``root``: boxes for Values, circles for operations.

    Each box shows the label (if any), ``data`` and (with ``show_grad``) ``grad`` to 4
    significant digits; inputs are blue, the output orange.  ``rankdir`` is ``"LR"`` or
    ``"TB"``.  Draws into ``ax`` and returns ``ax.figure`` when given, else returns a new
    Figure (made without pyplot, so nothing is displayed twice in a notebook).  Box texts have
    gid ``"value-<i>"`` and operation texts ``"op-<i>"``, with ``i`` the node's index in
    ``topological_order(root)``, so a widget can update them in place.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value; got {type(root).__name__}")
    if not isinstance(show_grad, bool):
        raise TypeError(f"show_grad must be True or False; got {show_grad!r}")
    order = topological_order(root)
    has_label = any(v.label for v in order)
    n_lines = int(has_label) + 1 + int(show_grad)
    layout = graph_layout(root, rankdir, n_lines)
    box_w, box_h = layout["box"]
    radius = layout["radius"]

    xs = [x for x, _ in layout["values"].values()]
    ys = [y for _, y in layout["values"].values()]
    margin = 0.25
    x0, x1 = min(xs) - box_w / 2 - margin, max(xs) + box_w / 2 + margin
    y0, y1 = min(ys) - box_h / 2 - margin, max(ys) + box_h / 2 + margin
    width, height = x1 - x0, y1 - y0

    if ax is None:
        scale = min(1.0, _MAX_FIGSIZE[0] / (width + 0.4), _MAX_FIGSIZE[1] / (height + 1.0))
        fig = Figure(figsize=(max(3.5, width * scale + 0.4), height * scale + 1.0),
                     layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure
        bbox = ax.get_position()
        fw, fh = fig.get_size_inches()
        scale = min(1.0, bbox.width * fw / width, bbox.height * fh / height)
    font = max(4.0, _FONT * scale)

    index = {v: i for i, v in enumerate(order)}
    n_ops = len(layout["ops"])
    for v, (x, y) in layout["values"].items():
        if v is root:
            face, edge = _tint(_ORANGE, 0.35), _VERMILLION
        elif not v._prev:
            face, edge = _tint(_SKY, 0.35), _BLUE
        else:
            face, edge = "white", _BLUE
        pad = 0.04
        ax.add_patch(FancyBboxPatch((x - box_w / 2 + pad, y - box_h / 2 + pad),
                                    box_w - 2 * pad, box_h - 2 * pad,
                                    boxstyle=f"round,pad={pad}", fc=face, ec=edge, lw=1.2,
                                    gid=f"box-{index[v]}"))
        lines = ([v.label] if has_label else []) + [f"data {v.data:.4g}"]
        if show_grad:
            lines.append(f"grad {v.grad:.4g}")
        ax.text(x, y, "\n".join(lines), ha="center", va="center", fontsize=font,
                linespacing=1.25, gid=f"value-{index[v]}")

    for v, (x, y) in layout["ops"].items():
        ax.add_patch(Circle((x, y), radius, fc=_tint(_YELLOW, 0.6), ec="black", lw=1.0))
        symbol = _OP_SYMBOLS.get(v._op, v._op)
        ax.text(x, y, symbol, ha="center", va="center", gid=f"op-{index[v]}",
                fontsize=font * (1.0 if len(symbol) <= 3 else 0.8))
        out_xy = layout["values"][v]
        arrows = [(_circle_exit((x, y), radius, out_xy),
                   _rect_exit(out_xy, box_w / 2, box_h / 2, (x, y)), 0.0)]
        for child in v._prev:
            c_xy = layout["values"][child]
            k = v._args.count(child)
            # A reused input (a * a) gets one bent arrow per use.
            for j in range(k):
                rad = 0.0 if k == 1 else 0.3 * (j - (k - 1) / 2)
                arrows.append((_rect_exit(c_xy, box_w / 2, box_h / 2, (x, y)),
                               _circle_exit((x, y), radius, c_xy), rad))
        for start, end, rad in arrows:
            ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", color=_EDGE, lw=0.9,
                                         mutation_scale=8 * max(scale, 0.5), shrinkA=0,
                                         shrinkB=0, connectionstyle=f"arc3,rad={rad}"))

    name = f" of {root.label}" if root.label else ""
    ax.set_title(f"Computational graph{name}\n{len(order)} values (inputs blue, output "
                 f"orange), {n_ops} operations (circles)", fontsize=max(6.0, 10 * scale))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return fig
