"""``lstm_gate_explorer``: the gates, candidate and states of a one-unit LSTM or GRU over a
short sequence, and what each step writes, keeps and reads.

Shape legend: one sequence of T scalars, x (1, T, 1); one hidden unit, H = 1; weights in
PyTorch's layout, w_ih (G, 1), w_hh (G, 1), b_ih (G,), with G = 4 gates (i, f, g, o) for the
LSTM and 3 (r, z, n) for the GRU.
"""

from __future__ import annotations

import numpy as np

from ... import recurrent
from ..._checks import as_array
from .._base import PALETTE, App, dropdown, int_slider, readout, slider, style_axes
from ..sequences._common import choice, figure_grid, in_range, two_columns

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
_BIAS_LABELS = {
    _LSTM: ("bias b_i (input gate: write)", "bias b_f (forget gate: keep)",
            "bias b_g (candidate g)", "bias b_o (output gate: read)"),
    _GRU: ("bias b_r (reset gate)", "bias b_z (update gate: keep)", "bias b_n (candidate n)",
           "(the GRU has no fourth gate)"),
}


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


class LSTMGateExplorer(App):
    """Top: gate activations per step; bottom: the input, the candidate and the states."""

    def __init__(self, preset=None, x=None, t=1):
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
                               tooltip="gate bias: large and positive opens the gate, large "
                                       "and negative closes it") for j in range(4)},
            "t": int_slider("inspect step t", t, 1, self._T, tooltip="the step to read out"),
        }
        controls["b3"].disabled = spec["cell"] == _GRU
        fig, (ax_g, ax_s) = figure_grid(2, 1, (7.6, 5.2), sharex=True)
        self.ax_gates, self.ax_states = ax_g, ax_s
        colours = (PALETTE["blue"], PALETTE["orange"], PALETTE["green"])
        self.gate_lines = [ax_g.plot([], [], "o-", color=col, ms=4, lw=1.8)[0]
                           for col in colours]
        ax_g.set_ylim(-0.05, 1.05)
        style_axes(ax_g, "", "", "gate value (0 closed, 1 open)")
        self.line_x = ax_s.step([], [], where="mid", color=PALETTE["grey"], lw=1.4,
                                label="input x_t")[0]
        self.line_cand, = ax_s.plot([], [], "s--", color=PALETTE["purple"], ms=3, lw=1.2)
        self.line_c, = ax_s.plot([], [], "o-", color=PALETTE["vermillion"], ms=4, lw=2,
                                 label="cell state c_t")
        self.line_h, = ax_s.plot([], [], "o-", color=PALETTE["black"], ms=4, lw=1.6,
                                 label="hidden state h_t")
        style_axes(ax_s, "", "time step t (t = 0 is the initial state)", "value")
        self.cursors = [ax.axvline(1, color=PALETTE["sky"], lw=6, alpha=0.35)
                        for ax in (ax_g, ax_s)]
        readouts = {"gates": readout(), "flow": readout(), "weights": readout()}
        super().__init__(controls, fig, readouts, title="LSTM and GRU gates over a sequence")
        two_columns(self, ["preset", "input", "amplitude", "t"], ["b0", "b1", "b2", "b3"])
        self.trace: dict[str, np.ndarray] = {}
        self.update()

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
        bias = list(spec["b"]) + [0.0] * (4 - len(spec["b"]))
        self._busy = True
        try:
            for j in range(4):
                self.controls[f"b{j}"].description = labels[j]
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
        G = 4 if cell == _LSTM else 3
        x = c["amplitude"].value * self._patterns[c["input"].value](self._T)
        T = len(x)
        b = [c[f"b{j}"].value for j in range(G)]
        tr = run_cell(cell, x, spec["w_x"], spec["w_h"], b, spec.get("h0", 0.0),
                      spec.get("c0", 0.0))
        self.trace = tr
        ts = np.arange(1, T + 1)
        names = ("i", "f", "o") if cell == _LSTM else ("r", "z", None)
        long = {"i": "input gate i (write)", "f": "forget gate f (keep)",
                "o": "output gate o (read)", "r": "reset gate r", "z": "update gate z (keep)"}
        for line, key in zip(self.gate_lines, names):
            line.set_visible(key is not None)
            if key is not None:
                line.set_data(ts, tr[key])
                line.set_label(long[key])
        self.ax_gates.legend(loc="center right", fontsize=8)
        self.ax_gates.set_title(f"{cell} with one unit: gates over {T} steps")
        self.ax_states.set_title("input, candidate, cell state c and output h"
                                 if cell == _LSTM else "input, candidate n and output h")
        h0, c0 = spec.get("h0", 0.0), spec.get("c0", 0.0)
        self.line_x.set_data(ts, x)
        cand = "g" if cell == _LSTM else "n"
        self.line_cand.set_data(ts, tr[cand])
        self.line_cand.set_label(f"candidate {cand}_t")
        self.line_c.set_visible(cell == _LSTM)
        if cell == _LSTM:
            self.line_c.set_data(np.arange(T + 1), np.concatenate([[c0], tr["c"]]))
        self.line_h.set_data(np.arange(T + 1), np.concatenate([[h0], tr["h"]]))
        handles = [self.line_x, self.line_cand] + ([self.line_c] if cell == _LSTM else []) \
            + [self.line_h]
        self.ax_states.legend(handles=handles, loc="upper left", fontsize=8, ncol=2)
        values = np.concatenate([x, tr["h"], tr[cand], tr.get("c", [0.0]), [h0, c0]])
        lo, hi = float(values.min()), float(values.max())
        pad = 0.1 * max(hi - lo, 1.0)
        self.ax_states.set_ylim(lo - pad, hi + pad * 3)
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
        self.set_readout("weights", f"weights in PyTorch's gate order {order}: input "
                                    f"{spec['w_x']}, recurrent {spec['w_h']}, biases "
                                    f"{[round(v, 2) for v in b]}")
        self.set_summary(f"{cell} over {T} steps of '{c['input'].value}': gate curves on top, "
                         f"input, candidate and states below; at the end {kept}.")


def lstm_gate_explorer(preset: str | None = None, x=None, t: int = 1) -> LSTMGateExplorer:
    """Presets of weights, an input sequence, gate biases -> the gate activations, candidate,
    cell and hidden state of a one-unit LSTM or GRU over the sequence
    (``dlcore.recurrent.lstm_gates`` / ``gru_gates``), with what step t writes, keeps and reads.

    ``x`` (T,), 2 <= T <= 40: your own input sequence, offered first; ``t`` the step to read.
    The first preset is the lecture's worked example (gates 0.679179, c_1 = 0.770969,
    h_1 = 0.439763).
    """
    return LSTMGateExplorer(preset=preset, x=x, t=t)
