"""The gradient checker itself: it must pass correct gradients and catch wrong ones."""

import numpy as np
import pytest

from dlcore.gradcheck import check_op, numerical_gradient, numerical_vjp, rel_error

pytestmark = pytest.mark.lec06


def test_numerical_gradient_of_known_functions(rng):
    x = rng.standard_normal((3, 4))
    g = numerical_gradient(lambda v: np.sum(np.sin(v) * v), x)
    assert rel_error(g, np.cos(x) * x + np.sin(x)) < 1e-9
    # x is restored exactly after the perturbations
    x0 = x.copy()
    numerical_gradient(lambda: float(np.sum(x**3)), x)
    assert np.array_equal(x, x0)


def test_numerical_vjp(rng):
    x, dout = rng.standard_normal(5), rng.standard_normal(5)
    assert rel_error(numerical_vjp(np.exp, x, dout), dout * np.exp(x)) < 1e-9


def test_rel_error_is_normwise():
    assert rel_error([1.0, 1e-12], [1.0, 0.0]) < 1e-11
    assert rel_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert rel_error([1.0, 2.0], [1.0, 2.2]) == pytest.approx(0.2 / 2.2)
    assert rel_error([np.nan], [1.0]) == float("inf")
    with pytest.raises(ValueError, match=r"same shape.*\(2,\).*\(3,\)"):
        rel_error(np.zeros(2), np.zeros(3))


def _tanh_layer(x, w):
    out = np.tanh(x @ w.T)
    return out, (x, w, out)


def _tanh_layer_backward(dout, cache):
    x, w, out = cache
    da = dout * (1 - out**2)
    return da @ w, da.T @ x


def _tanh_layer_backward_wrong(dout, cache):
    x, w, out = cache
    da = dout * (1 - out)  # the classic slip: derivative of tanh written as 1 - tanh
    return da @ w, da.T @ x


def test_check_op_passes_a_correct_pair_against_torch(rng):
    import torch

    res = check_op(_tanh_layer, _tanh_layer_backward,
                   [rng.standard_normal((4, 3)), rng.standard_normal((2, 3))],
                   names=["x", "w"], torch_fn=lambda x, w: torch.tanh(x @ w.T))
    assert res.ok and set(res.numeric) == {"x", "w"} == set(res.torch)
    assert res.max_error < 1e-8


def test_check_op_catches_a_wrong_backward(rng):
    with pytest.raises(AssertionError, match="FAILED"):
        check_op(_tanh_layer, _tanh_layer_backward_wrong,
                 [rng.standard_normal((4, 3)), rng.standard_normal((2, 3))])


def test_check_op_catches_a_wrong_forward_against_torch(rng):
    import torch

    res = check_op(_tanh_layer, _tanh_layer_backward,
                   [rng.standard_normal((4, 3)), rng.standard_normal((2, 3))],
                   torch_fn=lambda x, w: torch.sigmoid(x @ w.T), raise_on_fail=False)
    assert not res.ok and res.forward_vs_torch > 1e-3


def test_check_op_reports_wrong_gradient_shape(rng):
    def bad_backward(dout, cache):
        dx, dw = _tanh_layer_backward(dout, cache)
        return dx, dw.T

    with pytest.raises(AssertionError, match=r"gradient for arg1 has shape \(3, 2\), expected"):
        check_op(_tanh_layer, bad_backward,
                 [rng.standard_normal((4, 3)), rng.standard_normal((2, 3))])


def test_numerical_gradient_needs_float64():
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(np.sum, np.zeros(3, dtype=np.float32))
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(np.sum, [1.0, 2.0])
    with pytest.raises(ValueError, match="scalar"):
        numerical_gradient(lambda v: v, np.zeros(3))
