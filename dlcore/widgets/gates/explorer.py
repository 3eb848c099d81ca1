"""``lstm_gate_explorer``: the gates, candidate and states of a one-unit LSTM or GRU over a
short sequence, and what each step writes, keeps and reads.

Shape legend: one sequence of T scalars, x (1, T, 1); one hidden unit, H = 1; weights in
PyTorch's layout, w_ih (G, 1), w_hh (G, 1), b_ih (G,), with G = 4 gates (i, f, g, o) for the
LSTM and 3 (r, z, n) for the GRU.
"""

from __future__ import annotations

import functools

import numpy as np

from ... import recurrent
from ..._checks import as_array
from .._base import PALETTE, App, dropdown, human, int_slider, readout, slider, style_axes
from .._mine import mine_name, require_function, run_mine
from .._text import cached_text
from ..sequences._common import (
    NARROW_PX,
    FullFrames,
    LegendFits,
    choice,
    control_rows,
    figure_grid,
    in_range,
    sticky_limits,
)

__all__ = ["lstm_gate_explorer"]

_T = 12


def _pulse(T, at, value=1.0):
    x = np.zeros(T)
    if at <= T:
        x[at - 1] = value
    return x


_PATTERNS = {
    "constant 1": lambda T: np.ones(T),
    "pulse at t = 3": lambda T: _pulse(T, 3),
    "pulse at t = 3, reset (−1) at t = 9": lambda T: _pulse(T, 3) + _pulse(T, 9, -1.0),
    "alternating +1, −1": lambda T: (-1.0) ** np.arange(T),
    "random (seed 0)": lambda T: np.random.default_rng(0).standard_normal(T),
}

_LSTM, _GRU = "LSTM", "GRU"
_PRESETS = {
    "worked example (LSTM): all weights 0.5, b = 0, x = 1, h₀ = c₀ = 0.5": dict(
        cell=_LSTM, input="constant 1", w_x=[0.5] * 4, w_h=[0.5] * 4, b=[0.0] * 4, h0=0.5,
        c0=0.5),
    "worked example (GRU): all weights 0.5, b = 0, x = 1, h₀ = 0.5": dict(
        cell=_GRU, input="constant 1", w_x=[0.5] * 3, w_h=[0.5] * 3, b=[0.0] * 3, h0=0.5),
    "write once, then keep (LSTM, forget bias +4)": dict(
        cell=_LSTM, input="pulse at t = 3", w_x=[8.0, 0.0, 3.0, 0.0], w_h=[0.0] * 4,
        b=[-4.0, 4.0, 0.0, 2.0]),
    "leaky memory (LSTM, forget bias 0)": dict(
        cell=_LSTM, input="pulse at t = 3", w_x=[8.0, 0.0, 3.0, 0.0], w_h=[0.0] * 4,
        b=[-4.0, 0.0, 0.0, 2.0]),
    "write, keep, erase on a reset signal (LSTM)": dict(
        cell=_LSTM, input="pulse at t = 3, reset (−1) at t = 9", w_x=[8.0, 10.0, 3.0, 0.0],
        w_h=[0.0] * 4, b=[-4.0, 4.0, 0.0, 2.0]),
    "write once, then keep (GRU, update bias +4)": dict(
        cell=_GRU, input="pulse at t = 3", w_x=[0.0, -8.0, 3.0], w_h=[0.0] * 3,
        b=[0.0, 4.0, 0.0]),
}
# Short labels keep two bias sliders side by side; the tooltips say which gate each moves.
_BIAS_LABELS = {
    _LSTM: ("b_i (write)", "b_f (keep)", "b_g (candidate)", "b_o (read)"),
    _GRU: ("b_r (reset)", "b_z (keep)", "b_n (candidate)", "(no 4th gate)"),
}
_BIAS_TIPS = {
    _LSTM: ("bias of the input gate i: writing into the cell",
            "bias of the forget gate f: keeping the cell",
            "bias of the candidate g (what would be written)",
            "bias of the output gate o: reading the cell into h"),
    _GRU: ("bias of the reset gate r", "bias of the update gate z: keeping h",
           "bias of the candidate n", "the GRU has only three gate blocks (r, z, n)"),
}
_GATE_LABELS = {"i": "input gate i (write)", "f": "forget gate f (keep)",
                "o": "output gate o (read)", "r": "reset gate r", "z": "update gate z (keep)"}


def run_cell(cell: str, x, w_x, w_h, b, h0=0.0, c0=0.0) -> dict[str, np.ndarray]:
    """A one-unit LSTM or GRU over the scalars x (T,): the gates and states of every step.

    Uses ``recurrent.lstm_forward`` + ``lstm_gates`` or ``gru_forward`` + ``gru_gates``; w_x,
    w_h and b are (G,) in PyTorch's gate order.  Returns arrays (T,) keyed "i", "f", "g", "o",
    "c", "h" (LSTM) or "r", "z", "n", "h" (GRU).
    """
    xs = np.asarray(x, dtype=np.float64).reshape(1, -1, 1)
    w_ih = np.asarray(w_x, dtype=np.float64)[:, None]
    w_hh = np.asarray(w_h, dtype=np.float64)[:, None]
    h0 = np.full((1, 1), float(h0))
    if cell == _LSTM:
        _, cache = recurrent.lstm_forward(xs, h0, np.full((1, 1), float(c0)), w_ih, w_hh,
                                          np.asarray(b, dtype=np.float64))
        out = recurrent.lstm_gates(cache)
    else:
        _, cache = recurrent.gru_forward(xs, h0, w_ih, w_hh, np.asarray(b, dtype=np.float64))
        out = recurrent.gru_gates(cache)
    return {k: v[0, :, 0] for k, v in out.items()}


def _listed(values) -> str:
    return "[" + ", ".join(human(float(v)) for v in values) + "]"


def _fmt(v: float) -> str:
    v = float(v)
    return f"{v:.4g}" if np.isfinite(v) and v != 0 else ("0" if v == 0 else str(v))


def _none_as_pair(fn):
    """``fn`` returning (None, None) where it returns None, so that a step that returns
    nothing yet is reported as not written rather than as a wrong number of results."""
    @functools.wraps(fn)
    def call(*args, **kwargs):
        got = fn(*args, **kwargs)
        return (None, None) if got is None else got

    return call


def run_mine_cell(fn, cell: str, x, w_x, w_h, b, trace, h0=0.0, c0=0.0) -> dict:
    """Run the learner's one-unit step ``fn`` over the scalars x (T,), feeding its own states
    back, and compare each step with dlcore's ``trace`` (``run_cell``'s result).

    The LSTM step is called as ``fn(x_t, h, c, w_x, w_h, b)`` -> (h, c), the GRU step as
    ``fn(x_t, h, w_x, w_h, b)`` -> h, with x_t, h, c arrays (1,) and w_x, w_h, b (G,) in
    PyTorch's gate order.  Returns {"message", and when every step ran: "h", "c" (LSTM)
    (T,) the learner's states, "differ" (T,) True at the steps where h (or c) is not
    dlcore's}.
    """
    lstm = cell == _LSTM
    name = mine_name(fn)
    if lstm:
        fn = _none_as_pair(fn)
    what = "LSTM" if lstm else "GRU"
    ref_name = f"dlcore's {what} step"
    fallback = f"the curves show dlcore's {what} only"
    w_x, w_h, b = (np.asarray(v, dtype=np.float64) for v in (w_x, w_h, b))
    h, c = np.array([float(h0)]), np.array([float(c0)])
    hs, cs, bad, n_bad = [], [], [], 0
    worst = (-1.0, "", 0.0, 0.0)
    for k, x_t in enumerate(np.asarray(x, dtype=np.float64)):
        where = f"step t = {k + 1}: x_t = {_fmt(x_t)}, h = {_fmt(h[0])}" + \
            (f", c = {_fmt(c[0])}" if lstm else "")
        xs = np.array([x_t])
        if lstm:
            ref = (trace["h"][k:k + 1], trace["c"][k:k + 1])
            m = run_mine(fn, (xs, h, c, w_x, w_h, b), reference=ref, reference_name=ref_name,
                         where=where, fallback=fallback, outputs=("h", "c"))
        else:
            ref = trace["h"][k:k + 1]
            m = run_mine(fn, (xs, h, w_x, w_h, b), reference=ref, reference_name=ref_name,
                         where=where, fallback=fallback, label="h")
        if not m.used:
            return {"message": m.message}
        if lstm:
            h, c = m.value
            parts = (("h", h, ref[0], m.differ[0]), ("c", c, ref[1], m.differ[1]))
        else:
            h = m.value
            parts = (("h", h, ref, m.differ),)
        hs.append(float(h[0]))
        cs.append(float(c[0]))
        bad.append(bool(any(d.any() for *_, d in parts)))
        n_bad += sum(int(d.sum()) for *_, d in parts)
        for label, got, want, d in parts:
            err = float(np.abs(got[0] - want[0])) if d.any() else -1.0
            if not np.isfinite(err):
                err = np.inf
            if err > worst[0]:
                worst = (err, f"{label}_{k + 1}", float(got[0]), float(want[0]))
    T = len(hs)
    n_values = T * (2 if lstm else 1)
    values = "values of h_t and c_t" if lstm else "values of h_t"
    states = "h and c" if lstm else "h"
    differ = np.array(bad)
    if not n_bad:
        message = (f"Your steps drawn over dlcore's: {name} runs the {T} steps, and all "
                   f"{n_values} {values} match {ref_name}.")
    else:
        first = int(np.flatnonzero(differ)[0]) + 1
        message = (f"Your steps drawn over dlcore's: {n_bad} of {n_values} {values} from "
                   f"{name} differ from {ref_name} (marked ×), the first at t = {first}; the "
                   f"largest error is {_fmt(worst[0])} at {worst[1]}: yours {_fmt(worst[2])}, "
                   f"correct {_fmt(worst[3])}. Each step is fed your own {states} from the "
                   f"step before.")
    out = {"message": message, "h": np.array(hs), "differ": differ}
    if lstm:
        out["c"] = np.array(cs)
    return out


class LSTMGateExplorer(LegendFits, FullFrames, App):
    """Top: gate activations per step; bottom: the input, the candidate and the states."""

    def __init__(self, preset=None, x=None, t=1, mine=None, mine_gru=None):
        self.mine = require_function(mine, "my_lstm_step", "your LSTM step function")
        self.mine_gru = require_function(mine_gru, "my_gru_step", "your GRU step function")
        #: the learner's run over the sequence ("h", "c", "differ"), None when not shown
        self.mine_trace = None
        presets = dict(_PRESETS)
        patterns = dict(_PATTERNS)
        if x is not None:
            own = as_array(x, "x", ndim=1, spec="(T,)")
            if not 2 <= own.shape[0] <= 40:
                raise ValueError(f"x must hold between 2 and 40 steps; got {own.shape[0]}")
            patterns = {"your sequence": lambda T, own=own: own.copy(), **patterns}
        self._patterns = patterns
        name = next(iter(presets)) if preset is None else choice(preset, "preset", presets)
        spec = presets[name]
        self._presets = presets
        self._spec = dict(spec)
        self._busy = False
        first_input = "your sequence" if x is not None else spec["input"]
        self._T = len(patterns[first_input](_T)) if x is not None else _T
        t = in_range(t, "t", 1, self._T)
        labels = _BIAS_LABELS[spec["cell"]]
        bias = list(spec["b"]) + [0.0] * (4 - len(spec["b"]))
        controls = {
            "preset": dropdown("preset", list(presets), name,
                               tooltip="a cell and its weights; the sliders change them"),
            "input": dropdown("input sequence x_t", list(patterns), first_input,
                              tooltip="what the cell reads"),
            "amplitude": slider("input scale", 1.0, 0.0, 3.0, 0.05,
                                tooltip="multiplies the input sequence"),
            **{f"b{j}": slider(labels[j], bias[j], -6.0, 6.0, 0.1,
                               tooltip=_BIAS_TIPS[spec["cell"]][j]) for j in range(4)},
            "t": int_slider("inspect step t", t, 1, self._T, tooltip="the step to read out"),
        }
        controls["b3"].disabled = spec["cell"] == _GRU
        fig, (ax_g, ax_s) = figure_grid(2, 1, (7.6, 4.2), sharex=True)
        self.ax_gates, self.ax_states = ax_g, ax_s
        # Three gates that often coincide (i = f = o in the worked example): a large open
        # circle, a square and a small triangle on solid, dashed and dotted lines stay
        # distinguishable on top of each other.
        self.gate_lines = [
            ax_g.plot([], [], "o-", color=PALETTE["blue"], ms=8, mfc="none", mew=1.5,
                      lw=1.6)[0],
            ax_g.plot([], [], "s--", color=PALETTE["orange"], ms=5, lw=1.6)[0],
            ax_g.plot([], [], "^:", color=PALETTE["green"], ms=4, lw=2.2)[0],
        ]
        ax_g.set_ylim(-0.05, 1.12)
        style_axes(ax_g, "", "", "gate (0 shut, 1 open)")
        self.same_note = cached_text(ax_g, 0.01, 0.97, "", transform=ax_g.transAxes, fontsize=8,
                                     va="top", color=PALETTE["black"])
        self.line_x = ax_s.step([], [], where="mid", color=PALETTE["grey"], lw=1.4,
                                label="input x_t")[0]
        self.line_cand, = ax_s.plot([], [], "s--", color=PALETTE["purple"], ms=3, lw=1.2)
        self.line_c, = ax_s.plot([], [], "o-", color=PALETTE["vermillion"], ms=4, lw=2,
                                 label="cell state c_t")
        self.line_h, = ax_s.plot([], [], "o-", color=PALETTE["black"], ms=4, lw=1.6,
                                 label="hidden state h_t")
        # with mine=: the learner's states as hollow diamonds on dashed lines over dlcore's,
        # and a cross on every step where they differ
        self.line_my_c, = ax_s.plot([], [], "D--", color=PALETTE["orange"], ms=7, mfc="none",
                                    mew=1.3, lw=1.0, label="your c_t")
        self.line_my_h, = ax_s.plot([], [], "D--", color=PALETTE["sky"], ms=7, mfc="none",
                                    mew=1.3, lw=1.0, label="your h_t")
        self.my_marks, = ax_s.plot([], [], "x", color=PALETTE["vermillion"], ms=11, mew=2.5,
                                   label="yours ≠ dlcore's")
        self._has_mine = mine is not None or mine_gru is not None
        for line in (self.line_my_c, self.line_my_h, self.my_marks):
            line.set_visible(self._has_mine)
        style_axes(ax_s, "", "time step t (t = 0 is the initial state)", "value")
        self.cursors = [ax.axvline(1, color=PALETTE["sky"], lw=6, alpha=0.35)
                        for ax in (ax_g, ax_s)]
        self._ylim = None
        readouts = {"gates": readout(), "flow": readout(), "weights": readout(),
                    **({"mine": readout()} if self._has_mine else {})}
        super().__init__(controls, fig, readouts, title="LSTM and GRU gates over a sequence")
        control_rows(self, ["preset"], ["input", "amplitude"], ["b0", "b1"], ["b2", "b3"],
                     ["t"])
        self.trace: dict[str, np.ndarray] = {}
        self._cell = None
        # Sliders move the curves and the cursor only (blitting on a cached background).
        self.set_dynamic(self.gate_lines + [self.same_note, self.line_x, self.line_cand,
                                            self.line_c, self.line_h, self.line_my_c,
                                            self.line_my_h, self.my_marks] + self.cursors)
        self.update()

    def _set_cell(self, cell: str) -> None:
        """Titles, labels and keys of the cell (LSTM or GRU): only when it changes."""
        names = ("i", "f", "o") if cell == _LSTM else ("r", "z", None)
        for line, key in zip(self.gate_lines, names):
            line.set_visible(key is not None)
            line.set_label(_GATE_LABELS[key] if key else "_none")
        cand = "g" if cell == _LSTM else "n"
        self.line_cand.set_label(f"candidate {cand}_t")
        self.line_c.set_visible(cell == _LSTM)
        self.ax_gates.set_title(f"{cell}, one unit: gates over {self._T} steps")
        self.ax_states.set_title("input, candidate, states c and h" if cell == _LSTM
                                 else "input, candidate n and state h")
        self._cell = cell
        self._place_legend(self._legend_below)
        self.relayout()  # new titles and keys: lay the figure out again

    def _place_legend(self, below: bool) -> None:
        """Keys right of each panel, or one key under the figure when the widget is narrow."""
        if self._cell is None:
            return
        gates = [ln for ln in self.gate_lines if ln.get_visible()]
        states = [self.line_x, self.line_cand] + ([self.line_c] if self._cell == _LSTM else []) \
            + [self.line_h]
        if self._has_mine:
            states += ([self.line_my_c] if self._cell == _LSTM else []) + [self.line_my_h,
                                                                           self.my_marks]
        for ax in (self.ax_gates, self.ax_states):
            if ax.get_legend() is not None:
                ax.get_legend().remove()
        for old in list(self.fig.legends):
            old.remove()
        if below:
            self.fig.legend(handles=gates + states, loc="outside lower center", ncol=2,
                            fontsize=8)
        else:
            for ax, handles in ((self.ax_gates, gates), (self.ax_states, states)):
                ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1),
                          borderaxespad=0, fontsize=8)

    def fit(self, width: int) -> None:
        super().fit(width)
        if width and 100 <= width < NARROW_PX:  # two panels and a key under them: taller
            w = self.fig.get_figwidth() * self.fig.dpi
            self._resize(w, max(w * 1.3, self.fig.get_figheight() * self.fig.dpi))

    def _on_change(self, change=None) -> None:
        if self._busy:
            return
        if change is not None and change.get("owner") is self.controls["preset"]:
            self._load(change["new"])
        super()._on_change(change)

    def _load(self, name: str) -> None:
        spec = self._presets[name]
        self._spec = dict(spec)
        labels = _BIAS_LABELS[spec["cell"]]
        tips = _BIAS_TIPS[spec["cell"]]
        bias = list(spec["b"]) + [0.0] * (4 - len(spec["b"]))
        self._busy = True
        try:
            for j in range(4):
                self.controls[f"b{j}"].description = labels[j]
                self.controls[f"b{j}"].tooltip = tips[j]
                self.controls[f"b{j}"].value = bias[j]
            self.controls["b3"].disabled = spec["cell"] == _GRU
            if spec["input"] in self._patterns:
                self.controls["input"].value = spec["input"]
            self.controls["amplitude"].value = 1.0
        finally:
            self._busy = False

    def update(self) -> None:
        c, spec = self.controls, self._spec
        cell = spec["cell"]
        if cell != self._cell:
            self._set_cell(cell)
        G = 4 if cell == _LSTM else 3
        x = c["amplitude"].value * self._patterns[c["input"].value](self._T)
        T = len(x)
        b = [c[f"b{j}"].value for j in range(G)]
        tr = run_cell(cell, x, spec["w_x"], spec["w_h"], b, spec.get("h0", 0.0),
                      spec.get("c0", 0.0))
        self.trace = tr
        ts = np.arange(1, T + 1)
        names = ("i", "f", "o") if cell == _LSTM else ("r", "z")
        for line, key in zip(self.gate_lines, names):
            line.set_data(ts, tr[key])
        self.same_note.set_text(_coincide_note(tr, names))
        h0, c0 = spec.get("h0", 0.0), spec.get("c0", 0.0)
        self.line_x.set_data(ts, x)
        cand = "g" if cell == _LSTM else "n"
        self.line_cand.set_data(ts, tr[cand])
        if cell == _LSTM:
            self.line_c.set_data(np.arange(T + 1), np.concatenate([[c0], tr["c"]]))
        self.line_h.set_data(np.arange(T + 1), np.concatenate([[h0], tr["h"]]))
        yours = self._draw_mine(cell, x, spec, b, tr, h0, c0) if self._has_mine else []
        values = np.concatenate([x, tr["h"], tr[cand], tr.get("c", [0.0]), [h0, c0], *yours])
        values = values[np.isfinite(values)]
        # Limits that stay while the curves fit: most key presses redraw only the curves.
        self._ylim = sticky_limits(self._ylim, float(values.min()), float(values.max()),
                                   fill=0.5, margin=0.12, min_span=1.0)
        self.ax_states.set_ylim(*self._ylim)
        self.ax_states.set_xlim(-0.3, T + 0.5)
        t = min(c["t"].value, T)
        for cur in self.cursors:
            cur.set_xdata([t, t])
        k = t - 1
        if cell == _LSTM:
            c_prev = c0 if k == 0 else tr["c"][k - 1]
            self.set_readout("gates", f"t = {t}: x = {x[k]:.4g}; i = {tr['i'][k]:.6f}, f = "
                                      f"{tr['f'][k]:.6f}, g = {tr['g'][k]:.6f}, o = "
                                      f"{tr['o'][k]:.6f}")
            self.set_readout("flow", f"kept f·c_(t−1) = {tr['f'][k] * c_prev:.6f}, written i·g = "
                                     f"{tr['i'][k] * tr['g'][k]:.6f}, so c_{t} = "
                                     f"{tr['c'][k]:.6f}; read h_{t} = o·tanh(c_{t}) = "
                                     f"{tr['h'][k]:.6f}")
            kept = f"c_{T} = {tr['c'][-1]:.3f}, h_{T} = {tr['h'][-1]:.3f}"
        else:
            h_prev = h0 if k == 0 else tr["h"][k - 1]
            self.set_readout("gates", f"t = {t}: x = {x[k]:.4g}; r = {tr['r'][k]:.6f}, z = "
                                      f"{tr['z'][k]:.6f}, n = {tr['n'][k]:.6f}")
            self.set_readout("flow", f"kept z·h_(t−1) = {tr['z'][k] * h_prev:.6f}, written "
                                     f"(1 − z)·n = {(1 - tr['z'][k]) * tr['n'][k]:.6f}, so h_{t} "
                                     f"= {tr['h'][k]:.6f} (PyTorch form)")
            kept = f"h_{T} = {tr['h'][-1]:.3f}"
        order = "(i, f, g, o)" if cell == _LSTM else "(r, z, n)"
        self.set_readout("weights", f"gate order {order}: input weights {_listed(spec['w_x'])}, "
                                    f"recurrent {_listed(spec['w_h'])}, biases {_listed(b)}")
        self.set_summary(f"{cell} over {T} steps of '{c['input'].value}': gate curves on top, "
                         f"input, candidate and states below; at the end {kept}.")


    def _draw_mine(self, cell, x, spec, b, tr, h0, c0) -> list:
        """Run the learner's step over the sequence; draw its states and mark the steps that
        differ.  Returns the plotted values (for the axis limits)."""
        fn = self.mine if cell == _LSTM else self.mine_gru
        self.mine_trace = None
        for line in (self.line_my_c, self.line_my_h, self.my_marks):
            line.set_data([], [])
        if fn is None:
            other, kw = ("GRU", "mine_gru=my_gru_step") if cell == _GRU else \
                ("LSTM", "mine=my_lstm_step")
            given = mine_name(self.mine if cell == _GRU else self.mine_gru)
            self.set_readout("mine", f"{given} is {'an LSTM' if cell == _GRU else 'a GRU'} step: "
                                     f"choose a preset of that cell to compare it, or pass "
                                     f"your {other} step too ({kw}); the curves show "
                                     f"dlcore's {other}.")
            return []
        run = run_mine_cell(fn, cell, x, spec["w_x"], spec["w_h"], b, tr, h0, c0)
        self.set_readout("mine", run["message"])
        if "h" not in run:
            return []
        self.mine_trace = run
        ts = np.arange(len(x) + 1)
        self.line_my_h.set_data(ts, np.concatenate([[h0], run["h"]]))
        plotted = [run["h"]]
        if cell == _LSTM:
            self.line_my_c.set_data(ts, np.concatenate([[c0], run["c"]]))
            plotted.append(run["c"])
        steps = np.flatnonzero(run["differ"]) + 1
        self.my_marks.set_data(steps, run["h"][steps - 1])
        return plotted


def _coincide_note(trace, names) -> str:
    """'i = f = o at every step' when gate curves lie on top of each other, else ''."""
    groups: list[list[str]] = []
    for key in names:
        for group in groups:
            if np.allclose(trace[group[0]], trace[key], atol=5e-3, rtol=0):
                group.append(key)
                break
        else:
            groups.append([key])
    same = [" = ".join(g) for g in groups if len(g) > 1]
    return ("; ".join(same) + " at every step (the curves overlap)") if same else ""


def lstm_gate_explorer(preset: str | None = None, x=None, t: int = 1, mine=None,
                       mine_gru=None) -> LSTMGateExplorer:
    """Presets of weights, an input sequence, gate biases -> the gate activations, candidate,
    cell and hidden state of a one-unit LSTM or GRU over the sequence
    (``dlcore.recurrent.lstm_gates`` / ``gru_gates``), with what step t writes, keeps and reads.

    ``x`` (T,), 2 <= T <= 40: your own input sequence, offered first; ``t`` the step to read.
    The first preset is the lecture's worked example (gates 0.679179, c_1 = 0.770969,
    h_1 = 0.439763).

    ``mine``: your one-unit LSTM step, called as ``mine(x_t, h, c, w_x, w_h, b)`` and
    returning ``(h, c)``, like ``my_lstm_step`` of lecture 14 (x_t, h, c arrays (1,); w_x,
    w_h, b (4,) in the order i, f, g, o).  On the LSTM presets the widget then runs the
    sequence with your step, feeding your own h and c back, draws your states over dlcore's
    (hollow diamonds), marks each step where they differ with a cross, and a readout counts the
    values that differ with the largest error.  ``mine_gru``: the same for your GRU step,
    ``mine_gru(x_t, h, w_x, w_h, b)`` -> h (gates r, z, n), on the GRU presets.  An error in
    your function is shown in the readout and the curves stay dlcore's.
    """
    return LSTMGateExplorer(preset=preset, x=x, t=t, mine=mine, mine_gru=mine_gru)
