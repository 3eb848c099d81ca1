"""``unit_explorer``: the hidden or cell state of single units of a trained character-level
language model over a stretch of text, ranked by how closely each follows a feature of the
text (inside a quotation, position in the line, position in the word).

Shape legend: T characters of the text; H hidden units; states (T, H) after each character;
a feature (T,) per character.
"""

from __future__ import annotations

import numpy as np

from ... import recurrent
from .._base import PALETTE, App, dropdown, int_slider, make_figure, readout, style_axes
from ..sequences._common import choice, control_rows, in_range
from ._common import TextGrid, UntrainedNote, check_model, model_or_untrained

__all__ = ["unit_explorer"]

_WIDTH = 64
_FEATURE_LABELS = {"quote": "inside a quotation", "line": "position in the line",
                   "word": "position in the word"}
_STATE_LABELS = {"c": "cell state c", "h": "hidden state h"}


class UnitExplorer(UntrainedNote, App):
    """Top: the text, each character coloured by one unit's state after reading it; bottom:
    that unit's state and the feature (scaled to [0, 1]) along the same characters."""

    def __init__(self, model, vocab, text, feature="quote", state="c", rank=1, start=0,
                 length=384):
        model, vocab, self.note = model_or_untrained(model, vocab, "unit_explorer")
        if text is None:
            from ...data import scandal_in_bohemia

            text = scandal_in_bohemia()[:4000]
        self.model, self.vocab = check_model(model, vocab, "unit_explorer")
        if not isinstance(text, str) or len(text) < 40:
            raise ValueError("unit_explorer: text must be a string of at least 40 characters "
                             "(the stretch to read, e.g. the validation text)")
        unknown = sorted({ch for ch in text if ch not in vocab})
        if unknown:
            raise ValueError(f"unit_explorer: the text uses characters the model never saw: "
                             f"{', '.join(repr(c) for c in unknown)}")
        feature = choice(feature, "feature", _FEATURE_LABELS)
        states = ("c", "h") if model.cell == "lstm" else ("h",)
        state = choice(state if model.cell == "lstm" else "h", "state", states)
        self.text = text
        self.length = in_range(length, "length", 64, 1024)
        self.trace = recurrent.state_trace(model, vocab.encode(text))
        self.features = recurrent.text_features(text)
        self.corr = {(s, f): recurrent.unit_correlations(self.trace[s], self.features[f])
                     for s in states for f in _FEATURE_LABELS}
        H = model.hidden_size
        max_start = max(len(text) - self.length, 0)
        controls = {
            "feature": dropdown("feature", {v: k for k, v in _FEATURE_LABELS.items()}, feature,
                                tooltip="the feature of the text the units are ranked by"),
            "state": dropdown("state", {_STATE_LABELS[s]: s for s in states}, state,
                              tooltip="which state of the units to show"),
            "rank": int_slider("unit, by rank", in_range(rank, "rank", 1, H), 1, H,
                               tooltip="1 = the unit that follows the feature most closely"),
            "start": int_slider("first character", in_range(start, "start", 0, max_start), 0,
                                max_start, step=16, tooltip="where the shown stretch begins"),
        }
        fig, (ax_text, ax_line) = make_figure(2, 1, figsize=(9.0, 5.8),
                                              gridspec_kw={"height_ratios": [3, 2]})
        self.ax_text, self.ax_line = ax_text, ax_line
        self.grid = TextGrid(ax_text, _WIDTH, 8, "PuOr", -1.0, 1.0,
                             title="The text, each character coloured by the unit's state")
        self.colorbar = fig.colorbar(self.grid.image, ax=ax_text, label="state of the unit",
                                     shrink=0.9)
        self.feature_fill = None
        self.unit_line, = ax_line.plot([], [], color=PALETTE["blue"], lw=1.4, label="the unit")
        self.feature_line, = ax_line.plot([], [], color=PALETTE["orange"], lw=1.2,
                                          drawstyle="steps-mid", label="the feature (scaled)")
        ax_line.axhline(0, color=PALETTE["grey"], lw=0.8)
        style_axes(ax_line, "The unit and the feature along the text", "character",
                   "state (unit) / feature")
        ax_line.legend(fontsize=8, loc="upper right", ncol=2)
        readouts = {"ranking": readout(), "unit": readout()}
        super().__init__(controls, fig, readouts,
                         title="Inside the model: what do single units follow?")
        control_rows(self, ["feature", "state"], ["rank", "start"])
        self.unit = None
        self.update()

    def ranked(self, state: str, feature: str) -> np.ndarray:
        """Unit indices, most correlated with the feature first (by |r|)."""
        return np.argsort(-np.abs(self.corr[(state, feature)]), kind="stable")

    def update(self) -> None:
        c = self.controls
        feature, state = c["feature"].value, c["state"].value
        order = self.ranked(state, feature)
        r = self.corr[(state, feature)]
        unit = int(order[c["rank"].value - 1])
        self.unit = unit
        start = min(c["start"].value, max(len(self.text) - self.length, 0))
        stop = min(start + self.length, len(self.text))
        values = self.trace[state][:, unit]
        span = float(np.max(np.abs(values))) or 1.0
        lo, hi = float(values.min()), float(values.max())
        self.grid.image.set_clim(lo, hi if hi > lo else lo + 1e-9)   # the unit's own range
        self.grid.set_text(self.text[start:stop], values[start:stop])
        steps = np.arange(start, stop)
        self.unit_line.set_data(steps, values[start:stop])
        f = self.features[feature][start:stop]
        f_max = float(np.max(self.features[feature])) or 1.0
        self.feature_line.set_data(steps, f / f_max * span)
        self.ax_line.set_xlim(start, max(stop - 1, start + 1))
        self.ax_line.set_ylim(-1.08 * span, 1.08 * span)
        top = ", ".join(f"unit {k} (r = {r[k]:+.2f})" for k in order[:5])
        self.set_readout("ranking", f"Most correlated with '{_FEATURE_LABELS[feature]}' "
                                    f"({_STATE_LABELS[state]}, over all {len(self.text):,} "
                                    f"characters): {top}.")
        sign = "rises" if r[unit] > 0 else "falls"
        self.set_readout("unit", f"Shown: unit {unit}, rank {c['rank'].value} of "
                                 f"{self.model.hidden_size}, correlation r = {r[unit]:+.2f} "
                                 f"with '{_FEATURE_LABELS[feature]}': its state {sign} with the "
                                 f"feature" + (" (weakly)" if abs(r[unit]) < 0.3 else "") + ".")
        self.set_summary(f"Characters {start}-{stop - 1} of the text coloured by unit {unit}'s "
                         f"{_STATE_LABELS[state]} (from orange, its lowest value, to purple, its "
                         f"highest); "
                         f"correlation with '{_FEATURE_LABELS[feature]}' r = {r[unit]:+.2f}.")


def unit_explorer(model=None, vocab=None, text: str | None = None, feature: str = "quote",
                  state: str = "c", rank: int = 1, start: int = 0,
                  length: int = 384) -> UnitExplorer:
    """Feature (inside a quotation, position in the line, position in the word), state (cell
    or hidden, for an LSTM), unit by rank and the first character shown -> ``length``
    characters of ``text`` coloured by that unit's state after each of them, and the unit and
    the feature plotted along the text.

    ``model`` is a trained ``dlcore.recurrent.CharLM`` and ``vocab`` its ``CharVocab``; the
    whole ``text`` is read once (from a zero state) and every unit is ranked by the absolute
    correlation of its state with each feature (``dlcore.recurrent.unit_correlations``).
    Without a model (and vocabulary), a small untrained LSTM over the story's characters (and
    the widget says so); without ``text``, the story's first 4,000 characters.
    """
    return UnitExplorer(model, vocab, text, feature=feature, state=state, rank=rank,
                        start=start, length=length)
