"""dl.hint's ladder and dl.progress: what a learner has solved, kept across kernel restarts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import dlcore as dl
from dlcore.selfcheck import _progress, _registry
from dlcore.selfcheck._registry import Exercise

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def store(tmp_path, monkeypatch):
    path = tmp_path / "data" / "progress.json"
    monkeypatch.setenv("DLCORE_PROGRESS", str(path))
    monkeypatch.setattr(_progress, "_SESSION", {})
    return path


@pytest.fixture
def laddered(monkeypatch):
    """A throwaway exercise 99.1 (answer 42) with a three-step hint ladder."""
    _registry._load()
    ex = Exercise("99.1", "The answer", lambda a: None if a == 42 else "not 42",
                  "It is **42**.", ("Think of a famous number.", "It is even.", "Six times 7."))
    monkeypatch.setitem(_registry._REGISTRY, "99.1", ex)
    monkeypatch.setattr(_registry, "_HINTS_SHOWN", {})
    return ex


def test_hints_come_one_at_a_time_and_the_solution_last(laddered, capsys):
    outs = []
    for _ in range(5):
        dl.hint("99.1")
        outs.append(capsys.readouterr().out)
    assert "Hint 1 of 3" in outs[0] and "famous number" in outs[0] and "It is even" not in outs[0]
    assert "Hint 2 of 3" in outs[1] and "It is even" in outs[1]
    assert "Hint 3 of 3" in outs[2] and "worked solution" in outs[2]
    assert "last hint" in outs[3] and "It is 42." in outs[3]
    assert "It is 42." in outs[4]  # and stays there


def test_an_exercise_without_hints_shows_its_solution(monkeypatch, capsys):
    _registry._load()
    bare = Exercise("99.2", "No ladder", lambda a: None, "Just **do it**.")
    monkeypatch.setitem(_registry._REGISTRY, "99.2", bare)
    dl.hint("99.2")
    out = capsys.readouterr().out
    assert "Solution to 99.2" in out and "do it" in out and "Hint" not in out
    with pytest.raises(KeyError, match="did you mean '01.1'"):
        dl.hint("1.1")


def test_the_first_lectures_exercises_have_a_hint_ladder():
    ladders = {i: dl.selfcheck.exercises()[i].hints for i in ("01.1", "01.2", "01.3", "01.4")}
    assert all(len(h) >= 2 for h in ladders.values()), ladders


def test_progress_records_solved_exercises_and_keeps_them_solved(store, laddered, capsys):
    assert not dl.check("99.1", 41)
    assert dl.check("99.1", 42)
    assert not dl.check("99.1", 7)  # a later wrong try does not undo it
    dl.check("99.1", ...)  # nor does an unanswered one count as a try
    saved = json.loads(store.read_text())["exercises"]["99.1"]
    assert saved["solved"] is True and saved["tries"] == 3 and "when" in saved
    table = dl.progress()
    out = capsys.readouterr().out
    assert "99.1" in table["99"]["solved"] and table["01"]["open"] == ["01.1", "01.2",
                                                                       "01.3", "01.4"]
    assert "You have solved 1 of the" in out


def test_progress_survives_a_kernel_restart(store):
    # two separate Python processes stand in for a kernel and the same kernel restarted
    env = {**os.environ, "DLCORE_PROGRESS": str(store), "PYTHONPATH": str(ROOT)}
    code_solve = ("import dlcore as dl\n"
                  "res = dl.data.ilsvrc_results()\n"
                  "dl.check('01.1', res[0].top5_error / res[-1].top5_error)\n")
    code_read = "import dlcore as dl\nprint(dl.progress(show=False)['01'])\n"
    solve = subprocess.run([sys.executable, "-c", code_solve], env=env, capture_output=True,
                           text=True, check=True, cwd=str(store.parent.parent))
    assert "[01.1] Correct." in solve.stdout
    read = subprocess.run([sys.executable, "-c", code_read], env=env, capture_output=True,
                          text=True, check=True, cwd=str(store.parent.parent))
    assert "'solved': ['01.1']" in read.stdout


def test_the_default_file_is_in_the_users_data_folder_not_the_course(monkeypatch, tmp_path):
    monkeypatch.delenv("DLCORE_PROGRESS", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(sys, "platform", "linux")
    assert _progress.progress_path() == tmp_path / "xdg" / "dlcore" / "progress.json"
    monkeypatch.delenv("XDG_DATA_HOME")
    path = _progress.progress_path()
    assert path.is_relative_to(Path.home()) and not path.is_relative_to(ROOT)


def test_an_unwritable_store_keeps_progress_for_the_session(tmp_path, monkeypatch, laddered,
                                                           capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("DLCORE_PROGRESS", str(blocker / "progress.json"))
    monkeypatch.setattr(_progress, "_SESSION", {})
    monkeypatch.setattr(_progress, "_WARNED", False)
    assert dl.check("99.1", 42)
    out = capsys.readouterr().out
    assert "kept for this session only" in out and "DLCORE_PROGRESS" in out
    assert "99.1" in dl.progress(show=False)["99"]["solved"]
    dl.check("99.1", 42)
    assert "session only" not in capsys.readouterr().out  # said once
