"""Lecture 14 widgets (dlcore.widgets.gates), built headless: set controls, click, and check
the plotted data against hand calculations, dlcore step functions and the syllabus numbers."""

from __future__ import annotations

import numpy as np
import pytest

import dlcore as dl

pytestmark = pytest.mark.lec14

W = pytest.importorskip("ipywidgets")


def _sigma(a):
    return 1.0 / (1.0 + np.exp(-a))


# --- whiteboard ---------------------------------------------------------------------------

def test_whiteboard_plan_reaches_181_with_the_syllabus_values():
    app = dl.widgets.whiteboard()
    for _ in range(3):
        app.plan_step()
    assert [app.value_of(e) for e in ("ac", "bd", "bd + a")] == [5, 33, 34]
    np.testing.assert_array_equal(app.image.get_array(), [[0, 0, 1], [1, 1, 1], [0, 1, 0]])
    app.plan_step()  # erase bd: forget gate 0 on slot 2
    np.testing.assert_array_equal(app.gates["f"], [1, 0, 1])
    app.plan_step()
    assert app.value_of("ac(bd + a)") == 170
    for _ in range(4):
        app.plan_step()
    assert app.value_of("ad") == 11
    assert app.solved and app.value_of("ac(bd + a) + ad") == 181
    assert "done in 9 actions" in app.state()["progress"]
    app.plan_step()  # the plan starts again from an empty board
    assert app.labels == ["ac", None, None]


def test_whiteboard_buttons_and_refusals():
    app = dl.widgets.whiteboard()
    app.controls["expr"].value = "bd + a"
    app.controls["slot"].value = 1
    app.controls["write"].click()
    assert app.labels == [None, None, None]
    assert "read bd" in app.state()["message"]
    app.controls["expr"].value = "bd"
    app.controls["write"].click()
    assert app.labels[0] == "bd" and app.c[0] == 33
    app.controls["expr"].value = "ac"
    app.controls["write"].click()
    assert "erase it first" in app.state()["message"] and app.labels[0] == "bd"
    app.controls["erase"].click()
    assert app.labels[0] is None and app.c[0] == 0
    app.controls["erase"].click()
    assert "already empty" in app.state()["message"]
    app.controls["plan"].click()
    app.controls["reset"].click()
    assert app.steps == 0 and app.labels == [None, None, None]


def test_whiteboard_own_numbers_and_bad_input():
    app = dl.widgets.whiteboard(a=2, b=1, c=1, d=1)
    for _ in range(9):
        app.plan_step()
    assert app.value_of("ac(bd + a) + ad") == 2 * 1 * (1 * 1 + 2) + 2 * 1
    with pytest.raises(ValueError, match="slot must be 1, 2 or 3"):
        app.write("ac", 4)
    with pytest.raises(ValueError, match="expr must be one of"):
        app.write("abcd", 1)
    with pytest.raises(ValueError, match="finite"):
        dl.widgets.whiteboard(a=float("nan"))


# --- lstm_gate_explorer -------------------------------------------------------------------

def test_gate_explorer_worked_lstm_example():
    app = dl.widgets.lstm_gate_explorer()
    i_line, f_line, o_line = app.gate_lines
    for line in app.gate_lines:
        assert line.get_ydata()[0] == pytest.approx(0.679179, abs=1e-6)
    assert app.line_cand.get_ydata()[0] == pytest.approx(0.635149, abs=1e-6)
    assert app.line_c.get_ydata()[0] == 0.5 and app.line_h.get_ydata()[0] == 0.5
    assert app.line_c.get_ydata()[1] == pytest.approx(0.770969, abs=1e-6)
    assert app.line_h.get_ydata()[1] == pytest.approx(0.439763, abs=1e-6)
    assert "c_1 = 0.770969" in app.state()["flow"]
    assert "h_1 = o·tanh(c_1) = 0.439763" in app.state()["flow"]
    # the forget bias moves the forget gate and nothing else at step 1
    app.controls["b1"].value = 2.0
    assert f_line.get_ydata()[0] == pytest.approx(_sigma(0.75 + 2.0))
    assert i_line.get_ydata()[0] == pytest.approx(_sigma(0.75))


def test_gate_explorer_worked_gru_example_and_step_function():
    app = dl.widgets.lstm_gate_explorer(
        preset="worked example (GRU): all weights 0.5, b = 0, x = 1, h₀ = 0.5")
    assert app.line_cand.get_ydata()[0] == pytest.approx(0.584845, abs=1e-6)
    assert app.line_h.get_ydata()[1] == pytest.approx(0.527220, abs=1e-6)
    assert not app.line_c.get_visible() and app.controls["b3"].disabled
    assert "reset" in app.controls["b0"].description
    # step 2 from dlcore's step function, fed the state of step 1
    app.controls["t"].value = 2
    h1 = np.array([[app.line_h.get_ydata()[1]]])
    h2, _ = dl.recurrent.gru_step_forward(np.ones((1, 1)), h1, np.full((3, 1), 0.5),
                                          np.full((3, 1), 0.5))
    assert app.line_h.get_ydata()[2] == pytest.approx(h2[0, 0])
    assert app.cursors[0].get_xdata()[0] == 2


def test_gate_explorer_presets_remember_and_erase():
    app = dl.widgets.lstm_gate_explorer(preset="write, keep, erase on a reset signal (LSTM)")
    c = app.line_c.get_ydata()  # t = 0..12
    assert c[2] == pytest.approx(0.0, abs=0.1)     # nothing written before the pulse at t = 3
    assert c[3] > 0.9                               # written at t = 3
    assert c[8] > 0.8 * c[3]                        # kept (forget gate about 0.98)
    assert abs(c[9]) < 0.05                         # erased by the reset at t = 9
    app.controls["preset"].value = "leaky memory (LSTM, forget bias 0)"
    c = app.line_c.get_ydata()
    assert c[8] < 0.1 * c[3]                        # f = 0.5 halves it every step
    assert app.controls["b1"].value == 0.0


def test_gate_explorer_own_sequence_and_bad_input():
    x = [0.0, 1.0, 0.0, -1.0, 0.5]
    app = dl.widgets.lstm_gate_explorer(x=x)
    assert app.controls["input"].value == "your sequence"
    np.testing.assert_allclose(app.line_x.get_ydata(), x)
    assert app.controls["t"].max == 5
    with pytest.raises(ValueError, match="between 2 and 40"):
        dl.widgets.lstm_gate_explorer(x=[1.0])
    with pytest.raises(ValueError, match="preset must be one of"):
        dl.widgets.lstm_gate_explorer(preset="peephole")


# --- forget_products ----------------------------------------------------------------------

def test_forget_products_against_step_functions():
    app = dl.widgets.forget_products(T=30, forget_bias=2.0, w=1.5, noise=0.0)
    # zero input: the RNN stays at h = 0, so each step multiplies by w exactly
    np.testing.assert_allclose(app.line_rnn.get_ydata(), 1.5 ** np.arange(1, 31))
    w_ih = np.array([[0.5], [1.0], [0.5], [0.5]])
    w_hh = np.full((4, 1), 0.5)
    b = np.array([0.0, 2.0, 0.0, 0.0])
    h = c = np.zeros((1, 1))
    f = []
    for _ in range(30):
        h, c, cache = dl.recurrent.lstm_step_forward(np.zeros((1, 1)), h, c, w_ih, w_hh, b)
        f.append(dl.recurrent.lstm_gates(cache)["f"][0, 0])
    np.testing.assert_allclose(app.line_f.get_ydata(), np.cumprod(f), rtol=1e-12)
    np.testing.assert_allclose(app.line_f_ref.get_ydata(), _sigma(2.0) ** np.arange(1, 31))


def test_forget_products_bias_keeps_the_cell_path_alive():
    app = dl.widgets.forget_products(T=100, forget_bias=0.0, w=1.0)
    low = app.line_f.get_ydata()[-1]
    app.controls["bf"].value = 6.0
    high = app.line_f.get_ydata()[-1]
    assert low < 1e-20 and high > 0.3
    assert app.line_rnn.get_ydata()[-1] < 1e-10
    with pytest.raises(ValueError, match="between 5 and 200"):
        dl.widgets.forget_products(T=2)


# --- long_lag_recall ----------------------------------------------------------------------

def test_long_lag_recall_train_cache_and_clear():
    app = dl.widgets.long_lag_recall(lag=10, n_train=60, num_epochs=2)
    assert not any(line.get_visible() for line in app.loss_lines)
    app.controls["train"].click()
    visible = [line for line in app.loss_lines if line.get_visible()]
    assert len(visible) == 1 and len(visible[0].get_xdata()) == 2
    assert "trained" in app.state()["status"]
    app.controls["train"].click()
    assert "already shown" in app.state()["status"]
    app.controls["cell"].value = "vanilla RNN (tanh)"
    app.controls["train"].click()
    assert sum(line.get_visible() for line in app.acc_lines) == 2
    assert "accuracy" in app.state()["runs"]
    app.controls["clear"].click()
    assert not any(line.get_visible() for line in app.loss_lines)


def test_long_lag_recall_shows_given_curves_and_checks_them():
    curves = {"RNN demo": {"train_loss": [1.4, 1.38, 1.37], "val_acc": [0.25, 0.26, 0.25]},
              "LSTM demo": {"train_loss": [1.4, 0.5, 0.01], "val_acc": [0.3, 0.8, 1.0]}}
    app = dl.widgets.long_lag_recall(curves=curves)
    np.testing.assert_allclose(app.loss_lines[1].get_ydata(), [1.4, 0.5, 0.01])
    np.testing.assert_allclose(app.acc_lines[0].get_ydata(), [0.25, 0.26, 0.25])
    assert "LSTM demo: accuracy 1.00" in app.state()["runs"]
    with pytest.raises(ValueError, match="train_loss"):
        dl.widgets.long_lag_recall(curves={"bad": {"loss": [1.0]}})
    with pytest.raises(ValueError, match="cell must be one of"):
        dl.widgets.long_lag_recall(cell="transformer")


def test_recall_model_gate_bias_initialisation():
    from dlcore.widgets.gates.recall import recall_model

    lstm = recall_model("lstm", 6, gate_bias=3.0)[0]
    np.testing.assert_array_equal(lstm.bias_ih_l0.data[:6], -3.0)
    np.testing.assert_array_equal(lstm.bias_ih_l0.data[6:12], 3.0)
    np.testing.assert_array_equal(lstm.bias_hh_l0.data[:12], 0.0)
    gru = recall_model("gru", 6, gate_bias=2.0)[0]
    np.testing.assert_array_equal(gru.bias_ih_l0.data[6:12], 2.0)
    rnn = recall_model("rnn", 6, gate_bias=0.0)
    assert rnn(np.zeros((2, 3, 5))).shape == (2, 4)


# --- variant_switcher ---------------------------------------------------------------------

def test_variant_switcher_counts_and_equations():
    app = dl.widgets.variant_switcher()
    widths = {name: bar.get_width() for name, bar in zip(
        ["rnn", "lstm", "lstm_slides", "peephole", "coupled", "gru", "gru_cho"], app.bars)}
    assert widths["rnn"] == 197_000 and widths["lstm"] == 788_000 and widths["gru"] == 591_000
    assert widths["peephole"] == 788_000 + 3 * 200
    assert "788,000 parameters" in app.state()["count"]
    app.controls["variant"].value = "peephole LSTM (Gers & Schmidhuber 2000)"
    assert r"p_o \odot c_t" in app.equations.value
    assert "new c_t" in app.state()["difference"] and "common slip" in app.state()["difference"]
    app.controls["variant"].value = "GRU in the form of Cho et al. (2014)"
    assert r"h_t = (1 - z_t) \odot h_{t-1} + z_t \odot \tilde h_t" in app.equations.value
    app.controls["n"].value, app.controls["d"].value = 10, 5
    assert app.bars[1].get_width() == dl.counting.lstm_params(10, 5)
    with pytest.raises(ValueError, match="variant must be one of"):
        dl.widgets.variant_switcher(variant="LSTM")


def test_every_lecture_14_widget_is_registered():
    assert {"whiteboard", "lstm_gate_explorer", "forget_products", "long_lag_recall",
            "variant_switcher"} <= set(dl.widgets.available())
