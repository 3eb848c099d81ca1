"""Tests for dlcore.data: Boolean tables, toy points, synthetic generators, bundled digits."""

import subprocess
import sys
import warnings

import numpy as np
import pytest

import dlcore
from dlcore import data
from dlcore.neurons import DidNotConverge, train_perceptron, truth_table

TRUTH = {  # rows 00, 01, 10, 11
    "AND": [0, 0, 0, 1],
    "OR": [0, 1, 1, 1],
    "XOR": [0, 1, 1, 0],
    "NAND": [1, 1, 1, 0],
    "NOR": [1, 0, 0, 0],
    "XNOR": [1, 0, 0, 1],
}


def with_bias(X):
    return np.hstack([X, np.ones((X.shape[0], 1))])


def linear_accuracy(X, y):
    """Training accuracy of the best least-squares linear classifier (one-vs-rest)."""
    A = with_bias(X)
    Y = np.eye(y.max() + 1)[y]
    W = np.linalg.lstsq(A, Y, rcond=None)[0]
    return float(np.mean(np.argmax(A @ W, axis=1) == y))


@pytest.mark.setup
def test_import_does_not_load_sklearn():
    code = ("import sys, dlcore.data, dlcore.neurons; "
            "bad = {'sklearn', 'torch', 'matplotlib'} & set(sys.modules); "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


# --- Boolean tables --------------------------------------------------------------------------

@pytest.mark.lec02
@pytest.mark.parametrize("name", sorted(TRUTH))
def test_boolean_table_two_inputs(name):
    X, y = data.boolean_table(name)
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert y.tolist() == TRUTH[name]
    _, y_pm = data.boolean_table(name.lower(), labels="pm")
    assert y_pm.tolist() == [2 * v - 1 for v in TRUTH[name]]


@pytest.mark.lec02
def test_boolean_table_n_inputs():
    X, y = data.boolean_table("XOR", n_inputs=4)
    assert X.shape == (16, 4) and y.shape == (16,)
    X_ref, _ = truth_table(lambda r: 0, 4)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, X_ref.sum(axis=1) % 2)  # parity
    ones = X.sum(axis=1)
    np.testing.assert_array_equal(data.boolean_table("AND", 3)[1], [0] * 7 + [1])
    np.testing.assert_array_equal(data.boolean_table("NOR", 4)[1], ones == 0)
    np.testing.assert_array_equal(data.boolean_table("XNOR", 4)[1], 1 - ones % 2)
    assert set(np.unique(data.boolean_table("OR", 3, labels="pm")[1])) == {-1, 1}


@pytest.mark.lec02
def test_boolean_table_bad_input():
    with pytest.raises(ValueError, match="AND, OR, XOR, NAND, NOR, XNOR; got 'IMPLIES'"):
        data.boolean_table("IMPLIES")
    with pytest.raises(ValueError, match="'01'.*'pm'"):
        data.boolean_table("AND", labels="+-")
    with pytest.raises(ValueError, match=">= 1"):
        data.boolean_table("AND", n_inputs=0)
    with pytest.raises(TypeError, match="integer"):
        data.boolean_table("AND", n_inputs=2.5)


# --- toy points ------------------------------------------------------------------------------

@pytest.mark.lec04
def test_toy_values_are_the_syllabus_numbers():
    X, Y = data.two_point_toy()
    assert X.tolist() == [0.5, 2.5] and Y.tolist() == [0.2, 0.9]
    assert X.dtype == np.float64 and Y.dtype == np.float64
    x, y = data.linear_toy()
    assert x.tolist() == [10, 2, 3.5, 1] and y.tolist() == [10.1, 1.9, 3.4, 1.1]
    # Syllabus L04: the least-squares slope through the origin is 1.004691.
    assert (x @ y) / (x @ x) == pytest.approx(1.004691, abs=1e-6)


@pytest.mark.lec04
def test_toys_return_fresh_arrays():
    X, _ = data.two_point_toy()
    X[0] = 99.0
    assert data.two_point_toy()[0][0] == 0.5


# --- blobs -----------------------------------------------------------------------------------

@pytest.mark.lec03
def test_blobs_shapes_labels_balance():
    X, y = data.blobs()
    assert X.shape == (100, 2) and y.shape == (100,)
    assert X.dtype == np.float64 and np.issubdtype(y.dtype, np.integer)
    assert np.bincount(y).tolist() == [50, 50]
    _, y_odd = data.blobs(n_samples=101)
    assert sorted(np.bincount(y_odd).tolist()) == [50, 51]
    _, y_pm = data.blobs(labels="pm")
    assert set(y_pm.tolist()) == {-1, 1} and np.sum(y_pm == 1) == 50
    _, y3 = data.blobs(n_samples=90, centers=3)
    assert np.bincount(y3).tolist() == [30, 30, 30]
    assert not np.all(y[:50] == y[0])  # shuffled, not grouped by class


@pytest.mark.lec03
@pytest.mark.parametrize("seed", range(5))
def test_blobs_default_is_linearly_separable(seed):
    X, y = data.blobs(seed=seed, labels="pm")
    # Centres (-2, -2) and (2, 2): the line x1 + x2 = 0 separates with a wide margin.
    margin = y * (X[:, 0] + X[:, 1]) / np.sqrt(2)
    assert margin.min() > 0.5
    for c, centre in ((-1, [-2, -2]), (1, [2, 2])):
        np.testing.assert_allclose(X[y == c].mean(axis=0), centre, atol=0.25)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert train_perceptron(with_bias(X), y).converged


@pytest.mark.lec03
def test_blobs_explicit_centers_and_std():
    X, y = data.blobs(n_samples=4, centers=[[0, 0], [5, 1]], std=0.0)
    np.testing.assert_array_equal(X[y == 0], [[0, 0], [0, 0]])
    np.testing.assert_array_equal(X[y == 1], [[5, 1], [5, 1]])


@pytest.mark.lec03
def test_blobs_bad_input():
    with pytest.raises(ValueError, match="exactly 2 centers"):
        data.blobs(centers=3, labels="pm")
    with pytest.raises(ValueError, match=r"shape \(K, 2\)"):
        data.blobs(centers=np.zeros((2, 3)))
    with pytest.raises(ValueError, match=">= 0"):
        data.blobs(std=-1.0)
    with pytest.raises(ValueError, match=">= 1"):
        data.blobs(n_samples=0)
    with pytest.raises(ValueError, match="non-finite"):
        data.blobs(centers=[[0, np.nan], [1, 1]])
    with pytest.raises(TypeError, match="seed must be"):
        data.blobs(seed="zero")
    with pytest.raises(TypeError, match="seed must be"):
        data.blobs(seed=-1)


# --- determinism, for every generator -------------------------------------------------------

GENERATORS = [
    pytest.param(lambda seed: data.blobs(seed=seed), id="blobs", marks=pytest.mark.lec03),
    pytest.param(lambda seed: data.moons(seed=seed), id="moons", marks=pytest.mark.lec05),
    pytest.param(lambda seed: data.spirals(seed=seed), id="spirals", marks=pytest.mark.lec08),
    pytest.param(lambda seed: (data.sine_sequences(seed=seed),), id="sine_sequences",
                 marks=pytest.mark.lec13),
    pytest.param(lambda seed: tuple(data.digits(seed=seed)), id="digits", marks=pytest.mark.lec09),
]


@pytest.mark.parametrize("make", GENERATORS)
def test_same_seed_same_arrays_different_seed_different(make):
    a, b, c = make(0), make(0), make(1)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    assert any(not np.array_equal(u, w) for u, w in zip(a, c, strict=True))
    # A Generator argument draws the same numbers as its int seed.
    for u, v in zip(make(np.random.default_rng(3)), make(3), strict=True):
        np.testing.assert_array_equal(u, v)


@pytest.mark.lec05
def test_seed_none_uses_the_package_generator():
    dlcore.set_seed(7)
    a = data.moons(seed=None)
    dlcore.set_seed(7)
    b = data.moons(seed=None)
    dlcore.set_seed(0)
    np.testing.assert_array_equal(a[0], b[0])


# --- moons and spirals -----------------------------------------------------------------------

@pytest.mark.lec05
def test_moons_shapes_and_geometry():
    X, y = data.moons()
    assert X.shape == (200, 2) and set(y.tolist()) == {0, 1}
    assert np.bincount(y).tolist() == [100, 100]
    # Class means of the two half circles: (0, 2/pi) and (1, 0.5 - 2/pi).
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [0, 2 / np.pi], atol=0.05)
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [1, 0.5 - 2 / np.pi], atol=0.05)
    X0, y0 = data.moons(n_samples=51, noise=0.0)
    assert np.bincount(y0).tolist() == [26, 25]
    np.testing.assert_allclose(np.linalg.norm(X0[y0 == 0], axis=1), 1.0)
    np.testing.assert_allclose(np.linalg.norm(X0[y0 == 1] - [1, 0.5], axis=1), 1.0)
    assert X0[y0 == 0, 1].min() >= -1e-12 and X0[y0 == 1, 1].max() <= 0.5 + 1e-12


@pytest.mark.lec05
def test_moons_are_not_linearly_separable():
    X, y = data.moons(noise=0.0)
    with pytest.warns(DidNotConverge):
        train_perceptron(with_bias(X), 2 * y - 1, max_epochs=50)
    assert 0.7 < linear_accuracy(*data.moons()) < 0.95


@pytest.mark.lec08
def test_spirals_shapes_and_geometry():
    X, y = data.spirals()
    assert X.shape == (300, 2) and np.bincount(y).tolist() == [100, 100, 100]
    assert np.linalg.norm(X, axis=1).max() <= 1.0 + 1e-12
    # Interleaved arms: every class mean is near the origin and a linear model does poorly.
    for c in range(3):
        assert np.linalg.norm(X[y == c].mean(axis=0)) < 0.35
    assert linear_accuracy(X, y) < 0.7
    # Without noise the angle of each point is 4 (c + r), r = |x|.
    X0, y0 = data.spirals(n_per_class=20, n_classes=4, noise=0.0)
    r = np.linalg.norm(X0, axis=1)
    angle = np.arctan2(X0[:, 0], X0[:, 1])
    diff = np.angle(np.exp(1j * (angle - 4 * (y0 + r))))
    np.testing.assert_allclose(diff[r > 0], 0, atol=1e-9)


@pytest.mark.lec05
def test_moons_spirals_bad_input():
    with pytest.raises(ValueError, match=">= 2"):
        data.moons(n_samples=1)
    with pytest.raises(ValueError, match=">= 0"):
        data.moons(noise=-0.1)
    with pytest.raises(ValueError, match=">= 2"):
        data.spirals(n_classes=1)
    with pytest.raises(TypeError, match="integer"):
        data.spirals(n_per_class=10.0)


# --- one_hot ---------------------------------------------------------------------------------

@pytest.mark.lec07
def test_one_hot():
    np.testing.assert_array_equal(data.one_hot([0, 2, 1]), [[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    Y = data.one_hot(np.array([1, 1]), n_classes=4)
    assert Y.shape == (2, 4) and Y.dtype == np.float64
    np.testing.assert_array_equal(Y, [[0, 1, 0, 0], [0, 1, 0, 0]])
    assert data.one_hot(np.zeros(0, dtype=int), n_classes=3).shape == (0, 3)


@pytest.mark.lec07
def test_one_hot_bad_input():
    with pytest.raises(ValueError, match=r"\[0, 2\]"):
        data.one_hot([0, 3], n_classes=3)
    with pytest.raises(ValueError, match=">= 0"):
        data.one_hot([0, -1])
    with pytest.raises(TypeError, match="integer class indices"):
        data.one_hot([0.5, 1.0])
    with pytest.raises(ValueError, match=r"1-D array of shape \(N,\)"):
        data.one_hot([[0, 1]])
    with pytest.raises(ValueError, match="n_classes must be given"):
        data.one_hot([])
    with pytest.raises(ValueError, match=">= 1"):
        data.one_hot([0], n_classes=0)


# --- digits ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def full_digits():
    from sklearn.datasets import load_digits

    bunch = load_digits()
    return bunch.data / 16.0, bunch.target


@pytest.mark.lec09
def test_digits_split(full_digits):
    X_all, y_all = full_digits
    split = data.digits()
    assert split.n_classes == 10
    X_tr, y_tr, X_te, y_te = split
    assert X_tr.shape == (len(y_tr), 64) and X_te.shape == (len(y_te), 64)
    assert len(y_tr) + len(y_te) == 1797
    assert 0.24 < len(y_te) / 1797 < 0.26
    assert X_tr.min() == 0.0 and X_tr.max() == 1.0 and X_te.min() >= 0 and X_te.max() <= 1
    # Stratified: every class on both sides, each with about a quarter held out.
    counts_all = np.bincount(y_all, minlength=10)
    counts_te = np.bincount(y_te, minlength=10)
    assert np.all(counts_te > 0) and np.all(np.bincount(y_tr, minlength=10) > 0)
    np.testing.assert_allclose(counts_te / counts_all, 0.25, atol=0.01)
    # A partition: train and test together are exactly the 1797 original (image, label) rows.
    def rows(X, y):
        table = np.hstack([X, y[:, None]])
        return table[np.lexsort(table.T[::-1])]
    np.testing.assert_array_equal(rows(np.vstack([X_tr, X_te]), np.concatenate([y_tr, y_te])),
                                  rows(X_all, y_all))
    assert not np.array_equal(y_tr[:100], np.sort(y_tr[:100]))  # shuffled


@pytest.mark.lec10
def test_digits_images_and_test_size():
    flat = data.digits(seed=4)
    img = data.digits(seed=4, flatten=False)
    assert img.X_train.shape == (len(img.y_train), 1, 8, 8)
    np.testing.assert_array_equal(img.X_train.reshape(-1, 64), flat.X_train)
    np.testing.assert_array_equal(img.y_test, flat.y_test)
    small = data.digits(test_size=0.1)
    assert 0.09 < len(small.y_test) / 1797 < 0.11
    assert len(small.y_train) + len(small.y_test) == 1797


@pytest.mark.lec09
def test_digits_bad_input():
    with pytest.raises(ValueError, match=r"test_size must lie in \(0, 1\)"):
        data.digits(test_size=0.0)
    with pytest.raises(ValueError, match=r"test_size must lie in \[0, 1\)"):
        data.digits(test_size=1.0)
    with pytest.raises(TypeError, match="True or False"):
        data.digits(flatten="yes")


# --- sine sequences --------------------------------------------------------------------------

@pytest.mark.lec13
def test_sine_sequences_are_sines_in_the_frequency_range():
    x = data.sine_sequences(n_sequences=20, length=40)
    assert x.shape == (20, 40, 1)
    assert np.abs(x).max() <= 1.0
    s = x[:, :, 0]
    # A sampled sinusoid obeys s[t+1] + s[t-1] = 2 cos(2 pi f dt) s[t].
    k = np.sum((s[:, 2:] + s[:, :-2]) * s[:, 1:-1], axis=1) / np.sum(s[:, 1:-1] ** 2, axis=1)
    np.testing.assert_allclose(s[:, 2:] + s[:, :-2], k[:, None] * s[:, 1:-1], atol=1e-9)
    freq = np.arccos(k / 2) / (2 * np.pi * 0.1)
    assert np.all((freq >= 0.5 - 1e-6) & (freq <= 2.0 + 1e-6))
    assert freq.max() - freq.min() > 0.5  # random frequencies, not one
    noisy = data.sine_sequences(n_sequences=20, length=40, noise=0.1)
    assert 0.05 < np.std(noisy - x) < 0.15
    narrow = data.sine_sequences(n_sequences=5, freq_range=(1.0, 1.0))[:, :, 0]
    k1 = np.sum((narrow[:, 2:] + narrow[:, :-2]) * narrow[:, 1:-1]) / np.sum(narrow[:, 1:-1] ** 2)
    assert k1 == pytest.approx(2 * np.cos(2 * np.pi * 0.1), abs=1e-9)


@pytest.mark.lec13
def test_sine_sequences_bad_input():
    with pytest.raises(ValueError, match="0 < low <= high"):
        data.sine_sequences(freq_range=(2.0, 1.0))
    with pytest.raises(ValueError, match=r"1-D array of shape \(2,\)"):
        data.sine_sequences(freq_range=1.0)
    with pytest.raises(ValueError, match="0 < low <= high"):
        data.sine_sequences(freq_range=(0.5, 1.0, 2.0))
    with pytest.raises(ValueError, match=">= 1"):
        data.sine_sequences(length=0)
    with pytest.raises(ValueError, match="non-finite"):
        data.sine_sequences(freq_range=(0.5, np.inf))
