"""Tests for dlcore.neurons: McCulloch-Pitts unit, perceptron, sigmoid neuron (lectures 2-4)."""

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlcore import data
from dlcore.neurons import (
    DidNotConverge,
    PerceptronResult,
    mp_neuron,
    perceptron_step,
    sigmoid_neuron,
    sign_pm,
    step,
    train_perceptron,
    truth_table,
)

lec02 = pytest.mark.lec02
lec03 = pytest.mark.lec03
lec04 = pytest.mark.lec04

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


def with_bias(X):
    """Append the constant-1 feature that carries the perceptron's bias."""
    X = np.asarray(X, dtype=float)
    return np.hstack([X, np.ones((X.shape[0], 1))])


# --- step and sign -------------------------------------------------------------------------

@lec02
def test_step_fires_at_zero():
    assert step(0) == 1
    assert step(0.0) == 1
    assert step(-1e-12) == 0
    np.testing.assert_array_equal(step([-2.0, 0.0, 3.0]), [0, 1, 1])
    assert step(np.zeros((2, 3))).shape == (2, 3)
    assert np.issubdtype(step([0.5]).dtype, np.integer)


@lec03
def test_sign_pm_zero_is_plus_one_unlike_numpy():
    assert sign_pm(0) == 1
    assert np.sign(0) == 0  # the reason sign_pm exists
    np.testing.assert_array_equal(sign_pm([-3, -0.0, 0, 1e-9, 7]), [-1, 1, 1, 1, 1])


@lec03
@given(finite)
def test_sign_pm_agrees_with_numpy_away_from_zero(z):
    if z != 0:
        assert sign_pm(z) == np.sign(z)
    assert step(z) == (sign_pm(z) + 1) // 2


@lec02
@pytest.mark.parametrize("fn", [step, sign_pm])
def test_step_and_sign_reject_bad_input(fn):
    with pytest.raises(ValueError, match="non-finite"):
        fn([0.0, np.nan])
    with pytest.raises(TypeError, match="array of numbers"):
        fn("1")


# --- McCulloch-Pitts -------------------------------------------------------------------------

@lec02
def test_movie_neuron_theta_3_fires_only_for_all_ones():
    X, y = truth_table(lambda x: mp_neuron(x, 3), 3)
    assert y.tolist() == [0, 0, 0, 0, 0, 0, 0, 1]
    assert X[y == 1].tolist() == [[1, 1, 1]]


@lec02
def test_movie_neuron_theta_0_fires_for_all_eight():
    _, y = truth_table(lambda x: mp_neuron(x, 0), 3)
    assert y.tolist() == [1] * 8


@lec02
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_and_or_thresholds(n):
    X, y_and = truth_table(lambda x: mp_neuron(x, n), n)
    _, y_or = truth_table(lambda x: mp_neuron(x, 1), n)
    rows = list(itertools.product([0, 1], repeat=n))
    assert y_and.tolist() == [int(all(r)) for r in rows]
    assert y_or.tolist() == [int(any(r)) for r in rows]


@lec02
def test_threshold_is_inclusive():
    assert mp_neuron([1, 1, 0], 2) == 1  # sum == theta fires (>=, not >)
    assert mp_neuron([1, 0, 0], 2) == 0
    assert mp_neuron([1, 1, 0], 1.5) == 1
    assert mp_neuron([0, 0], -1) == 1


@lec02
def test_inhibitory_input_forces_zero():
    assert mp_neuron([1, 1, 1], 0) == 1
    assert mp_neuron([1, 1, 1], 0, inhibitory=(2,)) == 0
    assert mp_neuron([1, 1, 0], 0, inhibitory=(2,)) == 1  # inactive inhibitor has no effect
    assert mp_neuron([1, 0, 1], 1, inhibitory=[1]) == 1
    assert mp_neuron(np.array([True, True]), 2, inhibitory=1) == 0


@lec02
def test_mp_neuron_bad_input():
    with pytest.raises(ValueError, match=r"\{0, 1\}"):
        mp_neuron([1, 2, 0], 1)
    with pytest.raises(ValueError, match=r"\{0, 1\}"):
        mp_neuron([0.5, 1], 1)
    with pytest.raises(ValueError, match=r"1-D array of shape \(n,\)"):
        mp_neuron([[1, 0], [0, 1]], 1)
    with pytest.raises(ValueError, match="non-finite"):
        mp_neuron([1, np.nan], 1)
    with pytest.raises(ValueError, match=r"\[0, 2\]"):
        mp_neuron([1, 0, 1], 1, inhibitory=(3,))
    with pytest.raises(ValueError, match=r"\[0, 2\]"):
        mp_neuron([1, 0, 1], 1, inhibitory=(-1,))
    with pytest.raises(TypeError, match="integer indices"):
        mp_neuron([1, 0, 1], 1, inhibitory=(0.5,))
    with pytest.raises(TypeError, match="real number"):
        mp_neuron([1, 0], "2")
    with pytest.raises(ValueError, match="finite real number"):
        mp_neuron([1, 0], np.nan)


@lec02
def test_truth_table_binary_order():
    X, y = truth_table(lambda x: int(x.sum()), 3)
    assert X.shape == (8, 3)
    assert X.tolist() == [list(r) for r in itertools.product([0, 1], repeat=3)]
    assert y.tolist() == [sum(r) for r in itertools.product([0, 1], repeat=3)]


@lec02
def test_truth_table_bad_input():
    with pytest.raises(TypeError, match="callable"):
        truth_table(3, 2)
    with pytest.raises(ValueError, match=">= 1"):
        truth_table(sum, 0)
    with pytest.raises(TypeError, match="integer"):
        truth_table(sum, 2.0)


# --- perceptron ------------------------------------------------------------------------------

@lec03
def test_seed_trace():
    # SYLLABUS L03: w=(0,0); x=(1,-1), y=-1: product 0 -> y_hat=+1, a mistake -> w=(-1,1).
    w0 = np.array([0.0, 0.0])
    w1 = perceptron_step(w0, [1, -1], -1)
    np.testing.assert_array_equal(w1, [-1, 1])
    np.testing.assert_array_equal(w0, [0, 0])  # not modified in place
    # then x=(-1,1), y=+1: product 2 -> y_hat=+1, a match -> w stays (-1,1).
    w2 = perceptron_step(w1, [-1, 1], +1)
    np.testing.assert_array_equal(w2, [-1, 1])
    assert w2 is not w1


@lec03
def test_numpy_sign_changes_the_seed_trace():
    """With np.sign(0) = 0 the first point is not a mistake, so w never leaves (0, 0)."""
    def numpy_sign_step(w, x, y):
        if y * np.sign(w @ x) < 0:  # mistake iff the prediction disagrees in sign
            return w + y * x
        return w

    points = [(np.array([1.0, -1.0]), -1), (np.array([-1.0, 1.0]), 1)]
    w_np = np.zeros(2)
    w_ours = np.zeros(2)
    for x, y in points:
        w_np = numpy_sign_step(w_np, x, y)
        w_ours = perceptron_step(w_ours, x, y)
    np.testing.assert_array_equal(w_np, [0, 0])
    np.testing.assert_array_equal(w_ours, [-1, 1])


@lec03
def test_point_on_the_boundary_is_predicted_plus_one():
    # w . x = 0 gives y_hat = +1: no mistake for y = +1 (np.sign would give 0 and update),
    # a mistake for y = -1.
    np.testing.assert_array_equal(perceptron_step([1.0, -1.0], [1.0, 1.0], 1), [1, -1])
    np.testing.assert_array_equal(perceptron_step([1.0, -1.0], [1.0, 1.0], -1), [0, -2])
    _, errors = train_perceptron([[1.0, 1.0], [2.0, 2.0]], [1, 1])
    assert errors.tolist() == [0]  # w = 0 already predicts +1 everywhere


@lec03
def test_train_on_trace_points_counts_mistakes():
    # Epoch 1: mistake on the first point only (see test_seed_trace); epoch 2: w=(-1,1)
    # gives -2 -> -1 and 2 -> +1, both right, so training stops with errors [1, 0].
    result = train_perceptron([[1, -1], [-1, 1]], [-1, 1])
    assert isinstance(result, PerceptronResult)
    w, errors = result
    np.testing.assert_array_equal(w, [-1, 1])
    assert errors.tolist() == [1, 0]
    assert result.converged


@lec03
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_converges_on_separable_blobs(seed):
    X, y = data.blobs(n_samples=100, seed=seed, labels="pm")
    Xb = with_bias(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no DidNotConverge
        w, errors = train_perceptron(Xb, y)
    assert errors[-1] == 0 and all(e > 0 for e in errors[:-1])
    assert np.all(np.where(Xb @ w >= 0, 1, -1) == y)  # the final w separates every point
    assert train_perceptron(Xb, y).converged


@lec03
def test_xor_does_not_converge():
    X, y = data.boolean_table("XOR", labels="pm")
    with pytest.warns(DidNotConverge, match="did not converge") as record:
        result = train_perceptron(with_bias(X), y, max_epochs=20)
    assert len(result.errors_per_epoch) == 20
    assert not result.converged
    assert np.all(result.errors_per_epoch > 0)
    message = str(record[0].message)
    assert "not be linearly separable" in message and "XOR" in message
    assert f"{result.errors_per_epoch[-1]} mistake(s)" in message
    assert issubclass(DidNotConverge, UserWarning)


@lec03
def test_and_converges_with_bias_feature_but_not_without():
    X, y = data.boolean_table("AND", labels="pm")
    w, errors = train_perceptron(with_bias(X), y)
    assert errors[-1] == 0
    assert np.all(np.where(with_bias(X) @ w >= 0, 1, -1) == y)
    # Without the bias feature the boundary passes through the origin, and (0, 0) with
    # label -1 is always predicted +1 (sign(0) = +1).
    with pytest.warns(DidNotConverge):
        train_perceptron(X, y, max_epochs=10)


@lec03
def test_w0_is_used_and_not_modified():
    w0 = np.array([-1.0, 1.0])
    w, errors = train_perceptron([[1, -1], [-1, 1]], [-1, 1], w0=w0)
    assert errors.tolist() == [0]  # already separates both points
    np.testing.assert_array_equal(w, [-1, 1])
    w[0] = 5.0
    np.testing.assert_array_equal(w0, [-1, 1])


@lec03
def test_perceptron_step_bad_input():
    with pytest.raises(ValueError, match=r"x must have shape \(D,\) with D=2"):
        perceptron_step([0, 0], [1, 2, 3], 1)
    with pytest.raises(ValueError, match=r"1-D array of shape \(D,\)"):
        perceptron_step([[0, 0]], [1, 2], 1)
    with pytest.raises(ValueError, match=r"\{-1, \+1\}"):
        perceptron_step([0, 0], [1, 2], 0)
    with pytest.raises(ValueError, match="single label"):
        perceptron_step([0, 0], [1, 2], [1, -1])
    with pytest.raises(ValueError, match="non-finite"):
        perceptron_step([0, 0], [1, np.inf], 1)


@lec03
def test_train_perceptron_bad_input():
    X, y = [[1, -1], [-1, 1]], [-1, 1]
    with pytest.raises(ValueError, match=r"2-D array of shape \(N, D\)"):
        train_perceptron([1, -1], y)
    with pytest.raises(ValueError, match=r"y must have shape \(N,\) with N=2"):
        train_perceptron(X, [-1, 1, 1])
    with pytest.raises(ValueError, match=r"\{-1, \+1\}"):
        train_perceptron(X, [0, 1])
    with pytest.raises(ValueError, match=r"w0 must have shape \(D,\) with D=2"):
        train_perceptron(X, y, w0=[0, 0, 0])
    with pytest.raises(ValueError, match=">= 1"):
        train_perceptron(X, y, max_epochs=0)
    with pytest.raises(ValueError, match="non-finite"):
        train_perceptron([[1, np.nan], [-1, 1]], y)
    with pytest.raises(ValueError, match="N >= 1"):
        train_perceptron(np.zeros((0, 2)), np.zeros(0))


# --- sigmoid neuron --------------------------------------------------------------------------

@lec04
def test_lecture_sigmoid_values():
    # w0 = -0.5 (threshold 0.5), w1 = 1: ratings 0.51 and 0.49 give sigma(+-0.01).
    assert sigmoid_neuron(0.51, 1.0, -0.5) == pytest.approx(0.5025, abs=5e-5)
    assert sigmoid_neuron(0.49, 1.0, -0.5) == pytest.approx(0.4975, abs=5e-5)
    # Same unit with the bias folded in as w0 on a constant-1 input.
    out = sigmoid_neuron([[1.0, 0.51], [1.0, 0.49]], [-0.5, 1.0], 0.0)
    np.testing.assert_allclose(out, [0.5025, 0.4975], atol=5e-5)


@lec04
def test_sigmoid_neuron_matches_formula_and_shapes(rng):
    x = rng.normal(size=(4, 5, 3))
    w = rng.normal(size=3)
    out = sigmoid_neuron(x, w, 0.3)
    assert out.shape == (4, 5)
    np.testing.assert_allclose(out, 1 / (1 + np.exp(-(np.einsum("abd,d->ab", x, w) + 0.3))),
                               rtol=1e-12)
    xs = rng.normal(size=(2, 3))
    np.testing.assert_allclose(sigmoid_neuron(xs, 2.0, -1.0), 1 / (1 + np.exp(-(2 * xs - 1))),
                               rtol=1e-12)
    assert sigmoid_neuron(0.0, 1.0, 0.0) == 0.5


@lec04
def test_sigmoid_neuron_is_stable_for_large_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = sigmoid_neuron(np.array([-1000.0, 1000.0, -800.0, 800.0]), 1.0, 0.0)
    np.testing.assert_allclose(out, [0, 1, 0, 1], atol=1e-300)
    assert np.all(np.isfinite(out))


@lec04
@given(st.floats(min_value=-50, max_value=50), st.floats(min_value=-5, max_value=5))
def test_sigmoid_neuron_symmetry(x, w):
    assert sigmoid_neuron(-x, w, 0.0) == pytest.approx(1 - sigmoid_neuron(x, w, 0.0), abs=1e-12)


@lec04
def test_sigmoid_neuron_bad_input():
    with pytest.raises(ValueError, match=r"x must have shape \(\.\.\., D\) with D=3"):
        sigmoid_neuron(np.ones((4, 2)), np.ones(3), 0.0)
    with pytest.raises(ValueError, match=r"0-D or 1-D array of shape \(\) or \(D,\)"):
        sigmoid_neuron(np.ones(3), np.ones((3, 1)), 0.0)
    with pytest.raises(ValueError, match="non-finite"):
        sigmoid_neuron([0.0, np.nan], 1.0, 0.0)
    with pytest.raises(ValueError, match="finite real number"):
        sigmoid_neuron([0.0], 1.0, np.inf)
    with pytest.raises(TypeError, match="real number"):
        sigmoid_neuron([0.0], 1.0, [0.0, 1.0])
