"""The exercise registry behind dl.check / dl.solution, and the lazy packages."""

import pytest

import dlcore as dl
from dlcore.selfcheck import _registry, exercise

pytestmark = pytest.mark.setup


@pytest.fixture
def demo_exercise():
    @exercise("99.9", "demo: the answer is 2", "The answer is 2.")
    def checker(answer):
        if answer == 4:
            return "you doubled it"
        return None if answer == 2 else "not 2"

    yield "99.9"
    _registry._REGISTRY.pop("99.9", None)


def test_check_verdicts(demo_exercise, capsys):
    assert dl.check(demo_exercise, 2) is True
    assert "Correct" in capsys.readouterr().out
    assert dl.check(demo_exercise, 4) is False
    assert "you doubled it" in capsys.readouterr().out
    assert dl.check(demo_exercise, ...) is False
    assert "Not answered yet" in capsys.readouterr().out


def test_a_crashing_answer_is_reported_not_raised(demo_exercise, capsys):
    def bad(_):
        raise RuntimeError("boom")

    @exercise("99.8", "calls the answer", "")
    def checker(answer):
        return None if answer(1) == 1 else "wrong"

    try:
        assert dl.check("99.8", bad) is False
        assert "RuntimeError: boom" in capsys.readouterr().out
    finally:
        _registry._REGISTRY.pop("99.8", None)


def test_solution_and_unknown_id(demo_exercise, capsys):
    dl.solution(demo_exercise)
    assert "The answer is 2." in capsys.readouterr().out
    with pytest.raises(KeyError, match="no exercise '00.0'"):
        dl.check("00.0", 1)


def test_every_registered_exercise_has_a_solution():
    for ex in dl.selfcheck.exercises().values():
        assert ex.solution.strip(), f"exercise {ex.id} has no solution text"
        assert ex.title.strip()


def test_lazy_package_errors_name_the_alternatives():
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        dl.viz.nope  # noqa: B018
    assert dl.viz.PALETTE["blue"] == "#0072B2"
