"""Self-checks of lecture 11: right answers pass, catalogued mistakes get their hint.

Expected values are the syllabus numbers or independent arithmetic (never the checker's own
output).
"""

import pytest

import dlcore as dl
from dlcore.selfcheck import exercises

pytestmark = pytest.mark.lec11

RIGHT = {
    "11.1": (3 * 3 * 3 + 1) * 10,  # 280
    "11.2": (32 * 32 * 3) * (28 * 28 * 6),  # 14,450,688
    "11.3": (5 * 5 - 2 * 3 * 3) * 64 * 64,  # 28,672
    "11.4": 12,  # 3 -> 4 -> 8 -> 12
    "11.5": 56 * 56 * 128 * 3 * 3 * 64,  # 231,211,008
}

WRONG = [
    ("11.1", 100, "the count for a grey image"),
    ("11.1", 270, "weights only"),
    ("11.1", 90, "input depth"),
    ("11.1", 38440, "output units"),
    ("11.2", 3072 * 4704 + 4704, "added biases"),
    ("11.2", 450, "conv layer's count"),
    ("11.2", 456, "conv layer's count (with biases)"),
    ("11.2", 1024 * 4704, "3 channels"),
    ("11.3", 4 * 4096, "squares the difference of the sides"),
    ("11.3", 16 * 4096, "two 3x3 layers, not one"),
    ("11.3", -28672, "positive number"),
    ("11.3", 102400, "5x5 layer alone"),
    ("11.3", 73728, "two 3x3 layers alone"),
    ("11.4", 8, "jump"),
    ("11.4", 7, "pooling window"),
    ("11.4", 11, "adding the kernel sizes"),
    ("11.5", 73728, "number of weights"),
    ("11.5", 73856 * 3136, "not a multiply-add"),
    ("11.5", 73728 * 54 * 54, "padding 1"),
    ("11.5", 56 * 56 * 128, "number of outputs"),
]


def test_numbers_agree_with_the_syllabus():
    assert RIGHT["11.1"] == 280 and RIGHT["11.3"] == 28_672
    assert RIGHT["11.2"] == 14_450_688 and RIGHT["11.5"] == 231_211_008


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_right_answer_passes(exercise_id, capsys):
    assert dl.check(exercise_id, RIGHT[exercise_id]).passed is True
    assert "Correct" in capsys.readouterr().out
    assert dl.check(exercise_id, float(RIGHT[exercise_id])).passed is True


@pytest.mark.parametrize("exercise_id, answer, hint", WRONG)
def test_catalogued_mistakes_get_their_hint(exercise_id, answer, hint, capsys):
    assert dl.check(exercise_id, answer).passed is False
    out = capsys.readouterr().out
    assert "Not yet" in out and hint in out
    assert str(RIGHT[exercise_id]) not in out and f"{RIGHT[exercise_id]:,}" not in out


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_malformed_answers_are_explained(exercise_id, capsys):
    assert dl.check(exercise_id, "456").passed is False
    assert "give a single number" in capsys.readouterr().out
    assert dl.check(exercise_id, float("nan")).passed is False
    assert "finite" in capsys.readouterr().out
    assert dl.check(exercise_id, 1).passed is False
    out = capsys.readouterr().out
    assert "Not yet: " in out and "not yet" not in out.lower().split("not yet", 1)[1]


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_solution_text_exists(exercise_id, capsys):
    ex = exercises()[exercise_id]
    assert ex.title and len(ex.solution) > 80
    dl.solution(exercise_id)
    out = capsys.readouterr().out
    assert f"{RIGHT[exercise_id]:,}" in out or str(RIGHT[exercise_id]) in out


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_last_resort_hint_does_not_repeat_the_verdict(exercise_id):
    hint = exercises()[exercise_id].checker(1)
    assert hint and not hint.lower().startswith("not yet"), hint
