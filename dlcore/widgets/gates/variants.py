"""``variant_switcher``: the equations of the vanilla RNN, the LSTM and its variants and the
GRU, re-rendered for the chosen variant, with the parameter count of each.

Shape legend: input x_t (1, n), hidden state h_t and cell state c_t (1, d); stacked weights in
PyTorch's layout W_ih (G d, n), W_hh (G d, d) with G gate blocks.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib.ticker import FuncFormatter

from ... import counting
from .._base import PALETTE, App, dropdown, int_slider, make_figure, readout, style_axes
from .._text import cached_text
from ..sequences._common import FullFrames, choice, control_rows, in_range, sticky_limits
from ..sequences.unrolled import _count_label

__all__ = ["variant_switcher"]

def _lstm_params(n, d):
    return counting.lstm_params(n, d)


# name -> (equations in LaTeX, what differs, parameter count function (n, d), short name)
VARIANTS = {
    "vanilla RNN": (
        [r"h_t = \tanh(x_t W_{ih}^\top + h_{t-1} W_{hh}^\top + b)"],
        "one matrix product per step; the gradient to h_{t-1} is multiplied by W_hh and "
        "tanh′ every step (vanishing or exploding)",
        lambda n, d: counting.rnn_params(n, d), "RNN"),
    "LSTM (course / PyTorch order i, f, g, o)": (
        [r"i_t = \sigma(x_t W_{ii}^\top + h_{t-1} W_{hi}^\top + b_i)",
         r"f_t = \sigma(x_t W_{if}^\top + h_{t-1} W_{hf}^\top + b_f)",
         r"g_t = \tanh(x_t W_{ig}^\top + h_{t-1} W_{hg}^\top + b_g)",
         r"o_t = \sigma(x_t W_{io}^\top + h_{t-1} W_{ho}^\top + b_o)",
         r"c_t = f_t \odot c_{t-1} + i_t \odot g_t, \quad h_t = o_t \odot \tanh(c_t)"],
        "four gate blocks stacked in the rows of W_ih (4d, n) and W_hh (4d, d) in the order "
        "(i, f, g, o); ∂c_t/∂c_(t−1) = diag(f_t), the direct cell path",
        _lstm_params, "LSTM"),
    "LSTM as on the slides: order (i, f, o, g), W [h; x]": (
        [r"\begin{pmatrix} i \\ f \\ o \\ g \end{pmatrix} = \begin{pmatrix} \sigma \\ \sigma "
         r"\\ \sigma \\ \tanh \end{pmatrix} W \begin{pmatrix} h_{t-1} \\ x_t \end{pmatrix}",
         r"c_t = f \odot c_{t-1} + i \odot g, \quad h_t = o \odot \tanh(c_t)"],
        "the same cell; W (4d, d + n) is [W_hh, W_ih] side by side with the row blocks of o "
        "and g swapped: loading such weights into PyTorch needs the blocks reordered",
        _lstm_params, "LSTM (slides)"),
    "peephole LSTM (Gers & Schmidhuber 2000)": (
        [r"i_t = \sigma(x_t W_{ii}^\top + h_{t-1} W_{hi}^\top + p_i \odot c_{t-1} + b_i)",
         r"f_t = \sigma(x_t W_{if}^\top + h_{t-1} W_{hf}^\top + p_f \odot c_{t-1} + b_f)",
         r"c_t = f_t \odot c_{t-1} + i_t \odot g_t",
         r"o_t = \sigma(x_t W_{io}^\top + h_{t-1} W_{ho}^\top + p_o \odot c_t + b_o), \quad "
         r"h_t = o_t \odot \tanh(c_t)"],
        "the gates also look at the cell: i and f at c_(t−1), and the output gate at the new "
        "c_t, which exists by the time o is computed (giving it c_(t−1) is a common slip); "
        "diagonal peepholes p add 3d weights",
        lambda n, d: counting.lstm_params(n, d) + 3 * d, "peephole"),
    "coupled input and forget gates": (
        [r"f_t = \sigma(x_t W_{if}^\top + h_{t-1} W_{hf}^\top + b_f)",
         r"c_t = f_t \odot c_{t-1} + (1 - f_t) \odot g_t",
         r"h_t = o_t \odot \tanh(c_t)"],
        "one gate decides both: what is forgotten is exactly what gets written (i = 1 − f); "
        "three gate blocks instead of four",
        lambda n, d: counting.gru_params(n, d), "coupled"),
    "GRU (course / PyTorch form, order r, z, n)": (
        [r"r_t = \sigma(x_t W_{ir}^\top + h_{t-1} W_{hr}^\top + b_r)",
         r"z_t = \sigma(x_t W_{iz}^\top + h_{t-1} W_{hz}^\top + b_z)",
         r"n_t = \tanh(x_t W_{in}^\top + b_{in} + r_t \odot (h_{t-1} W_{hn}^\top + b_{hn}))",
         r"h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}"],
        "no cell state and no output gate; z plays the coupled forget gate (z = 1 keeps "
        "h_(t−1)); the reset gate multiplies after the matrix product",
        lambda n, d: counting.gru_params(n, d), "GRU"),
    "GRU in the form of Cho et al. (2014)": (
        [r"z_t = \sigma(W_z [h_{t-1}, x_t]), \quad r_t = \sigma(W_r [h_{t-1}, x_t])",
         r"\tilde h_t = \tanh(W [r_t \odot h_{t-1}, x_t])",
         r"h_t = (1 - z_t) \odot h_{t-1} + z_t \odot \tilde h_t"],
        "z and 1 − z are swapped with respect to PyTorch (here z = 1 takes the new state), and "
        "r multiplies h_(t−1) before the matrix product: weights do not transfer unchanged",
        lambda n, d: counting.gru_params(n, d), "GRU (Cho)"),
}


class VariantSwitcher(FullFrames, App):
    """Equations of the chosen variant (rendered LaTeX) and a bar chart of parameter counts."""

    def __init__(self, variant="LSTM (course / PyTorch order i, f, g, o)", n=784, d=200):
        variant = choice(variant, "variant", VARIANTS)
        controls = {
            "variant": dropdown("variant", list(VARIANTS), variant,
                                tooltip="which recurrent cell to show"),
            "n": int_slider("input size n", in_range(n, "n", 1, 1000), 1, 1000,
                            tooltip="features per time step"),
            "d": int_slider("hidden size d", in_range(d, "d", 1, 500), 1, 500,
                            tooltip="hidden units"),
        }
        fig, ax = make_figure(1, 1, figsize=(7.4, 3.4))
        self.ax = ax
        names = [v[3] for v in VARIANTS.values()]
        self.bars = ax.barh(np.arange(len(names)), np.ones(len(names)), color=PALETTE["sky"])
        ax.set_yticks(np.arange(len(names)), names)
        ax.invert_yaxis()
        style_axes(ax, "Parameters, one bias per gate", "parameters", "")
        ax.xaxis.set_major_formatter(FuncFormatter(_count_label))
        self.count_text = [cached_text(ax, 0, j, "", va="center", fontsize=8)
                           for j in range(len(names))]
        self.equations = W.HTMLMath()
        readouts = {"equations": self.equations, "difference": readout(), "count": readout()}
        super().__init__(controls, fig, readouts, title="LSTM and GRU variants")
        control_rows(self, ["variant"], ["n", "d"])
        self._xlim = None
        # n and d move the bars and their numbers; the axis rescales only now and then.
        self.set_dynamic(list(self.bars) + self.count_text)
        self.update()

    def update(self) -> None:
        c = self.controls
        name, n, d = c["variant"].value, c["n"].value, c["d"].value
        eqs, diff, count_fn, _ = VARIANTS[name]
        # One inline formula per line: a display block's hidden copy for screen readers
        # (MathJax's assistive MathML) is wider than the output area and scrolls sideways.
        self.equations.value = ("<div style='line-height: 2.1'>"
                                + "<br>".join(f"${eq}$" for eq in eqs) + "</div>")
        counts = [fn(n, d) for _, _, fn, _ in VARIANTS.values()]
        chosen = list(VARIANTS).index(name)
        for j, (bar, txt) in enumerate(zip(self.bars, self.count_text)):
            bar.set_width(counts[j])
            bar.set_color(PALETTE["orange"] if j == chosen else PALETTE["sky"])
            txt.set_position((counts[j] * 1.01, j))
            txt.set_text(f"{counts[j]:,}")
        # room right of the longest bar for its number; kept while the bars fill the axis
        self._xlim = sticky_limits(self._xlim, 0.0, max(counts) * 1.25, fill=0.6,
                                   margin=0.08)
        self.ax.set_xlim(0, self._xlim[1])
        count = count_fn(n, d)
        self.set_readout("difference", f"what changes: {diff}")
        self.set_readout("count", f"{name}: {count:,} parameters for n = {n}, d = {d}")
        self.set_summary(f"{name}: {len(eqs)} equation line(s) and {count:,} parameters for "
                         f"n = {n}, d = {d} (orange bar).")


def variant_switcher(variant: str = "LSTM (course / PyTorch order i, f, g, o)", n: int = 784,
                     d: int = 200) -> VariantSwitcher:
    """Variant (RNN, LSTM in PyTorch or the slides' order, peephole, coupled gates, GRU in
    PyTorch or Cho form) -> its equations re-rendered, what differs, and the parameter counts of all
    variants for input size n and hidden size d (``dlcore.counting``)."""
    return VariantSwitcher(variant=variant, n=n, d=d)
