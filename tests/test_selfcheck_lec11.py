"""Self-checks of lecture 11: right answers pass, catalogued mistakes get their hint.

Expected values are the syllabus numbers or independent arithmetic (never the checker's own
output).
"""

import numpy as np
import pytest

import dlcore as dl
from dlcore.selfcheck import exercises
from tests.selfcheck_helpers import climb_hint_ladder

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


# ------------------------------------------------------------------ hint ladders (11.1-11.5)

@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_hint_ladders_never_give_the_number(exercise_id, monkeypatch, capsys):
    climb_hint_ladder(exercise_id, (str(RIGHT[exercise_id]), f"{RIGHT[exercise_id]:,}"), capsys,
                      monkeypatch)


# ------------------------------------------------------------------ your turn: 11.6-11.8
# The learner's functions are written here from the rules of the lecture; the numbers are the
# syllabus's (456 for six 5x5 filters on RGB, AlexNet's 96x55x55, three 3x3 convs see 7x7).

def _solution_code(exercise_id):
    text = exercises()[exercise_id].solution
    return text.split("```python", 1)[1].split("```", 1)[0]


@pytest.mark.parametrize("exercise_id, name", [("11.6", "my_conv_params"),
                                               ("11.7", "my_conv_output_shape"),
                                               ("11.8", "my_receptive_field")])
def test_the_worked_solution_passes(exercise_id, name):
    scope = {}
    exec(_solution_code(exercise_id), scope)  # noqa: S102 - the course's own solution text
    assert dl.check(exercise_id, scope[name], quiet=True)


def test_conv_params_syllabus_numbers_and_answers_as_floats():
    ref = exercises()["11.6"].checker.reference
    assert ref(3, 6, 5) == 456 and ref(1, 6, 5, bias=False) == 150
    assert ref(3, 96, 11) == 34_944

    def as_float(c_in, c_out, k, bias=True):
        return float((k * k * c_in + bias) * c_out)

    assert dl.check("11.6", as_float, quiet=True)


@pytest.mark.parametrize("wrong, hint", [
    (lambda c_in, c_out, k, bias=True: (k * k + 1) * c_out, "spans every input channel"),
    (lambda c_in, c_out, k, bias=True: k * k * c_in * c_out, "the biases are missing"),
    (lambda c_in, c_out, k, bias=True: 2 * k * k * c_in * c_out, "one bias per filter"),
    (lambda c_in, c_out, k, bias=True: (k * c_in + bias) * c_out, "k squared"),
    (lambda c_in, c_out, k, bias=True: k * k * c_in * c_out + c_out,
     "bias=False is not followed"),
])
def test_conv_params_slips_get_their_hint(wrong, hint):
    result = dl.check("11.6", wrong, quiet=True)
    assert not result and hint in result.message


def test_conv_params_other_mistake_shows_the_case():
    result = dl.check("11.6", lambda c_in, c_out, k, bias=True: c_in + c_out + k, quiet=True)
    assert "one 1x1 filter on one channel: (1, 1, 1)" in result.message
    assert "your my_conv_params returned" in result.message
    assert "the correct result is" in result.message


def test_output_shape_syllabus_numbers_and_return_types():
    ref = exercises()["11.7"].checker.reference
    assert tuple(ref((3, 227, 227), 96, 11, stride=4)) == (96, 55, 55)
    assert tuple(ref((3, 32, 32), 6, 5)) == (6, 28, 28)

    def as_list(input_shape, c_out, k, stride=1, padding=0):
        _, h, w = input_shape
        return [c_out, (h + 2 * padding - k) // stride + 1, (w + 2 * padding - k) // stride + 1]

    assert dl.check("11.7", as_list, quiet=True)


@pytest.mark.parametrize("wrong, hint", [
    (lambda s, c_out, k, stride=1, padding=0: (s[0], (s[1] + 2 * padding - k) // stride + 1,
                                               (s[2] + 2 * padding - k) // stride + 1),
     "the number of filters"),
    (lambda s, c_out, k, stride=1, padding=0: (c_out, (s[1] + padding - k) // stride + 1,
                                               (s[2] + padding - k) // stride + 1),
     "padded height is H + 2p"),
    (lambda s, c_out, k, stride=1, padding=0: (c_out, (s[1] + 2 * padding - k) // stride,
                                               (s[2] + 2 * padding - k) // stride),
     "one position is missing"),
    (lambda s, c_out, k, stride=1, padding=0: (
        c_out, int(np.ceil((s[1] + 2 * padding - k) / stride)) + 1,
        int(np.ceil((s[2] + 2 * padding - k) / stride)) + 1), "round (H + 2p - k) / s down"),
])
def test_output_shape_slips_get_their_hint(wrong, hint):
    result = dl.check("11.7", wrong, quiet=True)
    assert not result and hint in result.message


def test_output_shape_height_and_width_swapped_is_caught():
    def swapped(input_shape, c_out, k, stride=1, padding=0):
        _, h, w = input_shape
        return (c_out, (w + 2 * padding - k) // stride + 1, (h + 2 * padding - k) // stride + 1)

    result = dl.check("11.7", swapped, quiet=True)
    assert not result and "a 12x9 input" in result.message


def test_receptive_field_syllabus_numbers():
    ref = exercises()["11.8"].checker.reference
    assert ref([(3, 1)] * 3) == 7 and ref([]) == 1
    assert ref([(3, 1), (2, 2), (3, 1), (3, 1)]) == 12        # exercise 11.4's stack


@pytest.mark.parametrize("wrong, hint", [
    (lambda layers: 1 + sum(k - 1 for k, _ in layers), "not k - 1"),
    (lambda layers: sum(k for k, _ in layers), "adding the kernel sizes"),
])
def test_receptive_field_slips_get_their_hint(wrong, hint):
    result = dl.check("11.8", wrong, quiet=True)
    assert not result and hint in result.message


def test_receptive_field_jump_updated_first_gets_its_hint():
    def jump_first(layers):
        r, j = 1, 1
        for k, s in layers:
            j = j * s
            r = r + (k - 1) * j
        return r

    result = dl.check("11.8", jump_first, quiet=True)
    assert not result and "does not widen its own window" in result.message


def test_receptive_field_empty_stack_is_an_edge_case():
    def no_start(layers):
        r, j = 0, 1
        for k, s in layers:
            r = (r or 1) + (k - 1) * j
            j *= s
        return r

    result = dl.check("11.8", no_start, quiet=True)
    assert not result and "no layer at all" in result.message
