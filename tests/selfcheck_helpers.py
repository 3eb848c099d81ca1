"""Shared checks of the self-check exercises, for the per-lecture test files."""

from __future__ import annotations

import dlcore as dl
from dlcore.selfcheck import _registry


def climb_hint_ladder(exercise_id: str, answers, capsys, monkeypatch, most: int = 4) -> None:
    """``dl.hint`` gives 2..``most`` numbered hints, none of which shows any of ``answers``
    (the expected value written the ways a learner would see it), then the worked solution."""
    monkeypatch.setattr(_registry, "_HINTS_SHOWN", {})
    hints = dl.selfcheck.exercises()[exercise_id].hints
    assert 2 <= len(hints) <= most
    for k in range(len(hints)):
        dl.hint(exercise_id)
        out = capsys.readouterr().out
        assert f"Hint {k + 1} of {len(hints)}" in out
        body = out.split("\n", 1)[1]
        for value in answers:
            assert value not in body, (exercise_id, value)
    dl.hint(exercise_id)
    out = capsys.readouterr().out
    assert "worked solution" in out and f"Solution to {exercise_id}" in out
