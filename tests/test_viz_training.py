"""Plots and small experiments of lectures 7 and 8 (``dlcore.viz.activations``, ``viz.training``).

Run headless with the Agg backend (tests/conftest.py).  Expected values come from the syllabus,
from numpy formulas written out here, or from torch.
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import dlcore as dl
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
def test_activation_values_match_formulas_and_syllabus():
    z = np.linspace(-4, 4, 81)
    f, df = VA.activation_values("sigmoid", z)
    np.testing.assert_allclose(f, _sigmoid(z), atol=1e-14)
    np.testing.assert_allclose(df, _sigmoid(z) * (1 - _sigmoid(z)), atol=1e-14)
    f, df = VA.activation_values("tanh", np.array([2.0]))
    assert f[0] == pytest.approx(0.964028, abs=1e-6)
    assert df[0] == pytest.approx(0.070651, abs=1e-6)
    np.testing.assert_allclose(VA.activation_values("tanh", z)[0], 2 * _sigmoid(2 * z) - 1,
                               atol=1e-14)
    f, df = VA.activation_values("leaky_relu", z, negative_slope=0.2)
    np.testing.assert_allclose(f, np.where(z > 0, z, 0.2 * z))
    np.testing.assert_allclose(df, np.where(z > 0, 1.0, 0.2))


@lec07
def test_activation_values_against_torch():
    torch = pytest.importorskip("torch")
    z = np.array([-2.5, -0.3, 0.7, 3.0])
    for name, fn in (("sigmoid", torch.sigmoid), ("tanh", torch.tanh), ("relu", torch.relu)):
        t = torch.tensor(z, requires_grad=True)
        fn(t).sum().backward()
        f, df = VA.activation_values(name, z)
        np.testing.assert_allclose(f, fn(torch.tensor(z)).numpy(), atol=1e-12)
        np.testing.assert_allclose(df, t.grad.numpy(), atol=1e-12)


@lec07
def test_pointwise_losses_worked_example_and_formulas():
    at = {name: VA.pointwise_loss(name, np.array([0.3]), 1)[0] for name in VA.LOSS_NAMES}
    assert at["L1"] == pytest.approx(0.7)
    assert at["L2"] == pytest.approx(0.49)
    assert at["hinge"] == pytest.approx(0.7)
    assert at["0-1"] == 0.0  # the score reading: sign(0.3) = +1 = y
    assert VA.pointwise_loss("0-1", np.array([0.3]), 1, threshold=0.5)[0] == 1.0
    y_hat = np.linspace(-2, 2, 41)
    np.testing.assert_allclose(VA.pointwise_loss("logistic", y_hat, -1), np.log1p(np.exp(y_hat)))
    np.testing.assert_allclose(VA.pointwise_loss("hinge", y_hat, -1), np.maximum(0, 1 + y_hat))


@lec07
def test_pointwise_loss_bad_input():
    with pytest.raises(ValueError, match="loss must be one of"):
        VA.pointwise_loss("huber", np.zeros(3), 1)
    with pytest.raises(ValueError, match=r"\{-1, \+1\}"):
        VA.pointwise_loss("L1", np.zeros(3), 0)
    with pytest.raises(ValueError, match=r"\(K,\)"):
        VA.pointwise_loss("L1", np.zeros((2, 2)), 1)
    with pytest.raises(ValueError, match="activation must be one of"):
        VA.activation_values("gelu", np.zeros(2))


@lec07
def test_layer_activations_records_every_layer():
    s = VA.layer_activations("tanh", depth=4, width=20, n=30, rng=1)
    assert s.depth == 4 and len(s.pre) == len(s.local_grad) == len(s.weight_grad_std) == 4
    for pre, post, d in zip(s.pre, s.post, s.local_grad):
        assert pre.shape == post.shape == (30, 20)
        np.testing.assert_allclose(post, np.tanh(pre), atol=1e-14)
        np.testing.assert_allclose(d, 1 - np.tanh(pre) ** 2, atol=1e-14)
    np.testing.assert_array_equal(s.std("post"), [np.std(a) for a in s.post])
    zeros = VA.layer_activations("sigmoid", depth=3, width=10, n=5, scheme="zeros")
    for post in zeros.post:
        np.testing.assert_array_equal(post, 0.5)  # sigma(0): every unit identical
    with pytest.raises(ValueError, match="scheme must be one of"):
        VA.layer_activations(scheme="lecun")
    with pytest.raises(ValueError, match=">= 1"):
        VA.layer_activations(depth=0)


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
    assert len(ax.get_legend().get_texts()) == len(VA.LOSS_NAMES) + 1
    ax = VA.plot_softmax([2.0, 1.0, 0.1])
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, [0.659001, 0.242433, 0.098566], atol=1e-6)
    fig = VA.plot_layer_histograms(VA.layer_activations("relu", depth=3, width=10, n=20))
    assert len(fig.axes) == 3 and fig.axes[0].get_ylabel() == "fraction of units"
    ax = VA.plot_logit_gradients()
    z, d_bce = ax.lines[1].get_data()
    np.testing.assert_allclose(d_bce, np.abs(_sigmoid(z) - 1), atol=1e-12)
    z, d_se = ax.lines[0].get_data()
    np.testing.assert_allclose(d_se, np.abs((_sigmoid(z) - 1) * _sigmoid(z) * (1 - _sigmoid(z))),
                               atol=1e-12)


# dlcore.viz.training -------------------------------------------------------------------------


@lec08
def test_split_and_standardize(rng):
    X = rng.normal(3.0, 2.0, size=(50, 3))
    X[:, 2] = 1.0  # a constant feature
    y = np.arange(50) % 2
    X_tr, y_tr, X_val, y_val = VT.split_train_val(X, y, 0.2, seed=0)
    assert X_tr.shape == (40, 3) and X_val.shape == (10, 3) and y_val.shape == (10,)
    assert sorted(np.concatenate([X_tr[:, 0], X_val[:, 0]])) == sorted(X[:, 0])
    S_tr, S_val = VT.standardize(X_tr, X_val)
    np.testing.assert_allclose(S_tr[:, :2].mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(S_tr[:, :2].std(axis=0), 1)
    np.testing.assert_array_equal(S_tr[:, 2], 0)
    mu, sd = X_tr[:, 0].mean(), X_tr[:, 0].std()
    np.testing.assert_allclose(S_val[:, 0], (X_val[:, 0] - mu) / sd)  # training statistics
    with pytest.raises(ValueError, match=r"shape \(N, 3\)"):
        VT.standardize(X_tr, np.zeros((4, 2)))
    with pytest.raises(ValueError, match="at least 1"):
        VT.split_train_val(X, y, 0.001)
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        VT.split_train_val(X, y, 1.5)


@lec08
def test_digits_prepared_is_the_recipe_split():
    X_tr, y_tr, X_val, y_val, X_test, y_test = VT.digits_prepared()
    assert X_tr.shape == (1078, 64) and X_val.shape == (269, 64) and X_test.shape == (450, 64)
    assert X_tr.shape[0] + X_val.shape[0] + X_test.shape[0] == 1797
    varying = X_tr.std(axis=0) > 0
    np.testing.assert_allclose(X_tr.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(X_tr.std(axis=0)[varying], 1)


@lec08
def test_loss_curve_verdicts():
    assert VT.loss_curve_verdict([2.3, 2.2999]) == "flat"
    assert VT.loss_curve_verdict([2.3, 2.0]) == "slow"
    assert VT.loss_curve_verdict([2.3, 0.1]) == "good"
    assert VT.loss_curve_verdict([2.3, 5.0]) == "unstable"
    assert VT.loss_curve_verdict([2.3, 1e30, np.nan]) == "diverged"
    with pytest.raises(ValueError, match="at least 2"):
        VT.loss_curve_verdict([1.0])


@lec08
def test_lr_trial_flat_and_diverged():
    flat = VT.lr_trial(1e-6, num_epochs=5)
    assert len(flat.train_loss) == 5 and not flat.diverged
    assert VT.loss_curve_verdict(flat) == "flat"
    # the slides' "1e6, what could go wrong?" in our range: lr = 10 overflows to NaN
    wild = VT.lr_trial(10.0, num_epochs=20)
    assert wild.diverged and np.isnan(wild.train_loss[-1])
    with pytest.raises(ValueError, match="> 0"):
        VT.lr_trial(0.0)


@lec08
def test_regularization_trial_and_class_grid():
    model, h = VT.regularization_trial(width=8, lam=1e-3, num_epochs=10)
    assert len(h.train_loss) == len(h.val_loss) == 10
    X, y, X_val, y_val = VT.spirals_prepared()
    assert X.shape == (60, 2) and X_val.shape == (300, 2)
    labels, extent = VT.class_grid(model, X, resolution=20)
    assert labels.shape == (20, 20)
    lo, hi = X.min(axis=0) - 0.3, X.max(axis=0) + 0.3
    assert extent == pytest.approx((lo[0], hi[0], lo[1], hi[1]))
    corner = np.array([[lo[0], lo[1]], [hi[0], hi[1]]])
    np.testing.assert_array_equal(dl.nn.predict(model, corner), [labels[0, 0], labels[-1, -1]])
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        VT.class_grid(model, np.zeros((5, 3)))
    with pytest.raises(ValueError, match=">= 0"):
        VT.regularization_trial(lam=-1.0)


@lec08
def test_training_plots_have_titles_labels_and_data():
    model, h = VT.regularization_trial(width=4, num_epochs=5)
    ax = VT.plot_history(h)
    assert ax.get_title() and ax.get_xlabel() == "epoch" and ax.get_ylabel()
    np.testing.assert_allclose(ax.lines[0].get_ydata(), h.train_loss)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), h.val_loss)
    runs = {1e-6: VT.lr_trial(1e-6, num_epochs=3), 10.0: VT.lr_trial(10.0, num_epochs=20)}
    ax = VT.plot_lr_curves(runs)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["lr = 1e-06: flat", "lr = 10: diverged"]
    assert max(ax.lines[1].get_ydata()) <= 1e6
    X, y, _, _ = VT.spirals_prepared()
    ax = VT.plot_class_regions(model, X, y)
    assert ax.get_title() and ax.get_xlabel() == "x1" and len(ax.images) == 1
    stats = {"std 0.01": VA.layer_activations("tanh", depth=3, width=16, n=20, scheme="normal"),
             "Xavier": VA.layer_activations("tanh", depth=3, width=16, n=20)}
    ax = VT.plot_layer_std(stats)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), stats["Xavier"].std())
    assert ax.get_yscale() == "log"
