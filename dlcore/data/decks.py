"""The five public slide decks the lectures follow, cited the way a course cites lectures.

``DECKS`` maps a short key to a ``Deck``; ``deck.citation`` is the full reference and
``deck.short`` the form used next to a worked example ("Khapra, Deep Learning Tutorial").
``cite(key, slide)`` joins the short form and a slide title or number.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple

__all__ = ["Deck", "DECKS", "cite"]


class Deck(NamedTuple):
    """One slide deck: ``author``, ``title``, ``venue`` and the ``short`` form of the citation."""

    key: str
    author: str
    title: str
    venue: str
    short: str

    @property
    def citation(self) -> str:
        """The full reference: author, title, venue."""
        who = f"{self.author}, " if self.author else ""
        return f"{who}{self.title}, {self.venue}"


_DECKS = {
    "khapra": Deck(
        "khapra", "Mitesh M. Khapra", "Deep Learning Tutorial",
        "National Conference on Communications (NCC), IIT Madras, March 2017",
        "Khapra, Deep Learning Tutorial"),
    "ift6758": Deck(
        "ift6758", "", "Deep Learning (lecture of IFT6758 Data Science)",
        "Université de Montréal (drawing on CMU 16-385 and Stanford CS231n)",
        "IFT6758, Deep Learning"),
    "arya": Deck(
        "arya", "Arti Arya",
        "UE20CS302 Machine Intelligence, Unit 5: Introduction to Deep Learning",
        "Department of CSE, PES University", "Arya, Introduction to Deep Learning"),
    "dripta": Deck(
        "dripta", "Dripta MJ", "Deep Learning: The Basics",
        "Department of Mathematics, RKMVERI, Belur Math", "Dripta MJ, Deep Learning: The Basics"),
    "kiran": Deck(
        "kiran", "Ravi Kiran",
        "Statistical Methods in AI (CS7.403), Lecture 16: CNN/Deep Learning 2",
        "IIIT Hyderabad, 4 October 2024", "Kiran, CNN/Deep Learning 2"),
}

#: key -> Deck (read-only): "khapra", "ift6758", "arya", "dripta", "kiran".
DECKS = MappingProxyType(_DECKS)


def cite(deck: str, slide: str = "") -> str:
    """``"Khapra, Deep Learning Tutorial, slide 67/113"``: a deck's short form and a slide."""
    if deck not in DECKS:
        raise ValueError(f"deck must be one of {', '.join(DECKS)}; got {deck!r}")
    short = DECKS[deck].short
    return f"{short}, {slide}" if slide else short
