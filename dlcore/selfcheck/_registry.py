"""The exercise registry behind ``dl.check`` and ``dl.solution``."""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Exercise", "CheckResult", "UnknownExerciseError", "exercise", "check", "solution",
           "hint", "exercises"]

_REGISTRY: dict[str, Exercise] = {}
_LOADED = False


@dataclass(frozen=True)
class Exercise:
    """One notebook exercise: ``checker(answer) -> None | hint``; ``solution`` is markdown text;
    ``hints`` are the steps of ``dl.hint``'s ladder, from a nudge to nearly the answer."""

    id: str
    title: str
    checker: Callable
    solution: str
    hints: tuple = ()


def exercise(exercise_id: str, title: str, solution: str, hints=()):
    """Register ``checker`` under ``exercise_id`` (e.g. ``"04.2"``: lecture 4, exercise 2)."""

    def register(checker):
        if exercise_id in _REGISTRY and _REGISTRY[exercise_id].checker is not checker:
            raise ValueError(f"exercise {exercise_id!r} is registered twice")
        _REGISTRY[exercise_id] = Exercise(exercise_id, title, checker, solution.strip(),
                                          tuple(h.strip() for h in hints))
        return checker

    return register


def _load() -> None:
    global _LOADED
    if not _LOADED:
        here = [str(Path(__file__).parent)]
        for info in sorted(pkgutil.iter_modules(here), key=lambda m: m.name):
            if not info.name.startswith("_"):
                importlib.import_module(f"{__package__}.{info.name}")
        _LOADED = True


def exercises() -> dict[str, Exercise]:
    """Every registered exercise, by id."""
    _load()
    return dict(sorted(_REGISTRY.items()))


class UnknownExerciseError(KeyError):
    """``dl.check`` or ``dl.solution`` was given an id that no exercise has."""

    def __str__(self) -> str:  # KeyError would print the message inside quotes
        return str(self.args[0]) if self.args else ""


def _suggest(exercise_id) -> list[str]:
    """Likely intended ids: "4.2" -> "04.2", "04-2" -> "04.2", then close spellings."""
    text = str(exercise_id).strip()
    m = re.fullmatch(r"(\d{1,2})[.\-_ ,:](\d+)", text)
    if m:
        padded = f"{int(m.group(1)):02d}.{int(m.group(2))}"
        if padded in _REGISTRY:
            return [padded]
    return difflib.get_close_matches(text, sorted(_REGISTRY), n=3, cutoff=0.6)


def _get(exercise_id: str) -> Exercise:
    _load()
    if not isinstance(exercise_id, str) or exercise_id not in _REGISTRY:
        guesses = _suggest(exercise_id)
        hint = (f"; did you mean {' or '.join(repr(g) for g in guesses)}?" if guesses else
                "; exercise ids are written as a two-digit lecture number, a dot and the "
                "exercise number, e.g. '04.2'")
        raise UnknownExerciseError(f"no exercise {exercise_id!r}{hint}")
    return _REGISTRY[exercise_id]


class CheckResult:
    """What ``dl.check`` returns: true when the answer is right.

    The verdict is printed by ``check`` itself, so in a notebook the result displays nothing
    more (no ``Out: True`` under the message); use ``bool(result)`` or ``result.passed``.
    """

    __slots__ = ("exercise_id", "passed", "message", "answer", "reference")

    def __init__(self, exercise_id: str, passed: bool, message: str, answer=None,
                 reference=None):
        self.exercise_id, self.passed, self.message = exercise_id, bool(passed), message
        self.answer, self.reference = answer, reference

    def or_reference(self):
        """For an exercise where you write a function: your function when it passed, else
        dlcore's, so that the rest of the notebook runs either way (it says which)."""
        ref = self.reference
        if ref is None:
            raise TypeError(f"exercise {self.exercise_id} asks for a value, not a function: "
                            f"or_reference() is for the exercises where you write one")
        public = getattr(ref, "_dlcore_public_name", None) or \
            f"dl.{ref.__module__.split('.')[1]}.{ref.__name__}"
        if self.passed:
            print(f"Using your function (it passes {self.exercise_id}).")
            return self.answer
        print(f"Using {public}: your function does not pass {self.exercise_id} yet.")
        return ref

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return f"<check {self.exercise_id}: {'correct' if self.passed else 'not yet'}>"

    def _ipython_display_(self) -> None:  # the message has been printed already
        return None


def _clean_hint(hint: str) -> str:
    """Drop a leading "not yet:" (the verdict says it already) and keep the rest as written."""
    return re.sub(r"^\s*not yet\s*[:,-]\s*", "", str(hint), flags=re.I).strip()


def _unanswered(answer) -> bool:
    return answer is None or answer is Ellipsis


def check(exercise_id: str, answer, *, quiet: bool = False) -> CheckResult:
    """Print whether ``answer`` solves exercise ``exercise_id``; return a ``CheckResult``.

    The result is true when the answer is right.  An unfinished answer (``...`` or None) is
    reported as not answered yet.  A checker that trips over a malformed answer (wrong type or
    shape) reports that as the hint; a wrong answer never raises.
    """
    ex = _get(exercise_id)
    if _unanswered(answer):
        verdict, ok = f"[{ex.id}] Not answered yet: replace ... with your answer.", False
    else:
        try:
            hint = ex.checker(answer)
        except Exception as exc:  # the learner's code or answer failed inside the checker
            hint = f"your answer could not be checked ({type(exc).__name__}: {exc})"
        ok = hint is None
        verdict = f"[{ex.id}] Correct." if ok else f"[{ex.id}] Not yet: {_clean_hint(hint)}"
        from ._progress import record

        record(ex.id, ok)
    if not quiet:
        print(verdict)
    return CheckResult(ex.id, ok, verdict, answer, getattr(ex.checker, "reference", None))


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (where Markdown with maths renders), False in a terminal."""
    import sys

    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


_HINTS_SHOWN: dict[str, int] = {}


def hint(exercise_id: str) -> None:
    """The next hint for an exercise: each call shows one more, and after the last hint the
    worked solution (``dl.solution``)."""
    ex = _get(exercise_id)
    shown = _HINTS_SHOWN.get(ex.id, 0)
    if shown >= len(ex.hints):
        if ex.hints:
            print(f"[{ex.id}] That was the last hint; here is the worked solution.")
        solution(ex.id)
        return
    _HINTS_SHOWN[ex.id] = shown + 1
    more = ("call dl.hint again for the next one" if shown + 1 < len(ex.hints) else
            "call dl.hint again for the worked solution")
    _show_text(f"**Hint {shown + 1} of {len(ex.hints)}** for {ex.id} ({more})\n\n"
               f"{ex.hints[shown]}")


def _show_text(markdown: str) -> None:
    if _in_notebook():
        from IPython.display import Markdown, display

        display(Markdown(markdown))
    else:
        print(markdown.replace("**", ""))


def solution(exercise_id: str) -> None:
    """Show the worked solution of an exercise (try it yourself first).

    In a notebook it is rendered as Markdown with its maths; in a terminal it is printed as
    plain text.
    """
    ex = _get(exercise_id)
    _show_text(f"**Solution to {ex.id}** ({ex.title})\n\n{ex.solution}")
