"""dlcore.nn Conv2d, MaxPool2d, AvgPool2d against torch.nn: layout, forward, gradients, errors.

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

pytestmark = [pytest.mark.lec10, pytest.mark.lec12]

TOL = 1e-10


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    # Small float64 ops: thread hand-off dominates, and the machine is shared.
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def to_torch_state(state):
    return OrderedDict((k, torch.as_tensor(np.array(v))) for k, v in state.items())


def compare_with_torch(dl_module, t_module, x, rng):
    """Forward, dx and every parameter gradient of dlcore vs torch for one upstream gradient."""
    t_module = t_module.double()
    dl_sd, t_sd = dl_module.state_dict(), t_module.state_dict()
    assert list(dl_sd) == list(t_sd)
    assert all(dl_sd[k].shape == tuple(t_sd[k].shape) for k in t_sd)
    t_module.load_state_dict(to_torch_state(dl_sd))
    dl_module.zero_grad()
    out = dl_module(x)
    xt = torch.tensor(x, requires_grad=True)
    out_t = t_module(xt)
    assert out.shape == tuple(out_t.shape)
    assert rel_error(out, out_t.detach().numpy()) < TOL
    dout = rng.standard_normal(out.shape)
    dx = dl_module.backward(dout)
    out_t.backward(torch.tensor(dout))
    assert dx.shape == x.shape
    assert rel_error(dx, xt.grad.numpy()) < TOL
    t_params = dict(t_module.named_parameters())
    dl_params = dict(dl_module.named_parameters())
    assert list(dl_params) == list(t_params)
    for name, p in dl_params.items():
        assert rel_error(p.grad, t_params[name].grad.numpy()) < TOL, name
    return out, dx


# -- Conv2d ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("c, f, k, stride, padding, dilation, hw", [
    (1, 4, 3, 1, 0, 1, (7, 7)),
    (3, 5, 3, 1, 1, 1, (6, 5)),
    (2, 3, 3, 2, 1, 1, (7, 8)),
    (2, 3, 2, 2, 0, 1, (6, 6)),
    (3, 2, 3, 1, 2, 2, (7, 6)),
    (2, 4, (2, 3), (1, 2), (1, 0), (2, 1), (8, 9)),
    (4, 3, 5, 3, 2, 1, (9, 10)),
    (1, 2, 1, 1, 0, 1, (4, 4)),
])
@pytest.mark.parametrize("bias", [True, False])
def test_conv2d_matches_torch(c, f, k, stride, padding, dilation, hw, bias, rng):
    layer = nn.Conv2d(c, f, k, stride=stride, padding=padding, dilation=dilation, bias=bias,
                      rng=rng)
    t_layer = tnn.Conv2d(c, f, k, stride=stride, padding=padding, dilation=dilation, bias=bias)
    assert (layer.bias is None) == (not bias)
    assert layer.weight.shape == tuple(t_layer.weight.shape)
    compare_with_torch(layer, t_layer, rng.standard_normal((3, c, *hw)), rng)


def test_conv2d_gradient_matches_central_differences(rng):
    layer = nn.Conv2d(2, 3, 3, stride=2, padding=1, rng=rng)
    x = rng.standard_normal((2, 2, 5, 5))
    dout = rng.standard_normal(layer(x).shape)
    layer.zero_grad()
    layer(x)
    dx = layer.backward(dout)

    def f():
        return np.sum(layer(x) * dout)

    assert rel_error(dx, numerical_gradient(f, x)) < 1e-8
    assert rel_error(layer.weight.grad, numerical_gradient(f, layer.weight.data)) < 1e-8
    assert rel_error(layer.bias.grad, numerical_gradient(f, layer.bias.data)) < 1e-8


def test_conv2d_backward_accumulates(rng):
    layer = nn.Conv2d(2, 3, 3, rng=rng)
    x = rng.standard_normal((2, 2, 4, 4))
    dout = rng.standard_normal((2, 3, 2, 2))
    layer(x)
    layer.backward(dout)
    once = layer.weight.grad.copy()
    layer(x)
    layer.backward(dout)
    assert np.allclose(layer.weight.grad, 2 * once)
    layer.zero_grad()
    assert not layer.weight.grad.any() and not layer.bias.grad.any()


def test_conv2d_state_dict_round_trip_with_torch(rng):
    t_layer = tnn.Conv2d(3, 4, (3, 2), padding=1).double()
    layer = nn.Conv2d(3, 4, (3, 2), padding=1, rng=rng)
    assert list(layer.state_dict()) == ["weight", "bias"]
    layer.load_state_dict(t_layer.state_dict())
    x = rng.standard_normal((2, 3, 5, 5))
    assert rel_error(layer(x), t_layer(torch.tensor(x)).detach().numpy()) < TOL
    back = tnn.Conv2d(3, 4, (3, 2), padding=1).double()
    back.load_state_dict(to_torch_state(layer.state_dict()))
    assert torch.equal(back.weight, t_layer.weight) and torch.equal(back.bias, t_layer.bias)
    assert list(nn.Conv2d(3, 4, 3, bias=False).state_dict()) == ["weight"]


def test_conv2d_default_init_matches_torch_bounds():
    c, f, k = 8, 64, 5
    fan_in = c * k * k
    bound = 1 / np.sqrt(fan_in)
    layer = nn.Conv2d(c, f, k, rng=0)
    t_layer = tnn.Conv2d(c, f, k)
    for w, tw in ((layer.weight.data, t_layer.weight), (layer.bias.data, t_layer.bias)):
        tw = tw.detach().numpy()
        assert w.shape == tw.shape
        assert np.abs(w).max() <= bound and np.abs(tw).max() <= bound
    # Both fill the interval: the largest of 12,800 U(-a, a) draws is close to a.
    assert np.abs(layer.weight.data).max() > 0.99 * bound
    assert np.abs(t_layer.weight.detach().numpy()).max() > 0.99 * bound
    # U(-a, a) has variance a^2/3; 12,800 draws give a relative standard error of
    # sqrt(0.8 / 12800) = 0.8%, so 5% is over 6 standard errors (He's 2/fan_in would be 6x).
    assert abs(layer.weight.data.var() / (bound**2 / 3) - 1) < 0.05
    a, b = nn.Conv2d(2, 3, 3, rng=7), nn.Conv2d(2, 3, 3, rng=7)
    assert np.array_equal(a.weight.data, b.weight.data)
    assert np.array_equal(a.bias.data, b.bias.data)


@pytest.mark.lec08
def test_init_weights_handles_conv2d():
    model = nn.Sequential(nn.Conv2d(16, 64, 3, rng=0), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(64, 10, rng=0))
    assert nn.init_weights(model, "he_normal", rng=1) is model
    w = model[0].weight.data
    fan_in = 16 * 9
    # 9,216 draws of N(0, 2/fan_in): relative standard error of the variance sqrt(2/9216) = 1.5%.
    assert abs(w.var() / (2 / fan_in) - 1) < 0.1
    assert np.all(model[0].bias.data == 0)
    nn.init_weights(model, "torch_default", rng=2)
    assert np.abs(model[0].weight.data).max() <= 1 / np.sqrt(fan_in)
    assert np.any(model[0].bias.data != 0)
    nn.init_weights(model, "xavier_uniform", rng=3)
    a = np.sqrt(6 / (fan_in + 64 * 9))
    assert np.abs(model[0].weight.data).max() <= a
    assert np.abs(model[0].weight.data).max() > 0.99 * a


# -- Pooling --------------------------------------------------------------------------------------

@pytest.mark.parametrize("kernel_size, stride, padding, hw", [
    (2, None, 0, (8, 8)),
    (2, 1, 0, (5, 6)),
    (3, 2, 1, (7, 7)),
    ((2, 3), (2, 1), (1, 1), (6, 7)),
    (3, None, 0, (7, 8)),
])
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pooling_matches_torch(kind, kernel_size, stride, padding, hw, rng):
    cls, tcls = (nn.MaxPool2d, tnn.MaxPool2d) if kind == "max" else (nn.AvgPool2d, tnn.AvgPool2d)
    layer = cls(kernel_size, stride=stride, padding=padding)
    t_layer = tcls(kernel_size, stride=stride, padding=padding)
    assert layer.state_dict() == OrderedDict() and not layer.parameters()
    compare_with_torch(layer, t_layer, rng.standard_normal((2, 3, *hw)), rng)


def test_pooling_syllabus_example():
    # SYLLABUS L10 and L12 (004_4f4f274075c2c478.txt l. 461-491): 2x2 max pooling, stride 2.
    x = np.array([[0.1, 0.5, 1.2, -0.7], [0.8, -0.2, -0.5, 0.3],
                  [0.4, 0.9, -0.1, -0.2], [-0.6, 0.1, 0.5, 0.3]])[None, None]
    pool = nn.MaxPool2d(2)
    assert np.allclose(pool(x)[0, 0], [[0.8, 1.2], [0.9, 0.5]])
    dx = pool.backward(np.array([[1.3, 0.5], [0.4, 0.1]])[None, None])
    assert np.allclose(dx[0, 0], [[0, 0, 0.5, 0], [1.3, 0, 0, 0], [0, 0.4, 0, 0], [0, 0, 0.1, 0]])
    avg = nn.AvgPool2d(2)
    m = np.array([[1, 4, 2, 1], [5, 8, 3, 4], [7, 6, 4, 5], [1, 3, 1, 2]], float)[None, None]
    assert np.allclose(avg(m)[0, 0], [[4.5, 2.5], [4.25, 3.0]])


# -- A small CNN ----------------------------------------------------------------------------------

def test_small_cnn_matches_its_torch_twin(rng):
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(4, 6, 3, padding=1, rng=rng), nn.ReLU(), nn.AvgPool2d(2),
                          nn.Flatten(), nn.Linear(6 * 2 * 2, 5, rng=rng))
    twin = tnn.Sequential(tnn.Conv2d(1, 4, 3, padding=1), tnn.ReLU(), tnn.MaxPool2d(2),
                          tnn.Conv2d(4, 6, 3, padding=1), tnn.ReLU(), tnn.AvgPool2d(2),
                          tnn.Flatten(), tnn.Linear(6 * 2 * 2, 5))
    assert list(model.state_dict()) == ["0.weight", "0.bias", "3.weight", "3.bias",
                                        "7.weight", "7.bias"]
    compare_with_torch(model, twin, rng.standard_normal((6, 1, 8, 8)), rng)


def test_small_cnn_loss_and_gradients_match_torch(rng):
    model = nn.Sequential(nn.Conv2d(1, 3, 3, stride=1, padding=1, rng=rng), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Linear(3 * 4 * 4, 4, rng=rng))
    twin = tnn.Sequential(tnn.Conv2d(1, 3, 3, padding=1), tnn.ReLU(), tnn.MaxPool2d(2),
                          tnn.Flatten(), tnn.Linear(3 * 4 * 4, 4)).double()
    twin.load_state_dict(to_torch_state(model.state_dict()))
    x = rng.standard_normal((5, 1, 8, 8))
    y = rng.integers(0, 4, size=5)
    criterion = nn.CrossEntropyLoss()
    loss = criterion(model(x), y)
    model.backward(criterion.backward())
    t_loss = tnn.functional.cross_entropy(twin(torch.tensor(x)), torch.tensor(y))
    t_loss.backward()
    assert abs(loss - t_loss.item()) < 1e-12 * abs(t_loss.item())
    t_params = dict(twin.named_parameters())
    for name, p in model.named_parameters():
        assert rel_error(p.grad, t_params[name].grad.numpy()) < TOL, name


def test_repr_and_hyperparameters():
    layer = nn.Conv2d(1, 16, 3, padding=1)
    assert layer.kernel_size == (3, 3) and layer.padding == (1, 1) and layer.stride == (1, 1)
    assert repr(layer) == repr(tnn.Conv2d(1, 16, 3, padding=1))
    assert "bias=False" in repr(nn.Conv2d(1, 2, 3, bias=False))
    assert nn.MaxPool2d(3).stride == (3, 3) and nn.AvgPool2d(3, stride=1).stride == (1, 1)


# -- Bad input ------------------------------------------------------------------------------------

def test_conv2d_bad_input(rng):
    layer = nn.Conv2d(3, 4, 3, rng=rng)
    with pytest.raises(ValueError, match=r"in_channels=3.*shape \(N, 3, H, W\).*\(2, 1, 5, 5\)"):
        layer(rng.standard_normal((2, 1, 5, 5)))
    with pytest.raises(ValueError, match=r"4-D array of images \(N, 3, H, W\); got 3-D"):
        layer(rng.standard_normal((3, 5, 5)))
    with pytest.raises(ValueError, match="kernel height 3 is larger than the padded input"):
        layer(rng.standard_normal((1, 3, 2, 5)))
    bad = rng.standard_normal((1, 3, 5, 5))
    bad[0, 0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="non-finite"):
        layer(bad)
    with pytest.raises(TypeError, match="array of numbers"):
        layer("images")
    layer(rng.standard_normal((2, 3, 5, 5)))
    with pytest.raises(ValueError, match=r"dout must have the shape of the forward output "
                                         r"\(2, 4, 3, 3\)"):
        layer.backward(np.zeros((2, 4, 2, 2)))
    with pytest.raises(RuntimeError, match="needs a forward"):
        nn.Conv2d(1, 1, 1).backward(np.zeros((1, 1, 1, 1)))


def test_conv2d_bad_arguments():
    with pytest.raises(ValueError, match="in_channels must be >= 1"):
        nn.Conv2d(0, 4, 3)
    with pytest.raises(ValueError, match=r"kernel_size must be >= 1 \(an int or a pair"):
        nn.Conv2d(1, 4, 0)
    with pytest.raises(TypeError, match=r"stride must be an int or a pair of ints \(h, w\)"):
        nn.Conv2d(1, 4, 3, stride=1.5)
    with pytest.raises(TypeError, match="padding must be an int or a pair"):
        nn.Conv2d(1, 4, 3, padding=(1, 1, 1))
    with pytest.raises(ValueError, match="padding must be >= 0"):
        nn.Conv2d(1, 4, 3, padding=-1)
    with pytest.raises(ValueError, match="dilation must be >= 1"):
        nn.Conv2d(1, 4, 3, dilation=0)
    with pytest.raises(TypeError, match="kernel_size must be an int"):
        nn.Conv2d(1, 4, True)


def test_pooling_bad_input(rng):
    pool = nn.MaxPool2d(2)
    with pytest.raises(ValueError, match=r"MaxPool2d: x must be a 4-D array of images "
                                         r"\(N, C, H, W\); got 2-D"):
        pool(rng.standard_normal((4, 4)))
    with pytest.raises(ValueError, match="kernel height 2 is larger than the padded input"):
        pool(rng.standard_normal((1, 1, 1, 4)))
    with pytest.raises(ValueError, match=r"padding \(2, 2\) must be at most half of "
                                         r"kernel_size \(3, 3\)"):
        nn.AvgPool2d(3, padding=2)
    with pytest.raises(ValueError, match="stride must be >= 1"):
        nn.AvgPool2d(2, stride=0)
    pool(rng.standard_normal((1, 2, 4, 4)))
    with pytest.raises(ValueError, match=r"dout must have the shape of the forward output "
                                         r"\(1, 2, 2, 2\)"):
        pool.backward(np.zeros((1, 2, 4, 4)))
