"""Shared by the language-model widgets: a text drawn as a grid of coloured character cells,
updated in place, and the checks of the model and vocabulary arguments.

Shape legend: T characters, values (T,) one per character (NaN: an uncoloured cell).
"""

from __future__ import annotations

import numpy as np

from ...recurrent import CharLM
from ...viz.charlm import grid_image, text_grid
from .._text import Labels

__all__ = ["TextGrid", "check_model", "model_or_untrained", "UntrainedNote"]

#: What the widgets say when they were opened without a model.
UNTRAINED = ("An untrained model (random weights, so its text is noise): pass a trained one, "
             "for example the LSTM of lecture 15 with its vocabulary. ")


def model_or_untrained(model, vocab, where: str):
    """(model, vocab, note): the arguments as given, or, when both are left out, a small
    untrained LSTM over the characters of the bundled story and a note that says so."""
    if model is None and vocab is None:
        from ...data import CharVocab, scandal_in_bohemia

        vocab = CharVocab.from_text(scandal_in_bohemia())
        return CharLM(vocab.size, 32, "lstm", rng=0), vocab, UNTRAINED
    if model is None or vocab is None:
        raise TypeError(f"{where}: pass both the trained model and its vocabulary (or neither, "
                        f"to see an untrained model)")
    return model, vocab, ""


class UntrainedNote:
    """Mixin: the summary starts with ``self.note`` (set when the widget has no trained
    model)."""

    note = ""

    def set_summary(self, text: str) -> None:
        super().set_summary(self.note + text)


def check_model(model, vocab, where: str):
    """A trained ``CharLM`` and the ``CharVocab`` it was trained with, or a clear TypeError."""
    if not isinstance(model, CharLM):
        raise TypeError(f"{where}: model must be a dlcore.recurrent.CharLM (the trained "
                        f"language model); got {type(model).__name__}")
    if not (hasattr(vocab, "encode") and hasattr(vocab, "decode") and hasattr(vocab, "size")):
        raise TypeError(f"{where}: vocab must be the dlcore.data.CharVocab the model was trained "
                        f"with; got {type(vocab).__name__}")
    if vocab.size != model.vocab_size:
        raise ValueError(f"{where}: the vocabulary has {vocab.size} symbols but the model "
                         f"predicts {model.vocab_size}: pass the vocabulary it was trained with")
    return model, vocab


class TextGrid:
    """A text in an Axes: one cell per character, coloured by its value (one image artist and
    one ``Labels`` artist for the characters, both updated in place).  ``width`` characters
    per row; ``rows`` rows are shown (the axis limits only change when the text needs more)."""

    def __init__(self, ax, width: int, rows: int, cmap, vmin: float, vmax: float,
                 fontsize: float = 8.0, title: str = ""):
        self.ax, self.width, self.rows = ax, int(width), int(rows)
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_axis_off()  # a page of text: no axes to read
        self.vmin, self.vmax = float(vmin), float(vmax)
        self.image = ax.imshow(np.full((self.rows, self.width), np.nan), cmap=cmap, vmin=vmin,
                               vmax=vmax, aspect="auto", interpolation="nearest")
        self.labels = ax.add_artist(Labels(ax.transData, fontsize, zorder=4))
        ax.set_xticks([])
        ax.set_yticks([])
        self.cmap = self.image.get_cmap()

    def set_text(self, text: str, values) -> None:
        """Show ``text`` with ``values`` (T,) as cell colours; NaN leaves a cell blank."""
        values = np.asarray(values, dtype=np.float64)
        rows, cols, shown, n_rows = text_grid(text, self.width)
        if n_rows > self.rows:
            self.rows = n_rows
        self.image.set_data(grid_image(rows, cols, values, self.rows, self.width))
        self.image.set_extent((-0.5, self.width - 0.5, self.rows - 0.5, -0.5))
        self.ax.set_xlim(-0.5, self.width - 0.5)
        self.ax.set_ylim(self.rows - 0.5, -0.5)
        norm = self.image.norm
        colours = []
        for v in values:
            if not np.isfinite(v):
                colours.append("#000000")
                continue
            r, g, b, _ = self.cmap(norm(v))
            colours.append("#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "#FFFFFF")
        self.labels.set_labels(np.column_stack([cols, rows]) if len(cols) else np.zeros((0, 2)),
                               shown, colours)
