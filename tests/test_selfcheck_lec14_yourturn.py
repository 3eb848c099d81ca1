"""Lecture 14's hands-on part: the hint ladders of 14.1-14.5, and the exercises 14.6 (one LSTM
step), 14.7 (one GRU step) and 14.8 (the backward pass of the cell update) where the learner
writes the function.

The learner's steps are written here from the equations of the lecture (never from dlcore);
the numbers are the lecture's worked examples (LSTM c_1 = 0.770969, h_1 = 0.439763; GRU
h_1 = 0.527220, and 0.557625 in the form of Cho et al.).
"""

from __future__ import annotations

import numpy as np
import pytest

import dlcore as dl
from tests.selfcheck_helpers import climb_hint_ladder

pytestmark = pytest.mark.lec14


def _sigma(a):
    return 1.0 / (1.0 + np.exp(-a))


def _lstm(x, h, c, w_x, w_h, b):
    a = [w_x[k] * x + w_h[k] * h + b[k] for k in range(4)]
    c_new = _sigma(a[1]) * c + _sigma(a[0]) * np.tanh(a[2])
    return _sigma(a[3]) * np.tanh(c_new), c_new


def _gru(x, h, w_x, w_h, b):
    r = _sigma(w_x[0] * x + w_h[0] * h + b[0])
    z = _sigma(w_x[1] * x + w_h[1] * h + b[1])
    n = np.tanh(w_x[2] * x + b[2] + r * (w_h[2] * h))
    return (1 - z) * n + z * h


_HALF4, _HALF3 = np.full(4, 0.5), np.full(3, 0.5)


# --- hint ladders ---------------------------------------------------------------------------

EXPECTED = {"14.1": ("219648", "219,648"), "14.2": ("0.596994", "0.5969"),
            "14.3": ("0.905018", "0.9050"), "14.4": ("44",), "14.5": ("'B'", "B,", "B.")}


@pytest.mark.parametrize("exercise_id", sorted(EXPECTED))
def test_every_exercise_has_a_ladder_that_never_gives_the_answer(exercise_id, monkeypatch,
                                                                  capsys):
    climb_hint_ladder(exercise_id, EXPECTED[exercise_id], capsys, monkeypatch)


# --- 14.6 and 14.7: the reference is the lecture's cell ----------------------------------------

def test_the_references_reproduce_the_worked_examples():
    ex = dl.selfcheck.exercises()
    h, c = ex["14.6"].checker.reference(np.ones(1), np.full(1, 0.5), np.full(1, 0.5), _HALF4,
                                        _HALF4, np.zeros(4))
    assert h[0] == pytest.approx(0.439763, abs=1e-6) and c[0] == pytest.approx(0.770969,
                                                                                abs=1e-6)
    h = ex["14.7"].checker.reference(np.ones(1), np.full(1, 0.5), _HALF3, _HALF3, np.zeros(3))
    assert h[0] == pytest.approx(0.527220, abs=1e-6)


def test_steps_written_from_the_equations_pass(capsys):
    assert dl.check("14.6", _lstm)
    assert dl.check("14.7", _gru)
    assert capsys.readouterr().out.count("Correct") == 2


@pytest.mark.parametrize("exercise_id, name", [("14.6", "my_lstm_step"),
                                               ("14.7", "my_gru_step"),
                                               ("14.8", "my_lstm_cell_backward")])
def test_the_worked_solution_passes(exercise_id, name):
    text = dl.selfcheck.exercises()[exercise_id].solution
    scope = {"np": np}
    exec(text.split("```python", 1)[1].split("```", 1)[0], scope)  # noqa: S102
    assert dl.check(exercise_id, scope[name], quiet=True)


# --- 14.6: the slips a learner makes ----------------------------------------------------------

def _slides_order(x, h, c, w_x, w_h, b):        # (i, f, o, g) as on the IFT6758 slides
    a = [w_x[k] * x + w_h[k] * h + b[k] for k in range(4)]
    c_new = _sigma(a[1]) * c + _sigma(a[0]) * np.tanh(a[3])
    return _sigma(a[2]) * np.tanh(c_new), c_new


def _no_forget(x, h, c, w_x, w_h, b):
    a = [w_x[k] * x + w_h[k] * h + b[k] for k in range(4)]
    c_new = c + _sigma(a[0]) * np.tanh(a[2])
    return _sigma(a[3]) * np.tanh(c_new), c_new


def _no_tanh_on_output(x, h, c, w_x, w_h, b):
    a = [w_x[k] * x + w_h[k] * h + b[k] for k in range(4)]
    c_new = _sigma(a[1]) * c + _sigma(a[0]) * np.tanh(a[2])
    return _sigma(a[3]) * c_new, c_new


def _all_sigmoid(x, h, c, w_x, w_h, b):
    s = [_sigma(w_x[k] * x + w_h[k] * h + b[k]) for k in range(4)]
    c_new = s[1] * c + s[0] * s[2]
    return s[3] * np.tanh(c_new), c_new


def _old_cell_read(x, h, c, w_x, w_h, b):
    h_new = _sigma(w_x[3] * x + w_h[3] * h + b[3]) * np.tanh(c)
    return h_new, _lstm(x, h, c, w_x, w_h, b)[1]


@pytest.mark.parametrize("wrong, hint", [
    (_slides_order, "the wrong order"), (_no_forget, "the forget gate must scale it"),
    (_no_tanh_on_output, "not o * c_t"), (_all_sigmoid, "the candidate g uses tanh"),
    (_old_cell_read, "h reads the new cell")])
def test_lstm_slips_get_their_hint(wrong, hint):
    result = dl.check("14.6", wrong, quiet=True)
    assert not result and hint in result.message


def test_lstm_gate_order_slip_shows_only_with_different_gate_weights():
    """All weights 0.5 make g and o see the same pre-activation: the slip shows on the
    second case, which the message names."""
    result = dl.check("14.6", _slides_order, quiet=True)
    assert "two cells, different gate weights" in result.message


def test_lstm_outputs_in_the_wrong_order_or_number():
    swapped = dl.check("14.6", lambda *args: _lstm(*args)[::-1], quiet=True)
    assert not swapped and "the h of your my_lstm_step" in swapped.message
    one = dl.check("14.6", lambda *args: _lstm(*args)[0], quiet=True)
    assert not one and "should return the 2 results (h, c), in that order" in one.message
    three = dl.check("14.6", lambda *args: (*_lstm(*args), 0.0), quiet=True)
    assert not three and "returned 3 results" in three.message


def test_lstm_for_one_cell_only_is_caught_on_a_batch():
    def first_cell_only(x, h, c, w_x, w_h, b):
        h_new, c_new = _lstm(x, h, c, w_x, w_h, b)
        return h_new[:1], c_new[:1]

    result = dl.check("14.6", first_cell_only, quiet=True)
    assert not result and "has shape (1,); it should have shape (2,)" in result.message


# --- 14.7: the slips a learner makes ----------------------------------------------------------

def _cho(x, h, w_x, w_h, b):
    r = _sigma(w_x[0] * x + w_h[0] * h + b[0])
    z = _sigma(w_x[1] * x + w_h[1] * h + b[1])
    n = np.tanh(w_x[2] * x + b[2] + r * (w_h[2] * h))
    return z * n + (1 - z) * h


def _no_reset(x, h, w_x, w_h, b):
    z = _sigma(w_x[1] * x + w_h[1] * h + b[1])
    return (1 - z) * np.tanh(w_x[2] * x + b[2] + w_h[2] * h) + z * h


def _sigmoid_candidate(x, h, w_x, w_h, b):
    r = _sigma(w_x[0] * x + w_h[0] * h + b[0])
    z = _sigma(w_x[1] * x + w_h[1] * h + b[1])
    return (1 - z) * _sigma(w_x[2] * x + b[2] + r * (w_h[2] * h)) + z * h


def test_the_cho_form_is_the_lectures_0_557625():
    h = _cho(np.ones(1), np.full(1, 0.5), _HALF3, _HALF3, np.zeros(3))
    assert h[0] == pytest.approx(0.557625, abs=1e-6)
    result = dl.check("14.7", _cho, quiet=True)
    assert not result and "Cho et al. (2014)" in result.message
    assert "the worked example" in result.message            # seen on the first case


@pytest.mark.parametrize("wrong, hint", [
    (_no_reset, "the reset gate is not used"), (_sigmoid_candidate, "the candidate n uses tanh")])
def test_gru_slips_get_their_hint(wrong, hint):
    result = dl.check("14.7", wrong, quiet=True)
    assert not result and hint in result.message


def test_gru_a_mistake_off_the_catalogue_shows_the_case_and_the_values():
    def r_and_z_swapped(x, h, w_x, w_h, b):
        z = _sigma(w_x[0] * x + w_h[0] * h + b[0])
        r = _sigma(w_x[1] * x + w_h[1] * h + b[1])
        return (1 - z) * np.tanh(w_x[2] * x + b[2] + r * (w_h[2] * h)) + z * h

    result = dl.check("14.7", r_and_z_swapped, quiet=True)
    assert not result and "two cells, different gate weights" in result.message
    assert "the correct result is" in result.message and "largest difference" in result.message


# --- 14.8: the backward pass of the cell update -------------------------------------------------

def _cell_backward(dh, dc, c_prev, i, f, g, o):
    tanh_c = np.tanh(f * c_prev + i * g)
    dc_t = dc + dh * o * (1 - tanh_c ** 2)
    return dc_t * f, dc_t * g, dc_t * c_prev, dc_t * i, dh * tanh_c


def test_cell_backward_written_from_the_chain_rule_passes():
    assert dl.check("14.8", _cell_backward, quiet=True)


def test_cell_backward_reference_agrees_with_dlcores_lstm_step_backward():
    """The gradient dlcore's full LSTM step sends to c_(t-1) is the reference's dc_prev, for the
    gates that step computed."""
    rng = np.random.default_rng(3)
    x_t, h_prev, c_prev = rng.normal(size=(2, 3)), rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    w_ih, w_hh = rng.normal(size=(16, 3)), rng.normal(size=(16, 4))
    _, _, cache = dl.recurrent.lstm_step_forward(x_t, h_prev, c_prev, w_ih, w_hh)
    dh, dc = rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    dc_prev = dl.recurrent.lstm_step_backward(dh, dc, cache)[2]
    gates = dl.recurrent.lstm_gates(cache)
    ref = dl.selfcheck.exercises()["14.8"].checker.reference
    args = [a.ravel() for a in (dh, dc, c_prev, gates["i"], gates["f"], gates["g"], gates["o"])]
    np.testing.assert_allclose(ref(*args)[0], dc_prev.ravel(), rtol=1e-12)


def test_cell_path_with_no_gradient_on_h_is_a_product_with_f():
    ref = dl.selfcheck.exercises()["14.8"].checker.reference
    f = np.array([0.5, 0.982, 1.0])
    dc_prev = ref(np.zeros(3), np.ones(3), np.ones(3), np.full(3, 0.3), f, np.full(3, 0.2),
                  np.full(3, 0.6))[0]
    np.testing.assert_allclose(dc_prev, f)


@pytest.mark.parametrize("wrong, hint", [
    (lambda dh, dc, c_prev, i, f, g, o: _cell_backward(dh, dc, c_prev, i, f, g, o)[:4]
     + (dh * (f * c_prev + i * g),), "not c: do = dh * tanh(c)"),
    (lambda dh, dc, c_prev, i, f, g, o: (dc + dh * o,) + _cell_backward(dh, dc, c_prev, i, f,
                                                                        g, o)[1:],
     None),
    (lambda dh, dc, c_prev, i, f, g, o: _cell_backward(dh, 0 * dc, c_prev, i, f, g, o),
     "the gradient dc that comes from the next step is lost"),
])
def test_cell_backward_slips(wrong, hint):
    result = dl.check("14.8", wrong, quiet=True)
    assert not result
    if hint is not None:
        assert hint in result.message
    else:  # off the catalogue: named against central differences, with the gradient's name
        assert "the dc_prev of your my_lstm_cell_backward is not the gradient" in result.message
        assert "central differences" in result.message


def test_cell_backward_that_forgets_tanh_prime_is_named():
    def no_tanh_prime(dh, dc, c_prev, i, f, g, o):
        dc_t = dc + dh * o
        return dc_t * f, dc_t * g, dc_t * c_prev, dc_t * i, dh * np.tanh(f * c_prev + i * g)

    result = dl.check("14.8", no_tanh_prime, quiet=True)
    assert not result and "with the derivative of tanh" in result.message
