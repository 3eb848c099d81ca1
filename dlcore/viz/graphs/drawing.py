"""Drawing a Value's computational graph with matplotlib alone (no graphviz binary).

Shape legend: none; positions are (x, y) pairs in drawing units (one unit is one inch when the
figure is drawn at its natural size).

One layout and one drawer.  ``graph_layout``: computed nodes sit at their depth (the longest
path from the inputs); an input sits one column before the first operation that uses it, as
graphviz's dot would place it, so that parameters such as ``w3`` appear next to their use
instead of far away at the start; rows are ordered by barycentres.  That is one long row, about
20 inches wide for the 17-node chain of lecture 6, so ``max_columns`` wraps the columns into
rows of ``max_columns``, the second row running right to left below the end of the first, and
so on, so the graph fits a notebook (``snake_layout`` is that wrapped layout).

``draw_graph``: every Value is a box (label, data, grad to 4 significant digits) and every
operation a small circle; arrows go from inputs to the operation and from the operation to its
output.  Every child -> operation edge has an (initially empty) label for its local derivative,
which the backward-pass stepper fills in.  ``draw_value_graph`` is ``draw_graph`` wrapped into
rows of 8 columns, with a one-line title.
"""

from __future__ import annotations

from ...engine import Value, topological_order
from ..style import PALETTE

__all__ = ["draw_graph", "graph_layout", "snake_layout", "draw_value_graph"]

_EDGE = "#444444"
_ROOT_FACE, _INPUT_FACE, _OP_FACE = "#fbe3bf", "#d5ecf9", "#faf6d0"

_BOX_W = 1.15  # a box fits "grad -0.02573" at 8 pt
_LINE_H = 0.17
_RADIUS = 0.22
_GAP = 0.3
_FONT = 8.0
_OP_SYMBOLS = {"+": "+", "-": "\u2212", "*": "\u00d7", "/": "\u00f7", "neg": "\u2212x",
               "sigmoid": "\u03c3", "relu": "ReLU"}
_MAX_FIGSIZE = (20.0, 14.0)
_DX = 1.0       # column pitch of a wrapped layout
_ROW_GAP = 0.55  # gap between the rows of a wrapped layout
_MARGIN = 0.15


def _box_height(n_lines: int) -> float:
    return n_lines * _LINE_H + 0.14


def graph_layout(root: Value, rankdir: str = "LR", n_lines: int = 3,
                 max_columns: int | None = None) -> dict:
    """Positions of the graph of ``root``: ``{"values": {node: (x, y)}, "ops": {node: (x, y)},
    "box": (w, h), "radius": r, "rows": number of rows, "columns": columns per row}``.

    ``"ops"`` is keyed by the Value the operation produces.  ``rankdir`` is ``"LR"`` (inputs on
    the left) or ``"TB"`` (inputs on top).  Nodes of a column are ordered by the mean position
    of their inputs (ties by topological order), which keeps edges short and is deterministic.
    ``max_columns`` (an integer >= 2, left to right only) wraps the columns into rows of that
    many, boustrophedon style.
    """
    _check(root, rankdir, max_columns)
    order = topological_order(root)
    index = {v: i for i, v in enumerate(order)}
    col = {}
    for v in order:
        col[v] = 2 + max(col[c] for c in v.children) if v.children else 0
    first_use = {}
    for v in order:
        for c in v.children:
            first_use[c] = min(first_use.get(c, col[v] - 1), col[v] - 1)
    for v in order:
        if not v.children and v in first_use:
            col[v] = first_use[v] - 1

    # Items are ("value", v) in column col[v] and ("op", v) in column col[v] - 1.
    columns: dict[int, list] = {}
    for v in order:
        columns.setdefault(col[v], []).append(("value", v))
        if v.children:
            columns.setdefault(col[v] - 1, []).append(("op", v))

    box_w, box_h = _BOX_W, _box_height(n_lines)
    if rankdir == "LR":
        flow, across = _BOX_W / 2 + _RADIUS + _GAP, box_h + 0.3
    else:
        flow, across = box_h / 2 + _RADIUS + _GAP, _BOX_W + 0.25

    consumer = {}
    for v in order:
        for c in v.children:
            if not c.children and col[v] - 1 == col[c] + 1:
                consumer.setdefault(c, v)

    # Two barycentre sweeps: the second sees where each input's consumer landed in the first.
    rank: dict = {}
    for _ in range(2):
        previous, rank = rank, {}
        for c in sorted(columns):
            def key(item, previous=previous, rank=rank):
                kind, v = item
                if kind == "value" and v.children:
                    refs = [("op", v)]
                elif kind == "op":
                    refs = [("value", u) for u in v.children]
                else:
                    refs = [("op", consumer[v])] if v in consumer else []
                known = [rank.get(r, previous.get(r)) for r in refs]
                known = [k for k in known if k is not None]
                centre = sum(known) / len(known) if known else 0.0
                return (centre, index[v], kind == "value")

            items = sorted(columns[c], key=key)
            for r, item in enumerate(items):
                rank[item] = r - (len(items) - 1) / 2

    lo = min(columns)
    n_cols = max(columns) - lo + 1
    per_row = n_cols if max_columns is None else min(max_columns, n_cols)
    band = (max(rank.values()) - min(rank.values())) * across + box_h + _ROW_GAP
    top = -min(rank.values()) * across

    def place(c, r):
        if max_columns is None:
            return (c * flow, -r * across) if rankdir == "LR" else (r * across, -c * flow)
        row, p = divmod(c - lo, per_row)
        if row % 2:
            p = per_row - 1 - p
        return (p * _DX, -r * across - top - row * band)

    values, ops = {}, {}
    for (kind, v), r in rank.items():
        c = col[v] if kind == "value" else col[v] - 1
        (values if kind == "value" else ops)[v] = place(c, r)
    return {"values": values, "ops": ops, "box": (box_w, box_h), "radius": _RADIUS,
            "rows": -(-n_cols // per_row), "columns": per_row}


def snake_layout(root: Value, max_columns: int = 8, n_lines: int = 3) -> dict:
    """``graph_layout(root, "LR", n_lines, max_columns)``: the columns wrapped into rows."""
    return graph_layout(root, "LR", n_lines, max_columns)


def _check(root, rankdir="LR", max_columns=None):
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value; got {type(root).__name__}")
    if rankdir not in ("LR", "TB"):
        raise ValueError(f"rankdir must be 'LR' or 'TB'; got {rankdir!r}")
    if max_columns is not None:
        if isinstance(max_columns, bool) or not isinstance(max_columns, int) or max_columns < 2:
            raise ValueError(f"max_columns must be an integer >= 2; got {max_columns!r}")
        if rankdir != "LR":
            raise ValueError("max_columns wraps a left-to-right layout; use rankdir='LR'")


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


def draw_graph(root: Value, ax=None, show_grad: bool = True, rankdir: str = "LR",
               max_columns: int | None = None, title: str | None = None):
    """Draw the computational graph of ``root``: boxes for Values, circles for operations.

    Each box shows the label (if any), ``data`` and (with ``show_grad``) ``grad`` to 4
    significant digits; inputs are sky blue, the output orange.  ``rankdir`` is ``"LR"`` or
    ``"TB"``; ``max_columns`` wraps the graph into rows (see ``graph_layout``).  Draws into
    ``ax`` and returns ``ax.figure`` when given, else returns a new Figure (made without pyplot,
    so nothing is displayed twice in a notebook).  Artists carry gids for in-place updates, with
    ``i`` the node's index in ``topological_order(root)``: ``box-i`` and ``value-i`` (a Value),
    ``opc-i`` and ``op-i`` (the operation that made node i), ``arrow-i-out``, and ``arrow-i-k``
    and ``label-i-k`` (the edge from the k-th argument of that operation, with an empty
    local-derivative label).
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    _check(root, rankdir, max_columns)
    if not isinstance(show_grad, bool):
        raise TypeError(f"show_grad must be True or False; got {show_grad!r}")
    order = topological_order(root)
    index = {v: i for i, v in enumerate(order)}
    has_label = any(v.label for v in order)
    lay = graph_layout(root, rankdir, int(has_label) + 1 + int(show_grad), max_columns)
    (bw, bh), rad = lay["box"], lay["radius"]
    xs = [x for x, _ in lay["values"].values()]
    ys = [y for _, y in lay["values"].values()]
    x0, x1 = min(xs) - bw / 2 - _MARGIN, max(xs) + bw / 2 + _MARGIN
    y0, y1 = min(ys) - bh / 2 - _MARGIN, max(ys) + bh / 2 + _MARGIN
    width, height = x1 - x0, y1 - y0
    if ax is None:
        scale = min(1.0, _MAX_FIGSIZE[0] / (width + 0.3), _MAX_FIGSIZE[1] / (height + 0.8))
        fig = Figure(figsize=(max(3.5, width * scale + 0.3), height * scale + 0.8),
                     layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure
        fw, fh = fig.get_size_inches()
        pos = ax.get_position()
        scale = min(1.0, pos.width * fw / width, pos.height * fh / height)
    font = max(4.5, _FONT * scale)
    arrow = dict(arrowstyle="-|>", color=_EDGE, lw=0.9, mutation_scale=8 * max(scale, 0.5),
                 shrinkA=0, shrinkB=0)

    for v, (x, y) in lay["values"].items():
        face = _ROOT_FACE if v is root else (_INPUT_FACE if not v.children else "white")
        edge = PALETTE["vermillion"] if v is root else PALETTE["blue"]
        ax.add_patch(FancyBboxPatch((x - bw / 2 + 0.04, y - bh / 2 + 0.04), bw - 0.08,
                                    bh - 0.08, boxstyle="round,pad=0.04", fc=face, ec=edge,
                                    lw=1.2, gid=f"box-{index[v]}"))
        ax.text(x, y, _value_text(v, has_label, v.grad if show_grad else None), ha="center",
                va="center", fontsize=font, linespacing=1.2, gid=f"value-{index[v]}")
    for v, (x, y) in lay["ops"].items():
        i = index[v]
        ax.add_patch(Circle((x, y), rad, fc=_OP_FACE, ec="black", lw=1.0, gid=f"opc-{i}"))
        sym = _OP_SYMBOLS.get(v.op, v.op)
        ax.text(x, y, sym, ha="center", va="center", fontsize=font * (1 if len(sym) <= 3 else .8),
                gid=f"op-{i}")
        out = lay["values"][v]
        ax.add_patch(FancyArrowPatch(_circle_exit((x, y), rad, out),
                                     _exit(out, bw / 2, bh / 2, (x, y)), gid=f"arrow-{i}-out",
                                     **arrow))
        for k, child in enumerate(v.args):
            c = lay["values"][child]
            start = _exit(c, bw / 2, bh / 2, (x, y))
            # A reused input (a * a) gets one arrow per use, the second one bent.
            bend = 0.25 if v.args.index(child) != k else 0.0
            ax.add_patch(FancyArrowPatch(start, _circle_exit((x, y), rad, c),
                                         connectionstyle=f"arc3,rad={bend}",
                                         gid=f"arrow-{i}-{k}", **arrow))
            ax.text(*_label_xy(start, (x, y), bend), "", ha="center", va="center",
                    fontsize=font * 0.9, color=PALETTE["vermillion"], gid=f"label-{i}-{k}")
    if title is None:
        name = f" of {root.label}" if root.label else ""
        title = (f"Computational graph{name}\n{len(order)} values (inputs blue, output "
                 f"orange), {len(lay['ops'])} operations (circles)")
    ax.set_title(title, fontsize=max(7.0, 10 * scale))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return fig


def draw_value_graph(root: Value, ax=None, max_columns: int = 8, show_grad: bool = True,
                     title: str | None = None):
    """``draw_graph`` wrapped into rows of ``max_columns``, titled on one line."""
    if isinstance(root, Value) and title is None:
        name = f" of {root.label}" if root.label else ""
        title = (f"Computational graph{name} ({len(topological_order(root))} values; inputs "
                 f"blue, output orange, operations in circles)")
    return draw_graph(root, ax, show_grad, max_columns=max_columns, title=title)
