"""Matching cards: choose the person behind each contribution, then score the choices."""

from __future__ import annotations

import html

import ipywidgets as W

from ..._random import get_rng
from .._base import App, button, readout, text_width
from ._common import row

__all__ = ["DEFAULT_PAIRS", "MatchingCards", "matching_cards"]


_CHOOSE = "(choose a person)"
# Each person is spelled exactly as in ``dl.data.timeline()``.
DEFAULT_PAIRS = {
    "A simplified threshold model of the neuron (1943)": "Warren McCulloch, Walter Pitts",
    "The perceptron, a threshold unit that learns its weights (1957)": "Frank Rosenblatt",
    "The book 'Perceptrons' on what one-layer networks cannot do (1969)":
        "Marvin Minsky, Seymour Papert",
    "First use of backpropagation in neural networks (1982)": "Paul Werbos",
    "The 1986 paper that popularised backpropagation":
        "David Rumelhart, Geoffrey Hinton, Ronald Williams",
    "The neuron doctrine: the brain is made of discrete cells": "Santiago Ramon y Cajal",
    "Cells in the visual cortex with a fixed receptive field": "David Hubel, Torsten Wiesel",
    "Convolutional networks trained by backprop; LeNet-5 and MNIST": "Yann LeCun et al.",
    "Long short-term memory (1997)": "Sepp Hochreiter, Jurgen Schmidhuber",
}
DEFAULT_DISTRACTORS = ("Geoffrey Hinton alone",)
DEFAULT_HINTS = {
    ("The 1986 paper that popularised backpropagation", "Geoffrey Hinton alone"):
        "Hinton is one of its three authors, with Rumelhart and Williams",
    ("First use of backpropagation in neural networks (1982)",
     "David Rumelhart, Geoffrey Hinton, Ronald Williams"):
        "they popularised it in 1986; someone used it for neural networks earlier",
}


class MatchingCards(App):
    """One dropdown per contribution; 'check' scores the answers, 'show' reveals them."""

    def __init__(self, pairs=None, distractors=None, hints=None, seed=0):
        if pairs is None:
            pairs = DEFAULT_PAIRS
            distractors = DEFAULT_DISTRACTORS if distractors is None else distractors
            hints = DEFAULT_HINTS if hints is None else hints
        if not isinstance(pairs, dict) or len(pairs) < 2 or not all(
                isinstance(k, str) and isinstance(v, str) and k and v for k, v in pairs.items()):
            raise ValueError("pairs must be a dict with at least 2 entries mapping a "
                             "contribution (str) to a person (str)")
        self.key = dict(pairs)
        self.hints = dict(hints or {})
        people = sorted(set(self.key.values()) | set(distractors or ()))
        order = get_rng(seed).permutation(len(self.key))
        self.cards = [list(self.key)[k] for k in order]
        controls = {}
        # Each card's text wraps in a label beside its dropdown (as a dropdown's description it
        # was cut off); the dropdown is as wide as the longest name.
        dd_px = max(200, max(text_width(p, 6.8) for p in [_CHOOSE] + people) + 36)
        self._labels = []
        for k, card in enumerate(self.cards):
            dd = W.Dropdown(options=[_CHOOSE] + people, value=_CHOOSE, tooltip=card,
                            layout=W.Layout(width=f"{dd_px}px", flex="0 0 auto"))
            controls[f"card_{k}"] = dd
            self._labels.append(W.HTML(f"{k + 1}. {html.escape(card)}", layout=W.Layout(
                flex="1 1 240px", min_width="200px", max_width="520px")))
        controls["check"] = button("check my answers", tooltip="score the current choices")
        controls["show"] = button("show the answers", tooltip="fill in every correct person")
        controls["reset"] = button("reset", tooltip="clear every choice")
        controls["check"].on_click(lambda _b: self.check())
        controls["show"].on_click(lambda _b: self.reveal())
        controls["reset"].on_click(lambda _b: self.reset())
        self.checked = False
        super().__init__(controls, None, {"score": readout(), "feedback": readout()},
                         title="Who did what? Match each contribution to a person")
        self.arrange([row(label, controls[f"card_{k}"]) for k, label in enumerate(self._labels)]
                     + [row(controls["check"], controls["show"], controls["reset"])])
        self.update()

    def answers(self) -> dict:
        return {card: self.controls[f"card_{k}"].value for k, card in enumerate(self.cards)}

    def score(self) -> tuple[int, int]:
        """(number right, number of cards)."""
        right = sum(a == self.key[c] for c, a in self.answers().items())
        return right, len(self.cards)

    def check(self) -> None:
        self.checked = True
        self.update()

    def reveal(self) -> None:
        for k, card in enumerate(self.cards):
            self.controls[f"card_{k}"].value = self.key[card]
        self.check()

    def reset(self) -> None:
        for k in range(len(self.cards)):
            self.controls[f"card_{k}"].value = _CHOOSE
        self.checked = False
        self.update()

    def update(self) -> None:
        answered = sum(a != _CHOOSE for a in self.answers().values())
        n = len(self.cards)
        reset = self.controls["reset"]
        reset.disabled = answered == 0 and not self.checked
        reset.tooltip = "nothing chosen yet" if reset.disabled else "clear every choice"
        if not self.checked:
            self.set_readout("score", f"{answered} of {n} answered; press 'check my answers'.")
            self.readouts["feedback"].value = ""
            self.set_summary(f"{n} contributions to match; {answered} answered so far.")
            return
        right, _ = self.score()
        lines = []
        for k, (card, ans) in enumerate(self.answers().items()):
            if ans == self.key[card]:
                verdict = "right"
            elif ans == _CHOOSE:
                verdict = "not answered"
            else:
                verdict = "not yet" + (f": {self.hints[card, ans]}"
                                       if (card, ans) in self.hints else "")
            lines.append(f"<li>{k + 1}. {html.escape(verdict)}</li>")
        self.set_readout("score", f"Score: {right} of {n} right.")
        self.readouts["feedback"].value = f"<ul>{''.join(lines)}</ul>"
        self.set_summary(f"Score: {right} of {n} contributions matched to the right person.")
        self.checked = False  # a later change asks for a new check


def matching_cards(pairs: dict | None = None, distractors=None, hints: dict | None = None,
                   seed=0) -> MatchingCards:
    """Match people to contributions with dropdowns; 'check my answers' scores them.

    pairs: {contribution: person} (default: nine milestones of lecture 1); distractors: extra
    names offered in every dropdown; hints: {(contribution, wrong person): hint}; seed: the
    card order.
    """
    return MatchingCards(pairs=pairs, distractors=distractors, hints=hints, seed=seed)
