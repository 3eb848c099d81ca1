"""MP neuron playground: binary inputs, weights, threshold and inhibitory inputs -> decision.

Shapes: x (n,) binary inputs, w (n,) weights; the truth table has 2**n rows (n <= 4).

With ``mine=`` the truth table is computed by the learner's unit ``mine(X, threshold,
inhibitory=...)`` on all 2**n rows at once (X (2**n, n)), while every weight is 1, and set
against dlcore's; the rows that differ are marked.
"""

from __future__ import annotations

import html

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Rectangle

from ... import neurons
from ..._checks import as_array, check_int, check_shapes
from .._base import (
    CYCLE,
    PALETTE,
    App,
    button,
    checkbox,
    make_figure,
    readout,
    slider,
    style_axes,
    text_width,
)
from .._mine import mine_name, require_function, run_mine
from .._text import cached_text
from ..milestones._common import (
    BlitsAxes,
    FitsLegends,
    ImageFirst,
    html_columns,
    legend_below,
    row,
    steady_limits,
)
from ._common import FUNCTION_NAMES_2, REALISABLE_2, function_index, truth_column

__all__ = ["MPNeuronPlayground", "mp_neuron_playground"]

MOVIE_INPUTS = ("isActorDamon", "isGenreThriller", "isDirectorNolan")
FIRE, SILENT = PALETTE["blue"], PALETTE["grey"]


class MPNeuronPlayground(ImageFirst, FitsLegends, BlitsAxes, App):
    """A threshold unit ``y = 1[w . x >= theta]`` with McCulloch-Pitts inhibitory inputs."""

    def __init__(self, n_inputs=3, threshold=3.0, weights=None, inhibitory=(), x=None,
                 names=None, mine=None):
        self.mine = require_function(mine, "my_mp_neuron", "your McCulloch-Pitts unit")
        #: With mine=: True for each truth-table row where your unit differs from dlcore's
        #: (None when the table shown is dlcore's).
        self.mismatch = None
        n = check_int(n_inputs, "n_inputs", minimum=1)
        if n > 4:
            raise ValueError(f"n_inputs must be between 1 and 4 (the truth table has 2**n "
                             f"rows); got {n}")
        w = np.ones(n) if weights is None else as_array(weights, "weights", ndim=1,
                                                         spec="(n_inputs,)")
        x = np.ones(n) if x is None else as_array(x, "x", ndim=1, spec="(n_inputs,)")
        check_shapes("mp_neuron_playground", weights=(w, str(n)), x=(x, str(n)))
        if not np.all((x == 0) | (x == 1)):
            raise ValueError("x must hold binary inputs in {0, 1}")
        if np.any(np.abs(w) > 3):
            raise ValueError(f"weights must lie in [-3, 3] (the slider range); got {w}")
        theta = float(threshold)
        if not -5 <= theta <= 5:
            raise ValueError(f"threshold must lie in [-5, 5] (the slider range); got {theta}")
        inhibitory = (inhibitory,) if isinstance(inhibitory, (int, np.integer)) \
            else tuple(inhibitory)
        if any(not isinstance(i, (int, np.integer)) or not 0 <= i < n for i in inhibitory):
            raise ValueError(f"inhibitory must hold input indices in [0, {n - 1}]; "
                             f"got {inhibitory}")
        if names is None:
            names = MOVIE_INPUTS if n == 3 else tuple(f"input {i + 1}" for i in range(n))
        if len(names) != n:
            raise ValueError(f"names must hold {n} input names; got {len(names)}")
        self.n, self.names = n, tuple(names)
        self.X = neurons.truth_table(lambda row: 0, n)[0].astype(float)
        controls = {}
        x_px = max(text_width(f"x{i + 1} = 1 ({names[i]})") + 40 for i in range(n))
        for i in range(n):
            controls[f"x{i}"] = checkbox(f"x{i + 1} = 1 ({names[i]})", bool(x[i]),
                                         tooltip=f"input x{i + 1}: {names[i]}")
            controls[f"x{i}"].layout.width = f"{max(x_px, 160)}px"  # the rows line up
        for i in range(n):
            controls[f"w{i}"] = slider(f"weight w{i + 1}", float(w[i]), -3, 3, 0.5,
                                       tooltip=f"weight of input x{i + 1} ({names[i]})")
        for i in range(n):
            controls[f"inh{i}"] = checkbox(f"x{i + 1} is inhibitory", i in inhibitory,
                                           tooltip="an active inhibitory input forces y = 0")
        controls["theta"] = slider("threshold θ", theta, -5, 5, 0.5,
                                   tooltip="the unit fires when the weighted sum is >= θ")
        controls["preset_0"] = button("θ = 0 (fires for every input)")
        controls["preset_n"] = button(f"θ = {n} (needs every input)")
        controls["preset_0"].on_click(lambda _b: setattr(controls["theta"], "value", 0.0))
        controls["preset_n"].on_click(lambda _b: setattr(controls["theta"], "value", float(n)))
        ncols = 3 if n == 2 else 2
        fig, axes = make_figure(1, ncols, figsize=(11.5, 4.8) if n == 2 else (8.4, 3.8))
        self._ylim = self._tlim = None
        self._build_plots(axes)
        readouts = {"decision": readout(), "table": readout(),
                    **({"mine": readout()} if mine is not None else {})}
        if n == 2:
            readouts["function"] = readout()
        super().__init__(controls, fig, readouts, title="McCulloch-Pitts neuron playground")
        # One row per input (its value, weight, inhibitory switch), then θ and its presets.
        self.arrange([row(controls[f"x{i}"], controls[f"w{i}"], controls[f"inh{i}"])
                      for i in range(n)]
                     + [row(controls["theta"], controls["preset_0"], controls["preset_n"])])
        dynamic = [*self.stack, self.total, self.theta_line, self.verdict, *self.rows,
                   self.zero_v, self.theta_v, self.wrong_marks]
        if n == 2:
            dynamic.append(self.highlight)
        self.set_dynamic(dynamic)
        # A new range of sums redraws the value axes and the bars, not the whole figure.
        self.blit_axes([self.ax.yaxis, self.ax_t.xaxis])
        self.update()

    def _build_plots(self, axes) -> None:
        ax, ax_t = axes[0], axes[1]
        self.ax, self.ax_t = ax, ax_t
        self.stack = ax.bar([0] * self.n, [0.0] * self.n, width=0.6,
                            color=[CYCLE[i % len(CYCLE)] for i in range(self.n)])
        for i, rect in enumerate(self.stack):
            rect.set_label(f"w{i + 1} x{i + 1}")
        self.total = ax.plot([-0.4, 0.4], [0, 0], color=PALETTE["black"], lw=3,
                             label="Σ wᵢxᵢ")[0]
        self.theta_line = ax.axhline(0, color=PALETTE["vermillion"], ls="--", lw=2,
                                     label="threshold θ")
        self.verdict = cached_text(ax, 0, 0, "", ha="center", va="bottom", fontsize="medium")
        ax.set_xlim(-1, 1)
        ax.set_xticks([0], ["Σ wᵢxᵢ"])
        # Outside the axes: the θ line and the bars move across the whole panel.
        if self.n == 2:  # three panels: the legend goes under the first
            legend_below(ax, 3, handlelength=1.2, columnspacing=0.8)
        else:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
        style_axes(ax, "Sum against θ" if self.n == 2 else "Weighted sum against θ",
                   "current input x", "value")
        rows = 2 ** self.n
        self.rows = ax_t.barh(range(rows), [0.0] * rows, color=SILENT)
        self.theta_v = ax_t.axvline(0, color=PALETTE["vermillion"], ls="--", lw=2)
        # With mine=: a × at the end of each row where your unit differs from dlcore's.
        self.wrong_marks = ax_t.scatter(np.empty(0), np.empty(0), s=110, marker="X",
                                        color=PALETTE["orange"], edgecolors=PALETTE["black"],
                                        linewidths=0.8, zorder=5)
        self.zero_v = ax_t.axvline(0, color=PALETTE["black"], lw=0.5)
        ax_t.set_yticks(range(rows), ["".join(str(int(v)) for v in r) for r in self.X],
                        fontsize="small")
        ax_t.invert_yaxis()
        style_axes(ax_t, "Every input (blue: fires)", "weighted sum Σ wᵢxᵢ",
                   "input x1..x" + str(self.n))
        if self.n == 2:
            ax_f = axes[2]
            table = np.stack([truth_column(k) for k in range(16)], axis=1)
            ax_f.imshow(table, cmap=ListedColormap(["#f2f2f2", FIRE]), vmin=0, vmax=1,
                        aspect="auto")
            for k in range(16):
                if not REALISABLE_2[k]:
                    ax_f.add_patch(Rectangle((k - 0.5, -0.5), 1, 4, fill=False, hatch="xx",
                                             edgecolor=PALETTE["vermillion"], lw=0))
            self.highlight = ax_f.add_patch(Rectangle((-0.5, -0.5), 1, 4, fill=False,
                                                      edgecolor=PALETTE["black"], lw=3))
            ax_f.set_xticks(range(16), FUNCTION_NAMES_2, rotation=90, fontsize=8)
            ax_f.set_yticks(range(4), ["00", "01", "10", "11"])
            style_axes(ax_f, "The 16 functions", "hatched: no single unit", "input x1 x2")

    def values(self):
        """Current (x, w, theta, inhibitory indices)."""
        c = self.controls
        x = np.array([float(c[f"x{i}"].value) for i in range(self.n)])
        w = np.array([c[f"w{i}"].value for i in range(self.n)], dtype=float)
        inh = tuple(i for i in range(self.n) if c[f"inh{i}"].value)
        return x, w, float(c["theta"].value), inh

    @staticmethod
    def output(x, w, theta, inhibitory) -> int:
        """The unit: 0 if an inhibitory input is on, else ``step(w . x - theta)``."""
        if np.all(w == 1):  # the McCulloch-Pitts unit proper: unit weights
            return neurons.mp_neuron(x, theta, inhibitory=inhibitory)
        if inhibitory and np.any(x[list(inhibitory)] == 1):
            return 0
        return neurons.step(float(w @ x) - theta)

    def table(self):
        """Truth table of the current unit: X (2**n, n), sums (2**n,), y (2**n,)."""
        _, w, theta, inh = self.values()
        _, y = neurons.truth_table(lambda row: self.output(row, w, theta, inh), self.n)
        return self.X, self.X @ w, np.asarray(y)

    def _compare_mine(self, w, theta, inh, ys):
        """Your unit's truth column, compared with dlcore's ``ys``; dlcore's when it fails."""
        self.mismatch = None
        fallback = "the table shows dlcore's unit"
        if not np.all(w == 1):
            self.set_readout("mine", f"{mine_name(self.mine)} is the McCulloch-Pitts unit, "
                                     f"whose weights are all 1: set every weight to 1 to "
                                     f"compare it; {fallback}.")
            return ys
        where = (f"{len(self.X)} rows of the truth table, threshold {theta:g}, inhibitory "
                 f"{tuple(inh)}")
        mine = run_mine(self.mine, (self.X, theta), {"inhibitory": tuple(inh)},
                        reference=ys.astype(float), reference_name="dl.neurons.mp_neuron",
                        where=where, fallback=fallback, entries="rows", label="y")
        self.set_readout("mine", mine.message)
        if not mine.used:
            return ys
        self.mismatch = mine.differ
        return np.where(mine.value != 0, 1, 0)

    def update(self) -> None:
        x, w, theta, inh = self.values()
        contrib = w * x
        pos = np.cumsum(np.where(contrib > 0, contrib, 0))
        neg = np.cumsum(np.where(contrib < 0, contrib, 0))
        for i, rect in enumerate(self.stack):
            if contrib[i] >= 0:
                rect.set_y(pos[i] - contrib[i])
            else:
                rect.set_y(neg[i] - contrib[i])
            rect.set_height(contrib[i])
        s = float(contrib.sum())
        X, sums, ys = self.table()
        current = int(np.dot(x.astype(int), 1 << np.arange(self.n - 1, -1, -1)))
        reference = ys
        if self.mine is not None:
            ys = self._compare_mine(w, theta, inh, ys)
        y = int(ys[current])
        # (an active inhibitory input silences the unit; your unit may disagree)
        vetoed = bool(inh) and bool(np.any(x[list(inh)] == 1)) and y == 0
        self.total.set_ydata([s, s])
        self.theta_line.set_ydata([theta, theta])
        # Limits that change only when the bars leave them or fill too little of them: most
        # changes then redraw the moving artists only.
        lo = min(0.0, float(neg[-1]), theta) - 1
        hi = max(1.0, float(pos[-1]), theta) + 1.8
        self._ylim = steady_limits(self._ylim, lo, hi, pad=0.0, headroom=0.1, slack=1.8)
        self.ax.set_ylim(*self._ylim)
        word = "vetoed, y = 0" if vetoed else ("fires, y = 1" if y else "silent, y = 0")
        self.verdict.set_text(f"x = {''.join(str(int(v)) for v in x)}: {word}")
        self.verdict.set_position((0, max(s, theta, float(pos[-1])) + 0.15))
        wrong = self.mismatch if self.mismatch is not None else np.zeros(len(ys), bool)
        for r, bar in enumerate(self.rows):
            bar.set_width(sums[r])
            bar.set_color(FIRE if ys[r] else SILENT)
            bar.set_edgecolor(PALETTE["black"] if r == current else "none")
            bar.set_linewidth(2.5 if r == current else 0)
        bad = np.flatnonzero(wrong)
        self.wrong_marks.set_offsets(np.column_stack([sums[bad], bad]) if bad.size
                                     else np.empty((0, 2)))
        self.theta_v.set_xdata([theta, theta])
        span = max(np.abs(sums).max(), abs(theta)) + 1
        self._tlim = steady_limits(self._tlim, -span, span, pad=0.0, headroom=0.1, slack=1.8)
        self.ax_t.set_xlim(*self._tlim)
        for key, value in (("preset_0", 0.0), ("preset_n", float(self.n))):
            b = self.controls[key]
            b.disabled = bool(np.isclose(theta, value))
            b.tooltip = (f"θ is already {value:g}" if b.disabled
                         else f"set the threshold θ to {value:g}")
        terms = " + ".join(f"{wi:g}·{int(xi)}" for wi, xi in zip(w, x))
        rel = "≥" if s >= theta else "<"
        bias = s - theta
        text = (f"x = {tuple(int(v) for v in x)}: Σ wᵢxᵢ = {terms} = {s:g} {rel} θ = {theta:g}. "
                f"As a bias: w0 = -θ = {0.0 - theta:g} with x0 = 1 gives Σ from i = 0 of wᵢxᵢ = "
                f"{bias:g} {'≥' if bias >= 0 else '<'} 0. ")
        if vetoed:
            on = ", ".join(f"x{i + 1}" for i in inh if x[i] == 1)
            text += f"Inhibitory input {on} is on, so y = 0 whatever the sum."
        else:
            text += f"y = {y} ({'fires' if y else 'silent'})."
        if self.mismatch is not None and self.mismatch[current]:
            text += (f" That is your unit's output; dl.neurons.mp_neuron gives "
                     f"{int(reference[current])}.")
        self.set_readout("decision", text)
        # The truth table on its side (one column per input), so 16 inputs stay 3 lines high.
        inputs = ["".join(str(int(v)) for v in X[r]) for r in range(len(X))]
        self.readouts["table"].value = html_columns(
            [("x = " + "".join(f"x{i + 1}" for i in range(self.n)), *inputs),
             ("Σ wᵢxᵢ", *(f"{v + 0.0:g}" for v in sums)),
             ("y", *(f"{int(v)}≠{int(c)}" if bad else int(v)
                     for v, c, bad in zip(ys, reference, wrong)))], bold_col=current)
        n_fire = int(ys.sum())
        summary = (f"Weighted sum {s:g} against threshold {theta:g}: "
                   f"{'vetoed' if vetoed else ('fires' if y else 'silent')}. "
                   f"The unit fires for {n_fire} of {len(ys)} inputs.")
        if self.n == 2:
            k = function_index(ys)
            self.highlight.set_x(k - 0.5)
            name = FUNCTION_NAMES_2[k]
            self.readouts["function"].value = html.escape(
                f"This unit computes {name} (function {k} of 16). A single threshold unit can "
                f"realise 14 of the 16 functions of two inputs; XOR and XNOR (hatched) are the "
                f"two it cannot, whatever the weights.")
            summary += f" It computes {name}."
        self.set_summary(summary)


def mp_neuron_playground(n_inputs: int = 3, threshold: float = 3.0, weights=None,
                         inhibitory=(), x=None, names=None, mine=None) -> MPNeuronPlayground:
    """Threshold unit with checkboxes for the inputs: sum against θ, decision, truth table.

    Defaults to Khapra's movie neuron (3 inputs, unit weights, θ = 3).  With
    ``n_inputs=2`` a third panel marks which of the 16 two-input functions a single unit
    realises.  weights: (n_inputs,) in [-3, 3]; inhibitory: input indices; x: initial inputs.

    ``mine``: your own unit, called as ``mine(X, threshold, inhibitory=...)`` on all 2**n
    inputs at once (X (2**n, n)) and returning their outputs (2**n,), like exercise 02.6.
    While every weight is 1 the truth table, the bars and the decision are then your unit's:
    a row where it differs from ``dl.neurons.mp_neuron`` is marked × in the right panel and
    shown as ``yours≠correct`` in the table, and a readout counts them.  If your unit raises,
    returns None or the wrong shape, the readout says so and the playground shows dlcore's
    unit.
    """
    return MPNeuronPlayground(n_inputs=n_inputs, threshold=threshold, weights=weights,
                              inhibitory=inhibitory, x=x, names=names, mine=mine)
