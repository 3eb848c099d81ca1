"""Drawing a Value's computational graph with matplotlib alone (no graphviz binary).

Shape legend: none; positions are (x, y) pairs in drawing units (one unit is one inch when the
figure is drawn at its natural size).

``draw_graph``: every Value is a box (label, data, grad to 4 significant digits) and every
operation a small circle; arrows go from inputs to the operation and from the operation to its
output.  Computed nodes sit at their depth (the longest path from the inputs); an input sits one
column before the first operation that uses it, as graphviz's dot would place it, so that
parameters such as ``w3`` appear next to their use instead of far away at the start
(``graph_layout``).

``draw_graph`` lays a graph out in one long row, which for the 17-node chain of lecture 6 is
about 20 inches wide.  ``draw_value_graph`` keeps that layout (``graph_layout``: columns by
depth, rows ordered by barycentres) but wraps its columns into
rows of ``max_columns``, the second row running right to left below the end of the first, and
so on, so the graph fits a notebook.  Every child -> operation edge has an (initially empty)
label for its local derivative, which the backward-pass stepper fills in.
"""

from __future__ import annotations

from ...engine import Value, topological_order
from ..style import PALETTE

__all__ = ["draw_graph", "graph_layout", "snake_layout", "draw_value_graph"]

_BLUE, _SKY, _ORANGE, _VERMILLION, _YELLOW = (PALETTE[c] for c in (
    "blue", "sky", "orange", "vermillion", "yellow"))
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
                   _exit(out_xy, box_w / 2, box_h / 2, (x, y)), 0.0)]
        for child in v._prev:
            c_xy = layout["values"][child]
            k = v._args.count(child)
            # A reused input (a * a) gets one bent arrow per use.
            for j in range(k):
                rad = 0.0 if k == 1 else 0.3 * (j - (k - 1) / 2)
                arrows.append((_exit(c_xy, box_w / 2, box_h / 2, (x, y)),
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


_DX = 1.0
_ROW_GAP = 0.55


def _check(root, max_columns):
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value; got {type(root).__name__}")
    if isinstance(max_columns, bool) or not isinstance(max_columns, int) or max_columns < 2:
        raise ValueError(f"max_columns must be an integer >= 2; got {max_columns!r}")


def snake_layout(root: Value, max_columns: int = 8, n_lines: int = 3) -> dict:
    """``graph_layout(root)`` wrapped into rows of ``max_columns`` columns, boustrophedon style.

    Returns ``{"values": {node: (x, y)}, "ops": {node: (x, y)}, "box": (w, h), "radius": r,
    "rows": number of rows, "columns": columns per row}``; ``"ops"`` is keyed by the Value
    each operation produces.
    """
    _check(root, max_columns)
    base = graph_layout(root, "LR", n_lines)
    pts = list(base["values"].values()) + list(base["ops"].values())
    col = {x: i for i, x in enumerate(sorted({round(x, 9) for x, _ in pts}))}
    top = max(y for _, y in pts)
    box_w, box_h = base["box"]
    band = top - min(y for _, y in pts) + box_h + _ROW_GAP
    n_cols = len(col)
    cols_per_row = min(max_columns, n_cols)

    def place(xy):
        r, p = divmod(col[round(xy[0], 9)], cols_per_row)
        if r % 2:
            p = cols_per_row - 1 - p
        return (p * _DX, xy[1] - top - r * band)

    return {"values": {v: place(xy) for v, xy in base["values"].items()},
            "ops": {v: place(xy) for v, xy in base["ops"].items()},
            "box": (box_w, box_h), "radius": base["radius"],
            "rows": -(-n_cols // cols_per_row), "columns": cols_per_row}


def _value_text(v: Value, has_label: bool, grad) -> str:
    lines = ([v.label or " "] if has_label else []) + [f"data {v.data:.4g}"]
    if grad is not None:
        lines.append(grad if isinstance(grad, str) else f"grad {grad:.4g}")
    return "\n".join(lines)


def _exit(centre, half_w, half_h, towards):
    dx, dy = towards[0] - centre[0], towards[1] - centre[1]
    t = min(half_w / abs(dx) if dx else float("inf"), half_h / abs(dy) if dy else float("inf"))
    return (centre[0] + t * dx, centre[1] + t * dy)


def _circle_exit(centre, radius, towards):
    dx, dy = towards[0] - centre[0], towards[1] - centre[1]
    norm = (dx * dx + dy * dy) ** 0.5 or 1.0
    return (centre[0] + radius * dx / norm, centre[1] + radius * dy / norm)


def _label_xy(start, end, bend):
    """A point beside the edge start -> end, on the child's side, clear of the other inputs."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    norm = (dx * dx + dy * dy) ** 0.5 or 1.0
    nx, ny = -dy / norm, dx / norm
    if (ny > 0) != (start[1] >= end[1] - 1e-9):
        nx, ny = -nx, -ny
    t = 0.45
    return (start[0] + t * dx + 0.13 * nx, start[1] + t * dy + 0.13 * ny + bend * 0.3)


def draw_value_graph(root: Value, ax=None, max_columns: int = 8, show_grad: bool = True,
                     title: str | None = None):
    """Draw the graph of ``root`` in snaking rows: boxes for Values, circles for operations.

    Boxes show the label, ``data`` and (with ``show_grad``) ``grad``; inputs are sky blue, the
    output orange.  Artists carry gids for in-place updates, with ``i`` the node's index in
    ``topological_order(root)``: ``box-i`` and ``value-i`` (a Value), ``opc-i`` and ``op-i``
    (the operation that made node i), ``arrow-i-k`` and ``label-i-k`` (the edge from the k-th
    argument of that operation, with an empty local-derivative label).  Draws into ``ax`` or
    a new Figure (made without pyplot); returns the Figure.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    _check(root, max_columns)
    if not isinstance(show_grad, bool):
        raise TypeError(f"show_grad must be True or False; got {show_grad!r}")
    order = topological_order(root)
    index = {v: i for i, v in enumerate(order)}
    has_label = any(v.label for v in order)
    lay = snake_layout(root, max_columns, int(has_label) + 1 + int(show_grad))
    (bw, bh), rad = lay["box"], lay["radius"]
    xs = [x for x, _ in lay["values"].values()]
    ys = [y for _, y in lay["values"].values()]
    x0, x1 = min(xs) - bw / 2 - 0.15, max(xs) + bw / 2 + 0.15
    y0, y1 = min(ys) - bh / 2 - 0.15, max(ys) + bh / 2 + 0.15
    if ax is None:
        fig = Figure(figsize=(x1 - x0 + 0.3, y1 - y0 + 0.8), layout="constrained")
        ax = fig.add_subplot()
        scale = 1.0
    else:
        fig = ax.figure
        fw, fh = fig.get_size_inches()
        pos = ax.get_position()
        scale = min(1.0, pos.width * fw / (x1 - x0), pos.height * fh / (y1 - y0))
    font = max(4.5, 8.0 * scale)

    for v, (x, y) in lay["values"].items():
        face = "#fbe3bf" if v is root else ("#d5ecf9" if not v._prev else "white")
        edge = PALETTE["vermillion"] if v is root else PALETTE["blue"]
        ax.add_patch(FancyBboxPatch((x - bw / 2 + 0.04, y - bh / 2 + 0.04), bw - 0.08,
                                    bh - 0.08, boxstyle="round,pad=0.04", fc=face, ec=edge,
                                    lw=1.2, gid=f"box-{index[v]}"))
        ax.text(x, y, _value_text(v, has_label, v.grad if show_grad else None), ha="center",
                va="center", fontsize=font, linespacing=1.2, gid=f"value-{index[v]}")
    for v, (x, y) in lay["ops"].items():
        i = index[v]
        ax.add_patch(Circle((x, y), rad, fc="#faf6d0", ec="black", lw=1.0, gid=f"opc-{i}"))
        sym = _OP_SYMBOLS.get(v._op, v._op)
        ax.text(x, y, sym, ha="center", va="center", fontsize=font * (1 if len(sym) <= 3 else .8),
                gid=f"op-{i}")
        out = lay["values"][v]
        ax.add_patch(FancyArrowPatch(_circle_exit((x, y), rad, out),
                                     _exit(out, bw / 2, bh / 2, (x, y)), arrowstyle="-|>",
                                     color="#444444", lw=0.9, mutation_scale=8 * scale,
                                     shrinkA=0, shrinkB=0, gid=f"arrow-{i}-out"))
        for k, child in enumerate(v._args):
            c = lay["values"][child]
            start = _exit(c, bw / 2, bh / 2, (x, y))
            bend = 0.25 if v._args.count(child) > 1 and v._args.index(child) != k else 0.0
            ax.add_patch(FancyArrowPatch(start, _circle_exit((x, y), rad, c), arrowstyle="-|>",
                                         color="#444444", lw=0.9, mutation_scale=8 * scale,
                                         shrinkA=0, shrinkB=0,
                                         connectionstyle=f"arc3,rad={bend}",
                                         gid=f"arrow-{i}-{k}"))
            ax.text(*_label_xy(start, (x, y), bend), "", ha="center", va="center",
                    fontsize=font * 0.9, color=PALETTE["vermillion"], gid=f"label-{i}-{k}")
    name = f" of {root.label}" if root.label else ""
    ax.set_title(title if title is not None else f"Computational graph{name} ({len(order)} "
                 f"values; inputs blue, output orange, operations in circles)",
                 fontsize=max(7.0, 10 * scale))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return fig
