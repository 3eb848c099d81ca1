"""The exercise registry behind ``dl.check`` and ``dl.solution``."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Exercise", "exercise", "check", "solution", "exercises"]

_REGISTRY: dict[str, Exercise] = {}
_LOADED = False


@dataclass(frozen=True)
class Exercise:
    """One notebook exercise: ``checker(answer) -> None | hint``; ``solution`` is markdown text."""

    id: str
    title: str
    checker: Callable
    solution: str


def exercise(exercise_id: str, title: str, solution: str):
    """Register ``checker`` under ``exercise_id`` (e.g. ``"04.2"``: lecture 4, exercise 2)."""

    def register(checker):
        if exercise_id in _REGISTRY and _REGISTRY[exercise_id].checker is not checker:
            raise ValueError(f"exercise {exercise_id!r} is registered twice")
        _REGISTRY[exercise_id] = Exercise(exercise_id, title, checker, solution.strip())
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


def _get(exercise_id: str) -> Exercise:
    _load()
    if exercise_id not in _REGISTRY:
        raise KeyError(f"no exercise {exercise_id!r}; known: {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[exercise_id]


def _unanswered(answer) -> bool:
    return answer is None or answer is Ellipsis


def check(exercise_id: str, answer, *, quiet: bool = False) -> bool:
    """Print whether ``answer`` solves exercise ``exercise_id``; return True or False.

    An unfinished answer (``...`` or None) is reported as not answered yet.  A checker that
    trips over a malformed answer (wrong type or shape) reports that as the hint.
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
        verdict = f"[{ex.id}] Correct." if ok else f"[{ex.id}] Not yet: {hint}"
    if not quiet:
        print(verdict)
    return ok


def solution(exercise_id: str) -> None:
    """Print the worked solution of an exercise (try it yourself first)."""
    ex = _get(exercise_id)
    print(f"Solution to {ex.id} ({ex.title}):\n\n{ex.solution}")
