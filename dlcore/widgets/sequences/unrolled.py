"""``unrolled_rnn`` and ``sequence_architectures``: the RNN drawn through time.

Shape legend: x_t (1, n) input row, h_t (1, d) hidden state, y_t (1, k) output; weights in the
course layout W_ih (d, n), W_hh (d, d), W_hy (k, d) (the slides' U, W, V are their transposes).
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter

from ... import counting
from .._base import PALETTE, App, dropdown, int_slider, make_figure, readout, style_axes
from .._text import cached_text
from ._common import Box, FullFrames, arrow, choice, control_rows, figure_grid, in_range

__all__ = ["unrolled_rnn", "sequence_architectures"]

_T_MAX = 8
_DX = 1.6  # horizontal distance between two time steps
_ROWS = {"x": 0.0, "h": 1.5, "y": 3.0}
_FILL = {"x": "#DCEBF7", "h": "#FBE3B8", "y": "#CDEFE3"}  # light blue, orange, green


def _count_label(value, _pos=None) -> str:
    """Tick label of a parameter count: 0, 800, 40k, 1.6M (no "1e6" offset above the axis)."""
    value = float(value)
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            return f"{value / scale:.3g}{suffix}"
    return f"{value:.3g}"


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.5, 2, 3, 4, 5, 6, 8 times a power of ten that is >= value."""
    if value <= 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(value))
    for m in (1, 1.5, 2, 3, 4, 5, 6, 8, 10):
        if m * power >= value * (1 - 1e-12):
            return m * power
    return 10 * power


def rnn_counts(n: int, d: int, k: int) -> dict[str, int]:
    """Weights of each matrix and the totals, from ``dlcore.counting`` (one bias per unit)."""
    w_ih, w_hh, w_hy = d * n, d * d, k * d
    weights = counting.rnn_params(n, d, bias=False) + counting.linear_params(d, k, bias=False)
    total = counting.rnn_params(n, d) + counting.linear_params(d, k)
    return {"w_ih": w_ih, "w_hh": w_hh, "w_hy": w_hy, "weights": weights, "total": total}


class UnrolledRNN(FullFrames, App):
    """T copies of one RNN cell, the shapes of every array, and a parameter count that does
    not depend on T."""

    def __init__(self, T=4, n=784, d=200, k=2):
        controls = {
            "T": int_slider("time steps T", in_range(T, "T", 1, _T_MAX), 1, _T_MAX,
                            tooltip="length of the sequence: how many copies of the cell"),
            "n": int_slider("input size n", in_range(n, "n", 1, 1000), 1, 1000,
                            tooltip="features per time step (784 for a 28x28 frame)"),
            "d": int_slider("hidden size d", in_range(d, "d", 1, 500), 1, 500,
                            tooltip="units in the hidden state"),
            "k": int_slider("classes k", in_range(k, "k", 1, 50), 1, 50,
                            tooltip="outputs per time step (softmax over k classes)"),
        }
        fig, (ax, ax_count) = figure_grid(1, 2, (9.4, 3.6), width_ratios=[2.3, 1.0])
        self.ax, self.ax_count = ax, ax_count
        self._draw_cells(ax)
        style_axes(ax, "Unrolled RNN: shared weights", "time step t", "")
        ax.set_yticks([_ROWS["x"], _ROWS["h"], _ROWS["y"]], ["input x_t", "state h_t",
                                                              "output ŷ_t"])
        ax.set_ylim(-0.6, 3.6)
        ax.set_xticks([])
        # Room for T_MAX steps whatever T is (the cells are centred): the limits never move,
        # so a change of T redraws only the cells (blitting).
        ax.set_xlim(-0.7, (_T_MAX + 0.6) * _DX)
        self.line_shared, = ax_count.plot([], [], color=PALETTE["blue"], lw=2,
                                          label="RNN (shared)")
        self.line_separate, = ax_count.plot([], [], color=PALETTE["vermillion"], lw=2, ls="--",
                                            label="one net per step")
        self.marker, = ax_count.plot([], [], "o", color=PALETTE["black"])
        style_axes(ax_count, "Parameters vs T", "time steps T", "parameters")
        ax_count.yaxis.set_major_formatter(FuncFormatter(_count_label))
        ax_count.set_xlim(0.5, _T_MAX + 0.5)
        ax_count.legend(loc="upper left", fontsize=8)
        readouts = {"equations": readout(), "shapes": readout(), "count": readout()}
        super().__init__(controls, fig, readouts, title="Unrolled RNN")
        control_rows(self, ["T", "n"], ["d", "k"])
        cells = [part for r in _ROWS for box in self.boxes[r] for part in (box.patch, box.text)]
        self.set_dynamic(cells + [self.h0.patch, self.h0.text] + self.up_in + self.up_out
                         + self.side + [t for trio in self.w_labels for t in trio]
                         + [self.line_shared, self.line_separate, self.marker])
        self.update()

    def fit(self, width: int) -> None:
        super().fit(width)
        if self._width:
            self.update()  # the cells' font follows the room they get

    def _draw_cells(self, ax) -> None:
        self.boxes = {r: [] for r in _ROWS}
        self.up_in, self.up_out, self.side = [], [], []
        self.h0 = Box(ax, (0.0, _ROWS["h"]), width=1.1, colour="#EEEEEE")
        self.h0.set("h₀ = 0")
        grey = PALETTE["grey"]
        for j in range(_T_MAX):
            cx = (j + 1) * _DX
            for r, y in _ROWS.items():
                self.boxes[r].append(Box(ax, (cx, y), width=1.15, colour=_FILL[r]))
            self.up_in.append(arrow(ax, (cx, _ROWS["x"] + 0.3), (cx, _ROWS["h"] - 0.3)))
            self.up_out.append(arrow(ax, (cx, _ROWS["h"] + 0.3), (cx, _ROWS["y"] - 0.3)))
            self.side.append(arrow(ax, (cx - _DX + 0.58, _ROWS["h"]), (cx - 0.58, _ROWS["h"]),
                                   colour=PALETTE["orange"], lw=1.6))
        self.w_labels = []
        for j in range(_T_MAX):
            cx = (j + 1) * _DX
            a = cached_text(ax, cx + 0.06, 0.75, "W_ih", fontsize=7.5, color=grey, ha="left")
            b = cached_text(ax, cx + 0.06, 2.25, "W_hy", fontsize=7.5, color=grey, ha="left")
            c = cached_text(ax, cx - _DX / 2, _ROWS["h"] + 0.38, "W_hh", fontsize=7.5, ha="center",
                            color=PALETTE["orange"])
            self.w_labels.append((a, b, c))

    def _place(self, T: int) -> None:
        """Spread h_0 and the T cells over the axes (whose limits leave room for T_MAX cells):
        at most 1.9 times the spacing of T_MAX cells, centred."""
        lo, hi = -0.7, (_T_MAX + 0.6) * _DX
        scale = min(1.9, (hi - lo) / ((T + 0.6) * _DX + 0.7))
        shift = (lo + hi) / 2 - scale * ((T + 0.6) * _DX - 0.7) / 2
        step = scale * _DX
        # On screen: when the cells are narrow, wider boxes, a smaller font, no weight names.
        width_px = self.ax.get_position().width * self.fig.bbox.width
        self._step_px = step * width_px / (hi - lo)
        roomy = self._step_px >= 50

        def at(x):
            return shift + scale * x

        def resize(box, cx):
            w = scale * box.width if roomy else 0.92 * step
            box.patch.set_width(w)
            box.patch.set_x(cx - w / 2)
            box.text.set_fontsize(9.0 if self._step_px >= 60 else 7.5)

        self.h0.set(xy=(at(0.0), _ROWS["h"]))
        resize(self.h0, at(0.0))
        for j in range(_T_MAX):
            cx = at((j + 1) * _DX)
            for r, y in _ROWS.items():
                self.boxes[r][j].set(xy=(cx, y))
                resize(self.boxes[r][j], cx)
            self.up_in[j].set_positions((cx, _ROWS["x"] + 0.3), (cx, _ROWS["h"] - 0.3))
            self.up_out[j].set_positions((cx, _ROWS["h"] + 0.3), (cx, _ROWS["y"] - 0.3))
            half = scale * 0.58
            self.side[j].set_positions((cx - step + half, _ROWS["h"]), (cx - half, _ROWS["h"]))
            a, b, c = self.w_labels[j]
            a.set_position((cx + 0.06, 0.75))
            b.set_position((cx + 0.06, 2.25))
            c.set_position((cx - step / 2, _ROWS["h"] + 0.38))

    def update(self) -> None:
        T, n, d, k = (self.controls[c].value for c in "Tndk")
        counts = rnn_counts(n, d, k)
        self._place(T)
        for j in range(_T_MAX):
            on = j < T
            self.boxes["x"][j].set(f"x_{j + 1}\n1×{n}", visible=on)
            self.boxes["h"][j].set(f"h_{j + 1}\n1×{d}", visible=on)
            self.boxes["y"][j].set(f"ŷ_{j + 1}\n1×{k}", visible=on)
            for a in (self.up_in[j], self.up_out[j], self.side[j]):
                a.set_visible(on)
            for a in self.w_labels[j]:
                a.set_visible(on and self._step_px >= 52)
        self.h0.set(f"h₀ = 0\n1×{d}")
        ts = list(range(1, _T_MAX + 1))
        self.line_shared.set_data(ts, [counts["total"]] * len(ts))
        self.line_separate.set_data(ts, [t * counts["total"] for t in ts])
        self.marker.set_data([T], [counts["total"]])
        # A "nice" ceiling: the limits (and ticks) change only when the count crosses one.
        self.ax_count.set_ylim(0, _nice_ceiling(_T_MAX * counts["total"] * 1.08))
        self.set_readout("equations", f"h_t = tanh(x_t W_ihᵀ + h_(t−1) W_hhᵀ + b), ŷ_t = "
                                      f"softmax(h_t W_hyᵀ + c), for t = 1, ..., {T}")
        self.set_readout("shapes", f"W_ih (d, n) = ({d}, {n}): {counts['w_ih']:,} weights; "
                                   f"W_hh (d, d) = ({d}, {d}): {counts['w_hh']:,}; W_hy (k, d) "
                                   f"= ({k}, {d}): {counts['w_hy']:,}")
        self.set_readout("count", f"{counts['weights']:,} weights, {counts['total']:,} with the "
                                  f"biases b ({d}) and c ({k}); the same for T = 1 or T = "
                                  f"1,000, because every step reuses the same matrices")
        self.set_summary(f"An RNN unrolled over T = {T} steps: every copy of the cell uses the "
                         f"same W_ih ({d}×{n}), W_hh ({d}×{d}) and W_hy ({k}×{d}), so the model "
                         f"has {counts['total']:,} parameters whatever T is.")


def unrolled_rnn(T: int = 4, n: int = 784, d: int = 200, k: int = 2) -> UnrolledRNN:
    """Sequence length T, input size n, hidden size d and classes k -> the unrolled graph with
    the shape of every array and the parameter count (``dlcore.counting``), constant in T.

    The defaults are the lecture's video example (28x28 frames, 200 hidden units, 2 classes):
    197,200 weights, 197,402 with biases.
    """
    return UnrolledRNN(T=T, n=n, d=d, k=k)


# --- architectures -------------------------------------------------------------------------

_COLS = 7
# name -> (inputs, outputs, hidden columns, label, example, dlcore recipe).  Inputs and outputs
# map a column to its text; "steps" lists the columns that hold a hidden state.
_ARCHS = {
    "one-to-one": dict(
        steps=[0], inputs={0: "image"}, outputs={0: "cat"},
        example="image classification: no sequence at all (a plain feed-forward network)",
        recipe="Sequential(Linear(D, H), ReLU(), Linear(H, C))", tx=1, ty=1),
    "one-to-many": dict(
        steps=[0, 1, 2, 3], inputs={0: "image"},
        outputs={0: "boy", 1: "is", 2: "running", 3: "<END>"},
        example="image captioning, music generation: one input, a sequence out",
        recipe="feed the image into h₀, then read ŷ_t at every step (feeding ŷ_t back in)",
        tx=1, ty=4),
    "many-to-one": dict(
        steps=[0, 1, 2, 3], inputs={0: "the", 1: "movie", 2: "was", 3: "great"},
        outputs={3: "+"},
        example="sentiment analysis, action recognition in a video: read all, answer once",
        recipe="Sequential(LSTM(D, H), LastStep(), Linear(H, C))", tx=4, ty=1),
    "many-to-many (aligned)": dict(
        steps=[0, 1, 2, 3], inputs={0: "social", 1: "animals", 2: "eat", 3: "fish"},
        outputs={0: "ADJ", 1: "NOUN", 2: "VERB", 3: "NOUN"},
        example="part-of-speech tagging, labelling every video frame: one output per input",
        recipe="LSTM(D, H) then a Linear(H, C) applied to output[:, t] at every step",
        tx=4, ty=4),
    "many-to-many (encoder-decoder)": dict(
        steps=[0, 1, 2, 3, 4, 5], inputs={0: "how", 1: "are", 2: "you"},
        outputs={3: "comment", 4: "allez-vous", 5: "<END>"},
        example="machine translation: read the whole sentence, then write another one, of "
                "another length",
        recipe="an encoder (many-to-one) hands its last state to a decoder (one-to-many)",
        tx=3, ty=3),
}


class SequenceArchitectures(App):
    """Boxes for inputs, hidden states and outputs of the chosen input/output pattern."""

    def __init__(self, task="many-to-one"):
        task = choice(task, "task", _ARCHS)
        controls = {"task": dropdown("architecture", list(_ARCHS), task,
                                     tooltip="how many inputs and outputs the task has")}
        fig, ax = make_figure(1, 1, figsize=(9.0, 3.6))
        self.ax = ax
        self.ins, self.hid, self.outs, self.ups, self.downs, self.sides = [], [], [], [], [], []
        for j in range(_COLS):
            cx = j * _DX
            self.ins.append(Box(ax, (cx, _ROWS["x"]), width=1.3, colour=_FILL["x"]))
            self.hid.append(Box(ax, (cx, _ROWS["h"]), width=1.0, colour=_FILL["h"]))
            self.outs.append(Box(ax, (cx, _ROWS["y"]), width=1.3, colour=_FILL["y"]))
            self.ups.append(arrow(ax, (cx, _ROWS["x"] + 0.3), (cx, _ROWS["h"] - 0.3)))
            self.downs.append(arrow(ax, (cx, _ROWS["h"] + 0.3), (cx, _ROWS["y"] - 0.3)))
            self.sides.append(arrow(ax, (cx + 0.5, _ROWS["h"]), (cx + _DX - 0.5, _ROWS["h"]),
                                    colour=PALETTE["orange"], lw=1.6))
        ax.set_yticks([_ROWS["x"], _ROWS["h"], _ROWS["y"]], ["inputs", "hidden state",
                                                              "outputs"])
        ax.set_xticks([])
        ax.set_ylim(-0.7, 3.7)
        style_axes(ax, "", "time", "")
        readouts = {"example": readout(), "recipe": readout()}
        super().__init__(controls, fig, readouts, title="Sequence architectures")
        self.update()

    def fit(self, width: int) -> None:
        super().fit(width)
        if self._width:
            self.update()  # a narrow widget gets a shorter title

    def update(self) -> None:
        name = self.controls["task"].value
        spec = _ARCHS[name]
        steps = spec["steps"]
        for j in range(_COLS):
            on = j in steps
            self.hid[j].set("h", visible=on)
            has_in, has_out = on and j in spec["inputs"], on and j in spec["outputs"]
            self.ins[j].set(spec["inputs"].get(j, ""), visible=has_in)
            self.outs[j].set(spec["outputs"].get(j, ""), visible=has_out)
            self.ups[j].set_visible(has_in)
            self.downs[j].set_visible(has_out)
            self.sides[j].set_visible(on and (j + 1) in steps)
        self.ax.set_xlim(-0.9, (len(steps) - 1) * _DX + 0.9)
        steps = f"{spec['tx']} input step(s) → {spec['ty']} output step(s)"
        self.ax.set_title(steps if 0 < self._width < 620 else f"{name}: {steps}")
        self.set_readout("example", f"examples: {spec['example']}")
        self.set_readout("recipe", f"in dlcore: {spec['recipe']}")
        self.set_summary(f"{name}: {spec['tx']} input(s) and {spec['ty']} output(s) joined by "
                         f"{len(steps)} hidden states that share one set of weights.")


def sequence_architectures(task: str = "many-to-one") -> SequenceArchitectures:
    """Task -> the architecture diagram: one-to-one, one-to-many, many-to-one, many-to-many
    (aligned) or many-to-many (encoder-decoder), with examples and the dlcore modules for it.
    """
    return SequenceArchitectures(task=task)
