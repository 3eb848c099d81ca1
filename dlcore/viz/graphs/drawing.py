"""A computational graph drawn in rows that snake back and forth, with room for edge labels.

Shape legend: none; positions are (x, y) pairs in inches at the natural size of the drawing.

``dlcore.engine.draw_graph`` lays a graph out in one long row, which for the 17-node chain of
lecture 6 is about 20 inches wide.  ``draw_value_graph`` keeps the engine's layout
(``graph_layout``: columns by depth, rows ordered by barycentres) but wraps its columns into
rows of ``max_columns``, the second row running right to left below the end of the first, and
so on, so the graph fits a notebook.  Every child -> operation edge has an (initially empty)
label for its local derivative, which the backward-pass stepper fills in.
"""

from __future__ import annotations

from ...engine import Value, graph_layout, topological_order
from ..style import PALETTE

__all__ = ["snake_layout", "draw_value_graph"]

_DX = 1.0
_ROW_GAP = 0.55
_OPS = {"+": "+", "-": "\u2212", "*": "\u00d7", "/": "\u00f7", "neg": "\u2212x",
        "sigmoid": "\u03c3", "relu": "ReLU"}


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
        sym = _OPS.get(v._op, v._op)
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
