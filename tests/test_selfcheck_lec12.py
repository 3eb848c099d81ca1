"""Self-checks 12.1-12.8: right answers pass, catalogued mistakes get their hint, and no
hint gives the answer away.

Right answers are worked out by hand here (loops over the definitions, the correct table of
Kiran's slides "Backpropagation in CNNs", hand arithmetic), not with the checkers' code.
"""

import numpy as np
import pytest

import dlcore as dl

# the exercises' inputs (the expected answers are worked out below, independently)
from dlcore.selfcheck.lec12 import A4, G2, G3, T5, U4, W3, X2, X5

pytestmark = pytest.mark.lec12



def dw_loop(x, g, k, s):
    """dL/dW[u, v] = sum_ij x[i s + u, j s + v] g[i, j], written out."""
    return np.array([[sum(x[i * s + u, j * s + v] * g[i, j] for i in range(g.shape[0])
                          for j in range(g.shape[1])) for v in range(k)] for u in range(k)])


def dx_loop(shape, w, g, s):
    """Every output (i, j) stamps g[i, j] * w onto its window."""
    dx = np.zeros(shape)
    k = w.shape[0]
    for i in range(g.shape[0]):
        for j in range(g.shape[1]):
            dx[i * s:i * s + k, j * s:j * s + k] += g[i, j] * w
    return dx


ROUTED4 = np.zeros((4, 4))
ROUTED4[0, 1], ROUTED4[1, 2], ROUTED4[3, 1], ROUTED4[2, 2] = 0.5, -1.0, 2.0, 1.5
O5 = np.array([[7.0, 9.0], [13.0, 15.0]])   # the output of Arya's 3x3 example

RIGHT = {
    "12.1": [13, 15, 23, 25],                         # the slides' correct table
    "12.2": dw_loop(X2, G2, 3, 2),
    "12.3": dx_loop((6, 6), W3, G3, 2),
    "12.4": ROUTED4,                                  # first maximum of each window, by hand
    "12.5": dw_loop(X5, O5 - T5, 2, 1),
    "12.6": 320 + 18496 + 2570,
    "12.7": 256,
    "12.8": 38 / 43,
}


def verdict(capsys, exercise_id, answer):
    ok = dl.check(exercise_id, answer)
    return ok, capsys.readouterr().out



def test_hand_values():
    assert RIGHT["12.2"][0, 0] == 1 and RIGHT["12.5"][0, 0] == -33
    assert not RIGHT["12.3"][5].any() and not RIGHT["12.3"][:, 5].any()
    assert RIGHT["12.6"] == 21386


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_right_answer_passes(capsys, exercise_id):
    ok, out = verdict(capsys, exercise_id, RIGHT[exercise_id])
    assert ok and "Correct" in out


def _flip(a):
    return np.asarray(a)[::-1, ::-1]


def _undilated_dx():
    out = np.zeros((6, 6))
    out[:4, :4] = dx_loop((4, 4), W3, G3, 1)
    return out


def _unrotated_dx():
    return dx_loop((6, 6), _flip(W3), G3, 2)


WRONG = [
    ("12.1", [13, 5, 23, 25], "a_5 is its slip"),
    ("12.1", [13, 14, 15, 18], "stride-1 windows"),
    ("12.1", [25, 23, 15, 13], "wrong order"),
    ("12.1", [1, 3, 11, 13], "cells of w1"),
    ("12.1", [13, 15, 23], "four indices"),
    ("12.2", _flip(RIGHT["12.2"]), "not a true convolution"),
    ("12.2", np.array([[sum(X2[i + u, j + v] * G2[i, j] for i in range(2) for j in range(2))
                        for v in range(3)] for u in range(3)]), "not dilated"),
    ("12.2", np.zeros((5, 5)), "looks like dL/dX"),
    ("12.2", np.zeros((2, 2)), "kernel's shape"),
    ("12.3", _undilated_dx(), "not dilated"),
    ("12.3", _unrotated_dx(), "rotated by 180"),
    ("12.3", RIGHT["12.3"][:5, :5], "get 0"),
    ("12.3", np.where(np.arange(36).reshape(6, 6) % 6 == 5, 1.0, RIGHT["12.3"]), "gradient is 0"),
    ("12.4", np.kron(U4, np.ones((2, 2))) / 4, "average pooling"),
    ("12.4", np.kron(U4, np.ones((2, 2))), "every cell of the window"),
    ("12.4", ROUTED4 + np.where((A4 == 0.7) & (np.arange(16).reshape(4, 4) == 4), 0.5, 0)
     + np.where((A4 == 0.5) & (np.arange(16).reshape(4, 4) == 7), -1.0, 0)
     + np.where((A4 == 0.9) & (np.arange(16).reshape(4, 4) == 15), 1.5, 0), "tied maximum"),
    ("12.4", np.zeros((2, 2)), "activations' shape"),
    ("12.5", 2 * RIGHT["12.5"], "1/2 in front"),
    ("12.5", -RIGHT["12.5"], "sign is flipped"),
    ("12.5", np.zeros((3, 3)), "looks like dL/dX"),
    ("12.6", 21386 - 32 - 64 - 10, "biases are missing"),
    ("12.6", 320 + 64 * 9 + 64 + 2570, "all 32 input channels"),
    ("12.6", 320 + 18496 + 10 * 4096 + 10, "not the 8x8 images"),
    ("12.7", 4096, "each halve"),
    ("12.7", 1024, "two pooling layers, and each halves"),
    ("12.7", 64, "channels * height * width"),
    ("12.7", 64 * 36, "padding=1"),
    ("12.8", 38 / 41, "precision"),
    ("12.8", 127 / 136, "overall accuracy"),
    ("12.8", 38 / 136, "not by all images"),
]


@pytest.mark.parametrize("exercise_id, answer, hint", WRONG)
def test_catalogued_mistakes_get_their_hint(capsys, exercise_id, answer, hint):
    ok, out = verdict(capsys, exercise_id, answer)
    assert not ok
    assert hint in out, out


def test_malformed_answers_are_reported_not_raised(capsys):
    ok, out = verdict(capsys, "12.6", "many")
    assert not ok and "could not be checked" in out
    ok, out = verdict(capsys, "12.8", [0.5, 0.5])
    assert not ok and "one number" in out


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_hints_never_reveal_the_expected_value(capsys, exercise_id):
    for answer in (0.5, [1, 2, 3, 4], np.full((3, 3), 0.5), np.full((6, 6), 0.5),
                   np.full((4, 4), 0.5), np.full((2, 2), 0.5)):
        dl.check(exercise_id, answer)
    out = capsys.readouterr().out
    for secret in ("21386", "21,386", "256", "0.884", "38/43", "15, 23, 25", "-33", "[[1"):
        assert secret not in out


def test_solutions_print(capsys):
    dl.solution("12.1")
    assert "a_{25}" in capsys.readouterr().out
    dl.solution("12.6")
    assert "Total 21,386" in capsys.readouterr().out


def test_hints_do_not_repeat_the_verdict(capsys):
    """Each checker's last-resort hint, reached by an answer of the right shape."""
    answers = {"12.1": [1, 1, 1, 1], "12.2": np.full((3, 3), 0.25), "12.3": np.full((6, 6), 0.25),
               "12.4": np.full((4, 4), 0.25), "12.5": np.full((2, 2), 0.25), "12.6": 1,
               "12.7": 1, "12.8": 0.1}
    for exercise_id, answer in answers.items():
        ok, out = verdict(capsys, exercise_id, answer)
        assert not ok and out.startswith(f"[{exercise_id}] Not yet: "), out
        hint = dl.selfcheck.exercises()[exercise_id].checker(answer)
        assert hint and not hint.lower().startswith("not yet"), hint


def test_exercise_12_4_has_three_tied_windows():
    """The notebook's prompt says three of A4's 2x2 windows hold a tie for the maximum."""
    windows = [A4[i:i + 2, j:j + 2].ravel() for i in (0, 2) for j in (0, 2)]
    assert sum(int((w == w.max()).sum() > 1) for w in windows) == 3


# ---- "your turn" 12.9-12.11: functions the learner writes -----------------------------------

def my_maxpool_backward(dout, x, size=2, stride=2):
    """Written out: each window's first maximum (row-major) collects its gradient."""
    dx = np.zeros(np.shape(x))
    for i in range(dout.shape[0]):
        for j in range(dout.shape[1]):
            best = (i * stride, j * stride)
            for a in range(size):
                for b in range(size):
                    if x[i * stride + a, j * stride + b] > x[best]:
                        best = (i * stride + a, j * stride + b)
            dx[best] += dout[i, j]
    return dx


def my_conv_backward(dout, x, w):
    """Written out from Z[i, j] = sum_ab X[i + a, j + b] W[a, b]."""
    kh, kw = w.shape
    dx, dw = np.zeros(np.shape(x)), np.zeros(np.shape(w))
    for i in range(dout.shape[0]):
        for j in range(dout.shape[1]):
            for a in range(kh):
                for b in range(kw):
                    dx[i + a, j + b] += dout[i, j] * w[a, b]
                    dw[a, b] += dout[i, j] * x[i + a, j + b]
    return dx, dw


def test_your_turn_right_functions_pass(capsys):
    assert dl.check("12.9", my_maxpool_backward).passed
    assert dl.check("12.11", my_conv_backward).passed
    assert capsys.readouterr().out.count("Correct") == 2


def test_your_turn_slips_get_their_hints(capsys):
    def last_of_ties(dout, x, size=2, stride=2):
        dx = np.zeros(np.shape(x))
        for i in range(dout.shape[0]):
            for j in range(dout.shape[1]):
                best = (i * stride, j * stride)
                for a in range(size):
                    for b in range(size):
                        if x[i * stride + a, j * stride + b] >= x[best]:
                            best = (i * stride + a, j * stride + b)
                dx[best] += dout[i, j]
        return dx

    def overwriting(dout, x, size=2, stride=2):
        dx = np.zeros(np.shape(x))
        for i in range(dout.shape[0]):
            for j in range(dout.shape[1]):
                win = x[i * stride:i * stride + size, j * stride:j * stride + size]
                a, b = np.unravel_index(np.argmax(win), win.shape)
                dx[i * stride + a, j * stride + b] = dout[i, j]
        return dx

    def convolved_dw(dout, x, w):
        dx, dw = my_conv_backward(dout, x, w)
        return dx, dw[::-1, ::-1]

    def valid_dx(dout, x, w):
        dx, dw = my_conv_backward(dout, x, w)
        return dx[:dout.shape[0], :dout.shape[1]], dw

    msg = dl.check("12.9", last_of_ties, quiet=True).message
    assert "the last of the tied maxima" in msg and "ties: two equal maxima" in msg
    assert "add into dx" in dl.check("12.9", overwriting, quiet=True).message
    assert "rotated by 180 degrees" in dl.check("12.11", convolved_dw, quiet=True).message
    msg = dl.check("12.11", valid_dx, quiet=True).message
    assert "dx of your my_conv_backward has shape (2, 2); it should have shape (3, 3)" in msg


def test_your_turn_backward_is_set_against_central_differences():
    def half_dx(dout, x, w):
        dx, dw = my_conv_backward(dout, x, w)
        return dx / 2, dw

    msg = dl.check("12.11", half_dx, quiet=True).message
    # the smallest case: x 2x2, w = [[2]], dout [[1, -1], [2, 0.5]] -> dx = 2 dout
    assert "the dx of your my_conv_backward is not the gradient" in msg
    assert "central differences of the forward pass give np.array([[ 2., -2.], [ 4.,  1.]])" \
        in msg


def test_your_turn_tie_convention_is_the_first_maximum():
    """dlcore's and torch's convention, on the case the check uses: the first maximum."""
    from dlcore.selfcheck.lec12 import _TIE
    ref = dl.selfcheck.exercises()["12.9"].checker.reference
    routed = ref(np.array([[1.0, 2.0], [3.0, 4.0]]), _TIE)
    assert routed[0, 1] == 1 and routed[1, 0] == 0      # 4 at (0, 1) and (1, 0): the first
    assert routed[0, 2] == 2 and routed[0, 3] == 0      # 2 at (0, 2) and (0, 3)
    assert routed[2, 0] == 3 and routed[2, 1] == routed[3, 0] == 0
    assert routed[2, 3] == 4 and routed[3, 2] == 0
    torch = pytest.importorskip("torch")
    t = torch.tensor(_TIE[None, None], requires_grad=True)
    out = torch.nn.functional.max_pool2d(t, 2)
    out.backward(torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]], dtype=t.dtype))
    np.testing.assert_array_equal(t.grad[0, 0].numpy(), routed)


def test_your_turn_average_pooling_backward():
    def my_avgpool_backward(dout, x, size=2, stride=2):
        dx = np.zeros(np.shape(x))
        for i in range(dout.shape[0]):
            for j in range(dout.shape[1]):
                for a in range(size):
                    for b in range(size):
                        dx[i * stride + a, j * stride + b] += dout[i, j] / (size * size)
        return dx

    def forgets_the_mean(dout, x, size=2, stride=2):
        return my_avgpool_backward(dout, x, size, stride) * size * size

    def assigns(dout, x, size=2, stride=2):
        dx = np.zeros(np.shape(x))
        for i in range(dout.shape[0]):
            for j in range(dout.shape[1]):
                dx[i * stride:i * stride + size, j * stride:j * stride + size] = \
                    dout[i, j] / size ** 2
        return dx

    assert dl.check("12.10", my_avgpool_backward, quiet=True).passed
    assert "each cell gets dout / (k*k)" in dl.check("12.10", forgets_the_mean,
                                                     quiet=True).message
    msg = dl.check("12.10", assigns, quiet=True).message
    assert "add into dx (+=)" in msg and "overlapping windows: stride 1" in msg
    # the overlapping case by hand: the centre of a 3x3 map lies in all four 2x2 windows
    ref = dl.selfcheck.exercises()["12.10"].checker.reference
    dx = ref(np.array([[1.0, 2.0], [3.0, 4.0]]), np.ones((3, 3)), size=2, stride=1)
    assert dx[1, 1] == pytest.approx((1 + 2 + 3 + 4) / 4) and dx[0, 0] == pytest.approx(0.25)
