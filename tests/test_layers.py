"""dlcore.layers: linear, inverted dropout and batch norm against torch, statistics and errors.

Gradients of every pair are checked in tests/optable/layers.py.
"""

import numpy as np
import pytest

from dlcore import layers as Lyr

torch = pytest.importorskip("torch")


def _t(x):
    return torch.tensor(np.asarray(x, dtype=np.float64))


# Linear.

@pytest.mark.lec06
@pytest.mark.parametrize("bias", [True, False])
def test_linear_matches_torch_layout(rng, bias):
    x = rng.standard_normal((4, 3))
    lin = torch.nn.Linear(3, 5, bias=bias).double()
    w = lin.weight.detach().numpy().copy()
    b = lin.bias.detach().numpy().copy() if bias else None
    out, cache = Lyr.linear_forward(x, w, b)
    assert out.shape == (4, 5)
    np.testing.assert_allclose(out, lin(_t(x)).detach().numpy(), rtol=1e-13)
    dx, dw, db = Lyr.linear_backward(np.ones((4, 5)), cache)
    assert dx.shape == (4, 3) and dw.shape == (5, 3)
    assert (db is None) == (not bias)
    if bias:
        np.testing.assert_array_equal(db, np.full(5, 4.0))


@pytest.mark.lec06
def test_linear_single_sample_batch(rng):
    x = rng.standard_normal((1, 3))
    w = rng.standard_normal((2, 3))
    out, _ = Lyr.linear_forward(x, w)
    np.testing.assert_allclose(out[0], w @ x[0], rtol=1e-14)


@pytest.mark.lec06
def test_linear_bad_input(rng):
    w = rng.standard_normal((5, 3))
    with pytest.raises(ValueError, match=r"x must be a 2-D array of shape \(N, D\).*x\[None, :\]"):
        Lyr.linear_forward(np.ones(3), w)
    with pytest.raises(ValueError, match=r"x must be a 2-D array of shape \(N, D\)"):
        Lyr.linear_forward(np.ones((2, 3, 1)), w)
    with pytest.raises(ValueError, match=r"w must have shape \(M, D\) with D=3"):
        Lyr.linear_forward(np.ones((2, 3)), np.ones((5, 4)))
    with pytest.raises(ValueError, match=r"w must be a 2-D array of shape \(M, D\)"):
        Lyr.linear_forward(np.ones((2, 3)), np.ones(3))
    with pytest.raises(ValueError, match=r"b must have shape \(M,\) with M=5"):
        Lyr.linear_forward(np.ones((2, 3)), w, np.ones(4))
    with pytest.raises(ValueError, match="non-finite"):
        Lyr.linear_forward(np.array([[1.0, np.nan, 0.0]]), w)
    with pytest.raises(TypeError, match="array of numbers"):
        Lyr.linear_forward([["a", "b", "c"]], w)
    _, cache = Lyr.linear_forward(np.ones((2, 3)), w)
    with pytest.raises(ValueError, match=r"dout must have the shape .* \(2, 5\)"):
        Lyr.linear_backward(np.ones((5, 2)), cache)


# Dropout.

@pytest.mark.lec08
def test_dropout_mask_rule_and_scaling():
    x = np.arange(1.0, 13.0).reshape(3, 4)
    out, _ = Lyr.dropout_forward(x, p=0.25, rng=3)
    keep = np.random.default_rng(3).random(x.shape) >= 0.25
    np.testing.assert_allclose(out, np.where(keep, x / 0.75, 0.0), rtol=1e-15)


@pytest.mark.lec08
def test_dropout_reproducible_from_int_seed(rng):
    x = rng.standard_normal((20, 10))
    a, _ = Lyr.dropout_forward(x, p=0.5, rng=11)
    b, _ = Lyr.dropout_forward(x, p=0.5, rng=11)
    c, _ = Lyr.dropout_forward(x, p=0.5, rng=12)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    # A Generator is advanced, so two calls draw two different masks.
    g = np.random.default_rng(0)
    assert not np.array_equal(Lyr.dropout_forward(x, rng=g)[0], Lyr.dropout_forward(x, rng=g)[0])


@pytest.mark.lec08
@pytest.mark.parametrize("p", [0.2, 0.5, 0.9])
def test_dropout_monte_carlo_mean_preserved(p):
    # Each output entry is x / (1 - p) with probability 1 - p and 0 otherwise: mean x, variance
    # x^2 p / (1 - p).  Averaging n independent entries of x = 1 gives a standard error
    # sqrt(p / ((1 - p) n)); 5 standard errors fails by chance with probability ~6e-7 (and the
    # seed is fixed, so the test is deterministic anyway), while a missing 1/(1 - p) scaling or
    # p read as the keep probability moves the mean by at least 0.2, i.e. > 20 standard errors.
    n = 200_000
    out, _ = Lyr.dropout_forward(np.ones(n), p=p, rng=2024)
    se = np.sqrt(p / ((1 - p) * n))
    assert abs(out.mean() - 1.0) < 5 * se
    kept = out != 0
    assert abs(kept.mean() - (1 - p)) < 5 * np.sqrt(p * (1 - p) / n)
    np.testing.assert_allclose(out[kept], 1.0 / (1.0 - p), rtol=1e-15)


@pytest.mark.lec08
def test_dropout_seed_keep_probabilities():
    # The seeds' keep probabilities 0.8 (input) and 0.5 (hidden) are p = 0.2 and 0.5 here.
    n = 100_000
    for keep_prob in (0.8, 0.5):
        out, _ = Lyr.dropout_forward(np.ones(n), p=1 - keep_prob, rng=5)
        assert abs((out != 0).mean() - keep_prob) < 0.01


@pytest.mark.lec08
def test_dropout_eval_and_p0_are_identity(rng):
    x = rng.standard_normal((5, 4))
    g = np.random.default_rng(9)
    state = g.bit_generator.state
    for kwargs in ({"p": 0.5, "training": False}, {"p": 0.0, "training": True}):
        out, cache = Lyr.dropout_forward(x, rng=g, **kwargs)
        np.testing.assert_array_equal(out, x)
        assert out is not x
        dout = rng.standard_normal(x.shape)
        np.testing.assert_array_equal(Lyr.dropout_backward(dout, cache), dout)
    assert g.bit_generator.state == state  # nothing was drawn
    np.testing.assert_array_equal(
        Lyr.dropout_forward(x, p=0.5, training=False)[0],
        torch.nn.functional.dropout(_t(x), p=0.5, training=False).numpy())


@pytest.mark.lec08
def test_dropout_backward_uses_the_mask(rng):
    x = rng.standard_normal((6, 7)) + 10.0  # nonzero, so a zero output means dropped
    out, cache = Lyr.dropout_forward(x, p=0.4, rng=1)
    dout = rng.standard_normal(x.shape)
    dx = Lyr.dropout_backward(dout, cache)
    np.testing.assert_array_equal(dx[out == 0], 0.0)
    np.testing.assert_allclose(dx[out != 0], dout[out != 0] / 0.6, rtol=1e-15)


@pytest.mark.lec08
def test_dropout_bad_input(rng):
    x = np.ones((2, 3))
    with pytest.raises(ValueError, match=r"drop probability and must lie in \[0, 1\); p = 1"):
        Lyr.dropout_forward(x, p=1.0)
    for p in (-0.1, 1.5):
        with pytest.raises(ValueError, match=r"must lie in \[0, 1\)"):
            Lyr.dropout_forward(x, p=p)
    with pytest.raises(TypeError, match="p .* must be a real number"):
        Lyr.dropout_forward(x, p="0.5")
    with pytest.raises(TypeError, match="training must be True or False"):
        Lyr.dropout_forward(x, training="yes")
    with pytest.raises(TypeError, match="rng must be"):
        Lyr.dropout_forward(x, rng="seed")
    with pytest.raises(ValueError, match="non-finite"):
        Lyr.dropout_forward(np.array([np.inf]))
    _, cache = Lyr.dropout_forward(x, rng=0)
    with pytest.raises(ValueError, match=r"dout must have the shape .* \(2, 3\)"):
        Lyr.dropout_backward(np.ones(6), cache)


# Batch norm.

@pytest.mark.lec08
def test_batchnorm_syllabus_example():
    x = np.array([[1.0], [2.0], [3.0], [4.0]])
    out, _ = Lyr.batchnorm_forward(x, None, None, eps=0.0)
    np.testing.assert_allclose(out.ravel(), [-1.341641, -0.447214, 0.447214, 1.341641],
                               atol=5e-7)
    out, _ = Lyr.batchnorm_forward(x, np.array([2.0]), np.array([1.0]), eps=0.0)
    np.testing.assert_allclose(out.ravel(), [-1.683282, 0.105573, 1.894427, 3.683282],
                               atol=5e-7)


def _torch_bn(shape, rng):
    c = shape[1]
    bn = (torch.nn.BatchNorm1d(c) if len(shape) in (2, 3) else torch.nn.BatchNorm2d(c)).double()
    with torch.no_grad():
        bn.weight.copy_(_t(rng.uniform(0.5, 2.0, c)))
        bn.bias.copy_(_t(rng.standard_normal(c)))
    return bn


@pytest.mark.lec08
@pytest.mark.parametrize("shape", [(8, 3), (4, 3, 5), (4, 3, 2, 5)])
def test_batchnorm_running_stats_and_eval_match_torch(rng, shape):
    c = shape[1]
    bn = _torch_bn(shape, rng)
    gamma = bn.weight.detach().numpy().copy()
    beta = bn.bias.detach().numpy().copy()
    running_mean, running_var = np.zeros(c), np.ones(c)
    rm_id, rv_id = id(running_mean), id(running_var)
    bn.train()
    for step in range(3):
        x = 3.0 * rng.standard_normal(shape) + step
        out, _ = Lyr.batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True)
        np.testing.assert_allclose(out, bn(_t(x)).detach().numpy(), rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(running_mean, bn.running_mean.numpy(), rtol=1e-13)
        np.testing.assert_allclose(running_var, bn.running_var.numpy(), rtol=1e-13)
    assert id(running_mean) == rm_id and id(running_var) == rv_id  # updated in place
    bn.eval()
    x = rng.standard_normal(shape)
    before = (running_mean.copy(), running_var.copy())
    out, _ = Lyr.batchnorm_forward(x, gamma, beta, running_mean, running_var, training=False)
    np.testing.assert_allclose(out, bn(_t(x)).detach().numpy(), rtol=1e-12, atol=1e-13)
    # Eval mode must not touch the running stats.
    np.testing.assert_array_equal(running_mean, before[0])
    np.testing.assert_array_equal(running_var, before[1])


@pytest.mark.lec08
def test_batchnorm_normalises_per_channel(rng):
    x = rng.standard_normal((5, 3, 4, 4)) * np.array([1.0, 5.0, 0.1]).reshape(1, 3, 1, 1) + 7
    out, _ = Lyr.batchnorm_forward(x, np.ones(3), np.zeros(3), eps=0.0)
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), 0.0, atol=1e-13)
    np.testing.assert_allclose(out.var(axis=(0, 2, 3)), 1.0, rtol=1e-12)


@pytest.mark.lec08
def test_batchnorm_training_gradient_projects_out_mean_and_scale(rng):
    # out does not change when a constant is added to a feature, or (without eps) when the
    # feature is scaled, so dx must be orthogonal to both directions (independent of the formula).
    x = rng.standard_normal((7, 4))
    _, cache = Lyr.batchnorm_forward(x, rng.uniform(0.5, 2, 4), rng.standard_normal(4),
                                     eps=0.0)
    dx, _, _ = Lyr.batchnorm_backward(rng.standard_normal((7, 4)), cache)
    np.testing.assert_allclose(dx.sum(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose((dx * (x - x.mean(axis=0))).sum(axis=0), 0.0, atol=1e-12)


@pytest.mark.lec08
def test_batchnorm_bad_input(rng):
    x = rng.standard_normal((4, 3))
    g, b = np.ones(3), np.zeros(3)
    with pytest.raises(ValueError, match=r"x must be a 2-D or 3-D or 4-D array of shape \(N, D\)"):
        Lyr.batchnorm_forward(np.ones(4), None, None)
    with pytest.raises(ValueError, match=r"gamma must have shape \(D,\) = \(3,\)"):
        Lyr.batchnorm_forward(x, np.ones(4), b)
    with pytest.raises(ValueError, match=r"beta must have shape \(C,\) = \(2,\)"):
        Lyr.batchnorm_forward(np.ones((2, 2, 3, 3)), np.ones(2), np.zeros(3))
    with pytest.raises(ValueError, match="both running_mean and running_var"):
        Lyr.batchnorm_forward(x, g, b, running_mean=np.zeros(3))
    with pytest.raises(ValueError, match=r"eval mode .* running_mean and running_var of shape"):
        Lyr.batchnorm_forward(x, g, b, training=False)
    with pytest.raises(TypeError, match=r"running_mean must be a float numpy array of shape"):
        Lyr.batchnorm_forward(x, g, b, [0.0, 0.0, 0.0], np.ones(3))
    with pytest.raises(ValueError, match=r"running_var must have shape \(D,\) = \(3,\)"):
        Lyr.batchnorm_forward(x, g, b, np.zeros(3), np.ones(2))
    with pytest.raises(ValueError, match="more than 1 value per D"):
        Lyr.batchnorm_forward(x[:1], g, b)
    with pytest.raises(ValueError, match="zero variance and eps = 0"):
        Lyr.batchnorm_forward(np.ones((4, 3)), g, b, eps=0.0)
    with pytest.raises(ValueError, match=r"momentum must lie in \[0, 1\]"):
        Lyr.batchnorm_forward(x, g, b, momentum=1.5)
    with pytest.raises(ValueError, match="eps must be a finite number >= 0"):
        Lyr.batchnorm_forward(x, g, b, eps=-1e-5)
    with pytest.raises(TypeError, match="training must be True or False"):
        Lyr.batchnorm_forward(x, g, b, training=1)
    with pytest.raises(ValueError, match="non-finite"):
        Lyr.batchnorm_forward(np.full((4, 3), np.nan), g, b)
    with pytest.raises(ValueError, match="running_var must be >= 0"):
        Lyr.batchnorm_forward(x, g, b, np.zeros(3), -np.ones(3), training=False)
    _, cache = Lyr.batchnorm_forward(x, g, b)
    with pytest.raises(ValueError, match=r"dout must have the shape .* \(4, 3\)"):
        Lyr.batchnorm_backward(np.ones((3, 4)), cache)
