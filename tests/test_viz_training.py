"""Plots of lectures 7 and 8 (``dlcore.viz.activations``, ``viz.training``).

What they draw is computed, and tested, in the core: tests/test_activations.py,
tests/test_losses.py and tests/test_nn_experiments.py.

Run headless with the Agg backend (tests/conftest.py).  Expected values come from the syllabus,
from numpy formulas written out here, or from torch.
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import dlcore as dl
from dlcore.losses import LOSS_NAMES
from dlcore.viz import activations as VA
from dlcore.viz import training as VT

lec07, lec08 = pytest.mark.lec07, pytest.mark.lec08


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# dlcore.viz.activations ----------------------------------------------------------------------


@lec07
def test_activation_plots_have_titles_labels_and_data():
    ax = VA.plot_activations()
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    z, f = ax.lines[0].get_data()
    np.testing.assert_allclose(f, _sigmoid(z), atol=1e-14)
    ax = VA.plot_activations(names=("tanh",), derivative=True)
    z, d = ax.lines[0].get_data()
    np.testing.assert_allclose(d, 1 - np.tanh(z) ** 2, atol=1e-14)
    ax = VA.plot_losses(mark=0.3)
    assert len(ax.get_legend().get_texts()) == len(LOSS_NAMES) + 1
    ax = VA.plot_softmax([2.0, 1.0, 0.1])
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, [0.659001, 0.242433, 0.098566], atol=1e-6)
    fig = VA.plot_layer_histograms(dl.nn.layer_activations("relu", depth=3, width=10, n=20))
    assert len(fig.axes) == 3 and fig.axes[0].get_ylabel() == "fraction of units"
    ax = VA.plot_logit_gradients()
    z, d_bce = ax.lines[1].get_data()
    np.testing.assert_allclose(d_bce, np.abs(_sigmoid(z) - 1), atol=1e-12)
    z, d_se = ax.lines[0].get_data()
    np.testing.assert_allclose(d_se, np.abs((_sigmoid(z) - 1) * _sigmoid(z) * (1 - _sigmoid(z))),
                               atol=1e-12)


# dlcore.viz.training -------------------------------------------------------------------------


@lec08
def test_training_plots_have_titles_labels_and_data():
    model, h = dl.nn.regularization_trial(width=4, num_epochs=5)
    ax = VT.plot_history(h)
    assert ax.get_title() and ax.get_xlabel() == "epoch" and ax.get_ylabel()
    np.testing.assert_allclose(ax.lines[0].get_ydata(), h.train_loss)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), h.val_loss)
    runs = {1e-6: dl.nn.lr_trial(1e-6, num_epochs=3), 10.0: dl.nn.lr_trial(10.0, num_epochs=20)}
    ax = VT.plot_lr_curves(runs)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["lr = 1e-06: flat", "lr = 10: diverged"]
    assert max(ax.lines[1].get_ydata()) <= 1e6
    X, y, _, _ = dl.data.spirals_prepared()
    ax = VT.plot_class_regions(model, X, y)
    assert ax.get_title() and ax.get_xlabel() == "x1" and len(ax.images) == 1
    stats = {"std 0.01": dl.nn.layer_activations("tanh", depth=3, width=16, n=20, scheme="normal"),
             "Xavier": dl.nn.layer_activations("tanh", depth=3, width=16, n=20)}
    ax = VT.plot_layer_std(stats)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), stats["Xavier"].std())
    assert ax.get_yscale() == "log"
