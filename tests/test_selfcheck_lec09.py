"""Self-checks 09.1-09.5: right answers pass, catalogued mistakes get their hint; their hint
ladders; and the your-turn exercises 09.6-09.8, whose steps are written here from the slides.

Expected values are derived here by hand (the course map's momentum table, closed-form stability
limits, Adam's first step written out), not taken from the checkers.
"""

import numpy as np
import pytest

import dlcore as dl
from tests.selfcheck_helpers import climb_hint_ladder

pytestmark = pytest.mark.lec09


def verdict(capsys, exercise_id, answer):
    ok = dl.check(exercise_id, answer)
    return ok, capsys.readouterr().out



def test_09_1_descent_step(capsys):
    def descent_step(theta, grad, lr):
        return theta - lr * grad

    assert verdict(capsys, "09.1", descent_step)[0]
    ok, out = verdict(capsys, "09.1", lambda theta, grad, lr: theta + lr * grad)
    assert not ok and "gradient ascent" in out
    ok, out = verdict(capsys, "09.1", lambda theta, grad, lr: theta - grad)
    assert not ok and "learning rate is missing" in out
    ok, out = verdict(capsys, "09.1", lambda theta, grad, lr: -lr * grad)
    assert not ok and "return the new theta" in out

    def stub(theta, grad, lr):
        ...

    ok, out = verdict(capsys, "09.1", stub)
    assert not ok and "returns None" in out
    ok, out = verdict(capsys, "09.1", lambda theta, grad, lr: np.zeros(1))
    assert not ok and "shape of theta" in out
    ok, out = verdict(capsys, "09.1", 0.8)
    assert not ok and "pass the function itself" in out
    ok, out = verdict(capsys, "09.1", lambda theta, grad, lr: theta - 2 * lr * grad)
    assert not ok and "minus lr times the gradient" in out


def test_09_2_momentum_by_hand(capsys):
    # Delta w_t = 0.1 * 2 w_t + 0.9 Delta w_{t-1}; w_{t+1} = w_t - Delta w_t
    w, dw, ws = 1.0, 0.0, [1.0]
    for _ in range(5):
        dw = 0.1 * 2 * w + 0.9 * dw
        w -= dw
        ws.append(w)
    np.testing.assert_allclose(ws[:5], [1.0, 0.8, 0.46, 0.062, -0.3086])  # course map, L09
    assert ws[5] == pytest.approx(-0.58042)
    assert verdict(capsys, "09.2", ws[5])[0]
    assert verdict(capsys, "09.2", -0.5804)[0]
    ok, out = verdict(capsys, "09.2", 0.8 ** 5)
    assert not ok and "plain gradient descent" in out
    ok, out = verdict(capsys, "09.2", -0.3086)
    assert not ok and "that is w_4" in out
    # the "+" update climbs: w grows
    w, dw = 1.0, 0.0
    for _ in range(5):
        dw = 0.1 * 2 * w + 0.9 * dw
        w += dw
    ok, out = verdict(capsys, "09.2", w)
    assert not ok and "uphill" in out
    # derivative taken as w instead of 2w
    w, dw = 1.0, 0.0
    for _ in range(5):
        dw = 0.1 * w + 0.9 * dw
        w -= dw
    ok, out = verdict(capsys, "09.2", w)
    assert not ok and "2w" in out
    ok, out = verdict(capsys, "09.2", 0.0)
    assert not ok and "five times" in out


def test_09_3_stability_limit(capsys):
    # E = 2x^2 + 10y^2: curvatures 4 and 20; heavy ball beta = 0.9: eta < 2 (1.9) / 20
    assert verdict(capsys, "09.3", 0.19)[0]
    cases = {2 / 20: "plain GD's limit", 2 * 1.9 / 4: "flat direction",
             2 * 1.9 / 10: "second derivative", 2 * 1.9 / (2.8 * 20): "Nesterov",
             1.9 / 20: "factor 2", 0.5: "second derivative",
             0.185: "least upper bound", 0.18: "least upper bound", 0.05: "curvature of each"}
    for answer, hint in cases.items():
        ok, out = verdict(capsys, "09.3", answer)
        assert not ok and hint in out, (answer, out)


def _momentum_on_2x2_10y2(lr, steps=2000):
    """Heavy-ball momentum (beta 0.9) on E = 2x^2 + 10y^2 from (1, 1), written out by hand."""
    theta, v = np.array([1.0, 1.0]), np.zeros(2)
    h = np.array([4.0, 20.0])
    path = [theta.copy()]
    for _ in range(steps):
        v = 0.9 * v + h * theta
        theta = theta - lr * v
        path.append(theta.copy())
    return np.array(path)


def test_09_3_the_answer_is_a_supremum_not_a_maximum():
    """0.19 itself does not converge (|y| keeps its size); every rate just below it does."""
    at = _momentum_on_2x2_10y2(0.19)
    y = at[-200:, 1]
    assert np.all(np.abs(y) > 1) and np.all(np.sign(y[1:]) == -np.sign(y[:-1]))  # flips sign
    np.testing.assert_allclose(np.abs(y), np.abs(y[-1]), rtol=1e-9)  # and keeps its size
    for lr in (0.189, 0.1899, 0.18999):
        below = _momentum_on_2x2_10y2(lr, steps=200_000 if lr > 0.1899 else 20_000)
        assert np.all(np.abs(below[-1]) < 1e-6), lr
    assert np.max(np.abs(_momentum_on_2x2_10y2(0.191, steps=500)[-1])) > 1e3
    assert dl.optim.stability_limit(20.0, "momentum", 0.9) == pytest.approx(0.19)
    sol = dl.selfcheck.exercises()["09.3"]
    assert "supremum" in sol.title and "least upper bound" in sol.solution


def test_hints_do_not_start_with_not_yet():
    exs = dl.selfcheck.exercises()
    for exercise_id, answer in [("09.1", lambda t, g, lr: t - 2 * lr * g), ("09.2", 0.0),
                                ("09.3", 0.1), ("09.4", 1.0), ("09.5", 0.7)]:
        hint = exs[exercise_id].checker(answer)
        assert hint and not hint.lower().startswith("not yet"), (exercise_id, hint)
    assert "seed" not in exs["09.1"].solution


def test_09_4_adam_first_step(capsys):
    g, lr = 0.003, 0.01
    m, v = 0.1 * g, 0.001 * g * g
    step = lr * (m / 0.1) / (np.sqrt(v / 0.001) + 1e-8)
    assert step == pytest.approx(0.0099999667, abs=1e-10)
    assert verdict(capsys, "09.4", step)[0]
    assert verdict(capsys, "09.4", 0.01)[0]
    ok, out = verdict(capsys, "09.4", -step)
    assert not ok and "positive number" in out
    ok, out = verdict(capsys, "09.4", lr * m / (np.sqrt(v) + 1e-8))
    assert not ok and "bias correction" in out
    ok, out = verdict(capsys, "09.4", lr * (m / 0.1) / (np.sqrt(v) + 1e-8))
    assert not ok and "v needs its correction" in out
    ok, out = verdict(capsys, "09.4", lr * m / (np.sqrt(v / 0.001) + 1e-8))
    assert not ok and "m needs its correction" in out
    ok, out = verdict(capsys, "09.4", lr * g)
    assert not ok and "plain gradient-descent step" in out
    ok, out = verdict(capsys, "09.4", np.array([0.01, 0.02]))
    assert not ok and "could not be checked" in out


def test_09_5_noise_factor(capsys):
    assert verdict(capsys, "09.5", 1 / np.sqrt(4))[0]
    ok, out = verdict(capsys, "09.5", 0.25)
    assert not ok and "variance" in out
    for answer in (2.0, 4.0, 1.0):
        ok, out = verdict(capsys, "09.5", answer)
        assert not ok and "below 1" in out
    ok, out = verdict(capsys, "09.5", 0.7)
    assert not ok and "square root" in out


# ---- hint ladders and the your-turn exercises 09.6-09.8 -------------------------------------

# what each ladder must never give away: the final answers, written out by hand
ANSWERS = {"09.1": ("theta - lr * grad",), "09.2": ("-0.58042", "-0.5804"),
           "09.3": ("0.19",), "09.4": ("0.0099999", "0.00999"), "09.5": ("0.5 ", "= 0.5", "1/2")}


@pytest.mark.parametrize("exercise_id", sorted(ANSWERS))
def test_hint_ladders_climb_to_the_solution_without_the_answer(exercise_id, monkeypatch,
                                                              capsys):
    climb_hint_ladder(exercise_id, ANSWERS[exercise_id], capsys, monkeypatch)


def _my_momentum_step(w, delta, grad, lr, momentum):
    new_delta = lr * grad + momentum * delta
    return w - new_delta, new_delta


def _my_nag_step(w, u, grad_fn, lr, momentum):
    new_u = momentum * u + lr * grad_fn(w - momentum * u)
    return w - new_u, new_u


def _my_adam_step(w, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    return w - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps), m, v


def test_the_momentum_reference_walks_the_slides_table():
    """The course map's table on E = w^2 (eta 0.1, gamma 0.9): w = 0.8, 0.46, 0.062, -0.3086,
    -0.58042 and Delta w = 0.2, 0.34, 0.398, 0.3706, 0.27182."""
    step = dl.selfcheck.exercises()["09.6"].checker.reference
    w, delta, ws, deltas = np.array([1.0]), np.zeros(1), [], []
    for _ in range(5):
        w, delta = step(w, delta, 2 * w, 0.1, 0.9)
        ws.append(w[0])
        deltas.append(delta[0])
    np.testing.assert_allclose(ws, [0.8, 0.46, 0.062, -0.3086, -0.58042], atol=1e-12)
    np.testing.assert_allclose(deltas, [0.2, 0.34, 0.398, 0.3706, 0.27182], atol=1e-12)
    w, delta = step(np.array([1.0, -2.0]), np.array([0.5, 0.5]), np.array([1.0, 1.0]), 0.2, 0.0)
    np.testing.assert_allclose(delta, [0.2, 0.2])  # momentum 0 forgets the old velocity
    np.testing.assert_allclose(w, [0.8, -2.2])


def test_the_nesterov_reference_looks_ahead():
    """By hand on E = w^2: u_1 = 0.2, w_1 = 0.8; the look-ahead point 0.8 - 0.9 * 0.2 = 0.62
    gives u_2 = 0.18 + 0.1 * 1.24 = 0.304 and w_2 = 0.496 (heavy ball: 0.34 and 0.46)."""
    step = dl.selfcheck.exercises()["09.7"].checker.reference
    w, u = step(np.array([1.0]), np.zeros(1), lambda p: 2 * p, 0.1, 0.9)
    assert (w[0], u[0]) == pytest.approx((0.8, 0.2))
    w, u = step(w, u, lambda p: 2 * p, 0.1, 0.9)
    assert (w[0], u[0]) == pytest.approx((0.496, 0.304))


def test_the_adam_reference_corrects_the_first_step():
    """At t = 1 the corrected moments are g and g^2: the step is lr g / (|g| + eps), and the
    returned moments are the raw 0.1 g and 0.001 g^2."""
    step = dl.selfcheck.exercises()["09.8"].checker.reference
    g = np.array([100.0, -0.01])
    w, m, v = step(np.zeros(2), g, np.zeros(2), np.zeros(2), 1, lr=0.1)
    np.testing.assert_allclose(w, -0.1 * g / (np.abs(g) + 1e-8), rtol=1e-12)
    np.testing.assert_allclose(m, 0.1 * g)
    np.testing.assert_allclose(v, 0.001 * g ** 2)


@pytest.mark.parametrize("exercise_id, fn", [("09.6", _my_momentum_step),
                                             ("09.7", _my_nag_step),
                                             ("09.8", _my_adam_step)])
def test_a_learners_step_written_from_the_slides_passes(exercise_id, fn, capsys):
    ok, out = verdict(capsys, exercise_id, fn)
    assert ok, out


def test_the_your_turn_checks_name_the_slips(capsys):
    def torch_form(w, delta, grad, lr, momentum):  # returns torch's buffer as the velocity
        buf = momentum * delta + grad
        return w - lr * buf, buf

    ok, out = verdict(capsys, "09.6", torch_form)
    assert not ok and "mixes two forms" in out and "first step on E = w²" in out

    def heavy_ball(w, u, grad_fn, lr, momentum):
        new_u = momentum * u + lr * grad_fn(w)
        return w - new_u, new_u

    ok, out = verdict(capsys, "09.7", heavy_ball)
    assert not ok and "heavy-ball" in out and "the second step on E = w²" in out

    def no_correction(w, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad ** 2
        return w - lr * m / (np.sqrt(v) + eps), m, v

    ok, out = verdict(capsys, "09.8", no_correction)
    assert not ok and "bias correction is missing" in out and "t = 1" in out

    def off_by_one(w, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        return _my_adam_step(w, grad, m, v, t + 1, lr, beta1, beta2, eps)

    ok, out = verdict(capsys, "09.8", off_by_one)  # not catalogued: the case and the numbers
    assert not ok and "the first step (t = 1)" in out and "the correct result is" in out

    def blank(w, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        raise NotImplementedError

    ok, out = verdict(capsys, "09.8", blank)
    assert not ok and "my_adam_step is not written yet" in out
    ok, out = verdict(capsys, "09.8", lambda w, g, m, v, t, **k: w)
    assert not ok and "should return the 3 results (w, m, v)" in out
