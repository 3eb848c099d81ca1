"""Headless tests of the lecture-7 widgets: activation explorer, losses, softmax, histograms.

Expected values come from the syllabus (section 3, L07), from numpy formulas written out here,
or from the dlcore functions the widgets are meant to call.
"""

import numpy as np
import pytest

import dlcore as dl
from dlcore.nn import layer_activations
from dlcore.widgets.activations import (
    activation_explorer,
    activation_histograms,
    loss_explorer,
    softmax_temperature,
)
from tests.test_widgets_mlp import redraw_matches_full_draw

pytestmark = pytest.mark.lec07


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))



# activation_explorer -------------------------------------------------------------------------


def test_activation_explorer_sigmoid_at_two():
    app = activation_explorer()
    z = app.line_f.get_xdata()
    np.testing.assert_allclose(app.line_f.get_ydata(), _sigmoid(z), atol=1e-12)
    np.testing.assert_allclose(app.line_d.get_ydata(), _sigmoid(z) * (1 - _sigmoid(z)),
                               atol=1e-12)
    assert app.dot_f.get_ydata()[0] == pytest.approx(0.880797, abs=1e-6)
    assert "f(2.00) = 0.880797" in app.state()["values"]
    assert app.line_d.get_ydata().max() <= 0.25
    assert "sigmoid" in app.summary


def test_activation_explorer_tanh_numbers_and_identity():
    app = activation_explorer()
    app.controls["activation"].value = "tanh"
    state = app.state()
    assert "f(2.00) = 0.964028" in state["values"]
    assert "f'(2.00) = 0.070651" in state["values"]
    np.testing.assert_allclose(app.line_f.get_ydata(), np.tanh(app.line_f.get_xdata()),
                               atol=1e-12)
    assert not app.ident.get_visible()
    app.controls["identity"].value = True
    assert app.ident.get_visible()
    np.testing.assert_allclose(app.ident.get_ydata(), app.line_f.get_ydata(), atol=1e-12)


def test_activation_explorer_legend_lists_the_overlay_only_when_shown():
    app = activation_explorer()
    labels = [t.get_text() for t in app.ax_f.get_legend().get_texts()]
    assert labels == ["f(z)"]
    app.controls["identity"].value = True
    labels = [t.get_text() for t in app.ax_f.get_legend().get_texts()]
    assert labels == ["f(z)", "2σ(2z) − 1"]


def test_activation_explorer_z_moves_only_the_dots():
    app = activation_explorer()
    assert app._dynamic == [app.dot_f, app.dot_d]
    assert redraw_matches_full_draw(app, ("z", 1.0), ("z", -3.5)) == 0
    # another function redraws the curves (a blit would keep the old ones)
    assert redraw_matches_full_draw(app, ("activation", "relu"), ("z", 0.5),
                                    ("identity", True)) == 2


def test_activation_explorer_relu_and_leaky_slopes():
    app = activation_explorer(activation="relu", z=-1.0)
    z = app.line_d.get_xdata()
    np.testing.assert_array_equal(app.line_d.get_ydata(), (z > 0).astype(float))
    app.controls["activation"].value = "leaky_relu"
    d = app.line_d.get_ydata()
    assert np.all(d[z < 0] == pytest.approx(0.1)) and np.all(d[z > 0] == 1.0)
    assert app.dot_f.get_ydata()[0] == pytest.approx(-0.1)


def test_activation_explorer_learner_function():
    def swish(z):
        return z * _sigmoid(z)

    app = activation_explorer(activation="swish", extra={"swish": swish})
    z = app.line_d.get_xdata()
    s = _sigmoid(z)
    np.testing.assert_allclose(app.line_d.get_ydata(), s + z * s * (1 - s), atol=1e-6)
    assert "derivative by central differences" in app.state()["facts"]
    app2 = activation_explorer(activation="sq", extra={"sq": (np.square, lambda z: 2 * z)})
    np.testing.assert_allclose(app2.line_d.get_ydata(), 2 * app2.line_d.get_xdata())


def test_activation_explorer_bad_presets():
    with pytest.raises(ValueError, match="activation must be one of"):
        activation_explorer(activation="softplus")
    with pytest.raises(ValueError, match=r"\[-6, 6\]"):
        activation_explorer(z=10.0)
    with pytest.raises(TypeError, match="dict"):
        activation_explorer(extra=[np.tanh])
    with pytest.raises(TypeError, match="function of an array"):
        activation_explorer(extra={"bad": 3})
    with pytest.raises(ValueError, match="shape of z"):
        activation_explorer(extra={"const": lambda z: 1.0})


# loss_explorer -------------------------------------------------------------------------------


def test_loss_explorer_reproduces_the_worked_example():
    app = loss_explorer()
    text = app.state()["values"]
    for part in ("L1 = 0.7,", "L2 = 0.49,", "hinge = 0.7,", "0-1 = 0,"):
        assert part in text
    dots = app.dots.get_offsets()
    np.testing.assert_allclose(dots[:4, 1], [0.7, 0.49, 0.7, 0.0], atol=1e-12)
    assert np.all(dots[:, 0] == pytest.approx(0.3))
    app.controls["reading"].value = 0.5  # the probability reading
    assert "0-1 = 1," in app.state()["values"]
    hinge_curve = app.lines["hinge"].get_ydata().copy()
    app.controls["y_hat"].value = 1.5  # a confident correct score: no hinge loss
    assert "hinge = 0," in app.state()["values"] and "L2 = 0.25," in app.state()["values"]
    np.testing.assert_array_equal(app.lines["hinge"].get_ydata(), hinge_curve)
    assert app.vline.get_xdata()[0] == 1.5


def test_loss_explorer_overlaps_stay_visible_and_redraws_are_cheap():
    app = loss_explorer()
    assert app.lines["hinge"].get_linestyle() == "--"  # over L1 (y_hat < 1) and 0-1 (> 1)
    sizes = app.dots.get_sizes()
    assert np.all(np.diff(sizes) < 0)  # equal losses show as a ring around a dot
    legend = app.ax.get_legend()
    assert legend.get_bbox_to_anchor().x0 > app.ax.bbox.x1 - 1  # beside the plot
    assert redraw_matches_full_draw(app, ("y_hat", 1.5), ("y_hat", -0.4)) == 0
    assert redraw_matches_full_draw(app, ("y", -1), ("reading", 0.5), ("y_hat", 0.2)) == 2


def test_loss_explorer_curves_follow_the_formulas():
    app = loss_explorer(y=-1)
    y_hat = app.lines["hinge"].get_xdata()
    np.testing.assert_allclose(app.lines["hinge"].get_ydata(), np.maximum(0, 1 + y_hat))
    np.testing.assert_allclose(app.lines["L1"].get_ydata(), np.abs(y_hat + 1))
    np.testing.assert_allclose(app.lines["L2"].get_ydata(), (y_hat + 1) ** 2)
    np.testing.assert_allclose(app.lines["logistic"].get_ydata(), np.log1p(np.exp(y_hat)))
    np.testing.assert_array_equal(app.lines["0-1"].get_ydata(), (y_hat >= 0).astype(float))
    app.controls["y"].value = 1
    np.testing.assert_allclose(app.lines["hinge"].get_ydata(), np.maximum(0, 1 - y_hat))
    assert "+1" in app.ax.get_title()


def test_loss_explorer_learner_loss():
    app = loss_explorer(extra={"half squared": dl.losses.squared_error})
    y_hat = app.lines["half squared"].get_xdata()
    np.testing.assert_allclose(app.lines["half squared"].get_ydata(), 0.5 * (y_hat - 1) ** 2)
    assert "half squared = 0.245" in app.state()["values"]


def test_loss_explorer_bad_presets():
    with pytest.raises(ValueError, match=r"\{-1, \+1\}"):
        loss_explorer(y=0)
    with pytest.raises(ValueError, match="0.0 .*or 0.5"):
        loss_explorer(threshold=0.3)
    with pytest.raises(TypeError, match="loss\\(y_hat, y\\)"):
        loss_explorer(extra={"x": 2.0})


# softmax_temperature -------------------------------------------------------------------------


def _heights(app):
    return np.array([bar.get_height() for bar in app.bars])


def test_softmax_temperature_worked_example():
    app = softmax_temperature()
    np.testing.assert_allclose(_heights(app), [0.659001, 0.242433, 0.098566], atol=1e-6)
    assert "0.417030" in app.state()["loss"]
    assert app.labels[0].get_text() == "0.659"


def test_softmax_temperature_and_shift():
    app = softmax_temperature()
    z = np.array([2.0, 1.0, 0.1])
    app.controls["temperature"].value = 2.0
    e = np.exp(z / 2.0)
    np.testing.assert_allclose(_heights(app), e / e.sum(), atol=1e-12)
    app.controls["shift"].value = 1000.0
    np.testing.assert_allclose(_heights(app), e / e.sum(), atol=1e-12)
    assert "stays finite" in app.state()["naive"]  # exp(1002 / 2) still fits in a float
    app.controls["temperature"].value = 1.0
    np.testing.assert_allclose(_heights(app), [0.659001, 0.242433, 0.098566], atol=1e-6)
    assert "overflows" in app.state()["naive"]  # exp(1002) does not
    app.controls["temperature"].value = 2.0
    app.controls["target"].value = 2
    assert f"{-np.log(e[2] / e.sum()):.6f}" in app.state()["loss"]
    app.controls["temperature"].value = 0.05
    assert _heights(app)[0] > 0.999


def test_softmax_temperature_keys_reach_t_equal_one():
    app = softmax_temperature(temperature=0.5)
    t = app.controls["temperature"]
    # arrow keys move the exponent by 0.05 from the minimum: 1 is on that grid
    assert t.min == -1.3 and (0 - t.min) / t.step == pytest.approx(26)
    app.controls["temperature"].value = 10 ** (t.min + 26 * t.step)
    assert app.ax.get_title().endswith("T = 1")
    np.testing.assert_allclose(_heights(app), [0.659001, 0.242433, 0.098566], atol=1e-6)
    app.controls["temperature"].value = 0.0998
    assert app.ax.get_title().endswith("T = 0.1")  # never 0.0998 or 9.98e-2
    assert redraw_matches_full_draw(app, ("temperature", 3.0), ("shift", 200.0),
                                    ("target", 1)) == 0


def test_softmax_temperature_bad_presets():
    with pytest.raises(ValueError, match=r"shape \(C,\)"):
        softmax_temperature(logits=[[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"\[0, 2\]"):
        softmax_temperature(target=3)
    with pytest.raises(ValueError, match="> 0"):
        softmax_temperature(temperature=0.0)


# softmax_temperature(mine=...): the learner's cross-entropy beside dlcore's -------------------


def _stable_ce(logits, targets):
    s = logits - logits.max(axis=1, keepdims=True)
    log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return float(-(targets * log_p).sum(axis=1).mean())


def _naive_ce(logits, targets):  # exp of the raw logits: overflows for large ones
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return float(-(targets * np.log(p)).sum(axis=1).mean())


def test_softmax_temperature_with_a_correct_cross_entropy():
    app = softmax_temperature(mine=_stable_ce)
    assert app.mismatch is False
    assert "matches dlcore's (0 of 1 values differ)" in app.state()["mine"]
    assert "0.417030;" in app.state()["loss"] and "≠" not in app.state()["loss"]
    app.controls["shift"].value = 1000.0
    app.controls["target"].value = 2
    e = np.exp(np.array([2.0, 1.0, 0.1]))
    assert f"{-np.log(e[2] / e.sum()):.6f};" in app.state()["loss"]
    assert app.mismatch is False
    assert "mine" not in softmax_temperature().state()


def test_softmax_temperature_marks_a_wrong_cross_entropy():
    app = softmax_temperature(mine=_naive_ce)
    assert app.mismatch is False  # small logits: the naive formula is right
    app.controls["shift"].value = 1000.0  # exp(1002) overflows
    assert app.mismatch is True
    state = app.state()
    assert "1 of 1 values differs" in state["mine"] and "yours nan" in state["mine"]
    assert "exp overflowed" in state["mine"]
    assert "nan≠0.417030" in state["loss"]

    def log10_ce(logits, targets):
        return _stable_ce(logits, targets) / np.log(10.0)

    app = softmax_temperature(mine=log10_ce)
    want = -np.log10(np.exp(2.0) / np.exp([2.0, 1.0, 0.1]).sum())
    assert f"{want:.6f}≠0.417030" in app.state()["loss"]
    assert "the error is 0.2359:" in app.state()["mine"]  # 0.417030 - 0.181114


def test_softmax_temperature_shows_an_error_in_the_learners_function():
    def broken(logits, targets):
        return logits[3]

    def blank(logits, targets):
        raise NotImplementedError

    app = softmax_temperature(mine=broken)
    assert "broken raised IndexError" in app.state()["mine"]
    assert "one-hot target for class 0" in app.state()["mine"]
    assert "0.417030;" in app.state()["loss"] and app.mismatch is None
    app.controls["temperature"].value = 2.0  # still answers its controls
    e = np.exp(np.array([2.0, 1.0, 0.1]) / 2.0)
    assert f"{-np.log(e[0] / e.sum()):.6f};" in app.state()["loss"]
    assert "not written yet" in softmax_temperature(mine=blank).state()["mine"]
    assert "not written yet" in softmax_temperature(mine=lambda z, t: None).state()["mine"]
    assert "returned shape (3,)" in \
        softmax_temperature(mine=lambda z, t: np.zeros(3)).state()["mine"]
    with pytest.raises(TypeError, match="mine must be your cross-entropy function"):
        softmax_temperature(mine=0.4)


# activation_histograms -----------------------------------------------------------------------


def test_activation_histograms_match_the_layer_statistics():
    app = activation_histograms(width=50, n=200)
    expected = layer_activations("sigmoid", depth=5, width=50, n=200,
                                    scheme="xavier_normal", rng=0)
    for step, a in zip(app.steps, expected.post):
        values, edges = step.get_data()[:2]
        np.testing.assert_allclose(values, np.histogram(a, bins=edges)[0] / a.size)
        assert edges[0] == 0.0 and edges[-1] == 1.0  # the sigmoid's range
    app.controls["activation"].value = "tanh"
    expected = layer_activations("tanh", depth=5, width=50, n=200, scheme="xavier_normal",
                                    rng=0)
    values, edges = app.steps[2].get_data()[:2]
    np.testing.assert_allclose(values, np.histogram(expected.post[2], bins=edges)[0] / 200 / 50)
    assert f"{np.std(expected.post[0]):.3g}" in app.state()["std"]


def test_activation_histograms_show_saturation_and_derivatives():
    app = activation_histograms(activation="tanh", init="N(0, 1): too large", width=50, n=100)
    saturated = app.state()["saturated"]
    assert "%" in saturated and not saturated.endswith("0%, 0%, 0%, 0%, 0%")
    app.controls["quantity"].value = "local_grad"
    values, edges = app.steps[0].get_data()[:2]
    assert edges[0] == 0.0 and edges[-1] == 1.0
    assert values[0] > 0.3  # most tanh units sit on a flat tail: f'(z) near 0
    app.controls["activation"].value = "relu"
    total = sum(s.get_data()[0].sum() for s in app.steps)
    assert total == pytest.approx(5.0)


def test_activation_histograms_tiny_stds_are_readable():
    app = activation_histograms(activation="tanh", init="N(0, 0.01²): too small", width=50,
                                n=100)
    std = app.state()["std"]
    assert "× 10⁻" in std and "e-" not in std


def test_activation_histograms_panels_in_rows_of_three():
    app = activation_histograms(width=20, n=50)
    assert len(app.axes) == 5 and len(app.fig.axes) == 6
    assert not app.fig.axes[5].get_visible()  # the spare cell
    app.fit(848)
    w, h = app.fig.get_size_inches() * app.fig.dpi
    assert w <= 836 and h <= 560  # five 170 px panels stacked in a column were 1,500 px
    assert [ax.get_ylabel() for ax in app.axes] == ["fraction of units", "", "",
                                                    "fraction of units", ""]
    one_row = activation_histograms(depth=3, width=20, n=50)
    assert len(one_row.fig.axes) == 3


def test_activation_histograms_bad_presets():
    with pytest.raises(ValueError, match="activation must be one of"):
        activation_histograms(activation="elu")
    with pytest.raises(ValueError, match=r"\[1, 8\]"):
        activation_histograms(depth=9)
    with pytest.raises(ValueError, match="init must be one of"):
        activation_histograms(init="orthogonal")
