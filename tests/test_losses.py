"""dlcore.losses: the seed loss table, syllabus values, torch agreement, properties, errors.

Gradients of every pair are checked in tests/optable/losses.py.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlcore import activations as A
from dlcore import losses as Ls

torch = pytest.importorskip("torch")
F = torch.nn.functional

FAST = settings(max_examples=60, deadline=None)


def _t(x):
    return torch.tensor(np.asarray(x, dtype=np.float64))


def _pairs(lo=-50.0, hi=50.0):
    """Two float64 arrays of one shape (any ndim 0-3), on a 1e-3 grid.

    The grid keeps squares away from underflow (a difference of 1e-183 squares to 0), which
    would test floating point rather than the losses.
    """
    elems = st.integers(int(lo * 1000), int(hi * 1000)).map(lambda i: i / 1000)
    return hnp.array_shapes(min_dims=0, max_dims=3, max_side=5).flatmap(
        lambda s: st.tuples(hnp.arrays(np.float64, s, elements=elems),
                            hnp.arrays(np.float64, s, elements=elems)))


# L04: the sigmoid neuron's guess table (000_e2730a764dfba2d6.txt l. 1474-1516).

X_TOY, Y_TOY = np.array([0.5, 2.5]), np.array([0.2, 0.9])
GUESSES = [  # (w, b), seed L (rounded, one entry off by rounding of w, b), exact L
    ((0.5, 0.0), 0.0730, 0.073114),
    ((-0.1, 0.0), 0.1481, 0.148132),
    ((0.94, -0.94), 0.0214, 0.021672),
    ((1.42, -1.73), 0.0028, 0.002892),
    ((1.65, -2.08), 0.0003, 0.000344),
    ((1.78, -2.27), 0.0000, 0.000002),
]


@pytest.mark.lec04
@pytest.mark.parametrize("wb, seed_loss, exact_loss", GUESSES)
def test_seed_guess_table(wb, seed_loss, exact_loss):
    w, b = wb
    loss = Ls.squared_error(A.sigmoid(w * X_TOY + b), Y_TOY)
    assert loss == pytest.approx(seed_loss, abs=5e-4)
    assert loss == pytest.approx(exact_loss, abs=1e-6)


@pytest.mark.lec04
def test_toy_gradient_and_optimum():
    # Chain rule through the pairs: dL/dw = sum (f - y) f (1 - f) x (syllabus: -0.008528, 0.067904).
    f, f_cache = A.sigmoid_forward(0.5 * X_TOY)
    _, l_cache = Ls.squared_error_forward(f, Y_TOY)
    da = A.sigmoid_backward(Ls.squared_error_backward(1.0, l_cache), f_cache)
    assert np.sum(da * X_TOY) == pytest.approx(-0.008528, abs=5e-7)
    assert np.sum(da) == pytest.approx(0.067904, abs=5e-7)
    w_opt, b_opt = np.log(6), -np.log(4) - 0.5 * np.log(6)
    assert Ls.squared_error(A.sigmoid(w_opt * X_TOY + b_opt), Y_TOY) < 1e-30


# L07: numbers printed in the syllabus at (y_hat, y) = (0.3, 1).

@pytest.mark.lec07
def test_syllabus_l07_losses():
    assert Ls.l1(0.3, 1.0) == pytest.approx(0.7, abs=1e-12)
    assert Ls.mse(0.3, 1.0) == pytest.approx(0.49, abs=1e-12)
    assert Ls.hinge(0.3, 1.0) == pytest.approx(0.7, abs=1e-12)
    # The syllabus's 0-1 loss of 1 reads y_hat = 0.3 as a probability of the positive class
    # (thresholded at 0.5).  Read as a score (threshold 0) the point is classified correctly,
    # so the 0-1 loss is 0 while the hinge loss still charges 0.7 for the small margin.
    assert Ls.zero_one(0.3, 1.0, threshold=0.5) == 1.0
    assert Ls.zero_one(0.3, 1.0) == 0.0
    assert Ls.softmax_cross_entropy([[2.0, 1.0, 0.1]], [0]) == pytest.approx(0.417030, abs=5e-7)


# Agreement with torch.

@pytest.mark.lec07
@pytest.mark.parametrize("shape", [(), (6,), (4, 3), (2, 3, 2)])
def test_regression_losses_match_torch(rng, shape):
    a, b = rng.standard_normal(shape), rng.standard_normal(shape)
    assert Ls.mse(a, b) == pytest.approx(F.mse_loss(_t(a), _t(b)).item(), rel=1e-13)
    assert Ls.l1(a, b) == pytest.approx(F.l1_loss(_t(a), _t(b)).item(), rel=1e-13)
    assert Ls.squared_error(a, b) == pytest.approx(
        0.5 * F.mse_loss(_t(a), _t(b), reduction="sum").item(), rel=1e-13)


@pytest.mark.lec07
def test_binary_losses_match_torch(rng):
    z = 4 * rng.standard_normal((5, 3))
    y = rng.random((5, 3))
    p = A.sigmoid(z)
    assert isinstance(Ls.binary_cross_entropy(p, y), float)
    assert Ls.binary_cross_entropy(p, y) == pytest.approx(
        F.binary_cross_entropy(_t(p), _t(y)).item(), rel=1e-12)
    assert Ls.binary_cross_entropy_with_logits(z, y) == pytest.approx(
        F.binary_cross_entropy_with_logits(_t(z), _t(y)).item(), rel=1e-13)


@pytest.mark.lec07
def test_softmax_cross_entropy_matches_torch_and_formula(rng):
    logits = 3 * rng.standard_normal((6, 4))
    labels = rng.integers(0, 4, 6)
    loss, cache = Ls.softmax_cross_entropy_forward(logits, labels)
    assert loss == pytest.approx(F.cross_entropy(_t(logits), torch.tensor(labels)).item(),
                                 rel=1e-13)
    dlogits = Ls.softmax_cross_entropy_backward(1.0, cache)
    e = np.exp(logits)
    expected = (e / e.sum(axis=1, keepdims=True) - np.eye(4)[labels]) / 6
    np.testing.assert_allclose(dlogits, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.lec07
def test_softmax_cross_entropy_stable_near_1000(rng):
    logits = 1000 + rng.standard_normal((5, 3))
    logits[0] = [1000.0, 0.0, -1000.0]
    labels = np.array([2, 0, 1, 2, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, cache = Ls.softmax_cross_entropy_forward(logits, labels)
        dlogits = Ls.softmax_cross_entropy_backward(1.0, cache)
    assert np.isfinite(loss) and np.all(np.isfinite(dlogits))
    assert loss == pytest.approx(F.cross_entropy(_t(logits), torch.tensor(labels)).item(),
                                 rel=1e-13)
    # Row 0 alone: -log softmax = 2000 exactly (log(0) would be -inf).
    assert Ls.softmax_cross_entropy(logits[:1], [2]) == pytest.approx(2000.0, rel=1e-15)


@pytest.mark.lec07
def test_bce_with_logits_stable_at_1000():
    z = np.array([-1000.0, 1000.0, 1000.0])
    y = np.array([1.0, 1.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, cache = Ls.binary_cross_entropy_with_logits_forward(z, y)
        dz = Ls.binary_cross_entropy_with_logits_backward(1.0, cache)
    assert loss == pytest.approx(2000.0 / 3, rel=1e-15)
    np.testing.assert_allclose(dz, [-1 / 3, 0.0, 1 / 3], rtol=1e-15)


@pytest.mark.lec07
def test_hinge_matches_torch(rng):
    y = rng.choice([-1.0, 1.0], 10)
    s = 2 * rng.standard_normal(10)
    expected = torch.clamp(1 - _t(y) * _t(s), min=0).mean().item()
    assert Ls.hinge(s, y) == pytest.approx(expected, rel=1e-14)


@pytest.mark.lec07
def test_zero_one_counts_mistakes():
    scores = np.array([2.0, -0.5, 0.0, 0.1, -3.0])
    y = np.array([1.0, 1.0, -1.0, -1.0, -1.0])
    # Predictions +1, -1, +1 (sign(0) = +1), +1, -1: mistakes at entries 1, 2 and 3.
    assert Ls.zero_one(scores, y) == pytest.approx(3 / 5)


@pytest.mark.lec08
def test_l2_penalty_and_gradient(rng):
    w1, w2 = rng.standard_normal((3, 4)), rng.standard_normal(5)
    lam = 0.3
    expected = lam / 2 * (np.sum(w1 ** 2) + np.sum(w2 ** 2))
    loss, cache = Ls.l2_penalty_forward([w1, w2], lam)
    assert loss == pytest.approx(expected, rel=1e-14)
    assert Ls.l2_penalty(w1, lam) == pytest.approx(lam / 2 * np.sum(w1 ** 2), rel=1e-14)
    dw1, dw2 = Ls.l2_penalty_backward(2.0, cache)
    np.testing.assert_allclose(dw1, 2.0 * lam * w1, rtol=1e-15)
    np.testing.assert_allclose(dw2, 2.0 * lam * w2, rtol=1e-15)
    assert Ls.l2_penalty([w1], 0.0) == 0.0


@pytest.mark.lec06
def test_sigmoid_then_bce_gradient_is_y_hat_minus_y(rng):
    # Chaining the two backward passes gives (sigmoid(z) - y) / n: the 1/(p(1-p)) of BCE
    # cancels sigma' = p(1-p), the fact that makes sigmoid + BCE the natural pair.
    z, y = 3 * rng.standard_normal(6), (rng.random(6) < 0.5).astype(float)
    p, s_cache = A.sigmoid_forward(z)
    _, b_cache = Ls.binary_cross_entropy_forward(p, y)
    dz = A.sigmoid_backward(Ls.binary_cross_entropy_backward(1.0, b_cache), s_cache)
    np.testing.assert_allclose(dz, (p - y) / 6, rtol=1e-12, atol=1e-15)
    _, l_cache = Ls.binary_cross_entropy_with_logits_forward(z, y)
    np.testing.assert_allclose(Ls.binary_cross_entropy_with_logits_backward(1.0, l_cache),
                               (p - y) / 6, rtol=1e-12, atol=1e-15)


# Property tests (hypothesis).

@pytest.mark.lec07
@FAST
@given(_pairs())
def test_regression_losses_non_negative_zero_at_target(pair):
    a, b = pair
    for fn in (Ls.squared_error, Ls.mse, Ls.l1):
        assert fn(a, b) >= 0
        assert fn(a, a) == 0.0
    n = a.size
    assert Ls.squared_error(a, b) == pytest.approx(n / 2 * Ls.mse(a, b), rel=1e-12, abs=1e-300)
    # Mean |d| <= sqrt(mean d^2) (Cauchy-Schwarz).
    assert Ls.l1(a, b) <= np.sqrt(Ls.mse(a, b)) * (1 + 1e-12) + 1e-300


@pytest.mark.lec07
@FAST
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=6),
                  elements=st.floats(-30, 30, allow_nan=False)), st.data())
def test_cross_entropy_is_minus_log_softmax_of_label(logits, data):
    n, c = logits.shape
    labels = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    loss = Ls.softmax_cross_entropy(logits, labels)
    assert loss >= 0
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    expected = -np.mean(np.log(probs[np.arange(n), labels]))
    assert loss == pytest.approx(expected, rel=1e-9, abs=1e-12)


@pytest.mark.lec07
@FAST
@given(hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(-15, 15, allow_nan=False)),
       st.data())
def test_bce_with_logits_equals_bce_of_sigmoid(z, data):
    y = data.draw(hnp.arrays(np.float64, z.shape, elements=st.floats(0, 1)))
    with_logits = Ls.binary_cross_entropy_with_logits(z, y)
    assert with_logits >= 0
    assert with_logits == pytest.approx(Ls.binary_cross_entropy(A.sigmoid(z), y), rel=1e-9,
                                        abs=1e-12)


@pytest.mark.lec07
@FAST
@given(hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(-5, 5, allow_nan=False)),
       st.data())
def test_hinge_bounds_zero_one(s, data):
    y = data.draw(hnp.arrays(np.float64, s.shape, elements=st.sampled_from([-1.0, 1.0])))
    h = Ls.hinge(s, y)
    assert h >= Ls.zero_one(s, y) >= 0
    # Every margin y * s >= 1: no hinge loss and no mistake.
    safe = y * (1.0 + np.abs(s))
    assert Ls.hinge(safe, y) == 0.0 and Ls.zero_one(safe, y) == 0.0


# Bad input.

@pytest.mark.lec07
@pytest.mark.parametrize("fn", [Ls.squared_error, Ls.mse, Ls.l1, Ls.hinge, Ls.zero_one,
                                Ls.binary_cross_entropy, Ls.binary_cross_entropy_with_logits])
def test_elementwise_losses_reject_bad_shapes_and_values(fn):
    with pytest.raises(ValueError, match=r"must have the same shape as .* \(3,\); got \(3, 1\)"):
        fn(np.full(3, 0.5), np.ones((3, 1)))
    with pytest.raises(ValueError, match="must not be empty"):
        fn(np.zeros(0), np.zeros(0))
    with pytest.raises(ValueError, match="non-finite"):
        fn(np.array([0.5, np.nan]), np.ones(2))
    with pytest.raises(ValueError, match="non-finite"):
        fn(np.full(2, 0.5), np.array([1.0, np.inf]))
    with pytest.raises(TypeError, match="array of numbers"):
        fn("0.5", 1.0)


@pytest.mark.lec07
def test_probability_and_label_ranges():
    with pytest.raises(ValueError, match=r"p must be probabilities in the open interval \(0, 1\)"):
        Ls.binary_cross_entropy(np.array([0.5, 1.0]), np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match=r"open interval \(0, 1\).*with_logits"):
        Ls.binary_cross_entropy(np.array([-0.1]), np.array([0.0]))
    with pytest.raises(ValueError, match=r"y must be targets in \[0, 1\]"):
        Ls.binary_cross_entropy(np.array([0.5]), np.array([2.0]))
    with pytest.raises(ValueError, match=r"y must be targets in \[0, 1\]"):
        Ls.binary_cross_entropy_with_logits(np.array([0.5]), np.array([-1.0]))
    for fn in (Ls.hinge, Ls.zero_one):
        with pytest.raises(ValueError, match=r"only -1 and \+1 labels"):
            fn(np.array([0.5, 0.2]), np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="threshold must be finite"):
        Ls.zero_one(0.3, 1.0, threshold=np.inf)


@pytest.mark.lec07
def test_softmax_cross_entropy_bad_input():
    logits = np.zeros((3, 4))
    with pytest.raises(ValueError, match=r"logits must be a 2-D array of shape \(N, C\)"):
        Ls.softmax_cross_entropy(np.zeros(4), [1])
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\] \(C=4 classes\)"):
        Ls.softmax_cross_entropy(logits, [0, 1, 4])
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\]"):
        Ls.softmax_cross_entropy(logits, [0, -1, 2])
    with pytest.raises(ValueError, match=r"labels must have shape \(N,\) with N=3"):
        Ls.softmax_cross_entropy(logits, [0, 1])
    with pytest.raises(ValueError, match=r"labels must be a 1-D array of shape \(N,\)"):
        Ls.softmax_cross_entropy(logits, [[0], [1], [2]])
    with pytest.raises(TypeError, match="integer class indices"):
        Ls.softmax_cross_entropy(logits, [0.5, 1, 2])
    with pytest.raises(ValueError, match="non-finite"):
        Ls.softmax_cross_entropy(np.full((3, 4), np.nan), [0, 1, 2])
    with pytest.raises(ValueError, match=r"N >= 1 and C >= 1"):
        Ls.softmax_cross_entropy(np.zeros((0, 4)), np.zeros(0, dtype=int))


@pytest.mark.lec07
def test_backward_needs_scalar_dout():
    _, cache = Ls.mse_forward(np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match=r"dout must be a scalar .*got shape \(3,\)"):
        Ls.mse_backward(np.ones(3), cache)
    with pytest.raises(ValueError, match="non-finite"):
        Ls.mse_backward(np.nan, cache)


@pytest.mark.lec08
def test_l2_penalty_bad_input():
    with pytest.raises(ValueError, match="lam must be a finite number >= 0"):
        Ls.l2_penalty([np.ones(2)], -0.1)
    with pytest.raises(TypeError, match="weights must be a list of arrays"):
        Ls.l2_penalty({"w": np.ones(2)}, 0.1)
    with pytest.raises(ValueError, match=r"weights\[1\] contains 1 non-finite"):
        Ls.l2_penalty([np.ones(2), np.array([np.nan])], 0.1)


# Ls.pointwise_loss: one loss value per prediction (the lecture 7 plots and widget use it)

@pytest.mark.lec07
def test_pointwise_losses_worked_example_and_formulas():
    at = {name: Ls.pointwise_loss(name, np.array([0.3]), 1)[0] for name in Ls.LOSS_NAMES}
    assert at["L1"] == pytest.approx(0.7)
    assert at["L2"] == pytest.approx(0.49)
    assert at["hinge"] == pytest.approx(0.7)
    assert at["0-1"] == 0.0  # the score reading: sign(0.3) = +1 = y
    assert Ls.pointwise_loss("0-1", np.array([0.3]), 1, threshold=0.5)[0] == 1.0
    y_hat = np.linspace(-2, 2, 41)
    np.testing.assert_allclose(Ls.pointwise_loss("logistic", y_hat, -1), np.log1p(np.exp(y_hat)))
    np.testing.assert_allclose(Ls.pointwise_loss("hinge", y_hat, -1), np.maximum(0, 1 + y_hat))


@pytest.mark.lec07
def test_pointwise_loss_bad_input():
    with pytest.raises(ValueError, match="loss must be one of"):
        Ls.pointwise_loss("huber", np.zeros(3), 1)
    with pytest.raises(ValueError, match=r"\{-1, \+1\}"):
        Ls.pointwise_loss("L1", np.zeros(3), 0)
    with pytest.raises(ValueError, match=r"\(K,\)"):
        Ls.pointwise_loss("L1", np.zeros((2, 2)), 1)
    with pytest.raises(ValueError, match="activation must be one of"):
        A.activation_values("gelu", np.zeros(2))
