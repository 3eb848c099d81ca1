"""Headless tests of the lecture-8 widgets: init, regularisation, learning rate, dropout, BN.

Expected values come from the syllabus (L08), from formulas written out here, or from the
dlcore experiments the widgets are meant to show (``dlcore.viz.training``).  Training runs
are kept to a few epochs.
"""

import numpy as np
import pytest

from dlcore.viz import activations as VA
from dlcore.viz import training as VT
from dlcore.widgets.training_tips import (
    batchnorm_explorer,
    dropout_explorer,
    init_explorer,
    learning_rate_explorer,
    regularization_explorer,
)

pytestmark = pytest.mark.lec08


# init_explorer -------------------------------------------------------------------------------


def test_init_explorer_tiny_weights_collapse():
    app = init_explorer(width=64, n=100)
    expected = VA.layer_activations("tanh", width=64, n=100, scheme="normal", std=0.01, rng=0)
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
    model, history = VT.regularization_trial(width=16, lam=0.0, num_epochs=30)
    np.testing.assert_allclose(app.train_line.get_ydata(), history.train_loss)
    np.testing.assert_allclose(app.val_line.get_ydata(), history.val_loss)
    X, _, X_val, _ = VT.spirals_prepared()
    labels, extent = VT.class_grid(model, np.vstack([X, X_val]), resolution=100)
    np.testing.assert_array_equal(app.regions.get_array(), labels)
    assert tuple(app.regions.get_extent()) == pytest.approx(extent)
    assert "penalty" in app.state()["acc"]


def test_regularization_explorer_changes_and_caches():
    app = regularization_explorer(width=16, lam=0.0, num_epochs=30)
    app.controls["lam"].value = 0.1
    _, history = VT.regularization_trial(width=16, lam=0.1, num_epochs=30)
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
    history = VT.lr_trial(1e-6, num_epochs=20)
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
