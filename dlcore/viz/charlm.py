"""Plots for the character-level language model: learning curves in bits per character against
the counting baselines, and a text drawn as a grid of characters coloured by a value (the
probability of each generated character, or one hidden unit's activation).

Shape legend: T characters; values (T,), one per character; a history has one training value
per chunk and one validation value per epoch.

``text_grid`` lays a text out for drawing: one cell per character, a new row after each line
break (drawn as ``↵``) or after ``width`` characters.  ``plot_text_heatmap`` draws it;
``plot_bits_per_char`` draws the curves.  Each takes ``ax=None`` (a new figure) and returns the
Axes.
"""

from __future__ import annotations

import numpy as np

from .style import CMAP, CYCLE, PALETTE, axes_or_new

__all__ = ["text_grid", "grid_image", "plot_text_heatmap", "plot_bits_per_char", "NEWLINE_MARK"]

#: How a line break is shown in a character grid.
NEWLINE_MARK = "↵"


def text_grid(text: str, width: int = 64):
    """Cells for ``text``: ``(rows (T,), cols (T,), shown (T,) list of str, n_rows)``.

    Character t sits at row ``rows[t]``, column ``cols[t]``; a line break ends its row (it is
    shown as ``↵``), and a row longer than ``width`` characters wraps.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string; got {type(text).__name__}")
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ValueError(f"width must be an integer >= 1 (characters per row); got {width!r}")
    rows, cols, shown = [], [], []
    r = c = 0
    for ch in text:
        if c >= width:
            r, c = r + 1, 0
        rows.append(r)
        cols.append(c)
        shown.append(NEWLINE_MARK if ch == "\n" else ch)
        if ch == "\n":
            r, c = r + 1, 0
        else:
            c += 1
    n_rows = (rows[-1] + 1) if rows else 1
    return np.array(rows, dtype=int), np.array(cols, dtype=int), shown, n_rows


def grid_image(rows, cols, values, n_rows: int, width: int) -> np.ndarray:
    """The (n_rows, width) image of a character grid: ``values`` in the cells, NaN elsewhere."""
    img = np.full((n_rows, width), np.nan)
    img[np.asarray(rows, dtype=int), np.asarray(cols, dtype=int)] = np.asarray(values, float)
    return img


def plot_text_heatmap(text: str, values, ax=None, width: int = 64, vmin=None, vmax=None,
                      cmap=CMAP, title: str = "Text coloured by value",
                      label: str = "value"):
    """Each character of ``text`` in a cell coloured by its value; a colour bar names ``label``.

    values (T,) with T = len(text).  Returns the Axes.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.shape != (len(text),):
        raise ValueError(f"values must hold one number per character, shape ({len(text)},); "
                         f"got {values.shape}")
    rows, cols, shown, n_rows = text_grid(text, width)
    ax = axes_or_new(ax, (min(12.0, 0.16 * width + 1.5), 0.28 * n_rows + 1.2))
    img = grid_image(rows, cols, values, n_rows, width)
    finite = values[np.isfinite(values)]
    lo = vmin if vmin is not None else (finite.min() if finite.size else 0.0)
    hi = vmax if vmax is not None else (finite.max() if finite.size else 1.0)
    im = ax.imshow(img, cmap=cmap, vmin=lo, vmax=hi, aspect="auto", interpolation="nearest")
    middle = (lo + hi) / 2
    for r, c, ch, v in zip(rows, cols, shown, values):
        ax.text(c, r, ch, ha="center", va="center", fontsize=8, family="monospace",
                color="black" if v >= middle else "white")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title)
    ax.set_xlabel(f"characters, {width} per row (↵ marks a line break)")
    ax.set_ylabel("row")
    ax.figure.colorbar(im, ax=ax, label=label, shrink=0.8)
    return ax


def plot_bits_per_char(histories: dict, baselines: dict | None = None, ax=None,
                       title: str = "Learning curves in bits per character"):
    """Training bits per character per chunk (thin) and validation bits per character per
    epoch (markers) for each model, against the epoch; dashed lines for ``baselines``.

    histories: {label: ``dlcore.recurrent.CharLMHistory``}; baselines: {label: bits per
    character}, e.g. the unigram and bigram models on the validation text.  Returns the Axes.
    """
    if not isinstance(histories, dict) or not histories:
        raise TypeError("histories must be a non-empty dict {label: CharLMHistory}")
    ax = axes_or_new(ax, (7.6, 4.4))
    for j, (label, hist) in enumerate(histories.items()):
        colour = CYCLE[j % len(CYCLE)]
        per_epoch = max(int(getattr(hist, "chunks_per_epoch", 0)), 1)
        chunk = np.asarray(hist.chunk_bpc, dtype=np.float64)
        if chunk.size:
            x = np.arange(1, chunk.size + 1) / per_epoch
            ax.plot(x, chunk, color=colour, lw=0.8, alpha=0.45, label=f"{label}, training chunks")
        val = np.asarray(hist.val_bpc, dtype=np.float64)
        if val.size:
            ax.plot(np.arange(1, val.size + 1), val, "o-", color=colour, lw=2, ms=4,
                    label=f"{label}, validation")
    styles = ["--", ":", "-."]
    for k, (label, value) in enumerate((baselines or {}).items()):
        ax.axhline(float(value), color=PALETTE["grey"] if k else PALETTE["black"],
                   ls=styles[k % len(styles)], lw=1.2, label=f"{label} ({float(value):.2f})")
    ax.set_title(title)
    ax.set_xlabel("epoch (passes over the training text)")
    ax.set_ylabel("bits per character (lower is better)")
    ax.legend(fontsize=8)
    return ax
