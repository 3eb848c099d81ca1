"""Self-checks 10.1-10.5: right answers pass, catalogued mistakes get their hint, and no
hint gives the answer away.

Expected values are worked out by hand here (the course map's numbers and hand arithmetic).
"""

import numpy as np
import pytest

import dlcore as dl

pytestmark = pytest.mark.lec10

RIGHT = {
    "10.1": 2.269,                                  # course map: s_9 = 2.269
    "10.2": 23,                                     # floor((50 + 4 - 8 - 1)/2) + 1
    "10.3": np.array([[-1, 4, 5], [6, 6, 1], [5, 1, 1]]),  # by hand, see the test below
    "10.4": ((16, 3, 5, 5), (16, 64, 64)),
    "10.5": np.array([[2.5, 4.5], [3.0, 4.25]]),    # (1+2+4+3)/4, (4+1+8+5)/4, ...
}

X3 = np.array([[1, 0, 2, 1], [0, 3, 1, 0], [2, 1, 0, 1], [1, 0, 1, 2]], dtype=float)
K3 = np.array([[1, 2], [0, -1]], dtype=float)


def verdict(capsys, exercise_id, answer):
    ok = dl.check(exercise_id, answer)
    return ok, capsys.readouterr().out



@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_right_answer_passes(capsys, exercise_id):
    ok, out = verdict(capsys, exercise_id, RIGHT[exercise_id])
    assert ok and "Correct" in out


def test_hand_worked_conv_answer():
    # out[i, j] = X[i, j] + 2 X[i, j+1] - X[i+1, j+1] + 1, written out without dlcore
    out = np.array([[X3[i, j] + 2 * X3[i, j + 1] - X3[i + 1, j + 1] + 1 for j in range(3)]
                    for i in range(3)])
    np.testing.assert_array_equal(out, RIGHT["10.3"])


WRONG = [
    ("10.1", 2.16, "printed versions"),    # the misprint of s_9
    ("10.1", 1.578, "reversed"),           # w_0 paired with the oldest reading
    ("10.1", 2.112, "neighbouring"),       # s_8
    ("10.1", 3.0, "x_9 w_0"),
    ("10.2", 23.5, "floor"),
    ("10.2", 22, "+1 is missing"),
    ("10.2", 24, "rounded down"),
    ("10.2", 25, "dilation is missing"),
    ("10.2", 21, "padding is missing"),
    ("10.2", 46, "stride is missing"),
    ("10.3", np.array([[3, 8, 1], [6, 0, 1], [1, 1, 5]]), "true convolution"),
    ("10.3", RIGHT["10.3"] - 1, "bias"),
    ("10.3", np.zeros((2, 2)), "3x3"),
    ("10.4", ((16, 5, 5), (16, 64, 64)), "channel axis"),
    ("10.4", ((3, 16, 5, 5), (16, 64, 64)), "filters first"),
    ("10.4", ((16, 3, 5, 5), (3, 64, 64)), "one channel per filter"),
    ("10.4", ((16, 3, 5, 5), (16, 60, 60)), "padding is missing"),
    ("10.4", (16, 3, 5, 5), "pair"),
    ("10.5", np.array([[4, 8], [5, 7]]), "max pooling"),
    ("10.5", np.array([[10, 18], [12, 17]]), "window sums"),
    ("10.5", np.array([[5, 9], [6, 8.5]]), "not by k = 2"),
    ("10.5", np.ones((3, 3)), "stride 1"),
    ("10.5", np.ones(3), "2x2 array"),
]


@pytest.mark.parametrize("exercise_id, answer, hint", WRONG)
def test_catalogued_mistakes_get_their_hint(capsys, exercise_id, answer, hint):
    ok, out = verdict(capsys, exercise_id, answer)
    assert not ok
    assert hint in out, out


def test_flipped_wrong_answer_is_the_true_convolution():
    flipped = np.array([[sum(X3[i + a, j + b] * K3[1 - a, 1 - b] for a in range(2)
                             for b in range(2)) + 1 for j in range(3)] for i in range(3)])
    np.testing.assert_array_equal(flipped, WRONG[10][1])


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_hints_never_reveal_the_expected_value(capsys, exercise_id):
    for answer in (0.5, np.full((3, 3), 0.5), np.full((2, 2), 0.5), ((1, 1, 1, 1), (1, 1, 1))):
        dl.check(exercise_id, answer)
    out = capsys.readouterr().out
    for secret in ("2.269", "23 ", "4.25", "(16, 3, 5, 5)", "[[-1"):
        assert secret not in out


def test_titles_speak_to_learners():
    exs = dl.selfcheck.exercises()
    assert exs["10.1"].title == "The smoother's s_9 by hand"
    assert "seed" not in exs["10.5"].title and "slides" in exs["10.5"].title


def test_hints_do_not_start_with_not_yet():
    # dl.check prints "Not yet:" itself; a hint that repeats it would read twice
    exs = dl.selfcheck.exercises()
    for exercise_id, answer, _ in WRONG + [("10.1", 0.0, ""), ("10.3", np.zeros((3, 3)), "")]:
        hint = exs[exercise_id].checker(answer)
        assert hint and not hint.lower().startswith("not yet"), (exercise_id, hint)


def test_solutions_print(capsys):
    dl.solution("10.1")
    assert "2.269" in capsys.readouterr().out
