""""Your turn" exercises: the learner writes a function and dl.check runs it on small cases."""

from __future__ import annotations

import numpy as np
import pytest

import dlcore as dl
from dlcore.selfcheck import Case, implement
from dlcore.selfcheck import _registry as R

IMPLEMENTED = sorted(i for i, ex in dl.selfcheck.exercises().items()
                     if getattr(ex.checker, "reference", None) is not None)


def test_the_course_has_function_exercises():
    assert {"10.6", "10.7"} <= set(IMPLEMENTED)


@pytest.mark.parametrize("exercise_id", IMPLEMENTED)
def test_the_reference_passes_and_a_blank_says_not_written(exercise_id, capsys):
    ex = dl.selfcheck.exercises()[exercise_id]
    assert dl.check(exercise_id, ex.checker.reference)

    def blank(*args, **kwargs):
        raise NotImplementedError

    result = dl.check(exercise_id, blank)
    assert not result and "is not written yet" in result.message
    assert "is not written yet: it returns None" in dl.check(exercise_id,
                                                              lambda *a, **k: None).message
    assert len(ex.hints) >= 2 and ex.solution


@pytest.mark.parametrize("exercise_id", IMPLEMENTED)
def test_each_catalogued_mistake_gets_its_own_hint(exercise_id):
    ex = dl.selfcheck.exercises()[exercise_id]
    assert len(ex.checker.mistakes) >= 2
    for wrong, hint in ex.checker.mistakes:
        result = dl.check(exercise_id, wrong, quiet=True)
        assert not result
        assert hint in result.message, (wrong.__name__, result.message)


def _fake(monkeypatch):
    """Exercise 99.5: write ``double(x) = 2 x``; the slip ``x + 2``."""
    R._load()
    implement("99.5", "double", reference=lambda x: 2 * np.asarray(x, float), name="my_double",
              cases=[Case("one number", (np.array([1.0]),)),
                     Case("a vector", (np.array([1.0, -3.0, 0.5]),))],
              mistakes=[(lambda x: np.asarray(x) + 2, "that adds 2")], solution="2 * x")
    monkeypatch.setitem(R._REGISTRY, "99.5", R._REGISTRY.pop("99.5"))


def test_the_first_failing_case_is_shown_with_what_came_back(monkeypatch):
    _fake(monkeypatch)
    msg = dl.check("99.5", lambda x: 2 * np.asarray(x) * (np.asarray(x) > 0), quiet=True).message
    assert "on the case a vector: (np.array([ 1. , -3. ,  0.5]))" in msg
    assert "returned np.array([ 2., -0.,  1.])" in msg
    assert "the correct result is np.array([ 2., -6.,  1.])" in msg
    assert "that adds 2 (seen on the case one number" in dl.check("99.5", lambda x: x + 2,
                                                                  quiet=True).message
    shape = dl.check("99.5", lambda x: np.zeros((2, 2)), quiet=True).message
    assert "returned shape (2, 2); the result has shape (1,)" in shape


def test_a_broken_function_is_reported_not_raised(monkeypatch):
    _fake(monkeypatch)
    msg = dl.check("99.5", lambda x: x[5], quiet=True).message
    assert "raised IndexError" in msg and "on the case one number" in msg
    assert "pass your function itself" in dl.check("99.5", 3.0, quiet=True).message
    assert "should return a NumPy array" in dl.check("99.5", lambda x: "2x", quiet=True).message


def test_the_learners_arrays_are_not_shared_between_cases(monkeypatch):
    _fake(monkeypatch)

    def in_place(x):
        x *= 2  # changes its argument: must not change the case for the reference
        return x

    assert dl.check("99.5", in_place, quiet=True)


def test_or_reference_gives_yours_when_it_passes_and_says_which(monkeypatch, capsys):
    _fake(monkeypatch)
    mine = lambda x: 2 * np.asarray(x, float)  # noqa: E731
    assert dl.check("99.5", mine, quiet=True).or_reference() is mine
    assert "Using your function (it passes 99.5)" in capsys.readouterr().out
    ref = R._REGISTRY["99.5"].checker.reference
    assert dl.check("99.5", lambda x: x, quiet=True).or_reference() is ref
    assert "does not pass 99.5 yet" in capsys.readouterr().out
    with pytest.raises(TypeError, match="asks for a value"):
        dl.check("10.1", 3.0, quiet=True).or_reference()
