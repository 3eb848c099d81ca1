"""Every exercise the lecture notebooks ask, checked through ``dl.check`` and ``dl.solution``.

What each lecture's exercises have in common is checked once here, for every exercise in the
registry: the notebooks ask exactly the registered exercises; each has a title and a worked
solution that speak to learners; ``...`` (not answered yet) is reported, never graded; the
solution prints.  What is particular to an exercise (its right answers and the hints for its
catalogued mistakes) is in ``test_selfcheck_lecNN*.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import dlcore as dl
from tests.test_learner_text import problems

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
REGISTERED = sorted(dl.selfcheck.exercises())
_ASKED = re.compile(r"""dl\.check\(\s*["'](\d\d\.\d+)["']""")


def _lecture_mark(exercise_id: str):
    """The exercise's lecture marker (``-m lec06`` selects it), where the lecture has one."""
    lecture = int(exercise_id.split(".")[0])
    return [getattr(pytest.mark, f"lec{lecture:02d}")] if 2 <= lecture <= 14 else []


IDS = [pytest.param(e, marks=_lecture_mark(e), id=e) for e in REGISTERED]


def asked_in_notebooks() -> dict[str, set[str]]:
    """exercise id -> the lecture notebooks whose code cells call ``dl.check`` on it."""
    asked: dict[str, set[str]] = {}
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                for exercise_id in _ASKED.findall("".join(cell["source"])):
                    asked.setdefault(exercise_id, set()).add(path.name)
    return asked


def test_the_notebooks_ask_exactly_the_registered_exercises():
    asked = asked_in_notebooks()
    assert len(asked) >= 60  # lectures 1-14 ask four to eight each
    assert sorted(asked) == REGISTERED, (
        f"asked but not registered: {sorted(set(asked) - set(REGISTERED))}; "
        f"registered but asked nowhere: {sorted(set(REGISTERED) - set(asked))}")
    for exercise_id, notebooks in asked.items():  # each in its own lecture's notebook
        assert all(name.startswith(exercise_id[:2]) for name in notebooks), (exercise_id,
                                                                             notebooks)


@pytest.mark.parametrize("exercise_id", IDS)
def test_exercise_has_a_title_and_a_solution_for_learners(exercise_id, capsys):
    ex = dl.selfcheck.exercises()[exercise_id]
    assert ex.title.strip() and len(ex.solution) > 80
    for text in (ex.title, ex.solution):
        assert problems(text) == [], (exercise_id, problems(text))
        assert "spot the mistake" not in text.lower()
    dl.solution(exercise_id)
    assert f"Solution to {exercise_id}" in capsys.readouterr().out


@pytest.mark.parametrize("exercise_id", IDS)
def test_an_unanswered_exercise_is_reported_not_graded(exercise_id, capsys):
    result = dl.check(exercise_id, ...)
    assert not result and result.passed is False
    assert "Not answered yet" in capsys.readouterr().out


def test_the_scan_finds_a_call_and_the_comparison_notices_a_missing_one(tmp_path, monkeypatch):
    import tests.test_selfcheck_registry as here

    (tmp_path / "04_x.ipynb").write_text(json.dumps({"cells": [
        {"cell_type": "code", "source": ['dl.check("04.1", w)\n', "dl.check( '04.9', f)"]},
        {"cell_type": "markdown", "source": ['dl.check("04.7", w)']}]}))
    monkeypatch.setattr(here, "NOTEBOOKS", tmp_path)
    asked = here.asked_in_notebooks()
    assert asked == {"04.1": {"04_x.ipynb"}, "04.9": {"04_x.ipynb"}}
    assert sorted(asked) != REGISTERED
