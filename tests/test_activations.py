"""dlcore.activations: values from the syllabus, torch agreement, stability, properties, errors.

Gradients of every pair are checked in tests/optable/activations.py.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlcore import activations as A

pytestmark = pytest.mark.lec07

torch = pytest.importorskip("torch")

FAST = settings(max_examples=60, deadline=None)


def _finite_arrays(lo=-30.0, hi=30.0, min_dims=1, max_dims=3):
    return hnp.arrays(np.float64, hnp.array_shapes(min_dims=min_dims, max_dims=max_dims,
                                                   max_side=5),
                      elements=st.floats(lo, hi, allow_nan=False, allow_infinity=False))


def _t(x):
    return torch.tensor(np.asarray(x, dtype=np.float64))


# Numbers printed in the syllabus (L07, computed for the course).

def test_syllabus_l07_values():
    assert A.sigmoid(2.0) == pytest.approx(0.880797, abs=5e-7)
    assert A.tanh(2.0) == pytest.approx(0.964028, abs=5e-7)
    _, cache = A.tanh_forward(2.0)
    assert A.tanh_backward(1.0, cache) == pytest.approx(0.070651, abs=5e-7)
    np.testing.assert_allclose(A.softmax([2.0, 1.0, 0.1]), [0.659001, 0.242433, 0.098566],
                               atol=5e-7)


@pytest.mark.lec04
def test_sigmoid_neuron_example():
    # w0 = -0.5, w1 = 1: ratings 0.51 and 0.49 give 0.5025 and 0.4975 (syllabus L04).
    np.testing.assert_allclose(A.sigmoid(np.array([0.51, 0.49]) - 0.5), [0.5025, 0.4975],
                               atol=5e-5)


# Agreement with torch, forward, on several shapes.

@pytest.mark.parametrize("shape", [(), (7,), (3, 4), (2, 3, 4)])
def test_elementwise_match_torch(rng, shape):
    x = 4 * rng.standard_normal(shape)
    tx = _t(x)
    np.testing.assert_allclose(A.sigmoid(x), torch.sigmoid(tx).numpy(), rtol=1e-14, atol=0)
    np.testing.assert_allclose(A.tanh(x), torch.tanh(tx).numpy(), rtol=1e-14, atol=0)
    np.testing.assert_array_equal(A.relu(x), torch.relu(tx).numpy())
    np.testing.assert_allclose(A.leaky_relu(x, 0.2),
                               torch.nn.functional.leaky_relu(tx, 0.2).numpy(), rtol=1e-15)
    np.testing.assert_allclose(A.leaky_relu(x),
                               torch.nn.functional.leaky_relu(tx).numpy(), rtol=1e-15)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_match_torch(rng, axis):
    x = 3 * rng.standard_normal((3, 4, 5))
    np.testing.assert_allclose(A.softmax(x, axis=axis), torch.softmax(_t(x), dim=axis).numpy(),
                               rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(A.log_softmax(x, axis=axis),
                               torch.log_softmax(_t(x), dim=axis).numpy(), rtol=1e-13)


def test_one_call_equals_forward(rng):
    x = rng.standard_normal((3, 4))
    for name in ["sigmoid", "tanh", "relu", "leaky_relu", "softmax", "log_softmax"]:
        out, _ = getattr(A, f"{name}_forward")(x)
        np.testing.assert_array_equal(getattr(A, name)(x), out)


def test_float32_is_kept(rng):
    x = rng.standard_normal((2, 3)).astype(np.float32)
    for name in ["sigmoid", "tanh", "relu", "leaky_relu", "softmax", "log_softmax"]:
        assert getattr(A, name)(x).dtype == np.float32, name


def test_forward_does_not_modify_input(rng):
    x = rng.standard_normal((3, 4))
    keep = x.copy()
    for name in ["sigmoid", "tanh", "relu", "leaky_relu", "softmax", "log_softmax"]:
        getattr(A, name)(x)
    np.testing.assert_array_equal(x, keep)


# Stability.

def test_sigmoid_no_overflow_at_1000():
    x = np.array([-1000.0, -745.0, -50.0, 0.0, 50.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            out, cache = A.sigmoid_forward(x)
            dx = A.sigmoid_backward(np.ones_like(x), cache)
    # atol: at -745 exp underflows to a subnormal here and to 0 in torch.
    np.testing.assert_allclose(out, torch.sigmoid(_t(x)).numpy(), rtol=1e-14, atol=1e-300)
    assert out[0] == 0.0 and out[-1] == 1.0 and out[3] == 0.5
    assert np.all(np.isfinite(dx)) and dx[3] == 0.25


def test_softmax_and_log_softmax_stable_at_1000():
    x = np.array([[1000.0, 999.0, 998.0], [-1000.0, 0.0, 1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = A.softmax(x)
        ls = A.log_softmax(x)
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(ls))
    np.testing.assert_allclose(s, torch.softmax(_t(x), dim=1).numpy(), rtol=1e-13)
    np.testing.assert_allclose(ls, torch.log_softmax(_t(x), dim=1).numpy(), rtol=1e-13)
    # log_softmax keeps the exact answer where log(softmax) would give log(0) = -inf.
    assert ls[1, 0] == pytest.approx(-2000.0, rel=1e-15)


# Derivatives exactly at the kinks follow torch.

def _torch_grad(fn, x):
    t = torch.tensor(x, requires_grad=True)
    fn(t).sum().backward()
    return t.grad.numpy()


def test_relu_kink_matches_torch():
    x = np.array([-1.0, -0.0, 0.0, 1.0])
    _, cache = A.relu_forward(x)
    dx = A.relu_backward(np.ones_like(x), cache)
    np.testing.assert_array_equal(dx, _torch_grad(torch.relu, x))
    assert dx[2] == 0.0


@pytest.mark.parametrize("slope", [0.01, 0.2, -0.5])
def test_leaky_relu_kink_matches_torch(slope):
    x = np.array([-1.0, -0.0, 0.0, 1.0])
    _, cache = A.leaky_relu_forward(x, negative_slope=slope)
    dx = A.leaky_relu_backward(np.ones_like(x), cache)
    np.testing.assert_allclose(
        dx, _torch_grad(lambda t: torch.nn.functional.leaky_relu(t, slope), x), rtol=1e-15)
    assert dx[2] == pytest.approx(slope)


# Property tests (hypothesis).

@FAST
@given(_finite_arrays(-20, 20, min_dims=0))
def test_tanh_is_rescaled_sigmoid(z):
    np.testing.assert_allclose(A.tanh(z), 2 * A.sigmoid(2 * z) - 1, atol=1e-12)


@FAST
@given(_finite_arrays(-700, 700, min_dims=0))
def test_sigmoid_bounds_and_symmetry(z):
    s, cache = A.sigmoid_forward(z)
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(A.sigmoid(-z), 1 - s, atol=1e-15)
    ds = A.sigmoid_backward(np.ones_like(z), cache)
    assert np.all((ds >= 0) & (ds <= 0.25))


@FAST
@given(_finite_arrays(-1e3, 1e3, min_dims=0))
def test_tanh_derivative_bounded_by_one(z):
    t, cache = A.tanh_forward(z)
    dt = A.tanh_backward(np.ones_like(z), cache)
    assert np.all(np.abs(t) <= 1) and np.all((dt >= 0) & (dt <= 1))


@FAST
@given(_finite_arrays(-1e3, 1e3, min_dims=0), st.floats(0.0, 1.0))
def test_relu_identities(x, slope):
    r = A.relu(x)
    np.testing.assert_array_equal(r - A.relu(-x), x)
    np.testing.assert_array_equal(A.relu(r), r)
    assert np.all(r >= 0)
    np.testing.assert_allclose(A.leaky_relu(x, slope), r - slope * A.relu(-x), rtol=1e-15,
                               atol=1e-300)
    np.testing.assert_array_equal(A.leaky_relu(x, 0.0), r)
    np.testing.assert_array_equal(A.leaky_relu(x, 1.0), x)


@FAST
@given(_finite_arrays(-50, 50), st.floats(-500, 500), st.integers(-1, 0))
def test_softmax_sums_to_one_and_is_shift_invariant(x, c, axis):
    s = A.softmax(x, axis=axis)
    assert np.all(s >= 0)
    np.testing.assert_allclose(np.sum(s, axis=axis), 1.0, rtol=1e-12)
    np.testing.assert_allclose(A.softmax(x + c, axis=axis), s, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(np.exp(A.log_softmax(x, axis=axis)), s, rtol=1e-12, atol=1e-300)


# Bad input.

def test_softmax_bad_axis_and_ndim():
    with pytest.raises(ValueError, match=r"axis must lie in \[-2, 1\]"):
        A.softmax(np.zeros((2, 3)), axis=2)
    with pytest.raises(TypeError, match="axis must be an integer"):
        A.softmax(np.zeros((2, 3)), axis=1.0)
    with pytest.raises(ValueError, match="at least 1 dimension"):
        A.log_softmax(3.0)
    with pytest.raises(ValueError, match="at least one entry along axis 1"):
        A.softmax(np.zeros((2, 0)))


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "softmax",
                                  "log_softmax"])
def test_non_finite_and_non_numeric_rejected(name):
    fn = getattr(A, name)
    with pytest.raises(ValueError, match="non-finite"):
        fn(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="non-finite"):
        fn(np.array([[1.0, np.inf]]))
    with pytest.raises(TypeError, match="array of numbers"):
        fn("1.0")
    with pytest.raises(TypeError, match="same length"):
        fn([[1.0, 2.0], [3.0]])


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "softmax",
                                  "log_softmax"])
def test_backward_rejects_wrong_dout_shape(name):
    _, cache = getattr(A, f"{name}_forward")(np.ones((2, 3)))
    backward = getattr(A, f"{name}_backward")
    with pytest.raises(ValueError, match=r"dout must have the shape .* \(2, 3\); got \(3, 2\)"):
        backward(np.ones((3, 2)), cache)
    with pytest.raises(ValueError, match="non-finite"):
        backward(np.full((2, 3), np.nan), cache)


def test_leaky_relu_bad_slope():
    with pytest.raises(TypeError, match="negative_slope must be a real number"):
        A.leaky_relu(np.ones(3), negative_slope="0.1")
    with pytest.raises(ValueError, match="negative_slope must be finite"):
        A.leaky_relu(np.ones(3), negative_slope=np.inf)


def _logistic(z):
    return 1.0 / (1.0 + np.exp(-z))


# A.activation_values: f and f' from the forward/backward pairs (the lecture 7 plots use it)

def test_activation_values_match_formulas_and_syllabus():
    z = np.linspace(-4, 4, 81)
    f, df = A.activation_values("sigmoid", z)
    np.testing.assert_allclose(f, _logistic(z), atol=1e-14)
    np.testing.assert_allclose(df, _logistic(z) * (1 - _logistic(z)), atol=1e-14)
    f, df = A.activation_values("tanh", np.array([2.0]))
    assert f[0] == pytest.approx(0.964028, abs=1e-6)
    assert df[0] == pytest.approx(0.070651, abs=1e-6)
    np.testing.assert_allclose(A.activation_values("tanh", z)[0], 2 * _logistic(2 * z) - 1,
                               atol=1e-14)
    f, df = A.activation_values("leaky_relu", z, negative_slope=0.2)
    np.testing.assert_allclose(f, np.where(z > 0, z, 0.2 * z))
    np.testing.assert_allclose(df, np.where(z > 0, 1.0, 0.2))


def test_activation_values_against_torch():
    torch = pytest.importorskip("torch")
    z = np.array([-2.5, -0.3, 0.7, 3.0])
    for name, fn in (("sigmoid", torch.sigmoid), ("tanh", torch.tanh), ("relu", torch.relu)):
        t = torch.tensor(z, requires_grad=True)
        fn(t).sum().backward()
        f, df = A.activation_values(name, z)
        np.testing.assert_allclose(f, fn(torch.tensor(z)).numpy(), atol=1e-12)
        np.testing.assert_allclose(df, t.grad.numpy(), atol=1e-12)
