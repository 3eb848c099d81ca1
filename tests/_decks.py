"""Maintainers' map from each deck of ``dlcore.data.DECKS`` to its extracted text.

The course is built from five public slide decks whose text lies next to the repository (in
``../shared/seeds``) on the machines where the course is developed; tests that read them skip
when they are absent (for example on a fresh clone in CI).  Nothing here is learner-facing.
"""

from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
DECK_FILES = {
    "khapra": "000_e2730a764dfba2d6.txt",
    "ift6758": "001_83a7a452e11fa9a5.txt",
    "arya": "002_0ad103dc23bd7991.txt",
    "dripta": "003_10b403b49c24009b.txt",
    "kiran": "004_4f4f274075c2c478.txt",
}


def deck_lines(deck: str) -> list[str]:
    """The lines of a deck's extracted text (1-based line n is element n - 1)."""
    return (SEEDS / DECK_FILES[deck]).read_text(encoding="utf-8").splitlines()
