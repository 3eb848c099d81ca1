"""Headless tests of the lecture-8 widgets: init, regularisation, learning rate, dropout, BN.

Expected values come from the syllabus (L08), from formulas written out here, or from the
dlcore experiments the widgets are meant to show (``dlcore.viz.training``).  Training runs
are kept to a few epochs.
"""

import numpy as np
import pytest

from dlcore.data import spirals_prepared
from dlcore.nn import class_grid, layer_activations, lr_trial, regularization_trial
from dlcore.widgets.training_tips import (
    batchnorm_explorer,
    dropout_explorer,
    init_explorer,
    learning_rate_explorer,
    regularization_explorer,
)
from tests.widget_helpers import blits_after_warming

pytestmark = pytest.mark.lec08


# init_explorer -------------------------------------------------------------------------------


def test_init_explorer_tiny_weights_collapse():
    app = init_explorer(width=64, n=100)
    expected = layer_activations("tanh", width=64, n=100, scheme="normal", std=0.01, rng=0)
    for step, a in zip(app.steps, expected.post):
        values, edges = step.get_data()[:2]
        np.testing.assert_allclose(values, np.histogram(a, bins=edges)[0] / a.size)
    stds = expected.std()
    # each layer multiplies the std by about 0.01 * sqrt(64) = 0.08
    assert np.all(np.diff(stds) < 0) and stds[-1] < 1e-3 * stds[0]
    assert f"{stds[-1]:.3g}" in app.state()["act"]


def test_init_explorer_presets_set_the_slider():
    app = init_explorer(width=64, n=100)
    assert not app.controls["std"].disabled
    app.controls["preset"].value = "Xavier normal"
    assert app.controls["std"].value == pytest.approx(np.sqrt(2 / (64 + 64)))
    assert app.controls["std"].disabled
    app.controls["preset"].value = "He normal"
    assert app.controls["std"].value == pytest.approx(np.sqrt(2 / 64))
    app.controls["activation"].value = "relu"
    stds = app.stats().std()
    assert 0.5 < stds[-1] / stds[0] < 2  # He keeps ReLU activations at one scale
    app.controls["preset"].value = "zeros"
    for step in app.steps:
        values, edges = step.get_data()[:2]
        assert values.sum() == pytest.approx(1.0)
        assert values[np.searchsorted(edges, 0.0, side="right") - 1] == pytest.approx(1.0)
    assert app.state()["grad"].endswith("0, 0, 0, 0, 0")


def test_init_explorer_custom_std_slider():
    app = init_explorer(width=64, n=100, activation="tanh")
    app.controls["std"].value = 1.0
    s = app.stats()
    assert np.mean(np.abs(s.post[-1]) > 0.9) > 0.5  # large weights saturate tanh
    assert "std 1" in app.summary


def test_init_explorer_bad_presets():
    with pytest.raises(ValueError, match="preset must be one of"):
        init_explorer(preset="lecun")
    with pytest.raises(ValueError, match="> 0"):
        init_explorer(std=0.0)
    with pytest.raises(ValueError, match=r"\[1e-4, 10\]"):
        init_explorer(std=100.0)
    with pytest.raises(ValueError, match=r"\[1, 8\]"):
        init_explorer(depth=12)


# regularization_explorer ---------------------------------------------------------------------


def test_regularization_explorer_shows_the_trial():
    app = regularization_explorer(width=16, lam=0.0, num_epochs=30)
    model, history = regularization_trial(width=16, lam=0.0, num_epochs=30)
    np.testing.assert_allclose(app.train_line.get_ydata(), history.train_loss)
    np.testing.assert_allclose(app.val_line.get_ydata(), history.val_loss)
    X, _, X_val, _ = spirals_prepared()
    labels, extent = class_grid(model, np.vstack([X, X_val]), resolution=100)
    np.testing.assert_array_equal(app.regions.get_array(), labels)
    assert tuple(app.regions.get_extent()) == pytest.approx(extent)
    assert "penalty" in app.state()["acc"]


def test_regularization_explorer_changes_and_caches():
    app = regularization_explorer(width=16, lam=0.0, num_epochs=30)
    app.controls["lam"].value = 0.1
    _, history = regularization_trial(width=16, lam=0.1, num_epochs=30)
    np.testing.assert_allclose(app.train_line.get_ydata(), history.train_loss)
    assert "λ = 0.1" in app.summary
    model, _ = app.trial()
    weights = [p.data for n, p in model.named_parameters() if n.endswith("weight")]
    penalty = 0.05 * sum(float(np.sum(w * w)) for w in weights)
    assert f"{penalty:.4f}" in app.state()["acc"]
    app.controls["width"].value = 2
    assert len(app._cache) == 3
    app.controls["width"].value = 16
    assert len(app._cache) == 3


def test_regularization_explorer_bad_presets():
    with pytest.raises(ValueError, match="width must be one of"):
        regularization_explorer(width=5)
    with pytest.raises(ValueError, match="lam must be one of"):
        regularization_explorer(lam=0.5)
    with pytest.raises(ValueError, match=">= 2"):
        regularization_explorer(num_epochs=1)


# learning_rate_explorer ----------------------------------------------------------------------


def test_learning_rate_explorer_flat_good_and_nan():
    app = learning_rate_explorer(lr=1e-6, num_epochs=20)
    assert "flat" in app.state()["verdict"]
    history = lr_trial(1e-6, num_epochs=20)
    np.testing.assert_allclose(app.train_line.get_ydata(), history.train_loss)
    app.controls["lr"].value = 0.1
    assert "good" in app.state()["verdict"]
    assert len(app.cross.get_xdata()) == 0
    app.controls["lr"].value = 10.0
    assert "diverged" in app.state()["verdict"]
    assert "NaN" in app.note.get_text()
    assert len(app.cross.get_xdata()) == 1
    assert max(app.train_line.get_ydata()) <= 1e6  # drawn losses are capped
    assert "diverged" in app.summary


def test_learning_rate_explorer_bad_presets():
    with pytest.raises(ValueError, match=r"\[1e-6, 10\]"):
        learning_rate_explorer(lr=100.0)
    with pytest.raises(ValueError, match="> 0"):
        learning_rate_explorer(lr=0.0)


# dropout_explorer ----------------------------------------------------------------------------


def test_dropout_explorer_monte_carlo_means():
    app = dropout_explorer(p=0.5, n_samples=100_000)
    h = app.h
    p = 0.5
    se = h * np.sqrt(p / (1 - p)) / np.sqrt(100_000)  # std of h m / (1 - p), over sqrt(S)
    np.testing.assert_array_equal(app.eval_line.get_ydata(), h)
    assert np.all(np.abs(app.inv_line.get_ydata() - h) < 5 * se)
    assert np.all(np.abs(app.keep_line.get_ydata() - (1 - p) * h) < 5 * se * (1 - p))
    np.testing.assert_allclose(app.keep_test.get_ydata(), (1 - p) * h)
    assert "2^10 = 1,024 thinned networks" in app.state()["keep"]


def test_dropout_explorer_masks_and_resampling():
    app = dropout_explorer(p=0.2, n_samples=10_000)
    _, _, mask, _ = app.sample()
    assert abs(1 - mask.mean() - 0.2) < 0.02
    assert "keep probability is 0.80" in app.state()["keep"]
    before = np.array(app.image.get_array())
    app.controls["resample"].click()
    assert app.draws == 1
    assert not np.array_equal(before, np.array(app.image.get_array()))
    app.controls["p"].value = 0.0
    np.testing.assert_array_equal(app.image.get_array(), 1.0)
    np.testing.assert_allclose(app.inv_line.get_ydata(), app.h)


# dropout_explorer(mine=...): the learner's inverted dropout on the same masks ------------------

def _my_dropout_forward(x, mask, keep_prob):
    return x * mask / keep_prob


def test_dropout_explorer_with_a_correct_function_matches_every_output():
    app = dropout_explorer(p=0.3, n_samples=500, mine=_my_dropout_forward)
    assert app.mismatch is not None and not app.mismatch.any()
    assert "all 5000 outputs match dl.layers.dropout_forward" in app.state()["mine"]
    assert app.mine_marks.get_xydata().size == 0
    _, _, mask, _ = app.sample()
    np.testing.assert_allclose(app.mine_line.get_ydata(), (app.h * mask / 0.7).mean(axis=0))


def test_dropout_explorer_marks_the_outputs_a_wrong_function_gets_wrong():
    def unscaled(x, mask, keep_prob):  # the slides' original dropout: no 1 / keep_prob
        return x * mask

    app = dropout_explorer(p=0.5, n_samples=200, n_show=12, mine=unscaled)
    _, _, mask, _ = app.sample()
    expected_bad = mask > 0  # a kept unit is worth h, not 2 h; a dropped one is 0 either way
    np.testing.assert_array_equal(app.mismatch, expected_bad)
    state = app.state()["mine"]
    assert f"{int(expected_bad.sum())} of 2000 outputs differ" in state
    assert "largest error" in state and "a red × on the masks shown" in state
    rows, cols = np.nonzero(expected_bad[:12])
    np.testing.assert_array_equal(app.mine_marks.get_xydata(), np.column_stack([cols, rows]))
    np.testing.assert_allclose(app.mine_line.get_ydata(), (app.h * mask).mean(axis=0))
    app.controls["p"].value = 0.0  # nothing dropped: keep_prob = 1, the slip is invisible
    assert not app.mismatch.any()


def test_dropout_explorer_shows_the_learners_error_and_keeps_working():
    def broken(x, mask, keep_prob):
        return x * mask / (keep_prob - 0.5) if keep_prob > 0.6 else x[:, :3]

    def blank(x, mask, keep_prob):
        raise NotImplementedError  # your code here

    app = dropout_explorer(p=0.5, n_samples=100, mine=broken)
    assert "returned shape (100, 3)" in app.state()["mine"] and app.mismatch is None
    _, out, _, _ = app.sample()
    np.testing.assert_allclose(app.mine_line.get_ydata(), out.mean(axis=0))  # dlcore's
    app.controls["p"].value = 0.2  # still answers its controls
    assert "of 1000 outputs differ" in app.state()["mine"]

    def raising(x, mask, keep_prob):
        raise ZeroDivisionError("keep_prob")

    state = dropout_explorer(mine=raising).state()["mine"]
    assert "raised ZeroDivisionError: keep_prob" in state and "keep_prob = 0.50" in state
    assert "not written yet" in dropout_explorer(mine=blank).state()["mine"]
    assert "not written yet" in dropout_explorer(mine=lambda x, m, k: None).state()["mine"]
    with pytest.raises(TypeError, match="mine must be your inverted-dropout function"):
        dropout_explorer(mine="x * mask")


def test_dropout_explorer_bad_presets():
    with pytest.raises(ValueError, match=r"\[0, 0.9\]"):
        dropout_explorer(p=1.0)
    with pytest.raises(TypeError, match="real number"):
        dropout_explorer(p="half")
    with pytest.raises(ValueError, match=">= 1"):
        dropout_explorer(n_units=0)


# batchnorm_explorer --------------------------------------------------------------------------


def test_batchnorm_explorer_training_mode_mean_beta_std_gamma():
    app = batchnorm_explorer()
    app.controls["gamma"].value = 2.0
    app.controls["beta"].value = 1.0
    z = app.z
    expected = 2.0 * (z - z.mean()) / np.sqrt(z.var() + 1e-5) + 1.0
    values, edges = app.step.get_data()[:2]
    np.testing.assert_allclose(values, np.histogram(expected, bins=edges)[0] / z.size)
    assert app.mean_line.get_xdata()[0] == pytest.approx(1.0)
    assert "output mean 1.000, std 2.000" in app.state()["out"]
    assert app.beta_line.get_xdata()[0] == 1.0


def test_batchnorm_explorer_eval_mode_uses_running_stats():
    app = batchnorm_explorer(training=False, warmup=0)
    z = app.z
    np.testing.assert_allclose(app.output(), z / np.sqrt(1 + 1e-5))
    assert "running mean 0.000" in app.state()["stats"]
    app.controls["warmup"].value = 100
    mean, var = app.running[100]
    assert abs(mean[0] - 3.0) < 0.3 and abs(var[0] - 4.0) < 1.0  # the data is N(3, 2^2)
    np.testing.assert_allclose(app.output(), (z - mean) / np.sqrt(var + 1e-5))


def test_batchnorm_explorer_bad_presets():
    with pytest.raises(ValueError, match=r"\[0.1, 3\]"):
        batchnorm_explorer(gamma=0.0)
    with pytest.raises(TypeError, match="True or False"):
        batchnorm_explorer(training="yes")
    with pytest.raises(ValueError, match=r"\[0, 100\]"):
        batchnorm_explorer(warmup=101)


# in the browser: disabled controls, fit, blitting (issue 10) ---------------------------------


def test_init_explorer_std_slider_says_why_it_is_disabled():
    app = init_explorer(width=64, n=100)
    std = app.controls["std"]
    assert std.description == "weight std σ"           # no "(custom)": the state says it
    assert not std.disabled and "N(0, σ²)" in std.tooltip
    app.controls["preset"].value = "Xavier normal"
    assert std.disabled and "sets σ itself (σ = 0.125" in std.tooltip
    assert "custom std (slider)" in std.tooltip
    app.controls["preset"].value = "zeros"
    assert std.disabled and "every weight to 0" in std.tooltip
    app.controls["preset"].value = "custom std (slider)"
    assert not std.disabled and "N(0, σ²)" in std.tooltip
    assert std._dl_display.children[1].value == "0.12"  # a human readout, not 1.25e-1


def _grid_shape(app):
    specs = [ax.get_subplotspec() for ax in app.axes]
    rows = {s.rowspan.start for s in specs}
    cols = {s.colspan.start for s in specs}
    return len(rows), len(cols)


def test_init_explorer_panels_form_a_grid_that_fits():
    app = init_explorer(width=64, n=100)
    for width, shape in ((848, (2, 3)), (800, (2, 3)), (1488, (1, 5)), (420, (3, 2))):
        app.fit(width)
        assert _grid_shape(app) == shape, width
        w, h = app.fig.get_size_inches() * app.fig.dpi
        assert w <= width - 12 + 0.5 and h <= 560, (width, w, h)
        cols = shape[1]
        for i, ax in enumerate(app.axes):   # the first panel of each row names the y axis
            assert bool(ax.get_ylabel()) == (i % cols == 0)
    app.fit(848)
    app.fig.canvas.draw()
    renderer = app.fig.canvas.get_renderer()
    boxes = [ax.get_tightbbox(renderer) for ax in app.axes]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_training_tips_sliders_blit():
    app = init_explorer(width=64, n=100)
    assert blits_after_warming(app, app.controls["std"], 0.0112, 0.01)
    app = dropout_explorer()
    assert blits_after_warming(app, app.controls["p"], 0.55, 0.5)
    assert blits_after_warming(app, app.controls["samples"], 1122.0, 1000.0)
    app = batchnorm_explorer()
    for key, up, down in (("gamma", 1.05, 1.0), ("beta", 0.05, 0.0)):
        assert blits_after_warming(app, app.controls[key], up, down), key
    app.controls["training"].value = False
    for key, up, down in (("gamma", 1.05, 1.0), ("warmup", 41, 40)):
        assert blits_after_warming(app, app.controls[key], up, down), key
    app = learning_rate_explorer(lr=0.1, num_epochs=3)
    assert blits_after_warming(app, app.controls["lr"], 0.112, 0.1)
    app = regularization_explorer(width=16, lam=0.0, num_epochs=20)
    assert blits_after_warming(app, app.controls["lam"], 1e-4, 0.0)


def test_batchnorm_output_axis_stays_put_and_holds_every_output():
    app = batchnorm_explorer()
    xlim = app.ax_out.get_xlim()
    for gamma, beta in ((0.1, -3.0), (3.0, 3.0), (3.0, -3.0), (0.1, 3.0)):
        app.controls["gamma"].value = gamma
        app.controls["beta"].value = beta
        out = app.output()
        assert app.ax_out.get_xlim() == xlim                  # the histogram moves, not the axis
        assert xlim[0] <= out.min() and out.max() <= xlim[1]
        values, edges = app.step.get_data()[:2]
        assert values.sum() == pytest.approx(1.0)             # no value falls outside the bins
    assert np.diff(edges) == pytest.approx(0.4)              # bins as wide as the input's
    app.controls["training"].value = False
    app.controls["warmup"].value = 0                          # running stats (0, 1): unnormalised
    out = app.output()
    lo, hi = app.ax_out.get_xlim()
    assert lo <= out.min() and out.max() <= hi
    # β (wide, under) and the output mean (dashed, over) stay visible when they coincide
    assert app.beta_line.get_linewidth() > app.mean_line.get_linewidth()
    assert app.beta_line.get_zorder() < app.mean_line.get_zorder()


def test_legends_sit_outside_the_moving_data():
    for app, ax in ((dropout_explorer(), "ax_v"), (batchnorm_explorer(), "ax_out"),
                    (regularization_explorer(width=16, num_epochs=20), "ax_c")):
        legend = getattr(app, ax).get_legend()
        assert legend._loc == 9 and legend.get_bbox_to_anchor().y0 < \
            getattr(app, ax).bbox.y0                          # upper center, under the axes
        assert min(t.get_fontsize() for t in legend.get_texts()) >= 7.5


def test_regularization_sliders_leave_their_track_room():
    from dlcore.widgets._base import text_width

    app = regularization_explorer(width=16, num_epochs=20)
    for control in app.controls.values():
        width = int(control.layout.width[:-2])
        assert width >= text_width(control.description) + 150


def test_controls_without_effect_are_disabled_with_a_reason():
    app = batchnorm_explorer(training=True)
    warmup = app.controls["warmup"]
    assert warmup.disabled and "evaluation mode" in warmup.tooltip
    app.controls["training"].value = False
    assert not warmup.disabled and "running statistics" in warmup.tooltip
    app.controls["training"].value = True
    assert warmup.disabled
    app = dropout_explorer(p=0.5)
    samples, resample = app.controls["samples"], app.controls["resample"]
    assert not samples.disabled and not resample.disabled
    app.controls["p"].value = 0.0
    assert samples.disabled and resample.disabled and "p = 0" in samples.tooltip
    assert "p = 0" in resample.tooltip
    app.controls["p"].value = 0.1
    assert not samples.disabled and resample.tooltip == "sample a fresh set of masks"


def test_figures_have_whole_pixel_sizes():
    # 836 x 334.4 px: the browser scaled the 334 px bitmap to 334.4 px and blurred it
    for app in (init_explorer(width=64, n=100), dropout_explorer(), batchnorm_explorer(),
                learning_rate_explorer(num_epochs=3),
                regularization_explorer(width=16, num_epochs=20)):
        for width in (848, 800, 1488, 420):
            app.fit(width)
            size = app.fig.get_size_inches() * app.fig.dpi
            np.testing.assert_allclose(size, np.round(size), atol=1e-6)
