"""``graph_stepper``: a Value expression's backward pass, one local backward at a time.

Shapes: none; every node of the graph is a scalar ``Value``.
"""

from __future__ import annotations

import html
import inspect
import math
import numbers

import numpy as np

from ...engine import Value, backward_steps, chain_example, local_derivatives, topological_order
from ...viz.graphs import draw_value_graph, snake_layout
from .._base import PALETTE, App, button, make_figure, play_controls, readout, slider
from .._mine import mine_name, require_function, run_mine
from .._text import cached_text
from ..mlp._common import DirtyRegions, readable, row

__all__ = ["graph_stepper"]

_OPS = {"+": "+", "-": "-", "*": "\u00d7", "/": "/", "neg": "negation", "sigmoid": "\u03c3"}
_TITLE = "Backward pass: red numbers on edges are local derivatives"
#: Text sizes (points) in the graph: boxes and edge labels, operation symbols.
_BOX_PT, _OP_PT = 7.5, 9.0
#: The local backward rules a learner may pass with ``mine=``: the node's operation, what it is
#: called, and the names of the gradients the rule returns (one per input of the node).
_RULES = {"*": ("multiplication", ("da", "db")), "+": ("addition", ("da", "db")),
          "-": ("subtraction", ("da", "db")), "tanh": ("tanh", ("dx",)),
          "sigmoid": ("sigmoid", ("dx",)), "exp": ("exp", ("dx",)), "log": ("log", ("dx",)),
          "relu": ("relu", ("dx",))}


def _rules_from(mine) -> dict:
    """``{op: function}`` from ``mine``: one function (the multiplication rule) or a dict."""
    if mine is None:
        return {}
    if isinstance(mine, dict):
        if not mine:
            raise ValueError('mine must name at least one rule, e.g. mine={"*": my_mul_backward}')
        for op, fn in mine.items():
            if op not in _RULES:
                raise ValueError(f"mine has a rule for {op!r}; the stepper runs rules for the "
                                 f"operations {', '.join(repr(o) for o in _RULES)}")
            require_function(fn, f'{{"{op}": my_{_RULES[op][0][:4]}_backward}}',
                             f"a dict of your local backward functions (mine[{op!r}])")
        return dict(mine)
    require_function(mine, "my_mul_backward", "your local backward function")
    return {"*": mine}


def _inputs_from(build, inputs):
    """The builder's parameter names with their starting values, checked."""
    if not callable(build):
        raise TypeError(f"build must be a function that takes Values and returns a Value; got "
                        f"{build!r}")
    params = inspect.signature(build).parameters
    if inputs is None:
        missing = [n for n, p in params.items() if p.default is inspect.Parameter.empty]
        if missing:
            raise ValueError(f"give a starting value for every input of build: pass inputs="
                             f"{{...}} or defaults in the signature (missing: "
                             f"{', '.join(missing)})")
        inputs = {n: p.default for n, p in params.items()}
    if not isinstance(inputs, dict) or not inputs:
        raise TypeError("inputs must be a non-empty dict {name: number}")
    for name, v in inputs.items():
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v):
            raise ValueError(f"inputs[{name!r}] must be a finite number; got {v!r}")
    try:
        inspect.signature(build).bind(**inputs)
    except TypeError as exc:
        raise ValueError(f"inputs {sorted(inputs)} do not match the parameters of build "
                         f"{list(params)}: {exc}") from None
    return {n: float(v) for n, v in inputs.items()}


class GraphStepper(DirtyRegions, App):
    def __init__(self, build, inputs, max_columns, mine=None):
        self.rules = _rules_from(mine)
        #: With mine=: for each node whose operation has one of your rules, True when your rule
        #: gave other gradients than dlcore's (by the node's name); empty without mine=.
        self.mismatch: dict = {}
        self._build = build
        inputs = _inputs_from(build, inputs)
        self._fixed_columns = max_columns
        self._max_columns = max_columns or 10
        root = self._make(inputs)
        controls = {name: slider(name, v, min(-3.0, 2 * v - 1), max(3.0, 2 * v + 1), 0.01,
                                 tooltip=f"value of the input (leaf) {name}")
                    for name, v in inputs.items()}
        for name in inputs:  # three to a line: a short label and a 150 px track
            controls[name].layout.width = "250px"
        self._n = self._count(root)
        play, step = play_controls(self._n, interval_ms=900, description="step")
        step.tooltip = "step of the backward pass (0: only the forward pass has run)"
        step.layout.width = "260px"
        controls.update(play=play, step=step,
                        prev=button("previous", icon="step-backward",
                                    tooltip="one step of the backward pass back"),
                        next=button("next", icon="step-forward",
                                    tooltip="run the next local backward"),
                        reset=button("restart", icon="undo",
                                     tooltip="back to step 0: the forward pass"))
        fig, ax = make_figure(figsize=self._design(root))
        readouts = {"step": readout(), "cache": readout(),
                    **({"mine": readout()} if self.rules else {})}
        super().__init__(controls, fig, readouts, title="Backward pass, step by step",
                         observe=False)
        self.arrange([row(*(controls[n] for n in inputs)),
                      row(play, step, controls["prev"], controls["next"], controls["reset"])])
        self.ax = ax
        for name in inputs:
            controls[name].observe(self._on_inputs, names="value")
        step.observe(self._on_change, names="value")
        play.observe(self._on_play, names="value")
        controls["next"].on_click(lambda _b: self._move(1))
        controls["prev"].on_click(lambda _b: self._move(-1))
        controls["reset"].on_click(lambda _b: setattr(step, "value", 0))
        self._signature = None
        self._rebuild(root)
        self.update()

    def _design(self, root) -> tuple:
        """Natural size (inches) of the graph in rows of ``self._max_columns`` columns."""
        lay = snake_layout(root, self._max_columns)
        xs = [x for x, _ in lay["values"].values()]
        ys = [y for _, y in lay["values"].values()]
        bw, bh = lay["box"]
        return (max(xs) - min(xs) + bw + 0.6, max(ys) - min(ys) + bh + 0.9)

    def fit(self, width: int) -> None:
        """Rows of 12 columns when wide, 10 in a notebook (the graph stays under ~550 px)."""
        if width and width >= 100 and not self._fixed_columns:
            avail = width - 12
            columns = 12 if avail >= 1150 else (10 if avail >= 640 else 8)
            if columns != self._max_columns:
                self._max_columns = columns
                self.fig._dl_design = self._design(self.root)
                self._draw_graph()
                self.update()
        super().fit(width)

    # Graph ------------------------------------------------------------------------------------

    def _make(self, inputs) -> Value:
        leaves = {n: Value(v, n) for n, v in inputs.items()}
        root = self._build(**leaves)
        if not isinstance(root, Value):
            raise TypeError(f"build must return a Value (the output of the expression); got "
                            f"{type(root).__name__}")
        if not root.label:
            root.label = "out"
        return root

    @staticmethod
    def _count(root) -> int:
        return 1 + sum(1 for v in topological_order(root) if v.children)

    def _rebuild(self, root) -> None:
        order = topological_order(root)
        for v in order:
            v.grad = 0.0
        signature = tuple((v.op, len(v.args), v.label) for v in order)
        self.root, self.order = root, order
        self.index = {v: i for i, v in enumerate(order)}
        snaps = [({}, None), ({root: 1.0}, None)]
        got = {root}
        for st in backward_steps(root):
            got |= {child for child, _ in st.contributions}
            snaps.append(({v: v.grad for v in order if v in got}, st))
        self.snaps = snaps
        self._mine_pass(root, order)
        if signature != self._signature:
            self._draw_graph()
            self._signature = signature
            n = len(snaps) - 1
            self.controls["step"].max = n
            self.controls["play"].max = n

    def _draw_graph(self) -> None:
        """Draw the graph's boxes, circles and arrows (again: a new shape, a new width)."""
        ax = self.ax
        ax.clear()
        draw_value_graph(self.root, ax=ax, max_columns=self._max_columns, title=_TITLE)
        ax.title.set_fontsize(10)
        for text in list(ax.texts):
            gid = text.get_gid()
            text.set_fontsize(_OP_PT if gid.startswith("op-") else _BOX_PT)
            if gid.startswith("value-"):
                self._split_lines(text)
        self._artists = {a.get_gid(): a for a in [*ax.texts, *ax.patches] if a.get_gid()}
        # A step or an input changes the boxes' texts and edges, the circles' colours and the
        # edge labels; the arrows and the title are drawn once.  Only the texts and shapes that
        # change are redrawn (DirtyRegions): a box's name, data and grad are separate texts.
        kinds = ("box-", "opc-", "value-", "op-", "label-")
        self.set_dynamic([a for kind in kinds for g, a in self._artists.items()
                          if g.startswith(kind)])
        self.fig.set_layout_engine("constrained")  # lay out again at the next (full) draw

    def _split_lines(self, text) -> None:
        """Replace a box's three-line text by three texts (``value-i-0`` name, ``-1`` data,
        ``-2`` grad): a change of one line then redraws only that line."""
        from matplotlib.transforms import ScaledTranslation

        ax, fig = self.ax, self.fig
        step = _BOX_PT * 1.35 / 72  # inches between lines (their extents do not touch)
        for k, line in enumerate(text.get_text().split("\n")):
            shift = ScaledTranslation(0, (1 - k) * step, fig.dpi_scale_trans)
            cached_text(ax, *text.get_position(), line, ha="center", va="center", fontsize=_BOX_PT,
                        transform=ax.transData + shift, gid=f"{text.get_gid()}-{k}")
        text.remove()

    def box_text(self, i: int) -> str:
        """The text shown in the box of node ``i`` (of ``topological_order``), one line each for
        its name, data and grad."""
        return "\n".join(self._artists[f"value-{i}-{k}"].get_text() for k in range(3))

    def _on_inputs(self, _change=None) -> None:
        inputs = {n: self.controls[n].value for n in self._input_names()}
        try:
            root = self._make(inputs)
        except (ValueError, ZeroDivisionError) as exc:
            # A learner's expression may be undefined at some inputs (log of a negative...).
            self.set_readout("step", f"The expression cannot be evaluated at these inputs: "
                                     f"{exc}. The graph still shows the last valid inputs.")
            return
        self._rebuild(root)
        self._on_change()

    def _input_names(self):
        return [n for n in self.controls if n not in ("play", "step", "prev", "next", "reset")]

    def _on_play(self, change) -> None:
        self.controls["step"].value = min(change["new"], self.controls["step"].max)

    def _move(self, delta: int) -> None:
        s = self.controls["step"]
        s.value = max(0, min(s.max, s.value + delta))

    # Display ----------------------------------------------------------------------------------

    def _name(self, v) -> str:
        if v.label:
            return v.label
        if not v.children:
            return f"constant {v.data:g}"
        return f"node {self.index[v]} ({_OPS.get(v.op, v.op)} output)"

    def _text(self, v, grads, yours=None) -> tuple:
        grad = f"grad {readable(grads[v], 4)}" if v in grads else "grad ?"
        if yours is not None and v in yours and v in grads and not _same(yours[v], grads[v]):
            grad = f"grad {readable(yours[v], 3)}≠{readable(grads[v], 3)}"
        return v.label or " ", f"data {readable(v.data, 4)}", grad

    # Your local backward rules (mine=) --------------------------------------------------------

    def _mine_pass(self, root, order) -> None:
        """The backward pass again, with your rule at every node whose operation has one (and
        dlcore's elsewhere, or where yours cannot be used): your gradients at every step."""
        self.mismatch, self._checked, self.mine_snaps = {}, [], None
        if not self.rules:
            return
        upstream = {root: 1.0}
        snaps = [{}, {root: 1.0}]
        for node in reversed(order):
            if not node.children:
                continue
            up = upstream.get(node, 0.0)
            pairs = [(child, d * up) for child, d in local_derivatives(node)]
            fn = self.rules.get(node.op)
            if fn is not None:
                pairs = self._run_rule(fn, node, up, pairs)
            for child, contribution in pairs:
                upstream[child] = upstream.get(child, 0.0) + contribution
            snaps.append({v: upstream[v] for v in order if v in upstream})
        self.mine_snaps = snaps
        self._mine_summary()

    def _run_rule(self, fn, node, up, pairs) -> list:
        what, outputs = _RULES[node.op]
        name = self._name(node)
        inputs = ", ".join(readable(a.data, 4) for a in node.args)
        ref = tuple(c for _, c in pairs)
        mine = run_mine(fn, (*(a.data for a in node.args), up),
                        reference=ref if len(ref) > 1 else ref[0],
                        reference_name=f"dlcore's {what} rule",
                        where=f"{what} node {name}: inputs {inputs}, upstream "
                              f"{readable(up, 4)}",
                        fallback="the graph uses dlcore's rule there",
                        entries="gradients", label=outputs[0], outputs=outputs)
        values = (mine.value if len(ref) > 1 else (mine.value,)) if mine.used else ref
        differ = (np.atleast_1d(mine.differ) if len(ref) == 1 else
                  np.array([bool(np.any(d)) for d in mine.differ])) if mine.used else None
        self._checked.append((node, mine, outputs, ref, values, differ))
        if mine.used:
            self.mismatch[name] = bool(np.any(differ))
        return [(child, float(np.asarray(v, dtype=float))) for (child, _), v in
                zip(pairs, values)]

    def _mine_summary(self) -> None:
        names = ", ".join(dict.fromkeys(mine_name(fn) for fn in self.rules.values()))
        kinds = " or ".join(_RULES[op][0] for op in self.rules)
        if not self._checked:
            self.set_readout("mine", f"No node of this graph is a {kinds}, so {names} is not "
                                     f"used: the graph shows dlcore's gradients.")
            return
        failed = [m for _, m, *_ in self._checked if not m.used]
        if failed:
            self.set_readout("mine", failed[0].message)
            return
        n = sum(len(ref) for *_, ref, _, _ in self._checked)
        bad = [(abs(float(v) - r), node, out, float(v), r)
               for node, _m, outputs, ref, values, differ in self._checked
               for out, r, v, d in zip(outputs, ref, values, differ) if d]
        nodes = len(self._checked)
        if not bad:
            self.set_readout("mine", f"The boxes show the gradients of your rules ({names}), "
                                     f"run at {nodes} {kinds} node{'s' * (nodes > 1)}: all "
                                     f"{n} gradients match dlcore's.")
            return
        err, node, out, yours, right = max(bad, key=lambda b: b[0])
        verb = "differs" if len(bad) == 1 else "differ"
        self.set_readout("mine", f"The boxes show the gradients of your rules ({names}), run "
                                 f"at {nodes} {kinds} node{'s' * (nodes > 1)}: {len(bad)} of "
                                 f"{n} gradients {verb} from dlcore's, and every gradient "
                                 f"further down inherits the error (boxes marked "
                                 f"yours≠correct). The largest error is {readable(err, 3)}, in "
                                 f"{out} of the {_RULES[node.op][0]} that made "
                                 f"{self._name(node)}: yours {readable(yours, 4)}, correct "
                                 f"{readable(right, 4)}.")

    def mine_grads(self) -> dict:
        """With mine=: the gradient your rules give every labelled node at the current step
        (None if not yet known); without mine=, the same as ``value_grads``."""
        if self.mine_snaps is None:
            return self.value_grads()
        grads = self.mine_snaps[self.controls["step"].value]
        return {v.label: grads.get(v) for v in self.order if v.label}

    def _buttons(self, k: int, n: int) -> None:
        """'previous' is off at step 0 and 'next' at the last step (they would do nothing)."""
        prev, nxt = self.controls["prev"], self.controls["next"]
        prev.disabled, nxt.disabled = k == 0, k == n
        prev.tooltip = ("step 0 shows the forward pass: there is no earlier step" if k == 0
                        else "one step of the backward pass back")
        nxt.tooltip = ("the backward pass is complete: every gradient is known" if k == n
                       else "run the next local backward")

    def update(self) -> None:
        k = self.controls["step"].value
        grads, current = self.snaps[k]
        yours = self.mine_snaps[k] if self.mine_snaps is not None else None
        self._buttons(k, len(self.snaps) - 1)
        ran = {st.node for _, st in self.snaps[2:k + 1]}
        for v, i in self.index.items():
            for line_no, line in enumerate(self._text(v, grads, yours)):
                self._artists[f"value-{i}-{line_no}"].set_text(line)
            box = self._artists[f"box-{i}"]
            box.set_linewidth(1.2)
            box.set_edgecolor(PALETTE["vermillion"] if v is self.root else PALETTE["blue"])
            if v.children:
                self._artists[f"opc-{i}"].set_facecolor("#fbd3c1" if current is not None and
                                                        v is current.node else
                                                        ("#e6e6e6" if v in ran else "#faf6d0"))
                for j, (_child, local) in enumerate(local_derivatives(v)):
                    label = self._artists[f"label-{i}-{j}"]
                    label.set_text(f"{readable(local, 3)}" if v in ran else "")
                    label.set_fontweight("bold" if current is not None and v is current.node
                                         else "normal")
        self.set_readout("step", self._describe(k, grads, current))
        self._show_cache(grads)
        n = len(self.snaps) - 1
        self.set_summary(f"Computational graph of {len(self.order)} values; step {k} of {n} of "
                         f"the backward pass" + (": all gradients known." if k == n else
                                                 " (boxes show data and, once known, grad)."))
        if current is not None:
            out = self._artists[f"box-{self.index[current.node]}"]
            out.set_edgecolor(PALETTE["vermillion"])
            out.set_linewidth(2.6)
            for child, _ in current.contributions:
                box = self._artists[f"box-{self.index[child]}"]
                box.set_edgecolor(PALETTE["green"])
                box.set_linewidth(2.6)

    def _describe(self, k, grads, current) -> str:
        n = len(self.snaps) - 1
        if k == 0:
            return ("Step 0: the forward pass has run and every box shows its value. Press "
                    "'next step' to start the backward pass.")
        if current is None:
            return (f"Step 1 of {n}: start at the output: d{self._name(self.root)}/"
                    f"d{self._name(self.root)} = 1.")
        node = current.node
        up = grads[node]
        prev = self.snaps[k - 1][0]
        parts = [f"Step {k} of {n}: the {_OPS.get(node.op, node.op)} operation that made "
                 f"{self._name(node)} runs its local backward. Upstream gradient "
                 f"d{self._name(self.root)}/d[{self._name(node)}] = {readable(up, 4)}, "
                 f"computed once and reused for every input."]
        for (child, local), (_, contrib) in zip(local_derivatives(node), current.contributions):
            before = prev.get(child)
            extra = (f"; added to the {readable(before, 4)} it already had (a second path)"
                     if before is not None and child is not node else "")
            parts.append(f"{self._name(child)}: local derivative {readable(local, 4)}, so it "
                         f"receives {readable(up, 4)} x {readable(local, 4)} = "
                         f"{readable(contrib, 4)}{extra}.")
        parts += self._describe_mine(node)
        if k == n:
            leaves = ", ".join(f"{v.label}: {readable(v.grad, 6)}" for v in self.order
                               if not v.children and v.label)
            parts.append(f"Done: the same gradients as {self._name(self.root)}.backward(): "
                         f"{leaves}.")
        return " ".join(parts)

    def _describe_mine(self, node) -> list:
        """What your rule gave at this node, when it differs from dlcore's."""
        for checked, mine, outputs, ref, values, differ in self._checked:
            if checked is node and mine.used and np.any(differ):
                got = ", ".join(f"{o} = {readable(float(v), 4)}" for o, v in zip(outputs, values))
                want = ", ".join(f"{o} = {readable(r, 4)}" for o, r in zip(outputs, ref))
                return [f"Your rule {mine_name(self.rules[node.op])} gives {got} here; "
                        f"dlcore's gives {want}."]
        return []

    def _show_cache(self, grads) -> None:
        rows = [f"{self._name(v)}: {readable(g, 6)}" for v, g in grads.items()
                if v.children or v.label]
        text = "Gradients known so far (each computed once): " + ("; ".join(rows) or "none yet")
        self.readouts["cache"].value = f"<small>{html.escape(text)}</small>"

    def value_grads(self) -> dict:
        """dlcore's gradient of every labelled node at the current step (None if not yet
        known)."""
        grads = self.snaps[self.controls["step"].value][0]
        return {v.label: grads.get(v) for v in self.order if v.label}


def _same(a, b) -> bool:
    return bool(np.isclose(a, b, rtol=1e-6, atol=1e-9))


def graph_stepper(build=None, inputs=None, max_columns: int | None = None, *,
                  mine=None) -> GraphStepper:
    """Step through the backward pass of a ``Value`` expression, one operation at a time.

    ``build(**leaves) -> Value`` makes the expression from named leaf Values (default: the thin
    chain of lecture 6, ``engine.chain_example``); ``inputs`` maps each parameter to its
    starting value (default: the defaults in ``build``'s signature).  One slider per input; the
    step slider, play and next/previous buttons walk the backward pass.  The graph wraps into
    rows of ``max_columns`` columns (default: 10, or 12 when the notebook is wide).

    ``mine``: your own local backward rules, run wherever the graph has a node of that
    operation, with the node's input values and the upstream gradient as plain numbers.  One
    function is the rule of a multiplication, ``my_mul_backward(a, b, dout) -> (da, db)``; a
    dict gives several, e.g. ``{"*": my_mul_backward, "tanh": my_tanh_backward}`` with
    ``my_tanh_backward(x, dout) -> dx`` (also ``"+"``, ``"-"``, ``"sigmoid"``, ``"exp"``,
    ``"log"``, ``"relu"``).  The boxes then show the gradients your rules give, a box whose
    gradient differs from dlcore's shows both (``yours≠correct``), and a readout counts the
    gradients your rules get wrong with the largest error.  Where a rule raises, returns None
    or the wrong number of results, the readout says so and the graph uses dlcore's rule.
    """
    if max_columns is not None and (isinstance(max_columns, bool)
                                    or not isinstance(max_columns, int) or max_columns < 2):
        raise ValueError(f"max_columns must be an integer >= 2; got {max_columns!r}")
    return GraphStepper(chain_example if build is None else build, inputs, max_columns, mine)

