"""Self-checks 04.1-04.7: right answers pass, catalogued mistakes get their hint.

Expected values are derived independently here (closed forms, hand-written numpy), not taken
from the checkers.
"""

import numpy as np
import pytest

import dlcore as dl

pytestmark = pytest.mark.lec04

X = np.array([0.5, 2.5])
Y = np.array([0.2, 0.9])
XL = np.array([10.0, 2.0, 3.5, 1.0])
YL = np.array([10.1, 1.9, 3.4, 1.1])


def sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def f_at(w, b):
    return sig(w * X + b)


def verdict(capsys, exercise_id, answer):
    ok = dl.check(exercise_id, answer)
    return ok, capsys.readouterr().out



def test_04_1_loss(capsys):
    f = f_at(1.0, -1.0)
    loss = 0.5 * np.sum((Y - f) ** 2)
    assert loss == pytest.approx(0.019157, abs=1e-6)
    assert verdict(capsys, "04.1", loss)[0]
    ok, out = verdict(capsys, "04.1", 2 * loss)
    assert not ok and "twice" in out
    ok, out = verdict(capsys, "04.1", 0.5 * (Y[1] - f[1]) ** 2 + (Y[0] - f[0]) ** 2)
    assert not ok and "one term only" in out
    ok, out = verdict(capsys, "04.1", 0.5 * np.sum((Y - f_at(1.0, 1.0)) ** 2))
    assert not ok and "sign of b" in out
    ok, out = verdict(capsys, "04.1", 0.5)
    assert not ok and "Not yet" in out
    assert "0.0191" not in out


def test_04_2_gradient(capsys):
    f = f_at(1.0, -1.0)
    d = (f - Y) * f * (1 - f)
    g = np.array([np.sum(d * X), np.sum(d)])
    # central differences of the loss, independent of the closed form
    h = 1e-6
    num = [(0.5 * np.sum((Y - f_at(1 + h, -1)) ** 2) - 0.5 * np.sum((Y - f_at(1 - h, -1)) ** 2))
           / (2 * h),
           (0.5 * np.sum((Y - f_at(1, -1 + h)) ** 2) - 0.5 * np.sum((Y - f_at(1, -1 - h)) ** 2))
           / (2 * h)]
    np.testing.assert_allclose(g, num, atol=1e-8)
    assert verdict(capsys, "04.2", g)[0]
    assert verdict(capsys, "04.2", tuple(g))[0]
    cases = {"flipped": -g, "swapped": g[::-1],
             "f (1 - f)": [np.sum((f - Y) * X), np.sum(f - Y)],
             "factor x_i": [g[1], g[1]], "twice": 2 * g}
    for hint, wrong in cases.items():
        ok, out = verdict(capsys, "04.2", wrong)
        assert not ok and hint in out, (hint, out)
    ok, out = verdict(capsys, "04.2", [1.0, 2.0, 3.0])
    assert not ok and "could not be checked" in out


def test_04_3_optimum(capsys):
    w, b = np.log(6), -np.log(4) - 0.5 * np.log(6)
    np.testing.assert_allclose(f_at(w, b), Y, atol=1e-12)  # both points fitted exactly
    assert verdict(capsys, "04.3", (w, b))[0]
    assert verdict(capsys, "04.3", (1.79172, -2.28212))[0]  # GD after 1000 steps (syllabus)
    cases = {"swapped": (b, w), "natural logarithm": (np.log10(6), b),
             "divide by 2": (np.log(36), b), "logit(0.2)": (w, np.log(4) - 0.5 * np.log(6)),
             "w is right": (w, 0.0)}
    for hint, wrong in cases.items():
        ok, out = verdict(capsys, "04.3", wrong)
        assert not ok and hint in out, (hint, out)


def test_04_4_epoch(capsys):
    w = 0.0
    for n in range(4):
        w = w + 0.01 * (YL[n] - w * XL[n]) * XL[n]
    assert w == pytest.approx(1.00413731, abs=1e-8)
    assert verdict(capsys, "04.4", w)[0]
    ok, out = verdict(capsys, "04.4", 1.1)  # eta = 1 (no learning rate) after one epoch
    assert not ok and "eta = 1" in out
    ok, out = verdict(capsys, "04.4", 0.01 * np.sum(XL * YL))
    assert not ok and "batch step" in out
    ok, out = verdict(capsys, "04.4", 1.01)
    assert not ok and "first point" in out


def test_04_5_limit(capsys):
    h = np.sum(XL ** 2)
    assert h == 117.25
    assert verdict(capsys, "04.5", 2 / h)[0]
    cases = {"one step": 1 / h, "largest x^2": 2 / 100, "sum of the squares": 2 / np.sum(XL),
             "mean loss": 8 / h}
    for hint, wrong in cases.items():
        ok, out = verdict(capsys, "04.5", wrong)
        assert not ok and hint in out, (hint, out)
    ok, out = verdict(capsys, "04.5", 1.0)
    assert not ok and "Not yet" in out
    # the boundary is the supremum: a converging eta just below it is not the answer
    for below in (0.017, 0.95 * 2 / h):
        ok, out = verdict(capsys, "04.5", below)
        assert not ok and "least upper bound" in out, (below, out)
    for close_enough in (0.01706, 0.017058, 2.001 / h):
        assert verdict(capsys, "04.5", close_enough)[0], close_enough
    assert not verdict(capsys, "04.5", 2.003 / h)[0]


def test_04_5_solution_says_the_boundary_does_not_converge():
    solution = dl.selfcheck.exercises()["04.5"].solution
    assert "least upper bound" in solution and "does not converge" in solution
    assert "largest learning rate" not in solution


# ---- hint ladders and the "your turn" exercises 04.6, 04.7 ----------------------------------

@pytest.mark.parametrize("exercise_id, answer", [("04.1", "0.019"), ("04.2", "0.0294"),
                                                 ("04.3", "1.79"), ("04.4", "1.004"),
                                                 ("04.5", "0.017")])
def test_hint_ladders_stop_short_of_the_answer(exercise_id, answer):
    hints = dl.selfcheck.exercises()[exercise_id].hints
    assert 2 <= len(hints) <= 3 and not any(answer in h for h in hints)


def my_neuron_grad(w, b, X, y):
    f = sig(X @ w + b)
    d = (f - y) * f * (1 - f)
    return X.T @ d, d.sum()


def numeric_grad(w, b, X, y, h=1e-6):
    def loss_at(w, b):
        return 0.5 * np.sum((sig(X @ w + b) - y) ** 2)

    dw = np.array([(loss_at(w + h * e, b) - loss_at(w - h * e, b)) / (2 * h)
                   for e in np.eye(len(w))])
    return dw, (loss_at(w, b + h) - loss_at(w, b - h)) / (2 * h)


def test_04_6_a_hand_written_gradient_passes_and_a_wrong_one_meets_differences(capsys):
    ok, out = verdict(capsys, "04.6", my_neuron_grad)
    assert ok, out
    # the toy at (1, -1) as a table with one column: the gradient of exercise 04.2
    dw, db = my_neuron_grad(np.array([1.0]), -1.0, X[:, None], Y)
    np.testing.assert_allclose([dw[0], db], [-0.00987, 0.02943], atol=5e-5)

    def doubled(w, b, X, y):  # the 2 of the square kept, the 1/2 forgotten: not catalogued
        dw, db = my_neuron_grad(w, b, X, y)
        return 2 * dw, 2 * db

    ok, out = verdict(capsys, "04.6", doubled)
    assert not ok and "the dw of your my_neuron_grad is not the gradient" in out
    num_dw, _ = numeric_grad(np.array([0.5]), 0.0, np.array([[0.5]]), np.array([0.2]))
    assert f"central differences of the forward pass give np.array([{num_dw[0]:.4f}])" in out


def test_04_7_one_step_by_hand(capsys):
    def my_gd_step(w, b, X, y, lr):
        dw, db = my_neuron_grad(w, b, X, y)
        return w - lr * dw, b - lr * db

    ok, out = verdict(capsys, "04.7", my_gd_step)
    assert ok, out
    # the toy's first step from (-2, -2) with eta = 1 (the error surface's first step)
    w1, b1 = my_gd_step(np.array([-2.0]), -2.0, X[:, None], Y, 1.0)
    np.testing.assert_allclose([w1[0], b1], [-1.994508, -1.992289], atol=1e-6)
    ok, out = verdict(capsys, "04.7", lambda w, b, X, y, lr: (w, b))
    assert not ok and "on the case the toy from (-2, -2), η = 0.5" in out
