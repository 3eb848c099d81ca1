"""``char_sampler``: generate text with a trained character-level language model, with a
temperature, a prompt and a "sample" button; each generated character is coloured by the
probability the model gave it, and the probabilities are plotted step by step.

Shape legend: V vocabulary size; a sample of n generated characters, logits (n, V) and the
distributions (n, V) at each step; probs (n,) the probability of each chosen character.
"""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np

from ... import recurrent
from .._base import (
    PALETTE,
    App,
    button,
    checkbox,
    int_slider,
    make_figure,
    readout,
    slider,
    style_axes,
)
from .._mine import require_function, run_mine
from ..sequences._common import control_rows, in_range, real_in_range
from ._common import TextGrid, UntrainedNote, check_model, model_or_untrained

__all__ = ["char_sampler"]

_WIDTH = 64
_REF = "dl.recurrent.temperature_softmax"


def _seed_value(seed) -> int:
    return in_range(seed, "seed", 0, 999)


class CharSampler(UntrainedNote, App):
    """Top: the prompt (blank cells) and the generated text, each character coloured by the
    probability it was chosen with; bottom: that probability at each step."""

    def __init__(self, model, vocab, prompt="Holmes", temperature=1.0, length=200,
                 greedy=False, seed=0, mine=None):
        model, vocab, self.note = model_or_untrained(model, vocab, "char_sampler")
        self.model, self.vocab = check_model(model, vocab, "char_sampler")
        self.mine = require_function(mine, "my_temperature_probs",
                                     "your temperature softmax")
        if not isinstance(prompt, str) or not prompt:
            raise ValueError("char_sampler: prompt must be a non-empty string")
        controls = {
            "prompt": W.Text(value=prompt, description="prompt", style={"description_width":
                                                                          "initial"},
                             continuous_update=False, layout=W.Layout(width="320px")),
            "temperature": slider("temperature τ", real_in_range(temperature, "temperature",
                                                                  0.1, 2.0),
                                  0.1, 2.0, 0.05, tooltip="p = softmax(scores / τ): small τ "
                                  "sharpens, large τ flattens"),
            "length": int_slider("characters", in_range(length, "length", 20, 400), 20, 400,
                                 step=10, tooltip="how many characters to generate"),
            "greedy": checkbox("greedy: always the most likely", bool(greedy),
                               tooltip="take the argmax at every step instead of drawing"),
            "seed": int_slider("random seed", _seed_value(seed), 0, 999,
                               tooltip="the random draws of the sampled characters"),
            "sample": button("sample", tooltip="generate a new text with these settings",
                             icon="play"),
        }
        controls["temperature"].continuous_update = False
        fig, (ax_text, ax_p) = make_figure(2, 1, figsize=(9.0, 5.6),
                                           gridspec_kw={"height_ratios": [3, 2]})
        self.ax_text, self.ax_p = ax_text, ax_p
        self.grid = TextGrid(ax_text, _WIDTH, 7, "cividis", 0.0, 1.0,
                             title="The prompt (blank cells), then the generated text")
        fig.colorbar(self.grid.image, ax=ax_text, label="probability of the chosen character",
                     shrink=0.9)
        self.line, = ax_p.plot([], [], "-", color=PALETTE["blue"], lw=1.0,
                               label="probability of the chosen character")
        self.dots, = ax_p.plot([], [], "o", color=PALETTE["blue"], ms=2.5)
        self.mine_line, = ax_p.plot([], [], "D", mfc="none", mec=PALETTE["orange"], ms=5,
                                    label="yours" if mine is not None else "_hidden",
                                    visible=mine is not None)
        self.wrong, = ax_p.plot([], [], "x", color=PALETTE["vermillion"], ms=8, mew=2,
                                label="yours ≠ correct" if mine is not None else "_hidden",
                                visible=mine is not None)
        self.uniform = ax_p.axhline(1.0 / self.model.vocab_size, color=PALETTE["grey"], ls="--",
                                    lw=1, label=f"uniform, 1/V = 1/{self.model.vocab_size}")
        style_axes(ax_p, "Probability of each chosen character", "generated character (step)",
                   "probability")
        ax_p.set_ylim(0, 1.04)
        ax_p.legend(fontsize=8, loc="upper right", ncol=2)
        readouts = {"text": readout(), "stats": readout()}
        if mine is not None:
            readouts["mine"] = readout()
        super().__init__(controls, fig, readouts, title="Sampling from the language model",
                         observe=False)
        control_rows(self, ["prompt", "sample"], ["temperature", "length"], ["greedy", "seed"])
        for name in ("prompt", "temperature", "greedy", "seed", "length"):
            controls[name].observe(lambda _c: self._on_change(), names="value")
        controls["sample"].on_click(lambda _b: self._on_change())
        self.sample = None
        self.mine_run = None
        self.update()

    def update(self) -> None:
        c = self.controls
        prompt = c["prompt"].value
        tau, greedy = float(c["temperature"].value), bool(c["greedy"].value)
        c["temperature"].disabled = greedy
        unknown = sorted({ch for ch in prompt if ch not in self.vocab})
        if not prompt or unknown:
            why = ("type a prompt of at least one character" if not prompt else
                   "the model never saw " + ", ".join(repr(ch) for ch in unknown) +
                   "; use characters of the story")
            self.set_readout("stats", f"Cannot sample: {why}.")
            self.set_summary(f"No new text: {why}.")
            return
        s = recurrent.sample_text(self.model, self.vocab, prompt, c["length"].value, tau,
                                  greedy=greedy, rng=c["seed"].value)
        self.sample = s
        values = np.concatenate([np.full(len(prompt), np.nan), s.probs])
        self.grid.set_text(prompt + s.text, values)
        steps = np.arange(1, s.probs.size + 1)
        self.line.set_data(steps, s.probs)
        self.dots.set_data(steps, s.probs)
        self.ax_p.set_xlim(0, max(s.probs.size, 1) + 1)
        if self.mine is not None:
            self._draw_mine(s, tau)
        mode = "greedy (the most likely character every time)" if greedy else \
            f"sampled at temperature τ = {tau:.2f}, random seed {c['seed'].value}"
        self.set_readout("text", "")
        self.readouts["text"].value = (
            "<pre style='white-space: pre-wrap; margin: 0; font-size: 12px'>"
            f"<b>{html.escape(prompt)}</b>{html.escape(s.text)}</pre>")
        confident = float(np.mean(s.probs > 0.5)) if s.probs.size else 0.0
        self.set_readout("stats", f"{s.probs.size} characters, {mode}: mean probability of the "
                                  f"chosen characters {np.mean(s.probs):.2f}, "
                                  f"{confident:.0%} of them above 0.5; "
                                  f"{s.bits:.2f} bits per character.")
        self.set_summary(f"The prompt {prompt!r} continued by {s.probs.size} characters, "
                         f"{'greedy' if greedy else f'sampled at τ = {tau:.2f}'}; dark cells are "
                         f"characters the model found unlikely (mean probability "
                         f"{np.mean(s.probs):.2f}).")

    def _draw_mine(self, s, tau) -> None:
        """Your temperature softmax on the same scores, step by step: its probability of the
        chosen character over dlcore's, a cross where a step's distribution differs."""
        reference = recurrent.temperature_softmax(s.logits, tau)
        run = run_mine(self.mine, (s.logits.copy(), tau), reference=reference,
                       reference_name=_REF,
                       where=f"scores of the {s.logits.shape[0]} steps, shape "
                             f"{s.logits.shape}, τ = {tau:.2f}",
                       fallback="the plot shows dlcore's probabilities only",
                       entries="probabilities", label="p")
        self.mine_run = run
        self.set_readout("mine", run.message)
        if not run.used:
            for line in (self.mine_line, self.wrong):
                line.set_data([], [])
            return
        steps = np.arange(1, s.probs.size + 1)
        yours = run.value[np.arange(s.probs.size), s.chosen]
        self.mine_line.set_data(steps, np.clip(yours, -0.02, 1.03))
        bad = np.asarray(run.differ).any(axis=1)
        self.wrong.set_data(steps[bad], np.clip(yours[bad], -0.02, 1.03))


def char_sampler(model=None, vocab=None, prompt: str = "Holmes", temperature: float = 1.0,
                 length: int = 200, greedy: bool = False, seed: int = 0,
                 mine=None) -> CharSampler:
    """Prompt, temperature τ, length, greedy or sampled, random seed and a "sample" button ->
    a text generated by ``model`` (a trained ``dlcore.recurrent.CharLM`` with its
    ``CharVocab``), each character coloured by the probability the model gave it, and that
    probability plotted step by step.  Without a model (and vocabulary), a small untrained
    LSTM over the story's characters, and the widget says so.

    ``mine``: your function ``mine(logits, temperature)`` -> probabilities, logits (n, V) ->
    (n, V), softmax(logits / τ) along each row.  It is run on the scores of every generated
    step; its probability of each chosen character is drawn as hollow diamonds over
    dlcore's, with a cross on every step where a probability differs.  An error in your
    function is shown in the widget.
    """
    return CharSampler(model, vocab, prompt=prompt, temperature=temperature, length=length,
                       greedy=greedy, seed=seed, mine=mine)
