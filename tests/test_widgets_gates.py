"""Lecture 14 widgets (dlcore.widgets.gates), built headless: set controls, click, and check
the plotted data against hand calculations, dlcore step functions and the syllabus numbers."""

from __future__ import annotations

import numpy as np
import pytest

import dlcore as dl
from tests.widget_helpers import blit_modes

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
    from dlcore.nn import recall_model

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


# --- fitting the browser (issue 10): layout, overlapping curves, disabled controls ---------

GATE_WIDGETS = ["whiteboard", "lstm_gate_explorer", "forget_products", "long_lag_recall",
                "variant_switcher"]


@pytest.mark.parametrize("name", GATE_WIDGETS)
def test_gate_widgets_fit_wide_and_narrow_output_areas(name):
    app = getattr(dl.widgets, name)()
    for width in (848, 1488, 800, 400):
        app.fit(width)
        app.fig.canvas.draw()
        w, _ = app.fig.get_size_inches() * app.fig.dpi
        assert w <= width - 12 + 0.5, (name, width, w)
        box = app.fig.get_tightbbox(app.fig.canvas.get_renderer())
        assert box.x0 >= -0.02 and box.x1 <= app.fig.get_figwidth() + 0.02, (name, width)


def _rows(app):
    return [[getattr(c, "description", "") for c in row.children]
            for row in app._controls_box.children]


def test_gate_explorer_overlapping_gates_are_told_apart():
    app = dl.widgets.lstm_gate_explorer()
    styles = {(ln.get_linestyle(), ln.get_marker()) for ln in app.gate_lines}
    assert len(styles) == 3                              # solid o, dashed s, dotted ^
    assert app.same_note.get_text().startswith("i = f = o at every step")
    app.controls["b1"].value = 3.0                       # the forget gate moves away
    assert app.same_note.get_text().startswith("i = o at every step")
    app.controls["preset"].value = "write, keep, erase on a reset signal (LSTM)"
    assert app.same_note.get_text() == ""


def test_gate_explorer_controls_fit_two_per_row_and_b3_is_disabled_for_the_gru():
    app = dl.widgets.lstm_gate_explorer()
    assert _rows(app) == [["preset"], ["input sequence x_t", "input scale"],
                          ["b_i (write)", "b_f (keep)"], ["b_g (candidate)", "b_o (read)"],
                          ["inspect step t"]]
    assert "forget gate" in app.controls["b1"].tooltip and not app.controls["b3"].disabled
    app.controls["preset"].value = "worked example (GRU): all weights 0.5, b = 0, x = 1, h₀ = 0.5"
    assert app.controls["b3"].disabled and "three gate blocks" in app.controls["b3"].tooltip
    assert app.controls["b1"].description == "b_z (keep)"
    assert len(app.ax_gates.get_legend().get_texts()) == 2  # r and z only
    app.controls["preset"].value = "leaky memory (LSTM, forget bias 0)"
    assert not app.controls["b3"].disabled and "output gate" in app.controls["b3"].tooltip
    assert len(app.ax_gates.get_legend().get_texts()) == 3


def test_gate_explorer_sliders_keep_the_axes_and_narrow_layout_stacks_the_key():
    app = dl.widgets.lstm_gate_explorer(preset="write, keep, erase on a reset signal (LSTM)")
    app.fit(848)
    ylim = app.ax_states.get_ylim()
    for v in (0.1, 0.0, 0.1, -0.1):                      # bias nudges: blit, no rescale
        app.controls["b0"].value = v
        assert app.ax_states.get_ylim() == ylim
    for t in (2, 3, 4):
        app.controls["t"].value = t
        assert app.ax_states.get_ylim() == ylim and app.cursors[0].get_xdata()[0] == t
    assert {id(line) for line in app.gate_lines} <= {id(a) for a in app._dynamic}
    assert app.ax_gates.get_legend() is not None and not app.fig.legends
    app.fit(400)
    w, h = app.fig.get_size_inches() * app.fig.dpi
    assert h >= 1.2 * w and app.ax_gates.get_legend() is None and len(app.fig.legends) == 1
    assert "weights [8, 10, 3, 0]" in app.state()["weights"]


def test_forget_products_readouts_and_steady_axes():
    app = dl.widgets.forget_products()
    assert "∏ f = 3.5 × 10⁻⁸" in app.state()["lstm"]
    assert "1.6 × 10⁻²⁶" in app.state()["rnn"] and "e-" not in app.summary
    app.fit(848)
    xlim, ylim = app.ax.get_xlim(), app.ax.get_ylim()
    for key, values in (("T", (51, 50, 51, 49)), ("bf", (1.1, 1.0, 1.1)),
                        ("w", (1.05, 1.0)), ("noise", (1.05, 1.0))):
        for v in values:
            app.controls[key].value = v
            assert app.ax.get_xlim() == xlim and app.ax.get_ylim() == ylim, (key, v)
    assert app.ax.get_legend().get_bbox_to_anchor() is not None   # beside the data
    app.controls["w"].value = 3.0                                  # far away: rescale
    assert app.ax.get_ylim() != ylim


def test_long_lag_recall_bias_is_live_only_for_the_biased_cells_and_sliders_do_not_redraw():
    app = dl.widgets.long_lag_recall()
    bias = app.controls["bias"]
    assert not bias.disabled                              # default: LSTM, forget bias +b
    for cell, live in (("vanilla RNN (tanh)", False), ("GRU, default init", False),
                       ("GRU, update bias +b", True),
                       ("LSTM, default init (forget bias ≈ 0)", False)):
        app.controls["cell"].value = cell
        assert bias.disabled is not live
        assert ("only the '+b' cells" in bias.tooltip) is not live
    draws = []
    app.fig.canvas.draw_idle = lambda *a, **k: draws.append(1)
    app.controls["lag"].value = 20
    bias.value = 2.0
    assert not draws                                      # nothing on the plot changed
    assert _rows(app) == [["cell", "lag T (steps to remember)"],
                          ["gate bias b", "train", "clear"]]


def test_long_lag_recall_one_key_under_both_panels():
    curves = {"RNN demo": {"train_loss": [1.4, 1.38], "val_acc": [0.25, 0.26]},
              "LSTM demo": {"train_loss": [1.4, 0.5], "val_acc": [0.3, 0.8]}}
    app = dl.widgets.long_lag_recall(curves=curves)
    assert app.ax_loss.get_legend() is None and app.ax_acc.get_legend() is None
    (legend,) = app.fig.legends
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts == ["chance (ln 4, 1/4)", "RNN demo", "LSTM demo"]
    assert all(t.get_fontsize() >= 7.5 for t in legend.get_texts())


def test_variant_switcher_equations_inline_and_counts_in_thousands():
    app = dl.widgets.variant_switcher()
    value = app.equations.value
    assert "$$" not in value and value.count("<br>") == 4  # five LSTM lines, one per line
    app.fig.canvas.draw()
    labels = [t.get_text() for t in app.ax.get_xticklabels() if t.get_text()]
    assert "200k" in labels and not any("e" in t for t in labels)
    xlim = app.ax.get_xlim()
    app.controls["n"].value = 785
    assert app.ax.get_xlim() == xlim
    assert _rows(app) == [["variant"], ["input size n", "hidden size d"]]


def test_whiteboard_buttons_share_a_row_and_are_as_wide_as_their_text():
    app = dl.widgets.whiteboard()
    rows = _rows(app)
    assert rows[1] == ["write (input gate)", "erase (forget gate)", "lecture's plan: next step",
                       "reset"]
    widths = [int(app.controls[k].layout.width[:-2]) for k in ("write", "erase", "plan",
                                                                  "reset")]
    assert widths[3] < widths[2] and sum(widths) < 760
    assert [t.get_text() for t in app.ax_gates.get_yticklabels()] == ["i (write)", "f (keep)",
                                                                        "o (read)"]


@pytest.mark.parametrize("name, key, values", [
    ("lstm_gate_explorer", "b1", (0.1, 0.0, 0.1)), ("forget_products", "bf", (1.1, 1.0, 1.1)),
    ("variant_switcher", "d", (201, 202, 201))])
def test_gate_widgets_blit_whole_frames(name, key, values):
    app = getattr(dl.widgets, name)()
    app.fit(848)
    full, modes = blit_modes(app, [lambda v=v: setattr(app.controls[key], "value", v)
                                   for v in values])
    assert not full and modes == ["full"] * len(values)


def test_whiteboard_actions_blit_whole_frames():
    app = dl.widgets.whiteboard()
    full, modes = blit_modes(app, [app.controls["plan"].click] * 3)
    assert not full and modes == ["full"] * 3
    assert app.labels == ["ac", "bd", "bd + a"]


# --- lstm_gate_explorer(mine=..., mine_gru=...): the learner's step over dlcore's ------------
# The learner's steps are written here from the equations (not from dlcore), in the signature
# of lecture 14's exercises: x, h, c (N,), gate weights (4,) in the order i, f, g, o, or (3,)
# in the order r, z, n.

def _my_lstm_step(x, h, c, w_x, w_h, b):
    a = [w_x[k] * x + w_h[k] * h + b[k] for k in range(4)]
    i, f, g, o = _sigma(a[0]), _sigma(a[1]), np.tanh(a[2]), _sigma(a[3])
    c_new = f * c + i * g
    return o * np.tanh(c_new), c_new


def _no_forget_step(x, h, c, w_x, w_h, b):
    a = [w_x[k] * x + w_h[k] * h + b[k] for k in range(4)]
    c_new = c + _sigma(a[0]) * np.tanh(a[2])
    return _sigma(a[3]) * np.tanh(c_new), c_new


def _my_gru_step(x, h, w_x, w_h, b):
    r = _sigma(w_x[0] * x + w_h[0] * h + b[0])
    z = _sigma(w_x[1] * x + w_h[1] * h + b[1])
    n = np.tanh(w_x[2] * x + b[2] + r * (w_h[2] * h))
    return (1 - z) * n + z * h


def _run(step, x, h, c, *weights):
    """A step run over the scalars x from (h, c), its own states fed back: (hs, cs)."""
    hs, cs = [], []
    for x_t in x:
        h, c = step(np.array([x_t]), h, c, *weights)
        hs.append(float(h[0]))
        cs.append(float(c[0]))
    return np.array(hs), np.array(cs)


_KEEP_ERASE = "write, keep, erase on a reset signal (LSTM)"
_GRU_WORKED = "worked example (GRU): all weights 0.5, b = 0, x = 1, h₀ = 0.5"


def test_gate_explorer_mine_correct_step_matches_everywhere():
    app = dl.widgets.lstm_gate_explorer(mine=_my_lstm_step)
    message = app.state()["mine"]
    assert "all 24 values of h_t and c_t match dlcore's LSTM step" in message
    assert "_my_lstm_step" in message
    assert not app.mine_trace["differ"].any() and len(app.my_marks.get_xdata()) == 0
    np.testing.assert_allclose(app.line_my_h.get_ydata(), app.line_h.get_ydata(), atol=1e-12)
    np.testing.assert_allclose(app.line_my_c.get_ydata(), app.line_c.get_ydata(), atol=1e-12)
    # the worked example by hand: h_1 = 0.439763
    assert app.line_my_h.get_ydata()[1] == pytest.approx(0.439763, abs=1e-6)
    labels = [t.get_text() for t in app.ax_states.get_legend().get_texts()]
    assert "your h_t" in labels and "your c_t" in labels and "yours ≠ dlcore's" in labels


def test_gate_explorer_mine_wrong_step_marks_the_steps_that_differ():
    app = dl.widgets.lstm_gate_explorer(preset=_KEEP_ERASE, mine=_no_forget_step)
    x = app.line_x.get_ydata()
    weights = (np.array([8.0, 10.0, 3.0, 0.0]), np.zeros(4), np.array([-4.0, 4.0, 0.0, 2.0]))
    zero = np.zeros(1)
    h_ok, c_ok = _run(_my_lstm_step, x, zero, zero, *weights)
    h_bad, c_bad = _run(_no_forget_step, x, zero, zero, *weights)
    bad_h, bad_c = ~np.isclose(h_bad, h_ok), ~np.isclose(c_bad, c_ok)
    n_bad = int(bad_h.sum() + bad_c.sum())
    assert 0 < n_bad < 24
    message = app.state()["mine"]
    first = int(np.flatnonzero(bad_h | bad_c)[0]) + 1
    assert f"{n_bad} of 24 values of h_t and c_t from _no_forget_step differ" in message
    assert f"the first at t = {first}" in message and "largest error" in message
    worst = int(np.argmax(np.abs(c_bad - c_ok)))
    assert f"at c_{worst + 1}" in message          # without forgetting, the cell is worst
    steps = np.flatnonzero(bad_h | bad_c) + 1
    np.testing.assert_array_equal(app.my_marks.get_xdata(), steps)
    np.testing.assert_allclose(app.line_my_c.get_ydata()[1:], c_bad)
    np.testing.assert_allclose(app.line_c.get_ydata()[1:], c_ok)   # dlcore's stays drawn


def test_gate_explorer_mine_raising_step_is_shown_and_the_widget_keeps_working():
    def broken(x, h, c, w_x, w_h, b):
        return h[3], c

    app = dl.widgets.lstm_gate_explorer(mine=broken)
    message = app.state()["mine"]
    assert "broken raised IndexError" in message and "step t = 1: x_t = 1, h = 0.5" in message
    assert app.mine_trace is None and len(app.line_my_h.get_xdata()) == 0
    app.controls["b1"].value = 2.0                       # still answers its controls
    assert app.gate_lines[1].get_ydata()[0] == pytest.approx(_sigma(0.75 + 2.0))
    assert "broken raised IndexError" in app.state()["mine"]


def test_gate_explorer_mine_blank_none_shape_and_not_a_function():
    def blank(x, h, c, w_x, w_h, b):
        raise NotImplementedError

    assert "not written yet" in dl.widgets.lstm_gate_explorer(mine=blank).state()["mine"]
    none = dl.widgets.lstm_gate_explorer(mine=lambda *args: None).state()["mine"]
    assert "not written yet (it returns None)" in none
    one = dl.widgets.lstm_gate_explorer(mine=lambda x, h, c, *w: h).state()["mine"]
    assert "should return 2 results (h, c)" in one
    shape = dl.widgets.lstm_gate_explorer(mine=lambda x, h, c, *w: (np.zeros(3), c))
    assert "returned shape (3,) for h" in shape.state()["mine"]
    with pytest.raises(TypeError, match="mine must be your LSTM step function"):
        dl.widgets.lstm_gate_explorer(mine=_my_lstm_step(np.ones(1), np.ones(1), np.ones(1),
                                                         np.ones(4), np.ones(4), np.ones(4)))
    assert "mine" not in dl.widgets.lstm_gate_explorer().state()


def test_gate_explorer_mine_gru_and_the_other_cell():
    def cho(x, h, w_x, w_h, b):                          # z and 1 - z swapped
        r = _sigma(w_x[0] * x + w_h[0] * h + b[0])
        z = _sigma(w_x[1] * x + w_h[1] * h + b[1])
        n = np.tanh(w_x[2] * x + b[2] + r * (w_h[2] * h))
        return (1 - z) * h + z * n

    app = dl.widgets.lstm_gate_explorer(preset=_GRU_WORKED, mine=_my_lstm_step,
                                        mine_gru=_my_gru_step)
    assert "all 12 values of h_t match dlcore's GRU step" in app.state()["mine"]
    assert app.line_my_h.get_ydata()[1] == pytest.approx(0.527220, abs=1e-6)
    app = dl.widgets.lstm_gate_explorer(preset=_GRU_WORKED, mine_gru=cho)
    assert "12 of 12 values of h_t from cho differ" in app.state()["mine"]
    assert app.line_my_h.get_ydata()[1] == pytest.approx(0.557625, abs=1e-6)  # Cho's form
    app.controls["preset"].value = "leaky memory (LSTM, forget bias 0)"
    assert "cho is a GRU step" in app.state()["mine"] and app.mine_trace is None
    only_lstm = dl.widgets.lstm_gate_explorer(preset=_GRU_WORKED, mine=_my_lstm_step)
    assert "_my_lstm_step is an LSTM step" in only_lstm.state()["mine"]
    assert "mine_gru=my_gru_step" in only_lstm.state()["mine"]


def test_gate_explorer_mine_fits_and_blits():
    app = dl.widgets.lstm_gate_explorer(mine=_no_forget_step, preset=_KEEP_ERASE)
    for width in (848, 400):
        app.fit(width)
        app.fig.canvas.draw()
        w, _ = app.fig.get_size_inches() * app.fig.dpi
        assert w <= width - 12 + 0.5
    app.fit(848)
    full, modes = blit_modes(app, [lambda v=v: setattr(app.controls["b1"], "value", v)
                                   for v in (4.1, 4.0, 4.1)])
    assert not full and modes == ["full"] * 3
