"""Self-checks 13.1-13.6 and 14.1-14.5: the right answer passes, each catalogued mistake gets
its hint, an unfinished answer is "not answered", and every solution text exists.

Right answers are derived here by hand (or with numpy), independently of the checkers.
"""

from __future__ import annotations

import numpy as np
import pytest

import dlcore as dl

pytestmark = [pytest.mark.lec13, pytest.mark.lec14]

SIG = 1.0 / (1.0 + np.exp(-0.9))  # every gate pre-activation of 14.2 / 14.3 is 0.3*2 + 0.3*1


def _right_bptt(dh, h, w_hh):
    return (dh * (1 - h ** 2)) @ w_hh


RIGHT = {
    "13.1": 100 * 50 + 50 * 50 + 10 * 50,
    "13.2": 0.5 ** 10,
    "13.3": [0.45, -0.6, 0.4],
    "13.4": -(np.log(0.5) + np.log(0.25) + np.log(0.8) + np.log(0.1)),
    "13.5": _right_bptt,
    "13.6": [3, 4],
    "14.1": 4 * (128 * (300 + 128) + 128),
    "14.2": SIG * np.tanh(SIG + SIG * np.tanh(0.9)),
    "14.3": (1 - SIG) * np.tanh(0.6 + SIG * 0.3) + SIG * 1.0,
    "14.4": 44,
    "14.5": "B",
}

WRONG = [
    ("13.1", 8000 + 60, "includes the biases"),
    ("13.1", 20 * 8000, "share one set of weights"),
    ("13.1", 5000 + 5000 + 500, "d x d, not d x n"),
    ("13.1", 7500, "output layer"),
    ("13.1", 1, "add the sizes"),
    ("13.2", 1024, "gamma = 1 is the bound for tanh"),
    ("13.2", 0.25 * 1024, "gamma enters every step"),
    ("13.2", 0.25 ** 10, "lambda multiplies every step"),
    ("13.3", [0.85, -0.85, 0.8], "clipping by value"),
    ("13.3", np.array([0.9, -1.2, 0.8]) * 0.85 / 2.89, "squared norm"),
    ("13.3", [0.9, -1.2, 0.8], "must be rescaled"),
    ("13.3", np.array([0.9, -1.2, 0.8]) / 1.7, "length tau, not to length 1"),
    ("13.3", [0.45, -0.6], "three numbers"),
    ("13.4", RIGHT["13.4"] / 4, "does not average"),
    ("13.4", -np.log10(0.5 * 0.25 * 0.8 * 0.1), "natural logarithm"),
    ("13.4", -RIGHT["13.4"], "positive number"),
    ("13.5", lambda dh, h, w: (dh * (1 - h ** 2)) @ w.T, "multiplies W_hh"),
    ("13.5", lambda dh, h, w: dh @ w, "tanh' = 1 - h_t^2"),
    ("13.5", lambda dh, h, w: (dh * (1 - np.tanh(h) ** 2)) @ w, "already tanh"),
    ("13.5", lambda dh, h, w: dh, "first da = dh"),
    ("13.5", 3.0, "is a function"),
    ("13.5", lambda dh, h, w: None, "returns nothing yet"),
    ("13.6", [4, 3], "swapped"),
    ("13.6", [7, 4], "full BPTT"),
    ("13.6", [4, 4], "first step of its chunk"),
    ("13.6", [3, 3], "every loss keeps k steps"),
    ("13.6", [2, 5], "find the chunk"),
    ("13.6", 3, "two numbers"),
    ("14.1", 4 * (128 * 428 + 2 * 128), "two bias vectors"),
    ("14.1", 4 * 128 * 428, "one bias per gate unit"),
    ("14.1", 3 * (128 * 428 + 128), "three gate blocks"),
    ("14.1", 128 * 428 + 128, "one block"),
    ("14.2", SIG * np.tanh(1.0), "new cell state"),
    ("14.2", SIG * np.tanh(1.0 + SIG * np.tanh(0.9)), "scaled by the forget gate"),
    ("14.2", np.tanh(SIG + SIG * np.tanh(0.9)), "output gate"),
    ("14.2", SIG + SIG * np.tanh(0.9), "cell state c_1"),
    ("14.3", (1 - SIG) * 1.0 + SIG * np.tanh(0.6 + SIG * 0.3), "form of Cho et al."),
    ("14.3", (1 - SIG) * np.tanh(0.9) + SIG, "reset gate"),
    ("14.3", np.tanh(0.6 + SIG * 0.3), "candidate n"),
    ("14.4", 43, "one more step"),
    ("14.4", 44.5, "whole steps"),
    ("14.4", 2, "forgets 1 - f"),
    ("14.5", "A", "stall"),
    ("14.5", "C", "finite"),
    ("14.5", "d", "saturates"),
    ("14.5", "E", "one letter"),
]


@pytest.mark.parametrize("exercise_id", sorted(RIGHT))
def test_right_answer_passes(exercise_id, capsys):
    assert dl.check(exercise_id, RIGHT[exercise_id]).passed is True
    assert "Correct" in capsys.readouterr().out


@pytest.mark.parametrize("exercise_id, answer, hint", WRONG,
                         ids=[f"{e}-{h[:18]}" for e, _, h in WRONG])
def test_catalogued_mistake_gets_its_hint(exercise_id, answer, hint, capsys):
    assert dl.check(exercise_id, answer).passed is False
    out = capsys.readouterr().out
    assert hint in out
    assert out.startswith(f"[{exercise_id}] Not yet: ")
    assert "not yet" not in out.lower().split("not yet", 1)[1]  # the verdict says it once



def test_hints_never_print_the_expected_value(capsys):
    for exercise_id, answer, _ in WRONG:
        dl.check(exercise_id, answer)
    out = capsys.readouterr().out
    for value in ("8000", "8,000", "0.000976", "0.45", "4.605", "219648", "219,648", "0.5969",
                  "0.9050", "44 "):
        assert value not in out


def test_solutions_are_markdown_with_maths_and_speak_to_learners():
    for exercise_id in RIGHT:
        text = dl.selfcheck.exercises()[exercise_id].solution
        assert "seed" not in text.lower() and ".txt" not in text
    for exercise_id in ("13.2", "13.3", "13.4", "14.2", "14.3", "14.4"):
        assert "$" in dl.selfcheck.exercises()[exercise_id].solution, exercise_id


def test_rounded_answers_are_accepted(capsys):
    assert dl.check("13.2", 0.001).passed is True        # 0.5^10 rounded
    assert dl.check("13.4", 4.605).passed is True
    assert dl.check("14.2", 0.597).passed is True         # within 1e-4 of 0.596994
    assert dl.check("14.2", 0.598).passed is False
    assert dl.check("14.5", " b ").passed is True
    assert dl.check("13.6", (3.0, 4.0)).passed is True
    assert dl.check("13.6", np.array([3, 4])).passed is True


# ---- "your turn" 13.7 and 13.8: functions the learner writes --------------------------------

def my_rnn_step(x_t, h_prev, w_ih, w_hh, b):
    """Written out unit by unit: h[n, i] = tanh(sum_d w_ih[i, d] x[n, d] + sum_j w_hh[i, j]
    h_prev[n, j] + b[i])."""
    N, H = h_prev.shape
    out = np.zeros((N, H))
    for n in range(N):
        for i in range(H):
            a = b[i] + sum(w_ih[i, d] * x_t[n, d] for d in range(x_t.shape[1]))
            a += sum(w_hh[i, j] * h_prev[n, j] for j in range(H))
            out[n, i] = np.tanh(a)
    return out


def my_bptt(dhs, x, h0, w_ih, w_hh, b):
    """BPTT written with column vectors: h_t = tanh(W_hh h_(t-1) + W_ih x_t + b)."""
    hs = [h0]
    for x_t in x:
        hs.append(np.tanh(w_hh @ hs[-1] + w_ih @ x_t + b))
    dw_hh, back = np.zeros_like(w_hh), np.zeros_like(h0)
    for t in range(len(x), 0, -1):                 # hs[t] is h_t, hs[0] is h0
        da = (dhs[t - 1] + back) * (1 - hs[t] ** 2)
        dw_hh += da[:, None] * hs[t - 1][None, :]
        back = w_hh.T @ da
    return dw_hh, back


def test_your_turn_right_functions_pass(capsys):
    assert dl.check("13.7", my_rnn_step).passed is True
    assert dl.check("13.8", my_bptt).passed is True
    assert capsys.readouterr().out.count("Correct") == 2


def test_your_turn_slips_get_their_hints(capsys):
    def sigmoid_step(x_t, h_prev, w_ih, w_hh, b):
        return 1 / (1 + np.exp(-(x_t @ w_ih.T + h_prev @ w_hh.T + b)))

    def untransposed(x_t, h_prev, w_ih, w_hh, b):
        return np.tanh(x_t @ w_ih.T + h_prev @ w_hh + b)

    def no_carry(dhs, x, h0, w_ih, w_hh, b):
        dw = np.zeros_like(w_hh)
        hs = [h0]
        for x_t in x:
            hs.append(np.tanh(w_hh @ hs[-1] + w_ih @ x_t + b))
        dh0 = np.zeros_like(h0)
        for t in range(len(x), 0, -1):
            da = dhs[t - 1] * (1 - hs[t] ** 2)                 # the carried part forgotten
            dw += np.outer(da, hs[t - 1])
            dh0 = w_hh.T @ da
        return dw, dh0

    msg = dl.check("13.7", sigmoid_step, quiet=True).message
    assert "on the case one unit, one input, a batch of 1" in msg and "the correct" in msg
    assert "uses W_hh as it is" in dl.check("13.7", untransposed, quiet=True).message
    msg = dl.check("13.8", no_carry, quiet=True).message
    assert "comes back from step t + 1" in msg and "two steps, a loss on the last" in msg


def test_your_turn_bptt_is_set_against_central_differences():
    def doubled_dh0(dhs, x, h0, w_ih, w_hh, b):
        dw, dh0 = my_bptt(dhs, x, h0, w_ih, w_hh, b)
        return dw, 2 * dh0

    msg = dl.check("13.8", doubled_dh0, quiet=True).message
    assert "on the case one step (T = 1)" in msg
    assert "the dh0 of your my_bptt is not the gradient: central differences" in msg
    # the numbers of that case, by hand: h_1 = tanh(W_hh h0 + W_ih x_1 + b)
    w_hh = np.array([[0.5, -0.7], [0.3, 0.4]])
    h1 = np.tanh(w_hh @ np.array([0.3, -0.6]) + np.array([0.8 * 0.5, -0.4 * 0.5]) + [0.1, 0.0])
    dh0 = w_hh.T @ (np.array([1.0, -2.0]) * (1 - h1 ** 2))
    assert f"{dh0[0]:.4f}"[:5] in msg


def my_clip_by_norm(dw_ih, dw_hh, db, max_norm):
    """Written out: one norm over every entry of the three arrays."""
    total = 0.0
    for g in (dw_ih, dw_hh, db):
        for v in np.ravel(g):
            total += v * v
    norm = total ** 0.5
    if norm <= max_norm:
        return dw_ih, dw_hh, db
    return tuple(np.asarray(g) * (max_norm / norm) for g in (dw_ih, dw_hh, db))


def test_clipping_by_global_norm_passes_and_its_slips_get_hints(capsys):
    assert dl.check("13.9", my_clip_by_norm).passed is True
    assert "Correct" in capsys.readouterr().out

    def always(dw_ih, dw_hh, db, max_norm):
        norm = np.sqrt(np.sum(dw_ih ** 2) + np.sum(dw_hh ** 2) + np.sum(db ** 2))
        return dw_ih * max_norm / norm, dw_hh * max_norm / norm, db * max_norm / norm

    def each_alone(dw_ih, dw_hh, db, max_norm):
        return tuple(g * min(1.0, max_norm / np.linalg.norm(g)) if np.any(g) else g
                     for g in (dw_ih, dw_hh, db))

    def two_results(dw_ih, dw_hh, db, max_norm):
        return dw_ih, dw_hh

    msg = dl.check("13.9", always, quiet=True).message
    assert "below the threshold" in msg and "a norm below the threshold: nothing" in msg
    assert "its own norm" in dl.check("13.9", each_alone, quiet=True).message
    msg = dl.check("13.9", two_results, quiet=True).message
    assert "should return the 3 results (dw_ih, dw_hh, db)" in msg
    # the edge case by hand: norm 0.5 below tau = 1, so the first case comes back as it is
    case = dl.selfcheck.exercises()["13.9"].checker.cases[0]
    assert np.sqrt(sum(np.sum(np.square(a)) for a in case.args[:3])) == pytest.approx(0.5)
