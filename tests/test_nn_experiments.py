"""The small experiments of lectures 7 and 8 and their data (``dlcore.nn.experiments``,
``dlcore.data.prepared``), and the confusion matrix of lecture 12b (``dlcore.nn``).

Expected values come from numpy formulas written out here or from the definitions of the
recipe, never from the function under test.  Lecture 6's ``thin_chain_gradients`` is tested in
tests/test_engine_paths.py, lecture 14's ``recall_model`` in tests/test_widgets_gates.py.
"""

import numpy as np
import pytest

import dlcore as dl

lec07, lec08 = pytest.mark.lec07, pytest.mark.lec08


@lec07
def test_layer_activations_records_every_layer():
    s = dl.nn.layer_activations("tanh", depth=4, width=20, n=30, rng=1)
    assert s.depth == 4 and len(s.pre) == len(s.local_grad) == len(s.weight_grad_std) == 4
    for pre, post, d in zip(s.pre, s.post, s.local_grad):
        assert pre.shape == post.shape == (30, 20)
        np.testing.assert_allclose(post, np.tanh(pre), atol=1e-14)
        np.testing.assert_allclose(d, 1 - np.tanh(pre) ** 2, atol=1e-14)
    np.testing.assert_array_equal(s.std("post"), [np.std(a) for a in s.post])
    zeros = dl.nn.layer_activations("sigmoid", depth=3, width=10, n=5, scheme="zeros")
    for post in zeros.post:
        np.testing.assert_array_equal(post, 0.5)  # sigma(0): every unit identical
    with pytest.raises(ValueError, match="scheme must be one of"):
        dl.nn.layer_activations(scheme="lecun")
    with pytest.raises(ValueError, match=">= 1"):
        dl.nn.layer_activations(depth=0)


@lec08
def test_split_and_standardize(rng):
    X = rng.normal(3.0, 2.0, size=(50, 3))
    X[:, 2] = 1.0  # a constant feature
    y = np.arange(50) % 2
    X_tr, y_tr, X_val, y_val = dl.data.split_train_val(X, y, 0.2, seed=0)
    assert X_tr.shape == (40, 3) and X_val.shape == (10, 3) and y_val.shape == (10,)
    assert sorted(np.concatenate([X_tr[:, 0], X_val[:, 0]])) == sorted(X[:, 0])
    S_tr, S_val = dl.data.standardize(X_tr, X_val)
    np.testing.assert_allclose(S_tr[:, :2].mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(S_tr[:, :2].std(axis=0), 1)
    np.testing.assert_array_equal(S_tr[:, 2], 0)
    mu, sd = X_tr[:, 0].mean(), X_tr[:, 0].std()
    np.testing.assert_allclose(S_val[:, 0], (X_val[:, 0] - mu) / sd)  # training statistics
    with pytest.raises(ValueError, match=r"shape \(N, 3\)"):
        dl.data.standardize(X_tr, np.zeros((4, 2)))
    with pytest.raises(ValueError, match="at least 1"):
        dl.data.split_train_val(X, y, 0.001)
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        dl.data.split_train_val(X, y, 1.5)


@lec08
def test_digits_prepared_is_the_recipe_split():
    X_tr, y_tr, X_val, y_val, X_test, y_test = dl.data.digits_prepared()
    assert X_tr.shape == (1078, 64) and X_val.shape == (269, 64) and X_test.shape == (450, 64)
    assert X_tr.shape[0] + X_val.shape[0] + X_test.shape[0] == 1797
    varying = X_tr.std(axis=0) > 0
    np.testing.assert_allclose(X_tr.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(X_tr.std(axis=0)[varying], 1)


@lec08
def test_loss_curve_verdicts():
    assert dl.nn.loss_curve_verdict([2.3, 2.2999]) == "flat"
    assert dl.nn.loss_curve_verdict([2.3, 2.0]) == "slow"
    assert dl.nn.loss_curve_verdict([2.3, 0.1]) == "good"
    assert dl.nn.loss_curve_verdict([2.3, 5.0]) == "unstable"
    assert dl.nn.loss_curve_verdict([2.3, 1e30, np.nan]) == "diverged"
    with pytest.raises(ValueError, match="at least 2"):
        dl.nn.loss_curve_verdict([1.0])


@lec08
def test_lr_trial_flat_and_diverged():
    flat = dl.nn.lr_trial(1e-6, num_epochs=5)
    assert len(flat.train_loss) == 5 and not flat.diverged
    assert dl.nn.loss_curve_verdict(flat) == "flat"
    # the slides' "1e6, what could go wrong?" in our range: lr = 10 overflows to NaN
    wild = dl.nn.lr_trial(10.0, num_epochs=20)
    assert wild.diverged and np.isnan(wild.train_loss[-1])
    with pytest.raises(ValueError, match="> 0"):
        dl.nn.lr_trial(0.0)


@lec08
def test_regularization_trial_and_class_grid():
    model, h = dl.nn.regularization_trial(width=8, lam=1e-3, num_epochs=10)
    assert len(h.train_loss) == len(h.val_loss) == 10
    X, y, X_val, y_val = dl.data.spirals_prepared()
    assert X.shape == (60, 2) and X_val.shape == (300, 2)
    labels, extent = dl.nn.class_grid(model, X, resolution=20)
    assert labels.shape == (20, 20)
    lo, hi = X.min(axis=0) - 0.3, X.max(axis=0) + 0.3
    assert extent == pytest.approx((lo[0], hi[0], lo[1], hi[1]))
    corner = np.array([[lo[0], lo[1]], [hi[0], hi[1]]])
    np.testing.assert_array_equal(dl.nn.predict(model, corner), [labels[0, 0], labels[-1, -1]])
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        dl.nn.class_grid(model, np.zeros((5, 3)))
    with pytest.raises(ValueError, match=">= 0"):
        dl.nn.regularization_trial(lam=-1.0)


@pytest.mark.lec12
def test_confusion_matrix_counts():
    cm = dl.nn.confusion_matrix([0, 1, 2, 2, 1, 0], [0, 2, 2, 2, 1, 1])
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 1, 1], [0, 0, 2]])
    assert cm.dtype == np.int64
    assert dl.nn.confusion_matrix([0, 1], [1, 1], n_classes=4).shape == (4, 4)


@pytest.mark.lec12
def test_confusion_matrix_bad_input():
    with pytest.raises(ValueError, match=r"shape \(N,\) with N=3"):
        dl.nn.confusion_matrix([0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match=r"must lie in \[0, 2\]"):
        dl.nn.confusion_matrix([0, 3], [0, 1], n_classes=3)
    with pytest.raises(ValueError, match=">= 0"):
        dl.nn.confusion_matrix([0, -1], [0, 1])
    with pytest.raises(TypeError, match="integer class indices"):
        dl.nn.confusion_matrix([0.5, 1], [0, 1])
