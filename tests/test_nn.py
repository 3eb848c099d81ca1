"""dlcore.nn modules against torch.nn: state_dict layout, forward, gradients, init, towers, errors.

Every comparison loads dlcore's state_dict into the equivalent float64 torch module, runs the
same input and upstream gradient through both, and compares the output, dx and every
parameter gradient (normwise relative error below 1e-10).
"""

from collections import OrderedDict

import numpy as np
import pytest

import dlcore.nn as nn
from dlcore.gradcheck import numerical_gradient, rel_error

torch = pytest.importorskip("torch")
tnn = torch.nn

pytestmark = pytest.mark.lec06


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    # Tiny float64 ops: thread hand-off dominates, and on a shared machine it is ~20x slower.
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
TOL = 1e-10

TORCH_ACT = {"relu": tnn.ReLU, "sigmoid": tnn.Sigmoid, "tanh": tnn.Tanh,
             "leaky_relu": tnn.LeakyReLU, "identity": tnn.Identity}


def to_torch_state(state):
    return OrderedDict((k, torch.as_tensor(np.array(v))) for k, v in state.items())


def assert_same_layout(dl_module, t_module):
    dl_sd, t_sd = dl_module.state_dict(), t_module.state_dict()
    assert list(dl_sd) == list(t_sd)
    for key in t_sd:
        assert dl_sd[key].shape == tuple(t_sd[key].shape), key


def compare_with_torch(dl_module, t_module, x, rng, load=True):
    """Forward, dx and every parameter gradient of dlcore vs torch for one upstream gradient."""
    t_module = t_module.double()
    assert_same_layout(dl_module, t_module)
    if load:
        t_module.load_state_dict(to_torch_state(dl_module.state_dict()))
    dl_module.zero_grad()
    out = dl_module(x)
    xt = torch.tensor(x, requires_grad=True)
    out_t = t_module(xt)
    assert out.shape == tuple(out_t.shape)
    assert rel_error(out, out_t.detach().numpy()) < TOL
    dout = rng.standard_normal(out.shape)
    dx = dl_module.backward(dout)
    out_t.backward(torch.tensor(dout))
    assert rel_error(dx, xt.grad.numpy()) < TOL
    t_params = dict(t_module.named_parameters())
    dl_params = dict(dl_module.named_parameters())
    assert list(dl_params) == list(t_params)
    for name, p in dl_params.items():
        assert rel_error(p.grad, t_params[name].grad.numpy()) < TOL, name
    return out, dx


# -- Linear, MLP, Sequential ---------------------------------------------------------------------

@pytest.mark.lec05
@pytest.mark.parametrize("bias", [True, False])
def test_linear_matches_torch(bias, rng):
    layer = nn.Linear(3, 4, bias=bias, rng=rng)
    assert (layer.bias is None) == (not bias)
    compare_with_torch(layer, tnn.Linear(3, 4, bias=bias), rng.standard_normal((5, 3)), rng)


@pytest.mark.lec05
@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "leaky_relu", "identity"])
def test_mlp_matches_torch(activation, rng):
    sizes = [3, 6, 5, 2]
    model = nn.MLP(sizes, activation=activation, rng=rng)
    act = TORCH_ACT[activation]
    torch_model = tnn.Sequential(tnn.Linear(3, 6), act(), tnn.Linear(6, 5), act(),
                                 tnn.Linear(5, 2))
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias",
                                        "4.weight", "4.bias"]
    compare_with_torch(model, torch_model, rng.standard_normal((7, 3)), rng)


@pytest.mark.lec05
def test_mlp_output_activation_and_no_bias(rng):
    model = nn.MLP([2, 4, 1], activation="tanh", output_activation="sigmoid", bias=False,
                   rng=rng)
    torch_model = tnn.Sequential(tnn.Linear(2, 4, bias=False), tnn.Tanh(),
                                 tnn.Linear(4, 1, bias=False), tnn.Sigmoid())
    compare_with_torch(model, torch_model, rng.standard_normal((6, 2)), rng)
    assert model.num_parameters() == 2 * 4 + 4 * 1


def test_sequential_with_flatten_matches_torch(rng):
    model = nn.Sequential(nn.Flatten(), nn.Linear(12, 5, rng=rng), nn.LeakyReLU(0.2),
                          nn.Linear(5, 3, rng=rng), nn.Tanh())
    torch_model = tnn.Sequential(tnn.Flatten(), tnn.Linear(12, 5), tnn.LeakyReLU(0.2),
                                 tnn.Linear(5, 3), tnn.Tanh())
    _, dx = compare_with_torch(model, torch_model, rng.standard_normal((4, 3, 2, 2)), rng)
    assert dx.shape == (4, 3, 2, 2)


def test_linear_gradient_matches_central_differences(rng):
    layer = nn.Linear(3, 2, rng=rng)
    x = rng.standard_normal((4, 3))
    dout = rng.standard_normal((4, 2))
    layer(x)
    dx = layer.backward(dout)
    num_w = numerical_gradient(lambda: np.sum(layer(x) * dout), layer.weight.data)
    num_x = numerical_gradient(lambda: np.sum(layer(x) * dout), x)
    assert rel_error(layer.weight.grad, num_w) < 1e-8
    assert rel_error(dx, num_x) < 1e-8


def test_sequential_container_protocol(rng):
    a, b, c = nn.Linear(2, 3, rng=rng), nn.ReLU(), nn.Linear(3, 1, rng=rng)
    seq = nn.Sequential(a, b, c)
    assert len(seq) == 3
    assert list(seq) == [a, b, c]
    assert seq[0] is a and seq[-1] is c
    tail = seq[1:]
    assert isinstance(tail, nn.Sequential) and list(tail) == [b, c]
    assert list(tail.state_dict()) == ["2.weight", "2.bias"]  # names kept, as torch
    assert [name for name, _ in seq.named_children()] == ["0", "1", "2"]
    with pytest.raises(IndexError, match="out of range"):
        seq[3]
    with pytest.raises(TypeError, match="dlcore.nn.Module"):
        nn.Sequential(a, np.tanh)
    seq.append(nn.Sigmoid())
    assert len(seq) == 4 and isinstance(seq[3], nn.Sigmoid)


def test_load_state_dict_from_torch(rng):
    torch.manual_seed(0)
    torch_model = tnn.Sequential(tnn.Linear(3, 8), tnn.ReLU(), tnn.Linear(8, 2)).double()
    model = nn.MLP([3, 8, 2], rng=rng)
    model.load_state_dict(torch_model.state_dict())
    x = rng.standard_normal((5, 3))
    expected = torch_model(torch.tensor(x)).detach().numpy()
    assert rel_error(model(x), expected) < TOL


def test_load_state_dict_errors_name_key_and_shape(rng):
    model = nn.MLP([3, 8, 2], rng=rng)
    state = model.state_dict()
    bad = dict(state)
    bad["2.weight"] = np.zeros((3, 8))
    with pytest.raises(ValueError, match=r"2\.weight must have shape \(2, 8\); got \(3, 8\)"):
        model.load_state_dict(bad)
    missing = dict(state)
    del missing["0.bias"]
    with pytest.raises(KeyError, match=r"missing keys \['0\.bias'\]"):
        model.load_state_dict(missing)
    extra = dict(state, **{"1.weight": np.zeros(2)})
    with pytest.raises(KeyError, match=r"unexpected keys \['1\.weight'\]"):
        model.load_state_dict(extra)


# -- Dropout --------------------------------------------------------------------------------------

@pytest.mark.lec08
def test_dropout_train_mode_matches_torch_with_the_same_mask(rng):
    p = 0.3
    layer = nn.Dropout(p, rng=0)
    x = rng.standard_normal((50, 40))
    out = layer(x)
    mask = out != 0  # x has no zeros, so the kept units are exactly the non-zero outputs
    assert abs(mask.mean() - (1 - p)) < 0.03  # 2000 draws: std of the mean ~ 0.01
    xt = torch.tensor(x, requires_grad=True)
    out_t = xt * torch.tensor(mask, dtype=torch.float64) / (1 - p)
    assert rel_error(out, out_t.detach().numpy()) < TOL
    dout = rng.standard_normal(x.shape)
    out_t.backward(torch.tensor(dout))
    assert rel_error(layer.backward(dout), xt.grad.numpy()) < TOL


@pytest.mark.lec08
def test_dropout_eval_is_identity_and_seeded(rng):
    x = rng.standard_normal((4, 5))
    layer = nn.Dropout(0.5).eval()
    compare_with_torch(layer, tnn.Dropout(0.5).eval(), x, rng)
    assert np.array_equal(layer(x), x)
    a, b = nn.Dropout(0.5, rng=7), nn.Dropout(0.5, rng=7)
    first = a(x)
    assert np.array_equal(first, b(x))
    assert not np.array_equal(first, a(x))  # a seeded layer still draws a new mask per call


# -- BatchNorm ------------------------------------------------------------------------------------

def _random_bn_state(module, rng):
    state = module.state_dict()
    c = module.num_features
    state["weight"] = rng.uniform(0.5, 2.0, c)
    state["bias"] = rng.standard_normal(c)
    state["running_mean"] = rng.standard_normal(c)
    state["running_var"] = rng.uniform(0.5, 2.0, c)
    module.load_state_dict(state)


@pytest.mark.lec08
@pytest.mark.parametrize("cls, tcls, shape", [
    (nn.BatchNorm1d, tnn.BatchNorm1d, (8, 3)),
    (nn.BatchNorm1d, tnn.BatchNorm1d, (6, 3, 4)),
    (nn.BatchNorm2d, tnn.BatchNorm2d, (4, 3, 5, 5)),
])
@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_matches_torch(cls, tcls, shape, training, rng):
    layer = cls(3)
    _random_bn_state(layer, rng)
    torch_layer = tcls(3).double()
    assert_same_layout(layer, torch_layer)
    torch_layer.load_state_dict(to_torch_state(layer.state_dict()))
    layer.train(training)
    torch_layer.train(training)
    x = 2.0 + 3.0 * rng.standard_normal(shape)
    compare_with_torch(layer, torch_layer, x, rng, load=False)
    # Running statistics (unbiased variance) and the batch counter follow torch.
    t_state = torch_layer.state_dict()
    for key, value in layer.state_dict().items():
        assert rel_error(value, t_state[key].numpy()) < TOL, key
    assert int(layer.num_batches_tracked) == int(training)


@pytest.mark.lec08
def test_batchnorm_state_dict_round_trip_and_cumulative_momentum(rng):
    layer, torch_layer = nn.BatchNorm1d(4, momentum=None), tnn.BatchNorm1d(4, momentum=None)
    torch_layer = torch_layer.double()
    for _ in range(3):
        x = rng.standard_normal((10, 4)) * 2 + 1
        layer(x)
        torch_layer(torch.tensor(x))
    for key, value in torch_layer.state_dict().items():
        assert rel_error(layer.state_dict()[key], value.numpy()) < TOL, key
    assert layer.state_dict()["num_batches_tracked"].dtype == np.int64
    fresh = nn.BatchNorm1d(4)
    fresh.load_state_dict(torch_layer.state_dict())
    assert int(fresh.num_batches_tracked) == 3
    assert "num_batches_tracked" in dict(fresh._buffers)


@pytest.mark.lec08
def test_batchnorm_bad_input(rng):
    with pytest.raises(ValueError, match=r"3 channels on axis 1; got shape \(5, 4\)"):
        nn.BatchNorm1d(3)(rng.standard_normal((5, 4)))
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        nn.BatchNorm2d(3)(rng.standard_normal((5, 3)))
    with pytest.raises(ValueError, match="more than 1 value"):
        nn.BatchNorm1d(3)(rng.standard_normal((1, 3)))


# -- Module behaviour -----------------------------------------------------------------------------

def test_backward_accumulates_and_zero_grad_resets(rng):
    model = nn.MLP([3, 4, 2], rng=rng)
    x, dout = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    model(x)
    model.backward(dout)
    once = [p.grad.copy() for p in model.parameters()]
    assert all(np.any(g != 0) for g in once)
    model.backward(dout)
    for p, g in zip(model.parameters(), once):
        np.testing.assert_allclose(p.grad, 2 * g, rtol=1e-14)
    model.zero_grad()
    assert all(np.all(p.grad == 0) for p in model.parameters())


def test_train_eval_propagate_to_children(rng):
    model = nn.Sequential(nn.Linear(2, 3, rng=rng), nn.Sequential(nn.Dropout(), nn.ReLU()),
                          nn.BatchNorm1d(3))
    model.eval()
    assert all(not m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


def test_backward_before_forward_is_an_error():
    with pytest.raises(RuntimeError, match="forward"):
        nn.Linear(2, 3).backward(np.ones((1, 3)))


def test_repr_matches_torch(rng):
    model = nn.MLP([2, 4, 4, 1], activation="relu", output_activation="sigmoid", rng=rng)
    torch_model = tnn.Sequential(tnn.Linear(2, 4), tnn.ReLU(), tnn.Linear(4, 4), tnn.ReLU(),
                                 tnn.Linear(4, 1), tnn.Sigmoid())
    assert repr(model) == repr(torch_model).replace("Sequential", "MLP", 1)
    assert repr(nn.LeakyReLU(0.2)) == repr(tnn.LeakyReLU(0.2))
    assert repr(nn.Dropout(0.25)) == "Dropout(p=0.25)"
    assert repr(nn.BatchNorm2d(8)) == "BatchNorm2d(8, eps=1e-05, momentum=0.1)"


def test_loss_modules_match_torch(rng):
    z = rng.standard_normal((6, 3))
    labels = rng.integers(0, 3, 6)
    cases = [
        (nn.CrossEntropyLoss(), tnn.CrossEntropyLoss(), labels, torch.tensor(labels)),
        (nn.MSELoss(), tnn.MSELoss(), rng.standard_normal(z.shape), None),
        (nn.BCEWithLogitsLoss(), tnn.BCEWithLogitsLoss(), rng.uniform(0, 1, z.shape), None),
    ]
    for dl_loss, t_loss, target, t_target in cases:
        t_target = torch.tensor(target) if t_target is None else t_target
        zt = torch.tensor(z, requires_grad=True)
        value_t = t_loss(zt, t_target)
        value_t.backward()
        assert abs(dl_loss(z, target) - value_t.item()) < 1e-12
        assert rel_error(dl_loss.backward(), zt.grad.numpy()) < TOL
    y = rng.standard_normal(z.shape)
    sq = nn.SquaredErrorLoss()
    assert np.isclose(sq(z, y), 0.5 * np.sum((z - y) ** 2), rtol=1e-14)
    np.testing.assert_allclose(sq.backward(2.0), 2.0 * (z - y), rtol=1e-14)


# -- Bad input ------------------------------------------------------------------------------------

def test_linear_bad_input(rng):
    layer = nn.Linear(3, 2, rng=rng)
    with pytest.raises(ValueError, match=r"in_features=3.*\(N, 3\); got shape \(5, 4\)"):
        layer(rng.standard_normal((5, 4)))
    with pytest.raises(ValueError, match=r"2-D array of shape \(N, 3\); got 1-D"):
        layer(rng.standard_normal(3))
    with pytest.raises(ValueError, match="non-finite"):
        layer(np.array([[1.0, np.nan, 0.0]]))
    with pytest.raises(TypeError, match="array of numbers"):
        layer("abc")
    with pytest.raises(ValueError, match="in_features must be >= 1"):
        nn.Linear(0, 2)
    with pytest.raises(TypeError, match="out_features must be an integer"):
        nn.Linear(2, 1.5)


@pytest.mark.lec05
def test_mlp_bad_arguments():
    with pytest.raises(ValueError, match="activation must be one of 'relu', 'sigmoid'"):
        nn.MLP([2, 3, 1], activation="softplus")
    with pytest.raises(ValueError, match="output_activation must be one of"):
        nn.MLP([2, 3, 1], output_activation="soft")
    with pytest.raises(ValueError, match="at least an input and an output width"):
        nn.MLP([2])
    with pytest.raises(ValueError, match=r"sizes\[1\] must be >= 1"):
        nn.MLP([2, 0, 1])
    with pytest.raises(TypeError, match="list of layer widths"):
        nn.MLP(3)


def test_dropout_and_leaky_relu_bad_arguments():
    with pytest.raises(ValueError, match=r"p \(the drop probability\) must lie in \[0, 1\)"):
        nn.Dropout(1.0)
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\)"):
        nn.Dropout(-0.1)
    with pytest.raises(TypeError, match="negative_slope must be a real number"):
        nn.LeakyReLU("0.1")
    with pytest.raises(ValueError, match="negative_slope must be finite"):
        nn.LeakyReLU(float("inf"))


# -- Initialisation -------------------------------------------------------------------------------

@pytest.mark.lec08
def test_default_init_matches_torch_bounds():
    fan_in = 400
    bound = 1 / np.sqrt(fan_in)
    layer = nn.Linear(fan_in, 300, rng=0)
    torch_layer = tnn.Linear(fan_in, 300)
    for w, tw in ((layer.weight.data, torch_layer.weight), (layer.bias.data, torch_layer.bias)):
        tw = tw.detach().numpy()
        assert np.abs(w).max() <= bound and np.abs(tw).max() <= bound
        # Both fill the interval: the largest of many U(-a, a) draws is close to a.
        assert np.abs(w).max() > 0.95 * bound and np.abs(tw).max() > 0.95 * bound
    # U(-a, a) has variance a^2/3; 120,000 draws give a relative standard error of
    # sqrt(0.8 / 120000) = 0.26% (uniform kurtosis 1.8), so 2% is over 7 standard errors.
    assert abs(layer.weight.data.var() / (bound**2 / 3) - 1) < 0.02
    assert np.array_equal(nn.Linear(3, 4, rng=5).weight.data, nn.Linear(3, 4, rng=5).weight.data)


class _ConvLike(nn.Module):
    """A module with a (F, C, KH, KW) weight, as Conv2d will have."""

    def __init__(self, shape):
        super().__init__()
        self.weight = nn.Parameter(np.ones(shape))
        self.bias = nn.Parameter(np.ones(shape[0]))


@pytest.mark.lec08
@pytest.mark.parametrize("scheme, variance, uniform_bound", [
    ("normal", lambda fi, fo: 0.01**2, None),
    ("xavier_uniform", lambda fi, fo: 2 / (fi + fo), lambda fi, fo: np.sqrt(6 / (fi + fo))),
    ("xavier_normal", lambda fi, fo: 2 / (fi + fo), None),
    ("he_normal", lambda fi, fo: 2 / fi, None),
    ("he_uniform", lambda fi, fo: 2 / fi, lambda fi, fo: np.sqrt(6 / fi)),
    ("torch_default", lambda fi, fo: 1 / (3 * fi), lambda fi, fo: 1 / np.sqrt(fi)),
])
def test_init_schemes_have_the_right_variance(scheme, variance, uniform_bound):
    # Two layers of 320,000 and 147,456 weights.  The sample variance of n draws has relative
    # standard error sqrt((kurtosis - 1) / n): at most sqrt(2 / 147456) = 0.37% (normal), so a
    # 2.5% tolerance is about 7 standard errors and a wrong formula (factor >= 1.5) fails.
    model = nn.Sequential(nn.Linear(800, 400, rng=0), nn.ReLU(), _ConvLike((256, 64, 3, 3)))
    fans = [(800, 400), (64 * 9, 256 * 9)]
    assert nn.fan_in_fan_out((256, 64, 3, 3)) == fans[1]
    assert nn.init_weights(model, scheme, rng=1) is model
    for layer, (fi, fo) in zip((model[0], model[2]), fans):
        w, b = layer.weight.data, layer.bias.data
        assert abs(w.var() / variance(fi, fo) - 1) < 0.025, (scheme, w.shape)
        assert abs(w.mean()) < 7 * np.sqrt(variance(fi, fo) / w.size)
        if uniform_bound is not None:
            assert np.abs(w).max() <= uniform_bound(fi, fo)
        if scheme == "torch_default":
            assert np.abs(b).max() <= 1 / np.sqrt(fi) and np.any(b != 0)
        else:
            assert np.all(b == 0)


@pytest.mark.lec08
def test_init_zeros_normal_std_fans_and_errors(rng):
    fans = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(6, 4, 5, 3))
    assert nn.fan_in_fan_out((6, 4, 5, 3)) == fans
    model = nn.MLP([5, 7, 2], rng=rng)
    nn.init_weights(model, "zeros")
    assert all(np.all(p.data == 0) for p in model.parameters())
    nn.init_weights(model, "normal", rng=0, std=2.0)
    assert 1.5 < model[0].weight.data.std() < 2.5  # 35 draws of N(0, 4)
    a, b = nn.MLP([5, 7, 2], rng=1), nn.MLP([5, 7, 2], rng=2)
    nn.init_weights(a, "he_normal", rng=3)
    nn.init_weights(b, "he_normal", rng=3)
    assert all(np.array_equal(p.data, q.data) for p, q in zip(a.parameters(), b.parameters()))
    bn = nn.BatchNorm1d(3)
    with pytest.raises(ValueError, match="no sub-module with a 'weight'"):
        nn.init_weights(bn, "he_normal")
    with pytest.raises(ValueError, match="scheme must be one of 'zeros', 'normal'"):
        nn.init_weights(model, "kaiming")
    with pytest.raises(ValueError, match="std must be a finite number >= 0"):
        nn.init_weights(model, "normal", std=-1.0)


# -- Sigmoid towers (lecture 5) -------------------------------------------------------------------

def _target(x, a, b, c, k1, k2, m1, m2):
    s = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
    return b + (a - b) * s(k1 * (x - m1)) + (c - b) * s(k2 * (x - m2))


def _tower_net(a, b, c, k, m):
    w1, b1, w2, b2 = nn.tower_weights(a, b, c, k, m)
    net = nn.MLP([1, 2, 1], activation="sigmoid")
    net.load_state_dict({"0.weight": w1, "0.bias": b1, "2.weight": w2, "2.bias": b2})
    return net


@pytest.mark.lec05
def test_tower_weights_syllabus_example():
    # a=3, b=1, c=2, k=10, m=(-1, 1): y_hat(1) = 1 + 2 s(20) + 1 s(0) = 3.5; plateaus 1, 3, 4.
    net = _tower_net(3, 1, 2, 10, (-1, 1))
    w1, b1, w2, b2 = nn.tower_weights(3, 1, 2, 10, (-1, 1))
    assert w1.shape == (2, 1) and b1.shape == (2,) and w2.shape == (1, 2) and b2.shape == (1,)
    y = net(np.array([[1.0], [-10.0], [0.0], [10.0]]))[:, 0]
    assert abs(y[0] - 3.5) < 1e-8  # 2 s(20) = 2 - 4e-9
    np.testing.assert_allclose(y[1:], [1, 3, 4], atol=1e-3)  # s(10) = 1 - 4.5e-5
    assert abs(y[3] - 2) > 1  # the top plateau is a + c - b, not c


@pytest.mark.lec05
@pytest.mark.parametrize("a, b, c, k, m", [
    (3, 1, 2, 10, (-1, 1)),
    (-0.5, 2.0, 0.25, (4.0, 7.5), (0.3, 1.7)),
    (1, 0, 1, (-3, 2), (2, -1)),
])
def test_tower_network_reproduces_the_formula(a, b, c, k, m):
    net = _tower_net(a, b, c, k, m)
    k1, k2 = np.broadcast_to(k, 2)
    x = np.linspace(-4, 4, 81)[:, None]
    expected = _target(x, a, b, c, k1, k2, *m)
    np.testing.assert_allclose(net(x), expected, rtol=1e-12, atol=1e-12)
    torch_net = tnn.Sequential(tnn.Linear(1, 2), tnn.Sigmoid(), tnn.Linear(2, 1)).double()
    torch_net.load_state_dict(to_torch_state(net.state_dict()))
    assert rel_error(net(x), torch_net(torch.tensor(x)).detach().numpy()) < TOL


@pytest.mark.lec05
def test_tower_units_are_the_two_steps_of_the_formula():
    x = np.linspace(-4, 4, 9)
    units = nn.tower_units(*nn.tower_weights(-0.5, 2.0, 0.25, (4.0, 7.5), (0.3, 1.7)), x)
    s = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
    np.testing.assert_allclose(units[:, 0], (-0.5 - 2.0) * s(4.0 * (x - 0.3)), rtol=1e-12)
    np.testing.assert_allclose(units[:, 1], (0.25 - 2.0) * s(7.5 * (x - 1.7)), rtol=1e-12)
    np.testing.assert_allclose(2.0 + units.sum(axis=1),
                               _target(x, -0.5, 2.0, 0.25, 4.0, 7.5, 0.3, 1.7), rtol=1e-12)


@pytest.mark.lec05
def test_sigmoid_tower_and_bad_input():
    x = np.array([-3.0, 0.0, 0.5, 3.0])
    s = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
    np.testing.assert_allclose(nn.sigmoid_tower(x, -1, 1, 50),
                               s(50 * (x + 1)) - s(50 * (x - 1)), rtol=1e-13)
    np.testing.assert_allclose(nn.sigmoid_tower(x, -1, 1, 50), [0, 1, 1, 0], atol=1e-10)
    assert nn.sigmoid_tower(np.ones((2, 3)), 0, 2, 5).shape == (2, 3)
    with pytest.raises(ValueError, match=r"m must be a pair \(m1, m2\); got shape \(3,\)"):
        nn.tower_weights(3, 1, 2, 10, (-1, 0, 1))
    with pytest.raises(ValueError, match=r"m must be a 1-D array"):
        nn.tower_weights(3, 1, 2, 10, 0.5)
    with pytest.raises(ValueError, match=r"k must be a number or a pair"):
        nn.tower_weights(3, 1, 2, [1, 2, 3], (-1, 1))
    with pytest.raises(ValueError, match="non-finite"):
        nn.tower_weights(np.nan, 1, 2, 10, (-1, 1))
    with pytest.raises(ValueError, match="a must be a 0-D array"):
        nn.tower_weights([1, 2], 1, 2, 10, (-1, 1))
